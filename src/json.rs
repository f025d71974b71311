//! The JSON boundary (feature `serde`): read a scenario made of Stripe objects pasted as
//! they come, and write a plan, a rejection or an input error as one JSON object.
//!
//! # Scenario
//!
//! ```json
//! {
//!   "at": 1764000000,
//!   "platform_account": { "id": "acct_...", "country": "US", "default_currency": "usd" },
//!   "connected_account": { "id": "acct_...", "country": "US", "default_currency": "usd",
//!                          "controller": { "losses": { "payments": "stripe" } },
//!                          "external_accounts": { "data": [ { "object": "bank_account", "currency": "usd", "status": "verified" } ] } },
//!   "connected_balance": { "object": "balance", "available": [ { "amount": 1000, "currency": "usd" } ] },
//!   "consent": { "granted_at": 1700000000, "revoked_at": null, "evidence": "agreement-42" },
//!   "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
//!              "reference_transaction": { "id": "ch_...", "account": "acct_..." } }
//! }
//! ```
//!
//! Accounts and the balance are Stripe's Account and Balance objects; fields this crate does
//! not use are ignored. `consent` may be `null` or absent. `reference_transaction` may be a
//! whole Charge or Payout object plus the `account` it was created on; when it has an
//! `object` field, that must agree with the id's prefix. Amounts are Stripe wire integers
//! (a float or a string where an amount belongs is an error).
//!
//! # Example
//!
//! ```
//! use stripe_account_debits::{json, plan_debit};
//!
//! let scenario = r#"{
//!   "at": 1764000000,
//!   "platform_account": { "id": "acct_1P", "country": "US", "default_currency": "usd" },
//!   "connected_account": { "id": "acct_1C", "country": "US", "default_currency": "usd", "type": "standard" },
//!   "connected_balance": { "available": [ { "amount": 100, "currency": "usd" } ] },
//!   "consent": { "granted_at": 1700000000, "evidence": "agreement-42" },
//!   "debit": { "id": "recovery-42", "amount": 500, "currency": "usd",
//!              "reference_transaction": { "id": "ch_1", "account": "acct_1C" } }
//! }"#;
//! let request = json::read_scenario(scenario)?;
//! let output = serde_json::to_value(json::outcome(&plan_debit(&request)))?;
//! assert_eq!(output["outcome"], "planned");
//! assert_eq!(output["reserve_hold"]["amount"], 400);
//!
//! let err = json::read_scenario(&scenario.replace("\"usd\" } ] }", "\"xyz\" } ] }")).unwrap_err();
//! assert_eq!(err.to_string(), "connected_balance.available[0].currency: unknown currency \"xyz\"");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use iso_currency::Currency;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::currency::{self, WireCode};
use crate::{
    Account, AccountId, Balance, Consent, Debit, DebitPlan, DebitRequest, LossLiability, Money,
    ReferenceTransaction, ReferenceType, Rejection, Timestamp, TransactionId, Violation,
};

/// Why a scenario cannot be read: the JSON path at fault and what is wrong there.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let err = json::read_scenario("[]").unwrap_err();
/// assert_eq!(err.path(), "");
/// assert_eq!(err.to_string(), "expected a JSON object, found an array");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    path: String,
    message: String,
}

impl ScenarioError {
    fn at(path: &str, message: impl fmt::Display) -> ScenarioError {
        ScenarioError {
            path: path.to_owned(),
            message: message.to_string(),
        }
    }

    /// An error about the document as a whole (one that could not be read, say), with no
    /// path.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::ScenarioError;
    ///
    /// let err = ScenarioError::document("cannot read scenario.json: permission denied");
    /// assert_eq!(err.to_string(), "cannot read scenario.json: permission denied");
    /// ```
    pub fn document(message: impl fmt::Display) -> ScenarioError {
        ScenarioError::at("", message)
    }

