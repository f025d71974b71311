//! Planning cost: accepted and rejected debits, a batch against running balances, and
//! rendering the Stripe request. Run with `cargo bench --all-features`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stripe_account_debits::*;

fn account(id: &str, country: &str, currency: Currency, liability: LossLiability) -> Account {
    Account::new(
        id.parse().unwrap(),
        country.parse().unwrap(),
        currency,
        liability,
    )
    .with_verified_bank_account(currency)
}

/// A debit of 5.00 USD between two US accounts with Stripe managed risk, with consent,
/// against `balance_minor` available.
fn input(balance_minor: i64, reference: &str) -> DebitInput {
    let platform = us("acct_1PgafTB7WZ01zgkW");
    let connected = us("acct_1Pgc79B7WZ01zgkW");
    let balance = Balance::new([Money::from_minor(balance_minor, Currency::USD).unwrap()]).unwrap();
    let debit = Debit::new(
        "recovery-42".parse().unwrap(),
        Decimal::new(500, 2),
        Currency::USD,
        ReferenceTransaction::new(reference.parse().unwrap(), connected.id()),
    );
    let consent = Consent::granted(
        Timestamp::from_unix(1_700_000_000),
        "agreement-42".parse().unwrap(),
    );
    DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        balance,
        debit,
        Timestamp::from_unix(1_764_000_000),
    )
    .with_consent(consent)
}

fn us(id: &str) -> Account {
    account(id, "US", Currency::USD, LossLiability::Stripe)
}

fn accepted(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan_debit");
    let no_reserve = input(1_000, "ch_1PgafuB7WZ01zgkWXYmPNZs8");
    let reserve = input(100, "po_1Pgc79B7WZ01zgkWu1KToYf4");
    assert!(plan_debit(&no_reserve).unwrap().reserve_hold().is_none());
    assert!(plan_debit(&reserve).unwrap().reserve_hold().is_some());
    group.bench_function("accepted_no_reserve", |b| {
        b.iter(|| plan_debit(black_box(&no_reserve)))
    });
    group.bench_function("accepted_with_reserve", |b| {
        b.iter(|| plan_debit(black_box(&reserve)))
    });

    // Every rule group broken at once: platform liability, same account, regions, currency,
    // amount, reference kind and account, consent.
    let platform = account("acct_1Same", "BR", Currency::BRL, LossLiability::Stripe);
    let connected = account("acct_1Same", "MX", Currency::MXN, LossLiability::Platform);
    let debit = Debit::new(
        "recovery-42".parse().unwrap(),
        Decimal::new(-1, 3),
        Currency::USD,
        ReferenceTransaction::new(
            "pi_1Intent".parse().unwrap(),
            "acct_1Other".parse().unwrap(),
        ),
    );
    let all_rules = DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        Balance::empty(),
        debit,
        Timestamp::from_unix(0),
    );
    assert_eq!(plan_debit(&all_rules).unwrap_err().violations().len(), 10);
    group.bench_function("rejected_all_rules", |b| {
        b.iter(|| plan_debit(black_box(&all_rules)))
    });
    group.finish();
}

/// Debits spread over many accounts, each planned against that account's running balance,
/// as a replay job would.
fn batch(c: &mut Criterion) {
    const ACCOUNTS: usize = 1_000;
    let platform = us("acct_1Platform");
    let accounts: Vec<Account> = (0..ACCOUNTS)
        .map(|i| us(&format!("acct_1Conn{i}")))
        .collect();
    let mut group = c.benchmark_group("batch");
    for size in [1_000usize, 10_000, 100_000] {
        // The inputs are built outside the measurement; their balances are replaced by the
        // running ones inside it.
        let debits: Vec<(usize, Debit)> = (0..size)
            .map(|n| {
                let who = (n * 7919) % ACCOUNTS;
                let minor = 100 + (n as i64 * 37) % 5_000;
                let debit = Debit::new(
                    format!("debit-{n}").parse().unwrap(),
                    Decimal::new(minor, 2),
                    Currency::USD,
                    ReferenceTransaction::new("ch_1Charge".parse().unwrap(), accounts[who].id()),
                );
                (who, debit)
            })
            .collect();
        let consent = Consent::granted(Timestamp::from_unix(0), "agreement".parse().unwrap());
        let start = Money::from_minor(50_000, Currency::USD).unwrap();
        let mut inputs: Vec<DebitInput> = accounts
            .iter()
            .map(|a| {
                let balance = Balance::new([start]).unwrap();
                DebitInput::new(
                    Platform::new(platform),
                    Connected::new(*a),
                    balance,
                    debits[0].1,
                    Timestamp::from_unix(1),
                )
                .with_consent(consent.clone())
            })
            .collect();
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &debits, |b, debits| {
            b.iter(|| {
                for input in inputs.iter_mut() {
                    input.connected_balance_mut().set_available(start);
                }
                let mut reserved = 0i64;
                for (who, debit) in debits {
                    let input = &mut inputs[*who];
                    input.set_debit(*debit);
                    let plan = plan_debit(black_box(&*input)).unwrap();
                    input
                        .connected_balance_mut()
                        .set_available(plan.connected_available().after());
                    reserved += plan.reserve().minor();
                }
                black_box(reserved)
            })
        });
    }
    group.finish();
}

fn render(c: &mut Criterion) {
    let plan = plan_debit(&input(1_000, "ch_1PgafuB7WZ01zgkWXYmPNZs8")).unwrap();
    let mut group = c.benchmark_group("render");
    group.bench_function("form_and_headers", |b| {
        b.iter(|| {
            // What a caller pays to read every field: the request (with its idempotency
            // key) is built on each call.
            let request = black_box(&plan).request();
            let form: usize = request.form().map(|(n, v)| n.len() + v.len()).sum();
            let headers: usize = request
                .headers()
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum();
            form + headers
        })
    });
    let mut body = String::with_capacity(512);
    group.bench_function("form_urlencoded_into_buffer", |b| {
        b.iter(|| {
            body.clear();
            black_box(&plan)
                .request()
                .write_form_urlencoded(&mut body)
                .unwrap();
            body.len()
        })
    });
    group.finish();
}

criterion_group!(benches, accepted, batch, render);
criterion_main!(benches);
