"""What a validation shows a reader: against a targets file, small multiples of the model's
trajectories against the published values (:func:`targets_chart`); against published effects, a
dot-and-interval chart (:func:`effects_chart`); each with its ``report.md`` and the table printed
on the terminal. The computing is :mod:`experiments.evidence.validation`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.evidence.effects import DEFAULT_HALF_PP, DEFAULT_HALF_SHARE, SCHEMA_DOC
from experiments.evidence.effects.summary import basis_of
from experiments.evidence.targets import RECEPTION
from model.outcomes import BY_NAME


# ---- targets=FILE ----------------------------------------------------------------------------

def targets_chart(table: pd.DataFrame, curves: dict, path: Path, title: str, source: str) -> None:
    """Small multiples: one panel per (cohort, quantity, group, clock); data as points with the
    tolerance as a grey bar, the model's mean and 90% interval beside each, and the model's
    monthly mean as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    keys = list(curves)
    n = len(keys)
    ncol = min(4, n)
    nrow = int(np.ceil(n / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.1 * ncol, 3.3 * nrow + 1.6), squeeze=False)
    ok_c, miss_c, data_c = "#1f6fb2", "#c0392b", "black"
    for ax, key in zip(axes.flat, keys):
        cohort, q, group, clock = key
        rows = table[(table.cohort == cohort) & (table.quantity == q) & (table.group == group)
                     & (table.clock == clock)].sort_values("month")
        c = curves[key]
        months = np.arange(c.shape[1])
        mean_curve = np.nanmean(c, axis=0) if len(c) else np.full(len(months), np.nan)
        ax.plot(months, mean_curve, color=ok_c, lw=1.0, alpha=0.55, zorder=1)
        if len(c) > 1:
            lo, hi = np.nanpercentile(c, [5, 95], axis=0)
            ax.fill_between(months, lo, hi, color=ok_c, alpha=0.10, lw=0, zorder=0)
        xspan = max(months[-1], 1)
        dx = 0.018 * xspan
        for _, r in rows.iterrows():
            ax.errorbar(r.month - dx, r.value_pct, yerr=r.tolerance_pp, fmt="none",
                        ecolor="#bbbbbb", elinewidth=5, capsize=0, zorder=2)
            ax.plot(r.month - dx, r.value_pct, "o", color=data_c, ms=4.5, zorder=4)
            col = ok_c if r.within_tolerance else miss_c
            ax.errorbar(r.month + dx, r.model_mean,
                        yerr=[[max(r.model_mean - r.model_p5, 0)], [max(r.model_p95 - r.model_mean, 0)]],
                        fmt="D", color=col, ms=4, elinewidth=1.3, capsize=2.5, zorder=5,
                        mfc=col if r.within_tolerance else "white")
        top = np.nanmax(np.concatenate([rows.value_pct + rows.tolerance_pp, rows.model_p95,
                                        mean_curve[np.isfinite(mean_curve)]]))
        ymax = min(100, max(5.0, top * 1.28))
        ax.set_ylim(-0.025 * ymax, ymax + (3.0 if ymax >= 100 else 0.0))  # markers at 0 or 100 stay whole
        ax.set_xlim(-0.04 * xspan, months[-1] + 0.04 * xspan)
        k = int(rows.within_tolerance.sum())
        ax.text(0.03, 0.96, f"{k} of {len(rows)} within tolerance", transform=ax.transAxes,
                va="top", fontsize=8, color="#333333")
        label = BY_NAME[q].label
        ax.set_title(textwrap.fill(f"{label}", 46) + f"\n{group} · {cohort} cohort", fontsize=9)
        ax.set_xlabel("Months since entering reception" if clock == RECEPTION
                      else "Months since permit", fontsize=8.5)
        ax.set_ylabel("Share of group (%)", fontsize=8.5)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles = [
        Line2D([], [], marker="o", color=data_c, ls="none", ms=5, label="Published value"),
        Line2D([], [], color="#bbbbbb", lw=5, label="± tolerance around it"),
        Line2D([], [], marker="D", color=ok_c, ls="-", ms=5,
               label="Model mean, 90% interval over seeds: within tolerance"),
        Line2D([], [], marker="D", color=miss_c, mfc="white", ls="-", ms=5, label="... outside tolerance"),
        Line2D([], [], color=ok_c, lw=1, alpha=0.55, label="Model mean, every month (band: 90%)"),
    ]
    fig.legend(handles=handles, loc="upper center", ncol=3, fontsize=8.5, frameon=False,
               bbox_to_anchor=(0.5, 1 - 0.55 / fig.get_figheight()))
    fig.suptitle(title, fontsize=12, y=1 - 0.12 / fig.get_figheight(), va="top")
    fig.text(0.01, 0.01, textwrap.fill(source, 190), fontsize=7.5, color="#444444", va="bottom")
    fig.tight_layout(rect=(0, 0.9 / fig.get_figheight(), 1, 1 - 0.85 / fig.get_figheight()))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def targets_report(table: pd.DataFrame, meta: dict) -> str:
    """The markdown report (also printed, in short, on the command line)."""
    n, k = len(table), int(table.within_tolerance.sum())
    lines = [f"# Validation against {meta['targets']['file']}", "",
             f"Scenario `{meta['scenario']}`, {meta['replications']} seeds "
             f"({meta['seeds'][0]}-{meta['seeds'][-1]}) x {meta['population_size']:,} persons per "
             f"cohort; nothing fitted. Targets file sha256 `{meta['targets']['sha256'][:16]}...`.", "",
             f"**{k} of {n} targets within tolerance.**", ""]
    miss = table[~table.within_tolerance]
    if len(miss):
        lines += ["Missed: " + ", ".join(f"`{r.target}` ({r.error_pp:+.1f} pp)"
                                         for r in miss.itertuples()), ""]
    lines += ["| target | quantity | group | clock | month | data % | model % (90% interval) | "
              "error pp | tolerance pp | within |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.target} | {r.quantity} | {r.group} | {r.clock} | {r.month} | "
                     f"{r.value_pct:g} | {r.model_mean:.1f} ({r.model_p5:.1f}-{r.model_p95:.1f}) | "
                     f"{r.error_pp:+.1f} | {r.tolerance_pp:g} | {'yes' if r.within_tolerance else 'NO'} |")
    lines += ["", "## How to read this", "",
              "- Error = model mean minus published value (percentage points). Within tolerance: "
              "|error| <= tolerance (the row's `tolerance_pp`, else "
              f"{meta['default_tolerance_pp']:g} pp; why: `experiments/evidence/targets.py`, "
              "DEFAULT_TOLERANCE_PP).",
              "- The 90% interval is the 5th-95th percentile over seeds: chance variation of a "
              "cohort of this size only, not uncertainty in parameters or in the model's structure.",
              "- Denominators follow the targets schema: employed and benefit count those present "
              "aged 18-64, exam_* those with an obligation, own_home, permanent_permit, "
              "naturalised and left everyone in the cohort. in_education: the model records ages "
              "18-64 only (see the column model_denominator).",
              "- Rows whose population says *months since entering reception* (own_home only) are "
              "measured on that clock: persons who entered reception in the cohort year (not "
              "family members arriving later), a given number of months after their entry. The "
              "model simulates a permit cohort, so entrants of that year whose permit came only "
              "the next year are not in it.", ""]
    return "\n".join(lines)



