//! Writing an outcome: a plan, a rejection or an input error, as one JSON object.
//!
//! The outputs of every command are typed values: records whose fields are the JSON's, in
//! the order the JSON writes them, that serialize themselves (and read themselves back, so
//! that a binding can rebuild one from what it wrote: Python's pickling). Codes are
//! [`Code`]s: borrowed when the library writes them, owned when read back.

use core::fmt;
use std::borrow::Cow;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ReadError;
use crate::currency::{StripeCurrency, WireCode};
use crate::debit::rules::{Detail, Entry, Rule};
use crate::lifecycle::ReversalViolation;
use crate::request::Headers;
use crate::stripe::ReferenceType;
use crate::value::money::MinorUnits;
use crate::{
    AccountId, Advisory, Currency, DebitPlan, Decimal, IdempotencyKey, Rejection, TransactionId,
    Violation,
};

/// A stable snake_case code (or a fixed word, such as `POST`) of an output: borrowed when
/// the library writes it, owned when an output is read back.
pub type Code = Cow<'static, str>;

/// Zero-sized markers for the field that names what an output is (`"outcome": "planned"`,
/// `"next": "retry"`): each writes its word and reads back only that word, so that an
/// untagged enum of records reads back as the record it was.
macro_rules! tags {
    ($($name:ident = $word:literal;)*) => {$(
        #[doc = concat!("The word `\"", $word, "\"`.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub(crate) struct $name;

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($word)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::adapters::json::outcome::Word($word))?;
                Ok($name)
            }
        }
    )*};
}
pub(crate) use tags;

/// Reads one given word.
pub(crate) struct Word(pub(crate) &'static str);

impl Visitor<'_> for Word {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        if text == self.0 {
            Ok(())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(text), &self))
        }
    }
}

tags! {
    PlannedTag = "planned";
    RejectedTag = "rejected";
    InvalidInputTag = "invalid_input";
}

/// Writes `value` as compact JSON, or indented with `{:#}`.
pub(crate) fn write_json<T: Serialize>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let text = if f.alternate() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    f.write_str(&text.map_err(|_| fmt::Error)?)
}

/// `Display` (JSON) for output types, and a `Debug` that shows it.
macro_rules! json_display {
    ($($ty:ty),* $(,)?) => {$(
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::adapters::json::outcome::write_json(self, f)
            }
        }
    )*};
}
pub(crate) use json_display;

/// What an [`Outcome`] says: the `outcome` field, and the command line's exit status.
/// Exhaustive on purpose: a new kind is a compile error wherever kinds are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanKind {
    /// The debit is planned.
    Planned,
    /// The debit breaks a rule.
    Rejected,
    /// The input could not be read.
    InvalidInput,
}

impl PlanKind {
    /// `"planned"`, `"rejected"` or `"invalid_input"`.
    pub const fn code(self) -> &'static str {
        match self {
            PlanKind::Planned => "planned",
            PlanKind::Rejected => "rejected",
            PlanKind::InvalidInput => "invalid_input",
        }
    }
}

/// The JSON output of one run: a plan, a rejection, or input that could not be read.
///
/// It implements `Serialize` (with its fields in a fixed order), `Deserialize` (reading
/// back what it wrote) and `Display`, which writes compact JSON, or indented JSON with
/// `{:#}`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, json, plan_debit};
///
/// let result = plan_debit(&demo::input()?);
/// let out = json::outcome(&result);
/// assert_eq!(out.kind(), json::PlanKind::Planned);
/// assert!(out.to_string().starts_with(r#"{"outcome":"planned","flow":"stripe_managed","method":"transfer","transfer":{"#));
/// let value = serde_json::to_value(&out)?;
/// assert_eq!(value["request"]["form"][0], serde_json::json!(["amount", "500"]));
/// // It reads back as the same value.
/// assert_eq!(serde_json::from_value::<json::Outcome>(value)?, out);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Outcome {
    /// The debit is planned.
    Planned(Box<Planned>),
    /// The debit breaks a rule.
    Rejected(Rejected),
    /// The input could not be read.
    InvalidInput(InvalidInput),
}

