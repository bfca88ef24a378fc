"""The report's pieces that need no comparison folder: a run's participation chart, and the
sections built from tables (model and evidence, variance shares) on small hand-made inputs."""

from __future__ import annotations

import numpy as np


def test_a_runs_participation_parts_add_up_to_the_whole(run, tmp_path):
    from experiments.presentation.run_chart import run_chart, run_parts
    from model.outcomes import shares

    result = run("baseline", "population.size=1000", "seed=2")
    parts = run_parts(result)
    total = parts["employed"] + parts["education_only"] + parts["other_only"]
    ok = np.isfinite(parts["participating"])
    assert ok.sum() > 100
    assert np.allclose(total[ok], parts["participating"][ok])
    # education without work is a part of education: the rule the parts rest on holds in the model
    edu, _ = shares(result.cube, result.columns, "in_education", "all")
    assert (parts["education_only"][ok] >= -1e-9).all()
    assert (parts["education_only"][ok] <= edu[ok] + 1e-9).all()
    run_chart(result, tmp_path / "outcomes.png")
    assert (tmp_path / "outcomes.png").stat().st_size > 10_000


# ---- sections built from tables -------------------------------------------------------------------
import pandas as pd  # noqa: E402
import pytest  # noqa: E402


def _input(summary: pd.DataFrame, lang: str = "en", meta: dict | None = None, **chart) -> "object":
    from types import SimpleNamespace

    from experiments.presentation.report import ReportInput

    return ReportInput(lang=lang, summary=summary, costs_summary=pd.DataFrame(), times_summary=pd.DataFrame(),
                       charts={}, stories=[], scenarios=list(dict.fromkeys(summary["scenario"])),
                       baseline="baseline", position=None, configs={}, meta=meta or {},
                       chart_data=SimpleNamespace(**chart), folder=None)


def _summary(rows: dict) -> pd.DataFrame:
    from experiments.runs import summary as S

    out = []
    for (scen, outcome, month), values in rows.items():
        for seed, v in enumerate(values):
            out.append({"scenario": scen, "seed": seed, "month": month, "group": "all", "outcome": outcome,
                        "value": v, "n": 100})
    return S.summarise_outcomes(pd.DataFrame(out), "baseline")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_missing_evidence_file_is_said_not_failed(tmp_path, lang):
    from experiments.runs.demands import demand_evidence
    from experiments.presentation.report import evidence_html

    ev, note = demand_evidence(tmp_path / "demand_evidence.csv")
    assert ev is None and "demand_evidence.csv" in note[lang]
    s = _summary({("baseline", "employed", 36): [1.0, 2.0]})
    html = evidence_html(_input(s, lang, evidence=None, evidence_note=note))
    assert "class='warn'" in html and "demand_evidence.csv" in html
    # an unreadable file (a column missing) is said too
    bad = tmp_path / "bad.csv"
    bad.write_text("demand,horizon\nD1,3\n")
    ev, note = demand_evidence(bad)
    assert ev is None and "low_pp" in note["en"]


def test_evidence_section_lists_each_demand_with_its_verdict(tmp_path):
    from experiments.runs import summary as S
    from experiments.runs.demands import demand_evidence
    from experiments.presentation.report import evidence_html

    f = tmp_path / "demand_evidence.csv"
    f.write_text("demand,horizon_years,low_pp,central_pp,high_pp,basis,evidence_ids\n"
                 "D3,3,0.0,1.5,4.0,\"coaching, a few points\",DE01;SE06\n"
                 "D4,3,0.0,1.0,3.5,plan,SE01\n")
    ev, note = demand_evidence(f)
    assert note == {} and list(ev["demand"]) == ["D3", "D4"]
    s = _summary({("baseline", "employed", 36): [10.0, 20.0, 30.0],
                  ("d3_labour_guidance", "employed", 36): [20.0, 30.0, 40.0]})
    checked = S.evidence_check(s, ev, {"D3": "d3_labour_guidance", "D4": "d4_early_personal_plan"})
    html = evidence_html(_input(s, "en", evidence=checked))
    assert "above the range" in html and "not run" in html and "DE01;SE06" in html
    assert "+10.0 pp" in html and "coaching, a few points" in html
    nl = evidence_html(_input(s, "nl", evidence=checked))
    assert "boven de bandbreedte" in nl and "niet gedraaid" in nl


