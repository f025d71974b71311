//! When to send a batch's requests: a start offset for each planned debit, so that a batch of
//! thousands of debits stays within Stripe's rate limits instead of meeting `429`s.
//!
//! Source: Stripe, "Rate limits" (docs.stripe.com/rate-limits). The newest version (every
//! locale the docs search holds, and the English page's Markdown) counts requests per second
//! per Stripe account: a global limit of 100 in live mode and 25 in a sandbox, and "API
//! endpoints have a default limit of 25 requests per second", each named operation
//! (`POST /v1/transfers`, `POST /v1/charges`) being an endpoint of its own. An older version
//! gives 100 read and 100 write operations per second in live mode, 25 and 25 in test mode,
//! with no per-endpoint default. No row read of either names a stricter limit for
//! transfers or charges.
//! Stripe asks to treat the limits as maximums and "might reduce" them. See
//! `docs/stripe-choices.md`.
//!
//! The schedule is pure: offsets in milliseconds from a start time the caller picks and
//! keeps. It knows nothing of the platform's other traffic or of retries, which share the
//! same limits: the default rate leaves room for them.

use core::num::NonZeroU32;

use crate::debit::plan::DebitPlan;
use crate::debit::rules::Rejection;

/// How many requests a batch starts per second.
///
/// # Example
///
/// ```
/// use stripe_account_debits::book::SendRate;
///
/// assert_eq!(SendRate::DEFAULT.per_second(), 20);
/// let rate = SendRate::new(4).unwrap();
/// // 4 a second: one every 250 ms.
/// assert_eq!((0..5).map(|n| rate.offset_ms(n)).collect::<Vec<_>>(), [0, 250, 500, 750, 1000]);
/// assert_eq!(SendRate::new(0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SendRate(NonZeroU32);

impl SendRate {
    /// 20 requests a second. Our choice: four fifths of the lowest limit that applies to a
    /// batch, 25 a second (the default of each endpoint in live mode, and the global limit
    /// in a sandbox), leaving a fifth for the platform's other requests and for retries.
    pub const DEFAULT: SendRate = SendRate(NonZeroU32::MIN.saturating_add(19));

    /// `per_second` requests a second, or `None` for 0. Above 25, the rate relies on limits
    /// Stripe raised for the account ("Stripe may increase rate limits for specific
    /// accounts"): the batch is then yours to pace.
    pub const fn new(per_second: u32) -> Option<SendRate> {
        match NonZeroU32::new(per_second) {
            Some(rate) => Some(SendRate(rate)),
            None => None,
        }
    }

    /// Requests a second.
    pub const fn per_second(self) -> u32 {
        self.0.get()
    }

    /// When the `nth` request (from 0) starts, in milliseconds after the first: `nth` ×
    /// 1000 / rate, rounded up. Request `n + rate` starts exactly 1000 ms after request
    /// `n`, so no window of one second holds more than `rate` starts.
    pub fn offset_ms(self, nth: u64) -> u64 {
        // In 64 bits while `nth` × 1000 fits (every batch that can be held in memory): a
        // 128-bit division is a call of some hundred instructions, once a planned debit.
        if let Some(scaled) = nth.checked_mul(1_000) {
            return scaled.div_ceil(u64::from(self.per_second()));
        }
        let rate = u128::from(self.per_second());
        let scaled = u128::from(nth).saturating_mul(1_000);
        // Rounding up: a start is never earlier than the rate allows. No `u64` of requests
        // reaches `u64::MAX` milliseconds (that would be 584 million years); were it to, the
        // request would start later, never sooner.
        let ms = scaled.div_ceil(rate);
        u64::try_from(ms).unwrap_or(u64::MAX)
    }
}

impl Default for SendRate {
    fn default() -> SendRate {
        SendRate::DEFAULT
    }
}

/// When each planned debit of a batch starts: an offset in milliseconds from a start time
/// the caller picks, in the order of the batch, at [`SendRate`]. A rejected debit sends
/// nothing and has no offset.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Debit, demo};
/// use stripe_account_debits::book::{BatchDebit, Ledger, SendRate};
/// use stripe_account_debits::stripe::{Balance, Connected, Platform};
///
/// let input = demo::input()?;
/// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty())
///     .with_send_rate(SendRate::new(10).unwrap());
/// let slot = ledger.add_account(Connected::new(input.connected().clone()), input.connected_balance().clone(), input.consent().cloned())?;
/// let debit = |id: &str, minor| Debit::from_minor(id.parse().unwrap(), minor, Currency::USD, input.debit().reference().expect("the demo's debit has a reference"));
/// let batch = [BatchDebit::new(slot, debit("a", 100), input.at()), BatchDebit::new(slot, debit("b", 0), input.at()), BatchDebit::new(slot, debit("c", 100), input.at())];
/// let outcome = ledger.run(&batch)?;
/// // "b" is rejected: "c" is the second request, 100 ms after the first.
/// assert_eq!(outcome.schedule().offsets(), [Some(0), None, Some(100)]);
/// assert_eq!(outcome.schedule().requests(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    rate: SendRate,
    offsets: Vec<Option<u64>>,
    requests: u64,
}

impl Schedule {
    /// The schedule of a batch's `results` at `rate`: the n-th planned debit starts at
    /// [`SendRate::offset_ms`]`(n)`.
    pub fn of(results: &[Result<DebitPlan, Rejection>], rate: SendRate) -> Schedule {
        let mut requests: u64 = 0;
        let offsets = results
            .iter()
            .map(|result| {
                result.as_ref().ok().map(|_| {
                    let offset = rate.offset_ms(requests);
                    requests = requests.saturating_add(1);
                    offset
                })
            })
            .collect();
        Schedule {
            rate,
            offsets,
            requests,
        }
    }

    /// The rate it keeps.
    pub fn rate(&self) -> SendRate {
        self.rate
    }

    /// Each debit's start offset in milliseconds, in the batch's order; `None` for a
    /// rejected one.
    pub fn offsets(&self) -> &[Option<u64>] {
        &self.offsets
    }

    /// The start offset of the debit at `index` of the batch, when it was planned.
    pub fn offset_ms(&self, index: usize) -> Option<u64> {
        self.offsets.get(index).copied().flatten()
    }

    /// How many requests it starts: the planned debits.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// When the last request starts, in milliseconds after the first (0 for none or one).
    pub fn last_offset_ms(&self) -> u64 {
        self.offsets.iter().rev().find_map(|o| *o).unwrap_or(0)
    }
}
