//! Reading a scenario: Stripe's Account, Balance, Charge and Payout objects, the consent
//! record and the debit, into a [`DebitInput`].

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::ReadError;
use super::account_v2::{self, DefaultsDoc, IdentityDoc};
use crate::consent::Consent;
use crate::currency::{CurrencySet, StripeCurrency, WireCode};
use crate::reader::ReadErrorKind as Kind;
use crate::reader::{self as read, Field, Fold, Leaf, List, Path, fields};
use crate::stripe::{
    Account, Balance, Connected, LossLiability, NegativeBalanceReclaim, ObjectKind, Platform,
    PlatformReserves, ReferenceTransaction,
};
use crate::{AccountId, Debit, DebitInput, Money, Timestamp, TransactionId};

/// The largest scenario [`read_scenario`] reads: 1 MiB. Stripe's objects for one debit
/// (two accounts, a balance, a charge) are a few kilobytes; the limit keeps a mistaken or
/// hostile input from costing memory before it is refused.
pub const DEFAULT_MAX_SCENARIO_BYTES: usize = 1024 * 1024;

/// Reads a scenario from JSON text of at most [`DEFAULT_MAX_SCENARIO_BYTES`].
///
/// # Errors
///
/// A [`ReadError`] naming the path of the first value that cannot be read, or of kind
/// `TooLarge` for a longer text.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{json, plan_debit};
///
/// let input = json::read_scenario(include_str!("../../../examples/scenarios/demo.json"))?;
/// assert_eq!(input.debit().id().as_str(), "recovery-42");
/// assert!(plan_debit(&input).is_ok());
///
/// let err = json::read_scenario(r#"{"at": 1, "at": 2}"#).unwrap_err();
/// assert_eq!(err.to_string(), r#"at: the key "at" is given twice"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_scenario(text: &str) -> Result<DebitInput, ReadError> {
    read_scenario_with_limit(text, DEFAULT_MAX_SCENARIO_BYTES)
}

/// Reads a scenario from JSON text of at most `max_bytes`.
///
/// # Errors
///
/// As [`read_scenario`].
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ReadErrorKind};
///
/// let err = json::read_scenario_with_limit("{}", 1).unwrap_err();
/// assert_eq!(err.kind(), ReadErrorKind::TooLarge);
/// assert_eq!(err.to_string(), "the input is 2 bytes, more than the 1 allowed");
/// ```
pub fn read_scenario_with_limit(text: &str, max_bytes: usize) -> Result<DebitInput, ReadError> {
    if text.len() > max_bytes {
        return Err(ReadError::too_large(text.len(), max_bytes));
    }
    let doc: Field<ScenarioDoc<'_>> = read::read_text(text)?;
    scenario(doc.get(&Path::Root)?, &Path::Root)
}

/// Reads a scenario from parsed JSON, exactly as [`read_scenario`] reads its text.
///
/// # Errors
///
/// A [`ReadError`] naming the path of the first value that cannot be read.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let value = serde_json::json!({ "at": "yesterday" });
/// let err = json::scenario_from_value(&value).unwrap_err();
/// assert_eq!(err.to_string(), "at: expected a 64-bit integer, found a string");
/// ```
pub fn scenario_from_value(value: &serde_json::Value) -> Result<DebitInput, ReadError> {
    scenario_from_deserializer(value)
}

/// Reads a scenario from any `serde` deserializer whose data model is JSON's (maps with
/// string keys, sequences, strings, numbers, booleans, unit for `null`), exactly as
/// [`read_scenario`] reads text: the door for a binding to another language, which hands
/// over its own objects without writing them out as JSON first.
///
/// # Errors
///
/// A [`ReadError`] naming the path of the first value that cannot be read; one the
/// deserializer itself raises is of kind `Syntax`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let text = include_str!("../../../examples/scenarios/demo.json");
/// let mut deserializer = serde_json::Deserializer::from_str(text);
/// let input = json::scenario_from_deserializer(&mut deserializer)?;
/// assert_eq!(input, json::read_scenario(text)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scenario_from_deserializer<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<DebitInput, ReadError> {
    let doc: Field<ScenarioDoc<'_>> = read::read_from(deserializer)?;
    scenario(doc.get(&Path::Root)?, &Path::Root)
}

