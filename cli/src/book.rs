//! `account-debits batch` and `account-debits book`: a platform's accounts and balances (and
//! a batch of debits) read from JSON, printed as JSON or as a table for people.

use std::io::{self, BufReader, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use stripe_account_debits::book::{Ageing, Judged, ReserveBook, SendRate};
use stripe_account_debits::json::{self, Batch, BatchKind, BookKind, ReadError};
use stripe_account_debits::stripe::Balance;
use stripe_account_debits::{AccountId, Money, Timestamp};

use super::stream::{self, Checked};
use super::{INCOMPLETE, PLANNED, REJECTED, invalid};

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
}

/// `batch`'s arguments: the book's, and the pace of the send schedule.
#[derive(Debug, Args)]
pub struct BatchArgs {
    #[command(flatten)]
    book: BookArgs,
    /// How many requests to start a second in the send schedule (`send_at_offset_ms`);
    /// overrides the book's `requests_per_second`. Default 20, within Stripe's 25 a second
    /// per endpoint.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    requests_per_second: Option<u32>,
}

/// The book, read from its file a piece at a time (the text is never held whole), with the
/// checks and errors of reading it whole.
fn read(args: &BookArgs) -> Result<json::BookInput, ReadError> {
    let (reader, name) = stream::open(&args.file)?;
    let mut buffered = BufReader::new(Checked::new(reader, args.max_bytes));
    let book = json::read_book_from_reader(&mut buffered);
    match buffered.into_inner().finish(&name) {
        Some(error) => Err(error),
        None => book,
    }
}

/// Plans the book's debits in order and writes what the batch did as it goes (each
/// debit's outcome written as it is planned, none kept): exit 0 when every one is planned,
/// 1 when any is rejected, 2 for invalid input, 6 when the book is incomplete (whatever the
/// debits: its reserve may be short).
pub fn batch(args: &BatchArgs, out: &mut dyn Write) -> io::Result<u8> {
    let BatchArgs {
        book: args,
        requests_per_second,
    } = args;
    let input = match read(args) {
        Ok(input) => input,
        Err(error) => return invalid(out, &error),
    };
    let (mut ledger, debits) = input.into_parts();
    if let Some(rate) = requests_per_second.and_then(SendRate::new) {
        ledger = ledger.with_send_rate(rate);
    }
    let mut batch = match Batch::run(ledger, &debits) {
        Ok(batch) => batch,
        Err(error) => return invalid(out, &ReadError::document(error)),
    };
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &batch)?;
            writeln!(out)?;
        }
        Format::Table => batch_table(&mut batch, out)?,
    }
    Ok(match batch.kind() {
        BatchKind::Planned => PLANNED,
        BatchKind::Rejected => REJECTED,
        BatchKind::Incomplete => INCOMPLETE,
    })
}

/// The reserve book and ageing of the accounts as given (a batch's debits are not
/// planned): exit 0, 2 for invalid input, 6 when the book is incomplete.
pub fn book(args: &BookArgs, out: &mut dyn Write) -> io::Result<u8> {
    let input = match read(args) {
        Ok(input) => input,
        Err(error) => return invalid(out, &error),
    };
    let reserve = match input.ledger().book() {
        Ok(reserve) => reserve,
        Err(error) => return invalid(out, &ReadError::document(error)),
    };
    let ageing = input.ledger().ageing(input.at(), input.within_days());
    let result = json::book_output(&reserve, &ageing, input.within_days());
    match args.format {
        Format::Json => writeln!(out, "{result:#}")?,
        Format::Table => writeln!(
            out,
            "{}",
            book_table(&reserve, &ageing, input.within_days())
        )?,
    }
    Ok(match result.kind() {
        BookKind::Complete => PLANNED,
        BookKind::Incomplete => INCOMPLETE,
    })
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

/// An amount for people: `-6.00 usd`.
fn major(money: Money) -> String {
    format!(
        "{} {}",
        money.amount(),
        money.currency().code().to_lowercase()
    )
}

/// The widths of a table's columns, each as wide as its widest cell: known from a first
/// pass over the rows, so that the rows can then be written one by one.
struct Columns(Vec<usize>);

impl Columns {
    /// The widths of a table with `header` and no rows yet.
    fn new(header: &[&str]) -> Columns {
        Columns(header.iter().map(|cell| cell.chars().count()).collect())
    }

    /// Widens the columns to fit `row`.
    fn fit<S: AsRef<str>>(&mut self, row: &[S]) {
        for (width, cell) in self.0.iter_mut().zip(row) {
            *width = (*width).max(cell.as_ref().chars().count());
        }
    }

    /// Writes `row`, each cell padded to its column's width.
    fn write<S: AsRef<str>>(&self, out: &mut dyn Write, row: &[S]) -> io::Result<()> {
        let cells: Vec<String> = row
            .iter()
            .zip(&self.0)
            .map(|(cell, width)| format!("{:<width$}", cell.as_ref()))
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())
    }
}

