"""The model against evidence: targets files and the model's value of a target (:mod:`.targets`),
published intervention effects (:mod:`.effects`) and the global sensitivity analysis
(:mod:`.sensitivity`). The calibration, validation and pattern commands use these.

Imports :mod:`experiments.runs` and :mod:`model`, never the presentation or a command.
"""