def test_demands_map_to_scenarios_through_their_files(tmp_path):
    from experiments.runs.demands import demand_scenarios

    m = demand_scenarios("vwn_position")
    assert m["D7"] == "d7_no_exam_condition" and m["D8"] == "d8_smooth_naturalisation"
    assert m["D10"] == "d10_cooperation" and m["full"] == "vwn_position"
    assert list(m)[:3] == ["D1", "D2", "D3"] and list(m)[-1] == "full"
    assert "stacking" not in m.values()  # 'D9 (reverse)' is not a demand
    # a scenario made only in a run (not a file) counts, and one that was run wins a tie
    (tmp_path / "a.yaml").write_text("scenario_info:\n  demand: D3\n")
    (tmp_path / "b.yaml").write_text("scenario_info:\n  demand: D3\n")
    assert demand_scenarios(None, {"b": {"scenario_info": {"demand": "D3"}}}, tmp_path) == {"D3": "b"}
    assert demand_scenarios(None, {}, tmp_path) == {"D3": "a"}


def test_lever_draws_are_read_like_parameter_sets():
    from experiments.runs.reading import seed_levers, seed_sets

    index = pd.DataFrame({"scenario": ["baseline", "a"] * 4, "seed": [0, 0, 1, 1, 2, 2, 3, 3],
                          "parameter_set": [0, 0, 0, 0, 1, 1, 1, 1], "lever_draw": [0] * 8})
    assert seed_levers(index) == ({0: 0, 1: 0, 2: 0, 3: 0}, "")
    assert seed_sets(index)[0] == {0: 0, 1: 0, 2: 1, 3: 1}
    # runs made before draws were recorded (null): none, and no note
    assert seed_levers(index.assign(lever_draw=None)) == (None, "")
    assert seed_levers(index.drop(columns="lever_draw")) == (None, "")
    # a seed with two draws cannot be used
    mixed = index.assign(lever_draw=[0, 1, 0, 0, 0, 0, 0, 0])
    levers, note = seed_levers(mixed)
    assert levers is None and "share_lever" in note


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_spread_is_said_in_plain_words(lang):
    from experiments.presentation.report import spread_sentence

    s = _summary({("baseline", "employed", 60): [10.0, 20.0, 30.0, 40.0],
                  ("d3_labour_guidance", "employed", 60): [11.0, 22.0, 33.0, 44.0]})
    r = s[(s.scenario == "d3_labour_guidance")].iloc[0].copy()
    meta = {"ensemble": {"used": True}, "levers": {"used": True}}
    inp = _input(s, lang, meta)
    inp.configs = {"baseline": {"policy": {"job_coaching": 1.0}},
                   "d3_labour_guidance": {"policy": {"job_coaching": 2.0}}}
    r["share_chance"], r["share_parameter"], r["share_lever"] = 0.1, 0.2, 0.7
    text = spread_sentence(r, inp, "d3_labour_guidance")
    if lang == "en":
        assert text.startswith("most of the uncertainty in this effect comes from how strongly job coaching works")
        assert "20% of the spread comes from uncertainty in the fitted parameters, 70% from lever strength and " \
               "10% from chance" in text
    else:
        assert text.startswith("de meeste onzekerheid in dit effect komt door hoe sterk jobcoaching werkt")
        assert "70% door de sterkte van de maatregelen" in text
    # strengths not drawn (runs made before): chance and parameters only
    r["share_lever"] = float("nan")
    r["share_chance"], r["share_parameter"] = 0.75, 0.25
    text = spread_sentence(r, _input(s, lang, {"ensemble": {"used": True}, "levers": {"used": False}}))
    assert ("25% of the spread comes from uncertainty in the fitted parameters and 75% from chance" in text
            if lang == "en" else "25% van de spreiding komt door onzekerheid in de geschatte parameters" in text)
    # nothing drawn, no ensemble: chance only
    none = spread_sentence(r, _input(s, lang, {}))
    assert ("chance only" in none) if lang == "en" else ("alleen toeval" in none)


@pytest.mark.parametrize("year, cbs", [(2024, False), (2014, True)])
def test_a_runs_chart_keeps_its_legends_off_the_curves_and_names_only_what_it_draws(run, year, cbs):
    """The legends stand under the panels, and the caption names CBS's points only when the cohort
    has published points and the chart draws them."""
    import matplotlib.pyplot as plt

    from experiments.presentation.run_chart import run_figure

    fig = run_figure(run("baseline", "population.size=1000", "seed=2", f"population.permit_year={year}"))
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for ax in fig.axes:
        legend, box = ax.get_legend(), ax.get_window_extent(r)
        assert legend is not None
        assert legend.get_window_extent(r).y1 < box.y0  # wholly under its panel
    caption = " ".join(t.get_text() for t in fig.texts)
    drawn = [c for ax in fig.axes for c in ax.collections if "CBS" in str(c.get_label())]
    assert ("CBS's employment" in caption) == cbs == bool(drawn)
    plt.close(fig)
