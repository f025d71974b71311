"""Every outcome kind through plan_debit: planned (with and without a reserve hold, with an
advisory, on a charge or a payout), rejected, and the result objects' types."""

from decimal import Decimal

import pytest

from conftest import EXAMPLES, load_json

import stripe_account_debits as sad
from stripe_account_debits import Planned, Rejected, plan_debit


def test_demo_is_planned_with_exact_amounts(demo):
    result = plan_debit(demo)
    assert isinstance(result, Planned)
    assert result.outcome == "planned"
    transfer = result.transfer
    assert transfer.account == "acct_1ConnectedDemo001"
    assert transfer.destination == "acct_1PlatformDemo0001"
    assert transfer.amount == 500 and type(transfer.amount) is int
    assert transfer.amount_major == Decimal("5.00") and type(transfer.amount_major) is Decimal
    assert transfer.currency == "usd"
    assert (transfer.reference_type, transfer.reference_id) == ("charge", "ch_1DemoCharge00000001")
    payment = result.payment
    assert (payment.account, payment.source_account) == (
        "acct_1PlatformDemo0001",
        "acct_1ConnectedDemo001",
    )
    assert (payment.amount, payment.amount_major, payment.currency) == (500, Decimal("5.00"), "usd")
    assert result.reserve_hold is None
    balance = result.connected_available
    assert (balance.before, balance.after, balance.currency) == (1000, 500, "usd")
    assert (balance.before_major, balance.after_major) == (Decimal("10.00"), Decimal("5.00"))
    assert type(balance.after_major) is Decimal
    assert result.platform_available_change == 500
    assert result.platform_available_change_major == Decimal("5.00")
    assert result.advisories == []


