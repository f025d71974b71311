//! The debit's state machine, path by path: the same key within its window, 409s that
//! wait, a saved 500 settled by a search after the settle bound, a search that finds the
//! transfer once, twice (the extra reversed with its own key) or nowhere (a new key), a
//! late reply, a failure and a new attempt, an unreadable list, and the saved state at
//! every step read back to the same machine.

use serde_json::{Value, json};
use stripe_account_debits::lifecycle::*;
use stripe_account_debits::*;

const T0: i64 = 1_764_000_000_000;

fn start() -> DebitMachine {
    DebitMachine::start(demo::input().unwrap(), MachineOptions::default()).unwrap()
}

fn at(ms: i64) -> Millis {
    Millis::from_unix_ms(T0 + ms)
}

/// Polls, checking that the saved state reads back to the same machine.
fn poll(machine: &mut DebitMachine, now: Millis) -> Action {
    let action = machine.poll(now).unwrap();
    let resumed = DebitMachine::from_json(demo::input().unwrap(), &machine.to_json()).unwrap();
    assert_eq!(&resumed, machine, "the saved state reads back whole");
    // The state as a value (a binding's door) is the same document, and reads back through
    // the deserializer door to the same machine.
    let state = serde_json::to_value(machine.state()).unwrap();
    assert_eq!(
        state,
        serde_json::from_str::<Value>(&machine.to_json()).unwrap()
    );
    let resumed = DebitMachine::from_deserializer(demo::input().unwrap(), &state).unwrap();
    assert_eq!(&resumed, machine, "the state value reads back whole");
    action
}

