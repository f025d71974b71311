//! The results of the commands beside `plan`: `ReplyDecision` (`read_reply`), `FindResult`
//! (`find_debit`), `ReversalResult` (`plan_reversal`), `BatchResult` (`plan_batch`) and
//! `BookResult` (`reserve_book`).
//!
//! Each keeps the JSON the command line prints (the library's own output for the command)
//! and reads its main fields from it once, when made: the attribute a caller branches on
//! (`next` or `outcome`), and the values it acts on. `to_dict()` is that JSON, as the
//! Python objects `json.loads` gives.

use pyo3::prelude::*;
use serde_json::Value;

use crate::out::serialized;

pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ReplyDecision>()?;
    m.add_class::<FindResult>()?;
    m.add_class::<ReversalResult>()?;
    m.add_class::<BatchResult>()?;
    m.add_class::<BookResult>()?;
    Ok(())
}

/// The value at `path` in `json`, if there is one.
fn at<'a>(json: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(json, |value, key| value.get(key))
}

fn text(json: &Value, path: &[&str]) -> Option<String> {
    at(json, path).and_then(Value::as_str).map(str::to_owned)
}

fn int(json: &Value, path: &[&str]) -> Option<i64> {
    at(json, path).and_then(Value::as_i64)
}

fn flag(json: &Value, path: &[&str]) -> Option<bool> {
    at(json, path).and_then(Value::as_bool)
}

/// The strings of the array at `path` (empty when there is none).
fn texts(json: &Value, path: &[&str]) -> Vec<String> {
    at(json, path)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What Stripe's reply to a debit's request means: `next` is `"confirmed"`, `"mismatch"`,
/// `"retry"`, `"failed"` or `"in_doubt"`; the other attributes are `None` unless `next`
/// names them.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct ReplyDecision {
    json: Value,
    #[pyo3(get)]
    next: String,
    #[pyo3(get)]
    transfer: Option<String>,
    #[pyo3(get)]
    payment: Option<String>,
    #[pyo3(get)]
    replayed: Option<bool>,
    #[pyo3(get)]
    field: Option<String>,
    #[pyo3(get)]
    planned: Option<String>,
    #[pyo3(get)]
    returned: Option<String>,
    #[pyo3(get)]
    idempotency_key: Option<String>,
    /// The attempt a retry resends (its number, from 1).
    #[pyo3(get)]
    attempt: Option<i64>,
    #[pyo3(get)]
    delay_ms_min: Option<i64>,
    #[pyo3(get)]
    delay_ms_max: Option<i64>,
    #[pyo3(get)]
    status: Option<i64>,
    #[pyo3(get)]
    error_type: Option<String>,
    #[pyo3(get)]
    error_code: Option<String>,
    #[pyo3(get)]
    error_param: Option<String>,
    #[pyo3(get)]
    error_message: Option<String>,
    #[pyo3(get)]
    request_id: Option<String>,
    #[pyo3(get)]
    new_attempt_may_succeed: Option<bool>,
    #[pyo3(get)]
    reason: Option<String>,
}

impl ReplyDecision {
    pub(crate) fn new(json: Value) -> ReplyDecision {
        ReplyDecision {
            next: text(&json, &["next"]).unwrap_or_default(),
            transfer: text(&json, &["transfer"]),
            payment: text(&json, &["payment"]),
            replayed: flag(&json, &["replayed"]),
            field: text(&json, &["field"]),
            planned: text(&json, &["planned"]),
            returned: text(&json, &["returned"]),
            idempotency_key: text(&json, &["idempotency_key"]),
            attempt: int(&json, &["attempt"]),
            delay_ms_min: int(&json, &["delay_ms", "min"]),
            delay_ms_max: int(&json, &["delay_ms", "max"]),
            status: int(&json, &["status"]),
            error_type: text(&json, &["error", "type"]),
            error_code: text(&json, &["error", "code"]),
            error_param: text(&json, &["error", "param"]),
            error_message: text(&json, &["error", "message"]),
            request_id: text(&json, &["request_id"]),
            new_attempt_may_succeed: flag(&json, &["new_attempt_may_succeed"]),
            reason: text(&json, &["reason"]),
            json,
        }
    }
}

#[pymethods]
impl ReplyDecision {
    /// The decision as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.json)
    }

    fn __repr__(&self) -> String {
        match &self.reason {
            Some(reason) => format!("ReplyDecision({}: {reason})", self.next),
            None => format!("ReplyDecision({})", self.next),
        }
    }
}

/// The debit among the connected account's transfers: `outcome` is `"found"`,
/// `"not_found"` or `"duplicated"` (a double debit: undo the extra transfers, whose
/// reversals `to_dict()["reversals"]` plans).
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct FindResult {
    json: Value,
    #[pyo3(get)]
    outcome: String,
    /// The ids of the debit's transfers found.
    #[pyo3(get)]
    transfers: Vec<String>,
    #[pyo3(get)]
    transfer: Option<String>,
    #[pyo3(get)]
    payment: Option<String>,
    #[pyo3(get)]
    kept: Option<String>,
    #[pyo3(get)]
    list_complete: Option<bool>,
}

