"""Charts of a scenario comparison, in English or Dutch, as PNG and SVG.

Every chart has a title, axis labels with units, a source-and-assumptions line, and shows its
uncertainty: bands and whiskers are 90% intervals over replications (5th to 95th percentile); the
effects are paired differences from the baseline on the same seeds. Each scenario keeps one colour,
line style and marker in every chart (:func:`style`), so it can be followed across charts and
told apart in greyscale.

Charts:

a. ``a1_participation``: participation (paid work, education or other participation) over time, one
   panel per scenario, its three exclusive parts stacked (they add up to the whole: see
   :data:`experiments.runs.summary.PARTS`; the plotted numbers are in ``a1_participation.csv``), with the
   baseline as a reference; ``a2_employment``: employment over time, one panel per scenario, with
   the baseline as a reference and CBS's published points on the baseline's panel;
b. ``b_effects``: forest plot of each scenario's effect after 3 and 5 years;
c. ``c_stages``: how the working-age cohort is spread over the stages, baseline and full position;
d. ``d_groups`` (full position by sex, origin, age and education) and ``d_groups_all`` (every
   scenario by every group): so that nobody's loss hides in an average;
e. ``e_costs``: public costs by item against earnings, per person over ten years, and the
   differences from the baseline;
f. ``f_first_job``: time to the first job as survival curves (share still without a first job).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402,F401
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from experiments.presentation import i18n  # noqa: E402
from experiments.presentation.i18n import t  # noqa: E402
from experiments.runs.summary import PARTS, add_parts, band  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9.5, "axes.titlesize": 10,
                     "figure.dpi": 110, "savefig.dpi": 110})


@dataclass(frozen=True)
class Style:
    color: str
    linestyle: object
    marker: str


#: one style per known scenario, kept in every chart (colours: Okabe-Ito and Tol's palettes)
STYLES = {
    "baseline": Style("#000000", "-", "o"),
    "vwn_position": Style("#D55E00", "-", "D"),
    "d1_municipal_role": Style("#0072B2", "--", "s"),
    "d2_integral_approach": Style("#009E73", "-.", "^"),
    "d3_labour_guidance": Style("#CC79A7", ":", "v"),
    "d4_early_personal_plan": Style("#E69F00", "--", "<"),
    "d5_employers": Style("#56B4E9", "-.", ">"),
    "d6_better_inburgering": Style("#882255", ":", "p"),
    "d7_no_exam_condition": Style("#117733", "--", "h"),
    "d8_smooth_naturalisation": Style("#999933", "-.", "*"),
    "d9_stop_stacking": Style("#332288", ":", "X"),
    "d10_cooperation": Style("#44AA99", "--", "P"),
    "d11_welcoming_society": Style("#AA4499", "-.", "d"),
    "stacking": Style("#6b6b6b", ":", "8"),
    "wi2013": Style("#8c564b", (0, (6, 2, 1, 2)), "H"),
}
_EXTRA = [Style(c, ls, m) for c, ls, m in zip(
    ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#17becf", "#bcbd22", "#e377c2"],
    ["--", "-.", ":", "--", "-.", ":", "--", "-."], ["o", "s", "^", "v", "D", "p", "h", "*"])]

#: stage colours (pathway order, light to dark) and hatches for greyscale
STAGE_STYLE = {
    "reception": ("#d9d9d9", "xx"), "housed": ("#fdd0a2", ".."), "benefits": ("#f16913", "//"),
    "learning": ("#9ecae1", "\\\\"), "education": ("#6a51a3", "oo"), "work": ("#08519c", ""),
    "left": ("#ffffff", "--"),
}
#: colours and hatches of participation's parts (stacked in this order, from the bottom)
PART_STYLE = {"employed": ("#4a90c8", ""), "education_only": ("#b4a7d6", "//"),
              "other_only": ("#fdd49e", "..")}
COST_STYLE = {"reception": ("#bdbdbd", "xx"), "benefits": ("#f16913", "//"),
              "courses": ("#6baed6", "\\\\"), "support": ("#31a354", ".."),
              "subsidies": ("#fdd0a2", "oo")}
_SPARE_COST = [("#9e9ac8", "++"), ("#fee391", "--"), ("#c7e9c0", "||")]


def cost_items(items) -> list[tuple[str, str, str]]:
    """(item, colour, hatch) for each public cost item present, in model/costs.py's order."""
    from model.costs import ITEMS

    present = [i for i in ITEMS if i in set(items) and i not in ("earnings", "public_total")]
    present += [i for i in items if i not in ITEMS and i not in ("earnings", "public_total")]
    out, spare = [], iter(_SPARE_COST * 3)
    for i in present:
        c, h = COST_STYLE.get(i) or next(spare)
        out.append((i, c, h))
    return out


