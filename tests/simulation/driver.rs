//! One seeded debit, driven through its machine against the simulated Stripe and the fault
//! layer, with simulated time, until the machine says `done` or `escalate`; then the world
//! is let run to its end (every request still executing finishes, every late effect lands)
//! and the transfers are counted.
//!
//! The caller is the loop a user writes from the machine's docs: poll; on `send`, save the
//! state, then (if `act_by` has not passed) make the request and report the reply or its
//! absence; on `list`, the same without saving; on `wait`, sleep. Its faults: a crash at any
//! step (resume from the last saved state, or from the start when nothing was saved, which
//! means nothing was sent), and a stall of about a day before it acts, half of them before
//! it checks `act_by` (it then asks again) and half after (the request goes out late).

use std::fmt::Write as _;

use stripe_account_debits::consent::Consent;
use stripe_account_debits::lifecycle::{
    Action, DebitMachine, Escalation, EscalationReason, HttpRequest, MachineOptions, Millis,
    Outcome, Reply,
};
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, Platform, ReferenceTransaction,
};
use stripe_account_debits::{Currency, Debit, DebitInput, Decimal, Money, Timestamp};

use crate::faults::{FaultKind, Rates};
use crate::rng::Rng;
use crate::stripe::{Ending, Execution, Receipt, SimReply, SimRequest, SimStripe};

/// The platform's account.
pub const PLATFORM: &str = "acct_1SimPlatform00001";
/// The connected account debited.
pub const CONNECTED: &str = "acct_1SimConnected0001";
/// Another destination, for the platform's other transfers.
const ELSEWHERE: &str = "acct_1SimElsewhere0001";
/// The caller's HTTP timeout (the official clients' 80 s).
pub const TIMEOUT_MS: i64 = 80_000;
/// The most polls one debit may take before the run counts it stuck.
pub const POLL_CAP: u32 = 2_000;
/// The most sends of one idempotency key: the machine's backoff (three fast sends, then
/// 30 s doubling to 30 minutes) makes at most about 55 within a key's 23 open hours.
pub const KEY_SENDS_CAP: u32 = 100;
/// The latest simulated time one debit may reach: 120 days.
pub const TIME_CAP_MS: i64 = 120 * 86_400_000;
/// One hour.
const HOUR_MS: i64 = 3_600_000;

/// The saved state of a machine: the JSON document (`to_json`) the caller writes before
/// each send, read back with `from_json` on resume.
#[derive(Debug, Clone)]
pub struct Saved(String);

/// Saves `machine`'s state.
pub fn save(machine: &DebitMachine) -> Saved {
    Saved(machine.to_json())
}

/// The machine of a saved state (`input` and `options` are the caller's own, as a caller
/// that keeps the JSON document would pass them back).
pub fn restore(saved: &Saved, input: &DebitInput, _options: MachineOptions) -> DebitMachine {
    match DebitMachine::from_json(input.clone(), &saved.0) {
        Ok(machine) => machine,
        Err(e) => panic!("a saved state reads back: {e}"),
    }
}

/// What to run: a seed, its kind of fault, and optionally the crash point at which the
/// caller is made to crash (on top of the kind's own faults).
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub seed: u64,
    pub kind: FaultKind,
    pub crash_at: Option<u32>,
    pub trace: bool,
    /// A settle bound for the machine other than the one Stripe keeps to (to show that the
    /// checks catch what a bound too short lets through).
    pub settle_ms: Option<u64>,
}

impl Config {
    /// Seed `seed` under its own kind ([`FaultKind::of_seed`]).
    pub fn seed(seed: u64) -> Config {
        Config {
            seed,
            kind: FaultKind::of_seed(seed),
            crash_at: None,
            trace: false,
            settle_ms: None,
        }
    }
}

/// How a debit ended, as the machine said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    Confirmed {
        transfer: String,
        reversed: usize,
    },
    Failed,
    Escalated {
        reason: EscalationReason,
        detail: String,
    },
}

