//! The checks every debit flow shares, one small function per rule (and per advisory),
//! named after its code, each returning its violation (or advisory) or nothing. They read
//! [`Facts`], what is derived from the input once (regions, the amount, the balance
//! effect), so that no check computes what another already did.

use rust_decimal::Decimal;

use crate::consent::ConsentStatus;
use crate::debit::input::InputRef;
use crate::debit::rules::{Advisory, Violation};
use crate::stripe::account::LossLiability;
use crate::stripe::region::Region;
use crate::value::currency::StripeCurrency;
use crate::value::money::{AmountCheck, BalanceEffect, EffectError, Money};

/// Declares the rules a flow judges, in the table's order, each with its check: defines
/// the flow's `RULES` (the kinds, in order) and its `judge`, which runs the checks in that
/// order as direct calls (so that they inline) and returns every violation found.
macro_rules! flow_rules {
    ($($kind:ident => $check:path),* $(,)?) => {
        /// The rules this flow judges, in the table's order.
        #[allow(dead_code)] // Read by the tests.
        pub(crate) const RULES: &[$crate::debit::rules::ViolationKind] =
            &[$($crate::debit::rules::ViolationKind::$kind),*];

        /// Every violation of [`RULES`] that `facts` show, in order.
        fn judge(facts: &$crate::debit::checks::Facts<'_>) -> Vec<$crate::debit::rules::Violation> {
            let mut violations = Vec::new();
            $(
                if let Some(violation) = $check(facts) {
                    debug_assert_eq!(
                        violation.kind(),
                        $crate::debit::rules::ViolationKind::$kind,
                        "a check reports its own rule"
                    );
                    if violations.is_empty() {
                        // One allocation for the whole rejection, not one per doubling.
                        violations.reserve_exact(RULES.len());
                    }
                    violations.push(violation);
                }
            )*
            violations
        }
    };
}
pub(crate) use flow_rules;

/// What the checks read: the input, and what is derived from it once. Every flow's checks
/// may read every field.
pub(crate) struct Facts<'a> {
    pub(crate) input: InputRef<'a>,
    pub(crate) platform_region: Option<Region>,
    pub(crate) connected_region: Option<Region>,
    /// The amount checked against the debit's currency, when Stripe moves it.
    pub(crate) amount: Option<AmountCheck>,
    /// What the debit does to the connected balance, when the amount is money and positive.
    pub(crate) effect: Option<Result<BalanceEffect, EffectError>>,
}

