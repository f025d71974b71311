//! The results as Python objects: `Planned` and `Rejected`, and the parts they are made of.
//!
//! `Planned` and `Rejected` keep the library's own result and build each attribute when it
//! is read, so that a call pays only for what its caller looks at. Amounts are `int` minor
//! units (`amount`) beside `decimal.Decimal` major units (`amount_major`), never `float`.
//! `to_dict()` is the JSON the command line prints, as Python objects.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use rust_decimal::Decimal;
use stripe_account_debits::{AttemptNumber, DebitPlan, Money, Rejection};

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

/// A currency as Stripe writes it: its ISO code in lowercase.
fn wire_currency(money: Money) -> String {
    money.currency().code().to_ascii_lowercase()
}

/// Python's `json.loads`.
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// What the library serializes, as the Python objects `json.loads` gives for the JSON text
/// the command line prints: the same values, keys in the same order.
pub(crate) fn serialized<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|err| PyValueError::new_err(format!("cannot write the outcome: {err}")))?;
    let loads = JSON_LOADS.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

/// A violation's or an advisory's details: its JSON without `code` and `message`.
fn details_of<'py, T: serde::Serialize>(py: Python<'py>, item: &T) -> PyResult<Bound<'py, PyDict>> {
    let dict = serialized(py, item)?.cast_into::<PyDict>()?;
    dict.del_item("code")?;
    dict.del_item("message")?;
    Ok(dict)
}

/// A plan: the transfer to create, what it does to both balances, and the request.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Planned {
    plan: DebitPlan,
}

impl Planned {
    pub(crate) fn new(plan: DebitPlan) -> Planned {
        Planned { plan }
    }
}

#[pymethods]
impl Planned {
    /// `"planned"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        "planned"
    }

    /// The flow that judged the debit: `"stripe_managed"` or `"platform_managed"`.
    #[getter]
    fn flow(&self) -> &'static str {
        self.plan.flow().code()
    }

    /// How the debit is sent: `"transfer"` or `"charge"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.plan.method().code()
    }

    /// The Account Debit: a transfer from the connected account to the platform.
    #[getter]
    fn transfer(&self) -> Transfer {
        let transfer = self.plan.transfer();
        Transfer {
            account: transfer.account().to_string(),
            destination: transfer.destination().to_string(),
            amount: transfer.amount().minor(),
            amount_major: transfer.amount().amount(),
            currency: wire_currency(transfer.amount()),
            reference_type: transfer
                .reference_type()
                .map(|kind| kind.as_str().to_owned()),
            reference_id: transfer
                .reference()
                .map(|reference| reference.id().to_string()),
        }
    }

    /// The payment the transfer creates on the platform.
    #[getter]
    fn payment(&self) -> Payment {
        let payment = self.plan.payment();
        Payment {
            account: payment.account().to_string(),
            source_account: payment.source_account().to_string(),
            amount: payment.amount().minor(),
            amount_major: payment.amount().amount(),
            currency: wire_currency(payment.amount()),
        }
    }

    /// The part of the debit Stripe holds in reserve on the connected account, or `None`.
    #[getter]
    fn reserve_hold(&self) -> Option<ReserveHold> {
        self.plan.reserve_hold().map(|hold| ReserveHold {
            account: hold.account().to_string(),
            amount: hold.amount().minor(),
            amount_major: hold.amount().amount(),
            currency: wire_currency(hold.amount()),
        })
    }

    /// The connected account's available balance, before and after.
    #[getter]
    fn connected_available(&self) -> BalanceChange {
        let effect = self.plan.connected_available();
        BalanceChange {
            before: effect.before().minor(),
            before_major: effect.before().amount(),
            after: effect.after().minor(),
            after_major: effect.after().amount(),
            currency: wire_currency(effect.before()),
        }
    }

    /// The change to the platform's available balance, in minor units.
    #[getter]
    fn platform_available_change(&self) -> i64 {
        self.plan.platform_available_change().minor()
    }

    /// The change to the platform's available balance, in major units.
    #[getter]
    fn platform_available_change_major(&self) -> Decimal {
        self.plan.platform_available_change().amount()
    }

    /// What the plan warns of, without refusing it.
    #[getter]
    fn advisories(&self) -> Vec<Advisory> {
        self.plan
            .advisories()
            .iter()
            .map(|inner| Advisory { inner })
            .collect()
    }

    /// The Stripe request that performs the plan (attempt 1's key).
    #[getter]
    fn request(&self) -> Request {
        self.request_of(AttemptNumber::FIRST)
    }

    /// The same request under attempt `n`'s idempotency key (`account-debit#<n>:...` from
    /// the second): for a new attempt after a failure Stripe saved under the key before.
    /// Raises `ValueError` for `n` below 1. (A `DebitMachine` makes its attempts itself.)
    fn request_for(&self, n: u32) -> PyResult<Request> {
        let attempt =
            AttemptNumber::new(n).ok_or_else(|| PyValueError::new_err("attempts count from 1"))?;
        Ok(self.request_of(attempt))
    }

    /// The plan as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.plan)
    }

    fn __repr__(&self) -> String {
        let transfer = self.plan.transfer();
        format!(
            "Planned(transfer of {} {} from {} to {})",
            transfer.amount().amount(),
            wire_currency(transfer.amount()),
            transfer.account(),
            transfer.destination(),
        )
    }
}

impl Planned {
    /// The request under `attempt`'s key.
    fn request_of(&self, attempt: AttemptNumber) -> Request {
        let request = self.plan.request_for(attempt);
        Request {
            method: request.method(),
            path: request.path(),
            stripe_account: request.stripe_account().map(str::to_owned),
            idempotency_key: request.idempotency_key().as_str().to_owned(),
            content_type: stripe_account_debits::Headers::CONTENT_TYPE,
            form: request
                .form()
                .map(|(name, value)| (name, value.to_owned()))
                .collect(),
            amount: self.plan.transfer().amount().minor(),
        }
    }
}

