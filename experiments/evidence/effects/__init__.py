"""Effect validation: hold the model against a file of published intervention effects.

Run (through :mod:`experiments.validate`)::

    python -m experiments.validate effects=model/data/published_effects.csv
    python -m experiments.validate effects=my_effects.csv replications=10 population.size=5000 \\
        out=results/validate/effects n_jobs=2 params.work.base_rate=0.08

A file of published effects is a CSV with one row per published effect (the schema, with examples,
is in ``docs/effects_schema.md``): which treatment and which control the model should compare
(a scenario from ``scenarios/`` and/or ``key=value`` model overrides), for which permit cohort, on
which outcome and group, how many months after the permit, and the published effect (treatment
minus control, in percentage points) with its interval, the study design, how faithfully the
model expresses the design (``mapping``), and the citation.

Each row is a paired experiment. Treatment and control are simulated for the same cohort on the
same seeds (common random numbers: ``seed=k`` for k in ``seed .. seed + replications - 1``, the
same for both arms) with the same parameters (the fitted parameter set, lever strengths at their
declared defaults, and any ``key=value`` given on the command line). The simulated effect is the
mean over seeds of the paired difference treatment - control at the horizon; its 90% interval is
the 5th-95th percentile of the paired differences over seeds (chance variation only). A row is
*within* when the simulated mean effect lies inside the file's interval ``[effect_low_pp,
effect_high_pp]`` (published, or derived by the file's author from what the study reports when
the optional column ``interval_basis`` says ``derived``); a row without an interval gets
``effect_pp +- max(2 pp, 50% of |effect_pp|)``, and the output says which rows rest on what. A
configuration that several rows share is run once per seed.

Bad input (a malformed file, an unknown scenario or key, a value out of range, ...) stops the
command before any simulation with one line that names the file, line, row id, column, value and
what is allowed, and points to the schema document; exit code 2; no folder is made.

The output folder (written atomically) holds ``effects_vs_model.csv`` (one row per effect),
``effects_by_seed.csv`` (the arms and their difference per seed), ``effects_vs_model.png`` (the
published range and the model's effect per row), ``report.md``, ``validate.json`` (file sha256,
settings, seeds, configurations, provenance) and a copy of the effects file.

The package, by job:

- :mod:`.file` reads and checks a file (:func:`read_effects`, raises :class:`model.errors.ConfigError`);
- :mod:`.pairs` composes and validates every arm's configuration (:func:`prepare`, raises
  ConfigError) and runs every (configuration, seed) once, in parallel (:func:`run_pairs`);
- :mod:`.summary` gives one row per effect (:func:`summarise`) and writes the tables;
- the chart and ``report.md`` are drawn by :mod:`experiments.presentation.validation`, and the
  command is :mod:`experiments.validate`.
"""

from experiments.evidence.effects.file import (COLUMNS, DEFAULT_HALF_PP, DEFAULT_HALF_SHARE,
                                               DESIGNS, INTERVAL_BASES, OPTIONAL_COLUMNS,
                                               SCHEMA_DOC, Arm, Effect, parse_arm, read_effects)
from experiments.evidence.effects.pairs import Plan, per_seed, prepare, run_one, run_pairs
from experiments.evidence.effects.summary import summarise

__all__ = ["COLUMNS", "DEFAULT_HALF_PP", "DEFAULT_HALF_SHARE", "DESIGNS", "INTERVAL_BASES",
           "OPTIONAL_COLUMNS", "SCHEMA_DOC", "Arm", "Effect",
           "Plan", "parse_arm", "per_seed", "prepare", "read_effects", "run_one", "run_pairs", "summarise"]
