//! Whether Stripe holds connected reserves on the platform, and whether it reclaims a
//! connected account's negative balance from its bank.
//!
//! Sources: Stripe, "Debiting Express and Custom accounts" (an earlier version of
//! `/connect/account-debits`, and the current Japanese one), "Requirements": a debit cannot
//! make the connected balance negative "unless you have reserves enabled (on by default for
//! all new platforms created after January 31st, 2017)" (an older version says 2016; the
//! newest English version allows no negative balance at all, which the rule
//! `negative_balance_not_allowed` follows by default: reserves matter only for a platform
//! whose arrangement with Stripe allows negatives; see `docs/stripe-choices.md`), and "If a
//! connected account balance becomes negative, Stripe may auto debit the external account
//! on file, depending on what country the connected account is in"; Stripe's "Connect
//! reserves FAQ": "Enabling the `debit_negative_balances` flag on an account will attempt
//! to recover negative balances from connected accounts automatically"; Stripe's Account
//! object reference (v1): `settings.payouts.debit_negative_balances` defaults to `false`
//! when `controller.requirement_collection` is `application`, otherwise `true`.

use crate::value::time::Timestamp;

/// Whether the platform has connected reserves enabled, and how that is known.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Timestamp;
/// use stripe_account_debits::stripe::PlatformReserves;
///
/// // A platform created in 2020: on by default.
/// let reserves = PlatformReserves::from_created(Timestamp::from_unix(1_600_000_000));
/// assert_eq!(reserves, PlatformReserves::EnabledByDefault);
/// assert!(reserves.enabled());
/// // One created in 2016 may have them or not.
/// assert_eq!(PlatformReserves::from_created(Timestamp::from_unix(1_460_000_000)), PlatformReserves::Unknown);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlatformReserves {
    /// Enabled, as the caller knows.
    Enabled,
    /// Enabled by default: the platform was created after January 31st, 2017. (It may have
    /// been changed since; the plan advises when it relies on this.)
    EnabledByDefault,
    /// Not enabled, as the caller knows.
    Disabled,
    /// Not known: a debit that would take the connected balance below zero is refused
    /// rather than guessed.
    #[default]
    Unknown,
}

/// The first second after January 31st, 2017 (UTC): platforms created from then on have
/// connected reserves on by default.
pub const RESERVES_DEFAULT_SINCE: Timestamp = Timestamp::from_unix(1_485_907_200);

impl PlatformReserves {
    /// What the platform account's `created` time says: enabled by default for a platform
    /// created after January 31st, 2017, unknown for an older one.
    pub fn from_created(created: Timestamp) -> PlatformReserves {
        if created >= RESERVES_DEFAULT_SINCE {
            PlatformReserves::EnabledByDefault
        } else {
            PlatformReserves::Unknown
        }
    }

    /// Known or assumed to be enabled.
    pub fn enabled(self) -> bool {
        matches!(
            self,
            PlatformReserves::Enabled | PlatformReserves::EnabledByDefault
        )
    }

    /// A stable snake_case code: `enabled`, `enabled_by_default`, `disabled`, `unknown`.
    pub fn code(self) -> &'static str {
        match self {
            PlatformReserves::Enabled => "enabled",
            PlatformReserves::EnabledByDefault => "enabled_by_default",
            PlatformReserves::Disabled => "disabled",
            PlatformReserves::Unknown => "unknown",
        }
    }
}

/// What Stripe does about a connected account's negative balance, from the account's
/// `settings.payouts.debit_negative_balances`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NegativeBalanceReclaim {
    /// `true`: Stripe tries to debit the account's bank account (where its country allows).
    FromBank,
    /// `false`: Stripe does not; the balance stays negative until the account earns more,
    /// the platform tops it up, or the reserve zeroes it after 180 days.
    NotFromBank,
    /// The setting was not given.
    #[default]
    Unknown,
}

impl NegativeBalanceReclaim {
    /// The setting's value, when given.
    pub fn from_setting(debit_negative_balances: Option<bool>) -> NegativeBalanceReclaim {
        match debit_negative_balances {
            Some(true) => NegativeBalanceReclaim::FromBank,
            Some(false) => NegativeBalanceReclaim::NotFromBank,
            None => NegativeBalanceReclaim::Unknown,
        }
    }

    /// Reads an Account object's `settings.payouts.debit_negative_balances`, and when it is
    /// absent, the default Stripe documents for it from `controller.requirement_collection`.
    ///
    /// Source: Stripe's Account object reference (v1),
    /// `settings.payouts.debit_negative_balances`: "The default value is `false` when
    /// `controller.requirement_collection` is `application`, which includes Custom
    /// accounts, otherwise `true`." `requirement_collection` is "only returned when the
    /// Connect application retrieving the resource controls the account", so its absence
    /// says nothing: absent, or a value the reference does not list, the setting stays
    /// [`NegativeBalanceReclaim::Unknown`].
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::stripe::NegativeBalanceReclaim;
    ///
    /// assert_eq!(NegativeBalanceReclaim::from_account_fields(None, Some("application")), NegativeBalanceReclaim::NotFromBank);
    /// assert_eq!(NegativeBalanceReclaim::from_account_fields(None, Some("stripe")), NegativeBalanceReclaim::FromBank);
    /// assert_eq!(NegativeBalanceReclaim::from_account_fields(Some(true), Some("application")), NegativeBalanceReclaim::FromBank);
    /// assert_eq!(NegativeBalanceReclaim::from_account_fields(None, None), NegativeBalanceReclaim::Unknown);
    /// ```
    pub fn from_account_fields(
        debit_negative_balances: Option<bool>,
        requirement_collection: Option<&str>,
    ) -> NegativeBalanceReclaim {
        match (debit_negative_balances, requirement_collection) {
            (Some(_), _) => NegativeBalanceReclaim::from_setting(debit_negative_balances),
            (None, Some("application")) => NegativeBalanceReclaim::NotFromBank,
            (None, Some("stripe")) => NegativeBalanceReclaim::FromBank,
            (None, _) => NegativeBalanceReclaim::Unknown,
        }
    }

    /// A stable snake_case code: `from_bank`, `not_from_bank`, `unknown`.
    pub fn code(self) -> &'static str {
        match self {
            NegativeBalanceReclaim::FromBank => "from_bank",
            NegativeBalanceReclaim::NotFromBank => "not_from_bank",
            NegativeBalanceReclaim::Unknown => "unknown",
        }
    }
}
