//! Layer 6, the Stripe request: the exact HTTP call that performs a plan, for the caller to
//! send with any HTTP client. "Request" in this crate means this and only this; what the
//! engine judges is a [`DebitInput`](crate::DebitInput).
//!
//! Sources: Stripe, "Debiting accounts on Stripe managed risk", "Transferring from a
//! connected account": create a Transfer, authenticated as the connected account with the
//! `Stripe-Account` header, whose `destination` is the platform's account id, with a
//! `reference_transaction`; Stripe, "Debiting Express and Custom accounts": for an account
//! whose losses the platform bears, the same Transfer without a reference (an earlier
//! version of the page), or a Charge on the platform whose `source` is the connected
//! account's id, with no `Stripe-Account` header (see [`Method`]).

pub(crate) mod form;
mod idempotency;

use core::fmt;

pub use idempotency::{AttemptNumber, IdempotencyKey, KeyError, KeyParts, MAX_IDEMPOTENCY_KEY_LEN};

use crate::debit::plan::{DebitPlan, Method};
use crate::stripe::reference::ReferenceType;
use crate::value::currency::WireCode;
use crate::value::inline::InlineStr;

/// The HTTP call that performs a plan, exactly as it is to be sent: `POST /v1/transfers` on
/// the connected account, or, for a platform-managed service charge, `POST /v1/charges` on
/// the platform. It lends the
/// [`DebitPlan`] it was made from and owns the amount's digits; the idempotency key (255 bytes at most) is built when [`StripeRequest::headers`]
/// or [`StripeRequest::idempotency_key`] asks for it, so writing the body alone does not
/// pay for it.
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
/// assert_eq!(request.headers().iter().next(), Some(("Stripe-Account", demo::CONNECTED)));
/// let mut body = String::new();
/// request.write_form_urlencoded(&mut body)?;
/// assert!(body.starts_with("amount=500&currency=usd&destination=acct_"));
/// assert!(body.ends_with("&metadata%5Baccount_debit_id%5D=recovery-42"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StripeRequest<'a> {
    plan: &'a DebitPlan,
    /// The wire amount's digits and the currency's code, which the form lends.
    amount: InlineStr<20>,
    currency: WireCode,
    /// Which attempt of the debit this is: it picks the idempotency key.
    attempt: AttemptNumber,
}

/// The form's field names: as sent, and as they go into a body (percent-encoded, with the
/// `&` before every field but the first, and the `=`).
const AMOUNT: (&str, &str) = ("amount", "amount=");
const CURRENCY: (&str, &str) = ("currency", "&currency=");
const DESTINATION: (&str, &str) = ("destination", "&destination=");
const REFERENCE_TYPE: (&str, &str) = (
    "reference_transaction[type]",
    "&reference_transaction%5Btype%5D=",
);
const REFERENCE_CHARGE: (&str, &str) = (
    "reference_transaction[charge]",
    "&reference_transaction%5Bcharge%5D=",
);
const REFERENCE_PAYOUT: (&str, &str) = (
    "reference_transaction[payout]",
    "&reference_transaction%5Bpayout%5D=",
);
/// A charge's source: the connected account's id.
const SOURCE: (&str, &str) = ("source", "&source=");
/// The caller's debit id, so that the transfer can be found by it once Stripe has forgotten
/// the idempotency key (Stripe's API reference, "Metadata": set on create, returned on the
/// object; up to 50 keys of 40 characters and values of 500).
const METADATA_DEBIT_ID: (&str, &str) = (
    "metadata[account_debit_id]",
    "&metadata%5Baccount_debit_id%5D=",
);

pub use crate::stripe::metadata::DEBIT_ID_METADATA_KEY;

impl DebitPlan {
    /// The Stripe request that performs this plan (its first attempt), built now: it lends
    /// the plan's ids. (Defined here, with the request, so that the engine does not depend
    /// on this layer.)
    pub fn request(&self) -> StripeRequest<'_> {
        self.request_for(AttemptNumber::FIRST)
    }

    /// The Stripe request of attempt `attempt` of this plan: the same method, path, headers
    /// and form as [`DebitPlan::request`], with that attempt's idempotency key.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{demo, plan_debit, AttemptNumber};
    ///
    /// let plan = plan_debit(&demo::input()?)?;
    /// let second = plan.request_for(AttemptNumber::new(2).unwrap());
    /// assert!(second.idempotency_key().as_str().starts_with("account-debit#2:"));
    /// assert!(second.form().eq(plan.request().form()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_for(&self, attempt: AttemptNumber) -> StripeRequest<'_> {
        let amount = self.transfer().amount();
        let mut digits = InlineStr::empty();
        let written = digits.push_i64(amount.minor());
        debug_assert!(written.is_some(), "an i64 has at most 20 characters");
        StripeRequest {
            plan: self,
            amount: digits,
            currency: WireCode::of(amount.currency()),
            attempt,
        }
    }

    /// The `Idempotency-Key` of [`DebitPlan::request`] (the first attempt), built now.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        self.idempotency_key_for(AttemptNumber::FIRST)
    }

    /// The `Idempotency-Key` of attempt `attempt`, built now.
    pub fn idempotency_key_for(&self, attempt: AttemptNumber) -> IdempotencyKey {
        let transfer = self.transfer();
        IdempotencyKey::of_attempt(
            transfer.destination(),
            transfer.account(),
            self.debit_id(),
            attempt,
        )
    }
}