impl Outcome {
    /// What it says: the `outcome` field.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json;
    ///
    /// let err = json::read_scenario("{").unwrap_err();
    /// assert_eq!(json::invalid_input(&err).kind(), json::PlanKind::InvalidInput);
    /// assert_eq!(json::invalid_input(&err).kind().code(), "invalid_input");
    /// ```
    pub fn kind(&self) -> PlanKind {
        match self {
            Outcome::Planned(_) => PlanKind::Planned,
            Outcome::Rejected(_) => PlanKind::Rejected,
            Outcome::InvalidInput(_) => PlanKind::InvalidInput,
        }
    }
}

json_display!(Outcome);

impl fmt::Debug for Outcome {
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
///     stripe_account_debits::stripe::Platform::new(input.platform().clone()),
///     stripe_account_debits::stripe::Connected::new(input.connected().clone()),
///     input.connected_balance().clone(),
///     input.debit().clone(),
///     input.at(),
/// );
/// let out = serde_json::to_value(json::outcome(&plan_debit(&without_consent)))?;
/// assert_eq!(out["outcome"], "rejected");
/// assert_eq!(out["violations"][0]["code"], "consent_missing");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outcome(result: &Result<DebitPlan, Rejection>) -> Outcome {
    match result {
        Ok(plan) => Outcome::Planned(Box::new(Planned::of(plan))),
        Err(rejection) => Outcome::Rejected(Rejected::of(rejection)),
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
pub fn invalid_input(error: &ReadError) -> Outcome {
    Outcome::InvalidInput(InvalidInput {
        outcome: InvalidInputTag,
        error: error.to_string(),
        kind: Cow::Borrowed(error.kind().code()),
        path: error.path().to_owned(),
    })
}

/// Input that could not be read (`"outcome": "invalid_input"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvalidInput {
    outcome: InvalidInputTag,
    /// The whole message, path first.
    pub error: String,
    /// The error's kind ([`ReadErrorKind::code`](super::ReadErrorKind::code)).
    pub kind: Code,
    /// The JSON path at fault, empty for the document as a whole.
    pub path: String,
}

/// A rejection (`"outcome": "rejected"`): every rule the debit breaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rejected {
    outcome: RejectedTag,
    /// The violations, in the order the rules are checked.
    pub violations: Vec<Coded>,
}

impl Rejected {
    /// The output of `rejection`: any rule table's, a debit's or a reversal's.
    pub fn of<V: Rule>(rejection: &Rejection<V>) -> Rejected {
        Rejected {
            outcome: RejectedTag,
            violations: rejection
                .violations()
                .iter()
                .map(Coded::violation)
                .collect(),
        }
    }
}

/// A plan (`"outcome": "planned"`): the transfer, the payment, the balances, the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Planned {
    outcome: PlannedTag,
    /// `"stripe_managed"` or `"platform_managed"`.
    pub flow: Code,
    /// `"transfer"` or `"charge"`.
    pub method: Code,
    /// The Account Debit: a transfer from the connected account to the platform.
    pub transfer: TransferOut,
    /// The payment the transfer creates on the platform.
    pub payment: PaymentOut,
    /// The part Stripe holds in reserve on the connected account.
    pub reserve_hold: Option<AmountOn>,
    /// The connected account's available balance, before and after.
    pub connected_available: BalanceOut,
    /// The change to the platform's available balance, in minor units.
    pub platform_available_change: i64,
    /// What the plan warns of, without refusing it.
    pub advisories: Vec<Coded>,
    /// The request of the first attempt.
    pub request: RequestOut,
}

/// The transfer of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TransferOut {
    /// The account it is created on: the connected account.
    pub account: AccountId,
    /// The platform.
    pub destination: AccountId,
    /// Minor units.
    pub amount: i64,
    /// Lowercase, as Stripe writes it.
    pub currency: WireCode,
    /// `null` for a platform-managed debit, whose request sends none.
    pub reference_transaction: Option<ReferenceOut>,
}

/// The transaction a debit refers to: `{"type": "charge", "charge": "ch_..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReferenceOut {
    /// `"charge"` or `"payout"`.
    #[serde(rename = "type")]
    pub kind: Code,
    /// The charge, for a charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge: Option<TransactionId>,
    /// The payout, for a payout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payout: Option<TransactionId>,
}

