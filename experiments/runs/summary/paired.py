"""Medians, 90% intervals and paired differences from the baseline: of the outcomes, the costs and
the waiting times, with the share of replications in which a scenario does better."""

from __future__ import annotations

import warnings
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from experiments.runs.summary.parts import add_parts, outcome_info
from experiments.runs.summary.variance import SHARES, variance_shares

#: years since the permit at which the summary reports (every year, so that an effect that starts
#: late, such as a permanent permit after five years, shows; the report's tables show 1, 3, 5, 10)
YEARS: tuple[int, ...] = tuple(range(1, 11))
#: the years the report's tables show
TABLE_YEARS: tuple[int, ...] = (1, 3, 5, 10)
#: the interval: 5th to 95th percentile over replications
LOW, HIGH = 5.0, 95.0

SUMMARY_COLUMNS = ["median", "p05", "p95", "n_runs", "diff_median", "diff_p05", "diff_p95",
                   "n_pairs", "share_better", "share_tied", "share_chance", "share_parameter",
                   "share_lever"]


def nan_percentile_rows(matrix: np.ndarray, q: float) -> np.ndarray:
    """The ``q``-th percentile of each row, ignoring NaN (NaN for a row without values).

    The same numbers as ``np.nanpercentile(matrix, q, axis=1)`` (linear interpolation between
    order statistics), computed for all rows at once.
    """
    a = np.sort(np.asarray(matrix, dtype=float), axis=1)  # NaN sort last
    n = np.isfinite(a).sum(axis=1)
    out = np.full(a.shape[0], np.nan)
    ok = n > 0
    if not ok.any():
        return out
    pos = (q / 100.0) * (n[ok] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n[ok] - 1)
    rows = a[ok]
    r = np.arange(len(rows))
    vlo, vhi = rows[r, lo], rows[r, hi]
    frac = pos - lo
    diff = vhi - vlo
    # as numpy interpolates (from the nearer end, so that the result is exact at both ends)
    out[ok] = np.where(frac >= 0.5, vhi - diff * (1 - frac), vlo + diff * frac)
    return out


