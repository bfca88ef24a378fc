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
*within* when the simulated mean effect lies inside the published interval ``[effect_low_pp,
effect_high_pp]``; a row without a published interval gets ``effect_pp +- max(2 pp, 50% of
|effect_pp|)``, and the output says so. A configuration that several rows share is run once per
seed.

Bad input (a malformed file, an unknown scenario or key, a value out of range, ...) stops the
command before any simulation with one line that names the file, line, row id, column, value and
what is allowed, and points to the schema document; exit code 2; no folder is made.

The output folder (written atomically) holds ``effects_vs_model.csv`` (one row per effect),
``effects_by_seed.csv`` (the arms and their difference per seed), ``effects_vs_model.png`` (the
published range and the model's effect per row), ``report.md``, ``validate.json`` (file sha256,
settings, seeds, configurations, provenance) and a copy of the effects file.

The module's API, for other tools:

- :func:`read_effects` reads and checks a file (raises :class:`model.errors.ConfigError`);
- :func:`prepare` composes and validates every arm's configuration (raises ConfigError);
- :func:`run_pairs` runs every (configuration, seed) once, in parallel;
- :func:`summarise` gives one row per effect.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import ConfigError

#: where the schema is described; every error message points to it
SCHEMA_DOC = "docs/effects_schema.md"

#: the columns of a file of published effects, in the shipped file's order (any order is accepted)
COLUMNS: tuple[str, ...] = ("id", "treatment", "control", "cohort", "outcome", "group",
                            "horizon_months", "effect_pp", "effect_low_pp", "effect_high_pp",
                            "design", "mapping", "source")
#: columns that may be left empty (then the default interval applies)
OPTIONAL_VALUES = ("effect_low_pp", "effect_high_pp")

#: study designs a row may name (matched without regard to case)
DESIGNS: tuple[str, ...] = ("RCT", "difference-in-differences", "regression discontinuity",
                            "natural experiment", "before-after cohorts", "meta-analysis")

#: default interval when none is published: effect_pp +- max(DEFAULT_HALF_PP, DEFAULT_HALF_SHARE x
#: |effect_pp|). Why: a study that reports no interval still has one, and for effects of a few
#: points it is rarely narrower than about 2 pp (refugee samples of a few hundred to a few thousand
#: persons); for larger effects the relative precision of such studies is about +-50% (the RCTs
#: of Battisti et al. 2019 and Dahlberg et al. 2024 are marginally to clearly significant)
DEFAULT_HALF_PP = 2.0
DEFAULT_HALF_SHARE = 0.5

#: keys an arm may not set, and why
RESERVED = {
    "seed": "no seed: the command sets the seeds, the same for treatment and control",
    "population.permit_year": "no population.permit_year: the cohort column sets it",
    "population.size": "no population.size: both arms simulate the same cohort (set "
                       "population.size=N on the command line)",
}

DEFAULTS = {"replications": 20, "seed": 0, "population.size": 20000}


def _schema(allowed: str) -> str:
    return f"{allowed} (see {SCHEMA_DOC})"


def _fail(key: str, value, allowed: str) -> ConfigError:
    return ConfigError(key, value, _schema(allowed))


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _looks_like_decimal_comma(text: str) -> bool:
    return bool(re.fullmatch(r"\s*[-+]?\d+,\d+\s*", text or ""))


# ---- one arm: a scenario and overrides -------------------------------------------------------

@dataclass(frozen=True)
class Arm:
    """One side of a paired experiment.

    Attributes:
        text: the cell as written.
        scenario: scenario name (``baseline`` when the cell names none).
        overrides: ``key=value`` model overrides, in the order given.
    """

    text: str
    scenario: str
    overrides: tuple[str, ...]

    def keys(self) -> list[str]:
        return [o.split("=", 1)[0] for o in self.overrides]

    def value_of(self, key: str) -> str | None:
        for o in self.overrides:
            k, v = o.split("=", 1)
            if k == key:
                return v
        return None


