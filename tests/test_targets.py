"""Targets files: every malformed case is a one-line ConfigError naming line, column, value and
what is allowed; model values are checked against hand computations from person states."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.runs.compose import load
from experiments.evidence.targets import (DEFAULT_TOLERANCE_PP, DENOMINATORS, QUANTITIES, RECEPTION,
                                          SCHEMA_DOC, Target, age_range, cohort_overrides,
                                          read_targets)
from experiments.evidence.target_values import (age_edges, evaluate, model_value, needed_edges,
                                                run_cohort, summarise)
from model.outcomes import shares
from model.config import ROOT
from model.errors import ConfigError
from model.model import simulate
from model.outcomes import BY_NAME
from model.people import Residence, Study
from model.population import ORIGINS

SHIPPED = ROOT / "model" / "data" / "calibration_targets.csv"
HEADER = "target,quantity,cohort,group,months_since_permit,value_pct,tolerance_pp,population"
GOOD = "emp_24,employed,2014,origin=Syria;sex=female,24,5.5,,asylum permit holders aged 18-64"


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    p = tmp_path / "mine.csv"
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def test_shipped_file_reads():
    ts = read_targets(SHIPPED)
    assert len(ts) == 45 and {t.cohort for t in ts} == {2014, 2015, 2016, 2017, 2020}
    rec = [t for t in ts if t.clock == RECEPTION]
    # the shipped housing rows count months since entering reception (their population says so)
    assert {t.id for t in rec} == {f"housed_2014_{o}_{m}" for o in ("syria", "eritrea")
                                   for m in (6, 12, 18)}
    assert all(t.quantity == "own_home" for t in rec)
    # the long-run rows (6 and 8 years), the later cohorts' rows (secondary, measured at a
    # calendar date rather than a month since each permit) and education by age (a published
    # range) carry their own tolerance
    assert {t.id for t in ts if t.tolerance is not None} == {
        "emp_2014_72", "emp_2014_96", "emp_2015_72", "emp_2016_36", "emp_2016_60", "emp_2017_24", "emp_2020_36",
        "edu_2014_18_23_60", "edu_2014_24_64_60"}
    assert all(t.tolerance_pp == DEFAULT_TOLERANCE_PP for t in ts if t.tolerance is None)
    assert cohort_overrides(ts, 2014) == ["population.permit_year=2014",
                                          "population.horizon_months=96"]


CHECKS = ROOT / "model" / "data" / "check_targets.csv"


def test_check_file_reads_and_is_kept_apart_from_the_fitted_file():
    """The published figures kept aside as a check (issue 9): they read with the same schema, none
    shares a name with a fitted row, and the calibration's default file does not hold them."""
    checks, fitted = read_targets(CHECKS), read_targets(SHIPPED)
    assert {t.id for t in checks} == {"ben_2014_18", "ben_2014_30", "emp_2019_30"}
    assert not {t.id for t in checks} & {t.id for t in fitted}
    assert {t.quantity for t in checks} == {"benefit", "employed"}
    assert all(t.tolerance_pp == 4 for t in checks)
    text = CHECKS.read_text(encoding="utf-8")
    assert text.count("a check, never fitted") == len(checks)


def test_good_row_normalised(tmp_path):
    (t,) = read_targets(write(tmp_path, "x, employed ,2014, origin=Syria ; sex=female ,24,5.5,1.5,"))
    assert (t.group, t.month, t.value, t.tolerance, t.clock) == (
        "origin=Syria;sex=female", 24, 5.5, 1.5, "permit")


