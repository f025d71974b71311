//! The results of the commands beside `plan`: `ReplyDecision` (`read_reply`), `FindResult`
//! (`find_debit`), `ReversalResult` (`plan_reversal`), `BatchResult` (`plan_batch`) and
//! `BookResult` (`reserve_book`).
//!
//! Each wraps the library's typed output for the command (`json::ReplyDecision`, ...):
//! the attribute a caller branches on (`next` or `outcome`) is its kind, the others read
//! its fields (`None` where the kind has no such field), and `to_dict()` serializes it
//! straight into the Python objects `json.loads` gives for the JSON the command line
//! prints. Each compares by value, hashes by value, pickles, and says what it is in its
//! `repr()`.

use pyo3::prelude::*;
use stripe_account_debits::json::{self, FindResult as Find, ReplyDecision as Decision};
use stripe_account_debits::json::{ReversalResult as Reversal, out};

use crate::out::value_class;

pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReplyDecision>()?;
    m.add_class::<FindResult>()?;
    m.add_class::<ReversalResult>()?;
    m.add_class::<BatchResult>()?;
    m.add_class::<BookResult>()?;
    Ok(())
}

/// What Stripe's reply to a debit's request means: `next` is `"confirmed"`, `"mismatch"`,
/// `"retry"`, `"failed"` or `"in_doubt"`; the other attributes are `None` unless `next`
/// names them.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct ReplyDecision {
    inner: Decision,
}

impl ReplyDecision {
    pub(crate) fn from_inner(inner: Decision) -> ReplyDecision {
        ReplyDecision { inner }
    }

    fn confirmed(&self) -> Option<&out::Confirmed> {
        match &self.inner {
            Decision::Confirmed(confirmed) => Some(confirmed),
            _ => None,
        }
    }

    fn mismatch(&self) -> Option<&out::Mismatch> {
        match &self.inner {
            Decision::Mismatch(mismatch) => Some(mismatch),
            _ => None,
        }
    }

    fn retry(&self) -> Option<&out::Retry> {
        match &self.inner {
            Decision::Retry(retry) => Some(retry),
            _ => None,
        }
    }

    fn failed(&self) -> Option<&out::Failed> {
        match &self.inner {
            Decision::Failed(failed) => Some(failed),
            _ => None,
        }
    }
}

value_class!(ReplyDecision, Decision {
    #[getter]
    fn next(&self) -> &'static str {
        self.inner.kind().code()
    }

    #[getter]
    fn transfer(&self) -> Option<String> {
        self.confirmed().map(|c| c.transfer.to_string())
    }

    #[getter]
    fn payment(&self) -> Option<String> {
        self.confirmed().map(|c| c.payment.to_string())
    }

    #[getter]
    fn replayed(&self) -> Option<bool> {
        self.confirmed().map(|c| c.replayed)
    }

    #[getter]
    fn field(&self) -> Option<&str> {
        self.mismatch().map(|m| m.field.as_ref())
    }

    #[getter]
    fn planned(&self) -> Option<&str> {
        self.mismatch().map(|m| m.planned.as_str())
    }

    #[getter]
    fn returned(&self) -> Option<&str> {
        self.mismatch().map(|m| m.returned.as_str())
    }

    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.retry().map(|r| r.idempotency_key.as_str())
    }

    /// The attempt a retry resends (its number, from 1).
    #[getter]
    fn attempt(&self) -> Option<u32> {
        self.retry().map(|r| r.attempt)
    }

    #[getter]
    fn delay_ms_min(&self) -> Option<u64> {
        self.retry().map(|r| r.delay_ms.min)
    }

    #[getter]
    fn delay_ms_max(&self) -> Option<u64> {
        self.retry().map(|r| r.delay_ms.max)
    }

    #[getter]
    fn status(&self) -> Option<u16> {
        match &self.inner {
            Decision::Failed(failed) => Some(failed.status),
            Decision::InDoubt(in_doubt) => in_doubt.status,
            _ => None,
        }
    }

    #[getter]
    fn error_type(&self) -> Option<&str> {
        self.failed().and_then(|f| f.error.kind.as_deref())
    }

    #[getter]
    fn error_code(&self) -> Option<&str> {
        self.failed().and_then(|f| f.error.code.as_deref())
    }

    #[getter]
    fn error_param(&self) -> Option<&str> {
        self.failed().and_then(|f| f.error.param.as_deref())
    }

    #[getter]
    fn error_message(&self) -> Option<&str> {
        self.failed().and_then(|f| f.error.message.as_deref())
    }

    #[getter]
    fn request_id(&self) -> Option<&str> {
        match &self.inner {
            Decision::Failed(failed) => failed.request_id.as_deref(),
            Decision::InDoubt(in_doubt) => in_doubt.request_id.as_deref(),
            _ => None,
        }
    }

    #[getter]
    fn new_attempt_may_succeed(&self) -> Option<bool> {
        self.failed().map(|f| f.new_attempt_may_succeed)
    }

    #[getter]
    fn reason(&self) -> Option<&str> {
        match &self.inner {
            Decision::Retry(retry) => Some(retry.reason.as_ref()),
            Decision::InDoubt(in_doubt) => Some(in_doubt.reason.as_ref()),
            _ => None,
        }
    }

    fn __repr__(&self) -> String {
        let what = match &self.inner {
            Decision::Confirmed(c) => format!("transfer {}, payment {}", c.transfer, c.payment),
            Decision::Mismatch(m) => {
                format!("{}: {} planned, {} returned", m.field, m.planned, m.returned)
            }
            Decision::Retry(r) => format!(
                "{}: attempt {} in {} to {} ms",
                r.reason, r.attempt, r.delay_ms.min, r.delay_ms.max
            ),
            Decision::Failed(f) => format!(
                "{} {}",
                f.status,
                f.error.kind.as_deref().unwrap_or("no error type")
            ),
            Decision::InDoubt(d) => d.reason.to_string(),
        };
        format!("ReplyDecision({}: {what})", self.inner.kind().code())
    }
});

