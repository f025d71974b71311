//! The floors of the `plan_debit` benches: the same work written by hand, in one function
//! each, on plain integers, byte arrays and `Decimal`, with no type of the crate and no rule
//! table. They are the honest lower bound the crate's figures are read against (issue 19):
//! the crate is asked to stay within 2x of them, measured in the same run.
//!
//! What the floors keep, so that the comparison is fair:
//! - the same facts in, already read as the crate's input types hold them: ids as their
//!   bytes inline with a length, a country's Account Debits region and a currency's decimals
//!   looked up when the input is built, a reference's kind read from its prefix;
//! - the same work: every rule of the Stripe-managed flow is checked (17 of them), the
//!   amount is turned into minor units exactly (never rounded), the balance effect and the
//!   reserve are computed with checked arithmetic, the advisory is looked for;
//! - the same result: an owned plan (its ids copied, as a plan outlives its input), or an
//!   owned list of every rule broken, each with what it names.
//!
//! `tests/suite/floors.rs` checks that the floors answer what the crate answers, and that
//! the form's floor writes the very bytes the crate writes.

// Shared by the bench and the test suite, each of which uses part of it.
#![allow(dead_code)]

use core::fmt::{self, Write as _};

use rust_decimal::Decimal;
use stripe_account_debits::consent::Consent;
use stripe_account_debits::currency::StripeCurrency;
use stripe_account_debits::stripe::{
    Account, Balance, Connected, LossLiability, ObjectKind, Platform, ReferenceTransaction,
    ReferenceType, Region,
};
use stripe_account_debits::{Currency, Debit, DebitInput, DebitPlan, Money, Timestamp};

/// The benches' scenarios, which the floors are checked against.
pub mod scenario {
    use super::*;

    fn account(id: &str, country: &str, currency: Currency, liability: LossLiability) -> Account {
        Account::new(
            id.parse().unwrap(),
            country.parse().unwrap(),
            currency,
            liability,
        )
        .with_verified_bank_account(currency)
    }

    fn us(id: &str) -> Account {
        account(id, "US", Currency::USD, LossLiability::Stripe)
    }

    /// A debit of 5.00 USD between two US accounts with Stripe managed risk, with consent,
    /// against `balance_minor` available, justified by `reference`.
    pub fn accepted(balance_minor: i64, reference: &str) -> DebitInput {
        let platform = us("acct_1PgafTB7WZ01zgkW");
        let connected = us("acct_1Pgc79B7WZ01zgkW");
        let balance =
            Balance::new([Money::from_minor(balance_minor, Currency::USD).unwrap()]).unwrap();
        let debit = Debit::new(
            "recovery-42".parse().unwrap(),
            Decimal::new(500, 2),
            Currency::USD,
            ReferenceTransaction::new(reference.parse().unwrap(), connected.id()),
        );
        let consent = Consent::granted(
            Timestamp::from_unix(1_700_000_000),
            "agreement-42".parse().unwrap(),
        );
        DebitInput::new(
            Platform::new(platform),
            Connected::new(connected),
            balance,
            debit,
            Timestamp::from_unix(1_764_000_000),
        )
        .with_consent(consent)
    }

    /// The accepted debit with a reserve: 5.00 USD against 1.00 USD available, justified
    /// by a payout.
    pub fn with_reserve() -> DebitInput {
        accepted(100, "po_1Pgc79B7WZ01zgkWu1KToYf4")
    }

    /// Every rule group of the Stripe-managed flow broken at once (the flow asked for,
    /// since the account's losses are the platform's): platform liability, same account,
    /// regions, currency, amount, reference kind and account, consent. Ten rules.
    pub fn all_rules() -> DebitInput {
        let platform = account("acct_1Same", "BR", Currency::BRL, LossLiability::Stripe);
        let connected = account("acct_1Same", "MX", Currency::MXN, LossLiability::Platform);
        let debit = Debit::new(
            "recovery-42".parse().unwrap(),
            Decimal::new(-1, 3),
            Currency::USD,
            ReferenceTransaction::new(
                "pi_1Intent".parse().unwrap(),
                "acct_1Other".parse().unwrap(),
            ),
        );
        DebitInput::new(
            Platform::new(platform),
            Connected::new(connected),
            Balance::empty(),
            debit,
            Timestamp::from_unix(0),
        )
    }
}

