//! The reserve Stripe holds on the platform for negative connected balances.
//!
//! Sources: Stripe's "Connect reserves FAQ" ("The amount was determined by the sum of all
//! negative available balances on connected accounts across your platform", for the
//! accounts "for whom you are responsible for losses"; "If your platform account's balance
//! doesn't have funds, Stripe will debit your platform account's bank account"), and the
//! seed for accounts on Stripe managed risk ("If a connected account balance becomes
//! negative as a result of the account debit, we will hold the appropriate amount of
//! reserves on the platform balance").

use iso_currency::Currency;

use crate::stripe::account::{Account, LossLiability};
use crate::stripe::balance::Balance;
use crate::stripe::id::AccountId;
use crate::value::money::Money;

/// Whether an account's negative balance counts in the platform's reserve, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Coverage {
    /// The platform bears the account's losses (`losses.payments == "application"`):
    /// counted, after the Connect reserves FAQ.
    PlatformLiable,
    /// Stripe bears the account's losses: counted, after the seed, for the negative
    /// balances Account Debits leave. The whole negative part is counted (an upper bound):
    /// a balance does not say which part a debit caused.
    StripeManagedDebits,
    /// Who bears the account's losses is not known: listed, not counted (and not in the
    /// ageing, which lists what the book counts).
    Unknown,
}

impl Coverage {
    /// How `account`'s negative balance counts.
    pub fn of(account: &Account) -> Coverage {
        match account.loss_liability() {
            LossLiability::Platform => Coverage::PlatformLiable,
            LossLiability::Stripe => Coverage::StripeManagedDebits,
            LossLiability::Unknown => Coverage::Unknown,
        }
    }

    /// A stable snake_case code: `platform_liable`, `stripe_managed_debits`, `unknown`.
    pub fn code(self) -> &'static str {
        match self {
            Coverage::PlatformLiable => "platform_liable",
            Coverage::StripeManagedDebits => "stripe_managed_debits",
            Coverage::Unknown => "unknown",
        }
    }

    /// Whether the account's negative balance counts in the reserve.
    pub fn counts(self) -> bool {
        !matches!(self, Coverage::Unknown)
    }
}

/// One account's negative available balance in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReserveLine {
    account: AccountId,
    negative: Money,
    coverage: Coverage,
}

impl ReserveLine {
    /// The connected account.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// How far below zero its available balance is (a positive amount).
    pub fn negative(&self) -> Money {
        self.negative
    }

    /// Whether it counts in the reserve, and why.
    pub fn coverage(&self) -> Coverage {
        self.coverage
    }
}

/// An entry of a balance Stripe reported that the book could not count, because it could
/// not be read: a currency this crate does not know, an amount that is not an integer of
/// minor units. Where it is (its path in the input, as the reader names it: a JSON path for
/// `json::read_book`) and why, both given by the reader, short and safe to
/// log. A book with one is not complete: its reserve may be short of Stripe's.
///
/// # Example
///
/// ```
/// use stripe_account_debits::book::UncountedEntry;
///
/// let entry = UncountedEntry::new("acct_1A".parse()?, "accounts[0].balance.available[1].currency", "unknown currency \"xyz\"");
/// assert_eq!(entry.account().as_str(), "acct_1A");
/// assert_eq!(entry.path(), "accounts[0].balance.available[1].currency");
/// assert_eq!(entry.reason(), "unknown currency \"xyz\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UncountedEntry {
    account: AccountId,
    path: String,
    reason: String,
}

