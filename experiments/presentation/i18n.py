"""Words of the comparison's charts, stories and report, in English and Dutch.

One place for every label a reader sees, so that a chart and the report use the same name for the
same thing (``employed`` is "Employed" / "Werkt" everywhere). Outcome labels in English come from
their declaration (:data:`model.outcomes.OUTCOMES`); the Dutch ones are kept here. Scenario names
are short versions of each scenario's ``scenario_info``; a scenario without a name here is shown by
its file name. A Dutch summary of a scenario is used only while the English summary it translates
is unchanged (otherwise the English one is shown, so a translation never goes stale silently).
"""

from __future__ import annotations

LANGUAGES = ("en", "nl")

#: short scenario names (charts, tables)
SCENARIO_NAMES = {
    "baseline": {"en": "Baseline (today)", "nl": "Basis (huidig beleid)"},
    "vwn_position": {"en": "VWN position (D1-D11)", "nl": "Standpunt VWN (D1-D11)"},
    "d1_municipal_role": {"en": "D1 Municipal role", "nl": "D1 Regie gemeente"},
    "d2_integral_approach": {"en": "D2 Integral approach", "nl": "D2 Integrale aanpak"},
    "d3_labour_guidance": {"en": "D3 Job guidance", "nl": "D3 Arbeidstoeleiding"},
    "d4_early_personal_plan": {"en": "D4 Early personal plan", "nl": "D4 Vroeg persoonlijk plan"},
    "d5_employers": {"en": "D5 Employers", "nl": "D5 Werkgevers"},
    "d6_better_inburgering": {"en": "D6 Better inburgering", "nl": "D6 Betere inburgering"},
    "d7_no_exam_condition": {"en": "D7 No exam condition", "nl": "D7 Geen examenvoorwaarde"},
    "d8_smooth_naturalisation": {"en": "D8 Smooth naturalisation", "nl": "D8 Soepele naturalisatie"},
    "d9_stop_stacking": {"en": "D9 Stop stacking", "nl": "D9 Stop stapeling"},
    "d10_cooperation": {"en": "D10 Cooperation", "nl": "D10 Samenwerking"},
    "d11_welcoming_society": {"en": "D11 Welcoming society", "nl": "D11 Gastvrije samenleving"},
    "stacking": {"en": "Stacking conditions", "nl": "Stapeling van eisen"},
    "wi2013": {"en": "Law of 2013", "nl": "Wet van 2013"},
}

#: Dutch translations of the scenarios' English summaries (scenario -> (English, Dutch))
SUMMARY_NL = {
    "baseline": ("Today: law of 2021, current practice and housing waits",
                 "Nu: wet van 2021, huidige praktijk en huidige wachttijden voor een woning"),
    "vwn_position": ("VluchtelingenWerk's position: all demands D1-D11 together",
                     "Standpunt van VluchtelingenWerk: alle eisen D1-D11 samen"),
    "d1_municipal_role": ("Municipal support doubled, integration starts in reception",
                          "Twee keer zoveel gemeentelijke begeleiding, inburgering begint al in het azc"),
    "d2_integral_approach": ("Dual track (learn and work at once) and 50% more social guidance",
                             "Duaal traject (tegelijk leren en werken) en 50% meer maatschappelijke begeleiding"),
    "d3_labour_guidance": ("Job coaching doubled, half of job starts matched to education",
                           "Twee keer zoveel jobcoaching, de helft van de banen past bij de opleiding"),
    "d4_early_personal_plan": ("Personal plan within a month, competences assessed for 70%",
                               "Persoonlijk plan binnen een maand, competenties van 70% vastgesteld"),
    "d5_employers": ("Employer openness +25%, wage subsidy for low-productivity starts (+30% hiring)",
                     "Werkgevers 25% opener, loonkostensubsidie bij lage productiviteit (+30% aanname)"),
    "d6_better_inburgering": ("Course quality +20%, right route for 95%",
                              "Cursussen 20% beter, 95% op de juiste leerroute"),
    "d7_no_exam_condition": ("No exam condition for permanent residence or naturalisation",
                             "Geen examenvoorwaarde voor een vaste verblijfsvergunning of naturalisatie"),
    "d8_smooth_naturalisation": ("Naturalisation 80% easier (monthly uptake x1.8)",
                                 "Naturaliseren 80% makkelijker (maandelijkse kans x1,8)"),
    "d9_stop_stacking": ("No extra conditions beyond the language route",
                         "Geen extra voorwaarden naast de taalroute"),
    "d10_cooperation": ("Implementation quality 0.85 everywhere, placement matched to labour markets",
                        "Uitvoeringskwaliteit overal 0,85, plaatsing afgestemd op de arbeidsmarkt"),
    "d11_welcoming_society": ("Discrimination halved, contact +50%",
                              "Discriminatie gehalveerd, 50% meer contact"),
    "stacking": ("B1 everywhere, three extra conditions, permanence after 7 years",
                 "Overal B1, drie extra voorwaarden, vaste vergunning pas na 7 jaar"),
    "wi2013": ("Civic integration law of 2013 (self-arranged course, A2 exam) for today's cohort",
               "Inburgeringswet van 2013 (zelf cursus regelen, examen A2) voor het huidige cohort"),
}

