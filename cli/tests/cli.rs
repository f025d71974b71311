//! The `account-debits` binary, run as a user runs it: exit statuses, what it prints, and
//! what it refuses.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/scenarios");

/// Runs the binary with `args`, feeding `stdin` (or nothing: a closed standard input).
#[track_caller]
/// The command started with `args`, its standard streams piped.
fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_account-debits"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = spawn(args);
    // The child may exit before reading (clap refusing the command line): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[track_caller]
fn scenario(name: &str) -> String {
    std::fs::read_to_string(format!("{SCENARIOS}/{name}")).unwrap()
}

#[track_caller]
fn outcome(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn plan_demo_plans_the_built_in_scenario() {
    let output = run(&["plan", "--demo"], "");
    assert_eq!(output.status.code(), Some(0));
    let json = outcome(&output);
    assert_eq!(json["outcome"], "planned");
    assert_eq!(json["transfer"]["amount"], 500);
}

#[test]
fn the_three_exit_statuses() {
    let demo = format!("{SCENARIOS}/demo.json");
    let rejected = format!("{SCENARIOS}/rejected.json");
    let output = run(&["plan", &demo], "");
    assert_eq!(
        (output.status.code(), outcome(&output)["outcome"].as_str()),
        (Some(0), Some("planned"))
    );
    let output = run(&["plan", &rejected], "");
    assert_eq!(
        (output.status.code(), outcome(&output)["outcome"].as_str()),
        (Some(1), Some("rejected"))
    );
    let output = run(&["plan", "-"], &scenario("invalid.json"));
    assert_eq!(
        (output.status.code(), outcome(&output)["outcome"].as_str()),
        (Some(2), Some("invalid_input"))
    );
}

/// The example this binary replaces planned its built-in demo when given a scenario on
/// standard input without `-`: a user piping a rejected scenario got a plan.
#[test]
fn a_piped_scenario_without_dash_is_refused_not_replaced_by_the_demo() {
    let output = run(&["plan"], &scenario("rejected.json"));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(outcome(&output)["kind"], "document");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("Usage: account-debits plan"), "{stderr}");
}

/// The example read `--help` as a file name.
#[test]
fn help_is_help() {
    for args in [&["--help"][..], &["plan", "--help"], &["help", "plan"]] {
        let output = run(args, "");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            stdout.contains("Usage: account-debits"),
            "{args:?}: {stdout}"
        );
    }
    let stdout = String::from_utf8(run(&["plan", "--help"], "").stdout).unwrap();
    assert!(stdout.contains("--demo"), "{stdout}");
}

