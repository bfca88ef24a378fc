"""Chart (e): public costs by item against earnings, and the differences from the baseline."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.presentation import i18n
from experiments.presentation.charts.layout import (ChartData, cost_items, figure_title, finish,
                                                    legend_top, scenario_label, source_line, style)
from experiments.presentation.i18n import t

# ---- (e) costs ---------------------------------------------------------------------------------
def costs_chart(d: ChartData, out: Path, years: int = 10) -> list[Path] | None:
    cs = d.costs_summary
    if not len(cs):
        return None
    years = int(min(years, cs["years"].max()))
    cs = cs[cs["years"] == years]
    scen = d.scenarios
    items = cost_items(list(dict.fromkeys(cs["item"])))
    y = np.arange(len(scen))[::-1] * 1.0
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(14.5, 0.55 * len(scen) + 2.9), sharey=True,
                                   gridspec_kw={"width_ratios": [1.35, 1]})
    h = 0.36
    for yi, s in zip(y, scen):
        st = style(s, scen)
        r = cs[cs["scenario"] == s].set_index("item")
        left = 0.0
        for item, color, hatch in items:  # upper bar: public costs by item
            if item in r.index:
                v = r.loc[item, "median"]
                ax1.barh(yi + h / 2, v, left=left, color=color, hatch=hatch, edgecolor="#444444",
                         lw=0.4, height=h)
                left += v
        if "public_total" in r.index:
            tot = r.loc["public_total"]
            ax1.plot([tot["p05"], tot["p95"]], [yi + h / 2] * 2, color="black", lw=1.5)
        if "earnings" in r.index:  # lower bar: earnings
            e = r.loc["earnings"]
            ax1.barh(yi - h / 2, e["median"], color="white", edgecolor=st.color, lw=1.6, height=h)
            ax1.plot([e["p05"], e["p95"]], [yi - h / 2] * 2, color="black", lw=1.5)
        for item, dy, mk in (("public_total", h / 2, "s"), ("earnings", -h / 2, "o")):
            if item in r.index and s != d.baseline:
                q = r.loc[item]
                ax2.plot([q["diff_p05"], q["diff_p95"]], [yi + dy] * 2, color=st.color, lw=1.6)
                ax2.plot(q["diff_median"], yi + dy, marker=mk, color=st.color, ms=6.5, ls="",
                         mfc="white" if item == "public_total" else st.color, mew=1.4)
    ax1.set_yticks(y)
    ax1.set_yticklabels([scenario_label(d, s) for s in scen])
    nl = d.lang == "nl"
    ax1.set_xlabel(f"{t('eur_person', d.lang)}, {'modeljaren' if nl else 'model years'} 1-{years}")
    ax2.set_xlabel(f"{'Verschil met de basis' if nl else 'Difference from the baseline'} "
                   f"({t('eur_person', d.lang)})")
    ax2.axvline(0, color="black", lw=0.8)
    for ax in (ax1, ax2):
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _: i18n.number(v, d.lang, 0)))
    ax1.set_ylim(-0.6, len(scen) - 0.4)
    if nl:
        ax1.set_title("Per scenario: publieke kosten per post (boven) en netto inkomen uit werk (onder)",
                      fontsize=10)
        ax2.set_title("Verschil: publieke kosten (open) en inkomen uit werk (dicht)", fontsize=10)
    else:
        ax1.set_title("Per scenario: public costs by item (upper bar) and net earnings (lower bar)",
                      fontsize=10)
        ax2.set_title("Difference: public costs (open) and net earnings (filled)", fontsize=10)
    handles = [Patch(facecolor=c, hatch=hh, edgecolor="#444444", label=i18n.cost_item(k, d.lang))
               for k, c, hh in items]
    handles += [Patch(facecolor="white", edgecolor="#444444", lw=1.4,
                      label=i18n.cost_item("earnings", d.lang)),
                Line2D([], [], color="black", lw=1.5,
                       label="90%-interval van het totaal" if nl else "90% interval of the total")]
    legend_top(fig, handles, len(handles))
    from model.costs import PARAMS as COST_PARAMS

    assumed = [i18n.cost_unit(p.name, d.lang) for p in COST_PARAMS if "assumption" in p.source.lower()]
    if nl:
        title = f"Kosten en opbrengsten per persoon in de eerste {years} jaar van het cohort"
        extra = (f"Euro's nominaal, niet verdisconteerd, per gesimuleerde persoon (ook kinderen), modeljaren "
                 f"1-{years} vanaf het vergunningsjaar; balken: mediaan over herhalingen. Kosten per eenheid en "
                 f"bronnen: model/costs.py; {len(assumed)} van de {len(COST_PARAMS)} zijn aannames "
                 f"({'; '.join(assumed)}). Inkomen uit werk is netto loon, geen publieke opbrengst.")
    else:
        title = f"Costs and earnings per person over the cohort's first {years} years"
        extra = (f"EUR, nominal, not discounted, per simulated person (children included), model years "
                 f"1-{years} from the permit year; bars: median over replications. Unit costs and sources: "
                 f"model/costs.py; {len(assumed)} of the {len(COST_PARAMS)} are assumptions "
                 f"({'; '.join(assumed)}). Earnings are net wages, not a public return.")
    figure_title(fig, title)
    return finish(fig, out, "e_costs", source_line(d, extra), top_in=0.75)
