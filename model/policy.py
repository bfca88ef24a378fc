"""Policy levers (the client's demands D1-D11 and the two civic integration laws) and the Policy
object that pathways consult.

Each lever is declared once below, with the demand it expresses, its unit, its default (today's
practice) and range, and its source. Pathways never branch on a scenario's name: they ask the
:class:`Policy` (``policy.exam_level``, ``policy.lock_in``, ...), whose properties turn levers and the
legal regime into the quantities a mechanism needs. To add a lever: declare it here, give
:class:`Policy` a property if the pathways need a derived quantity, use it in one pathway, and add
a scenario file and a direction test.
"""

from __future__ import annotations

from model.parameters import Param

LEVERS: tuple[Param, ...] = (
    # ---- legal regime -------------------------------------------------------------------------
    Param("law", "auto", "regime", "Wet inburgering 2013 and 2021 (domain brief)",
          "civic integration law; auto = by permit year (2013 before 2022, 2021 from 2022)",
          kind="choice", choices=("auto", "2013", "2021"), demand="law"),
    Param("scope", "national", "who gets the policy",
          "effects_design: national reforms move employment 0-3 pp, pilots 13-15 pp (Andersson Joona et "
          "al. 2016; Dahlberg et al. 2024); displacement: Crepon et al. 2013",
          "national: every status holder gets the policy, so earlier cohorts, who compete for the "
          "same jobs, search harder too (displacement); pilot: only this cohort, others unchanged",
          kind="choice", choices=("national", "pilot"), demand="scope"),
    Param("placement", "quota", "rule",
          "quota: Huisvestingswet taakstelling; matched: Bansak et al. 2018 (GeoMatch)",
          "how permit holders are linked to municipalities", kind="choice",
          choices=("quota", "matched"), demand="D10"),
    # ---- D1 intensify and speed up, municipal key role -----------------------------------------
    Param("support_level", 1.0, "multiplier of 2024 municipal support",
          "MKBA Amsterdam approach (LPBL 2017, secondary): caseload 50 ~ 2x usual",
          "municipal support intensity (caseload, budget): faster intake, job coaching, other participation",
          kind="multiplier", low=0.5, high=3.0, demand="D1"),
    Param("start_in_reception", False, "flag", "MKBA Amsterdam approach (start in reception)",
          "intake and language course start while still in reception", kind="flag", demand="D1"),
    # ---- D2 integral approach ------------------------------------------------------------------
    Param("dual_track", False, "flag", "Regioplan 2020/2021 (VOI pilots: positive, no effect size)",
          "work and learning in parallel: a course no longer holds back job search", kind="flag",
          demand="D2"),
    Param("social_guidance", 1.0, "multiplier", "assumption (domain brief D2)",
          "social guidance: fewer drop-outs from courses and education, faster recovery of health",
          kind="multiplier", low=0.5, high=2.0, demand="D2"),
    # ---- D3 labour-market guidance -------------------------------------------------------------
    Param("job_coaching", 1.0, "multiplier of 2024 coaching intensity",
          "assumption; MKBA Amsterdam (LPBL 2017) for the return on intensive guidance",
          "intensity of job coaching for housed permit holders", kind="multiplier", low=0.5,
          high=3.0, demand="D3"),
    Param("job_matching", 0.3, "share of job starts", "assumption (domain brief D3: suitable work)",
          "share of job starts matched to the person's education (longer, fuller jobs)",
          kind="share", low=0.1, high=0.8, demand="D3"),
    # ---- D4 personal plan soon after arrival --------------------------------------------------
    Param("pip_delay_months", 4.0, "months after housing",
          "CBS SWI 2022/2023: 35% of the 2022 cohort had an intake by end 2022, 88% by end 2023",
          "delay to the broad intake and personal plan: from housing (or the permit, when starting in reception) the intake happens each month with chance support / this",
          kind="months", low=0.5, high=12.0, demand="D4"),
    Param("competence_assessment", 0.3, "probability",
          "assumption: foreign diplomas often not recognised or not used (domain brief)",
          "chance that a valid foreign qualification is assessed and recognised at intake",
          kind="probability", low=0.1, high=0.9, demand="D4"),
    # ---- D5 employers --------------------------------------------------------------------------
    Param("employer_openness", 1.0, "multiplier", "assumption (domain brief D5)",
          "employers' willingness to hire permit holders (no-risk policy, information)",
          kind="multiplier", low=0.7, high=1.5, demand="D5"),
    Param("wage_subsidy", 1.0, "multiplier on hiring of low-productivity applicants",
          "assumption; wage cost subsidies raise hiring of people with low language or education",
          "hiring multiplier for people below A2 or with little schooling", kind="multiplier",
          low=1.0, high=2.0, demand="D5"),
    # ---- D6 better inburgering policy ----------------------------------------------------------
    Param("course_quality", 1.0, "multiplier", "Arendt et al. NBER WP 26834; assumption for size",
          "quality of language courses: learning speed up, drop-out down", kind="multiplier",
          low=0.7, high=1.5, demand="D6"),
    Param("route_information", 0.8, "probability", "assumption (domain brief D6: wrong-route placement)",
          "chance that the intake places a person on the route that fits them", kind="probability",
          low=0.5, high=1.0, demand="D6"),
    # ---- D7 exam not a condition for permanence or citizenship -------------------------------
    Param("permanence_requires_exam", True, "flag", "Vreemdelingenwet: integration requirement",
          "a permanent permit after 5 years requires the civic integration obligation met",
          kind="flag", demand="D7"),
    Param("naturalisation_requires_exam", True, "flag", "Rijkswet op het Nederlanderschap",
          "naturalisation requires the civic integration exam passed", kind="flag", demand="D7"),
    # ---- D8 smooth naturalisation --------------------------------------------------------------
    Param("naturalisation_ease", 1.0, "multiplier", "assumption (fees, documents, waiting)",
          "ease of naturalisation: multiplies the monthly application-and-grant chance",
          kind="multiplier", low=0.5, high=2.5, demand="D8"),
    Param("naturalisation_years", 5.0, "years", "Rijkswet op het Nederlanderschap (5 years)",
          "years of residence before naturalisation", kind="years", low=3.0, high=10.0,
          demand="D8"),
    # ---- D9 stop stacking conditions -----------------------------------------------------------
    Param("exam_level", "auto", "CEFR level",
          "law of 2013: A2; law of 2021: B1 route at B1 (domain brief)",
          "level of the civic integration exam; auto = by law", kind="choice",
          choices=("auto", "A2", "B1"), demand="D9"),
    Param("extra_conditions", 1.0, "count of extra obligations",
          "assumption: today one (participation statement and labour-market module); domain brief D9",
          "extra integration conditions (statements, tests, obligations): each costs course time "
          "and belonging", kind="multiplier", low=0.0, high=3.0, demand="D9"),
    Param("permanence_years", 5.0, "years", "Vreemdelingenwet (5 years)",
          "years on a temporary permit before a permanent permit", kind="years", low=5.0,
          high=10.0, demand="D9"),
    # ---- D10 cooperation, implementation ------------------------------------------------------
    Param("implementation_quality", 0.7, "index 0-1", "assumption (domain brief D10)",
          "mean implementation quality across municipalities (1 = best practice everywhere)",
          kind="share", low=0.4, high=1.0, demand="D10"),
    Param("implementation_spread", 0.15, "index 0-1",
          "assumption: wide differences between municipalities (Divosa benchmark)",
          "spread of implementation quality across municipalities", kind="share", low=0.0,
          high=0.3, demand="D10"),
    # ---- D11 welcoming society -----------------------------------------------------------------
    Param("discrimination", 0.3, "share of hiring chances lost",
          "field experiments in NL find 20-50% lower call-back rates for Arabic names (assumption)",
          "share of job offers lost to discrimination", kind="share", low=0.0, high=0.6,
          demand="D11"),
    Param("social_contact", 1.0, "multiplier", "assumption (domain brief D11)",
          "contact with Dutch people: informal language learning and belonging",
          kind="multiplier", low=0.5, high=2.0, demand="D11"),
)