def draw_targets(folder: Path, table: pd.DataFrame, curves: dict, meta: dict) -> None:
    """``report.md`` and ``targets_vs_model.png`` of a validation against a targets file."""
    file, scenario = meta["targets"]["file"], meta["scenario"]
    title = (f"Model ({scenario}, nothing fitted) against {file}: "
             f"{meta['within_tolerance']} of {len(table)} targets within tolerance")
    source = (f"Data: {file} (sha256 {meta['targets']['sha256'][:12]}), sources per row in "
              f"the file. Model: integration-sim scenario '{scenario}', {meta['replications']} seeds x "
              f"{meta['population_size']:,} persons per cohort; points are the mean over seeds, bars the 5th-95th "
              "percentile (chance variation only). Grey bar: the target's tolerance (row's "
              f"tolerance_pp, else {meta['default_tolerance_pp']:g} pp). Employed = any paid work, ages 18-64; "
              "own home rows count months since entering reception where the file says so.")
    (folder / "report.md").write_text(targets_report(table, meta))
    targets_chart(table, curves, folder / "targets_vs_model.png", title, source)


def print_targets(table: pd.DataFrame, meta: dict) -> None:
    """The table on the terminal."""
    print(f"\n{'target':<26}{'data':>7}{'model':>8}  {'90% interval':<15}{'error':>7}{'tol':>6}  within")
    for r in table.itertuples():
        print(f"{r.target:<26}{r.value_pct:>7.1f}{r.model_mean:>8.1f}  "
              f"{f'{r.model_p5:.1f}-{r.model_p95:.1f}':<15}{r.error_pp:>+7.1f}{r.tolerance_pp:>6.1f}  "
              f"{'yes' if r.within_tolerance else 'NO'}")
    print(f"\n{meta['within_tolerance']} of {len(table)} targets within tolerance"
          + (f"; missed: {', '.join(meta['missed'])}" if meta["missed"] else ""))


