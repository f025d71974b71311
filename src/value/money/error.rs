//! Why an amount is not [`Money`](super::Money), and why a balance effect cannot be had.

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::Money;
use crate::value::currency::CurrencyError;

/// Why an amount is not [`Money`](super::Money).
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Decimal, Money};
/// use stripe_account_debits::money::MoneyError;
///
/// let err = Money::from_decimal(Decimal::new(1, 3), Currency::USD).unwrap_err();
/// assert!(matches!(err, MoneyError::TooPrecise { decimal_places: 2, .. }));
/// assert_eq!(err.to_string(), "0.001 USD has more than 2 decimal places");
/// ```
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
        /// The text as given, escaped and cut short so that it is safe to log.
        text: String,
    },
    /// The currency code is not one Stripe moves.
    #[error(transparent)]
    Currency(#[from] CurrencyError),
}

/// Why the effect of a debit on a balance cannot be computed.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Money};
/// use stripe_account_debits::money::{BalanceEffect, EffectError};
///
/// let before = Money::from_minor(i64::MIN + 1, Currency::USD)?;
/// let amount = Money::from_minor(2, Currency::USD)?;
/// let err = BalanceEffect::of_debit(before, amount).unwrap_err();
/// assert_eq!(err, EffectError::OutOfRange { before });
/// assert_eq!(err.to_string(), "the balance -92233720368547758.07 USD less the amount does not fit stripe's integer amount");
/// # Ok::<(), stripe_account_debits::money::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EffectError {
    /// The amount and the balance are in different currencies.
    #[error("the amount is in {}, the balance in {}", .amount.code(), .balance.code())]
    CurrencyMismatch {
        /// The amount's currency.
        amount: Currency,
        /// The balance's currency.
        balance: Currency,
    },
    /// The amount is zero or negative: a debit takes money away.
    #[error("the amount {amount} is not positive")]
    NotPositive {
        /// The amount.
        amount: Money,
    },
    /// The balance after the debit does not fit Stripe's integer amount.
    #[error("the balance {before} less the amount does not fit stripe's integer amount")]
    OutOfRange {
        /// The balance before.
        before: Money,
    },
}
