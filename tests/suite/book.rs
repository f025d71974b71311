//! The platform's book: debits in a row on a ledger of accounts, the reserve they leave,
//! and its ageing.

use proptest::prelude::*;
use stripe_account_debits::book::{
    AccountSlot, BatchDebit, Coverage, Ledger, LedgerError, ReserveBook, Schedule, SendRate,
    UncountedEntry,
};
use stripe_account_debits::consent::Consent;
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, Platform, PlatformReserves, ReferenceTransaction,
};
use stripe_account_debits::*;

const AT: i64 = 1_764_000_000;
const DAY: i64 = 86_400;

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD).unwrap()
}

fn account(id: &str, liability: LossLiability) -> Account {
    Account::new(
        id.parse().unwrap(),
        "US".parse().unwrap(),
        Currency::USD,
        liability,
    )
}

fn consent() -> Consent {
    Consent::granted(Timestamp::from_unix(0), "agreement-42".parse().unwrap())
}

/// A ledger of `balances.len()` Stripe-managed accounts (`acct_1C0`, ...) with these USD
/// balances, and a platform with `platform` USD available.
fn ledger(balances: &[i64], platform: i64) -> (Ledger, Vec<AccountSlot>) {
    let mut ledger = Ledger::new(
        Platform::new(account("acct_1Platform", LossLiability::Stripe)),
        Balance::new([usd(platform)]).unwrap(),
    );
    let slots = balances
        .iter()
        .enumerate()
        .map(|(i, minor)| {
            let connected = account(&format!("acct_1C{i}"), LossLiability::Stripe);
            ledger
                .add_account(
                    Connected::new(connected),
                    Balance::new([usd(*minor)]).unwrap(),
                    Some(consent()),
                )
                .unwrap()
        })
        .collect();
    (ledger, slots)
}

fn debit(ledger: &Ledger, slot: AccountSlot, n: usize, minor: i64) -> Debit {
    let on = ledger.account(slot).unwrap().id();
    Debit::from_minor(
        format!("debit-{n}").parse().unwrap(),
        minor,
        Currency::USD,
        ReferenceTransaction::new("ch_1Charge".parse().unwrap(), on),
    )
}

fn available(ledger: &Ledger, slot: AccountSlot) -> i64 {
    ledger
        .balance(slot)
        .unwrap()
        .available(Currency::USD)
        .unwrap()
        .minor()
}

#[test]
fn each_debit_is_planned_against_the_balance_the_ones_before_it_left() {
    let (mut ledger, slots) = ledger(&[1_000, 200], 0);
    let at = Timestamp::from_unix(AT);
    let reserves: Vec<i64> = [(0, 600), (0, 600), (1, 100), (0, 100)]
        .iter()
        .enumerate()
        .map(|(n, (who, minor))| {
            let debit = debit(&ledger, slots[*who], n, *minor);
            let plan = ledger.plan(slots[*who], &debit, at).unwrap().unwrap();
            plan.reserve().minor()
        })
        .collect();
    // 1000 - 600 = 400; 400 - 600 = -200 (reserve 200); -200 - 100 = -300 (reserve 100).
    assert_eq!(reserves, [0, 200, 0, 100]);
    assert_eq!(available(&ledger, slots[0]), -300);
    assert_eq!(available(&ledger, slots[1]), 100);
    // The platform got 1400 and holds 300 of it as reserve.
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(1_100))
    );
    assert_eq!(
        ledger.book().unwrap().total().available(Currency::USD),
        Some(usd(300))
    );
}

#[test]
fn a_rejected_debit_leaves_the_balances_as_they_were() {
    let (mut ledger, slots) = ledger(&[1_000], 50);
    let mut zero = debit(&ledger, slots[0], 0, 0);
    let rejection = ledger
        .plan(slots[0], &zero, Timestamp::from_unix(AT))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["amount_not_positive"]
    );
    assert_eq!(available(&ledger, slots[0]), 1_000);
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(50))
    );
    zero = debit(&ledger, slots[0], 1, 10);
    assert!(
        ledger
            .plan(slots[0], &zero, Timestamp::from_unix(AT))
            .unwrap()
            .is_ok()
    );
    assert_eq!(available(&ledger, slots[0]), 990);
}

#[test]
fn accounts_are_found_by_id_once_each() {
    let (mut ledger, slots) = ledger(&[1, 2, 3], 0);
    assert_eq!(ledger.len(), 3);
    assert!(!ledger.is_empty());
    let id: AccountId = "acct_1C2".parse().unwrap();
    assert_eq!(ledger.slot_of(&id), Some(slots[2]));
    assert_eq!(slots[2].index(), 2);
    assert_eq!(ledger.slot_of(&"acct_1Nobody".parse().unwrap()), None);
    let again = Connected::new(account("acct_1C1", LossLiability::Stripe));
    assert_eq!(
        ledger.add_account(again, Balance::empty(), None),
        Err(LedgerError::Duplicate("acct_1C1".parse().unwrap()))
    );
    assert_eq!(ledger.len(), 3);
    // A slot of a bigger ledger is not one of this ledger's.
    let (other, other_slots) = self::ledger(&[1, 2, 3, 4], 0);
    let foreign = other_slots[3];
    let d = debit(&other, foreign, 0, 1);
    assert!(ledger.plan(foreign, &d, Timestamp::from_unix(AT)).is_none());
    assert!(ledger.account(foreign).is_none() && ledger.balance(foreign).is_none());
}

