//! A Transfer object as Stripe returns it (Stripe's API reference, "The Transfer object":
//! `id`, `object: "transfer"`, `amount`, `amount_reversed`, `currency`, `destination`,
//! `destination_payment`, `metadata`, `reversed`, `created`, ...), read by the crate's one
//! reader: [`TransferDoc`] declares the fields read (any other is skipped),
//! [`TransferBody`] is what a reply's decision compares, and [`TransferRecord`] the checked
//! record. `destination`, `destination_payment` and (on a Payment) `source_transfer` are
//! expandable: each may be an id or the expanded object, whose `id` is read
//! ([`Expandable`]); `balance_transaction`, also expandable, is not read at all.

use iso_currency::Currency;

use super::expandable::{Expandable, optional_id};
use super::id::{AccountId, ObjectKind, TransactionId};
use super::metadata::{DEBIT_ID_METADATA_KEY, DebitId};
use crate::reader::{self, Field, Leaf, Path, ReadError, ReadErrorKind as Kind, fields};
use crate::value::currency::parse_currency;
use crate::value::money::Money;
use crate::value::text::quoted;
use crate::value::time::Timestamp;

fields! {
    /// Stripe's Transfer object (and the Payment a charge returns, which has the same
    /// fields the crate reads): the fields read.
    pub(crate) struct TransferDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        "object" => object: Leaf<'de>,
        "amount" => amount: Leaf<'de>,
        "amount_reversed" => amount_reversed: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
        "destination" => destination: Expandable<'de>,
        "destination_payment" => destination_payment: Expandable<'de>,
        "metadata" => metadata: Field<MetadataDoc<'de>>,
        "reversed" => reversed: Leaf<'de>,
        "created" => created: Leaf<'de>,
        /// On the Payment a charge of a platform-managed account returns: the Transfer on
        /// the connected account it came from.
        "source_transfer" => source_transfer: Expandable<'de>,
    }
}

fields! {
    /// A Transfer's `metadata`: the one key this crate reads ([`DEBIT_ID_METADATA_KEY`]).
    pub(crate) struct MetadataDoc<'de> {
        unknown: skipped;
        "account_debit_id" => account_debit_id: Leaf<'de>,
    }
}

/// The debit id in the `metadata` of the object at `path` (a Transfer's, or a Charge's,
/// read with the same declaration), as sent, when there is one.
pub(crate) fn metadata_debit_id<'a>(
    metadata: &'a Field<MetadataDoc<'_>>,
    path: &Path<'_>,
) -> Result<Option<&'a str>, ReadError> {
    let metadata_path = path.key("metadata");
    match metadata.optional(&metadata_path)? {
        Some(metadata) => metadata
            .account_debit_id
            .optional_str(&metadata_path.key("account_debit_id")),
        None => Ok(None),
    }
}

// The declared metadata key is the one the request writes.
const _: () = assert!(matches!(
    DEBIT_ID_METADATA_KEY.as_bytes(),
    b"account_debit_id"
));

/// A Transfer as read, each field of the type Stripe gives it, borrowed from the document:
/// what a reply's decision compares with the plan. Nothing is judged yet.
#[derive(Debug)]
pub(crate) struct TransferBody<'a> {
    pub(crate) id: &'a str,
    pub(crate) object: &'a str,
    pub(crate) amount: i64,
    pub(crate) amount_reversed: i64,
    pub(crate) currency: &'a str,
    destination: Option<&'a str>,
    destination_payment: Option<&'a str>,
    debit_id: Option<&'a str>,
    pub(crate) reversed: bool,
    pub(crate) created: Option<i64>,
    source_transfer: Option<&'a str>,
}

