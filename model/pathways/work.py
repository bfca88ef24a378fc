"""Work: finding and losing jobs, and hours.

Pattern reproduced: employment of a permit cohort follows an S-curve: of the 2014 cohort (aged
18-64) 1.4% worked after 1 year, 11% after 2.5 years, 42% after 5, levelling off in the mid-40s
(CBS). Men work far more often than women (Syrian men 45%, women 11% after 3-4 years, SCP via NIDI);
Afghans start fastest, Eritreans slowest. Jobs are mostly part-time and temporary. Higher regional
unemployment lowers job chances, a finished civic integration raises them (Damen et al. 2023);
waiting in reception lowers later employment (Hainmueller et al. 2016, via health and the lost
months of learning).

Mechanism: a monthly job-finding hazard ``h = base_rate x exp(linear predictor) x demand x policy``
for people aged 18-64 who are present and not in work (probability ``1 - exp(-h)``). The linear
predictor holds Dutch level, schooling (a recognised foreign degree or a Dutch diploma counts),
sex and care for a young child, health, age, ability, belonging, years already lived here,
whether the civic integration obligation is met (courses are over and the municipality's work
obligations apply), and years without work since housing or the last job (duration dependence,
which makes the curve level off).
Demand is national labour demand by calendar year (``context``) times the municipality's local
demand for the person's education level (``municipality.local_demand``: local unemployment and
demand for higher skills), and is lower in reception. Policy: coaching (D1, D3), employer openness and wage
subsidies (D5), discrimination (D11), lock-in while in a course or study (less with a dual track, D2),
and employers' reluctance towards a permit still temporary after ``policy.permanence_years`` (D7).
Jobs end at a monthly rate that is lower with better Dutch and for jobs that fit the person's
education (D3), higher in a job's first 6 months, and for jobs under a year old during the COVID
stop. At a job start the hours are full-time with a chance that rises
with a good match and is lower for women.
"""

from __future__ import annotations

import numpy as np

from model.parameters import Param
from model.municipality import local_demand
from model.pathways.base import Pathway
from model.people import NEVER, Education, Exam, Hours, Permit, Sex, Study

