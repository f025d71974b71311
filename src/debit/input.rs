//! The engine's input: one debit, and everything it is judged against.

use iso_currency::Currency;
use rust_decimal::Decimal;

pub use crate::stripe::metadata::{DebitId, DebitIdError, MAX_DEBIT_ID_LEN};

use crate::consent::Consent;
use crate::stripe::account::{Account, Connected, Platform};
use crate::stripe::balance::Balance;
use crate::stripe::reference::ReferenceTransaction;
use crate::stripe::reserves::PlatformReserves;
use crate::value::currency::StripeCurrency;
use crate::value::money::Money;
use crate::value::time::Timestamp;

/// One debit as asked for. The amount is not checked here: it is judged, with every other
/// rule, by [`plan_debit`](crate::plan_debit), which says all that is wrong at once.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Currency, Debit, Decimal};
/// use stripe_account_debits::stripe::ReferenceTransaction;
///
/// let debit = Debit::new(
///     "recovery-42".parse()?,
///     Decimal::new(500, 2),
///     Currency::USD,
///     ReferenceTransaction::new("ch_1".parse()?, "acct_1C".parse()?),
/// );
/// assert_eq!(debit.amount(), Decimal::new(5, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Debit {
    id: DebitId,
    amount: Decimal,
    currency: Currency,
    /// How Stripe counts `currency`, looked up once here: planning asks on every debit.
    stripe_currency: Option<StripeCurrency>,
    reference: Option<ReferenceTransaction>,
    purpose: Option<Purpose>,
}

impl Debit {
    /// A debit of `amount` `currency`, justified by `reference`.
    pub fn new(
        id: DebitId,
        amount: Decimal,
        currency: Currency,
        reference: ReferenceTransaction,
    ) -> Debit {
        Debit {
            id,
            amount,
            currency,
            stripe_currency: StripeCurrency::of(currency),
            reference: Some(reference),
            purpose: None,
        }
    }

    /// A debit of `amount` `currency` with no reference transaction: what a debit of an
    /// account whose losses the platform bears may be (its request takes none). The flow
    /// for accounts on Stripe managed risk rejects it (`reference_missing`).
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Debit, Decimal, Purpose};
    ///
    /// let debit = Debit::without_reference("fee-7".parse()?, Decimal::new(1500, 2), Currency::USD)
    ///     .with_purpose(Purpose::ServiceCharge);
    /// assert_eq!((debit.reference(), debit.purpose()), (None, Some(Purpose::ServiceCharge)));
    /// # Ok::<(), stripe_account_debits::InputError>(())
    /// ```
    pub fn without_reference(id: DebitId, amount: Decimal, currency: Currency) -> Debit {
        Debit {
            id,
            amount,
            currency,
            stripe_currency: StripeCurrency::of(currency),
            reference: None,
            purpose: None,
        }
    }

    /// This debit with the reason the platform debits; for an account whose losses the
    /// platform bears, it picks how the debit is sent.
    #[must_use]
    pub fn with_purpose(mut self, purpose: Purpose) -> Debit {
        self.purpose = Some(purpose);
        self
    }

    /// Why the platform debits, when given.
    pub fn purpose(&self) -> Option<Purpose> {
        self.purpose
    }

    /// The currency with its units, when Stripe moves it.
    pub(crate) fn stripe_currency(&self) -> Option<StripeCurrency> {
        self.stripe_currency
    }

    /// A debit of a Stripe wire amount (`"amount": 1250` with `"currency": "usd"` is
    /// 12.50 USD), justified by `reference`. Like [`Debit::new`], it is judged, not
    /// checked, here: an ISK amount that does not end in `00` is `amount_too_precise`, a
    /// currency Stripe does not move `currency_unsupported`.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{Currency, Debit, Decimal};
    /// use stripe_account_debits::stripe::ReferenceTransaction;
    ///
    /// let reference = ReferenceTransaction::new("ch_1".parse()?, "acct_1C".parse()?);
    /// let debit = Debit::from_minor("recovery-42".parse()?, 1250, Currency::USD, reference);
    /// assert_eq!(debit.amount(), Decimal::new(1250, 2));
    /// let isk = Debit::from_minor("recovery-43".parse()?, 12345, Currency::ISK, reference);
    /// assert_eq!(isk.amount(), Decimal::new(12345, 2)); // 123.45 kr: too precise, judged so
    /// # Ok::<(), stripe_account_debits::InputError>(())
    /// ```
    pub fn from_minor(
        id: DebitId,
        minor: i64,
        currency: Currency,
        reference: ReferenceTransaction,
    ) -> Debit {
        // A currency Stripe does not move has no wire exponent: it is rejected by its own
        // rule, and its amount is not judged.
        let exponent = StripeCurrency::of(currency).map_or(0, StripeCurrency::wire_exponent);
        let amount = Decimal::try_from_i128_with_scale(i128::from(minor), exponent);
        // An i64 with a scale of at most 4 always fits a Decimal.
        debug_assert!(amount.is_ok());
        Debit::new(
            id,
            amount.unwrap_or(Decimal::from(minor)),
            currency,
            reference,
        )
    }

    /// The caller's id for this debit.
    pub fn id(&self) -> DebitId {
        self.id
    }

    /// The caller's id for this debit, lent: a `DebitId` is 101 bytes, which the ledger's
    /// key table reads without copying.
    #[inline]
    pub(crate) fn id_ref(&self) -> &DebitId {
        &self.id
    }

    /// The amount asked for.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency asked for.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The transaction that justifies the debit, when there is one.
    pub fn reference(&self) -> Option<ReferenceTransaction> {
        self.reference
    }

    /// [`Debit::reference`] without copying it, for the checks.
    pub(crate) fn reference_ref(&self) -> Option<&ReferenceTransaction> {
        self.reference.as_ref()
    }
}

