//! Untrusted text in error messages: escaped and cut short, so that a message is safe to
//! log whatever the input held.

/// The most characters of untrusted text an error message quotes.
pub(crate) const MAX_QUOTED_CHARS: usize = 32;

/// `text` as an error message quotes it: control characters, quotes, backslashes and
/// invisible format characters escaped as Rust writes them (`\n`, `\u{1b}`, `\u{202e}`),
/// and cut after 32 characters of the input, with `...` when cut. No
/// newline or terminal escape can reach a log line, and a 30 MB input makes a short
/// message.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::quoted;
///
/// assert_eq!(quoted("a\nb\u{1b}[2J"), r"a\nb\u{1b}[2J");
/// assert_eq!(quoted(&"x".repeat(40)), format!("{}...", "x".repeat(32)));
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(MAX_QUOTED_CHARS) {
        out.extend(c.escape_debug());
    }
    if chars.next().is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{MAX_QUOTED_CHARS, quoted};

    #[test]
    fn escapes_and_cuts() {
        assert_eq!(quoted("usd"), "usd");
        assert_eq!(quoted("a\nb\u{1b}[2J\"\\"), r#"a\nb\u{1b}[2J\"\\"#);
        assert_eq!(quoted("é\u{202e}"), "é\\u{202e}");
        let exact = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(quoted(&exact), exact);
        assert_eq!(quoted(&format!("{exact}y")), format!("{exact}..."));
        assert_eq!(quoted(""), "");
    }
}
