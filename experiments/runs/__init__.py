"""Running and storing runs: one run's folder (:mod:`.jobs`, :mod:`.folders`), composing a run as
the command line does (:mod:`.compose`, :mod:`.overrides`), a comparison's plan and the reuse of
finished runs (:mod:`.comparison`), reading run folders into tables (:mod:`.reading`,
:mod:`.demands`, :mod:`.aggregate`, :mod:`.summary`) and following persons for the stories
(:mod:`.persons`).

Imports only :mod:`model` (and itself): nothing here draws. Its only words are the aggregation's
warnings and the persona descriptions, in English and Dutch (they sit below the translation files).
"""
