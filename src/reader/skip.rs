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
/// Stripe's objects have tens of keys (a Charge 43): a short list searched in place costs
/// less than hashing, and the first [`Keys::INLINE`] keys borrowed from the text are kept on
/// the stack, so that reading a Transfer allocates nothing for them. A 256-bit filter of the
/// keys ([`Filter`]) answers most "seen before?" without a search: a key whose bit is not
/// set is new. Past [`Keys::LIST`] keys a hash set takes over, so that an object of many
/// keys costs linear time, not quadratic, whatever its keys.
pub(super) struct Keys<'de> {
    /// The bits of the keys seen.
    filter: Filter,
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
            filter: Filter::default(),
            inline: [""; Keys::INLINE],
            inline_len: 0,
            list: Vec::new(),
            set: None,
        }
    }
}

/// A 256-bit filter of an object's keys: each key sets one bit, chosen from its length and
/// its first two and last bytes (mixed by a multiplication, so that keys that differ in any
/// of them mostly fall on different bits). Equal keys have equal bits; a bit set says
/// only that a key with it may have been seen.
#[derive(Debug, Default, Clone, Copy)]
struct Filter([u64; 4]);

impl Filter {
    /// The word and the bit in it of `key`.
    #[inline]
    fn place(key: &str) -> (usize, u64) {
        let bytes = key.as_bytes();
        let byte = |b: Option<&u8>| b.copied().map_or(0, u64::from);
        let summary = (bytes.len() as u64)
            ^ (byte(bytes.first()) << 8)
            ^ (byte(bytes.get(1)) << 16)
            ^ (byte(bytes.last()) << 24);
        // The top 8 bits of the product: which of the 256 bits.
        let spread = summary.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
        let word = usize::try_from(spread >> 6).unwrap_or(0);
        (word, 1u64 << (spread & 63))
    }

    /// Sets `key`'s bit; whether it was set before.
    #[inline]
    fn set(&mut self, key: &str) -> bool {
        let (word, bit) = Filter::place(key);
        match self.0.get_mut(word) {
            Some(bits) => {
                let was = *bits & bit != 0;
                *bits |= bit;
                was
            }
            // Never: `word` is below 4. Say "maybe seen", which makes the caller search.
            None => true,
        }
    }
}

impl<'de> Keys<'de> {
    /// How many borrowed keys are kept on the stack.
    const INLINE: usize = 16;
    /// How many keys the lists hold before the set takes over: a Charge's 43 fit.
    const LIST: usize = 64;

