"""Income and benefits: bijstand for each benefit unit that earns less than its norm.

Pattern reproduced: permit holders in a municipality live on social assistance (bijstand, about EUR
1,308 net a month for a single adult in 2024) until they earn enough; part-time work often leaves
a person on a top-up benefit. People in reception get a COA allowance, which is not a benefit in
CBS's sense. CBS counts a *person's own* benefit: partners who share one are both counted, an adult
child living with the parents is not counted with them, and a student lives on student finance
(DUO), not on bijstand.

Mechanism (the Participatiewet, simplified): each month every housed adult belongs to a benefit
unit: the primary permit holder and the partner form one; every other adult (a child who has come
of age) forms one alone. A student enrolled in regular education below ``student_finance_max_age``
gets student finance and is not on bijstand (a student partner leaves the other partner on the
single norm). A unit's net earnings are the sum of its members' monthly net pay for their hours (a
job that fits the person's education pays more, D3); if they fall short of the unit's norm, its
members are on bijstand, which tops the earnings up to the norm. The norm is the cost-sharers' norm
(kostendelersnorm): each member's share of the couple norm is ``(40% + A x 30%) / A`` with ``A`` the
household's adults on bijstand terms (the partners, and others of 21 or over; students do not
count), so a single adult alone gets 70%, a couple 100%, and adults sharing a home less each; an
adult child of 18 to 20 gets the young person's norm (the parents are expected to provide).
"""

from __future__ import annotations

import numba
import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import Study

#: Participatiewet: the young person's norm applies from 18 to 20 (article 20)
YOUNG_NORM_UNTIL_AGE = 21
#: Participatiewet article 22a (kostendelersnorm): with A adults of 21 or over sharing a home, each
#: one's norm is (40% + A x 30%) / A of the couple norm (one adult alone: 70%; a couple: 2 x 50%)
SHARER_BASE, SHARER_PER_ADULT = 0.40, 0.30

