//! Layer 1, values: exact money in the currencies Stripe moves, and time. Nothing here
//! knows about accounts, debits or rules; everything above builds on it.
//!
//! - [`money`]: [`Money`](money::Money), fenced (only its folder builds one unchecked), the
//!   amount check and the [`BalanceEffect`](money::BalanceEffect) of a debit.
//! - [`currency`]: Stripe's table of minor units, the one place it is written.
//! - [`time`]: [`Timestamp`](time::Timestamp), seconds as Stripe counts them.
//! - `inline`: the short inline strings that keep ids and keys `Copy` and off the heap.

pub mod currency;
pub(crate) mod inline;
pub(crate) mod money;
pub(crate) mod time;
