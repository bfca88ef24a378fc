"""The report's section "What drives these effects": the global sensitivity analysis, if one exists.

A sensitivity analysis (``python -m experiments.sensitivity``) takes a quarter of an hour or more,
so the comparison does not run one; it includes the section of an analysis that has been made
(``sensitivity.<language>.html``, between its ``sensitivity-section`` markers) and says which one
and whether it was made with the same model code. Which analysis: ``report.sensitivity`` of the
comparison: ``auto`` (the newest under ``results/sensitivity/`` in the report's language), a folder,
or ``none``. Without one the section says how to make it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from experiments.presentation import i18n
from experiments.presentation.i18n import page_name

#: where ``python -m experiments.sensitivity`` puts its analyses by default
ANALYSES = Path("results") / "sensitivity"
_SECTION = re.compile(r"<!-- sensitivity-section:start -->\n?(.*?)\n?<!-- sensitivity-section:end -->", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@dataclass(frozen=True)
class Analysis:
    folder: Path
    page: Path  #: sensitivity.<language>.html
    created: str | None  #: when the analysis was written (its sensitivity.json), if known
    model_hash: str | None  #: the model code it was made with, if known


def _model_hash_of(folder: Path, meta: dict) -> str | None:
    if meta.get("model_hash"):
        return meta["model_hash"]
    for point in sorted(folder.glob("runs/*/p*/point.json"))[:1]:  # analyses made before it was recorded
        try:
            return json.loads(point.read_text()).get("model_hash")
        except (OSError, ValueError):
            return None
    return None


def analysis(folder: Path, lang: str) -> Analysis | None:
    """The analysis in ``folder`` with a page in ``lang``, or None."""
    page = Path(folder) / page_name("sensitivity", lang)
    if not page.is_file():
        return None
    try:
        meta = json.loads((Path(folder) / "sensitivity.json").read_text())
    except (OSError, ValueError):
        meta = {}
    return Analysis(Path(folder), page, (meta.get("provenance") or {}).get("created"),
                    _model_hash_of(Path(folder), meta))


def find(setting: str | None, lang: str, root: Path = ANALYSES) -> Analysis | None:
    """The analysis ``report.sensitivity`` names: ``auto`` (the newest page in ``lang`` under
    ``root``), ``none``/None, or a folder."""
    if setting in (None, "none"):
        return None
    if setting != "auto":
        return analysis(Path(setting).expanduser(), lang)
    pages = sorted(Path(root).glob(f"*/{page_name('sensitivity', lang)}"), key=lambda p: p.stat().st_mtime)
    return analysis(pages[-1].parent, lang) if pages else None


def drivers_html(found: Analysis | None, lang: str, current_model: str, folder: Path) -> str:
    """The section's body for the report: the analysis's own section with a line on where it comes
    from, or how to make one."""
    from experiments.presentation.report.inputs import E, plain_paths

    if found is None:
        return f"<p>{i18n.say('drivers_none', lang)}</p>"
    text = found.page.read_text(encoding="utf-8")
    body = _SECTION.search(text)
    if body is None:
        return f"<p>{i18n.say('drivers_unreadable', lang, page=E(plain_paths(str(found.page), folder)))}</p>"
    style = _STYLE.search(text)
    same = found.model_hash is not None and found.model_hash == current_model
    note = i18n.say("drivers_from" if same else "drivers_from_other_model", lang,
                    folder=E(plain_paths(str(found.folder.resolve()), folder)),
                    created=E(found.created or "?"))
    # the analysis's own heading is the report's; keep the rest of its section as it is
    inner = re.sub(r"<h2>.*?</h2>", "", body.group(1), count=1, flags=re.S)
    return ((f"<style>{style.group(1)}</style>" if style else "")
            + f"<p class='note'>{note}</p>{inner}")
