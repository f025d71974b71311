//! The `step` command: one call of the [`DebitMachine`] from a shell or any language, its
//! state carried in the document, so the caller keeps it between calls.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;
use serde::de::{MapAccess, SeqAccess};
use serde_json::Value;

use super::invalid_input;
use super::scenario::{self, ScenarioDoc};
use crate::debit::rules::Rejection;
use crate::lifecycle::{Action, DebitMachine, MachineOptions, Millis, Outcome, Reply, StepError};
use crate::reader::{
    self as read, Container, Ctx, Field, Kept, Leaf, Path, ReadError, ReadErrorKind as Kind, Seed,
    fields,
};
use crate::value::text::quoted;

/// What a step's output says, to branch on (the command line's exit status). It is
/// deliberately exhaustive: a new kind is a compile error wherever kinds are matched.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, StepKind};
///
/// assert_eq!(json::step("{}").kind(), StepKind::InvalidInput);
/// assert_eq!(StepKind::Send.code(), "send");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Make the request (it may move money): save the state first.
    Send,
    /// Make the request (a `GET`: it moves nothing).
    List,
    /// Call again at `until_ms`.
    Wait,
    /// Done: the debit's transfer is confirmed.
    Confirmed,
    /// Done: Stripe refused the debit; no money moved.
    Failed,
    /// A person must look.
    Escalate,
    /// The debit does not plan (at the start): nothing was sent.
    Rejected,
    /// The document cannot be used.
    InvalidInput,
}

impl StepKind {
    /// The kind of an action.
    pub fn of(action: &Action) -> StepKind {
        match action {
            Action::Send(_) => StepKind::Send,
            Action::List(_) => StepKind::List,
            Action::Wait { .. } => StepKind::Wait,
            Action::Done(Outcome::Confirmed { .. }) => StepKind::Confirmed,
            Action::Done(Outcome::Failed { .. }) => StepKind::Failed,
            Action::Escalate(_) => StepKind::Escalate,
        }
    }

    /// `"send"`, `"list"`, `"wait"`, `"confirmed"`, `"failed"`, `"escalate"`,
    /// `"rejected"` or `"invalid_input"`.
    pub const fn code(self) -> &'static str {
        match self {
            StepKind::Send => "send",
            StepKind::List => "list",
            StepKind::Wait => "wait",
            StepKind::Confirmed => "confirmed",
            StepKind::Failed => "failed",
            StepKind::Escalate => "escalate",
            StepKind::Rejected => "rejected",
            StepKind::InvalidInput => "invalid_input",
        }
    }
}

/// The output of a step: the new state and the action, the rejection of a debit that does
/// not plan (as `plan` prints it), or input that cannot be used (as every command prints
/// it). `Display` writes compact JSON, or indented JSON with `{:#}`.
#[derive(Debug)]
pub struct StepOutput {
    kind: StepKind,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Step { state: Value, action: Action },
    Rejected(Rejection),
    Invalid(ReadError),
}

impl StepOutput {
    /// What it says.
    pub fn kind(&self) -> StepKind {
        self.kind
    }

    /// The action, unless the input could not be used or the debit does not plan.
    pub fn action(&self) -> Option<&Action> {
        match &self.body {
            Body::Step { action, .. } => Some(action),
            _ => None,
        }
    }

    /// The machine's new state, to save and pass back as `state` at the next step.
    pub fn state(&self) -> Option<&Value> {
        match &self.body {
            Body::Step { state, .. } => Some(state),
            _ => None,
        }
    }

    fn invalid(error: ReadError) -> StepOutput {
        StepOutput {
            kind: StepKind::InvalidInput,
            body: Body::Invalid(error),
        }
    }
}

#[derive(Serialize)]
struct StepOut<'a> {
    state: &'a Value,
    action: super::ActionOutput<'a>,
}

impl Serialize for StepOutput {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.body {
            Body::Step { state, action } => StepOut {
                state,
                action: super::action(action),
            }
            .serialize(serializer),
            Body::Rejected(rejection) => rejection.serialize(serializer),
            Body::Invalid(error) => invalid_input(error).serialize(serializer),
        }
    }
}

impl core::fmt::Display for StepOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| core::fmt::Error)?)
    }
}

