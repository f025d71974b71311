//! The Node addon of `stripe-account-debits`: the library's rules for Node services. It
//! only converts: inputs from JavaScript values into the library's readers (through the
//! deserializer in `de.rs`, into the same readers as the JSON text's), and the library's
//! results into JavaScript values (through the serializer in `ser.rs`). `index.js` is the
//! package's entry point; it defines `InputError` and gives each result its class.

// As in the library: no way to panic on what a caller passes (every failure is a
// JavaScript exception), and no function longer than 60 lines.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::too_many_lines
)]
// Unsafe code is the Node-API calls in `js.rs`, and what napi-rs's macros generate.
#![deny(unsafe_code)]

mod de;
mod floor;
mod js;
mod machine;
mod results;
mod ser;

use core::cell::Cell;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use stripe_account_debits::json::{self, ReadError};

use crate::js::{Fault, Js, Raw};

pub use floor::host_floor;
pub use machine::NativeMachine;
pub use results::{Planned, Rejected};

thread_local! {
    /// `InputError`, the class `index.js` defines, given once by `setInputError` (each
    /// thread that loads the addon, a worker's too, has its own).
    static INPUT_ERROR: Cell<Option<napi::sys::napi_ref>> = const { Cell::new(None) };
}

/// Keeps `InputError` for the errors thrown later. Called once by `index.js`.
#[napi(js_name = "setInputError")]
pub fn set_input_error(env: Env, class: Unknown<'_>) -> Result<()> {
    let js = Js::new(env.raw());
    let reference = js.reference(js::raw_of(&class)).map_err(js::to_napi)?;
    INPUT_ERROR.with(|slot| slot.set(Some(reference)));
    Ok(())
}

/// Throws `new InputError(kind, path, message)`, and returns the error that passes it on.
pub(crate) fn input_error(js: Js, kind: &str, path: &str, message: &str) -> Error {
    let thrown = (|| -> core::result::Result<Fault, Fault> {
        let Some(reference) = INPUT_ERROR.with(Cell::get) else {
            return Err(Fault::Status(napi::sys::Status::napi_generic_failure));
        };
        let class = js.dereference(reference)?;
        let args = [js.string(kind)?, js.string(path)?, js.string(message)?];
        let error = js.construct(class, &args)?;
        Ok(js.throw(error))
    })();
    js::to_napi(thrown.unwrap_or_else(|fault| fault))
}

/// A library error as `InputError`.
pub(crate) fn library_error(js: Js, error: &ReadError) -> Error {
    input_error(js, error.kind().code(), error.path(), error.message())
}

/// What the reading found, else the library's error: as the error to return.
pub(crate) fn read_error(js: Js, failure: Option<de::Failure>, error: Option<&ReadError>) -> Error {
    match (failure, error) {
        (Some(de::Failure::Thrown), _) => js::to_napi(Fault::Thrown),
        (Some(de::Failure::Refused(fault)), _) => js::to_napi(fault),
        (
            Some(de::Failure::Input {
                kind,
                path,
                message,
            }),
            _,
        ) => input_error(js, kind, &path, &message),
        (None, Some(error)) => library_error(js, error),
        (None, None) => input_error(js, "document", "", "the input could not be read"),
    }
}

/// Reads a scenario from a JavaScript value, as the JSON reader reads one.
pub(crate) fn read_scenario(js: Js, scenario: Raw) -> Result<stripe_account_debits::DebitInput> {
    let reading = de::Reading::new(js);
    json::host::with_lookup(|| json::scenario_from_deserializer(reading.root(scenario)))
        .map_err(|error| read_error(js, reading.failure(), Some(&error)))
}

/// Plans one Account Debit from a scenario: `Planned` or `Rejected`.
#[napi(js_name = "planDebit")]
pub fn plan_debit(env: Env, scenario: Unknown<'_>) -> Result<Either<Planned, Rejected>> {
    let input = read_scenario(Js::new(env.raw()), js::raw_of(&scenario))?;
    Ok(match stripe_account_debits::plan_debit(&input) {
        Ok(plan) => Either::A(Planned::new(plan)),
        Err(rejection) => Either::B(Rejected::new(rejection)),
    })
}

