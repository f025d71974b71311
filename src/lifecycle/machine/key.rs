//! One idempotency key's (or one `GET`'s) sends: when the next may be made, the backoff
//! after a reply, and what a reply means by the status rules `read_reply` keeps. The
//! phases of the machine (send, search, reverse) all send through these.

use super::types::{Action, Millis};
use super::{DebitMachine, KeyState, MachineOptions};
use crate::lifecycle::attempt::{Attempt, ReplyOptions};
use crate::lifecycle::reply::{Next, Reply, read_reply};
use crate::request::AttemptNumber;

/// What a send's reply leaves the key with.
pub(crate) enum Resend {
    /// Send the same key again at `next_at` (spread over the jitter).
    Scheduled,
    /// The window closes before the next send could be made.
    WindowClosing,
}

/// Schedules the next send of `key` after a reply at `now` that asks for one: the backoff
/// counts every send, 409s included (a 409 that did not count would be resent every half
/// second for as long as the first request executes); a `Retry-After` is honoured.
pub(crate) fn schedule(
    key: &mut KeyState,
    options: &MachineOptions,
    now: Millis,
    reply: Option<&Reply<'_>>,
) -> Resend {
    if reply.is_some_and(|r| r.status() == 409) {
        key.conflicts = key.conflicts.saturating_add(1);
    }
    let retry_after = reply.and_then(Reply::retry_after);
    let (least, most) = options.resend_delay(key.sends, retry_after);
    if key
        .deadline(options)
        .is_some_and(|deadline| now.plus(most) > deadline)
    {
        return Resend::WindowClosing;
    }
    key.next_at = Some(now.plus(least));
    key.jitter_ms = most.saturating_sub(least);
    Resend::Scheduled
}

/// What a key asks for at `now`: wait for its backoff, or send (`None` once its window
/// has closed, so that it must not be sent again).
pub(crate) enum KeyStep {
    Wait(Action),
    Send(Option<Millis>),
    Closed,
}

/// The next step of `key` at `now`.
pub(crate) fn key_step(key: &KeyState, options: &MachineOptions, now: Millis) -> KeyStep {
    if let Some(next) = key.next_at.filter(|next| now < *next) {
        return KeyStep::Wait(Action::Wait {
            until: next,
            jitter_ms: key.jitter_ms,
        });
    }
    let deadline = key.deadline(options);
    if deadline.is_some_and(|deadline| now >= deadline) {
        return KeyStep::Closed;
    }
    KeyStep::Send(deadline)
}

/// Reply options under which `read_reply` only classifies: the machine keeps its own
/// budget and window.
fn classify_only() -> ReplyOptions {
    ReplyOptions::default()
        .with_max_sends(u32::MAX)
        .with_key_window_margin(0)
}

/// How `read_reply` judges a reply to a send of `key` of `plan`'s attempt `number`.
pub(crate) fn judge(
    machine: &DebitMachine,
    number: AttemptNumber,
    key: &KeyState,
    now: Millis,
    reply: Option<&Reply<'_>>,
) -> Next {
    let first = key.first_sent.unwrap_or(now).timestamp();
    let attempt = Attempt::new(number, key.sends.max(1), first, now.timestamp().max(first))
        .unwrap_or_else(|_| Attempt::first(number, first));
    read_reply(&machine.plan, &attempt, reply, &classify_only())
}

/// Whether a `GET`'s reply that is not a 2xx (or none) is asked again: no reply, a 409,
/// a 429, a 5xx, or `Stripe-Should-Retry: true` (a `GET` moves nothing, so asking again is
/// always safe); any other status is Stripe refusing it.
pub(crate) fn ask_again(reply: Option<&Reply<'_>>) -> bool {
    let Some(reply) = reply else {
        return true;
    };
    let should = reply.header("Stripe-Should-Retry").map(str::trim) == Some("true");
    should || matches!(reply.status(), 409 | 429 | 500..=599)
}
