"""DebitMachine: every action kind with its attributes and its to_dict() (the same JSON as
the CLI's step command), saving and resuming, what it refuses, and the example loop
(examples/machine_loop.py) driving stripe-python's client against a local server that
plays Stripe's idempotency: a 200, then a timeout whose resend is replayed."""

import copy
import importlib.util
import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from conftest import REPO
from stripe_account_debits import (
    Action,
    DebitMachine,
    DebitOutcome,
    Escalation,
    HttpRequest,
    Planned,
    Rejected,
    ReadError,
    plan_debit,
)

T0 = 1764000000000
PLATFORM = "acct_1PlatformDemo0001"
CONNECTED = "acct_1ConnectedDemo001"
KEY = f"account-debit:{PLATFORM}:{CONNECTED}:recovery-42"
LIFECYCLE = REPO / "examples" / "lifecycle"


def transfer(amount: int = 500, id: str = "tr_1Debit") -> Dict[str, Any]:  # noqa: A002
    return {
        "id": id, "object": "transfer", "amount": amount, "amount_reversed": 0,
        "currency": "usd", "destination": PLATFORM, "destination_payment": "py_1Debit",
        "metadata": {"account_debit_id": "recovery-42"}, "reversed": False,
        "created": T0 // 1000 + 1,
    }


def started(demo: Dict[str, Any], **options: int) -> DebitMachine:
    machine = DebitMachine.start(demo, options or None)
    assert isinstance(machine, DebitMachine), machine
    return machine


