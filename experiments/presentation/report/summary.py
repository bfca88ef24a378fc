"""The report's plain-language summary: what was simulated, the results in the client's order
(participation, feeling at home, employment), groups, costs and what the effects rest on."""

from __future__ import annotations

import pandas as pd

from experiments.presentation import i18n
from experiments.runs.summary import PARTS
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.numbers import (better_in, ensemble_used, eur, first_row,
                                                     interval, lever_changes, levers_used, pct,
                                                     points, pp, spread_sentence, verdict)

# ---- text ---------------------------------------------------------------------------------------
def plain_summary(inp: ReportInput) -> list[str]:
    """The plain-language summary, as HTML paragraphs."""
    L, S, base, pos = inp.lang, inp.summary, inp.baseline, inp.position
    m = inp.meta
    name = lambda s: i18n.scenario_name(s, L)  # noqa: E731
    n_reps = min(m["replications_per_scenario"].values())
    paras = []
    others = [s for s in inp.scenarios if s != base]
    # Read this first: what the sizes below are and are not (stated before any number).
    paras.append(i18n.say("read_this_first_how", L))
    paras.append(i18n.say("we_simulated_a_cohort", L,
                          population_size=i18n.number(m['population_size'], L, 0),
                          permit_year=m['permit_year'], n_reps=n_reps, n_scenarios=len(inp.scenarios),
                          base=E(name(base)), n_others=len(others)))
    paras += result_paragraphs(inp)
    # groups: losses that the average hides, then losses of scenarios that lose on average too
    hidden, open_ = group_losses(S, base)
    def items(rows):
        return "; ".join(i18n.say("group_loss", L, scenario=E(name(s)), group=E(i18n.group_in_text(g, L)),
                                  outcome=E(i18n.outcome_short(o, L).lower()), size=pp(d, L))
                         for s, g, o, d in rows[:8]) + (
            (i18n.say("and_more", L, n_rows=len(rows) - 8)) if len(rows) > 8 else "")
    if hidden:
        paras.append(i18n.say("nobody_s_loss_hides", L, items=items(hidden)))
    else:
        paras.append(i18n.say("nobody_s_loss_hides_2", L))
    if open_:
        scen_open = list(dict.fromkeys(s for s, *_ in open_))
        paras.append(i18n.say("scenarios_that_are_worse", L,
                              names=', '.join(chr(39) + E(name(s)) + chr(39) for s in scen_open),
                              n_open=len(open_)))
    # costs
    if pos:
        c = first_row(inp.costs_summary, scenario=pos, item="public_total", years=10)
        e = first_row(inp.costs_summary, scenario=pos, item="earnings", years=10)
        if c is not None and e is not None and not pd.isna(c["diff_median"]):
            paras.append(costs_sentence(pos, c, e, L))
    # assumptions
    if pos:
        ch = lever_changes(inp.configs, pos, base)
        n_ass = sum(c["assumption"] for c in ch)
        if ch and levers_used(m):
            fitted = i18n.say("what_drives_fitted_part", L) if ensemble_used(m) else ""
            paras.append(i18n.say("what_drives_levers", L, pos=E(name(pos)), n_ch=len(ch), n_ass=n_ass,
                                  fitted=fitted))
        elif ch and ensemble_used(m):
            paras.append(
                i18n.say("what_drives_these_effects", L, pos=E(name(pos)), n_ch=len(ch),
                         n_ass=n_ass))
        elif ch:
            paras.append(
                i18n.say("what_drives_these_effects_2", L, pos=E(name(pos)), n_ch=len(ch),
                         n_ass=n_ass))
    return paras


def costs_sentence(scenario: str, cost: pd.Series, earnings: pd.Series, lang: str) -> str:
    """What a scenario costs or saves the government over ten years against the baseline, and how
    the cohort's net earnings change (each a median paired difference with its 90% interval): a
    negative cost is said as a saving, never as a negative cost."""
    def said(r: pd.Series, more: str, less: str, same: str, **names) -> str:
        d = r["diff_median"]
        key = same if eur(d, lang) == eur(0.0, lang) else more if d > 0 else less
        return i18n.say(key, lang, amount=eur(abs(d), lang), lo=eur(r["diff_p05"], lang, True),
                        hi=eur(r["diff_p95"], lang, True), **names)

    return (said(cost, "costs_more", "costs_saves", "costs_same",
                 pos=E(i18n.scenario_name(scenario, lang)))
            + " " + said(earnings, "earnings_higher", "earnings_lower", "earnings_same"))


# ---- the results, in the client's order: participation, feeling at home, then employment --------
#: the summary's result paragraphs in order (ids of their <p> elements)
RESULT_ORDER = ("r-participation", "r-belonging", "r-employment")


def _result(pid: str, text: str) -> str:
    return f'<p class="result" id="{pid}">{text}</p>'


def _effect(r: pd.Series, L: str, unit: str = "pp") -> str:
    """'+3.1 pp (90% interval +2.0 to +4.2)' in the language."""
    size = points(r["diff_median"], L) if unit == "index" else pp(r["diff_median"], L)
    return (f"{size} ({i18n.say("interval", L)} "
            f"{interval(r['diff_p05'], r['diff_p95'], L, sign=True)})")


