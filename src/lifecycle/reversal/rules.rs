//! The rules of a reversal, once each: code, one-line summary, Stripe source and message.
//! A table of its own, declared by the debit's macro (`crate::debit::rules`): its
//! violations are a `Rule`, listed by the one `Rejection` type, written as a debit's are;
//! the order of the entries is the order a rejection lists them. `docs/lifecycle.md` has
//! the table generated from it.
//!
//! Source, unless an entry says otherwise: Stripe's API reference, "Create a transfer
//! reversal" (`POST /v1/transfers/{id}/reversals`: `amount` defaults to the entire
//! transfer amount not yet reversed; more than remains is an error; a transfer can be
//! reversed partially until it is fully reversed), "Transfer Reversals" (a reversal
//! subtracts from the destination account's balance, which must cover it) and "The
//! Transfer object".

use iso_currency::Currency;

use crate::debit::input::DebitId;
use crate::debit::rules::{Wire, rule_table};
use crate::stripe::id::{AccountId, TransactionId};
use crate::value::currency::WireCode;
use crate::value::money::Money;

rule_table! {
    /// One broken rule of a reversal, in the order a
    /// [`ReversalRejection`](crate::lifecycle::ReversalRejection) lists them: an entry of a
    /// table declared as the debit's is ([`Violation`](crate::Violation)), with its code,
    /// when it applies, its Stripe source and its message. Both the enum and each variant
    /// are `#[non_exhaustive]`: rules and their data may grow.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::lifecycle::{ReversalViolation, ReversalViolationKind};
    ///
    /// let violation = ReversalViolation::CODES.iter().position(|c| *c == "amount_exceeds_remaining");
    /// assert_eq!(violation, Some(ReversalViolationKind::AmountExceedsRemaining.position()));
    /// assert_eq!(ReversalViolationKind::AmountNotPositive.code(), "reversal_amount_not_positive");
    /// ```
    pub enum ReversalViolation / ReversalViolationKind in stripe_account_debits::lifecycle, rejects "reversal" {
        /// The transfer did not go to the platform: it is not this platform's debit.
        NotToThisPlatform {
            /// The transfer's destination, if it names one.
            destination: Option<AccountId>,
            /// The platform.
            platform: AccountId,
        } => {
            code: "not_to_this_platform",
            when: "the transfer's `destination` is not the platform",
            source: "\"Debiting accounts on Stripe managed risk\": an account debit is a transfer whose destination is the platform",
            message: |f| match destination {
                Some(destination) => write!(
                    f,
                    "transfer went to {destination}, not to the platform {platform}"
                ),
                None => write!(
                    f,
                    "transfer names no destination, and a debit's goes to the platform {platform}"
                ),
            },
        },
        /// The transfer carries another debit id (or none) in its metadata.
        NotThisDebit {
            /// The scenario's debit id.
            debit: DebitId,
            /// The transfer's `metadata[account_debit_id]`, if it has one.
            found: Option<DebitId>,
        } => {
            code: "not_this_debit",
            when: "the transfer's `metadata[account_debit_id]` is not the debit's id",
            source: "this crate's request sets `metadata[account_debit_id]` on every debit (Stripe's API reference, \"Metadata\")",
            message: |f| match found {
                Some(found) => write!(f, "transfer carries debit id {found}, not {debit}"),
                None => write!(
                    f,
                    "transfer carries no debit id (metadata[account_debit_id]), so it is not \
                     debit {debit}"
                ),
            },
        },
        /// The transfer is in another currency than the debit.
        CurrencyDiffers {
            /// The transfer's currency.
            transfer: Currency,
            /// The debit's currency.
            debit: Currency,
        } => {
            code: "currency_differs",
            when: "the transfer's currency is not the debit's",
            source: "\"The Transfer object\": `currency`; a reversal is in the transfer's currency",
            message: |f| write!(
                f,
                "transfer is in {}, the debit in {}",
                WireCode::of(*transfer),
                WireCode::of(*debit)
            ),
        },
        /// Nothing is left to reverse.
        AlreadyFullyReversed {
            /// The transfer.
            transfer: TransactionId,
        } => {
            code: "already_fully_reversed",
            when: "the transfer is `reversed`, or `amount_reversed` equals `amount`",
            source: "\"Create a transfer reversal\": a transfer can be reversed until it is fully reversed",
            message: |f| write!(f, "transfer {transfer} is already fully reversed"),
        },
        /// The amount asked for is zero or negative.
        AmountNotPositive {
            /// The amount asked for, in the transfer's currency.
            amount: Money,
        } => {
            code: "reversal_amount_not_positive",
            when: "the amount asked for is zero or negative",
            source: "\"Create a transfer reversal\": `amount`, a positive integer in the smallest currency unit",
            message: |f| write!(f, "reversal amount {} is not positive", Wire(*amount)),
        },
        /// The amount asked for is more than what is left to reverse.
        AmountExceedsRemaining {
            /// The amount asked for.
            amount: Money,
            /// What is left: the transfer's amount less `amount_reversed`.
            remaining: Money,
        } => {
            code: "amount_exceeds_remaining",
            when: "the amount asked for is more than the transfer's amount less `amount_reversed`",
            source: "\"Create a transfer reversal\": reversing more than remains is an error",
            message: |f| write!(
                f,
                "reversal of {} is more than the {} left to reverse",
                Wire(*amount),
                Wire(*remaining)
            ),
        },
        /// The connected balance after the reversal does not fit Stripe's amounts.
        ConnectedBalanceOutOfRange {
            /// The connected account's available balance before.
            before: Money,
            /// The amount to reverse.
            amount: Money,
        } => {
            code: "connected_balance_out_of_range",
            when: "the connected balance after the reversal does not fit a 64-bit wire amount",
            source: "Stripe's amounts are 64-bit integers (API reference, \"Balance\")",
            message: |f| write!(
                f,
                "connected balance {} plus the reversal of {} is out of range",
                Wire(*before),
                Wire(*amount)
            ),
        },
        /// The platform's available balance cannot cover the reversal: a reversal takes the
        /// money back out of the transfer's destination, which for an account debit is the
        /// platform.
        PlatformBalanceInsufficient {
            /// The platform's available balance in the transfer's currency (a currency missing
            /// from the balance counts as zero).
            available: Money,
            /// The amount to reverse.
            amount: Money,
        } => {
            code: "platform_balance_insufficient",
            when: "the platform's available balance in the transfer's currency is less than the amount to reverse",
            source: "Stripe's API reference, \"Transfer Reversals\" (docs.stripe.com/api/transfer_reversals): reversals \"subtract from the destination account's balance\", and a transfer can be reversed \"only if the destination account has enough balance to cover the reversal\"; \"Pending transfer reversals\" (a private preview): otherwise Stripe returns an error",
            message: |f| write!(
                f,
                "the platform's available balance {} cannot cover the reversal of {}: Stripe \
                 refuses it; add funds to the platform first (the alternative, a new transfer \
                 from the platform to the connected account, draws on the same balance)",
                Wire(*available),
                Wire(*amount)
            ),
        },
    }
}