/// An account id or a transaction id, as the crate holds one: its length, then its bytes
/// inline (zero past the length).
pub type Id = (u8, [u8; 64]);
/// No id.
const NO_ID: Id = (0, [0; 64]);
/// A debit id: the same, up to 100 bytes.
pub type DebitIdBytes = (u8, [u8; 100]);

/// An account, plainly.
#[derive(Clone, Copy)]
pub struct PlainAccount {
    pub id: Id,
    pub country: [u8; 2],
    /// The Account Debits region of the country, 0 where Stripe offers none.
    pub region: u8,
    /// ISO 4217 numeric code.
    pub default_currency: u16,
    /// 0: unknown, 1: Stripe, 2: the platform.
    pub loss_liability: u8,
    /// The currencies (ISO 4217 numeric) with a verified bank account on file.
    pub verified_bank_accounts: [u16; 2],
    pub bank_account_list_complete: bool,
}

/// A debit's facts, plainly.
#[derive(Clone)]
pub struct PlainInput {
    pub platform: PlainAccount,
    pub connected: PlainAccount,
    /// The connected account's available balances: (currency, minor units).
    pub balance: Vec<(u16, i64)>,
    pub debit_id: DebitIdBytes,
    pub amount: Decimal,
    pub currency: u16,
    /// (wire exponent, decimals an amount may have), when Stripe moves the currency.
    pub units: Option<(u32, u32)>,
    /// (the object's kind, read from the prefix: its place in `ObjectKind`; how Stripe takes
    /// it: 1 a charge, 2 a payout, 0 not at all; id; the account it was created on).
    pub reference: Option<(u8, u8, Id, Id)>,
    /// (granted at, revoked at), in seconds.
    pub consent: Option<(i64, Option<i64>)>,
    pub at: i64,
}

/// A plan, plainly: what the crate's `DebitPlan` holds for a Stripe-managed debit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainPlan {
    pub account: Id,
    pub destination: Id,
    /// (1 a charge, 2 a payout, as `reference_transaction[type]` says; the id).
    pub reference: (u8, Id),
    pub debit_id: DebitIdBytes,
    pub currency: u16,
    pub amount: i64,
    pub before: i64,
    pub after: i64,
    pub reserve: i64,
    /// `bank_account_unverified`: (listed in full).
    pub bank_account_unverified: Option<bool>,
}

/// A broken rule, plainly, with what the crate's `Violation` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    LossLiabilityNotStripe(Id),
    LossLiabilityUnknown(Id),
    SameAccount(Id),
    PlatformRegionUnsupported([u8; 2]),
    ConnectedRegionUnsupported([u8; 2]),
    RegionMismatch(u8, u8),
    CurrencyMismatch(u16, u16),
    CurrencyUnsupported(u16),
    AmountNotPositive(Decimal, u16),
    AmountTooPrecise(Decimal, u16, u32),
    AmountOutOfRange(Decimal, u16, Option<i64>),
    ReferenceMissing(Id),
    ReferenceKindUnsupported(Id, u8),
    ReferenceOtherAccount(Id, Id, Id),
    ConsentMissing(Id),
    ConsentNotYetValid(i64, i64),
    ConsentRevoked(i64, i64),
}

