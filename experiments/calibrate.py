"""Fit the parameters marked for calibration to the CBS targets, and sample an ensemble.

``python -m experiments.calibrate [targets=PATH] [population.size=N] [seeds=K] [max_evals=N]
[ensemble=K] [out=DIR] [fitted_out=FILE] [ensemble_out=FILE] [key=value model overrides ...]``

Keys (``key=value``; any other ``key=value`` is a model override, checked like ``run``'s):

- ``targets``: the targets file to fit (default ``model/data/calibration_targets.csv``; the
  schema is ``docs/targets_schema.md``);
- ``population.size``: persons per run (default 20,000); ``seeds``: runs per evaluation (4: with 2 the fit follows their draws);
- ``max_evals``: evaluations per stage (120); ``polish_evals``: of the joint polish (80);
- ``ensemble``: parameter sets to keep (20) out of ``ensemble_candidates`` drawn (60);
- ``out``: the fit report's folder (the output folder's key of every command; default a new
  ``results/calibrate/<time>``); an existing folder holding files the fit report does not hold
  is refused unless ``overwrite=true`` (which replaces only files of the same names);
- ``fitted_out``, ``ensemble_out``: the files the fitted set and the ensemble go to (default
  ``conf/calibration/fitted.yaml`` and ``conf/ensemble.yaml``, which every run and comparison read);
- ``scenario``: the scenario the fit starts from (``baseline``).

Example::

    python -m experiments.calibrate max_evals=40 polish_evals=0 ensemble=5 out=/tmp/fit

Method: :mod:`experiments.evidence.calibration` (what is fitted, the objective, the search and
the ensemble).

Outputs: ``conf/calibration/fitted.yaml`` (the baseline's parameter set, with ``calibration_info``:
date, targets file and checksum, settings, objective and error summary), ``conf/ensemble.yaml``
(accepted sets), and a fit report folder (``results/calibrate/<time>/``: per-target
table, RMSE per outcome, charts of trajectories against the data, overall and per origin).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from experiments.evidence import calibration
from experiments.evidence.targets import read_targets, shipped_targets
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
SETTINGS = {"targets": str(DEFAULT_TARGETS), "seeds": 4, "max_evals": 120, "polish_evals": 80,
            "ensemble": 20, "ensemble_candidates": 60, OUT: None, OVERWRITE: False,
            "fitted_out": str(FITTED), "ensemble_out": str(ENSEMBLE), "scenario": "baseline"}
DEFAULT_SIZE = 20_000
DEFAULT_OUT = "results/calibrate/<time>"
#: what the fit report's folder holds (evidence/calibration.py write_tables, and the charts of
#: presentation/calibration_charts.py)
WRITES = ("fit.csv", "rmse.csv", "history.csv", "calibration.json", "fit_*.png")


def _out(key: str, text: str) -> str:
    """The fit report's folder; a name ending in .yaml is the old use of ``out`` (the fitted set)."""
    if text.strip().endswith((".yaml", ".yml")):
        raise ConfigError(key, text, "the fit report's folder (the fitted parameter set's file is "
                                     "fitted_out=FILE)")
    return check_output(key, text, default=DEFAULT_OUT)


#: the checks of this command's keys that are not numbers
CHECKS = {OUT: _out, OVERWRITE: flag, "fitted_out": check_output_file,
          "ensemble_out": check_output_file}


def _parse(args: list[str]) -> tuple[dict, list[str]]:
    settings = dict(SETTINGS)
    model_overrides: list[str] = []
    for a in args:
        if "=" not in a:
            raise ConfigError(a, None, "key=value")
        k, v = a.split("=", 1)
        if k in settings:
            if type(SETTINGS[k]) is int:  # (not overwrite, a bool)
                try:
                    settings[k] = int(v)
                except ValueError:
                    raise ConfigError(k, v, "a whole number") from None
                if settings[k] < (1 if k == "seeds" else 0):
                    raise ConfigError(k, v, "a whole number >= 1" if k == "seeds" else "a whole number >= 0")
            else:
                settings[k] = CHECKS[k](k, v) if k in CHECKS else v
        elif k == "report":
            raise renamed(k, v)
        elif k == "population.permit_year":
            raise ConfigError(k, v, "no value: the cohort comes from the targets file")
        else:
            model_overrides.append(a)
    check_overrides(model_overrides, hydra=False)
    settings[OUT] = chosen_output(settings, WRITES, DEFAULT_OUT)
    if not any(o.startswith("population.size=") for o in model_overrides):
        model_overrides.append(f"population.size={DEFAULT_SIZE}")
    return settings, model_overrides



def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return None
    try:
        settings, overrides = _parse(argv)
        targets = read_targets(settings["targets"])
        configs = prepare(targets, settings["scenario"], overrides + ["calibration=none"])
    except ConfigError as e:
        fail(e)
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


if __name__ == "__main__":
    main()
