//! A `serde` deserializer over Python objects with JSON's data model, so that the library's
//! one reader (`json::scenario_from_deserializer`, `json::reply_from_deserializer`, ...)
//! reads every input straight from a dict, without a JSON round trip.
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
//! `bytes` at `reply.body` read as text when the [`Reading`] says so (a reply's raw body). Anything else (a
//! `Decimal`, a `datetime`, other `bytes`) is refused with its path, and so is a
//! value nested more than [`MAX_DEPTH`] deep (a dict that contains itself, say).
//!
//! Errors this deserializer raises itself (a Python type JSON does not have, a key that is
//! not a string, an exception raised by `to_dict()`) are left in the [`Reading`] with their
//! path, since the library's reader reports a deserializer's own error without one.

use core::cell::RefCell;
use core::fmt;

use pyo3::exceptions::PyOverflowError;
use pyo3::exceptions::{PyException, PyMemoryError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use stripe_account_debits::json::{self, ReadErrorKind, quoted};

/// How deep values may nest, as `serde_json`'s own limit.
pub(crate) const MAX_DEPTH: u32 = 128;

/// Why a value could not be read, found by this deserializer.
pub(crate) struct Failure {
    /// `WrongType`, `Syntax` or `Document`.
    pub(crate) kind: ReadErrorKind,
    pub(crate) path: String,
    pub(crate) message: String,
    /// The Python exception behind it, if any (raised by `to_dict()`, say).
    pub(crate) cause: Option<PyErr>,
}

/// What one reading shares: where the first [`Failure`] found is left, and the Python
/// objects whose text has been lent (kept alive until the reading ends, so that the text
/// lent is borrowed, not copied).
#[derive(Default)]
pub(crate) struct Reading<'py> {
    found: RefCell<Option<Failure>>,
    kept: text::Kept<'py>,
    /// Whether `bytes` at `reply.body` read as the text they hold (a reply's raw body),
    /// rather than being refused.
    bytes_as_text: bool,
}

impl Reading<'_> {
    /// A reading where `bytes` at `reply.body` read as text: UTF-8, with any invalid
    /// sequence as U+FFFD (such a body is not JSON either way, which is all a reply's
    /// decision asks of it).
    pub(crate) fn with_bytes_as_text() -> Self {
        Reading {
            bytes_as_text: true,
            ..Reading::default()
        }
    }

    /// The failure found, if any.
    pub(crate) fn failure(&self) -> Option<Failure> {
        self.found.take()
    }
}

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

impl At<'_, '_> {
    /// Whether this is `reply.body`, the one place `bytes` may be read as text.
    fn is_reply_body(&self) -> bool {
        let named = |key: &Bound<'_, PyAny>, name: &str| {
            key.is_instance_of::<PyString>() && key.eq(name).unwrap_or(false)
        };
        match self {
            At::Key(At::Key(At::Root, reply), body) => named(reply, "reply") && named(body, "body"),
            _ => false,
        }
    }
}

impl fmt::Display for At<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root => Ok(()),
            At::Key(parent, key) => {
                write!(f, "{parent}")?;
                let text = key
                    .cast::<PyString>()
                    .ok()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                json::host::write_key(f, &text, matches!(parent, At::Root))
            }
            At::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// One Python value to read, at a path.
pub(crate) struct Value<'a, 'de, 'py> {
    obj: Bound<'py, PyAny>,
    at: At<'a, 'py>,
    depth: u32,
    /// Whether a string's text is lent for the whole reading (else only for the visitor's
    /// call: a value skipped, whose text nothing keeps).
    lend: bool,
    cx: &'de Reading<'py>,
}

impl<'de, 'py> Value<'_, 'de, 'py> {
    /// The document itself.
    pub(crate) fn root(obj: Bound<'py, PyAny>, cx: &'de Reading<'py>) -> Value<'de, 'de, 'py> {
        Value {
            obj,
            at: At::Root,
            depth: 0,
            lend: true,
            cx,
        }
    }
}

