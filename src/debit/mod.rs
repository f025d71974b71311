//! Layer 5, the debit engine: the input ([`input`]), the rule table ([`rules`]), the checks
//! flows share ([`checks`]), one folder per debit flow, and the [`DebitPlan`](plan::DebitPlan)
//! every flow returns. [`plan_debit`] is the entry point.
//!
//! Two flows, each a folder with its own `flow_rules!` list, reusing the shared checks and
//! the [`Facts`] they read: [`stripe_managed`], for connected accounts on Stripe managed
//! risk, and [`platform_managed`], for accounts whose losses the platform bears.
//! [`plan_debit`] chooses the flow from who bears the connected account's losses;
//! [`plan_debit_as`] lets a caller allow one only.
//!
//! One door: both, and the [`Ledger`](crate::book::Ledger), plan through [`plan_lent`]. The
//! checks, the [`Facts`] they read and the flows are private to this module, so that
//! nothing outside it judges a debit another way.

mod checks;
pub(crate) mod input;
pub(crate) mod plan;
mod platform_managed;
pub(crate) mod rules;
mod stripe_managed;

use checks::Facts;
use input::{DebitInput, InputRef};
use plan::{DebitPlan, Flow};
use rules::Rejection;

use crate::stripe::account::LossLiability;

/// Plans a debit: judges `input` against every rule and, when it breaks none, says exactly
/// what the debit will do and what to send to Stripe.
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
/// let plan = plan_debit(&demo::input()?)?;
/// assert_eq!(plan.transfer().amount().minor(), 500);
/// assert_eq!(plan.connected_available().after().minor(), 500);
/// assert!(plan.reserve_hold().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_debit(input: &DebitInput) -> Result<DebitPlan, Rejection> {
    plan_lent(input.lend(), None)
}

/// Plans a debit through the flow the caller allows, whoever bears the connected account's
/// losses: a debit of an account the other flow is for is rejected
/// (`loss_liability_not_stripe` or `loss_liability_not_platform`), as is one of an account
/// that does not say (`loss_liability_unknown`).
///
/// # Errors
///
/// As [`plan_debit`].
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit_as, Flow};
///
/// let input = demo::input()?;
/// assert!(plan_debit_as(Flow::StripeManaged, &input).is_ok());
/// let rejection = plan_debit_as(Flow::PlatformManaged, &input).unwrap_err();
/// assert!(rejection.breaks("loss_liability_not_platform"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_debit_as(flow: Flow, input: &DebitInput) -> Result<DebitPlan, Rejection> {
    plan_lent(input.lend(), Some(flow))
}

/// The engine's one door, behind [`plan_debit`] and [`plan_debit_as`]: plans the debit of
/// an input lent in parts ([`InputRef`], which a job that keeps many accounts, the
/// [`Ledger`](crate::book::Ledger), lends from its own without building a [`DebitInput`]; no copy,
/// and no heap allocation when the debit is planned) through `flow`, or, when `None`, the
/// flow of who bears the connected account's losses; when that is not known, the
/// Stripe-managed flow rejects the debit (`loss_liability_unknown`), as either would.
///
/// # Errors
///
/// As [`plan_debit`].
pub(crate) fn plan_lent(input: InputRef<'_>, flow: Option<Flow>) -> Result<DebitPlan, Rejection> {
    let flow = flow.unwrap_or(match input.connected().loss_liability() {
        LossLiability::Platform => Flow::PlatformManaged,
        LossLiability::Stripe | LossLiability::Unknown => Flow::StripeManaged,
    });
    let facts = Facts::of(input);
    match flow {
        Flow::StripeManaged => stripe_managed::plan(&facts),
        Flow::PlatformManaged => platform_managed::plan(&facts),
    }
}

#[cfg(test)]
mod tests {
    use super::rules::{LEDGER_RULES, ViolationKind};
    use super::{platform_managed, stripe_managed};

    /// A rule in the table that neither a flow nor the ledger judges is a rule that is
    /// never checked; one both judge would be reported twice.
    #[test]
    fn every_rule_in_the_table_is_judged_by_a_flow_or_the_ledger() {
        for kind in ViolationKind::ALL {
            let by_a_flow =
                stripe_managed::RULES.contains(kind) || platform_managed::RULES.contains(kind);
            assert!(
                by_a_flow != LEDGER_RULES.contains(kind),
                "{kind} is judged by no flow and not by the ledger, or by both"
            );
        }
    }
}