def row_stats(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Median, 5th and 95th percentile and count of non-missing values along rows."""
    return (nan_percentile_rows(matrix, 50.0), nan_percentile_rows(matrix, LOW),
            nan_percentile_rows(matrix, HIGH), np.isfinite(matrix).sum(axis=1))


def order_scenarios(present: Iterable[str], baseline: str, order: Sequence[str] | None = None) -> list[str]:
    """Scenarios in report order: the baseline first, then ``order`` (or order of appearance)."""
    present = list(dict.fromkeys(present))
    ordered = [s for s in (order or present) if s in present]
    ordered += [s for s in present if s not in ordered]
    if baseline in ordered:
        ordered.remove(baseline)
        ordered.insert(0, baseline)
    return ordered


def paired_summary(df: pd.DataFrame, keys: Sequence[str], baseline: str,
                   direction: Mapping[str, str], order: Sequence[str] | None = None,
                   sets: Mapping[int, int] | None = None,
                   levers: Mapping[int, int] | None = None) -> pd.DataFrame:
    """Summarise a tidy table of replications, scenario by scenario, against the baseline.

    Args:
        df: columns ``scenario``, ``seed``, ``value`` and the ``keys``; one row per (scenario,
            seed, keys).
        keys: the columns that identify a quantity (for example outcome, group, month).
        baseline: the scenario the others are compared with (seed by seed).
        direction: for each value of ``keys[0]``, ``maximise``, ``minimise`` or ``none``.
        order: scenario order of the result (the baseline always first).
        sets: the parameter set of each seed (an ensemble run); None: no ensemble, and
            ``share_parameter`` is NaN.
        levers: the lever-strength draw of each seed; None: strengths fixed, and ``share_lever``
            is NaN.

    Returns:
        One row per (scenario, keys) with the columns in :data:`SUMMARY_COLUMNS`.

    Raises:
        ValueError: if a (scenario, seed, keys) combination occurs twice.
    """
    keys = list(keys)
    if df.duplicated(["scenario", "seed", *keys]).any():
        raise ValueError("the table has more than one value for the same scenario, seed and keys")
    wide = df.pivot_table(index=["scenario", *keys], columns="seed", values="value",
                          aggfunc="first", dropna=False)
    # pivot_table drops all-NaN rows; keep every requested combination
    full_index = pd.MultiIndex.from_frame(df[["scenario", *keys]].drop_duplicates())
    wide = wide.reindex(full_index)
    values = wide.to_numpy(dtype=float)
    med, lo, hi, n = row_stats(values)
    out = wide.index.to_frame(index=False)
    out["median"], out["p05"], out["p95"], out["n_runs"] = med, lo, hi, n

    diff = np.full_like(values, np.nan)
    if baseline in wide.index.get_level_values("scenario"):
        base = wide.xs(baseline, level="scenario")
        key_index = wide.index.droplevel("scenario")
        aligned = base.reindex(key_index).to_numpy(dtype=float)
        diff = values - aligned
    is_base = (out["scenario"] == baseline).to_numpy()
    diff[is_base] = np.nan
    dmed, dlo, dhi, npair = row_stats(diff)
    out["diff_median"], out["diff_p05"], out["diff_p95"], out["n_pairs"] = dmed, dlo, dhi, npair
    dirs = out[keys[0]].map(lambda k: direction.get(k, "none")).to_numpy()
    sign = np.where(dirs == "maximise", 1.0, np.where(dirs == "minimise", -1.0, np.nan))
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(diff)
        wins = ((diff * sign[:, None]) > 0) & finite
        ties = (diff == 0) & finite
        share_better = np.where(npair > 0, 100.0 * wins.sum(axis=1) / np.maximum(npair, 1), np.nan)
        share_tied = np.where(npair > 0, 100.0 * ties.sum(axis=1) / np.maximum(npair, 1), np.nan)
    out["share_better"] = np.where(np.isnan(sign), np.nan, share_better)
    out["share_tied"] = share_tied
    def labels(m):
        if not m:
            return None
        return np.array([float(m[k]) if k in m and m[k] is not None else np.nan for k in wide.columns])

    for k, v in variance_shares(diff, labels(sets), labels(levers)).items():
        out[k] = v
    out.loc[is_base, ["share_better", "share_tied", *SHARES]] = np.nan
    out["n_runs"] = out["n_runs"].astype(int)
    out["n_pairs"] = out["n_pairs"].astype(int)

    scen = order_scenarios(out["scenario"], baseline, order)
    out["scenario"] = pd.Categorical(out["scenario"], categories=scen, ordered=True)
    out = out.sort_values(["scenario", *keys], kind="stable").reset_index(drop=True)
    out["scenario"] = out["scenario"].astype(str)
    return out


def summarise_outcomes(tidy: pd.DataFrame, baseline: str, order: Sequence[str] | None = None,
                       years: Sequence[int] = YEARS, groups: Sequence[str] | None = None,
                       sets: Mapping[int, int] | None = None,
                       levers: Mapping[int, int] | None = None) -> pd.DataFrame:
    """The summary table: per scenario, outcome, group and year since the permit, with the derived
    part of participation (:func:`add_parts`).

    Args:
        tidy: tidy table of all runs (scenario, seed, month, group, outcome, value[, n]).
        baseline: the reference scenario.
        years: years since the permit (month = 12 x years); years beyond the horizon are left out.
        groups: groups to keep (all by default).
    """
    BY_NAME = outcome_info()

    months = {12 * y: y for y in years}
    sel = tidy[tidy["month"].isin(list(months))]
    if groups is not None:
        sel = sel[sel["group"].isin(list(groups))]
    sel = add_parts(sel)
    df = sel[["scenario", "seed", "outcome", "group", "month", "value"]]
    direction = {name: o.direction for name, o in BY_NAME.items()}
    out = paired_summary(df, ["outcome", "group", "month"], baseline, direction, order, sets, levers)
    out.insert(4, "years", out["month"].map(months).astype(int))
    out.insert(2, "unit", out["outcome"].map(lambda o: BY_NAME[o].unit if o in BY_NAME else ""))
    out.insert(3, "direction", out["outcome"].map(lambda o: direction.get(o, "none")))
    # keep the declared order of outcomes within a scenario
    from model.outcomes import standard_groups

    rank = {name: i for i, name in enumerate(BY_NAME)}
    grank = {g: i for i, g in enumerate(standard_groups())}
    out["_o"] = out["outcome"].map(rank)
    out["_g"] = out["group"].map(lambda g: grank.get(g, len(grank)))
    out["_s"] = out["scenario"].map({s: i for i, s in enumerate(dict.fromkeys(out["scenario"]))})
    out = out.sort_values(["_s", "_o", "_g", "group", "month"], kind="stable").drop(
        columns=["_o", "_s", "_g"])
    # quantities no run defines (for example employment of children) are left out
    out = out[out["n_runs"] > 0]
    return round_frame(out.reset_index(drop=True))


#: the item that is set against the public costs (all other items of model/costs.py are costs)
EARNINGS = "earnings"


def cost_direction(items) -> dict[str, str]:
    """Lower is better for every public cost item and their total; higher for earnings."""
    out = {i: ("maximise" if i == EARNINGS else "minimise") for i in items}
    out["public_total"] = "minimise"
    return out


def summarise_costs(costs: pd.DataFrame, baseline: str, order: Sequence[str] | None = None,
                    years: Sequence[int] = YEARS, sets: Mapping[int, int] | None = None,
                    levers: Mapping[int, int] | None = None) -> pd.DataFrame:
    """Cumulative public costs and earnings per person over the cohort's first years.

    Args:
        costs: tidy costs of all runs (scenario, seed, year, item, eur_per_person), ``year`` counted
            from the cohort's start (model year 1 = the permit year).

    Returns:
        One row per (scenario, item, years) with EUR per simulated person summed over model years
        1..``years``; ``public_total`` is the sum of every item but earnings (reception, benefits,
        courses, support, ...: :data:`model.costs.ITEMS`).
    """
    from model.costs import ITEMS

    present = list(dict.fromkeys(costs["item"]))
    items = [i for i in ITEMS if i in present] + [i for i in present if i not in ITEMS]
    public = [i for i in items if i != EARNINGS]
    direction = cost_direction(items)
    rows = []
    max_year = int(costs["year"].max()) if len(costs) else 0
    for y in years:
        if y > max_year:
            continue
        c = costs[costs["year"] <= y].groupby(["scenario", "seed", "item"], as_index=False)[
            "eur_per_person"].sum()
        tot = c[c["item"].isin(public)].groupby(["scenario", "seed"], as_index=False)[
            "eur_per_person"].sum()
        tot["item"] = "public_total"
        c = pd.concat([c, tot], ignore_index=True)
        c["years"] = y
        rows.append(c)
    df = pd.concat(rows, ignore_index=True).rename(columns={"eur_per_person": "value"})
    out = paired_summary(df[["scenario", "seed", "item", "years", "value"]], ["item", "years"],
                         baseline, direction, order, sets, levers)
    rank = {k: i for i, k in enumerate(public + ["public_total", EARNINGS])}
    out["_i"] = out["item"].map(lambda k: rank.get(k, 99))
    out["_s"] = out["scenario"].map({s: i for i, s in enumerate(dict.fromkeys(out["scenario"]))})
    out = out.sort_values(["_s", "_i", "years"], kind="stable").drop(columns=["_i", "_s"])
    out.insert(3, "unit", "EUR per person")
    return round_frame(out.reset_index(drop=True), 2)


def months_to_half(times: pd.DataFrame) -> pd.DataFrame:
    """Per run and event, the first month since the permit at which half had reached it (NaN if
    never within the horizon)."""
    def first(g: pd.DataFrame) -> float:
        hit = g.loc[g["share_reached"] >= 50.0, "month"]
        return float(hit.min()) if len(hit) else np.nan

    out = (times.groupby(["scenario", "seed", "event"], sort=False)[["month", "share_reached"]]
           .apply(first).rename("value").reset_index())
    return out


def summarise_times(times: pd.DataFrame, baseline: str, order: Sequence[str] | None = None,
                    years: Sequence[int] = YEARS, sets: Mapping[int, int] | None = None,
                    levers: Mapping[int, int] | None = None) -> pd.DataFrame:
    """Time to a home and to the first job: share reached by each year, and months until half had.

    Args:
        times: tidy times of all runs (scenario, seed, event, month, share_reached).
    """
    months = {12 * y: y for y in years}
    reached = times[times["month"].isin(list(months))].rename(columns={"share_reached": "value"})
    reached = reached.assign(measure="share_reached_pct",
                             years=reached["month"].map(months).astype(int))
    half = months_to_half(times).assign(measure="months_until_half", years=0)
    df = pd.concat([reached[["scenario", "seed", "event", "measure", "years", "value"]],
                    half[["scenario", "seed", "event", "measure", "years", "value"]]],
                   ignore_index=True)
    # direction per (event, measure): more reached is better, fewer months is better
    df["key"] = df["event"] + ":" + df["measure"]
    direction = {f"{e}:share_reached_pct": "maximise" for e in df["event"].unique()}
    direction.update({f"{e}:months_until_half": "minimise" for e in df["event"].unique()})
    out = paired_summary(df[["scenario", "seed", "key", "years", "value"]], ["key", "years"],
                         baseline, direction, order, sets, levers)
    split = out["key"].str.split(":", expand=True)
    out.insert(1, "event", split[0])
    out.insert(2, "measure", split[1])
    out = out.drop(columns=["key"])
    return round_frame(out, 4)


def round_frame(df: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    cols = [c for c in ("median", "p05", "p95", "diff_median", "diff_p05", "diff_p95",
                        "share_better", "share_tied", *SHARES) if c in df]
    df[cols] = df[cols].astype(float).round(digits)
    return df


def band(df: pd.DataFrame, by: Sequence[str], x: str = "month", value: str = "value") -> pd.DataFrame:
    """Median and 90% interval over seeds of ``value`` for each (by, x): the bands of the charts."""
    wide = df.pivot_table(index=[*by, x], columns="seed", values=value, aggfunc="first",
                          dropna=False)
    m = wide.to_numpy(dtype=float)
    out = wide.index.to_frame(index=False)
    out["median"] = nan_percentile_rows(m, 50.0)
    out["p05"] = nan_percentile_rows(m, LOW)
    out["p95"] = nan_percentile_rows(m, HIGH)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out["mean"] = np.nanmean(m, axis=1)
    return out.sort_values([*by, x], kind="stable").reset_index(drop=True)
