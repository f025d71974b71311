//! The results as Python objects: `Planned` and `Rejected`, and the parts they are made of.
//!
//! Each wraps the library's own typed output (`json::out::Planned`, ...): its attributes
//! read the typed value's fields, `to_dict()` serializes it straight into Python objects
//! (the JSON the command line prints, keys in the same order), and it compares by value
//! (`==`, `hash()`), pickles (rebuilt from its `to_dict()` by `_from_dict`, which reads the
//! typed value back), and says what it holds in its `repr()`. Amounts are `int` minor
//! units (`amount`) beside `decimal.Decimal` major units (`amount_major`), never `float`.

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use std::sync::OnceLock;
use stripe_account_debits::currency::WireCode;
use stripe_account_debits::json::out;
use stripe_account_debits::request::KeyParts;
use stripe_account_debits::{AttemptNumber, Currency, DebitPlan, IdempotencyKey, Money};

use crate::{de, pyser};

pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Planned>()?;
    m.add_class::<Rejected>()?;
    m.add_class::<Transfer>()?;
    m.add_class::<Payment>()?;
    m.add_class::<ReserveHold>()?;
    m.add_class::<BalanceChange>()?;
    m.add_class::<Request>()?;
    m.add_class::<Violation>()?;
    m.add_class::<Advisory>()?;
    Ok(())
}

/// What the library serializes, as the Python objects `json.loads` gives for the JSON text
/// the command line prints: the same values, keys in the same order (built directly, with
/// no JSON text in between).
pub(crate) fn serialized<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pyser::to_python(py, value)
}

/// A typed output read back from the Python objects its `to_dict()` gave (how an unpickled
/// result is rebuilt). Raises `ValueError` when `data` is not such an output, and any
/// exception Python code raised while it was read.
pub(crate) fn from_python<T: DeserializeOwned>(data: &Bound<'_, PyAny>) -> PyResult<T> {
    let reading = de::Reading::default();
    let read = T::deserialize(de::Value::root(data.clone(), &reading));
    match (read, reading.failure()) {
        (_, Some(failure)) => Err(match failure.cause {
            Some(cause) if de::must_propagate(data.py(), &cause) => cause,
            cause => {
                let err = PyValueError::new_err(format!("{}: {}", failure.path, failure.message));
                err.set_cause(data.py(), cause);
                err
            }
        }),
        (Ok(value), None) => Ok(value),
        (Err(err), None) => Err(PyValueError::new_err(format!(
            "not the output this class holds: {err}"
        ))),
    }
}

/// The methods every result class shares, beside its own: `to_dict()`, `_from_dict()`
/// (the typed value read back from it) and `__reduce__` (pickling through them). Equality
/// and hashing come from `#[pyclass(eq, hash)]` on the wrapper, which derives them from the
/// typed value.
macro_rules! value_class {
    ($class:ident, $inner:ty { $($methods:tt)* }) => {
        #[pymethods]
        impl $class {
            $($methods)*

            /// As the command line prints it, as Python objects.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $crate::pyser::to_python(py, &self.inner)
            }

            /// The value `to_dict()` gave, rebuilt (what pickling does).
            #[classmethod]
            fn _from_dict(
                _cls: &Bound<'_, pyo3::types::PyType>,
                data: &Bound<'_, PyAny>,
            ) -> PyResult<Self> {
                Ok($class::from_inner($crate::out::from_python::<$inner>(data)?))
            }

            /// Pickled as its `to_dict()`, rebuilt by `_from_dict`.
            #[allow(clippy::type_complexity)]
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
                let rebuild = slf.get_type().getattr(pyo3::intern!(slf.py(), "_from_dict"))?;
                Ok((rebuild, (slf.get().to_dict(slf.py())?,)))
            }
        }
    };
}
pub(crate) use value_class;

/// Major units: `minor` in `currency`'s minor units.
fn major(minor: i64, currency: WireCode) -> PyResult<Decimal> {
    let currency = Currency::from_code(&currency.as_str().to_ascii_uppercase())
        .ok_or_else(|| PyValueError::new_err(format!("unknown currency {currency}")))?;
    Money::from_minor(minor, currency)
        .map(|money| money.amount())
        .map_err(|err| PyValueError::new_err(err.to_string()))
}

