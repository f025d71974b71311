//! One debit from plan to settled, as one state machine that owns the protocol: the
//! caller asks what to do now ([`DebitMachine::poll`]), does it (an HTTP request, or
//! nothing until a time), and reports what happened ([`DebitMachine::on_reply`]). The
//! caller owns the I/O and the clock; the machine owns the attempts, their keys, the
//! searches and the reversals, and never asks for a request that could move money twice.
//!
//! | phase | asks for | goes to |
//! | --- | --- | --- |
//! | sending attempt *n* | `send` its `POST` with key *n*; `wait` between sends | done (confirmed: the planned transfer; failed: a 4xx saved under the key); escalate (mismatch, `idempotency_error`); searching (a saved 500, a key window closing, a reply to a send made late) |
//! | searching | `wait` until the settle bound has passed since the last send; `list` each page of the transfers | done (found once); reversing (found more than once); sending attempt *n + 1* (found nowhere, every attempt settled); escalate (a mismatch, attempts exhausted, a list that cannot be read) |
//! | reversing | `send` each extra transfer's reversal with its own key; `wait`; `list` (retrieve) the transfer once a reversal is in doubt | done (confirmed, the extras reversed); escalate (a reversal refused) |
//! | done / escalated | `done` / `escalate`, every time | — |
//!
//! The rules that make it safe:
//! - A key is resent only within its 24-hour window, less a margin (Stripe's API
//!   reference, "Idempotent requests": keys may be pruned once 24 hours old). A 409 (a
//!   send of the same key still executing) waits and is resent on the same backoff as any
//!   other send: it never sends the debit in doubt, and a request executing for hours is
//!   not asked about twice a second.
//! - A new key (attempt) starts only after a search made once the settle bound has passed
//!   since the last send ([`MachineOptions::with_settle_ms`]) found no transfer, or after a
//!   4xx the same request cannot get past (then only when the caller asks,
//!   [`DebitMachine::new_attempt`]).
//! - A saved 500 is indeterminate ("Advanced error handling": "treat requests that return
//!   500 errors as indeterminate") until such a search says otherwise.
//! - Every request carries the time by which it must be made; a reply reported later than
//!   that plus the HTTP timeout answers a send that may have been made late, and is
//!   settled by a search, not trusted alone.
//! - After a crash, resume from the state saved before the last send and ask again: a
//!   request out with no reply reported is read as no reply.

mod charge;
mod key;
mod options;
mod reverse;
mod search;
mod send;
mod state;
mod types;
mod undo;

pub use options::{
    DEFAULT_ACT_WITHIN_MS, DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_REQUEST_TIMEOUT_MS,
    DEFAULT_SETTLE_MS, MachineOptions,
};
pub use state::{STATE_VERSION, SavedState, StateError};
pub use types::{
    Action, ConfirmedBy, Escalation, EscalationReason, HttpRequest, Millis, Outcome, PhaseKind,
    ReversedDuplicate, StepError,
};

use crate::debit::input::DebitInput;
use crate::debit::plan::DebitPlan;
use crate::debit::rules::Rejection;
use crate::lifecycle::attempt::KEY_WINDOW_SECONDS;
use crate::lifecycle::reply::Reply;
use crate::request::AttemptNumber;

/// Stripe's idempotency key window, in milliseconds.
pub const KEY_WINDOW_MS: u64 = KEY_WINDOW_SECONDS as u64 * 1_000;

/// The sends of one idempotency key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct KeyState {
    /// When it was first sent: its window runs from here.
    pub(crate) first_sent: Option<Millis>,
    /// When it was last sent.
    pub(crate) last_sent: Option<Millis>,
    /// How many times it was sent.
    pub(crate) sends: u32,
    /// How many of those were answered 409 (the key executing elsewhere): a record only,
    /// since a 409 backs off like any other send.
    pub(crate) conflicts: u32,
    /// The earliest time of the next send, after a backoff.
    pub(crate) next_at: Option<Millis>,
    /// How much later than `next_at` the caller may spread it.
    pub(crate) jitter_ms: u64,
}

impl KeyState {
    /// The last time this key may be sent: its window less the margin, from its first
    /// send (`None`: never sent, so not bounded yet).
    pub(crate) fn deadline(&self, options: &MachineOptions) -> Option<Millis> {
        let open = KEY_WINDOW_MS.saturating_sub(options.key_window_margin_ms());
        self.first_sent.map(|first| first.plus(open))
    }

    /// Records a send at `now`.
    pub(crate) fn sent(&mut self, now: Millis) {
        self.first_sent.get_or_insert(now);
        self.last_sent = Some(now);
        self.sends = self.sends.saturating_add(1);
        self.next_at = None;
        self.jitter_ms = 0;
    }
}

