"""Persons' stories: the sentences and timeline charts of persons followed under two policies.

The persons and their month-by-month states come from :mod:`experiments.runs.persons` (which says
how they are chosen). A story is one life course on one set of draws: an illustration of the
mechanisms, not a forecast for anyone. The cohort charts give the uncertainty.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from experiments.presentation import i18n  # noqa: E402
from experiments.runs.persons import Followed  # noqa: E402
from model.people import Exam, Hours, Permit, Residence, Route, Sex, Study  # noqa: E402


ROUTES = {r: i18n.ROUTE_NAMES[r.name] for r in Route if r.name in i18n.ROUTE_NAMES}
LEVELS = ["-", "A1", "A2", "B1", "B2"]


def _m(x: int | None, lang: str) -> str:
    """'after 5 months', 'after 2.5 years', 'right at the permit' (months since the permit)."""
    if x is None:
        return ""
    if x == 0:
        return "direct bij de vergunning" if lang == "nl" else "right at the permit"
    if x < 24:
        return (f"na {x} maanden" if lang == "nl" else f"after {x} months") if x != 1 else (
            "na 1 maand" if lang == "nl" else "after 1 month")
    y = x / 12
    ys = i18n.number(y, lang, 1).replace(",0", "").replace(".0", "")
    return f"na {ys} jaar" if lang == "nl" else f"after {ys} years"


def sentences(name: str, ev: dict, lang: str, female: bool) -> list[str]:
    """Plain sentences about one life course."""
    he = ("zij" if female else "hij") if lang == "nl" else ("she" if female else "he")
    his = ("haar" if female else "zijn") if lang == "nl" else ("her" if female else "his")
    He = he.capitalize()
    out = []
    nl = lang == "nl"
    if ev["reception_at_permit"] and ev["housed"] is not None:
        out.append(f"{name} woont {_m(ev['housed'], lang)} in een eigen huis in een gemeente; tot dan wacht {he} in de opvang."
                   if nl else f"{name} waits in reception and gets a home in a municipality {_m(ev['housed'], lang)}.")
    elif ev["housed"] == 0:
        out.append(f"{name} woont vanaf het begin in een eigen huis." if nl else f"{name} lives in a home in a municipality from the start.")
    elif ev["housed"] is None and ev["left"] is None:
        out.append(f"{name} krijgt binnen de looptijd geen woning." if nl else f"{name} gets no home within the simulated years.")
    if ev["intake"] is not None:
        out.append(f"{his.capitalize()} brede intake en persoonlijk plan volgen {_m(ev['intake'], lang)}." if nl
                   else f"{his.capitalize()} broad intake and personal plan come {_m(ev['intake'], lang)}.")
    if ev["course"] is not None and ev["route"] is not None:
        route = ROUTES.get(ev["route"], {}).get(lang, "")
        out.append(f"{He} begint {_m(ev['course'], lang)} aan {route}." if nl
                   else f"{He} starts {route} {_m(ev['course'], lang)}.")
    if ev["exam_passed"] is not None:
        out.append(f"{He} voldoet {_m(ev['exam_passed'], lang)} aan de inburgeringsplicht." if nl
                   else f"{He} meets the civic integration requirement {_m(ev['exam_passed'], lang)}.")
    elif ev["exam_exempted"] is not None:
        out.append(f"{He} krijgt {_m(ev['exam_exempted'], lang)} vrijstelling van de inburgeringsplicht." if nl
                   else f"{He} is exempted from civic integration {_m(ev['exam_exempted'], lang)}.")
    elif ev["course"] is not None:
        lvl = LEVELS[min(int(ev["end_language"]), 4)]
        out.append(f"{He} haalt de inburgering niet binnen de looptijd (taalniveau aan het eind: {lvl})." if nl
                   else f"{He} does not meet the civic integration requirement within the simulated years (Dutch at the end: {lvl}).")
    if ev["education"] is not None:
        s = (f"{He} gaat {_m(ev['education'], lang)} naar school of opleiding" if nl
             else f"{He} enrols in Dutch education {_m(ev['education'], lang)}")
        if ev["diploma"] is not None:
            s += (f" en haalt {_m(ev['diploma'], lang)} een Nederlands diploma" if nl
                  else f" and gains a Dutch diploma {_m(ev['diploma'], lang)}")
        out.append(s + ".")
    if ev["first_job"] is not None:
        kind = (("voltijds" if ev["first_job_full_time"] else "in deeltijd") if nl
                else ("full-time" if ev["first_job_full_time"] else "part-time"))
        s = (f"{He} vindt {his} eerste baan {_m(ev['first_job'], lang)} ({kind})" if nl
             else f"{He} finds {his} first job {_m(ev['first_job'], lang)} ({kind})")
        yrs = i18n.number(ev["months_worked"] / 12, lang, 1)
        stay = ev["left"] if ev["left"] is not None else ev["horizon"]
        stay_txt = i18n.number(stay / 12, lang, 1).replace(",0", "").replace(".0", "")
        if ev["left"] is not None:
            s += (f" en werkt in totaal {yrs} van de {stay_txt} jaar dat {he} in Nederland woont." if nl
                  else f" and works {yrs} of the {stay_txt} years {he} lives in the Netherlands.")
        else:
            s += (f" en werkt in totaal {yrs} van de {stay_txt} jaar." if nl
                  else f" and works {yrs} of the {stay_txt} years in all.")
        out.append(s)
    else:
        out.append(f"{He} vindt binnen {ev['horizon'] // 12} jaar geen betaald werk." if nl
                   else f"{He} finds no paid work within {ev['horizon'] // 12} years.")
    if ev["benefit"] is not None:
        if ev["off_benefit"] is not None and ev["left"] is not None and ev["off_benefit"] >= ev["left"]:
            out.append(f"Tot {he} vertrekt, leeft het huishouden van de bijstand." if nl
                       else f"The household lives on bijstand until {he} leaves.")
        elif ev["off_benefit"] is not None:
            out.append(f"Het huishouden leeft van de bijstand tot {_m(ev['off_benefit'], lang).replace('na ', '')}."
                       if nl else f"The household lives on bijstand until {_m(ev['off_benefit'], lang).replace('after ', '')} after the permit.")
        else:
            out.append("Het huishouden zit aan het eind nog in de bijstand (soms als aanvulling op loon)." if nl
                       else "At the end the household still receives bijstand (sometimes topping up wages).")
    if ev["citizen"] is not None:
        out.append(f"{He} wordt {_m(ev['citizen'], lang)} Nederlander." if nl
                   else f"{He} becomes a Dutch citizen {_m(ev['citizen'], lang)}.")
    elif ev["permanent"] is not None:
        out.append(f"{He} krijgt {_m(ev['permanent'], lang)} een vaste verblijfsvergunning." if nl
                   else f"{He} gets a permanent residence permit {_m(ev['permanent'], lang)}.")
    else:
        out.append(f"{He} houdt een tijdelijke vergunning." if nl else f"{He} keeps a temporary permit.")
    if ev["left"] is not None:
        out.append(f"{He} vertrekt {_m(ev['left'], lang)} uit Nederland." if nl
                   else f"{He} leaves the Netherlands {_m(ev['left'], lang)}.")
    return out


def contrast(name: str, base: dict, alt: dict, alt_name: str, lang: str, female: bool) -> str:
    """One sentence on what the other policy changes for this person."""
    nl = lang == "nl"

    def months(n: int) -> str:
        return f"{n} {('maand' if n == 1 else 'maanden') if nl else ('month' if n == 1 else 'months')}"

    parts = []
    for key, en, nlw in (("housed", "home", "woning"), ("first_job", "first job", "eerste baan"),
                         ("exam_passed", "civic integration met", "inburgering behaald")):
        b, a = base[key], alt[key]
        if b is not None and a is not None and a != b:
            d = b - a
            when = (("eerder" if d > 0 else "later") if nl else ("sooner" if d > 0 else "later"))
            parts.append(f"{nlw if nl else en} {months(abs(d))} {when}")
        elif b is None and a is not None:
            parts.append(f"{nlw} {_m(a, lang)} (onder de basis niet)" if nl
                         else f"{en} {_m(a, lang)} (never under the baseline)")
        elif b is not None and a is None:
            parts.append(f"geen {nlw} (onder de basis {_m(b, lang)})" if nl
                         else f"no {en} (under the baseline: {_m(b, lang)})")
    if base["exam_exempted"] is None and alt["exam_exempted"] is not None:
        parts.append("vrijgesteld van inburgering" if nl else "exempted from civic integration")
    dw = alt["months_worked"] - base["months_worked"]
    if dw:
        parts.append(f"{months(abs(dw))} {'meer' if dw > 0 else 'minder'} werk" if nl
                     else f"{months(abs(dw))} {'more' if dw > 0 else 'less'} in work")
    if not parts:
        return (f"Onder '{alt_name}' verloopt het leven van {name} op de hoofdpunten hetzelfde." if nl
                else f"Under '{alt_name}', {name}'s life course is the same on the main points.")
    return ((f"Onder '{alt_name}', vergeleken met de basis: " if nl
             else f"Under '{alt_name}', compared with the baseline: ") + "; ".join(parts) + ".")


# ---- chart -------------------------------------------------------------------------------------
LANES = ("housing", "course", "integration", "education", "work", "benefit", "permit")
LANE_NAMES = i18n.LANE_NAMES
SEGMENTS = {  # lane -> list of (label key, colour, hatch, predicate on the frame)
    "housing": [("reception", "#bdbdbd", "xx", lambda f: f["residence"] == Residence.RECEPTION),
                ("housed", "#74c476", "", lambda f: f["residence"] == Residence.HOUSED),
                ("left", "#ffffff", "--", lambda f: f["residence"] == Residence.LEFT)],
    "course": [("course", "#9ecae1", "\\\\", lambda f: f["in_course"].astype(bool))],
    "integration": [("met", "#6a51a3", "", lambda f: f["exam"] == Exam.PASSED),
                    ("exempted", "#cbc9e2", "..", lambda f: f["exam"] == Exam.EXEMPTED)],
    "education": [("enrolled", "#8c6bb1", "oo", lambda f: f["study"] == Study.ENROLLED),
                  ("diploma", "#dadaeb", "", lambda f: f["study"] == Study.COMPLETED)],
    "work": [("part_time", "#6baed6", "//", lambda f: f["hours"] == Hours.PART_TIME),
             ("full_time", "#08519c", "", lambda f: f["hours"] == Hours.FULL_TIME)],
    "benefit": [("on_benefit", "#f16913", "//", lambda f: f["on_benefit"].astype(bool))],
    "permit": [("temporary", "#fee6ce", "", lambda f: f["permit"] == Permit.TEMPORARY),
               ("permanent", "#fd8d3c", "..", lambda f: f["permit"] == Permit.PERMANENT),
               ("citizen", "#a63603", "", lambda f: f["permit"] == Permit.CITIZEN)],
}
SEGMENT_NAMES = i18n.SEGMENT_NAMES


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True values."""
    m = np.concatenate([[False], mask.astype(bool), [False]])
    d = np.diff(m.astype(int))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(int(s), int(e - s)) for s, e in zip(starts, ends)]


