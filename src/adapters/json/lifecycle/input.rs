//! The lifecycle commands' inputs, declared for the crate's one reader. Each command's
//! object, its `attempt`, `options` and `reply` are the crate's own shapes: a key they do
//! not declare is refused. The nested `scenario` is read as `plan` reads one, the
//! platform's Balance as a book's, and Stripe's objects (a Transfer, a list, an error in a
//! reply's body) as everywhere else, accepting fields the crate does not read.

use std::borrow::Cow;

use serde::de::MapAccess;

use crate::adapters::json::scenario::{self, BalanceDoc, ScenarioDoc};
use crate::debit::input::DebitInput;
use crate::lifecycle::reply::headers;
use crate::lifecycle::reply::{Body, Reply};
use crate::lifecycle::{Attempt, ReplyOptions};
use crate::reader::{
    Both, Container, Ctx, Field, Leaf, Path, ReadError, ReadErrorKind as Kind, StrOr, fields,
    read_entries,
};
use crate::request::AttemptNumber;
use crate::stripe::balance::Balance;
use crate::stripe::error::{ErrorBodyDoc, StripeError};
use crate::stripe::list::TransferListDoc;
use crate::stripe::transfer::{TransferBody, TransferDoc};
use crate::value::text::quoted;
use crate::value::time::Timestamp;

fields! {
    /// The `reply` command's input.
    pub(super) struct ReplyInputDoc<'de> {
        unknown: refused;
        "scenario" => scenario: Field<ScenarioDoc<'de>>,
        "attempt" => attempt: Field<AttemptDoc<'de>>,
        "reply" => reply: Field<ReplyDoc<'de>>,
        "options" => options: Field<OptionsDoc<'de>>,
    }
}

fields! {
    /// The `find` command's input.
    pub(super) struct FindInputDoc<'de> {
        unknown: refused;
        "scenario" => scenario: Field<ScenarioDoc<'de>>,
        "transfers" => transfers: Field<TransferListDoc<'de>>,
        "platform_balance" => platform_balance: Field<BalanceDoc<'de>>,
    }
}

fields! {
    /// The `reverse` command's input.
    pub(super) struct ReverseInputDoc<'de> {
        unknown: refused;
        "scenario" => scenario: Field<ScenarioDoc<'de>>,
        "transfer" => transfer: Field<TransferDoc<'de>>,
        "amount" => amount: Leaf<'de>,
        "reversal_id" => reversal_id: Leaf<'de>,
        "platform_balance" => platform_balance: Field<BalanceDoc<'de>>,
    }
}

fields! {
    /// `attempt`: `sends`, `first_sent_at`, `now`, and `number` (default 1).
    pub(super) struct AttemptDoc<'de> {
        unknown: refused;
        "sends" => sends: Leaf<'de>,
        "first_sent_at" => first_sent_at: Leaf<'de>,
        "now" => now: Leaf<'de>,
        "number" => number: Leaf<'de>,
    }
}

fields! {
    /// `options`: `max_sends` and `key_window_margin_seconds`, each optional.
    pub(super) struct OptionsDoc<'de> {
        unknown: refused;
        "max_sends" => max_sends: Leaf<'de>,
        "key_window_margin_seconds" => key_window_margin_seconds: Leaf<'de>,
    }
}

fields! {
    /// `reply`: `status`, `headers` (an object of strings), `body` (any JSON, or a string
    /// for a body as it came, JSON or not).
    pub(super) struct ReplyDoc<'de> {
        unknown: refused;
        "status" => status: Leaf<'de>,
        "headers" => headers: Field<HeadersDoc<'de>>,
        "body" => body: BodyDoc<'de>,
    }
}

/// A reply's body: its text as it came (a string), or its JSON, read at once as a
/// Transfer and as an error object, since which one the decision reads depends on the
/// status, which may come after it.
pub(super) type BodyDoc<'de> = StrOr<'de, Both<TransferDoc<'de>, ErrorBodyDoc<'de>>>;

impl Body for BodyDoc<'_> {
    fn with_transfer<R>(&self, decide: impl FnOnce(Option<&TransferBody<'_>>) -> R) -> R {
        match self {
            StrOr::Str(text) => text.as_bytes().with_transfer(decide),
            StrOr::Got(Both(transfer, _)) => {
                decide(TransferBody::of(transfer, &Path::Root).ok().as_ref())
            }
            StrOr::Absent | StrOr::Null | StrOr::Not(_) => decide(None),
        }
    }

    fn stripe_error(&self) -> StripeError {
        match self {
            StrOr::Str(text) => text.as_bytes().stripe_error(),
            StrOr::Got(Both(_, error)) => StripeError::of(error),
            StrOr::Absent | StrOr::Null | StrOr::Not(_) => StripeError::default(),
        }
    }
}

/// `reply.headers`: an object of strings. The headers the decision reads are kept; one of
/// them given twice (in any case) with different values is refused, naming the second.
#[derive(Debug, Default)]
pub(super) struct HeadersDoc<'de> {
    read: Vec<(Cow<'de, str>, Cow<'de, str>)>,
}

