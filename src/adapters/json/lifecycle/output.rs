//! Writing the lifecycle commands' outputs as JSON.

use serde_json::{Value, json};

use crate::debit::plan::DebitPlan;
use crate::lifecycle::{Found, Next, ReversalPlan, ReversalRejection, TransferRecord};
use crate::value::currency::WireCode;

/// What to do when in doubt, written into the output.
const WHEN_IN_DOUBT: &str = "send nothing more: list the connected account's transfers and run `find` with them (the debit's transfer carries metadata[account_debit_id])";

/// The output of `reply`.
pub(super) fn next(plan: &DebitPlan, next: &Next) -> Value {
    match next {
        Next::Confirmed {
            transfer,
            payment,
            replayed,
            ..
        } => json!({
            "next": "confirmed", "transfer": transfer.as_str(), "payment": payment.as_str(),
            "replayed": replayed,
        }),
        Next::Mismatch {
            field,
            planned,
            returned,
            ..
        } => json!({
            "next": "mismatch", "field": field.name(), "planned": planned, "returned": returned,
        }),
        Next::Retry {
            attempt,
            delay,
            reason,
            ..
        } => json!({
            "next": "retry", "reason": reason.code(), "attempt": attempt.get(),
            "idempotency_key": plan.idempotency_key_for(*attempt).as_str(),
            "delay_ms": { "min": delay.min_ms(), "max": delay.max_ms() },
        }),
        Next::Failed(failure) => json!({
            "next": "failed", "status": failure.status,
            "error": {
                "type": failure.error.kind(), "code": failure.error.code(),
                "param": failure.error.param(), "message": failure.error.message(),
            },
            "request_id": failure.request_id,
            "new_attempt_may_succeed": failure.new_attempt_may_succeed,
            "idempotency_error": failure.idempotency_error,
        }),
        Next::InDoubt {
            reason,
            status,
            request_id,
            ..
        } => json!({
            "next": "in_doubt", "reason": reason.code(), "status": status,
            "request_id": request_id, "then": WHEN_IN_DOUBT,
        }),
    }
}

/// A transfer's id.
fn id(transfer: &TransferRecord) -> String {
    transfer.id().to_string()
}

/// The output of `find`.
pub(super) fn found(found: &Found) -> Value {
    match found {
        Found::Found(transfer) => json!({
            "outcome": "found", "transfers": [id(transfer)], "transfer": id(transfer),
            "payment": transfer.destination_payment().map(|p| p.to_string()),
        }),
        Found::NotFound { list_complete, .. } => json!({
            "outcome": "not_found", "transfers": [], "list_complete": list_complete,
        }),
        Found::Duplicated { kept, extras, .. } => {
            let mut ids = vec![id(kept)];
            ids.extend(extras.iter().map(|d| id(&d.transfer)));
            let reversals: Vec<Value> = extras
                .iter()
                .map(|d| {
                    let mut out = reversal(&d.reversal);
                    if let Some(object) = out.as_object_mut() {
                        object.insert("transfer".to_owned(), json!(id(&d.transfer)));
                    }
                    out
                })
                .collect();
            json!({ "outcome": "duplicated", "transfers": ids, "kept": id(kept), "reversals": reversals })
        }
    }
}

/// The output of `reverse`, and of each reversal of `find`.
pub(super) fn reversal(result: &Result<ReversalPlan, ReversalRejection>) -> Value {
    match result {
        Ok(plan) => planned(plan),
        // As a debit's rejection is written: each violation's fields beside its code and
        // message, money in minor units with its currency.
        Err(rejection) => json!(rejection),
    }
}

/// A planned reversal.
fn planned(plan: &ReversalPlan) -> Value {
    let request = plan.request();
    let currency = WireCode::of(plan.amount().currency()).as_str().to_owned();
    let headers: serde_json::Map<String, Value> = request
        .headers()
        .iter()
        .map(|(name, value)| ((*name).to_owned(), json!(value)))
        .collect();
    json!({
        "outcome": "planned",
        "transfer": id(plan.transfer()),
        "amount": plan.amount().minor(),
        "request": {
            "method": request.method(), "path": request.path(), "headers": headers,
            "form": request.form(),
        },
        "connected_available": {
            "before": plan.connected_before().minor(), "after": plan.connected_after().minor(),
            "currency": currency,
        },
        "reserve_release": plan.reserve_release().map(|r| json!({ "amount": r.minor(), "currency": currency })),
        "platform_available_change": plan.platform_available_change().minor(),
        "platform_available": {
            "before": plan.platform_before().minor(), "after": plan.platform_after().minor(),
            "currency": currency,
        },
    })
}
