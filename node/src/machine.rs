//! The debit's state machine for JavaScript: the library's `DebitMachine`, held whole.
//! `index.js` wraps it as `DebitMachine`, whose `poll` returns an `Action`: the `step`
//! command's action (written by the serializer from the library's `json::action`), with
//! the request to make as stripe-node takes it.

use std::collections::HashSet;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use stripe_account_debits::json;
use stripe_account_debits::lifecycle::{self, Millis, Reply};

use crate::js::{self, Js, JsResult, Raw, Type};
use crate::results::{Rejected, Request, request_object};
use crate::{de, input_error, read_error, read_scenario, ser};

/// The library's refusal of a report (no request out, time going back, no new attempt
/// allowed) as an `Error`.
fn step_error(error: lifecycle::StepError) -> Error {
    Error::new(Status::GenericFailure, error.to_string())
}

/// A time in milliseconds since the Unix epoch: a safe integer.
fn millis(js: Js, name: &str, now_ms: f64) -> Result<Millis> {
    let integral = now_ms.trunc() == now_ms && now_ms.abs() <= de::MAX_SAFE_INTEGER;
    if !integral {
        let message =
            format!("expected milliseconds since the Unix epoch as a safe integer, found {now_ms}");
        return Err(input_error(js, "wrong_type", name, &message));
    }
    #[allow(clippy::cast_possible_truncation, reason = "a safe integer, exactly")]
    Ok(Millis::from_unix_ms(now_ms as i64))
}

/// One debit from plan to settled (wrapped by `index.js`'s `DebitMachine`).
#[napi]
pub struct NativeMachine {
    inner: lifecycle::DebitMachine,
}

#[napi]
impl NativeMachine {
    /// Plans the scenario's debit and starts its machine, with `options` (the `step`
    /// command's) or the defaults: the machine, or `Rejected`.
    #[napi]
    pub fn start(
        env: Env,
        scenario: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> Result<Either<NativeMachine, Rejected>> {
        let js = Js::new(env.raw());
        let input = read_scenario(js, js::raw_of(&scenario))?;
        let options = match options {
            Some(options) if !is_nothing(js, &options)? => read_options(js, &options)?,
            _ => lifecycle::MachineOptions::default(),
        };
        Ok(match lifecycle::DebitMachine::start(input, options) {
            Ok(inner) => Either::A(NativeMachine { inner }),
            Err(rejection) => Either::B(Rejected::new(rejection)),
        })
    }

    /// Resumes the machine of the scenario it was started with from its state: what
    /// `toJSON()` returned, or that as JSON text.
    #[napi(js_name = "fromJSON")]
    pub fn from_json(env: Env, scenario: Unknown<'_>, state: Unknown<'_>) -> Result<NativeMachine> {
        let js = Js::new(env.raw());
        let input = read_scenario(js, js::raw_of(&scenario))?;
        let raw = js::raw_of(&state);
        let resumed = if js.type_of(raw).map_err(js::to_napi)? == Type::String {
            let mut text = String::new();
            js.string_into(raw, &mut text).map_err(js::to_napi)?;
            lifecycle::DebitMachine::from_json(input, &text)
        } else {
            let reading = de::Reading::new(js);
            let resumed = lifecycle::DebitMachine::from_deserializer(input, reading.root(raw));
            if let Some(failure) = reading.failure() {
                return Err(read_error(js, Some(failure), None));
            }
            resumed
        };
        resumed
            .map(|inner| NativeMachine { inner })
            .map_err(|e| input_error(js, "invalid", "state", e.message()))
    }

    /// What to do at `nowMs`: `[action, request]`, the `step` command's action and, for
    /// `send` and `list`, the request as an object (else `null`).
    #[napi]
    pub fn poll<'env>(&mut self, env: &'env Env, now_ms: f64) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        let action = self
            .inner
            .poll(millis(js, "nowMs", now_ms)?)
            .map_err(step_error)?;
        let json = ser::to_js(js, &json::action(&action))?;
        let build = || -> JsResult<Raw> {
            let request = match &action {
                lifecycle::Action::Send(request) | lifecycle::Action::List(request) => {
                    http_request(js, request)?
                }
                _ => js.null()?,
            };
            let pair = js.array(2)?;
            js.set_element(pair, 0, json)?;
            js.set_element(pair, 1, request)?;
            Ok(pair)
        };
        Ok(js::unknown(env, build().map_err(js::to_napi)?))
    }

    /// Reports the reply to the request asked for, received at `nowMs`: `null` or
    /// `undefined` for none (a timeout, a connection error), else `{ status, headers,
    /// body }`.
    #[napi(js_name = "onReply")]
    pub fn on_reply(&mut self, env: Env, now_ms: f64, reply: Option<Unknown<'_>>) -> Result<()> {
        let js = Js::new(env.raw());
        let now = millis(js, "nowMs", now_ms)?;
        let Some(reply) = reply.filter(|r| !is_nothing(js, r).unwrap_or(false)) else {
            return self.inner.on_reply(now, None).map_err(step_error);
        };
        let owned = read_reply(js, js::raw_of(&reply))?;
        let headers: Vec<(&str, &str)> = owned
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let reply = Reply::new(owned.status, &headers, &owned.body);
        self.inner.on_reply(now, Some(&reply)).map_err(step_error)
    }

    /// After a `failed` outcome whose cause has been put right, starts a new attempt with
    /// a new key.
    #[napi(js_name = "newAttempt")]
    pub fn new_attempt(&mut self, env: Env, now_ms: f64) -> Result<()> {
        let now = millis(Js::new(env.raw()), "nowMs", now_ms)?;
        self.inner.new_attempt(now).map_err(step_error)
    }

    /// The machine's state, as the `step` command prints it (`state`).
    #[napi(js_name = "toJSON")]
    pub fn to_json<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        let js = Js::new(env.raw());
        Ok(js::unknown(env, ser::to_js(js, &self.inner.state())?))
    }

    /// `"sending"`, `"searching"`, `"reversing"`, `"done"` or `"escalated"`.
    #[napi(getter)]
    pub fn phase(&self) -> &'static str {
        self.inner.phase().code()
    }

    /// The attempt being made (or the last one made), from 1.
    #[napi(getter)]
    pub fn attempt(&self) -> u32 {
        self.inner.attempt().get()
    }
}

