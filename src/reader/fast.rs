//! A first try at reading JSON text, before `serde_json`: a `serde` deserializer over the
//! text that understands only the common case of well-formed JSON (strings without escapes,
//! integers of at most 18 digits, `true`, `false`, `null`, arrays and objects nested at
//! most [`MAX_DEPTH`] deep) and gives up on anything else: an escape, a fraction, an
//! exponent, a long integer, `-0`, a syntax error, an error a reader raises. When it gives
//! up, the whole document is read again by `serde_json` ([`super::read_text`]), which
//! reads what this one does not and words every error, with its position, as it always
//! has: this reader never makes an error of its own.
//!
//! Where it reads a document to the end, it makes the same calls on the readers'
//! visitors, with the same values, as `serde_json` does on the same text (strings
//! borrowed from the text, non-negative integers as `u64`, negative ones as `i64`, keys
//! as borrowed strings), so that what is read is the same; the tests compare the two on
//! many texts. It saves `serde_json`'s generality (its scratch buffer, its error
//! positions, its number forms), which is most of the cost of reading a short object.

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Ctx, Path, Read};

/// How deep arrays and objects may nest before this reader gives up (`serde_json` refuses
/// past 128).
const MAX_DEPTH: u32 = 64;

/// Reads `text` into `T` when this reader can; [`GaveUp`] when it gave up (the text, or a
/// reader, may be at fault, or neither: `serde_json` reads it again to tell).
pub(super) fn read<'de, T: Read<'de>>(text: &'de str) -> Result<T, GaveUp> {
    let found = RefCell::new(None);
    let root = Path::Root;
    let ctx = Ctx {
        found: &found,
        path: &root,
        lookup: false,
    };
    let mut reader = Text {
        text,
        pos: 0,
        depth: 0,
    };
    let read = T::read(&mut reader, ctx);
    // Only whitespace may follow the document.
    if reader.peek().is_some() {
        return Err(GaveUp);
    }
    // Returned as it was read (not unwrapped and wrapped again): no copy of the document.
    read
}

/// This reader gave up: what `serde` calls an error, carrying nothing (the text is read
/// again by `serde_json`, which says what is wrong, if anything).
#[derive(Debug)]
pub(super) struct GaveUp;

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("read again by serde_json")
    }
}

impl std::error::Error for GaveUp {}

impl de::Error for GaveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GaveUp
    }
}

/// The text, and how far it is read.
struct Text<'de> {
    text: &'de str,
    pos: usize,
    /// How many arrays and objects are open.
    depth: u32,
}

impl<'de> Text<'de> {
    /// Skips JSON's whitespace and returns the next byte, not taken.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.pos) {
            if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(byte);
            }
            self.bump();
        }
        None
    }

    /// Takes the byte peeked at.
    #[inline]
    fn bump(&mut self) {
        // Never saturates: `pos` stays at most the text's length.
        self.pos = self.pos.saturating_add(1);
    }

    /// A string without escapes, the next byte being its opening quote: its text,
    /// borrowed.
    #[inline]
    fn string(&mut self) -> Result<&'de str, GaveUp> {
        let start = self.pos.saturating_add(1);
        let rest = self.text.as_bytes().get(start..).ok_or(GaveUp)?;
        let len = string_len(rest).ok_or(GaveUp)?;
        let end = start.saturating_add(len);
        if rest.get(len) != Some(&b'"') {
            return Err(GaveUp);
        }
        let string = self.text.get(start..end).ok_or(GaveUp)?;
        self.pos = end.saturating_add(1);
        Ok(string)
    }

    /// An integer of at most 18 digits (which fits `i64` whatever its sign), handed to
    /// `visitor` as `serde_json` hands it: `u64` when not negative, `i64` when negative.
    #[inline]
    fn integer<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, GaveUp> {
        let bytes = self.text.as_bytes();
        let negative = bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.bump();
        }
        let start = self.pos;
        let mut magnitude = 0u64;
        while let Some(&byte) = bytes.get(self.pos).filter(|byte| byte.is_ascii_digit()) {
            let digit = u64::from(byte.wrapping_sub(b'0'));
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(digit))
                .ok_or(GaveUp)?;
            self.bump();
        }
        let digits = self.pos.saturating_sub(start);
        let leading_zero = bytes.get(start) == Some(&b'0');
        let fraction = matches!(bytes.get(self.pos), Some(b'.' | b'e' | b'E'));
        if digits == 0 || digits > 18 || (leading_zero && digits > 1) || fraction {
            return Err(GaveUp);
        }
        if !negative {
            return visitor.visit_u64(magnitude);
        }
        // `-0` is a float to `serde_json`.
        let value = i64::try_from(magnitude)
            .ok()
            .filter(|m| *m != 0)
            .and_then(i64::checked_neg)
            .ok_or(GaveUp)?;
        visitor.visit_i64(value)
    }

    /// Takes `word` (`true`, `false`, `null`), which must come next.
    #[inline]
    fn word(&mut self, word: &[u8]) -> Result<(), GaveUp> {
        let end = self.pos.saturating_add(word.len());
        if self.text.as_bytes().get(self.pos..end) != Some(word) {
            return Err(GaveUp);
        }
        self.pos = end;
        Ok(())
    }

    /// Opens an array or an object, the next byte being its bracket.
    fn open(&mut self) -> Result<(), GaveUp> {
        self.bump();
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_DEPTH {
            return Err(GaveUp);
        }
        Ok(())
    }

    /// Closes the array or object read, which must end with `close` next.
    fn close(&mut self, close: u8) -> Result<(), GaveUp> {
        if self.peek() != Some(close) {
            return Err(GaveUp);
        }
        self.bump();
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Takes `:` between a key and its value.
    #[inline]
    fn colon(&mut self) -> Result<(), GaveUp> {
        if self.peek() != Some(b':') {
            return Err(GaveUp);
        }
        self.bump();
        Ok(())
    }
}

