//! Each rule: a scenario that breaks it alone is rejected with its code, its values and its
//! exact message; the valid scenario next to it plans.

use crate::common::{CONNECTED, PLATFORM, Scenario, account, assert_variant};
use stripe_account_debits::book::{AccountSlot, Ledger};
use stripe_account_debits::consent::Consent;
use stripe_account_debits::stripe::{
    Balance, Connected, Country, LossLiability, Platform, ReferenceType, Region,
};
use stripe_account_debits::*;

#[track_caller]
fn only(scenario: &Scenario) -> Violation {
    let rejection = scenario.plan().expect_err("expected a rejection");
    assert_eq!(rejection.violations().len(), 1, "{rejection}");
    rejection.violations()[0]
}

#[test]
fn the_base_scenario_plans() {
    let plan = Scenario::base().plan().unwrap();
    assert_eq!(plan.transfer().amount().minor(), 500);
}

#[test]
fn loss_liability_platform_is_rejected_by_the_stripe_managed_flow() {
    let mut s = Scenario::base();
    s.connected = account(CONNECTED, "US", Currency::USD, LossLiability::Platform)
        .with_verified_bank_account(Currency::USD);
    s.flow = Some(Flow::StripeManaged);
    let v = only(&s);
    assert_eq!(v.code(), "loss_liability_not_stripe");
    assert_variant!(
        v,
        Violation::LossLiabilityNotStripe {
            account: CONNECTED.parse().unwrap()
        }
    );
    assert_eq!(
        v.to_string(),
        "connected account acct_1Connected has platform-managed risk \
         (controller.losses.payments is \"application\"): debit it through the flow for \
         platform-managed accounts"
    );
}

#[test]
fn loss_liability_unknown_is_rejected() {
    let mut s = Scenario::base();
    s.connected = account(CONNECTED, "US", Currency::USD, LossLiability::Unknown)
        .with_verified_bank_account(Currency::USD);
    let v = only(&s);
    assert_eq!(v.code(), "loss_liability_unknown");
    assert_eq!(
        v.to_string(),
        "connected account acct_1Connected does not say who bears its losses \
         (no controller.losses.payments, controller.type \"account\" or type \"standard\")"
    );
}

#[test]
fn loss_liability_is_read_from_stripe_fields() {
    use LossLiability::*;
    let cases = [
        ((Some("stripe"), None, None), Stripe),
        (
            (Some("application"), Some("account"), Some("standard")),
            Platform,
        ),
        ((Some("other"), Some("account"), None), Unknown),
        ((None, Some("account"), None), Stripe),
        ((None, None, Some("standard")), Stripe),
        ((None, Some("application"), Some("express")), Unknown),
        ((None, None, None), Unknown),
    ];
    for ((losses, controller, kind), expected) in cases {
        assert_eq!(
            LossLiability::from_stripe_fields(losses, controller, kind),
            expected,
            "{losses:?} {controller:?} {kind:?}"
        );
    }
}

#[test]
fn same_account_is_rejected() {
    let mut s = Scenario::base();
    s.platform = account(CONNECTED, "US", Currency::USD, LossLiability::Stripe);
    let v = only(&s);
    assert_eq!(v.code(), "same_account");
    assert_eq!(
        v.to_string(),
        "the platform and the connected account are the same account acct_1Connected"
    );
}

#[test]
fn platform_region_unsupported_is_rejected() {
    let mut s = Scenario::base();
    s.platform = account(PLATFORM, "BR", Currency::USD, LossLiability::Stripe);
    let v = only(&s);
    assert_variant!(
        v,
        Violation::PlatformRegionUnsupported {
            country: "BR".parse().unwrap()
        }
    );
    assert_eq!(v.code(), "platform_region_unsupported");
    assert_eq!(
        v.to_string(),
        "account debits are not available to a platform in BR"
    );
}

#[test]
fn connected_region_unsupported_is_rejected() {
    let mut s = Scenario::base();
    s.connected = account(CONNECTED, "MX", Currency::USD, LossLiability::Stripe)
        .with_verified_bank_account(Currency::USD);
    let v = only(&s);
    assert_eq!(v.code(), "connected_region_unsupported");
    assert_eq!(
        v.to_string(),
        "account debits are not available for a connected account in MX"
    );
}

