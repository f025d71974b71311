//! The lifecycle after a plan: reading replies (the decision table row by row), the
//! backoff, the budget and the key window, attempt keys, finding and reversing a debit,
//! Stripe's fixtures, the JSON commands, and a property test that drives an attempt as a
//! state machine through any sequence of replies.

use proptest::prelude::*;
use serde_json::{Value, json};
use stripe_account_debits::lifecycle::*;
use stripe_account_debits::request::{KeyParts, MAX_IDEMPOTENCY_KEY_LEN};
use stripe_account_debits::stripe::Balance;
use stripe_account_debits::stripe::{ReversalRecord, StripeError, TransferList, TransferRecord};
use stripe_account_debits::*;

const T0: i64 = 1_764_000_000;

/// A command's result as the command line prints it: its JSON (the typed output, or the
/// invalid-input output for an error), its text and its kind's code.
trait Printed {
    fn json(&self) -> Value;
    fn text(&self) -> String;
    fn kind(&self) -> &'static str;
}

macro_rules! printed {
    ($($ty:ty),*) => {$(
        impl Printed for Result<$ty, json::ReadError> {
            fn json(&self) -> Value {
                match self {
                    Ok(output) => serde_json::to_value(output).unwrap(),
                    Err(error) => serde_json::to_value(json::invalid_input(error)).unwrap(),
                }
            }

            fn text(&self) -> String {
                match self {
                    Ok(output) => output.to_string(),
                    Err(error) => json::invalid_input(error).to_string(),
                }
            }

            fn kind(&self) -> &'static str {
                match self {
                    Ok(output) => output.kind().code(),
                    Err(_) => "invalid_input",
                }
            }
        }
    )*};
}

printed!(json::ReplyDecision, json::FindResult, json::ReversalResult);

fn plan() -> DebitPlan {
    plan_debit(&demo::input().unwrap()).unwrap()
}

fn attempt(sends: u32, now: i64) -> Attempt {
    Attempt::new(
        AttemptNumber::FIRST,
        sends,
        Timestamp::from_unix(T0),
        Timestamp::from_unix(now),
    )
    .unwrap()
}

/// The planned transfer as Stripe would return it, as JSON.
fn transfer_json(plan: &DebitPlan) -> Value {
    json!({
        "id": "tr_1Debit", "object": "transfer", "amount": plan.transfer().amount().minor(),
        "amount_reversed": 0, "currency": "usd", "destination": plan.transfer().destination().as_str(),
        "destination_payment": "py_1Debit", "metadata": {"account_debit_id": plan.debit_id().as_str()},
        "reversed": false, "created": T0, "livemode": false, "reversals": {"object": "list", "data": []}
    })
}

fn decide(status: u16, headers: &[(&str, &str)], body: &[u8], sends: u32, now: i64) -> Next {
    let reply = Reply::new(status, headers, body);
    read_reply(
        &plan(),
        &attempt(sends, now),
        Some(&reply),
        &ReplyOptions::default(),
    )
}

fn window(next: &Next) -> (u64, u64) {
    match next {
        Next::Retry { delay, .. } => (delay.min_ms(), delay.max_ms()),
        other => panic!("expected a retry, got {other:?}"),
    }
}

fn doubt(next: &Next) -> InDoubtReason {
    match next {
        Next::InDoubt { reason, .. } => *reason,
        other => panic!("expected in doubt, got {other:?}"),
    }
}

fn retry_reason(next: &Next) -> RetryReason {
    match next {
        Next::Retry { reason, .. } => *reason,
        other => panic!("expected a retry, got {other:?}"),
    }
}

#[test]
fn the_planned_transfer_confirms_with_its_ids_and_whether_it_was_replayed() {
    let plan = plan();
    let body = transfer_json(&plan).to_string();
    for (headers, replayed) in [
        (&[][..], false),
        (&[("idempotent-replayed", "true")][..], true),
    ] {
        match decide(200, headers, body.as_bytes(), 1, T0) {
            Next::Confirmed {
                transfer,
                payment,
                replayed: r,
                ..
            } => {
                assert_eq!(
                    (transfer.as_str(), payment.as_str(), r),
                    ("tr_1Debit", "py_1Debit", replayed)
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // Any 2xx.
    assert_eq!(decide(201, &[], body.as_bytes(), 1, T0).code(), "confirmed");
}

#[test]
fn a_transfer_that_is_not_the_planned_one_is_a_mismatch_naming_the_field() {
    let plan = plan();
    let cases: [(&str, Value, MismatchField, &str, &str); 8] = [
        (
            "object",
            json!("charge"),
            MismatchField::Object,
            "transfer",
            "charge",
        ),
        ("amount", json!(501), MismatchField::Amount, "500", "501"),
        (
            "currency",
            json!("eur"),
            MismatchField::Currency,
            "usd",
            "eur",
        ),
        (
            "destination",
            json!("acct_1Other"),
            MismatchField::Destination,
            demo::PLATFORM,
            "acct_1Other",
        ),
        (
            "destination",
            Value::Null,
            MismatchField::Destination,
            demo::PLATFORM,
            "null",
        ),
        (
            "metadata",
            json!({"account_debit_id": "other\n"}),
            MismatchField::DebitId,
            "recovery-42",
            "other\\n",
        ),
        ("id", json!("ch_1"), MismatchField::Id, "tr_...", "ch_1"),
        (
            "destination_payment",
            json!("ch_1"),
            MismatchField::DestinationPayment,
            "py_...",
            "ch_1",
        ),
    ];
    for (key, value, field, planned, returned) in cases {
        let mut body = transfer_json(&plan);
        body[key] = value;
        let next = decide(200, &[], body.to_string().as_bytes(), 1, T0);
        match next {
            Next::Mismatch {
                field: f,
                planned: p,
                returned: r,
                ..
            } => {
                assert_eq!(
                    (f, p.as_str(), r.as_str()),
                    (field, planned, returned),
                    "{key}"
                );
            }
            other => panic!("{key}: {other:?}"),
        }
    }
    assert_eq!(MismatchField::DebitId.name(), "metadata[account_debit_id]");
    let mut body = transfer_json(&plan);
    body.as_object_mut().unwrap().remove("metadata");
    assert_eq!(
        decide(200, &[], body.to_string().as_bytes(), 1, T0).code(),
        "mismatch"
    );
    body.as_object_mut().unwrap().remove("destination_payment");
    assert_eq!(
        decide(200, &[], body.to_string().as_bytes(), 1, T0).code(),
        "mismatch"
    );
}

#[test]
fn an_unreadable_success_is_resent_to_read_the_replay() {
    for body in [
        &b""[..],
        b"<html>",
        b"{\"id\": 1}",
        b"{\"object\": \"transfer\"}",
    ] {
        let next = decide(200, &[], body, 1, T0);
        assert_eq!(retry_reason(&next), RetryReason::UnreadableBody);
    }
}

#[test]
fn the_decision_table_follows_the_official_clients() {
    let retry =
        |status, headers: &[(&str, &str)]| retry_reason(&decide(status, headers, b"", 1, T0));
    // No reply: retried.
    let next = read_reply(&plan(), &attempt(1, T0), None, &ReplyOptions::default());
    assert_eq!(retry_reason(&next), RetryReason::NoReply);
    // The header decides first, either way.
    assert_eq!(
        retry(400, &[("Stripe-Should-Retry", "true")]),
        RetryReason::StripeShouldRetry
    );
    assert_eq!(
        decide(409, &[("stripe-should-retry", "false")], b"", 1, T0).code(),
        "failed"
    );
    assert_eq!(
        doubt(&decide(
            503,
            &[("Stripe-Should-Retry", "false")],
            b"",
            1,
            T0
        )),
        InDoubtReason::StripeSaysDoNotRetry
    );
    // Then 409, 429 (our deviation) and 5xx.
    assert_eq!(retry(409, &[]), RetryReason::Conflict);
    assert_eq!(retry(429, &[]), RetryReason::RateLimited);
    for status in [500, 502, 503, 599] {
        assert_eq!(retry(status, &[]), RetryReason::ServerError, "{status}");
    }
    // Nothing else is retried.
    for status in [400, 401, 402, 403, 404, 499] {
        assert_eq!(decide(status, &[], b"", 1, T0).code(), "failed", "{status}");
    }
    for status in [100, 199, 301, 304, 399] {
        assert_eq!(
            doubt(&decide(status, &[], b"", 1, T0)),
            InDoubtReason::UnexpectedStatus,
            "{status}"
        );
    }
}

#[test]
fn what_is_not_an_http_status_is_never_retried() {
    // RFC 9110, section 15: a status code is within 100..=599. Anything else comes from the
    // caller's HTTP layer, not from Stripe: in doubt, whatever the headers say, within the
    // budget or not, and never read as a 5xx.
    let headers: [&[(&str, &str)]; 3] = [
        &[],
        &[("Stripe-Should-Retry", "true")],
        &[("Idempotent-Replayed", "true"), ("Request-Id", "req_7")],
    ];
    for status in [0, 42, 99, 600, 999, 65535] {
        for headers in headers {
            for sends in [1, 3] {
                let next = decide(status, headers, b"", sends, T0);
                assert_eq!(next.code(), "in_doubt", "{status} {headers:?} {sends}");
                assert_eq!(doubt(&next).code(), "not_an_http_status", "{status}");
                let Next::InDoubt { status: seen, .. } = next else {
                    unreachable!()
                };
                assert_eq!(seen, Some(status));
            }
        }
    }
    // 100 is an HTTP status (informational), which Stripe's API does not send.
    assert_eq!(
        doubt(&decide(100, &[], b"", 1, T0)).code(),
        "unexpected_status"
    );
}

#[test]
fn a_replayed_server_error_is_in_doubt_whatever_the_header_says() {
    for should_retry in ["true", "false", "maybe"] {
        let headers = [
            ("Idempotent-Replayed", "true"),
            ("Stripe-Should-Retry", should_retry),
            ("Request-Id", "req_9"),
        ];
        let next = decide(500, &headers, b"", 1, T0);
        assert_eq!(
            next,
            decide(500, &headers, b"{}", 1, T0),
            "the body does not matter"
        );
        match next {
            Next::InDoubt {
                reason,
                status,
                request_id,
                ..
            } => {
                assert_eq!(
                    (reason, status, request_id.as_deref()),
                    (InDoubtReason::ReplayedServerError, Some(500), Some("req_9"))
                );
            }
            other => panic!("{other:?}"),
        }
    }
    // A replayed 4xx is a failure like any 4xx; a replayed 200 confirms.
    assert_eq!(
        decide(400, &[("Idempotent-Replayed", "true")], b"", 1, T0).code(),
        "failed"
    );
}

#[test]
fn failures_carry_stripes_error_and_whether_a_new_attempt_may_succeed() {
    let body = br#"{"error": {"type": "invalid_request_error", "code": "parameter_missing", "param": "destination", "message": "Missing required param: destination."}}"#;
    let Next::Failed(failure) = decide(400, &[("request-id", "req_1")], body, 1, T0) else {
        panic!()
    };
    assert_eq!(failure.status(), 400);
    assert_eq!(failure.error().error_type(), Some("invalid_request_error"));
    assert_eq!(failure.error().code(), Some("parameter_missing"));
    assert_eq!(failure.error().param(), Some("destination"));
    assert_eq!(
        failure.error().message(),
        Some("Missing required param: destination.")
    );
    assert_eq!(failure.request_id(), Some("req_1"));
    assert!(failure.new_attempt_may_succeed() && !failure.idempotency_error());
    let body = br#"{"error": {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same parameters they were first used with."}}"#;
    let Next::Failed(failure) = decide(400, &[], body, 1, T0) else {
        panic!()
    };
    assert!(!failure.new_attempt_may_succeed() && failure.idempotency_error());
    assert_eq!(failure.request_id(), None);
    let Next::Failed(failure) = decide(404, &[], b"not json", 1, T0) else {
        panic!()
    };
    assert_eq!(failure.error(), &StripeError::default());
}

#[test]
fn the_backoff_is_the_clients_window_after_each_send() {
    // The window after each send, and Retry-After: `attempt.rs` (without `serde`).
    // Through a reply.
    let options = ReplyOptions::default().with_max_sends(10);
    let reply = Reply::new(429, &[("Retry-After", "3")], b"");
    let next = read_reply(&plan(), &attempt(2, T0), Some(&reply), &options);
    assert_eq!(window(&next), (3_000, 3_000));
}

#[test]
fn the_budget_bounds_the_sends_of_an_attempt() {
    assert_eq!(window(&decide(503, &[], b"", 2, T0)), (500, 1_000));
    assert_eq!(
        doubt(&decide(503, &[], b"", 3, T0)),
        InDoubtReason::BudgetSpent
    );
    let options = ReplyOptions::default().with_max_sends(1);
    let next = read_reply(&plan(), &attempt(1, T0), None, &options);
    assert_eq!(doubt(&next), InDoubtReason::BudgetSpent);
    assert_eq!(DEFAULT_MAX_SENDS, 3);
    assert_eq!(ReplyOptions::default().max_sends(), 3);
}

#[test]
fn no_resend_is_planned_that_could_land_after_the_key_window_less_the_margin() {
    let margin = i64::from(DEFAULT_KEY_WINDOW_MARGIN_SECONDS);
    let end = T0 + i64::from(KEY_WINDOW_SECONDS) - margin;
    // After the first send the delay is at most 0.5 s, rounded up to 1 s.
    let at = |now| read_reply(&plan(), &attempt(1, now), None, &ReplyOptions::default());
    assert_eq!(at(end - 2).code(), "retry");
    assert_eq!(doubt(&at(end - 1)), InDoubtReason::KeyWindowClosing);
    assert_eq!(doubt(&at(end + 5_000)), InDoubtReason::KeyWindowClosing);
    // A smaller margin allows later resends; the whole window as margin forbids all.
    let late = ReplyOptions::default().with_key_window_margin(0);
    let next = read_reply(&plan(), &attempt(1, end + 100), None, &late);
    assert_eq!(next.code(), "retry");
    let none = ReplyOptions::default().with_key_window_margin(KEY_WINDOW_SECONDS);
    assert_eq!(
        doubt(&read_reply(&plan(), &attempt(1, T0), None, &none)),
        InDoubtReason::KeyWindowClosing
    );
    assert_eq!(DEFAULT_KEY_WINDOW_MARGIN_SECONDS, 3_600);
}

#[test]
fn codes_are_stable_snake_case() {
    let retry = [
        RetryReason::NoReply,
        RetryReason::StripeShouldRetry,
        RetryReason::Conflict,
        RetryReason::RateLimited,
        RetryReason::ServerError,
        RetryReason::UnreadableBody,
    ];
    let codes: Vec<&str> = retry.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "no_reply",
            "stripe_should_retry",
            "conflict",
            "rate_limited",
            "server_error",
            "unreadable_body"
        ]
    );
    let doubt = [
        InDoubtReason::BudgetSpent,
        InDoubtReason::KeyWindowClosing,
        InDoubtReason::ReplayedServerError,
        InDoubtReason::StripeSaysDoNotRetry,
        InDoubtReason::UnexpectedStatus,
        InDoubtReason::NotAnHttpStatus,
    ];
    let codes: Vec<&str> = doubt.iter().map(|r| r.code()).collect();
    assert_eq!(
        codes,
        [
            "budget_spent",
            "key_window_closing",
            "replayed_server_error",
            "stripe_says_do_not_retry",
            "unexpected_status",
            "not_an_http_status"
        ]
    );
    let fields = [
        MismatchField::Object,
        MismatchField::Id,
        MismatchField::Amount,
        MismatchField::Currency,
        MismatchField::Destination,
        MismatchField::DebitId,
        MismatchField::DestinationPayment,
    ];
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "object",
            "id",
            "amount",
            "currency",
            "destination",
            "metadata[account_debit_id]",
            "destination_payment"
        ]
    );
    let codes: Vec<&str> = ReversalViolationKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    assert_eq!(
        codes,
        [
            "not_to_this_platform",
            "not_this_debit",
            "currency_differs",
            "already_fully_reversed",
            "reversal_amount_not_positive",
            "amount_exceeds_remaining",
            "connected_balance_out_of_range",
            "platform_balance_insufficient"
        ]
    );
    for kind in ReversalViolationKind::ALL {
        assert!(!kind.when().is_empty() && !kind.source().is_empty());
        assert_eq!(ReversalViolationKind::ALL[kind.position()], *kind);
    }
    let next = read_reply(&plan(), &attempt(3, T0), None, &ReplyOptions::default());
    assert!(!next.sends_again());
    assert!(read_reply(&plan(), &attempt(1, T0), None, &ReplyOptions::default()).sends_again());
}

