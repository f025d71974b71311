//! The platform-managed flow: each of its rules broken alone, with its code, values and
//! exact message; the charge and the transfer it sends; its advisories; and the flow
//! `plan_debit` chooses.

use crate::common::{CONNECTED, PLATFORM, Scenario, account, assert_variant};
use stripe_account_debits::stripe::{
    LossLiability, NegativeBalanceReclaim, PlatformReserves, RESERVES_DEFAULT_SINCE,
};
use stripe_account_debits::*;

#[track_caller]
fn only(scenario: &Scenario) -> Violation {
    let rejection = scenario.plan().expect_err("expected a rejection");
    assert_eq!(rejection.violations().len(), 1, "{rejection}");
    rejection.violations()[0]
}

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD).unwrap()
}

/// The platform-managed scenario with a debit of 15.00 USD from its 10.00 USD, from a
/// platform whose arrangement with Stripe allows negative balances.
fn going_negative() -> Scenario {
    Scenario {
        amount: Decimal::new(1500, 2),
        negative_allowed: true,
        ..Scenario::platform_managed()
    }
}

#[test]
fn negative_balance_not_allowed_is_rejected_by_default() {
    let mut s = going_negative();
    s.negative_allowed = false;
    let v = only(&s);
    assert_eq!(v.code(), "negative_balance_not_allowed");
    assert_variant!(v, Violation::NegativeBalanceNotAllowed { after: usd(-500) });
    assert_eq!(
        v.to_string(),
        "the debit would take the available balance to -5.00 usd: stripe does not let a \
         debit make a platform-managed account's balance negative unless the platform's \
         arrangement with stripe allows it, and the platform has not said that it does"
    );
    // The earlier pages' rules are not judged then: without reserves or a bank account,
    // this rule alone is broken.
    s.reserves = PlatformReserves::Disabled;
    s.connected = account(CONNECTED, "US", Currency::USD, LossLiability::Platform);
    assert_eq!(only(&s).code(), "negative_balance_not_allowed");
    // Down to zero is not below it.
    s.amount = Decimal::new(1000, 2);
    assert_eq!(s.plan().unwrap().connected_available().after(), usd(0));
    // Allowed, the same debit plans, and the reserve holds the shortfall.
    let allowed = going_negative();
    assert_eq!(allowed.plan().unwrap().reserve(), usd(500));
    assert!(
        !Scenario::platform_managed()
            .input()
            .negative_balances_allowed()
    );
}

#[test]
fn a_recovery_is_a_transfer_without_a_reference() {
    let plan = Scenario::platform_managed().plan().unwrap();
    assert_eq!(
        (plan.flow(), plan.method()),
        (Flow::PlatformManaged, Method::Transfer)
    );
    assert_eq!(plan.transfer().reference(), None);
    let request = plan.request();
    assert_eq!(
        (request.method(), request.path()),
        ("POST", "/v1/transfers")
    );
    assert_eq!(request.stripe_account(), Some(CONNECTED));
    assert_eq!(
        request.form().collect::<Vec<_>>(),
        [
            ("amount", "500"),
            ("currency", "usd"),
            ("destination", PLATFORM),
            ("metadata[account_debit_id]", "recovery-42"),
        ]
    );
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    assert_eq!(
        body,
        "amount=500&currency=usd&destination=acct_1Platform&metadata%5Baccount_debit_id%5D=recovery-42"
    );
    // An adjustment is sent the same way; a reference, when given, is not sent.
    let mut adjustment = Scenario::platform_managed();
    adjustment.purpose = Some(Purpose::Adjustment);
    adjustment.no_reference = false;
    let plan = adjustment.plan().unwrap();
    assert_eq!(plan.method(), Method::Transfer);
    assert!(
        plan.request()
            .form()
            .all(|(name, _)| !name.starts_with("reference"))
    );
}