def style(scenario: str, order: Sequence[str] = ()) -> Style:
    """The scenario's style; scenarios not known here get one from a spare list by position."""
    if scenario in STYLES:
        return STYLES[scenario]
    unknown = [s for s in order if s not in STYLES]
    i = unknown.index(scenario) if scenario in unknown else 0
    return _EXTRA[i % len(_EXTRA)]


@dataclass
class ChartData:
    """What the charts draw (all from the runs of one comparison folder)."""

    tidy: pd.DataFrame  #: outcomes of all runs (scenario, seed, month, group, outcome, value)
    summary: pd.DataFrame
    costs_summary: pd.DataFrame
    times: pd.DataFrame  #: (scenario, seed, event, month, share_reached)
    stages: pd.DataFrame | None  #: (scenario, seed, month, stage, share) or None
    scenarios: list[str]
    baseline: str
    position: str | None
    lang: str
    n_runs: int
    population_size: int
    permit_year: int
    source: str  #: "integration-sim <sha>, <date>" for the source line
    seeds: str
    cbs_points: dict = field(default_factory=dict)  #: group -> (months, values, cohort)
    #: experiments.runs.summary.evidence_check (None: no evidence file) and why it is missing
    evidence: pd.DataFrame | None = None
    evidence_note: dict = field(default_factory=dict)
    demands: dict = field(default_factory=dict)  #: demand (D1..D11, full) -> scenario
    singles: list = field(default_factory=list)  #: the single-demand scenarios in the comparison
    full_vs_sum: pd.DataFrame | None = None  #: experiments.runs.summary.sum_of_singles
    #: what the bands cover: "chance", plus "+parameters" (ensemble) and "+levers" (strength draws)
    uncertainty: str = "chance"


def _name(d: ChartData, s: str) -> str:
    return i18n.scenario_name(s, d.lang)


def _source_line(d: ChartData, extra: str) -> str:
    if d.lang == "nl":
        head = (f"Bron: {d.source}; {d.n_runs} herhalingen (seeds {d.seeds}) met elk "
                f"{i18n.number(d.population_size, 'nl', 0)} gesimuleerde personen, vergunningcohort "
                f"{d.permit_year}. ")
        unc = {"chance": "toeval in de simulatie",
               "chance+parameters": "toeval en de onzekerheid in de geschatte parameters",
               "chance+levers": "toeval en hoe sterk de beleidsknoppen werken",
               "chance+parameters+levers": "toeval, de geschatte parameters en hoe sterk de "
                                           "beleidsknoppen werken"}.get(d.uncertainty, "toeval")
        unc = (f"Banden en strepen: 90%-interval over herhalingen ({unc}; niet de overige aannames "
               "van het model). ")
    else:
        head = (f"Source: {d.source}; {d.n_runs} replications (seeds {d.seeds}) of "
                f"{d.population_size:,} simulated persons each, {d.permit_year} permit cohort. ")
        unc = {"chance": "chance in the simulation",
               "chance+parameters": "chance and the uncertainty in the fitted parameters",
               "chance+levers": "chance and how strongly the policy levers work",
               "chance+parameters+levers": "chance, the fitted parameters and how strongly the "
                                           "policy levers work"}.get(d.uncertainty, "chance")
        unc = (f"Bands and whiskers: 90% interval over replications ({unc}; not the model's other "
               "assumptions). ")
    return head + unc + extra