#[test]
fn the_book_counts_the_accounts_whose_reserve_the_platform_holds() {
    let mut ledger = Ledger::new(
        Platform::new(account("acct_1Platform", LossLiability::Stripe)),
        Balance::empty(),
    );
    let eur = |minor| Money::from_minor(minor, Currency::EUR).unwrap();
    for (id, liability, balance) in [
        ("acct_1A", LossLiability::Platform, vec![usd(-300), eur(-7)]),
        ("acct_1B", LossLiability::Stripe, vec![usd(-400), eur(9)]),
        ("acct_1C", LossLiability::Unknown, vec![usd(-1_000)]),
        ("acct_1D", LossLiability::Stripe, vec![usd(500)]),
    ] {
        let connected = Connected::new(account(id, liability));
        ledger
            .add_account(connected, Balance::new(balance).unwrap(), None)
            .unwrap();
    }
    let book = ledger.book().unwrap();
    assert_eq!(book.total().available(Currency::USD), Some(usd(700)));
    assert_eq!(book.total().available(Currency::EUR), Some(eur(7)));
    let lines: Vec<(String, i64, &str, bool)> = book
        .lines()
        .iter()
        .map(|l| {
            (
                l.account().to_string(),
                l.negative().minor(),
                l.coverage().code(),
                l.coverage().counts(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("acct_1A".into(), 300, "platform_liable", true),
            ("acct_1A".into(), 7, "platform_liable", true),
            ("acct_1B".into(), 400, "stripe_managed_debits", true),
            ("acct_1C".into(), 1_000, "unknown", false),
        ]
    );
}

#[test]
fn a_reserve_beyond_stripes_integer_is_an_error() {
    let mut ledger = Ledger::new(
        Platform::new(account("acct_1Platform", LossLiability::Stripe)),
        Balance::empty(),
    );
    for i in 0..2 {
        let connected = Connected::new(account(&format!("acct_1C{i}"), LossLiability::Platform));
        let balance = Balance::new([usd(i64::MIN + 1)]).unwrap();
        ledger.add_account(connected, balance, None).unwrap();
    }
    let err = ledger.book().unwrap_err();
    assert_eq!(err.currency(), Currency::USD);
    assert_eq!(
        err.to_string(),
        "the reserve in usd does not fit stripe's integer amount"
    );
}

#[test]
fn the_change_says_what_was_held_released_and_debited_from_the_bank() {
    let (mut ledger, slots) = ledger(&[100, -50], -20);
    let before = ledger.book().unwrap();
    let at = Timestamp::from_unix(AT);
    let d = debit(&ledger, slots[0], 0, 300);
    ledger.plan(slots[0], &d, at).unwrap().unwrap();
    let after = ledger.book().unwrap();
    let change = before
        .change_to(&after, ledger.platform_available())
        .unwrap();
    let [usd_change] = change.currencies() else {
        panic!("{change:?}")
    };
    assert_eq!(usd_change.currency(), Currency::USD);
    assert_eq!(
        (usd_change.before().minor(), usd_change.after().minor()),
        (50, 250)
    );
    assert_eq!(
        (usd_change.held().minor(), usd_change.released().minor()),
        (200, 0)
    );
    // The platform had -20, got 300 and holds 200 of it: 80.
    assert_eq!(usd_change.platform_available().minor(), 80);
    assert_eq!(usd_change.bank_debit().minor(), 0);
    // The other way round: the reserve released, and a platform balance below zero is
    // what Stripe debits from the bank.
    let back = after
        .change_to(&before, &Balance::new([usd(-20)]).unwrap())
        .unwrap();
    let [usd_back] = back.currencies() else {
        panic!()
    };
    assert_eq!(
        (usd_back.held().minor(), usd_back.released().minor()),
        (0, 200)
    );
    assert_eq!(usd_back.bank_debit().minor(), 20);
    let extreme = Balance::new([usd(i64::MIN)]).unwrap();
    assert!(before.change_to(&after, &extreme).is_err());
}

#[test]
fn ageing_lists_the_accounts_stripe_zeroes_within_the_window() {
    let (mut ledger, slots) = ledger(&[100, -50, -10, 500], 0);
    let at = Timestamp::from_unix(AT);
    ledger.set_negative_since(slots[1], Some(Timestamp::from_unix(AT - 170 * DAY)));
    // slots[2] is negative with no date: not listed. slots[0] goes negative now.
    let d = debit(&ledger, slots[0], 0, 300);
    ledger.plan(slots[0], &d, at).unwrap().unwrap();
    // A debit on an account already negative keeps the date it went negative.
    let d = debit(&ledger, slots[1], 1, 5);
    ledger.plan(slots[1], &d, at).unwrap().unwrap();
    fn ids(ledger: &Ledger, at: Timestamp, days: u32) -> Vec<String> {
        ledger
            .ageing(at, days)
            .lines()
            .iter()
            .map(|l| l.account().to_string())
            .collect()
    }
    assert_eq!(ids(&ledger, at, 9), Vec::<String>::new());
    assert_eq!(ids(&ledger, at, 10), ["acct_1C1"]);
    assert_eq!(ids(&ledger, at, 180), ["acct_1C1", "acct_1C0"]);
    let ageing = ledger.ageing(at, 365);
    let first = &ageing.lines()[0];
    assert_eq!(first.negative_since(), Timestamp::from_unix(AT - 170 * DAY));
    assert_eq!(first.zeroed_at(), Timestamp::from_unix(AT + 10 * DAY));
    assert_eq!(first.coverage(), Coverage::StripeManagedDebits);
    assert_eq!(first.available().available(Currency::USD), Some(usd(-55)));
    // Back above zero: no longer listed.
    ledger.set_negative_since(slots[1], None);
    assert_eq!(ids(&ledger, at, 365), ["acct_1C0"]);
}

/// A batch: for each debit, the account (an index) and the amount in cents.
fn batch() -> impl Strategy<Value = (Vec<i64>, Vec<(usize, i64)>)> {
    (1usize..6).prop_flat_map(|accounts| {
        (
            prop::collection::vec(-5_000i64..5_000, accounts),
            prop::collection::vec((0..accounts, -100i64..3_000), 0..40),
        )
    })
}

fn run(
    balances: &[i64],
    debits: &[(usize, i64)],
) -> (Ledger, Vec<AccountSlot>, Vec<Option<DebitPlan>>) {
    let (mut ledger, slots) = ledger(balances, 1_000);
    let at = Timestamp::from_unix(AT);
    let plans = debits
        .iter()
        .enumerate()
        .map(|(n, (who, minor))| {
            let d = debit(&ledger, slots[*who], n, *minor);
            ledger.plan(slots[*who], &d, at).unwrap().ok()
        })
        .collect();
    (ledger, slots, plans)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// What the connected accounts lose, the platform gains: in its available balance, or
    /// held as reserve.
    #[test]
    fn money_is_conserved_across_a_batch((balances, debits) in batch()) {
        let (ledger, slots, plans) = run(&balances, &debits);
        let lost: i64 = slots.iter().zip(&balances).map(|(s, b)| b - available(&ledger, *s)).sum();
        let platform_gain = ledger.platform_available().available(Currency::USD).unwrap().minor() - 1_000;
        let reserved: i64 = plans.iter().flatten().map(|p| p.reserve().minor()).sum();
        prop_assert_eq!(lost, platform_gain + reserved);
        let debited: i64 = plans.iter().flatten().map(|p| p.transfer().amount().minor()).sum();
        prop_assert_eq!(lost, debited);
    }

    /// The reserve a batch holds is the growth of the book computed from the balances.
    #[test]
    fn the_reserve_after_a_batch_is_the_book_of_its_final_balances((balances, debits) in batch()) {
        let (initial, _) = ledger(&balances, 1_000);
        let before = initial.book().unwrap();
        let (ledger, _, plans) = run(&balances, &debits);
        let after = ledger.book().unwrap();
        let held: i64 = plans.iter().flatten().map(|p| p.reserve().minor()).sum();
        let total = |book: &ReserveBook| book.total().available(Currency::USD).map_or(0, |m| m.minor());
        prop_assert_eq!(total(&after), total(&before) + held);
        let change = before.change_to(&after, ledger.platform_available()).unwrap();
        let change_held: i64 = change.currencies().iter().map(|c| c.held().minor()).sum();
        prop_assert_eq!(change_held, held);
    }

    /// The final reserve of a set of accepted Stripe-managed debits does not depend on
    /// their order.
    #[test]
    fn the_final_reserve_does_not_depend_on_the_order((balances, debits) in batch(), seed in any::<u64>()) {
        let (_, _, plans) = run(&balances, &debits);
        let accepted: Vec<(usize, i64)> = debits.iter().zip(&plans).filter(|(_, p)| p.is_some()).map(|(d, _)| *d).collect();
        let mut shuffled = accepted.clone();
        // A Fisher-Yates shuffle driven by `seed`.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let j = usize::try_from(state >> 33).unwrap() % (i + 1);
            shuffled.swap(i, j);
        }
        let (in_order, _, first) = run(&balances, &accepted);
        let (reordered, _, second) = run(&balances, &shuffled);
        prop_assert!(first.iter().chain(&second).all(Option::is_some));
        let (a, b) = (in_order.book().unwrap(), reordered.book().unwrap());
        prop_assert_eq!(a.total(), b.total());
    }

    /// Without connected reserves, no debit of an account whose losses the platform bears
    /// leaves its balance below zero, in a batch mixing both kinds of account.
    #[test]
    fn no_platform_managed_debit_without_reserves_leaves_a_negative_balance(
        (balances, debits) in batch(),
        platform_liable in prop::collection::vec(any::<bool>(), 6),
        negatives_allowed in any::<bool>(),
    ) {
        let mut ledger = Ledger::new(
            Platform::new(account("acct_1Platform", LossLiability::Stripe)),
            Balance::empty(),
        )
        .with_platform_reserves(PlatformReserves::Disabled)
        .with_negative_balances_allowed(negatives_allowed);
        let slots: Vec<AccountSlot> = balances
            .iter()
            .enumerate()
            .map(|(i, minor)| {
                let liability = if platform_liable[i] { LossLiability::Platform } else { LossLiability::Stripe };
                let connected = account(&format!("acct_1C{i}"), liability).with_verified_bank_account(Currency::USD);
                ledger
                    .add_account(Connected::new(connected), Balance::new([usd(*minor)]).unwrap(), Some(consent()))
                    .unwrap()
            })
            .collect();
        let at = Timestamp::from_unix(AT);
        for (n, (who, minor)) in debits.iter().enumerate() {
            let d = debit(&ledger, slots[*who], n, *minor).with_purpose(Purpose::Recovery);
            if let Ok(plan) = ledger.plan(slots[*who], &d, at).unwrap()
                && plan.flow() == Flow::PlatformManaged
            {
                prop_assert!(!plan.connected_available().after().is_negative(), "{plan:?}");
                prop_assert_eq!(plan.reserve().minor(), 0);
            }
        }
    }
}

/// A batch for the ledger's own rules: debit ids drawn from four (so they repeat), on a
/// platform whose balance is zero or at most 20,000 cents below the top of Stripe's
/// integer amount.
fn edge_batch() -> impl Strategy<Value = (Vec<i64>, i64, Vec<(usize, u8, i64)>)> {
    (1usize..4).prop_flat_map(|accounts| {
        (
            prop::collection::vec(-5_000i64..5_000, accounts),
            prop_oneof![Just(0i64), (0i64..20_000).prop_map(|room| i64::MAX - room)],
            prop::collection::vec((0..accounts, 0u8..4, -100i64..3_000), 0..30),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Every debit of a ledger is rejected with exactly the codes the oracle gives (the
    /// flow's, then `debit_id_reused` or `platform_balance_out_of_range`); whatever the
    /// platform's balance, nothing panics and money is conserved, counted in 128 bits.
    #[test]
    fn a_ledger_judges_its_own_rules_as_the_oracle_does((balances, platform, debits) in edge_batch()) {
        use std::collections::HashMap;
        let (mut ledger, slots) = ledger(&balances, platform);
        let at = Timestamp::from_unix(AT);
        let mut planned: HashMap<(usize, u8), u64> = HashMap::new();
        let mut reserved: i128 = 0;
        for (n, (who, id, minor)) in debits.iter().enumerate() {
            let slot = slots[*who];
            let account = *ledger.account(slot).unwrap();
            let debit = Debit::from_minor(
                format!("id-{id}").parse().unwrap(),
                *minor,
                Currency::USD,
                ReferenceTransaction::new("ch_1Charge".parse().unwrap(), account.id()),
            );
            // The same debit alone, against the balance the ones before it left.
            let input = DebitInput::new(
                Platform::new(*ledger.platform()),
                Connected::new(account),
                ledger.balance(slot).unwrap().clone(),
                debit,
                at,
            )
            .with_consent(consent());
            let platform_before = ledger.platform_available().available(Currency::USD).unwrap().minor();
            let expected = crate::common::invariants::expected_ledger_codes(
                &input,
                planned.get(&(*who, *id)).copied(),
                platform_before,
            );
            let result = ledger.plan(slot, &debit, at).unwrap();
            let codes: Vec<&str> = result.as_ref().err().map(|r| r.codes().collect()).unwrap_or_default();
            prop_assert_eq!(&codes, &expected);
            if let Ok(plan) = &result {
                planned.insert((*who, *id), u64::try_from(n).unwrap());
                reserved += i128::from(plan.reserve().minor());
            }
        }
        let lost: i128 = slots
            .iter()
            .zip(&balances)
            .map(|(s, b)| i128::from(*b) - i128::from(available(&ledger, *s)))
            .sum();
        let gained = i128::from(ledger.platform_available().available(Currency::USD).unwrap().minor())
            - i128::from(platform);
        prop_assert_eq!(lost, gained + reserved);
    }
}

/// The edge batches are only useful if they break both of the ledger's rules: count them.
#[test]
fn the_edge_batches_reach_both_ledger_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = edge_batch();
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..300 {
        let (balances, platform, debits) = strategy.new_tree(&mut runner).unwrap().current();
        let (mut ledger, slots) = ledger(&balances, platform);
        for (who, id, minor) in debits {
            let on = ledger.account(slots[who]).unwrap().id();
            let d = Debit::from_minor(
                format!("id-{id}").parse().unwrap(),
                minor,
                Currency::USD,
                ReferenceTransaction::new("ch_1Charge".parse().unwrap(), on),
            );
            if let Err(r) = ledger
                .plan(slots[who], &d, Timestamp::from_unix(AT))
                .unwrap()
            {
                for code in r.codes() {
                    *seen.entry(code).or_default() += 1;
                }
            }
        }
    }
    for kind in Ledger::RULES {
        assert!(seen.get(kind.code()).is_some_and(|n| *n >= 20), "{seen:?}");
    }
}

/// A batch whose reserve cannot be summed after it (beyond Stripe's integer amount) is
/// refused as a whole, and leaves the ledger as it was: nothing of it was applied.
#[test]
fn a_batch_whose_reserve_overflows_is_refused_and_undone() {
    let half = -(i64::MAX / 2);
    let (mut ledger, slots) = ledger(&[half, half, 1_000], 500);
    let at = Timestamp::from_unix(AT);
    let before = (
        ledger.balance(slots[0]).cloned(),
        ledger.balance(slots[2]).cloned(),
        ledger.platform_available().clone(),
    );
    // The reserve before: 2 * (i64::MAX / 2) = i64::MAX - 1, which fits.
    assert!(ledger.book().is_ok());
    let batch = [
        BatchDebit::new(slots[2], debit(&ledger, slots[2], 0, 100), at),
        BatchDebit::new(slots[0], debit(&ledger, slots[0], 1, 10), at),
    ];
    let err = ledger.run(&batch).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the reserve in usd does not fit stripe's integer amount"
    );
    assert_eq!(
        (
            ledger.balance(slots[0]).cloned(),
            ledger.balance(slots[2]).cloned(),
            ledger.platform_available().clone(),
        ),
        before
    );
    // The ids are free again, and the debits are numbered as if the batch never was.
    let plan = ledger
        .plan(slots[2], &batch[0].debit().clone(), at)
        .unwrap();
    assert!(plan.is_ok());
    let again = ledger
        .plan(slots[2], &batch[0].debit().clone(), at)
        .unwrap();
    assert!(
        again
            .unwrap_err()
            .to_string()
            .contains("(debit 0 of this ledger)")
    );
}

/// Issue 17, item 4: the ageing lists exactly the accounts the book counts; one whose
/// liability is unknown is listed by the book, not counted, and not aged.
#[test]
fn ageing_lists_only_the_accounts_the_book_counts() {
    let mut ledger = Ledger::new(
        Platform::new(account("acct_1Platform", LossLiability::Stripe)),
        Balance::empty(),
    );
    let since = Some(Timestamp::from_unix(AT - 179 * DAY));
    for (id, liability) in [
        ("acct_1A", LossLiability::Platform),
        ("acct_1B", LossLiability::Stripe),
        ("acct_1C", LossLiability::Unknown),
    ] {
        let connected = Connected::new(account(id, liability));
        let slot = ledger
            .add_account(connected, Balance::new([usd(-100)]).unwrap(), None)
            .unwrap();
        ledger.set_negative_since(slot, since);
    }
    let book = ledger.book().unwrap();
    let counted: Vec<String> = book
        .lines()
        .iter()
        .filter(|l| l.coverage().counts())
        .map(|l| l.account().to_string())
        .collect();
    assert_eq!(book.lines().len(), 3);
    let aged: Vec<(String, Coverage)> = ledger
        .ageing(Timestamp::from_unix(AT), 1)
        .lines()
        .iter()
        .map(|l| (l.account().to_string(), l.coverage()))
        .collect();
    assert_eq!(
        aged,
        [
            ("acct_1A".to_owned(), Coverage::PlatformLiable),
            ("acct_1B".to_owned(), Coverage::StripeManagedDebits)
        ]
    );
    assert_eq!(
        aged.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
        counted
    );
}

/// Issue 17, item 2, in the Rust API: the entries a ledger could not count make its book
/// incomplete, and every book it makes says so.
#[test]
fn uncounted_entries_make_the_book_incomplete() {
    let (mut ledger, slots) = ledger(&[-300], 0);
    assert!(ledger.book().unwrap().is_complete());
    let id = ledger.account(slots[0]).unwrap().id();
    let entry = UncountedEntry::new(id, "accounts[0].balance.available[1].amount", "not read");
    ledger.add_uncounted(entry.clone());
    assert_eq!(ledger.uncounted(), std::slice::from_ref(&entry));
    let book = ledger.book().unwrap();
    assert!(!book.is_complete());
    assert_eq!(book.uncounted(), std::slice::from_ref(&entry));
    // The reserve is what the entries read add up to.
    assert_eq!(book.total().available(Currency::USD), Some(usd(300)));
    let d = debit(&ledger, slots[0], 0, 100);
    let outcome = ledger
        .run(&[BatchDebit::new(slots[0], d, Timestamp::from_unix(AT))])
        .unwrap();
    assert!(!outcome.book_before().is_complete() && !outcome.book_after().is_complete());
    assert!(
        ReserveBook::default()
            .with_uncounted([entry])
            .uncounted()
            .len()
            == 1
    );
}

/// Issue 17, item 11: the send schedule starts the planned debits in order, `rate` a
/// second; a rejected debit has no start.
#[test]
fn a_batch_is_scheduled_at_the_ledgers_rate() {
    let (ledger, slots) = ledger(&[10_000], 0);
    assert_eq!(ledger.send_rate(), SendRate::DEFAULT);
    assert_eq!(SendRate::DEFAULT.per_second(), 20);
    assert_eq!(SendRate::default(), SendRate::DEFAULT);
    let mut ledger = ledger.with_send_rate(SendRate::new(3).unwrap());
    let at = Timestamp::from_unix(AT);
    let batch: Vec<BatchDebit> = [100, 0, 100, 100, 100]
        .iter()
        .enumerate()
        .map(|(n, minor)| BatchDebit::new(slots[0], debit(&ledger, slots[0], n, *minor), at))
        .collect();
    let outcome = ledger.run(&batch).unwrap();
    let schedule = outcome.schedule();
    assert_eq!(schedule.rate().per_second(), 3);
    // 1000 / 3 ms apart, rounded up: 0, 334, 667, 1000.
    assert_eq!(
        schedule.offsets(),
        [Some(0), None, Some(334), Some(667), Some(1_000)]
    );
    assert_eq!((schedule.requests(), schedule.last_offset_ms()), (4, 1_000));
    assert_eq!((schedule.offset_ms(1), schedule.offset_ms(9)), (None, None));
    let empty = Schedule::of(&[], SendRate::DEFAULT);
    assert_eq!((empty.requests(), empty.last_offset_ms()), (0, 0));
    assert_eq!(SendRate::new(0), None);
    assert_eq!(
        SendRate::new(u32::MAX).unwrap().offset_ms(u64::MAX),
        4_294_967_297_000
    );
    assert_eq!(SendRate::new(1).unwrap().offset_ms(u64::MAX), u64::MAX);
}

proptest! {
    /// No window of one second holds more than `rate` starts, and the schedule is no
    /// slower than it needs to be: request `n + rate` starts exactly a second after `n`.
    #[test]
    fn no_second_holds_more_than_the_rate(rate in 1u32..300, n in 0u64..2_000) {
        let rate = SendRate::new(rate).unwrap();
        let per = u64::from(rate.per_second());
        let offsets: Vec<u64> = (0..n).map(|k| rate.offset_ms(k)).collect();
        prop_assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
        for (k, start) in offsets.iter().enumerate() {
            let within = offsets[k..].iter().take_while(|t| **t < start + 1_000).count();
            prop_assert!(u64::try_from(within).unwrap() <= per, "{} starts from {}", within, start);
        }
        for k in 0..n {
            prop_assert_eq!(rate.offset_ms(k + per), rate.offset_ms(k) + 1_000);
        }
    }
}

#[cfg(feature = "serde")]
mod json {
    use stripe_account_debits::json;

    const BOOK: &str = include_str!("../../examples/book/batch.json");

    #[track_caller]
    fn error_of(change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut book: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        change(&mut book);
        json::read_book(&book.to_string()).unwrap_err().to_string()
    }

    #[test]
    fn a_book_is_read_with_every_error_naming_its_path() {
        let book = json::read_book(BOOK).unwrap();
        assert_eq!(
            (book.ledger().len(), book.debits().len(), book.within_days()),
            (3, 3, 30)
        );
        assert_eq!(book.debits()[2].at().unix(), 1_764_003_600);
        assert_eq!(book.debits()[0].at(), book.at());
        assert_eq!(
            error_of(|b| b["accounts"][2]["account"]["id"] = "acct_1BookStripeManaged01".into()),
            "accounts[2].account.id: account acct_1BookStripeManaged01 is listed twice"
        );
        assert_eq!(
            error_of(|b| b["accounts"][1]["balance"]["available"][0]["amount"] = "lots".into()),
            "accounts[1].balance.available[0].amount: expected a 64-bit integer, found a string"
        );
        assert_eq!(
            error_of(|b| b["accounts"][1]["negative_since"] = "june".into()),
            "accounts[1].negative_since: expected a 64-bit integer, found a string"
        );
        assert_eq!(
            error_of(|b| b["debits"][1]["debit"]["currency"] = "xyz".into()),
            "debits[1].debit.currency: unknown currency \"xyz\""
        );
        assert_eq!(
            error_of(|b| b["within_days"] = (-1).into()),
            "within_days: expected a number of days from 0 to 4294967295"
        );
        assert_eq!(
            error_of(|b| b["accounts"] = serde_json::json!({})),
            "accounts: expected an array, found an object"
        );
        assert_eq!(
            error_of(|b| b["accounts"][0] = 7.into()),
            "accounts[0]: expected a JSON object, found an integer"
        );
        let mut no_debits: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        no_debits.as_object_mut().unwrap().remove("debits");
        no_debits
            .as_object_mut()
            .unwrap()
            .remove("platform_balance");
        let book = json::read_book(&no_debits.to_string()).unwrap();
        assert!(
            book.debits().is_empty() && book.ledger().platform_available().iter().next().is_none()
        );
        assert!(json::read_book_with_limit(BOOK, 10).is_err());
    }

    /// Issue 17, items 5 and 11 in a book: a cap that cannot be one is refused, a USD cap
    /// applies when lower than Stripe's, and the send rate is read and written.
    #[test]
    fn a_books_caps_and_send_rate() {
        assert_eq!(
            error_of(|b| b["amount_caps"] = serde_json::json!({ "usd": 0 })),
            "amount_caps.usd: a cap must be more than zero, not 0"
        );
        for (rate, message) in [
            (
                serde_json::json!(0),
                "expected a number of requests a second from 1 to 4294967295",
            ),
            (
                serde_json::json!(-3),
                "expected a number of requests a second from 1 to 4294967295",
            ),
            (
                serde_json::json!("fast"),
                "expected a 64-bit integer, found a string",
            ),
        ] {
            assert_eq!(
                error_of(|b| b["requests_per_second"] = rate),
                format!("requests_per_second: {message}")
            );
        }
        let mut doc: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        doc["requests_per_second"] = 4.into();
        let book = json::read_book(&doc.to_string()).unwrap();
        assert_eq!(book.ledger().send_rate().per_second(), 4);
        let before = book.ledger().clone();
        let (mut ledger, debits) = book.into_parts();
        let outcome = ledger.run(&debits).unwrap();
        let out =
            serde_json::to_value(json::batch_output(&before, &ledger, &debits, &outcome)).unwrap();
        let offsets: Vec<&serde_json::Value> = out["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["send_at_offset_ms"])
            .collect();
        assert_eq!(
            offsets,
            [
                &serde_json::json!(0),
                &serde_json::Value::Null,
                &serde_json::json!(250)
            ]
        );
        assert_eq!(
            out["schedule"],
            serde_json::json!({ "requests_per_second": 4, "requests": 2, "last_offset_ms": 250 })
        );
        // The example's platform-liable account, debited through a USD cap of 1.00 USD.
        let mut doc: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        doc["amount_caps"] = serde_json::json!({ "usd": 100 });
        doc["platform_reserves_enabled"] = true.into();
        doc["negative_balances_allowed"] = true.into();
        doc["debits"] = serde_json::json!([{ "account": "acct_1BookPlatformLiable1",
            "debit": { "id": "fee-1", "amount": 101, "currency": "usd", "purpose": "recovery" } }]);
        let (mut ledger, debits) = json::read_book(&doc.to_string()).unwrap().into_parts();
        let outcome = ledger.run(&debits).unwrap();
        let rejection = outcome.results()[0].as_ref().unwrap_err();
        // (Its balance is below zero, with no bank account on file: a second rule.)
        assert_eq!(
            rejection.codes().collect::<Vec<_>>(),
            ["amount_over_cap", "negative_balance_without_bank_account"]
        );
        assert!(
            rejection.violations()[0]
                .to_string()
                .contains("more than the 1.00 usd")
        );
    }

    /// Issue 17, defect 2: entries of a balance that cannot be read are not silently left
    /// out of the book: each is named with its path and why, and the book says it is not
    /// complete.
    #[test]
    fn a_book_with_entries_it_cannot_read_says_so() {
        let mut doc: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        let entries = doc["accounts"][1]["balance"]["available"]
            .as_array_mut()
            .unwrap();
        entries.push(serde_json::json!({ "amount": "-150000", "currency": "eur" }));
        entries.push(serde_json::json!({ "amount": -2000, "currency": "xyz" }));
        let book = json::read_book(&doc.to_string()).unwrap();
        let reserve = book.ledger().book().unwrap();
        let ageing = book.ledger().ageing(book.at(), book.within_days());
        let out =
            serde_json::to_value(json::book_output(&reserve, &ageing, book.within_days())).unwrap();
        assert_eq!(out["complete"], false, "{out:#}");
        assert_eq!(
            out["uncounted"],
            serde_json::json!([
                { "account": "acct_1BookPlatformLiable1",
                  "path": "accounts[1].balance.available[1].amount",
                  "error": "expected a 64-bit integer, found a string" },
                { "account": "acct_1BookPlatformLiable1",
                  "path": "accounts[1].balance.available[2].currency",
                  "error": "unknown currency \"xyz\"" },
            ])
        );
        // The batch says so too.
        let before = book.ledger().clone();
        let (mut ledger, debits) = book.into_parts();
        let outcome = ledger.run(&debits).unwrap();
        let out =
            serde_json::to_value(json::batch_output(&before, &ledger, &debits, &outcome)).unwrap();
        assert_eq!(out["complete"], false, "{out:#}");
        assert_eq!(out["uncounted"].as_array().map(Vec::len), Some(2));
        // The platform's balance too; and a balance with more than 16 such entries is
        // refused, naming it.
        let mut doc: serde_json::Value = serde_json::from_str(BOOK).unwrap();
        doc["platform_balance"]["available"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "amount": 5, "currency": "zzz" }));
        let book = json::read_book(&doc.to_string()).unwrap();
        let uncounted = book.ledger().uncounted();
        assert_eq!(
            (
                uncounted[0].account().as_str(),
                uncounted[0].path(),
                uncounted.len()
            ),
            (
                "acct_1BookPlatform000001",
                "platform_balance.available[1].currency",
                1
            )
        );
        let entries = doc["accounts"][0]["balance"]["available"]
            .as_array_mut()
            .unwrap();
        for n in 0..17 {
            entries.push(serde_json::json!({ "amount": n, "currency": format!("q{n:02}") }));
        }
        assert_eq!(
            json::read_book(&doc.to_string()).unwrap_err().to_string(),
            "accounts[0].balance.available: 17 entries cannot be read, more than the 16 a \
             book lists"
        );
        doc["accounts"][0]["balance"]["available"]
            .as_array_mut()
            .unwrap()
            .pop();
        assert_eq!(
            json::read_book(&doc.to_string())
                .unwrap()
                .ledger()
                .uncounted()
                .len(),
            17
        );
        // The example as it is: complete, nothing uncounted.
        let book = json::read_book(BOOK).unwrap();
        let reserve = book.ledger().book().unwrap();
        let ageing = book.ledger().ageing(book.at(), book.within_days());
        let out =
            serde_json::to_value(json::book_output(&reserve, &ageing, book.within_days())).unwrap();
        assert_eq!(
            (&out["complete"], &out["uncounted"]),
            (&serde_json::json!(true), &serde_json::json!([]))
        );
    }
}

#[test]
fn a_batch_says_each_outcome_and_how_the_reserve_changed() {
    let (mut ledger, slots) = ledger(&[1_000, -70], 0);
    let before = ledger.book().unwrap();
    let at = Timestamp::from_unix(AT);
    let batch: Vec<BatchDebit> = [800, 0, 800]
        .iter()
        .enumerate()
        .map(|(n, minor)| BatchDebit::new(slots[0], debit(&ledger, slots[0], n, *minor), at))
        .collect();
    assert_eq!((batch[2].slot(), batch[2].at()), (slots[0], at));
    assert_eq!(batch[1].debit().id().as_str(), "debit-1");
    let outcome = ledger.run(&batch).unwrap();
    let planned: Vec<bool> = outcome.results().iter().map(Result::is_ok).collect();
    assert_eq!(planned, [true, false, true]);
    assert_eq!(outcome.rejected(), 1);
    assert_eq!(outcome.book_before(), &before);
    assert_eq!(
        outcome.book_before().total().available(Currency::USD),
        Some(usd(70))
    );
    assert_eq!(outcome.book_after(), &ledger.book().unwrap());
    assert_eq!(
        outcome.book_after().total().available(Currency::USD),
        Some(usd(670))
    );
    let [usd_change] = outcome.change().currencies() else {
        panic!()
    };
    assert_eq!(
        (
            usd_change.held().minor(),
            usd_change.platform_available().minor()
        ),
        (600, 1_000)
    );
    // Two rejected, none planned; and an empty batch.
    let zero = |n| BatchDebit::new(slots[1], debit(&ledger, slots[1], n, 0), at);
    let none_planned = ledger.run(&[zero(5), zero(6)]).unwrap();
    assert_eq!(none_planned.rejected(), 2);
    assert_eq!(ledger.run(&[]).unwrap().rejected(), 0);
    // A slot of another ledger stops the batch, and the ledger is put back as it was:
    // whether the slot comes in the first group of 12 debits or a later one.
    let (other, other_slots) = self::ledger(&[1, 2, 3], 0);
    let foreign = BatchDebit::new(other_slots[2], debit(&other, other_slots[2], 9, 1), at);
    let fresh = {
        let (on, slot) = (ledger.clone(), slots[0]);
        move |n| BatchDebit::new(slot, debit(&on, slot, n, 1), at)
    };
    let book_before = ledger.book().unwrap();
    let platform_before = ledger.platform_available().clone();
    for before in [1, 12, 40] {
        let mut stopped: Vec<BatchDebit> = (0..before).map(|n| fresh(100 + n)).collect();
        stopped.push(foreign.clone());
        stopped.push(fresh(500));
        let mut handed = 0;
        assert_eq!(
            ledger.run_each(&stopped, |_| handed += 1).unwrap_err(),
            LedgerError::UnknownSlot(other_slots[2])
        );
        assert_eq!(
            handed,
            before / 12 * 12,
            "the groups before the slot's: {before}"
        );
        assert_eq!(ledger.book().unwrap(), book_before);
        assert_eq!(ledger.platform_available(), &platform_before);
        // The debits before it were put back with their keys: they plan again.
        let again = ledger.preview_each(&stopped[..before], |_| {});
        assert_eq!(again.unwrap().0.rejected(), 0);
    }
    assert_eq!(
        LedgerError::UnknownSlot(other_slots[2]).to_string(),
        "slot 2 is not an account of this ledger"
    );
}

#[test]
fn a_ledger_holds_the_platforms_caps_and_reserves() {
    let platform = Platform::new(Account::new(
        "acct_1Platform".parse().unwrap(),
        "DE".parse().unwrap(),
        Currency::EUR,
        LossLiability::Stripe,
    ));
    let empty = Ledger::new(platform, Balance::empty());
    assert!(empty.is_empty());
    assert_eq!(empty.accounts().len(), 0);
    let eur = |minor| Money::from_minor(minor, Currency::EUR).unwrap();
    let mut ledger = Ledger::new(platform, Balance::empty())
        .with_platform_reserves(PlatformReserves::Enabled)
        .with_negative_balances_allowed(true)
        .with_amount_cap(eur(100))
        .with_amount_cap(usd(5))
        .with_amount_cap(eur(1_000));
    let connected = Account::new(
        "acct_1Express".parse().unwrap(),
        "DE".parse().unwrap(),
        Currency::EUR,
        LossLiability::Platform,
    )
    .with_verified_bank_account(Currency::EUR);
    let slot = ledger
        .add_account(
            Connected::new(connected),
            Balance::new([eur(100)]).unwrap(),
            Some(consent()),
        )
        .unwrap();
    assert!(!ledger.is_empty());
    let at = Timestamp::from_unix(AT);
    // Each debit has an id of its own: a planned id is not planned again.
    let debit = |minor| {
        Debit::without_reference(
            format!("fee-{minor}").parse().unwrap(),
            Decimal::new(minor, 2),
            Currency::EUR,
        )
        .with_purpose(Purpose::Adjustment)
    };
    // The second EUR cap replaced the first: 9.00 EUR is within 10.00 EUR.
    let plan = ledger.plan(slot, &debit(900), at).unwrap().unwrap();
    assert_eq!(plan.flow(), Flow::PlatformManaged);
    // Negatives allowed and reserves enabled: below zero is allowed (with a verified bank
    // account).
    assert_eq!(plan.connected_available().after().minor(), -800);
    let rejection = ledger.plan(slot, &debit(1_001), at).unwrap().unwrap_err();
    assert_eq!(rejection.codes().collect::<Vec<_>>(), ["amount_over_cap"]);
    // A cap in another currency is kept beside this one.
    let gbp = |minor| Money::from_minor(minor, Currency::GBP).unwrap();
    let british = |id: &str, liability| {
        Account::new(
            id.parse().unwrap(),
            "GB".parse().unwrap(),
            Currency::GBP,
            liability,
        )
        .with_verified_bank_account(Currency::GBP)
    };
    let mut two_caps = Ledger::new(
        Platform::new(british("acct_1Platform", LossLiability::Stripe)),
        Balance::empty(),
    )
    .with_amount_cap(gbp(100))
    .with_amount_cap(eur(1_000));
    let slot = two_caps
        .add_account(
            Connected::new(british("acct_1British", LossLiability::Platform)),
            Balance::new([gbp(10_000)]).unwrap(),
            Some(consent()),
        )
        .unwrap();
    let pounds = Debit::without_reference(
        "fee-gbp".parse().unwrap(),
        Decimal::new(200, 2),
        Currency::GBP,
    )
    .with_purpose(Purpose::Recovery);
    let rejection = two_caps.plan(slot, &pounds, at).unwrap().unwrap_err();
    assert_eq!(rejection.codes().collect::<Vec<_>>(), ["amount_over_cap"]);
    // The USD cap is not the EUR debit's: with no EUR cap, it is not checked.
    let mut usd_only = Ledger::new(platform, Balance::empty()).with_amount_cap(usd(5));
    let slot = usd_only
        .add_account(
            Connected::new(connected),
            Balance::new([eur(100_000)]).unwrap(),
            Some(consent()),
        )
        .unwrap();
    let plan = usd_only.plan(slot, &debit(50_000), at).unwrap().unwrap();
    let codes: Vec<&str> = plan.advisories().iter().map(|a| a.code()).collect();
    assert_eq!(codes, ["amount_cap_unchecked"]);
}

/// Issue 17, defect 1: a debit id planned before in the ledger is refused (Stripe would
/// replay the first debit's result under the same idempotency key), and changes nothing.
#[test]
fn a_debit_id_already_planned_on_the_account_is_refused_and_changes_nothing() {
    let (mut ledger, slots) = ledger(&[1_000, 1_000], 0);
    let at = Timestamp::from_unix(AT);
    let same_id = |ledger: &Ledger, slot, minor| {
        let on = ledger.account(slot).unwrap().id();
        Debit::from_minor(
            "recovery-1".parse().unwrap(),
            minor,
            Currency::USD,
            ReferenceTransaction::new("ch_1Charge".parse().unwrap(), on),
        )
    };
    let batch = [
        BatchDebit::new(slots[0], same_id(&ledger, slots[0], 800), at),
        BatchDebit::new(slots[0], same_id(&ledger, slots[0], 800), at),
        BatchDebit::new(slots[0], same_id(&ledger, slots[0], 300), at),
        // The same id on another account is another idempotency key: planned.
        BatchDebit::new(slots[1], same_id(&ledger, slots[1], 100), at),
    ];
    let outcome = ledger.run(&batch).unwrap();
    let codes: Vec<Vec<&str>> = outcome
        .results()
        .iter()
        .map(|r| r.as_ref().map_or_else(|e| e.codes().collect(), |_| vec![]))
        .collect();
    assert_eq!(
        codes,
        [
            vec![],
            vec!["debit_id_reused"],
            vec!["debit_id_reused"],
            vec![]
        ]
    );
    let rejection = outcome.results()[1].as_ref().unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "debit rejected: debit id recovery-1 of connected account acct_1C0 was planned \
         before (debit 0 of this ledger): stripe would replay that debit's result for its \
         idempotency key, not debit again"
    );
    // Only the first debit moved money: 1000 - 800 = 200, and 1000 - 100 = 900.
    assert_eq!(available(&ledger, slots[0]), 200);
    assert_eq!(available(&ledger, slots[1]), 900);
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(900))
    );
    // A later batch on the same ledger refuses the id too; a new id is planned.
    let again = ledger
        .plan(slots[0], &same_id(&ledger, slots[0], 50), at)
        .unwrap()
        .unwrap_err();
    assert_eq!(again.codes().collect::<Vec<_>>(), ["debit_id_reused"]);
    assert!(
        ledger
            .plan(slots[0], &debit(&ledger, slots[0], 7, 50), at)
            .unwrap()
            .is_ok()
    );
}

