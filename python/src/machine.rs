//! The debit's state machine for Python: `DebitMachine` (the library's, held whole), and
//! what its `poll` returns, `Action`, with the `HttpRequest` to make, the `DebitOutcome` of
//! a settled debit or the `Escalation` for a person.
//!
//! `Action.to_dict()` is the JSON the `step` command prints as its `action` (the library's
//! `json::action`); the attributes are read from the library's action itself.

use std::collections::HashSet;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::Value;
use stripe_account_debits::json;
use stripe_account_debits::lifecycle::{self, Millis, Reply};

use crate::out::{Rejected, serialized, stripe_params};

pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<DebitMachine>()?;
    m.add_class::<Action>()?;
    m.add_class::<HttpRequest>()?;
    m.add_class::<DebitOutcome>()?;
    m.add_class::<Escalation>()?;
    Ok(())
}

/// A `ReadError` for an argument of a machine's method.
fn argument_error(py: Python<'_>, kind: &str, path: &str, message: &str) -> PyErr {
    crate::read_error(py, kind, path, message, None)
}

/// The library's refusal of a report (no request out, time going back, no new attempt
/// allowed) as `ValueError`.
fn step_error(error: lifecycle::StepError) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// One debit from plan to settled: ask `poll(now_ms)` what to do, do it, tell
/// `on_reply(...)` what came back; save `to_json()` before every request made.
#[pyclass(module = "stripe_account_debits")]
pub(crate) struct DebitMachine {
    inner: lifecycle::DebitMachine,
}

#[pymethods]
impl DebitMachine {
    /// Plans the scenario's debit (read as `plan_debit` reads it) and starts its machine,
    /// with `options` (a dict of the `step` command's `options`) or the defaults: a
    /// `DebitMachine`, or `Rejected` when the debit does not plan.
    #[staticmethod]
    #[pyo3(signature = (scenario, options = None))]
    fn start(
        py: Python<'_>,
        scenario: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let input = crate::read_scenario(scenario)?;
        let options = match options {
            Some(options) if !options.is_none() => read_options(options)?,
            _ => lifecycle::MachineOptions::default(),
        };
        match lifecycle::DebitMachine::start(input, options) {
            Ok(inner) => Ok(Py::new(py, DebitMachine { inner })?.into_any()),
            Err(rejection) => Ok(Py::new(py, Rejected::new(&rejection))?.into_any()),
        }
    }

    /// Resumes the machine of the scenario it was started with from a state `to_json()`
    /// wrote. Raises `ReadError` (path `state`) when the text is not such a state, or is
    /// another debit's.
    #[staticmethod]
    fn from_json(scenario: &Bound<'_, PyAny>, text: &str) -> PyResult<DebitMachine> {
        let input = crate::read_scenario(scenario)?;
        lifecycle::DebitMachine::from_json(input, text)
            .map(|inner| DebitMachine { inner })
            .map_err(|e| argument_error(scenario.py(), "invalid", "state", e.message()))
    }

    /// What to do at `now_ms` (milliseconds since the Unix epoch).
    fn poll(&mut self, now_ms: i64) -> PyResult<Action> {
        let action = self
            .inner
            .poll(Millis::from_unix_ms(now_ms))
            .map_err(step_error)?;
        Ok(Action::new(action))
    }

    /// Reports the reply to the request asked for, received at `now_ms`: `status` `None`
    /// for none (a timeout, a connection error), else its `headers` (a mapping, or
    /// `(name, value)` pairs) and `body` (`str`, `bytes`, or the JSON value as a dict or
    /// list).
    #[pyo3(signature = (now_ms, status = None, headers = None, body = None))]
    fn on_reply(
        &mut self,
        py: Python<'_>,
        now_ms: i64,
        status: Option<i64>,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = Millis::from_unix_ms(now_ms);
        let Some(status) = status else {
            if headers.is_some_and(|h| !h.is_none()) || body.is_some_and(|b| !b.is_none()) {
                return Err(argument_error(
                    py,
                    "invalid",
                    "status",
                    "missing: headers or a body without a status (None is no reply at all)",
                ));
            }
            return self.inner.on_reply(now, None).map_err(step_error);
        };
        let status = u16::try_from(status)
            .ok()
            .filter(|status| (100..=599).contains(status))
            .ok_or_else(|| {
                let message = format!("{status} is not an HTTP status (100 to 599)");
                argument_error(py, "invalid", "status", &message)
            })?;
        let headers = match headers {
            Some(headers) if !headers.is_none() => read_headers(headers)?,
            _ => Vec::new(),
        };
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let body = match body {
            Some(body) if !body.is_none() => read_body(body)?,
            _ => Vec::new(),
        };
        let reply = Reply::new(status, &headers, &body);
        self.inner.on_reply(now, Some(&reply)).map_err(step_error)
    }