impl<'a> StripeRequest<'a> {
    /// The HTTP method: `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// The path: `/v1/transfers`, or `/v1/charges` for a charge.
    pub fn path(&self) -> &'static str {
        match self.plan.method() {
            Method::Charge => "/v1/charges",
            Method::Transfer => "/v1/transfers",
        }
    }

    /// The account the request acts as: the `Stripe-Account` header, the connected account
    /// for a transfer; `None` for a charge, which the platform makes as itself.
    pub fn stripe_account(&self) -> Option<&'a str> {
        let (connected, _, _) = self.plan.transfer().ids();
        match self.plan.method() {
            Method::Charge => None,
            Method::Transfer => Some(connected.as_str()),
        }
    }

    /// The `Idempotency-Key` header, built now: `account-debit:<platform>:<connected>:<debit
    /// id>` for the first attempt (see [`IdempotencyKey`]), as
    /// [`DebitPlan::idempotency_key_for`] builds it.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        self.plan.idempotency_key_for(self.attempt)
    }

    /// Which attempt of the debit this request is.
    pub fn attempt(&self) -> AttemptNumber {
        self.attempt
    }

    /// The headers besides authentication, in order: `Stripe-Account` (the connected
    /// account, which a transfer acts as; a charge has none), `Idempotency-Key` (built now)
    /// and `Content-Type: application/x-www-form-urlencoded` (the body's form).
    pub fn headers(&self) -> Headers<'a> {
        Headers {
            stripe_account: self.stripe_account(),
            idempotency_key: self.idempotency_key(),
        }
    }

    /// The form fields, in order. A debit of an account on Stripe managed risk: `amount`
    /// (the wire integer), `currency` (lowercase), `destination` (the platform),
    /// `reference_transaction[type]`, then `reference_transaction[charge]` or
    /// `reference_transaction[payout]`, then `metadata[account_debit_id]` (the caller's
    /// debit id, as given: the body encodes it). A platform-managed transfer has no
    /// reference; a charge has `source` (the connected account) in place of `destination`.
    pub fn form(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        let (fields, len) = self.fields();
        fields
            .into_iter()
            .take(len)
            .map(|field| (field.name, field.value))
    }

    /// Calls `visit` with each field, in order, and stops at its first error: the one
    /// place the form's fields and their order are written. Inlined, so that each field's
    /// `visit` is too.
    #[inline(always)]
    fn each_field<'s, E>(
        &'s self,
        mut visit: impl FnMut(Field<'s>) -> Result<(), E>,
    ) -> Result<(), E> {
        let transfer = self.plan.transfer();
        let (connected, destination, reference) = transfer.ids();
        visit(Field::new(AMOUNT, self.amount.as_str()))?;
        visit(Field::new(CURRENCY, self.currency.as_str()))?;
        match (self.plan.method(), reference, transfer.reference_type()) {
            (Method::Charge, _, _) => visit(Field::new(SOURCE, connected.as_str()))?,
            (Method::Transfer, Some(id), Some(kind)) => {
                visit(Field::new(DESTINATION, destination.as_str()))?;
                visit(Field::new(REFERENCE_TYPE, kind.as_str()))?;
                let id_field = match kind {
                    ReferenceType::Charge => REFERENCE_CHARGE,
                    ReferenceType::Payout => REFERENCE_PAYOUT,
                };
                visit(Field::new(id_field, id.as_str()))?;
            }
            (Method::Transfer, _, _) => visit(Field::new(DESTINATION, destination.as_str()))?,
        }
        visit(Field {
            callers: true,
            ..Field::new(METADATA_DEBIT_ID, self.plan.debit_id_ref().as_str())
        })
    }

    /// The fields, in order, and how many there are (the rest of the array is unused).
    fn fields(&self) -> ([Field<'_>; 6], usize) {
        let mut fields = [Field::new(("", ""), ""); 6];
        let mut len = 0usize;
        let all: Result<(), ()> = self.each_field(|field| {
            *fields.get_mut(len).ok_or(())? = field;
            len = len.checked_add(1).ok_or(())?;
            Ok(())
        });
        debug_assert!(all.is_ok(), "a form has at most six fields");
        (fields, len)
    }

    /// Writes the form as an `application/x-www-form-urlencoded` body into `out`, with no
    /// allocation of its own.
    ///
    /// # Errors
    ///
    /// Whatever `out` returns.
    pub fn write_form_urlencoded<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        // The names are written encoded (with their `&` and `=`); the values' types
        // guarantee they need no encoding (debug builds check it), but for the caller's
        // debit id, which is encoded.
        self.each_field(|field| {
            out.write_str(field.encoded_name)?;
            if field.callers {
                form::write_encoded(out, field.value)
            } else {
                debug_assert!(
                    form::is_clean(field.value.as_bytes()),
                    "{:?} needs encoding",
                    field.value
                );
                out.write_str(field.value)
            }
        })
    }
}

