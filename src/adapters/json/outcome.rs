//! Writing an outcome: a plan, a rejection or an input error, as one JSON object.

use core::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::ReadError;
use crate::currency::{StripeCurrency, WireCode};
use crate::debit::rules::{Detail, Entry, Rule};
use crate::lifecycle::ReversalViolation;
use crate::value::money::MinorUnits;
use crate::{
    AccountId, Advisory, Currency, DebitPlan, Decimal, Headers, IdempotencyKey, ReferenceType,
    Rejection, TransactionId, Violation,
};

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
/// let result = plan_debit(&demo::input()?);
/// let out = json::outcome(&result);
/// assert_eq!(out.kind(), "planned");
/// assert!(out.to_string().starts_with(r#"{"outcome":"planned","flow":"stripe_managed","method":"transfer","transfer":{"#));
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
    /// `"planned"`, `"rejected"` or `"invalid_input"`: the `outcome` field.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json;
    ///
    /// let err = json::read_scenario("{").unwrap_err();
    /// assert_eq!(json::invalid_input(&err).kind(), "invalid_input");
    /// ```
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
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, json, plan_debit};
///
/// // The demo without its consent is rejected.
/// let input = demo::input()?;
/// let without_consent = stripe_account_debits::DebitInput::new(
///     stripe_account_debits::Platform::new(input.platform().clone()),
///     stripe_account_debits::Connected::new(input.connected().clone()),
///     input.connected_balance().clone(),
///     input.debit().clone(),
///     input.at(),
/// );
/// let out = serde_json::to_value(json::outcome(&plan_debit(&without_consent)))?;
/// assert_eq!(out["outcome"], "rejected");
/// assert_eq!(out["violations"][0]["code"], "consent_missing");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outcome(result: &Result<DebitPlan, Rejection>) -> Outcome<'_> {
    match result {
        Ok(plan) => Outcome(Body::Planned(Box::new(planned(plan)))),
        Err(rejection) => Outcome(Body::Rejected(rejected(rejection))),
    }
}

/// The output for input that could not be read: its kind, path and message as fields.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let err = json::read_scenario(r#"{"at": "now"}"#).unwrap_err();
/// let out = serde_json::to_value(json::invalid_input(&err))?;
/// assert_eq!(
///     out,
///     serde_json::json!({
///         "outcome": "invalid_input",
///         "kind": "wrong_type",
///         "path": "at",
///         "error": "at: expected a 64-bit integer, found a string",
///     })
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn invalid_input(error: &ReadError) -> Outcome<'static> {
    Outcome(Body::InvalidInput(InvalidInput {
        outcome: "invalid_input",
        error: error.to_string(),
        kind: error.kind().code(),
        path: error.path().to_owned(),
    }))
}

#[derive(Serialize)]
struct InvalidInput {
    outcome: &'static str,
    /// The whole message, path first.
    error: String,
    kind: &'static str,
    /// The JSON path at fault, empty for the document as a whole.
    path: String,
}

#[derive(Serialize)]
struct Rejected {
    outcome: &'static str,
    violations: Vec<Coded>,
}

#[derive(Serialize)]
struct Planned<'a> {
    outcome: &'static str,
    flow: &'static str,
    method: &'static str,
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
    /// `null` for a platform-managed debit, whose request sends none.
    reference_transaction: Option<ReferenceOut>,
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
    /// `[name, value]` pairs, in order.
    form: Vec<(&'static str, String)>,
}

#[derive(Serialize)]
struct HeadersOut<'a> {
    #[serde(rename = "Stripe-Account", skip_serializing_if = "Option::is_none")]
    stripe_account: Option<&'a str>,
    #[serde(rename = "Idempotency-Key")]
    idempotency_key: IdempotencyKey,
    #[serde(rename = "Content-Type")]
    content_type: &'static str,
}

fn planned(plan: &DebitPlan) -> Planned<'_> {
    let transfer = plan.transfer();
    let currency = WireCode::of(transfer.currency());
    let reference_type = transfer.reference_type();
    let reference = transfer.reference().map(|r| r.id());
    let request = plan.request();
    Planned {
        outcome: "planned",
        flow: plan.flow().code(),
        method: plan.method().code(),
        transfer: TransferOut {
            account: transfer.account(),
            destination: transfer.destination(),
            amount: transfer.amount().minor(),
            currency,
            reference_transaction: reference_type.map(|kind| ReferenceOut {
                kind: kind.as_str(),
                charge: reference.filter(|_| kind == ReferenceType::Charge),
                payout: reference.filter(|_| kind == ReferenceType::Payout),
            }),
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
        advisories: plan.advisories().iter().map(advisory).collect(),
        request: RequestOut {
            method: request.method(),
            path: request.path(),
            headers: HeadersOut {
                stripe_account: request.stripe_account(),
                idempotency_key: request.idempotency_key(),
                content_type: Headers::CONTENT_TYPE,
            },
            form: request
                .form()
                .map(|(name, value)| (name, value.to_owned()))
                .collect(),
        },
    }
}

/// Any rule table's rejection: a debit's or a reversal's.
fn rejected<V: Rule>(rejection: &Rejection<V>) -> Rejected {
    Rejected {
        outcome: "rejected",
        violations: rejection.violations().iter().map(violation).collect(),
    }
}

