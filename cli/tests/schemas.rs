//! The JSON Schemas of `schemas/` (draft 2020-12) against the command they describe:
//!
//! - every schema compiles, checked against the draft's metaschema;
//! - every example under `examples/` matches its command's input schema (the few made to
//!   be refused are refused, where they are wrong);
//! - everything the command prints for the examples, and for the outcomes no example
//!   shows, matches its output schema, and every branch of every output schema is printed
//!   at least once;
//! - the rule codes the schemas list are the rule tables', in their order;
//! - a schema refuses an unknown key exactly where the reader refuses it.
//!
//! The validator is `boon`, a dev-dependency of this crate only: it passes the JSON Schema
//! test suite for 2020-12, loads nothing but the files given to it (no network), and builds
//! in about half the time of the `jsonschema` crate without adding a second version of any
//! crate to the lock file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use stripe_account_debits::lifecycle::ReversalViolationKind;
use stripe_account_debits::{AdvisoryKind, ViolationKind, json as debits_json};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn root() -> PathBuf {
    Path::new(ROOT).canonicalize().unwrap()
}

/// The commands, each with an input and an output schema.
const COMMANDS: [&str; 7] = ["plan", "batch", "book", "reply", "find", "reverse", "step"];

/// Every schema of `schemas/`, compiled once: the commands' inputs and outputs, the
/// machine's state, and any subschema asked for by its location.
struct Schemas {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
    index: BTreeMap<String, boon::SchemaIndex>,
}

impl Schemas {
    fn new() -> Schemas {
        let mut all = Schemas {
            compiler: boon::Compiler::new(),
            schemas: boon::Schemas::new(),
            index: BTreeMap::new(),
        };
        for name in schema_files() {
            all.get(&name);
        }
        all
    }

    /// The schema at `location`: a file of `schemas/`, with an optional `#` pointer.
    fn get(&mut self, location: &str) -> boon::SchemaIndex {
        if let Some(index) = self.index.get(location) {
            return *index;
        }
        let path = root().join("schemas").join(location);
        let compiled = self
            .compiler
            .compile(path.to_str().unwrap(), &mut self.schemas)
            .unwrap_or_else(|e| panic!("schemas/{location} does not compile: {e:#}"));
        self.index.insert(location.to_owned(), compiled);
        compiled
    }

    /// `Ok` when `instance` matches the schema at `location`, else the instance locations
    /// (JSON pointers) of the innermost errors, and the error as text.
    fn check(&mut self, location: &str, instance: &Value) -> Result<(), (Vec<String>, String)> {
        let index = self.get(location);
        self.schemas.validate(instance, index).map_err(|error| {
            let mut leaves = Vec::new();
            innermost(&error, &mut leaves);
            (leaves, format!("{error}"))
        })
    }

    #[track_caller]
    fn assert_valid(&mut self, location: &str, instance: &Value, what: &str) {
        if let Err((_, error)) = self.check(location, instance) {
            panic!("{what} does not match schemas/{location}:\n{error}\n{instance:#}");
        }
    }
}

fn innermost(error: &boon::ValidationError<'_, '_>, out: &mut Vec<String>) {
    if error.causes.is_empty() {
        out.push(error.instance_location.to_string());
    }
    for cause in &error.causes {
        innermost(cause, out);
    }
}

/// The file names of `schemas/`.
fn schema_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("schemas"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[track_caller]
fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every `.json` file under `examples/`, as a path relative to it.
fn examples() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path.strip_prefix(base).unwrap();
                out.push(relative.to_str().unwrap().to_owned());
            }
        }
    }
    let base = root().join("examples");
    let mut out = Vec::new();
    walk(&base, &base, &mut out);
    out.sort();
    out
}

/// The commands that read an example: `scenarios/` are `plan`'s, `book/` both `batch`'s
/// and `book`'s, `lifecycle/<command>-*.json` that command's. Any other example fails here,
/// so a new one cannot go unchecked.
fn commands_of(example: &str) -> Vec<&'static str> {
    let (folder, file) = example.split_once('/').unwrap();
    match folder {
        "scenarios" => vec!["plan"],
        "book" => vec!["batch", "book"],
        "lifecycle" => {
            let command = file.split('-').next().unwrap();
            let known = COMMANDS.iter().find(|c| **c == command);
            vec![*known.unwrap_or_else(|| panic!("examples/{example}: no command {command}"))]
        }
        _ => panic!("examples/{example}: which command reads it?"),
    }
}

