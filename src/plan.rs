//! A validated debit plan and the function that makes it.

use core::fmt;

use iso_currency::Currency;

use crate::currency::WireCode;
use crate::debit::DebitRequest;
use crate::id::{AccountId, TransactionId};
use crate::money::Money;
use crate::reference::{ReferenceTransaction, ReferenceType};
use crate::request::{IdempotencyKey, TransferRequest, WireAmount};
use crate::rules::{self, Rejection};

/// Plans a debit: judges `request` against every rule and, when it breaks none, says
/// exactly what the debit will do and what to send to Stripe.
///
/// Pure, deterministic and total: no I/O, no clock, no panic for any input, and no heap
/// allocation when it succeeds.
///
/// # Errors
///
/// A [`Rejection`] listing every rule broken, in the order of
/// [`Violation::CODES`](crate::Violation::CODES).
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::request()?)?;
/// assert_eq!(plan.transfer().amount().minor(), 500);
/// assert_eq!(plan.connected_available().after().minor(), 500);
/// assert!(plan.reserve_hold().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_debit(request: &DebitRequest) -> Result<DebitPlan, Rejection> {
    let accepted = rules::judge(request)?;
    let platform = request.platform().id();
    let connected = request.connected();
    let debit = request.debit();
    let reference = debit.reference();
    let currency = accepted.amount.currency();
    let transfer_account = connected.id();
    let idempotency_key = IdempotencyKey::of(&platform, &transfer_account, &debit.id());

    let mut advisories = Advisories::default();
    // Seed, "Requirements": "verify the connected account's bank before using Account
    // Debits".
    if !connected.has_verified_bank_account(currency) {
        advisories.push(Advisory::BankAccountUnverified {
            account: connected.id(),
            currency,
        });
    }

    Ok(DebitPlan {
        transfer: Transfer {
            account: transfer_account,
            destination: platform,
            amount: accepted.amount,
            reference_id: reference.id(),
            reference_type: accepted.reference_type,
        },
        reserve: accepted.reserve,
        connected_available: BalanceChange {
            before: accepted.balance_before,
            after: accepted.balance_after,
        },
        advisories,
        idempotency_key,
        wire_amount: WireAmount::of(accepted.amount),
        wire_currency: WireCode::of(currency),
    })
}

/// What a debit will do, and the request that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DebitPlan {
    transfer: Transfer,
    reserve: Money,
    connected_available: BalanceChange,
    advisories: Advisories,
    idempotency_key: IdempotencyKey,
    wire_amount: WireAmount,
    wire_currency: WireCode,
}

impl DebitPlan {
    /// The Transfer created on the connected account.
    pub fn transfer(&self) -> &Transfer {
        &self.transfer
    }

    /// The Payment it creates on the platform: the same amount, from the connected account.
    pub fn payment(&self) -> Payment {
        Payment {
            account: self.transfer.destination,
            source_account: self.transfer.account,
            amount: self.transfer.amount,
        }
    }

    /// The reserve Stripe holds on the platform balance, when the debit takes the connected
    /// balance (further) below zero.
    pub fn reserve_hold(&self) -> Option<ReserveHold> {
        self.reserve.is_positive().then_some(ReserveHold {
            account: self.transfer.destination,
            amount: self.reserve,
        })
    }

    /// The reserve held, zero when there is none.
    pub fn reserve(&self) -> Money {
        self.reserve
    }

    /// The connected account's available balance in the debit currency, before and after.
    pub fn connected_available(&self) -> BalanceChange {
        self.connected_available
    }

    /// What the platform's available balance grows by: the amount less any reserve (never
    /// negative). With the reserve, the platform's total grows by the whole amount, which
    /// is what the connected account loses: money is conserved.
    pub fn platform_available_change(&self) -> Money {
        // The reserve is at most the amount (the rules' `neg(after) - neg(before)`), so
        // this never falls back.
        let amount = self.transfer.amount;
        amount.checked_sub(self.reserve).unwrap_or(amount)
    }