/// Runs one step of a debit's machine, from the `step` command's document:
///
/// ```json
/// {"scenario": {...the scenario, as for `plan`...},
///  "state": null,
///  "now_ms": 1764000000000,
///  "reply": {"status": 200, "headers": {"Request-Id": "req_1"}, "body": {...}},
///  "options": {"settle_ms": 86400000},
///  "new_attempt": false}
/// ```
///
/// - `scenario` (required): read as `plan` reads one, the same at every step.
/// - `state` (required): `null` to start the machine, else the `state` object the last step
///   printed (saved before making its request).
/// - `now_ms` (required): the caller's clock, in milliseconds since the Unix epoch.
/// - `reply`: absent to only ask what to do now; `null` when the request the last step
///   asked for got no reply (a timeout, a connection error); else the reply: `status` (an
///   HTTP status), `headers` (`{"name": "value"}` or `[["name", "value"], ...]`; a name
///   given twice, in any case, is refused) and `body` (a string, or the JSON value that is
///   the body, written back out as JSON text; absent or `null`: empty).
/// - `options` (only with `"state": null`, since the state carries them):
///   `fast_sends`, `key_window_margin_ms`, `settle_ms`, `act_within_ms`,
///   `request_timeout_ms`, `clock_skew_ms`, `max_attempts` (see
///   [`MachineOptions`]); a value the machine would not take as it is (`max_attempts: 0`)
///   is refused.
/// - `new_attempt`: `true` to start a new attempt after a `failed` outcome whose cause
///   has been put right ([`DebitMachine::new_attempt`]).
///
/// The machine is started (or resumed from `state`), told the reply, then asked what to do
/// at `now_ms`; the output is `{"state": {...}, "action": {...}}` (the action as
/// [`action`](super::action) writes it). Save the state before acting on the action. An
/// unknown key, in the document, its `reply` or its `options`, is refused: a misspelt key
/// would otherwise be read as absent.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, StepKind};
///
/// let scenario = include_str!("../../../examples/scenarios/demo.json");
/// let start = format!(r#"{{"scenario": {scenario}, "state": null, "now_ms": 1764000000000}}"#);
/// let out = json::step(&start);
/// assert_eq!(out.kind(), StepKind::Send);
/// let state = out.state().unwrap().to_string();
///
/// // The request got no reply: the same key again, after a short wait.
/// let again = format!(r#"{{"scenario": {scenario}, "state": {state}, "now_ms": 1764000080000, "reply": null}}"#);
/// let out = json::step(&again);
/// assert_eq!(out.kind(), StepKind::Wait);
///
/// let err = json::step(&start.replace("now_ms", "now"));
/// assert_eq!(err.kind(), StepKind::InvalidInput);
/// assert!(err.to_string().contains(r#""path":"now""#));
/// ```
pub fn step(text: &str) -> StepOutput {
    let run = read::read_text::<Field<StepDoc<'_>>>(text).and_then(|doc| run(&doc));
    run.unwrap_or_else(StepOutput::invalid)
}

fields! {
    /// The `step` command's document.
    struct StepDoc<'de> {
        unknown: refused;
        "scenario" => scenario: Field<ScenarioDoc<'de>>,
        "state" => state: Kept,
        "now_ms" => now_ms: Leaf<'de>,
        "reply" => reply: Field<ReplyDoc<'de>>,
        "options" => options: Field<OptionsDoc<'de>>,
        "new_attempt" => new_attempt: Leaf<'de>,
    }
}

fields! {
    /// A reply, as the caller's HTTP client got it.
    struct ReplyDoc<'de> {
        unknown: refused;
        "status" => status: Leaf<'de>,
        "headers" => headers: Field<Headers<'de>>,
        "body" => body: Kept,
    }
}

fields! {
    /// The machine's options.
    pub(super) struct OptionsDoc<'de> {
        unknown: refused;
        "fast_sends" => fast_sends: Leaf<'de>,
        "key_window_margin_ms" => key_window_margin_ms: Leaf<'de>,
        "settle_ms" => settle_ms: Leaf<'de>,
        "act_within_ms" => act_within_ms: Leaf<'de>,
        "request_timeout_ms" => request_timeout_ms: Leaf<'de>,
        "clock_skew_ms" => clock_skew_ms: Leaf<'de>,
        "max_attempts" => max_attempts: Leaf<'de>,
    }
}

/// What the step reports before it asks.
enum Report<'a> {
    /// Nothing: only ask.
    Nothing,
    /// No reply came.
    NoReply,
    /// This reply came.
    Reply {
        status: u16,
        headers: Vec<(&'a str, &'a str)>,
        body: Cow<'a, [u8]>,
    },
}

