"""Municipalities as Mesa agents, and the rule that links permit holders to them.

Ten municipality types (``model/data/municipality_types.csv``) stand for the 342 municipalities:
each has a population share (which sets its housing quota, as the Huisvestingswet does), a local
unemployment index and a demand for higher skills (assumptions), and a support level and
implementation quality set by policy (D1, D10). Resolution: enough for placement to matter
(Damen et al. 2023: regional unemployment lowers job chances; Bansak et al. 2018: matching
placements to labour markets raises employment).

Placement rules (``policy.placement``):

- ``quota``: households are linked at random in proportion to the quota (today's practice);
- ``matched``: households are linked to maximise predicted job chances subject to the same quotas
  (a greedy assignment in the spirit of GeoMatch).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import mesa
import numpy as np
from scipy.stats import norm

from model.people import Education, Sex


@cache
def municipality_types() -> list[dict]:
    with resources.files("model.data").joinpath("municipality_types.csv").open(encoding="utf-8") as fh:
        return [{"name": r["municipality_type"], "population_share": float(r["population_share"]),
                 "unemployment_index": float(r["unemployment_index"]),
                 "high_skill_demand": float(r["high_skill_demand"])} for r in csv.DictReader(fh)]


class Municipality(mesa.Agent):
    """One municipality type.

    Attributes:
        name: type name.
        quota_share: share of the national housing quota (= population share).
        unemployment_index: local unemployment relative to national.
        high_skill_demand: demand for higher-educated workers relative to national.
        quality: implementation quality 0-1 (D10), scales support and course quality.
        support: municipal support intensity (D1 lever times quality).
    """

    def __init__(self, model, name: str, population_share: float, unemployment_index: float,
                 high_skill_demand: float, quality: float, support: float) -> None:
        super().__init__(model)
        self.name = name
        self.quota_share = population_share
        self.unemployment_index = unemployment_index
        self.high_skill_demand = high_skill_demand
        self.quality = quality
        self.support = support


def create(model, policy, reference_quality: float) -> list[Municipality]:
    """Create the municipality agents.

    Implementation quality is spread over the types at evenly spaced quantiles of a normal
    distribution (mean and spread from D10); support is the D1 level times quality relative to
    today's reference quality.
    """
    types = municipality_types()
    k = len(types)
    # deterministic quantiles of a normal spread, ordered so that quality is not tied to size
    q = policy.implementation_quality + policy.implementation_spread * norm.ppf(
        (np.arange(k) + 0.5) / k)
    order = np.random.default_rng(12345).permutation(k)  # fixed, documented shuffle
    q = np.clip(q[order], 0.05, 1.0)
    return [Municipality(model, t["name"], t["population_share"], t["unemployment_index"],
                         t["high_skill_demand"], float(q[i]),
                         float(policy.support_level * q[i] / reference_quality))
            for i, t in enumerate(types)]


def local_demand(munis: list[Municipality], elasticity: float) -> np.ndarray:
    """Local labour demand by municipality and education level (municipalities x 3).

    Local unemployment enters as ``(unemployment index) ** -elasticity`` (Damen et al. 2023: higher
    regional unemployment, lower job chances); the higher-educated gain from a municipality's demand
    for higher skills, people with little schooling from its complement (assumption). The work
    pathway and the matched placement use the same numbers.
    """
    unemp = np.array([m.unemployment_index for m in munis])
    skill = np.array([m.high_skill_demand for m in munis])
    by_edu = np.stack([2.0 - skill, np.ones_like(skill), skill], axis=1)  # LOW, MID, HIGH
    return unemp[:, None] ** (-elasticity) * by_edu


def place(people, households, munis, rule: str, u_household: np.ndarray, elasticity: float,
          work) -> None:
    """Link every household to a municipality (``people.municipality``), respecting quotas.

    Under ``matched``, a household's value in a municipality is the sum over its adults of their
    predicted job chance there: what the placement agency can observe (sex, age, schooling, years
    already lived here, through the work pathway's coefficients ``work``) times the local demand
    for their education (:func:`local_demand`); the observable part of who can work (sex,
    schooling, age over 45, from the work pathway's attachment log-odds) and of how fast (a long
    prior stay). Households are assigned greedily, largest gain over
    their average municipality first, until each municipality's quota is full.

    Args:
        u_household: one stable U(0,1) per household (the placement stream).
        work: the work pathway's parameter values.
    """
    shares = np.array([m.quota_share for m in munis])
    hh_size = households.size
    prim = households.primary
    if rule == "quota":
        cum = np.cumsum(shares)
        link = np.minimum(np.searchsorted(cum, u_household * cum[-1]), len(munis) - 1)
    else:
        age = people.age0 + people.permit_month / 12.0
        adult = (age >= 18) & (age < 65)
        observable = np.exp(np.where(people.sex == Sex.FEMALE, work.female_effect, 0.0)
                            + np.where(people.education == Education.LOW, work.low_education_effect, 0.0)
                            + work.age_effect * np.maximum(age - 45.0, 0.0)
                            + work.prior_stay_effect * np.minimum(people.prior_stay / 12.0, 4.0))
        demand = local_demand(munis, elasticity)  # municipalities x education
        value = np.zeros((len(prim), len(munis)))
        for e in range(3):
            w = np.bincount(people.household, weights=adult * observable * (people.education == e),
                            minlength=len(prim))
            value += w[:, None] * demand[None, :, e]
        # gain of each household in each municipality over its average municipality
        gain = value - value.mean(axis=1, keepdims=True)
        capacity = shares * hh_size.sum() * 1.02  # 2% slack so that the last households fit
        link = np.full(len(prim), -1)
        used = np.zeros(len(munis))
        # greedy: highest gains first, ties broken by the household's stable draw
        order = np.lexsort((u_household.repeat(len(munis)), -gain.ravel()))
        hh_idx, m_idx = np.divmod(order, len(munis))
        for h, m in zip(hh_idx.tolist(), m_idx.tolist()):
            if link[h] < 0 and used[m] + hh_size[h] <= capacity[m]:
                link[h] = m
                used[m] += hh_size[h]
        rest = link < 0
        if rest.any():
            link[rest] = np.argmax(capacity - used)
    people.municipality[:] = link[people.household].astype(np.int8)
