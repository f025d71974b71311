//! Reading Stripe's reply to a debit's request, and deciding what to do next.
//!
//! Sources, cited where each is used: stripe-python `_should_retry` and
//! `_sleep_time_seconds` (`stripe/_http_client.py`, commit 6c6e373, 2026-07-24),
//! stripe-node `_shouldRetry` and `_getSleepTimeInMS` (`src/RequestSender.ts`, commit
//! 6639421, 2026-08-19); Stripe's API reference, "Idempotent requests" and "Errors";
//! Stripe's guide "Rate limits"; RFC 9110, sections 10.2.3 and 15. "Both clients" below
//! means stripe-python and stripe-node. stripe-go (`shouldRetry` in `stripe.go`, commit
//! a1e3932, 2026-08-06) decides otherwise for a reply with a Stripe error body: its
//! `retrier` check comes first and retries only a 429 `lock_timeout`, so it does not retry a
//! 409 or a 5xx that carries an error object, whatever `Stripe-Should-Retry` says; it
//! retries them only without one.

pub(crate) mod headers;

use crate::debit::plan::{DebitPlan, Method};
use crate::lifecycle::attempt::{Attempt, DelayWindow, ReplyOptions};
use crate::reader::{self, Field, Path};
use crate::request::AttemptNumber;
use crate::stripe::error::StripeError;
use crate::stripe::id::{ObjectKind, TransactionId};
use crate::stripe::transfer::{TransferBody, TransferDoc, transfer_id};
use crate::value::currency::WireCode;
use crate::value::text::quoted;
use headers::Known;

/// The HTTP statuses: "All valid status codes are within the range of 100 to 599,
/// inclusive" (RFC 9110, section 15).
const HTTP_STATUSES: core::ops::RangeInclusive<u16> = 100..=599;

/// What came back from one send: the status, the headers (names in any case) and the body
/// bytes. No reply at all (a connection error, a timeout) is `None` where a reply is taken.
///
/// # Example
///
/// ```
/// use stripe_account_debits::lifecycle::Reply;
///
/// let headers = [("Stripe-Should-Retry", "true")];
/// let reply = Reply::new(503, &headers, b"");
/// assert_eq!(reply.status(), 503);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    status: u16,
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
}

