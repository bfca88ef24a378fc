"""The compiled kernels give the same numbers, to the bit, as the array versions they replace.

Two hot spots of the monthly step run as compiled loops (numba) because numpy pays a pass over the
arrays per operation: the per-person random draws (``model/rng.py``) and the job-finding hazard
(``model/pathways/work.py``). Each is checked here against its definition in numpy: the draws
against ``rng._splitmix_numpy`` for any subset of persons, the hazard against the array version
kept below (the formulas of the work pathway's docstring, as the model computed them before the
kernel), on the states of real runs under policies that use every term (the 2013 law with its
lock-in, fines and temporary permits past their 5 years; the full position with caseworkers'
offers; today's policy with a dual track, wage subsidies and a factor for reception that float32
cannot hold exactly, as the array version rounded it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import rng
from model.people import NEVER, Education, Exam, Hours, Permit, Study
from model.pathways.income import YOUNG_NORM_UNTIL_AGE
from model.policy import TEMPORARY_PERMIT_MONTHS


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**40), n=st.integers(0, 300), t=st.integers(-1, 400),
       start=st.integers(0, 300), stop=st.integers(0, 300), picks=st.lists(st.integers(0, 299), max_size=50))
def test_compiled_draws_equal_their_numpy_definition(seed, n, t, start, stop, picks):
    r = rng.CommonRandom(seed, max(n, 300))
    base = r._base("work.job", t)
    for idx in (None, slice(start, stop), np.array(picks, dtype=np.int64), np.array(picks, dtype=np.int32)):
        got = rng._splitmix(base, idx, r._mixed)
        want = rng._splitmix_numpy(base, idx, r._mixed)
        assert got.dtype == want.dtype == np.float64 and got.shape == want.shape
        assert np.array_equal(got, want)
        assert ((got >= 0) & (got < 1)).all()


def reference_hazard(work, t, pos, a):
    """The array version of :meth:`model.pathways.work.Work.hazard` (before the kernel)."""
    ppl, p = work.people, work.p
    now = work.model.now
    seekers = now.live.start + pos
    lang = ppl.language.take(seekers)
    edu = ppl.education.take(seekers)
    exam = ppl.exam.take(seekers)
    permit = ppl.permit.take(seekers)
    study = ppl.study.take(seekers)
    housed_at = ppl.ti_housed.take(seekers)
    in_rec = now.in_reception[pos]
    lang_c = np.minimum(lang, 4.0) - 2.0
    recognised = (edu == Education.HIGH.value) & ppl.diploma_recognised.take(seekers)
    theta = (work.attach_fixed.take(seekers)
             + p.language_effect * lang_c
             + p.age_effect * np.maximum(a - 45.0, 0.0)
             + p.poor_health_effect * ppl.poor_health.take(seekers)
             + p.childcare_effect * (work.mother.take(seekers) & (t < work.young_child_until.take(seekers))))
    end = np.where(housed_at == NEVER, t, housed_at)
    theta += work.limbo_table.take(end - ppl.ti_reception.take(seekers), mode="clip")
    theta += p.recognition_effect * recognised
    theta += p.dutch_diploma_effect * (study == Study.COMPLETED.value)
    attached = work.resistance.take(seekers) < theta
    done = (exam == Exam.PASSED.value) | ((exam == Exam.EXEMPTED.value) & ~ppl.medical_exempt.take(seekers))
    eta = (work.speed_fixed.take(seekers)
           + p.language_speed_effect * lang_c
           + p.belonging_effect * (ppl.belonging.take(seekers) - 0.5)
           + p.integration_done_effect * done
           + p.citizenship_effect * (permit == Permit.CITIZEN.value)
           + p.recognition_speed_effect * recognised)
    eta += work.inactivity_table.take((t - housed_at) - ppl.months_worked.take(seekers), mode="clip")
    h = p.base_rate * np.exp(eta) * work.model.context.labour_demand[t]
    h *= np.where(attached, 1.0, p.unattached_factor)
    h *= np.where(in_rec, p.reception_factor, work.local.take(seekers))
    in_course = ppl.in_course.take(seekers)
    enrolled = study == Study.ENROLLED.value
    busy = ~in_rec & (in_course | enrolled)
    late = ppl.fined.take(seekers) & ~enrolled
    student = ~in_rec & ~in_course & enrolled
    held = np.where(student, p.study_lock_in, np.where(busy, np.where(late, work.lock_in_late[t], work.lock_in[t]), 1.0))
    h *= held
    late_temporary = ((permit == Permit.TEMPORARY.value)
                      & (ppl.permit_month.take(seekers) <= t - TEMPORARY_PERMIT_MONTHS)).nonzero()[0]
    if len(late_temporary):
        h[late_temporary] *= p.temporary_permit_factor
    muni = ppl.municipality.take(seekers).astype(np.intp)
    in_programme = ~in_rec & (housed_at != NEVER) & (t - housed_at < work.programme_months)
    subsidised = in_programme & ((lang < 2.0) | (edu == Education.LOW.value))
    code = muni * 6
    code += 4
    code -= in_programme.view(np.uint8) * np.uint8(2) + in_rec.view(np.uint8) * np.uint8(4)
    code += subsidised
    h *= np.where(attached, work.policy_factor.take(code), 1.0)
    if work.offers > 0:
        offer = attached & in_programme
        h = h + np.where(offer, work.offers, 0.0) * work.local.take(seekers) * held
    return h, attached, muni


@pytest.mark.parametrize("scenario,extra", [
    ("wi2013", []),
    ("vwn_position", []),
    ("baseline", ["policy.dual_track=true", "policy.wage_subsidy=1.5", "params.work.reception_factor=0.3"]),
])
def test_the_compiled_hazard_equals_the_array_version(scenario, extra):
    from experiments.runs.compose import load
    from model.model import IntegrationModel

    m = IntegrationModel(load(scenario, ["population.size=1500", "seed=3", *extra]))
    work = next(pw for pw in m.pathways if pw.name == "work")
    compared = terms = 0
    seen = {"offers": False, "late_temporary": False, "fined": False}
    while m.t < m.months:
        m.step()
        t, now = m.t - 1, m.now
        if t % 3:
            continue
        age = now.age
        pos = np.flatnonzero(now.present & (age >= 18) & (age < 65) & ~m.people.employed[now.live])
        if not len(pos):
            continue
        a = age[pos]
        got = work.hazard(t, pos, a)
        want = reference_hazard(work, t, pos, a)
        for g, w in zip(got, want):
            assert g.dtype == w.dtype and np.array_equal(g, w), (scenario, t)
        compared += len(pos)
        seekers = now.live.start + pos
        seen["offers"] |= work.offers > 0
        seen["fined"] |= bool(m.people.fined[seekers].any())
        seen["late_temporary"] |= bool(((m.people.permit[seekers] == Permit.TEMPORARY.value)
                                        & (m.people.permit_month[seekers] <= t - TEMPORARY_PERMIT_MONTHS)).any())
        terms += 1
    assert compared > 10_000 and terms > 30
    if scenario == "wi2013":  # fines, and temporary permits past their 5 years without the exam
        assert seen["fined"] and seen["late_temporary"]
    if scenario == "vwn_position":  # caseworkers' job offers
        assert seen["offers"]


def reference_belonging_step(pw, t):
    """The array version of :meth:`model.pathways.belonging.Belonging.step` (before the kernel)."""
    ppl, p = pw.people, pw.p
    now = pw.model.now
    s, housed, in_rec, present, age = now.live, now.housed, now.in_reception, now.present, now.age
    since = t - ppl.permit_month[s]
    temporary = ppl.permit[s] == Permit.TEMPORARY.value
    insecure = temporary & (since >= TEMPORARY_PERMIT_MONTHS)
    employed = ppl.employed[s]
    target = pw.constant + p.home_weight * housed
    target += p.work_weight * employed
    target += p.language_weight * np.minimum(ppl.language[s], 4.0)
    target += p.permit_weight * (np.float32(1.0) * ~temporary - insecure)
    target -= p.waiting_weight * (in_rec & (since > 6))
    target -= p.condition_weight * ppl.fined[s]
    np.clip(target, 0.0, 1.0, out=target)
    b = ppl.belonging[s]
    step = np.subtract(target, b, out=target)
    step *= p.adjust_rate * present
    b += step.astype(np.float32)
    free = housed & ~employed & (ppl.study[s] != Study.ENROLLED.value) & (age >= 18) & (age < 65)
    vol = ppl.volunteering[s]
    pos = np.flatnonzero(free | vol)
    if len(pos):
        idx = s.start + pos
        u = pw.uniform("volunteer", t, idx)
        is_free, was = free.take(pos), vol.take(pos)
        rate = pw.volunteer_rate.take(ppl.municipality.take(idx))
        start = is_free & ~was & (u < rate * b.take(pos))
        stop = was & (~is_free | (u < p.volunteer_stop))
        vol[pos[start]] = True
        vol[pos[stop]] = False



def reference_language_step(self, t):
    """The array version of :meth:`model.pathways.language.Language.step` (before the kernels)."""
    ppl, p, pol = self.people, self.p, self.policy
    now = self.model.now
    s, housed, present, age = now.live, now.housed, now.present, now.age
    o = s.start
    lang = ppl.language[s]  # a view: writes through it change the state
    adult = age >= 18
    # 1. children at school (whole-range arithmetic: cheaper than masked writes)
    child = present & ~adult & (age >= 4) & (lang < 4.0)
    lang += child * np.float32(p.gain_school)
    # 2. course starts and drop-outs (one draw: starts for those out, drop-outs for those in)
    can_learn = present if pol.start_in_reception else housed
    pending = ppl.obliged[s] & (ppl.exam[s] == Exam.PENDING.value) & (ppl.ti_intake[s] != NEVER)
    inc = ppl.in_course[s]  # a view
    # no course is paid after the term and its extension: those past it stop
    funded = self.term_start[s] > t - math.ceil(p.course_max_months)
    inc &= funded
    pos = ((pending & can_learn & funded) | inc).nonzero()[0]
    if len(pos):
        idx = o + pos
        u = self.uniform("course", t, idx)
        was_in = inc[pos]
        start_p = p.course_start_2021 if pol.law_2021 else p.course_start_2013
        if pol.start_in_reception:  # seats and teachers in reception are scarce
            start_p = np.where(now.in_reception[pos], start_p * p.reception_seats * pol.realised, start_p)
        drop_p = p.dropout / (self.model.guidance * pol.course_quality ** p.course_quality_elasticity)
        starts = idx[~was_in & (u < start_p)]
        drops = idx[was_in & (u < drop_p)]
        if len(starts):
            first = starts[ppl.ti_course[starts] == NEVER]
            self.model.costs.course_starts(ppl.route[first])
            ppl.in_course[starts] = True
            ppl.ti_course[starts] = t
        ppl.in_course[drops] = False
    # 3. learning: in a course (unchanged, the pathway's own), or informally
    self._learn_in_course(inc.nonzero()[0])
    studying = present & ~inc & adult & (ppl.study[s] == Study.ENROLLED.value)
    informal = present & ~inc & adult & ~studying
    g = np.float32(p.gain_informal * pol.social_contact ** p.contact_elasticity) * (
        informal.astype(np.float32) + (informal & ppl.employed[s]))  # doubled at work
    g += studying * np.float32(p.gain_study)  # taught in Dutch
    lang += g * self.base_speed[s] * np.maximum(1 - lang / np.float32(5.0), 0)
    # 4. meeting the obligation
    cand = o + (pending & inc).nonzero()[0]
    self._exam(t, cand, pending)


def reference_record(self, now):
    """The array version of :meth:`model.outcomes.Recorder.record` (before the kernel)."""
    ppl, t, s = self.people, now.t, now.live
    r0, span = self.window(now)
    if span <= 0:
        return
    # age group from whole years (age >= an edge exactly when its whole years are; nobody
    # recorded is younger than 0): the number of edges reached
    age = now.age
    reached = [age >= e for e in self._edges]
    agegrp = sum(r.view(np.uint8) for r in reached)
    # bin of each person; persons not recorded this month (before their permit or past the
    # horizon: below 0 or from span on) go to an extra bin, span, dropped below
    key = self._base_key[s] + ((t - r0) * self.n_class)
    key += agegrp
    np.minimum(key.view(np.uint64), span, out=key.view(np.uint64))
    housed, in_rec, present = now.housed, now.in_reception, now.present
    wa = present & reached[self._working[0]] & ~reached[self._working[1]]
    u8 = np.uint8
    # code A: employed, studying, volunteering, full-time, on benefit, poor health (bits
    # 0-5), counted only for the working-age present: its columns and belonging are counted
    # over those alone (everyone else would add 0 to every bin, which changes no sum).
    # Codes are compared as plain ints (numpy widens an array compared with an IntEnum
    # member to 64 bits)
    code_a = ppl.employed[s].view(u8) | (ppl.study[s] == Study.ENROLLED.value).view(u8) * u8(2)
    code_a |= ppl.volunteering[s].view(u8) * u8(4)
    code_a |= (ppl.hours[s] == Hours.FULL_TIME.value).view(u8) * u8(8)
    code_a |= ppl.on_benefit[s].view(u8) * u8(16)
    code_a |= ppl.poor_health[s].view(u8) * u8(32)
    pos = wa.nonzero()[0]
    key_a = key.take(pos)
    # code B: housed, in reception (bits 0-1); for the present: the obligation and the exam
    # (bits 2-4: obliged + 2 x Exam code) and the Permit code (bits 5-6)
    code_b = ppl.obliged[s].view(u8) * u8(4) | ppl.exam[s].view(u8) * u8(8)
    code_b |= ppl.permit[s].view(u8) * u8(32)
    code_b *= present
    code_b |= housed.view(u8) | in_rec.view(u8) * u8(2)
    codes = (code_a.take(pos).astype(np.intp), code_b.astype(np.intp))
    out = slice(r0 * self.n_class, r0 * self.n_class + span)
    self._belonging_sum[out] += np.bincount(
        key_a, weights=ppl.belonging[s].take(pos), minlength=span + 1)[:span]
    for g, table in enumerate(self._tables):
        a = g < self._n_a
        w = table.take(codes[0 if a else 1])
        self._packed[g, out] += np.bincount(key_a if a else key, weights=w, minlength=span + 1)[:span]


def reference_income_step(self, t):
    """The array version of :meth:`model.pathways.income.Income.step` (before the kernel)."""
    ppl, p = self.people, self.p
    now = self.model.now
    s, housed, age = now.live, now.housed, now.age  # whole households (model.model)
    employed = ppl.employed[s]
    ppl.months_worked[s] += employed
    pos = employed.nonzero()[0]
    workers = s.start + pos
    pay = self.pay_table.take(ppl.hours.take(workers) * 2 + ppl.good_match.take(workers))
    earned = np.zeros(len(employed))  # each person's pay this month
    earned[pos] = pay
    student = (ppl.study[s] == Study.ENROLLED.value) & (age < p.student_finance_max_age)
    el = (housed & (age >= 18) & ~student).nonzero()[0]  # on bijstand terms
    hh = self.household[s]
    hh_e, core_e = hh.take(el), self.core[s].take(el)
    young_e = ~core_e & (age.take(el) < YOUNG_NORM_UNTIL_AGE)
    # cost-sharers in each home, and each person's own norm
    sharers = np.bincount(hh_e[~young_e], minlength=self.n_hh)
    own_e = np.where(young_e, p.young_norm_factor * p.norm_single,
                     self.sharer_norm.take(sharers.take(hh_e), mode="clip"))
    earned_e = earned.take(el)
    # couples' units (the household's primary and partner) are summed, a partner's pay counts
    # whatever the partner's own terms; other units are one person
    core_w = self.core.take(workers)
    earn_c = np.bincount(hh.take(pos[core_w]), weights=pay[core_w], minlength=self.n_hh)
    hh_c = hh_e[core_e]
    members_c = np.bincount(hh_c, minlength=self.n_hh)
    norm_c = np.bincount(hh_c, weights=own_e[core_e], minlength=self.n_hh)
    on_c = (members_c > 0) & (earn_c < norm_c)
    on_e = np.where(core_e, on_c.take(hh_e), earned_e < own_e)
    on = ppl.on_benefit[s]  # a view
    on[:] = False
    on[el] = on_e
    # the benefit tops earnings up to the norm: paid as a share of a standard benefit (a
    # single adult's or a couple's), the unit the cost of a benefit is counted in (model/costs.py)
    standard_c = self.standard.take(members_c, mode="clip")
    alone = on_e & ~core_e
    paid = (np.sum(on_c * (norm_c - earn_c) / standard_c)
            + np.sum((own_e - earned_e)[alone]) / p.norm_single)
    self.model.costs.month(now, ppl, pay, np.array([paid]))


REFERENCES = {"belonging": reference_belonging_step, "language": reference_language_step,
              "income": reference_income_step}


@pytest.mark.parametrize("pathway,scenario,extra", [
    ("belonging", "wi2013", ["params.belonging.permit_weight=0.13", "params.belonging.language_weight=0.037"]),
    ("belonging", "vwn_position", ["params.belonging.volunteer_start=0.05"]),
    ("language", "wi2013", ["params.language.gain_school=0.137", "params.language.gain_informal=0.0123"]),
    ("language", "d1_municipal_role", ["params.language.course_start_2021=0.31"]),  # starts in reception
    ("language", "vwn_position", ["params.language.gain_study=0.043"]),
    ("income", "baseline", ["params.income.norm_single=1223.7"]),
    ("income", "vwn_position", []),
])
def test_a_compiled_month_equals_the_array_version(pathway, scenario, extra):
    """Two runs in step, one with the array version of a pathway's month in place of its compiled
    one: every person's state is the same after every month (weights that float32 cannot hold
    exactly, as the array version rounded them; the 2013 law's temporary permits past 5 years and
    fines; courses that start in reception)."""
    from experiments.runs.compose import load
    from model.model import IntegrationModel
    from model.people import STATES

    cfg = load(scenario, ["population.size=1200", "seed=5", *extra])
    a, b = IntegrationModel(cfg), IntegrationModel(cfg)
    pw = next(p for p in b.pathways if p.name == pathway)
    pw.step = lambda t: REFERENCES[pathway](pw, t)
    watched = {"belonging": "volunteering", "language": "in_course", "income": "on_benefit"}[pathway]
    changed = 0
    while a.t < a.months:
        before = getattr(a.people, watched).copy()
        a.step()
        b.step()
        for state in STATES:
            assert np.array_equal(getattr(a.people, state.name), getattr(b.people, state.name)), (state.name, a.t)
        changed += int((getattr(a.people, watched) != before).sum())
    assert changed > 100  # starts and stops were exercised
    for item, monthly in a.costs.totals.items():  # what the months charged (first course starts)
        assert np.array_equal(monthly, b.costs.totals[item]), item
    assert a.costs.totals["courses"].sum() > 0 and a.costs.totals["benefits"].sum() > 0


@pytest.mark.parametrize("scenario,size", [("baseline", 1500), ("vwn_position", 700)])
def test_the_compiled_recorder_counts_what_the_array_version_counted(scenario, size):
    """The same run recorded by both: every count and the belonging sums are the same to the bit."""
    from experiments.runs.compose import load
    from model.model import IntegrationModel
    from model.outcomes import Recorder

    m = IntegrationModel(load(scenario, [f"population.size={size}", "seed=2"]))
    ref = Recorder(m.people, m.recorder.horizon)
    while m.t < m.months:
        m.step()
        reference_record(ref, m.now)
    assert np.array_equal(m.recorder._packed, ref._packed)
    assert np.array_equal(m.recorder._belonging_sum, ref._belonging_sum)
    assert ref._packed.sum() > 0 and ref._belonging_sum.sum() > 0
