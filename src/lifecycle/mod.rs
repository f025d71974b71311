//! Layer 7, the lifecycle: everything after a debit's request is planned, without I/O, in
//! the style of sans-I/O protocol libraries. The caller sends, sleeps and keeps the clock;
//! it feeds in what happened and gets back what to do next.
//!
//! - [`attempt`](Attempt): an attempt's sends and times, the options that bound retries
//!   (the budget, the key window's margin) and the backoff between sends.
//! - [`read_reply`] (feature `serde`): what a reply (or none) means: confirmed, mismatch,
//!   retry, failed or in doubt.
//! - [`find_debit`] (feature `serde`): the debit's transfer in a list of transfers: found,
//!   not found, or duplicated (a double debit, with the reversals that undo it). Finding
//!   (`find`) and reversing (`reversal`) are siblings that know nothing of each other or
//!   of `reply`; `found` puts the first two together.
//! - [`plan_reversal`] (feature `serde`): a checked reversal of a debit's transfer.
//! - [`DebitMachine`] (feature `serde`): all of the above, driven for the caller.
//!
//! Stripe's objects the lifecycle reads (a Transfer, a list of them, a reversal, an error)
//! live with Stripe's vocabulary and are read by the crate's one reader; they are named
//! here too. The attempt, its options and its backoff need no JSON: they build and are
//! tested without the `serde` feature.

mod attempt;
#[cfg(feature = "serde")]
mod find;
#[cfg(feature = "serde")]
mod found;
#[cfg(feature = "serde")]
mod machine;
#[cfg(feature = "serde")]
pub(crate) mod reply;
#[cfg(feature = "serde")]
mod reversal;

pub use attempt::{
    Attempt, AttemptError, DEFAULT_KEY_WINDOW_MARGIN_SECONDS, DEFAULT_MAX_SENDS, DelayWindow,
    KEY_WINDOW_SECONDS, MAX_RETRY_AFTER_SECONDS, ReplyOptions,
};
#[cfg(feature = "serde")]
pub use found::{Duplicate, FindKind, Found, find_debit};
#[cfg(feature = "serde")]
pub use machine::{
    Action, ConfirmedBy, DEFAULT_ACT_WITHIN_MS, DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SETTLE_MS, DebitMachine, Escalation, EscalationReason,
    HttpRequest, KEY_WINDOW_MS, MachineOptions, Millis, Outcome, PhaseKind, ReversedDuplicate,
    STATE_VERSION, SavedState, StateError, StepError,
};
#[cfg(feature = "serde")]
pub use reply::{
    Failure, InDoubtReason, MismatchField, Next, Reply, ReplyKind, RetryReason, read_reply,
};
#[cfg(feature = "serde")]
pub use reversal::{
    ReversalId, ReversalIdError, ReversalPlan, ReversalRejection, ReversalRequest,
    ReversalViolation, ReversalViolationKind, plan_reversal,
};
