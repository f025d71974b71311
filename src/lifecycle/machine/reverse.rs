//! Undoing a double debit: each extra (a transfer, or a service charge) is undone by a
//! `POST` with its own key, sent by the same rules as the debit's; one in doubt is settled
//! by retrieving the extra and reading how much of it is undone ([`Extra`]).

use super::key::{KeyStep, Resend, ask_again, judge, key_step, schedule};
use super::types::{Action, ConfirmedBy, Escalation, EscalationReason, Millis, ReversedDuplicate};
use super::undo::Extra;
use super::{DebitMachine, KeyState, Out, Outcome, Phase};
use crate::lifecycle::reply::{Next, Reply};
use crate::stripe::id::TransactionId;

/// The undoing of one extra.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReversalOp {
    /// The extra, and what undoes it.
    pub(crate) extra: Extra,
    /// Which attempt of it (a new key after one proven not made).
    pub(crate) number: u32,
    /// The sends of its key.
    pub(crate) key: KeyState,
    /// Where it is.
    pub(crate) state: OpState,
}

/// Where an undoing is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum OpState {
    /// Being sent.
    Sending,
    /// In doubt: retrieve the extra at `not_before` (its sends counted in `page`).
    Checking { not_before: Millis, page: KeyState },
    /// Done (the reversal's or refund's id, when a reply named it).
    Done(Option<TransactionId>),
}

/// The double debit being undone: what is kept (the transfer and its payment) and the
/// extras.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Reversing {
    /// The debit kept: its transfer.
    pub(crate) transfer: TransactionId,
    /// And its payment, when known.
    pub(crate) payment: Option<TransactionId>,
    /// The extras' undoing.
    pub(crate) ops: Vec<ReversalOp>,
}

impl ReversalOp {
    /// The first attempt at undoing `extra`.
    pub(crate) fn new(extra: Extra) -> ReversalOp {
        ReversalOp {
            extra,
            number: 1,
            key: KeyState::default(),
            state: OpState::Sending,
        }
    }
}

impl DebitMachine {
    /// The action while undoing.
    pub(super) fn decide_reversal(&mut self, now: Millis) -> Option<Action> {
        let Phase::Reversing(reversing) = &self.phase else {
            return None;
        };
        let Some(i) = reversing
            .ops
            .iter()
            .position(|op| !matches!(op.state, OpState::Done(_)))
        else {
            self.phase = Phase::Done(all_reversed(reversing));
            return None;
        };
        let op = reversing.ops.get(i)?;
        match &op.state {
            OpState::Checking { not_before, page } => {
                let wait = page.next_at.map_or(*not_before, |at| at.max(*not_before));
                if now < wait {
                    return Some(Action::Wait {
                        until: wait,
                        jitter_ms: page.jitter_ms,
                    });
                }
                let request = op.extra.lookup(self.act_by(now, None));
                self.ask(Out::Lookup(i), now, request.act_by);
                if let Some(OpState::Checking { page, .. }) = self.op_mut(i).map(|op| &mut op.state)
                {
                    page.sent(now);
                }
                Some(Action::List(request))
            }
            OpState::Sending => match key_step(&op.key, &self.options, now) {
                KeyStep::Wait(action) => Some(action),
                KeyStep::Closed => {
                    self.reversal_in_doubt(i, now);
                    None
                }
                KeyStep::Send(deadline) => {
                    let act_by = self.act_by(now, deadline);
                    let request = op.extra.request(op.number, act_by);
                    if let Some(op) = self.op_mut(i) {
                        op.key.sent(now);
                    }
                    self.ask(Out::Reversal(i), now, act_by);
                    Some(Action::Send(request))
                }
            },
            OpState::Done(_) => None,
        }
    }

    /// The undoing `i`.
    fn op_mut(&mut self, i: usize) -> Option<&mut ReversalOp> {
        match &mut self.phase {
            Phase::Reversing(reversing) => reversing.ops.get_mut(i),
            _ => None,
        }
    }

