//! Stripe's Accounts v2 object (`v2.core.account`) read beside v1's Account: where each
//! fact the rules need is in the v2 shape, and the rule that a fact given in both shapes
//! must agree (a platform moving to v2 may paste either, or a mix).
//!
//! Source: Stripe's v2 Account object reference (`/api/v2/core/accounts/object`, GA in API
//! version 2025-12-15.clover) and stripe-python's generated `stripe/v2/core/_account.py`:
//! `identity.country` ("an ISO 3166-1 alpha-2 country code"; the reference's examples
//! write it in either case), `defaults.currency` ("Three-letter ISO currency code, in
//! lowercase"), `defaults.responsibilities.losses_collector` (`application` or `stripe`,
//! nullable) and `created` (an RFC 3339 UTC string, read in
//! [`super::scenario::platform_reserves`]). `id` is the same `acct_` id in both shapes.
//! What v2 does not carry (`settings.payouts.debit_negative_balances`, external accounts)
//! is read from v1's fields when they are given beside it, and is otherwise not known.

use iso_currency::Currency;

use super::ReadError;
use crate::reader::ReadErrorKind as Kind;
use crate::reader::{Field, Leaf, Path, fields};
use crate::stripe::region::Country;
use crate::value::text::quoted;

/// The `object` of a v2 Account.
const V2_OBJECT: &str = "v2.core.account";

fields! {
    /// A v2 Account's `identity`.
    pub(super) struct IdentityDoc<'de> {
        unknown: skipped;
        "country" => country: Leaf<'de>,
    }
}

fields! {
    /// A v2 Account's `defaults`.
    pub(super) struct DefaultsDoc<'de> {
        unknown: skipped;
        "currency" => currency: Leaf<'de>,
        "responsibilities" => responsibilities: Field<ResponsibilitiesDoc<'de>>,
    }
}

fields! {
    /// A v2 Account's `defaults.responsibilities`.
    pub(super) struct ResponsibilitiesDoc<'de> {
        unknown: skipped;
        "losses_collector" => losses_collector: Leaf<'de>,
    }
}

/// Whether an Account object says it is a v2 one (`"object": "v2.core.account"`): a fact
/// missing from both shapes is then named by its v2 path.
pub(super) fn is_v2(object: &Leaf<'_>) -> bool {
    matches!(object, Leaf::Str(name) if name == V2_OBJECT)
}

/// The account's country: v1's `country`, v2's `identity.country`, or both when they agree.
pub(super) fn country(
    v1: &Leaf<'_>,
    identity: &Field<IdentityDoc<'_>>,
    path: &Path<'_>,
    v2_shape: bool,
) -> Result<Country, ReadError> {
    let identity_path = path.key("identity");
    let v2 = match identity.optional(&identity_path)? {
        Some(identity) => identity.country.present(),
        None => None,
    };
    let paths = (path.key("country"), identity_path.key("country"));
    let read = |leaf: &Leaf<'_>, at: &Path<'_>| leaf.parse::<Country>(at);
    required(
        v1,
        v2,
        &paths,
        v2_shape,
        read,
        "the account's country is ambiguous",
    )
}

/// The account's default currency: v1's `default_currency`, v2's `defaults.currency`, or
/// both when they agree.
pub(super) fn default_currency(
    v1: &Leaf<'_>,
    defaults: &Field<DefaultsDoc<'_>>,
    path: &Path<'_>,
    v2_shape: bool,
) -> Result<Currency, ReadError> {
    let defaults_path = path.key("defaults");
    let v2 = match defaults.optional(&defaults_path)? {
        Some(defaults) => defaults.currency.present(),
        None => None,
    };
    let paths = (path.key("default_currency"), defaults_path.key("currency"));
    let read = |leaf: &Leaf<'_>, at: &Path<'_>| leaf.iso_currency(at);
    let what = "the account's default currency is ambiguous";
    required(v1, v2, &paths, v2_shape, read, what)
}

