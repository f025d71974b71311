"""How fast plan_debit is from Python: calls per second on the demo scenario as a dict, on
one core (a benchmark script, not a test: the only check is that the pure-Python comparison
gives the same answers as the crate on the example scenarios).

    python python/bench.py            # after pip install ./python
    python python/bench.py --once plan_columns   # one call, for callgrind (docs/performance.md)
    python python/bench.py --once plan_debit 10000   # that many calls on the demo, for callgrind

It prints calls/s and the time per call of plan_debit alone, of plan_debit reading the
request's params (what a caller that sends it does), and of plan_debit with to_dict(); of a
pure-Python implementation of the same rules on the same dict, and the ratio; json.loads of
the same scenario's text, for scale; and debits per second on a book of 20,000
Stripe-managed debits built in memory, three ways: plan_batch (one call plans them all),
Ledger.plan_columns on the same debits as columns (the ledger built once beforehand, not
timed; then with the result columns read), and a pure-Python loop of the same rules over
the same columns with running balances (checked to answer as plan_columns does on that
book and on a smaller one with rejected rows).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

# This file sits beside the package's sources, which lack the built module: import the
# installed package instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

from stripe_account_debits import Ledger, _native, plan_batch, plan_debit  # noqa: E402

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
DEMO = SCENARIOS / "demo.json"

# ---------------------------------------------------------------------------------------
# The comparison: the Stripe-managed flow's rules written plainly in Python, reading the
# same dict. It judges the same seventeen rules in the same order and builds the same
# plan (the transfer's form, its Idempotency-Key, the balance before and after, the
# unverified-bank advisory), as a dict. It is what a Python service would write without
# the crate: no typed errors with paths, no checked reading of every field's type.
# ---------------------------------------------------------------------------------------

EUROPE = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "IS LI NO GB CH GI".split()
)
REGIONS = {"AU": "australia", "CA": "canada", "HK": "hong_kong", "JP": "japan",
           "NZ": "new_zealand", "US": "united_states"}
REGIONS.update((country, "europe") for country in EUROPE)
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())
NO_MINOR_UNIT = frozenset("xag xau xba xbb xbc xbd xdr xpd xpt xsu xts xua xxx".split())
REFERENCE_TYPES = {"ch_": "charge", "py_": "payment", "po_": "payout"}
INT64_MAX = 2**63 - 1


def loss_liability(account):
    controller = account.get("controller") or {}
    payments = (controller.get("losses") or {}).get("payments")
    if payments == "application":
        return "platform"
    if payments == "stripe":
        return "stripe"
    if controller.get("type") == "account" or account.get("type") == "standard":
        return "stripe"
    return "unknown"


def verified_bank_currencies(account):
    banks = (account.get("external_accounts") or {}).get("data") or []
    return {b.get("currency") for b in banks
            if b.get("object") == "bank_account" and b.get("status") == "verified"}


def python_plan_debit(scenario):
    """The Stripe-managed flow in plain Python: {"outcome": "planned", ...} or
    {"outcome": "rejected", "violations": [codes]}."""
    at = scenario["at"]
    platform, connected = scenario["platform_account"], scenario["connected_account"]
    debit, consent = scenario["debit"], scenario.get("consent")
    amount, currency = debit["amount"], debit["currency"].lower()
    connected_id, platform_id = connected["id"], platform["id"]
    violations = []
    liability = loss_liability(connected)
    if liability == "platform":
        violations.append("loss_liability_not_stripe")
    elif liability == "unknown":
        violations.append("loss_liability_unknown")
    if connected_id == platform_id:
        violations.append("same_account")
    platform_region = REGIONS.get(platform["country"].upper())
    connected_region = REGIONS.get(connected["country"].upper())
    if platform_region is None:
        violations.append("platform_region_unsupported")
    if connected_region is None:
        violations.append("connected_region_unsupported")
    if platform_region and connected_region and platform_region != connected_region:
        violations.append("region_mismatch")
    if currency != connected["default_currency"].lower():
        violations.append("currency_mismatch")
    if currency in NO_MINOR_UNIT:
        violations.append("currency_unsupported")
    else:
        if amount <= 0:
            violations.append("amount_not_positive")
        elif (currency in THREE_DECIMAL and amount % 10) or (currency == "isk" and amount % 100):
            violations.append("amount_too_precise")
        elif amount > INT64_MAX:
            violations.append("amount_out_of_range")
    reference = debit.get("reference_transaction")
    reference_id = reference if isinstance(reference, str) else (reference or {}).get("id")
    reference_type = REFERENCE_TYPES.get((reference_id or "")[:3])
    if not reference_id:
        violations.append("reference_missing")
    elif reference_type is None:
        violations.append("reference_kind_unsupported")
    elif isinstance(reference, dict) and reference.get("account") not in (None, connected_id):
        violations.append("reference_other_account")
    if consent is None:
        violations.append("consent_missing")
    elif consent["granted_at"] > at:
        violations.append("consent_not_yet_valid")
    elif consent.get("revoked_at") is not None and consent["revoked_at"] <= at:
        violations.append("consent_revoked")
    if violations:
        return {"outcome": "rejected", "violations": violations}
    before = 0
    for entry in scenario["connected_balance"].get("available", []):
        if entry["currency"].lower() == currency:
            before = entry["amount"]
    after = before - amount
    if not -INT64_MAX - 1 <= after:
        return {"outcome": "rejected", "violations": ["amount_out_of_range"]}
    key = f"account-debit:{platform_id}:{connected_id}:{debit['id']}"
    form = [
        ("amount", str(amount)),
        ("currency", currency),
        ("destination", platform_id),
        ("reference_transaction[type]", reference_type),
        (f"reference_transaction[{reference_type}]", reference_id),
        ("metadata[account_debit_id]", debit["id"]),
    ]
    advisories = []
    if currency not in verified_bank_currencies(connected):
        advisories.append("bank_account_unverified")
    return {
        "outcome": "planned",
        "flow": "stripe_managed",
        "transfer": {"account": connected_id, "destination": platform_id,
                     "amount": amount, "currency": currency},
        "connected_available": {"before": before, "after": after, "currency": currency},
        "advisories": advisories,
        "request": {"method": "POST", "path": "/v1/transfers",
                    "headers": {"Stripe-Account": connected_id, "Idempotency-Key": key},
                    "form": form},
    }


def python_plan_columns(book, accounts, debit_ids, amounts, currency, references):
    """The same Stripe-managed rules in plain Python over columns, as Ledger.plan_columns
    takes them: each account's facts worked out once, then one loop over the rows with
    running balances and the ids planned (debit_id_reused). Returns columns: whether each
    row is planned, its reserve and balance after (None when rejected), and the rules each
    rejected row breaks; a planned row's request is built by python_request when asked."""
    at, platform = book["at"], book["platform_account"]
    platform_id = platform["id"]
    platform_region = REGIONS.get(platform["country"].upper())
    facts, balances = {}, {}
    for entry in book["accounts"]:
        account, consent = entry["account"], entry.get("consent")
        liability = loss_liability(account)
        region = REGIONS.get(account["country"].upper())
        if consent is None:
            consent_code = "consent_missing"
        elif consent["granted_at"] > at:
            consent_code = "consent_not_yet_valid"
        elif consent.get("revoked_at") is not None and consent["revoked_at"] <= at:
            consent_code = "consent_revoked"
        else:
            consent_code = None
        facts[account["id"]] = (
            liability, region, account["default_currency"].lower(), consent_code,
            verified_bank_currencies(account),
        )
        balances[account["id"]] = {
            e["currency"].lower(): e["amount"] for e in entry["balance"].get("available", [])
        }
    planned_ids = set()
    n = len(accounts)
    planned, reserve, after_column, violations = [False] * n, [None] * n, [None] * n, {}
    one_currency = currency.lower() if isinstance(currency, str) else None
    for i in range(n):
        account_id, debit_id, amount = accounts[i], debit_ids[i], amounts[i]
        code = one_currency or currency[i].lower()
        reference_id = references[i]
        liability, region, default_currency, consent_code, _ = facts[account_id]
        broken = []
        if liability == "platform":
            broken.append("loss_liability_not_stripe")
        elif liability == "unknown":
            broken.append("loss_liability_unknown")
        if account_id == platform_id:
            broken.append("same_account")
        if platform_region is None:
            broken.append("platform_region_unsupported")
        if region is None:
            broken.append("connected_region_unsupported")
        if platform_region and region and platform_region != region:
            broken.append("region_mismatch")
        if code != default_currency:
            broken.append("currency_mismatch")
        if code in NO_MINOR_UNIT:
            broken.append("currency_unsupported")
        elif amount <= 0:
            broken.append("amount_not_positive")
        elif (code in THREE_DECIMAL and amount % 10) or (code == "isk" and amount % 100):
            broken.append("amount_too_precise")
        elif amount > INT64_MAX:
            broken.append("amount_out_of_range")
        if not reference_id:
            broken.append("reference_missing")
        elif REFERENCE_TYPES.get(reference_id[:3]) is None:
            broken.append("reference_kind_unsupported")
        if consent_code:
            broken.append(consent_code)
        key = (account_id, debit_id)
        if key in planned_ids:
            broken.append("debit_id_reused")
        if broken:
            violations[i] = broken
            continue
        balance = balances[account_id]
        before = balance.get(code, 0)
        after = before - amount
        if not -INT64_MAX - 1 <= after:
            violations[i] = ["amount_out_of_range"]
            continue
        balance[code] = after
        planned_ids.add(key)
        planned[i] = True
        reserve[i] = max(0, min(amount, -after))
        after_column[i] = after
    return planned, reserve, after_column, violations