#[test]
fn region_mismatch_is_rejected() {
    let mut s = Scenario::base();
    s.platform = account(PLATFORM, "JP", Currency::JPY, LossLiability::Stripe);
    let v = only(&s);
    assert_variant!(
        v,
        Violation::RegionMismatch {
            platform_region: Region::Japan,
            connected_region: Region::UnitedStates
        }
    );
    assert_eq!(v.code(), "region_mismatch");
    assert_eq!(
        v.to_string(),
        "the platform is in japan but the connected account is in the us: both must be in \
         the same region"
    );
}

#[test]
fn european_countries_share_a_region() {
    let mut s = Scenario::base();
    s.platform = account(PLATFORM, "DE", Currency::EUR, LossLiability::Stripe);
    s.connected = account(CONNECTED, "GB", Currency::EUR, LossLiability::Stripe);
    s.currency = Currency::EUR;
    s.balance = vec![];
    assert!(s.plan().is_ok());
    for code in ["FR", "IE", "NO", "IS", "LI", "CH", "GI", "AT", "PL"] {
        let country: Country = code.parse().unwrap();
        assert_eq!(Region::of(country), Some(Region::Europe), "{code}");
    }
    for code in ["RU", "TR", "UA", "RS", "AD", "MC"] {
        assert_eq!(Region::of(code.parse().unwrap()), None, "{code}");
    }
}

#[test]
fn every_supported_region_has_its_countries() {
    let cases = [
        ("AU", Region::Australia),
        ("CA", Region::Canada),
        ("HK", Region::HongKong),
        ("JP", Region::Japan),
        ("NZ", Region::NewZealand),
        ("US", Region::UnitedStates),
    ];
    for (code, region) in cases {
        assert_eq!(Region::of(code.parse().unwrap()), Some(region), "{code}");
    }
}

#[test]
fn currency_mismatch_is_rejected() {
    let mut s = Scenario::base();
    s.currency = Currency::EUR;
    let v = only(&s);
    assert_variant!(
        v,
        Violation::CurrencyMismatch {
            currency: Currency::EUR,
            default_currency: Currency::USD
        }
    );
    assert_eq!(
        v.to_string(),
        "the debit is in eur but the connected account's default currency is usd"
    );
}

#[test]
fn currency_unsupported_is_rejected() {
    let mut s = Scenario::base();
    s.connected = account(CONNECTED, "US", Currency::XAU, LossLiability::Stripe);
    s.currency = Currency::XAU;
    s.amount = Decimal::new(5, 0);
    let rejection = s.plan().unwrap_err();
    // The amount rules cannot be judged in such a currency.
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["currency_unsupported"]
    );
    assert_eq!(
        rejection.violations()[0].to_string(),
        "currency xau has no minor unit on stripe"
    );
}

#[test]
fn amount_not_positive_is_rejected() {
    for amount in [Decimal::ZERO, Decimal::new(-1, 2), Decimal::new(-500, 0)] {
        let mut s = Scenario::base();
        s.amount = amount;
        let v = only(&s);
        assert_variant!(
            v,
            Violation::AmountNotPositive {
                amount: amount,
                currency: Currency::USD
            }
        );
    }
    let mut s = Scenario::base();
    s.amount = Decimal::ZERO;
    assert_eq!(
        only(&s).to_string(),
        "the debit amount 0 usd is not positive"
    );
}

#[test]
fn amount_too_precise_is_rejected() {
    let cases = [
        (Decimal::new(5001, 3), Currency::USD, 2),
        (Decimal::new(15, 1), Currency::JPY, 0),
        (Decimal::new(12345, 2), Currency::ISK, 0),
        (Decimal::new(10001, 4), Currency::KWD, 3),
    ];
    for (amount, currency, decimal_places) in cases {
        let mut s = Scenario::base();
        s.connected = account(CONNECTED, "US", currency, LossLiability::Stripe);
        s.currency = currency;
        s.amount = amount;
        let rejection = s.plan().unwrap_err();
        assert_eq!(rejection.violations().len(), 1, "{amount} {currency:?}");
        assert_variant!(
            rejection.violations()[0],
            Violation::AmountTooPrecise {
                amount: amount,
                currency: currency,
                decimal_places: decimal_places
            }
        );
    }
    let mut s = Scenario::base();
    s.amount = Decimal::new(5001, 3);
    assert_eq!(
        only(&s).to_string(),
        "the debit amount 5.001 usd has more than 2 decimal places"
    );
}

