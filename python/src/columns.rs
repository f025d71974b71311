//! `Ledger` and `DebitColumns`: a platform's ledger built once from a book's platform and
//! accounts (read by the library's book reader), and many debits planned on it from
//! columns (one Python sequence per field) instead of one dict per debit.
//!
//! Each row is converted with the library's own parsers (`AccountId`, `DebitId`,
//! `TransactionId`, `Purpose`, `parse_currency`, `Debit`) when its values are plain `str`
//! and `int`; any other row (a float, a `None` where a value belongs, an id that does not
//! parse, an `int` beyond `i64`) is read instead by the library's book reader, as the
//! debit of a one-debit book built from that row, so that what is accepted, and every
//! error, is the dict form's (`plan_batch`); the error's path is then the column's
//! (`amounts[17]`). The debits are judged by the library's `book::Ledger::run_each` (or
//! `preview_each`, which puts the ledger back): no rule lives here.

use std::collections::HashMap;
use std::sync::Arc;

use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyString};
use rust_decimal::Decimal;
use rustc_hash::FxBuildHasher;
use stripe_account_debits::book::{self, AccountSlot, BatchDebit, BatchSummary};
use stripe_account_debits::currency::{StripeCurrency, parse_currency};
use stripe_account_debits::json::out::{AccountBalances, BatchEntry, MoneyOut};
use stripe_account_debits::json::{self, ReadError};
use stripe_account_debits::stripe::{Balance, ReferenceTransaction};
use stripe_account_debits::{
    AccountId, Currency, Debit, DebitId, DebitPlan, Purpose, Rejection, Timestamp, TransactionId,
};

use crate::{de, out, pyser};

pub(crate) fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Ledger>()?;
    m.add_class::<DebitColumns>()?;
    Ok(())
}

/// A `ReadError` of `kind` at `path`, found here (not by the library's reader).
fn column_error(py: Python<'_>, kind: &str, path: &str, message: &str) -> PyErr {
    crate::read_error(py, kind, path, message, None)
}

/// The name of a value's Python type, for an error (escaped and cut short).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|name| json::quoted(&name.to_string_lossy()))
        .unwrap_or_else(|_| "object".to_owned())
}

/// A column: absent, one value for every row, or one value per row.
enum Column<'py> {
    Absent,
    One(Bound<'py, PyAny>),
    Rows(Bound<'py, PyList>),
}

impl<'py> Column<'py> {
    /// The column `name` from `obj`: `None` is absent when `optional`; a single value
    /// (a `str` or an `int`) is one for every row when `one`; a `list` is kept, a
    /// tuple or any other iterable copied into one; `str`, `bytes` and mappings are refused
    /// where rows belong.
    fn of(obj: &Bound<'py, PyAny>, name: &str, optional: bool, one: bool) -> PyResult<Self> {
        let py = obj.py();
        if optional && obj.is_none() {
            return Ok(Column::Absent);
        }
        let single = obj.is_instance_of::<PyString>()
            || (obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>());
        if one && single {
            return Ok(Column::One(obj.clone()));
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return Ok(Column::Rows(list.clone()));
        }
        let refused = obj.is_instance_of::<PyString>()
            || obj.is_instance_of::<PyBytes>()
            || obj.is_instance_of::<PyByteArray>()
            || obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyInt>()
            || obj.is_instance_of::<PyBool>()
            || obj.hasattr(pyo3::intern!(py, "keys"))?;
        let copied = if refused {
            None
        } else {
            py.get_type::<PyList>().call1((obj,)).ok()
        };
        match copied.and_then(|list| list.cast_into::<PyList>().ok()) {
            Some(list) => Ok(Column::Rows(list)),
            None => Err(column_error(
                py,
                "wrong_type",
                name,
                &format!(
                    "expected a list{}, found {}",
                    if one {
                        " or one value for every row"
                    } else {
                        ""
                    },
                    type_name(obj)
                ),
            )),
        }
    }

    /// How many rows it has, when it has its own.
    fn rows(&self) -> Option<usize> {
        match self {
            Column::Rows(list) => Some(list.len()),
            Column::Absent | Column::One(_) => None,
        }
    }

    /// Its value at row `i`: `None` when absent.
    fn get(&self, i: usize) -> Option<Bound<'py, PyAny>> {
        match self {
            Column::Absent => None,
            Column::One(value) => Some(value.clone()),
            Column::Rows(list) => list.get_item(i).ok(),
        }
    }

    /// The path of its value at row `i`: `name[i]`, or `name` for one value.
    fn path(&self, name: &str, i: usize) -> String {
        match self {
            Column::Rows(_) => format!("{name}[{i}]"),
            Column::Absent | Column::One(_) => name.to_owned(),
        }
    }
}

