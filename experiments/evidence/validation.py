"""Validation: the model against a targets file (published levels, :func:`run_all`) or a file of
published effects (:mod:`experiments.evidence.effects`), fitting nothing; what each mode writes
besides its chart and ``report.md`` (those are :mod:`experiments.presentation.validation`).
The command is :mod:`experiments.validate`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from experiments.evidence.effects import DEFAULT_HALF_PP, DEFAULT_HALF_SHARE, SCHEMA_DOC
from experiments.evidence.effects.summary import basis_of
from experiments.evidence.targets import PERMIT, QUANTITIES, Target, cohorts
from experiments.evidence.target_values import age_edges, model_value, run_cohort, target_value
from experiments.runs.folders import provenance
from model.policy import Policy


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
            run = run_cohort(replace(configs[cohort], seed=int(s)), age_edges=age_edges(mine))
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



def default_folder(suffix: str = "") -> Path:
    """Where a validation goes without ``out=``: ``results/validate/<date_time><suffix>`` (made new
    when it is written: :func:`experiments.runs.outputs.written_folder`)."""
    return Path("results/validate") / (time.strftime("%Y-%m-%d_%H-%M-%S") + suffix)


# ---- targets=FILE ----------------------------------------------------------------------------

def targets_meta(s: dict, targets: list, configs: dict, seeds: list[int], table: pd.DataFrame,
                 wall: float) -> dict:
    """``validate.json`` of a validation against a targets file."""
    tpath = Path(s["targets"])
    size = int(next(iter(configs.values())).population.size)
    return {"targets": {"file": tpath.name, "path": str(tpath.resolve()), "sha256": sha256(tpath),
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


def write_targets(folder: Path, table: pd.DataFrame, per_seed: pd.DataFrame, tpath: Path,
                  configs: dict, seeds: list[int], meta: dict) -> None:
    """The tables, the targets file's copy, each cohort's configuration and ``validate.json``."""
    table.to_csv(folder / "targets_vs_model.csv", index=False)
    per_seed.to_csv(folder / "model_by_seed.csv", index=False)
    shutil.copyfile(tpath, folder / f"targets_{tpath.name}")
    for c, cfg in configs.items():
        d = cfg.to_dict()
        d["seed"] = seeds
        (folder / f"config_{c}.yaml").write_text(yaml.safe_dump(d, sort_keys=False,
                                                                allow_unicode=True))
    (folder / "validate.json").write_text(json.dumps(meta, indent=2))


# ---- effects=FILE ----------------------------------------------------------------------------

def effects_meta(s: dict, effects: list, plan, seeds: list[int], table: pd.DataFrame,
                 n_jobs: int, wall: float) -> dict:
    """``validate.json`` of a validation against a file of published effects."""
    fpath = Path(s["effects"])
    size = int(next(iter(plan.configs.values())).population.size)
    k = int((table.within == "yes").sum())
    basis = table.interval_source.map(basis_of)  # published, derived or default, per row
    return {
        "mode": "effects",
        "effects": {"file": fpath.name, "path": str(fpath.resolve()), "sha256": sha256(fpath),
                    "rows": len(effects)},
        "overrides": list(s["overrides"]),
        "calibration": next((o.split("=", 1)[1] for o in s["overrides"]
                             if o.startswith("calibration=")), "the default of conf/config.yaml"),
        "seeds": seeds, "replications": len(seeds), "population_size": size,
        "n_jobs": n_jobs, "runs": len(plan.configs) * len(seeds), "configurations": len(plan.configs),
        "configs": {key: {**plan.arm_spec[key], "law": Policy(cfg.policy,
                                                              int(cfg.population.permit_year)).law,
                          "permit_year": int(cfg.population.permit_year),
                          "horizon_months": int(cfg.population.horizon_months),
                          "used_by": plan.uses(key)}
                    for key, cfg in plan.configs.items()},
        "interval": "model: 5th-95th percentile over seeds of the paired difference (chance "
                    "variation only); judged: the file's interval (published, or derived by the "
                    "file's author where interval_basis says so), else effect_pp +- "
                    f"max({DEFAULT_HALF_PP:g} pp, {DEFAULT_HALF_SHARE:.0%} of |effect_pp|)",
        "default_interval_rows": table.loc[basis == "default", "id"].tolist(),
        "derived_interval_rows": table.loc[basis == "derived", "id"].tolist(),
        "within": k, "effects_total": len(table),
        "outside": table.loc[table.within != "yes", "id"].tolist(),
        "schema": SCHEMA_DOC, "wall_seconds": round(wall, 2), **provenance()}


def write_effects(folder: Path, table: pd.DataFrame, by_seed: pd.DataFrame, fpath: Path,
                  meta: dict) -> None:
    """The tables, the effects file's copy and ``validate.json``."""
    table.to_csv(folder / "effects_vs_model.csv", index=False)
    by_seed.to_csv(folder / "effects_by_seed.csv", index=False)
    shutil.copyfile(fpath, folder / f"effects_{fpath.name}")
    (folder / "validate.json").write_text(json.dumps(meta, indent=2, default=str))
