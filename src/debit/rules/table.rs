//! The rule table: every rule of every debit flow, and every advisory, once. An entry is a
//! rule's data, code, one-line summary, Stripe source and message; its place in the table
//! is its place in a rejection. Its check is a small function named after its code, in
//! [`crate::debit::checks`] when flows share it, in the flow's folder when they do not.
//!
//! Adding a rule: one entry here, one check function, one test in `tests/suite/rules.rs`;
//! the README's rules table is then regenerated from this one (a test prints it).
//!
//! Source, unless an entry says otherwise: Stripe, "Debiting accounts on Stripe managed
//! risk" (the seed document of this crate), sections "Requirements" and "Transferring from
//! a connected account".

use iso_currency::Currency;
use rust_decimal::Decimal;

use super::macros::rule_table;
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};
use crate::stripe::region::{Country, Region};
use crate::value::currency::WireCode;
use crate::value::money::Money;
use crate::value::time::Timestamp;

rule_table! {
    /// One broken rule: what a caller branches on when a debit is rejected.
    ///
    /// Variants are listed in the order a [`Rejection`](crate::Rejection) reports them;
    /// [`Violation::CODES`] has their codes in that order. Both the enum and each variant
    /// are `#[non_exhaustive]`: rules and their data may grow.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{demo, plan_debit, Violation, ViolationKind};
    ///
    /// let mut input = demo::input()?;
    /// input.set_at(stripe_account_debits::Timestamp::from_unix(1));
    /// let rejection = plan_debit(&input).unwrap_err();
    /// let violation = rejection.violations()[0];
    /// assert_eq!(violation.kind(), ViolationKind::ConsentNotYetValid);
    /// assert_eq!(violation.code(), "consent_not_yet_valid");
    /// assert_eq!(violation.to_string(), "consent was granted at 1700000000, after the debit time 1");
    /// assert!(matches!(violation, Violation::ConsentNotYetValid { granted_at, .. } if granted_at.unix() == 1_700_000_000));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Violation / ViolationKind {
        /// The platform bears the connected account's losses
        /// (`controller.losses.payments == "application"`): such accounts are debited
        /// through the flow for platform-managed risk.
        LossLiabilityNotStripe {
            /// The connected account.
            account: AccountId,
        } => {
            code: "loss_liability_not_stripe",
            when: "the platform bears the connected account's losses (`controller.losses.payments == \"application\"`)",
            source: "\"Requirements\": these accounts use the platform-managed debit flow",
            message: |f| write!(
                f,
                "connected account {account} has platform-managed risk \
                 (controller.losses.payments is \"application\"): debit it through the \
                 flow for platform-managed accounts"
            ),
        },
        /// The connected account does not say who bears its losses.
        LossLiabilityUnknown {
            /// The connected account.
            account: AccountId,
        } => {
            code: "loss_liability_unknown",
            when: "the account does not say; without `controller.losses`, `controller.type == \"account\"` or `type == \"standard\"` means Stripe is liable",
            source: "Stripe's Account object reference and controller-properties migration table",
            message: |f| write!(
                f,
                "connected account {account} does not say who bears its losses \
                 (no controller.losses.payments, controller.type \"account\" or type \"standard\")"
            ),
        },
        /// The platform and the connected account are one account.
        SameAccount {
            /// The account.
            account: AccountId,
        } => {
            code: "same_account",
            when: "platform and connected account are the same account",
            source: "a transfer to oneself is no debit",
            message: |f| write!(
                f,
                "the platform and the connected account are the same account {account}"
            ),
        },
        /// The platform is outside the regions that offer Account Debits.
        PlatformRegionUnsupported {
            /// The platform's country.
            country: Country,
        } => {
            code: "platform_region_unsupported",
            when: "the platform is outside Australia, Canada, Europe, Hong Kong, Japan, New Zealand and the US",
            source: "\"This feature is available in Australia, Canada, Europe, Hong Kong, Japan, New Zealand, and the US\"",
            message: |f| write!(f, "account debits are not available to a platform in {country}"),
        },
        /// The connected account is outside those regions.
        ConnectedRegionUnsupported {
            /// The connected account's country.
            country: Country,
        } => {
            code: "connected_region_unsupported",
            when: "the connected account is outside those regions",
            source: "same",
            message: |f| write!(
                f,
                "account debits are not available for a connected account in {country}"
            ),
        },
        /// Both regions offer Account Debits, but they differ.
        RegionMismatch {
            /// The platform's region.
            platform_region: Region,
            /// The connected account's region.
            connected_region: Region,
        } => {
            code: "region_mismatch",
            when: "both regions are supported, but differ",
            source: "\"Stripe supports Account Debits only when both your platform and the connected account are in the same region\"",
            message: |f| write!(
                f,
                "the platform is in {platform_region} but the connected account is in \
                 {connected_region}: both must be in the same region"
            ),
        },
        /// The debit is not in the connected account's default currency.
        CurrencyMismatch {
            /// The debit's currency.
            currency: Currency,
            /// The connected account's default currency.
            default_currency: Currency,
        } => {
            code: "currency_mismatch",
            when: "the debit currency is not the connected account's default currency",
            source: "\"The currency value must match the default currency of the connected account\"",
            message: |f| write!(
                f,
                "the debit is in {} but the connected account's default currency is {}",
                WireCode::of(*currency),
                WireCode::of(*default_currency)
            ),
        },
        /// The debit's currency has no minor unit on Stripe, so no amount of it can be sent.
        /// The amount rules are not judged then.
        CurrencyUnsupported {
            /// The debit's currency.
            currency: Currency,
        } => {
            code: "currency_unsupported",
            when: "the currency has no minor unit on Stripe (gold, `XDR`, ...)",
            source: "Stripe, \"Supported currencies\"",
            message: |f| write!(
                f,
                "currency {} has no minor unit on stripe",
                WireCode::of(*currency)
            ),
        },
        /// The amount is zero or negative: a debit moves money to the platform.
        AmountNotPositive {
            /// The amount asked for.
            amount: Decimal,
            /// Its currency.
            currency: Currency,
        } => {
            code: "amount_not_positive",
            when: "the amount is zero or negative",
            source: "a debit moves money to the platform",
            message: |f| write!(
                f,
                "the debit amount {amount} {} is not positive",
                WireCode::of(*currency)
            ),
        },
        /// The amount has more decimals than Stripe allows for its currency; it is never
        /// rounded.
        AmountTooPrecise {
            /// The amount asked for.
            amount: Decimal,
            /// Its currency.
            currency: Currency,
            /// The most decimals allowed.
            decimal_places: u32,
        } => {
            code: "amount_too_precise",
            when: "more decimals than Stripe allows for the currency (never rounded)",
            source: "Stripe, \"Supported currencies\"",
            message: |f| write!(
                f,
                "the debit amount {amount} {} has more than {decimal_places} decimal places",
                WireCode::of(*currency)
            ),
        },
        /// The wire amount does not fit Stripe's integer amount (a 64-bit signed integer
        /// here), or the connected balance minus it would not.
        AmountOutOfRange {
            /// The amount asked for.
            amount: Decimal,
            /// Its currency.
            currency: Currency,
            /// The available balance, when it is the balance arithmetic that overflows.
            balance: Option<Money>,
        } => {
            code: "amount_out_of_range",
            when: "the wire amount does not fit a 64-bit integer, or the balance minus it would not",
            source: "our choice: Stripe's amounts are integers of minor units (\"Supported currencies\"), with no documented bound for transfers",
            message: |f| match balance {
                None => write!(
                    f,
                    "the debit amount {amount} {} does not fit stripe's integer amount",
                    WireCode::of(*currency)
                ),
                Some(balance) => write!(
                    f,
                    "the debit amount {amount} {} would take the available balance of {} \
                     below the smallest integer amount",
                    WireCode::of(*currency),
                    balance.amount()
                ),
            },
        },
        /// The reference is not a Charge (`ch_`), Payment (`py_`) or Payout (`po_`).
        ReferenceKindUnsupported {
            /// The reference given.
            reference: TransactionId,
            /// The kind of object it names.
            kind: ObjectKind,
        } => {
            code: "reference_kind_unsupported",
            when: "the reference is not a Charge `ch_`, Payment `py_` or Payout `po_` (for a PaymentIntent `pi_`, use its latest charge); an id of a kind this crate does not know is named by its prefix",
            source: "\"the provided transaction must be a Charge, Payment, or Payout\"",
            message: |f| match kind {
                ObjectKind::Other => write!(
                    f,
                    "reference transaction {reference} has the prefix \"{}_\", which is not \
                     that of a charge, payment or payout",
                    reference.prefix()
                ),
                ObjectKind::PaymentIntent => write!(
                    f,
                    "reference transaction {reference} is a payment intent: use its latest \
                     charge instead"
                ),
                kind => write!(
                    f,
                    "reference transaction {reference} is {} {kind}, not a charge, payment \
                     or payout",
                    kind.article()
                ),
            },
        },
        /// The reference was created on another account than the one debited.
        ReferenceOtherAccount {
            /// The reference given.
            reference: TransactionId,
            /// The account it was created on.
            created_on: AccountId,
            /// The account being debited.
            debited: AccountId,
        } => {
            code: "reference_other_account",
            when: "the reference was created on another account than the one debited",
            source: "\"created on the same connected account being debited\"",
            message: |f| write!(
                f,
                "reference transaction {reference} was created on {created_on}, not on the \
                 debited account {debited}"
            ),
        },
        /// No consent is on record.
        ConsentMissing {
            /// The connected account.
            account: AccountId,
        } => {
            code: "consent_missing",
            when: "the platform holds no consent from the connected account",
            source: "\"Using Account Debits requires getting legally binding consent from your connected accounts\"",
            message: |f| f.write_str("no consent from the connected account to be debited is on record"),
        },
        /// Consent was granted only after the time of the debit.
        ConsentNotYetValid {
            /// When consent was granted.
            granted_at: Timestamp,
            /// The time of the debit.
            at: Timestamp,
        } => {
            code: "consent_not_yet_valid",
            when: "consent was granted after the time of the debit",
            source: "same",
            message: |f| write!(f, "consent was granted at {granted_at}, after the debit time {at}"),
        },
        /// Consent was revoked at or before the time of the debit.
        ConsentRevoked {
            /// When consent was revoked.
            revoked_at: Timestamp,
            /// The time of the debit.
            at: Timestamp,
        } => {
            code: "consent_revoked",
            when: "consent was revoked at or before the time of the debit",
            source: "same",
            message: |f| write!(
                f,
                "consent was revoked at {revoked_at}, at or before the debit time {at}"
            ),
        },
    }
}

