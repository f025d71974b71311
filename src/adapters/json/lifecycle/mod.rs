//! The lifecycle commands' JSON (feature `serde`): `reply`, `find` and `reverse`, each
//! reading one JSON object and writing one. See the README's "Lifecycle" section for the
//! shapes.
//!
//! ```json
//! {"scenario": {...}, "attempt": {"sends": 1, "first_sent_at": 1764000000, "now": 1764000002},
//!  "reply": null | {"status": 200, "headers": {"Stripe-Should-Retry": "true"}, "body": {...} | "text"}}
//! {"scenario": {...}, "transfers": {"object": "list", "data": [...], "has_more": false},
//!  "platform_balance": {"object": "balance", "available": [...]}}
//! {"scenario": {...}, "transfer": {...}, "amount": 200, "reversal_id": "undo-42",
//!  "platform_balance": {"object": "balance", "available": [...]}}
//! ```

mod input;
mod output;

use serde_json::Value;

pub(crate) use self::output::Sorted;
pub use self::output::{
    Confirmed, DelayOut, Duplicated, Failed, FindKind, FindResult, Found, InDoubt, Mismatch,
    NotFound, ReplyDecision, ReplyKind, Retry, ReversalHeaders, ReversalKind, ReversalPlanned,
    ReversalRejected, ReversalRequestOut, ReversalResult, StripeErrorOut,
};
use super::ScenarioError;
use crate::adapters::json::error::ScenarioErrorKind as Kind;
use crate::debit::plan_debit;
use crate::lifecycle::{
    Attempt, ReplyOptions, ReversalId, TransferList, find_debit, plan_reversal, read_reply,
};
use crate::request::AttemptNumber;
use crate::value::time::Timestamp;

/// Runs `reply`: plans the scenario's debit and decides what its reply means.
/// The debit must plan: a rejected scenario is invalid input here.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used (the command line prints it with
/// [`invalid_input`](super::invalid_input)).
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let err = json::reply("{}").unwrap_err();
/// assert_eq!(json::invalid_input(&err).to_string(), r#"{"outcome":"invalid_input","error":"scenario: missing","kind":"missing","path":"scenario"}"#);
/// ```
pub fn reply(text: &str) -> Result<ReplyDecision, ScenarioError> {
    run(input::document(text), run_reply)
}

/// `reply` on its document.
fn run_reply(document: &Value) -> Result<ReplyDecision, ScenarioError> {
    let input = input::scenario(document)?;
    let plan = plan_debit(&input).map_err(|rejection| {
        ScenarioError::at(
            Kind::Invalid,
            "scenario",
            format_args!("the debit does not plan: {rejection}"),
        )
    })?;
    let attempt = attempt(input::required(document, "", "attempt")?)?;
    let options = options(input::optional(document, "options"))?;
    // `null` is no reply at all (a timeout); a missing `reply` is a mistake, not that.
    if document.get("reply").is_none() {
        return Err(ScenarioError::at(
            Kind::Missing,
            "reply",
            "missing (null for no reply)",
        ));
    }
    let reply = input::optional(document, "reply")
        .map(read_reply_value)
        .transpose()?;
    let next = match &reply {
        Some(owned) => {
            let headers: Vec<(&str, &str)> = owned
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let reply = crate::lifecycle::Reply::new(owned.status, &headers, &owned.body);
            read_reply(&plan, &attempt, Some(&reply), &options)
        }
        None => read_reply(&plan, &attempt, None, &options),
    };
    Ok(ReplyDecision::of(&plan, &next))
}

/// Runs `find`: looks for the scenario's debit in a Stripe list of transfers; a double
/// debit's reversals are planned against `platform_balance`.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used.
pub fn find(text: &str) -> Result<FindResult, ScenarioError> {
    run(input::document(text), run_find)
}

/// `find` on its document.
fn run_find(document: &Value) -> Result<FindResult, ScenarioError> {
    let input = input::scenario(document)?;
    let list = input::required(document, "", "transfers")?;
    let list = TransferList::from_value(list).map_err(|e| input::transfer_error(e, "transfers"))?;
    let platform = input::platform_balance(document, input.debit().currency())?;
    let found = find_debit(&input, &list, &platform);
    Ok(FindResult::of(&found))
}

/// Runs `reverse`: plans the reversal of the scenario's debit transfer against the
/// platform's balance, `platform_balance`.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used.
pub fn reverse(text: &str) -> Result<ReversalResult, ScenarioError> {
    run(input::document(text), run_reverse)
}

