"""Input that cannot be read raises ReadError (a ValueError) with its kind and path, as
the JSON reader reports it."""

import decimal
from collections import OrderedDict
from types import MappingProxyType

import pytest

from stripe_account_debits import Planned, ReadError, plan_debit


def error_of(scenario) -> ReadError:
    with pytest.raises(ReadError) as raised:
        plan_debit(scenario)
    return raised.value


def test_the_error_is_a_value_error_with_kind_path_and_message(demo):
    demo["connected_account"]["default_currency"] = "xyz"
    err = error_of(demo)
    assert isinstance(err, ValueError)
    assert (err.kind, err.path) == ("invalid", "connected_account.default_currency")
    assert err.message == 'unknown currency "xyz"'
    assert str(err) == 'connected_account.default_currency: unknown currency "xyz"'
    assert err.to_dict() == {
        "outcome": "invalid_input",
        "error": str(err),
        "kind": "invalid",
        "path": "connected_account.default_currency",
    }


@pytest.mark.parametrize(
    "where, value, kind, path, message",
    [
        # Wrong types.
        (("at",), "now", "wrong_type", "at", "expected a 64-bit integer, found a string"),
        (("debit", "amount"), "500", "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found a string"),
        (("debit", "amount"), True, "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found a boolean"),
        (("debit", "amount"), [500], "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found an array"),
        (("debit", "amount"), {"value": 500}, "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found an object"),
        (("platform_account",), "acct_1", "wrong_type", "platform_account",
         "expected a JSON object, found a string"),
        (("connected_account", "country"), 840, "wrong_type", "connected_account.country",
         "expected a string, found an integer"),
        # Floats where integers belong, even whole ones.
        (("debit", "amount"), 500.0, "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found a number that is not a 64-bit integer"),
        (("at",), 1764000000.5, "wrong_type", "at",
         "expected a 64-bit integer, found a number that is not a 64-bit integer"),
        # Ints beyond 64 bits read as JSON reads 1e30.
        (("debit", "amount"), 10**30, "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found a number that is not a 64-bit integer"),
        (("debit", "amount"), -(10**400), "wrong_type", "debit.amount",
         "expected an integer amount in minor units, found a number that is not a 64-bit integer"),
        (("at",), 2**64, "wrong_type", "at",
         "expected a 64-bit integer, found a number that is not a 64-bit integer"),
        # An int within u64 but beyond i64 is an integer, out of range for a time.
        (("at",), 2**64 - 1, "invalid", "at",
         "expected a 64-bit integer, found one beyond its range"),
        # Missing values, and None where a value is needed.
        (("debit", "currency"), None, "missing", "debit.currency", "missing"),
        (("connected_balance",), None, "missing", "connected_balance", "missing"),
        # Values of the right type that are not valid.
        (("platform_account", "id"), "cus_1", "invalid", "platform_account.id",
         'expected an id starting with "acct_"'),
        (("debit", "id"), "x" * 101, "invalid", "debit.id", None),
    ],
)
def test_bad_values_name_their_path(demo, where, value, kind, path, message):
    target = demo
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    err = error_of(demo)
    assert (err.kind, err.path) == (kind, path), str(err)
    if message is not None:
        assert err.message == message


def test_missing_fields(demo):
    del demo["debit"]
    err = error_of(demo)
    assert (err.kind, err.path, err.message) == ("missing", "debit", "missing")


def test_an_index_in_the_path(demo):
    demo["connected_balance"]["available"] = [
        {"amount": 1, "currency": "eur"},
        {"amount": "1000", "currency": "usd"},
    ]
    err = error_of(demo)
    assert err.path == "connected_balance.available[1].amount"
    assert err.kind == "wrong_type"


def test_not_a_mapping_at_all():
    for value in ([], "scenario", 42, None):
        err = error_of(value)
        assert (err.kind, err.path) == ("wrong_type", ""), str(err)
        assert err.message.startswith("expected a JSON object, found ")


def test_a_python_type_json_does_not_have(demo):
    demo["debit"]["amount"] = decimal.Decimal("500")
    err = error_of(demo)
    assert (err.kind, err.path) == ("wrong_type", "debit.amount")
    assert "Decimal" in err.message


