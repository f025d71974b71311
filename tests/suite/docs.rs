//! The docs agree with the rule table: the README's rules table (which is also the crate's
//! documentation) is the one the table generates, and each code is written once in `src/`.

use std::fmt::Write;
use std::path::Path;

use stripe_account_debits::{AdvisoryKind, Violation, ViolationKind};

/// The README's rules table, generated from the rule table.
fn rules_table() -> String {
    let mut table = String::from("| # | code | when | source |\n| --- | --- | --- | --- |\n");
    for kind in ViolationKind::ALL {
        let row = (kind.position() + 1, kind.code(), kind.when(), kind.source());
        writeln!(table, "| {} | `{}` | {} | {} |", row.0, row.1, row.2, row.3).unwrap();
    }
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

#[test]
fn codes_are_listed_in_the_tables_order() {
    let codes: Vec<&str> = ViolationKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(Violation::CODES, codes.as_slice());
    for (i, kind) in ViolationKind::ALL.iter().enumerate() {
        assert_eq!(kind.position(), i);
    }
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
    let codes = ViolationKind::ALL.iter().map(|k| k.code());
    for code in codes.chain(AdvisoryKind::ALL.iter().map(|k| k.code())) {
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
