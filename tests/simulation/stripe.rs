//! A simulated Stripe: the endpoints a debit's machine uses, behind Stripe's idempotency
//! layer as its API reference documents it ("Idempotent requests", newest version
//! 2026-09-30.preview, and "Advanced error handling"; see /work/shared/stripe-facts.md):
//!
//! - a `POST` with an `Idempotency-Key` saves its result once the endpoint starts
//!   executing, 500s included, and a later send of the key gets the saved result again
//!   with `Idempotent-Replayed: true`;
//! - a send while the same key is executing gets a 409 `idempotency_key_in_use`, not saved;
//! - a validation failure is not saved (the rate limiter, which runs before this layer, is
//!   the fault layer's: a 429 never reaches here);
//! - the same key with another path or other parameters is a 400 `idempotency_error`;
//! - a key may be pruned once it is 24 hours old; a send after that is a new request.
//!
//! Time is Stripe's clock in milliseconds; `created` is in whole seconds. Every effect is
//! an event in a queue, applied in time order by [`SimStripe::advance`], so that a result
//! can be saved (a 500) before the transfer it did not report lands.

use std::collections::{BTreeMap, HashMap};

/// Stripe's key window: 24 hours, in ms.
pub const KEY_WINDOW_MS: i64 = 86_400_000;

/// A request as it reaches Stripe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimRequest {
    pub method: &'static str,
    pub path: String,
    pub account: Option<String>,
    pub key: Option<String>,
    pub params: Vec<(String, String)>,
}

impl SimRequest {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A reply as Stripe sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl SimReply {
    fn new(status: u16, request_id: &str, body: String) -> SimReply {
        SimReply {
            status,
            headers: vec![("Request-Id".to_owned(), request_id.to_owned())],
            body,
        }
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> SimReply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// How an executing `POST` ends: the fault layer's choice, made when it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It does what it asks; the result is the object.
    Success,
    /// A 500 is saved, and nothing happens.
    Error500,
    /// A 500 is saved, and what it asked for happens `delay_ms` later.
    Error500Later { delay_ms: i64 },
    /// The endpoint refuses it (a 400 `balance_insufficient`, saved: execution began).
    Refused,
}

/// What the fault layer decides for a `POST` that reaches the idempotency layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Execution {
    pub duration_ms: i64,
    pub ending: Ending,
    /// The latest time its effect may land (the simulation's own promise: the settle
    /// bound from the send); a run that breaks it panics, as a fault of the simulation.
    pub land_by: i64,
}

/// What Stripe does with a request that arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// Answered at once.
    Now(SimReply),
    /// Executing until `done_at`; its reply is [`SimStripe::result`] of `run` then.
    Executing { run: u64, done_at: i64 },
}

/// A transfer on the connected account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: String,
    pub amount: i64,
    pub amount_reversed: i64,
    pub currency: String,
    pub destination: String,
    pub destination_payment: String,
    pub debit_id: Option<String>,
    pub created: i64,
    /// Creation order, for ties in `created`.
    pub seq: u64,
}

