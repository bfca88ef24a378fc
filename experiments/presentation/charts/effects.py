"""Charts of effects against the baseline: (b) the forest plot, (b2) year by year, (b3) every
outcome, (d) by group."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.presentation import i18n
from experiments.presentation.charts.layout import (ChartData, figure_title, finish, grid_shape,
                                                    legend_top, panel_title, scenario_label,
                                                    source_line, style)
from experiments.presentation.i18n import t

# ---- (b) forest plot -------------------------------------------------------------------------
FOREST_OUTCOMES = ("participating", "employed", "benefit", "exam_passed")


def effects_forest(d: ChartData, out: Path, outcomes: Sequence[str] = FOREST_OUTCOMES) -> list[Path]:
    s_all = d.summary[(d.summary["group"] == "all") & (d.summary["years"].isin([3, 5]))]
    others = [s for s in d.scenarios if s != d.baseline]
    outcomes = [o for o in outcomes if o in set(s_all["outcome"])]
    if not outcomes or not others:  # horizon under 3 years, or no scenario besides the baseline
        return []
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.4 * len(outcomes) + 2.2,
                                                         0.36 * len(others) + 2.6),
                             sharey=True, squeeze=False)
    y = np.arange(len(others))[::-1]
    for ax, o in zip(axes[0], outcomes):
        so = s_all[s_all["outcome"] == o]
        for yi, s in zip(y, others):
            st = style(s, d.scenarios)
            for yrs, dy, filled in ((3, 0.17, False), (5, -0.17, True)):
                r = so[(so["scenario"] == s) & (so["years"] == yrs)]
                if not len(r):
                    continue
                r = r.iloc[0]
                ax.plot([r["diff_p05"], r["diff_p95"]], [yi + dy, yi + dy], color=st.color, lw=1.6,
                        solid_capstyle="butt")
                ax.plot(r["diff_median"], yi + dy, marker=st.marker, ms=6.5, color=st.color,
                        mfc=st.color if filled else "white", mew=1.4, ls="")
        ax.axvline(0, color="black", lw=0.8)
        ax.grid(axis="x", alpha=0.3)
        direction = so["direction"].iloc[0] if len(so) else "none"
        better = {"maximise": {"en": "higher is better", "nl": "hoger is beter"},
                  "minimise": {"en": "lower is better", "nl": "lager is beter"}}.get(direction)
        ttl = i18n.outcome_short(o, d.lang) + (f"\n({better[d.lang]})" if better else "")
        ax.set_title(ttl, fontsize=10)
        ax.set_xlabel("pp" if d.lang == "en" else "procentpunt")
        lo = np.nanmin(so["diff_p05"]) if len(so) else -1
        hi = np.nanmax(so["diff_p95"]) if len(so) else 1
        pad = 0.08 * max(hi - lo, 1.0)
        ax.set_xlim(min(lo, 0) - pad, max(hi, 0) + pad)
    ax0 = axes[0, 0]
    ax0.set_yticks(y)
    ax0.set_yticklabels([scenario_label(d, s) for s in others])
    ax0.set_ylim(-0.7, len(others) - 0.3)
    handles = [Line2D([], [], color="#444444", marker="o", mfc="white", ls="-", lw=1.4,
                      label=t("after_3y", d.lang)),
               Line2D([], [], color="#444444", marker="o", ls="-", lw=1.4, label=t("after_5y", d.lang))]
    legend_top(fig, handles, 2)
    if d.lang == "nl":
        title = ("Effect van elk scenario ten opzichte van de basis, na 3 en 5 jaar "
                 "(verschil in procentpunten, per seed gepaard)")
        extra = ("Punt: mediaan van het verschil met de basis op dezelfde toevalstrekkingen (open: na 3 jaar, "
                 "dicht: na 5 jaar); streep: 90%-interval van dat verschil. Aandelen van 18-64-jarigen; "
                 "inburgering: van wie een plicht heeft.")
    else:
        title = ("Effect of each scenario against the baseline after 3 and 5 years "
                 "(difference in percentage points, paired by seed)")
        extra = ("Point: median of the difference from the baseline on the same seeds (open: after "
                 "3 years, filled: after 5 years); whisker: its 90% interval. Shares of 18-64 year "
                 "olds; civic integration: of those with an obligation.")
    figure_title(fig, title)
    return finish(fig, out, "b_effects", source_line(d, extra), top_in=0.75)




# ---- (b2) effects year by year ------------------------------------------------------------------
#: the two outcomes of chart (b2) and their look: colour, line style, marker
YEAR_SERIES = {"participating": ("#1f4e79", "-", "o"), "employed": ("#b35806", "--", "s")}


def effects_by_year(d: ChartData, out: Path, outcomes: Sequence[str] = ("participating", "employed")
                    ) -> list[Path] | None:
    s = d.summary[(d.summary["group"] == "all") & d.summary["outcome"].isin(outcomes)]
    others = [x for x in d.scenarios if x != d.baseline and x in set(s["scenario"])]
    if not others or s["years"].nunique() < 2:
        return None
    nrows, ncols = grid_shape(len(others), 5 if len(others) > 8 else min(len(others), 4))
    # at least 8.6 inches wide, so that the title, the legend and the source line fit when there
    # are only one or two scenarios beside the baseline (the panels then grow wider)
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(3.3 * ncols + 0.6, 8.6), 2.6 * nrows + 1.7),
                             sharex=True, sharey=True, squeeze=False)
    years = sorted(s["years"].unique())
    for ax, sc in zip(axes.flat, others):
        for o in outcomes:
            color, ls, mk = YEAR_SERIES.get(o, ("#555555", "-", "o"))
            g = s[(s["scenario"] == sc) & (s["outcome"] == o)].sort_values("years")
            ax.fill_between(g["years"], g["diff_p05"], g["diff_p95"], color=color, alpha=0.2, lw=0)
            ax.plot(g["years"], g["diff_median"], color=color, ls=ls, marker=mk, ms=4, lw=1.6)
        ax.axhline(0, color="black", lw=0.8)
        panel_title(ax, d, sc)
        ax.grid(alpha=0.3)
        ax.set_xticks(years)
        ax.set_xlim(min(years) - 0.3, max(years) + 0.3)
    for a in axes.flat[len(others):]:
        a.set_visible(False)
    for j in range(axes.shape[1]):  # the lowest panel in use of each column gets the x labels
        used = [i for i in range(axes.shape[0]) if i * axes.shape[1] + j < len(others)]
        if used:
            a = axes[used[-1], j]
            a.set_xlabel(t("years_since_permit", d.lang))
            a.tick_params(labelbottom=True)
    for a in axes[:, 0]:
        a.set_ylabel("Verschil met de basis (%-punt)" if d.lang == "nl" else "Difference from baseline (pp)")
    handles = []
    for o in outcomes:
        color, ls, mk = YEAR_SERIES.get(o, ("#555555", "-", "o"))
        handles.append(Line2D([], [], color=color, ls=ls, marker=mk, ms=4, lw=1.6,
                              label=i18n.outcome_short(o, d.lang) + (" (mediaan)" if d.lang == "nl" else " (median)")))
    handles.append(Patch(color="#777777", alpha=0.3, label=t("band90", d.lang)))
    legend_top(fig, handles, len(handles))
    if d.lang == "nl":
        title = "Effect op participatie en werk, jaar voor jaar (verschil met de basis, per seed gepaard)"
        extra = ("Lijn: mediaan van het verschil met de basis op dezelfde toevalstrekkingen, in elk jaar 1-10 na de "
                 "vergunning; band: 90%-interval van dat verschil. Zo blijft een effect zichtbaar dat pas na "
                 "vijf jaar begint of na een paar jaar verdwijnt. Voorbij vijf jaar is het model op twee punten "
                 "gekalibreerd (zes en acht jaar) en ligt het na acht jaar te hoog.")
    else:
        title = "Effect on participation and employment, year by year (difference from the baseline, paired by seed)"
        extra = ("Line: median of the difference from the baseline on the same seeds, in every year 1-10 after "
                 "the permit; band: its 90% interval. An effect that starts after five years, or fades after a "
                 "few, shows here. Beyond five years the model is calibrated at two points (six and eight years) "
                 "and runs high at eight.")
    figure_title(fig, title)
    return finish(fig, out, "b2_effects_by_year", source_line(d, extra), top_in=0.62)


# ---- (b3) every outcome ---------------------------------------------------------------------------
def all_outcomes(d: ChartData, out: Path, years: Sequence[int] = (5, 10)) -> list[Path] | None:
    from experiments.runs.summary import outcome_info

    info = outcome_info()
    s = d.summary[(d.summary["group"] == "all") & d.summary["years"].isin(years)]
    others = [x for x in d.scenarios if x != d.baseline and x in set(s["scenario"])]
    years = [y for y in years if y in set(s["years"])]
    if not others or not years:
        return None
    outcomes = [o for o in info if o in set(s["outcome"])]
    idx = s.set_index(["scenario", "outcome", "years"])
    # colour: the effect's size on the good (+) or bad (-) side of the outcome's direction, capped
    sign = {o: {"maximise": 1.0, "minimise": -1.0}.get(info[o].direction, 0.0) for o in outcomes}
    single = [x for x in others if x != d.position] or others
    vals = [abs(idx.loc[(x, o, y), "diff_median"]) for x in single for o in outcomes for y in years
            if (x, o, y) in idx.index and sign[o] != 0]
    vals = [v for v in vals if np.isfinite(v)]
    lim = max(1.0, float(np.percentile(vals, 95))) if vals else 1.0
    fig, axes = plt.subplots(len(years), 1, figsize=(0.78 * len(outcomes) + 3.8,
                                                     (0.36 * len(others) + 0.9) * len(years) + 2.4),
                             squeeze=False, sharex=True)
    cmap = plt.get_cmap("BrBG")
    for ax, y in zip(axes[:, 0], years):
        good = np.full((len(others), len(outcomes)), np.nan)
        for i, x in enumerate(others):
            for j, o in enumerate(outcomes):
                if (x, o, y) not in idx.index:
                    continue
                r = idx.loc[(x, o, y)]
                good[i, j] = r["diff_median"] * sign[o] if sign[o] else 0.0
                tied = r["share_tied"] == 100
                clear = (r["diff_p05"] > 0 or r["diff_p95"] < 0) and not tied
                txt = "0" if tied else i18n.number(r["diff_median"], d.lang, 1, sign=True)
                dark = abs(good[i, j]) > 0.65 * lim
                ax.text(j, i, txt, ha="center", va="center", fontsize=7.2,
                        fontweight="bold" if clear else "normal",
                        color="white" if dark else ("black" if clear else "#777777"))
        ax.imshow(good, cmap=cmap, vmin=-lim, vmax=lim, aspect="auto")
        ax.set_yticks(range(len(others)))
        ax.set_yticklabels([scenario_label(d, x) for x in others])
        ax.set_title(("Na %d jaar" if d.lang == "nl" else "After %d years") % y, fontsize=10, loc="left")
        for j in range(1, len(outcomes)):
            ax.axvline(j - 0.5, color="white", lw=1.0)
    ax = axes[-1, 0]
    ax.set_xticks(range(len(outcomes)))
    ax.set_xticklabels([i18n.outcome_short(o, d.lang) for o in outcomes], rotation=40, ha="right")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(-lim, lim))
    if d.lang == "nl":
        title = "Waar werkt elk scenario op? Verschil met de basis op elke uitkomst"
        extra = ("Getal: mediaan van het gepaarde verschil (procentpunten; 'voelt zich thuis': indexpunten). "
                 "Kleur: groen is beter, bruin slechter, volgens de richting van de uitkomst (grijs: geen "
                 "richting, zoals vertrek). Vet: het 90%-interval sluit nul uit; '0': gelijk in elke herhaling. "
                 "Vergunning en naturalisatie: van het hele cohort; werk en participatie: van 18-64-jarigen. Wie "
                 "naturaliseert, heeft geen vaste vergunning meer: meer naturalisatie kan die dus verlagen.")
    else:
        title = "Where does each scenario act? Difference from the baseline on every outcome"
        extra = ("Number: median of the paired difference (percentage points; 'feeling at home': index points). "
                 "Colour: green is better, brown worse, by the outcome's direction (grey: no direction, such as "
                 "leaving). Bold: the 90% interval excludes zero; '0': identical in every replication. Permits "
                 "and naturalisation: of the whole cohort; work and participation: of 18-64 year olds. Whoever "
                 "naturalises no longer holds a permanent permit, so more naturalisation can lower it.")
    figure_title(fig, title)
    fig.text(0.01, 0.012, "\n".join(textwrap.wrap(source_line(d, extra), int(fig.get_figwidth() * 14.5))),
             fontsize=7.5, color="#333333", va="bottom", ha="left", linespacing=1.3)
    h = fig.get_figheight()
    n_lines = len(textwrap.wrap(source_line(d, extra), int(fig.get_figwidth() * 14.5)))
    left = min(0.35, 2.4 / fig.get_figwidth())
    longest = max(len(i18n.outcome_short(o, d.lang)) for o in outcomes)
    bottom = (0.12 + 0.15 * n_lines + 0.35 + 0.075 * longest * np.sin(np.radians(40))) / h
    fig.subplots_adjust(left=left, right=0.9, top=1 - 0.6 / h, bottom=bottom, hspace=0.25)
    cax = fig.add_axes((0.915, bottom, 0.012, 1 - 0.6 / h - bottom))
    cb = fig.colorbar(sm, cax=cax, extend="both")
    cb.set_label("slechter  \u2190  procentpunt  \u2192  beter" if d.lang == "nl" else
                 "worse  \u2190  percentage points  \u2192  better", fontsize=8.5)
    paths = []
    for ext in ("png", "svg"):
        p = out / f"b3_all_outcomes.{ext}"
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    plt.close(fig)
    return paths




# ---- (d) effects by group --------------------------------------------------------------------
GROUP_DIMENSIONS = ("sex", "origin", "age", "education")


def _working_age_groups(groups: Sequence[str]) -> list[str]:
    """The groups by sex, origin, age (18-64) and education, in the model's order."""
    from model.outcomes import standard_groups

    have = set(groups)
    rank = {g: i for i, g in enumerate(standard_groups())}
    out = []
    for dim in GROUP_DIMENSIONS:
        sel = [g for g in have if g.startswith(dim + "=") and g not in ("age=0-17", "age=65-200")]
        out += sorted(sel, key=lambda g: rank.get(g, 999))
    return out


