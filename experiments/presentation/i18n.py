"""Words of the comparison's charts, stories and report, in English and Dutch.

The words are in ``translations/<language>.yaml`` (one file per language, one section per kind of
word); this module reads them and says how to use them. A translator edits only those files.

One place for every label a reader sees, so that a chart and the report use the same name for the
same thing (``employed`` is "Employed" / "Werkt" everywhere). Outcome labels in English come from
their declaration (:data:`model.outcomes.OUTCOMES`); the Dutch ones are in ``nl.yaml``. Scenario names
are short versions of each scenario's ``scenario_info``; a scenario without a name here is shown by
its file name. A Dutch summary (``scenario_summaries`` in ``nl.yaml``) of a scenario is used only while the English summary it translates
is unchanged (otherwise the English one is shown, so a translation never goes stale silently).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from experiments.runs.compose import display_name, display_summary

LANGUAGES = ("en", "nl")


def page_name(stem: str, lang: str) -> str:
    """A page's file name with its language in it (``report.en.html``, ``report.nl.html``), so that
    the same results written in another language sit beside it instead of over it."""
    return f"{stem}.{lang}.html"

#: the translation files, one per language (shipped as package data)
FOLDER = Path(__file__).resolve().parent / "translations"


@cache
def words(lang: str) -> dict:
    """Every section of ``translations/<lang>.yaml`` (section -> key -> text)."""
    return yaml.safe_load((FOLDER / f"{lang}.yaml").read_text(encoding="utf-8")) or {}


def section(name: str) -> dict[str, dict[str, str]]:
    """One section in every language: key -> {language: text} (keys of the English file)."""
    by_lang = {lang: words(lang).get(name) or {} for lang in LANGUAGES}
    keys = dict.fromkeys(k for lang in LANGUAGES for k in by_lang[lang])
    return {k: {lang: by_lang[lang][k] for lang in LANGUAGES if k in by_lang[lang]} for k in keys}


#: short scenario names (charts, tables)
SCENARIO_NAMES = section("scenarios")
#: Dutch translations of the scenarios' English summaries (scenario -> (English, Dutch))
SUMMARY_NL = {k: (v["english"], v["dutch"]) for k, v in (words("nl").get("scenario_summaries") or {}).items()}
#: Dutch outcome labels (the English ones are the declared labels, model/outcomes.py)
OUTCOMES_NL = dict(words("nl").get("outcomes") or {})
#: short outcome names (axis titles, panel titles)
OUTCOMES_SHORT = section("outcomes_short")
#: the exclusive parts of participation (experiments.runs.summary.PARTS), as a chart's legend names them
PART_NAMES = section("parts")
#: policy levers (model/policy.py LEVERS) in plain words, for "how strongly ... work(s)"
LEVER_WORDS = section("levers")
#: the stages of the pathway (model.outcomes.STAGES), chart (c)
STAGE_NAMES = section("stages")
#: cost items (model/costs.py ITEMS), chart (e) and the costs table
COST_ITEMS = section("cost_items")
#: the unit costs (model/costs.py PARAMS) in words, chart (e)'s footnote
COST_UNITS = section("cost_units")
#: values of the groups (sex, origin, education), charts (d)
GROUP_VALUES = section("group_values")
#: the group dimensions themselves
GROUP_KEYS = section("group_keys")
#: a model result against an evidence range (chart g and the report)
VERDICT = section("verdicts")
#: the report's chart captions
CAPTIONS = section("captions")
#: the stories' timeline lanes
LANE_NAMES = section("lanes")
#: what a lane's segment shows (in reception, housed, ...)
SEGMENT_NAMES = section("segments")
#: the civic integration routes, by model.people.Route name (the stories' sentences)
ROUTE_NAMES = section("routes")
#: the stories' persons described, by persona key (experiments.runs.persons.PERSONAS), with ``{age}``
PERSONA_WORDS = section("personas")
#: the stories' sentences, with ``{placeholders}`` (experiments.presentation.stories)
STORY = section("story")


def story(key: str, lang: str, **values) -> str:
    """A story's sentence (or part of one) in ``lang``, its placeholders filled in."""
    return STORY[key][lang].format(**values)