/// A fact an Account must give in one shape or both (`paths`: its v1 and v2 paths), each
/// read by `read`; given in both, they must agree; missing from both, it is named by the
/// path of the Account's own shape.
fn required<T: PartialEq>(
    v1: &Leaf<'_>,
    v2: Option<&Leaf<'_>>,
    (v1_path, v2_path): &(Path<'_>, Path<'_>),
    v2_shape: bool,
    read: impl Fn(&Leaf<'_>, &Path<'_>) -> Result<T, ReadError>,
    what: &str,
) -> Result<T, ReadError> {
    let first = v1.present().map(|leaf| read(leaf, v1_path)).transpose()?;
    let second = v2.map(|leaf| read(leaf, v2_path)).transpose()?;
    let at = Both {
        v1: v1.present(),
        v1_path,
        v2,
        v2_path,
    };
    at.agree(first, second, what)?
        .ok_or_else(|| at.missing(v2_shape))
}

/// Who bears the account's losses as Stripe names it (`application`, `stripe`): v1's
/// `controller.losses.payments` (`v1`, when there is one, read at `v1_path`), v2's
/// `defaults.responsibilities.losses_collector`, or both when they agree. `None` when
/// neither says (`null` included).
pub(super) fn losses<'a>(
    v1: Option<&'a Leaf<'a>>,
    v1_path: &Path<'_>,
    defaults: &'a Field<DefaultsDoc<'a>>,
    path: &Path<'_>,
) -> Result<Option<&'a str>, ReadError> {
    let defaults_path = path.key("defaults");
    let responsibilities_path = defaults_path.key("responsibilities");
    let v2_path = responsibilities_path.key("losses_collector");
    let v2 = match defaults.optional(&defaults_path)? {
        Some(defaults) => match defaults.responsibilities.optional(&responsibilities_path)? {
            Some(responsibilities) => responsibilities.losses_collector.present(),
            None => None,
        },
        None => None,
    };
    let first = match v1 {
        Some(leaf) => leaf.optional_str(v1_path)?,
        None => None,
    };
    let v1 = v1.and_then(Leaf::present);
    let second = v2.map(|leaf| leaf.str(&v2_path)).transpose()?;
    let at = Both {
        v1,
        v1_path,
        v2,
        v2_path: &v2_path,
    };
    at.agree(first, second, "who bears the account's losses is ambiguous")
}

/// Where one fact is in an Account's two shapes.
struct Both<'a, 'p> {
    v1: Option<&'a Leaf<'a>>,
    v1_path: &'p Path<'p>,
    v2: Option<&'a Leaf<'a>>,
    v2_path: &'p Path<'p>,
}

impl Both<'_, '_> {
    /// The fact from either shape; given in both, they must agree (`what` says what is
    /// ambiguous otherwise), and the error names both paths.
    fn agree<T: PartialEq>(
        &self,
        v1: Option<T>,
        v2: Option<T>,
        what: &str,
    ) -> Result<Option<T>, ReadError> {
        match (v1, v2) {
            (Some(a), Some(b)) if a != b => Err(ReadError::at(
                Kind::Invalid,
                self.v2_path,
                format_args!(
                    "\"{}\" disagrees with {}, \"{}\": {what}",
                    text(self.v2),
                    self.v1_path,
                    text(self.v1)
                ),
            )),
            (a, b) => Ok(a.or(b)),
        }
    }

    /// Missing from both: named by its v2 path in a v2 Account, else by its v1 path.
    fn missing(&self, v2_shape: bool) -> ReadError {
        let path = if v2_shape { self.v2_path } else { self.v1_path };
        ReadError::at(Kind::Missing, path, "missing")
    }
}

/// A string value, quoted safely for a message.
fn text(leaf: Option<&Leaf<'_>>) -> String {
    match leaf {
        Some(Leaf::Str(text)) => quoted(text),
        _ => String::new(),
    }
}