BAD = [
    # (rows, header or None, words the message must contain)
    (["x,employed,2014,all,12,1.4"], "target,quantity,cohort,group,months_since_permit",
     ["column value_pct", "target, quantity, cohort, group, months_since_permit, value_pct"]),
    (["x,employed,2014,all,12,120,,"], None, ["line 2 (x)", "value_pct", "'120'", "0-100"]),
    (["x,employed,2014,all,12,-1,,"], None, ["value_pct", "'-1'", "0-100"]),
    (["x,employed,2014,all,12,lots,,"], None, ["value_pct", "'lots'"]),
    (["x,employment,2014,all,12,4,,"], None, ["quantity", "'employment'", "employed, benefit"]),
    (["x,employed,2014,origin=Narnia,12,4,,"], None, ["group", "Narnia", "Syria, Eritrea"]),
    (["x,employed,2014,religion=none,12,4,,"], None, ["group", "religion", "sex, origin"]),
    (["x,employed,2014,origin=Syria;origin=Iraq,12,4,,"], None, ["group", "given twice"]),
    # an age range: whole years LOW-HIGH with LOW <= HIGH, or LOW+ (any such range is allowed)
    (["x,employed,2014,age=30-20,12,4,,"], None, ["line 2 (x)", "group", "'age=30-20'",
                                                  "LOW <= HIGH", "18-23", "65+"]),
    (["x,employed,2014,age=abc,12,4,,"], None, ["line 2 (x)", "group", "'age=abc'",
                                                "whole years LOW-HIGH"]),
    (["x,employed,2014,age=18.5-23,12,4,,"], None, ["group", "'age=18.5-23'", "whole years"]),
    (["x,employed,2014,sex=female;age=-5,12,4,,"], None, ["group", "whole years"]),
    (["x,employed,2014,age=0-17,12,4,,"], None, ["group", "ages 18-64"]),
    (["x,in_education,2014,age=10-17,12,4,,"], None, ["group", "ages 18-64"]),
    (["x,exam_passed,2014,age=0-15,12,4,,"], None, ["group", "obligation"]),
    (["x,employed,2014,all,twelve,4,,"], None, ["months_since_permit", "'twelve'", "whole number"]),
    (["x,employed,2014,all,12.5,4,,"], None, ["months_since_permit", "'12.5'", "whole number"]),
    (["x,employed,2014,all,500,4,,"], None, ["months_since_permit", "'500'", "0-180"]),
    (["x,employed,2010,all,12,4,,"], None, ["cohort", "'2010'", "2014-2025", "permit_year"]),
    (["x,employed,last year,all,12,4,,"], None, ["cohort", "'last year'"]),
    (["x,employed,2014,all,12,4,-2,"], None, ["tolerance_pp", "'-2'", "percentage points"]),
    (["x,employed,2014,all,12,4,wide,"], None, ["tolerance_pp", "'wide'"]),
    (["x,employed,2014,all,12,4,,", "x,employed,2014,all,24,6,,"], None,
     ["line 3 (x)", "target", "unique", "line 2"]),
    ([",employed,2014,all,12,4,,"], None, ["line 2", "target", "non-empty"]),
    (["x,employed,2014,all,12,4,,entrants (months since entering reception)"], None,
     ["population", "own_home"]),
    (["x,employed,2014,all,12,4,,,surplus"], None, ["extra cells"]),
    ([], None, ["no rows"]),
]


@pytest.mark.parametrize("rows,header,words", BAD)
def test_malformed_file_is_one_clear_line(tmp_path, rows, header, words):
    path = write(tmp_path, *rows, header=header or HEADER)
    with pytest.raises(ConfigError) as e:
        read_targets(path)
    msg = str(e.value)
    assert "\n" not in msg and "mine.csv" in msg and "expected" in msg
    assert msg.endswith("(see docs/targets_schema.md)"), msg
    for w in words:
        assert w in msg, (w, msg)


def test_missing_file():
    with pytest.raises(ConfigError, match="targets=.*existing CSV.*docs/targets_schema.md"):
        read_targets("/nonexistent/targets.csv")


def test_the_schema_document_exists():
    assert (ROOT / SCHEMA_DOC).is_file()


