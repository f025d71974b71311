//! Builders shared by the integration tests: a valid input, and ways to break it.
#![allow(dead_code)]

pub mod invariants;

use stripe_account_debits::consent::Consent;
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, Platform, PlatformReserves, ReferenceTransaction,
};
use stripe_account_debits::*;

pub const PLATFORM: &str = "acct_1Platform";
pub const CONNECTED: &str = "acct_1Connected";

#[track_caller]
pub fn account(id: &str, country: &str, currency: Currency, liability: LossLiability) -> Account {
    Account::new(
        id.parse().unwrap(),
        country.parse().unwrap(),
        currency,
        liability,
    )
}

/// A valid scenario, field by field, so that a test can change one thing.
#[derive(Clone)]
pub struct Scenario {
    pub platform: Account,
    pub connected: Account,
    pub balance: Vec<(i64, Currency)>,
    pub consent: Option<Consent>,
    pub debit_id: &'static str,
    pub amount: Decimal,
    pub currency: Currency,
    pub reference: &'static str,
    pub reference_account: &'static str,
    pub at: i64,
    /// No reference transaction at all (`reference` is then not read).
    pub no_reference: bool,
    pub purpose: Option<Purpose>,
    pub reserves: PlatformReserves,
    /// Whether the platform says its arrangement with Stripe lets a debit of a
    /// platform-managed account go below zero.
    pub negative_allowed: bool,
    pub cap: Option<Money>,
    /// The flow the caller allows; `None` lets `plan_debit` choose.
    pub flow: Option<Flow>,
}

impl Scenario {
    /// The valid scenario every test starts from.
    pub fn base() -> Self {
        Scenario {
            platform: account(PLATFORM, "US", Currency::USD, LossLiability::Stripe),
            connected: account(CONNECTED, "US", Currency::USD, LossLiability::Stripe)
                .with_verified_bank_account(Currency::USD),
            balance: vec![(1000, Currency::USD)],
            consent: Some(Consent::granted(
                Timestamp::from_unix(1_000),
                "agreement-42".parse().unwrap(),
            )),
            debit_id: "recovery-42",
            amount: Decimal::new(500, 2),
            currency: Currency::USD,
            reference: "ch_1Charge",
            reference_account: CONNECTED,
            at: 2_000,
            no_reference: false,
            purpose: None,
            reserves: PlatformReserves::Unknown,
            negative_allowed: false,
            cap: None,
            flow: None,
        }
    }

    /// A valid debit of an account whose losses the platform bears: a recovery, with no
    /// reference, from a platform with connected reserves enabled.
    pub fn platform_managed() -> Self {
        Scenario {
            connected: account(CONNECTED, "US", Currency::USD, LossLiability::Platform)
                .with_verified_bank_account(Currency::USD),
            no_reference: true,
            purpose: Some(Purpose::Recovery),
            reserves: PlatformReserves::Enabled,
            ..Scenario::base()
        }
    }

    #[track_caller]
    pub fn input(&self) -> DebitInput {
        let balance = Balance::new(
            self.balance
                .iter()
                .map(|(minor, c)| Money::from_minor(*minor, *c).unwrap()),
        )
        .unwrap();
        let id = self.debit_id.parse().unwrap();
        let mut debit = if self.no_reference {
            Debit::without_reference(id, self.amount, self.currency)
        } else {
            Debit::new(
                id,
                self.amount,
                self.currency,
                ReferenceTransaction::new(
                    self.reference.parse().unwrap(),
                    self.reference_account.parse().unwrap(),
                ),
            )
        };
        if let Some(purpose) = self.purpose {
            debit = debit.with_purpose(purpose);
        }
        let mut input = DebitInput::new(
            Platform::new(self.platform),
            Connected::new(self.connected),
            balance,
            debit,
            Timestamp::from_unix(self.at),
        )
        .with_platform_reserves(self.reserves)
        .with_negative_balances_allowed(self.negative_allowed);
        if let Some(cap) = self.cap {
            input = input.with_amount_cap(cap);
        }
        match self.consent.clone() {
            Some(c) => input.with_consent(c),
            None => input,
        }
    }

    #[track_caller]
    pub fn plan(&self) -> Result<DebitPlan, Rejection> {
        match self.flow {
            None => plan_debit(&self.input()),
            Some(flow) => plan_debit_as(flow, &self.input()),
        }
    }

    /// The codes of the rejection; panics when the scenario plans.
    #[track_caller]
    pub fn codes(&self) -> Vec<&'static str> {
        match self.plan() {
            Ok(plan) => panic!("expected a rejection, got {plan:?}"),
            Err(r) => r.codes().collect(),
        }
    }
}

/// Asserts that `$value` is the variant `$Variant` with these fields (the variants are
/// `#[non_exhaustive]`, so a test cannot build one to compare with). The expected values
/// are evaluated outside the match, so a field never shadows a variable of the same name.
macro_rules! assert_variant {
    ($value:expr, $($Variant:ident)::+ { $($field:ident : $expected:expr),* $(,)? }) => {
        let expected = ($($expected,)*);
        let actual = match $value {
            $($Variant)::+ { $($field,)* .. } => ($($field,)*),
            #[allow(unreachable_patterns)]
            other => panic!("expected {}, got {other:?}", stringify!($($Variant)::+)),
        };
        assert_eq!(actual, expected, "fields {}", stringify!($($field),*));
    };
}
pub(crate) use assert_variant;
