"""Outcomes, declared once, and the recorder that counts them month by month.

Definitions follow CBS's cohort statistics ("Asiel en integratie") so that model and data can be
compared: shares are of the permit cohort counted from each person's own permit month;
``employed`` and ``benefit`` count people aged 18-64 at the measurement date; ``exam_*`` count those
with an integration obligation; the others count everyone still in the Netherlands (``left``:
everyone whose permit has begun). The headline outcome, ``participating``, is the client's: paid
work, education or other participation (volunteering, a participation job).

The recorder counts, for every month since the permit and every class of person (sex x origin x
education at arrival x age group), the denominators and numerators of all outcomes; groups such as
``origin=Syria`` or ``age=18-24`` are sums over classes, and any combination (``origin=Syria;sex=
female``) can be recovered from :meth:`Recorder.share`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.people import Exam, Hours, Permit, Residence, Sex, Study
from model.population import ORIGINS

AGE_EDGES = (18, 25, 35, 45, 55, 65)
AGE_GROUPS = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
WORKING_AGES = (1, 2, 3, 4, 5)  # indices of 18-64
SEXES = ("male", "female")
EDUCATIONS = ("low", "mid", "high")


@dataclass(frozen=True)
class Outcome:
    """A declared outcome.

    Attributes:
        name: column name, also used in targets files (``quantity``).
        label: for charts and reports.
        denominator: ``working_age`` (present, 18-64), ``obliged`` (present with an obligation),
            ``present`` (in the Netherlands), or ``cohort`` (everyone whose permit has begun).
        direction: ``maximise``, ``minimise`` or ``none`` (for policy comparisons).
        unit: ``%`` for shares, ``index`` for a 0-100 mean.
    """

    name: str
    label: str
    denominator: str
    direction: str
    unit: str = "%"


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("participating", "Participating (work, education or other)", "working_age", "maximise"),
    Outcome("employed", "Employed (CBS: any paid work, 18-64)", "working_age", "maximise"),
    Outcome("in_education", "In education", "working_age", "maximise"),
    Outcome("volunteering", "Other participation (volunteering)", "working_age", "maximise"),
    Outcome("full_time", "Working full-time", "working_age", "maximise"),
    Outcome("benefit", "On social assistance (bijstand)", "working_age", "minimise"),
    Outcome("belonging", "Feeling at home (index 0-100)", "working_age", "maximise", "index"),
    Outcome("poor_health", "Poor mental health", "working_age", "minimise"),
    Outcome("exam_passed", "Civic integration met by exam or route", "obliged", "maximise"),
    Outcome("exam_exempted", "Exempted from civic integration", "obliged", "none"),
    Outcome("own_home", "Housed in a municipality", "present", "maximise"),
    Outcome("in_reception", "Waiting in reception", "present", "minimise"),
    Outcome("permanent_permit", "Permanent permit", "present", "maximise"),
    Outcome("naturalised", "Naturalised", "present", "maximise"),
    Outcome("left", "Left the Netherlands", "cohort", "none"),
)
OUTCOME_NAMES = tuple(o.name for o in OUTCOMES)
BY_NAME = {o.name: o for o in OUTCOMES}
_DENOMS = ("working_age", "obliged", "present", "cohort")


class Recorder:
    """Counts per (month since permit, person class) for every outcome and denominator.

    Args:
        people: the model's people (static attributes are read once).
        horizon: last month since the permit that is recorded.
    """

    def __init__(self, people, horizon: int) -> None:
        self.people = people
        self.horizon = horizon
        self.n_static = len(SEXES) * len(ORIGINS) * len(EDUCATIONS)
        self.n_class = self.n_static * len(AGE_GROUPS)
        static = (people.sex.astype(np.int64) * len(ORIGINS) + people.origin) * len(EDUCATIONS) \
            + people.education
        self.static_class = static * len(AGE_GROUPS)
        size = (horizon + 1) * self.n_class
        self.columns = ("working_age", "obliged", "present", "cohort") + OUTCOME_NAMES
        self.counts = np.zeros((len(self.columns), size))
        self._size = size
        self._edges = np.array(AGE_EDGES, dtype=np.float32)

    def record(self, t: int) -> None:
        """Count month ``t`` for everyone whose permit month is within the horizon."""
        ppl = self.people
        rel = t - ppl.permit_month.astype(np.int64)
        active = (rel >= 0) & (rel <= self.horizon)
        if not active.any():
            return
        idx = np.flatnonzero(active)
        age = ppl.age0[idx] + np.float32(t / 12.0)
        agegrp = np.searchsorted(self._edges, age, side="right")
        key = rel[idx] * self.n_class + self.static_class[idx] + agegrp
        res = ppl.residence[idx]
        present = (res == Residence.RECEPTION) | (res == Residence.HOUSED)
        wa = present & (agegrp >= 1) & (agegrp <= 5)
        emp = ppl.employed[idx]
        study = ppl.study[idx] == Study.ENROLLED
        vol = ppl.volunteering[idx]
        exam = ppl.exam[idx]
        obliged = present & ppl.obliged[idx]
        permit = ppl.permit[idx]
        cols = {
            "working_age": wa, "obliged": obliged, "present": present,
            "cohort": None,
            "participating": wa & (emp | study | vol),
            "employed": wa & emp,
            "in_education": wa & study,
            "volunteering": wa & vol,
            "full_time": wa & (ppl.hours[idx] == Hours.FULL_TIME),
            "benefit": wa & ppl.on_benefit[idx],
            "belonging": np.where(wa, ppl.belonging[idx], 0.0),
            "poor_health": wa & ppl.poor_health[idx],
            "exam_passed": obliged & (exam == Exam.PASSED),
            "exam_exempted": obliged & (exam == Exam.EXEMPTED),
            "own_home": res == Residence.HOUSED,
            "in_reception": res == Residence.RECEPTION,
            "permanent_permit": present & (permit == Permit.PERMANENT),
            "naturalised": present & (permit == Permit.CITIZEN),
            "left": res == Residence.LEFT,
        }
        for i, name in enumerate(self.columns):
            w = cols[name]
            if w is None:
                self.counts[i] += np.bincount(key, minlength=self._size)
            else:
                self.counts[i] += np.bincount(key, weights=w, minlength=self._size)

    # ---- reading the counts -------------------------------------------------------------------
    def cube(self) -> np.ndarray:
        """Counts as an array (column, month, sex, origin, education, age group)."""
        return self.counts.reshape(len(self.columns), self.horizon + 1, len(SEXES), len(ORIGINS),
                                   len(EDUCATIONS), len(AGE_GROUPS))


def group_mask(group: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Boolean masks over (sex, origin, education, age group) for a group such as
    ``all``, ``origin=Syria;sex=female`` or ``age=18-24``.

    ``age=LOW-HIGH`` selects the model's age groups that lie within [LOW, HIGH]; raises ValueError
    naming what is allowed for anything it does not know.
    """
    sex = np.ones(len(SEXES), bool)
    origin = np.ones(len(ORIGINS), bool)
    edu = np.ones(len(EDUCATIONS), bool)
    age = np.ones(len(AGE_GROUPS), bool)
    if group.strip() in ("", "all"):
        return sex, origin, edu, age
    for part in group.split(";"):
        if "=" not in part:
            raise ValueError(f"group part {part!r}: expected key=value")
        k, v = (s.strip() for s in part.split("=", 1))
        if k == "sex":
            if v not in SEXES:
                raise ValueError(f"sex={v!r}: expected one of {', '.join(SEXES)}")
            sex = sex & (np.array(SEXES) == v)
        elif k == "origin":
            if v not in ORIGINS:
                raise ValueError(f"origin={v!r}: expected one of {', '.join(ORIGINS)}")
            origin = origin & (np.array(ORIGINS) == v)
        elif k == "education":
            if v not in EDUCATIONS:
                raise ValueError(f"education={v!r}: expected one of {', '.join(EDUCATIONS)}")
            edu = edu & (np.array(EDUCATIONS) == v)
        elif k == "age":
            try:
                lo, hi = (float(x) for x in v.replace("+", "-200").split("-")[:2])
            except ValueError:
                raise ValueError(f"age={v!r}: expected LOW-HIGH in years, such as 18-24") from None
            lows = np.array([0, 18, 25, 35, 45, 55, 65])
            highs = np.array([17, 24, 34, 44, 54, 64, 200])
            sel = (lows >= lo) & (highs <= hi)
            if not sel.any():
                raise ValueError(f"age={v!r}: no model age group ({', '.join(AGE_GROUPS)}) lies within it")
            age = age & sel
        else:
            raise ValueError(f"group key {k!r}: expected one of sex, origin, education, age")
    return sex, origin, edu, age


def shares(cube: np.ndarray, columns: tuple[str, ...], outcome: str, group: str) -> tuple[np.ndarray, np.ndarray]:
    """Share (percent, or index for means) of ``outcome`` in ``group`` for every month, and the
    denominator (persons) behind each month."""
    o = BY_NAME[outcome]
    sex, origin, edu, age = group_mask(group)
    if o.denominator == "working_age":
        age = age & np.isin(np.arange(len(AGE_GROUPS)), WORKING_AGES)
    sel = np.ix_(sex, origin, edu, age)
    num = cube[columns.index(outcome)][(slice(None),) + sel].sum(axis=(1, 2, 3, 4))
    den = cube[columns.index(o.denominator)][(slice(None),) + sel].sum(axis=(1, 2, 3, 4))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(den > 0, 100.0 * num / np.maximum(den, 1e-12), np.nan)
    return value, den


def standard_groups() -> list[str]:
    """The breakdowns every run reports: all, by sex, origin, age group and education."""
    groups = ["all"] + [f"sex={s}" for s in SEXES] + [f"origin={o}" for o in ORIGINS]
    groups += [f"age={g}" for g in ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-200")]
    groups += [f"education={e}" for e in EDUCATIONS]
    return groups
