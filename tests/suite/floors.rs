//! The benches' floors (`benches/floors/`, the same work by hand that the crate's figures
//! are read against) answer what the crate answers: a floor that skipped a rule or wrote
//! other bytes would be no lower bound of this work.

use proptest::prelude::*;
use stripe_account_debits::*;

use crate::bench_floors::{self as floors, Broken, PlainForm, PlainInput, scenario};
use crate::invariants::{config, input};

/// What the crate answers for `input` through the Stripe-managed flow, against the floor.
fn agree(input: &DebitInput) -> Result<(), String> {
    let plain = PlainInput::of(input);
    match (
        plan_debit_as(Flow::StripeManaged, input),
        floors::plan(&plain),
    ) {
        (Ok(plan), Ok(floor)) if floor.agrees_with(&plan) => Ok(()),
        (Err(rejection), Err(broken)) => {
            let floor: Vec<&str> = broken.iter().map(Broken::code).collect();
            let codes: Vec<&str> = rejection.codes().collect();
            (floor == codes)
                .then_some(())
                .ok_or(format!("the crate breaks {codes:?}, the floor {floor:?}"))
        }
        (plan, floor) => Err(format!("the crate says {plan:?}, the floor {floor:?}")),
    }
}

#[test]
fn the_floor_plans_the_benches_debits_as_the_crate_does() {
    let with_reserve = scenario::with_reserve();
    let plan = plan_debit(&with_reserve).unwrap();
    let floor = floors::plan(&PlainInput::of(&with_reserve)).unwrap();
    assert!(floor.agrees_with(&plan), "{floor:?}");
    assert_eq!((floor.amount, floor.after, floor.reserve), (500, -400, 400));
    assert_eq!(floor.bank_account_unverified, None);
    agree(&scenario::accepted(1_000, "ch_1PgafuB7WZ01zgkWXYmPNZs8")).unwrap();
}

#[test]
fn the_floor_rejects_the_all_rules_debit_as_the_crate_does() {
    let broken = floors::plan(&PlainInput::of(&scenario::all_rules())).unwrap_err();
    assert_eq!(
        broken.iter().map(Broken::code).collect::<Vec<_>>(),
        [
            "loss_liability_not_stripe",
            "same_account",
            "platform_region_unsupported",
            "connected_region_unsupported",
            "currency_mismatch",
            "amount_not_positive",
            "amount_too_precise",
            "reference_kind_unsupported",
            "reference_other_account",
            "consent_missing",
        ]
    );
    agree(&scenario::all_rules()).unwrap();
}

#[test]
fn the_forms_floor_writes_the_bytes_the_crate_writes() {
    for reference in ["ch_1PgafuB7WZ01zgkWXYmPNZs8", "po_1Pgc79B7WZ01zgkWu1KToYf4"] {
        let plan = plan_debit(&scenario::accepted(1_000, reference)).unwrap();
        let (mut floor, mut body) = (String::from("stale"), String::from("stale"));
        floor.clear();
        body.clear();
        let form = PlainForm::of(&plan);
        floors::write_form(&mut floor, &form).unwrap();
        plan.request().write_form_urlencoded(&mut body).unwrap();
        assert_eq!(floor, body);
        floor.clear();
        floors::push_form(&mut floor, &form);
        assert_eq!(floor, body);
        assert!(floor.contains(&format!("%5D={reference}&")), "{floor}");
    }
}

proptest! {
    #![proptest_config(config())]

    /// Over the property oracle's inputs, the floor breaks the rules the crate's
    /// Stripe-managed flow breaks, and plans what it plans.
    #[test]
    fn the_floor_agrees_with_the_stripe_managed_flow(input in input()) {
        agree(&input.input()).map_err(TestCaseError::fail)?;
    }
}