    /// Things worth knowing that do not stop the debit.
    pub fn advisories(&self) -> &Advisories {
        &self.advisories
    }

    /// The Stripe request to send.
    pub fn request(&self) -> TransferRequest<'_> {
        TransferRequest {
            connected: &self.transfer.account,
            destination: &self.transfer.destination,
            idempotency_key: &self.idempotency_key,
            amount: &self.wire_amount,
            currency: &self.wire_currency,
            reference_type: self.transfer.reference_type,
            reference: &self.transfer.reference_id,
        }
    }
}

/// The Transfer an Account Debit creates on the connected account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transfer {
    account: AccountId,
    destination: AccountId,
    amount: Money,
    reference_id: TransactionId,
    reference_type: ReferenceType,
}

impl Transfer {
    /// The connected account the transfer is created on (and debited).
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The platform, which receives the funds.
    pub fn destination(&self) -> AccountId {
        self.destination
    }

    /// The amount.
    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.amount.currency()
    }

    /// The transaction that justifies the debit.
    pub fn reference(&self) -> ReferenceTransaction {
        // The rules checked that the reference was created on the debited account.
        ReferenceTransaction::new(self.reference_id, self.account)
    }

    /// How the reference is sent.
    pub fn reference_type(&self) -> ReferenceType {
        self.reference_type
    }
}

/// The Payment on the platform that the Transfer corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Payment {
    account: AccountId,
    source_account: AccountId,
    amount: Money,
}

impl Payment {
    /// The platform, on which the payment appears.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The connected account the funds come from.
    pub fn source_account(&self) -> AccountId {
        self.source_account
    }

    /// The amount.
    pub fn amount(&self) -> Money {
        self.amount
    }
}

/// Reserves Stripe holds on the platform balance because the debit drove the connected
/// balance negative (seed, "Requirements"; Stripe, "Understanding connected reserve
/// balances created by accounts with Stripe managed risk").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReserveHold {
    account: AccountId,
    amount: Money,
}

impl ReserveHold {
    /// The platform, whose balance holds the reserve.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// The amount held: how far the debit takes the connected balance further below zero.
    pub fn amount(&self) -> Money {
        self.amount
    }
}

/// A balance before and after a debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BalanceChange {
    before: Money,
    after: Money,
}

impl BalanceChange {
    /// Before the debit.
    pub fn before(&self) -> Money {
        self.before
    }

    /// After the debit: exactly before less the amount.
    pub fn after(&self) -> Money {
        self.after
    }
}

/// Something worth knowing about a debit that does not stop it.
///
/// # Example
///
/// ```
/// use iso_currency::Currency;
/// use stripe_account_debits::Advisory;
///
/// let a = Advisory::BankAccountUnverified { account: "acct_1C".parse()?, currency: Currency::USD };
/// assert_eq!(a.code(), "bank_account_unverified");
/// # Ok::<(), stripe_account_debits::IdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Advisory {
    /// No verified bank account in the debit currency is on file for the connected account.
    /// Seed, "Requirements": "To allow for the most seamless experience, verify the
    /// connected account's bank before using Account Debits."
    BankAccountUnverified {
        /// The connected account.
        account: AccountId,
        /// The debit currency.
        currency: Currency,
    },
}

impl Advisory {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Advisory::BankAccountUnverified { .. } => "bank_account_unverified",
        }
    }
}

impl fmt::Display for Advisory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Advisory::BankAccountUnverified { account, currency } => write!(
                f,
                "connected account {account} has no verified bank account in {} on file: \
                 stripe recommends verifying it before debiting",
                WireCode::of(*currency)
            ),
        }
    }
}

/// The advisories of a plan, each at most once, stored inline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Advisories {
    items: [Option<Advisory>; 1],
}

impl Advisories {
    fn push(&mut self, advisory: Advisory) {
        if let Some(slot) = self.items.iter_mut().find(|slot| slot.is_none()) {
            *slot = Some(advisory);
        }
    }

    /// The advisories, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = Advisory> + '_ {
        self.items.iter().flatten().copied()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }
}