fields! {
    /// A scenario: the fields read (see the [module docs](super)).
    pub(super) struct ScenarioDoc<'de> {
        unknown: refused;
        "at" => at: Leaf<'de>,
        "platform_account" => platform_account: Field<AccountDoc<'de>>,
        "connected_account" => connected_account: Field<AccountDoc<'de>>,
        "connected_balance" => connected_balance: Field<BalanceDoc<'de>>,
        "consent" => consent: Field<ConsentDoc<'de>>,
        "debit" => debit: Field<DebitDoc<'de>>,
        "platform_reserves_enabled" => platform_reserves_enabled: Leaf<'de>,
        "negative_balances_allowed" => negative_balances_allowed: Leaf<'de>,
        "amount_caps" => amount_caps: Field<AmountCaps>,
    }
}

fields! {
    /// Stripe's Account object, v1 or v2 (`v2.core.account`): the fields read.
    pub(super) struct AccountDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        /// `account` (v1) or `v2.core.account`.
        "object" => object: Leaf<'de>,
        "country" => country: Leaf<'de>,
        "default_currency" => default_currency: Leaf<'de>,
        /// The legacy account type (`standard`, `express`, `custom`).
        "type" => legacy_type: Leaf<'de>,
        "controller" => controller: Field<ControllerDoc<'de>>,
        "external_accounts" => external_accounts: Field<ExternalAccountsDoc<'de>>,
        "created" => created: Leaf<'de>,
        "settings" => settings: Field<SettingsDoc<'de>>,
        /// v2: `identity.country`.
        "identity" => identity: Field<IdentityDoc<'de>>,
        /// v2: `defaults.currency` and `defaults.responsibilities.losses_collector`.
        "defaults" => defaults: Field<DefaultsDoc<'de>>,
    }
}

fields! {
    /// An Account's `settings`.
    pub(super) struct SettingsDoc<'de> {
        unknown: skipped;
        "payouts" => payouts: Field<PayoutSettingsDoc<'de>>,
    }
}

fields! {
    /// An Account's `settings.payouts`.
    pub(super) struct PayoutSettingsDoc<'de> {
        unknown: skipped;
        "debit_negative_balances" => debit_negative_balances: Leaf<'de>,
    }
}

/// `amount_caps`: a cap in minor units per currency (`{"eur": 9000000}`), read as the
/// object is, at most one per currency; the first error in it is kept for the conversion.
#[derive(Debug, Default)]
pub(super) struct AmountCaps {
    caps: Vec<Money>,
    listed: CurrencySet,
    error: Option<ReadError>,
}

impl<'de> read::Container<'de> for AmountCaps {
    const EXPECTED: &'static str = "a JSON object";

    fn read_map<A: serde::de::MapAccess<'de>>(
        first: Option<std::borrow::Cow<'de, str>>,
        mut map: A,
        ctx: read::Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        let mut caps = AmountCaps::default();
        let mut next = first;
        while let Some(code) = next {
            let path = ctx.path.key(&code);
            let amount: Leaf<'de> = map.next_value_seed(read::Seed::new(ctx.at(&path)))?;
            if caps.error.is_none()
                && let Err(error) = caps.add(&code, &amount, &path)
            {
                caps.error = Some(error);
            }
            next = map.next_key_seed(read::Key)?;
        }
        Ok(Some(caps))
    }
}

impl AmountCaps {
    fn add(&mut self, code: &str, amount: &Leaf<'_>, path: &Path<'_>) -> Result<(), ReadError> {
        let currency = Leaf::Str(code.into()).currency(path)?;
        list_once(&mut self.listed, currency, path)?;
        let minor = amount.required(path)?.i64(path)?;
        // A cap of zero or less would refuse every debit in its currency: not a cap.
        if minor <= 0 {
            return Err(ReadError::at(
                Kind::Invalid,
                path,
                format_args!("a cap must be more than zero, not {minor}"),
            ));
        }
        let cap = Money::from_minor(minor, currency)
            .map_err(|e| ReadError::at(Kind::Invalid, path, e))?;
        self.caps.push(cap);
        Ok(())
    }
}

