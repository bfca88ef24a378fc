"""The uncertain parameters: which declared parameters the analysis varies, over which ranges.

Every numeric parameter with a plausible range is uncertain (``model/parameters.py``): the
behavioural parameters of the pathways (``params.*``), the lever strengths among them (declared
with ``strength_of=``), the context (``context.*``), the cohort's behaviour (``population.*``
except its size, permit year and horizon, which say what is simulated) and the unit costs
(``costs.*``, which move only the cost outcomes). The policy levers (``policy.*``) are not: they
are what a scenario sets. Each parameter is varied uniformly over its declared plausible range
(``low`` to ``high``), the usual choice for a global analysis over ranges; the comparison draws lever
strengths from a triangular distribution on the same ranges (``model/strengths.py``).
"""

from __future__ import annotations

import fnmatch

from model.config import all_params
from model.errors import ConfigError
from model.parameters import Param

#: keys that say what is simulated, not how the world behaves
NOT_UNCERTAIN = ("population.size", "population.permit_year", "population.horizon_months")
#: groups whose keys are scenario settings
SETTING_GROUPS = ("policy",)


def is_uncertain(group: str, p: Param) -> bool:
    key = f"{group}.{p.name}"
    if group in SETTING_GROUPS or key in NOT_UNCERTAIN:
        return False
    if p.kind in ("flag", "choice", "count") or p.low is None or p.high is None:
        return False
    return float(p.high) > float(p.low)


def uncertain_params() -> list[tuple[str, Param]]:
    """(dotted key, Param) of every uncertain parameter, in declaration order."""
    return [(f"{g}.{p.name}", p) for g, p in all_params() if is_uncertain(g, p)]


def _matches(key: str, pattern: str) -> bool:
    return key == pattern or key.startswith(pattern.rstrip(".") + ".") or fnmatch.fnmatchcase(key, pattern)


def select(include: list[str] | None = None, exclude: list[str] | None = None,
           key: str = "parameters") -> list[tuple[str, Param]]:
    """The uncertain parameters to vary: all, or those matching ``include`` (keys, group prefixes
    such as ``params.work`` or patterns such as ``*elasticity``), less those matching ``exclude``.

    Raises:
        ConfigError: if a pattern matches no uncertain parameter, or nothing is left.
    """
    every = uncertain_params()
    keys = [k for k, _ in every]
    for name, pats in (("parameters", include or []), ("exclude", exclude or [])):
        for pat in pats:
            if not isinstance(pat, str) or not any(_matches(k, pat) for k in keys):
                raise ConfigError(name, pat, "uncertain parameter keys, group prefixes (params.work) or "
                                             "patterns (*elasticity) that match at least one parameter "
                                             "with a plausible range (not policy.*, population.size, "
                                             "permit_year or horizon_months)")
    out = [(k, p) for k, p in every if include is None or any(_matches(k, x) for x in include)]
    out = [(k, p) for k, p in out if not any(_matches(k, x) for x in exclude or [])]
    if len(out) < 2:
        raise ConfigError(key, include, "a selection of at least two uncertain parameters")
    return out


def problem(params: list[tuple[str, Param]]) -> dict:
    """The SALib problem: names and uniform bounds (the plausible ranges)."""
    return {"num_vars": len(params), "names": [k for k, _ in params],
            "bounds": [[float(p.low), float(p.high)] for _, p in params]}


def within(X, prob: dict):
    """A design's values held inside their bounds: the samplers scale a level ``x`` in [0, 1] as
    ``low + x (high - low)``, which can land a rounding error beyond ``high`` (0.3 + 1 x 0.6 is
    0.9000000000000001), a value the model refuses as outside the plausible range."""
    import numpy as np

    b = np.asarray(prob["bounds"], dtype=float)
    return np.clip(X, b[:, 0], b[:, 1])


def short(key: str) -> str:
    """``params.work.coaching_max_gain`` -> ``work.coaching_max_gain``."""
    return key[len("params."):] if key.startswith("params.") else key


def kind_of(p: Param) -> str:
    """What sort of assumption a parameter is: a lever strength, fitted to data, or neither."""
    if getattr(p, "strength_of", ""):
        return "strength"
    if p.calibrate:
        return "calibrated"
    return "behaviour"


def describe(params: list[tuple[str, Param]]) -> list[dict]:
    """One row per parameter for the tables: key, range, default, unit, kind, source, doc."""
    return [{"parameter": k, "label": short(k), "low": p.low, "high": p.high, "default": p.default,
             "unit": p.unit, "kind": kind_of(p), "strength_of": getattr(p, "strength_of", ""),
             "assumption": p.source.strip().lower().startswith("assumption"),
             "source": p.source, "doc": p.doc} for k, p in params]
