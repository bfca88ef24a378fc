"""A comparison's plan and its runs: which scenario runs on which seed with which parameter set and
lever-strength draw, what is already done, running the rest, and aggregating the folders.

The command is :mod:`experiments.compare` (its docstring says what a comparison is and writes);
a run is composed exactly as ``python -m experiments.run scenario=S seed=K ...`` would compose it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from experiments.runs.compose import PRECEDENCE, chosen_calibration, flatten, given_keys, value_sources
from experiments.runs.folders import orphaned_partial
from experiments.runs.jobs import config_hash, is_complete, run_group
from model.config import all_params
from model.errors import ConfigError


# ---- the ensemble of parameter sets ----------------------------------------------------------

def read_ensemble(path: Path) -> dict:
    """The ensemble file: ``{"file", "date", "sets": [flat dotted dict, ...], "info"}``.

    Raises:
        ConfigError: if the file cannot be read or holds no sets.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        sets = data.get("sets") if isinstance(data, dict) else None
        if not isinstance(sets, list) or not sets or not all(isinstance(x, dict) for x in sets):
            raise ValueError("no list of parameter sets under 'sets:'")
    except (OSError, ValueError, yaml.YAMLError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ConfigError("ensemble_file", str(path), f"a readable ensemble file with sets ({first})") from None
    info = data.get("calibration_info") or {}
    return {"file": str(path), "date": str(info.get("date", "")), "n_sets": len(sets),
            "sets": [flatten(x) for x in sets], "info": info}


def model_overrides(task_overrides: list[str]) -> list[str]:
    """The command line's model overrides (``population.size=30000``, ``calibration=none``, ...),
    to apply to every scenario; compare keys and Hydra's own settings are left out."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    index = {f"{g}.{p.name}" for g, p in all_params()} | {"calibration"}
    parser = OverridesParser.create()
    out = []
    for text in task_overrides:
        (o,) = parser.parse_overrides([text])
        if o.key_or_group in index:
            out.append(text)
    return out


# ---- the plan ----------------------------------------------------------------------------------
#: the calibration the ensemble's parameter sets are drawn around (experiments.calibrate writes
#: conf/calibration/fitted.yaml and conf/ensemble.yaml together): with any other, no ensemble
ENSEMBLE_CALIBRATION = "fitted"

@dataclass
class Plan:
    scenarios: list[str]
    baseline: str
    position: str | None
    seeds: list[int]
    overrides: list[str]
    out: Path
    n_jobs: int
    language: str
    stories: bool
    progress: bool
    configs: dict = field(default_factory=dict)  #: scenario -> resolved config dict (seed unset)
    notes: list[str] = field(default_factory=list)
    ensemble: dict | None = None  #: read_ensemble(...) when the ensemble is used
    seeds_per_set: int = 2
    ensemble_note: str = ""  #: why the ensemble is not used (when it is not)
    set_configs: dict = field(default_factory=dict)  #: (scenario, set, draw) -> config dict
    levers: bool = True  #: draw lever strengths per replication (model/strengths.py)
    sets_per_draw: int = 2
    calibration: str = "fitted"  #: the parameter set of conf/calibration/ under every run
    #: scenario -> what its file sets (model.config.scenario_settings: key -> (value, file))
    scenario_values: dict = field(default_factory=dict)

    def parameter_set(self, seed: int) -> int | None:
        """The ensemble set of the replication on ``seed`` (None without an ensemble)."""
        if not self.ensemble:
            return None
        k = seed - self.seeds[0]
        return (k // self.seeds_per_set) % self.ensemble["n_sets"]

    def lever_draw(self, seed: int) -> int | None:
        """The lever-strength draw of the replication on ``seed`` (None when strengths are fixed).

        Nested design: ``seeds_per_set`` seeds per parameter set, ``sets_per_draw`` parameter sets
        per draw, so the variance of an effect splits into chance, calibrated parameters and
        lever strength (experiments/runs/summary.py)."""
        if not self.levers:
            return None
        return (seed - self.seeds[0]) // (self.seeds_per_set * self.sets_per_draw)

    def config(self, scenario: str, seed: int) -> dict:
        """The resolved config dict of one run (the scenario's, with its set's and draw's values
        and its seed)."""
        i, j = self.parameter_set(seed), self.lever_draw(seed)
        base = self.configs[scenario] if i is None and j is None else self.set_configs[scenario, i, j]
        return dict(base, seed=seed)

    def levers_meta(self) -> dict:
        """What the lever-strength draws were (for comparison.json and the report)."""
        from model.strengths import LEVER_SEED, strength_params

        if not self.levers:
            return {"used": False, "note": "levers=false: every lever strength at its declared value"}
        draws = sorted({self.lever_draw(k) for k in self.seeds})
        return {"used": True, "draws": len(draws), "sets_per_draw": self.sets_per_draw,
                "seeds_per_set": self.seeds_per_set, "root_seed": LEVER_SEED,
                "strengths": [k for k, _ in strength_params()],
                "fixed_on_command_line": sorted(self._given_strengths()),
                "note": "" if len(draws) > 1 else "one lever-strength draw: share_lever is NaN"}

    def _given_strengths(self) -> set[str]:
        from model.strengths import strength_params

        return {k for k, _ in strength_params()} & given_keys(self.overrides)

    def ensemble_meta(self) -> dict:
        if not self.ensemble:
            return {"used": False, "note": self.ensemble_note}
        used = sorted({self.parameter_set(k) for k in self.seeds})
        return {"used": True, "file": self.ensemble["file"], "date": self.ensemble["date"],
                "n_sets": self.ensemble["n_sets"], "sets_used": used,
                "seeds_per_set": self.seeds_per_set,
                "objective": self.ensemble["info"].get("objective"),
                "method": self.ensemble["info"].get("method"),
                "note": "" if self.seeds_per_set > 1 and len(used) > 1 else
                "the split of each interval into parameter uncertainty and chance needs at least two "
                "parameter sets with at least two seeds each (seeds_per_set >= 2): share_parameter is NaN"}

    def sources(self, scenario: str, seed: int) -> dict:
        """Each value of the run on ``seed`` that a parameter set, a lever draw, the calibration,
        the scenario file or the command line could set, and where it came from
        (:func:`experiments.runs.compose.value_sources`)."""
        from model.strengths import strength_params

        i, j = self.parameter_set(seed), self.lever_draw(seed)
        drawn = {k for k, _ in strength_params()} if j is not None else set()
        layers = [({"from": "lever draw", "draw": j}, drawn),
                  ({"from": "ensemble", "set": i},
                   set(self.ensemble["sets"][i]) if i is not None else set())]
        return value_sources(self.config(scenario, seed), self.overrides, self.calibration,
                             self.scenario_values.get(scenario, {}), layers)

    def parameters_meta(self) -> dict:
        """Which values of the comparison came from where (for comparison.json): the calibration,
        the command line's values, and per scenario what its file sets and which keys its runs
        take from their parameter set or lever draw (each run's ``run.json`` has its values)."""
        first = self.sources(self.scenarios[0], self.seeds[0])
        out = {"calibration": self.calibration, "precedence": PRECEDENCE,
               "command_line": {k: v["value"] for k, v in first.items()
                                if v["from"] == "command line"}, "scenarios": {}}
        for s in self.scenarios:
            runs = [self.sources(s, k) for k in self.seeds]
            came = {w: sorted({k for r in runs for k, v in r.items() if v["from"] == w})
                    for w in ("scenario", "ensemble", "lever draw")}
            out["scenarios"][s] = {
                "scenario_file": {k: {"value": runs[0][k]["value"], "file": runs[0][k]["file"]}
                                  for k in came["scenario"]},
                "from_ensemble": came["ensemble"], "from_lever_draws": came["lever draw"]}
        return out

    def run_dir(self, scenario: str, seed: int) -> Path:
        return self.out / "runs" / scenario / f"seed{seed}"

    def settings(self) -> dict:
        return {"scenarios": self.scenarios, "baseline": self.baseline, "position": self.position,
                "replications": len(self.seeds), "seed_start": self.seeds[0],
                "model_overrides": self.overrides, "out": str(self.out),
                "n_jobs": self.n_jobs, "language": self.language,
                "ensemble": bool(self.ensemble), "seeds_per_set": self.seeds_per_set,
                "ensemble_file": self.ensemble["file"] if self.ensemble else None,
                "levers": self.levers, "sets_per_draw": self.sets_per_draw,
                "calibration": self.calibration}


def default_scenarios() -> list[str]:
    from model.config import ROOT

    return list(OmegaConf.load(ROOT / "conf" / "compare.yaml").scenarios)


def folder_name(scenarios: list[str], seed_start: int, overrides: list[str],
                extra: list[str] | None = None) -> str:
    """The output folder's name: ``default``, or the settings that change what is run."""
    parts = list(overrides) + list(extra or [])
    if scenarios != default_scenarios():
        parts.insert(0, "scenarios=" + ",".join(scenarios))
    if seed_start:
        parts.append(f"seed_start={seed_start}")
    if not parts:
        return "default"
    name = re.sub(r"[^A-Za-z0-9._=,+-]+", "_", "_".join(parts))
    if len(name) > 80:
        name = name[:60] + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return name


def make_plan(cfg: DictConfig, task_overrides: list[str]) -> Plan:
    """Compose every scenario's run config (no runs, no folders) from the composed settings, which
    the command has checked (:func:`experiments.compare.check_settings`).

    Parameter sets and lever draws never replace a value that the scenario file or the command
    line sets (:data:`PRECEDENCE`); with a calibration other than ``fitted`` (``calibration=none``:
    the declared defaults) no ensemble is used.

    Raises:
        ConfigError: if the ensemble file is asked for and missing, if the ensemble is asked for
            (``ensemble=true`` or ``ensemble_file=``) with another calibration than ``fitted``, or
            if a scenario does not compose.
    """
    from experiments.runs.compose import load
    from model.config import scenario_settings

    c = OmegaConf.to_container(cfg, resolve=True)
    scen = c.get("scenarios")
    rep = c.get("report") or {}

    scenarios = list(dict.fromkeys(scen))
    baseline = c["baseline"]
    notes = []
    if baseline not in scenarios:
        scenarios.insert(0, baseline)
        notes.append(f"added the baseline '{baseline}' as the reference")
    position = c.get("position")
    if position and position not in scenarios and len(scenarios) > 1:
        other = next(x for x in scenarios if x != baseline)
        notes.append(f"the full position '{position}' is not in the list: chart (c) and the stories "
                     f"compare the baseline with '{other}'")
    overrides = model_overrides(task_overrides)
    seeds = list(range(c["seed_start"], c["seed_start"] + c["replications"]))
    from model.config import ROOT

    want, spp = c.get("ensemble"), c.get("seeds_per_set", 2)
    file = Path(c["ensemble_file"]).expanduser().absolute() if c.get("ensemble_file") else \
        ROOT / "conf" / "ensemble.yaml"
    calibration = chosen_calibration(overrides, ENSEMBLE_CALIBRATION)
    ensemble, ens_note = None, ""
    if calibration != ENSEMBLE_CALIBRATION:
        if want is True or c.get("ensemble_file"):
            asked = "ensemble=true" if want is True else f"ensemble_file={c['ensemble_file']}"
            what = "the declared defaults" if calibration == "none" else "its values"
            raise ConfigError("calibration", calibration,
                              f"calibration={ENSEMBLE_CALIBRATION} (or no calibration=) with "
                              f"{asked}, whose parameter sets are drawn around the fitted set "
                              f"and would replace {what}; leave out {asked.split('=')[0]}= to run "
                              f"calibration={calibration} in every replication")
        ens_note = (f"calibration={calibration}: every replication uses it (no ensemble of "
                    "parameter sets; the intervals show chance and lever strengths only)")
    elif want is False:
        ens_note = "ensemble=false: every replication uses the single calibration (chance only)"
    elif not file.is_file():
        if want is True:
            raise ConfigError("ensemble", True, f"an ensemble file ({file} does not exist: run "
                                                "python -m experiments.calibrate, or set ensemble=false)")
        ens_note = (f"no ensemble file ({file.name}; python -m experiments.calibrate writes it): every "
                    "replication uses the single calibration, and the intervals show chance only")
    else:
        ensemble = read_ensemble(file)
    if ens_note:
        notes.append(ens_note)
    extra = []
    if ensemble is None and file.is_file() and calibration == ENSEMBLE_CALIBRATION:
        extra.append("ensemble=false")
    elif ensemble is not None:
        if c.get("ensemble_file"):
            extra.append("ensemble=" + file.stem + "-" + hashlib.sha256(str(file).encode()).hexdigest()[:6])
        if spp != 2:
            extra.append(f"seeds_per_set={spp}")
    levers, spd = c.get("levers", True), c.get("sets_per_draw", 2)
    if not levers:
        extra.append("levers=false")
    elif spd != 2:
        extra.append(f"sets_per_draw={spd}")
    out = Path(c["out"]).expanduser() if c.get("out") else \
        Path("results") / "compare" / folder_name(scenarios, c["seed_start"], overrides, extra)
    plan = Plan(scenarios=scenarios, baseline=baseline, position=position, seeds=seeds,
                overrides=overrides, out=out.absolute(), n_jobs=c.get("n_jobs") or os.cpu_count() or 1,
                language=rep["language"], stories=rep.get("stories", True),
                progress=c.get("progress", True), notes=notes, ensemble=ensemble, seeds_per_set=spp,
                ensemble_note=ens_note, levers=levers, sets_per_draw=spd, calibration=calibration,
                scenario_values={s: scenario_settings(s) for s in scenarios})
    given = given_keys(overrides)
    in_sets = {k for x in ensemble["sets"] for k in x} if ensemble is not None else set()
    clash = sorted(in_sets & given)
    if clash:
        notes.append(f"{', '.join(clash)} given on the command line: the ensemble's values of "
                     f"{'it' if len(clash) == 1 else 'them'} are not used")
    for s in scenarios:
        clash = sorted(in_sets & set(plan.scenario_values[s]) - given)
        if clash:
            notes.append(f"scenario '{s}' sets {', '.join(clash)}: its runs keep "
                         f"{'that value' if len(clash) == 1 else 'those values'} (not the ensemble's)")
    from model.strengths import draw

    cells = sorted({(plan.parameter_set(k), plan.lever_draw(k)) for k in seeds},
                   key=lambda c: (-1 if c[0] is None else c[0], -1 if c[1] is None else c[1]))
    for s in scenarios:
        cfg = load(s, overrides)
        plan.configs[s] = cfg.to_dict()
        own = set(plan.scenario_values[s])
        for i, j in cells:
            if i is None and j is None:
                continue
            values = dict(ensemble["sets"][i]) if i is not None else {}
            if j is not None:
                values.update(draw(j))
            # a value the command line or the scenario file sets is never overwritten
            values = {k: v for k, v in values.items() if k not in given and k not in own}
            plan.set_configs[s, i, j] = cfg.with_values(values).to_dict()
    return plan


# ---- running ---------------------------------------------------------------------------------
def _clean_partials(runs_dir: Path) -> None:
    """Remove half-written run folders left by an interrupted comparison (their process is gone)."""
    if not runs_dir.is_dir():
        return
    for p in runs_dir.glob("*/.*.partial-*"):
        if orphaned_partial(p):
            shutil.rmtree(p, ignore_errors=True)


def pending(plan: Plan) -> tuple[list[tuple[str, int, dict]], int, int]:
    """Runs still to do (scenario, seed, config dict), the number reused, and the number of
    finished runs that are made again because their configuration or the model code changed."""
    todo, reused, stale = [], 0, 0
    for s in plan.scenarios:
        for k in plan.seeds:
            d = plan.config(s, k)
            folder = plan.run_dir(s, k)
            if is_complete(folder, config_hash(d)):
                reused += 1
            else:
                stale += is_complete(folder)
                todo.append((s, k, d))
    return todo, reused, stale


def run_groups(plan: Plan, todo: list[tuple[str, int, dict]]) -> list[list[tuple[dict, str, bool]]]:
    """The runs to do, grouped by seed for :func:`experiments.runs.jobs.run_group`: every group
    holds the baseline of its seed (written if it is to do, otherwise only the others'
    displacement reference), so that each national policy's reference is computed once per seed
    rather than once per scenario. With fewer seeds to do than processes, a seed's runs are split
    over several groups (each with its own baseline) so that every process has work."""
    by_seed: dict[int, list[tuple[str, dict]]] = {}
    for s, k, d in todo:
        by_seed.setdefault(k, []).append((s, d))
    parts = max(1, -(-plan.n_jobs // max(len(by_seed), 1)))
    groups = []
    for k, runs in by_seed.items():
        base = next((d for s, d in runs if s == plan.baseline), None)
        others = [(s, d) for s, d in runs if s != plan.baseline]
        n = max(1, min(parts, len(others)))
        for i in range(n):
            chunk = [(d, str(plan.run_dir(s, k)), True) for s, d in others[i::n]]
            if base is not None and i == 0:
                chunk.insert(0, (base, str(plan.run_dir(plan.baseline, k)), True))
            elif chunk:
                chunk.insert(0, (plan.config(plan.baseline, k), str(plan.run_dir(plan.baseline, k)), False))
            if chunk:
                groups.append(chunk)
    return groups


def run_missing(plan: Plan, command: str) -> dict:
    """Run what is missing (in parallel) and record each run's set and draw.

    Returns:
        ``{"results", "reused", "failed", "run_seconds", "folders"}``: the finished or failed run
        folders are what :func:`aggregate_plan` reads.
    """
    from tqdm import tqdm

    plan.out.mkdir(parents=True, exist_ok=True)
    _clean_partials(plan.out / "runs")
    todo, reused, stale = pending(plan)
    total = len(plan.scenarios) * len(plan.seeds)
    print(f"comparison: {len(plan.scenarios)} scenarios x {len(plan.seeds)} replications "
          f"(seeds {plan.seeds[0]}-{plan.seeds[-1]}) = {total} runs; {reused} reused, "
          f"{len(todo)} to run on {min(plan.n_jobs, max(len(todo), 1))} process(es) -> {plan.out}",
          flush=True)
    if plan.ensemble:
        m = plan.ensemble_meta()
        print(f"ensemble: {m['file']} ({m['date']}, {m['n_sets']} parameter sets); replication k uses set "
              f"k // {plan.seeds_per_set} (sets {m['sets_used'][0]}-{m['sets_used'][-1]})", flush=True)
    if plan.levers:
        lm = plan.levers_meta()
        print(f"lever strengths: {lm['draws']} draw(s) from their evidence ranges, replication k uses draw "
              f"k // {plan.seeds_per_set * plan.sets_per_draw} in every scenario", flush=True)
    if stale:
        plan.notes.append(f"{stale} finished run(s) were made with other settings or other model code "
                          "and are made again")
    for n in plan.notes:
        print(f"note: {n}", flush=True)
    start = time.perf_counter()
    results = []
    if todo:
        bar = tqdm(total=len(todo), unit="run", desc="runs", delay=2.0, disable=not plan.progress,
                   file=sys.stderr, dynamic_ncols=True)
        groups = run_groups(plan, todo)
        try:
            if plan.n_jobs > 1 and len(groups) > 1:
                from joblib import Parallel, delayed

                gen = Parallel(n_jobs=min(plan.n_jobs, len(groups)), return_as="generator_unordered",
                               batch_size=1)(delayed(run_group)(g, command) for g in groups)
            else:
                gen = (run_group(g, command) for g in groups)
            for answers in gen:
                for r in answers:
                    results.append(r)
                    bar.update(1)
                    if not r["ok"]:
                        bar.write(f"warning: {r['scenario']} seed {r['seed']} failed: {r['error']}")
        finally:
            bar.close()
    run_seconds = time.perf_counter() - start
    record_sets(plan)
    failed = [r for r in results if not r["ok"]]
    folders = [plan.run_dir(s, k) for s in plan.scenarios for k in plan.seeds
               if (plan.run_dir(s, k) / "run.json").is_file() or (plan.run_dir(s, k) / "failed.json").is_file()]
    return {"results": results, "reused": reused, "failed": failed, "run_seconds": run_seconds,
            "folders": folders}


def aggregate_plan(plan: Plan, done: dict, command: str):
    """Aggregate the comparison's run folders into its tables (:func:`experiments.runs.aggregate.aggregate`)."""
    from experiments.runs.aggregate import aggregate

    results, failed = done["results"], done["failed"]
    return aggregate(plan.out, done["folders"], baseline=plan.baseline, position=plan.position,
                     language=plan.language, order=plan.scenarios, settings=plan.settings(),
                     stories=plan.stories, n_jobs=plan.n_jobs,
                     extra_meta={"ensemble": plan.ensemble_meta(), "levers": plan.levers_meta(),
                                 "parameters": plan.parameters_meta(),
                                 "computed_runs": len(results) - len(failed), "reused_runs": done["reused"],
                                 "failed_runs": len(failed), "run_seconds": round(done["run_seconds"], 1),
                                 "command": command})


def record_sets(plan: Plan) -> None:
    """Write each finished run's ensemble set and lever-strength draw (``parameter_set``,
    ``lever_draw``, or null) into its ``run.json``, and under ``parameters`` the calibration and
    where each value a set, a draw, the calibration, the scenario or the command line could set
    came from, with the value used (:meth:`Plan.sources`).

    Done here rather than in the worker, so that a run reused from an earlier comparison gets it
    too; the set is also fixed by the configuration hash, which covers the set's values.
    """
    import json

    from experiments.runs.folders import atomic_write

    for s in plan.scenarios:
        for k in plan.seeds:
            f = plan.run_dir(s, k) / "run.json"
            if not f.is_file():
                continue
            try:
                meta = json.loads(f.read_text())
            except (OSError, ValueError):
                continue
            i, j = plan.parameter_set(k), plan.lever_draw(k)
            parameters = {"calibration": plan.calibration,
                          "ensemble_file": plan.ensemble["file"] if plan.ensemble else None,
                          "precedence": PRECEDENCE, "values": plan.sources(s, k)}
            if (meta.get("parameter_set", "?") == i and meta.get("lever_draw", "?") == j
                    and meta.get("parameters") == parameters):
                continue
            meta["parameter_set"] = i
            meta["lever_draw"] = j
            meta["parameters"] = parameters
            atomic_write(f, lambda p, m=meta: p.write_text(json.dumps(m, indent=2)))
