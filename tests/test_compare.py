"""The scenario comparison end to end, on a small case (2 scenarios x 2 seeds x 1,000 persons).

- bad input stops with one line, exit code 2, before any run, leaving no folder;
- a comparison writes its tables, charts, stories and a self-contained report;
- run again, it reuses the finished runs and computes only a deleted one, with the same summary;
- a sweep (``experiments.run -m``) aggregated by the callback gives the same summary table, and so
  does ``python -m experiments.aggregate`` on the sweep's folder;
- a job that fails in a sweep is recorded as data and the sweep is still aggregated;
- counting stages changes nothing in a run, and a comparison's configs are the command line's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.config import ROOT

PY = sys.executable
# ensemble=false: a sweep (experiments.run -m) uses no ensemble, and must give the same summary
SMALL = ["scenarios=[baseline,d3_labour_guidance]", "replications=2", "population.size=1000",
         "ensemble=false", "n_jobs=2", "progress=false"]
# and no lever-strength draws (a sweep draws none), where the comparison knows the setting
if "levers" in __import__("experiments.compare", fromlist=["COMPARE_KEYS"]).COMPARE_KEYS:
    SMALL.append("levers=false")
SWEEP = ["scenario=baseline,d3_labour_guidance", "seed=0,1", "population.size=1000"]


def run(args: list[str], timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


# ---- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("bad, key", [
    (["scenarios=[baseline,no_such_scenario]"], "scenarios"),
    (["replications=0"], "replications"),
    (["out=/proc/compare-here"], "out"),
    (["out={file}/sub"], "out"),
    (["out={file}"], "out"),
    (["out={tmp}", "scenarios=[baseline,d3_labour_guidance]"], "out"),  # holds a file it did not write
    (["out={tmp}/" + "x" * 250], "out"),  # a name too long for the file system
    (["output_dir={tmp}/new"], "output_dir"),  # the old name of out
    (["hydra.run.dir={tmp}/new"], "hydra.run.dir"),
    (["report.sensitivity={tmp}"], "report.sensitivity"),  # not the folder of an analysis
])
def test_bad_input_gives_one_line_and_no_folder(tmp_path, bad, key):
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    target = tmp_path / "out"
    args = [b.format(file=a_file, tmp=tmp_path) for b in bad]
    if not any(a.startswith(("out=", "output_dir=", "hydra.run.dir=")) for a in args):
        args.append(f"out={target}")
    before = sorted(p.name for p in tmp_path.iterdir())
    r = run(["-m", "experiments.compare", *args], timeout=120)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"error: {key}=") and "is not allowed: expected" in lines[0], lines[0]
    assert "comparison:" not in r.stdout and "Traceback" not in r.stderr  # nothing started
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no folder left behind
    assert a_file.read_text() == "x"
    assert not Path("/proc/compare-here").exists()


@pytest.mark.parametrize("bad, key", [
    (["out={file}"], "out"),
    (["output_dir=x"], "output_dir"),
    (["overwrite=maybe"], "overwrite"),
    (["scenarios=baseline,vwn_position"], "scenarios"),
    (["scenarios=[]"], "scenarios"),
    (["seed=3"], "seed"),
    (["scenario=vwn_position"], "scenario"),
    (["report.language=de"], "report.language"),
    (["n_jobs=0"], "n_jobs"),
    (["population.size=-5"], "population.size"),
    (["popluation.size=5000"], "popluation.size"),
])
def test_bad_arguments_are_named(tmp_path, bad, key):
    from experiments.compare import check_arguments
    from model.errors import ConfigError

    a_file = tmp_path / "a_file.txt"
    a_file.write_text("x")
    with pytest.raises(ConfigError) as e:
        check_arguments([b.format(file=a_file) for b in bad])
    assert e.value.key == key
    assert "\n" not in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file.txt"]


def test_good_arguments_pass():
    from experiments.compare import check_arguments

    check_arguments(["scenarios=[baseline,vwn_position]", "replications=50", "population.size=30000",
                     "report.language=nl", "n_jobs=null", "policy.discrimination=0.2"])


# ---- a comparison, resumed ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare") / "small"
    r = run(["-m", "experiments.compare", *SMALL, f"out={out}"])
    assert r.returncode == 0, r.stderr[-3000:]
    assert "0 reused, 4 to run" in r.stdout
    return out


def test_a_comparison_writes_only_what_it_declares(comparison):
    """Every name in the folder is one a comparison writes, so that running it again resumes there
    (a folder holding anything else is refused without overwrite=true)."""
    from experiments.compare import WRITES
    from experiments.runs.outputs import foreign_entries

    assert foreign_entries(comparison, WRITES) == []


def test_comparison_writes_a_self_describing_folder(comparison):
    out = comparison
    for f in ("summary.csv", "costs_summary.csv", "times_summary.csv", "outcomes_all.csv.gz",
              "comparison.json", "report.en.html", "stories/stories.json"):
        assert (out / f).is_file(), f
    for chart in ("a1_participation", "a2_employment", "b_effects", "b2_effects_by_year", "b3_all_outcomes",
                  "c_stages", "d_groups_all", "e_costs", "f_first_job"):
        assert (out / "charts" / f"{chart}.png").is_file() and (out / "charts" / f"{chart}.svg").is_file()
    meta = json.loads((out / "comparison.json").read_text())
    assert meta["seeds"] == [0, 1] and meta["scenarios"] == ["baseline", "d3_labour_guidance"]
    assert meta["settings"]["model_overrides"] == ["population.size=1000"]
    assert meta["git_sha"] and meta["packages"]["mesa"]
    tidy = pd.read_csv(out / "outcomes_all.csv.gz")
    # (parameter_set and lever_draw columns are added only when the runs record them)
    assert list(tidy.columns) == ["scenario", "seed", "month", "group", "outcome", "value", "n"]
    assert set(tidy["seed"]) == {0, 1}
    # every month for the whole cohort, every 12th for the groups
    assert tidy[tidy.group == "all"]["month"].nunique() == 121
    assert set(tidy[tidy.group != "all"]["month"] % 12) == {0}
    for run_dir in (out / "runs").glob("*/seed*"):
        info = json.loads((run_dir / "run.json").read_text())
        assert info["config_hash"] and info["model_hash"]
        stages = pd.read_csv(run_dir / "stages.csv")
        totals = stages.groupby("month")["share"].sum()
        assert np.allclose(totals[stages.groupby("month")["n"].first() > 0], 100.0, atol=1e-3)


def test_a_finished_run_is_reused_only_for_its_own_configuration(comparison):
    import yaml

    from experiments.runs.jobs import config_hash, is_complete

    run_dir = comparison / "runs" / "baseline" / "seed0"
    cfg = yaml.safe_load((run_dir / "config.yaml").read_text())
    assert is_complete(run_dir, config_hash(cfg))
    other = dict(cfg, population=dict(cfg["population"], size=2000))
    assert not is_complete(run_dir, config_hash(other))
    assert not is_complete(run_dir, config_hash(dict(cfg, seed=1)))


def test_summary_comes_from_the_runs_in_the_folder(comparison):
    out = comparison
    s = pd.read_csv(out / "summary.csv")
    r = s[(s.scenario == "d3_labour_guidance") & (s.outcome == "employed") & (s.group == "all")
          & (s.years == 5)].iloc[0]
    vals = {}
    for scen in ("baseline", "d3_labour_guidance"):
        for seed in (0, 1):
            o = pd.read_csv(out / "runs" / scen / f"seed{seed}" / "outcomes.csv.gz")
            vals[scen, seed] = o[(o.group == "all") & (o.outcome == "employed") & (o.month == 60)]["value"].item()
    diffs = sorted(vals["d3_labour_guidance", s] - vals["baseline", s] for s in (0, 1))
    assert r["diff_median"] == pytest.approx((diffs[0] + diffs[1]) / 2, abs=1e-4)
    assert r["diff_p05"] == pytest.approx(diffs[0] + 0.05 * (diffs[1] - diffs[0]), abs=1e-4)
    assert r["diff_p95"] == pytest.approx(diffs[0] + 0.95 * (diffs[1] - diffs[0]), abs=1e-4)


def test_report_is_self_contained_and_states_the_numbers(comparison):
    html = (comparison / "report.en.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(?!data:|#)", html), "the report must not load anything"
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64,") >= 6 + 4  # charts and stories
    s = pd.read_csv(comparison / "summary.csv")
    b5 = s[(s.scenario == "baseline") & (s.outcome == "employed") & (s.group == "all") & (s.years == 5)].iloc[0]
    assert f"{b5['median']:.1f}%" in html  # the summary's number, as the text states it
    assert "90% interval" in html and "git" in html.lower()


def test_rerun_reuses_finished_runs_and_recomputes_a_missing_one(comparison):
    # run again with the report in Dutch: the runs are reused, a deleted one is made again, the
    # summary is the same, and the report is in Dutch
    out = comparison
    before = {p: p.stat().st_mtime_ns for p in (out / "runs").glob("*/seed*/run.json")}
    summary_before = (out / "summary.csv").read_bytes()
    victim = out / "runs" / "d3_labour_guidance" / "seed1"
    import shutil

    shutil.rmtree(victim)
    english = (out / "report.en.html").read_bytes()
    r = run(["-m", "experiments.compare", *SMALL, f"out={out}", "report.language=nl"])
    assert r.returncode == 0, r.stderr[-3000:]
    assert "3 reused, 1 to run" in r.stdout
    for p, mtime in before.items():
        if victim not in p.parents:
            assert p.stat().st_mtime_ns == mtime, f"{p} was recomputed"
    assert (victim / "run.json").is_file()
    assert (out / "summary.csv").read_bytes() == summary_before
    html = (out / "report.nl.html").read_text(encoding="utf-8")
    assert "Samenvatting" in html and "procentpunt" in html and '<html lang="nl">' in html
    assert "Summary</h2>" not in html
    # the English report of the same settings is still there, beside the Dutch one
    assert (out / "report.en.html").read_bytes() == english
    assert '<html lang="en">' in english.decode("utf-8")


# ---- participation leads the report ------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(comparison, tmp_path_factory) -> dict[str, Path]:
    """The comparison's runs aggregated again in process, in English and in Dutch (no stories)."""
    from experiments.presentation.publish import publish
    from experiments.runs.aggregate import aggregate
    from experiments.runs.reading import find_run_folders

    folders = find_run_folders(comparison / "runs")
    out = {}
    for lang in ("en", "nl"):
        target = tmp_path_factory.mktemp(f"report_{lang}")
        publish(aggregate(target, folders, language=lang, stories=False,
                          order=["baseline", "d3_labour_guidance"]))
        out[lang] = target
    return out


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_participation_comes_first_in_charts_and_summary(reports, lang):
    html = (reports[lang] / f"report.{lang}.html").read_text(encoding="utf-8")
    # the first chart is participation
    figures = re.findall(r"<figure id='([^']+)'>.*?<figcaption>(.*?)</figcaption>", html, flags=re.S)
    assert figures[0][0] == "a1_participation"
    assert ("Participatie" if lang == "nl" else "Participation") in figures[0][1]
    assert [f for f, _ in figures].index("a1_participation") < [f for f, _ in figures].index("a2_employment")
    # the first result sentence is about participation, then feeling at home, then employment
    summary = html.split("<div class=\"lead\">", 1)[1].split("</div>", 1)[0]
    results = re.findall(r'<p class="result" id="([^"]+)">(.*?)</p>', summary, flags=re.S)
    assert [r for r, _ in results] == ["r-participation", "r-belonging", "r-employment"]
    first = re.sub(r"<[^>]+>", "", results[0][1])
    assert first.startswith("Participatie" if lang == "nl" else "Participation"), first
    words = {"en": ("Participation", "Feeling at home", "Paid work is the best-measured part"),
             "nl": ("Participatie", "Zich thuis voelen", "Betaald werk is het best gemeten deel")}[lang]
    plain = re.sub(r"<[^>]+>", "", summary)
    where = [plain.index(w) for w in words]
    assert where == sorted(where)
    # nothing before the participation paragraph states a result (only the caveat and the set-up)
    before = summary[:summary.index('id="r-participation"')]
    assert before.count("<p") == 3 and "%" not in re.sub(r"<[^>]+>", "", before)
    # each part of participation is defined, with where it is measured and any assumption beside it
    measures = html.split('id="measures"', 1)[1].split("<h2", 1)[0]
    for code in ("participating", "employed", "in_education", "volunteering", "belonging"):
        assert f"<code>{code}</code>" in measures
    assert "CBS" in measures and "SCP" in measures
    assert measures.count("class='ass'") == 2  # other participation and feeling at home


