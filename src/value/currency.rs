//! How Stripe counts each currency: the one table of minor units in this crate.
//!
//! Source: Stripe, "Supported currencies" (<https://docs.stripe.com/currencies>), sections
//! "Zero-decimal currencies", "Three-decimal currencies" and "Special cases". Stripe's API
//! amounts are integers in the currency's smallest unit *as Stripe counts it*, which is not
//! always ISO 4217's:
//!
//! | currencies | amount on the wire | decimals a debit may have |
//! | --- | --- | --- |
//! | BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF | whole units | 0 |
//! | ISK | hundredths, always ending in `00` | 0 |
//! | BHD JOD KWD OMR TND | thousandths | 3 |
//! | every other currency with an ISO 4217 minor unit | ISO 4217's exponent | the same |
//!
//! A currency with no ISO 4217 minor unit (precious metals, `XDR`, `XXX`, ...) cannot be
//! moved on Stripe: [`StripeCurrency::of`] returns `None` for it and [`parse_currency`]
//! rejects it.

use core::fmt;
use core::str::FromStr;

use iso_currency::Currency;

/// A currency Stripe can move, with how Stripe counts it: the proof that a currency has
/// minor units on Stripe. Only [`StripeCurrency::of`] builds one, from the table above, so
/// whatever holds a `StripeCurrency` never has to ask again.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::currency::StripeCurrency;
///
/// let isk = StripeCurrency::of(Currency::ISK).unwrap();
/// assert_eq!((isk.wire_exponent(), isk.decimal_places(), isk.wire_step()), (2, 0, 100));
/// let jpy = StripeCurrency::of(Currency::JPY).unwrap();
/// assert_eq!((jpy.wire_exponent(), jpy.decimal_places(), jpy.wire_step()), (0, 0, 1));
/// assert_eq!(StripeCurrency::of(Currency::XAU), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StripeCurrency {
    currency: Currency,
    wire_exponent: u8,
    decimal_places: u8,
}

impl StripeCurrency {
    /// How Stripe counts `currency`, or `None` when Stripe cannot move it.
    pub fn of(currency: Currency) -> Option<StripeCurrency> {
        use Currency::*;
        let (wire_exponent, decimal_places) = match currency {
            // "Zero-decimal currencies".
            BIF | CLP | DJF | GNF | JPY | KMF | KRW | MGA | PYG | RWF | UGX | VND | VUV | XAF
            | XOF | XPF => (0, 0),
            // "Special cases": ISK is sent with two decimals that are always zero.
            ISK => (2, 0),
            // "Three-decimal currencies".
            BHD | JOD | KWD | OMR | TND => (3, 3),
            _ => {
                // ISO 4217 exponents are 0 to 4.
                let iso = u8::try_from(currency.exponent()?).ok()?;
                (iso, iso)
            }
        };
        // Every arm above sends at least the decimals it allows; the wire step below
        // relies on it.
        debug_assert!(wire_exponent >= decimal_places);
        Some(StripeCurrency {
            currency,
            wire_exponent,
            decimal_places,
        })
    }

    /// The ISO 4217 currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Stripe's wire amount is the amount times `10^wire_exponent`.
    pub fn wire_exponent(self) -> u32 {
        u32::from(self.wire_exponent)
    }

    /// The most decimals an amount may have.
    pub fn decimal_places(self) -> u32 {
        u32::from(self.decimal_places)
    }

    /// How many wire units make the smallest step an amount may take:
    /// `10^(wire_exponent - decimal_places)`, so 100 for ISK (sent in hundredths, whole
    /// krónur only) and 1 for every other currency. Every wire amount is a multiple of it.
    pub fn wire_step(self) -> i64 {
        // ISK's 2 is the largest difference in the table, so the fallback is unreachable.
        match self.wire_exponent.checked_sub(self.decimal_places) {
            Some(0) => 1,
            Some(2) => 100,
            other => {
                debug_assert!(false, "no currency has a wire step of 10^{other:?}");
                1
            }
        }
    }

    /// The lowercase code Stripe's API writes.
    pub fn wire_code(self) -> WireCode {
        WireCode::of(self.currency)
    }
}

