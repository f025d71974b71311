"""How fast plan_debit is from Python: calls per second on the demo scenario as a dict, on
one core (a benchmark script, not a test: nothing is asserted).

    python python/bench.py            # after pip install ./python

It prints calls/s and the time per call of plan_debit alone, of plan_debit reading the
request's params (what a caller that sends it does), and of plan_debit with to_dict(); and
json.loads of the same scenario's text, for scale.
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

from stripe_account_debits import _native, plan_debit  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "examples" / "scenarios" / "demo.json"


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


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with open(DEMO, encoding="utf-8") as f:
        scenario = json.load(f)
    text = json.dumps(scenario)
    cases = [
        ("plan_debit(dict)", plan_debit),
        ("plan_debit(dict).request.params", lambda s: plan_debit(s).request.params),
        ("plan_debit(dict).to_dict()", lambda s: plan_debit(s).to_dict()),
        ("json.loads(text) alone, for scale", lambda _: json.loads(text)),
    ]
    print(f"demo scenario: {len(text)} bytes of JSON; Python {sys.version.split()[0]}")
    print("wall-clock rates on one core (CPU time in brackets: what the process itself used)")
    for name, fn in cases:
        r, cpu = rate(fn, scenario)
        print(f"{name:40} {r:>10,.0f} calls/s  {1e6 / r:6.2f} µs/call  ({1e6 / cpu:6.2f} µs CPU)")
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


if __name__ == "__main__":
    main()
