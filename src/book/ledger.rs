//! The accounts of a platform and their balances, updated debit by debit.

use std::collections::HashMap;

use crate::consent::Consent;
use crate::debit::input::{Debit, InputRef};
use crate::debit::plan::DebitPlan;
use crate::debit::rules::{LEDGER_RULES, Rejection, Violation, ViolationKind};
use crate::stripe::account::{Account, Connected, Platform};
use crate::stripe::balance::Balance;
use crate::stripe::id::AccountId;
use crate::stripe::reserves::PlatformReserves;
use crate::value::money::Money;
use crate::value::time::Timestamp;

use super::keys::{Hashed, Keys};
use super::reserve::{BookError, ReserveBook, ReserveChange, UncountedEntry};
use super::schedule::{Schedule, SendRate};
use super::slot::AccountSlot;

/// A platform's connected accounts with their available balances (as Stripe reports them),
/// consent records and, for a negative balance, since when it has been negative; and the
/// platform's own available balance. [`Ledger::plan`] plans one debit against the balance
/// the debits before it left and, when it is planned, applies it.
///
/// Beside a flow's rules, the ledger judges its own ([`Ledger::RULES`]), which need more than
/// one debit: a debit whose id was planned before on the same account (`debit_id_reused`:
/// the same idempotency key, whose first result Stripe would replay), and one that would
/// take the platform's balance beyond Stripe's integer amount
/// (`platform_balance_out_of_range`).
///
/// Memory is linear in the number of accounts and of the debits planned (the key of each,
/// to refuse it a second time), not of the debits judged: a batch is a loop over
/// [`Ledger::plan`], and the caller keeps what it needs of each outcome.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Debit, Money, demo};
/// use stripe_account_debits::book::Ledger;
/// use stripe_account_debits::stripe::{Balance, Connected, Platform};
///
/// let input = demo::input()?;
/// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
/// let slot = ledger.add_account(
///     Connected::new(input.connected().clone()),
///     input.connected_balance().clone(),
///     input.consent().cloned(),
/// )?;
/// // The demo's account has 10.00 USD: three debits of 5.00 USD in a row take it to -5.00.
/// for n in 0..3 {
///     let debit = Debit::from_minor(format!("debit-{n}").parse()?, 500, Currency::USD, input.debit().reference().expect("the demo's debit has a reference"));
///     let plan = ledger.plan(slot, &debit, input.at()).expect("a slot of this ledger")?;
///     assert_eq!(plan.reserve().minor(), if n == 2 { 500 } else { 0 });
/// }
/// assert_eq!(ledger.balance(slot).and_then(|b| b.available(Currency::USD)), Some(Money::from_minor(-500, Currency::USD)?));
/// assert_eq!(ledger.book()?.total().available(Currency::USD), Some(Money::from_minor(500, Currency::USD)?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    platform: Account,
    platform_reserves: PlatformReserves,
    negative_balances_allowed: bool,
    amount_caps: Vec<Money>,
    platform_available: Balance,
    accounts: Vec<LedgerAccount>,
    slots: HashMap<AccountId, AccountSlot>,
    /// The account and debit id of each debit planned (with the platform, its idempotency
    /// key), and which debit it was.
    planned: Keys,
    /// How many debits the ledger judged: the number of the next.
    judged: u64,
    send_rate: SendRate,
    uncounted: Vec<UncountedEntry>,
}

#[derive(Debug, Clone)]
pub(crate) struct LedgerAccount {
    pub(crate) account: Account,
    pub(crate) balance: Balance,
    pub(crate) consent: Option<Consent>,
    pub(crate) negative_since: Option<Timestamp>,
}

/// How many debits a batch takes at a time ([`Ledger::judge_group`]), reading the memory
/// their judging needs before judging them: enough for the reads to overlap one another,
/// few enough that what they bring in is still in the caches when it is used. With the
/// 4-byte key table, 12 was faster than 8, 10, 16, 24 and 32 in both orders, idle A/B
/// (`docs/performance.md`, "The key table's slots (stop 25)"; 32 and 64 were slower than
/// 16 before, "Reading ahead").
const AHEAD: usize = 12;