/// The payment of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaymentOut {
    /// The platform.
    pub account: AccountId,
    /// The connected account.
    pub source_account: AccountId,
    /// Minor units.
    pub amount: i64,
    /// Lowercase.
    pub currency: WireCode,
}

/// An amount on an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AmountOn {
    /// The account.
    pub account: AccountId,
    /// Minor units.
    pub amount: i64,
    /// Lowercase.
    pub currency: WireCode,
}

/// A balance before and after.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BalanceOut {
    /// Minor units.
    pub before: i64,
    /// Minor units.
    pub after: i64,
    /// Lowercase.
    pub currency: WireCode,
}

/// An amount and its currency: `{"amount": 2500, "currency": "usd"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MoneyOut {
    /// Minor units.
    pub amount: i64,
    /// Lowercase.
    pub currency: WireCode,
}

impl MoneyOut {
    /// The output of `money`.
    pub fn of(money: crate::Money) -> MoneyOut {
        MoneyOut {
            amount: money.minor(),
            currency: WireCode::of(money.currency()),
        }
    }
}

/// A balance after and before, with its fields in alphabetical order (as the lifecycle,
/// batch and book outputs write every object; a plan writes [`BalanceOut`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BalanceChange {
    /// Minor units.
    pub after: i64,
    /// Minor units.
    pub before: i64,
    /// Lowercase.
    pub currency: WireCode,
}

/// A plan's request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RequestOut {
    /// `"POST"`.
    pub method: Code,
    /// `"/v1/transfers"` or `"/v1/charges"`.
    pub path: Code,
    /// The headers besides authentication.
    pub headers: HeadersOut,
    /// `[name, value]` pairs, in order.
    pub form: Vec<(Code, String)>,
}

/// A plan's request's headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HeadersOut {
    /// `Stripe-Account`: absent for a charge, which the platform makes as itself.
    #[serde(
        rename = "Stripe-Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stripe_account: Option<String>,
    /// `Idempotency-Key`.
    #[serde(rename = "Idempotency-Key")]
    pub idempotency_key: IdempotencyKey,
    /// `Content-Type`.
    #[serde(rename = "Content-Type")]
    pub content_type: Code,
}

/// A violation or an advisory: its code, its message and the values it names (as fields
/// beside them, named as in the rule table).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Coded {
    /// The stable snake_case code.
    pub code: Code,
    /// What it says, in words.
    pub message: String,
    /// The values it names, in the order of their names.
    pub details: Vec<(Code, DetailValue)>,
}

/// The value of one field of a violation or an advisory.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DetailValue {
    /// A flag.
    Flag(bool),
    /// An integer: an amount in minor units, a count, a time in Unix seconds.
    Integer(i64),
    /// An integer beyond `i64` (a position in a sequence of more than 2^63 debits).
    Unsigned(u64),
    /// A string: an id, a code, a currency, an amount that is not a whole number of minor
    /// units.
    Text(Cow<'static, str>),
}

impl Coded {
    /// The output of a violation of any rule table: a debit's or a reversal's.
    pub fn violation<V: Rule>(v: &V) -> Coded {
        Coded {
            code: Cow::Borrowed(v.code()),
            message: v.to_string(),
            details: details(|visit| v.for_each_detail(visit)),
        }
    }

    /// The output of an advisory.
    pub fn advisory(a: Advisory) -> Coded {
        Coded {
            code: Cow::Borrowed(a.code()),
            message: a.to_string(),
            details: details(|visit| a.for_each_detail(visit)),
        }
    }

    /// The fields as written: `code`, `message`, then the details.
    fn fields(&self) -> impl Iterator<Item = (&str, FieldRef<'_>)> {
        [
            ("code", FieldRef::Text(&self.code)),
            ("message", FieldRef::Text(&self.message)),
        ]
        .into_iter()
        .chain(
            self.details
                .iter()
                .map(|(name, value)| (name.as_ref(), FieldRef::Detail(value))),
        )
    }

