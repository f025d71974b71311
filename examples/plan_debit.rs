//! Plans one Account Debit and prints the outcome as one JSON object on standard output.
//!
//! ```text
//! cargo run --features serde --example plan_debit               # the built-in demo scenario
//! cargo run --features serde --example plan_debit -- FILE.json  # a scenario of your own
//! cargo run --features serde --example plan_debit -- -          # a scenario on stdin
//! ```
//!
//! Exit status: 0 when planned, 1 when rejected, 2 when the input is unusable.

use std::io::{Read, Write};
use std::process::ExitCode;

use stripe_account_debits::json::{self, ScenarioError};
use stripe_account_debits::plan_debit;

/// The built-in scenario: a US platform recovers 5.00 USD from a US connected account with
/// Stripe managed risk that has 10.00 USD available.
const DEMO: &str = include_str!("scenarios/demo.json");

/// The scenario text, or why it cannot be read.
fn read_input(arg: Option<&str>) -> Result<String, ScenarioError> {
    match arg {
        None => Ok(DEMO.to_owned()),
        Some("-") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                ScenarioError::document(format_args!("cannot read standard input: {e}"))
            })?;
            Ok(text)
        }
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::document(format_args!("cannot read {path}: {e}"))),
    }
}

/// The JSON to print and the exit status.
fn run(arg: Option<&str>) -> (String, u8) {
    match read_input(arg).and_then(|text| json::read_scenario(&text)) {
        Err(error) => (format!("{:#}", json::invalid_input(&error)), 2),
        Ok(input) => {
            let result = plan_debit(&input);
            let status = if result.is_ok() { 0 } else { 1 };
            (format!("{:#}", json::outcome(&result)), status)
        }
    }
}

fn main() -> ExitCode {
    let arg = std::env::args().nth(1);
    let (output, status) = run(arg.as_deref());
    // Not `println!`, which panics when the reader has gone away (`| head`).
    if writeln!(std::io::stdout().lock(), "{output}").is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(status)
}