/// The document, read: what the machine needs to start or resume, and what to tell it.
struct Parts<'a> {
    input: crate::debit::input::DebitInput,
    /// The saved state's text; `None` to start.
    state: Option<String>,
    options: MachineOptions,
    now: Millis,
    report: Report<'a>,
    new_attempt: bool,
}

/// Reads the document's values, in a fixed order (so that the first error named is always
/// the same one): the scenario, the state, the options, the time, the reply, `new_attempt`.
fn read_step<'a>(doc: &'a StepDoc<'_>, root: &Path<'_>) -> Result<Parts<'a>, ReadError> {
    let scenario_path = root.key("scenario");
    let input = scenario::scenario(doc.scenario.required(&scenario_path)?, &scenario_path)?;
    let state = saved_state(&doc.state, &root.key("state"))?;
    let options_path = root.key("options");
    let options = match doc.options.optional(&options_path)? {
        Some(_) if state.is_some() => {
            return Err(ReadError::at(
                Kind::Invalid,
                &options_path,
                "given only to start (with \"state\": null): the state carries the options",
            ));
        }
        Some(options) => machine_options(options, &options_path)?,
        None => MachineOptions::default(),
    };
    let now_path = root.key("now_ms");
    let now = Millis::from_unix_ms(doc.now_ms.required(&now_path)?.i64(&now_path)?);
    let report = report(&doc.reply, &root.key("reply"))?;
    let retry_path = root.key("new_attempt");
    let new_attempt = doc.new_attempt.optional_bool(&retry_path)? == Some(true);
    Ok(Parts {
        input,
        state,
        options,
        now,
        report,
        new_attempt,
    })
}

/// The document read into a machine, told what happened and asked what to do.
fn run(doc: &Field<StepDoc<'_>>) -> Result<StepOutput, ReadError> {
    let root = Path::Root;
    let doc = doc.get(&root)?;
    let read = read_step(doc, &root)?;
    let mut machine = match read.state {
        None => match DebitMachine::start(read.input, read.options) {
            Ok(machine) => machine,
            Err(rejection) => {
                return Ok(StepOutput {
                    kind: StepKind::Rejected,
                    body: Body::Rejected(rejection),
                });
            }
        },
        Some(text) => DebitMachine::from_json(read.input, &text)
            .map_err(|e| ReadError::at(Kind::Invalid, &root.key("state"), e.message()))?,
    };
    let at = |key: &str, e: StepError| ReadError::at(Kind::Invalid, &root.key(key), e);
    let now = read.now;
    let reported = match &read.report {
        Report::Nothing => Ok(()),
        Report::NoReply => machine.on_reply(now, None),
        Report::Reply {
            status,
            headers,
            body,
        } => machine.on_reply(now, Some(&Reply::new(*status, headers, body))),
    };
    reported.map_err(|e| at("reply", e))?;
    if read.new_attempt {
        machine.new_attempt(now).map_err(|e| at("new_attempt", e))?;
    }
    let action = machine.poll(now).map_err(|e| at("now_ms", e))?;
    Ok(output(&machine, action))
}

/// The output of a step that asked the machine.
fn output(machine: &DebitMachine, action: Action) -> StepOutput {
    // The machine writes its state as JSON: it reads back.
    let state = serde_json::from_str(&machine.to_json()).unwrap_or(Value::Null);
    StepOutput {
        kind: StepKind::of(&action),
        body: Body::Step { state, action },
    }
}

/// The saved state's text, or `None` to start.
fn saved_state(state: &Kept, path: &Path<'_>) -> Result<Option<String>, ReadError> {
    match state {
        Kept::Absent => Err(ReadError::at(
            Kind::Missing,
            path,
            "missing (null to start the machine)",
        )),
        Kept::Got(Value::Null) => Ok(None),
        Kept::Got(object @ Value::Object(_)) => Ok(Some(object.to_string())),
        Kept::Got(other) => Err(ReadError::at(
            Kind::WrongType,
            path,
            format_args!(
                "expected the machine's state (an object) or null, found {}",
                value_kind(other)
            ),
        )),
    }
}