/// `value` as a `str`: the exact type first (a pointer comparison), then a subclass.
fn as_str<'a, 'py>(value: &'a Bound<'py, PyAny>) -> Option<&'a Bound<'py, PyString>> {
    match value.cast_exact::<PyString>() {
        Ok(text) => Some(text),
        Err(_) => value.cast::<PyString>().ok(),
    }
}

/// The text of `value` when it is a `str`, handed to `f`.
fn with_text<T>(value: &Bound<'_, PyAny>, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let borrowed = de::borrow_text(as_str(value)?).ok()?;
    f(&borrowed)
}

/// Whether `value` is an `int` and not a `bool`: the exact type first, a pointer comparison
/// (a subclass check is a call into the interpreter under the stable ABI), as `de.rs` does.
fn is_int(value: &Bound<'_, PyAny>) -> bool {
    value.is_exact_instance_of::<PyInt>()
        || (value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>())
}

/// `value` as an `i64` when it is an `int` (not a `bool`) within `i64`.
fn plain_i64(value: &Bound<'_, PyAny>) -> Option<i64> {
    if !is_int(value) {
        return None;
    }
    value.extract::<i64>().ok()
}

/// The currency of the last value read, kept while the next is the same object.
#[derive(Default)]
struct CurrencyCache<'py> {
    last: Option<(Bound<'py, PyAny>, Currency, u32)>,
}

impl<'py> CurrencyCache<'py> {
    /// The currency `value` names, as the library's reader reads a debit's currency (any
    /// ISO 4217 code, in either case; one Stripe does not move is for the rules), and the
    /// exponent of its wire amounts (0 for a currency Stripe does not move, as the reader
    /// takes it).
    fn get(&mut self, value: Bound<'py, PyAny>) -> Option<(Currency, u32)> {
        if let Some((last, currency, exponent)) = &self.last
            && last.is(&value)
        {
            return Some((*currency, *exponent));
        }
        let currency = with_text(&value, |text| match parse_currency(text) {
            Ok(currency) => Some(currency),
            Err(error) => error.currency(),
        })?;
        let exponent = StripeCurrency::of(currency).map_or(0, StripeCurrency::wire_exponent);
        self.last = Some((value, currency, exponent));
        Some((currency, exponent))
    }
}

/// The columns of a call to `plan_columns`, checked to have as many rows as `accounts`.
struct Columns<'py> {
    py: Python<'py>,
    rows: usize,
    /// The name of `accounts` in errors: `accounts`, or `account` for `Ledger.available`.
    accounts_name: &'static str,
    accounts: Column<'py>,
    debit_ids: Column<'py>,
    amounts: Column<'py>,
    currency: Column<'py>,
    references: Column<'py>,
    reference_accounts: Column<'py>,
    at: Column<'py>,
    purposes: Column<'py>,
}

/// The arguments of `plan_columns`, as given.
struct Args<'a, 'py> {
    accounts: &'a Bound<'py, PyAny>,
    debit_ids: &'a Bound<'py, PyAny>,
    amounts: &'a Bound<'py, PyAny>,
    currency: &'a Bound<'py, PyAny>,
    references: &'a Bound<'py, PyAny>,
    reference_accounts: &'a Bound<'py, PyAny>,
    at: &'a Bound<'py, PyAny>,
    purposes: &'a Bound<'py, PyAny>,
}

