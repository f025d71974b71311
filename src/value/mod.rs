//! Layer 1, values: exact money in the currencies Stripe moves, and time. Nothing here
//! knows about accounts, debits or rules; everything above builds on it.
//!
//! - [`money`]: [`Money`](money::Money), fenced (only its folder builds one unchecked), the
//!   amount check and the [`BalanceEffect`](money::BalanceEffect) of a debit.
//! - [`currency`]: Stripe's table of minor units, the one place it is written.
//! - [`time`]: [`Timestamp`](time::Timestamp), seconds as Stripe counts them.
//! - `inline`: the short inline strings that keep ids and keys `Copy` and off the heap.
//! - `text`: untrusted text quoted in error messages, escaped and cut short.

/// `AsRef<str>` and `TryFrom<&str>` for types that are text checked by their `FromStr` and
/// lent by `as_str` (ids, codes), so that they fit APIs that take either.
macro_rules! text_conversions {
    ($($ty:ty),* $(,)?) => {$(
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = <$ty as core::str::FromStr>::Err;

            /// The same as `FromStr`.
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                text.parse()
            }
        }
    )*};
}
pub(crate) use text_conversions;

pub mod currency;
pub(crate) mod inline;
pub mod money;
pub(crate) mod text;
pub(crate) mod time;
