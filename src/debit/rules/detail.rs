//! The value of one field of a violation or an advisory, for outputs (JSON) that write
//! each field beside the code and the message, by the name the rule table gives it.

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::debit::input::DebitId;
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};
use crate::stripe::region::{Country, Region};
use crate::stripe::reserves::NegativeBalanceReclaim;
use crate::value::money::Money;
use crate::value::time::Timestamp;

/// One field's value. Every type a rule's data uses has a variant, so a new field type is
/// a compile error until an output knows how to write it. (`pub` in a private module: the
/// sealed trait that every table's entries implement names it, yet no caller can.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // Read by the `serde` feature's JSON output.
pub enum Detail {
    Account(AccountId),
    Transaction(TransactionId),
    Debit(DebitId),
    Kind(ObjectKind),
    Country(Country),
    Region(Region),
    Currency(Currency),
    /// An amount asked for, in major units of the currency the same violation names;
    /// outputs write it in minor units, as Stripe's wire amounts are.
    Amount(Decimal),
    Count(u32),
    /// A position in a sequence (of the debits a ledger judged).
    Index(u64),
    Flag(bool),
    Time(Timestamp),
    /// Money: outputs write it in minor units, with its currency beside it when the same
    /// violation names no other.
    Money(Money),
    /// A value named by a stable snake_case code.
    Code(&'static str),
    /// A field that may be absent (an `Option`), and is: an output leaves it out.
    Absent,
}

impl<T> From<Option<T>> for Detail
where
    Detail: From<T>,
{
    fn from(value: Option<T>) -> Detail {
        value.map_or(Detail::Absent, Detail::from)
    }
}

impl From<NegativeBalanceReclaim> for Detail {
    fn from(reclaim: NegativeBalanceReclaim) -> Detail {
        Detail::Code(reclaim.code())
    }
}

macro_rules! detail_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Detail {
            fn from(value: $ty) -> Detail {
                Detail::$variant(value)
            }
        }
    )*};
}

detail_from! {
    AccountId => Account,
    TransactionId => Transaction,
    DebitId => Debit,
    ObjectKind => Kind,
    Country => Country,
    Region => Region,
    Currency => Currency,
    Decimal => Amount,
    u32 => Count,
    u64 => Index,
    bool => Flag,
    Timestamp => Time,
    Money => Money,
}
