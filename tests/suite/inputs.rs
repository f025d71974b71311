//! One reader for every input, with the same rules everywhere: a key given twice, a value
//! of the wrong type and, in the crate's own shapes, a key it does not know are errors
//! naming their path; Stripe's own objects keep accepting fields the crate does not read;
//! a header the decision reads, given twice with different values, is refused.

use serde_json::{Value, json};
use stripe_account_debits::json;

fn example(name: &str) -> Value {
    let path = format!(
        "{}/examples/lifecycle/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A command's result's kind, as the command line prints it: `invalid_input` for an error.
trait Printed {
    fn kind(&self) -> &'static str;
}

macro_rules! printed {
    ($($ty:ty),*) => {$(
        impl Printed for Result<$ty, json::ReadError> {
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

/// `(kind, path, error)` of a command's result that must be invalid input, as its
/// invalid-input output writes them.
#[track_caller]
fn invalid<T: serde::Serialize>(output: &Result<T, json::ReadError>) -> (String, String, String) {
    let out = match output {
        Ok(output) => serde_json::to_value(output).unwrap(),
        Err(error) => serde_json::to_value(json::invalid_input(error)).unwrap(),
    };
    assert_eq!(out["outcome"], "invalid_input", "{out}");
    let field = |key: &str| out[key].as_str().unwrap_or_default().to_owned();
    (field("kind"), field("path"), field("error"))
}

#[test]
fn options_with_an_unknown_key_or_of_the_wrong_type_are_refused_not_the_defaults() {
    let mut input = example("reply-retry");
    for (options, kind, path, error) in [
        (
            json!({"maxsends": 1}),
            "unknown_key",
            "options.maxsends",
            "options.maxsends: unknown key \"maxsends\" (known: max_sends, key_window_margin_seconds)",
        ),
        (
            json!("max_sends=1"),
            "wrong_type",
            "options",
            "options: expected a JSON object, found a string",
        ),
        (
            json!([1]),
            "wrong_type",
            "options",
            "options: expected a JSON object, found an array",
        ),
    ] {
        input["options"] = options;
        let out = json::reply(&input.to_string());
        assert_eq!(
            invalid(&out),
            (kind.to_owned(), path.to_owned(), error.to_owned())
        );
    }
    // `null` is the defaults.
    input["options"] = Value::Null;
    assert_eq!(json::reply(&input.to_string()).kind(), "retry");
}

#[test]
fn the_commands_own_shapes_refuse_a_key_they_do_not_know() {
    let cases = [
        ("reply-retry", "/extra", "extra"),
        ("reply-retry", "/attempt/send", "attempt.send"),
        ("reply-confirmed", "/reply/stauts", "reply.stauts"),
        ("find-found", "/transfer", "transfer"),
        ("reverse-planned", "/reversal", "reversal"),
        (
            "reverse-planned",
            "/scenario/debit/amout",
            "scenario.debit.amout",
        ),
        ("reverse-planned", "/scenario/comment", "scenario.comment"),
        (
            "find-found",
            "/scenario/consent/granted",
            "scenario.consent.granted",
        ),
    ];
    for (name, pointer, path) in cases {
        let mut input = example(name);
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        input
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{name}{pointer}"))
            .insert(key.to_owned(), json!(1));
        let text = input.to_string();
        let (kind, at, error) = match name.split('-').next() {
            Some("reply") => invalid(&json::reply(&text)),
            Some("find") => invalid(&json::find(&text)),
            _ => invalid(&json::reverse(&text)),
        };
        assert_eq!(
            (kind.as_str(), at.as_str()),
            ("unknown_key", path),
            "{error}"
        );
        assert!(
            error.starts_with(&format!("{path}: unknown key \"{key}\" (known: ")),
            "{error}"
        );
    }
}

#[test]
fn stripes_own_objects_keep_fields_the_crate_does_not_read() {
    // Fields Stripe may add, in each of Stripe's objects a command reads.
    let mut find = example("find-found");
    find["transfers"]["data"][0]["new_field"] = json!({"any": ["thing"]});
    find["transfers"]["new_field"] = json!(1);
    find["platform_balance"]["new_field"] = json!(1);
    find["scenario"]["connected_account"]["new_field"] = json!(1);
    assert_eq!(json::find(&find.to_string()).kind(), "found");
    let mut reply = example("reply-confirmed");
    reply["reply"]["body"]["new_field"] = json!(1);
    reply["reply"]["body"]["destination_payment"] =
        json!({"id": "py_1DemoDebit0000000001", "object": "charge", "new_field": 1});
    assert_eq!(json::reply(&reply.to_string()).kind(), "confirmed");
    let mut reverse = example("reverse-planned");
    reverse["transfer"]["new_field"] = json!(1);
    assert_eq!(json::reverse(&reverse.to_string()).kind(), "planned");
}

#[test]
fn a_reply_that_is_not_an_object_is_named_as_what_it_is() {
    let mut input = example("reply-confirmed");
    for (reply, error) in [
        (
            json!("oops"),
            "reply: expected a JSON object, found a string",
        ),
        (
            json!(200),
            "reply: expected a JSON object, found an integer",
        ),
        (json!([]), "reply: expected a JSON object, found an array"),
    ] {
        input["reply"] = reply;
        let (kind, path, message) = invalid(&json::reply(&input.to_string()));
        assert_eq!(
            (kind.as_str(), path.as_str(), message.as_str()),
            ("wrong_type", "reply", error)
        );
    }
}

#[test]
fn find_refuses_a_list_whose_end_cannot_be_known() {
    for (has_more, error) in [
        (
            json!("true"),
            "transfers.has_more: expected a boolean, found a string",
        ),
        (
            json!("false"),
            "transfers.has_more: expected a boolean, found a string",
        ),
        (
            json!(1),
            "transfers.has_more: expected a boolean, found an integer",
        ),
        (
            json!(0),
            "transfers.has_more: expected a boolean, found an integer",
        ),
        (Value::Null, "transfers.has_more: missing"),
    ] {
        // `find-not-found`: read as complete, it would say "not found" and invite a new
        // attempt, which could debit twice.
        let mut input = example("find-not-found");
        input["transfers"]["has_more"] = has_more.clone();
        let (_, path, message) = invalid(&json::find(&input.to_string()));
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("transfers.has_more", error)
        );
        input["transfers"]
            .as_object_mut()
            .unwrap()
            .remove("has_more");
        let (_, path, message) = invalid(&json::find(&input.to_string()));
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("transfers.has_more", "transfers.has_more: missing")
        );
    }
}

#[test]
fn a_header_the_decision_reads_given_twice_with_different_values_is_refused() {
    let mut input = example("reply-in-doubt");
    // The headers, in this order (a `Value` would sort them).
    input["reply"]["headers"] = json!("HEADERS");
    let with = |headers: &str| input.to_string().replace("\"HEADERS\"", headers);
    for (name, other) in [
        ("Stripe-Should-Retry", "stripe-should-retry"),
        ("Idempotent-Replayed", "IDEMPOTENT-REPLAYED"),
        ("Request-Id", "request-id"),
        ("Retry-After", "retry-after"),
    ] {
        let text = with(&format!(
            r#"{{"{name}": "true", "X-Other": "a", "{other}": "false"}}"#
        ));
        let (kind, path, error) = invalid(&json::reply(&text));
        assert_eq!(
            (kind.as_str(), path.clone()),
            ("invalid", format!("reply.headers.{other}"))
        );
        assert_eq!(
            error,
            format!("{path}: the header {name} is given twice with different values")
        );
        // The same value twice is the one value.
        let text = with(&format!(r#"{{"{name}": "true", "{other}": "true"}}"#));
        assert_ne!(json::reply(&text).kind(), "invalid_input");
    }
    // A header the decision does not read may repeat with any values.
    // (Without `Idempotent-Replayed: true`, the 500 is retried.)
    let text = with(r#"{"Set-Cookie": "a", "set-cookie": "b"}"#);
    assert_eq!(json::reply(&text).kind(), "retry");
    // The same name twice in one object is a key given twice.
    let text = example("reply-in-doubt").to_string().replacen(
        "\"Request-Id\":",
        "\"Request-Id\":\"req_1\",\"Request-Id\":",
        1,
    );
    let (kind, path, _) = invalid(&json::reply(&text));
    assert_eq!(
        (kind.as_str(), path.as_str()),
        ("syntax", "reply.headers.Request-Id")
    );
}

#[test]
fn a_key_given_twice_anywhere_in_a_commands_input_is_refused() {
    // In a reply's body (a Stripe object), in a list's transfer, in a balance.
    let body = example("reply-confirmed").to_string().replacen(
        "\"amount\":500,",
        "\"amount\":500,\"amount\":5,",
        1,
    );
    assert!(body.contains("\"amount\":5,"));
    let (kind, path, _) = invalid(&json::reply(&body));
    assert_eq!(
        (kind.as_str(), path.as_str()),
        ("syntax", "reply.body.amount")
    );
    let list = example("find-found").to_string().replacen(
        "\"reversed\":false",
        "\"reversed\":false,\"reversed\":true",
        1,
    );
    let (_, path, _) = invalid(&json::find(&list));
    assert_eq!(path, "transfers.data[0].reversed");
}

/// `read_reply` (the Rust API, headers as the caller's HTTP client gives them): a reply
/// with a header the decision reads given twice with different values is unreadable. It is
/// never a success, nor a retry or a failure that would guess which value Stripe sent: the
/// debit is in doubt, to be looked for.
#[test]
fn read_reply_treats_an_ambiguous_header_as_unreadable() {
    use stripe_account_debits::lifecycle::{Attempt, Next, Reply, ReplyOptions, read_reply};
    use stripe_account_debits::{AttemptNumber, Timestamp, demo, plan_debit};

    let plan = plan_debit(&demo::input().unwrap()).unwrap();
    let attempt = Attempt::first(AttemptNumber::FIRST, Timestamp::from_unix(1_764_000_000));
    let options = ReplyOptions::default();
    let transfer = example("reply-confirmed")["reply"]["body"].to_string();
    let error = r#"{"error": {"type": "invalid_request_error"}}"#;
    for (status, body, name, other) in [
        (
            200,
            transfer.as_str(),
            "Idempotent-Replayed",
            "idempotent-replayed",
        ),
        (200, transfer.as_str(), "Request-Id", "REQUEST-ID"),
        (503, "", "Stripe-Should-Retry", "stripe-should-retry"),
        (503, "", "Retry-After", "retry-after"),
        (400, error, "Stripe-Should-Retry", "stripe-should-retry"),
        (409, "", "Request-Id", "request-id"),
    ] {
        let agreeing = [(name, "true"), (other, "true")];
        let reply = Reply::new(status, &agreeing, body.as_bytes());
        let next = read_reply(&plan, &attempt, Some(&reply), &options);
        assert_ne!(next.code(), "in_doubt", "{status} {name}: {next:?}");
        let ambiguous = [(name, "true"), ("X-Other", "1"), (other, "false")];
        let reply = Reply::new(status, &ambiguous, body.as_bytes());
        let next = read_reply(&plan, &attempt, Some(&reply), &options);
        match &next {
            Next::InDoubt {
                reason,
                status: said,
                request_id,
                ..
            } => {
                assert_eq!(reason.code(), "ambiguous_header", "{status} {name}");
                assert_eq!(*said, Some(status));
                // Which request id Stripe gave cannot be known either.
                assert_eq!(request_id.as_deref(), None, "{status} {name}");
            }
            other => panic!("{status} {name}: {other:?}"),
        }
        assert_eq!(reply.header(name), None, "an ambiguous header has no value");
        assert_eq!(reply.header("x-other"), Some("1"));
    }
}
