//! What a plan says: balances, reserve holds, the payment, and the exact Stripe request.

use crate::common::{CONNECTED, PLATFORM, Scenario};
use stripe_account_debits::request::MAX_IDEMPOTENCY_KEY_LEN;
use stripe_account_debits::stripe::{LossLiability, MAX_ID_LEN};
use stripe_account_debits::*;

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD).unwrap()
}

#[test]
fn a_debit_within_the_balance_holds_no_reserve() {
    let plan = Scenario::base().plan().unwrap();
    assert_eq!(plan.connected_available().before(), usd(1000));
    assert_eq!(plan.connected_available().after(), usd(500));
    assert_eq!(plan.reserve_hold(), None);
    assert_eq!(plan.reserve(), usd(0));
    assert_eq!(plan.platform_available_change(), usd(500));
    assert_eq!(plan.transfer().account().as_str(), CONNECTED);
    assert_eq!(plan.transfer().destination().as_str(), PLATFORM);
    assert_eq!(plan.payment().account().as_str(), PLATFORM);
    assert_eq!(plan.payment().source_account().as_str(), CONNECTED);
    assert_eq!(plan.payment().amount(), usd(500));
}

#[test]
fn a_debit_of_the_whole_balance_holds_no_reserve() {
    let mut s = Scenario::base();
    s.balance = vec![(500, Currency::USD)];
    let plan = s.plan().unwrap();
    assert_eq!(plan.connected_available().after(), usd(0));
    assert_eq!(plan.reserve_hold(), None);
}

#[test]
fn a_debit_past_the_balance_reserves_the_shortfall() {
    let mut s = Scenario::base();
    s.balance = vec![(300, Currency::USD)];
    let plan = s.plan().unwrap();
    assert_eq!(plan.connected_available().after(), usd(-200));
    let hold = plan.reserve_hold().unwrap();
    assert_eq!(hold.amount(), usd(200));
    assert_eq!(hold.account().as_str(), PLATFORM);
    assert_eq!(plan.platform_available_change(), usd(300));
}

#[test]
fn an_already_negative_balance_reserves_the_whole_debit() {
    let mut s = Scenario::base();
    s.balance = vec![(-100, Currency::USD)];
    let plan = s.plan().unwrap();
    assert_eq!(plan.connected_available().after(), usd(-600));
    assert_eq!(plan.reserve_hold().unwrap().amount(), usd(500));
    assert_eq!(plan.platform_available_change(), usd(0));
}

#[test]
fn a_currency_missing_from_the_balance_counts_as_zero() {
    let mut s = Scenario::base();
    s.balance = vec![(100_000, Currency::EUR)];
    let plan = s.plan().unwrap();
    assert_eq!(plan.connected_available().before(), usd(0));
    assert_eq!(plan.reserve_hold().unwrap().amount(), usd(500));
}

#[test]
fn zero_decimal_and_three_decimal_currencies_go_on_the_wire_as_stripe_counts_them() {
    let cases = [
        ("JP", Currency::JPY, Decimal::new(500, 0), "500", "jpy"),
        ("US", Currency::KWD, Decimal::new(1250, 3), "1250", "kwd"),
        ("IS", Currency::ISK, Decimal::new(123, 0), "12300", "isk"),
    ];
    for (country, currency, amount, wire, code) in cases {
        let mut s = Scenario::base();
        s.platform = crate::common::account(PLATFORM, country, currency, LossLiability::Stripe);
        s.connected = crate::common::account(CONNECTED, country, currency, LossLiability::Stripe);
        s.currency = currency;
        s.amount = amount;
        s.balance = vec![];
        let plan = s.plan().unwrap();
        let request = plan.request();
        let form: Vec<_> = request.form().collect();
        assert_eq!(form[0], ("amount", wire), "{code}");
        assert_eq!(form[1], ("currency", code));
        assert_eq!(plan.transfer().amount().amount(), amount);
    }
}

