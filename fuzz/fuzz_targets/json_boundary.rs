//! Any bytes into the scenario reader and then `plan_debit`: never a panic; exactly one of
//! planned, rejected or invalid input; the output is JSON that parses back and says which;
//! and the text and its parsed `serde_json::Value` (the two doors) read the same, unless the
//! text gives a key twice (which a `Value` cannot hold): the same plan or rejection, or
//! both invalid input (which error is named first may differ, since a `Value` visits an
//! object's keys sorted, and the text in its own order).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use stripe_account_debits::{json, plan_debit};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (output, expected) = match json::read_scenario(text) {
        Err(error) => {
            assert!(!error.to_string().is_empty());
            (json::invalid_input(&error).to_string(), "invalid_input")
        }
        Ok(input) => {
            let result = plan_debit(&input);
            let expected = if result.is_ok() {
                "planned"
            } else {
                "rejected"
            };
            let output = json::outcome(&result);
            assert_eq!(output.kind().code(), expected);
            (output.to_string(), expected)
        }
    };
    let parsed: Value = serde_json::from_str(&output).expect("the output is JSON");
    assert_eq!(parsed["outcome"], expected, "{output}");

    if let Ok(value) = serde_json::from_str::<Value>(text) {
        let from_text = json::read_scenario(text);
        let duplicate = matches!(&from_text, Err(e) if e.message().ends_with("is given twice"));
        if !duplicate && text.len() <= json::DEFAULT_MAX_SCENARIO_BYTES {
            let from_value = json::scenario_from_value(&value);
            match (from_text, from_value) {
                (Ok(a), Ok(b)) => assert_eq!(
                    format!("{:?}", plan_debit(&a)),
                    format!("{:?}", plan_debit(&b)),
                    "{text}"
                ),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("text read {a:?}, its Value {b:?}: {text}"),
            }
        }
    }
});
