"""Scenarios made of stripe-python's own objects (stripe.Account.construct_from on Stripe's
fixtures), and the planned request sent through stripe-python to a local server on
127.0.0.1: what arrives is what was planned."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List
from urllib.parse import parse_qsl

import pytest
import stripe

from conftest import EXAMPLES, fixtures_dir, load_json
from stripe_account_debits import Planned, ReadError, plan_debit

API_KEY = "sk_test_local_only"
CONSENT = {"granted_at": 1700000000, "revoked_at": None, "evidence": "agreement-42"}


def fixture(name: str) -> Dict[str, Any]:
    return load_json(fixtures_dir() / f"{name}.json")


def fixture_scenario_json() -> Dict[str, Any]:
    """The fixture account as the connected account (a Standard account: Stripe is liable),
    a copy with another id as the platform, the fixture balance, the fixture charge."""
    connected = fixture("account")
    platform = dict(connected, id="acct_1PlatformFromFixture")
    charge = dict(fixture("charge"), account=connected["id"])
    return {
        "at": 1764000000,
        "platform_account": platform,
        "connected_account": connected,
        "connected_balance": fixture("balance"),
        "consent": CONSENT,
        "debit": {
            "id": "recovery-42",
            "amount": 500,
            "currency": "usd",
            "reference_transaction": charge,
        },
    }


def fixture_scenario_objects() -> Dict[str, Any]:
    """The same scenario, each Stripe object as stripe-python builds it."""
    plain = fixture_scenario_json()
    debit = dict(plain["debit"])
    debit["reference_transaction"] = stripe.Charge.construct_from(
        debit["reference_transaction"], API_KEY
    )
    return {
        "at": plain["at"],
        "platform_account": stripe.Account.construct_from(plain["platform_account"], API_KEY),
        "connected_account": stripe.Account.construct_from(plain["connected_account"], API_KEY),
        "connected_balance": stripe.Balance.construct_from(plain["connected_balance"], API_KEY),
        "consent": plain["consent"],
        "debit": debit,
    }


def test_stripe_objects_are_not_dicts_but_read_as_the_json_does():
    scenario = fixture_scenario_objects()
    assert not isinstance(scenario["connected_account"], dict)
    from_objects = plan_debit(scenario)
    from_json = plan_debit(fixture_scenario_json())
    assert isinstance(from_objects, Planned), from_objects
    assert from_objects.to_dict() == from_json.to_dict()
    # The fixture balance has nothing available: Stripe holds the debit in reserve, and the
    # fixture account lists no verified bank account.
    assert from_objects.reserve_hold is not None
    assert from_objects.reserve_hold.amount == 500
    assert [a.code for a in from_objects.advisories] == ["bank_account_unverified"]


def test_stripe_objects_nested_in_plain_dicts_at_any_depth():
    plain = fixture_scenario_json()
    balance = dict(plain["connected_balance"])
    balance["available"] = [stripe.StripeObject.construct_from(e, API_KEY) for e in balance["available"]]
    plain["connected_balance"] = balance
    connected = dict(plain["connected_account"])
    connected["controller"] = stripe.StripeObject.construct_from(connected["controller"], API_KEY)
    plain["connected_account"] = connected
    assert plan_debit(plain).to_dict() == plan_debit(fixture_scenario_json()).to_dict()


def test_an_error_inside_a_stripe_object_names_its_path():
    plain = fixture_scenario_json()
    plain["connected_account"] = dict(plain["connected_account"], default_currency=7)
    scenario = dict(plain)
    scenario["connected_account"] = stripe.Account.construct_from(plain["connected_account"], API_KEY)
    with pytest.raises(ReadError) as raised:
        plan_debit(scenario)
    assert raised.value.path == "connected_account.default_currency"
    assert raised.value.kind == "wrong_type"


class Recorder(BaseHTTPRequestHandler):
    """Records each request and answers as Stripe would, with a Transfer."""

    received: List[Dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("ascii")
        Recorder.received.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        fields = dict(parse_qsl(body))
        reply = json.dumps(
            {
                "id": "tr_1LocalServer000001",
                "object": "transfer",
                "amount": int(fields.get("amount", "0")),
                "currency": fields.get("currency"),
                "destination": fields.get("destination"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def local_stripe() -> Iterator[str]:
    """A server on 127.0.0.1 (a free port) standing in for api.stripe.com, for this test
    only."""
    Recorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def assert_arrived_as_planned(arrived: Dict[str, Any], result: Planned) -> None:
    request = result.request
    assert arrived["method"] == request.method
    assert arrived["path"] == request.path
    assert arrived["headers"]["Stripe-Account"] == request.stripe_account
    assert arrived["headers"]["Idempotency-Key"] == request.idempotency_key
    assert arrived["headers"]["Content-Type"] == request.headers["Content-Type"]
    assert arrived["headers"]["Authorization"] == f"Bearer {API_KEY}"
    # The same fields, in the same order, as the plan's form.
    assert parse_qsl(arrived["body"], strict_parsing=True) == request.form


def test_the_request_sent_through_stripe_python_is_the_planned_one(local_stripe, monkeypatch):
    result = plan_debit(fixture_scenario_objects())
    assert isinstance(result, Planned)
    monkeypatch.setattr(stripe, "api_key", API_KEY)
    monkeypatch.setattr(stripe, "api_base", local_stripe)
    monkeypatch.setattr(stripe, "max_network_retries", 0)

    request = result.request
    transfer = stripe.Transfer.create(
        **request.params,
        stripe_account=request.stripe_account,
        idempotency_key=request.idempotency_key,
    )

    assert transfer.id == "tr_1LocalServer000001"
    assert transfer.amount == result.transfer.amount
    (arrived,) = Recorder.received
    assert_arrived_as_planned(arrived, result)
    assert parse_qsl(arrived["body"]) == [
        ("amount", "500"),
        ("currency", "usd"),
        ("destination", "acct_1PlatformFromFixture"),
        ("reference_transaction[type]", "charge"),
        ("reference_transaction[charge]", fixture("charge")["id"]),
        ("metadata[account_debit_id]", "recovery-42"),
    ]


def test_a_service_charge_is_sent_with_stripe_charge_create(local_stripe, monkeypatch):
    """A platform-managed service charge plans `POST /v1/charges` on the platform (no
    `Stripe-Account`): the README's example sends it with `stripe.Charge.create`, and what
    arrives is what was planned."""
    result = plan_debit(load_json(EXAMPLES / "platform_managed.json"))
    assert isinstance(result, Planned), result
    assert (result.method, result.request.path) == ("charge", "/v1/charges")
    monkeypatch.setattr(stripe, "api_key", API_KEY)
    monkeypatch.setattr(stripe, "api_base", local_stripe)
    monkeypatch.setattr(stripe, "max_network_retries", 0)

    request = result.request
    assert request.stripe_account is None
    stripe.Charge.create(**request.params, idempotency_key=request.idempotency_key)

    (arrived,) = Recorder.received
    assert (arrived["method"], arrived["path"]) == ("POST", "/v1/charges")
    assert "Stripe-Account" not in arrived["headers"]
    assert arrived["headers"]["Idempotency-Key"] == request.idempotency_key
    assert parse_qsl(arrived["body"], strict_parsing=True) == request.form
    assert parse_qsl(arrived["body"]) == [
        ("amount", "1500"),
        ("currency", "usd"),
        ("source", "acct_1ExpressDemo0001"),
        ("metadata[account_debit_id]", "fee-2025-11"),
    ]


def test_the_same_through_a_stripe_client(local_stripe):
    scenario = fixture_scenario_objects()
    scenario["debit"]["reference_transaction"] = stripe.Payout.construct_from(
        dict(fixture("payout"), account=scenario["connected_account"]["id"]), API_KEY
    )
    result = plan_debit(scenario)
    assert isinstance(result, Planned), result
    client = stripe.StripeClient(
        API_KEY, base_addresses={"api": local_stripe}, max_network_retries=0
    )
    request = result.request
    client.v1.transfers.create(
        params=request.params,  # type: ignore[arg-type]
        options={"stripe_account": request.stripe_account, "idempotency_key": request.idempotency_key},
    )
    (arrived,) = Recorder.received
    assert_arrived_as_planned(arrived, result)
    assert ("reference_transaction[type]", "payout") in parse_qsl(arrived["body"])


class Fresh:
    """An object whose to_dict() builds new objects, and new strings, on every call: the
    reader must keep what it lends alive until it ends (nothing else holds them)."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self._json = json.dumps(data)

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._json)


def test_text_from_temporary_objects_stays_valid():
    plain = fixture_scenario_json()
    expected = plan_debit(plain).to_dict()
    scenario = {key: Fresh(value) if isinstance(value, dict) else value for key, value in plain.items()}
    for _ in range(50):
        assert plan_debit(scenario).to_dict() == expected


def test_the_whole_scenario_may_be_one_object():
    assert plan_debit(Fresh(fixture_scenario_json())).to_dict() == plan_debit(
        fixture_scenario_json()
    ).to_dict()