OUTCOMES_NL = {
    "participating": "Participeert (werk, onderwijs of anders)",
    "employed": "Werkt (CBS: betaald werk, 18-64)",
    "in_education": "Volgt onderwijs",
    "education_only": "Volgt onderwijs, zonder betaald werk",
    "other_only": "Alleen andere participatie (geen werk, geen onderwijs)",
    "volunteering": "Andere participatie (vrijwilligerswerk)",
    "full_time": "Werkt voltijds",
    "benefit": "In de bijstand",
    "belonging": "Voelt zich thuis (index 0-100)",
    "poor_health": "Slechte psychische gezondheid",
    "exam_passed": "Inburgering behaald (examen of route)",
    "exam_exempted": "Vrijgesteld van inburgering",
    "own_home": "Woont in een gemeente",
    "in_reception": "Wacht in de opvang (azc)",
    "residence_secure": "Zeker verblijf (vaste vergunning of Nederlander)",
    "permanent_permit": "Vaste verblijfsvergunning (niet genaturaliseerd)",
    "naturalised": "Genaturaliseerd",
    "left": "Vertrokken uit Nederland",
}

#: short outcome names (axis titles, panel titles)
OUTCOMES_SHORT = {
    "participating": {"en": "Participating", "nl": "Participeert"},
    "employed": {"en": "Employed", "nl": "Werkt"},
    "in_education": {"en": "In education", "nl": "Volgt onderwijs"},
    "education_only": {"en": "Education without work", "nl": "Onderwijs zonder werk"},
    "volunteering": {"en": "Other participation", "nl": "Andere participatie"},
    "other_only": {"en": "Other participation only", "nl": "Alleen andere participatie"},
    "full_time": {"en": "Working full-time", "nl": "Werkt voltijds"},
    "benefit": {"en": "On bijstand", "nl": "In de bijstand"},
    "belonging": {"en": "Feeling at home", "nl": "Voelt zich thuis"},
    "poor_health": {"en": "Poor mental health", "nl": "Slechte psychische gezondheid"},
    "exam_passed": {"en": "Civic integration met", "nl": "Inburgering behaald"},
    "exam_exempted": {"en": "Exempted", "nl": "Vrijgesteld"},
    "own_home": {"en": "Housed", "nl": "Gehuisvest"},
    "in_reception": {"en": "In reception", "nl": "In de opvang"},
    "residence_secure": {"en": "Secure residence", "nl": "Zeker verblijf"},
    "permanent_permit": {"en": "Permanent permit", "nl": "Vaste vergunning"},
    "naturalised": {"en": "Naturalised", "nl": "Genaturaliseerd"},
    "left": {"en": "Left the Netherlands", "nl": "Vertrokken"},
}

