//! The one place where an amount's precision and range are decided, in integers, for
//! [`Money::from_decimal`] and for the debit rules alike.

use rust_decimal::Decimal;

use super::Money;
use crate::value::currency::StripeCurrency;

/// What checking an amount against a currency's units found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AmountCheck {
    /// More decimals than the currency allows.
    pub(crate) too_precise: bool,
    /// The wire amount (its whole part, when also too precise) does not fit `i64`.
    pub(crate) out_of_range: bool,
    /// The amount as money, when neither of the above.
    pub(crate) money: Option<Money>,
}

impl AmountCheck {
    /// Checks `amount` exactly, in integers: its digits are `mantissa / 10^scale`. It is
    /// too precise when the digits past the allowed decimal places are not all zero, and
    /// its wire amount is the digits times `10^wire_exponent`, truncated toward zero for the
    /// range check when the amount is too precise anyway.
    pub(crate) fn of(amount: Decimal, currency: StripeCurrency) -> AmountCheck {
        let (mantissa, scale) = (amount.mantissa(), amount.scale());
        if scale == currency.decimal_places() && scale == currency.wire_exponent() {
            // The common case, `5.00` USD: the digits are the wire amount, and no decimal is
            // one too many. The general case below answers the same, with more work.
            let minor = i64::try_from(mantissa).ok();
            return AmountCheck {
                too_precise: false,
                out_of_range: minor.is_none(),
                money: minor.map(|minor| Money { minor, currency }),
            };
        }
        // Trailing zeros are not precision: `10^excess` must divide the mantissa.
        let too_precise = scale
            .checked_sub(currency.decimal_places())
            .and_then(ten_pow)
            // Dividing by 1 (no excess digits) always leaves 0: skip the 128-bit division.
            .filter(|unit| *unit != 1)
            .is_some_and(|unit| mantissa.checked_rem(unit) != Some(0));
        let wire = match currency.wire_exponent().checked_sub(scale) {
            Some(up) => ten_pow(up).and_then(|p| mantissa.checked_mul(p)),
            None => scale
                .checked_sub(currency.wire_exponent())
                .and_then(ten_pow)
                .and_then(|p| mantissa.checked_div(p)),
        };
        let minor = wire.and_then(|w| i64::try_from(w).ok());
        AmountCheck {
            too_precise,
            out_of_range: minor.is_none(),
            // Not too precise: the digits below the currency's decimals are zero, so the
            // wire amount is a multiple of the wire step, which is `Money`'s invariant.
            money: minor
                .filter(|_| !too_precise)
                .map(|minor| Money { minor, currency }),
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
