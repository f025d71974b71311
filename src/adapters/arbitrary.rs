//! `Arbitrary` (feature `arbitrary`) for the value types and for whole debit inputs, for
//! fuzzing. Values are drawn towards the edges: ids from a small pool so that they collide,
//! amounts and balances at the limits of `i64` and `Decimal`, times at the second of the
//! grant or revocation of consent. Only valid values are built: the point is to fuzz the
//! rules, the parsers having their own target.

use arbitrary::{Arbitrary, Error, Result, Unstructured};
use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::consent::{Consent, Evidence};
use crate::stripe::id::known_prefixes;
use crate::stripe::{
    Account, Balance, Connected, Country, LossLiability, Platform, ReferenceTransaction,
};
use crate::{AccountId, Debit, DebitId, DebitInput, Money, Timestamp, TransactionId};

/// Countries in and out of the supported regions, and at the edges of "Europe".
const COUNTRIES: [&str; 24] = [
    "US", "CA", "AU", "NZ", "JP", "HK", "DE", "FR", "GB", "IE", "NO", "IS", "LI", "CH", "GI", "PL",
    "BR", "MX", "IN", "SG", "TR", "RU", "MC", "AD",
];

/// Currencies of each kind in Stripe's table, and one Stripe cannot move.
const CURRENCIES: [Currency; 10] = [
    Currency::USD,
    Currency::EUR,
    Currency::GBP,
    Currency::JPY,
    Currency::KRW,
    Currency::ISK,
    Currency::KWD,
    Currency::BHD,
    Currency::CLF,
    Currency::XAU,
];

/// Id bodies: a few shared ones, so that accounts and references collide.
const BODIES: [&str; 4] = ["1A", "1B", "1Same", "1PgafTB7WZ01zgkW"];

fn body(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(3, 4)? {
        return Ok((*u.choose(&BODIES)?).to_owned());
    }
    let len = u.int_in_range(1..=40)?;
    let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| u.choose(alphabet).map(|b| char::from(*b)))
        .collect()
}

fn currency(u: &mut Unstructured<'_>) -> Result<Currency> {
    if u.ratio(4, 5)? {
        return u.choose(&CURRENCIES).copied();
    }
    // Any ISO 4217 currency, by its three-digit numeric code; unassigned codes fall back to
    // the list above.
    match Currency::from_numeric(u.int_in_range(0..=999)?) {
        Some(currency) => Ok(currency),
        None => u.choose(&CURRENCIES).copied(),
    }
}

fn edge_i64(u: &mut Unstructured<'_>) -> Result<i64> {
    Ok(match u.int_in_range(0..=5)? {
        0 => i64::MIN,
        1 => i64::MAX,
        2 => 0,
        3 => i64::arbitrary(u)?,
        4 => i64::MIN.saturating_add(i64::from(u.int_in_range(0..=1_000u16)?)),
        _ => i64::from(u.int_in_range(-10_000i32..=100_000)?),
    })
}

fn amount(u: &mut Unstructured<'_>) -> Result<Decimal> {
    Ok(match u.int_in_range(0..=6)? {
        0 => Decimal::arbitrary(u)?,
        1 => *u.choose(&[
            Decimal::ZERO,
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::NEGATIVE_ONE,
        ])?,
        2 => Decimal::new(edge_i64(u)?, u.int_in_range(0..=6)?),
        3 => Decimal::from(u64::MAX),
        _ => Decimal::new(
            i64::from(u.int_in_range(1..=100_000u32)?),
            u.int_in_range(0..=3)?,
        ),
    })
}

fn at_edge(u: &mut Unstructured<'_>, around: i64) -> Result<i64> {
    Ok(match u.int_in_range(0..=3)? {
        0 => edge_i64(u)?,
        _ => around.saturating_add(i64::from(u.int_in_range(-2i8..=3)?)),
    })
}