def _finish(fig, out: Path, name: str, source: str, width_chars: int | None = None,
            top_in: float = 0.55, right: float = 1.0) -> list[Path]:
    """Add the source line, lay out, save PNG and SVG.

    Args:
        top_in: inches kept free at the top for the title (and a legend under it).
        right: right edge of the axes area (figure fraction; room for a legend at the right).
    """
    width_chars = width_chars or int(fig.get_figwidth() * 14.5)
    lines = textwrap.wrap(source, width_chars)
    h = fig.get_figheight()
    bottom = (0.12 + 0.15 * len(lines)) / h
    fig.text(0.01, 0.012, "\n".join(lines), fontsize=7.5, color="#333333", va="bottom",
             ha="left", linespacing=1.3)
    fig.tight_layout(rect=(0, bottom, right, 1 - top_in / h))
    paths = []
    for ext in ("png", "svg"):
        p = out / f"{name}.{ext}"
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def _panel_title(ax, d: ChartData, s: str, fontsize: float = 9.5) -> None:
    """A panel's title: the scenario's name in black (readable in greyscale) after its marker."""
    st = style(s, d.scenarios)
    ax.set_title(_name(d, s), fontsize=fontsize, color="black")
    ax.plot([0.02], [1.045], transform=ax.transAxes, marker=st.marker, color=st.color, ms=6,
            clip_on=False, ls="")


def _title(fig, title: str) -> None:
    """The chart's title, 0.1 inch from the top."""
    fig.suptitle(title, fontsize=12.5, y=1 - 0.1 / fig.get_figheight(), va="top")


def _legend_top(fig, handles, ncol: int) -> None:
    """A legend under the title: one row where the figure is wide enough, else two."""
    width_needed = sum(0.6 + 0.065 * len(h.get_label()) for h in handles)  # inches, roughly
    if width_needed > fig.get_figwidth() and ncol > 1:
        ncol = int(np.ceil(ncol / 2))
    fig.legend(handles=handles, loc="upper center", ncol=ncol, frameon=False, fontsize=8.5,
               bbox_to_anchor=(0.5, 1 - 0.38 / fig.get_figheight()))


def _label_month_grid(axes, n_used: int, d, ylabel: str) -> None:
    """Hide unused panels of a grid over months; label the x axis of the lowest panel in use of each
    column and the left column's y."""
    for ax in axes.flat[n_used:]:
        ax.set_visible(False)
    for j in range(axes.shape[1]):
        used = [i for i in range(axes.shape[0]) if i * axes.shape[1] + j < n_used]
        if used:
            ax = axes[used[-1], j]
            ax.set_xlabel(t("months_since_permit", d.lang))
            ax.tick_params(labelbottom=True)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)


def _grid(n: int, ncols: int) -> tuple[int, int]:
    return int(np.ceil(n / ncols)), ncols


# ---- (a1) participation and its parts over time ----------------------------------------------
def participation_data(d: ChartData) -> pd.DataFrame:
    """What chart (a1) draws, per scenario and month: the mean over replications of participation
    and of each exclusive part (the parts add up to participation), and participation's median and
    90% interval over replications."""
    need = ("participating",) + PARTS
    df = d.tidy[(d.tidy["group"] == "all") & d.tidy["outcome"].isin(("participating", "employed",
                                                                     "volunteering") + PARTS)]
    df = add_parts(df)
    df = df[df["outcome"].isin(need)]
    if not len(df) or "participating" not in set(df["outcome"]):
        return pd.DataFrame()
    b = band(df, ["scenario", "outcome"])
    mean = b.pivot_table(index=["scenario", "month"], columns="outcome", values="mean")
    whole = b[b["outcome"] == "participating"].set_index(["scenario", "month"])
    out = pd.DataFrame({"participating_mean": mean["participating"]})
    for p in PARTS:
        out[p] = mean[p] if p in mean else np.nan
    for c in ("median", "p05", "p95"):
        out[f"participating_{c}"] = whole[c]
    return out.reset_index()


