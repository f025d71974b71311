//! The machine's state as a small, versioned JSON document, written before each send and
//! read back on resume. The input (Stripe's objects and the debit) is not in it: the caller
//! keeps what it started the machine with, and the document names the debit's key, amount
//! and currency so that resuming with another input is refused.
//!
//! The shape is this crate's own: an unknown key, a key given twice or a value of the
//! wrong type is refused, as is a version other than [`STATE_VERSION`].

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::charge::ChargeRecord;
use super::reverse::{OpState, ReversalOp, Reversing};
use super::search::Search;
use super::types::{ConfirmedBy, Escalation, EscalationReason, Millis, Outcome, ReversedDuplicate};
use super::undo::Extra;
use super::{DebitMachine, KeyState, MachineOptions, Out, Outstanding, Phase};
use crate::debit::input::DebitInput;
use crate::lifecycle::reply::{Failure, MismatchField};
use crate::lifecycle::reversal::plan_reversal;
use crate::request::AttemptNumber;
use crate::stripe::balance::Balance;
use crate::stripe::error::StripeError;
use crate::stripe::id::TransactionId;
use crate::stripe::transfer::TransferRecord;
use crate::value::currency::WireCode;
use crate::value::money::Money;
use crate::value::text::quoted;

/// The version of the state document this crate writes and reads.
pub const STATE_VERSION: u32 = 1;

/// Why a saved state cannot be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("machine state: {message}")]
pub struct StateError {
    message: String,
}

impl StateError {
    /// An error in the crate's own words, whole (any text from the document in it is
    /// quoted by the caller).
    fn new(message: impl core::fmt::Display) -> StateError {
        StateError {
            message: message.to_string(),
        }
    }

    /// An error whose words come from a reader of the document (`serde`'s, which may quote
    /// the document at any length): escaped and cut short, after `context`.
    fn read(context: &str, error: impl core::fmt::Display) -> StateError {
        StateError {
            message: format!("{context}{}", quoted(&error.to_string())),
        }
    }