    /// After a `failed` outcome whose cause has been put right, starts a new attempt with
    /// a new key. Raises `ValueError` in any other state.
    fn new_attempt(&mut self, now_ms: i64) -> PyResult<()> {
        self.inner
            .new_attempt(Millis::from_unix_ms(now_ms))
            .map_err(step_error)
    }

    /// The machine's state as a versioned JSON document, for `from_json`.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// `"sending"`, `"searching"`, `"reversing"`, `"done"` or `"escalated"`.
    #[getter]
    fn phase(&self) -> &'static str {
        self.inner.phase().code()
    }

    /// The attempt being made (or the last one made), from 1.
    #[getter]
    fn attempt(&self) -> u32 {
        self.inner.attempt().get()
    }

    fn __repr__(&self) -> String {
        format!(
            "DebitMachine({}, attempt {}, {})",
            self.inner.plan().debit_id(),
            self.inner.attempt().get(),
            self.inner.phase().code()
        )
    }
}

/// The options, read by the library's reader of the `step` command's `options`.
fn read_options(options: &Bound<'_, PyAny>) -> PyResult<lifecycle::MachineOptions> {
    let reading = crate::de::Reading::default();
    let read =
        json::machine_options_from_deserializer(crate::de::Value::root(options.clone(), &reading));
    read.map_err(|error| {
        let py = options.py();
        match reading.failure() {
            Some(failure) => crate::read_error(
                py,
                failure.kind.code(),
                &prefixed(&failure.path),
                &failure.message,
                failure.cause,
            ),
            None => argument_error(
                py,
                error.kind().code(),
                &prefixed(error.path()),
                error.message(),
            ),
        }
    })
}

/// `options.<path>`.
fn prefixed(path: &str) -> String {
    within("options", path)
}

/// `path` (a path inside the argument `name`) as a path from `name`.
fn within(name: &str, path: &str) -> String {
    match path {
        "" => name.to_owned(),
        index if index.starts_with('[') => format!("{name}{index}"),
        key => format!("{name}.{key}"),
    }
}

/// Headers as `(name, value)` strings, from a mapping (anything with `items()`: a dict,
/// stripe-python's or requests' headers) or a sequence of pairs. A name given twice, in
/// any case, is refused: which one counts would be a guess.
fn read_headers(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let py = headers.py();
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut read = Vec::new();
    let mut names = HashSet::new();
    for (i, pair) in pairs.try_iter()?.enumerate() {
        let pair = pair?;
        let path = format!("headers[{i}]");
        // A tuple, or a list as JSON gives one.
        let (name, value): (String, String) = match pair.extract() {
            Ok(pair) => pair,
            Err(_) => match pair.extract::<Vec<String>>().ok().as_deref() {
                Some([name, value]) => (name.clone(), value.clone()),
                _ => {
                    let message = "expected a (name, value) pair of strings";
                    return Err(argument_error(py, "wrong_type", &path, message));
                }
            },
        };
        if !names.insert(name.to_ascii_lowercase()) {
            let message = format!(
                "the header \"{}\" is given twice",
                name.escape_debug().take(64).collect::<String>()
            );
            return Err(argument_error(py, "invalid", &path, &message));
        }
        read.push((name, value));
    }
    Ok(read)
}

/// A body: `str` or `bytes` as sent, or a JSON value (dict, list) written as JSON text.
fn read_body(body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = body.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned().into_bytes());
    }
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    // Read through the same deserializer over Python objects as every input, then written
    // as JSON text (a `float` that is not finite becomes `null`: either way not an amount).
    let reading = crate::de::Reading::default();
    let text =
        <Value as serde::Deserialize>::deserialize(crate::de::Value::root(body.clone(), &reading))
            .and_then(|value| serde_json::to_vec(&value).map_err(serde::de::Error::custom));
    match (text, reading.failure()) {
        (Ok(text), None) => Ok(text),
        (_, Some(failure)) => Err(crate::read_error(
            body.py(),
            failure.kind.code(),
            &within("body", &failure.path),
            &failure.message,
            failure.cause,
        )),
        (Err(err), None) => Err(argument_error(
            body.py(),
            "document",
            "body",
            &format!("cannot write the body as JSON: {err}"),
        )),
    }
}

