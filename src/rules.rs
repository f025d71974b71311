//! The rules of an Account Debit: each one once, in the order a rejection lists them, with
//! the Stripe source it comes from.
//!
//! Source for every rule unless noted: Stripe, "Debiting accounts on Stripe managed risk"
//! (the seed document of this crate), sections "Requirements" and "Transferring from a
//! connected account".

use core::fmt;

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::account::LossLiability;
use crate::consent::{ConsentStatus, Timestamp};
use crate::currency::{self, WireCode};
use crate::debit::DebitRequest;
use crate::id::{AccountId, ObjectKind, TransactionId};
use crate::money::{AmountCheck, Money};
use crate::reference::ReferenceType;
use crate::region::{Country, Region};

/// One broken rule: what a caller branches on when a debit is rejected.
///
/// Variants are listed in the order [`Rejection`] reports them; [`Violation::CODES`] has
/// their codes in that order.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Violation, Timestamp};
///
/// let v = Violation::ConsentRevoked {
///     revoked_at: Timestamp::from_unix(10),
///     at: Timestamp::from_unix(20),
/// };
/// assert_eq!(v.code(), "consent_revoked");
/// assert_eq!(v.to_string(), "consent was revoked at 10, at or before the debit time 20");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Violation {
    /// Rule 1: the platform bears the connected account's losses
    /// (`controller.losses.payments == "application"`); such accounts are debited through
    /// the flow for platform-managed risk ("Requirements").
    LossLiabilityNotStripe {
        /// The connected account.
        account: AccountId,
    },
    /// Rule 1: the connected account does not say who bears its losses.
    LossLiabilityUnknown {
        /// The connected account.
        account: AccountId,
    },
    /// Rule 2: the platform and the connected account are one account: a transfer to
    /// oneself is no debit.
    SameAccount {
        /// The account.
        account: AccountId,
    },
    /// Rule 3: the platform is outside the regions that offer Account Debits ("available
    /// in Australia, Canada, Europe, Hong Kong, Japan, New Zealand, and the US").
    PlatformRegionUnsupported {
        /// The platform's country.
        country: Country,
    },
    /// Rule 3: the connected account is outside those regions.
    ConnectedRegionUnsupported {
        /// The connected account's country.
        country: Country,
    },
    /// Rule 4: both regions offer Account Debits, but they differ ("Stripe supports Account
    /// Debits only when both your platform and the connected account are in the same
    /// region").
    RegionMismatch {
        /// The platform's region.
        platform: Region,
        /// The connected account's region.
        connected: Region,
    },
    /// Rule 5: the debit is not in the connected account's default currency ("The currency
    /// value must match the default currency of the connected account").
    CurrencyMismatch {
        /// The debit's currency.
        currency: Currency,
        /// The connected account's default currency.
        default_currency: Currency,
    },
    /// Rule 5: the debit's currency has no minor unit on Stripe, so no amount of it can be
    /// sent (Stripe, "Supported currencies"). The amount rules are not judged then.
    CurrencyUnsupported {
        /// The debit's currency.
        currency: Currency,
    },
    /// Rule 6: the amount is zero or negative: a debit moves money to the platform.
    AmountNotPositive {
        /// The amount asked for.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// Rule 6: the amount has more decimals than Stripe allows for its currency (Stripe,
    /// "Supported currencies"); it is never rounded.
    AmountTooPrecise {
        /// The amount asked for.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The most decimals allowed.
        decimal_places: u32,
    },
    /// Rule 6: the wire amount does not fit Stripe's integer amount (a 64-bit signed
    /// integer here), or the connected balance minus it would not.
    AmountOutOfRange {
        /// The amount asked for.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The available balance, when it is the balance arithmetic that overflows.
        balance: Option<Money>,
    },
    /// Rule 7: the reference is not a Charge (`ch_`), Payment (`py_`) or Payout (`po_`)
    /// ("the provided transaction must be a Charge, Payment, or Payout").
    ReferenceKindUnsupported {
        /// The reference given.
        reference: TransactionId,
    },
    /// Rule 8: the reference was created on another account than the one debited
    /// ("created on the same connected account being debited").
    ReferenceOtherAccount {
        /// The reference given.
        reference: TransactionId,
        /// The account it was created on.
        created_on: AccountId,
        /// The account being debited.
        debited: AccountId,
    },
    /// Rule 9: no consent is on record ("Using Account Debits requires getting legally
    /// binding consent from your connected accounts").
    ConsentMissing,
    /// Rule 9: consent was granted only after the time of the debit.
    ConsentNotYetValid {
        /// When consent was granted.
        granted_at: Timestamp,
        /// The time of the debit.
        at: Timestamp,
    },
    /// Rule 9: consent was revoked at or before the time of the debit.
    ConsentRevoked {
        /// When consent was revoked.
        revoked_at: Timestamp,
        /// The time of the debit.
        at: Timestamp,
    },
}

