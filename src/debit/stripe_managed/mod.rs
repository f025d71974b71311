//! The Account Debit flow, for connected accounts with Stripe managed risk: a Transfer
//! created on the connected account whose destination is the platform, justified by a
//! Charge, Payment or Payout of that account.
//!
//! Source: Stripe, "Debiting accounts on Stripe managed risk". The rules it judges are
//! listed in [`RULES`], in the table's order; the checks only this flow has are below, the
//! others are shared ([`crate::debit::checks`]).

use crate::debit::checks::{self, Facts, flow_rules};
use crate::debit::plan::{Advisories, DebitPlan, Transfer};
use crate::debit::rules::{Advisory, Rejection, Violation};
use crate::stripe::account::LossLiability;

flow_rules! {
    LossLiabilityNotStripe => loss_liability_not_stripe,
    LossLiabilityUnknown => loss_liability_unknown,
    SameAccount => checks::same_account,
    PlatformRegionUnsupported => checks::platform_region_unsupported,
    ConnectedRegionUnsupported => checks::connected_region_unsupported,
    RegionMismatch => checks::region_mismatch,
    CurrencyMismatch => checks::currency_mismatch,
    CurrencyUnsupported => checks::currency_unsupported,
    AmountNotPositive => checks::amount_not_positive,
    AmountTooPrecise => checks::amount_too_precise,
    AmountOutOfRange => checks::amount_out_of_range,
    ReferenceKindUnsupported => reference_kind_unsupported,
    ReferenceOtherAccount => reference_other_account,
    ConsentMissing => checks::consent_missing,
    ConsentNotYetValid => checks::consent_not_yet_valid,
    ConsentRevoked => checks::consent_revoked,
}

/// Judges `facts` against [`RULES`] and plans the transfer when none is broken.
pub(crate) fn plan(facts: &Facts<'_>) -> Result<DebitPlan, Rejection> {
    let violations = judge(facts);
    let input = facts.input;
    let debit = input.debit();
    let reference = debit.reference_ref();
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
    let transfer = Transfer::new(
        connected.id(),
        input.platform().id(),
        effect.amount(),
        *reference.id_ref(),
        reference_type,
    );
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
    let reference = facts.input.debit().reference_ref();
    reference
        .reference_type()
        .is_none()
        .then(|| Violation::ReferenceKindUnsupported {
            reference: reference.id(),
            kind: reference.id().kind(),
        })
}

fn reference_other_account(facts: &Facts<'_>) -> Option<Violation> {
    let reference = facts.input.debit().reference_ref();
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
        let positions: Vec<usize> = RULES.iter().map(|kind| kind.position()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        // This flow judges every rule of the table: the platform-managed flow will judge
        // its own subset.
        assert_eq!(RULES.len(), ViolationKind::ALL.len());
    }
}
