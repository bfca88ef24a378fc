"""Language learning and the civic integration exam.

Pattern reproduced: of the 2014 asylum cohort (law of 2013, exam at A2), 6% had passed by 2 years,
58% had passed and 19% were exempted by about 4 years (CBS); only 32% of the 2013 cohort met the
obligation near the 3-year deadline, 85% after 5 years (Kamerbrieven 32824-161, -222). Learning is
slower for older people, for people with little schooling and above all for those who cannot read
(alpha learners); poor mental health slows it further.

Mechanism: Dutch proficiency is a continuous level (0 none, 1 A1, 2 A2, 3 B1, 4 B2). In a course a
person gains ``gain_course`` levels a month, scaled by age, schooling, literacy, health, ability,
belonging, course quality (D6, and the municipality's implementation quality under the law of
2021), time taken by work (less with a dual track, D2) and by extra conditions (D9), with
diminishing returns (the gain falls linearly to zero at level 5). Outside a course, contact teaches a little (more at work and with
more social contact, D11); adults in regular education (MBO/HBO) learn ``gain_study`` instead. Children learn at school. Courses start once the obligation has begun
(in reception too when integration starts there, D1, but seats there are scarce and learning is
slower: ``reception_seats``, ``reception_learning``):
at ``course_start_2021`` a month when the municipality provides them, at ``course_start_2013`` when
people arrange their own; they may be dropped (less with guidance, D2, and quality, D6). Near the
exam level people sit the exam, ``deadline_push`` times more often in the term's last year; the chance to pass rises
with the level. The B1 and self-arranged routes end with the exam, the Z route after
``z_route_months`` in the course, the education route on reaching the exam level. The 3-year
term runs from the permit under the law of 2013 and from the intake (registration in the
municipality) under the law of 2021; once it has passed, people who tried for at least a year are
exempted at ``effort_exemption``; the rest are fined and keep going (an extension, in effect)
until ``course_max_months`` after the term began: no course is paid after the term and its
extension, so whoever has not met the obligation by then stops with the Dutch they have (slow
learners no longer catch up in a course that never ends, so a better course, D6, leaves a little
more lasting difference: course quality 1.5 instead of 1.0 gives +0.9 pp employment at 10 years
against +0.8 without the limit, 2024 cohort, 6 seeds of 10,000).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import NEVER, Education, Exam, Route, Study

PARAMS: tuple[Param, ...] = (
    Param("gain_course", 0.113, "CEFR levels per month",
          "assumption: A2 in about 2 years of a part-time course; fitted to CBS 2014 exam figures",
          "monthly gain in a course for a reference learner (30, secondary school, healthy)",
          kind="rate", low=0.04, high=0.16, calibrate=True),
    Param("gain_informal", 0.006, "CEFR levels per month", "assumption",
          "monthly gain outside a course from everyday contact (doubled at work)", kind="rate",
          low=0.0, high=0.04),
    Param("gain_school", 0.10, "CEFR levels per month", "assumption: children learn fast at school",
          "monthly gain of children at school", kind="rate", low=0.05, high=0.2),
    Param("gain_study", 0.04, "CEFR levels per month",
          "assumption: MBO and HBO are taught in Dutch and newcomers' programmes include Dutch as a "
          "second language (NT2); about a level in two years of study",
          "monthly gain of adults in regular education (MBO/HBO), instead of informal learning",
          kind="rate", low=0.01, high=0.1),
    Param("prior_stay_gain", 0.015, "CEFR levels per month lived here before the permit",
          "assumption: people who lived years in the Netherlands before a permit speak some Dutch (A1 after about 5 years)",
          "Dutch learned during a long stay before the permit (up to B1)", kind="rate",
          low=0.0, high=0.04),
    Param("age_effect", -0.25, "log-factor per decade over 30", "assumption (age and second-language learning)",
          "effect of age on learning speed", kind="coefficient", low=-0.5, high=0.0),
    Param("low_education_effect", -0.35, "log-factor", "assumption",
          "effect of little schooling on learning speed", kind="coefficient", low=-0.8, high=0.0),
    Param("high_education_effect", 0.25, "log-factor", "assumption",
          "effect of higher education on learning speed", kind="coefficient", low=0.0, high=0.6),
    Param("illiterate_effect", -0.9, "log-factor", "assumption: alpha learners need about twice the hours",
          "effect of not being able to read on learning speed", kind="coefficient", low=-1.6,
          high=-0.3),
    Param("poor_health_effect", -0.5, "log-factor", "assumption (Laban et al. 2004 on functioning)",
          "effect of poor mental health on learning speed", kind="coefficient", low=-1.0, high=0.0),
    Param("ability_effect", 0.3, "log-factor per standard deviation", "assumption",
          "spread of learning speed between otherwise similar people", kind="rate", low=0.1,
          high=0.6),
    Param("work_course_time", 0.6, "factor", "assumption: evening classes next to a job",
          "learning speed in a course while working, without a dual track", kind="share",
          low=0.3, high=0.9),
    Param("dual_track_course_time", 0.7, "factor",
          "Arendt & Bolvig 2023 and Arendt 2021 (work-first lowers time in language courses and the "
          "levels reached); Regioplan 2020/2021 (dual tracks plan courses around work): between",
          "learning speed in a course while working, with a dual track (D2)", kind="share",
          low=0.5, high=0.9, strength_of="dual_track"),
    Param("extra_condition_time", 0.02, "share of learning time per extra condition",
          "assumption; Arendt, Dustmann & Ku 2021 (stricter conditions lowered weak groups' labour "
          "supply); see model/data/lever_evidence.csv", "learning time lost to each extra integration condition (D9)",
          kind="share", low=0.0, high=0.04, strength_of="extra_conditions"),
    Param("quality_elasticity", 0.3, "elasticity", "assumption; see model/data/lever_evidence.csv (D10)",
          "course effect of municipal implementation quality under the law of 2021",
          kind="rate", low=0.0, high=0.6, strength_of="implementation_quality"),
    Param("course_quality_elasticity", 0.35, "elasticity",
          "Arendt et al. 2023 (more and better language training pays off late and lastingly); "
          "Marbach et al. 2019 (a rapidly scaled basic course had no effect); size assumption",
          "learning speed and drop-out scale with course quality (D6) to this power",
          kind="rate", low=0.1, high=0.6, strength_of="course_quality"),
    Param("reception_learning", 0.3, "factor",
          "assumption: moves between centres and no stable classes in reception (COA); Amsterdam's "
          "start in reception (LPBL 2017, secondary) reports gains without an effect size",
          "learning speed in a course taken in reception, relative to one taken once housed (D1)",
          kind="share", low=0.15, high=0.45, strength_of="start_in_reception"),
    Param("reception_seats", 0.1, "factor",
          "assumption: course places in reception centres are limited by teachers and frequent "
          "moves between centres (COA); see model/data/lever_evidence.csv (D1)",
          "chance of getting a course seat in reception, relative to once housed (D1)",
          kind="share", low=0.02, high=0.18, strength_of="start_in_reception"),
    Param("guidance_elasticity", 0.15, "elasticity",
          "assumption (domain brief D2; Regioplan 2020/2021: positive experiences, no effect size)",
          "drop-out from courses and studies, and recovery of health, scale with social guidance "
          "(D2) to this power", kind="rate", low=0.0, high=0.3, strength_of="social_guidance"),
    Param("contact_elasticity", 0.2, "elasticity", "assumption (domain brief D11)",
          "informal learning scales with contact with Dutch people (D11) to this power",
          kind="rate", low=0.0, high=0.4, strength_of="social_contact"),
    Param("course_start_2021", 0.5, "per month", "assumption: municipality arranges the course after the PIP",
          "monthly chance of starting a course after the intake, law of 2021", kind="probability",
          low=0.2, high=1.0),
    Param("course_start_2013", 0.2731, "per month",
          "fitted: few exam passes by 2 years under the law of 2013 (CBS); CPB 2020 slow start",
          "monthly chance of starting a self-arranged course once housed, law of 2013",
          kind="probability", low=0.03, high=0.3, calibrate=True),
    Param("dropout", 0.012, "per month", "assumption (domain brief D6: drop-out)",
          "monthly chance of dropping out of a course (divided by guidance and quality)",
          kind="probability", low=0.0, high=0.05),
    Param("attempt_rate", 0.3513, "per month", "fitted to CBS 2014 exam figures (few passes by 2 years)",
          "monthly chance of sitting the exam once within half a level of it", kind="probability",
          low=0.03, high=0.6, calibrate=True),
    Param("deadline_push", 1.0419, "factor", "Kamerbrieven 32824-161: passes bunch near the deadline; size fitted",
          "exam attempts multiplied by this in the last 12 months of the term", kind="multiplier",
          low=1.0, high=10.0, calibrate=True),
    Param("pass_scale", 0.3, "CEFR levels", "assumption",
          "spread of the pass chance around the exam level (logistic scale)", kind="rate",
          low=0.1, high=0.6),
    Param("term_months", 36.0, "months", "Wet inburgering 2013 and 2021: 3-year term",
          "term to meet the obligation", kind="months", low=24.0, high=60.0),
    Param("z_route_months", 24.0, "months", "Wet inburgering 2021: Z route about 1,600 hours",
          "months in the Z route's course until the obligation is met", kind="months", low=12.0,
          high=36.0),
    Param("course_max_months", 60.0, "months since the term began",
          "Wet inburgering 2021: the municipality offers the course within the 3-year term, which "
          "it may extend by up to 2 years; Wet inburgering 2013: the DUO loan (up to EUR 10,000) "
          "pays for the course within the term and its extension; after that no course is paid",
          "a course (funded, with a class) is available until this many months after the term "
          "began; whoever has not met the obligation by then stops, with the Dutch they have",
          kind="months", low=48.0, high=96.0),
    Param("effort_exemption", 0.0235, "per month",
          "fitted to the 19% exempted at about 4 years (CBS, 2014 cohort)",
          "monthly chance of exemption for proven effort after the term, for those who tried",
          kind="probability", low=0.0, high=0.15, calibrate=True),
)


class Language(Pathway):
    name = "language"

    def initialise(self) -> None:
        ppl = self.people
        # prior stay in the Netherlands taught some Dutch (children at school, adults informally)
        age_at_permit = ppl.age0 + ppl.permit_month / 12.0
        informal = np.where(age_at_permit < 18, self.p.gain_school, self.p.prior_stay_gain)
        ppl.language[:] = np.minimum(ppl.prior_stay * informal, 3.0).astype(np.float32)
        self.months_tried = np.zeros(ppl.n, np.int16)  #: months spent in a course (effort)
        m = self.model
        q = np.array([mu.quality for mu in m.municipalities])
        ref = m.reference_quality
        self.muni_course = (q / ref) ** self.p.quality_elasticity
        # learning-speed factor fixed per person (ability, schooling, literacy)
        p = self.p
        self.base_speed = np.exp(
            p.ability_effect * ppl.ability
            + np.where(ppl.education == Education.LOW, p.low_education_effect, 0.0)
            + np.where(ppl.education == Education.HIGH, p.high_education_effect, 0.0)
            + np.where(ppl.literate, 0.0, p.illiterate_effect)).astype(np.float32)

    def step(self, t: int) -> None:
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        s, present, age = now.live, now.present, now.age
        o = s.start
        # 1. children at school, and 2. course starts and drop-outs (one draw: starts for those
        # out, drop-outs for those in), in one compiled pass (:func:`_school_and_courses`); the
        # draw is made for the whole range (a person's draw does not depend on who else draws)
        can_learn = present if pol.start_in_reception else now.housed
        start_p = p.course_start_2021 if pol.law_2021 else p.course_start_2013
        # seats and teachers in reception are scarce
        start_rec = start_p * p.reception_seats * pol.realised if pol.start_in_reception else start_p
        drop_p = p.dropout / (self.model.guidance * pol.course_quality ** p.course_quality_elasticity)
        pending = np.empty(s.stop - o, dtype=bool)
        first = np.zeros(s.stop - o, dtype=bool)
        starts = _school_and_courses(
            o, t, present, age, can_learn, now.in_reception, self.uniform("course", t, s),
            ppl.language, ppl.obliged, ppl.exam, ppl.ti_intake, ppl.in_course, ppl.ti_course,
            self.term_start, t - math.ceil(p.course_max_months), np.float32(p.gain_school),
            start_p, start_rec, drop_p, pending, first)
        if starts:
            self.model.costs.course_starts(ppl.route[o + first.nonzero()[0]])
        inc = ppl.in_course[s]  # a view
        # 3. learning: in a course, or informally
        self._learn_in_course(inc.nonzero()[0])
        # outside a course: informally (doubled at work), or taught in Dutch as a student
        _informal(o, present, age, ppl.in_course, ppl.study, ppl.employed, ppl.language,
                  self.base_speed, np.float32(p.gain_informal * pol.social_contact ** p.contact_elasticity),
                  np.float32(p.gain_study))
        # 4. meeting the obligation
        cand = o + (pending & inc).nonzero()[0]
        self._exam(t, cand, pending)

    def _learn_in_course(self, pos: np.ndarray) -> None:
        """Learning in a course, for the persons at positions ``pos`` of the live range: speed
        falls with age above 30 and poor health, rises with belonging, is slower at work (less
        with a dual track), times the course's quality (and the municipality's under the law of
        2021, in reception its own) and what extra conditions leave; the gain shrinks towards B2+."""
        if not len(pos):
            return
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        lang = ppl.language[now.live]  # a view
        learners = now.live.start + pos
        a = now.age[pos]
        speed = self.base_speed.take(learners) * np.exp(p.age_effect * np.maximum(a - 30.0, 0.0) / 10.0)
        speed *= np.where(ppl.poor_health.take(learners), np.exp(p.poor_health_effect), 1.0)
        speed *= 0.7 + 0.6 * ppl.belonging.take(learners)
        work_time = p.dual_track_course_time if pol.dual_track else p.work_course_time
        speed *= np.where(ppl.employed.take(learners), work_time, 1.0)
        quality = pol.course_quality ** p.course_quality_elasticity * (
            self.muni_course.take(ppl.municipality.take(learners)) if pol.law_2021 else 1.0)
        if pol.start_in_reception:
            quality = quality * np.where(now.in_reception[pos], p.reception_learning, 1.0)
        burden = max(1.0 - p.extra_condition_time * pol.extra_conditions, 0.0)
        l0 = lang.take(pos)
        lang[pos] = l0 + p.gain_course * speed * quality * burden * np.maximum(1 - l0 / 5.0, 0)
        self.months_tried[learners] += 1

    @property
    def term_start(self) -> np.ndarray:
        """Month each person's 3-year term began: the permit (law of 2013) or the intake (2021)."""
        return self.people.permit_month if not self.policy.law_2021 else self.people.ti_intake

    def _exam(self, t: int, cand: np.ndarray, pending: np.ndarray) -> None:
        """Exams and route completion for course-goers ``cand``; term ends for all pending
        (``pending``: over the live range, obliged with an intake and the obligation not met; it
        is updated here)."""
        ppl, p, pol = self.people, self.p, self.policy
        target = pol.exam_target
        if len(cand):
            route = ppl.route.take(cand)
            lang = ppl.language.take(cand)
            since = t - self.term_start.take(cand)  # whole months: compared with whole months
            near_end = (since >= math.ceil(p.term_months - 12)) & (since < math.ceil(p.term_months))
            exam_route = (route == Route.B1.value) | (route == Route.SELF_ARRANGED.value)
            ready = exam_route & (lang >= target - 0.5)
            met = np.zeros(len(cand), bool)
            r = ready.nonzero()[0]
            if len(r):
                attempt_p = p.attempt_rate * np.where(near_end[r], p.deadline_push, 1.0)
                sit = r[self.uniform("attempt", t, cand[r]) < attempt_p]
                if len(sit):
                    ppl.exam_attempts[cand[sit]] += 1
                    p_pass = 1.0 / (1.0 + np.exp(-(lang[sit] - target) / p.pass_scale))
                    met[sit[self.uniform("pass", t, cand[sit]) < p_pass]] = True
            # Z route: obligation met after the route's hours; education route: on reaching the level
            met |= (route == Route.Z.value) & (t - ppl.ti_course.take(cand) >= math.ceil(p.z_route_months))
            met |= (route == Route.EDUCATION.value) & (lang >= target)
            done = cand[met]
            pending[done - self.model.live.start] = False
            ppl.exam[done] = Exam.PASSED
            ppl.ti_exam[done] = t
            ppl.in_course[done] = False
        # after the term: exemption for proven effort, else a fine (law of 2013) and carry on
        s = self.model.live
        # past the term: began at most t - term months ago, in whole months (a pending person has
        # a term start)
        late = s.start + (pending & (self.term_start[s] <= t - math.ceil(p.term_months))).nonzero()[0]
        if len(late):
            tried = (self.months_tried[late] >= 12).nonzero()[0]  # positions in late
            exempt = tried[self.uniform("exemption", t, late[tried]) < p.effort_exemption]
            fined = np.ones(len(late), bool)
            fined[exempt] = False
            exempt = late[exempt]
            ppl.exam[exempt] = Exam.EXEMPTED
            ppl.ti_exam[exempt] = t
            ppl.in_course[exempt] = False
            ppl.fined[late[fined]] = True