impl fmt::Display for StripeCurrency {
    /// The lowercase code, as Stripe writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_code().as_str())
    }
}

impl fmt::Debug for StripeCurrency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StripeCurrency({})", self.currency.code())
    }
}

impl FromStr for StripeCurrency {
    type Err = CurrencyError;

    /// Reads a three-letter code in either case, as [`parse_currency`] does: `"usd"` as
    /// Stripe writes it, or `"USD"`.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Currency;
    /// use stripe_account_debits::currency::StripeCurrency;
    ///
    /// let usd: StripeCurrency = "usd".parse()?;
    /// assert_eq!(usd.currency(), Currency::USD);
    /// assert_eq!(StripeCurrency::try_from("EUR")?.currency(), Currency::EUR);
    /// assert!("xau".parse::<StripeCurrency>().is_err());
    /// # Ok::<(), stripe_account_debits::currency::CurrencyError>(())
    /// ```
    fn from_str(code: &str) -> Result<StripeCurrency, CurrencyError> {
        let currency = parse_currency(code)?;
        let units = StripeCurrency::of(currency);
        // `parse_currency` returns only currencies Stripe moves.
        debug_assert!(units.is_some());
        units.ok_or(CurrencyError::Unsupported { currency })
    }
}

impl TryFrom<&str> for StripeCurrency {
    type Error = CurrencyError;

    /// The same as `FromStr`.
    fn try_from(code: &str) -> Result<StripeCurrency, CurrencyError> {
        code.parse()
    }
}

impl AsRef<str> for WireCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<StripeCurrency> for Currency {
    fn from(currency: StripeCurrency) -> Currency {
        currency.currency
    }
}

/// Why a string is not a currency Stripe can move.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::currency::{CurrencyError, parse_currency};
///
/// let err = parse_currency("xyz").unwrap_err();
/// assert_eq!(err.to_string(), "unknown currency \"xyz\"");
/// assert_eq!(err.currency(), None);
///
/// // Gold is an ISO 4217 code with no minor unit: Stripe does not move it.
/// let err = parse_currency("xau").unwrap_err();
/// assert!(matches!(err, CurrencyError::Unsupported { .. }));
/// assert_eq!(err.currency(), Some(Currency::XAU));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurrencyError {
    /// Not an ISO 4217 code.
    #[error("unknown currency \"{code}\"")]
    Unknown {
        /// The text as given, escaped and cut short so that it is safe to log.
        code: String,
    },
    /// An ISO 4217 currency with no minor unit, which Stripe does not move.
    #[error("currency {} has no minor unit on stripe", .currency.code())]
    Unsupported {
        /// The currency.
        currency: Currency,
    },
}

impl CurrencyError {
    /// The currency, when the code was known but unsupported.
    pub fn currency(&self) -> Option<Currency> {
        match self {
            CurrencyError::Unsupported { currency } => Some(*currency),
            CurrencyError::Unknown { .. } => None,
        }
    }
}

/// Reads a three-letter ISO 4217 code in either case (`"usd"` as Stripe writes it, or
/// `"USD"`).
///
/// # Errors
///
/// [`CurrencyError::Unknown`] for anything that is not an ISO 4217 code,
/// [`CurrencyError::Unsupported`] for a currency Stripe does not move.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::currency::parse_currency;
///
/// assert_eq!(parse_currency("usd")?, Currency::USD);
/// assert_eq!(parse_currency("xyz").unwrap_err().to_string(), "unknown currency \"xyz\"");
/// # Ok::<(), stripe_account_debits::currency::CurrencyError>(())
/// ```
pub fn parse_currency(code: &str) -> Result<Currency, CurrencyError> {
    let currency = iso_code(code).ok_or_else(|| CurrencyError::Unknown {
        code: crate::value::text::quoted(code),
    })?;
    match StripeCurrency::of(currency) {
        Some(_) => Ok(currency),
        None => Err(CurrencyError::Unsupported { currency }),
    }
}