def parse_arm(text: str) -> Arm:
    """Read a treatment or control cell: ``SCENARIO``, ``SCENARIO; key=value; ...``,
    ``key=value key=value`` (scenario ``baseline``) or ``scenario=NAME; key=value``. Parts are
    separated by ``;`` or spaces.

    Raises:
        ValueError: saying what is wrong (the caller adds the row and column).
    """
    from experiments.runs.overrides import check_overrides
    from model.config import scenario_names

    tokens = [t for t in re.split(r"[;\s]+", (text or "").strip()) if t]
    if not tokens:
        raise ValueError("a scenario name and/or key=value model overrides")
    scenario, overrides, seen = None, [], {}
    for i, tok in enumerate(tokens):
        if "=" not in tok:
            if i > 0 or scenario is not None:
                raise ValueError(f"{tok!r} is not key=value: a scenario name may come only first")
            scenario = tok
            continue
        key, value = (s.strip() for s in tok.split("=", 1))
        if not key or not value:
            raise ValueError(f"{tok!r}: key=value with both parts")
        if key == "scenario":
            if scenario is not None:
                raise ValueError("the scenario is given twice")
            scenario = value
            continue
        if key in RESERVED:
            raise ValueError(RESERVED[key])
        if key in seen:
            raise ValueError(f"{key} is set twice")
        seen[key] = value
        overrides.append(f"{key}={value}")
    scenario = scenario or "baseline"
    names = scenario_names()
    if scenario not in names:
        raise ValueError(f"scenario {scenario!r} does not exist: one of {', '.join(names)}")
    try:
        check_overrides(overrides)
    except ConfigError as e:
        raise ValueError(str(e)) from None
    return Arm(text=(text or "").strip(), scenario=scenario, overrides=tuple(overrides))


