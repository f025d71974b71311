//! `Planned` and `Rejected`: the results of `planDebit` (and of a `DebitMachine` that does
//! not start). Each keeps the library's own result and builds an accessor's value when it
//! is read, so that a call pays only for what its caller looks at. `toJSON()` is the JSON
//! the command line prints, written by the serializer.
//!
//! Amounts in minor units are numbers when they are safe integers, else their decimal
//! strings; amounts in major units are decimal strings (`"5.00"`), never floats.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use stripe_account_debits::{AttemptNumber, DebitPlan, Money, Rejection};

use crate::js::{self, Js, JsResult, Raw};
use crate::ser;

/// A currency as Stripe writes it: its ISO code in lowercase.
fn wire_currency(money: Money) -> String {
    money.currency().code().to_ascii_lowercase()
}

/// Minor units: a number when safe, else the decimal string.
fn minor(js: Js, money: Money) -> JsResult<Raw> {
    ser::integer(js, money.minor().into())
}

/// Sets `object[name]` to a string, or `null` for none.
fn set_text(js: Js, object: Raw, name: &core::ffi::CStr, text: Option<&str>) -> JsResult<()> {
    let value = match text {
        Some(text) => js.string(text)?,
        None => js.null()?,
    };
    js.set_named(object, name, value)
}

/// `{ amount, amountMajor, currency }` of `money`, on `object`.
fn set_money(js: Js, object: Raw, money: Money) -> JsResult<()> {
    js.set_named(object, c"amount", minor(js, money)?)?;
    let major = js.string(&money.amount().to_string())?;
    js.set_named(object, c"amountMajor", major)?;
    set_text(js, object, c"currency", Some(&wire_currency(money)))
}

/// A plan: the transfer to create, what it does to both balances, and the request.
#[napi]
pub struct Planned {
    plan: DebitPlan,
}

impl Planned {
    pub(crate) fn new(plan: DebitPlan) -> Planned {
        Planned { plan }
    }
}