/// Everything [`plan_debit`](crate::plan_debit) judges: the two accounts, the connected
/// account's balance, the platform's consent record, the debit, and the time of the debit
/// (an input, never read from a clock, so that a plan is reproducible).
///
/// # Example
///
/// ```
/// use stripe_account_debits::*;
/// use stripe_account_debits::consent::Consent;
/// use stripe_account_debits::stripe::{Account, Balance, Connected, LossLiability, Platform, ReferenceTransaction};
///
/// let platform = Account::new("acct_1P".parse()?, "US".parse()?, Currency::USD, LossLiability::Stripe);
/// let connected = Account::new("acct_1C".parse()?, "US".parse()?, Currency::USD, LossLiability::Stripe);
/// let debit = Debit::new(
///     "recovery-42".parse()?,
///     Decimal::new(5, 0),
///     Currency::USD,
///     ReferenceTransaction::new("ch_1".parse()?, connected.id()),
/// );
/// let input = DebitInput::new(Platform::new(platform), Connected::new(connected), Balance::empty(), debit, Timestamp::from_unix(1_764_000_000))
///     .with_consent(Consent::granted(Timestamp::from_unix(1_700_000_000), "agreement-42".parse()?));
/// assert!(input.consent().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DebitInput {
    platform: Account,
    connected: Account,
    connected_balance: Balance,
    consent: Option<Consent>,
    debit: Debit,
    at: Timestamp,
    platform_reserves: PlatformReserves,
    negative_balances_allowed: bool,
    amount_cap: Option<Money>,
}

impl DebitInput {
    /// An input with no consent on record; add it with [`DebitInput::with_consent`].
    pub fn new(
        platform: Platform,
        connected: Connected,
        connected_balance: Balance,
        debit: Debit,
        at: Timestamp,
    ) -> DebitInput {
        DebitInput {
            platform: platform.into_account(),
            connected: connected.into_account(),
            connected_balance,
            consent: None,
            debit,
            at,
            platform_reserves: PlatformReserves::Unknown,
            negative_balances_allowed: false,
            amount_cap: None,
        }
    }

