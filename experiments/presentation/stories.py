"""Persons' stories: the sentences and timeline charts of persons followed under two policies.

The persons and their lives come from :mod:`experiments.runs.persons` (which says how they are
chosen). Each :class:`~experiments.runs.persons.Life` holds one month-by-month trace, the spells the
timeline chart draws from it and the events read from those spells; the sentences here tell only
those events, and each sentence records what it claims (:class:`Said`), so a test can hold the words
against the trace. A story is one life course on one set of draws: an illustration of the
mechanisms, not a forecast for anyone. The cohort charts give the uncertainty. The words are in the
translation files (``story``, ``personas``, ``lanes``, ``segments``, ``routes``).
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from experiments.presentation import i18n  # noqa: E402
from experiments.runs.persons import COHORTS, LANES, SHORT_RETURN, Followed, Life  # noqa: E402
from model.people import Route, Sex  # noqa: E402

ROUTES = {r: i18n.ROUTE_NAMES[r.name] for r in Route if r.name in i18n.ROUTE_NAMES}
LEVELS = ["-", "A1", "A2", "B1", "B2"]


def _years(months: float, lang: str) -> str:
    """Months as years with one decimal, without a trailing ',0' / '.0'."""
    return i18n.number(months / 12, lang, 1).replace(",0", "").replace(".0", "")


def duration(months: int, lang: str) -> str:
    """'1 month', '5 months' (under two years), '2.5 years'."""
    if months == 1:
        return i18n.story("one_month", lang)
    if months < 24:
        return i18n.story("months", lang, n=months)
    return i18n.story("years", lang, n=_years(months, lang))


def when(month: int | None, lang: str) -> str:
    """'after 5 months', 'after 2.5 years', 'right at the permit' (months since the permit)."""
    if month is None:
        return ""
    if month == 0:
        return i18n.story("at_permit", lang)
    return i18n.story("after", lang, d=duration(month, lang))


@dataclass
class Said:
    """A sentence and what it claims: event -> month since the permit (None: it does not happen),
    or a count (``short_returns``, ``months_worked``)."""

    text: str
    claims: dict = field(default_factory=dict)


def told(name: str, ev: dict, lang: str, female: bool) -> list[Said]:
    """Plain sentences about one life course (the events of one :class:`Life`), with their claims."""
    sex = "female" if female else "male"
    he, his = i18n.story(f"he_{sex}", lang), i18n.story(f"his_{sex}", lang)
    w = dict(name=name, he=he, He=he.capitalize(), his=his, His=his.capitalize())

    def say(key: str, claims: dict, **values) -> Said:
        return Said(i18n.story(key, lang, **w, **values), claims)

    out = []
    if ev["reception_at_permit"] and ev["housed"] is not None:
        out.append(say("home_after_reception", {"housed": ev["housed"]}, when=when(ev["housed"], lang)))
    elif ev["housed"] == 0:
        out.append(say("home_from_start", {"housed": 0}))
    elif ev["housed"] is None and ev["left"] is None:
        out.append(say("no_home", {"housed": None}))
    if ev["intake"] is not None:
        out.append(say("intake", {"intake": ev["intake"]}, when=when(ev["intake"], lang)))
    if ev["course"] is not None and ev["route"] is not None:
        route = ROUTES.get(Route(ev["route"]), {}).get(lang, "")
        out.append(say("course", {"course": ev["course"], "route": ev["route"]}, route=route,
                       when=when(ev["course"], lang)))
    if ev["exam_passed"] is not None:
        out.append(say("exam_met", {"exam_passed": ev["exam_passed"]}, when=when(ev["exam_passed"], lang)))
    elif ev["exam_exempted"] is not None:
        out.append(say("exam_exempted", {"exam_exempted": ev["exam_exempted"]},
                       when=when(ev["exam_exempted"], lang)))
    elif ev["course"] is not None:
        out.append(say("exam_not_met", {"exam_passed": None, "exam_exempted": None},
                       level=LEVELS[min(int(ev["end_language"]), 4)]))
    if ev["education"] is not None:
        if ev["diploma"] is not None:
            out.append(say("education_diploma", {"education": ev["education"], "diploma": ev["diploma"]},
                           when=when(ev["education"], lang), diploma=when(ev["diploma"], lang)))
        else:
            out.append(say("education", {"education": ev["education"]}, when=when(ev["education"], lang)))
    if ev["first_job"] is not None:
        stay = ev["left"] if ev["left"] is not None else ev["horizon"]
        out.append(say("first_job_left" if ev["left"] is not None else "first_job",
                       {"first_job": ev["first_job"], "months_worked": ev["months_worked"]},
                       when=when(ev["first_job"], lang),
                       kind=i18n.story("full_time" if ev["first_job_full_time"] else "part_time", lang),
                       years=i18n.number(ev["months_worked"] / 12, lang, 1), stay=_years(stay, lang)))
    else:
        out.append(say("no_job", {"first_job": None}, years=ev["horizon"] // 12))
    out += _bijstand(ev, lang, say)
    if ev["citizen"] is not None:
        out.append(say("citizen", {"citizen": ev["citizen"]}, when=when(ev["citizen"], lang)))
    elif ev["permanent"] is not None:
        out.append(say("permanent", {"permanent": ev["permanent"]}, when=when(ev["permanent"], lang)))
    else:
        out.append(say("temporary", {"permanent": None, "citizen": None}))
    if ev["left"] is not None:
        out.append(say("leaves", {"left": ev["left"]}, when=when(ev["left"], lang)))
    return out


def _bijstand(ev: dict, lang: str, say) -> list[Said]:
    """The sentence on the household's bijstand: when it leaves it, short returns told as such."""
    if ev["benefit"] is None:
        return [say("no_bijstand", {"benefit": None})]
    if ev["benefit_until_left"]:
        return [say("bijstand_until_leaving", {"off_benefit": None})]
    if ev["off_benefit"] is None:
        return [say("bijstand_at_end", {"off_benefit": None})]
    n = ev["short_returns"]
    returns = ("" if not n else i18n.story("returns_one", lang, short=SHORT_RETURN) if n == 1
               else i18n.story("returns_many", lang, n=n, short=SHORT_RETURN))
    return [say("bijstand_until", {"off_benefit": ev["off_benefit"], "short_returns": n},
                until=duration(ev["off_benefit"], lang), returns=returns)]