#[test]
fn the_request_is_exactly_what_stripe_takes() {
    let plan = Scenario::base().plan().unwrap();
    let request = plan.request();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.path(), "/v1/transfers");
    assert_eq!(
        request.headers().iter().collect::<Vec<_>>(),
        [
            ("Stripe-Account", CONNECTED),
            (
                "Idempotency-Key",
                "account-debit:acct_1Platform:acct_1Connected:recovery-42"
            ),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    );
    assert_eq!(
        request.form().collect::<Vec<_>>(),
        [
            ("amount", "500"),
            ("currency", "usd"),
            ("destination", PLATFORM),
            ("reference_transaction[type]", "charge"),
            ("reference_transaction[charge]", "ch_1Charge"),
            ("metadata[account_debit_id]", "recovery-42"),
        ]
    );
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    assert_eq!(
        body,
        "amount=500&currency=usd&destination=acct_1Platform\
         &reference_transaction%5Btype%5D=charge&reference_transaction%5Bcharge%5D=ch_1Charge\
         &metadata%5Baccount_debit_id%5D=recovery-42"
    );
}

#[test]
fn a_debit_id_with_every_printable_character_is_sent_percent_encoded() {
    // Every printable ASCII character but the space (which a debit id cannot hold), each
    // alone and all together.
    let all: String = ('!'..='~').collect();
    let ids: Vec<String> = ('!'..='~').map(|c| format!("id{c}")).chain([all]).collect();
    for id in &ids {
        let mut s = Scenario::base();
        s.debit_id = id.clone().leak();
        let plan = s.plan().unwrap();
        let mut body = String::new();
        plan.request().write_form_urlencoded(&mut body).unwrap();
        let sent = body
            .rsplit_once("&metadata%5Baccount_debit_id%5D=")
            .unwrap()
            .1;
        let expected: String = id
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        assert_eq!(sent, expected, "{id}");
        assert_eq!(
            plan.request().form().last(),
            Some(("metadata[account_debit_id]", id.as_str()))
        );
    }
}

#[test]
fn idempotency_keys_are_stable_per_debit_and_distinct_across_debits() {
    let a = Scenario::base().plan().unwrap();
    let again = Scenario::base().plan().unwrap();
    assert_eq!(a, again);
    assert_eq!(
        a.request().idempotency_key(),
        again.request().idempotency_key()
    );

    let mut other = Scenario::base();
    other.debit_id = "recovery-43";
    let b = other.plan().unwrap();
    assert_ne!(a.request().idempotency_key(), b.request().idempotency_key());

    // The key depends on the accounts too, not just the caller's id.
    let k1 = IdempotencyKey::new(
        "acct_1A".parse().unwrap(),
        "acct_1B".parse().unwrap(),
        "x".parse().unwrap(),
    );
    let k2 = IdempotencyKey::new(
        "acct_1B".parse().unwrap(),
        "acct_1A".parse().unwrap(),
        "x".parse().unwrap(),
    );
    assert_ne!(k1, k2);
}

#[test]
fn the_longest_key_fits_stripes_limit() {
    let id = format!("acct_{}", "a".repeat(MAX_ID_LEN - 5));
    let debit = "d".repeat(MAX_DEBIT_ID_LEN);
    let key = IdempotencyKey::new(
        id.parse().unwrap(),
        id.parse().unwrap(),
        debit.parse().unwrap(),
    );
    assert_eq!(
        key.as_str(),
        format!("account-debit:{id}:{id}:{debit}"),
        "nothing is cut off"
    );
    assert!(key.as_str().len() <= MAX_IDEMPOTENCY_KEY_LEN);
}

#[test]
fn the_demo_request_plans() {
    let plan = plan_debit(&demo::input().unwrap()).unwrap();
    assert_eq!(
        plan.request().headers().iter().next().unwrap().1,
        demo::CONNECTED
    );
    assert_eq!(plan.transfer().destination().as_str(), demo::PLATFORM);
}

#[test]
fn a_replay_updates_the_balance_in_place() {
    let mut input = Scenario::base().input();
    let first = plan_debit(&input).unwrap();
    input
        .connected_balance_mut()
        .set_available(first.connected_available().after());
    let second = plan_debit(&input).unwrap();
    assert_eq!(second.connected_available().before(), usd(500));
    assert_eq!(second.connected_available().after(), usd(0));
}

