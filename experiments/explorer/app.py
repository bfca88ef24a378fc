"""The explorer's page: controls for every lever, charts against the baseline, evidence, export.

Built on Solara, as Mesa's own ``SolaraViz`` is, but not on ``SolaraViz`` itself: that steps one
model instance and draws its agents, while a setting here is judged on an ensemble of paired runs
of a cohort (the comparison's design), summarised with intervals. The controls follow Mesa's
``model_params`` idea, one input per declared parameter, built from the lever declarations in
``model/policy.py`` (meaning, unit and range). Start with ``python -m experiments.dashboard``.
"""

from __future__ import annotations

import os
import time
from html import escape

import solara
import solara.lab

from experiments.explorer import charts as C
from experiments.explorer import runner as R
from experiments.explorer.bridge import i18n
from experiments.explorer.server import LANGUAGE_ENV
from experiments.explorer.setting import (BY_NAME, LAWS, YEARS, Setting, compare_command, lever_groups,
                                          scenario_yaml, step)
from experiments.explorer.words import LANGUAGES, lever_doc, lever_name, lever_unit, num, w
from model.config import SCENARIO_DIR, scenario_names

OPTIONS = R.Options()


def default_language() -> str:
    lang = os.environ.get(LANGUAGE_ENV, "en")
    return lang if lang in LANGUAGES else "en"


def demand_title(demand: str, lang: str) -> str:
    """``D1 Municipal role`` (the report's name of the demand's scenario)."""
    if demand == "scope":
        return w("scope", lang)
    n = int(demand[1:])
    names = [s for s in i18n.SCENARIO_NAMES if s.startswith(f"d{n}_")]
    return i18n.scenario_name(names[0], lang) if names else demand


def lever_caption(p, lang: str) -> str:
    """What a lever means, its unit, its range and today's value, from its declaration."""
    rng = "" if p.kind in ("flag", "choice") else \
        f"; {w('range', lang)} {num(p.low, lang, 2)}-{num(p.high, lang, 2)}"
    today = p.default if p.kind == "choice" else (
        (w("on", lang) if p.default else w("off", lang)) if p.kind == "flag" else num(p.default, lang, 2))
    return (f"{lever_doc(p.name, lang)} ({w('unit', lang)}: {lever_unit(p.name, lang)}{rng}; "
            f"{w('today', lang)}: {today})")


def delivered_text(p, value: tuple, lang: str) -> str:
    """``x1.5 asked, x1.3 delivered within today's staff capacity`` (with the range over the
    replications when their drawn staff capacity differs)."""
    asked, mid, lo, hi = value
    x = "x" if p.kind == "multiplier" else ""
    text = w("delivered", lang, asked=x + num(asked, lang, 2), delivered=x + num(mid, lang, 2))
    if num(lo, lang, 2) != num(hi, lang, 2):
        text += " (" + w("delivered_range", lang, lo=x + num(lo, lang, 2), hi=x + num(hi, lang, 2)) + ")"
    return text


def Html(tag: str, text: str, raw: bool = False, classes: list[str] | None = None):
    """Text in an HTML element (no Markdown component: its math renderer would load from a CDN)."""
    return solara.HTML(tag=tag, unsafe_innerHTML=text if raw else escape(text), classes=classes or [],
                       style={"margin": "4px 0"} if tag != "pre" else
                       {"background": "#f4f4f4", "padding": "8px", "white-space": "pre-wrap", "font-size": "12px"})


def Table(head, rows, classes: list[str] | None = None):
    """A plain HTML table of text cells."""
    cell = "padding:3px 6px;border-bottom:1px solid #ddd;vertical-align:top;font-size:12px"
    th = "".join(f"<th style='{cell};text-align:left'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td style='{cell}'>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody>",
                       style={"border-collapse": "collapse"}, classes=classes or [])


@solara.component
def Chart(draw, dependencies: list):
    """A chart drawn once for its ``dependencies`` (the result and the language), not again on every
    render of the page (a progress message re-renders it each time a run finishes)."""
    fig = solara.use_memo(draw, dependencies)
    solara.FigureMatplotlib(fig, dependencies=dependencies, format="png", dpi=90)


