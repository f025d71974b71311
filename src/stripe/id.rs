//! Stripe object ids and the kinds of object they name: a prefix of lowercase letters,
//! `_`, then ASCII letters, digits and `_`.
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

/// Defines [`ObjectKind`] and its table from one list: each kind once, with its id
/// prefixes, how messages name it, and the `object` field Stripe writes for it.
macro_rules! object_kinds {
    ($($(#[doc = $doc:literal])* $kind:ident: [$($prefix:literal),*], $name:literal, $object:literal;)*) => {
        /// The kind of Stripe object an id names, read from its prefix.
        ///
        /// # Example
        ///
        /// ```
        /// use stripe_account_debits::stripe::ObjectKind;
        ///
        /// assert_eq!(ObjectKind::from_prefix("po"), Some(ObjectKind::Payout));
        /// assert_eq!(ObjectKind::Charge.prefix(), "ch");
        /// assert_eq!(ObjectKind::PaymentIntent.to_string(), "payment intent");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum ObjectKind {
            $($(#[doc = $doc])* $kind,)*
        }

        /// Every known prefix with its kind, in the list's order.
        const PREFIXES: &[(&str, ObjectKind)] = &[$($(($prefix, ObjectKind::$kind),)*)*];

        impl ObjectKind {
            /// How messages name this kind (`"payment intent"`).
            fn name(self) -> &'static str {
                match self {
                    $(ObjectKind::$kind => $name,)*
                }
            }

            /// The object's name as Stripe's `object` field spells it (`"charge"`,
            /// `"payment_intent"`, ...), for checking a pasted object against its id.
            ///
            /// # Example
            ///
            /// ```
            /// use stripe_account_debits::stripe::ObjectKind;
            ///
            /// assert_eq!(ObjectKind::PaymentIntent.object_name(), "payment_intent");
            /// ```
            pub fn object_name(self) -> &'static str {
                match self {
                    $(ObjectKind::$kind => $object,)*
                }
            }
        }
    };
}

// Source: Stripe's API reference, which shows each object's ids with these prefixes.
object_kinds! {
    /// `acct_`: an Account.
    Account: ["acct"], "account", "account";
    /// `ch_`: a Charge.
    Charge: ["ch"], "charge", "charge";
    /// `py_`: a Payment, the Charge-like object a transfer creates on its destination
    /// (the API returns it as a Charge object).
    Payment: ["py"], "payment", "charge";
    /// `po_`: a Payout.
    Payout: ["po"], "payout", "payout";
    /// `pi_`: a PaymentIntent.
    PaymentIntent: ["pi"], "payment intent", "payment_intent";
    /// `tr_`: a Transfer.
    Transfer: ["tr"], "transfer", "transfer";
    /// `trr_`: a Transfer reversal.
    TransferReversal: ["trr"], "transfer reversal", "transfer_reversal";
    /// `re_`: a Refund.
    Refund: ["re"], "refund", "refund";
    /// `pyr_`: a refund of a Payment.
    PaymentRefund: ["pyr"], "payment refund", "refund";
    /// `txn_`: a Balance transaction.
    BalanceTransaction: ["txn"], "balance transaction", "balance_transaction";
    /// `dp_` or `du_`: a Dispute.
    Dispute: ["dp", "du"], "dispute", "dispute";
    /// `ba_`: a Bank account.
    BankAccount: ["ba"], "bank account", "bank_account";
    /// `card_`: a Card.
    Card: ["card"], "card", "card";
    /// `cus_`: a Customer.
    Customer: ["cus"], "customer", "customer";
    /// `in_`: an Invoice.
    Invoice: ["in"], "invoice", "invoice";
    /// `fee_`: an Application fee.
    ApplicationFee: ["fee"], "application fee", "application_fee";
    /// `fr_`: an Application fee refund.
    FeeRefund: ["fr"], "application fee refund", "fee_refund";
    /// `pm_`: a PaymentMethod.
    PaymentMethod: ["pm"], "payment method", "payment_method";
    /// `src_`: a Source.
    Source: ["src"], "source", "source";
    /// `seti_`: a SetupIntent.
    SetupIntent: ["seti"], "setup intent", "setup_intent";
    /// `sub_`: a Subscription.
    Subscription: ["sub"], "subscription", "subscription";
    /// Any other kind of object (a Checkout Session's `cs_`, ...): its ids are well formed,
    /// with a prefix this crate does not name; [`TransactionId::prefix`] tells it.
    Other: [], "object", "unknown";
}

/// Every known id prefix, in table order.
#[cfg(feature = "arbitrary")]
pub(crate) fn known_prefixes() -> impl Iterator<Item = &'static str> {
    PREFIXES.iter().map(|(prefix, _)| *prefix)
}