impl UncountedEntry {
    /// An entry of `account`'s balance at `path` that could not be read, for `reason`.
    pub fn new(
        account: AccountId,
        path: impl Into<String>,
        reason: impl Into<String>,
    ) -> UncountedEntry {
        UncountedEntry {
            account,
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The account whose balance lists it (the platform, for the platform's balance).
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// Where it is in the input.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Why it could not be read.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Why a reserve cannot be summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the reserve in {} does not fit stripe's integer amount", .currency.code().to_lowercase())]
pub struct BookError {
    currency: Currency,
}

impl BookError {
    /// The currency whose sum overflows.
    pub fn currency(&self) -> Currency {
        self.currency
    }
}

/// The reserve Stripe holds on the platform, per currency: the sum of the negative parts of
/// the available balances of the accounts it covers ([`Coverage`]), and the accounts below
/// zero.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Money};
/// use stripe_account_debits::book::ReserveBook;
/// use stripe_account_debits::stripe::{Account, Balance, LossLiability};
///
/// let usd = |minor| Money::from_minor(minor, Currency::USD);
/// let account = |id: &str, liability| Account::new(id.parse().unwrap(), "US".parse().unwrap(), Currency::USD, liability);
/// let (a, b, c) = (
///     account("acct_1A", LossLiability::Platform),
///     account("acct_1B", LossLiability::Stripe),
///     account("acct_1C", LossLiability::Unknown),
/// );
/// let (minus_3, minus_4, plus_5) = (Balance::new([usd(-300)?])?, Balance::new([usd(-400)?])?, Balance::new([usd(500)?])?);
/// let book = ReserveBook::of([(&a, &minus_3), (&b, &plus_5), (&c, &minus_4)])?;
/// assert_eq!(book.total().available(Currency::USD), Some(usd(300)?));
/// assert_eq!(book.lines().len(), 2); // a counted; c listed, not counted
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReserveBook {
    total: Balance,
    lines: Vec<ReserveLine>,
    uncounted: Vec<UncountedEntry>,
}

impl ReserveBook {
    /// The book of these accounts and their available balances.
    ///
    /// # Errors
    ///
    /// [`BookError`] when a currency's total does not fit an `i64` of minor units.
    pub fn of<'a>(
        accounts: impl IntoIterator<Item = (&'a Account, &'a Balance)>,
    ) -> Result<ReserveBook, BookError> {
        let mut sums: Vec<(Currency, i128)> = Vec::new();
        let mut lines = Vec::new();
        for (account, balance) in accounts {
            let coverage = Coverage::of(account);
            for money in balance.iter().filter(|m| m.is_negative()) {
                let negative =
                    money_of(i128::from(money.minor()).saturating_neg(), money.currency())?;
                lines.push(ReserveLine {
                    account: account.id(),
                    negative,
                    coverage,
                });
                if coverage.counts() {
                    add(&mut sums, negative);
                }
            }
        }
        let mut total = Balance::empty();
        for (currency, sum) in sums {
            total.set_available(money_of(sum, currency)?);
        }
        Ok(ReserveBook {
            total,
            lines,
            uncounted: Vec::new(),
        })
    }

    /// This book with `entries` of the balances that could not be counted: it is then not
    /// complete.
    #[must_use]
    pub fn with_uncounted(mut self, entries: impl IntoIterator<Item = UncountedEntry>) -> Self {
        self.uncounted.extend(entries);
        self
    }

    /// The entries of the balances it could not count, in the order given.
    pub fn uncounted(&self) -> &[UncountedEntry] {
        &self.uncounted
    }

    /// Whether every entry of every balance was counted. When not, the reserve is what the
    /// entries read add up to, and may be short of Stripe's: [`ReserveBook::uncounted`]
    /// says what is missing.
    pub fn is_complete(&self) -> bool {
        self.uncounted.is_empty()
    }

    /// The reserve per currency (a currency with no negative balance is not listed).
    pub fn total(&self) -> &Balance {
        &self.total
    }

    /// The accounts below zero, one line per account and currency, in the order given.
    pub fn lines(&self) -> &[ReserveLine] {
        &self.lines
    }

    /// What changed from this book to `after`, per currency, given the platform's available
    /// balance after the change.
    ///
    /// # Errors
    ///
    /// [`BookError`] when an amount does not fit an `i64` of minor units (a platform
    /// balance of `i64::MIN`, whose bank debit would be one more than `i64::MAX`).
    pub fn change_to(
        &self,
        after: &ReserveBook,
        platform_available: &Balance,
    ) -> Result<ReserveChange, BookError> {
        let mut currencies: Vec<Currency> = Vec::new();
        for money in self.total.iter().chain(after.total.iter()) {
            if !currencies.contains(&money.currency()) {
                currencies.push(money.currency());
            }
        }
        let mut lines = Vec::with_capacity(currencies.len());
        for currency in currencies {
            let minor = |balance: &Balance| {
                balance
                    .available(currency)
                    .map_or(0, |m| i128::from(m.minor()))
            };
            let (before, after, platform) = (
                minor(&self.total),
                minor(&after.total),
                minor(platform_available),
            );
            let difference = after.saturating_sub(before);
            lines.push(CurrencyChange {
                before: money_of(before, currency)?,
                after: money_of(after, currency)?,
                held: money_of(difference.max(0), currency)?,
                released: money_of(difference.min(0).saturating_neg(), currency)?,
                platform_available: money_of(platform, currency)?,
                bank_debit: money_of(platform.min(0).saturating_neg(), currency)?,
            });
        }
        Ok(ReserveChange { lines })
    }
}

/// `minor` units of `currency` as money, when they fit Stripe's integer amount.
fn money_of(minor: i128, currency: Currency) -> Result<Money, BookError> {
    i64::try_from(minor)
        .ok()
        .and_then(|minor| Money::from_minor(minor, currency).ok())
        .ok_or(BookError { currency })
}

/// Adds `amount` to its currency's running sum (128 bits: the sum of `i64`s of up to 2^32
/// accounts and currencies cannot overflow it).
fn add(sums: &mut Vec<(Currency, i128)>, amount: Money) {
    let minor = i128::from(amount.minor());
    match sums.iter_mut().find(|(c, _)| *c == amount.currency()) {
        Some((_, sum)) => *sum = sum.saturating_add(minor),
        None => sums.push((amount.currency(), minor)),
    }
}

/// How the reserve changed, per currency, between two books: what a batch held and
/// released, and whether Stripe would debit the platform's bank account to fund it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReserveChange {
    lines: Vec<CurrencyChange>,
}

impl ReserveChange {
    /// One line per currency either book lists.
    pub fn currencies(&self) -> &[CurrencyChange] {
        &self.lines
    }
}

/// How the reserve changed in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyChange {
    before: Money,
    after: Money,
    held: Money,
    released: Money,
    platform_available: Money,
    bank_debit: Money,
}

impl CurrencyChange {
    /// The currency.
    pub fn currency(&self) -> Currency {
        self.before.currency()
    }

