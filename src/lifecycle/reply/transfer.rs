//! A Transfer object as Stripe returns it (Stripe's API reference, "The Transfer object":
//! `id`, `object: "transfer"`, `amount`, `amount_reversed`, `currency`, `destination`,
//! `destination_payment`, `metadata`, `reversed`, `created`, ...), read typed: a
//! serde-derived view that borrows its strings from the body and skips every field it does
//! not name, then the checked [`TransferRecord`]. `destination`, `destination_payment` and
//! (on a Payment) `source_transfer` are expandable: each may be an id or the expanded
//! object, whose `id` is read ([`Expandable`]); `balance_transaction`, also expandable, is
//! not read at all.

use std::borrow::Cow;

use iso_currency::Currency;
use serde::Deserialize;

use super::expandable::{Expandable, optional_id};
use crate::debit::input::DebitId;
use crate::request::DEBIT_ID_METADATA_KEY;
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};
use crate::value::currency::parse_currency;
use crate::value::money::Money;
use crate::value::text::quoted;
use crate::value::time::Timestamp;

/// The fields of a Transfer this crate reads, borrowed from the body where the JSON has no
/// escapes. Unknown fields are skipped; a field given twice makes the body unreadable.
#[derive(Debug, Deserialize)]
pub(crate) struct TransferBody<'a> {
    #[serde(borrow)]
    pub(crate) id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) object: Cow<'a, str>,
    pub(crate) amount: i64,
    #[serde(default)]
    pub(crate) amount_reversed: i64,
    #[serde(borrow)]
    pub(crate) currency: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) destination: Option<Expandable<'a>>,
    #[serde(borrow, default)]
    pub(crate) destination_payment: Option<Expandable<'a>>,
    #[serde(borrow, default)]
    pub(crate) metadata: Option<Metadata<'a>>,
    #[serde(default)]
    pub(crate) reversed: bool,
    #[serde(default)]
    pub(crate) created: Option<i64>,
    /// On the Payment a charge of a platform-managed account returns: the Transfer on the
    /// connected account it came from.
    #[serde(borrow, default)]
    pub(crate) source_transfer: Option<Expandable<'a>>,
}

/// The one metadata key this crate reads (the constant [`DEBIT_ID_METADATA_KEY`]).
#[derive(Debug, Deserialize)]
pub(crate) struct Metadata<'a> {
    #[serde(borrow, default)]
    pub(crate) account_debit_id: Option<Cow<'a, str>>,
}

// The serde field above and the metadata key the request writes are one name.
const _: () = assert!(matches!(
    DEBIT_ID_METADATA_KEY.as_bytes(),
    b"account_debit_id"
));

/// What a body that is not a JSON object is told.
const NOT_AN_OBJECT: &str = "expected a JSON object";

/// Whether `body` can be a JSON object: its first byte after blanks is `{`. Serde's derive
/// also reads a struct from an array, by position; Stripe never sends one, and a body read
/// by position is not one to confirm a debit with.
pub(crate) fn starts_as_object(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .is_some_and(|b| *b == b'{')
}

impl<'a> TransferBody<'a> {
    /// Reads the body, when it is a JSON object whose expandable fields are ids or objects
    /// with one.
    pub(crate) fn from_json(body: &'a [u8]) -> Result<TransferBody<'a>, TransferError> {
        if !starts_as_object(body) {
            return Err(TransferError::at("", NOT_AN_OBJECT));
        }
        let body: TransferBody<'a> =
            serde_json::from_slice(body).map_err(|e| TransferError::at("", e))?;
        body.check_expanded()?;
        Ok(body)
    }
}

impl TransferBody<'_> {
    /// The debit id in the metadata, as sent.
    pub(crate) fn debit_id(&self) -> Option<&str> {
        self.metadata.as_ref()?.account_debit_id.as_deref()
    }

    /// `destination`'s id (given, or the expanded Account's).
    pub(crate) fn destination_id(&self) -> Option<&str> {
        self.destination.as_ref().and_then(Expandable::as_id)
    }

    /// `destination_payment`'s id (given, or the expanded Payment's).
    pub(crate) fn destination_payment_id(&self) -> Option<&str> {
        self.destination_payment
            .as_ref()
            .and_then(Expandable::as_id)
    }

    /// `source_transfer`'s id (given, or the expanded Transfer's).
    pub(crate) fn source_transfer_id(&self) -> Option<&str> {
        self.source_transfer.as_ref().and_then(Expandable::as_id)
    }

    /// Every expandable field that is present is an id or an object with one; else an
    /// error naming the first that is not.
    fn check_expanded(&self) -> Result<(), TransferError> {
        optional_id(self.destination.as_ref(), "destination")?;
        optional_id(self.destination_payment.as_ref(), "destination_payment")?;
        optional_id(self.source_transfer.as_ref(), "source_transfer")?;
        Ok(())
    }
}