/// What to do now: `code` is `"send"`, `"list"`, `"wait"`, `"done"` or `"escalate"`;
/// `request` (send, list), `until_ms` and `jitter_ms` (wait), `outcome` (done) and
/// `escalation` (escalate) are `None` unless `code` names them.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Action {
    action: lifecycle::Action,
    json: Value,
}

impl Action {
    fn new(action: lifecycle::Action) -> Action {
        let json = serde_json::to_value(json::action(&action)).unwrap_or(Value::Null);
        Action { action, json }
    }
}

#[pymethods]
impl Action {
    #[getter]
    fn code(&self) -> &'static str {
        self.action.code()
    }

    /// The HTTP request to make (save the machine's state first).
    #[getter]
    fn request(&self) -> Option<HttpRequest> {
        match &self.action {
            lifecycle::Action::Send(request) | lifecycle::Action::List(request) => {
                Some(HttpRequest {
                    request: request.clone(),
                })
            }
            _ => None,
        }
    }

    /// When to ask again.
    #[getter]
    fn until_ms(&self) -> Option<i64> {
        match &self.action {
            lifecycle::Action::Wait { until, .. } => Some(until.as_unix_ms()),
            _ => None,
        }
    }

    /// How much later than `until_ms` the next call may be spread.
    #[getter]
    fn jitter_ms(&self) -> Option<u64> {
        match &self.action {
            lifecycle::Action::Wait { jitter_ms, .. } => Some(*jitter_ms),
            _ => None,
        }
    }

    /// How the debit ended.
    #[getter]
    fn outcome(&self) -> Option<DebitOutcome> {
        let json = self.json.get("outcome")?;
        matches!(self.action, lifecycle::Action::Done(_)).then(|| DebitOutcome {
            action: self.action.clone(),
            json: json.clone(),
        })
    }

    /// Why a person must look.
    #[getter]
    fn escalation(&self) -> Option<Escalation> {
        matches!(self.action, lifecycle::Action::Escalate(_)).then(|| Escalation {
            action: self.action.clone(),
            json: self.json.clone(),
        })
    }

    /// The action as the `step` command prints it, as Python objects (its keys in the
    /// same order).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &json::action(&self.action))
    }

    fn __repr__(&self) -> String {
        format!("Action({})", json::action(&self.action))
    }
}

/// An HTTP request to make to Stripe's API, by `act_by_ms` at the latest (later: ask the
/// machine again instead).
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct HttpRequest {
    request: lifecycle::HttpRequest,
}

#[pymethods]
impl HttpRequest {
    /// `"POST"` or `"GET"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.request.method()
    }

    /// The path, from `/v1/`.
    #[getter]
    fn path(&self) -> &str {
        self.request.path()
    }

    /// The `Stripe-Account` header.
    #[getter]
    fn stripe_account(&self) -> Option<&str> {
        self.request.stripe_account()
    }

    /// The `Idempotency-Key` header of a `POST`.
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.request.idempotency_key()
    }

    /// The parameters as stripe-python takes them (`client.raw_request(method, path,
    /// **params, ...)`): a bracketed name a nested dict, `amount` an `int`. A new dict on
    /// each read.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let amount = self
            .request
            .params()
            .find(|(name, _)| *name == "amount")
            .and_then(|(_, value)| value.parse::<i64>().ok());
        stripe_params(py, self.request.params(), amount)
    }

    /// The parameters as sent, in order: `(name, value)` pairs.
    #[getter]
    fn form<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (name, value) in self.request.params() {
            list.append(PyTuple::new(py, [name, value])?)?;
        }
        Ok(list)
    }

    /// The parameters percent-encoded: a `POST`'s body, or a `GET`'s query.
    #[getter]
    fn encoded_params(&self) -> String {
        self.request.encoded_params()
    }

    /// The headers besides authentication: `Stripe-Account`, `Idempotency-Key` and, for a
    /// `POST`, `Content-Type`.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        if let Some(account) = self.request.stripe_account() {
            dict.set_item("Stripe-Account", account)?;
        }
        if let Some(key) = self.request.idempotency_key() {
            dict.set_item("Idempotency-Key", key)?;
        }
        if self.request.method() == "POST" {
            dict.set_item(
                "Content-Type",
                stripe_account_debits::request::Headers::CONTENT_TYPE,
            )?;
        }
        Ok(dict)
    }

    /// The latest time to make it, in milliseconds since the Unix epoch.
    #[getter]
    fn act_by_ms(&self) -> i64 {
        self.request.act_by().as_unix_ms()
    }

    fn __repr__(&self) -> String {
        format!(
            "HttpRequest({} {} as {}, Idempotency-Key {})",
            self.request.method(),
            self.request.path(),
            self.request.stripe_account().unwrap_or("the platform"),
            self.request.idempotency_key().unwrap_or("none")
        )
    }
}

