//! `account-debits`: the command line of `stripe-account-debits`. It reads a JSON scenario
//! (Stripe objects as the API returns them), plans the debit, and prints the outcome as one
//! JSON object.
//!
//! ```text
//! account-debits plan FILE.json     # a scenario of your own
//! account-debits plan -             # a scenario on standard input
//! account-debits plan --demo        # the built-in scenario
//! account-debits batch BOOK.json    # debits in a row; --format table for people
//! account-debits book BOOK.json     # the platform's reserve and its ageing
//! account-debits reply FILE.json    # what Stripe's reply to the debit's request means
//! account-debits find FILE.json     # the debit among the connected account's transfers
//! account-debits reverse FILE.json  # the reversal of the debit's transfer
//! account-debits step FILE.json     # one step of the debit's state machine
//! ```
//!
//! Exit status, by command (2 is always input that cannot be used: a file that cannot be
//! read, JSON that is not the command's input, or a command line clap refuses):
//!
//! - `plan`: 0 planned, 1 rejected.
//! - `reply`: 0 confirmed, 1 failed or mismatch, 3 retry, 4 in doubt.
//! - `find`: 0 found, 1 duplicated (a double debit: undo the extra transfers), 5 not found.
//! - `reverse`: 0 planned, 1 rejected.
//! - `batch`: 0 every debit planned, 1 any rejected, 6 the book is incomplete (an entry of a
//!   balance could not be read: the document's `uncounted` names each; the outcomes are
//!   printed all the same).
//! - `book`: 0, or 6 when the book is incomplete.
//! - `step`: 0 done, confirmed; 1 done, failed (or, at the start, the debit rejected); 6
//!   escalate (a person must look); 7 send, list or wait (do it, then call `step` again
//!   with the state it printed).
//!
//! `step` reads `{"scenario": {...}, "state": null | {...}, "now_ms": 1764000000000,
//! "reply": null | {"status": 200, "headers": {...}, "body": ...}, "options": {...}}`
//! (`reply` absent: only ask; `null`: no reply came) and prints `{"state": {...},
//! "action": {"action": "send" | "list" | "wait" | "done" | "escalate", ...}}`: save the
//! state before making the request. See `stripe_account_debits::json::step`.

mod book;
mod stream;

use std::fmt::Display;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, Parser, Subcommand};
use stripe_account_debits::json::{self, PlanKind, ReadError, ReversalKind, StepKind};
use stripe_account_debits::lifecycle::{FindKind, ReplyKind};
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
    /// Plan a batch of debits in order, each against the balances the ones before it left,
    /// say how the platform's reserve changed and when to send each request: exit 0 all
    /// planned, 1 any rejected, 2 invalid input, 6 the book is incomplete (a balance entry
    /// could not be read).
    Batch(book::BatchArgs),
    /// The reserve Stripe holds on the platform for negative connected balances, and the
    /// accounts it zeroes after 180 days: exit 0, 2 for invalid input, 6 when the book is
    /// incomplete (a balance entry could not be read).
    Book(book::BookArgs),
    /// Decide what Stripe's reply to a debit's request means: exit 0 confirmed, 1 failed or
    /// mismatch, 2 invalid input, 3 retry, 4 in doubt.
    Reply(InputArgs),
    /// Look for the debit among the connected account's transfers: exit 0 found, 1
    /// duplicated, 2 invalid input, 5 not found.
    Find(InputArgs),
    /// Plan the reversal of the debit's transfer: exit 0 planned, 1 rejected, 2 invalid
    /// input.
    Reverse(InputArgs),
    /// One step of the debit's state machine (state and event in, new state and action
    /// out): exit 0 done (confirmed), 1 done (failed) or rejected, 2 invalid input, 6
    /// escalate, 7 send, list or wait (act, then call again).
    Step(InputArgs),
}

#[derive(Debug, Args)]
struct InputArgs {
    /// The input: a JSON file, or `-` for standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The largest input read, in bytes; a larger one is invalid input, refused before it
    /// is parsed.
    #[arg(long, value_name = "BYTES", default_value_t = json::DEFAULT_MAX_SCENARIO_BYTES)]
    max_bytes: usize,
}

#[derive(Debug, Args)]
#[group(skip)]
#[command(group = ArgGroup::new("scenario").required(true).multiple(false))]
struct PlanArgs {
    /// The scenario: a JSON file, or `-` for standard input.
    #[arg(value_name = "FILE", group = "scenario")]
    file: Option<PathBuf>,
    /// Plan the built-in scenario instead: a US platform recovers 5.00 USD from a US
    /// connected account that has 10.00 USD available.
    #[arg(long, group = "scenario")]
    demo: bool,
    /// The largest scenario read, in bytes; a larger one is invalid input, refused before
    /// it is parsed.
    #[arg(long, value_name = "BYTES", default_value_t = json::DEFAULT_MAX_SCENARIO_BYTES)]
    max_bytes: usize,
}

/// The built-in scenario.
const DEMO: &str = include_str!("../../examples/scenarios/demo.json");

/// Exit statuses.
const PLANNED: u8 = 0;
const REJECTED: u8 = 1;
const INVALID_INPUT: u8 = 2;
const RETRY: u8 = 3;
const IN_DOUBT: u8 = 4;
const NOT_FOUND: u8 = 5;
const INCOMPLETE: u8 = 6;
const ESCALATE: u8 = 6;
const ACT_AND_CALL_AGAIN: u8 = 7;

/// The scenario's text, or why it cannot be had.
fn read_scenario_text(args: &PlanArgs) -> Result<String, ReadError> {
    if args.demo {
        return Ok(DEMO.to_owned());
    }
    match args.file.as_deref() {
        Some(path) => stream::read_whole(path, args.max_bytes),
        // clap requires a file or --demo.
        None => Err(ReadError::document("no scenario given")),
    }
}

