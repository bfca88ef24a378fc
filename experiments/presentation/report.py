"""The comparison's report: one self-contained HTML file, in English or Dutch.

Charts are embedded as base64 PNG, styles are inline, there are no scripts and no external
addresses: the file opens offline in any browser and can be mailed as it is. Every number in it is
read from the comparison's tables (``summary.csv``, ``costs_summary.csv``, ``times_summary.csv``),
which are computed from the run folders of the same comparison; the text around the numbers is
generated from them, so it cannot drift from the tables.

The plain-language summary states each effect's size (median of the paired difference from the
baseline) and uncertainty (its 90% interval over replications, and how often the scenario did
better), the levers that drive it with their sources (and which of them are assumptions), and the
provenance (code version, packages, seeds, settings).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.presentation import i18n
from experiments.presentation.charts import style
from experiments.runs.summary import PARTS

E = html.escape


@dataclass
class ReportInput:
    lang: str
    summary: pd.DataFrame
    costs_summary: pd.DataFrame
    times_summary: pd.DataFrame
    charts: dict
    stories: list
    scenarios: list
    baseline: str
    position: str | None
    configs: dict
    meta: dict
    chart_data: Any
    folder: Path
    warnings: list = None  #: each {"en": ..., "nl": ...}


# ---- numbers -----------------------------------------------------------------------------------
def _row(df: pd.DataFrame, **eq) -> pd.Series | None:
    sel = df
    for k, v in eq.items():
        sel = sel[sel[k] == v]
    return sel.iloc[0] if len(sel) else None


def pct(x: float, lang: str, d: int = 1) -> str:
    return f"{i18n.number(x, lang, d)}%"


def pp(x: float, lang: str, d: int = 1) -> str:
    return f"{i18n.number(x, lang, d, sign=True)} {'procentpunt' if lang == 'nl' else 'pp'}"


def pp_short(x: float, lang: str, d: int = 1) -> str:
    return f"{i18n.number(x, lang, d, sign=True)} {'%-punt' if lang == 'nl' else 'pp'}"


def interval(lo: float, hi: float, lang: str, d: int = 1, sign: bool = False, unit: str = "") -> str:
    a, b = i18n.number(lo, lang, d, sign), i18n.number(hi, lang, d, sign)
    return f"{a} {'tot' if lang == 'nl' else 'to'} {b}{unit}"


def eur(x: float, lang: str, sign: bool = False) -> str:
    """EUR 1,234 / +EUR 1,234 / -EUR 1,234 (the sign before the currency)."""
    if x != x:
        return "-"
    head = ("+" if x >= 0 else "\u2212") if sign else ("\u2212" if x < 0 else "")
    return f"{head}\u20ac{i18n.number(abs(x), lang, 0)}"


def verdict(r: pd.Series, lang: str) -> str:
    """Words for how sure an effect is: the 90% interval and the share of wins."""
    nl = lang == "nl"
    if r is None or pd.isna(r["diff_median"]):
        return ""
    lo, hi = r["diff_p05"], r["diff_p95"]
    if r["share_tied"] == 100:
        return "geen verschil in enige herhaling" if nl else "no difference in any replication"
    if lo > 0 or hi < 0:
        good = (r["direction"] == "maximise") == (lo > 0)
        if r["direction"] == "none":
            return "duidelijk verschil" if nl else "a clear difference"
        return ("duidelijk beter" if good else "duidelijk slechter") if nl else (
            "clearly better" if good else "clearly worse")
    return "niet te onderscheiden van toeval" if nl else "not distinguishable from chance"


def ensemble_used(meta: dict) -> bool:
    return bool((meta.get("ensemble") or {}).get("used"))


def levers_used(meta: dict) -> bool:
    return bool((meta.get("levers") or {}).get("used"))


def _whole_percents(shares: dict[str, float]) -> dict[str, int]:
    """Shares (0-1) as whole percentages that add up to 100 (largest remainders)."""
    raw = {k: 100.0 * v for k, v in shares.items()}
    out = {k: int(v) for k, v in raw.items()}
    left = 100 - sum(out.values())
    for k in sorted(raw, key=lambda k: -(raw[k] - int(raw[k])))[:max(left, 0)]:
        out[k] += 1
    return out


def scenario_levers(inp: "ReportInput", scenario: str | None) -> list[str]:
    """The policy levers a scenario sets differently from the baseline whose strength is drawn
    (all it sets, where the strengths are not declared)."""
    if not scenario:
        return []
    names = [c["key"].split(".", 1)[1] for c in lever_changes(inp.configs, scenario, inp.baseline)
             if c["key"].startswith("policy.")]
    try:
        from model.strengths import levers_of, strength_params

        drawn = {x for _, p in strength_params() for x in levers_of(p)}
        if drawn and "all" not in drawn:
            names = [n for n in names if n in drawn]
        elif drawn:
            names = [n for n in names if n in drawn] or names
    except ImportError:
        pass
    return names


def lever_source(inp: "ReportInput", scenario: str | None) -> str:
    """'how strongly job coaching and matching jobs to education work' (at most three levers named;
    more, or none known: 'how strongly the policy levers work')."""
    L = inp.lang
    names = scenario_levers(inp, scenario)
    if not names or len(names) > 3:
        return i18n.t("src_lever", L)
    words = [i18n.lever_words(n, L) for n in names]
    plural = len(words) > 1
    verb = ("werken" if plural else "werkt") if L == "nl" else ("work" if plural else "works")
    return i18n.t("src_lever_named", L).format(levers=i18n.join_words(words, L), verb=verb)


def spread_sentence(r: pd.Series | None, inp: "ReportInput", scenario: str | None = None) -> str:
    """Where an effect's spread comes from, in plain words: lever strength, the calibrated
    parameters and chance (the summary's ``share_lever``, ``share_parameter``, ``share_chance``);
    "" for the baseline or without a difference."""
    L = inp.lang
    if r is None or pd.isna(r.get("diff_median")) or r.get("share_tied") == 100:
        return ""
    if not ensemble_used(inp.meta) and not levers_used(inp.meta):
        return i18n.t("spread_none", L)
    scenario = scenario if scenario is not None else r.get("scenario")
    known = {k: float(r.get(k)) for k in ("share_parameter", "share_lever", "share_chance")
             if r.get(k) is not None and not pd.isna(r.get(k))}
    if not known:
        return i18n.t("spread_unidentified", L)
    if set(known) == {"share_chance"}:
        return i18n.t("spread_confounded", L).format(c=int(round(100 * known["share_chance"])))
    # short names in the list of shares; the lead names the levers when they are the main source
    words = {"share_parameter": i18n.t("src_parameter", L), "share_lever": i18n.t("src_lever_short", L),
             "share_chance": i18n.t("src_chance", L)}
    lead = dict(words, share_lever=lever_source(inp, scenario),
                share_parameter="de geschatte parameters" if L == "nl" else "the fitted parameters")
    whole = _whole_percents(known)
    order = list(known)
    nl = L == "nl"
    head = (f"ongeveer {whole[order[0]]}% van de spreiding komt door {words[order[0]]}" if nl else
            f"about {whole[order[0]]}% of the spread comes from {words[order[0]]}")
    rest = [f"{whole[k]}% {'door' if nl else 'from'} {words[k]}" for k in order[1:]]
    text = i18n.join_words([head] + rest, L)
    top = max(known, key=known.get)
    if known[top] >= 0.5:
        text = i18n.t("spread_most", L).format(source=lead[top]) + ": " + text
    return text


# ---- assumptions --------------------------------------------------------------------------------
def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def lever_changes(configs: dict, scenario: str, baseline: str) -> list[dict]:
    """What a scenario sets differently from the baseline, with each parameter's source."""
    from model.config import all_params

    if scenario not in configs or baseline not in configs:
        return []
    index = {f"{g}.{p.name}": p for g, p in all_params()}
    a, b = _flat(configs[baseline]), _flat(configs[scenario])
    out = []
    for k in sorted(set(a) | set(b)):
        if k.split(".")[0] in ("seed", "scenario", "scenario_info"):
            continue
        if a.get(k) != b.get(k):
            p = index.get(k)
            out.append({"key": k, "from": a.get(k), "to": b.get(k),
                        "doc": p.doc if p else "", "unit": p.unit if p else "",
                        "source": p.source if p else "",
                        "assumption": bool(p and "assumption" in p.source.lower())})
    return out


def _fmt_value(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


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
            f"{m['permit_year']} een asielvergunning kregen, {n_reps} keer (seeds {E(_seeds(m['seeds']))}), "
            f"onder {len(inp.scenarios)} scenario's: het huidige beleid ('{E(name(base))}') en "
            f"{len(others)} alternatieven. Elk scenario kreeg dezelfde toevalstrekkingen als de basis: een "
            "verschil tussen twee scenario's komt dus door het beleid, niet door toeval in wie er in het "
            "cohort zit of wat die mensen overkomt.")
    else:
        paras.append(
            f"We simulated a cohort of {i18n.number(m['population_size'], L, 0)} people granted an asylum "
            f"permit in {m['permit_year']}, {n_reps} times (seeds {E(_seeds(m['seeds']))}), under "
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
        c = _row(inp.costs_summary, scenario=pos, item="public_total", years=10)
        e = _row(inp.costs_summary, scenario=pos, item="earnings", years=10)
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


def points(x: float, lang: str, d: int = 1) -> str:
    """A difference of an index (0-100): +1.2 points / +1,2 punten."""
    return f"{i18n.number(x, lang, d, sign=True)} {'punten' if lang == 'nl' else 'points'}"


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
    row = lambda s, o, y: _row(S, scenario=s, outcome=o, group="all", years=y)  # noqa: E731
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


def _seeds(seeds) -> str:
    from experiments.runs.aggregate import seeds_text

    return seeds_text(seeds)


# ---- what is measured ---------------------------------------------------------------------------
#: participation and its parts, then feeling at home: what each is in plain words, where it is
#: measured, how the model's measure maps onto it, and how sure it is (``assumption``: no
#: published figure is used)
MEASURES = (
    {"outcome": "participating", "assumption": False,
     "what": {"en": "Taking part in Dutch society through paid work, education or other participation such "
                    "as volunteering: the first of the client's three pillars (participation, "
                    "communication, emancipation).",
              "nl": "Meedoen in de Nederlandse samenleving via betaald werk, onderwijs of andere participatie "
                    "zoals vrijwilligerswerk: de eerste van de drie pijlers van het standpunt (participatie, "
                    "communicatie, emancipatie)."},
     "where": {"en": "No single published figure: its parts are measured separately (below).",
               "nl": "Geen enkelvoudig gepubliceerd cijfer: de delen worden apart gemeten (hieronder)."},
     "model": {"en": "<code>participating</code>: 18-64 year olds living in the Netherlands who, at the "
                     "measurement date, are in paid work, in education or in other participation; someone in "
                     "two of them counts once. Chart a1 splits it into three parts that exclude each other.",
               "nl": "<code>participating</code>: 18-64-jarigen in Nederland die op het meetmoment betaald "
                     "werk hebben, onderwijs volgen of anders participeren; wie twee daarvan doet, telt één "
                     "keer. Grafiek a1 deelt het op in drie delen die elkaar uitsluiten."},
     "sure": {"en": "As sure as its parts: paid work is calibrated, education set by hand, other "
                    "participation assumed.",
              "nl": "Zo zeker als de delen: werk is gekalibreerd, onderwijs met de hand afgesteld, andere "
                    "participatie aangenomen."}},
    {"outcome": "employed", "assumption": False,
     "what": {"en": "Paid work: employee or self-employed at the measurement date, any number of hours, "
                    "ages 18-64.",
              "nl": "Betaald werk: werknemer of zelfstandige op het meetmoment, elk aantal uren, 18-64 jaar."},
     "where": {"en": "CBS, 'Asiel en integratie' cohort tables (from registers), by months since the permit.",
               "nl": "CBS, cohortcijfers 'Asiel en integratie' (uit registers), naar maanden sinds de "
                     "vergunning."},
     "model": {"en": "<code>employed</code>, the same definition, counted from each person's own permit "
                     "month. In the stacked chart: the part 'paid work' (whoever also studies counts here).",
               "nl": "<code>employed</code>, dezelfde definitie, geteld vanaf de eigen vergunningsmaand. In de "
                     "gestapelde grafiek: het deel 'betaald werk' (wie ook studeert, telt hier)."},
     "sure": {"en": "Calibrated: the model's parameters are fitted to CBS's employment of the 2014 permit "
                    "cohort (model/data/calibration_targets.csv).",
              "nl": "Gekalibreerd: de parameters van het model zijn geschat op CBS' werkcijfers van het "
                    "vergunningcohort 2014 (model/data/calibration_targets.csv)."}},
    {"outcome": "in_education", "assumption": False,
     "what": {"en": "Education: enrolled in regular education (mostly MBO, also HBO or university); the "
                    "civic integration course does not count.",
              "nl": "Onderwijs: ingeschreven in regulier onderwijs (vooral mbo, ook hbo of universiteit); de "
                    "inburgeringscursus telt niet."},
     "where": {"en": "CBS (enrolment registers): five years after the permit 60-87% of 18-23 year olds and "
                     "12-14% of those over 23 were in education (CBS 2024).",
               "nl": "CBS (inschrijvingsregisters): vijf jaar na de vergunning volgde 60-87% van de "
                     "18-23-jarigen en 12-14% van de ouderen onderwijs (CBS 2024)."},
     "model": {"en": "<code>in_education</code>: enrolled at the measurement date. The part 'education without "
                     "work' in chart a1 is <code>education_only</code>: students without paid work (a working "
                     "student counts under paid work).",
               "nl": "<code>in_education</code>: ingeschreven op het meetmoment. Het deel 'onderwijs zonder "
                     "werk' in grafiek a1 is <code>education_only</code>: studenten zonder betaald werk (een "
                     "werkende student telt bij betaald werk)."},
     "sure": {"en": "Set by hand to those CBS figures, not fitted, and not checked automatically.",
              "nl": "Met de hand afgesteld op die CBS-cijfers, niet geschat en niet automatisch gecontroleerd."}},
    {"outcome": "volunteering", "assumption": True,
     "what": {"en": "Other participation: volunteering, a participation job or similar unpaid activity.",
              "nl": "Andere participatie: vrijwilligerswerk, een participatiebaan of vergelijkbare onbetaalde "
                    "activiteit."},
     "where": {"en": "Surveys only (for example SCP's surveys of Syrian and Eritrean status holders ask about "
                     "volunteer work); CBS's register tables do not count it.",
               "nl": "Alleen enquêtes (bijvoorbeeld de SCP-onderzoeken onder Syrische en Eritrese "
                     "statushouders vragen naar vrijwilligerswerk); de registercijfers van CBS tellen het niet."},
     "model": {"en": "<code>volunteering</code>: housed 18-64 year olds who neither work nor study take it up "
                     "at a monthly rate that rises with municipal support and feeling at home, and stop as "
                     "soon as they start work or education; the part in chart a1 is <code>other_only</code>, "
                     "those in other participation and neither in work nor in education.",
               "nl": "<code>volunteering</code>: gehuisveste 18-64-jarigen zonder werk of opleiding beginnen "
                     "eraan met een maandkans die stijgt met gemeentelijke begeleiding en zich thuis voelen, "
                     "en stoppen zodra ze gaan werken of leren; het deel in grafiek a1 is <code>other_only</code>: wie "
                     "anders participeert en geen werk heeft en geen onderwijs volgt."},
     "sure": {"en": "No published figure is used: take-up and stop rates are assumptions "
                    "(params.belonging.volunteer_start, volunteer_stop).",
              "nl": "Er wordt geen gepubliceerd cijfer gebruikt: de kansen om te beginnen en te stoppen zijn "
                    "aannames (params.belonging.volunteer_start, volunteer_stop)."}},
    {"outcome": "belonging", "assumption": True,
     "what": {"en": "Feeling at home in the Netherlands.",
              "nl": "Zich thuis voelen in Nederland."},
     "where": {"en": "Surveys (for example SCP's surveys of Syrian and Eritrean status holders ask whether "
                     "people feel at home in the Netherlands); no register counts it.",
               "nl": "Enquêtes (bijvoorbeeld de SCP-onderzoeken onder Syrische en Eritrese statushouders "
                     "vragen of mensen zich thuis voelen in Nederland); geen register telt het."},
     "model": {"en": "<code>belonging</code>: an index from 0 to 100, the mean over 18-64 year olds; it moves "
                     "towards a level set by a home, work, Dutch, a secure permit and contact, against waiting, "
                     "discrimination and extra conditions.",
               "nl": "<code>belonging</code>: een index van 0 tot 100, het gemiddelde over 18-64-jarigen; hij "
                     "beweegt naar een niveau dat bepaald wordt door een woning, werk, Nederlands, een zekere "
                     "vergunning en contact, tegenover wachten, discriminatie en extra voorwaarden."},
     "sure": {"en": "Every weight is an assumption; the index is not calibrated to the surveys, so its level "
                    "has no published counterpart: read differences between scenarios.",
              "nl": "Elk gewicht is een aanname; de index is niet aan de enquêtes gekalibreerd, dus het niveau "
                    "heeft geen gepubliceerde tegenhanger: lees verschillen tussen scenario's."}},
)


def measures_html(inp: ReportInput) -> str:
    """What participation, its parts and feeling at home are, where they are measured, how the model
    maps onto them and how sure each is (a tag where a part rests on an assumption)."""
    L = inp.lang
    nl = L == "nl"
    rows = []
    for m in MEASURES:
        tag = (" <span class='ass'>" + ("aanname, geen gepubliceerd cijfer" if nl else
                                         "assumption, no published figure") + "</span>") if m["assumption"] else ""
        rows.append(f"<tr><th class='sc'>{E(i18n.outcome_short(m['outcome'], L))}</th>"
                    f"<td>{E(m['what'][L])}</td><td>{E(m['where'][L])}</td><td>{m['model'][L]}</td>"
                    f"<td>{E(m['sure'][L])}{tag}</td></tr>")
    head = (("Uitkomst", "In gewone woorden", "Waar het gemeten wordt", "In het model", "Hoe zeker") if nl else
            ("Outcome", "In plain words", "Where it is measured", "In the model", "How sure"))
    return ("<table class='t scen measures'><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


# ---- tables -------------------------------------------------------------------------------------
def _swatch(s: str, scenarios) -> str:
    st = style(s, scenarios)
    return f'<span class="sw" style="background:{st.color}"></span>'


def _effect_cell(r: pd.Series | None, s: str, inp: ReportInput, wins: bool = True) -> str:
    """A table cell: the level (baseline) or the paired difference with its 90% interval."""
    L = inp.lang
    nl = L == "nl"
    if r is None:
        return "<td>-</td>"
    if s == inp.baseline:
        unit = "" if r["unit"] == "index" else "%"
        lvl = i18n.number(r["median"], L) + unit
        return f"<td><b>{lvl}</b><br><small>{interval(r['p05'], r['p95'], L, unit=unit)}</small></td>"
    if r["share_tied"] == 100:
        return (f"<td><b>0</b><br><small>{'gelijk in elke herhaling' if nl else 'identical in every replication'}"
                "</small></td>")
    cls = {"clearly better": "good", "duidelijk beter": "good", "clearly worse": "bad",
           "duidelijk slechter": "bad"}.get(verdict(r, L), "")
    win = (f"<br>{'beter in' if nl else 'better in'} {pct(r['share_better'], L, 0)}"
           if wins and not pd.isna(r["share_better"]) else "")
    size = (i18n.number(r["diff_median"], L, 1, sign=True) if r["unit"] == "index"
            else pp_short(r["diff_median"], L))
    return (f'<td class="{cls}"><b>{size}</b><br><small>'
            f'{interval(r["diff_p05"], r["diff_p95"], L, sign=True)}{win}</small></td>')


def _scenario_cell(s: str, inp: ReportInput) -> str:
    return f"<th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, inp.lang))}</th>"


def effects_table(inp: ReportInput) -> str:
    """Participation and employment after 1, 3, 5 and 10 years (every year is in chart b2 and in
    summary.csv), then the other headline outcomes after 5 years."""
    from experiments.runs.summary import TABLE_YEARS

    L, S = inp.lang, inp.summary
    nl = L == "nl"
    years = [y for y in TABLE_YEARS if y in set(S["years"])]
    groups = [("participating", years), ("employed", years)]
    top = "".join(f"<th colspan='{len(ys)}'>{E(i18n.outcome_short(o, L))}</th>" for o, ys in groups)
    sub = "".join(f"<th><small>{'na' if nl else 'after'} {y} {'jaar' if nl else ('year' if y == 1 else 'years')}"
                  "</small></th>" for _, ys in groups for y in ys)
    body = []
    for s in inp.scenarios:
        cells = [_effect_cell(_row(S, scenario=s, outcome=o, group="all", years=y), s, inp)
                 for o, ys in groups for y in ys]
        body.append("<tr>" + _scenario_cell(s, inp) + "".join(cells) + "</tr>")
    first = (f"<table class='t'><thead><tr><th rowspan='2'>Scenario</th>{top}</tr><tr>{sub}</tr></thead>"
             f"<tbody>{''.join(body)}</tbody></table>")
    others = [o for o in ("belonging", "benefit", "exam_passed", "residence_secure", "naturalised")
              if o in set(S["outcome"])]
    head = "".join(f"<th>{E(i18n.outcome_short(o, L))}<br><small>{'na 5 jaar' if nl else 'after 5 years'}"
                   "</small></th>" for o in others)
    body = []
    for s in inp.scenarios:
        cells = [_effect_cell(_row(S, scenario=s, outcome=o, group="all", years=5), s, inp, wins=False)
                 for o in others]
        body.append("<tr>" + _scenario_cell(s, inp) + "".join(cells) + "</tr>")
    second = (f"<table class='t'><thead><tr><th>Scenario</th>{head}</tr></thead><tbody>{''.join(body)}"
              "</tbody></table>")
    note = ("Eerste rij: het niveau onder de basis (mediaan, 90%-interval over herhalingen). Overige rijen: "
            "verschil met de basis op dezelfde seeds (mediaan, 90%-interval) en hoe vaak het scenario beter "
            "deed. Groen/rood: het hele interval aan de goede/slechte kant. Bijstand: lager is beter. "
            "Zich thuis voelen: een index van 0 tot 100 (verschillen in indexpunten). Elk jaar 1-10 staat in "
            "grafiek b2 en in summary.csv; waar de spreiding vandaan komt: 'Waar de onzekerheid vandaan komt'.") if nl else (
            "First row: the level under the baseline (median, 90% interval over replications). Other rows: "
            "difference from the baseline on the same seeds (median, 90% interval) and how often the scenario "
            "did better. Green/red: the whole interval on the good/bad side. Bijstand: lower is better. "
            "Feeling at home: an index from 0 to 100 (differences in index points). Every year 1-10 is in "
            "chart b2 and in summary.csv; where the spread comes from: 'Where the uncertainty comes from'.")
    return first + second + f"<p class='note'>{note}</p>"


# ---- where each demand acts -----------------------------------------------------------------------
def acting_outcomes(S: pd.DataFrame, scenario: str) -> list[tuple[str, int, pd.Series | None, pd.Series | None]]:
    """The outcomes on which ``scenario`` has a clear effect (the 90% interval of the paired
    difference excludes zero, and the median is at least 0.05 in size) in any year: (outcome, first
    such year, row after 5 years, row after 10 years), in the summary's outcome order; in education
    and other participation are left out where their exclusive parts are there."""
    s = S[(S["scenario"] == scenario) & (S["group"] == "all")]
    out = []
    names = list(dict.fromkeys(s["outcome"]))
    if all(p in names for p in PARTS):  # the exclusive parts say it; their overlapping wholes would repeat it
        names = [o for o in names if o not in ("in_education", "volunteering")]
    for o in names:
        g = s[s["outcome"] == o].sort_values("years")
        # clear: the 90% interval excludes zero, and the effect is at least 0.1 as the report rounds it
        clear = g[((g["diff_p05"] > 0) | (g["diff_p95"] < 0)) & (g["share_tied"] < 100)
                  & (g["diff_median"].abs() >= 0.05)]
        if not len(clear):
            continue
        at = {y: (g[g["years"] == y].iloc[0] if (g["years"] == y).any() else None) for y in (5, 10)}
        out.append((o, int(clear["years"].iloc[0]), at[5], at[10]))
    return out


def acting_html(inp: ReportInput) -> str:
    L, S = inp.lang, inp.summary
    nl = L == "nl"
    rows = []
    for s in inp.scenarios:
        if s == inp.baseline:
            continue
        items = []
        for o, first, r5, r10 in acting_outcomes(S, s):
            unit = "index" if (r5 is not None and r5["unit"] == "index") else "pp"
            parts = []
            for yrs, r in ((5, r5), (10, r10)):
                if r is None or pd.isna(r["diff_median"]):
                    continue
                if r["share_tied"] == 100:
                    parts.append(f"{'na' if nl else 'after'} {yrs} {'jaar' if nl else 'years'} "
                                 f"{'geen verschil' if nl else 'no difference'}")
                    continue
                size = points(r["diff_median"], L) if unit == "index" else pp(r["diff_median"], L)
                parts.append(f"{'na' if nl else 'after'} {yrs} {'jaar' if nl else 'years'} {size} "
                             f"<small>({interval(r['diff_p05'], r['diff_p95'], L, sign=True)})</small>")
            since = (f"duidelijk vanaf jaar {first}" if nl else f"clear from year {first}")
            items.append(f"<li><b>{E(i18n.outcome_short(o, L))}</b>: {'; '.join(parts)} <small>({since})</small></li>")
        cell = (f"<ul>{''.join(items)}</ul>" if items else
                ("<i>geen duidelijk effect op enige uitkomst in jaar 1-10</i>" if nl else
                 "<i>no clear effect on any outcome in years 1-10</i>"))
        rows.append(f"<tr>{_scenario_cell(s, inp)}<td>{cell}</td></tr>")
    intro = ("Elke uitkomst waarop een scenario in enig jaar 1-10 een duidelijk effect heeft (het 90%-interval van "
             "het gepaarde verschil sluit nul uit), met het effect na 5 en 10 jaar. Zo blijven effecten zichtbaar "
             "die niet via werk lopen, zoals die van D7 en D8 op vergunningen en naturalisatie. Grafiek b3 toont "
             "elke uitkomst.") if nl else (
             "Every outcome on which a scenario has a clear effect in any year 1-10 (the 90% interval of the paired "
             "difference excludes zero), with the effect after 5 and 10 years. Effects that do not run through "
             "work stay visible this way, such as those of D7 and D8 on permits and naturalisation. Chart b3 shows "
             "every outcome.")
    head = ("Scenario", "Duidelijke effecten (verschil met de basis, 90%-interval)" if nl else
            "Clear effects (difference from the baseline, 90% interval)")
    return (f"<p>{intro}</p>{_figure(inp, 'b3_all_outcomes')}<table class='t scen'><thead><tr><th>{head[0]}</th>"
            f"<th>{E(head[1])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


# ---- model and evidence -----------------------------------------------------------------------------
def evidence_html(inp: ReportInput) -> str:
    L = inp.lang
    nl = L == "nl"
    d = inp.chart_data
    ev = getattr(d, "evidence", None)
    if ev is None:
        note = (getattr(d, "evidence_note", None) or {}).get(L) or (
            "er is geen bestand met bewijs" if nl else "there is no evidence file")
        return f"<p class='warn'>{E(note[0].upper() + note[1:])}.</p>"
    VERDICT = i18n.VERDICT

    counts = ev[ev["verdict"] != "not run"]["verdict"].value_counts()
    n = int(counts.sum())
    intro = ("Voor elke eis D1-D11 en het volledige standpunt: het effect van het model op werk na 3 en 5 jaar "
             "(mediaan en 90%-interval van het gepaarde verschil), naast de bandbreedte die gepubliceerde "
             "evaluaties ondersteunen (<code>model/data/demand_evidence.csv</code>, met de onderbouwing en de "
             "bronnen per regel). ") if nl else (
             "For each demand D1-D11 and the full position: the model's effect on employment after 3 and 5 years "
             "(median and 90% interval of the paired difference), beside the range that published evaluations "
             "support (<code>model/data/demand_evidence.csv</code>, with the reasoning and the sources of each "
             "row). ")
    if n:
        parts = [f"{int(counts.get(k, 0))} {VERDICT[k][L]}" for k in ("within", "overlaps", "above", "below")
                 if counts.get(k, 0)]
        intro += (f"Van de {n} vergelijkingen: " if nl else f"Of the {n} comparisons: ") + ", ".join(parts) + "."
    rows = []
    for r in ev.itertuples(index=False):
        sc = r.scenario if isinstance(r.scenario, str) else None
        who = E(i18n.scenario_name(sc, L)) if sc else E(r.demand)
        if r.verdict == "not run":
            model = "<i>" + ("niet gedraaid" if nl else "not run") + "</i>"
        else:
            model = (f"<b>{pp_short(r.diff_median, L)}</b><br><small>"
                     f"{interval(r.diff_p05, r.diff_p95, L, sign=True)}</small>")
        cls = {"above": "bad", "below": "bad", "within": "good"}.get(r.verdict, "")
        evid = (f"{interval(r.low_pp, r.high_pp, L, sign=True)} <small>({'centraal' if nl else 'central'} "
                f"{i18n.number(r.central_pp, L, 1, sign=True)})</small>")
        rows.append(f"<tr><th class='sc'>{who}</th><td>{r.horizon_years}</td><td>{model}</td><td>{evid}</td>"
                    f"<td class='{cls}'>{E(VERDICT[r.verdict][L])}</td><td class='basis'><small>{E(str(r.basis))}"
                    f"<br><code>{E(str(r.evidence_ids))}</code></small></td></tr>")
    head = (("Eis", "Jaar", "Model (procentpunt)", "Bewijs (procentpunt)", "Oordeel", "Onderbouwing en bronnen")
            if nl else ("Demand", "Years", "Model (pp)", "Evidence (pp)", "Verdict", "Reasoning and sources"))
    note = ("'Binnen': de mediaan van het model ligt in de bandbreedte; 'boven'/'onder': het hele 90%-interval "
            "ligt erboven/eronder; 'deels overlappend': de mediaan ligt erbuiten maar het interval raakt de "
            "bandbreedte. De bandbreedtes gelden voor werk van 18-64-jarigen, in procentpunten.") if nl else (
            "'Within': the model's median lies in the range; 'above'/'below': its whole 90% interval lies above/"
            "below; 'partly overlapping': the median lies outside but the interval reaches the range. The ranges "
            "are for employment of 18-64 year olds, in percentage points.")
    return (f"<p>{intro}</p>{_figure(inp, 'g_evidence')}<table class='t scen evidence'><thead><tr>"
            + "".join(f"<th>{E(h)}</th>" for h in head) + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='note'>{note}</p>")


# ---- the whole and its parts ----------------------------------------------------------------------
def whole_html(inp: ReportInput) -> str:
    L = inp.lang
    nl = L == "nl"
    d = inp.chart_data
    f = getattr(d, "full_vs_sum", None)
    singles = list(getattr(d, "singles", []) or [])
    if f is None or not len(f):
        return "<p>" + ("Niet te berekenen: daarvoor zijn het volledige standpunt en minstens één losse eis "
                        "in de vergelijking nodig." if nl else
                        "Not available: it needs the full position and at least one single demand in the "
                        "comparison.") + "</p>"
    paras = []
    for o in dict.fromkeys(f["outcome"]):
        g = f[(f["outcome"] == o) & (f["years"] == 5)].set_index("series")
        if not {"full", "sum", "full_minus_sum"} <= set(g.index):
            continue
        a, b, c = g.loc["full"], g.loc["sum"], g.loc["full_minus_sum"]
        rng = lambda r: interval(r["p05"], r["p95"], L, sign=True)  # noqa: E731
        word = i18n.outcome_short(o, L).lower()
        if c["p95"] < 0:
            how = "minder dan de som" if nl else "less than the sum"
        elif c["p05"] > 0:
            how = "meer dan de som" if nl else "more than the sum"
        else:
            how = "niet te onderscheiden van de som" if nl else "not distinguishable from the sum"
        paras.append(
            (f"{word.capitalize()} na vijf jaar: alle eisen samen {pp(a['median'], L)} ({rng(a)}), de som van de "
             f"{len(singles)} losse effecten {pp(b['median'], L)} ({rng(b)}); het geheel min de som "
             f"{pp(c['median'], L)} ({rng(c)}): {how}.") if nl else
            (f"{word.capitalize()} after five years: all demands together {pp(a['median'], L)} ({rng(a)}), the sum "
             f"of the {len(singles)} single effects {pp(b['median'], L)} ({rng(b)}); the whole minus the sum "
             f"{pp(c['median'], L)} ({rng(c)}): {how}."))
    intro = ("Per seed: het effect van alle eisen samen, en de som van de effecten van de losse eisen op dezelfde "
             "seed (elk als verschil met de basis); intervallen over de seeds. Een geheel dat kleiner is dan de "
             "som wijst op overlap: maatregelen die op dezelfde mensen werken delen dezelfde ruimte.") if nl else (
             "Per seed: the effect of all demands together, and the sum of the single demands' effects on the same "
             "seed (each a difference from the baseline); intervals over the seeds. A whole smaller than the sum "
             "points to overlap: measures acting on the same people share the same headroom.")
    missing = ""
    if len(singles) < 11:
        missing = ("<p class='warn'>" + (f"Alleen {len(singles)} van de elf losse eisen zitten in deze vergelijking; "
                                          "de som laat de andere weg, dus het geheel hoort groter uit te vallen." if nl else
                                          f"Only {len(singles)} of the eleven single demands are in this comparison; "
                                          "the sum leaves the others out, so the whole should come out larger.") + "</p>")
    return (f"<p>{intro}</p>{missing}" + "".join(f"<p>{p}</p>" for p in paras) + _figure(inp, "h_full_vs_sum"))


# ---- where the uncertainty comes from --------------------------------------------------------------
def uncertainty_html(inp: ReportInput) -> str:
    L, S = inp.lang, inp.summary
    nl = L == "nl"
    m = inp.meta
    lev = m.get("levers") or {}
    ens = m.get("ensemble") or {}
    if nl:
        design = ("Elke herhaling gebruikt een eigen seed (toeval), een van de geschatte parametersets (de "
                  "parameters die aan CBS-cijfers zijn gekalibreerd) en een trekking van hoe sterk de "
                  "beleidsknoppen werken (binnen de bandbreedtes van het bewijs), in elk scenario dezelfde. De "
                  "opzet is genest: seeds binnen parametersets binnen trekkingen. De variantie van elk gepaard "
                  "verschil over de herhalingen is daarmee gesplitst in drie bronnen (geneste variantieanalyse; "
                  "<code>share_chance</code>, <code>share_parameter</code>, <code>share_lever</code> in "
                  "<code>summary.csv</code>).")
    else:
        design = ("Each replication uses its own seed (chance), one of the fitted parameter sets (the parameters "
                  "calibrated to CBS data) and one draw of how strongly the policy levers work (within the ranges "
                  "of the evidence), the same in every scenario. The design is nested: seeds within parameter "
                  "sets within lever draws. The variance of each paired difference over the replications is split "
                  "into the three sources accordingly (a nested analysis of variance; <code>share_chance</code>, "
                  "<code>share_parameter</code>, <code>share_lever</code> in <code>summary.csv</code>).")
    status = []
    if not lev.get("used"):
        status.append(("Sterktes van de beleidsknoppen: niet getrokken" if nl else "Lever strengths: not drawn")
                      + (f" ({E(lev.get('note'))})" if lev.get("note") else "")
                      + (", dus hun onzekerheid zit niet in de intervallen." if nl else
                         ", so their uncertainty is not in the intervals."))
    elif lev.get("draws") == 1:
        status.append("Sterktes van de beleidsknoppen: één trekking, dus hoeveel van de spreiding door de sterkte van "
                      "de knoppen komt, is niet te zeggen (share_lever is leeg); meer herhalingen geven meer "
                      "trekkingen." if nl else
                      "Lever strengths: one draw, so how much of the spread comes from lever strength cannot be "
                      "told (share_lever is empty); more replications give more draws.")
    elif lev.get("draws"):
        status.append((f"Sterktes van de beleidsknoppen: {lev['draws']} trekkingen." if nl else
                       f"Lever strengths: {lev['draws']} draws.") + (f" {E(lev['note'])}." if lev.get("note") else ""))
    if not ens.get("used"):
        status.append(("Parametersets: niet gebruikt" if nl else "Parameter sets: not used")
                      + (f" ({E(ens.get('note'))})" if ens.get("note") else "") + ".")
    rows = []
    for s in inp.scenarios:
        if s == inp.baseline:
            continue
        cells = []
        for o in ("participating", "employed"):
            r = _row(S, scenario=s, outcome=o, group="all", years=5)
            txt = spread_sentence(r, inp, s) if r is not None else ""
            if r is not None and r.get("share_tied") == 100:
                txt = "geen verschil in enige herhaling" if nl else "no difference in any replication"
            cells.append(f"<td>{E(txt[:1].upper() + txt[1:]) if txt else '-'}</td>")
        rows.append(f"<tr>{_scenario_cell(s, inp)}{''.join(cells)}</tr>")
    head = ("Scenario", ("Participatie na 5 jaar" if nl else "Participation after 5 years"),
            ("Werk na 5 jaar" if nl else "Employment after 5 years"))
    return (f"<p>{design}</p>" + "".join(f"<p class='note'>{x}</p>" for x in status)
            + "<table class='t scen'><thead><tr>" + "".join(f"<th>{E(h)}</th>" for h in head)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def times_table(inp: ReportInput) -> str:
    L, T = inp.lang, inp.times_summary
    nl = L == "nl"
    rows = []
    for s in inp.scenarios:
        cells = []
        for ev in ("home", "first_job"):
            r = _row(T, scenario=s, event=ev, measure="months_until_half")
            if r is None or pd.isna(r["median"]):
                cells.append("<td>-</td>")
                continue
            txt = f"{i18n.number(r['median'], L, 0)} <small>({interval(r['p05'], r['p95'], L, 0)})</small>"
            if s != inp.baseline and not pd.isna(r["diff_median"]):
                txt += ("<br><small>\u00b10</small>" if r["share_tied"] == 100 else
                        f"<br><small>{i18n.number(r['diff_median'], L, 0, sign=True)} "
                        f"({interval(r['diff_p05'], r['diff_p95'], L, 0, sign=True)})</small>")
            cells.append(f"<td>{txt}</td>")
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}</th>"
                    + "".join(cells) + "</tr>")
    h1 = "Maanden tot de helft een woning heeft" if nl else "Months until half are housed"
    h2 = "Maanden tot de helft een eerste baan had" if nl else "Months until half had a first job"
    note = ("Mediaan over herhalingen (90%-interval); tweede regel: verschil met de basis in maanden "
            "(negatief is sneller). Woning: wie via de opvang kwam; baan: 18-64-jarigen bij de vergunning.") if nl else (
            "Median over replications (90% interval); second line: difference from the baseline in months "
            "(negative is faster). Home: those who came through reception; job: ages 18-64 at the permit.")
    return (f"<table class='t'><thead><tr><th>Scenario</th><th>{h1}</th><th>{h2}</th></tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table><p class='note'>{note}</p>")


def costs_table(inp: ReportInput) -> str:
    L, C = inp.lang, inp.costs_summary
    nl = L == "nl"
    years = int(min(10, C["years"].max())) if len(C) else 10
    from experiments.presentation.charts import cost_items

    items = [i for i, _, _ in cost_items(list(dict.fromkeys(C["item"])))] + ["public_total", "earnings"]
    head = "".join(f"<th>{E(i18n.cost_item(i, L))}</th>" for i in items)
    rows = []
    for s in inp.scenarios:
        cells = []
        for i in items:
            r = _row(C, scenario=s, item=i, years=years)
            if r is None:
                cells.append("<td>-</td>")
                continue
            txt = f"{eur(r['median'], L)}"
            if s != inp.baseline and not pd.isna(r["diff_median"]):
                if r["share_tied"] == 100:
                    txt += "<br><small>\u00b1\u20ac0</small>"
                else:
                    txt += (f"<br><small>{eur(r['diff_median'], L, True)}<br>"
                            f"({eur(r['diff_p05'], L, True)} {'tot' if nl else 'to'} {eur(r['diff_p95'], L, True)})</small>")
            cells.append(f"<td>{txt}</td>")
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}</th>"
                    + "".join(cells) + "</tr>")
    note = (f"Euro per gesimuleerde persoon, opgeteld over modeljaren 1-{years}, nominaal. Mediaan over "
            "herhalingen; tweede regel: verschil met de basis (90%-interval).") if nl else (
            f"EUR per simulated person, summed over model years 1-{years}, nominal. Median over replications; "
            "second line: difference from the baseline (90% interval).")
    return (f"<table class='t small'><thead><tr><th>Scenario</th>{head}</tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table><p class='note'>{note}</p>")


def scenarios_table(inp: ReportInput) -> str:
    L = inp.lang
    nl = L == "nl"
    rows = []
    for s in inp.scenarios:
        cfg = inp.configs.get(s, {})
        info = cfg.get("scenario_info", {}) or {}
        summ = i18n.scenario_summary(s, info.get("summary", ""), L)
        ch = lever_changes(inp.configs, s, inp.baseline) if s != inp.baseline else []
        items = []
        for c in ch:
            tag = ("<span class='ass'>" + ("aanname" if nl else "assumption") + "</span>") if c["assumption"] else ""
            items.append(f"<li><code>{E(c['key'])}</code>: {E(_fmt_value(c['from']))} \u2192 "
                         f"<b>{E(_fmt_value(c['to']))}</b> <small>({E(c['unit'])}; "
                         f"{'bron' if nl else 'source'}: {E(c['source'])})</small> {tag}</li>")
        levers = f"<ul>{''.join(items)}</ul>" if items else ""
        rows.append(f"<tr><th class='sc'>{_swatch(s, inp.scenarios)}{E(i18n.scenario_name(s, L))}<br>"
                    f"<small><code>{E(s)}</code> \u00b7 {E(str(info.get('demand', '')))}</small></th>"
                    f"<td>{E(summ)}{levers}</td></tr>")
    return ("<table class='t scen'><thead><tr><th>Scenario</th><th>"
            + ("Wat verandert (ten opzichte van de basis) en waar het op rust" if nl else
               "What changes (against the baseline) and what it rests on")
            + "</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


# ---- charts, stories, provenance ---------------------------------------------------------------
CAPTIONS = i18n.CAPTIONS


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode()
    return f'<img alt="{E(alt)}" src="data:image/png;base64,{data}">'


#: charts shown in their own section rather than under 'Charts'
SECTION_CHARTS = ("b3_all_outcomes", "g_evidence", "h_full_vs_sum")


def _figure(inp: ReportInput, name: str) -> str:
    """One chart as a figure with its caption ("" when the chart was not drawn)."""
    paths = inp.charts.get(name) or []
    png = next((p for p in paths if str(p).endswith(".png")), None)
    if png is None:
        return ""
    cap = CAPTIONS.get(name, {}).get(inp.lang, name)
    return (f"<figure id='{name}'>{_img(png, cap)}<figcaption>{E(cap)} "
            f"<small>(charts/{E(name)}.png, .svg)</small></figcaption></figure>")


def charts_html(inp: ReportInput) -> str:
    return "\n".join(f for f in (_figure(inp, n) for n in inp.charts if n not in SECTION_CHARTS) if f)


def stories_html(inp: ReportInput) -> str:
    L = inp.lang
    nl = L == "nl"
    if not inp.stories:
        return "<p>" + ("Geen verhalen gemaakt." if nl else "No stories were made.") + "</p>"
    out = []
    for st in inp.stories:
        paras = []
        for scen, sents in st["sentences"].items():
            who = i18n.scenario_name(scen, L)
            paras.append(f"<p><b>{E(who)}.</b> {E(' '.join(sents))}</p>")
        if st.get("contrast"):
            paras.append(f"<p class='contrast'>{E(st['contrast'])}</p>")
        png = inp.folder / "stories" / f"{st['key']}.png"
        img = _img(png, st["name"]) if png.is_file() else ""
        flag = "" if st.get("reproduces_stored_runs", True) else (
            "<p class='warn'>" + ("Let op: deze levensloop is opnieuw gesimuleerd en komt niet overeen met de "
                                 "opgeslagen runs (het model is sindsdien veranderd)." if nl else
                                 "Note: this life course was simulated again and does not match the stored runs "
                                 "(the model changed since).") + "</p>")
        out.append(f"<div class='story'><h3>{E(st['name'])}, {E(st['description'])}</h3>{flag}{''.join(paras)}"
                   f"<figure>{img}</figure></div>")
    intro = ("Een paar gesimuleerde mensen, elk onder de basis en onder het volledige standpunt gevolgd op "
             "dezelfde toevalstrekkingen. Gekozen als typisch voor wie ze zijn (middelste vaardigheid onder wie "
             "aan de kenmerken voldoet); namen verzonnen. Eén levensloop is een illustratie, geen voorspelling.") if nl else (
             "A few simulated people, each followed under the baseline and under the full position on the same "
             "random draws. Chosen to be typical of who they are (middle ability among those who match); names "
             "invented. One life course is an illustration, not a forecast.")
    return f"<p>{intro}</p>" + "".join(out)


def provenance_html(inp: ReportInput) -> str:
    m = inp.meta
    nl = inp.lang == "nl"
    pk = ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items() if v)
    rows = [
        ("Code (git SHA)" if not nl else "Code (git-SHA)",
         f"{m.get('git_sha')}{' + ' + ('niet-vastgelegde wijzigingen' if nl else 'uncommitted changes') if m.get('uncommitted_changes') else ''}"),
        ("Model hash", str(m.get("model_hash"))),
        ("Python", str(m.get("python"))), ("Packages" if not nl else "Pakketten", pk),
        ("Seeds", _seeds(m.get("seeds", []))),
        (i18n.t("ensemble", inp.lang), ensemble_text(m, inp.lang)),
        ("Sterkte van de beleidsknoppen" if nl else "Lever strengths", levers_text(m, inp.lang)),
        ("Runs", f"{len(m.get('runs', []))} " + ("geslaagd" if nl else "finished") +
         (f", {len(m['failures'])} " + ("mislukt (weggelaten)" if nl else "failed (left out)") if m.get("failures") else "")),
        ("Command" if not nl else "Opdracht", str(m.get("command"))),
        ("Created" if not nl else "Gemaakt", str(m.get("created"))),
        ("Settings" if not nl else "Instellingen", ", ".join(f"{k}={v}" for k, v in (m.get("settings") or {}).items())),
    ]
    body = "".join(f"<tr><th>{E(k)}</th><td><code>{E(v)}</code></td></tr>" for k, v in rows)
    warn = ""  # warnings are at the top of the report
    files = ("Alle getallen in dit rapport komen uit de bestanden in deze map: <code>summary.csv</code>, "
             "<code>costs_summary.csv</code>, <code>times_summary.csv</code> (berekend uit de runs), "
             "<code>outcomes_all.csv.gz</code> (alle runs), de map met runs, en <code>comparison.json</code>.") if nl else (
             "Every number in this report comes from the files in this folder: <code>summary.csv</code>, "
             "<code>costs_summary.csv</code>, <code>times_summary.csv</code> (computed from the runs), "
             "<code>outcomes_all.csv.gz</code> (all runs), the run folders, and <code>comparison.json</code>.")
    return f"{warn}<p>{files}</p><table class='t prov'>{body}</table>"


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
    nl = lang == "nl"
    if not lv.get("used"):
        return ("niet getrokken" if nl else "not drawn") + (f": {lv['note']}" if lv.get("note") else "")
    parts = [f"{lv.get('draws')} " + ("trekking(en)" if nl else "draw(s)")]
    if lv.get("sets_per_draw"):
        parts.append(f"{lv['sets_per_draw']} " + ("parameterset(s) per trekking" if nl else "parameter set(s) per draw"))
    if lv.get("root_seed") is not None:
        parts.append(f"root seed {lv['root_seed']}")
    if lv.get("strengths"):
        parts.append(f"{len(lv['strengths'])} " + ("sterktes" if nl else "strengths"))
    if lv.get("fixed_on_command_line"):
        parts.append(("vast op de opdrachtregel: " if nl else "fixed on the command line: ")
                     + ", ".join(lv["fixed_on_command_line"]))
    return ", ".join(parts) + (f"; {lv['note']}" if lv.get("note") else "")


def methods_ensemble(inp: ReportInput) -> str:
    """The methods' item on parameter uncertainty."""
    nl = inp.lang == "nl"
    e = inp.meta.get("ensemble") or {}
    if not e.get("used"):
        return ("<li><b>Parameteronzekerheid.</b> Niet meegenomen: " + E(e.get("note") or "") + "</li>") if nl else (
            "<li><b>Parameter uncertainty.</b> Not included: " + E(e.get("note") or "") + "</li>")
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
        return ("<li><b>Sterkte van de beleidsknoppen.</b> Niet getrokken: elke sterkte staat op haar "
                f"opgegeven waarde{': ' + note if note else ''}.</li>") if nl else (
                "<li><b>Lever strengths.</b> Not drawn: every strength is at its declared value"
                f"{': ' + note if note else ''}.</li>")
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


CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:1180px;margin:2em auto;padding:0 1.2em;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #bbb;padding-bottom:.2em}
h3{margin-bottom:.3em} .lead{font-size:1.05em} .sub{color:#555;margin-top:0}
figure{margin:1.4em 0} figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{font-size:.9em;color:#333}
table.t{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:.82em;margin:.6em 0;width:100%}
table.t th,table.t td{border-bottom:1px solid #ddd;padding:.3em .45em;text-align:right;vertical-align:top}
table.t th.sc,table.t thead th:first-child,table.scen td,table.scen th,table.prov td,table.prov th{text-align:left}
table.t thead th{background:#f2f2f2} table.small{font-size:.78em}
td.good{background:#e5f2e5} td.bad{background:#f8e1e1}
.sw{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:-.1em;border:1px solid #666}
table.t small{white-space:nowrap} .note{font-size:.85em;color:#444} .warn{background:#fff4d6;border-left:4px solid #e0a800;padding:.4em .7em}
.ass{background:#eee;border:1px solid #aaa;border-radius:3px;padding:0 .3em;font-size:.8em}
table.scen ul{margin:.2em 0 .2em 1.1em;padding:0} table.scen li{margin:.1em 0}
.story{border-top:1px dashed #bbb;margin-top:1.2em} .contrast{font-style:italic}
code{font-size:.92em} table.prov code{word-break:break-all}
@media print{figure{page-break-inside:avoid}}
"""


def write_report(path: Path, inp: ReportInput) -> Path:
    """Write the self-contained report to ``path`` (atomically)."""
    from experiments.runs.folders import atomic_write

    L = inp.lang
    nl = L == "nl"
    m = inp.meta
    title = ("Scenariovergelijking: integratie van statushouders" if nl
             else "Scenario comparison: integration of refugees with a permit")
    sub = (f"Vergunningcohort {m['permit_year']} \u00b7 {i18n.number(m['population_size'], L, 0)} gesimuleerde "
           f"personen \u00b7 {min(m['replications_per_scenario'].values())} herhalingen per scenario \u00b7 "
           f"{len(inp.scenarios)} scenario's \u00b7 gemaakt {E(str(m.get('created', ''))[:10])}") if nl else (
           f"{m['permit_year']} permit cohort \u00b7 {i18n.number(m['population_size'], L, 0)} simulated persons "
           f"\u00b7 {min(m['replications_per_scenario'].values())} replications per scenario \u00b7 "
           f"{len(inp.scenarios)} scenarios \u00b7 made {E(str(m.get('created', ''))[:10])}")
    H = lambda en, nl_: nl_ if nl else en  # noqa: E731
    summary_paras = "".join(p if p.startswith("<p") else f"<p>{p}</p>" for p in plain_summary(inp))
    warn = "".join(f"<p class='warn'>{E(w[L])}</p>" for w in inp.warnings or [])
    if m.get("failures"):
        warn += "<p class='warn'>" + E(H(f"{len(m['failures'])} run(s) failed and were left out (see comparison.json).",
                                         f"{len(m['failures'])} run(s) mislukt en weggelaten (zie comparison.json).")) + "</p>"
    doc = f"""<!DOCTYPE html>
<html lang="{L}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(title)}</title><style>{CSS}</style></head><body>
<h1>{E(title)}</h1><p class="sub">{sub}</p>
{warn}
<h2>{H('Summary', 'Samenvatting')}</h2><div class="lead">{summary_paras}</div>
<h2 id="measures">{H('What is measured', 'Wat er gemeten wordt')}</h2>{measures_html(inp)}
<h2>{H('Effects at a glance', 'Effecten in één oogopslag')}</h2>{effects_table(inp)}
<h2>{H('Charts', 'Grafieken')}</h2>{charts_html(inp)}
<h2 id="acts">{H('Where each demand acts', 'Waar elke eis op werkt')}</h2>{acting_html(inp)}
<h2 id="evidence">{H('Model and evidence', 'Model en bewijs')}</h2>{evidence_html(inp)}
<h2 id="whole">{H('The whole and the sum of its parts', 'Het geheel en de som van de delen')}</h2>{whole_html(inp)}
<h2 id="uncertainty">{H('Where the uncertainty comes from', 'Waar de onzekerheid vandaan komt')}</h2>{uncertainty_html(inp)}
<h2>{H('Waiting and first jobs', 'Wachten en eerste baan')}</h2>{times_table(inp)}
<h2>{H('Costs and earnings', 'Kosten en opbrengsten')}</h2>{costs_table(inp)}
<h2>{H('Persons’ stories', 'Verhalen van personen')}</h2>{stories_html(inp)}
<h2>{H('Scenarios and assumptions', "Scenario's en aannames")}</h2>{scenarios_table(inp)}
<h2>{H('How to read the numbers', 'Hoe de getallen te lezen')}</h2>{methods_html(inp)}
<h2>{H('Provenance', 'Herkomst')}</h2>{provenance_html(inp)}
</body></html>
"""
    return atomic_write(path, lambda p: p.write_text(doc, encoding="utf-8"))
