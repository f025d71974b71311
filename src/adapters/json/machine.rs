//! Writing what the [`DebitMachine`](crate::lifecycle::DebitMachine) asks for as one JSON
//! object: the `step` command prints it, and the Python package's `Action.to_dict()` is it.
//!
//! ```json
//! {"action": "send", "method": "POST", "path": "/v1/transfers", "stripe_account": "acct_...",
//!  "idempotency_key": "account-debit:...", "params": [["amount", "500"], ...],
//!  "body": "amount=500&...", "act_by_ms": 1764000060000}
//! {"action": "list", "method": "GET", "path": "/v1/transfers", "stripe_account": "acct_...",
//!  "idempotency_key": null, "params": [["destination", "acct_..."], ...],
//!  "query": "destination=acct_...&...", "act_by_ms": 1764086460000}
//! {"action": "wait", "until_ms": 1764000080500, "jitter_ms": 0}
//! {"action": "done", "outcome": {"code": "confirmed", "transfer": "tr_...", "payment": "py_...",
//!  "by": "reply", "replayed": false, "reversed": [{"transfer": "tr_...", "reversal": "trr_..."}]}}
//! {"action": "done", "outcome": {"code": "failed", "attempt": 1, "status": 400,
//!  "request_id": "req_...", "error": {"type": "invalid_request_error", "code": "...",
//!  "param": "...", "message": "..."}, "new_attempt_may_succeed": true}}
//! {"action": "escalate", "reason": "mismatch", "detail": "...", "field": "amount",
//!  "request_id": "req_..." , "transfers": ["tr_..."]}
//! ```
//!
//! A `POST`'s parameters are also given percent-encoded as its `body`, a `GET`'s as its
//! `query` (after the `?`). Times are integers of milliseconds since the Unix epoch;
//! `replayed` is `null` for a transfer known from a search. Every field is always there,
//! `null` when it has no value.

use core::fmt;

use serde::Serialize;

use crate::lifecycle::{Action, ConfirmedBy, Escalation, HttpRequest, Outcome};
use crate::stripe::id::TransactionId;

/// An [`Action`] as JSON: it implements `Serialize` (fields in a fixed order) and
/// `Display` (compact JSON, or indented with `{:#}`).
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::{DebitMachine, MachineOptions, Millis};
/// use stripe_account_debits::{demo, json};
///
/// let mut machine = DebitMachine::start(demo::input()?, MachineOptions::default())?;
/// let action = machine.poll(Millis::from_unix_ms(1_764_000_000_000))?;
/// let out = serde_json::to_value(json::action(&action))?;
/// assert_eq!(out["action"], "send");
/// assert_eq!(out["params"][0], serde_json::json!(["amount", "500"]));
/// assert_eq!(out["act_by_ms"], 1_764_000_060_000_i64);
/// assert!(json::action(&action).to_string().starts_with(r#"{"action":"send","method":"POST","path":"/v1/transfers","#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn action(action: &Action) -> ActionOutput<'_> {
    ActionOutput(action)
}

/// The JSON of an [`Action`]: see [`action`].
pub struct ActionOutput<'a>(&'a Action);

impl Serialize for ActionOutput<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Action::Send(request) => request_out("send", request).serialize(serializer),
            Action::List(request) => request_out("list", request).serialize(serializer),
            Action::Wait { until, jitter_ms } => WaitOut {
                action: "wait",
                until_ms: until.as_unix_ms(),
                jitter_ms: *jitter_ms,
            }
            .serialize(serializer),
            Action::Done(outcome) => DoneOut {
                action: "done",
                outcome: outcome_out(outcome),
            }
            .serialize(serializer),
            Action::Escalate(escalation) => escalate_out(escalation).serialize(serializer),
        }
    }
}

impl fmt::Display for ActionOutput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for ActionOutput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionOutput({self})")
    }
}

#[derive(Serialize)]
struct RequestOut<'a> {
    action: &'static str,
    method: &'static str,
    path: &'a str,
    stripe_account: Option<&'a str>,
    idempotency_key: Option<&'a str>,
    /// `[name, value]` pairs, in order.
    params: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    act_by_ms: i64,
}

fn request_out<'a>(action: &'static str, request: &'a HttpRequest) -> RequestOut<'a> {
    let encoded = request.encoded_params();
    let get = request.method() == "GET";
    RequestOut {
        action,
        method: request.method(),
        path: request.path(),
        stripe_account: request.stripe_account(),
        idempotency_key: request.idempotency_key(),
        params: request.params().collect(),
        body: (!get).then(|| encoded.clone()),
        query: get.then_some(encoded),
        act_by_ms: request.act_by().as_unix_ms(),
    }
}

#[derive(Serialize)]
struct WaitOut {
    action: &'static str,
    until_ms: i64,
    jitter_ms: u64,
}

#[derive(Serialize)]
struct DoneOut<'a> {
    action: &'static str,
    outcome: OutcomeOut<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutcomeOut<'a> {
    Confirmed {
        code: &'static str,
        transfer: TransactionId,
        payment: Option<TransactionId>,
        by: &'static str,
        replayed: Option<bool>,
        reversed: Vec<ReversedOut>,
    },
    Failed {
        code: &'static str,
        attempt: u32,
        status: u16,
        request_id: Option<&'a str>,
        error: ErrorOut<'a>,
        new_attempt_may_succeed: bool,
    },
}

#[derive(Serialize)]
struct ReversedOut {
    transfer: TransactionId,
    reversal: Option<TransactionId>,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    code: Option<&'a str>,
    param: Option<&'a str>,
    message: Option<&'a str>,
}

fn outcome_out(outcome: &Outcome) -> OutcomeOut<'_> {
    match outcome {
        Outcome::Confirmed {
            transfer,
            payment,
            by,
            reversed,
        } => OutcomeOut::Confirmed {
            code: outcome.code(),
            transfer: *transfer,
            payment: *payment,
            by: match by {
                ConfirmedBy::Reply { .. } => "reply",
                ConfirmedBy::Search => "search",
            },
            replayed: match by {
                ConfirmedBy::Reply { replayed } => Some(*replayed),
                ConfirmedBy::Search => None,
            },
            reversed: reversed
                .iter()
                .map(|r| ReversedOut {
                    transfer: r.transfer,
                    reversal: r.reversal,
                })
                .collect(),
        },
        Outcome::Failed { attempt, failure } => OutcomeOut::Failed {
            code: outcome.code(),
            attempt: attempt.get(),
            status: failure.status(),
            request_id: failure.request_id(),
            error: ErrorOut {
                kind: failure.error().error_type(),
                code: failure.error().code(),
                param: failure.error().param(),
                message: failure.error().message(),
            },
            new_attempt_may_succeed: failure.new_attempt_may_succeed(),
        },
    }
}

#[derive(Serialize)]
struct EscalateOut<'a> {
    action: &'static str,
    reason: &'static str,
    detail: &'a str,
    field: Option<&'static str>,
    request_id: Option<&'a str>,
    transfers: &'a [TransactionId],
}

fn escalate_out(escalation: &Escalation) -> EscalateOut<'_> {
    EscalateOut {
        action: "escalate",
        reason: escalation.reason.code(),
        detail: &escalation.detail,
        field: escalation.field.map(|field| field.name()),
        request_id: escalation.request_id.as_deref(),
        transfers: &escalation.transfers,
    }
}
