"""The commands beside plan: read_reply, find_debit, plan_reversal, plan_batch and
reserve_book give the JSON the command line prints for the same input (the examples in
examples/lifecycle/ and examples/book/), typed attributes to branch on, and ReadError
with its path for input that cannot be read."""

import copy
import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest
import stripe

from conftest import REPO, load_json
from stripe_account_debits import (
    BatchResult,
    BookResult,
    FindResult,
    ReplyDecision,
    ReversalResult,
    ReadError,
    find_debit,
    plan_batch,
    plan_reversal,
    read_reply,
    reserve_book,
)

LIFECYCLE = REPO / "examples" / "lifecycle"
BOOK = REPO / "examples" / "book" / "batch.json"

COMMANDS: Dict[str, Callable[[Any], Any]] = {
    "reply": read_reply,
    "find": find_debit,
    "reverse": plan_reversal,
    "batch": plan_batch,
    "book": reserve_book,
}

# The command line's exit status for each `next` or `outcome`.
EXIT = {
    "reply": {"confirmed": 0, "failed": 1, "mismatch": 1, "retry": 3, "in_doubt": 4},
    "find": {"found": 0, "duplicated": 1, "not_found": 5},
    "reverse": {"planned": 0, "rejected": 1},
    "batch": {"planned": 0, "rejected": 1},
}


def python_output(command: str, value: Any) -> Dict[str, Any]:
    try:
        result: Dict[str, Any] = COMMANDS[command](value).to_dict()
        return result
    except ReadError as err:
        return err.to_dict()


def cli_output(cli: Path, command: str, path: Path) -> Tuple[int, Dict[str, Any]]:
    run = subprocess.run(
        [str(cli), command, str(path)], capture_output=True, text=True, timeout=60
    )
    return run.returncode, json.loads(run.stdout)


def example(name: str) -> Dict[str, Any]:
    return copy.deepcopy(load_json(LIFECYCLE / name))


# The step command's examples are DebitMachine's, compared with the CLI in test_machine.py.
@pytest.mark.parametrize(
    "name", sorted(p.name for p in LIFECYCLE.glob("*.json") if not p.name.startswith("step-"))
)
def test_each_lifecycle_example_as_the_cli(cli, name):
    command = name.split("-")[0]
    code, from_cli = cli_output(cli, command, LIFECYCLE / name)
    from_python = python_output(command, load_json(LIFECYCLE / name))
    # The same JSON text: values and the order of keys.
    assert json.dumps(from_python) == json.dumps(from_cli)
    if from_cli.get("outcome") == "invalid_input":
        assert code == 2
    else:
        result = COMMANDS[command](load_json(LIFECYCLE / name))
        kind = result.next if command == "reply" else result.outcome
        assert code == EXIT[command][kind]


@pytest.mark.parametrize("command", ["batch", "book"])
def test_the_book_as_the_cli(cli, command):
    code, from_cli = cli_output(cli, command, BOOK)
    result = COMMANDS[command](load_json(BOOK))
    assert json.dumps(result.to_dict()) == json.dumps(from_cli)
    if command == "batch":
        assert isinstance(result, BatchResult)
        assert code == EXIT["batch"][result.outcome]
    else:
        assert isinstance(result, BookResult)
        assert code == 0


def test_confirmed_reply_attributes():
    decision = read_reply(example("reply-confirmed.json"))
    assert isinstance(decision, ReplyDecision)
    assert decision.next == "confirmed"
    assert decision.transfer == "tr_1DemoDebit0000000001"
    assert decision.payment == "py_1DemoDebit0000000001"
    assert decision.replayed is True
    assert decision.delay_ms_min is None and decision.status is None


def test_retry_reply_attributes():
    decision = read_reply(example("reply-retry.json"))
    assert decision.next == "retry"
    assert (decision.delay_ms_min, decision.delay_ms_max) == (500, 500)
    assert decision.idempotency_key == (
        "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42"
    )
    assert decision.reason == "no_reply"
    assert decision.attempt == 1


def test_failed_reply_attributes():
    decision = read_reply(example("reply-failed.json"))
    assert decision.next == "failed"
    assert decision.status == 400
    assert decision.error_type == "idempotency_error"
    assert decision.error_code is None
    assert decision.error_message is not None
    assert decision.request_id == "req_DemoFailed"
    assert decision.new_attempt_may_succeed is False


def test_mismatch_and_in_doubt_attributes():
    mismatch = read_reply(example("reply-mismatch.json"))
    assert (mismatch.next, mismatch.field, mismatch.planned, mismatch.returned) == (
        "mismatch",
        "amount",
        "500",
        "5000",
    )
    in_doubt = read_reply(example("reply-in-doubt.json"))
    assert (in_doubt.next, in_doubt.reason, in_doubt.status) == (
        "in_doubt",
        "replayed_server_error",
        500,
    )


@pytest.mark.parametrize("name", ["reply-confirmed.json", "reply-failed.json", "reply-mismatch.json"])
def test_a_body_as_dict_str_or_bytes_decides_the_same(name):
    given = example(name)
    as_dict = read_reply(given).to_dict()
    text = json.dumps(given["reply"]["body"])
    given["reply"]["body"] = text
    assert read_reply(given).to_dict() == as_dict
    given["reply"]["body"] = text.encode("utf-8")
    assert read_reply(given).to_dict() == as_dict


def test_a_body_that_is_not_json_nor_utf8():
    given = example("reply-failed.json")
    given["reply"]["status"] = 502
    given["reply"]["body"] = b"<html>\xff bad gateway</html>"
    as_bytes = read_reply(given)
    given["reply"]["body"] = "<html>\ufffd bad gateway</html>"
    assert read_reply(given).to_dict() == as_bytes.to_dict()


