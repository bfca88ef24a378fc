"""The synthetic permit cohort: who arrives, with whom, and with what.

Reproduces the composition of an asylum permit cohort of a given year (CBS): the origin mix of that
year's permits, the age and sex of adults with an integration obligation (CBS SWI 2022), education
at arrival and literacy by origin (SCP 2018, else assumption), and households of singles, couples
and families whose members may follow through family reunification ("nareizigers") months later.

The simulated cohort is the year's primary permit holders with the family members who join them.
Each person's clock starts at their own permit (a family member's at arrival), as in CBS's cohort
tables. Primary permit holders' permit months are spread evenly over the calendar year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from model.parameters import Param
from model.people import NEVER, Education, People, Residence, Sex

ORIGINS: tuple[str, ...] = ("Syria", "Eritrea", "Afghanistan", "Iraq", "Iran", "Turkey", "Other")

# Household types
SINGLE, COUPLE, COUPLE_CHILDREN, SINGLE_PARENT = 0, 1, 2, 3

PARAMS: tuple[Param, ...] = (
    Param("size", 10_000, "persons", "assumption: sample size, not a behavioural parameter",
          "number of simulated persons (the real 2014 cohort: about 20 thousand)", kind="count",
          low=100, high=1_000_000, strict=True),
    Param("permit_year", 2024, "calendar year",
          "CBS permit cohorts; selects origin mix, legal regime and calendar",
          "the year the cohort's permits were granted (years with input data)", kind="count",
          low=2014, high=2025, strict=True),
    Param("real_size", 0, "persons",
          "CBS permit totals by year (model/data/permits_by_nationality.csv)",
          "persons in the real cohort the sample stands for; 0 = the permit year's published total "
          "(it sets how much the cohort's own job search crowds the jobs open to newcomers)",
          kind="count", low=0, high=200_000),
    Param("horizon_months", 120, "months", "issue: permit to 10 years later",
          "months simulated after the last primary permit", kind="count", low=12, high=180),
    Param("family_delay_median", 9.0, "months",
          "assumption: reunification takes from several months to over a year (domain brief)",
          "median months between the sponsor's permit and the family's arrival", kind="months",
          low=4, high=18),
    Param("procedure_spread", 0.3121, "standard deviation of log months",
          "assumption: asylum procedures vary within an origin; fitted to the spread of housing (CBS news 2017/25)",
          "spread of the asylum procedure's length around its origin's mean (lognormal)",
          kind="rate", low=0.0, high=0.8, calibrate=True),
    Param("long_stay_months_max", 96.0, "months",
          "assumption: long-stay families had lived up to about 8 years in reception before a permit",
          "longest prior stay of long-stay permit holders (uniform from 24 months)", kind="months",
          low=36, high=144),
)


@dataclass(frozen=True)
class OriginProfile:
    edu: tuple[float, float, float]
    literate_if_low_edu: float
    household: tuple[float, float, float, float]
    mean_children: float
    family_abroad: float
    long_prior_stay: float
    procedure_months: float
    male_primary: float


def _rows(name: str) -> list[dict]:
    with resources.files("model.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def origin_profiles() -> dict[str, OriginProfile]:
    out = {}
    for r in _rows("origin_profiles.csv"):
        f = {k: float(v) for k, v in r.items() if k not in ("origin", "source")}
        out[r["origin"]] = OriginProfile(
            edu=(f["edu_low"], f["edu_mid"], f["edu_high"]),
            literate_if_low_edu=f["literate_if_low_edu"],
            household=(f["share_single"], f["share_couple"], f["share_couple_children"],
                       f["share_single_parent"]),
            mean_children=f["mean_children"], family_abroad=f["share_family_abroad"],
            long_prior_stay=f["share_long_prior_stay"],
            procedure_months=f["procedure_months_2014"], male_primary=f["male_share_primary"])
    return out


@cache
def origin_mix(year: int) -> np.ndarray:
    """Share of each origin among the year's permits (published where available, else assumed)."""
    rows = {int(r["year"]): r for r in _rows("cohort_composition_assumed.csv")}
    for r in _rows("permits_by_nationality.csv"):
        if r["Syria"]:
            rows[int(r["year"])] = r
    year = min(max(year, min(rows)), max(rows))
    while year not in rows:
        year -= 1
    counts = np.array([float(rows[year][o]) for o in ORIGINS])
    return counts / counts.sum()


@cache
def cohort_persons(year: int, real_size: int = 0) -> float:
    """Persons in the year's real permit cohort, including family reunification (CBS totals;
    later years as assumed in ``cohort_composition_assumed.csv``). The model simulates a sample of
    ``population.size`` persons; this is what the sample stands for, and it sets how much the
    cohort's own job search crowds the jobs open to newcomers (``work``). A ``real_size`` above 0
    (``population.real_size``) replaces the published total."""
    if real_size > 0:
        return float(real_size)
    rows = {int(r["year"]): r for r in _rows("cohort_composition_assumed.csv")}
    for r in _rows("permits_by_nationality.csv"):
        rows[int(r["year"])] = r
    year = min(max(year, min(rows)), max(rows))
    while year not in rows:
        year -= 1
    return 1000.0 * float(rows[year]["total_thousands"])


