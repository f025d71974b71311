//! Any bytes into the book reader, then the batch and the book: never a panic; invalid
//! input or a batch whose money is conserved (what the accounts lose, the platform gains,
//! reserves included), which plans as the debits planned one by one, and whose reserve
//! change is the difference of the books; output that is JSON, the same whether kept whole
//! or written as it goes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stripe_account_debits::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(book) = json::read_book(text) else {
        return;
    };
    let reserve = book.ledger().book();
    let ageing = book.ledger().ageing(book.at(), book.within_days());
    if let Ok(reserve) = &reserve {
        let out = json::book_output(reserve, &ageing, book.within_days());
        assert!(serde_json::to_value(&out).is_ok_and(|v| v.is_object()));
    }
    let before = book.ledger().clone();
    let (mut ledger, debits) = book.into_parts();
    let Ok(outcome) = ledger.run(&debits) else {
        return;
    };
    assert_eq!(outcome.results().len(), debits.len());
    // The batch (which reads each group of debits' memory before judging the group) plans
    // what planning the debits one by one plans.
    let mut one_by_one = before.clone();
    for (debit, result) in debits.iter().zip(outcome.results()) {
        let alone = one_by_one.plan(debit.slot(), debit.debit(), debit.at());
        assert_eq!(alone.as_ref(), Some(result));
    }
    // Conservation, per currency, in 128 bits.
    let mut lost: std::collections::BTreeMap<String, i128> = Default::default();
    for ((_, was), (_, is)) in before.accounts().zip(ledger.accounts()) {
        for money in was.iter() {
            let after = is
                .available(money.currency())
                .map_or(0, |m| i128::from(m.minor()));
            *lost.entry(money.currency().code().to_owned()).or_default() +=
                i128::from(money.minor()) - after;
        }
    }
    for plan in outcome.results().iter().flatten() {
        let amount = plan.transfer().amount();
        let gained = i128::from(plan.platform_available_change().minor())
            + i128::from(plan.reserve().minor());
        assert_eq!(gained, i128::from(amount.minor()), "{plan:?}");
    }
    let debited: i128 = outcome
        .results()
        .iter()
        .flatten()
        .map(|p| i128::from(p.transfer().amount().minor()))
        .sum();
    let lost_total: i128 = lost.values().sum();
    // Debits in a currency an account's balance did not list start from zero.
    assert!(lost_total <= debited, "{lost_total} > {debited}");
    for change in outcome.change().currencies() {
        assert_eq!(
            i128::from(change.after().minor()) - i128::from(change.before().minor()),
            i128::from(change.held().minor()) - i128::from(change.released().minor())
        );
    }
    let out = serde_json::to_value(json::batch_output(&before, &ledger, &debits, &outcome))
        .expect("the batch's output is JSON");
    assert!(out["outcomes"].is_array());
    // The batch written as it goes is the same output.
    let streamed = json::Batch::run(before, &debits).expect("the batch planned once");
    assert_eq!(serde_json::to_value(&streamed).ok(), Some(out));
});