impl<'a> Facts<'a> {
    pub(crate) fn of(input: InputRef<'a>) -> Facts<'a> {
        let debit = input.debit();
        let currency = debit.stripe_currency();
        let amount = currency.map(|currency| AmountCheck::of(debit.amount(), currency));
        let effect = amount
            .and_then(|check| check.money)
            .filter(Money::is_positive)
            .map(|money| {
                let before = input
                    .connected_balance()
                    .available(money.currency())
                    // A currency the balance does not list counts as zero.
                    .unwrap_or(Money::zero_in(money.stripe_currency()));
                BalanceEffect::of_debit(before, money)
            });
        Facts {
            input,
            platform_region: Region::of(input.platform().country()),
            connected_region: Region::of(input.connected().country()),
            amount,
            effect,
        }
    }

    /// The debit's currency, when Stripe moves it (looked up when the debit was built).
    pub(crate) fn currency(&self) -> Option<StripeCurrency> {
        self.input.debit().stripe_currency()
    }

    /// The balance effect, when there is one (a flow plans with it once no rule is
    /// broken).
    pub(crate) fn effect(&self) -> Option<BalanceEffect> {
        self.effect.and_then(Result::ok)
    }

    fn amount_asked(&self) -> Decimal {
        self.input.debit().amount()
    }

    /// The connected available balance after the debit, when the debit takes it below
    /// zero.
    pub(crate) fn negative_after(&self) -> Option<Money> {
        self.effect().map(|e| e.after()).filter(Money::is_negative)
    }
}

/// `violations`, which a flow's checks found because the debit cannot be planned. Were they
/// none (a check missing what the plan needs: a bug, which debug builds stop at), the debit
/// is still refused, naming `missing` (the rule whose fact the plan lacks) or else
/// `amount_out_of_range`, rather than planned wrongly or rejected for no stated reason.
pub(crate) fn never_empty(
    mut violations: Vec<Violation>,
    facts: &Facts<'_>,
    missing: Option<Violation>,
) -> Vec<Violation> {
    debug_assert!(
        !violations.is_empty(),
        "no rule broken, yet nothing to plan"
    );
    if violations.is_empty() {
        let debit = facts.input.debit();
        violations.push(missing.unwrap_or(Violation::AmountOutOfRange {
            amount: debit.amount(),
            currency: debit.currency(),
            balance: None,
        }));
    }
    violations
}

pub(crate) fn loss_liability_unknown(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    (connected.loss_liability() == LossLiability::Unknown).then(|| {
        Violation::LossLiabilityUnknown {
            account: connected.id(),
        }
    })
}

pub(crate) fn same_account(facts: &Facts<'_>) -> Option<Violation> {
    let connected = facts.input.connected();
    facts
        .input
        .platform()
        .is(connected)
        .then(|| Violation::SameAccount {
            account: connected.id(),
        })
}

pub(crate) fn platform_region_unsupported(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .platform_region
        .is_none()
        .then(|| Violation::PlatformRegionUnsupported {
            country: facts.input.platform().country(),
        })
}

pub(crate) fn connected_region_unsupported(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .connected_region
        .is_none()
        .then(|| Violation::ConnectedRegionUnsupported {
            country: facts.input.connected().country(),
        })
}

pub(crate) fn region_mismatch(facts: &Facts<'_>) -> Option<Violation> {
    match (facts.platform_region, facts.connected_region) {
        (Some(platform_region), Some(connected_region)) if platform_region != connected_region => {
            Some(Violation::RegionMismatch {
                platform_region,
                connected_region,
            })
        }
        _ => None,
    }
}

pub(crate) fn currency_mismatch(facts: &Facts<'_>) -> Option<Violation> {
    let currency = facts.input.debit().currency();
    let default_currency = facts.input.connected().default_currency();
    (currency != default_currency).then_some(Violation::CurrencyMismatch {
        currency,
        default_currency,
    })
}

pub(crate) fn currency_unsupported(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .currency()
        .is_none()
        .then(|| Violation::CurrencyUnsupported {
            currency: facts.input.debit().currency(),
        })
}

/// Judged only in a currency Stripe moves (so with [`currency_unsupported`], no amount
/// rule).
pub(crate) fn amount_not_positive(facts: &Facts<'_>) -> Option<Violation> {
    let currency = facts.currency()?;
    let amount = facts.amount_asked();
    (amount.is_zero() || amount.is_sign_negative()).then(|| Violation::AmountNotPositive {
        amount,
        currency: currency.currency(),
    })
}

pub(crate) fn amount_too_precise(facts: &Facts<'_>) -> Option<Violation> {
    let (currency, check) = (facts.currency()?, facts.amount?);
    check.too_precise.then(|| Violation::AmountTooPrecise {
        amount: facts.amount_asked(),
        currency: currency.currency(),
        decimal_places: currency.decimal_places(),
    })
}

/// The wire amount itself, or else the connected balance less it, beyond Stripe's integer.
pub(crate) fn amount_out_of_range(facts: &Facts<'_>) -> Option<Violation> {
    let (currency, check) = (facts.currency()?, facts.amount?);
    let balance = match facts.effect {
        _ if check.out_of_range => None,
        Some(Err(EffectError::OutOfRange { before })) => Some(before),
        Some(Err(other)) => {
            // The effect is computed from a positive amount in the balance's currency.
            debug_assert!(false, "unexpected balance effect error: {other}");
            return None;
        }
        None | Some(Ok(_)) => return None,
    };
    Some(Violation::AmountOutOfRange {
        amount: facts.amount_asked(),
        currency: currency.currency(),
        balance,
    })
}

pub(crate) fn consent_missing(facts: &Facts<'_>) -> Option<Violation> {
    facts
        .input
        .consent()
        .is_none()
        .then(|| Violation::ConsentMissing {
            account: facts.input.connected().id(),
        })
}

pub(crate) fn consent_not_yet_valid(facts: &Facts<'_>) -> Option<Violation> {
    let consent = facts.input.consent()?;
    let at = facts.input.at();
    (consent.status_at(at) == ConsentStatus::NotYetValid).then(|| Violation::ConsentNotYetValid {
        granted_at: consent.granted_at(),
        at,
    })
}

pub(crate) fn consent_revoked(facts: &Facts<'_>) -> Option<Violation> {
    let at = facts.input.at();
    match facts.input.consent()?.status_at(at) {
        ConsentStatus::Revoked { revoked_at, .. } => {
            Some(Violation::ConsentRevoked { revoked_at, at })
        }
        _ => None,
    }
}

/// The advisory `bank_account_unverified`: no verified bank account in the debit currency
/// is on file for the connected account.
pub(crate) fn bank_account_unverified(facts: &Facts<'_>) -> Option<Advisory> {
    let connected = facts.input.connected();
    let currency = facts.input.debit().currency();
    (!connected.has_verified_bank_account(currency)).then(|| Advisory::BankAccountUnverified {
        account: connected.id(),
        currency,
        listed_in_full: connected.bank_account_list_complete(),
    })
}