impl<'py> Columns<'py> {
    fn of(args: &Args<'_, 'py>) -> PyResult<Self> {
        let py = args.accounts.py();
        let accounts = Column::of(args.accounts, "accounts", false, false)?;
        let rows = accounts.rows().unwrap_or(0);
        let columns = Columns {
            py,
            rows,
            accounts_name: "accounts",
            accounts,
            debit_ids: Column::of(args.debit_ids, "debit_ids", false, false)?,
            amounts: Column::of(args.amounts, "amounts", false, false)?,
            currency: Column::of(args.currency, "currency", false, true)?,
            references: Column::of(args.references, "references", false, false)?,
            reference_accounts: Column::of(
                args.reference_accounts,
                "reference_accounts",
                true,
                false,
            )?,
            at: Column::of(args.at, "at", true, true)?,
            purposes: Column::of(args.purposes, "purposes", true, true)?,
        };
        for (name, column) in columns.named() {
            if let Some(found) = column.rows()
                && found != rows
            {
                return Err(column_error(
                    py,
                    "invalid",
                    name,
                    &format!(
                        "expected {rows} values, one for each of accounts' rows, found {found}"
                    ),
                ));
            }
        }
        Ok(columns)
    }

    fn named(&self) -> [(&'static str, &Column<'py>); 7] {
        [
            ("debit_ids", &self.debit_ids),
            ("amounts", &self.amounts),
            ("currency", &self.currency),
            ("references", &self.references),
            ("reference_accounts", &self.reference_accounts),
            ("at", &self.at),
            ("purposes", &self.purposes),
        ]
    }
}

/// A ledger's accounts, as rows name them.
struct Accounts {
    /// Each account's slot, by index.
    slots: Vec<AccountSlot>,
    /// Each account's id, by index.
    ids: Arc<[AccountId]>,
    /// Each account's slot by the text of its id: a row's id found here needs no parsing
    /// (it is the text of an id the library read). Hashed with `rustc-hash`'s Fx hash, not
    /// the standard library's SipHash, built to resist chosen keys, which costs more than
    /// the rest of a row's lookup: the keys are the ledger's own ids, and a row's text is
    /// only looked up, never inserted.
    by_text: HashMap<Box<str>, AccountSlot, FxBuildHasher>,
}

impl<'py> Columns<'py> {
    /// The account of row `i`: an index into the ledger's accounts, or an account id.
    fn slot(&self, i: usize, ledger: &book::Ledger, accounts: &Accounts) -> PyResult<AccountSlot> {
        let py = self.py;
        let path = || self.accounts.path(self.accounts_name, i);
        let value = self
            .accounts
            .get(i)
            .ok_or_else(|| column_error(py, "missing", &path(), "the row is missing"))?;
        if is_int(&value) {
            let index = value.extract::<usize>().ok();
            return index
                .and_then(|index| accounts.slots.get(index).copied())
                .ok_or_else(|| {
                    let message = format!(
                        "expected the index of one of the ledger's {} accounts, from 0",
                        accounts.slots.len()
                    );
                    column_error(py, "invalid", &path(), &message)
                });
        }
        let Some(text) = as_str(&value) else {
            let message = format!(
                "expected an account id (a string) or an index (an int), found {}",
                type_name(&value)
            );
            return Err(column_error(py, "wrong_type", &path(), &message));
        };
        let text = de::borrow_text(text)?;
        if let Some(slot) = accounts.by_text.get(text.as_ref()) {
            return Ok(*slot);
        }
        let id: AccountId = text
            .parse()
            .map_err(|e: stripe_account_debits::stripe::IdError| {
                column_error(py, "invalid", &path(), &e.to_string())
            })?;
        ledger.slot_of(&id).ok_or_else(|| {
            let message = format!("account {id} is not in accounts");
            column_error(py, "invalid", &path(), &message)
        })
    }

