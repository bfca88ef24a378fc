"""Common random numbers and exact reproducibility.

1. :class:`model.rng.CommonRandom`: a draw is a pure function of (seed, stream name, month, person
   index); different streams, months and seeds are (nearly) independent; the draws are uniform.
2. Common random numbers in the model: with the same seed, a policy that acts only on work leaves
   the population, everyone's housing history and everything upstream of work identical person by
   person, and does change work (so the comparison is not vacuous).
3. Exact reproducibility: the same configuration gives byte-identical results in-process, across
   processes (command line, different hash seeds) and from the Python and command-line paths.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.model import IntegrationModel, build_together, simulate, simulate_together
from model.people import STATES
from model.rng import CommonRandom

N = 200_000
TOL_CORR = 4.0 / np.sqrt(N)  #: four standard errors of a correlation of independent draws


# ---- CommonRandom ---------------------------------------------------------------------------------
def test_same_call_gives_the_same_draws():
    a = CommonRandom(7, 5000)
    x = a.uniform("work.job", 12).copy()
    assert np.array_equal(a.uniform("work.job", 12), x)
    # a fresh object with the same seed: the draws are a function of the arguments, not of state
    assert np.array_equal(CommonRandom(7, 5000).uniform("work.job", 12), x)


def test_draws_do_not_depend_on_other_calls_or_their_order():
    a, b = CommonRandom(3, 4000), CommonRandom(3, 4000)
    xa = a.uniform("language.pass", 5).copy()
    ya = a.uniform("work.job", 9).copy()
    for t in range(-1, 30):  # many unrelated draws in between
        b.uniform("housing.tiebreak", t)
        b.uniform(f"stream{t}", 0)
    yb = b.uniform("work.job", 9)
    xb = b.uniform("language.pass", 5)
    assert np.array_equal(xa, xb) and np.array_equal(ya, yb)


def test_draws_are_per_person_not_per_population():
    """Person i's draw does not depend on how many persons there are or which are asked for."""
    small, big = CommonRandom(11, 1000), CommonRandom(11, 5000)
    assert np.array_equal(small.uniform("work.job", 4), big.uniform("work.job", 4)[:1000])
    idx = np.array([0, 17, 999, 4321, 4999])
    assert np.array_equal(big.uniform("work.job", 4, idx), big.uniform("work.job", 4)[idx])
    assert np.array_equal(big.uniform("work.job", 4, idx[::-1]), big.uniform("work.job", 4)[idx[::-1]])
    assert len(big.uniform("work.job", 4, np.array([], dtype=np.int64))) == 0


def test_seed_zero_is_a_seed_and_negative_seeds_are_rejected():
    z, o = CommonRandom(0, 1000).uniform("x", 0), CommonRandom(1, 1000).uniform("x", 0)
    assert not np.array_equal(z, o)
    with pytest.raises(ValueError):
        CommonRandom(-1, 10)


def _corr(x, y):
    return float(np.corrcoef(x, y)[0, 1])


@pytest.mark.parametrize("a, b", [
    ((5, "work.job", 10), (5, "work.hours", 10)),  # different streams, same month
    ((5, "work.job", 10), (5, "work.job", 11)),  # same stream, next month
    ((5, "work.job", 10), (6, "work.job", 10)),  # different seeds
    ((5, "work.job", -1), (5, "work.job", 0)),  # the set-up month and month 0
    ((5, "a", 1), (5, "b", 1)),  # short, similar names
])
def test_streams_months_and_seeds_are_uncorrelated(a, b):
    x = CommonRandom(a[0], N).uniform(a[1], a[2])
    y = CommonRandom(b[0], N).uniform(b[1], b[2])
    assert abs(_corr(x, y)) < TOL_CORR
    # and not shifted copies of each other (a lagged correlation would show it)
    assert abs(_corr(x[1:], y[:-1])) < TOL_CORR
    assert abs(_corr(x[:-1], y[1:])) < TOL_CORR


