"""The sensitivity analysis drawn: its charts (:mod:`.charts`) and its report section
(:mod:`.section`, ``sensitivity.<language>.html``), from the tables :mod:`experiments.evidence.sensitivity`
computes."""

from __future__ import annotations

from pathlib import Path

from experiments.presentation.i18n import page_name

#: every name the analysis's presentation writes into its folder (``sensitivity.html``: the page of
#: earlier versions)
WRITES = ("charts", page_name("sensitivity", "*"), "sensitivity.html")


def present(plan, out: Path, language: str, **tables):
    """Draw the charts now; return them and a function that writes ``sensitivity.<language>.html``
    (``sensitivity.en.html``, ``sensitivity.nl.html``) once the
    analysis's record (``meta``) is written: ``write_section(meta, stability)``."""
    from experiments.presentation.sensitivity import charts, section

    data = charts.ChartData(plan=plan, **tables, year=min(charts.YEAR, plan.horizon_years))
    drawn = charts.draw_all(data, Path(out) / "charts", language)

    def write_section(meta: dict, stability) -> Path:
        return section.write(Path(out) / page_name("sensitivity", language), data, drawn, stability, meta, language)

    return drawn, write_section
