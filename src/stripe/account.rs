//! Accounts: the platform and the connected account a debit moves money between.

use core::fmt;

use iso_currency::Currency;

use crate::stripe::id::AccountId;
use crate::stripe::region::Country;
use crate::stripe::reserves::NegativeBalanceReclaim;
use crate::value::currency::CurrencySet;

/// Who bears the losses of an account's payments: the fact that decides which debit flow
/// applies.
///
/// # Example
///
/// ```
/// use stripe_account_debits::stripe::LossLiability;
///
/// assert_eq!(LossLiability::from_stripe_fields(Some("stripe"), None, None), LossLiability::Stripe);
/// // A Standard account from before controller properties: Stripe is liable.
/// assert_eq!(LossLiability::from_stripe_fields(None, None, Some("standard")), LossLiability::Stripe);
/// assert_eq!(LossLiability::from_stripe_fields(None, Some("application"), Some("custom")), LossLiability::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LossLiability {
    /// Stripe manages the account's risk (`controller.losses.payments == "stripe"`): the
    /// account is debited with an Account Debit.
    Stripe,
    /// The platform manages the account's risk (`controller.losses.payments ==
    /// "application"`): such accounts are debited through the platform-managed flow.
    Platform,
    /// The account's fields do not say.
    Unknown,
}

impl LossLiability {
    /// Reads liability from an Account object's fields: `controller.losses.payments`,
    /// `controller.type` and the legacy `type`.
    ///
    /// Source: Stripe's Account object reference (`controller.losses.payments` is
    /// `"stripe"` or `"application"`) and its controller-properties migration table, under
    /// which an account whose `controller.type` is `"account"`, or whose `type` is
    /// `"standard"`, has Stripe liable for its losses when `controller.losses` is absent.
    /// Anything else is [`LossLiability::Unknown`]. A v2 Account (`v2.core.account`) says
    /// the same in `defaults.responsibilities.losses_collector` (`"application"` or
    /// `"stripe"`): pass it as `losses_payments`.
    pub fn from_stripe_fields(
        losses_payments: Option<&str>,
        controller_type: Option<&str>,
        account_type: Option<&str>,
    ) -> LossLiability {
        match losses_payments {
            Some("stripe") => LossLiability::Stripe,
            Some("application") => LossLiability::Platform,
            Some(_) => LossLiability::Unknown,
            None if controller_type == Some("account") || account_type == Some("standard") => {
                LossLiability::Stripe
            }
            None => LossLiability::Unknown,
        }
    }
}

impl fmt::Display for LossLiability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LossLiability::Stripe => "stripe",
            LossLiability::Platform => "application",
            LossLiability::Unknown => "unknown",
        })
    }
}

/// A Stripe account, as far as a debit needs it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Currency;
/// use stripe_account_debits::stripe::{Account, LossLiability};
///
/// let account = Account::new(
///     "acct_1Connected".parse()?,
///     "FR".parse()?,
///     Currency::EUR,
///     LossLiability::Stripe,
/// )
/// .with_verified_bank_account(Currency::EUR);
/// assert!(account.has_verified_bank_account(Currency::EUR));
/// assert!(!account.has_verified_bank_account(Currency::USD));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Account {
    id: AccountId,
    country: Country,
    default_currency: Currency,
    loss_liability: LossLiability,
    verified_bank_accounts: CurrencySet,
    /// Whether the bank accounts above were read from the whole list Stripe has.
    bank_account_list_complete: bool,
    /// `settings.payouts.debit_negative_balances`.
    negative_balance_reclaim: NegativeBalanceReclaim,
}

impl Account {
    /// An account with no verified bank account on file.
    pub fn new(
        id: AccountId,
        country: Country,
        default_currency: Currency,
        loss_liability: LossLiability,
    ) -> Account {
        Account {
            id,
            country,
            default_currency,
            loss_liability,
            verified_bank_accounts: CurrencySet::new(),
            bank_account_list_complete: true,
            negative_balance_reclaim: NegativeBalanceReclaim::Unknown,
        }
    }

    /// This account, read from a list of external accounts that has more pages than were
    /// read (`has_more: true`): a verified bank account may be among the others, so the
    /// advisory does not assert there is none.
    #[must_use]
    pub fn with_bank_account_list_incomplete(mut self) -> Account {
        self.bank_account_list_complete = false;
        self
    }

