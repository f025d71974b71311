//! The key of each debit a [`Ledger`](super::Ledger) planned: its account and id (with the
//! platform, its idempotency key), and which debit it was, to refuse the id a second time on
//! that account (`debit_id_reused`).
//!
//! A `HashMap` keyed by the account and the id hashed both (a 101-byte id with its length
//! prefix, through SipHash's byte-by-byte buffer) twice per debit, once to look and once to
//! insert, and held each key where its hash fell: 1,000,000 planned debits filled a 256 MB
//! table written at random. Here each key is hashed once, over the id's bytes alone; the
//! keys are kept in the order planned, written one after the other, and a table of one
//! 4-byte word a key finds them (`docs/performance.md`, "Batches in any order"). A batch
//! reads that table at random: at 4 bytes a slot, the table of a million keys (8 MB) and the
//! records of 100,000 accounts (20 MB) fit a 32 MB cache together, where 8-byte slots (16
//! MB) did not (`docs/performance.md`, "The key table's slots (stop 25)").
//!
//! The hash is keyed: ids come from outside, and no one must be able to choose ids that
//! make the table slow. It is foldhash's (the `hashbrown` crate's default hasher), in its
//! "quality" form, seeded for each table from the operating system's randomness (a draw of
//! `std`'s `RandomState`, whose keys come from it), over the slot's and the id's bytes:
//! about 25 instructions a key where SipHash took about 157 (`docs/performance.md`, "The
//! batch's own work (stop 24)"). The table never shows a hash nor the order of its slots,
//! so its seed cannot be read from what the ledger answers.

use core::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};

use foldhash::SharedSeed;
use foldhash::quality::SeedableRandomState;

use crate::debit::input::{DebitId, MAX_DEBIT_ID_LEN};

use super::slot::AccountSlot;

/// The keys of the debits planned, in the order planned, found by a keyed hash.
#[derive(Clone)]
pub(crate) struct Keys {
    /// foldhash's, seeded from the operating system's randomness ([`Keys::default`]).
    state: SeedableRandomState,
    /// Each key planned, in the order planned.
    entries: Vec<Entry>,
    /// The ids' bytes, one after the other, in the order planned (an id is 8 to 20 bytes
    /// where its inline copy is 101).
    ids: Vec<u8>,
    /// How many of the first entries the table finds; the others (only once the table can
    /// grow no more) are searched one by one.
    indexed: usize,
    /// Open addressing with linear probing, a power of two long (at most 2^32) and at most
    /// half full (so a search always ends at an empty slot): 0 for an empty slot, else an
    /// entry's index plus one in the low bits that index the table ([`Keys::mask`]; the
    /// index is below half the table's length, so it fits), and as many of the top 32 bits
    /// of its key's hash above ([`tag`]). One word a key, where the lookup reads it and the
    /// insert writes it: the insert finds in the cache the line the lookup brought in.
    table: Vec<u32>,
    /// How many keys the table may find: [`MAX_INDEXED`], which the tests lower.
    limit: u64,
}

impl Default for Keys {
    fn default() -> Self {
        // `std`'s `RandomState` draws its keys from the operating system (once a thread,
        // then one apart each): a hash under them is a seed no one can guess.
        let seed = RandomState::new().build_hasher().finish();
        Keys {
            state: SeedableRandomState::with_seed(seed, SharedSeed::global_random()),
            entries: Vec::new(),
            ids: Vec::new(),
            indexed: 0,
            table: Vec::new(),
            limit: MAX_INDEXED,
        }
    }
}

/// Each key with its debit's number, in the order planned (the table, mostly empty slots,
/// and the hasher's keys are left out).
impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|entry| {
                let id = self
                    .ids
                    .get(entry.start..entry.start.saturating_add(usize::from(entry.len)))
                    .and_then(|bytes| core::str::from_utf8(bytes).ok())
                    .unwrap_or_default();
                ((entry.slot, id), entry.number)
            }))
            .finish()
    }
}

/// How many keys the table can find: half of its largest length, 2^32 slots, whose 32 bits
/// then hold the index alone. Past it (2^31 keys, 64 GB of entries), the keys are searched
/// one by one.
const MAX_INDEXED: u64 = 1 << 31;

/// One planned debit's key and number: 32 bytes, its id's bytes in [`Keys::ids`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    hash: u64,
    number: u64,
    /// Where its id starts in [`Keys::ids`].
    start: usize,
    slot: AccountSlot,
    /// Its id's length (at most [`MAX_DEBIT_ID_LEN`]).
    len: u8,
}

