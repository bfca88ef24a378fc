"""Reading a set of run folders into tables (:func:`load`: outcomes, times, costs, stages, and the
failed runs), and what the folders say about their seeds: parameter sets, lever draws, configs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
import yaml

from experiments.runs.jobs import FAILED_FILE, STAGE_FILE

@dataclass
class Runs:
    """Everything read from a set of run folders."""

    index: pd.DataFrame  #: one row per run folder: scenario, seed, folder, ok, error, meta...
    outcomes: pd.DataFrame
    times: pd.DataFrame
    costs: pd.DataFrame
    stages: pd.DataFrame | None

    @property
    def ok(self) -> pd.DataFrame:
        return self.index[self.index["ok"]]

    @property
    def failures(self) -> pd.DataFrame:
        return self.index[~self.index["ok"]]


def find_run_folders(root: Path) -> list[Path]:
    """Folders under ``root`` holding a finished (``run.json``) or failed (``failed.json``) run,
    in a stable order (hidden folders, such as half-written ones, are skipped)."""
    root = Path(root)
    found = set()
    for marker in ("run.json", FAILED_FILE):
        for p in root.rglob(marker):
            rel = p.parent.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            found.add(p.parent)
    return sorted(found, key=lambda p: _natural(str(p.relative_to(root))))


def _natural(s: str):
    import re

    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", s)]


def keep_rows(df: pd.DataFrame) -> pd.DataFrame:
    """What the tidy table of all runs keeps: every month for ``all``, every 12th otherwise."""
    return df[(df["group"] == "all") | (df["month"] % 12 == 0)]


def _read_one(folder: str) -> dict:
    folder = Path(folder)
    if (folder / "run.json").is_file():
        meta = json.loads((folder / "run.json").read_text())
        out = {"meta": meta, "ok": True, "folder": str(folder)}
        name = "outcomes.csv" if (folder / "outcomes.csv").is_file() else "outcomes.csv.gz"
        o = pd.read_csv(folder / name)
        out["outcomes"] = keep_rows(o)
        out["times"] = pd.read_csv(folder / "times.csv")
        out["costs"] = pd.read_csv(folder / "costs.csv")
        out["stages"] = pd.read_csv(folder / STAGE_FILE) if (folder / STAGE_FILE).is_file() else None
        return out
    info = json.loads((folder / FAILED_FILE).read_text())
    return {"meta": info, "ok": False, "folder": str(folder)}


def load(folders: Sequence[Path], n_jobs: int = 1) -> Runs:
    """Read run folders (``n_jobs`` is accepted for symmetry and not used).

    Raises:
        ValueError: if two finished runs have the same scenario and seed, or the runs simulate
            different cohorts (population size, permit year or horizon), which pairing forbids.
    """
    folders = [str(f) for f in folders]
    # serial: reading is fast, and sending tables back from worker processes costs more than it saves
    parts = [_read_one(f) for f in folders]
    rows, outs, times, costs, stages = [], [], [], [], []
    for p in parts:
        m = p["meta"]
        row = {"scenario": m.get("scenario"), "seed": m.get("seed"), "folder": p["folder"],
               "ok": p["ok"], "error": m.get("error")}
        if p["ok"]:
            for k in ("law", "permit_year", "population_size", "wall_seconds", "git_sha",
                      "uncommitted_changes", "config_hash", "model_hash", "created", "parameter_set",
                      "lever_draw"):
                row[k] = m.get(k)
            row["horizon"] = int(p["outcomes"]["month"].max())
            key = {"scenario": row["scenario"], "seed": row["seed"]}
            outs.append(p["outcomes"].assign(**key))
            times.append(p["times"].assign(**key))
            costs.append(p["costs"].assign(**key))
            if p["stages"] is not None:
                stages.append(p["stages"].assign(**key))
        rows.append(row)
    index = pd.DataFrame(rows, columns=["scenario", "seed", "folder", "ok", "error", "law",
                                        "permit_year", "population_size", "wall_seconds", "git_sha",
                                        "uncommitted_changes", "config_hash", "model_hash",
                                        "created", "horizon", "parameter_set", "lever_draw"])
    ok = index[index["ok"]]
    dup = ok[ok.duplicated(["scenario", "seed"], keep=False)]
    if len(dup):
        first = dup.iloc[0]
        raise ValueError(f"{len(dup)} finished runs share a scenario and seed (e.g. "
                         f"{first['scenario']} seed {first['seed']}: "
                         f"{', '.join(dup[(dup.scenario == first.scenario) & (dup.seed == first.seed)].folder)}); "
                         "a sweep that varies other settings must be aggregated one setting at a time")
    for col in ("population_size", "permit_year", "horizon"):
        vals = ok[col].dropna().unique()
        if len(vals) > 1:
            raise ValueError(f"the runs differ in {col} ({', '.join(map(str, sorted(vals)))}): "
                             "scenarios can only be paired on the same cohort; aggregate one setting at a time")

    def cat(frames, cols):
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]

    return Runs(index=index,
                outcomes=cat(outs, ["scenario", "seed", "month", "group", "outcome", "value", "n"]),
                times=cat(times, ["scenario", "seed", "event", "month", "share_reached", "n"]),
                costs=cat(costs, ["scenario", "seed", "year", "item", "eur_total", "eur_per_person"]),
                stages=cat(stages, ["scenario", "seed", "month", "stage", "share", "n"]) if stages else None)


# ---- helpers -----------------------------------------------------------------------------------
def seed_groups(index: pd.DataFrame, column: str, share: str) -> tuple[dict[int, int] | None, str]:
    """The group of each seed recorded in the runs' ``column`` (``parameter_set``, ``lever_draw``),
    or None when no run records one; and a note (naming ``share``) when the groups cannot be used
    (a seed with two groups, or some runs without one)."""
    if column not in index:
        return None, ""
    ps = index[["seed", column]].dropna()
    if not len(ps):
        return None, ""
    ps = ps.astype({"seed": int, column: int})
    per_seed = ps.groupby("seed")[column].nunique()
    if (per_seed > 1).any() or len(ps) < len(index):
        what = column.replace("_", " ")
        return None, f"the runs do not share one {what} per seed: {share} is left out (NaN)"
    return {int(k): int(v) for k, v in ps.drop_duplicates("seed").itertuples(index=False)}, ""


def seed_sets(index: pd.DataFrame) -> tuple[dict[int, int] | None, str]:
    """The ensemble parameter set of each seed (from the runs' ``parameter_set``), or None when the
    runs used no ensemble; and a note when the sets cannot be used (a seed with two sets)."""
    return seed_groups(index, "parameter_set", "share_parameter")


def seed_levers(index: pd.DataFrame) -> tuple[dict[int, int] | None, str]:
    """The lever-strength draw of each seed (from the runs' ``lever_draw``), or None when the runs
    drew no strengths (or were made before draws were recorded); and a note when the draws cannot
    be used."""
    return seed_groups(index, "lever_draw", "share_lever")


def choose_baseline(scenarios: Sequence[str], wanted: str | None = "baseline") -> str:
    if wanted and wanted in scenarios:
        return wanted
    return scenarios[0]


def choose_position(scenarios: Sequence[str], baseline: str, wanted: str | None = "vwn_position") -> str | None:
    if wanted and wanted in scenarios and wanted != baseline:
        return wanted
    others = [s for s in scenarios if s != baseline]
    return others[0] if others else None


def run_configs(runs: Runs) -> dict[str, dict]:
    """Each scenario's resolved config (from its first finished run's ``config.yaml``)."""
    out = {}
    for _, r in runs.ok.sort_values("seed").iterrows():
        if r["scenario"] not in out:
            out[r["scenario"]] = yaml.safe_load((Path(r["folder"]) / "config.yaml").read_text())
    return out


def seeds_text(seeds: Sequence[int]) -> str:
    seeds = sorted(set(int(s) for s in seeds))
    if not seeds:
        return "-"
    if seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else str(seeds[0])
    return ",".join(map(str, seeds)) if len(seeds) <= 8 else f"{len(seeds)} seeds"