/// The examples made to be refused by their schema, each with where: the rest of the
/// examples match theirs. (`scenarios/invalid.json` matches: its fault, a currency code
/// ISO 4217 does not have, is one the schema cannot see.)
const REFUSED_BY_THE_SCHEMA: [(&str, &str); 3] = [
    // Stripe reports integers; the book reads on past an entry it cannot read, says it is
    // incomplete and names the entry (exit status 6).
    (
        "book/incomplete.json",
        "/accounts/1/balance/available/1/amount",
    ),
    // An attempt has at least one send.
    ("lifecycle/reply-invalid.json", "/attempt/sends"),
    // `now` for `now_ms`: an unknown key of the step's document.
    ("lifecycle/step-invalid.json", ""),
];

#[test]
fn every_schema_compiles_against_the_2020_12_metaschema() {
    let mut schemas = Schemas::new();
    let names = schema_files();
    for command in COMMANDS {
        for side in ["input", "output"] {
            let name = format!("{command}.{side}.json");
            assert!(names.contains(&name), "schemas/{name} is missing");
        }
    }
    for name in &names {
        let schema = read_json(&root().join("schemas").join(name));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "schemas/{name}"
        );
        // A schema is its own instance's type: the metaschema has been applied by compiling
        // it; this checks the compiled schema is the one asked for.
        schemas.get(name);
    }
    // A schema that does not compile is refused: the check above can fail.
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("file:///bad.json", json!({"type": "integr"}))
        .unwrap();
    assert!(
        compiler
            .compile("file:///bad.json", &mut boon::Schemas::new())
            .is_err()
    );
}

#[test]
fn every_example_matches_its_input_schema() {
    let mut schemas = Schemas::new();
    let all = examples();
    assert!(all.len() >= 20, "{all:?}");
    for example in &all {
        let instance = read_json(&root().join("examples").join(example));
        let refused = REFUSED_BY_THE_SCHEMA.iter().find(|(e, _)| e == example);
        for command in commands_of(example) {
            let schema = format!("{command}.input.json");
            match (refused, schemas.check(&schema, &instance)) {
                (None, Ok(())) => {}
                (None, Err((_, error))) => {
                    panic!("examples/{example} does not match schemas/{schema}:\n{error}")
                }
                (Some(_), Ok(())) => panic!("examples/{example} matches schemas/{schema}"),
                (Some((_, at)), Err((leaves, error))) => assert!(
                    leaves.iter().any(|leaf| leaf == at),
                    "examples/{example}: refused by schemas/{schema} elsewhere than {at:?}:\n{error}"
                ),
            }
        }
    }
    for (example, _) in REFUSED_BY_THE_SCHEMA {
        assert!(all.iter().any(|e| e == example), "no examples/{example}");
    }
}

/// Runs the command with `args`, feeding `stdin`: its exit status and what it printed.
#[track_caller]
fn run(args: &[&str], stdin: &str) -> (i32, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_account-debits"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    let printed = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {output:?}"));
    (output.status.code().unwrap(), printed)
}

/// Which branch of an output schema each output matches, to check every branch is
/// printed at least once.
struct Branches {
    seen: BTreeMap<String, BTreeSet<usize>>,
}

impl Branches {
    /// The number of `oneOf` branches at `pointer` in `schemas/<file>`.
    fn count(file: &str, pointer: &str) -> usize {
        let schema = read_json(&root().join("schemas").join(file));
        schema
            .pointer(pointer)
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("schemas/{file}#{pointer} is not a oneOf"))
            .len()
    }

    /// Records the one branch of the `oneOf` at `pointer` in `schemas/<file>` that `output`
    /// matches.
    #[track_caller]
    fn record(&mut self, schemas: &mut Schemas, file: &str, pointer: &str, output: &Value) {
        let matched: Vec<usize> = (0..Branches::count(file, pointer))
            .filter(|i| {
                schemas
                    .check(&format!("{file}#{pointer}/{i}"), output)
                    .is_ok()
            })
            .collect();
        assert_eq!(
            matched.len(),
            1,
            "{file}#{pointer}: {matched:?} for {output:#}"
        );
        let key = format!("{file}#{pointer}");
        self.seen.entry(key).or_default().insert(matched[0]);
    }
}

