"""The report's sections between the summary and the tables: what is measured, where each demand
acts, model and evidence, the whole against its parts, where the uncertainty comes from, and the
charts, stories and provenance."""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd

from experiments.presentation import i18n
from experiments.runs.summary import PARTS
from experiments.presentation.report.inputs import E, ReportInput, plain_paths
from experiments.presentation.report.methods import ensemble_split, ensemble_text, levers_text
from experiments.presentation.report.numbers import (first_row, interval, points, pp, pp_short,
                                                     seeds_short, spread_sentence)
from experiments.presentation.report.tables import scenario_cell

# ---- what is measured ---------------------------------------------------------------------------
#: participation and its parts, then feeling at home, and whether each rests on an assumption (no
#: published figure is used); what each is in plain words, where it is measured, how the model's
#: measure maps onto it and how sure it is
MEASURES: tuple[tuple[str, bool], ...] = (
    ("participating", False),
    ("employed", False),
    ("in_education", False),
    ("volunteering", True),
    ("belonging", True),
)
#: the table's columns: words in the translation files, section ``measures``, ``<outcome>_<column>``
COLUMNS = ("what", "where", "model", "sure")


def measures_html(inp: ReportInput) -> str:
    """What participation, its parts and feeling at home are, where they are measured, how the model
    maps onto them and how sure each is (a tag where a part rests on an assumption)."""
    L = inp.lang
    rows = []
    for outcome, assumption in MEASURES:
        w = {c: i18n.MEASURE_WORDS[f"{outcome}_{c}"][L] for c in COLUMNS}
        tag = (" <span class='ass'>" + (i18n.say("assumption_no_published_figure", L)) + "</span>") if assumption else ""
        rows.append(f"<tr><th class='sc'>{E(i18n.outcome_short(outcome, L))}</th>"
                    f"<td>{w['what']}</td><td>{w['where']}</td><td>{w['model']}</td>"
                    f"<td>{w['sure']}{tag}</td></tr>")
    head = [i18n.say(f"measures_head_{c}", L) for c in ("outcome",) + COLUMNS]
    return ("<table class='t scen measures'><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")




# ---- where each demand acts -----------------------------------------------------------------------
def acting_outcomes(S: pd.DataFrame, scenario: str) -> list[tuple[str, int, pd.Series | None, pd.Series | None]]:
    """The outcomes on which ``scenario`` has a clear effect (the 90% interval of the paired
    difference excludes zero, and the median is at least 0.05 in size) in any year: (outcome, first
    such year, row after 5 years, row after 10 years), in the summary's outcome order; in education
    and other participation are left out where their exclusive parts are there."""
    s = S[(S["scenario"] == scenario) & (S["group"] == "all")]
    out = []
    names = list(dict.fromkeys(s["outcome"]))
    if all(p in names for p in PARTS):  # the exclusive parts say it; their overlapping wholes would repeat it
        names = [o for o in names if o not in ("in_education", "volunteering")]
    for o in names:
        g = s[s["outcome"] == o].sort_values("years")
        # clear: the 90% interval excludes zero, and the effect is at least 0.1 as the report rounds it
        clear = g[((g["diff_p05"] > 0) | (g["diff_p95"] < 0)) & (g["share_tied"] < 100)
                  & (g["diff_median"].abs() >= 0.05)]
        if not len(clear):
            continue
        at = {y: (g[g["years"] == y].iloc[0] if (g["years"] == y).any() else None) for y in (5, 10)}
        out.append((o, int(clear["years"].iloc[0]), at[5], at[10]))
    return out


