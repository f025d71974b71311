//! Reversing a debit: the checked plan ([`plan_reversal`]), its rules (`rules`) and its
//! request (`request`).

mod request;
mod rules;

use core::fmt;
use core::str::FromStr;

use crate::debit::input::{DebitId, DebitIdError, DebitInput};
use crate::debit::rules::Rejection;
use crate::stripe::balance::Balance;
use crate::stripe::reversal::ReversalRecord;
use crate::stripe::transfer::TransferRecord;
use crate::value::currency::WireCode;
use crate::value::money::Money;

pub use request::ReversalRequest;
pub use rules::{ReversalViolation, ReversalViolationKind};

/// The caller's own id for one reversal: as a [`DebitId`], 1 to 100 printable ASCII
/// characters without spaces. The reversal's idempotency key is made from it, so a resend
/// with the same id replays Stripe's first result for 24 hours.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::ReversalId;
///
/// let id: ReversalId = "undo-recovery-42".parse()?;
/// assert_eq!(id.as_str(), "undo-recovery-42");
/// assert!("".parse::<ReversalId>().is_err());
/// # Ok::<(), stripe_account_debits::lifecycle::ReversalIdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReversalId(DebitId);

/// Why a string is not a [`ReversalId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("reversal id must be 1 to 100 printable ascii characters without spaces")]
pub struct ReversalIdError(());

impl ReversalId {
    /// The id as given.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl FromStr for ReversalId {
    type Err = ReversalIdError;

    /// # Errors
    ///
    /// [`ReversalIdError`], as [`DebitId`] refuses.
    fn from_str(text: &str) -> Result<ReversalId, ReversalIdError> {
        text.parse()
            .map(ReversalId)
            .map_err(|_: DebitIdError| ReversalIdError(()))
    }
}

impl fmt::Display for ReversalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a reversal cannot be planned: every rule broken, in the order of
/// [`ReversalViolation::CODES`], never empty. The one [`Rejection`] of every rule table,
/// of the reversal's table: its message starts `reversal rejected: `.
///
/// # Example
///
/// ```
/// use stripe_account_debits::demo;
/// use stripe_account_debits::stripe::Balance;
/// use stripe_account_debits::lifecycle::{plan_reversal, ReversalViolation};
/// use stripe_account_debits::stripe::TransferRecord;
///
/// let input = demo::input()?;
/// let body = br#"{"id": "tr_1", "object": "transfer", "amount": 500, "amount_reversed": 0,
///   "currency": "usd", "destination": "acct_1Elsewhere"}"#;
/// let transfer = TransferRecord::from_json(body)?;
/// let rejection = plan_reversal(&input, &transfer, Some(900), "undo-42".parse()?, &Balance::empty()).unwrap_err();
/// assert_eq!(
///     rejection.codes().collect::<Vec<_>>(),
///     ["not_to_this_platform", "not_this_debit", "amount_exceeds_remaining"]
/// );
/// assert!(rejection.breaks("not_this_debit"));
/// assert!(matches!(rejection.violations()[1], ReversalViolation::NotThisDebit { found: None, .. }));
/// assert_eq!(
///     rejection.to_string(),
///     "reversal rejected: transfer went to acct_1Elsewhere, not to the platform acct_1PlatformDemo0001; \
///      transfer carries no debit id (metadata[account_debit_id]), so it is not debit recovery-42; \
///      reversal of 9.00 usd is more than the 5.00 usd left to reverse"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ReversalRejection = Rejection<ReversalViolation>;

/// A checked reversal of a debit's transfer: the request, and what it does to the
/// connected account's available balance, to the platform's reserve and to the platform's
/// available balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReversalPlan {
    transfer: TransferRecord,
    connected: crate::stripe::id::AccountId,
    debit_id: DebitId,
    reversal_id: ReversalId,
    amount: Money,
    before: Money,
    after: Money,
    reserve_release: Money,
    platform_before: Money,
}

impl ReversalPlan {
    /// The transfer reversed.
    pub fn transfer(&self) -> &TransferRecord {
        &self.transfer
    }

    /// The amount reversed: it goes back from the platform to the connected account.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The connected account's available balance in the transfer's currency before the
    /// reversal (a currency missing from the balance counts as zero).
    pub fn connected_before(&self) -> Money {
        self.before
    }

    /// The connected account's available balance after: exactly before plus the amount.
    pub fn connected_after(&self) -> Money {
        self.after
    }

