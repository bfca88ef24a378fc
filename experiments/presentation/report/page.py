"""The report's page: its style and the order of its sections (:func:`write_report`)."""

from __future__ import annotations

from pathlib import Path

from experiments.presentation import i18n
from experiments.presentation.report.inputs import E, ReportInput
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

    L = inp.lang
    nl = L == "nl"
    m = inp.meta
    title = ("Scenariovergelijking: integratie van statushouders" if nl
             else "Scenario comparison: integration of refugees with a permit")
    sub = (f"Vergunningcohort {m['permit_year']} \u00b7 {i18n.number(m['population_size'], L, 0)} gesimuleerde "
           f"personen \u00b7 {min(m['replications_per_scenario'].values())} herhalingen per scenario \u00b7 "
           f"{len(inp.scenarios)} scenario's \u00b7 gemaakt {E(str(m.get('created', ''))[:10])}") if nl else (
           f"{m['permit_year']} permit cohort \u00b7 {i18n.number(m['population_size'], L, 0)} simulated persons "
           f"\u00b7 {min(m['replications_per_scenario'].values())} replications per scenario \u00b7 "
           f"{len(inp.scenarios)} scenarios \u00b7 made {E(str(m.get('created', ''))[:10])}")
    H = lambda en, nl_: nl_ if nl else en  # noqa: E731
    summary_paras = "".join(p if p.startswith("<p") else f"<p>{p}</p>" for p in plain_summary(inp))
    warn = "".join(f"<p class='warn'>{E(w[L])}</p>" for w in inp.warnings or [])
    if m.get("failures"):
        warn += "<p class='warn'>" + E(H(f"{len(m['failures'])} run(s) failed and were left out (see comparison.json).",
                                         f"{len(m['failures'])} run(s) mislukt en weggelaten (zie comparison.json).")) + "</p>"
    doc = f"""<!DOCTYPE html>
<html lang="{L}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(title)}</title><style>{CSS}</style></head><body>
<h1>{E(title)}</h1><p class="sub">{sub}</p>
{warn}
<h2>{H('Summary', 'Samenvatting')}</h2><div class="lead">{summary_paras}</div>
<h2 id="measures">{H('What is measured', 'Wat er gemeten wordt')}</h2>{measures_html(inp)}
<h2>{H('Effects at a glance', 'Effecten in één oogopslag')}</h2>{effects_table(inp)}
<h2>{H('Charts', 'Grafieken')}</h2>{charts_html(inp)}
<h2 id="acts">{H('Where each demand acts', 'Waar elke eis op werkt')}</h2>{acting_html(inp)}
<h2 id="evidence">{H('Model and evidence', 'Model en bewijs')}</h2>{evidence_html(inp)}
<h2 id="whole">{H('The whole and the sum of its parts', 'Het geheel en de som van de delen')}</h2>{whole_html(inp)}
<h2 id="uncertainty">{H('Where the uncertainty comes from', 'Waar de onzekerheid vandaan komt')}</h2>{uncertainty_html(inp)}
<h2>{H('Waiting and first jobs', 'Wachten en eerste baan')}</h2>{times_table(inp)}
<h2>{H('Costs and earnings', 'Kosten en opbrengsten')}</h2>{costs_table(inp)}
<h2>{H('Persons’ stories', 'Verhalen van personen')}</h2>{stories_html(inp)}
<h2>{H('Scenarios and assumptions', "Scenario's en aannames")}</h2>{scenarios_table(inp)}
<h2>{H('How to read the numbers', 'Hoe de getallen te lezen')}</h2>{methods_html(inp)}
<h2>{H('Provenance', 'Herkomst')}</h2>{provenance_html(inp)}
</body></html>
"""
    return atomic_write(path, lambda p: p.write_text(doc, encoding="utf-8"))
