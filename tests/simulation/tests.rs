//! The simulation's tests: the CI-sized run, the crash test, the replay of a seed, the
//! long run (ignored; `scripts/simulate`), and the simulated Stripe's own behaviour.

use crate::driver::{self, Config, Report};
use crate::faults::FaultKind;
use crate::tally::{self, Tally};

/// The debits of the CI-sized run.
const CI_DEBITS: u64 = 20_000;

/// A number from the environment, when set.
fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}: expected a number, got {v}"))
    })
}

/// Fails with the seeds (and a trace of the first) when a run went wrong.
fn assert_clean(tally: &Tally, what: &str) {
    if tally.clean() {
        return;
    }
    let mut message = format!("{what}: runs went wrong\n{}\n", tally.table());
    for (config, problem) in tally.failures.iter().take(20) {
        message.push_str(&format!(
            "seed {} kind {} crash_at {:?}: {problem}\n",
            config.seed, config.kind, config.crash_at
        ));
    }
    if let Some((config, _)) = tally.failures.first() {
        let replay = driver::run(Config {
            trace: true,
            ..*config
        });
        message.push_str(&format!(
            "\ntrace of seed {} (replay: SIM_SEED={} SIM_CRASH_AT={} cargo test --features serde --test simulation -- --ignored replay --nocapture):\n{}",
            config.seed,
            config.seed,
            config.crash_at.map_or_else(|| "-".to_owned(), |c| c.to_string()),
            replay.trace
        ));
    }
    panic!("{message}");
}

#[test]
fn ci_run_never_double_debits_nor_loses_a_debit() {
    let count = env_u64("SIM_CI_DEBITS").unwrap_or(CI_DEBITS);
    let tally = tally::run_many(count, tally::cores(), Config::seed);
    println!("{}", tally.table());
    assert_clean(&tally, "the CI run");
    let total = tally.total();
    assert_eq!(total.debits, count);
    // Every kind ran, and the faults did what they are for: double debits were made (by
    // stalls past the key window) and undone, refusals failed, crashes happened.
    assert_eq!(tally.kinds.len(), FaultKind::ALL.len());
    assert!(total.reversed > 0, "no double debit was made and undone");
    assert!(tally.kinds[&FaultKind::Refused].failed > 0);
    assert!(tally.kinds[&FaultKind::CrashAfterSend].crashes > 0);
    assert_eq!(
        tally.kinds[&FaultKind::Clean].confirmed,
        tally.kinds[&FaultKind::Clean].debits
    );
}

#[test]
fn long_run() {
    // Runs only when asked (scripts/simulate sets SIM_DEBITS).
    let Some(count) = env_u64("SIM_DEBITS") else {
        return;
    };
    let start = env_u64("SIM_START").unwrap_or(0);
    let began = std::time::Instant::now();
    let tally = tally::run_many(count, tally::cores(), |i| Config::seed(start + i));
    println!(
        "{count} debits (seeds {start}..{}) on {} threads in {:.1} s\n\n{}",
        start + count,
        tally::cores(),
        began.elapsed().as_secs_f64(),
        tally.table()
    );
    assert_clean(&tally, "the long run");
}

#[test]
#[ignore = "prints one seed's trace: SIM_SEED=<seed> [SIM_CRASH_AT=<point>]"]
fn replay() {
    let seed = env_u64("SIM_SEED").expect("SIM_SEED");
    let crash_at = env_u64("SIM_CRASH_AT").map(|c| c as u32);
    let report = driver::run(Config {
        crash_at,
        trace: true,
        ..Config::seed(seed)
    });
    println!("{}", report.trace);
    println!(
        "{:?} {:?} standing {}",
        report.end, report.problem, report.standing
    );
}

#[test]
fn a_seed_replays_exactly() {
    for seed in [3, 10, 24, 1_000_003] {
        let config = Config {
            trace: true,
            ..Config::seed(seed)
        };
        let (a, b) = (driver::run(config), driver::run(config));
        assert_eq!(a.trace, b.trace);
        assert!(!a.trace.is_empty());
    }
}

fn summary(report: &Report) -> String {
    format!("{:?} {:?}", report.end, report.problem)
}