impl<'de> Container<'de> for HeadersDoc<'de> {
    const EXPECTED: &'static str = "a JSON object";

    fn read_map<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: A,
        ctx: Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        let mut doc = HeadersDoc::default();
        read_entries(first, map, ctx, |name, value, path| {
            let Leaf::Str(value) = value else {
                return Err(value.type_error(path, "a string"));
            };
            if headers::READ
                .iter()
                .any(|read| name.eq_ignore_ascii_case(read))
            {
                doc.read.push((name.clone(), value));
            }
            Ok(())
        })?;
        if let Err(ambiguous) = headers::known(&doc.pairs()) {
            let name = doc.read.get(ambiguous.index).map_or("", |(name, _)| name);
            return Err(ctx.fail(ReadError::at(
                Kind::Invalid,
                &ctx.path.key(name),
                format_args!(
                    "the header {} is given twice with different values",
                    ambiguous.name
                ),
            )));
        }
        Ok(Some(doc))
    }
}

impl HeadersDoc<'_> {
    /// The headers kept, as a [`Reply`] takes them.
    fn pairs(&self) -> Vec<(&str, &str)> {
        self.read
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_ref()))
            .collect()
    }
}

/// The nested `scenario` at `path`, read as `plan` reads a scenario.
pub(super) fn scenario(
    field: &Field<ScenarioDoc<'_>>,
    path: &Path<'_>,
) -> Result<DebitInput, ReadError> {
    scenario::scenario(field.required(path)?, path)
}

/// `platform_balance`, the platform's Balance object, which must be given: read as a
/// book reads its own, with the entry in `currency` judged.
pub(super) fn platform_balance(
    field: &Field<BalanceDoc<'_>>,
    path: &Path<'_>,
    currency: iso_currency::Currency,
) -> Result<Balance, ReadError> {
    scenario::balance(field, path, currency)
}

/// `attempt`, which must be given.
pub(super) fn attempt(
    field: &Field<AttemptDoc<'_>>,
    path: &Path<'_>,
) -> Result<Attempt, ReadError> {
    let doc = field.required(path)?;
    let (sends, first, now, number) = (
        path.key("sends"),
        path.key("first_sent_at"),
        path.key("now"),
        path.key("number"),
    );
    let sends: u32 = doc.sends.required(&sends)?.int(&sends)?;
    let first = Timestamp::from_unix(doc.first_sent_at.required(&first)?.int(&first)?);
    let now = Timestamp::from_unix(doc.now.required(&now)?.int(&now)?);
    let number = match doc.number.present() {
        None => AttemptNumber::FIRST,
        Some(given) => AttemptNumber::new(given.int(&number)?)
            .ok_or_else(|| ReadError::at(Kind::Invalid, &number, "attempts count from 1"))?,
    };
    Attempt::new(number, sends, first, now).map_err(|e| ReadError::at(Kind::Invalid, path, e))
}

/// `options`, each optional (absent or `null`: the defaults).
pub(super) fn options(
    field: &Field<OptionsDoc<'_>>,
    path: &Path<'_>,
) -> Result<ReplyOptions, ReadError> {
    let mut options = ReplyOptions::default();
    let Some(doc) = field.optional(path)? else {
        return Ok(options);
    };
    let max_sends = path.key("max_sends");
    if let Some(sends) = doc.max_sends.present() {
        options = options.with_max_sends(sends.int(&max_sends)?);
    }
    let margin = path.key("key_window_margin_seconds");
    if let Some(seconds) = doc.key_window_margin_seconds.present() {
        options = options.with_key_window_margin(seconds.int(&margin)?);
    }
    Ok(options)
}

/// A reply, read: its status, the headers the decision reads, and its body.
pub(super) struct ReplyRead<'a, 'de> {
    pub(super) status: u16,
    pub(super) headers: Vec<(&'a str, &'a str)>,
    pub(super) body: &'a BodyDoc<'de>,
}

impl ReplyRead<'_, '_> {
    /// The reply as the decision takes it (the body apart).
    pub(super) fn reply(&self) -> Reply<'_> {
        Reply::new(self.status, &self.headers, b"")
    }
}

/// `reply`: `null` for no reply at all (a timeout); a missing `reply` is a mistake, not
/// that.
pub(super) fn reply<'a, 'de>(
    field: &'a Field<ReplyDoc<'de>>,
    path: &Path<'_>,
) -> Result<Option<ReplyRead<'a, 'de>>, ReadError> {
    let doc = match field {
        Field::Absent => {
            return Err(ReadError::at(
                Kind::Missing,
                path,
                "missing (null for no reply)",
            ));
        }
        Field::Null => return Ok(None),
        other => other.get(path)?,
    };
    let status = path.key("status");
    let status = doc.status.required(&status)?.int(&status)?;
    let headers = match doc.headers.optional(&path.key("headers"))? {
        Some(headers) => headers.pairs(),
        None => Vec::new(),
    };
    Ok(Some(ReplyRead {
        status,
        headers,
        body: &doc.body,
    }))
}

/// `amount`, in the currency's wire units, when given.
pub(super) fn amount(leaf: &Leaf<'_>, path: &Path<'_>) -> Result<Option<i64>, ReadError> {
    leaf.present().map(|amount| amount.int(path)).transpose()
}

/// A string at `path` parsed as `T`, the string quoted in the error.
pub(super) fn parsed<T: core::str::FromStr>(
    leaf: &Leaf<'_>,
    path: &Path<'_>,
) -> Result<T, ReadError>
where
    T::Err: core::fmt::Display,
{
    let text = leaf.required(path)?.str(path)?;
    text.parse().map_err(|e| {
        ReadError::at(
            Kind::Invalid,
            path,
            format_args!("\"{}\": {e}", quoted(text)),
        )
    })
}