    /// The reserve Stripe releases on the platform, `neg(before) - neg(after)` with
    /// `neg(x) = max(0, -x)`: what the reversal brings the connected balance back up
    /// toward zero, which Stripe no longer needs to hold. `None` when nothing is released.
    /// (The mirror of the reserve a debit holds: "Debiting accounts on Stripe managed risk".)
    pub fn reserve_release(&self) -> Option<Money> {
        self.reserve_release
            .is_positive()
            .then_some(self.reserve_release)
    }

    /// What the platform's available balance changes by: the released reserve less the
    /// amount, never positive. With the released reserve, the platform's total falls by the
    /// whole amount, which is what the connected account gains: money is conserved.
    pub fn platform_available_change(&self) -> Money {
        let change = self.reserve_release.checked_sub(self.amount);
        debug_assert!(change.is_some(), "0 <= release <= amount");
        change.unwrap_or(self.amount)
    }

    /// The platform's available balance in the transfer's currency before the reversal (a
    /// currency missing from the balance counts as zero): at least the amount, or the
    /// reversal is refused (`platform_balance_insufficient`).
    pub fn platform_before(&self) -> Money {
        self.platform_before
    }

    /// The platform's available balance after: exactly before plus
    /// [`ReversalPlan::platform_available_change`], never negative. (The released reserve
    /// is counted as Stripe returns it to the available balance.)
    pub fn platform_after(&self) -> Money {
        // before >= amount >= release >= 0, so before - amount + release is in [0, before].
        let after = self
            .platform_before
            .checked_add(self.platform_available_change());
        debug_assert!(after.is_some(), "0 <= after <= before");
        after.unwrap_or(self.platform_before)
    }

    /// The request that performs it.
    pub fn request(&self) -> ReversalRequest {
        let transfer = self.transfer.id();
        let connected = self.connected.as_str();
        ReversalRequest {
            path: format!("/v1/transfers/{transfer}/reversals"),
            stripe_account: connected.to_owned(),
            idempotency_key: format!(
                "account-debit-reversal:{connected}:{transfer}:{}",
                self.reversal_id
            ),
            amount: self.amount.minor().to_string(),
            debit_id: self.debit_id.as_str().to_owned(),
            reversal_id: self.reversal_id.as_str().to_owned(),
        }
    }
}

impl ReversalRecord {
    /// Whether this is the reversal `plan` asked for: its transfer, amount and currency.
    pub fn is_of(&self, plan: &ReversalPlan) -> bool {
        self.transfer() == plan.transfer().id()
            && self.amount() == plan.amount()
            && WireCode::of(self.amount().currency()) == WireCode::of(plan.amount().currency())
    }
}

/// Plans the reversal of `transfer` (a debit's Transfer, as Stripe returned it) for the
/// debit of `input`: `amount` in the currency's wire units (`None`: all that is not yet
/// reversed), `reversal_id` the caller's id for it, `platform_balance` the platform's
/// available balance (its Balance object, `GET /v1/balance` without a `Stripe-Account`
/// header): the reversal takes the amount back out of it, and Stripe refuses a reversal
/// its destination cannot cover.
///
/// # Errors
///
/// A [`ReversalRejection`] naming every rule broken, in the table's order.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit, Currency, Money};
/// use stripe_account_debits::stripe::Balance;
/// use stripe_account_debits::lifecycle::{plan_reversal};
/// use stripe_account_debits::stripe::TransferRecord;
///
/// let input = demo::input()?;
/// let body = format!(r#"{{"id": "tr_1", "object": "transfer", "amount": 500, "amount_reversed": 0,
///   "currency": "usd", "destination": "{}", "destination_payment": "py_1",
///   "metadata": {{"account_debit_id": "recovery-42"}}}}"#, demo::PLATFORM);
/// let transfer = TransferRecord::from_json(body.as_bytes())?;
/// let platform = Balance::new([Money::from_minor(300, Currency::USD)?])?;
/// let plan = plan_reversal(&input, &transfer, Some(200), "undo-42".parse()?, &platform)?;
/// assert_eq!(plan.connected_after().minor() - plan.connected_before().minor(), 200);
/// assert_eq!((plan.platform_before().minor(), plan.platform_after().minor()), (300, 100));
/// let request = plan.request();
/// assert_eq!(request.path(), "/v1/transfers/tr_1/reversals");
/// assert_eq!(request.headers()[0], ("Stripe-Account", demo::CONNECTED));
/// let rejection = plan_reversal(&input, &transfer, Some(600), "undo-42".parse()?, &platform).unwrap_err();
/// assert_eq!(rejection.codes().collect::<Vec<_>>(), ["amount_exceeds_remaining"]);
/// let rejection = plan_reversal(&input, &transfer, Some(400), "undo-42".parse()?, &platform).unwrap_err();
/// assert_eq!(rejection.codes().collect::<Vec<_>>(), ["platform_balance_insufficient"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_reversal(
    input: &DebitInput,
    transfer: &TransferRecord,
    amount: Option<i64>,
    reversal_id: ReversalId,
    platform_balance: &Balance,
) -> Result<ReversalPlan, ReversalRejection> {
    let mut violations = Vec::new();
    let platform = input.platform().id();
    if transfer.destination() != Some(platform) {
        violations.push(ReversalViolation::NotToThisPlatform {
            destination: transfer.destination(),
            platform,
        });
    }
    let debit = input.debit();
    if transfer.debit_id() != Some(debit.id()) {
        violations.push(ReversalViolation::NotThisDebit {
            debit: debit.id(),
            found: transfer.debit_id(),
        });
    }
    if transfer.currency() != debit.currency() {
        violations.push(ReversalViolation::CurrencyDiffers {
            transfer: transfer.currency(),
            debit: debit.currency(),
        });
    }
    let remaining = transfer.remaining();
    if transfer.reversed() || !remaining.is_positive() {
        violations.push(ReversalViolation::AlreadyFullyReversed {
            transfer: transfer.id(),
        });
    }
    let amount = checked_amount(transfer, amount, &mut violations);
    let effect = amount.and_then(|amount| effect(input, amount, &mut violations));
    let platform_before =
        amount.and_then(|amount| platform_covers(platform_balance, amount, &mut violations));
    match (effect, platform_before, violations.is_empty()) {
        (Some((amount, before, after, reserve_release)), Some(platform_before), true) => {
            Ok(ReversalPlan {
                transfer: *transfer,
                connected: input.connected().id(),
                debit_id: debit.id(),
                reversal_id,
                amount,
                before,
                after,
                reserve_release,
                platform_before,
            })
        }
        _ => {
            debug_assert!(!violations.is_empty(), "no plan without a broken rule");
            Err(Rejection::new(violations))
        }
    }
}

