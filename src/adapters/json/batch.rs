//! What a batch did and the reserve book, as typed values: [`Batch`] (a batch planned,
//! written as it goes), [`BatchResult`] (the same output, kept whole) and [`BookResult`].
//!
//! Every object writes its fields with their names in alphabetical order: the order these
//! commands have always printed. A debit's outcome in a batch is the one `plan` prints (in
//! that order too), with the debit's id and account and, when it is planned, when to send
//! it (`send_at_offset_ms`).

use std::borrow::Cow;
use std::cell::RefCell;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use super::lifecycle::Sorted;
use super::outcome::{
    BalanceChange, Code, Coded, InvalidInput, MoneyOut, Outcome, Planned, Rejected, json_display,
    outcome,
};
use crate::book::{Ageing, BatchDebit, BatchSummary, Judged, Ledger, LedgerError, ReserveBook};
use crate::stripe::{Account, Balance};
use crate::{AccountId, DebitId, TransactionId};

/// What a batch's output says, and the command line's exit status. Exhaustive on purpose:
/// a new kind is a compile error wherever kinds are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchKind {
    /// Every debit is planned, and the book is complete.
    Planned,
    /// Some debit is rejected, and the book is complete.
    Rejected,
    /// An entry of a balance could not be read: the reserve may be short, whatever the
    /// debits.
    Incomplete,
}

impl BatchKind {
    /// `"planned"`, `"rejected"` or `"incomplete"`.
    pub const fn code(self) -> &'static str {
        match self {
            BatchKind::Planned => "planned",
            BatchKind::Rejected => "rejected",
            BatchKind::Incomplete => "incomplete",
        }
    }

    fn of(summary: &BatchSummary) -> BatchKind {
        if !summary.book_before().is_complete() {
            BatchKind::Incomplete
        } else if summary.rejected() == 0 {
            BatchKind::Planned
        } else {
            BatchKind::Rejected
        }
    }
}

/// A batch planned against a ledger, to write: it keeps the ledger (as it was before the
/// batch), the debits, what the batch did beside each debit's result, and each account's
/// balance before and after. Each debit's result is not kept: [`Batch::for_each`] and the
/// `Serialize` impl plan the batch again ([`Ledger::preview_each`]: the ledger is put back
/// after each pass) and hand over or write each result as it comes, so that memory is that
/// of the ledger and the debits, whatever the output's size.
///
/// It serializes as the `batch` command prints it (see [`BatchResult`], the same output
/// kept whole).
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, Batch, BatchKind};
///
/// let book = json::read_book(include_str!("../../../examples/book/batch.json"))?;
/// let (ledger, debits) = book.into_parts();
/// let mut batch = Batch::run(ledger, &debits)?;
/// assert_eq!(batch.kind(), BatchKind::Rejected);
/// let mut out = Vec::new();
/// serde_json::to_writer(&mut out, &batch)?;
/// let out: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(out["outcomes"][2]["send_at_offset_ms"], 50);
/// assert_eq!(out, serde_json::to_value(batch.result()?)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Batch<'a> {
    ledger: RefCell<Ledger>,
    debits: &'a [BatchDebit],
    summary: BatchSummary,
    accounts: Vec<AccountChange>,
}

/// An account's available balance before and after a batch.
#[derive(Debug)]
struct AccountChange {
    id: AccountId,
    before: Balance,
    after: Balance,
}

impl<'a> Batch<'a> {
    /// Plans `debits` in order against `ledger` (see [`Ledger::run`]), keeping what the
    /// batch did but each debit's result, and the ledger as it was.
    ///
    /// # Errors
    ///
    /// As [`Ledger::run`]: a debit of a slot not in the ledger, a reserve that does not fit.
    pub fn run(mut ledger: Ledger, debits: &'a [BatchDebit]) -> Result<Batch<'a>, LedgerError> {
        // Room for every key at once: a table grown step by step leaves the steps behind.
        ledger.reserve_debits(debits.len());
        let (summary, after) = ledger.preview_each(debits, |_| {})?;
        let accounts = ledger
            .accounts()
            .zip(after)
            .map(|((account, before), after)| AccountChange {
                id: account.id(),
                before: before.clone(),
                after,
            })
            .collect();
        Ok(Batch {
            ledger: RefCell::new(ledger),
            debits,
            summary,
            accounts,
        })
    }

    /// What the output says.
    pub fn kind(&self) -> BatchKind {
        BatchKind::of(&self.summary)
    }

    /// What the batch did, beside each debit's result.
    pub fn summary(&self) -> &BatchSummary {
        &self.summary
    }

    /// Each account of the ledger, in its order, with its available balance before and
    /// after the batch.
    pub fn accounts(&self) -> impl ExactSizeIterator<Item = (AccountId, &Balance, &Balance)> + '_ {
        self.accounts
            .iter()
            .map(|account| (account.id, &account.before, &account.after))
    }