    /// The JSON path at fault (`connected_account.default_currency`), empty for the
    /// document as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Reads a scenario from JSON text.
///
/// # Errors
///
/// A [`ScenarioError`] naming the path of the first value that cannot be read.
pub fn read_scenario(text: &str) -> Result<DebitRequest, ScenarioError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ScenarioError::at("", format_args!("invalid JSON: {e}")))?;
    scenario_from_value(&value)
}

/// Reads a scenario from parsed JSON.
///
/// # Errors
///
/// A [`ScenarioError`] naming the path of the first value that cannot be read.
pub fn scenario_from_value(value: &Value) -> Result<DebitRequest, ScenarioError> {
    let root = Node::root(value);
    root.object()?;
    let at = Timestamp::from_unix(root.field("at").required()?.i64()?);
    let platform = account(&root.field("platform_account"), false)?;
    let connected = account(&root.field("connected_account"), true)?;
    let balance = balance(&root.field("connected_balance"))?;
    let debit = debit(&root.field("debit"))?;
    let request = DebitRequest::new(platform, connected, balance, debit, at);
    match root.field("consent").optional() {
        None => Ok(request),
        Some(node) => Ok(request.with_consent(consent(&node)?)),
    }
}

/// A value (or its absence) with its path, for errors that say where they are.
struct Node<'a> {
    value: Option<&'a Value>,
    path: String,
}

impl<'a> Node<'a> {
    fn root(value: &'a Value) -> Node<'a> {
        Node {
            value: Some(value),
            path: String::new(),
        }
    }

    fn error(&self, message: impl fmt::Display) -> ScenarioError {
        ScenarioError::at(&self.path, message)
    }

    fn field(&self, key: &str) -> Node<'a> {
        let path = if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        };
        Node {
            value: self.value.and_then(|v| v.get(key)),
            path,
        }
    }

    fn object(&self) -> Result<&'a Map<String, Value>, ScenarioError> {
        match self.value {
            Some(Value::Object(map)) => Ok(map),
            _ => Err(self.error(format_args!(
                "expected a JSON object, found {}",
                self.kind()
            ))),
        }
    }

    /// The value, treating `null` as absent.
    fn optional(&self) -> Option<Node<'a>> {
        match self.value {
            None | Some(Value::Null) => None,
            Some(v) => Some(Node {
                value: Some(v),
                path: self.path.clone(),
            }),
        }
    }

    fn required(&self) -> Result<Node<'a>, ScenarioError> {
        self.optional().ok_or_else(|| self.error("missing"))
    }

    fn kind(&self) -> &'static str {
        match self.value {
            None => "nothing",
            Some(Value::Null) => "null",
            Some(Value::Bool(_)) => "a boolean",
            Some(Value::Number(n)) if n.is_f64() => "a float",
            Some(Value::Number(_)) => "an integer",
            Some(Value::String(_)) => "a string",
            Some(Value::Array(_)) => "an array",
            Some(Value::Object(_)) => "an object",
        }
    }

    fn str(&self) -> Result<&'a str, ScenarioError> {
        match self.value {
            Some(Value::String(s)) => Ok(s),
            _ => Err(self.error(format_args!("expected a string, found {}", self.kind()))),
        }
    }

    fn optional_str(&self) -> Result<Option<&'a str>, ScenarioError> {
        self.optional().map(|n| n.str()).transpose()
    }

    fn i64(&self) -> Result<i64, ScenarioError> {
        self.value.and_then(Value::as_i64).ok_or_else(|| {
            self.error(format_args!(
                "expected a 64-bit integer, found {}",
                self.kind()
            ))
        })
    }

    /// A Stripe wire amount: any JSON integer (one beyond `i64` is for the rules to judge).
    fn wire_amount(&self) -> Result<i128, ScenarioError> {
        let value = match self.value {
            Some(Value::Number(n)) => n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from)),
            _ => None,
        };
        value.ok_or_else(|| {
            self.error(format_args!(
                "expected an integer amount in minor units, found {}",
                self.kind()
            ))
        })
    }

    fn array(&self) -> Result<Vec<Node<'a>>, ScenarioError> {
        match self.value {
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Node {
                    value: Some(v),
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            _ => Err(self.error(format_args!("expected an array, found {}", self.kind()))),
        }
    }

    fn parse<T: core::str::FromStr>(&self) -> Result<T, ScenarioError>
    where
        T::Err: fmt::Display,
    {
        self.str()?.parse().map_err(|e| self.error(e))
    }

    fn currency(&self) -> Result<Currency, ScenarioError> {
        currency::parse_currency(self.str()?).map_err(|e| self.error(e))
    }
}