@solara.component
def LeverControl(p, value, start, on_value, lang: str, delivered: tuple | None = None):
    """One lever: a slider and an exact number, a switch or a choice, with its meaning, unit and
    range in words, and what the staff capacity delivers of it when that is less."""
    changed = value != start
    label = lever_name(p.name, lang) + (f"  ({w('changed', lang)})" if changed else "")
    with solara.Column(gap="0px", classes=[f"lever-{p.name}"], style={"margin-bottom": "10px"}):
        if p.kind == "flag":
            solara.Switch(label=label, value=bool(value), on_value=on_value)
        elif p.kind == "choice":
            solara.Select(label=label, value=str(value), values=list(p.choices), on_value=on_value)
        else:
            # the name above the slider: a long name beside it leaves the slider no room
            solara.Text(label, style={"font-size": "14px", "color": "#555"})
            solara.SliderFloat(label="", value=float(value), min=float(p.low), max=float(p.high),
                               step=step(p), on_value=on_value, thumb_label=False)
            with solara.Row(style={"align-items": "center"}):
                solara.InputFloat(label=p.name, value=float(value), on_value=on_value,
                                  continuous_update=False, classes=[f"input-{p.name}"],
                                  style={"max-width": "110px"})
        solara.Text(lever_caption(p, lang), style={"font-size": "11px", "color": "#555"})
        if delivered is not None:
            solara.Text(delivered_text(p, delivered, lang), classes=[f"delivered-{p.name}"],
                        style={"font-size": "11px", "color": "#a04000"})


@solara.component
def Controls(setting: Setting, on_setting, lang: str, start_policy, delivered: dict | None = None):
    """The scenario to start from, the cohort, the reset, and every lever grouped by demand
    (``delivered``: the staff levers the staff capacity limits, :func:`runner.delivered`)."""
    def choose(name):
        on_setting(Setting.from_scenario(name, start_policy(name, setting), setting.year, setting.law))

    def set_year(y):
        on_setting(Setting(setting.scenario, int(y), setting.law, setting.levers, setting.start))

    def set_law(x):
        on_setting(Setting(setting.scenario, setting.year, x, setting.levers, setting.start))

    def reset():
        on_setting(Setting.from_scenario("baseline", start_policy("baseline", None)))

    solara.Select(label=w("start", lang), value=setting.scenario, values=scenario_names(), on_value=choose)
    with solara.Row():
        solara.Select(label=w("year", lang), value=str(setting.year), values=[str(y) for y in YEARS],
                      on_value=set_year)
        solara.Select(label=w("law", lang), value=setting.law, values=list(LAWS), on_value=set_law)
    solara.Text(f"auto = {w('law_auto', lang)}", style={"font-size": "11px", "color": "#555"})
    solara.Button(w("reset", lang), on_click=reset, outlined=True, classes=["reset"])
    Html("b", w("levers", lang))
    values, start = setting.values, dict(setting.start)
    for demand, params in lever_groups():
        n_changed = sum(values[p.name] != start[p.name] for p in params)
        title = demand_title(demand, lang) + (f" ({n_changed} {w('changed', lang)})" if n_changed else "")
        with solara.Details(summary=title, expand=demand == "D1"):
            for p in params:
                LeverControl(p, values[p.name], start[p.name],
                             lambda v, name=p.name: on_setting(setting.set(name, v)), lang,
                             (delivered or {}).get(p.name))


@solara.component
def Headline(result: R.Result, lang: str):
    """The setting's effect on participation after 5 years, with its interval, in words."""
    h = result.headline()
    e = result.headline("employed")
    if not h:
        return
    with solara.Card(classes=["headline"]):
        Html("h3", w("headline", lang, diff=num(h["diff_median"], lang, 1, sign=True),
                     lo=num(h["diff_p05"], lang, 1), hi=num(h["diff_p95"], lang, 1)), classes=["headline-effect"])
        solara.Text(w("headline_levels", lang, alt=num(h["median"], lang), alo=num(h["p05"], lang),
                      ahi=num(h["p95"], lang), base=num(h["base_median"], lang), blo=num(h["base_p05"], lang),
                      bhi=num(h["base_p95"], lang), better=num(h["share_better"], lang, 0)))
        solara.Text(" | " + w("employment_line", lang, diff=num(e["diff_median"], lang, 1, sign=True),
                              lo=num(e["diff_p05"], lang, 1), hi=num(e["diff_p95"], lang, 1)))


