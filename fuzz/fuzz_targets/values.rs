//! Parsing money amounts, currency codes, ids, countries, debit ids and evidence: never a
//! panic, and whatever parses formats to text that parses back to an equal value.
#![no_main]

use std::fmt::Display;
use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use stripe_account_debits::currency::{WireCode, parse_currency};
use stripe_account_debits::{AccountId, DebitId, Money, TransactionId};
use stripe_account_debits::consent::Evidence;
use stripe_account_debits::stripe::Country;

fn round_trip<T>(text: &str)
where
    T: FromStr + Display + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = text.parse::<T>() {
        let printed = value.to_string();
        match printed.parse::<T>() {
            Ok(again) => assert_eq!(again, value, "{text:?} printed as {printed:?}"),
            Err(_) => panic!("{text:?} parsed, but its text {printed:?} does not"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip::<Money>(text);
    round_trip::<AccountId>(text);
    round_trip::<TransactionId>(text);
    round_trip::<Country>(text);
    round_trip::<DebitId>(text);
    round_trip::<Evidence>(text);
    if let Ok(currency) = parse_currency(text) {
        let wire = WireCode::of(currency);
        assert_eq!(parse_currency(wire.as_str()), Ok(currency), "{text:?}");
    }
});
