//! One attempt of a debit as the caller saw it (its number, how many sends so far, when the
//! first was sent, now), the options that bound its retries, and the backoff between sends.
//!
//! Sources: the official clients, stripe-python (`stripe/_http_client.py`,
//! `_should_retry`, `_sleep_time_seconds`, `_add_jitter_time`; read at 15.3.1+, commit
//! 6c6e373 of 2026-07-24) and stripe-node (`src/RequestSender.ts`, `_shouldRetry`,
//! `_getSleepTimeInMS`; read at commit 6639421 of 2026-08-19); Stripe's API reference,
//! "Idempotent requests" (keys may be pruned once they are 24 hours old); RFC 9110, section
//! 10.2.3 (`Retry-After`).

use core::num::NonZeroU32;

use crate::request::AttemptNumber;
use crate::value::time::Timestamp;

/// How long Stripe keeps an idempotency key at least: 24 hours ("Idempotent requests": keys
/// "may be removed from the system automatically after they're at least 24 hours old").
pub const KEY_WINDOW_SECONDS: u32 = 86_400;

/// The default margin before the end of the key window after which no send is planned: one
/// hour. Our choice, not Stripe's: clocks drift, a request may queue, and a send that
/// arrives after the key is pruned may debit twice, so the last hour is left unused.
pub const DEFAULT_KEY_WINDOW_MARGIN_SECONDS: u32 = 3_600;

/// The default number of sends of one attempt: 3, the official clients' default of 2
/// retries (stripe-python `max_network_retries`, stripe-node `maxNetworkRetries`, stripe-go
/// `DefaultMaxNetworkRetries`) plus the first send.
pub const DEFAULT_MAX_SENDS: u32 = 3;

/// The backoff's first delay, 0.5 s (stripe-python `INITIAL_DELAY`, stripe-node
/// `INITIAL_NETWORK_RETRY_DELAY_SEC`), which is also the least delay.
const INITIAL_DELAY_MS: u64 = 500;
/// The backoff's cap, 5 s (stripe-python `MAX_DELAY`, stripe-node
/// `MAX_NETWORK_RETRY_DELAY_SEC`).
const MAX_DELAY_MS: u64 = 5_000;
/// The longest wait a `Retry-After` raises [`read_reply`](crate::lifecycle::read_reply)'s
/// window to ([`DelayWindow::after_send`]), 60 s; a longer one is capped at it. (The
/// [`DebitMachine`](crate::lifecycle::DebitMachine) paces its resends itself, slowing to
/// 30 minutes, and honours a `Retry-After` up to that: see `MachineOptions`.) The figure is the one stripe-python (`MAX_RETRY_AFTER`, 2.37.2 to 15.3.0) and
/// stripe-node (`MAX_RETRY_AFTER_WAIT`, 7.9.1 to 22.3.0) used while they read the header;
/// they ignored a longer one, and both dropped the header on 2026-07-08 ("Remove unused
/// Retry-After header support": stripe-python #1843, released in 15.3.1; stripe-node
/// #2781, released in 22.3.1). We keep honouring it (RFC 9110, section 10.2.3: how long
/// "the user agent ought to wait before making a follow-up request"), and cap rather than
/// ignore a long one: a server that asks for more than a minute is not outlasted by the
/// 5 s backoff, and the key window still bounds the wait (our choice).
pub const MAX_RETRY_AFTER_SECONDS: u64 = 60;

/// One attempt of a debit, as far as it has gone: which attempt (it picks the key), how
/// many times its request has been sent (this reply answers the last), when the first send
/// was made, and now. The caller keeps the clock; the crate never reads one.
///
/// # Errors
///
/// [`Attempt::new`] refuses no send at all, and a `now` before the first send.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{AttemptNumber, Timestamp};
/// use stripe_account_debits::lifecycle::Attempt;
///
/// let attempt = Attempt::new(AttemptNumber::FIRST, 1, Timestamp::from_unix(1_764_000_000), Timestamp::from_unix(1_764_000_002))?;
/// assert_eq!(attempt.sends(), 1);
/// assert_eq!(attempt.sent_again(Timestamp::from_unix(1_764_000_003)).map(|a| a.sends()), Some(2));
/// assert!(Attempt::new(AttemptNumber::FIRST, 0, Timestamp::from_unix(0), Timestamp::from_unix(0)).is_err());
/// # Ok::<(), stripe_account_debits::lifecycle::AttemptError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attempt {
    number: AttemptNumber,
    sends: NonZeroU32,
    first_sent_at: Timestamp,
    now: Timestamp,
}

