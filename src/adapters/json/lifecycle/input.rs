//! Reading the lifecycle commands' inputs: a JSON object with a nested `"scenario"` (read
//! as `plan` reads one, in one place: [`scenario`]) and the command's own fields, each
//! error naming its JSON path.

use iso_currency::Currency;
use serde_json::Value;

use crate::adapters::json::ScenarioError;
use crate::adapters::json::error::ScenarioErrorKind as Kind;
use crate::adapters::json::scenario::balance_from_value;
use crate::adapters::json::scenario_from_value;
use crate::debit::input::DebitInput;
use crate::lifecycle::{TransferError, TransferRecord};
use crate::stripe::balance::Balance;
use crate::value::text::quoted;

/// The document, parsed, when it is a JSON object.
pub(super) fn document(text: &str) -> Result<Value, ScenarioError> {
    // A key given twice is refused, naming its path, as in a scenario: a `Value` would keep
    // the last one silently. (One walk of the text that builds nothing, then the parse.)
    crate::adapters::json::read::read_text::<crate::adapters::json::read::Leaf<'_>>(text)?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ScenarioError::at(Kind::Syntax, "", format_args!("invalid JSON: {e}")))?;
    object(value)
}

/// The document a `serde` deserializer hands over (a binding's own objects), read whole by
/// the reader that keeps a value as it is (refusing a key given twice, as [`document`]
/// does), when it is an object.
pub(super) fn document_from<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Value, ScenarioError> {
    object(crate::adapters::json::read::read_from::<Value, D>(
        deserializer,
    )?)
}

/// `value`, when it is a JSON object.
fn object(value: Value) -> Result<Value, ScenarioError> {
    if !value.is_object() {
        return Err(ScenarioError::at(
            Kind::WrongType,
            "",
            format_args!("expected a JSON object, found {}", kind(&value)),
        ));
    }
    Ok(value)
}

/// The nested `"scenario"`, read as `plan` reads a scenario. The one place the lifecycle
/// commands read it, so that a change of the scenario reader is one change here.
pub(super) fn scenario(document: &Value) -> Result<DebitInput, ScenarioError> {
    let value = required(document, "", "scenario")?;
    scenario_from_value(value).map_err(|e| within("scenario", &e))
}

/// `platform_balance`, the platform's Balance object, which must be given: read as the
/// book reads its own, with the entry in `currency` judged.
pub(super) fn platform_balance(
    document: &Value,
    currency: Currency,
) -> Result<Balance, ScenarioError> {
    let value = required(document, "", "platform_balance")?;
    balance_from_value(value, currency).map_err(|e| within("platform_balance", &e))
}

/// `error`, read from the value at `prefix`, with its path from the document's root.
fn within(prefix: &str, error: &ScenarioError) -> ScenarioError {
    let path = if error.path().is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}.{}", error.path())
    };
    ScenarioError::at(error.kind(), &path, error.message())
}

/// What JSON type `value` is, for messages.
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `path.key`, or `key` at the root.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The field `key` of the object at `path`, absent or null as `None`.
pub(super) fn optional<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// The field `key` of the object at `path`, which must be there.
pub(super) fn required<'a>(
    object: &'a Value,
    path: &str,
    key: &str,
) -> Result<&'a Value, ScenarioError> {
    optional(object, key)
        .ok_or_else(|| ScenarioError::at(Kind::Missing, &join(path, key), "missing"))
}

/// An integer of type `T` (a float, a string or an integer out of `T`'s range is an error).
pub(super) fn integer<T: TryFrom<i64>>(value: &Value, path: &str) -> Result<T, ScenarioError> {
    let Some(n) = value.as_i64() else {
        let what = if value.is_u64() {
            "an integer out of range"
        } else {
            kind(value)
        };
        return Err(ScenarioError::at(
            Kind::WrongType,
            path,
            format_args!("expected an integer, found {what}"),
        ));
    };
    T::try_from(n)
        .map_err(|_| ScenarioError::at(Kind::Invalid, path, format_args!("{n} is out of range")))
}

/// A string.
pub(super) fn string<'a>(value: &'a Value, path: &str) -> Result<&'a str, ScenarioError> {
    value.as_str().ok_or_else(|| {
        ScenarioError::at(
            Kind::WrongType,
            path,
            format_args!("expected a string, found {}", kind(value)),
        )
    })
}

/// A string parsed as `T`.
pub(super) fn parsed<T: core::str::FromStr>(value: &Value, path: &str) -> Result<T, ScenarioError>
where
    T::Err: core::fmt::Display,
{
    let text = string(value, path)?;
    text.parse().map_err(|e| {
        ScenarioError::at(
            Kind::Invalid,
            path,
            format_args!("\"{}\": {e}", quoted(text)),
        )
    })
}

/// A transfer error as a scenario error under `path`.
pub(super) fn transfer_error(error: TransferError, path: &str) -> ScenarioError {
    let error = error.within(path);
    ScenarioError::at(Kind::Invalid, error.path(), error.message())
}

/// The Transfer object at `path`.
pub(super) fn transfer(value: &Value, path: &str) -> Result<TransferRecord, ScenarioError> {
    TransferRecord::from_value(value).map_err(|e| transfer_error(e, path))
}