#[test]
fn attempts_have_their_own_keys_that_read_back() {
    let plan = plan();
    let mut attempt = AttemptNumber::FIRST;
    let mut keys = std::collections::HashSet::new();
    for n in 1..=12 {
        let key = plan.idempotency_key_for(attempt);
        assert_eq!(plan.request_for(attempt).idempotency_key(), key);
        assert_eq!(plan.request_for(attempt).attempt(), attempt);
        let parts: KeyParts = key.as_str().parse().unwrap();
        assert_eq!(parts.attempt().get(), n);
        assert_eq!(parts.debit(), plan.debit_id());
        assert_eq!(parts.platform(), plan.transfer().destination());
        assert_eq!(parts.connected(), plan.transfer().account());
        assert_eq!(parts.key(), key);
        assert!(key.as_str().len() <= MAX_IDEMPOTENCY_KEY_LEN);
        assert!(keys.insert(key));
        attempt = attempt.next().unwrap();
    }
    assert_eq!(
        plan.idempotency_key(),
        plan.idempotency_key_for(AttemptNumber::FIRST)
    );
    assert_eq!(
        plan.idempotency_key().as_str(),
        "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42"
    );
    // The longest key of the scheme is Stripe's limit, to the byte, and reads back.
    let long = format!(
        "account-debit#{}:acct_{}:acct_{}:{}",
        u32::MAX,
        "P".repeat(59),
        "C".repeat(59),
        "d".repeat(MAX_DEBIT_ID_LEN)
    );
    assert_eq!(long.len(), MAX_IDEMPOTENCY_KEY_LEN);
    let key: IdempotencyKey = long.parse().unwrap();
    assert_eq!(key.as_str(), long);
    assert_eq!(
        "nope".parse::<IdempotencyKey>().unwrap_err().to_string(),
        "not an account debit idempotency key (account-debit[#<attempt>]:<platform>:<connected>:<debit id>)"
    );
}

