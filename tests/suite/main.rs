//! The integration tests, one binary: every rule (`rules`), plans and their requests
//! (`plan`), the value types (`values`), the JSON boundary (`json`, `inputs`), the typed
//! outputs (`outputs`), the lifecycle after the plan (`attempt`, without JSON;
//! `lifecycle`, `machine`), the properties (`invariants`), the public API's auto traits and
//! sizes (`autotrait`), the agreement of the docs with the rule table (`docs`), and of the
//! benches' floors with the crate (`floors`). The allocation test has a binary of its own
//! (`tests/alloc.rs`), for its global allocator.

mod attempt;
mod autotrait;
/// The benches' floors, which `floors` checks against the crate.
#[path = "../../benches/floors/mod.rs"]
mod bench_floors;
mod book;
mod common;
mod docs;
mod floors;
#[cfg(feature = "serde")]
mod inputs;
mod invariants;
#[cfg(feature = "serde")]
mod json;
#[cfg(feature = "serde")]
mod lifecycle;
#[cfg(feature = "serde")]
mod machine;
#[cfg(feature = "serde")]
mod outputs;
mod plan;
mod platform_managed;
mod rules;
#[cfg(feature = "serde")]
mod step;
mod values;