def acting_html(inp: ReportInput) -> str:
    L, S = inp.lang, inp.summary
    rows = []
    for s in inp.scenarios:
        if s == inp.baseline:
            continue
        items = []
        for o, first, r5, r10 in acting_outcomes(S, s):
            unit = "index" if (r5 is not None and r5["unit"] == "index") else "pp"
            parts = []
            for yrs, r in ((5, r5), (10, r10)):
                if r is None or pd.isna(r["diff_median"]):
                    continue
                if r["share_tied"] == 100:
                    parts.append(f"{i18n.say("after_2", L)} {yrs} {i18n.say("years_2", L)} "
                                 f"{i18n.say("no_difference", L)}")
                    continue
                size = points(r["diff_median"], L) if unit == "index" else pp(r["diff_median"], L)
                parts.append(f"{i18n.say("after", L)} {yrs} {i18n.say("years", L)} {size} "
                             f"<small>({interval(r['diff_p05'], r['diff_p95'], L, sign=True)})</small>")
            since = (i18n.say("clear_from_year", L, first=first))
            items.append(f"<li><b>{E(i18n.outcome_short(o, L))}</b>: {'; '.join(parts)} <small>({since})</small></li>")
        cell = (f"<ul>{''.join(items)}</ul>" if items else
                (i18n.say("no_clear_effect_on", L)))
        rows.append(f"<tr>{scenario_cell(s, inp)}<td>{cell}</td></tr>")
    intro = i18n.say("every_outcome_on_which", L)
    head = ("Scenario", i18n.say("clear_effects_difference_from", L))
    return (f"<p>{intro}</p>{_figure(inp, 'b3_all_outcomes')}<table class='t scen'><thead><tr><th>{head[0]}</th>"
            f"<th>{E(head[1])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


# ---- model and evidence -----------------------------------------------------------------------------
def evidence_html(inp: ReportInput) -> str:
    L = inp.lang
    d = inp.chart_data
    ev = getattr(d, "evidence", None)
    if ev is None:
        note = (getattr(d, "evidence_note", None) or {}).get(L) or (
            i18n.say("there_is_no_evidence", L))
        return f"<p class='warn'>{E(note[0].upper() + note[1:])}.</p>"
    VERDICT = i18n.VERDICT

    counts = ev[ev["verdict"] != "not run"]["verdict"].value_counts()
    n = int(counts.sum())
    intro = i18n.say("for_each_demand_d", L)
    if n:
        parts = [f"{int(counts.get(k, 0))} {VERDICT[k][L]}" for k in ("within", "overlaps", "above", "below")
                 if counts.get(k, 0)]
        intro += (i18n.say("of_the_comparisons", L, n=n)) + ", ".join(parts) + "."
    rows = []
    for r in ev.itertuples(index=False):
        sc = r.scenario if isinstance(r.scenario, str) else None
        who = E(i18n.scenario_name(sc, L)) if sc else E(r.demand)
        if r.verdict == "not run":
            model = "<i>" + (i18n.say("not_run", L)) + "</i>"
        else:
            model = (f"<b>{pp_short(r.diff_median, L)}</b><br><small>"
                     f"{interval(r.diff_p05, r.diff_p95, L, sign=True)}</small>")
        cls = {"above": "bad", "below": "bad", "within": "good"}.get(r.verdict, "")
        evid = (f"{interval(r.low_pp, r.high_pp, L, sign=True)} <small>({i18n.say("central", L)} "
                f"{i18n.number(r.central_pp, L, 1, sign=True)})</small>")
        rows.append(f"<tr><th class='sc'>{who}</th><td>{r.horizon_years}</td><td>{model}</td><td>{evid}</td>"
                    f"<td class='{cls}'>{E(VERDICT[r.verdict][L])}</td><td class='basis'><small>"
                    f"{E(i18n.evidence_basis(r.demand, r.horizon_years, str(r.basis), L))}"
                    f"<br><code>{E(str(r.evidence_ids))}</code></small></td></tr>")
    head = [i18n.say(f"evidence_head_{c}", L) for c in ("demand", "years", "model", "evidence", "verdict", "basis")]
    note = i18n.say("within_the_model_s", L)
    return (f"<p>{intro}</p>{_figure(inp, 'g_evidence')}<table class='t scen evidence'><thead><tr>"
            + "".join(f"<th>{E(h)}</th>" for h in head) + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='note'>{note}</p>")


# ---- the whole and its parts ----------------------------------------------------------------------
def whole_html(inp: ReportInput) -> str:
    L = inp.lang
    d = inp.chart_data
    f = getattr(d, "full_vs_sum", None)
    singles = list(getattr(d, "singles", []) or [])
    if f is None or not len(f):
        return "<p>" + (i18n.say("not_available_it_needs", L)) + "</p>"
    paras = []
    for o in dict.fromkeys(f["outcome"]):
        g = f[(f["outcome"] == o) & (f["years"] == 5)].set_index("series")
        if not {"full", "sum", "full_minus_sum"} <= set(g.index):
            continue
        a, b, c = g.loc["full"], g.loc["sum"], g.loc["full_minus_sum"]
        rng = lambda r: interval(r["p05"], r["p95"], L, sign=True)  # noqa: E731
        word = i18n.REPORT.get(f"noun_{o}", {}).get(L) or i18n.outcome_short(o, L)
        if c["p95"] < 0:
            how = i18n.say("less_than_the_sum", L)
        elif c["p05"] > 0:
            how = i18n.say("more_than_the_sum", L)
        else:
            how = i18n.say("not_distinguishable_from_the", L)
        paras.append(
            i18n.say("after_five_years_all", L, word=word[:1].upper() + word[1:], median=pp(a['median'], L),
                     rng=rng(a), n_singles=len(singles), median_2=pp(b['median'], L), rng_2=rng(b),
                     median_3=pp(c['median'], L), rng_3=rng(c), how=how))
    intro = i18n.say("per_seed_the_effect", L)
    missing = ""
    if len(singles) < 11:
        missing = ("<p class='warn'>" + (i18n.say("only_of_the_eleven", L, n_singles=len(singles))) + "</p>")
    return (f"<p>{intro}</p>{missing}" + "".join(f"<p>{p}</p>" for p in paras) + _figure(inp, "h_full_vs_sum"))


# ---- where the uncertainty comes from --------------------------------------------------------------
def uncertainty_html(inp: ReportInput) -> str:
    L, S = inp.lang, inp.summary
    m = inp.meta
    lev = m.get("levers") or {}
    ens = m.get("ensemble") or {}
    design = i18n.say("each_replication_uses_its", L)
    status = []
    if not lev.get("used"):
        status.append(i18n.say("lever_strengths_not_drawn", L))
    elif lev.get("draws") == 1:
        status.append(i18n.say("lever_strengths_one_draw", L))
    elif lev.get("draws"):
        status.append(i18n.say("lever_strengths_draws", L, draws=lev['draws']))
    if not ens.get("used"):
        status.append(i18n.say("parameter_sets_not_used", L))
    elif not ensemble_split(ens):
        status.append(i18n.say("parameter_sets_too_few", L))
    rows = []
    for s in inp.scenarios:
        if s == inp.baseline:
            continue
        cells = []
        for o in ("participating", "employed"):
            r = first_row(S, scenario=s, outcome=o, group="all", years=5)
            txt = spread_sentence(r, inp, s, short=True) if r is not None else ""
            if r is not None and r.get("share_tied") == 100:
                txt = i18n.say("no_difference_in_any", L)
            cells.append(f"<td>{E(txt[:1].upper() + txt[1:]) if txt else '-'}</td>")
        rows.append(f"<tr>{scenario_cell(s, inp)}{''.join(cells)}</tr>")
    head = ("Scenario", (i18n.say("participation_after_years", L)),
            (i18n.say("employment_after_years", L)))
    return (f"<p>{design}</p>" + "".join(f"<p class='note'>{x}</p>" for x in status)
            + "<table class='t scen'><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


# ---- charts, stories, provenance ---------------------------------------------------------------
CAPTIONS = i18n.CAPTIONS


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img alt="{E(alt)}" src="data:image/png;base64,{data}">'


#: charts shown in their own section rather than under 'Charts'
SECTION_CHARTS = ("b3_all_outcomes", "g_evidence", "h_full_vs_sum")


def _figure(inp: ReportInput, name: str) -> str:
    """One chart as a figure with its caption ("" when the chart was not drawn)."""
    paths = inp.charts.get(name) or []
    png = next((p for p in paths if str(p).endswith(".png")), None)
    if png is None:
        return ""
    cap = CAPTIONS.get(name, {}).get(inp.lang, name)
    return (f"<figure id='{name}'>{_img(png, cap)}<figcaption>{E(cap)} "
            f"<small>(<code>charts/{E(name)}.png</code>, <code>.svg</code>)</small></figcaption></figure>")


def charts_html(inp: ReportInput) -> str:
    return "\n".join(f for f in (_figure(inp, n) for n in inp.charts if n not in SECTION_CHARTS) if f)


def stories_html(inp: ReportInput) -> str:
    L = inp.lang
    if not inp.stories:
        return "<p>" + (i18n.say("no_stories_were_made", L)) + "</p>"
    out = []
    for st in inp.stories:
        paras = []
        for scen, sents in st["sentences"].items():
            who = i18n.scenario_name(scen, L)
            paras.append(f"<p><b>{E(who)}.</b> {E(' '.join(sents))}</p>")
        if st.get("contrast"):
            paras.append(f"<p class='contrast'>{E(st['contrast'])}</p>")
        png = inp.folder / "stories" / f"{st['key']}.png"
        img = _img(png, st["name"]) if png.is_file() else ""
        flag = "" if st.get("reproduces_stored_runs", True) else (
            "<p class='warn'>" + (i18n.say("note_this_life_course", L)) + "</p>")
        out.append(f"<div class='story'><h3>{E(st['name'])}, {E(st['description'])}</h3>{flag}{''.join(paras)}"
                   f"<figure>{img}</figure></div>")
    from experiments.presentation.stories import intro as stories_intro

    intro = stories_intro(L)
    return f"<p>{intro}</p>" + "".join(out)


def provenance_html(inp: ReportInput) -> str:
    m, L = inp.meta, inp.lang
    pk = ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items() if v)
    plain = lambda text: plain_paths(str(text), inp.folder)  # noqa: E731
    runs = f"{len(m.get('runs', []))} " + i18n.say("finished", L)
    if m.get("failures"):
        runs += f", {len(m['failures'])} " + i18n.say("failed_left_out", L)
    rows = [
        ("code_git_sha", f"{m.get('git_sha')}" + (" + " + i18n.say("uncommitted_changes", L)
                                                  if m.get("uncommitted_changes") else "")),
        ("model_hash", str(m.get("model_hash"))),
        ("python", str(m.get("python"))), ("packages", pk),
        ("seeds", seeds_short(m.get("seeds", []))),
        ("ensemble", ensemble_text(m, L, inp.folder)),
        ("lever_strengths", levers_text(m, L)),
        ("runs", runs),
        ("command", plain(m.get("command"))),
        ("created", str(m.get("created"))),
        ("settings", ", ".join(f"{k}={plain(v)}" for k, v in (m.get("settings") or {}).items())),
    ]
    body = "".join(f"<tr><th>{i18n.say('prov_' + k, L)}</th><td><code>{E(v)}</code></td></tr>" for k, v in rows)
    return f"<p>{i18n.say('every_number_in_this', L)}</p><table class='t prov'>{body}</table>"
