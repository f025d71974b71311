//! The lifecycle commands' outputs as typed values: [`ReplyDecision`] (`reply`),
//! [`FindResult`] (`find`) and [`ReversalResult`] (`reverse`), each with its kind.
//!
//! Every object writes its fields with their names in alphabetical order: the order these
//! commands have always printed.

use std::borrow::Cow;

use serde::{Deserialize, Serialize, Serializer};

use crate::adapters::json::outcome::{
    BalanceChange, Code, Coded, MoneyOut, PlannedTag, RejectedTag, json_display, tags,
};
use crate::debit::plan::DebitPlan;
use crate::lifecycle::{
    Failure, FindKind, Found as Search, Next, ReplyKind, ReversalPlan, ReversalRejection,
};
use crate::request::IdempotencyKey;
use crate::stripe::id::TransactionId;
use crate::value::currency::WireCode;

/// What to do when in doubt, written into the output.
const WHEN_IN_DOUBT: &str = "send nothing more: list the connected account's transfers and run `find` with them (the debit's transfer carries metadata[account_debit_id])";

tags! {
    ConfirmedTag = "confirmed";
    MismatchTag = "mismatch";
    RetryTag = "retry";
    FailedTag = "failed";
    InDoubtTag = "in_doubt";
    FoundTag = "found";
    NotFoundTag = "not_found";
    DuplicatedTag = "duplicated";
}

/// The output of `reply`: what Stripe's reply to the debit's request means. It serializes
/// as the command prints it (`{"next": "confirmed", ...}`), reads back what it wrote, and
/// `Display`s as JSON (indented with `{:#}`).
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ReplyDecision};
/// use stripe_account_debits::lifecycle::ReplyKind;
///
/// let input = include_str!("../../../../examples/lifecycle/reply-retry.json");
/// let decision = json::reply(input)?;
/// assert_eq!(decision.kind(), ReplyKind::Retry);
/// let ReplyDecision::Retry(retry) = &decision else { unreachable!() };
/// assert_eq!((retry.delay_ms.min, retry.reason.as_ref()), (500, "no_reply"));
/// assert!(decision.to_string().starts_with(r#"{"attempt":1,"delay_ms":{"max":500,"min":500},"#));
/// # Ok::<(), json::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReplyDecision {
    /// `"next": "confirmed"`.
    Confirmed(Confirmed),
    /// `"next": "failed"`.
    Failed(Box<Failed>),
    /// `"next": "in_doubt"`.
    InDoubt(InDoubt),
    /// `"next": "mismatch"`.
    Mismatch(Mismatch),
    /// `"next": "retry"`.
    Retry(Retry),
}

/// The debit is done: Stripe returned the planned Transfer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Confirmed {
    next: ConfirmedTag,
    /// The Payment on the platform (`py_...`).
    pub payment: TransactionId,
    /// Whether the reply was a replay of an earlier send's result.
    pub replayed: bool,
    /// The Transfer on the connected account (`tr_...`).
    pub transfer: TransactionId,
}

/// Stripe refused the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Failed {
    /// Stripe's error object.
    pub error: StripeErrorOut,
    /// The error is an `idempotency_error`: fix the debit's id.
    pub idempotency_error: bool,
    /// Whether a new attempt (a new key) could succeed once what the error names is put
    /// right.
    pub new_attempt_may_succeed: bool,
    next: FailedTag,
    /// The `Request-Id` header.
    pub request_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
}

impl Failed {
    fn of(failure: &Failure) -> Failed {
        Failed {
            error: StripeErrorOut {
                code: failure.error().code().map(str::to_owned),
                message: failure.error().message().map(str::to_owned),
                param: failure.error().param().map(str::to_owned),
                kind: failure.error().error_type().map(str::to_owned),
            },
            idempotency_error: failure.idempotency_error(),
            new_attempt_may_succeed: failure.new_attempt_may_succeed(),
            next: FailedTag,
            request_id: failure.request_id().map(str::to_owned),
            status: failure.status(),
        }
    }
}

