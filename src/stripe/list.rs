//! A list object of Transfers, as Stripe returns it (Stripe's API reference, "List all
//! transfers": `{"object": "list", "data": [...], "has_more": bool, "url": ...}`), read by
//! the crate's one reader, each transfer checked as it is read.

use super::transfer::{TransferDoc, TransferRecord};
use crate::reader::{
    self, Field, Fold, Leaf, List, Path, ReadError, ReadErrorKind as Kind, fields,
};
use crate::value::text::quoted;

fields! {
    /// Stripe's list object of transfers: the fields read.
    pub(crate) struct TransferListDoc<'de> {
        unknown: skipped;
        "object" => object: Leaf<'de>,
        "data" => data: Field<List<Transfers>>,
        "has_more" => has_more: Leaf<'de>,
    }
}

/// The transfers of a list, each checked as it is read, and the first that could not be.
#[derive(Debug, Default)]
pub(crate) struct Transfers {
    read: Vec<TransferRecord>,
    error: Option<ReadError>,
}

impl<'de> Fold<'de> for Transfers {
    type Item = Field<TransferDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        match item.get(path).and_then(|doc| TransferRecord::of(doc, path)) {
            Ok(transfer) => self.read.push(transfer),
            Err(error) => self.error = Some(error),
        }
    }
}

/// The transfers of a Stripe list object, checked, and whether the list is complete.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::TransferList;
///
/// let list = TransferList::from_json(br#"{"object": "list", "data": [], "has_more": false}"#)?;
/// assert!(list.transfers().is_empty() && list.complete());
/// let err = TransferList::from_json(br#"{"object": "list", "data": [{"object": "charge"}], "has_more": false}"#).unwrap_err();
/// assert_eq!(err.path(), "data[0].id");
/// // A list whose end cannot be known is not a list to conclude from.
/// let err = TransferList::from_json(br#"{"object": "list", "data": [], "has_more": "false"}"#).unwrap_err();
/// assert_eq!(err.to_string(), "has_more: expected a boolean, found a string");
/// # Ok::<(), stripe_account_debits::json::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransferList {
    transfers: Vec<TransferRecord>,
    has_more: bool,
}

impl TransferList {
    /// Reads a Stripe list object of transfers from JSON bytes (a page of "List all
    /// transfers", as it came).
    ///
    /// # Errors
    ///
    /// A [`ReadError`] naming where: `object` when it is not `"list"`, `data` when it is
    /// not an array, `data[i]...` for a transfer that cannot be read, `has_more` when it is
    /// not a boolean (or is missing: a list whose end cannot be known could hide the debit
    /// on a later page).
    pub fn from_json(body: &[u8]) -> Result<TransferList, ReadError> {
        let doc: Field<TransferListDoc<'_>> = reader::read_slice(body)?;
        TransferList::of(doc.get(&Path::Root)?, &Path::Root)
    }

    /// Reads a Stripe list object of transfers from a parsed JSON value, exactly as
    /// [`TransferList::from_json`] reads its bytes.
    ///
    /// # Errors
    ///
    /// As [`TransferList::from_json`].
    pub fn from_value(value: &serde_json::Value) -> Result<TransferList, ReadError> {
        let doc: Field<TransferListDoc<'_>> = reader::read_from(value)?;
        TransferList::of(doc.get(&Path::Root)?, &Path::Root)
    }

    /// The list read at `path`, in the order its fields are checked: `object`, `data`,
    /// `has_more`.
    pub(crate) fn of(
        doc: &TransferListDoc<'_>,
        path: &Path<'_>,
    ) -> Result<TransferList, ReadError> {
        let object_path = path.key("object");
        let object = doc.object.required(&object_path)?.str(&object_path)?;
        if object != "list" {
            return Err(ReadError::at(
                Kind::Invalid,
                &object_path,
                format_args!("expected \"list\", found \"{}\"", quoted(object)),
            ));
        }
        let List(data) = doc.data.required(&path.key("data"))?;
        if let Some(error) = &data.error {
            return Err(error.clone());
        }
        let has_more = doc.has_more.bool(&path.key("has_more"))?;
        Ok(TransferList {
            transfers: data.read.clone(),
            has_more,
        })
    }

    /// A complete list of `transfers`.
    pub fn new(transfers: Vec<TransferRecord>) -> TransferList {
        TransferList {
            transfers,
            has_more: false,
        }
    }

    /// The transfers, in the list's order.
    pub fn transfers(&self) -> &[TransferRecord] {
        &self.transfers
    }

    /// Whether the list is all there is (`has_more` is false): a debit not found in an
    /// incomplete list may be on a later page.
    pub fn complete(&self) -> bool {
        !self.has_more
    }
}
