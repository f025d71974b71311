//! The pass that refuses a key given twice in one object, which `serde_json::Value` would
//! otherwise resolve silently (the last one wins). It walks the document without building
//! it, and says where the duplicate is.

use core::cell::RefCell;
use core::fmt;
use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::ScenarioError;
use super::error::ScenarioErrorKind;

/// Checks that no object of `text` (JSON) gives a key twice.
///
/// # Errors
///
/// A [`ScenarioError`] of kind `Syntax` at the duplicate's path. (Text that is not JSON is
/// left to the parse that follows, which says so.)
pub(crate) fn check_no_duplicate_keys(text: &str) -> Result<(), ScenarioError> {
    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let walked = Walk { found: &found }.deserialize(&mut deserializer);
    match (walked, found.into_inner()) {
        (Err(_), Some(Duplicate { key, mut path })) => {
            path.reverse();
            let path: String = path.concat();
            // Segments start with `.` or `[`; a path starts with its first key.
            let path = path.strip_prefix('.').unwrap_or(&path);
            Err(ScenarioError::at(
                ScenarioErrorKind::Syntax,
                path,
                format_args!(
                    "the key \"{}\" is given twice",
                    crate::value::text::quoted(&key)
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A duplicate found: its key, and the path segments to it, innermost first (the walk
/// adds them as it unwinds).
struct Duplicate {
    key: String,
    path: Vec<String>,
}

/// Walks one value.
#[derive(Clone, Copy)]
struct Walk<'a> {
    found: &'a RefCell<Option<Duplicate>>,
}

impl Walk<'_> {
    /// Adds `segment` to the path of a duplicate found below.
    fn unwinding(&self, segment: impl FnOnce() -> String) {
        if let Some(duplicate) = self.found.borrow_mut().as_mut() {
            duplicate.path.push(segment());
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(())) => index = index.saturating_add(1),
                Ok(None) => return Ok(()),
                Err(error) => {
                    self.unwinding(|| format!("[{index}]"));
                    return Err(error);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Objects are small (Stripe's have tens of keys): a list searched in place, of keys
        // borrowed from the text, costs less than hashing owned copies.
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if let Err(error) = map.next_value_seed(self) {
                self.unwinding(|| format!(".{key}"));
                return Err(error);
            }
            if keys.contains(&key) {
                *self.found.borrow_mut() = Some(Duplicate {
                    path: vec![format!(".{key}")],
                    key: key.into_owned(),
                });
                return Err(de::Error::custom("duplicate key"));
            }
            keys.push(key);
        }
        Ok(())
    }
}

/// An object's key, borrowed from the text unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}