    /// Row `i`'s debit and time, from plain `str` and `int` values with the library's
    /// parsers; `None` for anything else (read then by [`Columns::library_row`]).
    fn fast_row(
        &self,
        i: usize,
        account: AccountId,
        at: Timestamp,
        currencies: &mut CurrencyCache<'py>,
    ) -> Option<(Debit, Timestamp)> {
        let at = match self.at.get(i) {
            Some(value) if !value.is_none() => Timestamp::from_unix(plain_i64(&value)?),
            _ => at,
        };
        let id: DebitId = with_text(&self.debit_ids.get(i)?, |t| t.parse().ok())?;
        let (currency, exponent) = currencies.get(self.currency.get(i)?)?;
        let minor = plain_i64(&self.amounts.get(i)?)?;
        let amount = Decimal::try_from_i128_with_scale(i128::from(minor), exponent).ok()?;
        let reference = self.references.get(i)?;
        let mut debit = if reference.is_none() {
            Debit::without_reference(id, amount, currency)
        } else {
            let transaction: TransactionId = with_text(&reference, |t| t.parse().ok())?;
            let created_on = match self.reference_accounts.get(i) {
                None => account,
                Some(value) => with_text(&value, |t| t.parse().ok())?,
            };
            let reference = ReferenceTransaction::new(transaction, created_on);
            Debit::new(id, amount, currency, reference)
        };
        if let Some(purpose) = self.purposes.get(i)
            && !purpose.is_none()
        {
            let purpose: Purpose = with_text(&purpose, |t| t.parse().ok())?;
            debit = debit.with_purpose(purpose);
        }
        Some((debit, at))
    }

    /// Row `i` as the one debit of a book (of the account only, on a platform of no
    /// consequence: only the debit is kept), read by the library's book reader: the debit and
    /// its time, or the reader's error with the column's path.
    fn library_row(
        &self,
        i: usize,
        account: AccountId,
        at: Timestamp,
    ) -> PyResult<(Debit, Timestamp)> {
        let py = self.py;
        let book = self.row_book(i, account, at)?;
        let read = crate::read_python_parts(&book, de::Reading::default(), |value| {
            json::book_from_deserializer(value)
        });
        match read {
            Ok(input) => match input.debits().first() {
                Some(debit) => Ok((*debit.debit(), debit.at())),
                None => Err(column_error(
                    py,
                    "document",
                    "",
                    "a row was read as no debit",
                )),
            },
            Err(mut failed) => {
                failed.path = self.column_path(&failed.path, i);
                Err(failed.into_err(py))
            }
        }
    }

    /// The one-debit book [`Columns::library_row`] reads: the dict form of row `i`.
    fn row_book(
        &self,
        i: usize,
        account: AccountId,
        at: Timestamp,
    ) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let id = account.to_string();
        let debit = PyDict::new(py);
        debit.set_item("id", self.debit_ids.get(i))?;
        debit.set_item("amount", self.amounts.get(i))?;
        debit.set_item("currency", self.currency.get(i))?;
        if let Some(reference) = self.references.get(i)
            && !reference.is_none()
        {
            let transaction = PyDict::new(py);
            transaction.set_item("id", reference)?;
            match self.reference_accounts.get(i) {
                Some(created_on) => transaction.set_item("account", created_on)?,
                None => transaction.set_item("account", &id)?,
            }
            debit.set_item("reference_transaction", transaction)?;
        }
        if let Some(purpose) = self.purposes.get(i) {
            debit.set_item("purpose", purpose)?;
        }
        let row = PyDict::new(py);
        row.set_item("account", &id)?;
        if let Some(when) = self.at.get(i) {
            row.set_item("at", when)?;
        }
        row.set_item("debit", debit)?;
        let connected = PyDict::new(py);
        connected.set_item("id", &id)?;
        connected.set_item("country", "US")?;
        connected.set_item("default_currency", "usd")?;
        let balance = PyDict::new(py);
        balance.set_item("available", PyList::empty(py))?;
        let entry = PyDict::new(py);
        entry.set_item("account", connected)?;
        entry.set_item("balance", balance)?;
        let platform = PyDict::new(py);
        platform.set_item("id", "acct_1ColumnsRowPlatform")?;
        platform.set_item("country", "US")?;
        platform.set_item("default_currency", "usd")?;
        let book = PyDict::new(py);
        book.set_item("at", at.unix())?;
        book.set_item("platform_account", platform)?;
        book.set_item("accounts", PyList::new(py, [entry])?)?;
        book.set_item("debits", PyList::new(py, [row])?)?;
        Ok(book)
    }

    /// The column's path of what the library's reader names `library` in row `i`'s book.
    fn column_path(&self, library: &str, i: usize) -> String {
        let rest = library.strip_prefix("debits[0]").unwrap_or(library);
        let column = match rest {
            ".account" => Some(("accounts", &self.accounts)),
            ".at" => Some(("at", &self.at)),
            ".debit.id" => Some(("debit_ids", &self.debit_ids)),
            ".debit.amount" => Some(("amounts", &self.amounts)),
            ".debit.currency" => Some(("currency", &self.currency)),
            ".debit.reference_transaction.id" => Some(("references", &self.references)),
            ".debit.reference_transaction.account" => {
                Some(("reference_accounts", &self.reference_accounts))
            }
            ".debit.purpose" => Some(("purposes", &self.purposes)),
            _ => None,
        };
        match column {
            Some((name, column)) => column.path(name, i),
            None => format!("row {i}: {library}"),
        }
    }
}

