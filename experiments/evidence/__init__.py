"""The model against evidence: targets files and the model's value of a target (:mod:`.targets`),
the calibration (:mod:`.calibration`), the validation against a targets file (:mod:`.validation`)
or published intervention effects (:mod:`.effects`), the patterns from the literature
(:mod:`.patterns`) and the global sensitivity analysis (:mod:`.sensitivity`). The commands
calibrate, validate, patterns and sensitivity call these.

Imports :mod:`experiments.runs` and :mod:`model`, never the presentation or a command.
"""
