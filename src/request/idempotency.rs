//! The `Idempotency-Key` of a debit's attempt, and the attempt's number.
//!
//! Source: Stripe's API reference, "Idempotent requests": keys are up to 255 characters;
//! Stripe saves the result of the first request made with a key (including a 400 or a 500
//! once the endpoint has started) and replays it for a resend with the same key, and may
//! prune a key once it is 24 hours old; a resend after that starts a new request. So the
//! key makes a resend within the window safe, and nothing makes one after it safe: past
//! the window the debit must be looked for (by its `metadata[account_debit_id]`) before
//! anything is sent again.

use core::fmt;
use core::num::NonZeroU32;
use core::str::FromStr;

use crate::debit::input::{DebitId, MAX_DEBIT_ID_LEN};
use crate::stripe::id::{AccountId, MAX_ID_LEN};
use crate::value::inline::InlineStr;

/// The longest idempotency key Stripe accepts.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// What every key starts with, naming this crate's scheme.
const KEY_PREFIX: &str = "account-debit";

/// The longest `#<attempt>` a key carries: `#` and the ten digits of `u32::MAX`.
const MAX_ATTEMPT_SUFFIX_LEN: usize = 11;

// The longest key this scheme makes fits Stripe's limit, to the byte:
// `account-debit#4294967295:<64>:<64>:<100>`.
const _: () = assert!(
    KEY_PREFIX.len()
        + MAX_ATTEMPT_SUFFIX_LEN
        + 1
        + MAX_ID_LEN
        + 1
        + MAX_ID_LEN
        + 1
        + MAX_DEBIT_ID_LEN
        <= MAX_IDEMPOTENCY_KEY_LEN
);

/// Which attempt of a debit a request is: 1 for the first, then 2, 3, ... Every attempt has
/// its own idempotency key; the sends of one attempt (its retries) share it.
///
/// A new attempt is for after a failure Stripe saved under the key (a 400 once the endpoint
/// started, say): a corrected request with the old key would only replay the failure.
///
/// # Example
///
/// ```
/// use stripe_account_debits::AttemptNumber;
///
/// let first = AttemptNumber::FIRST;
/// assert_eq!(first.get(), 1);
/// assert_eq!(first.next().map(AttemptNumber::get), Some(2));
/// assert_eq!(AttemptNumber::new(0), None);
/// assert_eq!(AttemptNumber::new(u32::MAX).and_then(AttemptNumber::next), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttemptNumber(NonZeroU32);

impl AttemptNumber {
    /// The first attempt, whose key is the one this crate has always made.
    pub const FIRST: AttemptNumber = AttemptNumber(NonZeroU32::MIN);

    /// Attempt `n`, or `None` for 0.
    pub const fn new(n: u32) -> Option<AttemptNumber> {
        match NonZeroU32::new(n) {
            Some(n) => Some(AttemptNumber(n)),
            None => None,
        }
    }

    /// The number, from 1.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The attempt after this one, or `None` after `u32::MAX`.
    pub fn next(self) -> Option<AttemptNumber> {
        self.0.checked_add(1).map(AttemptNumber)
    }
}

impl fmt::Display for AttemptNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The `Idempotency-Key` of one attempt of a debit:
/// `account-debit:<platform>:<connected>:<debit id>` for the first attempt (the format
/// this crate has always used), `account-debit#<n>:<platform>:<connected>:<debit id>` for
/// attempt `n` from 2.
///
/// The sends of one attempt share its key, so a resend within Stripe's idempotency window
/// replays the first result rather than debiting again. That window is not forever: Stripe
/// may prune a key once it is 24 hours old, and a resend after that is a new request, which
/// may debit a second time. Two different debits (or attempts) never share a key, because
/// account ids contain no `:`, the attempt number ends at the first `:`, and the caller's
/// debit id comes last, so the key reads back into its parts ([`KeyParts`], by `FromStr`).
///
/// # Example
///
/// ```
/// use stripe_account_debits::{AttemptNumber, IdempotencyKey};
/// use stripe_account_debits::request::KeyParts;
///
/// let key = IdempotencyKey::new("acct_1P".parse()?, "acct_1C".parse()?, "recovery-42".parse()?);
/// assert_eq!(key.as_str(), "account-debit:acct_1P:acct_1C:recovery-42");
/// let second = AttemptNumber::FIRST.next().unwrap();
/// let key = IdempotencyKey::of_attempt("acct_1P".parse()?, "acct_1C".parse()?, "recovery-42".parse()?, second);
/// assert_eq!(key.as_str(), "account-debit#2:acct_1P:acct_1C:recovery-42");
/// let parts: KeyParts = key.as_str().parse()?;
/// assert_eq!((parts.attempt(), parts.debit().as_str()), (second, "recovery-42"));
/// assert_eq!(parts.key(), key);
/// assert_eq!(key.as_str().parse::<IdempotencyKey>()?, key);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(InlineStr<MAX_IDEMPOTENCY_KEY_LEN>);

