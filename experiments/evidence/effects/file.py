"""A file of published intervention effects: its columns, one arm (a scenario and overrides),
one row, and :func:`read_effects`, which reads and checks a file (schema: ``docs/effects_schema.md``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from model.errors import ConfigError

#: where the schema is described; every error message points to it
SCHEMA_DOC = "docs/effects_schema.md"

#: the columns of a file of published effects, in the shipped file's order (any order is accepted)
COLUMNS: tuple[str, ...] = ("id", "treatment", "control", "cohort", "outcome", "group",
                            "horizon_months", "effect_pp", "effect_low_pp", "effect_high_pp",
                            "design", "mapping", "source")
#: columns that may be left empty (then the default interval applies)
OPTIONAL_VALUES = ("effect_low_pp", "effect_high_pp")
#: columns a file may leave out altogether
OPTIONAL_COLUMNS: tuple[str, ...] = ("interval_basis",)
#: what an interval given in the file rests on (``interval_basis``; empty = published). Why a
#: second kind: many studies report no interval in what can be read (an abstract gives a range of
#: point estimates, "marginally significant", a cumulative effect, or "no difference"), yet each
#: has one; derived by the file's author from what the study does report (for a null result from
#: a small sample, from its group sizes and outcome levels), with the derivation in the row's
#: source or mapping, it says what the study can and cannot exclude, where the default band
#: would claim a precision the study may not have
INTERVAL_BASES: dict[str, str] = {
    "published": "the study's own interval",
    "derived": "derived by the file's author from what the study reports (the row's source or "
               "mapping says how)",
}

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
        low, high: the interval given in the file, or None when none is given.
        design, mapping, source: as written.
        basis: what the interval rests on: ``published``, ``derived`` (see
            :data:`INTERVAL_BASES`), or ``default`` when the file gives none.
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
    basis: str = "published"

    @property
    def has_interval(self) -> bool:
        """An interval is given in the file (published, or derived by the file's author)."""
        return self.low is not None and self.high is not None

    @property
    def interval(self) -> tuple[float, float]:
        """The interval the row is judged against (the file's, else the default band)."""
        if self.has_interval:
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
    unknown = [h for h in header if h not in COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise _fail(f"{name} line {first + 1} column {unknown[0]!r}", unknown[0],
                    "only the columns " + ", ".join(COLUMNS) + ", and optionally "
                    + ", ".join(OPTIONAL_COLUMNS))
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
        basis_text = r.get("interval_basis", "")
        if low is None:
            if basis_text:
                raise bad("interval_basis", basis_text,
                          "empty when effect_low_pp and effect_high_pp are empty (the default "
                          "band then applies)")
            basis = "default"
        else:
            basis = basis_text.lower() or "published"
            if basis not in INTERVAL_BASES:
                raise bad("interval_basis", basis_text,
                          "empty or one of " + ", ".join(INTERVAL_BASES) + " (what the interval "
                          "rests on; empty = published)")
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
                          source=r["source"], line=line, basis=basis))
    if not out:
        raise _fail(name, "no rows", "at least one row of a published effect under the header")
    return out