/// A platform's ledger: its connected accounts with their balances and consent, built once
/// from a book (the `batch` command's input without its debits), on which
/// `plan_columns` plans many debits at a time from columns.
#[pyclass(module = "stripe_account_debits")]
pub(crate) struct Ledger {
    inner: book::Ledger,
    at: Timestamp,
    accounts: Accounts,
}

#[pymethods]
impl Ledger {
    /// Reads `book` (a mapping shaped as the `batch` command's input) with the library's
    /// book reader; its `debits`, if any, must be empty (they are given to `plan_columns`).
    #[new]
    fn new(book: &Bound<'_, PyAny>) -> PyResult<Self> {
        let input = crate::read_book(book)?;
        if !input.debits().is_empty() {
            return Err(column_error(
                book.py(),
                "invalid",
                "debits",
                "a Ledger is built from the platform and its accounts: give the debits to plan_columns",
            ));
        }
        let at = input.at();
        let (inner, _) = input.into_parts();
        let ids: Arc<[AccountId]> = inner.accounts().map(|(account, _)| account.id()).collect();
        let slots: Vec<AccountSlot> = ids.iter().filter_map(|id| inner.slot_of(id)).collect();
        let by_text = ids
            .iter()
            .zip(&slots)
            .map(|(id, slot)| (Box::from(id.as_str()), *slot))
            .collect();
        Ok(Ledger {
            inner,
            at,
            accounts: Accounts {
                slots,
                ids,
                by_text,
            },
        })
    }

    /// The connected accounts' ids, in the book's order: row `accounts` may name one by its
    /// index here.
    #[getter]
    fn accounts(&self) -> Vec<String> {
        self.accounts.ids.iter().map(ToString::to_string).collect()
    }

    fn __len__(&self) -> usize {
        self.accounts.ids.len()
    }

    /// The available balance of account `account` (an index or an id) in `currency`, in
    /// minor units, with the debits planned so far; `None` when it has no entry in it.
    fn available(&self, account: &Bound<'_, PyAny>, currency: &str) -> PyResult<Option<i64>> {
        let py = account.py();
        let column = Column::One(account.clone());
        let columns = Columns::single(py, column);
        let slot = columns.slot(0, &self.inner, &self.accounts)?;
        let currency = parse_currency(currency)
            .or_else(|e| e.currency().ok_or(e))
            .map_err(|e| column_error(py, "invalid", "currency", &e.to_string()))?;
        Ok(self
            .inner
            .balance(slot)
            .and_then(|balance| balance.available(currency))
            .map(|money| money.minor()))
    }

    /// Plans one debit per row, in order, each against the balances the ones before it
    /// left (the ledger keeps them for the next call; with `preview`, it is put back), as
    /// `plan_batch` does.
    #[pyo3(signature = (accounts, debit_ids, amounts, currency, references, *, reference_accounts=None, at=None, purposes=None, preview=false))]
    #[allow(clippy::too_many_arguments)]
    fn plan_columns<'py>(
        &mut self,
        accounts: &Bound<'py, PyAny>,
        debit_ids: &Bound<'py, PyAny>,
        amounts: &Bound<'py, PyAny>,
        currency: &Bound<'py, PyAny>,
        references: &Bound<'py, PyAny>,
        reference_accounts: Option<&Bound<'py, PyAny>>,
        at: Option<&Bound<'py, PyAny>>,
        purposes: Option<&Bound<'py, PyAny>>,
        preview: bool,
    ) -> PyResult<DebitColumns> {
        let py = accounts.py();
        let none = py.None().into_bound(py);
        let columns = Columns::of(&Args {
            accounts,
            debit_ids,
            amounts,
            currency,
            references,
            reference_accounts: reference_accounts.unwrap_or(&none),
            at: at.unwrap_or(&none),
            purposes: purposes.unwrap_or(&none),
        })?;
        let debits = self.read(&columns)?;
        self.run(py, debits, preview)
    }
}