def participation_over_time(d: ChartData, out: Path) -> list[Path] | None:
    data = participation_data(d)
    if not len(data):
        return None
    data.round(4).to_csv(out / "a1_participation.csv", index=False)
    scen = [s for s in d.scenarios if s in set(data["scenario"])]
    nrows, ncols = _grid(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.7 * nrows + 1.7),
                             sharex=True, sharey=True, squeeze=False)
    base = data[data["scenario"] == d.baseline]
    top = float(np.nanmax(data["participating_p95"])) if len(data) else 100.0
    ymax = min(100.0, max(10.0, top * 1.08))
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = data[data["scenario"] == s]
        m = g["month"].to_numpy()
        bottom = np.zeros(len(g))
        for p in PARTS:
            color, hatch = PART_STYLE[p]
            v = g[p].fillna(0.0).to_numpy()
            ax.fill_between(m, bottom, bottom + v, facecolor=color, edgecolor="#777777", hatch=hatch,
                            linewidth=0.0, alpha=0.85)
            bottom = bottom + v
        ax.fill_between(m, g["participating_p05"], g["participating_p95"], color="black", alpha=0.3,
                        linewidth=0)
        if s != d.baseline and len(base):
            ax.plot(base["month"], base["participating_mean"], color="#000000", lw=1.0, ls="--",
                    alpha=0.8)
        ax.plot(m, g["participating_mean"], color=st.color, ls="-", lw=2.0, marker=st.marker,
                markevery=(0, 24), ms=5)
        _panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, int(m.max()) if len(m) else 120)
        ax.set_xticks(np.arange(0, ax.get_xlim()[1] + 1, 24))
        ax.set_ylim(0, ymax)
    _label_month_grid(axes, len(scen), d, t("share_working_age", d.lang))
    nl = d.lang == "nl"
    handles = [Patch(facecolor=PART_STYLE[p][0], hatch=PART_STYLE[p][1], edgecolor="#777777",
                     label=i18n.part_label(p, d.lang)) for p in PARTS]
    handles += [Line2D([], [], color="#555555", lw=2.0,
                       label="Participatie (gemiddelde)" if nl else "Participation (mean)"),
                Patch(color="black", alpha=0.3, label=t("band90", d.lang)),
                Line2D([], [], color="black", lw=1.0, ls="--", alpha=0.8,
                       label="Participatie onder de basis" if nl else "Baseline participation")]
    _legend_top(fig, handles, len(handles))
    if nl:
        title = ("Participatie: aandeel 18-64-jarigen met betaald werk, onderwijs of andere participatie, "
                 "per scenario")
        extra = ("Vlakken: gemiddelde over herhalingen van drie delen die elkaar uitsluiten en samen de "
                 "participatie vormen: betaald werk (CBS-definitie, gekalibreerd op CBS), onderwijs zonder "
                 "betaald werk (met de hand afgestemd op CBS 2024), en alleen andere participatie "
                 "(vrijwilligerswerk, participatiebaan: een aanname, geen gepubliceerd cijfer). "
                 "Getallen: charts/a1_participation.csv.")
    else:
        title = ("Participation: share of 18-64 year olds in paid work, education or other "
                 "participation, per scenario")
        extra = ("Areas: mean over replications of three parts that exclude each other and together make "
                 "up participation: paid work (CBS definition, calibrated to CBS), education without paid "
                 "work (set by hand to CBS 2024), and other participation only (volunteering, a "
                 "participation job: an assumption, no published figure). Numbers: "
                 "charts/a1_participation.csv.")
    _title(fig, title)
    return _finish(fig, out, "a1_participation", _source_line(d, extra), top_in=0.62)