#[test]
fn advisories_count() {
    let plan = Scenario::base().plan().unwrap();
    assert_eq!(
        (plan.advisories().len(), plan.advisories().is_empty()),
        (0, true)
    );
    let mut s = Scenario::base();
    s.connected = crate::common::account(CONNECTED, "US", Currency::USD, LossLiability::Stripe);
    let plan = s.plan().unwrap();
    assert_eq!(
        (plan.advisories().len(), plan.advisories().is_empty()),
        (1, false)
    );
}

/// The longest transfer there can be (64-byte ids, the largest amount, a 100-byte debit id)
/// renders whole, reading the same as the form, field by field, and its key fits
/// Stripe's 255 characters.
#[test]
fn the_longest_request_renders_whole() {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let platform = leak(format!("acct_{}", "P".repeat(59)));
    let connected = leak(format!("acct_{}", "C".repeat(59)));
    let mut s = Scenario::base();
    s.platform = crate::common::account(platform, "US", Currency::USD, LossLiability::Stripe);
    s.connected = crate::common::account(connected, "US", Currency::USD, LossLiability::Stripe);
    s.reference = leak(format!("py_{}", "9".repeat(61)));
    s.reference_account = connected;
    s.debit_id = leak("d".repeat(MAX_DEBIT_ID_LEN));
    s.amount = Decimal::new(i64::MAX, 2);
    s.balance = vec![];
    let plan = s.plan().unwrap();
    let request = plan.request();
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    let expected: Vec<String> = request
        .form()
        .map(|(name, value)| format!("{}={value}", name.replace('[', "%5B").replace(']', "%5D")))
        .collect();
    assert_eq!(body, expected.join("&"));
    // 19 digits of amount: the 20th character, a sign, never comes with a positive amount;
    // then the 100-character debit id in the metadata, which needs no encoding here.
    assert_eq!(body.len(), 254 + 32 + 100);
    assert_eq!(
        request.idempotency_key().as_str().len(),
        14 + 64 + 1 + 64 + 1 + 100
    );
}

#[test]
fn headers_rejections_and_advisories_iterate_by_reference() {
    let plan = Scenario::base().plan().unwrap();
    let request = plan.request();
    assert_eq!(request.stripe_account(), Some(CONNECTED));
    let headers = request.headers();
    let by_ref: Vec<(&str, &str)> = (&headers).into_iter().collect();
    assert_eq!(by_ref, headers.iter().collect::<Vec<_>>());
    assert_eq!(
        by_ref,
        [
            ("Stripe-Account", CONNECTED),
            (
                "Idempotency-Key",
                "account-debit:acct_1Platform:acct_1Connected:recovery-42"
            ),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    );
    assert_eq!(
        format!("{headers:?}"),
        "[(\"Stripe-Account\", \"acct_1Connected\"), (\"Idempotency-Key\", \
         \"account-debit:acct_1Platform:acct_1Connected:recovery-42\"), \
         (\"Content-Type\", \"application/x-www-form-urlencoded\")]"
    );
    let key = plan.idempotency_key();
    assert_eq!(key, request.idempotency_key());
    assert_eq!(AsRef::<str>::as_ref(&key), key.as_str());
    assert_eq!(plan.debit_id().as_str(), "recovery-42");

    let mut s = Scenario::base();
    s.consent = None;
    s.currency = Currency::EUR;
    let rejection = s.plan().unwrap_err();
    let codes: Vec<&str> = (&rejection).into_iter().map(Violation::code).collect();
    assert_eq!(codes, ["currency_mismatch", "consent_missing"]);

    let mut s = Scenario::base();
    s.connected = crate::common::account(CONNECTED, "US", Currency::USD, LossLiability::Stripe);
    let plan = s.plan().unwrap();
    let advisories: Vec<Advisory> = plan.advisories().into_iter().collect();
    assert_eq!(advisories.len(), 1);
    assert_eq!(advisories[0].kind(), AdvisoryKind::BankAccountUnverified);
    assert_eq!(advisories[0].position(), 0);
}
