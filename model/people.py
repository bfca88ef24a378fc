"""Person state: every attribute of every person as one numpy array, each declared once.

A state is declared with its name, dtype, default and a label (unit and meaning). Statuses that
change are paired with the month they began (``ti_<status>``, in model months; ``NEVER`` = not entered), so
waiting times and durations are outcomes for free. The enumerations below are the only codes the
pathways use: each person is in exactly one value of each at every month. Compare arrays with a
code's ``.value`` (``study == Study.ENROLLED.value``): numpy takes an IntEnum member for a 64-bit
integer and widens the whole int8 array first, several times slower.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

NEVER = -32768  #: value of a ``ti_*`` array for a status not (yet) entered (int16 minimum)


class Sex(IntEnum):
    MALE = 0
    FEMALE = 1


class Education(IntEnum):
    """Education at arrival (ISCED-like, three levels)."""

    LOW = 0  #: none or primary only
    MID = 1  #: lower or upper secondary
    HIGH = 2  #: tertiary (higher vocational or university)


class Residence(IntEnum):
    """Housing pathway: where a person lives."""

    NOT_ARRIVED = 0  #: before the person's own permit: in the asylum procedure, or abroad (family)
    RECEPTION = 1  #: in an asylum reception centre (COA)
    HOUSED = 2  #: own home in a municipality
    LEFT = 3  #: emigrated (onward or return migration)


class Route(IntEnum):
    """Civic integration route, set at intake (law of 2021) or chosen by the person (law of 2013)."""

    NONE = 0  #: no intake yet, or no obligation (children, 65+)
    SELF_ARRANGED = 1  #: law of 2013: own course, DUO loan, exam at A2
    B1 = 2  #: law of 2021: language to B1 plus participation
    EDUCATION = 3  #: law of 2021: onderwijsroute towards MBO/HBO
    Z = 4  #: law of 2021: self-reliance route (A1 aim, no exam)


class Exam(IntEnum):
    """Civic integration obligation."""

    PENDING = 0  #: obligation not (yet) met
    PASSED = 1  #: exam passed (or Z route / education route completed)
    EXEMPTED = 2  #: exempted (health, proven effort, or no obligation)


class Study(IntEnum):
    """Education pathway (regular Dutch education, not the language course)."""

    NONE = 0
    ENROLLED = 1
    COMPLETED = 2  #: holds a Dutch diploma


class Permit(IntEnum):
    TEMPORARY = 0  #: asylum permit for a fixed term (5 years)
    PERMANENT = 1  #: permanent residence
    CITIZEN = 2  #: naturalised


class Hours(IntEnum):
    NONE = 0
    PART_TIME = 1  #: under 35 hours a week
    FULL_TIME = 2


@dataclass(frozen=True)
class State:
    """Declaration of one person-level array."""

    name: str
    dtype: type
    default: float | int | bool
    label: str


STATES: tuple[State, ...] = (
    # who the person is (set at initialisation, never changed)
    State("household", np.int32, 0, "household id (index into household arrays)"),
    State("is_primary", np.bool_, False, "the household member who applied for asylum (the sponsor)"),
    State("is_partner", np.bool_, False, "the primary's partner (couples); the two share a benefit"),
    State("sex", np.int8, 0, "Sex code"),
    State("origin", np.int8, 0, "origin code (index into model.population.ORIGINS)"),
    State("age0", np.float32, 0.0, "age at the cohort's start (years)"),
    State("education", np.int8, 0, "Education code at arrival"),
    State("literate", np.bool_, True, "can read and write in some script"),
    State("ability", np.float32, 0.0, "latent learning and earning ability (standard normal)"),
    State("prior_stay", np.float32, 0.0, "months lived in the Netherlands before the permit"),
    State("procedure", np.float32, 0.0, "months in reception before the permit (asylum procedure)"),
    State("permit_month", np.int16, 0, "model month the person's own permit began (family: arrival)"),
    State("municipality", np.int8, 0, "municipality (type) the person is linked to"),
    # housing pathway
    State("residence", np.int8, 0, "Residence code"),
    State("ti_reception", np.int16, NEVER, "month entered reception (may be before month 0)"),
    State("ti_housed", np.int16, NEVER, "month housed in a municipality"),
    State("ti_left", np.int16, NEVER, "month emigrated"),
    # health and belonging
    State("poor_health", np.bool_, False, "poor mental health (limits learning and work)"),
    State("ti_poor_health", np.int16, NEVER, "month the current health status (poor or recovered) began"),
    State("belonging", np.float32, 0.5, "sense of belonging / feeling at home, 0-1"),
    State("volunteering", np.bool_, False, "in other participation (volunteering, participation job)"),
    # intake and civic integration
    State("route", np.int8, 0, "Route code"),
    State("ti_intake", np.int16, NEVER, "month of the broad intake and personal plan (PIP)"),
    State("obliged", np.bool_, False, "has a civic integration obligation"),
    State("in_course", np.bool_, False, "attends a language / integration course"),
    State("ti_course", np.int16, NEVER, "month the current course began"),
    State("language", np.float32, 0.0, "Dutch proficiency: 0 none, 1 A1, 2 A2, 3 B1, 4 B2"),
    State("exam", np.int8, 0, "Exam code"),
    State("ti_exam", np.int16, NEVER, "month the obligation was met (passed or exempted)"),
    State("exam_attempts", np.int8, 0, "exam attempts so far"),
    State("fined", np.bool_, False, "fined for missing the civic integration term"),
    State("medical_exempt", np.bool_, False, "exempted from the obligation on medical grounds at intake"),
    State("diploma_recognised", np.bool_, False, "foreign qualification assessed and recognised"),
    # education
    State("study", np.int8, 0, "Study code"),
    State("ti_study", np.int16, NEVER, "month the current study status began"),
    # work and income
    State("employed", np.bool_, False, "employee or self-employed (CBS definition, any hours)"),
    State("ti_employed", np.int16, NEVER, "month the current work status (job or job loss) began"),
    State("ti_first_job", np.int16, NEVER, "month of the first job in the Netherlands"),
    State("hours", np.int8, 0, "Hours code"),
    State("good_match", np.bool_, False, "current job fits the person's education"),
    State("months_worked", np.int16, 0, "months in work in the Netherlands so far"),
    State("on_benefit", np.bool_, False, "receives social assistance (bijstand), alone or with a partner"),
    # permits
    State("permit", np.int8, 0, "Permit code"),
    State("ti_permit", np.int16, NEVER, "month the current permit status began"),
)


class People:
    """All persons' state, as arrays of length ``n`` (one element per person).

    Household-level arrays (indexed by household id) are in :class:`model.population.Households`.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        for s in STATES:
            setattr(self, s.name, np.full(n, s.default, dtype=s.dtype))

    def reorder(self, order: np.ndarray) -> None:
        """Put persons in the order ``order`` (a permutation of person indices)."""
        for s in STATES:
            setattr(self, s.name, getattr(self, s.name).take(order))

    def nbytes(self) -> int:
        """Memory held by person-level arrays (bytes)."""
        return sum(getattr(self, s.name).nbytes for s in STATES)


class Month:
    """What most pathways read about the persons followed in month ``t`` (the range ``live``),
    computed once a month instead of in every pathway: their age, and where they live.

    The residence masks are recomputed on first use after :meth:`moved`, which a pathway that
    changes anyone's residence must call (housing and permits do). The arrays are shared: read
    them, never change them in place.
    """

    def __init__(self, people: People, t: int, live: slice) -> None:
        self.t = t
        self.live = live
        self.age = people.age0[live] + np.float32(t / 12.0)  #: age in years
        self._people = people
        self._where: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def moved(self) -> None:
        """Residence has changed: the masks are recomputed when next read."""
        self._where = None

    def _masks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._where is None:
            res = self._people.residence[self.live]
            housed, in_reception = res == Residence.HOUSED.value, res == Residence.RECEPTION.value
            self._where = housed, in_reception, housed | in_reception
        return self._where

    @property
    def housed(self) -> np.ndarray:
        """Housed in a municipality."""
        return self._masks()[0]

    @property
    def in_reception(self) -> np.ndarray:
        """Waiting in a reception centre."""
        return self._masks()[1]

    @property
    def present(self) -> np.ndarray:
        """Arrived and not left: in reception or housed."""
        return self._masks()[2]
