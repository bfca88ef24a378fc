"""Does the baseline reproduce what happened? Hold the model against a targets file, fitting nothing.

Two modes: ``targets=FILE`` (published levels, below) and ``effects=FILE`` (published intervention
effects, each held against a paired treatment-control experiment: :mod:`experiments.evidence.effects`,
schema in ``docs/effects_schema.md``). The two cannot be combined.

Run::

    python -m experiments.validate targets=model/data/calibration_targets.csv
    python -m experiments.validate targets=my_figures.csv replications=10 population.size=20000 \\
        scenario=baseline out=results/validate/mine params.work.base_rate=0.05

Arguments (``key=value``):

- ``targets``: a CSV that follows the targets schema (``docs/targets_schema.md``); required;
- ``replications``: seeds per cohort (default 20; a run of 20,000 persons takes about a
  second); ``seed``: the first seed (default 0);
- ``population.size``: persons per run (default 20000, about the real 2014 cohort, so the spread
  over seeds is the chance variation of a cohort of the real size);
- ``scenario``: default ``baseline``; any other ``key=value`` is a model override;
- ``tolerance_pp``: tolerance for rows without one (default 2.5 pp,
  :data:`experiments.evidence.targets.DEFAULT_TOLERANCE_PP`, where the reason is given);
- ``out``: output folder (default a new ``results/validate/<date_time>``, or
  ``<date_time>_effects``); an existing folder holding files validate does not write is refused
  unless ``overwrite=true`` (which replaces only files of the same names).

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

import os
import sys
import time
from pathlib import Path

from experiments.evidence import validation
from experiments.evidence.effects import per_seed, prepare as prepare_effects
from experiments.evidence.effects import read_effects, run_pairs, summarise as summarise_effects
from experiments.evidence.effects.file import _fail
from experiments.evidence.targets import DEFAULT_TOLERANCE_PP, SCHEMA_DOC, cohorts, read_targets
from experiments.evidence.target_values import prepare, summarise
from experiments.presentation.validation import (draw_effects, draw_targets, print_effects,
                                                 print_targets)
from experiments.runs.outputs import (OUT, OVERWRITE, check_output, chosen_output, flag,
                                      written_folder)
from experiments.runs.overrides import fail, path, positive_int, split_args, tolerance, wants_help
from model.errors import ConfigError

DEFAULTS = {"replications": 20, "seed": 0, "population.size": 20000, "scenario": "baseline"}


OWN = {"targets": path, "replications": positive_int, OUT: check_output, OVERWRITE: flag,
       "tolerance_pp": tolerance}
#: what validate writes into its folder, in either mode: the tables and chart of each
#: (targets_*, effects_*), the model's values by seed, each cohort's configuration, the report and
#: validate.json
WRITES = ("targets_*", "effects_*", "model_by_seed.csv", "config_*.yaml", "report.md",
          "validate.json")
DEFAULT_OUT = "results/validate/<date_time>"


def parse_args(argv: list[str]) -> dict:
    """Split ``key=value`` arguments into this command's settings and model overrides.

    Raises:
        ConfigError: for an unknown key, a bad value, or a missing ``targets``.
    """
    mine, kv = split_args(argv, OWN)
    if "targets" not in mine:
        raise ConfigError("targets", None, "targets=PATH to a CSV that follows the targets schema "
                                           f"({SCHEMA_DOC}) (or effects=PATH to a file of "
                                           "published effects, docs/effects_schema.md)")
    settings = {"targets": mine["targets"], "out": chosen_output(mine, WRITES, DEFAULT_OUT),
                "replications": mine.get("replications", DEFAULTS["replications"]),
                "seed": int(kv.pop("seed", DEFAULTS["seed"])),
                "scenario": kv.pop("scenario", DEFAULTS["scenario"]),
                "tolerance_pp": mine.get("tolerance_pp", DEFAULT_TOLERANCE_PP)}
    kv.setdefault("population.size", str(DEFAULTS["population.size"]))
    settings["overrides"] = [f"{k}={v}" for k, v in kv.items()]
    return settings



# ---- effects=FILE: published intervention effects (schema: docs/effects_schema.md) -------------

def _schema_pointed(convert):
    """A command-line converter whose errors also point to the effects schema document."""
    def checked(key: str, text: str):
        try:
            return convert(key, text)
        except ConfigError as e:
            raise _fail(key, text, e.allowed) from None
    return checked


def _refuse(key: str, text: str):
    why = {"targets": "effects=FILE or targets=FILE, not both",
           "tolerance_pp": "no tolerance_pp with effects=: each row is judged against its "
                           "published interval"}[key]
    raise _fail(key, text, why)


EFFECTS_OWN = {"effects": _schema_pointed(path), "replications": _schema_pointed(positive_int),
               OUT: check_output, OVERWRITE: flag, "n_jobs": _schema_pointed(positive_int),
               "targets": _refuse, "tolerance_pp": _refuse}


def parse_effects_args(argv: list[str]) -> dict:
    """This command's settings and the model overrides from ``key=value`` arguments (effects mode).

    Raises:
        ConfigError: for an unknown key, a bad value, or a missing ``effects``.
    """
    mine, kv = split_args(argv, EFFECTS_OWN)
    if "effects" not in mine:
        raise _fail("effects", None, "effects=PATH to a CSV file of published effects")
    seed = kv.pop("seed", str(DEFAULTS["seed"]))
    if "scenario" in kv:
        raise _fail("scenario", kv["scenario"], "no scenario on the command line: each row's "
                                                "treatment and control name their scenario")
    kv.setdefault("population.size", str(DEFAULTS["population.size"]))
    return {"effects": mine["effects"], "out": chosen_output(mine, WRITES, DEFAULT_OUT),
            "replications": mine.get("replications", DEFAULTS["replications"]),
            "seed": int(seed), "n_jobs": mine.get("n_jobs", os.cpu_count() or 1),
            "overrides": [f"{k}={v}" for k, v in kv.items()]}


def main(argv: list[str] | None = None) -> Path:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return None
    if any(a.split("=", 1)[0].strip() == "effects" for a in argv if "=" in a):
        return main_effects(argv)  # published intervention effects (refuses targets=)
    try:
        s = parse_args(argv)
        targets = read_targets(s["targets"])
        configs = prepare(targets, s["scenario"], s["overrides"])
    except ConfigError as e:
        fail(e)
    seeds = list(range(s["seed"], s["seed"] + s["replications"]))
    tpath = Path(s["targets"])
    default = validation.default_folder()
    size = int(next(iter(configs.values())).population.size)
    print(f"validating against {tpath} ({len(targets)} targets, cohorts "
          f"{', '.join(map(str, cohorts(targets)))}): {len(seeds)} seeds x {size:,} persons")
    start = time.perf_counter()
    per_seed_values, curves = validation.run_all(targets, configs, seeds)
    table = summarise(targets, per_seed_values, s["tolerance_pp"])
    wall = time.perf_counter() - start
    meta = validation.targets_meta(s, targets, configs, seeds, table, wall)
    try:
        with written_folder(s["out"], default) as (out, tmp):
            validation.write_targets(tmp, table, per_seed_values, tpath, configs, seeds, meta)
            draw_targets(tmp, table, curves, meta)
    except KeyboardInterrupt:
        raise SystemExit(130)
    print_targets(table, meta)
    print(f"wrote {out} ({wall:.0f} s)")
    return out


def main_effects(argv: list[str]) -> Path:
    """``python -m experiments.validate effects=FILE [...]``."""
    try:
        s = parse_effects_args(argv)
        effects = read_effects(s["effects"])
        plan = prepare_effects(effects, s["overrides"], Path(s["effects"]).name)
    except ConfigError as e:
        fail(e)
    seeds = list(range(s["seed"], s["seed"] + s["replications"]))
    fpath = Path(s["effects"])
    default = validation.default_folder("_effects")
    size = int(next(iter(plan.configs.values())).population.size)
    n_runs = len(plan.configs) * len(seeds)
    n_jobs = min(s["n_jobs"], max(n_runs, 1))
    print(f"effect validation against {fpath} ({len(effects)} published effects): "
          f"{len(plan.configs)} configurations x {len(seeds)} seeds = {n_runs} runs "
          f"(instead of {2 * len(effects) * len(seeds)} unshared) x {size:,} persons, "
          f"on {n_jobs} process(es)", flush=True)
    start = time.perf_counter()
    try:
        values = run_pairs(plan, seeds, n_jobs, log=lambda m: print(m, flush=True))
    except KeyboardInterrupt:
        raise SystemExit(130)
    by_seed = per_seed(plan, values, seeds)
    table = summarise_effects(effects, by_seed)
    wall = time.perf_counter() - start
    meta = validation.effects_meta(s, effects, plan, seeds, table, n_jobs, wall)
    try:
        with written_folder(s["out"], default) as (out, tmp):
            validation.write_effects(tmp, table, by_seed, fpath, meta)
            draw_effects(tmp, table, meta)
    except KeyboardInterrupt:
        raise SystemExit(130)
    print_effects(table, meta)
    print(f"wrote {out} ({wall:.0f} s)")
    return out


if __name__ == "__main__":
    main()