# ---- a row -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Effect:
    """One published effect (a row of the file).

    Attributes:
        id: unique id.
        treatment, control: the two arms.
        cohort: permit year.
        outcome: a :data:`model.outcomes.OUTCOME_NAMES` name.
        group: ``all`` or ``key=value;...`` (normalised).
        horizon: months since the permit.
        effect: published effect (treatment - control), percentage points.
        low, high: the published interval, or None when none is published.
        design, mapping, source: as written.
        line: line in the file (header = 1).
    """

    id: str
    treatment: Arm
    control: Arm
    cohort: int
    outcome: str
    group: str
    horizon: int
    effect: float
    low: float | None
    high: float | None
    design: str
    mapping: str
    source: str
    line: int = 0

    @property
    def published_interval(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def interval(self) -> tuple[float, float]:
        """The interval the row is judged against (published, else the default band)."""
        if self.published_interval:
            return float(self.low), float(self.high)
        half = max(DEFAULT_HALF_PP, DEFAULT_HALF_SHARE * abs(self.effect))
        return self.effect - half, self.effect + half


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _fail(f"{path.name} line {line}", f"byte 0x{data[e.start]:02x}",
                    "a UTF-8 text file (in a spreadsheet: save as 'CSV UTF-8'); this byte is not "
                    "UTF-8, as in a file saved as Windows-1252 or Latin-1") from None


def _outcome_proxy(outcome: str) -> str:
    """A targets-schema quantity with the same denominator (for the group check)."""
    from model.outcomes import BY_NAME

    return {"working_age": "employed", "obliged": "exam_passed"}.get(BY_NAME[outcome].denominator,
                                                                       "own_home")


def read_effects(path: str | Path) -> list[Effect]:
    """Read and check a file of published effects (the checks need no simulation).

    Raises:
        ConfigError: for the first problem, on one line naming the file, line, row id, column,
            value and what is allowed: the file is missing, empty or not UTF-8, looks like a
            spreadsheet's semicolon-separated export with decimal commas, misses a column or has
            an unknown one; a row has an empty or duplicate id, an unknown scenario or key or a
            reserved key in treatment or control, a cohort the model cannot simulate, an unknown
            outcome or group, a horizon outside the simulated horizon, an effect or interval bound
            that is not a number of percentage points (-100 to 100), only one interval bound, a
            lower bound above the upper, an effect outside its interval, an unknown design, or an
            empty mapping or source.
    """
    from experiments.evidence.targets import check_group, cohort_bounds, max_horizon
    from model.outcomes import BY_NAME, OUTCOME_NAMES

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise _fail("effects", str(path), "an existing CSV file of published effects")
    text = _decode(path)
    if not text.strip():
        raise _fail(name, "an empty file", "a header line and at least one row")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip())  # leading blank lines skipped
    header_line = lines[first]
    raw_header = next(csv.reader([header_line]))
    if len(raw_header) == 1 and ";" in raw_header[0]:
        parts = [p.strip().strip('"') for p in raw_header[0].split(";")]
        if set(parts) & set(COLUMNS):
            shown = header_line if len(header_line) <= 60 else header_line[:57] + "..."
            raise _fail(f"{name} line {first + 1}", shown,
                        "columns separated by commas, with a point as decimal separator: this "
                        "file has semicolons between columns (and probably decimal commas), as a "
                        "spreadsheet set to Dutch or another European locale saves CSV; save it as "
                        "'CSV UTF-8 (comma delimited)' with a point as decimal separator")
    body = "\n".join(lines[first:]) + "\n"
    reader = csv.DictReader(io.StringIO(body, newline=""))
    try:
        header = [(h or "").strip() for h in (reader.fieldnames or [])]
    except csv.Error as e:
        raise _fail(f"{name} line 1", None, f"a CSV header ({e})") from None
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise _fail(f"{name} line {first + 1} column {dup[0]}", dup[0], "each column once")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise _fail(f"{name} line {first + 1} column {missing[0]}", None,
                    "a header with the columns " + ", ".join(COLUMNS) + " (in any order)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _fail(f"{name} line {first + 1} column {unknown[0]!r}", unknown[0],
                    "only the columns " + ", ".join(COLUMNS))
    reader.fieldnames = header
    lo_year, hi_year = cohort_bounds()
    top = max_horizon()
    seen: dict[str, int] = {}
    out: list[Effect] = []
    try:
        rows = []
        for raw in reader:
            rows.append((reader.line_num + first, raw))
    except csv.Error as e:
        raise _fail(f"{name} line {reader.line_num + first}", None,
                    f"well-formed CSV ({e})") from None
    for line, raw in rows:
        if None in raw:  # more cells than header columns
            extra = raw[None]
            rid = (raw.get("id") or "").strip()
            raise _fail(f"{name} line {line}" + (f" ({rid})" if rid else "")
                        + f" column {header[-1]} (and cells beyond it)", ",".join(map(str, extra)),
                        f"{len(header)} cells, as in the header; quote a cell that holds a comma "
                        "(a decimal comma or an unquoted list of overrides splits a cell)")
        r = {k: (v or "").strip() for k, v in raw.items()}
        if not any(r.values()):
            continue  # an empty line of separators
        rid = r["id"]
        where = f"{name} line {line}" + (f" ({rid})" if rid else "")

        def bad(column: str, value, allowed: str) -> ConfigError:
            return _fail(f"{where} column {column}", value, allowed)

        def number(column: str, lo: float, hi: float, what: str) -> float:
            v = _number(r[column])
            if v is None or not lo <= v <= hi:
                hint = (" (this looks like a decimal comma: write a point)"
                        if _looks_like_decimal_comma(r[column]) else "")
                raise bad(column, r[column], what + hint)
            return v

        if not rid:
            raise bad("id", rid, "a non-empty id")
        if rid in seen:
            raise bad("id", rid, f"a unique id (also on line {seen[rid]})")
        seen[rid] = line
        cohort = number("cohort", lo_year, hi_year,
                        f"a permit year the model can simulate, {lo_year}-{hi_year}")
        if cohort != int(cohort):
            raise bad("cohort", r["cohort"], f"a whole permit year, {lo_year}-{hi_year}")
        outcome = r["outcome"]
        if outcome not in OUTCOME_NAMES:
            raise bad("outcome", outcome, "an outcome of model/outcomes.py: "
                      + ", ".join(OUTCOME_NAMES))
        try:
            group = check_group(r["group"], _outcome_proxy(outcome))
        except ValueError as e:
            raise bad("group", r["group"], "all, or sex=, origin=, education=, age=LOW-HIGH "
                                           f"joined by ';' ({e})") from None
        horizon = number("horizon_months", 1, top,
                         f"a whole number of months since the permit, 1-{top} (the longest "
                         "horizon the model simulates)")
        if horizon != int(horizon):
            raise bad("horizon_months", r["horizon_months"],
                      f"a whole number of months since the permit, 1-{top}")
        effect = number("effect_pp", -100, 100, "a number of percentage points, -100 to 100")
        low = high = None
        if r["effect_low_pp"] or r["effect_high_pp"]:
            for c in OPTIONAL_VALUES:
                if not r[c]:
                    raise bad(c, r[c], "both effect_low_pp and effect_high_pp, or neither (then "
                                       "the default interval applies)")
            low = number("effect_low_pp", -100, 100, "a number of percentage points, -100 to 100")
            high = number("effect_high_pp", -100, 100,
                          "a number of percentage points, -100 to 100")
            if low > high:
                raise bad("effect_low_pp", r["effect_low_pp"],
                          f"a lower bound at most effect_high_pp ({r['effect_high_pp']})")
            if not low <= effect <= high:
                raise bad("effect_pp", r["effect_pp"],
                          f"a value inside its interval [{r['effect_low_pp']}, "
                          f"{r['effect_high_pp']}]")
        design = next((d for d in DESIGNS if d.lower() == r["design"].lower()), None)
        if design is None:
            raise bad("design", r["design"], "one of " + ", ".join(DESIGNS))
        for c in ("mapping", "source"):
            if not r[c]:
                raise bad(c, r[c], "a sentence: " + (
                    "how faithfully treatment and control express the published design"
                    if c == "mapping" else "the citation of the published effect"))
        arms = {}
        for c in ("treatment", "control"):
            try:
                arms[c] = parse_arm(r[c])
            except ValueError as e:
                raise bad(c, r[c], f"a scenario name and/or key=value model overrides: {e}") from None
            h = arms[c].value_of("population.horizon_months")
            if h is not None and (_number(h) or 0) < horizon:
                raise bad("horizon_months", r["horizon_months"],
                          f"a horizon within the simulated one: the {c} sets "
                          f"population.horizon_months={h}")
        out.append(Effect(id=rid, treatment=arms["treatment"], control=arms["control"],
                          cohort=int(cohort), outcome=outcome, group=group, horizon=int(horizon),
                          effect=effect, low=low, high=high, design=design, mapping=r["mapping"],
                          source=r["source"], line=line))
    if not out:
        raise _fail(name, "no rows", "at least one row of a published effect under the header")
    return out


