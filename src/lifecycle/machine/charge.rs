//! A platform-managed service charge as Stripe returns it, and a page of the Charges
//! search that looks for it by the debit's id in its metadata (the search itself, and the
//! refund of an extra charge, are the machine's `search` and `undo`).
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

use crate::reader::{
    self, Field, Fold, Leaf, List, Path, ReadError, ReadErrorKind as Kind, fields,
};
use crate::stripe::expandable::{Expandable, optional_id};
use crate::stripe::id::{ObjectKind, TransactionId};
use crate::stripe::metadata::DebitId;
use crate::stripe::transfer::{MetadataDoc, metadata_debit_id};
use crate::value::currency::parse_currency;
use crate::value::money::Money;
use crate::value::text::quoted;
use crate::value::time::Timestamp;

/// The least wait after the last send before a charge search: one hour, the freshness
/// bound the API reference gives for outages (the newer guide gives none; the settle bound,
/// 24 hours by default, is then what covers it).
pub(crate) const SEARCH_LAG_MS: u64 = 3_600_000;

fields! {
    /// Stripe's Charge object (or the Payment a service charge makes): the fields the
    /// machine reads, by the crate's one reader (other fields skipped).
    pub(super) struct ChargeDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        "object" => object: Leaf<'de>,
        "amount" => amount: Leaf<'de>,
        "amount_refunded" => amount_refunded: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
        "metadata" => metadata: Field<MetadataDoc<'de>>,
        "source_transfer" => source_transfer: Expandable<'de>,
        "created" => created: Leaf<'de>,
    }
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
    /// The charge read at `path`, checked.
    fn of(doc: &ChargeDoc<'_>, path: &Path<'_>) -> Result<ChargeRecord, ReadError> {
        let at = |key| path.key(key);
        let invalid = |key, message: &str| ReadError::at(Kind::Invalid, &at(key), message);
        let object = doc.object.required(&at("object"))?.str(&at("object"))?;
        if object != "charge" {
            return Err(ReadError::at(
                Kind::Invalid,
                &at("object"),
                format_args!("expected \"charge\", found \"{}\"", quoted(object)),
            ));
        }
        let id = doc.id.required(&at("id"))?.str(&at("id"))?;
        let id = id
            .parse::<TransactionId>()
            .ok()
            .filter(|id| matches!(id.kind(), ObjectKind::Charge | ObjectKind::Payment))
            .ok_or_else(|| invalid("id", "not a charge or payment id"))?;
        let currency = doc
            .currency
            .required(&at("currency"))?
            .str(&at("currency"))?;
        let currency = parse_currency(currency)
            .map_err(|e| ReadError::at(Kind::Invalid, &at("currency"), e))?;
        let money = |minor| {
            Money::from_minor(minor, currency)
                .map_err(|e| ReadError::at(Kind::Invalid, &at("currency"), e))
        };
        let amount = doc.amount.required(&at("amount"))?.i64(&at("amount"))?;
        let refunded = match doc.amount_refunded.present() {
            None => 0,
            Some(refunded) => refunded.i64(&at("amount_refunded"))?,
        };
        if !(0..=amount).contains(&refunded) {
            return Err(invalid("amount_refunded", "not between 0 and the amount"));
        }
        let source_transfer = match optional_id(&doc.source_transfer, &at("source_transfer"))? {
            None => None,
            Some(text) => Some(
                text.parse::<TransactionId>()
                    .ok()
                    .filter(|id| id.kind() == ObjectKind::Transfer)
                    .ok_or_else(|| invalid("source_transfer", "not a transfer id"))?,
            ),
        };
        Ok(ChargeRecord {
            id,
            amount: money(amount)?,
            amount_refunded: money(refunded)?,
            source_transfer,
            debit_id: debit_id(doc, path)?,
            created: match doc.created.present() {
                None => None,
                Some(created) => Some(Timestamp::from_unix(created.i64(&at("created"))?)),
            },
        })
    }

    /// Reads one charge object.
    pub(crate) fn from_json(body: &[u8]) -> Result<ChargeRecord, String> {
        let doc: Field<ChargeDoc<'_>> = reader::read_slice(body).map_err(|e| e.to_string())?;
        doc.get(&Path::Root)
            .and_then(|doc| ChargeRecord::of(doc, &Path::Root))
            .map_err(|e| e.to_string())
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
        let doc: Field<ChargeDoc<'_>> = reader::read_from(value).map_err(|e| e.to_string())?;
        doc.get(&Path::Root)
            .and_then(|doc| ChargeRecord::of(doc, &Path::Root))
            .map_err(|e| e.to_string())
    }
}

