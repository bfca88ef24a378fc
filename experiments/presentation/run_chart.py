"""Charts of a single run (the comparison's charts build on the same style).

Every chart has a title, axis labels with units, a source-and-assumptions line, and shows its
uncertainty: for one run, the band is the 90% binomial interval of each share given the number of
simulated people behind it (chance only; parameter uncertainty needs the comparison's ensembles).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from model.outcomes import BY_NAME, shares  # noqa: E402

Z90 = 1.6449


def cbs_targets(quantity: str, cohort: int, group: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """Months and values (%) of the shipped CBS targets for one quantity, cohort and group."""
    from experiments.evidence.targets import read_targets, shipped_targets

    rows = [t for t in read_targets(shipped_targets()) if t.quantity == quantity
            and t.cohort == cohort and t.group == group]
    return (np.array([float(t.month) for t in rows]), np.array([t.value for t in rows]))


def _band(ax, months, value, n, color):
    p = np.clip(value / 100.0, 0, 1)
    se = np.sqrt(p * (1 - p) / np.maximum(n, 1))
    ax.fill_between(months, 100 * np.clip(p - Z90 * se, 0, 1), 100 * np.clip(p + Z90 * se, 0, 1),
                    color=color, alpha=0.2, linewidth=0)


#: labels of participation's exclusive parts in a run's chart (experiments.runs.summary.PARTS)
PART_LABELS = {"employed": "Paid work", "education_only": "Education without paid work",
               "other_only": "Other participation only (volunteering)"}


def run_parts(result) -> dict[str, np.ndarray]:
    """Participation and its three exclusive parts (percent of 18-64 year olds, every month) of one
    run: paid work, education without paid work and other participation only, as the recorder
    counts them (or, for a recorder without them, derived as in experiments.runs.summary.add_parts);
    the parts add up to ``participating``."""
    v = {o: shares(result.cube, result.columns, o, "all")[0]
         for o in ("participating", "employed", "volunteering")}
    out = {"participating": v["participating"], "employed": v["employed"]}
    if all(p in result.columns and p in BY_NAME for p in ("education_only", "other_only")):
        for p in ("education_only", "other_only"):
            out[p] = shares(result.cube, result.columns, p, "all")[0]
    else:
        out["education_only"] = v["participating"] - v["employed"] - v["volunteering"]
        out["other_only"] = v["volunteering"]
    return out


def run_chart(result, path) -> None:
    """Draw :func:`run_figure` into ``path`` (PNG)."""
    fig = run_figure(result)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run_figure(result):
    """Two panels: participation and its parts (stacked), with CBS's employment points when the
    run's cohort has published ones; housing, civic integration and benefits. Each panel's legend
    stands under it, clear of the curves."""
    from experiments.presentation.charts.layout import PART_STYLE

    cfg = result.config
    year = int(cfg.population.permit_year)
    months = np.arange(result.cube.shape[1])
    fig, axes = plt.subplots(1, 2, figsize=(13, 6.6), sharex=True)
    parts = run_parts(result)
    ax = axes[0]
    bottom = np.zeros(len(months))
    for name in ("employed", "education_only", "other_only"):
        color, hatch = PART_STYLE[name]
        v = np.nan_to_num(parts[name])
        ax.fill_between(months, bottom, bottom + v, facecolor=color, edgecolor="#777777",
                        hatch=hatch, linewidth=0.0, alpha=0.85, label=PART_LABELS[name])
        bottom = bottom + v
    value, n = shares(result.cube, result.columns, "participating", "all")
    ax.plot(months, value, color="#1b4f72", lw=2.0, label=BY_NAME["participating"].label)
    _band(ax, months, value, n, "#1b4f72")
    tm, tv = cbs_targets("employed", year)
    if len(tm):
        ax.scatter(tm, tv, color="white", edgecolor="black", lw=1.2, zorder=5, s=26,
                   label=f"CBS: employed, {year} cohort")
    panels = [
        ("Participation and its parts, stacked (ages 18-64)", []),
        ("Housing, civic integration, benefits",
         [("own_home", "#117a65", "-"), ("exam_passed", "#b9770e", "--"),
          ("exam_exempted", "#a04000", ":"), ("benefit", "#2e4053", "-.")]),
    ]
    for ax, (title, series) in zip(axes, panels):
        for name, color, style in series:
            value, n = shares(result.cube, result.columns, name, "all")
            ax.plot(months, value, color=color, linestyle=style, label=BY_NAME[name].label)
            _band(ax, months, value, n, color)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("Months since permit")
        ax.set_ylabel("Share of group (%)")
        ax.set_ylim(0, 100)
        ax.set_xlim(0, months[-1])
        ax.set_xticks(np.arange(0, months[-1] + 1, 12))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8.5, frameon=False)
    fig.suptitle(f"Scenario '{cfg.scenario}': {year} permit cohort, law of {result.law}, "
                 f"{int(cfg.population.size):,} simulated persons, seed {cfg.seed}", fontsize=12)
    cbs = (f"Points: CBS's employment of the {year} permit cohort, to compare with paid work "
           "(model/data/calibration_targets.csv). "
           if len(tm) else "")
    fig.text(0.01, 0.01,
             f"Source: integration-sim (this run). {cbs}Bands: 90% binomial interval for this run's sample "
             "(chance only, not parameter uncertainty).\nEmployed = CBS definition (any paid work, ages "
             "18-64). Other participation rests on assumptions (docs/ODD.md).",
             fontsize=7.5, color="#444444", va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 0.95))
    return fig