@pytest.mark.parametrize("group,normalised,edges", [
    ("age=18-23", "age=18-23", (18, 24)),         # CBS's own band
    ("sex=female; age = 20-29", "sex=female;age=20-29", (20, 30)),
    ("age=18-70", "age=18-70", (18, 71)),         # past 64: own_home counts everyone
    ("age=25-34", "age=25-34", (25, 35)),         # on the model's age groups
    ("age=65+", "age=65+", (65, None)),
])
def test_any_age_range_is_accepted(tmp_path, group, normalised, edges):
    (t,) = read_targets(write(tmp_path, f"x,own_home,2014,{group},12,50,,"))
    assert t.group == normalised and age_range(normalised.split("age=")[1]) == edges


# ---- model values against hand computations ---------------------------------------------------

@pytest.fixture(scope="module")
def tiny():
    """A stepped 2014 run of 3,000 persons, with every month's residence, employment and study
    kept, also counted by the ages of the ranges 18-23 and 20-70 (CBS's band; one past 64)."""
    cfg = load("baseline", ["population.permit_year=2014", "population.size=3000",
                            "population.horizon_months=36", "seed=3"])
    panel = {"employed": [], "residence": [], "study": []}
    static = {}

    def keep(m):
        panel["employed"].append(m.people.employed.copy())
        panel["residence"].append(m.people.residence.copy())
        panel["study"].append(m.people.study.copy())
        static.setdefault("procedure", m.people.procedure.copy())
        static.setdefault("prior_stay", m.people.prior_stay.copy())

    run = run_cohort(cfg, keep, age_edges=(20, 24, 71))
    return cfg, run, {**{k: np.array(v) for k, v in panel.items()}, **static}


def _at(arr, months):
    ok = (months >= 0) & (months < arr.shape[0])
    out = np.zeros(arr.shape[1], arr.dtype)
    out[ok] = arr[months[ok], np.flatnonzero(ok)]
    return out, ok


def test_combined_group_by_hand(tiny):
    """Share employed among Syrian women aged 18-64 at 24 months since their own permit."""
    cfg, run, panel = tiny
    p = run.persons
    at = p.permit_month.astype(np.int64) + 24
    emp, ok = _at(panel["employed"], at)
    res, _ = _at(panel["residence"], at)
    age = p.age0 + (at / 12.0).astype(np.float32)
    present = ok & ((res == Residence.RECEPTION) | (res == Residence.HOUSED))
    den = present & (p.origin == ORIGINS.index("Syria")) & (p.sex == 1) & (age >= 18) & (age < 65)
    hand = 100.0 * (emp & den).sum() / den.sum()
    assert den.sum() > 50
    got = model_value(run, "employed", "origin=Syria;sex=female", 24)
    assert got == pytest.approx(hand, abs=1e-9)
    # and employed is exactly what the RunResult reports for the same group
    assert got == pytest.approx(run.result.share("employed", "origin=Syria;sex=female")[24])
    # an age band: 25-34 at the measurement date
    den2 = present & (age >= 25) & (age < 35)
    assert model_value(run, "employed", "age=25-34", 24) == pytest.approx(
        100.0 * (emp & den2).sum() / den2.sum())


@pytest.mark.parametrize("month", [12, 30])
def test_any_age_range_by_hand(tiny, month):
    """CBS's band age=18-23 (whole years at the measurement date: at least 18, not yet 24), from
    the persons' monthly states and ages, not from the model's age groups; and a range past 64
    for a quantity that counts everyone."""
    cfg, run, panel = tiny
    p = run.persons
    at = p.permit_month.astype(np.int64) + month
    emp, ok = _at(panel["employed"], at)
    res, _ = _at(panel["residence"], at)
    study, _ = _at(panel["study"], at)
    age = p.age0 + (at / 12.0).astype(np.float32)
    present = ok & ((res == Residence.RECEPTION) | (res == Residence.HOUSED))
    young = present & (age >= 18) & (age < 24)
    assert young.sum() > 50
    assert model_value(run, "employed", "age=18-23", month) == pytest.approx(
        100.0 * (emp & young).sum() / young.sum(), abs=1e-9)
    assert model_value(run, "in_education", "age=18-23", month) == pytest.approx(
        100.0 * ((study == Study.ENROLLED) & young).sum() / young.sum(), abs=1e-9)
    women = young & (p.sex == 1)
    assert model_value(run, "employed", "sex=female;age=18-23", month) == pytest.approx(
        100.0 * (emp & women).sum() / women.sum(), abs=1e-9)
    # own_home counts everyone in the cohort of those ages (also who left), here 20-70
    whole = ok & (age >= 20) & (age < 71)
    assert model_value(run, "own_home", "age=20-70", month) == pytest.approx(
        100.0 * ((res == Residence.HOUSED) & whole).sum() / whole.sum(), abs=1e-9)
    # a working-age quantity counts the part of the range that is 18-64
    working = present & (age >= 20) & (age < 65)
    assert model_value(run, "employed", "age=20-70", month) == pytest.approx(
        100.0 * (emp & working).sum() / working.sum(), abs=1e-9)


