"""The report's plain-language summary: what was simulated, the results in the client's order
(participation, feeling at home, employment), groups, costs and what the effects rest on."""

from __future__ import annotations

import pandas as pd

from experiments.presentation import i18n
from experiments.runs.summary import PARTS
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.numbers import (ensemble_used, eur, first_row, interval,
                                                     lever_changes, levers_used, pct, points, pp,
                                                     seeds_short, spread_sentence, verdict)

# ---- text ---------------------------------------------------------------------------------------
def plain_summary(inp: ReportInput) -> list[str]:
    """The plain-language summary, as HTML paragraphs."""
    L, S, base, pos = inp.lang, inp.summary, inp.baseline, inp.position
    nl = L == "nl"
    m = inp.meta
    name = lambda s: i18n.scenario_name(s, L)  # noqa: E731
    n_reps = min(m["replications_per_scenario"].values())
    paras = []
    others = [s for s in inp.scenarios if s != base]
    # Read this first: what the sizes below are and are not (stated before any number).
    if nl:
        paras.append(
            "<b>Lees dit eerst.</b> Hoe sterk elke beleidsknop werkt, is onzeker: het model trekt die "
            "sterktes uit de marges die gepubliceerde evaluaties toelaten (zie 'Model en bewijs') en "
            "de intervallen hieronder bevatten die onzekerheid. Waar geen evaluatie bestaat, rust de "
            "marge op een aanname. Maatregelen samen doen minder dan de som van elk apart (dezelfde "
            "mensen, dezelfde banen en dezelfde begeleiders); de grafiek 'alle eisen tegen de som' laat "
            "dat zien. Gebruik de uitkomsten om scenario's te vergelijken, niet als voorspelling. "
            "Voorbij vijf jaar is het model maar op twee punten getoetst (zes en acht jaar), en op acht "
            "jaar ligt het te hoog.")
    else:
        paras.append(
            "<b>Read this first.</b> How strongly each policy lever works is uncertain: the model draws "
            "these strengths from the ranges published evaluations support (see 'Model and evidence'), "
            "and the intervals below include that uncertainty. Where no evaluation exists, the range "
            "rests on an assumption. Measures together do less than the sum of each alone (the same "
            "people, the same jobs and the same caseworkers); the chart of all demands against the sum "
            "shows it. Use the results to compare scenarios, not as a forecast. Beyond five years the "
            "model is checked at two points only (six and eight years), and at eight years it is too high.")
    if nl:
        paras.append(
            f"We simuleerden een cohort van {i18n.number(m['population_size'], L, 0)} mensen die in "
            f"{m['permit_year']} een asielvergunning kregen, {n_reps} keer (seeds {E(seeds_short(m['seeds']))}), "
            f"onder {len(inp.scenarios)} scenario's: het huidige beleid ('{E(name(base))}') en "
            f"{len(others)} alternatieven. Elk scenario kreeg dezelfde toevalstrekkingen als de basis: een "
            "verschil tussen twee scenario's komt dus door het beleid, niet door toeval in wie er in het "
            "cohort zit of wat die mensen overkomt.")
    else:
        paras.append(
            f"We simulated a cohort of {i18n.number(m['population_size'], L, 0)} people granted an asylum "
            f"permit in {m['permit_year']}, {n_reps} times (seeds {E(seeds_short(m['seeds']))}), under "
            f"{len(inp.scenarios)} scenarios: today's policy ('{E(name(base))}') and {len(others)} "
            "alternatives. Every scenario was given the same random draws as the baseline, so a "
            "difference between two scenarios comes from policy, not from chance in who is in the "
            "cohort or what happens to them.")
    paras += result_paragraphs(inp)
    # groups: losses that the average hides, then losses of scenarios that lose on average too
    hidden, open_ = group_losses(S, base)
    def items(rows):
        return "; ".join(f"'{E(name(s))}': {E(i18n.group_label(g, L).lower() if nl and not g.startswith("origin=") else i18n.group_label(g, L))}, "
                         f"{E(i18n.outcome_short(o, L).lower())} {pp(d, L)}" for s, g, o, d in rows[:8]) + (
            (f" (en {len(rows) - 8} meer)" if nl else f" (and {len(rows) - 8} more)") if len(rows) > 8 else "")
    if hidden:
        paras.append((f"Niemands verlies verdwijnt in een gemiddelde. Deze groepen gaan er na vijf jaar duidelijk op "
                      f"achteruit (het hele 90%-interval aan de verliezende kant), terwijl het scenario gemiddeld "
                      f"niet slechter uitpakt: {items(hidden)}.") if nl else
                     (f"Nobody's loss hides in an average. These groups are clearly worse off after five years (the "
                      f"whole 90% interval on the losing side) although the scenario is not worse on average: "
                      f"{items(hidden)}."))
    else:
        paras.append(("Niemands verlies verdwijnt in een gemiddelde: in geen scenario dat gemiddeld niet slechter "
                      "uitpakt, gaat een groep (naar geslacht, herkomst, leeftijd of opleiding) er na vijf jaar "
                      "duidelijk op achteruit in werk, participatie of bijstand.") if nl else
                     ("Nobody's loss hides in an average: in no scenario that is not worse on average is any group "
                      "(by sex, origin, age or education) clearly worse off after five years in work, participation "
                      "or bijstand."))
    if open_:
        scen_open = list(dict.fromkeys(s for s, *_ in open_))
        paras.append((f"Scenario's die gemiddeld slechter uitpakken, treffen ook groepen: "
                      f"{', '.join(chr(39) + E(name(s)) + chr(39) for s in scen_open)} "
                      f"({len(open_)} combinaties van groep en uitkomst; zie grafiek d).") if nl else
                     (f"Scenarios that are worse on average hit groups too: "
                      f"{', '.join(chr(39) + E(name(s)) + chr(39) for s in scen_open)} "
                      f"({len(open_)} combinations of group and outcome; see chart d)."))
    # costs
    if pos:
        c = first_row(inp.costs_summary, scenario=pos, item="public_total", years=10)
        e = first_row(inp.costs_summary, scenario=pos, item="earnings", years=10)
        if c is not None and e is not None and not pd.isna(c["diff_median"]):
            paras.append(
                (f"Kosten: over de eerste tien jaar kost '{E(name(pos))}' de overheid per persoon "
                 f"{eur(c['diff_median'], L, True)} ten opzichte van de basis (90%-interval "
                 f"{eur(c['diff_p05'], L, True)} tot {eur(c['diff_p95'], L, True)}), terwijl het netto "
                 f"inkomen uit werk per persoon {eur(e['diff_median'], L, True)} verandert "
                 f"({eur(e['diff_p05'], L, True)} tot {eur(e['diff_p95'], L, True)}). Een negatief bedrag "
                 "bij de kosten is een besparing.") if nl else
                (f"Costs: over the first ten years, '{E(name(pos))}' changes public costs per person by "
                 f"{eur(c['diff_median'], L, True)} against the baseline (90% interval "
                 f"{eur(c['diff_p05'], L, True)} to {eur(c['diff_p95'], L, True)}), while the cohort's net "
                 f"earnings per person change by {eur(e['diff_median'], L, True)} "
                 f"({eur(e['diff_p05'], L, True)} to {eur(e['diff_p95'], L, True)}). A negative cost is a "
                 "saving."))
    # assumptions
    if pos:
        ch = lever_changes(inp.configs, pos, base)
        n_ass = sum(c["assumption"] for c in ch)
        if ch and levers_used(m):
            both = ensemble_used(m)
            paras.append(
                (f"Waar deze effecten op rusten: '{E(name(pos))}' verandert {len(ch)} instellingen van het "
                 f"model; voor {n_ass} daarvan is de sterkte van het effect een aanname, niet gemeten in "
                 "onderzoek (zie 'Scenario's en aannames'). Hoe sterk elke beleidsknop werkt is daarom per "
                 "herhaling getrokken uit de bandbreedte die het bewijs toelaat, dus de intervallen tonen het "
                 "toeval in de simulatie, " + ("de onzekerheid in de aan CBS-cijfers geschatte parameters " if both
                                               else "") +
                 "en die onzekerheid over de sterkte van de knoppen (zie 'Waar de onzekerheid vandaan komt'); "
                 "niet de overige aannames van het model.") if nl else
                (f"What drives these effects: '{E(name(pos))}' changes {len(ch)} settings of the model; "
                 f"for {n_ass} of them the strength of the effect is an assumption, not measured in research "
                 "(see 'Scenarios and assumptions'). How strongly each lever works is therefore drawn, replication "
                 "by replication, from the range the evidence allows, so the intervals show chance in the "
                 "simulation, " + ("the uncertainty in the parameters fitted to CBS data " if both else "") +
                 "and that uncertainty about lever strength (see 'Where the uncertainty comes from'); not the "
                 "model's other assumptions."))
        elif ch and ensemble_used(m):
            paras.append(
                (f"Waar deze effecten op rusten: '{E(name(pos))}' verandert {len(ch)} instellingen van het "
                 f"model; voor {n_ass} daarvan is de sterkte van het effect een aanname, niet gemeten in "
                 "onderzoek (zie 'Scenario's en aannames'). De intervallen tonen het toeval in de simulatie en "
                 "de onzekerheid in de aan CBS-cijfers geschatte parameters (een ensemble van parametersets), "
                 "niet de onzekerheid over de aannames van de scenario's. Daarvoor is een "
                 "gevoeligheidsanalyse nodig.") if nl else
                (f"What drives these effects: '{E(name(pos))}' changes {len(ch)} settings of the model; "
                 f"for {n_ass} of them the strength of the effect is an assumption, not measured in research "
                 "(see 'Scenarios and assumptions'). The intervals show chance in the simulation and the "
                 "uncertainty in the parameters fitted to CBS data (an ensemble of parameter sets), not "
                 "uncertainty about the scenarios' assumptions. That needs a sensitivity analysis."))
        elif ch:
            paras.append(
                (f"Waar deze effecten op rusten: '{E(name(pos))}' verandert {len(ch)} instellingen van het "
                 f"model; voor {n_ass} daarvan is de sterkte van het effect een aanname, niet gemeten in "
                 "onderzoek (zie 'Scenario's en aannames'). De grootte van de effecten volgt dus vooral uit "
                 "die aannames; de intervallen tonen alleen het toeval in de simulatie, niet de onzekerheid "
                 "over de aannames. Voor die onzekerheid is een gevoeligheidsanalyse nodig.") if nl else
                (f"What drives these effects: '{E(name(pos))}' changes {len(ch)} settings of the model; "
                 f"for {n_ass} of them the strength of the effect is an assumption, not measured in research "
                 "(see 'Scenarios and assumptions'). The size of the effects therefore follows mainly from "
                 "those assumptions; the intervals show only chance in the simulation, not uncertainty about "
                 "the assumptions. That needs a sensitivity analysis."))
    return paras


