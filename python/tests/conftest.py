"""Shared paths and scenarios for the tests of the Python package."""

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "scenarios"


def fixtures_dir() -> Path:
    """Stripe's OpenAPI fixtures: the shared copy beside the repository (as the issue names
    it), else the repository's own copy of the few it uses."""
    for candidate in (
        REPO.parent / "shared" / "fixtures" / "stripe-openapi",
        REPO / "tests" / "fixtures" / "stripe-openapi",
    ):
        if (candidate / "account.json").is_file():
            return candidate
    raise FileNotFoundError("no stripe-openapi fixtures found")


def load_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def demo() -> Dict[str, Any]:
    """The demo scenario (a fresh copy each time): 5.00 USD from 10.00 USD available."""
    return copy.deepcopy(load_json(EXAMPLES / "demo.json"))


@pytest.fixture(scope="session")
def cli() -> Path:
    """The command line binary: $ACCOUNT_DEBITS_CLI, else target/debug/account-debits,
    built when it is not there."""
    given = os.environ.get("ACCOUNT_DEBITS_CLI")
    if given:
        return Path(given)
    binary = REPO / "target" / "debug" / "account-debits"
    if not binary.is_file():
        subprocess.run(
            ["cargo", "build", "-q", "-p", "stripe-account-debits-cli"], cwd=REPO, check=True
        )
    return binary