/// The ISO 4217 currency of a code in either case. `Currency::from_code` compares the
/// uppercase code with each of the table's in turn (about a thousand instructions for
/// `USD`); this looks the three letters up in a table indexed by them ([`letter_place`]),
/// built once for the process from the numeric codes: every ISO currency has one, of three
/// digits, and every code is three letters (a test compares this with `from_code` for every
/// three letters in either case). The table (32 KiB) is held in the static itself, not on
/// the heap: the first read of a process allocates no more than any other
/// (`tests/alloc.rs` counts a read's heap, in a fresh process under cargo-mutants).
fn iso_code(code: &str) -> Option<Currency> {
    static BY_LETTERS: std::sync::OnceLock<[LetterPlanes; LETTER_PLACES]> =
        std::sync::OnceLock::new();
    let table = BY_LETTERS.get_or_init(|| {
        let mut table = [[[None; LETTER_PLACES]; LETTER_PLACES]; LETTER_PLACES];
        for currency in (0..1000).filter_map(Currency::from_numeric) {
            let slot = slot_of(&mut table, currency.code().as_bytes());
            debug_assert!(slot.is_some(), "{}", currency.code());
            if let Some(slot) = slot {
                *slot = Some(currency);
            }
        }
        table
    });
    let [a, b, c] = places(code.as_bytes())?;
    *table.get(a)?.get(b)?.get(c)?
}

/// How many places [`letter_place`] can name: 0 to 31.
const LETTER_PLACES: usize = 32;

/// The table's entries under one first letter, by second and third letter.
type LetterPlanes = [[Option<Currency>; LETTER_PLACES]; LETTER_PLACES];

/// The entry of the three letters `code` in `table`, when it is three letters.
fn slot_of<'t>(table: &'t mut [LetterPlanes], code: &[u8]) -> Option<&'t mut Option<Currency>> {
    let [a, b, c] = places(code)?;
    table.get_mut(a)?.get_mut(b)?.get_mut(c)
}

/// The places in the table of `code`'s three letters ([`letter_place`]), when it is three
/// letters.
fn places(code: &[u8]) -> Option<[usize; 3]> {
    let [a, b, c] = <[u8; 3]>::try_from(code).ok()?;
    Some([letter_place(a)?, letter_place(b)?, letter_place(c)?])
}

/// An ASCII letter's place in the alphabet, 1 to 26, the same in either case (its low 5
/// bits); `None` for any other byte.
fn letter_place(byte: u8) -> Option<usize> {
    byte.is_ascii_alphabetic()
        .then_some(usize::from(byte & 0x1f))
}

/// A currency's code as Stripe's API writes it: lowercase.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::currency::WireCode;
///
/// assert_eq!(WireCode::of(Currency::EUR).as_str(), "eur");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WireCode([u8; 3]);

impl WireCode {
    /// The lowercase code of `currency`.
    pub fn of(currency: Currency) -> WireCode {
        let mut code = [0u8; 3];
        for (slot, letter) in code.iter_mut().zip(currency.code().bytes()) {
            *slot = letter.to_ascii_lowercase();
        }
        WireCode(code)
    }

    /// The lowercase code.
    pub fn as_str(&self) -> &str {
        // ISO codes are three ASCII letters (a test checks every currency), so this never
        // falls back.
        let text = core::str::from_utf8(&self.0);
        debug_assert!(text.is_ok(), "currency codes are ASCII");
        text.unwrap_or("")
    }
}

impl fmt::Display for WireCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for WireCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WireCode({:?})", self.as_str())
    }
}

/// A set of currencies, stored as a bit set so that it is `Copy` and never allocates.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::currency::CurrencySet;
///
/// let set = CurrencySet::new().with(Currency::USD).with(Currency::EUR);
/// assert!(set.contains(Currency::EUR));
/// assert!(!set.contains(Currency::JPY));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CurrencySet {
    bits: [u64; 4],
}

impl CurrencySet {
    /// The empty set.
    pub const fn new() -> CurrencySet {
        CurrencySet { bits: [0; 4] }
    }

    /// This set with `currency` added.
    #[must_use]
    pub fn with(mut self, currency: Currency) -> CurrencySet {
        let (word, mask) = slot(currency);
        if let Some(w) = self.bits.get_mut(word) {
            *w |= mask;
        }
        self
    }

