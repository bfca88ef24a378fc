"""Scenario comparison: ``python -m experiments.compare [key=value ...]``.

Runs every scenario in ``scenarios`` (default: the baseline, the full position, each demand D1-D11,
stacking and the law of 2013) ``replications`` times on the same seeds (``seed_start``,
``seed_start + 1``, ...), so that each difference from the baseline is paired through common random
numbers, and writes one self-describing folder (``conf/compare.yaml`` lists the keys)::

    OUTPUT/
      runs/<scenario>/seed<k>/   one folder per run, the same files as a sweep's job folder
      outcomes_all.csv.gz        tidy outcomes of all runs
      summary.csv                medians, 90% intervals, paired differences, share beating the baseline
      costs_summary.csv, times_summary.csv
      charts/*.png, *.svg        charts (a)-(f)
      stories/                   persons' stories (trace, chart, sentences)
      report.<language>.html     one self-contained report (report.language=en|nl: report.en.html,
                                 report.nl.html; a report in the other language sits beside it)
      comparison.json            settings, seeds, runs, versions, git SHA

Examples::

    python -m experiments.compare
    python -m experiments.compare scenarios=[baseline,vwn_position] replications=50 population.size=30000
    python -m experiments.compare report.language=nl policy.discrimination=0.2
    python -m experiments.compare scenarios=[baseline,d3_labour_guidance] out=results/compare/mine

Every model key (``population.*``, ``policy.*``, ...) given on the command line applies to every
scenario.

Parameter uncertainty: with ``ensemble=true`` (the default when ``conf/ensemble.yaml``, written by
``python -m experiments.calibrate``, exists; ``ensemble_file=PATH`` reads another file) replication
k (0-based) uses the ensemble's parameter set ``k // seeds_per_set`` (cycling through the sets when
there are fewer) and seed ``seed_start + k``, in every scenario, so differences stay paired. The
set's values are applied on top of the composed configuration, except those the scenario file or
the command line sets (they win; ``run.json`` lists every value's source under ``parameters``),
and with ``calibration=none`` no ensemble is used (``ensemble=true`` with it is refused); its index is recorded as ``parameter_set`` in each run's ``run.json`` and
the summary splits each interval into parameter uncertainty and chance (``share_parameter``).
``ensemble=false`` runs every replication on the single calibration, as a sweep does.

Lever strengths (``model/strengths.py``): with ``levers=true`` (the default) replication k also
uses lever-strength draw ``k // (seeds_per_set * sets_per_draw)``, the same draw in every
scenario, so every effect interval includes what the evidence leaves open about how strongly each
lever works; the draw's index is recorded as ``lever_draw`` in ``run.json`` and the summary splits
each interval into chance, calibrated parameters and lever strength. A strength given on the
command line (``params.work.coaching_max_gain=1.0``) is not drawn; ``levers=false`` fixes every
strength at its declared value. Each run is composed exactly as ``python -m experiments.run scenario=S seed=K ...`` would
compose it, so a sweep (``python -m experiments.run -m scenario=a,b seed='range(20)'
hydra/callbacks=aggregate``) gives the same summary table.

The folder (``out=PATH``; by default ``results/compare/<name>``) is named after the settings that
change what is run (not the number of replications, nor the report's language), so running the
same command again reuses every finished run whose configuration and model code are unchanged and
computes only what is missing: an interrupted comparison resumes, and more replications extend it.
A folder holding files a comparison does not write is refused unless ``overwrite=true`` (which
writes into it, replacing only files of the same names). Bad input (an unknown scenario, zero
replications, an output folder that is a file, cannot be written or holds other files, an unknown
key) stops with one line before any run starts, and leaves no folder behind.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from experiments.presentation.publish import WRITES as AGGREGATION_WRITES
from experiments.presentation.publish import publish
from experiments.runs.comparison import aggregate_plan, make_plan, run_missing
from experiments.runs.jobs import stop_on_sigterm
from experiments.runs.outputs import OUT, OVERWRITE, check_output
from experiments.runs.overrides import check_overrides, fail
from model.config import ScenarioError, register, scenario_names, scenario_problem
from model.errors import ConfigError

register()

#: the default scenario list (kept in conf/compare.yaml; used to name the output folder)
COMPARE_KEYS = ("scenarios", "baseline", "position", "replications", "seed_start", "n_jobs",
                OUT, OVERWRITE, "report.language", "report.stories", "report.sensitivity", "progress", "ensemble",
                "seeds_per_set", "ensemble_file", "levers", "sets_per_draw")
#: what a comparison's folder holds: its runs and the aggregation (a folder holding only these is
#: a comparison's own, where the same command resumes)
WRITES = ("runs", *AGGREGATION_WRITES)
DEFAULT_OUT = "results/compare/<name from the settings>"


# ---- checking input ----------------------------------------------------------------------------
def _check_scenario(key: str, v) -> None:
    names = scenario_names()
    if not isinstance(v, str) or v not in names:
        raise ConfigError(key, v, "one of " + ", ".join(names))
    if scenario_problem(v):
        raise ScenarioError(scenario_problem(v), v)


def _check_scenarios(key: str, v) -> None:
    if isinstance(v, str):
        raise ConfigError(key, v, "a list in brackets, such as scenarios=[baseline,vwn_position]")
    if not isinstance(v, (list, tuple)) or not v:
        raise ConfigError(key, v, "a non-empty list of scenario names, such as scenarios=[baseline,vwn_position]")
    names = scenario_names()
    for s in v:
        if s not in names:
            raise ConfigError(key, list(v), f"scenario names, each one of {', '.join(names)} ({s!r} is not)")
        if scenario_problem(s):
            raise ScenarioError(scenario_problem(s), s)


def _check_count(minimum: int, what: str):
    def check(key: str, v) -> None:
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ConfigError(key, v, what)
    return check


def _check_n_jobs(key: str, v) -> None:
    if v is None:
        return
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ConfigError(key, v, "a whole number >= 1, or null for one per CPU core")


def _check_language(key: str, v) -> None:
    if v not in ("en", "nl"):
        raise ConfigError(key, v, "en or nl")


def _check_bool(key: str, v) -> None:
    if not isinstance(v, bool):
        raise ConfigError(key, v, "true or false")


def _check_ensemble(key: str, v) -> None:
    if v is not None and not isinstance(v, bool):
        raise ConfigError(key, v, "true, false, or null (true when conf/ensemble.yaml exists)")


def _check_sensitivity(key: str, v) -> None:
    if v in ("auto", "none", None):
        return
    from experiments.presentation.report.drivers import ANALYSES

    if not isinstance(v, str) or not (Path(v).expanduser() / "sensitivity.json").is_file():
        raise ConfigError(key, v, "auto (the newest analysis under " + str(ANALYSES) + "), none, or the folder "
                                  "of an analysis made by python -m experiments.sensitivity (it holds "
                                  "sensitivity.json)")


def _check_ensemble_file(key: str, v) -> None:
    if v is None:
        return
    if not isinstance(v, str) or not Path(v).expanduser().is_file():
        raise ConfigError(key, v, "an existing ensemble file (written by python -m experiments.calibrate), "
                                  "or null for conf/ensemble.yaml")


CHECKS = {
    "scenarios": _check_scenarios, "baseline": _check_scenario, "position": _check_scenario,
    "replications": _check_count(1, "a whole number >= 1 (runs per scenario)"),
    "seed_start": _check_count(0, "a whole number >= 0 (the first seed)"),
    "n_jobs": _check_n_jobs, OUT: lambda k, v: check_output(k, v, default=DEFAULT_OUT),
    OVERWRITE: _check_bool, "report.language": _check_language,
    "report.stories": _check_bool, "report.sensitivity": _check_sensitivity, "progress": _check_bool,
    "ensemble": _check_ensemble,
    "seeds_per_set": _check_count(1, "a whole number >= 1 (replications per parameter set)"),
    "ensemble_file": _check_ensemble_file, "levers": _check_bool,
    "sets_per_draw": _check_count(1, "a whole number >= 1 (parameter sets per lever-strength draw)"),
}


def check_settings(c: dict) -> None:
    """Check the composed comparison settings (``c``: the resolved config as a dict).

    Raises:
        ConfigError: for the first bad setting.
    """
    _check_scenarios("scenarios", c.get("scenarios"))
    for key in ("baseline", "position"):
        if c.get(key) is not None:
            CHECKS[key](key, c[key])
    CHECKS["replications"]("replications", c.get("replications"))
    CHECKS["seed_start"]("seed_start", c.get("seed_start"))
    _check_n_jobs("n_jobs", c.get("n_jobs"))
    rep = c.get("report") or {}
    _check_language("report.language", rep.get("language"))
    _check_bool("report.stories", rep.get("stories", True))
    _check_sensitivity("report.sensitivity", rep.get("sensitivity", "auto"))
    _check_bool("progress", c.get("progress", True))
    check_output(OUT, c.get(OUT), default=DEFAULT_OUT)
    _check_bool(OVERWRITE, c.get(OVERWRITE, False))
    _check_ensemble("ensemble", c.get("ensemble"))
    CHECKS["seeds_per_set"]("seeds_per_set", c.get("seeds_per_set", 2))
    _check_ensemble_file("ensemble_file", c.get("ensemble_file"))
    _check_bool("levers", c.get("levers", True))
    CHECKS["sets_per_draw"]("sets_per_draw", c.get("sets_per_draw", 2))


def check_arguments(args: list[str]) -> None:
    """Check a comparison's command line (compare keys and model keys) before anything runs.

    Raises:
        ConfigError: for the first bad argument.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    for text in (a for a in args if not a.startswith("-")):
        try:
            (o,) = parser.parse_overrides([text])
        except HydraException:
            continue  # check_overrides reports it
        key = o.key_or_group
        if key in ("seed", "scenario"):
            raise ConfigError(key, text.split("=", 1)[-1],
                              "scenarios=[...], replications=N and seed_start=N in a comparison "
                              "(seeds are seed_start, seed_start+1, ...)")
        if key == "scenarios" and o.is_sweep_override():
            raise ConfigError(key, text.split("=", 1)[-1],
                              "a list in brackets, such as scenarios=[baseline,vwn_position]")
    check_overrides(args, extra=CHECKS)


