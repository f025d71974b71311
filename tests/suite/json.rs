//! The JSON boundary: Stripe's own objects read as they are, the output shapes, and input
//! errors that name their path.

use serde_json::{Value, json};
use stripe_account_debits::{json as boundary, plan_debit};

#[track_caller]
fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/stripe-openapi/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A scenario built from Stripe's fixture objects: the fixture account (a Standard account,
/// so Stripe is liable) as the connected account, a copy with another id as the platform,
/// the fixture balance (0 USD available) and the fixture charge as the reference.
#[track_caller]
fn fixture_scenario() -> Value {
    let connected = fixture("account");
    let mut platform = connected.clone();
    platform["id"] = json!("acct_1PlatformFromFixture");
    let mut reference = fixture("charge");
    reference["account"] = connected["id"].clone();
    json!({
        "at": 1764000000,
        "platform_account": platform,
        "connected_account": connected,
        "connected_balance": fixture("balance"),
        "consent": { "granted_at": 1700000000, "revoked_at": null, "evidence": "agreement-42" },
        "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
                   "reference_transaction": reference }
    })
}

#[track_caller]
fn run(scenario: &Value) -> Value {
    let request = boundary::scenario_from_value(scenario).unwrap();
    serde_json::to_value(boundary::outcome(&plan_debit(&request))).unwrap()
}

#[track_caller]
fn error_of(scenario: &Value) -> String {
    boundary::scenario_from_value(scenario)
        .unwrap_err()
        .to_string()
}

#[test]
fn stripe_fixture_objects_are_read_as_they_are() {
    let out = run(&fixture_scenario());
    assert_eq!(out["outcome"], "planned", "{out:#}");
    assert_eq!(out["transfer"]["account"], "acct_1PgafTB7WZ01zgkW");
    assert_eq!(
        out["transfer"]["reference_transaction"],
        json!({ "type": "charge", "charge": "ch_1PgafuB7WZ01zgkWXYmPNZs8" })
    );
    // The fixture balance has 0 USD available: the whole debit is reserved.
    assert_eq!(
        out["connected_available"],
        json!({ "before": 0, "after": -500, "currency": "usd" })
    );
    assert_eq!(
        out["reserve_hold"],
        json!({ "account": "acct_1PlatformFromFixture", "amount": 500, "currency": "usd" })
    );
    assert_eq!(out["platform_available_change"], 0);
    // The fixture account has no external account: the bank is not verified.
    assert_eq!(out["advisories"][0]["code"], "bank_account_unverified");
}

/// The reference transaction reads only its `id`, `object` and `account`: a Charge whose
/// expandable fields came back expanded (`balance_transaction`, `source_transfer`, the
/// `customer`) reads exactly as the plain one.
#[test]
fn a_reference_charge_with_expanded_fields_reads_as_the_plain_one() {
    let plain = fixture_scenario();
    let mut scenario = plain.clone();
    let charge = &mut scenario["debit"]["reference_transaction"];
    charge["balance_transaction"] = fixture("balance_transaction");
    charge["source_transfer"] = fixture("transfer");
    charge["customer"] = json!({"id": "cus_1", "object": "customer"});
    assert_ne!(scenario, plain);
    assert_eq!(
        boundary::scenario_from_value(&scenario).unwrap(),
        boundary::scenario_from_value(&plain).unwrap()
    );
    assert_eq!(
        boundary::read_scenario(&scenario.to_string()).unwrap(),
        boundary::read_scenario(&plain.to_string()).unwrap()
    );
}

#[test]
fn a_payout_fixture_is_a_payout_reference() {
    let mut scenario = fixture_scenario();
    let mut payout = fixture("payout");
    payout["account"] = json!("acct_1PgafTB7WZ01zgkW");
    scenario["debit"]["reference_transaction"] = payout;
    let out = run(&scenario);
    assert_eq!(
        out["request"]["form"],
        json!([
            ["amount", "500"],
            ["currency", "usd"],
            ["destination", "acct_1PlatformFromFixture"],
            ["reference_transaction[type]", "payout"],
            [
                "reference_transaction[payout]",
                "po_1Pgc79B7WZ01zgkWu1KToYf4"
            ],
            ["metadata[account_debit_id]", "recovery-42"]
        ])
    );
}

#[test]
fn a_payment_intent_fixture_is_read_and_then_rejected_by_the_rules() {
    let mut scenario = fixture_scenario();
    let mut intent = fixture("payment_intent");
    intent["account"] = json!("acct_1PgafTB7WZ01zgkW");
    scenario["debit"]["reference_transaction"] = intent;
    let out = run(&scenario);
    assert_eq!(out["outcome"], "rejected");
    assert_eq!(out["violations"][0]["code"], "reference_kind_unsupported");
    assert_eq!(out["violations"][0]["kind"], "payment_intent");
}

#[test]
fn the_planned_output_has_the_documented_shape() {
    let mut scenario = fixture_scenario();
    scenario["connected_balance"]["available"][0]["amount"] = json!(1000);
    scenario["connected_account"]["external_accounts"]["data"] = json!([
        { "object": "bank_account", "currency": "usd", "status": "verified" }
    ]);
    let out = run(&scenario);
    let expected = json!({
        "outcome": "planned",
        "flow": "stripe_managed",
        "method": "transfer",
        "transfer": { "account": "acct_1PgafTB7WZ01zgkW", "destination": "acct_1PlatformFromFixture",
                      "amount": 500, "currency": "usd",
                      "reference_transaction": { "type": "charge", "charge": "ch_1PgafuB7WZ01zgkWXYmPNZs8" } },
        "payment": { "account": "acct_1PlatformFromFixture", "source_account": "acct_1PgafTB7WZ01zgkW",
                     "amount": 500, "currency": "usd" },
        "reserve_hold": null,
        "connected_available": { "before": 1000, "after": 500, "currency": "usd" },
        "platform_available_change": 500,
        "advisories": [],
        "request": { "method": "POST", "path": "/v1/transfers",
                     "headers": { "Stripe-Account": "acct_1PgafTB7WZ01zgkW",
                                  "Idempotency-Key": "account-debit:acct_1PlatformFromFixture:acct_1PgafTB7WZ01zgkW:recovery-42",
                                  "Content-Type": "application/x-www-form-urlencoded" },
                     "form": [["amount","500"],["currency","usd"],["destination","acct_1PlatformFromFixture"],
                              ["reference_transaction[type]","charge"],
                              ["reference_transaction[charge]","ch_1PgafuB7WZ01zgkWXYmPNZs8"],
                              ["metadata[account_debit_id]","recovery-42"]] }
    });
    assert_eq!(out, expected);
    // Field order is fixed: outcome first.
    let request = boundary::scenario_from_value(&scenario).unwrap();
    let result = plan_debit(&request);
    assert!(
        boundary::outcome(&result)
            .to_string()
            .starts_with("{\"outcome\":\"planned\",\"flow\":\"stripe_managed\",\"method\":\"transfer\",\"transfer\":{\"account\":")
    );
}