impl<'py> Columns<'py> {
    /// Columns of one account value only (for `Ledger.available`).
    fn single(py: Python<'py>, accounts: Column<'py>) -> Self {
        Columns {
            py,
            rows: 1,
            accounts_name: "account",
            accounts,
            debit_ids: Column::Absent,
            amounts: Column::Absent,
            currency: Column::Absent,
            references: Column::Absent,
            reference_accounts: Column::Absent,
            at: Column::Absent,
            purposes: Column::Absent,
        }
    }
}

impl Ledger {
    /// Every row of `columns` as a debit of the batch, in order; the first row that cannot
    /// be read stops it, with nothing planned.
    fn read(&self, columns: &Columns<'_>) -> PyResult<Vec<BatchDebit>> {
        let mut debits = Vec::with_capacity(columns.rows);
        let mut currencies = CurrencyCache::default();
        for i in 0..columns.rows {
            let slot = columns.slot(i, &self.inner, &self.accounts)?;
            let account = self
                .accounts
                .ids
                .get(slot.index())
                .copied()
                .ok_or_else(|| column_error(columns.py, "document", "accounts", "no such slot"))?;
            let (debit, at) = match columns.fast_row(i, account, self.at, &mut currencies) {
                Some(row) => row,
                None => columns.library_row(i, account, self.at)?,
            };
            debits.push(BatchDebit::new(slot, debit, at));
        }
        Ok(debits)
    }

    /// Plans `debits` on the ledger (`book::Ledger::run`): every result kept, with what the
    /// batch did beside them.
    fn run(
        &mut self,
        py: Python<'_>,
        debits: Vec<BatchDebit>,
        preview: bool,
    ) -> PyResult<DebitColumns> {
        let before: Vec<Balance> = self.inner.accounts().map(|(_, b)| b.clone()).collect();
        self.inner.reserve_debits(debits.len());
        let mut results = Vec::with_capacity(debits.len());
        let mut offsets = Vec::with_capacity(debits.len());
        let keep = |judged: book::Judged<'_>| {
            offsets.push(judged.send_at_offset_ms());
            results.push(judged.into_result());
        };
        let ran = if preview {
            self.inner.preview_each(&debits, keep)
        } else {
            self.inner.run_each(&debits, keep).map(|summary| {
                // Balances of one currency are cloned without allocating; the summary's
                // records are built only when asked for.
                let after = self.inner.accounts().map(|(_, b)| b.clone()).collect();
                (summary, after)
            })
        };
        let (summary, after) =
            ran.map_err(|error| crate::library_error(py, &ReadError::document(error)))?;
        Ok(DebitColumns {
            results,
            offsets,
            summary,
            debits,
            ids: Arc::clone(&self.accounts.ids),
            before,
            after,
        })
    }
}

/// What a batch did beside each debit's result, as `plan_batch`'s `BatchResult` has it (its
/// `outcomes` left empty): `before` and `after` are each account's balances, by index.
fn summary(
    ids: &[AccountId],
    before: &[Balance],
    after: &[Balance],
    batch: &BatchSummary,
) -> json::BatchResult {
    let amounts = |balance: &Balance| balance.iter().map(MoneyOut::of).collect::<Vec<_>>();
    let accounts = ids
        .iter()
        .zip(before)
        .zip(after)
        .map(|((id, was), is)| AccountBalances {
            account: *id,
            available_after: amounts(is),
            available_before: amounts(was),
        })
        .collect();
    json::BatchResult::of_summary(accounts, batch)
}

/// The debits of one `Ledger.plan_columns` call, judged: columns of results built when
/// read, and each row's whole outcome (`result(i)`) built from the plan kept.
#[pyclass(frozen, module = "stripe_account_debits")]
pub(crate) struct DebitColumns {
    /// Each row's result, and for a planned one when to start its request.
    results: Vec<Result<DebitPlan, Rejection>>,
    offsets: Vec<Option<u64>>,
    summary: BatchSummary,
    debits: Vec<BatchDebit>,
    ids: Arc<[AccountId]>,
    /// Each account's available balance before the call and after it, by index.
    before: Vec<Balance>,
    after: Vec<Balance>,
}

