"""Outcomes, declared once, and the recorder that counts them month by month.

Definitions follow CBS's cohort statistics ("Asiel en integratie") so that model and data can be
compared: shares are of the permit cohort counted from each person's own permit month;
``employed``, ``benefit`` and the other parts of participation count people aged 18-64 at the
measurement date who live in the Netherlands; ``exam_*`` count those with an integration
obligation; housing, permits and ``left`` count everyone whose permit has begun, including those
who left (the targets schema, ``docs/targets_schema.md``). The headline outcome, ``participating``, is the client's: paid
work, education or other participation (volunteering, a participation job).

The recorder counts, for every month since the permit and every class of person (sex x origin x
education at arrival x age group), the denominators and numerators of all outcomes; groups such as
``origin=Syria`` or ``age=18-24`` are sums over classes, and any combination (``origin=Syria;sex=
female``) can be recovered from :meth:`Recorder.share`.

Stages (:data:`STAGES`, :class:`StageCounter`): for persons aged 18-64 at the measurement date whose
permit has begun, each person in exactly one (the first that applies, in this order): ``left`` the
Netherlands; ``work`` (employee or self-employed, any hours); ``education`` (enrolled in Dutch
education); ``learning`` (in a civic integration / language course); ``reception`` (waiting in
reception, none of the above); ``benefits`` (housed, on bijstand, none of the above);
``housed`` (housed, none of the above: for example living on a partner's earnings, or volunteering).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from model.people import Exam, Hours, Permit, Study
from model.population import ORIGINS

AGE_EDGES = (18, 25, 35, 45, 55, 65)
AGE_GROUPS = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
#: indices into AGE_GROUPS of the working ages (CBS: 18-64): the groups between the first edge and
#: the last
WORKING_AGES = tuple(range(1, len(AGE_EDGES)))
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
    # exclusive parts of participation: employed + education_only + other_only = participating
    Outcome("education_only", "In education, not working", "working_age", "maximise"),
    Outcome("other_only", "Other participation only (no work, no education)", "working_age", "maximise"),
    Outcome("full_time", "Working full-time", "working_age", "maximise"),
    Outcome("benefit", "On social assistance (bijstand)", "working_age", "minimise"),
    Outcome("belonging", "Feeling at home (index 0-100)", "working_age", "maximise", "index"),
    Outcome("poor_health", "Poor mental health", "working_age", "minimise"),
    Outcome("exam_passed", "Civic integration met by exam or route", "obliged", "maximise"),
    Outcome("exam_exempted", "Exempted from civic integration", "obliged", "none"),
    Outcome("own_home", "Housed in a municipality", "cohort", "maximise"),
    Outcome("in_reception", "Waiting in reception", "cohort", "minimise"),
    # residence security is the outcome with a direction; its parts have none (a scenario that
    # naturalises more people has fewer permanent permits, and that is not worse)
    Outcome("residence_secure", "Secure residence (permanent permit or Dutch citizen)", "cohort", "maximise"),
    Outcome("permanent_permit", "Permanent permit (not naturalised)", "cohort", "none"),
    Outcome("naturalised", "Naturalised (Dutch citizen)", "cohort", "maximise"),
    Outcome("left", "Left the Netherlands", "cohort", "none"),
)
OUTCOME_NAMES = tuple(o.name for o in OUTCOMES)
BY_NAME = {o.name: o for o in OUTCOMES}


class Recorder:
    """Counts per (month since permit, person class) for every outcome and denominator.

    Args:
        people: the model's people (static attributes are read once).
        horizon: last month since the permit that is recorded.
        age_edges: the ages (whole years, increasing) at which an age group begins after the
            first (which begins at 0); the model's :data:`AGE_EDGES` unless a reader needs finer
            groups (a targets file's ``age=18-23``: ``experiments.evidence.target_values``).
            Must hold the working ages' edges, 18 and 65.
    """

    #: 0/1 columns counted person by person, each a function of one of two small codes a person
    #: has every month: their work and education situation if of working age (``_CODE_A``), or
    #: where they live with their obligation and permit (``_CODE_B``). ``cohort`` is everyone
    #: recorded. The other columns are derived in :meth:`cube`: present = own_home + in_reception
    #: (the only places a person whose permit has begun can be in the Netherlands), left = cohort -
    #: present, working_age = present in the age groups 18-64 (the age group is part of the bin),
    #: and the sums of exclusive parts: participating = employed + education_only + other_only,
    #: residence_secure = permanent_permit + naturalised
    COUNTED_A = ("employed", "in_education", "volunteering", "education_only", "other_only",
                 "full_time", "benefit", "poor_health")
    COUNTED_B = ("cohort", "obliged", "exam_passed", "exam_exempted", "own_home", "in_reception",
                 "permanent_permit", "naturalised")

    def __init__(self, people, horizon: int, age_edges: tuple[int, ...] = AGE_EDGES) -> None:
        self.people = people
        self.horizon = horizon
        self.age_edges = tuple(int(e) for e in age_edges)
        #: the edges that bound the working ages 18-64 (indices into age_edges)
        self._working = (self.age_edges.index(AGE_EDGES[0]), self.age_edges.index(AGE_EDGES[-1]))
        n_age = len(self.age_edges) + 1
        self.n_static = len(SEXES) * len(ORIGINS) * len(EDUCATIONS)
        self.n_class = self.n_static * n_age
        self._pm = people.permit_month
        static = (people.sex.astype(np.int64) * len(ORIGINS) + people.origin) * len(EDUCATIONS) \
            + people.education
        #: bin of each person at month 0 (month since permit -permit_month, their class, age
        #: group 0): a month's bin adds the month and the age group
        self._base_key = static * n_age - people.permit_month.astype(np.int64) * self.n_class
        size = (horizon + 1) * self.n_class
        self.columns = ("working_age", "obliged", "present", "cohort") + OUTCOME_NAMES
        self._edges = np.array(self.age_edges, dtype=np.float32)
        # 0/1 columns are counted several at a time: weights f0 + f1 * B + f2 * B^2 + ..., with B
        # larger than any bin's count over the whole run (a bin holds one month since the permit
        # and one class, so it counts each person of that class at most once), so every column's
        # count is recovered exactly at the end (float64 holds integers exactly up to 2^53). The
        # weight of each code is looked up in a table made once
        largest = int(np.bincount(static, minlength=self.n_static).max())
        bits = max(largest.bit_length(), 1)
        per = max(53 // bits, 1)
        self._groups, tables = [], []
        for names, code_flags in ((self.COUNTED_A, _flags_a), (self.COUNTED_B, _flags_b)):
            flags = code_flags()
            for k in range(0, len(names), per):
                group = names[k: k + per]
                self._groups.append(group)
                tables.append(sum(flags[n] * float(2 ** (bits * j)) for j, n in enumerate(group)))
        self._n_a = -(-len(self.COUNTED_A) // per)  #: how many groups count code A
        self._tables = tables
        #: the same weights as one array, code x group (code A's 64 codes padded to code B's 128)
        self._weights = np.zeros((128, len(tables)))
        for g, table in enumerate(tables):
            self._weights[: len(table), g] = table
        self._scales = [float(2 ** (bits * k)) for k in range(per)]
        self._packed = np.zeros((len(self._groups), size))
        self._belonging_sum = np.zeros(size)

    def window(self, now) -> tuple[int, int]:
        """The bins a month touches: the first month since the permit that occurs this month and
        how many bins from its first (a few years' worth of months, times the classes; 0: none)."""
        s = now.live
        if s.stop <= s.start:
            return 0, 0
        pm = self._pm[s]
        r0 = max(0, now.t - int(pm.max()))
        return r0, (min(self.horizon, now.t - int(pm.min())) - r0 + 1) * self.n_class

    def record(self, now) -> None:
        """Count the month of ``now`` (a :class:`model.people.Month`) for the persons whose own
        permit began at most ``horizon`` months ago (its range ``live`` must hold all of them)."""
        ppl, t, s = self.people, now.t, now.live
        r0, span = self.window(now)
        if span <= 0:
            return
        # one compiled pass (:func:`_count_month`) counts everyone's bin of this month
        out = slice(r0 * self.n_class, r0 * self.n_class + span)
        self._belonging_sum[out] += _count_month(
            self._base_key, (t - r0) * self.n_class, span, s.start, now.age, self._edges,
            self._working[0], self._working[1], now.housed, now.in_reception, now.present,
            ppl.employed, ppl.study, ppl.volunteering, ppl.hours, ppl.on_benefit, ppl.poor_health,
            ppl.obliged, ppl.exam, ppl.permit, ppl.belonging, self._weights, self._n_a,
            self._packed[:, out])

    # ---- reading the counts -------------------------------------------------------------------
    def cube(self) -> np.ndarray:
        """Counts as an array (column, month, sex, origin, education, age group)."""
        col = self.columns.index
        counts = np.zeros((len(self.columns), self._packed.shape[1]))
        for g, names in enumerate(self._groups):
            packed = self._packed[g].copy()
            for name, scale in reversed(list(zip(names, self._scales))):
                counts[col(name)] = np.floor(packed / scale)
                packed -= counts[col(name)] * scale
        counts[col("belonging")] = self._belonging_sum
        counts[col("participating")] = (counts[col("employed")] + counts[col("education_only")]
                                        + counts[col("other_only")])
        counts[col("residence_secure")] = counts[col("permanent_permit")] + counts[col("naturalised")]
        present = counts[col("own_home")] + counts[col("in_reception")]
        counts[col("present")] = present
        counts[col("left")] = counts[col("cohort")] - present
        n_age = len(self.age_edges) + 1
        working_ages = (np.arange(n_age) > self._working[0]) & (np.arange(n_age) <= self._working[1])
        counts[col("working_age")] = (present.reshape(-1, n_age) * working_ages).ravel()
        return counts.reshape(len(self.columns), self.horizon + 1, len(SEXES), len(ORIGINS),
                              len(EDUCATIONS), n_age)


def _flags_a() -> dict[str, np.ndarray]:
    """Each 0/1 column counted from code A, as a 0/1 table over the 64 values of the code."""
    c = np.arange(64)
    emp, study, vol, ft, benefit, poor = ((c >> k) & 1 for k in range(6))
    return {"employed": emp, "in_education": study, "volunteering": vol,
            "education_only": study & ~emp & 1, "other_only": vol & ~emp & ~study & 1,
            "full_time": ft, "benefit": benefit, "poor_health": poor}


def _flags_b() -> dict[str, np.ndarray]:
    """Each 0/1 column counted from code B, as a 0/1 table over the 128 values of the code."""
    c = np.arange(128)
    housed, in_rec = c & 1, (c >> 1) & 1
    obliged, exam, permit = (c >> 2) & 1, (c >> 3) & 3, (c >> 5) & 3
    return {"cohort": np.ones_like(c), "obliged": obliged,
            "exam_passed": obliged * (exam == Exam.PASSED), "exam_exempted": obliged * (exam == Exam.EXEMPTED),
            "own_home": housed, "in_reception": in_rec,
            "permanent_permit": (permit == Permit.PERMANENT) * 1, "naturalised": (permit == Permit.CITIZEN) * 1}


def group_mask(group: str, age_edges: tuple[int, ...] = AGE_EDGES
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Boolean masks over (sex, origin, education, age group) for a group such as
    ``all``, ``origin=Syria;sex=female`` or ``age=18-24``.

    ``age=LOW-HIGH`` selects the age groups (those that begin at 0 and at each of ``age_edges``:
    the model's unless a :class:`Recorder` was given others) that lie within [LOW, HIGH]; raises
    ValueError naming what is allowed for anything it does not know.
    """
    sex = np.ones(len(SEXES), bool)
    origin = np.ones(len(ORIGINS), bool)
    edu = np.ones(len(EDUCATIONS), bool)
    age = np.ones(len(age_edges) + 1, bool)
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
            lows, highs = _age_bounds(age_edges)
            if lo not in lows or (hi not in highs and hi < 65):
                raise ValueError(f"age={v!r}: expected a range on the model's age-group edges "
                                 f"({', '.join(AGE_GROUPS)}), such as 18-24, 25-64 or 18-64")
            sel = (lows >= lo) & (highs <= hi)
            age = age & sel
        else:
            raise ValueError(f"group key {k!r}: expected one of sex, origin, education, age")
    return sex, origin, edu, age


def _age_bounds(age_edges: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The first and last whole year of each age group (200 for the last, which has no end)."""
    return (np.array((0,) + tuple(age_edges)),
            np.array(tuple(e - 1 for e in age_edges) + (200,)))


def shares(cube: np.ndarray, columns: tuple[str, ...], outcome: str, group: str,
           age_edges: tuple[int, ...] = AGE_EDGES) -> tuple[np.ndarray, np.ndarray]:
    """Share (percent, or index for means) of ``outcome`` in ``group`` for every month, and the
    denominator (persons) behind each month. ``age_edges``: the :class:`Recorder`'s that made
    ``cube``."""
    o = BY_NAME[outcome]
    sex, origin, edu, age = group_mask(group, age_edges)
    if o.denominator == "working_age":
        lows = _age_bounds(age_edges)[0]
        age = age & (lows >= AGE_EDGES[0]) & (lows < AGE_EDGES[-1])
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


# ---- stages of the pathway -----------------------------------------------------------------------
#: stages in the order of the pathway (bottom to top of the stacked chart); see the module docstring
STAGES = ("reception", "housed", "benefits", "learning", "education", "work", "left")


class StageCounter:
    """Counts persons by stage (:data:`STAGES`) and month since the permit.

    :meth:`count` reads a model's person arrays after a month's pathways and recording, so it
    changes nothing in the run.
    """

    def __init__(self, horizon: int) -> None:
        self.horizon = int(horizon)
        self.counts = np.zeros((len(STAGES), self.horizon + 1))

    def count(self, model, t: int) -> None:
        """Add month ``t`` of ``model`` (an :class:`model.model.IntegrationModel`)."""
        ppl, now = model.people, model.now
        s = now.live  # holds everyone within the horizon (model.model)
        rel = t - ppl.permit_month[s].astype(np.int64)
        active = (rel >= 0) & (rel <= self.horizon) & (now.age >= 18) & (now.age < 65)
        if not active.any():
            return
        pos = active.nonzero()[0]
        stage = np.full(len(pos), STAGES.index("housed"), dtype=np.int64)
        # assigned from the last rule to the first, so the first rule that applies wins
        idx = s.start + pos
        stage[now.housed[pos] & ppl.on_benefit[idx]] = STAGES.index("benefits")
        stage[now.in_reception[pos]] = STAGES.index("reception")
        stage[ppl.in_course[idx]] = STAGES.index("learning")
        stage[ppl.study[idx] == Study.ENROLLED] = STAGES.index("education")
        stage[ppl.employed[idx]] = STAGES.index("work")
        stage[~now.present[pos]] = STAGES.index("left")  # whose permit has begun and who is not here
        key = stage * (self.horizon + 1) + rel[pos]
        self.counts += np.bincount(key, minlength=self.counts.size).reshape(self.counts.shape)


def stages_table(counts: np.ndarray):
    """Tidy stage shares (month, stage, share %, n persons counted that month) as a DataFrame."""
    import pandas as pd

    total = counts.sum(axis=0)
    rows = []
    for i, s in enumerate(STAGES):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, 100.0 * counts[i] / np.maximum(total, 1), np.nan)
        rows.append(pd.DataFrame({"month": np.arange(counts.shape[1]), "stage": s,
                                  "share": np.round(share, 4), "n": total.astype(np.int64)}))
    return pd.concat(rows, ignore_index=True)


_ENROLLED, _FULL_TIME = np.int8(Study.ENROLLED.value), np.int8(Hours.FULL_TIME.value)


@numba.njit(cache=True, nogil=True)
def _count_month(base_key, offset, span, start, age, edges, lo, hi, housed, in_reception, present,
                 employed, study, volunteering, hours, on_benefit, poor_health, obliged, exam,
                 permit, belonging, weights, n_a, packed):  # pragma: no cover - compiled
    """One month's counts for the live range from ``start`` (:meth:`Recorder.record`): adds the
    packed 0/1 columns to ``packed`` (group x bin: whole numbers, exact in any order) and returns
    the month's sum of belonging by bin (added to the total by the caller, as before), for bins
    ``0 ... span - 1`` of the month's first month since the permit.

    A person's bin is their class's bin at month 0 plus ``offset`` plus their age group, the
    number of age edges reached (whole years: age >= an edge exactly when its whole years are);
    a person whose bin falls outside the span is not recorded this month. Code B (bits 0-1 housed,
    in reception; for the present bits 2-4 obliged + 2 x Exam, bits 5-6 Permit) is counted for
    everyone recorded, code A (employed, studying, volunteering, full-time, on benefit, poor
    health: bits 0-5) and belonging for the working-age present (18-64: edge ``lo`` reached,
    ``hi`` not) alone: for the others their weights are multiplied by 0, which adds exactly
    nothing. Sums run over persons in order, as ``bincount`` did, so even belonging's float sums
    are the same to the bit."""
    n = age.shape[0]
    # the range's part of each person array, indexed from 0 (no wrap-around checks)
    base_key = base_key[start:start + n]
    employed, study, volunteering = employed[start:start + n], study[start:start + n], volunteering[start:start + n]
    hours, on_benefit, poor_health = hours[start:start + n], on_benefit[start:start + n], poor_health[start:start + n]
    obliged, exam, permit = obliged[start:start + n], exam[start:start + n], permit[start:start + n]
    belonging = belonging[start:start + n]
    n_groups = weights.shape[1]
    bel = np.zeros(span)
    for i in range(n):
        a = age[i]
        reached = 0
        for e in range(edges.shape[0]):
            reached += a >= edges[e]
        key = base_key[i] + offset + reached
        if key < 0 or key >= span:
            continue
        k = np.uint64(key)
        here = present[i]
        code_b = (np.int64(housed[i]) | (np.int64(in_reception[i]) << 1)
                  | (np.int64(here) * ((np.int64(obliged[i]) << 2) | (np.int64(exam[i]) << 3)
                                       | (np.int64(permit[i]) << 5))))
        wa = here & (reached > lo) & (reached <= hi)
        code_a = (np.int64(employed[i]) | (np.int64(study[i] == _ENROLLED) << 1)
                  | (np.int64(volunteering[i]) << 2) | (np.int64(hours[i] == _FULL_TIME) << 3)
                  | (np.int64(on_benefit[i]) << 4) | (np.int64(poor_health[i]) << 5))
        w_a = np.float64(wa)
        for g in range(n_a):
            packed[g, k] += weights[np.uint64(code_a), g] * w_a
        for g in range(n_a, n_groups):
            packed[g, k] += weights[np.uint64(code_b), g]
        bel[k] += belonging[i] * w_a
    return bel