LEVEL = {"A1": 1.0, "A2": 2.0, "B1": 3.0, "B2": 4.0}

#: an asylum residence permit is temporary for 5 years (Vreemdelingenwet); a person still on a
#: temporary permit after that lives on an extension, with the insecurity that brings
TEMPORARY_PERMIT_MONTHS = 60


#: extra work for the municipalities' integration staff (caseworkers, coaches, intake, social
#: guidance) that each staff-using lever asks for, as a share of today's staff per unit of change
#: from today's setting (assumption: support is the caseload itself; coaches and social guidance are
#: parts of the team; a faster intake, assessments and better route information are front-loaded
#: work; serving people in reception too adds their months there)
STAFF_WORK: dict[str, float] = {"support_level": 1.0, "job_coaching": 0.4, "social_guidance": 0.3,
                                "pip_delay_months": 0.1, "competence_assessment": 0.05,
                                "start_in_reception": 0.3, "route_information": 0.1}
_DEFAULTS = {p.name: p.default for p in LEVERS}


def staff_workload(levers) -> float:
    """Extra integration work a policy asks of municipal staff, as a share of today's staff."""
    def more(name: str) -> float:
        v, d = getattr(levers, name), _DEFAULTS[name]
        if name == "pip_delay_months":  # a shorter delay is more work up front
            return max(d / max(v, 1e-9) - 1.0, 0.0)
        if name == "start_in_reception":
            return float(bool(v) and not d)
        if name == "route_information":
            return max((v - d) / (1.0 - d), 0.0)
        return max(v / d - 1.0, 0.0) if d else 0.0
    return sum(w * more(n) for n, w in STAFF_WORK.items())


