"""How to read the numbers: replications, intervals, the parameter ensemble and lever strengths."""

from __future__ import annotations

from experiments.presentation import i18n
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.numbers import ensemble_used, levers_used

def ensemble_text(m: dict, lang: str) -> str:
    """The provenance line of the parameter ensemble: file, date, number of sets (or why none)."""
    e = m.get("ensemble") or {}
    if not e.get("used"):
        note = e.get("note") or ("geen" if lang == "nl" else "none")
        return i18n.t("ensemble_off", lang).format(note=note)
    used = e.get("sets_used") or []
    used_txt = (f"{used[0]}-{used[-1]}" if len(used) > 1 else str(used[0]) if used else "-")
    line = i18n.t("ensemble_line", lang).format(file=e.get("file"), date=e.get("date"), n=e.get("n_sets"),
                                                used=used_txt, spp=e.get("seeds_per_set"))
    return line + (f"; {e['note']}" if e.get("note") else "")


def levers_text(m: dict, lang: str) -> str:
    """The provenance line of the lever-strength draws."""
    lv = m.get("levers") or {}
    if not lv.get("used"):
        return (i18n.say("not_drawn", lang)) + (f": {lv['note']}" if lv.get("note") else "")
    parts = [f"{lv.get('draws')} " + (i18n.say("draw_s", lang))]
    if lv.get("sets_per_draw"):
        parts.append(f"{lv['sets_per_draw']} " + (i18n.say("parameter_set_s_per", lang)))
    if lv.get("root_seed") is not None:
        parts.append(f"root seed {lv['root_seed']}")
    if lv.get("strengths"):
        parts.append(f"{len(lv['strengths'])} " + (i18n.say("strengths", lang)))
    if lv.get("fixed_on_command_line"):
        parts.append((i18n.say("fixed_on_the_command", lang))
                     + ", ".join(lv["fixed_on_command_line"]))
    return ", ".join(parts) + (f"; {lv['note']}" if lv.get("note") else "")


def methods_ensemble(inp: ReportInput) -> str:
    """The methods' item on parameter uncertainty."""
    nl = inp.lang == "nl"
    e = inp.meta.get("ensemble") or {}
    if not e.get("used"):
        return i18n.say("parameter_uncertainty_not_included", inp.lang, e=E(e.get("note") or ""))
    src = E(ensemble_text(inp.meta, inp.lang))
    if nl:
        return ("<li><b>Parameteronzekerheid.</b> Herhaling k gebruikt parameterset k // "
                f"{e.get('seeds_per_set')} uit het ensemble van parametersets die de CBS-cijfers ongeveer even "
                f"goed beschrijven als de beste ({src}), en seed k; elk scenario gebruikt per herhaling "
                "dezelfde set en seed, dus de verschillen blijven gepaard. De variantie van een verschil is "
                "gesplitst in toeval (gemiddelde variantie binnen een set) en parameteronzekerheid (variantie "
                "van de setgemiddelden min de variantie binnen een set gedeeld door het aantal seeds per set, "
                "minimaal 0); <code>share_parameter</code> in <code>summary.csv</code>.</li>")
    return ("<li><b>Parameter uncertainty.</b> Replication k uses parameter set k // "
            f"{e.get('seeds_per_set')} of the ensemble of sets that fit the CBS data about as well as the best "
            f"({src}), and seed k; every scenario uses the same set and seed in a replication, so differences "
            "stay paired. The variance of a difference is split into chance (the mean within-set variance) and "
            "parameter uncertainty (the variance of the set means minus the within-set variance divided by "
            "the seeds per set, floored at 0); <code>share_parameter</code> in <code>summary.csv</code>.</li>")


def methods_levers(inp: ReportInput) -> str:
    """The methods' item on lever strengths and the three-way split of each interval."""
    nl = inp.lang == "nl"
    lv = inp.meta.get("levers") or {}
    if not lv.get("used"):
        note = E(lv.get("note") or "")
        return i18n.say("lever_strengths_not_drawn_2", inp.lang, note=': ' + note if note else '')
    spd, sps = lv.get("sets_per_draw"), lv.get("seeds_per_set")
    k = f"k // ({sps} x {spd})" if spd and sps else "k // (seeds_per_set x sets_per_draw)"
    if nl:
        return ("<li><b>Sterkte van de beleidsknoppen.</b> Hoe sterk een knop werkt (niet of hij aan staat) is "
                "onzeker; herhaling k gebruikt trekking " + k + " van alle sterktes uit hun bandbreedte "
                f"(model/strengths.py; {lv.get('draws')} trekking(en)), in elk scenario dezelfde. Seeds zitten "
                "genest in parametersets en parametersets in trekkingen; de variantie van een verschil is met een "
                "geneste variantieanalyse gesplitst in toeval, geschatte parameters en sterkte van de knoppen "
                "(<code>share_chance</code>, <code>share_parameter</code>, <code>share_lever</code>; 0 tot 1, "
                "samen 1 waar te scheiden, anders leeg).</li>")
    return ("<li><b>Lever strengths.</b> How strongly a lever works (not whether it is on) is uncertain; "
            f"replication k uses draw {k} of all strengths from their ranges (model/strengths.py; "
            f"{lv.get('draws')} draw(s)), the same in every scenario. Seeds are nested in parameter sets and "
            "parameter sets in draws; the variance of a difference is split by a nested analysis of variance "
            "into chance, fitted parameters and lever strength (<code>share_chance</code>, "
            "<code>share_parameter</code>, <code>share_lever</code>; 0 to 1, summing to 1 where they can be told "
            "apart, else empty).</li>")


