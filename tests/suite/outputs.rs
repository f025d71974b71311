//! The typed outputs: each reads back as the value it was (what Python's pickling relies
//! on), says the kind its JSON says, and the batch written as it goes is the batch kept
//! whole.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use stripe_account_debits::book::Ledger;
use stripe_account_debits::json::{self, Batch, BatchKind, BookKind};
use stripe_account_debits::plan_debit;

/// `value` written, then read back: the same value.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + core::fmt::Debug>(value: &T) -> Value {
    let written = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(&back, value, "{written:#}");
    // And writes the same JSON text again.
    assert_eq!(serde_json::to_value(&back).unwrap(), written);
    written
}

fn lifecycle(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/examples/lifecycle/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn every_scenario_outcome_reads_back() {
    for name in [
        "demo",
        "rejected",
        "platform_managed",
        "platform_managed_v2",
        "invalid",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/examples/scenarios/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let outcome = match json::read_scenario(&text) {
            Ok(input) => json::outcome(&plan_debit(&input)),
            Err(error) => json::invalid_input(&error),
        };
        let written = round_trip(&outcome);
        assert_eq!(written["outcome"], outcome.kind().code(), "{name}");
    }
}

#[test]
fn every_lifecycle_output_reads_back_and_says_its_kind() {
    for name in [
        "reply-confirmed",
        "reply-failed",
        "reply-in-doubt",
        "reply-mismatch",
        "reply-retry",
    ] {
        let decision = json::reply(&lifecycle(name)).unwrap();
        let written = round_trip(&decision);
        assert_eq!(written["next"], decision.kind().code(), "{name}");
        assert_eq!(
            name.strip_prefix("reply-").unwrap().replace('-', "_"),
            decision.kind().code()
        );
    }
    for name in ["find-duplicated", "find-found", "find-not-found"] {
        let found = json::find(&lifecycle(name)).unwrap();
        let written = round_trip(&found);
        assert_eq!(written["outcome"], found.kind().code(), "{name}");
        assert_eq!(
            written["transfers"],
            serde_json::to_value(found.transfers()).unwrap()
        );
    }
    for name in ["reverse-planned", "reverse-rejected"] {
        let reversal = json::reverse(&lifecycle(name)).unwrap();
        let written = round_trip(&reversal);
        assert_eq!(written["outcome"], reversal.kind().code(), "{name}");
    }
    assert!(json::reply(&lifecycle("reply-invalid")).is_err());
}

/// Another type's JSON does not read back as a value of the wrong kind: each record's
/// word (`"next"`, `"outcome"`) is checked.
#[test]
fn a_record_reads_back_only_as_its_own_kind() {
    let mut retry = serde_json::to_value(json::reply(&lifecycle("reply-retry")).unwrap()).unwrap();
    retry["next"] = "in_doubt".into();
    assert!(serde_json::from_value::<json::ReplyDecision>(retry).is_err());
    let planned =
        serde_json::to_value(json::reverse(&lifecycle("reverse-planned")).unwrap()).unwrap();
    assert!(serde_json::from_value::<json::FindResult>(planned.clone()).is_err());
    assert!(serde_json::from_value::<json::Outcome>(planned).is_err());
}

fn book(name: &str) -> json::BookInput {
    json::read_book(
        &std::fs::read_to_string(format!(
            "{}/examples/book/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap()
}

#[test]
fn the_batch_written_as_it_goes_is_the_batch_kept_whole() {
    for (name, kind) in [
        ("batch", BatchKind::Rejected),
        ("incomplete", BatchKind::Incomplete),
    ] {
        let input = book(name);
        let before = input.ledger().clone();
        let (mut ledger, debits) = input.into_parts();
        let outcome = ledger.run(&debits).unwrap();
        let kept = json::batch_output(&before, &ledger, &debits, &outcome);
        let written = round_trip(&kept);
        assert_eq!(kept.kind(), kind, "{name}");

        let mut batch = Batch::run(before, &debits).unwrap();
        assert_eq!(batch.kind(), kind, "{name}");
        // Written as it goes, twice (each pass plans the batch again from the same ledger).
        for _ in 0..2 {
            let mut text = Vec::new();
            serde_json::to_writer_pretty(&mut text, &batch).unwrap();
            assert_eq!(
                String::from_utf8(text).unwrap(),
                serde_json::to_string_pretty(&kept).unwrap(),
                "{name}"
            );
        }
        let result = batch.result().unwrap();
        assert_eq!(result, kept, "{name}");
        assert_eq!(result.to_string(), written.to_string());
        let mut judged = Vec::new();
        batch
            .for_each(|j| judged.push((j.index(), j.send_at_offset_ms(), j.into_result())))
            .unwrap();
        assert_eq!(judged.len(), outcome.results().len());
        for ((index, offset, result), (n, expected)) in
            judged.into_iter().zip(outcome.results().iter().enumerate())
        {
            assert_eq!(
                (index, offset, &result),
                (n, outcome.schedule().offset_ms(n), expected)
            );
        }
    }
}

#[test]
fn the_book_reads_back_and_says_its_kind() {
    for (name, kind) in [
        ("batch", BookKind::Complete),
        ("incomplete", BookKind::Incomplete),
    ] {
        let input = book(name);
        let reserve = input.ledger().book().unwrap();
        let ageing = input.ledger().ageing(input.at(), input.within_days());
        let result = json::book_output(&reserve, &ageing, input.within_days());
        round_trip(&result);
        assert_eq!(result.kind(), kind, "{name}");
    }
}

/// A batch previewed leaves the ledger as it was: the same batch then runs as on a copy
/// never touched, and a second preview hands over the same results.
#[test]
fn a_preview_leaves_the_ledger_as_it_was() {
    let input = book("batch");
    let (mut ledger, debits) = input.into_parts();
    let untouched: Ledger = ledger.clone();
    let mut first = Vec::new();
    let (summary, after) = ledger
        .preview_each(&debits, |j| first.push(j.into_result()))
        .unwrap();
    let mut second = Vec::new();
    ledger
        .preview_each(&debits, |j| second.push(j.into_result()))
        .unwrap();
    assert_eq!(first, second);
    let mut copy = untouched.clone();
    let outcome = copy.run(&debits).unwrap();
    assert_eq!(outcome.results(), first.as_slice());
    assert_eq!(outcome.summary(), &summary);
    let balances: Vec<_> = copy.accounts().map(|(_, b)| b.clone()).collect();
    assert_eq!(balances, after);
    let now = ledger.run(&debits).unwrap();
    assert_eq!(now.results(), outcome.results());
    let balances_now: Vec<_> = ledger.accounts().map(|(_, b)| b.clone()).collect();
    assert_eq!(balances_now, after);
    // Every id the preview took was given back: the same batch runs again only on the
    // ledger that did not apply it.
    assert!(
        ledger
            .run(&debits)
            .unwrap()
            .results()
            .iter()
            .filter(|r| r.is_ok())
            .count()
            < outcome.results().iter().filter(|r| r.is_ok()).count()
    );
}
