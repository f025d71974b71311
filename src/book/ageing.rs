//! When Stripe zeroes an aged negative balance from the platform's reserve.
//!
//! Source: Stripe's "Connect reserves FAQ": "After a connected account has held a negative
//! balance for 180 days, Stripe will move funds from the reserve to the connected account
//! to zero out the balance."
//!
//! The ageing lists exactly the accounts whose negative balance the book counts
//! ([`Coverage::counts`]): the zeroing moves funds out of the reserve, so an account the
//! reserve does not hold for has nothing to be zeroed from it. An account whose liability is
//! unknown is therefore listed by the book (not counted) and not by the ageing. The FAQ
//! speaks of the accounts "for whom you are responsible for losses"; it is silent on the
//! reserve the seed says Stripe holds for a Stripe-managed account a debit drove below
//! zero, which the book counts: our choice is to apply the same 180 days to it, and its
//! line says which it is by its coverage (`stripe_managed_debits`).

use super::Ledger;
use super::reserve::Coverage;
use crate::stripe::balance::Balance;
use crate::stripe::id::AccountId;
use crate::value::time::Timestamp;

/// How long a balance stays negative before Stripe zeroes it from the reserve.
pub const AGEING_DAYS: i64 = 180;

const SECONDS_PER_DAY: i64 = 86_400;

/// A negative account and the date Stripe zeroes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeingLine {
    account: AccountId,
    coverage: Coverage,
    negative_since: Timestamp,
    zeroed_at: Timestamp,
    available: Balance,
}

impl AgeingLine {
    /// The connected account.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// Whether its negative balance counts in the reserve, and why.
    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// Since when its balance has been negative.
    pub fn negative_since(&self) -> Timestamp {
        self.negative_since
    }

    /// When Stripe zeroes it from the reserve: [`AGEING_DAYS`] after
    /// [`negative_since`](AgeingLine::negative_since).
    pub fn zeroed_at(&self) -> Timestamp {
        self.zeroed_at
    }

    /// Its available balance now.
    pub fn available(&self) -> &Balance {
        &self.available
    }
}

/// The negative accounts whose balance Stripe zeroes from the reserve within a window,
/// soonest first.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Debit, Timestamp, demo};
/// use stripe_account_debits::book::Ledger;
/// use stripe_account_debits::stripe::{Balance, Connected, Platform};
///
/// let input = demo::input()?;
/// let mut ledger = Ledger::new(Platform::new(input.platform().clone()), Balance::empty());
/// let slot = ledger.add_account(Connected::new(input.connected().clone()), input.connected_balance().clone(), input.consent().cloned())?;
/// // 15.00 USD from an account with 10.00 USD: negative from `at` on.
/// let debit = Debit::from_minor("d".parse()?, 1500, Currency::USD, input.debit().reference().expect("the demo's debit has a reference"));
/// ledger.plan(slot, &debit, input.at()).expect("a slot of this ledger")?;
/// let day = 86_400;
/// let zeroed = Timestamp::from_unix(input.at().unix() + 180 * day);
/// assert_eq!(ledger.ageing(input.at(), 179).lines().len(), 0);
/// let ageing = ledger.ageing(input.at(), 180);
/// assert_eq!(ageing.lines()[0].zeroed_at(), zeroed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ageing {
    lines: Vec<AgeingLine>,
}

impl Ageing {
    /// The accounts, soonest zeroed first.
    pub fn lines(&self) -> &[AgeingLine] {
        &self.lines
    }
}

impl Ledger {
    /// The accounts still negative whose balance Stripe zeroes from the reserve at or
    /// before `within_days` days after `at`, soonest first: those the book counts
    /// ([`Coverage::counts`]; not an account whose liability is unknown) whose date the
    /// ledger knows, set by [`Ledger::set_negative_since`] or by a debit of
    /// [`Ledger::plan`] that took it below zero.
    pub fn ageing(&self, at: Timestamp, within_days: u32) -> Ageing {
        let horizon = i64::from(within_days)
            .saturating_mul(SECONDS_PER_DAY)
            .saturating_add(at.unix());
        let mut lines: Vec<AgeingLine> = self
            .entries()
            .iter()
            .filter(|entry| entry.balance.iter().any(|m| m.is_negative()))
            .filter_map(|entry| {
                let coverage = Coverage::of(&entry.account);
                if !coverage.counts() {
                    return None;
                }
                let since = entry.negative_since?;
                let zeroed_at = since
                    .unix()
                    .saturating_add(AGEING_DAYS.saturating_mul(SECONDS_PER_DAY));
                (zeroed_at <= horizon).then(|| AgeingLine {
                    account: entry.account.id(),
                    coverage,
                    negative_since: since,
                    zeroed_at: Timestamp::from_unix(zeroed_at),
                    available: entry.balance.clone(),
                })
            })
            .collect();
        lines.sort_by_key(|line| (line.zeroed_at, line.account));
        Ageing { lines }
    }
}
