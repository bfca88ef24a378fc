"""Regular education: school for children, MBO/HBO for young adults, and Dutch diplomas.

Pattern reproduced: five years after the permit, 60-87% of those aged 18-23 and 12-14% of those over
23 are in education, mostly MBO (CBS 2024). A Dutch diploma raises job chances (``work``).

Mechanism: children aged 4-17 who are present go to school. Adults who are housed, not in
education and speak at least ``enrol_level`` enrol at a monthly rate that falls with age (the
education route of the law of 2021 enrols its people once their obligation is met, at a high
rate). Students complete at ``1 / study_months`` a month (faster with ability) or drop out at
``dropout`` (less with social guidance, D2); a student under ``continue_max_age`` who completes
goes on to the next level with chance ``continue_share`` (a Dutch diploma counts once the last
level is done). School children who turn 18 stay in education (MBO) with chance ``stay_on``.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.pathways.base import Pathway
from model.people import Exam, Route, Study

PARAMS: tuple[Param, ...] = (
    Param("enrol_young", 0.08, "per month", "set by hand to CBS 2024 (60-87% of 18-23 in education at 5 years; not in the targets file)",
          "monthly enrolment of housed adults under 24 who speak enough Dutch", kind="probability",
          low=0.005, high=0.1),
    Param("enrol_age_slope", -0.16, "log-factor per year over 23", "set by hand to CBS 2024 (12-14% of those over 23 in education; 13.2% in the model for the 2014 cohort)",
          "how enrolment falls with age", kind="coefficient", low=-0.3, high=-0.03),
    Param("enrol_education_route", 0.3, "per month", "Wet inburgering 2021: onderwijsroute leads into MBO/HBO",
          "monthly enrolment of education-route people once their obligation is met",
          kind="probability", low=0.1, high=0.8),
    Param("enrol_level", 1.5, "CEFR level", "assumption: MBO entry needs about A2",
          "Dutch level needed to enrol", kind="level", low=1.0, high=3.0),
    Param("study_months", 36.0, "months", "MBO level 2-4 takes 1-4 years",
          "mean duration of a study", kind="months", low=18.0, high=60.0),
    Param("dropout", 0.004, "per month", "assumption: MBO drop-out among newcomers is high (about 5% a year); set by hand with continue_share to CBS 2024 (60-87% of 18-23 year olds in education at 5 years)",
          "monthly drop-out from a study (divided by social guidance)", kind="probability",
          low=0.0, high=0.04),
    Param("ability_effect", 0.2, "log-factor per standard deviation", "assumption",
          "faster completion for abler students", kind="rate", low=0.0, high=0.5),
    Param("working_enrol_factor", 0.3, "factor", "assumption",
          "enrolment of people in work, relative to others", kind="share", low=0.1, high=1.0),
    Param("continue_share", 0.7, "share of completions",
          "assumption: most newcomers start at MBO level 1-2 after the international transition "
          "class and go on to a next level (MBO 3-4, then HBO for some); CBS 2024 (60-87% of "
          "18-23 year olds in education five years after the permit) needs several levels in a row",
          "chance that a student under continue_max_age who completes a study starts the next "
          "level", kind="share", low=0.2, high=0.8),
    Param("continue_max_age", 25.0, "years", "assumption: the next level is mostly taken by the young; with 25, 12-14% of those over 23 in education (CBS 2024)",
          "oldest age at which a completed study is followed by the next level", kind="years",
          low=23.0, high=35.0),
    Param("stay_on", 0.85, "share", "assumption", "share of school children who continue in MBO at 18",
          kind="share", low=0.3, high=0.95),
)


class Schooling(Pathway):
    name = "education"

    def initialise(self) -> None:
        ppl = self.people
        age_at_permit = ppl.age0 + ppl.permit_month / 12.0
        self.school_child = age_at_permit < 18  #: came as a child: schooled here
        # decide once whether each child stays on at 18 (stable draw)
        self.stays_on = self.model.streams.uniform("education.stay_on", -1) < self.p.stay_on
        #: monthly chance of completing a study (abler students finish sooner)
        self.p_done = np.exp(self.p.ability_effect * ppl.ability) / self.p.study_months

    def step(self, t: int) -> None:
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        s, housed, present, age = now.live, now.housed, now.present, now.age
        o = s.start
        study = ppl.study[s]  # a view: writes through it change the state
        ti_study = ppl.ti_study[s]
        adult = age >= 18
        none = study == Study.NONE.value
        # children at school; at 18 they stay on or leave
        new_school = present & ~adult & (age >= 4) & none
        if new_school.any():
            study[new_school] = Study.ENROLLED
            ti_study[new_school] = t
        turning = self.school_child[s] & adult & (age < np.float32(18 + 1 / 12)) & ~self.stays_on[s]
        leave = (turning & present & (study == Study.ENROLLED.value)).nonzero()[0]
        study[leave] = Study.NONE
        ti_study[leave] = t
        # adults: completion and drop-out (one draw)
        students = o + (present & adult & (study == Study.ENROLLED.value)).nonzero()[0]
        if len(students):
            u = self.uniform("progress", t, students)
            p_done = self.p_done.take(students)
            done = students[u < p_done]
            drop = students[(u >= p_done) & (u > 1.0 - p.dropout / self.model.guidance)]
            # the young go on to a next level (a new study, from this month)
            young = (age[done - o] < p.continue_max_age).nonzero()[0]  # positions in done
            goes_on = young[self.uniform("next_level", t, done[young]) < p.continue_share]
            if len(goes_on):
                ppl.ti_study[done[goes_on]] = t
                rest = np.ones(len(done), dtype=bool)
                rest[goes_on] = False
                done = done[rest]
            ppl.study[done] = Study.COMPLETED
            ppl.study[drop] = Study.NONE
            ppl.ti_study[done] = t
            ppl.ti_study[drop] = t
        # enrolment of housed adults under 45 who speak enough Dutch
        pos = (housed & adult & (age < 45) & (study == Study.NONE.value)
                             & (ppl.language[s] >= p.enrol_level)).nonzero()[0]
        if len(pos):
            cand = o + pos
            rate = p.enrol_young * np.exp(p.enrol_age_slope * np.maximum(age.take(pos) - 23.0, 0.0))
            edu_route = (ppl.route.take(cand) == Route.EDUCATION.value) & (ppl.exam.take(cand) == Exam.PASSED.value)
            rate = np.where(edu_route, p.enrol_education_route, rate)
            rate = rate * np.where(ppl.employed.take(cand), p.working_enrol_factor, 1.0)
            go = cand[self.uniform("enrol", t, cand) < rate]
            ppl.study[go] = Study.ENROLLED
            ppl.ti_study[go] = t