/// A Transfer as Stripe returned it, checked: its id is a `tr_` id, its currency one Stripe
/// moves, `0 <= amount_reversed <= amount`. What it says is taken as it is (it is Stripe's
/// record); whether it is the right transfer is for the caller's rules to judge.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::TransferRecord;
///
/// let fixture = r#"{"id": "tr_1", "object": "transfer", "amount": 1100, "amount_reversed": 100,
///   "currency": "usd", "destination": "acct_1P", "destination_payment": "py_1",
///   "metadata": {"account_debit_id": "recovery-42"}, "reversed": false, "created": 1234567890}"#;
/// let transfer = TransferRecord::from_json(fixture.as_bytes())?;
/// assert_eq!(transfer.remaining().minor(), 1000);
/// assert_eq!(transfer.debit_id().map(|d| d.to_string()).as_deref(), Some("recovery-42"));
/// let err = TransferRecord::from_json(br#"{"id": "ch_1"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "missing field `object` at line 1 column 14");
/// # Ok::<(), stripe_account_debits::lifecycle::TransferError>(())
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

/// Why a JSON value is not a Transfer this crate can use: where (a field, empty for the
/// value as a whole) and what, with any text from the input quoted escaped and cut short.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}{}{message}", .path, if .path.is_empty() { "" } else { ": " })]
pub struct TransferError {
    path: String,
    message: String,
}

impl TransferError {
    pub(crate) fn at(path: &str, message: impl core::fmt::Display) -> TransferError {
        TransferError {
            path: path.to_owned(),
            message: message.to_string(),
        }
    }

    /// The same error, under `prefix` (`data[2]`, `transfer`).
    #[must_use]
    pub fn within(self, prefix: &str) -> TransferError {
        let path = match (prefix.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}.{}", self.path),
        };
        TransferError { path, ..self }
    }

    /// The field at fault (`currency`, `metadata.account_debit_id`), empty for the whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl TransferRecord {
    /// Reads a Transfer object from JSON bytes.
    ///
    /// # Errors
    ///
    /// [`TransferError`] when the bytes are not a Transfer object or break its checks.
    pub fn from_json(body: &[u8]) -> Result<TransferRecord, TransferError> {
        TransferRecord::check(&TransferBody::from_json(body)?)
    }

    /// Reads a Transfer object from a parsed JSON value.
    ///
    /// # Errors
    ///
    /// As [`TransferRecord::from_json`].
    pub fn from_value(value: &serde_json::Value) -> Result<TransferRecord, TransferError> {
        if !value.is_object() {
            return Err(TransferError::at("", NOT_AN_OBJECT));
        }
        let body = TransferBody::deserialize(value).map_err(|e| TransferError::at("", e))?;
        body.check_expanded()?;
        TransferRecord::check(&body)
    }

    /// Checks what was read.
    pub(crate) fn check(body: &TransferBody<'_>) -> Result<TransferRecord, TransferError> {
        if body.object != "transfer" {
            return Err(TransferError::at(
                "object",
                format_args!("expected \"transfer\", found \"{}\"", quoted(&body.object)),
            ));
        }
        let id = transfer_id(&body.id).ok_or_else(|| {
            TransferError::at(
                "id",
                format_args!("not a transfer id: \"{}\"", quoted(&body.id)),
            )
        })?;
        let currency =
            parse_currency(&body.currency).map_err(|e| TransferError::at("currency", e))?;
        let money = |minor| {
            Money::from_minor(minor, currency).map_err(|e| TransferError::at("currency", e))
        };
        let amount = money(body.amount)?;
        let amount_reversed = money(body.amount_reversed)?;
        if !(0..=body.amount).contains(&body.amount_reversed) {
            return Err(TransferError::at(
                "amount_reversed",
                format_args!(
                    "{} is not between 0 and the amount {}",
                    body.amount_reversed, body.amount
                ),
            ));
        }
        Ok(TransferRecord {
            id,
            amount,
            amount_reversed,
            destination: optional(
                optional_id(body.destination.as_ref(), "destination")?,
                "destination",
            )?,
            destination_payment: optional(
                optional_id(body.destination_payment.as_ref(), "destination_payment")?,
                "destination_payment",
            )?,
            debit_id: optional(body.debit_id(), "metadata.account_debit_id")?,
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

/// An optional field parsed as `T`, or an error naming it.
fn optional<T: core::str::FromStr>(
    text: Option<&str>,
    path: &str,
) -> Result<Option<T>, TransferError>
where
    T::Err: core::fmt::Display,
{
    text.map(|text| {
        text.parse()
            .map_err(|e| TransferError::at(path, format_args!("\"{}\": {e}", quoted(text))))
    })
    .transpose()
}