# ---- the results, in the client's order: participation, feeling at home, then employment --------
#: the summary's result paragraphs in order (ids of their <p> elements)
RESULT_ORDER = ("r-participation", "r-belonging", "r-employment")


def _result(pid: str, text: str) -> str:
    return f'<p class="result" id="{pid}">{text}</p>'


def _effect(r: pd.Series, L: str, unit: str = "pp") -> str:
    """'+3.1 pp (90% interval +2.0 to +4.2)' in the language."""
    nl = L == "nl"
    size = points(r["diff_median"], L) if unit == "index" else pp(r["diff_median"], L)
    return (f"{size} ({'90%-interval' if nl else '90% interval'} "
            f"{interval(r['diff_p05'], r['diff_p95'], L, sign=True)})")


def _level(r: pd.Series, L: str, unit: str = "%") -> str:
    """'38.8% (90% interval 36.7 to 39.7%)'; an index without the % sign."""
    nl = L == "nl"
    if unit == "index":
        return (f"{i18n.number(r['median'], L)} ({'90%-interval' if nl else '90% interval'} "
                f"{interval(r['p05'], r['p95'], L)})")
    return (f"{pct(r['median'], L)} ({'90%-interval' if nl else '90% interval'} "
            f"{interval(r['p05'], r['p95'], L, unit='%')})")


