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

    // Every rule group of the Stripe-managed flow broken at once (the flow asked for, since
    // the account's losses are the platform's): platform liability, same account, regions,
    // currency, amount, reference kind and account, consent.
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
    let stripe_managed = |input: &DebitInput| plan_debit_as(Flow::StripeManaged, input);
    assert_eq!(
        stripe_managed(&all_rules).unwrap_err().violations().len(),
        10
    );
    group.bench_function("rejected_all_rules", |b| {
        b.iter(|| stripe_managed(black_box(&all_rules)))
    });
    group.finish();
}

/// Debits spread over many accounts on a [`Ledger`], each planned against that account's
/// running balance and applied, as a batch is: 1,000,000 debits over 100,000 accounts
/// (target: 5 M debits/s or more on one core), and smaller batches beside it; and the
/// reserve book of 100,000 accounts (target: under 10 ms).
fn batch(c: &mut Criterion) {
    const ACCOUNTS: usize = 100_000;
    let platform = us("acct_1Platform");
    let consent = Consent::granted(Timestamp::from_unix(0), "agreement".parse().unwrap());
    let start = Balance::new([Money::from_minor(50_000, Currency::USD).unwrap()]).unwrap();
    let mut ledger = Ledger::new(Platform::new(platform), Balance::empty());
    let mut slots = Vec::with_capacity(ACCOUNTS);
    // One debit per account, reused under the id of its round (a ledger refuses an id
    // planned before on the same account): a million distinct debits would be 250 MB of
    // input. Either order below debits each account once a round.
    let mut debits = Vec::with_capacity(ACCOUNTS);
    let rounds: Vec<DebitId> = (0..20)
        .map(|round| format!("round-{round}").parse().unwrap())
        .collect();
    let in_round = |debit: &Debit, round: usize| {
        Debit::new(
            rounds[round],
            debit.amount(),
            debit.currency(),
            debit.reference().unwrap(),
        )
    };
    for i in 0..ACCOUNTS {
        let connected = us(&format!("acct_1Conn{i}"));
        let minor = 100 + (i as i64 * 37) % 5_000;
        debits.push(Debit::from_minor(
            format!("debit-{i}").parse().unwrap(),
            minor,
            Currency::USD,
            ReferenceTransaction::new("ch_1Charge".parse().unwrap(), connected.id()),
        ));
        let slot = ledger
            .add_account(
                Connected::new(connected),
                start.clone(),
                Some(consent.clone()),
            )
            .unwrap();
        slots.push(slot);
    }
    let at = Timestamp::from_unix(1);
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    // Two orders of the same debits: accounts in turn (0, 1, 2, ..., as a job that walks
    // its accounts would send them), and scattered (account `n * 7919 % 100,000` for the
    // n-th debit), where each debit reads an account the caches have long dropped.
    type Order = (&'static str, fn(usize) -> usize);
    let orders: [Order; 2] = [
        ("in_turn", |n| n % ACCOUNTS),
        ("scattered", |n| (n * 7919) % ACCOUNTS),
    ];
    for (order, who_of) in orders {
        for size in [10_000usize, 1_000_000] {
            group.throughput(Throughput::Elements(size as u64));
            group.bench_function(BenchmarkId::new(order, size), |b| {
                b.iter_batched_ref(
                    || {
                        let mut ledger = ledger.clone();
                        ledger.reserve_debits(size);
                        ledger
                    },
                    |ledger| {
                        let mut reserved = 0i64;
                        for n in 0..size {
                            let who = who_of(n);
                            let debit = in_round(&debits[who], n / ACCOUNTS);
                            let plan = ledger.plan(slots[who], &debit, at).unwrap().unwrap();
                            reserved += plan.reserve().minor();
                        }
                        black_box(reserved)
                    },
                    criterion::BatchSize::LargeInput,
                )
            });
        }
    }
    group.finish();
    // Half the accounts below zero, for a book with lines to write.
    let mut negative = ledger.clone();
    for who in (0..ACCOUNTS).step_by(2) {
        for round in 0..20 {
            negative
                .plan(slots[who], &in_round(&debits[who], round), at)
                .unwrap()
                .unwrap();
        }
    }
    let mut group = c.benchmark_group("book");
    group.throughput(Throughput::Elements(ACCOUNTS as u64));
    group.bench_function(BenchmarkId::from_parameter(ACCOUNTS), |b| {
        b.iter(|| black_box(&negative).book().unwrap().lines().len())
    });
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
