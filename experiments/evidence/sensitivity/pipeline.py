"""What ``python -m experiments.sensitivity`` does (see the package docstring).

Plan (:mod:`.plan`), compute the missing points stage by stage (Morris and the nominal runs, screening,
Sobol), analyse, discover, draw and write. With ``parts`` > 1 the process computes only its share
of one stage's points and stops: a Hydra sweep over ``part`` (any launcher) fills the same folders,
and a last plain run analyses them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.evidence.sensitivity import runs
from experiments.evidence.sensitivity.plan import Plan

#: every name the analysis writes into its folder besides its presentation: the points
#: (``runs/<stage>/p<index>/``), the tables and ``sensitivity.json``
WRITES = ("runs", "morris.csv", "screening.csv", "points_morris.csv.gz", "chance.csv", "sobol.csv",
          "stability.csv", "points_sobol.csv.gz", "prim_boxes.csv", "prim_trajectories.csv",
          "sensitivity.json")


class Missing(Exception):
    """Points of a stage are missing (failed, or another part's)."""


def _csv(df: pd.DataFrame, path: Path, gz: bool = False) -> Path:
    from experiments.runs.folders import write_csv as write

    return write(df, path, gz)


def compute(plan: Plan, tasks: list[dict], desc: str) -> dict:
    """Evaluate this process's missing points among ``tasks``; return counts."""
    mine = plan.mine(tasks)
    todo = [t for t in mine if not runs.is_done(Path(t["target"]), t["point_hash"], plan.code)]
    per_point = len(plan.scenarios) * (len(tasks[0]["seeds"]) if tasks else 0)
    if tasks:
        print(f"{desc}: {len(tasks)} points x {per_point} runs; {len(mine) - len(todo)} reused, "
              f"{len(todo)} to run on {min(plan.settings['n_jobs'], max(len(todo), 1))} process(es)",
              flush=True)
    start = time.perf_counter()
    res = runs.run_tasks(todo, plan.settings["n_jobs"], plan.settings["progress"], desc)
    failed = [r for r in res if not r["ok"]]
    cpu = sum(r.get("cpu_seconds", 0.0) for r in res)
    return {"points": len(tasks), "computed": len(res) - len(failed), "reused": len(mine) - len(todo),
            "failed": len(failed), "seconds": round(time.perf_counter() - start, 1),
            "cpu_seconds": round(cpu, 1), "runs_per_point": per_point,
            "cpu_seconds_per_run": round(cpu / max(1, len(res) * per_point), 3)}


def load_points(tasks: list[dict], stage: str) -> list[dict]:
    """Every point of a stage, from its folder (in index order).

    Raises:
        Missing: if any point is not finished with these settings and the model code the analysis
            started with.
    """
    out, missing = [], []
    for t in tasks:
        d = runs.read_point(Path(t["target"]))
        if not d or d.get("point_hash") != t["point_hash"] or d.get("model_hash") != t["model_hash"]:
            missing.append(t["index"])
        else:
            out.append(d)
    if missing:
        raise Missing(f"{len(missing)} of {len(tasks)} {stage} points are not finished "
                      f"(for example point {missing[0]})")
    return out


def execute(plan: Plan, command: str, present=None) -> dict:
    """Run what is missing and, unless the work is split into parts, analyse it; ``present`` (from
    :mod:`experiments.presentation.sensitivity`) draws the charts and ``sensitivity.<language>.html``."""
    from experiments.evidence.sensitivity import analysis as A

    s = plan.settings
    plan.out.mkdir(parents=True, exist_ok=True)
    runs.clean_partials(plan.out)
    t0 = time.perf_counter()
    print(f"sensitivity analysis: {len(plan.params)} uncertain parameters, baseline + "
          f"{len(plan.compared)} scenario(s), {len(plan.seeds)} seed(s) per point, "
          f"{s['population_size']} persons per run -> {plan.out}", flush=True)
    for n in plan.notes:
        print(f"note: {n}", flush=True)
    timing = {}
    m_stage, m_names, m_X = plan.morris_design()
    m_tasks = plan.tasks(m_stage, m_names, m_X)
    n_tasks = plan.nominal_tasks()
    split = s["parts"] > 1
    if s["stage"] in ("all", "morris"):
        timing["nominal"] = compute(plan, n_tasks, "nominal")
        timing["morris"] = compute(plan, m_tasks, "morris")
        if split:
            return {"timing": timing, "analysed": False}
    try:
        m_points = load_points(m_tasks, "Morris")
        nominal = load_points(n_tasks, "nominal")
    except Missing as e:
        raise Missing(f"{e}: run the same command again (with stage=morris if the work is split "
                      "into parts) to compute them") from None
    names, Ym, _ = A.outcome_matrix(m_points, plan.scenarios, plan.baseline)
    problem_all = plan.problem()
    r = s["n_morris"]
    morris = A.morris_table(problem_all, m_X, Ym, names, s["resamples"], s["seed"], r)
    screen = A.screening(morris, s["top"], s["screen"])
    half = r // 2  # the screening again on the first half of the trajectories: is it stable?
    rows_half = half * (len(m_names) + 1)
    morris_half = A.morris_table(problem_all, m_X[:rows_half], Ym[:rows_half], names, s["resamples"],
                                 s["seed"], half)
    screen_half = A.screening(morris_half, s["top"], s["screen"]).set_index("parameter")
    screen["rank_half"] = screen["parameter"].map(screen_half["rank"])
    screen["kept_half"] = screen["parameter"].map(screen_half["kept"])
    kept = [k for k in screen.loc[screen["kept"], "parameter"]]
    print(f"screening kept: {', '.join(kept)}", flush=True)
    s_stage, s_names, s_X = plan.sobol_design(kept)
    s_tasks = plan.tasks(s_stage, s_names, s_X)
    if s["stage"] in ("all", "sobol"):
        timing["sobol"] = compute(plan, s_tasks, "sobol")
        if split:
            return {"timing": timing, "analysed": False}
    out = plan.out
    _csv(pd.concat([morris_half, morris], ignore_index=True), out / "morris.csv")
    _csv(screening_table(plan, screen), out / "screening.csv")
    _csv(points_table(m_names, m_X, names, Ym), out / "points_morris.csv.gz", gz=True)
    result = {"timing": timing, "analysed": True, "kept": kept, "out": out}
    if s["stage"] == "morris":
        _, Yn, _ = A.outcome_matrix(nominal, plan.scenarios, plan.baseline)
        _csv(A.chance_table(names, Yn, len(plan.seeds), None, None, None), out / "chance.csv")
        write_meta(plan, command, result, t0)
        return result
    s_points = load_points(s_tasks, "Sobol")
    _, Ys, Ws = A.outcome_matrix(s_points, plan.scenarios, plan.baseline)
    _, Yn, _ = A.outcome_matrix(nominal, plan.scenarios, plan.baseline)
    prob = plan.problem(kept)
    prob["names"] = s_names
    t1 = time.perf_counter()
    N = s["n_sobol"]
    sobol = pd.concat([A.sobol_table(prob, Ys, names, n, s["resamples"], s["seed"]) for n in (N // 2, N)],
                      ignore_index=True)
    stab = A.stability(sobol)
    chance = A.chance_table(names, Yn, len(plan.seeds), Ys, Ws, A.base_rows(N, len(s_names)))
    _csv(sobol, out / "sobol.csv")
    _csv(stab, out / "stability.csv")
    _csv(chance, out / "chance.csv")
    _csv(points_table(s_names, s_X, names, Ys), out / "points_sobol.csv.gz", gz=True)
    from experiments.evidence.sensitivity import discovery

    prim = discovery.discover(plan, s_names, s_X, names, Ys) if s["prim"]["scenario"] in plan.scenarios else None
    if prim is not None:
        _csv(prim["boxes"], out / "prim_boxes.csv")
        _csv(prim["trajectories"], out / "prim_trajectories.csv")
    timing["analysis_seconds"] = round(time.perf_counter() - t1, 1)
    t2 = time.perf_counter()

    drawn, write_section = present(plan, out, s["language"], morris=morris, screen=screen,
                                   sobol=sobol[sobol["n_sobol"] == N], chance=chance, names=names,
                                   kept=s_names, X=s_X, Y=Ys, prim=prim) if present else ({}, None)
    timing["charts_seconds"] = round(time.perf_counter() - t2, 1)
    result.update(charts=drawn, stability=stab, prim=prim)
    meta = write_meta(plan, command, result, t0)
    if write_section is not None:
        write_section(meta, stab)
    return result


def screening_table(plan: Plan, screen: pd.DataFrame) -> pd.DataFrame:
    from experiments.evidence.sensitivity.space import describe

    info = pd.DataFrame(describe(plan.params)).set_index("parameter")
    out = screen.join(info, on="parameter")
    return out


def points_table(param_names: list[str], X: np.ndarray, names: list[tuple], Y: np.ndarray) -> pd.DataFrame:
    """Each point's parameter values and its outcomes (means over its seeds), one row a point."""
    df = pd.DataFrame(X, columns=param_names)
    df.insert(0, "point", np.arange(len(X)))
    cols = {f"{s}|{m}|{y}": Y[:, j] for j, (s, m, y) in enumerate(names)}
    return pd.concat([df, pd.DataFrame(cols)], axis=1)


def write_meta(plan: Plan, command: str, result: dict, t0: float) -> dict:
    """``sensitivity.json``: settings, seeds, parameters, kept, counts, timing, versions."""
    from experiments.runs.folders import atomic_write
    from experiments.runs.folders import provenance
    from experiments.runs.jobs import model_hash

    meta = {"settings": {k: v for k, v in plan.settings.items()}, "scenarios": plan.scenarios,
            "seeds": plan.seeds, "model_overrides": plan.overrides, "uncertain_parameters": len(plan.params),
            "parameters": [k for k, _ in plan.params], "kept": result.get("kept"),
            "timing": result.get("timing"), "total_seconds": round(time.perf_counter() - t0, 1),
            "command": command, "notes": plan.notes, "provenance": provenance(),
            "model_hash": model_hash()}
    atomic_write(plan.out / "sensitivity.json",
                  lambda p: p.write_text(json.dumps(meta, indent=2, default=str)))
    return meta
