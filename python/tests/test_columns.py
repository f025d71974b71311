"""Ledger.plan_columns: the columnar form of plan_batch. The same book planned both ways
gives the same outcome per debit (codes, reserve, balance after, request body and
idempotency key) and the same summary; columns are read as the dict form's debits are, with
the same errors at the column's path."""

import copy
from decimal import Decimal

import pytest

from conftest import REPO, load_json

from stripe_account_debits import Ledger, Planned, ReadError, Rejected, plan_batch

BATCH = REPO / "examples" / "book" / "batch.json"
MANAGED = "acct_1BookStripeManaged01"
LIABLE = "acct_1BookPlatformLiable1"
UNKNOWN = "acct_1BookUnknown0000001"


def debit(account, id, amount, currency="usd", reference="ch_1BookCharge000009", **more):
    entry = {"account": account, "debit": {"id": id, "amount": amount, "currency": currency}}
    if reference is not None:
        entry["debit"]["reference_transaction"] = {"id": reference, "account": account}
    if "purpose" in more:
        entry["debit"]["purpose"] = more["purpose"]
    if "at" in more:
        entry["at"] = more["at"]
    return entry


def mixed_book():
    """examples/book/batch.json with debits of every kind added: planned with and without a
    reserve, rejected for one rule or several, a debit id reused, both flows, a time of its
    own, an amount beyond i64, no reference."""
    book = load_json(BATCH)
    # The platform-liable account above zero: its debits plan (a charge and a transfer).
    book["accounts"][1]["balance"]["available"][0]["amount"] = 100_000
    book["debits"] += [
        debit(MANAGED, "recovery-1", 100),  # debit_id_reused
        debit(MANAGED, "recovery-4", 250, at=1764007200),
        debit(MANAGED, "recovery-5", 90_000),  # far below zero: a reserve
        debit(LIABLE, "service-1", 300, reference=None, purpose="service_charge"),
        debit(LIABLE, "recovery-6", 400, purpose="recovery"),
        debit(UNKNOWN, "recovery-7", 500),
        debit(MANAGED, "recovery-8", 2**63),  # within u64: for the rules (amount_out_of_range)
        debit(MANAGED, "recovery-9", 100, currency="JPY"),
        debit(MANAGED, "recovery-10", 100, currency="xau"),
        debit(MANAGED, "recovery-11", 100, reference=None),
        debit(MANAGED, "recovery-12", -5),
        debit(MANAGED, "recovery-1", 100, reference="po_1BookPayout0001"),  # reused again
        debit(MANAGED, "recovery-13", 100, reference="zz_1Unknown"),  # a kind not known
    ]
    return book


def columns_of(debits, with_optional=True):
    """The debits of a book as plan_columns' columns."""
    refs = [d["debit"].get("reference_transaction") for d in debits]
    cols = dict(
        accounts=[d["account"] for d in debits],
        debit_ids=[d["debit"]["id"] for d in debits],
        amounts=[d["debit"]["amount"] for d in debits],
        currency=[d["debit"]["currency"] for d in debits],
        references=[r["id"] if r else None for r in refs],
    )
    if with_optional:
        cols["reference_accounts"] = [r["account"] if r else None for r in refs]
        cols["at"] = [d.get("at") for d in debits]
        cols["purposes"] = [d["debit"].get("purpose") for d in debits]
    return cols


def ledger_of(book):
    return Ledger({k: v for k, v in book.items() if k != "debits"})


