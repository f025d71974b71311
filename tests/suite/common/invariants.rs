//! The invariants of plans and rejections, written once and used by the property tests
//! (`tests/invariants.rs`) and the `plan_debit` fuzz target (`fuzz/`), which includes this
//! file by path. Each check returns a description of the first broken invariant.

use stripe_account_debits::currency;
use stripe_account_debits::request::MAX_IDEMPOTENCY_KEY_LEN;
use stripe_account_debits::stripe::{LossLiability, PlatformReserves, Region};
use stripe_account_debits::*;

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The part of a balance below zero, as a positive number.
pub fn neg(x: i128) -> i128 {
    if x < 0 { -x } else { 0 }
}

/// The rules, written again as plainly as possible (in Decimal arithmetic, where the crate
/// uses integers), to say which codes a input breaks. The ledger's own rules
/// (`Ledger::RULES`), which need the debits before this one, are in
/// [`expected_ledger_codes`].
pub fn expected_codes(input: &DebitInput) -> Vec<&'static str> {
    let mut codes = Vec::new();
    let (p, c, d) = (input.platform(), input.connected(), input.debit());
    // The flow follows who bears the losses; an unknown liability is judged by the
    // Stripe-managed flow, which rejects it.
    let platform_managed = c.loss_liability() == LossLiability::Platform;
    match c.loss_liability() {
        LossLiability::Stripe | LossLiability::Platform => {}
        _ => codes.push("loss_liability_unknown"),
    }
    if p.id() == c.id() {
        codes.push("same_account");
    }
    let (pr, cr) = (Region::of(p.country()), Region::of(c.country()));
    if pr.is_none() {
        codes.push("platform_region_unsupported");
    }
    if cr.is_none() {
        codes.push("connected_region_unsupported");
    }
    if pr.is_some() && cr.is_some() && pr != cr {
        codes.push("region_mismatch");
    }
    if d.currency() != c.default_currency() {
        codes.push("currency_mismatch");
    }
    // The debit's amount and the balance after it, when it is money.
    let mut effect: Option<(i64, i64)> = None;
    match currency::StripeCurrency::of(d.currency()) {
        None => codes.push("currency_unsupported"),
        Some(units) => {
            let amount = d.amount();
            let too_precise = amount.normalize().scale() > units.decimal_places();
            let wire = amount
                .checked_mul(Decimal::from(10i64.pow(units.wire_exponent())))
                .map(|w| w.trunc())
                .and_then(|w| i64::try_from(w).ok());
            if amount <= Decimal::ZERO {
                codes.push("amount_not_positive");
            }
            if too_precise {
                codes.push("amount_too_precise");
            }
            match wire {
                None => codes.push("amount_out_of_range"),
                Some(minor) if minor > 0 && !too_precise => {
                    let before = input
                        .connected_balance()
                        .available(d.currency())
                        .map_or(0, |m| m.minor());
                    match i64::try_from(i128::from(before) - i128::from(minor)) {
                        Err(_) => codes.push("amount_out_of_range"),
                        Ok(after) => effect = Some((minor, after)),
                    }
                }
                Some(_) => {}
            }
        }
    }
    if platform_managed {
        platform_managed_codes(input, effect, &mut codes);
    } else {
        match d.reference() {
            None => codes.push("reference_missing"),
            Some(reference) => {
                if !matches!(
                    reference.id().as_str().split('_').next(),
                    Some("ch" | "py" | "po")
                ) {
                    codes.push("reference_kind_unsupported");
                }
                if reference.account() != c.id() {
                    codes.push("reference_other_account");
                }
            }
        }
    }
    let at = input.at();
    match input.consent() {
        None => codes.push("consent_missing"),
        Some(consent) if at < consent.granted_at() => codes.push("consent_not_yet_valid"),
        Some(consent) if consent.revoked_at().is_some_and(|r| r <= at) => {
            codes.push("consent_revoked")
        }
        Some(_) => {}
    }
    codes
}