#[napi]
impl Planned {
    /// `"planned"`.
    #[napi(getter)]
    pub fn outcome(&self) -> &'static str {
        "planned"
    }

    /// The flow that judged the debit: `"stripe_managed"` or `"platform_managed"`.
    #[napi(getter)]
    pub fn flow(&self) -> &'static str {
        self.plan.flow().code()
    }

    /// How the debit is sent: `"transfer"` or `"charge"`.
    #[napi(getter)]
    pub fn method(&self) -> &'static str {
        self.plan.method().code()
    }

    /// The Account Debit: a transfer from the connected account to the platform.
    #[napi(getter)]
    pub fn transfer<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let t = self.plan.transfer();
        let build = || -> JsResult<Raw> {
            let object = js.object()?;
            set_text(js, object, c"account", Some(t.account().as_ref()))?;
            set_text(js, object, c"destination", Some(t.destination().as_ref()))?;
            set_money(js, object, t.amount())?;
            let kind = t.reference_type().map(|kind| kind.as_str());
            set_text(js, object, c"referenceType", kind)?;
            let id = t.reference().map(|reference| reference.id().to_string());
            set_text(js, object, c"referenceId", id.as_deref())?;
            Ok(object)
        };
        Ok(js::unknown(env, build().map_err(js::to_napi)?))
    }

    /// The payment the transfer creates on the platform.
    #[napi(getter)]
    pub fn payment<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let p = self.plan.payment();
        let build = || -> JsResult<Raw> {
            let object = js.object()?;
            set_text(js, object, c"account", Some(p.account().as_ref()))?;
            let source = p.source_account().to_string();
            set_text(js, object, c"sourceAccount", Some(&source))?;
            set_money(js, object, p.amount())?;
            Ok(object)
        };
        Ok(js::unknown(env, build().map_err(js::to_napi)?))
    }

    /// The part of the debit Stripe holds in reserve on the connected account, or `null`.
    #[napi(getter)]
    pub fn reserve_hold<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let build = || -> JsResult<Raw> {
            let Some(hold) = self.plan.reserve_hold() else {
                return js.null();
            };
            let object = js.object()?;
            set_text(js, object, c"account", Some(hold.account().as_ref()))?;
            set_money(js, object, hold.amount())?;
            Ok(object)
        };
        Ok(js::unknown(env, build().map_err(js::to_napi)?))
    }

    /// The connected account's available balance, before and after.
    #[napi(getter)]
    pub fn connected_available<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let effect = self.plan.connected_available();
        let build = || -> JsResult<Raw> {
            let object = js.object()?;
            js.set_named(object, c"before", minor(js, effect.before())?)?;
            let major = js.string(&effect.before().amount().to_string())?;
            js.set_named(object, c"beforeMajor", major)?;
            js.set_named(object, c"after", minor(js, effect.after())?)?;
            let major = js.string(&effect.after().amount().to_string())?;
            js.set_named(object, c"afterMajor", major)?;
            let currency = wire_currency(effect.before());
            set_text(js, object, c"currency", Some(&currency))?;
            Ok(object)
        };
        Ok(js::unknown(env, build().map_err(js::to_napi)?))
    }

    /// The change to the platform's available balance, in minor units.
    #[napi(getter, ts_return_type = "number | string")]
    pub fn platform_available_change<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let change = minor(js, self.plan.platform_available_change()).map_err(js::to_napi)?;
        Ok(js::unknown(env, change))
    }

    /// The change to the platform's available balance, in major units (a decimal string).
    #[napi(getter)]
    pub fn platform_available_change_major(&self) -> String {
        self.plan.platform_available_change().amount().to_string()
    }

    /// What the plan warns of, without refusing it: each as its JSON (`code`, `message`
    /// and the values it names).
    #[napi(getter)]
    pub fn advisories<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        Ok(js::unknown(
            env,
            ser::to_js(js, &self.plan.advisories().iter().collect::<Vec<_>>())?,
        ))
    }

    /// The Stripe request that performs the plan (attempt 1's key).
    #[napi(getter)]
    pub fn request<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        self.request_of(env, AttemptNumber::FIRST)
    }

    /// The same request under attempt `n`'s idempotency key (`account-debit#<n>:...` from
    /// the second). Throws an `Error` for `n` below 1.
    #[napi]
    pub fn request_for<'env>(&self, env: &'env Env, n: u32) -> Result<Unknown<'env>> {
        let attempt = AttemptNumber::new(n)
            .ok_or_else(|| Error::new(Status::InvalidArg, "attempts count from 1".to_owned()))?;
        self.request_of(env, attempt)
    }

    /// The plan as the command line prints it.
    #[napi(js_name = "toJSON")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        Ok(js::unknown(env, ser::to_js(js, &self.plan)?))
    }
}

impl Planned {
    fn request_of<'env>(&self, env: &'env Env, attempt: AttemptNumber) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let request = self.plan.request_for(attempt);
        let key = request.idempotency_key();
        let raw = request_object(
            js,
            &Request {
                method: request.method(),
                path: request.path(),
                stripe_account: request.stripe_account(),
                idempotency_key: Some(key.as_str()),
                amount: Some(self.plan.transfer().amount().minor()),
                content_type: true,
            },
            &request.form().collect::<Vec<_>>(),
        )
        .map_err(js::to_napi)?;
        Ok(js::unknown(env, raw))
    }
}

/// What a request object is made of, besides its form.
pub(crate) struct Request<'a> {
    pub(crate) method: &'static str,
    pub(crate) path: &'a str,
    pub(crate) stripe_account: Option<&'a str>,
    pub(crate) idempotency_key: Option<&'a str>,
    /// The amount, for `params.amount` as a number (else as sent).
    pub(crate) amount: Option<i64>,
    /// Whether it has a form body (`Content-Type`).
    pub(crate) content_type: bool,
}

