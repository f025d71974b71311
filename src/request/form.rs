//! `application/x-www-form-urlencoded` bodies, as Stripe's API takes them.
//!
//! Every value a request sends today is clean by its type (ids are letters, digits and `_`;
//! amounts digits and `-`; codes letters), so bodies are written without encoding them;
//! [`is_clean`] is what debug builds check that with. A field of free text would be
//! percent-encoded here.

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

/// Whether `value` is all unreserved characters, which a form carries as they are.
pub(crate) fn is_clean(value: &[u8]) -> bool {
    // 256 entries: every byte has one.
    value
        .iter()
        .all(|b| UNRESERVED.get(usize::from(*b)).copied().unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::is_clean;

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
