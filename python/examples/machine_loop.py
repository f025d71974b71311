"""The loop that carries one debit from plan to settled with stripe-python: the machine
says what to do, stripe-python's client does it, the machine is told what came back.

Save ``machine.to_json()`` before every request (here: the ``save`` callback), and after a
crash resume with ``DebitMachine.from_json(scenario, saved)`` and the same loop: the
machine reads a request out with no reply reported as one that got none. Turn
stripe-python's own retries off (``max_network_retries=0``): the machine makes the
retries, under the same key, and only within the key's window.

CI type-checks this file with ``mypy --strict``; ``python/tests/test_machine.py`` runs it
against a local server that plays Stripe.
"""

import random
import time
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, Union

import stripe
from stripe_account_debits import (
    DebitMachine,
    DebitOutcome,
    Escalation,
    HttpRequest,
    Rejected,
)

#: What came back: status, headers and body; ``None`` when nothing did.
Reply = Optional[Tuple[int, Dict[str, str], str]]


def now_ms() -> int:
    """The clock the machine is given: milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


def perform(client: stripe.StripeClient, request: HttpRequest) -> Reply:
    """Makes the machine's request with stripe-python's client, as planned: the method,
    the path, the ``Stripe-Account`` and ``Idempotency-Key`` headers, the parameters."""
    options: Dict[str, Any] = {}
    if request.stripe_account is not None:
        options["stripe_account"] = request.stripe_account
    if request.idempotency_key is not None:
        options["idempotency_key"] = request.idempotency_key
    try:
        response = client.raw_request(
            request.method.lower(), request.path, **request.params, **options
        )
    except stripe.StripeError as error:
        if error.http_status is None:
            # A timeout or a connection error: no reply at all.
            return None
        return error.http_status, dict(error.headers or {}), error.http_body or ""
    return response.code, dict(response.headers), response.body


def run_debit(
    scenario: Mapping[str, Any],
    client: stripe.StripeClient,
    save: Callable[[str], None],
    saved: Optional[str] = None,
    clock: Callable[[], int] = now_ms,
    sleep: Callable[[float], None] = time.sleep,
) -> Union[DebitOutcome, Escalation, Rejected]:
    """Runs the debit of ``scenario`` to its end (from ``saved``, the last state saved,
    when resuming): its outcome, the escalation a person must look at, or the rejection of
    a debit that does not plan."""
    if saved is None:
        started = DebitMachine.start(scenario)
        if isinstance(started, Rejected):
            return started
        machine = started
    else:
        machine = DebitMachine.from_json(scenario, saved)
    while True:
        action = machine.poll(clock())
        if action.request is not None:  # "send" (a POST) or "list" (a GET)
            request = action.request
            save(machine.to_json())  # before the request: it may move money
            if clock() > request.act_by_ms:
                continue  # too late to make it: ask again
            reply = perform(client, request)
            if reply is None:
                machine.on_reply(clock())
            else:
                status, headers, body = reply
                machine.on_reply(clock(), status, headers, body)
        elif action.until_ms is not None:  # "wait"
            spread = random.uniform(0, action.jitter_ms or 0)
            sleep(max(0.0, action.until_ms + spread - clock()) / 1000)
        elif action.outcome is not None:  # "done"
            return action.outcome
        elif action.escalation is not None:  # "escalate"
            return action.escalation
        else:
            raise RuntimeError(f"an action this loop does not know: {action!r}")
