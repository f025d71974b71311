//! Reading a scenario: Stripe's Account, Balance, Charge and Payout objects, the consent
//! record and the debit, into a [`DebitInput`].

use iso_currency::Currency;
use rust_decimal::Decimal;
use serde_json::Value;

use super::ScenarioError;
use super::error::ScenarioErrorKind as Kind;
use super::reader::Node;
use crate::currency::{StripeCurrency, WireCode};
use crate::{
    Account, AccountId, Balance, Connected, Consent, Debit, DebitInput, LossLiability, Money,
    ObjectKind, Platform, ReferenceTransaction, Timestamp, TransactionId,
};

/// The largest scenario [`read_scenario`] reads: 1 MiB. Stripe's objects for one debit
/// (two accounts, a balance, a charge) are a few kilobytes; the limit keeps a mistaken or
/// hostile input from costing memory before it is refused.
pub const DEFAULT_MAX_SCENARIO_BYTES: usize = 1024 * 1024;

/// Reads a scenario from JSON text of at most [`DEFAULT_MAX_SCENARIO_BYTES`].
///
/// # Errors
///
/// A [`ScenarioError`] naming the path of the first value that cannot be read, or of kind
/// `TooLarge` for a longer text.
pub fn read_scenario(text: &str) -> Result<DebitInput, ScenarioError> {
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
/// use stripe_account_debits::json::{self, ScenarioErrorKind};
///
/// let err = json::read_scenario_with_limit("{}", 1).unwrap_err();
/// assert_eq!(err.kind(), ScenarioErrorKind::TooLarge);
/// assert_eq!(err.to_string(), "the scenario is 2 bytes, more than the 1 allowed");
/// ```
pub fn read_scenario_with_limit(text: &str, max_bytes: usize) -> Result<DebitInput, ScenarioError> {
    if text.len() > max_bytes {
        return Err(ScenarioError::too_large(text.len(), max_bytes));
    }
    super::keys::check_no_duplicate_keys(text)?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ScenarioError::at(Kind::Syntax, "", format_args!("invalid JSON: {e}")))?;
    scenario_from_value(&value)
}

/// Reads a scenario from parsed JSON.
///
/// # Errors
///
/// A [`ScenarioError`] naming the path of the first value that cannot be read.
pub fn scenario_from_value(value: &Value) -> Result<DebitInput, ScenarioError> {
    let root = Node::root(value);
    root.object()?;
    let at = Timestamp::from_unix(root.field("at").required()?.i64()?);
    let platform = account(&root.field("platform_account"), false)?;
    let connected = account(&root.field("connected_account"), true)?;
    let debit = debit(&root.field("debit"))?;
    let balance = balance(&root.field("connected_balance"), debit.currency())?;
    let input = DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        balance,
        debit,
        at,
    );
    match root.field("consent").optional() {
        None => Ok(input),
        Some(node) => Ok(input.with_consent(consent(&node)?)),
    }
}

fn account(node: &Node<'_>, connected: bool) -> Result<Account, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let id: AccountId = node.field("id").required()?.parse()?;
    let country = node.field("country").required()?.parse()?;
    let default_currency = node.field("default_currency").required()?.iso_currency()?;
    let liability = loss_liability(&node)?;
    let mut account = Account::new(id, country, default_currency, liability);
    if connected && let Some(list) = node.field("external_accounts").optional_object()? {
        if list.field("has_more").optional_bool()? == Some(true) {
            account = account.with_bank_account_list_incomplete();
        }
        for external in list.field("data").required()?.array()? {
            external.object()?;
            let is_bank = external.field("object").optional_str()? == Some("bank_account");
            let verified = external.field("status").optional_str()? == Some("verified");
            if is_bank && verified {
                let currency = external.field("currency").required()?.currency()?;
                account = account.with_verified_bank_account(currency);
            }
        }
    }
    Ok(account)
}

