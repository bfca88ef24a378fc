"""Lever strengths as uncertain quantities.

A lever has a *setting* (what a scenario chooses: ``policy.job_coaching: 2.0``) and a *strength*
(how much the mechanism responds: ``params.work.coaching_max_gain``). Settings belong to scenarios;
strengths are behavioural parameters declared with ``strength_of=`` (the levers whose effect they
scale, or ``all`` for what shapes every lever's effect, such as the matching function), with a
plausible range from the published evaluations in ``model/data/lever_evidence.csv``.

Nobody knows a strength exactly, so a comparison draws them: replication ``k`` of a comparison
uses draw ``j`` (:func:`draw`) in every scenario, so each paired difference keeps its pairing, and
a lever that is off in both scenarios of a pair contributes nothing to their difference. Each
strength is drawn from a triangular distribution on its plausible range with its mode at the
declared default (the best guess): the evidence gives ranges, rarely distributions, and the
triangular is the least committal unimodal choice on a range. A draw is a pure function of ``j``
and the parameter's key (one stream per key, so declaring a new strength changes no other draw).
"""

from __future__ import annotations

import zlib

import numpy as np

from model.config import all_params
from model.parameters import Param

#: root of the lever-strength draws (fixed: draw j is the same in every comparison)
LEVER_SEED = 8_2026_12


def strength_params() -> list[tuple[str, Param]]:
    """(dotted key, Param) of every declared lever strength, in declaration order."""
    return [(f"{g}.{p.name}", p) for g, p in all_params() if p.strength_of]


def levers_of(p: Param) -> list[str]:
    """The levers (``policy.<name>`` names) whose effect ``p`` scales; ``["all"]`` for all."""
    return [x.strip() for x in p.strength_of.split(",") if x.strip()]


def draw(j: int, keys: set[str] | None = None) -> dict[str, float]:
    """Lever strengths of draw ``j`` (>= 0): ``{"params.work.coaching_max_gain": 0.93, ...}``.

    Args:
        keys: draw only these keys (default: every declared strength).
    """
    if j < 0:
        raise ValueError(f"draw index {j} < 0")
    out = {}
    for key, p in strength_params():
        if keys is not None and key not in keys:
            continue
        rng = np.random.default_rng(np.random.SeedSequence([LEVER_SEED, int(j), zlib.crc32(key.encode())]))
        lo, mode, hi = float(p.low), float(p.default), float(p.high)
        value = lo if hi <= lo else float(rng.triangular(lo, min(max(mode, lo), hi), hi))
        out[key] = round(value, 6)
    return out