impl Broken {
    /// The crate's code for the rule.
    pub fn code(&self) -> &'static str {
        match self {
            Broken::LossLiabilityNotStripe(..) => "loss_liability_not_stripe",
            Broken::LossLiabilityUnknown(..) => "loss_liability_unknown",
            Broken::SameAccount(..) => "same_account",
            Broken::PlatformRegionUnsupported(..) => "platform_region_unsupported",
            Broken::ConnectedRegionUnsupported(..) => "connected_region_unsupported",
            Broken::RegionMismatch(..) => "region_mismatch",
            Broken::CurrencyMismatch(..) => "currency_mismatch",
            Broken::CurrencyUnsupported(..) => "currency_unsupported",
            Broken::AmountNotPositive(..) => "amount_not_positive",
            Broken::AmountTooPrecise(..) => "amount_too_precise",
            Broken::AmountOutOfRange(..) => "amount_out_of_range",
            Broken::ReferenceMissing(..) => "reference_missing",
            Broken::ReferenceKindUnsupported(..) => "reference_kind_unsupported",
            Broken::ReferenceOtherAccount(..) => "reference_other_account",
            Broken::ConsentMissing(..) => "consent_missing",
            Broken::ConsentNotYetValid(..) => "consent_not_yet_valid",
            Broken::ConsentRevoked(..) => "consent_revoked",
        }
    }
}

/// `10^0` to `10^28`, the largest scale of a `Decimal`.
const POWERS_OF_TEN: [i128; 29] = {
    let mut table = [1i128; 29];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// What the checks found: whether each rule is broken (in the table's order), and the
/// numbers the plan or the rejection needs.
struct Judged {
    rules: [bool; 17],
    before: i64,
    /// The balance after, when the amount is money, positive and leaves it in range.
    after: i64,
    wire_out_of_range: bool,
    revoked_at: i64,
}

/// The rules of the Stripe-managed flow, in the table's order, by hand.
#[inline(always)]
fn judge(input: &PlainInput) -> Judged {
    let (platform, connected) = (&input.platform, &input.connected);
    let (mantissa, scale) = (input.amount.mantissa(), input.amount.scale());
    let positive = !input.amount.is_zero() && !input.amount.is_sign_negative();
    // The amount in minor units, exactly: (wire amount if it fits an i64, too precise).
    let (minor, too_precise) = match input.units {
        Some((wire, decimals)) if scale == wire && scale == decimals => {
            (i64::try_from(mantissa).ok(), false)
        }
        Some((wire, decimals)) => {
            let too_precise = scale > decimals
                && POWERS_OF_TEN
                    .get((scale - decimals) as usize)
                    .is_none_or(|unit| mantissa % unit != 0);
            let minor = match scale.checked_sub(wire) {
                Some(down) => POWERS_OF_TEN.get(down as usize).map(|down| mantissa / down),
                None => POWERS_OF_TEN
                    .get((wire - scale) as usize)
                    .and_then(|up| mantissa.checked_mul(*up)),
            };
            (minor.and_then(|m| i64::try_from(m).ok()), too_precise)
        }
        None => (Some(0), false),
    };
    let supported = input.units.is_some();
    let before = input
        .balance
        .iter()
        .find(|(currency, _)| *currency == input.currency)
        .map_or(0, |(_, minor)| *minor);
    // The balance after, when the amount is money and positive: None when out of range.
    let after = match minor {
        Some(minor) if supported && positive && !too_precise => Some(before.checked_sub(minor)),
        _ => None,
    };
    let (kind_unsupported, elsewhere) = match &input.reference {
        Some((_, sent_as, _, account)) => (*sent_as == 0, *account != connected.id),
        None => (false, false),
    };
    let (not_yet, revoked_at) = match input.consent {
        Some((granted, _)) if input.at < granted => (true, None),
        Some((_, revoked)) => (false, revoked.filter(|revoked| *revoked <= input.at)),
        None => (false, None),
    };
    let (platform_region, connected_region) = (platform.region, connected.region);
    let wire_out_of_range = supported && minor.is_none();
    let rules = [
        connected.loss_liability == 2,
        connected.loss_liability == 0,
        platform.id == connected.id,
        platform_region == 0,
        connected_region == 0,
        platform_region != 0 && connected_region != 0 && platform_region != connected_region,
        input.currency != connected.default_currency,
        !supported,
        supported && !positive,
        supported && too_precise,
        wire_out_of_range || matches!(after, Some(None)),
        input.reference.is_none(),
        kind_unsupported,
        elsewhere,
        input.consent.is_none(),
        not_yet,
        revoked_at.is_some(),
    ];
    Judged {
        rules,
        before,
        after: after.flatten().unwrap_or(before),
        wire_out_of_range,
        revoked_at: revoked_at.unwrap_or_default(),
    }
}

/// The reserve Stripe holds for a debit that takes `before` to `after`: the growth of the
/// part below zero.
#[inline(always)]
fn reserve(before: i64, after: i64) -> i64 {
    let negative = |minor: i64| i128::from(minor).min(0).saturating_neg();
    i64::try_from(negative(after) - negative(before)).unwrap_or(0)
}

/// The Stripe-managed flow by hand: every rule checked, in the table's order, and the plan
/// computed when none is broken, owned as the crate's is (its ids copied); or else every
/// rule broken, with what each names. No types but plain data, no table.
#[inline(never)]
pub fn plan(input: &PlainInput) -> Result<PlainPlan, Vec<Broken>> {
    let judged = judge(input);
    if judged.rules != [false; 17] {
        return Err(rejection(input, &judged));
    }
    let (Some((_, sent_as, reference, _)), Some(amount)) =
        (&input.reference, judged.before.checked_sub(judged.after))
    else {
        return Err(Vec::new());
    };
    let connected = &input.connected;
    Ok(PlainPlan {
        account: connected.id,
        destination: input.platform.id,
        reference: (*sent_as, *reference),
        debit_id: input.debit_id,
        currency: input.currency,
        amount,
        before: judged.before,
        after: judged.after,
        reserve: reserve(judged.before, judged.after),
        bank_account_unverified: (!connected.verified_bank_accounts.contains(&input.currency))
            .then_some(connected.bank_account_list_complete),
    })
}

/// A plan that lends the input's ids instead of copying them: the checks and the numbers
/// alone, below what any owned plan can cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LentPlan<'a> {
    pub account: &'a Id,
    pub destination: &'a Id,
    pub reference: (u8, &'a Id),
    pub debit_id: &'a DebitIdBytes,
    pub amount: i64,
    pub after: i64,
    pub reserve: i64,
    pub bank_account_unverified: Option<bool>,
}

/// [`plan`] with the plan lending the input's ids, and a rejection as the number of rules
/// broken.
#[inline(never)]
pub fn plan_lent(input: &PlainInput) -> Result<LentPlan<'_>, usize> {
    let judged = judge(input);
    let broken = || judged.rules.iter().filter(|rule| **rule).count();
    let (true, Some((_, sent_as, reference, _)), Some(amount)) = (
        judged.rules == [false; 17],
        &input.reference,
        judged.before.checked_sub(judged.after),
    ) else {
        return Err(broken());
    };
    let connected = &input.connected;
    Ok(LentPlan {
        account: &connected.id,
        destination: &input.platform.id,
        reference: (*sent_as, reference),
        debit_id: &input.debit_id,
        amount,
        after: judged.after,
        reserve: reserve(judged.before, judged.after),
        bank_account_unverified: (!connected.verified_bank_accounts.contains(&input.currency))
            .then_some(connected.bank_account_list_complete),
    })
}

