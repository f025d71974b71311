//! The reply headers the decision reads, by name in any case (HTTP header names are
//! case-insensitive: RFC 9110, section 5.1).
//!
//! A header the crate reads that is given twice (in any case) with different values is
//! ambiguous: which one Stripe sent cannot be known (RFC 9110, section 5.3, allows a field
//! line to repeat only for list-valued fields, and none of these is one), so the reply is
//! not one to act on. The same header given twice with the same value is the one value.

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

/// The headers the crate reads, as the names are written here.
pub(crate) const READ: [&str; 4] = [SHOULD_RETRY, REPLAYED, REQUEST_ID, RETRY_AFTER];

/// The headers the crate reads, each found once (or only with one value).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Known<'h> {
    pub(crate) should_retry: Option<&'h str>,
    pub(crate) replayed: Option<&'h str>,
    pub(crate) request_id: Option<&'h str>,
    pub(crate) retry_after: Option<&'h str>,
}

/// A header the crate reads, given again with another value: its place in the list (the
/// second of the two) and its name as [`READ`] writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ambiguous {
    pub(crate) index: usize,
    pub(crate) name: &'static str,
}

/// The headers the crate reads among `headers`, in one pass; or the first that is given
/// twice with different values.
#[inline]
pub(crate) fn known<'h>(headers: &[(&str, &'h str)]) -> Result<Known<'h>, Ambiguous> {
    let mut known = Known::default();
    for (index, (name, value)) in headers.iter().enumerate() {
        let (slot, name) = match READ.iter().position(|read| name.eq_ignore_ascii_case(read)) {
            Some(0) => (&mut known.should_retry, SHOULD_RETRY),
            Some(1) => (&mut known.replayed, REPLAYED),
            Some(2) => (&mut known.request_id, REQUEST_ID),
            Some(_) => (&mut known.retry_after, RETRY_AFTER),
            None => continue,
        };
        match slot {
            None => *slot = Some(value),
            Some(first) if first == value => {}
            Some(_) => return Err(Ambiguous { index, name }),
        }
    }
    Ok(known)
}

/// The value of header `name`, whatever its case: `None` when it is absent, and when it is
/// given twice with different values.
pub(crate) fn find<'h>(headers: &[(&str, &'h str)], name: &str) -> Option<&'h str> {
    let mut values = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| *value);
    let first = values.next()?;
    values.all(|value| value == first).then_some(first)
}

/// A header that is `true` or `false` (surrounding blanks ignored); anything else, or no
/// such header, is `None`, as the clients compare to exactly these words.
pub(crate) fn flag(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// `Retry-After` as whole seconds, when it is digits (an HTTP date, also allowed by RFC
/// 9110, is ignored, as stripe-python and stripe-node ignored it while they read the
/// header: reading it would need a clock).
pub(crate) fn retry_after(value: Option<&str>) -> Option<u64> {
    let value = value?.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Digits too many for a u64 are far more than the cap: the longest wait, capped later.
    Some(value.parse().unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::{Ambiguous, REQUEST_ID, SHOULD_RETRY, find, flag, known, retry_after};

    #[test]
    fn names_match_in_any_case_and_values_exactly() {
        let headers = [("stripe-should-retry", " true "), ("REQUEST-ID", "req_1")];
        let read = known(&headers).unwrap();
        assert_eq!(flag(read.should_retry), Some(true));
        assert_eq!(read.request_id, Some("req_1"));
        assert_eq!(find(&headers, "Request-Id"), Some("req_1"));
        assert_eq!(find(&headers, "Request-Idx"), None);
        assert_eq!(flag(Some("false")), Some(false));
        assert_eq!(flag(Some("True")), None);
        assert_eq!(flag(None), None);
    }

    #[test]
    fn a_header_given_twice_with_different_values_is_ambiguous() {
        let headers = [
            ("Stripe-Should-Retry", "true"),
            ("X-Other", "a"),
            ("stripe-should-retry", "false"),
        ];
        assert_eq!(
            known(&headers),
            Err(Ambiguous {
                index: 2,
                name: SHOULD_RETRY
            })
        );
        assert_eq!(find(&headers, SHOULD_RETRY), None);
        // The same value twice is the one value; headers the crate does not read may repeat.
        let headers = [
            ("Request-Id", "req_1"),
            ("request-id", "req_1"),
            ("Set-Cookie", "a"),
            ("Set-Cookie", "b"),
        ];
        assert_eq!(known(&headers).unwrap().request_id, Some("req_1"));
        assert_eq!(find(&headers, REQUEST_ID), Some("req_1"));
        assert_eq!(find(&headers, "set-cookie"), None);
    }

    #[test]
    fn retry_after_is_whole_seconds() {
        assert_eq!(retry_after(Some("7")), Some(7));
        assert_eq!(retry_after(Some(" 0 ")), Some(0));
        assert_eq!(retry_after(Some("99999999999999999999999")), Some(u64::MAX));
        for bad in ["", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert_eq!(retry_after(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(retry_after(None), None);
    }
}
