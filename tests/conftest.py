"""Shared fixtures: small validated configs, cached runs and per-person observations.

Everything here is composed exactly as the command line composes it (:func:`experiments.runs.compose.load`)
so that the tests exercise the same path users take. Runs are cached per session: a cached
:class:`model.model.RunResult` or :class:`Observed` is shared between tests and must be treated as
read-only.

Fixtures (session-scoped, each returns a callable):

- ``compose(scenario="baseline", *overrides)`` -> validated ``RunConfig``;
- ``run(scenario="baseline", *overrides)`` -> ``RunResult`` of one simulation;
- ``observe(scenario="baseline", *overrides, months=(...))`` -> :class:`Observed`: every person's
  state at given months since *their own* permit, for paired person-by-person comparisons.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from experiments.runs.compose import load
from model.model import IntegrationModel, RunResult, simulate

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Property-based tests (tests/test_bad_input_generated.py) draw the same examples on every machine
# and every run: derandomized, no example database, no deadline (this machine may be busy).
# ``HYPOTHESIS_PROFILE=explore`` draws new examples, more of them, for a search by hand.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: person states captured by :func:`observe`
OBSERVED_FIELDS = ("residence", "employed", "hours", "good_match", "on_benefit", "exam", "obliged",
                   "route", "ti_intake", "ti_course", "in_course", "language", "permit",
                   "belonging", "poor_health", "diploma_recognised", "study", "ti_housed",
                   "ti_first_job", "fined", "municipality", "volunteering")


@lru_cache(maxsize=None)
def _compose(scenario: str, overrides: tuple[str, ...]):
    return load(scenario, list(overrides))


@lru_cache(maxsize=64)
def _run(scenario: str, overrides: tuple[str, ...]) -> RunResult:
    return simulate(_compose(scenario, overrides))


@dataclass
class Observed:
    """Every person's state at given months since their own permit, in one run.

    Attributes:
        n: persons.
        months: the months since the permit that were captured.
        at: ``at[M][field]`` is an array of length ``n`` with the field's value when the person was
            ``M`` months past their permit (end of that model month); ``age`` holds their age then.
        final: the model's people at the end of the run (state arrays, read-only).
        static: person attributes that never change (origin, education, sex, permit_month, ...).
    """

    n: int
    months: tuple[int, ...]
    at: dict
    final: object
    static: dict


def observe_config(cfg, months=(12, 24, 36, 48, 72, 96)) -> Observed:
    """Step a model and keep each person's state at each month in ``months`` since their permit."""
    m = IntegrationModel(cfg)
    ppl = m.people
    months = tuple(int(x) for x in months)
    at = {M: {f: np.zeros(ppl.n, getattr(ppl, f).dtype) for f in OBSERVED_FIELDS} for M in months}
    for M in months:
        at[M]["age"] = np.full(ppl.n, np.nan, np.float32)
        at[M]["seen"] = np.zeros(ppl.n, bool)
    while m.t < m.months:
        m.step()
        t = m.t - 1
        since = t - ppl.permit_month.astype(np.int64)
        for M in months:
            sel = since == M
            if sel.any():
                for f in OBSERVED_FIELDS:
                    at[M][f][sel] = getattr(ppl, f)[sel]
                at[M]["age"][sel] = ppl.age0[sel] + np.float32(t / 12.0)
                at[M]["seen"][sel] = True
    for M in months:
        assert at[M]["seen"].all(), f"month {M} since the permit is beyond the run for some persons"
    static = {f: getattr(ppl, f).copy() for f in ("origin", "education", "sex", "permit_month",
                                                 "age0", "is_primary", "household", "literate",
                                                 "ability", "prior_stay")}
    return Observed(n=ppl.n, months=months, at=at, final=ppl, static=static)


@lru_cache(maxsize=96)
def _observe(scenario: str, overrides: tuple[str, ...], months: tuple[int, ...]) -> Observed:
    return observe_config(_compose(scenario, overrides), months)


@pytest.fixture(scope="session")
def compose():
    """``compose(scenario="baseline", *overrides)`` -> validated RunConfig (cached)."""

    def f(scenario: str = "baseline", *overrides: str):
        return _compose(scenario, tuple(overrides))

    return f


@pytest.fixture(scope="session")
def run():
    """``run(scenario="baseline", *overrides)`` -> RunResult (cached; treat as read-only)."""

    def f(scenario: str = "baseline", *overrides: str) -> RunResult:
        return _run(scenario, tuple(overrides))

    return f


@pytest.fixture(scope="session")
def observe():
    """``observe(scenario, *overrides, months=(...))`` -> Observed (cached; read-only)."""

    def f(scenario: str = "baseline", *overrides: str, months=(12, 24, 36, 48, 72, 96)) -> Observed:
        return _observe(scenario, tuple(overrides), tuple(months))

    return f


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m experiments.run ARGS`` from the repository root, output captured as text."""
    return subprocess.run([PYTHON, "-m", "experiments.run", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def cli():
    """``cli(*args)`` -> CompletedProcess of ``python -m experiments.run ARGS``."""
    return run_cli


__all__ = ["Observed", "observe_config", "run_cli"]
