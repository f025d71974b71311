//! JSON text written straight from a `serde` deserializer (the one over Python objects in
//! `de.rs`), for the library's functions that read JSON text: each value the deserializer
//! visits is handed to a `serde_json` serializer at once, with no tree in between (the
//! `serde-transcode` crate's design, in the few lines this binding needs).
//!
//! JSON has no infinity nor NaN, which `serde_json` would write as `null`: a number that is
//! not finite (a float, or an `int` too large even for a float) is written as the largest
//! finite float of its sign (NaN as the positive one), so that the reader still finds a
//! number that is not a 64-bit integer where it finds one.

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

/// The JSON text of what `deserializer` reads.
pub(crate) fn to_json<'de, D: Deserializer<'de>>(deserializer: D) -> serde_json::Result<String> {
    serde_json::to_string(&Transcoder::new(deserializer))
}

/// A deserializer, serialized as what it reads (once: `Serialize` takes `&self`).
struct Transcoder<D>(RefCell<Option<D>>);

impl<D> Transcoder<D> {
    fn new(deserializer: D) -> Transcoder<D> {
        Transcoder(RefCell::new(Some(deserializer)))
    }
}

impl<'de, D: Deserializer<'de>> Serialize for Transcoder<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(deserializer) = self.0.borrow_mut().take() else {
            return Err(ser::Error::custom("a value serialized twice"));
        };
        deserializer
            .deserialize_any(Writer(serializer))
            .map_err(ser::Error::custom)
    }
}

/// A visitor that serializes each value it visits.
struct Writer<S>(S);

/// A serializer's error, as the deserializer's.
fn de_error<E: de::Error>(err: impl fmt::Display) -> E {
    E::custom(err)
}

/// The finite stand-in for a number that is not finite (see the module's text).
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else if v < 0.0 {
        f64::MIN
    } else {
        f64::MAX
    }
}

impl<'de, S: Serializer> Visitor<'de> for Writer<S> {
    type Value = S::Ok;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Ok, E> {
        self.0.serialize_bool(v).map_err(de_error)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Ok, E> {
        self.0.serialize_i64(v).map_err(de_error)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Ok, E> {
        self.0.serialize_u64(v).map_err(de_error)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Ok, E> {
        self.0.serialize_f64(finite(v)).map_err(de_error)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Ok, E> {
        self.0.serialize_str(v).map_err(de_error)
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Ok, E> {
        self.0.serialize_unit().map_err(de_error)
    }

    fn visit_none<E: de::Error>(self) -> Result<S::Ok, E> {
        self.0.serialize_none().map_err(de_error)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<S::Ok, D::Error> {
        self.0.serialize_some(&Transcoder::new(d)).map_err(de_error)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<S::Ok, A::Error> {
        let mut out = self.0.serialize_seq(seq.size_hint()).map_err(de_error)?;
        while seq.next_element_seed(Element(&mut out))?.is_some() {}
        out.end().map_err(de_error)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Ok, A::Error> {
        let mut out = self.0.serialize_map(map.size_hint()).map_err(de_error)?;
        while map.next_key_seed(Key(&mut out))?.is_some() {
            map.next_value_seed(Entry(&mut out))?;
        }
        out.end().map_err(de_error)
    }
}

/// Serializes an array's next element.
struct Element<'a, S>(&'a mut S);

impl<'de, S: SerializeSeq> DeserializeSeed<'de> for Element<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0
            .serialize_element(&Transcoder::new(d))
            .map_err(de_error)
    }
}

/// Serializes an object's next key.
struct Key<'a, S>(&'a mut S);

impl<'de, S: SerializeMap> DeserializeSeed<'de> for Key<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.serialize_key(&Transcoder::new(d)).map_err(de_error)
    }
}

/// Serializes an object's next value.
struct Entry<'a, S>(&'a mut S);

impl<'de, S: SerializeMap> DeserializeSeed<'de> for Entry<'_, S> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0
            .serialize_value(&Transcoder::new(d))
            .map_err(de_error)
    }
}
