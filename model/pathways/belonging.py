"""Belonging ("feeling at home") and other participation (volunteering).

Pattern reproduced: waiting, an insecure permit and discrimination weaken refugees' sense of being at
home; work, a home, Dutch and contact strengthen it (domain brief D11; the client's position: many
refugees feel less at home because of a harder climate). Belonging in turn feeds motivation for
learning and job search (``language``, ``work``).

Mechanism: belonging moves each month a share ``adjust_rate`` of the way towards a target set by
the person's situation: a home, work, Dutch level, permit security, contact (D11) against waiting
in reception, a fine, extra conditions (D9) and discrimination (D11). Housed adults who are neither
in work nor in education take up other participation (volunteering, a participation job) at a rate
that rises with belonging and, with diminishing returns, with municipal support (D1): the rate is
``volunteer_start x support ** volunteer_support_elasticity x 2 x belonging``, and they stop at
``volunteer_stop``. The elasticity is small and uncertain: the one Dutch evaluation of a far more
intensive municipal programme (Rotterdam; van der Linden & Dagevos 2025) found no difference in paid
or volunteer work over four years, so doubling support raises take-up by at most about half (at the
top of the range), not twofold as a proportional rate would.
All weights are assumptions: the sensitivity analysis should show how much they matter.
"""

from __future__ import annotations

import numba
import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import Permit, Study
from model.policy import TEMPORARY_PERMIT_MONTHS

PARAMS: tuple[Param, ...] = (
    Param("adjust_rate", 0.05, "per month", "assumption", "speed at which belonging follows the situation",
          kind="share", low=0.01, high=0.2),
    Param("baseline", 0.45, "index 0-1", "assumption", "belonging before any situation or policy term (also the starting value)",
          kind="share", low=0.2, high=0.7),
    Param("home_weight", 0.10, "index points", "assumption", "a home of one's own", kind="share",
          low=0.0, high=0.3),
    Param("work_weight", 0.15, "index points", "assumption", "being in work", kind="share",
          low=0.0, high=0.3),
    Param("language_weight", 0.04, "index points per CEFR level", "assumption", "speaking Dutch",
          kind="share", low=0.0, high=0.1),
    Param("permit_weight", 0.10, "index points", "assumption (Kilstrom et al. 2023 context)",
          "a permanent permit or citizenship (a temporary permit past its 5 years counts against)",
          kind="share", low=0.0, high=0.3),
    Param("waiting_weight", 0.15, "index points", "assumption (limbo, Hainmueller et al. 2016)",
          "waiting in reception beyond 6 months since the permit", kind="share", low=0.0,
          high=0.3),
    Param("discrimination_weight", 0.25, "index points per share of chances lost", "assumption",
          "experienced discrimination (D11)", kind="share", low=0.0, high=0.5),
    Param("contact_weight", 0.10, "index points per unit of contact above 1", "assumption",
          "contact with Dutch people (D11)", kind="share", low=0.0, high=0.3),
    Param("condition_weight", 0.04, "index points per extra condition", "assumption",
          "extra integration conditions felt as distrust (D9) and fines", kind="share",
          low=0.0, high=0.1),
    Param("volunteer_start", 0.02, "per month", "assumption",
          "monthly take-up of other participation at support level 1 and belonging 0.5",
          kind="probability", low=0.0, high=0.08),
    Param("volunteer_support_elasticity", 0.2, "elasticity",
          "van der Linden & Dagevos 2025 (Rotterdam's intensive programme, with frequent professional "
          "guidance: no difference in paid or volunteer work over 4 years against the regular one; "
          "NL02 in model/data/lever_evidence.csv); assumption for the size, so the range includes no "
          "response",
          "how take-up of other participation follows municipal support (D1): rate x support ** e",
          kind="share", low=0.0, high=0.6, strength_of="support_level"),
    Param("volunteer_stop", 0.03, "per month", "assumption",
          "monthly end of other participation", kind="probability", low=0.0, high=0.1),
)