impl<'a> Reply<'a> {
    /// A reply with `status`, `headers` and `body`.
    pub fn new(status: u16, headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> Reply<'a> {
        Reply {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The value of header `name`, whatever its case; `None` when it is absent, and when
    /// it is given twice with different values (which one Stripe sent cannot be known).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        headers::find(self.headers, name)
    }

    /// The body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// `Request-Id`, owned.
    pub(crate) fn request_id(&self) -> Option<String> {
        self.header(headers::REQUEST_ID).map(str::to_owned)
    }

    /// `Retry-After`, in whole seconds, when it is digits.
    pub(crate) fn retry_after(&self) -> Option<u64> {
        headers::retry_after(self.header(headers::RETRY_AFTER))
    }
}

/// A reply's body as the decision reads it: its bytes, as an HTTP client hands them over,
/// or a body a command's input has already read (JSON within the JSON). Either way it is
/// read by the crate's one reader, and only as far as the decision needs it: as a Transfer
/// for a 2xx, as Stripe's error object for a 4xx.
pub(crate) trait Body {
    /// Runs `decide` on the Transfer the body holds, or on `None` when it does not hold
    /// one that can be read.
    fn with_transfer<R>(&self, decide: impl FnOnce(Option<&TransferBody<'_>>) -> R) -> R;

    /// Stripe's error object in the body, or an empty one.
    fn stripe_error(&self) -> StripeError;
}

impl Body for [u8] {
    fn with_transfer<R>(&self, decide: impl FnOnce(Option<&TransferBody<'_>>) -> R) -> R {
        let doc = reader::read_slice::<Field<TransferDoc<'_>>>(self);
        let body = match &doc {
            Ok(Field::Got(doc)) => TransferBody::of(doc, &Path::Root).ok(),
            _ => None,
        };
        decide(body.as_ref())
    }

    fn stripe_error(&self) -> StripeError {
        StripeError::from_body(self)
    }
}

/// The field of a returned Transfer that is not the planned one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MismatchField {
    /// `object` is not `"transfer"`.
    Object,
    /// `id` is not a transfer id.
    Id,
    /// `amount` is not the planned wire amount.
    Amount,
    /// `currency` is not the planned currency.
    Currency,
    /// `destination` is not the platform.
    Destination,
    /// `metadata[account_debit_id]` is not the plan's debit id.
    DebitId,
    /// `destination_payment` is not a Payment id.
    DestinationPayment,
    /// On a charge's reply, `source_transfer` is not a Transfer id.
    SourceTransfer,
}

impl MismatchField {
    /// The field as the Transfer names it.
    pub const fn name(self) -> &'static str {
        match self {
            MismatchField::Object => "object",
            MismatchField::Id => "id",
            MismatchField::Amount => "amount",
            MismatchField::Currency => "currency",
            MismatchField::Destination => "destination",
            MismatchField::DebitId => "metadata[account_debit_id]",
            MismatchField::DestinationPayment => "destination_payment",
            MismatchField::SourceTransfer => "source_transfer",
        }
    }
}

/// Why a resend is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryReason {
    /// No reply (connection error or timeout): both clients retry.
    NoReply,
    /// `Stripe-Should-Retry: true`.
    StripeShouldRetry,
    /// A 409 (`idempotency_key_in_use`, a concurrent send with the same key): both clients
    /// retry (stripe-go not, when the 409 carries Stripe's error body), and Stripe does not
    /// save it under the key.
    Conflict,
    /// A 429: retried (a deviation from stripe-python and stripe-node, which retry it only
    /// with `Stripe-Should-Retry: true`), following Stripe's "Rate limits" guide, which
    /// recommends retrying with exponential backoff; Stripe does not save it under the key.
    RateLimited,
    /// A 5xx that is not a replay: both clients retry (stripe-go not, when it carries
    /// Stripe's error body); the resend either replays the saved result or runs the request
    /// (Stripe says to treat a 500 as indeterminate).
    ServerError,
    /// A 2xx whose body is not a readable Transfer: the resend replays the saved result.
    UnreadableBody,
}

impl RetryReason {
    /// The stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            RetryReason::NoReply => "no_reply",
            RetryReason::StripeShouldRetry => "stripe_should_retry",
            RetryReason::Conflict => "conflict",
            RetryReason::RateLimited => "rate_limited",
            RetryReason::ServerError => "server_error",
            RetryReason::UnreadableBody => "unreadable_body",
        }
    }
}

/// Why nothing more should be sent until the debit is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InDoubtReason {
    /// A resend would be in order, but the attempt has had all its sends.
    BudgetSpent,
    /// A resend would be in order, but it could land after the key window (24 hours from
    /// the first send, less the margin), when Stripe may have forgotten the key.
    KeyWindowClosing,
    /// A 5xx with `Idempotent-Replayed: true`: Stripe saved a 500 under the key, so every
    /// resend replays it, and Stripe says to treat a 500 as indeterminate.
    ReplayedServerError,
    /// A 5xx with `Stripe-Should-Retry: false`.
    StripeSaysDoNotRetry,
    /// An HTTP status outside 2xx, 4xx and 5xx (a 1xx or 3xx), which Stripe's API does not
    /// send.
    UnexpectedStatus,
    /// A number outside 100..=599, which is not an HTTP status at all (RFC 9110, section
    /// 15: "Values outside the range 100..599 are invalid"): it came from the caller's HTTP
    /// layer, not from Stripe, so whether the request reached Stripe is unknown. Never
    /// retried, whatever the headers say. (RFC 9110 has a client treat it as a 5xx, which
    /// would resend; we stop and look instead.)
    NotAnHttpStatus,
    /// A header the decision reads (`Stripe-Should-Retry`, `Idempotent-Replayed`,
    /// `Request-Id`, `Retry-After`) given twice, in any case, with different values: which
    /// one Stripe sent cannot be known, so the reply is unreadable. It is never a success
    /// (the body is not judged) nor a retry or a failure that would guess which value
    /// counts.
    AmbiguousHeader,
}