impl fmt::Debug for StripeRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeRequest")
            .field("method", &self.method())
            .field("path", &self.path())
            .field("headers", &self.headers())
            .field("form", &self.form().collect::<Vec<_>>())
            .finish()
    }
}

/// The headers of a [`StripeRequest`] besides authentication: they own the idempotency key
/// and lend the rest.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// let headers = plan.request().headers();
/// for (name, value) in &headers {
///     match name {
///         "Stripe-Account" => assert_eq!(value, demo::CONNECTED),
///         "Idempotency-Key" => assert!(value.starts_with("account-debit:")),
///         _ => assert_eq!((name, value), ("Content-Type", "application/x-www-form-urlencoded")),
///     }
/// }
/// assert_eq!(headers.iter().count(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Headers<'a> {
    stripe_account: Option<&'a str>,
    idempotency_key: IdempotencyKey,
}

/// One form field.
#[derive(Clone, Copy)]
struct Field<'v> {
    name: &'static str,
    /// The name as a body writes it: percent-encoded, with the `&` before it (but for the
    /// first field) and the `=` after it.
    encoded_name: &'static str,
    value: &'v str,
    /// Whether the value is the caller's text, which a body percent-encodes; every other
    /// value is clean by its type.
    callers: bool,
}

impl<'v> Field<'v> {
    fn new((name, encoded_name): (&'static str, &'static str), value: &'v str) -> Field<'v> {
        Field {
            name,
            encoded_name,
            value,
            callers: false,
        }
    }
}

impl Headers<'_> {
    /// `(name, value)` in order: `Stripe-Account` (for a transfer), `Idempotency-Key`,
    /// `Content-Type`.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.into_iter()
    }

    /// The `Content-Type` of the body: Stripe's API takes forms.
    pub const CONTENT_TYPE: &'static str = "application/x-www-form-urlencoded";
}

impl<'h> IntoIterator for &'h Headers<'_> {
    type Item = (&'static str, &'h str);
    type IntoIter = core::iter::Flatten<core::array::IntoIter<Option<(&'static str, &'h str)>, 3>>;

    fn into_iter(self) -> Self::IntoIter {
        [
            self.stripe_account
                .map(|account| ("Stripe-Account", account)),
            Some(("Idempotency-Key", self.idempotency_key.as_str())),
            Some(("Content-Type", Headers::CONTENT_TYPE)),
        ]
        .into_iter()
        .flatten()
    }
}

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{
        AMOUNT, CURRENCY, DESTINATION, METADATA_DEBIT_ID, REFERENCE_CHARGE, REFERENCE_PAYOUT,
        REFERENCE_TYPE, form,
    };

    #[test]
    fn encoded_names_are_the_names_percent_encoded() {
        let names = [
            AMOUNT,
            CURRENCY,
            DESTINATION,
            REFERENCE_TYPE,
            REFERENCE_CHARGE,
            REFERENCE_PAYOUT,
            METADATA_DEBIT_ID,
        ];
        for (i, (name, encoded)) in names.into_iter().enumerate() {
            let separator = if i == 0 { "" } else { "&" };
            let expected = name.replace('[', "%5B").replace(']', "%5D");
            assert_eq!(encoded, format!("{separator}{expected}="));
            assert!(form::is_clean(
                expected.replace("%5B", "").replace("%5D", "").as_bytes()
            ));
        }
    }
}
