"""The comparison's numbers: medians and 90% intervals over replications, and paired differences.

Pure functions of tidy tables (no files, no model). Every scenario is run on the same seeds
(common random numbers), so the difference between a scenario and the baseline is taken seed by
seed, and its interval is the interval of those paired differences: this removes the chance
variation the two runs share, which is most of it.

Definitions (tested against a hand computation in ``tests/test_summary.py``):

- ``median``, ``p05``, ``p95``: the median and the 5th and 95th percentiles over replications of a
  scenario's value (a 90% interval), by numpy's default linear interpolation between order
  statistics (Hyndman & Fan type 7); replications where the value is undefined (no one in the
  denominator) are left out and ``n_runs`` counts the rest;
- ``diff_median``, ``diff_p05``, ``diff_p95``: the same over the seeds both the scenario and the
  baseline have, of (scenario - baseline) for each seed; ``n_pairs`` counts those seeds; in
  percentage points for shares, EUR for costs;
- ``share_better``: the share (%) of those seeds in which the scenario beats the baseline, by the
  outcome's ``direction`` (``maximise``: a higher value; ``minimise``: a lower value; ``none``: not
  defined, NaN); a tie is not a win, and ``share_tied`` gives the share of exact ties (common random
  numbers make outcomes a policy cannot reach identical in both runs).
- ``share_chance``, ``share_parameter``, ``share_lever``: where the variance of the paired
  difference comes from (0-1 each, summing to 1 over the sources the design identifies; NaN for
  the others): chance (seeds), the calibrated parameters (an ensemble of fitted parameter sets:
  replication k uses set ``k // seeds_per_set``) and lever strength (drawn per replication: draw
  ``k // (seeds_per_set * sets_per_draw)``), each the same in every scenario of a replication.
  The design is nested (seeds within parameter sets within lever draws) and the split is the
  method-of-moments estimate of a nested random-effects model (:func:`variance_components`); with
  only parameter sets or only lever draws it is the one-way split (:func:`variance_split`). A
  source that does not vary in the runs has no share (NaN); all three are NaN when nothing varies
  but the seed (the spread is then all chance) or when the split is not identifiable (one seed per
  group, or fewer than two groups).

The baseline's own rows carry no difference (NaN).

Participation and its parts: ``participating`` (the client's headline) is paid work, education or
other participation, and a person can be in more than one (a working student). Three exclusive
parts add up to the whole (:data:`PARTS`): paid work (``employed``), education without paid work
(``education_only``) and other participation only (``other_only``). Runs whose recorder counts the
two parts (``model/outcomes.py``) are used as they are; for runs made before, :func:`add_parts`
derives them: ``education_only`` = participating - employed - volunteering and ``other_only`` =
volunteering. That rests on a rule of the model, that other participation is held only by those
neither in work nor in education (``model/pathways/belonging.py`` ends it at once when a person
starts either, and it is the last pathway of the month, so the recorder sees the rule hold);
:func:`parts_check` tests the parts on every row.

The package, by job: :mod:`.parts` (participation and its parts), :mod:`.variance` (where the
spread comes from), :mod:`.paired` (medians, intervals, paired differences of outcomes, costs and
times) and :mod:`.evidence` (the whole against its parts; the model against the evidence).
"""

from experiments.runs.summary.evidence import EVIDENCE_COLUMNS, evidence_check, sum_of_singles
from experiments.runs.summary.paired import (EARNINGS, HIGH, LOW, SUMMARY_COLUMNS, TABLE_YEARS,
                                             YEARS, band, cost_direction, months_to_half,
                                             nan_percentile_rows, order_scenarios, paired_summary,
                                             summarise_costs, summarise_outcomes, summarise_times)
from experiments.runs.summary.parts import DERIVED, PARTS, add_parts, outcome_info, parts_check
from experiments.runs.summary.variance import (SHARES, share_parameter, variance_components,
                                               variance_shares, variance_split)

__all__ = ["DERIVED", "EARNINGS", "EVIDENCE_COLUMNS", "HIGH", "LOW", "PARTS", "SHARES", "SUMMARY_COLUMNS",
           "TABLE_YEARS", "YEARS", "add_parts", "band", "cost_direction", "evidence_check",
           "months_to_half", "nan_percentile_rows", "order_scenarios", "outcome_info", "paired_summary",
           "parts_check", "share_parameter", "sum_of_singles", "summarise_costs", "summarise_outcomes",
           "summarise_times", "variance_components", "variance_shares", "variance_split"]