/// What a batch changed, to put back when it cannot be summed.
#[derive(Debug)]
struct Undo {
    platform_available: Balance,
    judged: u64,
    /// Each account the batch's planned debits changed, as it was before the batch (saved
    /// when first changed: at most one copy per account, whatever the batch's length).
    accounts: Vec<(AccountSlot, Balance, Option<Timestamp>)>,
    /// Whether each account of the ledger, by slot, is saved in `accounts`.
    saved: Vec<bool>,
    /// How many debit keys the ledger kept before the batch: those after are the batch's.
    planned: usize,
}

/// What a batch counts as it is judged.
#[derive(Debug, Default)]
struct Tally {
    rejected: usize,
    requests: u64,
    last_offset_ms: u64,
}

/// Why an account cannot be added to a [`Ledger`].
///
/// # Example
///
/// ```
/// use stripe_account_debits::demo;
/// use stripe_account_debits::book::{Ledger, LedgerError};
/// use stripe_account_debits::stripe::{Balance, Connected, Platform};
///
/// let input = demo::input()?;
/// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
/// let connected = || Connected::new(input.connected().clone());
/// ledger.add_account(connected(), Balance::empty(), None)?;
/// let err = ledger.add_account(connected(), Balance::empty(), None).unwrap_err();
/// assert_eq!(err.to_string(), "account acct_1ConnectedDemo001 is already in the ledger");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The account was added before.
    #[error("account {0} is already in the ledger")]
    Duplicate(AccountId),
    /// The ledger holds as many accounts as an [`AccountSlot`] can name (2^32).
    #[error("the ledger is full")]
    Full,
    /// A debit names a slot that is not one of this ledger's. From [`Ledger::run`], the
    /// ledger is then as it was before the batch.
    #[error("slot {} is not an account of this ledger", .0.index())]
    UnknownSlot(AccountSlot),
    /// The reserve does not fit Stripe's integer amount. From [`Ledger::run`], the ledger
    /// is then as it was before the batch: nothing of it was applied.
    #[error(transparent)]
    Book(#[from] BookError),
}

/// One debit of a batch: the account it debits, the debit, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchDebit {
    slot: AccountSlot,
    debit: Debit,
    at: Timestamp,
}

impl BatchDebit {
    /// `debit` of the account at `slot`, at time `at`.
    pub fn new(slot: AccountSlot, debit: Debit, at: Timestamp) -> BatchDebit {
        BatchDebit { slot, debit, at }
    }

    /// The account debited.
    pub fn slot(&self) -> AccountSlot {
        self.slot
    }

    /// The debit.
    pub fn debit(&self) -> &Debit {
        &self.debit
    }

    /// When it is judged.
    pub fn at(&self) -> Timestamp {
        self.at
    }
}

/// What a batch did: each debit's outcome, in the order given, how the reserve changed, and
/// when to send each planned debit's request.
#[derive(Debug, Clone)]
pub struct BatchOutcome {
    results: Vec<Result<DebitPlan, Rejection>>,
    summary: BatchSummary,
    schedule: Schedule,
}

impl BatchOutcome {
    /// Each debit's plan or rejection, in the order given.
    pub fn results(&self) -> &[Result<DebitPlan, Rejection>] {
        &self.results
    }

    /// How many debits were rejected.
    pub fn rejected(&self) -> usize {
        self.summary.rejected
    }

    /// The reserve book before the batch.
    pub fn book_before(&self) -> &ReserveBook {
        &self.summary.book_before
    }

    /// The reserve book after it.
    pub fn book_after(&self) -> &ReserveBook {
        &self.summary.book_after
    }

    /// How the reserve changed, per currency, and any platform bank debit.
    pub fn change(&self) -> &ReserveChange {
        &self.summary.change
    }

    /// When to start each planned debit's request, at the ledger's [`SendRate`].
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// All of it but each debit's result.
    pub fn summary(&self) -> &BatchSummary {
        &self.summary
    }
}