#[test]
fn a_service_charge_is_a_charge_on_the_platform() {
    let mut s = Scenario::platform_managed();
    s.purpose = Some(Purpose::ServiceCharge);
    let plan = s.plan().unwrap();
    assert_eq!(
        (plan.flow(), plan.method()),
        (Flow::PlatformManaged, Method::Charge)
    );
    let request = plan.request();
    assert_eq!((request.method(), request.path()), ("POST", "/v1/charges"));
    assert_eq!(request.stripe_account(), None);
    let headers: Vec<&str> = request.headers().iter().map(|(name, _)| name).collect();
    assert_eq!(headers, ["Idempotency-Key", "Content-Type"]);
    assert_eq!(
        request.form().collect::<Vec<_>>(),
        [
            ("amount", "500"),
            ("currency", "usd"),
            ("source", CONNECTED),
            ("metadata[account_debit_id]", "recovery-42"),
        ]
    );
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    assert_eq!(
        body,
        "amount=500&currency=usd&source=acct_1Connected&metadata%5Baccount_debit_id%5D=recovery-42"
    );
    assert!(Method::Charge.source().contains("source value"));
    assert!(Method::Transfer.source().contains("earlier version"));
    assert_eq!(
        (Method::Charge.code(), Flow::PlatformManaged.code()),
        ("charge", "platform_managed")
    );
}

#[test]
fn plan_debit_chooses_the_flow_by_who_bears_the_losses() {
    assert_eq!(Scenario::base().plan().unwrap().flow(), Flow::StripeManaged);
    assert_eq!(
        Scenario::platform_managed().plan().unwrap().flow(),
        Flow::PlatformManaged
    );
    // A caller who allows one flow only gets the other flow's accounts rejected.
    let mut stripe_only = Scenario::platform_managed();
    stripe_only.flow = Some(Flow::StripeManaged);
    let codes: Vec<&str> = stripe_only.plan().unwrap_err().codes().collect();
    assert_eq!(codes, ["loss_liability_not_stripe", "reference_missing"]);
}

#[test]
fn loss_liability_not_platform_is_rejected() {
    let mut s = Scenario::base();
    s.purpose = Some(Purpose::Recovery);
    s.flow = Some(Flow::PlatformManaged);
    let v = only(&s);
    assert_eq!(v.code(), "loss_liability_not_platform");
    assert_variant!(
        v,
        Violation::LossLiabilityNotPlatform {
            account: CONNECTED.parse().unwrap()
        }
    );
    assert_eq!(
        v.to_string(),
        "connected account acct_1Connected is on stripe managed risk \
         (controller.losses.payments is \"stripe\"): debit it through the flow for \
         stripe-managed accounts"
    );
}

#[test]
fn amount_over_cap_is_rejected_in_usd_exactly() {
    let mut s = Scenario::platform_managed();
    s.balance = vec![(100_000_000, Currency::USD)];
    s.amount = Decimal::new(10_000_000, 2);
    assert!(s.plan().is_ok(), "100,000.00 USD is the cap");
    s.amount = Decimal::new(10_000_001, 2);
    let v = only(&s);
    assert_eq!(v.code(), "amount_over_cap");
    assert_variant!(
        v,
        Violation::AmountOverCap {
            amount: usd(10_000_001),
            cap: usd(10_000_000)
        }
    );
    assert_eq!(
        v.to_string(),
        "the debit amount 100000.01 usd is more than the 100000.00 usd a debit of a \
         platform-managed account may be"
    );
    // A caller's cap in USD applies when it is lower than Stripe's (issue 17: it was
    // silently ignored)...
    s.cap = Some(usd(1));
    s.amount = Decimal::new(500, 2);
    let v = only(&s);
    assert_variant!(
        v,
        Violation::AmountOverCap {
            amount: usd(500),
            cap: usd(1)
        }
    );
    assert_eq!(
        v.to_string(),
        "the debit amount 5.00 usd is more than the 0.01 usd a debit of a platform-managed \
         account may be"
    );
    s.amount = Decimal::new(1, 2);
    assert!(s.plan().is_ok(), "0.01 USD is within a cap of 0.01 USD");
    // ...and never raises it.
    s.cap = Some(usd(20_000_000));
    s.amount = Decimal::new(10_000_001, 2);
    assert_variant!(
        only(&s),
        Violation::AmountOverCap {
            amount: usd(10_000_001),
            cap: usd(10_000_000)
        }
    );
}

