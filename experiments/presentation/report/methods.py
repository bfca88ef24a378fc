"""How to read the numbers: replications, intervals, the parameter ensemble and lever strengths."""

from __future__ import annotations

from pathlib import Path

from experiments.presentation import i18n
from experiments.presentation.report.inputs import E, ReportInput, plain_paths
from experiments.presentation.report.numbers import ensemble_used, levers_used


def _count(n, one: str, many: str, lang: str) -> str:
    """'1 draw' / '2 draws': ``n`` and the word of ``one`` or ``many`` (report keys)."""
    return f"{n} {i18n.say(one if n == 1 else many, lang)}"


def ensemble_split(e: dict) -> bool:
    """Whether the spread can be split into parameters and chance: at least two parameter sets
    used, each with at least two replications."""
    return len(e.get("sets_used") or []) > 1 and (e.get("seeds_per_set") or 0) > 1


def ensemble_text(m: dict, lang: str, folder: Path | None = None) -> str:
    """The provenance line of the parameter ensemble: file, date, number of sets (or 'not used')."""
    e = m.get("ensemble") or {}
    if not e.get("used"):
        return i18n.say("ensemble_off", lang)
    used = e.get("sets_used") or []
    used_txt = (f"{used[0]}-{used[-1]}" if len(used) > 1 else str(used[0]) if used else "-")
    line = i18n.say("ensemble_line", lang, file=plain_paths(str(e.get("file")), folder),
                    date=i18n.date_text(e.get("date"), lang),
                    n=_count(e.get("n_sets"), "parameter_set", "parameter_sets", lang), used=used_txt,
                    spp=_count(e.get("seeds_per_set"), "replication", "replications", lang))
    return line + ("" if ensemble_split(e) else "; " + i18n.say("ensemble_no_split", lang))


def levers_text(m: dict, lang: str) -> str:
    """The provenance line of the lever-strength draws."""
    lv = m.get("levers") or {}
    if not lv.get("used"):
        return i18n.say("not_drawn", lang)
    parts = [_count(lv.get("draws"), "draw", "draws", lang)]
    if lv.get("sets_per_draw"):
        parts.append(_count(lv["sets_per_draw"], "parameter_set", "parameter_sets", lang)
                     + " " + i18n.say("per_draw", lang))
    if lv.get("root_seed") is not None:
        parts.append(i18n.say("root_seed", lang, seed=lv["root_seed"]))
    if lv.get("strengths"):
        parts.append(_count(len(lv["strengths"]), "strength", "strengths", lang))
    if lv.get("fixed_on_command_line"):
        parts.append(i18n.say("fixed_on_the_command", lang) + ", ".join(lv["fixed_on_command_line"]))
    return ", ".join(parts)


def methods_ensemble(inp: ReportInput) -> str:
    """The methods' item on parameter uncertainty."""
    e = inp.meta.get("ensemble") or {}
    if not e.get("used"):
        return i18n.say("parameter_uncertainty_not_included", inp.lang)
    src = E(ensemble_text(inp.meta, inp.lang, inp.folder))
    from experiments.evidence.posterior_fit import METHOD_PREFIX

    # how the sets were made: drawn from a posterior (method=posterior) or good fits around the
    # point fit (the calibration's method string says which; an older file has none)
    posterior = str(e.get("method") or "").startswith(METHOD_PREFIX)
    which = i18n.say("ensemble_posterior" if posterior else "ensemble_good_fits", inp.lang)
    return i18n.say("method_parameter_uncertainty", inp.lang, seeds_per_set=e.get("seeds_per_set"),
                    src=src, which=which)


def methods_levers(inp: ReportInput) -> str:
    """The methods' item on lever strengths and the three-way split of each interval."""
    lv = inp.meta.get("levers") or {}
    if not lv.get("used"):
        return i18n.say("lever_strengths_not_drawn_2", inp.lang)
    spd, sps = lv.get("sets_per_draw"), lv.get("seeds_per_set")
    per = spd * sps if spd and sps else None
    how = (i18n.say("draw_lasts", inp.lang, n=per, sps=sps, spd=spd) if per
           else i18n.say("draw_lasts_unknown", inp.lang))
    return i18n.say("method_lever_strengths", inp.lang, how=how,
                    draws=_count(lv.get("draws"), "draw", "draws", inp.lang))


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
            + intervals + i18n.say("method_known_limits", L) + i18n.say("method_effects_definitions", L) + (stories_method(L, inp.stories) if inp.stories else ""))
