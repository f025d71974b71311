//! The transaction that justifies a debit.

use core::fmt;

use crate::stripe::account::Account;
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};

/// The Charge, Payment or Payout of the connected account that a debit refers to, with the
/// account it was created on.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::{ReferenceTransaction, ReferenceType};
///
/// let reference = ReferenceTransaction::new("po_1Pgc79B7WZ01zgkWu1KToYf4".parse()?, "acct_1C".parse()?);
/// assert_eq!(reference.reference_type(), Some(ReferenceType::Payout));
/// # Ok::<(), stripe_account_debits::stripe::IdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReferenceTransaction {
    id: TransactionId,
    account: AccountId,
}

/// The `reference_transaction[type]` Stripe takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReferenceType {
    /// A Charge or a Payment: sent as `reference_transaction[charge]`.
    Charge,
    /// A Payout: sent as `reference_transaction[payout]`.
    Payout,
}

impl ReferenceType {
    /// The value of `reference_transaction[type]`, which is also the name of the field
    /// that carries the id.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceType::Charge => "charge",
            ReferenceType::Payout => "payout",
        }
    }
}

impl fmt::Display for ReferenceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ReferenceTransaction {
    /// Transaction `id`, created on `account`.
    pub fn new(id: TransactionId, account: AccountId) -> ReferenceTransaction {
        ReferenceTransaction { id, account }
    }

    /// The transaction id.
    pub fn id(&self) -> TransactionId {
        self.id
    }

    /// [`ReferenceTransaction::id`] without copying it.
    pub(crate) fn id_ref(&self) -> &TransactionId {
        &self.id
    }

    /// The account the transaction was created on.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// Whether the transaction was created on `account` (without copying ids).
    pub(crate) fn is_on(&self, account: &Account) -> bool {
        account.has_id(&self.account)
    }

    /// How Stripe takes this reference, or `None` when it cannot be one.
    ///
    /// Source: Stripe, "Debiting accounts on Stripe managed risk": "the provided
    /// transaction must be a Charge, Payment, or Payout created on the same connected
    /// account being debited"; a Payment travels as a charge.
    pub fn reference_type(&self) -> Option<ReferenceType> {
        match self.id.kind() {
            ObjectKind::Charge | ObjectKind::Payment => Some(ReferenceType::Charge),
            ObjectKind::Payout => Some(ReferenceType::Payout),
            _ => None,
        }
    }
}