/// Adds `currency`, read at `path`, to the currencies a list has given: a currency given
/// twice (in a balance, in `amount_caps`) is refused, since which one counts would be a
/// guess.
fn list_once(
    listed: &mut CurrencySet,
    currency: Currency,
    path: &Path<'_>,
) -> Result<(), ReadError> {
    if listed.contains(currency) {
        return Err(ReadError::at(
            Kind::Invalid,
            path,
            format_args!("currency {} is listed twice", WireCode::of(currency)),
        ));
    }
    *listed = listed.with(currency);
    Ok(())
}

/// The caps of `amount_caps`, when given.
pub(super) fn amount_caps(
    field: &Field<AmountCaps>,
    path: &Path<'_>,
) -> Result<Vec<Money>, ReadError> {
    match field.optional(path)? {
        None => Ok(Vec::new()),
        Some(caps) => match &caps.error {
            Some(error) => Err(error.clone()),
            None => Ok(caps.caps.clone()),
        },
    }
}

/// Whether the platform has connected reserves enabled: `platform_reserves_enabled` when
/// given, else what the platform Account's `created` says, else unknown.
pub(super) fn platform_reserves(
    explicit: &Leaf<'_>,
    explicit_path: &Path<'_>,
    platform: &Field<AccountDoc<'_>>,
    platform_path: &Path<'_>,
) -> Result<PlatformReserves, ReadError> {
    if let Some(enabled) = explicit.optional_bool(explicit_path)? {
        return Ok(if enabled {
            PlatformReserves::Enabled
        } else {
            PlatformReserves::Disabled
        });
    }
    let created_path = platform_path.key("created");
    let created = match platform.optional(platform_path)? {
        Some(doc) => doc.created.present(),
        None => None,
    };
    match created {
        Some(created) => Ok(PlatformReserves::from_created(created_time(
            created,
            &created_path,
        )?)),
        None => Ok(PlatformReserves::Unknown),
    }
}

/// An Account's `created`: a unix time (v1), or an RFC 3339 UTC string (v2: "Represented
/// as a RFC 3339 date & time UTC value in millisecond precision, for example:
/// 2022-09-18T13:22:18.123Z").
fn created_time(created: &Leaf<'_>, path: &Path<'_>) -> Result<Timestamp, ReadError> {
    match created {
        Leaf::Int(_) => Ok(Timestamp::from_unix(created.i64(path)?)),
        Leaf::Str(text) => Timestamp::from_rfc3339_utc(text).ok_or_else(|| {
            ReadError::at(
                Kind::Invalid,
                path,
                format_args!(
                    "\"{}\" is not an RFC 3339 UTC time such as 2022-09-18T13:22:18.123Z",
                    crate::value::text::quoted(text)
                ),
            )
        }),
        other => Err(other.type_error(path, "a unix time or an RFC 3339 UTC time")),
    }
}

/// Whether the platform's arrangement with Stripe lets a debit take a platform-managed
/// account below zero: `negative_balances_allowed` (`true` or `false`); absent or `null`
/// is `false`, as Stripe's newest page has it.
pub(super) fn negative_balances_allowed(
    field: &Leaf<'_>,
    path: &Path<'_>,
) -> Result<bool, ReadError> {
    Ok(field.optional_bool(path)?.unwrap_or(false))
}

fields! {
    /// An Account's `controller`.
    pub(super) struct ControllerDoc<'de> {
        unknown: skipped;
        "losses" => losses: Field<LossesDoc<'de>>,
        "type" => controller_type: Leaf<'de>,
        "requirement_collection" => requirement_collection: Leaf<'de>,
    }
}

fields! {
    /// A controller's `losses`.
    pub(super) struct LossesDoc<'de> {
        unknown: skipped;
        "payments" => payments: Leaf<'de>,
    }
}

fields! {
    /// An Account's `external_accounts` list.
    pub(super) struct ExternalAccountsDoc<'de> {
        unknown: skipped;
        "has_more" => has_more: Leaf<'de>,
        "data" => data: Field<List<VerifiedBanks>>,
    }
}