#: the exclusive parts of participation (experiments.runs.summary.PARTS), as a chart's legend names them
PART_NAMES = {
    "employed": {"en": "Paid work", "nl": "Betaald werk"},
    "education_only": {"en": "Education without work", "nl": "Onderwijs zonder werk"},
    "other_only": {"en": "Other participation only", "nl": "Alleen andere participatie"},
}

#: policy levers (model/policy.py LEVERS) in plain words, for "how strongly ... work(s)"
LEVER_WORDS = {
    "support_level": {"en": "municipal support", "nl": "gemeentelijke begeleiding"},
    "start_in_reception": {"en": "starting in reception", "nl": "beginnen in de opvang"},
    "dual_track": {"en": "the dual track", "nl": "het duale traject"},
    "social_guidance": {"en": "social guidance", "nl": "maatschappelijke begeleiding"},
    "job_coaching": {"en": "job coaching", "nl": "jobcoaching"},
    "job_matching": {"en": "matching jobs to education", "nl": "banen die bij de opleiding passen"},
    "pip_delay_months": {"en": "an early personal plan", "nl": "een vroeg persoonlijk plan"},
    "competence_assessment": {"en": "recognising qualifications", "nl": "het erkennen van diploma's"},
    "employer_openness": {"en": "employers' openness", "nl": "de openheid van werkgevers"},
    "wage_subsidy": {"en": "wage subsidies", "nl": "loonkostensubsidies"},
    "course_quality": {"en": "course quality", "nl": "de kwaliteit van cursussen"},
    "route_information": {"en": "placing people on the right route", "nl": "plaatsing op de juiste leerroute"},
    "permanence_requires_exam": {"en": "the exam condition for a permanent permit",
                                 "nl": "de examenvoorwaarde voor een vaste vergunning"},
    "naturalisation_requires_exam": {"en": "the exam condition for naturalisation",
                                     "nl": "de examenvoorwaarde voor naturalisatie"},
    "naturalisation_ease": {"en": "easier naturalisation", "nl": "makkelijker naturaliseren"},
    "naturalisation_years": {"en": "the years before naturalisation", "nl": "de jaren voor naturalisatie"},
    "extra_conditions": {"en": "extra conditions", "nl": "extra voorwaarden"},
    "permanence_years": {"en": "the years before a permanent permit", "nl": "de jaren voor een vaste vergunning"},
    "implementation_quality": {"en": "implementation quality", "nl": "de kwaliteit van de uitvoering"},
    "placement": {"en": "placement by labour market", "nl": "plaatsing naar arbeidsmarkt"},
    "discrimination": {"en": "less discrimination", "nl": "minder discriminatie"},
    "social_contact": {"en": "contact with Dutch people", "nl": "contact met Nederlanders"},
    "exam_level": {"en": "the exam level", "nl": "het examenniveau"},
}

STAGE_NAMES = {
    "reception": {"en": "Waiting in reception", "nl": "Wacht in de opvang"},
    "housed": {"en": "Housed, no activity or benefit", "nl": "Gehuisvest, geen activiteit of uitkering"},
    "benefits": {"en": "Housed, on bijstand", "nl": "Gehuisvest, in de bijstand"},
    "learning": {"en": "Learning Dutch (inburgering)", "nl": "Leert Nederlands (inburgering)"},
    "education": {"en": "In education", "nl": "Volgt onderwijs"},
    "work": {"en": "In work", "nl": "Werkt"},
    "left": {"en": "Left the Netherlands", "nl": "Vertrokken uit Nederland"},
}

COST_ITEMS = {
    "reception": {"en": "Reception", "nl": "Opvang"},
    "benefits": {"en": "Benefits (bijstand)", "nl": "Bijstand"},
    "courses": {"en": "Courses (routes)", "nl": "Cursussen (leerroutes)"},
    "support": {"en": "Municipal support", "nl": "Gemeentelijke begeleiding"},
    "subsidies": {"en": "Wage subsidies", "nl": "Loonkostensubsidies"},
    "public_total": {"en": "Public costs, total", "nl": "Publieke kosten, totaal"},
    "earnings": {"en": "Net earnings of the cohort", "nl": "Netto inkomen uit werk"},
}

