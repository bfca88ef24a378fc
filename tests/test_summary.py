"""The comparison's statistics against a hand computation on tiny tables.

Percentiles are numpy's default (linear interpolation between order statistics): with 5 values
sorted v0..v4, the p-th percentile sits at position p/100 * 4, so the 5th percentile is
v0 + 0.2 (v1 - v0) and the 95th v3 + 0.8 (v4 - v3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import summary as S


def tidy(rows: dict[tuple[str, str, int], list[float]], group: str = "all") -> pd.DataFrame:
    """{(scenario, outcome, month): [value for seed 0, 1, ...]} -> tidy table."""
    out = []
    for (scen, outcome, month), values in rows.items():
        for seed, v in enumerate(values):
            out.append({"scenario": scen, "seed": seed, "month": month, "group": group,
                        "outcome": outcome, "value": v, "n": 100})
    return pd.DataFrame(out)


BASE_EMP = [10.0, 20.0, 30.0, 40.0, 50.0]
A_EMP = [12.0, 19.0, 35.0, 44.0, 50.0]  # differences 2, -1, 5, 4, 0
BASE_BEN = [50.0, 60.0, 70.0, 80.0, 90.0]
A_BEN = [45.0, 60.0, 75.0, 70.0, 80.0]  # differences -5, 0, 5, -10, -10


@pytest.fixture
def small() -> pd.DataFrame:
    return tidy({("baseline", "employed", 12): BASE_EMP, ("a", "employed", 12): A_EMP,
                 ("baseline", "benefit", 12): BASE_BEN, ("a", "benefit", 12): A_BEN,
                 ("baseline", "left", 12): [1.0, 2.0, 3.0, 4.0, 5.0],
                 ("a", "left", 12): [2.0, 2.0, 2.0, 2.0, 2.0]})


def row(df, **eq) -> pd.Series:
    sel = df
    for k, v in eq.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (eq, sel)
    return sel.iloc[0]


def test_levels_and_intervals_match_hand_computation(small):
    s = S.summarise_outcomes(small, "baseline")
    b = row(s, scenario="baseline", outcome="employed", years=1)
    assert b["median"] == 30.0
    assert b["p05"] == pytest.approx(10 + 0.2 * 10)  # 12
    assert b["p95"] == pytest.approx(40 + 0.8 * 10)  # 48
    assert b["n_runs"] == 5
    a = row(s, scenario="a", outcome="employed", years=1)
    # A_EMP sorted: 12, 19, 35, 44, 50
    assert a["median"] == 35.0
    assert a["p05"] == pytest.approx(12 + 0.2 * 7)
    assert a["p95"] == pytest.approx(44 + 0.8 * 6)


def test_paired_difference_is_taken_seed_by_seed(small):
    s = S.summarise_outcomes(small, "baseline")
    a = row(s, scenario="a", outcome="employed", years=1)
    # differences sorted: -1, 0, 2, 4, 5
    assert a["diff_median"] == 2.0
    assert a["diff_p05"] == pytest.approx(-1 + 0.2 * 1)
    assert a["diff_p95"] == pytest.approx(4 + 0.8 * 1)
    assert a["n_pairs"] == 5
    # not the difference of the two medians (35 - 30 = 5): pairing matters
    assert a["diff_median"] != a["median"] - row(s, scenario="baseline", outcome="employed")["median"]


def test_share_better_follows_the_outcome_direction(small):
    s = S.summarise_outcomes(small, "baseline")
    emp = row(s, scenario="a", outcome="employed")  # maximise: 2 and 5 and 4 are wins
    assert emp["share_better"] == pytest.approx(60.0)
    assert emp["share_tied"] == pytest.approx(20.0)
    ben = row(s, scenario="a", outcome="benefit")  # minimise: -5, -10, -10 are wins
    assert ben["share_better"] == pytest.approx(60.0)
    assert ben["share_tied"] == pytest.approx(20.0)
    # benefit differences sorted: -10, -10, -5, 0, 5
    assert ben["diff_median"] == -5.0
    assert ben["diff_p05"] == pytest.approx(-10.0)
    assert ben["diff_p95"] == pytest.approx(0 + 0.8 * 5)
    left = row(s, scenario="a", outcome="left")  # direction none: no winner
    assert np.isnan(left["share_better"])
    assert left["diff_median"] == pytest.approx(-1.0)  # 1, 0, -1, -2, -3


def test_baseline_rows_carry_no_difference(small):
    s = S.summarise_outcomes(small, "baseline")
    b = s[s["scenario"] == "baseline"]
    assert b[["diff_median", "diff_p05", "diff_p95", "share_better"]].isna().all().all()
    assert (b["n_pairs"] == 0).all()
    assert list(dict.fromkeys(s["scenario"])) == ["baseline", "a"]


def test_only_common_seeds_are_paired_and_missing_values_are_skipped():
    t = tidy({("baseline", "employed", 36): [10.0, 20.0, 30.0, 40.0],
              ("b", "employed", 36): [11.0, 22.0, 33.0]})  # seed 3 of b is missing
    t.loc[(t["scenario"] == "baseline") & (t["seed"] == 1), "value"] = np.nan  # undefined value
    s = S.summarise_outcomes(t, "baseline")
    b = row(s, scenario="b", outcome="employed", years=3)
    # pairs on seeds 0 and 2 only: differences 1 and 3
    assert b["n_pairs"] == 2
    assert b["diff_median"] == pytest.approx(2.0)
    assert b["diff_p05"] == pytest.approx(1 + 0.05 * 2)
    assert b["diff_p95"] == pytest.approx(1 + 0.95 * 2)
    assert row(s, scenario="baseline", outcome="employed")["n_runs"] == 3


def test_years_map_to_months_and_missing_years_are_left_out():
    t = tidy({("baseline", "employed", m): [1.0, 2.0] for m in (12, 36, 60)})
    s = S.summarise_outcomes(t, "baseline")
    assert sorted(s["years"].unique()) == [1, 3, 5]  # month 120 is not in the table
    assert set(zip(s["years"], s["month"])) == {(1, 12), (3, 36), (5, 60)}


def test_duplicate_rows_are_refused():
    t = tidy({("baseline", "employed", 12): [1.0, 2.0]})
    with pytest.raises(ValueError, match="more than one value"):
        S.summarise_outcomes(pd.concat([t, t]), "baseline")


def test_costs_are_summed_over_years_and_public_total_excludes_earnings():
    rows = []
    for scen, extra in (("baseline", 0.0), ("a", 100.0)):
        for seed in range(3):
            for year in (1, 2, 3):
                rows += [{"scenario": scen, "seed": seed, "year": year, "item": "reception",
                          "eur_total": 0, "eur_per_person": 1000.0 + seed},
                         {"scenario": scen, "seed": seed, "year": year, "item": "benefits",
                          "eur_total": 0, "eur_per_person": 500.0 - extra},
                         {"scenario": scen, "seed": seed, "year": year, "item": "earnings",
                          "eur_total": 0, "eur_per_person": 200.0 + 2 * extra}]
    c = S.summarise_costs(pd.DataFrame(rows), "baseline", years=(1, 3))
    tot = row(c, scenario="baseline", item="public_total", years=3)
    assert tot["median"] == pytest.approx(3 * (1001.0 + 500.0))  # seed 1 is the median
    d = row(c, scenario="a", item="public_total", years=3)
    assert d["diff_median"] == pytest.approx(-300.0)
    assert d["share_better"] == 100.0  # lower costs are better
    e = row(c, scenario="a", item="earnings", years=1)
    assert e["diff_median"] == pytest.approx(200.0)
    assert e["share_better"] == 100.0  # higher earnings are better


def test_months_until_half_reached():
    times = pd.DataFrame({"scenario": "baseline", "seed": 0, "event": "first_job",
                          "month": np.arange(6), "share_reached": [0, 10, 49.9, 50, 70, 80], "n": 10})
    never = times.assign(seed=1, share_reached=[0, 1, 2, 3, 4, 5])
    m = S.months_to_half(pd.concat([times, never]))
    assert m.set_index("seed").loc[0, "value"] == 3.0
    assert np.isnan(m.set_index("seed").loc[1, "value"])


def test_fast_percentiles_equal_numpy():
    rng = np.random.default_rng(7)
    m = rng.normal(size=(200, 17)) * 1000
    m[rng.random(m.shape) < 0.25] = np.nan
    m[3] = np.nan
    for q in (5.0, 50.0, 95.0):
        with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
            ref = np.nanpercentile(m, q, axis=1)
        assert np.array_equal(S.nan_percentile_rows(m, q), ref, equal_nan=True)


# ---- parameter uncertainty against chance (an ensemble of fitted parameter sets) -----------------
def ensemble_table(a_values: list[float]) -> pd.DataFrame:
    return tidy({("baseline", "employed", 12): [10.0, 20.0, 30.0, 40.0],
                 ("a", "employed", 12): a_values})


def test_variance_split_matches_hand_computation():
    # seeds 0,1 use set 0 and seeds 2,3 set 1; differences 1, 3 | 6, 10
    df = ensemble_table([11.0, 23.0, 36.0, 50.0])
    s = S.summarise_outcomes(df, "baseline", sets={0: 0, 1: 0, 2: 1, 3: 1})
    a = row(s, scenario="a", outcome="employed", years=1)
    # within-set variances (ddof 1): set 0 (1, 3) -> 2, set 1 (6, 10) -> 8; chance = mean = 5
    # set means 2 and 8 -> variance 18; parameter = 18 - 5 / 2 = 15.5
    assert a["share_parameter"] == pytest.approx(15.5 / (15.5 + 5.0), abs=1e-4)
    chance, param = S.variance_split(np.array([[1.0, 3.0, 6.0, 10.0]]), np.array([0, 0, 1, 1]))
    assert chance[0] == pytest.approx(5.0) and param[0] == pytest.approx(15.5)
    assert np.isnan(row(s, scenario="baseline", outcome="employed", years=1)["share_parameter"])


def test_variance_split_is_floored_at_zero_and_nan_when_not_identifiable():
    # differences 0, 4 | 1, 3: set means equal (2, 2), so parameter = max(0 - 5 / 2, 0) = 0
    df = ensemble_table([10.0, 24.0, 31.0, 43.0])
    s = S.summarise_outcomes(df, "baseline", sets={0: 0, 1: 0, 2: 1, 3: 1})
    assert row(s, scenario="a", outcome="employed", years=1)["share_parameter"] == 0.0
    # one seed per set, or no ensemble: not identifiable
    one = S.summarise_outcomes(df, "baseline", sets={0: 0, 1: 1, 2: 2, 3: 3})
    assert np.isnan(row(one, scenario="a", outcome="employed", years=1)["share_parameter"])
    none = S.summarise_outcomes(df, "baseline")
    assert np.isnan(row(none, scenario="a", outcome="employed", years=1)["share_parameter"])
    # a single set: no between-set variance to estimate
    single = S.summarise_outcomes(df, "baseline", sets={0: 0, 1: 0, 2: 0, 3: 0})
    assert np.isnan(row(single, scenario="a", outcome="employed", years=1)["share_parameter"])
    # missing values are left out of their set (set 1 keeps one value: chance from set 0 only)
    chance, param = S.variance_split(np.array([[1.0, 3.0, np.nan, 10.0]]), np.array([0, 0, 1, 1]))
    assert chance[0] == pytest.approx(2.0)
    assert param[0] == pytest.approx(max(((10 - 2) ** 2) / 2 - 2.0 / 1.5, 0.0))


# ---- participation's exclusive parts ---------------------------------------------------------------
def test_parts_of_participation_add_up_to_the_whole():
    # participating 50 = employed 30 + education without work 15 + other participation 5
    t = tidy({("baseline", "participating", 12): [50.0, 40.0], ("baseline", "employed", 12): [30.0, 20.0],
              ("baseline", "volunteering", 12): [5.0, 6.0], ("baseline", "in_education", 12): [18.0, 15.0]})
    with_parts = S.add_parts(t)
    part = with_parts[with_parts.outcome == S.DERIVED].sort_values("seed")["value"].tolist()
    assert part == [15.0, 14.0]
    wide = with_parts.pivot_table(index="seed", columns="outcome", values="value")
    assert np.allclose(wide[list(S.PARTS)].sum(axis=1), wide["participating"])
    assert S.parts_check(t) == 0
    s = S.summarise_outcomes(t, "baseline")
    assert row(s, scenario="baseline", outcome=S.DERIVED, years=1)["median"] == pytest.approx(14.5)
    # the summary keeps the declared order, with the derived part after in_education
    order = list(dict.fromkeys(s["outcome"]))
    assert order.index(S.DERIVED) == order.index("in_education") + 1
    # a row where the rule behind the parts fails (more students without work than students) is counted
    broken = t.copy()
    broken.loc[(broken.outcome == "in_education") & (broken.seed == 0), "value"] = 10.0
    assert S.parts_check(broken) == 1