/// Stripe's error object: each field `null` when Stripe gave none.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StripeErrorOut {
    /// `code`.
    pub code: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `param`.
    pub param: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// Send nothing more: look for the debit's transfer first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InDoubt {
    next: InDoubtTag,
    /// Why.
    pub reason: Code,
    /// The last reply's `Request-Id`.
    pub request_id: Option<String>,
    /// The last reply's status, if there was one.
    pub status: Option<u16>,
    /// What to do.
    pub then: Code,
}

/// Stripe returned a Transfer that is not the planned one: stop and look.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mismatch {
    /// The first field that differs.
    pub field: Code,
    next: MismatchTag,
    /// What was planned.
    pub planned: String,
    /// What came back, escaped and cut short.
    pub returned: String,
}

/// Resend the same request after waiting a point of `delay_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Retry {
    /// The attempt to resend (from 1).
    pub attempt: u32,
    /// How long to wait first, in milliseconds.
    pub delay_ms: DelayOut,
    /// The attempt's `Idempotency-Key`.
    pub idempotency_key: IdempotencyKey,
    next: RetryTag,
    /// Why.
    pub reason: Code,
}

/// A window of milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DelayOut {
    /// The longest wait.
    pub max: u64,
    /// The shortest wait.
    pub min: u64,
}

impl ReplyDecision {
    /// The output of `next`, the decision on a reply to `plan`'s request.
    pub fn of(plan: &DebitPlan, next: &Next) -> ReplyDecision {
        match next {
            Next::Confirmed {
                transfer,
                payment,
                replayed,
                ..
            } => ReplyDecision::Confirmed(Confirmed {
                next: ConfirmedTag,
                payment: *payment,
                replayed: *replayed,
                transfer: *transfer,
            }),
            Next::Mismatch {
                field,
                planned,
                returned,
                ..
            } => ReplyDecision::Mismatch(Mismatch {
                field: Cow::Borrowed(field.name()),
                next: MismatchTag,
                planned: planned.clone(),
                returned: returned.clone(),
            }),
            Next::Retry {
                attempt,
                delay,
                reason,
                ..
            } => ReplyDecision::Retry(Retry {
                attempt: attempt.get(),
                delay_ms: DelayOut {
                    max: delay.max_ms(),
                    min: delay.min_ms(),
                },
                idempotency_key: plan.idempotency_key_for(*attempt),
                next: RetryTag,
                reason: Cow::Borrowed(reason.code()),
            }),
            Next::Failed(failure) => ReplyDecision::Failed(Box::new(Failed::of(failure))),
            Next::InDoubt {
                reason,
                status,
                request_id,
                ..
            } => ReplyDecision::InDoubt(InDoubt {
                next: InDoubtTag,
                reason: Cow::Borrowed(reason.code()),
                request_id: request_id.clone(),
                status: *status,
                then: Cow::Borrowed(WHEN_IN_DOUBT),
            }),
        }
    }

    /// What it says.
    pub fn kind(&self) -> ReplyKind {
        match self {
            ReplyDecision::Confirmed(_) => ReplyKind::Confirmed,
            ReplyDecision::Failed(_) => ReplyKind::Failed,
            ReplyDecision::InDoubt(_) => ReplyKind::InDoubt,
            ReplyDecision::Mismatch(_) => ReplyKind::Mismatch,
            ReplyDecision::Retry(_) => ReplyKind::Retry,
        }
    }
}

/// The output of `find`: the debit among the connected account's transfers. It serializes
/// as the command prints it, reads back what it wrote, and `Display`s as JSON.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
/// use stripe_account_debits::lifecycle::FindKind;
///
/// let input = include_str!("../../../../examples/lifecycle/find-duplicated.json");
/// let found = json::find(input)?;
/// assert_eq!(found.kind(), FindKind::Duplicated);
/// assert_eq!(found.transfers().len(), 2);
/// # Ok::<(), json::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FindResult {
    /// `"outcome": "found"`.
    Found(Found),
    /// `"outcome": "not_found"`.
    NotFound(NotFound),
    /// `"outcome": "duplicated"`.
    Duplicated(Duplicated),
}

/// One transfer carries the debit's id: the debit happened, once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Found {
    outcome: FoundTag,
    /// The Payment it made on the platform, when the list gave it.
    pub payment: Option<TransactionId>,
    /// The transfer.
    pub transfer: TransactionId,
    /// The transfer, alone.
    pub transfers: Vec<TransactionId>,
}