GROUP_VALUES = {
    "all": {"en": "Everyone", "nl": "Iedereen"},
    "male": {"en": "Men", "nl": "Mannen"},
    "female": {"en": "Women", "nl": "Vrouwen"},
    "Syria": {"en": "Syria", "nl": "Syrië"},
    "Eritrea": {"en": "Eritrea", "nl": "Eritrea"},
    "Afghanistan": {"en": "Afghanistan", "nl": "Afghanistan"},
    "Iraq": {"en": "Iraq", "nl": "Irak"},
    "Iran": {"en": "Iran", "nl": "Iran"},
    "Turkey": {"en": "Turkey", "nl": "Turkije"},
    "Other": {"en": "Other origins", "nl": "Overige herkomst"},
    "low": {"en": "Low education", "nl": "Laag opgeleid"},
    "mid": {"en": "Middle education", "nl": "Middelbaar opgeleid"},
    "high": {"en": "Higher education", "nl": "Hoger opgeleid"},
}
GROUP_KEYS = {
    "sex": {"en": "Sex", "nl": "Geslacht"},
    "origin": {"en": "Origin", "nl": "Herkomst"},
    "age": {"en": "Age", "nl": "Leeftijd"},
    "education": {"en": "Education at arrival", "nl": "Opleiding bij aankomst"},
}


def scenario_name(name: str, lang: str) -> str:
    """Short display name of a scenario (its file name if it has none here)."""
    return SCENARIO_NAMES.get(name, {}).get(lang, name)


def scenario_summary(name: str, summary_en: str, lang: str) -> str:
    """A scenario's one-line summary in ``lang`` (English if no current translation)."""
    if lang == "nl" and name in SUMMARY_NL and SUMMARY_NL[name][0] == summary_en:
        return SUMMARY_NL[name][1]
    return summary_en


def cost_item(item: str, lang: str) -> str:
    return COST_ITEMS.get(item, {}).get(lang, item)


def outcome_label(name: str, lang: str) -> str:
    """Full outcome label (the declared one in English)."""
    from experiments.runs.summary import outcome_info

    BY_NAME = outcome_info()
    if lang == "nl" and name in OUTCOMES_NL:
        return OUTCOMES_NL[name]
    return BY_NAME[name].label if name in BY_NAME else name


def part_label(name: str, lang: str) -> str:
    """Name of an exclusive part of participation (legend of the participation chart)."""
    return PART_NAMES.get(name, {}).get(lang, name)


def lever_words(name: str, lang: str) -> str:
    """A policy lever in plain words (its name if none is kept here)."""
    return LEVER_WORDS.get(name, {}).get(lang, name.replace("_", " "))


