//! Finding a debit's transfer among the connected account's transfers, by the debit id the
//! request put in its metadata: once Stripe may have forgotten the key, this is how a debit
//! in doubt is settled before anything is sent again.
//!
//! Source: Stripe's API reference, "List all transfers" (a list object,
//! `{"object": "list", "data": [...], "has_more": ...}`, made on the connected account with
//! its `Stripe-Account` header) and "Metadata".

use crate::debit::input::DebitInput;
use crate::lifecycle::reply::{TransferError, TransferRecord};
use crate::lifecycle::reversal::{ReversalId, ReversalPlan, ReversalRejection, plan_reversal};
use crate::stripe::balance::Balance;
use crate::value::text::quoted;

/// The transfers of a Stripe list object, checked, and whether the list is complete.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::TransferList;
///
/// let list = TransferList::from_value(&serde_json::json!({"object": "list", "data": [], "has_more": false}))?;
/// assert!(list.transfers().is_empty() && list.complete());
/// let err = TransferList::from_value(&serde_json::json!({"object": "list", "data": [{"object": "charge"}]})).unwrap_err();
/// assert_eq!(err.path(), "data[0]");
/// # Ok::<(), stripe_account_debits::lifecycle::TransferError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransferList {
    transfers: Vec<TransferRecord>,
    has_more: bool,
}

impl TransferList {
    /// Reads a Stripe list object of transfers.
    ///
    /// # Errors
    ///
    /// [`TransferError`] naming where: `object` when it is not `"list"`, `data` when it is
    /// not an array, `data[i]...` for a transfer that cannot be read.
    pub fn from_value(value: &serde_json::Value) -> Result<TransferList, TransferError> {
        let object = value.get("object").and_then(serde_json::Value::as_str);
        if object != Some("list") {
            let found = object.map_or_else(|| "none".to_owned(), |o| format!("\"{}\"", quoted(o)));
            return Err(TransferError::at(
                "object",
                format_args!("expected \"list\", found {found}"),
            ));
        }
        let data = value
            .get("data")
            .and_then(serde_json::Value::as_array)
            .ok_or_else(|| TransferError::at("data", "expected an array of transfers"))?;
        let transfers = data
            .iter()
            .enumerate()
            .map(|(i, item)| {
                TransferRecord::from_value(item).map_err(|e| e.within(&format!("data[{i}]")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let has_more = value
            .get("has_more")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        Ok(TransferList {
            transfers,
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

/// One extra transfer of a double debit, and the reversal that undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Duplicate {
    /// The extra transfer.
    pub transfer: TransferRecord,
    /// Its reversal (of all that is not yet reversed), or why none can be planned (one
    /// already fully reversed, say). Its reversal id is `duplicate-<transfer id>`.
    pub reversal: Result<ReversalPlan, ReversalRejection>,
}

/// What the list says about the debit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Found {
    /// One transfer carries the debit's id: the debit happened, once.
    Found(TransferRecord),
    /// None does. When the list is incomplete (`list_complete: false`), fetch the next
    /// page before concluding.
    #[non_exhaustive]
    NotFound {
        /// Whether the list was complete.
        list_complete: bool,
    },
    /// More than one does: a double debit. The first created is kept; each other is undone
    /// by its reversal, planned in turn (each on the connected and platform balances the
    /// previous one leaves).
    #[non_exhaustive]
    Duplicated {
        /// The transfer kept.
        kept: TransferRecord,
        /// The others, with their reversals.
        extras: Vec<Duplicate>,
    },
}

impl Found {
    /// `"found"`, `"not_found"` or `"duplicated"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Found::Found(_) => "found",
            Found::NotFound { .. } => "not_found",
            Found::Duplicated { .. } => "duplicated",
        }
    }
}

/// Looks for the debit of `input` in `list`: the transfers whose
/// `metadata[account_debit_id]` is the debit's id and whose destination is the platform.
/// `platform_balance` (the platform's Balance) is what the reversals of a double debit
/// are planned against: each takes its amount back out of it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, Balance};
/// use stripe_account_debits::lifecycle::{find_debit, Found, TransferList};
///
/// let found = find_debit(&demo::input()?, &TransferList::new(Vec::new()), &Balance::empty());
/// assert!(matches!(found, Found::NotFound { list_complete: true, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn find_debit(input: &DebitInput, list: &TransferList, platform_balance: &Balance) -> Found {
    let debit = input.debit().id();
    let platform = input.platform().id();
    let mut mine: Vec<TransferRecord> = list
        .transfers
        .iter()
        .filter(|t| t.debit_id() == Some(debit) && t.destination() == Some(platform))
        .copied()
        .collect();
    // The first created first (a transfer without `created` last), then by id: the order
    // does not depend on the list's.
    mine.sort_by_key(|t| (t.created().is_none(), t.created(), t.id()));
    let mut rest = mine.into_iter();
    let Some(kept) = rest.next() else {
        return Found::NotFound {
            list_complete: list.complete(),
        };
    };
    let extras: Vec<TransferRecord> = rest.collect();
    if extras.is_empty() {
        return Found::Found(kept);
    }
    Found::Duplicated {
        kept,
        extras: reversals(input, extras, platform_balance),
    }
}

/// The reversal of each extra transfer, each planned on the balances the previous leaves.
fn reversals(
    input: &DebitInput,
    extras: Vec<TransferRecord>,
    platform_balance: &Balance,
) -> Vec<Duplicate> {
    let mut input = input.clone();
    let mut platform_balance = platform_balance.clone();
    let mut out = Vec::with_capacity(extras.len());
    for transfer in extras {
        // `duplicate-` and a transfer id (at most 64 letters, digits and `_`): always a
        // valid reversal id.
        let id = format!("duplicate-{}", transfer.id()).parse::<ReversalId>();
        debug_assert!(id.is_ok(), "a duplicate's reversal id parses");
        let Ok(id) = id else { continue };
        let reversal = plan_reversal(&input, &transfer, None, id, &platform_balance);
        if let Ok(plan) = &reversal {
            input
                .connected_balance_mut()
                .set_available(plan.connected_after());
            platform_balance.set_available(plan.platform_after());
        }
        out.push(Duplicate { transfer, reversal });
    }
    out
}