def test_the_same_outcome_per_debit_and_summary_as_plan_batch():
    book = mixed_book()
    expected = plan_batch(book).to_dict()
    got = ledger_of(book).plan_columns(**columns_of(book["debits"]))
    assert len(got) == len(book["debits"]) == len(expected["outcomes"]) == 16
    assert got.to_dict() == expected
    summary = {k: v for k, v in expected.items() if k != "outcomes"}
    assert got.summary() == summary
    assert (got.rejected, got.outcome, got.complete) == (expected["rejected"], "rejected", True)
    planned = [o["outcome"] == "planned" for o in expected["outcomes"]]
    assert got.planned == planned
    assert got.rejected_rows == [i for i, p in enumerate(planned) if not p]
    assert 3 <= sum(planned) < len(planned)
    reserve, after, offsets = got.reserve, got.balance_after, got.send_at_offset_ms
    for i, entry in enumerate(expected["outcomes"]):
        result = got.result(i)
        assert offsets[i] == entry.get("send_at_offset_ms")
        if entry["outcome"] == "planned":
            assert isinstance(result, Planned)
            hold = entry["reserve_hold"]
            assert reserve[i] == (hold["amount"] if hold else 0)
            assert after[i] == entry["connected_available"]["after"]
            assert got.violations(i) == []
            request = result.request
            assert request.idempotency_key == entry["request"]["headers"]["Idempotency-Key"]
            assert [list(p) for p in request.form] == entry["request"]["form"]
        else:
            assert isinstance(result, Rejected)
            assert reserve[i] is None and after[i] is None
            codes = [v["code"] for v in entry["violations"]]
            assert got.violations(i) == codes == [v.code for v in result.violations]
    # A reserve was held, and a debit id reused was refused (twice).
    assert any(r for r in reserve if r)
    reused = [i for i in range(len(got)) if "debit_id_reused" in got.violations(i)]
    assert reused == [3, 14]
    # Both of the platform-liable account's debits planned: a charge and a transfer.
    assert [got.result(i).method for i in (6, 7)] == ["charge", "transfer"]


def test_the_generated_book_of_bench_py_plans_alike():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", REPO / "python" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    book = bench.book(50, 4)
    cols = columns_of(book["debits"], with_optional=False)
    assert ledger_of(book).plan_columns(**cols).to_dict() == plan_batch(book).to_dict()


def test_accounts_by_index_tuples_and_iterables_alike():
    book = mixed_book()
    ledger = ledger_of(book)
    assert ledger.accounts == [MANAGED, LIABLE, UNKNOWN] and len(ledger) == 3
    cols = columns_of(book["debits"])
    by_id = ledger.plan_columns(**cols).to_dict()
    cols["accounts"] = tuple(ledger.accounts.index(a) for a in cols["accounts"])
    cols["debit_ids"] = iter(cols["debit_ids"])
    cols["amounts"] = tuple(cols["amounts"])
    assert ledger_of(book).plan_columns(**cols).to_dict() == by_id


def test_one_currency_and_one_time_for_every_row():
    book = load_json(BATCH)
    for d in book["debits"]:
        d["at"] = 1764000100
    cols = columns_of(book["debits"])
    cols["currency"], cols["at"] = "usd", 1764000100
    assert ledger_of(book).plan_columns(**cols).to_dict() == plan_batch(book).to_dict()


def test_without_reference_accounts_each_reference_is_of_the_debited_account():
    book = load_json(BATCH)
    cols = columns_of(book["debits"], with_optional=False)
    cols["at"] = [d.get("at") for d in book["debits"]]
    assert ledger_of(book).plan_columns(**cols).to_dict() == plan_batch(book).to_dict()
    # Given, another account's reference is judged so.
    book["debits"][0]["debit"]["reference_transaction"]["account"] = LIABLE
    cols = columns_of(book["debits"])
    got = ledger_of(book).plan_columns(**cols)
    assert got.violations(0) == ["reference_other_account"]
    assert got.to_dict() == plan_batch(book).to_dict()