/// The example ignored extra arguments.
#[test]
fn extra_or_unknown_arguments_are_refused() {
    let demo = format!("{SCENARIOS}/demo.json");
    for args in [
        &["plan", &demo, "extra"][..],
        &["plan", "--demo", &demo],
        &["plan", "--frobnicate"],
        &["frobnicate"],
        &[],
    ] {
        let output = run(args, "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(outcome(&output)["outcome"], "invalid_input", "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn a_file_that_cannot_be_read_is_invalid_input_naming_it() {
    let output = run(&["plan", "/nonexistent/scenario.json"], "");
    assert_eq!(output.status.code(), Some(2));
    let json = outcome(&output);
    assert_eq!(json["outcome"], "invalid_input");
    let error = json["error"].as_str().unwrap();
    assert!(
        error.starts_with("cannot read /nonexistent/scenario.json: "),
        "{error}"
    );
}

#[test]
fn version_is_the_packages() {
    let output = run(&["--version"], "");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.trim(),
        concat!("account-debits ", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_scenario_over_the_limit_is_invalid_input_unless_the_limit_is_raised() {
    let mut scenario: serde_json::Value = serde_json::from_str(&scenario("demo.json")).unwrap();
    scenario["connected_account"]["description"] = serde_json::json!("x".repeat(2 << 20));
    let text = scenario.to_string();
    let output = run(&["plan", "-"], &text);
    assert_eq!(output.status.code(), Some(2));
    let json = outcome(&output);
    assert_eq!(json["kind"], "too_large");
    let limit = (text.len()).to_string();
    let output = run(&["plan", "--max-bytes", &limit, "-"], &text);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

const BOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/book/batch.json");

#[test]
fn batch_plans_in_order_and_exits_1_when_any_debit_is_rejected() {
    let output = run(&["batch", BOOK], "");
    assert_eq!(output.status.code(), Some(1));
    let json = outcome(&output);
    let outcomes: Vec<(&str, &str)> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["debit"].as_str().unwrap(), o["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("recovery-1", "planned"),
            ("recovery-2", "rejected"),
            ("recovery-3", "planned")
        ]
    );
    assert_eq!(json["outcomes"][2]["reserve_hold"]["amount"], 600);
    assert_eq!(json["accounts"][0]["available_after"][0]["amount"], -600);
    assert_eq!(
        json["reserve"][0],
        serde_json::json!({ "currency": "usd", "before": 2500, "after": 3100, "held": 600,
                            "released": 0, "platform_available": 101000, "bank_debit": 0 })
    );
    assert_eq!(json["rejected"], 1);

    // Without the rejected debit, every one is planned: exit 0.
    let mut book: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(BOOK).unwrap()).unwrap();
    book["debits"].as_array_mut().unwrap().remove(1);
    let output = run(&["batch", "-"], &book.to_string());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn book_prints_the_reserve_and_its_ageing() {
    let output = run(&["book", BOOK], "");
    assert_eq!(output.status.code(), Some(0));
    let json = outcome(&output);
    assert_eq!(
        json["reserve"],
        serde_json::json!([{ "amount": 2500, "currency": "usd" }])
    );
    assert_eq!(json["accounts"][1]["coverage"], "unknown");
    assert_eq!(json["accounts"][1]["counted"], false);
    assert_eq!(json["ageing"]["accounts"][0]["zeroed_at"], 1_764_864_000);
}

#[test]
fn tables_are_for_people() {
    let output = run(&["batch", BOOK, "--format", "table"], "");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("recovery-2  acct_1BookStripeManaged01  rejected: amount_not_positive"),
        "{text}"
    );
    assert!(
        text.contains("acct_1BookStripeManaged01  10.00 usd         -6.00 usd"),
        "{text}"
    );
    assert!(text.ends_with("1 of 3 debits rejected\n"), "{text}");
    let output = run(&["book", BOOK, "--format", "table"], "");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("acct_1BookPlatformLiable1  2025-06-07      2025-12-04"),
        "{text}"
    );
    assert!(text.contains("usd       25.00 usd"), "{text}");
}

#[test]
fn a_debit_of_an_account_not_in_the_book_is_invalid_input() {
    let mut book: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(BOOK).unwrap()).unwrap();
    book["debits"][2]["account"] = "acct_1Nobody".into();
    for command in ["batch", "book"] {
        let output = run(&[command, "-"], &book.to_string());
        assert_eq!(output.status.code(), Some(2));
        let json = outcome(&output);
        assert_eq!(json["path"], "debits[2].account");
        assert_eq!(
            json["error"],
            "debits[2].account: account acct_1Nobody is not in accounts"
        );
    }
    let output = run(&["book", "--format", "xml", BOOK], "");
    assert_eq!(output.status.code(), Some(2));
}

/// The example book, as JSON to change.
fn book_json() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(BOOK).unwrap()).unwrap()
}

/// Issue 17, defect 1: one debit id given to three debits of one account is planned once;
/// the others are rejected (`debit_id_reused`) and move nothing.
#[test]
fn batch_refuses_a_debit_id_planned_before() {
    let mut book = book_json();
    for n in 0..3 {
        book["debits"][n]["debit"]["id"] = "recovery-1".into();
        book["debits"][n]["debit"]["amount"] = 800.into();
    }
    let output = run(&["batch", "-"], &book.to_string());
    assert_eq!(output.status.code(), Some(1));
    let json = outcome(&output);
    let outcomes: Vec<&str> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["planned", "rejected", "rejected"], "{json:#}");
    for n in 1..3 {
        let violation = &json["outcomes"][n]["violations"][0];
        assert_eq!(violation["code"], "debit_id_reused", "{json:#}");
        assert_eq!(violation["earlier"], 0, "{json:#}");
        assert_eq!(violation["debit_id"], "recovery-1", "{json:#}");
    }
    // 1000 - 800: only the first moved money.
    assert_eq!(json["accounts"][0]["available_after"][0]["amount"], 200);
    assert_eq!(json["reserve"][0]["held"], 0);
}