#[test]
fn the_rejected_output_lists_codes_messages_and_values() {
    let mut scenario = fixture_scenario();
    scenario["consent"] = Value::Null;
    scenario["debit"]["currency"] = json!("EUR");
    let out = run(&scenario);
    assert_eq!(
        out,
        json!({ "outcome": "rejected", "violations": [
            { "code": "currency_mismatch",
              "message": "the debit is in eur but the connected account's default currency is usd",
              "currency": "eur", "default_currency": "usd" },
            { "code": "consent_missing",
              "message": "no consent from the connected account to be debited is on record",
              "account": "acct_1PgafTB7WZ01zgkW" }
        ]})
    );
}

#[test]
fn loss_liability_comes_from_the_controller() {
    let mut scenario = fixture_scenario();
    scenario["connected_account"]["type"] = json!("custom");
    scenario["connected_account"]["controller"] = json!({ "type": "application" });
    assert_eq!(
        run(&scenario)["violations"][0]["code"],
        "loss_liability_unknown"
    );
    // The platform bears the losses: the platform-managed flow judges the debit, which
    // would take the fixture's empty balance below zero, which the scenario does not allow.
    scenario["connected_account"]["controller"] =
        json!({ "type": "application", "losses": { "payments": "application" } });
    let violation = &run(&scenario)["violations"][0];
    assert_eq!(violation["code"], "negative_balance_not_allowed");
    // Issue 16: its money in minor units, with the currency it is in.
    assert_eq!(
        (&violation["after"], &violation["currency"]),
        (&json!(-500), &json!("usd")),
        "{violation}"
    );
    // Allowed, whether the platform has reserves is then asked.
    scenario["negative_balances_allowed"] = json!(true);
    assert_eq!(
        run(&scenario)["violations"][0]["code"],
        "platform_reserves_unknown"
    );
    scenario["connected_account"]["controller"] =
        json!({ "type": "application", "losses": { "payments": "stripe" } });
    assert_eq!(run(&scenario)["outcome"], "planned");
}

#[test]
fn consent_may_be_absent_or_revoked() {
    let mut scenario = fixture_scenario();
    scenario.as_object_mut().unwrap().remove("consent");
    assert_eq!(run(&scenario)["violations"][0]["code"], "consent_missing");
    scenario["consent"] = json!({ "granted_at": 1, "revoked_at": 1764000000, "evidence": "x" });
    assert_eq!(
        run(&scenario)["violations"][0],
        json!({ "code": "consent_revoked",
                "message": "consent was revoked at 1764000000, at or before the debit time 1764000000",
                "revoked_at": 1764000000, "at": 1764000000 })
    );
}

#[test]
fn an_amount_beyond_i64_is_judged_not_refused() {
    let mut scenario = fixture_scenario();
    scenario["debit"]["amount"] = json!(u64::MAX);
    let out = run(&scenario);
    assert_eq!(out["violations"][0]["code"], "amount_out_of_range");
    // Not a 64-bit integer: the exact minor units, as a string.
    assert_eq!(out["violations"][0]["amount"], Value::Null);
    assert_eq!(
        out["violations"][0]["amount_decimal"],
        "18446744073709551615"
    );
}

/// Every amount in the output is in minor units with its currency, as in the plan: a
/// violation's amount is Stripe's wire integer when it is one (`-500` for -5.00 USD, beside
/// a balance of `1000`), and otherwise the exact minor units as a string under
/// `amount_decimal` (`"500.1"` for 5.001 USD), as Stripe writes `unit_amount_decimal`.
#[test]
fn violation_amounts_are_in_minor_units() {
    use stripe_account_debits::stripe::ReferenceTransaction;
    use stripe_account_debits::{Debit, Decimal, Money, demo};

    let mut input = demo::input().unwrap();
    let connected = input.connected().id();
    let reference = ReferenceTransaction::new("ch_1".parse().unwrap(), connected);
    let write = |input: &stripe_account_debits::DebitInput| {
        serde_json::to_value(boundary::outcome(&plan_debit(input))).unwrap()
    };
    let usd = stripe_account_debits::Currency::USD;
    input.set_debit(Debit::new(
        "d".parse().unwrap(),
        Decimal::new(-500, 2),
        usd,
        reference,
    ));
    let out = write(&input);
    assert_eq!(out["violations"][0]["code"], "amount_not_positive");
    assert_eq!(out["violations"][0]["amount"], -500);
    assert_eq!(out["violations"][0]["currency"], "usd");

    input.set_debit(Debit::new(
        "d".parse().unwrap(),
        Decimal::new(5001, 3),
        usd,
        reference,
    ));
    let out = write(&input);
    assert_eq!(out["violations"][0]["code"], "amount_too_precise");
    assert_eq!(out["violations"][0]["amount_decimal"], "500.1");
    assert_eq!(out["violations"][0]["amount"], Value::Null);
    assert_eq!(
        out["violations"][0]["message"],
        "the debit amount 5.001 usd has more than 2 decimal places"
    );

    let mut input = demo::input().unwrap();
    input
        .connected_balance_mut()
        .set_available(Money::from_minor(i64::MIN + 1, usd).unwrap());
    let out = write(&input);
    assert_eq!(out["violations"][0]["code"], "amount_out_of_range");
    assert_eq!(out["violations"][0]["amount"], 500);
    assert_eq!(out["violations"][0]["balance"], i64::MIN + 1);
}

