//! Stripe's error object, `{"error": {"type", "code", "param", "message", ...}}`, read by
//! the crate's one reader (Stripe's API reference, "Errors").

use crate::reader::{self, Field, Leaf, Path, ReadError, fields};

fields! {
    /// A failed reply's body: the error object under `error`.
    pub(crate) struct ErrorBodyDoc<'de> {
        unknown: skipped;
        "error" => error: Field<ErrorDoc<'de>>,
    }
}

fields! {
    /// Stripe's error object: the fields read.
    pub(crate) struct ErrorDoc<'de> {
        unknown: skipped;
        "type" => kind: Leaf<'de>,
        "code" => code: Leaf<'de>,
        "param" => param: Leaf<'de>,
        "message" => message: Leaf<'de>,
    }
}

/// The error object of a failed reply, as Stripe sent it: each part is `None` when absent
/// (or when the body is not Stripe's error object at all). The texts are Stripe's, kept
/// whole; [`core::fmt::Display`] quotes them escaped and cut short, safe to log.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::StripeError;
///
/// let error = StripeError::from_body(br#"{"error": {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}"#);
/// assert_eq!(error.error_type(), Some("idempotency_error"));
/// assert!(error.is_idempotency_error());
/// assert_eq!(StripeError::from_body(b"<html>").error_type(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StripeError {
    kind: Option<String>,
    code: Option<String>,
    param: Option<String>,
    message: Option<String>,
}

/// The error `type` of a key reused with other parameters (Stripe's API reference,
/// "Errors": `idempotency_error`).
const IDEMPOTENCY_ERROR: &str = "idempotency_error";

impl StripeError {
    /// The error object in `body`, or an empty one when `body` is not Stripe's error JSON
    /// (not JSON, not an object, no `error` object, a part that is not a string, a key
    /// given twice).
    pub fn from_body(body: &[u8]) -> StripeError {
        reader::read_slice::<Field<ErrorBodyDoc<'_>>>(body)
            .ok()
            .and_then(|doc| match doc {
                Field::Got(body) => Some(StripeError::of(&body)),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The error object of a body read, or an empty one when it is not Stripe's.
    pub(crate) fn of(body: &ErrorBodyDoc<'_>) -> StripeError {
        StripeError::try_of(body).unwrap_or_default()
    }

    fn try_of(body: &ErrorBodyDoc<'_>) -> Result<StripeError, ReadError> {
        let root = Path::Root;
        let error = body.error.required(&root)?;
        let part = |leaf: &Leaf<'_>| -> Result<Option<String>, ReadError> {
            Ok(leaf.optional_str(&root)?.map(str::to_owned))
        };
        Ok(StripeError {
            kind: part(&error.kind)?,
            code: part(&error.code)?,
            param: part(&error.param)?,
            message: part(&error.message)?,
        })
    }

    /// The error's `type` (`invalid_request_error`, `idempotency_error`, `api_error`, ...):
    /// Stripe's open set of strings, so not an enum of this crate's.
    pub fn error_type(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    /// The error's `code` (`idempotency_key_in_use`, `rate_limit`, ...): Stripe's own
    /// stable code, when it gives one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The parameter at fault.
    pub fn param(&self) -> Option<&str> {
        self.param.as_deref()
    }

    /// Stripe's message, for people.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Whether this is an `idempotency_error`: the key was used before with other
    /// parameters, which for this crate's keys means the same debit id (and attempt) was
    /// used for a different debit.
    pub fn is_idempotency_error(&self) -> bool {
        self.error_type() == Some(IDEMPOTENCY_ERROR)
    }
}

impl core::fmt::Display for StripeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let quoted =
            |part: Option<&str>| part.map_or_else(|| "-".to_owned(), crate::value::text::quoted);
        write!(
            f,
            "type {}, code {}, param {}: {}",
            quoted(self.error_type()),
            quoted(self.code()),
            quoted(self.param()),
            quoted(self.message())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::StripeError;

    #[test]
    fn reads_every_part_and_ignores_the_rest() {
        let error = StripeError::from_body(
            br#"{"error": {"type": "invalid_request_error", "code": "parameter_invalid_integer", "param": "amount", "message": "Invalid\ninteger", "doc_url": "x"}}"#,
        );
        assert_eq!(error.error_type(), Some("invalid_request_error"));
        assert_eq!(error.code(), Some("parameter_invalid_integer"));
        assert_eq!(error.param(), Some("amount"));
        assert_eq!(error.message(), Some("Invalid\ninteger"));
        assert!(!error.is_idempotency_error());
        assert_eq!(
            error.to_string(),
            "type invalid_request_error, code parameter_invalid_integer, param amount: Invalid\\ninteger"
        );
        assert_eq!(
            StripeError::from_body(b"{}").to_string(),
            "type -, code -, param -: -"
        );
    }

    #[test]
    fn anything_but_stripes_error_object_is_an_empty_error() {
        for body in [
            &b"<html>"[..],
            b"[]",
            br#"{"error": "x"}"#,
            br#"{"error": {"type": 5}}"#,
            br#"{"error": {"type": "api_error", "type": "card_error"}}"#,
            br#"{"error": {"type": "api_error"}, "error": {"type": "card_error"}}"#,
        ] {
            assert_eq!(
                StripeError::from_body(body),
                StripeError::default(),
                "{body:?}"
            );
        }
        assert_eq!(
            StripeError::from_body(br#"{"error": {"type": "api_error", "code": null}}"#)
                .error_type(),
            Some("api_error")
        );
    }
}