    /// Plans the batch again and hands each debit's result to `each`, in order.
    ///
    /// # Errors
    ///
    /// None in practice: the batch was planned once from the same ledger, and planning is
    /// deterministic; the error of [`Ledger::preview_each`] is passed on all the same.
    pub fn for_each(&mut self, each: impl FnMut(Judged<'a>)) -> Result<(), LedgerError> {
        self.ledger
            .get_mut()
            .preview_each(self.debits, each)
            .map(|_| ())
    }

    /// The whole output, kept: what Python's `plan_batch` returns.
    ///
    /// # Errors
    ///
    /// As [`Batch::for_each`].
    pub fn result(&mut self) -> Result<BatchResult, LedgerError> {
        let mut outcomes = Vec::with_capacity(self.debits.len());
        self.for_each(|judged| outcomes.push(BatchEntry::of(&judged)))?;
        let accounts = self.accounts().map(AccountBalances::of).collect();
        Ok(BatchResult {
            outcomes,
            ..BatchResult::of_summary(accounts, &self.summary)
        })
    }
}

impl BatchEntry {
    /// The output of one debit judged.
    fn of(judged: &Judged<'_>) -> BatchEntry {
        BatchEntry {
            outcome: outcome(judged.result()),
            debit: judged.debit().debit().id(),
            account: Some(judged.account()),
            send_at_offset_ms: judged.send_at_offset_ms(),
        }
    }
}

/// Writes as the `batch` command prints, each debit's outcome as it is planned.
impl Serialize for Batch<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Document {
            accounts: Accounts(self),
            complete: self.summary.book_before().is_complete(),
            outcomes: Outcomes(self),
            rejected: self.summary.rejected(),
            reserve: &reserve(&self.summary),
            schedule: &ScheduleOut::of(&self.summary),
            uncounted: &uncounted(self.summary.book_before()),
        }
        .serialize(serializer)
    }
}

/// The batch's output, its fields in order.
#[derive(Serialize)]
struct Document<'a, A, O> {
    accounts: A,
    complete: bool,
    outcomes: O,
    rejected: usize,
    reserve: &'a [ReserveOut],
    schedule: &'a ScheduleOut,
    uncounted: &'a [UncountedOut],
}

/// The accounts of a [`Batch`], each written as it comes.
struct Accounts<'a, 'b>(&'b Batch<'a>);

impl Serialize for Accounts<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.accounts().map(AccountBalances::of))
    }
}

/// The outcomes of a [`Batch`], planned again and each written as it comes.
struct Outcomes<'a, 'b>(&'b Batch<'a>);

impl Serialize for Outcomes<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let batch = self.0;
        // Borrowed only here, while the batch is written: no other borrow can be running.
        let mut ledger = batch
            .ledger
            .try_borrow_mut()
            .map_err(|_| serde::ser::Error::custom("the batch is being written already"))?;
        let mut seq = serializer.serialize_seq(Some(batch.debits.len()))?;
        let mut failed = None;
        let ran = ledger.preview_each(batch.debits, |judged| {
            if failed.is_none()
                && let Err(error) = seq.serialize_element(&BatchEntry::of(&judged))
            {
                failed = Some(error);
            }
        });
        if let Some(error) = failed {
            return Err(error);
        }
        ran.map_err(serde::ser::Error::custom)?;
        seq.end()
    }
}