/// The debit among the connected account's transfers: `outcome` is `"found"`,
/// `"not_found"` or `"duplicated"` (a double debit: undo the extra transfers, whose
/// reversals `to_dict()["reversals"]` plans).
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct FindResult {
    inner: Find,
}

impl FindResult {
    pub(crate) fn from_inner(inner: Find) -> FindResult {
        FindResult { inner }
    }
}

value_class!(FindResult, Find {
    #[getter]
    fn outcome(&self) -> &'static str {
        self.inner.kind().code()
    }

    /// The ids of the debit's transfers found.
    #[getter]
    fn transfers(&self) -> Vec<String> {
        self.inner.transfers().iter().map(ToString::to_string).collect()
    }

    #[getter]
    fn transfer(&self) -> Option<String> {
        match &self.inner {
            Find::Found(found) => Some(found.transfer.to_string()),
            _ => None,
        }
    }

    #[getter]
    fn payment(&self) -> Option<String> {
        match &self.inner {
            Find::Found(found) => found.payment.map(|p| p.to_string()),
            _ => None,
        }
    }

    #[getter]
    fn kept(&self) -> Option<String> {
        match &self.inner {
            Find::Duplicated(duplicated) => Some(duplicated.kept.to_string()),
            _ => None,
        }
    }

    #[getter]
    fn list_complete(&self) -> Option<bool> {
        match &self.inner {
            Find::NotFound(none) => Some(none.list_complete),
            _ => None,
        }
    }

    fn __repr__(&self) -> String {
        let what = match &self.inner {
            Find::NotFound(none) if !none.list_complete => {
                "none on this page: the list is not complete".to_owned()
            }
            _ => self.transfers().join(", "),
        };
        format!("FindResult({}: {what})", self.inner.kind().code())
    }
});

/// The reversal of the debit's transfer: `outcome` is `"planned"` (with the amount and
/// the request's idempotency key and `Stripe-Account`) or `"rejected"` (with `codes`).
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct ReversalResult {
    inner: Reversal,
}

impl ReversalResult {
    pub(crate) fn from_inner(inner: Reversal) -> ReversalResult {
        ReversalResult { inner }
    }

    fn planned(&self) -> Option<&out::ReversalPlanned> {
        match &self.inner {
            Reversal::Planned(plan) => Some(plan),
            Reversal::Rejected(_) => None,
        }
    }
}

