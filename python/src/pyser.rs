//! A `serde` serializer into Python objects with JSON's data model: what a value of the
//! library serializes as, built straight as the objects `json.loads` would give for the
//! JSON text the command line prints (dicts with their keys in the same order, lists,
//! `str`, `int`, `float`, `bool`, `None`), with no JSON text in between.

use core::fmt;
use std::sync::Mutex;

use pyo3::BoundObject;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize};

/// The Python object `value` serializes as.
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(ToPython(py)).map_err(|Error(err)| err)
}

/// The serializer.
#[derive(Clone, Copy)]
pub(crate) struct ToPython<'py>(Python<'py>);

/// A Python exception met while building, or a value JSON cannot hold.
#[derive(Debug)]
pub(crate) struct Error(PyErr);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error(err)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Error>;

impl<'py> ToPython<'py> {
    fn object<T: IntoPyObject<'py>>(self, value: T) -> Out<'py> {
        value
            .into_pyobject(self.0)
            .map(|object| object.into_bound().into_any())
            .map_err(|err| Error(err.into()))
    }

    /// `{variant: value}`, as `serde_json` writes an enum's variant with data.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Out<'py> {
        let dict = PyDict::new(self.0);
        dict.set_item(name(self.0, variant), value)?;
        Ok(dict.into_any())
    }
}

/// The `str` of a name the library's types serialize with (a field's, a variant's), made
/// once and kept, found by where its text is (a `&'static str` never changes): building a
/// dict then makes, hashes and frees no `str` for its keys (of `to_dict()`'s cost on a
/// plan, about a quarter was making its keys). Equal to the `str` it replaces.
fn name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    type Names = Mutex<FxHashMap<(usize, usize), Py<PyString>>>;
    static NAMES: PyOnceLock<Names> = PyOnceLock::new();
    let names = NAMES.get_or_init(py, Names::default);
    let at = (name.as_ptr().addr(), name.len());
    // The lock is never waited for: it is taken only while attached to the interpreter,
    // which runs one thread at a time here (no Python code runs while it is held).
    if let Ok(names) = names.lock()
        && let Some(made) = names.get(&at)
    {
        return made.bind(py).clone();
    }
    let made = PyString::intern(py, name);
    if let Ok(mut names) = names.lock() {
        names.insert(at, made.clone().unbind());
    }
    made
}

impl<'py> ser::Serializer for ToPython<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Map<'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        // JSON has no infinity nor NaN: `serde_json` writes them as `null`.
        if v.is_finite() {
            self.object(v)
        } else {
            self.serialize_unit()
        }
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.object(v)
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        // As `serde_json` writes bytes: a list of numbers.
        let list = PyList::empty(self.0);
        for byte in v {
            list.append(*byte)?;
        }
        Ok(list.into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(name(self.0, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            to: self,
            list: PyList::empty(self.0),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Error> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(Map {
            to: self,
            dict: PyDict::new(self.0),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'py>, Error> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A list being built.
pub(crate) struct Seq<'py> {
    to: ToPython<'py>,
    list: Bound<'py, PyList>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.list.append(value.serialize(self.to)?)?;
        Ok(())
    }

    fn done(self) -> Out<'py> {
        let list = self.list.into_any();
        match self.variant {
            Some(variant) => self.to.tagged(variant, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeTupleVariant for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

/// A dict being built, its keys in the order they are written.
pub(crate) struct Map<'py> {
    to: ToPython<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Map<'py> {
    fn done(self) -> Out<'py> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(variant) => self.to.tagged(variant, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(self.to)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without its key"))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStruct for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.dict
            .set_item(name(self.to.0, key), value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

impl<'py> ser::SerializeStructVariant for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.dict
            .set_item(name(self.to.0, key), value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}