fn account(node: &Node<'_>, connected: bool) -> Result<Account, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let id: AccountId = node.field("id").required()?.parse()?;
    let country = node.field("country").required()?.parse()?;
    let default_currency = node.field("default_currency").required()?.currency()?;
    let controller = node.field("controller");
    let liability = LossLiability::from_stripe_fields(
        controller
            .field("losses")
            .field("payments")
            .optional_str()?,
        controller.field("type").optional_str()?,
        node.field("type").optional_str()?,
    );
    let mut account = Account::new(id, country, default_currency, liability);
    if connected && let Some(list) = node.field("external_accounts").optional() {
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

fn balance(node: &Node<'_>) -> Result<Balance, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let mut amounts: Vec<Money> = Vec::new();
    for entry in node.field("available").required()?.array()? {
        entry.object()?;
        let currency_node = entry.field("currency").required()?;
        let currency = currency_node.currency()?;
        let amount_node = entry.field("amount").required()?;
        let money =
            Money::from_minor(amount_node.i64()?, currency).map_err(|e| amount_node.error(e))?;
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

fn consent(node: &Node<'_>) -> Result<Consent, ScenarioError> {
    node.object()?;
    let granted_at = Timestamp::from_unix(node.field("granted_at").required()?.i64()?);
    let evidence = node.field("evidence").required()?.parse()?;
    let consent = Consent::granted(granted_at, evidence);
    match node.field("revoked_at").optional() {
        None => Ok(consent),
        Some(revoked) => consent
            .revoked_at(Timestamp::from_unix(revoked.i64()?))
            .map_err(|e| revoked.error(e)),
    }
}

fn debit(node: &Node<'_>) -> Result<Debit, ScenarioError> {
    let node = node.required()?;
    node.object()?;
    let id = node.field("id").required()?.parse()?;
    let currency = node.field("currency").required()?.currency()?;
    let amount_node = node.field("amount").required()?;
    let wire = amount_node.wire_amount()?;
    // `parse_currency` only returns currencies Stripe moves, which all have units.
    let exponent = currency::units(currency).map_or(0, |u| u.wire_exponent());
    let amount =
        Decimal::try_from_i128_with_scale(wire, exponent).map_err(|e| amount_node.error(e))?;

    let reference = node.field("reference_transaction").required()?;
    reference.object()?;
    let transaction: TransactionId = reference.field("id").required()?.parse()?;
    let created_on: AccountId = reference.field("account").required()?.parse()?;
    let object_node = reference.field("object");
    if let Some(object) = object_node.optional_str()?
        && object != transaction.kind().object_name()
    {
        return Err(object_node.error(format_args!(
            "\"{object}\" does not match id {transaction}, which names a {}",
            transaction.kind()
        )));
    }
    Ok(Debit::new(
        id,
        amount,
        currency,
        ReferenceTransaction::new(transaction, created_on),
    ))
}

/// The JSON output of one run: a plan, a rejection, or input that could not be read.
///
/// It implements `Serialize` (with its fields in a fixed order) and `Display`, which writes
/// compact JSON, or indented JSON with `{:#}`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, json, plan_debit};
///
/// let result = plan_debit(&demo::request()?);
/// let out = json::outcome(&result);
/// assert_eq!(out.kind(), "planned");
/// assert!(out.to_string().starts_with(r#"{"outcome":"planned","transfer":{"#));
/// let value = serde_json::to_value(&out)?;
/// assert_eq!(value["request"]["form"][0], serde_json::json!(["amount", "500"]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Outcome<'a>(Body<'a>);

/// What an [`Outcome`] holds; its shape is the JSON's.
#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Planned(Box<Planned<'a>>),
    Rejected(Rejected),
    InvalidInput(InvalidInput),
}

impl Outcome<'_> {
    /// `"planned"`, `"rejected"` or `"invalid_input"`.
    pub fn kind(&self) -> &'static str {
        match self.0 {
            Body::Planned(_) => "planned",
            Body::Rejected(_) => "rejected",
            Body::InvalidInput(_) => "invalid_input",
        }
    }
}

impl Serialize for Outcome<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl fmt::Display for Outcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if f.alternate() {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        };
        f.write_str(&text.map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Outcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Outcome({self})")
    }
}

