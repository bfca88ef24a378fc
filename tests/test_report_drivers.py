"""The report's "What drives these effects": the section of a sensitivity analysis, or how to make one.

The comparison does not run the analysis (a quarter of an hour or more); it shows the one
``report.sensitivity`` names (``auto``: the newest under ``results/sensitivity/`` in the report's
language) and says whether it was made with the same model code.
"""

from __future__ import annotations

import json
import os
import time

from experiments.presentation.report import drivers
from experiments.presentation.i18n import say

SECTION = ('<section id="what-drives" class="sa"><h2>What drives these effects</h2>'
           '<p>coaching_max_gain moves the effect most</p></section>')


def make_analysis(folder, lang="en", model="abc", created="2026-12-01T10:00:00"):
    folder.mkdir(parents=True)
    (folder / "sensitivity.json").write_text(json.dumps({"model_hash": model,
                                                         "provenance": {"created": created}}))
    (folder / f"sensitivity.{lang}.html").write_text(
        "<html><head><style>section.sa{color:red}</style></head><body>\n"
        f"<!-- sensitivity-section:start -->\n{SECTION}\n<!-- sensitivity-section:end -->\n</body></html>")
    return folder


def test_auto_takes_the_newest_analysis_in_the_reports_language(tmp_path):
    old = make_analysis(tmp_path / "a")
    new = make_analysis(tmp_path / "b")
    make_analysis(tmp_path / "c", lang="nl")
    os.utime(old / "sensitivity.en.html", (time.time() - 100, time.time() - 100))
    assert drivers.find("auto", "en", tmp_path).folder == new
    assert drivers.find("auto", "nl", tmp_path).folder == tmp_path / "c"
    assert drivers.find("none", "en", tmp_path) is None
    assert drivers.find(str(old), "nl", tmp_path) is None  # no page in that language
    assert drivers.find("auto", "en", tmp_path / "nothing") is None


def test_the_section_is_included_with_where_it_comes_from(tmp_path):
    found = drivers.find(str(make_analysis(tmp_path / "sa")), "en")
    html = drivers.drivers_html(found, "en", "abc", tmp_path)
    assert "coaching_max_gain moves the effect most" in html
    assert "What drives these effects" not in html  # the report's own heading replaces it
    assert "same model" in html and "2026-12-01T10:00:00" in html and "section.sa{color:red}" in html
    other = drivers.drivers_html(found, "en", "another", tmp_path)
    assert "another version of the model code" in other and "same model" not in other


def test_without_an_analysis_the_section_says_how_to_make_one(tmp_path):
    for lang in ("en", "nl"):
        html = drivers.drivers_html(None, lang, "abc", tmp_path)
        assert say("drivers_none", lang) in html and "python -m experiments.sensitivity" in html
