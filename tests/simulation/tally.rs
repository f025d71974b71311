//! Counting runs per fault kind, running seeds on every core, and the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::driver::{self, Config, End, Report};
use crate::faults::FaultKind;

/// The counts of one fault kind.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub debits: u64,
    pub confirmed: u64,
    pub failed: u64,
    pub escalated: BTreeMap<&'static str, u64>,
    pub double: u64,
    pub lost: u64,
    pub stuck: u64,
    pub broken: u64,
    /// Confirmed after reversing the extras of a double debit.
    pub reversed: u64,
    pub crashes: u64,
    pub polls: u64,
    pub max_polls: u32,
    /// Simulated time, summed, in ms.
    pub elapsed_ms: i128,
}

impl Counts {
    pub fn escalated_total(&self) -> u64 {
        self.escalated.values().sum()
    }

    fn merge(&mut self, other: &Counts) {
        self.debits += other.debits;
        self.confirmed += other.confirmed;
        self.failed += other.failed;
        for (reason, n) in &other.escalated {
            *self.escalated.entry(reason).or_default() += n;
        }
        self.double += other.double;
        self.lost += other.lost;
        self.stuck += other.stuck;
        self.broken += other.broken;
        self.reversed += other.reversed;
        self.crashes += other.crashes;
        self.polls += other.polls;
        self.max_polls = self.max_polls.max(other.max_polls);
        self.elapsed_ms += other.elapsed_ms;
    }
}

/// The counts per kind, and the runs that went wrong.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub kinds: BTreeMap<FaultKind, Counts>,
    /// The configs of the runs with a problem (the first few hundred).
    pub failures: Vec<(Config, String)>,
}

impl Tally {
    /// Counts one run.
    pub fn add(&mut self, report: &Report) {
        let counts = self.kinds.entry(report.config.kind).or_default();
        counts.debits += 1;
        counts.crashes += u64::from(report.crashes);
        counts.polls += u64::from(report.polls);
        counts.max_polls = counts.max_polls.max(report.polls);
        counts.elapsed_ms += i128::from(report.elapsed_ms);
        match &report.end {
            Some(End::Confirmed { reversed, .. }) => {
                counts.confirmed += 1;
                if *reversed > 0 {
                    counts.reversed += 1;
                }
            }
            Some(End::Failed) => counts.failed += 1,
            Some(End::Escalated { reason, .. }) => {
                *counts.escalated.entry(reason.code()).or_default() += 1
            }
            None => {}
        }
        if let Some(problem) = &report.problem {
            match problem.code() {
                "double" => counts.double += 1,
                "lost" => counts.lost += 1,
                "stuck" => counts.stuck += 1,
                _ => counts.broken += 1,
            }
            if self.failures.len() < 200 {
                self.failures.push((report.config, format!("{problem:?}")));
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        for (kind, counts) in &other.kinds {
            self.kinds.entry(*kind).or_default().merge(counts);
        }
        self.failures.extend(other.failures);
        self.failures.sort_by_key(|(c, _)| (c.seed, c.crash_at));
        self.failures.truncate(200);
    }

    /// The counts of every kind together.
    pub fn total(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.kinds.values() {
            total.merge(counts);
        }
        total
    }

    /// Whether no run went wrong.
    pub fn clean(&self) -> bool {
        let total = self.total();
        total.double + total.lost + total.stuck + total.broken == 0
    }

    /// The table, one row per kind and a total.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| fault kind | debits | confirmed | failed | escalated | double | lost | stuck | broken | double debits undone | crashes | mean polls | max polls | escalations by reason |"
        );
        let _ = writeln!(
            out,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        );
        let mut row = |name: &str, c: &Counts| {
            let reasons: Vec<String> = c
                .escalated
                .iter()
                .map(|(r, n)| format!("{r}: {n}"))
                .collect();
            let mean = if c.debits == 0 {
                0.0
            } else {
                c.polls as f64 / c.debits as f64
            };
            let _ = writeln!(
                out,
                "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {mean:.1} | {} | {} |",
                c.debits,
                c.confirmed,
                c.failed,
                c.escalated_total(),
                c.double,
                c.lost,
                c.stuck,
                c.broken,
                c.reversed,
                c.crashes,
                c.max_polls,
                if reasons.is_empty() {
                    "-".to_owned()
                } else {
                    reasons.join(", ")
                },
            );
        };
        for (kind, counts) in &self.kinds {
            row(kind.name(), counts);
        }
        row("**all**", &self.total());
        out
    }
}

/// Runs `configs(i)` for `i` in `0..count` on `threads` threads.
pub fn run_many(count: u64, threads: usize, configs: impl Fn(u64) -> Config + Sync) -> Tally {
    let threads = threads.max(1) as u64;
    let configs = &configs;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut i = thread;
                    while i < count {
                        tally.add(&driver::run(configs(i)));
                        i += threads;
                    }
                    tally
                })
            })
            .collect();
        let mut tally = Tally::default();
        for handle in handles {
            tally.merge(handle.join().expect("a simulation thread"));
        }
        tally
    })
}

/// The cores to use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}
