//! A `serde` deserializer over JavaScript values, read as `JSON.stringify` would write
//! them, so that the library's own readers (`json::*_from_deserializer`) read plain
//! objects and stripe-node's objects straight from the JavaScript heap, with no JSON text
//! in between.
//!
//! What each value reads as:
//!
//! | JavaScript | JSON |
//! | --- | --- |
//! | `null` | `null` |
//! | `true`, `false` | a boolean |
//! | a number that is a safe integer (`Number.isSafeInteger`), not `-0` | an integer |
//! | any other number (a fraction, `-0`, beyond 2^53 - 1, `NaN`, an infinity) | a number that is not an integer (as JSON reads `1.5` or `1e30`): refused where an integer belongs |
//! | a `bigint` within 64 bits | an integer, exactly |
//! | any other `bigint` | a number that is not a 64-bit integer |
//! | a string | a string |
//! | an array | an array (`undefined`, a function or a symbol in it as `null`) |
//! | an object with a `toJSON` method (a `Date`, say) | what `toJSON(key)` returns |
//! | any other object | an object of its own enumerable string keys, in their order (a key whose value is `undefined`, a function or a symbol is left out) |
//!
//! A `Uint8Array` (a `Buffer`) at `reply.body` reads as its text, when the reading says
//! so. A value nested more than [`MAX_DEPTH`] deep (an object that contains itself) is
//! refused with its path, and so is `undefined`, a function or a symbol where a document
//! belongs. Getters, proxies and `toJSON` methods run as `JSON.stringify` runs them; an
//! exception one of them throws stops the reading and is left pending, to reach the
//! caller unchanged.

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use stripe_account_debits::json;

use crate::js::{Fault, Js, JsResult, Raw, Type};

/// How deep values may nest, as `serde_json`'s own limit.
pub(crate) const MAX_DEPTH: u32 = 128;

/// The largest integer a number holds exactly, with every smaller one (2^53 - 1).
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Why a value could not be read, found by this deserializer rather than by the library.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A getter, a proxy or a `toJSON` threw: the exception is pending.
    Thrown,
    /// The runtime refused a call.
    Refused(Fault),
    /// A value JSON does not have, or nested too deep: an input error.
    Input {
        kind: &'static str,
        path: String,
        message: String,
    },
}

/// What one reading shares: where the first [`Failure`] found is left.
pub(crate) struct Reading {
    js: Js,
    found: RefCell<Option<Failure>>,
    /// Whether a `Uint8Array` at `reply.body` reads as the text it holds.
    bytes_as_text: bool,
}

impl Reading {
    pub(crate) fn new(js: Js) -> Reading {
        Reading {
            js,
            found: RefCell::new(None),
            bytes_as_text: false,
        }
    }

    /// A reading where a `Uint8Array` at `reply.body` reads as its text (UTF-8, any
    /// invalid sequence as U+FFFD): a reply's raw body.
    pub(crate) fn with_bytes_as_text(js: Js) -> Reading {
        Reading {
            bytes_as_text: true,
            ..Reading::new(js)
        }
    }

    /// The failure found, if any.
    pub(crate) fn failure(&self) -> Option<Failure> {
        self.found.take()
    }

    /// The document `raw`, to read.
    pub(crate) fn root(&self, raw: Raw) -> Value<'_> {
        Value {
            raw,
            at: At::Root,
            depth: 0,
            json_applied: false,
            cx: self,
        }
    }
}

/// The `serde` error: only a signal to stop (the failure itself is in the [`Reading`]).
#[derive(Debug)]
pub(crate) struct Stop(String);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop(msg.to_string())
    }
}

/// A path, as a chain of segments on the stack, written out only for an error.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, u32),
}

