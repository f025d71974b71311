"""The README's example: plan a debit from what stripe-python returns, and make it with the
method the plan names. CI type-checks this file with mypy --strict against the package's
stubs (it is never run: it would call Stripe)."""

import time

import stripe
from stripe_account_debits import Planned, plan_debit


def recover(connected: str, charge: str, amount: int) -> str:
    scenario = {
        "at": int(time.time()),
        "platform_account": stripe.Account.retrieve(),  # the platform's own account
        "connected_account": stripe.Account.retrieve(connected),
        "connected_balance": stripe.Balance.retrieve(stripe_account=connected),
        "consent": {"granted_at": 1700000000, "evidence": "agreement-42"},
        "debit": {"id": "recovery-42", "amount": amount, "currency": "usd",
                  "reference_transaction": {"id": charge, "account": connected}},
    }
    result = plan_debit(scenario)
    if not isinstance(result, Planned):
        return "rejected: " + ", ".join(result.codes)
    r = result.request
    if result.method == "charge":
        # A platform-managed service charge: POST /v1/charges, made by the platform itself
        # (no Stripe-Account), with the connected account as its source.
        made = stripe.Charge.create(**r.params, idempotency_key=r.idempotency_key)
        return made.id
    # POST /v1/transfers, made as the connected account.
    transfer = stripe.Transfer.create(
        **r.params, stripe_account=r.stripe_account, idempotency_key=r.idempotency_key
    )
    return transfer.id