impl InDoubtReason {
    /// The stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            InDoubtReason::BudgetSpent => "budget_spent",
            InDoubtReason::KeyWindowClosing => "key_window_closing",
            InDoubtReason::ReplayedServerError => "replayed_server_error",
            InDoubtReason::StripeSaysDoNotRetry => "stripe_says_do_not_retry",
            InDoubtReason::UnexpectedStatus => "unexpected_status",
            InDoubtReason::NotAnHttpStatus => "not_an_http_status",
            InDoubtReason::AmbiguousHeader => "ambiguous_header",
        }
    }
}

/// A 4xx: Stripe refused the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Failure {
    status: u16,
    error: StripeError,
    request_id: Option<String>,
    idempotency_error: bool,
}

impl Failure {
    /// A failure as Stripe reported it: the `idempotency_error` flag follows from the
    /// error's `type`.
    pub(crate) fn new(status: u16, error: StripeError, request_id: Option<String>) -> Failure {
        let idempotency_error = error.is_idempotency_error();
        Failure {
            status,
            error,
            request_id,
            idempotency_error,
        }
    }

    /// The HTTP status (a 4xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Stripe's error object.
    pub fn error(&self) -> &StripeError {
        &self.error
    }

    /// The `Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the error is an `idempotency_error`: this debit id (and attempt) was used
    /// before for a different debit. Another attempt would debit under a reused id: fix
    /// the id.
    pub fn idempotency_error(&self) -> bool {
        self.idempotency_error
    }

    /// Whether a new attempt (a new key, [`AttemptNumber::next`]) could succeed once what
    /// the error names is put right: true but for an `idempotency_error`.
    pub fn new_attempt_may_succeed(&self) -> bool {
        !self.idempotency_error
    }
}

/// What a [`Next`] says (and the JSON output's `next` field, and the command line's exit
/// status).
/// Exhaustive on purpose: a new kind is a compile error wherever kinds are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReplyKind {
    /// The debit is done.
    Confirmed,
    /// Stripe returned another transfer than the planned one: stop and look.
    Mismatch,
    /// Resend the same request after the delay.
    Retry,
    /// Stripe refused the request.
    Failed,
    /// Send nothing more: look for the debit's transfer first.
    InDoubt,
}

impl ReplyKind {
    /// `"confirmed"`, `"mismatch"`, `"retry"`, `"failed"` or `"in_doubt"`.
    pub const fn code(self) -> &'static str {
        match self {
            ReplyKind::Confirmed => "confirmed",
            ReplyKind::Mismatch => "mismatch",
            ReplyKind::Retry => "retry",
            ReplyKind::Failed => "failed",
            ReplyKind::InDoubt => "in_doubt",
        }
    }
}

/// What to do after a reply (or none): the crate decides, the caller acts.
///
/// | next | when |
/// | --- | --- |
/// | `Confirmed` | a 2xx whose body is the planned Transfer |
/// | `Mismatch` | a 2xx Transfer that is not the planned one: never a success |
/// | `Retry` | no reply; `Stripe-Should-Retry: true`; a 409; a 429; a 5xx not replayed; a 2xx with an unreadable body; each within the budget and the key window |
/// | `Failed` | a 4xx (but 409 and 429), or any 4xx with `Stripe-Should-Retry: false` |
/// | `InDoubt` | a resend would be in order but the budget or the key window forbids it; a replayed 5xx; a 5xx with `Stripe-Should-Retry: false`; a 1xx or 3xx; a number outside 100..=599, which is not an HTTP status; a header the decision reads given twice with different values |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Next {
    /// The debit is done: Stripe returned the planned Transfer.
    #[non_exhaustive]
    Confirmed {
        /// The Transfer on the connected account (`tr_...`).
        transfer: TransactionId,
        /// The Payment on the platform (`py_...`).
        payment: TransactionId,
        /// Whether the reply was a replay of an earlier send's result.
        replayed: bool,
    },
    /// Stripe returned a Transfer that is not the planned one: stop and look.
    #[non_exhaustive]
    Mismatch {
        /// The first field that differs.
        field: MismatchField,
        /// What was planned.
        planned: String,
        /// What came back, quoted escaped and cut short.
        returned: String,
    },
    /// Resend the same request (same attempt, so the same key and body) after waiting a
    /// point of `delay`.
    #[non_exhaustive]
    Retry {
        /// The attempt to resend: its key is [`DebitPlan::idempotency_key_for`] of it.
        attempt: AttemptNumber,
        /// How long to wait first.
        delay: DelayWindow,
        /// Why.
        reason: RetryReason,
    },
    /// Stripe refused the request.
    Failed(Box<Failure>),
    /// Nothing more is safe or useful to send: look for the debit's transfer on the
    /// connected account by its `metadata[account_debit_id]` ([`find_debit`](crate::lifecycle::find_debit)) before anything else.
    #[non_exhaustive]
    InDoubt {
        /// Why.
        reason: InDoubtReason,
        /// The status of the last reply, if there was one.
        status: Option<u16>,
        /// Its `Request-Id`.
        request_id: Option<String>,
    },
}