/// The value at `key` of `json` as a string.
fn text(json: &Value, key: &str) -> Option<String> {
    json.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// How a debit ended: `code` `"confirmed"` (`transfer`, `payment`, `by` `"reply"` or
/// `"search"`, `replayed`, `reversed`) or `"failed"` (`attempt`, `status`, `request_id`,
/// the error's `error_type`, `error_code`, `error_param`, `error_message`,
/// `new_attempt_may_succeed`); the others are `None`.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct DebitOutcome {
    /// The `done` action, whole, for `to_dict()`.
    action: lifecycle::Action,
    /// Its outcome's JSON, for the attributes.
    json: Value,
}

impl DebitOutcome {
    fn error(&self, key: &str) -> Option<String> {
        self.json.get("error").and_then(|error| text(error, key))
    }
}

#[pymethods]
impl DebitOutcome {
    #[getter]
    fn code(&self) -> String {
        text(&self.json, "code").unwrap_or_default()
    }

    #[getter]
    fn transfer(&self) -> Option<String> {
        text(&self.json, "transfer")
    }

    #[getter]
    fn payment(&self) -> Option<String> {
        text(&self.json, "payment")
    }

    #[getter]
    fn by(&self) -> Option<String> {
        text(&self.json, "by")
    }

    #[getter]
    fn replayed(&self) -> Option<bool> {
        self.json.get("replayed").and_then(Value::as_bool)
    }

    /// The extra transfers of a double debit, reversed: `(transfer, reversal)` pairs (the
    /// reversal `None` when no reply named it).
    #[getter]
    fn reversed(&self) -> Vec<(String, Option<String>)> {
        self.json
            .get("reversed")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| Some((text(item, "transfer")?, text(item, "reversal"))))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[getter]
    fn attempt(&self) -> Option<u64> {
        self.json.get("attempt").and_then(Value::as_u64)
    }

    #[getter]
    fn status(&self) -> Option<u64> {
        self.json.get("status").and_then(Value::as_u64)
    }

    #[getter]
    fn request_id(&self) -> Option<String> {
        text(&self.json, "request_id")
    }

    #[getter]
    fn error_type(&self) -> Option<String> {
        self.error("type")
    }

    #[getter]
    fn error_code(&self) -> Option<String> {
        self.error("code")
    }

    #[getter]
    fn error_param(&self) -> Option<String> {
        self.error("param")
    }

    #[getter]
    fn error_message(&self) -> Option<String> {
        self.error("message")
    }

    #[getter]
    fn new_attempt_may_succeed(&self) -> Option<bool> {
        self.json
            .get("new_attempt_may_succeed")
            .and_then(Value::as_bool)
    }

    /// The outcome as the `step` command prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &json::action(&self.action))?.get_item("outcome")
    }

    fn __repr__(&self) -> String {
        format!("DebitOutcome({})", self.json)
    }
}

/// Why a person must look: `reason` (`"mismatch"`, `"idempotency_error"`,
/// `"attempts_exhausted"`, `"search_failed"`, `"reversal_refused"`), `detail`, `field`,
/// `request_id` and the `transfers` concerned.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Escalation {
    /// The `escalate` action, whole, for `to_dict()`.
    action: lifecycle::Action,
    /// Its JSON, for the attributes.
    json: Value,
}

#[pymethods]
impl Escalation {
    #[getter]
    fn reason(&self) -> String {
        text(&self.json, "reason").unwrap_or_default()
    }

    #[getter]
    fn detail(&self) -> String {
        text(&self.json, "detail").unwrap_or_default()
    }

    #[getter]
    fn field(&self) -> Option<String> {
        text(&self.json, "field")
    }

    #[getter]
    fn request_id(&self) -> Option<String> {
        text(&self.json, "request_id")
    }

    #[getter]
    fn transfers(&self) -> Vec<String> {
        self.json
            .get("transfers")
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

    /// The escalation as the `step` command prints it (without its `"action"`), as Python
    /// objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = serialized(py, &json::action(&self.action))?;
        dict.del_item("action")?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!("Escalation({}: {})", self.reason(), self.detail())
    }
}