def _tied(r) -> bool:
    return r is not None and r.get("share_tied") == 100


def result_paragraphs(inp: ReportInput) -> list[str]:
    """The summary's results: participation and its parts, feeling at home, employment (the
    best-measured part), then the other outcomes of the full position and the single demands."""
    L, S, base, pos = inp.lang, inp.summary, inp.baseline, inp.position
    nl = L == "nl"
    name = lambda s: i18n.scenario_name(s, L)  # noqa: E731
    row = lambda s, o, y: first_row(S, scenario=s, outcome=o, group="all", years=y)  # noqa: E731
    has_pos = pos is not None and pos != base and row(pos, "participating", 5) is not None
    paras = []

    # 1. participation and its parts
    b3, b5 = row(base, "participating", 3), row(base, "participating", 5)
    if b3 is not None and b5 is not None:
        parts = [row(base, p, 5) for p in PARTS]
        if nl:
            txt = (f"<b>Participatie</b> (betaald werk, onderwijs of andere participatie zoals "
                   f"vrijwilligerswerk; de eerste pijler van het standpunt): onder het huidige beleid doet "
                   f"na drie jaar {_level(b3, L)} van de 18-64-jarigen mee en na vijf jaar {_level(b5, L)}.")
            if all(x is not None for x in parts):
                txt += (f" Na vijf jaar is dat {pct(parts[0]['median'], L)} met betaald werk, "
                        f"{pct(parts[1]['median'], L)} in onderwijs zonder betaald werk en "
                        f"{pct(parts[2]['median'], L)} alleen in andere participatie (medianen over "
                        "herhalingen; grafiek a1 stapelt de drie delen).")
        else:
            txt = (f"<b>Participation</b> (paid work, education or other participation such as "
                   f"volunteering; the first pillar of the client's position): under today's policy "
                   f"{_level(b3, L)} of 18-64 year olds take part three years after their permit, and "
                   f"{_level(b5, L)} after five years.")
            if all(x is not None for x in parts):
                txt += (f" After five years that is {pct(parts[0]['median'], L)} in paid work, "
                        f"{pct(parts[1]['median'], L)} in education without paid work and "
                        f"{pct(parts[2]['median'], L)} in other participation only (medians over "
                        "replications; chart a1 stacks the three parts).")
        if has_pos:
            p5 = row(pos, "participating", 5)
            if p5 is not None and not pd.isna(p5["diff_median"]):
                eff = [(p, row(pos, p, 5)) for p in PARTS]
                eff = [(p, r) for p, r in eff if r is not None and not pd.isna(r["diff_median"])]
                split = "; ".join(f"{E(i18n.part_label(p, L).lower())} {pp(r['diff_median'], L)}" for p, r in eff)
                if nl:
                    txt += (f" Onder '{E(name(pos))}' doet na vijf jaar {pct(p5['median'], L)} mee: "
                            f"{_effect(p5, L)} ten opzichte van de basis; het scenario deed het beter in "
                            f"{pct(p5['share_better'], L, 0)} van de herhalingen ({verdict(p5, L)})."
                            + (f" Naar deel: {split}." if split else ""))
                else:
                    txt += (f" Under '{E(name(pos))}', {pct(p5['median'], L)} take part after five years: "
                            f"{_effect(p5, L)} against the baseline; the scenario did better in "
                            f"{pct(p5['share_better'], L, 0)} of replications ({verdict(p5, L)})."
                            + (f" By part: {split}." if split else ""))
                spread = spread_sentence(p5, inp, pos)
                if spread:
                    txt += " " + spread[:1].upper() + spread[1:] + "."
        txt += (" Andere participatie rust op een aanname (er is geen gepubliceerd cijfer); zie 'Wat er "
                "gemeten wordt'." if nl else
                " Other participation rests on an assumption (there is no published figure); see 'What is "
                "measured'.")
        paras.append(_result("r-participation", txt))

    # 2. feeling at home
    h5 = row(base, "belonging", 5)
    if h5 is not None:
        if nl:
            txt = (f"<b>Zich thuis voelen</b> (een index van 0 tot 100 die op aannames rust en niet aan "
                   f"enquêtecijfers is gekalibreerd: lees verschillen tussen scenario's, niet het niveau): "
                   f"onder het huidige beleid na vijf jaar {_level(h5, L, 'index')}.")
        else:
            txt = (f"<b>Feeling at home</b> (an index from 0 to 100 that rests on assumptions and is not "
                   f"calibrated to survey figures: read differences between scenarios, not the level): "
                   f"{_level(h5, L, 'index')} after five years under today's policy.")
        q5 = row(pos, "belonging", 5) if has_pos else None
        if q5 is not None and not pd.isna(q5["diff_median"]):
            txt += (f" Onder '{E(name(pos))}': {_effect(q5, L, 'index')} ({verdict(q5, L)})." if nl else
                    f" Under '{E(name(pos))}': {_effect(q5, L, 'index')} ({verdict(q5, L)}).")
        paras.append(_result("r-belonging", txt))

    # 3. employment, the best-measured part
    e3, e5 = row(base, "employed", 3), row(base, "employed", 5)
    if e3 is not None and e5 is not None:
        if nl:
            txt = (f"<b>Betaald werk</b> is het best gemeten deel: CBS telt het voor elk vergunningcohort en "
                   f"het model is erop gekalibreerd. Onder het huidige beleid heeft na drie jaar "
                   f"{_level(e3, L)} van de 18-64-jarigen betaald werk en na vijf jaar {_level(e5, L)}.")
        else:
            txt = (f"<b>Paid work</b> is the best-measured part: CBS counts it for every permit cohort, and "
                   f"the model is calibrated to it. Under today's policy, {_level(e3, L)} of 18-64 year olds "
                   f"have paid work three years after their permit and {_level(e5, L)} after five years.")
        p5 = row(pos, "employed", 5) if has_pos else None
        if p5 is not None and not pd.isna(p5["diff_median"]):
            txt += ((f" Onder '{E(name(pos))}' is dat na vijf jaar {pct(p5['median'], L)}: {_effect(p5, L)} "
                     f"ten opzichte van de basis; het scenario deed het beter in "
                     f"{pct(p5['share_better'], L, 0)} van de herhalingen ({verdict(p5, L)}).") if nl else
                    (f" Under '{E(name(pos))}', the share after five years is {pct(p5['median'], L)}: "
                     f"{_effect(p5, L)} against the baseline; the scenario did better in "
                     f"{pct(p5['share_better'], L, 0)} of replications ({verdict(p5, L)})."))
            spread = spread_sentence(p5, inp, pos)
            if spread:
                txt += " " + spread[:1].upper() + spread[1:] + "."
        paras.append(_result("r-employment", txt))

    # other outcomes of the full position
    if has_pos:
        extra = []
        for o, yrs in (("benefit", 5), ("exam_passed", 5), ("in_reception", 1)):
            r = row(pos, o, yrs)
            if r is None or pd.isna(r["diff_median"]):
                continue
            when = (f"na {yrs} jaar" if nl else f"after {yrs} year{'s' if yrs > 1 else ''}")
            extra.append(f"{E(i18n.outcome_short(o, L).lower())} {when} {pp(r['diff_median'], L)} "
                         f"({interval(r['diff_p05'], r['diff_p95'], L, sign=True)})")
        if extra:
            paras.append(("Andere uitkomsten van dit scenario, als verschil met de basis (90%-interval): "
                          if nl else "Other outcomes of this scenario, as differences from the baseline "
                          "(90% interval): ") + "; ".join(extra) + ".")

    # single demands, ranked by their effect on participation after five years
    singles = [s for s in inp.scenarios if s not in (base, pos)]
    rows = [(s, row(s, "participating", 5), row(s, "employed", 5)) for s in singles]
    rows = [(s, r, e) for s, r, e in rows if r is not None and not pd.isna(r["diff_median"])]
    if rows:
        rows.sort(key=lambda x: -x[1]["diff_median"])
        gain = [x for x in rows if x[1]["diff_p05"] > 0]
        loss = [x for x in rows if x[1]["diff_p95"] < 0]
        flat = [x for x in rows if not (x[1]["diff_p05"] > 0 or x[1]["diff_p95"] < 0)]

        def listing(items):
            out = []
            for s, r, e in items:
                work = ""
                if e is not None and not pd.isna(e["diff_median"]):
                    work = f"; {'werk' if nl else 'work'} {pp(e['diff_median'], L)}"
                out.append(f"'{E(name(s))}' ({pp(r['diff_median'], L)}, "
                           f"{interval(r['diff_p05'], r['diff_p95'], L, sign=True)}{work})")
            return ", ".join(out)

        txt = []
        if gain:
            txt.append((f"Van de afzonderlijke scenario's verhogen deze de participatie na vijf jaar duidelijk "
                        f"(het hele 90%-interval boven nul): {listing(gain)}.") if nl else
                       (f"Of the single scenarios, these clearly raise participation after five years (the "
                        f"whole 90% interval above zero): {listing(gain)}."))
        if loss:
            txt.append((f"Duidelijk lager: {listing(loss)}.") if nl else (f"Clearly lower: {listing(loss)}."))
        if flat:
            txt.append((f"Geen effect op participatie dat zich van toeval onderscheidt: "
                        f"{', '.join(chr(39) + E(name(s)) + chr(39) for s, *_ in flat)}; zij kunnen wel op "
                        "andere uitkomsten werken (zie 'Waar elke eis op werkt').") if nl else
                       (f"No effect on participation that stands out from chance: "
                        f"{', '.join(chr(39) + E(name(s)) + chr(39) for s, *_ in flat)}; they may act on "
                        "other outcomes (see 'Where each demand acts')."))
        paras.append(" ".join(txt))
        if ensemble_used(inp.meta) or levers_used(inp.meta):
            by_source: dict[str, list[str]] = {}
            for s, r, _ in rows:
                if r.get("share_tied") == 100:
                    continue
                known = {k: r.get(k) for k in ("share_lever", "share_parameter", "share_chance")
                         if r.get(k) is not None and not pd.isna(r.get(k))}
                if len(known) > 1:
                    by_source.setdefault(max(known, key=known.get), []).append(f"'{E(name(s))}'")
            words = {"share_lever": "hoe sterk de beleidsknoppen werken" if nl else "how strongly the levers work",
                     "share_parameter": "de geschatte parameters" if nl else "the fitted parameters",
                     "share_chance": "toeval" if nl else "chance"}
            parts = [f"{words[k]} {'bij' if nl else 'for'} {i18n.join_words(v, L)}" for k, v in by_source.items()]
            if parts:
                paras.append(("De onzekerheid in het effect op participatie na vijf jaar komt vooral door "
                              if nl else "The uncertainty in each effect on participation after five years "
                              "comes mostly from ") + "; ".join(parts)
                             + (" (details en aandelen: 'Waar de onzekerheid vandaan komt')." if nl else
                                " (details and shares: 'Where the uncertainty comes from')."))
    return paras



