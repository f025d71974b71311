//! Layer 5, the Stripe request: the exact HTTP call that performs a plan, for the caller to
//! send with any HTTP client. "Request" in this crate means this and only this; what the
//! engine judges is a [`DebitInput`](crate::DebitInput).
//!
//! Source: Stripe, "Debiting accounts on Stripe managed risk", "Transferring from a
//! connected account": create a Transfer, authenticated as the connected account with the
//! `Stripe-Account` header, whose `destination` is the platform's account id, with a
//! `reference_transaction`.

mod form;
mod idempotency;

use core::fmt;

pub use idempotency::{IdempotencyKey, MAX_IDEMPOTENCY_KEY_LEN};

use crate::stripe::id::{AccountId, TransactionId};
use crate::stripe::reference::ReferenceType;
use crate::value::currency::WireCode;
use crate::value::inline::InlineStr;
use crate::value::money::Money;

/// `POST /v1/transfers` on the connected account, exactly as it is to be sent. It lends the
/// ids of the [`DebitPlan`](crate::DebitPlan) it was made from and owns the rest (the key,
/// the amount's digits).
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// let request = plan.request();
/// assert_eq!((request.method(), request.path()), ("POST", "/v1/transfers"));
/// assert_eq!(request.form().next(), Some(("amount", "500")));
/// assert_eq!(request.headers().next(), Some(("Stripe-Account", demo::CONNECTED)));
/// let mut body = String::new();
/// request.write_form_urlencoded(&mut body)?;
/// assert!(body.starts_with("amount=500&currency=usd&destination=acct_"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StripeRequest<'a> {
    stripe_account: &'a AccountId,
    idempotency_key: IdempotencyKey,
    amount: InlineStr<20>,
    currency: WireCode,
    destination: &'a AccountId,
    reference_type: ReferenceType,
    reference: &'a TransactionId,
}

/// The form's field names: as sent, and percent-encoded as they go into a body.
const AMOUNT: (&str, &str) = ("amount", "amount");
const CURRENCY: (&str, &str) = ("currency", "currency");
const DESTINATION: (&str, &str) = ("destination", "destination");
const REFERENCE_TYPE: (&str, &str) = (
    "reference_transaction[type]",
    "reference_transaction%5Btype%5D",
);
const REFERENCE_CHARGE: (&str, &str) = (
    "reference_transaction[charge]",
    "reference_transaction%5Bcharge%5D",
);
const REFERENCE_PAYOUT: (&str, &str) = (
    "reference_transaction[payout]",
    "reference_transaction%5Bpayout%5D",
);

impl<'a> StripeRequest<'a> {
    /// The transfer of `amount` from `connected` to `destination` that performs a debit.
    pub(crate) fn transfer(
        connected: &'a AccountId,
        destination: &'a AccountId,
        idempotency_key: IdempotencyKey,
        amount: Money,
        reference_type: ReferenceType,
        reference: &'a TransactionId,
    ) -> StripeRequest<'a> {
        let mut digits = InlineStr::empty();
        let written = digits.push_i64(amount.minor());
        debug_assert!(written.is_some(), "an i64 has at most 20 characters");
        StripeRequest {
            stripe_account: connected,
            idempotency_key,
            amount: digits,
            currency: WireCode::of(amount.currency()),
            destination,
            reference_type,
            reference,
        }
    }

    /// The HTTP method: `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// The path: `/v1/transfers`.
    pub fn path(&self) -> &'static str {
        "/v1/transfers"
    }

    /// The account the request acts as: the `Stripe-Account` header.
    pub fn stripe_account(&self) -> &'a str {
        self.stripe_account.as_str()
    }

    /// The `Idempotency-Key` header.
    pub fn idempotency_key(&self) -> &IdempotencyKey {
        &self.idempotency_key
    }

    /// The headers besides authentication, in order: `Stripe-Account` (the connected
    /// account, which the request acts as) and `Idempotency-Key`.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        [
            ("Stripe-Account", self.stripe_account()),
            ("Idempotency-Key", self.idempotency_key.as_str()),
        ]
        .into_iter()
    }

    /// The form fields, in order: `amount` (the wire integer), `currency` (lowercase),
    /// `destination` (the platform), `reference_transaction[type]`, then
    /// `reference_transaction[charge]` or `reference_transaction[payout]`.
    pub fn form(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        self.fields()
            .map(|((name, _), value)| (name, value))
            .into_iter()
    }

    /// The fields with both spellings of their names.
    fn fields(&self) -> [((&'static str, &'static str), &str); 5] {
        let id_field = match self.reference_type {
            ReferenceType::Charge => REFERENCE_CHARGE,
            ReferenceType::Payout => REFERENCE_PAYOUT,
        };
        [
            (AMOUNT, self.amount.as_str()),
            (CURRENCY, self.currency.as_str()),
            (DESTINATION, self.destination.as_str()),
            (REFERENCE_TYPE, self.reference_type.as_str()),
            (id_field, self.reference.as_str()),
        ]
    }

    /// Writes the form as an `application/x-www-form-urlencoded` body into `out`, with no
    /// allocation of its own.
    ///
    /// # Errors
    ///
    /// Whatever `out` returns.
    pub fn write_form_urlencoded<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        for (i, ((_, encoded_name), value)) in self.fields().into_iter().enumerate() {
            if i > 0 {
                out.write_char('&')?;
            }
            out.write_str(encoded_name)?;
            out.write_char('=')?;
            form::percent_encode(value, out)?;
        }
        Ok(())
    }
}

impl fmt::Debug for StripeRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeRequest")
            .field("method", &self.method())
            .field("path", &self.path())
            .field("headers", &self.headers().collect::<Vec<_>>())
            .field("form", &self.form().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{REFERENCE_CHARGE, REFERENCE_PAYOUT, REFERENCE_TYPE, form};

    #[test]
    fn encoded_names_are_the_names_percent_encoded() {
        for (name, encoded) in [REFERENCE_TYPE, REFERENCE_CHARGE, REFERENCE_PAYOUT] {
            let mut out = String::new();
            form::percent_encode(name, &mut out).unwrap();
            assert_eq!(out, encoded);
        }
    }
}
