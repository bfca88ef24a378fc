"""Public costs and earnings of a cohort, month by month (EUR, nominal, not discounted).

Costs follow the domain brief (sources in ``model/data/README.md``): a reception place, a bijstand
benefit (scaled by the share of the norm that is paid out, so a top-up costs less), a civic
integration route (the education route costs more), municipal support, coaching and guidance for
adults in their first three years, assessments, wage subsidies. Earnings are the cohort's net
wages, the other side of the ledger.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.people import Education, Route

PARAMS: tuple[Param, ...] = (
    Param("reception_per_year", 28_750.0, "EUR per person-year",
          "COA: 27,100 (2022) to 30,400 (2023) a place a year (secondary)",
          "cost of a reception place", kind="euro", low=27_100.0, high=30_400.0),
    Param("benefit_per_year", 14_000.0, "EUR per benefit-year (a single or a couple benefit)",
          "domain brief: bijstand about EUR 14,000 a year including administration",
          "cost of a full bijstand benefit (top-ups pay their share)", kind="euro",
          low=12_000.0, high=16_000.0),
    Param("route", 10_000.0, "EUR per person", "Divosa 2025: about EUR 10,000 (11,600 in 2025)",
          "cost of a B1, Z or self-arranged route at today's course quality", kind="euro",
          low=9_000.0, high=11_600.0),
    Param("education_route", 17_000.0, "EUR per person", "Divosa 2025: EUR 17,000 from 2026",
          "cost of an education route at today's course quality", kind="euro", low=12_000.0,
          high=18_000.0),
    Param("support_per_month", 100.0, "EUR per person-month at support level 1",
          "assumption (Berenschot 2018 via secondary sources: municipal support budgets)",
          "municipal support for an adult in the first 3 years (in reception too when D1 starts there)",
          kind="euro", low=50.0, high=250.0),
    Param("coaching_per_month", 50.0, "EUR per person-month at coaching level 1", "assumption",
          "job coaching for an adult in the first 3 years after housing (and in reception when D1 starts there)",
          kind="euro", low=20.0, high=150.0),
    Param("guidance_per_month", 40.0, "EUR per person-month at guidance level 1", "assumption",
          "social guidance for an adult in the first 3 years after housing (and in reception when D1 starts there)",
          kind="euro", low=15.0, high=120.0),
    Param("assessment", 300.0, "EUR per assessment", "assumption (diploma evaluation and a competence test)",
          "assessing a foreign higher qualification at the intake (D4)", kind="euro",
          low=100.0, high=800.0),
    Param("extra_condition", 250.0, "EUR per obliged person per extra condition", "assumption",
          "administration and tests of each extra integration condition (D9)", kind="euro",
          low=50.0, high=800.0),
    Param("wage_subsidy_per_month", 600.0, "EUR per subsidised worker-month",
          "assumption: about 30% of minimum wage costs for the first year",
          "wage cost subsidy for a low-productivity hire in the first 12 months, at a +30% hiring effect (scaled with the lever)",
          kind="euro", low=300.0, high=1_000.0),
)

ITEMS = ("reception", "benefits", "courses", "support", "subsidies", "earnings")


class Costs:
    """Accumulates costs by model month. ``totals[item][t]`` in EUR for the simulated cohort.

    Each policy lever that buys something has a price here: support (D1), social guidance (D2),
    coaching (D3), assessments (D4), wage subsidies (D5), course quality (D6) and extra conditions
    (D9). Levers that change rules rather than buy services (D7, D8, D10's placement, D11) cost
    nothing in the model; that is a simplification, stated in docs/ODD.md.
    """

    def __init__(self, c, months: int, policy) -> None:
        self.c = c
        self.policy = policy
        self.totals = {k: np.zeros(months) for k in ITEMS}
        self._pending_courses = 0.0
        self._pending_support = 0.0
        pol = policy
        #: per adult-month in the first 3 years: support, coaching and guidance together
        self.support_rate = (c.support_per_month * pol.support_level
                             + c.coaching_per_month * pol.job_coaching
                             + c.guidance_per_month * pol.social_guidance)
        self.subsidy_rate = c.wage_subsidy_per_month * max(pol.wage_subsidy - 1.0, 0.0) / 0.3

    def course_starts(self, routes: np.ndarray) -> None:
        """Charge a route (scaled by course quality, D6, plus extra conditions, D9) for each first
        course start."""
        edu = np.count_nonzero(routes == Route.EDUCATION.value)
        pol, c = self.policy, self.c
        self._pending_courses += pol.course_quality * (
            edu * c.education_route + (len(routes) - edu) * c.route)
        self._pending_courses += len(routes) * pol.extra_conditions * c.extra_condition

    def assessments(self, count: float) -> None:
        """Charge ``count`` assessments of foreign qualifications (an expected number)."""
        self._pending_support += count * self.c.assessment

    def month(self, now, ppl, pay: np.ndarray, benefit_share: np.ndarray) -> None:
        """Book the month of ``now`` (a :class:`model.people.Month`; called by the income pathway
        after benefits are set), for the persons followed in it.

        Args:
            pay: net pay of each person in work.
            benefit_share: the shares of a standard (single or couple) benefit paid this month,
                by benefit unit or already summed (model/pathways/income.py).
        """
        c, tot, t, s = self.c, self.totals, now.t, now.live
        tot["reception"][t] = np.count_nonzero(now.in_reception) * c.reception_per_year / 12
        tot["benefits"][t] = benefit_share.sum() * c.benefit_per_year / 12
        tot["courses"][t] = self._pending_courses
        self._pending_courses = 0.0
        adult = ppl.age0[s] >= np.float32(18 - t / 12)
        early = now.housed & (ppl.ti_housed[s] > t - 36) & adult
        n_support = np.count_nonzero(early)
        if self.policy.start_in_reception:
            n_support += np.count_nonzero(now.in_reception & adult)
        tot["support"][t] = n_support * self.support_rate + self._pending_support
        self._pending_support = 0.0
        if self.subsidy_rate:
            new_job = ppl.employed[s] & (ppl.ti_employed[s] > t - 12)
            low = (ppl.language[s] < 2.0) | (ppl.education[s] == Education.LOW.value)
            tot["subsidies"][t] = np.count_nonzero(new_job & low) * self.subsidy_rate
        tot["earnings"][t] = pay.sum()