/// Checks a command's output against its output schema, and records its branches (the
/// step's actions, outcomes and phases too).
#[track_caller]
fn check_output(
    schemas: &mut Schemas,
    branches: &mut Branches,
    command: &str,
    output: &Value,
    what: &str,
) {
    let file = format!("{command}.output.json");
    schemas.assert_valid(&file, output, what);
    branches.record(schemas, &file, "/oneOf", output);
    if command == "step" && output.get("action").is_some() {
        let action = &output["action"];
        branches.record(schemas, &file, "/$defs/action/oneOf", action);
        if action["action"] == "done" {
            let pointer = "/$defs/action/oneOf/3/properties/outcome/oneOf";
            branches.record(schemas, &file, pointer, &action["outcome"]);
        }
        let phase = &output["state"]["phase"];
        branches.record(schemas, "state.json", "/properties/phase/oneOf", phase);
    }
}

/// One step of the machine through the command: its status and output.
fn step(scenario: &Value, state: &Value, now_ms: i64, more: Value) -> (i32, Value) {
    let mut document = json!({"scenario": scenario, "state": state, "now_ms": now_ms});
    if let (Some(document), Value::Object(more)) = (document.as_object_mut(), more) {
        document.extend(more);
    }
    run(&["step", "-"], &document.to_string())
}

/// The outputs no example shows: each command's invalid input (bad JSON, a file that cannot
/// be read, a document over the limit), the demo, a step whose debit does not plan, and a
/// double debit driven through `step` (a wait, a list, the reversal's send, the reversing
/// and searching phases, a debit confirmed by a search).
fn more_outputs() -> Vec<(String, &'static str, Value)> {
    let mut out = Vec::new();
    for command in COMMANDS {
        let (_, syntax) = run(&[command, "-"], "{");
        out.push((format!("{command} of bad JSON"), command, syntax));
        let (_, missing) = run(&[command, "no-such-file.json"], "");
        out.push((format!("{command} of no file"), command, missing));
        let (_, large) = run(&[command, "--max-bytes", "1", "-"], "{}");
        out.push((format!("{command} over the limit"), command, large));
    }
    let (_, demo) = run(&["plan", "--demo"], "");
    out.push(("plan --demo".into(), "plan", demo));
    let examples = root().join("examples");
    let rejected = read_json(&examples.join("scenarios/rejected.json"));
    let (_, refused) = step(&rejected, &Value::Null, 1_764_000_000_000, json!({}));
    out.push(("step of a debit that does not plan".into(), "step", refused));

    let scenario = read_json(&examples.join("scenarios/demo.json"));
    let page = read_json(&examples.join("lifecycle/find-duplicated.json"))["transfers"].clone();
    let reversal = json!({"id": "trr_1", "object": "transfer_reversal", "amount": 500,
        "currency": "usd", "transfer": "tr_1DemoDebit0000000002"});
    let saved_500 = json!({"status": 500, "headers": {"Idempotent-Replayed": "true"},
        "body": {"error": {"type": "api_error"}}});
    let steps = [
        (
            1_764_000_000_000,
            json!({"options": {"settle_ms": 1000}}),
            "send",
        ),
        (1_764_000_001_000, json!({"reply": saved_500}), "wait"),
        (1_764_000_010_000, json!({}), "list"),
        (
            1_764_000_011_000,
            json!({"reply": {"status": 200, "body": page}}),
            "send",
        ),
        (
            1_764_000_012_000,
            json!({"reply": {"status": 200, "body": reversal}}),
            "done",
        ),
    ];
    let mut state = Value::Null;
    for (now_ms, more, action) in steps {
        let (_, output) = step(&scenario, &state, now_ms, more);
        assert_eq!(output["action"]["action"], action, "{output:#}");
        state = output["state"].clone();
        out.push((format!("a double debit's step to {action}"), "step", output));
    }
    out
}