/// The output for the result of [`plan_debit`](crate::plan_debit).
pub fn outcome(result: &Result<DebitPlan, Rejection>) -> Outcome<'_> {
    match result {
        Ok(plan) => Outcome(Body::Planned(Box::new(planned(plan)))),
        Err(rejection) => Outcome(Body::Rejected(rejected(rejection))),
    }
}

/// The output for input that could not be read.
pub fn invalid_input(error: &ScenarioError) -> Outcome<'static> {
    Outcome(Body::InvalidInput(InvalidInput {
        outcome: "invalid_input",
        error: error.to_string(),
    }))
}

#[derive(Serialize)]
struct InvalidInput {
    outcome: &'static str,
    error: String,
}

#[derive(Serialize)]
struct Rejected {
    outcome: &'static str,
    violations: Vec<Coded>,
}

#[derive(Serialize)]
struct Planned<'a> {
    outcome: &'static str,
    transfer: TransferOut,
    payment: PaymentOut,
    reserve_hold: Option<AmountOn>,
    connected_available: BalanceOut,
    platform_available_change: i64,
    advisories: Vec<Coded>,
    request: RequestOut<'a>,
}

#[derive(Serialize)]
struct TransferOut {
    account: AccountId,
    destination: AccountId,
    amount: i64,
    currency: WireCode,
    reference_transaction: ReferenceOut,
}

#[derive(Serialize)]
struct ReferenceOut {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    charge: Option<TransactionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payout: Option<TransactionId>,
}

#[derive(Serialize)]
struct PaymentOut {
    account: AccountId,
    source_account: AccountId,
    amount: i64,
    currency: WireCode,
}

#[derive(Serialize)]
struct AmountOn {
    account: AccountId,
    amount: i64,
    currency: WireCode,
}

#[derive(Serialize)]
struct BalanceOut {
    before: i64,
    after: i64,
    currency: WireCode,
}

#[derive(Serialize)]
struct Coded {
    code: &'static str,
    message: String,
    #[serde(flatten)]
    details: Map<String, Value>,
}

#[derive(Serialize)]
struct RequestOut<'a> {
    method: &'static str,
    path: &'static str,
    headers: HeadersOut<'a>,
    form: [[&'a str; 2]; 5],
}

#[derive(Serialize)]
struct HeadersOut<'a> {
    #[serde(rename = "Stripe-Account")]
    stripe_account: &'a str,
    #[serde(rename = "Idempotency-Key")]
    idempotency_key: &'a str,
}