# ---- configurations --------------------------------------------------------------------------

@dataclass
class Plan:
    """Every arm's configuration, shared where identical.

    Attributes:
        effects: the rows.
        configs: config key -> validated RunConfig (seed 0).
        arm_key: (row id, ``treatment``/``control``) -> config key.
        arm_spec: config key -> (scenario, overrides, cohort) of the first arm that uses it.
        needs: config key -> the (outcome, group, month) values to read from its runs.
        overrides: the command line's model overrides (apply to both arms of every row).
    """

    effects: list[Effect]
    configs: dict = field(default_factory=dict)
    arm_key: dict = field(default_factory=dict)
    arm_spec: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)
    overrides: tuple[str, ...] = ()

    def uses(self, key: str) -> list[str]:
        return [f"{rid}:{side}" for (rid, side), k in self.arm_key.items() if k == key]


def _config_id(cfg) -> str:
    d = cfg.to_dict()
    d.pop("seed", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:12]


def prepare(effects: list[Effect], overrides=(), file_name: str = "effects") -> Plan:
    """Compose and validate the configuration of every arm (nothing is simulated).

    The command line's ``overrides`` come first, then the arm's own (which win), then the cohort
    (``population.permit_year``) and, unless set, ``population.horizon_months``: the longest
    horizon among the rows of that cohort (a shorter horizon changes no earlier month), so that
    arms written alike in different rows share one configuration.

    Raises:
        ConfigError: for a bad override, or an arm the model rejects (naming the row and column),
            or a horizon beyond a horizon set on the command line.
    """
    from experiments.runs.compose import load

    overrides = tuple(overrides)
    cli = dict(o.split("=", 1) for o in overrides)
    for k in ("population.permit_year", "seed", "scenario"):
        if k in cli:
            raise _fail(k, cli[k], "no value on the command line: " + {
                "population.permit_year": "each row's cohort sets the permit year",
                "seed": "seed= is the first seed (read by the command itself)",
                "scenario": "each row's treatment and control name their scenario"}[k])
    if "population.horizon_months" in cli:
        h = _number(cli["population.horizon_months"]) or 0
        for e in effects:
            if e.horizon > h:
                raise _fail(f"{file_name} line {e.line} ({e.id}) column horizon_months", e.horizon,
                            f"a horizon within the simulated one (population.horizon_months="
                            f"{cli['population.horizon_months']} on the command line)")
    longest = {}
    for e in effects:
        longest[e.cohort] = max(longest.get(e.cohort, 12), e.horizon)
    plan = Plan(effects=effects, overrides=overrides)
    composed: dict[tuple, str] = {}
    for e in effects:
        for side in ("treatment", "control"):
            arm: Arm = getattr(e, side)
            merged = dict(cli)
            merged.update(dict(o.split("=", 1) for o in arm.overrides))
            merged["population.permit_year"] = str(e.cohort)
            merged.setdefault("population.horizon_months", str(longest[e.cohort]))
            spec = (arm.scenario, tuple(f"{k}={v}" for k, v in merged.items()))
            if spec not in composed:
                try:
                    cfg = load(spec[0], list(spec[1]))
                except ConfigError as err:
                    raise _fail(f"{file_name} line {e.line} ({e.id}) column {side}", arm.text,
                                f"a scenario and overrides the model accepts: {err}") from None
                key = _config_id(cfg)
                plan.configs.setdefault(key, cfg)
                plan.arm_spec.setdefault(key, {"scenario": arm.scenario,
                                               "overrides": list(spec[1])})
                composed[spec] = key
            key = composed[spec]
            plan.arm_key[(e.id, side)] = key
            need = (e.outcome, e.group, e.horizon)
            if need not in plan.needs.setdefault(key, []):
                plan.needs[key].append(need)
    return plan


# ---- running ---------------------------------------------------------------------------------