def python_request(book, account_id, debit_id, amount, currency, reference_id):
    """The request of a planned row, as python_plan_debit builds it."""
    platform_id = book["platform_account"]["id"]
    reference_type = REFERENCE_TYPES[reference_id[:3]]
    key = f"account-debit:{platform_id}:{account_id}:{debit_id}"
    form = [
        ("amount", str(amount)),
        ("currency", currency),
        ("destination", platform_id),
        ("reference_transaction[type]", reference_type),
        (f"reference_transaction[{reference_type}]", reference_id),
        ("metadata[account_debit_id]", debit_id),
    ]
    return {"method": "POST", "path": "/v1/transfers",
            "headers": {"Stripe-Account": account_id, "Idempotency-Key": key}, "form": form}


def columns_of(book):
    """A book's debits as plan_columns' columns (the Stripe-managed ones bench.py builds)."""
    debits = book["debits"]
    return (
        [d["account"] for d in debits],
        [d["debit"]["id"] for d in debits],
        [d["debit"]["amount"] for d in debits],
        "usd",
        [d["debit"]["reference_transaction"]["id"] for d in debits],
    )


def same_columns(book) -> bool:
    """Whether the pure-Python columns loop answers as plan_columns does on `book`: which
    rows are planned, their reserve and balance after, the rules each rejected row breaks,
    and a planned row's request."""
    ledger_book = {k: v for k, v in book.items() if k != "debits"}
    cols = columns_of(book)
    ours = Ledger(ledger_book).plan_columns(*cols)
    planned, reserve, after, violations = python_plan_columns(ledger_book, *cols)
    if (ours.planned, ours.reserve, ours.balance_after) != (planned, reserve, after):
        return False
    if any(ours.violations(i) != violations.get(i, []) for i in range(len(ours))):
        return False
    first = planned.index(True)
    request = ours.result(first).request
    theirs = python_request(ledger_book, cols[0][first], cols[1][first], cols[2][first],
                            "usd", cols[4][first])
    return (request.form == theirs["form"]
            and request.idempotency_key == theirs["headers"]["Idempotency-Key"])


