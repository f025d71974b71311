//! What bounds the machine: how it resends, how long it waits before it calls an attempt
//! that did not answer "not committed", how long a caller may take to act.
//!
//! Sources, each cited where used: Stripe's API reference, "Idempotent requests" (results
//! saved once an endpoint starts executing, 500s included; keys may be pruned once 24 hours
//! old); "Advanced error handling" (/error-low-level: "treat requests that return 500 errors
//! as indeterminate"; a 409 `idempotency_key_in_use` "can be retried"); "Rate limits"
//! (retry 429s with exponential backoff); stripe-python's and stripe-node's default request
//! timeout, 80 s.

use crate::lifecycle::attempt::{DEFAULT_KEY_WINDOW_MARGIN_SECONDS, DEFAULT_MAX_SENDS};

/// One second, in milliseconds.
const SECOND_MS: u64 = 1_000;

/// The default settle bound: 24 hours, the idempotency key window. Stripe documents no
/// bound on when the effect of a request it answered with a 500 (or never answered) lands:
/// "treat requests that return 500 errors as indeterminate". The one duration its
/// idempotency documents name is the 24 hours during which it keeps a request's result, so
/// the machine waits that long after an attempt's last send before a search may call the
/// attempt "not committed". Our choice, configurable ([`MachineOptions::with_settle_ms`]).
pub const DEFAULT_SETTLE_MS: u64 = 86_400 * SECOND_MS;

/// The default time a caller has to act on a decision: 60 s. Past it the decision is
/// stale and the machine decides again (our choice).
pub const DEFAULT_ACT_WITHIN_MS: u64 = 60 * SECOND_MS;

/// The default request timeout the caller's HTTP client uses: 80 s, stripe-python's and
/// stripe-node's default. A reply reported later than a send's deadline plus this was sent
/// late, and is not trusted alone.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u64 = 80 * SECOND_MS;

/// The default margin taken off the first send's time for a search's `created[gte]`: 5
/// minutes, for the difference between the caller's clock and Stripe's (our choice).
pub const DEFAULT_CLOCK_SKEW_MS: u64 = 300 * SECOND_MS;

/// The default most attempts (keys) of one debit: 3 (our choice). Past it the machine
/// escalates rather than start a fourth.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// After the fast sends, the slow resends start at 30 s and double up to 30 minutes, so
/// that a rate limiter or an incident is outlasted within the key window (Stripe's "Rate
/// limits" guide: retry with exponential backoff).
const SLOW_FIRST_MS: u64 = 30 * SECOND_MS;
const SLOW_MAX_MS: u64 = 1_800 * SECOND_MS;

/// What bounds a [`DebitMachine`](super::DebitMachine). Every bound has a default with its
/// source; the `with_` methods change one.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::MachineOptions;
///
/// let options = MachineOptions::default().with_settle_ms(3_600_000);
/// assert_eq!(options.settle_ms(), 3_600_000);
/// assert_eq!(options.fast_sends(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MachineOptions {
    fast_sends: u32,
    key_window_margin_ms: u64,
    settle_ms: u64,
    act_within_ms: u64,
    request_timeout_ms: u64,
    clock_skew_ms: u64,
    max_attempts: u32,
}