impl<'a> TransferBody<'a> {
    /// The Transfer read at `path`: its `id`, `object` and `currency` must be strings,
    /// `amount` an integer, the others of their types when present, and its expandable
    /// fields ids or objects with one.
    pub(crate) fn of(
        doc: &'a TransferDoc<'_>,
        path: &Path<'_>,
    ) -> Result<TransferBody<'a>, ReadError> {
        let at = |key| path.key(key);
        let debit_id = metadata_debit_id(&doc.metadata, path)?;
        Ok(TransferBody {
            id: doc.id.required(&at("id"))?.str(&at("id"))?,
            object: doc.object.required(&at("object"))?.str(&at("object"))?,
            amount: doc.amount.required(&at("amount"))?.i64(&at("amount"))?,
            amount_reversed: match &doc.amount_reversed {
                Leaf::Absent => 0,
                given => given.i64(&at("amount_reversed"))?,
            },
            currency: doc
                .currency
                .required(&at("currency"))?
                .str(&at("currency"))?,
            destination: optional_id(&doc.destination, &at("destination"))?,
            destination_payment: optional_id(&doc.destination_payment, &at("destination_payment"))?,
            debit_id,
            reversed: match &doc.reversed {
                Leaf::Absent => false,
                Leaf::Bool(reversed) => *reversed,
                other => return Err(other.type_error(&at("reversed"), "a boolean")),
            },
            created: match doc.created.present() {
                None => None,
                Some(created) => Some(created.i64(&at("created"))?),
            },
            source_transfer: optional_id(&doc.source_transfer, &at("source_transfer"))?,
        })
    }

    /// The debit id in the metadata, as sent.
    pub(crate) fn debit_id(&self) -> Option<&'a str> {
        self.debit_id
    }

    /// `destination`'s id (given, or the expanded Account's).
    pub(crate) fn destination_id(&self) -> Option<&'a str> {
        self.destination
    }

    /// `destination_payment`'s id (given, or the expanded Payment's).
    pub(crate) fn destination_payment_id(&self) -> Option<&'a str> {
        self.destination_payment
    }

    /// `source_transfer`'s id (given, or the expanded Transfer's).
    pub(crate) fn source_transfer_id(&self) -> Option<&'a str> {
        self.source_transfer
    }
}

/// A Transfer as Stripe returned it, checked: its id is a `tr_` id, its currency one Stripe
/// moves, `0 <= amount_reversed <= amount`. What it says is taken as it is (it is Stripe's
/// record); whether it is the right transfer is for the caller's rules to judge. Fields it
/// does not read are skipped; a key given twice makes it unreadable.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::TransferRecord;
///
/// let fixture = r#"{"id": "tr_1", "object": "transfer", "amount": 1100, "amount_reversed": 100,
///   "currency": "usd", "destination": "acct_1P", "destination_payment": "py_1",
///   "metadata": {"account_debit_id": "recovery-42"}, "reversed": false, "created": 1234567890}"#;
/// let transfer = TransferRecord::from_json(fixture.as_bytes())?;
/// assert_eq!(transfer.remaining().minor(), 1000);
/// assert_eq!(transfer.debit_id().map(|d| d.to_string()).as_deref(), Some("recovery-42"));
/// let err = TransferRecord::from_json(br#"{"id": "ch_1"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "object: missing");
/// # Ok::<(), stripe_account_debits::json::ReadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransferRecord {
    id: TransactionId,
    amount: Money,
    amount_reversed: Money,
    destination: Option<AccountId>,
    destination_payment: Option<TransactionId>,
    debit_id: Option<DebitId>,
    reversed: bool,
    created: Option<Timestamp>,
}

impl TransferRecord {
    /// Reads a Transfer object from JSON bytes.
    ///
    /// # Errors
    ///
    /// A [`ReadError`] naming the field at fault when the bytes are not a Transfer object
    /// or break its checks.
    pub fn from_json(body: &[u8]) -> Result<TransferRecord, ReadError> {
        let doc: Field<TransferDoc<'_>> = reader::read_slice(body)?;
        TransferRecord::of(doc.get(&Path::Root)?, &Path::Root)
    }

    /// Reads a Transfer object from a parsed JSON value, exactly as
    /// [`TransferRecord::from_json`] reads its bytes.
    ///
    /// # Errors
    ///
    /// As [`TransferRecord::from_json`].
    pub fn from_value(value: &serde_json::Value) -> Result<TransferRecord, ReadError> {
        let doc: Field<TransferDoc<'_>> = reader::read_from(value)?;
        TransferRecord::of(doc.get(&Path::Root)?, &Path::Root)
    }

