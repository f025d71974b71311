//! The Transfer reversal Stripe returns for a reversal request (Stripe's API reference,
//! "The Transfer Reversal object": `id`, `object: "transfer_reversal"`, `amount`,
//! `currency`, `transfer`, `metadata`, ...), read by the crate's one reader. `transfer` is
//! expandable: the Transfer's id, or the expanded Transfer, whose `id` is read.

use super::expandable::{Expandable, required_id};
use super::id::{ObjectKind, TransactionId};
use crate::reader::{self, Field, Leaf, Path, ReadError, ReadErrorKind as Kind, fields};
use crate::value::currency::parse_currency;
use crate::value::money::Money;
use crate::value::text::quoted;

fields! {
    /// Stripe's Transfer reversal object: the fields read.
    struct ReversalDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        "object" => object: Leaf<'de>,
        "amount" => amount: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
        "transfer" => transfer: Expandable<'de>,
    }
}

/// A Transfer reversal as Stripe returned it, checked: a `trr_` id, a currency Stripe
/// moves, the `tr_` transfer it reverses.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::ReversalRecord;
///
/// let body = br#"{"id": "trr_1", "object": "transfer_reversal", "amount": 200, "currency": "usd", "transfer": "tr_1"}"#;
/// let reversal = ReversalRecord::from_json(body)?;
/// assert_eq!((reversal.amount().minor(), reversal.transfer().as_str()), (200, "tr_1"));
/// # Ok::<(), stripe_account_debits::json::ReadError>(())
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
    /// A [`ReadError`] naming the field that cannot be read.
    pub fn from_json(body: &[u8]) -> Result<ReversalRecord, ReadError> {
        let field: Field<ReversalDoc<'_>> = reader::read_slice(body)?;
        let root = Path::Root;
        let doc = field.get(&root)?;
        let at = |key| root.key(key);
        let object = doc.object.required(&at("object"))?.str(&at("object"))?;
        if object != "transfer_reversal" {
            let found = quoted(object);
            return Err(ReadError::at(
                Kind::Invalid,
                &at("object"),
                format_args!("expected \"transfer_reversal\", found \"{found}\""),
            ));
        }
        let id = doc.id.required(&at("id"))?.str(&at("id"))?;
        let id = id_of(id, ObjectKind::TransferReversal, &at("id"))?;
        let transfer = required_id(&doc.transfer, &at("transfer"))?;
        let transfer = id_of(transfer, ObjectKind::Transfer, &at("transfer"))?;
        let currency = doc
            .currency
            .required(&at("currency"))?
            .str(&at("currency"))?;
        let currency = parse_currency(currency)
            .map_err(|e| ReadError::at(Kind::Invalid, &at("currency"), e))?;
        let amount = doc.amount.required(&at("amount"))?.i64(&at("amount"))?;
        let amount = Money::from_minor(amount, currency)
            .map_err(|e| ReadError::at(Kind::Invalid, &at("currency"), e))?;
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
}

/// `text` as an id of `kind`, or an error at `path`.
fn id_of(text: &str, kind: ObjectKind, path: &Path<'_>) -> Result<TransactionId, ReadError> {
    text.parse::<TransactionId>()
        .ok()
        .filter(|id| id.kind() == kind)
        .ok_or_else(|| {
            ReadError::at(
                Kind::Invalid,
                path,
                format_args!("not a {kind} id: \"{}\"", quoted(text)),
            )
        })
}
