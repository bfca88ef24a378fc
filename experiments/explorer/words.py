"""The explorer's own words, in English and Dutch.

Every name the report also uses (outcomes, scenarios, groups, cost items, levers in plain words,
axis titles, numbers) comes from the report's translations (:mod:`experiments.presentation.i18n`, through
:mod:`experiments.explorer.bridge`), so a chart here and in the report calls the same thing by the
same name; what only the explorer says (its controls and buttons) is kept here, in the same form.
"""

from __future__ import annotations

from experiments.explorer.bridge import i18n

LANGUAGES = i18n.LANGUAGES

WORDS = {
    "title": {"en": "Integration explorer: what if we did this part only, or twice as much?",
              "nl": "Verkenner integratie: en als we alleen dit deel doen, of twee keer zoveel?"},
    "start": {"en": "Start from scenario", "nl": "Begin bij scenario"},
    "year": {"en": "Cohort (permit year)", "nl": "Cohort (jaar van de vergunning)"},
    "law": {"en": "Civic integration law", "nl": "Inburgeringswet"},
    "law_auto": {"en": "by permit year", "nl": "volgens jaar van de vergunning"},
    "reset": {"en": "Reset to the baseline", "nl": "Terug naar de basis"},
    "language": {"en": "Taal: Nederlands", "nl": "Language: English"},
    "levers": {"en": "Levers by demand", "nl": "Knoppen per eis"},
    "scope": {"en": "Scope", "nl": "Reikwijdte"},
    "changed": {"en": "changed", "nl": "gewijzigd"},
    "range": {"en": "range", "nl": "bereik"},
    "unit": {"en": "unit", "nl": "eenheid"},
    "today": {"en": "today", "nl": "nu"},
    "on": {"en": "on", "nl": "aan"},
    "off": {"en": "off", "nl": "uit"},
    "running": {"en": "Running: {done} of {total} runs of the setting", "nl": "Bezig: {done} van {total} runs van de instelling"},
    "composing": {"en": "Composing the runs ...", "nl": "De runs worden samengesteld ..."},
    "summarising": {"en": "Summarising ...", "nl": "Samenvatten ..."},
    "up_to_date": {"en": "Up to date ({seconds} s)", "nl": "Bijgewerkt ({seconds} s)"},
    "failed": {"en": "The runs failed: {error}", "nl": "De runs zijn mislukt: {error}"},
    "quick": {"en": "Quick estimate: {reps} replications of {size} persons each, on the same seeds for "
                    "the baseline and the setting (paired); the report uses 40 of 10,000, so its intervals "
                    "are narrower. Intervals: 90% over replications.",
              "nl": "Snelle schatting: {reps} herhalingen van elk {size} personen, op dezelfde seeds voor de "
                    "basis en de instelling (gepaard); het rapport gebruikt 40 van 10.000, dus daar zijn de "
                    "intervallen smaller. Intervallen: 90% over herhalingen."},
    "headline": {"en": "Participation after 5 years: {diff} percentage points against the baseline "
                       "(90% interval {lo} to {hi})",
                 "nl": "Participatie na 5 jaar: {diff} procentpunt ten opzichte van de basis "
                       "(90%-interval {lo} tot {hi})"},
    "headline_levels": {"en": "Setting {alt}% (90% interval {alo} to {ahi}), baseline {base}% ({blo} to {bhi}); "
                              "better than the baseline in {better}% of replications",
                        "nl": "Instelling {alt}% (90%-interval {alo} tot {ahi}), basis {base}% ({blo} tot {bhi}); "
                              "beter dan de basis in {better}% van de herhalingen"},
    "employment_line": {"en": "Employment after 5 years: {diff} pp ({lo} to {hi})",
                        "nl": "Werk na 5 jaar: {diff} procentpunt ({lo} tot {hi})"},
    "setting": {"en": "This setting", "nl": "Deze instelling"},
    "tab_time": {"en": "Over 10 years", "nl": "Over 10 jaar"},
    "tab_groups": {"en": "By group", "nl": "Per groep"},
    "tab_costs": {"en": "Costs", "nl": "Kosten"},
    "tab_evidence": {"en": "Evidence", "nl": "Bewijs"},
    "tab_story": {"en": "A person's story", "nl": "Het verhaal van een persoon"},
    "tab_export": {"en": "Export", "nl": "Exporteren"},
    "effect_pp": {"en": "Effect (percentage points)", "nl": "Effect (procentpunt)"},
    "paired_diff": {"en": "Setting minus baseline, paired by seed", "nl": "Instelling min basis, gepaard per seed"},
    "groups_title": {"en": "Effect on {outcome} after {years} years by group (median, 90% interval)",
                     "nl": "Effect op {outcome} na {years} jaar per groep (mediaan, 90%-interval)"},
    "costs_title": {"en": "Difference in public costs and earnings over {years} years, EUR per person "
                          "(median, 90% interval)",
                    "nl": "Verschil in publieke kosten en inkomen over {years} jaar, euro per persoon "
                          "(mediaan, 90%-interval)"},
    "costs_diff": {"en": "Setting minus baseline (EUR per person, cumulative)",
                   "nl": "Instelling min basis (euro per persoon, opgeteld)"},
    "evidence_intro": {"en": "The setting's effect on employment (median and 90% interval) beside the range "
                             "the evidence supports for each demand it changes, as in the report's "
                             "'Model and evidence' (model/data/demand_evidence.csv). For several demands "
                             "at once, compare with 'all demands together'.",
                       "nl": "Het effect van de instelling op werk (mediaan en 90%-interval) naast de "
                             "bandbreedte die het bewijs ondersteunt voor elke eis die zij verandert, zoals in "
                             "'Model en bewijs' van het rapport (model/data/demand_evidence.csv). Bij meerdere "
                             "eisen tegelijk: vergelijk met 'alle eisen samen'."},
    "evidence_none": {"en": "No demand is changed from the baseline: there is no effect to set beside the evidence.",
                      "nl": "Geen eis wijkt af van de basis: er is geen effect om naast het bewijs te zetten."},
    "evidence_range": {"en": "Range the evidence supports", "nl": "Bandbreedte volgens het bewijs"},
    "evidence_model": {"en": "Model: median, 90% interval", "nl": "Model: mediaan, 90%-interval"},
    "all_demands": {"en": "all demands together", "nl": "alle eisen samen"},
    "verdict": {"en": "verdict", "nl": "oordeel"},
    "within": {"en": "within", "nl": "binnen"}, "above": {"en": "above", "nl": "erboven"},
    "below": {"en": "below", "nl": "eronder"}, "overlaps": {"en": "overlaps", "nl": "overlapt"},
    "not run": {"en": "not run", "nl": "niet gedraaid"},
    "after_years": {"en": "after {y} years", "nl": "na {y} jaar"},
    "persona": {"en": "Person", "nl": "Persoon"},
    "story_note": {"en": "One life course on one set of random draws (seed {seed}), the same person under both "
                         "settings: an illustration of the mechanisms, not a forecast. Name invented.",
                   "nl": "Eén levensloop op één reeks toevalstrekkingen (seed {seed}), dezelfde persoon onder "
                         "beide instellingen: een illustratie van de mechanismen, geen voorspelling. Naam verzonnen."},
    "story_wait": {"en": "Following the persons ...", "nl": "De personen worden gevolgd ..."},
    "export_intro": {"en": "The current setting as a scenario file, and the comparison command that reproduces "
                           "these numbers (same seeds, population size and replications) once the file is in "
                           "scenarios/.",
                     "nl": "De huidige instelling als scenariobestand, en het vergelijkingscommando dat deze "
                           "getallen herhaalt (dezelfde seeds, populatie en herhalingen) zodra het bestand in "
                           "scenarios/ staat."},
    "download": {"en": "Download scenario file", "nl": "Scenariobestand downloaden"},
    "save": {"en": "Save in scenarios/", "nl": "Opslaan in scenarios/"},
    "saved": {"en": "Saved: {path}", "nl": "Opgeslagen: {path}"},
    "command": {"en": "Comparison command", "nl": "Vergelijkingscommando"},
    "changes_none": {"en": "no lever changed from the scenario", "nl": "geen knop gewijzigd ten opzichte van het scenario"},
    "showing": {"en": "Shown", "nl": "Getoond"},
    "updating": {"en": "updating to the new setting", "nl": "wordt bijgewerkt naar de nieuwe instelling"},
    "notes": {"en": "Notes", "nl": "Opmerkingen"},
}


def w(key: str, lang: str, **kw) -> str:
    """The explorer's word ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = WORDS[key][lang]
    return text.format(**kw) if kw else text


def num(x: float, lang: str, digits: int = 1, sign: bool = False) -> str:
    """A number as the report writes it (decimal comma in Dutch, a real minus sign)."""
    return i18n.number(x, lang, digits, sign)
