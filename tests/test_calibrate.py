"""The calibration is reproducible and stays inside the declared ranges.

A tiny calibration (small population, one seed, a handful of evaluations per stage) run twice with
the same settings must write the same parameter set; every fitted value must lie inside its
declared plausible range; bad settings stop with one line before anything runs.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import yaml

from experiments.evidence.calibration import BOUND_REASONS, STAGES, from_unit, near_bounds, to_unit
from model.config import ROOT, all_params

TINY = ["population.size=1500", "seeds=1", "max_evals=4", "polish_evals=0", "ensemble=2",
        "ensemble_candidates=2"]


def _calibrate(tmp, name):
    out, ens, rep = tmp / f"{name}.yaml", tmp / f"{name}_ens.yaml", tmp / f"{name}_report"
    proc = subprocess.run([sys.executable, "-m", "experiments.calibrate", *TINY, f"fitted_out={out}",
                           f"ensemble_out={ens}", f"out={rep}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return yaml.safe_load(out.read_text()), rep


@pytest.fixture(scope="module")
def two_fits(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calibrate")
    return _calibrate(tmp, "a"), _calibrate(tmp, "b")


def _values(tree, prefix=""):
    out = {}
    for k, v in tree.items():
        if k == "calibration_info":
            continue
        if isinstance(v, dict):
            out.update(_values(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_same_settings_give_the_same_parameter_set(two_fits):
    (a, _), (b, _) = two_fits
    assert _values(a) == _values(b)
    assert a["calibration_info"]["objective"] == b["calibration_info"]["objective"]
    # the record says which code it ran on, and whether that code was all committed
    assert isinstance(a["calibration_info"]["code_uncommitted_changes"], bool)
    assert a["calibration_info"]["code"]


def test_fitted_values_lie_in_their_declared_ranges(two_fits):
    (a, rep), _ = two_fits
    declared = {f"{g}.{p.name}": p for g, p in all_params()}
    fitted = _values(a)
    assert set(fitted) == {k for _, ks, _ in STAGES for k in ks}
    for key, value in fitted.items():
        p = declared[key]
        assert p.calibrate, key
        assert p.low <= value <= p.high, (key, value, p.low, p.high)
    for f in ("fit.csv", "rmse.csv", "bounds.csv", "calibration.json"):
        assert (rep / f).exists(), f
    from experiments.calibrate import WRITES
    from experiments.runs.outputs import foreign_entries

    assert foreign_entries(rep, WRITES) == []  # the fit report holds only what it declares


def test_values_near_a_bound_are_flagged_with_the_reason_when_it_is_a_real_limit():
    """A fitted value within 2% of its range's bound is flagged; the fit report gives the reason
    when the bound is a real limit and says "a misfit" otherwise; a value inside is not flagged."""
    declared = {f"{g}.{p.name}": p for g, p in all_params()}
    lang, sep = declared["params.work.language_effect"], declared["params.work.separation_rate"]
    best = {"params.work.language_effect": lang.low + 0.01 * (lang.high - lang.low),
            "params.work.separation_rate": sep.high - 0.001 * (sep.high - sep.low),
            "params.work.base_rate": (declared["params.work.base_rate"].low
                                      + declared["params.work.base_rate"].high) / 2}
    t = near_bounds(best).set_index("parameter")
    assert t.loc["params.work.language_effect", "near_bound"] == "low"
    assert t.loc["params.work.language_effect", "reason"] == BOUND_REASONS[("params.work.language_effect", "low")]
    assert t.loc["params.work.separation_rate", "near_bound"] == "high"
    assert t.loc["params.work.separation_rate", "reason"] == ""
    assert t.loc["params.work.base_rate", "near_bound"] == ""
    assert t.loc["params.work.base_rate", "distance_share"] == pytest.approx(0.5, abs=1e-3)
    for key, side in BOUND_REASONS:
        assert key in declared and declared[key].calibrate and side in ("low", "high"), key


def test_the_shipped_fit_has_no_value_at_a_bound_without_a_reason():
    """Every value of the shipped fitted set that lies within 2% of a bound of its range has the
    reason that bound is a real limit (issue 9); a refit that lands on a bound without one fails
    here, and the fitted set's own record of its bounds says the same."""
    from experiments.runs.compose import flatten

    fitted = yaml.safe_load((ROOT / "conf" / "calibration" / "fitted.yaml").read_text())
    best = {k: float(v) for k, v in
            flatten({k: v for k, v in fitted.items() if k != "calibration_info"}).items()}
    declared = {f"{g}.{p.name}": p for g, p in all_params()}
    assert set(best) <= {k for k, p in declared.items() if p.calibrate}, sorted(best)
    t = near_bounds(best).set_index("parameter")
    flagged = t[t["near_bound"] != ""]
    assert (flagged["reason"] != "").all(), flagged[["near_bound", "reason"]]
    assert set(flagged.index) == set(fitted["calibration_info"]["near_bounds"])


def test_range_transform_round_trips_and_stays_inside():
    lows, highs = np.array([0.0, -2.0]), np.array([1.0, 3.0])
    x = np.array([0.3, 1.7])
    assert np.allclose(from_unit(to_unit(x, lows, highs), lows, highs), x)
    far = from_unit(np.array([-50.0, 50.0]), lows, highs)
    assert np.all(far >= lows) and np.all(far <= highs)


def test_cohorts_chooses_the_rows_that_are_fitted():
    """``cohorts=2014`` fits the 2014 rows only; ``all`` keeps every row; a year without rows or
    a word stops with one line that lists the years there are."""
    from experiments.calibrate import _chosen_cohorts
    from experiments.evidence.targets import read_targets, shipped_targets
    from model.errors import ConfigError

    targets = read_targets(shipped_targets())
    years = sorted({t.cohort for t in targets})
    assert len(years) > 1  # the shipped file has later cohorts to leave out
    only = _chosen_cohorts(targets, "2014")
    assert only and {t.cohort for t in only} == {2014}
    assert len(only) < len(targets)
    assert _chosen_cohorts(targets, "all") == targets
    assert {t.cohort for t in _chosen_cohorts(targets, f"{years[0]}, {years[-1]}")} == {years[0], years[-1]}
    for bad in ("1999", "x", "", "2014,1999"):
        with pytest.raises(ConfigError) as e:
            _chosen_cohorts(targets, bad)
        assert "cohorts" in str(e.value) and str(years[0]) in str(e.value)


@pytest.mark.parametrize("arg, key", [("seeds=0", "seeds"), ("max_evals=x", "max_evals"),
                                      ("population.permit_year=2016", "population.permit_year"),
                                      ("params.work.base_rat=1", "params.work.base_rat"),
                                      ("cohorts=1999", "cohorts")])
def test_bad_settings_stop_with_one_line(arg, key, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "experiments.calibrate", arg,
                           f"fitted_out={tmp_path / 'x.yaml'}", f"out={tmp_path / 'rep'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-1000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "expected" in lines[0], proc.stderr
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "rep").exists()