impl Default for MachineOptions {
    fn default() -> MachineOptions {
        MachineOptions {
            fast_sends: DEFAULT_MAX_SENDS,
            key_window_margin_ms: u64::from(DEFAULT_KEY_WINDOW_MARGIN_SECONDS) * SECOND_MS,
            settle_ms: DEFAULT_SETTLE_MS,
            act_within_ms: DEFAULT_ACT_WITHIN_MS,
            request_timeout_ms: DEFAULT_REQUEST_TIMEOUT_MS,
            clock_skew_ms: DEFAULT_CLOCK_SKEW_MS,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

impl MachineOptions {
    /// The sends of one key on the official clients' schedule (default 3, their 2 retries
    /// and the first send); later resends of the same key wait longer (30 s doubling to 30
    /// minutes). At least 1.
    #[must_use]
    pub fn with_fast_sends(self, sends: u32) -> MachineOptions {
        MachineOptions {
            fast_sends: sends.max(1),
            ..self
        }
    }

    /// No resend of a key later than `ms` before its 24-hour window ends (default 1 hour;
    /// at most the window).
    #[must_use]
    pub fn with_key_window_margin_ms(self, ms: u64) -> MachineOptions {
        MachineOptions {
            key_window_margin_ms: ms.min(super::KEY_WINDOW_MS),
            ..self
        }
    }

    /// How long after an attempt's last send a search may call it not committed (default
    /// [`DEFAULT_SETTLE_MS`]). It must exceed the longest time Stripe may take to carry out
    /// a request it received: a shorter bound trades safety for speed.
    #[must_use]
    pub fn with_settle_ms(self, ms: u64) -> MachineOptions {
        MachineOptions {
            settle_ms: ms,
            ..self
        }
    }

    /// How long a caller has to act on a decision (default [`DEFAULT_ACT_WITHIN_MS`]; at
    /// least 1 s).
    #[must_use]
    pub fn with_act_within_ms(self, ms: u64) -> MachineOptions {
        MachineOptions {
            act_within_ms: ms.max(SECOND_MS),
            ..self
        }
    }

    /// The caller's HTTP timeout (default [`DEFAULT_REQUEST_TIMEOUT_MS`]).
    #[must_use]
    pub fn with_request_timeout_ms(self, ms: u64) -> MachineOptions {
        MachineOptions {
            request_timeout_ms: ms,
            ..self
        }
    }

    /// The margin for `created[gte]` in searches (default [`DEFAULT_CLOCK_SKEW_MS`]).
    #[must_use]
    pub fn with_clock_skew_ms(self, ms: u64) -> MachineOptions {
        MachineOptions {
            clock_skew_ms: ms,
            ..self
        }
    }

    /// The most attempts of one debit (default [`DEFAULT_MAX_ATTEMPTS`]; at least 1).
    #[must_use]
    pub fn with_max_attempts(self, attempts: u32) -> MachineOptions {
        MachineOptions {
            max_attempts: attempts.max(1),
            ..self
        }
    }

    /// The sends of a key on the clients' schedule.
    pub fn fast_sends(&self) -> u32 {
        self.fast_sends
    }

    /// The margin before the key window's end.
    pub fn key_window_margin_ms(&self) -> u64 {
        self.key_window_margin_ms
    }

    /// The settle bound.
    pub fn settle_ms(&self) -> u64 {
        self.settle_ms
    }

    /// The time to act on a decision.
    pub fn act_within_ms(&self) -> u64 {
        self.act_within_ms
    }

    /// The caller's HTTP timeout.
    pub fn request_timeout_ms(&self) -> u64 {
        self.request_timeout_ms
    }

    /// The margin for `created[gte]`.
    pub fn clock_skew_ms(&self) -> u64 {
        self.clock_skew_ms
    }

    /// The most attempts of one debit.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before the next send of a key sent `sends` times (not counting 409s): the
    /// clients' window for the fast sends, then the slow doubling, never below a
    /// `Retry-After` (capped at the slow maximum). Returns `(least, most)` in ms.
    pub(crate) fn resend_delay(&self, sends: u32, retry_after_s: Option<u64>) -> (u64, u64) {
        let asked = retry_after_s
            .map(|s| s.saturating_mul(SECOND_MS).min(SLOW_MAX_MS))
            .unwrap_or(0);
        let (min, max) = if sends < self.fast_sends {
            let window = crate::lifecycle::DelayWindow::after_send(sends, None);
            (window.min_ms(), window.max_ms())
        } else {
            let slow = sends.saturating_sub(self.fast_sends).min(6);
            let whole = SLOW_FIRST_MS
                .checked_shl(slow)
                .unwrap_or(SLOW_MAX_MS)
                .min(SLOW_MAX_MS);
            (whole / 2, whole)
        };
        (min.max(asked), max.max(asked))
    }
}