def test_draws_are_uniform():
    u = CommonRandom(123, N).uniform("education.progress", 42)
    assert u.shape == (N,) and u.dtype == np.float64
    assert (u >= 0).all() and (u < 1).all()
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / N)
    # variance of U(0,1) is 1/12; the sd of the sample variance is sqrt((1/80 - 1/144) / N)
    assert abs(u.var() - 1 / 12) < 4 * np.sqrt((1 / 80 - 1 / 144) / N)
    # 20 equal bins: chi-square with 19 degrees of freedom; 50 is beyond its 0.9999 quantile
    counts = np.bincount((u * 20).astype(int), minlength=20)
    chi2 = float(((counts - N / 20) ** 2 / (N / 20)).sum())
    assert chi2 < 50.0, chi2
    # neighbouring persons are independent (serial correlation)
    assert abs(_corr(u[1:], u[:-1])) < TOL_CORR


def test_setup_generators_are_a_function_of_seed_and_name():
    g1 = CommonRandom(9, 10).generator("population").random(1000)
    g2 = CommonRandom(9, 10).generator("population").random(1000)
    g3 = CommonRandom(9, 10).generator("placement").random(1000)
    g4 = CommonRandom(10, 10).generator("population").random(1000)
    assert np.array_equal(g1, g2)
    assert not np.array_equal(g1, g3) and not np.array_equal(g1, g4)


# ---- common random numbers in the model -------------------------------------------------------------
SIZE = ("population.size=3000", "population.horizon_months=72")
WORK_ONLY = ("policy.employer_openness=1.3", "policy.discrimination=0.1", "policy.wage_subsidy=1.5",
             "policy.job_coaching=2.0")
STATIC = ("household", "is_primary", "sex", "origin", "age0", "education", "literate", "ability",
          "prior_stay", "procedure", "permit_month", "municipality")


def _initial(cfg):
    m = IntegrationModel(cfg)
    return {s.name: getattr(m.people, s.name).copy() for s in STATES}, m


def _lockstep(cfg0, cfg1, fields):
    """Step two models together; return the first (month, field, persons) that differs, or None,
    and both models at the end."""
    m0, m1 = IntegrationModel(cfg0), IntegrationModel(cfg1)
    first = None
    while m0.t < m0.months:
        m0.step()
        m1.step()
        if first is None:
            for f in fields:
                diff = getattr(m0.people, f) != getattr(m1.people, f)
                if diff.any():
                    first = (m0.t - 1, f, np.flatnonzero(diff)[:5].tolist())
                    break
    return first, m0, m1


@pytest.mark.parametrize("year", [2024, 2014])
@pytest.mark.parametrize("lever", WORK_ONLY)
def test_work_only_policy_leaves_population_and_housing_identical(compose, lever, year):
    """Same seed, a lever that acts only in the work pathway: the initial population and every
    person's housing history (residence every month, entering reception, being housed, leaving)
    are identical, and so is the intake (its timing, route and diploma recognition depend on
    housing and their own draws only). Work does differ."""
    yr = f"population.permit_year={year}"
    cfg0, cfg1 = compose("baseline", *SIZE, yr), compose("baseline", *SIZE, yr, lever)
    init0, _ = _initial(cfg0)
    init1, _ = _initial(cfg1)
    for name in init0:
        assert np.array_equal(init0[name], init1[name]), f"initial {name} differs"
    housing = ("residence", "ti_reception", "ti_housed", "ti_left")
    intake = ("ti_intake", "route", "diploma_recognised", "obliged")
    first, m0, m1 = _lockstep(cfg0, cfg1, housing + intake)
    assert first is None, f"{lever}: month {first[0]}, {first[1]} differs for persons {first[2]}"
    assert not np.array_equal(m0.people.ti_first_job, m1.people.ti_first_job), (
        f"{lever} changed nobody's first job: the comparison would be vacuous")


def test_housing_policy_does_change_housing(compose):
    """The check above can see a difference: a lever that acts on housing delivery changes the
    housing history."""
    first, _, _ = _lockstep(compose("baseline", *SIZE),
                            compose("baseline", *SIZE, "policy.implementation_quality=0.85"),
                            ("ti_housed",))
    assert first is not None