@solara.component
def EvidencePanel(result: R.Result, lang: str):
    Html("p", w("evidence_intro", lang))
    if result.evidence is None or not len(result.evidence):
        solara.Info(w("evidence_none", lang))
        return
    Chart(lambda: C.evidence_chart(result, lang), [id(result), lang])
    head = [w(k, lang) for k in ("col_demand", "col_years", "col_evidence", "col_model", "col_verdict", "col_basis")]
    rows = []
    for r in result.evidence.itertuples():
        name = w("all_demands", lang) if r.demand == "full" else r.demand
        rows.append((name, str(r.horizon_years),
                     f"{num(r.low_pp, lang)} .. {num(r.high_pp, lang)} ({num(r.central_pp, lang)})",
                     f"{num(r.diff_median, lang, 1, sign=True)} ({num(r.diff_p05, lang)} .. {num(r.diff_p95, lang)})",
                     w(r.verdict, lang), f"{i18n.evidence_basis(r.demand, r.horizon_years, r.basis, lang)} "
                     f"({r.evidence_ids.replace(';', ', ')})"))
    Table(head, rows, classes=["evidence-table"])


@solara.component
def StoryPanel(result: R.Result, lang: str, alt_label: str):
    who, set_who = solara.use_state(0)
    labels = (i18n.scenario_name("baseline", lang), alt_label)
    task = solara.lab.use_task(lambda: R.stories(result, lang, labels), dependencies=[id(result), lang])
    solara.Text(w("story_note", lang, seed=result.options.seed_start), style={"font-size": "12px"})
    if task.pending or task.value is None:
        solara.Text(w("story_wait", lang))
        solara.ProgressLinear(True)
        return
    stories = task.value
    if not stories:
        return
    who = min(who, len(stories) - 1)
    solara.ToggleButtonsSingle(value=stories[who].name, values=[s.name for s in stories],
                               on_value=lambda n: set_who([s.name for s in stories].index(n)))
    s = stories[who]
    Html("p", f"<b>{escape(s.name)}</b>: {escape(s.description)}", raw=True)
    solara.Image(s.png, width="100%")
    for key, label in (("baseline", labels[0]), ("setting", labels[1])):
        Html("p", f"<i>{escape(label)}</i>: " + escape(" ".join(s.sentences[key])), raw=True)
    Html("b", s.contrast)


@solara.component
def ExportPanel(result: R.Result, lang: str, baseline_policy: dict):
    s = result.setting
    text = scenario_yaml(s, baseline_policy)
    cmd = compare_command(s, result.options.size, result.options.replications, result.options.seed_start, lang)
    saved, set_saved = solara.use_state("")

    def save():
        path = SCENARIO_DIR / f"{s.name()}.yaml"
        path.write_text(text, encoding="utf-8")
        set_saved(str(path.relative_to(SCENARIO_DIR.parent)))

    Html("p", w("export_intro", lang))
    Html("pre", text, classes=["scenario-file"])
    with solara.Row():
        solara.FileDownload(text.encode(), filename=f"{s.name()}.yaml", label=w("download", lang))
        solara.Button(w("save", lang), on_click=save, classes=["save-scenario"])
    if saved:
        solara.Success(w("saved", lang, path=saved))
    Html("b", w("command", lang))
    Html("pre", cmd, classes=["compare-command"])
    h = result.headline()
    solara.Text(f"summary.csv, participating, all, 5 years: diff_median {h['diff_median']:.4f}, "
                f"diff_p05 {h['diff_p05']:.4f}, diff_p95 {h['diff_p95']:.4f}", classes=["effect-exact"],
                style={"font-size": "11px", "font-family": "monospace"})


