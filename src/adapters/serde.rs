//! `Serialize` and `Deserialize` (feature `serde`) for the value types, through their
//! `Display` and `FromStr`, so a value read from JSON is checked exactly as a parsed one.

use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::consent::Evidence;
use crate::stripe::Country;
use crate::{AccountId, DebitId, IdempotencyKey, Money, Timestamp, TransactionId};

/// Reads a string and parses it with `FromStr`, reporting the parse error as serde's.
struct ParseVisitor<T>(PhantomData<T>, &'static str);

impl<T> Visitor<'_> for ParseVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

macro_rules! through_strings {
    ($($ty:ty => $expecting:literal),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(ParseVisitor(PhantomData, $expecting))
            }
        }
    )*};
}

through_strings! {
    AccountId => "a Stripe account id",
    TransactionId => "a Stripe object id",
    Country => "an ISO 3166-1 alpha-2 country code",
    DebitId => "a debit id",
    Evidence => "a consent evidence reference",
    Money => "an amount and a currency code, as in \"12.50 usd\"",
}

impl Serialize for IdempotencyKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.unix())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Timestamp::from_unix)
    }
}

impl Serialize for crate::value::currency::WireCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An idempotency key reads back only as a key this crate makes (see [`IdempotencyKey`]'s
/// `FromStr`).
impl<'de> Deserialize<'de> for IdempotencyKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(ParseVisitor(
            PhantomData,
            "an idempotency key this crate makes",
        ))
    }
}

/// A currency's code as Stripe writes it reads back as any ISO 4217 code, in any case.
impl<'de> Deserialize<'de> for crate::value::currency::WireCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(WireCodeVisitor)
    }
}

struct WireCodeVisitor;

impl Visitor<'_> for WireCodeVisitor {
    type Value = crate::value::currency::WireCode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 4217 currency code")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        crate::Currency::from_code(&text.to_ascii_uppercase())
            .map(crate::value::currency::WireCode::of)
            .ok_or_else(|| {
                E::custom(format_args!(
                    "unknown currency \"{}\"",
                    crate::value::text::quoted(text)
                ))
            })
    }
}