# ---- (a2) employment over time ----------------------------------------------------------------
def employment_over_time(d: ChartData, out: Path, outcome: str = "employed") -> list[Path]:
    df = d.tidy[(d.tidy["outcome"] == outcome) & (d.tidy["group"] == "all")]
    b = band(df, ["scenario"])
    scen = d.scenarios
    nrows, ncols = _grid(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.55 * nrows + 1.5),
                             sharex=True, sharey=True, squeeze=False)
    base = b[b["scenario"] == d.baseline]
    ymax = max(10.0, float(np.nanmax(b["p95"])) * 1.08) if len(b) else 100
    cbs = d.cbs_points.get(outcome)
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = b[b["scenario"] == s]
        ax.fill_between(g["month"], g["p05"], g["p95"], color=st.color, alpha=0.22, linewidth=0)
        if s != d.baseline and len(base):
            ax.plot(base["month"], base["median"], color="#000000", lw=0.9, ls="-", alpha=0.55)
        ax.plot(g["month"], g["median"], color=st.color, ls=st.linestyle, lw=1.8,
                marker=st.marker, markevery=(0, 24), ms=5)
        if s == d.baseline and cbs is not None:
            ax.scatter(cbs[0], cbs[1], color="white", edgecolor="black", zorder=5, s=26, lw=1.2)
        _panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, int(df["month"].max()) if len(df) else 120)
        ax.set_xticks(np.arange(0, (ax.get_xlim()[1]) + 1, 24))
        ax.set_ylim(0, ymax)
    _label_month_grid(axes, len(scen), d, t("share_working_age", d.lang))
    label = i18n.outcome_short(outcome, d.lang)
    handles = [Line2D([], [], color="#555555", lw=1.8, label=t("median", d.lang).capitalize()),
               Patch(color="#555555", alpha=0.25, label=t("band90", d.lang)),
               Line2D([], [], color="black", lw=0.9, alpha=0.55, label=t("baseline_median", d.lang).capitalize())]
    if cbs is not None:
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="black",
                              label=(f"CBS, cohort {cbs[2]} (ter vergelijking: ander jaar, andere wet)"
                                     if d.lang == "nl" else
                                     f"CBS, {cbs[2]} cohort (for reference: other year, other law)")))
    _legend_top(fig, handles, len(handles))
    if d.lang == "nl":
        title = f"{label}: aandeel 18-64-jarigen met betaald werk, per scenario"
        extra = ("Werkt = CBS-definitie (werknemer of zelfstandige, elk aantal uren, 18-64 jaar), "
                 "gemeten vanaf de eigen vergunningsmaand. CBS-punten: model/data/calibration_targets.csv.")
    else:
        title = f"{label}: share of 18-64 year olds in paid work, per scenario"
        extra = ("Employed = CBS definition (employee or self-employed, any hours, ages 18-64), counted "
                 "from each person's own permit month. CBS points: model/data/calibration_targets.csv.")
    _title(fig, title)
    return _finish(fig, out, "a2_employment", _source_line(d, extra), top_in=0.62)


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
    ax0.set_yticklabels([_name(d, s) for s in others])
    ax0.set_ylim(-0.7, len(others) - 0.3)
    handles = [Line2D([], [], color="#444444", marker="o", mfc="white", ls="-", lw=1.4,
                      label=t("after_3y", d.lang)),
               Line2D([], [], color="#444444", marker="o", ls="-", lw=1.4, label=t("after_5y", d.lang))]
    _legend_top(fig, handles, 2)
    if d.lang == "nl":
        title = ("Effect van elk scenario ten opzichte van de basis, na 3 en 5 jaar "
                 "(verschil in procentpunten, per seed gepaard)")
        extra = ("Punt: mediaan van het verschil met de basis op dezelfde seeds (open: na 3 jaar, "
                 "dicht: na 5 jaar); streep: 90%-interval van dat verschil. Aandelen van 18-64-jarigen; "
                 "inburgering: van wie een plicht heeft.")
    else:
        title = ("Effect of each scenario against the baseline after 3 and 5 years "
                 "(difference in percentage points, paired by seed)")
        extra = ("Point: median of the difference from the baseline on the same seeds (open: after "
                 "3 years, filled: after 5 years); whisker: its 90% interval. Shares of 18-64 year "
                 "olds; civic integration: of those with an obligation.")
    _title(fig, title)
    return _finish(fig, out, "b_effects", _source_line(d, extra), top_in=0.75)