def test_parts_of_participation_add_up_in_the_chart(comparison, reports):
    for folder in (comparison, reports["en"]):
        data = pd.read_csv(folder / "charts" / "a1_participation.csv")
        assert set(data["scenario"]) == {"baseline", "d3_labour_guidance"}
        assert data["month"].nunique() == 121
        parts = data[["employed", "education_only", "other_only"]]
        assert (parts >= -1e-3).all().all()
        assert np.allclose(parts.sum(axis=1), data["participating_mean"], atol=1e-3)
        # the whole lies within its own 90% interval
        assert ((data["participating_p05"] <= data["participating_mean"] + 1e-3)
                & (data["participating_mean"] <= data["participating_p95"] + 1e-3)).all()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_sets_effects_beside_the_evidence_and_splits_the_uncertainty(reports, lang):
    from experiments.runs.demands import DEMAND_EVIDENCE

    out = reports[lang]
    s = pd.read_csv(out / "summary.csv")
    assert sorted(s["years"].unique()) == list(range(1, 11))  # every year, so late effects show
    assert {"share_chance", "share_parameter", "share_lever"} <= set(s.columns)
    # no ensemble and no lever draws here: nothing to split
    assert s[["share_chance", "share_parameter", "share_lever"]].isna().all().all()
    html = (out / f"report.{lang}.html").read_text(encoding="utf-8")
    for section in ("acts", "evidence", "whole", "uncertainty"):
        assert f'<h2 id="{section}">' in html, section
    evidence = html.split('<h2 id="evidence">', 1)[1].split("<h2", 1)[0]
    if DEMAND_EVIDENCE.is_file():
        assert "g_evidence" in evidence and (out / "model_and_evidence.csv").is_file()
        checked = pd.read_csv(out / "model_and_evidence.csv")
        d3 = checked[(checked.demand == "D3") & (checked.horizon_years == 5)].iloc[0]
        r = s[(s.scenario == "d3_labour_guidance") & (s.outcome == "employed") & (s.group == "all")
              & (s.years == 5)].iloc[0]
        assert d3["diff_median"] == pytest.approx(r["diff_median"])
        assert set(checked[checked.scenario.isna() | (checked.demand == "D1")]["verdict"]) == {"not run"}
    else:
        assert "class='warn'" in evidence
    # the full position is not in this comparison: the whole-and-sum section says so
    whole = html.split('<h2 id="whole">', 1)[1].split("<h2", 1)[0]
    assert ("Niet te berekenen" if lang == "nl" else "Not available") in whole
    # every year is in the effects chart; the tables show 1, 3, 5 and 10
    assert (out / "charts" / "b2_effects_by_year.png").is_file()
    table = html.split("Effects at a glance" if lang == "en" else "Effecten in één oogopslag", 1)[1]
    table = table.split("</table>", 1)[0]
    assert table.count("<small>" + ("after" if lang == "en" else "na")) == 8


