"""Plan Stripe Connect Account Debits offline and exactly: the rules of the Rust crate
``stripe-account-debits``, for Python services.

>>> from stripe_account_debits import plan_debit, Planned
>>> result = plan_debit(scenario)          # a dict, or stripe-python objects inside one
>>> if isinstance(result, Planned) and result.method == "transfer":
...     stripe.Transfer.create(**result.request.params,
...                            stripe_account=result.request.stripe_account,
...                            idempotency_key=result.request.idempotency_key)
>>> if isinstance(result, Planned) and result.method == "charge":  # a service charge
...     stripe.Charge.create(**result.request.params,
...                          idempotency_key=result.request.idempotency_key)

The other commands of the ``account-debits`` command line are functions too, each taking
a mapping shaped as the command's JSON input: ``read_reply``, ``find_debit``,
``plan_reversal``, ``plan_batch`` and ``reserve_book``.

``DebitMachine`` carries a debit from plan to settled (the ``step`` command's machine):
``poll(now_ms)`` says what to do (``send`` or ``list`` a request, ``wait``, ``done``,
``escalate``), ``on_reply(now_ms, status, headers, body)`` tells it what came back, and
``to_json()`` / ``DebitMachine.from_json(scenario, text)`` save and resume it
(``examples/machine_loop.py`` drives it with stripe-python).
"""

from ._errors import ReadError
from ._native import (
    Action,
    Advisory,
    BalanceChange,
    BatchResult,
    BookResult,
    DebitMachine,
    DebitOutcome,
    Escalation,
    DebitColumns,
    FindResult,
    HttpRequest,
    Ledger,
    Payment,
    Planned,
    Rejected,
    ReplyDecision,
    Request,
    ReserveHold,
    ReversalResult,
    Transfer,
    Violation,
    __version__,
    find_debit,
    plan_batch,
    plan_debit,
    plan_reversal,
    read_reply,
    reserve_book,
)

__all__ = [
    "Action",
    "Advisory",
    "BalanceChange",
    "BatchResult",
    "BookResult",
    "DebitMachine",
    "DebitOutcome",
    "Escalation",
    "DebitColumns",
    "FindResult",
    "HttpRequest",
    "Ledger",
    "Payment",
    "Planned",
    "Rejected",
    "ReplyDecision",
    "Request",
    "ReserveHold",
    "ReversalResult",
    "ReadError",
    "Transfer",
    "Violation",
    "__version__",
    "find_debit",
    "plan_batch",
    "plan_debit",
    "plan_reversal",
    "read_reply",
    "reserve_book",
]