#[test]
fn an_isk_amount_must_end_in_00() {
    let mut scenario = fixture_scenario();
    for account in ["platform_account", "connected_account"] {
        scenario[account]["country"] = json!("IS");
        scenario[account]["default_currency"] = json!("isk");
    }
    scenario["connected_balance"] = json!({ "available": [] });
    scenario["debit"]["currency"] = json!("isk");
    scenario["debit"]["amount"] = json!(12345);
    assert_eq!(
        run(&scenario)["violations"][0]["code"],
        "amount_too_precise"
    );
    scenario["debit"]["amount"] = json!(12300);
    let out = run(&scenario);
    assert_eq!(out["transfer"]["amount"], 12300, "{out:#}");
}

#[test]
fn input_errors_name_their_path() {
    type Change = fn(&mut Value);
    let cases: Vec<(Change, &str)> = vec![
        (
            |s| s["connected_account"]["default_currency"] = json!("xyz"),
            "connected_account.default_currency: unknown currency \"xyz\"",
        ),
        (
            |s| s["debit"]["amount"] = json!(5.0),
            "debit.amount: expected an integer amount in minor units, found a number that is not a 64-bit integer",
        ),
        (
            |s| s["debit"]["amount"] = json!("500"),
            "debit.amount: expected an integer amount in minor units, found a string",
        ),
        (
            |s| s["debit"]["amount"] = json!(-1e30),
            "debit.amount: expected an integer amount in minor units, found a number that is not a 64-bit integer",
        ),
        (
            |s| s["platform_account"]["id"] = json!("acct-1"),
            "platform_account.id: id has no prefix (expected letters, then \"_\")",
        ),
        (
            |s| {
                s.as_object_mut().unwrap().remove("platform_account");
            },
            "platform_account: missing",
        ),
        (
            |s| s["connected_account"]["country"] = json!("XX"),
            "connected_account.country: unknown country \"XX\"",
        ),
        (
            |s| s["connected_balance"]["available"][0]["amount"] = json!(1.5),
            "connected_balance.available[0].amount: expected a 64-bit integer, found a number that is not a 64-bit integer",
        ),
        (
            |s| {
                let entry = s["connected_balance"]["available"][0].clone();
                s["connected_balance"]["available"] = json!([entry.clone(), entry]);
            },
            "connected_balance.available[1].currency: currency usd is listed twice",
        ),
        (
            |s| s["connected_balance"]["available"] = json!({}),
            "connected_balance.available: expected an array, found an object",
        ),
        (
            |s| s["consent"]["revoked_at"] = json!(1),
            "consent.revoked_at: consent revoked at 1, before it was granted at 1700000000",
        ),
        (
            |s| s["consent"]["evidence"] = json!(""),
            "consent.evidence: evidence must be 1 to 2048 printable ascii characters",
        ),
        (
            |s| s["debit"]["reference_transaction"]["object"] = json!("payout"),
            "debit.reference_transaction.object: \"payout\" does not match id \
             ch_1PgafuB7WZ01zgkWXYmPNZs8: a charge's object is \"charge\"",
        ),
        (
            // A Payment is a Charge object on Stripe's API: say so, rather than that
            // "payment" does not name a payment.
            |s| {
                s["debit"]["reference_transaction"]["id"] = json!("py_1A");
                s["debit"]["reference_transaction"]["object"] = json!("payment");
            },
            "debit.reference_transaction.object: \"payment\" does not match id py_1A: \
             a payment's object is \"charge\"",
        ),
        (
            |s| {
                s["debit"]["reference_transaction"]["id"] = json!("in_1A");
                s["debit"]["reference_transaction"]["object"] = json!("charge");
            },
            "debit.reference_transaction.object: \"charge\" does not match id in_1A: \
             an invoice's object is \"invoice\"",
        ),
        (
            |s| s["debit"]["reference_transaction"]["account"] = Value::Null,
            "debit.reference_transaction.account: missing",
        ),
        (
            |s| s["debit"]["id"] = json!("has space"),
            "debit.id: debit id must be 1 to 100 printable ascii characters without spaces",
        ),
        (
            |s| s["at"] = json!("now"),
            "at: expected a 64-bit integer, found a string",
        ),
        (
            |s| {
                s["connected_account"]["external_accounts"]["data"] = json!([
                    { "object": "bank_account", "currency": "usdx", "status": "verified" }
                ])
            },
            "connected_account.external_accounts.data[0].currency: unknown currency \"usdx\"",
        ),
        (
            |s| s["connected_account"]["controller"] = json!({ "losses": { "payments": 1 } }),
            "connected_account.controller.losses.payments: expected a string, found an integer",
        ),
    ];
    for (change, message) in cases {
        let mut scenario = fixture_scenario();
        change(&mut scenario);
        assert_eq!(error_of(&scenario), message);
    }
}

#[test]
fn unreadable_documents_are_invalid_input() {
    let err = boundary::read_scenario("{").unwrap_err();
    assert_eq!(err.path(), "");
    assert!(err.message().starts_with("invalid JSON: "), "{err}");
    let out = serde_json::to_value(boundary::invalid_input(&err)).unwrap();
    assert_eq!(out["outcome"], "invalid_input");
    assert_eq!(out["error"], err.to_string());
    assert_eq!(
        boundary::read_scenario("null").unwrap_err().to_string(),
        "expected a JSON object, found null"
    );
}

#[test]
fn the_example_scenario_matches_the_library_demo() {
    let text = include_str!("../../examples/scenarios/demo.json");
    let from_json = boundary::read_scenario(text).unwrap();
    let demo = stripe_account_debits::demo::input().unwrap();
    assert_eq!(plan_debit(&from_json), plan_debit(&demo));
}

#[test]
fn value_types_serialize_through_their_strings() {
    use stripe_account_debits::{AccountId, Money, Timestamp};
    let id: AccountId = serde_json::from_value(json!("acct_1A")).unwrap();
    assert_eq!(serde_json::to_value(id).unwrap(), json!("acct_1A"));
    let err = serde_json::from_value::<AccountId>(json!("ch_1")).unwrap_err();
    assert_eq!(err.to_string(), "expected an id starting with \"acct_\"");
    let money: Money = serde_json::from_value(json!("12.50 usd")).unwrap();
    assert_eq!(serde_json::to_value(money).unwrap(), json!("12.50 USD"));
    let t: Timestamp = serde_json::from_value(json!(5)).unwrap();
    assert_eq!(serde_json::to_value(t).unwrap(), json!(5));
}

