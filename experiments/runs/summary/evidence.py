"""The whole against its parts (the full position against the sum of its single demands) and the
model against the evidence ranges of each demand."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from experiments.runs.summary.paired import YEARS, round_frame, row_stats

# ---- the whole against the sum of its parts ------------------------------------------------------
def sum_of_singles(tidy: pd.DataFrame, baseline: str, full: str, singles: Sequence[str],
                   outcomes: Sequence[str] = ("participating", "employed"),
                   years: Sequence[int] = YEARS) -> pd.DataFrame:
    """The full position's effect against the sum of the single demands' effects, seed by seed.

    For every seed that the baseline, ``full`` and every scenario in ``singles`` have, the effect of
    a scenario is its value minus the baseline's on that seed; ``sum`` is the sum over ``singles`` of
    those effects, and ``full_minus_sum`` the full position's effect minus that sum (negative: the
    whole is less than the sum of its parts).

    Returns:
        One row per (outcome, years, series) with series ``full``, ``sum`` or ``full_minus_sum``,
        and ``median``, ``p05``, ``p95`` over the seeds and ``n_pairs`` (the seeds used); empty when
        ``full`` or a single is missing.
    """
    cols = ["outcome", "years", "series", "median", "p05", "p95", "n_pairs"]
    singles = [s for s in singles if s not in (baseline, full)]
    need = [baseline, full, *singles]
    months = {12 * y: y for y in years}
    t = tidy[(tidy["group"] == "all") & tidy["outcome"].isin(list(outcomes))
             & tidy["month"].isin(list(months)) & tidy["scenario"].isin(need)]
    if not singles or not len(t) or not set(need) <= set(t["scenario"]):
        return pd.DataFrame(columns=cols)
    wide = t.pivot_table(index=["outcome", "month"], columns=["scenario", "seed"], values="value",
                         aggfunc="first", dropna=False)
    seeds = sorted(set.intersection(*(set(t.loc[t["scenario"] == s, "seed"]) for s in need)))
    if not seeds:
        return pd.DataFrame(columns=cols)

    def block(s):
        return wide[s].reindex(columns=seeds).to_numpy(dtype=float)

    base = block(baseline)
    eff_full = block(full) - base
    eff_sum = sum(block(s) - base for s in singles)
    rows = []
    idx = wide.index.to_frame(index=False)
    for series, m in (("full", eff_full), ("sum", eff_sum), ("full_minus_sum", eff_full - eff_sum)):
        med, lo, hi, n = row_stats(m)
        part = idx.assign(series=series, median=med, p05=lo, p95=hi, n_pairs=n.astype(int))
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["years"] = out["month"].map(months).astype(int)
    rank = {o: i for i, o in enumerate(outcomes)}
    out = out.assign(_o=out["outcome"].map(rank)).sort_values(["_o", "series", "years"], kind="stable")
    return round_frame(out[cols].reset_index(drop=True))


# ---- the model against the evidence --------------------------------------------------------------
EVIDENCE_COLUMNS = ("demand", "horizon_years", "low_pp", "central_pp", "high_pp", "basis", "evidence_ids")


def evidence_check(summary: pd.DataFrame, evidence: pd.DataFrame, demands: Mapping[str, str],
                   outcome: str = "employed") -> pd.DataFrame:
    """Each demand's modelled effect beside the range the evidence supports.

    Args:
        summary: the summary table (:func:`summarise_outcomes`).
        evidence: rows of ``model/data/demand_evidence.csv`` (:data:`EVIDENCE_COLUMNS`).
        demands: demand (``D1`` ... ``D11``, ``full``) -> scenario name.
        outcome: the outcome the evidence is about (employment, in percentage points).

    Returns:
        One row per evidence row, in its order, with ``scenario`` (NaN when no scenario expresses
        the demand), the model's ``diff_median``, ``diff_p05``, ``diff_p95`` at ``horizon_years``
        (NaN when that scenario or year is not in the summary) and ``verdict``: ``within`` (the
        model's median lies in the evidence range), ``above`` / ``below`` (the model's whole 90%
        interval lies above / below it), ``overlaps`` (the median lies outside but the interval
        reaches the range) or ``not run``.
    """
    s = summary[(summary["outcome"] == outcome) & (summary["group"] == "all")]
    s = s.set_index(["scenario", "years"])
    rows = []
    for r in evidence.itertuples(index=False):
        scen = demands.get(str(r.demand))
        y = int(r.horizon_years)
        key = (scen, y)
        if scen is not None and key in s.index:
            m = s.loc[key]
            med, lo, hi = float(m["diff_median"]), float(m["diff_p05"]), float(m["diff_p95"])
        else:
            med = lo = hi = np.nan
        if not np.isfinite(med):
            verdict = "not run"
        elif r.low_pp <= med <= r.high_pp:
            verdict = "within"
        elif lo > r.high_pp:
            verdict = "above"
        elif hi < r.low_pp:
            verdict = "below"
        else:
            verdict = "overlaps"
        rows.append({"demand": r.demand, "scenario": scen if scen is not None else np.nan,
                     "horizon_years": y, "low_pp": float(r.low_pp), "central_pp": float(r.central_pp),
                     "high_pp": float(r.high_pp), "diff_median": med, "diff_p05": lo, "diff_p95": hi,
                     "verdict": verdict, "basis": getattr(r, "basis", ""),
                     "evidence_ids": getattr(r, "evidence_ids", "")})
    return pd.DataFrame(rows)
