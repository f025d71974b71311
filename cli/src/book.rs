//! `account-debits batch` and `account-debits book`: a platform's accounts and balances (and
//! a batch of debits) read from JSON, printed as JSON or as a table for people.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;
use stripe_account_debits::json::{self, ReadError};
use stripe_account_debits::{
    Ageing, BatchDebit, BatchOutcome, Ledger, Money, ReserveBook, SendRate, Timestamp,
};

use super::{INCOMPLETE, INVALID_INPUT, PLANNED, REJECTED, read_input};

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object (amounts in minor units).
    Json,
    /// A table for people (amounts in major units with their currency).
    Table,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    /// The book: a JSON file, or `-` for standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// The largest book read, in bytes; a larger one is invalid input.
    #[arg(long, value_name = "BYTES", default_value_t = json::DEFAULT_MAX_BOOK_BYTES)]
    max_bytes: usize,
    /// `batch`: how many requests to start a second in the send schedule
    /// (`send_at_offset_ms`); overrides the book's `requests_per_second`. Default 20, within
    /// Stripe's 25 a second per endpoint.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    requests_per_second: Option<u32>,
}

fn read(args: &BookArgs) -> Result<json::BookInput, ReadError> {
    let text = read_input(&args.file, args.max_bytes)?;
    json::read_book_with_limit(&text, args.max_bytes)
}

fn invalid(error: &ReadError) -> (String, u8) {
    (format!("{:#}", json::invalid_input(error)), INVALID_INPUT)
}

/// Plans the book's debits in order: exit 0 when every one is planned, 1 when any is
/// rejected, 2 for invalid input, 6 when the book is incomplete (whatever the debits: its
/// reserve may be short).
pub fn batch(args: &BookArgs) -> (String, u8) {
    let input = match read(args) {
        Ok(input) => input,
        Err(error) => return invalid(&error),
    };
    let before = input.ledger().clone();
    let (mut ledger, debits) = input.into_parts();
    if let Some(rate) = args.requests_per_second.and_then(SendRate::new) {
        ledger = ledger.with_send_rate(rate);
    }
    let outcome = match ledger.run(&debits) {
        Ok(outcome) => outcome,
        Err(error) => return invalid(&ReadError::document(error)),
    };
    let status = if !outcome.book_before().is_complete() {
        INCOMPLETE
    } else if outcome.rejected() == 0 {
        PLANNED
    } else {
        REJECTED
    };
    let text = match args.format {
        Format::Json => pretty(&json::batch_output(&before, &ledger, &debits, &outcome)),
        Format::Table => batch_table(&before, &ledger, &debits, &outcome),
    };
    (text, status)
}

/// The reserve book and ageing of the accounts as given (a batch's debits are not
/// planned): exit 0, 2 for invalid input, 6 when the book is incomplete.
pub fn book(args: &BookArgs) -> (String, u8) {
    let input = match read(args) {
        Ok(input) => input,
        Err(error) => return invalid(&error),
    };
    let reserve = match input.ledger().book() {
        Ok(reserve) => reserve,
        Err(error) => return invalid(&ReadError::document(error)),
    };
    let ageing = input.ledger().ageing(input.at(), input.within_days());
    let text = match args.format {
        Format::Json => pretty(&json::book_output(&reserve, &ageing, input.within_days())),
        Format::Table => book_table(&reserve, &ageing, input.within_days()),
    };
    let status = if reserve.is_complete() {
        PLANNED
    } else {
        INCOMPLETE
    };
    (text, status)
}

