"""The report's tables: effects at a glance, waiting and first jobs, costs, scenarios."""

from __future__ import annotations

import pandas as pd

from experiments.presentation import i18n
from experiments.presentation.charts import style
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.numbers import (better_in, eur, first_row, interval, lever_changes,
                                                     pp_short, verdict)

# ---- tables -------------------------------------------------------------------------------------
def _swatch(s: str, scenarios) -> str:
    st = style(s, scenarios)
    return f'<span class="sw" style="background:{st.color}"></span>'


def _effect_cell(r: pd.Series | None, s: str, inp: ReportInput, wins: bool = True) -> str:
    """A table cell: the level (baseline) or the paired difference with its 90% interval."""
    L = inp.lang
    if r is None:
        return "<td>-</td>"
    if s == inp.baseline:
        unit = "" if r["unit"] == "index" else "%"
        lvl = i18n.number(r["median"], L) + unit
        return f"<td><b>{lvl}</b><br><small>{interval(r['p05'], r['p95'], L, unit=unit)}</small></td>"
    if r["share_tied"] == 100:
        return (f"<td><b>0</b><br><small>{i18n.say("identical_in_every_replication", L)}"
                "</small></td>")
    cls = {i18n.say("clearly_better", L): "good", i18n.say("clearly_worse", L): "bad"}.get(verdict(r, L), "")
    win = f"<br>{better_in(r, L, short=True)}" if wins and not pd.isna(r["share_better"]) else ""
    size = (i18n.number(r["diff_median"], L, 1, sign=True) if r["unit"] == "index"
            else pp_short(r["diff_median"], L))
    return (f'<td class="{cls}"><b>{size}</b><br><small>'
            f'{interval(r["diff_p05"], r["diff_p95"], L, sign=True)}{win}</small></td>')


def scenario_cell(s: str, inp: ReportInput) -> str:
    return f"<th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, inp.lang))}</th>"


def effects_table(inp: ReportInput) -> str:
    """Participation and employment after 1, 3, 5 and 10 years (every year is in chart b2 and in
    summary.csv), then the other headline outcomes after 5 years."""
    from experiments.runs.summary import TABLE_YEARS

    L, S = inp.lang, inp.summary
    years = [y for y in TABLE_YEARS if y in set(S["years"])]
    groups = [("participating", years), ("employed", years)]
    top = "".join(f"<th colspan='{len(ys)}'>{E(i18n.outcome_short(o, L))}</th>" for o, ys in groups)
    sub = "".join(f"<th><small>{i18n.say("after_3", L)} {y} {i18n.say('year_one' if y == 1 else 'year_many', L)}"
                  "</small></th>" for _, ys in groups for y in ys)
    body = []
    for s in inp.scenarios:
        cells = [_effect_cell(first_row(S, scenario=s, outcome=o, group="all", years=y), s, inp)
                 for o, ys in groups for y in ys]
        body.append("<tr>" + scenario_cell(s, inp) + "".join(cells) + "</tr>")
    first = (f"<table class='t'><thead><tr><th rowspan='2'>Scenario</th>{top}</tr><tr>{sub}</tr></thead>"
             f"<tbody>{''.join(body)}</tbody></table>")
    others = [o for o in ("belonging", "benefit", "exam_passed", "residence_secure", "naturalised")
              if o in set(S["outcome"])]
    head = "".join(f"<th>{E(i18n.outcome_short(o, L))}<br><small>{i18n.say("after_years", L)}"
                   "</small></th>" for o in others)
    body = []
    for s in inp.scenarios:
        cells = [_effect_cell(first_row(S, scenario=s, outcome=o, group="all", years=5), s, inp, wins=False)
                 for o in others]
        body.append("<tr>" + scenario_cell(s, inp) + "".join(cells) + "</tr>")
    second = (f"<table class='t'><thead><tr><th>Scenario</th>{head}</tr></thead><tbody>{''.join(body)}"
              "</tbody></table>")
    note = i18n.say("first_row_the_level", L)
    return first + second + f"<p class='note'>{note}</p>"




