"""Persons followed month by month: the runs behind the comparison's persons' stories.

Each story follows one person of the simulated cohort under the baseline and under the full position
on the same seed. The same seed builds the same cohort (the population is drawn before any policy
acts) and gives each decision the same random draws, so the two life courses differ only through
policy. Names are invented; what a persona is (origin, sex, age, education, household) is here, the
words that describe them are in the translation files (``personas``, by :attr:`Persona.key`).

**Who is chosen** (:func:`follow`): a story should show what typically happens to persons like them,
not what chance did to one of them. So every person who matches the persona is followed, in the
comparison's first :data:`COHORTS` replications as they ran, under both scenarios. The group's
typical path (:func:`typical_path`) is, under each scenario, the commonest route, integration outcome
and whether they find work, and the median months to a home, a course, the integration outcome, a
first job and leaving bijstand, and the median months in work. The story follows the person whose
paths under both scenarios are nearest it (:func:`distance`): fewest differences in route, outcome
and work first, then the smallest sum of differences in those months; ties go to the ability nearest
the middle. Common random numbers make the two paths of one person differ only through policy, so
the person is typical of the change too.

**One trace, two readers** (:class:`Life`): a person's month-by-month states under one scenario
(:func:`person_frame`) are cut into the spells each lane of the timeline chart draws
(:data:`LANES`, :func:`spells`), and the events the sentences tell are read from those spells
(:func:`events`), so the words and the chart cannot disagree. Short returns to bijstand (at most
:data:`SHORT_RETURN` months, after the household has left it) are told as such, not as living on
bijstand until the last of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from model.config import RunConfig
from model.people import NEVER, Education, Exam, Hours, Permit, Residence, Route, Sex, Study
from model.population import ORIGINS


@dataclass(frozen=True)
class Persona:
    """Who to look for in the cohort (the words describing them: ``personas.<key>`` in the
    translation files, with ``{age}`` filled in).

    Attributes:
        key: file name, and the key of the description.
        name: invented first name.
        origin: origin name (model.population.ORIGINS).
        sex: Sex code.
        ages: (lowest, highest) age at the permit.
        education: Education codes allowed.
        household: rule on (children in the household, household size, is a family follower).
    """

    key: str
    name: str
    origin: str
    sex: int
    ages: tuple[float, float]
    education: tuple[int, ...]
    household: Callable[[int, int, bool], bool]


PERSONAS: tuple[Persona, ...] = (
    Persona("nour", "Nour", "Syria", Sex.FEMALE, (28, 45), (Education.HIGH,),
            lambda kids, size, follower: kids == 2),
    Persona("yonas", "Yonas", "Eritrea", Sex.MALE, (18, 24), (Education.LOW,),
            lambda kids, size, follower: size == 1),
    Persona("farida", "Farida", "Afghanistan", Sex.FEMALE, (25, 45), (Education.LOW, Education.MID),
            lambda kids, size, follower: follower and kids >= 1),
    Persona("karim", "Karim", "Iraq", Sex.MALE, (45, 55), (Education.MID,),
            lambda kids, size, follower: True),
)

#: replications (the comparison's first seeds) whose matching persons make up each persona's group
COHORTS = 5
#: a spell on bijstand of at most this many months, after the household has left it, is a short return
SHORT_RETURN = 3


# ---- persons like a persona ----------------------------------------------------------------------
@dataclass
class Matches:
    """The persons of one cohort who match each persona, at the strictest level that has any in the
    story's cohort (0: everything; 1: any household; 2: any age)."""

    index: dict[str, np.ndarray]  #: persona key -> person indices
    age: np.ndarray  #: age at the permit, every person
    ability: np.ndarray  #: latent ability, every person


def _masks(config: RunConfig, personas) -> tuple[dict[str, list[np.ndarray]], np.ndarray, np.ndarray]:
    """Each persona's matches in the cohort ``config`` builds, at each level of relaxation."""
    from model.model import IntegrationModel

    m = IntegrationModel(config)
    ppl, hh = m.people, m.households
    age = ppl.age0 + ppl.permit_month / 12.0
    kids = np.bincount(ppl.household, weights=(age < 18), minlength=len(hh.size)).astype(int)
    follower = ppl.permit_month > ppl.permit_month[hh.primary][ppl.household]
    out = {}
    for p in personas:
        base = ((ppl.origin == ORIGINS.index(p.origin)) & (ppl.sex == p.sex)
                & np.isin(ppl.education, p.education) & (age >= 18))
        in_age = (age >= p.ages[0]) & (age <= p.ages[1])
        house = np.zeros(len(age), bool)
        for i in np.flatnonzero(base):
            h = ppl.household[i]
            house[i] = p.household(int(kids[h]), int(hh.size[h]), bool(follower[i]))
        out[p.key] = [np.flatnonzero(base & in_age & house), np.flatnonzero(base & in_age),
                      np.flatnonzero(base)]
    return out, age, ppl.ability.copy()


