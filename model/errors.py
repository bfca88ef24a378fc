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
        super().__init__(f"{key}={value!r} is not allowed: expected {allowed}")
