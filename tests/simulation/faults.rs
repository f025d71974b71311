//! The fault kinds, each run alone, and all of them mixed, with how often each fault
//! strikes (per mille of the chances it has).

use std::fmt;

/// One kind of fault (or none, or all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// No fault: the network and Stripe behave.
    Clean,
    /// A request never reaches Stripe.
    RequestLost,
    /// Stripe executes a request; its reply never arrives.
    ReplyLost,
    /// Execution takes longer than the client's 80 s timeout, and goes on.
    Slow,
    /// A saved 500 (nothing happened).
    Error500,
    /// A saved 500 whose effect lands later, within the settle bound.
    Error500Later,
    /// 429s, with and without `Retry-After`.
    RateLimited,
    /// The caller dies after saving, before the send.
    CrashBeforeSend,
    /// The caller dies after the send, before the reply is reported.
    CrashAfterSend,
    /// The caller dies while waiting.
    CrashWhileWaiting,
    /// The caller stalls past the key window (23 to 30 hours) before acting.
    Stall,
    /// Stalls with lost replies (double debits) and every fault while they are undone.
    StallMixed,
    /// The list and retrieve `GET`s fail (lost, 429, 5xx).
    ListFailing,
    /// Stripe refuses the debit, from attempt 1 or from attempt 2 on: a saved 400
    /// (`balance_insufficient`) or a validation failure (not saved); with saved 500s.
    Refused,
    /// All of the above together, each less often.
    Mixed,
}

impl FaultKind {
    /// Every kind, in the order of the table.
    pub const ALL: [FaultKind; 15] = [
        FaultKind::Clean,
        FaultKind::RequestLost,
        FaultKind::ReplyLost,
        FaultKind::Slow,
        FaultKind::Error500,
        FaultKind::Error500Later,
        FaultKind::RateLimited,
        FaultKind::CrashBeforeSend,
        FaultKind::CrashAfterSend,
        FaultKind::CrashWhileWaiting,
        FaultKind::Stall,
        FaultKind::StallMixed,
        FaultKind::ListFailing,
        FaultKind::Refused,
        FaultKind::Mixed,
    ];

    /// The kind of seed `seed`: the kinds in turn.
    pub fn of_seed(seed: u64) -> FaultKind {
        FaultKind::ALL[(seed % FaultKind::ALL.len() as u64) as usize]
    }

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Clean => "clean",
            FaultKind::RequestLost => "request_lost",
            FaultKind::ReplyLost => "reply_lost",
            FaultKind::Slow => "slow",
            FaultKind::Error500 => "error_500",
            FaultKind::Error500Later => "error_500_later",
            FaultKind::RateLimited => "rate_limited",
            FaultKind::CrashBeforeSend => "crash_before_send",
            FaultKind::CrashAfterSend => "crash_after_send",
            FaultKind::CrashWhileWaiting => "crash_while_waiting",
            FaultKind::Stall => "stall",
            FaultKind::StallMixed => "stall_mixed",
            FaultKind::ListFailing => "list_failing",
            FaultKind::Refused => "refused",
            FaultKind::Mixed => "mixed",
        }
    }

    /// How often each fault strikes under this kind.
    pub fn rates(self) -> Rates {
        let none = Rates::default();
        match self {
            FaultKind::Clean => none,
            FaultKind::RequestLost => Rates {
                request_lost: 400,
                ..none
            },
            FaultKind::ReplyLost => Rates {
                reply_lost: 400,
                ..none
            },
            FaultKind::Slow => Rates { slow: 400, ..none },
            FaultKind::Error500 => Rates {
                error_500: 400,
                ..none
            },
            FaultKind::Error500Later => Rates {
                error_500_later: 400,
                ..none
            },
            FaultKind::RateLimited => Rates {
                rate_limited: 500,
                ..none
            },
            FaultKind::CrashBeforeSend => Rates {
                crash_before_send: 300,
                ..none
            },
            FaultKind::CrashAfterSend => Rates {
                crash_after_send: 300,
                ..none
            },
            FaultKind::CrashWhileWaiting => Rates {
                crash_while_waiting: 300,
                // Without other faults there is rarely a wait to crash in.
                reply_lost: 300,
                ..none
            },
            FaultKind::Stall => Rates {
                stall: 250,
                // Lost replies make the resends that a stall can send after the key was
                // pruned: the double debits the machine must find and undo.
                reply_lost: 300,
                ..none
            },
            FaultKind::StallMixed => Rates {
                stall: 250,
                reply_lost: 300,
                request_lost: 100,
                slow: 100,
                error_500: 100,
                error_500_later: 100,
                rate_limited: 100,
                crash_before_send: 100,
                crash_after_send: 100,
                crash_while_waiting: 100,
                list_failing: 200,
                refused: 0,
            },
            FaultKind::ListFailing => Rates {
                list_failing: 500,
                // Without other faults there is rarely a search.
                error_500: 500,
                ..none
            },
            FaultKind::Refused => Rates {
                refused: 1000,
                // Half the refusals start at attempt 2: saved 500s (some landing later)
                // make the attempts 2.
                error_500: 300,
                error_500_later: 300,
                ..none
            },
            FaultKind::Mixed => Rates {
                request_lost: 80,
                reply_lost: 80,
                slow: 60,
                error_500: 50,
                error_500_later: 50,
                rate_limited: 80,
                crash_before_send: 40,
                crash_after_send: 40,
                crash_while_waiting: 40,
                stall: 20,
                list_failing: 100,
                refused: 40,
            },
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Per mille of the chances each fault has: of each request (lost, rate limited), of each
/// `POST` that executes (lost reply, slow, 500s), of each step (the caller's crashes and
/// stalls), of each `GET` (fails), of each debit (refused).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rates {
    pub request_lost: u32,
    pub reply_lost: u32,
    pub slow: u32,
    pub error_500: u32,
    pub error_500_later: u32,
    pub rate_limited: u32,
    pub crash_before_send: u32,
    pub crash_after_send: u32,
    pub crash_while_waiting: u32,
    pub stall: u32,
    pub list_failing: u32,
    pub refused: u32,
}