/// The broken rules, each with what it names, in the table's order: one allocation of the
/// exact size, each written in place.
fn rejection(input: &PlainInput, judged: &Judged) -> Vec<Broken> {
    let (platform, connected) = (&input.platform, &input.connected);
    let (amount, currency, at) = (input.amount, input.currency, input.at);
    let rules = &judged.rules;
    let mut out = Vec::with_capacity(rules.iter().filter(|rule| **rule).count());
    let broken = |rule: usize| rules.get(rule).copied().unwrap_or(false);
    let id = connected.id;
    if broken(0) {
        out.push(Broken::LossLiabilityNotStripe(id));
    }
    if broken(1) {
        out.push(Broken::LossLiabilityUnknown(id));
    }
    if broken(2) {
        out.push(Broken::SameAccount(id));
    }
    if broken(3) {
        out.push(Broken::PlatformRegionUnsupported(platform.country));
    }
    if broken(4) {
        out.push(Broken::ConnectedRegionUnsupported(connected.country));
    }
    if broken(5) {
        out.push(Broken::RegionMismatch(platform.region, connected.region));
    }
    if broken(6) {
        out.push(Broken::CurrencyMismatch(
            currency,
            connected.default_currency,
        ));
    }
    if broken(7) {
        out.push(Broken::CurrencyUnsupported(currency));
    }
    if broken(8) {
        out.push(Broken::AmountNotPositive(amount, currency));
    }
    let decimals = input.units.map_or(0, |(_, decimals)| decimals);
    if broken(9) {
        out.push(Broken::AmountTooPrecise(amount, currency, decimals));
    }
    if broken(10) {
        // The wire amount itself out of range names no balance; the balance less it, the
        // balance.
        let balance = (!judged.wire_out_of_range).then_some(judged.before);
        out.push(Broken::AmountOutOfRange(amount, currency, balance));
    }
    if broken(11) {
        out.push(Broken::ReferenceMissing(id));
    }
    if let Some((kind, _, reference, account)) = &input.reference {
        if broken(12) {
            out.push(Broken::ReferenceKindUnsupported(*reference, *kind));
        }
        if broken(13) {
            out.push(Broken::ReferenceOtherAccount(*reference, *account, id));
        }
    }
    if broken(14) {
        out.push(Broken::ConsentMissing(id));
    }
    if let Some((granted, _)) = input.consent {
        if broken(15) {
            out.push(Broken::ConsentNotYetValid(granted, at));
        }
        if broken(16) {
            out.push(Broken::ConsentRevoked(judged.revoked_at, at));
        }
    }
    out
}

