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
#[ignore = "the long run: scripts/simulate <debits> (SIM_DEBITS, default 1,000,000; SIM_START)"]
fn long_run() {
    let count = env_u64("SIM_DEBITS").unwrap_or(1_000_000);
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
#[ignore = "prints one seed's trace: SIM_SEED=<seed> [SIM_KIND=<kind>] [SIM_CRASH_AT=<point>]"]
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

/// Seeds per kind in the crash test.
const CRASH_SEEDS_PER_KIND: u64 = 100;

#[test]
fn a_crash_at_every_step_of_every_path_ends_the_same_safe_way() {
    let per_kind = env_u64("SIM_CRASH_SEEDS").unwrap_or(CRASH_SEEDS_PER_KIND);
    let kinds = FaultKind::ALL.len() as u64;
    // Each seed of the kind's own (seed % kinds), for `per_kind` seeds per kind.
    let seeds: Vec<u64> = (0..per_kind * kinds).collect();
    let mut runs: Vec<Config> = Vec::new();
    for &seed in &seeds {
        let baseline = driver::run(Config::seed(seed));
        assert!(
            baseline.problem.is_none(),
            "seed {seed}: {}",
            summary(&baseline)
        );
        for point in 0..baseline.crash_points {
            runs.push(Config {
                crash_at: Some(point),
                ..Config::seed(seed)
            });
        }
    }
    let count = runs.len() as u64;
    let tally = tally::run_many(count, tally::cores(), |i| runs[i as usize]);
    println!(
        "{count} runs, each crashing at one step of a path\n{}",
        tally.table()
    );
    assert_clean(&tally, "the crash test");
    assert!(
        count > seeds.len() as u64 * 2,
        "the paths have several steps each"
    );
}

#[test]
#[ignore = "lists the escalated seeds of a range with their details: SIM_DEBITS=<n> [SIM_START=<seed>] [SIM_REASON=<code>]"]
fn escalations() {
    let count = env_u64("SIM_DEBITS").unwrap_or(10_000);
    let start = env_u64("SIM_START").unwrap_or(0);
    let only = std::env::var("SIM_REASON").ok();
    for seed in start..start + count {
        let report = driver::run(Config::seed(seed));
        if let Some(crate::driver::End::Escalated { reason, detail }) = &report.end
            && only.as_deref().is_none_or(|r| r == reason.code())
        {
            println!(
                "seed {seed} {} {}: {detail}",
                report.config.kind,
                reason.code()
            );
        }
    }
}

#[test]
fn the_checks_catch_double_and_lost_debits_when_the_settle_bound_is_too_short() {
    // The machine told to settle after 1 s while Stripe lands late effects up to its true
    // bound: a search finds nothing too early, a new key goes out, and the first lands
    // too (a double debit), or the new key is refused while the first lands (a lost one).
    // The simulation must see both: its checks are not vacuous.
    let kinds = [
        FaultKind::Error500Later,
        FaultKind::Slow,
        FaultKind::Refused,
    ];
    let tally = tally::run_many(6_000, tally::cores(), |i| Config {
        settle_ms: Some(1_000),
        kind: kinds[(i % 3) as usize],
        ..Config::seed(i)
    });
    let total = tally.total();
    assert!(
        total.double > 0,
        "no double debit caught:\n{}",
        tally.table()
    );
    assert!(total.lost > 0, "no lost debit caught:\n{}", tally.table());
}

/// Seed 13863 (kind `slow`): the first send executes for 7,708 s and the client times
/// out at 80 s. Before the fix a 409 did not count toward the backoff, so each 409 was
/// resent after 0.5 s: the key was sent 155 times (past the cap of 100) before the
/// transfer landed; a key executing for a few hours more would have been sent thousands
/// of times.
#[test]
fn regression_seed_13863_a_long_execution_is_not_asked_about_twice_a_second() {
    let report = driver::run(Config::seed(13_863));
    assert_eq!(report.config.kind, FaultKind::Slow);
    assert!(report.problem.is_none(), "{}", summary(&report));
    assert!(matches!(
        report.end,
        Some(crate::driver::End::Confirmed { .. })
    ));
    assert!(
        report.max_key_sends < 20,
        "the key was sent {} times",
        report.max_key_sends
    );
}
