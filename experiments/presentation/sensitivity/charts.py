"""Charts of the sensitivity analysis (PNG and SVG, English or Dutch).

- ``screening``: every parameter's Morris score (the top 30), the kept ones marked;
- ``drivers_<scenario>``: which assumptions move the scenario's effect (the baseline: its level) on
  participation and employment after five years: Morris ``mu_star`` over every uncertain parameter
  (left) and Sobol first- and total-order indices with 95% intervals for the kept ones (right);
- ``over_time_<scenario>``: total-order indices over years 1-10 for the most important parameters,
  with the share of the variation that is chance;
- ``range_<scenario>``: the effect on participation after five years across each kept parameter's
  range (every Sobol point, and the mean in tenths of the range);
- ``prim_<question>``: scenario discovery: the chosen boxes' ranges and the peeling trajectory.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from experiments.evidence.sensitivity.space import kind_of, short  # noqa: E402

#: the year since the permit the drivers and range charts show (earlier if the horizon is shorter)
YEAR = 5
KIND_COLOR = {"strength": "#D55E00", "calibrated": "#0072B2", "behaviour": "#555555"}
WORDS = {
    "strength": {"en": "lever strength", "nl": "sterkte van een maatregel"},
    "calibrated": {"en": "fitted to CBS data", "nl": "geschat op CBS-cijfers"},
    "behaviour": {"en": "other assumption", "nl": "andere aanname"},
    "participating": {"en": "participation", "nl": "participatie"},
    "employed": {"en": "employment", "nl": "werk"},
    "public_costs": {"en": "public costs", "nl": "publieke kosten"},
    "effect_on": {"en": "Effect on {m}", "nl": "Effect op {m}"},
    "level_of": {"en": "Baseline {m}", "nl": "{m} in de basis"},
    "after": {"en": "after {y} years", "nl": "na {y} jaar"},
    "morris": {"en": "Screening (Morris): mean absolute effect of a step, {u}",
               "nl": "Verkenning (Morris): gemiddeld absoluut effect van een stap, {u}"},
    "sobol": {"en": "Share of variance (Sobol): total (bar) and alone (dot), 95% interval",
              "nl": "Aandeel in de variantie (Sobol): totaal (balk) en alleen (punt), 95%-interval"},
    "drivers": {"en": "What moves {what}", "nl": "Wat {what} bepaalt"},
    "over_time": {"en": "Total-order index over time: {what}", "nl": "Totale Sobol-index door de tijd: {what}"},
    "years": {"en": "years since the permit", "nl": "jaren sinds de vergunning"},
    "chance": {"en": "chance (share of variance)", "nl": "toeval (aandeel in de variantie)"},
    "range": {"en": "{what} across each parameter's range", "nl": "{what} over het bereik van elke parameter"},
    "mean": {"en": "mean in tenths of the range", "nl": "gemiddelde per tiende van het bereik"},
    "screening": {"en": "Screening: importance of every uncertain parameter (Morris, {n} trajectories)",
                  "nl": "Verkenning: belang van elke onzekere parameter (Morris, {n} trajecten)"},
    "score": {"en": "score: mean normalised mu* over outcomes (1 = the most important everywhere)",
              "nl": "score: gemiddelde genormaliseerde mu* over de uitkomsten (1 = overal het belangrijkst)"},
    "kept": {"en": "kept for Sobol", "nl": "door naar Sobol"},
    "half": {"en": "half the trajectories", "nl": "de helft van de trajecten"},
    "pp": {"en": "percentage points", "nl": "procentpunt"},
    "pct": {"en": "percent", "nl": "procent"},
    "eur": {"en": "EUR per person", "nl": "euro per persoon"},
    "participation_q": {"en": "{s}: effect on participation after {y} years below {m} points",
                        "nl": "{s}: effect op participatie na {y} jaar kleiner dan {m} procentpunt"},
    "payback_q": {"en": "{s}: public costs not paid back within 10 years",
                  "nl": "{s}: publieke kosten niet binnen 10 jaar terugverdiend"},
    "box_ranges": {"en": "Box: range of each restricted parameter (grey: the whole range)",
                   "nl": "Box: bereik van elke beperkte parameter (grijs: het hele bereik)"},
    "trajectory": {"en": "Peeling trajectory (chosen boxes circled)",
                   "nl": "Pelpad (gekozen boxen omcirkeld)"},
    "coverage": {"en": "coverage (share of the failing points in the box)",
                 "nl": "dekking (aandeel van de tekortschietende punten in de box)"},
    "density": {"en": "density (share of the box's points that fail)",
                "nl": "dichtheid (aandeel van de punten in de box dat tekortschiet)"},
    "no_box": {"en": "no box: {k} of {n} points fail", "nl": "geen box: {k} van {n} punten schieten tekort"},
}

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 9.5,
                     "figure.dpi": 110, "savefig.dpi": 110})


def w(key: str, lang: str, **kw) -> str:
    return WORDS[key][lang].format(**kw)


@dataclass
class ChartData:
    plan: Any
    morris: pd.DataFrame
    screen: pd.DataFrame
    sobol: pd.DataFrame  #: at the full sample only
    chance: pd.DataFrame
    names: list
    kept: list  #: Sobol parameter keys in design order
    X: np.ndarray  #: Sobol points
    Y: np.ndarray  #: their outcomes
    prim: dict | None
    year: int = YEAR  #: the year the drivers and range charts and the summary show


def scenario_name(s: str, lang: str) -> str:
    from experiments.presentation import i18n

    return i18n.SCENARIO_NAMES.get(s, {}).get(lang, s)


def unit(measure: str, effect: bool, lang: str) -> str:
    if measure == "public_costs":
        return w("eur", lang)
    return w("pp", lang) if effect else w("pct", lang)


def what(d: ChartData, s: str, measure: str, lang: str, year: int | None = -1) -> str:
    year = d.year if year == -1 else year
    m = w(measure, lang)
    text = w("level_of", lang, m=m) if s == d.plan.baseline else w("effect_on", lang, m=m)
    if s != d.plan.baseline:
        text = f"{scenario_name(s, lang)}: {text[0].lower()}{text[1:]}" if lang == "en" else \
            f"{scenario_name(s, lang)}: {text[0].lower()}{text[1:]}"
    return text + (" " + w("after", lang, y=year) if year else "")


def _kinds(d: ChartData) -> dict:
    return {k: kind_of(p) for k, p in d.plan.params}


def _save(fig, folder: Path, name: str, note: str = "") -> list[Path]:
    lines = textwrap.wrap(note, int(fig.get_figwidth() * 15)) if note else []
    h = fig.get_figheight()
    bottom = (0.1 + 0.13 * len(lines)) / h
    if lines:
        fig.text(0.01, 0.01, "\n".join(lines), fontsize=7, color="#333333", va="bottom", ha="left")
    fig.tight_layout(rect=(0, bottom, 1, 1 - 0.45 / h))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        p = folder / f"{name}.{ext}"
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths


def _kind_legend(where, lang: str, **kw) -> None:
    where.legend(handles=[Line2D([], [], color=c, marker="s", ls="", label=w(k, lang))
                          for k, c in KIND_COLOR.items()], fontsize=7.5, frameon=False, **kw)


def screening_chart(d: ChartData, folder: Path, lang: str) -> list[Path]:
    sc = d.screen.head(30).iloc[::-1]
    kinds = _kinds(d)
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(sc) + 1.4))
    y = np.arange(len(sc))
    colors = [KIND_COLOR[kinds[k]] for k in sc["parameter"]]
    ax.hlines(y, 0, sc["score"], color="#cccccc", lw=1)
    ax.scatter(sc["score"], y, c=colors, s=[36 if k else 14 for k in sc["kept"]], zorder=3)
    ax.set_yticks(y, [short(k) + (" *" if kept else "") for k, kept in zip(sc["parameter"], sc["kept"])],
                  fontsize=7.5)
    ax.set_xlabel(w("score", lang))
    ax.set_title(w("screening", lang, n=d.plan.settings["n_morris"]))
    ax.set_xlim(0, max(1.0, float(sc["score"].max()) * 1.05))
    _kind_legend(ax, lang, loc="lower right")
    return _save(fig, folder, "screening", f"* {w('kept', lang)}")


def drivers_chart(d: ChartData, s: str, folder: Path, lang: str) -> list[Path]:
    kinds = _kinds(d)
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.2), gridspec_kw={"width_ratios": [1, 1]})
    for row, m in enumerate(("participating", "employed")):
        mo = d.morris[(d.morris["scenario"] == s) & (d.morris["measure"] == m) & (d.morris["year"] == d.year)]
        mo = mo.sort_values("mu_star", ascending=False).head(15).iloc[::-1]
        ax = axes[row, 0]
        y = np.arange(len(mo))
        ax.barh(y, mo["mu_star"], xerr=mo["mu_star_conf"], color=[KIND_COLOR[kinds[k]] for k in mo["parameter"]],
                alpha=0.85, error_kw={"lw": 0.8, "ecolor": "#333"})
        ax.set_yticks(y, [short(k) for k in mo["parameter"]], fontsize=7.5)
        ax.set_title(what(d, s, m, lang), loc="left", fontsize=9)
        ax.set_xlabel(w("morris", lang, u=unit(m, s != d.plan.baseline, lang)), fontsize=7.5)
        so = d.sobol[(d.sobol["scenario"] == s) & (d.sobol["measure"] == m) & (d.sobol["year"] == d.year)]
        so = so.sort_values("ST", ascending=True, na_position="first")
        ax = axes[row, 1]
        y = np.arange(len(so))
        ax.barh(y, so["ST"].fillna(0), xerr=so["ST_conf"].fillna(0),
                color=[KIND_COLOR[kinds[k]] for k in so["parameter"]], alpha=0.55,
                error_kw={"lw": 0.8, "ecolor": "#333"})
        ax.errorbar(so["S1"], y, xerr=so["S1_conf"], fmt="o", color="black", ms=3.5, lw=0.8)
        ax.axvline(0, color="#999", lw=0.6)
        ch = d.chance[(d.chance["scenario"] == s) & (d.chance["measure"] == m) & (d.chance["year"] == d.year)]
        if len(ch) and np.isfinite(ch["chance_share"].iloc[0]):
            c = min(float(ch["chance_share"].iloc[0]), 1.0)
            ax.axvline(c, color="#009E73", ls="--", lw=1)
            ax.text(c, len(so) - 0.4, f" {w('chance', lang)}: {float(ch['chance_share'].iloc[0]):.2f}",
                    color="#009E73", fontsize=7, va="top", ha="right" if c > 0.6 else "left")
        ax.set_yticks(y, [short(k) for k in so["parameter"]], fontsize=7.5)
        ax.set_xlim(-0.1, 1.05)
        ax.set_title(what(d, s, m, lang), loc="left", fontsize=9)
        ax.set_xlabel(w("sobol", lang), fontsize=7.5)
    _kind_legend(fig, lang, loc="upper right", ncol=3)
    fig.suptitle(w("drivers", lang, what=scenario_name(s, lang)), x=0.01, ha="left", fontsize=11)
    return _save(fig, folder, f"drivers_{s}", _note(d, lang))


def _seeds(n: int, lang: str) -> str:
    """``1 seed``, ``2 seeds`` (the same word in Dutch)."""
    return f"{n} seed" if n == 1 else f"{n} seeds"


def _note(d: ChartData, lang: str) -> str:
    st = d.plan.settings
    if lang == "nl":
        return (f"Morris: {st['n_morris']} trajecten over {len(d.plan.params)} parameters; Sobol: N={st['n_sobol']} "
                f"over de {len(d.kept)} belangrijkste; per punt {_seeds(len(d.plan.seeds), lang)} (dezelfde voor elk punt), "
                f"{st['population_size']} personen per run. Effect = scenario min basis, zelfde seed en parameters.")
    return (f"Morris: {st['n_morris']} trajectories over {len(d.plan.params)} parameters; Sobol: N={st['n_sobol']} over "
            f"the {len(d.kept)} most important; each point {_seeds(len(d.plan.seeds), lang)} (the same at every point), "
            f"{st['population_size']} persons a run. Effect = scenario minus baseline, same seed and parameters.")


def over_time_chart(d: ChartData, s: str, folder: Path, lang: str) -> list[Path]:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    colors = plt.get_cmap("tab10").colors
    for ax, m in zip(axes, ("participating", "employed")):
        so = d.sobol[(d.sobol["scenario"] == s) & (d.sobol["measure"] == m)]
        at = so[so["year"] == d.year].sort_values("ST", ascending=False)
        top = [k for k in at["parameter"] if np.isfinite(at.set_index("parameter").loc[k, "ST"])][:6]
        for i, k in enumerate(top):
            g = so[so["parameter"] == k].sort_values("year")
            ax.plot(g["year"], g["ST"], color=colors[i], marker="o", ms=3, label=short(k))
            ax.fill_between(g["year"], g["ST_low"], g["ST_high"], color=colors[i], alpha=0.12, lw=0)
        ch = d.chance[(d.chance["scenario"] == s) & (d.chance["measure"] == m)].sort_values("year")
        if ch["chance_share"].notna().any():
            ax.plot(ch["year"], ch["chance_share"].clip(upper=1.2), color="#009E73", ls="--", label=w("chance", lang))
        ax.set_ylim(-0.05, 1.05)
        ax.set_xticks(range(1, 11))
        ax.set_xlabel(w("years", lang))
        ax.set_title(what(d, s, m, lang, year=None), loc="left", fontsize=9)
        ax.legend(fontsize=7, frameon=False, loc="upper right")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("ST")
    fig.suptitle(w("over_time", lang, what=scenario_name(s, lang)), x=0.01, ha="left", fontsize=11)
    return _save(fig, folder, f"over_time_{s}", _note(d, lang))


def range_chart(d: ChartData, s: str, folder: Path, lang: str, measure: str = "participating") -> list[Path]:
    j = d.names.index((s, measure, d.year))
    rows = np.arange(len(d.X))  # every row of the design is a uniform draw of the kept parameters
    so = d.sobol[(d.sobol["scenario"] == s) & (d.sobol["measure"] == measure) & (d.sobol["year"] == d.year)]
    order = list(so.sort_values("ST", ascending=False)["parameter"])
    n = len(order)
    cols = 4
    r = int(np.ceil(n / cols))
    fig, axes = plt.subplots(r, cols, figsize=(11, 2.4 * r + 0.8), sharey=True, squeeze=False)
    bounds = {k: (float(p.low), float(p.high)) for k, p in d.plan.params}
    y = d.Y[rows, j]
    for ax, k in zip(axes.flat, order):
        i = d.kept.index(k)
        x = d.X[rows, i]
        ax.scatter(x, y, s=4, color="#888888", alpha=0.3, lw=0)
        lo, hi = bounds[k]
        edges = np.linspace(lo, hi, 11)
        mid = (edges[:-1] + edges[1:]) / 2
        idx = np.clip(np.digitize(x, edges) - 1, 0, 9)
        means = [float(np.mean(y[idx == b])) if np.any(idx == b) else np.nan for b in range(10)]
        ax.plot(mid, means, color="#D55E00", lw=1.8)
        st = so.set_index("parameter").loc[k, "ST"]
        ax.set_title(f"{short(k)}  (ST {st:.2f})", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes[0, 0].set_ylabel(unit(measure, s != d.plan.baseline, lang), fontsize=8)
    handles = [Line2D([], [], color="#888888", marker="o", ls="", ms=3, label="Sobol points"),
               Line2D([], [], color="#D55E00", lw=1.8, label=w("mean", lang))]
    fig.legend(handles=handles, loc="upper right", fontsize=7.5, frameon=False)
    fig.suptitle(w("range", lang, what=what(d, s, measure, lang)), x=0.01, ha="left", fontsize=11)
    return _save(fig, folder, f"range_{s}", _note(d, lang))


def prim_chart(d: ChartData, question: str, folder: Path, lang: str) -> list[Path]:
    p = d.prim
    st = p["settings"]
    boxes = p["boxes"][p["boxes"]["question"] == question]
    tr = p["trajectories"][p["trajectories"]["question"] == question] if len(p["trajectories"]) else pd.DataFrame()
    summ = p["summary"].set_index("question").loc[question]
    title = w(f"{question}_q", lang, s=scenario_name(st["scenario"], lang), y=st["year"], m=st["margin_pp"])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.5, 1]})
    if not len(boxes):
        for ax in (a1, a2):
            ax.axis("off")
        a1.text(0.0, 0.5, w("no_box", lang, k=int(summ["failing"]), n=int(summ["points"])), fontsize=10)
    else:
        labels, y = [], 0
        colors = plt.get_cmap("tab10").colors
        for b, g in boxes.groupby("box"):
            g = g[g["parameter"].notna()]
            for _, row in g.iterrows():
                lo = (row["low"] - row["range_low"]) / (row["range_high"] - row["range_low"])
                hi = (row["high"] - row["range_low"]) / (row["range_high"] - row["range_low"])
                a1.barh(y, 1, left=0, color="#eeeeee")
                a1.barh(y, hi - lo, left=lo, color=colors[(b - 1) % 10], alpha=0.8)
                a1.text(1.01, y, f"{row['low']:.3g} - {row['high']:.3g}", va="center", fontsize=7)
                labels.append(f"box {b}: {row['label']}")
                y += 1
        a1.set_yticks(range(len(labels)), labels, fontsize=7.5)
        a1.invert_yaxis()
        a1.set_xlim(0, 1.25)
        a1.set_xticks([0, 0.5, 1], ["low", "", "high"])
        a1.set_title(w("box_ranges", lang), loc="left", fontsize=9)
        for b, g in tr.groupby("box"):
            a2.plot(g["coverage"], g["density"], marker=".", ms=4, lw=0.8, color=colors[(b - 1) % 10],
                    label=f"box {b}")
            c = g[g["chosen"]]
            a2.scatter(c["coverage"], c["density"], s=90, facecolors="none", edgecolors="black")
            first = boxes[boxes["box"] == b].iloc[0]
            dens = float(c["density"].iloc[0])
            # above the circle near the axis, below it elsewhere, so the axis never hides it
            a2.annotate(f"cov {first['coverage']:.2f}\ndens {first['density']:.2f}",
                        (float(c["coverage"].iloc[0]), dens), fontsize=7,
                        xytext=(6, 8 if dens < 0.5 else -22), textcoords="offset points",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        a2.set_xlabel(w("coverage", lang), fontsize=7.5)
        a2.set_ylabel(w("density", lang), fontsize=7.5)
        a2.set_xlim(0, 1.02)
        a2.set_ylim(0, 1.02)
        a2.grid(alpha=0.3)
        a2.legend(fontsize=7, frameon=False)
        a2.set_title(w("trajectory", lang), loc="left", fontsize=9)
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    note = (f"{int(summ['failing'])} / {int(summ['points'])} Sobol points ({100 * summ['share_failing']:.0f}%). "
            + _note(d, lang))
    return _save(fig, folder, f"prim_{question}", note)


def draw_all(d: ChartData, folder: Path, lang: str) -> dict[str, list[Path]]:
    """Draw every chart; returns name -> [png, svg]."""
    out = {"screening": screening_chart(d, folder, lang)}
    for s in d.plan.scenarios:
        out[f"drivers_{s}"] = drivers_chart(d, s, folder, lang)
        out[f"over_time_{s}"] = over_time_chart(d, s, folder, lang)
        out[f"range_{s}"] = range_chart(d, s, folder, lang)
    if d.prim is not None:
        for q in d.prim["summary"]["question"]:
            out[f"prim_{q}"] = prim_chart(d, q, folder, lang)
    return out
