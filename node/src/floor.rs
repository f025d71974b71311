//! For `bench.js`: the floor of reading a scenario from JavaScript, to set beside
//! `planDebit`. Not part of the API.

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::js::{self, Js, JsResult, Raw, Type};

/// One call that looks up, by constant name, each value the Stripe-managed rules read from
/// the demo's objects (21 values in 11 objects and 2 arrays, as Python's `_host_floor`;
/// what a scenario lacks is not read),
/// takes each string's UTF-8 text and each number's value, and returns how many it read:
/// no checks, no errors of its own, no planning, no result object. What any binding pays
/// through Node-API before it has done anything.
#[napi(js_name = "_hostFloor")]
pub fn host_floor(env: Env, scenario: Unknown<'_>) -> Result<u32> {
    let js = Js::new(env.raw());
    read(js, js::raw_of(&scenario)).map_err(js::to_napi)
}

fn read(js: Js, root: Raw) -> JsResult<u32> {
    let at = |parent: Option<Raw>, name: &core::ffi::CStr| -> JsResult<Option<Raw>> {
        let Some(parent) = parent else {
            return Ok(None);
        };
        let value = js.named(parent, name)?;
        Ok(matches!(js.type_of(value)?, Type::Object).then_some(value))
    };
    let first = |array: Option<Raw>| -> JsResult<Option<Raw>> {
        match array {
            Some(array) if js.is_array(array)? && js.array_len(array)? > 0 => {
                Ok(Some(js.element(array, 0)?))
            }
            _ => Ok(None),
        }
    };
    let root = Some(root);
    let platform = at(root, c"platform_account")?;
    let connected = at(root, c"connected_account")?;
    let controller = at(connected, c"controller")?;
    let losses = at(controller, c"losses")?;
    let bank = first(at(at(connected, c"external_accounts")?, c"data")?)?;
    let available = first(at(at(root, c"connected_balance")?, c"available")?)?;
    let consent = at(root, c"consent")?;
    let debit = at(root, c"debit")?;
    let reference = at(debit, c"reference_transaction")?;
    let mut text = String::new();
    let mut read = 0u32;
    let mut leaves = |object: Option<Raw>, names: &[&core::ffi::CStr]| -> JsResult<()> {
        let Some(object) = object else { return Ok(()) };
        for name in names {
            let value = js.named(object, name)?;
            match js.type_of(value)? {
                Type::String => js.string_into(value, &mut text)?,
                Type::Number => {
                    core::hint::black_box(js.number(value)?);
                }
                Type::Undefined => continue,
                _ => {}
            }
            read = read.saturating_add(1);
        }
        Ok(())
    };
    leaves(root, &[c"at"])?;
    leaves(platform, &[c"id", c"country"])?;
    leaves(
        connected,
        &[c"id", c"country", c"default_currency", c"type"],
    )?;
    leaves(controller, &[c"type"])?;
    leaves(losses, &[c"payments"])?;
    leaves(bank, &[c"object", c"status", c"currency"])?;
    leaves(available, &[c"amount", c"currency"])?;
    leaves(consent, &[c"granted_at", c"revoked_at"])?;
    leaves(debit, &[c"id", c"amount", c"currency"])?;
    leaves(reference, &[c"id", c"account"])?;
    core::hint::black_box(text.len());
    Ok(read)
}