#[test]
fn trailing_zeros_are_not_extra_precision() {
    let mut s = Scenario::base();
    s.amount = Decimal::new(50000, 4); // 5.0000
    assert_eq!(s.plan().unwrap().transfer().amount().minor(), 500);
}

#[test]
fn amount_out_of_range_is_rejected() {
    // 2^63 cents does not fit an i64.
    let mut s = Scenario::base();
    s.amount = Decimal::from_i128_with_scale(1i128 << 63, 2);
    let v = only(&s);
    assert_eq!(v.code(), "amount_out_of_range");
    assert_eq!(
        v.to_string(),
        "the debit amount 92233720368547758.08 usd does not fit stripe's integer amount"
    );
    // i64::MAX cents fits.
    let mut s = Scenario::base();
    s.amount = Decimal::from_i128_with_scale(i64::MAX.into(), 2);
    s.balance = vec![(i64::MAX, Currency::USD)];
    assert_eq!(s.plan().unwrap().connected_available().after().minor(), 0);
}

#[test]
fn amount_out_of_range_through_the_balance_is_rejected() {
    let mut s = Scenario::base();
    s.balance = vec![(i64::MIN + 499, Currency::USD)];
    let v = only(&s);
    assert_variant!(
        v,
        Violation::AmountOutOfRange {
            amount: Decimal::new(500, 2),
            currency: Currency::USD,
            balance: Some(Money::from_minor(i64::MIN + 499, Currency::USD).unwrap()),
        }
    );
    assert_eq!(
        v.to_string(),
        "the debit amount 5.00 usd would take the available balance of \
         -92233720368547753.09 below the smallest integer amount"
    );
    // One cent less and it fits exactly.
    s.balance = vec![(i64::MIN + 500, Currency::USD)];
    let plan = s.plan().unwrap();
    assert_eq!(plan.connected_available().after().minor(), i64::MIN);
    assert_eq!(plan.reserve().minor(), 500);
}

#[test]
fn a_negative_too_precise_amount_breaks_both_rules() {
    let mut s = Scenario::base();
    s.amount = Decimal::new(-1, 3);
    assert_eq!(s.codes(), ["amount_not_positive", "amount_too_precise"]);
}

#[test]
fn reference_kind_unsupported_is_rejected() {
    let mut s = Scenario::base();
    s.reference = "pi_1Intent";
    let v = only(&s);
    assert_eq!(v.code(), "reference_kind_unsupported");
    assert_eq!(
        v.to_string(),
        "reference transaction pi_1Intent is a payment intent: use its latest charge instead"
    );
    s.reference = "tr_1Transfer";
    assert_eq!(
        only(&s).to_string(),
        "reference transaction tr_1Transfer is a transfer, not a charge, payment or payout"
    );
    for reference in ["re_1", "txn_1", "pyr_1", "dp_1", "in_1"] {
        s.reference = reference;
        assert_eq!(s.codes(), ["reference_kind_unsupported"], "{reference}");
    }
    // A kind this crate does not know is named by its prefix.
    s.reference = "cs_test_a1B2c3";
    assert_eq!(
        only(&s).to_string(),
        "reference transaction cs_test_a1B2c3 has the prefix \"cs_\", which is not that of \
         a charge, payment or payout"
    );
    // "an" before a vowel.
    for (reference, kind) in [("in_1", "an invoice"), ("fee_1", "an application fee")] {
        s.reference = reference;
        assert_eq!(
            only(&s).to_string(),
            format!("reference transaction {reference} is {kind}, not a charge, payment or payout")
        );
    }
}

#[test]
fn charges_payments_and_payouts_are_accepted_references() {
    for (reference, kind) in [
        ("ch_1", ReferenceType::Charge),
        ("py_1", ReferenceType::Charge),
        ("po_1", ReferenceType::Payout),
    ] {
        let mut s = Scenario::base();
        s.reference = reference;
        let plan = s.plan().unwrap();
        assert_eq!(plan.transfer().reference_type(), Some(kind));
        assert_eq!(plan.request().form().nth(3).unwrap().1, kind.as_str());
        assert_eq!(
            plan.request().form().nth(4).unwrap(),
            (
                match kind {
                    ReferenceType::Charge => "reference_transaction[charge]",
                    ReferenceType::Payout => "reference_transaction[payout]",
                    other => panic!("no form field for {other:?}"),
                },
                reference
            )
        );
    }
}

