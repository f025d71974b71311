//! The deterministic simulation of issue 18, point 6: every debit driven by its
//! `DebitMachine` against a simulated Stripe (its idempotency layer as documented) through
//! a seeded fault layer, in simulated time; a seed replays its run exactly. The invariants:
//! a debit confirmed stands as exactly its one transfer, a debit failed as none, and no run
//! is stuck or breaks the machine.
//!
//! - `cargo test --features serde --test simulation`: the CI-sized run and the crash test.
//! - `scripts/simulate 1000000`: the long run, in release, with its table.
//! - `SIM_SEED=<seed> cargo test --features serde --test simulation -- --ignored replay
//!   --nocapture`: one seed's trace (`SIM_CRASH_AT=<point>` to crash there).

mod driver;
mod faults;
mod rng;
mod stripe;
mod tally;

mod tests;
