//! Layer 3, Stripe's vocabulary: what Stripe's API calls things, as exact types. Ids and
//! the kinds of object they name (one table of prefixes), accounts and who bears their
//! losses, balances, countries and the regions that offer Account Debits, and the
//! transaction a debit refers to. No rule is judged here, but the facts rules read are
//! derived here from Stripe's fields: the region of a country (`region.rs`, with the
//! countries of "Europe"), who bears an account's losses (`account.rs`), and how a
//! reference is sent (`reference.rs`). The caller's debit id, which travels in Stripe's
//! metadata, is here too (`metadata.rs`).
//!
//! With the `serde` feature, the objects Stripe returns after a request, read by the
//! crate's one reader (layer 2): a Transfer (`transfer.rs`), a list of them (`list.rs`), a
//! Transfer reversal (`reversal.rs`), an error object (`error.rs`), and the expandable
//! fields they hold (`expandable.rs`). Each keeps accepting fields it does not read, as
//! Stripe adds them.

pub(crate) mod account;
pub(crate) mod balance;
#[cfg(feature = "serde")]
pub(crate) mod error;
#[cfg(feature = "serde")]
pub(crate) mod expandable;
pub(crate) mod id;
#[cfg(feature = "serde")]
pub(crate) mod list;
pub(crate) mod metadata;
pub(crate) mod reference;
pub(crate) mod region;
pub(crate) mod reserves;
#[cfg(feature = "serde")]
pub(crate) mod reversal;
#[cfg(feature = "serde")]
pub(crate) mod transfer;

pub use account::{Account, Connected, LossLiability, Platform};
pub use balance::{Balance, BalanceError, BalanceIter};
#[cfg(feature = "serde")]
pub use error::StripeError;
pub use id::{AccountId, IdError, MAX_ID_LEN, ObjectKind, TransactionId};
#[cfg(feature = "serde")]
pub use list::TransferList;
pub use reference::{ReferenceTransaction, ReferenceType};
pub use region::{Country, CountryError, Region};
pub use reserves::{NegativeBalanceReclaim, PlatformReserves, RESERVES_DEFAULT_SINCE};
#[cfg(feature = "serde")]
pub use reversal::ReversalRecord;
#[cfg(feature = "serde")]
pub use transfer::TransferRecord;
