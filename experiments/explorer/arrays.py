"""One run of the explorer in memory: simulate, and keep only the numbers the summary reads.

The comparison writes each run to a folder (tables as CSV, the outcomes compressed) and reads the
folders back; about half of a run's second goes to that. The explorer needs only the rows the
comparison keeps of each run (:func:`experiments.runs.reading.keep_rows`: every month of the
whole cohort, every 12th month of the groups) and the costs table, so a worker process simulates
(:func:`model.model.simulate`, the same results as the comparison's runs) and returns those
numbers as arrays, computed as the comparison's tables compute them
(:func:`experiments.runs.folders.tidy_outcomes` and ``costs_table``; ``tests/test_explorer.py``
checks they are equal). The arrays are kept in a small cache folder, one ``.npz`` file a run,
named by the SHA-256 of the run's resolved configuration and of the model's code.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

#: what each run file holds
FIELDS = ("value", "n", "eur_total", "eur_per_person")


@lru_cache(maxsize=8)
def layout(horizon: int) -> tuple[pd.DataFrame, list[tuple[str, str, np.ndarray]]]:
    """The rows the comparison keeps of one run (month, group, outcome), in order, and the
    (group, outcome, months) blocks they come in."""
    from model.outcomes import OUTCOME_NAMES, standard_groups

    months = np.arange(horizon + 1)
    blocks = []
    for g in standard_groups():
        kept = months if g == "all" else months[months % 12 == 0]
        for o in OUTCOME_NAMES:
            blocks.append((g, o, kept))
    keys = pd.DataFrame({"month": np.concatenate([b[2] for b in blocks]),
                         "group": np.concatenate([[b[0]] * len(b[2]) for b in blocks]),
                         "outcome": np.concatenate([[b[1]] * len(b[2]) for b in blocks])})
    return keys, blocks


@lru_cache(maxsize=8)
def cost_layout(horizon_months: int) -> pd.DataFrame:
    """The rows of a run's costs table (year, item), in order."""
    from model.costs import ITEMS

    years = horizon_months // 12 + (horizon_months % 12 > 0)
    return pd.DataFrame([(y + 1, item) for item in ITEMS for y in range(years)], columns=["year", "item"])


def of_result(result) -> dict[str, np.ndarray]:
    """The numbers the summary reads of one run's result."""
    from experiments.explorer.bridge import costs_table
    from model.outcomes import shares

    horizon = result.cube.shape[1] - 1
    _, blocks = layout(horizon)
    value, n = [], []
    for g, o, kept in blocks:
        v, den = shares(result.cube, result.columns, o, g)
        value.append(np.round(v, 4)[kept])
        n.append(den.astype(np.int64)[kept])
    costs = costs_table(result)
    return {"value": np.concatenate(value), "n": np.concatenate(n),
            "eur_total": costs["eur_total"].to_numpy(float),
            "eur_per_person": costs["eur_per_person"].to_numpy(float),
            "horizon": np.array([horizon]), "cost_months": np.array([len(result.costs["reception"])])}


def run(config_dict: dict) -> dict:
    """Build, simulate and return the arrays of one run (in a worker process). Never raises: a
    failure is returned as ``{"error": ...}``."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    try:
        from model.config import build
        from model.model import simulate

        return of_result(simulate(build(config_dict)))
    except Exception as e:  # reported by the page
        return {"error": f"{type(e).__name__}: {e}"}


def key(config_hash: str) -> str:
    """The name of a run's file: its configuration and the model's code."""
    from experiments.explorer.bridge import model_hash

    return hashlib.sha256(f"{config_hash}:{model_hash()}".encode()).hexdigest()[:32]


def read(folder: Path, name: str) -> dict | None:
    """The arrays of run ``name`` from ``folder`` (None if not there or unreadable)."""
    path = Path(folder) / f"{name}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError):
        return None


def write(folder: Path, name: str, arrays: dict) -> None:
    """Keep the arrays of run ``name`` in ``folder`` (written whole, then moved into place)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.{os.getpid()}.npz"
    np.savez(tmp, **arrays)
    os.replace(tmp, folder / f"{name}.npz")


def tables(runs: list[dict], seeds: list[int], scenario: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(outcomes, costs) of ``runs`` on ``seeds`` as the comparison's loader gives them (tidy, the
    rows it keeps), labelled ``scenario``."""
    horizon = int(runs[0]["horizon"][0])
    keys, _ = layout(horizon)
    ck = cost_layout(int(runs[0]["cost_months"][0]))
    r = len(runs)
    out = pd.DataFrame({"scenario": scenario, "seed": np.repeat(seeds, len(keys)),
                        "month": np.tile(keys["month"].to_numpy(), r),
                        "group": np.tile(keys["group"].to_numpy(), r),
                        "outcome": np.tile(keys["outcome"].to_numpy(), r),
                        "value": np.concatenate([x["value"] for x in runs]),
                        "n": np.concatenate([x["n"] for x in runs])})
    costs = pd.DataFrame({"scenario": scenario, "seed": np.repeat(seeds, len(ck)),
                          "year": np.tile(ck["year"].to_numpy(), r), "item": np.tile(ck["item"].to_numpy(), r),
                          "eur_total": np.concatenate([x["eur_total"] for x in runs]),
                          "eur_per_person": np.concatenate([x["eur_per_person"] for x in runs])})
    return out, costs
