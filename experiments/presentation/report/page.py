"""The report's page: its style and the order of its sections (:func:`write_report`)."""

from __future__ import annotations

from pathlib import Path

from experiments.presentation import i18n
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.drivers import drivers_html
from experiments.presentation.report.methods import methods_html
from experiments.presentation.report.sections import (acting_html, charts_html, evidence_html,
                                                      measures_html, provenance_html, stories_html,
                                                      uncertainty_html, whole_html)
from experiments.presentation.report.summary import plain_summary
from experiments.presentation.report.tables import (costs_table, effects_table, scenarios_table,
                                                    times_table)

CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:1180px;margin:2em auto;padding:0 1.2em;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #bbb;padding-bottom:.2em}
h3{margin-bottom:.3em} .lead{font-size:1.05em} .sub{color:#555;margin-top:0}
figure{margin:1.4em 0} figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:.9em;color:#333}
table.t{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:.82em;margin:.6em 0;width:100%}
table.t th,table.t td{border-bottom:1px solid #ddd;padding:.3em .45em;text-align:right;vertical-align:top}
table.t th.sc,table.t thead th:first-child,table.scen td,table.scen th,table.prov td,table.prov th{text-align:left}
table.t thead th{background:#f2f2f2} table.small{font-size:.78em}
td.good{background:#e5f2e5} td.bad{background:#f8e1e1}
.sw{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:-.1em;border:1px solid #666}
table.t small{white-space:nowrap} .note{font-size:.85em;color:#444} .warn{background:#fff4d6;border-left:4px solid #e0a800;padding:.4em .7em}
.ass{background:#eee;border:1px solid #aaa;border-radius:3px;padding:0 .3em;font-size:.8em}
table.scen ul{margin:.2em 0 .2em 1.1em;padding:0} table.scen li{margin:.1em 0}
.story{border-top:1px dashed #bbb;margin-top:1.2em} .contrast{font-style:italic}
code{font-size:.92em} table.prov code{word-break:break-all}
@media print{figure{page-break-inside:avoid}}
"""


def write_report(path: Path, inp: ReportInput) -> Path:
    """Write the self-contained report to ``path`` (atomically)."""
    from experiments.runs.folders import atomic_write
    from experiments.runs.jobs import model_hash

    L = inp.lang
    m = inp.meta
    title = (i18n.say("scenario_comparison_integration_of", L))
    sub = i18n.say("permit_cohort_simulated_persons", L, permit_year=m['permit_year'],
                   population_size=i18n.number(m['population_size'], L, 0),
                   replications_per_scenario=min(m['replications_per_scenario'].values()),
                   n_scenarios=len(inp.scenarios),
                   created=E(i18n.date_text(str(m.get('created', ''))[:10], L)))
    summary_paras = "".join(p if p.startswith("<p") else f"<p>{p}</p>" for p in plain_summary(inp))
    warn = "".join(f"<p class='warn'>{E(w[L])}</p>" for w in inp.warnings or [])
    if m.get("failures"):
        warn += "<p class='warn'>" + E(i18n.say("run_s_failed_and", L,
                                                n_failures=len(m['failures']))) + "</p>"
    doc = f"""<!DOCTYPE html>
<html lang="{L}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(title)}</title><style>{CSS}</style></head><body>
<h1>{E(title)}</h1><p class="sub">{sub}</p>
{warn}
<h2>{i18n.say("summary", L)}</h2><div class="lead">{summary_paras}</div>
<h2 id="measures">{i18n.say("what_is_measured", L)}</h2>{measures_html(inp)}
<h2>{i18n.say("effects_at_a_glance", L)}</h2>{effects_table(inp)}
<h2>{i18n.say("charts", L)}</h2>{charts_html(inp)}
<h2 id="acts">{i18n.say("where_each_demand_acts", L)}</h2>{acting_html(inp)}
<h2 id="evidence">{i18n.say("model_and_evidence", L)}</h2>{evidence_html(inp)}
<h2 id="whole">{i18n.say("the_whole_and_the", L)}</h2>{whole_html(inp)}
<h2 id="uncertainty">{i18n.say("where_the_uncertainty_comes", L)}</h2>{uncertainty_html(inp)}
<h2 id="drivers">{i18n.say("what_drives_these_effects", L)}</h2>{drivers_html(inp.sensitivity, L, model_hash(), inp.folder)}
<h2>{i18n.say("waiting_and_first_jobs", L)}</h2>{times_table(inp)}
<h2>{i18n.say("costs_and_earnings", L)}</h2>{costs_table(inp)}
<h2>{i18n.say("persons_stories", L)}</h2>{stories_html(inp)}
<h2>{i18n.say("scenarios_and_assumptions", L)}</h2>{scenarios_table(inp)}
<h2>{i18n.say("how_to_read_the", L)}</h2>{methods_html(inp)}
<h2>{i18n.say("provenance", L)}</h2>{provenance_html(inp)}
</body></html>
"""
    return atomic_write(path, lambda p: p.write_text(doc, encoding="utf-8"))
