//! Time as Stripe's API counts it.

use core::fmt;

/// A point in time: seconds since the Unix epoch, as Stripe's timestamps are. The crate
/// never reads a clock: every time is an input.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Timestamp;
///
/// let t = Timestamp::from_unix(1_764_000_000);
/// assert!(t < Timestamp::from_unix(1_764_000_001));
/// assert_eq!(t.to_string(), "1764000000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// `seconds` after 1970-01-01T00:00:00Z (before it, when negative).
    pub const fn from_unix(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
