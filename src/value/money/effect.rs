//! What a debit does to an available balance: the balance before and after, and the reserve
//! Stripe holds for what it takes below zero. Computed here, next to [`Money`]'s invariant,
//! so that every flow reuses one piece of arithmetic.

use core::fmt;

use super::{EffectError, Money};
use crate::value::currency::StripeCurrency;

/// The effect of debiting an amount from an available balance.
///
/// Stripe holds a reserve on the platform for what a debit takes below zero (Stripe,
/// "Debiting accounts on Stripe managed risk": "If a connected account balance becomes
/// negative as a result of the account debit, we will hold the appropriate amount of
/// reserves on the platform balance"): the growth of the negative part,
/// `neg(after) - neg(before)` with `neg(x) = max(0, -x)`. A balance that stays at or above
/// zero reserves nothing; one that crosses zero reserves the shortfall; one already negative
/// reserves the whole amount.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Money};
/// use stripe_account_debits::money::BalanceEffect;
///
/// let usd = |minor| Money::from_minor(minor, Currency::USD);
/// let effect = BalanceEffect::of_debit(usd(300)?, usd(500)?)?;
/// assert_eq!(effect.after(), usd(-200)?);
/// assert_eq!(effect.reserve(), usd(200)?);
/// assert_eq!(effect.amount(), usd(500)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BalanceEffect {
    // Three amounts of one currency, held once: 32 bytes rather than three `Money`'s 48,
    // for a plan holds one.
    before: i64,
    after: i64,
    reserve: i64,
    currency: StripeCurrency,
}

impl BalanceEffect {
    /// What debiting `amount` does to the available balance `before`.
    ///
    /// # Errors
    ///
    /// [`EffectError::CurrencyMismatch`], [`EffectError::NotPositive`], or
    /// [`EffectError::OutOfRange`] when the balance after does not fit an `i64`.
    pub fn of_debit(before: Money, amount: Money) -> Result<BalanceEffect, EffectError> {
        if before.currency != amount.currency {
            return Err(EffectError::CurrencyMismatch {
                amount: amount.currency(),
                balance: before.currency(),
            });
        }
        if !amount.is_positive() {
            return Err(EffectError::NotPositive { amount });
        }
        let after = before
            .checked_sub(amount)
            .ok_or(EffectError::OutOfRange { before })?;
        // 0 <= reserve <= amount: both negative parts are in [0, 2^63], and `after` is below
        // `before` by `amount`. In i128 nothing overflows; the conversion back is checked.
        let reserve = negative_part(after.minor).checked_sub(negative_part(before.minor));
        let reserve = reserve.and_then(|r| i64::try_from(r).ok());
        debug_assert!(reserve.is_some_and(|r| (0..=amount.minor).contains(&r)));
        Ok(BalanceEffect {
            before: before.minor,
            after: after.minor,
            reserve: reserve.unwrap_or(amount.minor),
            currency: before.currency,
        })
    }

    /// `minor` in the effect's currency.
    fn money(&self, minor: i64) -> Money {
        Money {
            minor,
            currency: self.currency,
        }
    }

    /// The available balance before the debit.
    pub fn before(&self) -> Money {
        self.money(self.before)
    }

    /// The available balance after the debit: exactly before less the amount.
    pub fn after(&self) -> Money {
        self.money(self.after)
    }

    /// The amount debited: before less after.
    pub fn amount(&self) -> Money {
        let amount = self.before.checked_sub(self.after);
        debug_assert!(
            amount.is_some(),
            "the effect was built from a debited amount"
        );
        self.money(amount.unwrap_or(0))
    }

    /// The reserve Stripe holds on the platform for this debit, `neg(after) - neg(before)`:
    /// zero when the balance stays at or above zero.
    pub fn reserve(&self) -> Money {
        self.money(self.reserve)
    }

    /// What the platform's available balance grows by: the amount less the reserve. With
    /// the reserve, the platform's total grows by the whole amount, which is what the
    /// connected account loses: money is conserved.
    pub fn platform_available_change(&self) -> Money {
        let released = self.amount().checked_sub(self.reserve());
        debug_assert!(released.is_some(), "0 <= reserve <= amount");
        released.unwrap_or(Money::zero_in(self.currency))
    }
}

impl fmt::Debug for BalanceEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BalanceEffect")
            .field("before", &self.before())
            .field("after", &self.after())
            .field("reserve", &self.reserve())
            .finish()
    }
}

/// The part of a balance below zero, as a non-negative number.
fn negative_part(minor: i64) -> i128 {
    i128::from(minor).min(0).saturating_neg()
}

#[cfg(test)]
mod tests {
    use iso_currency::Currency;

    use super::{BalanceEffect, Money};

    #[test]
    fn an_effect_reads_as_its_three_amounts() {
        let usd = |minor| Money::from_minor(minor, Currency::USD).unwrap();
        let effect = BalanceEffect::of_debit(usd(300), usd(500)).unwrap();
        assert_eq!(
            format!("{effect:?}"),
            "BalanceEffect { before: Money(3.00 USD), after: Money(-2.00 USD), \
             reserve: Money(2.00 USD) }"
        );
        assert_eq!(
            (effect.amount(), effect.platform_available_change()),
            (usd(500), usd(300))
        );
    }
}
