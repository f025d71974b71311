//! The key of each debit a [`Ledger`](super::Ledger) planned: its account and id (with the
//! platform, its idempotency key), and which debit it was, to refuse the id a second time on
//! that account (`debit_id_reused`).
//!
//! A `HashMap` keyed by the account and the id hashed both (a 101-byte id with its length
//! prefix, through SipHash's byte-by-byte buffer) twice per debit, once to look and once to
//! insert, and held each key where its hash fell: 1,000,000 planned debits filled a 256 MB
//! table written at random. Here each key is hashed once, with the same keyed SipHash as a
//! `HashMap` (ids come from outside, and no one must be able to choose ids that make the
//! table slow), over the id's bytes alone; the keys are kept in the order planned, and the
//! table maps a hash to the latest key with it: 16 bytes an entry, the keys written one
//! after the other.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use crate::debit::input::DebitId;

use super::ledger::AccountSlot;

/// The keys of the debits planned, in the order planned, found by a keyed hash.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys {
    /// SipHash with a random key, as `HashMap`'s own.
    state: RandomState,
    /// Each key planned, in the order planned.
    entries: Vec<Entry>,
    /// The latest entry with each hash (an entry names the one before it with the same
    /// hash). The hashes are SipHash's already: the table uses them as they are.
    latest: HashMap<u64, usize, BuildHasherDefault<AsItIs>>,
}

/// One planned debit's key and number.
#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    number: u64,
    /// The entry before it with the same hash: another key, or (after a key was put back)
    /// none.
    earlier: Option<usize>,
    slot: AccountSlot,
    id: DebitId,
}

/// A key hashed once, to look it up and then insert it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hashed {
    hash: u64,
    slot: AccountSlot,
    id: DebitId,
}

impl Keys {
    /// The key of debit `id` on the account at `slot`, hashed.
    #[inline]
    pub(crate) fn hashed(&self, slot: AccountSlot, id: DebitId) -> Hashed {
        let mut hasher = self.state.build_hasher();
        // The slot has a fixed length and the id comes last, whose length SipHash counts:
        // two keys hash the same bytes only when they are the same key.
        hasher.write_u32(slot.0);
        hasher.write(id.inline().as_bytes());
        Hashed {
            hash: hasher.finish(),
            slot,
            id,
        }
    }

    /// The number of the debit planned under `key`, if one was.
    #[inline]
    pub(crate) fn find(&self, key: &Hashed) -> Option<u64> {
        let mut at = self.latest.get(&key.hash).copied();
        while let Some(entry) = at.and_then(|index| self.entries.get(index)) {
            if entry.slot == key.slot && entry.id == key.id {
                return Some(entry.number);
            }
            at = entry.earlier;
        }
        None
    }

    /// Keeps `key` as the key of debit `number` (a key not kept before: see [`Keys::find`]).
    #[inline]
    pub(crate) fn insert(&mut self, key: Hashed, number: u64) {
        let index = self.entries.len();
        let earlier = self.latest.insert(key.hash, index);
        self.entries.push(Entry {
            hash: key.hash,
            number,
            earlier,
            slot: key.slot,
            id: key.id,
        });
    }

    /// How many keys are kept: what [`Keys::truncate`] puts them back to.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets the keys kept after the first `len`, the latest first.
    pub(crate) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            let Some(entry) = self.entries.pop() else {
                break;
            };
            match entry.earlier {
                Some(earlier) => self.latest.insert(entry.hash, earlier),
                None => self.latest.remove(&entry.hash),
            };
        }
    }

    /// Room for `additional` more keys without allocating.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
        self.latest.reserve(additional);
    }
}

/// The hasher of a table whose keys are hashes already: it hands the `u64` on as it is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AsItIs(u64);

impl Hasher for AsItIs {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here (`write_u64`); any other bytes are folded in.
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

#[cfg(test)]
mod tests {
    use super::{AccountSlot, Keys};
    use crate::debit::input::DebitId;

    fn id(text: &str) -> DebitId {
        text.parse().unwrap()
    }

    #[test]
    fn finds_each_key_on_its_account_and_forgets_what_is_put_back() {
        let mut keys = Keys::default();
        let (a, b) = (AccountSlot(0), AccountSlot(1));
        let key = keys.hashed(a, id("d-1"));
        assert_eq!(keys.find(&key), None);
        keys.insert(key, 7);
        assert_eq!(keys.find(&keys.hashed(a, id("d-1"))), Some(7));
        assert_eq!(
            keys.find(&keys.hashed(b, id("d-1"))),
            None,
            "another account"
        );
        assert_eq!(keys.find(&keys.hashed(a, id("d-10"))), None);
        let mark = keys.len();
        keys.insert(keys.hashed(b, id("d-1")), 8);
        keys.insert(keys.hashed(a, id("d-2")), 9);
        assert_eq!(keys.find(&keys.hashed(b, id("d-1"))), Some(8));
        keys.truncate(mark);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys.find(&keys.hashed(b, id("d-1"))), None);
        assert_eq!(keys.find(&keys.hashed(a, id("d-2"))), None);
        assert_eq!(keys.find(&keys.hashed(a, id("d-1"))), Some(7));
    }

    #[test]
    fn keys_with_the_same_hash_are_told_apart_by_their_account_and_id() {
        // Every key under one hash: the chain of entries is what tells them apart.
        let mut keys = Keys::default();
        let slots = [AccountSlot(0), AccountSlot(1)];
        let ids = [id("x"), id("y"), id("xy")];
        let mut number = 0;
        for slot in slots {
            for id in ids {
                let mut key = keys.hashed(slot, id);
                key.hash = 42;
                keys.insert(key, number);
                number += 1;
            }
        }
        let mut number = 0;
        for slot in slots {
            for id in ids {
                let mut key = keys.hashed(slot, id);
                key.hash = 42;
                assert_eq!(keys.find(&key), Some(number));
                number += 1;
            }
        }
        let mut other = keys.hashed(slots[0], id("z"));
        other.hash = 42;
        assert_eq!(keys.find(&other), None);
        keys.truncate(2);
        let mut gone = keys.hashed(slots[0], id("xy"));
        gone.hash = 42;
        assert_eq!(keys.find(&gone), None);
        let mut kept = keys.hashed(slots[0], id("y"));
        kept.hash = 42;
        assert_eq!(keys.find(&kept), Some(1));
    }
}