/// What a batch did, kept whole: each debit's outcome (as `plan` prints it, with the
/// debit's id and account, and for a planned one when to send it, `send_at_offset_ms`),
/// each account's available balance before and after, how the reserve changed per
/// currency, the schedule, the number of rejected debits, and whether the book is complete
/// (`complete`, with the entries it could not count under `uncounted`).
///
/// It serializes as the `batch` command prints it, reads back what it wrote, and
/// `Display`s as JSON (indented with `{:#}`). [`Batch`] writes the same without keeping it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let book = json::read_book(include_str!("../../../examples/book/batch.json"))?;
/// let before = book.ledger().clone();
/// let (mut ledger, debits) = book.into_parts();
/// let outcome = ledger.run(&debits)?;
/// let result = json::batch_output(&before, &ledger, &debits, &outcome);
/// assert_eq!((result.rejected, result.complete), (1, true));
/// let out = serde_json::to_value(&result)?;
/// assert_eq!(out["outcomes"][0]["outcome"], "planned");
/// assert_eq!(out["outcomes"][2]["send_at_offset_ms"], 50);
/// assert_eq!(out["reserve"][0]["currency"], "usd");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct BatchResult {
    /// Each account's available balance before and after, in the ledger's order.
    pub accounts: Vec<AccountBalances>,
    /// Whether every entry of every balance was read and counted.
    pub complete: bool,
    /// Each debit's outcome, in the batch's order.
    pub outcomes: Vec<BatchEntry>,
    /// How many debits were rejected.
    pub rejected: usize,
    /// How the reserve changed, per currency.
    pub reserve: Vec<ReserveOut>,
    /// When the requests start.
    pub schedule: ScheduleOut,
    /// The entries of the balances that could not be read.
    pub uncounted: Vec<UncountedOut>,
}

impl BatchResult {
    /// A batch's output from what it did beside each debit's result, with `outcomes`
    /// empty: `accounts` (each account's balances before and after, in the ledger's order)
    /// and `summary`'s book, reserve change, schedule and uncounted entries. What a caller
    /// that keeps each result its own way (Python's `plan_columns`) gives beside them.
    pub fn of_summary(accounts: Vec<AccountBalances>, summary: &BatchSummary) -> BatchResult {
        BatchResult {
            accounts,
            complete: summary.book_before().is_complete(),
            outcomes: Vec::new(),
            rejected: summary.rejected(),
            reserve: reserve(summary),
            schedule: ScheduleOut::of(summary),
            uncounted: uncounted(summary.book_before()),
        }
    }

    /// What it says.
    pub fn kind(&self) -> BatchKind {
        if !self.complete {
            BatchKind::Incomplete
        } else if self.rejected == 0 {
            BatchKind::Planned
        } else {
            BatchKind::Rejected
        }
    }
}

impl Serialize for BatchResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Document {
            accounts: &self.accounts,
            complete: self.complete,
            outcomes: &self.outcomes,
            rejected: self.rejected,
            reserve: &self.reserve,
            schedule: &self.schedule,
            uncounted: &self.uncounted,
        }
        .serialize(serializer)
    }
}

/// What a batch did, as [`BatchResult`], from a batch run with [`Ledger::run`]: `before`
/// is the ledger as it was before the batch; `after`, as the batch left it; `debits`, the
/// batch.
pub fn batch_output(
    before: &Ledger,
    after: &Ledger,
    debits: &[BatchDebit],
    outcome: &crate::book::BatchOutcome,
) -> BatchResult {
    let schedule = outcome.schedule();
    BatchResult {
        accounts: before
            .accounts()
            .zip(after.accounts())
            .map(|((account, was), (_, is))| AccountBalances::of((account.id(), was, is)))
            .collect(),
        complete: outcome.book_before().is_complete(),
        outcomes: outcome
            .results()
            .iter()
            .zip(debits)
            .enumerate()
            .map(|(index, (result, debit))| BatchEntry {
                outcome: super::outcome(result),
                debit: debit.debit().id(),
                account: after.account(debit.slot()).map(Account::id),
                send_at_offset_ms: schedule.offset_ms(index),
            })
            .collect(),
        rejected: outcome.rejected(),
        reserve: reserve(outcome.summary()),
        schedule: ScheduleOut::of(outcome.summary()),
        uncounted: uncounted(outcome.book_before()),
    }
}