/// Why an [`Attempt`] cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum AttemptError {
    /// `sends` is 0: a reply answers a send.
    #[error("an attempt has at least one send")]
    NoSend,
    /// `now` is before the first send.
    #[error("now ({now}) is before the first send ({first_sent_at})")]
    NowBeforeFirstSend {
        /// When the first send was made.
        first_sent_at: Timestamp,
        /// Now.
        now: Timestamp,
    },
}

impl Attempt {
    /// Attempt `number`, sent `sends` times, first at `first_sent_at`, as of `now`.
    ///
    /// # Errors
    ///
    /// [`AttemptError::NoSend`] for `sends == 0`, [`AttemptError::NowBeforeFirstSend`].
    pub fn new(
        number: AttemptNumber,
        sends: u32,
        first_sent_at: Timestamp,
        now: Timestamp,
    ) -> Result<Attempt, AttemptError> {
        let sends = NonZeroU32::new(sends).ok_or(AttemptError::NoSend)?;
        if now < first_sent_at {
            return Err(AttemptError::NowBeforeFirstSend { first_sent_at, now });
        }
        Ok(Attempt {
            number,
            sends,
            first_sent_at,
            now,
        })
    }

    /// The first send of attempt `number`, made `at`.
    pub fn first(number: AttemptNumber, at: Timestamp) -> Attempt {
        Attempt {
            number,
            sends: NonZeroU32::MIN,
            first_sent_at: at,
            now: at,
        }
    }

    /// The same attempt sent once more, at `now`; `None` when `now` is before the last
    /// known time or the count would overflow.
    pub fn sent_again(&self, now: Timestamp) -> Option<Attempt> {
        let sends = self.sends.checked_add(1)?;
        (now >= self.now).then_some(Attempt {
            sends,
            now,
            ..*self
        })
    }

    /// Which attempt.
    pub fn number(&self) -> AttemptNumber {
        self.number
    }

    /// How many times its request has been sent, from 1.
    pub fn sends(&self) -> u32 {
        self.sends.get()
    }

    /// When the first send was made: the key window runs from it.
    pub fn first_sent_at(&self) -> Timestamp {
        self.first_sent_at
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.now
    }
}

/// What bounds the retries of an attempt: the most sends (default
/// [`DEFAULT_MAX_SENDS`]) and the margin kept before the 24-hour key window ends (default
/// [`DEFAULT_KEY_WINDOW_MARGIN_SECONDS`]).
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::ReplyOptions;
///
/// let options = ReplyOptions::default().with_max_sends(5).with_key_window_margin(600);
/// assert_eq!((options.max_sends(), options.key_window_margin()), (5, 600));
/// // At least one send; a margin at most the whole window.
/// assert_eq!(ReplyOptions::default().with_max_sends(0).max_sends(), 1);
/// assert_eq!(ReplyOptions::default().with_key_window_margin(u32::MAX).key_window_margin(), 86_400);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyOptions {
    max_sends: NonZeroU32,
    key_window_margin: u32,
}

impl Default for ReplyOptions {
    fn default() -> ReplyOptions {
        ReplyOptions {
            max_sends: NonZeroU32::new(DEFAULT_MAX_SENDS).unwrap_or(NonZeroU32::MIN),
            key_window_margin: DEFAULT_KEY_WINDOW_MARGIN_SECONDS,
        }
    }
}

impl ReplyOptions {
    /// At most `sends` sends of one attempt (at least 1: 0 is taken as 1).
    #[must_use]
    pub fn with_max_sends(self, sends: u32) -> ReplyOptions {
        ReplyOptions {
            max_sends: NonZeroU32::new(sends).unwrap_or(NonZeroU32::MIN),
            ..self
        }
    }

    /// No send planned later than `seconds` before the key window ends (at most the whole
    /// window: more is taken as [`KEY_WINDOW_SECONDS`], which forbids every retry).
    #[must_use]
    pub fn with_key_window_margin(self, seconds: u32) -> ReplyOptions {
        ReplyOptions {
            key_window_margin: seconds.min(KEY_WINDOW_SECONDS),
            ..self
        }
    }

    /// The most sends of one attempt.
    pub fn max_sends(&self) -> u32 {
        self.max_sends.get()
    }

    /// The margin, in seconds.
    pub fn key_window_margin(&self) -> u32 {
        self.key_window_margin
    }

    /// Whether the attempt's budget allows another send.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // Read by `read_reply`.
    pub(crate) fn budget_allows_another(&self, attempt: &Attempt) -> bool {
        attempt.sends < self.max_sends
    }

