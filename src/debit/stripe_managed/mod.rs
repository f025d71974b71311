//! The Account Debit flow, for connected accounts with Stripe managed risk: a Transfer
//! created on the connected account whose destination is the platform, justified by a
//! Charge, Payment or Payout of that account.
//!
//! Source: Stripe, "Debiting accounts on Stripe managed risk". The rules it judges are
//! listed below in the table's order, each with its check: `flow_rules!` (in
//! [`crate::debit::checks`]) turns the list into [`RULES`] and `judge`, which calls the
//! checks in that order. The checks only this flow has are in this file; the others are
//! shared, in `checks`.

use crate::debit::checks::{self, Facts, flow_rules};
use crate::debit::plan::{Advisories, DebitPlan, Flow, Method, Transfer};
use crate::debit::rules::{Rejection, Violation};
use crate::stripe::account::LossLiability;

flow_rules! {
    LossLiabilityNotStripe => loss_liability_not_stripe,
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
    ReferenceMissing => reference_missing,
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
    let (Some(effect), Some(reference), true) = (
        facts.effect(),
        reference.and_then(|r| Some((*r.id_ref(), r.reference_type()?))),
        violations.is_empty(),
    ) else {
        let missing = reference_missing(facts).or_else(|| reference_kind_unsupported(facts));
        return Err(Rejection::new(checks::never_empty(
            violations, facts, missing,
        )));
    };
    let connected = input.connected();
    let mut advisories = Advisories::default();
    if let Some(advisory) = checks::bank_account_unverified(facts) {
        advisories.push(advisory);
    }
    let transfer = Transfer::new(
        connected.id(),
        input.platform().id(),
        effect.amount(),
        Some(reference),
    );
    Ok(DebitPlan::new(
        Flow::StripeManaged,
        Method::Transfer,
        transfer,
        effect,
        advisories,
        debit.id(),
    ))
}

fn loss_liability_not_stripe(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    (connected.loss_liability() == LossLiability::Platform).then(|| {
        Violation::LossLiabilityNotStripe {
            account: connected.id(),
        }
    })
}

fn reference_missing(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .input
        .debit()
        .reference_ref()
        .is_none()
        .then(|| Violation::ReferenceMissing {
            account: facts.input.connected().id(),
        })
}

fn reference_kind_unsupported(facts: &Facts<'_>) -> Option<Violation> {
    let reference = facts.input.debit().reference_ref()?;
    reference
        .reference_type()
        .is_none()
        .then(|| Violation::ReferenceKindUnsupported {
            reference: reference.id(),
            kind: reference.id().kind(),
        })
}

fn reference_other_account(facts: &Facts<'_>) -> Option<Violation> {
    let reference = facts.input.debit().reference_ref()?;
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
        assert!(RULES.contains(&ViolationKind::LossLiabilityNotStripe));
    }
}
