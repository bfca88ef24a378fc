"""The sensitivity analysis (experiments/sensitivity): SALib wiring on functions with known indices,
the parameter space, PRIM, bad input, a small analysis end to end on the model, and (slow tier) a
sweep through Hydra's submitit launcher and a killed analysis that resumes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.evidence.sensitivity import analysis as A
from experiments.evidence.sensitivity import space
from experiments.evidence.sensitivity import discovery
from model.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

#: Ishigami (a=7, b=0.1) on [-pi, pi]^3: analytic first- and total-order indices
ISHIGAMI_S1 = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_ST = np.array([0.5576, 0.4424, 0.2437])


def ishigami(X: np.ndarray) -> np.ndarray:
    return np.sin(X[:, 0]) + 7 * np.sin(X[:, 1]) ** 2 + 0.1 * X[:, 2] ** 4 * np.sin(X[:, 0])


def _problem_with_dummy() -> dict:
    return {"num_vars": 4, "names": ["x1", "x2", "x3", "dummy"], "bounds": [[-np.pi, np.pi]] * 3 + [[0.0, 1.0]]}


def test_sobol_wiring_on_ishigami_with_a_dummy_input():
    from SALib.sample import sobol

    prob = _problem_with_dummy()
    X = sobol.sample(prob, 2048, calc_second_order=False, seed=1)
    Y = ishigami(X)[:, None]  # the dummy (4th column) is never used
    names = [("ishigami", "y", 1)]
    df = pd.concat([A.sobol_table(prob, Y, names, n, 100, seed=1) for n in (1024, 2048)], ignore_index=True)
    full = df[df["n_sobol"] == 2048].set_index("parameter")
    for i, k in enumerate(["x1", "x2", "x3"]):
        assert abs(full.loc[k, "S1"] - ISHIGAMI_S1[i]) < 0.04, (k, full.loc[k, "S1"])
        assert abs(full.loc[k, "ST"] - ISHIGAMI_ST[i]) < 0.04, (k, full.loc[k, "ST"])
        assert full.loc[k, "S1_low"] < ISHIGAMI_S1[i] + 0.04 and full.loc[k, "S1_high"] > ISHIGAMI_S1[i] - 0.04
    # the input the function does not use: total order exactly 0 (its column never changes f), S1 near 0
    assert full.loc["dummy", "ST"] == pytest.approx(0.0, abs=1e-12)
    assert abs(full.loc["dummy", "S1"]) < 0.03
    st = A.stability(df)
    assert len(st) == 1 and st["max_abs_diff_ST"].iloc[0] < 0.05 and bool(st["same_top3"].iloc[0])


def test_morris_wiring_ranks_the_dummy_last():
    from SALib.sample import morris

    prob = _problem_with_dummy()
    X = morris.sample(prob, 40, num_levels=4, seed=2)
    Y = ishigami(X)[:, None]
    m = A.morris_table(prob, X, Y, [("ishigami", "y", 1)], 50, seed=2, trajectories=40).set_index("parameter")
    assert m.loc["dummy", "mu_star"] == 0.0
    assert m.loc["x2", "mu_star"] > m.loc["x3", "mu_star"] > 0
    sc = A.screening(m.reset_index(), top=2, measures=["y"])
    assert list(sc["parameter"])[-1] == "dummy" and set(sc.loc[sc["kept"], "parameter"]) <= {"x1", "x2", "x3"}


def test_outcomes_are_paired_differences_averaged_over_seeds():
    def run(s, seed, p):
        return {"scenario": s, "seed": seed, "participating": [p] * 10, "employed": [p / 2] * 10,
                "public_costs": [100.0 * p] * 10, "earnings": [0.0] * 10}

    pt = {"runs": [run("baseline", 0, 40.0), run("baseline", 1, 44.0), run("pos", 0, 50.0), run("pos", 1, 50.0)]}
    names, Y, W = A.outcome_matrix([pt], ["pos"], "baseline")
    y = dict(zip(names, Y[0]))
    assert y["baseline", "participating", 5] == 42.0
    assert y["pos", "participating", 5] == 8.0  # mean of (50-40, 50-44)
    assert dict(zip(names, W[0]))["pos", "participating", 5] == pytest.approx(np.var([10.0, 6.0], ddof=1))


def test_the_uncertain_parameters():
    keys = [k for k, _ in space.uncertain_params()]
    assert not any(k.startswith("policy.") for k in keys)
    assert not {"population.size", "population.permit_year", "population.horizon_months"} & set(keys)
    from model.config import all_params

    strengths = {f"{g}.{p.name}" for g, p in all_params() if getattr(p, "strength_of", "")}
    assert strengths <= set(keys)  # every lever strength is varied
    assert any(k.startswith("context.") for k in keys)
    assert [k for k, _ in space.select(["params.work.base_rate", "*coaching_max_gain"])] == [
        "params.work.base_rate", "params.work.coaching_max_gain"]
    assert "context.covid_start" not in [k for k, _ in space.select(exclude=["context"])]
    with pytest.raises(ConfigError):
        space.select(["policy.job_coaching"])
    with pytest.raises(ConfigError):
        space.select(["params.work.no_such_thing"])


def test_every_value_of_the_default_designs_is_one_the_model_accepts():
    """The samplers scale levels as low + x (high - low), which can round beyond a bound (0.3 + 0.6
    gave 0.9000000000000001, refused by the model's range check, so every Morris point failed):
    the designs over every uncertain parameter, at the default settings, lie within each range,
    reach both ends, and every row is accepted by the model's own check."""
    from experiments.runs.compose import load

    plan = sa_plan("n_jobs=1", "progress=false")
    params = dict(plan.params)
    assert len(params) == len(space.uncertain_params())
    _, names, X = plan.morris_design()
    _, s_names, S = plan.sobol_design(names[:12])
    base = load("baseline", [])
    for keys, design in ((names, X), (s_names, S)):
        low = np.array([float(params[k].low) for k in keys])
        high = np.array([float(params[k].high) for k in keys])
        assert (design >= low).all() and (design <= high).all()
        for row in design[:: max(len(design) // 40, 1)]:
            base.with_values(dict(zip(keys, row.tolist())))  # raises ConfigError if refused
    assert np.isclose(X.max(axis=0), [float(params[k].high) for k in names]).mean() > 0.9


def test_prim_is_reproducible_and_finds_the_region():
    from SALib.sample import sobol

    prob = {"num_vars": 4, "names": list("abcd"), "bounds": [[0.0, 1.0]] * 4}

    def find(seed):
        X = sobol.sample(prob, 64, calc_second_order=False, seed=seed)
        x = pd.DataFrame(X, columns=prob["names"])
        y = ((x["a"] > 0.6) & (x["b"] < 0.5)).to_numpy()
        return discovery.boxes(x, y, density=0.8, n_boxes=2, peel_alpha=0.05, mass_min=0.05)

    b1, t1 = find(3)
    b2, t2 = find(3)
    assert b1 == b2 and t1.equals(t2)
    first = b1[0]
    assert set(first["restricted"]) == {"a", "b"} and first["density"] >= 0.8 and first["coverage"] > 0.8
    assert first["limits"]["a"][0] == pytest.approx(0.6, abs=0.08)
    assert first["limits"]["b"][1] == pytest.approx(0.5, abs=0.08)
    b3, _ = find(4)
    assert b3 != b1  # another seed, other points


# ---- on the model -----------------------------------------------------------------------------
#: three parameters: two the model uses, and one it does not for a 2024 cohort (COVID was in 2020)
#: (two years since the permit, so that a run is short: the charts and summary show year 2)
TINY = ["parameters=[params.work.base_rate,params.language.gain_course,context.covid_start]",
        "n_morris=2", "n_sobol=4", "top=2", "replicates=1", "chance_seeds=2", "population.size=100",
        "population.horizon_months=24", "n_jobs=1", "progress=false", "resamples=20", "prim.year=2",
        "prim.margin_pp=100"]


def sa_plan(*overrides: str):
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from experiments.evidence.sensitivity.plan import make_plan
    from model.config import register

    register()
    GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(ROOT / "conf"), job_name="test"):
        cfg = compose(config_name="sensitivity", overrides=list(overrides))
    return make_plan(cfg, list(overrides))


def test_bad_settings_stop_with_one_line():
    from experiments.evidence.sensitivity.plan import check_arguments

    for bad in (["n_sobol=100"], ["n_sobol=2"], ["prim.year=11"], ["top=1"], ["scenarios=[nope]"], ["stage=both"], ["replicates=0"],
                ["parameters=[policy.job_coaching]"], ["seed_start=3"]):
        with pytest.raises(ConfigError):
            check_arguments(bad)
            sa_plan(*bad)
    with pytest.raises(ConfigError, match="part"):
        sa_plan("part=2", "parts=2", "stage=morris")
    with pytest.raises(ConfigError, match="stage"):
        sa_plan("parts=2")


def test_a_small_analysis_end_to_end(tmp_path):
    from experiments.evidence.sensitivity.pipeline import execute
    from experiments.presentation.sensitivity import present

    plan = sa_plan(*TINY, f"out={tmp_path}")
    done = execute(plan, "test", present=present)
    assert done["analysed"]
    m = pd.read_csv(tmp_path / "morris.csv")
    covid = m[m["parameter"] == "context.covid_start"]
    assert (covid["mu_star"] == 0).all()  # common random numbers: a parameter not used moves nothing
    sc = pd.read_csv(tmp_path / "screening.csv")
    assert list(sc["parameter"])[-1] == "context.covid_start" and sc["kept"].sum() == 2
    sob = pd.read_csv(tmp_path / "sobol.csv")
    assert set(sob["n_sobol"]) == {2, 4} and {"S1", "S1_conf", "ST", "ST_conf"} <= set(sob.columns)
    assert set(sob["parameter"]) == {"params.work.base_rate", "params.language.gain_course"}
    assert len(pd.read_csv(tmp_path / "chance.csv")) == len(A.outcome_names(["vwn_position"], "baseline"))
    assert (tmp_path / "prim_boxes.csv").is_file() and (tmp_path / "stability.csv").is_file()
    for name in ("drivers_vwn_position", "over_time_vwn_position", "range_vwn_position", "screening"):
        assert (tmp_path / "charts" / f"{name}.png").is_file() and (tmp_path / "charts" / f"{name}.svg").is_file()
    page = (tmp_path / "sensitivity.en.html").read_text()
    assert "What drives these effects" in page and "<!-- sensitivity-section:start -->" in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained
    meta = json.loads((tmp_path / "sensitivity.json").read_text())
    assert set(meta["kept"]) == {"params.work.base_rate", "params.language.gain_course"}
    # run again: every point is reused, and the Dutch page is written
    plan = sa_plan(*TINY, f"out={tmp_path}", "language=nl")
    again = execute(plan, "test", present=present)
    assert all(v["computed"] == 0 for k, v in again["timing"].items() if isinstance(v, dict))
    assert "Wat deze effecten bepaalt" in (tmp_path / "sensitivity.nl.html").read_text()
    assert "What drives these effects" in (tmp_path / "sensitivity.en.html").read_text()  # kept
    # every file is one the analysis writes: the folder is its own, where it resumes
    from experiments.runs.outputs import foreign_entries
    from experiments.sensitivity import WRITES

    assert foreign_entries(tmp_path, WRITES) == []


def test_the_slurm_launcher_example_composes():
    """conf/hydra/launcher/slurm.yaml is a valid submitit_slurm configuration (nothing is submitted)."""
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from model.config import register

    register()
    GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(ROOT / "conf"), job_name="test"):
        cfg = compose(config_name="sensitivity", overrides=["hydra/launcher=slurm", "stage=morris", "parts=4"],
                      return_hydra_config=True)
    launcher = cfg.hydra.launcher
    assert launcher._target_.endswith("submitit_launcher.SlurmLauncher")
    for key in ("partition", "account", "timeout_min", "cpus_per_task", "mem_gb", "array_parallelism", "setup"):
        assert key in launcher
    GlobalHydra.instance().clear()


def test_full_run_folders_give_the_same_numbers(tmp_path):
    """runs=full: each run of a point is a comparison run folder (jobs.run_task), reused when
    jobs.is_complete; the point's numbers equal the compact ones up to the tables' rounding."""
    from experiments.runs.jobs import config_hash, is_complete
    from experiments.evidence.sensitivity import runs

    compact = sa_plan(*TINY, f"out={tmp_path / 'c'}").nominal_tasks()[0]
    full = sa_plan(*TINY, f"out={tmp_path / 'f'}", "runs=full").nominal_tasks()[0]
    assert compact["point_hash"] != full["point_hash"]
    assert runs.evaluate(compact)["ok"] and runs.evaluate(full)["ok"]
    a = runs.read_point(Path(compact["target"]))["runs"]
    b = runs.read_point(Path(full["target"]))["runs"]
    for ra, rb in zip(a, b):
        for m in runs.MEASURES:
            for x, y in zip(ra[m], rb[m]):
                assert (x is None and y is None) or x == pytest.approx(y, abs=1e-3 if m in ("participating", "employed") else 0.05)
    folder = Path(full["target"]) / "vwn_position" / "seed0"
    d = runs._base(full["scenarios"]["vwn_position"], full["base_hashes"]["vwn_position"]).to_dict()
    assert is_complete(folder, config_hash(dict(d, seed=0)))
    stamp = (folder / "run.json").stat().st_mtime_ns
    assert runs.evaluate(full)["ok"] and (folder / "run.json").stat().st_mtime_ns == stamp  # reused


# ---- slow tier: launchers and resuming -----------------------------------------------------------
def _sa(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "experiments.sensitivity", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, **kw)


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_model(ta: dict, tb: dict) -> dict:
    """``tb`` with the model hash of ``ta`` when someone edited model/ between the two sweeps (a
    shared working tree; never in CI): then the rest must still be byte for byte the same."""
    ha = {json.loads(v)["model_hash"] for k, v in ta.items() if k.endswith("point.json")}
    hb = {json.loads(v)["model_hash"] for k, v in tb.items() if k.endswith("point.json")}
    if ha == hb or len(ha) != 1 or len(hb) != 1:
        return tb
    a, b = next(iter(ha)), next(iter(hb))
    return {k: v.replace(b.encode(), a.encode()) for k, v in tb.items()}


@pytest.mark.slow
def test_submitit_local_gives_the_same_point_folders_as_the_basic_launcher(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    common = [*TINY, "stage=morris", "parts=2", "part=0,1"]
    a = _sa("-m", *common, f"out={tmp_path / 'basic'}", f"hydra.sweep.dir={tmp_path / 'sweep_a'}")
    assert a.returncode == 0, a.stderr[-2000:]
    b = _sa("-m", *common, f"out={tmp_path / 'submitit'}", "hydra/launcher=submitit_local",
            f"hydra.sweep.dir={tmp_path / 'sweep_b'}")
    assert b.returncode == 0, b.stderr[-2000:]
    ta, tb = _tree(tmp_path / "basic" / "runs"), _tree(tmp_path / "submitit" / "runs")
    tb = _same_model(ta, tb)
    assert ta and ta.keys() == tb.keys() and all(ta[k] == tb[k] for k in ta)
    assert len([k for k in ta if k.endswith("point.json")]) == 2 + 2 * 4  # nominal + Morris points
    # the stage=sobol parts, then the analysis, reuse every point
    c = _sa("-m", *[x for x in common if not x.startswith("stage")], "stage=sobol",
            f"out={tmp_path / 'submitit'}", "hydra/launcher=submitit_local", f"hydra.sweep.dir={tmp_path / 'sweep_c'}")
    assert c.returncode == 0, c.stderr[-2000:]
    d = _sa(*TINY, f"out={tmp_path / 'submitit'}")
    assert d.returncode == 0, d.stderr[-2000:]
    assert " 0 to run" in d.stdout and "to run" in d.stdout and (tmp_path / "submitit" / "sobol.csv").is_file()


@pytest.mark.slow
def test_a_killed_analysis_resumes_without_recomputing(tmp_path):
    out = tmp_path / "sa"
    args = [*[a for a in TINY if not a.startswith("n_sobol")], "n_sobol=16", f"out={out}"]
    p = subprocess.Popen([PYTHON, "-m", "experiments.sensitivity", *args], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        done = list(out.glob("runs/sobol-*/p*/point.json"))
        if len(done) >= 5:
            break
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    finished = {f: f.stat().st_mtime_ns for f in out.glob("runs/*/p*/point.json")}
    total = 2 + 2 * 4 + 16 * 4  # nominal, Morris (2 trajectories of 4), Sobol (16 x (2 + 2)) points
    assert 5 <= len(finished) < total
    r = _sa(*args)
    assert r.returncode == 0, r.stderr[-2000:]
    assert all(f.stat().st_mtime_ns == t for f, t in finished.items())  # none made again
    after = list(out.glob("runs/*/p*/point.json"))
    assert len(after) == total
    reused = sum(int(line.split(" reused")[0].rsplit(" ", 1)[-1]) for line in r.stdout.splitlines()
                 if " reused" in line)
    assert reused == len(finished)


def test_the_report_says_how_far_prim_boxes_can_be_read():
    from experiments.presentation.sensitivity.section import _prim_reading

    def box(density, label="work.base_rate"):
        return pd.DataFrame([{"box": 1, "label": label, "coverage": 0.7, "density": density}])

    assert "No box reaches the density asked for (0.80)" in _prim_reading(box(0.04), 0.8, 0.01, "en")
    assert "4% of the points fall short, against 1% overall" in _prim_reading(box(0.04), 0.8, 0.01, "en")
    assert "Box 1 holds 70%" in _prim_reading(box(0.9), 0.8, 0.2, "en")
    assert "No box is needed" in _prim_reading(box(1.0, "(no restriction)"), 0.8, 1.0, "en")
    assert "Geen box bereikt de gevraagde dichtheid (0,80)" in _prim_reading(box(0.04), 0.8, 0.01, "nl")


def test_sigterm_stops_a_command_as_ctrl_c_does():
    """``kill PID`` raises KeyboardInterrupt in the main thread, so the command's handler keeps the
    finished points and its worker processes stop with it (they computed on as orphans before)."""
    from experiments.runs.jobs import stop_on_sigterm

    before = signal.getsignal(signal.SIGTERM)
    try:
        stop_on_sigterm()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs at the next bytecode; never reached
    finally:
        signal.signal(signal.SIGTERM, before)
