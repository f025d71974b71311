//! `application/x-www-form-urlencoded` bodies, as Stripe's API takes them.

use core::fmt;

/// Whether `b` is an unreserved character of RFC 3986, written as it is.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Writes `text` percent-encoded: runs of unreserved characters in one piece, every other
/// byte as `%XY`. Ids, codes and digits are all unreserved, so most values are one write.
pub(crate) fn percent_encode<W: fmt::Write>(text: &str, out: &mut W) -> fmt::Result {
    let mut clean_from = 0;
    for (i, b) in text.bytes().enumerate() {
        if unreserved(b) {
            continue;
        }
        // `i` is at a character boundary: a reserved byte is ASCII or starts a character
        // (continuation bytes of a character are checked, and encoded, one by one).
        out.write_str(text.get(clean_from..i).unwrap_or(""))?;
        out.write_char('%')?;
        out.write_char(hex_digit(b >> 4))?;
        out.write_char(hex_digit(b & 0x0f))?;
        clean_from = i.saturating_add(1);
    }
    out.write_str(text.get(clean_from..).unwrap_or(""))
}

/// The uppercase hex digit of `n` (below 16).
fn hex_digit(n: u8) -> char {
    let digit = char::from_digit(u32::from(n), 16);
    debug_assert!(digit.is_some(), "{n} is below 16");
    digit.unwrap_or('0').to_ascii_uppercase()
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
    fn encodes_every_reserved_byte_and_nothing_else() {
        assert_eq!(encoded("acct_1Ab-9.~"), "acct_1Ab-9.~");
        assert_eq!(encoded("a[b] c"), "a%5Bb%5D%20c");
        assert_eq!(encoded("[]"), "%5B%5D");
        assert_eq!(encoded("é/"), "%C3%A9%2F");
        assert_eq!(encoded(""), "");
        assert_eq!(encoded("\u{7f}\n"), "%7F%0A");
    }
}