/// Issue 17, defect 2: entries the book cannot read are named, and the book is incomplete
/// (exit 6), never a silently smaller reserve.
#[test]
fn a_book_with_entries_it_cannot_read_is_incomplete() {
    let mut book = book_json();
    let entries = book["accounts"][1]["balance"]["available"]
        .as_array_mut()
        .unwrap();
    entries.push(serde_json::json!({ "amount": "-150000", "currency": "eur" }));
    entries.push(serde_json::json!({ "amount": -2000, "currency": "xyz" }));
    let output = run(&["book", "-"], &book.to_string());
    let json = outcome(&output);
    assert_eq!(output.status.code(), Some(6), "{json:#}");
    assert_eq!(json["complete"], false);
    let paths: Vec<&str> = json["uncounted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "accounts[1].balance.available[1].amount",
            "accounts[1].balance.available[2].currency"
        ]
    );
    let output = run(&["batch", "-"], &book.to_string());
    let json = outcome(&output);
    assert_eq!(output.status.code(), Some(6), "{json:#}");
    assert_eq!(json["complete"], false);
    let output = run(&["book", "--format", "table", "-"], &book.to_string());
    assert_eq!(output.status.code(), Some(6));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("incomplete"), "{text}");
    assert!(
        text.contains("accounts[1].balance.available[2].currency"),
        "{text}"
    );
}

/// Issue 17, defect 3: a platform balance at the edge of Stripe's integer amount. The debit
/// that would overflow it is rejected; never a panic (exit 101), never money lost.
#[test]
fn batch_rejects_a_debit_that_would_overflow_the_platforms_balance() {
    let mut book = book_json();
    book["platform_balance"]["available"][0]["amount"] = 9_223_372_036_854_775_707_i64.into();
    let output = run(&["batch", "-"], &book.to_string());
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let json = outcome(&output);
    let codes: Vec<&str> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["violations"][0]["code"].as_str().unwrap_or("planned"))
        .collect();
    // Each 800 would bring the platform 800, over the 100 left below Stripe's integer
    // amount; 0 is not positive.
    assert_eq!(
        codes,
        [
            "platform_balance_out_of_range",
            "amount_not_positive",
            "platform_balance_out_of_range"
        ],
        "{json:#}"
    );
    assert_eq!(json["accounts"][0]["available_after"][0]["amount"], 1000);
    assert_eq!(
        json["reserve"][0]["platform_available"],
        9_223_372_036_854_775_707_i64
    );
}

