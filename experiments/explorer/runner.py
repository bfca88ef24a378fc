"""Paired runs of a setting against the baseline, with the comparison's own machinery.

Every run is composed by the comparison's plan (:func:`experiments.runs.comparison.make_plan`: the
scenario, the cohort keys, the ensemble's parameter set and the lever-strength draw of each
replication, the same seeds; composed once per scenario and cohort), simulated by the model in a
pool of worker processes (one per core by default, shared by every browser session), reduced to
the rows of the comparison's tables its summary reads (:mod:`experiments.explorer.arrays`) and
summarised by the comparison's statistics (:mod:`experiments.runs.summary`), so the explorer shows
the numbers ``python -m experiments.compare`` gives for the same scenario file, cohort, population
size, replications and seeds (:func:`experiments.explorer.setting.compare_command`).

Runs are kept in memory and in the cache folder (``results/explorer/arrays/<name>.npz``,
git-ignored), named by the SHA-256 of their resolved configuration and the model's code: the
baseline ensemble is computed once (started in the background when the server starts), and a
setting seen before is shown at once.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from experiments.explorer import arrays, bridge
from experiments.explorer.setting import Setting
from model.config import ROOT, build, register

log = logging.getLogger(__name__)

#: outcomes of the charts over time (the headline and the calibration anchor)
OUTCOMES = ("participating", "employed")
#: the year of the headline number
HEADLINE_YEARS = 5
COMMAND = "python -m experiments.dashboard"


@dataclass(frozen=True)
class Options:
    """How many runs, of what size (smaller than the report's 40 x 10,000, so an update takes
    seconds; the screen says so).

    Attributes:
        size: persons per run (``population.size``).
        replications: runs per setting, on seeds ``seed_start`` ... (the same for both settings).
        seed_start: the first seed.
        n_jobs: worker processes (default: one per core).
        cache: where the runs' arrays are kept (``arrays/`` inside).
    """

    size: int = 2000
    replications: int = 10
    seed_start: int = 0
    n_jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache: Path = ROOT / "results" / "explorer"

    @property
    def seeds(self) -> list[int]:
        return list(range(self.seed_start, self.seed_start + self.replications))


class Cancelled(Exception):
    """A newer setting replaced the one being run."""


# ---- composing: the comparison's plan ------------------------------------------------------------
_HYDRA = threading.Lock()  # Hydra's global state is one per process


@lru_cache(maxsize=1)
def _registered() -> bool:
    register()
    return True


@lru_cache(maxsize=64)
def _plan(scenario: str, cohort: tuple[str, ...], replications: int, seed_start: int):
    """The comparison's plan of ``scenario`` alone, as ``python -m experiments.compare
    scenarios=[scenario] baseline=scenario replications=R seed_start=S <cohort>`` makes it."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    over = [f"scenarios=[{scenario}]", f"baseline={scenario}", f"replications={replications}",
            f"seed_start={seed_start}", *cohort]
    with _HYDRA:
        _registered()  # the schema and the scenario files, in Hydra's ConfigStore
        GlobalHydra.instance().clear()
        with initialize_config_dir(version_base="1.3", config_dir=str(ROOT / "conf"),
                                   job_name="explorer"):
            cfg = compose(config_name="compare", overrides=over)
        plan = bridge.make_plan(cfg, over)
        GlobalHydra.instance().clear()
    return plan


def scenario_policy(scenario: str, setting: Setting | None = None, size: int = 2000) -> dict:
    """The ``policy`` values of ``scenario`` as composed (for the cohort of ``setting``)."""
    s = setting or Setting(scenario)
    plan = _plan(scenario, tuple(s.cohort_overrides(size)), 1, 0)
    return dict(plan.configs[scenario]["policy"])


@dataclass
class Design:
    """The configurations of one comparison of a setting with the baseline."""

    base: dict  #: seed -> config dict of the baseline
    alt: dict  #: seed -> config dict of the setting
    sets: dict | None  #: seed -> ensemble parameter set (None: no ensemble)
    levers: dict | None  #: seed -> lever-strength draw (None: declared strengths)
    notes: list[str]


