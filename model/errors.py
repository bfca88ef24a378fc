"""The one error type users see for bad input: it names the key, the value and what is allowed."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """Bad input, reported on one line.

    Args:
        key: the config key at fault, in dotted form (``policy.support_level``).
        value: the value that was given.
        allowed: what is allowed, in words.
    """

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        # one line, whatever the key or the allowed text holds (a key read from a file may hold
        # a line break); the value is shown as its repr, which escapes them already
        super().__init__(f"{key}={value!r} is not allowed: expected {allowed}".translate(_ONE_LINE))


#: line breaks (all that str.splitlines breaks at), shown escaped
_ONE_LINE = {ord(c): c.encode("unicode_escape").decode() for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}
