"""The Python API and the command line give the same outcome for the same scenario: the
example scenarios, and variants of the demo that reach every outcome kind and many input
errors (the Python side reads the dict json.load gives, the CLI the file's text)."""

import copy
import json
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from conftest import EXAMPLES, load_json
from stripe_account_debits import ReadError, plan_debit


def python_outcome(scenario: Any) -> Dict[str, Any]:
    try:
        return plan_debit(scenario).to_dict()
    except ReadError as err:
        return err.to_dict()


def cli_outcome(cli: Path, path: Path) -> Tuple[int, Dict[str, Any]]:
    run = subprocess.run([str(cli), "plan", str(path)], capture_output=True, text=True, timeout=60)
    return run.returncode, json.loads(run.stdout)


EXIT = {"planned": 0, "rejected": 1, "invalid_input": 2}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_each_example_scenario(cli, name):
    path = EXAMPLES / name
    code, from_cli = cli_outcome(cli, path)
    from_python = python_outcome(load_json(path))
    assert from_python == from_cli
    # Keys in the same order too: the same JSON text.
    assert json.dumps(from_python) == json.dumps(from_cli)
    assert code == EXIT[from_cli["outcome"]]


def set_at(*where: Any) -> Callable[[Dict[str, Any]], None]:
    *keys, value = where

    def change(scenario: Dict[str, Any]) -> None:
        target = scenario
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def drop(*keys: Any) -> Callable[[Dict[str, Any]], None]:
    def change(scenario: Dict[str, Any]) -> None:
        target = scenario
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return change


VARIANTS: List[Tuple[str, Callable[[Dict[str, Any]], None]]] = [
    ("demo", lambda s: None),
    ("short balance", set_at("connected_balance", "available", 0, "amount", 100)),
    ("no bank account", drop("connected_account", "external_accounts")),
    ("more bank accounts", set_at("connected_account", "external_accounts", "has_more", True)),
    ("eur debit", set_at("debit", "currency", "eur")),
    ("no consent", set_at("consent", None)),
    ("consent revoked", set_at("consent", "revoked_at", 1710000000)),
    ("consent later", set_at("consent", "granted_at", 1800000000)),
    ("platform liable", set_at("connected_account", "controller", "losses", "payments", "application")),
    ("same account", set_at("connected_account", "id", "acct_1PlatformDemo0001")),
    ("zero", set_at("debit", "amount", 0)),
    ("negative", set_at("debit", "amount", -5)),
    ("huge", set_at("debit", "amount", 9223372036854775807)),
    ("u64", set_at("debit", "amount", 18446744073709551615)),
    ("beyond u64", set_at("debit", "amount", 18446744073709551616)),
    ("float", set_at("debit", "amount", 5.5)),
    ("whole float", set_at("debit", "amount", 500.0)),
    ("string amount", set_at("debit", "amount", "500")),
    ("bool amount", set_at("debit", "amount", False)),
    ("payout", set_at("debit", "reference_transaction", {"id": "po_1", "account": "acct_1ConnectedDemo001"})),
    ("payment intent", set_at("debit", "reference_transaction", "id", "pi_1")),
    ("object disagrees", set_at("debit", "reference_transaction", "object", "payout")),
    ("other account's charge", set_at("debit", "reference_transaction", "account", "acct_1Other")),
    ("unknown currency", set_at("debit", "currency", "xyz")),
    ("uppercase currency", set_at("debit", "currency", "USD")),
    ("jpy platform", set_at("platform_account", "default_currency", "jpy")),
    ("country", set_at("connected_account", "country", "JP")),
    ("bad country", set_at("connected_account", "country", "ZZ")),
    ("country int", set_at("connected_account", "country", 1)),
    ("bad id", set_at("platform_account", "id", "cus_1")),
    ("long debit id", set_at("debit", "id", "x" * 200)),
    ("at string", set_at("at", "2025")),
    ("at null", set_at("at", None)),
    ("no debit", drop("debit")),
    ("no platform", drop("platform_account")),
    ("balance list", set_at("connected_balance", [])),
    ("available object", set_at("connected_balance", "available", {})),
    ("entry null", set_at("connected_balance", "available", [None])),
    ("other currency unreadable", lambda s: s["connected_balance"]["available"].append({"amount": "x", "currency": "eur"})),
    ("debit currency unreadable", lambda s: s["connected_balance"]["available"].append({"amount": "x", "currency": "usd"})),
    ("evidence int", set_at("consent", "evidence", 42)),
    ("nested deep", set_at("connected_account", "metadata", json.loads("[" * 100 + "]" * 100))),
    ("unicode key", set_at("connected_account", "m\u00e9ta\n", {"a": 1})),
]


@pytest.mark.parametrize("name, change", VARIANTS, ids=[name for name, _ in VARIANTS])
def test_variants_of_the_demo(cli, tmp_path, demo, name, change):
    scenario = copy.deepcopy(demo)
    change(scenario)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    code, from_cli = cli_outcome(cli, path)
    from_python = python_outcome(scenario)
    assert from_python == from_cli
    assert json.dumps(from_python) == json.dumps(from_cli)
    assert code == EXIT[from_cli["outcome"]]


def test_the_variants_reach_every_outcome(demo):
    seen = set()
    for _, change in VARIANTS:
        scenario = copy.deepcopy(demo)
        change(scenario)
        seen.add(python_outcome(scenario)["outcome"])
    assert seen == {"planned", "rejected", "invalid_input"}
