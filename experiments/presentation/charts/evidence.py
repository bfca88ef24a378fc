"""Charts of the model against evidence: (g) each demand's effect against its evidence range, (h)
the full position against the sum of its single demands."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.presentation import i18n
from experiments.presentation.charts.layout import (ChartData, figure_title, finish, legend_top,
                                                    scenario_label, source_line, style)
from experiments.presentation.i18n import t

# ---- (g) the model against the evidence -------------------------------------------------------------
VERDICT = i18n.VERDICT


def evidence_chart(d: ChartData, out: Path) -> list[Path] | None:
    ev = d.evidence
    if ev is None or not len(ev):
        return None
    horizons = sorted(ev["horizon_years"].unique())
    demands = list(dict.fromkeys(ev["demand"]))
    nl = d.lang == "nl"

    def label(dem):
        sc = d.demands.get(dem)
        if sc is not None and sc in d.scenarios:
            return scenario_label(d, sc)
        if dem == "full":
            return "Volledig standpunt" if nl else "Full position"
        return f"{dem} ({'niet gedraaid' if nl else 'not run'})"

    fig, axes = plt.subplots(1, len(horizons), figsize=(4.3 * len(horizons) + 2.6, 0.42 * len(demands) + 2.9),
                             sharey=True, squeeze=False)
    y = np.arange(len(demands))[::-1]
    run = ev[ev["verdict"] != "not run"]
    lo = float(np.nanmin([ev["low_pp"].min(), run["diff_p05"].min() if len(run) else 0, 0]))
    hi = float(np.nanmax([ev["high_pp"].max(), run["diff_p95"].max() if len(run) else 0, 0]))
    pad = 0.06 * max(hi - lo, 1.0)
    room = 0.42 * max(hi - lo, 1.0)  # for the words 'above the range' beside a whisker
    above_any, below_any = (ev["verdict"] == "above").any(), (ev["verdict"] == "below").any()
    for ax, hzn in zip(axes[0], horizons):
        e = ev[ev["horizon_years"] == hzn].set_index("demand")
        for yi, dem in zip(y, demands):
            if dem not in e.index:
                continue
            r = e.loc[dem]
            ax.barh(yi, r["high_pp"] - r["low_pp"], left=r["low_pp"], height=0.56, color="#d9d9d9",
                    edgecolor="#8c8c8c", lw=0.6, zorder=1)
            ax.plot([r["central_pp"]] * 2, [yi - 0.28, yi + 0.28], color="#404040", lw=1.6, zorder=2)
            if r["verdict"] == "not run":
                continue
            sc = d.demands.get(dem)
            st = style(sc, d.scenarios)
            ax.plot([r["diff_p05"], r["diff_p95"]], [yi, yi], color=st.color, lw=1.8, zorder=3)
            ax.plot(r["diff_median"], yi, marker=st.marker, color=st.color, ms=7, ls="", zorder=4,
                    mec="black", mew=0.6)
            if r["verdict"] in ("above", "below"):
                above = r["verdict"] == "above"
                ax.annotate(VERDICT[r["verdict"]][d.lang], (r["diff_p95"] if above else r["diff_p05"], yi),
                            xytext=(5 if above else -5, 0), textcoords="offset points",
                            ha="left" if above else "right", va="center", fontsize=7.5, color="#b2182b")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(lo - pad - (room if below_any else 0), hi + pad + (room if above_any else 0))
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(("Na %d jaar" if nl else "After %d years") % hzn, fontsize=10.5)
        ax.set_xlabel("Effect op werk (procentpunt)" if nl else "Effect on employment (percentage points)")
    axes[0, 0].set_yticks(y)
    axes[0, 0].set_yticklabels([label(x) for x in demands])
    axes[0, 0].set_ylim(-0.7, len(demands) - 0.3)
    handles = [Patch(facecolor="#d9d9d9", edgecolor="#8c8c8c",
                     label="Bandbreedte volgens het bewijs" if nl else "Range the evidence supports"),
               Line2D([], [], color="#404040", lw=1.6, ls="-", marker="|", ms=0,
                      label="Centrale schatting" if nl else "Central estimate"),
               Line2D([], [], color="#555555", marker="o", ms=6, lw=1.8,
                      label="Model: mediaan en 90%-interval" if nl else "Model: median and 90% interval")]
    legend_top(fig, handles, len(handles))
    if nl:
        title = "Model en bewijs: effect van elke eis op werk na 3 en 5 jaar, naast wat het bewijs toelaat"
        extra = ("Grijs: de bandbreedte van het effect op werk (procentpunten) die gepubliceerde evaluaties "
                 "ondersteunen, met de centrale schatting (model/data/demand_evidence.csv, met bronnen). "
                 "Punt en streep: het gepaarde verschil met de basis in het model, mediaan en 90%-interval; in "
                 "rood waar het hele interval boven of onder de bandbreedte ligt. Volledig standpunt: alle eisen samen.")
    else:
        title = "Model and evidence: each demand's effect on employment after 3 and 5 years, beside what the evidence supports"
        extra = ("Grey: the range of the effect on employment (percentage points) that published evaluations "
                 "support, with the central estimate (model/data/demand_evidence.csv, with sources). Point and "
                 "whisker: the model's paired difference from the baseline, median and 90% interval; in red where "
                 "the whole interval lies above or below the range. Full position: all demands together.")
    figure_title(fig, title)
    return finish(fig, out, "g_evidence", source_line(d, extra), top_in=0.62)


# ---- (h) the whole against the sum of its parts ---------------------------------------------------
def full_vs_sum_chart(d: ChartData, out: Path) -> list[Path] | None:
    f = d.full_vs_sum
    if f is None or not len(f) or not d.position:
        return None
    outcomes = list(dict.fromkeys(f["outcome"]))
    nl = d.lang == "nl"
    fig, axes = plt.subplots(2, len(outcomes), figsize=(5.6 * len(outcomes) + 0.8, 7.4), sharex=True,
                             squeeze=False, gridspec_kw={"height_ratios": [1.6, 1]})
    st = style(d.position, d.scenarios)
    looks = {"full": (st.color, "-", st.marker), "sum": ("#555555", "--", "o")}
    for j, o in enumerate(outcomes):
        g = f[f["outcome"] == o]
        ax = axes[0, j]
        for series, (c, ls, mk) in looks.items():
            h = g[g["series"] == series].sort_values("years")
            ax.fill_between(h["years"], h["p05"], h["p95"], color=c, alpha=0.18, lw=0)
            ax.plot(h["years"], h["median"], color=c, ls=ls, marker=mk, ms=4.5, lw=1.8)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(i18n.outcome_short(o, d.lang), fontsize=10.5)
        ax.grid(alpha=0.3)
        ax2 = axes[1, j]
        h = g[g["series"] == "full_minus_sum"].sort_values("years")
        ax2.fill_between(h["years"], h["p05"], h["p95"], color="#7b3294", alpha=0.2, lw=0)
        ax2.plot(h["years"], h["median"], color="#7b3294", marker="D", ms=4, lw=1.6)
        ax2.axhline(0, color="black", lw=0.8)
        ax2.grid(alpha=0.3)
        ax2.set_xlabel(t("years_since_permit", d.lang))
        ax2.set_xticks(sorted(g["years"].unique()))
    axes[0, 0].set_ylabel("Effect (procentpunt)" if nl else "Effect (percentage points)")
    axes[1, 0].set_ylabel("Geheel min som (%-punt)" if nl else "Whole minus sum (pp)")
    n = len(d.singles)
    handles = [Line2D([], [], color=st.color, marker=st.marker, lw=1.8,
                      label=(f"Volledig standpunt ('{scenario_label(d, d.position)}')" if nl else
                             f"Full position ('{scenario_label(d, d.position)}')")),
               Line2D([], [], color="#555555", ls="--", marker="o", lw=1.8,
                      label=(f"Som van de {n} losse eisen" if nl else f"Sum of the {n} single demands")),
               Line2D([], [], color="#7b3294", marker="D", lw=1.6,
                      label="Geheel min som" if nl else "Whole minus sum"),
               Patch(color="#777777", alpha=0.3, label=t("band90", d.lang))]
    legend_top(fig, handles, len(handles))
    demand_of = {sc: dem for dem, sc in d.demands.items()}  # the demand's code (D1 ...), else the scenario's name
    names = ", ".join(demand_of.get(s) or scenario_label(d, s) for s in d.singles)
    if nl:
        title = "Is het geheel de som van de delen? Alle eisen samen tegenover de som van de losse effecten"
        extra = (f"Per seed: het effect van het volledige standpunt (verschil met de basis) en de som over de "
                 f"losse eisen ({names}) van hun effect op dezelfde seed; lijn: mediaan, band: 90%-interval. "
                 "Onder nul in het onderste paneel: samen minder dan de som (overlap, afnemende meeropbrengst)."
                 + ("" if n >= 11 else f" Alleen de {n} eisen in deze vergelijking tellen mee."))
    else:
        title = "Is the whole the sum of its parts? All demands together against the sum of the single effects"
        extra = (f"Per seed: the full position's effect (difference from the baseline) and the sum over the single "
                 f"demands ({names}) of their effects on the same seed; line: median, band: 90% interval. Below "
                 "zero in the lower panels: together less than the sum (overlap, diminishing returns)."
                 + ("" if n >= 11 else f" Only the {n} demands in this comparison are summed."))
    figure_title(fig, title)
    return finish(fig, out, "h_full_vs_sum", source_line(d, extra), top_in=0.62)
