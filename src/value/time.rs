//! Time as Stripe's API counts it.

use core::fmt;

/// A point in time: seconds since the Unix epoch, as Stripe's timestamps are. The crate
/// never reads a clock: every time is an input.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Timestamp;
///
/// let t = Timestamp::from_unix(1_764_000_000);
/// assert!(t < Timestamp::from_unix(1_764_000_001));
/// assert_eq!(t.to_string(), "1764000000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// `seconds` after 1970-01-01T00:00:00Z (before it, when negative).
    pub const fn from_unix(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// Seconds since the Unix epoch.
    pub const fn unix(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

// Read by the JSON adapter only (a v2 Account's `created`).
#[cfg(feature = "serde")]
impl Timestamp {
    /// Reads an RFC 3339 time in UTC as Stripe's v2 API writes it (`created` of a
    /// `v2.core.account`: "Represented as a RFC 3339 date & time UTC value in millisecond
    /// precision, for example: 2022-09-18T13:22:18.123Z"): `YYYY-MM-DDTHH:MM:SS`, an
    /// optional fraction, then `Z`. The fraction is dropped (toward the past), which keeps
    /// the order against any whole second. `None` for anything else: another offset than
    /// `Z`, a day the month does not have, a leap second.
    pub(crate) fn from_rfc3339_utc(text: &str) -> Option<Timestamp> {
        let bytes = text.as_bytes();
        let (fields, rest) = (bytes.get(..19)?, bytes.get(19..)?);
        let rest = match rest.split_first() {
            Some((b'.', fraction)) => {
                let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
                (digits > 0).then_some(())?;
                fraction.get(digits..)?
            }
            _ => rest,
        };
        if !matches!(rest, [b'Z' | b'z']) {
            return None;
        }
        let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
        let separated = separators.iter().all(|(i, c)| fields.get(*i) == Some(c))
            && matches!(fields.get(10), Some(b'T' | b't'));
        separated.then_some(())?;
        let number = |from: usize, to: usize| -> Option<i64> {
            fields.get(from..to)?.iter().try_fold(0i64, |n, b| {
                let digit = char::from(*b).to_digit(10)?;
                n.checked_mul(10)?.checked_add(i64::from(digit))
            })
        };
        let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
        let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)?).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(())?;
        let seconds = hour
            .checked_mul(3600)?
            .checked_add(minute.checked_mul(60)?)?
            .checked_add(second)?;
        let days = days_from_civil(year, month, day)?;
        Some(Timestamp(days.checked_mul(86_400)?.checked_add(seconds)?))
    }
}

#[cfg(feature = "serde")]
/// The days of `month` (1 to 12) in `year` of the proleptic Gregorian calendar.
fn days_in_month(year: i64, month: i64) -> Option<i64> {
    let leap =
        year.checked_rem(4)? == 0 && (year.checked_rem(100)? != 0 || year.checked_rem(400)? == 0);
    Some(match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    })
}

#[cfg(feature = "serde")]
/// Days from 1970-01-01 to `year`-`month`-`day` (proleptic Gregorian): the civil-from-days
/// algorithm run backwards, with March as the first month so that a leap day ends a year.
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let year = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = year.div_euclid(400);
    let year_of_era = year.checked_sub(era.checked_mul(400)?)?;
    let month_from_march = month.checked_add(9)?.checked_rem(12)?;
    let day_of_year = month_from_march
        .checked_mul(153)?
        .checked_add(2)?
        .checked_div(5)?
        .checked_add(day)?
        .checked_sub(1)?;
    let day_of_era = year_of_era
        .checked_mul(365)?
        .checked_add(year_of_era.checked_div(4)?)?
        .checked_sub(year_of_era.checked_div(100)?)?
        .checked_add(day_of_year)?;
    era.checked_mul(146_097)?
        .checked_add(day_of_era)?
        .checked_sub(719_468)
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::Timestamp;

    #[test]
    fn rfc3339_utc_times_read_as_unix_seconds() {
        let read = |text| Timestamp::from_rfc3339_utc(text).map(Timestamp::unix);
        assert_eq!(read("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(read("2022-09-18T13:22:18.123Z"), Some(1_663_507_338));
        assert_eq!(read("2017-02-01T00:00:00.000Z"), Some(1_485_907_200));
        assert_eq!(read("2017-01-31T23:59:59.999Z"), Some(1_485_907_199));
        assert_eq!(read("2024-02-29t12:00:00z"), Some(1_709_208_000));
        assert_eq!(read("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(read("2000-03-01T00:00:00Z"), Some(951_868_800));
        for bad in [
            "",
            "2020",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2022-13-01T00:00:00Z",
            "2022-04-31T00:00:00Z",
            "2022-01-01T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2022-01-01T00:00:00",
            "2022-01-01T00:00:00+00:00",
            "2022-01-01T00:00:00.Z",
            "2022-01-01 00:00:00Z",
            "2022-01-01T00:00:00ZZ",
            "+022-01-01T00:00:00Z",
            "2022-01-01T00:00:00.1é",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