/// A plan's typed output, built from the library's plan when it is first read: `plan_debit`
/// returns at once, and a caller that reads nothing of it (or only checks its class) never
/// pays for the output's strings. Read, it is the output `json::outcome` gives for the
/// plan, built once and kept.
pub(crate) struct LazyPlanned(Held);

#[allow(
    clippy::large_enum_variant,
    reason = "held once per result object; either way it holds an output, and a plan besides until read"
)]
enum Held {
    /// The plan, and its output once read.
    Plan(DebitPlan, OnceLock<out::Planned>),
    /// An output given whole (rebuilt by `_from_dict`).
    Built(out::Planned),
}

impl LazyPlanned {
    fn of_plan(plan: DebitPlan) -> LazyPlanned {
        LazyPlanned(Held::Plan(plan, OnceLock::new()))
    }
}

impl core::ops::Deref for LazyPlanned {
    type Target = out::Planned;

    fn deref(&self) -> &out::Planned {
        match &self.0 {
            Held::Plan(plan, built) => built.get_or_init(|| out::Planned::of(plan)),
            Held::Built(built) => built,
        }
    }
}

// Compared, hashed and serialized as the output, however it is held.
impl PartialEq for LazyPlanned {
    fn eq(&self, other: &LazyPlanned) -> bool {
        **self == **other
    }
}

impl Eq for LazyPlanned {}

impl core::hash::Hash for LazyPlanned {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl serde::Serialize for LazyPlanned {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// A plan: the transfer to create, what it does to both balances, and the request.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Planned {
    inner: LazyPlanned,
}

impl Planned {
    fn from_inner(inner: out::Planned) -> Planned {
        Planned {
            inner: LazyPlanned(Held::Built(inner)),
        }
    }

    /// The request under `attempt`'s key.
    fn request_of(&self, attempt: AttemptNumber) -> PyResult<Request> {
        let first = &self.inner.request;
        let parts: KeyParts = first.headers.idempotency_key.as_str().parse().map_err(
            |err: stripe_account_debits::request::KeyError| PyValueError::new_err(err.to_string()),
        )?;
        let mut request = first.clone();
        request.headers.idempotency_key =
            IdempotencyKey::of_attempt(parts.platform(), parts.connected(), parts.debit(), attempt);
        Ok(Request {
            inner: request,
            amount: self.inner.transfer.amount,
        })
    }
}

value_class!(Planned, out::Planned {
    /// `"planned"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        "planned"
    }

    /// The flow that judged the debit: `"stripe_managed"` or `"platform_managed"`.
    #[getter]
    fn flow(&self) -> &str {
        &self.inner.flow
    }

    /// How the debit is sent: `"transfer"` or `"charge"`.
    #[getter]
    fn method(&self) -> &str {
        &self.inner.method
    }

    /// The Account Debit: a transfer from the connected account to the platform.
    #[getter]
    fn transfer(&self) -> Transfer {
        Transfer::from_inner(self.inner.transfer.clone())
    }

    /// The payment the transfer creates on the platform.
    #[getter]
    fn payment(&self) -> Payment {
        Payment::from_inner(self.inner.payment.clone())
    }

    /// The part of the debit Stripe holds in reserve on the connected account, or `None`.
    #[getter]
    fn reserve_hold(&self) -> Option<ReserveHold> {
        self.inner.reserve_hold.clone().map(ReserveHold::from_inner)
    }

    /// The connected account's available balance, before and after.
    #[getter]
    fn connected_available(&self) -> BalanceChange {
        BalanceChange::from_inner(self.inner.connected_available.clone())
    }

    /// The change to the platform's available balance, in minor units.
    #[getter]
    fn platform_available_change(&self) -> i64 {
        self.inner.platform_available_change
    }

    /// The change to the platform's available balance, in major units.
    #[getter]
    fn platform_available_change_major(&self) -> PyResult<Decimal> {
        major(self.inner.platform_available_change, self.inner.transfer.currency)
    }

    /// What the plan warns of, without refusing it.
    #[getter]
    fn advisories(&self) -> Vec<Advisory> {
        self.inner.advisories.iter().cloned().map(Advisory::from_inner).collect()
    }

    /// The Stripe request that performs the plan (attempt 1's key).
    #[getter]
    fn request(&self) -> PyResult<Request> {
        self.request_of(AttemptNumber::FIRST)
    }

    /// The same request under attempt `n`'s idempotency key (`account-debit#<n>:...` from
    /// the second): for a new attempt after a failure Stripe saved under the key before.
    /// Raises `ValueError` for `n` below 1. (A `DebitMachine` makes its attempts itself.)
    fn request_for(&self, n: u32) -> PyResult<Request> {
        let attempt =
            AttemptNumber::new(n).ok_or_else(|| PyValueError::new_err("attempts count from 1"))?;
        self.request_of(attempt)
    }

    fn __repr__(&self) -> String {
        let transfer = &self.inner.transfer;
        let amount = major(transfer.amount, transfer.currency)
            .map_or_else(|_| transfer.amount.to_string(), |major| major.to_string());
        format!(
            "Planned({} {} of {} {} from {} to {}, Idempotency-Key {})",
            self.inner.flow,
            self.inner.method,
            amount,
            transfer.currency,
            transfer.account,
            transfer.destination,
            self.inner.request.headers.idempotency_key.as_str(),
        )
    }
});

