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
    // Always inlined: planning asks on every debit, and the common case is a few
    // comparisons.
    #[inline(always)]
    pub(crate) fn of(amount: Decimal, currency: StripeCurrency) -> AmountCheck {
        let (mantissa, scale) = (amount.mantissa(), amount.scale());
        if scale == currency.decimal_places() && scale == currency.wire_exponent() {
            // The common case, `5.00` USD: the digits are the wire amount, and no decimal is
            // one too many. The general case answers the same, with more work.
            let minor = i64::try_from(mantissa).ok();
            return AmountCheck {
                too_precise: false,
                out_of_range: minor.is_none(),
                money: minor.map(|minor| Money { minor, currency }),
            };
        }
        AmountCheck::general(amount, currency)
    }

    /// [`AmountCheck::of`] for any amount.
    fn general(amount: Decimal, currency: StripeCurrency) -> AmountCheck {
        let (mantissa, scale) = (amount.mantissa(), amount.scale());
        // Trailing zeros are not precision: `10^excess` must divide the mantissa.
        let too_precise = scale
            .checked_sub(currency.decimal_places())
            .and_then(ten_pow)
            // Dividing by 1 (no excess digits) always leaves 0: skip the 128-bit division.
            .filter(|unit| *unit != 1)
            .is_some_and(|unit| mantissa.checked_rem(unit) != Some(0));
        // The wire amount, in integers: the digits times `10^wire_exponent`; with more
        // decimals than the wire has, truncated toward zero (the amount is too precise
        // anyway), as `MinorUnits` would truncate its fraction.
        let exponent = currency.wire_exponent();
        let wire = match exponent.checked_sub(scale) {
            Some(up) => ten_pow(up).and_then(|p| mantissa.checked_mul(p)),
            None => {
                ten_pow(scale.saturating_sub(exponent)).and_then(|unit| mantissa.checked_div(unit))
            }
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

/// An amount in its currency's minor units (Stripe's wire unit), exactly: `5.00` USD is
/// `Whole(500)`, `5.001` USD is `Fraction(500.1)`.
// Read by the JSON output (and held to `AmountCheck` by the tests).
#[cfg(any(feature = "serde", test))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MinorUnits {
    /// A whole number of minor units.
    Whole(i128),
    /// A number of minor units with a fraction, which no Stripe amount has.
    Fraction(Decimal),
    /// Beyond what 128 bits hold (it cannot happen for a `Decimal` and a wire exponent of
    /// at most 3, which is why there is no value to carry).
    Beyond,
}

#[cfg(any(feature = "serde", test))]
impl MinorUnits {
    /// `amount` in the minor units of `currency`: its digits (`mantissa / 10^scale`) times
    /// `10^wire_exponent`, in integers.
    pub(crate) fn of(amount: Decimal, currency: StripeCurrency) -> MinorUnits {
        let (mantissa, scale) = (amount.mantissa(), amount.scale());
        let exponent = currency.wire_exponent();
        if let Some(up) = exponent.checked_sub(scale) {
            let whole = ten_pow(up).and_then(|p| mantissa.checked_mul(p));
            // A 96-bit mantissa times at most 10^3 fits 128 bits.
            debug_assert!(whole.is_some(), "{amount} in minor units overflows i128");
            return whole.map_or(MinorUnits::Beyond, MinorUnits::Whole);
        }
        let down = scale.saturating_sub(exponent);
        let whole = ten_pow(down)
            .filter(|unit| mantissa.checked_rem(*unit) == Some(0))
            .and_then(|unit| mantissa.checked_div(unit));
        if let Some(whole) = whole {
            return MinorUnits::Whole(whole);
        }
        // Fewer decimals than the amount had: always a valid `Decimal`.
        match Decimal::try_from_i128_with_scale(mantissa, down) {
            Ok(fraction) => MinorUnits::Fraction(fraction.normalize()),
            Err(_) => {
                debug_assert!(false, "{amount} in minor units is not a Decimal");
                MinorUnits::Beyond
            }
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

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::{AmountCheck, MinorUnits};
    use crate::value::currency::StripeCurrency;

    fn of(amount: &str, code: &str) -> MinorUnits {
        let currency = crate::value::currency::parse_currency(code).unwrap();
        MinorUnits::of(
            amount.parse().unwrap(),
            StripeCurrency::of(currency).unwrap(),
        )
    }

    #[test]
    fn amounts_in_minor_units_are_exact() {
        assert_eq!(of("5.00", "usd"), MinorUnits::Whole(500));
        assert_eq!(of("5", "usd"), MinorUnits::Whole(500));
        assert_eq!(of("5.0000", "usd"), MinorUnits::Whole(500));
        assert_eq!(of("-5.5", "usd"), MinorUnits::Whole(-550));
        assert_eq!(
            of("5.001", "usd"),
            MinorUnits::Fraction(Decimal::new(5001, 1))
        );
        assert_eq!(
            of("-0.001", "usd"),
            MinorUnits::Fraction(Decimal::new(-1, 1))
        );
        assert_eq!(of("500", "jpy"), MinorUnits::Whole(500));
        assert_eq!(of("0.5", "jpy"), MinorUnits::Fraction(Decimal::new(5, 1)));
        assert_eq!(of("5.5", "isk"), MinorUnits::Whole(550));
        assert_eq!(of("1.234", "bhd"), MinorUnits::Whole(1234));
        assert_eq!(
            of("79228162514264337593543950335", "bhd"),
            MinorUnits::Whole(79_228_162_514_264_337_593_543_950_335_000)
        );
    }

    /// The check's wire amount is `MinorUnits`' (its fraction truncated toward zero), and
    /// its money the wire amount when the amount is neither too precise nor out of range.
    #[test]
    fn checks_agree_with_minor_units() {
        let amounts = [
            "5.00",
            "5",
            "-5.5",
            "5.001",
            "-0.001",
            "0.5",
            "0.009",
            "-1.999",
            "1.234",
            "12.3456",
            "500",
            "0",
            "-0",
            "92233720368547758.07",
            "92233720368547758.08",
            "-92233720368547758.08",
            "-92233720368547758.09",
            "92233720368547758.075",
            "-92233720368547758.085",
            "9223372036854775807",
            "9223372036854775808",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ];
        for code in ["usd", "jpy", "isk", "bhd", "kwd", "eur"] {
            let currency = crate::value::currency::parse_currency(code).unwrap();
            let currency = StripeCurrency::of(currency).unwrap();
            for text in amounts {
                let amount: Decimal = text.parse().unwrap();
                let check = AmountCheck::of(amount, currency);
                let wire = match MinorUnits::of(amount, currency) {
                    MinorUnits::Whole(wire) => Some(wire),
                    MinorUnits::Fraction(fraction) => Some(fraction.trunc().mantissa()),
                    MinorUnits::Beyond => None,
                };
                let minor = wire.and_then(|w| i64::try_from(w).ok());
                // More decimals than allowed: truncating to the allowed ones changes it.
                let too_precise = amount.trunc_with_scale(currency.decimal_places()) != amount;
                let case = format!("{text} {code}");
                assert_eq!(check.out_of_range, minor.is_none(), "{case}");
                assert_eq!(check.too_precise, too_precise, "{case}");
                let money = minor.filter(|_| !too_precise);
                assert_eq!(check.money.map(|m| m.minor), money, "{case}");
            }
        }
    }
}