impl Violation {
    /// Every code, in the order a [`Rejection`] lists violations.
    pub const CODES: [&'static str; 16] = [
        "loss_liability_not_stripe",
        "loss_liability_unknown",
        "same_account",
        "platform_region_unsupported",
        "connected_region_unsupported",
        "region_mismatch",
        "currency_mismatch",
        "currency_unsupported",
        "amount_not_positive",
        "amount_too_precise",
        "amount_out_of_range",
        "reference_kind_unsupported",
        "reference_other_account",
        "consent_missing",
        "consent_not_yet_valid",
        "consent_revoked",
    ];

    /// A stable snake_case code, one per rule.
    pub fn code(&self) -> &'static str {
        match self {
            Violation::LossLiabilityNotStripe { .. } => "loss_liability_not_stripe",
            Violation::LossLiabilityUnknown { .. } => "loss_liability_unknown",
            Violation::SameAccount { .. } => "same_account",
            Violation::PlatformRegionUnsupported { .. } => "platform_region_unsupported",
            Violation::ConnectedRegionUnsupported { .. } => "connected_region_unsupported",
            Violation::RegionMismatch { .. } => "region_mismatch",
            Violation::CurrencyMismatch { .. } => "currency_mismatch",
            Violation::CurrencyUnsupported { .. } => "currency_unsupported",
            Violation::AmountNotPositive { .. } => "amount_not_positive",
            Violation::AmountTooPrecise { .. } => "amount_too_precise",
            Violation::AmountOutOfRange { .. } => "amount_out_of_range",
            Violation::ReferenceKindUnsupported { .. } => "reference_kind_unsupported",
            Violation::ReferenceOtherAccount { .. } => "reference_other_account",
            Violation::ConsentMissing => "consent_missing",
            Violation::ConsentNotYetValid { .. } => "consent_not_yet_valid",
            Violation::ConsentRevoked { .. } => "consent_revoked",
        }
    }

    /// Where this violation's code stands in [`Violation::CODES`].
    pub fn position(&self) -> usize {
        let code = self.code();
        Violation::CODES
            .iter()
            .position(|c| *c == code)
            .unwrap_or(Violation::CODES.len())
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::LossLiabilityNotStripe { account } => write!(
                f,
                "connected account {account} has platform-managed risk \
                 (controller.losses.payments is \"application\"): debit it through the \
                 flow for platform-managed accounts"
            ),
            Violation::LossLiabilityUnknown { account } => write!(
                f,
                "connected account {account} does not say who bears its losses \
                 (no controller.losses.payments, controller.type \"account\" or type \"standard\")"
            ),
            Violation::SameAccount { account } => write!(
                f,
                "the platform and the connected account are the same account {account}"
            ),
            Violation::PlatformRegionUnsupported { country } => write!(
                f,
                "account debits are not available to a platform in {country}"
            ),
            Violation::ConnectedRegionUnsupported { country } => write!(
                f,
                "account debits are not available for a connected account in {country}"
            ),
            Violation::RegionMismatch {
                platform,
                connected,
            } => write!(
                f,
                "the platform is in {platform} but the connected account is in {connected}: \
                 both must be in the same region"
            ),
            Violation::CurrencyMismatch {
                currency,
                default_currency,
            } => write!(
                f,
                "the debit is in {} but the connected account's default currency is {}",
                WireCode::of(*currency),
                WireCode::of(*default_currency)
            ),
            Violation::CurrencyUnsupported { currency } => write!(
                f,
                "currency {} has no minor unit on stripe",
                WireCode::of(*currency)
            ),
            Violation::AmountNotPositive { amount, currency } => write!(
                f,
                "the debit amount {amount} {} is not positive",
                WireCode::of(*currency)
            ),
            Violation::AmountTooPrecise {
                amount,
                currency,
                decimal_places,
            } => write!(
                f,
                "the debit amount {amount} {} has more than {decimal_places} decimal places",
                WireCode::of(*currency)
            ),
            Violation::AmountOutOfRange {
                amount,
                currency,
                balance: None,
            } => write!(
                f,
                "the debit amount {amount} {} does not fit stripe's integer amount",
                WireCode::of(*currency)
            ),
            Violation::AmountOutOfRange {
                amount,
                currency,
                balance: Some(balance),
            } => write!(
                f,
                "the debit amount {amount} {} would take the available balance of {} \
                 below the smallest integer amount",
                WireCode::of(*currency),
                balance.amount()
            ),
            Violation::ReferenceKindUnsupported { reference } => match reference.kind() {
                ObjectKind::PaymentIntent => write!(
                    f,
                    "reference transaction {reference} is a payment intent: use its latest \
                     charge instead"
                ),
                kind => write!(
                    f,
                    "reference transaction {reference} is a {kind}, not a charge, payment \
                     or payout"
                ),
            },
            Violation::ReferenceOtherAccount {
                reference,
                created_on,
                debited,
            } => write!(
                f,
                "reference transaction {reference} was created on {created_on}, not on the \
                 debited account {debited}"
            ),
            Violation::ConsentMissing => {
                f.write_str("no consent from the connected account to be debited is on record")
            }
            Violation::ConsentNotYetValid { granted_at, at } => write!(
                f,
                "consent was granted at {granted_at}, after the debit time {at}"
            ),
            Violation::ConsentRevoked { revoked_at, at } => write!(
                f,
                "consent was revoked at {revoked_at}, at or before the debit time {at}"
            ),
        }
    }
}

