"""The posterior calibration's fit report in words: ``report.md`` (the tables it summarises are
written beside it by :func:`experiments.evidence.posterior_fit.write_tables`)."""

from __future__ import annotations

import pandas as pd


def _table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(_cell(r[c]) for c in cols) + " |")
    return "\n".join(lines)


def _cell(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def crossval_wide(cv: pd.DataFrame) -> pd.DataFrame:
    """One row per target, one column per fold: the error (pp) of the model at the fold's
    posterior draws, marked ``*`` where the fold was fitted to the target."""
    out = cv.drop_duplicates("target")[["target", "cohort", "value_pct", "tolerance_pp",
                                        "check_only"]].set_index("target")
    for fold, g in cv.groupby("fold", sort=False):
        g = g.set_index("target")
        out[f"{fold}: error pp"] = [f"{e:+.1f}{'*' if f else ''}{'' if w else ' !'}"
                                    for e, f, w in zip(g["error_pp"], g["fitted"],
                                                       g["within_tolerance"])]
    return out.reset_index()


def fold_summary(cv: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for fold, g in cv.groupby("fold", sort=False):
        for fitted, h in g.groupby("fitted"):
            rows.append({"fold": fold, "targets": "fitted" if fitted else "not fitted",
                         "n": len(h), "within tolerance": int(h["within_tolerance"].sum()),
                         "RMSE pp": round(float((h["error_pp"] ** 2).mean() ** 0.5), 2)})
    return pd.DataFrame(rows)


def write_report(folder, fit, meta: dict, coverage: pd.DataFrame | None) -> None:
    p = fit.params.copy()
    p["parameter"] = p["parameter"].str.replace("params.", "", regex=False)
    keep = ["parameter", "low", "high", "median", "p5", "p95", "sd_ratio", "informed",
            "point_fit", "point_fit_in_interval", "rhat"]
    parts = [
        "# Posterior calibration",
        "",
        f"Targets: `{meta['targets']}`; {meta['design_points']} design points x "
        f"{meta['design_seeds_per_point']} seeds "
        f"({'the same at every point' if meta['design_seeds_shared'] else 'of its own at every point'}) "
        f"at {meta['population_size']:,} persons; "
        f"{meta['chains']} chains x {meta['steps']} steps (acceptance {meta['acceptance']}, "
        f"largest R-hat {meta['max_rhat']}). Method: `experiments/evidence/posterior.py`.",
        "",
        "Times (s): " + ", ".join(f"{k} {v}" for k, v in meta["times_s"].items()) + ".",
        "",
        "## Parameters",
        "",
        "Median and 90% interval of the posterior; `sd_ratio` is its standard deviation over the "
        "prior's (uniform on the range): below 0.7 the targets inform the parameter. "
        "`point_fit` is the shipped fitted set (`conf/calibration/fitted.yaml`).",
        "",
        _table(p[keep]),
        "",
        "## Cross-validation across cohorts",
        "",
        "The model at each fold's posterior draws (fresh runs), against every target. `*`: the "
        "fold was fitted to the target; `!`: outside the target's tolerance. Targets marked "
        "`check_only` are never fitted.",
        "",
        _table(fold_summary(fit.crossval)),
        "",
        _table(crossval_wide(fit.crossval)),
        "",
        "## Where each target's uncertainty comes from (standard deviations, pp)",
        "",
        _table(fit.emulator_table()),
    ]
    if coverage is not None:
        parts += ["", "## Simulated-data check", "",
                  f"{int(coverage['n'].iloc[0])} synthetic datasets from known parameter values "
                  "(fresh model runs at the real cohorts' sizes plus the data's noise), each "
                  "fitted the same way: the share of known values inside the 90% posterior "
                  "interval (aim 0.9; `binomial_se_at_90` is the sampling error of that share).",
                  "", _table(coverage)]
    (folder / "report.md").write_text("\n".join(parts) + "\n")