/// What is wrong with a run, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// More transfers carrying the debit's id stand (not fully reversed) than the outcome
    /// accounts for.
    Double(String),
    /// Money moved that the outcome says did not, or the outcome names a transfer that
    /// does not stand.
    Lost(String),
    /// No `done` or `escalate` within the caps.
    Stuck(String),
    /// The machine refused a report or panicked.
    Broken(String),
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Double(_) => "double",
            Problem::Lost(_) => "lost",
            Problem::Stuck(_) => "stuck",
            Problem::Broken(_) => "broken",
        }
    }
}

/// The result of one run.
#[derive(Debug, Clone)]
pub struct Report {
    pub config: Config,
    pub end: Option<End>,
    pub problem: Option<Problem>,
    /// The transfers carrying the debit's id that stand at the end.
    pub standing: usize,
    /// How many crash points the path had (for the crash test).
    pub crash_points: u32,
    pub polls: u32,
    pub crashes: u32,
    /// The most sends of one idempotency key.
    pub max_key_sends: u32,
    /// Simulated time from the first poll to the end, in ms.
    pub elapsed_ms: i64,
    pub trace: String,
}

/// The simulation of one debit.
struct Sim {
    config: Config,
    /// The settle bound Stripe keeps to: every effect lands within it.
    settle: i64,
    rates: Rates,
    rng: Rng,
    stripe: SimStripe,
    input: DebitInput,
    options: MachineOptions,
    machine: DebitMachine,
    saved: Option<Saved>,
    debit_id: String,
    /// Stripe's clock (the true time), in ms.
    t: i64,
    t0: i64,
    /// The caller's clock less Stripe's.
    skew: i64,
    /// From which attempt on every execution of the debit's `POST` is refused by a saved
    /// 400 (the `refused` fault): the first, or the second (the account's balance went,
    /// say), so that a refusal of attempt 2 meets attempt 1's late effects if the machine
    /// ever started attempt 2 too early.
    refuse_from: Option<u32>,
    crash_points: u32,
    polls: u32,
    crashes: u32,
    key_sends: std::collections::HashMap<String, u32>,
    trace: String,
}

/// The debit of seed `seed`: `amount` cents of USD, under its own id.
fn debit_input(debit_id: &str, amount: i64) -> DebitInput {
    let platform = Account::new(
        PLATFORM.parse().expect("an account id"),
        "US".parse().expect("a country"),
        Currency::USD,
        LossLiability::Stripe,
    );
    let connected = Account::new(
        CONNECTED.parse().expect("an account id"),
        "US".parse().expect("a country"),
        Currency::USD,
        LossLiability::Stripe,
    )
    .with_verified_bank_account(Currency::USD);
    let balance = Balance::new([Money::from_minor(100_000, Currency::USD).expect("money")])
        .expect("a balance");
    let debit = Debit::new(
        debit_id.parse().expect("a debit id"),
        Decimal::new(amount, 2),
        Currency::USD,
        ReferenceTransaction::new(
            "ch_1SimCharge000000001".parse().expect("a charge id"),
            connected.id(),
        ),
    );
    let consent = Consent::granted(
        Timestamp::from_unix(1_700_000_000),
        "agreement-sim".parse().expect("evidence"),
    );
    DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        balance,
        debit,
        Timestamp::from_unix(1_764_000_000),
    )
    .with_consent(consent)
}

