//! Heap use, measured: the success path of `plan_debit`, and rendering its request into a
//! caller's buffer, make no heap allocation; reading a JSON scenario holds at most twice
//! its size. A counting global allocator counts this thread's allocations and live bytes
//! only, so other test threads cannot disturb the counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write;
use std::hint::black_box;

use stripe_account_debits::book::Ledger;
use stripe_account_debits::consent::Consent;
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, Platform, ReferenceTransaction,
};
use stripe_account_debits::*;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    // `try_with`: the thread-locals may already be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = LIVE.try_with(|live| {
        let now = live
            .get()
            .saturating_add(i64::try_from(bytes).unwrap_or(i64::MAX));
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(
            live.get()
                .saturating_sub(i64::try_from(bytes).unwrap_or(i64::MAX)),
        );
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// `const`-initialised thread-local `Cell`s, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        shrank(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations_in<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (ALLOCATIONS.with(Cell::get) - before, out)
}

/// The most heap bytes `f` held at once on this thread, beyond what was live before.
fn peak_bytes_of<T>(f: impl FnOnce() -> T) -> (i64, T) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let out = f();
    (PEAK.with(Cell::get) - base, out)
}

/// As [`peak_bytes_of`], for the JSON tests.
#[cfg(feature = "serde")]
fn peak_heap_of<T>(f: impl FnOnce() -> T) -> (i64, T) {
    peak_bytes_of(f)
}

fn inputs() -> Vec<DebitInput> {
    let mut out = vec![demo::input().unwrap()];
    // With a reserve, a payout reference, an unverified bank, a zero-decimal currency.
    let platform = Account::new(
        "acct_1P".parse().unwrap(),
        "JP".parse().unwrap(),
        Currency::JPY,
        LossLiability::Stripe,
    );
    let connected = Account::new(
        "acct_1C".parse().unwrap(),
        "JP".parse().unwrap(),
        Currency::JPY,
        LossLiability::Stripe,
    );
    let debit = Debit::new(
        "debit-2".parse().unwrap(),
        Decimal::new(5_000, 0),
        Currency::JPY,
        ReferenceTransaction::new("po_1Payout".parse().unwrap(), connected.id()),
    );
    let balance = Balance::new([Money::from_minor(-100, Currency::JPY).unwrap()]).unwrap();
    let consent = Consent::granted(Timestamp::from_unix(0), "e".parse().unwrap())
        .revoke(Timestamp::from_unix(10))
        .unwrap();
    out.push(
        DebitInput::new(
            Platform::new(platform),
            Connected::new(connected),
            balance,
            debit,
            Timestamp::from_unix(5),
        )
        .with_consent(consent),
    );
    out
}

#[test]
fn planning_a_debit_allocates_nothing() {
    let inputs = inputs();
    let mut body = String::with_capacity(1024);
    for input in &inputs {
        let (n, plan) = allocations_in(|| plan_debit(black_box(input)));
        let plan = plan.unwrap();
        assert_eq!(n, 0, "plan_debit allocated {n} times");

        let (n, ()) = allocations_in(|| {
            let r = plan.request();
            black_box((
                r.method(),
                r.path(),
                r.headers().iter().count(),
                r.form().count(),
            ));
            black_box((
                plan.payment(),
                plan.reserve_hold(),
                plan.advisories().iter().count(),
            ));
            body.clear();
            r.write_form_urlencoded(&mut body).unwrap();
            write!(body, "{}", r.idempotency_key()).unwrap();
        });
        assert_eq!(n, 0, "rendering the request allocated {n} times");
        assert!(body.starts_with("amount="));
    }
    assert!(inputs.len() == 2);
}

#[test]
fn the_counter_sees_allocations() {
    // A rejection carries a Vec: the counter must notice it, or the test above proves
    // nothing.
    let mut input = inputs().remove(0);
    input.set_debit(Debit::new(
        "x".parse().unwrap(),
        Decimal::ZERO,
        Currency::USD,
        ReferenceTransaction::new("ch_1".parse().unwrap(), input.connected().id()),
    ));
    let (n, result) = allocations_in(|| plan_debit(black_box(&input)));
    assert!(result.is_err());
    assert!(n >= 1, "the counting allocator saw nothing");
}

