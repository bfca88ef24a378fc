"""What every chart of a comparison shares: its data (:class:`ChartData`), each scenario's colour,
line style and marker (:func:`style`), titles, legends, the source line and saving."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.presentation import i18n  # noqa: E402
from experiments.presentation.i18n import t  # noqa: E402

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
    #: each scenario's resolved configuration (its first run's config.yaml), where the charts need a setting
    configs: dict = field(default_factory=dict)


def scenario_label(d: ChartData, s: str) -> str:
    return i18n.scenario_name(s, d.lang)


def source_line(d: ChartData, extra: str) -> str:
    if d.lang == "nl":
        head = (f"Bron: {d.source}; {d.n_runs} herhalingen (toevalsreeksen {d.seeds}) met elk "
                f"{i18n.number(d.population_size, 'nl', 0)} gesimuleerde personen, vergunningcohort "
                f"{d.permit_year}. ")
        unc = {"chance": "toeval in de simulatie",
               "chance+parameters": "toeval en de onzekerheid in de geschatte parameters",
               "chance+levers": "toeval en hoe sterk de maatregelen werken",
               "chance+parameters+levers": "toeval, de geschatte parameters en hoe sterk de "
                                           "maatregelen werken"}.get(d.uncertainty, "toeval")
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


def finish(fig, out: Path, name: str, source: str, width_chars: int | None = None,
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


def panel_title(ax, d: ChartData, s: str, fontsize: float = 9.5) -> None:
    """A panel's title: the scenario's name in black (readable in greyscale) after its marker."""
    st = style(s, d.scenarios)
    ax.set_title(scenario_label(d, s), fontsize=fontsize, color="black")
    ax.plot([0.02], [1.045], transform=ax.transAxes, marker=st.marker, color=st.color, ms=6,
            clip_on=False, ls="")


def figure_title(fig, title: str) -> None:
    """The chart's title, 0.1 inch from the top; in a smaller font (down to 9 points) where the
    figure is too narrow for it at 12.5 points (a character is about 0.55 of the font size)."""
    fits = 0.96 * fig.get_figwidth() * 72 / (0.55 * max(len(title), 1))
    fig.suptitle(title, fontsize=max(min(12.5, fits), 9.0), y=1 - 0.1 / fig.get_figheight(),
                 va="top")


def legend_top(fig, handles, ncol: int) -> None:
    """A legend under the title: one row where the figure is wide enough, else two."""
    width_needed = sum(0.6 + 0.065 * len(h.get_label()) for h in handles)  # inches, roughly
    if width_needed > fig.get_figwidth() and ncol > 1:
        ncol = int(np.ceil(ncol / 2))
    fig.legend(handles=handles, loc="upper center", ncol=ncol, frameon=False, fontsize=8.5,
               bbox_to_anchor=(0.5, 1 - 0.38 / fig.get_figheight()))


def label_month_grid(axes, n_used: int, d, ylabel: str) -> None:
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


def grid_shape(n: int, ncols: int) -> tuple[int, int]:
    return int(np.ceil(n / ncols)), ncols