def test_find_attributes():
    found = find_debit(example("find-found.json"))
    assert isinstance(found, FindResult)
    assert (found.outcome, found.transfers, found.transfer, found.payment) == (
        "found",
        ["tr_1DemoDebit0000000001"],
        "tr_1DemoDebit0000000001",
        "py_1DemoDebit0000000001",
    )
    duplicated = find_debit(example("find-duplicated.json"))
    assert duplicated.outcome == "duplicated"
    assert duplicated.kept == "tr_1DemoDebit0000000001"
    assert len(duplicated.transfers) == 2
    not_found = find_debit(example("find-not-found.json"))
    assert (not_found.outcome, not_found.transfers, not_found.list_complete) == (
        "not_found",
        [],
        True,
    )


def test_reversal_attributes():
    planned = plan_reversal(example("reverse-planned.json"))
    assert isinstance(planned, ReversalResult)
    assert (planned.outcome, planned.amount, planned.codes) == ("planned", 200, [])
    assert planned.stripe_account == "acct_1ConnectedDemo001"
    assert planned.idempotency_key is not None
    rejected = plan_reversal(example("reverse-rejected.json"))
    assert (rejected.outcome, rejected.codes) == ("rejected", ["platform_balance_insufficient"])
    # Issue 16: written as a debit's violation is, money in minor units with its currency.
    (violation,) = rejected.to_dict()["violations"]
    assert (violation["available"], violation["amount"], violation["currency"]) == (150, 200, "usd")
    assert "1.50 usd" in violation["message"]


def test_batch_attributes():
    batch = plan_batch(load_json(BOOK))
    assert (batch.outcome, batch.rejected, batch.debits) == ("rejected", 1, 3)
    assert batch.complete is True
    assert reserve_book(load_json(BOOK)).within_days == 30
    assert reserve_book(load_json(BOOK)).complete is True


def test_an_incomplete_book_as_the_cli(cli, tmp_path):
    # Balance entries that cannot be read are named, and the book is not complete: the
    # command line exits 6, and the JSON is the same.
    book = load_json(BOOK)
    book["accounts"][1]["balance"]["available"].append({"amount": "-150000", "currency": "eur"})
    book["accounts"][1]["balance"]["available"].append({"amount": -2000, "currency": "xyz"})
    path = tmp_path / "incomplete.json"
    path.write_text(json.dumps(book))
    for command in ["batch", "book"]:
        code, from_cli = cli_output(cli, command, path)
        result = COMMANDS[command](copy.deepcopy(book))
        assert json.dumps(result.to_dict()) == json.dumps(from_cli)
        assert (code, result.complete) == (6, False)
        paths = [entry["path"] for entry in from_cli["uncounted"]]
        assert paths == [
            "accounts[1].balance.available[1].amount",
            "accounts[1].balance.available[2].currency",
        ]


def test_stripe_python_objects_inside_the_input():
    given = example("find-duplicated.json")
    plain = find_debit(given).to_dict()
    given["transfers"] = stripe.ListObject.construct_from(given["transfers"], "sk_test_x")
    given["scenario"]["connected_account"] = stripe.Account.construct_from(
        given["scenario"]["connected_account"], "sk_test_x"
    )
    given["platform_balance"] = stripe.Balance.construct_from(given["platform_balance"], "sk_test_x")
    assert find_debit(given).to_dict() == plain


def raises(command: str, value: Any) -> ReadError:
    with pytest.raises(ReadError) as caught:
        COMMANDS[command](value)
    assert isinstance(caught.value, ValueError)
    return caught.value


def test_invalid_input_raises_with_its_path():
    # The library's own errors, with the path the command line gives.
    assert raises("reply", {}).path == "scenario"
    err = raises("reply", example("reply-invalid.json"))
    assert (err.kind, err.path, err.message) == ("invalid", "attempt", "an attempt has at least one send")
    given = example("reply-retry.json")
    given["scenario"]["connected_account"]["default_currency"] = 5
    err = raises("reply", given)
    assert (err.kind, err.path) == ("wrong_type", "scenario.connected_account.default_currency")
    given = example("reverse-planned.json")
    del given["reversal_id"]
    assert (raises("reverse", given).kind, raises("reverse", given).path) == ("missing", "reversal_id")
    given = example("reverse-planned.json")
    del given["platform_balance"]
    assert (raises("reverse", given).kind, raises("reverse", given).path) == ("missing", "platform_balance")
    book = load_json(BOOK)
    book["platform_account"] = None
    assert raises("batch", book).path == "platform_account"
    assert raises("book", []).path == ""


def test_python_values_json_lacks_raise_with_their_path():
    given = example("reply-retry.json")
    given["attempt"]["sends"] = Decimal(1)
    err = raises("reply", given)
    assert (err.kind, err.path) == ("wrong_type", "attempt.sends")
    # bytes are text only as a reply's body.
    given = example("reply-retry.json")
    given["scenario"]["debit"]["id"] = b"recovery-42"
    err = raises("reply", given)
    assert (err.kind, err.path) == ("wrong_type", "scenario.debit.id")
    given = example("find-found.json")
    given["scenario"]["debit"]["id"] = b"recovery-42"
    assert raises("find", given).path == "scenario.debit.id"


@pytest.mark.parametrize("value", [10**30, 10**400, -(10**400), 1.5, float("inf"), float("nan")])
def test_numbers_that_are_not_64_bit_integers(value):
    given = example("reply-retry.json")
    given["attempt"]["now"] = value
    err = raises("reply", given)
    assert err.path == "attempt.now"
