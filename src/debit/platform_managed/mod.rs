//! The debit flow for connected accounts whose losses the platform bears (Express and
//! Custom accounts, `controller.losses.payments == "application"`): a Charge on the
//! platform with the connected account as its `source`, or a Transfer created on the
//! connected account to the platform, as the debit's purpose says.
//!
//! Source: Stripe, "Debit connected accounts" (`/connect/account-debits`; titled "Debiting
//! Express and Custom accounts" in earlier versions), in several versions: see [`Method`]
//! for the methods, and `docs/stripe-choices.md` for a balance taken below zero (refused
//! unless the platform says its arrangement with Stripe allows it, after the newest page). The rules it
//! judges are listed below in the table's order, each with its check: the checks only this
//! flow has are in this file; the others are shared, in `checks`.

use crate::debit::checks::{self, Facts, flow_rules};
use crate::debit::input::Purpose;
use crate::debit::plan::{Advisories, DebitPlan, Flow, Method, Transfer};
use crate::debit::rules::{Advisory, Rejection, Violation};
use crate::stripe::account::LossLiability;
use crate::stripe::reserves::{PlatformReserves, RESERVES_DEFAULT_SINCE};
use crate::value::money::Money;

flow_rules! {
    LossLiabilityNotPlatform => loss_liability_not_platform,
    LossLiabilityUnknown => checks::loss_liability_unknown,
    SameAccount => checks::same_account,
    PlatformRegionUnsupported => checks::platform_region_unsupported,
    ConnectedRegionUnsupported => checks::connected_region_unsupported,
    RegionMismatch => checks::region_mismatch,
    CurrencyMismatch => checks::currency_mismatch,
    CurrencyUnsupported => checks::currency_unsupported,
    AmountNotPositive => checks::amount_not_positive,
    AmountTooPrecise => checks::amount_too_precise,
    AmountOutOfRange => checks::amount_out_of_range,
    AmountOverCap => amount_over_cap,
    NegativeBalanceNotAllowed => negative_balance_not_allowed,
    NegativeBalanceWithoutReserves => negative_balance_without_reserves,
    PlatformReservesUnknown => platform_reserves_unknown,
    NegativeBalanceWithoutBankAccount => negative_balance_without_bank_account,
    PurposeMissing => purpose_missing,
    ConsentMissing => checks::consent_missing,
    ConsentNotYetValid => checks::consent_not_yet_valid,
    ConsentRevoked => checks::consent_revoked,
}

/// The most a debit may be in USD: 100,000.00 USD, in cents (Stripe, "Debiting Express and
/// Custom accounts": "The maximum amount ... is 100,000 USD or equivalent in your currency").
const USD_CAP_CENTS: i64 = 10_000_000;

/// Judges `facts` against [`RULES`] and plans the charge or transfer when none is broken.
pub(crate) fn plan(facts: &Facts<'_>) -> Result<DebitPlan, Rejection> {
    let violations = judge(facts);
    let input = facts.input;
    let debit = input.debit();
    let (Some(effect), Some(purpose), true) =
        (facts.effect(), debit.purpose(), violations.is_empty())
    else {
        let missing = purpose_missing(facts);
        return Err(Rejection::new(checks::never_empty(
            violations, facts, missing,
        )));
    };
    let method = match purpose {
        Purpose::ServiceCharge => Method::Charge,
        Purpose::Recovery | Purpose::Adjustment => Method::Transfer,
    };
    let transfer = Transfer::new(
        input.connected().id(),
        input.platform().id(),
        effect.amount(),
        None,
    );
    Ok(DebitPlan::new(
        Flow::PlatformManaged,
        method,
        transfer,
        effect,
        advisories(facts),
        debit.id(),
    ))
}

/// The advisories of a plan of this flow, in the table's order.
fn advisories(facts: &Facts<'_>) -> Advisories {
    let mut advisories = Advisories::default();
    let found = [
        checks::bank_account_unverified(facts),
        amount_cap_unchecked(facts),
        negative_balance_left(facts),
        platform_reserves_assumed(facts),
    ];
    for advisory in found.into_iter().flatten() {
        advisories.push(advisory);
    }
    advisories
}

