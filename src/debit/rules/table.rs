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

use super::{Wire, rule_table};
use crate::debit::input::DebitId;
use crate::stripe::id::{AccountId, ObjectKind, TransactionId};
use crate::stripe::region::{Country, Region};
use crate::stripe::reserves::NegativeBalanceReclaim;
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
    pub enum Violation / ViolationKind in stripe_account_debits, rejects "debit" {
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
        /// The flow for accounts whose losses the platform bears was asked for, but Stripe
        /// bears this account's losses.
        LossLiabilityNotPlatform {
            /// The connected account.
            account: AccountId,
        } => {
            code: "loss_liability_not_platform",
            when: "the platform-managed flow was asked for, but Stripe bears the connected account's losses",
            source: "Stripe, \"Debiting Express and Custom accounts\": \"This functionality is only supported for Express and Custom\" accounts, whose losses the platform bears",
            message: |f| write!(
                f,
                "connected account {account} is on stripe managed risk \
                 (controller.losses.payments is \"stripe\"): debit it through the flow for \
                 stripe-managed accounts"
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
        /// A debit of an account whose losses the platform bears is more than its cap:
        /// 100,000 USD (or the caller's USD cap, when lower), or the caller's cap in another
        /// currency.
        AmountOverCap {
            /// The amount asked for.
            amount: Money,
            /// The cap.
            cap: Money,
        } => {
            code: "amount_over_cap",
            when: "platform-managed: more than 100,000 USD (or the caller's lower USD cap), or than the cap the caller gives in another currency",
            source: "Stripe, \"Debiting Express and Custom accounts\": at most 100,000 USD \"or equivalent in your currency\" (no exchange rates here: the caller gives the cap in other currencies; in USD, a caller's cap applies only when lower)",
            message: |f| write!(
                f,
                "the debit amount {} is more than the {} a debit of a platform-managed account may be",
                Wire(*amount),
                Wire(*cap)
            ),
        },
        /// A debit of an account whose losses the platform bears would take its balance
        /// below zero, and the platform has not said that its arrangement with Stripe
        /// allows that: Stripe's newest page says such a debit cannot.
        NegativeBalanceNotAllowed {
            /// The connected available balance after the debit.
            after: Money,
        } => {
            code: "negative_balance_not_allowed",
            when: "platform-managed: the balance would go below zero and the platform has not said its arrangement with Stripe allows it (`negative_balances_allowed`)",
            source: "Stripe, \"Debit connected accounts\" (`/connect/account-debits`), newest English version: a debit \"can't make the connected account balance become negative\", and the sales team adjusts requirements; earlier versions allowed it with reserves (docs/stripe-choices.md)",
            message: |f| write!(
                f,
                "the debit would take the available balance to {}: stripe does not let a \
                 debit make a platform-managed account's balance negative unless the \
                 platform's arrangement with stripe allows it, and the platform has not said \
                 that it does",
                Wire(*after)
            ),
        },
        /// A debit of an account whose losses the platform bears would take its balance
        /// below zero, and the platform does not have connected reserves enabled.
        NegativeBalanceWithoutReserves {
            /// The connected available balance after the debit.
            after: Money,
        } => {
            code: "negative_balance_without_reserves",
            when: "platform-managed, negatives allowed: the balance would go below zero and the platform's connected reserves are not enabled",
            source: "Stripe, \"Debiting Express and Custom accounts\" (an earlier version of `/connect/account-debits`, and the current Japanese one): a debit \"cannot make the connected account balance become negative unless you have reserves enabled\"",
            message: |f| write!(
                f,
                "the debit would take the available balance to {}, and the platform does \
                 not have connected reserves enabled",
                Wire(*after)
            ),
        },
        /// A debit of an account whose losses the platform bears would take its balance
        /// below zero, and whether the platform has connected reserves enabled is unknown.
        PlatformReservesUnknown {
            /// The connected available balance after the debit.
            after: Money,
        } => {
            code: "platform_reserves_unknown",
            when: "platform-managed, negatives allowed: the balance would go below zero and whether the platform's connected reserves are enabled is not known",
            source: "same, \"on by default for all new platforms created after January 31st, 2017\"; our choice: refused rather than guessed",
            message: |f| write!(
                f,
                "the debit would take the available balance to {}, and whether the \
                 platform has connected reserves enabled is not known: give the platform \
                 account's created time, or say whether they are",
                Wire(*after)
            ),
        },
        /// A debit of an account whose losses the platform bears would take its balance
        /// below zero, and the account has no bank account in the debit currency.
        NegativeBalanceWithoutBankAccount {
            /// The connected account.
            account: AccountId,
            /// The debit currency.
            currency: Currency,
            /// Whether the bank accounts were read from Stripe's whole list.
            listed_in_full: bool,
        } => {
            code: "negative_balance_without_bank_account",
            when: "platform-managed, negatives allowed: the balance would go below zero and the account has no verified bank account in the debit currency on file",
            source: "same: \"and have a bank account in the same currency as the debit\"",
            message: |f| match listed_in_full {
                true => write!(
                    f,
                    "the debit would take the available balance below zero, and connected \
                     account {account} has no verified bank account in {} on file",
                    WireCode::of(*currency)
                ),
                false => write!(
                    f,
                    "the debit would take the available balance below zero, and connected \
                     account {account} has no verified bank account in {} among those \
                     listed (stripe's list has more)",
                    WireCode::of(*currency)
                ),
            },
        },
        /// A debit of an account whose losses the platform bears does not say why: the
        /// purpose picks a charge or a transfer.
        PurposeMissing {
            /// The connected account.
            account: AccountId,
        } => {
            code: "purpose_missing",
            when: "platform-managed: the debit has no purpose (service_charge, recovery or adjustment)",
            source: "Stripe, \"Debiting Express and Custom accounts\" (an earlier version): \"create a charge for activity that increases your revenue and create a transfer when making adjustments\"",
            message: |f| write!(
                f,
                "a debit of platform-managed account {account} needs a purpose \
                 (service_charge, recovery or adjustment): it picks a charge or a transfer"
            ),
        },
        /// A debit of an account on Stripe managed risk has no reference transaction.
        ReferenceMissing {
            /// The connected account.
            account: AccountId,
        } => {
            code: "reference_missing",
            when: "Stripe-managed: the debit has no reference transaction",
            source: "\"Transferring from a connected account\": the transfer's `reference_transaction` is a Charge, Payment or Payout of the account",
            message: |f| write!(
                f,
                "a debit of connected account {account} on stripe managed risk needs a \
                 reference transaction: a charge, payment or payout of that account"
            ),
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
        /// A debit of a [`Ledger`](crate::book::Ledger) whose idempotency key (the platform, the
        /// connected account and the debit id) an earlier debit of that ledger was planned
        /// with. Judged by the ledger, which sees the debits before it; never by
        /// [`plan_debit`](crate::plan_debit), which sees one debit.
        DebitIdReused {
            /// The connected account.
            account: AccountId,
            /// The debit id given twice.
            debit_id: DebitId,
            /// The earlier debit that was planned with it, counting from 0 every debit the
            /// ledger judged (in one batch on a new ledger, its index in the batch).
            earlier: u64,
        } => {
            code: "debit_id_reused",
            when: "in a ledger or batch: an earlier debit of the same connected account with the same debit id was planned (the same idempotency key)",
            source: "Stripe's API reference, \"Idempotent requests\": Stripe saves the result of the first request made with a key and returns it for later requests with that key, and errors when their parameters differ",
            message: |f| write!(
                f,
                "debit id {debit_id} of connected account {account} was planned before \
                 (debit {earlier} of this ledger): stripe would replay that debit's result \
                 for its idempotency key, not debit again"
            ),
        },
        /// A debit of a [`Ledger`](crate::book::Ledger) would take the platform's available
        /// balance beyond Stripe's integer amount: what the ledger keeps could not be
        /// written. Judged by the ledger, which holds the platform's balance.
        PlatformBalanceOutOfRange {
            /// The platform's available balance before the debit.
            platform_available: Money,
            /// What the debit would bring to it (the amount less the reserve held).
            brought_in: Money,
        } => {
            code: "platform_balance_out_of_range",
            when: "in a ledger or batch: the platform's available balance plus what the debit brings in does not fit a 64-bit integer",
            source: "our choice, as for `amount_out_of_range`: Stripe's amounts are integers of minor units",
            message: |f| write!(
                f,
                "the platform's available balance of {} plus the {} this debit \
                 brings in does not fit stripe's integer amount",
                Wire(*platform_available),
                Wire(*brought_in)
            ),
        },
    }
}

/// The rules a [`Ledger`](crate::book::Ledger) judges beside a flow's, since they need the debits
/// before this one or the platform's balance; in the table's order.
pub(crate) const LEDGER_RULES: &[ViolationKind] = &[
    ViolationKind::DebitIdReused,
    ViolationKind::PlatformBalanceOutOfRange,
];

rule_table! {
    /// Something worth knowing about a debit that does not stop it.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::{demo, plan_debit, Advisory, DebitInput};
    /// use stripe_account_debits::stripe::{Account, Connected, Platform};
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
    pub enum Advisory / AdvisoryKind in stripe_account_debits {
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
        /// A debit of an account whose losses the platform bears, in a currency other than
        /// USD, with no cap in that currency given: Stripe's cap was not checked.
        AmountCapUnchecked {
            /// The debit currency.
            currency: Currency,
        } => {
            code: "amount_cap_unchecked",
            when: "platform-managed: a debit in another currency than USD, with no cap given in it",
            source: "Stripe, \"Debiting Express and Custom accounts\": 100,000 USD \"or equivalent in your currency\"; this crate has no exchange rates",
            message: |f| write!(
                f,
                "stripe's cap of 100,000 usd or its equivalent was not checked: no cap in {} \
                 was given",
                WireCode::of(*currency)
            ),
        },
        /// A debit of an account whose losses the platform bears leaves its balance below
        /// zero: what Stripe does about it.
        NegativeBalanceLeft {
            /// From the account's `settings.payouts.debit_negative_balances`.
            reclaim: NegativeBalanceReclaim,
        } => {
            code: "negative_balance_left",
            when: "platform-managed: the debit leaves the balance below zero",
            source: "Stripe, \"Debiting Express and Custom accounts\": \"Stripe may auto debit the external account on file\"; \"Connect reserves FAQ\": `debit_negative_balances`, and 180 days before the reserve zeroes it",
            message: |f| match reclaim {
                NegativeBalanceReclaim::FromBank => f.write_str(
                    "the debit leaves the balance below zero: with debit_negative_balances on, \
                     stripe tries to debit the connected account's bank account for it",
                ),
                NegativeBalanceReclaim::NotFromBank => f.write_str(
                    "the debit leaves the balance below zero: with debit_negative_balances \
                     off, stripe does not debit the bank account, and the platform's reserve \
                     covers it (zeroing it after 180 days)",
                ),
                _ => f.write_str(
                    "the debit leaves the balance below zero: whether stripe debits the \
                     bank account for it depends on debit_negative_balances, which was not \
                     given",
                ),
            },
        },
        /// The debit relies on connected reserves that are only assumed: on by default for
        /// a platform created after January 31st, 2017.
        PlatformReservesAssumed {
            /// From when platforms have them by default.
            since: Timestamp,
        } => {
            code: "platform_reserves_assumed",
            when: "platform-managed: the balance goes below zero, relying on reserves assumed from the platform's creation date",
            source: "Stripe, \"Debiting Express and Custom accounts\" (an earlier version of `/connect/account-debits`): reserves are \"on by default for all new platforms created after January 31st, 2017\"",
            message: |f| write!(
                f,
                "the debit relies on the platform's connected reserves, assumed enabled as \
                 the default for platforms created from {since} on: confirm they are"
            ),
        },
    }
}
