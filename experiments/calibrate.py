"""Fit the parameters marked for calibration to the CBS targets, and sample an ensemble.

``python -m experiments.calibrate [method=point|posterior] [targets=PATH] [population.size=N]
[seeds=K] [ensemble=K] [out=DIR] [ensemble_out=FILE] [key=value ...]``

Two methods (``method=``):

- ``point`` (the default): staged Nelder-Mead to a best parameter set, written as the fitted set,
  and an ensemble of sets around it (:mod:`experiments.evidence.calibration`). Its keys:
  ``max_evals`` (evaluations per stage, 120), ``polish_evals`` (of the joint polish, 80),
  ``ensemble_candidates`` (60); ``seeds``: runs per evaluation (4: with 2 the fit follows their
  draws); ``population.size`` 20,000 unless given.
- ``posterior``: a Bayesian posterior of the same parameters, MCMC on an emulator of the model
  (:mod:`experiments.evidence.posterior`, which says every step); its draws are the ensemble, and
  the fit report holds the cross-validation across cohorts. It does not write the fitted set
  (the point fit stays the single best set). Its keys: ``design`` (wave-1 points, 128),
  ``refine`` (wave-2 points, 192), ``seeds`` (runs per design point, 2), ``chains`` (8),
  ``steps`` (per chain, 60000), ``check=coverage`` (the simulated-data check, ``none`` by
  default), ``coverage_sets`` (synthetic datasets, 30), ``check_draws`` (posterior draws run per
  cross-validation fold, 10), ``workers`` (processes for the design, 1), ``design_file`` (the
  ``design.csv`` of an earlier fit report: reuse its runs); ``population.size`` 10,000 unless
  given. On 2 cores with ``workers=2`` (3 December 2026): 634 s in all at 20,000 steps (design
  3.2 min, emulator 6 min, sampling 19 s), 559 s at 60,000 steps reusing that design
  (``design_file=``); ``check=coverage`` adds a posterior per synthetic dataset (about a minute
  each at 60,000 steps).

Keys of both (``key=value``; any other ``key=value`` is a model override, checked like ``run``'s):

- ``targets``: the targets file to fit (default ``model/data/calibration_targets.csv``; the
  schema is ``docs/targets_schema.md``);
- ``cohorts`` (``point`` only): the permit years whose rows are fitted, comma-separated (``all``,
  the default, fits every row; ``cohorts=2014`` fits the 2014 cohort and leaves the later cohorts
  as a check for ``experiments.validate``), recorded in ``calibration_info``;
- ``ensemble``: parameter sets to keep (20);
- ``out``: the fit report's folder (the output folder's key of every command; default a new
  ``results/calibrate/<time>``); an existing folder holding files the fit report does not hold
  is refused unless ``overwrite=true`` (which replaces only files of the same names);
- ``fitted_out``, ``ensemble_out``: the files the fitted set and the ensemble go to (default
  ``conf/calibration/fitted.yaml`` and ``conf/ensemble.yaml``, which every run and comparison read);
- ``scenario``: the scenario the fit starts from (``baseline``).

Examples::

    python -m experiments.calibrate max_evals=40 polish_evals=0 ensemble=5 out=/tmp/fit
    python -m experiments.calibrate method=posterior workers=2 check=coverage out=/tmp/post

Outputs: ``conf/calibration/fitted.yaml`` (``point`` only: the baseline's parameter set, with
``calibration_info``: date, targets file and checksum, settings, objective and error summary),
``conf/ensemble.yaml`` (accepted sets, or the posterior's draws), and a fit report folder
(``results/calibrate/<time>/``: per-target table, RMSE per outcome, ``bounds.csv`` (fitted values
near a bound of their range, with the reason when the bound is a real limit), charts of trajectories
against the data, overall and per origin; with ``posterior`` also ``report.md``,
``posterior.csv``, ``crossval.csv``, ``emulator.csv``, ``design.csv`` and, with
``check=coverage``, ``coverage.csv`` and ``coverage_summary.csv``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from experiments.evidence import calibration
from experiments.evidence.targets import cohorts, read_targets, shipped_targets
from experiments.evidence.target_values import prepare
from experiments.presentation.calibration_charts import fit_charts
from experiments.runs.outputs import (OUT, OVERWRITE, check_output, check_output_file,
                                      chosen_output, flag, renamed, written_folder)
from experiments.runs.overrides import check_overrides, fail, wants_help
from model.config import ROOT
from model.errors import ConfigError

DEFAULT_TARGETS = shipped_targets()
FITTED = ROOT / "conf" / "calibration" / "fitted.yaml"
ENSEMBLE = ROOT / "conf" / "ensemble.yaml"

#: command-line keys of this tool (besides model overrides) and their defaults
SETTINGS = {"targets": str(DEFAULT_TARGETS), "cohorts": "all", "method": "point", "seeds": 4, "max_evals": 120,
            "polish_evals": 80, "ensemble": 20, "ensemble_candidates": 60, OUT: None,
            OVERWRITE: False, "fitted_out": str(FITTED), "ensemble_out": str(ENSEMBLE),
            "scenario": "baseline",
            # method=posterior
            "design": 128, "refine": 192, "chains": 8, "steps": 60000, "check": "none",
            "coverage_sets": 30, "check_draws": 10, "workers": 1, "design_file": None}
DEFAULT_SIZE = 20_000
#: the keys of one method only, and what the other method's defaults are
METHOD_KEYS = {"point": ("max_evals", "polish_evals", "ensemble_candidates", "cohorts"),
               "posterior": ("design", "refine", "chains", "steps", "check", "coverage_sets",
                             "check_draws", "workers", "design_file")}
#: method=posterior: seeds per design point and persons per run unless given
POSTERIOR_SEEDS, POSTERIOR_SIZE = 2, 10_000
#: the smallest value of a whole-number key (0 for the rest)
MINIMUM = {"seeds": 1, "design": 8, "refine": 8, "chains": 2, "steps": 200, "coverage_sets": 1,
           "check_draws": 2, "workers": 1}
DEFAULT_OUT = "results/calibrate/<time>"
#: what the fit report's folder holds (evidence/calibration.py write_tables, and the charts of
#: presentation/calibration_charts.py)
WRITES = ("fit.csv", "rmse.csv", "history.csv", "bounds.csv", "calibration.json", "fit_*.png",
          # method=posterior (evidence/posterior_fit.py write_tables, presentation/posterior_report.py)
          "posterior.csv", "emulator.csv", "design.csv", "crossval.csv", "coverage.csv",
          "coverage_summary.csv", "report.md")


def _out(key: str, text: str) -> str:
    """The fit report's folder; a name ending in .yaml is the old use of ``out`` (the fitted set)."""
    if text.strip().endswith((".yaml", ".yml")):
        raise ConfigError(key, text, "the fit report's folder (the fitted parameter set's file is "
                                     "fitted_out=FILE)")
    return check_output(key, text, default=DEFAULT_OUT)


