"""Persons followed month by month: the runs behind the comparison's persons' stories.

Each story follows one person of the simulated cohort under the baseline and under the full position
on the same seed. The same seed builds the same cohort (the population is drawn before any policy
acts) and gives each decision the same random draws, so the two life courses differ only through
policy. A person is chosen by attributes (origin, sex, age, education, household) and, among those
who match, to be typical: the one whose latent ability is nearest the middle (0 on the model's
standard-normal scale). Names are invented.

:func:`follow` runs the model with a trace of the chosen persons and returns their month-by-month
states (:func:`person_frame`) and the months of the events a story tells (:func:`events`); the
sentences and timeline charts are drawn from these by :mod:`experiments.presentation.stories`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from model.config import RunConfig
from model.people import NEVER, Education, Exam, Hours, Permit, Residence, Route, Sex, Study
from model.population import ORIGINS


@dataclass(frozen=True)
class Persona:
    """Who to look for in the cohort.

    Attributes:
        key: file name.
        name: invented first name.
        origin: origin name (model.population.ORIGINS).
        sex: Sex code.
        ages: (lowest, highest) age at the permit.
        education: Education codes allowed.
        household: rule on (children in the household, household size, is a family follower).
        describe: one-line description by language (``{age}`` is filled in).
    """

    key: str
    name: str
    origin: str
    sex: int
    ages: tuple[float, float]
    education: tuple[int, ...]
    household: Callable[[int, int, bool], bool]
    describe: dict


PERSONAS: tuple[Persona, ...] = (
    Persona("nour", "Nour", "Syria", Sex.FEMALE, (28, 45), (Education.HIGH,),
            lambda kids, size, follower: kids == 2,
            {"en": "a Syrian woman of {age} with a university degree (a pharmacist, say) and two children",
             "nl": "een Syrische vrouw van {age} met een universitaire opleiding (bijvoorbeeld apotheker) "
                   "en twee kinderen"}),
    Persona("yonas", "Yonas", "Eritrea", Sex.MALE, (18, 24), (Education.LOW,),
            lambda kids, size, follower: size == 1,
            {"en": "a young Eritrean man of {age} with little schooling, who came alone",
             "nl": "een jonge Eritrese man van {age} met weinig scholing, die alleen kwam"}),
    Persona("farida", "Farida", "Afghanistan", Sex.FEMALE, (25, 45), (Education.LOW, Education.MID),
            lambda kids, size, follower: follower and kids >= 1,
            {"en": "an Afghan mother of {age} who joins her husband through family reunification",
             "nl": "een Afghaanse moeder van {age} die via gezinshereniging haar man volgt"}),
    Persona("karim", "Karim", "Iraq", Sex.MALE, (45, 55), (Education.MID,),
            lambda kids, size, follower: True,
            {"en": "an Iraqi man of {age} with secondary education",
             "nl": "een Iraakse man van {age} met middelbare opleiding"}),
)


def choose(config: RunConfig, personas=PERSONAS) -> list[tuple[Persona, int, float]]:
    """Find each persona in the cohort that ``config`` builds (the most typical match; personas
    with no match in a small cohort are relaxed on household, then age, then left out).

    Returns:
        (persona, person index, age at the permit) for each persona found.
    """
    from model.model import IntegrationModel

    m = IntegrationModel(config)
    ppl, hh = m.people, m.households
    age = ppl.age0 + ppl.permit_month / 12.0
    kids = np.bincount(ppl.household, weights=(age < 18), minlength=len(hh.size)).astype(int)
    primary_pm = ppl.permit_month[hh.primary]
    follower = ppl.permit_month > primary_pm[ppl.household]
    chosen, used = [], set()
    for p in personas:
        base = ((ppl.origin == ORIGINS.index(p.origin)) & (ppl.sex == p.sex)
                & np.isin(ppl.education, p.education) & (age >= 18))
        in_age = (age >= p.ages[0]) & (age <= p.ages[1])
        house = np.array([p.household(int(kids[h]), int(hh.size[h]), bool(f))
                          for h, f in zip(ppl.household, follower)]) if base.any() else base
        for mask in (base & in_age & house, base & in_age, base):
            idx = np.flatnonzero(mask)
            idx = np.array([i for i in idx if i not in used], dtype=np.int64)
            if len(idx):
                best = int(idx[np.argmin(np.abs(ppl.ability[idx]))])
                chosen.append((p, best, float(age[best])))
                used.add(best)
                break
    return chosen


# ---- reading a trace -------------------------------------------------------------------------
def _first(mask: np.ndarray) -> int | None:
    hit = np.flatnonzero(mask)
    return int(hit[0]) if len(hit) else None


def person_frame(result, j: int, pid: int, horizon: int) -> pd.DataFrame:
    """One traced person's states by month since their permit (0..horizon)."""
    pm = int(result.permit_month[pid])
    tr = result.traces
    n_model = tr["residence"].shape[0]
    months = np.arange(0, horizon + 1)
    tm = np.clip(months + pm, 0, n_model - 1)
    cols = {"month": months}
    for name in ("residence", "in_course", "route", "exam", "study", "employed", "hours",
                 "on_benefit", "permit", "poor_health", "language", "volunteering", "ti_intake"):
        cols[name] = tr[name][tm, j]
    df = pd.DataFrame(cols)
    df["ti_intake"] = np.where(df["ti_intake"] == NEVER, np.nan, df["ti_intake"] - pm)
    return df