@hydra.main(version_base="1.3", config_path="../conf", config_name="compare")
def compare(cfg: DictConfig) -> dict | None:
    """Hydra entry point: check, plan, run, aggregate."""
    from hydra.core.hydra_config import HydraConfig

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    try:
        settings = OmegaConf.to_container(cfg, resolve=True)
        check_settings(settings)
        plan = make_plan(cfg, list(HydraConfig.get().overrides.task))
        # the folder, named now: a new one, or a comparison's own (resumed), unless asked for
        check_output(OUT, str(plan.out), WRITES, settings.get(OVERWRITE, False), DEFAULT_OUT)
    except ConfigError as e:
        fail(e)
    command = " ".join(["python -m experiments.compare", *sys.argv[1:]])
    start = time.perf_counter()
    stop_on_sigterm()
    try:
        done = run_missing(plan, command)
    except KeyboardInterrupt:
        print("\ninterrupted: the finished runs are kept; run the same command again to continue",
              file=sys.stderr)
        raise SystemExit(130)
    print(f"runs done in {done['run_seconds']:.0f} s; aggregating, charts and report ...", flush=True)
    t0 = time.perf_counter()
    res = publish(aggregate_plan(plan, done, command),
                  sensitivity=(cfg.get("report") or {}).get("sensitivity", "auto"))
    for w in res["warnings"]:
        print(f"warning: {w['en']}", file=sys.stderr)
    print(f"aggregated in {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"report: {res['report']}  ({time.perf_counter() - start:.0f} s in all)")
    if done["failed"]:
        print(f"error: {len(done['failed'])} run(s) failed (left out of the report; see "
              f"{plan.out / 'comparison.json'}); run the same command again to retry them", file=sys.stderr)
        raise SystemExit(1)
    return {"report": str(res["report"])}


def main() -> None:
    try:
        check_arguments(sys.argv[1:])
    except ConfigError as e:
        fail(e)
    compare()


if __name__ == "__main__":
    main()
