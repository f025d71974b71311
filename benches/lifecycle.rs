//! Reading replies: a 2xx whose body is the planned Transfer (Stripe's fixture Transfer,
//! made the planned one), next to a bare `serde_json::Value` parse of the same body; and a
//! decision without a body (a timeout), which the issue asks to stay under 50 ns. Run with
//! `cargo bench --all-features --bench lifecycle`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use stripe_account_debits::lifecycle::{Attempt, Next, Reply, ReplyOptions, read_reply};
use stripe_account_debits::{AttemptNumber, Timestamp, demo, plan_debit};

/// Stripe's fixture Transfer, with the planned amount, destination and metadata.
fn body() -> String {
    let path = format!(
        "{}/tests/fixtures/stripe-openapi/transfer.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut transfer: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    transfer["amount"] = json!(500);
    transfer["destination"] = json!(demo::PLATFORM);
    transfer["metadata"] = json!({ "account_debit_id": "recovery-42" });
    transfer.to_string()
}

fn replies(c: &mut Criterion) {
    let plan = plan_debit(&demo::input().unwrap()).unwrap();
    let attempt = Attempt::first(AttemptNumber::FIRST, Timestamp::from_unix(1_764_000_000));
    let options = ReplyOptions::default();
    let body = body();
    let headers = [("Request-Id", "req_1"), ("Idempotent-Replayed", "false")];
    let reply = Reply::new(200, &headers, body.as_bytes());
    assert!(matches!(
        read_reply(&plan, &attempt, Some(&reply), &options),
        Next::Confirmed { .. }
    ));
    let mut group = c.benchmark_group("lifecycle");
    group.bench_function("serde_json_value_parse_of_the_transfer", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(body.as_bytes())).unwrap())
    });
    group.bench_function("read_reply_2xx_transfer", |b| {
        b.iter(|| {
            read_reply(
                black_box(&plan),
                &attempt,
                Some(black_box(&reply)),
                &options,
            )
        })
    });
    group.bench_function("read_reply_without_body", |b| {
        b.iter(|| read_reply(black_box(&plan), black_box(&attempt), None, &options))
    });
    let unavailable = Reply::new(503, &[], b"");
    group.bench_function("read_reply_503_empty_body", |b| {
        b.iter(|| {
            read_reply(
                black_box(&plan),
                &attempt,
                Some(black_box(&unavailable)),
                &options,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, replies);
criterion_main!(benches);