PARAMS: tuple[Param, ...] = (
    Param("base_rate", 0.075, "per month", "fitted to CBS 2014 cohort employment (S-curve)",
          "job-finding hazard of a reference person (man, 30, secondary school, A2, healthy, housed)",
          kind="rate", low=0.005, high=0.1, calibrate=True),
    Param("language_effect", 1.0, "log-hazard per CEFR level", "fitted; Damen et al. 2023 (language raises job chances)",
          "effect of Dutch proficiency on job finding", kind="coefficient", low=0.2, high=1.5,
          calibrate=True),
    Param("female_effect", -2.0, "log-hazard", "set by hand to SCP via NIDI (Syrian men 45%, women 11% after 3-4 years; not in the targets file)",
          "effect of being a woman on job finding (besides childcare)", kind="coefficient",
          low=-2.5, high=-0.3),
    Param("childcare_effect", -0.8, "log-hazard", "assumption (mothers of children under 4)",
          "effect on a mother of caring for a child under 4", kind="coefficient", low=-1.5,
          high=0.0),
    Param("low_education_effect", -0.45, "log-hazard", "assumption (SCP 2020)",
          "effect of little schooling", kind="coefficient", low=-1.0, high=0.0),
    Param("high_education_effect", 0.35, "log-hazard", "assumption (domain brief: diplomas often not used)",
          "effect of a recognised foreign degree", kind="coefficient", low=0.0, high=0.8),
    Param("dutch_diploma_effect", 0.7, "log-hazard", "assumption (CBS: Dutch diplomas pay off)",
          "effect of a Dutch diploma", kind="coefficient", low=0.2, high=1.2),
    Param("poor_health_effect", -0.9, "log-hazard", "assumption (Laban et al. 2004; SCP)",
          "effect of poor mental health", kind="coefficient", low=-1.5, high=-0.3),
    Param("age_effect", -0.035, "log-hazard per year over 35", "assumption",
          "effect of age over 35", kind="coefficient", low=-0.08, high=0.0),
    Param("ability_effect", 0.8, "log-hazard per standard deviation", "assumption",
          "unobserved differences in employability", kind="rate", low=0.0, high=1.2),
    Param("belonging_effect", 0.6, "log-hazard per unit of belonging", "assumption",
          "motivation: belonging above 0.5 raises job search, below lowers it", kind="coefficient",
          low=0.0, high=1.5),
    Param("prior_stay_effect", 0.4, "log-hazard per year lived here before the permit (max 4)",
          "assumption; fitted to the early employment of Afghans (CBS news 2018/16)",
          "networks and experience from a long stay before the permit", kind="coefficient",
          low=0.0, high=0.8, calibrate=True),
    Param("integration_done_effect", 0.4, "log-hazard",
          "Damen, Huijnk & Dagevos 2023: a finished civic integration raises job chances; size fitted",
          "job search once the civic integration obligation is met (courses over, the municipality's work obligations apply)",
          kind="coefficient", low=0.0, high=1.2, calibrate=True),
    Param("inactivity_effect", -0.25, "log-hazard per year without work since housing or the last job (max 8)",
          "duration dependence of job finding (e.g. Machin & Manning 1999); size assumption, "
          "so that the S-curve levels off (domain brief: mid-40s after 5 years)",
          "lower job finding the longer a housed person has been without work (skills, networks, employers' screening)",
          kind="coefficient", low=-0.5, high=0.0),
    Param("reception_factor", 0.25, "factor", "assumption: remote reception centres, no municipal support",
          "job finding while still in reception, relative to housed", kind="share", low=0.05,
          high=0.8),
    Param("course_lock_in", 0.35, "factor", "assumption: locking-in of full-time courses",
          "job finding while in a course or study, without a dual track (D2)", kind="share",
          low=0.2, high=1.0),
    Param("dual_track_lock_in", 0.75, "factor",
          "assumption: with a dual track, courses are planned around work, but hours still compete (Regioplan 2020/2021: positive, no effect size)",
          "job finding while in a course or study, with a dual track (D2)", kind="share",
          low=0.4, high=1.0),
    Param("coaching_elasticity", 0.3, "elasticity", "assumption; MKBA Amsterdam (LPBL 2017)",
          "job finding scales with (municipal support x job coaching) to this power",
          kind="rate", low=0.0, high=0.8),
    Param("temporary_permit_factor", 0.9, "factor",
          "Kilstrom et al. 2023: insecurity has no positive effect; size assumption",
          "hiring of people whose permit stayed temporary past 5 years", kind="share", low=0.6,
          high=1.0),
    Param("separation_rate", 0.030, "per month", "fitted; mostly temporary and agency work (CBS)",
          "monthly job loss of a reference worker (A2, poor match)", kind="probability",
          low=0.01, high=0.06, calibrate=True),
    Param("separation_language_effect", -0.25, "log-hazard per CEFR level", "assumption",
          "effect of Dutch on keeping a job", kind="coefficient", low=-0.6, high=0.0),
    Param("new_job_separation", 1.5, "factor", "assumption: most first jobs are temporary or agency work (CBS)",
          "job loss in the first 6 months of a job, relative to later", kind="multiplier",
          low=1.0, high=3.0),
    Param("good_match_separation", 0.6, "factor", "assumption (domain brief D3)",
          "job loss of a job that fits the person's education, relative to another",
          kind="share", low=0.3, high=1.0),
    Param("full_time_share", 0.35, "share of job starts", "CBS: mostly part-time work",
          "chance a man's job start is full-time", kind="share", low=0.15, high=0.6),
    Param("good_match_full_time", 1.5, "factor", "assumption (domain brief D3: suitable work)",
          "chance of a full-time start in a job that fits, relative to another", kind="multiplier",
          low=1.0, high=2.5),
    Param("female_full_time_factor", 0.4, "factor", "assumption (part-time work among women in NL)",
          "women's chance of full-time, relative to men's", kind="share", low=0.2, high=1.0),
)