/// What the form's floor writes, plainly: the values of a Stripe-managed debit's form.
pub struct PlainForm {
    pub amount: i64,
    pub currency: String,
    pub destination: String,
    pub reference_type: &'static str,
    pub reference: String,
    pub debit_id: String,
}

impl PlainForm {
    /// The values `plan`'s form sends, read once.
    pub fn of(plan: &DebitPlan) -> PlainForm {
        let transfer = plan.transfer();
        let reference = transfer.reference().expect("a Stripe-managed plan");
        PlainForm {
            amount: transfer.amount().minor(),
            currency: transfer.currency().code().to_ascii_lowercase(),
            destination: transfer.destination().as_str().to_owned(),
            reference_type: transfer.reference_type().expect("a reference").as_str(),
            reference: reference.id().as_str().to_owned(),
            debit_id: plan.debit_id().as_str().to_owned(),
        }
    }
}

/// The form by hand: one `write!` into the caller's buffer. (The debit id is written as it
/// is: this floor is for ids that need no encoding, as the bench's.)
#[inline(never)]
pub fn write_form(out: &mut String, form: &PlainForm) -> fmt::Result {
    write!(
        out,
        "amount={}&currency={}&destination={}&reference_transaction%5Btype%5D={}\
         &reference_transaction%5B{}%5D={}&metadata%5Baccount_debit_id%5D={}",
        form.amount,
        form.currency,
        form.destination,
        form.reference_type,
        form.reference_type,
        form.reference,
        form.debit_id,
    )
}

/// The form by hand without `fmt`'s machinery: each piece pushed as it is, the amount's
/// digits written by hand. The lower bound of writing these bytes into the buffer.
#[inline(never)]
pub fn push_form(out: &mut String, form: &PlainForm) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = form.amount.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.push_str("amount=");
    if form.amount < 0 {
        out.push('-');
    }
    out.push_str(core::str::from_utf8(&digits[start..]).unwrap_or_default());
    out.push_str("&currency=");
    out.push_str(&form.currency);
    out.push_str("&destination=");
    out.push_str(&form.destination);
    out.push_str("&reference_transaction%5Btype%5D=");
    out.push_str(form.reference_type);
    out.push_str("&reference_transaction%5B");
    out.push_str(form.reference_type);
    out.push_str("%5D=");
    out.push_str(&form.reference);
    out.push_str("&metadata%5Baccount_debit_id%5D=");
    out.push_str(&form.debit_id);
}