/// What a batch did beside each debit's result ([`Ledger::run_each`] hands those over one
/// by one): how many debits it judged and rejected, the reserve book before and after and
/// how the reserve changed, and the schedule's rate, requests and last start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSummary {
    judged: usize,
    rejected: usize,
    book_before: ReserveBook,
    book_after: ReserveBook,
    change: ReserveChange,
    rate: SendRate,
    requests: u64,
    last_offset_ms: u64,
}

impl BatchSummary {
    /// How many debits were judged: the batch's length.
    pub fn judged(&self) -> usize {
        self.judged
    }

    /// How many debits were rejected.
    pub fn rejected(&self) -> usize {
        self.rejected
    }

    /// The reserve book before the batch.
    pub fn book_before(&self) -> &ReserveBook {
        &self.book_before
    }

    /// The reserve book after it.
    pub fn book_after(&self) -> &ReserveBook {
        &self.book_after
    }

    /// How the reserve changed, per currency, and any platform bank debit.
    pub fn change(&self) -> &ReserveChange {
        &self.change
    }

    /// The rate the requests are scheduled at.
    pub fn rate(&self) -> SendRate {
        self.rate
    }

    /// How many requests the batch starts: the planned debits.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// When the last request starts, in milliseconds after the first (0 for none or one),
    /// as [`Schedule::last_offset_ms`].
    pub fn last_offset_ms(&self) -> u64 {
        self.last_offset_ms
    }
}

/// One debit of a batch, judged: what [`Ledger::run_each`] hands over for each.
#[derive(Debug)]
pub struct Judged<'a> {
    index: usize,
    debit: &'a BatchDebit,
    account: AccountId,
    result: Result<DebitPlan, Rejection>,
    offset: Option<u64>,
}

impl<'a> Judged<'a> {
    /// Its index in the batch.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The debit.
    pub fn debit(&self) -> &'a BatchDebit {
        self.debit
    }

    /// The account it debits.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// Its plan or rejection.
    pub fn result(&self) -> &Result<DebitPlan, Rejection> {
        &self.result
    }

    /// Its plan or rejection, taken.
    pub fn into_result(self) -> Result<DebitPlan, Rejection> {
        self.result
    }

    /// When planned, when its request starts, in milliseconds after the batch's first (see
    /// [`Schedule`]).
    pub fn send_at_offset_ms(&self) -> Option<u64> {
        self.offset
    }
}

impl Ledger {
    /// The rules the ledger judges beside a debit flow's, in the table's order (they come
    /// last in it): `debit_id_reused` and `platform_balance_out_of_range`.
    pub const RULES: &'static [ViolationKind] = LEDGER_RULES;

    /// A ledger of `platform`, whose own available balance is `platform_available`, with no
    /// connected accounts yet.
    pub fn new(platform: Platform, platform_available: Balance) -> Ledger {
        Ledger {
            platform: platform.into_account(),
            platform_reserves: PlatformReserves::Unknown,
            negative_balances_allowed: false,
            amount_caps: Vec::new(),
            platform_available,
            accounts: Vec::new(),
            slots: HashMap::new(),
            planned: Keys::default(),
            judged: 0,
            send_rate: SendRate::DEFAULT,
            uncounted: Vec::new(),
        }
    }

    /// This ledger with the rate a batch's requests are scheduled at
    /// ([`BatchOutcome::schedule`]); [`SendRate::DEFAULT`] until said.
    #[must_use]
    pub fn with_send_rate(mut self, rate: SendRate) -> Ledger {
        self.send_rate = rate;
        self
    }

    /// The rate a batch's requests are scheduled at.
    pub fn send_rate(&self) -> SendRate {
        self.send_rate
    }

    /// Room for `additional` more planned debits without allocating: planning a debit
    /// keeps its key, in a table that otherwise grows as it fills. The room is written
    /// once here (about 80 bytes a debit: the key's 32-byte entry, its 4-byte word in a
    /// table at most half full and 40 bytes of its id), so that a batch does not wait for
    /// the kernel to map fresh memory as it plans: ask for the debits you will plan. Room
    /// the address space cannot hold is not reserved, and the keys then grow as they come.
    pub fn reserve_debits(&mut self, additional: usize) {
        self.planned.reserve(additional);
    }