fn cannot_read(name: &str, error: &std::io::Error) -> ReadError {
    ReadError::document(format_args!("cannot read {name}: {error}"))
}

/// A command line clap refuses, as an input error: what is wrong, and the argument at
/// fault (quoted, escaped and cut short: it is the caller's text).
fn command_line_error(error: &clap::Error) -> ReadError {
    use clap::error::{ContextKind, ContextValue};
    let what = error.kind().as_str().unwrap_or("not understood");
    let arg = [
        ContextKind::InvalidSubcommand,
        ContextKind::InvalidArg,
        ContextKind::InvalidValue,
    ]
    .into_iter()
    .find_map(|kind| match error.get(kind) {
        Some(ContextValue::String(arg)) => Some(arg.clone()),
        Some(ContextValue::Strings(args)) => args.first().cloned(),
        _ => None,
    });
    match arg {
        Some(arg) => ReadError::document(format_args!(
            "the command line: {what}: {}",
            json::quoted(&arg)
        )),
        None => ReadError::document(format_args!("the command line: {what}")),
    }
}

/// Writes the input error `error` to `out`: exit status 2.
fn invalid(out: &mut dyn Write, error: &ReadError) -> io::Result<u8> {
    writeln!(out, "{:#}", json::invalid_input(error))?;
    Ok(INVALID_INPUT)
}

/// Runs `plan`: writes the outcome and returns the exit status.
fn plan(args: &PlanArgs, out: &mut dyn Write) -> io::Result<u8> {
    let read = read_scenario_text(args)
        .and_then(|text| json::read_scenario_with_limit(&text, args.max_bytes));
    let outcome = match read {
        Err(error) => json::invalid_input(&error),
        Ok(input) => json::outcome(&plan_debit(&input)),
    };
    writeln!(out, "{outcome:#}")?;
    Ok(match outcome.kind() {
        PlanKind::Planned => PLANNED,
        PlanKind::Rejected => REJECTED,
        PlanKind::InvalidInput => INVALID_INPUT,
    })
}

/// Runs a lifecycle command on its input: writes its output (or the input error) and
/// returns the exit status `status` gives for the output.
fn lifecycle<T: Display>(
    args: &InputArgs,
    out: &mut dyn Write,
    command: fn(&str) -> Result<T, ReadError>,
    status: fn(&T) -> u8,
) -> io::Result<u8> {
    match stream::read_whole(&args.file, args.max_bytes).and_then(|text| command(&text)) {
        Ok(output) => {
            writeln!(out, "{output:#}")?;
            Ok(status(&output))
        }
        Err(error) => invalid(out, &error),
    }
}

fn reply_status(decision: &json::ReplyDecision) -> u8 {
    match decision.kind() {
        ReplyKind::Confirmed => PLANNED,
        ReplyKind::Failed | ReplyKind::Mismatch => REJECTED,
        ReplyKind::Retry => RETRY,
        ReplyKind::InDoubt => IN_DOUBT,
    }
}

fn find_status(found: &json::FindResult) -> u8 {
    match found.kind() {
        FindKind::Found => PLANNED,
        FindKind::Duplicated => REJECTED,
        FindKind::NotFound => NOT_FOUND,
    }
}

fn reverse_status(reversal: &json::ReversalResult) -> u8 {
    match reversal.kind() {
        ReversalKind::Planned => PLANNED,
        ReversalKind::Rejected => REJECTED,
    }
}

/// Runs `step`: writes its output and returns the exit status, from every kind of output.
fn step(args: &InputArgs, out: &mut dyn Write) -> io::Result<u8> {
    let output = match stream::read_whole(&args.file, args.max_bytes) {
        Ok(text) => json::step(&text),
        Err(error) => return invalid(out, &error),
    };
    writeln!(out, "{output:#}")?;
    Ok(match output.kind() {
        StepKind::Confirmed => PLANNED,
        StepKind::Failed | StepKind::Rejected => REJECTED,
        StepKind::InvalidInput => INVALID_INPUT,
        StepKind::Escalate => ESCALATE,
        StepKind::Send | StepKind::List | StepKind::Wait => ACT_AND_CALL_AGAIN,
    })
}

/// Runs the command, writing its output to `out` as it goes: the exit status.
fn run(command: &Command, out: &mut dyn Write) -> io::Result<u8> {
    match command {
        Command::Plan(args) => plan(args, out),
        Command::Batch(args) => book::batch(args, out),
        Command::Book(args) => book::book(args, out),
        Command::Reply(args) => lifecycle(args, out, json::reply, reply_status),
        Command::Find(args) => lifecycle(args, out, json::find, find_status),
        Command::Reverse(args) => lifecycle(args, out, json::reverse, reverse_status),
        Command::Step(args) => step(args, out),
    }
}

fn main() -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    // Not `println!`, which panics when the reader has gone away (`| head`): a write that
    // fails ends the command with status 2.
    let status = match Cli::try_parse() {
        Ok(cli) => run(&cli.command, &mut out),
        // `--help` and `--version`: printed on standard output, exit 0.
        Err(error) if !error.use_stderr() => error.exit(),
        Err(error) => {
            // The usage on standard error, for people; the input error on standard
            // output, as every command prints one.
            let _ = error.print();
            invalid(&mut out, &command_line_error(&error))
        }
    };
    let status = status.and_then(|status| {
        out.flush()?;
        Ok(status)
    });
    ExitCode::from(status.unwrap_or(INVALID_INPUT))
}