def times_table(inp: ReportInput) -> str:
    L, T = inp.lang, inp.times_summary
    rows = []
    for s in inp.scenarios:
        cells = []
        for ev in ("home", "first_job"):
            r = first_row(T, scenario=s, event=ev, measure="months_until_half")
            if r is None or pd.isna(r["median"]):
                cells.append("<td>-</td>")
                continue
            txt = f"{i18n.number(r['median'], L, 0)} <small>({interval(r['p05'], r['p95'], L, 0)})</small>"
            if s != inp.baseline and not pd.isna(r["diff_median"]):
                txt += ("<br><small>\u00b10</small>" if r["share_tied"] == 100 else
                        f"<br><small>{i18n.number(r['diff_median'], L, 0, sign=True)} "
                        f"({interval(r['diff_p05'], r['diff_p95'], L, 0, sign=True)})</small>")
            cells.append(f"<td>{txt}</td>")
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}</th>"
                    + "".join(cells) + "</tr>")
    h1 = i18n.say("months_until_half_are", L)
    h2 = i18n.say("months_until_half_had", L)
    note = i18n.say("median_over_replications_interval", L)
    return (f"<table class='t'><thead><tr><th>Scenario</th><th>{h1}</th><th>{h2}</th></tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table><p class='note'>{note}</p>")


def costs_table(inp: ReportInput) -> str:
    L, C = inp.lang, inp.costs_summary
    years = int(min(10, C["years"].max())) if len(C) else 10
    from experiments.presentation.charts import cost_items

    items = [i for i, _, _ in cost_items(list(dict.fromkeys(C["item"])))] + ["public_total", "earnings"]
    head = "".join(f"<th>{E(i18n.cost_item(i, L))}</th>" for i in items)
    rows = []
    for s in inp.scenarios:
        cells = []
        for i in items:
            r = first_row(C, scenario=s, item=i, years=years)
            if r is None:
                cells.append("<td>-</td>")
                continue
            txt = f"{eur(r['median'], L)}"
            if s != inp.baseline and not pd.isna(r["diff_median"]):
                if r["share_tied"] == 100:
                    txt += f"<br><small>\u00b1{eur(0.0, L)}</small>"
                else:
                    txt += (f"<br><small>{eur(r['diff_median'], L, True)}<br>"
                            f"({eur(r['diff_p05'], L, True)} {i18n.say("to", L)} {eur(r['diff_p95'], L, True)})</small>")
            cells.append(f"<td>{txt}</td>")
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}</th>"
                    + "".join(cells) + "</tr>")
    note = i18n.say("eur_per_simulated_person", L, years=years)
    return (f"<table class='t small'><thead><tr><th>Scenario</th>{head}</tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table><p class='note'>{note}</p>")


def change_item(c: dict, lang: str) -> str:
    """One setting a scenario changes, in words: the lever's name, its value before and after, its
    unit and where the setting comes from (tagged where that is an assumption). A model parameter
    (not a lever) is named by its key, and in Dutch sent to the parameter table for its unit and
    source (declared in English)."""
    group, _, name = c["key"].partition(".")
    lever = group == "policy"
    a, b = (E(i18n.lever_value(name, v, lang)) if v is not None else "-" for v in (c["from"], c["to"]))
    if lever:
        label = f"{E(i18n.lever_name(name, lang))} <small><code>{E(c['key'])}</code></small>"
        unit, source = i18n.lever_unit(name, lang), i18n.lever_source(name, c["source"], lang)
    else:
        label = f"<code>{E(c['key'])}</code>"
        unit, source = (c["unit"], c["source"]) if lang == "en" else ("", "")
    said = [E(unit)] if unit else []
    said.append(f"{i18n.say('source', lang)}: {E(source)}" if source else i18n.say("source_in_odd", lang))
    tag = (" <span class='ass'>" + i18n.say("assumption", lang) + "</span>") if c["assumption"] else ""
    return f"<li>{label}: {a} \u2192 <b>{b}</b> <small>({'; '.join(said)})</small>{tag}</li>"


def demand_label(demand: str, lang: str) -> str:
    """What a scenario file's ``scenario_info.demand`` says, in words (``D3`` stays ``D3``)."""
    return i18n.DEMAND_LABELS.get(str(demand), {}).get(lang, str(demand))


def scenarios_table(inp: ReportInput) -> str:
    L = inp.lang
    rows = []
    for s in inp.scenarios:
        cfg = inp.configs.get(s, {})
        info = cfg.get("scenario_info", {}) or {}
        summ = i18n.scenario_summary(s, info.get("summary", ""), L)
        ch = lever_changes(inp.configs, s, inp.baseline) if s != inp.baseline else []
        levers = f"<ul>{''.join(change_item(c, L) for c in ch)}</ul>" if ch else ""
        demand = demand_label(info.get("demand", ""), L)
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}<br>"
                    f"<small><code>{E(s)}</code> \u00b7 {E(demand)}</small></th>"
                    f"<td>{E(summ)}{levers}</td></tr>")
    return ("<table class='t scen'><thead><tr><th>Scenario</th><th>"
            + (i18n.say("what_changes_against_the", L))
            + "</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
