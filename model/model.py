"""The integration model: a permit cohort, month by month, under a policy.

A run is a function of its configuration and seed (:func:`simulate`): no globals, no disk writes.
The Mesa ``Model`` owns the clock, the random streams, the municipalities (Mesa agents) and the data
collection; person state lives in arrays (:class:`model.people.People`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import mesa
import numpy as np

from model import municipality, population
from model.config import RunConfig
from model.context import Context
from model.costs import Costs
from model.outcomes import Recorder
from model.pathways import PATHWAYS
from model.policy import LEVERS, Policy
from model.people import STATES, Month
from model.rng import CommonRandom

# Mesa logs every step of every model at INFO ("Step N at time N"); with hundreds of months per
# run and many runs that drowns what users need to read. Warnings still come through.
logging.getLogger("MESA.mesa.model").setLevel(logging.WARNING)

#: implementation quality of today's practice (the lever's default); support and course quality
#: are expressed relative to it
REFERENCE_QUALITY = next(p.default for p in LEVERS if p.name == "implementation_quality")


class IntegrationModel(mesa.Model):
    """A permit cohort under one policy.

    Each month ``t`` (model month 0 = January of the permit year), in this order:

    1. housing: persons whose own permit begins join the cohort (permit holders in reception,
       family members into the sponsor's home or reception); households waiting in reception get
       homes, up to each municipality's supply this month;
    2. health: onset of poor mental health (high while waiting in reception), recovery once housed;
    3. intake: the obligation starts; under the law of 2021 the broad intake and personal plan
       (timing, route, recognition of qualifications);
    4. language: course starts and drop-outs, learning, exams, the term, exemptions and fines;
    5. education: school for children, enrolment, completion and drop-out of adults;
    6. work: job losses, then job finding and hours;
    7. income: household earnings against the bijstand norm; costs of the month are booked;
    8. permits: permanent permits, naturalisation, leaving the country;
    9. belonging: feeling at home moves towards the person's situation; other participation;
    10. record: outcomes counted by months since each person's own permit.

    Within a month each pathway sees the state the earlier ones left (the order is a modelling
    assumption: for example a person housed this month can have an intake this month).

    Each person is recorded from their own permit for ``population.horizon_months`` months, and a
    household is followed as long as any of its members is recorded, so that nobody recorded ever
    shares a household with someone whose state has stopped. The pathways work on :attr:`live`,
    the persons of the households followed this month (households are ordered by their last
    member's permit month, so it is one slice of every array); afterwards a household keeps its
    state, except that the housing queue, shared by everyone, still serves it (:attr:`arrived`).
    So the horizon is only a window: a shorter one changes no earlier month.

    Args:
        config: a validated :class:`model.config.RunConfig`.
        trace: person indices whose full state is kept every month (for persons' stories).
    """

    def __init__(self, config: RunConfig, trace: list[int] | None = None,
                 shadow: bool = False, reference: "IntegrationModel | None" = None) -> None:
        super().__init__(rng=config.seed)
        self.config = config
        self.params = config.params
        pop = config.population
        year = int(pop.permit_year)
        self.policy = Policy(config.policy, year, config.params.intake.staff_capacity)
        self.streams = CommonRandom(config.seed, int(pop.size))
        self.months = int(pop.horizon_months) + 12 + 24 + 1  # permits spread over a year, family later
        self.context = Context(config.context, year, self.months)
        self.people, self.households = population.build(
            pop, year, self.streams.generator("population"), self.context.procedure_scale,
            self.context.extra_procedure_months)
        self.reference_quality = REFERENCE_QUALITY
        self.municipalities = municipality.create(self, self.policy, REFERENCE_QUALITY)
        self.muni_support = np.array([m.support for m in self.municipalities])
        #: social guidance's effective strength (D2) on drop-out and recovery: the setting to the
        #: power of its declared strength (``params.language.guidance_elasticity``)
        self.guidance = self.policy.social_guidance ** config.params.language.guidance_elasticity
        municipality.place(self.people, self.households, self.municipalities,
                           self.policy.placement,
                           self.streams.uniform("placement", -1)[: len(self.households.size)],
                           config.context.tightness_elasticity, config.params.work)
        self.costs = Costs(config.costs, self.months, self.policy)
        #: under a national policy, earlier status holders get the policy too and compete for the
        #: same jobs: the same cohort without the policy (same seed, parameters and context) runs
        #: alongside, so the work pathway can tell how much harder the policy makes newcomers
        #: search (its displacement); None for the baseline, a pilot, or a shadow itself
        self.shadow = None
        #: whether this model steps its shadow (False: the shadow is a run of its own, a
        #: ``reference`` that the caller steps first, see :func:`simulate_together`)
        self.steps_shadow = False
        if not shadow and self.policy.scope == "national" and not default_policy(config):
            if reference is not None and same_cohort(reference.config, without_policy(config)):
                self.shadow = reference
            else:
                self.shadow = IntegrationModel(without_policy(config), shadow=True)
                self.steps_shadow = True
        self.pathways = [cls(self) for _, cls in PATHWAYS]
        for pw in self.pathways:
            pw.initialise()
        #: counts of the outcomes (a shadow records nothing: only its search is read)
        self.recorder = None if shadow else Recorder(self.people, int(pop.horizon_months))
        # households are ordered by their last member's permit month (model.population), so the
        # persons a month concerns are contiguous: from the first household whose last member is
        # still within the horizon to the last household with a member whose permit has begun
        last = self.households.last_permit[self.people.household]
        lag = int((last - self.people.permit_month).max(initial=0))  # longest family delay
        months = np.arange(self.months)
        self._arrived_end = np.searchsorted(last, months + lag, side="right")
        self._live_start = np.searchsorted(last, months - int(pop.horizon_months), side="left")
        self.live = slice(0, 0)  #: persons of the households followed this month (a range)
        self.now: Month | None = None  #: this month's ages and residence masks of ``live``
        self.arrived = slice(0, 0)  #: everyone whose permit may have begun, followed or not
        self.is_shadow = shadow
        self.trace_ids = np.asarray(trace if trace is not None else [], dtype=np.int64)
        self.traces: dict[str, list] = {s.name: [] for s in STATES} if len(self.trace_ids) else {}
        self.t = 0

    def step(self) -> None:
        """Advance one month (the order is in the class docstring)."""
        t = self.t
        self.arrived = slice(0, int(self._arrived_end[t]))
        self.live = slice(int(self._live_start[t]), self.arrived.stop)
        self.now = Month(self.people, t, self.live)
        if self.steps_shadow:
            self.shadow.step()
        elif self.shadow is not None and self.shadow.t != t + 1:
            raise RuntimeError("a shared displacement reference must be stepped before the runs that read it")
        for pw in self.pathways:
            pw.step(t)
        if self.is_shadow:
            self.t += 1
            return
        self.recorder.record(self.now)
        if self.traces:
            for name, rows in self.traces.items():
                rows.append(getattr(self.people, name)[self.trace_ids].copy())
        self.t += 1

    def run(self) -> "RunResult":
        """Run every month and return the results."""
        while self.t < self.months:
            self.step()
        return RunResult.from_model(self)


def default_policy(config: RunConfig) -> bool:
    """Whether every lever that changes behaviour is at its declared default (today's policy)."""
    return all(getattr(config.policy, p.name) == p.default for p in LEVERS if p.name != "scope")


def without_policy(config: RunConfig) -> RunConfig:
    """The same run with every lever at today's policy (the displacement reference)."""
    return config.with_values({f"policy.{p.name}": p.default for p in LEVERS})


def same_cohort(a: RunConfig, b: RunConfig) -> bool:
    """Whether two configurations make the same run (seed and every model value; names and
    descriptions aside)."""
    from dataclasses import astuple  # by value: each build makes its own dataclass types

    parts = ("population", "context", "costs", "params", "policy")
    return a.seed == b.seed and all(astuple(getattr(a, p)) == astuple(getattr(b, p)) for p in parts)


@dataclass
class RunResult:
    """What a run produces (all in memory; :mod:`experiments.run` writes it to disk).

    Attributes:
        config: the validated configuration.
        law: the civic integration law the run used.
        columns: names of the count columns in ``cube``.
        cube: counts (column, month since permit, sex, origin, education, age group).
        costs: EUR per model month, by item.
        months_to_home: per person who went through reception, months from permit to a home
            (NaN if none within the horizon).
        months_to_job: per adult (18-64 at the permit), months from permit to the first job
            (NaN if none within the horizon).
        permit_month: per person, the model month of their own permit.
        traces: for traced persons, each state as an array (model month, traced person).
        trace_ids: the traced persons' indices.
    """

    config: RunConfig
    law: str
    columns: tuple
    cube: np.ndarray
    costs: dict
    months_to_home: np.ndarray
    months_to_job: np.ndarray
    permit_month: np.ndarray
    traces: dict
    trace_ids: np.ndarray

    @classmethod
    def from_model(cls, m: IntegrationModel) -> "RunResult":
        ppl = m.people
        from model.people import NEVER, Residence

        # everyone who waited in reception after their permit; NaN = not housed within the horizon
        horizon = int(m.config.population.horizon_months)
        went = (ppl.ti_reception != NEVER) & (ppl.residence != Residence.NOT_ARRIVED)
        to_home = (ppl.ti_housed - ppl.permit_month)[went].astype(float)
        to_home[(ppl.ti_housed[went] == NEVER) | (to_home > horizon)] = np.nan
        age_at_permit = ppl.age0 + ppl.permit_month / 12.0
        adult = (age_at_permit >= 18) & (age_at_permit < 65)
        job = (ppl.ti_first_job - ppl.permit_month)[adult].astype(float)
        job[(ppl.ti_first_job[adult] == NEVER) | (job > horizon)] = np.nan
        return cls(config=m.config, law=m.policy.law, columns=m.recorder.columns,
                   cube=m.recorder.cube(), costs={k: v.copy() for k, v in m.costs.totals.items()},
                   months_to_home=np.maximum(to_home, 0), months_to_job=job,
                   permit_month=ppl.permit_month.copy(),
                   traces={k: np.array(v) for k, v in m.traces.items()}, trace_ids=m.trace_ids)

    def share(self, outcome: str, group: str = "all") -> np.ndarray:
        """Monthly share (%) of ``outcome`` in ``group``, indexed by months since the permit."""
        from model.outcomes import shares

        return shares(self.cube, self.columns, outcome, group)[0]


def build_together(configs: list[RunConfig], factory=None, traces=None) -> list[IntegrationModel]:
    """Models for ``configs`` that share their displacement reference: a national policy's run
    reads the search of the same cohort under today's levers (its shadow); when that run is one
    of ``configs`` it is the shadow, so it is computed once rather than once more per policy.

    Args:
        factory: the model class (default :class:`IntegrationModel`; it must take ``reference``).
        traces: per config, person indices to follow (or None).

    Returns:
        The models in the order of ``configs``; step them with :func:`step_together`.
    """
    factory = factory or IntegrationModel
    traces = traces or [None] * len(configs)
    models: list[IntegrationModel | None] = [None] * len(configs)
    for i, c in enumerate(configs):  # today's policy first: they are the others' references
        if default_policy(c):
            models[i] = factory(c, traces[i])
    refs = [m for m in models if m is not None]
    for i, c in enumerate(configs):
        if models[i] is None:
            ref = next((r for r in refs if same_cohort(r.config, without_policy(c))), None)
            models[i] = factory(c, traces[i], reference=ref)
    return models


def step_together(models: list[IntegrationModel]) -> None:
    """Run models built by :func:`build_together` to their end, month by month, references
    first (a reference's month must be done before the runs that read it)."""
    order = sorted(models, key=lambda m: m.shadow is not None and not m.steps_shadow)
    while any(m.t < m.months for m in order):
        for m in order:
            if m.t < m.months:
                m.step()


def simulate_together(configs: list[RunConfig]) -> list[RunResult]:
    """Run several configurations of one cohort, sharing the displacement reference (see
    :func:`build_together`); each result is identical to :func:`simulate` of its config."""
    models = build_together(configs)
    step_together(models)
    return [RunResult.from_model(m) for m in models]


def simulate(config: RunConfig, trace: list[int] | None = None) -> RunResult:
    """Run one configuration (a pure function of the config and its seed).

    Args:
        trace: person indices to follow month by month (``RunResult.traces``).
    """
    return IntegrationModel(config, trace).run()