    /// Records an entry of an account's (or the platform's) balance that could not be read:
    /// the book says it could not count it, and is then not complete
    /// ([`ReserveBook::is_complete`]).
    pub fn add_uncounted(&mut self, entry: UncountedEntry) {
        self.uncounted.push(entry);
    }

    /// The entries of the balances that could not be read, in the order added.
    pub fn uncounted(&self) -> &[UncountedEntry] {
        &self.uncounted
    }

    /// This ledger with whether the platform has connected reserves enabled (see
    /// [`DebitInput::with_platform_reserves`](crate::DebitInput::with_platform_reserves)).
    #[must_use]
    pub fn with_platform_reserves(mut self, reserves: PlatformReserves) -> Ledger {
        self.platform_reserves = reserves;
        self
    }

    /// This ledger with whether the platform's arrangement with Stripe lets a debit take a
    /// platform-managed account below zero (see
    /// [`DebitInput::with_negative_balances_allowed`](crate::DebitInput::with_negative_balances_allowed));
    /// `false` until said.
    #[must_use]
    pub fn with_negative_balances_allowed(mut self, allowed: bool) -> Ledger {
        self.negative_balances_allowed = allowed;
        self
    }

    /// This ledger with a cap on debits of platform-managed accounts in `cap`'s currency
    /// (see [`DebitInput::with_amount_cap`](crate::DebitInput::with_amount_cap): in USD, the
    /// lower of Stripe's and this one applies); a second cap in one currency replaces the
    /// first.
    #[must_use]
    pub fn with_amount_cap(mut self, cap: Money) -> Ledger {
        self.amount_caps.retain(|c| c.currency() != cap.currency());
        self.amount_caps.push(cap);
        self
    }

    /// Adds a connected account with its available balance and the platform's consent
    /// record for it.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Duplicate`] for an account already added.
    pub fn add_account(
        &mut self,
        account: Connected,
        balance: Balance,
        consent: Option<Consent>,
    ) -> Result<AccountSlot, LedgerError> {
        let account = account.into_account();
        let slot = AccountSlot(u32::try_from(self.accounts.len()).map_err(|_| LedgerError::Full)?);
        if self.slots.insert(account.id(), slot).is_some() {
            return Err(LedgerError::Duplicate(account.id()));
        }
        self.accounts.push(LedgerAccount {
            account,
            balance,
            consent,
            negative_since: None,
        });
        Ok(slot)
    }

    /// Records since when the account's available balance has been negative (in any
    /// currency), for [`Ledger::ageing`]; `None` when it is not.
    pub fn set_negative_since(&mut self, slot: AccountSlot, since: Option<Timestamp>) {
        if let Some(entry) = self.accounts.get_mut(slot.index()) {
            entry.negative_since = since;
        }
    }

    /// Plans `debit` on the account at `slot` at time `at`, against the balance the debits
    /// before it left, with [`plan_debit`](crate::plan_debit)'s rules and the ledger's own
    /// ([`Ledger::RULES`]). A planned debit is applied: the account's balance becomes the
    /// plan's balance after, the platform's available balance grows by the plan's
    /// [`platform_available_change`], an account it takes below zero is negative since `at`,
    /// and its id is taken on that account. A rejected debit changes nothing (its id stays
    /// free: nothing was sent under it).
    ///
    /// `None` when `slot` is not one of this ledger's.
    ///
    /// [`platform_available_change`]: DebitPlan::platform_available_change
    pub fn plan(
        &mut self,
        slot: AccountSlot,
        debit: &Debit,
        at: Timestamp,
    ) -> Option<Result<DebitPlan, Rejection>> {
        let key = self.planned.hashed(slot, debit.id_ref());
        self.plan_keyed(slot, debit, at, key)
    }

