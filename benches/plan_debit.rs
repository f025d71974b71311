//! Planning cost: accepted and rejected debits, a batch against running balances, and
//! rendering the Stripe request, each plan and the form beside its floor (the same work by
//! hand, `floors.rs`). Run with `cargo bench --all-features`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stripe_account_debits::book::{BatchDebit, Ledger};
use stripe_account_debits::consent::Consent;
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, Platform, ReferenceTransaction,
};
use stripe_account_debits::*;

mod floors;
use floors::{Broken, PlainForm, PlainInput, scenario};

fn account(id: &str, country: &str, currency: Currency, liability: LossLiability) -> Account {
    Account::new(
        id.parse().unwrap(),
        country.parse().unwrap(),
        currency,
        liability,
    )
    .with_verified_bank_account(currency)
}

fn us(id: &str) -> Account {
    account(id, "US", Currency::USD, LossLiability::Stripe)
}

fn accepted(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan_debit");
    let no_reserve = scenario::accepted(1_000, "ch_1PgafuB7WZ01zgkWXYmPNZs8");
    let reserve = scenario::with_reserve();
    assert!(plan_debit(&no_reserve).unwrap().reserve_hold().is_none());
    let plan = plan_debit(&reserve).unwrap();
    assert!(plan.reserve_hold().is_some());
    group.bench_function("accepted_no_reserve", |b| {
        b.iter(|| plan_debit(black_box(&no_reserve)))
    });
    group.bench_function("accepted_with_reserve", |b| {
        b.iter(|| plan_debit(black_box(&reserve)))
    });
    // The same debit by hand (see `floors.rs`): the lower bound the line above is read
    // against.
    let plain = PlainInput::of(&reserve);
    assert!(floors::plan(&plain).unwrap().agrees_with(&plan));
    group.bench_function("floor_accepted_with_reserve", |b| {
        b.iter(|| floors::plan(black_box(&plain)))
    });
    // The checks and the numbers alone, the plan lending the input's ids: below what any
    // owned plan can cost.
    assert!(floors::plan_lent(&plain).is_ok());
    group.bench_function("floor_checks_only_with_reserve", |b| {
        b.iter(|| floors::plan_lent(black_box(&plain)))
    });

    let all_rules = scenario::all_rules();
    let stripe_managed = |input: &DebitInput| plan_debit_as(Flow::StripeManaged, input);
    let rejection = stripe_managed(&all_rules).unwrap_err();
    assert_eq!(rejection.violations().len(), 10);
    group.bench_function("rejected_all_rules", |b| {
        b.iter(|| stripe_managed(black_box(&all_rules)))
    });
    let plain = PlainInput::of(&all_rules);
    let broken = floors::plan(&plain).unwrap_err();
    assert!(broken.iter().map(Broken::code).eq(rejection.codes()));
    group.bench_function("floor_rejected_all_rules", |b| {
        b.iter(|| floors::plan(black_box(&plain)))
    });
    group.finish();
}

/// Debits spread over many accounts on a [`Ledger`], each planned against that account's
/// running balance and applied, as a batch is: 1,000,000 debits over 100,000 accounts,
/// in turn and scattered (target: 10 M debits/s or more on one core, in either order); and the
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
    // Two orders of the same debits, each a batch of `BatchDebit`s given to `Ledger::run_each`
    // (which hands each result over, in the batch's order, without keeping them): accounts
    // in turn (0, 1, 2, ..., as a job that walks its accounts would send them), and
    // scattered (account `n * 7919 % 100,000` for the n-th debit), where each debit names an
    // account the caches have long dropped. Both in one group: their ratio is from one run.
    type Order = (&'static str, fn(usize) -> usize);
    let orders: [Order; 2] = [
        ("in_turn", |n| n % ACCOUNTS),
        ("scattered", |n| (n * 7919) % ACCOUNTS),
    ];
    const SIZE: usize = 1_000_000;
    let mut totals = Vec::new();
    for (order, who_of) in orders {
        let batch: Vec<BatchDebit> = (0..SIZE)
            .map(|n| {
                let who = who_of(n);
                BatchDebit::new(slots[who], in_round(&debits[who], n / ACCOUNTS), at)
            })
            .collect();
        let run = |ledger: &mut Ledger| {
            let mut reserved = 0i64;
            let summary = ledger
                .run_each(&batch, |judged| {
                    reserved += judged.result().as_ref().map_or(0, |p| p.reserve().minor())
                })
                .unwrap();
            (summary.rejected(), reserved)
        };
        // Every debit planned, the same reserve in either order.
        let mut check = ledger.clone();
        check.reserve_debits(SIZE);
        totals.push(run(&mut check));
        assert_eq!(totals[totals.len() - 1].0, 0);
        group.throughput(Throughput::Elements(SIZE as u64));
        group.bench_function(BenchmarkId::new(order, SIZE), |b| {
            b.iter_batched_ref(
                || {
                    let mut ledger = ledger.clone();
                    ledger.reserve_debits(SIZE);
                    ledger
                },
                |ledger| black_box(run(ledger)),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    assert_eq!(totals[0], totals[1]);
    // What the benchmarks above leave out of their time: reserving (and writing) the room
    // for the batch's keys, on a ledger of the same accounts.
    group.bench_function(BenchmarkId::new("reserve_debits", SIZE), |b| {
        b.iter_batched_ref(
            || ledger.clone(),
            |ledger| ledger.reserve_debits(black_box(SIZE)),
            criterion::BatchSize::LargeInput,
        )
    });
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
    let plan = plan_debit(&scenario::accepted(1_000, "ch_1PgafuB7WZ01zgkWXYmPNZs8")).unwrap();
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
        b.iter(|| write_crate_form(black_box(&plan), &mut body))
    });
    // The same bytes by hand, one `write!` into the same buffer (see `floors.rs`).
    let form = PlainForm::of(&plan);
    let (mut floor, mut crate_form) = (String::new(), String::new());
    floors::write_form(&mut floor, &form).unwrap();
    plan.request()
        .write_form_urlencoded(&mut crate_form)
        .unwrap();
    assert_eq!(floor, crate_form);
    group.bench_function("floor_form_write", |b| {
        b.iter(|| {
            body.clear();
            floors::write_form(&mut body, black_box(&form)).unwrap();
            body.len()
        })
    });
    // The same bytes pushed piece by piece, without `fmt`: the lower bound.
    floor.clear();
    floors::push_form(&mut floor, &form);
    assert_eq!(floor, crate_form);
    group.bench_function("floor_form_push_str", |b| {
        b.iter(|| {
            body.clear();
            floors::push_form(&mut body, black_box(&form));
            body.len()
        })
    });
    group.finish();
}

/// The crate's form of `plan` into `body`, cleared first: a function of its own, as the
/// floors are, so that a profiler counts one call per iteration.
#[inline(never)]
fn write_crate_form(plan: &DebitPlan, body: &mut String) -> usize {
    body.clear();
    plan.request().write_form_urlencoded(body).unwrap();
    body.len()
}

criterion_group!(benches, accepted, batch, render);
criterion_main!(benches);
