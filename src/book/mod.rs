//! Layer 8, the platform's book: several debits in a row, each against the balances the
//! ones before it left ([`Ledger`]), and the reserve Stripe holds on the platform for
//! negative connected balances ([`ReserveBook`]), with the date Stripe zeroes an aged
//! negative balance from that reserve ([`Ageing`]), and when to send a batch's requests
//! within Stripe's rate limits ([`Schedule`]).
//!
//! It uses the debit engine (layer 5) and nothing above it: a batch is [`plan_debit`]'s
//! rules applied in order, and the book is a sum over the balances the batch leaves.
//!
//! [`plan_debit`]: crate::plan_debit

mod ageing;
mod keys;
mod ledger;
mod reserve;
mod schedule;
mod slot;

pub use ageing::{AGEING_DAYS, Ageing, AgeingLine};
pub use ledger::{BatchDebit, BatchOutcome, BatchSummary, Judged, Ledger, LedgerError};
pub use reserve::{
    BookError, Coverage, CurrencyChange, ReserveBook, ReserveChange, ReserveLine, UncountedEntry,
};
pub use schedule::{Schedule, SendRate};
pub use slot::AccountSlot;