def persona(key: str, lang: str, age: int) -> str:
    """A story's person described ("a Syrian woman of 33 ..."); the key itself if no words are kept."""
    return PERSONA_WORDS.get(key, {}).get(lang, key).format(age=age)


def scenario_name(name: str, lang: str) -> str:
    """Short display name of a scenario: its file's own ``scenario_info.name_<lang>``, else the
    name here, else its file's ``name_en``, else its file name (so an advocate names their own
    scenario in its file, in both languages, without a code change)."""
    return display_name(name, lang, fallback=SCENARIO_NAMES.get(name, {}).get(lang))


def _current(table: dict[str, tuple[str, str]], key: str, english: str, lang: str) -> str:
    """The Dutch words kept for ``key`` while the English they translate is unchanged; else (or in
    English) ``english`` itself."""
    if lang == "nl" and key in table and table[key][0].strip() == str(english).strip():
        return table[key][1]
    return english


def scenario_summary(name: str, summary_en: str, lang: str) -> str:
    """A scenario's one-line summary in ``lang``: its file's ``summary_<lang>``, else the
    translation here (while it translates the current English), else ``summary_en``."""
    return display_summary(name, lang, fallback=_current(SUMMARY_NL, name, summary_en, lang))


#: Dutch words of the demands' evidence (``basis`` of model/data/demand_evidence.csv), by
#: ``<demand>_<years>``: (English, Dutch)
EVIDENCE_NL = {k: (v["english"], v["dutch"]) for k, v in (words("nl").get("evidence_basis") or {}).items()}


def evidence_basis(demand: str, years: int, english: str, lang: str) -> str:
    """What a demand's evidence range rests on, in ``lang`` (the file's English while no
    translation of the current English is kept)."""
    return _current(EVIDENCE_NL, f"{demand}_{int(years)}", english, lang)


def cost_item(item: str, lang: str) -> str:
    return COST_ITEMS.get(item, {}).get(lang, item)


def outcome_label(name: str, lang: str) -> str:
    """Full outcome label (the declared one in English)."""
    from experiments.runs.summary import outcome_info

    BY_NAME = outcome_info()
    if lang == "nl" and name in OUTCOMES_NL:
        return OUTCOMES_NL[name]
    return BY_NAME[name].label if name in BY_NAME else name


def cost_unit(name: str, lang: str) -> str:
    """A unit cost of model/costs.py in words (its name, spaced, if none are kept here)."""
    return COST_UNITS.get(name, {}).get(lang, name.replace("_", " "))


def part_label(name: str, lang: str) -> str:
    """Name of an exclusive part of participation (legend of the participation chart)."""
    return PART_NAMES.get(name, {}).get(lang, name)


def lever_words(name: str, lang: str) -> str:
    """A policy lever in plain words (its name if none is kept here)."""
    return LEVER_WORDS.get(name, {}).get(lang, name.replace("_", " "))


def lever_name(name: str, lang: str) -> str:
    """A lever's name in plain words (``Municipal support`` / ``Begeleiding door de gemeente``): the
    words the explorer shows for it (section ``explorer``, ``<lever>.name``)."""
    return (words(lang).get("explorer") or {}).get(f"{name}.name", name.replace("_", " "))


def lever_unit(name: str, lang: str) -> str:
    """A lever's unit in plain words (``times today's support`` / ``keer de huidige begeleiding``)."""
    return (words(lang).get("explorer") or {}).get(f"{name}.unit", "")


#: what a scenario file's ``scenario_info.demand`` says where it is not a demand (``law``, ...)
DEMAND_LABELS = section("demand_labels")
#: the values of levers that are words: ``yes``/``no`` and ``<lever>.<choice>``
LEVER_VALUES = section("lever_values")
#: where each lever's setting comes from, in words a reader can follow (model/policy.py declares
#: the sources for developers)
LEVER_SOURCES = section("lever_sources")


