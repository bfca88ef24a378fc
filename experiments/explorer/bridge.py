"""Everything the explorer takes from the rest of ``experiments/``, in one place.

The explorer reuses the comparison's machinery rather than re-implementing it: the comparison's plan
(scenario composition, the ensemble of parameter sets, the lever-strength draws and the seeds),
the tables of a run (the rows its loader keeps of them), the summary
statistics (medians, 90% intervals, paired differences), the evidence check, the persons' stories
and the report's translations. When those modules move, only the imports below change.
"""

from __future__ import annotations

from experiments.presentation import i18n  # noqa: F401  (labels: the report's translations)
from experiments.presentation import stories  # noqa: F401  (persons' stories)
from experiments.runs import summary  # noqa: F401  (medians, 90% intervals, paired differences)
from experiments.runs import persons  # noqa: F401  (the stories' persons, chosen and followed)
from experiments.runs.demands import demand_evidence  # noqa: F401  (the demands' evidence ranges)
from experiments.runs.reading import keep_rows  # noqa: F401  (the rows of a run a comparison keeps)
from experiments.runs.overrides import fail  # noqa: F401  (one error line, exit 2)
from experiments.runs.comparison import make_plan  # noqa: F401
from experiments.runs.jobs import config_hash, model_hash, simulate_with_stages  # noqa: F401
from experiments.runs.folders import costs_table, tidy_outcomes  # noqa: F401  (a run's tables)