/// A debit rejected for another reason leaves its id free: nothing was sent under it.
#[test]
fn a_rejected_debit_does_not_use_up_its_id() {
    let (mut ledger, slots) = ledger(&[1_000], 0);
    let at = Timestamp::from_unix(AT);
    let zero = debit(&ledger, slots[0], 0, 0);
    assert!(ledger.plan(slots[0], &zero, at).unwrap().is_err());
    let same = debit(&ledger, slots[0], 0, 100);
    assert!(ledger.plan(slots[0], &same, at).unwrap().is_ok());
    // A debit that breaks a rule of its own and reuses an id lists both, in the table's
    // order.
    let both = debit(&ledger, slots[0], 0, 0);
    let rejection = ledger.plan(slots[0], &both, at).unwrap().unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["amount_not_positive", "debit_id_reused"]
    );
}

/// Issue 17, defect 3: a platform balance at the edge of Stripe's integer amount. A debit
/// that would take it beyond is rejected with its own violation, and changes nothing;
/// never a panic, never money lost.
#[test]
fn a_debit_that_would_overflow_the_platforms_balance_is_rejected() {
    let (mut ledger, slots) = ledger(&[1_000], i64::MAX - 100);
    let at = Timestamp::from_unix(AT);
    let small = debit(&ledger, slots[0], 0, 100);
    assert!(ledger.plan(slots[0], &small, at).unwrap().is_ok());
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(i64::MAX))
    );
    let one_more = debit(&ledger, slots[0], 1, 1);
    let rejection = ledger.plan(slots[0], &one_more, at).unwrap().unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["platform_balance_out_of_range"]
    );
    assert_eq!(
        rejection.to_string(),
        "debit rejected: the platform's available balance of 92233720368547758.07 usd \
         plus the 0.01 usd this debit brings in does not fit stripe's integer amount"
    );
    assert_eq!(available(&ledger, slots[0]), 900);
    assert_eq!(
        ledger.platform_available().available(Currency::USD),
        Some(usd(i64::MAX))
    );
}

