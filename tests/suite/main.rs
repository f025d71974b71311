//! The integration tests, one binary: every rule (`rules`), plans and their requests
//! (`plan`), the value types (`values`), the JSON boundary (`json`, `inputs`), the lifecycle after the plan (`attempt`, without
//! JSON; `lifecycle`, `machine`), the properties
//! (`invariants`), the public API's auto traits and sizes (`autotrait`), and the agreement
//! of the docs with the rule table (`docs`). The allocation test has a binary of its own
//! (`tests/alloc.rs`), for its global allocator.

mod attempt;
mod autotrait;
mod book;
mod common;
mod docs;
#[cfg(feature = "serde")]
mod inputs;
mod invariants;
#[cfg(feature = "serde")]
mod json;
#[cfg(feature = "serde")]
mod lifecycle;
#[cfg(feature = "serde")]
mod machine;
mod plan;
mod platform_managed;
mod rules;
#[cfg(feature = "serde")]
mod step;
mod values;
