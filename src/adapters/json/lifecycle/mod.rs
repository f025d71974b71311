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
//!
//! Each input is read by the crate's one reader, as text ([`reply`]) or from any `serde`
//! deserializer ([`reply_from_deserializer`], for a binding), with the same errors. The
//! objects above that are the crate's own (each command's, `attempt`, `options`, `reply`)
//! refuse a key they do not declare; Stripe's objects (the list, a Transfer, a reply's
//! body, a Balance) take any. `has_more` must be a boolean, and a header the decision reads
//! given twice (in any case) with different values is refused.

mod input;
mod output;

use core::fmt;

use serde::Serialize;
use serde_json::Value;

use super::{ReadError, invalid_input};
use crate::debit::plan_debit;
use crate::lifecycle::reply::decide;
use crate::lifecycle::{find_debit, plan_reversal};
use crate::reader::{self, Field, Path, ReadErrorKind as Kind};
use input::{FindInputDoc, ReplyInputDoc, ReverseInputDoc};

/// The JSON output of a lifecycle command, and its kind (`"confirmed"`, `"retry"`,
/// `"found"`, `"planned"`, `"invalid_input"`, ...), which the command line turns into its
/// exit status. `Display` writes compact JSON, or indented JSON with `{:#}`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let out = json::reply("{}");
/// assert_eq!(out.kind(), "invalid_input");
/// assert_eq!(out.error().map(|e| e.path()), Some("scenario"));
/// assert_eq!(out.to_string(), r#"{"outcome":"invalid_input","error":"scenario: missing","kind":"missing","path":"scenario"}"#);
/// ```
#[derive(Debug)]
pub struct LifecycleOutput {
    kind: &'static str,
    body: Body,
}

/// The output: JSON built by the command, or the input error, written as `plan` writes
/// one.
#[derive(Debug)]
enum Body {
    Json(Value),
    Invalid(ReadError),
}

impl LifecycleOutput {
    /// What the output says, as its `next` or `outcome` field.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Why the input could not be used, when it could not (the output is then
    /// `invalid_input`).
    pub fn error(&self) -> Option<&ReadError> {
        match &self.body {
            Body::Json(_) => None,
            Body::Invalid(error) => Some(error),
        }
    }

    /// The output as a JSON value.
    pub fn json(&self) -> Value {
        match &self.body {
            Body::Json(value) => value.clone(),
            Body::Invalid(error) => {
                serde_json::to_value(invalid_input(error)).unwrap_or(Value::Null)
            }
        }
    }
}

impl Serialize for LifecycleOutput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.body {
            Body::Json(value) => value.serialize(serializer),
            Body::Invalid(error) => invalid_input(error).serialize(serializer),
        }
    }
}

impl fmt::Display for LifecycleOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.body, f.alternate()) {
            (Body::Json(value), true) => write!(f, "{value:#}"),
            (Body::Json(value), false) => write!(f, "{value}"),
            (Body::Invalid(error), true) => write!(f, "{:#}", invalid_input(error)),
            (Body::Invalid(error), false) => write!(f, "{}", invalid_input(error)),
        }
    }
}

/// Runs `reply` on JSON text: plans the scenario's debit and decides what its reply means.
/// The debit must plan: a rejected scenario is invalid input here.
pub fn reply(text: &str) -> LifecycleOutput {
    output(reader::read_text(text).and_then(|doc| run_reply(&doc)))
}

/// Runs `reply` on its input as any `serde` deserializer with JSON's data model hands it
/// over (Python objects through a binding), read exactly as [`reply`] reads text.
pub fn reply_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> LifecycleOutput {
    output(reader::read_from(deserializer).and_then(|doc| run_reply(&doc)))
}

/// Runs `find` on JSON text: looks for the scenario's debit in a Stripe list of
/// transfers; a double debit's reversals are planned against `platform_balance`.
pub fn find(text: &str) -> LifecycleOutput {
    output(reader::read_text(text).and_then(|doc| run_find(&doc)))
}