def test_counts_by_finer_ages_add_up_to_the_runs(tiny):
    """Counted by finer age groups, every outcome of every group on the model's own age groups is
    what the run itself counted (the finer counts only split them)."""
    cfg, run, _ = tiny
    assert run.age_edges == (18, 20, 24, 25, 35, 45, 55, 65, 71)
    for q in BY_NAME:
        for g in ("all", "age=18-24", "age=25-64", "origin=Syria;age=65+", "sex=male;age=0-17"):
            fine = shares(run.age_cube, run.result.columns, q, g, run.age_edges)
            coarse = shares(run.result.cube, run.result.columns, q, g)
            np.testing.assert_allclose(fine[1], coarse[1], err_msg=f"{q} {g}")
            np.testing.assert_allclose(fine[0], coarse[0], err_msg=f"{q} {g}", equal_nan=True)


def test_the_edges_a_file_needs():
    ts = [Target("a", "employed", 2014, "age=18-23", 24, 10.0),
          Target("b", "own_home", 2014, "origin=Syria;age=20-70", 24, 10.0),
          Target("c", "employed", 2014, "age=25-34", 24, 10.0),
          Target("d", "own_home", 2014, "age=30-39", 12, 50.0, clock=RECEPTION),
          Target("e", "own_home", 2014, "age=65-200", 12, 50.0)]
    assert [needed_edges(t.group) for t in ts] == [(24,), (20, 71), (), (30, 40), ()]
    # the reception clock reads the persons' own ages: no counts needed
    assert age_edges(ts) == (20, 24, 71)
    run = run_cohort(load("baseline", ["population.permit_year=2014", "population.size=300",
                                       "population.horizon_months=12"]))
    assert run.age_cube is None
    with pytest.raises(ValueError, match=r"age_edges=\(24,\)"):
        model_value(run, "employed", "age=18-23", 12)
    assert np.isfinite(model_value(run, "own_home", "age=30-39", 3, RECEPTION))


def test_own_home_counts_the_whole_cohort(tiny):
    """own_home: the schema's denominator is everyone whose permit has begun (also who left)."""
    cfg, run, panel = tiny
    p = run.persons
    at = p.permit_month.astype(np.int64) + 12
    res, ok = _at(panel["residence"], at)
    den = ok & (p.origin == ORIGINS.index("Eritrea"))
    hand = 100.0 * ((res == Residence.HOUSED) & den).sum() / den.sum()
    assert model_value(run, "own_home", "origin=Eritrea", 12) == pytest.approx(hand)


@pytest.mark.parametrize("k", [6, 12, 18])
def test_reception_clock_by_hand(tiny, k):
    """own_home k months after entering reception, from the monthly residence and the asylum
    procedure's length (not from the ti_* arrays the targets code uses)."""
    cfg, run, panel = tiny
    p = run.persons
    # persons with their own procedure (long-stay households: their last one) entered reception
    # procedure months before their permit; family members who came later have none
    own = panel["procedure"] > 0
    entry = p.permit_month.astype(np.int64) - np.round(panel["procedure"]).astype(np.int64)
    sel = own & (entry >= 0) & (entry <= 11) & (p.origin == ORIGINS.index("Syria"))
    res, ok = _at(panel["residence"], entry + k)
    assert ok[sel].all() and sel.sum() > 50
    hand = 100.0 * (sel & (res == Residence.HOUSED)).sum() / sel.sum()
    assert model_value(run, "own_home", "origin=Syria", k, RECEPTION) == pytest.approx(hand)