/// No transfer carries the debit's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NotFound {
    /// Whether the list was complete (else, fetch the next page before concluding).
    pub list_complete: bool,
    outcome: NotFoundTag,
    /// None.
    pub transfers: Vec<TransactionId>,
}

/// More than one transfer carries the debit's id: the first created is kept, each other
/// undone by its reversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Duplicated {
    /// The transfer kept.
    pub kept: TransactionId,
    outcome: DuplicatedTag,
    /// The reversal of each other transfer, in turn (each names its `transfer`).
    pub reversals: Vec<ReversalResult>,
    /// The transfers, the kept one first.
    pub transfers: Vec<TransactionId>,
}

impl FindResult {
    /// The output of a search.
    pub fn of(found: &Search) -> FindResult {
        match found {
            Search::Found(transfer) => FindResult::Found(Found {
                outcome: FoundTag,
                payment: transfer.destination_payment(),
                transfer: transfer.id(),
                transfers: vec![transfer.id()],
            }),
            Search::NotFound { list_complete, .. } => FindResult::NotFound(NotFound {
                list_complete: *list_complete,
                outcome: NotFoundTag,
                transfers: Vec::new(),
            }),
            Search::Duplicated { kept, extras, .. } => FindResult::Duplicated(Duplicated {
                kept: kept.id(),
                outcome: DuplicatedTag,
                reversals: extras
                    .iter()
                    .map(|extra| ReversalResult::of(&extra.reversal).naming(extra.transfer.id()))
                    .collect(),
                transfers: core::iter::once(kept.id())
                    .chain(extras.iter().map(|extra| extra.transfer.id()))
                    .collect(),
            }),
        }
    }

    /// What it says.
    pub fn kind(&self) -> FindKind {
        match self {
            FindResult::Found(_) => FindKind::Found,
            FindResult::NotFound(_) => FindKind::NotFound,
            FindResult::Duplicated(_) => FindKind::Duplicated,
        }
    }

    /// The ids of the debit's transfers found (the kept one first).
    pub fn transfers(&self) -> &[TransactionId] {
        match self {
            FindResult::Found(found) => &found.transfers,
            FindResult::NotFound(none) => &none.transfers,
            FindResult::Duplicated(duplicated) => &duplicated.transfers,
        }
    }
}

/// What a [`ReversalResult`] says: its `outcome` field, and the command line's exit
/// status. Exhaustive on purpose: a new kind is a compile error wherever kinds are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReversalKind {
    /// The reversal is planned.
    Planned,
    /// It breaks a rule.
    Rejected,
}

impl ReversalKind {
    /// `"planned"` or `"rejected"`.
    pub const fn code(self) -> &'static str {
        match self {
            ReversalKind::Planned => "planned",
            ReversalKind::Rejected => "rejected",
        }
    }
}

/// The output of `reverse` (and each reversal of a double debit `find` plans). It
/// serializes as the command prints it, reads back what it wrote, and `Display`s as JSON.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ReversalKind, ReversalResult};
///
/// let input = include_str!("../../../../examples/lifecycle/reverse-planned.json");
/// let reversal = json::reverse(input)?;
/// assert_eq!(reversal.kind(), ReversalKind::Planned);
/// let ReversalResult::Planned(plan) = &reversal else { unreachable!() };
/// assert_eq!(plan.request.method, "POST");
/// # Ok::<(), json::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ReversalResult {
    /// `"outcome": "planned"`.
    Planned(Box<ReversalPlanned>),
    /// `"outcome": "rejected"`.
    Rejected(ReversalRejected),
}

/// A planned reversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReversalPlanned {
    /// What it reverses, in minor units.
    pub amount: i64,
    /// The connected account's available balance, before and after.
    pub connected_available: BalanceChange,
    outcome: PlannedTag,
    /// The platform's available balance, before and after.
    pub platform_available: BalanceChange,
    /// The change to the platform's available balance, in minor units.
    pub platform_available_change: i64,
    /// The request.
    pub request: ReversalRequestOut,
    /// The reserve Stripe releases, if any.
    pub reserve_release: Option<MoneyOut>,
    /// The transfer reversed.
    pub transfer: TransactionId,
}

