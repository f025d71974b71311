//! The Python extension `stripe_account_debits._native`: the library's rules for Python
//! services. It only converts: every input from Python objects into the library's one
//! reader, through the deserializer in `de.rs` (no JSON text, no tree in between), and the
//! library's results into Python objects. The Python package `stripe_account_debits`
//! re-exports it.

// As in the library: no way to panic on what a caller passes (every failure is a Python
// exception), and no function longer than 60 lines.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines
)]
// The only unsafe code is what pyo3's macros generate.
#![deny(unsafe_code)]

mod columns;
mod de;
mod machine;
mod out;
mod pyser;
mod results;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use stripe_account_debits::json::{self, ReadError};

/// `stripe_account_debits.ReadError`, defined in Python (`_errors.py`).
static READ_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `ReadError(kind, path, message)` exception, chained to `cause` when there is one; or
/// `cause` itself, untouched, when it [must propagate](de::must_propagate) (a
/// `KeyboardInterrupt`, a `SystemExit`, a `MemoryError` raised by Python code run while
/// reading).
pub(crate) fn read_error(
    py: Python<'_>,
    kind: &str,
    path: &str,
    message: &str,
    cause: Option<PyErr>,
) -> PyErr {
    let cause = match cause {
        Some(cause) if de::must_propagate(py, &cause) => return cause,
        cause => cause,
    };
    let class = match READ_ERROR.import(py, "stripe_account_debits._errors", "ReadError") {
        Ok(class) => class,
        Err(err) => return err,
    };
    match class.call1((kind, path, message)) {
        Ok(value) => {
            let err = PyErr::from_value(value);
            err.set_cause(py, cause);
            err
        }
        Err(err) => err,
    }
}

/// The library's typed error as `ReadError`: its kind, path and message as they are.
pub(crate) fn library_error(py: Python<'_>, error: &ReadError) -> PyErr {
    read_error(py, error.kind().code(), error.path(), error.message(), None)
}

/// Why a reading failed, as the parts of a `ReadError`: its kind's code, its path, its
/// message, and the Python exception behind it, if any.
pub(crate) struct Failed {
    pub(crate) kind: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) cause: Option<PyErr>,
}

impl Failed {
    /// As the `ReadError` Python sees (or the cause itself, when it must propagate).
    pub(crate) fn into_err(self, py: Python<'_>) -> PyErr {
        read_error(py, self.kind, &self.path, &self.message, self.cause)
    }
}

/// Reads `input` with `read` (one of the library's `*_from_deserializer`) through the
/// deserializer over Python objects. A failure the deserializer found itself (a Python type
/// JSON does not have, an exception raised by `to_dict()`) comes first, with its path and
/// its cause; else the library's own error. The failure as its parts, for a caller that
/// names another path (`columns.rs`).
pub(crate) fn read_python_parts<'py, T>(
    input: &Bound<'py, PyAny>,
    reading: de::Reading<'py>,
    read: impl for<'r> FnOnce(de::Value<'r, 'r, 'py>) -> Result<T, ReadError>,
) -> Result<T, Box<Failed>> {
    // Dicts cannot give a key twice: Stripe's objects are read by looking up their keys.
    let read = json::host::with_lookup(|| read(de::Value::root(input.clone(), &reading)));
    match (read, reading.failure()) {
        (_, Some(failure)) => Err(Box::new(Failed {
            kind: failure.kind.code(),
            path: failure.path,
            message: failure.message,
            cause: failure.cause,
        })),
        (Ok(value), None) => Ok(value),
        (Err(error), None) => Err(Box::new(Failed {
            kind: error.kind().code(),
            path: error.path().to_owned(),
            message: error.message().to_owned(),
            cause: None,
        })),
    }
}

/// [`read_python_parts`], its failure as the `ReadError` Python sees.
fn read_python<'py, T>(
    input: &Bound<'py, PyAny>,
    reading: de::Reading<'py>,
    read: impl for<'r> FnOnce(de::Value<'r, 'r, 'py>) -> Result<T, ReadError>,
) -> PyResult<T> {
    read_python_parts(input, reading, read).map_err(|failed| failed.into_err(input.py()))
}

/// Reads a scenario from a Python object, as the JSON reader reads one.
fn read_scenario(scenario: &Bound<'_, PyAny>) -> PyResult<stripe_account_debits::DebitInput> {
    read_python(scenario, de::Reading::default(), |value| {
        json::scenario_from_deserializer(value)
    })
}

/// Plans one Account Debit from a scenario (a mapping read as the JSON scenario is):
/// `Planned` or `Rejected`. Raises `ReadError` when the scenario cannot be read.
#[pyfunction]
fn plan_debit(py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = read_scenario(scenario)?;
    out::plan_outcome(py, stripe_account_debits::plan_debit(&input))
}