/// A time as its UTC date, `2025-11-24`, for people (the JSON keeps Stripe's seconds).
fn date(at: Timestamp) -> String {
    // Days since 1970-01-01 to a proleptic Gregorian date: the "civil from days" algorithm
    // of Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms", in 400-year eras
    // of 146,097 days, with years starting on March 1st so that leap days come last.
    let days = at.unix().div_euclid(86_400);
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// An amount for people: `-6.00 usd`.
fn major(money: Money) -> String {
    format!(
        "{} {}",
        money.amount(),
        money.currency().code().to_lowercase()
    )
}

/// Rows of cells, each column as wide as its widest cell; the first row is the header.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn batch_table(
    before: &Ledger,
    after: &Ledger,
    batch: &[BatchDebit],
    outcome: &BatchOutcome,
) -> String {
    let mut debits = vec![row(&[
        "debit",
        "account",
        "outcome",
        "amount",
        "reserve held",
        "send at",
    ])];
    for (index, (result, debit)) in outcome.results().iter().zip(batch).enumerate() {
        let account = after
            .account(debit.slot())
            .map_or_else(String::new, |a| a.id().to_string());
        let (status, held) = match result {
            Ok(plan) => ("planned".to_owned(), major(plan.reserve())),
            Err(rejection) => {
                let codes: Vec<&str> = rejection.codes().collect();
                (format!("rejected: {}", codes.join(", ")), String::new())
            }
        };
        debits.push(vec![
            debit.debit().id().to_string(),
            account,
            status,
            format!(
                "{} {}",
                debit.debit().amount(),
                debit.debit().currency().code().to_lowercase()
            ),
            held,
            outcome
                .schedule()
                .offset_ms(index)
                .map_or_else(String::new, |ms| format!("+{ms} ms")),
        ]);
    }
    let mut accounts = vec![row(&["account", "available before", "available after"])];
    for ((account, was), (_, is)) in before.accounts().zip(after.accounts()) {
        let list =
            |b: &stripe_account_debits::Balance| b.iter().map(major).collect::<Vec<_>>().join(", ");
        accounts.push(vec![account.id().to_string(), list(was), list(is)]);
    }
    let mut reserve = vec![row(&[
        "currency",
        "reserve before",
        "after",
        "held",
        "released",
        "platform available",
        "bank debit",
    ])];
    for c in outcome.change().currencies() {
        reserve.push(vec![
            c.currency().code().to_lowercase(),
            major(c.before()),
            major(c.after()),
            major(c.held()),
            major(c.released()),
            major(c.platform_available()),
            major(c.bank_debit()),
        ]);
    }
    let schedule = outcome.schedule();
    format!(
        "{}\n{}\n{}\n{}{} requests, {} a second, the last at +{} ms\n{} of {} debits rejected",
        table(&debits),
        table(&accounts),
        table(&reserve),
        uncounted_table(outcome.book_before()),
        schedule.requests(),
        schedule.rate().per_second(),
        schedule.last_offset_ms(),
        outcome.rejected(),
        outcome.results().len()
    )
}

/// The entries the book could not count, when there are: it is then incomplete.
fn uncounted_table(book: &ReserveBook) -> String {
    if book.is_complete() {
        return String::new();
    }
    let mut rows = vec![row(&["account", "not counted", "why"])];
    for entry in book.uncounted() {
        rows.push(vec![
            entry.account().to_string(),
            entry.path().to_owned(),
            entry.reason().to_owned(),
        ]);
    }
    format!(
        "the book is incomplete: these entries could not be read\n{}\n",
        table(&rows)
    )
}

fn book_table(reserve: &ReserveBook, ageing: &Ageing, within_days: u32) -> String {
    let mut totals = vec![row(&["currency", "reserve"])];
    for money in reserve.total().iter() {
        totals.push(vec![money.currency().code().to_lowercase(), major(money)]);
    }
    let mut lines = vec![row(&["account", "below zero", "counted", "why"])];
    for line in reserve.lines() {
        lines.push(vec![
            line.account().to_string(),
            major(line.negative()),
            if line.coverage().counts() {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            line.coverage().code().to_owned(),
        ]);
    }
    let mut aged = vec![row(&[
        "account",
        "negative since",
        "zeroed from the reserve at",
        "available",
    ])];
    for line in ageing.lines() {
        aged.push(vec![
            line.account().to_string(),
            date(line.negative_since()),
            date(line.zeroed_at()),
            line.available()
                .iter()
                .map(major)
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    format!(
        "{}\n{}\nzeroed within {within_days} days:\n{}{}",
        table(&totals),
        table(&lines),
        table(&aged),
        if reserve.is_complete() {
            String::new()
        } else {
            format!("\n{}", uncounted_table(reserve))
        }
    )
}