def test_send_then_wait_then_the_same_key(demo):
    machine = started(demo)
    assert (machine.phase, machine.attempt) == ("sending", 1)
    send = machine.poll(T0)
    assert isinstance(send, Action)
    assert send.code == "send"
    assert (send.until_ms, send.outcome, send.escalation) == (None, None, None)
    request = send.request
    assert isinstance(request, HttpRequest)
    assert (request.method, request.path) == ("POST", "/v1/transfers")
    assert (request.stripe_account, request.idempotency_key) == (CONNECTED, KEY)
    assert request.act_by_ms == T0 + 60_000
    assert request.form[0] == ("amount", "500")
    assert request.form == plan_debit(demo).request.form
    assert request.params == plan_debit(demo).request.params
    assert request.params["amount"] == 500
    assert request.headers == {
        "Stripe-Account": CONNECTED, "Idempotency-Key": KEY,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert request.encoded_params.startswith("amount=500&currency=usd&destination=")
    assert send.to_dict()["body"] == request.encoded_params

    machine.on_reply(T0 + 80_000)  # no reply: a timeout
    wait = machine.poll(T0 + 80_000)
    assert (wait.code, wait.request, wait.until_ms, wait.jitter_ms) == ("wait", None, T0 + 80_500, 0)
    assert wait.to_dict() == {"action": "wait", "until_ms": T0 + 80_500, "jitter_ms": 0}
    again = machine.poll(T0 + 80_500)
    assert again.code == "send"
    assert again.request is not None and again.request.idempotency_key == KEY


def test_a_saved_500_waits_for_the_settle_bound_then_lists(demo):
    machine = started(demo, settle_ms=10_000)
    machine.poll(T0)
    machine.on_reply(T0 + 1_000, 500, {"Idempotent-Replayed": "true"}, {"error": {"type": "api_error"}})
    assert machine.phase == "searching"
    assert machine.poll(T0 + 1_000).until_ms == T0 + 11_000
    listing = machine.poll(T0 + 11_000)
    assert listing.code == "list"
    request = listing.request
    assert request is not None
    assert (request.method, request.path, request.idempotency_key) == ("GET", "/v1/transfers", None)
    assert request.params == {"destination": PLATFORM, "created": {"gte": str((T0 - 300_000) // 1000)}, "limit": "100"}
    assert request.headers == {"Stripe-Account": CONNECTED}
    assert listing.to_dict()["query"] == request.encoded_params
    # The complete list holds the debit's transfer: found, by the search.
    machine.on_reply(T0 + 12_000, 200, [("Request-Id", "req_1")], {"object": "list", "data": [transfer()], "has_more": False})
    done = machine.poll(T0 + 12_000)
    assert done.code == "done"
    outcome = done.outcome
    assert isinstance(outcome, DebitOutcome)
    assert (outcome.code, outcome.transfer, outcome.by, outcome.replayed) == ("confirmed", "tr_1Debit", "search", None)


def test_done_confirmed_and_failed_and_a_new_attempt(demo):
    machine = started(demo)
    machine.poll(T0)
    machine.on_reply(T0 + 900, 200, {"Idempotent-Replayed": "true"}, json.dumps(transfer()).encode())
    outcome = machine.poll(T0 + 900).outcome
    assert outcome is not None
    assert (outcome.code, outcome.transfer, outcome.payment, outcome.by, outcome.replayed, outcome.reversed) == (
        "confirmed", "tr_1Debit", "py_1Debit", "reply", True, [])
    assert (outcome.attempt, outcome.status, outcome.error_code) == (None, None, None)
    assert outcome.to_dict() == {"code": "confirmed", "transfer": "tr_1Debit", "payment": "py_1Debit",
                                 "by": "reply", "replayed": True, "reversed": []}

    machine = started(demo)
    machine.poll(T0)
    error = {"error": {"type": "invalid_request_error", "code": "balance_insufficient", "param": "amount", "message": "Insufficient funds."}}
    machine.on_reply(T0 + 900, 400, {"Request-Id": "req_9"}, json.dumps(error))
    failed = machine.poll(T0 + 900).outcome
    assert failed is not None
    assert (failed.code, failed.attempt, failed.status, failed.request_id) == ("failed", 1, 400, "req_9")
    assert (failed.error_type, failed.error_code, failed.error_param, failed.error_message) == (
        "invalid_request_error", "balance_insufficient", "amount", "Insufficient funds.")
    assert failed.new_attempt_may_succeed is True
    assert list(failed.to_dict()) == ["code", "attempt", "status", "request_id", "error", "new_attempt_may_succeed"]
    machine.new_attempt(T0 + 60_000)
    retry = machine.poll(T0 + 60_000)
    assert retry.request is not None
    assert retry.request.idempotency_key == f"account-debit#2:{PLATFORM}:{CONNECTED}:recovery-42"
    assert machine.attempt == 2


def test_escalate(demo):
    machine = started(demo)
    machine.poll(T0)
    machine.on_reply(T0 + 900, 200, {"Request-Id": "req_2"}, transfer(amount=5000))
    action = machine.poll(T0 + 900)
    assert action.code == "escalate"
    escalation = action.escalation
    assert isinstance(escalation, Escalation)
    assert (escalation.reason, escalation.field, escalation.request_id, escalation.transfers) == (
        "mismatch", "amount", "req_2", ["tr_1Debit"])
    assert escalation.detail == "Stripe returned 5000 for amount where 500 was planned"
    assert escalation.to_dict() == {k: v for k, v in action.to_dict().items() if k != "action"}
    assert machine.phase == "escalated"


def run_step(cli: Path, name: str) -> Tuple[int, Dict[str, Any]]:
    done = subprocess.run([str(cli), "step", str(LIFECYCLE / f"{name}.json")], capture_output=True, check=False)
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("name", ["step-start", "step-timeout", "step-confirmed", "step-failed", "step-escalate"])
def test_the_same_action_as_the_step_command(cli, name):
    """Each step example through DebitMachine: the same action JSON, key for key and in
    the same order, and the same state."""
    doc = json.loads((LIFECYCLE / f"{name}.json").read_text())
    if doc["state"] is None:
        machine = DebitMachine.start(doc["scenario"])
        assert isinstance(machine, DebitMachine)
    else:
        machine = DebitMachine.from_json(doc["scenario"], json.dumps(doc["state"]))
    if "reply" in doc:
        reply = doc["reply"]
        if reply is None:
            machine.on_reply(doc["now_ms"])
        else:
            machine.on_reply(doc["now_ms"], reply["status"], reply.get("headers"), reply.get("body"))
    action = machine.poll(doc["now_ms"])
    _, printed = run_step(cli, name)
    assert json.dumps(action.to_dict()) == json.dumps(printed["action"])
    assert json.loads(machine.to_json()) == printed["state"]


def test_saved_and_resumed(demo):
    machine = started(demo)
    first = machine.poll(T0)
    saved = machine.to_json()
    assert json.loads(saved)["version"] == 1
    # The caller crashed after the send: resumed, the request out reads as unanswered.
    resumed = DebitMachine.from_json(demo, saved)
    action = resumed.poll(T0 + 80_000)
    assert action.code == "wait"
    assert first.request is not None
    other = copy.deepcopy(demo)
    other["debit"]["id"] = "recovery-43"
    with pytest.raises(ReadError) as raised:
        DebitMachine.from_json(other, saved)
    assert (raised.value.kind, raised.value.path) == ("invalid", "state")
    assert raised.value.message == "the state is of another debit (its key, amount or currency differ)"
    with pytest.raises(ReadError) as raised:
        DebitMachine.from_json(demo, "{}")
    assert raised.value.path == "state"


def test_what_the_machine_refuses(demo):
    rejected = copy.deepcopy(demo)
    rejected["consent"] = None
    result = DebitMachine.start(rejected)
    assert isinstance(result, Rejected)
    assert result.codes == ["consent_missing"]

    with pytest.raises(ReadError) as raised:
        DebitMachine.start(demo, {"max_attempts": 0})
    assert (raised.value.path, raised.value.message) == ("options.max_attempts", "0 is out of range (the machine would take 1)")
    with pytest.raises(ReadError) as raised:
        DebitMachine.start(demo, {"settle_s": 1})
    assert raised.value.path == "options.settle_s"
    assert started(demo, settle_ms=5_000, max_attempts=2).to_json().count('"settle_ms":5000') == 1

    machine = started(demo)
    with pytest.raises(ValueError, match="no request is out"):
        machine.on_reply(T0)
    machine.poll(T0)
    with pytest.raises(ValueError, match="before the last time reported"):
        machine.poll(T0 - 1)
    with pytest.raises(ReadError) as raised:
        machine.on_reply(T0, 42)
    assert (raised.value.path, raised.value.message) == ("status", "42 is not an HTTP status (100 to 599)")
    with pytest.raises(ReadError) as raised:
        machine.on_reply(T0, None, {"Request-Id": "req_1"})
    assert raised.value.path == "status"
    with pytest.raises(ReadError) as raised:
        machine.on_reply(T0, 200, [("Retry-After", "1"), ("retry-after", "2")])
    assert (raised.value.path, raised.value.message) == ("headers[1]", 'the header "retry-after" is given twice')
    with pytest.raises(ReadError) as raised:
        machine.on_reply(T0, 200, {"Retry-After": 1})
    assert raised.value.path == "headers[0]"
    with pytest.raises(ReadError) as raised:
        machine.on_reply(T0, 200, None, {"amount": object()})
    assert raised.value.path == "body.amount"
    with pytest.raises(ValueError, match="a new attempt is allowed only after a failure"):
        machine.new_attempt(T0)
    # None of these was taken: the request is still out, and a reply ends it.
    machine.on_reply(T0 + 900, 200, None, transfer())
    assert machine.poll(T0 + 900).code == "done"


def test_request_for(demo):
    result = plan_debit(demo)
    assert isinstance(result, Planned)
    assert result.request_for(1).idempotency_key == result.request.idempotency_key == KEY
    second = result.request_for(2)
    assert second.idempotency_key == f"account-debit#2:{PLATFORM}:{CONNECTED}:recovery-42"
    assert second.form == result.request.form
    with pytest.raises(ValueError, match="attempts count from 1"):
        result.request_for(0)


# The example loop against a local server that plays Stripe.

API_KEY = "sk_test_local_only"


class PlaysStripe(BaseHTTPRequestHandler):
    """POST /v1/transfers with Stripe's idempotency as documented: the result is saved
    under the key when the request executes, and a later send of the key gets it again
    with ``Idempotent-Replayed: true``. With ``slow``, the first send's reply comes only
    after the client has given up (the transfer is made all the same)."""

    received: List[Dict[str, Any]] = []
    saved: Dict[str, bytes] = {}
    transfers: List[str] = []
    slow = False

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("ascii")
        PlaysStripe.received.append(
            {"method": self.command, "path": urlsplit(self.path).path, "headers": dict(self.headers), "form": parse_qsl(body, strict_parsing=True)}
        )
        key = self.headers["Idempotency-Key"]
        if key in PlaysStripe.saved:
            return self.answer(PlaysStripe.saved[key], replayed=True)
        fields = dict(parse_qsl(body))
        made = transfer(int(fields["amount"]), id=f"tr_1Local{len(PlaysStripe.transfers):011d}")
        made.update(currency=fields["currency"], destination=fields["destination"],
                    metadata={"account_debit_id": fields["metadata[account_debit_id]"]})
        PlaysStripe.transfers.append(made["id"])
        PlaysStripe.saved[key] = json.dumps(made).encode()
        if PlaysStripe.slow and len(PlaysStripe.received) == 1:
            time.sleep(1.0)  # past the client's timeout: it sees no reply
        try:
            self.answer(PlaysStripe.saved[key], replayed=False)
        except OSError:
            pass  # the client has gone

    def answer(self, body: bytes, replayed: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Request-Id", f"req_local{len(PlaysStripe.received)}")
        if replayed:
            self.send_header("Idempotent-Replayed", "true")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def plays_stripe() -> Iterator[str]:
    PlaysStripe.received, PlaysStripe.saved, PlaysStripe.transfers, PlaysStripe.slow = [], {}, [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlaysStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def example() -> Any:
    path = REPO / "python" / "examples" / "machine_loop.py"
    spec = importlib.util.spec_from_file_location("machine_loop", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def client(base: str, timeout: float) -> stripe.StripeClient:
    return stripe.StripeClient(
        API_KEY, base_addresses={"api": base}, max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def bounded_sleep() -> Any:
    """time.sleep, refusing to sleep more than 5 s in all: the test stops by itself."""
    slept = [0.0]

    def sleep(seconds: float) -> None:
        slept[0] += seconds
        assert slept[0] < 5.0, "the loop waited too long"
        time.sleep(seconds)

    return sleep


def assert_arrived_as_planned(arrived: Dict[str, Any], demo: Dict[str, Any], key: str) -> None:
    planned = plan_debit(demo)
    assert isinstance(planned, Planned)
    assert (arrived["method"], arrived["path"]) == ("POST", "/v1/transfers")
    assert arrived["headers"]["Stripe-Account"] == CONNECTED
    assert arrived["headers"]["Idempotency-Key"] == key
    assert arrived["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert arrived["headers"]["Authorization"] == f"Bearer {API_KEY}"
    assert arrived["form"] == planned.request.form


def test_the_example_loop_debits_through_stripe_python(plays_stripe, demo):
    saves: List[str] = []
    outcome = example().run_debit(demo, client(plays_stripe, 10.0), saves.append, sleep=bounded_sleep())
    assert isinstance(outcome, DebitOutcome), outcome
    assert (outcome.code, outcome.transfer, outcome.by, outcome.replayed) == (
        "confirmed", "tr_1Local00000000000", "reply", False)
    (arrived,) = PlaysStripe.received
    assert_arrived_as_planned(arrived, demo, KEY)
    # Saved before the send, with the request out.
    (saved,) = saves
    assert json.loads(saved)["out"]["what"] == "debit"


def test_the_example_loop_resends_the_same_key_after_a_timeout(plays_stripe, demo):
    PlaysStripe.slow = True
    saves: List[str] = []
    outcome = example().run_debit(demo, client(plays_stripe, 0.3), saves.append, sleep=bounded_sleep())
    assert isinstance(outcome, DebitOutcome), outcome
    # One transfer, made by the first send; the resend got it replayed.
    assert PlaysStripe.transfers == ["tr_1Local00000000000"]
    assert (outcome.code, outcome.transfer, outcome.replayed) == ("confirmed", "tr_1Local00000000000", True)
    first, second = PlaysStripe.received
    assert_arrived_as_planned(first, demo, KEY)
    assert_arrived_as_planned(second, demo, KEY)
    assert len(saves) == 2


def test_the_example_loop_resumes_after_a_crash(plays_stripe, demo):
    """A caller that died after saving, before (or while) sending: resumed from the state
    saved, the loop sends the same key again and the debit is made once."""
    machine = started(demo)
    machine.poll(int(time.time() * 1000))
    saved = machine.to_json()
    outcome = example().run_debit(demo, client(plays_stripe, 10.0), lambda _: None, saved=saved, sleep=bounded_sleep())
    assert isinstance(outcome, DebitOutcome)
    assert outcome.code == "confirmed"
    (arrived,) = PlaysStripe.received
    assert_arrived_as_planned(arrived, demo, KEY)