@pytest.mark.parametrize("lever", ["policy.law=2013", "policy.placement=matched",
                                   "policy.start_in_reception=true", "policy.support_level=2.0"])
def test_policy_never_changes_who_is_in_the_cohort(compose, lever):
    """Whatever the policy, the same seed gives the same persons (the population is drawn before
    policy acts; placement may only change the municipality)."""
    init0, _ = _initial(compose("baseline", *SIZE))
    init1, _ = _initial(compose("baseline", *SIZE, lever))
    for name in STATIC:
        if name == "municipality" and lever == "policy.placement=matched":
            continue
        assert np.array_equal(init0[name], init1[name]), f"{lever}: {name} differs"


def test_different_seeds_give_different_populations(compose):
    a, _ = _initial(compose("baseline", *SIZE, "seed=0"))
    b, _ = _initial(compose("baseline", *SIZE, "seed=1"))
    assert len(a["ability"]) == len(b["ability"])
    assert not np.array_equal(a["ability"], b["ability"])
    assert not np.array_equal(a["origin"], b["origin"])
    assert not np.array_equal(a["permit_month"], b["permit_month"])
    # independent draws: abilities of the two populations are uncorrelated (4 standard errors)
    assert abs(np.corrcoef(a["ability"], b["ability"])[0, 1]) < 4 / np.sqrt(len(a["ability"]))


# ---- exact reproducibility --------------------------------------------------------------------------
def _assert_same_result(r1, r2):
    assert r1.columns == r2.columns and r1.law == r2.law
    assert r1.cube.dtype == r2.cube.dtype and r1.cube.shape == r2.cube.shape
    assert r1.cube.tobytes() == r2.cube.tobytes()
    assert r1.costs.keys() == r2.costs.keys()
    for k in r1.costs:
        assert r1.costs[k].tobytes() == r2.costs[k].tobytes(), k
    assert np.array_equal(r1.months_to_home, r2.months_to_home, equal_nan=True)
    assert np.array_equal(r1.months_to_job, r2.months_to_job, equal_nan=True)
    assert np.array_equal(r1.permit_month, r2.permit_month)


@pytest.mark.parametrize("scenario, extra", [("baseline", ()), ("vwn_position", ()),
                                             ("baseline", ("population.permit_year=2014",))])
def test_same_config_same_result_bytes(compose, scenario, extra):
    cfg = compose(scenario, *SIZE, *extra, "seed=5")
    r1 = simulate(cfg)
    simulate(compose("stacking", *SIZE, "seed=6"))  # another run in between: no shared state
    r2 = simulate(cfg)
    _assert_same_result(r1, r2)
    assert r1.cube.sum() > 0


def test_runs_together_share_the_reference_and_give_the_same_results(compose):
    """A comparison runs a seed's scenarios together, the baseline being the national policies'
    displacement reference (computed once); each result is the one the run gives alone."""
    names = ["vwn_position", "baseline", "d3_labour_guidance", "d3_labour_guidance"]
    configs = [compose(s, *SIZE, "seed=4") for s in names[:3]]
    configs.append(compose(names[3], *SIZE, "seed=4", "policy.scope=pilot"))
    models = build_together(configs)
    base = models[1]
    assert models[0].shadow is base and models[2].shadow is base  # shared, not rebuilt
    assert not models[0].steps_shadow and base.shadow is None
    assert models[3].shadow is None  # a pilot has no displacement reference
    together = simulate_together(configs)
    for name, config, result in zip(names, configs, together):
        _assert_same_result(simulate(config), result)
        assert result.config.scenario == name
    # a reference of another cohort (another seed) is not used: the run makes its own
    other = build_together([compose("baseline", *SIZE, "seed=5"), configs[0]])
    assert other[1].shadow is not other[0] and other[1].steps_shadow