impl FindResult {
    pub(crate) fn new(json: Value) -> FindResult {
        FindResult {
            outcome: text(&json, &["outcome"]).unwrap_or_default(),
            transfers: texts(&json, &["transfers"]),
            transfer: text(&json, &["transfer"]),
            payment: text(&json, &["payment"]),
            kept: text(&json, &["kept"]),
            list_complete: flag(&json, &["list_complete"]),
            json,
        }
    }
}

#[pymethods]
impl FindResult {
    /// The result as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.json)
    }

    fn __repr__(&self) -> String {
        format!(
            "FindResult({}: {})",
            self.outcome,
            self.transfers.join(", ")
        )
    }
}

/// The reversal of the debit's transfer: `outcome` is `"planned"` (with the amount and
/// the request's idempotency key and `Stripe-Account`) or `"rejected"` (with `codes`).
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct ReversalResult {
    json: Value,
    #[pyo3(get)]
    outcome: String,
    #[pyo3(get)]
    amount: Option<i64>,
    #[pyo3(get)]
    idempotency_key: Option<String>,
    #[pyo3(get)]
    stripe_account: Option<String>,
    /// The violations' codes, in order (empty when planned).
    #[pyo3(get)]
    codes: Vec<String>,
}

impl ReversalResult {
    pub(crate) fn new(json: Value) -> ReversalResult {
        let codes = at(&json, &["violations"])
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| text(item, &["code"]))
                    .collect()
            })
            .unwrap_or_default();
        ReversalResult {
            outcome: text(&json, &["outcome"]).unwrap_or_default(),
            amount: int(&json, &["amount"]),
            idempotency_key: text(&json, &["request", "headers", "Idempotency-Key"]),
            stripe_account: text(&json, &["request", "headers", "Stripe-Account"]),
            codes,
            json,
        }
    }
}

#[pymethods]
impl ReversalResult {
    /// The result as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.json)
    }

    fn __repr__(&self) -> String {
        if self.codes.is_empty() {
            format!("ReversalResult({})", self.outcome)
        } else {
            format!(
                "ReversalResult({}: {})",
                self.outcome,
                self.codes.join(", ")
            )
        }
    }
}

/// A batch of debits planned in order: `outcome` is `"planned"` when every debit is, else
/// `"rejected"`; `rejected` counts the rejected ones; `complete` is false when an entry of a
/// balance could not be read (the command line's exit status 6, whatever the outcome), and
/// `to_dict()` has each debit's outcome and start offset, the balances, the reserve's
/// change and the entries not counted.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct BatchResult {
    json: Value,
    outcome: &'static str,
    #[pyo3(get)]
    rejected: u64,
    /// How many debits the batch has.
    #[pyo3(get)]
    debits: usize,
    /// Whether every entry of every balance was read and counted.
    #[pyo3(get)]
    complete: bool,
}

impl BatchResult {
    pub(crate) fn new(json: Value) -> BatchResult {
        let rejected = at(&json, &["rejected"])
            .and_then(Value::as_u64)
            .unwrap_or_default();
        BatchResult {
            outcome: if rejected == 0 { "planned" } else { "rejected" },
            rejected,
            debits: at(&json, &["outcomes"])
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            // Absent only if the library's output lost it: then not known to be complete.
            complete: flag(&json, &["complete"]).unwrap_or(false),
            json,
        }
    }
}

#[pymethods]
impl BatchResult {
    /// `"planned"` when every debit is planned, else `"rejected"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        self.outcome
    }

    /// The batch as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.json)
    }

    fn __repr__(&self) -> String {
        format!(
            "BatchResult({} of {} debits rejected)",
            self.rejected, self.debits
        )
    }
}

/// The reserve Stripe holds on the platform for negative connected balances, and the
/// accounts it zeroes from the reserve within `within_days`: all in `to_dict()`. `complete`
/// is false when an entry of a balance could not be read (the command line's exit status
/// 6): the reserve may then be short, and `to_dict()["uncounted"]` names each entry.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct BookResult {
    json: Value,
    #[pyo3(get)]
    within_days: u32,
    /// Whether every entry of every balance was read and counted.
    #[pyo3(get)]
    complete: bool,
}

impl BookResult {
    pub(crate) fn new(json: Value, within_days: u32) -> BookResult {
        BookResult {
            complete: flag(&json, &["complete"]).unwrap_or(false),
            json,
            within_days,
        }
    }
}

#[pymethods]
impl BookResult {
    /// The book as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.json)
    }

    fn __repr__(&self) -> String {
        format!("BookResult(within {} days)", self.within_days)
    }
}