def events(df: pd.DataFrame) -> dict:
    """Months since the permit of the events a story tells (None when it did not happen)."""
    res = df["residence"].to_numpy()
    on_b = df["on_benefit"].to_numpy()
    emp = df["employed"].to_numpy()
    housed = _first(res == Residence.HOUSED)
    ev = {
        "reception_at_permit": bool(res[0] == Residence.RECEPTION),
        "housed": housed,
        "intake": (None if np.isnan(df["ti_intake"].iloc[-1]) else max(int(df["ti_intake"].iloc[-1]), 0)),
        "course": _first(df["in_course"].to_numpy()),
        "route": None,
        "exam_passed": _first(df["exam"].to_numpy() == Exam.PASSED),
        "exam_exempted": _first(df["exam"].to_numpy() == Exam.EXEMPTED),
        "education": _first(df["study"].to_numpy() == Study.ENROLLED),
        "diploma": _first(df["study"].to_numpy() == Study.COMPLETED),
        "first_job": _first(emp),
        "first_job_full_time": None,
        "full_time": _first(df["hours"].to_numpy() == Hours.FULL_TIME),
        "benefit": _first(on_b),
        "off_benefit": None,
        "permanent": _first(df["permit"].to_numpy() == Permit.PERMANENT),
        "citizen": _first(df["permit"].to_numpy() == Permit.CITIZEN),
        "left": _first(res == Residence.LEFT),
        "poor_health": _first(df["poor_health"].to_numpy()),
        "months_worked": int(emp.sum()),
        "months_on_benefit": int(on_b.sum()),
        "end_employed": bool(emp[-1]), "end_full_time": bool(df["hours"].iloc[-1] == Hours.FULL_TIME),
        "end_benefit": bool(on_b[-1]), "end_language": float(df["language"].iloc[-1]),
        "horizon": int(df["month"].iloc[-1]),
    }
    routes = df["route"].to_numpy()
    r = _first(routes != Route.NONE)
    ev["route"] = int(routes[r]) if r is not None else None
    if ev["first_job"] is not None:
        ev["first_job_full_time"] = bool(df["hours"].iloc[ev["first_job"]] == Hours.FULL_TIME)
    if ev["benefit"] is not None:
        # the last time the household leaves bijstand (and stays off until the end)
        if not on_b[-1]:
            ev["off_benefit"] = int(np.flatnonzero(on_b)[-1] + 1)
    return ev


@dataclass
class Followed:
    """One persona found in the cohort and followed under each scenario (in run order)."""

    persona: Persona
    person_index: int
    age_at_permit: float
    frames: list[tuple[str, pd.DataFrame]]
    events: dict[str, dict]


def follow(base_cfg: RunConfig, alt_cfg: RunConfig | None,
           check: Callable[[str, object], bool] | None = None) -> tuple[list[Followed], bool]:
    """Choose the personas in ``base_cfg``'s cohort and follow them under both configs.

    Args:
        check: called with (scenario, RunResult) of each traced run; returns False if the traced run
            does not reproduce the stored run (the stories are then flagged).

    Returns:
        The persons followed, and whether every traced run reproduced the stored runs.
    """
    from experiments.runs.jobs import simulate_with_stages

    chosen = choose(base_cfg)
    if not chosen:
        return [], True
    ids = [pid for _, pid, _ in chosen]
    horizon = int(base_cfg.population.horizon_months)
    runs = [(base_cfg.scenario, base_cfg)] + ([(alt_cfg.scenario, alt_cfg)] if alt_cfg else [])
    results = {}
    for scen, cfg in runs:
        res, _ = simulate_with_stages(cfg, trace=ids)
        results[scen] = (res, check(scen, res) if check else True)
    followed = []
    for j, (p, pid, age_at_permit) in enumerate(chosen):
        frames, evs = [], {}
        for scen, cfg in runs:
            res, _ok = results[scen]
            f = person_frame(res, j, pid, horizon)
            f.insert(0, "scenario", scen)
            frames.append((scen, f))
            evs[scen] = events(f)
        followed.append(Followed(p, pid, age_at_permit, frames, evs))
    return followed, all(ok for _, ok in results.values())
