"""Draw a comparison from its aggregated tables: charts, persons' stories and the report.

Reads only what aggregation hands over (:class:`experiments.runs.aggregate.Aggregate`: tables,
facts and the persons already followed); runs nothing.
"""

from __future__ import annotations

from pathlib import Path

from experiments.presentation import charts as C
from experiments.presentation.i18n import page_name
from experiments.runs import aggregate

#: every name an aggregation and its presentation write into the folder: the tables, charts,
#: stories and the report in each language (``report.html``: the report of earlier versions)
WRITES = (*aggregate.WRITES, "charts", "stories", page_name("report", "*"), "report.html")


def cbs_points(permit_year: int) -> dict:
    """CBS's published employment shares of the cohort nearest ``permit_year`` (for chart a)."""
    from experiments.evidence.targets import read_targets, shipped_targets
    from experiments.presentation.run_chart import cbs_targets

    cohorts = sorted({t.cohort for t in read_targets(shipped_targets())
                      if t.quantity == "employed" and t.group == "all"})
    if not cohorts:
        return {}
    c = min(cohorts, key=lambda y: (abs(y - permit_year), -y))
    return {"employed": (*cbs_targets("employed", c), c)}


def chart_data(agg) -> C.ChartData:
    """What the charts draw, from an aggregation."""
    return C.ChartData(tidy=agg.runs.outcomes, summary=agg.summary, costs_summary=agg.costs_summary,
                       times=agg.runs.times, stages=agg.runs.stages, scenarios=agg.scenarios,
                       baseline=agg.baseline, position=agg.position, lang=agg.language,
                       n_runs=agg.n_reps, population_size=agg.population_size,
                       permit_year=agg.permit_year, source=agg.source, seeds=agg.seeds,
                       cbs_points=cbs_points(agg.permit_year), evidence=agg.evidence,
                       evidence_note=agg.evidence_note, demands=agg.demands, singles=agg.singles,
                       full_vs_sum=agg.full_vs_sum, uncertainty=agg.uncertainty,
                       configs=agg.configs)


def publish(agg, sensitivity: str | None = "auto") -> dict:
    """Write ``charts/``, ``stories/`` and ``report.<language>.html`` into the aggregation's folder.

    ``sensitivity``: which sensitivity analysis the report's "What drives these effects" shows
    (``auto``, ``none`` or a folder: :func:`experiments.presentation.report.drivers.find`).

    Returns:
        ``{"out", "report", "charts", "failures", "warnings", "summary", "stories"}``.
    """
    from experiments.presentation import report as R
    from experiments.presentation.report.drivers import find
    from experiments.presentation.stories import write_stories

    out = Path(agg.out)
    data = chart_data(agg)
    charts = C.all_charts(data, out / "charts")
    story_list: list[dict] = []
    if agg.followed is not None:
        alt = agg.position if agg.position and agg.position in agg.configs else None
        story_list = write_stories(agg.followed, agg.baseline, alt, agg.story_seed, out / "stories",
                                   agg.language, data.source, agg.reproduced)
    report_path = R.write_report(out / page_name("report", agg.language), R.ReportInput(
        lang=agg.language, summary=agg.summary, costs_summary=agg.costs_summary,
        times_summary=agg.times_summary, charts=charts, stories=story_list, scenarios=agg.scenarios,
        baseline=agg.baseline, position=agg.position, configs=agg.configs, meta=agg.meta,
        chart_data=data, folder=out, warnings=agg.warnings,
        sensitivity=find(sensitivity, agg.language)))
    return {"out": out, "report": report_path, "charts": charts, "failures": agg.runs.failures,
            "warnings": agg.warnings, "summary": agg.summary, "stories": story_list}
