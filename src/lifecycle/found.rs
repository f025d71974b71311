//! What looking for a debit found ([`find_debit`]): its transfer once, nowhere, or more
//! than once (a double debit), with the reversals that undo the extra transfers. The one
//! place where finding (`find`) and reversing (`reversal`) meet; neither knows the other.

use super::find::debit_transfers;
use super::reversal::{ReversalId, ReversalPlan, ReversalRejection, plan_reversal};
use crate::debit::input::DebitInput;
use crate::stripe::balance::Balance;
use crate::stripe::list::TransferList;
use crate::stripe::transfer::TransferRecord;

/// One extra transfer of a double debit, and the reversal that undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Duplicate {
    /// The extra transfer.
    pub(crate) transfer: TransferRecord,
    /// Its reversal (of all that is not yet reversed), or why none can be planned (one
    /// already fully reversed, say). Its reversal id is `duplicate-<transfer id>`.
    pub(crate) reversal: Result<ReversalPlan, ReversalRejection>,
}

impl Duplicate {
    /// The extra transfer.
    pub fn transfer(&self) -> &TransferRecord {
        &self.transfer
    }

    /// Its reversal (of all that is not yet reversed), or why none can be planned (one
    /// already fully reversed, say). Its reversal id is `duplicate-<transfer id>`.
    pub fn reversal(&self) -> Result<&ReversalPlan, &ReversalRejection> {
        self.reversal.as_ref()
    }
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

/// What a [`Found`] says (and the JSON output's `outcome` field, and the command line's
/// exit status).
/// Exhaustive on purpose: a new kind is a compile error wherever kinds are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindKind {
    /// One transfer carries the debit's id.
    Found,
    /// None does.
    NotFound,
    /// More than one does: a double debit.
    Duplicated,
}

impl FindKind {
    /// `"found"`, `"not_found"` or `"duplicated"`.
    pub const fn code(self) -> &'static str {
        match self {
            FindKind::Found => "found",
            FindKind::NotFound => "not_found",
            FindKind::Duplicated => "duplicated",
        }
    }
}

impl Found {
    /// What it says.
    pub fn kind(&self) -> FindKind {
        match self {
            Found::Found(_) => FindKind::Found,
            Found::NotFound { .. } => FindKind::NotFound,
            Found::Duplicated { .. } => FindKind::Duplicated,
        }
    }

    /// The stable code of what it says: `"found"`, `"not_found"` or `"duplicated"`.
    pub fn code(&self) -> &'static str {
        self.kind().code()
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
/// use stripe_account_debits::demo;
/// use stripe_account_debits::stripe::Balance;
/// use stripe_account_debits::lifecycle::{find_debit, Found};
/// use stripe_account_debits::stripe::TransferList;
///
/// let found = find_debit(&demo::input()?, &TransferList::new(Vec::new()), &Balance::empty());
/// assert!(matches!(found, Found::NotFound { list_complete: true, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn find_debit(input: &DebitInput, list: &TransferList, platform_balance: &Balance) -> Found {
    let mut mine = debit_transfers(input, list).into_iter();
    let Some(kept) = mine.next() else {
        return Found::NotFound {
            list_complete: list.complete(),
        };
    };
    let extras: Vec<TransferRecord> = mine.collect();
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