fn request(action: Action) -> HttpRequest {
    match action {
        Action::Send(r) | Action::List(r) => r,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn transfer(id: &str, amount: i64, created: i64) -> Value {
    json!({"id": id, "object": "transfer", "amount": amount, "amount_reversed": 0,
        "currency": "usd", "destination": demo::PLATFORM, "destination_payment": format!("py_{id}"),
        "metadata": {"account_debit_id": "recovery-42"}, "reversed": false, "created": created})
}

fn reply(
    machine: &mut DebitMachine,
    now: Millis,
    status: u16,
    headers: &[(&str, &str)],
    body: &Value,
) {
    let text = body.to_string();
    machine
        .on_reply(now, Some(&Reply::new(status, headers, text.as_bytes())))
        .unwrap();
}

fn amount(machine: &DebitMachine) -> i64 {
    machine.plan().transfer().amount().minor()
}

/// Waits out whatever the machine asks to wait for, and returns the next request.
fn next_request(machine: &mut DebitMachine, mut now: Millis) -> (HttpRequest, Millis) {
    loop {
        match poll(machine, now) {
            Action::Wait { until, .. } => now = until,
            other => return (request(other), now),
        }
    }
}

/// Sends the debit, reports a saved 500 (so nobody knows whether the transfer exists), and
/// returns the search's first request, after the settle bound.
fn search_after_a_saved_500(machine: &mut DebitMachine) -> (HttpRequest, Millis) {
    let (_, now) = next_request(machine, at(0));
    reply(
        machine,
        now,
        500,
        &[("Idempotent-Replayed", "true")],
        &json!({}),
    );
    next_request(machine, now)
}

#[test]
fn a_timeout_then_409s_then_the_transfer_keeps_one_key() {
    let mut m = start();
    let (first, mut now) = next_request(&mut m, at(0));
    assert_eq!((first.method(), first.path()), ("POST", "/v1/transfers"));
    assert_eq!(first.stripe_account(), Some(demo::CONNECTED));
    m.on_reply(now.plus(80_000), None).unwrap();
    now = now.plus(80_000);
    // Ten 409s: the key is executing elsewhere; each waits, none spends the fast sends.
    for _ in 0..10 {
        let (again, t) = next_request(&mut m, now);
        assert_eq!(again.idempotency_key(), first.idempotency_key());
        reply(
            &mut m,
            t,
            409,
            &[],
            &json!({"error": {"type": "idempotency_error", "code": "idempotency_key_in_use"}}),
        );
        now = t;
    }
    let (again, t) = next_request(&mut m, now);
    assert_eq!(again.idempotency_key(), first.idempotency_key());
    let amount = amount(&m);
    reply(
        &mut m,
        t,
        200,
        &[("Idempotent-Replayed", "true")],
        &transfer("tr_1", amount, T0 / 1000),
    );
    let Action::Done(Outcome::Confirmed { transfer, by, .. }) = poll(&mut m, t) else {
        panic!()
    };
    assert_eq!(transfer.as_str(), "tr_1");
    assert_eq!(by, ConfirmedBy::Reply { replayed: true });
    assert_eq!(m.attempt().get(), 1);
}

#[test]
fn a_saved_500_waits_the_settle_bound_then_searches_then_starts_attempt_two() {
    let mut m = start();
    let (first, now) = next_request(&mut m, at(0));
    reply(
        &mut m,
        now,
        500,
        &[("Idempotent-Replayed", "true")],
        &json!({"error": {"type": "api_error"}}),
    );
    assert_eq!(m.phase().code(), "searching");
    // Nothing before the settle bound.
    let Action::Wait { until, .. } = poll(&mut m, now) else {
        panic!()
    };
    assert_eq!(until, now.plus(DEFAULT_SETTLE_MS));
    let (list, t) = next_request(&mut m, until);
    assert_eq!((list.method(), list.path()), ("GET", "/v1/transfers"));
    let params: Vec<(&str, &str)> = list.params().collect();
    let created = ((T0 - DEFAULT_CLOCK_SKEW_MS as i64) / 1000).to_string();
    assert_eq!(
        params,
        [
            ("destination", demo::PLATFORM),
            ("created[gte]", created.as_str()),
            ("limit", "100")
        ]
    );
    assert_eq!(list.stripe_account(), Some(demo::CONNECTED));
    // Another debit's transfer on a first page, more to come; nothing on the second.
    let other = json!({"id": "tr_other", "object": "transfer", "amount": 7, "currency": "usd",
        "destination": demo::PLATFORM, "metadata": {"account_debit_id": "other"}});
    reply(
        &mut m,
        t,
        200,
        &[],
        &json!({"object": "list", "data": [other], "has_more": true}),
    );
    let (page2, t) = next_request(&mut m, t);
    assert!(page2.params().any(|p| p == ("starting_after", "tr_other")));
    reply(
        &mut m,
        t,
        200,
        &[],
        &json!({"object": "list", "data": [], "has_more": false}),
    );
    let (second, _) = next_request(&mut m, t);
    assert_eq!(m.attempt().get(), 2);
    assert!(
        second
            .idempotency_key()
            .unwrap()
            .starts_with("account-debit#2:")
    );
    assert_ne!(second.idempotency_key(), first.idempotency_key());
}

#[test]
fn a_search_that_finds_the_transfer_twice_reverses_the_later_with_its_own_key() {
    let mut m = start();
    let (_, t) = search_after_a_saved_500(&mut m);
    let amount = amount(&m);
    let page = json!({"object": "list", "has_more": false,
        "data": [transfer("tr_late", amount, T0 / 1000 + 9), transfer("tr_early", amount, T0 / 1000)]});
    reply(&mut m, t, 200, &[], &page);
    assert_eq!(m.phase().code(), "reversing");
    let (reversal, t) = next_request(&mut m, t);
    assert_eq!(reversal.path(), "/v1/transfers/tr_late/reversals");
    assert!(
        reversal
            .idempotency_key()
            .unwrap()
            .starts_with("account-debit-reversal:")
    );
    reply(&mut m, t, 503, &[], &json!({}));
    let (again, t) = next_request(&mut m, t);
    assert_eq!(again.idempotency_key(), reversal.idempotency_key());
    let body = json!({"id": "trr_1", "object": "transfer_reversal", "amount": amount, "currency": "usd", "transfer": "tr_late"});
    reply(&mut m, t, 200, &[], &body);
    let Action::Done(Outcome::Confirmed {
        transfer,
        reversed,
        by,
        ..
    }) = poll(&mut m, t)
    else {
        panic!()
    };
    assert_eq!((transfer.as_str(), by), ("tr_early", ConfirmedBy::Search));
    assert_eq!(reversed.len(), 1);
    assert_eq!(reversed[0].transfer().as_str(), "tr_late");
    assert_eq!(
        reversed[0].reversal().map(|r| r.to_string()).as_deref(),
        Some("trr_1")
    );
}

#[test]
fn a_reply_to_a_send_made_late_is_settled_by_a_search() {
    let mut m = start();
    let (first, now) = next_request(&mut m, at(0));
    // The caller stalls a day, then sends and reports a success: not trusted alone.
    let late = now.plus(25 * 3_600_000);
    let amount = amount(&m);
    reply(
        &mut m,
        late,
        200,
        &[],
        &transfer("tr_1", amount, late.timestamp().unix()),
    );
    assert_eq!(m.phase().code(), "searching");
    assert!(first.act_by() < late);
    // A caller that resumes late without a reply: the same, a search, never a resend.
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    let Action::Wait { until, .. } = poll(&mut m, now.plus(25 * 3_600_000)) else {
        panic!()
    };
    assert_eq!(m.phase().code(), "searching");
    assert!(until > now.plus(25 * 3_600_000));
}

#[test]
fn a_4xx_fails_and_a_new_attempt_takes_a_new_key_only_when_asked() {
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    assert_eq!(m.new_attempt(now), Err(StepError::NoNewAttempt));
    let error = json!({"error": {"type": "invalid_request_error", "code": "balance_insufficient"}});
    reply(&mut m, now, 400, &[("Request-Id", "req_1")], &error);
    let Action::Done(Outcome::Failed {
        attempt, failure, ..
    }) = poll(&mut m, now)
    else {
        panic!()
    };
    assert_eq!((attempt.get(), failure.status()), (1, 400));
    assert_eq!(failure.request_id(), Some("req_1"));
    m.new_attempt(now).unwrap();
    let (second, _) = next_request(&mut m, now);
    assert!(
        second
            .idempotency_key()
            .unwrap()
            .starts_with("account-debit#2:")
    );
}

/// An escalation keeps the `Request-Id` of the reply concerned and shows it after its code
/// and detail; without one it shows neither.
#[test]
fn an_escalation_names_its_replys_request_id_and_shows_it() {
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    let body = json!({"error": {"type": "idempotency_error"}});
    reply(&mut m, now, 400, &[("Request-Id", "req_9\n")], &body);
    let Action::Escalate(e) = poll(&mut m, now) else {
        panic!()
    };
    assert_eq!(e.request_id(), Some("req_9\n"));
    assert!(!e.detail().is_empty());
    assert_eq!(
        e.to_string(),
        format!("idempotency_error: {} (Request-Id req_9\\n)", e.detail())
    );
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    reply(&mut m, now, 200, &[], &transfer("tr_1", 1, T0 / 1000));
    let Action::Escalate(e) = poll(&mut m, now) else {
        panic!()
    };
    assert_eq!(e.request_id(), None);
    assert_eq!(e.to_string(), format!("mismatch: {}", e.detail()));
}

#[test]
fn an_idempotency_error_and_a_mismatch_escalate() {
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    reply(
        &mut m,
        now,
        400,
        &[],
        &json!({"error": {"type": "idempotency_error"}}),
    );
    let Action::Escalate(e) = poll(&mut m, now) else {
        panic!()
    };
    assert_eq!(e.reason(), EscalationReason::IdempotencyError);
    assert_eq!(m.new_attempt(now), Err(StepError::NoNewAttempt));
    let mut m = start();
    let (_, now) = next_request(&mut m, at(0));
    reply(&mut m, now, 200, &[], &transfer("tr_1", 1, T0 / 1000));
    let Action::Escalate(e) = poll(&mut m, now) else {
        panic!()
    };
    assert_eq!(e.reason(), EscalationReason::Mismatch);
    assert_eq!(e.field(), Some(MismatchField::Amount));
    assert_eq!(
        e.transfers().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        ["tr_1"]
    );
}

#[test]
fn a_list_whose_end_cannot_be_known_escalates() {
    for has_more in [json!("true"), json!(1), Value::Null] {
        let mut m = start();
        let (_, t) = search_after_a_saved_500(&mut m);
        let mut page = json!({"object": "list", "data": []});
        if !has_more.is_null() {
            page["has_more"] = has_more;
        }
        reply(&mut m, t, 200, &[], &page);
        let Action::Escalate(e) = poll(&mut m, t) else {
            panic!()
        };
        assert_eq!(e.reason(), EscalationReason::SearchFailed);
        assert!(e.detail().contains("has_more"), "{}", e.detail());
    }
}

#[test]
fn no_reply_until_the_window_closes_searches_and_never_resends_past_it() {
    let mut m = start();
    let (first, mut now) = next_request(&mut m, at(0));
    let close = at(0).plus(KEY_WINDOW_MS - 3_600_000);
    loop {
        match poll(&mut m, now) {
            Action::Wait { until, .. } => now = until,
            Action::Send(r) => {
                assert!(
                    now < close && r.act_by() <= close,
                    "sent at {now}, the window closes at {close}"
                );
                assert_eq!(r.idempotency_key(), first.idempotency_key());
                now = now.plus(80_000);
                m.on_reply(now, None).unwrap();
            }
            Action::List(_) => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(now >= close);
}

#[test]
fn the_state_refuses_another_debit_and_other_versions() {
    let m = start();
    let text = m.to_json();
    let mut other = demo::input().unwrap();
    other.set_debit(Debit::new(
        "recovery-43".parse().unwrap(),
        Decimal::new(500, 2),
        Currency::USD,
        other.debit().reference().unwrap(),
    ));
    let err = DebitMachine::from_json(other, &text).unwrap_err();
    assert!(err.to_string().contains("another debit"), "{err}");
    let v2 = text.replacen("\"version\":1", "\"version\":2", 1);
    assert!(
        DebitMachine::from_json(demo::input().unwrap(), &v2)
            .unwrap_err()
            .to_string()
            .contains("version 2")
    );
    let extra = text.replacen('{', "{\"surprise\":1,", 1);
    assert!(DebitMachine::from_json(demo::input().unwrap(), &extra).is_err());
    let extra: Value = serde_json::from_str(&extra).unwrap();
    let err = DebitMachine::from_deserializer(demo::input().unwrap(), &extra).unwrap_err();
    assert!(err.message().contains("unknown field"), "{err}");
    // The phase is the crate's own shape too, whichever phase it is (a phase without
    // fields of its own, `sending`, included): the schema of the state (schemas/state.json)
    // says so, and the test of the schemas found the reader let it through.
    let phase = r#""phase":{"kind":"sending"}"#;
    assert!(text.contains(phase), "{text}");
    let extra = text.replacen(phase, r#""phase":{"kind":"sending","surprise":1}"#, 1);
    let err = DebitMachine::from_json(demo::input().unwrap(), &extra).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `surprise`"),
        "{err}"
    );
    assert!(matches!(
        start().on_reply(at(0), None),
        Err(StepError::NoRequestOut)
    ));
}

fn charge(id: &str, amount: i64, created: i64) -> Value {
    json!({"id": id, "object": "charge", "amount": amount, "amount_refunded": 0, "currency": "usd",
        "metadata": {"account_debit_id": "fee-7"}, "source_transfer": {"id": format!("tr_{id}"), "object": "transfer"},
        "created": created})
}

#[test]
fn a_service_charge_in_doubt_is_searched_by_its_metadata_and_an_extra_refunded() {
    let input = json::read_scenario(include_str!(
        "../../examples/scenarios/platform_managed.json"
    ))
    .unwrap();
    let options = MachineOptions::default().with_settle_ms(60_000);
    let mut m = DebitMachine::start(input.clone(), options).unwrap();
    let send = request(m.poll(at(0)).unwrap());
    assert_eq!((send.path(), send.stripe_account()), ("/v1/charges", None));
    m.on_reply(
        at(0),
        Some(&Reply::new(500, &[("Idempotent-Replayed", "true")], b"{}")),
    )
    .unwrap();
    // Not before an hour: the Charges search lags writes, whatever the settle bound.
    let Action::Wait { until, .. } = m.poll(at(0)).unwrap() else {
        panic!()
    };
    assert_eq!(until, at(3_600_000));
    let list = request(m.poll(until).unwrap());
    assert_eq!(
        (list.method(), list.path(), list.stripe_account()),
        ("GET", "/v1/charges/search", None)
    );
    let debit = m.plan().debit_id().to_string();
    let query = format!("metadata['account_debit_id']:'{debit}'");
    assert_eq!(list.params().next(), Some(("query", query.as_str())));
    let amount = amount(&m);
    let mut early = charge("py_early", amount, T0 / 1000);
    early["metadata"]["account_debit_id"] = debit.clone().into();
    let mut late = charge("py_late", amount, T0 / 1000 + 5);
    late["metadata"]["account_debit_id"] = debit.clone().into();
    let page =
        json!({"object": "search_result", "data": [late], "has_more": true, "next_page": "tok_2"});
    reply(&mut m, until, 200, &[], &page);
    let next = request(m.poll(until).unwrap());
    assert!(next.params().any(|p| p == ("page", "tok_2")));
    reply(
        &mut m,
        until,
        200,
        &[],
        &json!({"object": "search_result", "data": [early], "has_more": false, "next_page": null}),
    );
    let resumed = DebitMachine::from_json(input.clone(), &m.to_json()).unwrap();
    assert_eq!(resumed, m);
    let refund = request(m.poll(until).unwrap());
    assert_eq!(
        (refund.method(), refund.path(), refund.stripe_account()),
        ("POST", "/v1/refunds", None)
    );
    assert!(refund.params().any(|p| p == ("charge", "py_late")));
    assert!(
        refund
            .idempotency_key()
            .unwrap()
            .starts_with("account-debit-refund:")
    );
    let body = json!({"id": "pyr_1", "object": "refund", "amount": amount, "charge": "py_late"});
    reply(&mut m, until, 200, &[], &body);
    let Action::Done(Outcome::Confirmed {
        transfer,
        payment,
        reversed,
        ..
    }) = m.poll(until).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (transfer.as_str(), payment.map(|p| p.to_string()).as_deref()),
        ("tr_py_early", Some("py_early"))
    );
    assert_eq!(reversed[0].transfer().as_str(), "py_late");
    assert_eq!(
        reversed[0].reversal().map(|r| r.to_string()).as_deref(),
        Some("pyr_1")
    );
    // Found nowhere: a second charge under a new key.
    let mut m = DebitMachine::start(input, options).unwrap();
    let _ = m.poll(at(0)).unwrap();
    m.on_reply(at(0), None).unwrap();
    let mut now = at(0);
    let list = loop {
        match m.poll(now).unwrap() {
            Action::Wait { until, .. } => now = until,
            Action::Send(_) => m
                .on_reply(
                    now,
                    Some(&Reply::new(500, &[("Idempotent-Replayed", "true")], b"{}")),
                )
                .unwrap(),
            Action::List(r) => break r,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(list.path(), "/v1/charges/search");
    reply(
        &mut m,
        now,
        200,
        &[],
        &json!({"object": "search_result", "data": [], "has_more": false}),
    );
    let second = request(m.poll(now).unwrap());
    assert!(
        second
            .idempotency_key()
            .unwrap()
            .starts_with("account-debit#2:")
    );
}

#[test]
fn a_reply_at_the_deadline_plus_the_timeout_is_in_time_and_a_millisecond_later_is_late() {
    let options = MachineOptions::default()
        .with_request_timeout_ms(10_000)
        .with_settle_ms(5);
    for (after, late) in [(0, false), (1, true)] {
        let mut m = DebitMachine::start(demo::input().unwrap(), options).unwrap();
        assert_eq!(m.options(), &options);
        assert_eq!(m.outcome(), None);
        let send = request(m.poll(at(0)).unwrap());
        let when = send.act_by().plus(10_000 + after);
        let amount = amount(&m);
        reply(&mut m, when, 200, &[], &transfer("tr_1", amount, T0 / 1000));
        assert_eq!(m.phase().code(), if late { "searching" } else { "done" });
        if !late {
            assert!(matches!(m.outcome(), Some(Outcome::Confirmed { .. })));
            assert_eq!(m.escalation(), None);
        }
    }
}