impl At<'_> {
    fn is_reply_body(&self) -> bool {
        matches!(self, At::Key(At::Key(At::Root, "reply"), "body"))
    }

    /// The key `toJSON` is called with, as `JSON.stringify` calls it.
    fn key(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(_, key) => (*key).to_owned(),
            At::Index(_, index) => index.to_string(),
        }
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(parent, key) => {
                write!(f, "{parent}")?;
                json::host::write_key(f, key, matches!(parent, At::Root))
            }
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// Leaves `failure` (the first one wins) and returns the error that stops reading.
fn fail(cx: &Reading, failure: Failure) -> Stop {
    let mut slot = cx.found.borrow_mut();
    if slot.is_none() {
        *slot = Some(failure);
    }
    Stop("stopped by an error the reading keeps".to_owned())
}

/// A runtime fault as a failure.
fn fault(cx: &Reading, fault: Fault) -> Stop {
    fail(
        cx,
        match fault {
            Fault::Thrown => Failure::Thrown,
            refused => Failure::Refused(refused),
        },
    )
}

/// An input error at `at`.
fn input(cx: &Reading, at: &At<'_>, kind: &'static str, message: String) -> Stop {
    fail(
        cx,
        Failure::Input {
            kind,
            path: at.to_string(),
            message,
        },
    )
}

/// One JavaScript value to read, at a path.
pub(crate) struct Value<'a> {
    raw: Raw,
    at: At<'a>,
    depth: u32,
    /// Whether this value is what a `toJSON` returned (not asked again, as in
    /// `JSON.stringify`).
    json_applied: bool,
    cx: &'a Reading,
}

/// A value inside another, at `at`.
fn child<'s>(cx: &'s Reading, raw: Raw, at: At<'s>, depth: u32) -> Value<'s> {
    Value {
        raw,
        at,
        depth,
        json_applied: false,
        cx,
    }
}

