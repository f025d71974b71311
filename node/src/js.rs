//! The few Node-API calls this binding makes itself, each wrapped once: the reader
//! (`de.rs`) and the writer (`ser.rs`) walk JavaScript values with them, and every other
//! module stays free of `unsafe`.
//!
//! Every call takes the `napi_env` of the call in progress (napi-rs hands it to each
//! exported function and method), and values created or read live in that call's handle
//! scope: none of them is kept past the call.

#![allow(
    unsafe_code,
    reason = "the Node-API's C functions, each called with the env of the call in progress"
)]

use core::ffi::c_char;
use core::ptr;

use napi::sys;

/// A value of the call in progress.
pub(crate) type Raw = sys::napi_value;

/// Why a call failed: a JavaScript exception is pending (a getter, `toJSON` or a proxy
/// threw: it must reach the caller unchanged), or the runtime refused the call (its
/// status, for a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Thrown,
    Status(sys::napi_status),
}

pub(crate) type JsResult<T> = Result<T, Fault>;

/// The JavaScript type of a value, as `typeof` tells it (with `null` apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    External,
    BigInt,
}

/// The environment of the call in progress.
#[derive(Clone, Copy)]
pub(crate) struct Js(sys::napi_env);

/// The size of the buffer a string is first read into; a longer one is read again whole.
const STRING_BUFFER: usize = 256;

impl Js {
    pub(crate) fn new(env: sys::napi_env) -> Js {
        Js(env)
    }

    /// `Ok` for `napi_ok`, else the fault: `Thrown` when an exception is pending.
    fn check(self, status: sys::napi_status) -> JsResult<()> {
        if status == sys::Status::napi_ok {
            return Ok(());
        }
        let mut pending = false;
        // SAFETY: the env of the call in progress; `pending` is a valid place to write.
        let asked = unsafe { sys::napi_is_exception_pending(self.0, &mut pending) };
        if asked == sys::Status::napi_ok && pending {
            Err(Fault::Thrown)
        } else {
            Err(Fault::Status(status))
        }
    }

    pub(crate) fn type_of(self, value: Raw) -> JsResult<Type> {
        let mut kind = 0;
        // SAFETY: `value` is a value of this call; `kind` is a valid place to write.
        self.check(unsafe { sys::napi_typeof(self.0, value, &mut kind) })?;
        Ok(match kind {
            sys::ValueType::napi_undefined => Type::Undefined,
            sys::ValueType::napi_null => Type::Null,
            sys::ValueType::napi_boolean => Type::Boolean,
            sys::ValueType::napi_number => Type::Number,
            sys::ValueType::napi_string => Type::String,
            sys::ValueType::napi_symbol => Type::Symbol,
            sys::ValueType::napi_function => Type::Function,
            sys::ValueType::napi_external => Type::External,
            sys::ValueType::napi_bigint => Type::BigInt,
            _ => Type::Object,
        })
    }