#[test]
fn errors_and_outcomes_say_where_and_what() {
    let mut scenario = fixture_scenario();
    scenario["debit"]["currency"] = json!(7);
    let err = boundary::scenario_from_value(&scenario).unwrap_err();
    assert_eq!(err.path(), "debit.currency");
    assert_eq!(err.message(), "expected a string, found an integer");
    assert_eq!(boundary::invalid_input(&err).kind().code(), "invalid_input");
    assert!(format!("{:?}", boundary::invalid_input(&err)).starts_with("Outcome({\"outcome\""));

    let request = boundary::scenario_from_value(&fixture_scenario()).unwrap();
    let planned = plan_debit(&request);
    assert_eq!(boundary::outcome(&planned).kind().code(), "planned");
    let mut rejected = fixture_scenario();
    rejected["consent"] = Value::Null;
    let request = boundary::scenario_from_value(&rejected).unwrap();
    let result = plan_debit(&request);
    assert_eq!(boundary::outcome(&result).kind().code(), "rejected");
    let pretty = format!("{:#}", boundary::outcome(&result));
    assert!(
        pretty.starts_with("{\n  \"outcome\": \"rejected\""),
        "{pretty}"
    );
}

#[test]
fn the_platforms_external_accounts_are_not_read() {
    let mut scenario = fixture_scenario();
    scenario["platform_account"]["external_accounts"] = json!({ "data": "not a list" });
    assert_eq!(run(&scenario)["outcome"], "planned");
}

#[test]
fn a_region_mismatch_names_both_regions() {
    let mut scenario = fixture_scenario();
    scenario["platform_account"]["country"] = json!("JP");
    let out = run(&scenario);
    assert_eq!(out["violations"][0]["platform_region"], "japan");
    assert_eq!(out["violations"][0]["connected_region"], "united_states");
}

#[test]
fn a_value_of_the_wrong_type_says_what_was_expected() {
    let err = serde_json::from_value::<stripe_account_debits::AccountId>(json!(5)).unwrap_err();
    // serde_json words what it found differently with `arbitrary_precision` ("number"
    // against "integer `5`"); what was expected is ours.
    let message = err.to_string();
    assert!(message.starts_with("invalid type: "), "{message}");
    assert!(
        message.ends_with(", expected a Stripe account id"),
        "{message}"
    );
    let err = serde_json::from_value::<stripe_account_debits::Money>(json!(5)).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("invalid type: "), "{message}");
    assert!(
        message.ends_with(", expected an amount and a currency code, as in \"12.50 usd\""),
        "{message}"
    );
}

#[test]
fn only_a_verified_bank_account_counts() {
    let mut scenario = fixture_scenario();
    let accounts = &mut scenario["connected_account"]["external_accounts"]["data"];
    *accounts = json!([
        { "object": "bank_account", "currency": "usd", "status": "new" },
        { "object": "bank_account", "currency": "usd", "status": "validated" },
        { "object": "card", "currency": "usd", "status": "verified" },
        { "object": "bank_account", "currency": "eur", "status": "verified" }
    ]);
    let out = run(&scenario);
    assert_eq!(
        out["advisories"][0]["code"], "bank_account_unverified",
        "{out:#}"
    );
    scenario["connected_account"]["external_accounts"]["data"][1]["status"] = json!("verified");
    assert_eq!(run(&scenario)["advisories"], json!([]));
}

/// Balances are facts Stripe reports: an ISK balance in hundredths that do not end in 00,
/// or an entry in a currency this crate does not know, must not refuse the scenario.
#[test]
fn balance_entries_are_facts_and_only_the_debit_currency_is_judged() {
    let mut scenario = fixture_scenario();
    scenario["connected_balance"] = json!({ "object": "balance", "available": [
        { "amount": 10050, "currency": "isk" },
        { "amount": 100, "currency": "ang" },
        { "amount": "n/a", "currency": "eur" },
        { "amount": 1000, "currency": "usd" },
    ]});
    let out = run(&scenario);
    assert_eq!(out["outcome"], "planned", "{out:#}");
    assert_eq!(out["connected_available"]["before"], 1000);

    // In the debit's own currency, the fact is taken as it is.
    for account in ["platform_account", "connected_account"] {
        scenario[account]["country"] = json!("IS");
        scenario[account]["default_currency"] = json!("isk");
    }
    scenario["debit"]["currency"] = json!("isk");
    scenario["debit"]["amount"] = json!(10000);
    let out = run(&scenario);
    assert_eq!(out["outcome"], "planned", "{out:#}");
    assert_eq!(
        out["connected_available"],
        json!({ "before": 10050, "after": 50, "currency": "isk" })
    );

    // An entry of the debit's currency that cannot be read is still an error.
    scenario["connected_balance"]["available"][0]["amount"] = json!("n/a");
    assert_eq!(
        error_of(&scenario),
        "connected_balance.available[0].amount: expected a 64-bit integer, found a string"
    );
}