    /// After the reply (or none) to undoing `i`'s send.
    pub(super) fn after_reversal(
        &mut self,
        i: usize,
        now: Millis,
        reply: Option<&Reply<'_>>,
        late: bool,
    ) {
        if late {
            self.reversal_in_doubt(i, now);
            return;
        }
        if let Some(reply) = reply.filter(|r| (200..300).contains(&r.status())) {
            self.reversal_replied(i, now, reply);
            return;
        }
        // Not a 2xx: the debit's own rules say what the status means (the plan is only
        // read for a 2xx).
        let number = self.attempt();
        let Some(op) = self.op_mut(i) else { return };
        let key = op.key.clone();
        let extra = op.extra.id();
        match judge(self, number, &key, now, reply) {
            Next::Retry { .. } => self.reversal_later(i, now, reply),
            Next::Failed(failure) => self.refused(
                extra,
                format!(
                    "Stripe refused to undo the extra {extra}: {}",
                    failure.error()
                ),
                failure.request_id().map(str::to_owned),
            ),
            _ => self.reversal_in_doubt(i, now),
        }
    }

    /// A 2xx to an undoing: the one asked for, or something to send again for.
    fn reversal_replied(&mut self, i: usize, now: Millis, reply: &Reply<'_>) {
        let Some(op) = self.op_mut(i) else { return };
        match op.extra.accept(reply.body()) {
            Ok(id) => op.state = OpState::Done(Some(id)),
            Err(Some(why)) => {
                let extra = op.extra.id();
                self.refused(extra, why, reply.request_id());
            }
            // A replay of the saved result may read.
            Err(None) => self.reversal_later(i, now, Some(reply)),
        }
    }

    /// Sends undoing `i` again later, or settles it by a lookup when its window closes.
    fn reversal_later(&mut self, i: usize, now: Millis, reply: Option<&Reply<'_>>) {
        let options = self.options;
        let Some(op) = self.op_mut(i) else { return };
        if let Resend::WindowClosing = schedule(&mut op.key, &options, now, reply) {
            self.reversal_in_doubt(i, now);
        }
    }

    /// Undoing `i` is in doubt: retrieve its extra once the settle bound has passed.
    fn reversal_in_doubt(&mut self, i: usize, now: Millis) {
        let not_before = now.plus(self.options.settle_ms());
        if let Some(op) = self.op_mut(i) {
            op.state = OpState::Checking {
                not_before,
                page: KeyState::default(),
            };
        }
    }

    /// After the reply (or none) to the retrieval of undoing `i`'s extra.
    pub(super) fn after_lookup(&mut self, i: usize, now: Millis, reply: Option<&Reply<'_>>) {
        let options = self.options;
        let max_attempts = self.options.max_attempts();
        let Some(op) = self.op_mut(i) else { return };
        let extra = op.extra.id();
        let Some(reply) = reply.filter(|r| (200..300).contains(&r.status())) else {
            if ask_again(reply) {
                if let OpState::Checking { page, .. } = &mut op.state {
                    page.first_sent = None;
                    let _ = schedule(page, &options, now, reply);
                }
                return;
            }
            let detail = format!("Stripe refused the retrieval of {extra}");
            self.refused(extra, detail, reply.and_then(Reply::request_id));
            return;
        };
        match op.extra.undone(reply.body()) {
            Some(true) => op.state = OpState::Done(None),
            Some(false) if op.number < max_attempts => {
                // Settled and not undone: a new key for the same undoing.
                op.number = op.number.saturating_add(1);
                op.key = KeyState::default();
                op.state = OpState::Sending;
            }
            Some(false) => {
                let detail =
                    format!("{max_attempts} attempts to undo {extra} were made and none committed");
                self.refused(extra, detail, None);
            }
            None => {
                let detail = format!("the retrieved {extra} cannot be read");
                self.refused(extra, detail, reply.request_id());
            }
        }
    }

    /// Escalates an undoing that cannot be made.
    pub(super) fn refused(
        &mut self,
        extra: TransactionId,
        detail: String,
        request_id: Option<String>,
    ) {
        self.escalate(Escalation {
            reason: EscalationReason::ReversalRefused,
            detail,
            field: None,
            request_id,
            transfers: vec![extra],
        });
    }
}

/// The outcome once every extra is undone.
fn all_reversed(reversing: &Reversing) -> Outcome {
    let reversed = reversing
        .ops
        .iter()
        .map(|op| ReversedDuplicate {
            transfer: op.extra.id(),
            reversal: match op.state {
                OpState::Done(id) => id,
                _ => None,
            },
        })
        .collect();
    Outcome::Confirmed {
        transfer: reversing.transfer,
        payment: reversing.payment,
        by: ConfirmedBy::Search,
        reversed,
    }
}
