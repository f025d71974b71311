//! A `serde` serializer that writes the library's outputs as JavaScript values: the same
//! values `JSON.parse` gives for the JSON text the command line prints, keys in the same
//! order, with one difference that keeps money exact: an integer beyond
//! `Number.MAX_SAFE_INTEGER` (2^53 - 1) in either direction is written as its decimal
//! string, never as a number that would round it (`JSON.stringify` cannot write a
//! `bigint`, so a string keeps `toJSON()` writable).

use core::fmt;

use serde::ser::{self, Serialize};

use crate::de::MAX_SAFE_INTEGER;
use crate::js::{Fault, Js, Raw};

/// The value of `value`, written by the serializer.
pub(crate) fn to_js<T: Serialize + ?Sized>(js: Js, value: &T) -> napi::Result<Raw> {
    value.serialize(Writer(js)).map_err(|error| match error {
        Error::Fault(fault) => crate::js::to_napi(fault),
        Error::Custom(message) => napi::Error::from_reason(message),
    })
}

/// An integer as a number when it is safe, else as its decimal string.
pub(crate) fn integer(js: Js, n: i128) -> Result<Raw, Fault> {
    // Within 2^53 - 1 the conversion to `f64` is exact.
    #[allow(clippy::cast_precision_loss, reason = "a safe integer, exactly")]
    let approx = n as f64;
    if approx.abs() <= MAX_SAFE_INTEGER {
        js.double(approx)
    } else {
        js.string(&n.to_string())
    }
}

#[derive(Debug)]
pub(crate) enum Error {
    Fault(Fault),
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fault(fault) => write!(f, "{fault:?}"),
            Error::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Custom(msg.to_string())
    }
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        Error::Fault(fault)
    }
}

/// The serializer: writes one value.
#[derive(Clone, Copy)]
struct Writer(Js);

/// An array being written.
struct Array {
    js: Js,
    array: Raw,
    index: u32,
}

/// An object being written, and the key of the entry being written.
struct Object {
    js: Js,
    object: Raw,
    key: Option<Raw>,
}

/// `{ variant: value }`, the JSON of a variant with data (serde's default).
struct Variant<T> {
    js: Js,
    outer: Raw,
    variant: &'static str,
    inner: T,
}

impl Array {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = value.serialize(Writer(self.js))?;
        self.js.set_element(self.array, self.index, item)?;
        self.index = self.index.saturating_add(1);
        Ok(())
    }
}

impl Object {
    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let key = self.js.string(name)?;
        let item = value.serialize(Writer(self.js))?;
        self.js.set(self.object, key, item)?;
        Ok(())
    }
}

impl<T> Variant<T> {
    fn close(self, inner: Raw) -> Result<Raw, Error> {
        let key = self.js.string(self.variant)?;
        self.js.set(self.outer, key, inner)?;
        Ok(self.outer)
    }
}

impl ser::Serializer for Writer {
    type Ok = Raw;
    type Error = Error;
    type SerializeSeq = Array;
    type SerializeTuple = Array;
    type SerializeTupleStruct = Array;
    type SerializeTupleVariant = Variant<Array>;
    type SerializeMap = Object;
    type SerializeStruct = Object;
    type SerializeStructVariant = Variant<Object>;

    fn serialize_bool(self, v: bool) -> Result<Raw, Error> {
        Ok(self.0.boolean(v)?)
    }

    fn serialize_i8(self, v: i8) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<Raw, Error> {
        Ok(integer(self.0, v)?)
    }