def run_one(config_dict: dict, needs: list[tuple[str, str, int]]) -> list[float]:
    """Simulate one configuration (with its seed) and read the values ``needs`` asks for
    (outcome, group, months since the permit); NaN where the group has nobody then. Runs in a
    worker process."""
    import logging

    logging.getLogger("MESA").setLevel(logging.WARNING)
    from experiments.evidence.targets import CohortRun, model_value
    from model.config import build
    from model.model import simulate

    result = simulate(build(config_dict))
    run = CohortRun(result=result, persons=None)
    return [model_value(run, o, g, int(m)) for o, g, m in needs]


def _task(key: str, config_dict: dict, needs: list, seed: int):
    start = time.perf_counter()
    values = run_one(config_dict, needs)
    return key, seed, values, time.perf_counter() - start


def run_pairs(plan: Plan, seeds: list[int], n_jobs: int = 1, log=print) -> dict:
    """Run every configuration of ``plan`` on every seed, once each.

    Returns:
        (config key, seed) -> {(outcome, group, month): value}.
    """
    tasks = []
    for key, cfg in plan.configs.items():
        base = cfg.to_dict()
        for s in seeds:
            d = dict(base)
            d["seed"] = int(s)
            tasks.append((key, d, plan.needs[key], int(s)))
    out, done = {}, 0
    if n_jobs > 1 and len(tasks) > 1:
        from joblib import Parallel, delayed

        gen = Parallel(n_jobs=min(n_jobs, len(tasks)), return_as="generator_unordered",
                       batch_size=1)(delayed(_task)(*t) for t in tasks)
    else:
        gen = (_task(*t) for t in tasks)
    for key, seed, values, secs in gen:
        out[(key, seed)] = dict(zip(map(tuple, plan.needs[key]), values))
        done += 1
        if log:
            log(f"  run {done}/{len(tasks)}: config {key}, seed {seed} ({secs:.1f} s)")
    return out


def per_seed(plan: Plan, values: dict, seeds: list[int]) -> pd.DataFrame:
    """One row per effect and seed: the treatment's and the control's value and their difference."""
    rows = []
    for e in plan.effects:
        need = (e.outcome, e.group, e.horizon)
        tk, ck = plan.arm_key[(e.id, "treatment")], plan.arm_key[(e.id, "control")]
        for s in seeds:
            t, c = values[(tk, s)][need], values[(ck, s)][need]
            rows.append({"id": e.id, "seed": int(s), "treatment_value": t, "control_value": c,
                         "effect_pp": t - c})
    return pd.DataFrame(rows, columns=["id", "seed", "treatment_value", "control_value",
                                       "effect_pp"])


def summarise(effects: list[Effect], by_seed: pd.DataFrame) -> pd.DataFrame:
    """One row per effect: published effect and interval, the model's mean paired effect and its
    90% interval over seeds (5th-95th percentile), the arms' levels, and whether the model's mean
    lies inside the interval the row is judged against."""
    rows = []
    for e in effects:
        s = by_seed[by_seed["id"] == e.id]
        d = s["effect_pp"].to_numpy(float)
        ok = np.isfinite(d)
        d = d[ok]
        mean = float(d.mean()) if len(d) else float("nan")
        p5, p95 = np.percentile(d, [5, 95]) if len(d) else (float("nan"),) * 2
        lo, hi = e.interval
        within = bool(np.isfinite(mean) and lo - 1e-9 <= mean <= hi + 1e-9)
        rows.append({
            "id": e.id, "design": e.design, "outcome": e.outcome, "group": e.group,
            "cohort": e.cohort, "horizon_months": e.horizon,
            "effect_pp": e.effect, "effect_low_pp": e.low, "effect_high_pp": e.high,
            "judged_low_pp": round(lo, 3), "judged_high_pp": round(hi, 3),
            "interval_source": ("published" if e.published_interval else
                                f"default: effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
                                f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|)"),
            "model_effect_pp": round(mean, 3),
            "model_p5_pp": round(float(p5), 3), "model_p95_pp": round(float(p95), 3),
            "model_treatment": round(float(np.nanmean(s["treatment_value"])), 3) if ok.any() else float("nan"),
            "model_control": round(float(np.nanmean(s["control_value"])), 3) if ok.any() else float("nan"),
            "seeds": int(len(d)),
            "within": "yes" if within else "no",
            "error_pp": round(mean - e.effect, 3),
            "treatment": e.treatment.text, "control": e.control.text,
            "mapping": e.mapping, "source": e.source,
        })
    return pd.DataFrame(rows)


# ---- outputs ---------------------------------------------------------------------------------