/// Reading a scenario holds at most twice the document's size on the heap, however the
/// document is shaped: fields the crate does not read are skipped without being built, and
/// lists are folded as they are read.
#[cfg(feature = "serde")]
#[path = "support/fixture_scenario.rs"]
mod fixture_scenario;

#[cfg(feature = "serde")]
mod json_memory {
    use serde_json::{Value, json};
    use stripe_account_debits::json;

    use super::fixture_scenario::fixture_scenario;
    use super::peak_heap_of;

    /// Documents of every shape that could cost memory: big fields not read, long lists that
    /// are read, a field of the wrong type holding a big array.
    fn documents() -> Vec<(&'static str, String)> {
        let demo = include_str!("../examples/scenarios/demo.json").to_owned();
        let scenario = fixture_scenario();

        let mut ignored = scenario.clone();
        ignored["connected_account"]["metadata"] = (0..20_000)
            .map(|i| {
                (
                    format!("key_{i}"),
                    json!({ "note": "x".repeat(40), "n": i, "list": [1, 2, 3] }),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into();

        let mut long_balance = scenario.clone();
        let mut entries = vec![json!({ "amount": 1000, "currency": "usd" })];
        entries.extend((0..100_000).map(|i| json!({ "amount": i, "currency": "zzz" })));
        long_balance["connected_balance"]["available"] = entries.into();

        let mut many_accounts = scenario.clone();
        many_accounts["connected_account"]["external_accounts"] = json!({
            "object": "list",
            "has_more": false,
            "data": (0..100_000).map(|_| json!({ "object": "card", "currency": "usd" })).collect::<Vec<_>>(),
        });

        let mut wrong_type = scenario;
        wrong_type["connected_account"]["controller"] = (0..100_000)
            .map(|i| json!({ "i": i }))
            .collect::<Vec<_>>()
            .into();

        vec![
            ("the demo", demo),
            ("Stripe's fixtures", fixture_scenario().to_string()),
            ("20,000 metadata keys not read", ignored.to_string()),
            ("100,001 balance entries", long_balance.to_string()),
            ("100,000 external accounts", many_accounts.to_string()),
            (
                "an array where the controller belongs",
                wrong_type.to_string(),
            ),
        ]
    }

    #[test]
    fn reading_a_scenario_holds_at_most_twice_its_size() {
        for (name, text) in documents() {
            let (peak, read) = peak_heap_of(|| json::read_scenario_with_limit(&text, usize::MAX));
            let len = i64::try_from(text.len()).unwrap();
            eprintln!(
                "{name}: {} bytes, peak heap {peak} bytes ({:.3}x)",
                text.len(),
                peak as f64 / len as f64
            );
            if name == "an array where the controller belongs" {
                assert!(read.is_err(), "{name}: read");
            } else {
                read.unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            assert!(
                peak <= 2 * len,
                "{name}: {peak} bytes of heap for {len} bytes of text"
            );
        }
    }

    /// Reading Stripe's reply to a debit's request (the whole fixture Transfer, the planned
    /// one) through the crate's one reader allocates nothing: its keys and strings are
    /// borrowed from the body, and the keys it skips are checked for duplicates on the
    /// stack.
    #[test]
    fn reading_the_planned_transfer_in_a_reply_allocates_nothing() {
        use stripe_account_debits::lifecycle::{Attempt, Next, Reply, ReplyOptions, read_reply};
        use stripe_account_debits::{AttemptNumber, Timestamp, demo, plan_debit};

        let plan = plan_debit(&demo::input().unwrap()).unwrap();
        let attempt = Attempt::first(AttemptNumber::FIRST, Timestamp::from_unix(1_764_000_000));
        let options = ReplyOptions::default();
        let mut transfer = super::fixture_scenario::fixture("transfer");
        transfer["amount"] = json!(500);
        transfer["destination"] = json!(demo::PLATFORM);
        transfer["metadata"] = json!({ "account_debit_id": "recovery-42" });
        let body = transfer.to_string();
        let headers = [("Request-Id", "req_1"), ("Idempotent-Replayed", "false")];
        let reply = Reply::new(200, &headers, body.as_bytes());
        let (n, next) =
            super::allocations_in(|| read_reply(&plan, &attempt, Some(&reply), &options));
        assert!(matches!(next, Next::Confirmed { .. }), "{next:?}");
        // With `serde_json/arbitrary_precision` (which CI also runs), `serde_json` hands over
        // each number as its text, in a string of its own: one per number of the body.
        let numbers = ["amount", "amount_reversed", "created"];
        assert!(numbers.iter().all(|key| transfer[key].is_number()));
        // An integer beyond 64 bits is a float without `arbitrary_precision`, its text with.
        let huge: Value = serde_json::from_str("18446744073709551616").unwrap();
        let arbitrary_precision = !huge.is_f64();
        let allowed = if arbitrary_precision {
            numbers.len()
        } else {
            0
        };
        assert!(n <= allowed as u64, "reading the reply allocated {n} times");
    }

    /// A book of `accounts` connected accounts, each debited `per` times.
    fn book_text(accounts: usize, per: usize) -> String {
        let id = |n: usize| format!("acct_1Gen{n:016}");
        let entries: Vec<Value> = (0..accounts)
            .map(|n| {
                json!({
                    "account": { "id": id(n), "object": "account", "country": "US",
                        "default_currency": "usd",
                        "controller": { "type": "application", "losses": { "payments": "stripe" } },
                        "external_accounts": { "data": [ { "object": "bank_account", "currency": "usd", "status": "verified" } ] } },
                    "balance": { "object": "balance", "available": [ { "amount": 100_000, "currency": "usd" } ] },
                    "consent": { "granted_at": 1_700_000_000, "evidence": "agreement" },
                })
            })
            .collect();
        let debits: Vec<Value> = (0..per)
            .flat_map(|k| (0..accounts).map(move |n| (n, k)))
            .map(|(n, k)| {
                json!({ "account": id(n), "debit": { "id": format!("recovery-{n}-{k}"),
                    "amount": 500 + k, "currency": "usd",
                    "reference_transaction": { "id": format!("ch_1Gen{n:016}"), "account": id(n) } } })
            })
            .collect();
        json!({
            "at": 1_764_000_000,
            "platform_account": { "id": "acct_1GenPlatform0000001", "object": "account", "country": "US", "default_currency": "usd" },
            "platform_balance": { "available": [ { "amount": 1_000_000_000, "currency": "usd" } ] },
            "accounts": entries,
            "debits": debits,
        })
        .to_string()
    }

    /// A writer that only counts.
    struct Counted(usize);

    impl std::io::Write for Counted {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A batch written as it goes holds the ledger's working room (each planned debit's
    /// key, each account's balance before and after), not its output: a small part of what
    /// it writes, and a bounded amount per debit, where a tree of the output held some
    /// twenty times what it wrote.
    #[test]
    fn writing_a_batch_holds_a_small_part_of_what_it_writes() {
        let text = book_text(500, 20);
        let (ledger, debits) = json::read_book(&text).unwrap().into_parts();
        let mut out = Counted(0);
        let (peak, ()) = peak_heap_of(|| {
            let batch = json::Batch::run(ledger, &debits).unwrap();
            serde_json::to_writer_pretty(&mut out, &batch).unwrap();
        });
        let written = i64::try_from(out.0).unwrap();
        let per_debit = peak / i64::try_from(debits.len()).unwrap();
        eprintln!(
            "{} debits: wrote {written} bytes, peak heap {peak} bytes ({per_debit} a debit)",
            debits.len()
        );
        assert!(
            peak < written / 5,
            "{peak} bytes held for {written} written"
        );
        assert!(per_debit < 600, "{per_debit} bytes a debit");
        // The tree of the same output, for scale: the counter sees it.
        let (mut ledger, debits) = json::read_book(&text).unwrap().into_parts();
        let before = ledger.clone();
        let outcome = ledger.run(&debits).unwrap();
        let (tree, value) = peak_heap_of(|| {
            serde_json::to_value(json::batch_output(&before, &ledger, &debits, &outcome)).unwrap()
        });
        drop(value);
        assert!(tree > written, "{tree}");
    }

    #[test]
    fn the_counter_sees_a_value_parse() {
        // A `serde_json::Value` of the same document holds many times its size: the counter
        // must see it, or the test above proves nothing.
        let text = fixture_scenario().to_string();
        let (peak, value) = peak_heap_of(|| serde_json::from_str::<Value>(&text).unwrap());
        drop(value);
        assert!(peak > 2 * i64::try_from(text.len()).unwrap(), "{peak}");
    }
}

/// A batch on a [`Ledger`] holds memory for its accounts (and the keys of the debits
/// planned, in a table reserved ahead): planning and applying an accepted debit allocates
/// nothing, however many debits the batch has.
#[test]
fn a_batch_allocates_nothing_per_accepted_debit() {
    const ACCOUNTS: usize = 10_000;
    let us = |id: &str| {
        Account::new(
            id.parse().unwrap(),
            "US".parse().unwrap(),
            Currency::USD,
            LossLiability::Stripe,
        )
    };
    let consent = Consent::granted(Timestamp::from_unix(0), "agreement".parse().unwrap());
    let start = Balance::new([Money::from_minor(1_000, Currency::USD).unwrap()]).unwrap();
    let (held, (mut ledger, slots, debits)) = peak_bytes_of(|| {
        let mut ledger = Ledger::new(Platform::new(us("acct_1Platform")), Balance::empty());
        let mut slots = Vec::with_capacity(ACCOUNTS);
        let mut debits = Vec::with_capacity(ACCOUNTS);
        for i in 0..ACCOUNTS {
            let connected = us(&format!("acct_1Conn{i}"));
            debits.push(Debit::from_minor(
                format!("debit-{i}").parse().unwrap(),
                300,
                Currency::USD,
                ReferenceTransaction::new("ch_1Charge".parse().unwrap(), connected.id()),
            ));
            let slot = ledger.add_account(
                Connected::new(connected),
                start.clone(),
                Some(consent.clone()),
            );
            slots.push(slot.unwrap());
        }
        (ledger, slots, debits)
    });
    let at = Timestamp::from_unix(1);
    // Each round debits every account again, under ids of its own (a planned id is refused
    // a second time); the ledger keeps each planned key, in room reserved for them all.
    let rounds: Vec<Vec<Debit>> = (0..10)
        .map(|round| {
            debits
                .iter()
                .map(|d| {
                    let id = format!("{}-round-{round}", d.id()).parse().unwrap();
                    Debit::from_minor(id, 300, Currency::USD, d.reference().unwrap())
                })
                .collect()
        })
        .collect();
    ledger.reserve_debits(ACCOUNTS * 10 + 1);
    // The first debit gives the platform's balance its currency.
    ledger.plan(slots[0], &debits[0], at).unwrap().unwrap();
    let (n, reserved) = allocations_in(|| {
        let mut reserved = 0i64;
        for (round, debits) in rounds.iter().enumerate() {
            for (slot, debit) in slots.iter().zip(debits) {
                let plan = ledger.plan(*slot, debit, at).unwrap();
                reserved += plan.map_or(0, |p| p.reserve().minor());
                black_box(round);
            }
        }
        reserved
    });
    assert_eq!(n, 0, "100,000 debits allocated {n} times");
    assert!(reserved > 0, "the batch drove balances below zero");
    eprintln!(
        "a ledger of {ACCOUNTS} accounts (with their debits) holds {held} bytes: {} per account",
        held / ACCOUNTS as i64
    );
}
