//! The lifecycle's core without JSON (built and run without the `serde` feature too): an
//! attempt's sends and times, the options that bound its retries, and the backoff between
//! sends. (`lifecycle.rs` drives them through replies.)

use stripe_account_debits::lifecycle::{
    Attempt, AttemptError, DEFAULT_KEY_WINDOW_MARGIN_SECONDS, DEFAULT_MAX_SENDS, DelayWindow,
    KEY_WINDOW_SECONDS, ReplyOptions,
};
use stripe_account_debits::{AttemptNumber, Timestamp};

const T0: i64 = 1_764_000_000;

/// What the docs' examples show, asserted here too (the mutation tests run without doc
/// tests), with exact messages.
#[test]
fn attempts_and_their_options_behave_as_documented() {
    assert_eq!(AttemptNumber::new(0), None);
    assert_eq!(AttemptNumber::new(7).unwrap().to_string(), "7");
    assert_eq!(AttemptNumber::new(u32::MAX).unwrap().next(), None);
    assert_eq!(AttemptNumber::FIRST.next().unwrap().get(), 2);
    let at = Timestamp::from_unix(T0);
    let first = Attempt::first(AttemptNumber::FIRST, at);
    assert_eq!(
        (
            first.sends(),
            first.first_sent_at(),
            first.now(),
            first.number()
        ),
        (1, at, at, AttemptNumber::FIRST)
    );
    let later = Timestamp::from_unix(T0 + 5);
    let again = first.sent_again(later).unwrap();
    assert_eq!(
        (again.sends(), again.first_sent_at(), again.now()),
        (2, at, later)
    );
    assert_eq!(again.sent_again(at), None, "the clock went back");
    assert_eq!(again.sent_again(later).map(|a| a.sends()), Some(3));
    let full = Attempt::new(AttemptNumber::FIRST, u32::MAX, at, at).unwrap();
    assert_eq!(full.sent_again(at), None);
    assert_eq!(
        Attempt::new(AttemptNumber::FIRST, 0, at, at)
            .unwrap_err()
            .to_string(),
        "an attempt has at least one send"
    );
    assert_eq!(
        Attempt::new(AttemptNumber::FIRST, 1, later, at).unwrap_err(),
        AttemptError::NowBeforeFirstSend {
            first_sent_at: later,
            now: at
        }
    );
    assert!(Attempt::new(AttemptNumber::FIRST, 1, at, at).is_ok());
    let options = ReplyOptions::default()
        .with_max_sends(5)
        .with_key_window_margin(600);
    assert_eq!((options.max_sends(), options.key_window_margin()), (5, 600));
    assert_eq!(ReplyOptions::default().with_max_sends(0).max_sends(), 1);
    assert_eq!(
        ReplyOptions::default()
            .with_key_window_margin(u32::MAX)
            .key_window_margin(),
        KEY_WINDOW_SECONDS
    );
    assert_eq!(ReplyOptions::default().key_window_margin(), 3_600);
    assert_eq!(DEFAULT_MAX_SENDS, 3);
    assert_eq!(DEFAULT_KEY_WINDOW_MARGIN_SECONDS, 3_600);
}

#[test]
fn the_backoff_is_the_clients_window_after_each_send() {
    let expected = [
        (1, 500, 500),
        (2, 500, 1_000),
        (3, 1_000, 2_000),
        (4, 2_000, 4_000),
        (5, 2_500, 5_000),
        (6, 2_500, 5_000),
        (u32::MAX, 2_500, 5_000),
    ];
    for (sends, min, max) in expected {
        let delay = DelayWindow::after_send(sends, None);
        assert_eq!(
            (delay.min_ms(), delay.max_ms()),
            (min, max),
            "after send {sends}"
        );
    }
    // Retry-After raises the window, up to the cap of 60 s; a longer one is capped, never
    // ignored (a rate limiter that asks for more is not outlasted by the 5 s backoff).
    let raised = DelayWindow::after_send(2, Some(60));
    assert_eq!((raised.min_ms(), raised.max_ms()), (60_000, 60_000));
    let partly = DelayWindow::after_send(3, Some(1));
    assert_eq!((partly.min_ms(), partly.max_ms()), (1_000, 2_000));
    for long in [61, 3_600, u64::MAX] {
        for sends in [1, 2, 9, u32::MAX] {
            let capped = DelayWindow::after_send(sends, Some(long));
            assert_eq!(
                (capped.min_ms(), capped.max_ms()),
                (60_000, 60_000),
                "{long}"
            );
        }
    }
}
