//! The success path of `plan_debit`, and rendering its request into a caller's buffer, make
//! no heap allocation. A counting global allocator counts this thread's allocations only,
//! so other test threads cannot disturb the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write;
use std::hint::black_box;

use stripe_account_debits::*;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// a `const`-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
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
