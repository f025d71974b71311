//! The JSON boundary (feature `serde`): read a scenario made of Stripe objects pasted as
//! they come, and write a plan, a rejection or an input error as one JSON object.
//!
//! Every input is read by the crate's one reader (one pass over a document into the typed
//! fields it declares, skipping every other value without building it, refusing a key given
//! twice and, in the crate's own shapes, a key it does not know, and naming the path of
//! every error), which gives one error, [`ReadError`]. Its parts: `scenario` (Stripe's
//! objects into a [`DebitInput`](crate::DebitInput)), `outcome` (a result into JSON),
//! `lifecycle` (the `reply`, `find` and `reverse` commands' JSON: [`reply`], [`find`],
//! [`reverse`]), `machine` (what the debit's state machine asks for: [`action`]), `step`
//! (the `step` command: [`step`]), `book` (a platform's accounts and a batch of debits:
//! [`read_book`]) and `batch` (what a batch did and the reserve book: [`Batch`],
//! [`BatchResult`], [`BookResult`]).
//!
//! Every output is a typed value ([`Outcome`], [`ReplyDecision`], [`FindResult`],
//! [`ReversalResult`], [`BatchResult`], [`BookResult`], their parts in [`out`]) that
//! serializes itself as the command line prints it, reads back what it wrote, and says its
//! kind as an enum ([`PlanKind`], [`ReplyKind`](crate::lifecycle::ReplyKind), ...) to branch
//! on exhaustively.
//!
//! # Scenario
//!
//! ```json
//! {
//!   "at": 1764000000,
//!   "platform_account": { "id": "acct_...", "country": "US", "default_currency": "usd" },
//!   "connected_account": { "id": "acct_...", "country": "US", "default_currency": "usd",
//!                          "controller": { "losses": { "payments": "stripe" } },
//!                          "external_accounts": { "data": [ { "object": "bank_account", "currency": "usd", "status": "verified" } ] } },
//!   "connected_balance": { "object": "balance", "available": [ { "amount": 1000, "currency": "usd" } ] },
//!   "consent": { "granted_at": 1700000000, "revoked_at": null, "evidence": "agreement-42" },
//!   "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
//!              "reference_transaction": { "id": "ch_...", "account": "acct_..." } }
//! }
//! ```
//!
//! Accounts and the balance are Stripe's Account and Balance objects; fields this crate does
//! not use are ignored. `consent` may be `null` or absent. `reference_transaction` may be a
//! whole Charge or Payout object plus the `account` it was created on; when it has an
//! `object` field, that must agree with the id's prefix. Amounts are Stripe wire integers
//! (a float or a string where an amount belongs is an error).
//!
//! The balance is a fact Stripe reports: its entry in the debit's currency is taken as it
//! is (an ISK balance of `10050` is 100.50 kr) and must be readable; an entry in another
//! currency that cannot be read is skipped. The debit's currency and the accounts' default
//! currencies may be any ISO 4217 code: one Stripe does not move is for the rules to
//! reject, as it is for an input built in Rust.
//!
//! For a connected account whose losses the platform bears, the platform-managed flow also
//! reads: `debit.purpose` (`"service_charge"`, `"recovery"` or `"adjustment"`), which picks
//! a charge or a transfer; `reference_transaction`, which it does not need, may be absent;
//! `negative_balances_allowed` (`true` when the platform's arrangement with Stripe lets a
//! debit take the account below zero; absent, `null` or `false`: such a debit is refused,
//! as Stripe's newest page has it) and, only then, `platform_reserves_enabled` (`true` or
//! `false`) or, without it, the platform Account's `created` (after January 31st, 2017:
//! enabled by default), else unknown; `amount_caps`
//! (`{"eur": 9000000}`, minor units per currency: Stripe's cap is 100,000 USD "or
//! equivalent", and this crate has no exchange rates); and the connected Account's
//! `settings.payouts.debit_negative_balances` (absent: the default Stripe's Account
//! reference gives, `false` when `controller.requirement_collection` is `application`,
//! `true` when it is `stripe`; without either, not known).
//!
//! # Example
//!
//! ```
//! use stripe_account_debits::{json, plan_debit};
//!
//! let scenario = r#"{
//!   "at": 1764000000,
//!   "platform_account": { "id": "acct_1P", "country": "US", "default_currency": "usd" },
//!   "connected_account": { "id": "acct_1C", "country": "US", "default_currency": "usd", "type": "standard" },
//!   "connected_balance": { "available": [ { "amount": 100, "currency": "usd" } ] },
//!   "consent": { "granted_at": 1700000000, "evidence": "agreement-42" },
//!   "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
//!              "reference_transaction": { "id": "ch_1", "account": "acct_1C" } }
//! }"#;
//! let input = json::read_scenario(scenario)?;
//! let output = serde_json::to_value(json::outcome(&plan_debit(&input)))?;
//! assert_eq!(output["outcome"], "planned");
//! assert_eq!(output["reserve_hold"]["amount"], 400);
//!
//! let err = json::read_scenario(&scenario.replace("500, \"currency\": \"usd\"", "500, \"currency\": \"xyz\"")).unwrap_err();
//! assert_eq!(err.to_string(), "debit.currency: unknown currency \"xyz\"");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod account_v2;
mod batch;
mod book;
mod lifecycle;
mod machine;
mod outcome;
mod scenario;
mod step;