def sentences(name: str, ev: dict, lang: str, female: bool) -> list[str]:
    """Plain sentences about one life course."""
    return [s.text for s in told(name, ev, lang, female)]


def contrast(name: str, base: dict, alt: dict, alt_name: str, lang: str, female: bool) -> str:
    """One sentence on what the other policy changes for this person."""
    parts = []
    for key, what in (("housed", "what_home"), ("first_job", "what_first_job"), ("exam_passed", "what_exam")):
        b, a, what = base[key], alt[key], i18n.story(what, lang)
        if b is not None and a is not None and a != b:
            parts.append(i18n.story("changed", lang, what=what, d=duration(abs(b - a), lang),
                                    direction=i18n.story("sooner" if b > a else "later", lang)))
        elif b is None and a is not None:
            parts.append(i18n.story("only_alt", lang, what=what, when=when(a, lang)))
        elif b is not None and a is None:
            parts.append(i18n.story("only_base", lang, what=what, when=when(b, lang)))
    if base["exam_exempted"] is None and alt["exam_exempted"] is not None:
        parts.append(i18n.story("exempted_alt", lang))
    dw = alt["months_worked"] - base["months_worked"]
    if dw:
        parts.append(i18n.story("more_work" if dw > 0 else "less_work", lang,
                                d=i18n.story("one_month", lang) if abs(dw) == 1 else i18n.story("months", lang, n=abs(dw))))
    if not parts:
        return i18n.story("contrast_same", lang, alt=alt_name, name=name)
    return i18n.story("contrast", lang, alt=alt_name, changes="; ".join(parts))


# ---- chart -------------------------------------------------------------------------------------
#: each lane's states as the chart shows them: (colour, hatch)
LOOK = {
    "reception": ("#bdbdbd", "xx"), "housed": ("#74c476", ""), "left": ("#ffffff", "--"),
    "course": ("#9ecae1", "\\\\"),
    "met": ("#6a51a3", ""), "exempted": ("#cbc9e2", ".."),
    "enrolled": ("#8c6bb1", "oo"), "diploma": ("#dadaeb", ""),
    "part_time": ("#6baed6", "//"), "full_time": ("#08519c", ""),
    "on_benefit": ("#f16913", "//"),
    "temporary": ("#fee6ce", ""), "permanent": ("#fd8d3c", ".."), "citizen": ("#a63603", ""),
}
#: the intake and personal plan, marked on the course lane
INTAKE_MARK = dict(marker="v", color="black", ms=7, ls="")


