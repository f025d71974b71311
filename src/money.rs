//! An exact amount of one currency that always fits Stripe's wire format.

use core::fmt;
use core::str::FromStr;

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::currency::{self, CurrencyError, Units};

/// An amount of money that Stripe can carry: an exact decimal in a currency Stripe moves,
/// with no more decimals than Stripe allows for it, whose wire amount (the integer in the
/// currency's smallest unit as Stripe counts it) fits an `i64`.
///
/// Nothing can build a `Money` that breaks this: every constructor checks it, and nothing
/// rounds. It may be negative (balances can be).
///
/// # Example
///
/// ```
/// use iso_currency::Currency;
/// use rust_decimal::Decimal;
/// use stripe_account_debits::Money;
///
/// let fee = Money::from_decimal(Decimal::new(1250, 2), Currency::USD)?;
/// assert_eq!(fee.minor(), 1250);
/// assert_eq!(fee.to_string(), "12.50 USD");
/// assert_eq!("12.5 usd".parse::<Money>()?, fee);
///
/// // Stripe sends Icelandic krónur as hundredths that always end in 00.
/// let isk = Money::from_minor(12300, Currency::ISK)?;
/// assert_eq!(isk.amount(), Decimal::new(123, 0));
/// assert!(Money::from_minor(12345, Currency::ISK).is_err());
/// # Ok::<(), stripe_account_debits::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Why an amount is not [`Money`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The currency has no minor unit on Stripe.
    #[error("currency {} has no minor unit on stripe", .currency.code())]
    UnsupportedCurrency {
        /// The currency.
        currency: Currency,
    },
    /// More decimals than Stripe allows for the currency.
    #[error("{amount} {} has more than {decimal_places} decimal places", .currency.code())]
    TooPrecise {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The most decimals the currency allows on Stripe.
        decimal_places: u32,
    },
    /// The wire amount does not fit a 64-bit signed integer.
    #[error("{amount} {} does not fit stripe's integer amount", .currency.code())]
    OutOfRange {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// Text that is not `<decimal> <currency code>`.
    #[error("expected an amount and a currency code, as in \"12.50 usd\"")]
    Syntax,
    /// The amount is not a decimal number that fits exactly.
    #[error("invalid amount \"{text}\"")]
    InvalidAmount {
        /// The text as given.
        text: String,
    },
    /// The currency code is not one Stripe moves.
    #[error(transparent)]
    Currency(#[from] CurrencyError),
}

/// What checking an amount against a currency's units found. The single place where
/// precision and range are decided, for [`Money`] and for the debit rules alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AmountCheck {
    /// More decimals than the currency allows.
    pub(crate) too_precise: bool,
    /// The wire amount (its whole part, when also too precise) does not fit `i64`.
    pub(crate) out_of_range: bool,
    /// The wire amount, when neither of the above.
    pub(crate) minor: Option<i64>,
}

impl AmountCheck {
    /// Checks `amount` exactly, in integers: its digits are `mantissa / 10^scale`. It is
    /// too precise when the digits past the allowed decimal places are not all zero, and
    /// its wire amount is the digits times `10^wire_exponent`, truncated toward zero for the
    /// range check when the amount is too precise anyway.
    pub(crate) fn of(amount: Decimal, units: Units) -> AmountCheck {
        let (mantissa, scale) = (amount.mantissa(), amount.scale());
        // Trailing zeros are not precision: `10^excess` must divide the mantissa.
        let too_precise = scale
            .checked_sub(units.decimal_places())
            .and_then(ten_pow)
            // Dividing by 1 (no excess digits) always leaves 0: skip the 128-bit division.
            .filter(|unit| *unit != 1)
            .is_some_and(|unit| mantissa.checked_rem(unit) != Some(0));
        let wire = match units.wire_exponent().checked_sub(scale) {
            Some(up) => ten_pow(up).and_then(|p| mantissa.checked_mul(p)),
            None => scale
                .checked_sub(units.wire_exponent())
                .and_then(ten_pow)
                .and_then(|p| mantissa.checked_div(p)),
        };
        let minor = wire.and_then(|w| i64::try_from(w).ok());
        AmountCheck {
            too_precise,
            out_of_range: minor.is_none(),
            minor: minor.filter(|_| !too_precise),
        }
    }
}

/// Powers of ten up to `10^28`, the largest scale of a `Decimal`.
// Evaluated at compile time: an index out of range or an overflow here fails the build,
// it cannot panic at run time.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const POWERS_OF_TEN: [i128; 29] = {
    let mut table = [1i128; 29];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `10^exp` as an `i128`, or `None` past a `Decimal`'s largest scale.
fn ten_pow(exp: u32) -> Option<i128> {
    POWERS_OF_TEN.get(usize::try_from(exp).ok()?).copied()
}

/// How many wire units make the currency's smallest allowed step: `10^(wire exponent -
/// decimal places)`, so 100 for ISK (sent in hundredths, whole krónur only) and 1 for the
/// rest. The wire amount of any [`Money`] is a multiple of it.
fn wire_step(units: Units) -> i64 {
    units
        .wire_exponent()
        .checked_sub(units.decimal_places())
        .and_then(ten_pow)
        .and_then(|step| i64::try_from(step).ok())
        .unwrap_or(1)
}

