//! A `serde` deserializer over Python objects with JSON's data model, so that the library's
//! own reader (`json::scenario_from_deserializer`) reads a scenario straight from a dict,
//! without a JSON round trip.
//!
//! What each Python value reads as:
//!
//! | Python | JSON |
//! | --- | --- |
//! | `None` | `null` |
//! | `bool` (checked before `int`, its base class) | a boolean |
//! | `int` within `i64` or `u64` | an integer |
//! | any other `int` | a number that is not a 64-bit integer (as JSON reads `1e30`) |
//! | `float` | a number that is not a 64-bit integer |
//! | `str` | a string |
//! | `dict` | an object (every key must be a `str`) |
//! | `list`, `tuple` | an array |
//! | an object with `to_dict()` (stripe-python's `StripeObject`) | what `to_dict()` returns |
//! | an object with `keys()` and item access (a `Mapping`) | an object |
//!
//! Anything else (a `Decimal`, a `datetime`, `bytes`) is refused with its path, and so is a
//! value nested more than [`MAX_DEPTH`] deep (a dict that contains itself, say).
//!
//! Errors this deserializer raises itself (a Python type JSON does not have, a key that is
//! not a string, an exception raised by `to_dict()`) are left in a [`Found`] cell with
//! their path, since the library's reader reports a deserializer's own error without one.

use core::cell::RefCell;
use core::fmt;

use pyo3::exceptions::PyOverflowError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// How deep values may nest, as `serde_json`'s own limit.
pub(crate) const MAX_DEPTH: u32 = 128;

/// How many characters of a key a path quotes, as the library's paths do.
const MAX_QUOTED_CHARS: usize = 32;

/// Why a value could not be read, found by this deserializer.
pub(crate) struct Failure {
    /// The `ScenarioErrorKind` code: `wrong_type`, `syntax` or `document`.
    pub(crate) kind: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
    /// The Python exception behind it, if any (raised by `to_dict()`, say).
    pub(crate) cause: Option<PyErr>,
}

/// Where this deserializer leaves the first [`Failure`] it finds.
pub(crate) type Found = RefCell<Option<Failure>>;

/// The `serde` error: only a signal to stop. Its text is what the library reports when the
/// error is not ours (it never is: the library leaves its own errors in its own channel).
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
pub(crate) enum At<'a, 'py> {
    Root,
    Key(&'a At<'a, 'py>, &'a Bound<'py, PyAny>),
    Index(&'a At<'a, 'py>, usize),
}

impl fmt::Display for At<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(parent, key) => {
                if !matches!(parent, At::Root) {
                    write!(f, "{parent}.")?;
                }
                let text = key
                    .cast::<PyString>()
                    .ok()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let mut chars = text.chars();
                for c in chars.by_ref().take(MAX_QUOTED_CHARS) {
                    write!(f, "{}", c.escape_debug())?;
                }
                if chars.next().is_some() {
                    f.write_str("...")?;
                }
                Ok(())
            }
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// One Python value to read, at a path.
pub(crate) struct Value<'a, 'py> {
    obj: Bound<'py, PyAny>,
    at: At<'a, 'py>,
    depth: u32,
    found: &'a Found,
}

impl<'a, 'py> Value<'a, 'py> {
    /// The document itself.
    pub(crate) fn root(obj: Bound<'py, PyAny>, found: &'a Found) -> Value<'a, 'py> {
        Value {
            obj,
            at: At::Root,
            depth: 0,
            found,
        }
    }
}

/// Leaves a failure at `at` (the first one wins) and returns the error that stops reading.
fn fail(
    found: &Found,
    at: &At<'_, '_>,
    kind: &'static str,
    message: String,
    cause: Option<PyErr>,
) -> Stop {
    let mut slot = found.borrow_mut();
    if slot.is_none() {
        *slot = Some(Failure {
            kind,
            path: at.to_string(),
            message,
            cause,
        });
    }
    Stop("stopped by an error with a path".to_owned())
}

/// The name of a value's Python type, for an error.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "object".to_owned())
}

/// A Python exception raised while reading, as a failure.
fn raised(found: &Found, at: &At<'_, '_>, doing: &str, err: PyErr) -> Stop {
    let message = Python::attach(|py| format!("{doing} raised {}", describe_exception(py, &err)));
    fail(found, at, "document", message, Some(err))
}

fn describe_exception(py: Python<'_>, err: &PyErr) -> String {
    let name = err
        .get_type(py)
        .name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "an exception".to_owned());
    let text = err
        .value(py)
        .str()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if text.is_empty() {
        name
    } else {
        format!("{name}: {text}")
    }
}