def batch_rates(fn, repeats: int = 5) -> "tuple[float, float]":
    """The median seconds of `fn()` over `repeats` runs (each given a fresh setup by
    `fn`'s own first return), by the wall clock and by CPU time."""
    walls, cpus = [], []
    for _ in range(repeats):
        run = fn()
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return statistics.median(walls), statistics.median(cpus)


def rate(fn, scenario, seconds: float = 1.0, repeats: int = 5) -> "tuple[float, float]":
    """The median calls per second over `repeats` runs of about `seconds` each: by the wall
    clock, and by the process's CPU time."""
    calls = 1000
    while True:  # size a batch to take about a tenth of a run
        start = time.perf_counter()
        for _ in range(calls):
            fn(scenario)
        took = time.perf_counter() - start
        if took > seconds / 10:
            break
        calls *= 2
    batches = max(1, int(seconds / took))
    rates, cpu_rates = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(batches):
            for _ in range(calls):
                fn(scenario)
        rates.append(batches * calls / (time.perf_counter() - start))
        cpu_rates.append(batches * calls / (time.process_time() - cpu_start))
    return statistics.median(rates), statistics.median(cpu_rates)


def same_answer(scenario) -> bool:
    """Whether the pure-Python comparison answers as the crate does: the same outcome, the
    same rules broken, or the same request."""
    ours, theirs = plan_debit(scenario).to_dict(), python_plan_debit(scenario)
    if ours["outcome"] != theirs["outcome"]:
        return False
    if ours["outcome"] == "rejected":
        return [v["code"] for v in ours["violations"]] == theirs["violations"]
    request = ours["request"]
    return (
        [tuple(pair) for pair in request["form"]] == theirs["request"]["form"]
        and request["headers"]["Idempotency-Key"] == theirs["request"]["headers"]["Idempotency-Key"]
        and ours["connected_available"] == theirs["connected_available"]
        and [a["code"] for a in ours["advisories"]] == theirs["advisories"]
    )