    /// The reserve before.
    pub fn before(&self) -> Money {
        self.before
    }

    /// The reserve after.
    pub fn after(&self) -> Money {
        self.after
    }

    /// How much more the reserve holds (zero when it holds less).
    pub fn held(&self) -> Money {
        self.held
    }

    /// How much the reserve released back to the platform (zero when it holds more).
    pub fn released(&self) -> Money {
        self.released
    }

    /// The platform's available balance after the change.
    pub fn platform_available(&self) -> Money {
        self.platform_available
    }

    /// What Stripe would debit from the platform's bank account: how far the platform's
    /// available balance is below zero after the change (Connect reserves FAQ). A debit
    /// brings in its whole amount and holds at most that as reserve, so debits alone never
    /// take it below zero: it is only when the platform's balance was already negative.
    pub fn bank_debit(&self) -> Money {
        self.bank_debit
    }
}

impl super::Ledger {
    /// The reserve book of the ledger's accounts, with the debits planned, and the entries
    /// of their balances that could not be counted ([`Ledger::uncounted`]).
    ///
    /// [`Ledger::uncounted`]: super::Ledger::uncounted
    ///
    /// # Errors
    ///
    /// [`BookError`] when a currency's total does not fit an `i64` of minor units.
    pub fn book(&self) -> Result<ReserveBook, BookError> {
        Ok(ReserveBook::of(self.accounts())?.with_uncounted(self.uncounted().iter().cloned()))
    }
}