class Belonging(Pathway):
    name = "belonging"

    def initialise(self) -> None:
        p, pol = self.p, self.policy
        self.people.belonging[:] = p.baseline
        #: the part of the target that is the same for everyone (policy climate)
        self.constant = (p.baseline - p.discrimination_weight * pol.discrimination
                         + p.contact_weight * (pol.social_contact - 1.0)
                         - p.condition_weight * pol.extra_conditions)
        #: monthly take-up of other participation per municipality, per unit of belonging (support is
        #: fixed for a run, so the power is taken once, not per person and month)
        self.volunteer_rate = (p.volunteer_start * 2
                               * self.model.muni_support ** p.volunteer_support_elasticity)

    def step(self, t: int) -> None:
        """One month for everyone followed, in one compiled pass (:func:`_belonging_month`)."""
        p = self.p
        now = self.model.now
        s = now.live
        f32 = np.float32
        # the volunteering draw for the whole range (a person's draw does not depend on who else
        # draws: ``model/rng.py``), so the pass reads the draws of those it needs
        u = self.uniform("volunteer", t, s)
        _belonging_month(s.start, s.stop - s.start, t, now.housed, now.in_reception, now.present,
                         now.age, self.people.permit_month, self.people.permit,
                         self.people.employed, self.people.language, self.people.fined,
                         self.people.study, self.people.municipality, self.people.belonging,
                         self.people.volunteering, u, self.volunteer_rate, float(self.constant),
                         p.home_weight, p.work_weight, f32(p.language_weight), f32(p.permit_weight),
                         p.waiting_weight, p.condition_weight, p.adjust_rate, p.volunteer_stop)


_TEMPORARY, _ENROLLED = np.int8(Permit.TEMPORARY.value), np.int8(Study.ENROLLED.value)


@numba.njit(cache=True, nogil=True)
def _belonging_month(start, n, t, housed, in_reception, present, age, permit_month, permit, employed,
                     language, fined, study, municipality, belonging, volunteering, u, volunteer_rate,
                     constant, home_weight, work_weight, language_weight, permit_weight,
                     waiting_weight, condition_weight, adjust_rate, volunteer_stop):  # pragma: no cover
    """Belonging moves towards the target of each person's situation, then other participation
    starts and stops (module docstring), for the ``n`` persons from ``start``; arrays over the
    live range (``housed`` ... ``age``, ``u``) are indexed from 0. Terms are added in the order
    and precision of the array version this replaced (float32 where the state is float32), so
    results are the same to the bit (``tests/test_kernels.py``)."""
    f32 = np.float32
    # the range's part of each person array, indexed from 0 (no wrap-around check on each access,
    # which made such loops several times slower), without branches (selects and 0/1 arithmetic)
    permit_month, permit, employed = permit_month[start:start + n], permit[start:start + n], employed[start:start + n]
    language, fined, study = language[start:start + n], fined[start:start + n], study[start:start + n]
    municipality, belonging = municipality[start:start + n], belonging[start:start + n]
    volunteering = volunteering[start:start + n]
    for i in range(n):
        since = t - permit_month[i]
        temporary = permit[i] == _TEMPORARY
        insecure = temporary & (since >= TEMPORARY_PERMIT_MONTHS)
        target = constant + home_weight * np.float64(housed[i])
        target = target + work_weight * np.float64(employed[i])
        target = target + language_weight * min(language[i], f32(4.0))
        target = target + permit_weight * (f32(1.0) * f32(not temporary) - f32(insecure))  # +1/-1/0
        target = target - waiting_weight * np.float64(in_reception[i] & (since > 6))
        target = target - condition_weight * np.float64(fined[i])
        target = min(max(target, 0.0), 1.0)
        step = (target - belonging[i]) * (adjust_rate * np.float64(present[i]))
        b = belonging[i] + f32(step)
        belonging[i] = b
        # other participation: start for the free who do not take part, stop for participants
        free = (housed[i] & (not employed[i]) & (study[i] != _ENROLLED) & (age[i] >= 18) & (age[i] < 65))
        was = volunteering[i]
        draw = u[i]
        volunteering[i] = ((was & free & (draw >= volunteer_stop))
                           | ((not was) & free & (draw < volunteer_rate[np.uint8(municipality[i])] * b)))