def methods_html(inp: ReportInput) -> str:
    nl = inp.lang == "nl"
    if nl:
        return ("<ul>" + methods_ensemble(inp) + methods_levers(inp) +
                "<li><b>Herhalingen en seeds.</b> Elk scenario draait op dezelfde seeds. Een seed bepaalt wie er in "
                "het cohort zit en elke toevalstrekking per persoon, maand en beslissing; beleid verandert alleen wie "
                "een trekking gebruikt, niet de trekking zelf (common random numbers).</li>"
                "<li><b>Intervallen.</b> 90%-interval = 5e tot 95e percentiel over herhalingen (lineaire interpolatie). "
                + ("Het toont het toeval in een cohort van deze omvang, de onzekerheid in de geschatte "
                   "parameters en hoe sterk de beleidsknoppen werken (zie hierboven), niet de overige aannames van "
                   "het model.</li>" if ensemble_used(inp.meta) and levers_used(inp.meta) else
                   "Het toont het toeval in een cohort van deze omvang en de onzekerheid in de geschatte "
                   "parameters (zie hierboven), niet de onzekerheid over de aannames van het model.</li>"
                   if ensemble_used(inp.meta) else
                   "Het toont het toeval in een cohort van deze omvang, niet de onzekerheid over de parameters en "
                   "aannames van het model.</li>") +
                "<li><b>Effecten.</b> Verschil met de basis per seed, daarna mediaan en 90%-interval van die "
                "verschillen. 'Beter in x%': het aandeel seeds waarin het scenario beter scoort, volgens de richting "
                "van de uitkomst (meer werk is beter, minder bijstand is beter); gelijke uitkomsten tellen niet als "
                "beter.</li>"
                "<li><b>Definities.</b> Werk volgens CBS (werknemer of zelfstandige, elk aantal uren, 18-64 jaar), "
                "gemeten vanaf de eigen vergunningsmaand, zoals CBS' cohortcijfers. Participatie = betaald werk, onderwijs "
                "of andere participatie (vrijwilligerswerk); zie 'Wat er gemeten wordt'. Zie docs/ODD.md voor het "
                "model.</li></ul>")
    return ("<ul>" + methods_ensemble(inp) + methods_levers(inp) +
            "<li><b>Replications and seeds.</b> Every scenario runs on the same seeds. A seed sets who is in the "
            "cohort and every random draw per person, month and decision; a policy changes only who uses a draw, "
            "not the draw (common random numbers).</li>"
            "<li><b>Intervals.</b> 90% interval = 5th to 95th percentile over replications (linear interpolation). "
            + ("It shows chance in a cohort of this size, the uncertainty in the fitted parameters and how "
               "strongly the policy levers work (see above), not the model's other assumptions.</li>"
               if ensemble_used(inp.meta) and levers_used(inp.meta) else
               "It shows chance in a cohort of this size and the uncertainty in the fitted parameters (see "
               "above), not uncertainty about the model's assumptions.</li>" if ensemble_used(inp.meta) else
               "It shows chance in a cohort of this size, not uncertainty about the model's parameters and "
               "assumptions.</li>") +
            "<li><b>Effects.</b> Difference from the baseline seed by seed, then the median and 90% interval of "
            "those differences. 'Better in x%': the share of seeds in which the scenario does better, by the "
            "outcome's direction (more work is better, less bijstand is better); ties do not count as better.</li>"
            "<li><b>Definitions.</b> Employed as CBS defines it (employee or self-employed, any hours, ages 18-64), "
            "counted from each person's own permit month, as in CBS's cohort tables. Participating = paid work, "
            "education or other participation (volunteering); see 'What is measured'. See docs/ODD.md for the "
            "model.</li></ul>")
