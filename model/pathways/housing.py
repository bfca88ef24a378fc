"""Reception and housing: family arrivals, and the queue for a home against municipal supply.

Pattern reproduced: permit holders wait in reception for a home in the municipality they are linked
to; municipalities house them in proportion to their quota, so the wait depends on supply, not on
the person. Syrians entering reception in 2014 were housed faster than Eritreans (70% vs 45% a year
after entering reception, CBS news 2017/25): in the model, through a shorter asylum procedure and
through families being matched to dwellings faster than singles, who need scarce small homes.
Today's average wait after the permit is about 40 weeks against a norm of 14 (secondary).

Mechanism: each month the homes that come free for the cohort, ``capacity_rate x supply index(year)
x cohort size`` persons, are shared out over the municipalities in proportion to quota share x
delivery, where delivery is a municipality's implementation quality relative to today's (D10) to
the power ``quality_elasticity``: municipalities differ in meeting their quota, but no lever
creates homes (the supply index is context: building and the housing market, not integration
policy).
Supply not taken in a month carries over up to the larger of one month's supply and the size of
the household at the head of the queue (so a large family waits until a large enough home has come
free); supply is lost in a month when nobody is in reception. Households in reception whose primary permit holder has waited at
least ``min_wait_months`` since the permit queue in order of priority: months waited (singles'
months count for ``single_priority``) plus a stable random tie-break. Homes go down the queue until
the month's supply is used; a household that does not fit stops the queue (no overtaking). Family
members who arrive through reunification move straight into the sponsor's home if there is one,
else they join the household in reception.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import NEVER, Residence
from model.population import SINGLE

PARAMS: tuple[Param, ...] = (
    Param("capacity_rate", 0.0365, "share of the cohort's persons housed per month",
          "fitted to CBS news 2017/25 (2014 entrants' own home at 6, 12, 18 months)",
          "monthly housing supply for the cohort at the 2014 supply level", kind="share",
          low=0.02, high=0.25, calibrate=True),
    Param("min_wait_months", 1.0, "months", "norm: a home within 14 weeks of the permit (domain brief)",
          "months after the permit before a household can be housed (linking, search, moving)",
          kind="months", low=0.0, high=4.0),
    Param("quality_elasticity", 1.0, "elasticity",
          "assumption: municipalities differ widely in meeting their quota (secondary)",
          "a municipality's share of the homes that come free scales with its implementation quality to this power",
          kind="rate", low=0.0, high=3.0),
    Param("single_priority", 0.8627, "factor on waiting months",
          "assumption: single-person dwellings are scarce; fitted to the Syrian/Eritrean gap",
          "weight of a single's waiting months in the queue (1 = same as families)", kind="share",
          low=0.3, high=1.0, calibrate=True),
)


class Housing(Pathway):
    name = "housing"

    def initialise(self) -> None:
        m = self.model
        hh = m.households
        self.n_hh = len(hh.size)
        self.hh_single = hh.kind == SINGLE
        self.hh_primary = hh.primary
        self.hh_muni = self.people.municipality[hh.primary].astype(np.int64)
        self.tiebreak = m.streams.uniform("housing.tiebreak", -1)[: self.n_hh]
        shares = np.array([mu.quota_share for mu in m.municipalities])
        delivery = np.array([mu.quality for mu in m.municipalities]) / m.reference_quality
        # implementation quality decides which municipalities meet their quota first, not how many
        # homes come free: the national supply is shared out in proportion to quota x delivery
        weight = shares * delivery ** self.p.quality_elasticity
        #: persons per month each municipality can house, at supply index 1
        self.base_capacity = self.p.capacity_rate * self.people.n * shares.sum() * weight / weight.sum()
        #: homes offered but not yet taken, per municipality (persons)
        self.budget = np.zeros(len(shares))

    def step(self, t: int) -> None:
        ppl = self.people
        # the queue is shared by everyone: households past the horizon still wait and take homes
        s = self.model.arrived
        o = s.start
        res = ppl.residence[s]  # a view: writes through it change the state
        # 1. persons whose own permit begins now join the cohort: permit holders in the asylum
        # procedure stay in reception (they entered it earlier: ti_reception), family members
        # arriving through reunification move into the sponsor's home, or reception if none yet
        arriving = (ppl.permit_month[s] == t) & (res == Residence.NOT_ARRIVED.value)
        if arriving.any():
            idx = o + arriving.nonzero()[0]
            in_procedure = ppl.ti_reception[idx] != NEVER
            ppl.residence[idx[in_procedure]] = Residence.RECEPTION
            fam = idx[~in_procedure]
            sponsor_housed = ppl.residence[self.hh_primary[ppl.household[fam]]] == Residence.HOUSED.value
            to_home, to_reception = fam[sponsor_housed], fam[~sponsor_housed]
            ppl.residence[to_home] = Residence.HOUSED
            ppl.ti_housed[to_home] = t
            ppl.residence[to_reception] = Residence.RECEPTION
            ppl.ti_reception[to_reception] = t
            self.model.now.moved()
        # 2. the queue: households with members in reception whose sponsor has waited long enough
        capacity = self.base_capacity * self.model.context.housing_supply[t]
        in_rec = res == Residence.RECEPTION.value
        if not in_rec.any():
            self.budget[:] = 0.0
            return
        household = ppl.household[s]
        need = np.bincount(household[in_rec], minlength=self.n_hh)
        waited = t - ppl.permit_month[self.hh_primary]
        queued = ((need > 0) & (waited >= self.p.min_wait_months)).nonzero()[0]
        if len(queued) == 0:
            return
        priority = waited[queued] * np.where(self.hh_single[queued], self.p.single_priority, 1.0)
        priority = priority + self.tiebreak[queued]
        muni = self.hh_muni[queued]
        # by municipality, then by priority (the tie-break is continuous, so priorities differ)
        by_priority = np.argsort(-priority)
        order = by_priority[np.argsort(muni[by_priority], kind="stable")]
        q_sorted, m_sorted = queued[order], muni[order]
        size = need[q_sorted]
        cum = np.cumsum(size)
        starts = np.searchsorted(m_sorted, np.arange(len(self.base_capacity)))
        before = np.concatenate([[0], cum])[starts]  # persons queued in earlier municipalities
        within = cum - before[m_sorted]
        # this month's supply plus what was left unused; unused supply is kept only up to the size
        # of the household at the head of the queue (a large family waits for a large home)
        budget = self.budget + capacity
        # no overtaking: a household is housed only if it and everyone ahead of it fit
        ok = within <= budget[m_sorted]
        housed_hh = q_sorted[ok]
        used = np.bincount(m_sorted[ok], weights=size[ok], minlength=len(capacity))
        head = np.zeros(len(capacity))
        munis_left, first = np.unique(m_sorted[~ok], return_index=True)
        head[munis_left] = size[~ok][first]
        self.budget = np.minimum(budget - used, np.maximum(capacity, head))
        if len(housed_hh):
            mark = np.zeros(self.n_hh, bool)
            mark[housed_hh] = True
            movers = in_rec & mark[household]
            res[movers] = Residence.HOUSED
            ppl.ti_housed[s][movers] = t
            self.model.now.moved()