# ---- effects=FILE ----------------------------------------------------------------------------

def effects_chart(table: pd.DataFrame, path: Path, title: str, footnote: str) -> None:
    """Dot-and-interval chart: one line per effect, the published range (grey bar, black dot at
    the published effect; dotted where the file's author derived the range from what the study
    reports, hatched where it is the default band) and the model's mean
    paired effect with its 90% interval over seeds (green inside the range, red outside)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    n = len(table)
    top_in, row_in, bottom_in = 1.35, 0.5, 1.05  # title and legend; per row; axis label and note
    fig_h = top_in + row_in * n + bottom_in
    fig, ax = plt.subplots(figsize=(11.5, fig_h))
    fig.subplots_adjust(left=0.27, right=0.97, top=1 - top_in / fig_h, bottom=bottom_in / fig_h)
    ok_c, miss_c = "#1a7f5a", "#c0392b"
    labels = []
    for i, r in enumerate(table.itertuples()):
        y = n - 1 - i
        kind = basis_of(r.interval_source)
        ax.barh(y + 0.13, r.judged_high_pp - r.judged_low_pp, left=r.judged_low_pp, height=0.26,
                color="#c9c9c9" if kind == "published" else "#ececec", edgecolor="#9a9a9a",
                hatch={"published": None, "derived": "...", "default": "////"}[kind],
                linewidth=0.6, zorder=2)
        ax.plot(r.effect_pp, y + 0.13, "o", color="#222222", ms=5, zorder=4)
        if np.isfinite(r.model_effect_pp):
            col = ok_c if r.within == "yes" else miss_c
            ax.errorbar(r.model_effect_pp, y - 0.17,
                        xerr=[[max(r.model_effect_pp - r.model_p5_pp, 0)],
                              [max(r.model_p95_pp - r.model_effect_pp, 0)]],
                        fmt="D", color=col, ms=5.5, elinewidth=1.4, capsize=3, zorder=5,
                        mfc=col if r.within == "yes" else "white")
        group = "" if r.group == "all" else f", {r.group}"
        labels.append(f"{r.id}\n{r.outcome}{group}, {r.horizon_months} m, {r.cohort} cohort")
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels[::-1], fontsize=8)
    ax.axvline(0, color="#555555", lw=0.8, zorder=1)
    ax.set_ylim(-0.6, n - 0.4)
    lo, hi = ax.get_xlim()  # a bar's left end is a sticky edge: give both ends some room
    ax.set_xlim(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo))
    ax.set_xlabel("Effect: treatment minus control (percentage points)", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=8.5)
    k = int((table.within == "yes").sum())
    kinds = set(table.interval_source.map(basis_of))  # the legend names only the kinds drawn
    handles = [
        Line2D([], [], marker="o", color="#222222", ls="none", ms=5, label="Published effect"),
        *([Patch(facecolor="#c9c9c9", edgecolor="#9a9a9a", label="Published interval")]
          if "published" in kinds else []),
        *([Patch(facecolor="#ececec", edgecolor="#9a9a9a", hatch="...",
                 label="No interval published: derived from what the study reports")]
          if "derived" in kinds else []),
        *([Patch(facecolor="#ececec", edgecolor="#9a9a9a", hatch="////",
                 label="No interval published: default band")] if "default" in kinds else []),
        Line2D([], [], marker="D", color=ok_c, ms=5.5,
               label="Model: mean paired effect, 90% over seeds, inside"),
        Line2D([], [], marker="D", color=miss_c, mfc="white", ms=5.5, label="Model: outside"),
    ]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.72 / fig_h),
               ncol=3, fontsize=8, frameon=False)
    fig.suptitle(title + f": {k} of {n} within their interval", fontsize=11,
                 y=1 - 0.18 / fig_h, va="top")
    fig.text(0.01, 0.08 / fig_h, textwrap.fill(footnote, 190), fontsize=7, color="#444444",
             va="bottom")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def effects_report(table: pd.DataFrame, meta: dict) -> str:
    """The markdown report."""
    n, k = len(table), int((table.within == "yes").sum())
    default = table[table.interval_source.map(basis_of) == "default"]
    derived = table[table.interval_source.map(basis_of) == "derived"]
    lines = [f"# Effect validation against {meta['effects']['file']}", "",
             f"{meta['replications']} seeds ({meta['seeds'][0]}-{meta['seeds'][-1]}) x "
             f"{meta['population_size']:,} persons per arm; treatment and control on the same "
             f"seeds (common random numbers); nothing fitted. {meta['runs']} runs for "
             f"{len(table)} rows ({meta['configurations']} distinct configurations). Effects file "
             f"sha256 `{meta['effects']['sha256'][:16]}...`."
             + (f" Command-line overrides: `{' '.join(meta['overrides'])}`." if meta['overrides']
                else ""), "",
             f"**{k} of {n} published effects within their interval.**", ""]
    if len(default):
        lines += [f"{len(default)} row(s) have no published interval and are judged against the "
                  f"default band effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
                  f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|): "
                  + ", ".join(f"`{i}`" for i in default.id) + ".", ""]
    if len(derived):
        lines += [f"{len(derived)} row(s) have no published interval that we read; their interval "
                  "was derived from what the study reports (each row's source or mapping says "
                  "how; marked *derived*): " + ", ".join(f"`{i}`" for i in derived.id) + ".", ""]
    miss = table[table.within != "yes"]
    if len(miss):
        lines += ["Outside: " + ", ".join(f"`{r.id}` (model {r.model_effect_pp:+.1f} pp vs "
                                          f"{r.judged_low_pp:+.1f} to {r.judged_high_pp:+.1f})"
                                          for r in miss.itertuples()), ""]
    lines += ["| id | design | outcome, group | cohort | month | published pp (interval) | "
              "model pp (90% over seeds) | control -> treatment % | within |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        iv = (f"{r.judged_low_pp:+.1f} to {r.judged_high_pp:+.1f}"
              + {"published": "", "derived": ", derived", "default": ", default"}[
                  basis_of(r.interval_source)])
        lines.append(f"| {r.id} | {r.design} | {r.outcome}, {r.group} | {r.cohort} | "
                     f"{r.horizon_months} | {r.effect_pp:+g} ({iv}) | {r.model_effect_pp:+.1f} "
                     f"({r.model_p5_pp:+.1f} to {r.model_p95_pp:+.1f}) | {r.model_control:.1f} -> "
                     f"{r.model_treatment:.1f} | {'yes' if r.within == 'yes' else 'NO'} |")
    lines += ["", "## Rows: how each published design is expressed", ""]
    for r in table.itertuples():
        lines += [f"- **{r.id}** ({r.design}). Treatment `{r.treatment}`; control `{r.control}`. "
                  f"{r.mapping} Source: {r.source}"]
    lines += ["", "## How to read this", "",
              "- Each row is a paired experiment: the treatment and the control arm are simulated "
              "for the row's cohort on the same seeds, with the same parameters (the fitted set; "
              "lever strengths at their declared defaults), and compared at the row's month since "
              "the permit. The effect is treatment minus control in percentage points (index "
              "points for belonging).",
              "- Model effect = mean over seeds of the paired difference; the 90% interval is the "
              "5th-95th percentile of the paired differences over seeds: chance variation of a "
              "cohort of this size only, not uncertainty in parameters, lever strengths or the "
              "model's structure.",
              "- Within: the model's mean effect lies inside the published interval (or, where "
              "none is published, inside the interval derived from what the study reports, marked "
              "*derived*, or the default band, marked *default*). A miss says the "
              "model and the study disagree *as mapped*: read the mapping sentence before reading "
              "the miss as a fault of either.",
              "- Pilots and RCTs are mapped with `policy.scope=pilot` (only this cohort gets the "
              "policy, no displacement of other newcomers); national reforms with the default "
              "`national` scope.",
              f"- Schema and rules: `{SCHEMA_DOC}`.", ""]
    return "\n".join(lines)


def draw_effects(folder: Path, table: pd.DataFrame, meta: dict) -> None:
    """``report.md`` and ``effects_vs_model.png`` of a validation against published effects."""
    file = meta["effects"]["file"]
    title = f"Model against published intervention effects ({file})"
    footnote = (f"Data: {file} (sha256 {meta['effects']['sha256'][:12]}), one published effect "
                "per row, sources in the file. Model: integration-sim, treatment and control of each "
                f"row on the same {meta['replications']} seeds x {meta['population_size']:,} persons (common random numbers), "
                "nothing fitted; diamond = mean paired effect, bar = 5th-95th percentile over seeds "
                "(chance only). Bars: the interval a row is judged against; grey: published; "
                "dotted: none published, derived from what the study reports (see the row's "
                "source); hatched: none published, default band "
                f"effect +- max({DEFAULT_HALF_PP:g} pp, {DEFAULT_HALF_SHARE:.0%}). Labels: id, "
                "outcome, group, months since permit, cohort. Schema: " + SCHEMA_DOC + ".")
    (folder / "report.md").write_text(effects_report(table, meta))
    effects_chart(table, folder / "effects_vs_model.png", title, footnote)


def print_effects(table: pd.DataFrame, meta: dict) -> None:
    """The table on the terminal."""
    print(f"\n{'id':<24}{'published':>10}{'interval':>17}{'model':>8}  {'90% over seeds':<17}within")
    for r in table.itertuples():
        iv = f"{r.judged_low_pp:+.1f}..{r.judged_high_pp:+.1f}" + {
            "published": "", "derived": "+", "default": "*"}[basis_of(r.interval_source)]
        print(f"{r.id:<24}{r.effect_pp:>+10.1f}{iv:>17}{r.model_effect_pp:>+8.1f}  "
              f"{f'{r.model_p5_pp:+.1f}..{r.model_p95_pp:+.1f}':<17}{r.within}")
    if meta.get("derived_interval_rows"):
        print("+ no published interval: derived from what the study reports (see the row's "
              "source and mapping)")
    if meta["default_interval_rows"]:
        print(f"* no published interval: default band effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
              f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|)")
    print(f"\n{meta['within']} of {len(table)} published effects within their interval")
