//! The machine's doors in JSON: every action as `json::action` writes it, and the `step`
//! command's document (`json::step`): a loop through it, and each refusal with its path.

use serde_json::{Value, json};
use stripe_account_debits::json::{self, StepKind};
use stripe_account_debits::lifecycle::*;
use stripe_account_debits::*;

const T0: i64 = 1_764_000_000_000;
const SCENARIO: &str = include_str!("../../examples/scenarios/demo.json");
const CHARGE: &str = "ch_1DemoCharge00000001";

/// The demo's transfer as Stripe returns it, with `amount`.
fn transfer(amount: i64) -> Value {
    json!({
        "id": "tr_1Debit", "object": "transfer", "amount": amount, "amount_reversed": 0,
        "currency": "usd", "destination": demo::PLATFORM, "destination_payment": "py_1Debit",
        "metadata": {"account_debit_id": "recovery-42"}, "reversed": false,
        "created": 1_764_000_001,
    })
}

/// Runs a step: `fields` are the document's fields besides the scenario.
fn step(fields: &str) -> (StepKind, Value) {
    let out = json::step(&format!(r#"{{"scenario": {SCENARIO}, {fields}}}"#));
    let value: Value = serde_json::from_str(&out.to_string()).unwrap();
    (out.kind(), value)
}

/// The state after the first send (at `T0`), as text.
fn after_first_send() -> String {
    let (kind, out) = step(&format!(r#""state": null, "now_ms": {T0}"#));
    assert_eq!(kind, StepKind::Send);
    out["state"].to_string()
}

fn machine() -> DebitMachine {
    DebitMachine::start(demo::input().unwrap(), MachineOptions::default()).unwrap()
}

fn action_json(action: &Action) -> Value {
    serde_json::to_value(json::action(action)).unwrap()
}

#[test]
fn a_send_is_written_whole_with_its_body() {
    let mut m = machine();
    let action = m.poll(Millis::from_unix_ms(T0)).unwrap();
    assert_eq!(
        action_json(&action),
        json!({
            "action": "send", "method": "POST", "path": "/v1/transfers",
            "stripe_account": demo::CONNECTED,
            "idempotency_key": format!("account-debit:{}:{}:recovery-42", demo::PLATFORM, demo::CONNECTED),
            "params": [["amount", "500"], ["currency", "usd"], ["destination", demo::PLATFORM],
                ["reference_transaction[type]", "charge"], ["reference_transaction[charge]", CHARGE],
                ["metadata[account_debit_id]", "recovery-42"]],
            "body": format!("amount=500&currency=usd&destination={}&reference_transaction%5Btype%5D=charge\
                &reference_transaction%5Bcharge%5D={}&metadata%5Baccount_debit_id%5D=recovery-42", demo::PLATFORM, CHARGE),
            "act_by_ms": T0 + 60_000,
        })
    );
    // Compact, fields in a fixed order; `{:#}` indents.
    let text = json::action(&action).to_string();
    assert!(
        text.starts_with(
            r#"{"action":"send","method":"POST","path":"/v1/transfers","stripe_account":"#
        ),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(r#","act_by_ms":{}}}"#, T0 + 60_000)),
        "{text}"
    );
    assert!(format!("{:#}", json::action(&action)).contains("\n  \"method\": \"POST\""));
}

/// A saved 500 is in doubt: the machine waits for the settle bound, then lists the
/// transfers (a `GET` with its query), and a complete list without the debit starts
/// attempt 2 with its own key.
#[test]
fn a_wait_a_list_and_a_new_attempt() {
    let options = MachineOptions::default().with_settle_ms(10_000);
    let mut m = DebitMachine::start(demo::input().unwrap(), options).unwrap();
    let t = Millis::from_unix_ms(T0);
    m.poll(t).unwrap();
    let saved_500 = Reply::new(
        500,
        &[("Idempotent-Replayed", "true")],
        br#"{"error": {"type": "api_error"}}"#,
    );
    m.on_reply(t.plus(1_000), Some(&saved_500)).unwrap();
    let wait = m.poll(t.plus(1_000)).unwrap();
    assert_eq!(
        action_json(&wait),
        json!({"action": "wait", "until_ms": T0 + 11_000, "jitter_ms": 0})
    );
    let list = m.poll(t.plus(11_000)).unwrap();
    let created_gte = (T0 - 300_000) / 1_000;
    assert_eq!(
        action_json(&list),
        json!({
            "action": "list", "method": "GET", "path": "/v1/transfers",
            "stripe_account": demo::CONNECTED, "idempotency_key": null,
            "params": [["destination", demo::PLATFORM], ["created[gte]", created_gte.to_string()], ["limit", "100"]],
            "query": format!("destination={}&created%5Bgte%5D={created_gte}&limit=100", demo::PLATFORM),
            "act_by_ms": T0 + 71_000,
        })
    );
    let empty = br#"{"object": "list", "data": [], "has_more": false}"#;
    m.on_reply(t.plus(12_000), Some(&Reply::new(200, &[], empty)))
        .unwrap();
    let send = action_json(&m.poll(t.plus(12_000)).unwrap());
    assert_eq!(send["action"], "send");
    assert_eq!(
        send["idempotency_key"],
        format!(
            "account-debit#2:{}:{}:recovery-42",
            demo::PLATFORM,
            demo::CONNECTED
        )
    );
}

#[test]
fn done_confirmed_failed_and_escalate() {
    let t = Millis::from_unix_ms(T0);
    let body = transfer(500).to_string();
    let mut m = machine();
    m.poll(t).unwrap();
    m.on_reply(t.plus(900), Some(&Reply::new(200, &[], body.as_bytes())))
        .unwrap();
    assert_eq!(
        action_json(&m.poll(t.plus(900)).unwrap()),
        json!({"action": "done", "outcome": {"code": "confirmed", "transfer": "tr_1Debit",
            "payment": "py_1Debit", "by": "reply", "replayed": false, "reversed": []}})
    );

    let mut m = machine();
    m.poll(t).unwrap();
    let refused = br#"{"error": {"type": "invalid_request_error", "code": "balance_insufficient", "param": "amount", "message": "Insufficient funds."}}"#;
    m.on_reply(
        t.plus(900),
        Some(&Reply::new(400, &[("Request-Id", "req_1")], refused)),
    )
    .unwrap();
    assert_eq!(
        action_json(&m.poll(t.plus(900)).unwrap()),
        json!({"action": "done", "outcome": {"code": "failed", "attempt": 1, "status": 400,
            "request_id": "req_1", "error": {"type": "invalid_request_error",
            "code": "balance_insufficient", "param": "amount", "message": "Insufficient funds."},
            "new_attempt_may_succeed": true}})
    );

    let mut m = machine();
    m.poll(t).unwrap();
    let other = transfer(5_000).to_string();
    m.on_reply(
        t.plus(900),
        Some(&Reply::new(
            200,
            &[("Request-Id", "req_2")],
            other.as_bytes(),
        )),
    )
    .unwrap();
    assert_eq!(
        action_json(&m.poll(t.plus(900)).unwrap()),
        json!({"action": "escalate", "reason": "mismatch",
            "detail": "Stripe returned 5000 for amount where 500 was planned", "field": "amount",
            "request_id": "req_2", "transfers": ["tr_1Debit"]})
    );
}

/// A loop through `json::step` alone, the state carried in the documents: the send, no
/// reply, the wait, the same key again, the reply as headers pairs and a body string.
#[test]
fn a_debit_through_step_documents() {
    let state = after_first_send();
    let (kind, waiting) = step(&format!(
        r#""state": {state}, "now_ms": {}, "reply": null"#,
        T0 + 80_000
    ));
    assert_eq!(kind, StepKind::Wait);
    let until = waiting["action"]["until_ms"].as_i64().unwrap();
    let (kind, again) = step(&format!(
        r#""state": {}, "now_ms": {until}"#,
        waiting["state"]
    ));
    assert_eq!(kind, StepKind::Send);
    let body = Value::String(transfer(500).to_string());
    let (kind, done) = step(&format!(
        r#""state": {}, "now_ms": {}, "reply": {{"status": 200, "headers": [["Idempotent-Replayed", "true"], ["Request-Id", "req_1"]], "body": {body}}}"#,
        again["state"],
        until + 500
    ));
    assert_eq!(kind, StepKind::Confirmed);
    assert_eq!(done["action"]["outcome"]["replayed"], true);
    assert_eq!(done["state"]["phase"]["kind"], "done");
}

/// A body given as JSON and the same body as its text are one reply.
#[test]
fn a_body_as_json_or_as_text_is_the_same_reply() {
    let state = after_first_send();
    let as_json = step(&format!(
        r#""state": {state}, "now_ms": {}, "reply": {{"status": 200, "body": {}}}"#,
        T0 + 900,
        transfer(500)
    ));
    let text = Value::String(transfer(500).to_string());
    let as_text = step(&format!(
        r#""state": {state}, "now_ms": {}, "reply": {{"status": 200, "body": {text}}}"#,
        T0 + 900
    ));
    assert_eq!(as_json.0, StepKind::Confirmed);
    assert_eq!(as_json, as_text);
}

/// Options are for the start; a value the machine would change is refused, not changed.
#[test]
fn options_start_the_machine_and_only_as_given() {
    let (kind, out) = step(&format!(
        r#""state": null, "now_ms": {T0}, "options": {{"settle_ms": 5000, "max_attempts": 2}}"#
    ));
    assert_eq!(kind, StepKind::Send);
    assert_eq!(out["state"]["options"]["settle_ms"], 5000);
    assert_eq!(out["state"]["options"]["max_attempts"], 2);
    let refused = |fields: String, path: &str, error: &str| {
        let (kind, out) = step(&fields);
        assert_eq!(kind, StepKind::InvalidInput, "{fields}");
        assert_eq!(
            (out["path"].as_str(), out["error"].as_str()),
            (Some(path), Some(error)),
            "{fields}"
        );
    };
    refused(
        format!(r#""state": null, "now_ms": {T0}, "options": {{"max_attempts": 0}}"#),
        "options.max_attempts",
        "options.max_attempts: 0 is out of range (the machine would take 1)",
    );
    refused(
        format!(r#""state": null, "now_ms": {T0}, "options": {{"settle_ms": -1}}"#),
        "options.settle_ms",
        "options.settle_ms: -1 is out of range",
    );
    refused(
        format!(r#""state": null, "now_ms": {T0}, "options": {{"settle_s": 5}}"#),
        "options.settle_s",
        "options.settle_s: unknown key \"settle_s\" (known: fast_sends, key_window_margin_ms, settle_ms, act_within_ms, request_timeout_ms, clock_skew_ms, max_attempts)",
    );
    refused(
        format!(
            r#""state": {}, "now_ms": {T0}, "options": {{}}"#,
            after_first_send()
        ),
        "options",
        "options: given only to start (with \"state\": null): the state carries the options",
    );
}

/// Each refusal names its path, and the document is never half-used.
#[test]
fn what_step_refuses() {
    let state = after_first_send();
    let went_back = format!(
        "now_ms: now ({}) is before the last time reported ({T0})",
        T0 - 1
    );
    let cases: Vec<(String, &str, &str)> = vec![
        (
            r#""now_ms": 1"#.to_owned(),
            "state",
            "state: missing (null to start the machine)",
        ),
        (
            r#""state": [], "now_ms": 1"#.to_owned(),
            "state",
            "state: expected the machine's state (an object) or null, found an array",
        ),
        (r#""state": null"#.to_owned(), "now_ms", "now_ms: missing"),
        (
            r#""state": null, "now_ms": 1.5"#.to_owned(),
            "now_ms",
            "now_ms: expected a 64-bit integer, found a number that is not a 64-bit integer",
        ),
        (
            format!(r#""state": null, "now_ms": {T0}, "reply": null"#),
            "reply",
            "reply: no request is out: a reply was reported without a request",
        ),
        (
            format!(r#""state": {state}, "now_ms": {}"#, T0 - 1),
            "now_ms",
            &went_back,
        ),
        (
            format!(r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 42}}"#),
            "reply.status",
            "reply.status: 42 is not an HTTP status (100 to 599)",
        ),
        (
            format!(r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "stat": 1}}"#),
            "reply.stat",
            "reply.stat: unknown key \"stat\" (known: status, headers, body)",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "headers": {{"A": "1", "a": "2"}}}}"#
            ),
            "reply.headers.a",
            "reply.headers.a: the header \"a\" is given twice",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "headers": {{"Retry-After": 5}}}}"#
            ),
            "reply.headers.Retry-After",
            "reply.headers.Retry-After: expected a string, found an integer",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "headers": [["A"]]}}"#
            ),
            "reply.headers[0]",
            "reply.headers[0]: expected a [name, value] pair of strings",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "headers": [["A", "1", "2"]]}}"#
            ),
            "reply.headers[0]",
            "reply.headers[0]: expected a [name, value] pair of strings",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "headers": ["A: 1"]}}"#
            ),
            "reply.headers[0]",
            "reply.headers[0]: expected a [name, value] pair of strings, found a string",
        ),
        (
            format!(
                r#""state": {state}, "now_ms": {T0}, "reply": {{"status": 200, "body": {{"id": "tr_1", "id": "tr_2"}}}}"#
            ),
            "reply.body.id",
            "reply.body.id: the key \"id\" is given twice",
        ),
        (
            format!(r#""state": {state}, "now_ms": {T0}, "new_attempt": true"#),
            "new_attempt",
            "new_attempt: a new attempt is allowed only after a failure that names no idempotency error",
        ),
        (
            format!(
                r#""state": {}, "now_ms": {T0}"#,
                state.replace("\"sends\":1", "\"sends\":1,\"sends\":2")
            ),
            "state.attempts[0].sends",
            "state.attempts[0].sends: the key \"sends\" is given twice",
        ),
        (
            format!(
                r#""state": {}, "now_ms": {T0}"#,
                state.replace("recovery-42", "recovery-43")
            ),
            "state",
            "state: the state is of another debit (its key, amount or currency differ)",
        ),
    ];
    // What serde says of a state it cannot read may quote the state: escaped, cut short.
    let long_key = format!(r#""state": {{"{}\n": 1}}, "now_ms": {T0}"#, "k".repeat(40));
    let (kind, out) = step(&long_key);
    assert_eq!(kind, StepKind::InvalidInput);
    assert_eq!(out["error"], "state: unknown field `kkkkkkkkkkkkkkkkk...");
    for (fields, path, error) in cases {
        let (kind, out) = step(&fields);
        assert_eq!(kind, StepKind::InvalidInput, "{fields}");
        assert_eq!(out["outcome"], "invalid_input", "{fields}");
        assert_eq!(
            (out["path"].as_str(), out["error"].as_str()),
            (Some(path), Some(error)),
            "{fields}"
        );
    }
    // A scenario's errors name their path inside the document, whether found while
    // reading (a fold's) or after.
    for (from, to, path) in [
        (
            r#""currency": "usd""#,
            r#""currency": "xyz""#,
            "scenario.connected_account.external_accounts.data[0].currency",
        ),
        (r#""at": 1764000000"#, r#""at": "now""#, "scenario.at"),
    ] {
        let doc = format!(
            r#"{{"scenario": {}, "state": null, "now_ms": 1}}"#,
            SCENARIO.replacen(from, to, 1)
        );
        let out: Value = serde_json::from_str(&json::step(&doc).to_string()).unwrap();
        assert_eq!(out["path"], path);
    }
    let out = json::step(r#"{"scenario": null, "state": null, "now_ms": 1}"#);
    assert!(
        out.to_string().contains(r#""error":"scenario: missing""#),
        "{out}"
    );
}

/// A failed debit, its cause put right: `new_attempt` starts attempt 2 with its own key.
#[test]
fn a_new_attempt_after_a_failure() {
    let state = after_first_send();
    let refused = r#"{"error": {"type": "invalid_request_error", "code": "balance_insufficient"}}"#;
    let (kind, failed) = step(&format!(
        r#""state": {state}, "now_ms": {}, "reply": {{"status": 400, "body": {refused}}}"#,
        T0 + 900
    ));
    assert_eq!(kind, StepKind::Failed);
    let (kind, again) = step(&format!(
        r#""state": {}, "now_ms": {}, "new_attempt": true"#,
        failed["state"],
        T0 + 60_000
    ));
    assert_eq!(kind, StepKind::Send);
    assert_eq!(
        again["action"]["idempotency_key"],
        format!(
            "account-debit#2:{}:{}:recovery-42",
            demo::PLATFORM,
            demo::CONNECTED
        )
    );
}

#[test]
fn a_debit_that_does_not_plan_is_rejected_at_the_start() {
    let rejected = include_str!("../../examples/scenarios/rejected.json");
    let out = json::step(&format!(
        r#"{{"scenario": {rejected}, "state": null, "now_ms": {T0}}}"#
    ));
    assert_eq!(out.kind(), StepKind::Rejected);
    assert!(out.action().is_none() && out.state().is_none());
    let value: Value = serde_json::from_str(&out.to_string()).unwrap();
    assert_eq!(value["outcome"], "rejected");
    assert_eq!(
        value,
        serde_json::to_value(json::outcome(&plan_debit(
            &json::read_scenario(rejected).unwrap()
        )))
        .unwrap()
    );
}