# ---- a sweep gives the same summary --------------------------------------------------------
def test_sweep_and_aggregate_give_the_same_summary(comparison, tmp_path):
    sweep = tmp_path / "sweep"
    r = run(["-m", "experiments.run", "-m", *SWEEP, "hydra/callbacks=aggregate",
             "hydra.callbacks.aggregate.stories=false", f"out={sweep}"])
    assert r.returncode == 0, r.stderr[-3000:]
    for f in ("summary.csv", "costs_summary.csv", "times_summary.csv"):
        assert (sweep / f).read_bytes() == (comparison / f).read_bytes(), f
    from experiments.run import SWEEP_WRITES
    from experiments.runs.outputs import foreign_entries

    assert foreign_entries(sweep, SWEEP_WRITES) == []  # a sweep writes only what it declares
    # aggregation on its own, from the job folders
    again = tmp_path / "again"
    r = run(["-m", "experiments.aggregate", str(sweep), f"out={again}", "stories=false"])
    assert r.returncode == 0, r.stderr[-3000:]
    assert (again / "summary.csv").read_bytes() == (comparison / "summary.csv").read_bytes()


FLAKY = """
import sys
import experiments.run as r
real = r.write_job
def flaky(rc, run_dir, **kw):
    if rc.scenario == "d3_labour_guidance" and rc.seed == 1:
        raise RuntimeError("simulated failure")
    return real(rc, run_dir, **kw)
r.write_job = flaky
sys.argv = ["run.py", "-m", *sys.argv[1:]]
r.main()
"""


