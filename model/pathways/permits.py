"""Permits: temporary to permanent, naturalisation, and leaving the country.

Pattern reproduced: the asylum permit is temporary for 5 years; a permanent permit follows if
protection is still needed and (current law) the civic integration obligation is met. Naturalisation
is possible after 5 years of residence with the exam passed; about 41% of Syrians with a 2015
permit were Dutch by the end of 2021 (secondary). Few permit holders leave.

Mechanism: from ``policy.permanence_years`` after the permit, a temporary permit becomes permanent
at ``permanent_uptake`` a month if the obligation is met or not required (D7); otherwise it is
extended and stays temporary (insecurity lowers hiring, see ``work``, and belonging). From
``policy.naturalisation_years``, people whose exam is passed (or exempted) at the required level
(D7, D9) naturalise at ``naturalisation_rate x naturalisation_ease`` a month (D8). Anyone present
leaves at ``leave_rate`` a month (the month is drawn once per person, a geometric number of months
after the permit, which is the same as a monthly draw at a constant chance).
"""

from __future__ import annotations

import math

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import Exam, Hours, Permit, Residence, Study

PARAMS: tuple[Param, ...] = (
    Param("permanent_uptake", 0.3, "per month", "assumption: application and decision take a few months",
          "monthly chance an eligible temporary permit becomes permanent", kind="probability",
          low=0.1, high=1.0),
    Param("naturalisation_rate", 0.03, "per month",
          "set by hand to 41% of Syrians with a 2015 permit Dutch by end 2021 (secondary; not in the targets file)",
          "monthly chance an eligible person naturalises", kind="probability", low=0.01,
          high=0.15),
    Param("leave_rate", 0.0008, "per month", "assumption: few permit holders emigrate (CBS)",
          "monthly chance of leaving the Netherlands", kind="probability", low=0.0, high=0.004),
)


class Permits(Pathway):
    name = "permits"

    def initialise(self) -> None:
        # everyone starts on a temporary permit (the People default). Leaving at a constant monthly
        # chance from the permit on is a geometric number of months: drawn once per person
        ppl, rate = self.people, self.p.leave_rate
        u = self.model.streams.uniform("permits.leave", -1)
        with np.errstate(divide="ignore"):
            months = np.floor(np.log1p(-u) / np.log1p(-rate)) if rate > 0 else np.full(ppl.n, np.inf)
        #: model month each person leaves the country, if still followed then
        self.leave_month = np.minimum(ppl.permit_month + months, 2 ** 31 - 1).astype(np.int32)

    def step(self, t: int) -> None:
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        s, present = now.live, now.present
        o = s.start
        if t >= 12 * min(pol.permanence_years, pol.naturalisation_years):
            # months since the permit are whole: compared with the whole months of a term
            since = t - ppl.permit_month[s]
            exam, obliged = ppl.exam[s], ppl.obliged[s]
            permit = ppl.permit[s]  # a view: it sees this month's grants
            met = (exam != Exam.PENDING.value) | ~obliged
            # permanent residence
            cand = present & (permit == Permit.TEMPORARY.value) & (since >= math.ceil(12 * pol.permanence_years))
            if pol.permanence_requires_exam:
                cand &= met
            idx = o + cand.nonzero()[0]
            grant = idx[self.uniform("permanent", t, idx) < p.permanent_uptake]
            ppl.permit[grant] = Permit.PERMANENT
            ppl.ti_permit[grant] = t
            # naturalisation
            cand = present & (permit != Permit.CITIZEN.value) & (since >= math.ceil(12 * pol.naturalisation_years))
            if pol.naturalisation_requires_exam:
                level_ok = (exam == Exam.EXEMPTED.value) | (
                    (exam == Exam.PASSED.value) & (ppl.language[s] >= pol.naturalisation_target - 0.5))
                cand &= level_ok | ~obliged
            idx = o + cand.nonzero()[0]
            nat = idx[self.uniform("naturalise", t, idx) < p.naturalisation_rate * pol.naturalisation_ease]
            ppl.permit[nat] = Permit.CITIZEN
            ppl.ti_permit[nat] = t
        # leaving the country (the month was drawn at the start)
        leave = o + (present & (self.leave_month[s] == t)).nonzero()[0]
        if len(leave):
            ppl.residence[leave] = Residence.LEFT
            ppl.ti_left[leave] = t
            now.moved()
            # whoever leaves the country leaves every activity here
            ppl.in_course[leave] = False
            ppl.volunteering[leave] = False
            ppl.on_benefit[leave] = False
            working = leave[ppl.employed[leave]]
            ppl.employed[working] = False
            ppl.hours[working] = Hours.NONE
            ppl.good_match[working] = False
            ppl.ti_employed[working] = t
            studying = leave[ppl.study[leave] == Study.ENROLLED.value]
            ppl.study[studying] = Study.NONE
            ppl.ti_study[studying] = t