    /// Whether a send made at the latest `delay` after `attempt.now()` still falls before
    /// the key window's end less the margin.
    #[cfg_attr(not(feature = "serde"), allow(dead_code))] // Read by `read_reply`.
    pub(crate) fn key_window_allows(&self, attempt: &Attempt, delay: DelayWindow) -> bool {
        let last = i128::from(attempt.first_sent_at.unix())
            .saturating_add(i128::from(KEY_WINDOW_SECONDS))
            .saturating_sub(i128::from(self.key_window_margin));
        // The latest second the next send may be made at, rounding the delay up.
        let latest =
            i128::from(attempt.now.unix()).saturating_add(i128::from(delay.max_ms.div_ceil(1_000)));
        latest < last
    }
}

/// How long to wait before resending, in milliseconds: any point in `[min_ms, max_ms]`.
/// The caller picks it (uniformly at random, as the official clients' jitter does); the
/// crate never draws random numbers.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::DelayWindow;
///
/// let after_first = DelayWindow::after_send(1, None);
/// assert_eq!((after_first.min_ms(), after_first.max_ms()), (500, 500));
/// let after_third = DelayWindow::after_send(3, None);
/// assert_eq!((after_third.min_ms(), after_third.max_ms()), (1_000, 2_000));
/// let raised = DelayWindow::after_send(9, Some(7));
/// assert_eq!((raised.min_ms(), raised.max_ms()), (7_000, 7_000));
/// // A Retry-After over 60 s is capped at 60 s, not ignored.
/// let capped = DelayWindow::after_send(1, Some(3_600));
/// assert_eq!((capped.min_ms(), capped.max_ms()), (60_000, 60_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DelayWindow {
    min_ms: u64,
    max_ms: u64,
}

impl DelayWindow {
    /// The wait after the `sends`-th send, as stripe-python and stripe-node compute it:
    /// `min(0.5 s * 2^(sends - 1), 5 s)`, jittered into [half, whole], never below 0.5 s;
    /// and never below a `Retry-After`, capped at [`MAX_RETRY_AFTER_SECONDS`] (a longer
    /// one waits the cap; the clients ignored it while they read the header).
    pub fn after_send(sends: u32, retry_after_seconds: Option<u64>) -> DelayWindow {
        // 0.5 s doubled (sends - 1) times reaches the 5 s cap at the 5th send; the shift
        // is bounded so that it cannot overflow.
        let doublings = sends.saturating_sub(1).min(4);
        let whole = INITIAL_DELAY_MS
            .checked_shl(doublings)
            .unwrap_or(MAX_DELAY_MS)
            .min(MAX_DELAY_MS);
        let mut min_ms = (whole / 2).max(INITIAL_DELAY_MS);
        let mut max_ms = whole.max(INITIAL_DELAY_MS);
        if let Some(seconds) = retry_after_seconds {
            let asked = seconds.min(MAX_RETRY_AFTER_SECONDS).saturating_mul(1_000);
            min_ms = min_ms.max(asked);
            max_ms = max_ms.max(asked);
        }
        DelayWindow { min_ms, max_ms }
    }

    /// The least wait.
    pub fn min_ms(&self) -> u64 {
        self.min_ms
    }

    /// The longest wait.
    pub fn max_ms(&self) -> u64 {
        self.max_ms
    }
}

#[cfg(test)]
mod tests {
    use super::{Attempt, DelayWindow, KEY_WINDOW_SECONDS, ReplyOptions};
    use crate::request::AttemptNumber;
    use crate::value::time::Timestamp;

    const T0: i64 = 1_764_000_000;

    fn attempt(sends: u32, now: i64) -> Attempt {
        let first = Timestamp::from_unix(T0);
        Attempt::new(
            AttemptNumber::FIRST,
            sends,
            first,
            Timestamp::from_unix(now),
        )
        .unwrap()
    }

    #[test]
    fn the_budget_counts_the_sends_of_an_attempt() {
        let options = ReplyOptions::default();
        assert!(options.budget_allows_another(&attempt(2, T0)));
        assert!(!options.budget_allows_another(&attempt(3, T0)));
        assert!(
            !ReplyOptions::default()
                .with_max_sends(1)
                .budget_allows_another(&attempt(1, T0))
        );
    }

    #[test]
    fn a_resend_must_land_before_the_window_less_the_margin() {
        let options = ReplyOptions::default();
        let end = T0 + i64::from(KEY_WINDOW_SECONDS) - 3_600;
        // After the first send the delay is at most 0.5 s, rounded up to 1 s.
        let delay = DelayWindow::after_send(1, None);
        assert!(options.key_window_allows(&attempt(1, end - 2), delay));
        assert!(!options.key_window_allows(&attempt(1, end - 1), delay));
        let none = ReplyOptions::default().with_key_window_margin(KEY_WINDOW_SECONDS);
        assert!(!none.key_window_allows(&attempt(1, T0), delay));
        let late = ReplyOptions::default().with_key_window_margin(0);
        assert!(late.key_window_allows(&attempt(1, end + 100), delay));
    }
}