def match(configs: list[RunConfig], personas=PERSONAS) -> list[Matches]:
    """The persons matching each persona in each cohort, at the strictest level with a match in any
    of them (a persona with no strict match is relaxed on household, then age; one with no match at
    all is left out)."""
    found = [_masks(c, personas) for c in configs]
    level = {}
    for p in personas:
        levels = [k for k in range(3) if any(len(masks[p.key][k]) for masks, _, _ in found)]
        if levels:
            level[p.key] = levels[0]
    return [Matches({k: masks[k][lv] for k, lv in level.items()}, age, ability)
            for masks, age, ability in found]


# ---- a life: the trace, the timeline's spells, the events ---------------------------------------
def person_frame(result, j: int, pid: int, horizon: int) -> pd.DataFrame:
    """Traced person ``j`` (person ``pid``)'s states by month since their permit (0..horizon)."""
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


def _is(col: str, value) -> Callable[[pd.DataFrame], np.ndarray]:
    return lambda f: f[col].to_numpy() == value


def _on(col: str) -> Callable[[pd.DataFrame], np.ndarray]:
    return lambda f: f[col].to_numpy().astype(bool)


#: the lanes of a person's timeline, top to bottom: lane -> ((state, months in it), ...); a month
#: is in at most one state of a lane. After a person leaves the Netherlands only housing has states.
LANES: dict[str, tuple[tuple[str, Callable[[pd.DataFrame], np.ndarray]], ...]] = {
    "housing": (("reception", _is("residence", Residence.RECEPTION)),
                ("housed", _is("residence", Residence.HOUSED)), ("left", _is("residence", Residence.LEFT))),
    "course": (("course", _on("in_course")),),
    "integration": (("met", _is("exam", Exam.PASSED)), ("exempted", _is("exam", Exam.EXEMPTED))),
    "education": (("enrolled", _is("study", Study.ENROLLED)), ("diploma", _is("study", Study.COMPLETED))),
    "work": (("part_time", lambda f: _on("employed")(f) & (f["hours"].to_numpy() != Hours.FULL_TIME)),
             ("full_time", lambda f: _on("employed")(f) & (f["hours"].to_numpy() == Hours.FULL_TIME))),
    "benefit": (("on_benefit", _on("on_benefit")),),
    "permit": (("temporary", _is("permit", Permit.TEMPORARY)), ("permanent", _is("permit", Permit.PERMANENT)),
               ("citizen", _is("permit", Permit.CITIZEN))),
}


@dataclass(frozen=True)
class Spell:
    """Months ``start`` .. ``start + months - 1`` since the permit in one state of a lane."""

    state: str
    start: int
    months: int

    @property
    def end(self) -> int:
        """The first month after the spell."""
        return self.start + self.months


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True values."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.diff(m.astype(int))
    return [(int(s), int(e - s)) for s, e in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1))]


def spells(frame: pd.DataFrame) -> dict[str, list[Spell]]:
    """Each lane's spells, in order of their start (what the timeline chart draws)."""
    here = frame["residence"].to_numpy() != Residence.LEFT
    out = {}
    for lane, states in LANES.items():
        found = []
        for state, months_in in states:
            mask = np.asarray(months_in(frame), bool)
            found += [Spell(state, s, n) for s, n in _runs(mask if lane == "housing" else mask & here)]
        out[lane] = sorted(found, key=lambda s: s.start)
    return out


def _first(lane: list[Spell], *states: str) -> int | None:
    starts = [s.start for s in lane if not states or s.state in states]
    return min(starts) if starts else None


def bijstand(lane: list[Spell]) -> tuple[int | None, int]:
    """When the household leaves bijstand, short returns aside, and how many short returns follow.

    The household's first spell on bijstand and every spell longer than :data:`SHORT_RETURN` months
    are its time on bijstand; it leaves when the last of them ends (None: it is on bijstand then at
    the end of the trace). Shorter spells after that are short returns.
    """
    if not lane:
        return None, 0
    long = [i for i, s in enumerate(lane) if i == 0 or s.months > SHORT_RETURN]
    return lane[long[-1]].end, len(lane) - 1 - long[-1]