    /// Whether the verified bank accounts on file were read from the whole list.
    pub fn bank_account_list_complete(&self) -> bool {
        self.bank_account_list_complete
    }

    /// This account with a verified bank account in `currency` on file (an external
    /// account with `object: "bank_account"` and `status: "verified"`).
    #[must_use]
    pub fn with_verified_bank_account(mut self, currency: Currency) -> Account {
        self.verified_bank_accounts = self.verified_bank_accounts.with(currency);
        self
    }

    /// This account with verified bank accounts on file in each of `currencies`.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Currency;
    /// use stripe_account_debits::stripe::{Account, LossLiability};
    /// use stripe_account_debits::currency::CurrencySet;
    ///
    /// let account = Account::new("acct_1C".parse()?, "DE".parse()?, Currency::EUR, LossLiability::Stripe)
    ///     .with_verified_bank_accounts(CurrencySet::new().with(Currency::EUR).with(Currency::USD));
    /// assert!(account.has_verified_bank_account(Currency::USD));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_verified_bank_accounts(mut self, currencies: CurrencySet) -> Account {
        self.verified_bank_accounts = self.verified_bank_accounts.union(currencies);
        self
    }

    /// This account with its `settings.payouts.debit_negative_balances`: whether Stripe
    /// tries to reclaim a negative balance from its bank account.
    #[must_use]
    pub fn with_debit_negative_balances(mut self, debit_negative_balances: bool) -> Account {
        self.negative_balance_reclaim =
            NegativeBalanceReclaim::from_setting(Some(debit_negative_balances));
        self
    }

    /// This account with what Stripe does about its negative balance, as read from its
    /// fields (see [`NegativeBalanceReclaim::from_account_fields`], which applies Stripe's
    /// documented default when the setting is absent).
    #[must_use]
    pub fn with_negative_balance_reclaim(mut self, reclaim: NegativeBalanceReclaim) -> Account {
        self.negative_balance_reclaim = reclaim;
        self
    }

    /// What Stripe does about a negative balance of this account.
    pub fn negative_balance_reclaim(&self) -> NegativeBalanceReclaim {
        self.negative_balance_reclaim
    }

    /// The account id.
    pub fn id(&self) -> AccountId {
        self.id
    }

    /// Whether this account has the id `id` (without copying either).
    pub(crate) fn has_id(&self, id: &AccountId) -> bool {
        self.id == *id
    }

    /// Whether both are the same account (by id).
    pub(crate) fn is(&self, other: &Account) -> bool {
        self.has_id(&other.id)
    }

    /// The country the account is in.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The account's default currency.
    pub fn default_currency(&self) -> Currency {
        self.default_currency
    }

    /// Who bears the account's losses.
    pub fn loss_liability(&self) -> LossLiability {
        self.loss_liability
    }

    /// Whether a verified bank account in `currency` is on file.
    pub fn has_verified_bank_account(&self, currency: Currency) -> bool {
        self.verified_bank_accounts.contains(currency)
    }
}

/// The platform of a debit, which receives the funds: an [`Account`] in that role. Its own
/// type, like [`Connected`], so that swapping the two accounts does not compile.
///
/// # Example
///
/// ```compile_fail
/// use stripe_account_debits::*;
/// use stripe_account_debits::stripe::{Balance, Connected, Platform};
///
/// let platform = Platform::new(demo::input().unwrap().platform().clone());
/// let connected = Connected::new(demo::input().unwrap().connected().clone());
/// let debit = *demo::input().unwrap().debit();
/// // The platform where the connected account belongs: a type error.
/// let _ = DebitInput::new(connected, platform, Balance::empty(), debit, Timestamp::from_unix(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Platform(Account);

impl Platform {
    /// `account`, as the platform.
    pub fn new(account: Account) -> Platform {
        Platform(account)
    }

    /// The account.
    pub fn account(&self) -> &Account {
        &self.0
    }

    pub(crate) fn into_account(self) -> Account {
        self.0
    }
}

/// The connected account a debit takes from: an [`Account`] in that role (see
/// [`Platform`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connected(Account);

impl Connected {
    /// `account`, as the connected account.
    pub fn new(account: Account) -> Connected {
        Connected(account)
    }

    /// The account.
    pub fn account(&self) -> &Account {
        &self.0
    }

    pub(crate) fn into_account(self) -> Account {
        self.0
    }
}