/// `text` as an id is held: its length, then its bytes.
fn id<const N: usize>(text: &str) -> (u8, [u8; N]) {
    let mut bytes = [0; N];
    bytes[..text.len()].copy_from_slice(text.as_bytes());
    (u8::try_from(text.len()).expect("a short id"), bytes)
}

fn numeric(currency: Currency) -> u16 {
    currency.numeric()
}

fn account(account: &Account, debit_currency: Currency) -> PlainAccount {
    let region = match Region::of(account.country()) {
        None => 0,
        Some(Region::Australia) => 1,
        Some(Region::Canada) => 2,
        Some(Region::Europe) => 3,
        Some(Region::HongKong) => 4,
        Some(Region::Japan) => 5,
        Some(Region::NewZealand) => 6,
        Some(Region::UnitedStates) => 7,
        Some(_) => 8,
    };
    let country = account.country();
    let code = country.as_str().as_bytes();
    // The currencies this input's rules ask about: the debit's and the account's.
    let mut verified = [0; 2];
    for (slot, currency) in verified
        .iter_mut()
        .zip([debit_currency, account.default_currency()])
    {
        if account.has_verified_bank_account(currency) {
            *slot = numeric(currency);
        }
    }
    PlainAccount {
        id: id(account.id().as_str()),
        country: [code[0], code[1]],
        region,
        default_currency: numeric(account.default_currency()),
        loss_liability: match account.loss_liability() {
            LossLiability::Stripe => 1,
            LossLiability::Platform => 2,
            _ => 0,
        },
        verified_bank_accounts: verified,
        bank_account_list_complete: account.bank_account_list_complete(),
    }
}

impl PlainInput {
    /// `input`'s facts, read once as plain data (outside the timed loop).
    pub fn of(input: &DebitInput) -> PlainInput {
        let debit = input.debit();
        let currency = debit.currency();
        PlainInput {
            platform: account(input.platform(), currency),
            connected: account(input.connected(), currency),
            balance: input
                .connected_balance()
                .iter()
                .map(|money| (numeric(money.currency()), money.minor()))
                .collect(),
            debit_id: id(debit.id().as_str()),
            amount: debit.amount(),
            currency: numeric(currency),
            units: StripeCurrency::of(currency)
                .map(|units| (units.wire_exponent(), units.decimal_places())),
            reference: debit.reference().map(|reference| {
                let kind = reference.id().kind();
                let sent_as = match kind {
                    ObjectKind::Charge | ObjectKind::Payment => 1,
                    ObjectKind::Payout => 2,
                    _ => 0,
                };
                (
                    kind as u8,
                    sent_as,
                    id(reference.id().as_str()),
                    id(reference.account().as_str()),
                )
            }),
            consent: input.consent().map(|consent| {
                (
                    consent.granted_at().unix(),
                    consent.revoked_at().map(|at| at.unix()),
                )
            }),
            at: input.at().unix(),
        }
    }
}

impl PlainPlan {
    /// Whether `plan` says what this plan says.
    pub fn agrees_with(&self, plan: &DebitPlan) -> bool {
        let transfer = plan.transfer();
        let effect = plan.connected_available();
        let reference_type = match transfer.reference_type() {
            Some(ReferenceType::Payout) => 2,
            _ => 1,
        };
        let unverified = plan
            .advisories()
            .iter()
            .find_map(|advisory| match advisory {
                stripe_account_debits::Advisory::BankAccountUnverified {
                    listed_in_full, ..
                } => Some(listed_in_full),
                _ => None,
            });
        *self
            == PlainPlan {
                account: id(transfer.account().as_str()),
                destination: id(transfer.destination().as_str()),
                reference: (
                    reference_type,
                    id(transfer.reference().expect("a reference").id().as_str()),
                ),
                debit_id: id(plan.debit_id().as_str()),
                currency: numeric(transfer.currency()),
                amount: transfer.amount().minor(),
                before: effect.before().minor(),
                after: effect.after().minor(),
                reserve: plan.reserve().minor(),
                bank_account_unverified: unverified,
            }
    }
}
