//! A path-tracking view of a JSON value: every error it makes names the path at fault.

use core::fmt;

use iso_currency::Currency;
use serde_json::{Map, Value};

use super::ScenarioError;
use super::error::ScenarioErrorKind as Kind;
use crate::value::currency;

/// A value (or its absence) with its path, for errors that say where they are.
pub(crate) struct Node<'a> {
    value: Option<&'a Value>,
    path: String,
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value) -> Node<'a> {
        Node {
            value: Some(value),
            path: String::new(),
        }
    }

    /// A value here that is not valid.
    pub(crate) fn error(&self, message: impl fmt::Display) -> ScenarioError {
        ScenarioError::at(Kind::Invalid, &self.path, message)
    }

    /// A value here of the wrong JSON type: says what was expected and what was found.
    fn type_error(&self, expected: &str) -> ScenarioError {
        let found = self.kind();
        ScenarioError::at(
            Kind::WrongType,
            &self.path,
            format_args!("expected {expected}, found {found}"),
        )
    }

    pub(crate) fn field(&self, key: &str) -> Node<'a> {
        let path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        };
        Node {
            value: self.value.and_then(|v| v.get(key)),
            path,
        }
    }

    pub(crate) fn object(&self) -> Result<&'a Map<String, Value>, ScenarioError> {
        match self.value {
            Some(Value::Object(map)) => Ok(map),
            _ => Err(self.type_error("a JSON object")),
        }
    }

    /// The value, treating `null` as absent.
    pub(crate) fn optional(&self) -> Option<Node<'a>> {
        match self.value {
            None | Some(Value::Null) => None,
            Some(v) => Some(Node {
                value: Some(v),
                path: self.path.clone(),
            }),
        }
    }

    pub(crate) fn required(&self) -> Result<Node<'a>, ScenarioError> {
        self.optional()
            .ok_or_else(|| ScenarioError::at(Kind::Missing, &self.path, "missing"))
    }

    /// The value as an object, when it is there at all: an optional object of the wrong
    /// type is an error, never read as absent.
    pub(crate) fn optional_object(&self) -> Result<Option<Node<'a>>, ScenarioError> {
        let node = self.optional();
        if let Some(node) = &node {
            node.object()?;
        }
        Ok(node)
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self.value {
            None => "nothing",
            Some(Value::Null) => "null",
            Some(Value::Bool(_)) => "a boolean",
            Some(Value::Number(n)) if integer(n).is_some() => "an integer",
            Some(Value::Number(_)) => "a number that is not a 64-bit integer",
            Some(Value::String(_)) => "a string",
            Some(Value::Array(_)) => "an array",
            Some(Value::Object(_)) => "an object",
        }
    }

    pub(crate) fn str(&self) -> Result<&'a str, ScenarioError> {
        match self.value {
            Some(Value::String(s)) => Ok(s),
            _ => Err(self.type_error("a string")),
        }
    }

    /// A boolean, when it is there at all.
    pub(crate) fn optional_bool(&self) -> Result<Option<bool>, ScenarioError> {
        match self.optional().map(|n| n.value) {
            None => Ok(None),
            Some(Some(Value::Bool(flag))) => Ok(Some(*flag)),
            Some(_) => Err(self.type_error("a boolean")),
        }
    }

    pub(crate) fn optional_str(&self) -> Result<Option<&'a str>, ScenarioError> {
        self.optional().map(|n| n.str()).transpose()
    }

    pub(crate) fn i64(&self) -> Result<i64, ScenarioError> {
        match self.value.and_then(Value::as_number).and_then(integer) {
            Some(n) => i64::try_from(n)
                .map_err(|_| self.error("expected a 64-bit integer, found one beyond its range")),
            None => Err(self.type_error("a 64-bit integer")),
        }
    }

    /// A Stripe wire amount: any JSON integer (one beyond `i64` is for the rules to judge).
    pub(crate) fn wire_amount(&self) -> Result<i128, ScenarioError> {
        self.value
            .and_then(Value::as_number)
            .and_then(integer)
            .ok_or_else(|| self.type_error("an integer amount in minor units"))
    }

    pub(crate) fn array(&self) -> Result<Vec<Node<'a>>, ScenarioError> {
        match self.value {
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Node {
                    value: Some(v),
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            _ => Err(self.type_error("an array")),
        }
    }

    pub(crate) fn parse<T: core::str::FromStr>(&self) -> Result<T, ScenarioError>
    where
        T::Err: fmt::Display,
    {
        self.str()?.parse().map_err(|e| self.error(e))
    }

    pub(crate) fn currency(&self) -> Result<Currency, ScenarioError> {
        currency::parse_currency(self.str()?).map_err(|e| self.error(e))
    }

    /// Any ISO 4217 currency, in either case, whether Stripe moves it or not: the rules
    /// judge that (`currency_unsupported`), as they do for an input built in Rust.
    pub(crate) fn iso_currency(&self) -> Result<Currency, ScenarioError> {
        let code = self.str()?;
        match currency::parse_currency(code) {
            Ok(currency) => Ok(currency),
            Err(error) => error.currency().ok_or_else(|| self.error(error)),
        }
    }
}

/// A JSON number as an integer, when it is one that fits 64 bits (signed or not), read the
/// same whether or not some crate in the build enables `serde_json/arbitrary_precision`:
/// without it, `-0` and integers beyond 64 bits are floats; with it, they would be
/// integers. Here they are neither: a number that is not a 64-bit integer.
pub(crate) fn integer(n: &serde_json::Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        // `-0`, which only `arbitrary_precision` reads as an integer.
        if i == 0 && n.to_string().starts_with('-') {
            return None;
        }
        return Some(i128::from(i));
    }
    n.as_u64().map(i128::from)
}
