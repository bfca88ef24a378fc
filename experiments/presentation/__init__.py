"""What a reader sees: charts (:mod:`.charts`, :mod:`.run_chart`, :mod:`.calibration_charts`,
:mod:`.validation`, :mod:`.patterns`, :mod:`.sensitivity`), persons' stories (:mod:`.stories`),
the comparison's report (:mod:`.report`, put together by :mod:`.publish`) and their words
(:mod:`.i18n`, ``translations/<language>.yaml``).

Reads tables that :mod:`experiments.runs` and :mod:`experiments.evidence` made; imports no command.
"""