def _choice(*allowed):
    def check(key: str, text: str) -> str:
        if text.strip() not in allowed:
            raise ConfigError(key, text, " or ".join(allowed))
        return text.strip()
    return check


def _design_file(key: str, text: str) -> str:
    """A design.csv of an earlier posterior calibration (its columns are checked against the
    targets file once that is read)."""
    p = Path(text).expanduser()
    if not p.is_file():
        raise ConfigError(key, text, "the design.csv of an earlier method=posterior fit report "
                                     "(no such file)")
    return str(p)


#: the checks of this command's keys that are not numbers
CHECKS = {OUT: _out, OVERWRITE: flag, "fitted_out": check_output_file,
          "ensemble_out": check_output_file, "method": _choice("point", "posterior"),
          "check": _choice("none", "coverage"), "design_file": _design_file}


def _parse(args: list[str]) -> tuple[dict, list[str]]:
    settings = dict(SETTINGS)
    given: set[str] = set()
    model_overrides: list[str] = []
    for a in args:
        if "=" not in a:
            raise ConfigError(a, None, "key=value")
        k, v = a.split("=", 1)
        if k in settings:
            given.add(k)
            if type(SETTINGS[k]) is int:  # (not overwrite, a bool)
                low = MINIMUM.get(k, 0)
                try:
                    settings[k] = int(v)
                except ValueError:
                    raise ConfigError(k, v, f"a whole number >= {low}") from None
                if settings[k] < low:
                    raise ConfigError(k, v, f"a whole number >= {low}")
            else:
                settings[k] = CHECKS[k](k, v) if k in CHECKS else v
        elif k == "report":
            raise renamed(k, v)
        elif k == "population.permit_year":
            raise ConfigError(k, v, "no value: the cohort comes from the targets file")
        else:
            model_overrides.append(a)
    method = settings["method"]
    other = next(m for m in METHOD_KEYS if m != method)
    for k in METHOD_KEYS[other]:
        if k in given:
            raise ConfigError(k, settings[k], f"no value with method={method} (a key of "
                                              f"method={other})")
    check_overrides(model_overrides, hydra=False)
    settings[OUT] = chosen_output(settings, WRITES, DEFAULT_OUT)
    if method == "posterior" and "seeds" not in given:
        settings["seeds"] = POSTERIOR_SEEDS
    if method == "posterior" and settings["seeds"] < 2:
        raise ConfigError("seeds", settings["seeds"], "a whole number >= 2 with method=posterior "
                                                      "(the model's chance variation is measured "
                                                      "between seeds)")
    if method == "posterior" and settings["ensemble"] < 1:
        raise ConfigError("ensemble", settings["ensemble"], "a whole number >= 1 with "
                                                            "method=posterior (draws to keep)")
    if not any(o.startswith("population.size=") for o in model_overrides):
        size = POSTERIOR_SIZE if method == "posterior" else DEFAULT_SIZE
        model_overrides.append(f"population.size={size}")
    return settings, model_overrides



