//! An exact amount of one currency that always fits Stripe's wire format.
//!
//! The fence: [`Money`]'s fields are private to this folder. Its public constructors check
//! the invariant; the only other code that builds a `Money` is here, next to the proof that
//! it keeps the invariant: `amount.rs` (a checked decimal becomes money) and `effect.rs` (the
//! balance arithmetic of a debit, whose results are sums and differences of money).

mod amount;
mod effect;
mod error;

use core::fmt;
use core::str::FromStr;

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::value::currency::{self, StripeCurrency};

pub(crate) use amount::AmountCheck;
// Read by the JSON output, which writes amounts in minor units.
#[cfg(feature = "serde")]
pub(crate) use amount::MinorUnits;
pub use effect::BalanceEffect;
pub use error::{EffectError, MoneyError};

/// An amount of money as Stripe counts it: a wire amount (the integer in the currency's
/// smallest unit as Stripe counts it) that fits an `i64`, in a currency Stripe moves.
///
/// Nothing can build a `Money` that breaks this, and nothing rounds. It may be negative
/// (balances can be). What Stripe reports is a fact to accept: [`Money::from_minor`] takes
/// any wire amount, such as an ISK balance of `10050` (100.50 kr). What is sent is
/// checked: [`Money::from_decimal`], like a debit's amount, refuses more decimals than
/// Stripe allows (ISK: whole krónur only).
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Decimal, Money};
///
/// let fee = Money::from_decimal(Decimal::new(1250, 2), Currency::USD)?;
/// assert_eq!(fee.minor(), 1250);
/// assert_eq!(fee.to_string(), "12.50 USD");
/// assert_eq!("12.5 usd".parse::<Money>()?, fee);
///
/// // Stripe counts Icelandic krónur in hundredths: a charge's end in 00, a balance's may not.
/// let isk = Money::from_minor(12300, Currency::ISK)?;
/// assert_eq!(isk.amount(), Decimal::new(123, 0));
/// assert_eq!(Money::from_minor(10050, Currency::ISK)?.to_string(), "100.50 ISK");
/// assert!(Money::from_decimal(Decimal::new(10050, 2), Currency::ISK).is_err());
/// # Ok::<(), stripe_account_debits::money::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: StripeCurrency,
}

fn stripe_currency(currency: Currency) -> Result<StripeCurrency, MoneyError> {
    StripeCurrency::of(currency).ok_or(MoneyError::UnsupportedCurrency { currency })
}

