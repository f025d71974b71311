//! The JSON path: reading a realistic scenario (whole Stripe Account, Balance and Charge
//! objects) and planning it, next to a bare `serde_json::Value` parse of the same document.
//! Run with `cargo bench --all-features`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use stripe_account_debits::stripe::TransferRecord;
use stripe_account_debits::{json as boundary, plan_debit};

#[path = "../tests/support/fixture_scenario.rs"]
mod fixture_scenario;

/// The document: Stripe's fixture Account twice (platform and connected), its Balance with
/// 10.00 USD available, and its Charge as the reference.
fn document() -> String {
    fixture_scenario::fixture_scenario().to_string()
}

fn json_path(c: &mut Criterion) {
    let text = document();
    let input = boundary::read_scenario(&text).unwrap();
    assert!(plan_debit(&input).is_ok());
    let mut group = c.benchmark_group("json");
    group.bench_function("serde_json_value_parse", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
    });
    group.bench_function("read_scenario", |b| {
        b.iter(|| boundary::read_scenario(black_box(&text)).unwrap())
    });
    group.bench_function("read_scenario_and_plan", |b| {
        b.iter(|| {
            let input = boundary::read_scenario(black_box(&text)).unwrap();
            plan_debit(&input).map(|plan| plan.reserve())
        })
    });
    group.bench_function("read_plan_and_write_output", |b| {
        b.iter(|| {
            let input = boundary::read_scenario(black_box(&text)).unwrap();
            boundary::outcome(&plan_debit(&input)).to_string()
        })
    });
    group.finish();
}

/// A Transfer reply's body (Stripe's fixture Transfer, as `benches/lifecycle.rs` makes it the
/// planned one) read into a checked `TransferRecord`, next to a bare `serde_json::Value`
/// parse of the same text, in one group so that their ratio comes from one run.
fn transfer(c: &mut Criterion) {
    let path = format!(
        "{}/tests/fixtures/stripe-openapi/transfer.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut transfer: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    transfer["amount"] = serde_json::json!(500);
    transfer["metadata"] = serde_json::json!({ "account_debit_id": "recovery-42" });
    let text = transfer.to_string();
    assert_eq!(
        TransferRecord::from_json(text.as_bytes())
            .unwrap()
            .amount()
            .minor(),
        500
    );
    let mut group = c.benchmark_group("json_transfer");
    group.bench_function("serde_json_value_parse", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&text)).unwrap())
    });
    group.bench_function("read_transfer", |b| {
        b.iter(|| TransferRecord::from_json(black_box(text.as_bytes())).unwrap())
    });
    group.finish();
}

criterion_group!(benches, json_path, transfer);
criterion_main!(benches);
