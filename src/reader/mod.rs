//! The one JSON reader (feature `serde`): every input the crate reads (a scenario, a book,
//! a command's input, Stripe's Transfer, list, reversal and error objects, a reply's
//! headers) is read in one pass into the few typed fields the crate uses, without building
//! the rest.
//!
//! A document is declared as structs of the fields read ([`fields!`]), whose types say how
//! each is read: a [`Leaf`] is a plain value kept borrowed from the text, a [`Field`] an
//! object of declared fields, a [`List`] an array folded element by element, a [`Kept`] a
//! value kept whole (the `step` command's reply body and saved state). Each
//! declaration says what becomes of a key it does not declare: skipped (Stripe's objects,
//! which grow new fields) or refused (the crate's own shapes). Every key skipped is skipped
//! without being built, still refusing a key given twice. The path of each value is a chain
//! of borrowed segments on the stack, written out only for an error. Reading costs one pass
//! over the text and memory for the fields read, not for the document.
//!
//! Type errors are not raised while reading: a field of the wrong type is kept as its
//! type, and the conversion that follows, which knows what it needs, names it. Errors
//! raised while reading (a duplicate key, an unknown key, and those a [`Fold`] raises) go
//! through a side channel, since `serde`'s own errors cannot carry a path and a kind.
//!
//! The text may be JSON text ([`read_text`], [`read_slice`]) or any `serde` deserializer
//! with JSON's data model ([`read_from`]: a parsed `serde_json::Value`, Python objects
//! through a binding): all are read the same way, with the same errors. JSON text is
//! first read by a reader of the common case alone ([`fast`]), which gives up on anything
//! else (an escape, a fraction, an error); `serde_json` then reads the text again, so
//! that a text of the rare kinds takes two passes, and every error is `serde_json`'s.
//!
//! A deserializer over a host language's objects (Python dicts, JavaScript objects) may
//! also read an object of Stripe's by looking up the keys declared, rather than walking
//! every key ([`with_lookup`], [`LOOKUP`]): such objects cannot give a key twice, so the
//! keys not declared, which the reader would only skip, need not be visited at all.

mod error;
mod fast;
mod kept;
mod leaf;
mod list;
mod object;
mod path;
mod skip;

use core::cell::{Cell, RefCell};
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer};

pub use error::{ReadError, ReadErrorKind};
pub(crate) use kept::Kept;
pub(crate) use leaf::{Leaf, describe};
pub(crate) use list::{Fold, List};
pub(crate) use object::{
    Both, Container, Field, Fields, StrOr, Unknown, fields, read_entries, read_fields_in_place,
};
pub(crate) use path::Path;
pub use path::write_key;
pub(crate) use skip::Key;

use crate::value::text::quoted;
use ReadErrorKind as Kind;

/// What reading a value knows: where it is, and where to leave an error found there.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'c> {
    found: &'c RefCell<Option<ReadError>>,
    pub(crate) path: &'c Path<'c>,
    /// Whether an object that skips undeclared keys is asked for by its keys
    /// ([`LOOKUP`]), rather than walked.
    pub(crate) lookup: bool,
}

impl<'c> Ctx<'c> {
    /// The same reading, at `path`.
    pub(crate) fn at(self, path: &'c Path<'c>) -> Ctx<'c> {
        Ctx {
            found: self.found,
            path,
            lookup: self.lookup,
        }
    }

    /// Leaves `error` (the first one found wins) and returns the `serde` error that stops
    /// the reading; [`read_text`] (and the others) return `error` in its place.
    pub(crate) fn fail<E: de::Error>(self, error: ReadError) -> E {
        let mut found = self.found.borrow_mut();
        if found.is_none() {
            *found = Some(error);
        }
        E::custom("stopped by an error with a path")
    }

    /// A key given twice, at the path of the second.
    pub(crate) fn duplicate<E: de::Error>(self, path: &Path<'_>, key: &str) -> E {
        self.fail(ReadError::at(
            Kind::Syntax,
            path,
            format_args!("the key \"{}\" is given twice", quoted(key)),
        ))
    }

    /// A key that an object of the crate's own shape does not declare (`known`), at its
    /// path.
    pub(crate) fn unknown<E: de::Error>(self, path: &Path<'_>, key: &str, known: &[&str]) -> E {
        self.fail(ReadError::at(
            Kind::UnknownKey,
            path,
            format_args!("unknown key \"{}\" (known: {})", quoted(key), Known(known)),
        ))
    }
}

/// A type read from a document at a known path.
pub(crate) trait Read<'de>: Sized {
    /// Reads one value from `deserializer`, which is at `ctx.path`.
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error>;
}

/// [`Read`] as a `serde` seed.
pub(crate) struct Seed<'c, T>(Ctx<'c>, PhantomData<fn() -> T>);

impl<'c, T> Seed<'c, T> {
    pub(crate) fn new(ctx: Ctx<'c>) -> Seed<'c, T> {
        Seed(ctx, PhantomData)
    }
}

impl<'de, T: Read<'de>> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::read(deserializer, self.0)
    }
}

