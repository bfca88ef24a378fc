"""Every row of a file of published effects as a paired experiment: the arms' configurations,
shared where identical (:func:`prepare`), and every (configuration, seed) run once (:func:`run_pairs`).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

import pandas as pd

from experiments.evidence.effects.file import Arm, Effect, _fail, _number
from model.errors import ConfigError


@dataclass
class Plan:
    """Every arm's configuration, shared where identical.

    Attributes:
        effects: the rows.
        configs: config key -> validated RunConfig (seed 0).
        arm_key: (row id, ``treatment``/``control``) -> config key.
        arm_spec: config key -> (scenario, overrides, cohort) of the first arm that uses it.
        needs: config key -> the (outcome, group, month) values to read from its runs.
        overrides: the command line's model overrides (apply to both arms of every row).
    """

    effects: list[Effect]
    configs: dict = field(default_factory=dict)
    arm_key: dict = field(default_factory=dict)
    arm_spec: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)
    overrides: tuple[str, ...] = ()

    def uses(self, key: str) -> list[str]:
        return [f"{rid}:{side}" for (rid, side), k in self.arm_key.items() if k == key]


def _config_id(cfg) -> str:
    d = cfg.to_dict()
    d.pop("seed", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:12]


def prepare(effects: list[Effect], overrides=(), file_name: str = "effects") -> Plan:
    """Compose and validate the configuration of every arm (nothing is simulated).

    The command line's ``overrides`` come first, then the arm's own (which win), then the cohort
    (``population.permit_year``) and, unless set, ``population.horizon_months``: the longest
    horizon among the rows of that cohort (a shorter horizon changes no earlier month), so that
    arms written alike in different rows share one configuration.

    Raises:
        ConfigError: for a bad override, or an arm the model rejects (naming the row and column),
            or a horizon beyond a horizon set on the command line.
    """
    from experiments.runs.compose import load

    overrides = tuple(overrides)
    cli = dict(o.split("=", 1) for o in overrides)
    for k in ("population.permit_year", "seed", "scenario"):
        if k in cli:
            raise _fail(k, cli[k], "no value on the command line: " + {
                "population.permit_year": "each row's cohort sets the permit year",
                "seed": "seed= is the first seed (read by the command itself)",
                "scenario": "each row's treatment and control name their scenario"}[k])
    if "population.horizon_months" in cli:
        h = _number(cli["population.horizon_months"]) or 0
        for e in effects:
            if e.horizon > h:
                raise _fail(f"{file_name} line {e.line} ({e.id}) column horizon_months", e.horizon,
                            f"a horizon within the simulated one (population.horizon_months="
                            f"{cli['population.horizon_months']} on the command line)")
    longest = {}
    for e in effects:
        longest[e.cohort] = max(longest.get(e.cohort, 12), e.horizon)
    plan = Plan(effects=effects, overrides=overrides)
    composed: dict[tuple, str] = {}
    for e in effects:
        for side in ("treatment", "control"):
            arm: Arm = getattr(e, side)
            merged = dict(cli)
            merged.update(dict(o.split("=", 1) for o in arm.overrides))
            merged["population.permit_year"] = str(e.cohort)
            merged.setdefault("population.horizon_months", str(longest[e.cohort]))
            spec = (arm.scenario, tuple(f"{k}={v}" for k, v in merged.items()))
            if spec not in composed:
                try:
                    cfg = load(spec[0], list(spec[1]))
                except ConfigError as err:
                    raise _fail(f"{file_name} line {e.line} ({e.id}) column {side}", arm.text,
                                f"a scenario and overrides the model accepts: {err}") from None
                key = _config_id(cfg)
                plan.configs.setdefault(key, cfg)
                plan.arm_spec.setdefault(key, {"scenario": arm.scenario,
                                               "overrides": list(spec[1])})
                composed[spec] = key
            key = composed[spec]
            plan.arm_key[(e.id, side)] = key
            need = (e.outcome, e.group, e.horizon)
            if need not in plan.needs.setdefault(key, []):
                plan.needs[key].append(need)
    return plan


# ---- running ---------------------------------------------------------------------------------

def run_one(config_dict: dict, needs: list[tuple[str, str, int]]) -> list[float]:
    """Simulate one configuration (with its seed) and read the values ``needs`` asks for
    (outcome, group, months since the permit); NaN where the group has nobody then. Runs in a
    worker process."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    from experiments.evidence.target_values import CohortRun, model_value
    from model.config import build
    from model.model import simulate

    result = simulate(build(config_dict))
    run = CohortRun(result=result, persons=None)
    return [model_value(run, o, g, int(m)) for o, g, m in needs]


def _task(key: str, config_dict: dict, needs: list, seed: int):
    start = time.perf_counter()
    values = run_one(config_dict, needs)
    return key, seed, values, time.perf_counter() - start


def run_pairs(plan: Plan, seeds: list[int], n_jobs: int = 1, log=print) -> dict:
    """Run every configuration of ``plan`` on every seed, once each.

    Returns:
        (config key, seed) -> {(outcome, group, month): value}.
    """
    tasks = []
    for key, cfg in plan.configs.items():
        base = cfg.to_dict()
        for s in seeds:
            d = dict(base)
            d["seed"] = int(s)
            tasks.append((key, d, plan.needs[key], int(s)))
    out, done = {}, 0
    if n_jobs > 1 and len(tasks) > 1:
        from joblib import Parallel, delayed

        gen = Parallel(n_jobs=min(n_jobs, len(tasks)), return_as="generator_unordered",
                       batch_size=1)(delayed(_task)(*t) for t in tasks)
    else:
        gen = (_task(*t) for t in tasks)
    for key, seed, values, secs in gen:
        out[(key, seed)] = dict(zip(map(tuple, plan.needs[key]), values))
        done += 1
        if log:
            log(f"  run {done}/{len(tasks)}: config {key}, seed {seed} ({secs:.1f} s)")
    return out


def per_seed(plan: Plan, values: dict, seeds: list[int]) -> pd.DataFrame:
    """One row per effect and seed: the treatment's and the control's value and their difference."""
    rows = []
    for e in plan.effects:
        need = (e.outcome, e.group, e.horizon)
        tk, ck = plan.arm_key[(e.id, "treatment")], plan.arm_key[(e.id, "control")]
        for s in seeds:
            t, c = values[(tk, s)][need], values[(ck, s)][need]
            rows.append({"id": e.id, "seed": int(s), "treatment_value": t, "control_value": c,
                         "effect_pp": t - c})
    return pd.DataFrame(rows, columns=["id", "seed", "treatment_value", "control_value",
                                       "effect_pp"])
