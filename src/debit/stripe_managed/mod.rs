//! The Account Debit flow, for connected accounts with Stripe managed risk: a Transfer
//! created on the connected account whose destination is the platform, justified by a
//! Charge, Payment or Payout of that account.
//!
//! Source: Stripe, "Debiting accounts on Stripe managed risk". The rules it judges are
//! listed in [`RULES`], in the table's order; the checks only this flow has are below, the
//! others are shared ([`crate::debit::checks`]).

use crate::debit::checks::{self, Facts, Rules};
use crate::debit::plan::{Advisories, DebitPlan, Transfer};
use crate::debit::rules::{Advisory, Rejection, Violation, ViolationKind as Rule};
use crate::stripe::account::LossLiability;

/// The rules of this flow, in the table's order, each with its check.
pub(crate) const RULES: &Rules = &[
    (Rule::LossLiabilityNotStripe, loss_liability_not_stripe),
    (Rule::LossLiabilityUnknown, loss_liability_unknown),
    (Rule::SameAccount, checks::same_account),
    (
        Rule::PlatformRegionUnsupported,
        checks::platform_region_unsupported,
    ),
    (
        Rule::ConnectedRegionUnsupported,
        checks::connected_region_unsupported,
    ),
    (Rule::RegionMismatch, checks::region_mismatch),
    (Rule::CurrencyMismatch, checks::currency_mismatch),
    (Rule::CurrencyUnsupported, checks::currency_unsupported),
    (Rule::AmountNotPositive, checks::amount_not_positive),
    (Rule::AmountTooPrecise, checks::amount_too_precise),
    (Rule::AmountOutOfRange, checks::amount_out_of_range),
    (Rule::ReferenceKindUnsupported, reference_kind_unsupported),
    (Rule::ReferenceOtherAccount, reference_other_account),
    (Rule::ConsentMissing, checks::consent_missing),
    (Rule::ConsentNotYetValid, checks::consent_not_yet_valid),
    (Rule::ConsentRevoked, checks::consent_revoked),
];

/// Judges `facts` against [`RULES`] and plans the transfer when none is broken.
pub(crate) fn plan(facts: &Facts<'_>) -> Result<DebitPlan, Rejection> {
    let violations = checks::judge(facts, RULES);
    let input = facts.input;
    let debit = input.debit();
    let reference = debit.reference();
    let (Some(effect), Some(reference_type), true) = (
        facts.effect(),
        reference.reference_type(),
        violations.is_empty(),
    ) else {
        return Err(Rejection::new(violations));
    };
    let connected = input.connected();
    let mut advisories = Advisories::default();
    if !connected.has_verified_bank_account(debit.currency()) {
        advisories.push(Advisory::BankAccountUnverified {
            account: connected.id(),
            currency: debit.currency(),
        });
    }
    let transfer = Transfer {
        account: connected.id(),
        destination: input.platform().id(),
        amount: effect.amount(),
        reference_id: reference.id(),
        reference_type,
    };
    Ok(DebitPlan::new(transfer, effect, advisories, debit.id()))
}

fn loss_liability_not_stripe(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    (connected.loss_liability() == LossLiability::Platform).then(|| {
        Violation::LossLiabilityNotStripe {
            account: connected.id(),
        }
    })
}

fn loss_liability_unknown(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    (connected.loss_liability() == LossLiability::Unknown).then(|| {
        Violation::LossLiabilityUnknown {
            account: connected.id(),
        }
    })
}

fn reference_kind_unsupported(facts: &Facts<'_>) -> Option<Violation> {
    let reference = facts.input.debit().reference();
    reference
        .reference_type()
        .is_none()
        .then(|| Violation::ReferenceKindUnsupported {
            reference: reference.id(),
            kind: reference.id().kind(),
        })
}

fn reference_other_account(facts: &Facts<'_>) -> Option<Violation> {
    let reference = facts.input.debit().reference();
    let debited = facts.input.connected();
    (!reference.is_on(debited)).then(|| Violation::ReferenceOtherAccount {
        reference: reference.id(),
        created_on: reference.account(),
        debited: debited.id(),
    })
}

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::debit::rules::ViolationKind;

    #[test]
    fn rules_are_in_the_tables_order_once_each() {
        let positions: Vec<usize> = RULES.iter().map(|(kind, _)| kind.position()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        // This flow judges every rule of the table: the platform-managed flow will judge
        // its own subset.
        assert_eq!(RULES.len(), ViolationKind::ALL.len());
    }
}