/// A currency Stripe does not move is a rule's rejection from JSON as from Rust, not
/// invalid input; a code that is no currency at all is invalid input.
#[test]
fn an_unsupported_currency_is_the_same_rejection_through_json_and_rust() {
    use stripe_account_debits::{Currency, Debit, plan_debit};
    let mut scenario = fixture_scenario();
    scenario["debit"]["currency"] = json!("xau");
    let out = run(&scenario);
    assert_eq!(out["outcome"], "rejected", "{out:#}");
    let codes: Vec<&str> = out["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["currency_mismatch", "currency_unsupported"]);

    // The same input, built in Rust from the JSON's own parts.
    let mut rust = boundary::read_scenario(&fixture_scenario().to_string()).unwrap();
    let debit = *rust.debit();
    rust.set_debit(Debit::from_minor(
        debit.id(),
        500,
        Currency::XAU,
        debit.reference().unwrap(),
    ));
    let rejection = plan_debit(&rust).unwrap_err();
    assert_eq!(rejection.codes().collect::<Vec<_>>(), codes);

    // An account's default currency is a fact too.
    scenario["connected_account"]["default_currency"] = json!("xau");
    assert_eq!(
        run(&scenario)["violations"][0]["code"],
        "currency_unsupported"
    );

    scenario["debit"]["currency"] = json!("ang");
    assert_eq!(
        error_of(&scenario),
        "debit.currency: unknown currency \"ang\""
    );
}

/// A well-formed id of a kind this crate does not know is the same rejection through JSON
/// as through Rust, naming its prefix.
#[test]
fn an_unknown_kind_of_reference_is_rejected_by_name_through_json() {
    let mut scenario = fixture_scenario();
    scenario["debit"]["reference_transaction"] = json!({ "id": "cs_test_a1B2c3", "object": "checkout.session", "account": "acct_1PgafTB7WZ01zgkW" });
    let out = run(&scenario);
    assert_eq!(out["outcome"], "rejected", "{out:#}");
    assert_eq!(out["violations"][0]["code"], "reference_kind_unsupported");
    assert_eq!(out["violations"][0]["reference"], "cs_test_a1B2c3");
    assert!(
        out["violations"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"cs_\""),
        "{out:#}"
    );
}

/// Input errors are safe to log: untrusted text is quoted escaped (no newline, no terminal
/// escape) and cut short, however long it was.
#[test]
fn errors_quote_untrusted_text_escaped_and_short() {
    let mut scenario = fixture_scenario();
    scenario["debit"]["currency"] = json!("usd\nINFO approved\u{1b}[2J");
    let message = error_of(&scenario);
    assert_eq!(
        message,
        r#"debit.currency: unknown currency "usd\nINFO approved\u{1b}[2J""#
    );
    assert!(!message.contains('\n') && !message.contains('\u{1b}'));

    scenario["debit"]["currency"] = json!("x".repeat(30 * 1024 * 1024));
    let message = error_of(&scenario);
    assert_eq!(
        message,
        format!("debit.currency: unknown currency \"{}...\"", "x".repeat(32))
    );

    scenario["debit"]["currency"] = json!("usd");
    scenario["connected_account"]["country"] = json!("\u{202e}evil");
    assert_eq!(
        error_of(&scenario),
        r#"connected_account.country: unknown country "\u{202e}evil""#
    );
    scenario["connected_account"]["country"] = json!("US");
    scenario["debit"]["reference_transaction"]["object"] = json!("pay\rout");
    assert_eq!(
        error_of(&scenario),
        r#"debit.reference_transaction.object: "pay\rout" does not match id ch_1PgafuB7WZ01zgkWXYmPNZs8: a charge's object is "charge""#
    );
}

/// An error has a kind to branch on beside its path, and the invalid-input output carries
/// both as fields of their own.
#[test]
fn errors_have_a_kind_and_a_path() {
    use boundary::ReadErrorKind as Kind;
    type Change = fn(&mut Value);
    let scenario = fixture_scenario();
    let cases: [(Change, Kind, &str); 5] = [
        (|s| *s = json!([]), Kind::WrongType, ""),
        (
            |s| {
                s.as_object_mut().unwrap().remove("debit");
            },
            Kind::Missing,
            "debit",
        ),
        (
            |s| s["debit"]["amount"] = json!("500"),
            Kind::WrongType,
            "debit.amount",
        ),
        (
            |s| s["debit"]["currency"] = json!("xyz"),
            Kind::Invalid,
            "debit.currency",
        ),
        (
            |s| s["connected_account"]["controller"] = json!("garbage"),
            Kind::WrongType,
            "connected_account.controller",
        ),
    ];
    for (change, kind, path) in cases {
        let mut s = scenario.clone();
        change(&mut s);
        let err = boundary::read_scenario(&s.to_string()).unwrap_err();
        assert_eq!((err.kind(), err.path()), (kind, path), "{err}");
        let out = serde_json::to_value(boundary::invalid_input(&err)).unwrap();
        assert_eq!(out["kind"], kind.code());
        assert_eq!(out["path"], path);
        assert_eq!(out["error"], err.to_string());
    }
    let err = boundary::read_scenario("{").unwrap_err();
    assert_eq!((err.kind(), err.kind().code()), (Kind::Syntax, "syntax"));
    let err = boundary::ReadError::document("cannot read x.json: no such file");
    assert_eq!((err.kind(), err.path()), (Kind::Document, ""));
}

/// A field of the wrong type is an error naming its path, never read as absent.
#[test]
fn a_controller_of_the_wrong_type_is_not_read_as_absent() {
    let mut scenario = fixture_scenario();
    scenario["connected_account"]["type"] = json!("standard");
    scenario["connected_account"]["controller"] = json!("garbage");
    assert_eq!(
        error_of(&scenario),
        "connected_account.controller: expected a JSON object, found a string"
    );
    scenario["connected_account"]["controller"] = json!({ "losses": "stripe" });
    assert_eq!(
        error_of(&scenario),
        "connected_account.controller.losses: expected a JSON object, found a string"
    );
    scenario["connected_account"]["external_accounts"] = json!(7);
    scenario["connected_account"]["controller"] = json!({ "losses": { "payments": "stripe" } });
    assert_eq!(
        error_of(&scenario),
        "connected_account.external_accounts: expected a JSON object, found an integer"
    );
}

/// Plans, rejections, violations and advisories serialize (feature `serde`) as the command
/// prints them.
#[test]
fn plans_rejections_violations_and_advisories_serialize_as_the_command_prints_them() {
    use stripe_account_debits::{demo, plan_debit};
    let input = demo::input().unwrap();
    let plan = plan_debit(&input).unwrap();
    let result = plan_debit(&input);
    assert_eq!(
        serde_json::to_value(plan).unwrap(),
        serde_json::to_value(boundary::outcome(&result)).unwrap()
    );

    let mut s = crate::common::Scenario::base();
    s.consent = None;
    s.currency = stripe_account_debits::Currency::EUR;
    let result = s.plan();
    let rejection = result.clone().unwrap_err();
    let printed = serde_json::to_value(boundary::outcome(&result)).unwrap();
    assert_eq!(serde_json::to_value(&rejection).unwrap(), printed);
    assert_eq!(
        serde_json::to_value(rejection.violations()[0]).unwrap(),
        printed["violations"][0]
    );

    let mut s = crate::common::Scenario::base();
    s.connected = crate::common::account(
        crate::common::CONNECTED,
        "US",
        stripe_account_debits::Currency::USD,
        stripe_account_debits::stripe::LossLiability::Stripe,
    );
    let result = s.plan();
    let plan = result.clone().unwrap();
    let advisory = plan.advisories().iter().next().unwrap();
    let printed = serde_json::to_value(boundary::outcome(&result)).unwrap();
    assert_eq!(
        serde_json::to_value(advisory).unwrap(),
        printed["advisories"][0]
    );
    assert_eq!(printed["advisories"][0]["code"], "bank_account_unverified");
}

/// A list of external accounts with more pages (`has_more: true`) and no verified account
/// on the page read is no proof that none is verified: the advisory says so.
#[test]
fn a_partial_list_of_bank_accounts_is_not_proof_that_none_is_verified() {
    let mut scenario = fixture_scenario();
    scenario["connected_account"]["external_accounts"] = json!({
        "object": "list", "has_more": true,
        "data": [ { "object": "bank_account", "currency": "eur", "status": "verified" } ]
    });
    let out = run(&scenario);
    let advisory = &out["advisories"][0];
    assert_eq!(advisory["code"], "bank_account_unverified", "{out:#}");
    assert_eq!(advisory["listed_in_full"], false);
    assert_eq!(
        advisory["message"],
        "connected account acct_1PgafTB7WZ01zgkW has no verified bank account in usd among \
         those listed, but stripe's list has more: check the rest before debiting, as stripe \
         recommends verifying it"
    );
    scenario["connected_account"]["external_accounts"]["has_more"] = json!(false);
    let out = run(&scenario);
    assert_eq!(out["advisories"][0]["listed_in_full"], true);
    assert!(
        out["advisories"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("on file: stripe recommends verifying it before debiting")
    );
    scenario["connected_account"]["external_accounts"]["has_more"] = json!("yes");
    assert_eq!(
        error_of(&scenario),
        "connected_account.external_accounts.has_more: expected a boolean, found a string"
    );
}

/// A scenario larger than the limit is refused before it is parsed: 1 MiB by default, which
/// a caller may raise.
#[test]
fn a_scenario_over_the_size_limit_is_refused_before_parsing() {
    use boundary::ReadErrorKind as Kind;
    assert_eq!(boundary::DEFAULT_MAX_SCENARIO_BYTES, 1024 * 1024);
    let mut scenario = fixture_scenario();
    let padding = "x".repeat(boundary::DEFAULT_MAX_SCENARIO_BYTES);
    scenario["connected_account"]["description"] = json!(padding);
    let text = scenario.to_string();
    let err = boundary::read_scenario(&text).unwrap_err();
    assert_eq!((err.kind(), err.path()), (Kind::TooLarge, ""));
    assert_eq!(
        err.to_string(),
        format!(
            "the input is {} bytes, more than the 1048576 allowed",
            text.len()
        )
    );
    let input = boundary::read_scenario_with_limit(&text, text.len()).unwrap();
    assert_eq!(input.debit().id().as_str(), "recovery-42");
    assert!(boundary::read_scenario_with_limit(&text, text.len() - 1).is_err());
}

/// A key given twice is ambiguous: refused, naming the path, not resolved last-wins.
#[test]
fn a_duplicate_key_is_refused_naming_its_path() {
    let text = fixture_scenario().to_string().replacen(
        "\"amount\":500",
        "\"amount\":500,\"amount\":50000000",
        1,
    );
    assert!(text.contains("\"amount\":50000000"), "{text}");
    let err = boundary::read_scenario(&text).unwrap_err();
    assert_eq!(err.kind(), boundary::ReadErrorKind::Syntax);
    assert_eq!(err.path(), "debit.amount");
    assert_eq!(
        err.to_string(),
        "debit.amount: the key \"amount\" is given twice"
    );
    // In a value the reader skips (a Stripe object's field it does not read).
    let nested = r#"{"platform_account": {"a": [{"b": 1}, {"c": 1, "c": 2}]}}"#;
    let err = boundary::read_scenario(nested).unwrap_err();
    assert_eq!(err.path(), "platform_account.a[1].c");
}

/// `-0` and integers beyond 64 bits read the same whether or not another crate in the
/// build enables `serde_json/arbitrary_precision` (CI runs this test both ways): neither
/// is a 64-bit integer, so where an integer belongs they are the wrong type.
#[test]
fn minus_zero_and_huge_integers_read_the_same_with_or_without_arbitrary_precision() {
    for (literal, found) in [
        ("-0", "a number that is not a 64-bit integer"),
        (
            "18446744073709551616",
            "a number that is not a 64-bit integer",
        ),
        (
            "-9223372036854775809",
            "a number that is not a 64-bit integer",
        ),
        ("1e3", "a number that is not a 64-bit integer"),
    ] {
        let text = fixture_scenario().to_string().replacen(
            "\"amount\":500",
            &format!("\"amount\":{literal}"),
            1,
        );
        let err = boundary::read_scenario(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("debit.amount: expected an integer amount in minor units, found {found}"),
            "{literal}"
        );
        assert_eq!(err.kind(), boundary::ReadErrorKind::WrongType);
    }
    // u64 amounts beyond i64 are integers, for the rules to judge.
    let text = fixture_scenario().to_string().replacen(
        "\"amount\":500",
        "\"amount\":18446744073709551615",
        1,
    );
    let input = boundary::read_scenario(&text).unwrap();
    let result = stripe_account_debits::plan_debit(&input);
    assert_eq!(
        result.unwrap_err().codes().collect::<Vec<_>>(),
        ["amount_out_of_range"]
    );
}

/// Keys are compared as JSON reads them, escapes resolved: `"a"` and `"\u0061"` are one key
/// given twice; `"\u0061"` and `"\u0062"` are two keys.
#[test]
fn duplicate_keys_are_found_through_escapes() {
    let twice = r#"{"at": 1, "\u0061t": 2}"#;
    let err = boundary::read_scenario(twice).unwrap_err();
    assert_eq!(err.to_string(), "at: the key \"at\" is given twice");
    let twice = r#"{"platform_account": {"a": 1, "\u0061": 2}}"#;
    let err = boundary::read_scenario(twice).unwrap_err();
    assert_eq!(
        err.to_string(),
        "platform_account.a: the key \"a\" is given twice"
    );
    let distinct = r#"{"platform_account": {"\u0061": 1, "\u0062": 2}}"#;
    let err = boundary::read_scenario(distinct).unwrap_err();
    assert_eq!(
        err.to_string(),
        "at: missing",
        "not refused for a duplicate"
    );
}

/// A negative integer is an integer: a negative amount is for the rules to reject.
#[test]
fn a_negative_integer_amount_is_judged_not_refused() {
    let text = fixture_scenario()
        .to_string()
        .replacen("\"amount\":500", "\"amount\":-500", 1);
    let input = boundary::read_scenario(&text).unwrap();
    assert_eq!(
        input.debit().amount(),
        stripe_account_debits::Decimal::new(-500, 2)
    );
    let rejection = stripe_account_debits::plan_debit(&input).unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["amount_not_positive"]
    );
}

/// Both doors, JSON text and a parsed `serde_json::Value`, read the same scenario the same
/// way: they share one reader.
#[test]
fn text_and_value_read_the_same() {
    let examples = [
        include_str!("../../examples/scenarios/demo.json"),
        include_str!("../../examples/scenarios/rejected.json"),
        include_str!("../../examples/scenarios/invalid.json"),
    ];
    let fixtures = fixture_scenario().to_string();
    for text in examples.into_iter().chain([fixtures.as_str()]) {
        let value: Value = serde_json::from_str(text).unwrap();
        let from_text = boundary::read_scenario(text).map(|input| plan_debit(&input));
        let from_value = boundary::scenario_from_value(&value).map(|input| plan_debit(&input));
        assert_eq!(
            format!("{from_text:?}"),
            format!("{from_value:?}"),
            "{text}"
        );
    }
}

/// A duplicate is found in an object of any size, also once it has too many keys to search
/// a list (the reader then hashes them), and among the keys the reader skips.
#[test]
fn a_duplicate_is_found_among_many_keys() {
    for keys in [3, 40, 5_000] {
        let mut metadata: String = (0..keys).map(|i| format!("\"k{i}\": {i},")).collect();
        metadata.push_str("\"k1\": 0");
        let text = fixture_scenario().to_string().replacen(
            "\"connected_account\":{",
            &format!("\"connected_account\":{{\"x_notes\": {{{metadata}}},"),
            1,
        );
        let err = boundary::read_scenario(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "connected_account.x_notes.k1: the key \"k1\" is given twice",
            "{keys} keys"
        );
    }
}

/// A `serde_json::Value` handed over (not lent) gives the reader its keys as owned
/// strings: those of an object it skips are each their own key, not one key twice.
#[test]
fn an_owned_value_is_read_as_its_text_with_the_keys_it_skips() {
    let text = fixture_scenario().to_string().replacen(
        "\"connected_account\":{",
        "\"connected_account\":{\"x_notes\": {\"a\": 1, \"b\": {\"c\": 2, \"d\": 3}},",
        1,
    );
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        boundary::scenario_from_deserializer(value).unwrap(),
        boundary::read_scenario(&text).unwrap()
    );
}

