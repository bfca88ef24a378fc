"""One run of a comparison: simulate, write the run's folder, and record a failure as data.

A comparison (:mod:`experiments.compare`) and a sweep (``python -m experiments.run -m ...``) both
write one folder per (scenario, seed) with the files of :func:`experiments.runs.folders.write_run`, plus

- ``stages.csv``: how the run's working-age cohort is spread over the stages of the pathway, by
  month since the permit (chart (c) of the comparison);
- in ``run.json``: ``config_hash`` (SHA-256 of the resolved configuration) and ``model_hash``
  (SHA-256 of the model's source and input tables), so that a comparison run again reuses a
  finished run only if both are unchanged.

A job of a comparison, or of a sweep (``experiments.run -m``), that fails writes ``failed.json``
(scenario, seed, error, traceback) instead of raising, so that the comparison or sweep still reaches
its aggregation (Hydra skips ``on_multirun_end`` when any job raises).

Stages are counted by :class:`model.outcomes.StageCounter` (the definitions are there).
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from functools import cache
from pathlib import Path

import pandas as pd

from model.config import ROOT, RunConfig
from model.model import IntegrationModel, RunResult
from model.outcomes import StageCounter, stages_table

#: files a finished run folder holds (``run.json`` is the marker that it finished); a comparison's
#: run folders hold ``outcomes.csv.gz`` (the same table, compressed: 0.25 instead of 1.3 MB a run)
RUN_FILES = ("config.yaml", "run.json", "times.csv", "costs.csv")
OUTCOME_FILES = ("outcomes.csv", "outcomes.csv.gz")
STAGE_FILE = "stages.csv"
FAILED_FILE = "failed.json"
#: every name a run writes into its folder (``outcomes.png``: a single run's chart)
RUN_WRITES = (*RUN_FILES, *OUTCOME_FILES, STAGE_FILE, FAILED_FILE, "outcomes.png")


def stop_on_sigterm() -> None:
    """Make ``kill PID`` (SIGTERM) stop a command the way Ctrl-C does: a ``KeyboardInterrupt`` in the
    main thread, so the command's own handler runs (finished runs are kept, the message says how to
    resume) and the worker processes are shut down with it, instead of computing on as orphans."""
    import signal
    import threading

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def config_hash(config: RunConfig | dict) -> str:
    """SHA-256 of a resolved configuration (every parameter, the scenario and the seed)."""
    d = config.to_dict() if isinstance(config, RunConfig) else config
    text = json.dumps(d, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def model_hash() -> str:
    """SHA-256 over the model's source files and input tables (``model/**/*.py``, ``*.csv``).

    A run made with other model code is not reused by a comparison, even when the git tree has
    uncommitted changes (where the git SHA alone cannot tell).
    """
    h = hashlib.sha256()
    base = ROOT / "model"
    for p in sorted(list(base.rglob("*.py")) + list(base.rglob("*.csv"))):
        if "__pycache__" in p.parts:
            continue
        h.update(str(p.relative_to(base)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class StageModel(IntegrationModel):
    """The integration model, also counting persons by stage every month
    (:class:`model.outcomes.StageCounter`); results are identical to :func:`model.model.simulate`."""

    def __init__(self, config: RunConfig, trace: list[int] | None = None, reference=None) -> None:
        super().__init__(config, trace, reference=reference)
        self.stages = StageCounter(config.population.horizon_months)

    def step(self) -> None:
        t = self.t
        super().step()
        self.stages.count(self, t)


def simulate_with_stages(config: RunConfig, trace: list[int] | None = None
                         ) -> tuple[RunResult, pd.DataFrame]:
    """Run one configuration; return its result and its stage table."""
    m = StageModel(config, trace)
    result = m.run()
    return result, stages_table(m.stages.counts)


def write_job(config: RunConfig, target: Path, command: str | None = None,
              draw=None, compress: bool = False, done=None) -> RunResult:
    """Simulate ``config`` and write its complete run folder at ``target`` (atomically).

    Args:
        command: the command line that asked for the run (recorded in ``run.json``; by default
            this process's own).
        draw: ``draw(result, path)`` draws the single-run chart (``outcomes.png``); None: no chart.
        compress: store ``outcomes.csv`` gzipped, as ``outcomes.csv.gz`` (same bytes inside).
        done: ``(result, stages, wall seconds)`` of a run already simulated (with others, see
            :func:`run_group`); None: simulate here.

    Returns:
        The run's result.
    """
    from experiments.runs.folders import staged_folder, write_run

    target = Path(target)
    if done is None:
        start = time.perf_counter()
        result, stages = simulate_with_stages(config)
        wall = time.perf_counter() - start
    else:
        result, stages, wall = done
    with staged_folder(target) as tmp:
        inner = tmp / "run"
        write_run(result, inner, wall, draw=draw)
        for f in inner.iterdir():
            f.replace(tmp / f.name)
        inner.rmdir()
        if compress:
            _gzip(tmp / "outcomes.csv")
        stages.to_csv(tmp / STAGE_FILE, index=False)
        meta = json.loads((tmp / "run.json").read_text())
        meta["config_hash"] = config_hash(config)
        meta["model_hash"] = model_hash()
        if command:
            meta["command"] = command
        (tmp / "run.json").write_text(json.dumps(meta, indent=2))
    (target / FAILED_FILE).unlink(missing_ok=True)
    return result


def _gzip(path: Path) -> Path:
    """Replace ``path`` by ``path.gz`` (reproducible bytes: no name or time in the header)."""
    import gzip
    import shutil

    out = path.with_name(path.name + ".gz")
    with open(path, "rb") as src, open(out, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=5, mtime=0) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    path.unlink()
    return out


def record_failure(target: Path, scenario: str, seed, error: BaseException) -> Path:
    """Write ``failed.json`` into ``target`` (the job's failure, as data for the aggregation)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    info = {"scenario": scenario, "seed": seed, "error": f"{type(error).__name__}: {error}",
            "traceback": "".join(traceback.format_exception(error)),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    (target / FAILED_FILE).write_text(json.dumps(info, indent=2))
    return target


def is_complete(folder: Path, expected_config_hash: str | None = None) -> bool:
    """True if ``folder`` holds a finished run (and, if given, of the expected configuration and
    of the current model code)."""
    folder = Path(folder)
    if not all((folder / f).is_file() for f in RUN_FILES + (STAGE_FILE,)):
        return False
    if not any((folder / f).is_file() for f in OUTCOME_FILES):
        return False
    if expected_config_hash is None:
        return True
    try:
        meta = json.loads((folder / "run.json").read_text())
    except (OSError, ValueError):
        return False
    return (meta.get("config_hash") == expected_config_hash
            and meta.get("model_hash") == model_hash())


def run_group(items: list[tuple[dict, str, bool]], command: str | None = None) -> list[dict]:
    """Runs of one cohort (one seed) together, as a comparison's unit of work: a national
    policy's displacement reference is the cohort under today's levers, so when that run is among
    ``items`` it is computed once for all of them (:func:`model.model.build_together`); results are
    identical to running each alone (:func:`run_task`).

    Args:
        items: ``(config dict, target folder, write)``: a run with ``write`` False is only the
            others' reference (its folder is finished already) and is not written.

    Returns:
        One :func:`run_task` answer per written run. Never raises: if the runs cannot be done
        together, each is run alone, so that a failure is recorded for the run that failed.
    """
    import logging
    import shutil

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    from model.config import build
    from model.model import build_together, step_together

    start = time.perf_counter()
    try:
        configs = [build(d) for d, _, _ in items]
        models = build_together(configs, factory=StageModel)
        step_together(models)
        results = [(m.run(), stages_table(m.stages.counts)) for m in models]
    except Exception:  # find out which run fails, and record it there
        return [run_task(d, t, command) for d, t, w in items if w]
    share = (time.perf_counter() - start) / len(items)  # each run's share of the group's time
    answers = []
    for (d, target, write), config, (result, stages) in zip(items, configs, results):
        if not write:
            continue
        scenario, seed = d.get("scenario"), d.get("seed")
        shutil.rmtree(target, ignore_errors=True)
        try:
            write_job(config, Path(target), command, compress=True, done=(result, stages, share))
            answers.append({"scenario": scenario, "seed": seed, "ok": True, "seconds": share})
        except Exception as e:  # recorded as data; the comparison reports it
            record_failure(Path(target), scenario, seed, e)
            answers.append({"scenario": scenario, "seed": seed, "ok": False,
                            "error": f"{type(e).__name__}: {e}", "seconds": share})
    return answers


def run_task(config_dict: dict, target: str, command: str | None = None) -> dict:
    """A comparison's unit of work (runs in a worker process): build, simulate, write.

    Never raises: a failure is written to ``failed.json`` and returned as data.
    """
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    from model.config import build

    import shutil

    start = time.perf_counter()
    scenario, seed = config_dict.get("scenario"), config_dict.get("seed")
    # what is in the folder is not this run (unfinished, failed, or other settings or model code):
    # clear it, so that nothing of it can be read as this run's
    shutil.rmtree(target, ignore_errors=True)
    try:
        write_job(build(config_dict), Path(target), command, compress=True)
        return {"scenario": scenario, "seed": seed, "ok": True,
                "seconds": time.perf_counter() - start}
    except Exception as e:  # recorded as data; the comparison reports it
        record_failure(Path(target), scenario, seed, e)
        return {"scenario": scenario, "seed": seed, "ok": False, "error": f"{type(e).__name__}: {e}",
                "seconds": time.perf_counter() - start}