fields! {
    /// One external account: a bank account or a card.
    pub(super) struct ExternalAccountDoc<'de> {
        unknown: skipped;
        "object" => object: Leaf<'de>,
        "status" => status: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
    }
}

/// The currencies of the verified bank accounts of a list, folded in as it is read, and the
/// first error in it (raised only for the connected account, whose list is judged).
#[derive(Debug, Default)]
pub(super) struct VerifiedBanks {
    currencies: CurrencySet,
    error: Option<ReadError>,
}

impl<'de> Fold<'de> for VerifiedBanks {
    type Item = Field<ExternalAccountDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        let verified = (|| {
            let external = item.get(path)?;
            let is_bank =
                external.object.optional_str(&path.key("object"))? == Some("bank_account");
            let verified = external.status.optional_str(&path.key("status"))? == Some("verified");
            if !(is_bank && verified) {
                return Ok(None);
            }
            let currency = path.key("currency");
            external
                .currency
                .required(&currency)?
                .currency(&currency)
                .map(Some)
        })();
        match verified {
            Ok(Some(currency)) => self.currencies = self.currencies.with(currency),
            Ok(None) => {}
            Err(error) => self.error = Some(error),
        }
    }
}

fields! {
    /// Stripe's Balance object: the fields read.
    pub(super) struct BalanceDoc<'de> {
        unknown: skipped;
        "available" => available: Field<List<Available<'de>>>,
    }
}

fields! {
    /// One `available` entry.
    pub(super) struct AvailableDoc<'de> {
        unknown: skipped;
        "amount" => amount: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
    }
}

/// The `available` entries in currencies this crate knows, at most one per currency (so
/// at most one per ISO 4217 code, however long the list), and the first error in the list.
/// Whether an entry must be readable depends on the debit's currency, so they are judged
/// after the whole scenario is read. An entry in a currency this crate does not know is
/// skipped: the first [`MAX_UNREAD_LISTED`] are kept, with why, and all are counted.
#[derive(Debug, Default)]
pub(super) struct Available<'de> {
    entries: Vec<AvailableEntry<'de>>,
    listed: CurrencySet,
    unknown: Vec<(usize, ReadError)>,
    unknown_count: usize,
    error: Option<ReadError>,
}

/// The most entries of one balance that cannot be read a book lists; a balance with more
/// is refused (Stripe lists one entry per currency, all of them known to this crate).
pub(super) const MAX_UNREAD_LISTED: usize = 16;

#[derive(Debug)]
struct AvailableEntry<'de> {
    index: usize,
    currency: Currency,
    code: Leaf<'de>,
    amount: Leaf<'de>,
}

impl<'de> Fold<'de> for Available<'de> {
    type Item = Field<AvailableDoc<'de>>;

    fn fold(&mut self, item: Self::Item, path: &Path<'_>) {
        if self.error.is_some() {
            return;
        }
        let index = match path {
            Path::Index(_, index) => *index,
            other => {
                // A list folds its elements at their indexes.
                debug_assert!(false, "an element at {other}, not an index");
                0
            }
        };
        let folded = (|| {
            let Field::Got(entry) = item else {
                return item.get(path).map(|_| ());
            };
            let code_path = path.key("currency");
            entry.currency.required(&code_path)?;
            // A code this crate does not know cannot be the debit's: skipped, and noted.
            let currency = match entry.currency.iso_currency(&code_path) {
                Ok(currency) => currency,
                Err(unknown) => {
                    self.unknown_count = self.unknown_count.saturating_add(1);
                    if self.unknown.len() < MAX_UNREAD_LISTED {
                        self.unknown.push((index, unknown));
                    }
                    return Ok(());
                }
            };
            list_once(&mut self.listed, currency, &code_path)?;
            self.entries.push(AvailableEntry {
                index,
                currency,
                code: entry.currency,
                amount: entry.amount,
            });
            Ok(())
        })();
        if let Err(error) = folded {
            self.error = Some(error);
        }
    }
}