def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return None
    try:
        settings, overrides = _parse(argv)
        targets = _chosen_cohorts(read_targets(settings["targets"]), settings["cohorts"])
        configs = prepare(targets, settings["scenario"], overrides + ["calibration=none"])
    except ConfigError as e:
        fail(e)
    if settings["method"] == "posterior":
        return _posterior(targets, configs, settings)
    t0 = time.time()
    fitted = calibration.calibrate(targets, configs, settings)
    calibration.write_fitted(Path(settings["fitted_out"]), fitted.best, fitted.info)
    ens_path = Path(settings["ensemble_out"])
    calibration.write_ensemble(ens_path, fitted)
    default = ROOT / "results" / "calibrate" / time.strftime("%Y-%m-%d_%H-%M-%S")
    with written_folder(settings[OUT], default) as (report, tmp):
        calibration.write_tables(tmp, fitted)
        fit_charts(targets, calibration.runs_by_cohort(fitted), tmp)
    print(f"wrote {settings['fitted_out']}, {ens_path} and {report} ({time.time() - t0:.0f} s)")
    print("RMSE (pp) by outcome: " + ", ".join(f"{k} {v}" for k, v in fitted.info["rmse_pp"].items()))


def _chosen_cohorts(targets, text: str):
    """The targets of the cohorts ``cohorts=`` names (permit years, comma-separated; ``all``: every
    row). The other rows are left out of the fit; ``experiments.validate`` checks them."""
    text = str(text).strip()
    if text == "all":
        return targets
    present = cohorts(targets)
    allowed = (f"all, or permit years of the targets file separated by commas "
               f"({', '.join(map(str, present))})")
    try:
        chosen = {int(x) for x in text.split(",") if x.strip()}
    except ValueError:
        raise ConfigError("cohorts", text, allowed) from None
    if not chosen or not chosen <= set(present):
        raise ConfigError("cohorts", text, allowed)
    return [t for t in targets if t.cohort in chosen]


def _read_design(settings: dict, targets):
    """The design of ``design_file=``, checked against the targets file and the parameters."""
    import pandas as pd

    from experiments.evidence import posterior_fit

    if not settings["design_file"]:
        return None
    space = posterior_fit.P.Space.declared(posterior_fit._keys())
    try:
        df = pd.read_csv(settings["design_file"])
    except (OSError, ValueError) as e:
        raise ConfigError("design_file", settings["design_file"],
                          f"a design.csv of method=posterior ({str(e).splitlines()[0]})") from None
    need = {"wave", "point", "seed", *space.keys, *(t.id for t in targets)}
    missing = sorted(need - set(df.columns))
    if missing:
        raise ConfigError("design_file", settings["design_file"],
                          f"a design.csv made for these targets and parameters (missing columns: "
                          f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''})")
    return posterior_fit.read_design(df, space, targets)


def _posterior(targets, configs, settings) -> None:
    """method=posterior: the posterior's draws as the ensemble, the fit report with the
    cross-validation across cohorts and (check=coverage) the simulated-data check."""
    from experiments.evidence import posterior_fit
    from experiments.presentation.posterior_report import write_report

    try:
        previous = _read_design(settings, targets)
    except ConfigError as e:
        fail(e)
    t0 = time.time()
    fit = posterior_fit.run(targets, configs, settings, previous)
    meta = posterior_fit.info(fit, settings, settings["targets"])
    meta["times_s"]["total"] = round(time.time() - t0, 1)
    ens_path = Path(settings["ensemble_out"])
    posterior_fit.write_ensemble(ens_path, fit, meta)
    default = ROOT / "results" / "calibrate" / time.strftime("%Y-%m-%d_%H-%M-%S")
    with written_folder(settings[OUT], default) as (report, tmp):
        posterior_fit.write_tables(tmp, fit, meta)
        cov = posterior_fit.coverage_summary(fit.cov) if fit.cov is not None else None
        write_report(tmp, fit, meta, cov)
        fit_charts(targets, fit.draw_runs, tmp, method="posterior")
    print(f"wrote {ens_path} and {report} ({time.time() - t0:.0f} s)")
    if cov is not None:
        print(f"coverage of the 90% intervals: {cov['coverage'].iloc[-1]:.3f} "
              f"({int(cov['n'].iloc[-1])} parameter values)")


if __name__ == "__main__":
    main()
