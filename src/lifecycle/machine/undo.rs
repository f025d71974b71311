//! What undoes one extra of a double debit: the reversal of an extra transfer, or the
//! refund of an extra service charge; its request, how it is retrieved once in doubt, and
//! how their replies are read.
//!
//! Sources: Stripe's API reference, "Create a transfer reversal", "Retrieve a transfer"
//! (`amount_reversed`), "Create a refund" (`charge`, `amount`; a `refund` object) and
//! "Retrieve a charge" (`amount_refunded`).

use super::charge::ChargeRecord;
use super::types::{HttpRequest, Millis};
use crate::lifecycle::reversal::ReversalRequest;
use crate::reader::{self, Field, Leaf, Path, fields};
use crate::stripe::expandable::{Expandable, required_id};
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};
use crate::stripe::metadata::DebitId;
use crate::stripe::reversal::ReversalRecord;
use crate::stripe::transfer::TransferRecord;

/// One extra of a double debit, and what undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Extra {
    /// An extra transfer, reversed on the connected account.
    Transfer {
        transfer: TransferRecord,
        request: ReversalRequest,
    },
    /// An extra service charge (its Payment on the platform), refunded on the platform.
    Charge {
        charge: ChargeRecord,
        platform: AccountId,
        debit: DebitId,
    },
}

fields! {
    /// A refund object, as far as the machine reads it (other fields skipped).
    struct RefundDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        "object" => object: Leaf<'de>,
        "amount" => amount: Leaf<'de>,
        "charge" => charge: Expandable<'de>,
    }
}

/// A refund's id, amount and charge, when `body` is a refund object with them.
fn read_refund(body: &[u8]) -> Option<(TransactionId, i64, TransactionId)> {
    let root = Path::Root;
    let doc: Field<RefundDoc<'_>> = reader::read_slice(body).ok()?;
    let doc = doc.get(&root).ok()?;
    let object = doc.object.required(&root.key("object")).ok()?;
    if object.str(&root).ok()? != "refund" {
        return None;
    }
    let id = doc.id.required(&root).ok()?.str(&root).ok()?;
    let id = id
        .parse::<TransactionId>()
        .ok()
        .filter(|id| matches!(id.kind(), ObjectKind::Refund | ObjectKind::PaymentRefund))?;
    let amount = doc.amount.required(&root).ok()?.i64(&root).ok()?;
    let charge = required_id(&doc.charge, &root).ok()?;
    let charge = charge.parse::<TransactionId>().ok()?;
    Some((id, amount, charge))
}

impl Extra {
    /// The extra's id (`tr_`, or the service charge's `py_` / `ch_`).
    pub(crate) fn id(&self) -> TransactionId {
        match self {
            Extra::Transfer { transfer, .. } => transfer.id(),
            Extra::Charge { charge, .. } => charge.id,
        }
    }

    /// What is undone, in minor units: the reversal's amount, or all that is not refunded.
    pub(crate) fn amount(&self) -> i64 {
        match self {
            Extra::Transfer { request, .. } => request.amount.parse().unwrap_or(0),
            Extra::Charge { charge, .. } => {
                let left = charge.amount.checked_sub(charge.amount_refunded);
                left.map_or(0, |left| left.minor())
            }
        }
    }

    /// What was already undone when the search found it.
    fn undone_before(&self) -> i64 {
        match self {
            Extra::Transfer { transfer, .. } => transfer.amount_reversed().minor(),
            Extra::Charge { charge, .. } => charge.amount_refunded.minor(),
        }
    }

    /// The `POST` of attempt `number` (a later attempt's key ends with `#<number>`).
    pub(crate) fn request(&self, number: u32, act_by: Millis) -> HttpRequest {
        let suffix = if number > 1 {
            format!("#{number}")
        } else {
            String::new()
        };
        match self {
            Extra::Transfer { request, .. } => HttpRequest {
                method: "POST",
                path: request.path().to_owned(),
                stripe_account: Some(request.stripe_account.clone()),
                idempotency_key: Some(format!("{}{suffix}", request.idempotency_key())),
                params: request
                    .form()
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                act_by,
            },
            Extra::Charge {
                charge,
                platform,
                debit,
            } => HttpRequest {
                method: "POST",
                path: "/v1/refunds".to_owned(),
                stripe_account: None,
                idempotency_key: Some(format!(
                    "account-debit-refund:{platform}:{}{suffix}",
                    charge.id
                )),
                params: vec![
                    ("charge".to_owned(), charge.id.to_string()),
                    ("amount".to_owned(), self.amount().to_string()),
                    ("metadata[account_debit_id]".to_owned(), debit.to_string()),
                ],
                act_by,
            },
        }
    }

    /// The `GET` that retrieves the extra, to see whether it was undone.
    pub(crate) fn lookup(&self, act_by: Millis) -> HttpRequest {
        let (path, stripe_account) = match self {
            Extra::Transfer { transfer, request } => (
                format!("/v1/transfers/{}", transfer.id()),
                Some(request.stripe_account.clone()),
            ),
            Extra::Charge { charge, .. } => (format!("/v1/charges/{}", charge.id), None),
        };
        HttpRequest {
            method: "GET",
            path,
            stripe_account,
            idempotency_key: None,
            params: Vec::new(),
            act_by,
        }
    }

    /// Reads a 2xx to the `POST`: the reversal's or refund's id when it is the one asked
    /// for; `Err(None)` when the body cannot be read (a resend replays it), `Err(Some(why))`
    /// when it is another.
    pub(crate) fn accept(&self, body: &[u8]) -> Result<TransactionId, Option<String>> {
        let (id, amount, of) = match self {
            Extra::Transfer { .. } => {
                let record = ReversalRecord::from_json(body).map_err(|_| None)?;
                (record.id(), record.amount().minor(), record.transfer())
            }
            Extra::Charge { .. } => read_refund(body).ok_or(None)?,
        };
        if of == self.id() && amount == self.amount() {
            return Ok(id);
        }
        Err(Some(format!(
            "Stripe returned {id} of {amount} for {of}, where {} of {} was asked for",
            self.amount(),
            self.id()
        )))
    }

    /// Reads the retrieved extra: whether what was asked for is undone (`None`: the body
    /// cannot be read).
    pub(crate) fn undone(&self, body: &[u8]) -> Option<bool> {
        let now = match self {
            Extra::Transfer { .. } => TransferRecord::from_json(body)
                .ok()?
                .amount_reversed()
                .minor(),
            Extra::Charge { .. } => ChargeRecord::from_json(body).ok()?.amount_refunded.minor(),
        };
        let wanted = self.undone_before().checked_add(self.amount())?;
        Some(now >= wanted)
    }
}
