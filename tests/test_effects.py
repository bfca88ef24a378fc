"""``python -m experiments.validate effects=FILE``: files of published intervention effects.

Bad files and arguments give one line, exit code 2 and no folder, before anything runs; the shipped
file and a file the command has never seen (``tests/data/unseen_effects.csv``: other rows, columns
in another order, every field quoted, Windows line endings, a byte-order mark) run end to end;
identical treatment and control give an effect of exactly 0 (common random numbers)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments import validate
from experiments.evidence import effects
from model.config import ROOT

SHIPPED = ROOT / "model" / "data" / "published_effects.csv"
UNSEEN = ROOT / "tests" / "data" / "unseen_effects.csv"
HEADER = ("id,treatment,control,cohort,outcome,group,horizon_months,effect_pp,effect_low_pp,"
          "effect_high_pp,design,mapping,source")
OK_ROW = "x,baseline,baseline,2024,employed,all,36,1,,,RCT,a mapping,a source"

SUMMARY_COLUMNS = ["id", "design", "outcome", "group", "cohort", "horizon_months", "effect_pp",
                   "effect_low_pp", "effect_high_pp", "judged_low_pp", "judged_high_pp",
                   "interval_source", "model_effect_pp", "model_p5_pp", "model_p95_pp",
                   "model_treatment", "model_control", "seeds", "within", "error_pp", "treatment",
                   "control", "mapping", "source"]


def row(**change) -> str:
    cells = dict(zip(HEADER.split(","), OK_ROW.split(",")))
    cells.update({k: str(v) for k, v in change.items()})
    return ",".join(f'"{v}"' if ("," in v or ";" in v) else v for v in cells.values())


# (file bytes, extra arguments, words the one line must contain)
BAD = [
    pytest.param(b"", [], "empty file", id="empty"),
    pytest.param((HEADER + "\n").encode(), [], "no rows", id="header-only"),
    pytest.param((HEADER.replace(",source", "") + "\n" + OK_ROW.rsplit(",", 1)[0] + "\n").encode(),
                 [], "column source", id="missing-column"),
    pytest.param((HEADER + ",notes\n" + OK_ROW + ",n\n").encode(), [], "column 'notes'",
                 id="unknown-column"),
    pytest.param((HEADER + "\n" + OK_ROW.replace("a source", "café") + "\n").encode("latin-1"), [],
                 "line 2='byte 0xe9'", id="not-utf8"),
    pytest.param((HEADER.replace(",", ";") + "\n"
                  + "x;baseline;baseline;2024;employed;all;36;-4,5;;;RCT;m;s\n").encode(), [],
                 "semicolons between columns", id="dutch-excel"),
    pytest.param((HEADER + "\n" + row(effect_pp="-4,5") + "\n").encode(), [], "decimal comma",
                 id="decimal-comma-quoted"),
    pytest.param((HEADER + "\nx,baseline,baseline,2024,employed,all,36,-4,5,,,RCT,m,s\n").encode(),
                 [], "line 2 (x) column source (and cells beyond it)", id="decimal-comma-unquoted"),
    pytest.param((HEADER + "\n" + row(treatment="nosuch_scenario") + "\n").encode(), [],
                 "line 2 (x) column treatment='nosuch_scenario'", id="unknown-scenario"),
    pytest.param((HEADER + "\n" + row(control="baseline; policy.job_coachin=2") + "\n").encode(),
                 [], "column control='baseline; policy.job_coachin=2'", id="unknown-key"),
    pytest.param((HEADER + "\n" + row(treatment="policy.scope=regional") + "\n").encode(), [],
                 "policy.scope='regional'", id="bad-lever-value"),
    pytest.param((HEADER + "\n" + row(treatment="baseline; seed=3") + "\n").encode(), [],
                 "no seed", id="reserved-key"),
    pytest.param((HEADER + "\n" + row(cohort=2031) + "\n").encode(), [], "cohort='2031'",
                 id="cohort-out-of-range"),
    pytest.param((HEADER + "\n" + row(effect_pp=150) + "\n").encode(), [], "effect_pp='150'",
                 id="effect-out-of-range"),
    pytest.param((HEADER + "\n" + row(outcome="jobs") + "\n").encode(), [], "outcome='jobs'",
                 id="unknown-outcome"),
    pytest.param((HEADER + "\n" + row(group="age=18-30") + "\n").encode(), [], "group='age=18-30'",
                 id="bad-group"),
    pytest.param((HEADER + "\n" + row(design="survey") + "\n").encode(), [], "design='survey'",
                 id="unknown-design"),
    pytest.param((HEADER + "\n" + row(horizon_months=200) + "\n").encode(), [],
                 "horizon_months='200'", id="horizon-beyond-model"),
    pytest.param((HEADER + "\n" + row(treatment="baseline; population.horizon_months=24") + "\n")
                 .encode(), [], "population.horizon_months=24", id="horizon-beyond-arm"),
    pytest.param((HEADER + "\n" + OK_ROW + "\n").encode(), ["population.horizon_months=24"],
                 "horizon_months=36", id="horizon-beyond-command-line"),
    pytest.param((HEADER + "\n" + row(effect_low_pp=3, effect_high_pp=-1) + "\n").encode(), [],
                 "effect_low_pp='3'", id="low-above-high"),
    pytest.param((HEADER + "\n" + row(effect_low_pp=2) + "\n").encode(), [],
                 "effect_high_pp=''", id="one-bound-only"),
    pytest.param((HEADER + ",interval_basis\n" + row(effect_low_pp=0, effect_high_pp=2)
                  + ",estimated\n").encode(), [], "column interval_basis='estimated'",
                 id="unknown-interval-basis"),
    pytest.param((HEADER + ",interval_basis\n" + OK_ROW + ",derived\n").encode(), [],
                 "empty when effect_low_pp and effect_high_pp are empty",
                 id="interval-basis-without-interval"),
    pytest.param((HEADER + "\n" + OK_ROW + "\n" + OK_ROW + "\n").encode(), [],
                 "line 3 (x) column id='x'", id="duplicate-id"),
    pytest.param((HEADER + "\n" + row(mapping="") + "\n").encode(), [], "column mapping=''",
                 id="no-mapping"),
    pytest.param((HEADER + "\n" + OK_ROW + "\n").encode(), ["targets=t.csv"], "not both",
                 id="targets-and-effects"),
    pytest.param((HEADER + "\n" + OK_ROW + "\n").encode(), ["population.permit_year=2016"],
                 "population.permit_year", id="cohort-on-command-line"),
    pytest.param((HEADER + "\n" + OK_ROW + "\n").encode(), ["replications=0"], "replications='0'",
                 id="bad-replications"),
]


@pytest.mark.parametrize("data,args,words", BAD)
def test_bad_input_one_line_exit_2_no_folder(tmp_path, capsys, data, args, words):
    f = tmp_path / "bad.csv"
    f.write_bytes(data)
    with pytest.raises(SystemExit) as e:
        validate.main([f"effects={f}", *args, f"out={tmp_path / 'out'}", "population.size=1000"])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert words in err, err
    assert effects.SCHEMA_DOC in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_cli_exit_code_2(tmp_path):
    """The real command line: exit code 2, one line on standard error, nothing written."""
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + "\n" + row(treatment="baseline; policy.job_coachin=2") + "\n")
    proc = subprocess.run([sys.executable, "-m", "experiments.validate", f"effects={f}",
                           f"out={tmp_path / 'out'}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "policy.job_coachin" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_interval_basis_is_optional_and_marks_derived_intervals(tmp_path):
    """Without the column an interval is published; ``derived`` is read (any case) and shown as
    such in the table, the report and the printed lines; rows without an interval are default."""
    plain = tmp_path / "plain.csv"
    plain.write_text(HEADER + "\n" + row(effect_low_pp=0, effect_high_pp=2) + "\n")
    assert [e.basis for e in effects.read_effects(plain)] == ["published"]
    f = tmp_path / "basis.csv"
    f.write_text(HEADER + ",interval_basis\n"
                 + row(id="c", effect_low_pp=-3, effect_high_pp=5) + ",Derived\n"
                 + row(id="p", effect_low_pp=0, effect_high_pp=2) + ",\n"
                 + row(id="d") + ",\n")
    rows = effects.read_effects(f)
    assert [(e.id, e.basis, e.interval) for e in rows] == [
        ("c", "derived", (-3.0, 5.0)), ("p", "published", (0.0, 2.0)), ("d", "default", (-1.0, 3.0))]
    by_seed = pd.DataFrame({"id": [e.id for e in rows], "seed": 0, "effect_pp": [1.0, 1.0, 9.0],
                            "treatment_value": 1.0, "control_value": 0.0})
    table = effects.summarise(rows, by_seed).set_index("id")
    assert table.loc["c", "interval_source"].startswith("derived")
    assert table.loc["p", "interval_source"] == "published"
    assert table.loc["d", "interval_source"].startswith("default")
    assert list(table.within) == ["yes", "yes", "no"]
    from experiments.presentation.validation import effects_report
    meta = {"effects": {"file": f.name, "sha256": "0" * 64}, "replications": 1, "seeds": [0],
            "population_size": 1000, "runs": 3, "configurations": 1, "overrides": []}
    text = effects_report(table.reset_index(), meta)
    assert "-3.0 to +5.0, derived" in text and "-1.0 to +3.0, default" in text
    assert "0.0 to +2.0)" in text
    assert "1 row(s) have no published interval that we read; their interval was derived" in text


def test_shipped_file_is_valid_and_covers_the_evidence():
    rows = effects.read_effects(SHIPPED)
    assert len(rows) >= 8
    assert len({r.id for r in rows}) == len(rows)
    assert all(r.mapping and r.source for r in rows)
    text = SHIPPED.read_text(encoding="utf-8")
    for author in ("Hainmueller", "Battisti", "Andersson Joona", "Brücker", "Roelofs", "Kilström",
                   "Arendt", "Aksoy", "Dahlberg", "van der Linden"):
        assert author in text, author
    # an interval the file derived (none was read in the study) says how, in source or mapping
    for r in rows:
        if r.basis == "derived":
            assert "interval" in (r.source + r.mapping).lower(), r.id
    # pilots and RCTs are mapped as pilots in both arms
    for r in rows:
        if r.design == "RCT":
            assert r.treatment.value_of("policy.scope") == "pilot", r.id
            assert r.control.value_of("policy.scope") == "pilot", r.id


def test_arms_that_resolve_alike_share_one_configuration(tmp_path):
    f = tmp_path / "alike.csv"
    f.write_text(HEADER + "\n"
                 + row(id="a", treatment="policy.scope=national", control="baseline") + "\n"
                 + row(id="b", treatment="scenario=baseline; policy.job_coaching=1.0",
                       control="baseline", horizon_months=24) + "\n")
    plan = effects.prepare(effects.read_effects(f), ["population.size=500"], f.name)
    assert len(plan.configs) == 1
    assert len({plan.arm_key[k] for k in plan.arm_key}) == 1


def test_common_random_numbers_identical_runs_are_identical(compose):
    """The same configuration and seed, simulated twice in separate calls, gives the same values:
    what makes a paired difference of identical arms exactly 0."""
    cfg = compose("baseline", "population.size=800", "population.horizon_months=36", "seed=3")
    needs = [("employed", "all", 24), ("participating", "sex=female", 36), ("own_home", "all", 12)]
    a = effects.run_one(cfg.to_dict(), needs)
    b = effects.run_one(cfg.to_dict(), needs)
    assert a == b and all(np.isfinite(a))


def test_end_to_end_on_the_shipped_file(tmp_path, capsys):
    out = tmp_path / "out"
    validate.main([f"effects={SHIPPED}", "replications=2", "population.size=1500", "n_jobs=1",
                  f"out={out}"])
    printed = capsys.readouterr().out
    assert "published effects within their interval" in printed
    table = pd.read_csv(out / "effects_vs_model.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == SUMMARY_COLUMNS
    rows = effects.read_effects(SHIPPED)
    assert list(table.id) == [r.id for r in rows]
    assert (table.seeds == 2).all() and table.model_effect_pp.notna().all()
    assert set(table.within) <= {"yes", "no"}
    inside = (table.model_effect_pp >= table.judged_low_pp - 1e-6) & (
        table.model_effect_pp <= table.judged_high_pp + 1e-6)
    assert ((table.within == "yes") == inside).all()
    k = int((table.within == "yes").sum())
    assert f"{k} of {len(table)} published effects within their interval" in printed
    from experiments.runs.outputs import foreign_entries

    assert foreign_entries(out, validate.WRITES) == []  # it writes only what it declares
    by_seed = pd.read_csv(out / "effects_by_seed.csv")
    assert np.allclose(by_seed.effect_pp, by_seed.treatment_value - by_seed.control_value)
    mean = by_seed.groupby("id", sort=False).effect_pp.mean()
    assert np.allclose(mean.loc[table.id].to_numpy(), table.model_effect_pp.to_numpy(), atol=1e-3)
    meta = json.loads((out / "validate.json").read_text())
    assert meta["effects"]["sha256"] == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert meta["seeds"] == [0, 1] and meta["population_size"] == 1500 and "git_sha" in meta
    assert meta["runs"] == meta["configurations"] * 2 < 2 * 2 * len(rows)  # shared arms run once
    for f in ("effects_vs_model.png", "report.md", f"effects_{SHIPPED.name}"):
        assert (out / f).is_file(), f
    assert not list(tmp_path.glob(".out.partial*"))


def test_an_unseen_file_runs_and_identical_arms_give_exactly_zero(tmp_path):
    """A file the command has never seen, through the real command line, in parallel."""
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "experiments.validate", f"effects={UNSEEN}",
                           "replications=2", "population.size=1000", "seed=5", "n_jobs=2",
                           f"out={out}"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^\d of 3 published effects within their interval$", proc.stdout,
                     re.M), proc.stdout
    table = pd.read_csv(out / "effects_vs_model.csv").set_index("id")
    assert list(table.index) == ["placebo_same_config", "guidance vs today", "old-law-dual"]
    assert table.loc["guidance vs today", "interval_source"].startswith("default")
    assert table.loc["guidance vs today", "design"] == "natural experiment"
    by_seed = pd.read_csv(out / "effects_by_seed.csv")
    assert sorted(set(by_seed.seed)) == [5, 6]
    placebo = by_seed[by_seed.id == "placebo_same_config"]
    assert (placebo.effect_pp == 0.0).all() and placebo.treatment_value.notna().all()
    assert table.loc["placebo_same_config", "model_effect_pp"] == 0.0
    assert table.loc["placebo_same_config", "within"] == "yes"


@pytest.mark.slow
def test_parallel_runs_give_the_same_numbers_as_serial(tmp_path):
    """n_jobs changes where runs go, not what they give."""
    tables = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        validate.main([f"effects={UNSEEN}", "replications=3", "population.size=1200",
                      f"n_jobs={jobs}", f"out={out}"])
        tables.append(pd.read_csv(out / "effects_by_seed.csv"))
    pd.testing.assert_frame_equal(tables[0], tables[1])


@pytest.mark.slow
def test_at_least_80_percent_of_the_shipped_effects_are_within_at_the_defaults(tmp_path):
    """Issue 8's bar, at the command's own defaults (20 seeds of 20,000 persons): at least 80% of
    the shipped published effects lie within their intervals. The rows nearest an edge are more
    than three standard errors of their 20-seed mean inside it (the spread over seeds is in
    effects_by_seed.csv), so the count does not depend on chance."""
    out = tmp_path / "out"
    validate.main([f"effects={SHIPPED}", f"out={out}"])
    table = pd.read_csv(out / "effects_vs_model.csv", keep_default_na=False, na_values=[""])
    assert (table.seeds == 20).all()
    share = float((table.within == "yes").mean())
    assert share >= 0.8, table[["id", "model_effect_pp", "judged_low_pp", "judged_high_pp", "within"]]