/// Runs a lifecycle command of the library on `input`, read from Python objects (with
/// `bytes` at `reply.body` read as text when `bytes_as_text`, for a reply's raw body): its
/// typed output, or `ReadError` from the library's typed error.
fn lifecycle<'py, T>(
    input: &Bound<'py, PyAny>,
    command: impl for<'r> FnOnce(de::Value<'r, 'r, 'py>) -> Result<T, ReadError>,
    bytes_as_text: bool,
) -> PyResult<T> {
    let reading = if bytes_as_text {
        de::Reading::with_bytes_as_text()
    } else {
        de::Reading::default()
    };
    read_python(input, reading, command)
}

/// Decides what Stripe's reply to the debit's request means, from a mapping shaped as the
/// `reply` command's input (`scenario`, `attempt`, `reply`: `None` or `status`, `headers`,
/// `body` as a dict, or the raw text as `str` or `bytes`; `options`). Raises
/// `ReadError` when the input cannot be read or its debit does not plan.
#[pyfunction]
fn read_reply(input: &Bound<'_, PyAny>) -> PyResult<results::ReplyDecision> {
    lifecycle(input, |value| json::reply_from_deserializer(value), true)
        .map(results::ReplyDecision::from_inner)
}

/// Looks for the debit among the connected account's transfers, from a mapping shaped as
/// the `find` command's input (`scenario`, `transfers`: a Stripe list object,
/// `platform_balance`: the platform's Balance object, which a double debit's reversals
/// draw on).
#[pyfunction]
fn find_debit(input: &Bound<'_, PyAny>) -> PyResult<results::FindResult> {
    lifecycle(input, |value| json::find_from_deserializer(value), false)
        .map(results::FindResult::from_inner)
}

/// Plans the reversal of the debit's transfer, from a mapping shaped as the `reverse`
/// command's input (`scenario`, `transfer`, `amount` (optional), `reversal_id`,
/// `platform_balance`: the platform's Balance object, which the reversal draws on).
#[pyfunction]
fn plan_reversal(input: &Bound<'_, PyAny>) -> PyResult<results::ReversalResult> {
    lifecycle(input, |value| json::reverse_from_deserializer(value), false)
        .map(results::ReversalResult::from_inner)
}

/// Reads a book (the `batch` and `book` commands' input) from a Python object.
pub(crate) fn read_book(book: &Bound<'_, PyAny>) -> PyResult<json::BookInput> {
    read_python(book, de::Reading::default(), |value| {
        json::book_from_deserializer(value)
    })
}

/// Plans the book's debits in order, each against the balances the ones before it left,
/// from a mapping shaped as the `batch` command's input.
#[pyfunction]
fn plan_batch(book: &Bound<'_, PyAny>) -> PyResult<results::BatchResult> {
    let (ledger, debits) = read_book(book)?.into_parts();
    // Planned twice on the one ledger (put back after each pass), each debit's outcome kept
    // only as its typed output.
    let result = json::Batch::run(ledger, &debits).and_then(|mut batch| batch.result());
    let result = result.map_err(|error| library_error(book.py(), &ReadError::document(error)))?;
    Ok(results::BatchResult::from_inner(result))
}

/// The platform's reserve for negative connected balances, and the accounts Stripe zeroes
/// from it, from a mapping shaped as the `book` command's input (its debits are not
/// planned).
#[pyfunction]
fn reserve_book(book: &Bound<'_, PyAny>) -> PyResult<results::BookResult> {
    let input = read_book(book)?;
    let reserve = input
        .ledger()
        .book()
        .map_err(|error| library_error(book.py(), &ReadError::document(error)))?;
    let ageing = input.ledger().ageing(input.at(), input.within_days());
    let output = json::book_output(&reserve, &ageing, input.within_days());
    Ok(results::BookResult::from_inner(output))
}

/// For `bench.py`: the seconds that `n` reads of the scenario `text` through the library's
/// JSON text reader, each planned, take in Rust, to set beside `plan_debit` on the same
/// scenario as a dict. Not part of the API.
#[pyfunction]
fn _rust_read_and_plan_seconds(text: &str, n: u32) -> PyResult<f64> {
    let start = std::time::Instant::now();
    for _ in 0..n {
        let input = json::read_scenario(core::hint::black_box(text))
            .map_err(|err| pyo3::exceptions::PyValueError::new_err(err.to_string()))?;
        let _ = core::hint::black_box(stripe_account_debits::plan_debit(&input));
    }
    Ok(start.elapsed().as_secs_f64())
}

/// What `_host_floor` reads with.
mod floor {
    use pyo3::prelude::*;
    use pyo3::types::{PyDict, PyList, PyString};

    use crate::de;