/// A key hashed once, to look it up and then insert it.
/// The id is lent, not copied: a `DebitId` is 101 bytes, and copying it into each key
/// was 44 instructions a batch debit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hashed<'d> {
    hash: u64,
    slot: AccountSlot,
    id: &'d DebitId,
}

impl Hashed<'_> {
    /// Whether `entry`, whose id's bytes are in `ids`, is this key.
    #[inline]
    fn is(&self, entry: &Entry, ids: &[u8]) -> bool {
        entry.slot == self.slot
            && ids.get(entry.start..entry.start.saturating_add(usize::from(entry.len)))
                == Some(self.id.inline().as_bytes())
    }
}

/// The bits of `hash` a slot holds above its index, `mask` being the index's bits: those of
/// its top 32 bits (the table's position comes from its low bits) that the index leaves,
/// 11 in a table of a million keys.
#[inline]
fn tag(hash: u64, mask: u32) -> u32 {
    // The top 32 bits of a `u64`: the cast keeps them all.
    (hash >> 32) as u32 & !mask
}

impl Keys {
    /// The key of debit `id` on the account at `slot`, hashed.
    #[inline]
    pub(crate) fn hashed<'d>(&self, slot: AccountSlot, id: &'d DebitId) -> Hashed<'d> {
        self.with_hash(self.hash_of(slot, id), slot, id)
    }

    /// The key of debit `id` on the account at `slot`, whose hash [`Keys::hash_of`] gave
    /// (it must be that hash: a key under another hash is not found).
    #[inline]
    pub(crate) fn with_hash<'d>(
        &self,
        hash: u64,
        slot: AccountSlot,
        id: &'d DebitId,
    ) -> Hashed<'d> {
        debug_assert_eq!(hash, self.hash_of(slot, id));
        Hashed { hash, slot, id }
    }

    /// The hash of the key of debit `id` on the account at `slot`.
    #[inline]
    pub(crate) fn hash_of(&self, slot: AccountSlot, id: &DebitId) -> u64 {
        let mut hasher = self.state.build_hasher();
        // Two keys of the same hash cost a comparison, never a wrong answer: a key is found
        // only where its slot and its id's bytes are equal ([`Hashed::is`]).
        hasher.write_u32(slot.0);
        hasher.write(id.inline().as_bytes());
        hasher.finish()
    }

    /// Reads the word of the table where the search for a key of hash `hash` starts, and
    /// nothing else: a batch calls it for each debit of a group before it judges the group,
    /// so that the word is in the cache when [`Keys::find`] reads it (the table is large and
    /// read at random: waiting for each word in turn was most of a batch's time).
    #[inline]
    pub(crate) fn touch(&self, hash: u64) {
        core::hint::black_box(self.table.get(self.start(hash)).copied());
    }

    /// Where the search for a key of hash `hash` starts: its low bits (the cast keeps them).
    #[inline]
    fn start(&self, hash: u64) -> usize {
        hash as usize & self.table.len().wrapping_sub(1)
    }

    /// The bits of a slot that hold an entry's index plus one: those that index the table
    /// (all 32 in a table of 2^32 slots, none in a table of none).
    #[inline]
    fn mask(&self) -> u32 {
        u32::try_from(self.table.len().wrapping_sub(1)).unwrap_or(u32::MAX)
    }

    /// The first slot, from where the search for a key of hash `hash` starts, whose word
    /// `stop` accepts. `stop` must accept an empty slot (0), which ends every search: the
    /// table is at most half full. `None` only for a table of no slot.
    #[inline]
    fn first_slot(&self, hash: u64, mut stop: impl FnMut(u32) -> bool) -> Option<usize> {
        let mask = self.table.len().wrapping_sub(1);
        let mut at = self.start(hash);
        while let Some(&word) = self.table.get(at) {
            if stop(word) {
                return Some(at);
            }
            at = at.wrapping_add(1) & mask;
        }
        None
    }

    /// The number of the debit planned under `key`, if one was.
    #[inline]
    pub(crate) fn find(&self, key: &Hashed<'_>) -> Option<u64> {
        let mask = self.mask();
        let is_key = |word: u32| {
            word & !mask == tag(key.hash, mask)
                && self.entry(word).is_some_and(|e| key.is(e, &self.ids))
        };
        let found = self.first_slot(key.hash, |word| word == 0 || is_key(word));
        // The slot found is the key's, or the empty one that ends the search (no entry).
        if let Some(entry) = found
            .and_then(|at| self.table.get(at))
            .and_then(|&w| self.entry(w))
        {
            return Some(entry.number);
        }
        // The keys past the table's limit, if any (none but in a ledger of 2^40 keys).
        if self.indexed == self.entries.len() {
            return None;
        }
        self.entries
            .get(self.indexed..)
            .unwrap_or_default()
            .iter()
            .find(|entry| key.is(entry, &self.ids))
            .map(|entry| entry.number)
    }

    /// The entry a slot names.
    #[inline]
    fn entry(&self, slot: u32) -> Option<&Entry> {
        let index = usize::try_from((slot & self.mask()).checked_sub(1)?).ok()?;
        self.entries.get(index)
    }

    /// Keeps `key` as the key of debit `number` (a key not kept before: see [`Keys::find`]).
    #[inline]
    pub(crate) fn insert(&mut self, key: Hashed<'_>, number: u64) {
        let index = self.entries.len();
        let id = key.id.inline().as_bytes();
        self.entries.push(Entry {
            hash: key.hash,
            number,
            start: self.ids.len(),
            slot: key.slot,
            len: u8::try_from(id.len()).unwrap_or(u8::MAX),
        });
        self.ids.extend_from_slice(id);
        // A key the table cannot hold (never, as `room_for` sizes it) is searched for one
        // by one, never lost.
        if self.indexed == index
            && self.room_for(index.saturating_add(1))
            && self.place(key.hash, index)
        {
            self.indexed = self.entries.len();
        }
    }

    /// Whether the table can find `count` keys, grown if it must be; false when it cannot
    /// grow (the keys past it are then searched one by one).
    #[inline]
    fn room_for(&mut self, count: usize) -> bool {
        // Each planned debit asks: the answer is yes but once every doubling.
        let fits = count <= self.table.len() / 2;
        let index_fits = u64::try_from(count).is_ok_and(|count| count <= self.limit);
        if fits && index_fits {
            return true;
        }
        index_fits && self.grow_for(count)
    }

    /// Grows the table to find `count` keys, at most half full; false when its length
    /// does not fit a `usize`.
    #[cold]
    fn grow_for(&mut self, count: usize) -> bool {
        let Some(len) = count
            .checked_mul(2)
            .and_then(usize::checked_next_power_of_two)
            .map(|len| len.max(16))
        else {
            return false;
        };
        // Zeros written, not a zeroed allocation: the kernel would map the pages as the
        // batch first touched them, at random, one fault each (the fill is opaque so that
        // the compiler does not turn the writes back into a zeroed allocation).
        let mut table = Vec::new();
        if table.try_reserve_exact(len).is_err() {
            return false;
        }
        table.resize(len, core::hint::black_box(0));
        self.table = table;
        for index in 0..self.indexed {
            let hash = self.entries.get(index).map(|entry| entry.hash);
            let placed = hash.is_some_and(|hash| self.place(hash, index));
            if !placed {
                // Never, as above; the keys from this one on are then searched one by one.
                self.indexed = index;
                return false;
            }
        }
        true
    }

    /// Writes entry `index`, whose hash is `hash`, in the first empty slot from its start;
    /// false, writing nothing, when its index does not fit under the table's mask or the
    /// table has no empty slot (neither happens in a table at most half full).
    #[inline]
    fn place(&mut self, hash: u64, index: usize) -> bool {
        let mask = self.mask();
        let Some(value) = u32::try_from(index.saturating_add(1))
            .ok()
            .filter(|value| value & !mask == 0)
        else {
            return false;
        };
        let empty = self.first_slot(hash, |word| word == 0);
        match empty.and_then(|at| self.table.get_mut(at)) {
            Some(slot) => {
                *slot = tag(hash, mask) | value;
                true
            }
            None => false,
        }
    }

    /// How many keys are kept: what [`Keys::truncate`] puts them back to.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets the keys kept after the first `len`, the latest first. Each is taken out of
    /// the table by emptying its slot: with linear probing that is exact only when the
    /// latest key is taken out first (the table is then as it was before that key was
    /// put in, which no key put in before it depended on), which is the order here.
    pub(crate) fn truncate(&mut self, len: usize) {
        while self.entries.len() > len {
            let Some(entry) = self.entries.pop() else {
                break;
            };
            let index = self.entries.len();
            if index < self.indexed {
                self.unplace(entry.hash, index);
                self.indexed = index;
            }
            self.ids.truncate(entry.start);
        }
    }

    /// Empties the slot of entry `index`, whose hash is `hash`.
    fn unplace(&mut self, hash: u64, index: usize) {
        let Ok(value) = u32::try_from(index.saturating_add(1)) else {
            return;
        };
        let mask = self.mask();
        let found = self.first_slot(hash, |word| word == 0 || word & mask == value);
        if let Some(slot) = found.and_then(|at| self.table.get_mut(at)) {
            debug_assert!(*slot != 0, "a key in the table is found from its start");
            *slot = 0;
        }
    }

    /// Room for `additional` more keys without allocating, written once ahead: a page of
    /// memory costs the kernel 2 to 2.6 µs the first time it is written, which a batch
    /// that wrote its keys into fresh pages paid in the middle of its planning (about a
    /// fifth of its time: `docs/performance.md`, "The batch's own work (stop 24)"). The
    /// pages are kept: the keys a put-back batch leaves go where its keys were.
    ///
    /// Room that cannot be had (`additional` too large for the address space) is not
    /// reserved: the keys then grow as they come, as without a reserve.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let entries = self.entries.len();
        if self.entries.try_reserve(additional).is_ok() {
            // Written with a filler and forgotten: the memory stays, written.
            let filler = Entry {
                hash: 0,
                number: 0,
                start: 0,
                slot: AccountSlot(0),
                len: 0,
            };
            self.entries
                .resize(entries.saturating_add(additional), filler);
            self.entries.truncate(entries);
        }
        // Room for the longest ids (what is not written is address space, not memory), of
        // which the first `TYPICAL_ID_LEN` bytes a key are written ahead.
        let ids = self.ids.len();
        if self
            .ids
            .try_reserve(additional.saturating_mul(MAX_DEBIT_ID_LEN))
            .is_ok()
        {
            let typical = additional.saturating_mul(TYPICAL_ID_LEN);
            self.ids.resize(ids.saturating_add(typical), 0);
            self.ids.truncate(ids);
        }
        if self.indexed == self.entries.len() {
            self.room_for(self.indexed.saturating_add(additional));
        }
    }
}

