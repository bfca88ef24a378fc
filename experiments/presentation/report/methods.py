"""How to read the numbers: replications, intervals, the parameter ensemble and lever strengths."""

from __future__ import annotations

from experiments.presentation import i18n
from experiments.presentation.report.inputs import E, ReportInput
from experiments.presentation.report.numbers import ensemble_used, levers_used

def ensemble_text(m: dict, lang: str) -> str:
    """The provenance line of the parameter ensemble: file, date, number of sets (or why none)."""
    e = m.get("ensemble") or {}
    if not e.get("used"):
        note = e.get("note") or i18n.say("ensemble_none", lang)
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
    e = inp.meta.get("ensemble") or {}
    if not e.get("used"):
        return i18n.say("parameter_uncertainty_not_included", inp.lang, note=E(e.get("note") or ""))
    src = E(ensemble_text(inp.meta, inp.lang))
    return i18n.say("method_parameter_uncertainty", inp.lang, seeds_per_set=e.get("seeds_per_set"),
                    src=src)


def methods_levers(inp: ReportInput) -> str:
    """The methods' item on lever strengths and the three-way split of each interval."""
    lv = inp.meta.get("levers") or {}
    if not lv.get("used"):
        note = E(lv.get("note") or "")
        return i18n.say("lever_strengths_not_drawn_2", inp.lang, note=': ' + note if note else '')
    spd, sps = lv.get("sets_per_draw"), lv.get("seeds_per_set")
    k = f"k // ({sps} x {spd})" if spd and sps else "k // (seeds_per_set x sets_per_draw)"
    return i18n.say("method_lever_strengths", inp.lang, k=k, draws=lv.get("draws"))


def methods_html(inp: ReportInput) -> str:
    from experiments.presentation.stories import method as stories_method

    L = inp.lang
    if ensemble_used(inp.meta) and levers_used(inp.meta):
        intervals = i18n.say("method_intervals_all", L)
    elif ensemble_used(inp.meta):
        intervals = i18n.say("method_intervals_ensemble", L)
    else:
        intervals = i18n.say("method_intervals_chance", L)
    return ("<ul>" + methods_ensemble(inp) + methods_levers(inp) + i18n.say("method_replications_intervals",
                                                                            L)
            + intervals + i18n.say("method_effects_definitions", L) + (stories_method(L, inp.stories) if inp.stories else ""))
