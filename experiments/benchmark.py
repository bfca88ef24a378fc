"""Speed and memory of one run: ``python -m experiments.benchmark [size=30000] [repeats=10] [key=value ...]``.

Keys: ``size`` (persons, default 30000), ``repeats`` (timed runs after one warm-up, default 10,
at least 1), ``scenario`` (default ``baseline``), ``seed`` (default 0), ``json=true`` (print one
JSON line). It writes nothing. Example: ``python -m experiments.benchmark size=10000 repeats=3``.

Measures, for a cohort of ``size`` persons over the default horizon (each person is followed for
the 120 months after their own permit; the model steps 157 calendar months because permits are
spread over a year and family members arrive up to two years later, but each month works only on
the persons followed in it):

- wall time of building and running the model (median of ``repeats`` runs after one warm-up, in
  this process, on one core: numpy is limited to one thread); the minimum and maximum show how much
  the machine's speed varied during the measurement;
- throughput in person-months per second = persons x 120 months / wall time (the figure the issue's
  target is stated in), and the same for the calendar months stepped;
- memory: person-level state (bytes per person, from the declared arrays) and the peak of all
  Python/numpy allocations during a run (tracemalloc, a separate run so it does not slow the
  timed ones), per person.

The targets (8 million person-months per second on one core, the aim of the sensitivity
analysis's time budget; at most 1 KB per person) are reported against, never asserted in tests:
timing depends on the machine. Small cohorts run slower per person-month: each month costs a fixed
number of array operations and compiled passes whatever the cohort's size (most of the 0.07 s of
a 1,000-person run of 157 months), so ``size=1000`` shows the overhead that a sensitivity
analysis's many small runs pay.

Measured on 2026-12-02 on the 2-core machine the project is developed on, paired runs of this
command with ``repeats=5`` alternating with the code before the compiled kernels (``model/rng.py``,
``docs/ARCHITECTURE.md``, "Speed"): 30,000 persons 0.42 s a run (8.4-8.6 million person-months/s)
against 0.59 s (6.1) before; 1,000 persons 0.074 s against 0.130 s.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import sys  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

from experiments.runs.outputs import flag  # noqa: E402
from experiments.runs.overrides import (fail, own_settings, positive_int, refuse_old_flags,  # noqa: E402
                                        wants_help, whole)
from experiments.runs.compose import load  # noqa: E402
from model.errors import ConfigError  # noqa: E402
from model.model import IntegrationModel  # noqa: E402


def measure(size: int, repeats: int, scenario: str, seed: int) -> dict:
    cfg = load(scenario, [f"population.size={size}", f"seed={seed}"])
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        m = IntegrationModel(cfg)
        m.run()
        if i:  # the first run warms caches and imports
            times.append(time.perf_counter() - start)
    months = m.months
    state_bytes = m.people.nbytes()
    tracemalloc.start()
    m2 = IntegrationModel(cfg)
    m2.run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall = statistics.median(times)
    horizon = int(cfg.population.horizon_months)
    return {
        "scenario": scenario, "persons": size, "months_stepped": months, "repeats": repeats,
        "wall_seconds_median": round(wall, 4), "wall_seconds_min": round(min(times), 4),
        "wall_seconds_max": round(max(times), 4),
        "person_months_per_second": round(size * months / wall),
        "person_months_per_second_120": round(size * horizon / wall),
        "state_bytes_per_person": round(state_bytes / size, 1),
        "peak_bytes_per_person": round(peak / size, 1),
    }


#: the keys, their checks and defaults (the size and the seed are checked by the model's
#: declarations when the run is composed)
KEYS = {"size": whole, "repeats": positive_int, "scenario": lambda k, v: v, "seed": whole, "json": flag}
DEFAULTS = {"size": 30_000, "repeats": 10, "scenario": "baseline", "seed": 0, "json": False}
#: the options of earlier versions, refused with the key that replaced each
OLD_FLAGS = {"--size": ("size=N", True), "--repeats": ("repeats=N", True),
             "--scenario": ("scenario=NAME", True), "--seed": ("seed=N", True),
             "--json": ("json=true", False)}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return
    try:
        refuse_old_flags(argv, OLD_FLAGS)
        a = {**DEFAULTS, **own_settings(argv, KEYS)}
        r = measure(a["size"], a["repeats"], a["scenario"], a["seed"])
    except ConfigError as e:
        fail(e)
    if a["json"]:
        print(json.dumps(r))
        return
    print(f"{r['persons']:,} persons followed 120 months each ({r['months_stepped']} calendar months "
          f"stepped), scenario {r['scenario']}, "
          f"median of {r['repeats']} runs")
    print(f"  wall time            {r['wall_seconds_median']:.3f} s "
          f"(min {r['wall_seconds_min']:.3f}, max {r['wall_seconds_max']:.3f})")
    print(f"  throughput           {r['person_months_per_second_120'] / 1e6:.2f} million person-months/s "
          f"counting 120 months a person (target 8); "
          f"{r['person_months_per_second'] / 1e6:.2f} counting the months stepped")
    print(f"  person state         {r['state_bytes_per_person']:.0f} bytes per person")
    print(f"  peak allocations     {r['peak_bytes_per_person']:.0f} bytes per person (target <= 1024)")


if __name__ == "__main__":
    main()