def test_a_failed_job_is_recorded_and_the_sweep_still_aggregates(tmp_path):
    sweep = tmp_path / "sweep"
    # imported rather than run with -m, Hydra would look for conf/ as a package: point it at the file
    r = run(["-c", FLAKY, *SWEEP, "hydra/callbacks=aggregate", "hydra.callbacks.aggregate.stories=false",
             f"hydra.sweep.dir={sweep}"], env={"HYDRA_MAIN_MODULE": "__main__"})
    assert r.returncode == 0, r.stderr[-3000:]
    failed = list(sweep.glob("*/failed.json"))
    assert len(failed) == 1 and "simulated failure" in failed[0].read_text()
    meta = json.loads((sweep / "comparison.json").read_text())
    assert len(meta["failures"]) == 1 and len(meta["runs"]) == 3
    s = pd.read_csv(sweep / "summary.csv")
    d3 = s[(s.scenario == "d3_labour_guidance") & (s.outcome == "employed") & (s.group == "all")]
    assert (d3["n_runs"] == 1).all() and (d3["n_pairs"] == 1).all()
    assert "failed" in (sweep / "report.en.html").read_text(encoding="utf-8")


# ---- in-process checks -------------------------------------------------------------------------
def test_stage_counting_changes_nothing_and_configs_round_trip():
    from experiments.runs.compose import load
    from experiments.runs.jobs import config_hash, simulate_with_stages
    from model.config import build
    from model.model import simulate

    cfg = load("vwn_position", ["population.size=1000", "seed=3"])
    plain = simulate(cfg)
    staged, stages = simulate_with_stages(cfg)
    assert np.array_equal(plain.cube, staged.cube)
    for item in plain.costs:
        assert np.array_equal(plain.costs[item], staged.costs[item])
    # the comparison builds each run from the scenario's config with the seed set: the same config
    # as composing with seed=3, and the same hash after a round trip
    d = dict(load("vwn_position", ["population.size=1000"]).to_dict(), seed=3)
    assert build(d).to_dict() == cfg.to_dict()
    assert config_hash(d) == config_hash(build(d)) == config_hash(cfg)
    assert set(stages["stage"]) == {"reception", "housed", "benefits", "learning", "education", "work", "left"}


def test_output_folder_is_named_after_the_settings():
    from experiments.runs.comparison import default_scenarios, folder_name

    assert folder_name(default_scenarios(), 0, []) == "default"
    assert folder_name(default_scenarios(), 0, ["population.size=30000"]) == "population.size=30000"
    assert folder_name(["baseline", "vwn_position"], 0, []) == "scenarios=baseline,vwn_position"
    long = folder_name(default_scenarios(), 5, [f"policy.discrimination=0.{i}" for i in range(10)])
    assert len(long) <= 80 and long != folder_name(default_scenarios(), 6, [])


def test_only_partials_of_gone_processes_are_orphaned(tmp_path):
    """A temporary ``.partial-<pid>`` left by a process that is gone (or by this one) may be
    removed on resume; one of another live process may not."""
    import os
    import subprocess
    import sys

    from experiments.runs.folders import orphaned_partial

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert orphaned_partial(tmp_path / f".run.partial-{gone.pid}")
    assert orphaned_partial(tmp_path / f".run.partial-{os.getpid()}")
    assert orphaned_partial(tmp_path / ".run.partial-notapid")
    assert not orphaned_partial(tmp_path / f".run.partial-{os.getppid()}")