fields! {
    /// The consent record.
    pub(super) struct ConsentDoc<'de> {
        unknown: refused;
        "granted_at" => granted_at: Leaf<'de>,
        "evidence" => evidence: Leaf<'de>,
        "revoked_at" => revoked_at: Leaf<'de>,
    }
}

fields! {
    /// The debit asked for.
    pub(super) struct DebitDoc<'de> {
        unknown: refused;
        "id" => id: Leaf<'de>,
        "amount" => amount: Leaf<'de>,
        "currency" => currency: Leaf<'de>,
        "reference_transaction" => reference_transaction: Field<ReferenceDoc<'de>>,
        "purpose" => purpose: Leaf<'de>,
    }
}

fields! {
    /// The reference transaction: a Charge, Payment or Payout object, or its id, and the
    /// account it was created on.
    pub(super) struct ReferenceDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
        "account" => account: Leaf<'de>,
        "object" => object: Leaf<'de>,
    }
}

/// The scenario read at `root` (the document, or a command's `scenario`) into a
/// [`DebitInput`], in a fixed order (so the first error named is always the same one):
/// `at`, the accounts, the debit, the balance, the consent.
pub(super) fn scenario(doc: &ScenarioDoc<'_>, root: &Path<'_>) -> Result<DebitInput, ReadError> {
    let at = root.key("at");
    let at = Timestamp::from_unix(doc.at.required(&at)?.i64(&at)?);
    let platform = account(&doc.platform_account, &root.key("platform_account"), false)?;
    let connected = account(&doc.connected_account, &root.key("connected_account"), true)?;
    let debit = debit(&doc.debit, &root.key("debit"))?;
    let balance = balance(
        &doc.connected_balance,
        &root.key("connected_balance"),
        debit.currency(),
    )?;
    let reserves = platform_reserves(
        &doc.platform_reserves_enabled,
        &root.key("platform_reserves_enabled"),
        &doc.platform_account,
        &root.key("platform_account"),
    )?;
    let negatives = negative_balances_allowed(
        &doc.negative_balances_allowed,
        &root.key("negative_balances_allowed"),
    )?;
    let caps_path = root.key("amount_caps");
    let cap = amount_caps(&doc.amount_caps, &caps_path)?
        .into_iter()
        .find(|cap| cap.currency() == debit.currency());
    let mut input = DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        balance,
        debit,
        at,
    )
    .with_platform_reserves(reserves)
    .with_negative_balances_allowed(negatives);
    if let Some(cap) = cap {
        input = input.with_amount_cap(cap);
    }
    let consent_path = root.key("consent");
    match doc.consent.optional(&consent_path)? {
        None => Ok(input),
        Some(record) => Ok(input.with_consent(consent(record, &consent_path)?)),
    }
}

pub(super) fn account(
    field: &Field<AccountDoc<'_>>,
    path: &Path<'_>,
    connected: bool,
) -> Result<Account, ReadError> {
    let doc = field.required(path)?;
    let id = path.key("id");
    let id: AccountId = doc.id.required(&id)?.parse(&id)?;
    let v2 = account_v2::is_v2(&doc.object);
    let country = account_v2::country(&doc.country, &doc.identity, path, v2)?;
    let default_currency =
        account_v2::default_currency(&doc.default_currency, &doc.defaults, path, v2)?;
    let liability = loss_liability(doc, path)?;
    let mut account = Account::new(id, country, default_currency, liability)
        .with_negative_balance_reclaim(negative_balance_reclaim(doc, path)?);
    let list_path = path.key("external_accounts");
    if connected && let Some(list) = doc.external_accounts.optional(&list_path)? {
        if list.has_more.optional_bool(&list_path.key("has_more"))? == Some(true) {
            account = account.with_bank_account_list_incomplete();
        }
        let List(banks) = list.data.required(&list_path.key("data"))?;
        if let Some(error) = &banks.error {
            return Err(error.clone());
        }
        account = account.with_verified_bank_accounts(banks.currencies);
    }
    Ok(account)
}