def test_even_in_a_field_not_read(demo):
    demo["connected_account"]["metadata"] = {"created": object()}
    err = error_of(demo)
    assert (err.kind, err.path) == ("wrong_type", "connected_account.metadata.created")


def test_a_key_that_is_not_a_plain_name_prints_as_the_library_prints_it(demo):
    # The binding finds this error itself (a Python type JSON does not have), the library
    # the next one (a wrong JSON type): both name the key "x.y" the same way.
    demo["connected_account"]["metadata"] = {"x.y": object()}
    err = error_of(demo)
    assert (err.kind, err.path) == ("wrong_type", 'connected_account.metadata["x.y"]')
    del demo["connected_account"]["metadata"]
    demo["x.y"] = 1
    err = error_of(demo)
    assert (err.kind, err.path) == ("unknown_key", '["x.y"]')


def test_a_key_that_is_not_a_str(demo):
    demo["connected_account"][7] = "seven"
    err = error_of(demo)
    assert (err.kind, err.path) == ("wrong_type", "connected_account")
    assert err.message == "expected a str key, found a int"


def test_a_scenario_that_contains_itself_is_refused_not_overflowed(demo):
    demo["connected_account"]["metadata"] = demo
    err = error_of(demo)
    assert err.kind == "syntax"
    assert "nest more than 128 deep" in err.message
    assert err.path.startswith("connected_account.metadata.connected_account.metadata")


def test_an_exception_in_to_dict_is_a_read_error_with_its_cause(demo):
    class Broken:
        def to_dict(self):
            raise RuntimeError("boom")

    demo["connected_balance"] = Broken()
    err = error_of(demo)
    assert (err.kind, err.path) == ("document", "connected_balance")
    assert "RuntimeError: boom" in err.message
    assert isinstance(err.__cause__, RuntimeError)


def test_mappings_and_tuples_read_as_objects_and_arrays(demo):
    demo["connected_balance"]["available"] = tuple(demo["connected_balance"]["available"])
    demo["platform_account"] = MappingProxyType(demo["platform_account"])
    demo["debit"] = OrderedDict(demo["debit"])
    assert isinstance(plan_debit(demo), Planned)


def test_the_error_pickles(demo):
    import pickle

    demo["at"] = "now"
    err = error_of(demo)
    again = pickle.loads(pickle.dumps(err))
    assert (again.kind, again.path, again.message) == (err.kind, err.path, err.message)


def test_non_ascii_text_reads_as_it_is(demo):
    demo["connected_account"]["métadonnées"] = {"clé": "valeur ✓ 合意"}
    assert isinstance(plan_debit(demo), Planned)
    demo["consent"]["evidence"] = "accord signé"
    err = error_of(demo)
    assert (err.kind, err.path) == ("invalid", "consent.evidence")
    demo["debit"]["currency"] = "ùsd"
    err = error_of(demo)
    assert (err.kind, err.path) == ("invalid", "debit.currency")
    assert "ùsd" in err.message


def test_a_str_that_is_not_unicode_text_is_refused(demo):
    demo["connected_account"]["metadata"] = {"note": "lone \ud800 surrogate"}
    err = error_of(demo)
    assert (err.kind, err.path) == ("document", "connected_account.metadata.note")
    assert "UnicodeEncodeError" in err.message
    assert isinstance(err.__cause__, UnicodeEncodeError)
    del demo["connected_account"]["metadata"]
    demo["connected_account"]["\udc80"] = 1
    err = error_of(demo)
    assert (err.kind, err.path) == ("document", "connected_account")


def test_a_dict_changed_while_it_is_read(demo):
    class Meddler:
        def to_dict(self):
            # Python code run while reading changes the dict being read.
            demo["connected_account"]["added"] = 1
            return {}

    demo["connected_account"]["meddler"] = Meddler()
    err = error_of(demo)
    assert (err.kind, err.path) == ("document", "connected_account")
    assert "changed size while it was read" in err.message


def test_a_dict_whose_keys_change_but_not_its_size(demo):
    class Meddler:
        def to_dict(self):
            account = demo["connected_account"]
            account.pop("object", None)
            account["object2"] = "account"
            return {}

    demo["connected_account"]["meddler"] = Meddler()
    # Read as far as it goes: no crash, no panic, a result or a ReadError.
    try:
        plan_debit(demo)
    except ReadError:
        pass
