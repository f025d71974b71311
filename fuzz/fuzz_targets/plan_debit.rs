//! Any structured input: `plan_debit` never panics; a plan keeps every invariant; a
//! rejection lists exactly the rules broken, once each, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stripe_account_debits::DebitInput;

#[path = "../../tests/suite/common/invariants.rs"]
#[allow(dead_code)]
mod invariants;

fuzz_target!(|input: DebitInput| {
    if let Err(broken) = invariants::check(&input) {
        panic!("{broken}\ninput: {input:?}");
    }
});
