//! Layer 2, Stripe's vocabulary: what Stripe's API calls things, as exact types. Ids and
//! the kinds of object they name (one table of prefixes), accounts and who bears their
//! losses, balances, countries and the regions that offer Account Debits, and the
//! transaction a debit refers to. No rule is judged here, but the facts rules read are
//! derived here from Stripe's fields: the region of a country (`region.rs`, with the
//! countries of "Europe"), who bears an account's losses (`account.rs`), and how a
//! reference is sent (`reference.rs`).

pub(crate) mod account;
pub(crate) mod balance;
pub(crate) mod id;
pub(crate) mod reference;
pub(crate) mod region;
pub(crate) mod reserves;