/// Leaves a failure at `at` (the first one wins) and returns the error that stops reading.
#[cold]
#[inline(never)]
fn fail(
    cx: &Reading<'_>,
    at: &At<'_, '_>,
    kind: ReadErrorKind,
    message: String,
    cause: Option<PyErr>,
) -> Stop {
    let mut slot = cx.found.borrow_mut();
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

/// The name of a value's Python type, for an error: escaped and cut as the library quotes
/// what it was given (a class may be named anything, newlines and terminal escapes
/// included).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|name| quoted(&name.to_string_lossy()))
        .unwrap_or_else(|_| "object".to_owned())
}

/// Whether a Python exception raised while reading must reach the caller as it is, not as
/// a `ReadError`: a `BaseException` that is not an `Exception` (`KeyboardInterrupt`,
/// `SystemExit`, `GeneratorExit`), which asks the program to stop, and `MemoryError`, which
/// says nothing about the input.
pub(crate) fn must_propagate(py: Python<'_>, err: &PyErr) -> bool {
    !err.is_instance_of::<PyException>(py) || err.is_instance_of::<PyMemoryError>(py)
}

/// A Python exception raised while reading, as a failure (which keeps the exception, to
/// chain it, or to raise it as it is when it [must propagate](must_propagate)).
#[cold]
#[inline(never)]
fn raised(cx: &Reading<'_>, at: &At<'_, '_>, doing: &str, err: PyErr) -> Stop {
    let message = Python::attach(|py| format!("{doing} raised {}", describe_exception(py, &err)));
    fail(cx, at, ReadErrorKind::Document, message, Some(err))
}

/// An exception as a message says it: its type's name and its text, each escaped and cut
/// as the library quotes what it was given (the exception keeps them whole, as the
/// `ReadError`'s `__cause__`).
fn describe_exception(py: Python<'_>, err: &PyErr) -> String {
    let name = err
        .get_type(py)
        .name()
        .map(|name| quoted(&name.to_string_lossy()))
        .unwrap_or_else(|_| "an exception".to_owned());
    let text = err
        .value(py)
        .str()
        .map(|s| quoted(&s.to_string_lossy()))
        .unwrap_or_default();
    if text.is_empty() {
        name
    } else {
        format!("{name}: {text}")
    }
}

/// Whether `obj` has the attribute `name`: an exception other than `AttributeError`
/// raised while looking (by a `__getattr__`) is no attribute, unless it [must
/// propagate](must_propagate), which is a failure that raises it as it is.
fn has_attr(
    cx: &Reading<'_>,
    at: &At<'_, '_>,
    obj: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
) -> Result<bool, Stop> {
    match obj.hasattr(name) {
        Ok(has) => Ok(has),
        Err(err) if must_propagate(obj.py(), &err) => {
            Err(raised(cx, at, "looking up an attribute", err))
        }
        Err(_) => Ok(false),
    }
}

impl<'de> de::Deserializer<'de> for Value<'_, 'de, '_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        self.read(visitor, None)
    }

    /// As `deserialize_any`, except that a dict asked for as [`json::host::LOOKUP`] hands over
    /// only the keys `fields` names that it has, each looked up.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let keys = (name == json::host::LOOKUP).then_some(fields);
        self.read(visitor, keys)
    }

    /// `None` is no value; anything else is the value (as `serde_json` reads an option), for
    /// the typed outputs read back from their `to_dict()`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        if self.obj.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

