//! The Stripe request that reverses a debit's transfer.
//!
//! Source: Stripe's API reference, "Create a transfer reversal": `POST
//! /v1/transfers/{id}/reversals` with `amount` and `metadata`. Stripe does not document
//! reversing an account debit's transfer; that transfer lives on the connected account
//! (it is created with the connected account's `Stripe-Account` header), so this crate
//! reads it as reversed with that header too. That is our reading, not Stripe's word.

use core::fmt;

use crate::request::form;

/// `POST /v1/transfers/{id}/reversals` as it is to be sent, with the connected account's
/// `Stripe-Account` header and an `Idempotency-Key` made from the caller's reversal id:
/// `account-debit-reversal:<connected>:<transfer>:<reversal id>` (253 characters at most).
///
/// # Example
///
/// See [`plan_reversal`](crate::lifecycle::plan_reversal).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReversalRequest {
    pub(crate) path: String,
    pub(crate) stripe_account: String,
    pub(crate) idempotency_key: String,
    pub(crate) amount: String,
    pub(crate) debit_id: String,
    pub(crate) reversal_id: String,
}

impl ReversalRequest {
    /// `POST`.
    pub fn method(&self) -> &'static str {
        "POST"
    }

    /// `/v1/transfers/<transfer id>/reversals`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The headers besides authentication, in order: `Stripe-Account` (the connected
    /// account), `Idempotency-Key`, `Content-Type`.
    pub fn headers(&self) -> [(&'static str, &str); 3] {
        [
            ("Stripe-Account", &self.stripe_account),
            ("Idempotency-Key", &self.idempotency_key),
            ("Content-Type", crate::request::Headers::CONTENT_TYPE),
        ]
    }

    /// The `Idempotency-Key`.
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }

    /// The form, in order: `amount` (always given, so that what is reversed is what was
    /// planned), `metadata[account_debit_id]`, `metadata[account_debit_reversal_id]`.
    pub fn form(&self) -> [(&'static str, &str); 3] {
        [
            ("amount", &self.amount),
            ("metadata[account_debit_id]", &self.debit_id),
            ("metadata[account_debit_reversal_id]", &self.reversal_id),
        ]
    }

    /// Writes the form as an `application/x-www-form-urlencoded` body into `out`.
    ///
    /// # Errors
    ///
    /// Whatever `out` returns.
    pub fn write_form_urlencoded<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        for (i, (name, value)) in self.form().into_iter().enumerate() {
            if i > 0 {
                out.write_char('&')?;
            }
            form::write_encoded(out, name)?;
            out.write_char('=')?;
            form::write_encoded(out, value)?;
        }
        Ok(())
    }
}
