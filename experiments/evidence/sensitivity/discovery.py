"""Scenario discovery: for which combinations of assumptions does the full position fall short?

PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999) as implemented in the EMA
Workbench (``ema_workbench.analysis.prim``), over the Sobol points of the analysis (every row of the
Saltelli design: each is a combination of the kept parameters' values, the others at their composed
values). Two questions, each a yes/no per point (on the mean of the point's seeds):

- ``participation``: the scenario's paired effect on participation after ``prim.year`` years is below
  ``prim.margin_pp`` percentage points (it fails to raise participation by that margin);
- ``payback``: the scenario's paired effect on public costs over the cohort's first ten years is
  above zero: what it spends is not paid back within ten years by lower reception, benefit and other
  public costs (the comparison's ``public_total`` in ``costs_summary.csv``; earnings are the
  cohort's, not a public return, and are left out as there).

PRIM peels the parameter space down to boxes (a range per parameter) where such points are dense.
Each box is reported with its *coverage* (the share of all failing points inside it), *density*
(the share of points inside it that fail) and *mass* (the share of all points inside it). From each
peeling trajectory the box with the most coverage among those with density at least
``prim.density`` is chosen (the densest, when none reaches it); up to ``prim.boxes`` boxes are found
per question, each next one among the points the earlier ones left; a box's restriction of a
parameter is dropped when its quasi-p value (the chance of finding as many failing points in so
narrow a range by luck; Bryant and Lempert 2010) is above 0.05, so that a box names only the
assumptions that matter. PRIM itself draws nothing: the boxes are a function of the points, which
are a function of ``seed``.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

QUESTIONS = ("participation", "payback")
#: a restriction whose quasi-p value is above this on every side it restricts is dropped from a box
QP = 0.05


def failing(question: str, names: list[tuple], Y: np.ndarray, scenario: str, year: int,
            margin: float) -> np.ndarray:
    """The points where ``scenario`` falls short on ``question`` (a boolean per row of ``Y``)."""
    col = {n: j for j, n in enumerate(names)}
    if question == "participation":
        return Y[:, col[scenario, "participating", year]] < margin
    if question == "payback":
        return Y[:, col[scenario, "public_costs", 10]] > 0
    raise ValueError(question)


def _prim():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional parallel back-ends
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("EMA") or name.startswith("ema_workbench"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return prim


def boxes(x: pd.DataFrame, y: np.ndarray, density: float, n_boxes: int, peel_alpha: float,
          mass_min: float) -> tuple[list[dict], pd.DataFrame]:
    """Find up to ``n_boxes`` boxes; return them (limits, statistics) and the peeling trajectories."""
    prim = _prim()
    found, trajs = [], []
    if y.sum() == 0 or y.all():
        return found, pd.DataFrame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y.astype(bool), peel_alpha=peel_alpha, mass_min=mass_min)
        for b in range(n_boxes):
            box = p.find_box()
            if box is None:
                break
            tr = box.peeling_trajectory.copy()
            ok = tr[tr["density"] >= density]
            i = int(ok["coverage"].idxmax()) if len(ok) else int(tr.sort_values(
                ["density", "coverage"], ascending=False).index[0])
            box.select(i)
            # keep only the restrictions that matter: drop each whose quasi-p value (the chance of so
            # many failing points in so narrow a range by luck) is above QP on every side it restricts
            for c, qp in list(box.p_values[i].items()):
                if all(q == -1 or q > QP for q in qp):
                    box.drop_restriction(c)
            cur = len(box.peeling_trajectory) - 1 if len(box.peeling_trajectory) > len(tr) else i
            stats = box.peeling_trajectory.iloc[cur]
            if int(stats["k"]) == 0:
                break
            tr = box.peeling_trajectory.copy()
            tr["box"] = b + 1
            tr["chosen"] = tr.index == cur
            trajs.append(tr)
            lims = box.box_lims[cur]
            init = box.box_lims[0]
            pv = box.p_values[cur] if cur < len(box.p_values) else {}
            restricted = [c for c in x.columns if (lims[c].iloc[0] > init[c].iloc[0]) or (lims[c].iloc[1] < init[c].iloc[1])]
            found.append({"box": b + 1, "coverage": float(stats["coverage"]), "density": float(stats["density"]),
                          "mass": float(stats["mass"]), "n_points": int(stats["n"]), "n_cases": int(stats["k"]),
                          "limits": {c: (float(lims[c].iloc[0]), float(lims[c].iloc[1])) for c in x.columns},
                          "restricted": restricted,
                          "qp": {c: [None if v == -1 else float(v) for v in pv[c]] for c in pv}})
            if len(tr) <= 1:
                break
    return found, (pd.concat(trajs) if trajs else pd.DataFrame())


def discover(plan, param_names: list[str], X: np.ndarray, names: list[tuple], Y: np.ndarray) -> dict:
    """Both questions for ``prim.scenario`` over the Sobol points: boxes table and trajectories."""
    from experiments.evidence.sensitivity.space import short

    s = plan.settings["prim"]
    bounds = {k: (float(p.low), float(p.high)) for k, p in plan.params}
    x = pd.DataFrame(X, columns=param_names)
    rows, trajs, summary = [], [], []
    for q in QUESTIONS:
        y = failing(q, names, Y, s["scenario"], s["year"], s["margin_pp"])
        found, tr = boxes(x, y, s["density"], s["boxes"], s["peel_alpha"], s["mass_min"])
        summary.append({"question": q, "points": int(len(y)), "failing": int(y.sum()),
                        "share_failing": float(y.mean()), "boxes": len(found)})
        if len(tr):
            tr = tr.reset_index().rename(columns={"index": "step"})
            tr.insert(0, "question", q)
            trajs.append(tr[["question", "box", "step", "coverage", "density", "mass", "n", "k", "res_dim",
                             "chosen"]])
        for b in found:
            for k in b["restricted"] or [None]:
                lo, hi = b["limits"].get(k, (np.nan, np.nan)) if k else (np.nan, np.nan)
                qp = b["qp"].get(k, [None, None]) if k else [None, None]
                rows.append({"question": q, "scenario": s["scenario"], "box": b["box"],
                             "coverage": b["coverage"], "density": b["density"], "mass": b["mass"],
                             "n_points": b["n_points"], "n_cases": b["n_cases"],
                             "share_failing_all": float(y.mean()), "parameter": k,
                             "label": short(k) if k else "(no restriction)", "low": lo, "high": hi,
                             "range_low": bounds[k][0] if k else np.nan,
                             "range_high": bounds[k][1] if k else np.nan,
                             "qp_low": qp[0], "qp_high": qp[1]})
    cols = ["question", "scenario", "box", "coverage", "density", "mass", "n_points", "n_cases",
            "share_failing_all", "parameter", "label", "low", "high", "range_low", "range_high",
            "qp_low", "qp_high"]
    return {"boxes": pd.DataFrame(rows, columns=cols),
            "trajectories": pd.concat(trajs, ignore_index=True) if trajs else pd.DataFrame(
                columns=["question", "box", "step", "coverage", "density", "mass", "n", "k", "res_dim", "chosen"]),
            "summary": pd.DataFrame(summary), "settings": dict(s)}