/// Why a debit cannot be planned: every rule it breaks, in the order of
/// [`Violation::CODES`], never empty.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Violation;
///
/// // Rejections come from `plan_debit`; see the crate example.
/// assert_eq!(Violation::CODES[0], "loss_liability_not_stripe");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rejection {
    violations: Vec<Violation>,
}

impl Rejection {
    /// The broken rules, in order; never empty.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether the rule with `code` is among those broken.
    pub fn breaks(&self, code: &str) -> bool {
        self.violations.iter().any(|v| v.code() == code)
    }

    /// The codes of the broken rules, in order.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.violations.iter().map(Violation::code)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("debit rejected: ")?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejection {}

/// What the rules established about a debit they let through.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accepted {
    pub(crate) amount: Money,
    pub(crate) reference_type: ReferenceType,
    pub(crate) balance_before: Money,
    pub(crate) balance_after: Money,
    /// `neg(after) - neg(before)`, with `neg(x) = max(0, -x)`.
    pub(crate) reserve: Money,
}

/// The part of the connected balance below zero, as a positive number.
fn negative_part(minor: i128) -> i128 {
    minor.min(0).saturating_neg()
}

/// Judges `request` against every rule, in order.
pub(crate) fn judge(request: &DebitRequest) -> Result<Accepted, Rejection> {
    let mut violations = Vec::new();
    let platform = request.platform();
    let connected = request.connected();
    let debit = request.debit();

    // Rule 1.
    match connected.loss_liability() {
        LossLiability::Stripe => {}
        LossLiability::Platform => violations.push(Violation::LossLiabilityNotStripe {
            account: connected.id(),
        }),
        LossLiability::Unknown => violations.push(Violation::LossLiabilityUnknown {
            account: connected.id(),
        }),
    }

    // Rule 2.
    if platform.is(connected) {
        violations.push(Violation::SameAccount {
            account: connected.id(),
        });
    }

    // Rules 3 and 4.
    let platform_region = Region::of(platform.country());
    let connected_region = Region::of(connected.country());
    if platform_region.is_none() {
        violations.push(Violation::PlatformRegionUnsupported {
            country: platform.country(),
        });
    }
    if connected_region.is_none() {
        violations.push(Violation::ConnectedRegionUnsupported {
            country: connected.country(),
        });
    }
    if let (Some(p), Some(c)) = (platform_region, connected_region)
        && p != c
    {
        violations.push(Violation::RegionMismatch {
            platform: p,
            connected: c,
        });
    }

    // Rule 5.
    let currency = debit.currency();
    if currency != connected.default_currency() {
        violations.push(Violation::CurrencyMismatch {
            currency,
            default_currency: connected.default_currency(),
        });
    }
    let units = currency::units(currency);
    if units.is_none() {
        violations.push(Violation::CurrencyUnsupported { currency });
    }

    // Rule 6: the amount, then the balance arithmetic it drives.
    let amount = debit.amount();
    let mut checked = None;
    if let Some(units) = units {
        let check = AmountCheck::of(amount, units);
        let positive = !amount.is_zero() && !amount.is_sign_negative();
        if !positive {
            violations.push(Violation::AmountNotPositive { amount, currency });
        }
        if check.too_precise {
            violations.push(Violation::AmountTooPrecise {
                amount,
                currency,
                decimal_places: units.decimal_places(),
            });
        }
        if check.out_of_range {
            violations.push(Violation::AmountOutOfRange {
                amount,
                currency,
                balance: None,
            });
        }
        if let Some(minor) = check.minor.filter(|_| positive) {
            let balance = request.connected_balance().available(currency);
            match balance_effect(balance, Money::from_checked_minor(minor, currency)) {
                Ok(effect) => checked = Some(effect),
                Err(before) => violations.push(Violation::AmountOutOfRange {
                    amount,
                    currency,
                    balance: before,
                }),
            }
        }
    }

    // Rule 7.
    let reference = debit.reference();
    let reference_type = reference.reference_type();
    if reference_type.is_none() {
        violations.push(Violation::ReferenceKindUnsupported {
            reference: reference.id(),
        });
    }

    // Rule 8.
    if !reference.is_on(connected) {
        violations.push(Violation::ReferenceOtherAccount {
            reference: reference.id(),
            created_on: reference.account(),
            debited: connected.id(),
        });
    }

    // Rule 9.
    let at = request.at();
    match request.consent() {
        None => violations.push(Violation::ConsentMissing),
        Some(consent) => match consent.status_at(at) {
            ConsentStatus::Valid => {}
            ConsentStatus::NotYetValid => violations.push(Violation::ConsentNotYetValid {
                granted_at: consent.granted_at(),
                at,
            }),
            ConsentStatus::Revoked => violations.push(Violation::ConsentRevoked {
                revoked_at: consent.revoked().unwrap_or(at),
                at,
            }),
        },
    }

    match (checked, reference_type) {
        (Some((amount, before, after, reserve)), Some(reference_type)) if violations.is_empty() => {
            Ok(Accepted {
                amount,
                reference_type,
                balance_before: before,
                balance_after: after,
                reserve,
            })
        }
        _ => Err(Rejection { violations }),
    }
}