/// A rejection: every rule the scenario breaks.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Rejected {
    rejection: Rejection,
}

impl Rejected {
    pub(crate) fn new(rejection: Rejection) -> Rejected {
        Rejected { rejection }
    }
}

#[pymethods]
impl Rejected {
    /// `"rejected"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        "rejected"
    }

    /// The rules broken, in the order the library checks them.
    #[getter]
    fn violations(&self) -> Vec<Violation> {
        self.rejection
            .violations()
            .iter()
            .map(|inner| Violation { inner: *inner })
            .collect()
    }

    /// The violations' codes, in order.
    #[getter]
    fn codes(&self) -> Vec<&'static str> {
        self.rejection.codes().collect()
    }

    /// The rejection as the command line prints it, as Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialized(py, &self.rejection)
    }

    fn __repr__(&self) -> String {
        format!("Rejected({})", self.codes().join(", "))
    }
}

/// A rule the scenario breaks.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Violation {
    inner: stripe_account_debits::Violation,
}

/// Something a plan warns of.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Advisory {
    inner: stripe_account_debits::Advisory,
}

macro_rules! coded_methods {
    ($name:ident) => {
        #[pymethods]
        impl $name {
            /// The stable snake_case code.
            #[getter]
            fn code(&self) -> &'static str {
                self.inner.code()
            }

            /// What is wrong, in words.
            #[getter]
            fn message(&self) -> String {
                self.inner.to_string()
            }

            /// The values it names (accounts, amounts in minor units, currencies, times),
            /// as in the JSON output; a new dict on each read.
            #[getter]
            fn details<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                details_of(py, &self.inner)
            }

            /// `code`, `message` and the details, as the JSON output writes it.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                serialized(py, &self.inner)
            }

            fn __repr__(&self) -> String {
                format!(
                    "{}({}: {})",
                    stringify!($name),
                    self.inner.code(),
                    self.inner
                )
            }
        }
    };
}

coded_methods!(Violation);
coded_methods!(Advisory);

/// The transfer from the connected account to the platform.
#[pyclass(frozen, get_all, module = "stripe_account_debits")]
pub(crate) struct Transfer {
    /// The account the transfer is created on: the connected account.
    account: String,
    /// The platform.
    destination: String,
    amount: i64,
    amount_major: Decimal,
    currency: String,
    /// `"charge"` or `"payout"`.
    /// `None` for a platform-managed debit, which sends no reference.
    reference_type: Option<String>,
    reference_id: Option<String>,
}

/// The payment the transfer creates on the platform.
#[pyclass(frozen, get_all, module = "stripe_account_debits")]
pub(crate) struct Payment {
    account: String,
    source_account: String,
    amount: i64,
    amount_major: Decimal,
    currency: String,
}

/// The part Stripe holds in reserve.
#[pyclass(frozen, get_all, module = "stripe_account_debits")]
pub(crate) struct ReserveHold {
    account: String,
    amount: i64,
    amount_major: Decimal,
    currency: String,
}

/// A balance before and after.
#[pyclass(frozen, get_all, module = "stripe_account_debits")]
pub(crate) struct BalanceChange {
    before: i64,
    before_major: Decimal,
    after: i64,
    after_major: Decimal,
    currency: String,
}

/// The Stripe request that performs a plan: `POST /v1/transfers` on the connected account.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct Request {
    method: &'static str,
    path: &'static str,
    stripe_account: Option<String>,
    idempotency_key: String,
    content_type: &'static str,
    form: Vec<(&'static str, String)>,
    amount: i64,
}

#[pymethods]
impl Request {
    /// `"POST"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.method
    }

    /// `"/v1/transfers"`, or `"/v1/charges"` for a charge.
    #[getter]
    fn path(&self) -> &'static str {
        self.path
    }

    /// The `Stripe-Account` header: the connected account for a transfer, `None` for a
    /// charge (which the platform makes as itself).
    #[getter]
    fn stripe_account(&self) -> Option<&str> {
        self.stripe_account.as_deref()
    }

    /// The `Idempotency-Key` header.
    #[getter]
    fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }

    /// The headers besides authentication, in order.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        if let Some(account) = &self.stripe_account {
            dict.set_item("Stripe-Account", account)?;
        }
        dict.set_item("Idempotency-Key", &self.idempotency_key)?;
        dict.set_item("Content-Type", self.content_type)?;
        Ok(dict)
    }

    /// The form fields as sent, in order: `(name, value)` pairs.
    #[getter]
    fn form<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (name, value) in &self.form {
            list.append(PyTuple::new(py, [*name, value.as_str()])?)?;
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
            .form
            .iter()
            .map(|(name, value)| (*name, value.as_str()));
        stripe_params(py, form, Some(self.amount))
    }

    fn __repr__(&self) -> String {
        format!(
            "Request({} {} as {}, Idempotency-Key {})",
            self.method,
            self.path,
            self.stripe_account.as_deref().unwrap_or("the platform"),
            self.idempotency_key
        )
    }
}

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
                let inner = match params.get_item(outer)? {
                    Some(inner) => inner.cast_into::<PyDict>()?,
                    None => {
                        let inner = PyDict::new(py);
                        params.set_item(outer, &inner)?;
                        inner
                    }
                };
                inner.set_item(inner_name, value)?;
            }
            (None, Some(amount)) if name == "amount" => params.set_item(name, amount)?,
            (None, _) => params.set_item(name, value)?,
        }
    }
    Ok(params)
}