/// The platform-managed flow's own rules, given the debit's amount and the balance after
/// it when it is money.
fn platform_managed_codes(
    input: &DebitInput,
    effect: Option<(i64, i64)>,
    codes: &mut Vec<&'static str>,
) {
    let d = input.debit();
    if let Some((minor, after)) = effect {
        let callers = input
            .amount_cap()
            .filter(|cap| cap.currency() == d.currency())
            .map(|cap| cap.minor());
        // In USD, Stripe's 100,000 USD, or the caller's cap when lower.
        let cap = if d.currency() == Currency::USD {
            Some(callers.map_or(10_000_000, |c| c.min(10_000_000)))
        } else {
            callers
        };
        if cap.is_some_and(|cap| minor > cap) {
            codes.push("amount_over_cap");
        }
        if after < 0 && !input.negative_balances_allowed() {
            // Stripe's newest page: no debit takes the balance below zero, unless the
            // platform's arrangement allows it; only then do the earlier rules apply.
            codes.push("negative_balance_not_allowed");
        } else if after < 0 {
            match input.platform_reserves() {
                PlatformReserves::Disabled => codes.push("negative_balance_without_reserves"),
                PlatformReserves::Unknown => codes.push("platform_reserves_unknown"),
                _ => {}
            }
            if !input.connected().has_verified_bank_account(d.currency()) {
                codes.push("negative_balance_without_bank_account");
            }
        }
    }
    if d.purpose().is_none() {
        codes.push("purpose_missing");
    }
}

/// Every invariant of a plan for `input`.
pub fn check_plan(input: &DebitInput, plan: &DebitPlan) -> Result<(), String> {
    let d = input.debit();
    let amount = plan.transfer().amount();
    ensure!(
        amount.amount().normalize() == d.amount().normalize(),
        "transfer amount {amount} is not the requested {}",
        d.amount()
    );
    ensure!(
        plan.payment().amount() == amount,
        "payment differs from transfer"
    );
    ensure!(
        amount.currency() == d.currency(),
        "transfer currency differs"
    );
    let change = plan.connected_available();
    ensure!(
        change.before().currency() == d.currency() && change.after().currency() == d.currency(),
        "balance in another currency"
    );
    let (before, after, minor) = (
        i128::from(change.before().minor()),
        i128::from(change.after().minor()),
        i128::from(amount.minor()),
    );
    ensure!(minor > 0, "planned a non-positive amount {minor}");
    ensure!(after == before - minor, "{after} != {before} - {minor}");
    let reserve = i128::from(plan.reserve().minor());
    ensure!(
        reserve == neg(after) - neg(before),
        "reserve {reserve} is not neg({after}) - neg({before})"
    );
    ensure!(
        0 <= reserve && reserve <= minor,
        "reserve {reserve} outside 0..={minor}"
    );
    ensure!(
        (reserve > 0) == (after < 0),
        "reserve {reserve} with balance after {after}"
    );
    ensure!(
        plan.reserve_hold().is_some() == (reserve > 0),
        "reserve hold present iff reserve > 0"
    );
    let platform = i128::from(plan.platform_available_change().minor());
    ensure!(platform == minor - reserve, "platform change {platform}");
    ensure!(platform >= 0, "platform loses {platform}");
    // Conservation: what the connected account loses, the platform gains (available plus
    // reserved).
    ensure!(
        (after - before) + platform + reserve == 0,
        "money is not conserved"
    );
    let r = plan.request();
    ensure!(
        r.form().next().unwrap().1 == amount.minor().to_string(),
        "form amount {}",
        r.form().next().unwrap().1
    );
    // The body is the form, each name and value percent-encoded.
    let mut body = String::new();
    r.write_form_urlencoded(&mut body).unwrap();
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    let form: Vec<String> = r
        .form()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect();
    ensure!(
        body == form.join("&"),
        "body {body} is not the form {form:?}"
    );
    let (connected, platform_id) = (input.connected().id(), input.platform().id());
    let platform_managed = input.connected().loss_liability() == LossLiability::Platform;
    let expected_flow = if platform_managed {
        Flow::PlatformManaged
    } else {
        Flow::StripeManaged
    };
    ensure!(
        plan.flow() == expected_flow,
        "planned through {:?}",
        plan.flow()
    );
    let charge = platform_managed && input.debit().purpose() == Some(Purpose::ServiceCharge);
    ensure!(
        (plan.method() == Method::Charge) == charge,
        "method {:?} for {:?}",
        plan.method(),
        input.debit().purpose()
    );
    if charge {
        ensure!(
            r.stripe_account().is_none(),
            "a charge acts as the platform"
        );
        ensure!(r.path() == "/v1/charges", "path {}", r.path());
        ensure!(
            r.form().nth(2) == Some(("source", connected.as_str())),
            "source"
        );
    } else {
        ensure!(
            r.headers().iter().next().unwrap().1 == connected.as_str(),
            "Stripe-Account header"
        );
        ensure!(
            r.form().nth(2) == Some(("destination", platform_id.as_str())),
            "destination"
        );
        ensure!(
            r.form()
                .any(|(name, _)| name == "reference_transaction[type]")
                != platform_managed,
            "a reference is sent by the Stripe-managed flow only"
        );
    }
    ensure!(
        r.form().last().map(|(name, _)| name) == Some("metadata[account_debit_id]"),
        "the debit id is the last field"
    );
    ensure!(
        r.idempotency_key().as_str().len() <= MAX_IDEMPOTENCY_KEY_LEN,
        "idempotency key too long"
    );
    Ok(())
}