    /// The dict at `key` of `obj`.
    pub(super) fn dict<'py>(
        obj: &Bound<'py, PyAny>,
        key: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyDict>> {
        Ok(obj.get_item(key)?.cast_into::<PyDict>()?)
    }
    /// The first dict of the list at `key` of `obj`.
    pub(super) fn first<'py>(
        obj: &Bound<'py, PyAny>,
        key: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let list = obj.get_item(key)?.cast_into::<PyList>()?;
        Ok(list.get_item(0)?.cast_into::<PyDict>()?)
    }
    /// Reads the values of `keys` in `obj`: how many there were.
    pub(super) fn leaves<'py>(
        obj: &Bound<'py, PyDict>,
        keys: &[&Bound<'py, PyString>],
    ) -> PyResult<usize> {
        let mut read = 0usize;
        for key in keys {
            if let Some(value) = obj.get_item(*key)? {
                if let Ok(text) = value.cast::<PyString>() {
                    core::hint::black_box(de::borrow_text(text)?.len());
                } else if !value.is_none() {
                    core::hint::black_box(value.extract::<i64>()?);
                }
                read = read.saturating_add(1);
            }
        }
        Ok(read)
    }
}

/// For `bench.py`: the floor of reading a scenario from Python, to set beside `plan_debit`:
/// one call that looks up, by interned key, each value the Stripe-managed rules read from
/// the demo's dicts (21 values in 11 dicts and 2 lists), takes each string's UTF-8 text
/// and each integer's value, and returns how many it read; no checks, no errors, no
/// planning, no result object. Not part of the API.
#[pyfunction]
fn _host_floor(scenario: &Bound<'_, PyAny>) -> PyResult<usize> {
    use pyo3::intern;
    use pyo3::types::PyDict;

    let py = scenario.py();
    let (id, country, currency) = (
        intern!(py, "id"),
        intern!(py, "country"),
        intern!(py, "currency"),
    );
    let root = scenario.cast::<PyDict>()?;
    let platform = floor::dict(scenario, intern!(py, "platform_account"))?;
    let connected = floor::dict(scenario, intern!(py, "connected_account"))?;
    let controller = floor::dict(connected.as_any(), intern!(py, "controller"))?;
    let losses = floor::dict(controller.as_any(), intern!(py, "losses"))?;
    let external = floor::dict(connected.as_any(), intern!(py, "external_accounts"))?;
    let bank = floor::first(external.as_any(), intern!(py, "data"))?;
    let balance = floor::dict(scenario, intern!(py, "connected_balance"))?;
    let available = floor::first(balance.as_any(), intern!(py, "available"))?;
    let consent = floor::dict(scenario, intern!(py, "consent"))?;
    let debit = floor::dict(scenario, intern!(py, "debit"))?;
    let reference = floor::dict(debit.as_any(), intern!(py, "reference_transaction"))?;
    let counts = [
        floor::leaves(root, &[intern!(py, "at")])?,
        floor::leaves(&platform, &[id, country])?,
        floor::leaves(
            &connected,
            &[
                id,
                country,
                intern!(py, "default_currency"),
                intern!(py, "type"),
            ],
        )?,
        floor::leaves(&controller, &[intern!(py, "type")])?,
        floor::leaves(&losses, &[intern!(py, "payments")])?,
        floor::leaves(
            &bank,
            &[intern!(py, "object"), intern!(py, "status"), currency],
        )?,
        floor::leaves(&available, &[intern!(py, "amount"), currency])?,
        floor::leaves(
            &consent,
            &[intern!(py, "granted_at"), intern!(py, "revoked_at")],
        )?,
        floor::leaves(&debit, &[id, intern!(py, "amount"), currency])?,
        floor::leaves(&reference, &[id, intern!(py, "account")])?,
    ];
    Ok(counts.iter().fold(0usize, |sum, n| sum.saturating_add(*n)))
}

/// For `bench.py`: the deserializer over Python objects alone on `scenario`, every value
/// visited and ignored as the reader would see it (each string's text lent), with no
/// reader: what the walk itself costs. Not part of the API.
#[pyfunction]
fn _host_walk(scenario: &Bound<'_, PyAny>) -> PyResult<()> {
    use serde::Deserialize;
    let reading = de::Reading::default();
    let walked = serde::de::IgnoredAny::deserialize(de::Value::root(scenario.clone(), &reading));
    match (walked, reading.failure()) {
        (_, Some(failure)) => Err(read_error(
            scenario.py(),
            failure.kind.code(),
            &failure.path,
            &failure.message,
            failure.cause,
        )),
        (Ok(_), None) => Ok(()),
        (Err(err), None) => Err(pyo3::exceptions::PyValueError::new_err(err.to_string())),
    }
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(plan_debit, m)?)?;
    m.add_function(wrap_pyfunction!(read_reply, m)?)?;
    m.add_function(wrap_pyfunction!(find_debit, m)?)?;
    m.add_function(wrap_pyfunction!(plan_reversal, m)?)?;
    m.add_function(wrap_pyfunction!(plan_batch, m)?)?;
    m.add_function(wrap_pyfunction!(reserve_book, m)?)?;
    m.add_function(wrap_pyfunction!(_rust_read_and_plan_seconds, m)?)?;
    m.add_function(wrap_pyfunction!(_host_floor, m)?)?;
    m.add_function(wrap_pyfunction!(_host_walk, m)?)?;
    out::add_classes(m)?;
    machine::add_classes(m)?;
    results::add_classes(m)?;
    columns::add_classes(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