/// Reads a whole document of JSON text into `T`.
///
/// # Errors
///
/// The error a reader left (a duplicate key, say), or a `Syntax` error when the text is not
/// JSON.
pub(crate) fn read_text<'de, T: Read<'de>>(text: &'de str) -> Result<T, ReadError> {
    // The common case first, by a reader that gives up on anything else (`fast`); then,
    // when it gave up, `serde_json`, which reads the rest and says what is wrong.
    match fast::read(text) {
        Ok(value) => Ok(value),
        Err(fast::GaveUp) => read_text_by_serde_json(text),
    }
}

/// [`read_text`] by `serde_json` alone.
fn read_text_by_serde_json<'de, T: Read<'de>>(text: &'de str) -> Result<T, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    reading(false, |ctx| -> Result<T, serde_json::Error> {
        let value = T::read(&mut deserializer, ctx)?;
        // Text after the document is not JSON.
        deserializer.end()?;
        Ok(value)
    })
}

/// Reads a whole document of JSON bytes (a reply's body as it came) into `T`.
///
/// # Errors
///
/// As [`read_text`]; bytes that are not UTF-8 are a `Syntax` error.
pub(crate) fn read_slice<'de, T: Read<'de>>(bytes: &'de [u8]) -> Result<T, ReadError> {
    // JSON text is UTF-8 (RFC 8259, section 8.1): checked once for the whole document,
    // which costs less than checking each string as it is read.
    let text = core::str::from_utf8(bytes).map_err(ReadError::syntax)?;
    read_text(text)
}

/// Reads a whole document of JSON from `reader` into `T`, a piece at a time: the text is
/// never held whole (each string is read into a buffer of its own, and kept only by the
/// readers that keep it).
///
/// # Errors
///
/// As [`read_text`]; an error of `reader` is a `Syntax` error carrying it.
pub(crate) fn read_io<'de, T: Read<'de>, R: std::io::Read>(reader: R) -> Result<T, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    reading(false, |ctx| -> Result<T, serde_json::Error> {
        let value = T::read(&mut deserializer, ctx)?;
        deserializer.end()?;
        Ok(value)
    })
}

/// Reads a document from any `serde` deserializer (a parsed `serde_json::Value`, a Python
/// object through a binding) into `T`; by lookups inside [`with_lookup`].
///
/// # Errors
///
/// The error a reader left, or a `Syntax` error carrying the deserializer's own.
pub(crate) fn read_from<'de, T: Read<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, ReadError> {
    reading(LOOKING_UP.with(Cell::get), |ctx| T::read(deserializer, ctx))
}

/// The name of the struct that [`with_lookup`] asks for: a deserializer answers
/// `deserialize_struct(LOOKUP, keys, visitor)` as it answers `deserialize_any(visitor)`,
/// except that for an object it hands `visitor.visit_map` only the keys of `keys` that the
/// object has, in the order of `keys`, each with its value (a key no more than once: the
/// object's own keys are unique). The reader asks so for the objects whose undeclared keys
/// it would skip (Stripe's); it walks every key of the others, whose undeclared keys it
/// refuses.
pub const LOOKUP: &str = "$stripe_account_debits::lookup";

std::thread_local! {
    /// Whether [`read_from`] reads by lookups (inside [`with_lookup`]).
    static LOOKING_UP: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read`, where the crate's `*_from_deserializer` functions read Stripe's objects by
/// looking up the keys they use ([`LOOKUP`]), for a deserializer that answers it: over a
/// host language's objects, whose keys cannot repeat. The reading is otherwise the same,
/// with the same errors, except that the values of keys never looked up are not visited.
///
/// Only for deserializers that answer [`LOOKUP`]: `serde_json`'s refuse any value but an
/// object or an array asked for as a struct.
pub fn with_lookup<R>(read: impl FnOnce() -> R) -> R {
    /// Puts back what was there before, even when `read` unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            LOOKING_UP.with(|looking| looking.set(self.0));
        }
    }
    let _restore = Restore(LOOKING_UP.with(|looking| looking.replace(true)));
    read()
}

/// Runs `read` at the root (reading by lookups when `lookup`), returning the error it
/// left, if any, in place of the `serde` error that stopped it.
fn reading<T, E: core::fmt::Display>(
    lookup: bool,
    read: impl FnOnce(Ctx<'_>) -> Result<T, E>,
) -> Result<T, ReadError> {
    let found = RefCell::new(None);
    let root = Path::Root;
    let ctx = Ctx {
        found: &found,
        path: &root,
        lookup,
    };
    read(ctx).map_err(|error| found.take().unwrap_or_else(|| ReadError::syntax(error)))
}

/// The keys an object declares, as an error lists them: `a, b, c`.
struct Known<'k>(&'k [&'k str]);

impl core::fmt::Display for Known<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, key) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(key)?;
        }
        Ok(())
    }
}