/// The request out, waiting for its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Out {
    /// The debit's `POST` (the last attempt's key).
    Debit,
    /// A page of the search.
    Page,
    /// The reversal of extra transfer `i`.
    Reversal(usize),
    /// The retrieval of extra transfer `i`, to see whether its reversal happened.
    Lookup(usize),
}

/// A request out: what, when it was asked for, and by when it had to be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Outstanding {
    pub(crate) what: Out,
    pub(crate) asked_at: Millis,
    pub(crate) act_by: Millis,
}

/// Where the debit is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Phase {
    /// Sending the last attempt's key.
    Sending,
    /// Looking for the debit's transfers.
    Searching(Box<search::Search>),
    /// Reversing the extra transfers of a double debit; the first created is kept.
    Reversing(Box<reverse::Reversing>),
    /// Settled.
    Done(Outcome),
    /// Handed to a person.
    Escalated(Escalation),
}

/// A debit's protocol, from its plan to settled: it owns the attempts, their keys, the
/// searches and the reversals (the states and their rules: `docs/lifecycle.md`).
///
/// # Example
///
/// ```
/// use stripe_account_debits::demo;
/// use stripe_account_debits::lifecycle::{Action, DebitMachine, MachineOptions, Millis, Reply};
///
/// let mut machine = DebitMachine::start(demo::input()?, MachineOptions::default())?;
/// let now = Millis::from_unix_ms(1_764_000_000_000);
/// let Action::Send(request) = machine.poll(now)? else { panic!("a send first") };
/// assert_eq!(request.method(), "POST");
/// assert_eq!(request.path(), "/v1/transfers");
/// // (Save machine.to_json() here, then send.) The reply is lost: the same key again.
/// machine.on_reply(now.plus(80_000), None)?;
/// let Action::Wait { until, .. } = machine.poll(now.plus(80_000))? else { panic!() };
/// let Action::Send(again) = machine.poll(until)? else { panic!() };
/// assert_eq!(again.idempotency_key(), request.idempotency_key());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DebitMachine {
    pub(crate) input: DebitInput,
    pub(crate) plan: DebitPlan,
    pub(crate) options: MachineOptions,
    /// Attempt `n` is at `n - 1`; the last is the one being sent.
    pub(crate) attempts: Vec<KeyState>,
    pub(crate) phase: Phase,
    pub(crate) out: Option<Outstanding>,
    pub(crate) last_now: Option<Millis>,
}

impl DebitMachine {
    /// Plans the debit of `input` and starts its machine, with nothing sent.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] of [`plan_debit`](crate::plan_debit): nothing to send.
    pub fn start(input: DebitInput, options: MachineOptions) -> Result<DebitMachine, Rejection> {
        let plan = crate::debit::plan_debit(&input)?;
        Ok(DebitMachine::from_plan(input, plan, options))
    }

    /// The machine of a plan already made from `input`.
    pub(crate) fn from_plan(
        input: DebitInput,
        plan: DebitPlan,
        options: MachineOptions,
    ) -> DebitMachine {
        DebitMachine {
            input,
            plan,
            options,
            attempts: vec![KeyState::default()],
            phase: Phase::Sending,
            out: None,
            last_now: None,
        }
    }

    /// What to do now. A request asked for earlier and not answered by
    /// [`on_reply`](DebitMachine::on_reply) (the caller crashed, or lost it) is read as
    /// answered by no reply first.
    ///
    /// # Errors
    ///
    /// [`StepError::TimeWentBack`] when `now` is before a time reported earlier.
    pub fn poll(&mut self, now: Millis) -> Result<Action, StepError> {
        self.tick(now)?;
        if self.out.is_some() {
            self.on_reply(now, None)?;
        }
        // Each step either returns an action or moves to another phase; a handful of
        // moves always reach an action (sending, searching, reversing, settled).
        for _ in 0..8 {
            if let Some(action) = self.decide(now) {
                return Ok(action);
            }
        }
        debug_assert!(false, "the machine reaches an action within a few moves");
        Ok(Action::Wait {
            until: now.plus(1_000),
            jitter_ms: 0,
        })
    }

