"""Public costs and earnings of a cohort, month by month (EUR, nominal, not discounted).

Costs follow the domain brief (sources in ``model/data/README.md``): a reception place, a bijstand
benefit (scaled by the share of the norm that is paid out, so a top-up costs less), a civic
integration route (the education route costs more), and municipal support for housed permit holders
in their first three years, proportional to the support level (D1). Earnings are the cohort's net
wages, the other side of the ledger.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.people import Residence, Route

PARAMS: tuple[Param, ...] = (
    Param("reception_per_year", 28_750.0, "EUR per person-year",
          "COA: 27,100 (2022) to 30,400 (2023) a place a year (secondary)",
          "cost of a reception place", kind="euro", low=27_100.0, high=30_400.0),
    Param("benefit_per_year", 14_000.0, "EUR per household-year",
          "domain brief: bijstand about EUR 14,000 a year including administration",
          "cost of a full bijstand benefit (top-ups pay their share)", kind="euro",
          low=12_000.0, high=16_000.0),
    Param("route", 10_000.0, "EUR per person", "Divosa 2025: about EUR 10,000 (11,600 in 2025)",
          "cost of a B1, Z or self-arranged route", kind="euro", low=10_000.0, high=11_600.0),
    Param("education_route", 17_000.0, "EUR per person", "Divosa 2025: EUR 17,000 from 2026",
          "cost of an education route", kind="euro", low=12_000.0, high=17_000.0),
    Param("support_per_month", 100.0, "EUR per person-month at support level 1",
          "assumption (Berenschot 2018 via secondary sources: municipal support budgets)",
          "cost of municipal support for a housed adult in the first 3 years", kind="euro",
          low=50.0, high=250.0),
)

ITEMS = ("reception", "benefits", "courses", "support", "earnings")


class Costs:
    """Accumulates costs by model month. ``totals[item][t]`` in EUR for the simulated cohort."""

    def __init__(self, c, months: int, support_level: float) -> None:
        self.c = c
        self.totals = {k: np.zeros(months) for k in ITEMS}
        self.support_level = support_level
        self._t = 0
        self._pending_courses = 0.0

    def course_starts(self, routes: np.ndarray) -> None:
        """Charge a route for each first course start."""
        edu = np.count_nonzero(routes == Route.EDUCATION)
        self._pending_courses += edu * self.c.education_route + (len(routes) - edu) * self.c.route

    def month(self, t: int, ppl, pay: np.ndarray, hh_benefit_share: np.ndarray) -> None:
        """Book month ``t`` (called by the income pathway after benefits are set).

        Args:
            hh_benefit_share: per household, the share of the full norm paid as benefit (0-1).
        """
        c, tot = self.c, self.totals
        res = ppl.residence
        tot["reception"][t] = np.count_nonzero(res == Residence.RECEPTION) * c.reception_per_year / 12
        tot["benefits"][t] = hh_benefit_share.sum() * c.benefit_per_year / 12
        tot["courses"][t] = self._pending_courses
        self._pending_courses = 0.0
        early = (res == Residence.HOUSED) & (ppl.ti_housed > t - 36) & (ppl.age0 >= np.float32(18 - t / 12))
        tot["support"][t] = np.count_nonzero(early) * c.support_per_month * self.support_level
        tot["earnings"][t] = pay.sum()