class Policy:
    """The levers of one run, with the derived quantities that pathways consult.

    Staff levers are *realised*: a policy that asks more extra work of the municipalities'
    integration staff than they can take on (``staff_capacity``, a share of today's staff) gets the
    same share of each staff lever's change, ``realised = min(1, capacity / workload)`` (a national
    policy; a pilot is staffed in full): many
    measures at once compete for the same caseworkers, so together they do less than each alone
    (diminishing returns from capacity). Attributes hold realised values; ``levers`` the settings.

    Args:
        levers: the validated ``policy`` values (attribute access).
        permit_year: cohort year, which sets the law when ``law`` is ``auto``.
        staff_capacity: extra work the staff can take on (``params.intake.staff_capacity``);
            infinite = every setting fully realised.
    """

    def __init__(self, levers, permit_year: int, staff_capacity: float = float("inf")) -> None:
        self.levers = levers
        for p in LEVERS:
            setattr(self, p.name, getattr(levers, p.name))
        self.law = (("2013" if permit_year < 2022 else "2021") if levers.law == "auto"
                    else levers.law)
        self.workload = staff_workload(levers)
        #: share of each staff lever's change that the staff can deliver (1 = all of it); a pilot
        #: is small enough to be staffed in full
        national = levers.scope == "national"
        self.realised = (min(1.0, staff_capacity / self.workload)
                         if self.workload > 0 and national else 1.0)
        for name in STAFF_WORK:
            if name != "start_in_reception":
                d = _DEFAULTS[name]
                setattr(self, name, d + self.realised * (getattr(levers, name) - d))

    @property
    def law_2021(self) -> bool:
        """Municipality leads: broad intake, personal plan, routes, courses provided."""
        return self.law == "2021"

    @property
    def exam_target(self) -> float:
        """Language level (0-4 scale) the exam tests."""
        if self.levers.exam_level != "auto":
            return LEVEL[self.levers.exam_level]
        return LEVEL["B1"] if self.law_2021 else LEVEL["A2"]

    @property
    def naturalisation_target(self) -> float:
        """Language level the naturalisation exam requires (A2; B1 when stacked)."""
        return max(LEVEL["A2"], self.exam_target if self.levers.exam_level == "B1" else 0.0)
