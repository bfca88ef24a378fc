"""Does the baseline reproduce what happened? Hold the model against a targets file, fitting nothing.

Two modes: ``targets=FILE`` (published levels, below) and ``effects=FILE`` (published intervention
effects, each held against a paired treatment-control experiment: :mod:`experiments.evidence.effects`,
schema in ``docs/effects_schema.md``). The two cannot be combined.

Run::

    python -m experiments.validate targets=model/data/calibration_targets.csv
    python -m experiments.validate targets=my_figures.csv replications=10 population.size=20000 \\
        scenario=baseline out=results/validate/mine params.work.base_rate=0.05

Arguments (``key=value``):

- ``targets``: a CSV that follows the targets schema (``shared/data/README.md``); required;
- ``replications``: seeds per cohort (default 20; a run of 20,000 persons takes about a
  second); ``seed``: the first seed (default 0);
- ``population.size``: persons per run (default 20000, about the real 2014 cohort, so the spread
  over seeds is the chance variation of a cohort of the real size);
- ``scenario``: default ``baseline``; any other ``key=value`` is a model override;
- ``tolerance_pp``: tolerance for rows without one (default 2.5 pp,
  :data:`experiments.evidence.targets.DEFAULT_TOLERANCE_PP`, where the reason is given);
- ``out``: output folder (default ``results/validate/<date_time>``).

Each cohort (permit year) in the file is simulated for every seed, with its composition and legal
regime (``population.permit_year``). The model value of a target is the mean over seeds; its 90%
interval is the 5th-95th percentile over seeds (chance only: not parameter or structural
uncertainty). The error is model mean minus published value, in percentage points; a target is
within tolerance when the error's size is at most the tolerance. The run never fails because
targets are missed (exit code 0; the report lists them). A malformed file or override stops it
with one line naming the problem, exit code 2, before any folder is made.

The output folder (written atomically) holds ``targets_vs_model.csv`` (one row per target),
``model_by_seed.csv``, ``targets_vs_model.png``, ``report.md``, ``validate.json`` (targets file
path and sha256, scenario, overrides, seeds, timing, provenance), ``config_<cohort>.yaml`` and a
copy of the targets file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from experiments.runs.overrides import fail, path, positive_int, split_args, tolerance
from experiments.runs.folders import provenance, staged_folder
from experiments.evidence.targets import (DEFAULT_TOLERANCE_PP, PERMIT, QUANTITIES, RECEPTION, Target,
                                 cohorts, model_value, prepare, read_targets, run_cohort,
                                 summarise, target_value)
from model.errors import ConfigError
from model.outcomes import BY_NAME
from model.policy import Policy

DEFAULTS = {"replications": 20, "seed": 0, "population.size": 20000, "scenario": "baseline"}


OWN = {"targets": path, "replications": positive_int, "out": path, "tolerance_pp": tolerance}


def parse_args(argv: list[str]) -> dict:
    """Split ``key=value`` arguments into this command's settings and model overrides.

    Raises:
        ConfigError: for an unknown key, a bad value, or a missing ``targets``.
    """
    mine, kv = split_args(argv, OWN)
    if "targets" not in mine:
        raise ConfigError("targets", None, "targets=PATH to a CSV that follows the targets schema "
                                           "(or effects=PATH to a file of published effects, "
                                           "docs/effects_schema.md)")
    settings = {"targets": mine["targets"], "out": mine.get("out"),
                "replications": mine.get("replications", DEFAULTS["replications"]),
                "seed": int(kv.pop("seed", DEFAULTS["seed"])),
                "scenario": kv.pop("scenario", DEFAULTS["scenario"]),
                "tolerance_pp": mine.get("tolerance_pp", DEFAULT_TOLERANCE_PP)}
    kv.setdefault("population.size", str(DEFAULTS["population.size"]))
    settings["overrides"] = [f"{k}={v}" for k, v in kv.items()]
    return settings


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_all(targets: list[Target], configs: dict, seeds: list[int], log=print):
    """Run every cohort and seed; the per-seed target values and each series' monthly curve."""
    first: dict[tuple, int] = {}
    for i, t in enumerate(targets):
        first.setdefault((t.cohort, t.quantity, t.group, t.clock), i)
    # panels: by cohort, quantity (schema order), clock, "all" first, then as in the file
    series = sorted(first, key=lambda s: (s[0], QUANTITIES.index(s[1]), s[3], s[2] != "all",
                                          first[s]))
    rows, curves = [], {s: [] for s in series}
    for cohort in cohorts(targets):
        mine = [t for t in targets if t.cohort == cohort]
        for s in seeds:
            start = time.perf_counter()
            run = run_cohort(replace(configs[cohort], seed=int(s)))
            for t in mine:
                rows.append({"target": t.id, "cohort": cohort, "seed": int(s),
                             "model_value": target_value(run, t)})
            for key in series:
                if key[0] != cohort:
                    continue
                top = max(t.month for t in mine if (t.quantity, t.group, t.clock) == key[1:])
                months = np.arange(0, top + max(3, top // 10) + 1)
                if key[3] == PERMIT:
                    months = months[months < run.result.cube.shape[1]]
                curves[key].append([model_value(run, key[1], key[2], int(m), key[3])
                                    for m in months])
            log(f"  cohort {cohort}, seed {s}: {time.perf_counter() - start:.1f} s")
    return pd.DataFrame(rows), {k: np.array(v, float) for k, v in curves.items()}


def chart(table: pd.DataFrame, curves: dict, path: Path, title: str, source: str) -> None:
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


def report(table: pd.DataFrame, meta: dict) -> str:
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


def _unique(folder: Path) -> Path:
    if not folder.exists():
        return folder
    i = 2
    while Path(f"{folder}-{i}").exists():
        i += 1
    return Path(f"{folder}-{i}")


def main(argv: list[str] | None = None) -> Path:
    argv = sys.argv[1:] if argv is None else argv
    if any(a.split("=", 1)[0].strip() == "effects" for a in argv if "=" in a):
        from experiments.evidence import effects  # published intervention effects (refuses targets=)

        return effects.main(argv)
    try:
        s = parse_args(argv)
        targets = read_targets(s["targets"])
        configs = prepare(targets, s["scenario"], s["overrides"])
    except ConfigError as e:
        fail(e)
    seeds = list(range(s["seed"], s["seed"] + s["replications"]))
    tpath = Path(s["targets"])
    out = Path(s["out"]) if s["out"] else _unique(
        Path("results/validate") / time.strftime("%Y-%m-%d_%H-%M-%S"))
    size = int(next(iter(configs.values())).population.size)
    print(f"validating against {tpath} ({len(targets)} targets, cohorts "
          f"{', '.join(map(str, cohorts(targets)))}): {len(seeds)} seeds x {size:,} persons")
    start = time.perf_counter()
    per_seed, curves = run_all(targets, configs, seeds)
    table = summarise(targets, per_seed, s["tolerance_pp"])
    wall = time.perf_counter() - start
    meta = {"targets": {"file": tpath.name, "path": str(tpath.resolve()), "sha256": sha256(tpath),
                        "rows": len(targets)},
            "scenario": s["scenario"], "overrides": s["overrides"],
            "calibration": next((o.split("=", 1)[1] for o in s["overrides"]
                                 if o.startswith("calibration=")), "the default of conf/config.yaml"),
            "cohorts": {str(c): {"overrides": [f"population.permit_year={c}",
                                               f"population.horizon_months="
                                               f"{int(configs[c].population.horizon_months)}"],
                                 "law": Policy(configs[c].policy, c).law}
                        for c in configs},
            "seeds": seeds, "replications": len(seeds), "population_size": size,
            "default_tolerance_pp": s["tolerance_pp"],
            "interval": "5th-95th percentile over seeds (chance variation only)",
            "within_tolerance": int(table.within_tolerance.sum()), "targets_total": len(table),
            "missed": table.loc[~table.within_tolerance, "target"].tolist(),
            "wall_seconds": round(wall, 2), **provenance()}
    title = (f"Model ({s['scenario']}, nothing fitted) against {tpath.name}: "
             f"{meta['within_tolerance']} of {len(table)} targets within tolerance")
    source = (f"Data: {tpath.name} (sha256 {meta['targets']['sha256'][:12]}), sources per row in "
              f"the file. Model: integration-sim scenario '{s['scenario']}', {len(seeds)} seeds x "
              f"{size:,} persons per cohort; points are the mean over seeds, bars the 5th-95th "
              "percentile (chance variation only). Grey bar: the target's tolerance (row's "
              f"tolerance_pp, else {s['tolerance_pp']:g} pp). Employed = any paid work, ages 18-64; "
              "own home rows count months since entering reception where the file says so.")
    try:
        with staged_folder(out) as tmp:
            table.to_csv(tmp / "targets_vs_model.csv", index=False)
            per_seed.to_csv(tmp / "model_by_seed.csv", index=False)
            shutil.copyfile(tpath, tmp / f"targets_{tpath.name}")
            for c, cfg in configs.items():
                d = cfg.to_dict()
                d["seed"] = seeds
                (tmp / f"config_{c}.yaml").write_text(yaml.safe_dump(d, sort_keys=False,
                                                                     allow_unicode=True))
            (tmp / "validate.json").write_text(json.dumps(meta, indent=2))
            (tmp / "report.md").write_text(report(table, meta))
            chart(table, curves, tmp / "targets_vs_model.png", title, source)
    except KeyboardInterrupt:
        raise SystemExit(130)
    print(f"\n{'target':<26}{'data':>7}{'model':>8}  {'90% interval':<15}{'error':>7}{'tol':>6}  within")
    for r in table.itertuples():
        print(f"{r.target:<26}{r.value_pct:>7.1f}{r.model_mean:>8.1f}  "
              f"{f'{r.model_p5:.1f}-{r.model_p95:.1f}':<15}{r.error_pp:>+7.1f}{r.tolerance_pp:>6.1f}  "
              f"{'yes' if r.within_tolerance else 'NO'}")
    print(f"\n{meta['within_tolerance']} of {len(table)} targets within tolerance"
          + (f"; missed: {', '.join(meta['missed'])}" if meta["missed"] else ""))
    print(f"wrote {out} ({wall:.0f} s)")
    return out


if __name__ == "__main__":
    main()
