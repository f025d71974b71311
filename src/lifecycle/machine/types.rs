//! What the machine tells its caller: the time, the request to make, the action, the
//! outcome and the escalation.

use core::fmt;

use crate::lifecycle::reply::{Failure, MismatchField};
use crate::request::AttemptNumber;
use crate::stripe::id::TransactionId;
use crate::value::time::Timestamp;

/// A point in time in milliseconds since the Unix epoch: the caller's clock, handed in.
/// The machine never reads a clock.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::Millis;
///
/// let t = Millis::from_unix_ms(1_764_000_000_500);
/// assert_eq!(t.timestamp().unix(), 1_764_000_000);
/// assert_eq!(t.plus(500).as_unix_ms(), 1_764_000_001_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(i64);

impl Millis {
    /// `ms` milliseconds after the epoch.
    pub const fn from_unix_ms(ms: i64) -> Millis {
        Millis(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_unix_ms(self) -> i64 {
        self.0
    }

    /// The whole second this falls in, as Stripe's timestamps count.
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_unix(self.0.div_euclid(1_000))
    }

    /// `ms` later, saturating at the end of time.
    #[must_use]
    pub fn plus(self, ms: u64) -> Millis {
        let ms = i64::try_from(ms).unwrap_or(i64::MAX);
        Millis(self.0.saturating_add(ms))
    }

    /// `ms` earlier, saturating at the start of time.
    #[must_use]
    pub fn minus(self, ms: u64) -> Millis {
        let ms = i64::try_from(ms).unwrap_or(i64::MAX);
        Millis(self.0.saturating_sub(ms))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// One HTTP request to make to Stripe's API, whole: the method, the path, the
/// `Stripe-Account` and `Idempotency-Key` headers when there are any, the parameters (the
/// form of a `POST`, the query of a `GET`), and the time by which it must be made.
///
/// A request not made by [`act_by`](HttpRequest::act_by) must not be made at all: ask the
/// machine again ([`DebitMachine::poll`](super::DebitMachine::poll)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpRequest {
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) stripe_account: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) params: Vec<(String, String)>,
    pub(crate) act_by: Millis,
}

impl HttpRequest {
    /// `POST` or `GET`.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The path, from `/v1/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `Stripe-Account` header, when the request is made on a connected account.
    pub fn stripe_account(&self) -> Option<&str> {
        self.stripe_account.as_deref()
    }

    /// The `Idempotency-Key` header of a `POST`.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The parameters, in order: the form of a `POST`, the query of a `GET`.
    pub fn params(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The parameters, percent-encoded as `application/x-www-form-urlencoded` (for a
    /// `POST`'s body, or after the `?` of a `GET`).
    pub fn encoded_params(&self) -> String {
        let mut out = String::new();
        for (i, (key, value)) in self.params.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            // Writing to a `String` cannot fail.
            let written = crate::request::form::write_encoded(&mut out, key)
                .and_then(|()| fmt::Write::write_char(&mut out, '='))
                .and_then(|()| crate::request::form::write_encoded(&mut out, value));
            debug_assert!(written.is_ok());
        }
        out
    }

    /// The latest time the request may be made.
    pub fn act_by(&self) -> Millis {
        self.act_by
    }
}

/// What to do now.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Save the machine's state ([`DebitMachine::to_json`](super::DebitMachine::to_json)),
    /// then make this `POST` (it may move money), then report the reply or its absence
    /// ([`DebitMachine::on_reply`](super::DebitMachine::on_reply)).
    Send(HttpRequest),
    /// Make this `GET` (it moves nothing), then report the reply or its absence.
    List(HttpRequest),
    /// Nothing to do before `until` (plus, if you like, a random part of `jitter_ms`, as
    /// the official clients spread their retries); then ask again.
    #[non_exhaustive]
    Wait {
        /// The earliest time to ask again.
        until: Millis,
        /// How much later than `until` the caller may spread the next call.
        jitter_ms: u64,
    },
    /// The debit is settled: nothing more to do, ever.
    Done(Outcome),
    /// Stop and hand this to a person: the machine cannot decide safely.
    Escalate(Escalation),
}

impl Action {
    /// `"send"`, `"list"`, `"wait"`, `"done"` or `"escalate"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Action::Send(_) => "send",
            Action::List(_) => "list",
            Action::Wait { .. } => "wait",
            Action::Done(_) => "done",
            Action::Escalate(_) => "escalate",
        }
    }
}

/// How the debit's transfer was known to be the one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfirmedBy {
    /// Stripe's reply to a send (`replayed`: the reply was a replay of an earlier send's
    /// saved result).
    Reply {
        /// `Idempotent-Replayed: true`.
        replayed: bool,
    },
    /// A search of the transfers, read to the last page.
    Search,
}

/// An extra transfer of a double debit, and its reversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ReversedDuplicate {
    /// The extra transfer.
    pub(crate) transfer: TransactionId,
    /// The reversal (`trr_...`), when Stripe's reply named it (a reversal known only from
    /// the transfer's `amount_reversed` has none).
    pub(crate) reversal: Option<TransactionId>,
}

impl ReversedDuplicate {
    /// The extra transfer.
    pub fn transfer(&self) -> TransactionId {
        self.transfer
    }

