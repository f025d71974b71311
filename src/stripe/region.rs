//! Countries and the regions where Stripe offers Account Debits.

use core::fmt;
use core::str::FromStr;

use iso_currency::Country as IsoCountry;

use crate::value::inline::InlineStr;

/// An ISO 3166-1 alpha-2 country, as Stripe's `country` fields carry it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::{Country, Region};
///
/// let de: Country = "de".parse()?;
/// assert_eq!(de.to_string(), "DE");
/// assert_eq!(Region::of(de), Some(Region::Europe));
/// assert!("XX".parse::<Country>().is_err());
/// # Ok::<(), stripe_account_debits::stripe::CountryError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country {
    code: InlineStr<2>,
    /// [`Region::of`] this country, looked up once when the code is read: planning asks
    /// for it on every debit.
    region: Option<Region>,
}

/// Why a string is not an ISO 3166-1 alpha-2 country code.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::Country;
///
/// let err = "Narnia\n".parse::<Country>().unwrap_err();
/// assert_eq!(err.code(), "Narnia\\n");
/// assert_eq!(err.to_string(), r#"unknown country "Narnia\n""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country \"{code}\"")]
pub struct CountryError {
    code: String,
}

impl CountryError {
    /// The text as given, escaped and cut short so that it is safe to log.
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl Country {
    /// The two-letter code, uppercase.
    pub fn as_str(&self) -> &str {
        self.code.as_str()
    }
}

impl FromStr for Country {
    type Err = CountryError;

    /// Reads a two-letter code in either case.
    ///
    /// # Errors
    ///
    /// [`CountryError`] for anything that is not an assigned ISO 3166-1 alpha-2 code.
    fn from_str(text: &str) -> Result<Country, CountryError> {
        let error = || CountryError {
            code: crate::value::text::quoted(text),
        };
        if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(error());
        }
        let upper = InlineStr::<2>::ascii_uppercase(text).ok_or_else(error)?;
        // The ISO table decides which codes are assigned; `Unspecified` has no code.
        IsoCountry::from_str(upper.as_str()).map_err(|_| error())?;
        Ok(Country {
            code: upper,
            region: Region::of_code(upper.as_bytes()),
        })
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({:?})", self.as_str())
    }
}

/// A region where Stripe offers Account Debits on accounts with Stripe managed risk.
///
/// Source: Stripe, "Debiting accounts on Stripe managed risk": "This feature is available
/// in Australia, Canada, Europe, Hong Kong, Japan, New Zealand, and the US", and only when
/// the platform and the connected account are in the same region.
///
/// Stripe does not say on that page which countries make up "Europe". This crate takes the
/// countries whose accounts Stripe's balances documentation groups with the SEPA area: the
/// 27 EU member states, Iceland, Liechtenstein, Norway (the EEA), the United Kingdom,
/// Switzerland and Gibraltar. See [`Region::of`].
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::{Country, Region};
///
/// assert_eq!(Region::of("GB".parse::<Country>()?), Some(Region::Europe));
/// assert_eq!(Region::of("BR".parse::<Country>()?), None);
/// assert_eq!(Region::HongKong.to_string(), "hong kong");
/// # Ok::<(), stripe_account_debits::stripe::CountryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Region {
    /// Australia (AU).
    Australia,
    /// Canada (CA).
    Canada,
    /// Europe, as defined above.
    Europe,
    /// Hong Kong (HK).
    HongKong,
    /// Japan (JP).
    Japan,
    /// New Zealand (NZ).
    NewZealand,
    /// The United States (US).
    UnitedStates,
}

impl Region {
    /// The Account Debits region of `country`, or `None` where Stripe does not offer them.
    pub fn of(country: Country) -> Option<Region> {
        country.region
    }

    /// The table: the region of an uppercase ISO 3166-1 alpha-2 code.
    fn of_code(code: &[u8]) -> Option<Region> {
        match code {
            b"AU" => Some(Region::Australia),
            b"CA" => Some(Region::Canada),
            b"HK" => Some(Region::HongKong),
            b"JP" => Some(Region::Japan),
            b"NZ" => Some(Region::NewZealand),
            b"US" => Some(Region::UnitedStates),
            // Europe: the EU 27, ...
            b"AT" | b"BE" | b"BG" | b"CY" | b"CZ" | b"DE" | b"DK" | b"EE" | b"ES" | b"FI"
            | b"FR" | b"GR" | b"HR" | b"HU" | b"IE" | b"IT" | b"LT" | b"LU" | b"LV" | b"MT"
            | b"NL" | b"PL" | b"PT" | b"RO" | b"SE" | b"SI" | b"SK"
            // ... the rest of the EEA, ...
            | b"IS" | b"LI" | b"NO"
            // ... and the United Kingdom, Switzerland and Gibraltar.
            | b"GB" | b"CH" | b"GI" => Some(Region::Europe),
            _ => None,
        }
    }
}

impl Region {
    /// A stable snake_case name (`"hong_kong"`), for machine-readable output.
    pub fn code(self) -> &'static str {
        match self {
            Region::Australia => "australia",
            Region::Canada => "canada",
            Region::Europe => "europe",
            Region::HongKong => "hong_kong",
            Region::Japan => "japan",
            Region::NewZealand => "new_zealand",
            Region::UnitedStates => "united_states",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Region::Australia => "australia",
            Region::Canada => "canada",
            Region::Europe => "europe",
            Region::HongKong => "hong kong",
            Region::Japan => "japan",
            Region::NewZealand => "new zealand",
            Region::UnitedStates => "the us",
        })
    }
}

crate::value::text_conversions!(Country);
