//! Layer 9, adapters, each behind a feature: they translate between the engine's types and
//! the outside world, and hold no rule of their own.
//!
//! - `json` (feature `serde`): the commands' inputs (a scenario, a book, the `reply`,
//!   `find` and `reverse` inputs), declared for the one reader (layer 2), and their
//!   outputs.
//! - `serde` (feature `serde`): `Serialize`/`Deserialize` for the value types.
//! - `arbitrary` (feature `arbitrary`): structured inputs for the fuzzers.

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "serde")]
pub mod json;
#[cfg(feature = "serde")]
mod serde;