rule_table! {
    /// Something worth knowing about a debit that does not stop it.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{demo, plan_debit, Account, Advisory, Connected, DebitInput, Platform};
    ///
    /// let input = demo::input()?;
    /// let c = input.connected();
    /// // The same connected account, without its verified bank account.
    /// let connected = Account::new(c.id(), c.country(), c.default_currency(), c.loss_liability());
    /// let input = DebitInput::new(Platform::new(*input.platform()), Connected::new(connected), input.connected_balance().clone(), *input.debit(), input.at())
    ///     .with_consent(input.consent().unwrap().clone());
    /// let plan = plan_debit(&input)?;
    /// let advisory = plan.advisories().iter().next().unwrap();
    /// assert_eq!(advisory.code(), "bank_account_unverified");
    /// assert!(matches!(advisory, Advisory::BankAccountUnverified { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Advisory / AdvisoryKind {
        /// No verified bank account in the debit currency is on file for the connected
        /// account.
        BankAccountUnverified {
            /// The connected account.
            account: AccountId,
            /// The debit currency.
            currency: Currency,
            /// Whether the bank accounts were read from Stripe's whole list; when not
            /// (`has_more: true`), a verified one may be among the others.
            listed_in_full: bool,
        } => {
            code: "bank_account_unverified",
            when: "the connected account has no verified bank account in the debit currency on file",
            source: "\"To allow for the most seamless experience, verify the connected account's bank before using Account Debits\"",
            message: |f| match listed_in_full {
                true => write!(
                    f,
                    "connected account {account} has no verified bank account in {} on file: \
                     stripe recommends verifying it before debiting",
                    WireCode::of(*currency)
                ),
                false => write!(
                    f,
                    "connected account {account} has no verified bank account in {} among \
                     those listed, but stripe's list has more: check the rest before \
                     debiting, as stripe recommends verifying it",
                    WireCode::of(*currency)
                ),
            },
        },
    }
}