#[test]
fn in_another_currency_the_cap_is_the_callers_or_unchecked() {
    let eur = |minor| Money::from_minor(minor, Currency::EUR).unwrap();
    let mut s = Scenario::platform_managed();
    s.platform = account(PLATFORM, "DE", Currency::EUR, LossLiability::Stripe);
    s.connected = account(CONNECTED, "DE", Currency::EUR, LossLiability::Platform)
        .with_verified_bank_account(Currency::EUR);
    s.currency = Currency::EUR;
    s.balance = vec![(100_000_000, Currency::EUR)];
    s.amount = Decimal::new(20_000_000, 2);
    let plan = s.plan().unwrap();
    let advisories: Vec<Advisory> = plan.advisories().iter().collect();
    assert_eq!(advisories.len(), 1);
    assert_variant!(
        advisories[0],
        Advisory::AmountCapUnchecked {
            currency: Currency::EUR
        }
    );
    assert_eq!(
        advisories[0].to_string(),
        "stripe's cap of 100,000 usd or its equivalent was not checked: no cap in eur was given"
    );
    s.cap = Some(eur(9_000_000));
    let v = only(&s);
    assert_variant!(
        v,
        Violation::AmountOverCap {
            amount: eur(20_000_000),
            cap: eur(9_000_000)
        }
    );
    // A cap in another currency than the debit's is not this debit's.
    s.cap = Some(usd(1));
    assert!(s.plan().is_ok());
}

#[test]
fn negative_balance_without_reserves_is_rejected() {
    let mut s = going_negative();
    s.reserves = PlatformReserves::Disabled;
    let v = only(&s);
    assert_eq!(v.code(), "negative_balance_without_reserves");
    assert_variant!(
        v,
        Violation::NegativeBalanceWithoutReserves { after: usd(-500) }
    );
    assert_eq!(
        v.to_string(),
        "the debit would take the available balance to -5.00 usd, and the platform does not \
         have connected reserves enabled"
    );
    // Staying at or above zero needs no reserves.
    s.amount = Decimal::new(1000, 2);
    assert!(s.plan().is_ok());
}

#[test]
fn platform_reserves_unknown_is_rejected_not_guessed() {
    let mut s = going_negative();
    s.reserves = PlatformReserves::Unknown;
    let v = only(&s);
    assert_eq!(v.code(), "platform_reserves_unknown");
    assert_eq!(
        v.to_string(),
        "the debit would take the available balance to -5.00 usd, and whether the platform \
         has connected reserves enabled is not known: give the platform account's created \
         time, or say whether they are"
    );
    s.amount = Decimal::new(1000, 2);
    assert!(s.plan().is_ok());
}

#[test]
fn negative_balance_without_bank_account_is_rejected() {
    let mut s = going_negative();
    s.connected = account(CONNECTED, "US", Currency::USD, LossLiability::Platform)
        .with_verified_bank_account(Currency::EUR);
    let v = only(&s);
    assert_eq!(v.code(), "negative_balance_without_bank_account");
    assert_variant!(
        v,
        Violation::NegativeBalanceWithoutBankAccount {
            account: CONNECTED.parse().unwrap(),
            currency: Currency::USD,
            listed_in_full: true
        }
    );
    assert_eq!(
        v.to_string(),
        "the debit would take the available balance below zero, and connected account \
         acct_1Connected has no verified bank account in usd on file"
    );
    s.connected = s.connected.with_bank_account_list_incomplete();
    assert!(
        only(&s)
            .to_string()
            .ends_with("among those listed (stripe's list has more)")
    );
}

#[test]
fn purpose_missing_is_rejected() {
    let mut s = Scenario::platform_managed();
    s.purpose = None;
    let v = only(&s);
    assert_eq!(v.code(), "purpose_missing");
    assert_eq!(
        v.to_string(),
        "a debit of platform-managed account acct_1Connected needs a purpose \
         (service_charge, recovery or adjustment): it picks a charge or a transfer"
    );
}

#[test]
fn reference_missing_is_rejected_by_the_stripe_managed_flow() {
    let mut s = Scenario::base();
    s.no_reference = true;
    let v = only(&s);
    assert_eq!(v.code(), "reference_missing");
    assert_eq!(
        v.to_string(),
        "a debit of connected account acct_1Connected on stripe managed risk needs a \
         reference transaction: a charge, payment or payout of that account"
    );
}