def test_the_ledger_keeps_what_each_call_planned():
    book = mixed_book()
    cols = columns_of(book["debits"])
    whole = ledger_of(book).plan_columns(**cols).to_dict()["outcomes"]
    ledger = ledger_of(book)
    assert ledger.available(MANAGED, "usd") == 1000
    first = ledger.plan_columns(**{k: v[:4] for k, v in cols.items()})
    assert ledger.available(0, "USD") == -600
    second = ledger.plan_columns(**{k: v[4:] for k, v in cols.items()})
    halves = first.to_dict()["outcomes"] + second.to_dict()["outcomes"]
    # Each call's requests are scheduled from its own first.
    for entry in halves + whole:
        entry.pop("send_at_offset_ms", None)
    assert halves == whole
    # An id planned by an earlier call is refused in a later one.
    again = ledger.plan_columns([MANAGED], ["recovery-1"], [100], "usd", ["ch_1X"])
    assert again.violations(0) == ["debit_id_reused"]


def read_error(call):
    with pytest.raises(ReadError) as caught:
        call()
    return caught.value


def with_value(book, row, field, value):
    """A copy of `book` with debit `row`'s `field` set to `value`."""
    book = copy.deepcopy(book)
    entry = book["debits"][row]
    if field == "account" or field == "at":
        entry[field] = value
    elif field == "reference":
        entry["debit"]["reference_transaction"]["id"] = value
    else:
        entry["debit"][field] = value
    return book


def dict_form_error(book, row, field, value):
    """plan_batch's error for the book with debit `row`'s `field` set to `value`."""
    changed = with_value(book, row, field, value)
    return read_error(lambda: plan_batch(changed))


@pytest.mark.parametrize(
    "column, field, value, path",
    [
        ("amounts", "amount", 5.0, "amounts[1]"),
        ("amounts", "amount", True, "amounts[1]"),
        ("amounts", "amount", "500", "amounts[1]"),
        ("amounts", "amount", None, "amounts[1]"),
        ("amounts", "amount", 2**64, "amounts[1]"),
        ("amounts", "amount", Decimal("800"), "amounts[1]"),
        ("amounts", "amount", float("nan"), "amounts[1]"),
        ("debit_ids", "id", "", "debit_ids[1]"),
        ("debit_ids", "id", 42, "debit_ids[1]"),
        ("currency", "currency", "xyz", "currency[1]"),
        ("currency", "currency", 840, "currency[1]"),
        ("references", "reference", "ch_", "references[1]"),
        ("references", "reference", "ch_1 2", "references[1]"),
        ("references", "reference", ["ch_1"], "references[1]"),
        ("at", "at", 1.5, "at[1]"),
        ("accounts", "account", "acct_1NotInTheBook01", "accounts[1]"),
        ("accounts", "account", "cus_1", "accounts[1]"),
    ],
)
def test_a_value_is_refused_as_the_dict_form_refuses_it(column, field, value, path):
    book = load_json(BATCH)
    cols = columns_of(book["debits"])
    cols[column][1] = value
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    expected = dict_form_error(book, 1, field, value)
    assert (got.kind, got.path, got.message) == (expected.kind, path, expected.message)
    assert expected.path.startswith("debits[1]")


def test_one_value_for_every_row_is_named_by_the_column():
    book = load_json(BATCH)
    cols = columns_of(book["debits"])
    cols["currency"] = "xyz"
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path, got.message) == ("invalid", "currency", 'unknown currency "xyz"')


def test_nothing_is_planned_when_a_row_cannot_be_read():
    book = load_json(BATCH)
    ledger = ledger_of(book)
    cols = columns_of(book["debits"])
    cols["amounts"][2] = 8.0
    read_error(lambda: ledger.plan_columns(**cols))
    assert ledger.available(MANAGED, "usd") == 1000
    cols["amounts"][2] = 800
    assert ledger.plan_columns(**cols).rejected == 1


def test_columns_of_other_lengths_and_shapes_are_refused():
    book = load_json(BATCH)
    cols = columns_of(book["debits"])
    cols["amounts"] = cols["amounts"][:2]
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path) == ("invalid", "amounts")
    assert got.message == "expected 3 values, one for each of accounts' rows, found 2"
    cols = columns_of(book["debits"])
    cols["debit_ids"] = "recovery-1"
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path) == ("wrong_type", "debit_ids")
    cols = columns_of(book["debits"])
    cols["amounts"] = {0: 1, 1: 2, 2: 3}
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path) == ("wrong_type", "amounts")