    /// This input with whether the platform's arrangement with Stripe lets a debit of an
    /// account whose losses the platform bears take that account's balance below zero
    /// (`false` until said).
    ///
    /// Stripe's newest "Debit connected accounts" page says such a debit "can't make the
    /// connected account balance become negative", and to contact its sales team to adjust
    /// the requirements; earlier versions allowed it with connected reserves enabled and a
    /// bank account in the debit's currency. So by default a debit that would go below zero
    /// is refused (`negative_balance_not_allowed`); with `true`, the earlier rules apply
    /// (reserves, bank account). See `docs/stripe-choices.md`.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{demo, plan_debit, Currency, DebitInput, Decimal, Debit, Purpose};
    /// use stripe_account_debits::stripe::{Account, Connected, LossLiability, Platform, PlatformReserves};
    ///
    /// let demo = demo::input()?;
    /// let c = demo.connected();
    /// let connected = Account::new(c.id(), c.country(), c.default_currency(), LossLiability::Platform)
    ///     .with_verified_bank_account(Currency::USD);
    /// // 15.00 USD from the demo's 10.00 USD.
    /// let debit = Debit::without_reference("fee-1".parse()?, Decimal::new(1500, 2), Currency::USD)
    ///     .with_purpose(Purpose::ServiceCharge);
    /// let input = DebitInput::new(Platform::new(*demo.platform()), Connected::new(connected), demo.connected_balance().clone(), debit, demo.at())
    ///     .with_consent(demo.consent().unwrap().clone())
    ///     .with_platform_reserves(PlatformReserves::Enabled);
    /// assert_eq!(plan_debit(&input).unwrap_err().violations()[0].code(), "negative_balance_not_allowed");
    /// let allowed = input.with_negative_balances_allowed(true);
    /// assert_eq!(plan_debit(&allowed)?.reserve().minor(), 500);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_negative_balances_allowed(mut self, allowed: bool) -> DebitInput {
        self.negative_balances_allowed = allowed;
        self
    }

    /// Whether the platform said its arrangement with Stripe lets a debit take a
    /// platform-managed account below zero.
    pub fn negative_balances_allowed(&self) -> bool {
        self.negative_balances_allowed
    }

    /// This input with whether the platform has connected reserves enabled (unknown until
    /// said): for an account whose losses the platform bears, a debit may take the balance
    /// below zero only with them.
    #[must_use]
    pub fn with_platform_reserves(mut self, reserves: PlatformReserves) -> DebitInput {
        self.platform_reserves = reserves;
        self
    }

    /// Whether the platform has connected reserves enabled.
    pub fn platform_reserves(&self) -> PlatformReserves {
        self.platform_reserves
    }

    /// This input with the most a debit of an account whose losses the platform bears may
    /// be, in the debit's currency: Stripe's cap is 100,000 USD "or equivalent in your
    /// currency", and this crate has no exchange rates. In USD, the lower of Stripe's cap
    /// and this one applies (a platform may keep a lower limit of its own). A cap of zero or
    /// less refuses every such debit in its currency (`amount_over_cap`); the JSON reader
    /// refuses it as input.
    #[must_use]
    pub fn with_amount_cap(mut self, cap: Money) -> DebitInput {
        self.amount_cap = Some(cap);
        self
    }

    /// The caller's cap on the amount, when given.
    pub fn amount_cap(&self) -> Option<Money> {
        self.amount_cap
    }

    /// This input with `consent` as the platform's record.
    #[must_use]
    pub fn with_consent(mut self, consent: Consent) -> DebitInput {
        self.consent = Some(consent);
        self
    }

    /// The platform account, which receives the funds.
    pub fn platform(&self) -> &Account {
        &self.platform
    }

    /// The connected account being debited.
    pub fn connected(&self) -> &Account {
        &self.connected
    }

    /// The connected account's available balance.
    pub fn connected_balance(&self) -> &Balance {
        &self.connected_balance
    }

    /// The connected account's balance, to update in place: a job that replays debits sets
    /// each plan's balance after before planning the next one.
    pub fn connected_balance_mut(&mut self) -> &mut Balance {
        &mut self.connected_balance
    }

    /// Replaces the debit, keeping everything else.
    pub fn set_debit(&mut self, debit: Debit) {
        self.debit = debit;
    }

    /// The consent record, if any.
    pub fn consent(&self) -> Option<&Consent> {
        self.consent.as_ref()
    }

    /// The debit.
    pub fn debit(&self) -> &Debit {
        &self.debit
    }

    /// The time at which the debit is judged.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// Replaces the time at which the debit is judged, keeping everything else.
    pub fn set_at(&mut self, at: Timestamp) {
        self.at = at;
    }
}

/// A [`DebitInput`] lent in parts: what the checks read. A job that keeps many accounts
/// (the [`Ledger`](crate::book::Ledger)) lends its own parts without building an input, so that
/// planning in a batch copies nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InputRef<'a> {
    pub(crate) platform: &'a Account,
    pub(crate) connected: &'a Account,
    pub(crate) connected_balance: &'a Balance,
    pub(crate) consent: Option<&'a Consent>,
    pub(crate) debit: &'a Debit,
    pub(crate) at: Timestamp,
    pub(crate) platform_reserves: PlatformReserves,
    pub(crate) negative_balances_allowed: bool,
    /// The caller's cap in the debit's currency, if any.
    pub(crate) amount_cap: Option<Money>,
}

impl<'a> InputRef<'a> {
    pub(crate) fn platform(&self) -> &'a Account {
        self.platform
    }

    pub(crate) fn connected(&self) -> &'a Account {
        self.connected
    }

    pub(crate) fn connected_balance(&self) -> &'a Balance {
        self.connected_balance
    }

    pub(crate) fn consent(&self) -> Option<&'a Consent> {
        self.consent
    }

    pub(crate) fn debit(&self) -> &'a Debit {
        self.debit
    }

    pub(crate) fn at(&self) -> Timestamp {
        self.at
    }

    pub(crate) fn platform_reserves(&self) -> PlatformReserves {
        self.platform_reserves
    }

    pub(crate) fn negative_balances_allowed(&self) -> bool {
        self.negative_balances_allowed
    }

    /// The caller's cap, when it is in the debit's currency.
    pub(crate) fn amount_cap(&self) -> Option<Money> {
        self.amount_cap
            .filter(|cap| cap.currency() == self.debit.currency())
    }
}