def timeline_chart(lives: list[tuple[str, Life]], title: str, source: str, path_base: Path,
                   lang: str) -> list[Path]:
    """One panel per (label, life): each lane's spells, as :attr:`Life.spells` holds them, and the
    intake as a mark on the course lane."""
    lanes = list(LANES)
    fig, axes = plt.subplots(len(lives), 1, figsize=(12.5, 2.35 * len(lives) + 1.9), sharex=True,
                             squeeze=False)
    for ax, (label, life) in zip(axes[:, 0], lives):
        horizon = int(life.frame["month"].max())
        for li, lane in enumerate(lanes):
            y = len(lanes) - 1 - li
            for sp in life.spells[lane]:
                color, hatch = LOOK[sp.state]
                ax.broken_barh([(sp.start, sp.months)], (y - 0.36, 0.72), facecolors=color, hatch=hatch,
                               edgecolor="#555555", linewidth=0.4)
        if life.events["intake"] is not None:
            ax.plot([life.events["intake"] + 0.5], [len(lanes) - 1 - lanes.index("course") + 0.36],
                    **INTAKE_MARK, zorder=5, clip_on=False)
        ax.set_yticks(range(len(lanes)))
        ax.set_yticklabels([i18n.LANE_NAMES[lane][lang] for lane in lanes][::-1], fontsize=8.5)
        ax.set_ylim(-0.6, len(lanes) - 0.4)
        ax.set_title(label, fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlim(0, horizon + 1)
        ax.set_xticks(np.arange(0, horizon + 2, 12))
    axes[-1, 0].set_xlabel(i18n.t("months_since_permit", lang))
    handles = [Patch(facecolor=LOOK[state][0], hatch=LOOK[state][1], edgecolor="#555555",
                     label=i18n.SEGMENT_NAMES[state][lang]) for lane in lanes for state, _ in LANES[lane]]
    handles.append(Line2D([], [], **INTAKE_MARK, label=i18n.SEGMENT_NAMES["intake"][lang]))
    fig.legend(handles=handles, loc="upper center", ncol=8, frameon=False, fontsize=8,
               bbox_to_anchor=(0.5, 1 - 0.38 / fig.get_figheight()))
    h = fig.get_figheight()
    fig.suptitle(title, fontsize=12, y=1 - 0.1 / h, va="top")
    lines = textwrap.wrap(source, 180)
    fig.text(0.01, 0.012, "\n".join(lines), fontsize=7.5, color="#333333", va="bottom")
    fig.tight_layout(rect=(0, (0.12 + 0.15 * len(lines)) / h, 1, 1 - 0.72 / h))
    paths = []
    for ext in ("png", "svg"):
        p = path_base.with_suffix("." + ext)
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def method(lang: str, stories: list[dict] = ()) -> str:
    """How the stories' persons (``stories``, as :func:`write_stories` returns them) are chosen and
    their sentences made: a paragraph of the report's method words."""
    cohorts = max((st["chosen_from"]["replications"] for st in stories), default=COHORTS)
    return i18n.story("method", lang, cohorts=cohorts, short=SHORT_RETURN)


def intro(lang: str) -> str:
    """The words before the stories in the report."""
    return i18n.story("intro", lang)


def write_stories(followed: list[Followed], base: str, alt: str | None, seed: int, out: Path,
                  lang: str, source: str, reproduced: bool = True) -> list[dict]:
    """Write each followed person's trace (CSV), timeline chart (PNG, SVG) and sentences with their
    claims (``stories.json``) into ``out``; ``base``/``alt`` are the scenarios followed (each
    person's seed is their own: ``Followed.seed``; ``seed`` is the first of the comparison's)."""
    out.mkdir(parents=True, exist_ok=True)
    if not followed:
        return []
    stories = []
    for fw in followed:
        p = fw.persona
        desc = i18n.persona(p.key, lang, age=int(fw.age_at_permit))
        female = p.sex == Sex.FEMALE
        said = {life.scenario: told(p.name, life.events, lang, female) for life in fw.lives}
        evs = fw.events
        comp = contrast(p.name, evs[base], evs[alt], i18n.scenario_name(alt, lang), lang,
                        female) if alt else ""
        pd.concat([life.frame for life in fw.lives], ignore_index=True).to_csv(out / f"{p.key}.csv", index=False)
        chosen = i18n.story("chosen", lang, group=fw.group, name=p.name, cohorts=fw.cohorts)
        note = i18n.story("chart_note", lang, seed=fw.seed, chosen=chosen)
        paths = timeline_chart([(i18n.scenario_name(life.scenario, lang), life) for life in fw.lives],
                               f"{p.name}: {desc}", f"{note}{source}", out / p.key, lang)
        stories.append({
            "key": p.key, "name": p.name, "person_index": fw.person_index, "description": desc,
            "age_at_permit": round(fw.age_at_permit, 1),
            "sentences": {s: [x.text for x in xs] for s, xs in said.items()},
            "claims": {s: [x.claims for x in xs] for s, xs in said.items()},
            "contrast": comp, "events": evs,
            "timeline": {life.scenario: {lane: [[sp.state, sp.start, sp.months] for sp in sps]
                                         for lane, sps in life.spells.items()} for life in fw.lives},
            "seed": fw.seed, "chosen_from": {"persons": fw.group, "replications": fw.cohorts},
            "chart": [str(x.name) for x in paths], "reproduces_stored_runs": reproduced})
    (out / "stories.json").write_text(json.dumps(stories, indent=2, ensure_ascii=False, default=int))
    return stories
