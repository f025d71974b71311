#!/usr/bin/env bash
# CI for the Python package (`.ci/run` calls it): in a fresh virtual environment, install
# the package with pip (maturin builds it, fetched by pip), check its type stubs against
# the built module and the README's example with mypy, and run the pytest tests (which
# compare with the CLI, built here).
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: the stripe-python whose objects the tests build (16.x, the newest on PyPI when
# written), and the test and typing tools.
STRIPE=stripe==16.1.0
PYTEST=pytest==9.2.0
MYPY=mypy==2.4.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
py=$work/venv/bin/python

"$py" -m pip install --quiet --disable-pip-version-check ./python "$STRIPE" "$PYTEST" "$MYPY"

# The stubs name what the module has, with the same signatures.
(cd "$work" && "$py" -m mypy.stubtest stripe_account_debits)
# The examples (the README's, and the machine's loop) type-check against them.
"$py" -m mypy --strict --cache-dir "$work/mypy-cache" python/examples/transfer.py python/examples/machine_loop.py

cargo build --quiet -p stripe-account-debits-cli
# Run from the repository's root, so the installed package is imported, not python/'s
# sources (which lack the built module).
ACCOUNT_DEBITS_CLI="${CARGO_TARGET_DIR:-$PWD/target}/debug/account-debits" "$py" -m pytest -p no:cacheprovider python/tests
echo "python/ci.sh: ${SECONDS} s"
