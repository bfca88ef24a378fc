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
- on its own: ``python -m experiments.aggregate FOLDER [language=nl] [baseline=NAME]
  [position=NAME] [out=PATH]``, for a sweep whose aggregation was skipped or failed.

A failed run (``failed.json``) is reported and left out; the paired statistics use the seeds that
both the scenario and the baseline have. What is written (into the sweep or comparison folder):

- ``outcomes_all.csv.gz``: tidy outcomes of all runs (scenario, seed, month, group, outcome, value,
  n): every month for the whole cohort, every 12th month for the groups by sex, origin, age and
  education (the run folders keep every month);
- ``times_all.csv.gz``, ``costs_all.csv``, ``stages_all.csv.gz``: the same for times to a home and
  a first job, yearly costs, and stages;
- ``summary.csv``, ``costs_summary.csv``, ``times_summary.csv``: see :mod:`experiments.runs.summary`;
- ``comparison.json``: settings, scenarios, seeds, runs (and failures), versions, git SHA;
- ``model_and_evidence.csv``, ``full_vs_sum.csv``: each demand's effect against its evidence, and
  the full position against the sum of its parts (when the runs allow them).

Reading the run folders is :mod:`experiments.runs.reading`, the demands and their evidence
:mod:`experiments.runs.demands`. The persons for the stories are followed here too (:mod:`experiments.runs.persons`: it runs the
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

from experiments.runs import summary as S
from experiments.runs.demands import demand_evidence, demand_scenarios
from experiments.runs.folders import atomic_write, write_csv
from experiments.runs.jobs import FAILED_FILE
from experiments.runs.reading import (Runs, choose_baseline, choose_position, find_run_folders,  # noqa: F401
                                      load, run_configs, seed_levers, seed_sets, seeds_text)

log = logging.getLogger(__name__)

#: every name the aggregation writes into its folder (see above)
WRITES = ("outcomes_all.csv.gz", "times_all.csv.gz", "costs_all.csv", "stages_all.csv.gz",
          "summary.csv", "costs_summary.csv", "times_summary.csv", "model_and_evidence.csv",
          "full_vs_sum.csv", "comparison.json")


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
                         "nl": f"geen geslaagde simulatie van het basisscenario '{baseline}': verschillen zijn "
                               f"genomen ten opzichte van '{base}'"})

    # tables
    sets, sets_note = seed_sets(runs.ok)
    if sets_note:
        warnings.append({"en": sets_note, "nl": "de simulaties hebben niet één parameterset per "
                                                "herhaling: het aandeel van de geschatte parameters in de "
                                                "onzekerheid is weggelaten"})
    levers, levers_note = seed_levers(runs.ok)
    if levers_note:
        warnings.append({"en": levers_note, "nl": "de simulaties hebben niet één trekking van de sterkte "
                                                  "van de maatregelen per herhaling: het aandeel daarvan in de "
                                                  "onzekerheid is weggelaten"})
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
                         "nl": f"in {broken} maand(en) van de simulaties overlapt andere participatie met werk of "
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
                         "nl": f"de simulaties zijn gemaakt met verschillende codeversies: {', '.join(shas)}"})
    models = ok["model_hash"].dropna().unique()
    if len(models) > 1:
        warnings.append({"en": "the runs were made with different model code (model_hash differs)",
                         "nl": "de simulaties zijn gemaakt met verschillende versies van het model"})
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
                         "nl": "de simulaties hebben geen bestand stages.csv (gemaakt door een oudere versie): "
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
    """Follow the stories' persons (runs the model again, with a trace, on the first seeds: each
    persona's group is drawn from them, as they ran)."""
    import yaml

    from experiments.runs.persons import COHORTS, follow
    from model.config import build

    ok = runs.ok

    def config(scenario: str, seed: int):
        row = ok[(ok["scenario"] == scenario) & (ok["seed"] == seed)]
        return build(yaml.safe_load((Path(row["folder"].iloc[0]) / "config.yaml").read_text())) if len(row) else None

    seed = int(ok["seed"].min())
    alt = pos if pos and pos in configs else None
    pairs = []
    for s in sorted(set(ok["seed"]))[:COHORTS]:
        b, a = config(base, int(s)), config(alt, int(s)) if alt else None
        if b is not None and (a is not None or not alt):
            pairs.append((b, a))
    if not pairs:
        return None, seed, True
    mismatched = []

    def check(scenario, result) -> bool:
        stored = stored_share(runs, scenario, int(result.config.seed))
        if not len(stored):
            return True
        redo = np.round(result.share("employed"), 4)
        same = len(redo) == len(stored) and np.allclose(redo, stored, equal_nan=True, atol=1e-9)
        if not same:
            mismatched.append((scenario, int(result.config.seed)))
        return same

    followed, reproduced = follow(pairs, check=check)
    if mismatched:
        warnings.append({"en": "the stories' runs, made again with the current model code, do not reproduce the "
                               f"stored runs of {', '.join(f'{s} seed {k}' for s, k in mismatched)} (the model "
                               "changed since)",
                         "nl": "de verhalen zijn opnieuw gesimuleerd met de huidige versie van het model en komen "
                               "niet overeen met de opgeslagen simulaties van "
                               f"{', '.join(f'{s} (toevalsreeks {k})' for s, k in mismatched)}: het model is "
                               "sindsdien veranderd"})
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