def test_denominators_are_the_models():
    """The schema's denominators (targets.DENOMINATORS) are those model.outcomes records."""
    assert set(DENOMINATORS) == set(QUANTITIES)
    for q, d in DENOMINATORS.items():
        assert BY_NAME[q].denominator == d, q


def test_every_quantity_equals_the_run_result(tiny):
    cfg, run, _ = tiny
    for q in QUANTITIES:
        for g in ("all", "origin=Eritrea;sex=male", "age=25-44"):
            a, b = model_value(run, q, g, 30), run.result.share(q, g)[30]
            assert (np.isnan(a) and np.isnan(b)) or a == pytest.approx(b), (q, g)


def test_stepping_ourselves_equals_simulate(tiny):
    cfg, run, _ = tiny
    assert np.array_equal(simulate(cfg).cube, run.result.cube)


def test_shorter_horizon_changes_no_earlier_month():
    a = load("baseline", ["population.permit_year=2014", "population.size=1500",
                          "population.horizon_months=24", "seed=2"])
    b = replace(a, population=replace(a.population, horizon_months=48))
    ra, rb = run_cohort(a), run_cohort(b)
    # housing is untouched by the horizon; work only through the labour market (a household past
    # the horizon no longer competes for jobs: model/pathways/work.py), by well under a point
    assert model_value(ra, "own_home", "origin=Syria", 24) == model_value(rb, "own_home", "origin=Syria", 24)
    for q in ("employed", "exam_passed"):
        assert abs(model_value(ra, q, "all", 24) - model_value(rb, q, "all", 24)) < 1.0, q
    assert (model_value(ra, "own_home", "all", 12, RECEPTION)
            == model_value(rb, "own_home", "all", 12, RECEPTION))


def test_summarise_tolerance_and_interval():
    ts = [Target("a", "employed", 2014, "all", 24, 10.0, tolerance=2.0),
          Target("b", "employed", 2014, "all", 36, 10.0)]
    per_seed = pd.DataFrame({"target": ["a"] * 3 + ["b"] * 3, "cohort": 2014, "seed": [0, 1, 2] * 2,
                             "model_value": [11.0, 12.0, 13.0, 13.0, 13.0, 13.0]})
    s = summarise(ts, per_seed).set_index("target")
    assert s.loc["a", "model_mean"] == 12.0 and s.loc["a", "error_pp"] == 2.0
    assert bool(s.loc["a", "within_tolerance"]) and s.loc["a", "tolerance_source"] == "file"
    assert s.loc["a", "model_p5"] == pytest.approx(11.1) and s.loc["a", "model_p95"] == pytest.approx(12.9)
    assert not s.loc["b", "within_tolerance"] and s.loc["b", "tolerance_pp"] == DEFAULT_TOLERANCE_PP
    assert not s.loc["b", "value_in_interval"]
    wider = summarise(ts, per_seed, default_tolerance=3.0).set_index("target")
    assert bool(wider.loc["b", "within_tolerance"])


def test_evaluate_runs_each_cohort_for_each_seed(tmp_path):
    path = write(tmp_path, GOOD, "h,own_home,2015,all,12,50,,months since entering reception",
                 "y,in_education,2015,age=18-23,24,30,,")
    ts = read_targets(path)
    per_seed = evaluate(ts, "baseline", ["population.size=1000"], seeds=[1, 2])
    assert len(per_seed) == 6 and set(per_seed.cohort) == {2014, 2015}
    assert per_seed.model_value.notna().all()
    with pytest.raises(ConfigError, match="population.permit_year"):
        evaluate(ts, "baseline", ["population.permit_year=2016"], seeds=[1])