# ---- (c) stages --------------------------------------------------------------------------------
def stages_over_time(d: ChartData, out: Path) -> list[Path] | None:
    if d.stages is None or not len(d.stages):
        return None
    from model.outcomes import STAGES

    pair = [s for s in (d.baseline, d.position) if s in set(d.stages["scenario"])]
    if not pair:
        return None
    fig, axes = plt.subplots(1, len(pair), figsize=(6.6 * len(pair), 5.4), sharey=True, squeeze=False)
    for ax, s in zip(axes[0], pair):
        df = d.stages[d.stages["scenario"] == s]
        wide = df.pivot_table(index=["seed", "month"], columns="stage", values="share").reindex(
            columns=list(STAGES)).fillna(0.0)
        cum = wide.cumsum(axis=1)
        mean = wide.groupby(level="month").mean()
        months = mean.index.to_numpy()
        bottom = np.zeros(len(months))
        for stg in STAGES:
            color, hatch = STAGE_STYLE[stg]
            top = bottom + mean[stg].to_numpy()
            ax.fill_between(months, bottom, top, facecolor=color, edgecolor="#555555",
                            hatch=hatch, linewidth=0.0, label=i18n.STAGE_NAMES[stg][d.lang])
            bottom = top
        # uncertainty: 90% interval of each boundary between stages, over replications
        for stg in STAGES[:-1]:
            q = cum[stg].groupby(level="month").quantile([0.05, 0.95]).unstack()
            ax.fill_between(q.index, q[0.05], q[0.95], color="black", alpha=0.4, lw=0)
        ax.set_xlim(0, months.max())
        ax.set_ylim(0, 100)
        ax.set_xticks(np.arange(0, months.max() + 1, 12))
        ax.set_xlabel(t("months_since_permit", d.lang))
        _panel_title(ax, d, s, fontsize=11)
    axes[0, 0].set_ylabel(t("share_working_age", d.lang))
    handles = [Patch(facecolor=STAGE_STYLE[s][0], hatch=STAGE_STYLE[s][1], edgecolor="#555555",
                     label=i18n.STAGE_NAMES[s][d.lang]) for s in STAGES][::-1]
    handles.append(Patch(color="black", alpha=0.4, label=("90%-interval van elke grens" if d.lang == "nl"
                                                          else "90% interval of each boundary")))
    fig.legend(handles=handles, loc="center right", frameon=False, fontsize=9,
               bbox_to_anchor=(1.0, 0.55))
    if d.lang == "nl":
        title = "Waar staat het cohort? 18-64-jarigen per fase, naar maanden sinds de vergunning"
        extra = ("Vlakken: gemiddeld aandeel over herhalingen. Ieder telt in precies één fase, de "
                 "eerste die geldt: vertrokken, werkt, onderwijs, leert Nederlands, opvang, bijstand, "
                 "gehuisvest. Bijstand telt per huishouden.")
    else:
        title = "Where is the cohort? 18-64 year olds by stage, by months since the permit"
        extra = ("Areas: mean share over replications. Everyone is in exactly one stage, the first "
                 "that applies: left, work, education, learning Dutch, reception, bijstand, housed. "
                 "Bijstand is a household benefit.")
    _title(fig, title)
    return _finish(fig, out, "c_stages", _source_line(d, extra), top_in=0.45,
                   right=0.79 if len(pair) > 1 else 0.66)


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
    name = _name(d, scenario)
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
    _title(fig, title)
    return _finish(fig, out, "d_groups", _source_line(d, extra), top_in=0.45)


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
    ax.set_yticklabels([_name(d, x) for x in others])
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
    _title(fig, title)
    return _finish(fig, out, "d_groups_all", _source_line(d, extra), top_in=0.45)


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
    ax1.set_yticklabels([_name(d, s) for s in scen])
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
    _legend_top(fig, handles, len(handles))
    from model.costs import PARAMS as COST_PARAMS

    assumed = [p.name for p in COST_PARAMS if "assumption" in p.source.lower()]
    if nl:
        title = f"Kosten en opbrengsten per persoon in de eerste {years} jaar van het cohort"
        extra = (f"Euro's nominaal, niet verdisconteerd, per gesimuleerde persoon (ook kinderen), modeljaren "
                 f"1-{years} vanaf het vergunningsjaar; balken: mediaan over herhalingen. Kosten per eenheid en "
                 f"bronnen: model/costs.py; {len(assumed)} van de {len(COST_PARAMS)} zijn aannames "
                 f"({', '.join(assumed)}). Inkomen uit werk is netto loon, geen publieke opbrengst.")
    else:
        title = f"Costs and earnings per person over the cohort's first {years} years"
        extra = (f"EUR, nominal, not discounted, per simulated person (children included), model years "
                 f"1-{years} from the permit year; bars: median over replications. Unit costs and sources: "
                 f"model/costs.py; {len(assumed)} of the {len(COST_PARAMS)} are assumptions "
                 f"({', '.join(assumed)}). Earnings are net wages, not a public return.")
    _title(fig, title)
    return _finish(fig, out, "e_costs", _source_line(d, extra), top_in=0.75)


