//! Looking for the debit once it is in doubt, after the settle bound: its transfers,
//! `GET /v1/transfers` on the connected account, bounded by the destination and
//! `created[gte]`, read to the last page; or, for a service charge, the Charges search by
//! its metadata (see `charge`).
//!
//! Source: Stripe's API reference, "List all transfers": filters `created`, `destination`,
//! `limit` (at most 100), `starting_after`; a list object
//! `{"object": "list", "data": [...], "has_more": bool}`, newest first. There is no
//! metadata filter, so the pages are read whole and the debit's id matched here.

use super::charge::{ChargeRecord, read_search_page};
use super::key::{Resend, ask_again, schedule};
use super::reverse::{ReversalOp, Reversing};
use super::types::{Action, ConfirmedBy, Escalation, EscalationReason, HttpRequest, Millis};
use super::undo::Extra;
use super::{DebitMachine, KeyState, Out, Outcome, Phase};
use crate::debit::plan::Method;
use crate::lifecycle::found::{Found, find_debit};
use crate::lifecycle::reply::Reply;
use crate::stripe::balance::Balance;
use crate::stripe::error::StripeError;
use crate::stripe::id::TransactionId;
use crate::stripe::list::TransferList;
use crate::stripe::transfer::TransferRecord;
use crate::value::currency::WireCode;
use crate::value::money::Money;
use crate::value::text::quoted;

/// The most transfers a page holds (Stripe's maximum `limit`).
const PAGE_LIMIT: &str = "100";

/// A search under way.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Search {
    /// Not before this time (the settle bound, or a backoff).
    pub(crate) not_before: Millis,
    /// The last transfer of the last page read, for `starting_after`.
    pub(crate) cursor: Option<TransactionId>,
    /// The transfers carrying the debit's id, so far.
    pub(crate) found: Vec<TransferRecord>,
    /// For a service charge: the charges carrying the debit's id, so far.
    pub(crate) charges: Vec<ChargeRecord>,
    /// For a service charge: the search's token of the next page.
    pub(crate) page_token: Option<String>,
    /// The sends of the current page, for its backoff.
    pub(crate) page: KeyState,
}

impl Search {
    /// A search from the first page, at `not_before`.
    pub(crate) fn after(not_before: Millis) -> Search {
        Search {
            not_before,
            cursor: None,
            found: Vec::new(),
            charges: Vec::new(),
            page_token: None,
            page: KeyState::default(),
        }
    }
}

impl DebitMachine {
    /// The action while searching.
    pub(super) fn decide_search(&mut self, now: Millis) -> Option<Action> {
        let Phase::Searching(search) = &self.phase else {
            return None;
        };
        let wait = search
            .page
            .next_at
            .map_or(search.not_before, |at| at.max(search.not_before));
        if now < wait {
            return Some(Action::Wait {
                until: wait,
                jitter_ms: search.page.jitter_ms,
            });
        }
        let act_by = self.act_by(now, None);
        let request = match self.plan.method() {
            Method::Transfer => self.page_request(search.cursor, act_by),
            Method::Charge => self.charge_page_request(search.page_token.clone(), act_by),
        };
        self.ask(Out::Page, now, request.act_by);
        if let Phase::Searching(search) = &mut self.phase {
            search.page.sent(now);
        }
        Some(Action::List(request))
    }

    /// The request of a page after `cursor`.
    fn page_request(&self, cursor: Option<TransactionId>, act_by: Millis) -> HttpRequest {
        let transfer = self.plan.transfer();
        let first = self
            .attempts
            .first()
            .and_then(|key| key.first_sent)
            .unwrap_or(act_by)
            .minus(self.options.clock_skew_ms());
        let mut params = vec![
            ("destination".to_owned(), transfer.destination().to_string()),
            ("created[gte]".to_owned(), first.timestamp().to_string()),
            ("limit".to_owned(), PAGE_LIMIT.to_owned()),
        ];
        if let Some(cursor) = cursor {
            params.push(("starting_after".to_owned(), cursor.to_string()));
        }
        HttpRequest {
            method: "GET",
            path: "/v1/transfers".to_owned(),
            stripe_account: Some(transfer.account().to_string()),
            idempotency_key: None,
            params,
            act_by,
        }
    }