    fn serialize_u8(self, v: u8) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<Raw, Error> {
        self.serialize_i128(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<Raw, Error> {
        match i128::try_from(v) {
            Ok(v) => self.serialize_i128(v),
            Err(_) => Ok(self.0.string(&v.to_string())?),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<Raw, Error> {
        self.serialize_f64(v.into())
    }

    /// As `serde_json` writes it: a number, or `null` when it is not finite.
    fn serialize_f64(self, v: f64) -> Result<Raw, Error> {
        if v.is_finite() {
            Ok(self.0.double(v)?)
        } else {
            Ok(self.0.null()?)
        }
    }

    fn serialize_char(self, v: char) -> Result<Raw, Error> {
        Ok(self.0.string(v.encode_utf8(&mut [0; 4]))?)
    }

    fn serialize_str(self, v: &str) -> Result<Raw, Error> {
        Ok(self.0.string(v)?)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Raw, Error> {
        let mut array = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            array.push(byte)?;
        }
        Ok(array.array)
    }

    fn serialize_none(self) -> Result<Raw, Error> {
        Ok(self.0.null()?)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Raw, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Raw, Error> {
        Ok(self.0.null()?)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Raw, Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Raw, Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Raw, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Raw, Error> {
        let mut object = self.serialize_map(Some(1))?;
        object.field(variant, value)?;
        Ok(object.object)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Array, Error> {
        Ok(Array {
            js: self.0,
            array: self.0.array(len.unwrap_or(0))?,
            index: 0,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Array, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Array, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Array>, Error> {
        Ok(Variant {
            js: self.0,
            outer: self.0.object()?,
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object, Error> {
        Ok(Object {
            js: self.0,
            object: self.0.object()?,
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Object>, Error> {
        Ok(Variant {
            js: self.0,
            outer: self.0.object()?,
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

impl ser::SerializeSeq for Array {
    type Ok = Raw;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Raw, Error> {
        Ok(self.array)
    }
}

impl ser::SerializeTuple for Array {
    type Ok = Raw;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Raw, Error> {
        Ok(self.array)
    }
}

impl ser::SerializeTupleStruct for Array {
    type Ok = Raw;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<Raw, Error> {
        Ok(self.array)
    }
}

impl ser::SerializeTupleVariant for Variant<Array> {
    type Ok = Raw;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }

    fn end(self) -> Result<Raw, Error> {
        let inner = self.inner.array;
        self.close(inner)
    }
}

impl ser::SerializeMap for Object {
    type Ok = Raw;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyWriter(self.js))?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let Some(key) = self.key.take() else {
            return Err(Error::Custom("a value written before its key".to_owned()));
        };
        let item = value.serialize(Writer(self.js))?;
        self.js.set(self.object, key, item)?;
        Ok(())
    }

    fn end(self) -> Result<Raw, Error> {
        Ok(self.object)
    }
}

impl ser::SerializeStruct for Object {
    type Ok = Raw;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(name, value)
    }

    fn end(self) -> Result<Raw, Error> {
        Ok(self.object)
    }
}

impl ser::SerializeStructVariant for Variant<Object> {
    type Ok = Raw;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.inner.field(name, value)
    }

    fn end(self) -> Result<Raw, Error> {
        let inner = self.inner.object;
        self.close(inner)
    }
}

/// Writes a map's key: a string, as JSON has them (a number or a boolean as its text, as
/// `serde_json` writes one).
struct KeyWriter(Js);

impl KeyWriter {
    fn text(self, text: &str) -> Result<Raw, Error> {
        Ok(self.0.string(text)?)
    }

    fn refuse<T>(what: &str) -> Result<T, Error> {
        Err(Error::Custom(format!(
            "a map key must be a string, not {what}"
        )))
    }
}

impl ser::Serializer for KeyWriter {
    type Ok = Raw;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Raw, Error>;
    type SerializeTuple = ser::Impossible<Raw, Error>;
    type SerializeTupleStruct = ser::Impossible<Raw, Error>;
    type SerializeTupleVariant = ser::Impossible<Raw, Error>;
    type SerializeMap = ser::Impossible<Raw, Error>;
    type SerializeStruct = ser::Impossible<Raw, Error>;
    type SerializeStructVariant = ser::Impossible<Raw, Error>;

    fn serialize_bool(self, v: bool) -> Result<Raw, Error> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<Raw, Error> {
        self.text(&v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<Raw, Error> {
        KeyWriter::refuse("a float")
    }
    fn serialize_f64(self, _: f64) -> Result<Raw, Error> {
        KeyWriter::refuse("a float")
    }
    fn serialize_char(self, v: char) -> Result<Raw, Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Raw, Error> {
        self.text(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Raw, Error> {
        KeyWriter::refuse("bytes")
    }
    fn serialize_none(self) -> Result<Raw, Error> {
        KeyWriter::refuse("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Raw, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Raw, Error> {
        KeyWriter::refuse("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Raw, Error> {
        KeyWriter::refuse("null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Raw, Error> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Raw, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Raw, Error> {
        KeyWriter::refuse("an enum with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        KeyWriter::refuse("an array")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        KeyWriter::refuse("an array")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        KeyWriter::refuse("an array")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        KeyWriter::refuse("an array")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        KeyWriter::refuse("an object")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        KeyWriter::refuse("an object")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        KeyWriter::refuse("an object")
    }
}