#[test]
fn a_negative_balance_left_says_what_stripe_does_about_it() {
    let messages = |s: &Scenario| -> Vec<String> {
        s.plan()
            .unwrap()
            .advisories()
            .iter()
            .map(|a| a.to_string())
            .collect()
    };
    let mut s = going_negative();
    let plan = s.plan().unwrap();
    assert_eq!(plan.reserve().minor(), 500);
    assert_eq!(
        messages(&s),
        [
            "the debit leaves the balance below zero: whether stripe debits the bank account \
          for it depends on debit_negative_balances, which was not given"
        ]
    );
    s.connected = s.connected.with_debit_negative_balances(true);
    let advisory = s.plan().unwrap().advisories().iter().next().unwrap();
    assert_variant!(
        advisory,
        Advisory::NegativeBalanceLeft {
            reclaim: NegativeBalanceReclaim::FromBank
        }
    );
    s.connected = s.connected.with_debit_negative_balances(false);
    assert!(messages(&s)[0].contains("the platform's reserve covers it"));
    // Reserves assumed from the platform's creation date are worth confirming.
    s.reserves = PlatformReserves::EnabledByDefault;
    let codes: Vec<&str> = s
        .plan()
        .unwrap()
        .advisories()
        .iter()
        .map(|a| a.code())
        .collect();
    assert_eq!(
        codes,
        ["negative_balance_left", "platform_reserves_assumed"]
    );
    assert!(messages(&s)[1].starts_with("the debit relies on the platform's connected reserves"));
}

#[test]
fn every_rule_of_the_flow_breaks_at_once() {
    let mut s = going_negative();
    s.platform = account(CONNECTED, "BR", Currency::BRL, LossLiability::Stripe);
    s.connected = account(CONNECTED, "MX", Currency::MXN, LossLiability::Platform);
    s.reserves = PlatformReserves::Disabled;
    s.purpose = None;
    s.consent = None;
    s.currency = Currency::USD;
    s.amount = Decimal::new(10_000_001, 2);
    s.balance = vec![(0, Currency::USD)];
    assert_eq!(
        s.plan().unwrap_err().codes().collect::<Vec<_>>(),
        [
            "same_account",
            "platform_region_unsupported",
            "connected_region_unsupported",
            "currency_mismatch",
            "amount_over_cap",
            "negative_balance_without_reserves",
            "negative_balance_without_bank_account",
            "purpose_missing",
            "consent_missing",
        ]
    );
    // Without the platform saying negatives are allowed, one rule stands for the three.
    s.negative_allowed = false;
    assert_eq!(
        s.plan().unwrap_err().codes().collect::<Vec<_>>(),
        [
            "same_account",
            "platform_region_unsupported",
            "connected_region_unsupported",
            "currency_mismatch",
            "amount_over_cap",
            "negative_balance_not_allowed",
            "purpose_missing",
            "consent_missing",
        ]
    );
}

#[cfg(feature = "serde")]
mod json {
    use serde_json::{Value, json};
    use stripe_account_debits::{json as boundary, plan_debit};

    const EXAMPLE: &str = include_str!("../../examples/scenarios/platform_managed.json");

    fn example() -> Value {
        serde_json::from_str(EXAMPLE).unwrap()
    }

    #[track_caller]
    fn run(scenario: &Value) -> Value {
        let input = boundary::scenario_from_value(scenario).unwrap();
        serde_json::to_value(boundary::outcome(&plan_debit(&input))).unwrap()
    }

    #[track_caller]
    fn error_of(scenario: &Value) -> String {
        boundary::scenario_from_value(scenario)
            .unwrap_err()
            .to_string()
    }