/// What Stripe does about the account's negative balance: its
/// `settings.payouts.debit_negative_balances`, or when that is absent, the default Stripe's
/// Account reference gives from `controller.requirement_collection`
/// ([`NegativeBalanceReclaim::from_account_fields`]).
fn negative_balance_reclaim(
    account: &AccountDoc<'_>,
    path: &Path<'_>,
) -> Result<NegativeBalanceReclaim, ReadError> {
    let settings_path = path.key("settings");
    let payouts_path = settings_path.key("payouts");
    let flag_path = payouts_path.key("debit_negative_balances");
    let flag = match account.settings.optional(&settings_path)? {
        Some(settings) => match settings.payouts.optional(&payouts_path)? {
            Some(payouts) => payouts.debit_negative_balances.optional_bool(&flag_path)?,
            None => None,
        },
        None => None,
    };
    let controller_path = path.key("controller");
    let collection_path = controller_path.key("requirement_collection");
    let collection = match account.controller.optional(&controller_path)? {
        Some(controller) => controller
            .requirement_collection
            .optional_str(&collection_path)?,
        None => None,
    };
    Ok(NegativeBalanceReclaim::from_account_fields(
        flag, collection,
    ))
}

/// Who bears an account's losses, from `controller.losses.payments`, `controller.type` and
/// the legacy `type`. `controller` and `losses`, when present, must be objects: one of
/// another type is an error, never read as absent.
fn loss_liability(account: &AccountDoc<'_>, path: &Path<'_>) -> Result<LossLiability, ReadError> {
    let controller_path = path.key("controller");
    let losses_path = controller_path.key("losses");
    let controller = account.controller.optional(&controller_path)?;
    let (payments, controller_type) = match controller {
        None => (None, None),
        Some(controller) => (
            controller
                .losses
                .optional(&losses_path)?
                .map(|losses| &losses.payments),
            controller
                .controller_type
                .optional_str(&controller_path.key("type"))?,
        ),
    };
    // v1's `controller.losses.payments`, or v2's `defaults.responsibilities.losses_collector`.
    let losses_payments = account_v2::losses(
        payments,
        &losses_path.key("payments"),
        &account.defaults,
        path,
    )?;
    Ok(LossLiability::from_stripe_fields(
        losses_payments,
        controller_type,
        account.legacy_type.optional_str(&path.key("type"))?,
    ))
}

/// The `available` amounts of a Balance object. They are facts Stripe reports, taken as
/// they are: only the entry in the debit's currency is judged (and must be readable); an
/// entry in another currency that cannot be read (a code this crate does not know, a
/// currency Stripe does not move, an amount that is not an integer) is skipped.
pub(super) fn balance(
    field: &Field<BalanceDoc<'_>>,
    path: &Path<'_>,
    debit_currency: Currency,
) -> Result<Balance, ReadError> {
    balance_read(field, path, debit_currency).map(|read| read.balance)
}

/// A Balance object read, with the entries skipped because they could not be read.
#[derive(Debug)]
pub(super) struct BalanceRead {
    pub(super) balance: Balance,
    /// Why each entry skipped could not be read (its error names its path), in the list's
    /// order; at most [`MAX_UNREAD_LISTED`].
    pub(super) unread: Vec<ReadError>,
    /// How many were skipped: more than `unread` lists when the list is cut.
    pub(super) unread_count: usize,
}

/// As [`balance`], keeping the entries skipped: a book, which sums every entry, says which
/// it could not count.
pub(super) fn balance_read(
    field: &Field<BalanceDoc<'_>>,
    path: &Path<'_>,
    judged: Currency,
) -> Result<BalanceRead, ReadError> {
    let doc = field.required(path)?;
    let available = path.key("available");
    let List(listed) = doc.available.required(&available)?;
    if let Some(error) = &listed.error {
        return Err(error.clone());
    }
    let mut amounts: Vec<Money> = Vec::with_capacity(listed.entries.len());
    let mut unread: Vec<(usize, ReadError)> = listed.unknown.clone();
    let mut unread_count = listed.unknown_count;
    for entry in &listed.entries {
        let entry_path = available.index(entry.index);
        match entry_money(entry, &entry_path) {
            Ok(money) => amounts.push(money),
            Err(error) if entry.currency == judged => return Err(error),
            Err(error) => {
                unread_count = unread_count.saturating_add(1);
                unread.push((entry.index, error));
            }
        }
    }
    let balance = Balance::new(amounts).map_err(|e| ReadError::at(Kind::Invalid, path, e))?;
    unread.sort_by_key(|(index, _)| *index);
    unread.truncate(MAX_UNREAD_LISTED);
    Ok(BalanceRead {
        balance,
        unread: unread.into_iter().map(|(_, error)| error).collect(),
        unread_count,
    })
}