def chart(table: pd.DataFrame, path: Path, title: str, footnote: str) -> None:
    """Dot-and-interval chart: one line per effect, the published range (grey bar, black dot at
    the published effect; hatched where the range is the default band) and the model's mean
    paired effect with its 90% interval over seeds (green inside the range, red outside)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    n = len(table)
    top_in, row_in, bottom_in = 1.35, 0.5, 1.05  # title and legend; per row; axis label and note
    fig_h = top_in + row_in * n + bottom_in
    fig, ax = plt.subplots(figsize=(11.5, fig_h))
    fig.subplots_adjust(left=0.27, right=0.97, top=1 - top_in / fig_h, bottom=bottom_in / fig_h)
    ok_c, miss_c = "#1a7f5a", "#c0392b"
    labels = []
    for i, r in enumerate(table.itertuples()):
        y = n - 1 - i
        published = r.interval_source == "published"
        ax.barh(y + 0.13, r.judged_high_pp - r.judged_low_pp, left=r.judged_low_pp, height=0.26,
                color="#c9c9c9" if published else "#ececec", edgecolor="#9a9a9a",
                hatch=None if published else "////", linewidth=0.6, zorder=2)
        ax.plot(r.effect_pp, y + 0.13, "o", color="#222222", ms=5, zorder=4)
        if np.isfinite(r.model_effect_pp):
            col = ok_c if r.within == "yes" else miss_c
            ax.errorbar(r.model_effect_pp, y - 0.17,
                        xerr=[[max(r.model_effect_pp - r.model_p5_pp, 0)],
                              [max(r.model_p95_pp - r.model_effect_pp, 0)]],
                        fmt="D", color=col, ms=5.5, elinewidth=1.4, capsize=3, zorder=5,
                        mfc=col if r.within == "yes" else "white")
        group = "" if r.group == "all" else f", {r.group}"
        labels.append(f"{r.id}\n{r.outcome}{group}, {r.horizon_months} m, {r.cohort} cohort")
    ax.set_yticks(range(n))
    ax.set_yticklabels(labels[::-1], fontsize=8)
    ax.axvline(0, color="#555555", lw=0.8, zorder=1)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("Effect: treatment minus control (percentage points)", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=8.5)
    k = int((table.within == "yes").sum())
    handles = [
        Line2D([], [], marker="o", color="#222222", ls="none", ms=5, label="Published effect"),
        Patch(facecolor="#c9c9c9", edgecolor="#9a9a9a", label="Published interval"),
        Patch(facecolor="#ececec", edgecolor="#9a9a9a", hatch="////",
              label="No interval published: default band"),
        Line2D([], [], marker="D", color=ok_c, ms=5.5,
               label="Model: mean paired effect, 90% over seeds, inside"),
        Line2D([], [], marker="D", color=miss_c, mfc="white", ms=5.5, label="Model: outside"),
    ]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.72 / fig_h),
               ncol=3, fontsize=8, frameon=False)
    fig.suptitle(title + f": {k} of {n} within their published interval", fontsize=11,
                 y=1 - 0.18 / fig_h, va="top")
    fig.text(0.01, 0.08 / fig_h, textwrap.fill(footnote, 190), fontsize=7, color="#444444",
             va="bottom")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(table: pd.DataFrame, meta: dict) -> str:
    """The markdown report."""
    n, k = len(table), int((table.within == "yes").sum())
    default = table[table.interval_source != "published"]
    lines = [f"# Effect validation against {meta['effects']['file']}", "",
             f"{meta['replications']} seeds ({meta['seeds'][0]}-{meta['seeds'][-1]}) x "
             f"{meta['population_size']:,} persons per arm; treatment and control on the same "
             f"seeds (common random numbers); nothing fitted. {meta['runs']} runs for "
             f"{len(table)} rows ({meta['configurations']} distinct configurations). Effects file "
             f"sha256 `{meta['effects']['sha256'][:16]}...`."
             + (f" Command-line overrides: `{' '.join(meta['overrides'])}`." if meta['overrides']
                else ""), "",
             f"**{k} of {n} published effects within their published interval.**", ""]
    if len(default):
        lines += [f"{len(default)} row(s) have no published interval and are judged against the "
                  f"default band effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
                  f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|): "
                  + ", ".join(f"`{i}`" for i in default.id) + ".", ""]
    miss = table[table.within != "yes"]
    if len(miss):
        lines += ["Outside: " + ", ".join(f"`{r.id}` (model {r.model_effect_pp:+.1f} pp vs "
                                          f"{r.judged_low_pp:+.1f} to {r.judged_high_pp:+.1f})"
                                          for r in miss.itertuples()), ""]
    lines += ["| id | design | outcome, group | cohort | month | published pp (interval) | "
              "model pp (90% over seeds) | control -> treatment % | within |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        iv = (f"{r.judged_low_pp:+.1f} to {r.judged_high_pp:+.1f}"
              + ("" if r.interval_source == "published" else ", default"))
        lines.append(f"| {r.id} | {r.design} | {r.outcome}, {r.group} | {r.cohort} | "
                     f"{r.horizon_months} | {r.effect_pp:+g} ({iv}) | {r.model_effect_pp:+.1f} "
                     f"({r.model_p5_pp:+.1f} to {r.model_p95_pp:+.1f}) | {r.model_control:.1f} -> "
                     f"{r.model_treatment:.1f} | {'yes' if r.within == 'yes' else 'NO'} |")
    lines += ["", "## Rows: how each published design is expressed", ""]
    for r in table.itertuples():
        lines += [f"- **{r.id}** ({r.design}). Treatment `{r.treatment}`; control `{r.control}`. "
                  f"{r.mapping} Source: {r.source}"]
    lines += ["", "## How to read this", "",
              "- Each row is a paired experiment: the treatment and the control arm are simulated "
              "for the row's cohort on the same seeds, with the same parameters (the fitted set; "
              "lever strengths at their declared defaults), and compared at the row's month since "
              "the permit. The effect is treatment minus control in percentage points (index "
              "points for belonging).",
              "- Model effect = mean over seeds of the paired difference; the 90% interval is the "
              "5th-95th percentile of the paired differences over seeds: chance variation of a "
              "cohort of this size only, not uncertainty in parameters, lever strengths or the "
              "model's structure.",
              "- Within: the model's mean effect lies inside the published interval (or, where "
              "none is published, inside the default band, marked *default*). A miss says the "
              "model and the study disagree *as mapped*: read the mapping sentence before reading "
              "the miss as a fault of either.",
              "- Pilots and RCTs are mapped with `policy.scope=pilot` (only this cohort gets the "
              "policy, no displacement of other newcomers); national reforms with the default "
              "`national` scope.",
              f"- Schema and rules: `{SCHEMA_DOC}`.", ""]
    return "\n".join(lines)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---- the command -----------------------------------------------------------------------------

def _positive_int(key: str, text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = None
    if v is None or v < 1:
        raise _fail(key, text, "a whole number >= 1")
    return v


def _path(key: str, text: str) -> str:
    if not text.strip():
        raise _fail(key, text, "a file or folder path")
    return text


def _refuse(key: str, text: str):
    why = {"targets": "effects=FILE or targets=FILE, not both",
           "tolerance_pp": "no tolerance_pp with effects=: each row is judged against its "
                           "published interval"}[key]
    raise _fail(key, text, why)


OWN = {"effects": _path, "replications": _positive_int, "out": _path, "n_jobs": _positive_int,
       "targets": _refuse, "tolerance_pp": _refuse}


def parse_args(argv: list[str]) -> dict:
    """This command's settings and the model overrides from ``key=value`` arguments.

    Raises:
        ConfigError: for an unknown key, a bad value, or a missing ``effects``.
    """
    from experiments.runs.overrides import split_args

    mine, kv = split_args(argv, OWN)
    if "effects" not in mine:
        raise _fail("effects", None, "effects=PATH to a CSV file of published effects")
    seed = kv.pop("seed", str(DEFAULTS["seed"]))
    if "scenario" in kv:
        raise _fail("scenario", kv["scenario"], "no scenario on the command line: each row's "
                                                "treatment and control name their scenario")
    kv.setdefault("population.size", str(DEFAULTS["population.size"]))
    return {"effects": mine["effects"], "out": mine.get("out"),
            "replications": mine.get("replications", DEFAULTS["replications"]),
            "seed": int(seed), "n_jobs": mine.get("n_jobs", os.cpu_count() or 1),
            "overrides": [f"{k}={v}" for k, v in kv.items()]}


def _unique(folder: Path) -> Path:
    if not folder.exists():
        return folder
    i = 2
    while Path(f"{folder}-{i}").exists():
        i += 1
    return Path(f"{folder}-{i}")


def main(argv: list[str] | None = None) -> Path:
    """``python -m experiments.validate effects=FILE [...]`` (dispatched from
    :func:`experiments.validate.main`)."""
    from experiments.runs.overrides import fail
    from experiments.runs.folders import provenance, staged_folder
    from model.policy import Policy

    argv = sys.argv[1:] if argv is None else argv
    try:
        s = parse_args(argv)
        effects = read_effects(s["effects"])
        plan = prepare(effects, s["overrides"], Path(s["effects"]).name)
    except ConfigError as e:
        fail(e)
    seeds = list(range(s["seed"], s["seed"] + s["replications"]))
    fpath = Path(s["effects"])
    out = Path(s["out"]) if s["out"] else _unique(
        Path("results/validate") / (time.strftime("%Y-%m-%d_%H-%M-%S") + "_effects"))
    size = int(next(iter(plan.configs.values())).population.size)
    n_runs = len(plan.configs) * len(seeds)
    n_jobs = min(s["n_jobs"], max(n_runs, 1))
    print(f"effect validation against {fpath} ({len(effects)} published effects): "
          f"{len(plan.configs)} configurations x {len(seeds)} seeds = {n_runs} runs "
          f"(instead of {2 * len(effects) * len(seeds)} unshared) x {size:,} persons, "
          f"on {n_jobs} process(es)", flush=True)
    start = time.perf_counter()
    try:
        values = run_pairs(plan, seeds, n_jobs, log=lambda m: print(m, flush=True))
    except KeyboardInterrupt:
        raise SystemExit(130)
    by_seed = per_seed(plan, values, seeds)
    table = summarise(effects, by_seed)
    wall = time.perf_counter() - start
    k = int((table.within == "yes").sum())
    meta = {
        "mode": "effects",
        "effects": {"file": fpath.name, "path": str(fpath.resolve()), "sha256": sha256(fpath),
                    "rows": len(effects)},
        "overrides": list(s["overrides"]),
        "calibration": next((o.split("=", 1)[1] for o in s["overrides"]
                             if o.startswith("calibration=")), "the default of conf/config.yaml"),
        "seeds": seeds, "replications": len(seeds), "population_size": size,
        "n_jobs": n_jobs, "runs": n_runs, "configurations": len(plan.configs),
        "configs": {key: {**plan.arm_spec[key], "law": Policy(cfg.policy,
                                                              int(cfg.population.permit_year)).law,
                          "permit_year": int(cfg.population.permit_year),
                          "horizon_months": int(cfg.population.horizon_months),
                          "used_by": plan.uses(key)}
                    for key, cfg in plan.configs.items()},
        "interval": "model: 5th-95th percentile over seeds of the paired difference (chance "
                    "variation only); judged: the published interval, else effect_pp +- "
                    f"max({DEFAULT_HALF_PP:g} pp, {DEFAULT_HALF_SHARE:.0%} of |effect_pp|)",
        "default_interval_rows": table.loc[table.interval_source != "published", "id"].tolist(),
        "within": k, "effects_total": len(table),
        "outside": table.loc[table.within != "yes", "id"].tolist(),
        "schema": SCHEMA_DOC, "wall_seconds": round(wall, 2), **provenance()}
    title = f"Model against published intervention effects ({fpath.name})"
    footnote = (f"Data: {fpath.name} (sha256 {meta['effects']['sha256'][:12]}), one published effect "
                "per row, sources in the file. Model: integration-sim, treatment and control of each "
                f"row on the same {len(seeds)} seeds x {size:,} persons (common random numbers), "
                "nothing fitted; diamond = mean paired effect, bar = 5th-95th percentile over seeds "
                "(chance only). Grey bar: published interval; hatched: none published, default band "
                f"effect +- max({DEFAULT_HALF_PP:g} pp, {DEFAULT_HALF_SHARE:.0%}). Labels: id, "
                "outcome, group, months since permit, cohort. Schema: " + SCHEMA_DOC + ".")
    try:
        with staged_folder(out) as tmp:
            table.to_csv(tmp / "effects_vs_model.csv", index=False)
            by_seed.to_csv(tmp / "effects_by_seed.csv", index=False)
            shutil.copyfile(fpath, tmp / f"effects_{fpath.name}")
            (tmp / "validate.json").write_text(json.dumps(meta, indent=2, default=str))
            (tmp / "report.md").write_text(report(table, meta))
            chart(table, tmp / "effects_vs_model.png", title, footnote)
    except KeyboardInterrupt:
        raise SystemExit(130)
    print(f"\n{'id':<24}{'published':>10}{'interval':>17}{'model':>8}  {'90% over seeds':<17}within")
    for r in table.itertuples():
        iv = f"{r.judged_low_pp:+.1f}..{r.judged_high_pp:+.1f}" + (
            "" if r.interval_source == "published" else "*")
        print(f"{r.id:<24}{r.effect_pp:>+10.1f}{iv:>17}{r.model_effect_pp:>+8.1f}  "
              f"{f'{r.model_p5_pp:+.1f}..{r.model_p95_pp:+.1f}':<17}{r.within}")
    if meta["default_interval_rows"]:
        print(f"* no published interval: default band effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
              f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|)")
    print(f"\n{k} of {len(table)} published effects within their published interval")
    print(f"wrote {out} ({wall:.0f} s)")
    return out


if __name__ == "__main__":
    main()