impl Transfer {
    /// The Transfer object as Stripe's API returns it.
    pub fn json(&self) -> String {
        let metadata = match &self.debit_id {
            Some(id) => format!(r#"{{"account_debit_id": {}}}"#, json_string(id)),
            None => "{}".to_owned(),
        };
        format!(
            concat!(
                r#"{{"id": "{id}", "object": "transfer", "amount": {amount}, "amount_reversed": {rev}, "#,
                r#""balance_transaction": "txn_{seq}", "created": {created}, "currency": "{cur}", "#,
                r#""description": null, "destination": "{dest}", "destination_payment": "{py}", "#,
                r#""livemode": false, "metadata": {metadata}, "reversals": {{"object": "list", "#,
                r#""data": [], "has_more": false, "url": "/v1/transfers/{id}/reversals"}}, "#,
                r#""reversed": {reversed}, "source_transaction": null, "source_type": "card", "#,
                r#""transfer_group": null}}"#
            ),
            id = self.id,
            amount = self.amount,
            rev = self.amount_reversed,
            seq = self.seq,
            created = self.created,
            cur = self.currency,
            dest = self.destination,
            py = self.destination_payment,
            metadata = metadata,
            reversed = self.amount_reversed >= self.amount,
        )
    }
}

/// The attempt a debit's key is of: `account-debit:...` is the first,
/// `account-debit#<n>:...` the n-th.
pub fn attempt_of(key: Option<&str>) -> u32 {
    key.and_then(|k| k.strip_prefix("account-debit#"))
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// A JSON string literal of `text`.
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Stripe's error object.
fn error_body(kind: &str, code: Option<&str>, param: Option<&str>, message: &str) -> String {
    let mut error = serde_json::json!({"type": kind, "message": message});
    if let Some(code) = code {
        error["code"] = code.into();
    }
    if let Some(param) = param {
        error["param"] = param.into();
    }
    serde_json::json!({ "error": error }).to_string()
}

/// The state of a key.
#[derive(Debug, Clone)]
enum KeyState {
    Executing,
    Saved(SimReply),
}

/// A key's entry in the idempotency layer.
#[derive(Debug, Clone)]
struct KeyEntry {
    prune_at: i64,
    path: String,
    params: Vec<(String, String)>,
    state: KeyState,
}

/// A `POST` executing or done.
#[derive(Debug, Clone)]
struct Run {
    key: Option<(String, String)>,
    request: SimRequest,
    ending: Ending,
    land_by: i64,
    request_id: String,
    result: Option<SimReply>,
}

/// A change to apply at a time.
#[derive(Debug, Clone)]
enum Event {
    /// Run `n` finishes executing.
    Finish(u64),
    /// Run `n`'s effect lands (after a saved 500).
    Land(u64),
    /// A transfer of the platform's other business appears.
    Noise(Transfer),
    /// A request held up on the way arrives.
    Arrive(Box<SimRequest>, Execution),
}

/// The simulated Stripe of one debit: one connected account, its transfers, the
/// idempotency layer, and the events still to happen.
#[derive(Debug, Clone)]
pub struct SimStripe {
    pub connected: String,
    pub transfers: Vec<Transfer>,
    /// The reversals made, as (reversal id, transfer id, amount).
    pub reversals: Vec<(String, String, i64)>,
    keys: HashMap<(String, String), KeyEntry>,
    runs: Vec<Run>,
    events: BTreeMap<(i64, u64), Event>,
    now: i64,
    seq: u64,
    /// From which attempt on a send of the debit fails validation (not saved): the account
    /// debited changed after the first attempts, say.
    pub invalid_from: Option<u32>,
    /// How long after 24 hours a saved key is pruned, in ms (Stripe: "at least 24 hours").
    pub prune_after_ms: i64,
    /// The error `type` of a 409 `idempotency_key_in_use`, which Stripe's pages do not
    /// give: `invalid_request_error` or `idempotency_error`, drawn per debit.
    pub conflict_type: &'static str,
}

impl SimStripe {
    /// A Stripe with no transfers on `connected`, at time `now`.
    pub fn new(connected: &str, now: i64) -> SimStripe {
        SimStripe {
            connected: connected.to_owned(),
            transfers: Vec::new(),
            reversals: Vec::new(),
            keys: HashMap::new(),
            runs: Vec::new(),
            events: BTreeMap::new(),
            now,
            seq: 0,
            invalid_from: None,
            prune_after_ms: 0,
            conflict_type: "invalid_request_error",
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn schedule(&mut self, at: i64, event: Event) {
        let seq = self.next_seq();
        self.events.insert((at, seq), event);
    }

    /// A transfer of other business (another debit, another destination) that appears at
    /// `at`.
    pub fn add_noise(&mut self, at: i64, amount: i64, destination: &str, debit_id: Option<&str>) {
        let seq = self.next_seq();
        let transfer = Transfer {
            id: format!("tr_noise{seq}"),
            amount,
            amount_reversed: 0,
            currency: "usd".to_owned(),
            destination: destination.to_owned(),
            destination_payment: format!("py_noise{seq}"),
            debit_id: debit_id.map(str::to_owned),
            created: at.div_euclid(1000),
            seq,
        };
        if at <= self.now {
            self.transfers.push(transfer);
        } else {
            self.schedule(at, Event::Noise(transfer));
        }
    }

    /// A request that reaches Stripe only at `at`, long after its client gave up.
    pub fn arrive_later(&mut self, at: i64, request: &SimRequest, execution: Execution) {
        self.schedule(at, Event::Arrive(Box::new(request.clone()), execution));
    }

    /// Applies every event up to `to`, in time order, and moves the clock there.
    pub fn advance(&mut self, to: i64) {
        while let Some((&(at, seq), _)) = self.events.first_key_value() {
            if at > to {
                break;
            }
            let event = self.events.remove(&(at, seq)).expect("the first event");
            self.now = self.now.max(at);
            match event {
                Event::Finish(n) => self.finish(n),
                Event::Land(n) => {
                    let _ = self.apply(n);
                }
                Event::Noise(transfer) => self.transfers.push(transfer),
                Event::Arrive(request, execution) => {
                    // Nobody waits for its reply any more.
                    let _ = self.receive(&request, execution);
                }
            }
        }
        self.now = self.now.max(to);
    }

    /// Applies every event still to come: the world after the caller has stopped.
    pub fn drain(&mut self) {
        let last = self.events.last_key_value().map(|(&(at, _), _)| at);
        if let Some(last) = last {
            self.advance(last);
        }
    }

    /// The reply of run `n`, once it has finished.
    pub fn result(&self, run: u64) -> Option<SimReply> {
        self.runs.get(run as usize).and_then(|r| r.result.clone())
    }

    /// A request arriving now (after [`advance`](Self::advance) to its arrival), with what
    /// the fault layer decided a `POST` that executes does.
    pub fn receive(&mut self, request: &SimRequest, execution: Execution) -> Receipt {
        let request_id = format!("req_{}", self.next_seq());
        if request.account.as_deref() != Some(self.connected.as_str()) {
            let body = error_body(
                "invalid_request_error",
                Some("account_invalid"),
                None,
                "The provided key does not have access to account",
            );
            return Receipt::Now(SimReply::new(403, &request_id, body));
        }
        match request.method {
            "GET" => Receipt::Now(self.get(request, &request_id)),
            _ => self.post(request, execution, request_id),
        }
    }

    /// The idempotency layer, then the endpoint.
    fn post(&mut self, request: &SimRequest, execution: Execution, request_id: String) -> Receipt {
        let scope = request
            .key
            .clone()
            .map(|key| (request.account.clone().unwrap_or_default(), key));
        if let Some(scope) = &scope {
            if self.keys.get(scope).is_some_and(|entry| {
                matches!(entry.state, KeyState::Saved(_)) && self.now >= entry.prune_at
            }) {
                self.keys.remove(scope);
            }
            if let Some(entry) = self.keys.get(scope) {
                if entry.path != request.path || entry.params != request.params {
                    let body = error_body(
                        "idempotency_error",
                        None,
                        None,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    );
                    return Receipt::Now(SimReply::new(400, &request_id, body));
                }
                return Receipt::Now(match &entry.state {
                    KeyState::Executing => SimReply::new(
                        409,
                        &request_id,
                        error_body(
                            self.conflict_type,
                            Some("idempotency_key_in_use"),
                            None,
                            "There is currently another in-progress request using this Idempotent Key.",
                        ),
                    ),
                    KeyState::Saved(reply) => {
                        reply.clone().with_header("Idempotent-Replayed", "true")
                    }
                });
            }
        }
        if let Some(refusal) = self.validate(request, &request_id) {
            return Receipt::Now(refusal);
        }
        // The endpoint starts executing: from here the result is saved under the key.
        if let Some(scope) = &scope {
            self.keys.insert(
                scope.clone(),
                KeyEntry {
                    prune_at: self.now + KEY_WINDOW_MS + self.prune_after_ms,
                    path: request.path.clone(),
                    params: request.params.clone(),
                    state: KeyState::Executing,
                },
            );
        }
        let run = self.runs.len() as u64;
        self.runs.push(Run {
            key: scope,
            request: request.clone(),
            ending: execution.ending,
            land_by: execution.land_by,
            request_id,
            result: None,
        });
        let done_at = self.now + execution.duration_ms.max(1);
        self.schedule(done_at, Event::Finish(run));
        Receipt::Executing { run, done_at }
    }

    /// A validation failure, not saved.
    fn validate(&self, request: &SimRequest, request_id: &str) -> Option<SimReply> {
        let invalid = |param: &str, message: &str| {
            Some(SimReply::new(
                400,
                request_id,
                error_body(
                    "invalid_request_error",
                    Some("parameter_invalid"),
                    Some(param),
                    message,
                ),
            ))
        };
        let amount = request.param("amount").and_then(|a| a.parse::<i64>().ok());
        if request.path == "/v1/transfers" {
            if self
                .invalid_from
                .is_some_and(|from| attempt_of(request.key.as_deref()) >= from)
            {
                return Some(SimReply::new(
                    400,
                    request_id,
                    error_body(
                        "invalid_request_error",
                        Some("resource_missing"),
                        Some("destination"),
                        "No such destination",
                    ),
                ));
            }
            if amount.is_none_or(|a| a <= 0) {
                return invalid("amount", "Invalid positive integer");
            }
            if request.param("currency").is_none() || request.param("destination").is_none() {
                return invalid("destination", "Missing required param");
            }
            return None;
        }
        match self.reversal_target(request) {
            Some(_) if amount.is_some_and(|a| a <= 0) => {
                invalid("amount", "Invalid positive integer")
            }
            Some(_) => None,
            None => Some(SimReply::new(
                404,
                request_id,
                error_body(
                    "invalid_request_error",
                    Some("resource_missing"),
                    Some("id"),
                    "No such transfer",
                ),
            )),
        }
    }

    /// The transfer a reversal's path names, when it exists.
    fn reversal_target(&self, request: &SimRequest) -> Option<usize> {
        let id = request
            .path
            .strip_prefix("/v1/transfers/")?
            .strip_suffix("/reversals")?;
        self.transfers.iter().position(|t| t.id == id)
    }

    /// Run `n` finishes: its result is saved (and, unless a 500 that lands later, its
    /// effect made).
    fn finish(&mut self, n: u64) {
        let Some(run) = self.runs.get(n as usize) else {
            return;
        };
        let (ending, request_id) = (run.ending, run.request_id.clone());
        let reply = match ending {
            Ending::Success => self.apply(n),
            Ending::Error500 | Ending::Error500Later { .. } => SimReply::new(
                500,
                &request_id,
                error_body("api_error", None, None, "An unknown error occurred"),
            ),
            Ending::Refused => SimReply::new(
                400,
                &request_id,
                error_body(
                    "invalid_request_error",
                    Some("balance_insufficient"),
                    None,
                    "Insufficient funds in Stripe account.",
                ),
            ),
        };
        if let Ending::Error500Later { delay_ms } = ending {
            self.schedule(self.now + delay_ms.max(1), Event::Land(n));
        }
        let key = self.runs[n as usize].key.clone();
        self.runs[n as usize].result = Some(reply.clone());
        if let Some(entry) = key.and_then(|key| self.keys.get_mut(&key)) {
            entry.state = KeyState::Saved(reply);
        }
    }

    /// Makes run `n`'s effect: the transfer, or the reversal. Its reply.
    fn apply(&mut self, n: u64) -> SimReply {
        let run = self.runs[n as usize].clone();
        assert!(
            self.now <= run.land_by,
            "the simulation broke its settle bound: an effect landed {} ms late",
            self.now - run.land_by
        );
        if run.request.path == "/v1/transfers" {
            return self.create_transfer(&run);
        }
        self.create_reversal(&run)
    }

    fn create_transfer(&mut self, run: &Run) -> SimReply {
        let seq = self.next_seq();
        let request = &run.request;
        let transfer = Transfer {
            id: format!("tr_sim{seq}"),
            amount: request
                .param("amount")
                .and_then(|a| a.parse().ok())
                .unwrap_or(0),
            amount_reversed: 0,
            currency: request.param("currency").unwrap_or_default().to_owned(),
            destination: request.param("destination").unwrap_or_default().to_owned(),
            destination_payment: format!("py_sim{seq}"),
            debit_id: request
                .param("metadata[account_debit_id]")
                .map(str::to_owned),
            created: self.now.div_euclid(1000),
            seq,
        };
        let body = transfer.json();
        self.transfers.push(transfer);
        SimReply::new(200, &run.request_id, body)
    }

    fn create_reversal(&mut self, run: &Run) -> SimReply {
        let Some(i) = self.reversal_target(&run.request) else {
            return SimReply::new(
                404,
                &run.request_id,
                error_body(
                    "invalid_request_error",
                    Some("resource_missing"),
                    Some("id"),
                    "No such transfer",
                ),
            );
        };
        let transfer = &mut self.transfers[i];
        let left = transfer.amount - transfer.amount_reversed;
        let amount = run
            .request
            .param("amount")
            .and_then(|a| a.parse::<i64>().ok())
            .unwrap_or(left);
        if amount > left {
            // "Once entirely reversed, a transfer can't be reversed again. This method will
            // return an error when called on an already-reversed transfer, or when trying to
            // reverse more money than is left" (no error code given; the endpoint ran, so the
            // refusal is saved).
            return SimReply::new(
                400,
                &run.request_id,
                error_body(
                    "invalid_request_error",
                    None,
                    Some("amount"),
                    "The transfer has already been reversed or the amount exceeds what is left",
                ),
            );
        }
        transfer.amount_reversed += amount;
        let (transfer_id, currency) = (transfer.id.clone(), transfer.currency.clone());
        let seq = self.next_seq();
        let id = format!("trr_sim{seq}");
        self.reversals
            .push((id.clone(), transfer_id.clone(), amount));
        let body = format!(
            r#"{{"id": "{id}", "object": "transfer_reversal", "amount": {amount}, "balance_transaction": "txn_r{seq}", "created": {created}, "currency": "{currency}", "destination_payment_refund": null, "metadata": {{}}, "source_refund": null, "transfer": "{transfer_id}"}}"#,
            created = self.now.div_euclid(1000),
        );
        SimReply::new(200, &run.request_id, body)
    }

    /// `GET /v1/transfers` and `GET /v1/transfers/{id}`.
    fn get(&self, request: &SimRequest, request_id: &str) -> SimReply {
        if request.path == "/v1/transfers" {
            return self.list(request, request_id);
        }
        let id = request
            .path
            .strip_prefix("/v1/transfers/")
            .unwrap_or_default();
        match self.transfers.iter().find(|t| t.id == id) {
            Some(transfer) => SimReply::new(200, request_id, transfer.json()),
            None => SimReply::new(
                404,
                request_id,
                error_body(
                    "invalid_request_error",
                    Some("resource_missing"),
                    Some("id"),
                    "No such transfer",
                ),
            ),
        }
    }

    /// "List all transfers": `destination`, `created[gte]`, `limit` (1 to 100, default
    /// 10), `starting_after`; newest first; `has_more`.
    fn list(&self, request: &SimRequest, request_id: &str) -> SimReply {
        let refuse = |param: &str| {
            SimReply::new(
                400,
                request_id,
                error_body(
                    "invalid_request_error",
                    Some("parameter_invalid"),
                    Some(param),
                    "Invalid value",
                ),
            )
        };
        let limit = match request.param("limit").map(str::parse::<usize>) {
            None => 10,
            Some(Ok(limit)) if (1..=100).contains(&limit) => limit,
            Some(_) => return refuse("limit"),
        };
        let gte = match request.param("created[gte]").map(str::parse::<i64>) {
            None => i64::MIN,
            Some(Ok(gte)) => gte,
            Some(Err(_)) => return refuse("created[gte]"),
        };
        let destination = request.param("destination");
        let mut matching: Vec<&Transfer> = self
            .transfers
            .iter()
            .filter(|t| destination.is_none_or(|d| t.destination == d) && t.created >= gte)
            .collect();
        matching.sort_by_key(|t| std::cmp::Reverse((t.created, t.seq)));
        let start = match request.param("starting_after") {
            None => 0,
            Some(after) => match matching.iter().position(|t| t.id == after) {
                Some(i) => i + 1,
                None => return refuse("starting_after"),
            },
        };
        let page: Vec<String> = matching
            .iter()
            .skip(start)
            .take(limit)
            .map(|t| t.json())
            .collect();
        let has_more = matching.len() > start + limit;
        let body = format!(
            r#"{{"object": "list", "data": [{}], "has_more": {has_more}, "url": "/v1/transfers"}}"#,
            page.join(", ")
        );
        SimReply::new(200, request_id, body)
    }

    /// Every transfer carrying `debit_id`.
    pub fn transfers_of(&self, debit_id: &str) -> Vec<&Transfer> {
        self.transfers
            .iter()
            .filter(|t| t.debit_id.as_deref() == Some(debit_id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCT: &str = "acct_1SimConnected0001";
    const T0: i64 = 1_764_000_000_000;

    fn transfer_request(key: &str, amount: &str) -> SimRequest {
        SimRequest {
            method: "POST",
            path: "/v1/transfers".to_owned(),
            account: Some(ACCT.to_owned()),
            key: Some(key.to_owned()),
            params: vec![
                ("amount".to_owned(), amount.to_owned()),
                ("currency".to_owned(), "usd".to_owned()),
                ("destination".to_owned(), "acct_1P".to_owned()),
                ("metadata[account_debit_id]".to_owned(), "d-1".to_owned()),
            ],
        }
    }

    fn get(path: &str, params: &[(&str, &str)]) -> SimRequest {
        SimRequest {
            method: "GET",
            path: path.to_owned(),
            account: Some(ACCT.to_owned()),
            key: None,
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn run(ending: Ending, duration_ms: i64) -> Execution {
        Execution {
            duration_ms,
            ending,
            land_by: i64::MAX,
        }
    }

    fn header<'a>(reply: &'a SimReply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn body(reply: &SimReply) -> serde_json::Value {
        serde_json::from_str(&reply.body).expect("JSON")
    }

    /// Sends `request` now and, if it executes, waits for its end: the reply.
    fn send(stripe: &mut SimStripe, request: &SimRequest, execution: Execution) -> SimReply {
        match stripe.receive(request, execution) {
            Receipt::Now(reply) => reply,
            Receipt::Executing { run, done_at } => {
                stripe.advance(done_at);
                stripe.result(run).expect("finished")
            }
        }
    }

    #[test]
    fn a_result_is_saved_once_executing_and_replayed_with_the_header() {
        let mut stripe = SimStripe::new(ACCT, T0);
        let request = transfer_request("k1", "500");
        let first = send(&mut stripe, &request, run(Ending::Success, 100));
        assert_eq!(first.status, 200);
        assert_eq!(header(&first, "Idempotent-Replayed"), None);
        let again = send(&mut stripe, &request, run(Ending::Success, 100));
        assert_eq!((again.status, &again.body), (200, &first.body));
        assert_eq!(header(&again, "Idempotent-Replayed"), Some("true"));
        assert_eq!(stripe.transfers_of("d-1").len(), 1);
        let object = body(&first);
        assert_eq!(object["object"], "transfer");
        assert_eq!(object["amount"], 500);
        assert_eq!(object["metadata"]["account_debit_id"], "d-1");
        assert!(object["id"].as_str().unwrap().starts_with("tr_"));
        assert!(
            object["destination_payment"]
                .as_str()
                .unwrap()
                .starts_with("py_")
        );
        assert_eq!(object["created"], (T0 + 100) / 1000);
    }

    #[test]
    fn a_500_is_saved_and_replayed_and_its_effect_may_land_later() {
        let mut stripe = SimStripe::new(ACCT, T0);
        let request = transfer_request("k1", "500");
        let first = send(
            &mut stripe,
            &request,
            run(Ending::Error500Later { delay_ms: 60_000 }, 100),
        );
        assert_eq!(first.status, 500);
        let again = send(&mut stripe, &request, run(Ending::Success, 100));
        assert_eq!(again.status, 500);
        assert_eq!(header(&again, "Idempotent-Replayed"), Some("true"));
        assert!(stripe.transfers_of("d-1").is_empty());
        stripe.advance(T0 + 100 + 60_000);
        assert_eq!(stripe.transfers_of("d-1").len(), 1);
        // A plain saved 500 moves nothing, ever.
        let plain = transfer_request("k2", "500");
        assert_eq!(
            send(&mut stripe, &plain, run(Ending::Error500, 100)).status,
            500
        );
        stripe.drain();
        assert_eq!(stripe.transfers_of("d-1").len(), 1);
    }

    #[test]
    fn a_send_while_the_key_executes_is_a_409_not_saved() {
        let mut stripe = SimStripe::new(ACCT, T0);
        let request = transfer_request("k1", "500");
        let Receipt::Executing { done_at, .. } =
            stripe.receive(&request, run(Ending::Success, 300_000))
        else {
            panic!("executes")
        };
        stripe.advance(T0 + 80_000);
        let Receipt::Now(conflict) = stripe.receive(&request, run(Ending::Success, 1)) else {
            panic!()
        };
        assert_eq!(conflict.status, 409);
        assert_eq!(body(&conflict)["error"]["code"], "idempotency_key_in_use");
        stripe.advance(done_at);
        let after = send(&mut stripe, &request, run(Ending::Success, 1));
        assert_eq!(
            (after.status, header(&after, "Idempotent-Replayed")),
            (200, Some("true"))
        );
        assert_eq!(stripe.transfers_of("d-1").len(), 1);
    }

    #[test]
    fn a_validation_failure_is_not_saved_and_other_parameters_are_an_idempotency_error() {
        let mut stripe = SimStripe::new(ACCT, T0);
        let bad = transfer_request("k1", "-5");
        assert_eq!(send(&mut stripe, &bad, run(Ending::Success, 1)).status, 400);
        // Not saved: the same key with valid parameters executes.
        let good = transfer_request("k1", "500");
        assert_eq!(
            send(&mut stripe, &good, run(Ending::Success, 1)).status,
            200
        );
        let other = transfer_request("k1", "600");
        let error = send(&mut stripe, &other, run(Ending::Success, 1));
        assert_eq!(error.status, 400);
        assert_eq!(body(&error)["error"]["type"], "idempotency_error");
        // A refusal by the endpoint is saved.
        let refused = transfer_request("k2", "500");
        assert_eq!(
            send(&mut stripe, &refused, run(Ending::Refused, 1)).status,
            400
        );
        let replay = send(&mut stripe, &refused, run(Ending::Success, 1));
        assert_eq!(
            (replay.status, header(&replay, "Idempotent-Replayed")),
            (400, Some("true"))
        );
        assert_eq!(stripe.transfers_of("d-1").len(), 1);
    }

    #[test]
    fn a_key_pruned_after_24_hours_makes_a_new_request() {
        let mut stripe = SimStripe::new(ACCT, T0);
        let request = transfer_request("k1", "500");
        send(&mut stripe, &request, run(Ending::Success, 1));
        stripe.advance(T0 + KEY_WINDOW_MS - 1_000);
        let replay = send(&mut stripe, &request, run(Ending::Success, 1));
        assert_eq!(header(&replay, "Idempotent-Replayed"), Some("true"));
        stripe.advance(T0 + KEY_WINDOW_MS + 1);
        let fresh = send(&mut stripe, &request, run(Ending::Success, 1));
        assert_eq!(
            (fresh.status, header(&fresh, "Idempotent-Replayed")),
            (200, None)
        );
        assert_eq!(stripe.transfers_of("d-1").len(), 2);
    }

    #[test]
    fn the_list_filters_pages_newest_first_and_says_whether_more_follow() {
        let mut stripe = SimStripe::new(ACCT, T0);
        for i in 0..5 {
            stripe.add_noise(T0 - 10_000 + i * 1_000, 100 + i, "acct_1P", None);
        }
        stripe.add_noise(T0 - 1_000_000, 1, "acct_1P", None); // before created[gte]
        stripe.add_noise(T0, 2, "acct_1Other", None); // another destination
        let gte = ((T0 - 20_000) / 1000).to_string();
        let page = |stripe: &SimStripe, after: Option<&str>| {
            let mut params = vec![
                ("destination", "acct_1P"),
                ("created[gte]", gte.as_str()),
                ("limit", "2"),
            ];
            if let Some(after) = after {
                params.push(("starting_after", after));
            }
            body(&stripe.get(&get("/v1/transfers", &params), "req"))
        };
        let first = page(&stripe, None);
        let amounts = |p: &serde_json::Value| -> Vec<i64> {
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["amount"].as_i64().unwrap())
                .collect()
        };
        assert_eq!(amounts(&first), [104, 103]);
        assert_eq!(first["has_more"], true);
        let second = page(&stripe, first["data"][1]["id"].as_str());
        assert_eq!(amounts(&second), [102, 101]);
        let third = page(&stripe, second["data"][1]["id"].as_str());
        assert_eq!(amounts(&third), [100]);
        assert_eq!(third["has_more"], false);
        let too_many = get("/v1/transfers", &[("limit", "101")]);
        assert_eq!(stripe.get(&too_many, "req").status, 400);
    }

    #[test]
    fn a_reversal_updates_amount_reversed_under_its_own_key() {
        let mut stripe = SimStripe::new(ACCT, T0);
        send(
            &mut stripe,
            &transfer_request("k1", "500"),
            run(Ending::Success, 1),
        );
        let id = stripe.transfers[0].id.clone();
        let reversal = SimRequest {
            method: "POST",
            path: format!("/v1/transfers/{id}/reversals"),
            account: Some(ACCT.to_owned()),
            key: Some("r1".to_owned()),
            params: vec![("amount".to_owned(), "500".to_owned())],
        };
        let reply = send(&mut stripe, &reversal, run(Ending::Success, 1));
        assert_eq!(reply.status, 200);
        let object = body(&reply);
        assert_eq!(object["object"], "transfer_reversal");
        assert_eq!(object["transfer"], id.as_str());
        assert_eq!(object["amount"], 500);
        assert!(object["id"].as_str().unwrap().starts_with("trr_"));
        let replay = send(&mut stripe, &reversal, run(Ending::Success, 1));
        assert_eq!(header(&replay, "Idempotent-Replayed"), Some("true"));
        let retrieved = body(&stripe.get(&get(&format!("/v1/transfers/{id}"), &[]), "req"));
        assert_eq!(
            (
                retrieved["amount_reversed"].clone(),
                retrieved["reversed"].clone()
            ),
            (500.into(), true.into())
        );
        // Nothing is left to reverse: another key is refused.
        let more = SimRequest {
            key: Some("r2".to_owned()),
            ..reversal
        };
        assert_eq!(
            send(&mut stripe, &more, run(Ending::Success, 1)).status,
            400
        );
        assert_eq!(stripe.reversals.len(), 1);
    }
}
