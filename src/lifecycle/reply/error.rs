//! Stripe's error object, `{"error": {"type", "code", "param", "message", ...}}`, read
//! typed (Stripe's API reference, "Errors").

use std::borrow::Cow;

use serde::Deserialize;

/// The error object of a failed reply, as Stripe sent it: each part is `None` when absent
/// (or when the body is not Stripe's error object at all). The texts are Stripe's, kept
/// whole; [`core::fmt::Display`] quotes them escaped and cut short, safe to log.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::StripeError;
///
/// let error = StripeError::from_body(br#"{"error": {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}"#);
/// assert_eq!(error.kind(), Some("idempotency_error"));
/// assert!(error.is_idempotency_error());
/// assert_eq!(StripeError::from_body(b"<html>").kind(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StripeError {
    kind: Option<String>,
    code: Option<String>,
    param: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    error: Object<'a>,
}

#[derive(Deserialize)]
struct Object<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    param: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    message: Option<Cow<'a, str>>,
}

/// The error `type` of a key reused with other parameters (Stripe's API reference,
/// "Errors": `idempotency_error`).
const IDEMPOTENCY_ERROR: &str = "idempotency_error";

impl StripeError {
    /// The error object in `body`, or an empty one when `body` is not Stripe's error JSON.
    pub fn from_body(body: &[u8]) -> StripeError {
        // An object only (serde's derive would also read an array by position).
        let object = super::transfer::starts_as_object(body);
        let Some(Ok(Body { error })) = object.then(|| serde_json::from_slice::<Body<'_>>(body))
        else {
            return StripeError::default();
        };
        StripeError {
            kind: error.kind.map(Cow::into_owned),
            code: error.code.map(Cow::into_owned),
            param: error.param.map(Cow::into_owned),
            message: error.message.map(Cow::into_owned),
        }
    }

    /// The error's `type` (`invalid_request_error`, `idempotency_error`, `api_error`, ...).
    pub fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }

    /// The error's `code` (`idempotency_key_in_use`, `rate_limit`, ...).
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
        self.kind() == Some(IDEMPOTENCY_ERROR)
    }
}

impl core::fmt::Display for StripeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let quoted =
            |part: Option<&str>| part.map_or_else(|| "-".to_owned(), crate::value::text::quoted);
        write!(
            f,
            "type {}, code {}, param {}: {}",
            quoted(self.kind()),
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
        assert_eq!(error.kind(), Some("invalid_request_error"));
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
}