#[test]
fn a_debit_id_that_needs_encoding_is_encoded_in_the_body_only() {
    let mut input = demo::input().unwrap();
    let debit = input.debit();
    input.set_debit(Debit::new(
        "a&b=c%d+e".parse().unwrap(),
        debit.amount(),
        debit.currency(),
        debit.reference().unwrap(),
    ));
    let plan = plan_debit(&input).unwrap();
    let request = plan.request();
    assert_eq!(
        request.form().last(),
        Some(("metadata[account_debit_id]", "a&b=c%d+e"))
    );
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    assert!(
        body.ends_with("&metadata%5Baccount_debit_id%5D=a%26b%3Dc%25d%2Be"),
        "{body}"
    );
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/stripe-openapi/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn stripes_transfer_and_reversal_fixtures_are_read_as_they_are() {
    let transfer = TransferRecord::from_json(fixture("transfer").as_bytes()).unwrap();
    assert_eq!(transfer.id().as_str(), "tr_1Pgc7BB7WZ01zgkWVJfE40RX");
    assert_eq!(
        transfer.amount(),
        Money::from_minor(1100, Currency::USD).unwrap()
    );
    assert_eq!(transfer.remaining().minor(), 1100);
    assert_eq!(
        transfer.destination().unwrap().as_str(),
        "acct_1PgafTB7WZ01zgkW"
    );
    assert_eq!(
        transfer.destination_payment().unwrap().as_str(),
        "py_QXhWZR8SdWquhf"
    );
    assert_eq!((transfer.debit_id(), transfer.reversed()), (None, false));
    assert_eq!(
        transfer.created(),
        Some(Timestamp::from_unix(1_234_567_890))
    );
    let reversal = ReversalRecord::from_json(fixture("transfer_reversal").as_bytes()).unwrap();
    assert_eq!(reversal.id().as_str(), "trr_1Pgc7BB7WZ01zgkWsU61ufNC");
    assert_eq!(reversal.transfer(), transfer.id());
    assert_eq!(reversal.amount().minor(), 1100);
    // The fixture as a reply to a debit: a transfer, but not the planned one.
    let next = decide(200, &[], fixture("transfer").as_bytes(), 1, T0);
    assert!(
        matches!(
            next,
            Next::Mismatch {
                field: MismatchField::Amount,
                ..
            }
        ),
        "{next:?}"
    );
}

/// A fixture as a parsed value.
fn fixture_value(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// The fixture `name` standing for the expanded object whose id is `id`.
fn expanded(name: &str, id: &Value) -> Value {
    let mut object = fixture_value(name);
    object["id"] = id.clone();
    object
}

#[test]
fn expanded_fields_are_read_by_their_id_wherever_an_id_is_read() {
    // A Transfer with `destination`, `destination_payment` and `balance_transaction`
    // expanded (Stripe's fixture objects in place of the ids) reads as the plain one.
    let plain = fixture_value("transfer");
    let mut full = plain.clone();
    full["destination"] = expanded("account", &plain["destination"]);
    full["destination_payment"] = expanded("charge", &plain["destination_payment"]);
    full["balance_transaction"] = fixture_value("balance_transaction");
    let record = TransferRecord::from_value(&plain).unwrap();
    assert_eq!(TransferRecord::from_value(&full).unwrap(), record);
    assert_eq!(
        TransferRecord::from_json(full.to_string().as_bytes()).unwrap(),
        record
    );
    assert_eq!(
        record.destination_payment().unwrap().as_str(),
        "py_QXhWZR8SdWquhf"
    );
    // In a list of transfers.
    let list =
        TransferList::from_value(&json!({"object": "list", "data": [full], "has_more": false}))
            .unwrap();
    assert_eq!(list.transfers(), [record]);
    // A reversal whose `transfer` (and `balance_transaction`) is expanded.
    let mut reversal = fixture_value("transfer_reversal");
    reversal["transfer"] = plain.clone();
    reversal["balance_transaction"] = fixture_value("balance_transaction");
    let reversal = ReversalRecord::from_json(reversal.to_string().as_bytes()).unwrap();
    assert_eq!(reversal.transfer(), record.id());
    // The reply to a debit, with the platform and the payment expanded, confirms.
    let plan = plan();
    let mut body = transfer_json(&plan);
    let platform = json!({"id": plan.transfer().destination().as_str(), "object": "account"});
    body["destination"] = platform;
    body["destination_payment"] = json!({"id": "py_1Debit", "object": "charge", "amount": 500});
    body["balance_transaction"] = fixture_value("balance_transaction");
    match decide(200, &[], body.to_string().as_bytes(), 1, T0) {
        Next::Confirmed {
            transfer, payment, ..
        } => assert_eq!(
            (transfer.as_str(), payment.as_str()),
            ("tr_1Debit", "py_1Debit")
        ),
        other => panic!("{other:?}"),
    }
    // An expanded destination that is another account is a mismatch naming it.
    body["destination"] = json!({"id": "acct_1Other", "object": "account"});
    match decide(200, &[], body.to_string().as_bytes(), 1, T0) {
        Next::Mismatch {
            field, returned, ..
        } => assert_eq!(
            (field, returned.as_str()),
            (MismatchField::Destination, "acct_1Other")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_expanded_object_without_a_string_id_is_an_error_at_its_path() {
    let plain = fixture_value("transfer");
    let with = |field: &str, value: Value| {
        let mut transfer = plain.clone();
        transfer[field] = value;
        transfer
    };
    let cases = [
        (
            with("destination", json!({"object": "account"})),
            "destination.id: an expanded object needs its id as a string, found nothing",
        ),
        (
            with("destination", json!({"object": "account", "id": null})),
            "destination.id: an expanded object needs its id as a string, found null",
        ),
        (
            with("destination_payment", json!({"id": 7, "object": "charge"})),
            "destination_payment.id: an expanded object needs its id as a string, found an integer",
        ),
        (
            with("destination_payment", json!({"id": {"id": "py_1"}})),
            "destination_payment.id: an expanded object needs its id as a string, found an object",
        ),
        (
            with("destination", json!(5)),
            "destination: expected an id or an expanded object with an id, found an integer",
        ),
        (
            with("destination", json!({"id": "ch_1"})),
            "destination: \"ch_1\": expected an id starting with \"acct_\"",
        ),
    ];
    for (transfer, message) in &cases {
        let from_value = TransferRecord::from_value(transfer).unwrap_err();
        assert_eq!(from_value.to_string(), *message);
        let from_json = TransferRecord::from_json(transfer.to_string().as_bytes()).unwrap_err();
        assert_eq!(from_json, from_value);
    }
    // In a list: under the transfer's index.
    let list =
        json!({"object": "list", "data": [plain.clone(), cases[0].0.clone()], "has_more": false});
    assert_eq!(
        TransferList::from_value(&list).unwrap_err().path(),
        "data[1].destination.id"
    );
    // A reversal's expanded transfer without an id.
    let mut reversal = fixture_value("transfer_reversal");
    reversal["transfer"] = json!({"object": "transfer", "amount": 1100});
    assert_eq!(
        ReversalRecord::from_json(reversal.to_string().as_bytes())
            .unwrap_err()
            .to_string(),
        "transfer.id: an expanded object needs its id as a string, found nothing"
    );
    // A reply whose expanded field has no id is not a Transfer to judge: it is read again
    // (the resend replays the saved result), never confirmed.
    let plan = plan();
    let mut body = transfer_json(&plan);
    body["destination"] = json!({"object": "account"});
    let next = decide(200, &[], body.to_string().as_bytes(), 1, T0);
    assert_eq!(retry_reason(&next), RetryReason::UnreadableBody);
}

#[test]
fn transfers_that_cannot_be_used_are_errors_naming_the_field() {
    let cases = [
        (
            r#"{"id": "tr_1", "object": "charge", "amount": 1, "currency": "usd"}"#,
            "object: expected \"transfer\", found \"charge\"",
        ),
        (
            r#"{"id": "ch_1", "object": "transfer", "amount": 1, "currency": "usd"}"#,
            "id: not a transfer id: \"ch_1\"",
        ),
        (
            r#"{"id": "tr_1", "object": "transfer", "amount": 1, "currency": "xyz"}"#,
            "currency: unknown currency \"xyz\"",
        ),
        (
            r#"{"id": "tr_1", "object": "transfer", "amount": 1, "amount_reversed": 2, "currency": "usd"}"#,
            "amount_reversed: 2 is not between 0 and the amount 1",
        ),
        (
            r#"{"id": "tr_1", "object": "transfer", "amount": 1, "currency": "usd", "destination": "ch_1"}"#,
            "destination: \"ch_1\": expected an id starting with \"acct_\"",
        ),
        (
            r#"{"id": "tr_1", "object": "transfer", "amount": 1, "currency": "usd", "metadata": {"account_debit_id": "a b"}}"#,
            "metadata.account_debit_id: \"a b\": debit id must be 1 to 100 printable ascii characters without spaces",
        ),
    ];
    for (body, message) in cases {
        assert_eq!(
            TransferRecord::from_json(body.as_bytes())
                .unwrap_err()
                .to_string(),
            message
        );
    }
    // Serde would read a struct from an array, by position: a Transfer is an object only.
    for (body, message) in [
        (&b"[]"[..], "expected a JSON object, found an array"),
        (
            b" [\"tr_1\", \"transfer\", 500, 0, \"usd\", null, null, null, false, null]",
            "expected a JSON object, found an array",
        ),
        (
            b"",
            "invalid JSON: EOF while parsing a value at line 1 column 0",
        ),
        (b"7", "expected a JSON object, found an integer"),
    ] {
        let err = TransferRecord::from_json(body).unwrap_err();
        assert_eq!((err.path(), err.message()), ("", message), "{body:?}");
    }
    let err = TransferRecord::from_value(&json!([
        "tr_1", "transfer", 500, 0, "usd", null, null, null, false, null
    ]))
    .unwrap_err();
    assert_eq!(err.to_string(), "expected a JSON object, found an array");
    let positional = br#"["tr_1Debit", "transfer", 500, 0, "usd", "acct_1PlatformDemo0001", "py_1", {"account_debit_id": "recovery-42"}, false, null]"#;
    assert_eq!(
        retry_reason(&decide(200, &[], positional, 1, T0)),
        RetryReason::UnreadableBody
    );
    let err = ReversalRecord::from_json(br#"{"id": "tr_1", "object": "transfer_reversal", "amount": 1, "currency": "usd", "transfer": "tr_1"}"#).unwrap_err();
    assert_eq!(err.to_string(), "id: not a transfer reversal id: \"tr_1\"");
    let err = ReversalRecord::from_json(br#"{"id": "trr_1", "object": "transfer", "amount": 1, "currency": "usd", "transfer": "tr_1"}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "object: expected \"transfer_reversal\", found \"transfer\""
    );
}

/// A record of the planned transfer with `amount_reversed` and `reversed`.
/// More than any reversal here takes back: the platform's balance is not what is tested.
const PLENTY: i64 = 1_000_000_000;

/// The platform's Balance object: `minor` USD available.
fn platform_json(minor: i64) -> Value {
    json!({"object": "balance", "available": [{"amount": minor, "currency": "usd", "source_types": {"card": minor}}],
           "pending": [{"amount": 0, "currency": "usd"}], "livemode": false})
}

/// The platform's balance: `minor` USD available.
fn platform(minor: i64) -> Balance {
    Balance::new([Money::from_minor(minor, Currency::USD).unwrap()]).unwrap()
}

fn record(amount: i64, reversed_amount: i64, reversed: bool) -> TransferRecord {
    let mut body = transfer_json(&plan());
    body["amount"] = json!(amount);
    body["amount_reversed"] = json!(reversed_amount);
    body["reversed"] = json!(reversed);
    TransferRecord::from_value(&body).unwrap()
}

fn reversal_codes(
    input: &DebitInput,
    transfer: &TransferRecord,
    amount: Option<i64>,
) -> Vec<&'static str> {
    match plan_reversal(
        input,
        transfer,
        amount,
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    ) {
        Ok(_) => vec![],
        Err(rejection) => rejection.codes().collect(),
    }
}

#[test]
fn a_reversal_plan_moves_the_amount_back_and_releases_the_reserve() {
    let mut input = demo::input().unwrap();
    input
        .connected_balance_mut()
        .set_available(Money::from_minor(-300, Currency::USD).unwrap());
    let transfer = record(500, 100, false);
    let plan = plan_reversal(
        &input,
        &transfer,
        None,
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap();
    assert_eq!(plan.amount().minor(), 400);
    assert_eq!(
        (
            plan.connected_before().minor(),
            plan.connected_after().minor()
        ),
        (-300, 100)
    );
    assert_eq!(plan.reserve_release().map(|m| m.minor()), Some(300));
    assert_eq!(plan.platform_available_change().minor(), -100);
    let request = plan.request();
    assert_eq!(
        (request.method(), request.path()),
        ("POST", "/v1/transfers/tr_1Debit/reversals")
    );
    assert_eq!(
        request.headers(),
        [
            ("Stripe-Account", demo::CONNECTED),
            (
                "Idempotency-Key",
                "account-debit-reversal:acct_1ConnectedDemo001:tr_1Debit:undo-1"
            ),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    );
    assert_eq!(request.idempotency_key(), request.headers()[1].1);
    let mut body = String::new();
    request.write_form_urlencoded(&mut body).unwrap();
    assert_eq!(
        body,
        "amount=400&metadata%5Baccount_debit_id%5D=recovery-42&metadata%5Baccount_debit_reversal_id%5D=undo-1"
    );
    // Partly below zero: only what comes back up to zero is released.
    let plan = plan_reversal(
        &input,
        &transfer,
        Some(200),
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap();
    assert_eq!(plan.reserve_release().map(|m| m.minor()), Some(200));
    assert_eq!(plan.connected_after().minor(), -100);
    // A missing currency counts as zero: nothing to release.
    let mut input = demo::input().unwrap();
    *input.connected_balance_mut() = Balance::empty();
    let plan = plan_reversal(
        &input,
        &transfer,
        Some(1),
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap();
    assert_eq!(
        (plan.connected_before().minor(), plan.reserve_release()),
        (0, None)
    );
    let reversal = ReversalRecord::from_json(br#"{"id": "trr_1", "object": "transfer_reversal", "amount": 1, "currency": "usd", "transfer": "tr_1Debit"}"#).unwrap();
    assert!(reversal.is_of(&plan));
    let other = ReversalRecord::from_json(br#"{"id": "trr_1", "object": "transfer_reversal", "amount": 2, "currency": "usd", "transfer": "tr_1Debit"}"#).unwrap();
    assert!(!other.is_of(&plan));
    let other = ReversalRecord::from_json(br#"{"id": "trr_1", "object": "transfer_reversal", "amount": 1, "currency": "usd", "transfer": "tr_2"}"#).unwrap();
    assert!(!other.is_of(&plan));
}

#[test]
fn a_reversal_names_every_broken_rule_at_once() {
    let input = demo::input().unwrap();
    assert_eq!(
        reversal_codes(&input, &record(500, 500, true), Some(0)),
        ["already_fully_reversed", "reversal_amount_not_positive"]
    );
    assert_eq!(
        reversal_codes(&input, &record(500, 100, false), Some(401)),
        ["amount_exceeds_remaining"]
    );
    assert_eq!(
        reversal_codes(&input, &record(500, 100, false), Some(400)),
        Vec::<&str>::new()
    );
    assert_eq!(
        reversal_codes(&input, &record(500, 0, true), None),
        ["already_fully_reversed"]
    );
    assert_eq!(
        reversal_codes(&input, &record(500, 500, false), None),
        ["already_fully_reversed"]
    );
    assert_eq!(
        reversal_codes(&input, &record(500, 0, false), Some(-5)),
        ["reversal_amount_not_positive"]
    );
    let mut body = transfer_json(&plan());
    body["destination"] = json!("acct_1Elsewhere");
    body["metadata"] = json!({});
    body["currency"] = json!("eur");
    let other = TransferRecord::from_value(&body).unwrap();
    let rejection = plan_reversal(
        &input,
        &other,
        Some(600),
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        [
            "not_to_this_platform",
            "not_this_debit",
            "currency_differs",
            "amount_exceeds_remaining"
        ]
    );
    assert_eq!(
        rejection.to_string(),
        "reversal rejected: transfer went to acct_1Elsewhere, not to the platform acct_1PlatformDemo0001; \
         transfer carries no debit id (metadata[account_debit_id]), so it is not debit recovery-42; \
         transfer is in eur, the debit in usd; \
         reversal of 6.00 eur is more than the 5.00 eur left to reverse"
    );
    assert_eq!(rejection.violations().len(), 4);
    // The balance's range.
    let mut input = demo::input().unwrap();
    input
        .connected_balance_mut()
        .set_available(Money::from_minor(i64::MAX, Currency::USD).unwrap());
    let rejection = plan_reversal(
        &input,
        &record(500, 0, false),
        None,
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "reversal rejected: connected balance 92233720368547758.07 usd plus the reversal of 5.00 usd is out of range"
    );
    let mut body = transfer_json(&plan());
    body["destination"] = Value::Null;
    let rejection = plan_reversal(
        &demo::input().unwrap(),
        &TransferRecord::from_value(&body).unwrap(),
        None,
        "u".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "reversal rejected: transfer names no destination, and a debit's goes to the platform acct_1PlatformDemo0001"
    );
    assert_eq!(
        "a b".parse::<ReversalId>().unwrap_err().to_string(),
        "reversal id must be 1 to 100 printable ascii characters without spaces"
    );
    assert_eq!("x".parse::<ReversalId>().unwrap().to_string(), "x");
}

#[test]
fn a_reversal_the_platforms_balance_cannot_cover_is_refused() {
    let input = demo::input().unwrap();
    let transfer = record(500, 100, false);
    let undo = || "undo-1".parse::<ReversalId>().unwrap();
    // Breaking the rule alone, with its message.
    let rejection =
        plan_reversal(&input, &transfer, Some(400), undo(), &platform(399)).unwrap_err();
    assert_eq!(
        rejection.codes().collect::<Vec<_>>(),
        ["platform_balance_insufficient"]
    );
    assert_eq!(
        rejection.to_string(),
        "reversal rejected: the platform's available balance 3.99 usd cannot cover the reversal \
         of 4.00 usd: Stripe refuses it; add funds to the platform first (the alternative, a new \
         transfer from the platform to the connected account, draws on the same balance)"
    );
    match rejection.violations() {
        [
            ReversalViolation::PlatformBalanceInsufficient {
                available, amount, ..
            },
        ] => {
            assert_eq!((available.minor(), amount.minor()), (399, 400));
        }
        other => panic!("{other:?}"),
    }
    // Exactly covered: planned, the platform's balance before and after.
    let plan = plan_reversal(&input, &transfer, Some(400), undo(), &platform(400)).unwrap();
    assert_eq!(
        (
            plan.platform_before().minor(),
            plan.platform_after().minor()
        ),
        (400, 0)
    );
    // The whole remaining amount by default.
    assert_eq!(
        reversal_codes_against(&input, &transfer, None, &platform(399)),
        ["platform_balance_insufficient"]
    );
    // A currency missing from the platform's balance counts as zero; so does a negative
    // balance count as not covering anything.
    let euros = Balance::new([Money::from_minor(1_000_000, Currency::EUR).unwrap()]).unwrap();
    for balance in [Balance::empty(), euros, platform(-1), platform(i64::MIN)] {
        let rejection = plan_reversal(&input, &transfer, Some(1), undo(), &balance).unwrap_err();
        assert_eq!(
            rejection.codes().collect::<Vec<_>>(),
            ["platform_balance_insufficient"],
            "{balance:?}"
        );
    }
    // With a connected balance below zero, the released reserve comes back to the platform's
    // available balance: after = before - amount + released.
    let mut below = demo::input().unwrap();
    below
        .connected_balance_mut()
        .set_available(Money::from_minor(-300, Currency::USD).unwrap());
    let plan = plan_reversal(&below, &transfer, Some(400), undo(), &platform(400)).unwrap();
    assert_eq!(plan.reserve_release().map(|m| m.minor()), Some(300));
    assert_eq!(
        (
            plan.platform_before().minor(),
            plan.platform_available_change().minor(),
            plan.platform_after().minor()
        ),
        (400, -100, 300)
    );
    // The whole amount must be available before: the reserve Stripe releases afterwards does
    // not count toward covering it (our reading: Stripe checks the balance it debits).
    assert_eq!(
        reversal_codes_against(&below, &transfer, Some(400), &platform(100)),
        ["platform_balance_insufficient"]
    );
    // Judged after the connected balance's range.
    let mut full = demo::input().unwrap();
    full.connected_balance_mut()
        .set_available(Money::from_minor(i64::MAX, Currency::USD).unwrap());
    assert_eq!(
        reversal_codes_against(&full, &transfer, Some(1), &platform(0)),
        [
            "connected_balance_out_of_range",
            "platform_balance_insufficient"
        ]
    );
    let kind = ReversalViolationKind::PlatformBalanceInsufficient;
    assert_eq!(
        ReversalViolationKind::ALL.last(),
        Some(&kind),
        "the last rule in the table"
    );
    assert!(kind.source().contains("Transfer Reversals"));
    assert!(kind.when().contains("platform's available balance"));
}

fn reversal_codes_against(
    input: &DebitInput,
    transfer: &TransferRecord,
    amount: Option<i64>,
    platform_balance: &Balance,
) -> Vec<&'static str> {
    match plan_reversal(
        input,
        transfer,
        amount,
        "undo-1".parse().unwrap(),
        platform_balance,
    ) {
        Ok(_) => vec![],
        Err(rejection) => rejection.codes().collect(),
    }
}

#[test]
fn a_double_debits_reversals_are_planned_on_the_platforms_balance_each_leaves() {
    let input = demo::input().unwrap();
    let kept = transfer_json(&plan());
    let extra = |id: &str, created: i64| {
        let mut transfer = transfer_json(&plan());
        transfer["id"] = json!(id);
        transfer["created"] = json!(created);
        transfer
    };
    let transfers = list(&[kept, extra("tr_2", T0 + 1), extra("tr_3", T0 + 2)], false);
    // 700 covers the first extra (500), not the second.
    let Found::Duplicated { extras, .. } = find_debit(&input, &transfers, &platform(700)) else {
        panic!()
    };
    let plan = extras[0].reversal().unwrap();
    assert_eq!(
        (
            plan.platform_before().minor(),
            plan.platform_after().minor()
        ),
        (700, 200)
    );
    let rejection = extras[1].reversal().unwrap_err();
    assert_eq!(
        rejection.to_string(),
        "reversal rejected: the platform's available balance 2.00 usd cannot cover the reversal \
         of 5.00 usd: Stripe refuses it; add funds to the platform first (the alternative, a new \
         transfer from the platform to the connected account, draws on the same balance)"
    );
    // Enough for both: each on what the previous left.
    let Found::Duplicated { extras, .. } = find_debit(&input, &transfers, &platform(1_000)) else {
        panic!()
    };
    let afters: Vec<(i64, i64)> = extras
        .iter()
        .map(|d| {
            let plan = d.reversal().unwrap();
            (
                plan.platform_before().minor(),
                plan.platform_after().minor(),
            )
        })
        .collect();
    assert_eq!(afters, [(1_000, 500), (500, 0)]);
}

fn list(transfers: &[Value], has_more: bool) -> TransferList {
    TransferList::from_value(&json!({"object": "list", "data": transfers, "has_more": has_more}))
        .unwrap()
}

#[test]
fn finding_a_debit_by_its_metadata() {
    let input = demo::input().unwrap();
    let mine = |id: &str, created: Option<i64>| {
        let mut t = transfer_json(&plan());
        t["id"] = json!(id);
        t["created"] = json!(created);
        t
    };
    let mut elsewhere = mine("tr_9", Some(1));
    elsewhere["destination"] = json!("acct_1Elsewhere");
    let mut other_debit = mine("tr_8", Some(1));
    other_debit["metadata"] = json!({"account_debit_id": "recovery-7"});
    let found = find_debit(
        &input,
        &list(
            &[
                other_debit.clone(),
                mine("tr_1", Some(5)),
                elsewhere.clone(),
            ],
            false,
        ),
        &platform(PLENTY),
    );
    assert!(
        matches!(&found, Found::Found(t) if t.id().as_str() == "tr_1"),
        "{found:?}"
    );
    assert_eq!(found.code(), "found");
    let found = find_debit(
        &input,
        &list(&[other_debit, elsewhere], true),
        &platform(PLENTY),
    );
    assert!(matches!(
        found,
        Found::NotFound {
            list_complete: false,
            ..
        }
    ));
    assert_eq!(found.code(), "not_found");
    // Three: the first created is kept (one without `created` last), the others reversed in
    // turn, each on the balance the previous leaves.
    let found = find_debit(
        &input,
        &list(
            &[
                mine("tr_3", None),
                mine("tr_2", Some(9)),
                mine("tr_1", Some(5)),
            ],
            false,
        ),
        &platform(PLENTY),
    );
    assert_eq!(found.code(), "duplicated");
    let Found::Duplicated { kept, extras, .. } = found else {
        panic!()
    };
    assert_eq!(kept.id().as_str(), "tr_1");
    let ids: Vec<String> = extras
        .iter()
        .map(|d| d.transfer().id().to_string())
        .collect();
    assert_eq!(ids, ["tr_2", "tr_3"]);
    let plans: Vec<&ReversalPlan> = extras.iter().map(|d| d.reversal().unwrap()).collect();
    assert_eq!(
        (
            plans[0].connected_before().minor(),
            plans[0].connected_after().minor()
        ),
        (1000, 1500)
    );
    assert_eq!(
        (
            plans[1].connected_before().minor(),
            plans[1].connected_after().minor()
        ),
        (1500, 2000)
    );
    assert_eq!(
        plans[0].request().idempotency_key(),
        "account-debit-reversal:acct_1ConnectedDemo001:tr_2:duplicate-tr_2"
    );
    // An extra already fully reversed is reported with its rejection, and changes nothing.
    let mut undone = mine("tr_2", Some(9));
    undone["reversed"] = json!(true);
    undone["amount_reversed"] = json!(500);
    let found = find_debit(
        &input,
        &list(
            &[undone, mine("tr_3", Some(10)), mine("tr_1", Some(5))],
            false,
        ),
        &platform(PLENTY),
    );
    let Found::Duplicated { extras, .. } = found else {
        panic!()
    };
    assert_eq!(
        extras[0]
            .reversal()
            .unwrap_err()
            .codes()
            .collect::<Vec<_>>(),
        ["already_fully_reversed"]
    );
    assert_eq!(
        extras[1].reversal().unwrap().connected_before().minor(),
        1000
    );
    let empty = TransferList::new(vec![]);
    assert!(empty.complete() && empty.transfers().is_empty());
}

#[test]
fn a_list_that_cannot_be_read_names_where() {
    let err = |value: Value| TransferList::from_value(&value).unwrap_err().to_string();
    assert_eq!(
        err(json!({"object": "transfer"})),
        "object: expected \"list\", found \"transfer\""
    );
    assert_eq!(err(json!({})), "object: missing");
    assert_eq!(
        err(json!({"object": "list", "data": {}})),
        "data: expected an array, found an object"
    );
    let bad = json!({"object": "list", "data": [{"id": "tr_1", "object": "transfer", "amount": 1, "currency": "xyz"}]});
    assert_eq!(err(bad), "data[0].currency: unknown currency \"xyz\"");
    // A list whose end cannot be known is not one to conclude from: `has_more` must be a
    // boolean (a list read as complete would invite a new attempt, and a double debit).
    for (has_more, message) in [
        (
            json!("true"),
            "has_more: expected a boolean, found a string",
        ),
        (json!(1), "has_more: expected a boolean, found an integer"),
        (Value::Null, "has_more: missing"),
    ] {
        let mut list = json!({"object": "list", "data": [], "has_more": false});
        list["has_more"] = has_more;
        assert_eq!(err(list.clone()), message);
        let bytes = list.to_string();
        assert_eq!(
            TransferList::from_json(bytes.as_bytes())
                .unwrap_err()
                .to_string(),
            message
        );
    }
    assert_eq!(
        err(json!({"object": "list", "data": []})),
        "has_more: missing"
    );
}

/// The JSON commands, as the CLI runs them.
mod commands {
    use super::*;

    fn scenario() -> Value {
        serde_json::from_str(include_str!("../../examples/scenarios/demo.json")).unwrap()
    }

    /// Issue 16: each reversal rule broken alone, with its exact message and its fields as
    /// the `reverse` command writes them, as a debit's violations are written: money in
    /// minor units beside its lowercase currency, a missing value left out. The Rust
    /// rejection serializes the same.
    #[test]
    fn each_reversal_rule_broken_alone_has_its_message_and_fields() {
        let plan = plan();
        let (platform_id, debit) = (demo::PLATFORM, "recovery-42");
        let reverse = |transfer: Value,
                       amount: Option<i64>,
                       connected: i64,
                       platform_balance: Value| {
            let mut scenario = scenario();
            scenario["connected_balance"]["available"][0]["amount"] = json!(connected);
            let mut input = json!({"scenario": scenario, "transfer": transfer, "reversal_id": "undo-1", "platform_balance": platform_balance});
            if let Some(amount) = amount {
                input["amount"] = json!(amount);
            }
            let out = json::reverse(&input.to_string());
            assert_eq!(out.kind(), "rejected", "{}", out.json());
            let violations = out.json()["violations"].as_array().unwrap().clone();
            assert_eq!(violations.len(), 1, "broken alone: {violations:?}");
            violations[0].clone()
        };
        let transfer = |edit: &dyn Fn(&mut Value)| {
            let mut body = transfer_json(&plan);
            edit(&mut body);
            body
        };
        let euros =
            json!({"object": "balance", "available": [{"amount": PLENTY, "currency": "eur"}]});
        let cases = [
            (
                reverse(
                    transfer(&|t| t["destination"] = json!("acct_1Elsewhere")),
                    None,
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "not_to_this_platform", "message": format!("transfer went to acct_1Elsewhere, not to the platform {platform_id}"),
                       "destination": "acct_1Elsewhere", "platform": platform_id}),
            ),
            (
                reverse(
                    transfer(&|t| t["destination"] = Value::Null),
                    None,
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "not_to_this_platform", "message": format!("transfer names no destination, and a debit's goes to the platform {platform_id}"),
                       "platform": platform_id}),
            ),
            (
                reverse(
                    transfer(&|t| t["metadata"] = json!({"account_debit_id": "other-7"})),
                    None,
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "not_this_debit", "message": format!("transfer carries debit id other-7, not {debit}"),
                       "debit": debit, "found": "other-7"}),
            ),
            (
                reverse(
                    transfer(&|t| t["metadata"] = json!({})),
                    None,
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "not_this_debit", "message": format!("transfer carries no debit id (metadata[account_debit_id]), so it is not debit {debit}"),
                       "debit": debit}),
            ),
            (
                reverse(
                    transfer(&|t| t["currency"] = json!("eur")),
                    None,
                    1000,
                    euros,
                ),
                json!({"code": "currency_differs", "message": "transfer is in eur, the debit in usd",
                       "transfer": "eur", "debit": "usd"}),
            ),
            (
                reverse(
                    transfer(&|t| t["reversed"] = json!(true)),
                    None,
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "already_fully_reversed", "message": "transfer tr_1Debit is already fully reversed",
                       "transfer": "tr_1Debit"}),
            ),
            (
                reverse(transfer(&|_| {}), Some(-5), 1000, platform_json(PLENTY)),
                json!({"code": "reversal_amount_not_positive", "message": "reversal amount -0.05 usd is not positive",
                       "amount": -5, "currency": "usd"}),
            ),
            (
                reverse(transfer(&|_| {}), Some(0), 1000, platform_json(PLENTY)),
                json!({"code": "reversal_amount_not_positive", "message": "reversal amount 0.00 usd is not positive",
                       "amount": 0, "currency": "usd"}),
            ),
            (
                reverse(
                    transfer(&|t| t["amount_reversed"] = json!(100)),
                    Some(401),
                    1000,
                    platform_json(PLENTY),
                ),
                json!({"code": "amount_exceeds_remaining", "message": "reversal of 4.01 usd is more than the 4.00 usd left to reverse",
                       "amount": 401, "remaining": 400, "currency": "usd"}),
            ),
            (
                reverse(transfer(&|_| {}), Some(1), i64::MAX, platform_json(PLENTY)),
                json!({"code": "connected_balance_out_of_range", "message": "connected balance 92233720368547758.07 usd plus the reversal of 0.01 usd is out of range",
                       "before": i64::MAX, "amount": 1, "currency": "usd"}),
            ),
            (
                reverse(transfer(&|_| {}), Some(400), 1000, platform_json(399)),
                json!({"code": "platform_balance_insufficient", "message": "the platform's available balance 3.99 usd cannot cover the reversal of 4.00 usd: \
                        Stripe refuses it; add funds to the platform first (the alternative, a new transfer from the platform to the \
                        connected account, draws on the same balance)",
                       "available": 399, "amount": 400, "currency": "usd"}),
            ),
        ];
        let mut broken: Vec<String> = Vec::new();
        for (written, expected) in cases {
            assert_eq!(written, expected);
            broken.push(expected["code"].as_str().unwrap().to_owned());
        }
        broken.dedup();
        assert_eq!(
            broken,
            ReversalViolation::CODES,
            "every rule, in the table's order"
        );
        // The Rust rejection serializes as the command writes it.
        let rejection = plan_reversal(
            &demo::input().unwrap(),
            &record(500, 100, false),
            Some(401),
            "undo-1".parse().unwrap(),
            &platform(PLENTY),
        )
        .unwrap_err();
        assert_eq!(
            serde_json::to_value(&rejection).unwrap(),
            json!({"outcome": "rejected", "violations": [{"code": "amount_exceeds_remaining",
                   "message": "reversal of 4.01 usd is more than the 4.00 usd left to reverse",
                   "amount": 401, "remaining": 400, "currency": "usd"}]})
        );
        assert_eq!(
            serde_json::to_value(rejection.violations()[0]).unwrap()["remaining"],
            400
        );
    }

    #[test]
    fn reply_writes_each_next_step() {
        let plan = plan();
        let input = |reply: Value| {
            json!({"scenario": scenario(), "attempt": {"sends": 2, "first_sent_at": T0, "now": T0 + 3}, "reply": reply}).to_string()
        };
        let out = json::reply(&input(
            json!({"status": 200, "headers": {}, "body": transfer_json(&plan)}),
        ));
        assert_eq!(
            out.json(),
            json!({"next": "confirmed", "transfer": "tr_1Debit", "payment": "py_1Debit", "replayed": false})
        );
        let out = json::reply(&input(json!({"status": 503, "body": "<html>"})));
        assert_eq!(
            out.json(),
            json!({"next": "retry", "reason": "server_error", "attempt": 1,
            "idempotency_key": "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42",
            "delay_ms": {"min": 500, "max": 1000}})
        );
        let out = json::reply(&input(
            json!({"status": 402, "headers": {"Request-Id": "req_2"}, "body": {"error": {"type": "card_error"}}}),
        ));
        assert_eq!(
            out.json(),
            json!({"next": "failed", "status": 402, "error": {"type": "card_error", "code": null, "param": null, "message": null},
            "request_id": "req_2", "new_attempt_may_succeed": true, "idempotency_error": false})
        );
        let out = json::reply(&input(
            json!({"status": 200, "body": {"object": "transfer", "id": "tr_1", "amount": 1, "currency": "usd"}}),
        ));
        assert_eq!(
            out.json(),
            json!({"next": "mismatch", "field": "amount", "planned": "500", "returned": "1"})
        );
        let mut text: Value = serde_json::from_str(&input(Value::Null)).unwrap();
        text["attempt"]["sends"] = json!(3);
        let out = json::reply(&text.to_string());
        assert_eq!(out.kind(), "in_doubt");
        assert_eq!(out.json()["reason"], "budget_spent");
        assert_eq!(out.json()["status"], Value::Null);
        // Another attempt, and options.
        text["attempt"]["number"] = json!(2);
        text["options"] = json!({"max_sends": 4, "key_window_margin_seconds": 0});
        let out = json::reply(&text.to_string());
        assert_eq!(
            out.json()["idempotency_key"],
            "account-debit#2:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42"
        );
        assert_eq!(out.json()["delay_ms"], json!({"min": 1000, "max": 2000}));
        let out = out.unwrap();
        assert_eq!(
            format!("{out:#}"),
            serde_json::to_string_pretty(&serde_json::to_value(&out).unwrap()).unwrap()
        );
        // It reads back as the same value.
        let back: json::ReplyDecision =
            serde_json::from_value(serde_json::to_value(&out).unwrap()).unwrap();
        assert_eq!(back, out);
    }

    #[test]
    fn reply_input_errors_name_their_path() {
        let base = json!({"scenario": scenario(), "attempt": {"sends": 1, "first_sent_at": T0, "now": T0}, "reply": null, "options": null});
        let cases = [
            (
                "/attempt/sends",
                json!(0),
                "attempt: an attempt has at least one send",
            ),
            (
                "/attempt/sends",
                json!(1.5),
                "attempt.sends: expected an integer, found a number that is not a 64-bit integer",
            ),
            (
                "/attempt/sends",
                json!(-1),
                "attempt.sends: -1 is out of range",
            ),
            (
                "/attempt/sends",
                json!(u64::MAX),
                "attempt.sends: 18446744073709551615 is out of range",
            ),
            (
                "/attempt/now",
                json!(T0 - 1),
                "attempt: now (1763999999) is before the first send (1764000000)",
            ),
            (
                "/attempt",
                json!({"sends": 1, "first_sent_at": T0, "now": T0, "number": 0}),
                "attempt.number: attempts count from 1",
            ),
            (
                "/attempt/first_sent_at",
                Value::Null,
                "attempt.first_sent_at: missing",
            ),
            ("/reply", json!({"headers": {}}), "reply.status: missing"),
            (
                "/reply",
                json!({"status": 70000}),
                "reply.status: 70000 is out of range",
            ),
            (
                "/reply",
                json!({"status": 200, "headers": []}),
                "reply.headers: expected a JSON object, found an array",
            ),
            (
                "/reply",
                json!({"status": 200, "headers": {"X\n": 1}}),
                "reply.headers[\"X\\n\"]: expected a string, found an integer",
            ),
            (
                "/options",
                json!({"max_sends": "3"}),
                "options.max_sends: expected an integer, found a string",
            ),
            (
                "/options",
                json!({"key_window_margin_seconds": true}),
                "options.key_window_margin_seconds: expected an integer, found a boolean",
            ),
            (
                "/scenario/debit/currency",
                json!("xyz"),
                "scenario.debit.currency: unknown currency \"xyz\"",
            ),
            (
                "/scenario/consent",
                Value::Null,
                "scenario: the debit does not plan: debit rejected: no consent from the connected account to be debited is on record",
            ),
        ];
        for (pointer, value, message) in cases {
            let mut input = base.clone();
            *input
                .pointer_mut(pointer)
                .unwrap_or_else(|| panic!("{pointer}")) = value;
            let out = json::reply(&input.to_string());
            assert_eq!(
                (out.kind(), out.json()["error"].as_str()),
                ("invalid_input", Some(message)),
                "{pointer}"
            );
        }
        assert_eq!(json::reply("{").json()["kind"], "syntax");
        assert_eq!(
            json::reply("null").json()["error"],
            "expected a JSON object, found null"
        );
        assert_eq!(
            json::reply("true").json()["error"],
            "expected a JSON object, found a boolean"
        );
        assert_eq!(
            json::reply("\"x\"").json()["error"],
            "expected a JSON object, found a string"
        );
        assert_eq!(
            json::reply("1").json()["error"],
            "expected a JSON object, found an integer"
        );
        assert_eq!(
            json::reply(r#"{"scenario": []}"#).json()["path"],
            "scenario"
        );
        let mut input = base.clone();
        input.as_object_mut().unwrap().remove("attempt");
        assert_eq!(
            json::reply(&input.to_string()).json()["error"],
            "attempt: missing"
        );
        let mut input = base.clone();
        input.as_object_mut().unwrap().remove("reply");
        assert_eq!(
            json::reply(&input.to_string()).json()["error"],
            "reply: missing (null for no reply)"
        );
    }

    #[test]
    fn find_and_reverse_write_their_outcomes() {
        let plan = plan();
        let transfers =
            json!({"object": "list", "data": [transfer_json(&plan)], "has_more": false});
        let out = json::find(&json!({"scenario": scenario(), "transfers": transfers, "platform_balance": platform_json(PLENTY)}).to_string());
        assert_eq!(
            out.json(),
            json!({"outcome": "found", "transfers": ["tr_1Debit"], "transfer": "tr_1Debit", "payment": "py_1Debit"})
        );
        let empty = json!({"object": "list", "data": [], "has_more": true});
        let out = json::find(&json!({"scenario": scenario(), "transfers": empty, "platform_balance": platform_json(PLENTY)}).to_string());
        assert_eq!(
            out.json(),
            json!({"outcome": "not_found", "transfers": [], "list_complete": false})
        );
        let bad = json!({"object": "list", "data": [{"object": "transfer"}]});
        let out = json::find(&json!({"scenario": scenario(), "transfers": bad, "platform_balance": platform_json(PLENTY)}).to_string());
        assert_eq!(out.json()["error"], "transfers.data[0].id: missing");
        let reverse = |extra: Value| {
            let mut input = json!({"scenario": scenario(), "transfer": transfer_json(&plan), "reversal_id": "undo-1", "platform_balance": platform_json(PLENTY)});
            for (k, v) in extra.as_object().unwrap() {
                input[k] = v.clone();
            }
            json::reverse(&input.to_string())
        };
        let out = reverse(json!({"amount": 200}));
        assert_eq!(out.kind(), "planned");
        assert_eq!(
            out.json()["connected_available"],
            json!({"before": 1000, "after": 1200, "currency": "usd"})
        );
        assert_eq!(
            out.json()["platform_available"],
            json!({"before": PLENTY, "after": PLENTY - 200, "currency": "usd"})
        );
        // The platform's balance: the Balance object, required, read as the book reads it.
        let short = reverse(json!({"amount": 200, "platform_balance": platform_json(199)}));
        assert_eq!(
            (short.kind(), &short.json()["violations"][0]["code"]),
            ("rejected", &json!("platform_balance_insufficient"))
        );
        let mut input = json!({"scenario": scenario(), "transfer": transfer_json(&plan), "reversal_id": "undo-1"});
        let missing = json::reverse(&input.to_string());
        assert_eq!(
            missing.json(),
            json!({"outcome": "invalid_input", "error": "platform_balance: missing", "kind": "missing", "path": "platform_balance"})
        );
        for (balance, error) in [
            (
                json!({"available": [{"amount": "1", "currency": "usd"}]}),
                "platform_balance.available[0].amount: expected a 64-bit integer, found a string",
            ),
            (
                json!({"available": [{"amount": 1, "currency": "usd"}, {"amount": 2, "currency": "usd"}]}),
                "platform_balance.available[1].currency: currency usd is listed twice",
            ),
            (json!({}), "platform_balance.available: missing"),
            (
                json!([]),
                "platform_balance: expected a JSON object, found an array",
            ),
        ] {
            input["platform_balance"] = balance;
            assert_eq!(json::reverse(&input.to_string()).json()["error"], error);
        }
        // Another currency that cannot be read is skipped, as in a scenario's balance.
        input["platform_balance"] = json!({"available": [{"amount": "x", "currency": "eur"}, {"amount": 500, "currency": "usd"}]});
        input["amount"] = json!(500);
        let skipped = json::reverse(&input.to_string());
        assert_eq!(
            skipped.json()["platform_available"],
            json!({"before": 500, "after": 0, "currency": "usd"})
        );
        // `find` takes it too.
        let transfers = json!({"object": "list", "data": [], "has_more": false});
        let no_balance =
            json::find(&json!({"scenario": scenario(), "transfers": transfers}).to_string());
        assert_eq!(no_balance.json()["path"], "platform_balance");
        assert_eq!(out.json()["reserve_release"], Value::Null);
        assert_eq!(
            out.json()["request"]["form"],
            json!([
                ["amount", "200"],
                ["metadata[account_debit_id]", "recovery-42"],
                ["metadata[account_debit_reversal_id]", "undo-1"]
            ])
        );
        assert_eq!(
            out.json()["request"]["headers"]["Stripe-Account"],
            demo::CONNECTED
        );
        let out = reverse(json!({"amount": 900}));
        assert_eq!(
            out.json(),
            json!({"outcome": "rejected", "violations": [{"code": "amount_exceeds_remaining", "message": "reversal of 9.00 usd is more than the 5.00 usd left to reverse", "amount": 900, "remaining": 500, "currency": "usd"}]})
        );
        assert_eq!(
            reverse(json!({"reversal_id": "a b"})).json()["error"],
            "reversal_id: \"a b\": reversal id must be 1 to 100 printable ascii characters without spaces"
        );
        assert_eq!(
            reverse(json!({"reversal_id": 5})).json()["error"],
            "reversal_id: expected a string, found an integer"
        );
        assert_eq!(
            reverse(json!({"transfer": {"object": "transfer"}})).json()["error"],
            "transfer.id: missing"
        );
        // An expanded field without a string id, named with its path.
        let mut expanded = transfer_json(&plan);
        expanded["destination_payment"] = json!({"object": "charge"});
        let out = reverse(json!({ "transfer": expanded.clone() }));
        assert_eq!(
            (out.kind(), &out.json()["path"]),
            ("invalid_input", &json!("transfer.destination_payment.id"))
        );
        let list = json!({"object": "list", "data": [expanded]});
        let out = json::find(&json!({"scenario": scenario(), "transfers": list, "platform_balance": platform_json(PLENTY)}).to_string());
        assert_eq!(
            out.json()["error"],
            "transfers.data[0].destination_payment.id: an expanded object needs its id as a string, found nothing"
        );
        // Expanded with its id: read as the id.
        let mut expanded = transfer_json(&plan);
        expanded["destination"] = json!({"id": demo::PLATFORM, "object": "account"});
        expanded["destination_payment"] = json!({"id": "py_1Debit", "object": "charge"});
        assert_eq!(
            reverse(json!({"amount": 200, "transfer": expanded.clone()})).json(),
            reverse(json!({"amount": 200})).json()
        );
        let list = json!({"object": "list", "data": [expanded], "has_more": false});
        let out = json::find(&json!({"scenario": scenario(), "transfers": list, "platform_balance": platform_json(PLENTY)}).to_string());
        assert_eq!(out.json()["payment"], "py_1Debit");
        assert_eq!(reverse(json!({"amount": "1"})).json()["path"], "amount");
        let mut below = scenario();
        below["connected_balance"]["available"][0]["amount"] = json!(-300);
        let mut input = json!({"scenario": below, "transfer": transfer_json(&plan), "reversal_id": "undo-1", "platform_balance": platform_json(PLENTY)});
        input["amount"] = json!(100);
        let out = json::reverse(&input.to_string());
        assert_eq!(
            out.json()["reserve_release"],
            json!({"amount": 100, "currency": "usd"})
        );
        assert_eq!(out.json()["platform_available_change"], 0);
    }
}

// The state machine: an attempt driven through any sequence of replies.

/// One thing that can come back from a send.
#[derive(Debug, Clone)]
enum Event {
    NoReply,
    Status {
        status: u16,
        should_retry: Option<bool>,
        replayed: bool,
        retry_after: Option<u8>,
    },
    Planned {
        replayed: bool,
    },
    Tampered {
        field: usize,
    },
    Garbage(Vec<u8>),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::NoReply),
        (
            prop_oneof![
                Just(200u16),
                Just(400),
                Just(402),
                Just(404),
                Just(409),
                Just(429),
                Just(500),
                Just(503),
                Just(302),
                0u16..1000,
                any::<u16>()
            ],
            proptest::option::of(any::<bool>()),
            any::<bool>(),
            proptest::option::of(0u8..90)
        )
            .prop_map(
                |(status, should_retry, replayed, retry_after)| Event::Status {
                    status,
                    should_retry,
                    replayed,
                    retry_after
                }
            ),
        any::<bool>().prop_map(|replayed| Event::Planned { replayed }),
        (0usize..6).prop_map(|field| Event::Tampered { field }),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Event::Garbage),
    ]
}

/// A reply's status, headers and body, owned.
type OwnedReply = (u16, Vec<(String, String)>, Vec<u8>);

/// The reply an event is: status, headers and body.
fn materialise(plan: &DebitPlan, event: &Event) -> Option<OwnedReply> {
    let mut headers = Vec::new();
    let body = match event {
        Event::NoReply => return None,
        Event::Status {
            status,
            should_retry,
            replayed,
            retry_after,
        } => {
            if let Some(flag) = should_retry {
                headers.push(("Stripe-Should-Retry".to_owned(), flag.to_string()));
            }
            if *replayed {
                headers.push(("idempotent-replayed".to_owned(), "true".to_owned()));
            }
            if let Some(seconds) = retry_after {
                headers.push(("Retry-After".to_owned(), seconds.to_string()));
            }
            return Some((*status, headers, Vec::new()));
        }
        Event::Planned { replayed } => {
            if *replayed {
                headers.push(("Idempotent-Replayed".to_owned(), "true".to_owned()));
            }
            transfer_json(plan).to_string().into_bytes()
        }
        Event::Tampered { field } => {
            let mut body = transfer_json(plan);
            let (key, value) = [
                ("amount", json!(499)),
                ("currency", json!("eur")),
                ("destination", json!("acct_1X")),
                ("metadata", json!({})),
                ("object", json!("payout")),
                ("id", json!("po_1")),
            ][*field]
                .clone();
            body[key] = value;
            body.to_string().into_bytes()
        }
        Event::Garbage(bytes) => bytes.clone(),
    };
    Some((200, headers, body))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Drives one attempt: every resend is the same request (key and body); nothing is
    /// sent after confirmed, failed or in doubt; sends never exceed the budget; no retry
    /// once the key window (less the margin) could be over; confirmed only for the planned
    /// transfer; every delay window is within the clients' bounds; a number that is not an
    /// HTTP status is in doubt.
    #[test]
    fn an_attempt_driven_by_any_replies_stays_safe(
        events in proptest::collection::vec(event(), 1..12),
        max_sends in 1u32..6,
        margin in 0u32..=KEY_WINDOW_SECONDS,
        start_gap in 0i64..90_000,
        gaps in proptest::collection::vec(0i64..40_000, 12),
    ) {
        let plan = plan();
        let options = ReplyOptions::default().with_max_sends(max_sends).with_key_window_margin(margin);
        let first_request = plan.request();
        let mut first_body = String::new();
        first_request.write_form_urlencoded(&mut first_body).unwrap();
        let first_key = first_request.idempotency_key();
        let mut attempt = Attempt::new(AttemptNumber::FIRST, 1, Timestamp::from_unix(T0), Timestamp::from_unix(T0 + start_gap)).unwrap();
        let mut sends = 1;
        for (event, gap) in events.iter().zip(&gaps) {
            let reply = materialise(&plan, event);
            let headers: Vec<(&str, &str)> = reply.as_ref().map(|(_, h, _)| h.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()).unwrap_or_default();
            let reply = reply.as_ref().map(|(status, _, body)| Reply::new(*status, &headers, body));
            let next = read_reply(&plan, &attempt, reply.as_ref(), &options);
            // Confirmed only for the planned transfer.
            if let Next::Confirmed { transfer, payment, .. } = &next {
                prop_assert!(matches!(event, Event::Planned { .. }), "{event:?}");
                prop_assert_eq!((transfer.as_str(), payment.as_str()), ("tr_1Debit", "py_1Debit"));
            }
            if matches!(event, Event::Planned { .. }) {
                prop_assert_eq!(next.code(), "confirmed");
            }
            if matches!(event, Event::Tampered { .. }) {
                prop_assert_eq!(next.code(), "mismatch");
            }
            // What is not an HTTP status is never a retry (nor anything but in doubt).
            if let Event::Status { status, .. } = event && !(100..=599).contains(status) {
                let is_not_a_status = matches!(&next, Next::InDoubt { reason: InDoubtReason::NotAnHttpStatus, status: Some(seen), .. } if seen == status);
                prop_assert!(is_not_a_status, "{status}: {next:?}");
            }
            let Next::Retry { attempt: number, delay, .. } = next else {
                // Confirmed, mismatch, failed, in doubt: nothing more is sent.
                prop_assert!(!next.sends_again());
                break;
            };
            // A retry only within the budget and the key window.
            prop_assert!(sends < max_sends);
            let last = T0 + i64::from(KEY_WINDOW_SECONDS) - i64::from(margin);
            prop_assert!(attempt.now().unix() + i64::try_from(delay.max_ms().div_ceil(1000)).unwrap() < last);
            prop_assert!(500 <= delay.min_ms() && delay.min_ms() <= delay.max_ms() && delay.max_ms() <= 60_000);
            // A Retry-After is waited, capped at 60 s, never ignored.
            if let Event::Status { retry_after: Some(seconds), .. } = event {
                prop_assert!(delay.min_ms() >= u64::from(*seconds).min(60) * 1_000, "{seconds}: {delay:?}");
            }
            // The resend: the same request, the same key, the same body.
            prop_assert_eq!(number, attempt.number());
            let request = plan.request_for(number);
            let mut body = String::new();
            request.write_form_urlencoded(&mut body).unwrap();
            prop_assert_eq!(request.idempotency_key(), first_key);
            prop_assert_eq!(&body, &first_body);
            let now = Timestamp::from_unix(attempt.now().unix() + gap + i64::try_from(delay.min_ms() / 1000).unwrap());
            attempt = attempt.sent_again(now).unwrap();
            sends += 1;
            prop_assert!(sends <= max_sends);
        }
    }

    /// Reversals conserve money and never reverse more than the transfer's amount: the
    /// connected account gains exactly what the platform's total loses; the platform's
    /// available balance covers the whole amount, or the reversal is refused.
    #[test]
    fn reversals_conserve_money_and_never_reverse_more_than_was_debited(
        amount in 1i64..1_000_000,
        reversed in 0i64..1_000_000,
        asked in proptest::option::of(-10i64..2_000_000),
        balance in -2_000_000i64..2_000_000,
        platform_available in prop_oneof![-10i64..2_000_000, Just(i64::MIN), Just(i64::MAX)],
    ) {
        let reversed = reversed.min(amount);
        let transfer = record(amount, reversed, reversed == amount);
        let mut input = demo::input().unwrap();
        input.connected_balance_mut().set_available(Money::from_minor(balance, Currency::USD).unwrap());
        match plan_reversal(&input, &transfer, asked, "undo-1".parse().unwrap(), &platform(platform_available)) {
            Ok(plan) => {
                let moved = plan.amount().minor();
                prop_assert!(0 < moved && moved <= amount - reversed);
                // The platform covers the whole amount before the reversal, and its balance
                // after is before + released - moved: never negative, never more than before.
                prop_assert_eq!(plan.platform_before().minor(), platform_available);
                prop_assert!(platform_available >= moved);
                prop_assert_eq!(i128::from(plan.platform_after().minor()), i128::from(platform_available) - i128::from(moved) + i128::from(plan.reserve_release().map_or(0, |m| m.minor())));
                prop_assert!(0 <= plan.platform_after().minor() && plan.platform_after().minor() <= platform_available);
                prop_assert_eq!(plan.connected_after().minor() - plan.connected_before().minor(), moved);
                let released = plan.reserve_release().map_or(0, |m| m.minor());
                prop_assert!(0 <= released && released <= moved);
                prop_assert_eq!(released, (-balance).max(0) - (-(balance + moved)).max(0));
                // Platform available + released reserve (which goes back to available) =
                // the platform total, which falls by what the connected account gains.
                prop_assert_eq!(plan.platform_available_change().minor(), released - moved);
                let request = plan.request();
                prop_assert_eq!(request.form()[0].1, moved.to_string());
            }
            Err(rejection) => {
                prop_assert!(!rejection.violations().is_empty());
                let fully = reversed == amount;
                let bad_amount = asked.is_some_and(|a| a <= 0 || a > amount - reversed);
                let wanted = asked.unwrap_or(amount - reversed);
                let platform_short = platform_available < wanted;
                prop_assert!(fully || bad_amount || platform_short, "{rejection}");
                // The platform's balance is judged once the amount is known, and only then.
                let insufficient = rejection.codes().any(|c| c == "platform_balance_insufficient");
                prop_assert_eq!(insufficient, !fully && !bad_amount && platform_short, "{}", rejection);
            }
        }
    }
}

/// What the docs' examples show, asserted here too (the mutation tests run without doc
/// tests), with exact messages.
#[test]
fn the_small_types_behave_as_documented() {
    // The attempt and its options: `attempt.rs`, which runs without the `serde` feature.
    let reply = Reply::new(503, &[("X-A", "1")], b"body");
    assert_eq!(
        (reply.status(), reply.header("x-a"), reply.body()),
        (503, Some("1"), &b"body"[..])
    );
    let error = StripeError::from_body(br#"{"error": {"type": "idempotency_error"}}"#);
    assert!(error.is_idempotency_error());
    assert_eq!(StripeError::from_body(b"<html>"), StripeError::default());
    assert_eq!(
        StripeError::from_body(br#"[{"type": "api_error"}]"#),
        StripeError::default()
    );
    let kind = ReversalViolationKind::AlreadyFullyReversed;
    assert_eq!(
        kind.when(),
        "the transfer is `reversed`, or `amount_reversed` equals `amount`"
    );
    assert_eq!(
        kind.source(),
        "\"Create a transfer reversal\": a transfer can be reversed until it is fully reversed"
    );
    assert_eq!(kind.position(), 3);
}

#[test]
fn a_transfer_record_has_every_part_as_read() {
    let transfer = record(500, 120, false);
    assert_eq!(
        transfer.amount_reversed(),
        Money::from_minor(120, Currency::USD).unwrap()
    );
    assert_eq!(transfer.currency(), Currency::USD);
    assert_eq!(transfer.remaining().minor(), 380);
    assert!(!transfer.reversed() && record(500, 500, true).reversed());
    assert_eq!(transfer.debit_id().unwrap().as_str(), "recovery-42");
    let err = TransferRecord::from_json(br#"{"id": "tr_1", "object": "transfer", "amount": 1, "amount_reversed": -1, "currency": "usd"}"#).unwrap_err();
    assert_eq!(
        (err.path(), err.message()),
        ("amount_reversed", "-1 is not between 0 and the amount 1")
    );
    assert_eq!(
        err.to_string(),
        "amount_reversed: -1 is not between 0 and the amount 1"
    );
    // Read within a list, the same error names the transfer's place in it.
    let mut bad = transfer_json(&plan());
    bad["amount_reversed"] = json!(-1);
    let listed =
        json!({"object": "list", "data": [transfer_json(&plan()), bad], "has_more": false});
    assert_eq!(
        TransferList::from_json(listed.to_string().as_bytes())
            .unwrap_err()
            .to_string(),
        "data[1].amount_reversed: -1 is not between 0 and the amount 500"
    );
    let whole = TransferRecord::from_json(b"[]").unwrap_err();
    assert_eq!(whole.to_string(), "expected a JSON object, found an array");
    let scenario: Value =
        serde_json::from_str(include_str!("../../examples/scenarios/demo.json")).unwrap();
    let reverse = json::reverse(
        &json!({"scenario": scenario, "transfer": [], "reversal_id": "undo-1", "platform_balance": platform_json(PLENTY)})
            .to_string(),
    );
    assert_eq!(
        reverse.as_ref().unwrap_err().to_string(),
        "transfer: expected a JSON object, found an array"
    );
    let plan = plan_reversal(
        &demo::input().unwrap(),
        &transfer,
        None,
        "undo-1".parse().unwrap(),
        &platform(PLENTY),
    )
    .unwrap();
    assert_eq!(plan.transfer(), &transfer);
}

#[test]
fn a_list_lends_its_transfers_in_order() {
    let mut second = transfer_json(&plan());
    second["id"] = json!("tr_2");
    let list = list(&[transfer_json(&plan()), second], true);
    let ids: Vec<String> = list
        .transfers()
        .iter()
        .map(|t| t.id().to_string())
        .collect();
    assert_eq!(ids, ["tr_1Debit", "tr_2"]);
    assert!(!list.complete());
    // Without `has_more`, whether the list is complete is not known: refused, never read
    // as complete.
    let without = TransferList::from_value(&json!({"object": "list", "data": []})).unwrap_err();
    assert_eq!(without.to_string(), "has_more: missing");
}

#[test]
fn retry_after_is_whole_seconds_in_digits_only() {
    let options = ReplyOptions::default().with_max_sends(10);
    for (value, expected) in [
        ("7", (7_000, 7_000)),
        ("+7", (500, 1_000)),
        ("", (500, 1_000)),
        ("7.0", (500, 1_000)),
        ("60", (60_000, 60_000)),
        ("61", (60_000, 60_000)),
        ("86400", (60_000, 60_000)),
        ("99999999999999999999999", (60_000, 60_000)),
    ] {
        let headers = [("retry-after", value)];
        let reply = Reply::new(429, &headers, b"");
        let next = read_reply(&plan(), &attempt(2, T0), Some(&reply), &options);
        assert_eq!(window(&next), expected, "{value:?}");
    }
}

#[test]
fn find_writes_a_double_debit_with_its_reversals() {
    let scenario: Value =
        serde_json::from_str(include_str!("../../examples/scenarios/demo.json")).unwrap();
    let mut second = transfer_json(&plan());
    second["id"] = json!("tr_2");
    second["created"] = json!(T0 + 1);
    let transfers =
        json!({"object": "list", "data": [second, transfer_json(&plan())], "has_more": false});
    let out = json::find(&json!({"scenario": scenario, "transfers": transfers, "platform_balance": platform_json(PLENTY)}).to_string());
    assert_eq!(out.kind(), "duplicated");
    let json = out.json();
    assert_eq!(json["transfers"], json!(["tr_1Debit", "tr_2"]));
    assert_eq!(json["kept"], "tr_1Debit");
    assert_eq!(json["reversals"][0]["transfer"], "tr_2");
    assert_eq!(json["reversals"][0]["outcome"], "planned");
    assert_eq!(
        json["reversals"][0]["request"]["path"],
        "/v1/transfers/tr_2/reversals"
    );
    assert_eq!(
        json["reversals"][0]["connected_available"],
        json!({"before": 1000, "after": 1500, "currency": "usd"})
    );
}

/// A key given twice in a command's input is refused, naming its path, as in a scenario.
#[test]
fn a_duplicate_key_in_a_commands_input_is_refused() {
    let text = include_str!("../../examples/lifecycle/reply-confirmed.json").replacen(
        "\"attempt\": {",
        "\"attempt\": {\"sends\": 9, ",
        1,
    );
    assert!(text.contains("\"sends\": 9"), "{text}");
    let output = stripe_account_debits::json::reply(&text);
    assert_eq!(output.kind(), "invalid_input");
    let json = output.json();
    assert_eq!(json["path"], "attempt.sends");
    assert_eq!(
        json["error"],
        "attempt.sends: the key \"sends\" is given twice"
    );
}

/// The lifecycle commands' deserializer doors (for a binding's own objects) read every
/// example exactly as the text functions do, and refuse a key given twice with its path.
#[test]
fn the_deserializer_doors_read_as_the_text_functions_do() {
    /// A command's kind and text.
    type Out = (&'static str, String);
    type Door = fn(&mut serde_json::Deserializer<serde_json::de::StrRead<'_>>) -> Out;
    type ByText = fn(&str) -> Out;
    fn out(printed: &dyn Printed) -> Out {
        (printed.kind(), printed.text())
    }
    let commands: [(&str, ByText, Door); 3] = [
        (
            "reply",
            |t| out(&json::reply(t)),
            |d| out(&json::reply_from_deserializer(d)),
        ),
        (
            "find",
            |t| out(&json::find(t)),
            |d| out(&json::find_from_deserializer(d)),
        ),
        (
            "reverse",
            |t| out(&json::reverse(t)),
            |d| out(&json::reverse_from_deserializer(d)),
        ),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/lifecycle");
    let mut read = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        for (prefix, by_text, door) in commands {
            if !name.starts_with(&format!("{prefix}-")) {
                continue;
            }
            let mut deserializer = serde_json::Deserializer::from_str(&text);
            let (want, got) = (by_text(&text), door(&mut deserializer));
            assert_eq!(got.0, want.0, "{name}");
            assert_eq!(got.1, want.1, "{name}");
            read += 1;
        }
    }
    assert_eq!(read, 11);
    let twice = r#"{"scenario": {}, "scenario": {}}"#;
    let out = json::reply_from_deserializer(&mut serde_json::Deserializer::from_str(twice));
    assert_eq!(
        out.text(),
        r#"{"outcome":"invalid_input","error":"scenario: the key \"scenario\" is given twice","kind":"syntax","path":"scenario"}"#
    );
    let list = json::find_from_deserializer(serde_json::json!([]));
    assert_eq!(list.kind(), "invalid_input");
    assert!(
        list.text()
            .contains("expected a JSON object, found an array")
    );
}

/// A lifecycle command's invalid-input output keeps its typed error (for a binding that
/// raises it), the same one its JSON writes.
#[test]
fn an_invalid_input_output_keeps_its_error() {
    let out = json::find(r#"{"scenario": {"at": "soon"}}"#);
    let error = out.as_ref().unwrap_err();
    assert_eq!(error.kind(), json::ReadErrorKind::WrongType);
    assert_eq!(error.path(), "scenario.at");
    assert_eq!(out.json()["error"], error.to_string());
    assert!(json::find(include_str!("../../examples/lifecycle/find-found.json")).is_ok());
}