def test_tracing_does_not_change_results(compose):
    cfg = compose("baseline", *SIZE, "seed=2")
    ids = [0, 10, 100, 2999]
    m = IntegrationModel(cfg, trace=ids)
    traced = m.run()
    _assert_same_result(simulate(cfg), traced)
    for s in STATES:
        tr = traced.traces[s.name]
        assert tr.shape == (m.months, len(ids)), s.name
        assert np.array_equal(tr[-1], getattr(m.people, s.name)[ids]), s.name


def _cli_run(out: Path, hashseed: str):
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    return subprocess.run(
        [sys.executable, "-m", "experiments.run",
         "scenario=d3_labour_guidance", "seed=4", "population.size=1500",
         "population.horizon_months=24", f"out={out}"],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def two_cli_runs(tmp_path_factory):
    """The same command run twice, in two processes with different hash seeds (in parallel)."""
    base = tmp_path_factory.mktemp("cli_repro")
    dirs = [base / "a", base / "b"]
    with ThreadPoolExecutor(2) as pool:
        procs = list(pool.map(_cli_run, dirs, ["1", "2"]))
    for p in procs:
        assert p.returncode == 0, p.stderr[-2000:]
    return dirs


@pytest.mark.parametrize("name", ["outcomes.csv", "times.csv", "costs.csv", "config.yaml"])
def test_cli_twice_writes_identical_files(two_cli_runs, name):
    a, b = two_cli_runs
    assert (a / name).read_bytes() == (b / name).read_bytes()


def test_cli_run_metadata_differs_only_in_time_and_command(two_cli_runs):
    import json

    a, b = (json.loads((d / "run.json").read_text()) for d in two_cli_runs)
    assert a.keys() == b.keys()
    differ = {k for k in a if a[k] != b[k]}
    assert differ <= {"wall_seconds", "created", "command"}, differ
    assert a["headline"] == b["headline"] and a["seed"] == 4


def test_cli_and_python_give_the_same_outcomes(two_cli_runs, compose, tmp_path):
    """``experiments.runs.compose.load`` composes what the command line runs: the in-process result
    written the same way equals the command line's outcomes.csv byte for byte."""
    from experiments.runs.folders import tidy_outcomes

    r = simulate(compose("d3_labour_guidance", "seed=4", "population.size=1500",
                         "population.horizon_months=24"))
    mine = tmp_path / "outcomes.csv"
    tidy_outcomes(r).to_csv(mine, index=False)
    assert mine.read_bytes() == (two_cli_runs[0] / "outcomes.csv").read_bytes()
    df = pd.read_csv(mine)
    assert len(df) > 0 and df["value"].notna().any()


def test_written_config_rebuilds_the_same_run_config(two_cli_runs):
    """The written config is the full resolved one, and reading it back gives the same run
    configuration (a published folder is enough to reproduce it)."""
    import yaml

    from model.config import build

    cfg = yaml.safe_load((two_cli_runs[0] / "config.yaml").read_text())
    rc = build(cfg)
    assert rc.to_dict() == cfg
    assert rc.seed == 4 and rc.scenario == "d3_labour_guidance"


@pytest.mark.parametrize("scenario", ["baseline", "vwn_position"])
def test_the_horizon_is_only_a_window(compose, scenario):
    """A household stops being simulated once all its members are past the horizon, so a shorter
    horizon changes nothing within it, except through the labour market: the cohort's own job
    search crowds the jobs open to newcomers (model/pathways/work.py), and a household past the
    horizon no longer searches. Housing, courses and exams are the same in every month the shorter
    horizon covers; work and what follows from it (income, costs, belonging) differ by less than
    a point of employment."""
    short = simulate(compose(scenario, "population.size=2000", "population.horizon_months=36"))
    long = simulate(compose(scenario, "population.size=2000", "population.horizon_months=60"))
    cols = short.columns
    for name in ("cohort", "own_home", "in_reception", "obliged"):
        i = cols.index(name)
        assert np.array_equal(short.cube[i], long.cube[i, :37]), name
    assert np.array_equal(short.months_to_home, np.where(long.months_to_home <= 36, long.months_to_home, np.nan),
                          equal_nan=True)
    gap = np.nanmax(np.abs(short.share("employed") - long.share("employed")[:37]))
    assert gap < 1.0, gap
