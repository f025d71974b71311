//! A short ASCII string stored inline, so the values built on it are `Copy` and never touch
//! the heap. Private: every public type that uses it validates its own alphabet first.
//!
//! The cost is size, paid in copies instead of allocations: an `AccountId` is 65 bytes, a
//! `TransactionId` 66, an `IdempotencyKey` 256. So a `Violation` is 200 bytes (its largest
//! variant holds three ids), a `DebitPlan` 432 (three ids and the caller's 101-byte debit
//! id, the balance effect in 32 bytes, and each kind of advisory's own fields in 80), a
//! `StripeRequest` 40 (it lends the plan, holds its attempt number, and builds the 256-byte
//! key only when its headers are asked for). Planning copies the plan once. `tests/suite/autotrait.rs` pins these
//! sizes.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};

/// At most `N` (and at most 255) ASCII bytes, stored inline. The bytes past the length are
/// always zero (every string starts empty and only grows), so two strings are equal exactly
/// when their lengths and whole arrays are: a comparison of fixed size, without branches or
/// a call.
#[derive(Clone, Copy)]
pub(crate) struct InlineStr<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> InlineStr<N> {
    /// An empty string.
    pub(crate) const fn empty() -> Self {
        Self {
            len: 0,
            bytes: [0; N],
        }
    }

    /// Copies `text` in, or returns `None` when it is longer than `N` (or 255) bytes or is
    /// not ASCII. Callers check their own alphabet; ASCII is what makes `as_str` total.
    pub(crate) fn new(text: &str) -> Option<Self> {
        let mut out = Self::empty();
        out.push_str(text)?;
        Some(out)
    }

    /// `text` with ASCII letters uppercased, or `None` as for [`InlineStr::new`].
    pub(crate) fn ascii_uppercase(text: &str) -> Option<Self> {
        let mut out = Self::new(text)?;
        out.bytes.make_ascii_uppercase();
        Some(out)
    }

    /// Appends `text`, or returns `None` (leaving `self` unchanged) when it would not fit
    /// or is not ASCII.
    pub(crate) fn push_str(&mut self, text: &str) -> Option<()> {
        if !text.is_ascii() {
            return None;
        }
        self.push_ascii(text.as_bytes())
    }

    /// Appends another inline string (ASCII by construction, so not checked again), or
    /// returns `None` (leaving `self` unchanged) when it would not fit.
    pub(crate) fn push_inline<const M: usize>(&mut self, other: &InlineStr<M>) -> Option<()> {
        self.push_ascii(other.as_bytes())
    }

    /// Appends `n` in decimal, or returns `None` (leaving `self` unchanged) when it would
    /// not fit.
    pub(crate) fn push_i64(&mut self, n: i64) -> Option<()> {
        // 19 digits and a sign at most.
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        let mut rest = n.unsigned_abs();
        for slot in buf.iter_mut().rev() {
            // `rest % 10` is below 10, so the index is in range and the cast keeps it.
            *slot = *b"0123456789".get((rest % 10) as usize)?;
            rest /= 10;
            start = start.saturating_sub(1);
            if rest == 0 {
                break;
            }
        }
        if n < 0 {
            start = start.checked_sub(1)?;
            *buf.get_mut(start)? = b'-';
        }
        self.push_ascii(buf.get(start..)?)
    }

    /// Appends bytes that are ASCII, or returns `None` (leaving `self` unchanged) when they
    /// would not fit.
    fn push_ascii(&mut self, bytes: &[u8]) -> Option<()> {
        let start = usize::from(self.len);
        let end = start.checked_add(bytes.len())?;
        let len = u8::try_from(end).ok()?;
        self.bytes.get_mut(start..end)?.copy_from_slice(bytes);
        self.len = len;
        Some(())
    }

    /// The stored text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever stored, so this never fails; the fallback keeps it total.
        let text = core::str::from_utf8(self.as_bytes());
        debug_assert!(text.is_ok(), "only ASCII is stored");
        text.unwrap_or("")
    }

    /// The stored bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        let bytes = self.bytes.get(..usize::from(self.len));
        debug_assert!(bytes.is_some(), "the length never passes the capacity");
        bytes.unwrap_or(&[])
    }
}

impl<const N: usize> PartialEq for InlineStr<N> {
    fn eq(&self, other: &Self) -> bool {
        // Every byte's difference, or-ed together: the compiler turns it into a few vector
        // operations, where `==` on the arrays calls `memcmp`.
        let differ = self
            .bytes
            .iter()
            .zip(&other.bytes)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        let equal = self.len == other.len && differ == 0;
        debug_assert_eq!(equal, self.as_bytes() == other.as_bytes());
        equal
    }
}

impl<const N: usize> Eq for InlineStr<N> {}

impl<const N: usize> PartialOrd for InlineStr<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<const N: usize> Ord for InlineStr<N> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl<const N: usize> Hash for InlineStr<N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl<const N: usize> fmt::Display for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::InlineStr;

    #[test]
    fn stores_up_to_capacity_and_no_more() {
        assert_eq!(InlineStr::<4>::new("abcd").map(|s| s.len), Some(4));
        assert!(InlineStr::<4>::new("abcde").is_none());
        assert!(InlineStr::<8>::new("é").is_none());
        let mut s = InlineStr::<5>::new("ab").unwrap_or_else(InlineStr::empty);
        assert_eq!(s.push_str("cdef"), None);
        assert_eq!(s.as_str(), "ab");
        assert_eq!(s.push_str("cde"), Some(()));
        assert_eq!(s.as_str(), "abcde");
        let upper = InlineStr::<3>::ascii_uppercase("uSd").unwrap_or_else(InlineStr::empty);
        assert_eq!(upper.as_str(), "USD");
    }

    #[test]
    fn writes_integers_in_decimal() {
        for n in [0, 7, -7, 10, 1_234_567, i64::MAX, i64::MIN] {
            let mut s = InlineStr::<20>::empty();
            assert_eq!(s.push_i64(n), Some(()));
            assert_eq!(s.as_str(), n.to_string());
        }
        let mut small = InlineStr::<2>::empty();
        assert_eq!(small.push_i64(123), None);
        assert_eq!(small.push_i64(-12), None);
        assert_eq!(
            small.as_str(),
            "",
            "a failed push leaves the string unchanged"
        );
        assert_eq!(small.push_i64(-1), Some(()));
        assert_eq!(small.as_str(), "-1");
    }

    #[test]
    fn bytes_past_the_end_stay_zero_so_equality_is_by_text() {
        let mut a = InlineStr::<8>::new("ab").unwrap_or_else(InlineStr::empty);
        let b = InlineStr::<8>::ascii_uppercase("AB").unwrap_or_else(InlineStr::empty);
        assert_eq!(a.bytes[2..], [0; 6]);
        assert_eq!(b.bytes[2..], [0; 6]);
        assert_ne!(a, b);
        assert_eq!(a.push_str("cdefghi"), None);
        assert_eq!(a.bytes[2..], [0; 6], "a failed push writes nothing");
        assert_eq!(a.push_i64(-5), Some(()));
        assert_eq!(a.bytes[4..], [0; 4]);
        assert_eq!(
            a,
            InlineStr::<8>::new("ab-5").unwrap_or_else(InlineStr::empty)
        );
        assert_ne!(
            a,
            InlineStr::<8>::new("ab-").unwrap_or_else(InlineStr::empty)
        );
    }
}