    /// Reports the reply to the request out (`None`: none came, a timeout or a connection
    /// error), received at `now`.
    ///
    /// # Errors
    ///
    /// [`StepError::NoRequestOut`] when no request is out; [`StepError::TimeWentBack`].
    pub fn on_reply(&mut self, now: Millis, reply: Option<&Reply<'_>>) -> Result<(), StepError> {
        self.tick(now)?;
        let out = self.out.take().ok_or(StepError::NoRequestOut)?;
        let limit = out.act_by.plus(self.options.request_timeout_ms());
        let late = now > limit;
        match out.what {
            Out::Debit => self.after_send(now, reply, late),
            Out::Page => self.after_page(now, reply),
            Out::Reversal(i) => self.after_reversal(i, now, reply, late),
            Out::Lookup(i) => self.after_lookup(i, now, reply),
        }
        Ok(())
    }

    /// After a failure (a 4xx that names no `idempotency_error`), starts a new attempt
    /// with a new key: for when what the error named has been put right.
    ///
    /// # Errors
    ///
    /// [`StepError::NoNewAttempt`] in any other state.
    pub fn new_attempt(&mut self, now: Millis) -> Result<(), StepError> {
        self.tick(now)?;
        if !matches!(self.phase, Phase::Done(Outcome::Failed { .. })) {
            return Err(StepError::NoNewAttempt);
        }
        if !self.next_attempt() {
            return Err(StepError::NoNewAttempt);
        }
        Ok(())
    }

    /// The plan being carried out.
    pub fn plan(&self) -> &DebitPlan {
        &self.plan
    }

    /// The input it was planned from.
    pub fn input(&self) -> &DebitInput {
        &self.input
    }

    /// The options.
    pub fn options(&self) -> &MachineOptions {
        &self.options
    }

    /// The attempt being made (or the last one made).
    pub fn attempt(&self) -> AttemptNumber {
        let n = u32::try_from(self.attempts.len()).unwrap_or(u32::MAX);
        AttemptNumber::new(n).unwrap_or(AttemptNumber::FIRST)
    }

    /// How the debit ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.phase {
            Phase::Done(outcome) => Some(outcome),
            _ => None,
        }
    }

    /// Why a person must look, once the machine has escalated.
    pub fn escalation(&self) -> Option<&Escalation> {
        match &self.phase {
            Phase::Escalated(escalation) => Some(escalation),
            _ => None,
        }
    }

    /// Where the machine is ([`PhaseKind::code`] is its stable string).
    pub fn phase(&self) -> PhaseKind {
        match self.phase {
            Phase::Sending => PhaseKind::Sending,
            Phase::Searching(_) => PhaseKind::Searching,
            Phase::Reversing(_) => PhaseKind::Reversing,
            Phase::Done(_) => PhaseKind::Done,
            Phase::Escalated(_) => PhaseKind::Escalated,
        }
    }

    /// Keeps the clock from going back.
    fn tick(&mut self, now: Millis) -> Result<(), StepError> {
        if let Some(last) = self.last_now.filter(|last| now < *last) {
            return Err(StepError::TimeWentBack { last, now });
        }
        self.last_now = Some(now);
        Ok(())
    }

    /// The action of the current phase, or `None` after moving to another phase.
    fn decide(&mut self, now: Millis) -> Option<Action> {
        match &self.phase {
            Phase::Done(outcome) => Some(Action::Done(outcome.clone())),
            Phase::Escalated(escalation) => Some(Action::Escalate(escalation.clone())),
            Phase::Sending => self.decide_send(now),
            Phase::Searching(_) => self.decide_search(now),
            Phase::Reversing(_) => self.decide_reversal(now),
        }
    }

    /// Asks for `what` at `now`, to be made by `act_by`.
    pub(crate) fn ask(&mut self, what: Out, now: Millis, act_by: Millis) {
        self.out = Some(Outstanding {
            what,
            asked_at: now,
            act_by,
        });
    }

    /// The time by which a request asked for at `now` must be made, within `deadline`.
    pub(crate) fn act_by(&self, now: Millis, deadline: Option<Millis>) -> Millis {
        let by = now.plus(self.options.act_within_ms());
        deadline.map_or(by, |deadline| by.min(deadline))
    }

    /// Escalates.
    pub(crate) fn escalate(&mut self, escalation: Escalation) {
        self.phase = Phase::Escalated(escalation);
    }

    /// Starts the next attempt (a new key), when one is allowed; escalates otherwise.
    pub(crate) fn next_attempt(&mut self) -> bool {
        let allowed =
            u32::try_from(self.attempts.len()).is_ok_and(|made| made < self.options.max_attempts());
        if allowed {
            self.attempts.push(KeyState::default());
            self.phase = Phase::Sending;
        } else {
            self.escalate(Escalation {
                reason: EscalationReason::AttemptsExhausted,
                detail: format!(
                    "{} attempts were made and none committed",
                    self.attempts.len()
                ),
                field: None,
                request_id: None,
                transfers: Vec::new(),
            });
        }
        allowed
    }
}
