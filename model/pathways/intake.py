"""Intake and personal plan (PIP): who has an obligation, when the plan is made, which route.

Pattern reproduced: under the law of 2021 the municipality does a broad intake and makes a personal
plan (PIP), usually only after the person is housed: 35% of the 2022 asylum cohort had started the
intake by the end of 2022 and 88% by the end of 2023 (CBS SWI). About a quarter was expected to take
the education route (Divosa); people who cannot reach B1 take the Z route. Under the law of 2013
there was no intake: permit holders arranged their own course (route ``SELF_ARRANGED``).

Mechanism: adults aged 18-64 at their permit have an obligation; at the intake a person in poor
mental health is exempted with chance ``medical_exemption``. Under the law of 2021 the intake happens at a monthly rate of
``municipal support / pip_delay_months`` (D1, D4) from housing, or from the permit when integration
starts in reception (D1); under the law of 2013 the obligation starts at housing. The route follows the person's competences: education route for the young
with some schooling, Z route for those who cannot read or learn quickly, B1 otherwise; with chance
``1 - route_information`` (D6) the intake gets it wrong and places the person on another route. At
intake a valid foreign higher qualification is recognised with chance ``competence_assessment``
(D4); under the law of 2013 people had to arrange recognition themselves.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import NEVER, Education, Exam, Route

PARAMS: tuple[Param, ...] = (
    Param("medical_exemption", 0.12, "share of those in poor health",
          "assumption; part of the 19% exempted by about 4 years (CBS, 2014 cohort)",
          "chance that a person in poor health at intake is exempted from the obligation",
          kind="share", low=0.0, high=0.4),
    Param("education_route_max_age", 28.0, "years", "Wet inburgering 2021: onderwijsroute mostly for young people",
          "oldest age at intake for the education route", kind="years", low=23.0, high=35.0),
    Param("z_route_ability", -0.8, "standard deviations",
          "assumption: Z route for people who cannot reach B1 in the term",
          "latent ability below which a person with little schooling is placed on the Z route",
          kind="coefficient", low=-1.5, high=0.0),
    Param("staff_capacity", 0.55, "share of today's integration staff",
          "assumption: municipalities report shortages of integration staff (Divosa benchmark); "
          "scaling up takes years. See model.policy.STAFF_WORK",
          "extra integration work (support, coaching, guidance, intake) the municipalities can take "
          "on nationally; a policy asking more gets that share of each staff lever's change",
          kind="rate", low=0.3, high=0.8, strength_of="all"),
    Param("self_recognition", 0.4, "factor on competence_assessment",
          "assumption: under the law of 2013 recognition was left to the person",
          "chance of recognition under the law of 2013, relative to an intake's", kind="share",
          low=0.1, high=1.0),
)


class Intake(Pathway):
    name = "intake"

    def initialise(self) -> None:
        ppl = self.people
        age_at_permit = ppl.age0 + ppl.permit_month / 12.0
        ppl.obliged[:] = (age_at_permit >= 18) & (age_at_permit < 65)

    def step(self, t: int) -> None:
        ppl = self.people
        pol = self.policy
        now = self.model.now
        s = now.live
        waiting = (ppl.obliged[s] & (ppl.ti_intake[s] == NEVER)
                   & (now.present if pol.start_in_reception else now.housed))
        if not waiting.any():
            return
        idx = s.start + waiting.nonzero()[0]
        u = self.uniform("timing", t, idx)
        if pol.law_2021:
            support = self.model.muni_support[ppl.municipality[idx]]
            rate = np.minimum(support / pol.pip_delay_months, 1.0)
            if pol.start_in_reception:  # intake in reception only as far as staff can serve it
                rate = np.where(self.model.now.in_reception[idx - s.start], rate * pol.realised, rate)
        else:
            rate = np.full(len(idx), 1.0)  # law 2013: the obligation starts at once, no plan
        now = idx[u < rate]
        if len(now) == 0:
            return
        ppl.ti_intake[now] = t
        u2 = self.uniform("exemption", t, now)
        u3 = self.uniform("assessment", t, now)
        # medical exemption at intake
        exempt = ppl.poor_health[now] & (u2 < self.p.medical_exemption)
        ex = now[exempt]
        ppl.exam[ex] = Exam.EXEMPTED
        ppl.ti_exam[ex] = t
        ppl.medical_exempt[ex] = True
        # recognition of a foreign higher qualification
        p_rec = pol.competence_assessment * (1.0 if pol.law_2021 else self.p.self_recognition)
        high = ppl.education[now] == Education.HIGH.value
        rec = high & (u3 < p_rec)
        ppl.diploma_recognised[now[rec]] = True
        if pol.law_2021:  # the intake assesses the higher-educated's qualifications
            self.model.costs.assessments(np.count_nonzero(high) * pol.competence_assessment)
        if not pol.law_2021:
            ppl.route[now] = Route.SELF_ARRANGED
            return
        age = ppl.age0[now] + t / 12.0
        edu, lit, abil = ppl.education[now], ppl.literate[now], ppl.ability[now]
        fits = np.where((age < self.p.education_route_max_age) & (edu >= Education.MID),
                        Route.EDUCATION, Route.B1)
        fits = np.where(~lit | ((edu == Education.LOW) & (abil < self.p.z_route_ability)),
                        Route.Z, fits)
        # a wrong placement: B1 <-> Z, education -> B1
        wrong = self.uniform("placement", t, now) > pol.route_information
        wrong_route = np.where(fits == Route.Z, Route.B1, np.where(fits == Route.B1, Route.Z, Route.B1))
        ppl.route[now] = np.where(wrong, wrong_route, fits)