class Work(Pathway):
    name = "work"

    def initialise(self) -> None:
        ppl, p = self.people, self.p
        m = self.model
        # per-person part of the linear predictor that never changes
        self.fixed = (p.ability_effect * ppl.ability
                      + np.where(ppl.sex == Sex.FEMALE, p.female_effect, 0.0)
                      + np.where(ppl.education == Education.LOW, p.low_education_effect, 0.0)
                      + p.prior_stay_effect * np.minimum(ppl.prior_stay / 12.0, 4.0)
                      ).astype(np.float32)
        pol = self.policy
        # local demand by education level times coaching, per municipality (municipalities x 3)
        demand = local_demand(m.municipalities, m.context.unemployment_elasticity)
        self.muni_factor = demand * ((m.muni_support * pol.job_coaching) ** p.coaching_elasticity)[:, None]
        hh = ppl.household
        self.mother = (ppl.sex == Sex.FEMALE) & ~(ppl.age0 + ppl.permit_month / 12.0 < 18)
        self.young_child_until = m.households.young_child_until[hh]
        self.policy_factor = pol.employer_openness * (1.0 - pol.discrimination)

    def step(self, t: int) -> None:
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        s, age = now.live, now.age
        o = s.start
        working_age = now.present & (age >= 18) & (age < 65)
        emp = ppl.employed[s]  # a view: writes through it change the state
        # 1. job loss (and everyone leaving working age or the country stops working)
        stop = emp & ~working_age
        pos = np.flatnonzero(emp & working_age)
        if len(pos):
            workers = o + pos
            sep = p.separation_rate * np.exp(p.separation_language_effect * (ppl.language[workers] - 2.0))
            sep = sep * np.where(ppl.good_match[workers], p.good_match_separation, 1.0)
            tenure = t - ppl.ti_employed[workers]
            sep = sep * np.where(tenure < 6, p.new_job_separation, 1.0)
            sep = sep + self.model.context.layoffs[t] * (tenure < 12)
            stop[pos[self.uniform("job", t, workers) < sep]] = True
        if stop.any():
            emp[stop] = False
            ppl.hours[s][stop] = Hours.NONE
            ppl.good_match[s][stop] = False
            ppl.ti_employed[s][stop] = t
        # 2. job finding (the same stream: a person either keeps/loses a job or looks for one)
        pos = np.flatnonzero(working_age & ~emp & ~stop)
        if len(pos) == 0:
            return
        seekers = o + pos
        a = age[pos]
        lang = ppl.language[seekers]
        edu = ppl.education[seekers]
        eta = (self.fixed[seekers]
               + p.language_effect * (np.minimum(lang, 4.0) - 2.0)
               + p.age_effect * np.maximum(a - 35.0, 0.0)
               + p.belonging_effect * (ppl.belonging[seekers] - 0.5)
               + p.poor_health_effect * ppl.poor_health[seekers])
        eta += p.high_education_effect * ((edu == Education.HIGH) & ppl.diploma_recognised[seekers])
        eta += p.dutch_diploma_effect * (ppl.study[seekers] == Study.COMPLETED)
        eta += p.integration_done_effect * ((ppl.exam[seekers] != Exam.PENDING) | ~ppl.obliged[seekers])
        # duration dependence: months since housing, or since the last job ended
        last = np.maximum(ppl.ti_housed[seekers], ppl.ti_employed[seekers])
        idle = np.where(last == NEVER, 0.0, np.minimum((t - last) / 12.0, 8.0))
        eta += p.inactivity_effect * idle
        eta += p.childcare_effect * (self.mother[seekers] & (t < self.young_child_until[seekers]))
        h = p.base_rate * np.exp(eta) * (self.model.context.labour_demand[t] * self.policy_factor)
        in_rec = now.in_reception[pos]
        h *= np.where(in_rec, p.reception_factor, self.muni_factor[ppl.municipality[seekers], edu])
        busy = ppl.in_course[seekers] | (ppl.study[seekers] == Study.ENROLLED)
        h *= np.where(busy, p.dual_track_lock_in if pol.dual_track else p.course_lock_in, 1.0)
        if pol.wage_subsidy != 1.0:
            h *= np.where((lang < 2.0) | (edu == Education.LOW), pol.wage_subsidy, 1.0)
        term = 12 * pol.permanence_years
        if t >= term:
            late_temporary = (ppl.permit[seekers] == Permit.TEMPORARY) & (t - ppl.permit_month[seekers] > term)
            h *= np.where(late_temporary, p.temporary_permit_factor, 1.0)
        found = seekers[self.uniform("job", t, seekers) < -np.expm1(-h)]
        if len(found) == 0:
            return
        ppl.employed[found] = True
        ppl.ti_employed[found] = t
        first = found[ppl.ti_first_job[found] == NEVER]
        ppl.ti_first_job[first] = t
        u2 = self.uniform("hours", t, found)
        match = u2 < pol.job_matching
        ppl.good_match[found] = match
        ft_p = p.full_time_share * np.where(ppl.sex[found] == Sex.FEMALE, p.female_full_time_factor, 1.0)
        ft_p = np.minimum(ft_p * np.where(match, p.good_match_full_time, 1.0), 1.0)
        # a second, independent use of the hours draw: its position within the match band
        v = np.where(match, u2 / max(pol.job_matching, 1e-9),
                     (u2 - pol.job_matching) / max(1 - pol.job_matching, 1e-9))
        ppl.hours[found] = np.where(v < ft_p, Hours.FULL_TIME, Hours.PART_TIME)
