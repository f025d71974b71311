//! The platform's book as JSON: its accounts with their Balance objects and, for a batch,
//! the debits to plan in order. What the batch did, the reserve book and its ageing are
//! written by `batch.rs`.
//!
//! ```json
//! {
//!   "at": 1764000000,
//!   "platform_account": { "id": "acct_...", "country": "US", "default_currency": "usd" },
//!   "platform_balance": { "available": [ { "amount": 0, "currency": "usd" } ] },
//!   "accounts": [
//!     { "account": { ...a Stripe Account... }, "balance": { ...a Stripe Balance... },
//!       "consent": { "granted_at": 1700000000, "evidence": "agreement-42" },
//!       "negative_since": null }
//!   ],
//!   "debits": [
//!     { "account": "acct_...", "at": 1764000000,
//!       "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
//!                  "reference_transaction": { "id": "ch_...", "account": "acct_..." } } }
//!   ],
//!   "within_days": 30,
//!   "requests_per_second": 20
//! }
//! ```
//!
//! Accounts, consent and debits read as in a scenario, and so do
//! `platform_reserves_enabled`, `negative_balances_allowed` and `amount_caps` (a cap must be
//! more than zero; in USD the lower of Stripe's 100,000 USD and the cap applies).
//! `platform_balance` (absent: an empty
//! balance), `consent`, `negative_since`, `debits`, a debit's `at` (absent: the top-level
//! `at`), `within_days` (the ageing window, absent: 30) and `requests_per_second` (the
//! batch's send rate, absent: [`SendRate::DEFAULT`]) are optional.
//!
//! A balance's entry in the account's default currency is judged and must be readable.
//! Another that cannot be read (a currency this crate does not know, an amount that is not
//! an integer) is not counted, and not dropped either: the ledger keeps it as an
//! [`UncountedEntry`] with its path and why, and the book and the batch say they are not
//! complete (`"complete": false`, the entries under `"uncounted"`). A balance with more than
//! 16 such entries is refused.

use super::ReadError;
use super::scenario::{
    self, AccountDoc, AmountCaps, BalanceDoc, ConsentDoc, DebitDoc, MAX_UNREAD_LISTED,
};
use crate::book::{BatchDebit, Ledger, SendRate, UncountedEntry};
use crate::consent::Consent;
use crate::reader::ReadErrorKind as Kind;
use crate::reader::{self as read, Field, Fold, Leaf, List, Path, fields};
use crate::stripe::{Balance, Connected, Platform};
use crate::{AccountId, Debit, Timestamp};

/// The largest book [`read_book`] reads: 64 MiB, room for some 30,000 whole Stripe
/// Account objects (about 2 KB each) with their balances.
pub const DEFAULT_MAX_BOOK_BYTES: usize = 64 * 1024 * 1024;

/// The ageing window when the book does not give one, in days.
const DEFAULT_WITHIN_DAYS: u32 = 30;

/// A book read from JSON: the ledger, the batch of debits (possibly none), when, and the
/// ageing window.
#[derive(Debug, Clone)]
pub struct BookInput {
    ledger: Ledger,
    debits: Vec<BatchDebit>,
    at: Timestamp,
    within_days: u32,
}

impl BookInput {
    /// The platform's accounts and balances, as given.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The debits of the batch, in order.
    pub fn debits(&self) -> &[BatchDebit] {
        &self.debits
    }

    /// When the book is read (the default time of each debit).
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The ageing window, in days.
    pub fn within_days(&self) -> u32 {
        self.within_days
    }

    /// The parts: the ledger and the debits, to run them.
    pub fn into_parts(self) -> (Ledger, Vec<BatchDebit>) {
        (self.ledger, self.debits)
    }
}

/// Reads a book from JSON text of at most [`DEFAULT_MAX_BOOK_BYTES`].
///
/// # Errors
///
/// A [`ReadError`] naming the path of the first value that cannot be read (an account
/// listed twice, a debit of an account not listed), or of kind `TooLarge`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let book = json::read_book(include_str!("../../../examples/book/batch.json"))?;
/// assert_eq!(book.ledger().len(), 3);
/// let (mut ledger, debits) = book.into_parts();
/// let outcome = ledger.run(&debits)?;
/// assert_eq!(outcome.rejected(), 1);
///
/// let err = json::read_book(r#"{"at": 1, "platform_account": null}"#).unwrap_err();
/// assert_eq!(err.to_string(), "platform_account: missing");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_book(text: &str) -> Result<BookInput, ReadError> {
    read_book_with_limit(text, DEFAULT_MAX_BOOK_BYTES)
}

