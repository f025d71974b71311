//! Undoing a double debit: each extra transfer is reversed by a `POST` with its own key,
//! sent by the same rules as the debit's; a reversal in doubt is settled by retrieving the
//! transfer and reading its `amount_reversed`.
//!
//! Source: Stripe's API reference, "Create a transfer reversal" and "Retrieve a transfer"
//! (`amount_reversed`: "Amount in cents reversed (can be less than the amount attribute on
//! the transfer if a partial reversal was issued)").

use super::send::{KeyStep, Resend, judge, key_step, schedule};
use super::types::{
    Action, ConfirmedBy, Escalation, EscalationReason, HttpRequest, Millis, ReversedDuplicate,
};
use super::{DebitMachine, KeyState, Out, Outcome, Phase};
use crate::lifecycle::found::Duplicate;
use crate::lifecycle::reply::{Next, Reply};
use crate::lifecycle::reversal::ReversalRequest;
use crate::stripe::id::TransactionId;
use crate::stripe::reversal::ReversalRecord;
use crate::stripe::transfer::TransferRecord;

/// The reversal of one extra transfer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReversalOp {
    /// The extra transfer, as the search found it.
    pub(crate) transfer: TransferRecord,
    /// Its reversal's request (attempt `number`'s key).
    pub(crate) request: ReversalRequest,
    /// Which attempt of this reversal (a new key after one proven not made).
    pub(crate) number: u32,
    /// The sends of its key.
    pub(crate) key: KeyState,
    /// Where it is.
    pub(crate) state: OpState,
}

/// Where a reversal is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum OpState {
    /// Being sent.
    Sending,
    /// In doubt: retrieve the transfer at `not_before` (its sends counted in `page`).
    Checking { not_before: Millis, page: KeyState },
    /// Done (the reversal's id, when a reply named it).
    Done(Option<TransactionId>),
}

/// The double debit being undone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Reversing {
    /// The transfer kept (the first created).
    pub(crate) kept: TransferRecord,
    /// The extra transfers' reversals.
    pub(crate) ops: Vec<ReversalOp>,
}

/// Attempt `number` of the reversal of `request`: the first is the planned request; a
/// later one the same with `#<number>` after the reversal id in its key.
pub(crate) fn with_number(request: &ReversalRequest, number: u32) -> ReversalRequest {
    let mut request = request.clone();
    if number > 1 {
        request.idempotency_key = format!("{}#{number}", request.idempotency_key);
    }
    request
}

impl DebitMachine {
    /// Starts undoing a double debit; escalates when an extra cannot be reversed.
    pub(super) fn reverse(&mut self, kept: TransferRecord, extras: Vec<Duplicate>) {
        let mut ops = Vec::with_capacity(extras.len());
        for extra in extras {
            match extra.reversal {
                Ok(plan) => ops.push(ReversalOp {
                    transfer: extra.transfer,
                    request: plan.request(),
                    number: 1,
                    key: KeyState::default(),
                    state: OpState::Sending,
                }),
                Err(rejection) => {
                    let why: Vec<String> = rejection
                        .violations()
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    self.refused(
                        extra.transfer.id(),
                        format!(
                            "the extra transfer {} of a double debit cannot be reversed: {}",
                            extra.transfer.id(),
                            why.join("; ")
                        ),
                        None,
                    );
                    return;
                }
            }
        }
        self.phase = Phase::Reversing(Box::new(Reversing { kept, ops }));
    }

    /// The action while reversing.
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
                let request = self.lookup_request(op, self.act_by(now, None));
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
                    let request = reversal_http(&with_number(&op.request, op.number), act_by);
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

    /// The reversal op `i`.
    fn op_mut(&mut self, i: usize) -> Option<&mut ReversalOp> {
        match &mut self.phase {
            Phase::Reversing(reversing) => reversing.ops.get_mut(i),
            _ => None,
        }
    }

    /// `GET /v1/transfers/{id}` on the connected account.
    fn lookup_request(&self, op: &ReversalOp, act_by: Millis) -> HttpRequest {
        HttpRequest {
            method: "GET",
            path: format!("/v1/transfers/{}", op.transfer.id()),
            stripe_account: Some(op.request.stripe_account.clone()),
            idempotency_key: None,
            params: Vec::new(),
            act_by,
        }
    }

