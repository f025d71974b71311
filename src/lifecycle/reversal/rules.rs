//! The rules of a reversal, once each: code, one-line summary, Stripe source and message.
//! A small table of its own, beside the debit's (`crate::debit::rules`), in the same shape:
//! the order of the entries is the order a rejection lists them.
//!
//! Source, unless an entry says otherwise: Stripe's API reference, "Create a transfer
//! reversal" (`POST /v1/transfers/{id}/reversals`: `amount` defaults to the entire
//! transfer amount not yet reversed; more than remains is an error; a transfer can be
//! reversed partially until it is fully reversed), "Transfer Reversals" (a reversal
//! subtracts from the destination account's balance, which must cover it) and "The
//! Transfer object".

use iso_currency::Currency;

use crate::debit::input::DebitId;
use crate::stripe::id::{AccountId, TransactionId};
use crate::value::money::Money;

/// Defines `ReversalViolation` and its data-less twin from one list of entries.
macro_rules! reversal_rules {
    (
        $(
            $(#[doc = $doc:literal])*
            $Variant:ident {
                $( $(#[doc = $fdoc:literal])* $field:ident : $Ty:ty ),* $(,)?
            } => {
                code: $code:literal,
                when: $when:literal,
                source: $source:literal,
                message: |$f:ident| $message:expr $(,)?
            }
        ),* $(,)?
    ) => {
        /// One broken rule of a reversal, in the order a
        /// [`ReversalRejection`](crate::lifecycle::ReversalRejection) lists them.
        ///
        /// # Example
        ///
        /// ```
        /// use stripe_account_debits::lifecycle::ReversalViolationKind;
        ///
        /// assert_eq!(ReversalViolationKind::AmountNotPositive.code(), "reversal_amount_not_positive");
        /// for kind in ReversalViolationKind::ALL {
        ///     assert_eq!(ReversalViolationKind::ALL[kind.position()], *kind);
        /// }
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ReversalViolation {
            $(
                $(#[doc = $doc])*
                #[non_exhaustive]
                $Variant { $( $(#[doc = $fdoc])* $field: $Ty, )* },
            )*
        }

        /// Which [`ReversalViolation`] it is, without its data.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum ReversalViolationKind {
            $( $(#[doc = $doc])* $Variant, )*
        }

        impl ReversalViolationKind {
            /// Every kind, in order.
            pub const ALL: &'static [ReversalViolationKind] = &[$(ReversalViolationKind::$Variant),*];

            /// The stable snake_case code.
            pub const fn code(self) -> &'static str {
                match self { $(ReversalViolationKind::$Variant => $code,)* }
            }

            /// Where this kind stands in a rejection's order.
            pub const fn position(self) -> usize {
                self as usize
            }

            /// When it applies, in one line.
            pub const fn when(self) -> &'static str {
                match self { $(ReversalViolationKind::$Variant => $when,)* }
            }

            /// Where Stripe says so.
            pub const fn source(self) -> &'static str {
                match self { $(ReversalViolationKind::$Variant => $source,)* }
            }
        }

        impl ReversalViolation {
            /// Which one this is, without its data.
            pub const fn kind(&self) -> ReversalViolationKind {
                match self { $(ReversalViolation::$Variant { .. } => ReversalViolationKind::$Variant,)* }
            }

            /// The stable snake_case code.
            pub const fn code(&self) -> &'static str {
                self.kind().code()
            }
        }

        impl core::fmt::Display for ReversalViolation {
            fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self {
                    $(
                        #[allow(unused_variables)]
                        ReversalViolation::$Variant { $($field),* } => {
                            let $f = &mut *formatter;
                            $message
                        }
                    )*
                }
            }
        }
    };
}

/// `Some(x)` as `x`, `None` as `none`.
fn or_none<T: core::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

reversal_rules! {
    /// The transfer did not go to the platform: it is not this platform's debit.
    NotToThisPlatform {
        /// The transfer's destination.
        destination: Option<AccountId>,
        /// The platform.
        platform: AccountId,
    } => {
        code: "not_to_this_platform",
        when: "the transfer's `destination` is not the platform",
        source: "\"Debiting accounts on Stripe managed risk\": an account debit is a transfer whose destination is the platform",
        message: |f| write!(f, "transfer went to {}, not to the platform {platform}", or_none(*destination)),
    },
    /// The transfer carries another debit id (or none) in its metadata.
    NotThisDebit {
        /// The scenario's debit id.
        debit: DebitId,
        /// The transfer's `metadata[account_debit_id]`.
        found: Option<DebitId>,
    } => {
        code: "not_this_debit",
        when: "the transfer's `metadata[account_debit_id]` is not the debit's id",
        source: "this crate's request sets `metadata[account_debit_id]` on every debit (Stripe's API reference, \"Metadata\")",
        message: |f| write!(f, "transfer carries debit id {}, not {debit}", or_none(*found)),
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
        message: |f| write!(f, "transfer is in {}, the debit in {}", transfer.code(), debit.code()),
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
        /// The amount asked for, in the currency's wire units.
        amount: i64,
    } => {
        code: "reversal_amount_not_positive",
        when: "the amount asked for is zero or negative",
        source: "\"Create a transfer reversal\": `amount`, a positive integer in the smallest currency unit",
        message: |f| write!(f, "reversal amount {amount} is not positive"),
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
        message: |f| write!(f, "reversal of {amount} is more than the {remaining} left to reverse"),
    },
    /// The connected balance after the reversal does not fit Stripe's amounts.
    ConnectedBalanceOutOfRange {
        /// The connected account's available balance before.
        before: Money,
    } => {
        code: "connected_balance_out_of_range",
        when: "the connected balance after the reversal does not fit a 64-bit wire amount",
        source: "Stripe's amounts are 64-bit integers (API reference, \"Balance\")",
        message: |f| write!(f, "connected balance {before} plus the reversal is out of range"),
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
        message: |f| write!(f, "the platform's available balance {available} cannot cover the reversal of {amount}: Stripe refuses it; add funds to the platform first (the alternative, a new transfer from the platform to the connected account, draws on the same balance)"),
    },
}