impl Value<'_> {
    fn check<T>(&self, result: JsResult<T>) -> Result<T, Stop> {
        result.map_err(|f| fault(self.cx, f))
    }
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.read(visitor, None)
    }

    /// As `deserialize_any`, except that an object asked for as [`json::host::LOOKUP`] hands over
    /// only its keys that `fields` names, skipping the others itself.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let declared = (name == json::host::LOOKUP).then_some(fields);
        self.read(visitor, declared)
    }

    /// `null` (and, as `JSON.stringify` leaves it out, `undefined`) is none; anything
    /// else is some (as `serde_json` reads an `Option`).
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.check(self.cx.js.type_of(self.raw))? {
            Type::Null | Type::Undefined => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant as its name (a string); a variant with data as `{ name: data }`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        use serde::de::IntoDeserializer;
        if self.check(self.cx.js.type_of(self.raw))? == Type::String {
            let mut text = String::new();
            self.check(self.cx.js.string_into(self.raw, &mut text))?;
            return visitor.visit_enum(text.into_deserializer());
        }
        struct Variant<V>(V);
        impl<'de, V: Visitor<'de>> Visitor<'de> for Variant<V> {
            type Value = V::Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an enum variant")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
                self.0
                    .visit_enum(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        de::Deserializer::deserialize_any(self, Variant(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

impl Value<'_> {
    /// Hands the value to `visitor`; an object with only its `declared` keys, when given.
    fn read<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        declared: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Stop> {
        let js = self.cx.js;
        match self.check(js.type_of(self.raw))? {
            Type::String => {
                let mut text = String::new();
                self.check(js.string_into(self.raw, &mut text))?;
                visitor.visit_string(text)
            }
            Type::Number => read_number(self.check(js.number(self.raw))?, visitor),
            Type::Object => self.read_object(visitor, declared),
            Type::Null => visitor.visit_unit(),
            Type::Boolean => visitor.visit_bool(self.check(js.bool(self.raw))?),
            Type::BigInt => match self.check(js.bigint(self.raw))? {
                Ok(n) => match (i64::try_from(n), u64::try_from(n)) {
                    (Ok(n), _) => visitor.visit_i64(n),
                    (_, Ok(n)) => visitor.visit_u64(n),
                    _ => visitor.visit_f64(if n < 0 { f64::MIN } else { f64::MAX }),
                },
                Err(negative) => visitor.visit_f64(if negative { f64::MIN } else { f64::MAX }),
            },
            // In an array, as `JSON.stringify` writes them: `null`.
            Type::Undefined | Type::Function | Type::Symbol | Type::External
                if matches!(self.at, At::Index(..)) =>
            {
                visitor.visit_unit()
            }
            other => Err(input(
                self.cx,
                &self.at,
                "wrong_type",
                format!("expected a JSON value, found {}", describe(other)),
            )),
        }
    }
}

fn describe(kind: Type) -> &'static str {
    match kind {
        Type::Undefined => "undefined",
        Type::Function => "a function",
        Type::Symbol => "a symbol",
        Type::External => "an external value",
        Type::BigInt => "a bigint",
        Type::Null => "null",
        Type::Boolean => "a boolean",
        Type::Number => "a number",
        Type::String => "a string",
        Type::Object => "an object",
    }
}

/// A number: a safe integer (not `-0`) is an integer; any other reads as a number that is
/// not one, whatever its value (an infinity or `NaN` as the largest finite number, which
/// JSON can hold).
fn read_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, Stop> {
    let integral = n.is_finite() && n.trunc() == n && n.abs() <= MAX_SAFE_INTEGER;
    if integral && !(n == 0.0 && n.is_sign_negative()) {
        // Exact: an integer of at most 53 bits.
        #[allow(clippy::cast_possible_truncation, reason = "a safe integer, exactly")]
        return visitor.visit_i64(n as i64);
    }
    visitor.visit_f64(if n.is_finite() {
        n
    } else if n < 0.0 {
        f64::MIN
    } else {
        f64::MAX
    })
}

impl Value<'_> {
    fn read_object<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        declared: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Stop> {
        let js = self.cx.js;
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(input(
                self.cx,
                &self.at,
                "syntax",
                format!("values nest more than {MAX_DEPTH} deep"),
            ));
        }
        if self.cx.bytes_as_text
            && self.at.is_reply_body()
            && let Some(bytes) = self.check(js.bytes(self.raw))?
        {
            return visitor.visit_string(String::from_utf8_lossy(&bytes).into_owned());
        }
        if !self.json_applied {
            let method = self.check(js.named(self.raw, c"toJSON"))?;
            if self.check(js.type_of(method))? == Type::Function {
                let key = self.check(js.string(&self.at.key()))?;
                let raw = self.check(js.call(self.raw, method, &[key]))?;
                let value = Value {
                    raw,
                    json_applied: true,
                    ..self
                };
                return value.read(visitor, declared);
            }
        }
        if self.check(js.is_array(self.raw))? {
            let len = self.check(js.array_len(self.raw))?;
            return visitor.visit_seq(Items {
                value: &self,
                len,
                index: 0,
                depth,
            });
        }
        let keys = self.check(js.own_keys(self.raw))?;
        let len = self.check(js.array_len(keys))?;
        visitor.visit_map(Entries {
            value: &self,
            keys,
            len,
            index: 0,
            key: String::new(),
            next: None,
            declared,
            depth,
        })
    }
}

/// An array's items.
struct Items<'v, 'a> {
    value: &'v Value<'a>,
    len: u32,
    index: u32,
    depth: u32,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        if self.index >= self.len {
            return Ok(None);
        }
        let index = self.index;
        self.index = self.index.saturating_add(1);
        let raw = self
            .value
            .check(self.value.cx.js.element(self.value.raw, index))?;
        let at = At::Index(&self.value.at, index);
        seed.deserialize(child(self.value.cx, raw, at, self.depth))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len.saturating_sub(self.index)).ok()
    }
}

