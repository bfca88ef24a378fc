"""Mental health: the harm of waiting ("limbo") and recovery once settled.

Pattern reproduced: psychiatric disorders were found in 42% of asylum seekers after under 6 months
in the procedure and in 66% after over 2 years (Laban et al. 2004); 38-42% of Syrian permit holders
reported poor mental health (SCP). Poor health slows language learning and lowers job chances (see
``language`` and ``work``), which is how waiting harms later employment (Hainmueller et al. 2016).

Mechanism: at the permit, a person has poor mental health with the prevalence at arrival plus the
onset accumulated over the months already spent in reception. Each month in reception adds onset
at ``limbo_onset``; once housed, onset falls to ``settled_onset`` and the poorly are recovering at
``recovery_rate`` (faster with social guidance, D2, and with work).
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import NEVER

PARAMS: tuple[Param, ...] = (
    Param("prevalence_at_arrival", 0.28, "share", "Laban et al. 2004 (42% after < 6 months); SCP 38-42%",
          "share with poor mental health before any waiting in reception", kind="share",
          low=0.15, high=0.45),
    Param("limbo_onset", 0.015, "per month", "Laban et al. 2004: 42% -> 66% over about 18 extra months",
          "monthly onset of poor mental health while waiting in reception", kind="probability",
          low=0.005, high=0.04),
    Param("settled_onset", 0.003, "per month", "assumption",
          "monthly onset once housed", kind="probability", low=0.0, high=0.01),
    Param("recovery_rate", 0.008, "per month", "assumption",
          "monthly recovery once housed (times social guidance; doubled in work)",
          kind="probability", low=0.005, high=0.06),
)


class Health(Pathway):
    name = "health"

    def initialise(self) -> None:
        ppl = self.people
        waited = np.where(ppl.ti_reception == NEVER, 0.0,
                          np.maximum(ppl.permit_month - ppl.ti_reception, 0))
        p = 1.0 - (1.0 - self.p.prevalence_at_arrival) * np.exp(-self.p.limbo_onset * waited)
        u = self.model.streams.uniform("health.initial", -1)
        ppl.poor_health[:] = u < p
        ppl.ti_poor_health[:] = np.where(ppl.poor_health, ppl.permit_month, NEVER)
        # the monthly chance of a change for each situation (code: poor health, housed, in
        # reception, employed as bits 0-3), made once: recovery for the poorly once housed (times
        # social guidance, doubled in work), onset for the healthy (high in reception); nobody
        # changes while absent
        code = np.arange(16)
        poor, housed, in_rec, employed = ((code >> k) & 1 == 1 for k in range(4))
        recover = housed * (self.p.recovery_rate * self.model.guidance) * (1.0 + employed)
        onset = np.where(in_rec, self.p.limbo_onset, np.where(housed, self.p.settled_onset, 0.0))
        self.chance = np.where(poor, recover, onset)

    def step(self, t: int) -> None:
        ppl = self.people
        now = self.model.now
        s, housed, in_rec = now.live, now.housed, now.in_reception
        # one draw for everyone followed (most are present): onset for the healthy, recovery for
        # the poorly; nobody changes while absent (chance 0)
        u = self.uniform("change", t, s)
        poor = ppl.poor_health[s]  # a view: writes through it change the state
        u8 = np.uint8
        code = poor.view(u8) | housed.view(u8) * u8(2) | in_rec.view(u8) * u8(4)
        code |= ppl.employed[s].view(u8) * u8(8)
        change = u < self.chance.take(code.astype(np.intp))
        if change.any():
            poor[change] = ~poor[change]
            ppl.ti_poor_health[s][change] = t
