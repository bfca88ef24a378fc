"""Parameter declarations: every behavioural parameter, context setting and policy lever, once.

A :class:`Param` carries its default, unit, plausible range and source (or the word ``assumption``).
Pathway modules declare their own behavioural parameters in a module-level ``PARAMS`` tuple; the
policy levers live in :mod:`model.policy`; the cohort and context settings in :mod:`model.population`
and :mod:`model.context`. :func:`model.config.schema` gathers them into the Hydra config tree, and
:func:`model.config.build` turns a composed config back into typed, validated objects.

Kinds (they set the hard bounds that input validation enforces; the plausible range is softer and
is what calibration and sensitivity analysis explore):

- ``probability``: a chance in [0, 1] (per month where the unit says so);
- ``share``: a fraction in [0, 1];
- ``rate``: a non-negative number per unit of time;
- ``multiplier``: a non-negative factor, 1 = today's practice;
- ``coefficient``: any real number (a log-hazard or logistic coefficient);
- ``months`` / ``years``: a non-negative duration;
- ``count``: a non-negative integer;
- ``flag``: true or false;
- ``choice``: one of ``choices``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

KINDS = ("probability", "share", "rate", "multiplier", "coefficient", "months", "years", "count",
         "flag", "choice", "level", "euro")


@dataclass(frozen=True)
class Param:
    """One declared parameter.

    Attributes:
        name: key in its config group (``params.<group>.<name>``, ``policy.<name>``, ...).
        default: value used unless a scenario or override sets another.
        unit: unit of the value, in words (``per month``, ``months``, ``log-hazard``, ...).
        source: publication the value or range comes from, or ``assumption``.
        doc: what it does in the model, one sentence.
        kind: one of :data:`KINDS`; sets the hard bounds checked on input.
        low: lower end of the plausible range (None for flags and choices).
        high: upper end of the plausible range.
        calibrate: True where :mod:`experiments.calibrate` should fit it to data.
        choices: allowed values of a ``choice``.
        demand: for policy levers, the client's demand (D1-D11), ``law``, or ``scope``.
        strength_of: for lever strengths, the levers whose effect it scales (see below).
    """

    name: str
    default: Any
    unit: str
    source: str
    doc: str
    kind: str = "coefficient"
    low: float | None = None
    high: float | None = None
    calibrate: bool = False
    choices: tuple = field(default_factory=tuple)
    demand: str = ""
    strict: bool = False  #: the plausible range is also the allowed range (e.g. years with data)
    #: for a lever strength: the policy levers (``policy.<name>``, comma-separated) whose effect
    #: this parameter scales, or ``all`` for what shapes every lever's effect (matching, headroom).
    #: The comparison draws lever strengths per replication from a triangular distribution on
    #: [low, high] with its mode at the default (model/strengths.py); the sources are in
    #: model/data/lever_evidence.csv.
    strength_of: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter {self.name}: unknown kind {self.kind!r}")
        if self.kind not in ("flag", "choice") and (self.low is None or self.high is None):
            raise ValueError(f"parameter {self.name}: a {self.kind} needs a plausible range")
        if self.kind == "choice" and self.default not in self.choices:
            raise ValueError(f"parameter {self.name}: default not among choices")
        if not self.source:
            raise ValueError(f"parameter {self.name}: give a source or the word 'assumption'")
        if self.strength_of and self.kind in ("flag", "choice", "count"):
            raise ValueError(f"parameter {self.name}: a lever strength must be a number with a range")

    @property
    def hard_bounds(self) -> tuple[float, float]:
        """Bounds outside which a value is an input error (not merely implausible)."""
        if self.strict:
            return (float(self.low), float(self.high))
        if self.kind in ("probability", "share"):
            return (0.0, 1.0)
        if self.kind in ("rate", "multiplier", "months", "years", "count", "euro"):
            return (0.0, float("inf"))
        if self.kind == "level":
            return (0.0, 6.0)
        return (float("-inf"), float("inf"))

    def in_range(self, value: Any) -> bool:
        """True if ``value`` (already checked) lies in the plausible range (flags and choices
        always do)."""
        if self.kind in ("flag", "choice") or self.low is None or self.high is None:
            return True
        return float(self.low) <= value <= float(self.high)

    def allowed(self) -> str:
        """Plain description of the allowed values, for error messages."""
        if self.kind == "flag":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(map(str, self.choices))
        if self.kind == "count":
            if self.strict:
                return f"a whole number from {int(self.low)} to {int(self.high)}"
            return "a whole number >= 0"
        lo, hi = self.hard_bounds
        if lo == float("-inf"):
            return "a number"
        if hi == float("inf"):
            return f"a finite number >= {lo:g}"
        return f"a number in [{lo:g}, {hi:g}]"

    def check(self, key: str, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ConfigError."""
        from model.errors import ConfigError

        if self.kind == "flag":
            if isinstance(value, bool):
                return value
            raise ConfigError(key, value, self.allowed())
        if self.kind == "choice":
            if value in self.choices:
                return value
            # Hydra parses `law=2013` as an int; accept its string form where the choice is a string
            if str(value) in map(str, self.choices):
                return next(c for c in self.choices if str(c) == str(value))
            raise ConfigError(key, value, self.allowed())
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(key, value, self.allowed())
        if self.kind == "count":
            if int(value) != value or value < 0:
                raise ConfigError(key, value, self.allowed())
            value = int(value)
        else:
            value = float(value)
        lo, hi = self.hard_bounds
        if not (lo <= value <= hi):
            raise ConfigError(key, value, self.allowed())
        return value

