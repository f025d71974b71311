//! A scenario made of Stripe's own fixture objects, for the tests and benchmarks that read
//! whole Stripe objects (`tests/alloc.rs`, `benches/json.rs`, which include this file by
//! path): the fixture Account twice (platform and connected), its Balance with 10.00 USD
//! available, and its Charge as the reference.

use serde_json::{Value, json};

/// One of Stripe's fixture objects, from `tests/fixtures/stripe-openapi/`.
pub fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/stripe-openapi/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The scenario: a debit of 5.00 USD that plans.
pub fn fixture_scenario() -> Value {
    let connected = fixture("account");
    let mut platform = connected.clone();
    platform["id"] = json!("acct_1PlatformFromFixture");
    let mut balance = fixture("balance");
    balance["available"][0]["amount"] = json!(1000);
    let mut charge = fixture("charge");
    charge["account"] = connected["id"].clone();
    json!({
        "at": 1764000000,
        "platform_account": platform,
        "connected_account": connected,
        "connected_balance": balance,
        "consent": { "granted_at": 1700000000, "revoked_at": null, "evidence": "agreement-42" },
        "debit": { "id": "recovery-42", "amount": 500, "currency": "usd", "reference_transaction": charge }
    })
}