fn planned(plan: &DebitPlan) -> Planned<'_> {
    let transfer = plan.transfer();
    let currency = WireCode::of(transfer.currency());
    let reference_type = transfer.reference_type();
    let reference = Some(transfer.reference().id());
    let request = plan.request();
    let [(_, stripe_account), (_, idempotency_key)] = request.headers();
    Planned {
        outcome: "planned",
        transfer: TransferOut {
            account: transfer.account(),
            destination: transfer.destination(),
            amount: transfer.amount().minor(),
            currency,
            reference_transaction: ReferenceOut {
                kind: reference_type.as_str(),
                charge: reference.filter(|_| reference_type == ReferenceType::Charge),
                payout: reference.filter(|_| reference_type == ReferenceType::Payout),
            },
        },
        payment: PaymentOut {
            account: plan.payment().account(),
            source_account: plan.payment().source_account(),
            amount: plan.payment().amount().minor(),
            currency,
        },
        reserve_hold: plan.reserve_hold().map(|hold| AmountOn {
            account: hold.account(),
            amount: hold.amount().minor(),
            currency,
        }),
        connected_available: BalanceOut {
            before: plan.connected_available().before().minor(),
            after: plan.connected_available().after().minor(),
            currency,
        },
        platform_available_change: plan.platform_available_change().minor(),
        advisories: plan
            .advisories()
            .iter()
            .map(|a| Coded {
                code: a.code(),
                message: a.to_string(),
                details: Map::new(),
            })
            .collect(),
        request: RequestOut {
            method: request.method(),
            path: request.path(),
            headers: HeadersOut {
                stripe_account,
                idempotency_key,
            },
            form: request.form().map(|(name, value)| [name, value]),
        },
    }
}

fn rejected(rejection: &Rejection) -> Rejected {
    let violations = rejection
        .violations()
        .iter()
        .map(|v| Coded {
            code: v.code(),
            message: v.to_string(),
            details: details(v),
        })
        .collect();
    Rejected {
        outcome: "rejected",
        violations,
    }
}

/// The values a violation carries, as JSON fields beside its code and message.
fn details(violation: &Violation) -> Map<String, Value> {
    let text = |s: &dyn fmt::Display| Value::String(s.to_string());
    let code = |c: &Currency| Value::String(WireCode::of(*c).as_str().to_owned());
    let fields: Vec<(&str, Value)> = match violation {
        Violation::LossLiabilityNotStripe { account }
        | Violation::LossLiabilityUnknown { account }
        | Violation::SameAccount { account } => vec![("account", text(account))],
        Violation::PlatformRegionUnsupported { country }
        | Violation::ConnectedRegionUnsupported { country } => vec![("country", text(country))],
        Violation::RegionMismatch {
            platform,
            connected,
        } => vec![
            ("platform_region", Value::from(platform.code())),
            ("connected_region", Value::from(connected.code())),
        ],
        Violation::CurrencyMismatch {
            currency,
            default_currency,
        } => vec![
            ("currency", code(currency)),
            ("default_currency", code(default_currency)),
        ],
        Violation::CurrencyUnsupported { currency } => vec![("currency", code(currency))],
        Violation::AmountNotPositive { amount, currency } => {
            vec![("amount", text(amount)), ("currency", code(currency))]
        }
        Violation::AmountTooPrecise {
            amount,
            currency,
            decimal_places,
        } => vec![
            ("amount", text(amount)),
            ("currency", code(currency)),
            ("decimal_places", Value::from(*decimal_places)),
        ],
        Violation::AmountOutOfRange {
            amount,
            currency,
            balance,
        } => {
            let mut fields = vec![("amount", text(amount)), ("currency", code(currency))];
            if let Some(balance) = balance {
                fields.push(("balance", Value::from(balance.minor())));
            }
            fields
        }
        Violation::ReferenceKindUnsupported { reference } => vec![
            ("reference", text(reference)),
            ("kind", Value::from(reference.kind().object_name())),
        ],
        Violation::ReferenceOtherAccount {
            reference,
            created_on,
            debited,
        } => vec![
            ("reference", text(reference)),
            ("created_on", text(created_on)),
            ("debited", text(debited)),
        ],
        Violation::ConsentMissing => vec![],
        Violation::ConsentNotYetValid { granted_at, at } => vec![
            ("granted_at", Value::from(granted_at.unix())),
            ("at", Value::from(at.unix())),
        ],
        Violation::ConsentRevoked { revoked_at, at } => vec![
            ("revoked_at", Value::from(revoked_at.unix())),
            ("at", Value::from(at.unix())),
        ],
    };
    fields
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}