/// Reads a book from JSON text of at most `max_bytes`.
///
/// # Errors
///
/// As [`read_book`].
pub fn read_book_with_limit(text: &str, max_bytes: usize) -> Result<BookInput, ReadError> {
    if text.len() > max_bytes {
        return Err(ReadError::too_large(text.len(), max_bytes));
    }
    let doc: Field<BookDoc<'_>> = read::read_text(text)?;
    book(doc)
}

/// Reads a book from a reader of JSON text, a piece at a time: the text is never held whole,
/// so that memory is that of the book read (the command line's `batch` and `book` read their
/// file so). The reader is read to its end; its size is not limited here (wrap it to limit
/// it).
///
/// # Errors
///
/// As [`read_book`]; an error of `reader` is a `Syntax` error that carries it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let text = include_str!("../../../examples/book/batch.json");
/// let book = json::read_book_from_reader(text.as_bytes())?;
/// assert_eq!(book.ledger().len(), json::read_book(text)?.ledger().len());
/// # Ok::<(), json::ReadError>(())
/// ```
pub fn read_book_from_reader<R: std::io::Read>(reader: R) -> Result<BookInput, ReadError> {
    let doc: Field<BookDoc<'_>> = read::read_io(reader)?;
    book(doc)
}

/// Reads a book from any `serde` deserializer whose data model is JSON's, exactly as
/// [`read_book`] reads text: the door for a binding to another language, which hands over
/// its own objects without writing them out as JSON first (no size limit: the objects are
/// already in memory).
///
/// # Errors
///
/// As [`read_book`]; an error the deserializer itself raises is of kind `Syntax`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let text = include_str!("../../../examples/book/batch.json");
/// let mut deserializer = serde_json::Deserializer::from_str(text);
/// let book = json::book_from_deserializer(&mut deserializer)?;
/// assert_eq!(book.ledger().len(), json::read_book(text)?.ledger().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn book_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BookInput, ReadError> {
    let doc: Field<BookDoc<'_>> = read::read_from(deserializer)?;
    book(doc)
}

fields! {
    /// A book: the fields read.
    struct BookDoc<'de> {
        unknown: refused;
        "at" => at: Leaf<'de>,
        "platform_account" => platform_account: Field<AccountDoc<'de>>,
        "platform_balance" => platform_balance: Field<BalanceDoc<'de>>,
        "accounts" => accounts: Field<List<Accounts>>,
        "debits" => debits: Field<List<Debits>>,
        "within_days" => within_days: Leaf<'de>,
        "platform_reserves_enabled" => platform_reserves_enabled: Leaf<'de>,
        "negative_balances_allowed" => negative_balances_allowed: Leaf<'de>,
        "amount_caps" => amount_caps: Field<AmountCaps>,
        "requests_per_second" => requests_per_second: Leaf<'de>,
    }
}

fields! {
    /// One account of the book.
    struct AccountEntryDoc<'de> {
        unknown: refused;
        "account" => account: Field<AccountDoc<'de>>,
        "balance" => balance: Field<BalanceDoc<'de>>,
        "consent" => consent: Field<ConsentDoc<'de>>,
        "negative_since" => negative_since: Leaf<'de>,
    }
}

/// An account of the book, read.
#[derive(Debug)]
struct AccountEntry {
    account: Connected,
    balance: Balance,
    /// The entries of its balance that could not be read.
    uncounted: Vec<ReadError>,
    consent: Option<Consent>,
    negative_since: Option<Timestamp>,
}

/// The accounts, read one by one as the list is, and the first error among them.
#[derive(Debug, Default)]
struct Accounts {
    read: Vec<AccountEntry>,
    error: Option<ReadError>,
}

impl<'de> Fold<'de> for Accounts {
    type Item = Field<AccountEntryDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        match account_entry(&item, path) {
            Ok(entry) => self.read.push(entry),
            Err(error) => self.error = Some(error),
        }
    }
}