def group_losses(S: pd.DataFrame, base: str, years: int = 5,
                 outcomes=("employed", "participating", "benefit")) -> tuple[list, list]:
    """Where a group is clearly worse off (its whole 90% interval on the losing side).

    Returns:
        (hidden, open): lists of (scenario, group, outcome, median difference); ``hidden`` where the
        scenario is not clearly worse for everyone on that outcome (the average hides the loss),
        ``open`` where it is.
    """
    s = S[(S["years"] == years) & (S["scenario"] != base) & S["outcome"].isin(outcomes)]

    def losing(df):
        return (((df["direction"] == "maximise") & (df["diff_p95"] < 0))
                | ((df["direction"] == "minimise") & (df["diff_p05"] > 0)))

    everyone = s[s["group"] == "all"].set_index(["scenario", "outcome"])
    avg_loss = losing(everyone)
    groups = s[(s["group"] != "all") & ~s["group"].isin(["age=0-17", "age=65-200"])]
    bad = groups[losing(groups)]
    bad = bad.assign(size=bad["diff_median"].abs()).sort_values("size", ascending=False)
    hidden, open_ = [], []
    for r in bad.itertuples():
        item = (r.scenario, r.group, r.outcome, r.diff_median)
        (open_ if bool(avg_loss.get((r.scenario, r.outcome), False)) else hidden).append(item)
    return hidden, open_
