"""A comparison on an ensemble of fitted parameter sets (3 scenarios x 4 replications x 1,000 persons).

Replication k uses parameter set k // seeds_per_set and seed seed_start + k in every scenario:
the set is recorded in each run's run.json and in the tidy table, the summary splits each interval
into parameter uncertainty and chance (share_parameter), two replications on the same set differ
only by their seed, and the pairing across scenarios holds (the same set and seed). A value that a
scenario file or the command line sets is never replaced by a set or a lever draw, and each run
says where its values came from; calibration=none turns the ensemble off, and asking for both is
refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import model.config
from model.config import ROOT, all_params
from model.errors import ConfigError

ENSEMBLE = {
    "calibration_info": {"date": "2026-01-02", "objective": 1.0},
    "sets": [
        {"params": {"work": {"base_rate": 0.04}}, "context": {"tightness_elasticity": 0.9}},
        {"params": {"work": {"base_rate": 0.12}}, "context": {"tightness_elasticity": 1.1}},
    ],
}


#: a scenario of the user's that sets a parameter the ensemble's sets hold (and a lever strength)
OWN = {"scenario_info": {"summary": "a slower start"},
       "params": {"work": {"base_rate": 0.08, "coaching_max_gain": 1.0}}}


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    """The shipped scenario files and ``own_rate`` (:data:`OWN`), in a folder of the tests' own."""
    d = tmp_path_factory.mktemp("scenarios")
    for f in (ROOT / "scenarios").glob("*.yaml"):
        (d / f.name).write_bytes(f.read_bytes())
    (d / "own_rate.yaml").write_text(yaml.safe_dump(OWN))
    return d