    /// [`Ledger::plan`], the debit's key hashed.
    #[inline(always)]
    fn plan_keyed(
        &mut self,
        slot: AccountSlot,
        debit: &Debit,
        at: Timestamp,
        key: Hashed<'_>,
    ) -> Option<Result<DebitPlan, Rejection>> {
        // The key first: its table is large, and looking it up while the debit is judged
        // hides the wait for memory behind the judging.
        let earlier = self.planned.find(&key);
        let entry = self.accounts.get_mut(slot.index())?;
        // The ledger's own parts, lent to the engine's door as `plan_debit` lends an input's.
        let input = InputRef {
            platform: &self.platform,
            connected: &entry.account,
            connected_balance: &entry.balance,
            consent: entry.consent.as_ref(),
            debit,
            at,
            platform_reserves: self.platform_reserves,
            negative_balances_allowed: self.negative_balances_allowed,
            amount_cap: self
                .amount_caps
                .iter()
                .find(|cap| cap.currency() == debit.currency())
                .copied(),
        };
        let judged = crate::debit::plan_lent(input, None);
        let number = self.judged;
        self.judged = self.judged.saturating_add(1);
        if let Some(earlier) = earlier {
            let reused = Violation::DebitIdReused {
                account: entry.account.id(),
                debit_id: debit.id(),
                earlier,
            };
            return Some(Err(match judged {
                Ok(_) => Rejection::new(vec![reused]),
                Err(rejection) => rejection.with(reused),
            }));
        }
        // The plan is read where it is, and `judged` handed back whole: moving a plan out
        // of its `Result` copied its 432 bytes once more a debit.
        let Ok(plan) = &judged else {
            return Some(judged);
        };
        let change = plan.platform_available_change();
        let platform_before = self
            .platform_available
            .available(change.currency())
            .unwrap_or_else(|| Money::zero_in(change.stripe_currency()));
        let Some(platform_after) = platform_before.checked_add(change) else {
            return Some(Err(Rejection::new(vec![
                Violation::PlatformBalanceOutOfRange {
                    platform_available: platform_before,
                    brought_in: change,
                },
            ])));
        };
        let effect = plan.connected_available();
        // Below zero since now when it goes below zero in a currency and was below in none
        // (read before the balance is set; a debit that leaves it at or above zero needs
        // no look).
        let goes_negative =
            effect.after().is_negative() && !entry.balance.iter().any(|m| m.is_negative());
        entry.balance.set_available(effect.after());
        if goes_negative {
            entry.negative_since = Some(at);
        }
        self.platform_available.set_available(platform_after);
        self.planned.insert(key, number);
        Some(judged)
    }

