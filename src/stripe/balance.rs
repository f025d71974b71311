//! A connected account's available balance, one amount per currency.

use iso_currency::Currency;

use crate::value::money::Money;

/// The `available` part of a Stripe Balance object: at most one amount per currency.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::Money;
/// use stripe_account_debits::stripe::Balance;
///
/// let balance = Balance::new([Money::from_minor(1000, Currency::USD)?])?;
/// assert_eq!(balance.available(Currency::USD), Some(Money::from_minor(1000, Currency::USD)?));
/// assert_eq!(balance.available(Currency::EUR), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Balance {
    // Most accounts hold one currency: it is kept inline, so that a balance of one currency
    // is read without following a pointer and cloned without allocating. The others follow
    // in `more`, which is empty while `first` is `None`.
    first: Option<Money>,
    more: Vec<Money>,
}

/// Why a list of amounts is not a balance.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Money};
/// use stripe_account_debits::stripe::Balance;
///
/// let usd = |minor| Money::from_minor(minor, Currency::USD);
/// let err = Balance::new([usd(100)?, usd(200)?]).unwrap_err();
/// assert_eq!(err.currency(), Currency::USD);
/// assert_eq!(err.to_string(), "balance lists currency USD more than once");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("balance lists currency {} more than once", .currency.code())]
pub struct BalanceError {
    currency: Currency,
}

impl BalanceError {
    /// The currency listed twice.
    pub fn currency(&self) -> Currency {
        self.currency
    }
}

impl Balance {
    /// A balance with these available amounts.
    ///
    /// # Errors
    ///
    /// [`BalanceError`] when a currency appears twice.
    pub fn new(available: impl IntoIterator<Item = Money>) -> Result<Balance, BalanceError> {
        let mut out = Balance::empty();
        for money in available {
            let currency = money.currency();
            if out.available(currency).is_some() {
                return Err(BalanceError { currency });
            }
            out.set_available(money);
        }
        Ok(out)
    }

    /// A balance with nothing in any currency.
    pub fn empty() -> Balance {
        Balance::default()
    }

    /// The available amount in `currency`, if the balance lists it.
    #[inline]
    pub fn available(&self, currency: Currency) -> Option<Money> {
        // The first amount is read inline, without an iterator: most balances hold one
        // currency, and planning asks on every debit.
        match self.first {
            Some(first) if first.currency() == currency => Some(first),
            _ => self.more.iter().find(|m| m.currency() == currency).copied(),
        }
    }

    /// Sets the available amount in `money`'s currency, replacing the one listed (in place,
    /// with no allocation) or adding it.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Currency;
    /// use stripe_account_debits::Money;
    /// use stripe_account_debits::stripe::Balance;
    ///
    /// let mut balance = Balance::empty();
    /// balance.set_available(Money::from_minor(5, Currency::EUR)?);
    /// balance.set_available(Money::from_minor(-7, Currency::EUR)?);
    /// assert_eq!(balance.available(Currency::EUR), Some(Money::from_minor(-7, Currency::EUR)?));
    /// assert_eq!(balance.iter().count(), 1);
    /// # Ok::<(), stripe_account_debits::money::MoneyError>(())
    /// ```
    #[inline]
    pub fn set_available(&mut self, money: Money) {
        let currency = money.currency();
        match &mut self.first {
            None => self.first = Some(money),
            Some(first) if first.currency() == currency => *first = money,
            Some(_) => match self.more.iter_mut().find(|m| m.currency() == currency) {
                Some(slot) => *slot = money,
                None => self.more.push(money),
            },
        }
    }

    /// Every listed amount, in the order given.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        self.into_iter()
    }
}

impl<'a> IntoIterator for &'a Balance {
    type Item = Money;
    type IntoIter = BalanceIter<'a>;

    /// Every listed amount, in the order given.
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        BalanceIter(self.first.iter().chain(self.more.iter()).copied())
    }
}

/// The amounts of a [`Balance`], in the order given: what `&Balance` iterates over.
#[derive(Debug, Clone)]
pub struct BalanceIter<'a>(
    core::iter::Copied<
        core::iter::Chain<core::option::Iter<'a, Money>, core::slice::Iter<'a, Money>>,
    >,
);

impl Iterator for BalanceIter<'_> {
    type Item = Money;

    #[inline]
    fn next(&mut self) -> Option<Money> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}