/// One debit's outcome in a batch: as `plan` prints it, with the debit's id and account
/// and, for a planned one, when to send it. Its fields are written in alphabetical order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct BatchEntry {
    /// The outcome, as `plan` prints it.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The debit's id.
    pub debit: DebitId,
    /// The account debited.
    pub account: Option<AccountId>,
    /// When to start its request, in milliseconds after the batch's first; absent for a
    /// rejected debit.
    #[serde(default)]
    pub send_at_offset_ms: Option<u64>,
}

impl Serialize for BatchEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("account", &self.account)?;
        match &self.outcome {
            Outcome::Planned(plan) => planned_fields(&mut map, plan, self)?,
            Outcome::Rejected(rejected) => rejected_fields(&mut map, rejected, self)?,
            Outcome::InvalidInput(invalid) => invalid_fields(&mut map, invalid, self)?,
        }
        map.end()
    }
}

/// A plan's fields after `account`, in alphabetical order with the entry's.
fn planned_fields<M: SerializeMap>(
    map: &mut M,
    plan: &Planned,
    entry: &BatchEntry,
) -> Result<(), M::Error> {
    let headers = &plan.request.headers;
    map.serialize_entry("advisories", &SortedList(&plan.advisories))?;
    let balance = &plan.connected_available;
    map.serialize_entry(
        "connected_available",
        &BalanceChange {
            after: balance.after,
            before: balance.before,
            currency: balance.currency,
        },
    )?;
    map.serialize_entry("debit", &entry.debit)?;
    map.serialize_entry("flow", &plan.flow)?;
    map.serialize_entry("method", &plan.method)?;
    map.serialize_entry("outcome", "planned")?;
    let payment = &plan.payment;
    map.serialize_entry(
        "payment",
        &SortedPayment {
            account: payment.account,
            amount: payment.amount,
            currency: payment.currency,
            source_account: payment.source_account,
        },
    )?;
    map.serialize_entry("platform_available_change", &plan.platform_available_change)?;
    map.serialize_entry(
        "request",
        &SortedRequest {
            form: &plan.request.form,
            headers: SortedHeaders {
                content_type: &headers.content_type,
                idempotency_key: headers.idempotency_key.as_str(),
                stripe_account: headers.stripe_account.as_deref(),
            },
            method: &plan.request.method,
            path: &plan.request.path,
        },
    )?;
    map.serialize_entry("reserve_hold", &plan.reserve_hold)?;
    if let Some(offset) = entry.send_at_offset_ms {
        map.serialize_entry("send_at_offset_ms", &offset)?;
    }
    let transfer = &plan.transfer;
    map.serialize_entry(
        "transfer",
        &SortedTransfer {
            account: transfer.account,
            amount: transfer.amount,
            currency: transfer.currency,
            destination: transfer.destination,
            reference_transaction: transfer.reference_transaction.as_ref().map(|reference| {
                SortedReference {
                    charge: reference.charge,
                    payout: reference.payout,
                    kind: &reference.kind,
                }
            }),
        },
    )
}

/// A rejection's fields after `account`, in alphabetical order with the entry's.
fn rejected_fields<M: SerializeMap>(
    map: &mut M,
    rejected: &Rejected,
    entry: &BatchEntry,
) -> Result<(), M::Error> {
    map.serialize_entry("debit", &entry.debit)?;
    map.serialize_entry("outcome", "rejected")?;
    if let Some(offset) = entry.send_at_offset_ms {
        map.serialize_entry("send_at_offset_ms", &offset)?;
    }
    map.serialize_entry("violations", &SortedList(&rejected.violations))
}

/// An input error's fields after `account` (a batch's debits are read before they are
/// planned: not written in practice).
fn invalid_fields<M: SerializeMap>(
    map: &mut M,
    invalid: &InvalidInput,
    entry: &BatchEntry,
) -> Result<(), M::Error> {
    map.serialize_entry("debit", &entry.debit)?;
    map.serialize_entry("error", &invalid.error)?;
    map.serialize_entry("kind", &invalid.kind)?;
    map.serialize_entry("outcome", "invalid_input")?;
    map.serialize_entry("path", &invalid.path)?;
    if let Some(offset) = entry.send_at_offset_ms {
        map.serialize_entry("send_at_offset_ms", &offset)?;
    }
    Ok(())
}