def lever_value(name: str, value, lang: str) -> str:
    """A lever's value as a reader says it: ``yes``/``ja``, a choice in words (``matched to job
    chances`` / ``gekoppeld aan werkkansen``), a number in the language's way (``0,15``)."""
    key = ("yes" if value else "no") if isinstance(value, bool) else f"{name}.{value}"
    if key not in LEVER_VALUES and isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{value:g}"
        return number(value, lang, len(text.split(".")[1]) if "." in text and "e" not in text else 0)
    return LEVER_VALUES.get(key, {}).get(lang, str(value))


def lever_source(name: str, declared: str, lang: str) -> str:
    """Where a lever's setting comes from, in ``lang`` (the declared source where none is kept)."""
    return LEVER_SOURCES.get(name, {}).get(lang, declared)


def date_text(iso: str, lang: str) -> str:
    """``2026-12-01`` as ``1 December 2026`` / ``1 december 2026`` (the text itself if it is no date)."""
    try:
        year, month, day = (int(x) for x in str(iso)[:10].split("-"))
        names = REPORT["month_names"][lang].split(",")
        return REPORT["date"][lang].format(day=day, month=names[month - 1].strip(), year=year)
    except (ValueError, IndexError, KeyError):
        return str(iso)


def join_words(items: list[str], lang: str) -> str:
    """'a', 'a and b', 'a, b and c' (Dutch: 'en')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" en " if lang == "nl" else " and ") + items[-1]


def outcome_short(name: str, lang: str) -> str:
    return OUTCOMES_SHORT.get(name, {}).get(lang, name)


def group_label(group: str, lang: str) -> str:
    """``origin=Syria`` -> ``Syria`` / ``Syrië``; ``age=25-34`` -> ``25-34 years`` / ``25-34 jaar``."""
    if group == "all":
        return GROUP_VALUES["all"][lang]
    key, value = group.split("=", 1)
    if key == "age":
        value = value.replace("65-200", "65+")
        return f"{value} {'jaar' if lang == 'nl' else 'years'}"
    return GROUP_VALUES.get(value, {}).get(lang, value)


def group_in_text(group: str, lang: str) -> str:
    """A group inside a sentence: lower case (``hoger opgeleid``, ``women``), except a country
    (``Syrië``, ``Eritrea``), which keeps its capital in both languages."""
    label = group_label(group, lang)
    if group.startswith("origin=") and group != "origin=Other":
        return label
    return label[:1].lower() + label[1:]


def group_key_label(key: str, lang: str) -> str:
    return GROUP_KEYS.get(key, {}).get(lang, key)


def number(x: float, lang: str, digits: int = 1, sign: bool = False) -> str:
    """A number as a reader of ``lang`` writes it (Dutch: decimal comma, thousands with a dot); one
    that rounds to zero has no sign (``0.0``, never ``-0.0``)."""
    if x is None or x != x:
        return "-"
    if round(x, digits) == 0:
        x, sign = 0.0, False
    s = f"{x:+,.{digits}f}" if sign else f"{x:,.{digits}f}"
    s = s.replace("-", "\u2212")  # a real minus sign
    if lang == "nl":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


#: every other word of the charts and the report
TEXT = section("text")


def t(key: str, lang: str) -> str:
    return TEXT[key][lang]


#: the report's table of what is measured: ``<outcome>_<column>`` (experiments.presentation.report.sections)
MEASURE_WORDS = section("measures")
#: the report's sentences and headings, with ``{placeholders}`` for numbers and names
REPORT = section("report")


def say(key: str, lang: str, **values) -> str:
    """A sentence of the report in ``lang``, its placeholders filled in (``str.format``)."""
    return REPORT[key][lang].format(**values)
