"""The comparison's numbers: medians and 90% intervals over replications, and paired differences.

Pure functions of tidy tables (no files, no model). Every scenario is run on the same seeds
(common random numbers), so the difference between a scenario and the baseline is taken seed by
seed, and its interval is the interval of those paired differences: this removes the chance
variation the two runs share, which is most of it.

Definitions (tested against a hand computation in ``tests/test_summary.py``):

- ``median``, ``p05``, ``p95``: the median and the 5th and 95th percentiles over replications of a
  scenario's value (a 90% interval), by numpy's default linear interpolation between order
  statistics (Hyndman & Fan type 7); replications where the value is undefined (no one in the
  denominator) are left out and ``n_runs`` counts the rest;
- ``diff_median``, ``diff_p05``, ``diff_p95``: the same over the seeds both the scenario and the
  baseline have, of (scenario - baseline) for each seed; ``n_pairs`` counts those seeds; in
  percentage points for shares, EUR for costs;
- ``share_better``: the share (%) of those seeds in which the scenario beats the baseline, by the
  outcome's ``direction`` (``maximise``: a higher value; ``minimise``: a lower value; ``none``: not
  defined, NaN); a tie is not a win, and ``share_tied`` gives the share of exact ties (common random
  numbers make outcomes a policy cannot reach identical in both runs).
- ``share_parameter``: with an ensemble of fitted parameter sets (replication k uses set
  ``k // seeds_per_set`` and every scenario the same set and seed), the share (0-1) of the variance
  of the paired difference that comes from parameter uncertainty rather than chance: a one-way
  random-effects split (:func:`variance_split`) over the sets. NaN without an ensemble, with one
  seed per set, or with fewer than two sets (the split is not identifiable).

The baseline's own rows carry no difference (NaN).

Participation and its parts: ``participating`` (the client's headline) is paid work, education or
other participation, and a person can be in more than one (a working student). The summary adds one
derived outcome, ``education_not_working`` = participating - employed - volunteering, so that three
exclusive parts add up to the whole (:data:`PARTS`): paid work (``employed``), education without
paid work, and other participation only (``volunteering``). This rests on a rule of the model, that
other participation is held only by those neither in work nor in education (``model/pathways/
belonging.py`` ends it at once when a person starts either; it is the last pathway of the month, so
the recorder sees the rule hold); :func:`parts_check` tests the rule on every row.
"""

from __future__ import annotations

import warnings
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: years since the permit at which the summary reports
YEARS: tuple[int, ...] = (1, 3, 5, 10)
#: the interval: 5th to 95th percentile over replications
LOW, HIGH = 5.0, 95.0

SUMMARY_COLUMNS = ["median", "p05", "p95", "n_runs", "diff_median", "diff_p05", "diff_p95",
                   "n_pairs", "share_better", "share_tied", "share_parameter"]


#: the exclusive parts of participation, in the order they are stacked; they add up to ``participating``
PARTS: tuple[str, ...] = ("employed", "education_not_working", "volunteering")
#: the derived part (not recorded by the model; computed from recorded outcomes by :func:`add_parts`)
DERIVED = "education_not_working"


def _derived_outcome():
    from model.outcomes import Outcome

    return Outcome(DERIVED, "In education, not in paid work (part of participation)", "working_age",
                   "maximise")


def outcome_info() -> dict:
    """Every outcome the summary knows, in report order: the model's declared outcomes with the
    derived part of participation placed after ``in_education``."""
    from model.outcomes import BY_NAME

    out = {}
    for name, o in BY_NAME.items():
        out[name] = o
        if name == "in_education":
            out[DERIVED] = _derived_outcome()
    out.setdefault(DERIVED, _derived_outcome())
    return out


def add_parts(tidy: pd.DataFrame) -> pd.DataFrame:
    """``tidy`` with rows of the derived part ``education_not_working`` added (participating -
    employed - volunteering, for every scenario, seed, month and group that has all three).

    The value is rounded to 4 decimals, as the recorded shares are, so the three parts add up to
    ``participating`` to within floating-point error. Rows that already hold the part are kept and
    not derived again.
    """
    if DERIVED in set(tidy["outcome"]):
        return tidy
    need = ("participating", "employed", "volunteering")
    sub = tidy[tidy["outcome"].isin(need)]
    if not len(sub):
        return tidy
    keys = [c for c in tidy.columns if c not in ("outcome", "value", "n")]
    if sub.duplicated(keys + ["outcome"]).any():
        return tidy  # refused by paired_summary, with its own message
    cols = ["value"] + (["n"] if "n" in tidy.columns else [])
    wide = sub.set_index(keys + ["outcome"])[cols].unstack("outcome")
    if any(o not in wide["value"].columns for o in need):
        return tidy
    v = wide["value"]
    part = (v["participating"] - v["employed"] - v["volunteering"]).round(4) + 0.0  # no -0.0
    rows = part.rename("value").reset_index()
    rows["outcome"] = DERIVED
    if "n" in cols:
        rows["n"] = wide["n"]["participating"].to_numpy()
    return pd.concat([tidy, rows[list(tidy.columns)]], ignore_index=True)


def parts_check(tidy: pd.DataFrame, tolerance: float = 5e-4) -> int:
    """How many rows break the rule behind the exclusive parts (0 when it holds): the derived
    education-without-work share must lie between 0 and the share in education (percent, with
    ``tolerance`` for the rounding of recorded shares)."""
    t = add_parts(tidy)
    keys = [c for c in t.columns if c not in ("outcome", "value", "n")]
    sub = t[t["outcome"].isin([DERIVED, "in_education"])]
    if not len(sub):
        return 0
    w = sub.set_index(keys + ["outcome"])["value"].unstack("outcome")
    if DERIVED not in w or "in_education" not in w:
        return 0
    d, e = w[DERIVED], w["in_education"]
    bad = (d < -tolerance) | (d > e + tolerance)
    return int(bad.fillna(False).sum())