fn loss_liability_not_platform(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    (connected.loss_liability() == LossLiability::Stripe).then(|| {
        Violation::LossLiabilityNotPlatform {
            account: connected.id(),
        }
    })
}

/// The cap in the debit's currency: in USD, Stripe's or the caller's if lower; else the
/// caller's, if given.
fn cap(facts: &Facts<'_>) -> Option<Money> {
    let currency = facts.currency()?;
    let caller = facts.input.amount_cap();
    if currency.currency() == iso_currency::Currency::USD {
        let stripe = Money::from_minor(USD_CAP_CENTS, currency.currency()).ok();
        return match (stripe, caller) {
            (Some(stripe), Some(caller)) if caller.minor() < stripe.minor() => Some(caller),
            (stripe, caller) => stripe.or(caller),
        };
    }
    caller
}

fn amount_over_cap(facts: &Facts<'_>) -> Option<Violation> {
    let amount = facts.effect()?.amount();
    let cap = cap(facts)?;
    (amount.minor() > cap.minor()).then_some(Violation::AmountOverCap { amount, cap })
}

/// Stripe's newest page: a debit "can't make the connected account balance become
/// negative", unless the platform says its arrangement with Stripe allows it.
fn negative_balance_not_allowed(facts: &Facts<'_>) -> Option<Violation> {
    let after = facts.negative_after()?;
    (!facts.input.negative_balances_allowed())
        .then_some(Violation::NegativeBalanceNotAllowed { after })
}

/// The balance after the debit, when it goes below zero and the platform says negatives
/// are allowed: only then do the earlier pages' rules (reserves, a bank account) apply.
fn allowed_negative_after(facts: &Facts<'_>) -> Option<Money> {
    facts
        .input
        .negative_balances_allowed()
        .then(|| facts.negative_after())
        .flatten()
}

fn negative_balance_without_reserves(facts: &Facts<'_>) -> Option<Violation> {
    let after = allowed_negative_after(facts)?;
    (facts.input.platform_reserves() == PlatformReserves::Disabled)
        .then_some(Violation::NegativeBalanceWithoutReserves { after })
}

fn platform_reserves_unknown(facts: &Facts<'_>) -> Option<Violation> {
    let after = allowed_negative_after(facts)?;
    (facts.input.platform_reserves() == PlatformReserves::Unknown)
        .then_some(Violation::PlatformReservesUnknown { after })
}

fn negative_balance_without_bank_account(facts: &Facts<'_>) -> Option<Violation> {
    allowed_negative_after(facts)?;
    let connected = facts.input.connected();
    let currency = facts.input.debit().currency();
    (!connected.has_verified_bank_account(currency)).then(|| {
        Violation::NegativeBalanceWithoutBankAccount {
            account: connected.id(),
            currency,
            listed_in_full: connected.bank_account_list_complete(),
        }
    })
}

fn purpose_missing(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .input
        .debit()
        .purpose()
        .is_none()
        .then(|| Violation::PurposeMissing {
            account: facts.input.connected().id(),
        })
}

fn amount_cap_unchecked(facts: &Facts<'_>) -> Option<Advisory> {
    let currency = facts.currency()?.currency();
    (cap(facts).is_none()).then_some(Advisory::AmountCapUnchecked { currency })
}

fn negative_balance_left(facts: &Facts<'_>) -> Option<Advisory> {
    facts.negative_after()?;
    Some(Advisory::NegativeBalanceLeft {
        reclaim: facts.input.connected().negative_balance_reclaim(),
    })
}

fn platform_reserves_assumed(facts: &Facts<'_>) -> Option<Advisory> {
    facts.negative_after()?;
    (facts.input.platform_reserves() == PlatformReserves::EnabledByDefault).then_some(
        Advisory::PlatformReservesAssumed {
            since: RESERVES_DEFAULT_SINCE,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::RULES;

    #[test]
    fn rules_are_in_the_tables_order_once_each() {
        let positions: Vec<usize> = RULES.iter().map(|kind| kind.position()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }
}
