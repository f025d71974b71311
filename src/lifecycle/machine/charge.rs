//! A platform-managed service charge: looked for with Stripe's Charges search by the
//! debit's id in its metadata, and an extra one refunded.
//!
//! Sources: Stripe's API reference, "Search charges" (`GET /v1/charges/search`, `query`,
//! `limit` up to 100, `page` from the previous result's `next_page`; a `search_result`
//! object with `data`, `has_more`, `next_page`) and its freshness note, in two versions:
//! the API reference says data "is searchable in less than a minute" and "occasionally ...
//! up to an hour behind during outages"; the newer Search guide (/search, "Data
//! freshness") says "under 1 minute" and that propagation "could be delayed during an
//! outage", with no bound. The machine searches no earlier than the settle bound and never
//! less than an hour after the last send (docs/stripe-choices.md). "Create a refund"
//! (`POST /v1/refunds` with `charge` and `amount`) and "Retrieve a charge"
//! (`amount_refunded`). That the Payment a service charge returns is found by the Charges
//! search and refunded as a charge is our reading: Stripe's account-debit pages do not say.

use std::borrow::Cow;

use serde::Deserialize;

use crate::debit::input::DebitId;
use crate::lifecycle::reply::transfer::{Metadata, starts_as_object};
use crate::stripe::id::{ObjectKind, TransactionId};
use crate::value::currency::parse_currency;
use crate::value::money::Money;
use crate::value::time::Timestamp;

/// The least wait after the last send before a charge search: one hour, the freshness
/// bound the API reference gives for outages (the newer guide gives none; the settle bound,
/// 24 hours by default, is then what covers it).
pub(crate) const SEARCH_LAG_MS: u64 = 3_600_000;

/// The fields of a Charge (or of the Payment a service charge makes) the machine reads.
#[derive(Debug, Deserialize)]
struct ChargeBody<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    object: Cow<'a, str>,
    amount: i64,
    #[serde(default)]
    amount_refunded: i64,
    #[serde(borrow)]
    currency: Cow<'a, str>,
    #[serde(borrow, default)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow, default)]
    source_transfer: Option<crate::lifecycle::reply::expandable::Expandable<'a>>,
    #[serde(default)]
    created: Option<i64>,
}

/// A charge as Stripe returned it, checked: a `ch_` or `py_` id, a currency Stripe moves,
/// `0 <= amount_refunded <= amount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ChargeRecord {
    pub(crate) id: TransactionId,
    pub(crate) amount: Money,
    pub(crate) amount_refunded: Money,
    pub(crate) source_transfer: Option<TransactionId>,
    pub(crate) debit_id: Option<DebitId>,
    pub(crate) created: Option<Timestamp>,
}

impl ChargeRecord {
    /// Checks what was read.
    fn check(body: &ChargeBody<'_>) -> Result<ChargeRecord, String> {
        if body.object != "charge" {
            return Err(format!(
                "object: expected \"charge\", found \"{}\"",
                crate::value::text::quoted(&body.object)
            ));
        }
        let id = body
            .id
            .parse::<TransactionId>()
            .ok()
            .filter(|id| matches!(id.kind(), ObjectKind::Charge | ObjectKind::Payment))
            .ok_or_else(|| "id: not a charge or payment id".to_owned())?;
        let currency = parse_currency(&body.currency).map_err(|e| format!("currency: {e}"))?;
        let money =
            |minor| Money::from_minor(minor, currency).map_err(|e| format!("currency: {e}"));
        if !(0..=body.amount).contains(&body.amount_refunded) {
            return Err("amount_refunded: not between 0 and the amount".to_owned());
        }
        let source_transfer = match &body.source_transfer {
            None => None,
            Some(field) => Some(
                field
                    .as_id()
                    .and_then(|id| id.parse::<TransactionId>().ok())
                    .filter(|id| id.kind() == ObjectKind::Transfer)
                    .ok_or_else(|| "source_transfer: not a transfer id".to_owned())?,
            ),
        };
        let debit_id = match body
            .metadata
            .as_ref()
            .and_then(|m| m.account_debit_id.as_deref())
        {
            None => None,
            Some(text) => Some(
                text.parse::<DebitId>()
                    .map_err(|e| format!("metadata.account_debit_id: {e}"))?,
            ),
        };
        Ok(ChargeRecord {
            id,
            amount: money(body.amount)?,
            amount_refunded: money(body.amount_refunded)?,
            source_transfer,
            debit_id,
            created: body.created.map(Timestamp::from_unix),
        })
    }