    /// After the reply (or none) to a page.
    pub(super) fn after_page(&mut self, now: Millis, reply: Option<&Reply<'_>>) {
        let success = reply.filter(|r| (200..300).contains(&r.status()));
        if let Some(reply) = success.filter(|_| self.plan.method() == Method::Charge) {
            match read_search_page(reply.body()) {
                Ok(page) => self.take_charge_page(now, page),
                Err(why) => self.search_failed(
                    format!("the charge search cannot be read: {}", quoted(&why)),
                    Some(reply),
                ),
            }
            return;
        }
        if let Some(reply) = success {
            // A page whose `has_more` is not a boolean is refused: a list whose end cannot
            // be known is not a list to conclude from.
            match TransferList::from_json(reply.body()) {
                Ok(page) => self.take_page(now, &page),
                Err(why) => self.search_failed(
                    format!("the transfer list cannot be read: {why}"),
                    Some(reply),
                ),
            }
            return;
        }
        // A GET moves nothing: anything the clients would retry is asked again later.
        let options = self.options;
        if let (true, Phase::Searching(search)) = (ask_again(reply), &mut self.phase) {
            // A GET has no key window: its sends are only counted, for the backoff.
            search.page.first_sent = None;
            let scheduled = schedule(&mut search.page, &options, now, reply);
            debug_assert!(matches!(scheduled, Resend::Scheduled));
            return;
        }
        let error = reply
            .map(|r| StripeError::from_body(r.body()))
            .unwrap_or_default();
        self.search_failed(format!("Stripe refused the transfer list: {error}"), reply);
    }

    /// Adds a page's transfers of this debit; reads on or concludes.
    fn take_page(&mut self, now: Millis, page: &TransferList) {
        let debit = self.plan.debit_id();
        let Phase::Searching(search) = &mut self.phase else {
            return;
        };
        for transfer in page.transfers() {
            let mine = transfer.debit_id() == Some(debit);
            if mine && !search.found.iter().any(|t| t.id() == transfer.id()) {
                search.found.push(*transfer);
            }
        }
        if page.complete() {
            let found = core::mem::take(&mut search.found);
            self.conclude(found);
            return;
        }
        match page.transfers().last() {
            Some(last) => {
                search.cursor = Some(last.id());
                search.page = KeyState::default();
                search.not_before = now;
            }
            None => self.search_failed(
                "the transfer list says more follow, but its page is empty".to_owned(),
                None,
            ),
        }
    }

    /// Every page read: found once, more than once, or nowhere.
    fn conclude(&mut self, found: Vec<TransferRecord>) {
        let funds = received(&found);
        match find_debit(&self.input, &TransferList::new(found), &funds) {
            Found::Found(transfer) => {
                if self.mismatched(transfer.id(), transfer.amount()) {
                    return;
                }
                self.phase = Phase::Done(Outcome::Confirmed {
                    transfer: transfer.id(),
                    payment: transfer.destination_payment(),
                    by: ConfirmedBy::Search,
                    reversed: Vec::new(),
                });
            }
            Found::Duplicated { kept, extras, .. } => {
                if self.mismatched(kept.id(), kept.amount()) {
                    return;
                }
                let mut ops = Vec::with_capacity(extras.len());
                for extra in extras {
                    match extra.reversal {
                        Ok(plan) => ops.push(ReversalOp::new(Extra::Transfer {
                            transfer: extra.transfer,
                            request: plan.request(),
                        })),
                        Err(rejection) => {
                            let id = extra.transfer.id();
                            let detail = format!(
                                "the extra transfer {id} of a double debit cannot be reversed: {rejection}"
                            );
                            self.refused(id, detail, None);
                            return;
                        }
                    }
                }
                self.phase = Phase::Reversing(Box::new(Reversing {
                    transfer: kept.id(),
                    payment: kept.destination_payment(),
                    ops,
                }));
            }
            // Every attempt was sent before the settle bound began, and none committed:
            // a new key is safe.
            _ => {
                self.next_attempt();
            }
        }
    }

    /// Escalates when `id` (a transfer or charge found) carries the debit's id but not its
    /// amount or currency.
    pub(super) fn mismatched(&mut self, id: TransactionId, got: Money) -> bool {
        let planned = self.plan.transfer().amount();
        let same = got == planned;
        if !same {
            self.escalate(Escalation {
                reason: EscalationReason::Mismatch,
                detail: format!(
                    "{} carries this debit's id with {} {} where {} {} was planned",
                    id,
                    got.minor(),
                    WireCode::of(got.currency()).as_str(),
                    planned.minor(),
                    WireCode::of(planned.currency()).as_str(),
                ),
                field: Some(crate::lifecycle::reply::MismatchField::Amount),
                request_id: None,
                transfers: vec![id],
            });
        }
        !same
    }

