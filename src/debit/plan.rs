//! What a planned debit will do: the plan every flow returns, and its parts.

use core::fmt;

use iso_currency::Currency;

use crate::debit::input::DebitId;
use crate::debit::rules::{Advisory, AdvisoryKind};
use crate::stripe::id::{AccountId, TransactionId};
use crate::stripe::reference::{ReferenceTransaction, ReferenceType};
use crate::stripe::reserves::NegativeBalanceReclaim;
use crate::value::money::{BalanceEffect, Money};
use crate::value::time::Timestamp;

/// What a debit will do, and the request that does it.
///
/// A plan holds only what it was judged on; the [`StripeRequest`](crate::StripeRequest)
/// that performs it ([`DebitPlan::request`], defined with the request) lends the plan's ids,
/// and its idempotency key (up to 255 characters) is built only when asked for.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// assert_eq!(plan.transfer().amount().to_string(), "5.00 USD");
/// assert_eq!(plan.payment().account(), plan.transfer().destination());
/// assert_eq!(plan.connected_available().after().minor(), 500);
/// assert!(plan.reserve_hold().is_none());
/// assert_eq!(plan.idempotency_key().as_str(), "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DebitPlan {
    flow: Flow,
    method: Method,
    transfer: Transfer,
    effect: BalanceEffect,
    advisories: Advisories,
    debit_id: DebitId,
}

/// Which debit flow judged a debit: it follows who bears the connected account's losses.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit, Flow};
///
/// let plan = plan_debit(&demo::input()?)?;
/// assert_eq!(plan.flow(), Flow::StripeManaged);
/// assert_eq!(plan.flow().code(), "stripe_managed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flow {
    /// Stripe bears the account's losses: "Debiting accounts on Stripe managed risk", a
    /// Transfer with a reference transaction.
    StripeManaged,
    /// The platform bears them (Express and Custom accounts): "Debiting Express and Custom
    /// accounts", a Charge or a Transfer.
    PlatformManaged,
}

impl Flow {
    /// A stable snake_case code: `stripe_managed`, `platform_managed`.
    pub fn code(self) -> &'static str {
        match self {
            Flow::StripeManaged => "stripe_managed",
            Flow::PlatformManaged => "platform_managed",
        }
    }
}

/// How a debit is sent to Stripe.
///
/// Both create the same flow of funds, a Transfer on the connected account and a Payment on
/// the platform (Stripe, "Debiting Express and Custom accounts", an earlier version). The
/// pages disagree on the rest: the current page shows only the Charge, "to charge the
/// connected account directly for products or services"; an earlier version also shows the
/// Transfer, and says to "create a charge for activity that increases your revenue and
/// create a transfer when making adjustments". We follow the earlier version's rule, which
/// the current page does not contradict: a service charge is a Charge, a recovery or an
/// adjustment a Transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `POST /v1/transfers` as the connected account (`Stripe-Account`), to the platform.
    Transfer,
    /// `POST /v1/charges` on the platform with `source` the connected account's id, and no
    /// `Stripe-Account` header.
    Charge,
}

impl Method {
    /// A stable snake_case code: `transfer`, `charge`.
    pub fn code(self) -> &'static str {
        match self {
            Method::Transfer => "transfer",
            Method::Charge => "charge",
        }
    }

    /// Where Stripe documents this method, and what the pages disagree on.
    pub fn source(self) -> &'static str {
        match self {
            Method::Transfer => {
                "Stripe, \"Debiting accounts on Stripe managed risk\"; for platform-managed \
                 accounts, an earlier version of \"Debiting Express and Custom accounts\" \
                 (\"create a transfer when making adjustments\"), which the current page no \
                 longer shows"
            }
            Method::Charge => {
                "Stripe, \"Debiting Express and Custom accounts\": \"The create a charge API \
                 call supports providing a connected account ID as the source value\" (an \
                 earlier version: \"create a charge for activity that increases your revenue\")"
            }
        }
    }
}

impl DebitPlan {
    pub(crate) fn new(
        flow: Flow,
        method: Method,
        transfer: Transfer,
        effect: BalanceEffect,
        advisories: Advisories,
        debit_id: DebitId,
    ) -> DebitPlan {
        debug_assert_eq!(transfer.amount, effect.amount());
        DebitPlan {
            flow,
            method,
            transfer,
            effect,
            advisories,
            debit_id,
        }
    }