def test_an_index_beyond_the_ledger_or_of_another_type_is_refused():
    book = load_json(BATCH)
    cols = columns_of(book["debits"])
    cols["accounts"] = [0, 3, 0]
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path) == ("invalid", "accounts[1]")
    assert got.message == "expected the index of one of the ledger's 3 accounts, from 0"
    cols["accounts"] = [0, -1, 0]
    assert read_error(lambda: ledger_of(book).plan_columns(**cols)).path == "accounts[1]"
    cols["accounts"] = [0, 1.0, 0]
    got = read_error(lambda: ledger_of(book).plan_columns(**cols))
    assert (got.kind, got.path) == ("wrong_type", "accounts[1]")


def test_a_book_with_debits_is_refused_and_a_bad_book_as_plan_batch():
    book = load_json(BATCH)
    got = read_error(lambda: Ledger(book))
    assert (got.kind, got.path) == ("invalid", "debits")
    del book["debits"]
    book["platform_account"] = None
    expected = read_error(lambda: plan_batch(book))
    got = read_error(lambda: Ledger(book))
    assert (got.kind, got.path, got.message) == (expected.kind, expected.path, expected.message)


def test_a_row_beyond_the_batch_is_an_index_error():
    book = load_json(BATCH)
    got = ledger_of(book).plan_columns(**columns_of(book["debits"]))
    with pytest.raises(IndexError):
        got.result(3)
    with pytest.raises(IndexError):
        got.violations(3)
    assert repr(got) == "DebitColumns(1 of 3 rows rejected, 2 requests)"


def test_one_purpose_for_every_row_and_no_rows_at_all():
    book = load_json(BATCH)
    book["accounts"][1]["balance"]["available"][0]["amount"] = 100_000
    book["debits"] = [
        debit(LIABLE, "recovery-21", 300, purpose="recovery"),
        debit(LIABLE, "recovery-22", 400, reference=None, purpose="recovery"),
    ]
    cols = columns_of(book["debits"], with_optional=False)
    got = ledger_of(book).plan_columns(**cols, purposes="recovery")
    assert got.to_dict() == plan_batch(book).to_dict()
    assert got.planned == [True, True]
    book["debits"] = []
    empty = ledger_of(book).plan_columns([], [], [], "usd", [])
    assert len(empty) == 0 and empty.planned == [] and empty.outcome == "planned"
    assert empty.to_dict() == plan_batch(book).to_dict()


def test_available_names_its_account_argument():
    ledger = ledger_of(load_json(BATCH))
    assert ledger.available(LIABLE, "usd") == ledger.available(1, "usd")
    assert ledger.available(MANAGED, "eur") is None
    got = read_error(lambda: ledger.available("acct_1NotInTheBook01", "usd"))
    assert (got.kind, got.path) == ("invalid", "account")
    assert got.message == "account acct_1NotInTheBook01 is not in accounts"
    got = read_error(lambda: ledger.available(0, "xyz"))
    assert (got.kind, got.path) == ("invalid", "currency")


def test_a_preview_plans_alike_and_leaves_the_ledger_as_it_was():
    book = mixed_book()
    cols = columns_of(book["debits"])
    ledger = ledger_of(book)
    seen = ledger.plan_columns(**cols, preview=True)
    assert seen.to_dict() == plan_batch(book).to_dict()
    assert ledger.available(MANAGED, "usd") == 1000
    # Nothing was kept: not the balances, not the debit ids.
    done = ledger.plan_columns(**cols)
    assert done.to_dict() == seen.to_dict()
    assert ledger.available(MANAGED, "usd") != 1000