impl Sim {
    fn new(config: Config) -> Sim {
        let mut rng = Rng::new(config.seed);
        let rates = config.kind.rates();
        // The settle bound: the default (24 h) mostly, and shorter ones; Stripe's late
        // effects are drawn within whichever is in force.
        let settle = match rng.below(20) {
            0..=11 => stripe_account_debits::lifecycle::DEFAULT_SETTLE_MS,
            12..=16 => HOUR_MS as u64,
            _ => 600_000,
        };
        let options = MachineOptions::default().with_settle_ms(config.settle_ms.unwrap_or(settle));
        let debit_id = format!("sim-{}", config.seed);
        let amount = rng.range(1, 100_000) as i64;
        let input = debit_input(&debit_id, amount);
        let machine = DebitMachine::start(input.clone(), options).expect("the debit plans");
        let t0 = 1_764_000_000_000 + rng.below(86_400_000) as i64;
        // Within the machine's 5-minute margin for `created[gte]`.
        let skew = rng.range(0, 580_000) as i64 - 290_000;
        let mut stripe = SimStripe::new(CONNECTED, t0);
        stripe.prune_after_ms = if rng.chance(500) {
            0
        } else {
            rng.range(0, 3 * HOUR_MS as u64) as i64
        };
        if rng.chance(500) {
            stripe.conflict_type = "idempotency_error";
        }
        let refused = rng.chance(rates.refused);
        let saved = rng.chance(500);
        let from = if rng.chance(500) { 1 } else { 2 };
        let refuse_from = (refused && saved).then_some(from);
        stripe.invalid_from = (refused && !saved).then_some(from);
        add_noise(&mut rng, &mut stripe, t0, &debit_id);
        Sim {
            config,
            settle: settle as i64,
            rates,
            rng,
            stripe,
            input,
            options,
            machine,
            saved: None,
            debit_id,
            t: t0,
            t0,
            skew,
            refuse_from,
            crash_points: 0,
            polls: 0,
            crashes: 0,
            key_sends: std::collections::HashMap::new(),
            trace: String::new(),
        }
    }

    fn note(&mut self, what: impl FnOnce(&Sim) -> String) {
        if self.config.trace {
            let t = self.t - self.t0;
            let line = what(self);
            let _ = writeln!(self.trace, "{:>12.3}s  {line}", t as f64 / 1000.0);
        }
    }

    /// The caller's clock.
    fn caller_now(&self) -> Millis {
        Millis::from_unix_ms(self.t + self.skew)
    }

    /// Moves the true time to `to` (never back), and Stripe with it.
    fn set_time(&mut self, to: i64) {
        self.t = self.t.max(to);
        self.stripe.advance(self.t);
    }

    /// A crash point: whether the caller crashes here (the kind's chance, or the crash
    /// asked for at this point).
    fn crash_point(&mut self, per_mille: u32) -> bool {
        let point = self.crash_points;
        self.crash_points += 1;
        let chance = self.rng.chance(per_mille);
        chance || self.config.crash_at == Some(point)
    }

    /// The caller dies, is down a while, and comes back from its last saved state.
    fn crash(&mut self, at: &str) {
        let down = match self.rng.below(10) {
            0..=4 => self.rng.range(1_000, 60_000),
            5..=7 => self.rng.range(60_000, 1_800_000),
            _ => self.rng.range(HOUR_MS as u64, 30 * HOUR_MS as u64),
        } as i64;
        self.crashes += 1;
        self.note(|_s| format!("CRASH {at}; down {:.0}s", down as f64 / 1000.0));
        self.set_time(self.t + down);
        self.machine = match &self.saved {
            Some(saved) => restore(saved, &self.input, self.options),
            None => DebitMachine::start(self.input.clone(), self.options).expect("plans"),
        };
    }

    /// Runs the debit to its end.
    fn run(mut self) -> Report {
        loop {
            if self.polls >= POLL_CAP || self.t - self.t0 > TIME_CAP_MS {
                let why = format!(
                    "{} polls, {} ms, phase {}",
                    self.polls,
                    self.t - self.t0,
                    self.machine.phase().code()
                );
                return self.report(None, Some(Problem::Stuck(why)));
            }
            self.polls += 1;
            let now = self.caller_now();
            let action = match self.machine.poll(now) {
                Ok(action) => action,
                Err(e) => return self.report(None, Some(Problem::Broken(format!("poll: {e}")))),
            };
            let step = match action {
                Action::Done(outcome) => return self.end_with(Ok(outcome)),
                Action::Escalate(escalation) => return self.end_with(Err(escalation)),
                Action::Wait {
                    until, jitter_ms, ..
                } => self.wait(until, jitter_ms),
                Action::Send(request) => self.request(&request, true),
                Action::List(request) => self.request(&request, false),
                other => Err(format!("an action the simulation does not know: {other:?}")),
            };
            if let Err(e) = step {
                return self.report(None, Some(Problem::Broken(e)));
            }
        }
    }