    /// The reversal (`trr_...`), when Stripe's reply named it (a reversal known only from
    /// the transfer's `amount_reversed` has none).
    pub fn reversal(&self) -> Option<TransactionId> {
        self.reversal
    }
}

/// How a debit ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// The money moved, once: the transfer, the Payment it made on the platform, the
    /// attempt whose key made it (when known), how it was known, and the extra transfers
    /// of a double debit, each reversed.
    #[non_exhaustive]
    Confirmed {
        /// The Transfer (`tr_...`).
        transfer: TransactionId,
        /// The Payment on the platform (`py_...`), when Stripe named it.
        payment: Option<TransactionId>,
        /// How it was known.
        by: ConfirmedBy,
        /// The extra transfers of a double debit, reversed.
        reversed: Vec<ReversedDuplicate>,
    },
    /// No money moved, and none will: Stripe refused the request (a 4xx saved under the
    /// key of `attempt`, every earlier attempt proven not to have committed). A new attempt
    /// ([`DebitMachine::new_attempt`](super::DebitMachine::new_attempt)) may succeed once
    /// what the error names is put right.
    #[non_exhaustive]
    Failed {
        /// The attempt Stripe refused.
        attempt: AttemptNumber,
        /// Stripe's refusal.
        failure: Box<Failure>,
    },
}

impl Outcome {
    /// `"confirmed"` or `"failed"`.
    pub const fn code(&self) -> &'static str {
        match self {
            Outcome::Confirmed { .. } => "confirmed",
            Outcome::Failed { .. } => "failed",
        }
    }
}

/// Why a person must look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EscalationReason {
    /// Stripe returned (or the search found) a transfer carrying this debit's id that is
    /// not the planned one.
    Mismatch,
    /// Stripe answered `idempotency_error`: the debit id was used for another request.
    IdempotencyError,
    /// Every attempt allowed was made, and none committed.
    AttemptsExhausted,
    /// Stripe refused a search (a 4xx), or returned a list the machine cannot read.
    SearchFailed,
    /// A double debit's extra (a transfer, or a service charge) cannot be undone: Stripe
    /// refused its reversal or refund, or it cannot be planned.
    ReversalRefused,
}

impl EscalationReason {
    /// The stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            EscalationReason::Mismatch => "mismatch",
            EscalationReason::IdempotencyError => "idempotency_error",
            EscalationReason::AttemptsExhausted => "attempts_exhausted",
            EscalationReason::SearchFailed => "search_failed",
            EscalationReason::ReversalRefused => "reversal_refused",
        }
    }
}

/// What a person needs to act on: the reason, a sentence, and the ids involved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Escalation {
    /// Why.
    pub(crate) reason: EscalationReason,
    /// What happened, for a person (texts from Stripe escaped and cut short).
    pub(crate) detail: String,
    /// The field of a mismatch.
    pub(crate) field: Option<MismatchField>,
    /// The `Request-Id` of the reply concerned, if any.
    pub(crate) request_id: Option<String>,
    /// The transfers concerned.
    pub(crate) transfers: Vec<TransactionId>,
}

impl Escalation {
    /// Why.
    pub fn reason(&self) -> EscalationReason {
        self.reason
    }

    /// What happened, for a person (texts from Stripe escaped and cut short).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The field of a mismatch.
    pub fn field(&self) -> Option<MismatchField> {
        self.field
    }

    /// The `Request-Id` of the reply concerned, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The transfers concerned.
    pub fn transfers(&self) -> &[TransactionId] {
        &self.transfers
    }
}

impl fmt::Display for Escalation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason.code(), self.detail)?;
        if let Some(id) = &self.request_id {
            write!(f, " (Request-Id {})", crate::value::text::quoted(id))?;
        }
        Ok(())
    }
}

/// A report the machine cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// A reply was reported, but no request is out: ask [`poll`](super::DebitMachine::poll)
    /// first.
    #[error("no request is out: a reply was reported without a request")]
    NoRequestOut,
    /// The time went backwards.
    #[error("now ({now}) is before the last time reported ({last})")]
    TimeWentBack {
        /// The last time reported.
        last: Millis,
        /// The time reported now.
        now: Millis,
    },
    /// A new attempt was asked for where none is allowed.
    #[error("a new attempt is allowed only after a failure that names no idempotency error")]
    NoNewAttempt,
}

/// Where a [`DebitMachine`](super::DebitMachine) is: [`DebitMachine::phase`](super::DebitMachine::phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhaseKind {
    /// Sending the debit's request (an attempt under its key).
    Sending,
    /// Looking for the debit's transfer (or charge), nobody knowing whether it exists.
    Searching,
    /// Undoing the extra transfers (or charges) of a double debit.
    Reversing,
    /// Done: confirmed or failed.
    Done,
    /// A person must look.
    Escalated,
}

impl PhaseKind {
    /// `"sending"`, `"searching"`, `"reversing"`, `"done"` or `"escalated"`.
    pub const fn code(self) -> &'static str {
        match self {
            PhaseKind::Sending => "sending",
            PhaseKind::Searching => "searching",
            PhaseKind::Reversing => "reversing",
            PhaseKind::Done => "done",
            PhaseKind::Escalated => "escalated",
        }
    }
}
