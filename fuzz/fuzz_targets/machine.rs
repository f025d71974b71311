//! Any sequence of times, replies (status, headers, body) and crashes into a
//! `DebitMachine`: never a panic; every saved state reads back to the same machine; a
//! request is never asked for past its own `act_by`; no send of a key after its window
//! (its first send + 24 h less the margin); once done or escalated, always the same answer.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use stripe_account_debits::demo;
use stripe_account_debits::lifecycle::{
    Action, DebitMachine, KEY_WINDOW_MS, MachineOptions, Millis, Reply,
};

const T0: i64 = 1_764_000_000_000;
const BODIES: [&str; 6] = [
    "",
    "{}",
    r#"{"object": "list", "data": [], "has_more": false}"#,
    r#"{"object": "list", "data": [], "has_more": true}"#,
    r#"{"error": {"type": "invalid_request_error"}}"#,
    r#"{"error": {"type": "idempotency_error"}}"#,
];

/// One poll and, for a request, its reply (or a crash instead of reporting one). Returns
/// whether to go on, and the key and time of a `POST` asked for.
fn step(
    u: &mut Unstructured<'_>,
    machine: &mut DebitMachine,
    now: &mut i64,
) -> Result<(bool, Option<(String, i64)>)> {
    *now = now.saturating_add(i64::from(u.int_in_range(0..=90_000_000u32)?));
    let at = Millis::from_unix_ms(*now);
    let Ok(action) = machine.poll(at) else {
        return Ok((false, None));
    };
    match action {
        Action::Send(request) | Action::List(request) => {
            assert!(request.act_by() >= at, "asked for after its own deadline");
            let sent = request
                .idempotency_key()
                .map(|key| (key.to_owned(), at.as_unix_ms()));
            let status: u16 = *u.choose(&[0, 200, 400, 402, 409, 429, 500, 503, 600])?;
            let replayed: bool = u.arbitrary()?;
            let body: &str = if u.arbitrary()? {
                u.choose(&BODIES)?
            } else {
                u.arbitrary()?
            };
            let headers: Vec<(&str, &str)> = if replayed {
                vec![("Idempotent-Replayed", "true")]
            } else {
                vec![("Retry-After", "7")]
            };
            let reply = (status != 0).then(|| Reply::new(status, &headers, body.as_bytes()));
            let later = now.saturating_add(i64::from(u.int_in_range(0..=100_000u32)?));
            *now = later;
            let crashed: bool = u.arbitrary()?;
            if !crashed {
                let _ = machine.on_reply(Millis::from_unix_ms(later), reply.as_ref());
            }
            Ok((true, sent))
        }
        Action::Wait { until, .. } => {
            *now = (*now).max(until.as_unix_ms());
            Ok((true, None))
        }
        _ => Ok((false, None)),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = demo::input() else { return };
    let Ok(mut machine) = DebitMachine::start(input.clone(), MachineOptions::default()) else {
        return;
    };
    let mut now = T0;
    let open = KEY_WINDOW_MS.saturating_sub(MachineOptions::default().key_window_margin_ms());
    let open = i64::try_from(open).unwrap_or(i64::MAX);
    let mut first_sends: HashMap<String, i64> = HashMap::new();
    for _ in 0..64 {
        let saved = machine.to_json();
        let resumed = DebitMachine::from_json(input.clone(), &saved);
        assert_eq!(
            resumed.as_ref().ok(),
            Some(&machine),
            "a saved state reads back whole"
        );
        let Ok((go_on, sent)) = step(&mut u, &mut machine, &mut now) else {
            break;
        };
        if let Some((key, at)) = sent {
            let first = *first_sends.entry(key.clone()).or_insert(at);
            assert!(
                at < first + open,
                "{key} sent at {at}, past its window from {first}"
            );
        }
        if !go_on {
            break;
        }
    }
    // Settled or escalated: the same answer, every time.
    if let (Ok(a), Ok(b)) = (
        machine.poll(Millis::from_unix_ms(now)),
        machine.poll(Millis::from_unix_ms(now)),
    ) {
        if matches!(a, Action::Done(_) | Action::Escalate(_)) {
            assert_eq!(a, b);
        }
    }
});