    /// Whether `currency` is in the set.
    pub fn contains(&self, currency: Currency) -> bool {
        let (word, mask) = slot(currency);
        self.bits.get(word).is_some_and(|w| w & mask != 0)
    }

    /// The currencies in either set.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Currency;
    /// use stripe_account_debits::currency::CurrencySet;
    ///
    /// let both = CurrencySet::new().with(Currency::USD).union(CurrencySet::new().with(Currency::EUR));
    /// assert!(both.contains(Currency::USD) && both.contains(Currency::EUR));
    /// ```
    #[must_use]
    pub fn union(self, other: CurrencySet) -> CurrencySet {
        let [a, b, c, d] = self.bits;
        let [e, f, g, h] = other.bits;
        CurrencySet {
            bits: [a | e, b | f, c | g, d | h],
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }
}

/// Where a currency's bit lives. `Currency` is a field-less enum of fewer than 256
/// variants (a test checks every one), so its discriminant indexes 4 words of 64 bits.
fn slot(currency: Currency) -> (usize, u64) {
    let index = currency as usize;
    debug_assert!(index < 256, "{} has no slot", currency.code());
    (index / 64, 1u64 << (index % 64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_by_letters_answers_as_the_iso_table_for_every_three_letters() {
        let mut known = 0;
        // Twice: the first pass builds the table, the second reads it.
        for pass in 0..2 {
            for a in b'A'..=b'Z' {
                for b in b'A'..=b'Z' {
                    for c in b'A'..=b'Z' {
                        let bytes = [a, b, c];
                        let code = core::str::from_utf8(&bytes).unwrap();
                        let iso = Currency::from_code(code);
                        assert_eq!(iso_code(code), iso, "{code}");
                        let lower = code.to_ascii_lowercase();
                        assert_eq!(iso_code(&lower), iso, "{lower}");
                        let mixed = [a.to_ascii_lowercase(), b, c.to_ascii_lowercase()];
                        let mixed = core::str::from_utf8(&mixed).unwrap();
                        assert_eq!(iso_code(mixed), iso, "{mixed}");
                        known += usize::from(pass == 0 && iso.is_some());
                    }
                }
            }
        }
        assert!(known > 150, "{known}");
        for not_a_code in [
            "US", "USDX", "usdx", "", "U$D", "us\u{e9}", "U D", "5SD", "u5d", "us4",
        ] {
            assert_eq!(iso_code(not_a_code), None, "{not_a_code}");
        }
    }

    #[test]
    fn letters_in_either_case_have_their_place_in_the_alphabet() {
        assert_eq!(letter_place(b'A'), Some(1));
        assert_eq!(letter_place(b'a'), Some(1));
        assert_eq!(letter_place(b'U'), Some(21));
        assert_eq!(letter_place(b'z'), Some(26));
        // The bytes next to the letters, and one with a letter's low 5 bits.
        for not_a_letter in [b'@', b'[', b'`', b'{', b'5', b'\0', 0xd5] {
            assert_eq!(letter_place(not_a_letter), None, "{not_a_letter}");
        }
        let mut table = vec![[[None; LETTER_PLACES]; LETTER_PLACES]; LETTER_PLACES];
        *slot_of(&mut table, b"usd").unwrap() = Some(Currency::USD);
        assert_eq!(table[21][19][4], Some(Currency::USD));
        assert!(slot_of(&mut table, b"US").is_none());
        assert!(slot_of(&mut table, b"USDX").is_none());
        assert!(slot_of(&mut table, b"5SD").is_none());
    }

    #[test]
    fn every_iso_currency_fits_the_bit_set_and_has_a_lowercase_code() {
        let mut count = 0;
        // ISO 4217 numeric codes are three digits: this visits every currency.
        for currency in (0..1000).filter_map(Currency::from_numeric) {
            let code = currency.code();
            assert!((currency as usize) < 256, "{code}");
            assert!(
                CurrencySet::new().with(currency).contains(currency),
                "{code}"
            );
            assert_eq!(WireCode::of(currency).as_str(), code.to_ascii_lowercase());
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            count += 1;
        }
        assert!(count > 150);
    }
}
