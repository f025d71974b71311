//! A value the crate reads as it is (a string, a number, a boolean), kept borrowed from the
//! text, and read into a type only when its path is known, so that every error names it.

use core::fmt;
use std::borrow::Cow;

use iso_currency::Currency;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use super::skip::{Key, skip_map, skip_seq};
use super::{Ctx, Path, Read};
use super::{ReadError, ReadErrorKind as Kind};
use crate::value::currency;

/// What a field held. A container where a plain value belongs is skipped (checked for
/// duplicate keys) and kept only as its type, for the error that names it.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) enum Leaf<'de> {
    /// The key was not there.
    #[default]
    Absent,
    Null,
    Bool(bool),
    /// An integer that fits 64 bits, signed or not.
    Int(Int),
    /// Any other number: a fraction, an exponent, `-0`, an integer beyond 64 bits.
    Number,
    Str(Cow<'de, str>),
    Array,
    Object,
}

/// An integer of 64 bits, signed or not, kept in 16 bytes (an `i128` would double the size
/// of every [`Leaf`], which the reader moves as it reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Int {
    Signed(i64),
    /// Beyond `i64::MAX`.
    Unsigned(u64),
}

impl Int {
    /// The integer.
    pub(crate) fn get(self) -> i128 {
        match self {
            Int::Signed(n) => i128::from(n),
            Int::Unsigned(n) => i128::from(n),
        }
    }
}

impl From<i64> for Int {
    fn from(n: i64) -> Int {
        Int::Signed(n)
    }
}

impl From<u64> for Int {
    fn from(n: u64) -> Int {
        i64::try_from(n).map_or(Int::Unsigned(n), Int::Signed)
    }
}

/// The type of a value, as an error message names it.
pub(crate) fn describe(leaf: &Leaf<'_>) -> &'static str {
    match leaf {
        Leaf::Absent => "nothing",
        Leaf::Null => "null",
        Leaf::Bool(_) => "a boolean",
        Leaf::Int(_) => "an integer",
        Leaf::Number => "a number that is not a 64-bit integer",
        Leaf::Str(_) => "a string",
        Leaf::Array => "an array",
        Leaf::Object => "an object",
    }
}

/// The key under which `serde_json` hands over a number as its text when some crate in the
/// build enables its `arbitrary_precision` feature (serde_json's `number.rs`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// How an object handed to a visitor starts: with its first key (none for `{}`), or, when
/// it is a number that `serde_json` hands over as an object (see [`NUMBER_TOKEN`]), with
/// that number, read, and its text.
pub(super) enum MapStart<'de> {
    Key(Option<Cow<'de, str>>),
    Number(Leaf<'static>, Cow<'de, str>),
}

/// Takes the first key of `map`, or the number it stands for.
pub(super) fn map_start<'de, A: MapAccess<'de>>(map: &mut A) -> Result<MapStart<'de>, A::Error> {
    let first = map.next_key_seed(Key)?;
    if first.as_deref() == Some(NUMBER_TOKEN) {
        let text: Cow<'de, str> = map.next_value_seed(Key)?;
        return Ok(MapStart::Number(number_from_text(&text), text));
    }
    Ok(MapStart::Key(first))
}

/// A number given as its JSON text, read as the same [`Leaf`] the number itself gives
/// without `arbitrary_precision`: an integer when it fits 64 bits, and `-0` (which
/// `serde_json` otherwise reads as a float) is not one.
pub(super) fn number_from_text(text: &str) -> Leaf<'static> {
    if let Ok(i) = text.parse::<i64>() {
        if i == 0 && text.starts_with('-') {
            return Leaf::Number;
        }
        return Leaf::Int(Int::from(i));
    }
    text.parse::<u64>()
        .map_or(Leaf::Number, |u| Leaf::Int(Int::from(u)))
}