impl<'de> de::Deserializer<'de> for Value<'_, '_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let obj = &self.obj;
        if let Ok(dict) = obj.cast::<PyDict>() {
            return self.visit_dict(dict, visitor);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return with_str(s, |text| visitor.visit_str(text))
                .map_err(|err| raised(self.found, &self.at, "reading a string", err))?;
        }
        // `bool` before `int`: `True` is an `int` too.
        if let Ok(flag) = obj.cast::<PyBool>() {
            return visitor.visit_bool(flag.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            return read_int(obj, visitor);
        }
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return self.visit_items(list.iter(), visitor);
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return self.visit_items(tuple.iter(), visitor);
        }
        if let Ok(float) = obj.cast::<PyFloat>() {
            return visitor.visit_f64(float.value());
        }
        self.visit_object(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Lends a `str`'s text to `read`, without copying it where the platform allows.
///
/// pyo3 borrows a `str`'s UTF-8 text only for the stable ABI of Python 3.10 and later (where
/// `PyUnicode_AsUTF8AndSize` joined it); for 3.9's it copies the text twice (into a `bytes`,
/// then a `String`). The function has been in CPython's API since 3.3, and where an
/// extension's symbols are resolved in the running interpreter (Linux, macOS) it is there
/// for 3.9 too: [`utf8`] calls it. On Windows an abi3 extension links `python3.dll`, which
/// exports it only from 3.10, so there the text is borrowed from its UTF-8 `bytes`.
fn with_str<R>(s: &Bound<'_, PyString>, read: impl FnOnce(&str) -> R) -> PyResult<R> {
    #[cfg(not(windows))]
    {
        let text = utf8::borrow(s)?;
        Ok(read(text))
    }
    #[cfg(windows)]
    {
        let bytes = s.encode_utf8()?;
        match core::str::from_utf8(bytes.as_bytes()) {
            Ok(text) => Ok(read(text)),
            // Not reached: Python's UTF-8 encoder writes UTF-8.
            Err(err) => Err(pyo3::exceptions::PyUnicodeError::new_err(err.to_string())),
        }
    }
}

/// A `str`'s UTF-8 text, borrowed from the `str` (see [`with_str`]).
#[cfg(not(windows))]
#[allow(
    unsafe_code,
    reason = "the one call into CPython that pyo3 does not declare for 3.9"
)]
mod utf8 {
    use pyo3::ffi::{Py_ssize_t, PyObject};
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    unsafe extern "C" {
        /// CPython's own (`Include/unicodeobject.h`): the UTF-8 text of a `str`, kept by
        /// the `str` (for an ASCII one, its own data) for as long as it lives; `NULL` with
        /// an exception set when it cannot be encoded (a lone surrogate).
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut PyObject,
            size: *mut Py_ssize_t,
        ) -> *const core::ffi::c_char;
    }

    /// The text of `s`, borrowed for as long as `s` is.
    pub(super) fn borrow<'s>(s: &'s Bound<'_, PyString>) -> PyResult<&'s str> {
        let mut size: Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (the type is checked) and the thread is attached to
        // the interpreter (`Bound` proves both); `size` is a valid place to write.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        let len = usize::try_from(size).unwrap_or(0);
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        // SAFETY: CPython returns `size` bytes of valid UTF-8 at `data`, owned by the `str`
        // and never changed (a `str` is immutable) nor freed while it lives: `s` keeps it
        // alive for the borrow's lifetime.
        Ok(unsafe {
            core::str::from_utf8_unchecked(core::slice::from_raw_parts(data.cast::<u8>(), len))
        })
    }
}