/// Issue 17, item 11: each planned request has its start offset, at the rate the command
/// line (or else the book, or else 20 a second) gives.
#[test]
fn batch_schedules_its_requests() {
    let offsets = |json: &serde_json::Value| -> Vec<serde_json::Value> {
        json["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["send_at_offset_ms"].clone())
            .collect()
    };
    let json = outcome(&run(&["batch", BOOK], ""));
    assert_eq!(
        offsets(&json),
        [0.into(), serde_json::Value::Null, 50.into()]
    );
    assert_eq!(json["schedule"]["requests_per_second"], 20);
    let output = run(&["batch", "--requests-per-second", "2", BOOK], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        offsets(&outcome(&output)),
        [0.into(), serde_json::Value::Null, 500.into()]
    );
    // The command line's rate wins over the book's.
    let mut book = book_json();
    book["requests_per_second"] = 10.into();
    let json = outcome(&run(&["batch", "-"], &book.to_string()));
    assert_eq!(json["outcomes"][2]["send_at_offset_ms"], 100);
    let json = outcome(&run(
        &["batch", "--requests-per-second", "1", "-"],
        &book.to_string(),
    ));
    assert_eq!(json["outcomes"][2]["send_at_offset_ms"], 1_000);
    let output = run(&["batch", "--requests-per-second", "0", BOOK], "");
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(run(&["batch", BOOK, "--format", "table"], "").stdout).unwrap();
    assert!(
        text.contains("2 requests, 20 a second, the last at +50 ms"),
        "{text}"
    );
}

const LIFECYCLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/lifecycle");

/// Each lifecycle example: its command, exit status and what it prints.
#[test]
fn the_lifecycle_commands_exit_statuses() {
    let cases = [
        ("reply-confirmed", 0, "next", "confirmed"),
        ("reply-mismatch", 1, "next", "mismatch"),
        ("reply-failed", 1, "next", "failed"),
        ("reply-invalid", 2, "outcome", "invalid_input"),
        ("reply-retry", 3, "next", "retry"),
        ("reply-in-doubt", 4, "next", "in_doubt"),
        ("find-found", 0, "outcome", "found"),
        ("find-duplicated", 1, "outcome", "duplicated"),
        ("find-not-found", 5, "outcome", "not_found"),
        ("reverse-planned", 0, "outcome", "planned"),
        ("reverse-rejected", 1, "outcome", "rejected"),
    ];
    for (name, status, field, kind) in cases {
        let command = name.split('-').next().unwrap();
        let output = run(&[command, &format!("{LIFECYCLE}/{name}.json")], "");
        assert_eq!(output.status.code(), Some(status), "{name}");
        assert_eq!(outcome(&output)[field], kind, "{name}");
    }
}

/// Issue 16: a reversal's violation is written as a debit's is: its fields beside its code
/// and message, money in minor units with its lowercase currency.
#[test]
fn reverse_writes_a_violations_money_in_minor_units() {
    let output = run(
        &["reverse", &format!("{LIFECYCLE}/reverse-rejected.json")],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        outcome(&output)["violations"],
        serde_json::json!([{
            "code": "platform_balance_insufficient",
            "message": "the platform's available balance 1.50 usd cannot cover the reversal of \
                        2.00 usd: Stripe refuses it; add funds to the platform first (the \
                        alternative, a new transfer from the platform to the connected account, \
                        draws on the same balance)",
            "available": 150,
            "amount": 200,
            "currency": "usd",
        }])
    );
}

#[test]
fn reply_reads_standard_input_and_says_what_to_resend() {
    let text = std::fs::read_to_string(format!("{LIFECYCLE}/reply-retry.json")).unwrap();
    let output = run(&["reply", "-"], &text);
    assert_eq!(output.status.code(), Some(3));
    let json = outcome(&output);
    assert_eq!(
        json["idempotency_key"],
        "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42"
    );
    assert_eq!(
        json["delay_ms"],
        serde_json::json!({"min": 500, "max": 500})
    );
    assert_eq!(json["reason"], "no_reply");
}

#[test]
fn the_lifecycle_commands_refuse_what_they_cannot_read() {
    for command in ["reply", "find", "reverse", "step"] {
        let output = run(&[command, "-"], "[]");
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(
            outcome(&output)["error"],
            "expected a JSON object, found an array"
        );
        let output = run(&[command, "-"], r#"{"scenario": {}}"#);
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(outcome(&output)["path"], "scenario.at");
        let output = run(&[command], "");
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert_eq!(outcome(&output)["kind"], "document", "{command}");
        let output = run(&[command, "/nonexistent/input.json"], "");
        assert_eq!(output.status.code(), Some(2), "{command}");
        let output = run(&[command, "--max-bytes", "1", "-"], "{}");
        assert_eq!(outcome(&output)["kind"], "too_large", "{command}");
    }
}

/// Each `step` example: its exit status and its action (or outcome).
#[test]
fn the_step_command_exit_statuses() {
    let cases = [
        ("step-start", 7, "send"),
        ("step-timeout", 7, "wait"),
        ("step-confirmed", 0, "done"),
        ("step-failed", 1, "done"),
        ("step-escalate", 6, "escalate"),
    ];
    for (name, status, action) in cases {
        let output = run(&["step", &format!("{LIFECYCLE}/{name}.json")], "");
        assert_eq!(output.status.code(), Some(status), "{name}");
        let json = outcome(&output);
        assert_eq!(json["action"]["action"], action, "{name}");
        assert_eq!(json["state"]["version"], 1, "{name}");
    }
    let output = run(&["step", &format!("{LIFECYCLE}/step-invalid.json")], "");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(outcome(&output)["path"], "now");
    // A debit that does not plan: nothing to send, the rejection as `plan` prints it.
    let rejected = format!(
        r#"{{"scenario": {}, "state": null, "now_ms": 1764000000000}}"#,
        scenario("rejected.json")
    );
    let output = run(&["step", "-"], &rejected);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(outcome(&output)["outcome"], "rejected");
}

/// The loop a shell runs: each step's state passed to the next. The first send gets no
/// reply; after the wait the same key is sent again, and its 200 confirms the debit.
#[test]
fn the_step_command_drives_a_debit_from_a_shell() {
    let scenario = scenario("demo.json");
    let step = |state: &serde_json::Value, now: i64, reply: Option<&str>| {
        let reply = reply.map_or(String::new(), |r| format!(r#", "reply": {r}"#));
        let doc =
            format!(r#"{{"scenario": {scenario}, "state": {state}, "now_ms": {now}{reply}}}"#);
        let output = run(&["step", "-"], &doc);
        (output.status.code(), outcome(&output))
    };
    let t0 = 1_764_000_000_000_i64;
    let (status, first) = step(&serde_json::Value::Null, t0, None);
    assert_eq!(status, Some(7));
    let send = &first["action"];
    assert_eq!(
        (send["action"].as_str(), send["method"].as_str()),
        (Some("send"), Some("POST"))
    );
    assert_eq!(send["act_by_ms"], t0 + 60_000);
    // No reply: wait, then the same key.
    let (status, waiting) = step(&first["state"], t0 + 80_000, Some("null"));
    assert_eq!(status, Some(7));
    let until = waiting["action"]["until_ms"].as_i64().unwrap();
    assert_eq!(waiting["action"]["action"], "wait");
    let (_, again) = step(&waiting["state"], until, None);
    assert_eq!(again["action"]["action"], "send");
    assert_eq!(again["action"]["idempotency_key"], send["idempotency_key"]);
    assert_eq!(again["action"]["body"], send["body"]);
    // The 200, replayed.
    let body = r#"{"id": "tr_1DemoDebit0000000001", "object": "transfer", "amount": 500,
        "currency": "usd", "destination": "acct_1PlatformDemo0001",
        "destination_payment": "py_1DemoDebit0000000001",
        "metadata": {"account_debit_id": "recovery-42"}}"#;
    let reply = format!(
        r#"{{"status": 200, "headers": [["Idempotent-Replayed", "true"]], "body": {body}}}"#
    );
    let (status, done) = step(&again["state"], until + 1_000, Some(&reply));
    assert_eq!(status, Some(0));
    assert_eq!(
        done["action"],
        serde_json::json!({"action": "done", "outcome": {"code": "confirmed",
            "transfer": "tr_1DemoDebit0000000001", "payment": "py_1DemoDebit0000000001",
            "by": "reply", "replayed": true, "reversed": []}})
    );
    // Done is done: asked again, the same.
    let (status, after) = step(&done["state"], until + 2_000, None);
    assert_eq!((status, &after["action"]), (Some(0), &done["action"]));
}

/// Runs the command on an input that never ends (what `/dev/zero` or a stuck producer
/// gives): the output, or `None` when it had not ended after 30 seconds (then killed).
fn run_on_endless_input(args: &[&str]) -> Option<Output> {
    let mut child = spawn(args);
    let mut stdin = child.stdin.take().unwrap();
    // Writes until the command stops reading (a broken pipe once it has exited).
    std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 16];
        while stdin.write_all(&chunk).is_ok() {}
    });
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(30) {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    None
}

#[test]
fn an_input_that_never_ends_is_too_large_once_past_the_limit() {
    for command in ["plan", "batch", "book"] {
        let output = run_on_endless_input(&[command, "--max-bytes", "1000", "-"])
            .unwrap_or_else(|| panic!("{command}: still reading after 30 s"));
        assert_eq!(output.status.code(), Some(2), "{command}");
        let json = outcome(&output);
        assert_eq!(json["kind"], "too_large", "{command}");
        assert_eq!(
            json["error"], "the input is more than the 1000 bytes allowed",
            "{command}"
        );
    }
}

#[test]
fn a_command_line_clap_refuses_is_invalid_input_printed_as_json() {
    for (args, error) in [
        (
            &["frob"][..],
            "the command line: unrecognized subcommand: frob",
        ),
        (
            &["plan", "--frob", "-"][..],
            "the command line: unexpected argument found: --frob",
        ),
        (
            &["plan"][..],
            "the command line: one or more required arguments were not provided: <FILE|--demo>",
        ),
    ] {
        let output = run(args, "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let json = outcome(&output);
        assert_eq!(json["outcome"], "invalid_input", "{args:?}");
        assert_eq!(json["kind"], "document", "{args:?}");
        assert_eq!(json["path"], "", "{args:?}");
        assert_eq!(json["error"], error, "{args:?}");
        // The usage stays on standard error, for people.
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
    // Help and the version are not errors.
    assert_eq!(run(&["--help"], "").status.code(), Some(0));
}