/// A rejection: every rule the scenario breaks.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Rejected {
    inner: out::Rejected,
}

impl Rejected {
    pub(crate) fn new(rejection: &stripe_account_debits::Rejection) -> Rejected {
        Rejected::from_inner(out::Rejected::of(rejection))
    }

    fn from_inner(inner: out::Rejected) -> Rejected {
        Rejected { inner }
    }
}

value_class!(Rejected, out::Rejected {
    /// `"rejected"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        "rejected"
    }

    /// The rules broken, in the order the library checks them.
    #[getter]
    fn violations(&self) -> Vec<Violation> {
        self.inner.violations.iter().cloned().map(Violation::from_inner).collect()
    }

    /// The violations' codes, in order.
    #[getter]
    fn codes(&self) -> Vec<&str> {
        self.inner.violations.iter().map(|v| v.code.as_ref()).collect()
    }

    fn __repr__(&self) -> String {
        format!("Rejected({})", self.codes().join(", "))
    }
});

/// A violation's or an advisory's details: its fields beside `code` and `message`, in
/// the output's order.
fn details<'py>(py: Python<'py>, coded: &out::Coded) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in &coded.details {
        dict.set_item(name.as_ref(), pyser::to_python(py, value)?)?;
    }
    Ok(dict)
}

macro_rules! coded_class {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
        #[derive(PartialEq, Eq, Hash)]
        pub(crate) struct $name {
            inner: out::Coded,
        }

        impl $name {
            fn from_inner(inner: out::Coded) -> $name {
                $name { inner }
            }
        }

        value_class!($name, out::Coded {
            /// The stable snake_case code.
            #[getter]
            fn code(&self) -> &str {
                &self.inner.code
            }

            /// What is wrong, in words.
            #[getter]
            fn message(&self) -> &str {
                &self.inner.message
            }

            /// The values it names (accounts, amounts in minor units, currencies, times),
            /// as in the JSON output; a new dict on each read.
            #[getter]
            fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                details(py, &self.inner)
            }

            fn __repr__(&self) -> String {
                format!("{}({}: {})", stringify!($name), self.inner.code, self.inner.message)
            }
        });
    };
}

coded_class!(Violation, "A rule the scenario breaks.");
coded_class!(Advisory, "Something a plan warns of.");

/// The transfer from the connected account to the platform.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Transfer {
    inner: out::TransferOut,
}

impl Transfer {
    fn from_inner(inner: out::TransferOut) -> Transfer {
        Transfer { inner }
    }
}

value_class!(Transfer, out::TransferOut {
    /// The account the transfer is created on: the connected account.
    #[getter]
    fn account(&self) -> String {
        self.inner.account.to_string()
    }

    /// The platform.
    #[getter]
    fn destination(&self) -> String {
        self.inner.destination.to_string()
    }

    #[getter]
    fn amount(&self) -> i64 {
        self.inner.amount
    }

    #[getter]
    fn amount_major(&self) -> PyResult<Decimal> {
        major(self.inner.amount, self.inner.currency)
    }

    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency.as_str()
    }

    /// `"charge"` or `"payout"`; `None` for a platform-managed debit, which sends no
    /// reference.
    #[getter]
    fn reference_type(&self) -> Option<&str> {
        self.inner.reference_transaction.as_ref().map(|r| r.kind.as_ref())
    }

    #[getter]
    fn reference_id(&self) -> Option<String> {
        self.inner
            .reference_transaction
            .as_ref()
            .and_then(|r| r.charge.or(r.payout))
            .map(|id| id.to_string())
    }

    fn __repr__(&self) -> String {
        let amount = self.amount_major().map_or_else(|_| self.inner.amount.to_string(), |m| m.to_string());
        let reference = match (self.reference_type(), self.reference_id()) {
            (Some(kind), Some(id)) => format!(", for {kind} {id}"),
            _ => String::new(),
        };
        format!(
            "Transfer({amount} {} from {} to {}{reference})",
            self.inner.currency, self.inner.account, self.inner.destination
        )
    }
});

