//! Any bytes into the scenario reader and then `plan_debit`: never a panic; exactly one of
//! planned, rejected or invalid input; the output is JSON that parses back and says which;
//! and the text and its parsed `serde_json::Value` (the two doors) read the same, unless the
//! text gives a key twice (which a `Value` cannot hold): the same plan or rejection, or
//! both invalid input (which error is named first may differ, since a `Value` visits an
//! object's keys sorted, and the text in its own order).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use stripe_account_debits::{json, plan_debit};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (output, expected) = match json::read_scenario(text) {
        Err(error) => {
            assert!(!error.to_string().is_empty());
            (json::invalid_input(&error).to_string(), "invalid_input")
        }
        Ok(input) => {
            let result = plan_debit(&input);
            let expected = if result.is_ok() {
                "planned"
            } else {
                "rejected"
            };
            let output = json::outcome(&result);
            assert_eq!(output.kind().code(), expected);
            (output.to_string(), expected)
        }
    };
    let parsed: Value = serde_json::from_str(&output).expect("the output is JSON");
    assert_eq!(parsed["outcome"], expected, "{output}");

    if let Ok(value) = serde_json::from_str::<Value>(text) {
        let from_text = json::read_scenario(text);
        // A key given twice anywhere: the text's keys outnumber its `Value`'s, which keeps
        // the last (and the text's reader may name another error before the duplicate).
        let keys_in_text = serde_json::from_str::<KeyCount>(text).map_or(0, |c| c.0);
        let duplicate = keys_in_text != keys_in_value(&value);
        if !duplicate && text.len() <= json::DEFAULT_MAX_SCENARIO_BYTES {
            let from_value = json::scenario_from_value(&value);
            match (from_text, from_value) {
                (Ok(a), Ok(b)) => assert_eq!(
                    format!("{:?}", plan_debit(&a)),
                    format!("{:?}", plan_debit(&b)),
                    "{text}"
                ),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("text read {a:?}, its Value {b:?}: {text}"),
            }
        }
    }
});

/// How many object keys a JSON text holds, every one counted (duplicates too).
struct KeyCount(usize);

impl<'de> Deserialize<'de> for KeyCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyCount, D::Error> {
        deserializer.deserialize_any(KeyCountVisitor)
    }
}

struct KeyCountVisitor;

impl<'de> Visitor<'de> for KeyCountVisitor {
    type Value = KeyCount;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyCount, A::Error> {
        let mut count = 0;
        while let Some((_, value)) = map.next_entry::<IgnoredAny, KeyCount>()? {
            count += 1 + value.0;
        }
        Ok(KeyCount(count))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyCount, A::Error> {
        let mut count = 0;
        while let Some(value) = seq.next_element::<KeyCount>()? {
            count += value.0;
        }
        Ok(KeyCount(count))
    }

    fn visit_bool<E>(self, _: bool) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
    fn visit_i64<E>(self, _: i64) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
    fn visit_u64<E>(self, _: u64) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
    fn visit_f64<E>(self, _: f64) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
    fn visit_str<E>(self, _: &str) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
    fn visit_unit<E>(self) -> Result<KeyCount, E> {
        Ok(KeyCount(0))
    }
}

/// How many object keys a `Value` holds.
fn keys_in_value(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(|v| 1 + keys_in_value(v)).sum(),
        Value::Array(items) => items.iter().map(keys_in_value).sum(),
        _ => 0,
    }
}