/// A reversal's request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReversalRequestOut {
    /// `[name, value]` pairs, in order.
    pub form: Vec<(Code, String)>,
    /// The headers besides authentication.
    pub headers: ReversalHeaders,
    /// `"POST"`.
    pub method: Code,
    /// `/v1/transfers/<id>/reversals`.
    pub path: String,
}

/// A reversal's request's headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReversalHeaders {
    /// `Content-Type`.
    #[serde(rename = "Content-Type")]
    pub content_type: Code,
    /// `Idempotency-Key`.
    #[serde(rename = "Idempotency-Key")]
    pub idempotency_key: String,
    /// `Stripe-Account`: the connected account.
    #[serde(rename = "Stripe-Account")]
    pub stripe_account: String,
}

/// A rejected reversal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReversalRejected {
    outcome: RejectedTag,
    /// The transfer it would have reversed: named in `find`'s reversals, not by `reverse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<TransactionId>,
    /// The rules it breaks.
    #[serde(serialize_with = "sorted_coded")]
    pub violations: Vec<Coded>,
}

/// Violations, each with its fields in alphabetical order.
pub(crate) fn sorted_coded<S: Serializer>(
    list: &[Coded],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(list.iter().map(Sorted))
}

/// A violation written with its fields in alphabetical order.
pub(crate) struct Sorted<'a>(pub(crate) &'a Coded);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_sorted(serializer)
    }
}

impl ReversalResult {
    /// The output of a reversal planned or rejected.
    pub fn of(result: &Result<ReversalPlan, ReversalRejection>) -> ReversalResult {
        match result {
            Ok(plan) => ReversalResult::Planned(Box::new(planned(plan))),
            Err(rejection) => ReversalResult::Rejected(ReversalRejected {
                outcome: RejectedTag,
                transfer: None,
                // As a debit's rejection is written: each violation's fields beside its
                // code and message, money in minor units with its currency.
                violations: rejection
                    .violations()
                    .iter()
                    .map(Coded::violation)
                    .collect(),
            }),
        }
    }

    /// What it says.
    pub fn kind(&self) -> ReversalKind {
        match self {
            ReversalResult::Planned(_) => ReversalKind::Planned,
            ReversalResult::Rejected(_) => ReversalKind::Rejected,
        }
    }

    /// The same, naming `transfer` as the one reversed (as `find`'s reversals do).
    fn naming(self, transfer: TransactionId) -> ReversalResult {
        match self {
            ReversalResult::Planned(mut plan) => {
                plan.transfer = transfer;
                ReversalResult::Planned(plan)
            }
            ReversalResult::Rejected(rejected) => ReversalResult::Rejected(ReversalRejected {
                transfer: Some(transfer),
                ..rejected
            }),
        }
    }
}

/// A planned reversal.
fn planned(plan: &ReversalPlan) -> ReversalPlanned {
    let request = plan.request();
    let currency = WireCode::of(plan.amount().currency());
    // In the order `ReversalRequest::headers` documents.
    let [(_, stripe_account), (_, idempotency_key), (_, content_type)] = request.headers();
    ReversalPlanned {
        amount: plan.amount().minor(),
        connected_available: BalanceChange {
            after: plan.connected_after().minor(),
            before: plan.connected_before().minor(),
            currency,
        },
        outcome: PlannedTag,
        platform_available: BalanceChange {
            after: plan.platform_after().minor(),
            before: plan.platform_before().minor(),
            currency,
        },
        platform_available_change: plan.platform_available_change().minor(),
        request: ReversalRequestOut {
            form: request
                .form()
                .into_iter()
                .map(|(name, value)| (Cow::Borrowed(name), value.to_owned()))
                .collect(),
            headers: ReversalHeaders {
                content_type: Cow::Owned(content_type.to_owned()),
                idempotency_key: idempotency_key.to_owned(),
                stripe_account: stripe_account.to_owned(),
            },
            method: Cow::Borrowed(request.method()),
            path: request.path().to_owned(),
        },
        reserve_release: plan.reserve_release().map(|release| MoneyOut {
            amount: release.minor(),
            currency,
        }),
        transfer: plan.transfer().id(),
    }
}

json_display!(ReplyDecision, FindResult, ReversalResult);
