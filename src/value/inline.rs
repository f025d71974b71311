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

    /// Copies `text` in when every byte of it is one that `accepts` accepts, or returns
    /// `None` (as for [`InlineStr::new`], too long or not ASCII, or a byte not accepted).
    /// `accepts` is asked about eight bytes at a time, as a little-endian word, and
    /// answers with the top bit of each byte it accepts set (see [`id_bytes`] and
    /// [`graphic_bytes`]); a byte that is not ASCII is refused whatever it says, and the
    /// bytes past the text are not asked about. Costs a fraction of checking the text a
    /// byte at a time and then copying it.
    #[inline]
    pub(crate) fn new_checked(text: &str, accepts: impl Fn(u64) -> u64) -> Option<Self> {
        let len = u8::try_from(text.len()).ok()?;
        let mut out = Self::empty();
        out.bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        out.len = len;
        let mut left = text.len();
        let mut chunks = out.bytes.chunks_exact(8);
        for chunk in &mut chunks {
            if left == 0 {
                return Some(out);
            }
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
            if refused(word, left, &accepts) {
                return None;
            }
            left = left.saturating_sub(8);
        }
        // The last bytes of a capacity that is not a multiple of 8, zero-padded.
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last.get_mut(..rest.len())?.copy_from_slice(rest);
        if left > 0 && refused(u64::from_le_bytes(last), left, &accepts) {
            return None;
        }
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

/// A byte of ones in each of a word's eight bytes.
const ONES: u64 = u64::MAX / 255;
/// The top bit of each byte.
const TOPS: u64 = ONES.wrapping_mul(0x80);

/// Whether one of the first `left` bytes of `word` (all of them from 8 on) is not ASCII or
/// not accepted by `accepts`.
#[inline]
fn refused(word: u64, left: usize, accepts: &impl Fn(u64) -> u64) -> bool {
    let bits = u32::try_from(left.min(8)).unwrap_or(8).saturating_mul(8);
    // The low `bits` bits: the bytes of the text.
    let shown = u64::MAX
        .checked_shr(64u32.saturating_sub(bits))
        .unwrap_or(0);
    let accepted = accepts(word) & !word & TOPS;
    !accepted & TOPS & shown != 0
}

/// The top bit of each byte of `word` that is in `low..=high`, for bytes below 0x80 (the
/// others' answers are not used): the sum of a 7-bit byte and at most 0x80 never carries
/// into the next byte.
#[inline]
fn in_range(word: u64, low: u8, high: u8) -> u64 {
    let seven = word & !TOPS;
    let at_least = seven.wrapping_add(ONES.wrapping_mul(u64::from(0x80u8.saturating_sub(low))));
    let above = seven.wrapping_add(ONES.wrapping_mul(u64::from(0x7fu8.saturating_sub(high))));
    at_least & !above & TOPS
}

/// For [`InlineStr::new_checked`]: the bytes of `word` that are ASCII letters, digits or
/// `_`, the bytes of a Stripe id.
#[inline]
pub(crate) fn id_bytes(word: u64) -> u64 {
    // A letter of either case, with its 0x20 bit set, is a lowercase letter; no other
    // byte becomes one.
    let letter = in_range(word | ONES.wrapping_mul(0x20), b'a', b'z');
    let digit = in_range(word, b'0', b'9');
    let underscore = in_range(word, b'_', b'_');
    letter | digit | underscore
}

/// For [`InlineStr::new_checked`]: the bytes of `word` from `!` to `~`, printable ASCII
/// without the space.
#[inline]
pub(crate) fn graphic_bytes(word: u64) -> u64 {
    in_range(word, b'!', b'~')
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
    use super::{InlineStr, graphic_bytes, id_bytes};

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

    /// Each byte, at each place in a word, is accepted exactly when the byte-at-a-time
    /// checks accept it; every text of bytes is copied when they all are.
    #[test]
    fn the_word_checks_answer_as_the_byte_checks() {
        /// A word check and the byte check it must answer as.
        type Check = (fn(u64) -> u64, fn(u8) -> bool);
        let checks: [Check; 2] = [
            (id_bytes, |b| b.is_ascii_alphanumeric() || b == b'_'),
            (graphic_bytes, |b| b.is_ascii_graphic()),
        ];
        for (words, bytes) in checks {
            for byte in 0..=255u8 {
                for place in 0..8 {
                    // The other bytes: accepted ones, and ones that are not.
                    for filler in [b'a', b'~', 0, 0xff, b'_', b'0'] {
                        let mut word = [filler; 8];
                        word[place] = byte;
                        let top = (words(u64::from_le_bytes(word)) >> (place * 8 + 7)) & 1;
                        // A byte past 0x7f is refused by `new_checked` whatever the answer.
                        if byte < 0x80 {
                            assert_eq!(top == 1, bytes(byte), "{byte:#x} at {place}");
                        }
                    }
                }
                let text: String = (0..70)
                    .map(|i| if i % 9 == 4 { byte } else { b'a' } as char)
                    .collect();
                for len in 0..=text.len() {
                    let Some(text) = text.get(..len) else {
                        continue;
                    };
                    let want = text.bytes().all(bytes) && len <= 64;
                    let got = InlineStr::<64>::new_checked(text, words);
                    assert_eq!(got.is_some(), want, "{text:?}");
                    let odd = InlineStr::<13>::new_checked(text, words);
                    assert_eq!(odd.is_some(), want && len <= 13, "{text:?}");
                    if let Some(got) = got {
                        assert_eq!(got.as_str(), text);
                        assert!(got == InlineStr::<64>::new(text).unwrap());
                    }
                }
            }
        }
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