/// What JSON type `value` is, for messages.
fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What the document reports: nothing (no `reply`), no reply (`null`), or a reply.
fn report<'a>(field: &'a Field<ReplyDoc<'_>>, path: &Path<'_>) -> Result<Report<'a>, ReadError> {
    let doc = match field {
        Field::Absent => return Ok(Report::Nothing),
        Field::Null => return Ok(Report::NoReply),
        _ => field.get(path)?,
    };
    let status_path = path.key("status");
    let status = doc.status.required(&status_path)?.i64(&status_path)?;
    let status = u16::try_from(status)
        .ok()
        .filter(|status| (100..=599).contains(status))
        .ok_or_else(|| {
            ReadError::at(
                Kind::Invalid,
                &status_path,
                format_args!("{status} is not an HTTP status (100 to 599)"),
            )
        })?;
    let headers_path = path.key("headers");
    let headers = match doc.headers.optional(&headers_path)? {
        Some(headers) => headers
            .pairs
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_ref()))
            .collect(),
        None => Vec::new(),
    };
    let body = match &doc.body {
        Kept::Absent | Kept::Got(Value::Null) => Cow::Borrowed(&[][..]),
        Kept::Got(Value::String(text)) => Cow::Borrowed(text.as_bytes()),
        Kept::Got(json) => Cow::Owned(json.to_string().into_bytes()),
    };
    Ok(Report::Reply {
        status,
        headers,
        body,
    })
}

/// A reply's headers: an object of strings, or an array of `[name, value]` pairs; a name
/// given twice (in any case: HTTP's names are case-insensitive) is refused, since which
/// one counts would be a guess.
#[derive(Debug, Default)]
struct Headers<'de> {
    pairs: Vec<(Cow<'de, str>, Cow<'de, str>)>,
    names: HashSet<String>,
}

impl<'de> Headers<'de> {
    /// Adds a header read at `path`, or leaves the error that stops the reading.
    fn add<E: serde::de::Error>(
        &mut self,
        name: Cow<'de, str>,
        value: Leaf<'de>,
        path: &Path<'_>,
        ctx: Ctx<'_>,
    ) -> Result<(), E> {
        let Leaf::Str(value) = value else {
            return Err(ctx.fail(value.type_error(path, "a string")));
        };
        if !self.names.insert(name.to_ascii_lowercase()) {
            return Err(ctx.fail(ReadError::at(
                Kind::Invalid,
                path,
                format_args!("the header \"{}\" is given twice", quoted(&name)),
            )));
        }
        self.pairs.push((name, value));
        Ok(())
    }
}

impl<'de> Container<'de> for Headers<'de> {
    const EXPECTED: &'static str = "an object of strings, or an array of [name, value] pairs";

    fn read_map<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        mut map: A,
        ctx: Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        let mut headers = Headers::default();
        let mut next = first;
        while let Some(name) = next {
            let path = ctx.path.key(&name);
            let value: Leaf<'de> = map.next_value_seed(Seed::new(ctx.at(&path)))?;
            headers.add(name.clone(), value, &path, ctx)?;
            next = map.next_key_seed(read::Key)?;
        }
        Ok(Some(headers))
    }

    fn read_seq<A: SeqAccess<'de>>(mut seq: A, ctx: Ctx<'_>) -> Result<Option<Self>, A::Error> {
        let mut headers = Headers::default();
        loop {
            let path = ctx.path.index(headers.pairs.len());
            let pair: Option<Field<Pair<'de>>> = seq.next_element_seed(Seed::new(ctx.at(&path)))?;
            let Some(pair) = pair else {
                return Ok(Some(headers));
            };
            match pair {
                Field::Got(Pair(name, value)) => headers.add(name, value, &path, ctx)?,
                // Another type: `get` names it.
                other => {
                    if let Err(error) = other.get(&path) {
                        return Err(ctx.fail(error));
                    }
                }
            }
        }
    }
}

/// A header as `[name, value]`.
#[derive(Debug)]
struct Pair<'de>(Cow<'de, str>, Leaf<'de>);

impl<'de> Container<'de> for Pair<'de> {
    const EXPECTED: &'static str = "a [name, value] pair of strings";

    fn read_seq<A: SeqAccess<'de>>(mut seq: A, ctx: Ctx<'_>) -> Result<Option<Self>, A::Error> {
        let not_a_pair = || {
            ReadError::at(
                Kind::Invalid,
                ctx.path,
                "expected a [name, value] pair of strings",
            )
        };
        let mut items: Vec<Leaf<'de>> = Vec::with_capacity(2);
        loop {
            let path = ctx.path.index(items.len());
            match seq.next_element_seed(Seed::<Leaf<'de>>::new(ctx.at(&path)))? {
                // A third item: not a pair (and no need to read on).
                Some(_) if items.len() == 2 => return Err(ctx.fail(not_a_pair())),
                Some(item) => items.push(item),
                None => break,
            }
        }
        let mut items = items.into_iter();
        match (items.next(), items.next()) {
            (Some(Leaf::Str(name)), Some(value)) => Ok(Some(Pair(name, value))),
            _ => Err(ctx.fail(not_a_pair())),
        }
    }
}