/// The bytes of an id [`Keys::reserve`] writes ahead for each key: most ids (a job's row
/// number, a UUID) are shorter.
const TYPICAL_ID_LEN: usize = 40;

#[cfg(test)]
mod tests {
    use super::{AccountSlot, Keys};
    use crate::debit::input::DebitId;

    /// An id that lives as long as the test (a key borrows its id).
    fn id(text: &str) -> &'static DebitId {
        Box::leak(Box::new(text.parse().unwrap()))
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

    /// Many keys, with the table grown as they come (nothing reserved), or past its limit
    /// (the keys beyond it searched one by one): each found, each put back, in any mix.
    #[test]
    fn every_key_is_found_however_the_table_holds_it() {
        for limit in [super::MAX_INDEXED, 100, 0] {
            let mut keys = Keys {
                limit,
                ..Keys::default()
            };
            let key = |keys: &Keys, n: u32| keys.hashed(AccountSlot(n % 7), id(&format!("d-{n}")));
            for n in 0..1_000 {
                assert_eq!(keys.find(&key(&keys, n)), None, "limit {limit}: {n}");
                keys.insert(key(&keys, n), u64::from(n) * 3);
            }
            assert!(keys.table.len() >= 2 * keys.indexed, "at most half full");
            assert_eq!(keys.indexed, 1_000.min(usize::try_from(limit).unwrap()));
            for n in 0..1_000 {
                assert_eq!(
                    keys.find(&key(&keys, n)),
                    Some(u64::from(n) * 3),
                    "limit {limit}"
                );
            }
            assert_eq!(keys.find(&keys.hashed(AccountSlot(0), id("d-1"))), None);
            keys.truncate(50);
            assert_eq!(keys.indexed, 50.min(usize::try_from(limit).unwrap()));
            for n in 0..1_000 {
                let found = keys.find(&key(&keys, n));
                assert_eq!(
                    found,
                    (n < 50).then_some(u64::from(n) * 3),
                    "limit {limit}: {n}"
                );
            }
            // Put back, the slots are empty again: the same keys go in and are found.
            for n in 50..1_000 {
                keys.insert(key(&keys, n), u64::from(n));
            }
            for n in 50..1_000 {
                assert_eq!(keys.find(&key(&keys, n)), Some(u64::from(n)));
            }
            keys.truncate(0);
            assert!(keys.table.iter().all(|slot| *slot == 0), "limit {limit}");
        }
    }

