"""Charts of a calibration's fit: the model's trajectories, with bands, against the data points.

Bands span the 5th-95th percentile over the ensemble's parameter sets (one seed each) and the
best fit's seeds: parameter uncertainty and chance together, as a reader of the fit needs them.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from experiments.evidence.targets import RECEPTION  # noqa: E402
from experiments.evidence.target_values import model_value  # noqa: E402

SOURCE = ("Source: integration-sim calibration (experiments/calibrate.py); data: model/data/"
          "calibration_targets.csv (CBS; some figures secondary). Band: 5-95% over {band}.")
#: what the band of a fit chart spans, by calibration method
BAND = {"point": "the best fit on each seed and one run of every other accepted parameter set",
        "posterior": "runs at draws of the posterior, one seed each"}


def _curve(runs, quantity, group, months, clock="permit"):
    vals = np.array([[model_value(r, quantity, group, int(m), clock) for m in months] for r in runs])
    return np.nanmean(vals, axis=0), np.nanpercentile(vals, 5, axis=0), np.nanpercentile(vals, 95, axis=0)


def fit_charts(targets, runs_by_cohort: dict, folder, method: str = "point") -> None:
    """Write fit_employment.png, fit_origins.png and fit_housing_exam.png into ``folder``, from the
    cohorts' runs (``cohort -> [CohortRun, ...]``, made by the calibration ``method``: ``point``
    or ``posterior``, which the footer names)."""
    source = SOURCE.format(band=BAND[method])
    for cohort in sorted({t.cohort for t in targets}):
        runs = runs_by_cohort[cohort]
        mine = [t for t in targets if t.cohort == cohort]
        horizon = runs[0].result.cube.shape[1] - 1
        months = np.arange(0, horizon + 1)
        # overall employment
        fig, ax = plt.subplots(figsize=(8, 5))
        mean, lo, hi = _curve(runs, "employed", "all", months)
        ax.fill_between(months, lo, hi, color="#c0392b", alpha=0.25, linewidth=0, label="model, 90% band")
        ax.plot(months, mean, color="#c0392b", label="model, mean")
        pts = [t for t in mine if t.quantity == "employed" and t.group == "all"]
        ax.scatter([t.month for t in pts], [t.value for t in pts], color="black", zorder=5,
                   label="CBS")
        ax.set(title=f"Employment of the {cohort} permit cohort, ages 18-64: model vs CBS",
               xlabel="Months since permit", ylabel="Employed (%)")
        ax.set_xticks(np.arange(0, horizon + 1, 12))
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
        fig.text(0.01, 0.01, source, fontsize=6.5, color="#444444", wrap=True)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        fig.savefig(folder / f"fit_employment_{cohort}.png", dpi=110)
        plt.close(fig)
        # per origin
        groups = sorted({t.group for t in mine if t.quantity == "employed" and t.group != "all"})
        if groups:
            cols = 3
            rows = int(np.ceil(len(groups) / cols))
            fig, axes = plt.subplots(rows, cols, figsize=(12, 3.6 * rows), sharey=True)
            axes = np.atleast_1d(axes).ravel()
            for ax, g in zip(axes, groups):
                m36 = months[months <= max(36, max(t.month for t in mine if t.group == g))]
                mean, lo, hi = _curve(runs, "employed", g, m36)
                ax.fill_between(m36, lo, hi, color="#c0392b", alpha=0.25, linewidth=0)
                ax.plot(m36, mean, color="#c0392b")
                pts = [t for t in mine if t.quantity == "employed" and t.group == g]
                ax.scatter([t.month for t in pts], [t.value for t in pts], color="black", zorder=5)
                ax.set_title(g.replace("origin=", ""), fontsize=10)
                ax.set_xlabel("Months since permit")
                ax.grid(alpha=0.3)
            for ax in axes[len(groups):]:
                ax.axis("off")
            axes[0].set_ylabel("Employed (%)")
            fig.suptitle(f"Employment by origin, {cohort} cohort: model (line, 90% band) vs CBS (points)")
            fig.text(0.01, 0.005, source, fontsize=6.5, color="#444444")
            fig.tight_layout(rect=(0, 0.03, 1, 0.96))
            fig.savefig(folder / f"fit_origins_{cohort}.png", dpi=110)
            plt.close(fig)
        # housing (reception clock) and exams: a panel only where the cohort has such targets
        colors = ["#117a65", "#884ea0", "#2e86c1", "#b9770e"]
        hgroups = sorted({t.group for t in mine if t.quantity == "own_home"})
        exams = [q for q in ("exam_passed", "exam_exempted")
                 if any(t.quantity == q and t.group == "all" for t in mine)]
        if not hgroups and not exams:
            continue
        both = bool(hgroups) and bool(exams)
        fig, axes = plt.subplots(1, 2 if both else 1, figsize=(12 if both else 6.5, 4.6), squeeze=False)
        axes = list(axes[0])
        a1 = axes.pop(0) if hgroups else None
        a2 = axes.pop(0) if exams else None
        for c, g in zip(colors, hgroups):
            pts = [t for t in mine if t.quantity == "own_home" and t.group == g]
            clock = pts[0].clock
            mm = np.arange(0, 25)
            mean, lo, hi = _curve(runs, "own_home", g, mm, clock)
            a1.fill_between(mm, lo, hi, color=c, alpha=0.2, linewidth=0)
            a1.plot(mm, mean, color=c, label=f"{g.replace('origin=', '')} (model)")
            a1.scatter([t.month for t in pts], [t.value for t in pts], color=c, edgecolor="black",
                       zorder=5, label=f"{g.replace('origin=', '')} (CBS)")
        if a1 is not None:
            a1.set(title="Own home, by months since entering reception",
                   xlabel="Months since entering reception" if clock == RECEPTION
                   else "Months since permit", ylabel="Housed (%)", ylim=(0, 100))
            a1.grid(alpha=0.3)
            a1.legend(frameon=False, fontsize=8)
        colors_exam = {"exam_passed": "#b9770e", "exam_exempted": "#a04000"}
        for q in exams:
            c = colors_exam[q]
            pts = [t for t in mine if t.quantity == q and t.group == "all"]
            mean, lo, hi = _curve(runs, q, "all", months)
            a2.fill_between(months, lo, hi, color=c, alpha=0.2, linewidth=0)
            a2.plot(months, mean, color=c, label=f"{q.replace('_', ' ')} (model)")
            a2.scatter([t.month for t in pts], [t.value for t in pts], color=c, edgecolor="black",
                       zorder=5, label=f"{q.replace('_', ' ')} (CBS)")
        if a2 is not None:
            a2.set(title="Civic integration obligation", xlabel="Months since permit",
                   ylabel="Share of those with an obligation (%)", ylim=(0, 100))
            a2.set_xticks(np.arange(0, horizon + 1, 12))
            a2.grid(alpha=0.3)
            a2.legend(frameon=False, fontsize=8)
        fig.text(0.01, 0.005, source, fontsize=6.5, color="#444444")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        fig.savefig(folder / f"fit_housing_exam_{cohort}.png", dpi=110)
        plt.close(fig)
