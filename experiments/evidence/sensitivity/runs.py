"""Points: the sensitivity analysis's unit of work, kept in resumable folders.

A *point* is one set of values of the uncertain parameters. It is evaluated by running the
baseline and every scenario of the analysis on the same replicate seeds (``seed``, ``seed + 1``,
..., the same for every point: common random numbers), so that each scenario's effect is a paired
difference on the same persons, and the difference between two points is the parameters' doing,
not the draw's. Each point writes ``runs/<stage>/p<index>/point.json``:

- ``point_hash``: SHA-256 (:func:`experiments.runs.jobs.config_hash`) of what determines the runs:
  each scenario's composed configuration (by its hash), the values and the seeds; ``model_hash``
  (:func:`experiments.runs.jobs.model_hash`): the model's code and tables. A point is reused only if
  both are unchanged (as the comparison reuses a run folder), so a killed analysis computes only
  what is missing and a changed model is never mixed with an old one;
- the values, and for every run (scenario, seed) the shares participating and employed (%) at each
  whole year since the permit, and the cumulative public costs and earnings per simulated person
  (EUR) by model year, the same quantities as the comparison's ``summary.csv`` (group ``all``) and
  ``costs_summary.csv`` (``public_total``: every item of ``model/costs.py`` but earnings).

The file holds no timings or dates, so the same point gives the same bytes whichever process,
machine or Hydra launcher computed it. A point that fails writes ``failed.json`` instead
(:func:`experiments.runs.jobs.record_failure`) and is tried again next time.

With ``runs=full`` every run of a point is also a comparison run folder,
``runs/<stage>/p<index>/<scenario>/seed<k>/``, made by :func:`experiments.runs.jobs.run_task` and reused
when :func:`experiments.runs.jobs.is_complete` (the same files as a comparison's or a sweep's, for
inspecting any run), and the point's numbers are read from those folders. It is not the default: a
run folder holds every monthly outcome by group (about 250 KB, written in about twice the time of
the run itself), and an analysis makes thousands of runs and needs some forty numbers of each.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np

from experiments.runs.folders import orphaned_partial
from experiments.runs.jobs import FAILED_FILE, config_hash, model_hash, record_failure

POINT_FILE = "point.json"
#: years since the permit at which outcomes are kept
YEARS = tuple(range(1, 11))
#: the measures kept per run (participation and employment: % of the cohort's adults; costs: EUR per
#: simulated person, cumulative over the cohort's first model years)
MEASURES = ("participating", "employed", "public_costs", "earnings")


def point_hash(base_hashes: dict[str, str], values: dict, seeds: list[int], full: bool = False) -> str:
    """What determines a point's runs: each scenario's configuration, the values, the seeds (and
    whether its numbers were read from full run folders, which round them)."""
    what = {"scenarios": base_hashes, "values": {k: float(v) for k, v in values.items()},
            "seeds": [int(s) for s in seeds]}
    if full:
        what["runs"] = "full"
    return config_hash(what)


def point_dir(out: Path, stage: str, index: int) -> Path:
    return Path(out) / "runs" / stage / f"p{index:06d}"


def read_point(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / POINT_FILE).read_text())
    except (OSError, ValueError):
        return None


def is_done(folder: Path, expected_hash: str, code: str | None = None) -> bool:
    """True if ``folder`` holds this point, computed with the model code ``code`` (by default the
    current one)."""
    d = read_point(folder)
    return bool(d) and d.get("point_hash") == expected_hash and d.get("model_hash") == (code or model_hash())


def extract(result) -> dict:
    """The numbers the analysis keeps from one run (see the module docstring)."""
    from model.costs import ITEMS

    n = float(result.config.population.size)
    out = {}
    for o in ("participating", "employed"):
        share = result.share(o)
        out[o] = [round(float(share[12 * y]), 6) if 12 * y < len(share) else None for y in YEARS]
    public = sum(result.costs[i] for i in ITEMS if i != "earnings")
    for name, monthly in (("public_costs", public), ("earnings", result.costs["earnings"])):
        cum = np.cumsum(monthly)  # by model year as costs.csv has them (the last one may be partial)
        last = len(cum) // 12 + (len(cum) % 12 > 0)
        out[name] = [round(float(cum[min(12 * y, len(cum)) - 1]) / n, 4) if y <= last else None for y in YEARS]
    return out


def extract_folder(folder: Path, size: int) -> dict:
    """The same numbers as :func:`extract`, read from a comparison run folder (whose tables round
    shares to 4 decimals and costs to cents)."""
    import pandas as pd

    from model.costs import ITEMS

    o = pd.read_csv(folder / "outcomes.csv.gz")
    o = o[o["group"] == "all"].set_index(["outcome", "month"])["value"]
    out = {}
    for name in ("participating", "employed"):
        out[name] = [round(float(o[name, 12 * y]), 6) if (name, 12 * y) in o.index and pd.notna(o[name, 12 * y])
                     else None for y in YEARS]
    c = pd.read_csv(folder / "costs.csv")
    public = c[c["item"].isin([i for i in ITEMS if i != "earnings"])].groupby("year")["eur_total"].sum()
    earn = c[c["item"] == "earnings"].set_index("year")["eur_total"]
    for name, series in (("public_costs", public), ("earnings", earn)):
        cum = series.sort_index().cumsum()
        out[name] = [round(float(cum[y]) / size, 4) if y in cum.index else None for y in YEARS]
    return out


def _full_run(config, folder: Path) -> dict:
    """One run as a comparison run folder (:func:`experiments.runs.jobs.run_task`), reused when
    :func:`experiments.runs.jobs.is_complete`; returns its numbers."""
    from experiments.runs.jobs import is_complete, run_task

    d = config.to_dict()
    if not is_complete(folder, config_hash(d)):
        r = run_task(d, str(folder))
        if not r["ok"]:
            raise RuntimeError(f"run {folder.name} of {folder.parent.name}: {r['error']}")
    return extract_folder(folder, int(config.population.size))


_BUILT: dict[str, object] = {}


def _base(config: dict, key: str):
    """A scenario's validated configuration (built once per worker process)."""
    from model.config import build

    if key not in _BUILT:
        _BUILT.clear() if len(_BUILT) > 64 else None
        _BUILT[key] = build(config)
    return _BUILT[key]


