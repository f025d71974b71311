//! `account-debits`: the command line of `stripe-account-debits`. It reads a JSON scenario
//! (Stripe objects as the API returns them), plans the debit, and prints the outcome as one
//! JSON object.
//!
//! ```text
//! account-debits plan FILE.json     # a scenario of your own
//! account-debits plan -             # a scenario on standard input
//! account-debits plan --demo        # the built-in scenario
//! ```
//!
//! Exit status: 0 when planned, 1 when rejected, 2 when the input cannot be used (a file
//! that cannot be read, JSON that is not a scenario, or a command line clap refuses).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use stripe_account_debits::json::{self, ScenarioError};
use stripe_account_debits::plan_debit;

/// Plan Stripe Connect Account Debits offline, exactly, from Stripe's own objects.
#[derive(Debug, Parser)]
#[command(name = "account-debits", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plan one debit and print the outcome as JSON: exit 0 planned, 1 rejected, 2 invalid
    /// input.
    Plan(PlanArgs),
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct PlanArgs {
    /// The scenario: a JSON file, or `-` for standard input.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Plan the built-in scenario instead: a US platform recovers 5.00 USD from a US
    /// connected account that has 10.00 USD available.
    #[arg(long)]
    demo: bool,
}

/// The built-in scenario.
const DEMO: &str = include_str!("../../examples/scenarios/demo.json");

/// Exit statuses.
const PLANNED: u8 = 0;
const REJECTED: u8 = 1;
const INVALID_INPUT: u8 = 2;

/// The scenario's text, or why it cannot be had.
fn read_scenario_text(args: &PlanArgs) -> Result<String, ScenarioError> {
    if args.demo {
        return Ok(DEMO.to_owned());
    }
    match args.file.as_deref() {
        Some(path) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                ScenarioError::document(format_args!("cannot read standard input: {e}"))
            })?;
            Ok(text)
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            ScenarioError::document(format_args!("cannot read {}: {e}", path.display()))
        }),
        // clap requires a file or --demo.
        None => Err(ScenarioError::document("no scenario given")),
    }
}

/// The JSON to print and the exit status.
fn plan(args: &PlanArgs) -> (String, u8) {
    match read_scenario_text(args).and_then(|text| json::read_scenario(&text)) {
        Err(error) => (format!("{:#}", json::invalid_input(&error)), INVALID_INPUT),
        Ok(input) => {
            let result = plan_debit(&input);
            let status = if result.is_ok() { PLANNED } else { REJECTED };
            (format!("{:#}", json::outcome(&result)), status)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (output, status) = match &cli.command {
        Command::Plan(args) => plan(args),
    };
    // Not `println!`, which panics when the reader has gone away (`| head`).
    if writeln!(std::io::stdout().lock(), "{output}").is_err() {
        return ExitCode::from(INVALID_INPUT);
    }
    ExitCode::from(status)
}
