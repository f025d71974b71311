"""Every result is a value: it compares and hashes by value, pickles (and copies) into an
equal result of the same class, and says what it holds in its repr()."""

import copy
import pickle
from typing import Any, Dict, List

import pytest

from conftest import REPO, load_json
from stripe_account_debits import (
    BatchResult,
    BookResult,
    FindResult,
    Planned,
    Rejected,
    ReplyDecision,
    ReversalResult,
    find_debit,
    plan_batch,
    plan_debit,
    plan_reversal,
    read_reply,
    reserve_book,
)

LIFECYCLE = REPO / "examples" / "lifecycle"
SCENARIOS = REPO / "examples" / "scenarios"
BOOKS = REPO / "examples" / "book"


def every_result() -> List[Any]:
    """One result of each class and kind, and the parts a plan is made of."""
    out: List[Any] = []
    for name in ("demo", "rejected", "platform_managed", "platform_managed_v2"):
        out.append(plan_debit(load_json(SCENARIOS / f"{name}.json")))
    planned = [r for r in out if isinstance(r, Planned)]
    rejected = [r for r in out if isinstance(r, Rejected)]
    assert planned and rejected
    for plan in planned:
        out += [plan.transfer, plan.payment, plan.connected_available, plan.request]
        out += [plan.request_for(2)] + plan.advisories
        if plan.reserve_hold is not None:
            out.append(plan.reserve_hold)
    for rejection in rejected:
        out += rejection.violations
    commands = {"reply": read_reply, "find": find_debit, "reverse": plan_reversal}
    for path in sorted(LIFECYCLE.glob("*.json")):
        command = path.name.split("-")[0]
        if command in commands and "invalid" not in path.name:
            out.append(commands[command](load_json(path)))
    for path in sorted(BOOKS.glob("*.json")):
        out += [plan_batch(load_json(path)), reserve_book(load_json(path))]
    return out


RESULTS = every_result()


def test_every_kind_is_there():
    kinds = {(type(r).__name__, getattr(r, "next", None) or getattr(r, "outcome", None)) for r in RESULTS}
    for expected in [
        ("ReplyDecision", "confirmed"),
        ("ReplyDecision", "mismatch"),
        ("ReplyDecision", "retry"),
        ("ReplyDecision", "failed"),
        ("ReplyDecision", "in_doubt"),
        ("FindResult", "found"),
        ("FindResult", "not_found"),
        ("FindResult", "duplicated"),
        ("ReversalResult", "planned"),
        ("ReversalResult", "rejected"),
        ("BatchResult", "rejected"),
        ("Transfer", None),
        ("Payment", None),
        ("ReserveHold", None),
        ("BalanceChange", None),
        ("Request", None),
        ("Violation", None),
        ("Advisory", None),
    ]:
        assert expected in kinds, expected


def attributes(value: Any) -> Dict[str, Any]:
    """Every public attribute's value (methods called when they take no argument)."""
    out = {}
    for name in dir(value):
        if name.startswith("_") or name in ("request_for",):
            continue
        attr = getattr(value, name)
        out[name] = attr() if callable(attr) else attr
    return out


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: repr(r)[:60])
def test_a_result_pickles_into_an_equal_one(result):
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(result, protocol=protocol))
        assert type(again) is type(result)
        assert again == result and not (again != result)
        assert hash(again) == hash(result)
        assert again.to_dict() == result.to_dict()
        assert attributes(again) == attributes(result)
        assert repr(again) == repr(result)
    assert copy.copy(result) == result
    assert copy.deepcopy(result) == result


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: repr(r)[:60])
def test_a_result_compares_by_value(result):
    # The same command on the same input gives an equal result, not the same object.
    twin = pickle.loads(pickle.dumps(result))
    assert twin is not result
    assert twin == result
    assert len({result, twin}) == 1
    # Never equal to its dict, nor to a result of another class.
    assert result != result.to_dict()
    assert result != object()
    others = [r for r in RESULTS if r is not result and type(r) is type(result)]
    for other in others:
        if other.to_dict() != result.to_dict():
            assert other != result


def test_equal_results_from_equal_inputs():
    demo = load_json(SCENARIOS / "demo.json")
    assert plan_debit(demo) == plan_debit(load_json(SCENARIOS / "demo.json"))
    assert plan_debit(demo).transfer == plan_debit(demo).transfer
    retry = load_json(LIFECYCLE / "reply-retry.json")
    assert read_reply(retry) == read_reply(load_json(LIFECYCLE / "reply-retry.json"))
    assert read_reply(retry) != read_reply(load_json(LIFECYCLE / "reply-confirmed.json"))
    demo["debit"]["amount"] = 400
    assert plan_debit(demo) != plan_debit(load_json(SCENARIOS / "demo.json"))
    book = load_json(BOOKS / "batch.json")
    assert plan_batch(book) == plan_batch(load_json(BOOKS / "batch.json"))
    assert hash(reserve_book(book)) == hash(reserve_book(load_json(BOOKS / "batch.json")))


def test_reprs_say_what_the_result_holds():
    plan = plan_debit(load_json(SCENARIOS / "demo.json"))
    assert repr(plan) == (
        "Planned(stripe_managed transfer of 5.00 usd from acct_1ConnectedDemo001 to "
        "acct_1PlatformDemo0001, Idempotency-Key "
        "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42)"
    )
    assert repr(plan.transfer) == (
        "Transfer(5.00 usd from acct_1ConnectedDemo001 to acct_1PlatformDemo0001, "
        "for charge ch_1DemoCharge00000001)"
    )
    assert repr(plan.payment) == "Payment(5.00 usd on acct_1PlatformDemo0001 from acct_1ConnectedDemo001)"
    assert repr(plan.connected_available) == "BalanceChange(10.00 to 5.00 usd)"
    assert repr(read_reply(load_json(LIFECYCLE / "reply-retry.json"))) == (
        "ReplyDecision(retry: no_reply: attempt 1 in 500 to 500 ms)"
    )
    assert repr(find_debit(load_json(LIFECYCLE / "find-duplicated.json"))) == (
        "FindResult(duplicated: tr_1DemoDebit0000000001, tr_1DemoDebit0000000002)"
    )
    assert repr(plan_batch(load_json(BOOKS / "batch.json"))) == (
        "BatchResult(1 of 3 debits rejected, 2 requests at 20 a second)"
    )
    assert repr(reserve_book(load_json(BOOKS / "incomplete.json"))).endswith(
        "; the book is incomplete)"
    )
    rejected = plan_debit(load_json(SCENARIOS / "rejected.json"))
    assert repr(rejected).startswith("Rejected(reference_kind_unsupported, consent_missing")
    assert repr(rejected.violations[1]) == (
        "Violation(consent_missing: no consent from the connected account to be debited is on record)"
    )


def test_a_dict_that_is_not_the_classes_output_is_refused():
    retry = read_reply(load_json(LIFECYCLE / "reply-retry.json"))
    data = retry.to_dict()
    data["next"] = "confirmed"
    with pytest.raises(ValueError):
        ReplyDecision._from_dict(data)
    with pytest.raises(ValueError):
        FindResult._from_dict(retry.to_dict())
    with pytest.raises(ValueError):
        BookResult._from_dict({})
    assert ReplyDecision._from_dict(retry.to_dict()) == retry
    for cls in (BatchResult, ReversalResult):
        with pytest.raises(ValueError):
            cls._from_dict([])
