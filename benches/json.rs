//! The JSON path: reading a realistic scenario (whole Stripe Account, Balance and Charge
//! objects) and planning it, next to a bare `serde_json::Value` parse of the same document.
//! Run with `cargo bench --all-features`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
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

criterion_group!(benches, json_path);
criterion_main!(benches);