impl<'a> Arbitrary<'a> for AccountId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        format!("acct_{}", body(u)?)
            .parse()
            .map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for TransactionId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let prefix = if u.ratio(2, 3)? {
            *u.choose(&["ch", "py", "po"])?
        } else {
            let prefixes: Vec<&str> = known_prefixes().filter(|p| *p != "acct").collect();
            *u.choose(&prefixes)?
        };
        format!("{prefix}_{}", body(u)?)
            .parse()
            .map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Country {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(&COUNTRIES)?
            .parse()
            .map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Timestamp {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Timestamp::from_unix(edge_i64(u)?))
    }
}

impl<'a> Arbitrary<'a> for DebitId {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let len = u.int_in_range(1..=crate::MAX_DEBIT_ID_LEN)?;
        let text: String = (0..len)
            .map(|_| u.int_in_range(0x21u8..=0x7e).map(char::from))
            .collect::<Result<_>>()?;
        text.parse().map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Evidence {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(&["agreement-42", "https://example.test/consent/7", "x"])?
            .parse()
            .map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for LossLiability {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=7)? {
            0 => LossLiability::Platform,
            1 => LossLiability::Unknown,
            _ => LossLiability::Stripe,
        })
    }
}

impl<'a> Arbitrary<'a> for Money {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Money::from_minor(edge_i64(u)?, currency(u)?).map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Account {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let default_currency = currency(u)?;
        let mut account = Account::new(
            AccountId::arbitrary(u)?,
            Country::arbitrary(u)?,
            default_currency,
            LossLiability::arbitrary(u)?,
        );
        if u.ratio(2, 3)? {
            account = account.with_verified_bank_account(default_currency);
        }
        if u.ratio(1, 4)? {
            account = account.with_verified_bank_account(currency(u)?);
        }
        Ok(account)
    }
}

impl<'a> Arbitrary<'a> for Balance {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut balance = Balance::empty();
        for _ in 0..u.int_in_range(0..=3)? {
            // Amounts that do not fit their currency (an ISK amount not ending in 00) are
            // left out: Stripe never reports such a balance.
            if let Ok(money) = Money::from_minor(edge_i64(u)?, currency(u)?) {
                balance.set_available(money);
            }
        }
        Ok(balance)
    }
}

impl<'a> Arbitrary<'a> for Consent {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let granted_at = Timestamp::arbitrary(u)?;
        let consent = Consent::granted(granted_at, Evidence::arbitrary(u)?);
        if u.ratio(1, 3)? {
            let revoked = at_edge(u, granted_at.unix())?;
            return Ok(consent
                .clone()
                .revoke(Timestamp::from_unix(revoked))
                .unwrap_or(consent));
        }
        Ok(consent)
    }
}

impl<'a> Arbitrary<'a> for DebitInput {
    /// An input whose parts agree more often than chance would have them (the debit in
    /// the connected account's currency, the reference on the connected account, the debit
    /// at the edges of consent), so that plans are common and every rule is reached.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let platform = Account::arbitrary(u)?;
        let connected = Account::arbitrary(u)?;
        let mut balance = Balance::arbitrary(u)?;
        let currency = if u.ratio(4, 5)? {
            connected.default_currency()
        } else {
            currency(u)?
        };
        if u.ratio(1, 2)?
            && let Ok(money) = Money::from_minor(edge_i64(u)?, currency)
        {
            balance.set_available(money);
        }
        let created_on = if u.ratio(5, 6)? {
            connected.id()
        } else {
            AccountId::arbitrary(u)?
        };
        let debit = Debit::new(
            DebitId::arbitrary(u)?,
            amount(u)?,
            currency,
            ReferenceTransaction::new(TransactionId::arbitrary(u)?, created_on),
        );
        let consent = Option::<Consent>::arbitrary(u)?;
        let around = consent.as_ref().map_or(0, |c| match c.revoked_at() {
            Some(revoked) if u.ratio(1, 2).unwrap_or(false) => revoked.unix(),
            _ => c.granted_at().unix(),
        });
        let at = Timestamp::from_unix(at_edge(u, around)?);
        let input = DebitInput::new(
            Platform::new(platform),
            Connected::new(connected),
            balance,
            debit,
            at,
        )
        .with_negative_balances_allowed(bool::arbitrary(u)?);
        Ok(match consent {
            Some(consent) => input.with_consent(consent),
            None => input,
        })
    }
}
