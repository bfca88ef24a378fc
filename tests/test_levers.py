"""Policy levers move their target outcomes in the direction the evidence says.

Every lever declared in :data:`model.policy.LEVERS` has a test here (enforced by
:func:`test_every_lever_has_a_direction_test`). A test compares a run with the lever changed against
the baseline on the *same seed*: the common random numbers make the two runs differ only through
the policy, so the effect is measured person by person. For an outcome measured at M months since
each person's own permit, the effect is the mean over persons of (outcome with the lever - outcome
without), among persons in the outcome's denominator in both runs, in percentage points (index
points for belonging). Its standard error is the household-cluster-robust standard error of that
mean (members of a household are housed together and share a municipality), so the test asks for

    expected direction  and  |effect| > 3 standard errors  and  |effect| < an upper bound,

where the upper bound is 30 points (an implausibly large effect for one lever) unless the mechanism
gives a tighter logical bound. ``test_paired_standard_error_matches_seed_to_seed_spread`` (slow)
checks that this standard error agrees with the spread of the effect over independent seeds.

Expected directions come from /work/shared/domain.md (demands D1-D11 and the evidence table); where
the brief states no direction, the lever's own declared mechanism (model/policy.py doc) is tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pytest
from scipy.stats import norm

from model.municipality import create as create_municipalities
from model.people import NEVER, Education, Exam, Hours, Permit, Residence, Route
from model.policy import LEVERS, Policy

#: direction tests run as a pilot (no staff limit, no displacement of other newcomers) with every
#: lever strength at the strong end of its range, so that each mechanism's direction shows clearly;
#: the sizes the evidence supports are tested in tests/test_evidence_bounds.py
BASE = ("population.size=5000", "population.horizon_months=96", "policy.scope=pilot",
        "params.work.coaching_max_gain=2.1", "params.work.employer_response=0.9",
        "params.work.max_speed_gain=2.2",
        "params.work.discrimination_response=0.5", "params.work.dual_track_relief=0.2",
        "params.work.local_demand_effect=0.4", "params.language.guidance_elasticity=0.3",
        "params.language.reception_seats=0.18", "params.language.reception_learning=0.45",
        "params.language.quality_elasticity=0.6", "params.language.course_quality_elasticity=0.6",
        "params.language.contact_elasticity=0.4")
MONTHS = (12, 24, 36, 48, 72, 96)
BOUND = 30.0  #: points: no single lever should move a share by this much


# ---- outcomes (CBS definitions, as model/outcomes.py) ------------------------------------------
def _present(a):
    return (a["residence"] == Residence.RECEPTION) | (a["residence"] == Residence.HOUSED)


def _working_age(a):
    return _present(a) & (a["age"] >= 18) & (a["age"] < 65)


def _obliged(a):
    return _present(a) & a["obliged"]


OUTCOMES = {
    # name: (value, denominator) from a person snapshot
    "employed": lambda a: (a["employed"], _working_age(a)),
    "full_time": lambda a: (a["hours"] == Hours.FULL_TIME, _working_age(a)),
    "benefit": lambda a: (a["on_benefit"], _working_age(a)),
    "good_match": lambda a: (a["good_match"], _working_age(a)),
    "belonging": lambda a: (a["belonging"].astype(np.float64), _working_age(a)),
    "poor_health": lambda a: (a["poor_health"], _working_age(a)),
    "language": lambda a: (a["language"].astype(np.float64), _working_age(a)),
    "exam_passed": lambda a: (a["exam"] == Exam.PASSED, _obliged(a)),
    "obligation_met": lambda a: (a["exam"] != Exam.PENDING, _obliged(a)),
    "intake_done": lambda a: (a["ti_intake"] != NEVER, _obliged(a)),
    "course_started": lambda a: (a["ti_course"] != NEVER, _obliged(a)),
    "recognised": lambda a: (a["diploma_recognised"], _obliged(a)),
    "own_home": lambda a: (a["residence"] == Residence.HOUSED, _present(a)),
    "permanent": lambda a: (a["permit"] == Permit.PERMANENT, _present(a)),
    "naturalised": lambda a: (a["permit"] == Permit.CITIZEN, _present(a)),
}


@dataclass(frozen=True)
class Effect:
    """Paired effect of a lever on an outcome at a month since the permit."""

    outcome: str
    month: int
    diff: float  #: points: percentage points for shares, 0-100 index points for belonging,
    #: hundredths of a CEFR level for language
    se: float  #: household-cluster-robust standard error of ``diff``
    reference: float  #: the outcome without the lever (same persons), points
    n: int  #: persons compared

    def __str__(self) -> str:
        return (f"{self.outcome} at {self.month} months: {self.diff:+.2f} points (se {self.se:.2f}, "
                f"reference {self.reference:.1f}, n {self.n})")


def paired_effect(o0, o1, outcome: str, month: int) -> Effect:
    """Effect of the lever (run ``o1``) against the reference (``o0``) on the same seed."""
    y0, d0 = OUTCOMES[outcome](o0.at[month])
    y1, d1 = OUTCOMES[outcome](o1.at[month])
    both = d0 & d1
    d = 100.0 * (np.asarray(y1, np.float64) - np.asarray(y0, np.float64))[both]
    n = int(both.sum())
    mean = float(d.mean())
    hh = o0.static["household"][both]
    cluster = np.bincount(hh, weights=d - mean)
    se = float(np.sqrt(np.sum(cluster ** 2)) / n)
    return Effect(outcome, month, mean, se, 100.0 * float(np.asarray(y0, np.float64)[both].mean()), n)


def pooled(effects: list[Effect]) -> Effect:
    """Mean of effects from independent seeds, with its standard error."""
    k = len(effects)
    e0 = effects[0]
    return Effect(e0.outcome, e0.month, float(np.mean([e.diff for e in effects])),
                  float(np.sqrt(sum(e.se ** 2 for e in effects)) / k),
                  float(np.mean([e.reference for e in effects])), sum(e.n for e in effects))


def assert_direction(e: Effect, sign: int, upper: float = BOUND, k: float = 3.0) -> None:
    """``e`` lies strictly in direction ``sign`` by more than ``k`` standard errors, and below
    ``upper`` points in size."""
    assert sign * e.diff > 0 and sign * e.diff > k * e.se, (
        f"expected {'an increase' if sign > 0 else 'a decrease'} of more than {k} se: {e}")
    assert abs(e.diff) < upper, f"implausibly large effect (bound {upper:g} points): {e}"


# ---- registry: every lever needs a direction test ------------------------------------------------
COVERED: dict[str, list[str]] = {}


def lever(*names: str):
    def mark(fn):
        for n in names:
            COVERED.setdefault(n, []).append(fn.__name__)
        return fn

    return mark


def test_every_lever_has_a_direction_test():
    declared = {p.name for p in LEVERS}
    missing = declared - set(COVERED)
    assert not missing, f"levers without a direction test: {sorted(missing)}"
    assert set(COVERED) <= declared, f"tests for undeclared levers: {sorted(set(COVERED) - declared)}"


@pytest.fixture(scope="module")
def effect(observe):
    """``effect(lever_overrides, outcome, month, base=BASE, reference=())`` -> Effect."""

    def f(overrides, outcome, month, base=BASE, reference=(), scenario="baseline"):
        overrides = (overrides,) if isinstance(overrides, str) else tuple(overrides)
        o0 = observe(scenario, *base, *reference, months=MONTHS)
        o1 = observe(scenario, *base, *overrides, months=MONTHS)
        return paired_effect(o0, o1, outcome, month)

    return f


# ---- legal regime -------------------------------------------------------------------------------
@lever("law")
def test_law_2013_leaves_employment_unchanged_at_3_and_4_years(effect):
    """Law of 2013 against 2021 for the same (2024) cohort. Domain brief, CPB (2020): "no change in
    labour participation". Two-sided: the paired difference in employment at 36 and 48 months is
    within 3 points (about the resolution of a cohort evaluation; an assumption)."""
    for month in (36, 48):
        e = effect("policy.law=2013", "employed", month)
        assert abs(e.diff) < 3.0, f"law of 2013 changes employment: {e}"


@lever("law")
def test_law_2021_exam_at_b1_is_passed_by_fewer(effect):
    """The law of 2021 examines at B1 (B1 route), the law of 2013 at A2 (domain brief). With the same
    persons and draws, fewer meet the obligation by exam under the higher level: the share passed is
    lower under 2021 than under 2013 at 3 and 4 years. (The brief's CPB 2020 finding compares the
    law of 2013 with the law before it, so it says nothing about 2013 against 2021.)"""
    for month in (36, 48):
        assert_direction(effect("policy.law=2013", "exam_passed", month), +1)


@lever("law")
def test_law_2021_intake_follows_housing(effect):
    """Law of 2021: the municipality holds a broad intake after housing (CBS SWI: 35% of the 2022
    cohort by the end of 2022, 88% by the end of 2023). Under the law of 2013 there is no intake:
    the obligation starts at once, so 'intake done' (the obligation's start) is earlier under 2013,
    and under 2021 most have their intake within two years of the permit."""
    e = effect("policy.law=2013", "intake_done", 12)
    assert_direction(e, +1, upper=100.0)
    share_2021 = e.reference
    assert 30.0 < share_2021 < 95.0, f"intake under 2021 at 12 months: {share_2021:.1f}%"


@lever("law")
def test_law_auto_follows_the_permit_year(compose):
    assert Policy(compose("baseline", *BASE).policy, 2021).law == "2013"
    assert Policy(compose("baseline", *BASE).policy, 2022).law == "2021"
    assert Policy(compose("baseline", *BASE, "policy.law=2021").policy, 2014).law == "2021"


@lever("placement")
def test_matched_placement_raises_employment(effect):
    """D10 / Bansak et al. 2018 (GeoMatch): placement matched to labour markets raises employment.
    Pooled over three seeds of 20,000 persons: placement moves people between municipalities, so
    the pairing is looser than for other levers, and the gain is only about one point (at 72
    months 0.8 on average over six seeds of 5,000), which three runs of 5,000 (standard error about
    0.4) cannot tell from chance at three standard errors; 20,000 persons bring it to about 0.2."""
    for month in (36, 72):
        e = pooled([effect("policy.placement=matched", "employed", month,
                           base=("population.size=20000", *BASE[1:], f"seed={s}"))
                    for s in (0, 1, 2)])
        assert_direction(e, +1)


@lever("scope")
def test_a_national_measure_gains_less_than_a_pilot(effect):
    """Under a national policy earlier status holders get it too and compete for the same jobs
    (displacement, Crépon et al. 2013), and staff capacity limits it: the same coaching gains less
    than as a pilot; without a policy, scope changes nothing."""
    coaching = ("policy.job_coaching=3.0", "policy.support_level=2.0")
    assert_direction(effect(coaching, "employed", 36), +1)
    # the same measure nationally against as a pilot, on the same persons and draws; pooled over
    # three seeds (displacement is a fraction of a point, and national scope moves the timing of
    # hires, which loosens the person-by-person pairing)
    seeds = [("population.size=5000", *BASE[1:], f"seed={s}") for s in (0, 1, 2)]
    assert_direction(pooled([effect(("policy.scope=national", *coaching), "employed", 36,
                                    reference=coaching, base=b) for b in seeds]), -1)
    same = effect("policy.scope=national", "employed", 36)
    assert same.diff == 0.0, same


# ---- D1 -----------------------------------------------------------------------------------------
@lever("support_level")
def test_more_municipal_support_raises_employment_and_speeds_intake(effect):
    """D1 (MKBA Amsterdam approach, caseload 50 ~ twice today's support): faster intake and more
    work; less support does the opposite."""
    # employment pooled over three seeds: support moves the timing of intake and courses, which
    # loosens the person-by-person pairing
    seeds = [("population.size=5000", *BASE[1:], f"seed={s}") for s in (0, 1, 2)]
    assert_direction(pooled([effect("policy.support_level=2.0", "employed", 48, base=b) for b in seeds]), +1)
    assert_direction(effect("policy.support_level=2.0", "intake_done", 12), +1)
    assert_direction(pooled([effect("policy.support_level=0.5", "employed", 48, base=b) for b in seeds]), -1)
    assert_direction(effect("policy.support_level=0.5", "intake_done", 12), -1)


@lever("start_in_reception")
def test_start_in_reception_brings_intake_and_learning_forward(effect):
    """D1 (start while still in reception): intake and courses earlier, hence earlier exam passes
    and more work at 36 months. The intake share cannot rise by more than those still without one."""
    e = effect("policy.start_in_reception=true", "intake_done", 12)
    assert_direction(e, +1, upper=100.0 - e.reference + 1e-9)
    assert_direction(effect("policy.start_in_reception=true", "course_started", 12), +1, upper=100.0)
    assert_direction(effect("policy.start_in_reception=true", "exam_passed", 36), +1)
    assert_direction(effect("policy.start_in_reception=true", "employed", 36), +1)


# ---- D2 -----------------------------------------------------------------------------------------
@lever("dual_track")
def test_dual_track_raises_employment_at_24_and_36_months(effect):
    """D2 (Regioplan 2020/2021: dual tracks work): a course holds back job search less. Today's
    practice already combines courses with work in most municipalities (``work_first_relief``),
    so what a dual track adds is small (at 36 months about +0.3 points a seed of 5,000, standard
    error 0.17): pooled over four seeds."""
    assert_direction(effect("policy.dual_track=true", "employed", 24), +1)
    seeds = [("population.size=5000", *BASE[1:], f"seed={s}") for s in (0, 1, 2, 3)]
    assert_direction(pooled([effect("policy.dual_track=true", "employed", 36, base=b) for b in seeds]), +1)


@lever("social_guidance")
def test_social_guidance_improves_health_and_completion(effect):
    """D2: guidance lowers drop-out (more obligations met) and speeds recovery (less poor health)."""
    assert_direction(effect("policy.social_guidance=1.5", "poor_health", 36), -1)
    assert_direction(effect("policy.social_guidance=1.5", "exam_passed", 72), +1)


# ---- D3 -----------------------------------------------------------------------------------------
@lever("job_coaching")
def test_job_coaching_raises_employment(effect):
    """D3: more labour-market guidance, more refugees in work."""
    seeds = [("population.size=5000", *BASE[1:], f"seed={s}") for s in (0, 1, 2)]
    assert_direction(pooled([effect("policy.job_coaching=2.0", "employed", 36, base=b) for b in seeds]), +1)
    assert_direction(pooled([effect("policy.job_coaching=0.5", "employed", 36, base=b) for b in seeds]), -1)


@lever("job_matching")
def test_job_matching_gives_fuller_jobs_and_fewer_benefits(effect):
    """D3 (suitable work): matched jobs are fuller and last longer, so more full-time work and
    fewer households on bijstand."""
    # matched starts rise by 0.8 - 0.3 of job starts: at most 50 points of the working-age share
    assert_direction(effect("policy.job_matching=0.8", "good_match", 72), +1, upper=50.0)
    assert_direction(effect("policy.job_matching=0.8", "full_time", 72), +1)
    assert_direction(effect("policy.job_matching=0.8", "benefit", 72), -1)


# ---- D4 -----------------------------------------------------------------------------------------
@lever("pip_delay_months")
def test_shorter_pip_delay_brings_intake_forward(effect):
    """D4 (a personal plan soon after arrival)."""
    assert_direction(effect("policy.pip_delay_months=1.0", "intake_done", 12), +1)
    assert_direction(effect("policy.pip_delay_months=8.0", "intake_done", 12), -1)


@lever("competence_assessment")
def test_competence_assessment_recognises_more_diplomas(effect, observe):
    """D4: assessment at intake recognises more foreign qualifications. The rise cannot exceed the
    share of higher-educated people; and among higher-educated people with an intake (law of
    2021) the recognised share equals the lever's probability (4 binomial standard errors)."""
    e = effect("policy.competence_assessment=0.9", "recognised", 36)
    obs = observe("baseline", *BASE, "policy.competence_assessment=0.9", months=MONTHS)
    high = obs.static["education"] == Education.HIGH
    assert_direction(e, +1, upper=100.0 * high.mean())
    for p in (0.3, 0.9):
        o = observe("baseline", *BASE, f"policy.competence_assessment={p}", months=MONTHS)
        sel = (o.static["education"] == Education.HIGH) & (o.final.ti_intake != NEVER)
        n = int(sel.sum())
        share = o.final.diploma_recognised[sel].mean()
        assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / n), (p, share, n)


# ---- D5 -----------------------------------------------------------------------------------------
@lever("employer_openness")
def test_employer_openness_raises_employment(effect):
    """D5 (no-risk policy, information)."""
    assert_direction(effect("policy.employer_openness=1.5", "employed", 36), +1)
    assert_direction(effect("policy.employer_openness=0.7", "employed", 36), -1)


@lever("wage_subsidy")
def test_wage_subsidy_raises_employment(effect):
    """D5 (wage cost subsidies raise hiring of people with little Dutch or schooling)."""
    assert_direction(effect("policy.wage_subsidy=2.0", "employed", 36), +1)
    assert_direction(effect("policy.wage_subsidy=2.0", "employed", 24), +1)


# ---- D6 -----------------------------------------------------------------------------------------
@lever("course_quality")
def test_course_quality_raises_exam_passes(effect):
    """D6 (Arendt et al.: better language training)."""
    assert_direction(effect("policy.course_quality=1.2", "exam_passed", 36), +1)
    assert_direction(effect("policy.course_quality=1.2", "exam_passed", 72), +1)
    assert_direction(effect("policy.course_quality=0.8", "exam_passed", 72), -1)


def _fitting_route(o, p_intake):
    """The route the intake's rule gives each person (model/pathways/intake.py docstring): Z for
    those who cannot read or have little schooling and low ability, else education route for
    the young with some schooling, else B1."""
    s = o.static
    # the same float32 arithmetic as the intake (age0 is float32)
    age = s["age0"] + (o.final.ti_intake.astype(np.float64) / 12.0).astype(np.float32)
    fits = np.where((age < p_intake.education_route_max_age) & (s["education"] >= Education.MID),
                    Route.EDUCATION, Route.B1)
    z = ~s["literate"] | ((s["education"] == Education.LOW) & (s["ability"] < p_intake.z_route_ability))
    return np.where(z, Route.Z, fits)


@lever("route_information")
def test_route_information_places_people_on_the_route_that_fits(effect, observe, compose):
    """D6 (information lowers wrong-route placement): the share placed on the route that fits is
    the lever's probability (exactly 1 at 1.0, binomial band at 0.8), and with better placement
    people end with more Dutch at 72 months (B1 learners are no longer parked on the Z route)."""
    p_intake = compose("baseline", *BASE).params.intake
    for p in (1.0, 0.8, 0.5):
        o = observe("baseline", *BASE, f"policy.route_information={p}", months=MONTHS)
        sel = o.final.ti_intake != NEVER
        right = (o.final.route == _fitting_route(o, p_intake))[sel]
        n = int(sel.sum())
        if p == 1.0:
            assert right.all(), f"{(~right).sum()} of {n} placed on a route that does not fit"
        else:
            assert abs(right.mean() - p) < 4 * np.sqrt(p * (1 - p) / n), (p, right.mean(), n)
    assert_direction(effect("policy.route_information=1.0", "language", 72), +1)
    assert_direction(effect("policy.route_information=0.5", "language", 72), -1)


# ---- D7 -----------------------------------------------------------------------------------------
@lever("permanence_requires_exam")
def test_no_exam_condition_gives_more_permanent_permits(effect):
    """D7: without the exam condition more people hold a permanent permit at 72 months."""
    assert_direction(effect("policy.permanence_requires_exam=false", "permanent", 72), +1)


@lever("naturalisation_requires_exam")
def test_no_exam_condition_for_citizenship_gives_more_naturalisations(effect):
    """D7: without the exam condition more people are naturalised at 96 months."""
    assert_direction(effect("policy.naturalisation_requires_exam=false", "naturalised", 96), +1)


# ---- D8 -----------------------------------------------------------------------------------------
@lever("naturalisation_ease")
def test_easier_naturalisation_gives_more_citizens(effect):
    """D8 (smooth naturalisation: fees, documents, waiting)."""
    assert_direction(effect("policy.naturalisation_ease=1.8", "naturalised", 96), +1)
    assert_direction(effect("policy.naturalisation_ease=0.5", "naturalised", 96), -1)


@lever("naturalisation_years")
def test_fewer_years_before_naturalisation_gives_more_citizens(effect, observe):
    """D8: a shorter residence requirement, earlier citizenship; with 10 years nobody is a citizen
    at 96 months (a hard consequence of the rule)."""
    assert_direction(effect("policy.naturalisation_years=3.0", "naturalised", 72), +1)
    o = observe("baseline", *BASE, "policy.naturalisation_years=10.0", months=MONTHS)
    assert not (o.at[96]["permit"] == Permit.CITIZEN).any()


# ---- D9 -----------------------------------------------------------------------------------------
@lever("exam_level")
def test_exam_at_b1_is_passed_less_than_at_a2(effect):
    """D9: a higher exam level (B1 instead of A2) means fewer passes, under both laws."""
    # law of 2021: auto = B1; compare with A2 (reference) on the same seed
    e = effect("policy.exam_level=B1", "exam_passed", 36, reference=("policy.exam_level=A2",))
    # a mechanical effect, so the plausibility bound is relative: B1 may not wipe out 90% of passes
    assert_direction(e, -1, upper=0.9 * e.reference)
    # law of 2013 (2014 cohort): auto = A2; B1 stacked on top
    base13 = ("population.size=5000", "population.horizon_months=96", "population.permit_year=2014")
    e = effect("policy.exam_level=B1", "exam_passed", 36, base=base13)
    assert_direction(e, -1, upper=0.9 * e.reference)


@lever("extra_conditions")
def test_extra_conditions_lower_passes_and_belonging(effect):
    """D9: each extra condition costs course time and belonging; dropping them (the D9 scenario)
    does the opposite."""
    assert_direction(effect("policy.extra_conditions=3.0", "exam_passed", 72), -1)
    assert_direction(effect("policy.extra_conditions=3.0", "belonging", 36), -1)
    assert_direction(effect("policy.extra_conditions=0.0", "exam_passed", 72), +1)
    assert_direction(effect("policy.extra_conditions=0.0", "belonging", 36), +1)


@lever("permanence_years")
def test_longer_wait_for_permanence_gives_fewer_permanent_permits(effect, observe):
    """D9 (stacking: permanence after 7 years): at 72 months nobody can hold a permanent permit,
    and the longer insecurity lowers belonging."""
    o = observe("baseline", *BASE, "policy.permanence_years=7.0", months=MONTHS)
    assert not (o.at[72]["permit"] == Permit.PERMANENT).any()
    e = effect("policy.permanence_years=7.0", "permanent", 72)
    assert e.diff < 0 and e.diff == pytest.approx(-e.reference)
    assert_direction(effect("policy.permanence_years=7.0", "belonging", 72), -1)


# ---- D10 ----------------------------------------------------------------------------------------
@lever("implementation_quality")
def test_implementation_quality_speeds_housing_and_integration(effect):
    """D10 (better implementation across municipalities): courses and support improve. It creates
    no homes (tests/test_lever_mechanisms.py), so housing is not tested here."""
    assert_direction(effect("policy.implementation_quality=0.85", "exam_passed", 36), +1)
    assert_direction(effect("policy.implementation_quality=0.85", "employed", 36), +1)


@lever("implementation_spread")
def test_implementation_spread_sets_differences_between_municipalities(observe, compose):
    """D10 (more even implementation): municipal quality has the declared mean and spread, and a
    smaller spread gives more equal housing waits between municipalities (the between-municipality
    standard deviation of the share housed at 12 months falls with the spread)."""
    from model.model import REFERENCE_QUALITY

    for spread in (0.0, 0.05, 0.15):
        cfg = compose("baseline", *BASE, f"policy.implementation_spread={spread}")
        munis = create_municipalities(mesa.Model(rng=0), Policy(cfg.policy, 2024), REFERENCE_QUALITY)
        q = np.array([m.quality for m in munis])
        assert q.mean() == pytest.approx(cfg.policy.implementation_quality, abs=1e-9)
        # evenly spaced quantiles of a normal with that spread (none is clipped at these values)
        z = norm.ppf((np.arange(len(q)) + 0.5) / len(q))
        assert q.std() == pytest.approx(spread * z.std(), rel=1e-6, abs=1e-9)
    sds = []
    for spread in (0.0, 0.15, 0.3):
        o = observe("baseline", *BASE, f"policy.implementation_spread={spread}", months=MONTHS)
        a = o.at[12]
        den = _present(a)
        shares = [100 * (a["residence"] == Residence.HOUSED)[den & (a["municipality"] == k)].mean()
                  for k in range(10)]
        sds.append(float(np.std(shares)))
    # with no spread the differences are sampling noise (a few points); they grow with the spread
    assert sds[0] < 8.0, sds
    assert sds[1] > sds[0] + 5.0 and sds[2] > sds[1] + 5.0, sds


# ---- D11 ----------------------------------------------------------------------------------------
@lever("discrimination")
def test_less_discrimination_raises_employment_and_belonging(effect):
    """D11 (field experiments: 20-50% fewer call-backs): halving discrimination raises employment
    and belonging."""
    assert_direction(effect("policy.discrimination=0.0", "employed", 36), +1)
    assert_direction(effect("policy.discrimination=0.15", "belonging", 36), +1)
    assert_direction(effect("policy.discrimination=0.6", "employed", 36), -1)


@lever("social_contact")
def test_social_contact_raises_belonging_and_dutch(effect):
    """D11 (two-sided integration): more contact, more belonging and more informal Dutch."""
    assert_direction(effect("policy.social_contact=1.5", "belonging", 36), +1)
    assert_direction(effect("policy.social_contact=1.5", "language", 36), +1)
    assert_direction(effect("policy.social_contact=0.5", "belonging", 36), -1)


# ---- the method itself ----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lever_override, outcome, month", [
    ("policy.employer_openness=1.25", "employed", 36),
    ("policy.implementation_quality=0.85", "own_home", 12),
    ("policy.course_quality=1.2", "exam_passed", 72),
])
def test_paired_standard_error_matches_seed_to_seed_spread(effect, lever_override, outcome, month):
    """The household-cluster standard error used above is honest: over 12 independent seeds, the
    standard deviation of the paired effect is within a factor 0.5-2 of the mean standard error
    (the sampling sd of a sd from 12 draws is ~21%, so this band is > 4 of its errors wide)."""
    es = [effect(lever_override, outcome, month, base=(*BASE, f"seed={s}")) for s in range(12)]
    sd = float(np.std([e.diff for e in es], ddof=1))
    se = float(np.mean([e.se for e in es]))
    assert 0.5 * se < sd < 2.0 * se, (sd, se, [round(e.diff, 2) for e in es])