    /// Reads one charge object.
    pub(crate) fn from_json(body: &[u8]) -> Result<ChargeRecord, String> {
        if !starts_as_object(body) {
            return Err("expected a JSON object".to_owned());
        }
        let body: ChargeBody<'_> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        ChargeRecord::check(&body)
    }

    /// The charge as the Stripe object it was read from (the fields read), for the
    /// machine's saved state.
    pub(crate) fn to_value(self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id.to_string(),
            "object": "charge",
            "amount": self.amount.minor(),
            "amount_refunded": self.amount_refunded.minor(),
            "currency": crate::value::currency::WireCode::of(self.amount.currency()).as_str(),
            "metadata": {"account_debit_id": self.debit_id.map(|d| d.to_string())},
            "source_transfer": self.source_transfer.map(|t| t.to_string()),
            "created": self.created.map(Timestamp::unix),
        })
    }

    /// Reads back [`ChargeRecord::to_value`].
    pub(crate) fn from_value(value: &serde_json::Value) -> Result<ChargeRecord, String> {
        let body = ChargeBody::deserialize(value).map_err(|e| e.to_string())?;
        ChargeRecord::check(&body)
    }
}

/// A page of the Charges search.
#[derive(Debug, Deserialize)]
struct SearchPage<'a> {
    #[serde(borrow)]
    object: Cow<'a, str>,
    #[serde(borrow)]
    data: Vec<ChargeBody<'a>>,
    has_more: bool,
    #[serde(borrow, default)]
    next_page: Option<Cow<'a, str>>,
}

/// A search page as read: the charges, and the token of the next page when more follow.
pub(crate) struct ChargePage {
    pub(crate) charges: Vec<ChargeRecord>,
    pub(crate) next_page: Option<String>,
}

/// Reads a `search_result` of charges. `has_more` must be a boolean, and a page that says
/// more follow must name the next.
pub(crate) fn read_search_page(body: &[u8]) -> Result<ChargePage, String> {
    if !starts_as_object(body) {
        return Err("expected a JSON object".to_owned());
    }
    let page: SearchPage<'_> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if page.object != "search_result" {
        return Err("object: expected \"search_result\"".to_owned());
    }
    let charges = page
        .data
        .iter()
        .enumerate()
        .map(|(i, body)| ChargeRecord::check(body).map_err(|e| format!("data[{i}].{e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let next_page = match (page.has_more, page.next_page) {
        (false, _) => None,
        (true, Some(token)) if !token.is_empty() => Some(token.into_owned()),
        (true, _) => return Err("has_more is true but next_page names no page".to_owned()),
    };
    Ok(ChargePage { charges, next_page })
}

/// The search query for the charges carrying `debit` in their metadata (Stripe's search
/// query language: `metadata['key']:'value'`, a quote in the value escaped with `\`).
pub(crate) fn query(debit: &DebitId) -> String {
    let value = debit.as_str().replace('\\', "\\\\").replace('\'', "\\'");
    format!("metadata['account_debit_id']:'{value}'")
}

impl super::DebitMachine {
    /// The Charges search's page after `token` (the first without one), on the platform.
    pub(super) fn charge_page_request(
        &self,
        token: Option<String>,
        act_by: super::Millis,
    ) -> super::HttpRequest {
        let mut params = vec![
            ("query".to_owned(), query(&self.plan.debit_id())),
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
    pub(super) fn take_charge_page(&mut self, now: super::Millis, page: ChargePage) {
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