    /// Plans `debits` in the order given, each against the balances the ones before it
    /// left (see [`Ledger::plan`]), says how the reserve changed, and schedules the planned
    /// debits' requests at the ledger's [`SendRate`].
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownSlot`] when a debit names a slot that is not one of this
    /// ledger's (found as the batch reaches it, at most 12 debits ahead of the debit judged:
    /// a separate pass to look for it first read the whole batch once more, a
    /// twentieth of a batch's time); [`LedgerError::Book`] when a reserve does not fit
    /// Stripe's integer amount, before or after the batch. Either way the ledger is then
    /// left as it was before the batch.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Debit, demo};
    /// use stripe_account_debits::book::{BatchDebit, Ledger};
    /// use stripe_account_debits::stripe::{Balance, Connected, Platform};
    ///
    /// let input = demo::input()?;
    /// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
    /// let slot = ledger.add_account(Connected::new(input.connected().clone()), input.connected_balance().clone(), input.consent().cloned())?;
    /// let debit = |id: &str, minor| Debit::from_minor(id.parse().unwrap(), minor, Currency::USD, input.debit().reference().expect("the demo's debit has a reference"));
    /// let batch = [BatchDebit::new(slot, debit("a", 800), input.at()), BatchDebit::new(slot, debit("b", 0), input.at()), BatchDebit::new(slot, debit("c", 800), input.at())];
    /// let outcome = ledger.run(&batch)?;
    /// assert_eq!(outcome.rejected(), 1);
    /// // 10.00 - 8.00 - 8.00 = -6.00 USD: the batch held 6.00 USD of reserve.
    /// assert_eq!(outcome.change().currencies()[0].held().minor(), 600);
    /// // "a" again is refused: Stripe would replay the first "a" for its idempotency key.
    /// let again = ledger.run(&[BatchDebit::new(slot, debit("a", 100), input.at())])?;
    /// assert!(again.results()[0].as_ref().unwrap_err().breaks("debit_id_reused"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(&mut self, debits: &[BatchDebit]) -> Result<BatchOutcome, LedgerError> {
        let mut results = Vec::with_capacity(debits.len());
        let summary = self.run_each(debits, |judged| results.push(judged.into_result()))?;
        Ok(BatchOutcome {
            schedule: Schedule::of(&results, summary.rate),
            results,
            summary,
        })
    }

    /// Plans `debits` as [`Ledger::run`] does, but hands each debit's result to `each` as it
    /// is judged (with the debit's index in the batch, the debit and, when planned, its
    /// start offset in milliseconds) instead of keeping them: memory stays that of the ledger, whatever
    /// the batch's length. Run again on a copy of the ledger as it was, the batch hands
    /// over the same results: a writer can make two passes over a batch without keeping
    /// it.
    ///
    /// # Errors
    ///
    /// As [`Ledger::run`]. When a debit names a slot not in the ledger, `each` has been
    /// handed the results of the debits of the groups of 12 before its own; when the
    /// reserve does not fit after the batch, every result. The ledger is then put back as
    /// it was: those results are void.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Debit, demo};
    /// use stripe_account_debits::book::{BatchDebit, Ledger};
    /// use stripe_account_debits::stripe::{Balance, Connected, Platform};
    ///
    /// let input = demo::input()?;
    /// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
    /// let slot = ledger.add_account(Connected::new(input.connected().clone()), input.connected_balance().clone(), input.consent().cloned())?;
    /// let debit = |id: &str, minor| Debit::from_minor(id.parse().unwrap(), minor, Currency::USD, input.debit().reference().expect("the demo's debit has a reference"));
    /// let batch = [BatchDebit::new(slot, debit("a", 800), input.at()), BatchDebit::new(slot, debit("b", 0), input.at()), BatchDebit::new(slot, debit("c", 800), input.at())];
    /// let mut offsets = Vec::new();
    /// let summary = ledger.run_each(&batch, |judged| offsets.push((judged.index(), judged.result().is_ok(), judged.send_at_offset_ms())))?;
    /// assert_eq!(offsets, [(0, true, Some(0)), (1, false, None), (2, true, Some(50))]);
    /// assert_eq!((summary.judged(), summary.rejected(), summary.requests()), (3, 1, 2));
    /// assert_eq!(summary.change().currencies()[0].held().minor(), 600);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_each<'d>(
        &mut self,
        debits: &'d [BatchDebit],
        each: impl FnMut(Judged<'d>),
    ) -> Result<BatchSummary, LedgerError> {
        self.judge(debits, each).map(|(summary, _)| summary)
    }

    /// Plans `debits` as [`Ledger::run_each`] does, handing each result to `each`, then
    /// puts the ledger back as it was: what the batch would do, without doing it. Besides
    /// the summary, each account's available balance as the batch would leave it, in the
    /// ledger's order. A writer plans a batch twice so (once to know what it does, once to
    /// write each result), without keeping the results nor copying the ledger.
    ///
    /// # Errors
    ///
    /// As [`Ledger::run`]; the ledger is as it was either way.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Debit, demo};
    /// use stripe_account_debits::book::{BatchDebit, Ledger};
    /// use stripe_account_debits::stripe::{Balance, Connected, Platform};
    ///
    /// let input = demo::input()?;
    /// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
    /// let slot = ledger.add_account(Connected::new(input.connected().clone()), input.connected_balance().clone(), input.consent().cloned())?;
    /// let debit = Debit::from_minor("a".parse()?, 800, Currency::USD, input.debit().reference().expect("a reference"));
    /// let batch = [BatchDebit::new(slot, debit, input.at())];
    /// let (summary, after) = ledger.preview_each(&batch, |_| {})?;
    /// assert_eq!((summary.requests(), after[0].available(Currency::USD).map(|m| m.minor())), (1, Some(200)));
    /// // Nothing was applied: the same batch plans again, from 10.00 USD.
    /// assert_eq!(ledger.balance(slot).and_then(|b| b.available(Currency::USD)).map(|m| m.minor()), Some(1000));
    /// assert_eq!(ledger.run(&batch)?.rejected(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn preview_each<'d>(
        &mut self,
        debits: &'d [BatchDebit],
        each: impl FnMut(Judged<'d>),
    ) -> Result<(BatchSummary, Vec<Balance>), LedgerError> {
        let (summary, undo) = self.judge(debits, each)?;
        let after = self.accounts.iter().map(|e| e.balance.clone()).collect();
        self.undo(undo);
        Ok((summary, after))
    }

    /// Plans `debits` in order, handing each result to `each`: what the batch did, and
    /// what puts it back. When the reserve does not fit after it, the batch is put back
    /// here and the error returned.
    fn judge<'d>(
        &mut self,
        debits: &'d [BatchDebit],
        mut each: impl FnMut(Judged<'d>),
    ) -> Result<(BatchSummary, Undo), LedgerError> {
        let book_before = self.book()?;
        let mut undo = Undo {
            platform_available: self.platform_available.clone(),
            judged: self.judged,
            accounts: Vec::new(),
            saved: vec![false; self.accounts.len()],
            planned: self.planned.len(),
        };
        let mut tally = Tally::default();
        for (number, group) in debits.chunks(AHEAD).enumerate() {
            let first = number.saturating_mul(AHEAD);
            // A slot not in the ledger stops the batch before its group is judged.
            if let Err(foreign) = self.judge_group(first, group, &mut undo, &mut tally, &mut each) {
                self.undo(undo);
                return Err(LedgerError::UnknownSlot(foreign));
            }
        }
        let after = self.book().and_then(|book_after| {
            let change = book_before.change_to(&book_after, &self.platform_available)?;
            Ok((book_after, change))
        });
        match after {
            Ok((book_after, change)) => Ok((
                BatchSummary {
                    judged: debits.len(),
                    rejected: tally.rejected,
                    book_before,
                    book_after,
                    change,
                    rate: self.send_rate,
                    requests: tally.requests,
                    last_offset_ms: tally.last_offset_ms,
                },
                undo,
            )),
            Err(error) => {
                self.undo(undo);
                Err(LedgerError::Book(error))
            }
        }
    }

    /// Plans a group of at most [`AHEAD`] debits of a batch, the first at index `first`, as
    /// [`Ledger::judge_one`] does. The
    /// memory the group's judging reads at random (each key's word in the key table, each
    /// account's record) is read first, all of it at once, the reads overlapping one
    /// another, before any debit of the group is judged.
    #[inline(always)]
    fn judge_group<'d>(
        &mut self,
        first: usize,
        group: &'d [BatchDebit],
        undo: &mut Undo,
        tally: &mut Tally,
        each: &mut impl FnMut(Judged<'d>),
    ) -> Result<(), AccountSlot> {
        let mut hashes = [0u64; AHEAD];
        for (hash, batch_debit) in hashes.iter_mut().zip(group) {
            if self.accounts.get(batch_debit.slot.index()).is_none() {
                return Err(batch_debit.slot);
            }
            *hash = self
                .planned
                .hash_of(batch_debit.slot, batch_debit.debit.id_ref());
        }
        for hash in hashes.iter().take(group.len()) {
            self.planned.touch(*hash);
        }
        for batch_debit in group {
            self.touch_account(batch_debit.slot);
        }
        for ((offset, batch_debit), hash) in group.iter().enumerate().zip(hashes) {
            let key = self
                .planned
                .with_hash(hash, batch_debit.slot, batch_debit.debit.id_ref());
            let index = first.saturating_add(offset);
            if let Some(judged) = self.judge_one(index, batch_debit, key, undo, tally) {
                each(judged);
            }
        }
        Ok(())
    }

    /// Reads the record of the account at `slot` where judging a debit reads it, and
    /// nothing else: a batch reads the records of a group of debits' accounts one after
    /// the other, the reads overlapping, before it judges any of them, instead of waiting
    /// for each record in turn in the middle of judging (in a batch whose accounts come in
    /// any order, each is a random access into tens of megabytes: `docs/performance.md`,
    /// "Batches in any order").
    #[inline]
    fn touch_account(&self, slot: AccountSlot) {
        if let Some(entry) = self.accounts.get(slot.index()) {
            // One read in each part of the record (it spans four cache lines).
            core::hint::black_box(entry.account.id());
            core::hint::black_box(entry.account.negative_balance_reclaim());
            core::hint::black_box(entry.balance.iter().next());
            core::hint::black_box(entry.consent.as_ref().map(Consent::granted_at));
            core::hint::black_box(entry.negative_since);
        }
    }

    /// Plans the debit at `index` of a batch, whose key is `key`, saving in `undo` what it
    /// changes and counting it in `tally`. `None` only for a slot not in the ledger
    /// (checked before).
    #[inline(always)]
    fn judge_one<'d>(
        &mut self,
        index: usize,
        batch_debit: &'d BatchDebit,
        key: Hashed<'_>,
        undo: &mut Undo,
        tally: &mut Tally,
    ) -> Option<Judged<'d>> {
        let slot = batch_debit.slot;
        let entry = self.accounts.get(slot.index())?;
        let saved = undo.saved.get_mut(slot.index())?;
        let before = (!*saved).then(|| (entry.balance.clone(), entry.negative_since));
        let account = entry.account.id();
        // Built around the result, then completed: the result is not moved into a
        // `Judged` made after it.
        let mut judged = Judged {
            index,
            debit: batch_debit,
            account,
            result: self.plan_keyed(slot, &batch_debit.debit, batch_debit.at, key)?,
            offset: None,
        };
        if judged.result.is_ok() {
            if let Some((balance, since)) = before {
                undo.accounts.push((slot, balance, since));
                *saved = true;
            }
            let offset = self.send_rate.offset_ms(tally.requests);
            tally.requests = tally.requests.saturating_add(1);
            tally.last_offset_ms = offset;
            judged.offset = Some(offset);
        } else {
            tally.rejected = tally.rejected.saturating_add(1);
        }
        Some(judged)
    }

    /// Puts back what a batch of `debits` changed: the balances of the accounts its planned
    /// debits touched, their ids, the platform's balance and the count of debits.
    fn undo(&mut self, undo: Undo) {
        for (slot, balance, negative_since) in undo.accounts {
            if let Some(entry) = self.accounts.get_mut(slot.index()) {
                entry.balance = balance;
                entry.negative_since = negative_since;
            }
        }
        // The keys kept after those of before the batch are its planned debits'.
        self.planned.truncate(undo.planned);
        self.platform_available = undo.platform_available;
        self.judged = undo.judged;
    }

    /// The slot of the account with `id`, if it is in the ledger.
    pub fn slot_of(&self, id: &AccountId) -> Option<AccountSlot> {
        self.slots.get(id).copied()
    }

    /// The platform account.
    pub fn platform(&self) -> &Account {
        &self.platform
    }

    /// The platform's own available balance, with the changes of the debits planned.
    pub fn platform_available(&self) -> &Balance {
        &self.platform_available
    }

    /// The account at `slot`.
    pub fn account(&self, slot: AccountSlot) -> Option<&Account> {
        self.accounts.get(slot.index()).map(|entry| &entry.account)
    }

    /// The available balance of the account at `slot`, with the debits planned.
    pub fn balance(&self, slot: AccountSlot) -> Option<&Balance> {
        self.accounts.get(slot.index()).map(|entry| &entry.balance)
    }

    /// How many connected accounts the ledger holds.
    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// Whether the ledger holds no connected account.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// The connected accounts, in the order added, with their balances.
    pub fn accounts(&self) -> impl ExactSizeIterator<Item = (&Account, &Balance)> + '_ {
        self.accounts.iter().map(|e| (&e.account, &e.balance))
    }

    pub(crate) fn entries(&self) -> &[LedgerAccount] {
        &self.accounts
    }
}
