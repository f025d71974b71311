//! The docs agree with the rule table: the README's rules table (which is also the crate's
//! documentation) is the one the table generates, and each code is written once in `src/`.

use std::fmt::Write;
use std::path::Path;

use stripe_account_debits::{AdvisoryKind, Rule, Violation, ViolationKind};

/// A numbered rules table: one row per rule (its position from 1, code, when, source).
fn numbered<'a>(rows: impl Iterator<Item = (usize, &'a str, &'a str, &'a str)>) -> String {
    let mut table = String::from("| # | code | when | source |\n| --- | --- | --- | --- |\n");
    for row in rows {
        writeln!(
            table,
            "| {} | `{}` | {} | {} |",
            row.0 + 1,
            row.1,
            row.2,
            row.3
        )
        .unwrap();
    }
    table
}

/// The README's rules table, generated from the rule table.
fn rules_table() -> String {
    let mut table = numbered(
        ViolationKind::ALL
            .iter()
            .map(|k| (k.position(), k.code(), k.when(), k.source())),
    );
    table.push_str(
        "\nAdvisories (the plan stands):\n\n| code | when | source |\n| --- | --- | --- |\n",
    );
    for kind in AdvisoryKind::ALL {
        writeln!(
            table,
            "| `{}` | {} | {} |",
            kind.code(),
            kind.when(),
            kind.source()
        )
        .unwrap();
    }
    table
}

#[track_caller]
fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn the_readme_rules_table_is_generated_from_the_rule_table() {
    let expected = rules_table();
    assert!(
        read("README.md").contains(&expected),
        "the README's rules table is out of date; it should read:\n\n{expected}"
    );
}

/// The README is read on GitHub as well as by rustdoc: its Rust examples are whole programs
/// (`.ci/run` builds the first as a crate of its own), with no rustdoc hidden lines (`# `),
/// which GitHub would show.
#[test]
fn the_readme_examples_are_whole_programs_without_hidden_lines() {
    let readme = read("README.md");
    let mut blocks = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in readme.lines() {
        match (&mut block, line) {
            (None, "```rust") => block = Some(Vec::new()),
            (Some(lines), "```") => {
                blocks.push(lines.join("\n"));
                block = None;
            }
            (Some(lines), line) => lines.push(line),
            (None, _) => {}
        }
    }
    assert!(blocks.len() >= 3, "{} Rust blocks", blocks.len());
    for (n, block) in blocks.iter().enumerate() {
        let hidden = block
            .lines()
            .find(|line| line.trim_start().starts_with("# ") || line.trim() == "#");
        assert_eq!(hidden, None, "README Rust block {n}");
        assert!(
            block.contains("\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n"),
            "README Rust block {n} is not a whole program"
        );
    }
    // Every fenced block is closed, and none is marked otherwise for rustdoc to skip.
    assert!(block.is_none());
    assert!(
        !readme.contains("```rust,"),
        "a README Rust block rustdoc would not run"
    );
}

/// The reversal's rules table in `docs/lifecycle.md`, generated from the reversal's rule
/// table (issue 16: declared by the same macro as the debit's).
#[cfg(feature = "serde")]
#[test]
fn the_lifecycle_docs_reversal_rules_table_is_generated_from_its_table() {
    use stripe_account_debits::lifecycle::ReversalViolationKind;

    let expected = numbered(
        ReversalViolationKind::ALL
            .iter()
            .map(|k| (k.position(), k.code(), k.when(), k.source())),
    );
    assert!(
        read("docs/lifecycle.md").contains(&expected),
        "the reversal's rules table in docs/lifecycle.md is out of date; it should read:\n\n{expected}"
    );
}

#[test]
fn codes_are_listed_in_the_tables_order() {
    let codes: Vec<&str> = ViolationKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(Violation::CODES, codes.as_slice());
    for (i, kind) in ViolationKind::ALL.iter().enumerate() {
        assert_eq!(kind.position(), i);
    }
    listed_in_order::<Violation>("debit");
    #[cfg(feature = "serde")]
    listed_in_order::<stripe_account_debits::lifecycle::ReversalViolation>("reversal");
}

/// What every rule table has, through the trait its violations share: its kinds, in order,
/// show the codes in order, each once.
fn listed_in_order<V: Rule>(rejects: &str) {
    assert_eq!(V::REJECTS, rejects);
    let shown: Vec<String> = V::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(shown, V::CODES);
    let mut sorted = V::ALL.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted,
        V::ALL,
        "each kind once, the enum's order the table's"
    );
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_code_is_a_string_literal_once_in_src() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    // Code only: the doc examples (which run as tests) may name codes as often as they like.
    let text: String = files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut codes: Vec<&str> = ViolationKind::ALL.iter().map(|k| k.code()).collect();
    codes.extend(AdvisoryKind::ALL.iter().map(|k| k.code()));
    #[cfg(feature = "serde")]
    codes.extend(
        stripe_account_debits::lifecycle::ReversalViolationKind::ALL
            .iter()
            .map(|k| k.code()),
    );
    for code in codes {
        let literal = format!("\"{code}\"");
        assert_eq!(text.matches(&literal).count(), 1, "{literal} in src/");
    }
}

/// The layers, bottom up, as `src/lib.rs` lists them: a file in one may name `crate::` paths
/// of the layers before it only (and no root re-export, which would hide where a name
/// comes from). The adapters and the demo, at the top, may use anything.
#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let layers = [
        "value",
        "reader",
        "stripe",
        "consent",
        "debit",
        "request",
        "lifecycle",
        "book",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (i, layer) in layers.iter().enumerate() {
        let mut files = Vec::new();
        let folder = root.join(layer);
        if folder.is_dir() {
            sources(&folder, &mut files);
        } else {
            files.push(root.join(format!("{layer}.rs")));
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                let at = format!("{}:{}", file.display(), n + 1);
                assert!(
                    !code.contains("use crate::{"),
                    "{at}: a root re-export: {line}"
                );
                for higher in &layers[i + 1..] {
                    for path in [format!("crate::{higher}::"), format!("crate::{higher};")] {
                        assert!(!code.contains(&path), "{at}: {layer} uses {higher}: {line}");
                    }
                }
                assert!(!code.contains("crate::adapters"), "{at}: {line}");
            }
        }
    }
}
