//! The metadata this crate writes on the objects its requests create, and reads back from
//! what Stripe returns: the caller's debit id, under [`DEBIT_ID_METADATA_KEY`], so that a
//! debit's transfer can be found by it once Stripe has forgotten the idempotency key
//! (Stripe's API reference, "Metadata": set on create, returned on the object; up to 50
//! keys of 40 characters and values of 500).

use core::fmt;
use core::str::FromStr;

use crate::value::inline::InlineStr;

/// The metadata key under which a debit's transfer carries the caller's debit id.
pub const DEBIT_ID_METADATA_KEY: &str = "account_debit_id";

/// The longest caller debit id accepted; it keeps the idempotency key within Stripe's 255
/// characters.
pub const MAX_DEBIT_ID_LEN: usize = 100;

/// The caller's own id for one debit (a refund id, an invoice line, a ticket): 1 to
/// [`MAX_DEBIT_ID_LEN`] printable ASCII characters without spaces. Planning a debit with
/// the same id yields the same idempotency key, so a resend within Stripe's idempotency
/// window replays the first result instead of debiting again. (Stripe may prune a key
/// after 24 hours: a resend after that is a new request.)
///
/// # Example
///
/// ```
/// use stripe_account_debits::DebitId;
///
/// let id: DebitId = "recovery-42".parse()?;
/// assert_eq!(id.as_str(), "recovery-42");
/// assert!("two words".parse::<DebitId>().is_err());
/// # Ok::<(), stripe_account_debits::DebitIdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DebitId(InlineStr<MAX_DEBIT_ID_LEN>);

/// Why a string is not a [`DebitId`].
///
/// # Example
///
/// ```
/// use stripe_account_debits::DebitId;
///
/// let err = "recovery 42".parse::<DebitId>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "debit id must be 1 to 100 printable ascii characters without spaces"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("debit id must be 1 to {max_len} printable ascii characters without spaces")]
pub struct DebitIdError {
    max_len: usize,
}

impl DebitIdError {
    /// [`MAX_DEBIT_ID_LEN`].
    pub fn max_len(&self) -> usize {
        self.max_len
    }
}

impl DebitId {
    /// The id as given.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub(crate) fn inline(&self) -> &InlineStr<MAX_DEBIT_ID_LEN> {
        &self.0
    }
}

impl FromStr for DebitId {
    type Err = DebitIdError;

    /// # Errors
    ///
    /// [`DebitIdError`] for an empty or too long id, or one with a byte outside `!`..=`~`.
    fn from_str(text: &str) -> Result<DebitId, DebitIdError> {
        let graphic = !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic());
        match InlineStr::new(text) {
            Some(inline) if graphic => Ok(DebitId(inline)),
            _ => Err(DebitIdError {
                max_len: MAX_DEBIT_ID_LEN,
            }),
        }
    }
}

impl fmt::Display for DebitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DebitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DebitId({:?})", self.as_str())
    }
}

crate::value::text_conversions!(DebitId);
