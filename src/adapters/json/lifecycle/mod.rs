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

pub(crate) use self::output::Sorted;
pub use self::output::{
    Confirmed, DelayOut, Duplicated, Failed, FindResult, Found, InDoubt, Mismatch, NotFound,
    ReplyDecision, Retry, ReversalHeaders, ReversalKind, ReversalPlanned, ReversalRejected,
    ReversalRequestOut, ReversalResult, StripeErrorOut,
};
use super::ReadError;
use crate::debit::plan_debit;
use crate::lifecycle::reply::decide;
use crate::lifecycle::{find_debit, plan_reversal};
use crate::reader::{self, Field, Path, ReadErrorKind as Kind};
use input::{FindInputDoc, ReplyInputDoc, ReverseInputDoc};

/// Runs `reply` on JSON text: plans the scenario's debit and decides what its reply means.
/// The debit must plan: a rejected scenario is invalid input here.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used (the command line prints it with
/// [`invalid_input`](super::invalid_input)).
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let err = json::reply("{}").unwrap_err();
/// assert_eq!(err.path(), "scenario");
/// assert_eq!(json::invalid_input(&err).to_string(), r#"{"outcome":"invalid_input","error":"scenario: missing","kind":"missing","path":"scenario"}"#);
/// ```
pub fn reply(text: &str) -> Result<ReplyDecision, ReadError> {
    reader::read_text(text).and_then(|doc| run_reply(&doc))
}

/// Runs `reply` on its input as any `serde` deserializer with JSON's data model hands it
/// over (Python objects through a binding), read exactly as [`reply`] reads text.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used.
pub fn reply_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ReplyDecision, ReadError> {
    reader::read_from(deserializer).and_then(|doc| run_reply(&doc))
}

/// Runs `find` on JSON text: looks for the scenario's debit in a Stripe list of
/// transfers; a double debit's reversals are planned against `platform_balance`.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used.
pub fn find(text: &str) -> Result<FindResult, ReadError> {
    reader::read_text(text).and_then(|doc| run_find(&doc))
}

/// Runs `find` on its input as a `serde` deserializer hands it over, read exactly as
/// [`find`] reads text.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used.
pub fn find_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<FindResult, ReadError> {
    reader::read_from(deserializer).and_then(|doc| run_find(&doc))
}

/// Runs `reverse` on JSON text: plans the reversal of the scenario's debit transfer
/// against the platform's balance, `platform_balance`.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used.
pub fn reverse(text: &str) -> Result<ReversalResult, ReadError> {
    reader::read_text(text).and_then(|doc| run_reverse(&doc))
}

/// Runs `reverse` on its input as a `serde` deserializer hands it over, read exactly as
/// [`reverse`] reads text.
///
/// # Errors
///
/// A [`ReadError`] for input that cannot be used.
pub fn reverse_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ReversalResult, ReadError> {
    reader::read_from(deserializer).and_then(|doc| run_reverse(&doc))
}

/// `reply`, read in a fixed order: the scenario (which must plan), `attempt`, `options`,
/// `reply`.
fn run_reply(doc: &Field<ReplyInputDoc<'_>>) -> Result<ReplyDecision, ReadError> {
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
    Ok(ReplyDecision::of(&plan, &next))
}

/// `find`, read in a fixed order: the scenario, `transfers`, `platform_balance`.
fn run_find(doc: &Field<FindInputDoc<'_>>) -> Result<FindResult, ReadError> {
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
    Ok(FindResult::of(&found))
}

/// `reverse`, read in a fixed order: the scenario, `transfer`, `amount`, `reversal_id`,
/// `platform_balance`.
fn run_reverse(doc: &Field<ReverseInputDoc<'_>>) -> Result<ReversalResult, ReadError> {
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
    Ok(ReversalResult::of(&result))
}