/// Runs a lifecycle command's door on `input`: its output as a JavaScript object, or
/// `InputError`.
fn lifecycle<'env, T: serde::Serialize>(
    env: &'env Env,
    input: &Unknown<'_>,
    bytes_as_text: bool,
    command: fn(de::Value<'_>) -> core::result::Result<T, ReadError>,
) -> Result<Unknown<'env>> {
    let js = Js::new(env.raw());
    let reading = if bytes_as_text {
        de::Reading::with_bytes_as_text(js)
    } else {
        de::Reading::new(js)
    };
    let output = json::host::with_lookup(|| command(reading.root(js::raw_of(input))))
        .map_err(|error| read_error(js, reading.failure(), Some(&error)))?;
    Ok(js::unknown(env, ser::to_js(js, &output)?))
}

/// What Stripe's reply to the debit's request means, from the `reply` command's input.
#[napi(js_name = "readReply")]
pub fn read_reply<'env>(env: &'env Env, input: Unknown<'_>) -> Result<Unknown<'env>> {
    lifecycle(env, &input, true, |d| json::reply_from_deserializer(d))
}

/// The debit among the connected account's transfers, from the `find` command's input.
#[napi(js_name = "findDebit")]
pub fn find_debit<'env>(env: &'env Env, input: Unknown<'_>) -> Result<Unknown<'env>> {
    lifecycle(env, &input, false, |d| json::find_from_deserializer(d))
}

/// The reversal of the debit's transfer, from the `reverse` command's input.
#[napi(js_name = "planReversal")]
pub fn plan_reversal<'env>(env: &'env Env, input: Unknown<'_>) -> Result<Unknown<'env>> {
    lifecycle(env, &input, false, |d| json::reverse_from_deserializer(d))
}

/// Reads a book (the `batch` and `book` commands' input).
fn read_book(js: Js, book: &Unknown<'_>) -> Result<json::BookInput> {
    let reading = de::Reading::new(js);
    json::host::with_lookup(|| json::book_from_deserializer(reading.root(js::raw_of(book))))
        .map_err(|error| read_error(js, reading.failure(), Some(&error)))
}

/// The book's debits planned in order, as the `batch` command prints them.
#[napi(js_name = "planBatch")]
pub fn plan_batch<'env>(env: &'env Env, book: Unknown<'_>) -> Result<Unknown<'env>> {
    let js = Js::new(env.raw());
    let input = read_book(js, &book)?;
    let before = input.ledger().clone();
    let (mut ledger, debits) = input.into_parts();
    let outcome = ledger
        .run(&debits)
        .map_err(|error| library_error(js, &ReadError::document(error)))?;
    let output = json::batch_output(&before, &ledger, &debits, &outcome);
    Ok(js::unknown(env, ser::to_js(js, &output)?))
}

/// The platform's reserve for negative connected balances, as the `book` command prints
/// it.
#[napi(js_name = "reserveBook")]
pub fn reserve_book<'env>(env: &'env Env, book: Unknown<'_>) -> Result<Unknown<'env>> {
    let js = Js::new(env.raw());
    let input = read_book(js, &book)?;
    let reserve = input
        .ledger()
        .book()
        .map_err(|error| library_error(js, &ReadError::document(error)))?;
    let ageing = input.ledger().ageing(input.at(), input.within_days());
    let output = json::book_output(&reserve, &ageing, input.within_days());
    Ok(js::unknown(env, ser::to_js(js, &output)?))
}

/// For `bench.js`: the seconds that `n` reads of the scenario `text` through the library's
/// JSON text reader, each planned, take in Rust. Not part of the API.
#[napi(js_name = "rustReadAndPlanSeconds")]
pub fn rust_read_and_plan_seconds(text: String, n: u32) -> Result<f64> {
    let start = std::time::Instant::now();
    for _ in 0..n {
        let input = json::read_scenario(core::hint::black_box(&text))
            .map_err(|err| Error::from_reason(err.to_string()))?;
        let _ = core::hint::black_box(stripe_account_debits::plan_debit(&input));
    }
    Ok(start.elapsed().as_secs_f64())
}