# ---- (f) time to first job -------------------------------------------------------------------
def first_job_survival(d: ChartData, out: Path) -> list[Path]:
    df = d.times[d.times["event"] == "first_job"].assign(
        without=lambda x: 100.0 - x["share_reached"])
    b = band(df, ["scenario"], value="without")
    scen = d.scenarios
    nrows, ncols = _grid(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.55 * nrows + 1.5),
                             sharex=True, sharey=True, squeeze=False)
    base = b[b["scenario"] == d.baseline]
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = b[b["scenario"] == s]
        ax.fill_between(g["month"], g["p05"], g["p95"], color=st.color, alpha=0.22, linewidth=0,
                        step="post")
        if s != d.baseline and len(base):
            ax.step(base["month"], base["median"], where="post", color="black", lw=0.9, alpha=0.55)
        ax.step(g["month"], g["median"], where="post", color=st.color, ls=st.linestyle, lw=1.8)
        ax.plot(g["month"].iloc[::24], g["median"].iloc[::24], marker=st.marker, color=st.color,
                ls="", ms=5)
        ax.axhline(50, color="#999999", lw=0.6, ls=":")
        _panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_ylim(0, 100)
        ax.set_xlim(0, int(df["month"].max()) if len(df) else 120)
        ax.set_xticks(np.arange(0, ax.get_xlim()[1] + 1, 24))
    _label_month_grid(axes, len(scen), d,
                      "Nog zonder eerste baan (%)" if d.lang == "nl" else "Still without a first job (%)")
    handles = [Line2D([], [], color="#555555", lw=1.8, label=t("median", d.lang).capitalize()),
               Patch(color="#555555", alpha=0.25, label=t("band90", d.lang)),
               Line2D([], [], color="black", lw=0.9, alpha=0.55, label=t("baseline_median", d.lang).capitalize())]
    _legend_top(fig, handles, 3)
    if d.lang == "nl":
        title = "Tijd tot de eerste baan: aandeel nog zonder eerste baan, naar maanden sinds de vergunning"
        extra = ("Volwassenen van 18-64 jaar bij hun vergunning; wie vertrekt of 65 wordt zonder baan telt "
                 "als 'nog zonder'. Waar de lijn 50% kruist, had de helft een eerste baan.")
    else:
        title = "Time to the first job: share still without a first job, by months since the permit"
        extra = ("Adults aged 18-64 at their permit; those who leave or reach 65 without a job count as "
                 "'still without'. Where the line crosses 50%, half had had a first job.")
    _title(fig, title)
    return _finish(fig, out, "f_first_job", _source_line(d, extra), top_in=0.62)


# ---- (b2) effects year by year ------------------------------------------------------------------
#: the two outcomes of chart (b2) and their look: colour, line style, marker
YEAR_SERIES = {"participating": ("#1f4e79", "-", "o"), "employed": ("#b35806", "--", "s")}