    /// Adds `key`: false when it was already there. A key borrowed from the text is kept
    /// as the borrow; an owned one (it had escapes) is copied when it is kept.
    #[inline]
    #[allow(
        clippy::ptr_arg,
        reason = "whether the key is borrowed from the text decides where it is kept"
    )]
    pub(super) fn insert(&mut self, key: &Cow<'de, str>) -> bool {
        // The common case, inlined: a new key borrowed from the text, with room on the
        // stack. The rest is [`Keys::insert_rest`], out of line.
        if self.set.is_none() && !self.filter.set(key) {
            return self.keep_new(key);
        }
        self.insert_rest(key)
    }

    /// As [`Keys::insert`], for a key whose bit was set (it may have been seen), or once
    /// the set took over.
    #[cold]
    #[inline(never)]
    #[allow(clippy::ptr_arg, reason = "as `insert`")]
    fn insert_rest(&mut self, key: &Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key.clone());
        }
        let inline = self.inline.get(..self.inline_len).unwrap_or_default();
        if inline.contains(&key.as_ref()) || self.list.contains(key) {
            return false;
        }
        self.keep_new(key)
    }

    /// Keeps a `key` known to be new (before the set takes over): on the stack when it is
    /// borrowed and there is room, else [`Keys::keep`].
    #[inline(always)]
    #[allow(clippy::ptr_arg, reason = "as `insert`")]
    fn keep_new(&mut self, key: &Cow<'de, str>) -> bool {
        if let (Cow::Borrowed(text), Some(slot)) = (key, self.inline.get_mut(self.inline_len)) {
            *slot = text;
            self.inline_len = self.inline_len.saturating_add(1);
            return true;
        }
        self.keep(key)
    }

    /// Keeps a new `key` past the stack: in the list, or in the set once the list is full.
    #[inline(never)]
    #[allow(clippy::ptr_arg, reason = "as `insert`")]
    fn keep(&mut self, key: &Cow<'de, str>) -> bool {
        if self.inline_len.saturating_add(self.list.len()) < Self::LIST {
            if self.list.capacity() == 0 {
                // One allocation for all the keys the list will hold.
                self.list
                    .reserve(Self::LIST.saturating_sub(self.inline_len));
            }
            self.list.push(key.clone());
            return true;
        }
        let inline = self.inline.get(..self.inline_len).unwrap_or_default();
        let mut set: HashSet<Cow<'de, str>> =
            inline.iter().map(|text| Cow::Borrowed(*text)).collect();
        set.extend(self.list.drain(..));
        let added = set.insert(key.clone());
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
        if self.insert(&key) {
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{Filter, Keys};

    /// Every key is new once and refused a second time, whatever the object's size (on the
    /// stack, in the list, in the set), borrowed or owned, and keys that differ only in the
    /// bytes the filter does not look at are told apart.
    #[test]
    fn a_key_is_refused_only_the_second_time() {
        for count in [1, 15, 16, 17, 40, 63, 64, 65, 300] {
            let names: Vec<String> = (0..count).map(|i| format!("k_{i:03}_x")).collect();
            let mut keys = Keys::default();
            for (i, name) in names.iter().enumerate() {
                let key = if i % 5 == 0 {
                    Cow::Owned(name.clone())
                } else {
                    Cow::Borrowed(name.as_str())
                };
                assert!(keys.insert(&key), "{count} keys: {name} is new");
            }
            for name in &names {
                assert!(
                    !keys.insert(&Cow::Borrowed(name.as_str())),
                    "{count} keys: {name} again"
                );
                assert!(
                    !keys.insert(&Cow::Owned(name.clone())),
                    "{count} keys: {name} again, owned"
                );
            }
            // Same length, same first two and last bytes: only the rest differs.
            assert!(keys.insert(&Cow::Borrowed("k_999_x")), "{count} keys");
        }
    }

    /// Keys that differ only in their length, or only in their first, second or last
    /// byte, mostly fall on different bits: the filter looks at each of the four.
    #[test]
    fn the_filter_tells_apart_keys_that_differ_in_any_byte_it_looks_at() {
        let letters = || (b'a'..=b'z').map(char::from);
        let families: [(&str, Vec<String>); 4] = [
            (
                "length",
                (0..26).map(|n| format!("ab{}z", "-".repeat(n))).collect(),
            ),
            (
                "first byte",
                letters().map(|c| format!("{c}bcd_z")).collect(),
            ),
            (
                "second byte",
                letters().map(|c| format!("a{c}cd_z")).collect(),
            ),
            (
                "last byte",
                letters().map(|c| format!("abcd_{c}")).collect(),
            ),
        ];
        for (differ, keys) in families {
            let mut filter = Filter::default();
            let clashes = keys.iter().filter(|key| filter.set(key)).count();
            assert!(
                clashes <= 2,
                "26 keys that differ in their {differ}: {clashes} share a bit"
            );
        }
    }

    /// The 48 keys past the 16 on the stack go in a list allocated once; past 64 keys a
    /// hash set takes over (and still refuses a key given twice).
    #[test]
    fn the_list_is_allocated_once_and_the_set_takes_over_past_64_keys() {
        let names: Vec<String> = (0..65).map(|i| format!("k{i}")).collect();
        let mut keys = Keys::default();
        let mut capacity = None;
        for (i, name) in names.iter().enumerate() {
            assert!(keys.insert(&Cow::Borrowed(name.as_str())), "{name}");
            let count = i + 1;
            if count == 17 {
                capacity = Some(keys.list.capacity());
            }
            if (17..=64).contains(&count) {
                assert_eq!(
                    Some(keys.list.capacity()),
                    capacity,
                    "{count} keys: the list grew"
                );
            }
            assert_eq!(keys.set.is_some(), count > 64, "{count} keys");
        }
        assert!(keys.list.is_empty());
        assert!(!keys.insert(&Cow::Borrowed("k0")));
        assert!(!keys.insert(&Cow::Borrowed("k64")));
    }

    #[test]
    fn the_filter_spreads_stripes_keys_and_says_when_a_key_may_be_seen() {
        let charge = [
            "id",
            "object",
            "amount",
            "amount_captured",
            "amount_refunded",
            "application",
            "application_fee",
            "application_fee_amount",
            "balance_transaction",
            "billing_details",
            "calculated_statement_descriptor",
            "captured",
            "created",
            "currency",
            "customer",
            "description",
            "destination",
            "dispute",
            "disputed",
            "failure_balance_transaction",
            "failure_code",
            "failure_message",
            "fraud_details",
            "invoice",
            "livemode",
            "metadata",
            "on_behalf_of",
            "order",
            "outcome",
            "paid",
            "payment_intent",
            "payment_method",
            "payment_method_details",
            "receipt_email",
            "receipt_number",
            "receipt_url",
            "refunded",
            "review",
            "shipping",
            "source_transfer",
            "statement_descriptor",
            "statement_descriptor_suffix",
            "status",
        ];
        let mut filter = Filter::default();
        let clashes = charge.iter().filter(|key| filter.set(key)).count();
        // 43 keys on 256 bits: four share a bit (the 64-bit mask before it: 9).
        assert!(clashes <= 4, "{clashes} of the Charge's keys share a bit");
        assert!(
            charge.iter().all(|key| filter.set(key)),
            "a key set is seen"
        );
        assert_eq!(Filter::place("amount"), Filter::place("amount"));
    }
}