/// Reads the machine's options (the `step` command's `options`, or the Python package's)
/// from any `serde` deserializer whose data model is JSON's: an object of integers,
/// `fast_sends`, `key_window_margin_ms`, `settle_ms`, `act_within_ms`,
/// `request_timeout_ms`, `clock_skew_ms` and `max_attempts`, each optional (absent: its
/// default). An unknown key, or a value the machine would not take as it is
/// (`max_attempts: 0`), is refused.
///
/// # Errors
///
/// A [`ReadError`] naming the path of the value at fault.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let text = r#"{"settle_ms": 3600000, "max_attempts": 2}"#;
/// let options = json::machine_options_from_deserializer(&mut serde_json::Deserializer::from_str(text))?;
/// assert_eq!((options.settle_ms(), options.max_attempts()), (3_600_000, 2));
///
/// let err = json::machine_options_from_deserializer(&serde_json::json!({"max_attempts": 0})).unwrap_err();
/// assert_eq!(err.to_string(), "max_attempts: 0 is out of range (the machine would take 1)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn machine_options_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<MachineOptions, ReadError> {
    let doc: Field<OptionsDoc<'_>> = read::read_from(deserializer)?;
    let root = Path::Root;
    let doc = doc.get(&root)?;
    machine_options(doc, &root)
}

/// The options of `doc`, read at `path`.
fn machine_options(doc: &OptionsDoc<'_>, path: &Path<'_>) -> Result<MachineOptions, ReadError> {
    let o = MachineOptions::default();
    let o = set(
        o,
        &doc.fast_sends,
        &path.key("fast_sends"),
        MachineOptions::with_fast_sends,
        MachineOptions::fast_sends,
    )?;
    let o = set(
        o,
        &doc.key_window_margin_ms,
        &path.key("key_window_margin_ms"),
        MachineOptions::with_key_window_margin_ms,
        MachineOptions::key_window_margin_ms,
    )?;
    let o = set(
        o,
        &doc.settle_ms,
        &path.key("settle_ms"),
        MachineOptions::with_settle_ms,
        MachineOptions::settle_ms,
    )?;
    let o = set(
        o,
        &doc.act_within_ms,
        &path.key("act_within_ms"),
        MachineOptions::with_act_within_ms,
        MachineOptions::act_within_ms,
    )?;
    let o = set(
        o,
        &doc.request_timeout_ms,
        &path.key("request_timeout_ms"),
        MachineOptions::with_request_timeout_ms,
        MachineOptions::request_timeout_ms,
    )?;
    let o = set(
        o,
        &doc.clock_skew_ms,
        &path.key("clock_skew_ms"),
        MachineOptions::with_clock_skew_ms,
        MachineOptions::clock_skew_ms,
    )?;
    set(
        o,
        &doc.max_attempts,
        &path.key("max_attempts"),
        MachineOptions::with_max_attempts,
        MachineOptions::max_attempts,
    )
}

/// `options` with the value at `path` set through `with`, when there is one: a
/// non-negative integer the machine takes as it is (`get` gives it back).
fn set<T: TryFrom<i64> + Copy + PartialEq + core::fmt::Display>(
    options: MachineOptions,
    leaf: &Leaf<'_>,
    path: &Path<'_>,
    with: fn(MachineOptions, T) -> MachineOptions,
    get: fn(&MachineOptions) -> T,
) -> Result<MachineOptions, ReadError> {
    let Some(leaf) = leaf.present() else {
        return Ok(options);
    };
    let n = leaf.i64(path)?;
    let value = T::try_from(n)
        .map_err(|_| ReadError::at(Kind::Invalid, path, format_args!("{n} is out of range")))?;
    let set = with(options, value);
    let taken = get(&set);
    if taken != value {
        return Err(ReadError::at(
            Kind::Invalid,
            path,
            format_args!("{value} is out of range (the machine would take {taken})"),
        ));
    }
    Ok(set)
}