/// Violations or advisories, each with its fields in alphabetical order.
struct SortedList<'a>(&'a [Coded]);

impl Serialize for SortedList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Sorted))
    }
}

#[derive(Serialize)]
struct SortedPayment {
    account: AccountId,
    amount: i64,
    currency: crate::currency::WireCode,
    source_account: AccountId,
}

#[derive(Serialize)]
struct SortedRequest<'a> {
    form: &'a [(Code, String)],
    headers: SortedHeaders<'a>,
    method: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct SortedHeaders<'a> {
    #[serde(rename = "Content-Type")]
    content_type: &'a str,
    #[serde(rename = "Idempotency-Key")]
    idempotency_key: &'a str,
    #[serde(rename = "Stripe-Account", skip_serializing_if = "Option::is_none")]
    stripe_account: Option<&'a str>,
}

#[derive(Serialize)]
struct SortedTransfer<'a> {
    account: AccountId,
    amount: i64,
    currency: crate::currency::WireCode,
    destination: AccountId,
    reference_transaction: Option<SortedReference<'a>>,
}

#[derive(Serialize)]
struct SortedReference<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    charge: Option<TransactionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payout: Option<TransactionId>,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// An account's available balance before and after a batch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountBalances {
    /// The account.
    pub account: AccountId,
    /// Each entry after, in minor units.
    pub available_after: Vec<MoneyOut>,
    /// Each entry before, in minor units.
    pub available_before: Vec<MoneyOut>,
}

impl AccountBalances {
    fn of((account, before, after): (AccountId, &Balance, &Balance)) -> AccountBalances {
        AccountBalances {
            account,
            available_after: amounts(after),
            available_before: amounts(before),
        }
    }
}

/// How the reserve changed in one currency, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReserveOut {
    /// The reserve after.
    pub after: i64,
    /// What the platform's bank account is debited for.
    pub bank_debit: i64,
    /// The reserve before.
    pub before: i64,
    /// Lowercase.
    pub currency: crate::currency::WireCode,
    /// What the batch held.
    pub held: i64,
    /// What the platform's available balance gives.
    pub platform_available: i64,
    /// What the batch released.
    pub released: i64,
}

fn reserve(summary: &BatchSummary) -> Vec<ReserveOut> {
    summary
        .change()
        .currencies()
        .iter()
        .map(|c| ReserveOut {
            after: c.after().minor(),
            bank_debit: c.bank_debit().minor(),
            before: c.before().minor(),
            currency: crate::currency::WireCode::of(c.currency()),
            held: c.held().minor(),
            platform_available: c.platform_available().minor(),
            released: c.released().minor(),
        })
        .collect()
}

/// When a batch's requests start.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScheduleOut {
    /// When the last request starts, in milliseconds after the first.
    pub last_offset_ms: u64,
    /// How many requests start: the planned debits.
    pub requests: u64,
    /// The rate.
    pub requests_per_second: u32,
}

impl ScheduleOut {
    fn of(summary: &BatchSummary) -> ScheduleOut {
        ScheduleOut {
            last_offset_ms: summary.last_offset_ms(),
            requests: summary.requests(),
            requests_per_second: summary.rate().per_second(),
        }
    }
}

/// An entry of a balance the book could not count: its account, why, and its path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UncountedOut {
    /// The account whose balance it is in.
    pub account: AccountId,
    /// Why it could not be read.
    pub error: String,
    /// Its path in the book.
    pub path: String,
}

fn uncounted(book: &ReserveBook) -> Vec<UncountedOut> {
    book.uncounted()
        .iter()
        .map(|entry| UncountedOut {
            account: entry.account(),
            error: entry.reason().to_owned(),
            path: entry.path().to_owned(),
        })
        .collect()
}

fn amounts(balance: &Balance) -> Vec<MoneyOut> {
    balance.iter().map(MoneyOut::of).collect()
}