    /// Serializes its fields with their names in alphabetical order (as the batch, the
    /// lifecycle and the book outputs write every object).
    pub(crate) fn serialize_sorted<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields: Vec<(&str, FieldRef<'_>)> = self.fields().collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        write_fields(serializer, fields)
    }
}

/// A field of a [`Coded`], to write.
#[derive(Clone, Copy)]
enum FieldRef<'a> {
    Text(&'a str),
    Detail(&'a DetailValue),
}

impl Serialize for FieldRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldRef::Text(text) => serializer.serialize_str(text),
            FieldRef::Detail(value) => value.serialize(serializer),
        }
    }
}

fn write_fields<'a, S: Serializer>(
    serializer: S,
    fields: impl IntoIterator<Item = (&'a str, FieldRef<'a>)>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (name, value) in fields {
        map.serialize_entry(name, &value)?;
    }
    map.end()
}

impl Serialize for Coded {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_fields(serializer, self.fields())
    }
}

impl<'de> Deserialize<'de> for Coded {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Coded, D::Error> {
        deserializer.deserialize_map(CodedVisitor)
    }
}

struct CodedVisitor;

impl<'de> Visitor<'de> for CodedVisitor {
    type Value = Coded;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a code and a message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Coded, A::Error> {
        let (mut code, mut message, mut details) = (None, None, Vec::new());
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "code" => code = Some(Cow::Owned(map.next_value::<String>()?)),
                "message" => message = Some(map.next_value::<String>()?),
                _ => details.push((Cow::Owned(name), map.next_value::<DetailValue>()?)),
            }
        }
        Ok(Coded {
            code: code.ok_or_else(|| de::Error::missing_field("code"))?,
            message: message.ok_or_else(|| de::Error::missing_field("message"))?,
            details,
        })
    }
}