PARAMS: tuple[Param, ...] = (
    Param("norm_single", 1308.0, "EUR per month (net)", "Participatiewet norm 2024 (domain brief)",
          "bijstand norm of a single adult", kind="euro", low=1200.0, high=1400.0),
    Param("norm_couple_factor", 1.43, "factor", "Participatiewet: couple norm 100% vs single 70% of the net minimum wage",
          "norm of a couple, relative to a single", kind="multiplier",
          low=1.3, high=1.6),
    Param("young_norm_factor", 0.22, "factor",
          "Participatiewet article 20: the norm of an 18-20 year old living with the parents is about "
          "EUR 290 net a month in 2024 (Rijksoverheid norm tables; approximate)",
          "norm of an adult child aged 18-20, relative to a single adult's", kind="share",
          low=0.15, high=0.6),
    Param("student_finance_max_age", 30.0, "years",
          "Wet studiefinanciering 2000: student finance up to age 30 (MBO from 18, HBO/WO)",
          "students enrolled in regular education below this age live on student finance, not bijstand",
          kind="years", low=27.0, high=30.0),
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
        p, ppl = self.p, self.people
        self.n_hh = len(self.model.households.size)
        #: net monthly pay by Hours code (none, part-time, full-time)
        self.pay_by_hours = np.array([0.0, p.wage_full_time * p.part_time_share, p.wage_full_time])
        #: pay by Hours code x 2 + good match (the premium on the pay of the hours)
        self.pay_table = (self.pay_by_hours[:, None] * (1.0 + p.good_match_premium * np.array([0.0, 1.0]))).ravel()
        #: a standard benefit by the members of a couple's unit on bijstand terms (0, 1, 2 or more)
        self.standard = p.norm_single * np.array([1.0, 1.0, p.norm_couple_factor])
        #: benefit units are fixed: the primary and the partner share their household's; everyone
        #: else is a unit alone (so only the couples' units need summing)
        self.core = ppl.is_primary | ppl.is_partner
        #: each person's household, as the index type counting by household takes without a copy
        self.household = ppl.household.astype(np.intp)
        couple = p.norm_single * p.norm_couple_factor
        #: a cost-sharer's norm by the number of cost-sharers in the home (1, 2, ...)
        a = np.arange(1, 64, dtype=float)
        self.sharer_norm = np.concatenate([[couple * (SHARER_BASE + SHARER_PER_ADULT)],
                                           couple * (SHARER_BASE + SHARER_PER_ADULT * a) / a])

    def step(self, t: int) -> None:
        ppl, p = self.people, self.p
        now = self.model.now
        s = now.live  # whole households (model.model)
        # pay, benefit units and their norms, person by person in one compiled function
        # (:func:`_income_month`); what is summed over arrays (the costs) stays numpy's sum
        pay, alone_gap, earn_c, members_c, norm_c = _income_month(
            s.start, now.housed, now.age, ppl.employed, ppl.months_worked, ppl.hours,
            ppl.good_match, ppl.study, ppl.on_benefit, self.core, self.household, self.n_hh,
            self.pay_table, self.sharer_norm, p.student_finance_max_age,
            p.young_norm_factor * p.norm_single)
        on_c = (members_c > 0) & (earn_c < norm_c)
        # the benefit tops earnings up to the norm: paid as a share of a standard benefit (a
        # single adult's or a couple's), the unit the cost of a benefit is counted in (model/costs.py)
        standard_c = self.standard.take(members_c, mode="clip")
        paid = (np.sum(on_c * (norm_c - earn_c) / standard_c)
                + np.sum(alone_gap) / p.norm_single)
        self.model.costs.month(now, ppl, pay, np.array([paid]))


_ENROLLED = np.int8(Study.ENROLLED.value)


@numba.njit(cache=True, nogil=True)
def _income_month(start, housed, age, employed, months_worked, hours, good_match, study, on_benefit,
                  core, household, n_hh, pay_table, sharer_norm, student_finance_max_age,
                  young_norm):  # pragma: no cover - compiled
    """The month of the income pathway for the live range from ``start`` (``housed`` and
    ``age`` over the range): months worked, each worker's pay, who is on bijstand (the module
    docstring: the norms of cost-sharers and the young, couples' units summed, a partner's pay
    counted whatever the partner's own terms, students on student finance).

    Returns the pay of each person in work (in person order), the gaps ``norm - earnings`` of the
    persons on bijstand alone (outside a couple's unit), and by household the couples' units'
    earnings, members on bijstand terms and summed norms. Sums by household run over persons in
    order, as ``bincount`` did, so they are the same to the bit."""
    n = housed.shape[0]
    # the range's part of each person array, indexed from 0 (no wrap-around checks)
    employed, months_worked = employed[start:start + n], months_worked[start:start + n]
    hours, good_match, study = hours[start:start + n], good_match[start:start + n], study[start:start + n]
    on_benefit, core, household = on_benefit[start:start + n], core[start:start + n], household[start:start + n]
    pay = np.empty(n)
    earned = np.zeros(n)  # each person's pay this month
    terms = np.zeros(n, dtype=np.bool_)  # on bijstand terms: housed adults, students on student finance aside
    young = np.zeros(n, dtype=np.bool_)  # young adults outside the couple: the young norm
    earn_c = np.zeros(n_hh)
    sharers = np.zeros(n_hh, dtype=np.int64)  # cost-sharers in each home
    n_work = 0
    for i in range(n):
        emp = employed[i]
        months_worked[i] = months_worked[i] + np.int16(emp)
        hh = np.uint64(household[i])
        if emp:
            w = pay_table[np.uint64(hours[i] * 2 + good_match[i])]
            pay[n_work] = w
            n_work += 1
            earned[i] = w
            # couples' units (the household's primary and partner) are summed, a partner's pay
            # counts whatever the partner's own terms; other units are one person
            if core[i]:
                earn_c[hh] += w
        a = age[i]
        student = (study[i] == _ENROLLED) & (a < student_finance_max_age)
        on_terms = housed[i] & (a >= 18) & (not student)
        terms[i] = on_terms
        yng = on_terms & (not core[i]) & (a < YOUNG_NORM_UNTIL_AGE)
        young[i] = yng
        sharers[hh] += on_terms & (not yng)
    # each person's own norm, and the couples' units' members and norms
    own = np.zeros(n)
    members_c = np.zeros(n_hh, dtype=np.int64)
    norm_c = np.zeros(n_hh)
    top = sharer_norm.shape[0] - 1
    for i in range(n):
        if terms[i]:
            hh = np.uint64(household[i])
            own[i] = young_norm if young[i] else sharer_norm[np.uint64(min(sharers[hh], top))]
            if core[i]:
                members_c[hh] += 1
                norm_c[hh] += own[i]
    # on bijstand: a couple's unit when its earnings are below its norm, anyone else alone
    alone_gap = np.empty(n)
    n_alone = 0
    for i in range(n):
        on = False
        if terms[i]:
            if core[i]:
                hh = np.uint64(household[i])
                on = (members_c[hh] > 0) & (earn_c[hh] < norm_c[hh])
            else:
                on = earned[i] < own[i]
                if on:
                    alone_gap[n_alone] = own[i] - earned[i]
                    n_alone += 1
        on_benefit[i] = on
    return pay[:n_work], alone_gap[:n_alone], earn_c, members_c, norm_c