def start_policy(name: str, setting: Setting | None) -> dict:
    return R.scenario_policy(name, setting, OPTIONS.size)


@solara.component
def Page():
    lang, set_lang = solara.use_state(default_language())
    first = solara.use_memo(lambda: Setting.from_scenario("baseline", start_policy("baseline", None)), [])
    setting, set_setting = solara.use_state(first)
    status, set_status = solara.use_state(None)  # (word, values): shown in the page's language
    ref = solara.use_ref(None)

    def work():
        t0 = time.perf_counter()
        set_status(("composing", {}))

        def progress(done, total):
            set_status(("running", {"done": done, "total": total}))
            task.progress = 100.0 * done / total if total else 100.0

        result = R.compute(setting, OPTIONS, progress, cancelled=lambda: not ref.current.is_current())
        set_status(("up_to_date", {"seconds": time.perf_counter() - t0}))
        return result

    task = solara.lab.use_task(work, dependencies=[setting])
    ref.current = task
    result = task.latest
    alt_label = w("setting", lang) + (f" ({setting.scenario})" if setting.scenario != "baseline" else "")
    baseline_policy = start_policy("baseline", setting)

    solara.Title("integration-sim explorer")
    with solara.AppBar():
        solara.Button(w("language", lang), text=True, on_click=lambda: set_lang("nl" if lang == "en" else "en"),
                      classes=["language"])
    # what the staff capacity delivers of the staff levers, once the runs of this setting are in
    delivered = result.delivered if result is not None and result.setting == setting else {}
    with solara.Sidebar():
        Controls(setting, set_setting, lang, start_policy, delivered)
    with solara.Column(style={"padding": "12px"}):
        Html("h2", w("title", lang))
        solara.Text(w("quick", lang, reps=OPTIONS.replications, size=num(OPTIONS.size, lang, 0)),
                    style={"font-size": "12px", "color": "#555"})
        changes = setting.changes()
        start = i18n.scenario_name(setting.scenario, lang)
        solara.Text(w("setting_line", lang, scenario=start, changes=", ".join(
            f"{k} = {v}" for k, v in sorted(changes.items()))) if changes else
            w("setting_line_none", lang, scenario=start), classes=["setting-line"])
        for name, value in delivered.items():
            solara.Text(f"{lever_name(name, lang)}: {delivered_text(BY_NAME[name], value, lang)}",
                        classes=["delivered"], style={"font-size": "12px", "color": "#a04000"})
        if task.pending:
            solara.ProgressLinear(task.progress if task.progress else True)
        if status:
            key, values = status
            values = {k: num(x, lang, 1) if isinstance(x, float) else x for k, x in values.items()}
            solara.Text(w(key, lang, **values), classes=["status"])
        if task.error:
            solara.Error(w("failed", lang, error=str(task.exception)))
        if result is None:
            return
        Headline(result, lang)
        solara.Text(f"{w('showing', lang)}: {result.setting.name()}" + (
            "" if result.setting == setting else f" ({w('updating', lang)})"), classes=["result-of"],
            style={"font-size": "11px", "color": "#555"})
        with solara.lab.Tabs(lazy=True):  # draw only the tab that is open
            with solara.lab.Tab(w("tab_time", lang)):
                Chart(lambda: C.time_chart(result, lang, alt_label), [id(result), lang, alt_label])
            with solara.lab.Tab(w("tab_groups", lang)):
                Chart(lambda: C.groups_chart(result, lang), [id(result), lang])
            with solara.lab.Tab(w("tab_costs", lang)):
                Chart(lambda: C.costs_chart(result, lang), [id(result), lang])
            with solara.lab.Tab(w("tab_evidence", lang)):
                EvidencePanel(result, lang)
            with solara.lab.Tab(w("tab_story", lang)):
                StoryPanel(result, lang, alt_label)
            with solara.lab.Tab(w("tab_export", lang)):
                ExportPanel(result, lang, baseline_policy)
        if result.notes:
            solara.Text(f"{w('notes', lang)}: " + "; ".join(result.notes), style={"font-size": "11px"})