# ---- compiled passes (the same to the bit as the array version: tests/test_kernels.py) ------------
_PENDING, _ENROLLED = np.int8(Exam.PENDING.value), np.int8(Study.ENROLLED.value)
_NEVER = np.int16(NEVER)


@numba.njit(cache=True, nogil=True)
def _school_and_courses(start, t, present, age, can_learn, in_reception, u, language, obliged, exam,
                        ti_intake, in_course, ti_course, term_start, funded_after, gain_school,
                        start_p, start_rec, drop_p, pending, first):  # pragma: no cover - compiled
    """Steps 1 and 2 of :meth:`Language.step` for the live range from ``start`` (arrays over the
    range, ``present`` ... ``u``, ``pending``, ``first``, indexed from 0): children at school
    learn; no course is paid after the term and its extension (those past it stop); those pending
    who can learn start a course, those in one drop out, on one draw. Fills ``pending`` (obliged,
    exam pending, intake done) and ``first`` (first course starts, charged by the caller); returns
    the number of starts."""
    starts = 0
    # the range's part of each person array, indexed from 0 (an index known not to be negative
    # needs no wrap-around check on each access, which made such loops several times slower), without
    # branches (selects and 0/1 arithmetic, as the array version): persons' situations vary at
    # random along the range, which a branch would mispredict
    n = present.shape[0]
    language, obliged, exam = language[start:start + n], obliged[start:start + n], exam[start:start + n]
    ti_intake, in_course = ti_intake[start:start + n], in_course[start:start + n]
    ti_course, term_start = ti_course[start:start + n], term_start[start:start + n]
    for i in range(n):
        a = age[i]
        lang = language[i]
        child = present[i] & (a < 18) & (a >= 4) & (lang < np.float32(4.0))
        language[i] = lang + np.float32(child) * gain_school
        pend = obliged[i] & (exam[i] == _PENDING) & (ti_intake[i] != _NEVER)
        pending[i] = pend
        funded = term_start[i] > funded_after
        was = in_course[i] & funded
        considered = (pend & can_learn[i] & funded) | was
        draw = u[i]
        start_here = start_rec if in_reception[i] else start_p
        starting = considered & (not was) & (draw < start_here)
        dropping = was & (draw < drop_p)
        in_course[i] = (was & (not dropping)) | starting
        first[i] = starting & (ti_course[i] == _NEVER)
        ti_course[i] = np.int16(t) if starting else ti_course[i]
        starts += starting
    return starts


@numba.njit(cache=True, nogil=True)
def _informal(start, present, age, in_course, study, employed, language, base_speed, gain_informal,
              gain_study):  # pragma: no cover - compiled
    """Learning outside a course (step 3 of :meth:`Language.step`): adults present and not in a
    course learn informally, twice as fast at work, or as students taught in Dutch."""
    n = present.shape[0]  # the range's part of each person array, indexed from 0
    in_course, study, employed = in_course[start:start + n], study[start:start + n], employed[start:start + n]
    language, base_speed = language[start:start + n], base_speed[start:start + n]
    for i in range(n):
        out = present[i] & (not in_course[i]) & (age[i] >= 18)
        studying = out & (study[i] == _ENROLLED)
        informal = out & (not studying)
        g = gain_informal * (np.float32(informal) + np.float32(informal & employed[i]))
        g = g + np.float32(studying) * gain_study
        lang = language[i]
        language[i] = lang + g * base_speed[i] * max(np.float32(1.0) - lang / np.float32(5.0), np.float32(0.0))
