"""The persons' stories tell what their charts draw, and follow typical persons.

- in a small comparison (baseline and full position), every claim a story's sentences make (when the
  person gets a home, starts a course, meets or is exempted from civic integration, finds a first
  job, leaves bijstand, leaves the Netherlands) holds in the month-by-month trace written beside it,
  the sentence names that month, and the timeline the chart draws is that trace;
- short returns to bijstand are told as such (a household off bijstand from year 5 with three single
  months later is not 'on bijstand until year 10');
- the typical person is the one whose path is nearest the group's commonest route and outcome and
  median months, not the one a lucky draw put elsewhere;
- every persona has words in every language;
- the comparison's Dutch charts name scenarios, levers and costs by their display names, not their
  keys, and the stages chart says why it bends where the Z route ends.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.presentation import i18n
from experiments.presentation import stories as S
from experiments.runs import persons as P
from model.config import ROOT
from model.people import Exam, Residence

LANG = "nl"


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("stories") / "small"
    r = subprocess.run([sys.executable, "-m", "experiments.compare", "scenarios=[baseline,vwn_position]",
                        "replications=2", "population.size=1500", "n_jobs=2", "progress=false",
                        f"report.language={LANG}", f"out={out}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    return out


def _first(mask) -> int | None:
    hit = np.flatnonzero(np.asarray(mask, bool))
    return int(hit[0]) if len(hit) else None


def _runs(mask) -> list[tuple[int, int]]:
    m = np.concatenate([[0], np.asarray(mask, int), [0]])
    d = np.diff(m)
    return [(int(s), int(e - s)) for s, e in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1))]


def check_claim(key: str, value, f: pd.DataFrame) -> None:
    """One claim against the trace ``f`` (one person, one scenario), read with nothing but numpy."""
    here = f["residence"].to_numpy() != Residence.LEFT
    first = {"housed": f["residence"].to_numpy() == Residence.HOUSED,
             "left": f["residence"].to_numpy() == Residence.LEFT,
             "course": f["in_course"].to_numpy().astype(bool),
             "exam_passed": f["exam"].to_numpy() == Exam.PASSED,
             "exam_exempted": f["exam"].to_numpy() == Exam.EXEMPTED,
             "first_job": f["employed"].to_numpy().astype(bool) & here,
             "benefit": f["on_benefit"].to_numpy().astype(bool) & here}
    if key in first:
        assert _first(first[key]) == value, (key, value, _first(first[key]))
    elif key == "months_worked":
        assert int((f["employed"].to_numpy().astype(bool) & here).sum()) == value
    elif key == "route":
        assert int(f["route"].iloc[_first(first["course"])]) == value


def check_bijstand(claims: dict, f: pd.DataFrame) -> None:
    """'Lives on bijstand until m, with n short returns' / 'still on it at the end' against the trace."""
    on = f["on_benefit"].to_numpy().astype(bool) & (f["residence"].to_numpy() != Residence.LEFT)
    spells = _runs(on)
    off = claims["off_benefit"]
    if off is None:  # on bijstand at the end, or until leaving the Netherlands
        left = _first(f["residence"].to_numpy() == Residence.LEFT)
        end = left if left is not None else len(on)
        assert spells and spells[-1][0] + spells[-1][1] == end, ("still on bijstand", spells)
        return
    ending = [i for i, (s, n) in enumerate(spells) if s + n == off]
    assert ending, ("leaves bijstand at", off, spells)
    i = ending[0]
    assert i == 0 or spells[i][1] > P.SHORT_RETURN, ("the spell left is a short one", spells)
    later = spells[i + 1:]
    assert len(later) == claims["short_returns"], (claims, spells)
    assert all(n <= P.SHORT_RETURN for _, n in later), ("a long spell told as a short return", spells)


def test_every_sentence_holds_in_the_trace_the_chart_draws(comparison):
    out = comparison / "stories"
    stories = json.loads((out / "stories.json").read_text())
    assert {s["key"] for s in stories} == {p.key for p in P.PERSONAS}
    checked = set()
    for st in stories:
        trace = pd.read_csv(out / f"{st['key']}.csv")
        assert set(st["claims"]) == {"baseline", "vwn_position"}
        for scen, claims in st["claims"].items():
            f = trace[trace["scenario"] == scen].reset_index(drop=True)
            # the chart draws the trace: each lane's spells are exactly the months in that state
            for lane, spells in st["timeline"][scen].items():
                drawn = np.zeros(len(f), int)
                for _state, start, months in spells:
                    drawn[start:start + months] += 1
                assert drawn.max(initial=0) <= 1, (st["key"], scen, lane)
                states = dict(P.LANES[lane])
                here = (f["residence"].to_numpy() != Residence.LEFT) | (lane == "housing")
                want = np.zeros(len(f), bool)
                for state, months_in in states.items():
                    want |= np.asarray(months_in(f), bool)
                assert (drawn.astype(bool) == (want & here)).all(), (st["key"], scen, lane)
            for text, claim in zip(st["sentences"][scen], claims):
                for key, value in claim.items():
                    check_claim(key, value, f)
                    checked.add(key)
                    if key in ("housed", "course", "exam_passed", "exam_exempted", "first_job", "left",
                               "intake") and value:
                        assert S.when(value, LANG) in text, (key, value, text)
                if "off_benefit" in claim:
                    check_bijstand(claim, f)
                    if claim["off_benefit"] is not None:
                        assert S.duration(claim["off_benefit"], LANG) in text, text
                    checked.add("off_benefit")
    assert {"housed", "course", "first_job", "off_benefit"} <= checked
    assert checked & {"exam_passed", "exam_exempted"}


def test_the_report_says_how_the_persons_are_chosen(comparison):
    html = (comparison / f"report.{LANG}.html").read_text()
    assert S.intro(LANG) in html
    assert S.method(LANG).split("</b>")[0] in html


def _frame(months: int = 121, **on: list[tuple[int, int]]) -> pd.DataFrame:
    """A trace of a person housed from month 12, with the given spells of 0/1 columns."""
    f = pd.DataFrame({"month": np.arange(months)})
    f["residence"] = np.where(f["month"] < 12, int(Residence.RECEPTION), int(Residence.HOUSED))
    for col in ("in_course", "route", "exam", "study", "employed", "hours", "on_benefit", "permit",
                "poor_health", "volunteering"):
        f[col] = 0
    f["language"] = 1.0
    f["ti_intake"] = np.nan
    for col, spells in on.items():
        for start, n in spells:
            f.loc[start:start + n - 1, col] = 1
    return f


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_short_returns_to_bijstand_are_told_as_such(lang):
    """On bijstand from month 12 to 59, then three single months: off from year 5, three short returns."""
    f = _frame(on_benefit=[(12, 48), (70, 1), (85, 1), (100, 1)])
    life = P.Life.of("x", f)
    assert (life.events["off_benefit"], life.events["short_returns"]) == (60, 3)
    said = [s for s in S.told("Farida", life.events, lang, True) if "off_benefit" in s.claims]
    assert len(said) == 1 and said[0].claims == {"off_benefit": 60, "short_returns": 3}
    assert S.duration(60, lang) in said[0].text and "3" in said[0].text
    check_bijstand(said[0].claims, f)
    # a return longer than a short one is time on bijstand again: on it at the end here
    f = _frame(on_benefit=[(12, 48), (70, 1), (100, 21)])
    life = P.Life.of("x", f)
    assert life.events["off_benefit"] is None and life.events["end_benefit"]
    assert [s.claims for s in S.told("Farida", life.events, lang, True) if "off_benefit" in s.claims] == [
        {"off_benefit": None}]


def test_the_typical_person_is_on_the_typical_path():
    """Three of four persons like her take route 2, pass and find work around 3 years; the fourth,
    with the most middling ability, was put on route 4 by chance: she is not the one followed."""
    def path(route, job, housed=10.0):
        return (route, "met", True), np.array([housed, 12, 30, job, 50, 60], float)

    group = [[path(4, 36)], [path(2, 30)], [path(2, 37, housed=14)], [path(2, 44)]]
    typical = [P.typical_path([g[0] for g in group])]
    assert typical[0][0] == (2, "met", True)
    ability = np.array([0.0, 1.5, -0.4, 0.3])
    assert P.most_typical(group, typical, ability) == 2  # nearest the medians (37 months to a job)
    # among equally typical persons, the ability nearest the middle decides
    assert P.most_typical([group[1], group[1]], typical, np.array([0.9, -0.2])) == 1


def test_every_persona_is_described_in_every_language():
    for p in P.PERSONAS:
        for lang in i18n.LANGUAGES:
            words = i18n.persona(p.key, lang, age=33)
            assert words != p.key and "33" in words, (p.key, lang)


def _svg_words(path) -> list[str]:
    import html
    import re

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text())]


def test_the_dutch_charts_show_no_code_names(comparison):
    import re

    from model.costs import PARAMS as COST_PARAMS

    keys = {"baseline", "vwn_position"} | {p.name for p in COST_PARAMS if "_" in p.name}
    charts = sorted((comparison / "charts").glob("*.svg")) + sorted((comparison / "stories").glob("*.svg"))
    assert len(charts) >= 10
    for svg in charts:
        for words in _svg_words(svg):
            plain = re.sub(r"\S+/\S+", "", words)  # file paths (model/costs.py) may stay
            assert not [k for k in keys if re.search(rf"\b{k}\b", plain)], (svg.name, words)
    stages = " ".join(_svg_words(comparison / "charts" / "c_stages.svg"))
    assert i18n.t("z_route_ends", LANG) in stages
    assert "24" in re.sub(r"\s+", " ", stages).split("Stippellijn")[1][:80]


def test_every_unit_cost_has_words():
    from model.costs import PARAMS as COST_PARAMS

    for p in COST_PARAMS:
        for lang in i18n.LANGUAGES:
            assert p.name in i18n.COST_UNITS and lang in i18n.COST_UNITS[p.name], (p.name, lang)
