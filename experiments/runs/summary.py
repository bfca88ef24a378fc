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
- ``share_chance``, ``share_parameter``, ``share_lever``: where the variance of the paired
  difference comes from (0-1 each, summing to 1 over the sources the design identifies; NaN for
  the others): chance (seeds), the calibrated parameters (an ensemble of fitted parameter sets:
  replication k uses set ``k // seeds_per_set``) and lever strength (drawn per replication: draw
  ``k // (seeds_per_set * sets_per_draw)``), each the same in every scenario of a replication.
  The design is nested (seeds within parameter sets within lever draws) and the split is the
  method-of-moments estimate of a nested random-effects model (:func:`variance_components`); with
  only parameter sets or only lever draws it is the one-way split (:func:`variance_split`). A
  source that does not vary in the runs has no share (NaN); all three are NaN when nothing varies
  but the seed (the spread is then all chance) or when the split is not identifiable (one seed per
  group, or fewer than two groups).

The baseline's own rows carry no difference (NaN).

Participation and its parts: ``participating`` (the client's headline) is paid work, education or
other participation, and a person can be in more than one (a working student). Three exclusive
parts add up to the whole (:data:`PARTS`): paid work (``employed``), education without paid work
(``education_only``) and other participation only (``other_only``). Runs whose recorder counts the
two parts (``model/outcomes.py``) are used as they are; for runs made before, :func:`add_parts`
derives them: ``education_only`` = participating - employed - volunteering and ``other_only`` =
volunteering. That rests on a rule of the model, that other participation is held only by those
neither in work nor in education (``model/pathways/belonging.py`` ends it at once when a person
starts either, and it is the last pathway of the month, so the recorder sees the rule hold);
:func:`parts_check` tests the parts on every row.
"""

from __future__ import annotations

import warnings
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

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
SHARES = ("share_chance", "share_parameter", "share_lever")


#: the exclusive parts of participation, in the order they are stacked; they add up to ``participating``
PARTS: tuple[str, ...] = ("employed", "education_only", "other_only")
#: the parts that runs made before the recorder counted them lack (derived by :func:`add_parts`)
DERIVED: tuple[str, ...] = ("education_only", "other_only")
_DERIVED_LABELS = {"education_only": "In education, not working",
                   "other_only": "Other participation only (no work, no education)"}


def outcome_info() -> dict:
    """Every outcome the summary knows, in report order: the model's declared outcomes, with the
    parts of participation placed after ``volunteering`` where the model does not declare them."""
    from model.outcomes import BY_NAME, Outcome

    out = {}
    for name, o in BY_NAME.items():
        out[name] = o
        if name == "volunteering":
            for d in DERIVED:
                if d not in BY_NAME:
                    out[d] = Outcome(d, _DERIVED_LABELS[d], "working_age", "maximise")
    for d in DERIVED:
        out.setdefault(d, Outcome(d, _DERIVED_LABELS[d], "working_age", "maximise"))
    return out


def add_parts(tidy: pd.DataFrame) -> pd.DataFrame:
    """``tidy`` with the exclusive parts of participation (``education_only``, ``other_only``)
    for every scenario, seed, month and group that lacks them and has participating, employed and
    volunteering: education_only = participating - employed - volunteering, other_only =
    volunteering (see the module's docstring). Rows the runs recorded are kept as they are.

    The derived value is rounded to 4 decimals, as the recorded shares are, so the three parts add
    up to ``participating`` to within floating-point error.
    """
    need = ("participating", "employed", "volunteering")
    sub = tidy[tidy["outcome"].isin(need + DERIVED)]
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
    derived = {"education_only": (v["participating"] - v["employed"] - v["volunteering"]).round(4) + 0.0,
               "other_only": v["volunteering"]}
    rows = []
    for name, values in derived.items():
        if name in v.columns:  # recorded: derive only where a run lacks the row
            present = sub.loc[sub["outcome"] == name, keys].drop_duplicates()
            missing = ~v.index.isin(pd.MultiIndex.from_frame(present) if len(keys) > 1
                                    else present[keys[0]])
        else:
            missing = np.ones(len(v), bool)
        if not missing.any():
            continue
        part = values[missing].rename("value").reset_index()
        part["outcome"] = name
        if "n" in cols:
            part["n"] = wide["n"]["participating"][missing].to_numpy()
        rows.append(part)
    if not rows:
        return tidy
    return pd.concat([tidy, *(r[list(tidy.columns)] for r in rows)], ignore_index=True)


def parts_check(tidy: pd.DataFrame, tolerance: float = 5e-4) -> int:
    """How many rows break the parts of participation (0 when they hold): paid work, education
    without work and other participation only must add up to participating, and each of the two
    derived parts must lie between 0 and the share it is part of (in education; in other
    participation), in percent with ``tolerance`` for the rounding of recorded shares."""
    t = add_parts(tidy)
    keys = [c for c in t.columns if c not in ("outcome", "value", "n")]
    names = ("participating", "in_education", "volunteering") + PARTS
    sub = t[t["outcome"].isin(names)]
    if not len(sub):
        return 0
    w = sub.set_index(keys + ["outcome"])["value"].unstack("outcome")
    if any(n not in w for n in names):
        return 0
    tol = 3 * tolerance
    bad = ((w["employed"] + w["education_only"] + w["other_only"] - w["participating"]).abs() > tol)
    bad |= (w["education_only"] < -tolerance) | (w["education_only"] > w["in_education"] + tolerance)
    bad |= (w["other_only"] < -tolerance) | (w["other_only"] > w["volunteering"] + tolerance)
    return int(bad[w["participating"].notna()].sum())


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


def _group_stats(values: np.ndarray, labels: np.ndarray, keys: list) -> tuple[np.ndarray, ...]:
    """Per row and group: mean, variance (ddof 1; NaN under two values) and count of finite
    values."""
    rows = values.shape[0]
    means = np.full((rows, len(keys)), np.nan)
    within = np.full((rows, len(keys)), np.nan)
    counts = np.zeros((rows, len(keys)))
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        for j, g in enumerate(keys):
            v = values[:, labels == g]
            n = np.isfinite(v).sum(axis=1)
            counts[:, j] = n
            if v.shape[1]:
                means[:, j] = np.where(n > 0, np.nanmean(v, axis=1), np.nan)
            if v.shape[1] > 1:
                within[:, j] = np.where(n > 1, np.nanvar(v, axis=1, ddof=1), np.nan)
    return means, within, counts


def variance_components(values: np.ndarray, sets: np.ndarray | None, levers: np.ndarray | None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split the variance of each row of ``values`` into chance, calibrated parameters and lever
    strength, for a nested design: seeds within parameter sets within lever draws.

    Args:
        values: (rows, replications); NaN is left out.
        sets: (replications,) the parameter set of each replication (NaN: none), or None.
        levers: (replications,) the lever-strength draw of each replication (NaN: none), or None.

    Returns:
        (chance, parameter, lever) variance components per row, each floored at 0; NaN where the
        source does not vary in the design or cannot be told apart. With cells = (draw, set):

        - chance = the mean over cells of the within-cell variance (ddof 1, cells with >= 2 values);
        - parameter = V_PL - chance / n, where V_PL is the mean over draws (with >= 2 cells) of the
          variance (ddof 1) of the cell means within the draw, and n the mean number of values per
          cell;
        - lever = V_L - V_PL / b, where V_L is the variance (ddof 1) over draws of the draw means
          (each the mean of its cell means) and b the mean number of cells per draw.

        In a balanced design these are the classical nested-ANOVA (method of moments) estimates
        ``(MS_set - MS_seed) / n`` and ``(MS_draw - MS_set) / (n b)``. With only sets (or only
        draws) varying it is the one-way split of :func:`variance_split`. When no draw holds two
        sets, parameters and levers cannot be told apart and both are NaN (see
        :func:`variance_shares`, which still gives chance's share).
    """
    values = np.asarray(values, dtype=float)
    rows, reps = values.shape
    nan = np.full(rows, np.nan)

    def labels(x):
        return np.full(reps, np.nan) if x is None else np.asarray(x, dtype=float)

    s_lab, l_lab = labels(sets), labels(levers)
    has_s, has_l = np.isfinite(s_lab).any(), np.isfinite(l_lab).any()
    if not has_s and not has_l:
        return nan, nan.copy(), nan.copy()
    if not has_l:
        c, p = variance_split(values, s_lab)
        return c, p, nan
    if not has_s:
        c, lv = variance_split(values, l_lab)
        return c, nan, lv
    ok = np.isfinite(s_lab) & np.isfinite(l_lab)
    values = np.where(ok[None, :], values, np.nan)
    cells = [(a, b) for a, b in dict.fromkeys(zip(l_lab[ok].tolist(), s_lab[ok].tolist()))]
    cell_of = np.full(reps, -1.0)
    for i, (a, b) in enumerate(cells):
        cell_of[(l_lab == a) & (s_lab == b)] = i
    means, within, counts = _group_stats(values, cell_of, list(range(len(cells))))
    draws = list(dict.fromkeys(a for a, _ in cells))
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        chance = np.nanmean(within, axis=1)
        n_cells = np.isfinite(means).sum(axis=1)
        per_cell = np.where(n_cells > 0, counts.sum(axis=1) / np.maximum(n_cells, 1), np.nan)
        v_pl = np.full((rows, len(draws)), np.nan)
        d_means = np.full((rows, len(draws)), np.nan)
        d_cells = np.zeros((rows, len(draws)))
        for k, a in enumerate(draws):
            cols = [i for i, (x, _) in enumerate(cells) if x == a]
            m = means[:, cols]
            nm = np.isfinite(m).sum(axis=1)
            d_cells[:, k] = nm
            d_means[:, k] = np.where(nm > 0, np.nanmean(m, axis=1) if m.shape[1] else np.nan, np.nan)
            if m.shape[1] > 1:
                v_pl[:, k] = np.where(nm > 1, np.nanvar(m, axis=1, ddof=1), np.nan)
        V_PL = np.nanmean(v_pl, axis=1)
        n_draws = np.isfinite(d_means).sum(axis=1)
        V_L = np.where(n_draws > 1, np.nanvar(d_means, axis=1, ddof=1), np.nan)
        per_draw = np.where(n_draws > 0, d_cells.sum(axis=1) / np.maximum(n_draws, 1), np.nan)
        param = np.maximum(V_PL - chance / per_cell, 0.0)
        lever = np.maximum(V_L - V_PL / per_draw, 0.0)
    chance = np.where(np.isfinite(chance), chance, np.nan)
    param = np.where(np.isfinite(chance) & np.isfinite(V_PL), param, np.nan)
    lever = np.where(np.isfinite(param) & np.isfinite(V_L), lever, np.nan)
    return chance, param, lever


def variance_shares(values: np.ndarray, sets: np.ndarray | None, levers: np.ndarray | None
                    ) -> dict[str, np.ndarray]:
    """``share_chance``, ``share_parameter``, ``share_lever`` (0-1) of each row's variance, from
    :func:`variance_components`; they sum to 1 over the sources that vary in the design and are
    told apart (NaN for the others, and all NaN where the row does not vary at all).

    When parameter sets and lever draws both vary but no draw holds two sets (the two cannot be told
    apart), ``share_chance`` is still given, against their joint variance (the one-way split over
    the draws), and the other two are NaN.
    """
    values = np.asarray(values, dtype=float)
    chance, param, lever = variance_components(values, sets, levers)
    comps = np.vstack([chance, param, lever])
    known = np.isfinite(comps)
    total = np.where(known.any(axis=0), np.nansum(comps, axis=0), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {k: np.where(total > 0, c / total, np.nan) for k, c in zip(SHARES, comps)}
    if sets is not None and levers is not None:
        s_lab, l_lab = np.asarray(sets, float), np.asarray(levers, float)
        if np.isfinite(s_lab).any() and np.isfinite(l_lab).any():
            confounded = np.isfinite(chance) & np.isnan(param) & np.isnan(lever)
            if confounded.any():
                c, o = variance_split(values, np.where(np.isfinite(s_lab), l_lab, np.nan))
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(c + o > 0, c / (c + o), np.nan)
                out["share_chance"] = np.where(confounded, share, out["share_chance"])
    return out


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
    return _round(out.reset_index(drop=True))


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
    return _round(out, 4)


def _round(df: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
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
        med, lo, hi, n = _stats(m)
        part = idx.assign(series=series, median=med, p05=lo, p95=hi, n_pairs=n.astype(int))
        rows.append(part)
    out = pd.concat(rows, ignore_index=True)
    out["years"] = out["month"].map(months).astype(int)
    rank = {o: i for i, o in enumerate(outcomes)}
    out = out.assign(_o=out["outcome"].map(rank)).sort_values(["_o", "series", "years"], kind="stable")
    return _round(out[cols].reset_index(drop=True))


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