/// Who bears an account's losses, from `controller.losses.payments`, `controller.type` and
/// the legacy `type`. `controller` and `losses`, when present, must be objects: one of
/// another type is an error, never read as absent.
fn loss_liability(account: &Node<'_>) -> Result<LossLiability, ScenarioError> {
    let controller = account.field("controller").optional_object()?;
    let (losses_payments, controller_type) = match controller {
        None => (None, None),
        Some(controller) => {
            let payments = match controller.field("losses").optional_object()? {
                Some(losses) => losses.field("payments").optional_str()?,
                None => None,
            };
            (payments, controller.field("type").optional_str()?)
        }
    };
    Ok(LossLiability::from_stripe_fields(
        losses_payments,
        controller_type,
        account.field("type").optional_str()?,
    ))
}

/// The `available` amounts of a Balance object. They are facts Stripe reports, taken as
/// they are: only the entry in the debit's currency is judged (and must be readable); an
/// entry in another currency that cannot be read (a code this crate does not know, a
/// currency Stripe does not move, an amount that is not an integer) is skipped.
fn balance(node: &Node<'_>, debit_currency: Currency) -> Result<Balance, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let mut amounts: Vec<Money> = Vec::new();
    for entry in node.field("available").required()?.array()? {
        entry.object()?;
        let currency_node = entry.field("currency").required()?;
        let is_debits = currency_node.iso_currency().ok() == Some(debit_currency);
        let money = entry_money(&entry, &currency_node);
        let money = match money {
            Ok(money) => money,
            Err(error) if is_debits => return Err(error),
            Err(_) => continue,
        };
        let currency = money.currency();
        if amounts.iter().any(|m| m.currency() == currency) {
            return Err(currency_node.error(format_args!(
                "currency {} is listed twice",
                WireCode::of(currency)
            )));
        }
        amounts.push(money);
    }
    Balance::new(amounts).map_err(|e| node.error(e))
}

/// One `available` entry as money.
fn entry_money(entry: &Node<'_>, currency_node: &Node<'_>) -> Result<Money, ScenarioError> {
    let currency = currency_node.currency()?;
    let amount_node = entry.field("amount").required()?;
    Money::from_minor(amount_node.i64()?, currency).map_err(|e| amount_node.error(e))
}

fn consent(node: &Node<'_>) -> Result<Consent, ScenarioError> {
    node.object()?;
    let granted_at = Timestamp::from_unix(node.field("granted_at").required()?.i64()?);
    let evidence = node.field("evidence").required()?.parse()?;
    let consent = Consent::granted(granted_at, evidence);
    match node.field("revoked_at").optional() {
        None => Ok(consent),
        Some(revoked) => consent
            .revoke(Timestamp::from_unix(revoked.i64()?))
            .map_err(|e| revoked.error(e)),
    }
}

fn debit(node: &Node<'_>) -> Result<Debit, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let id = node.field("id").required()?.parse()?;
    let currency = node.field("currency").required()?.iso_currency()?;
    let amount_node = node.field("amount").required()?;
    let wire = amount_node.wire_amount()?;
    // A currency Stripe does not move has no wire exponent: the rules reject it
    // (`currency_unsupported`) without judging the amount, as `Debit::from_minor` does.
    let exponent = StripeCurrency::of(currency).map_or(0, StripeCurrency::wire_exponent);
    let amount =
        Decimal::try_from_i128_with_scale(wire, exponent).map_err(|e| amount_node.error(e))?;

    let reference = node.field("reference_transaction").required()?;
    reference.object()?;
    let transaction: TransactionId = reference.field("id").required()?.parse()?;
    let created_on: AccountId = reference.field("account").required()?.parse()?;
    let object_node = reference.field("object");
    // An id of a kind this crate does not know has no object name to agree with.
    if let Some(object) = object_node.optional_str()?
        && transaction.kind() != ObjectKind::Other
        && object != transaction.kind().object_name()
    {
        let kind = transaction.kind();
        return Err(object_node.error(format_args!(
            "\"{}\" does not match id {transaction}: {} {kind}'s object is \"{}\"",
            crate::value::text::quoted(object),
            kind.article(),
            kind.object_name()
        )));
    }
    Ok(Debit::new(
        id,
        amount,
        currency,
        ReferenceTransaction::new(transaction, created_on),
    ))
}