fn account_entry(
    item: &Field<AccountEntryDoc<'_>>,
    path: &Path<'_>,
) -> Result<AccountEntry, ReadError> {
    let doc = item.get(path)?;
    let account = scenario::account(&doc.account, &path.key("account"), true)?;
    let read = balance(
        &doc.balance,
        &path.key("balance"),
        account.default_currency(),
    )?;
    let consent_path = path.key("consent");
    let consent = match doc.consent.optional(&consent_path)? {
        Some(record) => Some(scenario::consent(record, &consent_path)?),
        None => None,
    };
    let since_path = path.key("negative_since");
    let negative_since = match doc.negative_since.present() {
        Some(since) => Some(Timestamp::from_unix(since.i64(&since_path)?)),
        None => None,
    };
    Ok(AccountEntry {
        account: Connected::new(account),
        balance: read.balance,
        uncounted: read.unread,
        consent,
        negative_since,
    })
}

/// A balance of the book: every entry counts, so one that cannot be read is kept to be
/// named, and a balance with more than [`MAX_UNREAD_LISTED`] of them is refused.
fn balance(
    field: &Field<BalanceDoc<'_>>,
    path: &Path<'_>,
    judged: crate::Currency,
) -> Result<scenario::BalanceRead, ReadError> {
    let read = scenario::balance_read(field, path, judged)?;
    if read.unread_count > MAX_UNREAD_LISTED {
        return Err(ReadError::at(
            Kind::Invalid,
            &path.key("available"),
            format_args!(
                "{} entries cannot be read, more than the {MAX_UNREAD_LISTED} a book lists",
                read.unread_count
            ),
        ));
    }
    Ok(read)
}

/// `entries` of `account`'s balance, which could not be read, as the ledger keeps them.
fn uncounted(account: AccountId, entries: &[ReadError]) -> impl Iterator<Item = UncountedEntry> {
    entries
        .iter()
        .map(move |error| UncountedEntry::new(account, error.path(), error.message()))
}

fields! {
    /// One debit of the batch.
    struct BatchDebitDoc<'de> {
        unknown: refused;
        "account" => account: Leaf<'de>,
        "at" => at: Leaf<'de>,
        "debit" => debit: Field<DebitDoc<'de>>,
    }
}

/// A debit of the batch, read; its account is found once every account is read.
#[derive(Debug)]
struct DebitEntry {
    account: AccountId,
    debit: Debit,
    at: Option<Timestamp>,
}

/// The debits, read one by one as the list is, and the first error among them.
#[derive(Debug, Default)]
struct Debits {
    read: Vec<DebitEntry>,
    error: Option<ReadError>,
}

impl<'de> Fold<'de> for Debits {
    type Item = Field<BatchDebitDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        match debit_entry(&item, path) {
            Ok(entry) => self.read.push(entry),
            Err(error) => self.error = Some(error),
        }
    }
}

fn debit_entry(item: &Field<BatchDebitDoc<'_>>, path: &Path<'_>) -> Result<DebitEntry, ReadError> {
    let doc = item.get(path)?;
    let account_path = path.key("account");
    let account = doc.account.required(&account_path)?.parse(&account_path)?;
    let at_path = path.key("at");
    let at = match doc.at.present() {
        Some(at) => Some(Timestamp::from_unix(at.i64(&at_path)?)),
        None => None,
    };
    let debit = scenario::debit(&doc.debit, &path.key("debit"))?;
    Ok(DebitEntry { account, debit, at })
}

/// The book read into a ledger and its batch, in a fixed order: `at`, the platform, its
/// balance, the accounts, the debits, the window.
fn book(doc: Field<BookDoc<'_>>) -> Result<BookInput, ReadError> {
    let root = Path::Root;
    let mut doc = doc.into_got(&root)?;
    let at_path = root.key("at");
    let at = Timestamp::from_unix(doc.at.required(&at_path)?.i64(&at_path)?);
    let ledger = ledger(&mut doc, &root)?;
    let debits = batch(&mut doc, &root, &ledger, at)?;
    let window_path = root.key("within_days");
    let within_days = match doc.within_days.present() {
        None => DEFAULT_WITHIN_DAYS,
        Some(days) => u32::try_from(days.i64(&window_path)?).map_err(|_| {
            ReadError::at(
                Kind::Invalid,
                &window_path,
                "expected a number of days from 0 to 4294967295",
            )
        })?,
    };
    let rate_path = root.key("requests_per_second");
    let ledger = match doc.requests_per_second.present() {
        None => ledger,
        Some(rate) => ledger.with_send_rate(send_rate(rate.i64(&rate_path)?, &rate_path)?),
    };
    Ok(BookInput {
        ledger,
        debits,
        at,
        within_days,
    })
}