/// The balance lists each currency once: a second entry in a currency already listed is
/// refused even when one of the two could not be read (which amount is the balance would
/// otherwise be a guess).
#[test]
fn a_balance_currency_listed_twice_is_refused() {
    let mut scenario = fixture_scenario();
    scenario["connected_balance"]["available"] = json!([
        { "amount": 1000, "currency": "usd" },
        { "amount": "lots", "currency": "eur" },
        { "amount": 5, "currency": "EUR" }
    ]);
    assert_eq!(
        error_of(&scenario),
        "connected_balance.available[2].currency: currency eur is listed twice"
    );
}

/// Text after the document is not JSON.
#[test]
fn text_after_the_document_is_refused() {
    let text = format!("{} {{}}", fixture_scenario());
    let err = boundary::read_scenario(&text).unwrap_err();
    assert_eq!(err.kind(), boundary::ReadErrorKind::Syntax);
    assert!(
        err.to_string()
            .starts_with("invalid JSON: trailing characters"),
        "{err}"
    );
}

/// Stripe's v2 Account object (`v2.core.account`), written for these tests from the v2
/// Accounts reference (`tests/fixtures/stripe-v2/`): a connected account whose losses the
/// platform bears.
#[track_caller]
fn v2_account() -> Value {
    let path = format!(
        "{}/tests/fixtures/stripe-v2/account.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The fixture scenario with the v2 account as the connected account, debited 5.00 USD of
/// its 10.00 USD for a service.
#[track_caller]
fn v2_scenario() -> Value {
    let mut scenario = fixture_scenario();
    scenario["connected_account"] = v2_account();
    scenario["connected_balance"]["available"][0]["amount"] = json!(1000);
    scenario["debit"] =
        json!({ "id": "fee-1", "amount": 500, "currency": "usd", "purpose": "service_charge" });
    scenario
}

#[test]
fn a_v2_account_is_read_from_its_identity_and_defaults() {
    use stripe_account_debits::Currency;
    use stripe_account_debits::stripe::LossLiability;

    let scenario = v2_scenario();
    let input = boundary::scenario_from_value(&scenario).unwrap();
    let connected = input.connected();
    assert_eq!(connected.id().as_str(), "acct_1V2ExpressAcct0001");
    assert_eq!(connected.country().to_string(), "US");
    assert_eq!(connected.default_currency(), Currency::USD);
    // `defaults.responsibilities.losses_collector == "application"`.
    assert_eq!(connected.loss_liability(), LossLiability::Platform);
    let out = run(&scenario);
    assert_eq!(
        (&out["outcome"], &out["flow"], &out["method"]),
        (
            &json!("planned"),
            &json!("platform_managed"),
            &json!("charge")
        )
    );
    assert_eq!(
        out["request"]["form"][2],
        json!(["source", "acct_1V2ExpressAcct0001"])
    );
    // A v2 account carries no external accounts: none is verified on file.
    assert_eq!(out["advisories"][0]["code"], "bank_account_unverified");
    // Stripe bears the losses: the Stripe-managed flow, which needs a reference.
    let mut stripe = scenario.clone();
    stripe["connected_account"]["defaults"]["responsibilities"]["losses_collector"] =
        json!("stripe");
    assert_eq!(run(&stripe)["violations"][0]["code"], "reference_missing");
    // `null` (the reference allows it) says nothing, and nothing else does either.
    stripe["connected_account"]["defaults"]["responsibilities"]["losses_collector"] = Value::Null;
    assert_eq!(
        run(&stripe)["violations"][0]["code"],
        "loss_liability_unknown"
    );
}

#[test]
fn the_v2_example_plans() {
    let scenario: Value = serde_json::from_str(include_str!(
        "../../examples/scenarios/platform_managed_v2.json"
    ))
    .unwrap();
    let out = run(&scenario);
    assert_eq!(
        (&out["outcome"], &out["flow"], &out["method"]),
        (
            &json!("planned"),
            &json!("platform_managed"),
            &json!("charge")
        )
    );
    assert_eq!(out["connected_available"]["after"], 500);
    assert_eq!(out["advisories"][0]["code"], "bank_account_unverified");
}

#[test]
fn v1_and_v2_loss_liability_must_agree() {
    let mut scenario = v2_scenario();
    scenario["connected_account"]["controller"] =
        json!({ "type": "application", "losses": { "payments": "application" } });
    assert_eq!(run(&scenario)["outcome"], "planned");
    scenario["connected_account"]["controller"]["losses"]["payments"] = json!("stripe");
    let err = boundary::scenario_from_value(&scenario).unwrap_err();
    assert_eq!(
        err.to_string(),
        "connected_account.defaults.responsibilities.losses_collector: \"application\" \
         disagrees with connected_account.controller.losses.payments, \"stripe\": who bears \
         the account's losses is ambiguous"
    );
    assert_eq!(err.kind().code(), "invalid");
    // v1's field alone still decides.
    scenario["connected_account"]["defaults"]["responsibilities"]
        .as_object_mut()
        .unwrap()
        .remove("losses_collector");
    assert_eq!(run(&scenario)["violations"][0]["code"], "reference_missing");
    scenario["connected_account"]["defaults"]["responsibilities"]["losses_collector"] = json!(true);
    assert_eq!(
        error_of(&scenario),
        "connected_account.defaults.responsibilities.losses_collector: expected a string, \
         found a boolean"
    );
}

#[test]
fn v1_and_v2_country_and_currency_must_agree() {
    let mut scenario = v2_scenario();
    // The same facts in either shape, in either case.
    scenario["connected_account"]["country"] = json!("US");
    scenario["connected_account"]["default_currency"] = json!("USD");
    assert_eq!(run(&scenario)["outcome"], "planned");
    scenario["connected_account"]["country"] = json!("DE");
    assert_eq!(
        error_of(&scenario),
        "connected_account.identity.country: \"us\" disagrees with \
         connected_account.country, \"DE\": the account's country is ambiguous"
    );
    scenario["connected_account"]["country"] = json!("US");
    scenario["connected_account"]["default_currency"] = json!("eur");
    assert_eq!(
        error_of(&scenario),
        "connected_account.defaults.currency: \"usd\" disagrees with \
         connected_account.default_currency, \"eur\": the account's default currency is \
         ambiguous"
    );
    scenario["connected_account"]["defaults"]["currency"] = json!("zzz");
    assert_eq!(
        error_of(&scenario),
        "connected_account.defaults.currency: unknown currency \"zzz\""
    );
}

#[test]
fn a_v2_account_missing_a_fact_is_named_by_its_v2_path() {
    let mut scenario = v2_scenario();
    scenario["connected_account"]
        .as_object_mut()
        .unwrap()
        .remove("identity");
    assert_eq!(
        error_of(&scenario),
        "connected_account.identity.country: missing"
    );
    let mut scenario = v2_scenario();
    scenario["connected_account"]["defaults"] = Value::Null;
    assert_eq!(
        error_of(&scenario),
        "connected_account.defaults.currency: missing"
    );
    scenario["connected_account"]["defaults"] = json!("usd");
    assert_eq!(
        error_of(&scenario),
        "connected_account.defaults: expected a JSON object, found a string"
    );
    // A v1 account still names its v1 paths.
    let mut v1 = fixture_scenario();
    v1["connected_account"]
        .as_object_mut()
        .unwrap()
        .remove("country");
    assert_eq!(error_of(&v1), "connected_account.country: missing");
}

#[test]
fn a_v2_platforms_created_is_an_rfc3339_time() {
    use stripe_account_debits::stripe::PlatformReserves;

    let reserves = |created: Value| {
        let mut scenario = v2_scenario();
        scenario["platform_account"] = v2_account();
        scenario["platform_account"]["id"] = json!("acct_1PlatformV2");
        scenario["platform_account"]["created"] = created;
        boundary::scenario_from_value(&scenario).map(|input| input.platform_reserves())
    };
    // The first second after January 31st, 2017 (UTC), and the last one of it.
    assert_eq!(
        reserves(json!("2017-02-01T00:00:00.000Z")),
        Ok(PlatformReserves::EnabledByDefault)
    );
    assert_eq!(
        reserves(json!("2017-01-31T23:59:59.999Z")),
        Ok(PlatformReserves::Unknown)
    );
    assert_eq!(
        reserves(json!("2025-12-20T09:30:00Z")),
        Ok(PlatformReserves::EnabledByDefault)
    );
    for bad in ["2020", "2017-02-01T00:00:00+01:00", "2017-02-30T00:00:00Z"] {
        assert_eq!(
            reserves(json!(bad)).unwrap_err().to_string(),
            format!(
                "platform_account.created: \"{bad}\" is not an RFC 3339 UTC time such as \
                 2022-09-18T13:22:18.123Z"
            )
        );
    }
    assert_eq!(
        reserves(json!(true)).unwrap_err().to_string(),
        "platform_account.created: expected a unix time or an RFC 3339 UTC time, found a boolean"
    );
}
