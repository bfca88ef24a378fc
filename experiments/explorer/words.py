"""The explorer's own words, in English and Dutch, from the report's translation files.

Every name the report also uses (outcomes, scenarios, groups, cost items, axis titles, numbers)
comes from the report's sections of ``experiments/presentation/translations/<language>.yaml``
(:mod:`experiments.presentation.i18n`, through :mod:`experiments.explorer.bridge`), so a chart here
and in the report calls the same thing by the same name. What only the explorer says (its controls
and buttons, and every lever's name, meaning and unit in plain words) is in the ``explorer``
section of the same files, so a translator edits one file per language.
"""

from __future__ import annotations

from experiments.explorer.bridge import i18n

LANGUAGES = i18n.LANGUAGES
#: the section of the translation files with the explorer's words
SECTION = "explorer"


def words(lang: str) -> dict[str, str]:
    """The explorer's words in ``lang`` (key -> text)."""
    return i18n.words(lang)[SECTION]


def w(key: str, lang: str, **kw) -> str:
    """The explorer's word ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    text = words(lang)[key]
    return text.format(**kw) if kw else text


def lever_name(name: str, lang: str) -> str:
    """A lever's name in plain words (``Municipal support`` / ``Begeleiding door de gemeente``)."""
    return w(f"{name}.name", lang)


def lever_doc(name: str, lang: str) -> str:
    """What a lever does, in plain words."""
    return w(f"{name}.doc", lang)


def lever_unit(name: str, lang: str) -> str:
    """A lever's unit, in words."""
    return w(f"{name}.unit", lang)


def num(x: float, lang: str, digits: int = 1, sign: bool = False) -> str:
    """A number as the report writes it (decimal comma in Dutch, a real minus sign)."""
    return i18n.number(x, lang, digits, sign)
