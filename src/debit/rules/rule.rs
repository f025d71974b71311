//! What every entry of a rule table is, whichever table declared it: the [`Rule`] trait that
//! a [`Rejection`](super::Rejection) lists, and the crate's view of an entry's fields.

use core::fmt;
use core::hash::Hash;

use super::Detail;

/// A broken rule of one of the crate's rule tables: a debit's
/// [`Violation`](crate::Violation) or a reversal's `ReversalViolation` (module
/// `lifecycle`, feature `serde`). Every such table is declared by one macro, so each of
/// its rules has a stable code, a place in the table's order, a one-line summary and its
/// Stripe source (on its [`Rule::Kind`]), and a message (its `Display`). A
/// [`Rejection`](super::Rejection) lists the broken ones.
///
/// Sealed: only the crate's tables implement it.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit, DebitInput, Rejection, Rule};
/// use stripe_account_debits::stripe::{Connected, Platform};
///
/// /// Any rejection's codes, whatever it rejects.
/// fn codes<V: Rule>(rejection: &Rejection<V>) -> Vec<&'static str> {
///     rejection.violations().iter().map(Rule::code).collect()
/// }
///
/// let input = demo::input()?;
/// let input = DebitInput::new(Platform::new(*input.platform()), Connected::new(*input.connected()),
///     input.connected_balance().clone(), *input.debit(), input.at());
/// assert_eq!(codes(&plan_debit(&input).unwrap_err()), ["consent_missing"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Rule: Copy + Eq + Hash + fmt::Debug + fmt::Display + sealed::Entry {
    /// Which rule it is, without its data: an enum with the code, the place in the order,
    /// the summary and the source of each rule.
    type Kind: Copy + Eq + Ord + Hash + fmt::Debug + fmt::Display + 'static;

    /// What a rejection of these rules refuses (`"debit"`, `"reversal"`): its message
    /// starts with it (`debit rejected: ...`).
    const REJECTS: &'static str;

    /// Every kind of the table, in order.
    const ALL: &'static [Self::Kind];

    /// Every code of the table, in order.
    const CODES: &'static [&'static str];

    /// Which rule this is, without its data.
    fn kind(&self) -> Self::Kind;

    /// The stable snake_case code.
    fn code(&self) -> &'static str;

    /// Where it stands in the table's order: a rejection lists its violations so.
    fn position(&self) -> usize;
}

/// The crate's side of an entry (a rule or an advisory): its fields, for the outputs.
pub(crate) mod sealed {
    use super::Detail;

    /// An entry of one of the crate's rule tables (declared by `rule_table!`).
    pub trait Entry {
        /// Calls `visit` with the name and value of each field, in order: what the JSON
        /// output writes beside the code and the message.
        #[allow(dead_code)] // Used by the `serde` feature's JSON output.
        fn for_each_detail(&self, visit: &mut dyn FnMut(&'static str, Detail));
    }
}

#[allow(unused_imports)] // Named by `rule_table!`, and by the JSON output.
pub(crate) use sealed::Entry;

/// Shown by a message: money as its exact amount and lowercase currency code, as every
/// message of the rule tables writes it (`4.00 usd`), the code as Stripe's wire writes it.
#[derive(Clone, Copy)]
pub(crate) struct Wire(pub(crate) crate::value::money::Money);

impl fmt::Display for Wire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = crate::value::currency::WireCode::of(self.0.currency());
        write!(f, "{} {code}", self.0.amount())
    }
}

#[cfg(test)]
mod tests {
    use super::Wire;
    use crate::value::money::Money;

    #[test]
    fn money_is_shown_with_its_lowercase_code() {
        let money = Money::from_minor(-400, iso_currency::Currency::USD);
        assert_eq!(
            money.map(|m| Wire(m).to_string()).ok().as_deref(),
            Some("-4.00 usd")
        );
    }
}
