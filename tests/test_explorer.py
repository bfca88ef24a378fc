"""The explorer's parts without a browser or model runs: the setting and what it exports, the
components rendered by Solara's test renderer, the charts, and the command's input checks.

The page in a real browser, against ``experiments.compare``, is ``tests/test_explorer_browser.py``
(slow tier).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

solara = pytest.importorskip("solara")
import ipyvuetify as v  # noqa: E402

from experiments.explorer import app as A  # noqa: E402
from experiments.explorer import charts as C  # noqa: E402
from experiments.explorer import runner as R  # noqa: E402
from experiments.explorer.setting import CONTROL_LEVERS, Setting, compare_command, scenario_yaml  # noqa: E402
from experiments.explorer.words import lever_doc, lever_name, lever_unit, w  # noqa: E402
from model.config import ROOT  # noqa: E402
from model.policy import LEVERS  # noqa: E402

POLICY = {p.name: p.default for p in LEVERS}
SEEDS = [0, 1, 2, 3]


def base_setting() -> Setting:
    return Setting.from_scenario("baseline", POLICY)


# ---- the setting ------------------------------------------------------------------------------
def test_setting_changes_name_and_demands():
    s = base_setting().set("support_level", 1.5)
    assert s.changes() == {"support_level": 1.5}
    assert s.demands(POLICY) == ["D1"]
    assert s.name() == "explorer_baseline_support_level1p5"
    assert base_setting().set("support_level", 1.0).changes() == {}
    both = s.set("discrimination", 0.1)
    assert both.demands(POLICY) == ["D1", "D11"]


def test_scenario_file_and_command():
    s = base_setting().set("support_level", 1.5)
    doc = yaml.safe_load(scenario_yaml(s, POLICY))
    assert doc["policy"] == {"support_level": 1.5}
    assert doc["scenario_info"]["demand"] == "D1"
    assert "defaults" not in doc  # starts from the baseline: nothing to include
    d1 = Setting.from_scenario("d1_municipal_role", dict(POLICY, support_level=2.0, start_in_reception=True),
                               year=2016, law="2013").set("support_level", 1.5)
    doc = yaml.safe_load(scenario_yaml(d1, POLICY))
    assert doc["defaults"] == ["d1_municipal_role", "_self_"] and doc["policy"] == {"support_level": 1.5}
    cmd = compare_command(d1, 2000, 10, language="nl")
    assert cmd.startswith("python -m experiments.compare scenarios=[baseline,explorer_d1_municipal_role_")
    for part in ("replications=10", "population.size=2000", "population.permit_year=2016", "policy.law=2013",
                 "report.language=nl"):
        assert part in cmd.split()


# ---- synthetic runs --------------------------------------------------------------------------------
def synthetic_result(setting: Setting | None = None) -> R.Result:
    """A Result from made-up runs: the setting adds 2 + seed/10 points to every share."""
    setting = setting or base_setting().set("support_level", 1.5)
    rows = []
    for scen, extra in (("baseline", 0.0), ("setting", 2.0)):
        for k in SEEDS:
            for m in range(0, 121):
                for group in ("all", "sex=female", "origin=Syria"):
                    if group != "all" and m % 12:
                        continue
                    for o, scale in (("participating", 0.6), ("employed", 0.45), ("volunteering", 0.05)):
                        base = min(90.0, scale * m + k)
                        add = 0.0 if o == "volunteering" else (extra + k / 10 if scen == "setting" else 0.0)
                        rows.append((scen, k, m, group, o, round(base + add, 4), 100))
    tidy = pd.DataFrame(rows, columns=["scenario", "seed", "month", "group", "outcome", "value", "n"])
    costs = pd.DataFrame([(scen, k, y, item, 1000.0 * y + (50 if scen == "setting" else 0), 0.0)
                          for scen in ("baseline", "setting") for k in SEEDS for y in range(1, 11)
                          for item in ("reception", "benefits", "support", "earnings")],
                         columns=["scenario", "seed", "year", "item", "eur_per_person", "eur_total"])
    des = R.Design(base={k: {"policy": POLICY} for k in SEEDS}, alt={k: {} for k in SEEDS},
                   sets=None, levers=None, notes=[])
    opt = R.Options(size=1000, replications=len(SEEDS))
    return R.summarise(setting, opt, des, tidy, costs)


def test_summary_is_the_paired_difference():
    r = synthetic_result()
    h = r.headline()
    diffs = [2 + k / 10 for k in SEEDS]
    assert h["diff_median"] == pytest.approx(np.median(diffs), abs=1e-4)
    assert h["diff_p05"] == pytest.approx(np.percentile(diffs, 5), abs=1e-4)
    assert h["diff_p95"] == pytest.approx(np.percentile(diffs, 95), abs=1e-4)
    assert R.effect_at(r, "participating", 5) == pytest.approx((h["diff_median"], h["diff_p05"], h["diff_p95"]),
                                                              abs=1e-4)
    ev = r.evidence
    assert list(ev.demand) == ["D1", "D1"] and set(ev.horizon_years) == {3, 5}


# ---- components (Solara's test renderer) -----------------------------------------------------------
def html(box, cls: str) -> str:
    """The inner HTML of the element with class ``cls`` in a rendered tree."""
    stack = [box]
    while stack:
        w = stack.pop()
        if cls in str(getattr(w, "attributes", {}).get("class", "")):
            return w.unsafe_innerHTML
        stack.extend(c for c in getattr(w, "children", []) or [] if hasattr(c, "keys"))
    raise AssertionError(f"no element of class {cls}")


def test_controls_show_every_lever_with_its_declaration():
    got = []
    box, rc = solara.render(A.Controls(base_setting(), got.append, "en", lambda name, s: POLICY),
                            handle_error=False)
    numeric = [p for p in CONTROL_LEVERS if p.kind not in ("flag", "choice")]
    sliders = rc.find(v.Slider).widgets
    assert len(sliders) == len(numeric)
    for p, s in zip(numeric, sliders):
        assert (s.min, s.max) == (float(p.low), float(p.high))
    text = " ".join(str(getattr(w, "children", "")) for w in rc.find(v.Html).widgets)
    for p in CONTROL_LEVERS:  # each lever's meaning and unit in words, from the translation file
        assert lever_doc(p.name, "en") in text and lever_unit(p.name, "en") in text
    assert len(rc.find(v.Switch).widgets) == sum(p.kind == "flag" for p in CONTROL_LEVERS)
    # typing an exact value moves the lever
    rc.find(v.TextField, label="support_level").widget.v_model = "1.5"
    rc.find(v.TextField, label="support_level").widget.fire_event("focusout")
    assert got and got[-1].changes() == {"support_level": 1.5}
    rc.find(v.Btn, children=["Reset to the baseline"]).widget.click()
    assert got[-1].scenario == "baseline" and got[-1].changes() == {}
    rc.close()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_headline_evidence_and_export(lang):
    r = synthetic_result()
    from experiments.presentation.i18n import number

    h = r.headline()
    box, rc = solara.render(A.Headline(r, lang), handle_error=False)
    head = html(box, "headline-effect")
    for x in ("diff_median", "diff_p05", "diff_p95"):
        assert number(h[x], lang, 1).lstrip("+") in head
    rc.close()
    box, rc = solara.render(A.ExportPanel(r, lang, POLICY), handle_error=False)
    assert "support_level: 1.5" in html(box, "scenario-file")
    assert "scenarios=[baseline,explorer_baseline_support_level1p5]" in html(box, "compare-command")
    rc.close()
    box, rc = solara.render(A.EvidencePanel(r, lang), handle_error=False)
    assert "D1" in html(box, "evidence-table")
    rc.close()


def test_charts_have_labels_legends_and_bands():
    r = synthetic_result()
    fig = C.time_chart(r, "en", "This setting")
    axes = fig.get_axes()
    assert len(axes) == 4
    for ax in axes:
        assert ax.get_ylabel() and ax.get_legend() is not None or ax in axes[1:2]
        assert ax.collections  # the 90% bands
    assert axes[2].get_xlabel() == "Years since permit"
    for f in (C.groups_chart(r, "nl"), C.costs_chart(r, "en"), C.evidence_chart(r, "en")):
        ax = f.get_axes()[0]
        assert ax.get_xlabel() and ax.get_legend() is not None


# ---- the command -------------------------------------------------------------------------------
@pytest.mark.parametrize("arg, key", [("port=80", "port"), ("port=abc", "port"), ("language=de", "language"),
                                      ("colour=red", "colour"), ("8765", "8765")])
def test_bad_input_names_key_value_and_what_is_allowed(arg, key):
    from experiments.dashboard import parse
    from model.errors import ConfigError

    with pytest.raises(ConfigError) as e:
        parse([arg])
    assert str(e.value).startswith(f"{key}=") and "expected" in str(e.value)


def test_port_in_use_and_exit_code():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "experiments.dashboard", f"port={port}"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines == [f"error: port={port} is not allowed: expected a free port on 127.0.0.1 (this one is in use)"]


def test_binds_to_loopback_only(monkeypatch):
    import uvicorn

    from experiments.explorer import server

    seen = {}

    class Fake:
        def __init__(self, config):
            seen["host"], seen["port"] = config.host, config.port
            self.started, self.should_exit = True, False

        def run(self):
            return None

    monkeypatch.setattr(uvicorn, "Server", Fake)
    started = []
    monkeypatch.setattr(R, "pool", lambda n: started.append("pool"))
    monkeypatch.setattr(R, "start_baseline", lambda opt: started.append("baseline"))
    monkeypatch.setattr(R, "shutdown", lambda: started.append("stopped"))
    monkeypatch.setattr("os.environ", dict(__import__("os").environ))
    server.serve(8799, "en")
    assert seen == {"host": "127.0.0.1", "port": 8799}
    assert started == ["pool", "baseline", "stopped"]  # workers and baseline runs start with the server
    assert server.HOST == "127.0.0.1"


# ---- runs in memory ------------------------------------------------------------------------------
def test_a_run_in_memory_has_the_numbers_of_the_comparisons_tables():
    """The explorer's arrays of a run are the rows of the comparison's tables its loader keeps."""
    from experiments.explorer import arrays
    from experiments.explorer.bridge import costs_table, keep_rows, tidy_outcomes
    from experiments.runs.compose import load
    from model.model import simulate

    cfg = load("d1_municipal_role", ["population.size=300", "seed=3"])
    result = simulate(cfg)
    a = arrays.run(cfg.to_dict())
    out, costs = arrays.tables([a, a], [3, 4], "setting")
    want = keep_rows(tidy_outcomes(result)).reset_index(drop=True)
    got = out[out.seed == 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[list(want.columns)], want, check_dtype=False)
    want_costs = costs_table(result)
    got_costs = costs[costs.seed == 4].reset_index(drop=True)
    pd.testing.assert_frame_equal(got_costs[list(want_costs.columns)], want_costs, check_dtype=False)


def test_runs_are_kept_by_configuration_and_model(tmp_path):
    from experiments.explorer import arrays

    a = {"value": np.array([1.5, np.nan]), "n": np.array([3, 0])}
    arrays.write(tmp_path, "abc", a)
    back = arrays.read(tmp_path, "abc")
    np.testing.assert_array_equal(back["value"], a["value"])
    assert arrays.read(tmp_path, "other") is None
    assert arrays.key("h1") != arrays.key("h2") and len(arrays.key("h1")) == 32


# ---- words ------------------------------------------------------------------------------------------
def test_every_lever_has_its_words_in_both_languages():
    from experiments.presentation import i18n

    for lang in i18n.LANGUAGES:
        for p in LEVERS:
            for get in (lever_name, lever_doc, lever_unit):
                assert get(p.name, lang).strip(), (lang, p.name, get.__name__)
    # the Dutch page is Dutch: no lever reads as in English
    for p in LEVERS:
        assert lever_doc(p.name, "nl") != lever_doc(p.name, "en"), p.name


def test_the_explorers_words_come_after_the_reports_in_the_translation_files():
    from experiments.presentation import i18n

    for lang in i18n.LANGUAGES:
        assert list(i18n.words(lang))[-1] == "explorer", lang


@pytest.mark.parametrize("lang, start", [("en", "Starting from "), ("nl", "Uitgangspunt ")])
def test_setting_line_and_what_the_staff_deliver(lang, start):
    r = synthetic_result()
    r.delivered = {"support_level": (1.5, 1.3, 1.25, 1.35)}

    @solara.component
    def Page():
        A.Controls(r.setting, lambda s: None, lang, lambda name, s: POLICY, r.delivered)

    box, rc = solara.render(Page(), handle_error=False)
    text = " ".join(str(getattr(x, "children", "")) for x in rc.find(v.Html).widgets)
    x13 = "x1,30" if lang == "nl" else "x1.30"
    assert x13 in text and ("asked" in text if lang == "en" else "gevraagd" in text)
    assert lever_name("support_level", lang) in text
    rc.close()
    line = w("setting_line", lang, scenario="Basis", changes="support_level = 1.5")
    assert line.startswith(start) and "support_level = 1.5" in line


def test_staff_capacity_limits_the_support_asked():
    """support x1.5 and x1.6 are both beyond today's staff capacity: the Policy delivers less."""
    r15 = R.delivered(R.design(Setting.from_scenario("baseline", R.scenario_policy("baseline"))
                               .set("support_level", 1.5), R.Options(replications=4)))
    asked, mid, lo, hi = r15["support_level"]
    assert asked == 1.5 and 1.0 < lo <= mid <= hi < 1.5