/// Runs `find` on its input as a `serde` deserializer hands it over, read exactly as
/// [`find`] reads text.
pub fn find_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> LifecycleOutput {
    output(reader::read_from(deserializer).and_then(|doc| run_find(&doc)))
}

/// Runs `reverse` on JSON text: plans the reversal of the scenario's debit transfer
/// against the platform's balance, `platform_balance`.
pub fn reverse(text: &str) -> LifecycleOutput {
    output(reader::read_text(text).and_then(|doc| run_reverse(&doc)))
}

/// Runs `reverse` on its input as a `serde` deserializer hands it over, read exactly as
/// [`reverse`] reads text.
pub fn reverse_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> LifecycleOutput {
    output(reader::read_from(deserializer).and_then(|doc| run_reverse(&doc)))
}

/// A command's result as its output; an error is invalid input.
fn output(result: Result<(&'static str, Value), ReadError>) -> LifecycleOutput {
    match result {
        Ok((kind, json)) => LifecycleOutput {
            kind,
            body: Body::Json(json),
        },
        Err(error) => LifecycleOutput {
            kind: "invalid_input",
            body: Body::Invalid(error),
        },
    }
}

/// `reply`, read in a fixed order: the scenario (which must plan), `attempt`, `options`,
/// `reply`.
fn run_reply(doc: &Field<ReplyInputDoc<'_>>) -> Result<(&'static str, Value), ReadError> {
    let root = Path::Root;
    let doc = doc.get(&root)?;
    let scenario_path = root.key("scenario");
    let input = input::scenario(&doc.scenario, &scenario_path)?;
    let plan = plan_debit(&input).map_err(|rejection| {
        ReadError::at(
            Kind::Invalid,
            &scenario_path,
            format_args!("the debit does not plan: {rejection}"),
        )
    })?;
    let attempt = input::attempt(&doc.attempt, &root.key("attempt"))?;
    let options = input::options(&doc.options, &root.key("options"))?;
    let next = match input::reply(&doc.reply, &root.key("reply"))? {
        Some(read) => decide(&plan, &attempt, Some((&read.reply(), read.body)), &options),
        None => decide::<[u8]>(&plan, &attempt, None, &options),
    };
    Ok((next.kind(), output::next(&plan, &next)))
}

/// `find`, read in a fixed order: the scenario, `transfers`, `platform_balance`.
fn run_find(doc: &Field<FindInputDoc<'_>>) -> Result<(&'static str, Value), ReadError> {
    let root = Path::Root;
    let doc = doc.get(&root)?;
    let input = input::scenario(&doc.scenario, &root.key("scenario"))?;
    let transfers = root.key("transfers");
    let list =
        crate::stripe::list::TransferList::of(doc.transfers.required(&transfers)?, &transfers)?;
    let platform = input::platform_balance(
        &doc.platform_balance,
        &root.key("platform_balance"),
        input.debit().currency(),
    )?;
    let found = find_debit(&input, &list, &platform);
    Ok((found.kind(), output::found(&found)))
}

/// `reverse`, read in a fixed order: the scenario, `transfer`, `amount`, `reversal_id`,
/// `platform_balance`.
fn run_reverse(doc: &Field<ReverseInputDoc<'_>>) -> Result<(&'static str, Value), ReadError> {
    let root = Path::Root;
    let doc = doc.get(&root)?;
    let input = input::scenario(&doc.scenario, &root.key("scenario"))?;
    let transfer_path = root.key("transfer");
    let transfer = crate::stripe::transfer::TransferRecord::of(
        doc.transfer.required(&transfer_path)?,
        &transfer_path,
    )?;
    let amount = input::amount(&doc.amount, &root.key("amount"))?;
    let id = input::parsed(&doc.reversal_id, &root.key("reversal_id"))?;
    let platform = input::platform_balance(
        &doc.platform_balance,
        &root.key("platform_balance"),
        transfer.currency(),
    )?;
    let result = plan_reversal(&input, &transfer, amount, id, &platform);
    let kind = if result.is_ok() {
        "planned"
    } else {
        "rejected"
    };
    Ok((kind, output::reversal(&result)))
}
