"""A comparison on an ensemble of fitted parameter sets (2 scenarios x 4 replications x 1,000 persons).

Replication k uses parameter set k // seeds_per_set and seed seed_start + k in every scenario:
the set is recorded in each run's run.json and in the tidy table, the summary splits each interval
into parameter uncertainty and chance (share_parameter), two replications on the same set differ
only by their seed, and the pairing across scenarios holds (the same set and seed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from model.config import ROOT

ENSEMBLE = {
    "calibration_info": {"date": "2026-01-02", "objective": 1.0},
    "sets": [
        {"params": {"work": {"base_rate": 0.04}}, "context": {"tightness_elasticity": 0.9}},
        {"params": {"work": {"base_rate": 0.12}}, "context": {"tightness_elasticity": 1.1}},
    ],
}


@pytest.fixture(scope="module")
def ensemble_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ensemble")
    file = tmp / "ensemble.yaml"
    file.write_text(yaml.safe_dump(ENSEMBLE))
    out = tmp / "out"
    r = subprocess.run([sys.executable, "-m", "experiments.compare", "scenarios=[baseline,d3_labour_guidance]",
                        "replications=4", "seeds_per_set=2", f"ensemble_file={file}", "population.size=1000",
                        "n_jobs=2", "progress=false", "report.stories=false", f"out={out}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "0 reused, 8 to run" in r.stdout and "2 parameter sets" in r.stdout
    return out


def test_each_run_records_its_parameter_set(ensemble_run):
    out = ensemble_run
    for scen in ("baseline", "d3_labour_guidance"):
        for seed, want in zip(range(4), (0, 0, 1, 1)):
            d = out / "runs" / scen / f"seed{seed}"
            assert json.loads((d / "run.json").read_text())["parameter_set"] == want
            cfg = yaml.safe_load((d / "config.yaml").read_text())
            assert cfg["params"]["work"]["base_rate"] == ENSEMBLE["sets"][want]["params"]["work"]["base_rate"]
            assert cfg["context"]["tightness_elasticity"] == ENSEMBLE["sets"][want]["context"]["tightness_elasticity"]
    tidy = pd.read_csv(out / "outcomes_all.csv.gz")
    assert "parameter_set" in tidy.columns
    assert tidy.groupby("seed")["parameter_set"].unique().map(list).to_dict() == {0: [0], 1: [0], 2: [1], 3: [1]}
    meta = json.loads((out / "comparison.json").read_text())
    assert meta["ensemble"]["used"] and meta["ensemble"]["n_sets"] == 2 and meta["ensemble"]["seeds_per_set"] == 2
    assert {r["parameter_set"] for r in meta["runs"]} == {0, 1}


def test_same_set_different_seeds_differ_and_scenarios_stay_paired(ensemble_run):
    out = ensemble_run

    def employed(scen, seed):
        o = pd.read_csv(out / "runs" / scen / f"seed{seed}" / "outcomes.csv.gz")
        return o[(o.group == "all") & (o.outcome == "employed")].sort_values("month")["value"].to_numpy()

    assert not np.array_equal(employed("baseline", 0), employed("baseline", 1))  # set 0, seeds 0 and 1
    # pairing: the same set and seed in both scenarios (only the scenario differs in the config)
    for seed in range(4):
        a = yaml.safe_load((out / "runs" / "baseline" / f"seed{seed}" / "config.yaml").read_text())
        b = yaml.safe_load((out / "runs" / "d3_labour_guidance" / f"seed{seed}" / "config.yaml").read_text())
        assert a["seed"] == b["seed"] == seed
        assert a["params"]["work"]["base_rate"] == b["params"]["work"]["base_rate"]
        assert a["context"] == b["context"] and a["population"] == b["population"]
    # the larger base rate (set 1) gives more work than set 0 on the same seeds
    assert employed("baseline", 2)[60] > employed("baseline", 0)[60]


def test_summary_has_share_parameter_and_the_report_says_it(ensemble_run):
    out = ensemble_run
    s = pd.read_csv(out / "summary.csv")
    assert "share_parameter" in s.columns
    d3 = s[(s.scenario == "d3_labour_guidance") & (s.group == "all")]
    vals = d3["share_parameter"].dropna()
    assert len(vals) and ((vals >= 0) & (vals <= 1)).all()
    assert s[s.scenario == "baseline"]["share_parameter"].isna().all()
    # against the hand split from the runs, for employment after five years
    r = d3[(d3.outcome == "employed") & (d3.years == 5)].iloc[0]
    diffs = []
    for seed in range(4):
        v = {}
        for scen in ("baseline", "d3_labour_guidance"):
            o = pd.read_csv(out / "runs" / scen / f"seed{seed}" / "outcomes.csv.gz")
            v[scen] = o[(o.group == "all") & (o.outcome == "employed") & (o.month == 60)]["value"].item()
        diffs.append(v["d3_labour_guidance"] - v["baseline"])
    g0, g1 = np.array(diffs[:2]), np.array(diffs[2:])
    chance = (g0.var(ddof=1) + g1.var(ddof=1)) / 2
    param = max(np.var([g0.mean(), g1.mean()], ddof=1) - chance / 2, 0.0)
    if chance + param > 0:
        assert r["share_parameter"] == pytest.approx(param / (chance + param), abs=1e-3)
    html = (out / "report.en.html").read_text(encoding="utf-8")
    assert "ensemble.yaml, 2026-01-02, 2 parameter sets" in html
    assert "of the spread comes from uncertainty in the fitted parameters" in html \
        or "cannot be told apart from chance" in html


def test_replications_cycle_through_the_sets():
    from experiments.runs.comparison import Plan

    plan = Plan(scenarios=["baseline"], baseline="baseline", position=None, seeds=list(range(5, 13)),
                overrides=[], out=Path("/nonexistent"), n_jobs=1, language="en", stories=False,
                progress=False, ensemble={"n_sets": 3, "sets": [{}, {}, {}], "file": "f", "date": "d",
                                          "info": {}}, seeds_per_set=2)
    assert [plan.parameter_set(k) for k in plan.seeds] == [0, 0, 1, 1, 2, 2, 0, 0]
    plan.ensemble = None
    assert plan.parameter_set(5) is None
