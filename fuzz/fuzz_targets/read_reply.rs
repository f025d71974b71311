//! Any status, headers and body bytes into `read_reply`, for any attempt and options:
//! never a panic; a confirmation only for a body that reads as the planned transfer; a
//! retry only within the budget; a delay window within the clients' bounds.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use stripe_account_debits::lifecycle::{Attempt, Next, Reply, ReplyOptions, read_reply};
use stripe_account_debits::stripe::TransferRecord;
use stripe_account_debits::{AttemptNumber, Timestamp, demo, plan_debit};

/// What one run reads from the fuzzer's bytes; the body is whatever is left.
struct Input<'a> {
    reply: Option<(u16, Vec<(&'a str, &'a str)>)>,
    attempt: u32,
    sends: u32,
    first: i64,
    elapsed: u32,
    max_sends: u32,
    margin: u32,
    body: &'a [u8],
}

impl<'a> Input<'a> {
    fn read(u: &mut Unstructured<'a>) -> Result<Input<'a>> {
        let has_reply: bool = u.arbitrary()?;
        let status: u16 = u.arbitrary()?;
        let count = u.int_in_range(0..=6)?;
        let mut headers = Vec::new();
        for _ in 0..count {
            let known: u8 = u.arbitrary()?;
            let name: &str = match NAMES.get(usize::from(known)) {
                Some(name) => name,
                None => u.arbitrary()?,
            };
            headers.push((name, u.arbitrary()?));
        }
        Ok(Input {
            reply: has_reply.then_some((status, headers)),
            attempt: u.arbitrary()?,
            sends: u.int_in_range(0..=8)?,
            first: u.arbitrary()?,
            elapsed: u.arbitrary()?,
            max_sends: u.int_in_range(0..=8)?,
            margin: u.arbitrary()?,
            body: u.bytes(u.len())?,
        })
    }
}

const NAMES: [&str; 4] = [
    "Stripe-Should-Retry",
    "idempotent-replayed",
    "Retry-After",
    "REQUEST-ID",
];

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::read(&mut Unstructured::new(data)) else {
        return;
    };
    let Ok(plan) = plan_debit(&demo::input().expect("the demo reads")) else {
        return;
    };
    let number = AttemptNumber::new(input.attempt).unwrap_or(AttemptNumber::FIRST);
    let first = Timestamp::from_unix(input.first);
    let now = Timestamp::from_unix(input.first.saturating_add(i64::from(input.elapsed)));
    let Ok(attempt) = Attempt::new(number, input.sends, first, now) else {
        return;
    };
    let options = ReplyOptions::default()
        .with_max_sends(input.max_sends)
        .with_key_window_margin(input.margin);
    let mut headers = Vec::new();
    let reply = input.reply.map(|(status, pairs)| {
        headers = pairs;
        status
    });
    let reply = reply.map(|status| Reply::new(status, &headers, input.body));
    let next = read_reply(&plan, &attempt, reply.as_ref(), &options);
    match &next {
        Next::Confirmed { transfer, .. } => {
            let status = reply.map(|r| r.status()).unwrap_or(0);
            assert!((200..300).contains(&status));
            let record = TransferRecord::from_json(input.body).expect("a confirmed body reads");
            assert_eq!(record.id(), *transfer);
            assert_eq!(record.amount(), plan.transfer().amount());
            assert_eq!(record.destination(), Some(plan.transfer().destination()));
            assert_eq!(record.debit_id(), Some(plan.debit_id()));
        }
        Next::Retry {
            delay,
            attempt: again,
            ..
        } => {
            assert!(attempt.sends() < options.max_sends());
            assert_eq!(*again, number);
            // What is not an HTTP status is never a retry.
            assert!(reply.is_none_or(|r| (100..=599).contains(&r.status())));
            assert!(
                500 <= delay.min_ms()
                    && delay.min_ms() <= delay.max_ms()
                    && delay.max_ms() <= 60_000
            );
        }
        _ => {}
    }
    assert!(!next.code().is_empty());
});
