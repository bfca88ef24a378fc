"""The model's value for each target of a targets file: run a file's cohorts and compare.

The file itself (its schema, reading and checking) is :mod:`experiments.evidence.targets`; this
module runs the model for it:

- :func:`run_cohort` runs (steps) one configuration and keeps, besides the
  :class:`model.model.RunResult`, the few person arrays that targets on the reception clock need
  and, when asked (:func:`age_edges`), counts by the ages of a file's age ranges;
- :func:`model_value` is the model's share for one quantity, group, month and clock;
- :func:`evaluate` runs every cohort of a file for several seeds: one row per target and seed;
- :func:`prepare` composes and checks the configurations that :func:`evaluate` runs;
- :func:`summarise` turns those rows into one row per target: mean, 90% interval, error, tolerance.

Typical use (what calibration needs)::

    targets = read_targets("model/data/calibration_targets.csv")
    per_seed = evaluate(targets, "baseline", ["params.work.base_rate=0.05"], seeds=range(5))
    table = summarise(targets, per_seed)      # columns: target, value_pct, model_mean, error_pp, ...

The definitions of denominators, groups, clocks and tolerance are in
:mod:`experiments.evidence.targets`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from experiments.evidence.targets import DEFAULT_TOLERANCE_PP, DENOMINATOR_TEXT, DENOMINATORS, PERMIT, RECEPTION, Target, cohort_overrides, cohorts, required_horizon, split_age
from model.errors import ConfigError
from model.outcomes import AGE_EDGES, BY_NAME, Recorder, group_mask, shares
from model.people import NEVER


@dataclass
class Persons:
    """The person arrays that targets on the reception clock need (length: persons)."""

    sex: np.ndarray
    origin: np.ndarray
    education: np.ndarray
    age0: np.ndarray  #: age at model month 0 (years)
    permit_month: np.ndarray
    ti_reception: np.ndarray
    ti_housed: np.ndarray
    ti_left: np.ndarray
    #: entered reception for their own asylum procedure (not a family member who came later
    #: through reunification): ``ti_reception`` was set before the run started
    own_procedure: np.ndarray
    last_month: int  #: last model month simulated (states after it are unknown)

    @classmethod
    def from_people(cls, ppl, own_procedure: np.ndarray, last_month: int) -> "Persons":
        return cls(sex=ppl.sex.copy(), origin=ppl.origin.copy(), education=ppl.education.copy(),
                   age0=ppl.age0.copy(), permit_month=ppl.permit_month.copy(),
                   ti_reception=ppl.ti_reception.copy(), ti_housed=ppl.ti_housed.copy(),
                   ti_left=ppl.ti_left.copy(), own_procedure=own_procedure.copy(),
                   last_month=last_month)


@dataclass
class CohortRun:
    """One run: the :class:`model.model.RunResult` and the :class:`Persons` arrays, and, when
    :func:`run_cohort` was given age edges, the same counts as ``result.cube`` by the age groups
    those edges make (``age_cube``, made with ``age_edges``)."""

    result: object
    persons: Persons
    extra: dict = field(default_factory=dict)  #: whatever an ``on_month`` callback kept
    age_edges: tuple[int, ...] = AGE_EDGES
    age_cube: np.ndarray | None = None


def needed_edges(group: str) -> tuple[int, ...]:
    """The ages (whole years) at which ``group``'s age range begins or ends that are not edges of
    the model's own age groups (``()``: its value can be read from every run's counts)."""
    ages = split_age(group)[1]
    if ages is None:
        return ()
    lo, end = ages
    # a range past 200 has no upper age (nobody is that old; the model's last group ends there)
    return tuple(e for e in (lo, end) if e is not None and 0 < e <= 200 and e not in AGE_EDGES)


def age_edges(targets: Iterable[Target]) -> tuple[int, ...]:
    """The ages :func:`run_cohort` must count by for ``targets`` (those on the reception clock are
    counted from the persons' ages directly)."""
    return tuple(sorted({e for t in targets if t.clock == PERMIT for e in needed_edges(t.group)}))


def run_cohort(config, on_month: Callable | None = None, age_edges: Iterable[int] = ()) -> CohortRun:
    """Run a validated configuration month by month, as :func:`model.model.simulate` does, and
    keep the person arrays targets need. ``on_month(model)`` is called after every month (for
    experiments that follow persons; it must not change the model). ``age_edges``: whole years at
    which an age group must begin besides the model's own (:func:`age_edges` of a targets file);
    when there are any, the month's states are counted a second time by those finer groups (from
    the same ages at the measurement date; the run itself and ``result`` are unchanged)."""
    from model.model import IntegrationModel, RunResult

    m = IntegrationModel(config)
    # entered reception themselves (asylum procedure) rather than joining later as family:
    # their reception entry is known from the start
    own_procedure = m.people.ti_reception != NEVER
    edges = tuple(sorted(set(AGE_EDGES) | {int(e) for e in age_edges}))
    by_age = None if edges == AGE_EDGES else Recorder(m.people, m.recorder.horizon, edges)
    while m.t < m.months:
        m.step()
        if by_age is not None:
            by_age.record(m.now)  # the month's states, as the model's recorder saw them
        if on_month is not None:
            on_month(m)
    return CohortRun(result=RunResult.from_model(m),
                     persons=Persons.from_people(m.people, own_procedure, m.months - 1),
                     age_edges=edges, age_cube=None if by_age is None else by_age.cube())


def model_value(run: CohortRun, quantity: str, group: str, month: int, clock: str = PERMIT) -> float:
    """The model's share (%) of ``quantity`` in ``group`` at ``month`` on ``clock`` (NaN when the
    group has nobody then). Denominators: :data:`DENOMINATORS`. An age range off the model's
    age groups needs a run made with its edges (:func:`needed_edges`)."""
    if clock == RECEPTION:
        if quantity != "own_home":
            raise ValueError("only own_home can be measured since entering reception")
        p = run.persons
        entry = p.ti_reception.astype(np.int64)
        sel = p.own_procedure & (entry >= 0) & (entry <= 11)
        at = entry + int(month)
        if np.any(at[sel] > p.last_month):
            return float("nan")  # not simulated that far
        rest, ages = split_age(group)
        sex, origin, edu, _ = group_mask(rest)
        sel &= sex[p.sex] & origin[p.origin] & edu[p.education]
        if ages is not None:  # age at the measurement date, from whole years
            age = p.age0.astype(np.float64) + at / 12.0
            sel &= (age >= ages[0]) & (age < (np.inf if ages[1] is None else ages[1]))
        housed = (p.ti_housed != NEVER) & (p.ti_housed.astype(np.int64) <= at)
        gone = (p.ti_left != NEVER) & (p.ti_left.astype(np.int64) <= at)
        n = int(sel.sum())
        return float(100.0 * (sel & housed & ~gone).sum() / n) if n else float("nan")
    r = run.result
    if month >= r.cube.shape[1]:
        raise ValueError(f"month {month} is past the run's horizon ({r.cube.shape[1] - 1})")
    # the model's own definitions (model.outcomes), whose denominators are the schema's
    # (DENOMINATORS; tests/test_targets.py keeps the two in step)
    need = needed_edges(group)
    if not need:
        return float(shares(r.cube, r.columns, quantity, group)[0][month])
    if run.age_cube is None or not set(need) <= set(run.age_edges):
        raise ValueError(f"{group}: this run was not counted by those ages: "
                         f"run_cohort(config, age_edges={need})")
    return float(shares(run.age_cube, r.columns, quantity, group, run.age_edges)[0][month])


def target_value(run: CohortRun, target: Target) -> float:
    """:func:`model_value` for one target."""
    return model_value(run, target.quantity, target.group, target.month, target.clock)


def evaluate(targets: list[Target], scenario: str = "baseline", overrides: Iterable[str] = (),
             seeds: Iterable[int] = range(5), progress: Callable[[str], None] | None = None,
             configs: dict | None = None) -> pd.DataFrame:
    """Run every cohort in ``targets`` for every seed; the model's value of each target.

    Args:
        overrides: model overrides (``key=value``) applied to every run; each cohort adds
            :func:`cohort_overrides`. ``population.permit_year`` may not be among them.
        seeds: run seeds (the same seeds for every cohort).
        progress: called with a short line after each run (for command-line tools).
        configs: cohort -> validated config to use instead of composing one (seed replaced).

    Returns:
        One row per target and seed: ``target``, ``cohort``, ``seed``, ``model_value``.

    Raises:
        ConfigError: for a bad override (before anything runs).
    """
    configs = dict(configs or prepare(targets, scenario, overrides))
    rows = []
    for cohort in cohorts(targets):
        mine = [t for t in targets if t.cohort == cohort]
        for s in seeds:
            run = run_cohort(replace(configs[cohort], seed=int(s)), age_edges=age_edges(mine))
            for t in mine:
                rows.append({"target": t.id, "cohort": cohort, "seed": int(s),
                             "model_value": target_value(run, t)})
            if progress:
                progress(f"cohort {cohort} seed {s}: done")
    return pd.DataFrame(rows, columns=["target", "cohort", "seed", "model_value"])


def prepare(targets: list[Target], scenario: str = "baseline",
            overrides: Iterable[str] = ()) -> dict:
    """Compose and validate one config per cohort (seed left at the overrides' value).

    Raises:
        ConfigError: for a bad override, or one that sets ``population.permit_year`` (each
            target's cohort sets it).
    """
    from experiments.runs.overrides import check_overrides
    from experiments.runs.compose import load

    overrides = list(overrides)
    check_overrides(overrides)
    for o in overrides:
        if o.split("=", 1)[0].strip() == "population.permit_year":
            raise ConfigError("population.permit_year", o.split("=", 1)[-1],
                              "no value: each target's cohort sets the permit year")
    out = {}
    for c in cohorts(targets):
        extra = cohort_overrides(targets, c)
        if any(o.split("=", 1)[0].strip() == "population.horizon_months" for o in overrides):
            h = next(int(float(o.split("=", 1)[1])) for o in overrides
                     if o.split("=", 1)[0].strip() == "population.horizon_months")
            need = required_horizon(targets, c)
            if h < need:
                raise ConfigError("population.horizon_months", h,
                                  f"at least {need} months (the targets of cohort {c})")
            extra = extra[:1]
        out[c] = load(scenario, [*overrides, *extra])
    return out


def summarise(targets: list[Target], per_seed: pd.DataFrame,
              default_tolerance: float = DEFAULT_TOLERANCE_PP) -> pd.DataFrame:
    """One row per target: the data, the model's mean and 90% interval over seeds (5th-95th
    percentile), the error (model mean - value, pp), the relative error, the tolerance (the
    row's, else ``default_tolerance``), and whether the error is within it (and whether the value
    lies in the model's interval)."""
    rows = []
    for t in targets:
        tol = t.tolerance if t.tolerance is not None else default_tolerance
        v = per_seed.loc[per_seed["target"] == t.id, "model_value"].to_numpy(float)
        ok = v[np.isfinite(v)]
        mean = float(ok.mean()) if len(ok) else float("nan")
        p5, p95 = (np.percentile(ok, [5, 95]) if len(ok) else (float("nan"),) * 2)
        err = mean - t.value
        rows.append({
            "target": t.id, "quantity": t.quantity, "cohort": t.cohort, "group": t.group,
            "clock": t.clock, "month": t.month, "value_pct": t.value,
            "model_mean": round(mean, 3), "model_p5": round(float(p5), 3),
            "model_p95": round(float(p95), 3), "seeds": int(len(ok)),
            "error_pp": round(err, 3),
            "relative_error": round(err / t.value, 3) if t.value > 0 else float("nan"),
            "tolerance_pp": tol,
            "tolerance_source": "file" if t.tolerance is not None else "default",
            "within_tolerance": bool(np.isfinite(err) and abs(err) <= tol + 1e-9),
            "value_in_interval": bool(len(ok) and p5 <= t.value <= p95),
            "model_denominator": ("entered reception in the cohort year"
                                  if t.clock == RECEPTION else
                                  DENOMINATOR_TEXT[DENOMINATORS[t.quantity]]),
            "label": BY_NAME[t.quantity].label,
        })
    return pd.DataFrame(rows)
