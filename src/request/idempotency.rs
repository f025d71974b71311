//! The `Idempotency-Key` of a debit.
//!
//! Source: Stripe's API reference, "Idempotent requests": keys are up to 255 characters;
//! Stripe saves the result of the first request made with a key and replays it for a
//! resend with the same key, and may prune a key once it is 24 hours old.

use core::fmt;

use crate::debit::input::{DebitId, MAX_DEBIT_ID_LEN};
use crate::stripe::id::{AccountId, MAX_ID_LEN};
use crate::value::inline::InlineStr;

/// The longest idempotency key Stripe accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// What every key starts with, naming this crate's scheme.
const KEY_PREFIX: &str = "account-debit:";

// The longest key this scheme makes fits Stripe's limit.
const _: () = assert!(
    KEY_PREFIX.len() + MAX_ID_LEN + 1 + MAX_ID_LEN + 1 + MAX_DEBIT_ID_LEN
        <= MAX_IDEMPOTENCY_KEY_LEN
);

/// The `Idempotency-Key` of a debit: `account-debit:<platform>:<connected>:<debit id>`.
///
/// The same debit always gets the same key, so a resend within Stripe's idempotency window
/// replays the first result rather than debiting again. (Stripe may prune a key after 24
/// hours; a resend after that starts a new request.) Two different debits never share a
/// key, because account ids contain no `:` and the caller's debit id comes last, so the key
/// can be read back into its three parts.
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
        let mut key = InlineStr::empty();
        let built = (|| {
            key.push_str(KEY_PREFIX)?;
            key.push_inline(platform.inline())?;
            key.push_str(":")?;
            key.push_inline(connected.inline())?;
            key.push_str(":")?;
            key.push_inline(debit.inline())
        })();
        // The parts are ASCII and their lengths are bounded (see the assertion above).
        debug_assert!(
            built.is_some(),
            "every key fits {MAX_IDEMPOTENCY_KEY_LEN} bytes"
        );
        IdempotencyKey(key)
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for IdempotencyKey {
    fn as_ref(&self) -> &str {
        self.as_str()
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
