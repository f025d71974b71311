#!/usr/bin/env bash
# CI for the Node package (`.ci/run` calls it): install the npm packages it pins
# (package-lock.json) into node_modules, build the addon with napi-rs (a debug build: it
# reuses the library the command line's build compiled, where a release build would compile
# it again), type-check the README's example against index.d.ts with tsc --strict, run the
# runnable example, and run the tests with Node's own runner (they compare with the command
# line).
set -euo pipefail
cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
cargo build --quiet -p stripe-account-debits-cli
npm run --silent build:debug
# The README's example is examples/transfer.ts, which tsc checks against index.d.ts.
diff <(awk '/^```ts$/ { on = 1; next } on && /^```$/ { exit } on' README.md) examples/transfer.ts
npm run --silent typecheck
node examples/demo.js > /dev/null
ACCOUNT_DEBITS_CLI="${CARGO_TARGET_DIR:-$(cd .. && pwd)/target}/debug/account-debits" node --test test/*.test.js
echo "node/ci.sh: ${SECONDS} s"