#[test]
fn reference_other_account_is_rejected() {
    let mut s = Scenario::base();
    s.reference_account = "acct_1Elsewhere";
    let v = only(&s);
    assert_variant!(
        v,
        Violation::ReferenceOtherAccount {
            reference: "ch_1Charge".parse().unwrap(),
            created_on: "acct_1Elsewhere".parse().unwrap(),
            debited: CONNECTED.parse().unwrap(),
        }
    );
    assert_eq!(
        v.to_string(),
        "reference transaction ch_1Charge was created on acct_1Elsewhere, not on the debited \
         account acct_1Connected"
    );
}

#[test]
fn consent_missing_is_rejected() {
    let mut s = Scenario::base();
    s.consent = None;
    let v = only(&s);
    assert_variant!(
        v,
        Violation::ConsentMissing {
            account: CONNECTED.parse().unwrap()
        }
    );
    assert_eq!(
        v.to_string(),
        "no consent from the connected account to be debited is on record"
    );
}

#[test]
fn consent_not_yet_valid_is_rejected() {
    let mut s = Scenario::base();
    s.at = 999;
    let v = only(&s);
    assert_variant!(
        v,
        Violation::ConsentNotYetValid {
            granted_at: Timestamp::from_unix(1_000),
            at: Timestamp::from_unix(999)
        }
    );
    assert_eq!(
        v.to_string(),
        "consent was granted at 1000, after the debit time 999"
    );
    s.at = 1_000;
    assert!(
        s.plan().is_ok(),
        "consent holds from the second it is granted"
    );
}

#[test]
fn consent_revoked_is_rejected() {
    let granted = Consent::granted(Timestamp::from_unix(1_000), "a".parse().unwrap());
    let mut s = Scenario::base();
    s.consent = Some(granted.clone().revoke(Timestamp::from_unix(2_000)).unwrap());
    let v = only(&s);
    assert_variant!(
        v,
        Violation::ConsentRevoked {
            revoked_at: Timestamp::from_unix(2_000),
            at: Timestamp::from_unix(2_000)
        }
    );
    assert_eq!(
        v.to_string(),
        "consent was revoked at 2000, at or before the debit time 2000"
    );
    s.consent = Some(granted.revoke(Timestamp::from_unix(2_001)).unwrap());
    assert!(
        s.plan().is_ok(),
        "consent holds until the second it is revoked"
    );
}

#[test]
fn consent_cannot_be_revoked_before_it_is_granted() {
    let granted = Consent::granted(Timestamp::from_unix(1_000), "a".parse().unwrap());
    let err = granted
        .clone()
        .revoke(Timestamp::from_unix(999))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "consent revoked at 999, before it was granted at 1000"
    );
    assert!(granted.revoke(Timestamp::from_unix(1_000)).is_ok());
}

#[test]
fn a_request_breaking_every_rule_lists_them_in_order() {
    let mut s = Scenario::base();
    s.platform = account(CONNECTED, "BR", Currency::BRL, LossLiability::Stripe);
    s.connected = account(CONNECTED, "MX", Currency::MXN, LossLiability::Platform);
    s.currency = Currency::USD;
    s.amount = Decimal::new(-1, 3);
    s.reference = "pi_1";
    s.reference_account = "acct_1Other";
    s.consent = None;
    s.flow = Some(Flow::StripeManaged);
    let rejection = s.plan().unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
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
    let positions: Vec<usize> = rejection
        .violations()
        .iter()
        .map(Violation::position)
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    assert!(rejection.breaks("same_account"));
    assert!(!rejection.breaks("region_mismatch"));
    assert!(rejection.to_string().starts_with(
        "debit rejected: connected account acct_1Connected has platform-managed risk"
    ));
    let mut two = Scenario::base();
    two.consent = None;
    two.reference = "tr_1";
    assert_eq!(
        two.plan().unwrap_err().to_string(),
        "debit rejected: reference transaction tr_1 is a transfer, not a charge, payment or \
         payout; no consent from the connected account to be debited is on record"
    );
}

#[test]
fn codes_are_unique_and_in_rule_order() {
    let mut sorted = Violation::CODES.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), Violation::CODES.len());
    assert_eq!(ViolationKind::ConsentMissing.position(), 21);
}