impl ObjectKind {
    /// The kind whose ids start with `prefix` (without the `_`).
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::stripe::ObjectKind;
    ///
    /// assert_eq!(ObjectKind::from_prefix("ch"), Some(ObjectKind::Charge));
    /// assert_eq!(ObjectKind::from_prefix("xyz"), None);
    /// ```
    pub fn from_prefix(prefix: &str) -> Option<ObjectKind> {
        PREFIXES
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, kind)| *kind)
    }

    /// `"a"` or `"an"`, whichever goes before this kind's name in a message (`an invoice`).
    pub(crate) fn article(self) -> &'static str {
        if self.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        }
    }

    /// The prefix of this kind's ids (the first one, for kinds with two); empty for
    /// [`ObjectKind::Other`], whose ids carry their own ([`TransactionId::prefix`]).
    pub fn prefix(self) -> &'static str {
        let prefix = PREFIXES.iter().find(|(_, kind)| *kind == self);
        // Every kind but `Other` has a row (a test visits each one).
        debug_assert!(
            prefix.is_some() || self == ObjectKind::Other,
            "{self:?} has no prefix"
        );
        prefix.map_or("", |(prefix, _)| prefix)
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a string is not a Stripe id.
///
/// # Example
///
/// ```
/// use stripe_account_debits::AccountId;
/// use stripe_account_debits::stripe::IdError;
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
    /// The prefix is not lowercase ASCII letters, as every Stripe prefix is.
    #[error("an id's prefix is lowercase letters")]
    InvalidPrefix,
    /// Nothing follows the `_`.
    #[error("id has nothing after its prefix")]
    EmptyBody,
    /// A byte after the prefix is not an ASCII letter, digit or `_`.
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

/// Splits and checks an id, returning its kind and the inline copy. The checks, in order:
/// not empty, at most [`MAX_ID_LEN`] bytes, a `_`, lowercase letters before the first `_`,
/// something after it, and only ASCII letters, digits and `_` there (the first other byte
/// is named).
fn parse_id(text: &str) -> Result<(ObjectKind, InlineStr<MAX_ID_LEN>), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    let too_long = IdError::TooLong {
        len: text.len(),
        max: MAX_ID_LEN,
    };
    if text.len() > MAX_ID_LEN {
        return Err(too_long);
    }
    // Prefixes are a few bytes: a plain loop finds the `_` sooner than a search would.
    let at = text
        .bytes()
        .position(|b| b == b'_')
        .ok_or(IdError::MissingPrefix)?;
    let (prefix, underscored) = text.split_at_checked(at).ok_or(IdError::MissingPrefix)?;
    let body = underscored.get(1..).ok_or(IdError::MissingPrefix)?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(IdError::InvalidPrefix);
    }
    // Stripe has more kinds of object than this crate names: a well-formed id of one it
    // does not know is of kind `Other`, for the rules to reject by its prefix.
    let kind = ObjectKind::from_prefix(prefix).unwrap_or(ObjectKind::Other);
    if body.is_empty() {
        return Err(IdError::EmptyBody);
    }
    // Some bodies have `_` in them: a Checkout Session's `cs_test_…`. Every byte is
    // checked without stopping at the first bad one (a loop the compiler runs on several
    // bytes at once); only a bad id looks for where.
    if !body.bytes().fold(true, |valid, b| valid & id_byte(b)) {
        let offset = body.bytes().position(|b| !id_byte(b)).unwrap_or(0);
        // The prefix and "_" are ASCII, so byte offsets add up; lengths are <= 64.
        let index = at.saturating_add(1).saturating_add(offset);
        return Err(IdError::InvalidCharacter { index });
    }
    let inline = InlineStr::new(text).ok_or(too_long)?;
    Ok((kind, inline))
}