/// A request as JavaScript takes it: `method`, `path`, `stripeAccount`,
/// `idempotencyKey`, `headers`, `form` (`[name, value]` pairs as sent), `params` (as
/// stripe-node takes them: a bracketed name a nested object, `amount` a number) and
/// `options` (stripe-node's request options: `stripeAccount`, `idempotencyKey`).
pub(crate) fn request_object(
    js: Js,
    request: &Request<'_>,
    form: &[(&str, &str)],
) -> JsResult<Raw> {
    let object = js.object()?;
    set_text(js, object, c"method", Some(request.method))?;
    set_text(js, object, c"path", Some(request.path))?;
    set_text(js, object, c"stripeAccount", request.stripe_account)?;
    set_text(js, object, c"idempotencyKey", request.idempotency_key)?;
    let (headers, options) = (js.object()?, js.object()?);
    if let Some(account) = request.stripe_account {
        set_text(js, headers, c"Stripe-Account", Some(account))?;
        set_text(js, options, c"stripeAccount", Some(account))?;
    }
    if let Some(key) = request.idempotency_key {
        set_text(js, headers, c"Idempotency-Key", Some(key))?;
        set_text(js, options, c"idempotencyKey", Some(key))?;
    }
    if request.content_type {
        let content = Some(stripe_account_debits::request::Headers::CONTENT_TYPE);
        set_text(js, headers, c"Content-Type", content)?;
    }
    js.set_named(object, c"headers", headers)?;
    js.set_named(object, c"form", form_pairs(js, form)?)?;
    js.set_named(object, c"params", params(js, form, request.amount)?)?;
    js.set_named(object, c"options", options)?;
    Ok(object)
}

/// `[name, value]` pairs.
fn form_pairs(js: Js, form: &[(&str, &str)]) -> JsResult<Raw> {
    let array = js.array(form.len())?;
    for (index, (name, value)) in (0u32..).zip(form) {
        let pair = js.array(2)?;
        js.set_element(pair, 0, js.string(name)?)?;
        js.set_element(pair, 1, js.string(value)?)?;
        js.set_element(array, index, pair)?;
    }
    Ok(array)
}

/// Form fields as stripe-node takes its parameters: a bracketed name
/// (`reference_transaction[type]`) a nested object, which stripe-node encodes back into the
/// same form, in the same order; `amount` the number given (when given and safe), else as
/// sent.
fn params(js: Js, form: &[(&str, &str)], amount: Option<i64>) -> JsResult<Raw> {
    let params = js.object()?;
    // The nested object being filled, and its name (the form lists a group's fields
    // together).
    let mut open: Option<(&str, Raw)> = None;
    for &(name, value) in form {
        if let Some((outer, rest)) = name.split_once('[') {
            let inner_name = rest.strip_suffix(']').unwrap_or(rest);
            let inner = match open {
                Some((open_name, inner)) if open_name == outer => inner,
                _ => {
                    let inner = js.object()?;
                    js.set(params, js.string(outer)?, inner)?;
                    open = Some((outer, inner));
                    inner
                }
            };
            js.set(inner, js.string(inner_name)?, js.string(value)?)?;
            continue;
        }
        let item = match amount {
            Some(amount) if name == "amount" => ser::integer(js, amount.into())?,
            _ => js.string(value)?,
        };
        js.set(params, js.string(name)?, item)?;
    }
    Ok(params)
}

/// A rejection: every rule the scenario breaks.
#[napi]
pub struct Rejected {
    rejection: Rejection,
}

impl Rejected {
    pub(crate) fn new(rejection: Rejection) -> Rejected {
        Rejected { rejection }
    }
}

#[napi]
impl Rejected {
    /// `"rejected"`.
    #[napi(getter)]
    pub fn outcome(&self) -> &'static str {
        "rejected"
    }

    /// The rules broken, in the order the library checks them: each as its JSON (`code`,
    /// `message` and the values it names).
    #[napi(getter)]
    pub fn violations<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        Ok(js::unknown(
            env,
            ser::to_js(js, self.rejection.violations())?,
        ))
    }

    /// The violations' codes, in order.
    #[napi(getter)]
    pub fn codes(&self) -> Vec<&'static str> {
        self.rejection.codes().collect()
    }

    /// The rejection as the command line prints it.
    #[napi(js_name = "toJSON")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        Ok(js::unknown(env, ser::to_js(js, &self.rejection)?))
    }
}