#[test]
fn bank_account_unverified_is_advised_not_rejected() {
    let mut s = Scenario::base();
    s.connected = account(CONNECTED, "US", Currency::USD, LossLiability::Stripe)
        .with_verified_bank_account(Currency::EUR);
    let plan = s.plan().unwrap();
    let advisories: Vec<Advisory> = plan.advisories().iter().collect();
    assert_eq!(advisories.len(), 1);
    assert_variant!(
        advisories[0],
        Advisory::BankAccountUnverified {
            account: CONNECTED.parse().unwrap(),
            currency: Currency::USD
        }
    );
    assert_eq!(advisories[0].code(), "bank_account_unverified");
    assert_eq!(
        advisories[0].to_string(),
        "connected account acct_1Connected has no verified bank account in usd on file: \
         stripe recommends verifying it before debiting"
    );
    assert_eq!(plan.advisories().len(), 1);
    assert!(Scenario::base().plan().unwrap().advisories().is_empty());
}

/// The base scenario's accounts in a ledger whose platform has `platform` USD available,
/// and its debit: the ledger's own rules (`Ledger::RULES`) are broken on it.
fn ledger_of(s: &Scenario, platform: i64) -> (Ledger, AccountSlot, DebitInput) {
    let input = s.input();
    let mut ledger = Ledger::new(
        Platform::new(*input.platform()),
        Balance::new([Money::from_minor(platform, Currency::USD).unwrap()]).unwrap(),
    );
    let slot = ledger
        .add_account(
            Connected::new(*input.connected()),
            input.connected_balance().clone(),
            input.consent().cloned(),
        )
        .unwrap();
    (ledger, slot, input)
}

#[test]
fn the_ledger_judges_its_own_rules_after_the_flows() {
    assert_eq!(
        Ledger::RULES,
        [
            ViolationKind::DebitIdReused,
            ViolationKind::PlatformBalanceOutOfRange
        ]
    );
    // They come last in the table: a rejection lists them after a flow's.
    let last = ViolationKind::ALL.len() - Ledger::RULES.len();
    assert_eq!(&ViolationKind::ALL[last..], Ledger::RULES);
    // `plan_debit` sees one debit: it never judges them.
    assert!(Scenario::base().plan().is_ok());
}

#[test]
fn debit_id_reused_is_rejected() {
    let (mut ledger, slot, input) = ledger_of(&Scenario::base(), 0);
    let at = input.at();
    assert!(ledger.plan(slot, input.debit(), at).unwrap().is_ok());
    let rejection = ledger.plan(slot, input.debit(), at).unwrap().unwrap_err();
    assert_eq!(rejection.violations().len(), 1, "{rejection}");
    let v = rejection.violations()[0];
    assert_eq!(v.code(), "debit_id_reused");
    assert_variant!(
        v,
        Violation::DebitIdReused {
            account: CONNECTED.parse().unwrap(),
            debit_id: "recovery-42".parse().unwrap(),
            earlier: 0
        }
    );
    assert_eq!(
        v.to_string(),
        "debit id recovery-42 of connected account acct_1Connected was planned before \
         (debit 0 of this ledger): stripe would replay that debit's result for its \
         idempotency key, not debit again"
    );
}

#[test]
fn platform_balance_out_of_range_is_rejected() {
    // 5.00 USD on 10.00 USD: the platform gets 5.00, with 4.99 of room left.
    let (mut ledger, slot, input) = ledger_of(&Scenario::base(), i64::MAX - 499);
    let rejection = ledger
        .plan(slot, input.debit(), input.at())
        .unwrap()
        .unwrap_err();
    assert_eq!(rejection.violations().len(), 1, "{rejection}");
    let v = rejection.violations()[0];
    assert_eq!(v.code(), "platform_balance_out_of_range");
    let usd = |minor| Money::from_minor(minor, Currency::USD).unwrap();
    assert_variant!(
        v,
        Violation::PlatformBalanceOutOfRange {
            platform_available: usd(i64::MAX - 499),
            brought_in: usd(500)
        }
    );
    assert_eq!(
        v.to_string(),
        "the platform's available balance of 92233720368547753.08 usd plus the 5.00 usd \
         this debit brings in does not fit stripe's integer amount"
    );
    // One cent less and it fits, to the last minor unit.
    let (mut ledger, slot, input) = ledger_of(&Scenario::base(), i64::MAX - 500);
    assert!(
        ledger
            .plan(slot, input.debit(), input.at())
            .unwrap()
            .is_ok()
    );
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(i64::MAX))
    );
}