/// An `int`: within 64 bits it is an integer; beyond, JSON's `1e30` would be read as a
/// number that is not a 64-bit integer, and so is this one (handed over as a float, its
/// value unused).
fn read_int<'de, V: Visitor<'de>>(obj: &Bound<'_, PyAny>, visitor: V) -> Result<V::Value, Stop> {
    if let Ok(n) = obj.extract::<i64>() {
        return visitor.visit_i64(n);
    }
    if let Ok(n) = obj.extract::<u64>() {
        return visitor.visit_u64(n);
    }
    let approx = match obj.extract::<f64>() {
        Ok(f) => f,
        Err(err) => {
            let negative =
                err.is_instance_of::<PyOverflowError>(obj.py()) && obj.lt(0i64).unwrap_or(false);
            if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
    };
    visitor.visit_f64(approx)
}

impl<'a, 'py> Value<'a, 'py> {
    /// The depth of this value's children, or the failure when it is too deep.
    fn child_depth(&self) -> Result<u32, Stop> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(fail(
                self.found,
                &self.at,
                "syntax",
                format!("values nest more than {MAX_DEPTH} deep"),
                None,
            ));
        }
        Ok(depth)
    }

    fn visit_dict<'de, V: Visitor<'de>>(
        &self,
        dict: &Bound<'py, PyDict>,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let depth = self.child_depth()?;
        visitor.visit_map(Entries {
            items: dict.iter(),
            key: None,
            value: None,
            at: &self.at,
            depth,
            found: self.found,
        })
    }

    fn visit_items<'de, V: Visitor<'de>, I: Iterator<Item = Bound<'py, PyAny>>>(
        &self,
        items: I,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let depth = self.child_depth()?;
        visitor.visit_seq(Items {
            items,
            index: 0,
            at: &self.at,
            depth,
            found: self.found,
        })
    }

    /// Any other object: stripe-python's objects through `to_dict()`, a mapping through
    /// `keys()` and item access; anything else is not a JSON value.
    fn visit_object<'de, V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Stop> {
        let obj = &self.obj;
        let py = obj.py();
        let doing = |what: &str| format!("{what} of a {}", type_name(obj));
        if obj.hasattr(intern!(py, "to_dict")).unwrap_or(false) {
            let dict = obj
                .call_method0(intern!(py, "to_dict"))
                .map_err(|err| raised(self.found, &self.at, &doing("to_dict()"), err))?;
            return match dict.cast::<PyDict>() {
                Ok(dict) => self.visit_dict(dict, visitor),
                Err(_) => Err(fail(
                    self.found,
                    &self.at,
                    "wrong_type",
                    format!(
                        "expected to_dict() of a {} to return a dict, found a {}",
                        type_name(obj),
                        type_name(&dict)
                    ),
                    None,
                )),
            };
        }
        if obj.hasattr(intern!(py, "keys")).unwrap_or(false)
            && obj.hasattr(intern!(py, "__getitem__")).unwrap_or(false)
        {
            // A snapshot of its entries, read as a dict's.
            let entries = PyDict::new(py);
            let keys = obj
                .call_method0(intern!(py, "keys"))
                .and_then(|keys| keys.try_iter())
                .map_err(|err| raised(self.found, &self.at, &doing("keys()"), err))?;
            for key in keys {
                let key = key.map_err(|err| raised(self.found, &self.at, &doing("keys()"), err))?;
                let value = obj
                    .get_item(&key)
                    .map_err(|err| raised(self.found, &self.at, &doing("item access"), err))?;
                entries
                    .set_item(&key, value)
                    .map_err(|err| raised(self.found, &self.at, &doing("a key"), err))?;
            }
            return self.visit_dict(&entries, visitor);
        }
        Err(fail(
            self.found,
            &self.at,
            "wrong_type",
            format!(
                "expected a JSON value (a dict, list, str, int, float, bool or None), found a Python {}",
                type_name(obj)
            ),
            None,
        ))
    }
}

/// A dict's entries.
struct Entries<'a, 'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    key: Option<Bound<'py, PyAny>>,
    value: Option<Bound<'py, PyAny>>,
    at: &'a At<'a, 'py>,
    depth: u32,
    found: &'a Found,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        let Some((key, value)) = self.items.next() else {
            return Ok(None);
        };
        let Ok(text) = key.cast::<PyString>() else {
            return Err(fail(
                self.found,
                self.at,
                "wrong_type",
                format!("expected a str key, found a {}", type_name(&key)),
                None,
            ));
        };
        let read = seed.deserialize(Key {
            text,
            at: self.at,
            found: self.found,
        })?;
        self.key = Some(key);
        self.value = Some(value);
        Ok(Some(read))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        let (Some(key), Some(value)) = (self.key.take(), self.value.take()) else {
            return Err(Stop("a value asked for before its key".to_owned()));
        };
        let at = At::Key(self.at, &key);
        seed.deserialize(Value {
            obj: value,
            at,
            depth: self.depth,
            found: self.found,
        })
    }
}

/// A key: a `str`.
struct Key<'a, 'py> {
    text: &'a Bound<'py, PyString>,
    at: &'a At<'a, 'py>,
    found: &'a Found,
}

impl<'de> de::Deserializer<'de> for Key<'_, '_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        with_str(self.text, |text| visitor.visit_str(text))
            .map_err(|err| raised(self.found, self.at, "reading a key", err))?
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A list's or a tuple's items.
struct Items<'a, 'py, I> {
    items: I,
    index: usize,
    at: &'a At<'a, 'py>,
    depth: u32,
    found: &'a Found,
}

impl<'de, 'py, I: Iterator<Item = Bound<'py, PyAny>>> SeqAccess<'de> for Items<'_, 'py, I> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index = self.index.saturating_add(1);
        seed.deserialize(Value {
            obj: item,
            at: At::Index(self.at, index),
            depth: self.depth,
            found: self.found,
        })
        .map(Some)
    }
}