    pub(crate) fn bool(self, value: Raw) -> JsResult<bool> {
        let mut out = false;
        // SAFETY: a boolean of this call (its type was asked); `out` is valid to write.
        self.check(unsafe { sys::napi_get_value_bool(self.0, value, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn number(self, value: Raw) -> JsResult<f64> {
        let mut out = 0.0;
        // SAFETY: a number of this call (its type was asked); `out` is valid to write.
        self.check(unsafe { sys::napi_get_value_double(self.0, value, &mut out) })?;
        Ok(out)
    }

    /// A `bigint` as `i128` when it fits, else `None` (its sign kept in the `bool`: true
    /// for a negative one).
    pub(crate) fn bigint(self, value: Raw) -> JsResult<Result<i128, bool>> {
        let (mut sign, mut count) = (0, 0usize);
        // SAFETY: a bigint of this call; with a null `sign_bit` and `words`, only the count
        // is written.
        self.check(unsafe {
            sys::napi_get_value_bigint_words(
                self.0,
                value,
                ptr::null_mut(),
                &mut count,
                ptr::null_mut(),
            )
        })?;
        let mut words = [0u64; 2];
        if count > words.len() {
            return Ok(Err(sign != 0));
        }
        let mut len = words.len();
        // SAFETY: `words` has room for `len` words, which is at least the count asked.
        self.check(unsafe {
            sys::napi_get_value_bigint_words(self.0, value, &mut sign, &mut len, words.as_mut_ptr())
        })?;
        let [low, high] = words;
        let magnitude = u128::from(low) | (u128::from(high) << 64);
        let Ok(magnitude) = i128::try_from(magnitude) else {
            return Ok(Err(sign != 0));
        };
        // `magnitude` is at most `i128::MAX`: its negation is in range.
        Ok(Ok(if sign != 0 {
            magnitude.saturating_neg()
        } else {
            magnitude
        }))
    }

    /// A string's text, as UTF-8 (a lone surrogate as U+FFFD), into `out` (cleared first).
    pub(crate) fn string_into(self, value: Raw, out: &mut String) -> JsResult<()> {
        out.clear();
        let mut buf = [0u8; STRING_BUFFER];
        let mut len = 0usize;
        // SAFETY: a string of this call; `buf` has room for `buf.len()` bytes, the
        // terminating NUL included, and `len` is valid to write.
        self.check(unsafe {
            sys::napi_get_value_string_utf8(
                self.0,
                value,
                buf.as_mut_ptr().cast::<c_char>(),
                buf.len(),
                &mut len,
            )
        })?;
        if len.saturating_add(1) < buf.len() {
            out.push_str(&String::from_utf8_lossy(buf.get(..len).unwrap_or_default()));
            return Ok(());
        }
        // Possibly cut short: ask its length, then read it whole.
        // SAFETY: with a null buffer, only the length (without the NUL) is written.
        self.check(unsafe {
            sys::napi_get_value_string_utf8(self.0, value, ptr::null_mut(), 0, &mut len)
        })?;
        let mut whole = vec![0u8; len.saturating_add(1)];
        // SAFETY: `whole` has room for `len` bytes and the NUL.
        self.check(unsafe {
            sys::napi_get_value_string_utf8(
                self.0,
                value,
                whole.as_mut_ptr().cast::<c_char>(),
                whole.len(),
                &mut len,
            )
        })?;
        whole.truncate(len);
        out.push_str(&String::from_utf8_lossy(&whole));
        Ok(())
    }

    pub(crate) fn is_array(self, value: Raw) -> JsResult<bool> {
        let mut out = false;
        // SAFETY: a value of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_is_array(self.0, value, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn array_len(self, value: Raw) -> JsResult<u32> {
        let mut out = 0;
        // SAFETY: an array of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_get_array_length(self.0, value, &mut out) })?;
        Ok(out)
    }

    /// `value[index]` (running a getter or a proxy's trap, which may throw).
    pub(crate) fn element(self, value: Raw, index: u32) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: an object of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_get_element(self.0, value, index, &mut out) })?;
        Ok(out)
    }

    /// `value[key]` (running a getter or a proxy's trap, which may throw).
    pub(crate) fn property(self, value: Raw, key: Raw) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: an object and a key of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_get_property(self.0, value, key, &mut out) })?;
        Ok(out)
    }

    /// `value[name]`, `name` a NUL-terminated constant.
    pub(crate) fn named(self, value: Raw, name: &core::ffi::CStr) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: an object of this call and a NUL-terminated name; `out` is valid.
        self.check(unsafe {
            sys::napi_get_named_property(self.0, value, name.as_ptr(), &mut out)
        })?;
        Ok(out)
    }

    /// `Object.keys(value)`: its own enumerable string keys, in their order, as an array.
    pub(crate) fn own_keys(self, value: Raw) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: an object of this call; `out` is valid to write.
        self.check(unsafe {
            sys::napi_get_all_property_names(
                self.0,
                value,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut out,
            )
        })?;
        Ok(out)
    }

    /// `function.call(this, ...args)`.
    pub(crate) fn call(self, this: Raw, function: Raw, args: &[Raw]) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: values of this call; `args` holds `args.len()` of them.
        self.check(unsafe {
            sys::napi_call_function(self.0, this, function, args.len(), args.as_ptr(), &mut out)
        })?;
        Ok(out)
    }

    /// The bytes of a `Uint8Array` (a `Buffer`), copied; `None` for any other value.
    pub(crate) fn bytes(self, value: Raw) -> JsResult<Option<Vec<u8>>> {
        let mut typed = false;
        // SAFETY: a value of this call; `typed` is valid to write.
        self.check(unsafe { sys::napi_is_typedarray(self.0, value, &mut typed) })?;
        if !typed {
            return Ok(None);
        }
        let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut());
        let (mut buffer, mut offset) = (ptr::null_mut(), 0usize);
        // SAFETY: a typed array of this call; every out-parameter is valid to write.
        self.check(unsafe {
            sys::napi_get_typedarray_info(
                self.0,
                value,
                &mut kind,
                &mut len,
                &mut data,
                &mut buffer,
                &mut offset,
            )
        })?;
        if kind != sys::TypedarrayType::uint8_array || (data.is_null() && len > 0) {
            return Ok(None);
        }
        if len == 0 {
            return Ok(Some(Vec::new()));
        }
        // SAFETY: a Uint8Array's `len` bytes at `data`, which the array keeps alive for
        // the rest of this call; copied at once.
        let bytes = unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len) };
        Ok(Some(bytes.to_vec()))
    }

    // Creating values.

    pub(crate) fn null(self) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: the env of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_get_null(self.0, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn boolean(self, value: bool) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: as `null`.
        self.check(unsafe { sys::napi_get_boolean(self.0, value, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn double(self, value: f64) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: as `null`.
        self.check(unsafe { sys::napi_create_double(self.0, value, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn string(self, text: &str) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        let len = isize::try_from(text.len())
            .map_err(|_| Fault::Status(sys::Status::napi_invalid_arg))?;
        // SAFETY: `len` bytes of UTF-8 at `text`; `out` is valid to write.
        self.check(unsafe {
            sys::napi_create_string_utf8(self.0, text.as_ptr().cast::<c_char>(), len, &mut out)
        })?;
        Ok(out)
    }

    pub(crate) fn object(self) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: as `null`.
        self.check(unsafe { sys::napi_create_object(self.0, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn array(self, len: usize) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: as `null`.
        self.check(unsafe { sys::napi_create_array_with_length(self.0, len, &mut out) })?;
        Ok(out)
    }

    pub(crate) fn set(self, object: Raw, key: Raw, value: Raw) -> JsResult<()> {
        // SAFETY: an object, a key and a value of this call.
        self.check(unsafe { sys::napi_set_property(self.0, object, key, value) })
    }

    pub(crate) fn set_named(self, object: Raw, name: &core::ffi::CStr, value: Raw) -> JsResult<()> {
        // SAFETY: an object and a value of this call, and a NUL-terminated name.
        self.check(unsafe { sys::napi_set_named_property(self.0, object, name.as_ptr(), value) })
    }

    pub(crate) fn set_element(self, array: Raw, index: u32, value: Raw) -> JsResult<()> {
        // SAFETY: an array and a value of this call.
        self.check(unsafe { sys::napi_set_element(self.0, array, index, value) })
    }

    /// `new class(...args)`.
    pub(crate) fn construct(self, class: Raw, args: &[Raw]) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: values of this call; `args` holds `args.len()` of them.
        self.check(unsafe {
            sys::napi_new_instance(self.0, class, args.len(), args.as_ptr(), &mut out)
        })?;
        Ok(out)
    }

    /// Throws `error` (left pending for napi-rs, which passes a pending exception on).
    pub(crate) fn throw(self, error: Raw) -> Fault {
        // SAFETY: a value of this call.
        match self.check(unsafe { sys::napi_throw(self.0, error) }) {
            Ok(()) => Fault::Thrown,
            Err(fault) => fault,
        }
    }
}

impl Js {
    /// A strong reference to `value`, kept for the life of the environment.
    pub(crate) fn reference(self, value: Raw) -> JsResult<sys::napi_ref> {
        let mut out = ptr::null_mut();
        // SAFETY: a value of this call; `out` is valid to write.
        self.check(unsafe { sys::napi_create_reference(self.0, value, 1, &mut out) })?;
        Ok(out)
    }

    /// The value `reference` holds.
    pub(crate) fn dereference(self, reference: sys::napi_ref) -> JsResult<Raw> {
        let mut out = ptr::null_mut();
        // SAFETY: a reference made in this environment (this thread's), never deleted.
        self.check(unsafe { sys::napi_get_reference_value(self.0, reference, &mut out) })?;
        if out.is_null() {
            return Err(Fault::Status(sys::Status::napi_generic_failure));
        }
        Ok(out)
    }
}

/// The value napi-rs handed over.
pub(crate) fn raw_of(value: &napi::Unknown<'_>) -> Raw {
    use napi::JsValue;
    value.value().value
}

/// A value of this call, for napi-rs to return.
pub(crate) fn unknown(env: &napi::Env, raw: Raw) -> napi::Unknown<'_> {
    // SAFETY: a value created or read in the call in progress, in `env`.
    unsafe { napi::Unknown::from_raw_unchecked(env.raw(), raw) }
}

/// A fault as napi-rs's error: a pending exception stays as it is (napi-rs throws nothing
/// of its own over it); a refused call becomes an `Error` naming its status.
pub(crate) fn to_napi(fault: Fault) -> napi::Error {
    match fault {
        Fault::Thrown => {
            napi::Error::new(napi::Status::PendingException, "an exception is pending")
        }
        Fault::Status(status) => napi::Error::new(
            napi::Status::from(status),
            format!("a Node-API call failed with status {status}"),
        ),
    }
}
