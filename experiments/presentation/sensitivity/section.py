"""``sensitivity.<language>.html``: "What drives these effects" / "Wat deze effecten bepaalt".

One self-contained file (styles inline, charts as base64 PNG, no scripts, no external addresses)
whose body is a single ``<section id="what-drives">`` between the comments
``<!-- sensitivity-section:start -->`` and ``<!-- sensitivity-section:end -->``, so that the
comparison's report can link to the file or include the section as it is (:func:`section_html`
returns it alone). Every number is read from the analysis's tables; the sentences are generated
from them.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.presentation.sensitivity.charts import ChartData, scenario_name
from experiments.evidence.sensitivity.space import describe, short

E = html.escape

CSS = """
section.sa{font-family:Georgia,'Times New Roman',serif;max-width:1180px;margin:2em auto;padding:0 1.2em;color:#1a1a1a;line-height:1.5}
section.sa h2{margin-top:1.5em;border-bottom:1px solid #bbb;padding-bottom:.2em} section.sa h3{margin-bottom:.3em}
section.sa .lead{font-size:1.05em} section.sa figure{margin:1.2em 0}
section.sa figure img{max-width:100%;height:auto;border:1px solid #ddd} section.sa figcaption{font-size:.9em;color:#333}
section.sa table{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:.82em;margin:.6em 0;width:100%}
section.sa th,section.sa td{border-bottom:1px solid #ddd;padding:.3em .45em;text-align:right;vertical-align:top}
section.sa th:first-child,section.sa td:first-child,section.sa td.l,section.sa th.l{text-align:left}
section.sa thead th{background:#f2f2f2} section.sa .note{font-size:.85em;color:#444}
section.sa code{font-size:.9em}
"""

KIND = {"strength": ("lever strength", "sterkte van een maatregel"),
        "calibrated": ("fitted to CBS data", "geschat op CBS-cijfers"),
        "behaviour": ("other assumption", "andere aanname")}


def _n(x: float, lang: str, d: int = 2) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    s = f"{x:,.{d}f}"
    return s.replace(",", "\u2009").replace(".", ",") if lang == "nl" else s


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img alt="{E(alt)}" src="data:image/png;base64,{data}">'


def _fig(charts: dict, name: str, caption: str) -> str:
    if name not in charts:
        return ""
    png = charts[name][0]
    return f"<figure>{_img(png, caption)}<figcaption>{E(caption)}</figcaption></figure>"


def _row(df: pd.DataFrame, **eq) -> pd.DataFrame:
    m = np.ones(len(df), dtype=bool)
    for k, v in eq.items():
        m &= (df[k] == v).to_numpy()
    return df[m]


def _ranked(d: ChartData, s: str, measure: str, year: int | None = None) -> pd.DataFrame:
    g = _row(d.sobol, scenario=s, measure=measure, year=year or d.year)
    return g.sort_values("ST", ascending=False, na_position="last")


def summary_sentences(d: ChartData, lang: str) -> list[str]:
    """The plain-language lead: what drives the main scenario's effect, how wide it is, chance."""
    YEAR = d.year
    nl = lang == "nl"
    pos = d.plan.settings["prim"]["scenario"] if d.plan.settings["prim"]["scenario"] in d.plan.compared else (
        d.plan.compared[0] if d.plan.compared else d.plan.baseline)
    name = scenario_name(pos, lang)
    out = []
    for measure, word_en, word_nl in (("participating", "participation", "participatie"),
                                      ("employed", "employment", "werk")):
        g = _ranked(d, pos, measure)
        g = g[g["ST"].notna()]
        if not len(g):
            continue
        j = d.names.index((pos, measure, YEAR))
        vals = d.Y[:, j]
        lo, mid, hi = np.percentile(vals, [5, 50, 95])
        top = g.head(3)
        items = [f"{E(short(r.parameter))} ({_n(r.ST, lang)}, {'95%-interval' if nl else '95% interval'} "
                 f"{_n(r.ST_low, lang)}–{_n(r.ST_high, lang)})" for r in top.itertuples()]
        effect = pos != d.plan.baseline
        unit = ("procentpunt" if nl else "percentage points") if effect else "%"
        if nl:
            what = f"het effect van '{E(name)}' op {word_nl}" if effect else f"{word_nl} in de basis"
            out.append(f"Na {YEAR} jaar ligt {what} over de doorgerekende aannames tussen {_n(lo, lang, 1)} en "
                       f"{_n(hi, lang, 1)} {unit} (5e–95e percentiel; mediaan {_n(mid, lang, 1)}). Het meest bepalend "
                       f"(totale Sobol-index, het aandeel van de variantie dat verdwijnt als de parameter bekend is): "
                       + ", ".join(items) + ".")
        else:
            what = f"the effect of '{E(name)}' on {word_en}" if effect else f"baseline {word_en}"
            out.append(f"After {YEAR} years, {what} ranges from {_n(lo, lang, 1)} to {_n(hi, lang, 1)} {unit} "
                       f"over the assumptions sampled (5th–95th percentile; median {_n(mid, lang, 1)}). What moves it "
                       f"most (total-order Sobol index, the share of its variance that would go if the parameter "
                       f"were known): " + ", ".join(items) + ".")
    kinds = {r["parameter"]: r["kind"] for r in describe(d.plan.params)}
    g = _ranked(d, pos, "participating")
    g = g[g["ST"].notna()]
    if len(g):
        share = g.groupby(g["parameter"].map(kinds))["ST"].sum()
        tot = share.sum()
        if tot > 0:
            parts = [(KIND[k][1] if nl else KIND[k][0], v / tot) for k, v in share.sort_values(ascending=False).items()]
            txt = ", ".join(f"{E(a)} {_n(100 * b, lang, 0)}%" for a, b in parts)
            out.append((f"Verdeling van de totale indices over het soort aanname (participatie na {YEAR} jaar): {txt}.")
                       if nl else
                       (f"How the total-order indices split by kind of assumption (participation after {YEAR} "
                        f"years): {txt}."))
    ch = _row(d.chance, scenario=pos, measure="participating", year=YEAR)
    if len(ch) and np.isfinite(ch["chance_share"].iloc[0]):
        c = float(ch["chance_share"].iloc[0])
        k = len(d.plan.seeds)
        point_nl = "één seed" if k == 1 else f"gemiddelde van {k} seeds"
        point_en = "one seed" if k == 1 else f"the mean of {k} seeds"
        out.append((f"Toeval (een andere trekking van personen en gebeurtenissen bij dezelfde aannames) is ongeveer "
                    f"{_n(100 * c, lang, 0)}% van die variatie: de standaardafwijking van één punt ({point_nl}) is "
                    f"{_n(float(ch['chance_sd_point'].iloc[0]), lang, 1)} procentpunt.")
                   if nl else
                   (f"Chance (another draw of persons and events under the same assumptions) is about "
                    f"{_n(100 * c, lang, 0)}% of that variation: one point ({point_en}) "
                    f"varies by {_n(float(ch['chance_sd_point'].iloc[0]), lang, 1)} percentage points (sd)."))
    return out


def drivers_table(d: ChartData, s: str, lang: str) -> str:
    YEAR = d.year
    nl = lang == "nl"
    info = {r["parameter"]: r for r in describe(d.plan.params)}
    p5 = _ranked(d, s, "participating").set_index("parameter")
    e5 = _row(d.sobol, scenario=s, measure="employed", year=YEAR).set_index("parameter")
    rows = []
    for k in p5.index:
        r, i = p5.loc[k], info[k]
        e = e5.loc[k] if k in e5.index else None
        rows.append(
            f"<tr><td><code>{E(short(k))}</code></td><td class='l'>{E(i['doc'])}</td>"
            f"<td class='l'>{E(KIND[i['kind']][1] if nl else KIND[i['kind']][0])}</td>"
            f"<td>{_n(i['low'], lang, 3)}–{_n(i['high'], lang, 3)}</td>"
            f"<td>{_n(r['ST'], lang)} <small>({_n(r['ST_low'], lang)}–{_n(r['ST_high'], lang)})</small></td>"
            f"<td>{_n(r['S1'], lang)} <small>({_n(r['S1_low'], lang)}–{_n(r['S1_high'], lang)})</small></td>"
            + (f"<td>{_n(e['ST'], lang)} <small>({_n(e['ST_low'], lang)}–{_n(e['ST_high'], lang)})</small></td>"
               if e is not None else "<td>–</td>") + "</tr>")
    head = (["Parameter", "Wat het is", "Soort", "Bereik", f"Totaal, participatie {YEAR} jr",
             f"Alleen, participatie {YEAR} jr", f"Totaal, werk {YEAR} jr"] if nl else
            ["Parameter", "What it is", "Kind", "Range", f"Total, participation {YEAR} y",
             f"Alone, participation {YEAR} y", f"Total, employment {YEAR} y"])
    return ("<table><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def demands_table(d: ChartData, lang: str) -> str:
    YEAR = d.year
    nl = lang == "nl"
    rows = []
    for s in d.plan.compared:
        g = _ranked(d, s, "participating")
        g = g[g["ST"].notna()].head(3)
        ch = _row(d.chance, scenario=s, measure="participating", year=YEAR)
        j = d.names.index((s, "participating", YEAR))
        lo, hi = np.percentile(d.Y[:, j], [5, 95])
        top = "; ".join(f"<code>{E(short(r.parameter))}</code> {_n(r.ST, lang)}" for r in g.itertuples())
        c = float(ch["chance_share"].iloc[0]) if len(ch) else np.nan
        rows.append(f"<tr><td>{E(scenario_name(s, lang))}</td><td>{_n(lo, lang, 1)} – {_n(hi, lang, 1)}</td>"
                    f"<td class='l'>{top or '–'}</td><td>{_n(100 * c, lang, 0) + '%' if np.isfinite(c) else '–'}</td></tr>")
    head = (["Scenario", f"Effect op participatie na {YEAR} jaar (5e–95e pct., pp)",
             "Belangrijkste aannames (totale index)", "Toeval"] if nl else
            ["Scenario", f"Effect on participation after {YEAR} years (5th–95th pct., pp)",
             "Most important assumptions (total-order index)", "Chance"])
    return ("<table><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def prim_html(d: ChartData, charts: dict, lang: str) -> str:
    nl = lang == "nl"
    if d.prim is None:
        return "<p class='note'>" + ("Geen scenario-ontdekking: het scenario zat niet in de analyse."
                                     if nl else "No scenario discovery: its scenario was not analysed.") + "</p>"
    st = d.prim["settings"]
    name = E(scenario_name(st["scenario"], lang))
    intro = (f"<p>Voor welke combinaties van aannames schiet '{name}' tekort? PRIM zoekt over alle Sobol-punten naar "
             f"'boxen' (een bereik per parameter) waarin zulke punten dicht op elkaar liggen. Twee vragen: verhoogt "
             f"het de participatie na {st['year']} jaar met minder dan {_n(st['margin_pp'], lang, 1)} procentpunt, en "
             f"verdient het zijn extra publieke kosten niet binnen tien jaar terug (lagere kosten van opvang, "
             f"uitkeringen en begeleiding; netto inkomen uit werk telt niet mee)? <em>Dekking</em>: het aandeel van "
             f"alle tekortschietende punten dat in de box ligt; <em>dichtheid</em>: het aandeel van de punten in de box "
             f"dat tekortschiet.</p>") if nl else (
             f"<p>For which combinations of assumptions does '{name}' fall short? PRIM searches all Sobol points for "
             f"'boxes' (a range per parameter) where such points are dense. Two questions: does it raise participation "
             f"after {st['year']} years by less than {_n(st['margin_pp'], lang, 1)} percentage points, and does it fail "
             f"to pay back its extra public costs within ten years (through lower reception, benefit and support "
             f"costs; the cohort's net earnings are not counted)? <em>Coverage</em>: the share of all failing points "
             f"inside the box; <em>density</em>: the share of the box's points that fail.</p>")
    parts = [intro]
    for q in d.prim["summary"].itertuples():
        title = ((f"Participatie +{_n(st['margin_pp'], lang, 1)} pp niet gehaald" if nl else
                  f"Participation +{_n(st['margin_pp'], lang, 1)} pp not reached") if q.question == "participation"
                 else ("Niet terugverdiend in tien jaar" if nl else "Not paid back within ten years"))
        parts.append(f"<h4>{E(title)}</h4><p>" + (
            f"{q.failing} van {q.points} punten ({_n(100 * q.share_failing, lang, 0)}%) schieten tekort." if nl else
            f"{q.failing} of {q.points} points ({_n(100 * q.share_failing, lang, 0)}%) fall short.") + "</p>")
        b = d.prim["boxes"][d.prim["boxes"]["question"] == q.question]
        parts.append(_prim_reading(b, float(st["density"]), q.share_failing, lang))
        if len(b):
            rows = "".join(
                f"<tr><td>{r.box}</td><td><code>{E(r.label)}</code></td>"
                f"<td>{_n(r.low, lang, 3)}–{_n(r.high, lang, 3)}</td><td>{_n(r.range_low, lang, 3)}–{_n(r.range_high, lang, 3)}</td>"
                f"<td>{_n(r.coverage, lang)}</td><td>{_n(r.density, lang)}</td><td>{_n(r.mass, lang)}</td></tr>"
                for r in b.itertuples())
            head = (["Box", "Parameter", "In de box", "Heel bereik", "Dekking", "Dichtheid", "Massa"] if nl else
                    ["Box", "Parameter", "In the box", "Whole range", "Coverage", "Density", "Mass"])
            parts.append("<table><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head) + "</tr></thead><tbody>"
                         + rows + "</tbody></table>")
            parts.append(_fig(charts, f"prim_{q.question}", title))
    return "".join(parts)


def _prim_reading(b: pd.DataFrame, asked: float, share: float, lang: str) -> str:
    """One sentence on how far a question's boxes can be read: a box denser than the density
    asked for marks a region of assumptions; a thin one says the shortfalls are spread out."""
    nl = lang == "nl"
    if not len(b) or b["label"].eq("(no restriction)").all():
        return "<p>" + (f"Geen box nodig of gevonden: {_n(100 * share, lang, 0)}% van alle punten schiet tekort, "
                        "over het hele bereik van de aannames." if nl else
                        f"No box is needed or found: {_n(100 * share, lang, 0)}% of all points fall short, across "
                        "the whole range of the assumptions.") + "</p>"
    first = b[b["box"] == b["box"].min()].iloc[0]
    if float(first["density"]) >= asked:
        return "<p>" + (f"Box 1 bevat {_n(100 * first['coverage'], lang, 0)}% van de tekortschietende punten, en "
                        f"{_n(100 * first['density'], lang, 0)}% van zijn punten schiet tekort: daar ligt het "
                        "risico." if nl else
                        f"Box 1 holds {_n(100 * first['coverage'], lang, 0)}% of the points that fall short, and "
                        f"{_n(100 * first['density'], lang, 0)}% of its points fall short: that is where the risk "
                        "lies.") + "</p>"
    return "<p>" + (f"Geen box bereikt de gevraagde dichtheid ({_n(asked, lang)}): in de beste schiet maar "
                    f"{_n(100 * first['density'], lang, 0)}% van de punten tekort, tegen {_n(100 * share, lang, 0)}% "
                    "overal. De tekorten liggen verspreid over de aannames (of zijn toeval), niet in één gebied; de "
                    "boxen hieronder zeggen weinig." if nl else
                    f"No box reaches the density asked for ({_n(asked, lang)}): in the best one only "
                    f"{_n(100 * first['density'], lang, 0)}% of the points fall short, against "
                    f"{_n(100 * share, lang, 0)}% overall. The shortfalls are spread over the assumptions (or are "
                    "chance), not in one region; the boxes below say little.") + "</p>"


def stability_html(stab: pd.DataFrame, d: ChartData, lang: str) -> str:
    YEAR = d.year
    nl = lang == "nl"
    if stab is None or not len(stab):
        return ""
    main = stab[stab["scenario"].isin(d.plan.compared or [d.plan.baseline]) & (stab["year"] == YEAR)]
    main = main if len(main) else stab
    mx = float(main["max_abs_diff_ST"].max())
    med = float(main["max_abs_diff_ST"].median())
    same = float(main["same_top3"].mean())
    within = float(main["within_ci"].mean())
    n_half, n_full = int(stab["n_half"].iloc[0]), int(stab["n_full"].iloc[0])
    return ("<p>" + (
        f"Stabiliteit: van N={n_half} naar N={n_full} veranderden de totale indices van de effecten na {YEAR} jaar met ten "
        f"hoogste {_n(mx, lang)} (mediaan over de uitkomsten {_n(med, lang)}); de drie grootste bleven dezelfde in "
        f"{_n(100 * same, lang, 0)}% van de uitkomsten, en elke verandering lag binnen de intervallen in "
        f"{_n(100 * within, lang, 0)}% (alle jaren en uitkomsten: <code>stability.csv</code>).") if nl else (
        f"Stability: from N={n_half} to N={n_full}, the total-order indices of the effects after {YEAR} years moved by at "
        f"most {_n(mx, lang)} (median over outcomes {_n(med, lang)}); the three largest stayed the same in "
        f"{_n(100 * same, lang, 0)}% of the outcomes, and every change was within the intervals in "
        f"{_n(100 * within, lang, 0)}% (all years and outcomes: <code>stability.csv</code>).") + "</p>")


def method_html(d: ChartData, meta: dict, lang: str) -> str:
    nl = lang == "nl"
    st = d.plan.settings
    D, k = len(d.plan.params), len(d.kept)
    cmd = E(meta.get("command", "python -m experiments.sensitivity"))
    secs = meta.get("total_seconds")
    if nl:
        return (f"<p>Onzeker zijn alle {D} parameters met een plausibel bereik (gedragsparameters, de sterkte van elke "
                f"maatregel, context, kosten per eenheid; niet de instellingen van de maatregelen zelf, die bepalen de "
                f"scenario's). Elke parameter varieert gelijkmatig over zijn bereik. Eerst een verkenning (Morris, "
                f"{st['n_morris']} trajecten, {st['n_morris'] * (D + 1)} punten) over alle {D}; daarna Sobol-indices "
                f"(eerste en totale orde, 95%-bootstrapintervallen, N={st['n_sobol']}, {st['n_sobol'] * (k + 2)} punten) "
                f"voor de {k} belangrijkste; de andere blijven op hun waarde. Elk punt draait de basis en elk scenario op "
                f"dezelfde {len(d.plan.seeds)} seed(s) (gemeenschappelijke toevalsgetallen: dezelfde seeds voor elk punt, "
                f"zodat een verschil tussen punten van de parameters komt en niet van de trekking) en neemt het "
                f"gemiddelde; een effect is scenario min basis op dezelfde seed en dezelfde parameters. "
                f"{st['population_size']} personen per run. Opdracht: <code>{cmd}</code>"
                + (f" ({_n(secs / 60, lang, 1)} minuten)." if secs else ".") + "</p>")
    return (f"<p>Uncertain are all {D} parameters with a plausible range (behavioural parameters, the strength of "
            f"each lever, context, unit costs; not the lever settings themselves, which the scenarios set). Each "
            f"varies uniformly over its range. First a screening (Morris, {st['n_morris']} trajectories, "
            f"{st['n_morris'] * (D + 1)} points) over all {D}; then Sobol indices (first and total order, 95% bootstrap "
            f"intervals, N={st['n_sobol']}, {st['n_sobol'] * (k + 2)} points) for the {k} most important; the others "
            f"stay at their values. Every point runs the baseline and each scenario on the same {len(d.plan.seeds)} "
            f"seed(s) (common random numbers: the same seeds at every point, so a difference between points is the "
            f"parameters' doing, not the draw's) and takes the mean; an effect is scenario minus baseline on the same "
            f"seed and parameters. {st['population_size']} persons a run. Command: <code>{cmd}</code>"
            + (f" ({_n(secs / 60, lang, 1)} minutes)." if secs else ".") + "</p>")


def section_html(d: ChartData, charts: dict, stab: pd.DataFrame, meta: dict, lang: str) -> str:
    """The section alone (for inclusion in the comparison's report)."""
    nl = lang == "nl"
    H = lambda en, nl_: nl_ if nl else en  # noqa: E731
    pos = d.plan.settings["prim"]["scenario"] if d.plan.settings["prim"]["scenario"] in d.plan.compared else (
        d.plan.compared[0] if d.plan.compared else d.plan.baseline)
    name = scenario_name(pos, lang)
    lead = "".join(f"<p>{p}</p>" for p in summary_sentences(d, lang))
    parts = [f'<section id="what-drives" class="sa">',
             f"<h2>{H('What drives these effects', 'Wat deze effecten bepaalt')}</h2>",
             f"<div class='lead'>{lead}</div>",
             f"<h3>{E(H(f'Which assumptions move the effect of {name!r}', f'Welke aannames het effect van {name!r} bepalen'))}</h3>",
             drivers_table(d, pos, lang),
             _fig(charts, f"drivers_{pos}", H(f"What moves {name}", f"Wat {name} bepaalt")),
             _fig(charts, f"over_time_{pos}", H("The same over time", "Hetzelfde door de tijd")),
             _fig(charts, f"range_{pos}", H("The effect across each parameter's range",
                                            "Het effect over het bereik van elke parameter"))]
    others = [s for s in d.plan.compared if s != pos]
    if others:
        parts += [f"<h3>{H('Each demand', 'Elke eis')}</h3>", demands_table(d, lang)]
        parts += [_fig(charts, f"drivers_{s}", H(f"What moves {scenario_name(s, lang)}",
                                                  f"Wat {scenario_name(s, lang)} bepaalt")) for s in others]
    parts += [f"<h3>{H('Where the full position falls short', 'Waar het volledige standpunt tekortschiet')}</h3>",
              prim_html(d, charts, lang),
              f"<h3>{H('Chance, stability and method', 'Toeval, stabiliteit en methode')}</h3>",
              stability_html(stab, d, lang), method_html(d, meta, lang),
              _fig(charts, "screening", H("Screening of every uncertain parameter", "Verkenning van alle onzekere parameters")),
              "<p class='note'>" + H(
                  "Tables: screening.csv (Morris, every parameter), morris.csv, sobol.csv (indices with 95% intervals at "
                  "N and N/2), stability.csv, chance.csv, prim_boxes.csv, points_*.csv.gz (every point's values and "
                  "outcomes). Ranges are the declared plausible ranges, not the calibration's posterior: a parameter "
                  "fitted to CBS data can look more important here than the data allow.",
                  "Tabellen: screening.csv (Morris, elke parameter), morris.csv, sobol.csv (indices met 95%-intervallen "
                  "bij N en N/2), stability.csv, chance.csv, prim_boxes.csv, points_*.csv.gz (waarden en uitkomsten van "
                  "elk punt). De bereiken zijn de opgegeven plausibele bereiken, niet wat de kalibratie toelaat: een "
                  "parameter die op CBS-cijfers is geschat kan hier belangrijker lijken dan de cijfers toestaan.") + "</p>",
              "</section>"]
    return "\n".join(p for p in parts if p)


def write(path: Path, d: ChartData, charts: dict, stab: pd.DataFrame, meta: dict, lang: str) -> Path:
    """Write the self-contained file (atomically)."""
    from experiments.runs.folders import atomic_write

    title = "Wat deze effecten bepaalt" if lang == "nl" else "What drives these effects"
    doc = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(title)}</title>'
           f"<style>{CSS}</style></head><body>\n<!-- sensitivity-section:start -->\n"
           f"{section_html(d, charts, stab, meta, lang)}\n<!-- sensitivity-section:end -->\n</body></html>\n")
    return atomic_write(path, lambda p: p.write_text(doc, encoding="utf-8"))
