"""Patterns from the literature as checks on the model's behaviour (nothing is fitted to them).

Run::

    python -m experiments.patterns                       # 5 seeds x 20,000 persons, 2014 cohort
    python -m experiments.patterns replications=10 population.size=40000 out=results/patterns/x

Three experiments, each on the same cohort and the same seeds (common random numbers), so that
differences between arms come from the manipulation, not from chance:

(a) **Waiting** (Hainmueller, Hangartner & Lawrence 2016, Science Advances: one extra year of
    waiting lowers later employment by 4-5 percentage points, a 16-23% drop). Baseline against
    an arm whose housing supply is cut (``params.housing.capacity_rate`` times ``supply_factor``,
    default 0.55, chosen so that adults wait about 12 months longer after the permit). The extra
    waiting is measured, not assumed: mean months from the permit to a home per person aged
    18-64 at the permit (like for like: a family member who moves straight into a home waits 0),
    and also the difference in :attr:`RunResult.months_to_home`. The effect is employment (18-64)
    at 60 months since the permit, baseline minus cut, scaled per extra year of waiting. A
    decomposition: employment 48 months after *housing* separates lasting harm (health, lost
    learning) from the mechanical delay of starting later.
(b) **Regional unemployment** (Damen, Huijnk & Dagevos 2023: a higher unemployment rate in the
    region refugees are assigned to lowers their job chances; the brief gives no size). Under
    ``placement=quota`` households are linked to municipality types at random, so one run is a
    natural experiment: employment at 36 and 60 months by type against its unemployment index,
    with a weighted least-squares slope. Types also differ in implementation quality (support,
    housing delivery), so a second arm sets ``policy.implementation_spread=0`` (every type the
    same quality) to isolate unemployment.
(c) **Finished civic integration** (Damen et al. 2023: complying with the obligation helps job
    finding; CPB 2020: the law of 2013 brought more passes but no change in labour
    participation). Within the baseline: the monthly job-finding rate of housed people aged 18-64
    who have passed against those still pending, overall and within bands of Dutch level. And a
    paired policy experiment: scenario ``d6_better_inburgering`` (better courses) against the
    baseline: the change in passes and the change in employment.

Output (``out=PATH``, by default a new ``results/patterns/<date_time>``, written atomically; an
existing folder holding files this command does not write is refused unless ``overwrite=true``,
which replaces only files of the same names): ``patterns.csv`` (each
measure: model mean and 90% interval over seeds, the literature's value, verdict),
``waiting_curves.csv``, ``regions.csv``, ``exam_job_finding.csv``, ``patterns.png``,
``summary.md`` and ``patterns.json`` (settings, seeds, provenance). Model parameters are never
changed to make a pattern pass; where the model disagrees the summary says by how much.
"""


from __future__ import annotations

import sys
import time
from pathlib import Path

from experiments.evidence import patterns
from experiments.presentation.patterns import draw, print_measures
from experiments.runs.outputs import (OUT, OVERWRITE, check_output, chosen_output, flag,
                                      written_folder)
from experiments.runs.overrides import fail, positive_int, split_args, wants_help
from model.errors import ConfigError

DEFAULTS = {"replications": 5, "seed": 0, "population.size": 20000,
            "population.permit_year": 2014, "population.horizon_months": 96,
            "supply_factor": 0.55}
#: what this command writes into its folder (evidence/patterns.py write_tables, and the chart and
#: summary of presentation/patterns.py)
WRITES = ("patterns.csv", "waiting_by_seed.csv", "waiting_curves.csv", "regions.csv",
          "region_slopes.csv", "exam_job_finding.csv", "d6_pair.csv", "config.yaml",
          "patterns.json", "summary.md", "patterns.png")


def _factor(key: str, text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        v = None
    if v is None or not 0 < v < 1:
        raise ConfigError(key, text, "a number between 0 and 1 (the share of housing supply kept)")
    return v


def parse_args(argv: list[str]) -> dict:
    """This command's settings (``replications``, ``supply_factor``, ``out``, ``overwrite``,
    ``seed``) and the
    model overrides (defaults: the 2014 cohort, 20,000 persons, 96 months).

    Raises:
        ConfigError: for an unknown key or a bad value (one line).
    """
    mine, kv = split_args(argv, {"replications": positive_int, "supply_factor": _factor,
                                 OUT: check_output, OVERWRITE: flag})
    if "scenario" in kv:
        raise ConfigError("scenario", kv["scenario"], "no value: the patterns use the baseline "
                                                      "(and d6_better_inburgering for (c))")
    s = {"replications": mine.get("replications", DEFAULTS["replications"]),
         "supply_factor": mine.get("supply_factor", DEFAULTS["supply_factor"]),
         "out": chosen_output(mine, WRITES, "results/patterns/<date_time>"),
         "seed": int(kv.pop("seed", DEFAULTS["seed"]))}
    for k in ("population.size", "population.permit_year", "population.horizon_months"):
        kv.setdefault(k, str(DEFAULTS[k]))
    if int(float(kv["population.horizon_months"])) < 72:
        raise ConfigError("population.horizon_months", kv["population.horizon_months"],
                          "at least 72 (the patterns measure up to 72 months after the permit)")
    s["overrides"] = [f"{k}={v}" for k, v in kv.items()]
    return s



def main(argv: list[str] | None = None) -> Path:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return None
    try:
        settings = parse_args(argv)
        patterns.load_config(settings)  # fail before anything runs
    except ConfigError as e:
        fail(e)
    default = Path("results/patterns") / time.strftime("%Y-%m-%d_%H-%M-%S")
    start = time.perf_counter()
    print(f"patterns: {settings['replications']} seeds, overrides {' '.join(settings['overrides'])}")
    res = patterns.run(settings)
    meta = patterns.meta(settings, res, time.perf_counter() - start)
    with written_folder(settings["out"], default) as (out, tmp):
        patterns.write_tables(tmp, res, meta)
        draw(tmp, res, meta)
    print_measures(res["measures"])
    print(f"wrote {out}")
    return out


if __name__ == "__main__":
    main()