impl Planned {
    /// The output of `plan`.
    pub fn of(plan: &DebitPlan) -> Planned {
        let transfer = plan.transfer();
        let currency = WireCode::of(transfer.currency());
        let reference_type = transfer.reference_type();
        let reference = transfer.reference().map(|r| r.id());
        Planned {
            outcome: PlannedTag,
            flow: Cow::Borrowed(plan.flow().code()),
            method: Cow::Borrowed(plan.method().code()),
            transfer: TransferOut {
                account: transfer.account(),
                destination: transfer.destination(),
                amount: transfer.amount().minor(),
                currency,
                reference_transaction: reference_type.map(|kind| ReferenceOut {
                    kind: Cow::Borrowed(kind.as_str()),
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
            advisories: plan.advisories().iter().map(Coded::advisory).collect(),
            request: RequestOut::of(plan),
        }
    }
}

impl RequestOut {
    /// The request of the first attempt of `plan`.
    fn of(plan: &DebitPlan) -> RequestOut {
        let request = plan.request();
        RequestOut {
            method: Cow::Borrowed(request.method()),
            path: Cow::Borrowed(request.path()),
            headers: HeadersOut {
                stripe_account: request.stripe_account().map(str::to_owned),
                idempotency_key: request.idempotency_key(),
                content_type: Cow::Borrowed(Headers::CONTENT_TYPE),
            },
            form: request
                .form()
                .map(|(name, value)| (Cow::Borrowed(name), value.to_owned()))
                .collect(),
        }
    }
}

/// The values a violation or an advisory carries, as JSON fields beside its code and
/// message, named as in the rule table, in the order of their names. Amounts are in minor
/// units of the currency the same violation names, as every amount in the output is (see
/// [`amount_field`]); money is in minor units too, and a violation that carries money but
/// names no currency of its own has its money's as `currency` (lowercase, as Stripe writes
/// it).
fn details(for_each: impl Fn(&mut dyn FnMut(&'static str, Detail))) -> Vec<(Code, DetailValue)> {
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
    let mut fields = Vec::new();
    for_each(&mut |name, detail| match detail {
        Detail::Amount(amount) => fields.push(amount_field(name, amount, currency)),
        other => {
            if let Some(value) = detail_value(other) {
                fields.push((Cow::Borrowed(name), value));
            }
        }
    });
    if let (None, Some(of_money)) = (currency, of_money) {
        let code = WireCode::of(of_money).as_str().to_owned();
        fields.push((
            Cow::Borrowed("currency"),
            DetailValue::Text(Cow::Owned(code)),
        ));
    }
    // By name, as the output has always written them; a name given twice keeps its last
    // value (the rule table names each field once).
    fields.reverse();
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    fields.dedup_by(|later, earlier| later.0 == earlier.0);
    fields
}

/// An amount asked for, written in minor units as Stripe's wire amounts are: `name` is the
/// integer when it is a 64-bit integer of minor units (`5.00` USD is `500`); otherwise,
/// `<name>_decimal` is the exact number of minor units as a string (`5.001` USD is
/// `"500.1"`), after Stripe's own `unit_amount_decimal` beside `unit_amount` (Prices), an
/// amount in minor units that is not a whole one.
fn amount_field(
    name: &'static str,
    amount: Decimal,
    currency: Option<Currency>,
) -> (Code, DetailValue) {
    let minor = currency
        .and_then(StripeCurrency::of)
        .map(|currency| MinorUnits::of(amount, currency));
    // Amounts are judged only in a currency Stripe moves, and every such violation names it.
    debug_assert!(minor.is_some(), "an amount without a Stripe currency");
    let text = |suffix: &str, value: &dyn fmt::Display| {
        (
            Cow::Owned(format!("{name}{suffix}")),
            DetailValue::Text(Cow::Owned(value.to_string())),
        )
    };
    match minor {
        Some(MinorUnits::Whole(whole)) => match i64::try_from(whole) {
            Ok(wire) => (Cow::Borrowed(name), DetailValue::Integer(wire)),
            Err(_) => text("_decimal", &whole),
        },
        Some(MinorUnits::Fraction(fraction)) => text("_decimal", &fraction),
        // Not reached (see the assertion above): the amount as given, named as such.
        Some(MinorUnits::Beyond) | None => text("_major", &amount),
    }
}

/// One field's value; `None` leaves the field out.
fn detail_value(detail: Detail) -> Option<DetailValue> {
    let text = |s: &dyn fmt::Display| DetailValue::Text(Cow::Owned(s.to_string()));
    let code = |s: &'static str| DetailValue::Text(Cow::Borrowed(s));
    Some(match detail {
        Detail::Account(id) => text(&id),
        Detail::Transaction(id) => text(&id),
        Detail::Debit(id) => text(&id),
        Detail::Kind(kind) => code(kind.object_name()),
        Detail::Country(country) => text(&country),
        Detail::Region(region) => code(region.code()),
        Detail::Currency(currency) => text(&WireCode::of(currency)),
        // Written by `details`, which knows the currency.
        Detail::Amount(amount) => text(&amount),
        Detail::Count(n) => DetailValue::Integer(i64::from(n)),
        // An `Integer` whenever it fits, so that a value read back is the one written.
        Detail::Index(n) => i64::try_from(n).map_or(DetailValue::Unsigned(n), DetailValue::Integer),
        Detail::Flag(flag) => DetailValue::Flag(flag),
        Detail::Time(at) => DetailValue::Integer(at.unix()),
        Detail::Money(money) => DetailValue::Integer(money.minor()),
        Detail::Code(c) => code(c),
        Detail::Absent => return None,
    })
}

/// A plan serializes as the command prints it (`"outcome": "planned"`, the transfer, the
/// payment, the balances, the request).
impl Serialize for DebitPlan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Planned::of(self).serialize(serializer)
    }
}

/// A rejection (a debit's or a reversal's) serializes as the commands print it
/// (`"outcome": "rejected"` and the violations).
impl<V: Rule> Serialize for Rejection<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Rejected::of(self).serialize(serializer)
    }
}

/// A violation serializes as its code, its message and its fields.
impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Coded::violation(self).serialize(serializer)
    }
}

/// A reversal's violation serializes as a debit's: its code, its message and its fields.
impl Serialize for ReversalViolation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Coded::violation(self).serialize(serializer)
    }
}

/// An advisory serializes as its code, its message and its fields.
impl Serialize for Advisory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Coded::advisory(*self).serialize(serializer)
    }
}