def evaluate(task: dict) -> dict:
    """Run one point (in a worker process) and write its folder. Never raises.

    ``task``: ``target``, ``point_hash``, ``stage``, ``index``, ``scenarios`` (name -> composed
    configuration dict), ``base_hashes`` (name -> its hash), ``values``, ``seeds`` and
    ``model_hash``, the model code's hash when the analysis started: a worker whose model code is
    another (the files were edited meanwhile) records a failure rather than mix two models.
    """
    import logging
    import time

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    from model.model import simulate_together

    start, cpu = time.perf_counter(), time.process_time()
    target = Path(task["target"])
    scenario, seed = None, None
    try:
        if task.get("model_hash") and model_hash() != task["model_hash"]:
            raise RuntimeError("the model's code changed after the analysis started; run it again")
        runs = []
        configs = {scenario: _base(cfg, task["base_hashes"][scenario]).with_values(task["values"])
                   for scenario, cfg in task["scenarios"].items()}
        if task.get("full"):
            for scenario, config in configs.items():
                for seed in task["seeds"]:
                    c = replace(config, seed=int(seed))
                    numbers = _full_run(c, target / scenario / f"seed{int(seed)}")
                    runs.append({"scenario": scenario, "seed": int(seed), **numbers})
        else:
            # the scenarios of a seed together: the baseline is the national policies' displacement
            # reference, computed once (identical to running each alone)
            found = {}
            for seed in task["seeds"]:
                results = simulate_together([replace(c, seed=int(seed)) for c in configs.values()])
                for scenario, result in zip(configs, results):
                    found[scenario, int(seed)] = extract(result)
            runs = [{"scenario": scenario, "seed": int(seed), **found[scenario, int(seed)]}
                    for scenario in configs for seed in task["seeds"]]
        doc = {"stage": task["stage"], "point": task["index"], "point_hash": task["point_hash"],
               "model_hash": model_hash(), "values": task["values"], "runs": runs}
        write_point(target, doc)
        return {"index": task["index"], "ok": True, "seconds": time.perf_counter() - start,
                "cpu_seconds": time.process_time() - cpu}
    except Exception as e:  # recorded as data; the analysis reports it
        record_failure(target, str(scenario), seed, e)
        return {"index": task["index"], "ok": False, "error": f"{type(e).__name__}: {e}",
                "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}


def write_point(target: Path, doc: dict) -> Path:
    """Write ``point.json`` atomically (a temporary file moved into place)."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / POINT_FILE
    tmp = target / f".{POINT_FILE}.partial-{os.getpid()}"
    tmp.write_text(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n")
    os.replace(tmp, path)
    (target / FAILED_FILE).unlink(missing_ok=True)
    return path


def run_tasks(tasks: list[dict], n_jobs: int, progress: bool, desc: str) -> list[dict]:
    """Evaluate ``tasks`` (in parallel when ``n_jobs`` > 1), with a progress bar; return results."""
    import sys

    from tqdm import tqdm

    results = []
    if not tasks:
        return results
    bar = tqdm(total=len(tasks), unit="point", desc=desc, disable=not progress, file=sys.stderr,
               dynamic_ncols=True, mininterval=1.0)
    try:
        if n_jobs > 1 and len(tasks) > 1:
            from joblib import Parallel, delayed

            gen = Parallel(n_jobs=min(n_jobs, len(tasks)), return_as="generator_unordered",
                           batch_size=1)(delayed(evaluate)(t) for t in tasks)
        else:
            gen = (evaluate(t) for t in tasks)
        for r in gen:
            results.append(r)
            bar.update(1)
            if not r["ok"]:
                bar.write(f"warning: point {r['index']} failed: {r['error']}")
    finally:
        bar.close()
    return results


def clean_partials(folder: Path) -> None:
    """Remove temporary files left by a killed analysis (their process is gone)."""
    for p in Path(folder).glob(f"runs/*/p*/.{POINT_FILE}.partial-*"):
        if orphaned_partial(p):
            p.unlink(missing_ok=True)
