//! The Transfer reversal Stripe returns for a reversal request (Stripe's API reference,
//! "The Transfer Reversal object": `id`, `object: "transfer_reversal"`, `amount`,
//! `currency`, `transfer`, `metadata`, ...), read typed. `transfer` is expandable: the
//! Transfer's id, or the expanded Transfer, whose `id` is read.

use std::borrow::Cow;

use serde::Deserialize;

use super::ReversalPlan;
use crate::lifecycle::reply::TransferError;
use crate::lifecycle::reply::expandable::Expandable;
use crate::stripe::id::{ObjectKind, TransactionId};
use crate::value::currency::{WireCode, parse_currency};
use crate::value::money::Money;
use crate::value::text::quoted;

#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    object: Cow<'a, str>,
    amount: i64,
    #[serde(borrow)]
    currency: Cow<'a, str>,
    #[serde(borrow)]
    transfer: Expandable<'a>,
}

/// A Transfer reversal as Stripe returned it, checked: a `trr_` id, a currency Stripe
/// moves, the `tr_` transfer it reverses.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::ReversalRecord;
///
/// let body = br#"{"id": "trr_1", "object": "transfer_reversal", "amount": 200, "currency": "usd", "transfer": "tr_1"}"#;
/// let reversal = ReversalRecord::from_json(body)?;
/// assert_eq!((reversal.amount().minor(), reversal.transfer().as_str()), (200, "tr_1"));
/// # Ok::<(), stripe_account_debits::lifecycle::TransferError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReversalRecord {
    id: TransactionId,
    amount: Money,
    transfer: TransactionId,
}

impl ReversalRecord {
    /// Reads a Transfer reversal object from JSON bytes.
    ///
    /// # Errors
    ///
    /// [`TransferError`] naming the field that cannot be read.
    pub fn from_json(body: &[u8]) -> Result<ReversalRecord, TransferError> {
        if !crate::lifecycle::reply::transfer::starts_as_object(body) {
            return Err(TransferError::at("", "expected a JSON object"));
        }
        let body: Body<'_> = serde_json::from_slice(body).map_err(|e| TransferError::at("", e))?;
        if body.object != "transfer_reversal" {
            let found = quoted(&body.object);
            return Err(TransferError::at(
                "object",
                format_args!("expected \"transfer_reversal\", found \"{found}\""),
            ));
        }
        let id = id_of(&body.id, ObjectKind::TransferReversal, "id")?;
        let transfer = id_of(
            body.transfer.id("transfer")?,
            ObjectKind::Transfer,
            "transfer",
        )?;
        let currency =
            parse_currency(&body.currency).map_err(|e| TransferError::at("currency", e))?;
        let amount = Money::from_minor(body.amount, currency)
            .map_err(|e| TransferError::at("currency", e))?;
        Ok(ReversalRecord {
            id,
            amount,
            transfer,
        })
    }

    /// The reversal's id (`trr_...`).
    pub fn id(&self) -> TransactionId {
        self.id
    }

    /// The amount reversed.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The transfer reversed.
    pub fn transfer(&self) -> TransactionId {
        self.transfer
    }

    /// Whether this is the reversal `plan` asked for: its transfer, amount and currency.
    pub fn is_of(&self, plan: &ReversalPlan) -> bool {
        self.transfer == plan.transfer().id()
            && self.amount == plan.amount()
            && WireCode::of(self.amount.currency()) == WireCode::of(plan.amount().currency())
    }
}

/// `text` as an id of `kind`, or an error at `path`.
fn id_of(text: &str, kind: ObjectKind, path: &str) -> Result<TransactionId, TransferError> {
    text.parse::<TransactionId>()
        .ok()
        .filter(|id| id.kind() == kind)
        .ok_or_else(|| {
            TransferError::at(path, format_args!("not a {kind} id: \"{}\"", quoted(text)))
        })
}