impl<'de> Value<'_, 'de, '_> {
    /// Hands the value to `visitor`; a dict by looking up `keys` alone, when given.
    fn read<V: Visitor<'de>>(
        self,
        visitor: V,
        keys: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Stop> {
        let obj = &self.obj;
        // The exact built-in types first: each is a pointer comparison, where a subclass
        // check is a call into the interpreter under the stable ABI.
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return self.visit_str(s, visitor);
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            return self.visit_dict(dict, visitor, keys);
        }
        if obj.is_exact_instance_of::<PyInt>() {
            return read_int(obj, visitor);
        }
        if let Ok(list) = obj.cast_exact::<PyList>() {
            return self.visit_items(list.iter(), visitor);
        }
        // `bool` cannot be subclassed.
        if let Ok(flag) = obj.cast_exact::<PyBool>() {
            return visitor.visit_bool(flag.is_true());
        }
        if obj.is_none() {
            return visitor.visit_unit();
        }
        // Then subclasses, `bool` having been taken before `int`, its base class.
        if let Ok(dict) = obj.cast::<PyDict>() {
            return self.visit_dict(dict, visitor, keys);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return self.visit_str(s, visitor);
        }
        if obj.is_instance_of::<PyInt>() {
            return read_int(obj, visitor);
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
        if self.cx.bytes_as_text
            && let Ok(bytes) = obj.cast::<PyBytes>()
            && self.at.is_reply_body()
        {
            return visitor.visit_str(&String::from_utf8_lossy(bytes.as_bytes()));
        }
        self.visit_object(visitor, keys)
    }
}

/// Lending a `str`'s text for the whole reading, without copying it.
///
/// The library's reader keeps text borrowed for as long as the reading lasts (`'de`), as it
/// borrows it from a JSON document. A `str`'s UTF-8 text is borrowed from the `str` itself,
/// and the `str` is kept alive (a strong reference in [`text::Kept`]) until the reading
/// ends: text lent stays valid even when Python code run while reading (a `to_dict()`)
/// drops the object it came from.
///
/// pyo3 borrows a `str`'s UTF-8 text only for the stable ABI of Python 3.10 and later (where
/// `PyUnicode_AsUTF8AndSize` joined it); for 3.9's it copies it, twice. The function has
/// been in CPython's API since 3.3 and, where an extension's symbols are resolved in the
/// running interpreter (Linux, macOS), it is there for 3.9 too, so it is declared here. On
/// Windows an abi3 extension links `python3.dll`, which exports it only from 3.10: there
/// the text is borrowed from the `str`'s UTF-8 `bytes`, kept alive the same way.
#[allow(
    unsafe_code,
    reason = "a str's text is borrowed from CPython for the reading's lifetime"
)]
mod text {
    use core::cell::RefCell;
    use std::borrow::Cow;

    use pyo3::prelude::*;
    use pyo3::types::PyString;