    /// After the reply (or none) to reversal `i`'s send.
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
        let success = reply.filter(|r| (200..300).contains(&r.status()));
        if let Some(reply) = success {
            self.reversal_replied(i, now, reply);
            return;
        }
        // Not a 2xx: the debit's own rules say what the status means (the plan is only
        // read for a 2xx).
        let number = self.attempt();
        let Some(op) = self.op_mut(i) else { return };
        let key = op.key.clone();
        let transfer = op.transfer.id();
        match judge(self, number, &key, now, reply) {
            Next::Retry { .. } => self.reversal_later(i, now, reply),
            Next::Failed(failure) => self.refused(
                transfer,
                format!(
                    "Stripe refused the reversal of the extra transfer {transfer}: {}",
                    failure.error
                ),
                failure.request_id.clone(),
            ),
            _ => self.reversal_in_doubt(i, now),
        }
    }

    /// A 2xx to a reversal: the planned reversal, or something to send again for.
    fn reversal_replied(&mut self, i: usize, now: Millis, reply: &Reply<'_>) {
        let Some(op) = self.op_mut(i) else { return };
        let planned = op.request.amount.clone();
        match ReversalRecord::from_json(reply.body()) {
            Ok(record)
                if record.transfer() == op.transfer.id()
                    && record.amount().minor().to_string() == planned =>
            {
                op.state = OpState::Done(Some(record.id()));
            }
            Ok(record) => {
                let transfer = op.transfer.id();
                self.refused(transfer, format!(
                    "Stripe returned reversal {} of {} for {}, where {planned} of {transfer} was planned",
                    record.id(),
                    record.amount().minor(),
                    record.transfer()
                ), reply.request_id());
            }
            // A replay of the saved result may read.
            Err(_) => self.reversal_later(i, now, Some(reply)),
        }
    }

    /// Sends reversal `i` again later, or settles it by a lookup when its window closes.
    fn reversal_later(&mut self, i: usize, now: Millis, reply: Option<&Reply<'_>>) {
        let options = self.options;
        let Some(op) = self.op_mut(i) else { return };
        if let Resend::WindowClosing = schedule(&mut op.key, &options, now, reply) {
            self.reversal_in_doubt(i, now);
        }
    }

    /// Reversal `i` is in doubt: retrieve its transfer once the settle bound has passed.
    fn reversal_in_doubt(&mut self, i: usize, now: Millis) {
        let not_before = now.plus(self.options.settle_ms());
        if let Some(op) = self.op_mut(i) {
            op.state = OpState::Checking {
                not_before,
                page: KeyState::default(),
            };
        }
    }

    /// After the reply (or none) to the retrieval of reversal `i`'s transfer.
    pub(super) fn after_lookup(&mut self, i: usize, now: Millis, reply: Option<&Reply<'_>>) {
        let options = self.options;
        let max_attempts = self.options.max_attempts();
        let Some(op) = self.op_mut(i) else { return };
        let success = reply.filter(|r| (200..300).contains(&r.status()));
        let Some(reply) = success else {
            if super::search::ask_again(reply) {
                if let OpState::Checking { page, .. } = &mut op.state {
                    page.first_sent = None;
                    let _ = schedule(page, &options, now, reply);
                }
                return;
            }
            let transfer = op.transfer.id();
            self.refused(
                transfer,
                format!("Stripe refused the retrieval of transfer {transfer}"),
                reply.and_then(Reply::request_id),
            );
            return;
        };
        let Ok(now_record) = TransferRecord::from_json(reply.body()) else {
            let transfer = op.transfer.id();
            self.refused(
                transfer,
                format!("the retrieved transfer {transfer} cannot be read"),
                reply.request_id(),
            );
            return;
        };
        let before = op.transfer.amount_reversed().minor();
        let wanted = op
            .request
            .amount
            .parse::<i64>()
            .ok()
            .and_then(|a| before.checked_add(a));
        if wanted.is_some_and(|wanted| now_record.amount_reversed().minor() >= wanted) {
            op.state = OpState::Done(None);
        } else if op.number < max_attempts {
            // Settled and not reversed: a new key for the same reversal.
            op.number = op.number.saturating_add(1);
            op.key = KeyState::default();
            op.state = OpState::Sending;
        } else {
            let transfer = op.transfer.id();
            self.refused(transfer, format!("{max_attempts} attempts to reverse transfer {transfer} were made and none committed"), None);
        }
    }

    /// Escalates a reversal that cannot be made.
    fn refused(&mut self, transfer: TransactionId, detail: String, request_id: Option<String>) {
        self.escalate(Escalation {
            reason: EscalationReason::ReversalRefused,
            detail,
            field: None,
            request_id,
            transfers: vec![transfer],
        });
    }
}

/// The outcome once every extra transfer is reversed.
fn all_reversed(reversing: &Reversing) -> Outcome {
    let reversed = reversing
        .ops
        .iter()
        .map(|op| ReversedDuplicate {
            transfer: op.transfer.id(),
            reversal: match op.state {
                OpState::Done(id) => id,
                _ => None,
            },
        })
        .collect();
    Outcome::Confirmed {
        transfer: reversing.kept.id(),
        payment: reversing.kept.destination_payment(),
        by: ConfirmedBy::Search,
        reversed,
    }
}

/// A reversal's request as the machine hands it out.
fn reversal_http(request: &ReversalRequest, act_by: Millis) -> HttpRequest {
    HttpRequest {
        method: "POST",
        path: request.path().to_owned(),
        stripe_account: Some(request.stripe_account.clone()),
        idempotency_key: Some(request.idempotency_key().to_owned()),
        params: request
            .form()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        act_by,
    }
}
