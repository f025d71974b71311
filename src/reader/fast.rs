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
            // Every whitespace byte is at most a space: one comparison for the others.
            if byte > b' ' || !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
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
        self.take(close)?;
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Takes `:` between a key and its value.
    #[inline]
    fn colon(&mut self) -> Result<(), GaveUp> {
        self.take(b':')
    }

    /// Takes `byte`, which must come next (after whitespace).
    #[inline]
    fn take(&mut self, byte: u8) -> Result<(), GaveUp> {
        if self.peek() != Some(byte) {
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

/// Gives up on each way of asking for a value named, each taking the arguments of the
/// types listed before its visitor.
macro_rules! give_up {
    ($($method:ident($($arg:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $(_: $arg,)* _: V) -> Result<V::Value, GaveUp> {
                Err(GaveUp)
            }
        )*
    };
}

/// The ways of asking for a value that the readers do not use: given up on.
macro_rules! give_up_on_the_rest {
    () => {
        give_up! {
            deserialize_bool() deserialize_i8() deserialize_i16() deserialize_i32()
            deserialize_i64() deserialize_u8() deserialize_u16() deserialize_u32()
            deserialize_u64() deserialize_f32() deserialize_f64() deserialize_char()
            deserialize_bytes() deserialize_byte_buf() deserialize_option() deserialize_unit()
            deserialize_seq() deserialize_map() deserialize_ignored_any()
            deserialize_unit_struct(&'static str)
            deserialize_newtype_struct(&'static str)
            deserialize_tuple(usize)
            deserialize_tuple_struct(&'static str, usize)
            deserialize_struct(&'static str, &'static [&'static str])
            deserialize_enum(&'static str, &'static [&'static str])
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use serde_json::Value;

    use super::super::{Field, Leaf, ReadError, StrOr, fields, read_text, read_text_by_serde_json};
    use super::{GaveUp, read};

    fields! {
        /// A Transfer's shape, as the stripe layer declares it (which this layer may not
        /// name): leaves, an expandable field, an object of declared keys, others skipped.
        struct TransferLike<'de> {
            unknown: skipped;
            "id" => id: Leaf<'de>,
            "object" => object: Leaf<'de>,
            "amount" => amount: Leaf<'de>,
            "amount_reversed" => amount_reversed: Leaf<'de>,
            "currency" => currency: Leaf<'de>,
            "destination" => destination: StrOr<'de, Expanded<'de>>,
            "destination_payment" => destination_payment: StrOr<'de, Expanded<'de>>,
            "metadata" => metadata: Field<Metadata<'de>>,
            "reversed" => reversed: Leaf<'de>,
            "created" => created: Leaf<'de>,
        }
    }

    fields! {
        struct Expanded<'de> {
            unknown: skipped;
            "id" => id: Leaf<'de>,
        }
    }

    fields! {
        /// Refuses a key it does not declare, as the crate's own shapes do.
        struct Metadata<'de> {
            unknown: refused;
            "account_debit_id" => account_debit_id: Leaf<'de>,
            "data" => data: Leaf<'de>,
        }
    }

    /// What reading `text` as a `Value` (duplicate keys refused) gives: by `serde_json`
    /// alone when `slow`, else by `read_text`.
    fn as_value(text: &str, slow: bool) -> String {
        let read: Result<Value, ReadError> = if slow {
            read_text_by_serde_json(text)
        } else {
            read_text(text)
        };
        format!("{read:?}")
    }

    /// What reading `text` as a Transfer's shape gives, as [`as_value`] reads it.
    fn as_transfer(text: &str, slow: bool) -> String {
        let read: Result<Field<TransferLike<'_>>, ReadError> = if slow {
            read_text_by_serde_json(text)
        } else {
            read_text(text)
        };
        format!("{read:?}")
    }

    /// `text` read by the fast reader, by `read_text` (fast, then `serde_json`) and by
    /// `serde_json` alone, as a `Value` and as a Transfer: the same result (or error)
    /// every way; whether the fast reader read it.
    fn same_every_way(text: &str) -> Result<bool, TestCaseError> {
        let slow = as_value(text, true);
        prop_assert_eq!(&as_value(text, false), &slow, "{}", text);
        let fast = read::<Value>(text);
        if let Ok(value) = &fast {
            prop_assert_eq!(
                &format!("{:?}", Ok::<_, ReadError>(value)),
                &slow,
                "{}",
                text
            );
        }
        let slow_transfer = as_transfer(text, true);
        prop_assert_eq!(&as_transfer(text, false), &slow_transfer, "{}", text);
        if let Ok(doc) = read::<Field<TransferLike<'_>>>(text) {
            let doc = Ok::<_, ReadError>(doc);
            prop_assert_eq!(&format!("{doc:?}"), &slow_transfer, "{}", text);
        }
        Ok(fast.is_ok())
    }

    /// A JSON-like value: each string and number is given as its text, which may not be
    /// JSON (an escape, a control character, a quote, `01`, `-0`, `1e3`...).
    #[derive(Debug, Clone)]
    enum Json {
        Word(&'static str),
        Number(String),
        Str(String),
        Array(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    /// A string's text: mostly plain (non-ASCII included), now and then with escapes,
    /// quotes or bytes JSON refuses.
    fn string_text() -> impl Strategy<Value = String> {
        let plain = prop::sample::select(vec![
            "a",
            "tr_1",
            "usd",
            "acct_1",
            "py_1",
            "recovery-42",
            "é",
            "💸",
            " ",
            "transfer",
            "abcdefgh",
            "/v1/transfers",
            "0123456789",
            "\u{7f}",
        ]);
        let odd = prop::sample::select(vec![
            "\\n", "\\\"", "\\u0041", "\\x", "\\", "\"", "\u{1}", "\t", "\u{1f}",
        ]);
        let piece = prop_oneof![12 => plain, 1 => odd];
        prop::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat())
    }

    /// A number's text: mostly an integer that fits 64 bits, then JSON's other numbers
    /// (`-0`, fractions, exponents, long integers), now and then one that is not JSON.
    fn number_text() -> impl Strategy<Value = String> {
        prop_oneof![
            2 => any::<i64>().prop_map(|n| n.to_string()),
            1 => any::<u64>().prop_map(|n| n.to_string()),
            3 => (-1000i64..100_000).prop_map(|n| n.to_string()),
            3 => prop::sample::select(vec![
                "-0", "1.5", "0.0", "1e3", "1E3", "-1e-3", "123456789012345678",
                "-123456789012345678", "1234567890123456789", "-9223372036854775808",
                "18446744073709551615", "18446744073709551616", "99999999999999999999999",
            ])
            .prop_map(str::to_owned),
            1 => prop::sample::select(vec![
                "01", "00", "-01", "-", "1.", "+1", "0x1", ".5", "Infinity", "NaN", "1e",
            ])
            .prop_map(str::to_owned),
        ]
    }

    /// A key: mostly a Transfer's own, so that objects read as Transfers and give keys
    /// twice.
    fn key_text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select(vec![
                "id", "object", "amount", "amount_reversed", "currency", "destination",
                "destination_payment", "metadata", "reversed", "created", "source_transfer",
                "account_debit_id", "livemode", "reversals", "data", "url",
            ])
            .prop_map(str::to_owned),
            1 => string_text(),
        ]
    }

    fn json() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            prop::sample::select(vec!["true", "false", "null"]).prop_map(Json::Word),
            prop::sample::select(vec!["true", "false", "null", "nul", "tru", "True"])
                .prop_map(Json::Word),
            number_text().prop_map(Json::Number),
            string_text().prop_map(Json::Str),
            prop::sample::select(vec![
                "tr_1Pgc7BB7WZ01zgkW",
                "usd",
                "transfer",
                "acct_1",
                "py_1"
            ])
            .prop_map(|text| Json::Str(text.to_owned())),
        ];
        leaf.prop_recursive(4, 48, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                prop::collection::vec((key_text(), inner), 0..10).prop_map(Json::Object),
            ]
        })
    }

    /// Whitespace, JSON's and not.
    fn space(pick: u8) -> &'static str {
        match pick % 48 {
            0..=3 => " ",
            4 | 5 => "\n",
            6 => "\t ",
            7 => "\r\n",
            8 => "\u{a0}",
            _ => "",
        }
    }

    /// `json` as text, with whitespace from `spaces` and, now and then, a trailing comma.
    fn render(json: &Json, spaces: &mut impl Iterator<Item = u8>, out: &mut String) {
        let mut pick = || spaces.next().unwrap_or(5);
        out.push_str(space(pick()));
        match json {
            Json::Word(word) => out.push_str(word),
            Json::Number(number) => out.push_str(number),
            Json::Str(text) => {
                out.push('"');
                out.push_str(text);
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    render(item, spaces, out);
                }
                out.push_str(if spaces.next() == Some(47) { ",]" } else { "]" });
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(key);
                    out.push('"');
                    out.push_str(space(spaces.next().unwrap_or(5)));
                    out.push(':');
                    render(value, spaces, out);
                }
                out.push_str(if spaces.next() == Some(47) { ",}" } else { "}" });
            }
        }
        out.push_str(space(spaces.next().unwrap_or(5)));
    }

    /// The fixture Transfer with some of its values replaced and some keys added.
    fn transfer_like() -> impl Strategy<Value = Json> {
        let base: Vec<(String, Json)> = [
            ("id", Json::Str("tr_1Pgc7BB7WZ01zgkWVJfE40RX".to_owned())),
            ("object", Json::Str("transfer".to_owned())),
            ("amount", Json::Number("1100".to_owned())),
            ("amount_reversed", Json::Number("0".to_owned())),
            ("currency", Json::Str("usd".to_owned())),
            ("destination", Json::Str("acct_1PgafTB7WZ01zgkW".to_owned())),
            (
                "destination_payment",
                Json::Str("py_QXhWZR8SdWquhf".to_owned()),
            ),
            (
                "metadata",
                Json::Object(vec![(
                    "account_debit_id".to_owned(),
                    Json::Str("recovery-42".to_owned()),
                )]),
            ),
            ("reversed", Json::Word("false")),
            ("created", Json::Number("1234567890".to_owned())),
            ("livemode", Json::Word("false")),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
        let changes = prop::collection::vec((0usize..16, key_text(), json()), 0..4);
        changes.prop_map(move |changes| {
            let mut entries = base.clone();
            for (at, key, value) in changes {
                match entries.get_mut(at) {
                    Some(entry) => entry.1 = value,
                    None => entries.push((key, value)),
                }
            }
            Json::Object(entries)
        })
    }

    /// A change to the text: none, cut short, or a byte JSON cares about put in.
    fn mangle(text: &str, how: u8, at: usize) -> String {
        let places: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let at = places.get(at % places.len().max(1)).copied().unwrap_or(0);
        let (head, tail) = text.split_at(at);
        match how % 12 {
            0 => head.to_owned(),
            1..=4 => {
                let byte = [",", ":", "\"", "}", "]", "{", "[", "\\", "-", "0", "x"][at % 11];
                format!("{head}{byte}{tail}")
            }
            _ => text.to_owned(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// On any text, JSON or nearly, the fast reader reads what `serde_json` reads,
        /// and `read_text` gives what `serde_json` alone gives, errors included.
        #[test]
        fn the_fast_reader_reads_what_serde_json_reads(
            json in prop_oneof![json(), transfer_like()],
            spaces in prop::collection::vec(any::<u8>(), 0..64),
            how in any::<u8>(),
            at in any::<usize>(),
        ) {
            let mut text = String::new();
            render(&json, &mut spaces.into_iter(), &mut text);
            same_every_way(&text)?;
            same_every_way(&mangle(&text, how, at))?;
        }
    }

    /// The property above compares readings, not only errors: many Transfer-like texts
    /// are read by the fast reader, and many are read as Transfers.
    #[test]
    fn most_transfer_like_texts_are_read_fast() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut fast, mut transfers) = (0, 0);
        for _ in 0..400 {
            let json = transfer_like().new_tree(&mut runner).unwrap().current();
            let mut text = String::new();
            render(&json, &mut core::iter::empty(), &mut text);
            fast += usize::from(same_every_way(&text).unwrap());
            transfers += usize::from(as_transfer(&text, false).starts_with("Ok(Got"));
        }
        assert!(fast > 100, "{fast} of 400 read fast");
        assert!(transfers > 100, "{transfers} of 400 are read as Transfers");
    }

    /// Stripe's fixture objects are read by the fast reader, the same as by `serde_json`.
    #[test]
    fn stripes_fixture_objects_are_read_fast() {
        for name in [
            "account",
            "balance",
            "balance_transaction",
            "charge",
            "payment_intent",
            "payout",
            "transfer",
            "transfer_reversal",
        ] {
            let path = format!(
                "{}/tests/fixtures/stripe-openapi/{name}.json",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(path).unwrap();
            assert_eq!(same_every_way(&text).ok(), Some(true), "{name}");
        }
    }

    /// Strings with a space (the byte after the control characters) in their last eight
    /// bytes or before are read, not given up on; a string asked for as such is read
    /// borrowed, and a number asked for as a string is given up on.
    #[test]
    fn strings_with_spaces_are_read_and_a_str_is_asked_for_as_one() {
        for text in [r#""a b""#, r#""abcdefgh ij""#, r#"{"k y": "v w"}"#] {
            let read: Result<Value, GaveUp> = read(text);
            assert_eq!(read.ok(), serde_json::from_str(text).ok(), "{text}");
        }
        let mut text = super::Text {
            text: r#" "abc" "#,
            pos: 0,
            depth: 0,
        };
        assert_eq!(
            <&str as serde::Deserialize>::deserialize(&mut text).ok(),
            Some("abc")
        );
        let mut number = super::Text {
            text: "1",
            pos: 0,
            depth: 0,
        };
        assert!(<&str as serde::Deserialize>::deserialize(&mut number).is_err());
    }

    /// What giving up says, where anything prints it (a reader's error wrapping it, say):
    /// that the text is read again, not what is wrong with it.
    #[test]
    fn giving_up_says_the_text_is_read_again() {
        assert_eq!(GaveUp.to_string(), "read again by serde_json");
    }

    /// What the fast reader gives up on (and `serde_json` reads or refuses), and what it
    /// reads.
    #[test]
    fn the_fast_reader_gives_up_on_all_but_the_common_case() {
        for text in [
            r#"{"a": "\n"}"#,
            r#"{"a\u0062": 1}"#,
            "{\"a\": \"\u{1}\"}",
            r#"{"a": 1.5}"#,
            r#"{"a": 1e3}"#,
            r#"{"a": -0}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1234567890123456789}"#,
            r#"["a\,1]"#,
            "[\"a\t,1]",
            "[\"a\u{1f}, 1]",
            r#"{"a": 1,}"#,
            r#"[1,]"#,
            r#"{"a": 1} x"#,
            "\u{feff}{}",
            r#"{"a" 1}"#,
            r#"{"a": tru}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"a": 1, "a": 2}"#,
            r#"{,"a": 1}"#,
            "",
            // A comma before an array's first element, or alone in it.
            "[,1]",
            "[,]",
            // Control bytes other than JSON's four whitespace ones, between tokens.
            "\u{1}[]",
            "[1,\u{b}2]",
            "{\"a\":\u{c}1}",
            "[]\u{0}",
        ] {
            assert!(matches!(read::<Value>(text), Err(GaveUp)), "{text}");
            assert_eq!(same_every_way(text).ok(), Some(false), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert_eq!(same_every_way(&deep).ok(), Some(true));
        // Past 64 it gives up; past 128 `serde_json` refuses.
        for depth in [65, 128, 129, 1000] {
            let deeper = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(same_every_way(&deeper).ok(), Some(false), "{depth}");
        }
        assert!(as_value(&"[".repeat(129), true).contains("recursion limit"));
        for text in [
            "{}",
            " [ ] ",
            r#"{"a": [1, -2, true, false, null, "é", {"b": {}}], "c": 123456789012345678}"#,
            "-123456789012345678",
            "\t\r\n\"x\"\n",
        ] {
            assert_eq!(same_every_way(text).ok(), Some(true), "{text}");
        }
    }
}
