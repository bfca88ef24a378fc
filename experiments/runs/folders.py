"""Writing a run's self-describing folder, and the provenance every output carries.

A run folder holds:

- ``config.yaml``: the resolved, validated configuration (every parameter, not only overrides);
- ``run.json``: scenario, seed, law, code version (git SHA, and whether the tree had changes),
  package versions, command line, wall time, and headline numbers; with ``allow_outside_range=true``
  also ``outside_range``: each value outside its plausible range (key, value, low, high);
- ``outcomes.csv``: tidy monthly outcomes (month since permit, group, outcome, value, n);
- ``times.csv``: share who reached a home / a first job by month since the permit;
- ``costs.csv``: public costs and earnings per year since the cohort's start (EUR);
- ``outcomes.png``: the main outcomes over time.

Files are written to a hidden temporary folder beside the target and moved in at the end, so a
failure or an interrupt never leaves a half-written result folder.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from model.config import ROOT
from model.costs import ITEMS
from model.outcomes import OUTCOME_NAMES, shares, standard_groups

PACKAGES = ("integration-sim", "mesa", "hydra-core", "omegaconf", "numpy", "scipy", "pandas",
            "matplotlib")


def code_version() -> dict:
    """Git SHA of the project and whether its tracked files differ from it (None outside git)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=10).stdout.strip() or None
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                    cwd=ROOT, capture_output=True, text=True,
                                    timeout=10).stdout.strip()) if sha else None
    except (OSError, subprocess.SubprocessError):
        sha, dirty = None, None
    return {"git_sha": sha, "uncommitted_changes": dirty}


def provenance() -> dict:
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = None
    return {**code_version(), "python": platform.python_version(), "packages": versions,
            "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:]),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def tidy_outcomes(result, groups: list[str] | None = None) -> pd.DataFrame:
    """Monthly outcomes of one run as a tidy table (month, group, outcome, value, n)."""
    groups = groups or standard_groups()
    frames = []
    months = np.arange(result.cube.shape[1])
    for g in groups:
        for o in OUTCOME_NAMES:
            value, den = shares(result.cube, result.columns, o, g)
            frames.append(pd.DataFrame({"month": months, "group": g, "outcome": o,
                                        "value": np.round(value, 4), "n": den.astype(np.int64)}))
    return pd.concat(frames, ignore_index=True)


def survival(months: np.ndarray, horizon: int) -> np.ndarray:
    """Share (%) who reached the event by each month 0..horizon (NaN = never in the run)."""
    if len(months) == 0:
        return np.full(horizon + 1, np.nan)
    m = np.where(np.isnan(months), np.inf, months)
    return 100.0 * (m[None, :] <= np.arange(horizon + 1)[:, None]).mean(axis=1)


def times_table(result) -> pd.DataFrame:
    horizon = result.cube.shape[1] - 1
    rows = []
    for name, arr in (("home", result.months_to_home), ("first_job", result.months_to_job)):
        rows.append(pd.DataFrame({"event": name, "month": np.arange(horizon + 1),
                                  "share_reached": np.round(survival(arr, horizon), 4),
                                  "n": len(arr)}))
    return pd.concat(rows, ignore_index=True)


def costs_table(result) -> pd.DataFrame:
    n = int(result.config.population.size)
    rows = []
    for item in ITEMS:
        per_month = result.costs[item]
        years = len(per_month) // 12 + (len(per_month) % 12 > 0)
        for y in range(years):
            total = float(per_month[12 * y: 12 * (y + 1)].sum())
            rows.append({"year": y + 1, "item": item, "eur_total": round(total, 2),
                         "eur_per_person": round(total / n, 2)})
    return pd.DataFrame(rows)


def headline(result) -> dict:
    out = {}
    for o in ("participating", "employed", "benefit", "exam_passed", "own_home"):
        v = result.share(o)
        out[o] = {f"{m}m": (None if np.isnan(v[m]) else round(float(v[m]), 2))
                  for m in (12, 36, 60, 120) if m < len(v)}
    mh, mj = result.months_to_home, result.months_to_job
    out["median_months_to_home"] = float(np.nanmedian(mh)) if np.isfinite(mh).any() else None
    out["median_months_to_first_job"] = (float(np.nanmedian(mj)) if np.isfinite(mj).any()
                                         else None)
    return out


def orphaned_partial(p: Path) -> bool:
    """Whether ``p``, a temporary ``….partial-<pid>`` file or folder, was left by a process that is
    gone (an interrupted run) or by this process itself: then it can be removed; one of another live
    process cannot."""
    try:
        pid = int(p.name.rsplit("-", 1)[-1])
        os.kill(pid, 0)
        return pid == os.getpid()
    except (ValueError, ProcessLookupError):
        return True
    except PermissionError:
        return False


@contextmanager
def staged_folder(target: Path):
    """Yield a hidden temporary folder; on success move its files into ``target``.

    On any error or interrupt the temporary folder is removed, and so is ``target`` if it is
    empty (Hydra creates it before the job starts), so no half-written folder remains.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
        target.mkdir(parents=True, exist_ok=True)
        for f in sorted(tmp.iterdir()):
            os.replace(f, target / f.name)
        tmp.rmdir()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        remove_if_empty(target)
        raise


def remove_if_empty(folder: Path) -> None:
    folder = Path(folder)
    try:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass


def write_run(result, target: Path, wall_seconds: float, draw=None) -> Path:
    """Write one run's folder (see the module docstring); ``draw(result, path)``, if given, draws
    its chart into the folder before the folder is moved into place."""
    with staged_folder(target) as tmp:
        cfg = result.config.to_dict()
        (tmp / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True))
        tidy_outcomes(result).to_csv(tmp / "outcomes.csv", index=False)
        times_table(result).to_csv(tmp / "times.csv", index=False)
        costs_table(result).to_csv(tmp / "costs.csv", index=False)
        meta = {"scenario": result.config.scenario, "scenario_info": result.config.scenario_info,
                "seed": result.config.seed, "law": result.law,
                "permit_year": int(result.config.population.permit_year),
                "population_size": int(result.config.population.size),
                "wall_seconds": round(wall_seconds, 3), "headline": headline(result),
                **provenance()}
        if result.config.allow_outside_range:  # asked for explicitly: say which values
            meta["outside_range"] = [{"key": k, "value": v, "low": lo, "high": hi}
                                     for k, v, lo, hi in result.config.outside_range]
        (tmp / "run.json").write_text(json.dumps(meta, indent=2))
        if draw is not None:
            draw(result, tmp / "outcomes.png")
    return Path(target)


#: gzip settings for tables: reproducible bytes (no time stamp in the header)
GZ = {"method": "gzip", "mtime": 0, "compresslevel": 3}


def atomic_write(path: Path, write) -> Path:
    """``write(tmp)`` a temporary file beside ``path``, then move it into place (no half-written file)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_csv(df: pd.DataFrame, path: Path, gz: bool = False) -> Path:
    """A table as CSV (gzipped with reproducible bytes if ``gz``), written atomically."""
    return atomic_write(path, lambda p: df.to_csv(p, index=False, compression=GZ if gz else None))