#[test]
fn every_output_matches_its_output_schema_and_every_branch_is_printed() {
    let mut schemas = Schemas::new();
    let mut branches = Branches {
        seen: BTreeMap::new(),
    };
    let mut outputs = 0;
    for example in examples() {
        let path = format!("examples/{example}");
        for command in commands_of(&example) {
            let (_, output) = run(&[command, &path], "");
            let what = format!("{command} {path}");
            check_output(&mut schemas, &mut branches, command, &output, &what);
            outputs += 1;
        }
    }
    for (what, command, output) in more_outputs() {
        check_output(&mut schemas, &mut branches, command, &output, &what);
        outputs += 1;
    }
    assert!(outputs > 40, "{outputs}");
    // Every branch of every output's `oneOf`, of the step's actions and outcomes, and of the
    // state's phases was printed.
    let mut wanted: Vec<(String, &str)> = COMMANDS
        .iter()
        .map(|c| (format!("{c}.output.json"), "/oneOf"))
        .collect();
    wanted.push(("step.output.json".into(), "/$defs/action/oneOf"));
    let done = "/$defs/action/oneOf/3/properties/outcome/oneOf";
    wanted.push(("step.output.json".into(), done));
    wanted.push(("state.json".into(), "/properties/phase/oneOf"));
    for (file, pointer) in wanted {
        let all: BTreeSet<usize> = (0..Branches::count(&file, pointer)).collect();
        let seen = branches.seen.get(&format!("{file}#{pointer}"));
        assert_eq!(seen, Some(&all), "branches of {file}#{pointer} printed");
    }
}

#[test]
fn an_output_that_breaks_its_shape_is_refused() {
    let mut schemas = Schemas::new();
    let (_, planned) = run(&["plan", "--demo"], "");
    schemas.assert_valid("plan.output.json", &planned, "plan --demo");
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut unknown = planned.clone();
    unknown["surprise"] = json!(1);
    cases.push((unknown, "a key the output does not have"));
    let mut float = planned.clone();
    float["transfer"]["amount"] = json!(5.5);
    cases.push((float, "an amount that is not an integer"));
    let mut upper = planned.clone();
    upper["connected_available"]["currency"] = json!("USD");
    cases.push((upper, "a currency that is not written lowercase"));
    let mut missing = planned.clone();
    missing.as_object_mut().unwrap().remove("request");
    cases.push((missing, "no request"));
    let mut code = planned.clone();
    code["advisories"] = json!([{"code": "not_a_rule", "message": "?"}]);
    cases.push((code, "an advisory code the table does not have"));
    for (output, what) in cases {
        assert!(
            schemas.check("plan.output.json", &output).is_err(),
            "{what}"
        );
    }
}

