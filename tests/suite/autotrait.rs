//! Every public type is `Send + Sync` and `Debug`; the small value types are `Copy`, so a
//! plan can be made and passed around without allocating.

use std::fmt::Debug;

use stripe_account_debits::consent::{Consent, ConsentError, ConsentStatus, Evidence};
use stripe_account_debits::currency::{CurrencyError, CurrencySet, StripeCurrency, WireCode};
use stripe_account_debits::money::{BalanceEffect, MoneyError};
use stripe_account_debits::stripe::{
    Account, Balance, BalanceError, Country, CountryError, IdError, LossLiability, ObjectKind,
    ReferenceTransaction, ReferenceType, Region,
};
use stripe_account_debits::*;

fn send_sync_debug<T: Send + Sync + Debug>() {}
fn copy<T: Copy>() {}

#[test]
fn public_types_are_send_sync_and_debug() {
    send_sync_debug::<Account>();
    send_sync_debug::<AccountId>();
    send_sync_debug::<Advisories>();
    send_sync_debug::<Advisory>();
    send_sync_debug::<Balance>();
    send_sync_debug::<BalanceEffect>();
    send_sync_debug::<BalanceError>();
    send_sync_debug::<Consent>();
    send_sync_debug::<ConsentError>();
    send_sync_debug::<ConsentStatus>();
    send_sync_debug::<Country>();
    send_sync_debug::<CountryError>();
    send_sync_debug::<CurrencyError>();
    send_sync_debug::<CurrencySet>();
    send_sync_debug::<Debit>();
    send_sync_debug::<DebitId>();
    send_sync_debug::<DebitIdError>();
    send_sync_debug::<DebitPlan>();
    send_sync_debug::<DebitInput>();
    send_sync_debug::<Evidence>();
    send_sync_debug::<IdError>();
    send_sync_debug::<IdempotencyKey>();
    send_sync_debug::<LossLiability>();
    send_sync_debug::<Money>();
    send_sync_debug::<MoneyError>();
    send_sync_debug::<ObjectKind>();
    send_sync_debug::<Payment>();
    send_sync_debug::<ReferenceTransaction>();
    send_sync_debug::<ReferenceType>();
    send_sync_debug::<Region>();
    send_sync_debug::<Rejection>();
    send_sync_debug::<ReserveHold>();
    send_sync_debug::<Timestamp>();
    send_sync_debug::<TransactionId>();
    send_sync_debug::<Transfer>();
    send_sync_debug::<StripeRequest<'static>>();
    send_sync_debug::<StripeCurrency>();
    send_sync_debug::<Violation>();
    send_sync_debug::<WireCode>();
}

#[cfg(feature = "serde")]
#[test]
fn json_types_are_send_sync_and_debug() {
    send_sync_debug::<json::ReadError>();
    send_sync_debug::<json::Outcome>();
    send_sync_debug::<json::ReplyDecision>();
    send_sync_debug::<json::FindResult>();
    send_sync_debug::<json::ReversalResult>();
    send_sync_debug::<json::BatchResult>();
    send_sync_debug::<json::BookResult>();
}

#[test]
fn value_types_are_copy() {
    copy::<Account>();
    copy::<AccountId>();
    copy::<Advisory>();
    copy::<Country>();
    copy::<CurrencySet>();
    copy::<Debit>();
    copy::<DebitId>();
    copy::<DebitPlan>();
    copy::<IdError>();
    copy::<IdempotencyKey>();
    copy::<LossLiability>();
    copy::<Money>();
    copy::<ObjectKind>();
    copy::<Payment>();
    copy::<ReferenceTransaction>();
    copy::<Region>();
    copy::<ReserveHold>();
    copy::<Timestamp>();
    copy::<TransactionId>();
    copy::<Transfer>();
    copy::<StripeRequest<'static>>();
    copy::<Violation>();
    copy::<WireCode>();
}

#[test]
fn errors_are_std_errors() {
    fn error<E: std::error::Error + Send + Sync + 'static>() {}
    error::<BalanceError>();
    error::<ConsentError>();
    error::<CountryError>();
    error::<CurrencyError>();
    error::<DebitIdError>();
    error::<IdError>();
    error::<MoneyError>();
    error::<Rejection>();
}

/// The cost of `Copy` value types with inline ids, as `src/value/inline.rs` and the README
/// state it: a change of size is a deliberate change, made here and there at once.
#[test]
fn sizes_of_the_copy_value_types() {
    use std::mem::size_of;
    let sizes = [
        ("AccountId", size_of::<AccountId>()),
        ("TransactionId", size_of::<TransactionId>()),
        ("Money", size_of::<Money>()),
        ("Violation", size_of::<Violation>()),
        ("DebitPlan", size_of::<DebitPlan>()),
        ("BalanceEffect", size_of::<BalanceEffect>()),
        ("Advisories", size_of::<Advisories>()),
        ("IdempotencyKey", size_of::<IdempotencyKey>()),
        ("StripeRequest", size_of::<StripeRequest<'static>>()),
    ];
    assert_eq!(
        sizes,
        [
            ("AccountId", 65),
            ("TransactionId", 66),
            ("Money", 16),
            ("Violation", 200),
            ("DebitPlan", 432),
            ("BalanceEffect", 32),
            ("Advisories", 80),
            ("IdempotencyKey", 256),
            ("StripeRequest", 40),
        ]
    );
}