fn units_of(currency: Currency) -> Result<Units, MoneyError> {
    currency::units(currency).ok_or(MoneyError::UnsupportedCurrency { currency })
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
    /// use iso_currency::Currency;
    /// use rust_decimal::Decimal;
    /// use stripe_account_debits::Money;
    ///
    /// assert_eq!(Money::from_decimal(Decimal::new(5, 0), Currency::JPY)?.minor(), 5);
    /// let err = Money::from_decimal(Decimal::new(55, 1), Currency::JPY).unwrap_err();
    /// assert_eq!(err.to_string(), "5.5 JPY has more than 0 decimal places");
    /// # Ok::<(), stripe_account_debits::MoneyError>(())
    /// ```
    pub fn from_decimal(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let units = units_of(currency)?;
        let check = AmountCheck::of(amount, units);
        if check.too_precise {
            return Err(MoneyError::TooPrecise {
                amount,
                currency,
                decimal_places: units.decimal_places(),
            });
        }
        match check.minor {
            Some(minor) => Ok(Money { minor, currency }),
            None => Err(MoneyError::OutOfRange { amount, currency }),
        }
    }

    /// A Stripe wire amount (`"amount": 1250` with `"currency": "usd"`) as money.
    ///
    /// # Errors
    ///
    /// [`MoneyError::UnsupportedCurrency`], or [`MoneyError::TooPrecise`] for an ISK wire
    /// amount that does not end in `00`.
    ///
    /// # Example
    ///
    /// ```
    /// use iso_currency::Currency;
    /// use stripe_account_debits::Money;
    ///
    /// assert_eq!(Money::from_minor(1250, Currency::USD)?.to_string(), "12.50 USD");
    /// assert_eq!(Money::from_minor(1250, Currency::KWD)?.to_string(), "1.250 KWD");
    /// # Ok::<(), stripe_account_debits::MoneyError>(())
    /// ```
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        let units = units_of(currency)?;
        // The wire digits below the currency's decimal places must be zero (ISK's `00`).
        if minor.checked_rem(wire_step(units)).is_some_and(|r| r != 0) {
            return Err(MoneyError::TooPrecise {
                amount: Decimal::try_from_i128_with_scale(i128::from(minor), units.wire_exponent())
                    .unwrap_or(Decimal::from(minor)),
                currency,
                decimal_places: units.decimal_places(),
            });
        }
        Ok(Money { minor, currency })
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
    /// use iso_currency::Currency;
    /// use stripe_account_debits::Money;
    ///
    /// assert!(Money::zero(Currency::EUR)?.is_zero());
    /// # Ok::<(), stripe_account_debits::MoneyError>(())
    /// ```
    pub fn zero(currency: Currency) -> Result<Money, MoneyError> {
        Money::from_minor(0, currency)
    }

    /// The exact amount, with the currency's decimal places as its scale.
    pub fn amount(&self) -> Decimal {
        // The currency was checked when `self` was built; the fallback is unreachable.
        let Some(units) = currency::units(self.currency) else {
            return Decimal::from(self.minor);
        };
        // Dividing by the step is exact: the invariant says those digits are zero.
        let whole = self
            .minor
            .checked_div(wire_step(units))
            .unwrap_or(self.minor);
        // An i64 and a scale of at most 3 always fit a Decimal.
        Decimal::try_from_i128_with_scale(i128::from(whole), units.decimal_places())
            .unwrap_or(Decimal::from(self.minor))
    }

    /// The wire amount: an integer in the currency's smallest unit as Stripe counts it.
    pub fn minor(&self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
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
    /// use iso_currency::Currency;
    /// use stripe_account_debits::Money;
    ///
    /// let a = Money::from_minor(i64::MAX, Currency::USD)?;
    /// assert_eq!(a.checked_add(Money::from_minor(1, Currency::USD)?), None);
    /// assert_eq!(a.checked_add(Money::zero(Currency::EUR)?), None);
    /// # Ok::<(), stripe_account_debits::MoneyError>(())
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
    /// use iso_currency::Currency;
    /// use stripe_account_debits::Money;
    ///
    /// let a = Money::from_minor(100, Currency::USD)?;
    /// let b = Money::from_minor(250, Currency::USD)?;
    /// assert_eq!(a.checked_sub(b), Some(Money::from_minor(-150, Currency::USD)?));
    /// # Ok::<(), stripe_account_debits::MoneyError>(())
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

    /// Money from a wire amount that [`AmountCheck`] accepted for `currency` (or zero, in
    /// a currency with units): the invariant is already proven, so it is not checked again.
    pub(crate) fn from_checked_minor(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// A wire amount in this currency that is a sum or difference of amounts of it. Such
    /// sums keep the decimal places of their terms, so only the range needs checking.
    pub(crate) fn derived(self, minor: i128) -> Option<Money> {
        Some(Money {
            minor: i64::try_from(minor).ok()?,
            currency: self.currency,
        })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount(), self.currency.code())
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
            text: amount.to_owned(),
        })?;
        Money::from_decimal(amount, currency)
    }
}