def join_words(items: list[str], lang: str) -> str:
    """'a', 'a and b', 'a, b and c' (Dutch: 'en')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" en " if lang == "nl" else " and ") + items[-1]


def outcome_short(name: str, lang: str) -> str:
    return OUTCOMES_SHORT.get(name, {}).get(lang, name)


def group_label(group: str, lang: str) -> str:
    """``origin=Syria`` -> ``Syria`` / ``Syrië``; ``age=25-34`` -> ``25-34 years`` / ``25-34 jaar``."""
    if group == "all":
        return GROUP_VALUES["all"][lang]
    key, value = group.split("=", 1)
    if key == "age":
        value = value.replace("65-200", "65+")
        return f"{value} {'jaar' if lang == 'nl' else 'years'}"
    return GROUP_VALUES.get(value, {}).get(lang, value)


def group_key_label(key: str, lang: str) -> str:
    return GROUP_KEYS.get(key, {}).get(lang, key)


def number(x: float, lang: str, digits: int = 1, sign: bool = False) -> str:
    """A number as a reader of ``lang`` writes it (Dutch: decimal comma, thousands with a dot)."""
    if x is None or x != x:
        return "-"
    s = f"{x:+,.{digits}f}" if sign else f"{x:,.{digits}f}"
    s = s.replace("-", "\u2212")  # a real minus sign
    if lang == "nl":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


#: every other word of the charts and the report
TEXT = {
    "months_since_permit": {"en": "Months since permit", "nl": "Maanden sinds vergunning"},
    "years_since_permit": {"en": "Years since permit", "nl": "Jaren sinds vergunning"},
    "share_pct": {"en": "Share (%)", "nl": "Aandeel (%)"},
    "share_working_age": {"en": "Share of 18-64 year olds (%)", "nl": "Aandeel van 18-64-jarigen (%)"},
    "pp_diff": {"en": "Difference from the baseline (percentage points)",
                "nl": "Verschil met de basis (procentpunten)"},
    "eur_person": {"en": "EUR per person", "nl": "euro per persoon"},
    "median": {"en": "median", "nl": "mediaan"},
    "band90": {"en": "90% interval over replications", "nl": "90%-interval over herhalingen"},
    "baseline_median": {"en": "baseline (median)", "nl": "basis (mediaan)"},
    "after_3y": {"en": "after 3 years", "nl": "na 3 jaar"},
    "after_5y": {"en": "after 5 years", "nl": "na 5 jaar"},
    # where the spread of an effect comes from (experiments.presentation.report.spread_sentence)
    "spread_unidentified": {"en": "how much of the spread comes from the fitted parameters or the lever "
                                  "strengths cannot be told apart from chance here (it needs at least two "
                                  "groups, each with two or more seeds)",
                            "nl": "hoeveel van de spreiding door de geschatte parameters of de sterkte van de "
                                  "beleidsknoppen komt, is hier niet van toeval te scheiden (daarvoor zijn "
                                  "minstens twee groepen met elk twee of meer seeds nodig)"},
    "spread_none": {"en": "the spread is chance only: every replication uses the same fitted parameters "
                          "and lever strengths",
                    "nl": "de spreiding is alleen toeval: elke herhaling gebruikt dezelfde geschatte "
                          "parameters en sterktes van de beleidsknoppen"},
    # the three sources of an effect's spread, as they follow "... of the spread comes from"
    "src_parameter": {"en": "uncertainty in the fitted parameters",
                      "nl": "onzekerheid in de geschatte parameters"},
    "src_lever": {"en": "how strongly the policy levers work", "nl": "hoe sterk de beleidsknoppen werken"},
    "src_lever_short": {"en": "lever strength", "nl": "de sterkte van de beleidsknoppen"},
    "src_lever_named": {"en": "how strongly {levers} {verb}", "nl": "hoe sterk {levers} {verb}"},
    "src_chance": {"en": "chance", "nl": "toeval"},
    "spread_most": {"en": "most of the uncertainty in this effect comes from {source}",
                    "nl": "de meeste onzekerheid in dit effect komt door {source}"},
    "spread_confounded": {"en": "about {c}% of the spread comes from chance; the rest from the fitted parameters "
                                "and the lever strengths together (they cannot be told apart here: each lever "
                                "draw used one parameter set)",
                          "nl": "ongeveer {c}% van de spreiding komt door toeval; de rest door de geschatte "
                                "parameters en de sterkte van de beleidsknoppen samen (die zijn hier niet te "
                                "scheiden: elke trekking gebruikte één parameterset)"},
    "ensemble": {"en": "Parameter ensemble", "nl": "Parameterensemble"},
    "ensemble_line": {"en": "{file}, {date}, {n} parameter sets (sets {used} used, {spp} seed(s) per set)",
                      "nl": "{file}, {date}, {n} parametersets (sets {used} gebruikt, {spp} seed(s) per set)"},
    "ensemble_off": {"en": "not used: {note}", "nl": "niet gebruikt: {note}"},
}


def t(key: str, lang: str) -> str:
    return TEXT[key][lang]