impl DebitColumns {
    fn summary_result(&self) -> json::BatchResult {
        summary(&self.ids, &self.before, &self.after, &self.summary)
    }

    fn results(&self) -> &[Result<DebitPlan, Rejection>] {
        &self.results
    }

    fn row(&self, i: usize) -> PyResult<&Result<DebitPlan, Rejection>> {
        self.results()
            .get(i)
            .ok_or_else(|| PyIndexError::new_err(format!("row {i} of {}", self.results().len())))
    }

    /// A column of one value per row, `f` of the plan or `None` for a rejected row.
    fn planned_column<'py, T: IntoPyObject<'py>>(
        &self,
        py: Python<'py>,
        f: impl Fn(&DebitPlan) -> T,
    ) -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            self.results()
                .iter()
                .map(|result| result.as_ref().ok().map(&f)),
        )
    }
}

#[pymethods]
impl DebitColumns {
    fn __len__(&self) -> usize {
        self.results().len()
    }

    /// `"planned"` when every row is planned, else `"rejected"`.
    #[getter]
    fn outcome(&self) -> &'static str {
        if self.summary.rejected() == 0 {
            "planned"
        } else {
            "rejected"
        }
    }

    /// How many rows were rejected.
    #[getter]
    fn rejected(&self) -> usize {
        self.summary.rejected()
    }

    /// Whether every entry of every balance was read and counted.
    #[getter]
    fn complete(&self) -> bool {
        self.summary.book_before().is_complete()
    }

    /// Whether each row was planned.
    #[getter]
    fn planned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.results().iter().map(Result::is_ok))
    }

    /// The rows rejected, in order.
    #[getter]
    fn rejected_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows = self.results().iter().enumerate();
        PyList::new(py, rows.filter(|(_, r)| r.is_err()).map(|(i, _)| i))
    }

    /// Each row's reserve hold in minor units (0 for none); `None` for a rejected row.
    #[getter]
    fn reserve<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.planned_column(py, |plan| plan.reserve().minor())
    }

    /// Each row's connected available balance after it, in minor units; `None` for a
    /// rejected row.
    #[getter]
    fn balance_after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.planned_column(py, |plan| plan.connected_available().after().minor())
    }

    /// When to start each planned row's request, in milliseconds after the batch's first;
    /// `None` for a rejected row.
    #[getter]
    fn send_at_offset_ms<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, &self.offsets)
    }

    /// The codes of the rules row `i` breaks, in the library's order (empty when planned).
    fn violations(&self, i: usize) -> PyResult<Vec<&'static str>> {
        Ok(match self.row(i)? {
            Ok(_) => Vec::new(),
            Err(rejection) => rejection.codes().collect(),
        })
    }

    /// Row `i`'s outcome as `plan_debit` returns one: `Planned` (with its `request`) or
    /// `Rejected`, built now from the result kept.
    fn result(&self, py: Python<'_>, i: usize) -> PyResult<Py<PyAny>> {
        out::plan_outcome(py, self.row(i)?.clone())
    }

    /// What the batch did beside each row's result, as `plan_batch(book).to_dict()` has it
    /// without `outcomes`: `accounts`, `complete`, `rejected`, `reserve`, `schedule`,
    /// `uncounted`.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = pyser::to_python(py, &self.summary_result())?;
        dict.del_item("outcomes")?;
        Ok(dict)
    }

    /// The whole output, as `plan_batch(book).to_dict()` gives it for the same debits (every
    /// row's outcome built now).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut whole = self.summary_result();
        whole.outcomes = self
            .results()
            .iter()
            .zip(&self.debits)
            .zip(&self.offsets)
            .map(|((result, debit), offset)| BatchEntry {
                outcome: json::outcome(result),
                debit: debit.debit().id(),
                account: self.ids.get(debit.slot().index()).copied(),
                send_at_offset_ms: *offset,
            })
            .collect();
        pyser::to_python(py, &whole)
    }

    fn __repr__(&self) -> String {
        format!(
            "DebitColumns({} of {} rows rejected, {} requests)",
            self.summary.rejected(),
            self.results().len(),
            self.summary.requests()
        )
    }
}