/// An object's entries: its own enumerable string keys, each value read when its key is
/// taken (so that a key whose value `JSON.stringify` leaves out is left out here too).
struct Entries<'v, 'a> {
    value: &'v Value<'a>,
    keys: Raw,
    len: u32,
    index: u32,
    /// The text of the key taken last.
    key: String,
    /// The value of the key taken last.
    next: Option<Raw>,
    /// The keys the reader declares, when it asked for them alone ([`json::host::LOOKUP`]): the
    /// others are skipped here ([`skip`]), unseen by it.
    declared: Option<&'static [&'static str]>,
    depth: u32,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        let (js, v) = (self.value.cx.js, self.value);
        while self.index < self.len {
            let key = v.check(js.element(self.keys, self.index))?;
            self.index = self.index.saturating_add(1);
            let raw = v.check(js.property(v.raw, key))?;
            if matches!(
                v.check(js.type_of(raw))?,
                Type::Undefined | Type::Function | Type::Symbol
            ) {
                continue;
            }
            v.check(js.string_into(key, &mut self.key))?;
            if let Some(declared) = self.declared {
                let Some(field) = declared.iter().find(|field| **field == self.key) else {
                    let at = At::Key(&v.at, &self.key);
                    skip(v.cx, raw, &at, self.depth, false)?;
                    continue;
                };
                self.next = Some(raw);
                let key = de::value::BorrowedStrDeserializer::new(field);
                return seed.deserialize(key).map(Some);
            }
            self.next = Some(raw);
            return seed.deserialize(Key(&self.key)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Stop> {
        let Some(raw) = self.next.take() else {
            return Err(Stop("a value asked for before its key".to_owned()));
        };
        let at = At::Key(&self.value.at, &self.key);
        seed.deserialize(child(self.value.cx, raw, at, self.depth))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len.saturating_sub(self.index)).ok()
    }
}

/// Skips a value the reader does not read, at `at` (`depth` deep): as reading it would,
/// every getter, proxy trap and `toJSON` it holds runs, in the same order, and what JSON
/// has not, or what nests too deep, is refused; but no string's text is copied, and
/// nothing of it is kept.
fn skip(cx: &Reading, raw: Raw, at: &At<'_>, depth: u32, json_applied: bool) -> Result<(), Stop> {
    let js = cx.js;
    match checked(cx, js.type_of(raw))? {
        Type::Object => {}
        Type::Undefined | Type::Function | Type::Symbol | Type::External
            if matches!(at, At::Index(..)) =>
        {
            return Ok(());
        }
        kind @ (Type::Undefined | Type::Function | Type::Symbol | Type::External) => {
            let found = format!("expected a JSON value, found {}", describe(kind));
            return Err(input(cx, at, "wrong_type", found));
        }
        _ => return Ok(()),
    }
    let inner = depth.saturating_add(1);
    if inner > MAX_DEPTH {
        let message = format!("values nest more than {MAX_DEPTH} deep");
        return Err(input(cx, at, "syntax", message));
    }
    if cx.bytes_as_text && at.is_reply_body() && checked(cx, js.bytes(raw))?.is_some() {
        return Ok(());
    }
    if !json_applied {
        let method = checked(cx, js.named(raw, c"toJSON"))?;
        if checked(cx, js.type_of(method))? == Type::Function {
            let key = checked(cx, js.string(&at.key()))?;
            let raw = checked(cx, js.call(raw, method, &[key]))?;
            return skip(cx, raw, at, depth, true);
        }
    }
    if checked(cx, js.is_array(raw))? {
        for index in 0..checked(cx, js.array_len(raw))? {
            let item = checked(cx, js.element(raw, index))?;
            skip(cx, item, &At::Index(at, index), inner, false)?;
        }
        return Ok(());
    }
    let keys = checked(cx, js.own_keys(raw))?;
    let mut text = String::new();
    for index in 0..checked(cx, js.array_len(keys))? {
        let key = checked(cx, js.element(keys, index))?;
        let value = checked(cx, js.property(raw, key))?;
        // Left out as `JSON.stringify` leaves them; a string, a number, a boolean, `null`
        // or a bigint has nothing to refuse; an object is skipped in turn (by its key's
        // text, which its path names).
        if matches!(
            checked(cx, js.type_of(value))?,
            Type::Object | Type::External
        ) {
            checked(cx, js.string_into(key, &mut text))?;
            skip(cx, value, &At::Key(at, &text), inner, false)?;
        }
    }
    Ok(())
}

/// `result`, or the failure that stops reading.
fn checked<T>(cx: &Reading, result: JsResult<T>) -> Result<T, Stop> {
    result.map_err(|f| fault(cx, f))
}

/// A key: a string.
struct Key<'k>(&'k str);

impl<'de> de::Deserializer<'de> for Key<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_str(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
