"""Household income and benefits: bijstand when the household earns less than the norm.

Pattern reproduced: permit holders in a municipality live on social assistance (bijstand, about EUR
1,308 net a month for a single adult in 2024) until their household earns enough; part-time work
often leaves the household on a top-up benefit. People in reception get a COA allowance, which is
not a benefit in CBS's sense.

Mechanism: each month a household's net earnings are the sum over its working members of the
monthly net wage for their hours (a job that fits the person's education pays more, D3). A housed
household whose earnings fall short of its norm (single, or couple for two adults or more)
receives bijstand: all its members count as on benefit.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway

PARAMS: tuple[Param, ...] = (
    Param("norm_single", 1308.0, "EUR per month (net)", "Participatiewet norm 2024 (domain brief)",
          "bijstand norm of a single adult", kind="euro", low=1200.0, high=1400.0),
    Param("norm_couple_factor", 1.43, "factor", "Participatiewet: couple norm 100% vs single 70% of the net minimum wage",
          "norm of a household with two adults or more, relative to a single", kind="multiplier",
          low=1.3, high=1.6),
    Param("wage_full_time", 1900.0, "EUR per month (net)", "statutory minimum wage 2024, net (approximate)",
          "net monthly wage of a full-time job", kind="euro", low=1700.0, high=2600.0),
    Param("part_time_share", 0.55, "share of full-time pay", "assumption: about 20 hours a week",
          "pay of a part-time job relative to full-time", kind="share", low=0.3, high=0.8),
    Param("good_match_premium", 0.25, "share", "assumption",
          "extra pay of a job that fits the person's education", kind="rate", low=0.0, high=0.8),
)


class Income(Pathway):
    name = "income"

    def initialise(self) -> None:
        p = self.p
        self.n_hh = len(self.model.households.size)
        #: net monthly pay by Hours code (none, part-time, full-time)
        self.pay_by_hours = np.array([0.0, p.wage_full_time * p.part_time_share, p.wage_full_time])
        #: each person's household, as the index type counting by household takes without a copy
        self.household = self.people.household.astype(np.intp)

    def step(self, t: int) -> None:
        ppl, p = self.people, self.p
        now = self.model.now
        s, housed = now.live, now.housed  # whole households (model.model)
        employed = ppl.employed[s]
        ppl.months_worked[s] += employed
        hh = self.household[s]
        workers = s.start + np.flatnonzero(employed)
        pay = self.pay_by_hours[ppl.hours[workers]] * (1.0 + p.good_match_premium * ppl.good_match[workers])
        adults = housed & (ppl.age0[s] >= np.float32(18 - t / 12.0))
        income = np.bincount(self.household[workers], weights=pay, minlength=self.n_hh)
        n_adults = np.bincount(hh, weights=adults, minlength=self.n_hh)  # cheaper than hh[adults]
        norm = np.where(n_adults >= 2, p.norm_single * p.norm_couple_factor, p.norm_single)
        hh_benefit = (n_adults > 0) & (income < norm)
        ppl.on_benefit[s] = housed & hh_benefit[hh]
        share_paid = hh_benefit * ((norm - income) / norm)
        self.model.costs.month(now, ppl, pay, share_paid)