    /// The Transfer read at `path`, checked.
    pub(crate) fn of(doc: &TransferDoc<'_>, path: &Path<'_>) -> Result<TransferRecord, ReadError> {
        TransferRecord::check(&TransferBody::of(doc, path)?, path)
    }

    /// Checks what was read at `path`.
    fn check(body: &TransferBody<'_>, path: &Path<'_>) -> Result<TransferRecord, ReadError> {
        let invalid = |key, message: core::fmt::Arguments<'_>| {
            ReadError::at(Kind::Invalid, &path.key(key), message)
        };
        if body.object != "transfer" {
            let found = quoted(body.object);
            return Err(invalid(
                "object",
                format_args!("expected \"transfer\", found \"{found}\""),
            ));
        }
        let id = transfer_id(body.id).ok_or_else(|| {
            invalid(
                "id",
                format_args!("not a transfer id: \"{}\"", quoted(body.id)),
            )
        })?;
        let currency =
            parse_currency(body.currency).map_err(|e| invalid("currency", format_args!("{e}")))?;
        let money = |minor| {
            Money::from_minor(minor, currency).map_err(|e| invalid("currency", format_args!("{e}")))
        };
        let amount = money(body.amount)?;
        let amount_reversed = money(body.amount_reversed)?;
        if !(0..=body.amount).contains(&body.amount_reversed) {
            let (reversed, of) = (body.amount_reversed, body.amount);
            return Err(invalid(
                "amount_reversed",
                format_args!("{reversed} is not between 0 and the amount {of}"),
            ));
        }
        Ok(TransferRecord {
            id,
            amount,
            amount_reversed,
            destination: parsed(body.destination, &path.key("destination"))?,
            destination_payment: parsed(
                body.destination_payment,
                &path.key("destination_payment"),
            )?,
            debit_id: parsed(body.debit_id, &path.key("metadata").key("account_debit_id"))?,
            reversed: body.reversed,
            created: body.created.map(Timestamp::from_unix),
        })
    }

    /// The transfer's id (`tr_...`).
    pub fn id(&self) -> TransactionId {
        self.id
    }

    /// The amount transferred.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The amount already reversed.
    pub fn amount_reversed(&self) -> Money {
        self.amount_reversed
    }

    /// What is left to reverse: the amount less what is already reversed (never negative).
    pub fn remaining(&self) -> Money {
        let rest = self.amount.checked_sub(self.amount_reversed);
        debug_assert!(rest.is_some(), "0 <= amount_reversed <= amount was checked");
        rest.unwrap_or(self.amount_reversed)
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.amount.currency()
    }

    /// The account the funds went to: for an account debit, the platform.
    pub fn destination(&self) -> Option<AccountId> {
        self.destination
    }

    /// The Payment (`py_...`) the transfer created on its destination.
    pub fn destination_payment(&self) -> Option<TransactionId> {
        self.destination_payment
    }

    /// The caller's debit id, from `metadata[account_debit_id]`.
    pub fn debit_id(&self) -> Option<DebitId> {
        self.debit_id
    }

    /// Whether Stripe says it is fully reversed.
    pub fn reversed(&self) -> bool {
        self.reversed
    }

    /// When it was created.
    pub fn created(&self) -> Option<Timestamp> {
        self.created
    }
}

/// `text` as a transfer's id, when it is one.
pub(crate) fn transfer_id(text: &str) -> Option<TransactionId> {
    text.parse::<TransactionId>()
        .ok()
        .filter(|id| id.kind() == ObjectKind::Transfer)
}

/// An optional field at `path` parsed as `T`, or an error naming it.
fn parsed<T: core::str::FromStr>(
    text: Option<&str>,
    path: &Path<'_>,
) -> Result<Option<T>, ReadError>
where
    T::Err: core::fmt::Display,
{
    text.map(|text| {
        text.parse().map_err(|e| {
            ReadError::at(
                Kind::Invalid,
                path,
                format_args!("\"{}\": {e}", quoted(text)),
            )
        })
    })
    .transpose()
}
