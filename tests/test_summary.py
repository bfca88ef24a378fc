"""The comparison's statistics against a hand computation on tiny tables.

Percentiles are numpy's default (linear interpolation between order statistics): with 5 values
sorted v0..v4, the p-th percentile sits at position p/100 * 4, so the 5th percentile is
v0 + 0.2 (v1 - v0) and the 95th v3 + 0.8 (v4 - v3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.runs import summary as S


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
    part = with_parts[with_parts.outcome == "education_only"].sort_values("seed")["value"].tolist()
    assert part == [15.0, 14.0]
    other = with_parts[with_parts.outcome == "other_only"].sort_values("seed")["value"].tolist()
    assert other == [5.0, 6.0]
    wide = with_parts.pivot_table(index="seed", columns="outcome", values="value")
    assert np.allclose(wide[list(S.PARTS)].sum(axis=1), wide["participating"])
    assert S.parts_check(t) == 0
    s = S.summarise_outcomes(t, "baseline")
    assert row(s, scenario="baseline", outcome="education_only", years=1)["median"] == pytest.approx(14.5)
    # the summary keeps the declared order, with the parts after the outcomes they are parts of
    order = list(dict.fromkeys(s["outcome"]))
    assert order.index("education_only") > order.index("in_education")
    # a row where the rule behind the parts fails (more students without work than students) is counted
    broken = t.copy()
    broken.loc[(broken.outcome == "in_education") & (broken.seed == 0), "value"] = 10.0
    assert S.parts_check(broken) == 1


def test_recorded_parts_are_used_as_they_are():
    # a recorder that counts the parts: a working volunteer (the rule broken) is counted rightly
    t = tidy({("baseline", "participating", 12): [50.0], ("baseline", "employed", 12): [30.0],
              ("baseline", "volunteering", 12): [8.0], ("baseline", "in_education", 12): [18.0],
              ("baseline", "education_only", 12): [16.0], ("baseline", "other_only", 12): [4.0]})
    with_parts = S.add_parts(t)
    assert len(with_parts) == len(t)
    assert S.parts_check(t) == 0
    # parts that do not add up are counted
    bad = t.copy()
    bad.loc[bad.outcome == "other_only", "value"] = 6.0
    assert S.parts_check(bad) == 1


# ---- three sources: chance, calibrated parameters, lever strength (nested design) -----------------
def test_nested_variance_split_matches_hand_computation():
    # 2 lever draws x 2 parameter sets x 2 seeds; paired differences by (draw, set):
    # draw 0: set 0 (1, 3), set 1 (5, 7); draw 1: set 2 (10, 14), set 3 (12, 12)
    diffs = np.array([[1.0, 3.0, 5.0, 7.0, 10.0, 14.0, 12.0, 12.0]])
    sets = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    levers = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    chance, param, lever = S.variance_components(diffs, sets, levers)
    # within-set variances 2, 2, 8, 0 -> chance = 3 (= MS_seed, 12 / 4 degrees of freedom)
    assert chance[0] == pytest.approx(3.0)
    # set means 2, 6 | 12, 12: variance within draw 8 and 0 -> V_PL = 4; parameter = 4 - 3 / 2
    # (= (MS_set - MS_seed) / n = (8 - 3) / 2)
    assert param[0] == pytest.approx(2.5)
    # draw means 4 and 12 -> V_L = 32; lever = 32 - 4 / 2 (= (MS_draw - MS_set) / (n b) = (128 - 8) / 4)
    assert lever[0] == pytest.approx(30.0)
    shares = S.variance_shares(diffs, sets, levers)
    assert shares["share_chance"][0] == pytest.approx(3.0 / 35.5)
    assert shares["share_parameter"][0] == pytest.approx(2.5 / 35.5)
    assert shares["share_lever"][0] == pytest.approx(30.0 / 35.5)
    # through the summary, from each seed's set and draw (as aggregate reads them from run.json)
    base = [0.0] * 8
    df = tidy({("baseline", "employed", 12): base, ("a", "employed", 12): diffs[0].tolist()})
    s = S.summarise_outcomes(df, "baseline", sets=dict(enumerate(sets.tolist())),
                             levers=dict(enumerate(levers.tolist())))
    a = row(s, scenario="a", outcome="employed", years=1)
    assert a["share_lever"] == pytest.approx(30.0 / 35.5, abs=1e-4)
    assert a["share_chance"] + a["share_parameter"] + a["share_lever"] == pytest.approx(1.0, abs=1e-3)
    b = row(s, scenario="baseline", outcome="employed", years=1)
    assert np.isnan(b[["share_chance", "share_parameter", "share_lever"]].astype(float)).all()


def test_nested_split_without_lever_draws_is_the_one_way_split():
    diffs = np.array([[1.0, 3.0, 6.0, 10.0]])
    shares = S.variance_shares(diffs, np.array([0, 0, 1, 1]), None)
    assert shares["share_parameter"][0] == pytest.approx(15.5 / 20.5)
    assert shares["share_chance"][0] == pytest.approx(5.0 / 20.5)
    assert np.isnan(shares["share_lever"][0])
    # lever draws recorded as missing (None) are the same as none
    same = S.variance_shares(diffs, np.array([0, 0, 1, 1]), np.full(4, np.nan))
    assert same["share_parameter"][0] == pytest.approx(15.5 / 20.5) and np.isnan(same["share_lever"][0])
    # only lever draws (a single calibration): chance and lever strength
    only = S.variance_shares(diffs, None, np.array([0, 0, 1, 1]))
    assert only["share_lever"][0] == pytest.approx(15.5 / 20.5) and np.isnan(only["share_parameter"][0])
    # nothing varies but the seed: no split (the spread is all chance, said in words by the report)
    none = S.variance_shares(diffs, None, None)
    assert all(np.isnan(v[0]) for v in none.values())


def test_nested_split_when_sources_cannot_be_told_apart():
    diffs = np.array([[1.0, 3.0, 6.0, 10.0]])
    # one set per draw: parameters and lever strength are confounded; chance's share is still known
    shares = S.variance_shares(diffs, np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1]))
    assert np.isnan(shares["share_parameter"][0]) and np.isnan(shares["share_lever"][0])
    assert shares["share_chance"][0] == pytest.approx(5.0 / 20.5)
    # one seed per set: chance cannot be estimated, so nothing is split
    one = S.variance_shares(diffs, np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]))
    assert all(np.isnan(v[0]) for v in one.values())
    # no variance at all: no shares
    flat = S.variance_shares(np.array([[2.0] * 8]), np.repeat([0, 1, 2, 3], 2), np.repeat([0, 1], 4))
    assert all(np.isnan(v[0]) for v in flat.values())


# ---- every year; the whole against the sum of its parts; the model against the evidence -----------
def test_the_summary_reports_every_year_one_to_ten():
    assert S.YEARS == tuple(range(1, 11))
    t = tidy({("baseline", "employed", 12 * y): [1.0, 2.0] for y in range(0, 11)})
    s = S.summarise_outcomes(t, "baseline")
    assert sorted(s["years"].unique()) == list(range(1, 11))


def test_sum_of_singles_is_paired_seed_by_seed():
    # effects per seed: a (1, 2, 3), b (10, 0, 5), full (12, 1, 6) -> sum (11, 2, 8), full - sum (1, -1, -2)
    base = [10.0, 20.0, 30.0]
    t = tidy({("baseline", "employed", 12): base,
              ("a", "employed", 12): [11.0, 22.0, 33.0],
              ("b", "employed", 12): [20.0, 20.0, 35.0],
              ("full", "employed", 12): [22.0, 21.0, 36.0]})
    f = S.sum_of_singles(t, "baseline", "full", ["a", "b"], outcomes=("employed",), years=(1,))
    got = f.set_index("series")
    assert got.loc["full", "median"] == pytest.approx(6.0)
    assert got.loc["sum", "median"] == pytest.approx(8.0)
    assert got.loc["sum", "p05"] == pytest.approx(2 + 0.1 * (8 - 2))  # sorted 2, 8, 11
    assert got.loc["full_minus_sum", "median"] == pytest.approx(-1.0)
    assert got.loc["full_minus_sum", "p95"] == pytest.approx(-1 + 0.9 * 2)  # sorted -2, -1, 1
    assert (got["n_pairs"] == 3).all()
    # a seed missing in one single is left out of every series
    short = t[~((t.scenario == "b") & (t.seed == 2))]
    assert (S.sum_of_singles(short, "baseline", "full", ["a", "b"], ("employed",), (1,))["n_pairs"] == 2).all()
    # without the full position or a single there is nothing to compare
    assert S.sum_of_singles(t, "baseline", "nope", ["a"], ("employed",), (1,)).empty


def test_evidence_check_sets_the_model_beside_the_range():
    t = tidy({("baseline", "employed", 36): [10.0, 20.0, 30.0],
              ("d1", "employed", 36): [12.0, 22.0, 32.0],        # +2: within 0..3
              ("d3", "employed", 36): [20.0, 30.0, 40.0],        # +10: above 0..3
              ("d5", "employed", 36): [9.0, 21.0, 27.5],         # median -1, interval reaches 0: overlaps
              ("full", "employed", 36): [5.0, 15.0, 25.0]})      # -5: below
    s = S.summarise_outcomes(t, "baseline")
    ev = pd.DataFrame({"demand": ["D1", "D3", "D5", "full", "D9"], "horizon_years": [3] * 5,
                       "low_pp": [0.0] * 5, "central_pp": [1.0] * 5, "high_pp": [3.0] * 5,
                       "basis": ["x"] * 5, "evidence_ids": ["E1"] * 5})
    demands = {"D1": "d1", "D3": "d3", "D5": "d5", "D9": "d9", "full": "full"}
    c = S.evidence_check(s, ev, demands).set_index("demand")
    assert c.loc["D1", "verdict"] == "within" and c.loc["D1", "diff_median"] == pytest.approx(2.0)
    assert c.loc["D3", "verdict"] == "above"
    assert c.loc["D5", "verdict"] == "overlaps"
    assert c.loc["full", "verdict"] == "below"
    assert c.loc["D9", "verdict"] == "not run" and np.isnan(c.loc["D9", "diff_median"])
