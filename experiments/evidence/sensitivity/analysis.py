"""The numbers of the analysis: outcomes per point, Morris screening, Sobol indices, chance.

Pure functions of the points' numbers (no model, no files), so they can be tested on functions
with known answers (``tests/test_sensitivity.py`` checks the wiring on the Ishigami function).

Outcomes (columns of :func:`outcome_matrix`), each at every year 1-10 since the permit:

- ``baseline``: the shares participating and employed (%), and public costs (EUR per person,
  cumulative over the cohort's first model years);
- every other scenario: its paired effect on the same three, scenario minus baseline on the same
  seed and parameter values (percentage points, EUR).

Each point's value is the mean over its replicate seeds; with two or more, the spread between them
measures chance (the variation a different draw of persons and events gives at the same
parameters), so the analysis can say how much of an outcome's variation over the points is chance
rather than the parameters (:func:`chance_table`).
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from experiments.evidence.sensitivity.runs import YEARS

#: measures analysed (earnings are kept in the point files but not analysed)
ANALYSED = ("participating", "employed", "public_costs")
#: Morris grid levels (SALib's default)
LEVELS = 4


def outcome_names(scenarios: Sequence[str], baseline: str) -> list[tuple[str, str, int]]:
    """(scenario, measure, year) of every analysed outcome, the baseline first."""
    return [(s, m, y) for s in [baseline, *[x for x in scenarios if x != baseline]]
            for m in ANALYSED for y in YEARS]


def outcome_matrix(points: list[dict], scenarios: Sequence[str], baseline: str
                   ) -> tuple[list[tuple], np.ndarray, np.ndarray | None]:
    """Outcomes of each point (rows, in the order given), averaged over its replicate seeds.

    Returns:
        The outcome names, ``Y`` (points x outcomes) and ``W``, the variance between a point's
        replicate seeds of each outcome (ddof 1; None with one seed per point).
    """
    names = outcome_names(scenarios, baseline)
    col = {n: j for j, n in enumerate(names)}
    per = [sorted({r["seed"] for r in p["runs"]}) for p in points]
    Y = np.full((len(points), len(names)), np.nan)
    W = np.full((len(points), len(names)), np.nan) if per and min(map(len, per)) > 1 else None
    for i, p in enumerate(points):
        by = {(r["scenario"], r["seed"]): r for r in p["runs"]}
        seeds = per[i]
        for (s, m, y), j in col.items():
            k = YEARS.index(y)
            vals = []
            for seed in seeds:
                v = by[s, seed][m][k]
                if s != baseline:
                    b = by[baseline, seed][m][k]
                    v = None if v is None or b is None else v - b
                vals.append(np.nan if v is None else float(v))
            Y[i, j] = np.mean(vals)
            if W is not None:
                W[i, j] = np.var(vals, ddof=1)
    return names, Y, W


def _constant(y: np.ndarray) -> bool:
    y = y[np.isfinite(y)]
    return len(y) == 0 or float(np.ptp(y)) <= 1e-9 * max(1.0, float(np.abs(y).max()))


# ---- Morris ---------------------------------------------------------------------------------
def morris_table(problem: dict, X: np.ndarray, Y: np.ndarray, names: list[tuple], resamples: int,
                 seed: int, trajectories: int) -> pd.DataFrame:
    """Morris elementary-effect statistics for every (outcome, parameter).

    ``mu_star`` is the mean absolute effect of moving the parameter across its range by one grid
    step (SALib scales each step to the parameter's range), in the outcome's unit per unit of the
    range; ``mu_star_norm`` divides it by the largest ``mu_star`` for that outcome, so that the
    outcomes can be put together.
    """
    from SALib.analyze import morris as morris_analyze

    rows = []
    for j, (s, m, y) in enumerate(names):
        col = Y[:, j]
        base = {"scenario": s, "measure": m, "year": y, "trajectories": trajectories}
        if _constant(col) or not np.isfinite(col).all():
            for k in problem["names"]:
                rows.append({**base, "parameter": k, "mu": 0.0, "mu_star": 0.0, "sigma": 0.0,
                             "mu_star_conf": 0.0})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = morris_analyze.analyze(problem, X, col, num_resamples=resamples, conf_level=0.95,
                                       num_levels=LEVELS, seed=seed)
        for i, k in enumerate(problem["names"]):
            rows.append({**base, "parameter": k, "mu": float(r["mu"][i]), "mu_star": float(r["mu_star"][i]),
                         "sigma": float(r["sigma"][i]), "mu_star_conf": float(r["mu_star_conf"][i])})
    df = pd.DataFrame(rows)
    top = df.groupby(["scenario", "measure", "year"])["mu_star"].transform("max")
    df["mu_star_norm"] = np.where(top > 0, df["mu_star"] / top.where(top > 0, 1.0), 0.0)
    return df


def screening(morris: pd.DataFrame, top: int, measures: Sequence[str]) -> pd.DataFrame:
    """Rank the parameters by their Morris importance; keep the ``top`` most important.

    Score: for each outcome family (a scenario's baseline level or effect on one measure), the mean
    over years 1-10 of ``mu_star_norm``; a parameter's score is the mean over the families, so every
    scenario and measure counts the same however large its unit. ``best_rank`` is the parameter's
    best rank in any single family (1 = the most important there).
    """
    d = morris[morris["measure"].isin(list(measures))]
    fam = d.groupby(["scenario", "measure", "parameter"], as_index=False)["mu_star_norm"].mean()
    fam["rank"] = fam.groupby(["scenario", "measure"])["mu_star_norm"].rank(ascending=False, method="min")
    out = fam.groupby("parameter").agg(score=("mu_star_norm", "mean"), best_rank=("rank", "min")).reset_index()
    order = {k: i for i, k in enumerate(dict.fromkeys(morris["parameter"]))}
    out["_o"] = out["parameter"].map(order)
    out = out.sort_values(["score", "_o"], ascending=[False, True], kind="stable").drop(columns="_o")
    out["rank"] = np.arange(1, len(out) + 1)
    out["kept"] = out["rank"] <= top
    out["best_rank"] = out["best_rank"].astype(int)
    return out.reset_index(drop=True)


# ---- Sobol ----------------------------------------------------------------------------------
def sobol_table(problem: dict, Y: np.ndarray, names: list[tuple], n: int, resamples: int,
                seed: int) -> pd.DataFrame:
    """First-order (S1) and total-order (ST) Sobol indices with 95% bootstrap intervals, for every
    (outcome, parameter), from the first ``n`` base points of a Saltelli design
    (``calc_second_order=False``: ``n * (D + 2)`` rows).

    An outcome that does not vary over the points (for example an effect that is zero before a
    lever can act) has no indices (NaN).
    """
    from SALib.analyze import sobol as sobol_analyze

    D = problem["num_vars"]
    rows_n = n * (D + 2)
    rows = []
    for j, (s, m, y) in enumerate(names):
        col = Y[:rows_n, j]
        base = {"scenario": s, "measure": m, "year": y, "n_sobol": n}
        if _constant(col) or not np.isfinite(col).all():
            for k in problem["names"]:
                rows.append({**base, "parameter": k, "S1": np.nan, "S1_conf": np.nan, "ST": np.nan,
                             "ST_conf": np.nan})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = sobol_analyze.analyze(problem, col, calc_second_order=False, num_resamples=resamples,
                                      conf_level=0.95, seed=seed)
        for i, k in enumerate(problem["names"]):
            rows.append({**base, "parameter": k, "S1": float(r["S1"][i]), "S1_conf": float(r["S1_conf"][i]),
                         "ST": float(r["ST"][i]), "ST_conf": float(r["ST_conf"][i])})
    df = pd.DataFrame(rows)
    for c in ("S1", "ST"):
        df[f"{c}_low"] = df[c] - df[f"{c}_conf"]
        df[f"{c}_high"] = df[c] + df[f"{c}_conf"]
    return df


def stability(sobol: pd.DataFrame) -> pd.DataFrame:
    """How much the indices moved when the sample doubled (N/2 -> N), per outcome.

    ``max_abs_diff_ST`` / ``max_abs_diff_S1``: the largest change of any parameter's index;
    ``same_top3``: the three largest total-order indices name the same parameters in the same order;
    ``within_ci``: every ST at N lies within the 95% interval at N/2 widened by its own interval.
    """
    ns = sorted(sobol["n_sobol"].unique())
    if len(ns) < 2:
        return pd.DataFrame()
    half, full = ns[-2], ns[-1]
    key = ["scenario", "measure", "year", "parameter"]
    a = sobol[sobol["n_sobol"] == half].drop(columns="n_sobol")
    b = sobol[sobol["n_sobol"] == full].drop(columns="n_sobol")
    j = a.merge(b, on=key, suffixes=("_half", "_full")).set_index(key)
    rows = []
    for (s, m, y), g in j.groupby(level=[0, 1, 2], sort=False):
        if g["ST_full"].isna().all():
            continue
        top_a = list(g["ST_half"].sort_values(ascending=False).index.get_level_values(3)[:3])
        top_b = list(g["ST_full"].sort_values(ascending=False).index.get_level_values(3)[:3])
        within = ((g["ST_full"] - g["ST_half"]).abs() <= g["ST_conf_half"] + g["ST_conf_full"]).all()
        rows.append({"scenario": s, "measure": m, "year": y, "n_half": half, "n_full": full,
                     "max_abs_diff_ST": float((g["ST_full"] - g["ST_half"]).abs().max()),
                     "max_abs_diff_S1": float((g["S1_full"] - g["S1_half"]).abs().max()),
                     "max_ST_conf_full": float(g["ST_conf_full"].max()),
                     "same_top3": top_a == top_b, "within_ci": bool(within)})
    return pd.DataFrame(rows)


def base_rows(n: int, D: int) -> np.ndarray:
    """Row numbers of the A and B matrices of a Saltelli design (``calc_second_order=False``):
    2n points spread over the whole space, the others mix columns of the two."""
    step = D + 2
    return np.sort(np.concatenate([np.arange(n) * step, np.arange(n) * step + step - 1]))


# ---- chance ---------------------------------------------------------------------------------
def chance_table(names: list[tuple], nominal: np.ndarray, replicates: int, Y: np.ndarray | None,
                 W: np.ndarray | None, rows: np.ndarray | None) -> pd.DataFrame:
    """How large chance is next to the parameters' effect, per outcome.

    Args:
        nominal: one row per seed, at the parameters' composed values (single runs).
        Y, W: the points' means and between-seed variances (for example the Sobol design), and
            ``rows``: which of its rows are independent points (its A and B matrices).

    Columns: ``chance_sd_run`` (sd of a single run at the nominal values, over seeds),
    ``chance_sd_point`` (the same for a point's mean of ``replicates`` seeds), ``spread_sd`` (sd of
    the points' values over the sampled parameters), ``chance_share`` (share of that variance that
    is chance: the points' mean between-seed variance / replicates, over the variance of the
    points' values; from the nominal runs when there is one replicate).
    """
    out = []
    for j, (s, m, y) in enumerate(names):
        col = nominal[:, j]
        ok = np.isfinite(col)
        sd_run = float(np.std(col[ok], ddof=1)) if ok.sum() > 1 else np.nan
        row = {"scenario": s, "measure": m, "year": y,
               "nominal_mean": float(np.mean(col[ok])) if ok.any() else np.nan,
               "chance_sd_run": sd_run, "chance_sd_point": sd_run / np.sqrt(replicates),
               "spread_sd": np.nan, "chance_share": np.nan}
        if Y is not None and rows is not None and np.isfinite(Y[rows, j]).sum() > 1:
            v = float(np.nanvar(Y[rows, j], ddof=1))
            row["spread_sd"] = np.sqrt(v)
            within = float(np.nanmean(W[rows, j])) if W is not None else sd_run ** 2
            row["chance_share"] = (within / replicates) / v if v > 0 else np.nan
        out.append(row)
    return pd.DataFrame(out)