def test_the_request_is_what_stripe_python_takes(demo):
    request = plan_debit(demo).request
    assert (request.method, request.path) == ("POST", "/v1/transfers")
    assert request.stripe_account == "acct_1ConnectedDemo001"
    assert (
        request.idempotency_key
        == "account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42"
    )
    assert request.headers == {
        "Stripe-Account": "acct_1ConnectedDemo001",
        "Idempotency-Key": request.idempotency_key,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert request.form == [
        ("amount", "500"),
        ("currency", "usd"),
        ("destination", "acct_1PlatformDemo0001"),
        ("reference_transaction[type]", "charge"),
        ("reference_transaction[charge]", "ch_1DemoCharge00000001"),
        ("metadata[account_debit_id]", "recovery-42"),
    ]
    assert request.params == {
        "amount": 500,
        "currency": "usd",
        "destination": "acct_1PlatformDemo0001",
        "reference_transaction": {"type": "charge", "charge": "ch_1DemoCharge00000001"},
        "metadata": {"account_debit_id": "recovery-42"},
    }
    # A new dict on each read: changing one leaves the plan alone.
    request.params["amount"] = 1
    assert request.params["amount"] == 500


def test_a_balance_short_of_the_debit_plans_a_reserve_hold(demo):
    demo["connected_balance"]["available"][0]["amount"] = 100
    result = plan_debit(demo)
    assert isinstance(result, Planned)
    hold = result.reserve_hold
    assert hold is not None
    # Stripe holds the part the balance lacks in reserve on the platform.
    assert (hold.account, hold.amount, hold.amount_major, hold.currency) == (
        "acct_1PlatformDemo0001",
        400,
        Decimal("4.00"),
        "usd",
    )
    assert (result.connected_available.before, result.connected_available.after) == (100, -400)
    assert result.to_dict()["reserve_hold"] == {
        "account": "acct_1PlatformDemo0001",
        "amount": 400,
        "currency": "usd",
    }


def test_no_verified_bank_account_is_an_advisory(demo):
    del demo["connected_account"]["external_accounts"]
    result = plan_debit(demo)
    assert isinstance(result, Planned)
    (advisory,) = result.advisories
    assert isinstance(advisory, sad.Advisory)
    assert advisory.code == "bank_account_unverified"
    assert "no verified bank account in usd" in advisory.message
    assert advisory.details == {
        "account": "acct_1ConnectedDemo001",
        "currency": "usd",
        "listed_in_full": True,
    }
    assert result.to_dict()["advisories"] == [advisory.to_dict()]


def test_a_payout_reference(demo):
    demo["debit"]["reference_transaction"] = {
        "id": "po_1DemoPayout00000001",
        "object": "payout",
        "account": "acct_1ConnectedDemo001",
    }
    request = plan_debit(demo).request
    assert request.params["reference_transaction"] == {
        "type": "payout",
        "payout": "po_1DemoPayout00000001",
    }


def test_zero_decimal_currency_amounts(demo):
    for account in ("platform_account", "connected_account"):
        demo[account].update(country="JP", default_currency="jpy")
    demo["connected_account"]["external_accounts"]["data"][0]["currency"] = "jpy"
    demo["connected_balance"]["available"] = [{"amount": 1000, "currency": "jpy"}]
    demo["debit"].update(currency="jpy", amount=500)
    result = plan_debit(demo)
    assert isinstance(result, Planned), result
    assert (result.transfer.amount, result.transfer.amount_major) == (500, Decimal("500"))


def test_rejected_is_a_result_with_violations_and_codes(demo):
    demo["consent"] = None
    demo["debit"]["currency"] = "eur"
    result = plan_debit(demo)
    assert isinstance(result, Rejected)
    assert result.outcome == "rejected"
    assert result.codes == [v.code for v in result.violations]
    assert "consent_missing" in result.codes
    assert "currency_mismatch" in result.codes
    for violation in result.violations:
        assert isinstance(violation, sad.Violation)
        assert violation.message
        assert violation.to_dict() == {
            "code": violation.code,
            "message": violation.message,
            **violation.details,
        }
    out = result.to_dict()
    assert out["outcome"] == "rejected"
    assert [v["code"] for v in out["violations"]] == result.codes


def test_a_violation_carries_its_details(demo):
    demo["debit"]["reference_transaction"]["account"] = "acct_1SomeoneElse0001"
    result = plan_debit(demo)
    assert isinstance(result, Rejected)
    (violation,) = [v for v in result.violations if v.code == "reference_other_account"]
    assert "acct_1SomeoneElse0001" in violation.details.values()


def test_the_same_scenario_plans_alike_every_time(demo):
    first = plan_debit(demo).to_dict()
    for _ in range(3):
        assert plan_debit(demo).to_dict() == first


def test_results_are_immutable(demo):
    result = plan_debit(demo)
    with pytest.raises(AttributeError):
        result.transfer = None  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.transfer.amount = 1  # type: ignore[misc]


def test_to_dict_has_the_cli_shape(demo):
    out = plan_debit(demo).to_dict()
    assert set(out) == {
        "outcome",
        "flow",
        "method",
        "transfer",
        "payment",
        "reserve_hold",
        "connected_available",
        "platform_available_change",
        "advisories",
        "request",
    }
    assert out["request"]["form"][0] == ["amount", "500"]


def test_a_service_charge_of_a_platform_managed_account_is_a_charge(demo):
    scenario = load_json(EXAMPLES / "platform_managed.json")
    result = plan_debit(scenario)
    assert isinstance(result, Planned)
    assert (result.flow, result.method) == ("platform_managed", "charge")
    request = result.request
    assert (request.path, request.stripe_account) == ("/v1/charges", None)
    assert "Stripe-Account" not in request.headers
    assert request.params == {
        "amount": 1500,
        "currency": "usd",
        "source": "acct_1ExpressDemo0001",
        "metadata": {"account_debit_id": "fee-2025-11"},
    }
    assert (result.transfer.reference_type, result.transfer.reference_id) == (None, None)
    assert plan_debit(demo).flow == "stripe_managed"


def test_every_name_is_exported():
    for name in sad.__all__:
        assert hasattr(sad, name), name
    assert issubclass(sad.ReadError, ValueError)