    /// The Python objects whose text has been lent, kept alive until dropped.
    pub(super) struct Kept<'py>(RefCell<Vec<Bound<'py, PyAny>>>);

    impl Default for Kept<'_> {
        /// Room for the strings of a scenario of Stripe objects, without growing.
        fn default() -> Self {
            Kept(RefCell::new(Vec::with_capacity(256)))
        }
    }

    #[cfg(not(windows))]
    unsafe extern "C" {
        /// CPython's own (`Include/unicodeobject.h`): the UTF-8 text of a `str`, kept by
        /// the `str` (for an ASCII one, its own data) for as long as it lives; `NULL` with
        /// an exception set when it cannot be encoded (a lone surrogate).
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut pyo3::ffi::PyObject,
            size: *mut pyo3::ffi::Py_ssize_t,
        ) -> *const core::ffi::c_char;
    }

    impl<'py> Kept<'py> {
        /// The text of `s`, lent for as long as `self` lives.
        #[inline]
        pub(super) fn lend<'k>(&'k self, s: &Bound<'py, PyString>) -> PyResult<&'k str> {
            let (owner, data, len) = utf8(s)?;
            self.0.borrow_mut().push(owner);
            // SAFETY: `len` bytes of valid UTF-8 at `data` (see `utf8`), owned by `owner`,
            // a Python object that never changes them (`str` and `bytes` are immutable) nor
            // moves or frees them while it lives; `self` now holds a strong reference to it
            // until `self` is dropped, which the borrow `'k` outlives.
            Ok(unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(data, len)) })
        }
    }

    /// The text of `s`, for as long as `s` is borrowed (a `str` never changes its text,
    /// and keeps its UTF-8 text while it lives); copied where it is not kept (Windows).
    #[inline]
    pub(super) fn borrow<'s>(s: &'s Bound<'_, PyString>) -> PyResult<Cow<'s, str>> {
        #[cfg(not(windows))]
        {
            let (data, len) = utf8_of(s)?;
            // SAFETY: `len` bytes of valid UTF-8 at `data` (see `utf8_of`), owned by `s`,
            // which the borrow `'s` keeps alive and which never changes them.
            let bytes = unsafe { core::slice::from_raw_parts(data, len) };
            Ok(Cow::Borrowed(unsafe {
                core::str::from_utf8_unchecked(bytes)
            }))
        }
        #[cfg(windows)]
        {
            s.to_cow()
        }
    }

    /// The object that owns the UTF-8 text of `s`, and where the text is.
    #[cfg(not(windows))]
    fn utf8<'py>(s: &Bound<'py, PyString>) -> PyResult<(Bound<'py, PyAny>, *const u8, usize)> {
        let (data, len) = utf8_of(s)?;
        Ok((s.clone().into_any(), data, len))
    }

    /// Where the UTF-8 text of `s` is, kept by `s` for as long as it lives.
    #[cfg(not(windows))]
    #[inline]
    fn utf8_of(s: &Bound<'_, PyString>) -> PyResult<(*const u8, usize)> {
        let mut size: pyo3::ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` (its type is checked) and the thread is attached to
        // the interpreter (a `Bound` proves both); `size` is a valid place to write.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        // CPython returns `size` bytes of UTF-8 (never a negative size with a text).
        let len = usize::try_from(size).unwrap_or(0);
        Ok((data.cast::<u8>(), len))
    }

    /// The object that owns the UTF-8 text of `s`, and where the text is.
    #[cfg(windows)]
    fn utf8<'py>(s: &Bound<'py, PyString>) -> PyResult<(Bound<'py, PyAny>, *const u8, usize)> {
        let bytes = s.encode_utf8()?;
        let text = bytes.as_bytes();
        // Python's UTF-8 encoder writes UTF-8; checked all the same.
        core::str::from_utf8(text)
            .map_err(|err| pyo3::exceptions::PyUnicodeError::new_err(err.to_string()))?;
        let (data, len) = (text.as_ptr(), text.len());
        Ok((bytes.into_any(), data, len))
    }
}

/// The text of `s`, for as long as `s` is borrowed (for the floor `bench.py` measures).
pub(crate) fn borrow_text<'s>(s: &'s Bound<'_, PyString>) -> PyResult<std::borrow::Cow<'s, str>> {
    text::borrow(s)
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

impl<'de, 'py> Value<'_, 'de, 'py> {
    #[inline]
    fn visit_str<V: Visitor<'de>>(
        &self,
        s: &Bound<'py, PyString>,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let failed = |err| raised(self.cx, &self.at, "reading a string", err);
        if !self.lend {
            return visitor.visit_str(&text::borrow(s).map_err(failed)?);
        }
        visitor.visit_borrowed_str(self.cx.kept.lend(s).map_err(failed)?)
    }

    /// The depth of this value's children, or the failure when it is too deep.
    #[inline]
    fn child_depth(&self) -> Result<u32, Stop> {
        let depth = self.depth.saturating_add(1);
        if depth > MAX_DEPTH {
            return Err(fail(
                self.cx,
                &self.at,
                ReadErrorKind::Syntax,
                format!("values nest more than {MAX_DEPTH} deep"),
                None,
            ));
        }
        Ok(depth)
    }

    fn visit_dict<V: Visitor<'de>>(
        &self,
        dict: &Bound<'py, PyDict>,
        visitor: V,
        keys: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Stop> {
        let depth = self.child_depth()?;
        visitor.visit_map(Entries {
            items: dict.iter(),
            dict,
            len: dict.len(),
            taken: 0,
            key: None,
            value: None,
            declared: keys,
            lend: self.lend,
            at: &self.at,
            depth,
            cx: self.cx,
        })
    }

    fn visit_items<V: Visitor<'de>, I: Iterator<Item = Bound<'py, PyAny>>>(
        &self,
        items: I,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let depth = self.child_depth()?;
        visitor.visit_seq(Items {
            items,
            index: 0,
            lend: self.lend,
            at: &self.at,
            depth,
            cx: self.cx,
        })
    }

    /// Any other object: stripe-python's objects through `to_dict()`, a mapping through
    /// `keys()` and item access; anything else is not a JSON value.
    fn visit_object<V: Visitor<'de>>(
        &self,
        visitor: V,
        lookup: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Stop> {
        let obj = &self.obj;
        let py = obj.py();
        let doing = |what: &str| format!("{what} of a {}", type_name(obj));
        if has_attr(self.cx, &self.at, obj, intern!(py, "to_dict"))? {
            let dict = obj
                .call_method0(intern!(py, "to_dict"))
                .map_err(|err| raised(self.cx, &self.at, &doing("to_dict()"), err))?;
            return match dict.cast::<PyDict>() {
                Ok(dict) => self.visit_dict(dict, visitor, lookup),
                Err(_) => Err(fail(
                    self.cx,
                    &self.at,
                    ReadErrorKind::WrongType,
                    format!(
                        "expected to_dict() of a {} to return a dict, found a {}",
                        type_name(obj),
                        type_name(&dict)
                    ),
                    None,
                )),
            };
        }
        if has_attr(self.cx, &self.at, obj, intern!(py, "keys"))?
            && has_attr(self.cx, &self.at, obj, intern!(py, "__getitem__"))?
        {
            // A snapshot of its entries, read as a dict's.
            let entries = PyDict::new(py);
            let keys = obj
                .call_method0(intern!(py, "keys"))
                .and_then(|keys| keys.try_iter())
                .map_err(|err| raised(self.cx, &self.at, &doing("keys()"), err))?;
            for key in keys {
                let key = key.map_err(|err| raised(self.cx, &self.at, &doing("keys()"), err))?;
                let value = obj
                    .get_item(&key)
                    .map_err(|err| raised(self.cx, &self.at, &doing("item access"), err))?;
                entries
                    .set_item(&key, value)
                    .map_err(|err| raised(self.cx, &self.at, &doing("a key"), err))?;
            }
            return self.visit_dict(&entries, visitor, lookup);
        }
        Err(fail(
            self.cx,
            &self.at,
            ReadErrorKind::WrongType,
            format!(
                "expected a JSON value (a dict, list, str, int, float, bool or None), found a Python {}",
                type_name(obj)
            ),
            None,
        ))
    }
}

/// A dict's entries.
///
/// Python code run while reading (a `to_dict()`) may change a dict being read, which pyo3's
/// iterator answers with a panic: a change of size is refused here first (a `document`
/// error), and no more entries than the dict had are taken (a change of keys that keeps
/// the size is read as far as it goes, never past it).
struct Entries<'a, 'de, 'py> {
    items: pyo3::types::iter::BoundDictIterator<'py>,
    dict: &'a Bound<'py, PyDict>,
    /// How many entries the dict had when reading it began, and how many were taken.
    len: usize,
    taken: usize,
    key: Option<Bound<'py, PyAny>>,
    value: Option<Bound<'py, PyAny>>,
    /// The keys the reader declares, when it asked for them alone ([`json::host::LOOKUP`]): the
    /// others are skipped here (still refusing what is not JSON in them), unseen by it.
    declared: Option<&'static [&'static str]>,
    /// As [`Value`]'s.
    lend: bool,
    at: &'a At<'a, 'py>,
    depth: u32,
    cx: &'de Reading<'py>,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de, '_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        loop {
            let Some((key, value)) = self.next_entry()? else {
                return Ok(None);
            };
            let Ok(text) = key.cast::<PyString>() else {
                return Err(fail(
                    self.cx,
                    self.at,
                    ReadErrorKind::WrongType,
                    format!("expected a str key, found a {}", type_name(&key)),
                    None,
                ));
            };
            let read = match self.declared {
                None => seed.deserialize(Key {
                    text,
                    at: self.at,
                    lend: self.lend,
                    cx: self.cx,
                })?,
                Some(declared) => {
                    let name = text::borrow(text)
                        .map_err(|err| raised(self.cx, self.at, "reading a key", err))?;
                    let Some(field) = declared.iter().find(|field| **field == name.as_ref()) else {
                        self.skip(&key, value)?;
                        continue;
                    };
                    seed.deserialize(de::value::BorrowedStrDeserializer::new(field))?
                }
            };
            self.key = Some(key);
            self.value = Some(value);
            return Ok(Some(read));
        }
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
            lend: self.lend,
            cx: self.cx,
        })
    }
}

/// A key and its value.
type Entry<'py> = (Bound<'py, PyAny>, Bound<'py, PyAny>);

impl<'py> Entries<'_, '_, 'py> {
    /// The next entry, if any: refused when the dict changed size since reading it began.
    #[inline]
    fn next_entry(&mut self) -> Result<Option<Entry<'py>>, Stop> {
        if self.dict.len() != self.len {
            return Err(fail(
                self.cx,
                self.at,
                ReadErrorKind::Document,
                "the dict changed size while it was read (by Python code run while reading it)"
                    .to_owned(),
                None,
            ));
        }
        if self.taken >= self.len {
            return Ok(None);
        }
        let entry = self.items.next();
        if entry.is_some() {
            self.taken = self.taken.saturating_add(1);
        }
        Ok(entry)
    }

    /// Skips the value of a key the reader does not declare, as the reader would skip it:
    /// whatever it holds is read (a `to_dict()` called, every string's text taken) and
    /// refused when it is not JSON, but nothing of it is kept.
    fn skip(&self, key: &Bound<'py, PyAny>, value: Bound<'py, PyAny>) -> Result<(), Stop> {
        // An exact `int`, `bool` or `None` always reads (an `int` of any size is a number):
        // nothing to visit.
        if value.is_exact_instance_of::<PyInt>()
            || value.is_exact_instance_of::<PyBool>()
            || value.is_none()
        {
            return Ok(());
        }
        let value = Value {
            obj: value,
            at: At::Key(self.at, key),
            depth: self.depth,
            lend: false,
            cx: self.cx,
        };
        de::Deserializer::deserialize_any(value, de::IgnoredAny).map(|_| ())
    }
}

/// A key: a `str`.
struct Key<'a, 'de, 'py> {
    text: &'a Bound<'py, PyString>,
    at: &'a At<'a, 'py>,
    /// As [`Value`]'s.
    lend: bool,
    cx: &'de Reading<'py>,
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de, '_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let failed = |err| raised(self.cx, self.at, "reading a key", err);
        if !self.lend {
            return visitor.visit_str(&text::borrow(self.text).map_err(failed)?);
        }
        visitor.visit_borrowed_str(self.cx.kept.lend(self.text).map_err(failed)?)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A list's or a tuple's items.
struct Items<'a, 'de, 'py, I> {
    items: I,
    index: usize,
    /// As [`Value`]'s.
    lend: bool,
    at: &'a At<'a, 'py>,
    depth: u32,
    cx: &'de Reading<'py>,
}

impl<'de, 'py, I: Iterator<Item = Bound<'py, PyAny>>> SeqAccess<'de> for Items<'_, 'de, 'py, I> {
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
            lend: self.lend,
            cx: self.cx,
        })
        .map(Some)
    }
}