impl Next {
    /// What it says.
    pub const fn kind(&self) -> ReplyKind {
        match self {
            Next::Confirmed { .. } => ReplyKind::Confirmed,
            Next::Mismatch { .. } => ReplyKind::Mismatch,
            Next::Retry { .. } => ReplyKind::Retry,
            Next::Failed(_) => ReplyKind::Failed,
            Next::InDoubt { .. } => ReplyKind::InDoubt,
        }
    }

    /// The stable code of what it says: `"confirmed"`, `"mismatch"`, `"retry"`, `"failed"`
    /// or `"in_doubt"`.
    pub const fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// Whether the caller sends again (only after `Retry`).
    pub const fn sends_again(&self) -> bool {
        matches!(self, Next::Retry { .. })
    }
}

/// Decides what to do after the last send of `attempt` of `plan` came back as `reply`
/// (`None`: no reply at all).
///
/// Pure and total: any status, headers and body bytes give a decision, never a panic. A
/// reply without a body is decided without allocating, and so is one whose body is the
/// planned Transfer. The body is read by the crate's one reader, as a Transfer for a 2xx
/// and as Stripe's error object for a 4xx: a body it cannot read (not JSON, not an object,
/// a key given twice, a field of the wrong type) is never a success.
///
/// A header the decision reads (`Stripe-Should-Retry`, `Idempotent-Replayed`, `Request-Id`,
/// `Retry-After`) given twice, in any case, with different values makes the reply
/// unreadable: [`Next::InDoubt`] with [`InDoubtReason::AmbiguousHeader`], whatever the
/// status and the body, since which value Stripe sent cannot be known.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit, AttemptNumber, Timestamp};
/// use stripe_account_debits::lifecycle::{read_reply, Attempt, Next, Reply, ReplyOptions};
///
/// let plan = plan_debit(&demo::input()?)?;
/// let at = Timestamp::from_unix(1_764_000_000);
/// let attempt = Attempt::first(AttemptNumber::FIRST, at);
/// let options = ReplyOptions::default();
/// // A timeout: resend the same request after 0.5 s.
/// let next = read_reply(&plan, &attempt, None, &options);
/// assert!(matches!(next, Next::Retry { delay, .. } if delay.min_ms() == 500));
/// // A 400: failed, with Stripe's error.
/// let body = br#"{"error": {"type": "invalid_request_error", "message": "No such destination"}}"#;
/// let next = read_reply(&plan, &attempt, Some(&Reply::new(400, &[("Request-Id", "req_1")], body)), &options);
/// assert!(matches!(&next, Next::Failed(failure) if failure.request_id() == Some("req_1")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_reply(
    plan: &DebitPlan,
    attempt: &Attempt,
    reply: Option<&Reply<'_>>,
    options: &ReplyOptions,
) -> Next {
    decide(
        plan,
        attempt,
        reply.map(|reply| (reply, reply.body)),
        options,
    )
}