/// The debit id in a charge's metadata at `path`, when there is one.
fn debit_id(doc: &ChargeDoc<'_>, path: &Path<'_>) -> Result<Option<DebitId>, ReadError> {
    match metadata_debit_id(&doc.metadata, path)? {
        None => Ok(None),
        Some(text) => text.parse::<DebitId>().map(Some).map_err(|e| {
            let id_path = path.key("metadata");
            ReadError::at(Kind::Invalid, &id_path.key("account_debit_id"), e)
        }),
    }
}

fields! {
    /// A page of the Charges search (a `search_result` object): the fields read.
    struct SearchPageDoc<'de> {
        unknown: skipped;
        "object" => object: Leaf<'de>,
        "data" => data: Field<List<Charges>>,
        "has_more" => has_more: Leaf<'de>,
        "next_page" => next_page: Leaf<'de>,
    }
}

/// The charges of a search page, each checked as it is read, and the first that could not
/// be.
#[derive(Debug, Default)]
struct Charges {
    read: Vec<ChargeRecord>,
    error: Option<ReadError>,
}

impl<'de> Fold<'de> for Charges {
    type Item = Field<ChargeDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        match item.get(path).and_then(|doc| ChargeRecord::of(doc, path)) {
            Ok(charge) => self.read.push(charge),
            Err(error) => self.error = Some(error),
        }
    }
}

/// A search page as read: the charges, and the token of the next page when more follow.
pub(crate) struct ChargePage {
    pub(crate) charges: Vec<ChargeRecord>,
    pub(crate) next_page: Option<String>,
}

/// Reads a `search_result` of charges. `has_more` must be a boolean, and a page that says
/// more follow must name the next.
pub(crate) fn read_search_page(body: &[u8]) -> Result<ChargePage, String> {
    search_page(body).map_err(|e| e.to_string())
}

/// [`read_search_page`], its error typed.
fn search_page(body: &[u8]) -> Result<ChargePage, ReadError> {
    let root = Path::Root;
    let doc: Field<SearchPageDoc<'_>> = reader::read_slice(body)?;
    let page = doc.get(&root)?;
    let object_path = root.key("object");
    if page.object.required(&object_path)?.str(&object_path)? != "search_result" {
        return Err(ReadError::at(
            Kind::Invalid,
            &object_path,
            "expected \"search_result\"",
        ));
    }
    let List(data) = page.data.required(&root.key("data"))?;
    if let Some(error) = &data.error {
        return Err(error.clone());
    }
    let has_more = page.has_more.bool(&root.key("has_more"))?;
    let next_path = root.key("next_page");
    let next_page = match (has_more, page.next_page.optional_str(&next_path)?) {
        (false, _) => None,
        (true, Some(token)) if !token.is_empty() => Some(token.to_owned()),
        (true, _) => {
            return Err(ReadError::at(
                Kind::Invalid,
                &next_path,
                "has_more is true but next_page names no page",
            ));
        }
    };
    Ok(ChargePage {
        charges: data.read.clone(),
        next_page,
    })
}

/// The search query for the charges carrying `debit` in their metadata (Stripe's search
/// query language: `metadata['key']:'value'`, a quote in the value escaped with `\`).
pub(crate) fn query(debit: &DebitId) -> String {
    let value = debit.as_str().replace('\\', "\\\\").replace('\'', "\\'");
    format!("metadata['account_debit_id']:'{value}'")
}
