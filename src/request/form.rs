//! `application/x-www-form-urlencoded` bodies, as Stripe's API takes them.

use core::fmt;

/// The longest body [`Body`] holds. A transfer's values need no encoding and are at most
/// 20 (amount) + 3 (currency) + 64 + 64 (ids) + 6 (reference type) = 157 bytes; its names,
/// with `=` and `&`, 98. A test plans the longest transfer there can be.
pub(crate) const MAX_BODY_LEN: usize = 288;

/// A body built in a buffer on the stack, so that it is checked as UTF-8 once and written
/// out in one call, whatever the writer.
pub(crate) struct Body {
    bytes: [u8; MAX_BODY_LEN],
    len: usize,
}

impl Body {
    pub(crate) fn new() -> Body {
        Body {
            bytes: [0; MAX_BODY_LEN],
            len: 0,
        }
    }

    /// Appends `raw` as it is (a field name already encoded, `=`, `&`), or `None` when it
    /// does not fit.
    pub(crate) fn push_raw(&mut self, raw: &[u8]) -> Option<()> {
        let end = self.len.checked_add(raw.len())?;
        self.bytes.get_mut(self.len..end)?.copy_from_slice(raw);
        self.len = end;
        Some(())
    }

    /// Appends `value`, whose type guarantees it needs no encoding (ids are letters,
    /// digits and `_`; amounts are digits and `-`; codes are letters), or `None` when it
    /// does not fit. Debug builds check the guarantee.
    pub(crate) fn push_clean(&mut self, value: &[u8]) -> Option<()> {
        debug_assert!(
            value.iter().all(|b| unreserved(*b)),
            "{value:?} needs percent-encoding"
        );
        self.push_raw(value)
    }

    /// Appends `value` percent-encoded, or `None` when it does not fit.
    #[cfg_attr(not(test), allow(dead_code))] // For free text, which no request sends yet.
    pub(crate) fn push_encoded(&mut self, value: &[u8]) -> Option<()> {
        if value.iter().all(|b| unreserved(*b)) {
            return self.push_raw(value);
        }
        for b in value {
            if unreserved(*b) {
                self.push_raw(&[*b])?;
            } else {
                self.push_raw(&[b'%', hex_digit(b >> 4), hex_digit(b & 0x0f)])?;
            }
        }
        Some(())
    }

    /// The body, when it is text (it always is: only ASCII is pushed, and values are
    /// the bytes of `str`s encoded to ASCII).
    pub(crate) fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(self.bytes.get(..self.len)?).ok()
    }
}

/// Whether each byte is an unreserved character of RFC 3986, written as it is: one load
/// per byte instead of a chain of comparisons.
// Evaluated at compile time: an index out of range or an overflow fails the build, it
// cannot panic at run time.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~');
        b += 1;
    }
    table
};

/// Whether `b` is an unreserved character of RFC 3986.
fn unreserved(b: u8) -> bool {
    // 256 entries: every byte has one.
    UNRESERVED.get(usize::from(b)).copied().unwrap_or(false)
}

/// Writes `text` percent-encoded: runs of unreserved characters in one piece, every other
/// byte as `%XY`. Ids, codes and digits are all unreserved, so most values are one write.
pub(crate) fn percent_encode<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    let mut clean_from = 0;
    for (i, b) in text.bytes().enumerate() {
        if unreserved(b) {
            continue;
        }
        // A clean run starts after a reserved byte and ends before one, so it is empty or
        // lies between character boundaries (every byte of a non-ASCII character is
        // reserved, and encoded, one by one).
        if clean_from < i {
            let run = text.get(clean_from..i);
            debug_assert!(run.is_some(), "a clean run is whole characters");
            out.write_str(run.unwrap_or(""))?;
        }
        out.write_char('%')?;
        out.write_char(char::from(hex_digit(b >> 4)))?;
        out.write_char(char::from(hex_digit(b & 0x0f)))?;
        clean_from = i.saturating_add(1);
    }
    let rest = text.get(clean_from..);
    debug_assert!(rest.is_some(), "the last clean run is whole characters");
    out.write_str(rest.unwrap_or(""))
}

/// The uppercase hex digit of `n` (below 16), as an ASCII byte.
fn hex_digit(n: u8) -> u8 {
    let digit = b"0123456789ABCDEF".get(usize::from(n)).copied();
    debug_assert!(digit.is_some(), "{n} is below 16");
    digit.unwrap_or(b'0')
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    fn encoded(text: &str) -> String {
        let mut out = String::new();
        percent_encode(text, &mut out).unwrap();
        out
    }

    #[test]
    fn a_body_encodes_as_the_streaming_encoder_does() {
        for text in ["acct_1Ab-9.~", "a[b] c", "[]", "é/", "", "\u{7f}\n"] {
            let mut body = super::Body::new();
            body.push_raw(b"k=").unwrap();
            body.push_encoded(text.as_bytes()).unwrap();
            assert_eq!(body.as_str().unwrap(), format!("k={}", encoded(text)));
        }
        let mut full = super::Body::new();
        assert_eq!(full.push_raw(&[b'a'; super::MAX_BODY_LEN]), Some(()));
        assert_eq!(full.push_raw(b"b"), None, "a full body takes nothing more");
        assert_eq!(full.push_encoded(b"["), None);
    }

    #[test]
    fn encodes_every_reserved_byte_and_nothing_else() {
        assert_eq!(encoded("acct_1Ab-9.~"), "acct_1Ab-9.~");
        assert_eq!(encoded("a[b] c"), "a%5Bb%5D%20c");
        assert_eq!(encoded("[]"), "%5B%5D");
        assert_eq!(encoded("é/"), "%C3%A9%2F");
        assert_eq!(encoded(""), "");
        assert_eq!(encoded("\u{7f}\n"), "%7F%0A");
    }
}