    /// Which flow judged the debit.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// How the debit is sent.
    pub fn method(&self) -> Method {
        self.method
    }

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
        let reserve = self.effect.reserve();
        reserve.is_positive().then_some(ReserveHold {
            account: self.transfer.destination,
            amount: reserve,
        })
    }

    /// The reserve held, zero when there is none.
    pub fn reserve(&self) -> Money {
        self.effect.reserve()
    }

    /// What the debit does to the connected account's available balance in the debit
    /// currency: before, after, and the reserve.
    pub fn connected_available(&self) -> BalanceEffect {
        self.effect
    }

    /// What the platform's available balance grows by: the amount less any reserve (never
    /// negative). With the reserve, the platform's total grows by the whole amount, which
    /// is what the connected account loses: money is conserved.
    pub fn platform_available_change(&self) -> Money {
        self.effect.platform_available_change()
    }

    /// The caller's id of the debit.
    pub fn debit_id(&self) -> DebitId {
        self.debit_id
    }

    /// The caller's id of the debit, without copying it: what a request lends.
    pub(crate) fn debit_id_ref(&self) -> &DebitId {
        &self.debit_id
    }

    /// Things worth knowing that do not stop the debit.
    pub fn advisories(&self) -> &Advisories {
        &self.advisories
    }
}

/// The Transfer an Account Debit creates on the connected account.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
/// use stripe_account_debits::stripe::ReferenceType;
///
/// let plan = plan_debit(&demo::input()?)?;
/// let transfer = plan.transfer();
/// assert_eq!(transfer.account().as_str(), demo::CONNECTED);
/// assert_eq!(transfer.destination().as_str(), demo::PLATFORM);
/// assert_eq!(transfer.reference_type(), Some(ReferenceType::Charge));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transfer {
    account: AccountId,
    destination: AccountId,
    amount: Money,
    reference: Option<(TransactionId, ReferenceType)>,
}

impl Transfer {
    /// The transfer of `amount` from `account` to `destination`, justified by `reference`
    /// when the flow sends one (the rules checked it was created on `account`).
    pub(crate) fn new(
        account: AccountId,
        destination: AccountId,
        amount: Money,
        reference: Option<(TransactionId, ReferenceType)>,
    ) -> Transfer {
        Transfer {
            account,
            destination,
            amount,
            reference,
        }
    }

    /// [`Transfer::account`], [`Transfer::destination`] and the reference's id, without
    /// copying them: what a request lends.
    pub(crate) fn ids(&self) -> (&AccountId, &AccountId, Option<&TransactionId>) {
        let reference = self.reference.as_ref().map(|(id, _)| id);
        (&self.account, &self.destination, reference)
    }

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

    /// The transaction that justifies the debit, when the request sends one (a debit of an
    /// account on Stripe managed risk always does).
    pub fn reference(&self) -> Option<ReferenceTransaction> {
        // The rules checked that the reference was created on the debited account.
        self.reference
            .map(|(id, _)| ReferenceTransaction::new(id, self.account))
    }

    /// How the reference is sent, when there is one.
    pub fn reference_type(&self) -> Option<ReferenceType> {
        self.reference.map(|(_, kind)| kind)
    }
}

/// The Payment on the platform that the Transfer corresponds to.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// let payment = plan.payment();
/// assert_eq!(payment.account().as_str(), demo::PLATFORM);
/// assert_eq!(payment.source_account().as_str(), demo::CONNECTED);
/// assert_eq!(payment.amount(), plan.transfer().amount());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
///
/// # Example
///
/// ```
/// use stripe_account_debits::{Debit, Money, demo, plan_debit};
///
/// // The demo's connected account has 10.00 USD available: a 15.00 USD debit takes it to
/// // -5.00 USD, and Stripe holds 5.00 USD of the platform's balance.
/// let mut input = demo::input()?;
/// let asked = input.debit().clone();
/// input.set_debit(Debit::from_minor(asked.id(), 1500, asked.currency(), asked.reference().expect("a reference")));
/// let plan = plan_debit(&input)?;
/// let hold = plan.reserve_hold().expect("the balance goes negative");
/// assert_eq!(hold.account(), input.platform().id());
/// assert_eq!(hold.amount(), Money::from_minor(500, asked.currency())?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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

/// The advisories of a plan, each at most once, in the table's order, stored inline.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// // The demo's connected account has a verified bank account: nothing to advise.
/// assert!(plan.advisories().is_empty());
/// assert_eq!(plan.advisories().len(), 0);
/// assert_eq!((&plan.advisories()).into_iter().count(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Advisories {
    // Each kind's own fields, rather than a slot of `Advisory` per kind: an `Advisory` is
    // as large as its largest kind (72 bytes, for an account id), and a plan is copied
    // whole. Every field of every kind is kept.
    bank_account_unverified: Option<(AccountId, Currency, bool)>,
    amount_cap_unchecked: Option<Currency>,
    negative_balance_left: Option<NegativeBalanceReclaim>,
    /// `platform_reserves_assumed`, and its `since` beside it (an `Option<Timestamp>`
    /// would take twice the room: a timestamp has no spare value to mark its absence).
    platform_reserves_assumed: bool,
    platform_reserves_since: Timestamp,
}

