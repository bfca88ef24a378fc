"""Work: who can work, how fast they find jobs in a crowded market, and losing jobs.

Patterns reproduced:

- employment of a permit cohort follows an S-curve and levels off: of the 2014 cohort (aged 18-64)
  1.4% worked after 1 year, 11% after 2.5 years, 42% after 5, levelling off in the mid-40s (CBS);
  Syrian men 45%, women 11% after 3-4 years (SCP via NIDI); Afghans start fastest, Eritreans
  slowest but catch up late;
- measures that only make people find work sooner fade as the others catch up (early activation:
  Andersen, Dustmann & Landersø; intensive pilots: Dahlberg et al. 2024, Battisti et al. 2019);
  measures that change who can work persist (language training: Arendt et al. 2023; placement in a
  strong labour market: Foged, Hasager & Peri 2024; recognition: Brücker et al. 2021);
- pilots on a few hundred people show +13-15 pp, national reforms 0-3 pp (Andersson Joona et al.
  2016; Roelofs et al. 2020): jobs open to newcomers are finite, so when everyone searches harder
  part of the gain is taken from other newcomers (displacement, Crépon et al. 2013);
- more support has diminishing returns, and several measures on the same person share the same
  headroom (effects of many measures together are less than their sum).

Mechanism, for people aged 18-64 who are present and not in work:

1. **Who can work (the level).** Each person has a fixed latent resistance ``z`` (logistic) and
   is *attached* to the labour market in a month when ``z < theta``, where ``theta`` (log-odds)
   holds sex, care for a child under 4, schooling, age over 45, health, years spent waiting in
   reception (limbo), Dutch, a recognised foreign
   degree or a Dutch diploma (D4), and the strength of the local labour market for the person's
   schooling. Attachment is a threshold on a fixed draw, so a person whose barriers fall (Dutch
   rises, health recovers, the child grows) becomes attached and stays so while the barriers stay
   down: levers that change barriers change the long-run level. Those not attached find work
   rarely (``unattached_factor``): this latent share sets where the S-curve levels off.
2. **How fast (the speed).** ``h = base_rate x exp(speed terms) x labour demand x local demand x
   policy x crowding``, with the speed terms Dutch (employers screen on it), ability, networks from
   a long prior stay, belonging,
   the civic integration obligation met (by exam or route; a medical exemption does not count), a
   recognised foreign degree (D4: employers can judge and use it),
   years out of work since housing, counted over every spell so that a short job does not wipe the
   record (duration dependence and scarring), citizenship (D8), and lower chances in reception and
   while in a course or on a temporary permit past its 5 years (D7). A course's lock-in is that of
   the practice of 2013-2014, when the course came first; municipalities' work-oriented practice,
   which spread after 2016 (KIS monitors 2016-2017), relieves part of it, which is why later
   cohorts work sooner than the 2014 cohort at three years; a dual track (D2) relieves part of
   what remains.
3. **Policy, with diminishing returns, for as long as the programme lasts.** Coaching and wage
   subsidies reach a person during the integration programme (``programme_months`` after housing;
   afterwards today's regular support), which is one reason speed effects fade. Coaching acts
   through caseloads: with support intensity
   ``x`` (municipal support x coaching, 1 = today's), job finding scales as ``(1 + H x / (x + 1))
   / (1 + H / 2)``, so it saturates at ``(1 + H) / (1 + H / 2)`` (D1, D3; ``H`` =
   ``coaching_max_gain``). Support above today's also brings job offers through caseworkers'
   matching with employers, which do not wait for the person's own search and so not for Dutch
   (``caseworker_offer_rate x (r - 1) / (r + 1)`` a month for the attached in the programme,
   ``r`` = support x coaching relative to today's; Dahlberg et al. 2024, Battisti et al. 2019).
   Employers' openness and wage subsidies (D5) and discrimination (D11) set
   the jobs open to newcomers; the share of a setting's change that reaches hiring is the lever's
   strength (``employer_response``, ``discrimination_response``), and more open jobs raise job
   finding by the matching function's elasticity ``1 - alpha``. The product ``G`` of these policy
   factors shares one headroom: its effect is ``exp(L (1 - exp(-ln G / L)))`` for ``G > 1``, with
   ``L = ln(max_speed_gain)``, so no combination makes anyone search more than ``max_speed_gain``
   times faster than today.
4. **Crowding (displacement and cohort size).** Each municipality type is a labour-market region
   with a Cobb-Douglas matching function ``M = A S^alpha V^(1-alpha)``: a unit of search finds
   ``(V / S)^(1-alpha)``. ``S`` is the search of the competing job seekers in newcomers' segment
   (``competing_hires`` a month nationally, by population share) plus this cohort's own (its
   expected hires a month, scaled from the sample to the real cohort, ``model.population
   .cohort_persons``). Under a national policy (``policy.scope``) the share
   ``newcomer_competition_share`` of the competitors (earlier status holders) gets the same policy
   and searches as much harder as this cohort does: ``m``, the cohort's search relative to the same
   cohort without the policy, which runs alongside (``IntegrationModel.shadow``: same seed,
   parameters and context, today's levers); under a pilot they do not. So a larger cohort lowers
   its own job finding, and a national measure, whether it works through coaching, Dutch or
   anything else, loses part of its gain to displacement.

Jobs end at a monthly rate that is lower with better Dutch and for jobs that fit the person's
education (D3), higher in a job's first 6 months, and for jobs under a year old during the COVID
stop. At a job start the hours are full-time with a chance that rises with a good match and is
lower for women.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from model.municipality import local_demand
from model.parameters import Param
from model.pathways.base import Pathway
from model.people import NEVER, Education, Exam, Hours, Permit, Sex, Study
from model.policy import TEMPORARY_PERMIT_MONTHS
from model.population import cohort_persons

PARAMS: tuple[Param, ...] = (
    # ---- who can work: attachment (log-odds) ---------------------------------------------------
    Param("attach_intercept", 2.846, "log-odds",
          "fitted to the level where CBS 2014-cohort employment levels off (mid-40s); the range reaches 4.5 (99%) because the reference person has none of the barriers, waiting in reception included",
          "log-odds of being able to work under today's conditions for a reference person (man, "
          "30, secondary school, A2, healthy)", kind="coefficient", low=-1.0, high=4.5,
          calibrate=True),
    Param("female_effect", -2.6, "log-odds",
          "set by hand to SCP via NIDI (Syrian men 45%, women 11% after 3-4 years; not in the targets file)",
          "women's lower labour-market attachment (besides childcare)", kind="coefficient",
          low=-3.5, high=-1.0),
    Param("childcare_effect", -1.0, "log-odds", "assumption (mothers of children under 4)",
          "care for a child under 4 (mothers)", kind="coefficient", low=-2.0, high=0.0),
    Param("low_education_effect", -0.6, "log-odds", "assumption (SCP 2020: little schooling, lower employment)",
          "little schooling (none or primary)", kind="coefficient", low=-1.2, high=0.0),
    Param("age_effect", -0.06, "log-odds per year over 45", "assumption (older refugees rarely find work; CBS)",
          "age over 45", kind="coefficient", low=-0.15, high=0.0),
    Param("poor_health_effect", -1.2, "log-odds", "assumption (Laban et al. 2004; SCP 38-42% poor mental health)",
          "poor mental health", kind="coefficient", low=-2.0, high=-0.3),
    Param("language_effect", 0.206, "log-odds per CEFR level",
          "fitted; Damen et al. 2023 and Arendt et al. 2023 (language raises employment, lastingly)",
          "Dutch proficiency", kind="coefficient", low=0.2, high=1.5, calibrate=True),
    Param("recognition_effect", 0.6, "log-odds",
          "Brücker et al. 2021 (recognition raises employment of the recognised; selected group, "
          "so the low end is 0); see model/data/lever_evidence.csv",
          "a recognised foreign degree (D4: competence assessment)", kind="coefficient",
          low=0.0, high=1.2, strength_of="competence_assessment"),
    Param("recognition_speed_effect", 1.0, "log-hazard",
          "Brücker et al. 2021 (full recognition: employment +24.5 pp three years on, mostly in "
          "regulated occupations, where a recognised qualification is a condition of being hired; "
          "hourly wages +20%); selected group, so the low end is 0; see model/data/lever_evidence.csv",
          "faster hiring of the higher-educated with a recognised foreign degree: employers can "
          "judge and use it (D4: competence assessment)", kind="coefficient",
          low=0.0, high=1.5, strength_of="competence_assessment"),
    Param("dutch_diploma_effect", 0.7, "log-odds", "assumption (CBS: Dutch diplomas pay off)",
          "a Dutch diploma", kind="coefficient", low=0.2, high=1.2),
    Param("local_demand_effect", 0.2, "log-odds per log of local demand",
          "Foged, Hasager & Peri 2024; Damen et al. 2023 (strong local labour markets help lastingly); size assumption",
          "a strong local labour market for the person's schooling", kind="coefficient",
          low=0.0, high=0.4, strength_of="placement"),
    Param("limbo_effect", -0.9, "log-odds per year in reception (max 3)",
          "Hainmueller, Hangartner & Lawrence 2016 (each extra year of waiting lowers later "
          "employment by 4-5 pp: discouragement, skills lost); Bakker et al. 2014; Damen et al. 2023 "
          "(short reception stays help); size set so that a year more of waiting before the permit costs about the Swiss estimate (tested by the effect validation)",
          "lasting harm of time spent waiting in reception, before the permit or for a home "
          "(besides the harm to mental health)", kind="coefficient", low=-1.5, high=0.0),
    Param("unattached_factor", 0.002, "factor", "assumption: the latent share rarely works under today's conditions (with 0.01 those not attached who speak B2 reached 13-19% employment after 8-10 years, and the 2014 cohort kept rising after 5 years where CBS levels off)",
          "job finding of people not attached to the labour market, relative to attached",
          kind="share", low=0.0, high=0.05),
    # ---- how fast: the job-finding hazard of the attached ----------------------------------------
    Param("base_rate", 0.1801, "per month", "fitted to CBS 2014 cohort employment (S-curve)",
          "job-finding hazard of an attached reference person (housed, no course, today's policy)",
          kind="rate", low=0.01, high=0.2, calibrate=True),
    Param("language_speed_effect", 1.2634, "log-hazard per CEFR level",
          "fitted; Damen et al. 2023 (language raises job chances); employers screen on Dutch",
          "Dutch proficiency and the speed of finding a job (besides who can work)",
          kind="coefficient", low=0.0, high=1.5, calibrate=True),
    Param("female_speed_effect", -0.7, "log-hazard",
          "set by hand with female_effect to SCP via NIDI (women 11% after 3-4 years); women "
          "who can work still search fewer hours around care (assumption)",
          "women's slower job finding", kind="coefficient", low=-1.5, high=0.0),
    Param("ability_effect", 0.5, "log-hazard per standard deviation",
          "assumption: heterogeneity in job-finding speed, so that those still without work after "
          "some years are the slower ones (a plateau from sorting, Heckman & Singer 1984); size "
          "fitted to where the CBS 2014-cohort series levels off",
          "unobserved differences in job-finding speed", kind="rate", low=0.0, high=1.2,
          calibrate=True),
    Param("belonging_effect", 0.6, "log-hazard per unit of belonging", "assumption",
          "motivation: belonging above 0.5 raises job search, below lowers it", kind="coefficient",
          low=0.0, high=1.5),
    Param("prior_stay_effect", 0.792, "log-hazard per year lived here before the permit (max 4)",
          "assumption; fitted to the early employment of Afghans (CBS news 2018/16)",
          "networks and experience from a long stay before the permit", kind="coefficient",
          low=0.0, high=0.8, calibrate=True),
    Param("integration_done_effect", 0.2141, "log-hazard",
          "Damen, Huijnk & Dagevos 2023: a finished civic integration goes with more work; Roelofs "
          "et al. 2020 (CPB): the law of 2013 changed exam passing but not labour participation, so "
          "meeting the obligation itself does little (range up to 0.5); size fitted",
          "job search once the civic integration obligation is met by exam or route (courses "
          "over, the municipality's work obligations apply; not after a medical exemption)",
          kind="coefficient", low=0.0, high=0.5, calibrate=True),
    Param("inactivity_effect", -0.1, "log-hazard per year out of work since housing, all spells together (max 8)",
          "duration dependence of job finding (e.g. Machin & Manning 1999) and scarring: a past of "
          "unemployment lowers later job chances beyond the current spell (Arulampalam, Gregg & "
          "Gregory 2001, Economic Journal 111: F577-F584); size fitted to where "
          "the CBS 2014-cohort series levels off, within a range kept small because much measured "
          "duration dependence is sorting, which attachment and ability represent",
          "lower job finding the longer a housed person has been without work", kind="coefficient",
          low=-0.5, high=0.0, calibrate=True),
    Param("citizenship_effect", 0.1, "log-hazard",
          "Hainmueller, Hangartner & Ward 2019; Gathmann & Keller 2018; Peters et al. 2020 "
          "(naturalisation raises earnings and, for women, employment; small or none for men)",
          "hiring of citizens (D8)", kind="coefficient", low=0.0, high=0.2,
          strength_of="naturalisation_ease,naturalisation_requires_exam,naturalisation_years"),
    Param("reception_factor", 0.25, "factor", "assumption: remote reception centres, no municipal support",
          "job finding while still in reception, relative to housed", kind="share", low=0.05,
          high=0.8),
    Param("course_lock_in", 0.1627, "factor",
          "lock-in of training programmes (Card, Kluve & Weber 2018: negative short-run effects); "
          "under the law of 2013 the course came first: municipalities saw 'hardly any investment "
          "in dual or combined tracks of learning and working' (WRR Policy Brief 4, Engbersen et "
          "al. 2015), so job finding during a course can be close to none (range down to 0.05); "
          "size fitted to the late, steep rise of the CBS 2014-cohort S-curve",
          "job finding while in a course or study, without a dual track (D2)", kind="share",
          low=0.05, high=1.0, calibrate=True),
    Param("study_lock_in", 0.5, "factor",
          "assumption: most Dutch students hold a side job (CBS: any hours count as work); fewer "
          "newcomers do, but a study (unlike a language course in the first years) leaves evenings and weekends",
          "job finding while enrolled in regular education (MBO/HBO), relative to not studying",
          kind="share", low=0.15, high=1.0),
    Param("after_term_lock_in", 0.3, "share of the lock-in (log scale)",
          "assumption: once the term has passed, people who have not met the obligation are fined "
          "and keep going, but the course they were given or the loan for it (law of 2013) has "
          "run out, so most attend a few hours a week at most",
          "share of a course's lock-in that remains after the civic integration term (log scale): "
          "job finding is course_lock_in^share", kind="share", low=0.0, high=1.0),
    Param("work_first_relief", 0.65, "share of the lock-in (log scale)",
          "fitted once, alone, with every other value at the point fit, to the employment rows of "
          "the 2015, 2016, 2017 and 2020 cohorts (calibration_targets.csv; without it the 2016 "
          "and 2020 cohorts were 6-7 points low at three years; 8 seeds of 20,000, least squares "
          "in units of each row's tolerance, minimum at 0.65); the 2014 rows hardly depend on it. "
          "The posterior calibration fits it jointly with the others (it depends on them: the "
          "course lock-in it relieves is one of them). "
          "Mechanism: KIS monitors 2016 and 2017 (municipalities turned to work-oriented policy "
          "for permit holders after 2016, language alongside work); range: from no relief to none "
          "of the lock-in left",
          "share of a course's lock-in that municipalities' work-oriented practice removes where "
          "it is in place: job finding in a course is course_lock_in^(1 - relief x share), the "
          "share of municipalities with that practice in the year "
          "(model/data/municipal_practice_by_year.csv)", kind="share", low=0.0, high=1.0, calibrate=True),
    Param("dual_track_relief", 0.1, "share of the lock-in (log scale)",
          "Regioplan 2020/2021 (VOI pilots: positive, no effect size); Arendt & Bolvig 2023 (work-"
          "first gains gone 2-3 years after arrival); see model/data/lever_evidence.csv",
          "share of a course's lock-in that a dual track removes (D2): job finding in a course is "
          "course_lock_in^(1 - relief)", kind="share", low=0.0, high=0.2, strength_of="dual_track"),
    Param("temporary_permit_factor", 0.95, "factor",
          "Kilström et al. 2023: insecurity has no positive effect; Jutvik & Robinson 2020: temporary "
          "holders earned more in the short run; so the range includes no effect and a small gain",
          "hiring of people whose 5-year temporary permit has ended without a permanent one (D7)",
          kind="multiplier", low=0.85, high=1.05,
          strength_of="permanence_requires_exam,permanence_years"),
    # ---- policy response, diminishing returns and crowding ---------------------------------------
    Param("coaching_max_gain", 1.2, "factor",
          "bounded by evidence: job coaching has small effects nationally (Liljeberg et al. 2012; "
          "Card, Kluve & Weber 2018) and up to +13 pp in a pilot (Battisti et al. 2019); see "
          "model/data/lever_evidence.csv",
          "H: job finding scales with support intensity x as (1 + H x/(x+1)) / (1 + H/2)",
          kind="rate", low=0.3, high=2.1, strength_of="job_coaching,support_level"),
    Param("caseworker_offer_rate", 0.02, "job offers per person-month at saturation",
          "Dahlberg et al. 2024 (Gothenburg: caseworkers matching low-educated refugees with "
          "employers, with work practice, about +15 pp at 2 years, of which only 7-8% through "
          "Dutch); Battisti et al. 2019 (CVs sent to matching employers: +13 pp at 12 months, "
          "larger for the low-educated): about 1-2 extra hires a month per 100 at the top of the "
          "support range; zero at today's support; see model/data/lever_evidence.csv",
          "caseworkers' matching with employers: job offers a month that do not depend on the "
          "person's own search, for those who can work, during the programme, with support above "
          "today's (D1 support x D3 coaching = r): caseworker_offer_rate x (r - 1)/(r + 1)",
          kind="rate", low=0.0, high=0.04, strength_of="job_coaching,support_level"),
    Param("programme_months", 36.0, "months after housing",
          "Wet inburgering 2021: the personal plan (PIP) and the municipality's support run for the "
          "3-year term; social guidance by VluchtelingenWerk lasts 1-2 years",
          "months after housing during which the integration programme's coaching and wage "
          "subsidies reach a person (afterwards: today's regular support)", kind="months",
          low=18.0, high=60.0),
    Param("employer_response", 0.5, "share of the setting's change",
          "assumption; Butschek & Walter 2014 (wage subsidies the one reliably positive measure)",
          "share of a change in employers' openness or wage subsidies that reaches hiring (D5)",
          kind="share", low=0.1, high=0.9, strength_of="employer_openness,wage_subsidy"),
    Param("discrimination_response", 0.3, "share of the setting's change",
          "assumption; Thijssen et al. 2021 (discrimination persists when information is added)",
          "share of a change in hiring discrimination that reaches hiring (D11)", kind="share",
          low=0.1, high=0.5, strength_of="discrimination"),
    Param("max_speed_gain", 1.8, "factor",
          "assumption: intensive pilots raise job finding about 1.5-2.5 times (Dahlberg et al. 2024; "
          "Battisti et al. 2019)", "most that all policy measures together can raise the job-finding speed",
          kind="multiplier", low=1.4, high=2.2, strength_of="all"),
    Param("matching_elasticity", 0.35, "elasticity",
          "Petrongolo & Pissarides 2001 (elasticity of hires to job seekers 0.5-0.7)",
          "alpha: elasticity of hires to search in the matching function", kind="share",
          low=0.2, high=0.5, strength_of="all"),
    Param("newcomer_competition_share", 0.85, "share",
          "assumption: earlier status holders are a large part of the job seekers in newcomers' "
          "segment (hospitality, trade, agency work)",
          "share of competing job search from earlier status holders, who get a national policy too",
          kind="share", low=0.7, high=1.0, strength_of="all"),
    Param("competing_hires", 3000.0, "hires per month (national)",
          "assumption: order of the monthly hires of status holders and other low-skilled job "
          "seekers in newcomers' segment", "search of competing job seekers, in expected hires a month",
          kind="rate", low=1000.0, high=12000.0),
    # ---- losing jobs, hours --------------------------------------------------------------------
    Param("separation_rate", 0.0355, "per month", "fitted; mostly temporary and agency work (CBS)",
          "monthly job loss of a reference worker (A2, poor match)", kind="probability",
          low=0.008, high=0.06, calibrate=True),
    Param("separation_language_effect", -0.25, "log-hazard per CEFR level", "assumption",
          "effect of Dutch on keeping a job", kind="coefficient", low=-0.6, high=0.0),
    Param("new_job_separation", 1.5, "factor", "assumption: most first jobs are temporary or agency work (CBS)",
          "job loss in the first 6 months of a job, relative to later", kind="multiplier",
          low=1.0, high=3.0),
    Param("recognised_match", 0.6, "share of job starts",
          "Brücker et al. 2021 (full recognition raises hourly wages by about 20%: work at one's "
          "level, mostly in regulated occupations); size assumption; see model/data/lever_evidence.csv",
          "share of the job starts of the higher-educated with a recognised foreign degree that fit "
          "their education (at least policy.job_matching): such jobs last longer and are more "
          "often full-time (D4)", kind="share", low=0.3, high=0.9, strength_of="competence_assessment"),
    Param("good_match_separation", 0.7, "factor", "assumption (domain brief D3); see lever_evidence.csv",
          "job loss of a job that fits the person's education, relative to another",
          kind="share", low=0.5, high=0.9, strength_of="job_matching"),
    Param("full_time_share", 0.35, "share of job starts", "CBS: mostly part-time work",
          "chance a man's job start is full-time", kind="share", low=0.15, high=0.6),
    Param("good_match_full_time", 1.5, "factor", "assumption (domain brief D3: suitable work)",
          "chance of a full-time start in a job that fits, relative to another", kind="multiplier",
          low=1.0, high=2.5),
    Param("female_full_time_factor", 0.4, "factor", "assumption (part-time work among women in NL)",
          "women's chance of full-time, relative to men's", kind="share", low=0.2, high=1.0),
)

#: hiring discrimination of today (the lever's default): the reference for its change
_DISCRIMINATION_TODAY = 0.3


def months_out_of_work(t: int, housed_at: np.ndarray, months_worked: np.ndarray) -> np.ndarray:
    """Months out of work since housing, all spells together: ``t - housed_at - months_worked``.
    A job loss does not reset it (scarring: a past of unemployment keeps lowering job chances);
    months in work are not counted. A person never housed (``housed_at`` = NEVER) gets a value
    below 0, which the duration table reads as no months."""
    return (t - housed_at) - months_worked


def crowding(competitors: np.ndarray, treated: np.ndarray, own: np.ndarray, alpha: float) -> np.ndarray:
    """Job finding per unit of search in each region, relative to today's: ``(competitors /
    (treated + own)) ** (1 - alpha)`` (module docstring, item 4). A region where nobody searches
    (all competitors treated by a policy that leaves this cohort not searching at all, and none of
    the cohort there) is not crowded: 1, not 0 / 0."""
    search = treated + own
    busy = search > 0
    return np.where(busy, competitors / np.where(busy, search, 1.0), 1.0) ** (1.0 - alpha)


def coaching_response(x, max_gain: float):
    """Job-finding factor of support intensity ``x`` (1 = today's), saturating: 1 at x = 1,
    ``(1 + H) / (1 + H/2)`` as x grows, ``1 / (1 + H/2)`` with no support."""
    x = np.asarray(x, dtype=float)
    return (1.0 + max_gain * x / (x + 1.0)) / (1.0 + max_gain / 2.0)


def headroom(g, max_gain: float):
    """The effective factor of a combined policy factor ``g``: gains share one headroom and never
    pass ``max_gain`` (``exp(L (1 - exp(-ln g / L)))``, ``L = ln max_gain``); a factor below 1 is
    kept as it is."""
    g = np.asarray(g, dtype=float)
    if max_gain <= 1.0:
        return np.minimum(g, 1.0)
    L = np.log(max_gain)
    lg = np.log(np.maximum(g, 1e-12))
    return np.where(lg > 0, np.exp(L * (1.0 - np.exp(-np.maximum(lg, 0.0) / L))), g)


class Work(Pathway):
    name = "work"

    def initialise(self) -> None:
        ppl, p = self.people, self.p
        m = self.model
        pol = self.policy
        edu = ppl.education
        demand = local_demand(m.municipalities, m.context.unemployment_elasticity)  # munis x 3
        demand = demand * m.context.local_unemployment_factor ** -m.context.unemployment_elasticity
        #: local demand for each person's schooling where they are linked (speed)
        self.local = demand[ppl.municipality, edu].astype(np.float32)
        # who can work: the fixed part of the log-odds, and each person's fixed latent resistance
        self.attach_fixed = (p.attach_intercept
                             + np.where(ppl.sex == Sex.FEMALE, p.female_effect, 0.0)
                             + np.where(edu == Education.LOW, p.low_education_effect, 0.0)
                             + p.local_demand_effect * np.log(self.local)).astype(np.float32)
        u = m.streams.uniform("work.attachment", -1)
        self.resistance = np.log(u / (1.0 - u)).astype(np.float32)  #: logistic latent
        # how fast: the fixed part of the log-hazard
        self.speed_fixed = (p.ability_effect * ppl.ability
                            + np.where(ppl.sex == Sex.FEMALE, p.female_speed_effect, 0.0)
                            + p.prior_stay_effect * np.minimum(ppl.prior_stay / 12.0, 4.0)
                            ).astype(np.float32)
        self.mother = (ppl.sex == Sex.FEMALE) & ~(ppl.age0 + ppl.permit_month / 12.0 < 18)
        self.young_child_until = m.households.young_child_until[ppl.household]
        # policy: coaching by municipality (saturating), open jobs (employers, discrimination)
        self.coaching = coaching_response(m.muni_support * pol.job_coaching, p.coaching_max_gain)
        #: after the programme: today's regular support in the same municipalities
        self.coaching_after = coaching_response(m.muni_support / max(pol.support_level, 1e-9),
                                                p.coaching_max_gain)
        #: caseworkers' job offers a month from support above today's (D1 support x D3 coaching,
        #: as delivered): saturating in the intensity r, caseworker_offer_rate x (r - 1) / (r + 1)
        r = pol.support_level * pol.job_coaching
        self.offers = p.caseworker_offer_rate * max(r - 1.0, 0.0) / (r + 1.0)
        alpha = p.matching_elasticity
        openness = 1.0 + p.employer_response * (pol.employer_openness - 1.0)
        disc = _DISCRIMINATION_TODAY + p.discrimination_response * (pol.discrimination - _DISCRIMINATION_TODAY)
        self.open_jobs = (openness * (1.0 - disc) / (1.0 - _DISCRIMINATION_TODAY)) ** (1.0 - alpha)
        subsidy = 1.0 + p.employer_response * (pol.wage_subsidy - 1.0)
        self.subsidy = subsidy ** (1.0 - alpha)
        # the policy factor after the shared headroom, by phase (0 reception, 1 in the programme,
        # 2 after it), municipality and wage subsidy (0/1): coaching reaches the housed only,
        # open jobs everyone, wage subsidies the programme's weak starters
        base = np.stack([np.ones_like(self.coaching), self.coaching, self.coaching_after])
        g = base * self.open_jobs
        sub = np.stack([g, g * self.subsidy if pol.wage_subsidy != 1.0 else g], axis=-1)
        sub[0, :, 1] = g[0]  # no wage subsidy in reception
        #: by municipality, phase and subsidy (index municipality x 6 + phase x 2 + subsidy)
        self.policy_factor = np.ascontiguousarray(headroom(sub, p.max_speed_gain).transpose(1, 0, 2)).ravel()
        # terms that take few values, made once: the limbo term by whole months waited in
        # reception (3 years at most) and duration dependence by whole months out of work since
        # housing (8 years at most); the factors of a good match and a new job on job loss; whole
        # months of the programme
        self.limbo_table = p.limbo_effect * np.clip(np.arange(37) / 12.0, 0.0, 3.0)
        self.inactivity_table = p.inactivity_effect * np.minimum(np.arange(97) / 12.0, 8.0)
        self.good_match_factor = np.array([1.0, p.good_match_separation])
        self.new_job_factor = np.array([1.0, p.new_job_separation])
        # the lock-in of a course for the housed, by month (in reception it does not apply): in
        # the term, and once the term has passed. Municipalities' work-oriented practice, which
        # spread after 2016, relieves part of it where it is in place; a dual track (D2) relieves
        # part of what remains
        log_lock = 1.0 - p.dual_track_relief if pol.dual_track else 1.0
        kept = 1.0 - p.work_first_relief * m.context.work_first  # by month
        self.lock_in = p.course_lock_in ** (log_lock * kept)
        self.lock_in_late = p.course_lock_in ** (log_lock * p.after_term_lock_in * kept)
        self.programme_months = math.ceil(p.programme_months)  # t - housed < this, in whole months
        # crowding: competitors' search by region, and how the sample scales to the real cohort
        shares = np.array([mu.quota_share for mu in m.municipalities])
        self.competitors = p.competing_hires * shares / shares.sum()
        pop = m.config.population
        self.scale = cohort_persons(int(pop.permit_year), int(pop.real_size)) / ppl.n
        self.n_regions = len(shares)
        self.own_search = np.zeros(self.n_regions)  #: this month's search by region (expected hires)
        shadow = m.shadow  #: the same cohort under today's levers (national policy), or None
        self.shadow_work = None if shadow is None else next(pw for pw in shadow.pathways if pw.name == "work")

    def step(self, t: int) -> None:
        ppl, p, pol = self.people, self.p, self.policy
        now = self.model.now
        s, age = now.live, now.age
        o = s.start
        working_age = now.present & (age >= 18) & (age < 65)
        emp = ppl.employed[s]  # a view: writes through it change the state
        # those who look for a job this month: nobody who loses one now looks before next month
        seeking = working_age & ~emp
        # 1. job loss (and everyone leaving working age or the country stops working)
        stop = emp & ~working_age
        pos = (emp & working_age).nonzero()[0]
        if len(pos):
            workers = o + pos
            sep = p.separation_rate * np.exp(p.separation_language_effect * (ppl.language.take(workers) - 2.0))
            sep = sep * self.good_match_factor.take(ppl.good_match.take(workers).view(np.uint8))
            tenure = t - ppl.ti_employed.take(workers)
            sep = sep * self.new_job_factor.take((tenure < 6).view(np.uint8))
            layoffs = self.model.context.layoffs[t]
            if layoffs:  # adding 0 changes no chance
                sep = sep + layoffs * (tenure < 12)
            stop[pos[self.uniform("job", t, workers) < sep]] = True
        if stop.any():
            emp[stop] = False
            ppl.hours[s][stop] = Hours.NONE
            ppl.good_match[s][stop] = False
            ppl.ti_employed[s][stop] = t
        # 2. job finding (the same stream: a person either keeps/loses a job or looks for one)
        pos = seeking.nonzero()[0]
        if len(pos):
            self._find(t, pos, age[pos])
        else:
            self.own_search = np.zeros(self.n_regions)

    def hazard(self, t: int, pos: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each seeker's monthly job-finding hazard before crowding, whether they can work
        (attached) and their municipality, for the seekers at positions ``pos`` of the live range
        (aged ``a``): items 1-3 of the module docstring.

        Computed person by person in two compiled passes (:func:`_level_and_speed`,
        :func:`_hazard`) around numpy's ``exp``, one pass each over the seekers instead of some
        sixty over arrays. Every term is computed and added in the order and the precision of the
        array version (float32 where the person's state is float32), so the results are the same
        to the bit (``tests/test_kernels.py`` keeps the array version as the reference)."""
        ppl, p = self.people, self.p
        now = self.model.now
        seekers = now.live.start + pos
        f32 = np.float32
        eta, attached = _level_and_speed(
            seekers, a, t, ppl.language, ppl.education, ppl.exam, ppl.permit, ppl.study,
            ppl.ti_housed, ppl.ti_reception, ppl.diploma_recognised, ppl.poor_health,
            ppl.medical_exempt, ppl.belonging, ppl.months_worked,
            self.attach_fixed, self.resistance, self.speed_fixed, self.mother, self.young_child_until,
            self.limbo_table, self.inactivity_table,
            f32(p.language_effect), f32(p.age_effect), p.poor_health_effect, p.childcare_effect,
            p.recognition_effect, p.dutch_diploma_effect, f32(p.language_speed_effect),
            f32(p.belonging_effect), p.integration_done_effect, p.citizenship_effect,
            p.recognition_speed_effect)
        h = p.base_rate * np.exp(eta) * self.model.context.labour_demand[t]
        muni = _hazard(
            h, seekers, pos, attached, t, now.in_reception, ppl.exam, ppl.permit, ppl.study,
            ppl.language, ppl.education, ppl.ti_housed, ppl.in_course, ppl.fined, ppl.permit_month,
            ppl.municipality, self.local, self.policy_factor,
            p.unattached_factor, f32(p.reception_factor), p.study_lock_in, self.lock_in[t],
            self.lock_in_late[t], p.temporary_permit_factor, t - TEMPORARY_PERMIT_MONTHS,
            self.programme_months, float(self.offers))
        return h, attached, muni

    def _find(self, t: int, pos: np.ndarray, a: np.ndarray) -> None:
        """Job finding for the seekers at positions ``pos`` of the live range (aged ``a``): the
        hazard (:meth:`hazard`), crowding in each region, the draws and the new jobs' hours."""
        ppl, p, pol = self.people, self.p, self.policy
        seekers = self.model.now.live.start + pos
        h, attached, muni = self.hazard(t, pos, a)
        # crowding in each region: competitors' search (treated too under a national policy) and
        # this cohort's own, in expected hires a month of the real cohort
        own = np.bincount(muni, weights=h, minlength=self.n_regions) * self.scale
        self.own_search = own
        treated = self.competitors
        if self.shadow_work is not None:
            # the policy makes this cohort search m times as hard as it would without it (all
            # regions together, so that placement moving people is not mistaken for search);
            # earlier status holders, part of the competitors, get the policy and do the same
            ref = self.shadow_work.own_search.sum()
            m = own.sum() / ref if ref > 0 else 1.0
            phi = p.newcomer_competition_share
            treated = self.competitors * (1.0 - phi + phi * m)
        h *= crowding(self.competitors, treated, own, p.matching_elasticity).take(muni)
        # the chance 1 - exp(-h) is at most h, so only draws below h (with a margin for
        # rounding) can find a job: the chance is computed for those alone
        u = self.uniform("job", t, seekers)
        near = (u < h * (1.0 + 1e-9)).nonzero()[0]
        found = seekers[near[u[near] < -np.expm1(-h[near])]]
        if len(found) == 0:
            return
        ppl.employed[found] = True
        ppl.ti_employed[found] = t
        first = found[ppl.ti_first_job[found] == NEVER]
        ppl.ti_first_job[first] = t
        u2 = self.uniform("hours", t, found)
        # a recognised foreign degree opens jobs at one's own level (D4)
        fit = np.where((ppl.education[found] == Education.HIGH.value) & ppl.diploma_recognised[found],
                       max(pol.job_matching, p.recognised_match), pol.job_matching)
        match = u2 < fit
        ppl.good_match[found] = match
        ft_p = p.full_time_share * np.where(ppl.sex[found] == Sex.FEMALE.value, p.female_full_time_factor, 1.0)
        ft_p = np.minimum(ft_p * np.where(match, p.good_match_full_time, 1.0), 1.0)
        # a second, independent use of the hours draw: its position within the match band
        v = np.where(match, u2 / np.maximum(fit, 1e-9), (u2 - fit) / np.maximum(1 - fit, 1e-9))
        ppl.hours[found] = np.where(v < ft_p, Hours.FULL_TIME, Hours.PART_TIME)


# ---- the hazard, person by person (compiled) ------------------------------------------------------
# Types follow numpy's rules for the array version: a float32 state times a parameter is float32, a
# 0/1 state times a parameter float64; int16 months wrap as int16 arrays do (a person never housed,
# NEVER, wraps below 0 and a table then reads its first entry). Indices into tables are clipped
# to the table as ``take(mode="clip")`` does.


@numba.njit(cache=True, nogil=True, inline="always")
def _clip(i, n):  # pragma: no cover - compiled
    """``i`` held in 0 ... n - 1, as an unsigned index (no wrap-around check)."""
    return np.uint64(min(max(np.int64(i), 0), n - 1))


@numba.njit(cache=True, nogil=True)
def _level_and_speed(seekers, a, t, language, education, exam, permit, study, ti_housed,
                     ti_reception, diploma_recognised, poor_health, medical_exempt, belonging,
                     months_worked, attach_fixed, resistance, speed_fixed, mother, young_child_until,
                     limbo_table, inactivity_table, language_effect, age_effect, poor_health_effect,
                     childcare_effect, recognition_effect, dutch_diploma_effect,
                     language_speed_effect, belonging_effect, integration_done_effect,
                     citizenship_effect, recognition_speed_effect):  # pragma: no cover - compiled
    """Who can work (``attached``: the latent resistance below theta) and the speed's log-hazard
    ``eta`` of each seeker (module docstring, items 1 and 2)."""
    n = seekers.shape[0]
    eta = np.empty(n)
    attached = np.empty(n, dtype=np.bool_)
    f32 = np.float32
    t16 = np.int16(t)
    n_limbo, n_inactive = limbo_table.shape[0], inactivity_table.shape[0]
    # persons are gathered by unsigned index (no wrap-around check), 0/1 terms without branches
    for k in range(n):
        j = np.uint64(seekers[k])
        lang_c = min(language[j], f32(4.0)) - f32(2.0)  # Dutch around A2, as both terms take it
        recognised = (education[j] == EDU_HIGH) & diploma_recognised[j]
        # who can work (the level): theta against the fixed latent resistance
        theta = attach_fixed[j] + language_effect * lang_c
        theta = theta + age_effect * max(a[k] - f32(45.0), f32(0.0))
        th = np.float64(theta) + poor_health_effect * np.float64(poor_health[j])
        th = th + childcare_effect * np.float64(mother[j] & (t < young_child_until[j]))
        # years waited in reception, before the permit or for a home (until now if still there):
        # months as int16, where a person who never entered reception (NEVER) wraps below 0 and
        # reads the table's first entry (nothing), as does anyone with no months
        housed_at = ti_housed[j]
        end = t16 if housed_at == NEVER_ else housed_at
        th = th + limbo_table[_clip(np.int16(end - ti_reception[j]), n_limbo)]
        th = th + recognition_effect * np.float64(recognised)
        th = th + dutch_diploma_effect * np.float64(study[j] == STUDY_COMPLETED)
        attached[k] = np.float64(resistance[j]) < th
        # how fast: the log-hazard
        done = (exam[j] == EXAM_PASSED) | ((exam[j] == EXAM_EXEMPTED) & (not medical_exempt[j]))
        e = speed_fixed[j] + language_speed_effect * lang_c
        e = e + belonging_effect * (belonging[j] - f32(0.5))
        es = np.float64(e) + integration_done_effect * np.float64(done)
        es = es + citizenship_effect * np.float64(permit[j] == PERMIT_CITIZEN)
        es = es + recognition_speed_effect * np.float64(recognised)
        # duration dependence: months out of work since housing, all spells together (a job loss
        # does not reset the record: scarring), as :func:`months_out_of_work` in int16: NEVER,
        # never housed, wraps below 0 and reads nothing, like no months
        out_of_work = np.int16(np.int16(t16 - housed_at) - months_worked[j])
        eta[k] = es + inactivity_table[_clip(out_of_work, n_inactive)]
    return eta, attached


@numba.njit(cache=True, nogil=True)
def _hazard(h, seekers, pos, attached, t, in_reception, exam, permit, study, language, education,
            ti_housed, in_course, fined, permit_month, municipality, local, policy_factor,
            unattached_factor, reception_factor, study_lock_in, lock_in, lock_in_late,
            temporary_permit_factor, late_permit_month, programme_months, offers):  # pragma: no cover
    """Multiply each seeker's ``h`` (base rate x exp(eta) x labour demand) by attachment, place,
    lock-in, the temporary permit, the policy factor and caseworkers' offers (module docstring,
    items 2 and 3), in place; returns each seeker's municipality."""
    n = seekers.shape[0]
    muni = np.empty(n, dtype=np.intp)
    for k in range(n):
        j = np.uint64(seekers[k])
        x = h[k]
        att = attached[k]
        x = x * (1.0 if att else unattached_factor)
        in_rec = in_reception[np.uint64(pos[k])]
        here = local[j]  # loaded whatever the case: a select, not a branch
        x = x * np.float64(reception_factor if in_rec else here)
        # a course locks in the housed; in reception job finding is already held back by
        # reception. Past the term (fined, carrying on) a course takes fewer hours: part of the
        # lock-in remains; students (MBO/HBO) hold side jobs more often: a lock-in of their own
        enrolled = study[j] == STUDY_ENROLLED
        busy = (not in_rec) & (in_course[j] | enrolled)
        late = fined[j] & (not enrolled)
        student = (not in_rec) & (not in_course[j]) & enrolled
        held = study_lock_in if student else ((lock_in_late if late else lock_in) if busy else 1.0)
        x = x * held
        # the few on a temporary permit past its 5 years (none in the first 5 years)
        if (permit[j] == PERMIT_TEMPORARY) & (permit_month[j] <= late_permit_month):
            x = x * temporary_permit_factor
        # policy factors, sharing one headroom (coaching reaches the housed only): the combined
        # factor takes few values, so it is looked up by municipality x phase x subsidy in a table
        # made once (phase 0 in reception, 1 in the programme: whole months since housing below
        # programme_months, 2 after it)
        m = np.intp(municipality[j])
        housed_at = ti_housed[j]
        in_programme = (not in_rec) & (housed_at != NEVER_) & (t - housed_at < programme_months)
        subsidised = in_programme & ((language[j] < 2.0) | (education[j] == EDU_LOW))
        code = m * 6 + 4 - 2 * np.intp(in_programme) - 4 * np.intp(in_rec) + np.intp(subsidised)
        factor = policy_factor[np.uint64(code)]
        # measures that speed up job finding act on those who can work; they do not make work
        # possible for those who cannot (that is what the attachment terms are for)
        x = x * (factor if att else 1.0)
        # caseworkers' matching with employers: job offers that do not wait for the person's own
        # search (so not through Dutch), for those who can work, during the programme, held back
        # by a course like any job and by local demand; crowded like all hiring (in the caller)
        if offers > 0:
            offer = att & in_programme
            x = x + ((offers if offer else 0.0) * np.float64(here)) * held
        h[k] = x
        muni[k] = m
    return muni


NEVER_ = np.int16(NEVER)
EDU_HIGH, EDU_LOW = np.int8(Education.HIGH.value), np.int8(Education.LOW.value)
EXAM_PASSED, EXAM_EXEMPTED = np.int8(Exam.PASSED.value), np.int8(Exam.EXEMPTED.value)
PERMIT_CITIZEN, PERMIT_TEMPORARY = np.int8(Permit.CITIZEN.value), np.int8(Permit.TEMPORARY.value)
STUDY_COMPLETED, STUDY_ENROLLED = np.int8(Study.COMPLETED.value), np.int8(Study.ENROLLED.value)
