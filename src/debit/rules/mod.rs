//! The rule tables' machinery and the debit's table: the table that defines every debit
//! rule ([`table`]), the macro that turns a table into types (`macros`, which the
//! reversal's table uses too), the [`Rule`] every table's violations are, and the one
//! [`Rejection`] that lists the broken ones, whichever table they come from.

mod detail;
mod macros;
mod rejection;
mod rule;
mod table;

pub(crate) use detail::Detail;
pub(crate) use macros::rule_table;
pub use rejection::Rejection;
pub use rule::Rule;
pub(crate) use rule::{Entry, Wire};
pub(crate) use table::LEDGER_RULES;
pub use table::{Advisory, AdvisoryKind, Violation, ViolationKind};