def design(setting: Setting, opt: Options) -> Design:
    """Compose the baseline's and the setting's run of every seed.

    The setting's run is its scenario's, with the changed levers set on top (levers are
    ``policy`` keys, which neither the ensemble nor the strength draws touch, so this is the
    configuration the comparison composes from the exported scenario file).
    """
    cohort = tuple(setting.cohort_overrides(opt.size))
    pb = _plan("baseline", cohort, opt.replications, opt.seed_start)
    ps = pb if setting.scenario == "baseline" else _plan(setting.scenario, cohort, opt.replications,
                                                         opt.seed_start)
    changes = setting.changes()
    base, alt = {}, {}
    for k in opt.seeds:
        base[k] = pb.config("baseline", k)
        d = copy.deepcopy(ps.config(setting.scenario, k))
        d["policy"].update(changes)
        alt[k] = d if not changes else build(d).to_dict()
    sets = {k: pb.parameter_set(k) for k in opt.seeds} if pb.ensemble else None
    levers = {k: pb.lever_draw(k) for k in opt.seeds} if pb.levers else None
    return Design(base, alt, sets, levers, list(dict.fromkeys(pb.notes + ps.notes)))


# ---- running: in worker processes, kept in memory and in a small cache folder ----------------------
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
_RUNNING: dict[str, Future] = {}
_STOPPING = threading.Event()  # set when the server stops: no more runs in the background
#: the arrays of the runs made or read in this process, by file name (arrays.key)
_MEMORY: OrderedDict[str, dict] = OrderedDict()
MEMORY_RUNS = 1000  # about 40 kB a run


def _warm() -> int:
    import model.model  # noqa: F401  (import the model once per worker)

    from experiments.explorer import arrays as _a  # noqa: F401
    from experiments.explorer import bridge as _b  # noqa: F401

    return os.getpid()


def pool(n_jobs: int) -> ProcessPoolExecutor:
    """The worker processes (started once, with the model imported in each)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            import multiprocessing as mp

            # one thread per worker: numpy's own threads would compete for the same cores
            for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(var, "1")
            _POOL = ProcessPoolExecutor(max_workers=max(1, n_jobs), mp_context=mp.get_context("spawn"))
            for _ in range(max(1, n_jobs)):
                _POOL.submit(_warm)
        return _POOL


def shutdown() -> None:
    """Stop the worker processes (when the server stops)."""
    global _POOL
    _STOPPING.set()
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=True, cancel_futures=True)
            _POOL = None


def _remember(name: str, a: dict) -> dict:
    with _POOL_LOCK:
        _MEMORY[name] = a
        _MEMORY.move_to_end(name)
        while len(_MEMORY) > MEMORY_RUNS:
            _MEMORY.popitem(last=False)
    return a


def _known(name: str, opt: Options) -> dict | None:
    """A run's arrays from memory, or else from the cache folder."""
    with _POOL_LOCK:
        a = _MEMORY.get(name)
    if a is None:
        a = arrays.read(opt.cache / "arrays", name)
        if a is not None:
            _remember(name, a)
    return a


def _done(name: str, opt: Options):
    """What to do when a run's worker returns: keep its arrays (memory and cache folder)."""
    def keep(fut: Future) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return
        a = fut.result()
        if "error" not in a:
            _remember(name, a)
            try:
                arrays.write(opt.cache / "arrays", name, a)
            except OSError as e:  # a full or read-only disk: the run is still in memory
                log.warning("could not keep run %s: %s", name, e)
    return keep