/// The book's deserializer door (for a binding's own objects) reads a book as the text
/// reader does, errors included.
#[cfg(feature = "serde")]
#[test]
fn the_book_door_reads_as_the_text_reader_does() {
    use stripe_account_debits::json;
    for text in [
        include_str!("../../examples/book/batch.json"),
        include_str!("../../examples/book/incomplete.json"),
    ] {
        let by_text = json::read_book(text).unwrap();
        let by_door =
            json::book_from_deserializer(&mut serde_json::Deserializer::from_str(text)).unwrap();
        let out = |book: json::BookInput| {
            let before = book.ledger().clone();
            let (mut ledger, debits) = book.into_parts();
            let outcome = ledger.run(&debits).unwrap();
            json::batch_output(&before, &ledger, &debits, &outcome)
        };
        assert_eq!(out(by_door), out(by_text));
    }
    let value = serde_json::json!({"at": 1, "platform_account": null});
    let err = json::book_from_deserializer(&value).unwrap_err();
    assert_eq!(err.to_string(), "platform_account: missing");
}

/// The order of an interleaving of `debits` (each an account index first): every account's
/// debits keep their order, and which account's next debit comes next is drawn from `seed`.
/// Each entry is a debit's index in `debits`.
fn interleaving<T>(debits: &[(usize, T)], accounts: usize, seed: u64) -> Vec<usize> {
    let mut queues: Vec<std::collections::VecDeque<usize>> = vec![Default::default(); accounts];
    for (n, (who, _)) in debits.iter().enumerate() {
        queues[*who].push_back(n);
    }
    let mut state = seed;
    let mut order = Vec::with_capacity(debits.len());
    while order.len() < debits.len() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let waiting: Vec<usize> = (0..accounts).filter(|a| !queues[*a].is_empty()).collect();
        let who = waiting[usize::try_from(state >> 33).unwrap() % waiting.len()];
        order.push(queues[who].pop_front().unwrap());
    }
    order
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// A batch given in another order, each account's debits still in theirs (as the
    /// benchmark's scattered batch is), gives every debit the outcome it has in order:
    /// the same plan, or the same rejection (a reused id's earlier debit being the same
    /// debit, at its place in this order); the same balances, platform balance, book and
    /// number of requests; and money is conserved. Ids repeat (four per account), so
    /// `debit_id_reused` is judged too.
    #[test]
    fn a_batch_in_another_order_gives_each_debit_the_same_outcome(
        (balances, debits) in edge_batch().prop_map(|(b, _, d)| {
            (b, d.into_iter().map(|(who, id, minor)| (who, (id, minor))).collect::<Vec<_>>())
        }),
        seed in any::<u64>(),
    ) {
        let at = Timestamp::from_unix(AT);
        let (mut in_order, slots) = ledger(&balances, 1_000);
        let mut reordered = in_order.clone();
        let batch: Vec<BatchDebit> = debits
            .iter()
            .map(|(who, (id, minor))| {
                let on = in_order.account(slots[*who]).unwrap().id();
                let debit = Debit::from_minor(
                    format!("id-{id}").parse().unwrap(),
                    *minor,
                    Currency::USD,
                    ReferenceTransaction::new("ch_1Charge".parse().unwrap(), on),
                );
                BatchDebit::new(slots[*who], debit, at)
            })
            .collect();
        let order = interleaving(&debits, balances.len(), seed);
        let shuffled: Vec<BatchDebit> = order.iter().map(|n| batch[*n].clone()).collect();
        let first = in_order.run(&batch).unwrap();
        let second = reordered.run(&shuffled).unwrap();
        for (place, n) in order.iter().enumerate() {
            match (&first.results()[*n], &second.results()[place]) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(a), Err(b)) => {
                    prop_assert_eq!(a.violations().len(), b.violations().len());
                    for (a, b) in a.violations().iter().zip(b.violations()) {
                        match (a, b) {
                            (
                                Violation::DebitIdReused { account, debit_id, earlier, .. },
                                Violation::DebitIdReused { account: b_account, debit_id: b_id, earlier: b_earlier, .. },
                            ) => {
                                prop_assert_eq!((account, debit_id), (b_account, b_id));
                                let b_earlier = order[usize::try_from(*b_earlier).unwrap()];
                                prop_assert_eq!(*earlier, u64::try_from(b_earlier).unwrap());
                            }
                            (a, b) => prop_assert_eq!(a, b),
                        }
                    }
                }
                (a, b) => prop_assert!(false, "debit {n}: {a:?} in order, {b:?} reordered"),
            }
        }
        for slot in &slots {
            prop_assert_eq!(in_order.balance(*slot), reordered.balance(*slot));
        }
        prop_assert_eq!(in_order.platform_available(), reordered.platform_available());
        prop_assert_eq!(first.book_after(), second.book_after());
        prop_assert_eq!(first.rejected(), second.rejected());
        prop_assert_eq!(first.schedule().requests(), second.schedule().requests());
        // Money is conserved: what the accounts lost, the platform gained or holds.
        let lost: i64 = slots.iter().zip(&balances).map(|(s, b)| b - available(&reordered, *s)).sum();
        let gained = reordered.platform_available().available(Currency::USD).unwrap().minor() - 1_000;
        let held: i64 = second.results().iter().flatten().map(|p| p.reserve().minor()).sum();
        prop_assert_eq!(lost, gained + held);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A batch (which reads each group of debits' memory before judging the group) hands
    /// over, in order and under each debit's index, what planning the debits one by one
    /// gives: over batches of several groups, with ids reused within a group, across
    /// groups and on other accounts.
    #[test]
    fn a_batch_hands_over_what_planning_one_by_one_gives(
        (balances, debits) in (1usize..5).prop_flat_map(|accounts| (
            prop::collection::vec(0i64..5_000, accounts),
            prop::collection::vec((0..accounts, 0usize..12, -100i64..800), 0..80),
        ))
    ) {
        let at = Timestamp::from_unix(AT);
        let (mut one_by_one, slots) = ledger(&balances, 1_000);
        let batch: Vec<BatchDebit> = debits
            .iter()
            .map(|(who, id, minor)| BatchDebit::new(slots[*who], debit(&one_by_one, slots[*who], *id, *minor), at))
            .collect();
        let mut batched = one_by_one.clone();
        let expected: Vec<_> = batch
            .iter()
            .map(|d| one_by_one.plan(d.slot(), d.debit(), d.at()).unwrap())
            .collect();
        let mut handed = Vec::new();
        batched
            .run_each(&batch, |judged| handed.push((judged.index(), judged.into_result())))
            .unwrap();
        let indices: Vec<usize> = handed.iter().map(|(index, _)| *index).collect();
        prop_assert_eq!(indices, (0..batch.len()).collect::<Vec<_>>());
        let results: Vec<_> = handed.into_iter().map(|(_, result)| result).collect();
        prop_assert_eq!(results, expected);
        for slot in &slots {
            prop_assert_eq!(available(&batched, *slot), available(&one_by_one, *slot));
        }
    }
}

proptest! {
    /// A start offset is `nth` × 1000 / rate rounded up, exactly, whatever `nth` (below and
    /// past where `nth` × 1000 overflows 64 bits) and the rate.
    #[test]
    fn a_start_offset_is_exact_at_any_count(
        nth in prop_oneof![0u64..1_000_000, any::<u64>(), (u64::MAX / 1_000 - 2)..=(u64::MAX / 1_000 + 2)],
        rate in prop_oneof![1u32..100, any::<u32>().prop_filter("a rate", |r| *r > 0)],
    ) {
        let exact = (u128::from(nth) * 1_000).div_ceil(u128::from(rate));
        let offset = SendRate::new(rate).unwrap().offset_ms(nth);
        prop_assert_eq!(u128::from(offset), exact.min(u128::from(u64::MAX)));
    }
}
