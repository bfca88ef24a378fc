"""The model's answers against what the evidence supports (slow tier: population-scale runs).

- each demand's effect on employment at 3 and 5 years, and the full position's, lies within the
  range ``model/data/demand_evidence.csv`` gives (built from ``model/data/lever_evidence.csv``);
- the full position does at most what the single demands do together, at every year;
- no scenario's employment exceeds the highest employment measured for any European refugee cohort
  at the same number of years (``model/data/employment_ceilings.csv``).

Lever strengths are at their declared values (the modes of their ranges): these are the model's
central answers; the comparison adds their uncertainty. Effects are paired over seeds (common
random numbers); a bound is violated only when the mean effect lies beyond it by more than 3
standard errors over seeds (two-sided where the range has two ends).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from experiments.runs.compose import load
from model.model import simulate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "model" / "data"
SEEDS = (0, 1, 2, 3)
SIZE = 10_000
DEMANDS = {f"D{i}": name for i, name in enumerate(
    ["d1_municipal_role", "d2_integral_approach", "d3_labour_guidance", "d4_early_personal_plan",
     "d5_employers", "d6_better_inburgering", "d7_no_exam_condition", "d8_smooth_naturalisation",
     "d9_stop_stacking", "d10_cooperation", "d11_welcoming_society"], start=1)}
SCENARIO = {**DEMANDS, "full": "vwn_position"}

pytestmark = pytest.mark.slow


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=None)
def employment(scenario: str) -> np.ndarray:
    """Employment (%) by seed and month since the permit."""
    return np.array([simulate(load(scenario, [f"population.size={SIZE}", f"seed={k}"])).share("employed")
                     for k in SEEDS])


def effect(scenario: str) -> np.ndarray:
    return employment(scenario) - employment("baseline")


def at_year(d: np.ndarray, years: int) -> tuple[float, float]:
    v = d[:, 12 * years - 1]
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(len(v)))


RANGES = [(r["demand"], int(r["horizon_years"]), float(r["low_pp"]), float(r["high_pp"]))
          for r in _rows("demand_evidence.csv")]


@pytest.mark.parametrize("demand,years,low,high", RANGES, ids=[f"{d}-{y}y" for d, y, _, _ in RANGES])
def test_effect_within_what_the_evidence_supports(demand, years, low, high):
    mean, se = at_year(effect(SCENARIO[demand]), years)
    assert low - 3 * se - 1e-9 <= mean <= high + 3 * se + 1e-9, \
        f"{demand} at {years} years: {mean:+.2f} pp (se {se:.2f}) outside [{low}, {high}]"


def _gap(years: int) -> tuple[float, float]:
    full = effect("vwn_position")
    parts = sum(effect(s) for s in DEMANDS.values())
    return at_year(full - parts, years)  # per seed: must be <= 0 up to chance


@pytest.mark.parametrize("years", range(2, 11))
def test_the_full_position_is_less_than_the_sum_of_its_parts(years):
    mean, se = _gap(years)
    assert mean <= 3 * se + 0.05, f"year {years}: full - sum = {mean:+.2f} pp (se {se:.2f})"


def test_the_full_position_is_less_than_the_sum_of_its_parts_in_year_1():
    # the first-year effects are a few tenths of a point, so the gap is decided on 16 seeds of
    # two-year runs (cheap) rather than four, and without the later years' 0.05 pp of slack (a
    # third of a first-year effect). Measured: +0.15 pp, se 0.08. It was +0.43 (se 0.07) before
    # support above today's brought caseworkers' job offers: the early lock-ins of D1, D4 and D10
    # overlap (test_early_lock_in_of_d1_and_d4_overlaps), and the offers, which saturate, now
    # outweigh that in the whole
    seeds = range(16)

    def emp(scenario):
        return np.array([simulate(load(scenario, [f"population.size={SIZE}", f"seed={k}",
                                                  "population.horizon_months=24"])).share("employed")
                         for k in seeds])

    base = emp("baseline")
    gap = (emp("vwn_position") - base) - sum(emp(s) - base for s in DEMANDS.values())
    mean, se = at_year(gap, 1)
    assert mean <= 3 * se, f"year 1: full - sum = {mean:+.2f} pp (se {se:.2f})"


def test_early_lock_in_of_d1_and_d4_overlaps():
    """D1 and D4 each delay early work (people in courses sooner); together they harm less than
    the sum of their harms, because they delay the same people (year 1, paired over seeds). The
    lock-in is isolated from D1's caseworkers' job offers, which offset it (offer rate 0 in every
    run of this test), and from today's work-oriented municipal practice, which relieves most of
    it (``work_first_relief`` 0: the whole lock-in of the practice of 2013-2014; with today's
    practice D1 alone no longer delays work in year 1, +0.1 pp)."""
    import yaml

    isolated = ("params.work.caseworker_offer_rate=0", "params.work.work_first_relief=0")

    def run(scenario, *extra):
        return np.array([simulate(load(scenario, [f"population.size={SIZE}", f"seed={k}", *isolated,
                                                  *extra])).share("employed") for k in SEEDS])

    d4_levers = yaml.safe_load((ROOT / "scenarios" / "d4_early_personal_plan.yaml").read_text())["policy"]
    base = run("baseline")
    both = run("d1_municipal_role", *(f"policy.{key}={v}" for key, v in d4_levers.items())) - base
    d1, d4 = run("d1_municipal_role") - base, run("d4_early_personal_plan") - base
    assert at_year(d1, 1)[0] < 0 and at_year(d4, 1)[0] < 0  # each alone delays work
    mean, se = at_year(both - d1 - d4, 1)
    assert mean > 3 * se, f"D1+D4 - (D1 + D4) = {mean:+.2f} pp (se {se:.2f}): no overlap"


CEILINGS = {int(r["years_since_permit"]): float(r["max_employment_pct"])
            for r in _rows("employment_ceilings.csv")}


@pytest.mark.parametrize("scenario", ["baseline", "vwn_position", *DEMANDS.values(), "stacking", "wi2013"])
def test_no_scenario_beyond_any_measured_cohort(scenario):
    e = employment(scenario)
    for years, ceiling in CEILINGS.items():
        v = e[:, 12 * years - 1]
        mean, se = v.mean(), v.std(ddof=1) / np.sqrt(len(v))
        assert mean <= ceiling + 3 * se, f"{scenario} at {years} years: {mean:.1f}% > {ceiling}%"