impl DebitInput {
    /// This input lent in parts.
    pub(crate) fn lend(&self) -> InputRef<'_> {
        InputRef {
            platform: &self.platform,
            connected: &self.connected,
            connected_balance: &self.connected_balance,
            consent: self.consent.as_ref(),
            debit: &self.debit,
            at: self.at,
            platform_reserves: self.platform_reserves,
            negative_balances_allowed: self.negative_balances_allowed,
            amount_cap: self.amount_cap,
        }
    }
}

/// Any error of the constructors of an input: what `?` turns each into, so that building a
/// [`DebitInput`] from strings needs one error type.
///
/// # Example
///
/// ```
/// use stripe_account_debits::*;
/// use stripe_account_debits::stripe::{Account, LossLiability};
///
/// fn platform(id: &str, country: &str, currency: &str) -> Result<Account, InputError> {
///     Ok(Account::new(id.parse()?, country.parse()?, currency::parse_currency(currency)?, LossLiability::Stripe))
/// }
/// assert!(platform("acct_1P", "US", "usd").is_ok());
/// let err = platform("acct_1P", "XX", "usd").unwrap_err();
/// assert_eq!(err.to_string(), "unknown country \"XX\"");
/// assert!(matches!(err, InputError::Country(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// An id.
    #[error(transparent)]
    Id(#[from] crate::stripe::id::IdError),
    /// A country.
    #[error(transparent)]
    Country(#[from] crate::stripe::region::CountryError),
    /// A currency.
    #[error(transparent)]
    Currency(#[from] crate::value::currency::CurrencyError),
    /// An amount of money.
    #[error(transparent)]
    Money(#[from] crate::value::money::MoneyError),
    /// A balance.
    #[error(transparent)]
    Balance(#[from] crate::stripe::balance::BalanceError),
    /// A consent record or its evidence.
    #[error(transparent)]
    Consent(#[from] crate::consent::ConsentError),
    /// The caller's debit id.
    #[error(transparent)]
    DebitId(#[from] DebitIdError),
    /// Why the platform debits.
    #[error(transparent)]
    Purpose(#[from] PurposeError),
}

/// Why the platform debits a connected account. For an account whose losses the platform
/// bears, it picks how the debit is sent: a Charge for a service the platform sells, a
/// Transfer for recovering funds or an adjustment (see [`Method`](crate::Method)).
///
/// Source: Stripe, "Debiting Express and Custom accounts": the platform debits "to charge the
/// connected account directly for products or services", "to recover funds for a previous
/// refund" and "to make other adjustments to connected account balances".
///
/// # Example
///
/// ```
/// use stripe_account_debits::Purpose;
///
/// let purpose: Purpose = "service_charge".parse()?;
/// assert_eq!(purpose, Purpose::ServiceCharge);
/// assert_eq!(Purpose::Recovery.code(), "recovery");
/// assert_eq!(
///     "refund".parse::<Purpose>().unwrap_err().to_string(),
///     "unknown purpose \"refund\": expected service_charge, recovery or adjustment"
/// );
/// # Ok::<(), stripe_account_debits::PurposeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// Charging the connected account for the platform's products or services.
    ServiceCharge,
    /// Recovering funds, for a previous refund for example.
    Recovery,
    /// Another adjustment of the connected balance (correcting an error).
    Adjustment,
}

impl Purpose {
    /// A stable snake_case code: `service_charge`, `recovery`, `adjustment`.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::ServiceCharge => "service_charge",
            Purpose::Recovery => "recovery",
            Purpose::Adjustment => "adjustment",
        }
    }
}

impl core::str::FromStr for Purpose {
    type Err = PurposeError;

    /// # Errors
    ///
    /// [`PurposeError`] for anything but the three codes.
    fn from_str(text: &str) -> Result<Purpose, PurposeError> {
        [
            Purpose::ServiceCharge,
            Purpose::Recovery,
            Purpose::Adjustment,
        ]
        .into_iter()
        .find(|purpose| purpose.code() == text)
        .ok_or_else(|| PurposeError {
            text: crate::value::text::quoted(text),
        })
    }
}

/// Why a string is not a [`Purpose`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown purpose \"{text}\": expected service_charge, recovery or adjustment")]
pub struct PurposeError {
    text: String,
}