impl<'de> Leaf<'de> {
    /// The value, unless it is absent or `null`.
    pub(crate) fn present(&self) -> Option<&Leaf<'de>> {
        match self {
            Leaf::Absent | Leaf::Null => None,
            present => Some(present),
        }
    }

    /// The value, or a `Missing` error at `path`.
    pub(crate) fn required(&self, path: &Path<'_>) -> Result<&Leaf<'de>, ReadError> {
        self.present()
            .ok_or_else(|| ReadError::at(Kind::Missing, path, "missing"))
    }

    /// A `WrongType` error at `path`: says what was expected and what was found.
    pub(crate) fn type_error(&self, path: &Path<'_>, expected: &str) -> ReadError {
        ReadError::at(
            Kind::WrongType,
            path,
            format_args!("expected {expected}, found {}", describe(self)),
        )
    }

    pub(crate) fn str(&self, path: &Path<'_>) -> Result<&str, ReadError> {
        match self {
            Leaf::Str(s) => Ok(s),
            _ => Err(self.type_error(path, "a string")),
        }
    }

    pub(crate) fn optional_str(&self, path: &Path<'_>) -> Result<Option<&str>, ReadError> {
        self.present().map(|leaf| leaf.str(path)).transpose()
    }

    pub(crate) fn optional_bool(&self, path: &Path<'_>) -> Result<Option<bool>, ReadError> {
        match self.present() {
            None => Ok(None),
            Some(Leaf::Bool(flag)) => Ok(Some(*flag)),
            Some(other) => Err(other.type_error(path, "a boolean")),
        }
    }

    /// A boolean, which must be there.
    pub(crate) fn bool(&self, path: &Path<'_>) -> Result<bool, ReadError> {
        match self.required(path)? {
            Leaf::Bool(flag) => Ok(*flag),
            other => Err(other.type_error(path, "a boolean")),
        }
    }

    /// A small integer of the crate's own shapes (a count, a status, seconds): an integer
    /// out of `T`'s range is `Invalid`, any other value `WrongType`.
    pub(crate) fn int<T: TryFrom<i128>>(&self, path: &Path<'_>) -> Result<T, ReadError> {
        match self {
            Leaf::Int(n) => T::try_from(n.get()).map_err(|_| {
                ReadError::at(
                    Kind::Invalid,
                    path,
                    format_args!("{} is out of range", n.get()),
                )
            }),
            _ => Err(self.type_error(path, "an integer")),
        }
    }

    pub(crate) fn i64(&self, path: &Path<'_>) -> Result<i64, ReadError> {
        match self {
            Leaf::Int(n) => i64::try_from(n.get()).map_err(|_| {
                ReadError::at(
                    Kind::Invalid,
                    path,
                    "expected a 64-bit integer, found one beyond its range",
                )
            }),
            _ => Err(self.type_error(path, "a 64-bit integer")),
        }
    }

    /// A Stripe wire amount: any JSON integer of 64 bits (one beyond `i64` is for the rules
    /// to judge).
    pub(crate) fn wire_amount(&self, path: &Path<'_>) -> Result<i128, ReadError> {
        match self {
            Leaf::Int(n) => Ok(n.get()),
            _ => Err(self.type_error(path, "an integer amount in minor units")),
        }
    }

    pub(crate) fn parse<T: core::str::FromStr>(&self, path: &Path<'_>) -> Result<T, ReadError>
    where
        T::Err: fmt::Display,
    {
        self.str(path)?
            .parse()
            .map_err(|e| ReadError::at(Kind::Invalid, path, e))
    }

    /// A currency Stripe moves.
    pub(crate) fn currency(&self, path: &Path<'_>) -> Result<Currency, ReadError> {
        currency::parse_currency(self.str(path)?).map_err(|e| ReadError::at(Kind::Invalid, path, e))
    }

    /// Any ISO 4217 currency, in either case, whether Stripe moves it or not: the rules
    /// judge that (`currency_unsupported`), as they do for an input built in Rust.
    pub(crate) fn iso_currency(&self, path: &Path<'_>) -> Result<Currency, ReadError> {
        match currency::parse_currency(self.str(path)?) {
            Ok(currency) => Ok(currency),
            Err(error) => error
                .currency()
                .ok_or_else(|| ReadError::at(Kind::Invalid, path, error)),
        }
    }
}

impl<'de> Read<'de> for Leaf<'de> {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LeafVisitor(ctx))
    }
}

struct LeafVisitor<'c>(Ctx<'c>);

impl<'de> Visitor<'de> for LeafVisitor<'_> {
    type Value = Leaf<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Leaf::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Leaf::Int(Int::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Leaf::Int(Int::from(v)))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Leaf::Number)
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Leaf::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Leaf::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Leaf::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Leaf::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq, self.0)?;
        Ok(Leaf::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first = match map_start(&mut map)? {
            MapStart::Number(number, _) => return Ok(number),
            MapStart::Key(first) => first,
        };
        skip_map(first, map, self.0)?;
        Ok(Leaf::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::{Int, Leaf, number_from_text};

    #[test]
    fn numbers_given_as_text_read_as_numbers_do() {
        assert_eq!(number_from_text("42"), Leaf::Int(Int::Signed(42)));
        assert_eq!(number_from_text("-42"), Leaf::Int(Int::Signed(-42)));
        assert_eq!(number_from_text("0"), Leaf::Int(Int::Signed(0)));
        assert_eq!(number_from_text("-0"), Leaf::Number);
        assert_eq!(
            number_from_text("18446744073709551615"),
            Leaf::Int(Int::Unsigned(u64::MAX))
        );
        assert_eq!(Int::from(u64::MAX).get(), i128::from(u64::MAX));
        assert_eq!(Int::from(5u64), Int::Signed(5));
        // A leaf is no bigger than the text it may borrow.
        assert_eq!(core::mem::size_of::<Leaf<'_>>(), 24);
        assert_eq!(number_from_text("18446744073709551616"), Leaf::Number);
        assert_eq!(number_from_text("-9223372036854775809"), Leaf::Number);
        assert_eq!(number_from_text("1.0"), Leaf::Number);
        assert_eq!(number_from_text("1e2"), Leaf::Number);
    }
}
