//! The reply headers the decision reads, by name in any case (HTTP header names are
//! case-insensitive: RFC 9110, section 5.1).

/// `Stripe-Should-Retry`: `true` or `false` decides whether to retry when present
/// (stripe-python `_should_retry`, stripe-node `_shouldRetry`).
pub(crate) const SHOULD_RETRY: &str = "Stripe-Should-Retry";
/// `Idempotent-Replayed: true`: the reply is the saved result of an earlier send with the
/// same key (Stripe's API reference, "Idempotent requests").
pub(crate) const REPLAYED: &str = "Idempotent-Replayed";
/// `Request-Id`: Stripe's id of the request, for its support (Stripe's API reference,
/// "Request IDs").
pub(crate) const REQUEST_ID: &str = "Request-Id";
/// `Retry-After`: whole seconds to wait (RFC 9110, section 10.2.3), honoured and capped at
/// 60 ([`MAX_RETRY_AFTER_SECONDS`](crate::lifecycle::MAX_RETRY_AFTER_SECONDS)). stripe-python
/// (`_retry_after_header`, an integer) and stripe-node read it until both removed it on
/// 2026-07-08 (15.3.1 and 22.3.1); stripe-go never read it.
pub(crate) const RETRY_AFTER: &str = "Retry-After";

/// The value of the first header named `name`, whatever its case.
pub(crate) fn find<'h>(headers: &[(&str, &'h str)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| *value)
}

/// A header that is `true` or `false` (surrounding blanks ignored); anything else, or no
/// such header, is `None`, as the clients compare to exactly these words.
pub(crate) fn flag(headers: &[(&str, &str)], name: &str) -> Option<bool> {
    match find(headers, name).map(str::trim) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// `Retry-After` as whole seconds, when it is digits (an HTTP date, also allowed by RFC
/// 9110, is ignored, as stripe-python and stripe-node ignored it while they read the
/// header: reading it would need a clock).
pub(crate) fn retry_after(headers: &[(&str, &str)]) -> Option<u64> {
    let value = find(headers, RETRY_AFTER)?.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Digits too many for a u64 are far more than the cap: the longest wait, capped later.
    Some(value.parse().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::{find, flag, retry_after};

    #[test]
    fn names_match_in_any_case_and_values_exactly() {
        let headers = [("stripe-should-retry", " true "), ("REQUEST-ID", "req_1")];
        assert_eq!(flag(&headers, "Stripe-Should-Retry"), Some(true));
        assert_eq!(find(&headers, "Request-Id"), Some("req_1"));
        assert_eq!(find(&headers, "Request-Idx"), None);
        assert_eq!(
            flag(&[("Stripe-Should-Retry", "false")], "stripe-should-retry"),
            Some(false)
        );
        assert_eq!(
            flag(&[("Stripe-Should-Retry", "True")], "stripe-should-retry"),
            None
        );
        assert_eq!(flag(&[], "stripe-should-retry"), None);
    }

    #[test]
    fn retry_after_is_whole_seconds() {
        assert_eq!(retry_after(&[("retry-after", "7")]), Some(7));
        assert_eq!(retry_after(&[("Retry-After", " 0 ")]), Some(0));
        assert_eq!(
            retry_after(&[("Retry-After", "99999999999999999999999")]),
            Some(u64::MAX)
        );
        for bad in ["", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert_eq!(retry_after(&[("Retry-After", bad)]), None, "{bad:?}");
        }
    }
}
