"""Type stubs of the native extension (built from python/src/ in Rust).

Every result class (``Planned``, ``Rejected`` and their parts, ``ReplyDecision``,
``FindResult``, ``ReversalResult``, ``BatchResult``, ``BookResult``) is a value: it compares
and hashes by value, pickles (and copies) into an equal result, and says what it holds in
its ``repr()``; ``to_dict()`` is the JSON the command line prints, as Python objects.
``Ledger`` (which changes as it plans) and ``DebitColumns`` (the results of one of its
calls, built when read) are not values: they neither compare, hash nor pickle."""

from decimal import Decimal
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = [
    "Action",
    "Advisory",
    "BalanceChange",
    "BatchResult",
    "BookResult",
    "DebitColumns",
    "DebitMachine",
    "DebitOutcome",
    "Escalation",
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
    "Transfer",
    "Violation",
    "__version__",
    "_host_floor",
    "_host_walk",
    "_rust_read_and_plan_seconds",
    "find_debit",
    "plan_batch",
    "plan_debit",
    "plan_reversal",
    "read_reply",
    "reserve_book",
]
__version__: str

def plan_debit(scenario: Mapping[str, Any]) -> Union[Planned, Rejected]:
    """Plans one Account Debit from a scenario, read as the JSON scenario is: plain dicts,
    or stripe-python objects (anything with ``to_dict()`` or ``keys()`` and item access)
    at any depth. Returns ``Planned`` or ``Rejected``; raises ``ReadError`` (a
    ``ValueError``) when the scenario cannot be read."""

def read_reply(input: Mapping[str, Any]) -> ReplyDecision:
    """What Stripe's reply to the debit's request means, from a mapping shaped as the
    ``reply`` command's input: ``scenario``, ``attempt``, ``reply`` (``None``, or
    ``status``, ``headers`` and ``body``: a dict, or the raw text as ``str`` or ``bytes``)
    and ``options``. Raises ``ReadError`` when the input cannot be read or its debit
    does not plan."""

def find_debit(input: Mapping[str, Any]) -> FindResult:
    """The debit among the connected account's transfers, from a mapping shaped as the
    ``find`` command's input: ``scenario``, ``transfers`` (a Stripe list object) and
    ``platform_balance`` (the platform's Balance object, which a double debit's reversals
    draw on)."""

def plan_reversal(input: Mapping[str, Any]) -> ReversalResult:
    """The reversal of the debit's transfer, from a mapping shaped as the ``reverse``
    command's input: ``scenario``, ``transfer``, ``amount`` (optional), ``reversal_id``,
    ``platform_balance`` (the platform's Balance object: the reversal draws on it)."""

def plan_batch(book: Mapping[str, Any]) -> BatchResult:
    """The book's debits planned in order, each against the balances the ones before it
    left, from a mapping shaped as the ``batch`` command's input."""

def reserve_book(book: Mapping[str, Any]) -> BookResult:
    """The platform's reserve for negative connected balances and the accounts Stripe
    zeroes from it, from a mapping shaped as the ``book`` command's input."""

def _host_floor(scenario: Mapping[str, Any]) -> int:
    """For bench.py, not part of the API: reads the values the Stripe-managed rules read,
    by key, with no checks and no planning; returns how many."""

def _host_walk(scenario: Mapping[str, Any]) -> None:
    """For bench.py, not part of the API: the deserializer over Python objects alone on the
    scenario, every value visited and ignored, with no reader and no planning."""

def _rust_read_and_plan_seconds(text: str, n: int) -> float:
    """For bench.py, not part of the API: the seconds n reads of the JSON text through the
    library's text reader, each planned, take in Rust."""