/// What a debit of `amount` does to the connected balance `balance` (in the debit's
/// currency; `None` when the balance does not list it, which counts as zero):
/// `(amount, before, after, reserve)`. `Err` carries the balance before when the result
/// would leave the range of Stripe amounts.
///
/// Stripe holds a reserve on the platform for what the debit takes below zero ("If a
/// connected account balance becomes negative as a result of the account debit, we will
/// hold the appropriate amount of reserves on the platform balance"): the growth of the
/// negative part, `neg(after) - neg(before)` with `neg(x) = max(0, -x)`. So a balance that
/// was already negative reserves the whole debit, and one that stays at or above zero
/// reserves nothing.
fn balance_effect(
    balance: Option<Money>,
    amount: Money,
) -> Result<(Money, Money, Money, Money), Option<Money>> {
    let before = balance.unwrap_or(Money::from_checked_minor(0, amount.currency()));
    let before_minor = i128::from(before.minor());
    // Differences of two i64 values always fit an i128; `checked_` keeps that visible.
    let effect = before_minor
        .checked_sub(i128::from(amount.minor()))
        .and_then(|after| {
            let reserve = negative_part(after).checked_sub(negative_part(before_minor))?;
            Some((amount.derived(after)?, amount.derived(reserve)?))
        });
    match effect {
        Some((after, reserve)) => Ok((amount, before, after, reserve)),
        None => Err(Some(before)),
    }
}
