//! Where an account is in a [`Ledger`](super::Ledger): the ledger hands it out, and its
//! table of planned debit keys ([`super::keys`]) names accounts by it.

/// Where an account is in its [`Ledger`](super::Ledger): what
/// [`Ledger::add_account`](super::Ledger::add_account) returns, and
/// [`Ledger::slot_of`](super::Ledger::slot_of) finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountSlot(pub(super) u32);

impl AccountSlot {
    /// The account's position in the ledger, from 0 in the order added.
    pub fn index(self) -> usize {
        // `u32` always fits `usize` on the targets this crate supports (32 and 64 bits).
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}