def variance_split(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the variance of each row of ``values`` into chance and parameter uncertainty.

    Args:
        values: (rows, replications); NaN is left out.
        groups: (replications,) the parameter set of each replication (NaN: none).

    Returns:
        (chance, parameter) variances per row: ``chance`` is the mean over sets of the within-set
        variance (ddof=1, sets with >= 2 values); ``parameter`` is the variance (ddof=1) of the set
        means minus ``chance`` divided by the mean number of values per set, floored at 0. Both are
        NaN where the split is not identifiable (fewer than two sets, or no set with two values).
    """
    values = np.asarray(values, dtype=float)
    groups = np.asarray(groups, dtype=float)
    rows = values.shape[0]
    labels = [g for g in dict.fromkeys(groups.tolist()) if g == g]
    means = np.full((rows, len(labels)), np.nan)
    within = np.full((rows, len(labels)), np.nan)
    counts = np.zeros((rows, len(labels)))
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        for j, g in enumerate(labels):
            v = values[:, groups == g]
            n = np.isfinite(v).sum(axis=1)
            counts[:, j] = n
            means[:, j] = np.where(n > 0, np.nanmean(v, axis=1) if v.shape[1] else np.nan, np.nan)
            within[:, j] = np.where(n > 1, np.nanvar(v, axis=1, ddof=1) if v.shape[1] > 1 else np.nan,
                                    np.nan)
        chance = np.nanmean(within, axis=1)
        n_sets = np.isfinite(means).sum(axis=1)
        between = np.where(n_sets > 1, np.nanvar(means, axis=1, ddof=1), np.nan)
        per_set = np.where(n_sets > 0, counts.sum(axis=1) / np.maximum(n_sets, 1), np.nan)
        param = np.maximum(between - chance / per_set, 0.0)
    ok = np.isfinite(chance) & np.isfinite(between)
    return np.where(ok, chance, np.nan), np.where(ok, param, np.nan)


def share_parameter(values: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """The parameter share (0-1) of each row's variance (:func:`variance_split`); NaN where not
    identifiable, without groups, or where the rows do not vary at all."""
    values = np.asarray(values, dtype=float)
    if groups is None:
        return np.full(values.shape[0], np.nan)
    chance, param = variance_split(values, groups)
    total = chance + param
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, param / total, np.nan)


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


def _stats(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
                   sets: Mapping[int, int] | None = None) -> pd.DataFrame:
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
    med, lo, hi, n = _stats(values)
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
    dmed, dlo, dhi, npair = _stats(diff)
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
    groups = None
    if sets:
        groups = np.array([float(sets[k]) if k in sets and sets[k] is not None else np.nan
                           for k in wide.columns])
    out["share_parameter"] = share_parameter(diff, groups)
    out.loc[is_base, ["share_better", "share_tied", "share_parameter"]] = np.nan
    out["n_runs"] = out["n_runs"].astype(int)
    out["n_pairs"] = out["n_pairs"].astype(int)

    scen = order_scenarios(out["scenario"], baseline, order)
    out["scenario"] = pd.Categorical(out["scenario"], categories=scen, ordered=True)
    out = out.sort_values(["scenario", *keys], kind="stable").reset_index(drop=True)
    out["scenario"] = out["scenario"].astype(str)
    return out


def summarise_outcomes(tidy: pd.DataFrame, baseline: str, order: Sequence[str] | None = None,
                       years: Sequence[int] = YEARS, groups: Sequence[str] | None = None,
                       sets: Mapping[int, int] | None = None) -> pd.DataFrame:
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
    out = paired_summary(df, ["outcome", "group", "month"], baseline, direction, order, sets)
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
    return _round(out.reset_index(drop=True))


#: the item that is set against the public costs (all other items of model/costs.py are costs)
EARNINGS = "earnings"


def cost_direction(items) -> dict[str, str]:
    """Lower is better for every public cost item and their total; higher for earnings."""
    out = {i: ("maximise" if i == EARNINGS else "minimise") for i in items}
    out["public_total"] = "minimise"
    return out


def summarise_costs(costs: pd.DataFrame, baseline: str, order: Sequence[str] | None = None,
                    years: Sequence[int] = YEARS, sets: Mapping[int, int] | None = None) -> pd.DataFrame:
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
                         baseline, direction, order, sets)
    rank = {k: i for i, k in enumerate(public + ["public_total", EARNINGS])}
    out["_i"] = out["item"].map(lambda k: rank.get(k, 99))
    out["_s"] = out["scenario"].map({s: i for i, s in enumerate(dict.fromkeys(out["scenario"]))})
    out = out.sort_values(["_s", "_i", "years"], kind="stable").drop(columns=["_i", "_s"])
    out.insert(3, "unit", "EUR per person")
    return _round(out.reset_index(drop=True), 2)


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
                    years: Sequence[int] = YEARS, sets: Mapping[int, int] | None = None) -> pd.DataFrame:
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
                         baseline, direction, order, sets)
    split = out["key"].str.split(":", expand=True)
    out.insert(1, "event", split[0])
    out.insert(2, "measure", split[1])
    out = out.drop(columns=["key"])
    return _round(out, 4)


def _round(df: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    cols = [c for c in ("median", "p05", "p95", "diff_median", "diff_p05", "diff_p95",
                        "share_better", "share_tied", "share_parameter") if c in df]
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
