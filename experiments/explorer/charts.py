"""The explorer's charts (matplotlib figures, no global state, so sessions can draw at once).

Each chart labels its axes with units, names its series in a legend and shows the 90% interval over
replications as a band or a whisker, with the report's words (:mod:`experiments.presentation.i18n`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from experiments.explorer.bridge import i18n
from experiments.explorer.runner import HEADLINE_YEARS, OUTCOMES, Result
from experiments.explorer.words import num, w

BASE_COLOUR, ALT_COLOUR = "#6b6b6b", "#c0392b"


def time_chart(r: Result, lang: str, alt_label: str) -> Figure:
    """Participation and employment over 10 years: both settings with 90% bands (top), and the
    paired difference with its 90% band (bottom), the 5-year effect marked."""
    fig = Figure(figsize=(11, 7.2), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)
    band = i18n.t("band90", lang)
    for j, outcome in enumerate(OUTCOMES):
        ax = axes[0, j]
        for scen, colour, label in (("baseline", BASE_COLOUR, i18n.scenario_name("baseline", lang)),
                                    ("setting", ALT_COLOUR, alt_label)):
            d = r.levels[(r.levels.scenario == scen) & (r.levels.outcome == outcome)]
            x = d.month.to_numpy() / 12
            ax.fill_between(x, d.p05, d.p95, color=colour, alpha=0.18, lw=0, label=f"{label}: {band}")
            ax.plot(x, d["median"], color=colour, lw=2, label=f"{label}: {i18n.t('median', lang)}")
        ax.set_title(i18n.outcome_label(outcome, lang), fontsize=10)
        ax.set_ylabel(i18n.t("share_working_age", lang) if outcome == "employed" else i18n.t("share_pct", lang))
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax = axes[1, j]
        d = r.effects[r.effects.outcome == outcome]
        x = d.month.to_numpy() / 12
        ax.axhline(0, color="black", lw=0.8)
        ax.fill_between(x, d.p05, d.p95, color=ALT_COLOUR, alpha=0.18, lw=0, label=band)
        ax.plot(x, d["median"], color=ALT_COLOUR, lw=2, label=i18n.t("median", lang))
        h = d[d.month == 12 * HEADLINE_YEARS]
        if len(h):
            m, lo, hi = float(h["median"].iloc[0]), float(h.p05.iloc[0]), float(h.p95.iloc[0])
            ax.errorbar([HEADLINE_YEARS], [m], yerr=[[m - lo], [hi - m]], fmt="o", color="black",
                        capsize=4, zorder=5)
            ax.annotate(f"{num(m, lang, 1, sign=True)} pp\n({num(lo, lang, 1)} .. {num(hi, lang, 1)})",
                        (HEADLINE_YEARS, m), textcoords="offset points", xytext=(8, 6), fontsize=9)
        ax.set_title(w("paired_diff", lang), fontsize=9)
        ax.set_ylabel(w("effect_pp", lang))
        ax.set_xlabel(i18n.t("years_since_permit", lang))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    axes[1, 0].set_xticks(range(0, 11))
    return fig


def groups_chart(r: Result, lang: str, outcome: str = "participating",
                 years: int = HEADLINE_YEARS) -> Figure:
    """The paired effect at ``years`` for every group (sex, origin, age, education), with 90% whiskers."""
    s = r.summary
    d = s[(s.scenario == "setting") & (s.outcome == outcome) & (s.years == years)].copy()
    d = d[d.diff_median.notna()]
    labels = []
    for g in d.group:
        if g == "all":
            labels.append(i18n.group_label(g, lang))
        else:
            key = g.split("=", 1)[0]
            labels.append(f"{i18n.group_key_label(key, lang)}: {i18n.group_label(g, lang)}")
    fig = Figure(figsize=(10, 0.32 * len(d) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(d))[::-1]
    med, lo, hi = d.diff_median.to_numpy(), d.diff_p05.to_numpy(), d.diff_p95.to_numpy()
    ax.axvline(0, color="black", lw=0.8)
    ax.errorbar(med, y, xerr=[med - lo, hi - med], fmt="o", color=ALT_COLOUR, ecolor=ALT_COLOUR,
                capsize=3, label=f"{i18n.t('median', lang)}, {i18n.t('band90', lang)}")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(i18n.t("pp_diff", lang))
    ax.set_title(w("groups_title", lang, outcome=i18n.outcome_short(outcome, lang).lower(), years=years),
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def costs_chart(r: Result, lang: str, years: int = 10) -> Figure:
    """The paired difference of each public cost item and of earnings, cumulative over ``years``."""
    c = r.costs
    d = c[(c.scenario == "setting") & (c.years == years)]
    fig = Figure(figsize=(10, 0.45 * len(d) + 1.6), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(d))[::-1]
    med, lo, hi = d.diff_median.to_numpy(), d.diff_p05.to_numpy(), d.diff_p95.to_numpy()
    colours = ["#2e86c1" if i == "earnings" else ("#555" if i == "public_total" else "#b9770e")
               for i in d["item"]]
    ax.barh(y, med, color=colours, alpha=0.6)
    ax.errorbar(med, y, xerr=[med - lo, hi - med], fmt="none", ecolor="black", capsize=3,
                label=f"{i18n.t('median', lang)}, {i18n.t('band90', lang)}")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [i18n.cost_item(i, lang) for i in d["item"]], fontsize=9)
    ax.set_xlabel(w("costs_diff", lang))
    ax.set_title(w("costs_title", lang, years=years), fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def evidence_chart(r: Result, lang: str) -> Figure | None:
    """Each changed demand's evidence range (bar, with the central estimate) beside the model's
    effect on employment (point, 90% whisker), after 3 and 5 years, as the report's chart (g)."""
    ev = r.evidence
    if ev is None or not len(ev):
        return None
    fig = Figure(figsize=(10, 0.55 * len(ev) + 1.8), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(ev))[::-1]
    labels = []
    for i, row in enumerate(ev.itertuples()):
        name = w("all_demands", lang) if row.demand == "full" else row.demand
        labels.append(f"{name}, {w('after_years', lang, y=row.horizon_years)}")
        ax.barh(y[i], row.high_pp - row.low_pp, left=row.low_pp, height=0.5, color="#aed6f1",
                label=w("evidence_range", lang) if i == 0 else None)
        ax.plot([row.central_pp] * 2, [y[i] - 0.25, y[i] + 0.25], color="#1b4f72", lw=2)
        if np.isfinite(row.diff_median):
            ax.errorbar([row.diff_median], [y[i]], xerr=[[row.diff_median - row.diff_p05],
                                                        [row.diff_p95 - row.diff_median]],
                        fmt="o", color=ALT_COLOUR, capsize=4, label=w("evidence_model", lang) if i == 0 else None)
            ax.annotate(w(row.verdict, lang), (max(row.diff_p95, row.high_pp), y[i]),
                        textcoords="offset points", xytext=(6, -3), fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xlabel(f"{i18n.outcome_short('employed', lang)}: {i18n.t('pp_diff', lang)}")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return fig