@cache
def adult_age_sex() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Age bands (low, high), sex and share of adults, CBS SWI 2022 table."""
    lows, highs, sexes, counts = [], [], [], []
    for r in _rows("age_sex_2022_asylum_cohort.csv"):
        band = r["age_group"]
        lo, hi = (55, 70) if band == "55+" else map(int, band.split("-"))
        lows.append(lo), highs.append(hi), counts.append(float(r["count"]))
        sexes.append(Sex.MALE if r["sex"] == "male" else Sex.FEMALE)
    c = np.array(counts)
    return np.array(lows, float), np.array(highs, float), np.array(sexes), c / c.sum()


def _adult_ages(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    """Ages of adults of the given sexes, from the CBS age-by-sex table."""
    lows, highs, sexes, share = adult_age_sex()
    ages = np.empty(len(sex))
    for s in (Sex.MALE, Sex.FEMALE):
        idx = np.flatnonzero(sex == s)
        m = sexes == s
        band = rng.choice(np.flatnonzero(m), size=len(idx), p=share[m] / share[m].sum())
        ages[idx] = rng.uniform(lows[band], highs[band])
    return ages


@dataclass
class Households:
    """Household-level arrays (index = household id)."""

    size: np.ndarray  #: members in total
    kind: np.ndarray  #: SINGLE, COUPLE, COUPLE_CHILDREN or SINGLE_PARENT
    primary: np.ndarray  #: person index of the primary permit holder
    young_child_until: np.ndarray  #: model month the youngest child turns 4 (childcare need)
    last_permit: np.ndarray  #: model month the last member's own permit begins (persons are in this order)


def build(p, year: int, people_rng: np.random.Generator,
          procedure_scale: float = 1.0, extra_procedure_months: float = 0.0) -> tuple[People, Households]:
    """Draw a cohort of exactly ``p.size`` persons.

    Args:
        p: the ``population`` parameter values.
        year: permit year (selects the origin mix).
        people_rng: set-up random generator (not a per-month stream).
        procedure_scale: length of the asylum procedure relative to 2014 (context, by year).
        extra_procedure_months: months added to every procedure (``context.extra_procedure_months``).
    """
    rng = people_rng
    n_target = int(p.size)
    profiles = origin_profiles()
    mix = origin_mix(year)
    # Draw more households than needed, then cut at n_target persons.
    n_hh = max(16, int(n_target / 2.0) + 64)
    while True:
        origin = rng.choice(len(ORIGINS), size=n_hh, p=mix)
        kind = np.empty(n_hh, np.int8)
        n_child = np.zeros(n_hh, np.int64)
        male_primary = np.empty(n_hh)
        for o, name in enumerate(ORIGINS):
            idx = np.flatnonzero(origin == o)
            prof = profiles[name]
            kind[idx] = rng.choice(4, size=len(idx), p=np.array(prof.household) / sum(prof.household))
            n_child[idx] = 1 + rng.poisson(max(prof.mean_children - 1.0, 0.0), size=len(idx))
            male_primary[idx] = prof.male_primary
        n_child[(kind == SINGLE) | (kind == COUPLE)] = 0
        size = 1 + (kind == COUPLE) + (kind == COUPLE_CHILDREN) + n_child
        if size.sum() >= n_target:
            break
        n_hh *= 2
    cum = np.cumsum(size)
    n_hh = int(np.searchsorted(cum, n_target) + 1)
    origin, kind, n_child, size = origin[:n_hh], kind[:n_hh], n_child[:n_hh], size[:n_hh].copy()
    male_primary = male_primary[:n_hh]
    size[-1] -= int(cum[n_hh - 1] - n_target)  # last household trimmed to hit the target exactly

    n = n_target
    people = People(n)
    hh = np.repeat(np.arange(n_hh), size)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    rank = np.arange(n) - first[hh]  # 0 = primary, 1 = partner (couples), then children
    has_partner = (kind == COUPLE) | (kind == COUPLE_CHILDREN)
    is_partner = (rank == 1) & has_partner[hh]
    is_child = (rank >= 1) & ~is_partner
    is_primary = rank == 0
    people.household[:] = hh
    people.is_primary[:] = is_primary
    people.is_partner[:] = is_partner
    people.origin[:] = origin[hh]

    # sex and age: the primary applicant's sex by origin; single parents are mostly mothers
    prim_male = rng.random(n_hh) < np.where(kind == SINGLE_PARENT, 0.2, male_primary)
    sex = np.where(prim_male[hh], Sex.MALE, Sex.FEMALE).astype(np.int8)
    sex[is_partner] = 1 - sex[is_partner]
    sex[is_child] = (rng.random(int(is_child.sum())) < 0.5).astype(np.int8)
    people.sex[:] = sex
    adult = ~is_child
    age = np.zeros(n)
    age[adult] = _adult_ages(rng, sex[adult])
    # partners' ages: close to the primary's (women a few years younger; assumption)
    pa = np.flatnonzero(is_partner)
    gap = np.where(sex[pa] == Sex.FEMALE, -2.5, 2.5) + rng.normal(0, 4, len(pa))
    age[pa] = np.clip(age[pa - 1] + gap, 18, 75)
    ch = np.flatnonzero(is_child)
    parent_age = age[first[hh[ch]]]
    age[ch] = rng.uniform(0, np.clip(parent_age - 17, 1, 18))
    # long prior stay: whole family lived in the Netherlands (no reunification, no new procedure)
    prof_of = [profiles[o] for o in ORIGINS]
    long_stay_p = np.array([pr.long_prior_stay for pr in prof_of])[origin]
    long_stay = rng.random(n_hh) < long_stay_p
    prior = np.where(long_stay, rng.uniform(24, p.long_stay_months_max, n_hh), 0.0)
    people.prior_stay[:] = prior[hh]
    # children's ages when they were born here during a long stay are fine as drawn
    permit_month = rng.integers(0, 12, n_hh)
    people.age0[:] = age - permit_month[hh] / 12.0  # age at model month 0 (primary's permit month)

    # education and literacy (adults by origin; children are at school and counted LOW at arrival)
    edu_p = np.array([pr.edu for pr in prof_of])
    u = rng.random(n)
    cum_edu = np.cumsum(edu_p[people.origin], axis=1)
    edu = (u[:, None] > cum_edu[:, :2]).sum(axis=1).astype(np.int8)
    edu[is_child] = Education.LOW
    people.education[:] = edu
    lit_p = np.array([pr.literate_if_low_edu for pr in prof_of])[people.origin]
    people.literate[:] = (edu > Education.LOW) | (rng.random(n) < lit_p) | (age < 12)
    people.ability[:] = rng.standard_normal(n).astype(np.float32)

    # family reunification: partner and children of some households arrive later
    abroad_p = np.array([pr.family_abroad for pr in prof_of])[origin]
    abroad = (~long_stay) & (kind != SINGLE) & (rng.random(n_hh) < abroad_p)
    delay = np.minimum(np.round(p.family_delay_median * np.exp(rng.normal(0, 0.4, n_hh))), 24)
    follower = abroad[hh] & ~is_primary
    pm = permit_month[hh].astype(np.int64)
    pm[follower] += delay[hh[follower]].astype(np.int64)
    people.permit_month[:] = pm
    proc_hh = procedure_scale * np.array([pr.procedure_months for pr in prof_of])[origin]
    proc_hh = proc_hh * np.exp(p.procedure_spread * rng.standard_normal(n_hh)
                               - p.procedure_spread ** 2 / 2)  # mean kept
    proc = proc_hh[hh] + extra_procedure_months
    # reception (and with it the harm of waiting: work's limbo term, health's onset) begins with
    # the procedure that ends in the permit; a long-stay household's last procedure (a repeat
    # application, the long-stay regulation) is as long as the origin's, and the years before it
    # are its prior stay, lived here with children at school (language, work's prior-stay term)
    people.procedure[:] = np.where(follower, 0.0, proc)
    # everyone enters the cohort at their own permit month (housing pathway, step 1)
    people.residence[:] = Residence.NOT_ARRIVED
    people.ti_reception[:] = np.where(follower, NEVER, pm - np.round(people.procedure))

    # youngest child under 4 -> childcare need until the month it turns 4
    # (members are together, from ``first``, and every household has one: a reduction by segment)
    child_age0 = np.where(is_child, people.age0, np.inf)
    youngest = np.minimum.reduceat(child_age0, first).astype(np.float64)
    young_until = np.where(np.isfinite(youngest), np.round((4.0 - youngest) * 12.0), -1)
    # households in order of their last member's permit month, members together: the persons a
    # month concerns (households with a member followed) are then one contiguous range of indices
    # (``IntegrationModel.live``), which the pathways work on as array views
    last_permit = np.maximum(np.maximum.reduceat(pm, first), 0)
    order = np.argsort(last_permit[hh], kind="stable")
    people.reorder(order)
    position = np.empty(n, np.int64)
    position[order] = np.arange(n)
    households = Households(size=np.bincount(hh, minlength=n_hh).astype(np.int32),
                            kind=kind.astype(np.int8), primary=position[first],
                            young_child_until=young_until.astype(np.int32),
                            last_permit=last_permit.astype(np.int32))
    return people, households