impl Money {
    /// `amount` of `currency`, exactly.
    ///
    /// # Errors
    ///
    /// [`MoneyError::UnsupportedCurrency`], [`MoneyError::TooPrecise`] (never rounded), or
    /// [`MoneyError::OutOfRange`].
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Decimal, Money};
    ///
    /// assert_eq!(Money::from_decimal(Decimal::new(5, 0), Currency::JPY)?.minor(), 5);
    /// let err = Money::from_decimal(Decimal::new(55, 1), Currency::JPY).unwrap_err();
    /// assert_eq!(err.to_string(), "5.5 JPY has more than 0 decimal places");
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    pub fn from_decimal(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let units = stripe_currency(currency)?;
        let check = AmountCheck::of(amount, units);
        if check.too_precise {
            return Err(MoneyError::TooPrecise {
                amount,
                currency,
                decimal_places: units.decimal_places(),
            });
        }
        check
            .money
            .ok_or(MoneyError::OutOfRange { amount, currency })
    }

    /// A Stripe wire amount (`"amount": 1250` with `"currency": "usd"`) as money, taken as
    /// it is: a fact Stripe reports needs no more than a currency Stripe moves.
    ///
    /// # Errors
    ///
    /// [`MoneyError::UnsupportedCurrency`].
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Money};
    ///
    /// assert_eq!(Money::from_minor(1250, Currency::USD)?.to_string(), "12.50 USD");
    /// assert_eq!(Money::from_minor(1250, Currency::KWD)?.to_string(), "1.250 KWD");
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money {
            minor,
            currency: stripe_currency(currency)?,
        })
    }

    /// A wire amount of a currency Stripe moves: it cannot fail.
    pub(crate) const fn from_minor_in(minor: i64, currency: StripeCurrency) -> Money {
        Money { minor, currency }
    }

    /// Zero of `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::UnsupportedCurrency`].
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Money};
    ///
    /// assert!(Money::zero(Currency::EUR)?.is_zero());
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    pub fn zero(currency: Currency) -> Result<Money, MoneyError> {
        Ok(Money::zero_in(stripe_currency(currency)?))
    }

    /// Zero of a currency Stripe moves: it cannot fail.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Currency;
    /// use stripe_account_debits::currency::StripeCurrency;
    /// use stripe_account_debits::Money;
    ///
    /// let eur = StripeCurrency::of(Currency::EUR).unwrap();
    /// assert_eq!(Money::zero_in(eur).to_string(), "0.00 EUR");
    /// ```
    pub fn zero_in(currency: StripeCurrency) -> Money {
        Money::from_minor_in(0, currency)
    }

    /// The exact amount, with the currency's decimal places as its scale (`123 ISK`), or
    /// the wire's when Stripe reported digits beyond them (`100.50 ISK`).
    pub fn amount(&self) -> Decimal {
        let step = self.currency.wire_step();
        match self.minor.checked_rem(step) {
            // Dividing by the step is exact: those digits are zero.
            Some(0) => {
                let whole = self.minor.checked_div(step);
                debug_assert!(whole.is_some(), "the wire step is 1 or 100");
                decimal(whole.unwrap_or(self.minor), self.currency.decimal_places())
            }
            _ => decimal(self.minor, self.currency.wire_exponent()),
        }
    }

    /// The wire amount: an integer in the currency's smallest unit as Stripe counts it.
    pub fn minor(&self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency.currency()
    }

    /// The currency, with how Stripe counts it.
    pub fn stripe_currency(&self) -> StripeCurrency {
        self.currency
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// Whether the amount is above zero.
    pub fn is_positive(&self) -> bool {
        self.minor > 0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// `self + other`, or `None` when the currencies differ or the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Money};
    ///
    /// let a = Money::from_minor(i64::MAX, Currency::USD)?;
    /// assert_eq!(a.checked_add(Money::from_minor(1, Currency::USD)?), None);
    /// assert_eq!(a.checked_add(Money::zero(Currency::EUR)?), None);
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    #[must_use]
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Money {
            minor: self.minor.checked_add(other.minor)?,
            currency: self.currency,
        })
    }

    /// `self - other`, or `None` when the currencies differ or the difference does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Money};
    ///
    /// let a = Money::from_minor(100, Currency::USD)?;
    /// let b = Money::from_minor(250, Currency::USD)?;
    /// assert_eq!(a.checked_sub(b), Some(Money::from_minor(-150, Currency::USD)?));
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    #[must_use]
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Money {
            minor: self.minor.checked_sub(other.minor)?,
            currency: self.currency,
        })
    }
}

/// `digits / 10^scale`, exactly.
fn decimal(digits: i64, scale: u32) -> Decimal {
    let amount = Decimal::try_from_i128_with_scale(i128::from(digits), scale);
    // An i64 and a scale of at most 4 always fit a Decimal.
    debug_assert!(amount.is_ok());
    amount.unwrap_or(Decimal::from(digits))
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency().code())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Reads `"<decimal> <currency code>"`, as [`Money`]'s `Display` writes it.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Syntax`], [`MoneyError::InvalidAmount`] (including numbers with more
    /// digits than a `Decimal` holds: nothing is rounded), [`MoneyError::Currency`], and
    /// those of [`Money::from_decimal`].
    fn from_str(text: &str) -> Result<Money, MoneyError> {
        let (amount, code) = text.trim().split_once(' ').ok_or(MoneyError::Syntax)?;
        let currency = currency::parse_currency(code.trim())?;
        let amount = Decimal::from_str_exact(amount).map_err(|_| MoneyError::InvalidAmount {
            text: crate::value::text::quoted(amount),
        })?;
        Money::from_decimal(amount, currency)
    }
}