/// Whether a value is `null` or `undefined`.
fn is_nothing(js: Js, value: &Unknown<'_>) -> Result<bool> {
    let kind = js.type_of(js::raw_of(value)).map_err(js::to_napi)?;
    Ok(matches!(kind, Type::Null | Type::Undefined))
}

/// The options, read by the library's reader of the `step` command's `options`.
fn read_options(js: Js, options: &Unknown<'_>) -> Result<lifecycle::MachineOptions> {
    let reading = de::Reading::new(js);
    json::machine_options_from_deserializer(reading.root(js::raw_of(options))).map_err(|error| {
        match reading.failure() {
            Some(failure) => read_error(js, Some(failure), None),
            None => {
                let path = within("options", error.path());
                input_error(js, error.kind().code(), &path, error.message())
            }
        }
    })
}

/// `path` (a path inside the argument `name`) as a path from `name`.
fn within(name: &str, path: &str) -> String {
    match path {
        "" => name.to_owned(),
        index if index.starts_with('[') => format!("{name}{index}"),
        key => format!("{name}.{key}"),
    }
}

/// A machine's request as an object (see `request_object`), with `encodedParams` and
/// `actByMs`.
fn http_request(js: Js, request: &lifecycle::HttpRequest) -> JsResult<Raw> {
    let amount = request
        .params()
        .find(|(name, _)| *name == "amount")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    let object = request_object(
        js,
        &Request {
            method: request.method(),
            path: request.path(),
            stripe_account: request.stripe_account(),
            idempotency_key: request.idempotency_key(),
            amount,
            content_type: request.method() == "POST",
        },
        &request.params().collect::<Vec<_>>(),
    )?;
    js.set_named(
        object,
        c"encodedParams",
        js.string(&request.encoded_params())?,
    )?;
    let act_by = ser::integer(js, request.act_by().as_unix_ms().into())?;
    js.set_named(object, c"actByMs", act_by)?;
    Ok(object)
}

/// A reply read from `{ status, headers, body }`.
struct OwnedReply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_reply(js: Js, reply: Raw) -> Result<OwnedReply> {
    let check = |r: JsResult<Raw>| r.map_err(js::to_napi);
    let status = check(js.named(reply, c"status"))?;
    let number = match js.type_of(status).map_err(js::to_napi)? {
        Type::Number => js.number(status).map_err(js::to_napi)?,
        _ => {
            let message = "expected an HTTP status (a number from 100 to 599)";
            return Err(input_error(js, "wrong_type", "reply.status", message));
        }
    };
    let status = Some(number)
        .filter(|n| n.trunc() == *n && (100.0..=599.0).contains(n))
        .and_then(|n| format!("{n}").parse::<u16>().ok())
        .ok_or_else(|| {
            let message = format!("{number} is not an HTTP status (100 to 599)");
            input_error(js, "invalid", "reply.status", &message)
        })?;
    let headers = read_headers(js, check(js.named(reply, c"headers"))?)?;
    let body = read_body(js, check(js.named(reply, c"body"))?)?;
    Ok(OwnedReply {
        status,
        headers,
        body,
    })
}