/// One `available` entry as money.
fn entry_money(entry: &AvailableEntry<'_>, path: &Path<'_>) -> Result<Money, ReadError> {
    let currency = entry.code.currency(&path.key("currency"))?;
    let amount_path = path.key("amount");
    let amount = entry.amount.required(&amount_path)?.i64(&amount_path)?;
    Money::from_minor(amount, currency).map_err(|e| ReadError::at(Kind::Invalid, &amount_path, e))
}

pub(super) fn consent(doc: &ConsentDoc<'_>, path: &Path<'_>) -> Result<Consent, ReadError> {
    let (granted, evidence) = (path.key("granted_at"), path.key("evidence"));
    let granted_at = Timestamp::from_unix(doc.granted_at.required(&granted)?.i64(&granted)?);
    let evidence = doc.evidence.required(&evidence)?.parse(&evidence)?;
    let consent = Consent::granted(granted_at, evidence);
    let revoked = path.key("revoked_at");
    match doc.revoked_at.present() {
        None => Ok(consent),
        Some(revoked_at) => consent
            .revoke(Timestamp::from_unix(revoked_at.i64(&revoked)?))
            .map_err(|e| ReadError::at(Kind::Invalid, &revoked, e)),
    }
}

pub(super) fn debit(field: &Field<DebitDoc<'_>>, path: &Path<'_>) -> Result<Debit, ReadError> {
    let doc = field.required(path)?;
    let (id, currency, amount) = (path.key("id"), path.key("currency"), path.key("amount"));
    let id = doc.id.required(&id)?.parse(&id)?;
    let currency = doc.currency.required(&currency)?.iso_currency(&currency)?;
    let wire = doc.amount.required(&amount)?.wire_amount(&amount)?;
    // A currency Stripe does not move has no wire exponent: the rules reject it
    // (`currency_unsupported`) without judging the amount, as `Debit::from_minor` does.
    let exponent = StripeCurrency::of(currency).map_or(0, StripeCurrency::wire_exponent);
    let decimal = Decimal::try_from_i128_with_scale(wire, exponent)
        .map_err(|e| ReadError::at(Kind::Invalid, &amount, e))?;
    let reference_path = path.key("reference_transaction");
    let mut debit = match doc.reference_transaction.optional(&reference_path)? {
        Some(_) => Debit::new(
            id,
            decimal,
            currency,
            reference(&doc.reference_transaction, &reference_path)?,
        ),
        None => Debit::without_reference(id, decimal, currency),
    };
    let purpose_path = path.key("purpose");
    if let Some(purpose) = doc.purpose.present() {
        debit = debit.with_purpose(purpose.parse(&purpose_path)?);
    }
    Ok(debit)
}

fn reference(
    field: &Field<ReferenceDoc<'_>>,
    path: &Path<'_>,
) -> Result<ReferenceTransaction, ReadError> {
    let doc = field.required(path)?;
    let (id, account, object) = (path.key("id"), path.key("account"), path.key("object"));
    let transaction: TransactionId = doc.id.required(&id)?.parse(&id)?;
    let created_on: AccountId = doc.account.required(&account)?.parse(&account)?;
    // An id of a kind this crate does not know has no object name to agree with.
    if let Some(name) = doc.object.optional_str(&object)?
        && transaction.kind() != ObjectKind::Other
        && name != transaction.kind().object_name()
    {
        let kind = transaction.kind();
        return Err(ReadError::at(
            Kind::Invalid,
            &object,
            format_args!(
                "\"{}\" does not match id {transaction}: {} {kind}'s object is \"{}\"",
                crate::value::text::quoted(name),
                kind.article(),
                kind.object_name()
            ),
        ));
    }
    Ok(ReferenceTransaction::new(transaction, created_on))
}