    /// `wait`: sleep until then (a random part of the jitter later), perhaps crashing or
    /// oversleeping.
    fn wait(&mut self, until: Millis, jitter_ms: u64) -> Result<(), String> {
        let spread = self.rng.range(0, jitter_ms) as i64;
        let wake = (until.as_unix_ms() + spread - self.skew).max(self.t);
        self.note(|s| format!("wait {:.3}s", (wake - s.t) as f64 / 1000.0));
        if self.crash_point(self.rates.crash_while_waiting) {
            let at = self.rng.range(self.t as u64, wake as u64) as i64;
            self.set_time(at);
            self.crash("while waiting");
            return Ok(());
        }
        let over = if self.rng.chance(self.rates.stall) {
            self.stall_ms()
        } else {
            0
        };
        self.set_time(wake + over);
        Ok(())
    }

    fn stall_ms(&mut self) -> i64 {
        self.rng.range(23 * HOUR_MS as u64, 30 * HOUR_MS as u64) as i64
    }

    /// `send` (saved first) or `list`: make the request, unless its time has passed, and
    /// report what came back.
    fn request(&mut self, request: &HttpRequest, post: bool) -> Result<(), String> {
        if post {
            self.saved = Some(save(&self.machine));
        }
        let before = if post {
            self.rates.crash_before_send
        } else {
            self.rates.crash_before_send / 2
        };
        if self.crash_point(before) {
            self.crash("before the request");
            return Ok(());
        }
        if self.rng.chance(self.rates.stall) {
            let stall = self.stall_ms();
            let checked_first = self.rng.chance(500);
            self.note(|_s| {
                format!(
                    "STALL {:.0}s ({})",
                    stall as f64 / 1000.0,
                    if checked_first {
                        "after act_by was checked: the request goes out late"
                    } else {
                        "then act_by is checked"
                    }
                )
            });
            self.set_time(self.t + stall);
            if !checked_first && self.caller_now() > request.act_by() {
                self.note(|_s| "act_by has passed: ask again".to_owned());
                return Ok(());
            }
        }
        let sim = SimRequest {
            method: request.method(),
            path: request.path().to_owned(),
            account: request.stripe_account().map(str::to_owned),
            key: request.idempotency_key().map(str::to_owned),
            params: request
                .params()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        };
        self.note(|_s| {
            format!(
                "{} {} key={:?} params={:?}",
                sim.method, sim.path, sim.key, sim.params
            )
        });
        if let Some(key) = &sim.key {
            *self.key_sends.entry(key.clone()).or_default() += 1;
        }
        let (reply, at) = if post {
            self.exchange_post(&sim)
        } else {
            self.exchange_get(&sim)
        };
        self.set_time(at);
        let after = if post {
            self.rates.crash_after_send
        } else {
            self.rates.crash_after_send / 2
        };
        if self.crash_point(after) {
            self.crash("after the request");
            return Ok(());
        }
        self.note(|_s| match &reply {
            Some(r) => format!("  <- {} {:?} {}", r.status, r.headers, shorten(&r.body)),
            None => "  <- no reply".to_owned(),
        });
        let headers: Vec<(&str, &str)> = reply
            .iter()
            .flat_map(|r| r.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect();
        let reply = reply
            .as_ref()
            .map(|r| Reply::new(r.status, &headers, r.body.as_bytes()));
        self.machine
            .on_reply(self.caller_now(), reply.as_ref())
            .map_err(|e| format!("on_reply: {e}"))
    }

    /// No reply, after a connection error (soon) or the timeout.
    fn no_reply(&mut self, sent: i64) -> (Option<SimReply>, i64) {
        let at = if self.rng.chance(500) {
            sent + self.rng.range(10, 2_000) as i64
        } else {
            sent + TIMEOUT_MS
        };
        (None, at)
    }

    /// A `POST` through the faults and the idempotency layer: the reply (or none) and when
    /// the caller has it.
    fn exchange_post(&mut self, request: &SimRequest) -> (Option<SimReply>, i64) {
        let sent = self.t;
        if self.rng.chance(self.rates.request_lost) {
            self.note(|_s| "  (request lost)".to_owned());
            return self.no_reply(sent);
        }
        if self.rng.chance(self.rates.slow / 4) {
            // Held up on the way: it reaches Stripe after the client's timeout (within
            // half the settle bound), and executes then.
            let settle = self.settle;
            let late = self.rng.range(
                (TIMEOUT_MS + 1_000) as u64,
                (settle / 2).min(6 * HOUR_MS) as u64,
            ) as i64;
            let execution = self.execution(request, sent + late, sent + settle - 1_000);
            self.note(|s| {
                format!(
                    "  (held up: arrives at +{:.3}s)",
                    (sent + late - s.t0) as f64 / 1000.0
                )
            });
            self.stripe.arrive_later(sent + late, request, execution);
            return (None, sent + TIMEOUT_MS);
        }
        let arrival = sent + self.rng.range(5, 300) as i64;
        self.set_time(arrival);
        if self.rng.chance(self.rates.rate_limited) {
            return (Some(self.rate_limited()), arrival + 5);
        }
        let execution = self.execution(request, arrival, sent + self.settle - 1_000);
        let (reply, replied_at) = match self.stripe.receive(request, execution) {
            Receipt::Now(reply) => (reply, arrival + 5),
            Receipt::Executing { run, done_at } => {
                if done_at + 5 - sent > TIMEOUT_MS {
                    self.note(|s| {
                        format!(
                            "  (executing until +{:.3}s: the client times out)",
                            (done_at - s.t0) as f64 / 1000.0
                        )
                    });
                    return (None, sent + TIMEOUT_MS);
                }
                self.set_time(done_at);
                let reply = self
                    .stripe
                    .result(run)
                    .expect("a finished run has its result");
                (reply, done_at + 5)
            }
        };
        if self.rng.chance(self.rates.reply_lost) {
            self.note(|_s| format!("  (reply lost: {} {})", reply.status, shorten(&reply.body)));
            let at = if self.rng.chance(500) {
                replied_at
            } else {
                sent + TIMEOUT_MS
            };
            return (None, at);
        }
        (Some(reply), replied_at)
    }

    /// What the fault layer makes of a `POST` that executes.
    /// Every effect of the request lands by `land_by` (the settle bound from its send, less
    /// a second); it arrives at `arrival`.
    fn execution(&mut self, request: &SimRequest, arrival: i64, land_by: i64) -> Execution {
        let budget_ms = land_by - arrival;
        let slow_most = (budget_ms / 2).min(6 * HOUR_MS);
        let slow = self.rng.chance(self.rates.slow);
        let duration_ms = if slow && slow_most > TIMEOUT_MS + 1_000 {
            self.rng
                .range((TIMEOUT_MS + 1_000) as u64, slow_most as u64) as i64
        } else {
            self.rng.range(20, 3_000) as i64
        };
        let refused = self
            .refuse_from
            .is_some_and(|from| crate::stripe::attempt_of(request.key.as_deref()) >= from);
        let ending = if refused && request.path == "/v1/transfers" {
            Ending::Refused
        } else if self.rng.chance(self.rates.error_500) {
            Ending::Error500
        } else if self.rng.chance(self.rates.error_500_later) {
            // Lands before the settle bound has passed since the send.
            let most = (budget_ms - duration_ms).max(1);
            Ending::Error500Later {
                delay_ms: self.rng.range(1, most as u64) as i64,
            }
        } else {
            Ending::Success
        };
        Execution {
            duration_ms,
            ending,
            land_by,
        }
    }

    /// A 429 from the rate limiter (before the idempotency layer: nothing saved).
    fn rate_limited(&mut self) -> SimReply {
        let body = r#"{"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "Too many requests hit the API too quickly."}}"#;
        let reply = SimReply {
            status: 429,
            headers: vec![("Request-Id".to_owned(), "req_rl".to_owned())],
            body: body.to_owned(),
        };
        match self.rng.below(3) {
            0 => reply,
            1 => reply.with_header("Retry-After", &self.rng.range(1, 90).to_string()),
            _ => reply.with_header("Retry-After", &self.rng.range(60, 7_200).to_string()),
        }
    }

    /// A `GET` through the faults.
    fn exchange_get(&mut self, request: &SimRequest) -> (Option<SimReply>, i64) {
        let sent = self.t;
        if self.rng.chance(self.rates.list_failing) {
            let failure = self.rng.below(6);
            self.note(|_s| format!("  (the GET fails: {failure})"));
            let error = |status: u16| SimReply {
                status,
                headers: vec![("Request-Id".to_owned(), "req_get".to_owned())],
                body: r#"{"error": {"type": "api_error", "message": "An unknown error occurred"}}"#
                    .to_owned(),
            };
            return match failure {
                0 | 1 => self.no_reply(sent),
                2 => (Some(error(500)), sent + 200),
                3 => (
                    Some(error(503).with_header("Stripe-Should-Retry", "true")),
                    sent + 200,
                ),
                4 => (Some(self.rate_limited()), sent + 50),
                _ => {
                    // Lost on the way back.
                    self.set_time(sent + 100);
                    (None, sent + TIMEOUT_MS)
                }
            };
        }
        let arrival = sent + self.rng.range(5, 300) as i64;
        self.set_time(arrival);
        if self.rng.chance(self.rates.rate_limited / 2) {
            return (Some(self.rate_limited()), arrival + 5);
        }
        let execution = Execution {
            duration_ms: 0,
            ending: Ending::Success,
            land_by: i64::MAX,
        };
        match self.stripe.receive(request, execution) {
            Receipt::Now(reply) => (Some(reply), arrival + self.rng.range(5, 500) as i64),
            Receipt::Executing { .. } => unreachable!("a GET is answered at once"),
        }
    }

    /// The machine has ended: let the world run out, then count.
    fn end_with(mut self, end: Result<Outcome, Escalation>) -> Report {
        self.note(|_s| format!("END {end:?}"));
        let end = match end {
            Ok(Outcome::Confirmed {
                transfer, reversed, ..
            }) => End::Confirmed {
                transfer: transfer.to_string(),
                reversed: reversed.len(),
            },
            Ok(Outcome::Failed { .. }) => End::Failed,
            Ok(other) => {
                return self.report(
                    None,
                    Some(Problem::Broken(format!(
                        "an outcome the simulation does not know: {other:?}"
                    ))),
                );
            }
            Err(escalation) => End::Escalated {
                reason: escalation.reason(),
                detail: escalation.detail().to_owned(),
            },
        };
        self.report(Some(end), None)
    }

    /// The report, once every request still executing has finished and every late effect
    /// has landed.
    fn report(mut self, end: Option<End>, problem: Option<Problem>) -> Report {
        let elapsed_ms = self.t - self.t0;
        self.stripe.drain();
        let standing: Vec<String> = self
            .stripe
            .transfers_of(&self.debit_id)
            .into_iter()
            .filter(|t| t.amount_reversed < t.amount)
            .map(|t| t.id.clone())
            .collect();
        let max_key_sends = self.key_sends.values().copied().max().unwrap_or(0);
        let problem = problem
            .or_else(|| judge(end.as_ref(), &standing))
            .or_else(|| {
                (max_key_sends > KEY_SENDS_CAP)
                    .then(|| Problem::Stuck(format!("a key was sent {max_key_sends} times")))
            });
        if problem.is_some() || self.config.trace {
            let all: Vec<String> = self
                .stripe
                .transfers_of(&self.debit_id)
                .iter()
                .map(|t| {
                    format!(
                        "{} created {} amount {} reversed {}",
                        t.id, t.created, t.amount, t.amount_reversed
                    )
                })
                .collect();
            self.note(|s| {
                format!(
                    "transfers of the debit: {all:?}; standing {standing:?}; reversals {:?}",
                    s.stripe.reversals
                )
            });
        }
        Report {
            config: self.config,
            end,
            problem,
            standing: standing.len(),
            crash_points: self.crash_points,
            polls: self.polls,
            crashes: self.crashes,
            max_key_sends,
            elapsed_ms,
            trace: self.trace,
        }
    }
}

/// The invariants: a confirmed debit stands as exactly its one transfer; a failed one as
/// none; an escalation that says no attempt committed, as none.
fn judge(end: Option<&End>, standing: &[String]) -> Option<Problem> {
    let end = end?;
    match end {
        End::Confirmed { transfer, .. } => match standing {
            [one] if one == transfer => None,
            [] => Some(Problem::Lost(format!(
                "confirmed {transfer}, but no transfer of the debit stands"
            ))),
            [one] => Some(Problem::Lost(format!(
                "confirmed {transfer}, but {one} is the one standing"
            ))),
            more => Some(Problem::Double(format!(
                "confirmed {transfer}, and {more:?} stand"
            ))),
        },
        End::Failed => match standing {
            [] => None,
            [one] => Some(Problem::Lost(format!("failed, but {one} moved the money"))),
            more => Some(Problem::Double(format!("failed, and {more:?} stand"))),
        },
        End::Escalated {
            reason: EscalationReason::AttemptsExhausted,
            ..
        } if !standing.is_empty() => Some(Problem::Lost(format!(
            "escalated as no attempt committed, but {standing:?} stand"
        ))),
        End::Escalated { .. } => None,
    }
}

/// The platform's other business: transfers to it (other debits) and elsewhere, some
/// before the debit and some while it runs; a few hundred on some seeds, so that searches
/// read several pages.
fn add_noise(rng: &mut Rng, stripe: &mut SimStripe, t0: i64, debit_id: &str) {
    let count = match rng.below(20) {
        0..=12 => rng.range(0, 3),
        13..=18 => rng.range(4, 40),
        _ => rng.range(95, 260),
    };
    for i in 0..count {
        let at = t0 - 86_400_000 + rng.below(4 * 86_400_000) as i64;
        let destination = if rng.chance(800) { PLATFORM } else { ELSEWHERE };
        let other = format!("{debit_id}x{i}");
        let id = match rng.below(3) {
            0 => None,
            _ => Some(other.as_str()),
        };
        stripe.add_noise(at, rng.range(1, 100_000) as i64, destination, id);
    }
}

/// A body cut short for the trace.
fn shorten(body: &str) -> String {
    body.chars().take(160).collect()
}

/// Runs one debit; a panic in the machine is a problem of the run, not of the test.
pub fn run(config: Config) -> Report {
    match std::panic::catch_unwind(|| Sim::new(config).run()) {
        Ok(report) => report,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Report {
                config,
                end: None,
                problem: Some(Problem::Broken(format!("panic: {message}"))),
                standing: 0,
                crash_points: 0,
                polls: 0,
                crashes: 0,
                max_key_sends: 0,
                elapsed_ms: 0,
                trace: String::new(),
            }
        }
    }
}