/// What a [`BookResult`] says, and the command line's exit status. Exhaustive on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookKind {
    /// Every entry of every balance was read and counted.
    Complete,
    /// An entry could not be read: the reserve may be short of Stripe's.
    Incomplete,
}

impl BookKind {
    /// `"complete"` or `"incomplete"`.
    pub const fn code(self) -> &'static str {
        match self {
            BookKind::Complete => "complete",
            BookKind::Incomplete => "incomplete",
        }
    }
}

/// The reserve book and its ageing: the reserve per currency, the accounts below zero with
/// whether (and why) they count, the accounts Stripe zeroes from the reserve within the
/// window, and whether the book is complete (`complete`, with the entries it could not
/// count under `uncounted`: the reserve is then what the entries read add up to, and may be
/// short of Stripe's).
///
/// It serializes as the `book` command prints it, reads back what it wrote, and
/// `Display`s as JSON.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let book = json::read_book(include_str!("../../../examples/book/batch.json"))?;
/// let reserve = book.ledger().book()?;
/// let ageing = book.ledger().ageing(book.at(), book.within_days());
/// let result = json::book_output(&reserve, &ageing, book.within_days());
/// assert_eq!(result.kind(), json::BookKind::Complete);
/// let out = serde_json::to_value(&result)?;
/// assert_eq!(out["reserve"][0]["amount"], 2500);
/// assert_eq!(out["ageing"]["accounts"][0]["account"], "acct_1BookPlatformLiable1");
/// assert_eq!(out["complete"], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BookResult {
    /// The accounts below zero.
    pub accounts: Vec<BookLine>,
    /// The accounts Stripe zeroes from the reserve within the window.
    pub ageing: AgeingOut,
    /// Whether every entry of every balance was read and counted.
    pub complete: bool,
    /// The reserve, per currency.
    pub reserve: Vec<MoneyOut>,
    /// The entries of the balances that could not be read.
    pub uncounted: Vec<UncountedOut>,
}

/// An account below zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BookLine {
    /// The account.
    pub account: AccountId,
    /// Whether the reserve counts it.
    pub counted: bool,
    /// Why (a coverage code).
    pub coverage: Code,
    /// How far below zero.
    pub negative: MoneyOut,
}

/// The accounts zeroed from the reserve within a window.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgeingOut {
    /// The accounts.
    pub accounts: Vec<AgedOut>,
    /// The window, in days.
    pub within_days: u32,
}

/// An account Stripe zeroes from the reserve.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgedOut {
    /// The account.
    pub account: AccountId,
    /// Its available balance, in minor units.
    pub available: Vec<MoneyOut>,
    /// Why the reserve counts it (a coverage code).
    pub coverage: Code,
    /// Since when it has been below zero (Unix seconds).
    pub negative_since: i64,
    /// When Stripe zeroes it (Unix seconds).
    pub zeroed_at: i64,
}

impl BookResult {
    /// What it says.
    pub fn kind(&self) -> BookKind {
        if self.complete {
            BookKind::Complete
        } else {
            BookKind::Incomplete
        }
    }
}

/// The reserve book and its ageing within `within_days`, as [`BookResult`].
pub fn book_output(book: &ReserveBook, ageing: &Ageing, within_days: u32) -> BookResult {
    BookResult {
        accounts: book
            .lines()
            .iter()
            .map(|line| BookLine {
                account: line.account(),
                counted: line.coverage().counts(),
                coverage: Cow::Borrowed(line.coverage().code()),
                negative: MoneyOut::of(line.negative()),
            })
            .collect(),
        ageing: AgeingOut {
            accounts: ageing
                .lines()
                .iter()
                .map(|line| AgedOut {
                    account: line.account(),
                    available: amounts(line.available()),
                    coverage: Cow::Borrowed(line.coverage().code()),
                    negative_since: line.negative_since().unix(),
                    zeroed_at: line.zeroed_at().unix(),
                })
                .collect(),
            within_days,
        },
        complete: book.is_complete(),
        reserve: amounts(book.total()),
        uncounted: uncounted(book),
    }
}

json_display!(BatchResult, BookResult);