value_class!(ReversalResult, Reversal {
    #[getter]
    fn outcome(&self) -> &'static str {
        self.inner.kind().code()
    }

    #[getter]
    fn amount(&self) -> Option<i64> {
        self.planned().map(|plan| plan.amount)
    }

    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.planned().map(|plan| plan.request.headers.idempotency_key.as_str())
    }

    #[getter]
    fn stripe_account(&self) -> Option<&str> {
        self.planned().map(|plan| plan.request.headers.stripe_account.as_str())
    }

    /// The violations' codes, in order (empty when planned).
    #[getter]
    fn codes(&self) -> Vec<&str> {
        match &self.inner {
            Reversal::Planned(_) => Vec::new(),
            Reversal::Rejected(rejected) => {
                rejected.violations.iter().map(|v| v.code.as_ref()).collect()
            }
        }
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            Reversal::Planned(plan) => format!(
                "ReversalResult(planned: {} of {} {}, Idempotency-Key {})",
                plan.amount,
                plan.transfer,
                plan.connected_available.currency,
                plan.request.headers.idempotency_key
            ),
            Reversal::Rejected(_) => format!("ReversalResult(rejected: {})", self.codes().join(", ")),
        }
    }
});

/// A batch of debits planned in order: `outcome` is `"planned"` when every debit is, else
/// `"rejected"`; `rejected` counts the rejected ones; `complete` is false when an entry of a
/// balance could not be read (the command line's exit status 6, whatever the outcome), and
/// `to_dict()` has each debit's outcome and start offset, the balances, the reserve's
/// change and the entries not counted.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct BatchResult {
    inner: json::BatchResult,
}

impl BatchResult {
    pub(crate) fn from_inner(inner: json::BatchResult) -> BatchResult {
        BatchResult { inner }
    }
}

value_class!(BatchResult, json::BatchResult {
    /// `"planned"` when every debit is planned, else `"rejected"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        if self.inner.rejected == 0 {
            "planned"
        } else {
            "rejected"
        }
    }

    #[getter]
    fn rejected(&self) -> usize {
        self.inner.rejected
    }

    /// How many debits the batch has.
    #[getter]
    fn debits(&self) -> usize {
        self.inner.outcomes.len()
    }

    /// Whether every entry of every balance was read and counted.
    #[getter]
    fn complete(&self) -> bool {
        self.inner.complete
    }

    fn __repr__(&self) -> String {
        format!(
            "BatchResult({} of {} debits rejected, {} requests at {} a second{})",
            self.inner.rejected,
            self.inner.outcomes.len(),
            self.inner.schedule.requests,
            self.inner.schedule.requests_per_second,
            if self.inner.complete { "" } else { "; the book is incomplete" }
        )
    }
});

/// The reserve Stripe holds on the platform for negative connected balances, and the
/// accounts it zeroes from the reserve within `within_days`: all in `to_dict()`. `complete`
/// is false when an entry of a balance could not be read (the command line's exit status
/// 6): the reserve may then be short, and `to_dict()["uncounted"]` names each entry.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct BookResult {
    inner: json::BookResult,
}

impl BookResult {
    pub(crate) fn from_inner(inner: json::BookResult) -> BookResult {
        BookResult { inner }
    }
}

value_class!(BookResult, json::BookResult {
    #[getter]
    fn within_days(&self) -> u32 {
        self.inner.ageing.within_days
    }

    /// Whether every entry of every balance was read and counted.
    #[getter]
    fn complete(&self) -> bool {
        self.inner.complete
    }

    fn __repr__(&self) -> String {
        let reserve: Vec<String> = self
            .inner
            .reserve
            .iter()
            .map(|m| format!("{} {}", m.amount, m.currency))
            .collect();
        format!(
            "BookResult(reserve {} in minor units, {} accounts below zero, {} zeroed within {} days{})",
            if reserve.is_empty() { "none".to_owned() } else { reserve.join(", ") },
            self.inner.accounts.len(),
            self.inner.ageing.accounts.len(),
            self.inner.ageing.within_days,
            if self.inner.complete { "" } else { "; the book is incomplete" }
        )
    }
});