def effects_by_year(d: ChartData, out: Path, outcomes: Sequence[str] = ("participating", "employed")
                    ) -> list[Path] | None:
    s = d.summary[(d.summary["group"] == "all") & d.summary["outcome"].isin(outcomes)]
    others = [x for x in d.scenarios if x != d.baseline and x in set(s["scenario"])]
    if not others or s["years"].nunique() < 2:
        return None
    nrows, ncols = _grid(len(others), 5 if len(others) > 8 else min(len(others), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.6 * nrows + 1.7),
                             sharex=True, sharey=True, squeeze=False)
    years = sorted(s["years"].unique())
    for ax, sc in zip(axes.flat, others):
        for o in outcomes:
            color, ls, mk = YEAR_SERIES.get(o, ("#555555", "-", "o"))
            g = s[(s["scenario"] == sc) & (s["outcome"] == o)].sort_values("years")
            ax.fill_between(g["years"], g["diff_p05"], g["diff_p95"], color=color, alpha=0.2, lw=0)
            ax.plot(g["years"], g["diff_median"], color=color, ls=ls, marker=mk, ms=4, lw=1.6)
        ax.axhline(0, color="black", lw=0.8)
        _panel_title(ax, d, sc)
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
    _legend_top(fig, handles, len(handles))
    if d.lang == "nl":
        title = "Effect op participatie en werk, jaar voor jaar (verschil met de basis, per seed gepaard)"
        extra = ("Lijn: mediaan van het verschil met de basis op dezelfde seeds, in elk jaar 1-10 na de "
                 "vergunning; band: 90%-interval van dat verschil. Zo blijft een effect zichtbaar dat pas na "
                 "vijf jaar begint of na een paar jaar verdwijnt. Voorbij vijf jaar is het model niet gekalibreerd.")
    else:
        title = "Effect on participation and employment, year by year (difference from the baseline, paired by seed)"
        extra = ("Line: median of the difference from the baseline on the same seeds, in every year 1-10 after "
                 "the permit; band: its 90% interval. An effect that starts after five years, or fades after a "
                 "few, shows here. Beyond five years the model is not calibrated.")
    _title(fig, title)
    return _finish(fig, out, "b2_effects_by_year", _source_line(d, extra), top_in=0.62)


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
        ax.set_yticklabels([_name(d, x) for x in others])
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
    _title(fig, title)
    fig.text(0.01, 0.012, "\n".join(textwrap.wrap(_source_line(d, extra), int(fig.get_figwidth() * 14.5))),
             fontsize=7.5, color="#333333", va="bottom", ha="left", linespacing=1.3)
    h = fig.get_figheight()
    n_lines = len(textwrap.wrap(_source_line(d, extra), int(fig.get_figwidth() * 14.5)))
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
            return _name(d, sc)
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
    _legend_top(fig, handles, len(handles))
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
    _title(fig, title)
    return _finish(fig, out, "g_evidence", _source_line(d, extra), top_in=0.62)


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
                      label=(f"Volledig standpunt ('{_name(d, d.position)}')" if nl else
                             f"Full position ('{_name(d, d.position)}')")),
               Line2D([], [], color="#555555", ls="--", marker="o", lw=1.8,
                      label=(f"Som van de {n} losse eisen" if nl else f"Sum of the {n} single demands")),
               Line2D([], [], color="#7b3294", marker="D", lw=1.6,
                      label="Geheel min som" if nl else "Whole minus sum"),
               Patch(color="#777777", alpha=0.3, label=t("band90", d.lang))]
    _legend_top(fig, handles, len(handles))
    names = ", ".join(_name(d, s).split(" ")[0] for s in d.singles)
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
    _title(fig, title)
    return _finish(fig, out, "h_full_vs_sum", _source_line(d, extra), top_in=0.62)


def all_charts(d: ChartData, out: Path) -> dict[str, list[Path]]:
    """Draw every chart into ``out``; returns chart name -> files (charts without data are left
    out)."""
    out.mkdir(parents=True, exist_ok=True)
    made = {
        "a1_participation": participation_over_time(d, out),
        "a2_employment": employment_over_time(d, out),
        "b_effects": effects_forest(d, out) if len(d.scenarios) > 1 else None,
        "b2_effects_by_year": effects_by_year(d, out) if len(d.scenarios) > 1 else None,
        "b3_all_outcomes": all_outcomes(d, out) if len(d.scenarios) > 1 else None,
        "c_stages": stages_over_time(d, out),
        "d_groups": effects_by_group(d, out) if d.position and d.position != d.baseline else None,
        "d_groups_all": effects_by_group_all(d, out) if len(d.scenarios) > 1 else None,
        "e_costs": costs_chart(d, out),
        "f_first_job": first_job_survival(d, out),
        "g_evidence": evidence_chart(d, out),
        "h_full_vs_sum": full_vs_sum_chart(d, out),
    }
    return {k: v for k, v in made.items() if v}