@final
class Planned:
    @property
    def outcome(self) -> str: ...
    @property
    def flow(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def transfer(self) -> Transfer: ...
    @property
    def payment(self) -> Payment: ...
    @property
    def reserve_hold(self) -> Optional[ReserveHold]: ...
    @property
    def connected_available(self) -> BalanceChange: ...
    @property
    def platform_available_change(self) -> int: ...
    @property
    def platform_available_change_major(self) -> Decimal: ...
    @property
    def advisories(self) -> List[Advisory]: ...
    @property
    def request(self) -> Request: ...
    def request_for(self, n: int) -> Request:
        """The same request under attempt ``n``'s idempotency key (``account-debit#<n>:...``
        from the second). Raises ``ValueError`` for ``n`` below 1."""
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Rejected:
    @property
    def outcome(self) -> str: ...
    @property
    def violations(self) -> List[Violation]: ...
    @property
    def codes(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Violation:
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def details(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Advisory:
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def details(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Transfer:
    @property
    def account(self) -> str: ...
    @property
    def destination(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def amount_major(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    @property
    def reference_type(self) -> Optional[str]: ...
    @property
    def reference_id(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Payment:
    @property
    def account(self) -> str: ...
    @property
    def source_account(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def amount_major(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class ReserveHold:
    @property
    def account(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def amount_major(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class BalanceChange:
    @property
    def before(self) -> int: ...
    @property
    def before_major(self) -> Decimal: ...
    @property
    def after(self) -> int: ...
    @property
    def after_major(self) -> Decimal: ...
    @property
    def currency(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Request:
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def stripe_account(self) -> Optional[str]: ...
    @property
    def idempotency_key(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def form(self) -> List[Tuple[str, str]]: ...
    @property
    def params(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class ReplyDecision:
    """What a reply means; the attributes other than ``next`` are ``None`` unless
    ``next`` names them."""

    @property
    def next(self) -> Literal["confirmed", "mismatch", "retry", "failed", "in_doubt"]: ...
    @property
    def transfer(self) -> Optional[str]: ...
    @property
    def payment(self) -> Optional[str]: ...
    @property
    def replayed(self) -> Optional[bool]: ...
    @property
    def field(self) -> Optional[str]: ...
    @property
    def planned(self) -> Optional[str]: ...
    @property
    def returned(self) -> Optional[str]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def attempt(self) -> Optional[int]: ...
    @property
    def delay_ms_min(self) -> Optional[int]: ...
    @property
    def delay_ms_max(self) -> Optional[int]: ...
    @property
    def status(self) -> Optional[int]: ...
    @property
    def error_type(self) -> Optional[str]: ...
    @property
    def error_code(self) -> Optional[str]: ...
    @property
    def error_param(self) -> Optional[str]: ...
    @property
    def error_message(self) -> Optional[str]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def new_attempt_may_succeed(self) -> Optional[bool]: ...
    @property
    def reason(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class FindResult:
    @property
    def outcome(self) -> Literal["found", "not_found", "duplicated"]: ...
    @property
    def transfers(self) -> List[str]: ...
    @property
    def transfer(self) -> Optional[str]: ...
    @property
    def payment(self) -> Optional[str]: ...
    @property
    def kept(self) -> Optional[str]: ...
    @property
    def list_complete(self) -> Optional[bool]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class ReversalResult:
    @property
    def outcome(self) -> Literal["planned", "rejected"]: ...
    @property
    def amount(self) -> Optional[int]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def stripe_account(self) -> Optional[str]: ...
    @property
    def codes(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class BatchResult:
    @property
    def outcome(self) -> Literal["planned", "rejected"]: ...
    @property
    def rejected(self) -> int: ...
    @property
    def debits(self) -> int: ...
    @property
    def complete(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class BookResult:
    @property
    def within_days(self) -> int: ...
    @property
    def complete(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class DebitMachine:
    """One debit from plan to settled: ask ``poll(now_ms)`` what to do, do it, tell
    ``on_reply`` what came back; save ``to_json()`` before every request made."""

    @staticmethod
    def start(
        scenario: Mapping[str, Any], options: Optional[Mapping[str, int]] = None
    ) -> Union[DebitMachine, Rejected]:
        """Plans the scenario's debit and starts its machine (``options``: the ``step``
        command's, e.g. ``{"settle_ms": 86400000}``), or returns ``Rejected``."""
    @staticmethod
    def from_json(scenario: Mapping[str, Any], text: str) -> DebitMachine:
        """Resumes from a state ``to_json()`` wrote, with the scenario it was started
        with. Raises ``ReadError`` (path ``state``) for another debit's state."""
    def poll(self, now_ms: int) -> Action:
        """What to do at ``now_ms`` (milliseconds since the Unix epoch)."""
    def on_reply(
        self,
        now_ms: int,
        status: Optional[int] = None,
        headers: Union[Mapping[str, str], Sequence[Tuple[str, str]], None] = None,
        body: Union[str, bytes, Mapping[str, Any], Sequence[Any], None] = None,
    ) -> None:
        """Reports the reply to the request asked for (``status`` ``None``: none came).
        Raises ``ValueError`` when no request is out or the time went back."""
    def new_attempt(self, now_ms: int) -> None:
        """After a ``failed`` outcome whose cause has been put right: a new key."""
    def to_json(self) -> str: ...
    @property
    def phase(self) -> Literal["sending", "searching", "reversing", "done", "escalated"]: ...
    @property
    def attempt(self) -> int: ...

@final
class Action:
    """What to do now; the attributes other than ``code`` are ``None`` unless ``code``
    names them."""

    @property
    def code(self) -> Literal["send", "list", "wait", "done", "escalate"]: ...
    @property
    def request(self) -> Optional[HttpRequest]: ...
    @property
    def until_ms(self) -> Optional[int]: ...
    @property
    def jitter_ms(self) -> Optional[int]: ...
    @property
    def outcome(self) -> Optional[DebitOutcome]: ...
    @property
    def escalation(self) -> Optional[Escalation]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class HttpRequest:
    @property
    def method(self) -> Literal["POST", "GET"]: ...
    @property
    def path(self) -> str: ...
    @property
    def stripe_account(self) -> Optional[str]: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def params(self) -> Dict[str, Any]: ...
    @property
    def form(self) -> List[Tuple[str, str]]: ...
    @property
    def encoded_params(self) -> str: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def act_by_ms(self) -> int: ...

@final
class DebitOutcome:
    @property
    def code(self) -> Literal["confirmed", "failed"]: ...
    @property
    def transfer(self) -> Optional[str]: ...
    @property
    def payment(self) -> Optional[str]: ...
    @property
    def by(self) -> Optional[Literal["reply", "search"]]: ...
    @property
    def replayed(self) -> Optional[bool]: ...
    @property
    def reversed(self) -> List[Tuple[str, Optional[str]]]: ...
    @property
    def attempt(self) -> Optional[int]: ...
    @property
    def status(self) -> Optional[int]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def error_type(self) -> Optional[str]: ...
    @property
    def error_code(self) -> Optional[str]: ...
    @property
    def error_param(self) -> Optional[str]: ...
    @property
    def error_message(self) -> Optional[str]: ...
    @property
    def new_attempt_may_succeed(self) -> Optional[bool]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Escalation:
    @property
    def reason(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def field(self) -> Optional[str]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def transfers(self) -> List[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Ledger:
    """A platform's ledger, built once from a book (a mapping shaped as the ``batch``
    command's input, read by the same reader as ``plan_batch``, with no ``debits``): its
    connected accounts with their available balances and consent. ``plan_columns`` plans
    many debits at a time on it from columns, and the ledger keeps what they did: the
    next call judges its debits against the balances left, and refuses a debit id planned
    before on the same account (``debit_id_reused``). Raises ``ReadError`` as
    ``plan_batch`` does for a book that cannot be read."""

    def __new__(cls, book: Mapping[str, Any]) -> "Ledger": ...
    @property
    def accounts(self) -> List[str]:
        """The connected accounts' ids, in the book's order: a row of ``accounts`` may
        name an account by its index here."""
    def __len__(self) -> int: ...
    def available(self, account: Union[int, str], currency: str) -> Optional[int]:
        """The account's available balance in ``currency``, in minor units, with the
        debits planned so far; ``None`` when it has no entry in that currency."""
    def plan_columns(
        self,
        accounts: Sequence[Union[int, str]],
        debit_ids: Sequence[str],
        amounts: Sequence[int],
        currency: Union[str, Sequence[str]],
        references: Sequence[Optional[str]],
        *,
        reference_accounts: Optional[Sequence[Optional[str]]] = None,
        at: Union[None, int, Sequence[Optional[int]]] = None,
        purposes: Union[None, str, Sequence[Optional[str]]] = None,
        preview: bool = False,
    ) -> DebitColumns:
        """Plans one debit per row, in order, each against the balances the ones before
        it left, exactly as ``plan_batch`` plans a book's debits (the same rules, in the
        library's ``book.Ledger``; ``debit_id_reused`` across calls too), and keeps what
        the planned ones did. How the platform's reserve for negative balances changed
        over the call, per currency, is ``summary()["reserve"]``, as ``plan_batch``'s.

        Row ``i`` is the debit ``{"account": accounts[i], "at": at[i], "debit": {"id":
        debit_ids[i], "amount": amounts[i], "currency": currency[i],
        "reference_transaction": {"id": references[i], "account":
        reference_accounts[i]}, "purpose": purposes[i]}}`` of the dict form: ``accounts``
        an id or an index into ``Ledger.accounts``; ``amounts`` ints in minor units (a
        float, a ``bool`` or a ``str`` is refused); ``currency`` one code for every row
        or one per row; ``references[i]`` ``None`` for no reference; without
        ``reference_accounts`` each reference is taken as created on the debited
        account; ``at`` (one time or one per row, ``None``: the book's ``at``) and
        ``purposes`` are optional. Columns are lists, tuples or any iterable (``str``
        and mappings refused), each as long as ``accounts``, holding Python ``str``,
        ``int`` and ``None`` as the dict form does (a NumPy array: its ``tolist()``).

        With ``preview``, the rows are planned alike and the ledger is then put back as
        it was: what the call would do, without keeping it.

        Raises ``ReadError`` for the first row that cannot be read, with the error the
        dict form gives and the column's path (``amounts[17]``; ``currency`` for one
        code for every row), or for columns of other lengths; nothing is planned
        then."""

@final
class DebitColumns:
    """The debits of one ``Ledger.plan_columns`` call, judged. Each column is a new list,
    built when read; ``result(i)`` builds row ``i``'s whole outcome from the plan kept."""

    def __len__(self) -> int: ...
    @property
    def outcome(self) -> Literal["planned", "rejected"]:
        """``"planned"`` when every row is, else ``"rejected"``."""
    @property
    def rejected(self) -> int: ...
    @property
    def complete(self) -> bool:
        """Whether every entry of every balance was read and counted."""
    @property
    def planned(self) -> List[bool]: ...
    @property
    def rejected_rows(self) -> List[int]: ...
    @property
    def reserve(self) -> List[Optional[int]]:
        """Each row's reserve hold in minor units (0 for none), ``None`` when rejected."""
    @property
    def balance_after(self) -> List[Optional[int]]:
        """Each row's connected available balance after it, in minor units, ``None``
        when rejected."""
    @property
    def send_at_offset_ms(self) -> List[Optional[int]]:
        """When to start each planned row's request, in milliseconds after the call's
        first, ``None`` when rejected."""
    def violations(self, i: int) -> List[str]:
        """The codes of the rules row ``i`` breaks, in the library's order (empty when
        planned). Raises ``IndexError`` beyond the rows."""
    def result(self, i: int) -> Union[Planned, Rejected]:
        """Row ``i``'s outcome as ``plan_debit`` returns one (``.request`` for a planned
        row), built now."""
    def summary(self) -> Dict[str, Any]:
        """``plan_batch(book).to_dict()`` for the same debits, without ``outcomes``."""
    def to_dict(self) -> Dict[str, Any]:
        """``plan_batch(book).to_dict()`` for the same debits, every row's outcome built
        now."""