pub use crate::reader::{ReadError, ReadErrorKind};
/// How every message of this crate quotes text it was given: escaped, and cut short.
pub use crate::value::text::quoted;
pub use batch::{Batch, BatchKind, BatchResult, BookKind, BookResult, batch_output, book_output};
pub use book::{
    BookInput, DEFAULT_MAX_BOOK_BYTES, book_from_deserializer, read_book, read_book_from_reader,
    read_book_with_limit,
};
pub use lifecycle::{
    FindResult, ReplyDecision, ReversalKind, ReversalResult, find, find_from_deserializer, reply,
    reply_from_deserializer, reverse, reverse_from_deserializer,
};
pub use machine::{ActionOutput, action};
pub use outcome::{Code, Outcome, PlanKind, invalid_input, outcome};
pub use scenario::{
    DEFAULT_MAX_SCENARIO_BYTES, read_scenario, read_scenario_with_limit,
    scenario_from_deserializer, scenario_from_value,
};
pub use step::{StepKind, StepOutput, machine_options_from_deserializer, step};

/// For deserializers over a host language's objects (Python dicts, JavaScript objects),
/// whose keys cannot repeat: read Stripe's objects by looking up the keys the reader
/// declares ([`host::with_lookup`], [`host::LOOKUP`]) instead of walking every key. The
/// Python and Node packages use it; a caller with JSON text never needs it.
/// Their errors' paths name keys as the crate's do ([`host::write_key`]).
pub mod host {
    pub use crate::reader::{LOOKUP, with_lookup, write_key};
}

/// The parts of the typed outputs: the records each output is made of, named as their
/// JSON fields. Every one serializes as the command line prints it and reads back what it
/// wrote.
pub mod out {
    pub use super::batch::{
        AccountBalances, AgedOut, AgeingOut, BatchEntry, BookLine, ReserveOut, ScheduleOut,
        UncountedOut,
    };
    pub use super::lifecycle::{
        Confirmed, DelayOut, Duplicated, Failed, Found, InDoubt, Mismatch, NotFound, Retry,
        ReversalHeaders, ReversalPlanned, ReversalRejected, ReversalRequestOut, StripeErrorOut,
    };
    pub use super::outcome::{
        AmountOn, BalanceChange, BalanceOut, Coded, DetailValue, HeadersOut, InvalidInput,
        MoneyOut, PaymentOut, Planned, ReferenceOut, Rejected, RequestOut, TransferOut,
    };
}
