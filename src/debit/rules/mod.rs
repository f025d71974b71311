//! The rules of every debit flow: the table that defines them ([`table`]), the macro that
//! turns it into types (`macros`), and the [`Rejection`] that lists the broken ones.

mod detail;
mod macros;
mod rejection;
mod table;

pub(crate) use detail::Detail;
pub use rejection::Rejection;
pub(crate) use table::LEDGER_RULES;
pub use table::{Advisory, AdvisoryKind, Violation, ViolationKind};
