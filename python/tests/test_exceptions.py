"""Python's own exceptions met while reading input: a BaseException that is not an
Exception (KeyboardInterrupt, SystemExit, GeneratorExit), and MemoryError, reach the caller
as they are; any other is a ReadError chained to it, whose message quotes the
exception's text escaped and cut short, as the library quotes what it is given."""

from typing import Any, Callable

import pytest

from conftest import REPO, load_json
from stripe_account_debits import (
    DebitMachine,
    ReadError,
    find_debit,
    plan_batch,
    plan_debit,
    read_reply,
)

PROPAGATED = [KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError]


class Keys:
    """A mapping whose keys() raises."""

    def __init__(self, error: BaseException):
        self.error = error

    def keys(self) -> Any:
        raise self.error

    def __getitem__(self, key: str) -> Any:
        return None


class Item:
    """A mapping whose item access raises."""

    def __init__(self, error: BaseException):
        self.error = error

    def keys(self) -> Any:
        return ["available"]

    def __getitem__(self, key: str) -> Any:
        raise self.error


class ToDict:
    """A stripe-python-like object whose to_dict() raises."""

    def __init__(self, error: BaseException):
        self.error = error

    def to_dict(self) -> Any:
        raise self.error


class Attribute:
    """An object whose attribute lookup itself raises."""

    def __init__(self, error: BaseException):
        self.error = error

    def __getattr__(self, name: str) -> Any:
        raise self.error


SHAPES = [Keys, Item, ToDict, Attribute]


def balance(demo: Any, shape: Callable[[BaseException], Any], error: BaseException) -> Any:
    demo["connected_balance"] = shape(error)
    return demo


@pytest.mark.parametrize("kind", PROPAGATED, ids=lambda k: k.__name__)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.__name__)
def test_a_base_exception_or_memory_error_propagates_untouched(demo, shape, kind):
    error = kind("stop now")
    with pytest.raises(kind) as raised:
        plan_debit(balance(demo, shape, error))
    # The very exception raised, not a copy nor a ReadError wrapping it.
    assert raised.value is error
    assert not isinstance(raised.value, ReadError)


@pytest.mark.parametrize("kind", PROPAGATED, ids=lambda k: k.__name__)
def test_it_propagates_from_every_function(demo, kind):
    error = kind()
    reply = load_json(REPO / "examples" / "lifecycle" / "reply-confirmed.json")
    reply["reply"]["headers"] = Keys(error)
    with pytest.raises(kind) as raised:
        read_reply(reply)
    assert raised.value is error
    found = load_json(REPO / "examples" / "lifecycle" / "find-found.json")
    found["transfers"] = ToDict(error)
    with pytest.raises(kind):
        find_debit(found)
    book = load_json(REPO / "examples" / "book" / "batch.json")
    book["accounts"][0]["balance"] = Item(error)
    with pytest.raises(kind):
        plan_batch(book)
    with pytest.raises(kind):
        DebitMachine.start(balance(demo, Keys, error))


@pytest.mark.parametrize("shape", [Keys, Item, ToDict], ids=lambda s: s.__name__)
def test_an_exception_is_a_scenario_error_chained_to_it(demo, shape):
    error = LookupError("no such thing")
    with pytest.raises(ReadError) as raised:
        plan_debit(balance(demo, shape, error))
    err = raised.value
    assert (err.kind, err.path) == ("document", "connected_balance")
    assert "LookupError: no such thing" in err.message
    assert err.__cause__ is error


def test_an_attribute_lookup_that_raises_an_exception_is_no_attribute(demo):
    # As Python's hasattr() sees it: not a mapping, not a JSON value.
    with pytest.raises(ReadError) as raised:
        plan_debit(balance(demo, Attribute, LookupError("x")))
    assert raised.value.kind == "wrong_type"


def test_an_exceptions_text_is_escaped_and_cut(demo):
    huge = "line one\nline two \x1b[2J\x1b]0;title\x07 " + "x" * 30_000_000
    with pytest.raises(ReadError) as raised:
        plan_debit(balance(demo, ToDict, RuntimeError(huge)))
    err = raised.value
    for text in (err.message, str(err)):
        assert len(text) < 200, len(text)
        assert "\n" not in text and "\x1b" not in text and "\x07" not in text
    assert err.message == (
        "to_dict() of a ToDict raised RuntimeError: "
        "line one\\nline two \\u{1b}[2J\\u{1b}]0;title\\u{7}..."
    )
    # The exception itself keeps its text whole.
    assert str(err.__cause__) == huge


def test_a_type_name_is_escaped_and_cut(demo):
    weird = type("Evil\n\x1b[31mName" + "y" * 100, (), {})
    demo["debit"]["amount"] = weird()
    with pytest.raises(ReadError) as raised:
        plan_debit(demo)
    message = raised.value.message
    assert "\n" not in message and "\x1b" not in message
    assert "Evil\\n\\u{1b}[31mName" in message and "y" * 40 not in message
    # And an exception whose class is so named.
    evil_error = type("Bad\nError", (Exception,), {})
    with pytest.raises(ReadError) as raised:
        plan_debit(balance(load_json(REPO / "examples" / "scenarios" / "demo.json"), ToDict, evil_error("e")))
    assert "Bad\\nError: e" in raised.value.message