/// Where the string that `rest` starts ends: the first `"`, `\\` (an escape) or control
/// character (refused in JSON strings), looked for eight bytes at a time.
#[inline]
fn string_len(rest: &[u8]) -> Option<usize> {
    /// A byte of ones in each of a word's eight bytes.
    const ONES: u64 = u64::MAX / 255;
    let mut chunks = rest.chunks_exact(8);
    let mut offset = 0usize;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
        // A byte's top bit is set where it is below 0x20, or (as the byte xor the one
        // looked for) zero. A borrow can set bits above the first such byte, never below
        // it, so the lowest bit set is the first byte looked for.
        let quote = word ^ ONES.wrapping_mul(u64::from(b'"'));
        let backslash = word ^ ONES.wrapping_mul(u64::from(b'\\'));
        let found = (word.wrapping_sub(ONES.wrapping_mul(0x20)) & !word)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash);
        let found = found & ONES.wrapping_mul(0x80);
        if found != 0 {
            let within = usize::try_from(found.trailing_zeros() / 8).ok()?;
            return Some(offset.saturating_add(within));
        }
        offset = offset.saturating_add(8);
    }
    let within = chunks
        .remainder()
        .iter()
        .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)?;
    Some(offset.saturating_add(within))
}

/// Gives up on every way of asking for a value that the readers do not use.
macro_rules! give_up {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GaveUp> {
                Err(GaveUp)
            }
        )*
    };
}

/// The other ways of asking for a value, which take more than the visitor: given up on.
macro_rules! give_up_on_the_rest {
    () => {
        give_up! {
            deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
            deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
            deserialize_option deserialize_unit deserialize_seq deserialize_map
            deserialize_ignored_any
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: V,
        ) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: V,
        ) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: usize,
            _: V,
        ) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            _: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, GaveUp> {
            Err(GaveUp)
        }
    };
}

impl<'de> Deserializer<'de> for &mut Text<'de> {
    type Error = GaveUp;

    /// Any value, handed to `visitor` as `serde_json`'s `deserialize_any` hands it.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        match self.peek().ok_or(GaveUp)? {
            b'"' => {
                let string = self.string()?;
                visitor.visit_borrowed_str(string)
            }
            b'-' | b'0'..=b'9' => self.integer(visitor),
            b't' => self.word(b"true").and_then(|()| visitor.visit_bool(true)),
            b'f' => self.word(b"false").and_then(|()| visitor.visit_bool(false)),
            b'n' => self.word(b"null").and_then(|()| visitor.visit_unit()),
            b'[' => {
                self.open()?;
                let value = visitor.visit_seq(Elements {
                    text: &mut *self,
                    first: true,
                })?;
                self.close(b']').map(|()| value)
            }
            b'{' => {
                self.open()?;
                let value = visitor.visit_map(Entries {
                    text: &mut *self,
                    first: true,
                })?;
                self.close(b'}').map(|()| value)
            }
            _ => Err(GaveUp),
        }
    }

    /// A string, as `serde_json` hands it (borrowed); anything else is given up on.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        if self.peek() != Some(b'"') {
            return Err(GaveUp);
        }
        let string = self.string()?;
        visitor.visit_borrowed_str(string)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        self.deserialize_str(visitor)
    }

    give_up_on_the_rest!();
}

/// An object's key: `serde_json` hands it as a string whichever way it is asked for as
/// one; every other way is given up on.
struct KeyText<'a, 'de>(&'a mut Text<'de>);

impl<'de> Deserializer<'de> for KeyText<'_, 'de> {
    type Error = GaveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        let key = self.0.string()?;
        visitor.visit_borrowed_str(key)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        self.deserialize_any(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        self.deserialize_any(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GaveUp> {
        self.deserialize_any(visitor)
    }

    give_up_on_the_rest!();
}

/// The elements of an array.
struct Elements<'a, 'de> {
    text: &'a mut Text<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = GaveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, GaveUp> {
        match self.text.peek().ok_or(GaveUp)? {
            b']' => return Ok(None),
            b',' if !self.first => {
                self.text.bump();
                // A comma before the end.
                if self.text.peek() == Some(b']') {
                    return Err(GaveUp);
                }
            }
            _ if self.first => self.first = false,
            _ => return Err(GaveUp),
        }
        seed.deserialize(&mut *self.text).map(Some)
    }
}

/// The entries of an object.
struct Entries<'a, 'de> {
    text: &'a mut Text<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = GaveUp;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, GaveUp> {
        let next = match self.text.peek().ok_or(GaveUp)? {
            b'}' => return Ok(None),
            b',' if !self.first => {
                self.text.bump();
                self.text.peek()
            }
            next if self.first => {
                self.first = false;
                Some(next)
            }
            _ => return Err(GaveUp),
        };
        if next != Some(b'"') {
            return Err(GaveUp);
        }
        seed.deserialize(KeyText(&mut *self.text)).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GaveUp> {
        self.text.colon()?;
        seed.deserialize(&mut *self.text)
    }
}
