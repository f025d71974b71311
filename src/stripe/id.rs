//! Stripe object ids and the kinds of object they name: a known prefix, `_`, then ASCII
//! letters and digits.
//!
//! Stripe documents its ids as opaque strings; the prefixes below are the ones its API
//! reference shows for each object (`acct_` for an Account, `ch_` for a Charge, ...). An id
//! is at most [`MAX_ID_LEN`] bytes: Stripe's own ids are about 20 to 30, and the bound keeps
//! every id inline and `Copy`.

use core::fmt;
use core::str::FromStr;

use crate::value::inline::InlineStr;

/// The longest id, prefix included, that this crate accepts.
pub const MAX_ID_LEN: usize = 64;

/// The kind of Stripe object an id names, read from its prefix.
///
/// # Example
///
/// ```
/// use stripe_account_debits::ObjectKind;
///
/// assert_eq!(ObjectKind::from_prefix("po"), Some(ObjectKind::Payout));
/// assert_eq!(ObjectKind::Charge.prefix(), "ch");
/// assert_eq!(ObjectKind::PaymentIntent.to_string(), "payment intent");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// `acct_`: an Account.
    Account,
    /// `ch_`: a Charge.
    Charge,
    /// `py_`: a Payment, the Charge-like object a transfer creates on its destination.
    Payment,
    /// `po_`: a Payout.
    Payout,
    /// `pi_`: a PaymentIntent.
    PaymentIntent,
    /// `tr_`: a Transfer.
    Transfer,
    /// `trr_`: a Transfer reversal.
    TransferReversal,
    /// `re_`: a Refund.
    Refund,
    /// `pyr_`: a refund of a Payment.
    PaymentRefund,
    /// `txn_`: a Balance transaction.
    BalanceTransaction,
    /// `dp_` or `du_`: a Dispute.
    Dispute,
    /// `ba_`: a Bank account.
    BankAccount,
    /// `card_`: a Card.
    Card,
    /// `cus_`: a Customer.
    Customer,
    /// `in_`: an Invoice.
    Invoice,
    /// `fee_`: an Application fee.
    ApplicationFee,
    /// `fr_`: an Application fee refund.
    FeeRefund,
    /// `pm_`: a PaymentMethod.
    PaymentMethod,
    /// `src_`: a Source.
    Source,
    /// `seti_`: a SetupIntent.
    SetupIntent,
    /// `sub_`: a Subscription.
    Subscription,
}

/// Every known prefix with its kind, how messages name it, and the `object` field Stripe
/// writes for it. The one table of object kinds, read both ways.
const PREFIXES: &[(&str, ObjectKind, &str, &str)] = &[
    ("acct", ObjectKind::Account, "account", "account"),
    ("ch", ObjectKind::Charge, "charge", "charge"),
    // A Payment is returned by the API as a Charge object with a `py_` id.
    ("py", ObjectKind::Payment, "payment", "charge"),
    ("po", ObjectKind::Payout, "payout", "payout"),
    (
        "pi",
        ObjectKind::PaymentIntent,
        "payment intent",
        "payment_intent",
    ),
    ("tr", ObjectKind::Transfer, "transfer", "transfer"),
    (
        "trr",
        ObjectKind::TransferReversal,
        "transfer reversal",
        "transfer_reversal",
    ),
    ("re", ObjectKind::Refund, "refund", "refund"),
    ("pyr", ObjectKind::PaymentRefund, "payment refund", "refund"),
    (
        "txn",
        ObjectKind::BalanceTransaction,
        "balance transaction",
        "balance_transaction",
    ),
    ("dp", ObjectKind::Dispute, "dispute", "dispute"),
    ("du", ObjectKind::Dispute, "dispute", "dispute"),
    (
        "ba",
        ObjectKind::BankAccount,
        "bank account",
        "bank_account",
    ),
    ("card", ObjectKind::Card, "card", "card"),
    ("cus", ObjectKind::Customer, "customer", "customer"),
    ("in", ObjectKind::Invoice, "invoice", "invoice"),
    (
        "fee",
        ObjectKind::ApplicationFee,
        "application fee",
        "application_fee",
    ),
    (
        "fr",
        ObjectKind::FeeRefund,
        "application fee refund",
        "fee_refund",
    ),
    (
        "pm",
        ObjectKind::PaymentMethod,
        "payment method",
        "payment_method",
    ),
    ("src", ObjectKind::Source, "source", "source"),
    (
        "seti",
        ObjectKind::SetupIntent,
        "setup intent",
        "setup_intent",
    ),
    (
        "sub",
        ObjectKind::Subscription,
        "subscription",
        "subscription",
    ),
];

/// Every known id prefix, in table order.
#[cfg(feature = "arbitrary")]
pub(crate) fn known_prefixes() -> impl Iterator<Item = &'static str> {
    PREFIXES.iter().map(|(prefix, ..)| *prefix)
}

impl ObjectKind {
    /// The kind whose ids start with `prefix` (without the `_`).
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::ObjectKind;
    ///
    /// assert_eq!(ObjectKind::from_prefix("ch"), Some(ObjectKind::Charge));
    /// assert_eq!(ObjectKind::from_prefix("xyz"), None);
    /// ```
    pub fn from_prefix(prefix: &str) -> Option<ObjectKind> {
        PREFIXES
            .iter()
            .find(|(p, ..)| *p == prefix)
            .map(|(_, kind, ..)| *kind)
    }

