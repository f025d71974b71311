//! Sending the debit's `POST`: the same key within its window, a backoff between sends,
//! and what each reply means.

use super::key::{KeyStep, Resend, judge, key_step, schedule};
use super::types::{Action, ConfirmedBy, Escalation, EscalationReason, HttpRequest, Millis};
use super::{DebitMachine, Out, Outcome, Phase};
use crate::lifecycle::reply::{Next, Reply};
use crate::request::AttemptNumber;
use crate::stripe::id::TransactionId;

/// The id of the object a 2xx body holds, when it reads as a Stripe id.
fn returned_id(body: &[u8]) -> Option<TransactionId> {
    #[derive(serde::Deserialize)]
    struct Id<'a> {
        #[serde(borrow)]
        id: std::borrow::Cow<'a, str>,
    }
    let id: Id<'_> = serde_json::from_slice(body).ok()?;
    id.id.parse().ok()
}

impl DebitMachine {
    /// The action while sending the last attempt.
    pub(super) fn decide_send(&mut self, now: Millis) -> Option<Action> {
        let number = self.attempt();
        let key = self.attempts.last()?;
        match key_step(key, &self.options, now) {
            KeyStep::Wait(action) => Some(action),
            KeyStep::Closed => {
                self.in_doubt(now);
                None
            }
            KeyStep::Send(deadline) => {
                let act_by = self.act_by(now, deadline);
                if let Some(key) = self.attempts.last_mut() {
                    key.sent(now);
                }
                self.ask(Out::Debit, now, act_by);
                Some(Action::Send(self.debit_request(number, act_by)))
            }
        }
    }

    /// The debit's request under attempt `number`'s key.
    fn debit_request(&self, number: AttemptNumber, act_by: Millis) -> HttpRequest {
        let request = self.plan.request_for(number);
        HttpRequest {
            method: request.method(),
            path: request.path().to_owned(),
            stripe_account: request.stripe_account().map(str::to_owned),
            idempotency_key: Some(request.idempotency_key().as_str().to_owned()),
            params: request
                .form()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            act_by,
        }
    }

    /// After the reply (or none) to a send of the last attempt.
    pub(super) fn after_send(&mut self, now: Millis, reply: Option<&Reply<'_>>, late: bool) {
        let number = self.attempt();
        let Some(key) = self.attempts.last() else {
            return;
        };
        let next = judge(self, number, key, now, reply);
        if late {
            // The send may have been made after its deadline, past the key's window: only
            // a search can say what it did.
            self.in_doubt(now);
            return;
        }
        match next {
            Next::Confirmed {
                transfer,
                payment,
                replayed,
                ..
            } => {
                self.phase = Phase::Done(Outcome::Confirmed {
                    transfer,
                    payment: Some(payment),
                    by: ConfirmedBy::Reply { replayed },
                    reversed: Vec::new(),
                });
            }
            Next::Mismatch {
                field,
                planned,
                returned,
                ..
            } => self.escalate(Escalation {
                reason: EscalationReason::Mismatch,
                detail: format!(
                    "Stripe returned {returned} for {} where {planned} was planned",
                    field.name()
                ),
                field: Some(field),
                request_id: reply.and_then(Reply::request_id),
                // The object Stripe returned, when its id reads as a Stripe id.
                transfers: reply
                    .and_then(|r| returned_id(r.body()))
                    .into_iter()
                    .collect(),
            }),
            Next::Retry { .. } => self.resend_later(now, reply),
            Next::Failed(failure) if failure.idempotency_error() => self.escalate(Escalation {
                reason: EscalationReason::IdempotencyError,
                detail: format!(
                    "Stripe answered idempotency_error to attempt {number}: the debit id was used for another request ({})",
                    failure.error()
                ),
                field: None,
                request_id: failure.request_id().map(str::to_owned),
                transfers: Vec::new(),
            }),
            Next::Failed(failure) => {
                self.phase = Phase::Done(Outcome::Failed {
                    attempt: number,
                    failure,
                });
            }
            // A replayed 500, a 5xx Stripe says not to retry, a status Stripe's API does
            // not send, or a window closing: indeterminate.
            _ => self.in_doubt(now),
        }
    }

    /// Schedules the same key again, or searches when its window closes first.
    fn resend_later(&mut self, now: Millis, reply: Option<&Reply<'_>>) {
        let options = self.options;
        let Some(key) = self.attempts.last_mut() else {
            return;
        };
        if let Resend::WindowClosing = schedule(key, &options, now, reply) {
            self.in_doubt(now);
        }
    }
}
