"""The error raised for input that cannot be read: a scenario, a book, or a command's input
(defined in Python so that it is an ordinary exception class, with attributes and
``to_dict()``)."""

from typing import Dict


class ReadError(ValueError):
    """Input that cannot be read: ``kind`` (``missing``, ``wrong_type``, ``invalid``,
    ``unknown_key``, ``syntax``, ``document``, ``too_large``), ``path`` (the JSON path at
    fault, ``""`` for the whole input, e.g. ``connected_account.default_currency``) and
    ``message``, as the library's typed error gives them."""

    kind: str
    path: str
    message: str

    # Named where callers import it from (pickle finds it there too).
    __module__ = "stripe_account_debits"

    def __init__(self, kind: str, path: str, message: str) -> None:
        self.kind = kind
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def to_dict(self) -> Dict[str, str]:
        """The error as the command line prints it (``"outcome": "invalid_input"``)."""
        return {
            "outcome": "invalid_input",
            "error": str(self),
            "kind": self.kind,
            "path": self.path,
        }

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.kind, self.path, self.message))