/// Headers as `(name, value)` strings: from a plain object, a `Headers` (anything with
/// `entries()`, as fetch's), or an array of pairs. A name given twice, in any case, is
/// refused: which one counts would be a guess.
fn read_headers(js: Js, headers: Raw) -> Result<Vec<(String, String)>> {
    let check = |r: JsResult<Raw>| r.map_err(js::to_napi);
    let kind = js.type_of(headers).map_err(js::to_napi)?;
    if matches!(kind, Type::Null | Type::Undefined) {
        return Ok(Vec::new());
    }
    if kind != Type::Object {
        let message = "expected an object of header names to values";
        return Err(input_error(js, "wrong_type", "reply.headers", message));
    }
    // A `Headers` object: its entries as pairs.
    let entries = check(js.named(headers, c"entries"))?;
    let pairs = if js.type_of(entries).map_err(js::to_napi)? == Type::Function
        && !js.is_array(headers).map_err(js::to_napi)?
    {
        let iterator = check(js.call(headers, entries, &[]))?;
        collect_iterator(js, iterator)?
    } else {
        headers
    };
    let reading = de::Reading::new(js);
    let read: core::result::Result<HeaderList, _> =
        serde::Deserialize::deserialize(reading.root(pairs));
    let list = match (read, reading.failure()) {
        (Ok(list), None) => list,
        (_, Some(failure)) => return Err(read_error(js, Some(failure), None)),
        (Err(error), None) => {
            let message = format!("expected header names to strings: {error}");
            return Err(input_error(js, "wrong_type", "reply.headers", &message));
        }
    };
    let mut names = HashSet::new();
    for (name, _) in &list.0 {
        if !names.insert(name.to_ascii_lowercase()) {
            let message = format!(
                "the header \"{}\" is given twice",
                name.escape_debug().take(64).collect::<String>()
            );
            return Err(input_error(js, "invalid", "reply.headers", &message));
        }
    }
    Ok(list.0)
}

/// `Array.from(iterator)`, by calling `next()` until `done`.
fn collect_iterator(js: Js, iterator: Raw) -> Result<Raw> {
    let check = |r: JsResult<Raw>| r.map_err(js::to_napi);
    let next = check(js.named(iterator, c"next"))?;
    let array = check(js.array(0))?;
    for index in 0u32..10_000 {
        let step = check(js.call(iterator, next, &[]))?;
        let done = check(js.named(step, c"done"))?;
        if js.type_of(done).map_err(js::to_napi)? == Type::Boolean
            && js.bool(done).map_err(js::to_napi)?
        {
            return Ok(array);
        }
        let value = check(js.named(step, c"value"))?;
        js.set_element(array, index, value).map_err(js::to_napi)?;
    }
    let message = "more than 10000 headers";
    Err(input_error(js, "invalid", "reply.headers", message))
}

/// Headers as an object of names to strings, or an array of `[name, value]` pairs.
struct HeaderList(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for HeaderList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = HeaderList;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object of strings or an array of [name, value] pairs")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> core::result::Result<HeaderList, A::Error> {
                let mut list = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    list.push(pair);
                }
                Ok(HeaderList(list))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> core::result::Result<HeaderList, A::Error> {
                let mut list = Vec::new();
                while let Some(pair) = seq.next_element::<(String, String)>()? {
                    list.push(pair);
                }
                Ok(HeaderList(list))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A body: a string or a `Uint8Array` as sent, or a JSON value (an object, an array)
/// written as JSON text (as stripe-node's parsed body would be sent again).
fn read_body(js: Js, body: Raw) -> Result<Vec<u8>> {
    match js.type_of(body).map_err(js::to_napi)? {
        Type::Null | Type::Undefined => return Ok(Vec::new()),
        Type::String => {
            let mut text = String::new();
            js.string_into(body, &mut text).map_err(js::to_napi)?;
            return Ok(text.into_bytes());
        }
        _ => {}
    }
    if let Some(bytes) = js.bytes(body).map_err(js::to_napi)? {
        return Ok(bytes);
    }
    let reading = de::Reading::new(js);
    let value: core::result::Result<serde_json::Value, _> =
        serde::Deserialize::deserialize(reading.root(body));
    match (value, reading.failure()) {
        (Ok(value), None) => Ok(value.to_string().into_bytes()),
        (_, Some(failure)) => Err(read_error(js, Some(failure), None)),
        (Err(error), None) => {
            let message = format!("cannot read the body: {error}");
            Err(input_error(js, "wrong_type", "reply.body", &message))
        }
    }
}
