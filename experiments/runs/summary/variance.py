"""Where an effect's spread comes from: chance, the fitted parameters and lever strength, split by a
nested analysis of variance over seeds in parameter sets in lever draws."""

from __future__ import annotations

import warnings

import numpy as np


#: where a difference's spread comes from, as shares of its variance (columns of the summary)
SHARES = ("share_chance", "share_parameter", "share_lever")


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