    /// The prefix of this kind's ids (the first one, for kinds with two).
    pub fn prefix(self) -> &'static str {
        self.entry().0
    }

    /// The object's name as Stripe's `object` field spells it (`"charge"`,
    /// `"payment_intent"`, ...), for checking a pasted object against its id.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::ObjectKind;
    ///
    /// assert_eq!(ObjectKind::PaymentIntent.object_name(), "payment_intent");
    /// ```
    pub fn object_name(self) -> &'static str {
        self.entry().3
    }

    fn entry(self) -> (&'static str, ObjectKind, &'static str, &'static str) {
        let entry = PREFIXES.iter().copied().find(|(_, kind, ..)| *kind == self);
        // Every kind has a row (a test visits each one).
        debug_assert!(entry.is_some(), "{self:?} has no row in PREFIXES");
        entry.unwrap_or(("", self, "", ""))
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.entry().2)
    }
}

/// Why a string is not a Stripe id.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{AccountId, IdError};
///
/// let err = "ch_123".parse::<AccountId>().unwrap_err();
/// assert_eq!(err, IdError::WrongKind { expected: "acct" });
/// assert_eq!(err.to_string(), "expected an id starting with \"acct_\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The string is empty.
    #[error("empty id")]
    Empty,
    /// The string is longer than [`MAX_ID_LEN`] bytes.
    #[error("id is {len} bytes long, more than the {max} allowed")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_ID_LEN`].
        max: usize,
    },
    /// There is no `_` after the prefix.
    #[error("id has no prefix (expected letters, then \"_\")")]
    MissingPrefix,
    /// The prefix is not one of Stripe's.
    #[error("unknown id prefix")]
    UnknownPrefix,
    /// Nothing follows the `_`.
    #[error("id has nothing after its prefix")]
    EmptyBody,
    /// A byte after the prefix is not an ASCII letter or digit.
    #[error("id has an invalid character at byte {index}")]
    InvalidCharacter {
        /// Where, counting from 0.
        index: usize,
    },
    /// A valid id of another kind than the one asked for.
    #[error("expected an id starting with \"{expected}_\"")]
    WrongKind {
        /// The prefix that was expected.
        expected: &'static str,
    },
    /// An account id where a transaction (any other object) was expected.
    #[error("expected a transaction id, not an account id")]
    AccountNotTransaction,
}

/// Splits and checks an id, returning its kind and the inline copy.
fn parse_id(text: &str) -> Result<(ObjectKind, InlineStr<MAX_ID_LEN>), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    if text.len() > MAX_ID_LEN {
        return Err(IdError::TooLong {
            len: text.len(),
            max: MAX_ID_LEN,
        });
    }
    let (prefix, body) = text.split_once('_').ok_or(IdError::MissingPrefix)?;
    let kind = ObjectKind::from_prefix(prefix).ok_or(IdError::UnknownPrefix)?;
    if body.is_empty() {
        return Err(IdError::EmptyBody);
    }
    if let Some(offset) = body.bytes().position(|b| !b.is_ascii_alphanumeric()) {
        // The prefix and "_" are ASCII, so byte offsets add up; lengths are <= 64.
        let index = prefix.len().saturating_add(1).saturating_add(offset);
        return Err(IdError::InvalidCharacter { index });
    }
    let inline = InlineStr::new(text).ok_or(IdError::TooLong {
        len: text.len(),
        max: MAX_ID_LEN,
    })?;
    Ok((kind, inline))
}

/// A Stripe account id, `acct_` then letters and digits.
///
/// # Example
///
/// ```
/// use stripe_account_debits::AccountId;
///
/// let id: AccountId = "acct_1PgafTB7WZ01zgkW".parse()?;
/// assert_eq!(id.as_str(), "acct_1PgafTB7WZ01zgkW");
/// assert!("acct_".parse::<AccountId>().is_err());
/// # Ok::<(), stripe_account_debits::IdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(InlineStr<MAX_ID_LEN>);

impl AccountId {
    /// The id as Stripe writes it.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub(crate) fn inline(&self) -> &InlineStr<MAX_ID_LEN> {
        &self.0
    }
}

impl FromStr for AccountId {
    type Err = IdError;

    fn from_str(text: &str) -> Result<Self, IdError> {
        match parse_id(text)? {
            (ObjectKind::Account, inline) => Ok(AccountId(inline)),
            _ => Err(IdError::WrongKind {
                expected: ObjectKind::Account.prefix(),
            }),
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({:?})", self.0)
    }
}

/// The id of any Stripe object other than an account, with its kind.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{ObjectKind, TransactionId};
///
/// let id: TransactionId = "po_1Pgc79B7WZ01zgkWu1KToYf4".parse()?;
/// assert_eq!(id.kind(), ObjectKind::Payout);
/// assert_eq!(id.to_string(), "po_1Pgc79B7WZ01zgkWu1KToYf4");
/// # Ok::<(), stripe_account_debits::IdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TransactionId {
    kind: ObjectKind,
    text: InlineStr<MAX_ID_LEN>,
}

impl TransactionId {
    /// The kind of object, read from the prefix.
    pub fn kind(&self) -> ObjectKind {
        self.kind
    }

    /// The id as Stripe writes it.
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    pub(crate) fn inline(&self) -> &InlineStr<MAX_ID_LEN> {
        &self.text
    }
}

impl FromStr for TransactionId {
    type Err = IdError;

    /// # Errors
    ///
    /// An [`IdError`] for anything that is not a Stripe id; an account id is
    /// [`IdError::AccountNotTransaction`].
    fn from_str(text: &str) -> Result<Self, IdError> {
        match parse_id(text)? {
            (ObjectKind::Account, _) => Err(IdError::AccountNotTransaction),
            (kind, text) => Ok(TransactionId { kind, text }),
        }
    }
}

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.text, f)
    }
}

impl fmt::Debug for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TransactionId({:?})", self.text)
    }
}