    /// What is wrong: the crate's own words, whole, with any text from the document (as
    /// `serde` quotes it) escaped and cut short.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A machine's saved state ([`DebitMachine::state`]): serializes itself into the document
/// [`DebitMachine::to_json`] writes.
#[derive(Serialize)]
#[serde(transparent)]
pub struct SavedState(Doc);

impl core::fmt::Debug for SavedState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SavedState(version ")?;
        core::fmt::Display::fmt(&self.0.version, f)?;
        f.write_str(")")
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    version: u32,
    debit: DebitDoc,
    options: OptionsDoc,
    last_now_ms: Option<i64>,
    attempts: Vec<KeyDoc>,
    out: Option<OutDoc>,
    phase: PhaseDoc,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct DebitDoc {
    idempotency_key: String,
    amount: i64,
    currency: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsDoc {
    fast_sends: u32,
    key_window_margin_ms: u64,
    settle_ms: u64,
    act_within_ms: u64,
    request_timeout_ms: u64,
    clock_skew_ms: u64,
    max_attempts: u32,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct KeyDoc {
    first_sent_ms: Option<i64>,
    last_sent_ms: Option<i64>,
    sends: u32,
    conflicts: u32,
    next_at_ms: Option<i64>,
    jitter_ms: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutDoc {
    what: String,
    index: Option<usize>,
    asked_at_ms: i64,
    act_by_ms: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
enum PhaseDoc {
    /// A struct variant, not a unit one: serde refuses unknown keys beside the tag of a
    /// struct variant only.
    Sending {},
    Searching {
        not_before_ms: i64,
        cursor: Option<String>,
        found: Vec<Value>,
        charges: Vec<Value>,
        page_token: Option<String>,
        page: KeyDoc,
    },
    Reversing {
        transfer: String,
        payment: Option<String>,
        extras: Vec<OpDoc>,
    },
    Done {
        outcome: OutcomeDoc,
    },
    Escalated {
        reason: String,
        detail: String,
        field: Option<String>,
        request_id: Option<String>,
        transfers: Vec<String>,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpDoc {
    kind: String,
    object: Value,
    amount: i64,
    number: u32,
    key: KeyDoc,
    state: String,
    not_before_ms: Option<i64>,
    page: Option<KeyDoc>,
    reversal: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, tag = "kind", rename_all = "snake_case")]
enum OutcomeDoc {
    Confirmed {
        transfer: String,
        payment: Option<String>,
        by: String,
        replayed: bool,
        reversed: Vec<ReversedDoc>,
    },
    Failed {
        attempt: u32,
        status: u16,
        request_id: Option<String>,
        error: ErrorDoc,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReversedDoc {
    transfer: String,
    reversal: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorDoc {
    #[serde(rename = "type")]
    kind: Option<String>,
    code: Option<String>,
    param: Option<String>,
    message: Option<String>,
}

fn ms(t: Option<Millis>) -> Option<i64> {
    t.map(Millis::as_unix_ms)
}

fn at(ms: Option<i64>) -> Option<Millis> {
    ms.map(Millis::from_unix_ms)
}

impl From<&KeyState> for KeyDoc {
    fn from(key: &KeyState) -> KeyDoc {
        KeyDoc {
            first_sent_ms: ms(key.first_sent),
            last_sent_ms: ms(key.last_sent),
            sends: key.sends,
            conflicts: key.conflicts.min(key.sends),
            next_at_ms: ms(key.next_at),
            jitter_ms: key.jitter_ms,
        }
    }
}

impl KeyDoc {
    fn state(&self) -> Result<KeyState, StateError> {
        if self.conflicts > self.sends {
            return Err(StateError::new("a key has more conflicts than sends"));
        }
        Ok(KeyState {
            first_sent: at(self.first_sent_ms),
            last_sent: at(self.last_sent_ms),
            sends: self.sends,
            conflicts: self.conflicts,
            next_at: at(self.next_at_ms),
            jitter_ms: self.jitter_ms,
        })
    }
}

/// A Transfer record written as the Stripe object it was read from (the fields read).
pub(crate) fn transfer_value(t: &TransferRecord) -> Value {
    json!({
        "id": t.id().to_string(),
        "object": "transfer",
        "amount": t.amount().minor(),
        "amount_reversed": t.amount_reversed().minor(),
        "currency": WireCode::of(t.currency()).as_str(),
        "destination": t.destination().map(|d| d.to_string()),
        "destination_payment": t.destination_payment().map(|p| p.to_string()),
        "metadata": {"account_debit_id": t.debit_id().map(|d| d.to_string())},
        "reversed": t.reversed(),
        "created": t.created().map(|c| c.unix()),
    })
}

fn transfer_of(value: &Value, at: &str) -> Result<TransferRecord, StateError> {
    TransferRecord::from_value(value).map_err(|e| StateError::read(&format!("{at}: "), e))
}

fn id_of(text: &str, at: &str) -> Result<TransactionId, StateError> {
    text.parse()
        .map_err(|_| StateError::new(format_args!("{at}: not a Stripe id")))
}

const FIELDS: [MismatchField; 8] = [
    MismatchField::Object,
    MismatchField::Id,
    MismatchField::Amount,
    MismatchField::Currency,
    MismatchField::Destination,
    MismatchField::DebitId,
    MismatchField::DestinationPayment,
    MismatchField::SourceTransfer,
];

const REASONS: [EscalationReason; 5] = [
    EscalationReason::Mismatch,
    EscalationReason::IdempotencyError,
    EscalationReason::AttemptsExhausted,
    EscalationReason::SearchFailed,
    EscalationReason::ReversalRefused,
];

fn debit_doc(machine: &DebitMachine) -> DebitDoc {
    let amount = machine.plan.transfer().amount();
    DebitDoc {
        idempotency_key: machine.plan.idempotency_key().as_str().to_owned(),
        amount: amount.minor(),
        currency: WireCode::of(amount.currency()).as_str().to_owned(),
    }
}

fn out_doc(out: &Outstanding) -> OutDoc {
    let (what, index) = match out.what {
        Out::Debit => ("debit", None),
        Out::Page => ("page", None),
        Out::Reversal(i) => ("reversal", Some(i)),
        Out::Lookup(i) => ("lookup", Some(i)),
    };
    OutDoc {
        what: what.to_owned(),
        index,
        asked_at_ms: out.asked_at.as_unix_ms(),
        act_by_ms: out.act_by.as_unix_ms(),
    }
}

fn out_of(doc: &OutDoc) -> Result<Outstanding, StateError> {
    let what = match (doc.what.as_str(), doc.index) {
        ("debit", None) => Out::Debit,
        ("page", None) => Out::Page,
        ("reversal", Some(i)) => Out::Reversal(i),
        ("lookup", Some(i)) => Out::Lookup(i),
        _ => return Err(StateError::new("out: not a request the machine asks for")),
    };
    Ok(Outstanding {
        what,
        asked_at: Millis::from_unix_ms(doc.asked_at_ms),
        act_by: Millis::from_unix_ms(doc.act_by_ms),
    })
}

fn outcome_doc(outcome: &Outcome) -> OutcomeDoc {
    match outcome {
        Outcome::Confirmed {
            transfer,
            payment,
            by,
            reversed,
        } => OutcomeDoc::Confirmed {
            transfer: transfer.to_string(),
            payment: payment.map(|p| p.to_string()),
            by: match by {
                ConfirmedBy::Reply { .. } => "reply",
                ConfirmedBy::Search => "search",
            }
            .to_owned(),
            replayed: matches!(by, ConfirmedBy::Reply { replayed: true }),
            reversed: reversed
                .iter()
                .map(|r| ReversedDoc {
                    transfer: r.transfer.to_string(),
                    reversal: r.reversal.map(|id| id.to_string()),
                })
                .collect(),
        },
        Outcome::Failed { attempt, failure } => OutcomeDoc::Failed {
            attempt: attempt.get(),
            status: failure.status(),
            request_id: failure.request_id().map(str::to_owned),
            error: ErrorDoc {
                kind: failure.error().error_type().map(str::to_owned),
                code: failure.error().code().map(str::to_owned),
                param: failure.error().param().map(str::to_owned),
                message: failure.error().message().map(str::to_owned),
            },
        },
    }
}

fn outcome_of(doc: &OutcomeDoc) -> Result<Outcome, StateError> {
    match doc {
        OutcomeDoc::Confirmed {
            transfer,
            payment,
            by,
            replayed,
            reversed,
        } => Ok(Outcome::Confirmed {
            transfer: id_of(transfer, "outcome.transfer")?,
            payment: payment
                .as_deref()
                .map(|p| id_of(p, "outcome.payment"))
                .transpose()?,
            by: match by.as_str() {
                "reply" => ConfirmedBy::Reply {
                    replayed: *replayed,
                },
                "search" => ConfirmedBy::Search,
                _ => return Err(StateError::new("outcome.by: expected reply or search")),
            },
            reversed: reversed
                .iter()
                .map(|r| {
                    Ok(ReversedDuplicate {
                        transfer: id_of(&r.transfer, "outcome.reversed")?,
                        reversal: r
                            .reversal
                            .as_deref()
                            .map(|id| id_of(id, "outcome.reversed"))
                            .transpose()?,
                    })
                })
                .collect::<Result<_, StateError>>()?,
        }),
        OutcomeDoc::Failed {
            attempt,
            status,
            request_id,
            error,
        } => {
            let attempt = AttemptNumber::new(*attempt)
                .ok_or_else(|| StateError::new("outcome.attempt: attempts count from 1"))?;
            let body = json!({"error": {"type": error.kind, "code": error.code, "param": error.param, "message": error.message}});
            let error = StripeError::from_body(body.to_string().as_bytes());
            Ok(Outcome::Failed {
                attempt,
                failure: Box::new(Failure::new(*status, error, request_id.clone())),
            })
        }
    }
}

fn op_doc(op: &ReversalOp) -> OpDoc {
    let (state, not_before_ms, page, reversal) = match &op.state {
        OpState::Sending => ("sending", None, None, None),
        OpState::Checking { not_before, page } => (
            "checking",
            Some(not_before.as_unix_ms()),
            Some(KeyDoc::from(page)),
            None,
        ),
        OpState::Done(id) => ("done", None, None, id.map(|id| id.to_string())),
    };
    let (kind, object) = match &op.extra {
        Extra::Transfer { transfer, .. } => ("transfer", transfer_value(transfer)),
        Extra::Charge { charge, .. } => ("charge", charge.to_value()),
    };
    OpDoc {
        kind: kind.to_owned(),
        object,
        amount: op.extra.amount(),
        number: op.number,
        key: KeyDoc::from(&op.key),
        state: state.to_owned(),
        not_before_ms,
        page,
        reversal,
    }
}

fn phase_doc(phase: &Phase) -> PhaseDoc {
    match phase {
        Phase::Sending => PhaseDoc::Sending {},
        Phase::Searching(search) => PhaseDoc::Searching {
            not_before_ms: search.not_before.as_unix_ms(),
            cursor: search.cursor.map(|c| c.to_string()),
            found: search.found.iter().map(transfer_value).collect(),
            charges: search.charges.iter().map(|c| c.to_value()).collect(),
            page_token: search.page_token.clone(),
            page: KeyDoc::from(&search.page),
        },
        Phase::Reversing(reversing) => PhaseDoc::Reversing {
            transfer: reversing.transfer.to_string(),
            payment: reversing.payment.map(|p| p.to_string()),
            extras: reversing.ops.iter().map(op_doc).collect(),
        },
        Phase::Done(outcome) => PhaseDoc::Done {
            outcome: outcome_doc(outcome),
        },
        Phase::Escalated(e) => PhaseDoc::Escalated {
            reason: e.reason.code().to_owned(),
            detail: e.detail.clone(),
            field: e.field.map(|f| f.name().to_owned()),
            request_id: e.request_id.clone(),
            transfers: e.transfers.iter().map(ToString::to_string).collect(),
        },
    }
}

/// An escalation read back.
fn escalation_of(
    reason: String,
    detail: String,
    field: Option<String>,
    request_id: Option<String>,
    transfers: &[String],
) -> Result<Escalation, StateError> {
    Ok(Escalation {
        reason: REASONS
            .into_iter()
            .find(|r| r.code() == reason)
            .ok_or_else(|| StateError::new("phase.reason: not a reason"))?,
        detail,
        field: field
            .map(|f| {
                FIELDS
                    .into_iter()
                    .find(|m| m.name() == f)
                    .ok_or_else(|| StateError::new("phase.field: not a field"))
            })
            .transpose()?,
        request_id,
        transfers: transfers
            .iter()
            .map(|t| id_of(t, "phase.transfers"))
            .collect::<Result<_, _>>()?,
    })
}

impl DebitMachine {
    /// The machine's state as a versioned JSON document (see [`STATE_VERSION`]), to save
    /// before every send and to resume from with [`DebitMachine::from_json`].
    pub fn to_json(&self) -> String {
        // The document holds only strings, numbers and JSON values: writing it cannot
        // fail.
        serde_json::to_string(&self.state()).unwrap_or_default()
    }

    /// The machine's state as a value that serializes itself into the document
    /// [`DebitMachine::to_json`] writes, for a binding that writes it as its own objects
    /// (no JSON text in between).
    pub fn state(&self) -> SavedState {
        let o = &self.options;
        SavedState(Doc {
            version: STATE_VERSION,
            debit: debit_doc(self),
            options: OptionsDoc {
                fast_sends: o.fast_sends(),
                key_window_margin_ms: o.key_window_margin_ms(),
                settle_ms: o.settle_ms(),
                act_within_ms: o.act_within_ms(),
                request_timeout_ms: o.request_timeout_ms(),
                clock_skew_ms: o.clock_skew_ms(),
                max_attempts: o.max_attempts(),
            },
            last_now_ms: ms(self.last_now),
            attempts: self.attempts.iter().map(KeyDoc::from).collect(),
            out: self.out.as_ref().map(out_doc),
            phase: phase_doc(&self.phase),
        })
    }

    /// Resumes the machine of `input` (the one it was started with) from a state written
    /// by [`DebitMachine::to_json`].
    ///
    /// # Errors
    ///
    /// A [`StateError`] when the text is not such a state, is of another version, or is
    /// the state of another debit (its key, amount or currency differ from `input`'s
    /// plan), or when `input` is no longer planned.
    pub fn from_json(input: DebitInput, text: &str) -> Result<DebitMachine, StateError> {
        let doc: Doc = serde_json::from_str(text).map_err(|e| StateError::read("", e))?;
        DebitMachine::from_doc(input, doc)
    }

    /// Resumes the machine of `input` from its state as any `serde` deserializer with
    /// JSON's data model hands it over (a binding's own objects), read exactly as
    /// [`DebitMachine::from_json`] reads text.
    ///
    /// # Errors
    ///
    /// As [`DebitMachine::from_json`].
    pub fn from_deserializer<'de, D: serde::Deserializer<'de>>(
        input: DebitInput,
        deserializer: D,
    ) -> Result<DebitMachine, StateError> {
        let doc = Doc::deserialize(deserializer).map_err(|e| StateError::read("", e))?;
        DebitMachine::from_doc(input, doc)
    }

    fn from_doc(input: DebitInput, doc: Doc) -> Result<DebitMachine, StateError> {
        if doc.version != STATE_VERSION {
            return Err(StateError::new(format_args!(
                "version {} is not {STATE_VERSION}",
                doc.version
            )));
        }
        let plan = crate::debit::plan_debit(&input)
            .map_err(|_| StateError::new("the input is no longer planned"))?;
        let o = &doc.options;
        let options = MachineOptions::default()
            .with_fast_sends(o.fast_sends)
            .with_key_window_margin_ms(o.key_window_margin_ms)
            .with_settle_ms(o.settle_ms)
            .with_act_within_ms(o.act_within_ms)
            .with_request_timeout_ms(o.request_timeout_ms)
            .with_clock_skew_ms(o.clock_skew_ms)
            .with_max_attempts(o.max_attempts);
        let mut machine = DebitMachine::from_plan(input, plan, options);
        if debit_doc(&machine) != doc.debit {
            return Err(StateError::new(
                "the state is of another debit (its key, amount or currency differ)",
            ));
        }
        machine.last_now = at(doc.last_now_ms);
        machine.attempts = doc
            .attempts
            .iter()
            .map(KeyDoc::state)
            .collect::<Result<_, _>>()?;
        if machine.attempts.is_empty() {
            return Err(StateError::new("attempts: at least one"));
        }
        machine.out = doc.out.as_ref().map(out_of).transpose()?;
        machine.phase = machine.phase_of(doc.phase)?;
        Ok(machine)
    }

    fn phase_of(&self, doc: PhaseDoc) -> Result<Phase, StateError> {
        Ok(match doc {
            PhaseDoc::Sending {} => Phase::Sending,
            PhaseDoc::Searching {
                not_before_ms,
                cursor,
                found,
                charges,
                page_token,
                page,
            } => Phase::Searching(Box::new(Search {
                not_before: Millis::from_unix_ms(not_before_ms),
                cursor: cursor
                    .as_deref()
                    .map(|c| id_of(c, "phase.cursor"))
                    .transpose()?,
                found: found
                    .iter()
                    .map(|t| transfer_of(t, "phase.found"))
                    .collect::<Result<_, _>>()?,
                charges: charges
                    .iter()
                    .map(|c| {
                        ChargeRecord::from_value(c)
                            .map_err(|e| StateError::new(format_args!("phase.charges: {e}")))
                    })
                    .collect::<Result<_, _>>()?,
                page_token,
                page: page.state()?,
            })),
            PhaseDoc::Reversing {
                transfer,
                payment,
                extras,
            } => Phase::Reversing(Box::new(Reversing {
                transfer: id_of(&transfer, "phase.transfer")?,
                payment: payment
                    .as_deref()
                    .map(|p| id_of(p, "phase.payment"))
                    .transpose()?,
                ops: extras
                    .iter()
                    .map(|op| self.op_of(op))
                    .collect::<Result<_, _>>()?,
            })),
            PhaseDoc::Done { outcome } => Phase::Done(outcome_of(&outcome)?),
            PhaseDoc::Escalated {
                reason,
                detail,
                field,
                request_id,
                transfers,
            } => Phase::Escalated(escalation_of(
                reason, detail, field, request_id, &transfers,
            )?),
        })
    }

    /// An extra's undoing; a transfer's reversal planned again (the plan is
    /// deterministic) with its saved amount.
    fn op_of(&self, doc: &OpDoc) -> Result<ReversalOp, StateError> {
        let extra = match doc.kind.as_str() {
            "transfer" => {
                let transfer = transfer_of(&doc.object, "phase.extras.object")?;
                let money = Money::from_minor(doc.amount, transfer.currency())
                    .map_err(|e| StateError::new(format_args!("phase.extras.amount: {e}")))?;
                let funds = Balance::new([money])
                    .map_err(|e| StateError::new(format_args!("phase.extras.amount: {e}")))?;
                let id = format!("duplicate-{}", transfer.id())
                    .parse()
                    .map_err(|_| StateError::new("phase.extras: no reversal id"))?;
                let plan = plan_reversal(&self.input, &transfer, Some(doc.amount), id, &funds)
                    .map_err(|e| StateError::new(format_args!("phase.extras: {e}")))?;
                Extra::Transfer {
                    transfer,
                    request: plan.request(),
                }
            }
            "charge" => Extra::Charge {
                charge: ChargeRecord::from_value(&doc.object)
                    .map_err(|e| StateError::new(format_args!("phase.extras.object: {e}")))?,
                platform: self.plan.transfer().destination(),
                debit: self.plan.debit_id(),
            },
            _ => return Err(StateError::new("phase.extras.kind: transfer or charge")),
        };
        if extra.amount() != doc.amount {
            return Err(StateError::new("phase.extras.amount: not the extra's"));
        }
        let state = match (doc.state.as_str(), doc.not_before_ms, &doc.page) {
            ("sending", None, None) => OpState::Sending,
            ("checking", Some(not_before), Some(page)) => OpState::Checking {
                not_before: Millis::from_unix_ms(not_before),
                page: page.state()?,
            },
            ("done", None, None) => OpState::Done(
                doc.reversal
                    .as_deref()
                    .map(|r| id_of(r, "phase.extras.reversal"))
                    .transpose()?,
            ),
            _ => {
                return Err(StateError::new(
                    "phase.extras.state: not an undoing's state",
                ));
            }
        };
        Ok(ReversalOp {
            extra,
            number: doc.number.max(1),
            key: doc.key.state()?,
            state,
        })
    }
}