def _level(r: pd.Series, L: str, unit: str = "%") -> str:
    """'38.8% (90% interval 36.7 to 39.7%)'; an index without the % sign."""
    if unit == "index":
        return (f"{i18n.number(r['median'], L)} ({i18n.say("interval_3", L)} "
                f"{interval(r['p05'], r['p95'], L)})")
    return (f"{pct(r['median'], L)} ({i18n.say("interval_2", L)} "
            f"{interval(r['p05'], r['p95'], L, unit='%')})")


def _tied(r) -> bool:
    return r is not None and r.get("share_tied") == 100


def result_paragraphs(inp: ReportInput) -> list[str]:
    """The summary's results: participation and its parts, feeling at home, employment (the
    best-measured part), then the other outcomes of the full position and the single demands."""
    L, S, base, pos = inp.lang, inp.summary, inp.baseline, inp.position
    name = lambda s: i18n.scenario_name(s, L)  # noqa: E731
    row = lambda s, o, y: first_row(S, scenario=s, outcome=o, group="all", years=y)  # noqa: E731
    has_pos = pos is not None and pos != base and row(pos, "participating", 5) is not None
    paras = []

    # 1. participation and its parts
    b3, b5 = row(base, "participating", 3), row(base, "participating", 5)
    if b3 is not None and b5 is not None:
        parts = [row(base, p, 5) for p in PARTS]
        txt = i18n.say("participation_paid_work_education", L, level=_level(b3, L),
                       level_2=_level(b5, L))
        if all(x is not None for x in parts):
            txt += i18n.say("after_five_years_that", L, median=pct(parts[0]['median'], L),
                            median_2=pct(parts[1]['median'], L),
                            median_3=pct(parts[2]['median'], L))
        if has_pos:
            p5 = row(pos, "participating", 5)
            if p5 is not None and not pd.isna(p5["diff_median"]):
                eff = [(p, row(pos, p, 5)) for p in PARTS]
                eff = [(p, r) for p, r in eff if r is not None and not pd.isna(r["diff_median"])]
                split = "; ".join(f"{E(i18n.part_label(p, L).lower())} {pp(r['diff_median'], L)}" for p, r in eff)
                by_part = i18n.say("by_part", L, split=split) if split else ""
                txt += i18n.say("under_position_take_part", L, pos=E(name(pos)), median=pct(p5['median'], L),
                                effect=_effect(p5, L), better=better_in(p5, L),
                                verdict=verdict(p5, L), by_part=by_part)
                spread = spread_sentence(p5, inp, pos)
                if spread:
                    txt += " " + spread[:1].upper() + spread[1:] + "."
        txt += (i18n.say("other_participation_rests_on", L))
        paras.append(_result("r-participation", txt))

    # 2. feeling at home
    h5 = row(base, "belonging", 5)
    if h5 is not None:
        txt = i18n.say("feeling_at_home_an", L, level=_level(h5, L, 'index'))
        q5 = row(pos, "belonging", 5) if has_pos else None
        if q5 is not None and not pd.isna(q5["diff_median"]):
            txt += (i18n.say("under", L, pos=E(name(pos)), effect=_effect(q5, L, 'index'),
                             verdict=verdict(q5, L)))
        paras.append(_result("r-belonging", txt))

    # 3. employment, the best-measured part
    e3, e5 = row(base, "employed", 3), row(base, "employed", 5)
    if e3 is not None and e5 is not None:
        txt = i18n.say("paid_work_is_the", L, level=_level(e3, L), level_2=_level(e5, L))
        p5 = row(pos, "employed", 5) if has_pos else None
        if p5 is not None and not pd.isna(p5["diff_median"]):
            txt += (i18n.say("under_the_share_after", L, pos=E(name(pos)),
                             median=pct(p5['median'], L), effect=_effect(p5, L),
                             better=better_in(p5, L), verdict=verdict(p5, L)))
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
            when = (i18n.say("after_year", L, yrs=yrs, plural='s' if yrs > 1 else ''))
            extra.append(f"{E(i18n.outcome_short(o, L).lower())} {when} {pp(r['diff_median'], L)} "
                         f"({interval(r['diff_p05'], r['diff_p95'], L, sign=True)})")
        if extra:
            paras.append((i18n.say("other_outcomes_of_this", L)) + "; ".join(extra) + ".")

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
                    work = f"; {i18n.say("work", L)} {pp(e['diff_median'], L)}"
                out.append(f"'{E(name(s))}' ({pp(r['diff_median'], L)}, "
                           f"{interval(r['diff_p05'], r['diff_p95'], L, sign=True)}{work})")
            return ", ".join(out)

        txt = []
        if gain:
            txt.append(i18n.say("of_the_single_scenarios", L, listing=listing(gain)))
        if loss:
            txt.append(i18n.say("clearly_lower", L, listing=listing(loss)))
        if flat:
            txt.append(i18n.say("no_effect_on_participation", L,
                                names=', '.join(chr(39) + E(name(s)) + chr(39) for s, *_ in flat)))
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
            words = {"share_lever": i18n.say("how_strongly_the_levers", L),
                     "share_parameter": i18n.say("the_fitted_parameters", L),
                     "share_chance": i18n.say("chance", L)}
            parts = [f"{words[k]} {i18n.say("for", L)} {i18n.join_words(v, L)}" for k, v in by_source.items()]
            if parts:
                paras.append((i18n.say("the_uncertainty_in_each", L)) + "; ".join(parts)
                             + (i18n.say("details_and_shares_where", L)))
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