impl Default for Advisories {
    fn default() -> Advisories {
        Advisories {
            bank_account_unverified: None,
            amount_cap_unchecked: None,
            negative_balance_left: None,
            platform_reserves_assumed: false,
            platform_reserves_since: Timestamp::from_unix(0),
        }
    }
}

/// One slot per kind of advisory, at its position in the table.
type Slots = [Option<Advisory>; AdvisoryKind::ALL.len()];

impl Advisories {
    pub(crate) fn push(&mut self, advisory: Advisory) {
        match advisory {
            Advisory::BankAccountUnverified {
                account,
                currency,
                listed_in_full,
            } => self.bank_account_unverified = Some((account, currency, listed_in_full)),
            Advisory::AmountCapUnchecked { currency } => {
                self.amount_cap_unchecked = Some(currency);
            }
            Advisory::NegativeBalanceLeft { reclaim } => {
                self.negative_balance_left = Some(reclaim);
            }
            Advisory::PlatformReservesAssumed { since } => {
                self.platform_reserves_assumed = true;
                self.platform_reserves_since = since;
            }
        }
    }

    /// The advisories, each in its slot.
    fn slots(&self) -> Slots {
        let found = [
            self.bank_account_unverified
                .map(
                    |(account, currency, listed_in_full)| Advisory::BankAccountUnverified {
                        account,
                        currency,
                        listed_in_full,
                    },
                ),
            self.amount_cap_unchecked
                .map(|currency| Advisory::AmountCapUnchecked { currency }),
            self.negative_balance_left
                .map(|reclaim| Advisory::NegativeBalanceLeft { reclaim }),
            self.platform_reserves_assumed
                .then_some(Advisory::PlatformReservesAssumed {
                    since: self.platform_reserves_since,
                }),
        ];
        let mut slots: Slots = [None; AdvisoryKind::ALL.len()];
        for advisory in found.into_iter().flatten() {
            let slot = slots.get_mut(advisory.position());
            debug_assert!(slot.is_some(), "one slot per advisory kind");
            if let Some(slot) = slot {
                *slot = Some(advisory);
            }
        }
        slots
    }

    /// The advisories, in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = Advisory> + '_ {
        self.into_iter()
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

impl fmt::Debug for Advisories {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl IntoIterator for &Advisories {
    type Item = Advisory;
    type IntoIter =
        core::iter::Flatten<core::array::IntoIter<Option<Advisory>, { AdvisoryKind::ALL.len() }>>;

    fn into_iter(self) -> Self::IntoIter {
        self.slots().into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::Advisories;
    use crate::debit::rules::{Advisory, AdvisoryKind};
    use crate::stripe::reserves::{NegativeBalanceReclaim, RESERVES_DEFAULT_SINCE};
    use crate::value::time::Timestamp;
    use iso_currency::Currency;

    /// One advisory of each kind, with fields other than the defaults, in the table's
    /// order.
    fn one_of_each() -> Vec<Advisory> {
        let advisories = vec![
            Advisory::BankAccountUnverified {
                account: "acct_1Connected".parse().unwrap(),
                currency: Currency::EUR,
                listed_in_full: false,
            },
            Advisory::AmountCapUnchecked {
                currency: Currency::JPY,
            },
            Advisory::NegativeBalanceLeft {
                reclaim: NegativeBalanceReclaim::NotFromBank,
            },
            Advisory::PlatformReservesAssumed {
                since: RESERVES_DEFAULT_SINCE,
            },
        ];
        let kinds: Vec<AdvisoryKind> = advisories.iter().map(Advisory::kind).collect();
        assert_eq!(kinds, AdvisoryKind::ALL, "one of each kind, in order");
        advisories
    }

    #[test]
    fn every_kind_of_advisory_is_kept_whole_and_listed_in_the_tables_order() {
        let all = one_of_each();
        let mut advisories = Advisories::default();
        for advisory in all.iter().rev() {
            advisories.push(*advisory);
        }
        assert_eq!(advisories.iter().collect::<Vec<_>>(), all);
        assert_eq!((advisories.len(), advisories.is_empty()), (4, false));
        assert_eq!(format!("{advisories:?}"), format!("{all:?}"));
        // Each alone, with every field as pushed.
        for advisory in &all {
            let mut alone = Advisories::default();
            alone.push(*advisory);
            assert_eq!(alone.iter().collect::<Vec<_>>(), [*advisory]);
            assert_ne!(alone, Advisories::default());
        }
        let since = Timestamp::from_unix(1);
        let mut other = Advisories::default();
        other.push(Advisory::PlatformReservesAssumed { since });
        assert_eq!(
            other.iter().next(),
            Some(Advisory::PlatformReservesAssumed { since })
        );
    }

    #[test]
    fn no_advisories_are_none() {
        let none = Advisories::default();
        assert_eq!((none.len(), none.is_empty()), (0, true));
        assert_eq!(none.iter().next(), None);
    }
}
