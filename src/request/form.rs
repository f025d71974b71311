//! `application/x-www-form-urlencoded` bodies, as Stripe's API takes them.
//!
//! Most values a request sends are clean by their type (ids are letters, digits and `_`;
//! amounts digits and `-`; codes letters), so they are written without encoding them;
//! [`is_clean`] is what debug builds check that with. The caller's ids (a debit id, a
//! reversal id: printable ASCII) may hold any of `&=%+[]/...`, and go through
//! [`write_encoded`].

use core::fmt;

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

/// Whether `b` is an unreserved character, which a form carries as it is.
fn unreserved(b: u8) -> bool {
    // 256 entries: every byte has one, so the fallback is never taken.
    UNRESERVED.get(usize::from(b)).copied().unwrap_or(false)
}

/// Whether `value` is all unreserved characters, which a form carries as they are.
pub(crate) fn is_clean(value: &[u8]) -> bool {
    value.iter().all(|b| unreserved(*b))
}

/// Writes `value` percent-encoded (RFC 3986: every byte but the unreserved ones as `%XX`,
/// uppercase hex), which an `application/x-www-form-urlencoded` body accepts for any byte.
pub(crate) fn write_encoded<W: fmt::Write>(out: &mut W, value: &str) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut rest = value;
    while let Some(at) = rest.bytes().position(|b| !unreserved(b)) {
        let (clean, tail) = rest.split_at(at);
        out.write_str(clean)?;
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                let high = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                let low = HEX.get(usize::from(b & 0xF)).copied().unwrap_or(b'0');
                out.write_char('%')?;
                out.write_char(char::from(high))?;
                out.write_char(char::from(low))?;
            }
        }
        rest = chars.as_str();
    }
    out.write_str(rest)
}

#[cfg(test)]
mod tests {
    use super::{is_clean, write_encoded};

    #[test]
    fn encodes_every_reserved_byte_and_nothing_else() {
        let encode = |text: &str| {
            let mut out = String::new();
            write_encoded(&mut out, text).unwrap();
            out
        };
        assert_eq!(encode("recovery-42"), "recovery-42");
        assert_eq!(encode("a&b=c%d+e[f]/g"), "a%26b%3Dc%25d%2Be%5Bf%5D%2Fg");
        assert_eq!(encode("~é\n"), "~%C3%A9%0A");
        assert_eq!(encode(" "), "%20");
        assert_eq!(encode("\u{7f}"), "%7F");
        assert_eq!(encode(""), "");
    }

    #[test]
    fn unreserved_characters_are_clean_and_nothing_else() {
        assert!(is_clean(b"acct_1Ab-9.~"));
        assert!(is_clean(b""));
        for reserved in ["a[b]", " ", "/", "%", "&", "=", "+", "\u{7f}", "é", "\n"] {
            assert!(!is_clean(reserved.as_bytes()), "{reserved:?}");
        }
        let clean = (0..=255u8).filter(|b| is_clean(&[*b])).count();
        assert_eq!(clean, 26 + 26 + 10 + 4);
    }
}