/// Rows of cells, each column as wide as its widest cell; the first row is the header.
fn table(rows: &[Vec<String>]) -> String {
    let mut columns = Columns(Vec::new());
    for row in rows {
        columns.0.resize(columns.0.len().max(row.len()), 0);
        columns.fit(row);
    }
    let mut out = Vec::new();
    for row in rows {
        // Writing to memory does not fail.
        let _ = columns.write(&mut out, row);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

const DEBIT_HEADER: [&str; 6] = [
    "debit",
    "account",
    "outcome",
    "amount",
    "reserve held",
    "send at",
];

/// A debit's row.
fn debit_row(judged: &Judged<'_>) -> [String; 6] {
    let debit = judged.debit().debit();
    let (status, held) = match judged.result() {
        Ok(plan) => ("planned".to_owned(), major(plan.reserve())),
        Err(rejection) => {
            let codes: Vec<&str> = rejection.codes().collect();
            (format!("rejected: {}", codes.join(", ")), String::new())
        }
    };
    [
        debit.id().to_string(),
        judged.account().to_string(),
        status,
        format!(
            "{} {}",
            debit.amount(),
            debit.currency().code().to_lowercase()
        ),
        held,
        judged
            .send_at_offset_ms()
            .map_or_else(String::new, |ms| format!("+{ms} ms")),
    ]
}

/// Writes the batch as tables for people: its debits (planned twice, once to size the
/// columns and once to write the rows: none is kept), its accounts, the reserve.
fn batch_table(batch: &mut Batch<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut debits = Columns::new(&DEBIT_HEADER);
    batch
        .for_each(|judged| debits.fit(&debit_row(&judged)))
        .map_err(io::Error::other)?;
    debits.write(out, &DEBIT_HEADER)?;
    let mut written = Ok(());
    batch
        .for_each(|judged| {
            if written.is_ok() {
                written = debits.write(out, &debit_row(&judged));
            }
        })
        .map_err(io::Error::other)?;
    written?;
    writeln!(out)?;
    let header = ["account", "available before", "available after"];
    let account_row =
        |(account, was, is)| [AccountId::to_string(&account), amounts(was), amounts(is)];
    let mut accounts = Columns::new(&header);
    for account in batch.accounts() {
        accounts.fit(&account_row(account));
    }
    accounts.write(out, &header)?;
    for account in batch.accounts() {
        accounts.write(out, &account_row(account))?;
    }
    writeln!(out)?;
    let summary = batch.summary();
    let mut reserve = vec![row(&[
        "currency",
        "reserve before",
        "after",
        "held",
        "released",
        "platform available",
        "bank debit",
    ])];
    for c in summary.change().currencies() {
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
    writeln!(
        out,
        "{}\n{}{} requests, {} a second, the last at +{} ms\n{} of {} debits rejected",
        table(&reserve),
        uncounted_table(summary.book_before()),
        summary.requests(),
        summary.rate().per_second(),
        summary.last_offset_ms(),
        summary.rejected(),
        summary.judged()
    )
}

/// A balance for people: each entry in major units, `-6.00 usd, 1.00 eur`.
fn amounts(balance: &Balance) -> String {
    balance.iter().map(major).collect::<Vec<_>>().join(", ")
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
