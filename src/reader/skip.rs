//! Skipping a value the crate does not read, without building it, while still refusing a
//! key given twice inside it.

use core::fmt;
use std::borrow::Cow;
use std::collections::HashSet;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Ctx;

/// Skips one value, of any type.
pub(super) struct Skip<'c>(pub(super) Ctx<'c>);

impl<'de> DeserializeSeed<'de> for Skip<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_> {
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

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        skip_seq(seq, self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        skip_map(None, map, self.0)
    }
}

/// Skips the rest of an array.
pub(super) fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A, ctx: Ctx<'_>) -> Result<(), A::Error> {
    let mut index = 0usize;
    loop {
        let path = ctx.path.index(index);
        if seq.next_element_seed(Skip(ctx.at(&path)))?.is_none() {
            return Ok(());
        }
        index = index.saturating_add(1);
    }
}

/// Skips the rest of an object whose first key, when already taken, is `first`.
pub(super) fn skip_map<'de, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    mut map: A,
    ctx: Ctx<'_>,
) -> Result<(), A::Error> {
    let mut keys = Keys::default();
    let mut next = first;
    if next.is_none() {
        next = map.next_key_seed(Key)?;
    }
    while let Some(key) = next {
        keys.skip_value(key, &mut map, ctx)?;
        next = map.next_key_seed(Key)?;
    }
    Ok(())
}

/// The keys of one object seen so far, to refuse one given twice.
///
/// Stripe's objects have tens of keys: a short list searched in place costs less than
/// hashing, and the first [`Keys::INLINE`] keys borrowed from the text are kept on the
/// stack, so that reading a Transfer allocates nothing for them. A 64-bit mask of the keys'
/// bits ([`bit`]) answers most "seen before?" without a search. Past [`Keys::LIST`] keys a
/// hash set takes over, so that an object of many keys costs linear time, not quadratic.
pub(super) struct Keys<'de> {
    /// The bits of the keys seen: a key whose bit is not set is new.
    mask: u64,
    inline: [&'de str; Keys::INLINE],
    inline_len: usize,
    /// Keys past the inline ones, and keys with escapes (owned), up to [`Keys::LIST`] in
    /// all.
    list: Vec<Cow<'de, str>>,
    /// Made only when needed (making one reads the thread's random keys).
    set: Option<HashSet<Cow<'de, str>>>,
}

impl Default for Keys<'_> {
    fn default() -> Self {
        Keys {
            mask: 0,
            inline: [""; Keys::INLINE],
            inline_len: 0,
            list: Vec::new(),
            set: None,
        }
    }
}

/// A key's bit in [`Keys`]'s mask, from its length and its first and last bytes: equal
/// keys have equal bits, and most different keys of an object do not.
fn bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let first = bytes.first().copied().map_or(0, usize::from);
    let last = bytes.last().copied().map_or(0, usize::from);
    let spread = bytes
        .len()
        .wrapping_mul(7)
        .wrapping_add(first.wrapping_mul(3))
        .wrapping_add(last);
    1u64.rotate_left(u32::try_from(spread % 64).unwrap_or(0))
}

impl<'de> Keys<'de> {
    /// How many borrowed keys are kept on the stack.
    const INLINE: usize = 16;
    /// How many keys the lists hold before the set takes over.
    const LIST: usize = 32;

    /// Adds `key`: false when it was already there.
    #[inline]
    pub(super) fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key);
        }
        let bit = bit(&key);
        if self.mask & bit != 0 {
            let inline = self.inline.get(..self.inline_len).unwrap_or_default();
            if inline.contains(&key.as_ref()) || self.list.contains(&key) {
                return false;
            }
        }
        self.mask |= bit;
        if let (Cow::Borrowed(text), Some(slot)) = (&key, self.inline.get_mut(self.inline_len)) {
            *slot = text;
            self.inline_len = self.inline_len.saturating_add(1);
            return true;
        }
        if self.inline_len.saturating_add(self.list.len()) < Self::LIST {
            self.list.push(key);
            return true;
        }
        let inline = self.inline.get(..self.inline_len).unwrap_or_default();
        let mut set: HashSet<Cow<'de, str>> =
            inline.iter().map(|text| Cow::Borrowed(*text)).collect();
        set.extend(self.list.drain(..));
        let added = set.insert(key);
        self.set = Some(set);
        added
    }

    /// Records `key` and skips its value, refusing a key given twice.
    #[inline]
    pub(super) fn skip_value<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        ctx: Ctx<'_>,
    ) -> Result<(), A::Error> {
        let path = ctx.path.key(&key);
        map.next_value_seed(Skip(ctx.at(&path)))?;
        if self.insert(key.clone()) {
            Ok(())
        } else {
            Err(ctx.duplicate(&path, &key))
        }
    }
}

/// An object's key, borrowed from the text unless it has escapes.
pub(crate) struct Key;

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

    fn visit_string<E>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}