    /// A slot holds its entry's index plus one under the top bits of its key's hash, from
    /// where the hash's low bits say on: a probe passes most other keys by their bits
    /// alone, without reading their entry.
    #[test]
    fn a_slot_holds_its_entrys_index_under_the_top_bits_of_its_hash() {
        let mut keys = Keys::default();
        let mut first = keys.hashed(AccountSlot(0), id("d-1"));
        first.hash = 0xABCD_EF12_3456_7895;
        keys.insert(first, 7);
        // The same low bits: it goes in the next slot.
        let mut second = keys.hashed(AccountSlot(0), id("d-2"));
        second.hash = 0x1234_5600_0000_0005;
        keys.insert(second, 8);
        assert_eq!(keys.table.len(), 16);
        let filled: Vec<(usize, u32)> = keys
            .table
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, slot)| *slot != 0)
            .collect();
        assert_eq!(filled, [(5, 0xABCD_EF11), (6, 0x1234_5602)]);
        assert_eq!((keys.find(&first), keys.find(&second)), (Some(7), Some(8)));
    }

    /// A slot holds an index only under the table's mask: an index that does not fit (which
    /// a table at most half full never has) is not written, and `place` says so, so that
    /// its key would be searched for one by one rather than lost.
    #[test]
    fn an_index_past_the_tables_mask_is_not_written() {
        let mut keys = Keys::default();
        keys.insert(keys.hashed(AccountSlot(0), id("d-0")), 0);
        assert_eq!((keys.table.len(), keys.mask()), (16, 0xF));
        let hash = keys.hash_of(AccountSlot(0), id("d-1"));
        assert!(!keys.place(hash, 15), "index 15 is 16 in a slot: past 0xF");
        assert_eq!(keys.table.iter().filter(|word| **word != 0).count(), 1);
        assert!(keys.place(hash, 14));
        assert_eq!(keys.table.iter().filter(|word| **word != 0).count(), 2);
    }

    /// Keys are spread over the table by their hash: a thousand keys, on ten accounts
    /// with a hundred ids each, under a thousand hashes (each the one `hashed` gives).
    #[test]
    fn each_key_has_its_own_hash() {
        let keys = Keys::default();
        let mut hashes = std::collections::BTreeSet::new();
        for n in 0..1_000u32 {
            let (slot, id) = (AccountSlot(n % 10), id(&format!("d-{}", n / 10)));
            let hash = keys.hash_of(slot, id);
            assert_eq!(keys.hashed(slot, id).hash, hash);
            hashes.insert(hash);
        }
        assert_eq!(hashes.len(), 1_000);
    }

    #[test]
    fn debug_lists_each_key_and_its_number() {
        let mut keys = Keys::default();
        keys.reserve(1_000);
        keys.insert(keys.hashed(AccountSlot(3), id("d-1")), 7);
        assert_eq!(format!("{keys:?}"), "{(AccountSlot(3), \"d-1\"): 7}");
    }

    /// Room reserved ahead is room the table has: it does not grow while it fills.
    #[test]
    fn reserved_room_holds_the_keys_without_growing() {
        let mut keys = Keys::default();
        keys.reserve(1_000);
        let (table, entries) = (keys.table.len(), keys.entries.capacity());
        for n in 0..1_000 {
            keys.insert(keys.hashed(AccountSlot(0), id(&format!("d-{n}"))), n);
        }
        assert_eq!(
            (keys.table.len(), keys.entries.capacity()),
            (table, entries)
        );
        assert!(table >= 2_000);
    }

    /// Reserving writes the room ahead and forgets what it wrote: the keys kept before are
    /// found as before, none is added, and room that cannot be had is not reserved (nor a
    /// panic).
    #[test]
    fn reserving_keeps_the_keys_and_adds_none() {
        let mut keys = Keys::default();
        for n in 0..100 {
            keys.insert(
                keys.hashed(AccountSlot(n % 3), id(&format!("d-{n}"))),
                u64::from(n),
            );
        }
        let ids = keys.ids.len();
        keys.reserve(1_000);
        assert_eq!((keys.len(), keys.ids.len()), (100, ids));
        assert!(keys.entries.capacity() >= 1_100 && keys.ids.capacity() >= ids + 1_000 * 40);
        for n in 0..100 {
            let key = keys.hashed(AccountSlot(n % 3), id(&format!("d-{n}")));
            assert_eq!(keys.find(&key), Some(u64::from(n)));
        }
        assert_eq!(keys.find(&keys.hashed(AccountSlot(0), id("d-1"))), None);
        keys.reserve(usize::MAX);
        keys.reserve(usize::MAX / 4);
        assert_eq!(keys.len(), 100);
        keys.insert(keys.hashed(AccountSlot(0), id("d-1")), 7);
        assert_eq!(keys.find(&keys.hashed(AccountSlot(0), id("d-1"))), Some(7));
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