/// The payment the transfer creates on the platform.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Payment {
    inner: out::PaymentOut,
}

impl Payment {
    fn from_inner(inner: out::PaymentOut) -> Payment {
        Payment { inner }
    }
}

value_class!(Payment, out::PaymentOut {
    #[getter]
    fn account(&self) -> String {
        self.inner.account.to_string()
    }

    #[getter]
    fn source_account(&self) -> String {
        self.inner.source_account.to_string()
    }

    #[getter]
    fn amount(&self) -> i64 {
        self.inner.amount
    }

    #[getter]
    fn amount_major(&self) -> PyResult<Decimal> {
        major(self.inner.amount, self.inner.currency)
    }

    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency.as_str()
    }

    fn __repr__(&self) -> String {
        let amount = self.amount_major().map_or_else(|_| self.inner.amount.to_string(), |m| m.to_string());
        format!(
            "Payment({amount} {} on {} from {})",
            self.inner.currency, self.inner.account, self.inner.source_account
        )
    }
});

/// The part Stripe holds in reserve.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct ReserveHold {
    inner: out::AmountOn,
}

impl ReserveHold {
    fn from_inner(inner: out::AmountOn) -> ReserveHold {
        ReserveHold { inner }
    }
}

value_class!(ReserveHold, out::AmountOn {
    #[getter]
    fn account(&self) -> String {
        self.inner.account.to_string()
    }

    #[getter]
    fn amount(&self) -> i64 {
        self.inner.amount
    }

    #[getter]
    fn amount_major(&self) -> PyResult<Decimal> {
        major(self.inner.amount, self.inner.currency)
    }

    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency.as_str()
    }

    fn __repr__(&self) -> String {
        let amount = self.amount_major().map_or_else(|_| self.inner.amount.to_string(), |m| m.to_string());
        format!("ReserveHold({amount} {} on {})", self.inner.currency, self.inner.account)
    }
});

/// A balance before and after.
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct BalanceChange {
    inner: out::BalanceOut,
}

impl BalanceChange {
    fn from_inner(inner: out::BalanceOut) -> BalanceChange {
        BalanceChange { inner }
    }
}

value_class!(BalanceChange, out::BalanceOut {
    #[getter]
    fn before(&self) -> i64 {
        self.inner.before
    }

    #[getter]
    fn before_major(&self) -> PyResult<Decimal> {
        major(self.inner.before, self.inner.currency)
    }

    #[getter]
    fn after(&self) -> i64 {
        self.inner.after
    }

    #[getter]
    fn after_major(&self) -> PyResult<Decimal> {
        major(self.inner.after, self.inner.currency)
    }

    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency.as_str()
    }

    fn __repr__(&self) -> String {
        let text = |minor: i64| major(minor, self.inner.currency).map_or_else(|_| minor.to_string(), |m| m.to_string());
        format!(
            "BalanceChange({} to {} {})",
            text(self.inner.before),
            text(self.inner.after),
            self.inner.currency
        )
    }
});

/// The Stripe request that performs a plan: `POST /v1/transfers` on the connected account
/// (or `POST /v1/charges` as the platform).
#[pyclass(frozen, eq, hash, module = "stripe_account_debits")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Request {
    inner: out::RequestOut,
    /// The amount as an `int`, for `params`.
    amount: i64,
}

impl Request {
    /// A request read back: its amount is its form's.
    fn from_inner(inner: out::RequestOut) -> Request {
        let amount = inner
            .form
            .iter()
            .find(|(name, _)| name == "amount")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or_default();
        Request { inner, amount }
    }
}