def events(frame: pd.DataFrame, lanes: dict[str, list[Spell]]) -> dict:
    """Months since the permit of the events a story tells (None: it did not happen), read from the
    timeline's spells (and, for what no lane draws, the trace: route, intake, language, hours)."""
    horizon = int(frame["month"].iloc[-1])
    end = horizon + 1
    housing, work, benefit = lanes["housing"], lanes["work"], lanes["benefit"]
    off, returns = bijstand(benefit)
    left = _first(housing, "left")
    stay = left if left is not None else end
    first_job = _first(work)
    course = _first(lanes["course"])
    intake = frame["ti_intake"].iloc[-1]
    ev = {
        "reception_at_permit": bool(housing and housing[0].start == 0 and housing[0].state == "reception"),
        "housed": _first(housing, "housed"),
        "intake": None if np.isnan(intake) else max(int(intake), 0),
        "course": course,
        "route": int(frame["route"].iloc[course]) if course is not None else None,
        "exam_passed": _first(lanes["integration"], "met"),
        "exam_exempted": _first(lanes["integration"], "exempted"),
        "education": _first(lanes["education"], "enrolled"),
        "diploma": _first(lanes["education"], "diploma"),
        "first_job": first_job,
        "first_job_full_time": (None if first_job is None else
                                next(s.state for s in work if s.start == first_job) == "full_time"),
        "full_time": _first(work, "full_time"),
        "benefit": _first(benefit),
        # leaves bijstand (short returns aside); None while on it at the end or until leaving NL
        "off_benefit": off if off is not None and off < stay else None,
        "benefit_until_left": bool(benefit) and off is not None and left is not None and off >= left,
        "short_returns": returns,
        "permanent": _first(lanes["permit"], "permanent"),
        "citizen": _first(lanes["permit"], "citizen"),
        "left": left,
        "months_worked": sum(s.months for s in work),
        "months_on_benefit": sum(s.months for s in benefit),
        "end_employed": bool(work and work[-1].end == end),
        "end_full_time": bool(work and work[-1].end == end and work[-1].state == "full_time"),
        "end_benefit": bool(benefit and benefit[-1].end == end),
        "end_language": float(frame["language"].iloc[-1]),
        "poor_health": (int(np.argmax(frame["poor_health"].to_numpy()))
                        if frame["poor_health"].any() else None),
        "horizon": horizon,
    }
    return ev


@dataclass
class Life:
    """One person's life course under one scenario: the month-by-month trace, the spells the
    timeline chart draws and the events the sentences tell (both read from the same trace)."""

    scenario: str
    frame: pd.DataFrame
    spells: dict[str, list[Spell]]
    events: dict

    @classmethod
    def of(cls, scenario: str, frame: pd.DataFrame) -> "Life":
        lanes = spells(frame)
        return cls(scenario, frame, lanes, events(frame, lanes))


# ---- typical persons -------------------------------------------------------------------------------
#: the events whose months make up a path (absent: the horizon plus one)
PATH_MONTHS = ("housed", "course", "integration", "first_job", "off_benefit", "months_worked")


def path(ev: dict) -> tuple[tuple, np.ndarray]:
    """A life course in brief: (route, integration outcome, finds work) and the months of
    :data:`PATH_MONTHS`."""
    outcome = "met" if ev["exam_passed"] is not None else "exempted" if ev["exam_exempted"] is not None else None
    kind = (ev["route"], outcome, ev["first_job"] is not None)
    never = ev["horizon"] + 1
    integration = ev["exam_passed"] if ev["exam_passed"] is not None else ev["exam_exempted"]
    off = ev["off_benefit"] if ev["benefit"] is not None else 0
    months = [ev["housed"], ev["course"], integration, ev["first_job"], off, ev["months_worked"]]
    return kind, np.array([never if x is None else x for x in months], dtype=float)


def typical_path(paths: list[tuple[tuple, np.ndarray]]) -> tuple[tuple, np.ndarray]:
    """The commonest value of each part of the kind (ties: the first met) and the median months."""
    kinds = [k for k, _ in paths]
    common = []
    for i in range(len(kinds[0])):
        values = [k[i] for k in kinds]
        common.append(max(dict.fromkeys(values), key=values.count))
    return tuple(common), np.median(np.array([m for _, m in paths]), axis=0)


