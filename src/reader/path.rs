//! Where a value is in the document, kept as a chain of borrowed segments on the stack while
//! reading, and written out only when an error names it.

use core::fmt;

use crate::value::text::quoted;

/// A JSON path: the root, a key of an object or an index of an array.
///
/// It prints as `connected_account.external_accounts.data[2].currency`; a key from the
/// input is quoted escaped and cut short (see [`quoted`]), so a path is safe to log. A key
/// that is not a plain name (letters, digits, `_`, `-`) prints in brackets and quotes,
/// `metadata["order.id"]`, so that no key can pass for a path of several.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Path<'a> {
    /// The document itself: prints as the empty string.
    Root,
    /// A key of the object at the parent path.
    Key(&'a Path<'a>, &'a str),
    /// An index of the array at the parent path.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of `key` in the object at this path.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of `index` in the array at this path.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(parent, key) => {
                write!(f, "{parent}")?;
                write_key(f, key, matches!(parent, Path::Root))
            }
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Writes `key` as the next segment of a path (`first`: the path's first segment, with
/// no `.` before it): `.name` for a plain name, `["..."]` quoted escaped and cut short for
/// any other key. Every path this crate and its bindings print names keys this way.
///
/// # Errors
///
/// Whatever `out` returns.
pub fn write_key(out: &mut dyn fmt::Write, key: &str, first: bool) -> fmt::Result {
    if !is_plain(key) {
        return write!(out, "[\"{}\"]", quoted(key));
    }
    if !first {
        out.write_char('.')?;
    }
    out.write_str(key)
}

/// Whether `key` prints bare in a path: a name of letters, digits, `_` and `-`, at most as
/// long as [`quoted`] keeps.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= crate::value::text::MAX_QUOTED_CHARS
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn prints_keys_and_indexes() {
        let root = Path::Root;
        assert_eq!(root.to_string(), "");
        let list = root.key("available");
        let entry = list.index(2);
        assert_eq!(entry.key("currency").to_string(), "available[2].currency");
        assert_eq!(root.index(0).to_string(), "[0]");
        assert_eq!(root.key("a\nb").key("c").to_string(), "[\"a\\nb\"].c");
        // A key that looks like a path of several is told apart from one.
        assert_eq!(root.key("debit.amount").to_string(), "[\"debit.amount\"]");
        let debit = root.key("debit");
        assert_eq!(debit.key("amount").to_string(), "debit.amount");
        assert_eq!(debit.key("a[0]").to_string(), "debit[\"a[0]\"]");
        assert_eq!(debit.key("").to_string(), "debit[\"\"]");
        assert_eq!(debit.key("Request-Id").to_string(), "debit.Request-Id");
        let long = "x".repeat(40);
        assert_eq!(
            debit.key(&long).to_string(),
            format!("debit[\"{}...\"]", "x".repeat(32))
        );
    }
}