/// [`read_reply`] with the reply's body given apart from it (a command's input, whose body
/// is already read).
#[inline]
pub(crate) fn decide<B: Body + ?Sized>(
    plan: &DebitPlan,
    attempt: &Attempt,
    reply: Option<(&Reply<'_>, &B)>,
    options: &ReplyOptions,
) -> Next {
    let Some((reply, body)) = reply else {
        // A connection error or timeout: both clients retry (stripe-python
        // `_should_retry`: `if response is None: return api_connection_error.should_retry`).
        return retry(RetryReason::NoReply, attempt, options, None);
    };
    let status = reply.status;
    // Not an HTTP status (RFC 9110, section 15): before anything the reply says, since none
    // of it came from Stripe for certain.
    if !HTTP_STATUSES.contains(&status) {
        return in_doubt(InDoubtReason::NotAnHttpStatus, Some(reply));
    }
    let Ok(known) = headers::known(reply.headers) else {
        return in_doubt(InDoubtReason::AmbiguousHeader, Some(reply));
    };
    let sent = Sent { reply, known };
    if (200..300).contains(&status) {
        return body.with_transfer(|transfer| match transfer {
            Some(transfer) => compare(plan, transfer, sent.replayed()),
            // A resend with the same key replays the saved result, which may read this time.
            None => retry(RetryReason::UnreadableBody, attempt, options, Some(&sent)),
        });
    }
    // A replayed 5xx is the saved result: a resend replays it again ("Idempotent
    // requests"), and Stripe says to treat a 500 as indeterminate ("Errors").
    if status >= 500 && sent.replayed() {
        return in_doubt(InDoubtReason::ReplayedServerError, Some(reply));
    }
    // The header decides when present (both clients check it before the status).
    match headers::flag(known.should_retry) {
        Some(true) => {
            return retry(
                RetryReason::StripeShouldRetry,
                attempt,
                options,
                Some(&sent),
            );
        }
        Some(false) if status >= 500 => {
            return in_doubt(InDoubtReason::StripeSaysDoNotRetry, Some(reply));
        }
        Some(false) => return fail_or_doubt(&sent, body),
        None => {}
    }
    match status {
        // Both clients retry 409 and every 5xx (stripe-go only without an error body).
        409 => retry(RetryReason::Conflict, attempt, options, Some(&sent)),
        // Deviation: see `RetryReason::RateLimited`.
        429 => retry(RetryReason::RateLimited, attempt, options, Some(&sent)),
        500..=599 => retry(RetryReason::ServerError, attempt, options, Some(&sent)),
        _ => fail_or_doubt(&sent, body),
    }
}

/// A reply, with the headers the decision reads found once.
struct Sent<'r, 'a> {
    reply: &'r Reply<'a>,
    known: Known<'a>,
}

impl Sent<'_, '_> {
    /// `Idempotent-Replayed: true`.
    fn replayed(&self) -> bool {
        headers::flag(self.known.replayed) == Some(true)
    }

    /// `Request-Id`, owned.
    fn request_id(&self) -> Option<String> {
        self.known.request_id.map(str::to_owned)
    }
}

/// A mismatch: the field, what was planned, what came back (quoted, or `null`).
fn mismatch(field: MismatchField, planned: &str, returned: Option<&str>) -> Next {
    Next::Mismatch {
        field,
        planned: planned.to_owned(),
        returned: returned.map_or_else(|| "null".to_owned(), quoted),
    }
}

/// Confirmed when `body` is the planned Transfer (or, for a charge, the planned Payment),
/// else a mismatch naming the first field that is not.
fn compare(plan: &DebitPlan, body: &TransferBody<'_>, replayed: bool) -> Next {
    match plan.method() {
        Method::Charge => compare_charge(plan, body, replayed),
        Method::Transfer => compare_transfer(plan, body, replayed),
    }
}

/// The amount and currency a reply must carry, whatever its object.
fn compare_money(plan: &DebitPlan, body: &TransferBody<'_>) -> Option<Next> {
    let planned = plan.transfer();
    let amount = planned.amount().minor();
    let currency = WireCode::of(planned.currency());
    if body.amount != amount {
        return Some(mismatch(
            MismatchField::Amount,
            &amount.to_string(),
            Some(&body.amount.to_string()),
        ));
    }
    if body.currency != currency.as_str() {
        return Some(mismatch(
            MismatchField::Currency,
            currency.as_str(),
            Some(body.currency),
        ));
    }
    None
}

/// The debit id a reply must carry in its metadata.
fn compare_debit_id(plan: &DebitPlan, body: &TransferBody<'_>) -> Option<Next> {
    let debit_id = plan.debit_id();
    (body.debit_id() != Some(debit_id.as_str()))
        .then(|| mismatch(MismatchField::DebitId, debit_id.as_str(), body.debit_id()))
}

/// A charge of a platform-managed account: Stripe returns the Payment it creates on the
/// platform ("The API call returns the Payment created on the platform account", Stripe,
/// "Debiting Express and Custom accounts"), an object `"charge"` whose id is `py_...`.
/// Stripe does not document which field names the Transfer on the connected account; we
/// read `source_transfer`, as on the Payment a transfer creates on its destination (our
/// reading).
fn compare_charge(plan: &DebitPlan, body: &TransferBody<'_>, replayed: bool) -> Next {
    if body.object != "charge" {
        return mismatch(MismatchField::Object, "charge", Some(body.object));
    }
    if let Some(differs) = compare_money(plan, body).or_else(|| compare_debit_id(plan, body)) {
        return differs;
    }
    let payment = body
        .id
        .parse::<TransactionId>()
        .ok()
        .filter(|id| id.kind() == ObjectKind::Payment);
    let Some(payment) = payment else {
        return mismatch(MismatchField::Id, "py_...", Some(body.id));
    };
    let Some(transfer) = body.source_transfer_id().and_then(transfer_id) else {
        return mismatch(
            MismatchField::SourceTransfer,
            "tr_...",
            body.source_transfer_id(),
        );
    };
    Next::Confirmed {
        transfer,
        payment,
        replayed,
    }
}

/// A transfer: the Transfer created on the connected account.
fn compare_transfer(plan: &DebitPlan, body: &TransferBody<'_>, replayed: bool) -> Next {
    let planned = plan.transfer();
    let destination = planned.destination();
    if body.object != "transfer" {
        return mismatch(MismatchField::Object, "transfer", Some(body.object));
    }
    if let Some(differs) = compare_money(plan, body) {
        return differs;
    }
    if body.destination_id() != Some(destination.as_str()) {
        return mismatch(
            MismatchField::Destination,
            destination.as_str(),
            body.destination_id(),
        );
    }
    if let Some(differs) = compare_debit_id(plan, body) {
        return differs;
    }
    let Some(transfer) = transfer_id(body.id) else {
        return mismatch(MismatchField::Id, "tr_...", Some(body.id));
    };
    let payment = body
        .destination_payment_id()
        .and_then(|text| text.parse::<TransactionId>().ok())
        .filter(|id| id.kind() == ObjectKind::Payment);
    let Some(payment) = payment else {
        let returned = body.destination_payment_id();
        return mismatch(MismatchField::DestinationPayment, "py_...", returned);
    };
    Next::Confirmed {
        transfer,
        payment,
        replayed,
    }
}

/// A resend, when the budget and the key window allow one; else in doubt.
fn retry(
    reason: RetryReason,
    attempt: &Attempt,
    options: &ReplyOptions,
    sent: Option<&Sent<'_, '_>>,
) -> Next {
    let reply = sent.map(|sent| sent.reply);
    // Both clients stop once the retries are spent (`num_retries >= max_network_retries`).
    if !options.budget_allows_another(attempt) {
        return in_doubt(InDoubtReason::BudgetSpent, reply);
    }
    let retry_after = sent.and_then(|sent| headers::retry_after(sent.known.retry_after));
    let delay = DelayWindow::after_send(attempt.sends(), retry_after);
    if !options.key_window_allows(attempt, delay) {
        return in_doubt(InDoubtReason::KeyWindowClosing, reply);
    }
    Next::Retry {
        attempt: attempt.number(),
        delay,
        reason,
    }
}

/// In doubt, with what the last reply said (its `Request-Id` only when it is given once).
fn in_doubt(reason: InDoubtReason, reply: Option<&Reply<'_>>) -> Next {
    Next::InDoubt {
        reason,
        status: reply.map(Reply::status),
        request_id: reply.and_then(Reply::request_id),
    }
}

/// A 4xx fails; any other status that is not retried is in doubt.
fn fail_or_doubt<B: Body + ?Sized>(sent: &Sent<'_, '_>, body: &B) -> Next {
    let status = sent.reply.status;
    if !(400..500).contains(&status) {
        return in_doubt(InDoubtReason::UnexpectedStatus, Some(sent.reply));
    }
    let error = body.stripe_error();
    Next::Failed(Box::new(Failure::new(status, error, sent.request_id())))
}
