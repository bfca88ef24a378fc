"""Charts of a scenario comparison, in English or Dutch, as PNG and SVG.

Every chart has a title, axis labels with units, a source-and-assumptions line, and shows its
uncertainty: bands and whiskers are 90% intervals over replications (5th to 95th percentile); the
effects are paired differences from the baseline on the same seeds. Each scenario keeps one colour,
line style and marker in every chart (:func:`style`), so it can be followed across charts and
told apart in greyscale.

Charts:

a. ``a1_participation``: participation (paid work, education or other participation) over time, one
   panel per scenario, its three exclusive parts stacked (they add up to the whole: see
   :data:`experiments.runs.summary.PARTS`; the plotted numbers are in ``a1_participation.csv``), with the
   baseline as a reference; ``a2_employment``: employment over time, one panel per scenario, with
   the baseline as a reference and CBS's published points on the baseline's panel;
b. ``b_effects``: forest plot of each scenario's effect after 3 and 5 years;
c. ``c_stages``: how the working-age cohort is spread over the stages, baseline and full position;
d. ``d_groups`` (full position by sex, origin, age and education) and ``d_groups_all`` (every
   scenario by every group): so that nobody's loss hides in an average;
e. ``e_costs``: public costs by item against earnings, per person over ten years, and the
   differences from the baseline;
f. ``f_first_job``: time to the first job as survival curves (share still without a first job).
g. ``g_evidence``: each demand's effect against the range its evidence supports;
h. ``h_full_vs_sum``: the full position against the sum of its single demands.

One module per family: :mod:`.layout` (what every chart shares), :mod:`.over_time` (a1, a2, c,
f), :mod:`.effects` (b, b2, b3, d), :mod:`.costs` (e) and :mod:`.evidence` (g, h).
"""

from __future__ import annotations

from pathlib import Path

from experiments.presentation.charts.costs import costs_chart
from experiments.presentation.charts.effects import (all_outcomes, effects_by_group, effects_by_group_all,
                                                     effects_by_year, effects_forest)
from experiments.presentation.charts.evidence import evidence_chart, full_vs_sum_chart
from experiments.presentation.charts.layout import ChartData, Style, cost_items, style
from experiments.presentation.charts.over_time import (employment_over_time, first_job_survival,
                                                       participation_over_time, stages_over_time)

__all__ = ["ChartData", "Style", "all_charts", "cost_items", "style"]


def all_charts(d: ChartData, out: Path) -> dict[str, list[Path]]:
    """Draw every chart into ``out``; returns chart name -> files (charts without data are left
    out)."""
    out.mkdir(parents=True, exist_ok=True)
    made = {
        "a1_participation": participation_over_time(d, out),
        "a2_employment": employment_over_time(d, out),
        "b_effects": effects_forest(d, out) if len(d.scenarios) > 1 else None,
        "b2_effects_by_year": effects_by_year(d, out) if len(d.scenarios) > 1 else None,
        "b3_all_outcomes": all_outcomes(d, out) if len(d.scenarios) > 1 else None,
        "c_stages": stages_over_time(d, out),
        "d_groups": effects_by_group(d, out) if d.position and d.position != d.baseline else None,
        "d_groups_all": effects_by_group_all(d, out) if len(d.scenarios) > 1 else None,
        "e_costs": costs_chart(d, out),
        "f_first_job": first_job_survival(d, out),
        "g_evidence": evidence_chart(d, out),
        "h_full_vs_sum": full_vs_sum_chart(d, out),
    }
    return {k: v for k, v in made.items() if v}
