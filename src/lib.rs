//! Decide, offline and exactly, whether a Stripe Connect platform can debit a connected
//! account with Stripe managed risk, and what the debit will do.
//!
//! An *Account Debit* is a Transfer created on the connected account (authenticated with
//! the `Stripe-Account` header) whose destination is the platform, carrying a
//! `reference_transaction`: a Charge, Payment or Payout of that same connected account. It
//! appears as a Payment on the platform; when it takes the connected balance below zero,
//! Stripe holds a reserve on the platform balance. This crate is the rules engine: value
//! types that cannot hold invalid values, and [`plan_debit`], which returns a validated
//! [`DebitPlan`] (transfer, payment, reserve hold, balance effects, the exact Stripe request)
//! or a [`Rejection`] naming every rule broken. It does no I/O.
//!
//! # Example
//!
//! ```
//! use iso_currency::Currency;
//! use rust_decimal::Decimal;
//! use stripe_account_debits::*;
//!
//! let platform = Account::new("acct_1Platform".parse()?, "DE".parse()?, Currency::EUR, LossLiability::Stripe);
//! let connected = Account::new("acct_1Seller".parse()?, "FR".parse()?, Currency::EUR, LossLiability::Stripe)
//!     .with_verified_bank_account(Currency::EUR);
//! let balance = Balance::new([Money::from_minor(300, Currency::EUR)?])?;
//! let debit = Debit::new(
//!     "refund-7781".parse()?,
//!     Decimal::new(500, 2), // 5.00 EUR
//!     Currency::EUR,
//!     ReferenceTransaction::new("ch_3Mb8rT2eZvKYlo2C0kYtP0lE".parse()?, connected.id()),
//! );
//! let consent = Consent::granted(Timestamp::from_unix(1_700_000_000), "agreement-42".parse()?);
//! let request = DebitRequest::new(platform, connected, balance, debit, Timestamp::from_unix(1_764_000_000))
//!     .with_consent(consent);
//!
//! let plan = plan_debit(&request)?;
//! // 3.00 EUR were available: the debit takes the balance to -2.00, and Stripe holds
//! // 2.00 EUR of reserves on the platform.
//! assert_eq!(plan.connected_available().after().minor(), -200);
//! assert_eq!(plan.reserve_hold().map(|r| r.amount().minor()), Some(200));
//! assert_eq!(plan.request().form()[3], ("reference_transaction[type]", "charge"));
//!
//! // Without consent, the same debit is rejected, naming the rule.
//! let request = DebitRequest::new(*request.platform(), *request.connected(),
//!     request.connected_balance().clone(), *request.debit(), request.at());
//! let rejection = plan_debit(&request).unwrap_err();
//! assert_eq!(rejection.codes().collect::<Vec<_>>(), ["consent_missing"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules
//!
//! Checked in this order; a [`Rejection`] lists every one broken. Source: Stripe,
//! "Debiting accounts on Stripe managed risk", unless noted.
//!
//! | # | code | when | source |
//! | --- | --- | --- | --- |
//! | 1 | `loss_liability_not_stripe` | `controller.losses.payments` is `"application"` | "Requirements": such accounts use the other debit flow |
//! | 1 | `loss_liability_unknown` | the account does not say; without `controller.losses`, `controller.type == "account"` or `type == "standard"` means Stripe | Account object reference; controller-properties migration table |
//! | 2 | `same_account` | platform and connected account are one account | a transfer to oneself is no debit |
//! | 3 | `platform_region_unsupported`, `connected_region_unsupported` | outside Australia, Canada, Europe, Hong Kong, Japan, New Zealand, the US | intro |
//! | 4 | `region_mismatch` | both supported, different regions | intro, "Requirements" |
//! | 5 | `currency_mismatch` | debit currency is not the connected default currency | "Requirements" |
//! | 5 | `currency_unsupported` | the currency has no minor unit on Stripe | "Supported currencies" |
//! | 6 | `amount_not_positive`, `amount_too_precise`, `amount_out_of_range` | amount <= 0; more decimals than Stripe allows; wire amount or balance arithmetic beyond `i64` | "Supported currencies" |
//! | 7 | `reference_kind_unsupported` | the reference is not a `ch_`, `py_` or `po_` | "Transferring from a connected account" |
//! | 8 | `reference_other_account` | the reference was created on another account | same |
//! | 9 | `consent_missing`, `consent_not_yet_valid`, `consent_revoked` | no valid consent at the time of the debit | intro: "legally binding consent" |
//!
//! Advisory (the plan still stands): `bank_account_unverified`, when no verified bank
//! account in the debit currency is on file ("verify the connected account's bank before
//! using Account Debits").
//!
//! # Choices where Stripe is unclear
//!
//! - "Europe" is the EU 27, Iceland, Liechtenstein, Norway, the United Kingdom, Switzerland
//!   and Gibraltar ([`Region`]).
//! - Stripe's integer amount is taken to be a 64-bit signed integer of minor units.
//! - Consent holds from the second it is granted up to, not including, the second it is
//!   revoked ([`Consent::status_at`]).
//! - A reserve is the growth of the negative part of the connected balance
//!   ([`DebitPlan::reserve_hold`]); a currency the balance does not list counts as zero.
//! - Only a bank account with `status: "verified"` counts as verified.
//!
//! # Features
//!
//! - `arbitrary`: `arbitrary::Arbitrary` for the value types and [`DebitRequest`], biased
//!   towards the edges (ids that collide, amounts at the limits of `i64` and `Decimal`,
//!   consent at the second of the debit), for fuzzing.
//! - `serde`: the JSON boundary in [`json`]: read a scenario of Stripe objects pasted as
//!   they come, and write a plan or rejection as JSON.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod account;
mod balance;
mod consent;
pub mod currency;
mod debit;
pub mod demo;
mod id;
mod inline;
mod money;
mod plan;
mod reference;
mod region;
mod request;
mod rules;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "serde")]
pub mod json;
#[cfg(feature = "serde")]
mod serde;

pub use account::{Account, LossLiability};
pub use balance::{Balance, BalanceError};
pub use consent::{Consent, ConsentError, ConsentStatus, Evidence, MAX_EVIDENCE_LEN, Timestamp};
pub use currency::CurrencyError;
pub use debit::{Debit, DebitId, DebitIdError, DebitRequest, MAX_DEBIT_ID_LEN};
pub use id::{AccountId, IdError, MAX_ID_LEN, ObjectKind, TransactionId};
pub use money::{Money, MoneyError};
pub use plan::{
    Advisories, Advisory, BalanceChange, DebitPlan, Payment, ReserveHold, Transfer, plan_debit,
};
pub use reference::{ReferenceTransaction, ReferenceType};
pub use region::{Country, CountryError, Region};
pub use request::{IdempotencyKey, MAX_IDEMPOTENCY_KEY_LEN, TransferRequest};
pub use rules::{Rejection, Violation};

/// The README's examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use iso_currency::Currency;
pub use rust_decimal::Decimal;