def ensure_runs(configs: list[dict], opt: Options, progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> list[dict]:
    """Make every run not made yet; return the runs' arrays in the order of ``configs``.

    Raises:
        Cancelled: when ``cancelled()`` turns true (runs already started finish and are kept).
        RuntimeError: when a run fails (with its error).
    """
    names = [arrays.key(bridge.config_hash(d)) for d in configs]
    found = {n: _known(n, opt) for n in dict.fromkeys(names)}
    todo = {n: d for n, d in zip(names, configs) if found[n] is None}
    total, done = len(todo), 0
    if progress:
        progress(0, total)
    if todo:
        ex = pool(opt.n_jobs)
        futures = {}
        with _POOL_LOCK:
            for n, d in todo.items():
                fut = _RUNNING.get(n)
                if fut is None or fut.cancelled():
                    fut = ex.submit(arrays.run, d)
                    fut.add_done_callback(_done(n, opt))
                    _RUNNING[n] = fut
                futures[fut] = n
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for fut in finished:
                a = fut.result()
                if "error" in a:
                    with _POOL_LOCK:
                        _RUNNING.pop(futures[fut], None)
                    d = todo[futures[fut]]
                    raise RuntimeError(f"a run of {d.get('scenario')} seed {d.get('seed')} failed: {a['error']}")
                found[futures[fut]] = a
                with _POOL_LOCK:
                    _RUNNING.pop(futures[fut], None)
                done += 1
                if progress:
                    progress(done, total)
            if pending and cancelled and cancelled():
                for fut in pending:
                    fut.cancel()  # not started yet: dropped; started: finishes and is kept
                raise Cancelled()
    return [found[n] for n in names]


def start_baseline(opt: Options) -> threading.Thread:
    """Start the baseline ensemble in the background (when the server starts), so that the first
    page shows it sooner and every setting after needs only its own runs."""
    def go():
        try:
            des = design(Setting.from_scenario("baseline", scenario_policy("baseline", None, opt.size)), opt)
            if not _STOPPING.is_set():
                ensure_runs([des.base[k] for k in opt.seeds], opt)
        except Exception as e:  # the page shows the error when it asks for the same runs
            log.warning("the baseline runs failed: %s", e)

    t = threading.Thread(target=go, name="baseline-runs", daemon=True)
    t.start()
    return t


# ---- the numbers ----------------------------------------------------------------------------------
@dataclass
class Result:
    """What the charts show for one setting against the baseline."""

    setting: Setting
    options: Options
    summary: pd.DataFrame  #: experiments.runs.summary.summarise_outcomes (baseline, setting)
    costs: pd.DataFrame  #: experiments.runs.summary.summarise_costs, cumulative EUR per person
    levels: pd.DataFrame  #: band over seeds: scenario, outcome, month, median, p05, p95
    effects: pd.DataFrame  #: band of the paired difference: outcome, month, median, p05, p95
    evidence: pd.DataFrame | None  #: experiments.runs.summary.evidence_check for the demands touched
    demands: list[str]
    notes: list[str]
    design: Design
    #: staff levers the staff capacity limits: name -> (asked, delivered median, lowest, highest)
    delivered: dict = field(default_factory=dict)

    def headline(self, outcome: str = "participating", years: int = HEADLINE_YEARS) -> dict:
        """The setting's effect at ``years`` (median and 90% interval of the paired difference, in
        percentage points) and both levels, from the summary table."""
        s = self.summary
        row = s[(s.scenario == "setting") & (s.outcome == outcome) & (s.group == "all") & (s.years == years)]
        base = s[(s.scenario == "baseline") & (s.outcome == outcome) & (s.group == "all") & (s.years == years)]
        if not len(row):
            return {}
        r, b = row.iloc[0], base.iloc[0]
        return {"diff_median": float(r.diff_median), "diff_p05": float(r.diff_p05),
                "diff_p95": float(r.diff_p95), "median": float(r["median"]), "p05": float(r.p05),
                "p95": float(r.p95), "base_median": float(b["median"]), "base_p05": float(b.p05),
                "base_p95": float(b.p95), "share_better": float(r.share_better),
                "n_pairs": int(r.n_pairs)}


def compute(setting: Setting, opt: Options, progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Result:
    """Run (or reuse) the baseline and the setting on the same seeds and summarise them."""
    des = design(setting, opt)
    seeds = opt.seeds
    configs = [des.base[k] for k in seeds] + [des.alt[k] for k in seeds]
    runs = ensure_runs(configs, opt, progress, cancelled)
    n = len(seeds)
    bo, bc = arrays.tables(runs[:n], seeds, "baseline")
    so, sc = arrays.tables(runs[n:], seeds, "setting")
    result = summarise(setting, opt, des, pd.concat([bo, so], ignore_index=True),
                       pd.concat([bc, sc], ignore_index=True))
    result.delivered = delivered(des)
    return result


def delivered(des: Design) -> dict[str, tuple[float, float, float, float]]:
    """The staff levers of the setting that the municipalities' staff capacity limits, as the
    model realises them (:class:`model.policy.Policy`): name -> (asked, delivered: median, lowest
    and highest over the replications, whose drawn staff capacity differs)."""
    from model.policy import STAFF_WORK, Policy

    names = [n for n in STAFF_WORK if n != "start_in_reception"]  # a switch: on or off
    got: dict[str, list[float]] = {n: [] for n in names}
    asked = {}
    for d in des.alt.values():
        cfg = build(d)
        pol = Policy(cfg.policy, int(cfg.population.permit_year), float(cfg.params.intake.staff_capacity))
        for n in names:
            asked[n] = float(getattr(cfg.policy, n))
            got[n].append(float(getattr(pol, n)))
    return {n: (asked[n], float(np.median(v)), min(v), max(v)) for n, v in got.items()
            if v and max(abs(x - asked[n]) for x in v) > 1e-9}


def summarise(setting: Setting, opt: Options, des: Design, tidy: pd.DataFrame,
              costs: pd.DataFrame) -> Result:
    """The numbers of the charts from the runs' tidy outcomes and costs (scenarios ``baseline`` and
    ``setting``), by the comparison's statistics."""
    S = bridge.summary
    order = ["baseline", "setting"]
    summary = S.summarise_outcomes(tidy, "baseline", order, sets=des.sets, levers=des.levers)
    costs_summary = S.summarise_costs(costs, "baseline", order, sets=des.sets, levers=des.levers)
    main = tidy[(tidy.group == "all") & tidy.outcome.isin(OUTCOMES)]
    levels = S.band(main, ["scenario", "outcome"])
    wide = main.pivot_table(index=["outcome", "month", "seed"], columns="scenario", values="value",
                            aggfunc="first")
    diff = (wide["setting"] - wide["baseline"]).rename("value").reset_index()
    effects = S.band(diff, ["outcome"])
    base_policy = des.base[opt.seeds[0]]["policy"]
    demands = setting.demands(base_policy)
    evidence = evidence_for(summary, demands)
    return Result(setting, opt, summary, costs_summary, levels, effects, evidence, demands,
                  des.notes, des)


def evidence_for(summary: pd.DataFrame, demands: list[str]) -> pd.DataFrame | None:
    """The setting's effect on employment beside the range the evidence supports for each demand
    it touches (and, when it touches several, for all demands together), by the report's rule
    (:func:`experiments.runs.summary.evidence_check`)."""
    ev, _note = bridge.demand_evidence()
    if ev is None or not demands:
        return None
    keys = list(demands) + (["full"] if len(demands) > 1 else [])
    rows = ev[ev["demand"].isin(keys)]
    return bridge.summary.evidence_check(summary, rows, {d: "setting" for d in keys})


# ---- a person's story ---------------------------------------------------------------------------------
@dataclass
class Story:
    key: str
    name: str
    description: str
    frames: list  #: [(label, DataFrame by month)] baseline then setting
    sentences: dict  #: "baseline"/"setting" -> [sentence, ...]
    contrast: str
    png: bytes


@lru_cache(maxsize=32)
def _followed(pairs: tuple[tuple[str, str], ...]):
    """The stories' persons, chosen and followed as the report's are (experiments.runs.persons),
    from the first replications' (baseline, setting) configurations, each as JSON."""
    import json

    followed, _ = bridge.persons.follow([(build(json.loads(b)), build(json.loads(a))) for b, a in pairs])
    return followed


def stories(result: Result, lang: str, labels: tuple[str, str]) -> list[Story]:
    """The persons of the report's stories, each the typical one of their group over the first
    replications, followed under the baseline and the setting (the same people and the same random
    draws in both)."""
    import json
    import tempfile

    S = bridge.stories
    seeds = sorted(set(result.design.base) & set(result.design.alt))[:bridge.persons.COHORTS]
    followed = _followed(tuple((json.dumps(result.design.base[s], default=str, sort_keys=True),
                                json.dumps(result.design.alt[s], default=str, sort_keys=True)) for s in seeds))
    out = []
    for fw in followed:
        p, (lb, la) = fw.persona, fw.lives
        female = p.sex == bridge.persons.Sex.FEMALE
        desc = bridge.i18n.persona(p.key, lang, age=int(fw.age_at_permit))
        with tempfile.TemporaryDirectory() as tmp:
            paths = S.timeline_chart([(labels[0], lb), (labels[1], la)], f"{p.name}: {desc}", "",
                                     Path(tmp) / p.key, lang)
            png = next(x for x in paths if x.suffix == ".png").read_bytes()
        out.append(Story(p.key, p.name, desc, [(labels[0], lb.frame), (labels[1], la.frame)],
                         {"baseline": S.sentences(p.name, lb.events, lang, female),
                          "setting": S.sentences(p.name, la.events, lang, female)},
                         S.contrast(p.name, lb.events, la.events, labels[1], lang, female), png))
    return out


def effect_at(result: Result, outcome: str, years: int) -> tuple[float, float, float]:
    """(median, p05, p95) of the paired effect at ``years`` from the over-time band (the same
    numbers as the summary table at whole years)."""
    e = result.effects
    r = e[(e.outcome == outcome) & (e.month == 12 * years)]
    if not len(r):
        return (np.nan, np.nan, np.nan)
    r = r.iloc[0]
    return float(r["median"]), float(r.p05), float(r.p95)
