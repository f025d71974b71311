//! Finding a debit's transfers among the connected account's transfers, by the debit id the
//! request put in its metadata: once Stripe may have forgotten the key, this is how a debit
//! in doubt is settled before anything is sent again.
//!
//! Source: Stripe's API reference, "List all transfers" (a list object,
//! `{"object": "list", "data": [...], "has_more": ...}`, made on the connected account with
//! its `Stripe-Account` header) and "Metadata".

use crate::debit::input::DebitInput;
use crate::stripe::list::TransferList;
use crate::stripe::transfer::TransferRecord;

/// The transfers of `list` that are the debit of `input`: those whose
/// `metadata[account_debit_id]` is the debit's id and whose destination is the platform,
/// the first created first (one without `created` last), then by id, so that the order
/// does not depend on the list's.
pub(crate) fn debit_transfers(input: &DebitInput, list: &TransferList) -> Vec<TransferRecord> {
    let debit = input.debit().id();
    let platform = input.platform().id();
    let mut mine: Vec<TransferRecord> = list
        .transfers()
        .iter()
        .filter(|t| t.debit_id() == Some(debit) && t.destination() == Some(platform))
        .copied()
        .collect();
    mine.sort_by_key(|t| (t.created().is_none(), t.created(), t.id()));
    mine
}
