"""Aggregate finished runs into a comparison's tables (the charts, stories and report are drawn
from them by :func:`experiments.presentation.publish.publish`).

Used three ways, all from the files the runs wrote (never from memory, so that the result is the
same however the runs were made):

- by :mod:`experiments.compare`, on its ``runs/<scenario>/seed<k>/`` folders;
- at the end of a sweep, ``python -m experiments.run -m scenario=a,b,c seed='range(20)'``, by
  :class:`experiments.aggregate.AggregateCallback` (registered in ``conf/hydra/callbacks/aggregate.yaml``; select it with
  ``hydra/callbacks=aggregate``). Hydra calls ``on_multirun_end`` in the main process after every
  job has ended, with any launcher (with joblib or submitit, ``on_job_end`` runs in the workers,
  which is why nothing is collected there);
- on its own: ``python -m experiments.aggregate DIR [--language nl] [--baseline NAME]
  [--position NAME] [--out OUT]``, for a sweep whose aggregation was skipped or failed.

A failed run (``failed.json``) is reported and left out; the paired statistics use the seeds that
both the scenario and the baseline have. What is written (into the sweep or comparison folder):

- ``outcomes_all.csv.gz``: tidy outcomes of all runs (scenario, seed, month, group, outcome, value,
  n): every month for the whole cohort, every 12th month for the groups by sex, origin, age and
  education (the run folders keep every month);
- ``times_all.csv.gz``, ``costs_all.csv``, ``stages_all.csv.gz``: the same for times to a home and
  a first job, yearly costs, and stages;
- ``summary.csv``, ``costs_summary.csv``, ``times_summary.csv``: see :mod:`experiments.runs.summary`;
- ``comparison.json``: settings, scenarios, seeds, runs (and failures), versions, git SHA.

The persons for the stories are followed here too (:mod:`experiments.runs.persons`: it runs the
model), so that presentation only reads what aggregation hands it (:class:`Aggregate`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import yaml

from experiments.runs import summary as S
from experiments.runs.folders import atomic_write, write_csv
from experiments.runs.jobs import FAILED_FILE, STAGE_FILE

log = logging.getLogger(__name__)



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


#: the demands' evidence ranges (read when the comparison is aggregated; see experiments.runs.summary)
DEMAND_EVIDENCE = Path(__file__).resolve().parents[2] / "model" / "data" / "demand_evidence.csv"


def demand_evidence(path: Path | None = None) -> tuple[pd.DataFrame | None, dict]:
    """The per-demand evidence ranges (``model/data/demand_evidence.csv``), or None and a note
    (``{"en", "nl"}``) saying why not: the file is missing, unreadable or lacks a column."""
    path = Path(path) if path is not None else DEMAND_EVIDENCE
    if not path.is_file():
        return None, {"en": f"the evidence file {path.name} is not there (model/data/), so the model's "
                            "effects cannot be set beside the evidence in this report",
                      "nl": f"het bestand met bewijs {path.name} ontbreekt (model/data/), dus de effecten "
                            "van het model kunnen in dit rapport niet naast het bewijs worden gezet"}
    try:
        ev = pd.read_csv(path, comment=None)
        missing = [c for c in S.EVIDENCE_COLUMNS[:5] if c not in ev.columns]
        if missing:
            raise ValueError(f"no column {', '.join(missing)}")
        ev = ev.dropna(subset=["demand", "horizon_years", "low_pp", "high_pp"])
        for c in ("horizon_years", "low_pp", "central_pp", "high_pp"):
            ev[c] = pd.to_numeric(ev[c], errors="raise")
        for c in ("basis", "evidence_ids"):
            if c not in ev.columns:
                ev[c] = ""
        ev[["basis", "evidence_ids"]] = ev[["basis", "evidence_ids"]].fillna("")
        ev["demand"] = ev["demand"].astype(str).str.strip()
    except (OSError, ValueError, pd.errors.ParserError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return None, {"en": f"the evidence file {path.name} could not be read ({first}): the model's "
                            "effects are not set beside the evidence",
                      "nl": f"het bestand met bewijs {path.name} kon niet worden gelezen ({first}): de "
                            "effecten van het model staan niet naast het bewijs"}
    return ev.reset_index(drop=True), {}


def demand_scenarios(position: str | None, configs: dict | None = None,
                     folder: Path | None = None) -> dict[str, str]:
    """Which scenario expresses each demand: ``D1`` ... ``D11`` from each scenario file's
    ``scenario_info.demand`` (``scenarios/*.yaml``; a scenario that was run counts too, from its
    config), and ``full`` for the full position. Where two scenarios name the same demand, one
    that was run (in ``configs``) wins, else the first by name."""
    import re

    from model.config import SCENARIO_DIR

    found: dict[str, list[str]] = {}
    for p in sorted(Path(folder or SCENARIO_DIR).glob("*.yaml")):
        try:  # a file that cannot be read names no demand (it is reported where it is used)
            node = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            info = node.get("scenario_info") or {}
            info = info if isinstance(info, dict) else {}
        except (OSError, ValueError, AttributeError, yaml.YAMLError):
            continue
        found.setdefault(str(info.get("demand", "")).strip(), []).append(p.stem)
    for name, cfg in (configs or {}).items():
        d = str(((cfg or {}).get("scenario_info") or {}).get("demand", "")).strip()
        if name not in found.get(d, []):
            found.setdefault(d, []).append(name)
    run = set(configs or {})
    out = {}
    for d, names in found.items():
        if re.fullmatch(r"D\d+", d):
            ran = [n for n in names if n in run]
            out[d] = (ran or names)[0]
    if position:
        out["full"] = position
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "full", int(kv[0][1:]) if kv[0] != "full" else 0)))


def stored_share(runs: Runs, scenario: str, seed: int, outcome: str = "employed") -> np.ndarray:
    o = runs.outcomes
    sel = o[(o.scenario == scenario) & (o.seed == seed) & (o.group == "all") & (o.outcome == outcome)]
    return sel.sort_values("month")["value"].to_numpy()


# ---- the whole comparison ----------------------------------------------------------------------
@dataclass
class Aggregate:
    """What aggregation found and wrote: the tables and facts the charts, stories and report show."""

    out: Path
    runs: Runs
    summary: pd.DataFrame
    costs_summary: pd.DataFrame
    times_summary: pd.DataFrame
    scenarios: list[str]
    baseline: str
    position: str | None
    language: str
    n_reps: int
    population_size: int
    permit_year: int
    source: str
    seeds: str
    evidence: pd.DataFrame | None
    evidence_note: dict
    demands: dict
    singles: list[str]
    full_vs_sum: pd.DataFrame | None
    uncertainty: str
    configs: dict
    meta: dict
    warnings: list[dict]
    followed: list | None  #: persons followed (None: no stories asked for, or no baseline config)
    story_seed: int | None
    reproduced: bool


def aggregate(out: Path, folders: Sequence[Path], *, baseline: str | None = "baseline",
              position: str | None = "vwn_position", language: str = "en",
              order: Sequence[str] | None = None, settings: dict | None = None,
              stories: bool = True, n_jobs: int = 1, extra_meta: dict | None = None) -> Aggregate:
    """Read the run folders and write the comparison's tables and ``comparison.json`` into ``out``.

    Args:
        out: the comparison folder.
        folders: the run folders to use (finished or failed).
        baseline, position: reference scenario and full position (fall back to the first
            scenario, and the first other scenario, when absent).
        language: ``en`` or ``nl`` for charts, stories and the report.
        order: scenario order (the baseline is always first).
        settings: what was asked for (recorded in ``comparison.json`` and the report).
        stories: False skips the persons' stories.

    Returns:
        What was found and written (:class:`Aggregate`); failures are ``runs.failures``.
    """
    from experiments.runs.folders import provenance

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runs = load(folders, n_jobs=n_jobs)
    if not len(runs.ok):
        raise ValueError(f"no finished runs among {len(folders)} folders"
                         + (f" ({len(runs.failures)} failed)" if len(runs.failures) else ""))
    present = list(dict.fromkeys(runs.ok["scenario"]))
    in_order = [s for s in (order or present) if s in present] + [s for s in present if s not in (order or [])]
    base = choose_baseline(in_order, baseline)
    scen = S.order_scenarios(present, base, order)
    pos = choose_position(scen, base, position)
    warnings: list[dict] = []  # each {"en": ..., "nl": ...}
    if baseline and baseline not in present:
        warnings.append({"en": f"no finished run of the baseline '{baseline}': differences are taken from '{base}'",
                         "nl": f"geen geslaagde run van de basis '{baseline}': verschillen zijn genomen ten "
                               f"opzichte van '{base}'"})

    # tables
    sets, sets_note = seed_sets(runs.ok)
    if sets_note:
        warnings.append({"en": sets_note, "nl": "de runs hebben niet één parameterset per seed: "
                                                "share_parameter is weggelaten (NaN)"})
    levers, levers_note = seed_levers(runs.ok)
    if levers_note:
        warnings.append({"en": levers_note, "nl": "de runs hebben niet één trekking van de sterktes van "
                                                  "de beleidsknoppen per seed: share_lever is weggelaten (NaN)"})
    tidy_all = runs.outcomes
    if sets is not None:
        tidy_all = tidy_all.assign(parameter_set=tidy_all["seed"].map(sets).astype("Int64"))
    if levers is not None:
        tidy_all = tidy_all.assign(lever_draw=tidy_all["seed"].map(levers).astype("Int64"))
    write_csv(tidy_all, out / "outcomes_all.csv.gz", gz=True)
    write_csv(runs.times, out / "times_all.csv.gz", gz=True)
    write_csv(runs.costs, out / "costs_all.csv")
    if runs.stages is not None:
        write_csv(runs.stages, out / "stages_all.csv.gz", gz=True)
    summary = S.summarise_outcomes(runs.outcomes, base, scen, sets=sets, levers=levers)
    broken = S.parts_check(runs.outcomes[runs.outcomes["group"] == "all"])
    if broken:
        warnings.append({"en": f"in {broken} month(s) of the runs, other participation overlaps work or education: "
                               "the parts of participation in chart (a1) do not exclude each other there "
                               "(education without work is then misstated)",
                         "nl": f"in {broken} maand(en) van de runs overlapt andere participatie met werk of "
                               "onderwijs: de delen van participatie in grafiek (a1) sluiten elkaar daar niet uit "
                               "(onderwijs zonder werk klopt dan niet)"})
    costs_summary = S.summarise_costs(runs.costs, base, scen, sets=sets, levers=levers)
    times_summary = S.summarise_times(runs.times, base, scen, sets=sets, levers=levers)
    write_csv(summary, out / "summary.csv")
    write_csv(costs_summary, out / "costs_summary.csv")
    write_csv(times_summary, out / "times_summary.csv")

    ok = runs.ok
    prov = provenance()
    seeds = sorted(ok["seed"].unique().tolist())
    size = int(ok["population_size"].iloc[0])
    year = int(ok["permit_year"].iloc[0])
    shas = sorted({str(s)[:10] for s in ok["git_sha"].dropna()})
    dirty = bool(ok["uncommitted_changes"].fillna(False).any())
    sha_txt = ("/".join(shas) or "no git") + (
        (" + niet-vastgelegde wijzigingen" if language == "nl" else " + uncommitted changes") if dirty else "")
    if len(shas) > 1:
        warnings.append({"en": f"the runs were made by different code versions: {', '.join(shas)}",
                         "nl": f"de runs zijn gemaakt met verschillende codeversies: {', '.join(shas)}"})
    models = ok["model_hash"].dropna().unique()
    if len(models) > 1:
        warnings.append({"en": "the runs were made with different model code (model_hash differs)",
                         "nl": "de runs zijn gemaakt met verschillende modelcode (model_hash verschilt)"})
    n_reps = int(ok.groupby("scenario")["seed"].nunique().min())
    configs = run_configs(runs)
    demands = demand_scenarios(pos, configs)
    singles = [s for d, s in demands.items() if d != "full" and s in scen]
    evidence, evidence_note = demand_evidence()
    checked = None
    if evidence is not None:
        checked = S.evidence_check(summary, evidence, demands)
        write_csv(checked.drop(columns=["basis"]), out / "model_and_evidence.csv")
    whole = S.sum_of_singles(runs.outcomes, base, pos, singles) if pos and singles else None
    if whole is not None and len(whole):
        write_csv(whole, out / "full_vs_sum.csv")
    src = f"integration-sim {sha_txt}, {time.strftime('%Y-%m-%d')}"
    if runs.stages is None:
        warnings.append({"en": "the runs have no stages.csv (made by an older experiments.run): chart (c) is left out",
                         "nl": "de runs hebben geen stages.csv (gemaakt door een oudere experiments.run): "
                               "grafiek (c) ontbreekt"})

    followed, story_seed, reproduced = None, None, True
    if stories and base in configs:
        followed, story_seed, reproduced = _follow(runs, configs, base, pos, warnings)

    failures = runs.failures
    meta = {
        "kind": "integration-sim scenario comparison",
        "settings": settings or {},
        "scenarios": scen, "baseline": base, "position": pos, "seeds": seeds,
        "replications_per_scenario": {s: int(n) for s, n in ok.groupby("scenario")["seed"].nunique().items()},
        "population_size": size, "permit_year": year, "language": language,
        "runs": [{"scenario": r.scenario, "seed": int(r.seed), "folder": os.path.relpath(r.folder, out),
                  "config_hash": r.config_hash, "git_sha": r.git_sha, "wall_seconds": r.wall_seconds,
                  "parameter_set": None if pd.isna(r.parameter_set) else int(r.parameter_set),
                  "lever_draw": None if pd.isna(r.lever_draw) else int(r.lever_draw)}
                 for r in ok.itertuples()],
        "parameter_sets": ({str(k): v for k, v in sets.items()} if sets else None),
        "lever_draws": ({str(k): v for k, v in levers.items()} if levers else None),
        "failures": [{"scenario": r.scenario, "seed": r.seed, "folder": os.path.relpath(r.folder, out),
                      "error": r.error} for r in failures.itertuples()],
        "warnings": [w["en"] for w in warnings],
        "model_hash": models[0] if len(models) == 1 else list(models),
        **prov,
        **(extra_meta or {}),
    }
    if "ensemble" not in meta:  # a sweep, or aggregation on its own: no ensemble was asked for
        meta["ensemble"] = {"used": bool(sets), "note": "" if sets else
                            "the runs use a single calibration (no ensemble of parameter sets): the "
                            "intervals show chance only"}
    if "levers" not in meta:  # as for the ensemble: from what the runs recorded
        n_draws = len(set(levers.values())) if levers else 0
        meta["levers"] = {"used": bool(levers), "draws": n_draws,
                          "note": "" if levers else "the runs record no lever-strength draws: every "
                                                    "lever strength is at its declared value"}
    meta["aggregation_seconds"] = round(time.perf_counter() - started, 2)
    atomic_write(out / "comparison.json", lambda p: p.write_text(json.dumps(meta, indent=2, default=str)))

    return Aggregate(out=out, runs=runs, summary=summary, costs_summary=costs_summary,
                     times_summary=times_summary, scenarios=scen, baseline=base, position=pos,
                     language=language, n_reps=n_reps, population_size=size, permit_year=year,
                     source=src, seeds=seeds_text(seeds), evidence=checked, evidence_note=evidence_note,
                     demands=demands, singles=singles, full_vs_sum=whole,
                     uncertainty=_uncertainty(sets, levers), configs=configs, meta=meta,
                     warnings=warnings, followed=followed, story_seed=story_seed, reproduced=reproduced)


def _uncertainty(sets, levers) -> str:
    """What the runs' spread covers: ``chance``, ``parameters`` and/or ``levers``, joined by '+'."""
    return "+".join(["chance"] + (["parameters"] if sets else []) + (["levers"] if levers else []))


def _follow(runs: Runs, configs: dict, base: str, pos: str | None, warnings: list[dict]):
    """Follow the stories' persons (runs the model again on the first seed, with a trace)."""
    from experiments.runs.persons import follow
    from model.config import build

    seed = int(runs.ok["seed"].min())
    base_cfg = build(dict(configs[base], seed=seed))
    alt_cfg = build(dict(configs[pos], seed=seed)) if pos and pos in configs else None
    mismatched = []

    def check(scenario, result) -> bool:
        stored = stored_share(runs, scenario, seed)
        if not len(stored):
            return True
        redo = np.round(result.share("employed"), 4)
        same = len(redo) == len(stored) and np.allclose(redo, stored, equal_nan=True, atol=1e-9)
        if not same:
            mismatched.append(scenario)
        return same

    followed, reproduced = follow(base_cfg, alt_cfg, check=check)
    if mismatched:
        warnings.append({"en": "the stories' runs, made again with the current model code, do not reproduce the "
                               f"stored runs of {', '.join(mismatched)} seed {seed} (the model changed since)",
                         "nl": "de runs van de verhalen, opnieuw gemaakt met de huidige modelcode, komen niet "
                               f"overeen met de opgeslagen runs van {', '.join(mismatched)} seed {seed} (het "
                               "model is sindsdien veranderd)"})
    return followed, seed, reproduced


def sweep_order(folders: Sequence[Path]) -> list[str]:
    """Scenario order of a sweep: by the job number Hydra puts first in each folder name."""
    def num(p: Path) -> int:
        head = p.name.split("_", 1)[0]
        return int(head) if head.isdigit() else 10**9

    out = []
    for f in sorted(folders, key=num):
        try:
            meta_file = f / "run.json" if (f / "run.json").is_file() else f / FAILED_FILE
            s = json.loads(meta_file.read_text()).get("scenario")
        except (OSError, ValueError):
            continue
        if s not in out:
            out.append(s)
    return out


def aggregate_dir(folder: Path, out: Path | None = None, language: str = "en",
                  baseline: str = "baseline", position: str = "vwn_position",
                  stories: bool = True) -> Aggregate:
    """Aggregate every run folder under ``folder`` (a sweep directory) into ``out`` (default:
    ``folder`` itself)."""
    folder = Path(folder)
    folders = find_run_folders(folder)
    if not folders:
        raise ValueError(f"no run folders (with run.json or failed.json) under {folder}")
    order = sweep_order(folders)
    for meta_file in (folder / "comparison.json", folder.parent / "comparison.json"):
        if meta_file.is_file():  # a comparison's folder: keep its order
            try:
                order = json.loads(meta_file.read_text()).get("scenarios") or order
            except ValueError:
                pass
            break
    settings = {"source": "aggregate", "folder": str(folder), "language": language,
                "baseline": baseline, "position": position}
    return aggregate(out or folder, folders, baseline=baseline, position=position, language=language,
                     order=order, settings=settings, stories=stories, n_jobs=os.cpu_count() or 1)