/// `reverse` on its document.
fn run_reverse(document: &Value) -> Result<ReversalResult, ScenarioError> {
    let input = input::scenario(document)?;
    let transfer = input::transfer(input::required(document, "", "transfer")?, "transfer")?;
    let amount = input::optional(document, "amount")
        .map(|v| input::integer::<i64>(v, "amount"))
        .transpose()?;
    let id: ReversalId =
        input::parsed(input::required(document, "", "reversal_id")?, "reversal_id")?;
    let platform = input::platform_balance(document, transfer.currency())?;
    let result = plan_reversal(&input, &transfer, amount, id, &platform);
    Ok(ReversalResult::of(&result))
}

/// Runs `reply` on its input as any `serde` deserializer with JSON's data model hands it
/// over (a binding's own objects), read exactly as [`reply`] reads text.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used.
pub fn reply_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ReplyDecision, ScenarioError> {
    run(input::document_from(deserializer), run_reply)
}

/// Runs `find` on its input as a `serde` deserializer hands it over, read exactly as
/// [`find`] reads text.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used.
pub fn find_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<FindResult, ScenarioError> {
    run(input::document_from(deserializer), run_find)
}

/// Runs `reverse` on its input as a `serde` deserializer hands it over, read exactly as
/// [`reverse`] reads text.
///
/// # Errors
///
/// A [`ScenarioError`] for input that cannot be used.
pub fn reverse_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ReversalResult, ScenarioError> {
    run(input::document_from(deserializer), run_reverse)
}

/// Runs `command` on a document read.
fn run<T>(
    document: Result<Value, ScenarioError>,
    command: impl FnOnce(&Value) -> Result<T, ScenarioError>,
) -> Result<T, ScenarioError> {
    document.and_then(|document| command(&document))
}

/// `attempt`: `sends`, `first_sent_at`, `now`, and `number` (default 1).
fn attempt(value: &Value) -> Result<Attempt, ScenarioError> {
    let field = |key| input::required(value, "attempt", key);
    let sends: u32 = input::integer(field("sends")?, "attempt.sends")?;
    let first = Timestamp::from_unix(input::integer(
        field("first_sent_at")?,
        "attempt.first_sent_at",
    )?);
    let now = Timestamp::from_unix(input::integer(field("now")?, "attempt.now")?);
    let number = match input::optional(value, "number") {
        None => AttemptNumber::FIRST,
        Some(n) => AttemptNumber::new(input::integer(n, "attempt.number")?).ok_or_else(|| {
            ScenarioError::at(Kind::Invalid, "attempt.number", "attempts count from 1")
        })?,
    };
    Attempt::new(number, sends, first, now)
        .map_err(|e| ScenarioError::at(Kind::Invalid, "attempt", e))
}

/// `options`: `max_sends` and `key_window_margin_seconds`, each optional.
fn options(value: Option<&Value>) -> Result<ReplyOptions, ScenarioError> {
    let mut options = ReplyOptions::default();
    let Some(value) = value else {
        return Ok(options);
    };
    if let Some(n) = input::optional(value, "max_sends") {
        options = options.with_max_sends(input::integer(n, "options.max_sends")?);
    }
    if let Some(n) = input::optional(value, "key_window_margin_seconds") {
        options =
            options.with_key_window_margin(input::integer(n, "options.key_window_margin_seconds")?);
    }
    Ok(options)
}

/// A reply read from JSON, owning what [`crate::lifecycle::Reply`] lends.
struct OwnedReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// `reply`: `status`, `headers` (an object of strings), `body` (any JSON, or a string for
/// a body that is not JSON).
fn read_reply_value(value: &Value) -> Result<OwnedReply, ScenarioError> {
    let status = input::integer(input::required(value, "reply", "status")?, "reply.status")?;
    let mut headers = Vec::new();
    if let Some(object) = input::optional(value, "headers") {
        let map = object.as_object().ok_or_else(|| {
            ScenarioError::at(
                Kind::WrongType,
                "reply.headers",
                format_args!("expected an object, found {}", input::kind(object)),
            )
        })?;
        for (name, v) in map {
            let text = input::string(
                v,
                &format!("reply.headers.{}", crate::value::text::quoted(name)),
            )?;
            headers.push((name.clone(), text.to_owned()));
        }
    }
    let body = match input::optional(value, "body") {
        None => Vec::new(),
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(json) => serde_json::to_vec(json).unwrap_or_default(),
    };
    Ok(OwnedReply {
        status,
        headers,
        body,
    })
}