/// The amount to reverse, when it is positive and at most what remains.
fn checked_amount(
    transfer: &TransferRecord,
    amount: Option<i64>,
    violations: &mut Vec<ReversalViolation>,
) -> Option<Money> {
    let remaining = transfer.remaining();
    let Some(minor) = amount else {
        return remaining.is_positive().then_some(remaining);
    };
    // The transfer's own currency, which Stripe moves: a wire amount of it is money.
    let asked = Money::from_minor_in(minor, remaining.stripe_currency());
    if !asked.is_positive() {
        violations.push(ReversalViolation::AmountNotPositive { amount: asked });
        return None;
    }
    if minor > remaining.minor() {
        violations.push(ReversalViolation::AmountExceedsRemaining {
            amount: asked,
            remaining,
        });
        return None;
    }
    Some(asked)
}

/// The amount, the connected balance before and after, and the reserve released.
fn effect(
    input: &DebitInput,
    amount: Money,
    violations: &mut Vec<ReversalViolation>,
) -> Option<(Money, Money, Money, Money)> {
    let currency = amount.currency();
    let before = input
        .connected_balance()
        .available(currency)
        .unwrap_or(Money::zero_in(amount.stripe_currency()));
    let Some(after) = before.checked_add(amount) else {
        violations.push(ReversalViolation::ConnectedBalanceOutOfRange { before, amount });
        return None;
    };
    // neg(before) - neg(after): both in [0, 2^63], after > before, so 0 <= release <=
    // amount; in i128 nothing overflows, the conversion back is checked.
    let release = negative_part(before.minor()).checked_sub(negative_part(after.minor()));
    let release = release.and_then(|r| i64::try_from(r).ok());
    debug_assert!(release.is_some_and(|r| (0..=amount.minor()).contains(&r)));
    let release = Money::from_minor_in(release.unwrap_or(0), amount.stripe_currency());
    Some((amount, before, after, release))
}

/// The platform's available balance in the amount's currency (zero when not listed), when
/// it covers the amount; else the violation.
fn platform_covers(
    balance: &Balance,
    amount: Money,
    violations: &mut Vec<ReversalViolation>,
) -> Option<Money> {
    let available = balance
        .available(amount.currency())
        .unwrap_or(Money::zero_in(amount.stripe_currency()));
    if available.minor() < amount.minor() {
        violations.push(ReversalViolation::PlatformBalanceInsufficient { available, amount });
        return None;
    }
    Some(available)
}

/// The part of a balance below zero, as a non-negative number.
fn negative_part(minor: i64) -> i128 {
    i128::from(minor).min(0).saturating_neg()
}