    fn codes(out: &Value, list: &str) -> Vec<String> {
        out[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["code"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn the_example_is_a_service_charge_sent_as_a_charge() {
        let out = run(&example());
        assert_eq!(
            (&out["flow"], &out["method"]),
            (&json!("platform_managed"), &json!("charge"))
        );
        assert_eq!(out["request"]["path"], "/v1/charges");
        assert_eq!(out["request"]["headers"].get("Stripe-Account"), None);
        assert_eq!(
            out["request"]["form"][2],
            json!(["source", "acct_1ExpressDemo0001"])
        );
        assert_eq!(out["transfer"]["reference_transaction"], Value::Null);
        assert_eq!(out["reserve_hold"]["amount"], 500);
        assert_eq!(
            codes(&out, "advisories"),
            ["negative_balance_left", "platform_reserves_assumed"]
        );
        assert_eq!(out["advisories"][0]["reclaim"], "from_bank");
    }

    #[test]
    fn negatives_are_refused_unless_the_scenario_allows_them() {
        let mut scenario = example();
        assert_eq!(scenario["negative_balances_allowed"], json!(true));
        for refused in [json!(false), Value::Null] {
            scenario["negative_balances_allowed"] = refused;
            assert_eq!(
                codes(&run(&scenario), "violations"),
                ["negative_balance_not_allowed"]
            );
        }
        scenario
            .as_object_mut()
            .unwrap()
            .remove("negative_balances_allowed");
        let out = run(&scenario);
        assert_eq!(codes(&out, "violations"), ["negative_balance_not_allowed"]);
        assert_eq!(out["violations"][0]["after"], -500);
        scenario["negative_balances_allowed"] = json!("yes");
        assert_eq!(
            error_of(&scenario),
            "negative_balances_allowed: expected a boolean, found a string"
        );
    }

    #[test]
    fn reserves_come_from_the_flag_or_the_platforms_creation() {
        let mut scenario = example();
        scenario["platform_reserves_enabled"] = json!(false);
        assert_eq!(
            codes(&run(&scenario), "violations"),
            ["negative_balance_without_reserves"]
        );
        scenario["platform_reserves_enabled"] = json!(true);
        assert_eq!(
            codes(&run(&scenario), "advisories"),
            ["negative_balance_left"]
        );
        scenario["platform_reserves_enabled"] = Value::Null;
        scenario["platform_account"]["created"] = json!(1_400_000_000);
        assert_eq!(
            codes(&run(&scenario), "violations"),
            ["platform_reserves_unknown"]
        );
        scenario["platform_account"]
            .as_object_mut()
            .unwrap()
            .remove("created");
        assert_eq!(
            codes(&run(&scenario), "violations"),
            ["platform_reserves_unknown"]
        );
        scenario["platform_reserves_enabled"] = json!("yes");
        assert_eq!(
            error_of(&scenario),
            "platform_reserves_enabled: expected a boolean, found a string"
        );
        scenario["platform_reserves_enabled"] = Value::Null;
        scenario["platform_account"]["created"] = json!("2020");
        assert_eq!(
            error_of(&scenario),
            "platform_account.created: \"2020\" is not an RFC 3339 UTC time such as \
             2022-09-18T13:22:18.123Z"
        );
    }

    #[test]
    fn caps_are_read_in_minor_units_per_currency() {
        let mut scenario = example();
        for account in ["platform_account", "connected_account"] {
            scenario[account]["country"] = json!("DE");
            scenario[account]["default_currency"] = json!("eur");
        }
        scenario["connected_account"]["external_accounts"]["data"][0]["currency"] = json!("eur");
        scenario["connected_balance"]["available"][0]["currency"] = json!("eur");
        scenario["debit"]["currency"] = json!("eur");
        assert!(codes(&run(&scenario), "advisories").contains(&"amount_cap_unchecked".to_owned()));
        scenario["amount_caps"] = json!({ "usd": 1, "eur": 1000 });
        let out = run(&scenario);
        assert_eq!(codes(&out, "violations"), ["amount_over_cap"]);
        assert_eq!(
            (
                &out["violations"][0]["amount"],
                &out["violations"][0]["cap"]
            ),
            (&json!(1500), &json!(1000))
        );
        // Issue 16: a violation that carries money names its currency, as Stripe writes it.
        assert_eq!(out["violations"][0]["currency"], json!("eur"));
        scenario["amount_caps"] = json!({ "xyz": 1 });
        assert_eq!(
            error_of(&scenario),
            "amount_caps.xyz: unknown currency \"xyz\""
        );
        scenario["amount_caps"] = json!({ "eur": 1, "EUR": 2 });
        // (A `Value` keeps its keys sorted: "EUR" is read first, "eur" second.)
        assert_eq!(
            error_of(&scenario),
            "amount_caps.eur: currency eur is listed twice"
        );
        scenario["amount_caps"] = json!({ "eur": 1.5 });
        assert_eq!(
            error_of(&scenario),
            "amount_caps.eur: expected a 64-bit integer, found a number that is not a 64-bit integer"
        );
        scenario["amount_caps"] = json!([1]);
        assert_eq!(
            error_of(&scenario),
            "amount_caps: expected a JSON object, found an array"
        );
        // What cannot be a cap is refused (issue 17), in any currency, USD too.
        for (cap, written) in [(json!({ "eur": 0 }), "0"), (json!({ "usd": -5 }), "-5")] {
            let code = cap.as_object().unwrap().keys().next().unwrap().clone();
            scenario["amount_caps"] = cap;
            assert_eq!(
                error_of(&scenario),
                format!("amount_caps.{code}: a cap must be more than zero, not {written}")
            );
        }
    }

    /// Issue 17: a USD cap was silently ignored; it now applies when lower than Stripe's.
    #[test]
    fn a_usd_cap_applies_when_lower_than_stripes() {
        let mut scenario = example();
        assert_eq!(run(&scenario)["outcome"], "planned");
        scenario["amount_caps"] = json!({ "usd": 100 });
        let out = run(&scenario);
        assert_eq!(codes(&out, "violations"), ["amount_over_cap"]);
        assert_eq!(out["violations"][0]["cap"], json!(100));
        // A cap above Stripe's changes nothing: 15.00 USD is within both.
        scenario["amount_caps"] = json!({ "usd": 999_999_999 });
        assert_eq!(run(&scenario)["outcome"], "planned");
    }

    /// Stripe's Account object reference (v1): `settings.payouts.debit_negative_balances`
    /// "The default value is `false` when `controller.requirement_collection` is
    /// `application`, which includes Custom accounts, otherwise `true`."
    #[test]
    fn debit_negative_balances_absent_takes_stripes_default() {
        let reclaim = |scenario: &Value| run(scenario)["advisories"][0]["reclaim"].clone();
        let mut scenario = example();
        scenario["connected_account"]["settings"]["payouts"]
            .as_object_mut()
            .unwrap()
            .remove("debit_negative_balances");
        // Neither the setting nor who collects requirements: not known.
        assert_eq!(reclaim(&scenario), "unknown");
        scenario["connected_account"]["controller"]["requirement_collection"] =
            json!("application");
        assert_eq!(reclaim(&scenario), "not_from_bank");
        scenario["connected_account"]["controller"]["requirement_collection"] = json!("stripe");
        assert_eq!(reclaim(&scenario), "from_bank");
        // Without `settings` at all, the same.
        scenario["connected_account"]
            .as_object_mut()
            .unwrap()
            .remove("settings");
        assert_eq!(reclaim(&scenario), "from_bank");
        // A value Stripe does not document is not guessed at.
        scenario["connected_account"]["controller"]["requirement_collection"] = json!("other");
        assert_eq!(reclaim(&scenario), "unknown");
        // The setting, when given, is the fact.
        scenario["connected_account"]["controller"]["requirement_collection"] =
            json!("application");
        scenario["connected_account"]["settings"] =
            json!({ "payouts": { "debit_negative_balances": true } });
        assert_eq!(reclaim(&scenario), "from_bank");
        scenario["connected_account"]["controller"]["requirement_collection"] = json!(1);
        assert_eq!(
            error_of(&scenario),
            "connected_account.controller.requirement_collection: expected a string, found an integer"
        );
    }

    #[test]
    fn purpose_reference_and_settings_are_read_with_their_paths() {
        let mut scenario = example();
        scenario["debit"]["purpose"] = json!("recovery");
        assert_eq!(run(&scenario)["method"], "transfer");
        scenario["debit"]["purpose"] = json!("refund");
        assert_eq!(
            error_of(&scenario),
            "debit.purpose: unknown purpose \"refund\": expected service_charge, recovery or adjustment"
        );
        scenario["debit"].as_object_mut().unwrap().remove("purpose");
        assert_eq!(codes(&run(&scenario), "violations"), ["purpose_missing"]);
        scenario["debit"]["purpose"] = json!("adjustment");
        scenario["connected_account"]["settings"]["payouts"]["debit_negative_balances"] =
            json!(false);
        assert_eq!(run(&scenario)["advisories"][0]["reclaim"], "not_from_bank");
        scenario["connected_account"]["settings"]["payouts"]["debit_negative_balances"] = json!(1);
        assert_eq!(
            error_of(&scenario),
            "connected_account.settings.payouts.debit_negative_balances: expected a boolean, found an integer"
        );
        scenario["connected_account"]["settings"] = json!("none");
        assert_eq!(
            error_of(&scenario),
            "connected_account.settings: expected a JSON object, found a string"
        );
        // A debit of an account on Stripe managed risk with no reference is rejected.
        let mut stripe = example();
        stripe["connected_account"]["controller"]["losses"]["payments"] = json!("stripe");
        assert_eq!(codes(&run(&stripe), "violations"), ["reference_missing"]);
    }
}

#[test]
fn reserves_and_reclaim_have_stable_codes() {
    let reserves = [
        (PlatformReserves::Enabled, "enabled", true),
        (
            PlatformReserves::EnabledByDefault,
            "enabled_by_default",
            true,
        ),
        (PlatformReserves::Disabled, "disabled", false),
        (PlatformReserves::Unknown, "unknown", false),
    ];
    for (value, code, enabled) in reserves {
        assert_eq!((value.code(), value.enabled()), (code, enabled));
    }
    assert_eq!(PlatformReserves::default(), PlatformReserves::Unknown);
    // The default holds from the first second after January 31st, 2017 (UTC).
    assert_eq!(RESERVES_DEFAULT_SINCE.unix(), 1_485_907_200);
    let since = RESERVES_DEFAULT_SINCE.unix();
    assert_eq!(
        PlatformReserves::from_created(Timestamp::from_unix(since)),
        PlatformReserves::EnabledByDefault
    );
    assert_eq!(
        PlatformReserves::from_created(Timestamp::from_unix(since - 1)),
        PlatformReserves::Unknown
    );
    // Absent, the setting takes the default Stripe's Account reference gives: `false`
    // when `controller.requirement_collection` is `application`, otherwise `true`.
    let defaults = [
        (
            None,
            Some("application"),
            NegativeBalanceReclaim::NotFromBank,
        ),
        (None, Some("stripe"), NegativeBalanceReclaim::FromBank),
        (None, Some("other"), NegativeBalanceReclaim::Unknown),
        (None, None, NegativeBalanceReclaim::Unknown),
        (
            Some(true),
            Some("application"),
            NegativeBalanceReclaim::FromBank,
        ),
        (
            Some(false),
            Some("stripe"),
            NegativeBalanceReclaim::NotFromBank,
        ),
    ];
    for (setting, collection, expected) in defaults {
        assert_eq!(
            NegativeBalanceReclaim::from_account_fields(setting, collection),
            expected,
            "{setting:?} {collection:?}"
        );
    }
    let defaulted = account(CONNECTED, "US", Currency::USD, LossLiability::Platform)
        .with_negative_balance_reclaim(NegativeBalanceReclaim::NotFromBank);
    assert_eq!(
        defaulted.negative_balance_reclaim(),
        NegativeBalanceReclaim::NotFromBank
    );
    let reclaim = [
        (Some(true), NegativeBalanceReclaim::FromBank, "from_bank"),
        (
            Some(false),
            NegativeBalanceReclaim::NotFromBank,
            "not_from_bank",
        ),
        (None, NegativeBalanceReclaim::Unknown, "unknown"),
    ];
    for (setting, value, code) in reclaim {
        assert_eq!(NegativeBalanceReclaim::from_setting(setting), value);
        assert_eq!(value.code(), code);
    }
    let account = account(CONNECTED, "US", Currency::USD, LossLiability::Platform);
    assert_eq!(
        account.negative_balance_reclaim(),
        NegativeBalanceReclaim::Unknown
    );
    assert_eq!(
        account
            .with_debit_negative_balances(false)
            .negative_balance_reclaim(),
        NegativeBalanceReclaim::NotFromBank
    );
    let purposes = [
        (Purpose::ServiceCharge, "service_charge"),
        (Purpose::Recovery, "recovery"),
        (Purpose::Adjustment, "adjustment"),
    ];
    for (purpose, code) in purposes {
        assert_eq!(
            (purpose.code(), code.parse::<Purpose>().unwrap()),
            (code, purpose)
        );
    }
    assert!("Recovery".parse::<Purpose>().is_err());
    assert_eq!(
        (Flow::StripeManaged.code(), Method::Transfer.code()),
        ("stripe_managed", "transfer")
    );
}

/// A charge's reply is the Payment on the platform (`py_`, object `"charge"`), whose
/// `source_transfer` is the Transfer on the connected account.
#[cfg(feature = "serde")]
#[test]
fn a_charges_reply_is_the_payment_on_the_platform() {
    use stripe_account_debits::lifecycle::{
        Attempt, MismatchField, Next, Reply, ReplyOptions, read_reply,
    };

    let mut s = Scenario::platform_managed();
    s.purpose = Some(Purpose::ServiceCharge);
    let plan = s.plan().unwrap();
    let attempt = Attempt::first(AttemptNumber::FIRST, Timestamp::from_unix(2_000));
    let decide = |body: &str| {
        let reply = Reply::new(200, &[], body.as_bytes());
        read_reply(&plan, &attempt, Some(&reply), &ReplyOptions::default())
    };
    let payment = r#"{"id": "py_1Payment", "object": "charge", "amount": 500, "currency": "usd",
        "source_transfer": "tr_1Transfer", "metadata": {"account_debit_id": "recovery-42"}}"#;
    match decide(payment) {
        Next::Confirmed {
            transfer,
            payment,
            replayed,
            ..
        } => {
            assert_eq!(
                (transfer.as_str(), payment.as_str(), replayed),
                ("tr_1Transfer", "py_1Payment", false)
            );
        }
        other => panic!("{other:?}"),
    }
    let field_of = |body: String| match decide(&body) {
        Next::Mismatch { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field_of(payment.replace("\"charge\"", "\"transfer\"")),
        MismatchField::Object
    );
    assert_eq!(
        field_of(payment.replace("500", "501")),
        MismatchField::Amount
    );
    assert_eq!(
        field_of(payment.replace("\"usd\"", "\"eur\"")),
        MismatchField::Currency
    );
    assert_eq!(
        field_of(payment.replace("recovery-42", "other")),
        MismatchField::DebitId
    );
    assert_eq!(
        field_of(payment.replace("py_1Payment", "ch_1Charge")),
        MismatchField::Id
    );
    assert_eq!(
        field_of(payment.replace("tr_1Transfer", "po_1Payout")),
        MismatchField::SourceTransfer
    );
    assert_eq!(MismatchField::SourceTransfer.name(), "source_transfer");
    // `source_transfer` expanded (the caller asked `expand[]=source_transfer`): its id.
    let expanded = payment.replace(
        r#""source_transfer": "tr_1Transfer""#,
        r#""source_transfer": {"id": "tr_1Transfer", "object": "transfer", "amount": 500}"#,
    );
    assert_ne!(expanded, payment);
    assert!(
        matches!(decide(&expanded), Next::Confirmed { transfer, .. } if transfer.as_str() == "tr_1Transfer")
    );
    let other = expanded.replace(r#"{"id": "tr_1Transfer""#, r#"{"id": "po_1Payout""#);
    assert_eq!(field_of(other), MismatchField::SourceTransfer);
    // Expanded without an id: not a Payment to judge; read again.
    let no_id = expanded.replace(r#""id": "tr_1Transfer", "#, "");
    assert!(matches!(decide(&no_id), Next::Retry { .. }), "{no_id}");
    // A transfer's reply to a charge's plan is not the planned payment.
    let transfer = r#"{"id": "tr_1", "object": "transfer", "amount": 500, "currency": "usd",
        "destination": "acct_1Platform", "destination_payment": "py_1",
        "metadata": {"account_debit_id": "recovery-42"}}"#;
    assert_eq!(field_of(transfer.to_owned()), MismatchField::Object);
}