def book(accounts: int, per: int) -> dict:
    """A book of `accounts` Stripe-managed connected accounts with `per` debits each, taken
    in turn across the accounts, every one of which plans."""
    at = 1764000000

    def account(n):
        return {
            "account": {
                "id": f"acct_1Gen{n:016d}",
                "object": "account",
                "country": "US",
                "default_currency": "usd",
                "controller": {"type": "application", "losses": {"payments": "stripe"}},
                "external_accounts": {
                    "object": "list",
                    "data": [{"object": "bank_account", "currency": "usd", "status": "verified"}],
                },
            },
            "balance": {"object": "balance", "available": [{"amount": 10**9, "currency": "usd"}]},
            "consent": {"granted_at": 1700000000, "revoked_at": None, "evidence": f"agreement-{n}"},
        }

    def debit(n, k):
        acct = f"acct_1Gen{n:016d}"
        return {
            "account": acct,
            "debit": {
                "id": f"recovery-{n}-{k}",
                "amount": 500 + k,
                "currency": "usd",
                "reference_transaction": {"id": f"ch_1Gen{n:016d}", "object": "charge", "account": acct},
            },
        }

    return {
        "at": at,
        "platform_account": {
            "id": "acct_1GenPlatform0000001",
            "object": "account",
            "country": "US",
            "default_currency": "usd",
        },
        "platform_balance": {"object": "balance", "available": [{"amount": 10**12, "currency": "usd"}]},
        "accounts": [account(n) for n in range(accounts)],
        "debits": [debit(n, k) for k in range(per) for n in range(accounts)],
    }


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with open(DEMO, encoding="utf-8") as f:
        scenario = json.load(f)
    text = json.dumps(scenario)
    # The Stripe-managed examples: one planned, one rejected for several rules at once.
    checked = [json.loads((SCENARIOS / name).read_text(encoding="utf-8")) for name in ("demo.json", "rejected.json")]
    agree = all(same_answer(c) for c in checked)
    cases = [
        ("plan_debit(dict)", plan_debit),
        ("pure Python, the same rules on the dict", python_plan_debit),
        ("plan_debit(dict).request.params", lambda s: plan_debit(s).request.params),
        ("plan_debit(dict).to_dict()", lambda s: plan_debit(s).to_dict()),
        ("json.loads(text) alone, for scale", lambda _: json.loads(text)),
        ("floor: a call reading the 21 values", _native._host_floor),
    ]
    print(f"demo scenario: {len(text)} bytes of JSON; Python {sys.version.split()[0]}")
    print("wall-clock rates on one core (CPU time in brackets: what the process itself used)")
    rates = {}
    for name, fn in cases:
        r, cpu = rate(fn, scenario)
        rates[name] = (r, cpu)
        print(f"{name:40} {r:>10,.0f} calls/s  {1e6 / r:6.2f} µs/call  ({1e6 / cpu:6.2f} µs CPU)")
    ours, theirs = rates["plan_debit(dict)"], rates["pure Python, the same rules on the dict"]
    print(
        f"plan_debit against pure Python: {ours[0] / theirs[0]:.1f}x by the wall clock, "
        f"{ours[1] / theirs[1]:.1f}x by CPU time (same answers on {len(checked)} "
        f"scenarios: {'yes' if agree else 'NO'})"
    )
    accounts, per = 2000, 10
    big = book(accounts, per)
    n = accounts * per
    ledger_book = {k: v for k, v in big.items() if k != "debits"}
    cols = columns_of(big)
    # A copy with rows that are rejected (an amount of zero, a debit id reused, an
    # account without consent), to check the pure-Python loop against plan_columns.
    mixed = book(20, 3)  # row k * 20 + n is account n's k-th debit
    mixed["debits"][5]["debit"]["amount"] = 0
    mixed["debits"][29]["debit"]["id"] = mixed["debits"][9]["debit"]["id"]
    mixed["accounts"][3]["consent"] = None
    mixed["accounts"][4]["balance"]["available"][0]["amount"] = 100
    agree_columns = same_columns(big) and same_columns(mixed)
    result = None

    def batch():
        def run():
            nonlocal result
            result = plan_batch(big)
        return run

    def columns(read):
        def setup():
            ledger = Ledger(ledger_book)

            def run():
                out = ledger.plan_columns(*cols)
                if read:
                    out.planned, out.reserve, out.balance_after
            return run
        return setup

    def pure_python():
        # Its own copy of the book each run (not timed), as each run of plan_columns has
        # its own Ledger.
        given = json.loads(json.dumps(ledger_book))

        def run():
            python_plan_columns(given, *cols)
        return run

    lines = [
        ("plan_batch(book)", batch),
        ("Ledger.plan_columns(columns)", columns(False)),
        ("  + reading planned, reserve, balance_after", columns(True)),
    ]
    timed = {}
    for name, fn in lines:
        wall, cpu = batch_rates(fn)
        timed[name] = (wall, cpu)
        print(f"{name:44} {n / wall:>10,.0f} debits/s {1e6 * wall / n:6.2f} µs/debit ({1e6 * cpu / n:6.2f} µs CPU)")
    wall, cpu = batch_rates(pure_python)
    timed["pure Python"] = (wall, cpu)
    name = "pure Python, the same rules over the columns"
    print(f"{name:44} {n / wall:>10,.0f} debits/s {1e6 * wall / n:6.2f} µs/debit ({1e6 * cpu / n:6.2f} µs CPU)")
    start = time.perf_counter()
    Ledger(ledger_book)
    built = time.perf_counter() - start
    print(
        f"(book of {n:,} debits over {accounts:,} accounts; {result.debits:,} planned by plan_batch, "
        f"{result.rejected} rejected; Ledger(book) itself, built once: {built * 1e3:.1f} ms)"
    )
    ours = timed["Ledger.plan_columns(columns)"]

    def ratio(other):
        return f"{other[0] / ours[0]:.1f}x by the wall clock, {other[1] / ours[1]:.1f}x by CPU time"

    print(
        f"plan_columns against pure Python: {ratio(timed['pure Python'])}; against plan_batch: "
        f"{ratio(timed['plan_batch(book)'])} (same answers on 2 books: {'yes' if agree_columns else 'NO'})"
    )
    n = 200_000
    walls, cpus = [], []
    for _ in range(5):
        cpu_start = time.process_time()
        walls.append(_native._rust_read_and_plan_seconds(text, n) / n)
        cpus.append((time.process_time() - cpu_start) / n)
    rust, rust_cpu = statistics.median(walls), statistics.median(cpus)
    name = "Rust: json::read_scenario(text) + plan"
    print(f"{name:40} {1 / rust:>10,.0f} calls/s  {rust * 1e6:6.2f} µs/call  ({rust_cpu * 1e6:6.2f} µs CPU)")
    if hasattr(os, "getloadavg"):
        print("load average while measuring: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


# The per-call cases `--once` runs `calls` times on the demo scenario, for callgrind: the
# instructions of one call are (those of `--once NAME N` less those of `--once NAME 0`) / N.
ONCE_CALLS = {
    "plan_debit": lambda: plan_debit,
    "plan_debit_params": lambda: lambda s: plan_debit(s).request.params,
    "plan_debit_to_dict": lambda: lambda s: plan_debit(s).to_dict(),
    "python_plan_debit": lambda: python_plan_debit,
    "host_floor": lambda: _native._host_floor,
    "host_walk": lambda: _native._host_walk,
}


def once_calls(what: str, calls: int) -> None:
    """`calls` calls of one of ONCE_CALLS on the demo scenario."""
    with open(DEMO, encoding="utf-8") as f:
        scenario = json.load(f)
    fn = ONCE_CALLS[what]()
    for _ in range(calls):
        fn(scenario)


def once(what: str) -> None:
    """One call on the 20,000-debit book, for callgrind: `plan_batch`, or `plan_columns` with
    the accounts by id (`plan_columns`) or by index (`plan_columns_by_index`)."""
    big = book(2000, 10)
    ledger_book = {k: v for k, v in big.items() if k != "debits"}
    accounts, debit_ids, amounts, currency, references = columns_of(big)
    if what == "plan_batch":
        plan_batch(big)
        return
    ledger = Ledger(ledger_book)
    if what == "plan_columns_by_index":
        where = {account: i for i, account in enumerate(ledger.accounts)}
        accounts = [where[a] for a in accounts]
    elif what != "plan_columns":
        raise SystemExit(f"--once takes plan_batch, plan_columns or plan_columns_by_index, not {what}")
    ledger.plan_columns(accounts, debit_ids, amounts, currency, references)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--once" and sys.argv[2] in ONCE_CALLS:
        once_calls(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "--once":
        once(sys.argv[2])
    else:
        main()
