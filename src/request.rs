//! The exact Stripe API request that performs a planned debit.
//!
//! Source: Stripe, "Debiting accounts on Stripe managed risk", "Transferring from a
//! connected account": create a Transfer, authenticated as the connected account with the
//! `Stripe-Account` header, whose `destination` is the platform's account id, with a
//! `reference_transaction`. Stripe's API reference, "Idempotent requests": keys are up to
//! 255 characters.

use core::fmt;

use crate::currency::WireCode;
use crate::debit::{DebitId, MAX_DEBIT_ID_LEN};
use crate::id::{AccountId, MAX_ID_LEN, TransactionId};
use crate::inline::InlineStr;
use crate::money::Money;
use crate::reference::ReferenceType;

/// The longest idempotency key Stripe accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// What every key starts with, naming this crate's scheme and its version.
const KEY_PREFIX: &str = "account-debit:";

// The longest key this scheme makes fits Stripe's limit.
const _: () = assert!(
    KEY_PREFIX.len() + MAX_ID_LEN + 1 + MAX_ID_LEN + 1 + MAX_DEBIT_ID_LEN
        <= MAX_IDEMPOTENCY_KEY_LEN
);

/// The `Idempotency-Key` of a debit: `account-debit:<platform>:<connected>:<debit id>`.
///
/// A retry of the same debit gets the same key, so Stripe performs it at most once; two
/// different debits never share a key, because account ids contain no `:` and the caller's
/// debit id comes last, so the key can be read back into its three parts.
///
/// # Example
///
/// ```
/// use stripe_account_debits::IdempotencyKey;
///
/// let key = IdempotencyKey::new("acct_1P".parse()?, "acct_1C".parse()?, "recovery-42".parse()?);
/// assert_eq!(key.as_str(), "account-debit:acct_1P:acct_1C:recovery-42");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(InlineStr<MAX_IDEMPOTENCY_KEY_LEN>);

impl IdempotencyKey {
    /// The key of debit `debit` from `connected` to `platform`.
    pub fn new(platform: AccountId, connected: AccountId, debit: DebitId) -> IdempotencyKey {
        IdempotencyKey::of(&platform, &connected, &debit)
    }

    /// [`IdempotencyKey::new`] from borrowed parts, which planning uses to copy nothing.
    pub(crate) fn of(platform: &AccountId, connected: &AccountId, debit: &DebitId) -> Self {
        let mut key = InlineStr::empty();
        // Cannot fail: the parts are ASCII and their lengths are bounded (see the assertion
        // above); a failure would leave a shorter key, which the tests would catch.
        let _ = (|| {
            key.push_str(KEY_PREFIX)?;
            key.push_inline(platform.inline())?;
            key.push_str(":")?;
            key.push_inline(connected.inline())?;
            key.push_str(":")?;
            key.push_inline(debit.inline())
        })();
        IdempotencyKey(key)
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({:?})", self.as_str())
    }
}

/// `POST /v1/transfers` on the connected account, exactly as it is to be sent: a view of a
/// [`DebitPlan`](crate::DebitPlan), whose strings it lends.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::request()?)?;
/// let request = plan.request();
/// assert_eq!((request.method(), request.path()), ("POST", "/v1/transfers"));
/// assert_eq!(request.form()[0], ("amount", "500"));
/// let mut body = String::new();
/// request.write_form_urlencoded(&mut body)?;
/// assert!(body.starts_with("amount=500&currency=usd&destination=acct_"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransferRequest<'a> {
    pub(crate) connected: &'a AccountId,
    pub(crate) destination: &'a AccountId,
    pub(crate) idempotency_key: &'a IdempotencyKey,
    pub(crate) amount: &'a WireAmount,
    pub(crate) currency: &'a WireCode,
    pub(crate) reference_type: ReferenceType,
    pub(crate) reference: &'a TransactionId,
}

/// A wire amount written out in decimal, kept in the plan so that the request can lend it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct WireAmount(InlineStr<20>);

impl WireAmount {
    pub(crate) fn of(money: Money) -> WireAmount {
        let mut digits = InlineStr::empty();
        // An i64 has at most 20 characters, so this cannot fail.
        let _ = digits.push_i64(money.minor());
        WireAmount(digits)
    }
}

impl fmt::Debug for WireAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<'a> TransferRequest<'a> {
    /// The HTTP method: `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// The path: `/v1/transfers`.
    pub fn path(&self) -> &'static str {
        "/v1/transfers"
    }

    /// The headers besides authentication: `Stripe-Account` (the connected account, which
    /// the request acts as) and `Idempotency-Key`.
    pub fn headers(&self) -> [(&'static str, &'a str); 2] {
        [
            ("Stripe-Account", self.connected.as_str()),
            ("Idempotency-Key", self.idempotency_key.as_str()),
        ]
    }

    /// The idempotency key.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        *self.idempotency_key
    }

    /// The form fields, in order: `amount` (the wire integer), `currency` (lowercase),
    /// `destination` (the platform), `reference_transaction[type]`, then
    /// `reference_transaction[charge]` or `reference_transaction[payout]`.
    pub fn form(&self) -> [(&'static str, &'a str); 5] {
        let id_field = match self.reference_type {
            ReferenceType::Charge => "reference_transaction[charge]",
            ReferenceType::Payout => "reference_transaction[payout]",
        };
        [
            ("amount", self.amount.0.as_str()),
            ("currency", self.currency.as_str()),
            ("destination", self.destination.as_str()),
            ("reference_transaction[type]", self.reference_type.as_str()),
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
        for (i, (name, value)) in self.form().into_iter().enumerate() {
            if i > 0 {
                out.write_char('&')?;
            }
            percent_encode(name, out)?;
            out.write_char('=')?;
            percent_encode(value, out)?;
        }
        Ok(())
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn percent_encode<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.write_char(char::from(b))?;
        } else {
            write!(out, "%{b:02X}")?;
        }
    }
    Ok(())
}

impl fmt::Debug for TransferRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransferRequest")
            .field("method", &self.method())
            .field("path", &self.path())
            .field("headers", &self.headers())
            .field("form", &self.form())
            .finish()
    }
}