def random_book(rng):
    """A book of the three accounts of batch.json (their balances drawn) and 0 to 24 debits
    drawn from values of every kind the rules judge."""
    book = load_json(BATCH)
    for entry in book["accounts"]:
        entry["balance"]["available"][0]["amount"] = rng.choice([-2500, 0, 700, 10**6])
    book["negative_balances_allowed"] = rng.random() < 0.5
    ids = [f"recovery-{n}" for n in range(6)]
    debits = []
    for _ in range(rng.randrange(25)):
        account = rng.choice([MANAGED, LIABLE, UNKNOWN])
        reference = rng.choice([None, "ch_1R", "po_1R", "py_1R", "zz_1R", "ch_1Other"])
        more = {}
        if rng.random() < 0.3:
            more["purpose"] = rng.choice(["recovery", "service_charge", "adjustment"])
        if rng.random() < 0.3:
            more["at"] = rng.choice([1700000000, 1764003600, None])
        amount = rng.choice([0, -1, 1, 250, 800, 5_000, 10**7, 2**63 - 1, 2**63, 10**4 + 5])
        currency = rng.choice(["usd"] * 6 + ["USD", "eur", "jpy", "isk", "bhd", "xau"])
        entry = debit(account, rng.choice(ids), amount, currency, reference, **more)
        if reference == "ch_1Other":
            entry["debit"]["reference_transaction"]["account"] = rng.choice([MANAGED, LIABLE])
        debits.append(entry)
    book["debits"] = debits
    return book


def test_random_books_plan_alike():
    import random

    rng = random.Random(19_5)
    kinds = set()
    for _ in range(300):
        book = random_book(rng)
        ledger = ledger_of(book)
        before = [ledger.available(i, "usd") for i in range(len(ledger))]
        try:
            expected = plan_batch(book).to_dict()
        except ReadError as refused:
            # A reserve beyond Stripe's integer amount: refused alike, nothing kept.
            got = read_error(lambda: ledger.plan_columns(**columns_of(book["debits"])))
            assert (got.kind, got.path, got.message) == (refused.kind, refused.path, refused.message)
            assert [ledger.available(i, "usd") for i in range(len(ledger))] == before
            kinds.add("refused")
            continue
        got = ledger.plan_columns(**columns_of(book["debits"]))
        assert got.to_dict() == expected
        for entry in expected["outcomes"]:
            kinds.add(entry["outcome"])
            kinds.update(v["code"] for v in entry.get("violations", []))
    # The draws reach both outcomes and the ledger's own rule.
    assert {"planned", "rejected", "debit_id_reused", "amount_out_of_range", "refused"} <= kinds


BAD_VALUES = {
    "amount": [1.0, True, "5", None, 2**64, -(2**63) - 1, Decimal(1)],
    "id": ["", None, 7, "x" * 300],
    "currency": ["", "usdd", None, 1],
    "reference": ["ch_", "ch 1", 5, {"id": "ch_1"}],
    "at": [1.5, "1764000000", 2**63, False],
}
COLUMN_OF = {"amount": "amounts", "id": "debit_ids", "currency": "currency",
             "reference": "references", "at": "at"}


def test_random_bad_values_are_refused_as_the_dict_form_refuses_them():
    import random

    rng = random.Random(19_6)
    checked = 0
    for _ in range(200):
        book = random_book(rng)
        if not book["debits"]:
            continue
        row = rng.randrange(len(book["debits"]))
        field = rng.choice(sorted(BAD_VALUES))
        if field == "reference" and "reference_transaction" not in book["debits"][row]["debit"]:
            continue
        value = rng.choice(BAD_VALUES[field])
        changed = with_value(book, row, field, value)
        expected = read_error(lambda: plan_batch(changed))
        cols = columns_of(changed["debits"])
        got = read_error(lambda: ledger_of(book).plan_columns(**cols))
        assert (got.kind, got.message) == (expected.kind, expected.message)
        assert got.path == f"{COLUMN_OF[field]}[{row}]"
        checked += 1
    assert checked > 100