/// Whether `b` may be in an id's body: an ASCII letter, digit or `_`.
fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
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
/// # Ok::<(), stripe_account_debits::stripe::IdError>(())
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
/// use stripe_account_debits::TransactionId;
/// use stripe_account_debits::stripe::ObjectKind;
///
/// let id: TransactionId = "po_1Pgc79B7WZ01zgkWu1KToYf4".parse()?;
/// assert_eq!(id.kind(), ObjectKind::Payout);
/// assert_eq!(id.to_string(), "po_1Pgc79B7WZ01zgkWu1KToYf4");
/// # Ok::<(), stripe_account_debits::stripe::IdError>(())
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

    /// The id's prefix, without its `_` (`"ch"`, `"cs"`).
    pub fn prefix(&self) -> &str {
        let text = self.as_str();
        let prefix = text.split_once('_').map(|(prefix, _)| prefix);
        // Every id was read with a prefix and a `_`.
        debug_assert!(prefix.is_some());
        prefix.unwrap_or(text)
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

crate::value::text_conversions!(AccountId, TransactionId);

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks as they were written first, one after another: what [`parse_id`] must
    /// answer for every string.
    fn reference(text: &str) -> Result<(ObjectKind, &str), IdError> {
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        if text.len() > MAX_ID_LEN {
            let (len, max) = (text.len(), MAX_ID_LEN);
            return Err(IdError::TooLong { len, max });
        }
        let (prefix, body) = text.split_once('_').ok_or(IdError::MissingPrefix)?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(IdError::InvalidPrefix);
        }
        let kind = ObjectKind::from_prefix(prefix).unwrap_or(ObjectKind::Other);
        if body.is_empty() {
            return Err(IdError::EmptyBody);
        }
        let invalid = |b: u8| !(b.is_ascii_alphanumeric() || b == b'_');
        if let Some(offset) = body.bytes().position(invalid) {
            let index = prefix.len() + 1 + offset;
            return Err(IdError::InvalidCharacter { index });
        }
        Ok((kind, text))
    }

    fn parsed(text: &str) -> Result<(ObjectKind, &str), IdError> {
        parse_id(text).map(|(kind, inline)| {
            assert_eq!(inline.as_str(), text);
            (kind, text)
        })
    }

    #[test]
    fn every_short_string_is_judged_as_the_checks_in_order_judge_it() {
        // Letters of each case, a digit, `_`, and bytes no id has (one of them not ASCII).
        let pieces = ["t", "r", "Z", "0", "_", "-", "é", "ch", "acct"];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|start| pieces.iter().map(move |piece| format!("{start}{piece}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        let (mut ok, mut bad) = (0, 0);
        for text in &texts {
            let want = reference(text);
            assert_eq!(parsed(text), want, "{text:?}");
            if want.is_ok() { ok += 1 } else { bad += 1 }
        }
        assert!(ok > 1000 && bad > 10_000, "{ok} {bad}");
    }

    #[test]
    fn long_ids_and_bad_bytes_far_in_are_judged_as_the_checks_in_order_judge_them() {
        let longest = format!("tr_{}", "a".repeat(MAX_ID_LEN - 3));
        assert_eq!(
            parsed(&longest),
            Ok((ObjectKind::Transfer, longest.as_str()))
        );
        let too_long = format!("{longest}b");
        assert_eq!(
            parsed(&too_long),
            Err(IdError::TooLong { len: 65, max: 64 })
        );
        for at in 3..MAX_ID_LEN {
            for bad in ["-", " ", "\u{7f}", "é"] {
                if at + bad.len() > MAX_ID_LEN {
                    continue;
                }
                let mut text = longest.clone();
                text.replace_range(at..at + bad.len(), bad);
                assert_eq!(parsed(&text), reference(&text), "{text:?}");
                assert_eq!(parsed(&text), Err(IdError::InvalidCharacter { index: at }));
            }
        }
        assert!(id_byte(b'_'));
        assert!(id_byte(b'a') && id_byte(b'Z') && id_byte(b'9'));
        assert!(!(id_byte(b'-') || id_byte(b'`') || id_byte(0xc3)));
    }
}
