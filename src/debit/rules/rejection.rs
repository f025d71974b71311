//! Why something cannot be planned: every rule it breaks, in its table's order. One type
//! for every rule table: a debit's [`Rejection`] and a reversal's (`Rejection<ReversalViolation>`).

use core::fmt;

use super::{Rule, Violation};

/// Why a debit (or, as `Rejection<ReversalViolation>`, a reversal) cannot be planned:
/// every rule it breaks, in the order of its table ([`Violation::CODES`] for a debit),
/// never empty.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit, DebitInput};
/// use stripe_account_debits::stripe::{Connected, Platform};
///
/// let input = demo::input()?;
/// // The demo without its consent record.
/// let input = DebitInput::new(Platform::new(*input.platform()), Connected::new(*input.connected()),
///     input.connected_balance().clone(), *input.debit(), input.at());
/// let rejection = plan_debit(&input).unwrap_err();
/// assert_eq!(rejection.codes().collect::<Vec<_>>(), ["consent_missing"]);
/// assert!(rejection.breaks("consent_missing"));
/// for violation in &rejection {
///     assert_eq!(violation.code(), "consent_missing");
/// }
/// assert_eq!(rejection.to_string(), "debit rejected: no consent from the connected account to be debited is on record");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rejection<V: Rule = Violation> {
    violations: Vec<V>,
}

impl<V: Rule> Rejection<V> {
    /// A rejection of `violations`, which the flows collect in the table's order.
    pub(crate) fn new(violations: Vec<V>) -> Rejection<V> {
        debug_assert!(!violations.is_empty(), "a rejection names a broken rule");
        debug_assert!(
            violations
                .windows(2)
                .all(|pair| matches!(pair, [a, b] if a.position() < b.position())),
            "violations are listed once each, in the table's order: {violations:?}"
        );
        Rejection { violations }
    }

    /// This rejection with `violation` too, in its place in the table's order (a rule
    /// judged beside a flow's, by the ledger). A violation of a kind already listed is
    /// not listed twice.
    pub(crate) fn with(mut self, violation: V) -> Rejection<V> {
        let position = violation.position();
        if self.violations.iter().all(|v| v.position() != position) {
            let at = self
                .violations
                .iter()
                .take_while(|v| v.position() < position)
                .count();
            self.violations.insert(at, violation);
        }
        self
    }

    /// The broken rules, in order; never empty.
    pub fn violations(&self) -> &[V] {
        &self.violations
    }

    /// Whether the rule with `code` is among those broken.
    pub fn breaks(&self, code: &str) -> bool {
        self.violations.iter().any(|v| v.code() == code)
    }

    /// The codes of the broken rules, in order.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.violations.iter().map(V::code)
    }
}

impl<'a, V: Rule> IntoIterator for &'a Rejection<V> {
    type Item = &'a V;
    type IntoIter = core::slice::Iter<'a, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.violations.iter()
    }
}

/// `<what> rejected: ` and each broken rule's message, in order, joined by `; `.
impl<V: Rule> fmt::Display for Rejection<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rejected: ", V::REJECTS)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl<V: Rule> std::error::Error for Rejection<V> {}
