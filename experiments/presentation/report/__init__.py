"""The comparison's report: one self-contained HTML file, in English or Dutch.

Charts are embedded as base64 PNG, styles are inline, there are no scripts and no external
addresses: the file opens offline in any browser and can be mailed as it is. Every number in it is
read from the comparison's tables (``summary.csv``, ``costs_summary.csv``, ``times_summary.csv``),
which are computed from the run folders of the same comparison; the text around the numbers is
generated from them, so it cannot drift from the tables.

The plain-language summary states each effect's size (median of the paired difference from the
baseline) and uncertainty (its 90% interval over replications, and how often the scenario did
better), the levers that drive it with their sources (and which of them are assumptions), and the
provenance (code version, packages, seeds, settings).

The package, by job: :mod:`.inputs` (what the report is made from), :mod:`.numbers` (numbers and
assumptions in words), :mod:`.summary` (the plain-language summary), :mod:`.sections` and
:mod:`.tables` (the report's parts), :mod:`.methods` (how to read the numbers) and :mod:`.page`
(the page and the order of its sections).
"""

from experiments.presentation.report.inputs import ReportInput
from experiments.presentation.report.numbers import spread_sentence
from experiments.presentation.report.page import write_report
from experiments.presentation.report.sections import evidence_html

__all__ = ["ReportInput", "evidence_html", "spread_sentence", "write_report"]