fn violation<V: Rule>(v: &V) -> Coded {
    Coded {
        code: v.code(),
        message: v.to_string(),
        details: details(|visit| v.for_each_detail(visit)),
    }
}

fn advisory(a: Advisory) -> Coded {
    Coded {
        code: a.code(),
        message: a.to_string(),
        details: details(|visit| a.for_each_detail(visit)),
    }
}

/// The values a violation or an advisory carries, as JSON fields beside its code and
/// message, named as in the rule table. Amounts are in minor units of the currency the same
/// violation names, as every amount in the output is (see [`amount_fields`]); money is in
/// minor units too, and a violation that carries money but names no currency of its own
/// has its money's as `currency` (lowercase, as Stripe writes it).
fn details(for_each: impl Fn(&mut dyn FnMut(&'static str, Detail))) -> Map<String, Value> {
    let mut currency = None;
    let mut of_money = None;
    for_each(&mut |_, detail| match detail {
        Detail::Currency(c) => currency = Some(c),
        Detail::Money(money) => {
            debug_assert!(of_money.is_none_or(|c| c == money.currency()));
            of_money = Some(money.currency());
        }
        _ => {}
    });
    let mut fields = Map::new();
    for_each(&mut |name, detail| match detail {
        Detail::Amount(amount) => amount_fields(name, amount, currency, &mut fields),
        other => {
            if let Some(value) = detail_value(other) {
                fields.insert(name.to_owned(), value);
            }
        }
    });
    if let (None, Some(of_money)) = (currency, of_money) {
        let code = WireCode::of(of_money).as_str().to_owned();
        fields.insert("currency".to_owned(), Value::String(code));
    }
    fields
}

/// An amount asked for, written in minor units as Stripe's wire amounts are: `name` is the
/// integer when it is a 64-bit integer of minor units (`5.00` USD is `500`); otherwise,
/// `<name>_decimal` is the exact number of minor units as a string (`5.001` USD is
/// `"500.1"`), after Stripe's own `unit_amount_decimal` beside `unit_amount` (Prices), an
/// amount in minor units that is not a whole one.
fn amount_fields(
    name: &'static str,
    amount: Decimal,
    currency: Option<Currency>,
    fields: &mut Map<String, Value>,
) {
    let minor = currency
        .and_then(StripeCurrency::of)
        .map(|currency| MinorUnits::of(amount, currency));
    // Amounts are judged only in a currency Stripe moves, and every such violation names it.
    debug_assert!(minor.is_some(), "an amount without a Stripe currency");
    match minor {
        Some(MinorUnits::Whole(whole)) => match i64::try_from(whole) {
            Ok(wire) => fields.insert(name.to_owned(), Value::from(wire)),
            Err(_) => fields.insert(format!("{name}_decimal"), Value::String(whole.to_string())),
        },
        Some(MinorUnits::Fraction(fraction)) => fields.insert(
            format!("{name}_decimal"),
            Value::String(fraction.to_string()),
        ),
        // Not reached (see the assertion above): the amount as given, named as such.
        Some(MinorUnits::Beyond) | None => {
            fields.insert(format!("{name}_major"), Value::String(amount.to_string()))
        }
    };
}

/// One field's JSON value; `None` leaves the field out.
fn detail_value(detail: Detail) -> Option<Value> {
    let text = |s: &dyn fmt::Display| Value::String(s.to_string());
    Some(match detail {
        Detail::Account(id) => text(&id),
        Detail::Transaction(id) => text(&id),
        Detail::Debit(id) => text(&id),
        Detail::Kind(kind) => Value::from(kind.object_name()),
        Detail::Country(country) => text(&country),
        Detail::Region(region) => Value::from(region.code()),
        Detail::Currency(currency) => text(&WireCode::of(currency)),
        // Written by `details`, which knows the currency.
        Detail::Amount(amount) => text(&amount),
        Detail::Count(n) => Value::from(n),
        Detail::Index(n) => Value::from(n),
        Detail::Flag(flag) => Value::from(flag),
        Detail::Time(at) => Value::from(at.unix()),
        Detail::Money(money) => Value::from(money.minor()),
        Detail::Code(code) => Value::from(code),
        Detail::Absent => return None,
    })
}

/// A plan serializes as the command prints it (`"outcome": "planned"`, the transfer, the
/// payment, the balances, the request).
impl Serialize for DebitPlan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        planned(self).serialize(serializer)
    }
}

/// A rejection (a debit's or a reversal's) serializes as the commands print it
/// (`"outcome": "rejected"` and the violations).
impl<V: Rule> Serialize for Rejection<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rejected(self).serialize(serializer)
    }
}

/// A violation serializes as its code, its message and its fields.
impl Serialize for Violation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        violation(self).serialize(serializer)
    }
}

/// A reversal's violation serializes as a debit's: its code, its message and its fields.
impl Serialize for ReversalViolation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        violation(self).serialize(serializer)
    }
}

/// An advisory serializes as its code, its message and its fields.
impl Serialize for Advisory {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        advisory(*self).serialize(serializer)
    }
}