def distance(paths: list[tuple[tuple, np.ndarray]], typical: list[tuple[tuple, np.ndarray]]
             ) -> tuple[int, float]:
    """How far one person's paths (one a scenario) are from the typical ones: differences in kind,
    then the sum of the differences in months."""
    kind = sum(a != b for (k, _), (t, _) in zip(paths, typical) for a, b in zip(k, t))
    months = sum(float(np.abs(m - tm).sum()) for (_, m), (_, tm) in zip(paths, typical))
    return kind, months


def most_typical(candidates: list[list[tuple[tuple, np.ndarray]]], typical: list[tuple[tuple, np.ndarray]],
                 ability: np.ndarray) -> int:
    """The candidate (its paths, one a scenario) nearest the typical paths; ties go to the ability
    nearest the middle, then to the first."""
    return min(range(len(candidates)),
               key=lambda i: (*distance(candidates[i], typical), abs(float(ability[i])), i))


@dataclass
class Followed:
    """One persona found in the cohort and followed under each scenario (in run order)."""

    persona: Persona
    person_index: int
    age_at_permit: float
    lives: list[Life]
    #: persons like them in the group the choice was made from, and the cohorts they come from
    group: int = 0
    cohorts: int = 1
    typical: dict = field(default_factory=dict)  #: scenario -> the group's typical path (kind, months)
    seed: int = 0  #: the replication (seed) the person lives in

    @property
    def frames(self) -> list[tuple[str, pd.DataFrame]]:
        return [(life.scenario, life.frame) for life in self.lives]

    @property
    def events(self) -> dict[str, dict]:
        return {life.scenario: life.events for life in self.lives}


def follow(replications: list[tuple[RunConfig, RunConfig | None]],
           check: Callable[[str, object], bool] | None = None, personas=PERSONAS) -> tuple[list[Followed], bool]:
    """Find each persona's typical person and follow them under both scenarios.

    Args:
        replications: (baseline config, other config or None) of each replication the group is drawn
            from, as they ran (the comparison's first :data:`COHORTS` seeds); the person followed
            may come from any of them.
        check: called with (scenario, RunResult) of each traced run; returns False if it does not
            reproduce the stored run (the stories are then flagged).

    Returns:
        The persons followed, and whether every traced run reproduced the stored runs.
    """
    from experiments.runs.jobs import simulate_with_stages

    base_cfg, alt_cfg = replications[0]
    names = [base_cfg.scenario] + ([alt_cfg.scenario] if alt_cfg else [])
    matches = match([b for b, _ in replications], personas)
    if not matches[0].index:
        return [], True
    horizon = int(base_cfg.population.horizon_months)
    lives: list[dict[str, list[list[Life]]]] = []  # per replication: persona -> per person: lives
    reproduced = True
    for found, pair in zip(matches, replications):
        ids = np.concatenate([found.index[p] for p in found.index]).astype(int)
        per = {p: [[] for _ in found.index[p]] for p in found.index}
        lives.append(per)
        if not len(ids):
            continue
        for scen, cfg in zip(names, pair):
            res, _ = simulate_with_stages(cfg, trace=list(ids))
            if check is not None:
                reproduced = check(scen, res) and reproduced
            j = 0
            for p in found.index:
                for i, pid in enumerate(found.index[p]):
                    f = person_frame(res, j, int(pid), horizon)
                    f.insert(0, "scenario", scen)
                    per[p][i].append(Life.of(scen, f))
                    j += 1
    followed = []
    for p in personas:
        if p.key not in matches[0].index:
            continue
        who = [(k, int(pid)) for k, m in enumerate(matches) for pid in m.index[p.key]]
        if not who:
            continue
        group = [[path(life.events) for life in person] for cohort in lives for person in cohort[p.key]]
        typical = [typical_path([g[s] for g in group]) for s in range(len(names))]
        ability = np.array([matches[k].ability[pid] for k, pid in who])
        best = most_typical(group, typical, ability)
        k, pid = who[best]
        person = [person for cohort in lives for person in cohort[p.key]][best]
        followed.append(Followed(p, pid, float(matches[k].age[pid]), person, group=len(group),
                                 cohorts=len(replications), seed=int(replications[k][0].seed),
                                 typical={s: t for s, t in zip(names, typical)}))
    return followed, reproduced
