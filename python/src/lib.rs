//! The Python extension `stripe_account_debits._native`: the library's rules for Python
//! services. It only converts: a scenario from Python objects into the library's input
//! (through the deserializer in `de.rs`, into the same reader as the JSON text's), and the library's results into
//! Python objects. The Python package `stripe_account_debits` re-exports it.

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

mod de;
mod out;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use stripe_account_debits::json::{self, ScenarioError};

/// `stripe_account_debits.ScenarioError`, defined in Python (`_errors.py`).
static SCENARIO_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `ScenarioError(kind, path, message)` exception, chained to `cause` when there is one.
fn scenario_error(
    py: Python<'_>,
    kind: &str,
    path: &str,
    message: &str,
    cause: Option<PyErr>,
) -> PyErr {
    let class = match SCENARIO_ERROR.import(py, "stripe_account_debits._errors", "ScenarioError") {
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

/// Reads a scenario from a Python object, as the JSON reader reads one.
fn read_scenario(scenario: &Bound<'_, PyAny>) -> PyResult<stripe_account_debits::DebitInput> {
    let reading = de::Reading::default();
    let read = json::scenario_from_deserializer(de::Value::root(scenario.clone(), &reading));
    read.map_err(|error: ScenarioError| {
        let py = scenario.py();
        match reading.failure() {
            // The deserializer's own error, with the path it knows.
            Some(failure) => scenario_error(
                py,
                failure.kind,
                &failure.path,
                &failure.message,
                failure.cause,
            ),
            None => scenario_error(py, error.kind().code(), error.path(), error.message(), None),
        }
    })
}

/// Plans one Account Debit from a scenario (a mapping read as the JSON scenario is):
/// `Planned` or `Rejected`. Raises `ScenarioError` when the scenario cannot be read.
#[pyfunction]
fn plan_debit(py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = read_scenario(scenario)?;
    match stripe_account_debits::plan_debit(&input) {
        Ok(plan) => Ok(Py::new(py, out::Planned::new(plan))?.into_any()),
        Err(rejection) => Ok(Py::new(py, out::Rejected::new(rejection))?.into_any()),
    }
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

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(plan_debit, m)?)?;
    m.add_function(wrap_pyfunction!(_rust_read_and_plan_seconds, m)?)?;
    out::add_classes(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
