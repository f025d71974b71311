//! Layer 4, the debit engine: the input ([`input`]), the rule table ([`rules`]), the checks
//! flows share ([`checks`]), one folder per debit flow, and the [`DebitPlan`](plan::DebitPlan)
//! every flow returns. [`plan_debit`] is the entry point.
//!
//! Today there is one flow, [`stripe_managed`], for connected accounts with Stripe managed
//! risk. A second flow (for accounts whose losses the platform bears) is a sibling folder
//! with its own `flow_rules!` list, reusing the shared checks and the [`Facts`] they read;
//! [`plan_debit`] is where a flow is chosen (today, always the one).

pub(crate) mod checks;
pub(crate) mod input;
pub(crate) mod plan;
pub(crate) mod rules;
pub(crate) mod stripe_managed;

use checks::Facts;
use input::DebitInput;
use plan::DebitPlan;
use rules::Rejection;

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
    plan_facts(&Facts::of(input.lend()))
}

/// Plans the debit `facts` describe: what [`plan_debit`] does, for an input lent in parts.
pub(crate) fn plan_facts(facts: &Facts<'_>) -> Result<DebitPlan, Rejection> {
    stripe_managed::plan(facts)
}

#[cfg(test)]
mod tests {
    use super::rules::ViolationKind;
    use super::stripe_managed;

    /// A rule in the table that no flow judges is a rule that is never checked. With a
    /// second flow, this is the union of the flows' lists.
    #[test]
    fn every_rule_in_the_table_is_judged_by_a_flow() {
        for kind in ViolationKind::ALL {
            assert!(
                stripe_managed::RULES.contains(kind),
                "{kind} is judged by no flow"
            );
        }
    }
}