def effects_by_group(d: ChartData, out: Path, scenario: str | None = None, years: int = 5,
                     outcomes: Sequence[str] = ("participating", "employed", "benefit")) -> list[Path] | None:
    scenario = scenario or d.position
    s = d.summary[(d.summary["scenario"] == scenario) & (d.summary["years"] == years)]
    if not len(s):
        return None
    groups = ["all"] + _working_age_groups(list(dict.fromkeys(s["group"])))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.6 * len(outcomes) + 2.4, 0.3 * len(groups) + 2.6),
                             sharey=True, squeeze=False)
    ypos, labels, y = [], [], 0.0
    dims = []
    for g in groups:
        dim = g.split("=", 1)[0] if g != "all" else "all"
        if dims and dim != dims[-1]:
            y += 0.6
        dims.append(dim)
        ypos.append(y)
        labels.append(i18n.group_label(g, d.lang))
        y += 1
    ypos = -np.array(ypos)
    st = style(scenario, d.scenarios)
    for ax, o in zip(axes[0], outcomes):
        so = s[s["outcome"] == o].set_index("group")
        for yi, g in zip(ypos, groups):
            if g not in so.index:
                continue
            r = so.loc[g]
            loss = ((r["direction"] == "maximise" and r["diff_p95"] < 0)
                    or (r["direction"] == "minimise" and r["diff_p05"] > 0))
            c = "#b2182b" if loss else st.color
            ax.plot([r["diff_p05"], r["diff_p95"]], [yi, yi], color=c, lw=1.8)
            ax.plot(r["diff_median"], yi, marker=st.marker if g != "all" else "D", color=c,
                    ms=6.5 if g != "all" else 8, ls="")
        ax.axvline(0, color="black", lw=0.8)
        if len(so):
            allrow = so.loc["all"] if "all" in so.index else None
            if allrow is not None:
                ax.axvline(allrow["diff_median"], color=st.color, lw=0.8, ls=":")
        ax.grid(axis="x", alpha=0.3)
        direction = so["direction"].iloc[0] if len(so) else "none"
        better = {"maximise": {"en": "higher is better", "nl": "hoger is beter"},
                  "minimise": {"en": "lower is better", "nl": "lager is beter"}}.get(direction)
        ax.set_title(i18n.outcome_short(o, d.lang) + (f"\n({better[d.lang]})" if better else ""), fontsize=10)
        ax.set_xlabel("pp" if d.lang == "en" else "procentpunt")
    ax0 = axes[0, 0]
    ax0.set_yticks(ypos)
    ax0.set_yticklabels(labels)
    # dimension names beside the first label of each block
    seen = set()
    for yi, g in zip(ypos, groups):
        dim = g.split("=", 1)[0] if g != "all" else None
        if dim and dim not in seen:
            seen.add(dim)
            ax0.annotate(i18n.group_key_label(dim, d.lang), xy=(0, yi + 0.75), xycoords=("axes fraction", "data"),
                         xytext=(-4, 0), textcoords="offset points", ha="right", va="center",
                         fontsize=8.5, fontweight="bold", annotation_clip=False)
    ax0.set_ylim(ypos.min() - 0.7, ypos.max() + 0.7)
    name = scenario_label(d, scenario)
    if d.lang == "nl":
        title = f"Wie wint en wie verliest? Effect van '{name}' na {years} jaar, per groep"
        extra = ("Punt: mediaan van het gepaarde verschil met de basis; streep: 90%-interval; "
                 "stippellijn: effect voor iedereen. Rood: de hele 90%-interval ligt aan de verliezende "
                 "kant (de groep gaat erop achteruit). Leeftijd op het meetmoment; 18-64-jarigen.")
    else:
        title = f"Who gains and who loses? Effect of '{name}' after {years} years, by group"
        extra = ("Point: median of the paired difference from the baseline; whisker: 90% interval; "
                 "dotted line: the effect for everyone. Red: the whole 90% interval is on the losing "
                 "side (the group is worse off). Age at the measurement date; ages 18-64.")
    figure_title(fig, title)
    return finish(fig, out, "d_groups", source_line(d, extra), top_in=0.45)


