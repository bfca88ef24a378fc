"""The command line in words, from the declarations: ``python -m experiments.run --help``, and the
lists of the scenarios (``list=scenarios``: each file's ``scenario_info``) and of the levers
(``list=levers``: :data:`model.policy.LEVERS`).

Numbers are written in ``repr`` form (the shortest that reads back as the same number), as in the
tables of ``docs/ODD.md`` (``python -m experiments.odd_table``).
"""

from __future__ import annotations

import textwrap

import numpy as np

from model.config import groups, scenario_file, scenario_names, scenario_problem, scenario_settings
from model.parameters import Param
from model.policy import LEVERS

WIDTH = 100
#: the column where a key's description starts
COLUMN = 30
#: what ``list=`` can list
LISTS = ("scenarios", "levers")


def fmt(value) -> str:
    """A value as written in the tables: ``true``/``false`` (as in YAML), integers as they are,
    floats in ``repr`` form (shortest string that reads back as the same float)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def value_range(p: Param) -> str:
    """The plausible range (numbers), the choices, or true / false."""
    if p.kind == "flag":
        return "true / false"
    if p.kind == "choice":
        return " / ".join(fmt(c) for c in p.choices)
    return f"{fmt(p.low)} to {fmt(p.high)}"


def entry(key: str, text: str, indent: int = 2) -> str:
    """``key`` and its description in two columns, the description wrapped under itself."""
    head = " " * indent + key
    if len(head) + 2 > COLUMN:
        head += "\n" + " " * COLUMN
    else:
        head = head.ljust(COLUMN)
    body = textwrap.wrap(text, WIDTH - COLUMN) or [""]
    return head + ("\n" + " " * COLUMN).join(body)


def param_entry(key: str, p: Param) -> str:
    """One declared key: its default, unit, plausible range and meaning."""
    demand = f"{p.demand}; " if p.demand and p.demand not in ("law", "scope") else ""
    return entry(f"{key}={fmt(p.default)}", f"{demand}{p.unit}; {value_range(p)}: {p.doc}")


def run_help() -> str:
    """What ``python -m experiments.run --help`` prints."""
    cohort = "\n".join(param_entry(f"population.{p.name}", p) for p in groups()["population"])
    levers = "\n".join(param_entry(f"policy.{p.name}", p) for p in LEVERS)
    n_params = sum(len(ps) for g, ps in groups().items() if g not in ("population", "policy"))
    keys = "\n".join([
        entry("scenario=baseline", "a scenario file in scenarios/ (only what differs from the "
                                   "baseline); list=scenarios lists them with what they mean"),
        entry("seed=0", "the random seed, a whole number >= 0; the same seed draws the same persons "
                        "and chances in every scenario (common random numbers)"),
        entry("calibration=fitted", "the parameter set in conf/calibration/: fitted "
                                    "(python -m experiments.calibrate writes it) or none (the "
                                    "declared defaults)"),
        entry("out=PATH", "the run's folder; default results/runs/<time>_<scenario>_seed<N>, made "
                          "new for every run (NAME-2, NAME-3, ... when two runs start in the same "
                          "second). A folder holding files another command made is refused"),
        entry("overwrite=false", "true: write into out= even when it holds other files (files of "
                                 "the same names are replaced, nothing else is touched)"),
        entry("allow_outside_range=false", "true: take values outside their plausible range (a "
                                           "value outside its hard bounds is refused still); "
                                           "run.json lists them"),
        entry("list=scenarios|levers", "print the scenarios or the levers with what they mean, "
                                       "and stop"),
    ])
    return f"""python -m experiments.run [key=value ...]

One run. Composes the configuration (conf/config.yaml, every key declared in model/ with its unit,
range and source, the chosen scenario file and the fitted parameter set), checks it, simulates
one cohort of status holders month by month and writes one self-describing folder: config.yaml,
run.json, outcomes.csv, times.csv, costs.csv, stages.csv and outcomes.png (results/README.md says
what each holds). Bad input (an unknown key or scenario, a wrong type, a value outside its range)
stops with one line naming the key and what is allowed, exit code 2, before any folder is made.

Keys (key=value; the value shown is the default):
{keys}

The cohort (population.*; unit; plausible range: meaning):
{cohort}

The policy levers (policy.*; demand; unit; plausible range: meaning; list=levers adds sources):
{levers}

The model's parameters: params.<pathway>.<name>, context.* and costs.* ({n_params} keys), each
with its unit, plausible range and source in docs/ODD.md (the parameter table), for example
params.work.base_rate=0.05 or context.covid_hiring_factor=0.8.

Sweeps (-m): every combination of comma-separated values, one folder per job under out=PATH
(default results/multirun/<time>, made new; hydra.sweep.dir=PATH is the same key), aggregated at
the end into the comparison's tables, charts and report:
  python -m experiments.run -m scenario=baseline,vwn_position seed='range(20)'
  add hydra/launcher=joblib to run the jobs in parallel here, hydra/launcher=slurm on a cluster

Hydra's own flags still work: --hydra-help, --cfg job (the composed configuration), --info.

Examples:
  python -m experiments.run scenario=d3_labour_guidance seed=7 population.size=30000
  python -m experiments.run scenario=baseline population.permit_year=2014   # the 2014 cohort
  python -m experiments.run policy.support_level=2 policy.dual_track=true out=results/runs/mine
  python -m experiments.run list=levers"""


def scenario_list() -> str:
    """Every scenario file: its name, the demand it expresses, its summary and what it sets."""
    lines = []
    for name in scenario_names():
        problem = scenario_problem(name)
        if problem:
            lines.append(entry(name, f"cannot be used: {problem}"))
            continue
        info = (scenario_file(name)[0] or {}).get("scenario_info") or {}
        demand = info.get("demand") if info.get("demand") != name else None
        title = " ".join(x for x in (demand, info.get("name_en")) if x)
        summary = info.get("summary_en") or info.get("summary") or ""
        lines.append(entry(name, f"{title}: {summary}" if title else summary))
        if info.get("name_nl") or info.get("summary_nl"):
            lines.append(entry("", "nl: " + ": ".join(x for x in (info.get("name_nl"),
                                                                 info.get("summary_nl")) if x)))
        sets = " ".join(f"{k}={fmt(v)}" for k, (v, _) in scenario_settings(name).items())
        lines.append(entry("", f"sets {sets}" if sets else "sets nothing: every key at its default"))
    return "Scenarios (scenarios/*.yaml; choose one with scenario=NAME):\n" + "\n".join(lines)


def lever_list() -> str:
    """Every lever, by the demand it expresses: key, default, unit, range, meaning and source."""
    def order(demand: str) -> tuple:
        return (1, int(demand[1:])) if demand[1:].isdigit() else (0, demand != "law")

    lines = []
    for demand in sorted(dict.fromkeys(p.demand for p in LEVERS), key=order):
        lines.append(f"{demand}:")
        for p in (q for q in LEVERS if q.demand == demand):
            lines.append(entry(f"policy.{p.name}={fmt(p.default)}",
                               f"{p.unit}; {value_range(p)}: {p.doc}. Source: {p.source}"))
    return ("Policy levers (model/policy.py; set one with policy.NAME=VALUE, the value shown is "
            "today's):\n" + "\n".join(lines))


def listing(what: str) -> str:
    """``list=scenarios`` or ``list=levers`` (checked by the caller)."""
    return scenario_list() if what == "scenarios" else lever_list()