/// A send rate of `per_second` requests a second, read at `path`.
pub(super) fn send_rate(per_second: i64, path: &Path<'_>) -> Result<SendRate, ReadError> {
    u32::try_from(per_second)
        .ok()
        .and_then(SendRate::new)
        .ok_or_else(|| {
            ReadError::at(
                Kind::Invalid,
                path,
                "expected a number of requests a second from 1 to 4294967295",
            )
        })
}

/// The platform, its balance and the accounts.
/// The accounts read are moved into the ledger, not copied.
fn ledger(doc: &mut BookDoc<'_>, root: &Path<'_>) -> Result<Ledger, ReadError> {
    let platform_path = root.key("platform_account");
    let platform = scenario::account(&doc.platform_account, &platform_path, false)?;
    let balance_path = root.key("platform_balance");
    let (platform_balance, platform_uncounted) =
        match doc.platform_balance.optional(&balance_path)? {
            Some(_) => {
                let read = balance(
                    &doc.platform_balance,
                    &balance_path,
                    platform.default_currency(),
                )?;
                (read.balance, read.unread)
            }
            None => (Balance::empty(), Vec::new()),
        };
    let platform_id = platform.id();
    let reserves = scenario::platform_reserves(
        &doc.platform_reserves_enabled,
        &root.key("platform_reserves_enabled"),
        &doc.platform_account,
        &platform_path,
    )?;
    let negatives = scenario::negative_balances_allowed(
        &doc.negative_balances_allowed,
        &root.key("negative_balances_allowed"),
    )?;
    let mut ledger = Ledger::new(Platform::new(platform), platform_balance)
        .with_platform_reserves(reserves)
        .with_negative_balances_allowed(negatives);
    for cap in scenario::amount_caps(&doc.amount_caps, &root.key("amount_caps"))? {
        ledger = ledger.with_amount_cap(cap);
    }
    for entry in uncounted(platform_id, &platform_uncounted) {
        ledger.add_uncounted(entry);
    }
    let List(accounts) = core::mem::take(&mut doc.accounts).into_required(&root.key("accounts"))?;
    if let Some(error) = accounts.error {
        return Err(error);
    }
    // Every account was read (a list with an error stops here), so the n-th read is the
    // n-th of the list, and its path is written only for an error.
    let list = root.key("accounts");
    for (index, entry) in accounts.read.into_iter().enumerate() {
        let id = entry.account.account().id();
        let slot = ledger
            .add_account(entry.account, entry.balance, entry.consent)
            .map_err(|_| {
                let element = list.index(index);
                let account = element.key("account");
                ReadError::at(
                    Kind::Invalid,
                    &account.key("id"),
                    format_args!("account {id} is listed twice"),
                )
            })?;
        ledger.set_negative_since(slot, entry.negative_since);
        for uncounted in uncounted(id, &entry.uncounted) {
            ledger.add_uncounted(uncounted);
        }
    }
    Ok(ledger)
}

/// The debits, each of an account of `ledger`, at its own time or `at`: moved from the
/// document, not copied.
fn batch(
    doc: &mut BookDoc<'_>,
    root: &Path<'_>,
    ledger: &Ledger,
    at: Timestamp,
) -> Result<Vec<BatchDebit>, ReadError> {
    let Some(List(listed)) = core::mem::take(&mut doc.debits).into_optional(&root.key("debits"))?
    else {
        return Ok(Vec::new());
    };
    if let Some(error) = listed.error {
        return Err(error);
    }
    // As for the accounts: the n-th read is the n-th of the list.
    let list = root.key("debits");
    listed
        .read
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let slot = ledger.slot_of(&entry.account).ok_or_else(|| {
                let element = list.index(index);
                ReadError::at(
                    Kind::Invalid,
                    &element.key("account"),
                    format_args!("account {} is not in accounts", entry.account),
                )
            })?;
            Ok(BatchDebit::new(slot, entry.debit, entry.at.unwrap_or(at)))
        })
        .collect()
}