    /// Stops the search for a person.
    pub(super) fn search_failed(&mut self, detail: String, reply: Option<&Reply<'_>>) {
        self.escalate(Escalation {
            reason: EscalationReason::SearchFailed,
            detail,
            field: None,
            request_id: reply.and_then(Reply::request_id),
            transfers: Vec::new(),
        });
    }
}

/// What the platform is known to have received from the transfers found: their sum, per
/// currency. The machine does not read the platform's balance; it plans a double debit's
/// reversals against what the double debit itself brought in, and a reversal Stripe
/// refuses for want of funds escalates (`reversal_refused`).
pub(crate) fn received(found: &[TransferRecord]) -> Balance {
    let mut funds = Balance::empty();
    for transfer in found {
        let remaining = transfer.remaining();
        let sum = funds
            .available(remaining.currency())
            .map_or(Some(remaining), |so_far| so_far.checked_add(remaining));
        debug_assert!(sum.is_some(), "a sum of transfers fits");
        if let Some(sum) = sum {
            funds.set_available(sum);
        }
    }
    funds
}

impl DebitMachine {
    /// The Charges search's page after `token` (the first without one), on the platform.
    pub(super) fn charge_page_request(
        &self,
        token: Option<String>,
        act_by: super::Millis,
    ) -> super::HttpRequest {
        let mut params = vec![
            (
                "query".to_owned(),
                super::charge::query(&self.plan.debit_id()),
            ),
            ("limit".to_owned(), "100".to_owned()),
        ];
        if let Some(token) = token {
            params.push(("page".to_owned(), token));
        }
        super::HttpRequest {
            method: "GET",
            path: "/v1/charges/search".to_owned(),
            stripe_account: None,
            idempotency_key: None,
            params,
            act_by,
        }
    }

    /// Adds a search page's charges of this debit; reads on or concludes.
    pub(super) fn take_charge_page(&mut self, now: super::Millis, page: super::charge::ChargePage) {
        let debit = self.plan.debit_id();
        let super::Phase::Searching(search) = &mut self.phase else {
            return;
        };
        for charge in page.charges {
            let mine = charge.debit_id == Some(debit);
            if mine && !search.charges.iter().any(|c| c.id == charge.id) {
                search.charges.push(charge);
            }
        }
        match page.next_page {
            Some(token) => {
                search.page_token = Some(token);
                search.page = super::KeyState::default();
                search.not_before = now;
            }
            None => {
                let found = core::mem::take(&mut search.charges);
                self.conclude_charges(found);
            }
        }
    }

    /// Every page read: the charge found once, more than once (the later ones refunded),
    /// or nowhere (a new key).
    fn conclude_charges(&mut self, mut found: Vec<ChargeRecord>) {
        // The first created first (one without `created` last), then by id.
        found.sort_by_key(|c| (c.created.is_none(), c.created, c.id));
        let mut found = found.into_iter();
        let Some(kept) = found.next() else {
            self.next_attempt();
            return;
        };
        let extras: Vec<ChargeRecord> = found.collect();
        if core::iter::once(&kept)
            .chain(&extras)
            .any(|c| self.mismatched(c.id, c.amount))
        {
            return;
        }
        let Some(transfer) = kept.source_transfer else {
            self.escalate(super::Escalation {
                reason: super::EscalationReason::Mismatch,
                detail: format!("the charge {} found names no source_transfer", kept.id),
                field: Some(crate::lifecycle::reply::MismatchField::SourceTransfer),
                request_id: None,
                transfers: vec![kept.id],
            });
            return;
        };
        let platform = self.plan.transfer().destination();
        let debit = self.plan.debit_id();
        let ops: Vec<super::reverse::ReversalOp> = extras
            .into_iter()
            .map(|charge| {
                super::reverse::ReversalOp::new(super::undo::Extra::Charge {
                    charge,
                    platform,
                    debit,
                })
            })
            .collect();
        self.phase = super::Phase::Reversing(Box::new(super::reverse::Reversing {
            transfer,
            payment: Some(kept.id),
            ops,
        }));
    }
}

impl DebitMachine {
    /// The debit is in doubt: search once the settle bound has passed from now (every
    /// send was made by now).
    pub(super) fn in_doubt(&mut self, now: Millis) {
        let mut wait = self.options.settle_ms();
        if self.plan.method() == Method::Charge {
            // The Charges search lags writes (see `charge`).
            wait = wait.max(super::charge::SEARCH_LAG_MS);
        }
        self.phase = Phase::Searching(Box::new(Search::after(now.plus(wait))));
    }
}