@pytest.fixture(scope="module")
def ensemble_run(tmp_path_factory, scenario_dir) -> Path:
    tmp = tmp_path_factory.mktemp("ensemble")
    file = tmp / "ensemble.yaml"
    file.write_text(yaml.safe_dump(ENSEMBLE))
    out = tmp / "out"
    r = subprocess.run([sys.executable, "-m", "experiments.compare",
                        "scenarios=[baseline,d3_labour_guidance,own_rate]", "replications=4",
                        "seeds_per_set=2", f"ensemble_file={file}", "population.size=1000",
                        "params.housing.single_priority=0.5", "n_jobs=2", "progress=false",
                        "report.stories=false", f"out={out}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600,
                       env={**os.environ, model.config.SCENARIO_ENV: str(scenario_dir)})
    assert r.returncode == 0, r.stderr[-3000:]
    assert "0 reused, 12 to run" in r.stdout and "2 parameter sets" in r.stdout
    assert "scenario 'own_rate' sets params.work.base_rate: its runs keep that value" in r.stdout
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
    assert "ensemble.yaml, made 2 January 2026: 2 parameter sets" in html  # file, date, sets in words
    # a file without a posterior method is described as good fits, not as a posterior sample
    assert "fit the CBS data about as well as the best" in html and "posterior distribution" not in html
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


# ---- whose value wins ----------------------------------------------------------------------------
def test_a_scenario_keeps_its_value_in_every_replication(ensemble_run, scenario_dir):
    """own_rate sets params.work.base_rate, which every parameter set holds, and a lever strength,
    which every draw holds: every one of its runs keeps both; the baseline takes the sets'; the
    command line's value is in every run of every scenario. run.json and comparison.json say
    where each value came from."""
    out = ensemble_run
    for seed, want in zip(range(4), (0, 0, 1, 1)):
        mine = out / "runs" / "own_rate" / f"seed{seed}"
        base = out / "runs" / "baseline" / f"seed{seed}"
        cfg, cfg0 = (yaml.safe_load((d / "config.yaml").read_text()) for d in (mine, base))
        assert cfg["params"]["work"]["base_rate"] == 0.08
        assert cfg["params"]["work"]["coaching_max_gain"] == 1.0
        assert cfg0["params"]["work"]["base_rate"] == ENSEMBLE["sets"][want]["params"]["work"]["base_rate"]
        # the rest of the set still applies to the scenario (only what it sets is its own)
        assert cfg["context"] == cfg0["context"] and cfg0["context"]["tightness_elasticity"] == \
            ENSEMBLE["sets"][want]["context"]["tightness_elasticity"]
        assert cfg["params"]["housing"]["single_priority"] == cfg0["params"]["housing"]["single_priority"] == 0.5
        values = json.loads((mine / "run.json").read_text())["parameters"]["values"]
        assert values["params.work.base_rate"] == {"value": 0.08, "from": "scenario",
                                                   "file": str(scenario_dir / "own_rate.yaml")}
        assert values["params.work.coaching_max_gain"]["from"] == "scenario"
        assert values["context.tightness_elasticity"] == {
            "value": cfg["context"]["tightness_elasticity"], "from": "ensemble", "set": want}
        assert values["params.housing.single_priority"] == {"value": 0.5, "from": "command line"}
        assert values["params.housing.capacity_rate"]["from"] == "calibration"  # not in the sets
        assert values["params.work.max_speed_gain"] == {
            "value": cfg["params"]["work"]["max_speed_gain"], "from": "lever draw", "draw": 0}
        base_values = json.loads((base / "run.json").read_text())["parameters"]
        assert base_values["calibration"] == "fitted"
        assert base_values["values"]["params.work.base_rate"] == {
            "value": cfg0["params"]["work"]["base_rate"], "from": "ensemble", "set": want}
    meta = json.loads((out / "comparison.json").read_text())["parameters"]
    assert meta["calibration"] == "fitted"
    assert meta["command_line"] == {"params.housing.single_priority": 0.5, "population.size": 1000}
    own = meta["scenarios"]["own_rate"]
    assert own["scenario_file"]["params.work.base_rate"]["value"] == 0.08
    assert own["from_ensemble"] == ["context.tightness_elasticity"]
    assert "params.work.base_rate" in meta["scenarios"]["baseline"]["from_ensemble"]
    assert "params.work.coaching_max_gain" not in own["from_lever_draws"]
    assert "params.work.coaching_max_gain" in meta["scenarios"]["baseline"]["from_lever_draws"]


def _plan(*args: str):
    """The comparison's plan (no runs) of ``python -m experiments.compare ARGS``."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from experiments.runs.comparison import make_plan

    model.config.register()
    GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(ROOT / "conf"), job_name="test"):
        cfg = compose(config_name="compare", overrides=list(args))
    GlobalHydra.instance().clear()
    return make_plan(cfg, list(args))


def test_a_value_set_at_its_declared_default_is_kept_too(tmp_path, monkeypatch, scenario_dir):
    """A scenario or command line that sets a calibrated parameter to its declared default still
    sets it: the set's value does not replace it (the plan's configuration of every seed)."""
    declared = {f"{g}.{p.name}": p.default for g, p in all_params()}
    file = tmp_path / "ensemble.yaml"
    sets = [{"params": {"housing": {"capacity_rate": x}, "work": {"separation_rate": y}}}
            for x, y in ((0.03, 0.01), (0.04, 0.02))]
    file.write_text(yaml.safe_dump({"calibration_info": {"date": "d"}, "sets": sets}))
    (scenario_dir / "at_default.yaml").write_text(yaml.safe_dump(
        {"params": {"housing": {"capacity_rate": declared["params.housing.capacity_rate"]}}}))
    monkeypatch.setattr(model.config, "SCENARIO_DIR", scenario_dir)
    try:
        plan = _plan("scenarios=[baseline,at_default]", "replications=4", f"ensemble_file={file}",
                     "population.size=500", "levers=false",
                     f"params.work.separation_rate={declared['params.work.separation_rate']}")
    finally:
        (scenario_dir / "at_default.yaml").unlink()
    for k in plan.seeds:
        i = plan.parameter_set(k)
        mine, base = plan.config("at_default", k), plan.config("baseline", k)
        assert mine["params"]["housing"]["capacity_rate"] == declared["params.housing.capacity_rate"]
        assert base["params"]["housing"]["capacity_rate"] == sets[i]["params"]["housing"]["capacity_rate"]
        for d in (mine, base):
            assert d["params"]["work"]["separation_rate"] == declared["params.work.separation_rate"]
        assert plan.sources("at_default", k)["params.housing.capacity_rate"]["from"] == "scenario"
        assert plan.sources("baseline", k)["params.work.separation_rate"]["from"] == "command line"


def test_calibration_none_turns_the_ensemble_off():
    """calibration=none: the declared defaults in every replication, with the shipped ensemble
    file there (ensemble=null): no set is used, and run.json and comparison.json say so."""
    declared = {f"{g}.{p.name}": p.default for g, p in all_params()}
    plan = _plan("scenarios=[baseline]", "replications=4", "calibration=none", "levers=false")
    assert plan.ensemble is None and not plan.ensemble_meta()["used"]
    assert "calibration=none" in plan.ensemble_meta()["note"]
    for k in plan.seeds:
        d = plan.config("baseline", k)
        assert d["calibration_info"] == {}
        sources = plan.sources("baseline", k)
        calibrated = [key for g, p in all_params() if p.calibrate for key in [f"{g}.{p.name}"]]
        for key in calibrated:
            assert sources[key]["from"] == "declared default" and sources[key]["value"] == declared[key]
    assert plan.parameters_meta()["calibration"] == "none"
    assert plan.out.name == "scenarios=baseline_calibration=none_levers=false"  # no ensemble=false


@pytest.mark.parametrize("ask", ["ensemble=true", "ensemble_file=conf/ensemble.yaml"])
def test_calibration_none_with_the_ensemble_asked_for_is_refused(ask):
    with pytest.raises(ConfigError) as e:
        _plan("scenarios=[baseline]", "replications=2", "calibration=none", ask)
    msg = str(e.value)
    assert msg.startswith("calibration='none' is not allowed: expected calibration=fitted")
    assert ask in msg and "declared defaults" in msg and "\n" not in msg


def test_calibration_none_with_ensemble_true_exits_2_without_a_folder(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "experiments.compare", "scenarios=[baseline]",
                        "replications=2", "calibration=none", "ensemble=true", f"out={out}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: calibration='none'")
    assert not out.exists()


@pytest.mark.parametrize("lang,says,not_says", [
    ("en", "drawn from the posterior distribution", "about as well as the best"),
    ("nl", "getrokken uit de posterior-verdeling", "ongeveer even goed"),
])
def test_the_report_says_when_the_sets_are_a_posterior_sample(lang, says, not_says):
    """The methods' item names how the ensemble was made, from its calibration's method string."""
    from types import SimpleNamespace

    from experiments.presentation.report.methods import methods_ensemble

    e = {"used": True, "file": "conf/ensemble.yaml", "date": "2026-12-03", "n_sets": 20,
         "sets_used": list(range(20)), "seeds_per_set": 2,
         "method": "posterior: adaptive Metropolis on a Gaussian-process emulator"}
    text = methods_ensemble(SimpleNamespace(meta={"ensemble": e}, lang=lang, folder=None))
    assert says in text and not_says not in text
    e["method"] = "staged Nelder-Mead within declared ranges"
    text = methods_ensemble(SimpleNamespace(meta={"ensemble": e}, lang=lang, folder=None))
    assert not_says in text and says not in text
