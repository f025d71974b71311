// The crate's documentation is the README, so that the usage and the rules table exist
// once; its Rust examples run as doc tests. They are whole programs (GitHub shows no
// rustdoc hidden lines), and the machine's needs the `serde` feature: so the README is the
// crate's documentation with that feature (as on docs.rs, which builds with every feature,
// and in CI, whose tests do), and a pointer to it without.
#![cfg_attr(feature = "serde", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "serde"),
    doc = "Plan Stripe Connect Account Debits offline and exactly. The guide is the \
           repository's README.md, which is this documentation when the crate is built with \
           its `serde` feature (as docs.rs builds it)."
)]
//
// Lints. Each choice, and why:
// - `unsafe_code` forbidden: nothing here needs it, and the fuzzers run without sanitizers.
#![forbid(unsafe_code)]
// - Every public item documented: this is a library for people who did not write it.
#![deny(missing_docs)]
// - `docsrs`: on docs.rs, feature-gated items say which feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]
// - In library code (not its unit tests), no way to panic on bad input: no `unwrap` or
//   `expect`, no `panic!`, no indexing that can be out of bounds, no arithmetic that can
//   overflow. Impossible cases fall back with a `debug_assert!`, which the tests, the
//   property tests and the fuzzers (debug builds) turn into failures.
// - No function longer than 60 lines (`clippy.toml`): a rule's check, a reader's step and
//   an output's shape each stay small enough to read at once.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::too_many_lines,
    )
)]

// The layers, from the bottom up: each uses only the layers before it here. (One comment
// per layer also keeps rustfmt from sorting them.) The module docs name their layer by
// these numbers.
//
// 1. Values: money, currencies and their units, time.
mod value;
// 2. The one JSON reader (feature `serde`): every input, read in one pass into declared
//    fields, with one error ([`json::ReadError`]).
#[cfg(feature = "serde")]
mod reader;
// 3. Stripe's vocabulary and objects: ids and object kinds, accounts, balances, regions,
//    references; with `serde`, the Transfer, list, reversal and error objects as read.
pub mod stripe;
// 4. The platform's record of consent.
pub mod consent;
// 5. The engine: the input, the rule table, the checks, one folder per flow, the plan.
mod debit;
// 6. The Stripe request that performs a plan.
pub mod request;
// 7. After the request: reading Stripe's reply, retrying, finding and reversing a debit.
pub mod lifecycle;
// 8. The platform's book: debits in a row on many accounts, and the reserve they leave.
pub mod book;
// 9. Adapters behind features: JSON, serde, arbitrary.
mod adapters;
// Beside the layers, behind the `demo` feature: a ready-made input for examples, tests and
// benchmarks (not for production: its accounts and amounts are made up).
#[cfg(any(test, feature = "demo"))]
#[cfg_attr(docsrs, doc(cfg(feature = "demo")))]
pub mod demo;

// The crate root is the planning path: the input, `plan_debit`, the plan or the rejection
// with its violations, money, ids and the request. Everything else lives in the named
// modules above (`stripe`, `consent`, `request`, `lifecycle`, `book`, `json`, `money`,
// `currency`).
pub use debit::input::{
    Debit, DebitId, DebitIdError, DebitInput, InputError, MAX_DEBIT_ID_LEN, Purpose, PurposeError,
};
pub use debit::plan::{Advisories, DebitPlan, Flow, Method, Payment, ReserveHold, Transfer};
pub use debit::rules::{Advisory, AdvisoryKind, Rejection, Rule, Violation, ViolationKind};
pub use debit::{plan_debit, plan_debit_as};
pub use request::{AttemptNumber, IdempotencyKey, StripeRequest};
pub use stripe::{AccountId, TransactionId};
pub use value::currency;
pub use value::money;
pub use value::money::Money;
pub use value::time::Timestamp;

#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub use adapters::json;

/// ISO 4217 currencies, from the `iso_currency` crate: part of this crate's API, so that
/// callers need no dependency of their own to name one.
pub use iso_currency::Currency;
/// Exact decimal numbers, from the `rust_decimal` crate: part of this crate's API, so that
/// callers need no dependency of their own to write an amount.
pub use rust_decimal::Decimal;