value_class!(Request, out::RequestOut {
    /// `"POST"`.
    #[getter]
    fn method(&self) -> &str {
        &self.inner.method
    }

    /// `"/v1/transfers"`, or `"/v1/charges"` for a charge.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// The `Stripe-Account` header: the connected account for a transfer, `None` for a
    /// charge (which the platform makes as itself).
    #[getter]
    fn stripe_account(&self) -> Option<&str> {
        self.inner.headers.stripe_account.as_deref()
    }

    /// The `Idempotency-Key` header.
    #[getter]
    fn idempotency_key(&self) -> &str {
        self.inner.headers.idempotency_key.as_str()
    }

    /// The headers besides authentication, in order.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyser::to_python(py, &self.inner.headers)
    }

    /// The form fields as sent, in order: `(name, value)` pairs.
    #[getter]
    fn form<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (name, value) in &self.inner.form {
            list.append(PyTuple::new(py, [name.as_ref(), value.as_str()])?)?;
        }
        Ok(list)
    }

    /// The parameters as stripe-python takes them (`stripe.Transfer.create(**params)`, or
    /// `stripe.Charge.create(**params)` for a platform-managed service charge):
    /// `amount` an `int`, and a bracketed name (`reference_transaction[type]`) a nested dict,
    /// which stripe-python encodes back into the same form. A new dict on each read.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let form = self
            .inner
            .form
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_str()));
        stripe_params(py, form, Some(self.amount))
    }

    fn __repr__(&self) -> String {
        format!(
            "Request({} {} as {}, Idempotency-Key {})",
            self.inner.method,
            self.inner.path,
            self.stripe_account().unwrap_or("the platform"),
            self.idempotency_key()
        )
    }
});

/// Form fields as stripe-python takes its parameters: a bracketed name
/// (`reference_transaction[type]`) a nested dict, which stripe-python encodes back into the
/// same form, in the same order; `amount` the `int` given (when given), else as sent.
pub(crate) fn stripe_params<'py, 'a>(
    py: Python<'py>,
    form: impl Iterator<Item = (&'a str, &'a str)>,
    amount: Option<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let params = PyDict::new(py);
    for (name, value) in form {
        match (name.split_once('['), amount) {
            (Some((outer, rest)), _) => {
                let inner_name = rest.strip_suffix(']').unwrap_or(rest);
                let outer = param_name(py, outer);
                let inner = match params.get_item(&outer)? {
                    Some(inner) => inner.cast_into::<PyDict>()?,
                    None => {
                        let inner = PyDict::new(py);
                        params.set_item(outer, &inner)?;
                        inner
                    }
                };
                inner.set_item(param_name(py, inner_name), value)?;
            }
            (None, Some(amount)) if name == "amount" => {
                params.set_item(intern!(py, "amount"), amount)?;
            }
            (None, _) => params.set_item(param_name(py, name), value)?,
        }
    }
    Ok(params)
}

/// A form name as a Python `str`: the names the library's requests use are interned once
/// (made, and their hash computed, on the first call only); any other is made.
fn param_name<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    let interned = match name {
        "amount" => intern!(py, "amount"),
        "currency" => intern!(py, "currency"),
        "destination" => intern!(py, "destination"),
        "source" => intern!(py, "source"),
        "reference_transaction" => intern!(py, "reference_transaction"),
        "type" => intern!(py, "type"),
        "charge" => intern!(py, "charge"),
        "payment" => intern!(py, "payment"),
        "payout" => intern!(py, "payout"),
        "metadata" => intern!(py, "metadata"),
        "account_debit_id" => intern!(py, "account_debit_id"),
        _ => return PyString::new(py, name),
    };
    interned.clone()
}

/// What `plan_debit` returns for the library's result (and `DebitColumns.result` for a
/// row's): `Planned` (its output built when first read) or `Rejected`.
pub(crate) fn plan_outcome(
    py: Python<'_>,
    result: Result<DebitPlan, stripe_account_debits::Rejection>,
) -> PyResult<Py<PyAny>> {
    match result {
        Ok(plan) => Ok(Py::new(
            py,
            Planned {
                inner: LazyPlanned::of_plan(plan),
            },
        )?
        .into_any()),
        Err(rejection) => Ok(Py::new(py, Rejected::new(&rejection))?.into_any()),
    }
}
