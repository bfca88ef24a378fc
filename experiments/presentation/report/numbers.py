"""Numbers and assumptions as the report writes them: percentages, points, euros, intervals,
verdicts, where an effect's spread comes from and what a scenario changes."""

from __future__ import annotations

import pandas as pd

from experiments.presentation import i18n
from experiments.presentation.report.inputs import ReportInput

# ---- numbers -----------------------------------------------------------------------------------
def first_row(df: pd.DataFrame, **eq) -> pd.Series | None:
    sel = df
    for k, v in eq.items():
        sel = sel[sel[k] == v]
    return sel.iloc[0] if len(sel) else None


def pct(x: float, lang: str, d: int = 1) -> str:
    return f"{i18n.number(x, lang, d)}%"


def pp(x: float, lang: str, d: int = 1) -> str:
    return i18n.say("pp", lang, x=i18n.number(x, lang, d, sign=True))


def pp_short(x: float, lang: str, d: int = 1) -> str:
    return i18n.say("pp_short", lang, x=i18n.number(x, lang, d, sign=True))


def interval(lo: float, hi: float, lang: str, d: int = 1, sign: bool = False, unit: str = "") -> str:
    a, b = i18n.number(lo, lang, d, sign), i18n.number(hi, lang, d, sign)
    return i18n.say("range", lang, a=a, b=b, unit=unit)


def eur(x: float, lang: str, sign: bool = False) -> str:
    """An amount in euros as ``lang`` writes it (``€1,234`` / ``€ 1.234``), with ``sign`` a plus
    or minus before the currency (``+€1,234``, ``−€ 1.234``); nothing before zero."""
    if x != x:
        return "-"
    amount = i18n.number(abs(x), lang, 0)
    head = "" if amount == "0" else ("+" if x > 0 else "\u2212") if sign else ("\u2212" if x < 0 else "")
    return head + i18n.say("euro", lang, x=amount)


def better_in(r: pd.Series, lang: str, short: bool = False) -> str:
    """How often a scenario did better than the baseline, counted in replications: 'better in 31 of
    the 40 replications' (``short``: 'better in 31 of 40', for a table cell)."""
    share = r.get("share_better")
    n = r.get("n_pairs")
    if share is None or pd.isna(share):
        return ""
    if n is None or pd.isna(n) or not n:
        return i18n.say("better_share", lang, share=pct(share, lang, 0))
    n = int(n)
    k = int(round(share * n / 100))
    if short:
        return i18n.say("better_k_of_n_short", lang, k=k, n=n)
    key = "better_all" if k == n else "better_none" if k == 0 else "better_k_of_n"
    return i18n.say(key, lang, k=k, n=n)


def verdict(r: pd.Series, lang: str) -> str:
    """Words for how sure an effect is: the 90% interval and the share of wins."""
    if r is None or pd.isna(r["diff_median"]):
        return ""
    lo, hi = r["diff_p05"], r["diff_p95"]
    if r["share_tied"] == 100:
        return i18n.say("no_difference_in_any_2", lang)
    if lo > 0 or hi < 0:
        good = (r["direction"] == "maximise") == (lo > 0)
        if r["direction"] == "none":
            return i18n.say("a_clear_difference", lang)
        return i18n.say("clearly_better" if good else "clearly_worse", lang)
    return i18n.say("not_distinguishable_from_chance", lang)


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
    verb = i18n.say("lever_verb_many" if plural else "lever_verb_one", L)
    return i18n.t("src_lever_named", L).format(levers=i18n.join_words(words, L), verb=verb)


def spread_sentence(r: pd.Series | None, inp: "ReportInput", scenario: str | None = None,
                    short: bool = False) -> str:
    """Where an effect's spread comes from, in plain words: lever strength, the calibrated
    parameters and chance (the summary's ``share_lever``, ``share_parameter``, ``share_chance``);
    "" for the baseline or without a difference. ``short``: where the spread cannot be split, a
    few words for a table cell (the section says why)."""
    L = inp.lang
    if r is None or pd.isna(r.get("diff_median")) or r.get("share_tied") == 100:
        return ""
    if not ensemble_used(inp.meta) and not levers_used(inp.meta):
        return i18n.t("spread_none", L)
    scenario = scenario if scenario is not None else r.get("scenario")
    known = {k: float(r.get(k)) for k in ("share_parameter", "share_lever", "share_chance")
             if r.get(k) is not None and not pd.isna(r.get(k))}
    if not known:
        return i18n.t("spread_unidentified_short" if short else "spread_unidentified", L)
    if set(known) == {"share_chance"}:
        return i18n.t("spread_confounded", L).format(c=int(round(100 * known["share_chance"])))
    # short names in the list of shares; the lead names the levers when they are the main source
    words = {"share_parameter": i18n.t("src_parameter", L), "share_lever": i18n.t("src_lever_short", L),
             "share_chance": i18n.t("src_chance", L)}
    lead = dict(words, share_lever=lever_source(inp, scenario),
                share_parameter=i18n.say("the_fitted_parameters", L))
    whole = _whole_percents(known)
    order = list(known)
    head = (i18n.say("about_of_the_spread", L, whole=whole[order[0]], words=words[order[0]]))
    rest = [f"{whole[k]}% {i18n.say("from", L)} {words[k]}" for k in order[1:]]
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


def points(x: float, lang: str, d: int = 1) -> str:
    """A difference of an index (0-100): +1.2 points / +1,2 punten."""
    return i18n.say("points", lang, x=i18n.number(x, lang, d, sign=True))


def seeds_short(seeds) -> str:
    from experiments.runs.reading import seeds_text

    return seeds_text(seeds)
