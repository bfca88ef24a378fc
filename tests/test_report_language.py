"""The report reads as its language: a small comparison's Dutch report has no English words, no
code names and no machine paths in its visible text, and writes numbers and money the Dutch way;
the English report shows no code names either.

The words that must not appear are kept in ``tests/data/english_words_nl_report.txt`` (the Dutch
report) and ``tests/data/code_words_report.txt`` (both reports); text inside ``<code>`` (file
names, keys a researcher types) is not read. A failure names the offending sentence.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from model.config import ROOT

DATA = Path(__file__).resolve().parent / "data"
#: scenarios that together use every kind of setting: many levers (the full position), a choice
#: (placement, exam level, the law), a demand that is not D1-D11 ('D9 (reverse)', 'law')
SCENARIOS = "[baseline,vwn_position,d10_cooperation,stacking,wi2013]"


def word_list(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


class _Visible(HTMLParser):
    """The text a reader sees: no styles, no attributes, nothing inside <code> (and nothing inside
    the elements ``skip`` names); block elements and table cells end a piece of text. ``only``: the
    text inside those elements alone."""

    BLOCKS = {"p", "li", "tr", "td", "th", "h1", "h2", "h3", "figcaption", "br", "table", "div",
              "ul", "title", "small"}
    HIDDEN = {"style", "script", "code"}

    def __init__(self, skip: set[str] = frozenset(), only: set[str] = frozenset()):
        super().__init__()
        self.pieces, self.hidden, self.inside = [""], 0, 0
        self.skip, self.only = set(skip), set(only)

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN | self.skip:
            self.hidden += 1
        if tag in self.only:
            self.inside += 1
        if tag in self.BLOCKS:
            self.pieces.append("")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN | self.skip:
            self.hidden -= 1
            if tag == "code":
                self.pieces[-1] += " \u2039code\u203a "  # keeps the sentence readable in a failure
        if tag in self.only:
            self.inside -= 1
        if tag in self.BLOCKS:
            self.pieces.append("")

    def handle_data(self, data):
        if not self.hidden and (self.inside or not self.only):
            self.pieces[-1] += data


def visible_sentences(html: str, skip: set[str] = frozenset(), only: set[str] = frozenset()) -> list[str]:
    p = _Visible(skip, only)
    p.feed(html)
    out = []
    for piece in p.pieces:
        text = re.sub(r"\s+", " ", piece).strip()
        out += [s for s in re.split(r"(?<=[.;!?])\s+", text) if s]
    return out


def offences(sentences: list[str], words: list[str]) -> list[str]:
    """'word' in: sentence, for every listed word found as a whole word (case-insensitive)."""
    found = []
    for w in words:
        pattern = re.compile(r"(?<![\w])" + re.escape(w) + r"(?![\w])", re.IGNORECASE)
        found += [f"{w!r} in: {s}" for s in sentences if pattern.search(s)]
    return found


def absolute_paths(html: str) -> list[str]:
    """Absolute file paths anywhere in the page (code too), images left out."""
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", html)
    unix = re.findall(r"(?:^|[\s'\"(=:,>\[])((?:/[A-Za-z0-9._+-]+){2,}/?)", text)
    windows = re.findall(r"\b[A-Za-z]:\\[^\s<]+", text)
    return unix + windows


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """A small comparison's report in Dutch (with stories) and, from the same runs, in English."""
    out = tmp_path_factory.mktemp("language") / "small"
    common = ["-m", "experiments.compare", f"scenarios={SCENARIOS}", "replications=2",
              "population.size=300", "n_jobs=2", "progress=false", f"out={out}"]
    html = {}
    for lang in ("nl", "en"):
        r = run([*common, f"report.language={lang}"])
        assert r.returncode == 0, r.stderr[-3000:]
        html[lang] = (out / f"report.{lang}.html").read_text(encoding="utf-8")
    return html


def dutch_words() -> list[str]:
    return word_list("english_words_nl_report.txt") + word_list("code_words_report.txt")


def test_the_dutch_report_has_no_english_words_or_code_names(reports):
    """Every sentence of the Dutch report but the charts' captions (they are tested below)."""
    sentences = visible_sentences(reports["nl"], skip={"figcaption"})
    assert len(sentences) > 200  # the whole report was read
    bad = offences(sentences, dutch_words())
    assert not bad, f"{len(bad)} English or code words in the Dutch report:\n" + "\n".join(bad[:40])


def test_the_dutch_chart_captions_have_no_english_words_or_code_names(reports):
    bad = offences(visible_sentences(reports["nl"], only={"figcaption"}), dutch_words())
    assert not bad, f"{len(bad)} English or code words in the Dutch captions:\n" + "\n".join(bad)


def test_the_english_report_has_no_code_names(reports):
    bad = offences(visible_sentences(reports["en"]), word_list("code_words_report.txt"))
    assert not bad, f"{len(bad)} code words in the English report:\n" + "\n".join(bad[:40])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_absolute_paths_in_the_report(reports, lang):
    found = absolute_paths(reports[lang])
    assert not found, f"absolute paths in the {lang} report: {found[:10]}"
    assert str(ROOT) not in reports[lang]


def test_the_dutch_report_writes_numbers_and_money_the_dutch_way(reports):
    sentences = visible_sentences(reports["nl"])
    rules = {"a decimal point": r"(?<![\w.,])\d+\.\d{1,2}(?![\d.,])",
             "a thousands comma": r"(?<![\w.,])\d{1,3},\d{3}(?![\d,])",
             "no space after the euro sign": r"€\d", "EUR": r"\bEUR\b",
             "a minus before zero": r"[\u2212-]0(?:,0+)?(?![\d,])"}
    bad = [f"{why} in: {s}" for why, rule in rules.items() for s in sentences if re.search(rule, s)]
    assert not bad, "\n".join(bad[:40])


@pytest.mark.parametrize("lang, title, misfit", [
    ("en", "Known limits of the baseline.", "After six years the model's employment keeps rising"),
    ("nl", "Bekende grenzen van het basisscenario.", "Na zes jaar blijft het aandeel met werk"),
])
def test_the_report_states_the_known_limits_of_the_baseline(reports, lang, title, misfit):
    """A reader of levels and late effects is told where the baseline misses published figures."""
    sentences = " ".join(visible_sentences(reports[lang]))
    assert title in sentences and misfit in sentences


# ---- money in words --------------------------------------------------------------------------
@pytest.mark.parametrize("lang, saves, costs", [
    ("nl", "bespaart de overheid per persoon € 14.416", "kost de overheid per persoon € 1.291 meer"),
    ("en", "saves the government €14,416 per person", "costs the government €1,291 more per person"),
])
def test_a_negative_cost_is_a_saving(lang, saves, costs):
    from experiments.presentation.report.summary import costs_sentence

    def sentence(diff: float) -> str:
        c = pd.Series({"diff_median": diff, "diff_p05": diff - 500.0, "diff_p95": diff + 500.0})
        e = pd.Series({"diff_median": 2000.0, "diff_p05": 1500.0, "diff_p95": 2500.0})
        return re.sub(r"<[^>]+>", "", costs_sentence("vwn_position", c, e, lang))

    assert saves in sentence(-14416.0)
    assert costs in sentence(1291.0)
    assert "\u2212" not in sentence(-14416.0).split("(")[0]  # no minus sign before the interval
