//! A value kept whole, for the few places where the crate needs a JSON value as it is (a
//! reply's body, the machine's saved state) rather than typed fields: built as a
//! `serde_json::Value` while it is read, still refusing a key given twice inside it, which
//! a `Value` alone would keep silently (the last one).

use core::fmt;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::leaf::{MapStart, map_start};
use super::skip::Key;
use super::{Ctx, Read, Seed};

/// A value read whole, or nothing when its key was not there (`null` is
/// `Got(Value::Null)`).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) enum Kept {
    /// The key was not there.
    #[default]
    Absent,
    /// The value, as it was.
    Got(Value),
}

impl<'de> Read<'de> for Kept {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(KeptVisitor(ctx))
            .map(Kept::Got)
    }
}

/// Reads one value of any type into a `Value`.
struct KeptVisitor<'c>(Ctx<'c>);

impl<'de> Read<'de> for Value {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeptVisitor(ctx))
    }
}

impl<'de> Visitor<'de> for KeptVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    /// A number that is not a 64-bit integer is kept as the `f64` JSON text reads as (JSON
    /// has no NaN or infinity, so none is lost as `null`).
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = self.0.path.index(items.len());
            match seq.next_element_seed(Seed::<Value>::new(self.0.at(&path)))? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let ctx = self.0;
        let mut next = match map_start(&mut map)? {
            // A number `serde_json` hands over as its text (`arbitrary_precision`): the
            // same number, from the same text.
            MapStart::Number(_, text) => {
                return serde_json::from_str(&text).map_err(serde::de::Error::custom);
            }
            MapStart::Key(first) => first,
        };
        let mut object = Map::new();
        while let Some(key) = next {
            let path = ctx.path.key(&key);
            let value = map.next_value_seed(Seed::<Value>::new(ctx.at(&path)))?;
            if object.contains_key(key.as_ref()) {
                return Err(ctx.duplicate(&path, &key));
            }
            object.insert(key.into_owned(), value);
            next = map.next_key_seed(Key)?;
        }
        Ok(Value::Object(object))
    }
}