def effects_by_group_all(d: ChartData, out: Path, outcome: str = "employed", years: int = 5
                         ) -> list[Path] | None:
    s = d.summary[(d.summary["outcome"] == outcome) & (d.summary["years"] == years)]
    others = [x for x in d.scenarios if x != d.baseline]
    if not len(s) or not others:
        return None
    groups = ["all"] + _working_age_groups(list(dict.fromkeys(s["group"])))
    med = np.full((len(others), len(groups)), np.nan)
    lo, hi = med.copy(), med.copy()
    idx = s.set_index(["scenario", "group"])
    for i, sc in enumerate(others):
        for j, g in enumerate(groups):
            if (sc, g) in idx.index:
                r = idx.loc[(sc, g)]
                med[i, j], lo[i, j], hi[i, j] = r["diff_median"], r["diff_p05"], r["diff_p95"]
    # colour scale from the single scenarios, so that the full position's large effects do not wash
    # them out (its cells saturate; the numbers say how large they are)
    single = np.array([x != d.position for x in others])
    scale = med[single] if single.any() and np.isfinite(med[single]).any() else med
    lim = max(1.0, float(np.nanmax(np.abs(scale)))) if np.isfinite(scale).any() else 1.0
    fig, ax = plt.subplots(figsize=(0.62 * len(groups) + 3.6, 0.42 * len(others) + 2.9))
    im = ax.imshow(med, cmap="PuOr_r", vmin=-lim, vmax=lim, aspect="auto")
    direction = s["direction"].iloc[0]
    for i in range(len(others)):
        for j in range(len(groups)):
            if not np.isfinite(med[i, j]):
                continue
            clear = lo[i, j] > 0 or hi[i, j] < 0
            loss = (direction == "maximise" and hi[i, j] < 0) or (direction == "minimise" and lo[i, j] > 0)
            txt = ("0" if med[i, j] == 0 and lo[i, j] == 0 and hi[i, j] == 0 else
                   i18n.number(med[i, j], d.lang, 1, sign=True) + ("\u25bc" if loss else ""))
            dark = abs(med[i, j]) > 0.6 * lim
            ax.text(j, i, txt, ha="center", va="center", fontsize=7.2,
                    fontweight="bold" if clear else "normal",
                    color="white" if dark else ("black" if clear else "#666666"))
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([i18n.group_label(g, d.lang) for g in groups], rotation=45, ha="right")
    ax.set_yticks(range(len(others)))
    ax.set_yticklabels([scenario_label(d, x) for x in others])
    # separators between dimensions
    prev = None
    for j, g in enumerate(groups):
        dim = g.split("=", 1)[0]
        if prev is not None and dim != prev:
            ax.axvline(j - 0.5, color="white", lw=2.5)
        prev = dim
    cb = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01,
                      extend="both" if np.nanmax(np.abs(med)) > lim else "neither")
    cb.set_label("procentpunt" if d.lang == "nl" else "percentage points", fontsize=8.5)
    oname = i18n.outcome_short(outcome, d.lang)
    if d.lang == "nl":
        title = f"{oname} na {years} jaar: verschil met de basis per scenario en groep (procentpunten)"
        extra = ("Getal: mediaan van het gepaarde verschil. Vet: het 90%-interval sluit nul uit; grijs: "
                 "niet te onderscheiden van toeval; \u25bc: de groep gaat erop achteruit (hele interval "
                 "aan de verliezende kant). Kleine groepen hebben brede intervallen.")
    else:
        title = f"{oname} after {years} years: difference from the baseline by scenario and group (pp)"
        extra = ("Number: median of the paired difference. Bold: the 90% interval excludes zero; grey: "
                 "not distinguishable from chance; \u25bc: the group is worse off (whole interval on the "
                 "losing side). Small groups have wide intervals.")
    figure_title(fig, title)
    return finish(fig, out, "d_groups_all", source_line(d, extra), top_in=0.45)