def timeline_chart(frames: list[tuple[str, pd.DataFrame]], title: str, source: str, path_base: Path,
                   lang: str) -> list[Path]:
    import textwrap

    fig, axes = plt.subplots(len(frames), 1, figsize=(12.5, 2.35 * len(frames) + 1.9), sharex=True,
                             squeeze=False)
    for ax, (label, f) in zip(axes[:, 0], frames):
        here = (f["residence"] != Residence.LEFT).to_numpy()  # after leaving, only housing shows
        for li, lane in enumerate(LANES):
            y = len(LANES) - 1 - li
            for key, color, hatch, pred in SEGMENTS[lane]:
                mask = pred(f).to_numpy().astype(bool)
                segs = _runs(mask if lane == "housing" else mask & here)
                if segs:
                    ax.broken_barh(segs, (y - 0.36, 0.72), facecolors=color, hatch=hatch,
                                   edgecolor="#555555", linewidth=0.4)
        ax.set_yticks(range(len(LANES)))
        ax.set_yticklabels([LANE_NAMES[lane][lang] for lane in LANES][::-1], fontsize=8.5)
        ax.set_ylim(-0.6, len(LANES) - 0.4)
        ax.set_title(label, fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlim(0, int(f["month"].max()) + 1)
        ax.set_xticks(np.arange(0, int(f["month"].max()) + 2, 12))
    axes[-1, 0].set_xlabel(i18n.t("months_since_permit", lang))
    seen, handles = set(), []
    for lane in LANES:
        for key, color, hatch, _ in SEGMENTS[lane]:
            if key not in seen:
                seen.add(key)
                handles.append(Patch(facecolor=color, hatch=hatch, edgecolor="#555555",
                                     label=SEGMENT_NAMES[key][lang]))
    fig.legend(handles=handles, loc="upper center", ncol=8, frameon=False, fontsize=8,
               bbox_to_anchor=(0.5, 1 - 0.38 / fig.get_figheight()))
    h = fig.get_figheight()
    fig.suptitle(title, fontsize=12, y=1 - 0.1 / h, va="top")
    lines = textwrap.wrap(source, 180)
    fig.text(0.01, 0.012, "\n".join(lines), fontsize=7.5, color="#333333", va="bottom")
    fig.tight_layout(rect=(0, (0.12 + 0.15 * len(lines)) / h, 1, 1 - 0.9 / h))
    paths = []
    for ext in ("png", "svg"):
        p = path_base.with_suffix("." + ext)
        fig.savefig(p, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def write_stories(followed: list[Followed], base: str, alt: str | None, seed: int, out: Path,
                  lang: str, source: str, reproduced: bool = True) -> list[dict]:
    """Write each followed person's trace (CSV), timeline chart (PNG, SVG) and sentences
    (``stories.json``) into ``out``; ``base``/``alt`` are the scenarios followed, ``seed`` their seed."""
    out.mkdir(parents=True, exist_ok=True)
    if not followed:
        return []
    stories = []
    for fw in followed:
        p, pid, age_at_permit, frames, evs = fw.persona, fw.person_index, fw.age_at_permit, fw.frames, fw.events
        desc = p.describe[lang].format(age=int(age_at_permit))
        female = p.sex == Sex.FEMALE
        texts = {scen: sentences(p.name, evs[scen], lang, female) for scen, _ in frames}
        comp = contrast(p.name, evs[base], evs[alt], i18n.scenario_name(alt, lang), lang,
                        female) if alt else ""
        pd.concat([f for _, f in frames], ignore_index=True).to_csv(out / f"{p.key}.csv", index=False)
        title = f"{p.name}: {desc}"
        labels = [(f"{i18n.scenario_name(s, lang)}", f) for s, f in frames]
        note = ("Eén levensloop op één reeks toevalstrekkingen (seed %d), onder beide beleidsvarianten "
                "dezelfde: een illustratie van de mechanismen, geen voorspelling. De onzekerheid staat in "
                "de cohortgrafieken. Persoon gekozen als typisch: middelste vaardigheid van wie aan de "
                "kenmerken voldoet; naam verzonnen. " % seed) if lang == "nl" else (
                "One life course on one set of random draws (seed %d), the same under both policies: an "
                "illustration of the mechanisms, not a forecast. The cohort charts show the uncertainty. "
                "Person chosen to be typical: middle ability among those who match; name invented. "
                % seed)
        paths = timeline_chart([(lab, f) for lab, f in labels], title, f"{note}{source}",
                               out / f"{p.key}", lang)
        stories.append({"key": p.key, "name": p.name, "person_index": pid, "description": desc,
                        "age_at_permit": round(age_at_permit, 1), "sentences": texts,
                        "contrast": comp, "events": evs, "chart": [str(x.name) for x in paths],
                        "reproduces_stored_runs": reproduced})
    (out / "stories.json").write_text(json.dumps(stories, indent=2, ensure_ascii=False, default=int))
    return stories

