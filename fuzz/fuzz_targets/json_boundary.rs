//! Any bytes into the scenario reader and then `plan_debit`: never a panic; exactly one of
//! planned, rejected or invalid input; the output is JSON that parses back and says which.
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
            let expected = if result.is_ok() { "planned" } else { "rejected" };
            let output = json::outcome(&result);
            assert_eq!(output.kind(), expected);
            (output.to_string(), expected)
        }
    };
    let parsed: Value = serde_json::from_str(&output).expect("the output is JSON");
    assert_eq!(parsed["outcome"], expected, "{output}");
});