/// The `enum` at `pointer` in `schemas/<file>`, as strings.
fn codes_at(file: &str, pointer: &str) -> Vec<String> {
    let schema = read_json(&root().join("schemas").join(file));
    let codes = schema.pointer(pointer).and_then(Value::as_array);
    let codes = codes.unwrap_or_else(|| panic!("schemas/{file}#{pointer}"));
    codes
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_codes_the_schemas_list_are_the_rule_tables() {
    let violations: Vec<&str> = ViolationKind::ALL.iter().map(|k| k.code()).collect();
    let pointer = "/$defs/violation/properties/code/enum";
    assert_eq!(codes_at("common.json", pointer), violations);
    let advisories: Vec<&str> = AdvisoryKind::ALL.iter().map(|k| k.code()).collect();
    let pointer = "/$defs/advisory/properties/code/enum";
    assert_eq!(codes_at("common.json", pointer), advisories);
    let reversals: Vec<&str> = ReversalViolationKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let pointer = "/$defs/rejected/properties/violations/items/properties/code/enum";
    assert_eq!(codes_at("reverse.output.json", pointer), reversals);
}

/// Whether the reader of `command` refuses `text`, and at which path.
fn read_as(command: &str, text: &str) -> Result<(), String> {
    let printed = match command {
        "plan" => match debits_json::read_scenario(text) {
            Ok(_) => return Ok(()),
            Err(error) => return Err(error.path().to_owned()),
        },
        "batch" | "book" => match debits_json::read_book(text) {
            Ok(_) => return Ok(()),
            Err(error) => return Err(error.path().to_owned()),
        },
        "reply" => {
            return debits_json::reply(text)
                .map(drop)
                .map_err(|e| e.path().to_owned());
        }
        "find" => {
            return debits_json::find(text)
                .map(drop)
                .map_err(|e| e.path().to_owned());
        }
        "reverse" => {
            return debits_json::reverse(text)
                .map(drop)
                .map_err(|e| e.path().to_owned());
        }
        "step" => serde_json::to_value(debits_json::step(text)).unwrap(),
        other => panic!("{other}"),
    };
    if printed["outcome"] == "invalid_input" {
        Err(printed["path"].as_str().unwrap().to_owned())
    } else {
        Ok(())
    }
}

/// The path of every object in `value` (JSON pointer tokens), the root first.
fn objects(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            out.push(at.clone());
            for (key, item) in map {
                at.push(key.clone());
                objects(item, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                at.push(index.to_string());
                objects(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// A JSON path as the reader writes it: `accounts[1].balance.available`.
fn reader_path(tokens: &[String], value: &Value) -> String {
    let mut path = String::new();
    let mut here = value;
    for token in tokens {
        if here.is_array() {
            path.push_str(&format!("[{token}]"));
            here = &here[token.parse::<usize>().unwrap()];
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(token);
            here = &here[token.as_str()];
        }
    }
    path
}

/// For every object of every example the reader and the schema both accept, an unknown key
/// is added: the schema must refuse it exactly when the reader does (at that key, or at an
/// object of its own shape around it, such as the machine's `state`). A schema that says
/// `additionalProperties: false` where the reader skips unknown keys, or that lets one
/// through where the reader refuses it, fails here.
#[test]
fn a_schema_refuses_an_unknown_key_where_the_reader_does() {
    let mut schemas = Schemas::new();
    let mut tried = 0;
    let mut refused = BTreeSet::new();
    for example in examples() {
        if REFUSED_BY_THE_SCHEMA.iter().any(|(e, _)| *e == example) {
            continue;
        }
        let instance = read_json(&root().join("examples").join(&example));
        for command in commands_of(&example) {
            if read_as(command, &instance.to_string()).is_err() {
                continue; // made to be refused by the reader: `scenarios/invalid.json`
            }
            let schema = format!("{command}.input.json");
            let mut paths = Vec::new();
            objects(&instance, &mut Vec::new(), &mut paths);
            for tokens in paths {
                let mut changed = instance.clone();
                let pointer: String = tokens.iter().map(|t| format!("/{t}")).collect();
                let object = changed.pointer_mut(&pointer).unwrap();
                object["zz_not_a_key"] = json!("x");
                let mut key = tokens.clone();
                key.push("zz_not_a_key".into());
                let key = reader_path(&key, &changed);
                let by_schema = schemas.check(&schema, &changed).is_err();
                let by_reader = match read_as(command, &changed.to_string()) {
                    Ok(()) => false,
                    Err(path) => {
                        let around = path.is_empty() || key.starts_with(&path);
                        assert!(around, "{example} ({command}): {key} refused at {path}");
                        true
                    }
                };
                assert_eq!(
                    by_schema, by_reader,
                    "examples/{example} ({command}) with an unknown key {key}: refused by \
                     schemas/{schema}: {by_schema}, by the reader: {by_reader}"
                );
                tried += 1;
                if by_reader {
                    refused.insert(format!("{command}: {}", key.replace(char::is_numeric, "")));
                }
            }
        }
    }
    assert!(tried > 300, "{tried}");
    // The step's document, its reply and the machine's state are the crate's own shapes:
    // the check above saw them refused.
    for key in [
        "step: zz_not_a_key",
        "step: reply.zz_not_a_key",
        "step: state.zz_not_a_key",
    ] {
        assert!(refused.contains(key), "{key} in {refused:#?}");
    }
}