/// A rejection lists exactly the rules `input` breaks, in order, with proper messages.
pub fn check_rejection(input: &DebitInput, rejection: &Rejection) -> Result<(), String> {
    let codes: Vec<&str> = rejection.codes().collect();
    ensure!(!codes.is_empty(), "empty rejection");
    let expected = expected_codes(input);
    ensure!(
        codes == expected,
        "rejected with {codes:?}, expected {expected:?}"
    );
    let positions: Vec<usize> = rejection
        .violations()
        .iter()
        .map(Violation::position)
        .collect();
    ensure!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "violations out of order or repeated: {codes:?}"
    );
    for v in rejection.violations() {
        let message = v.to_string();
        ensure!(
            !message.ends_with('.'),
            "message ends with a period: {message}"
        );
        ensure!(
            message.chars().next().is_some_and(char::is_lowercase),
            "message does not start lowercase: {message}"
        );
    }
    Ok(())
}

/// Plans `input` and checks whichever outcome it gets, and that planning is
/// deterministic.
pub fn check(input: &DebitInput) -> Result<(), String> {
    let result = plan_debit(input);
    ensure!(result == plan_debit(input), "planning is not deterministic");
    match &result {
        Ok(plan) => {
            let expected = expected_codes(input);
            ensure!(expected.is_empty(), "planned, but {expected:?} are broken");
            check_plan(input, plan)
        }
        Err(rejection) => check_rejection(input, rejection),
    }
}

/// The codes a debit breaks in a ledger: those of [`expected_codes`] for the same input,
/// then the ledger's own, written again. `earlier` is the number of the debit of the ledger
/// that was planned with the same account and id, if any; `platform` the platform's
/// available balance in the debit's currency before it, in minor units.
pub fn expected_ledger_codes(
    input: &DebitInput,
    earlier: Option<u64>,
    platform: i64,
) -> Vec<&'static str> {
    let mut codes = expected_codes(input);
    if earlier.is_some() {
        codes.push("debit_id_reused");
    } else if codes.is_empty() {
        // Planned by its flow: what it brings the platform is the amount less the reserve.
        let d = input.debit();
        let before = input
            .connected_balance()
            .available(d.currency())
            .map_or(0, |m| i128::from(m.minor()));
        let wire = currency::StripeCurrency::of(d.currency())
            .and_then(|units| {
                d.amount()
                    .checked_mul(Decimal::from(10i64.pow(units.wire_exponent())))
            })
            .and_then(|w| i128::try_from(w).ok())
            .unwrap_or(0);
        let after = before - wire;
        let brought_in = wire - (neg(after) - neg(before));
        if i64::try_from(i128::from(platform) + brought_in).is_err() {
            codes.push("platform_balance_out_of_range");
        }
    }
    codes
}
