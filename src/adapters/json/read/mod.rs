//! Reading a document in one pass into the few typed fields the crate uses, without
//! building the rest.
//!
//! A document is declared as structs of the fields read ([`fields!`](crate::json)), whose
//! types say how each is read: a [`Leaf`] is a plain value kept borrowed from the text, a
//! [`Field`] an object of declared fields, a [`List`] an array folded element by element,
//! a [`Kept`] a value kept whole (a reply's body). Every other key is skipped without being
//! built, still refusing a key given twice; a [`Strict`] object (a document of the crate's
//! own) refuses any key it does not declare. The
//! path of each value is a chain of borrowed segments on the stack, written out only for an
//! error. Reading costs one pass over the text and memory for the fields read, not for the
//! document.
//!
//! Type errors are not raised while reading: a field of the wrong type is kept as its
//! type, and the conversion that follows, which knows what it needs, names it. Errors
//! raised while reading (a duplicate key, and those a [`Fold`] raises) go through a side
//! channel, since `serde`'s own errors cannot carry a path and a kind.

mod kept;
mod leaf;
mod list;
mod object;
mod path;
mod skip;

use core::cell::RefCell;
use core::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer};

pub(crate) use kept::Kept;
pub(crate) use leaf::Leaf;
pub(crate) use list::{Fold, List};
pub(crate) use object::{Container, Field, Fields, Strict, fields, read_fields};
pub(crate) use path::Path;
pub(crate) use skip::Key;

use super::error::ScenarioErrorKind as Kind;
use crate::json::ScenarioError;

/// What reading a value knows: where it is, and where to leave an error found there.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'c> {
    found: &'c RefCell<Option<ScenarioError>>,
    pub(crate) path: &'c Path<'c>,
}

impl<'c> Ctx<'c> {
    /// The same reading, at `path`.
    pub(crate) fn at(self, path: &'c Path<'c>) -> Ctx<'c> {
        Ctx {
            found: self.found,
            path,
        }
    }

    /// Leaves `error` (the first one found wins) and returns the `serde` error that stops
    /// the reading; [`read_document`] returns `error` in its place.
    pub(crate) fn fail<E: de::Error>(self, error: ScenarioError) -> E {
        let mut found = self.found.borrow_mut();
        if found.is_none() {
            *found = Some(error);
        }
        E::custom("stopped by an error with a path")
    }

    /// A key given twice, at the path of the second.
    pub(crate) fn duplicate<E: de::Error>(self, path: &Path<'_>, key: &str) -> E {
        self.fail(ScenarioError::at_path(
            Kind::Syntax,
            path,
            format_args!(
                "the key \"{}\" is given twice",
                crate::value::text::quoted(key)
            ),
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
pub(crate) fn read_text<'de, T: Read<'de>>(text: &'de str) -> Result<T, ScenarioError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    reading(|ctx| -> Result<T, serde_json::Error> {
        let value = T::read(&mut deserializer, ctx)?;
        // Text after the document is not JSON.
        deserializer.end()?;
        Ok(value)
    })
}

/// Reads a whole document of JSON from `reader` into `T`, a piece at a time: the text is
/// never held whole (each string is read into a buffer of its own, and kept only by the
/// readers that keep it).
///
/// # Errors
///
/// As [`read_text`]; an error of `reader` is a `Syntax` error carrying it.
pub(crate) fn read_io<'de, T: Read<'de>, R: std::io::Read>(reader: R) -> Result<T, ScenarioError> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    reading(|ctx| -> Result<T, serde_json::Error> {
        let value = T::read(&mut deserializer, ctx)?;
        deserializer.end()?;
        Ok(value)
    })
}

/// Reads a document from any `serde` deserializer (a parsed `serde_json::Value`, a Python
/// object through a binding) into `T`.
///
/// # Errors
///
/// The error a reader left, or a `Syntax` error carrying the deserializer's own.
pub(crate) fn read_from<'de, T: Read<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, ScenarioError> {
    reading(|ctx| T::read(deserializer, ctx))
}

/// Runs `read` at the root, returning the error it left, if any, in place of the `serde`
/// error that stopped it.
fn reading<T, E: core::fmt::Display>(
    read: impl FnOnce(Ctx<'_>) -> Result<T, E>,
) -> Result<T, ScenarioError> {
    let found = RefCell::new(None);
    let root = Path::Root;
    let ctx = Ctx {
        found: &found,
        path: &root,
    };
    read(ctx).map_err(|error| {
        found.take().unwrap_or_else(|| {
            ScenarioError::at(Kind::Syntax, "", format_args!("invalid JSON: {error}"))
        })
    })
}