/// What an [`IdempotencyKey`] is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyParts {
    platform: AccountId,
    connected: AccountId,
    debit: DebitId,
    attempt: AttemptNumber,
}

impl KeyParts {
    /// The platform, which the debit pays.
    pub fn platform(&self) -> AccountId {
        self.platform
    }

    /// The connected account debited.
    pub fn connected(&self) -> AccountId {
        self.connected
    }

    /// The caller's id of the debit.
    pub fn debit(&self) -> DebitId {
        self.debit
    }

    /// The attempt.
    pub fn attempt(&self) -> AttemptNumber {
        self.attempt
    }
}

/// Why a string is not an idempotency key this crate makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "not an account debit idempotency key (account-debit[#<attempt>]:<platform>:<connected>:<debit id>)"
)]
pub struct KeyError;

impl IdempotencyKey {
    /// The key of the first attempt of debit `debit` from `connected` to `platform`.
    pub fn new(platform: AccountId, connected: AccountId, debit: DebitId) -> IdempotencyKey {
        IdempotencyKey::of_attempt(platform, connected, debit, AttemptNumber::FIRST)
    }

    /// The key of attempt `attempt` of debit `debit` from `connected` to `platform`.
    pub fn of_attempt(
        platform: AccountId,
        connected: AccountId,
        debit: DebitId,
        attempt: AttemptNumber,
    ) -> IdempotencyKey {
        let mut key = InlineStr::empty();
        let built = (|| {
            key.push_str(KEY_PREFIX)?;
            if attempt != AttemptNumber::FIRST {
                key.push_str("#")?;
                key.push_i64(i64::from(attempt.get()))?;
            }
            key.push_str(":")?;
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

/// Reads `text` as `account-debit[#<n>]:<platform>:<connected>:<debit id>`.
fn parse(text: &str) -> Result<KeyParts, KeyError> {
    let rest = text.strip_prefix(KEY_PREFIX).ok_or(KeyError)?;
    let (head, rest) = rest.split_once(':').ok_or(KeyError)?;
    let attempt = match head.strip_prefix('#') {
        None if head.is_empty() => AttemptNumber::FIRST,
        // `#1` is never written: attempt 1 has no suffix, so each key has one spelling.
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0') => {
            let n: u32 = digits.parse().map_err(|_| KeyError)?;
            AttemptNumber::new(n)
                .filter(|a| *a != AttemptNumber::FIRST)
                .ok_or(KeyError)?
        }
        _ => return Err(KeyError),
    };
    let (platform, rest) = rest.split_once(':').ok_or(KeyError)?;
    let (connected, debit) = rest.split_once(':').ok_or(KeyError)?;
    Ok(KeyParts {
        platform: platform.parse().map_err(|_| KeyError)?,
        connected: connected.parse().map_err(|_| KeyError)?,
        debit: debit.parse().map_err(|_| KeyError)?,
        attempt,
    })
}

impl FromStr for KeyParts {
    type Err = KeyError;

    /// # Errors
    ///
    /// [`KeyError`] for anything this crate's scheme does not make.
    fn from_str(text: &str) -> Result<KeyParts, KeyError> {
        parse(text)
    }
}

impl KeyParts {
    /// The key these parts make.
    pub fn key(&self) -> IdempotencyKey {
        IdempotencyKey::of_attempt(self.platform, self.connected, self.debit, self.attempt)
    }
}

impl FromStr for IdempotencyKey {
    type Err = KeyError;

    /// # Errors
    ///
    /// [`KeyError`] for anything this crate's scheme does not make.
    fn from_str(text: &str) -> Result<IdempotencyKey, KeyError> {
        parse(text).map(|parts| parts.key())
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

#[cfg(test)]
mod tests {
    use super::{IdempotencyKey, KeyError, parse};

    #[test]
    fn only_keys_of_the_scheme_parse() {
        for bad in [
            "",
            "account-debit",
            "account-debit:acct_1:acct_2",
            "account-debit#1:acct_1:acct_2:d",
            "account-debit#0:acct_1:acct_2:d",
            "account-debit#02:acct_1:acct_2:d",
            "account-debit#:acct_1:acct_2:d",
            "account-debit#x:acct_1:acct_2:d",
            "account-debit#4294967296:acct_1:acct_2:d",
            "account-debitx:acct_1:acct_2:d",
            "other:acct_1:acct_2:d",
            "account-debit:ch_1:acct_2:d",
            "account-debit:acct_1:ch_2:d",
            "account-debit:acct_1:acct_2:two words",
        ] {
            assert_eq!(parse(bad), Err(KeyError), "{bad:?}");
        }
        let max = "account-debit#4294967295:acct_1:acct_2:a:b";
        let parts = parse(max).unwrap();
        assert_eq!(parts.attempt().get(), u32::MAX);
        assert_eq!(parts.debit().as_str(), "a:b");
        assert_eq!(max.parse::<IdempotencyKey>().unwrap().as_str(), max);
    }
}
