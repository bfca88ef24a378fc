"""Targets files: their schema, and reading and checking them.

A targets file is a CSV that follows the schema in ``docs/targets_schema.md`` (:data:`SCHEMA_DOC`;
the shipped ``model/data/calibration_targets.csv`` is one). This module is shared by validation
(:mod:`experiments.validate`) and calibration; its API is small:

- :func:`read_targets` reads and checks a file; every problem is a one-line
  :class:`model.errors.ConfigError` naming the line, the column, the value and what is allowed,
  and pointing to the schema document;
- :func:`cohort_overrides` gives the config overrides that simulate one cohort of a file.

The model's value for each target (running the cohorts, comparing) is
:mod:`experiments.evidence.target_values`.

Definitions (the schema's, so that model and data mean the same thing):

- **Denominators.** ``employed`` and ``benefit`` count people present and aged 18-64 at the
  measurement date; ``exam_passed`` and ``exam_exempted`` count those present with an integration
  obligation; ``own_home``, ``permanent_permit``, ``naturalised`` and ``left`` count everyone in the
  cohort whose permit has begun (including those who left). ``in_education`` is the one exception:
  the schema counts everyone, but the model records education for ages 18-64 only, so the model's
  value is the share of those aged 18-64 (:data:`DENOMINATORS`; flagged in the output).
- **Groups.** ``all`` or ``key=value`` parts joined by ``;`` (``origin=Syria;sex=female``), as
  :func:`model.outcomes.group_mask` reads them. ``age=LOW-HIGH`` is age at the measurement date in
  whole years, both ends included (:func:`age_range`): ``age=18-23`` counts those aged at least 18
  and not yet 24; ``age=LOW+`` has no upper age. Any range of whole years is allowed: one on the
  model's own age groups (0-17, 18-24, 25-34, 35-44, 45-54, 55-64, 65+) is read from the counts
  every run keeps, any other from counts by the range's own ages
  (:func:`experiments.evidence.target_values.run_cohort`).
- **Clocks.** ``months_since_permit`` counts from each person's own permit (family members: from
  arrival), as CBS's cohort tables do. A row whose ``population`` text says the months count
  *since entering reception* (it matches :data:`RECEPTION_CLOCK`, as the shipped housing rows do:
  "months since entering reception") is measured on the reception clock instead. Only
  ``own_home`` can be measured on that clock (from the persons' ``ti_reception``, ``ti_housed`` and
  ``ti_left``). Its population: persons of the simulated permit cohort who themselves entered
  reception (not family members who arrived later through reunification) during the cohort's
  calendar year (model months 0-11), measured ``months_since_permit`` months after that entry;
  the denominator is all of them, including any who left. An approximation, stated: the model
  simulates a *permit* cohort, so entrants of the year whose permit came only the next year are
  missing from it.
- **Tolerance.** A row's ``tolerance_pp`` if given, else :data:`DEFAULT_TOLERANCE_PP` (2.5 pp; the
  reason is in its comment). A target is within tolerance when ``|model mean - value| <=
  tolerance``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from model.errors import ConfigError
from model.outcomes import AGE_EDGES, AGE_GROUPS, WORKING_AGES, group_mask

#: quantities a targets file may name (the schema's list)
QUANTITIES: tuple[str, ...] = ("employed", "benefit", "in_education", "exam_passed",
                               "exam_exempted", "own_home", "permanent_permit", "naturalised", "left")

#: the denominator of each quantity (cube columns of :class:`model.outcomes.Recorder`): the same
#: as :data:`model.outcomes.OUTCOMES` declares (tests/test_targets.py checks)
DENOMINATORS: dict[str, str] = {
    "employed": "working_age", "benefit": "working_age",
    "in_education": "working_age",  # schema: everyone; the model records 18-64 only (see above)
    "exam_passed": "obliged", "exam_exempted": "obliged",
    "own_home": "cohort", "permanent_permit": "cohort", "naturalised": "cohort", "left": "cohort",
}
DENOMINATOR_TEXT = {"working_age": "present, aged 18-64", "obliged": "present, with an obligation",
                    "cohort": "everyone in the cohort whose permit has begun"}

#: the document that describes a targets file; every error about one points to it
SCHEMA_DOC = "docs/targets_schema.md"

REQUIRED_COLUMNS = ("target", "quantity", "cohort", "group", "months_since_permit", "value_pct")
OPTIONAL_COLUMNS = ("tolerance_pp", "population", "measure", "source", "verification")

#: Default tolerance (percentage points) for rows without ``tolerance_pp``. Why 2.5 pp: (1) the
#: published figures are rounded and many are press reports of CBS tables ("secondary"), and
#: figures for the same cohort and horizon differ between sources by 1-2 pp (1.4% vs 1.5% at 12
#: months; a measurement at a date versus in a month); (2) the model's own chance variation for a
#: cohort of the real size (~20 thousand) is well under 1 pp for the whole cohort; (3) the policy
#: effects the model is used to compare are of a few points (Hainmueller et al. 2016: 4-5 pp per
#: year of waiting), so a baseline off by more than about half that cannot be trusted to rank them.
#: For small shares (a few percent) 2.5 pp is generous: read the relative error there too.
DEFAULT_TOLERANCE_PP = 2.5

PERMIT, RECEPTION = "permit", "reception"
#: a row whose ``population`` matches this counts months since entering reception
RECEPTION_CLOCK = re.compile(r"since\s+(entering|entry\s+(in|into|to))\s+(the\s+)?reception", re.I)

_AGE_LOWS = (0, 18, 25, 35, 45, 55, 65)
_AGE_HIGHS = (17, 24, 34, 44, 54, 64)
#: ``age=LOW-HIGH`` or ``age=LOW+`` in whole years
_AGE_RANGE = re.compile(r"(\d{1,3})(?:-(\d{1,3})|\+)")
AGE_ALLOWED = ("whole years LOW-HIGH with LOW <= HIGH, both included (such as 18-23 or 18-64), or "
               "LOW+ for no upper age (such as 65+)")


def schema_error(key: str, value, allowed: str) -> ConfigError:
    """A :class:`ConfigError` about a targets file, pointing to :data:`SCHEMA_DOC`."""
    return ConfigError(key, value, f"{allowed} (see {SCHEMA_DOC})")


def age_range(text: str) -> tuple[int, int | None]:
    """The ages of ``age=text``: the first whole year in the range and the first *after* it (None:
    no upper age). ``18-23`` is (18, 24): aged at least 18 and not yet 24 at the measurement date.

    Raises:
        ValueError: saying what is allowed, for anything but ``LOW-HIGH`` or ``LOW+`` in whole
            years with LOW <= HIGH.
    """
    m = _AGE_RANGE.fullmatch(text.strip())
    if not m or (m.group(2) is not None and int(m.group(2)) < int(m.group(1))):
        raise ValueError(f"age={text}: expected {AGE_ALLOWED}")
    return int(m.group(1)), (int(m.group(2)) + 1 if m.group(2) is not None else None)


def split_age(group: str) -> tuple[str, tuple[int, int | None] | None]:
    """A normalised group without its age part (``all`` if nothing is left), and that part's
    :func:`age_range` (None: no age part)."""
    parts = [p for p in group.split(";") if p and p != "all"]
    ages = [p.split("=", 1)[1] for p in parts if p.split("=", 1)[0] == "age"]
    rest = ";".join(p for p in parts if p.split("=", 1)[0] != "age") or "all"
    return rest, (age_range(ages[0]) if ages else None)


def _declared(group: str, name: str):
    from model.config import groups

    return next(p for p in groups()[group] if p.name == name)


def shipped_targets() -> Path:
    """The targets file shipped with the model (CBS figures for the 2014 cohort)."""
    return Path(__file__).resolve().parents[2] / "model" / "data" / "calibration_targets.csv"


def cohort_bounds() -> tuple[int, int]:
    """Permit years the model can simulate (the declared range of ``population.permit_year``)."""
    p = _declared("population", "permit_year")
    return int(p.low), int(p.high)


def max_horizon() -> int:
    """Longest horizon the model declares (``population.horizon_months``), in months."""
    return int(_declared("population", "horizon_months").high)


@dataclass(frozen=True)
class Target:
    """One row of a targets file.

    Attributes:
        id: the ``target`` column (unique in the file).
        quantity: one of :data:`QUANTITIES`.
        cohort: permit year.
        group: ``all`` or ``key=value;...``, normalised (spaces removed).
        month: months since the permit (or since entering reception, see ``clock``).
        value: the published share, percent.
        tolerance: the row's ``tolerance_pp``, or None (then :data:`DEFAULT_TOLERANCE_PP`).
        clock: :data:`PERMIT` or :data:`RECEPTION`.
        line: line number in the file (header = 1).
        population, measure, source: the row's description, as given.
    """

    id: str
    quantity: str
    cohort: int
    group: str
    month: int
    value: float
    tolerance: float | None = None
    clock: str = PERMIT
    line: int = 0
    population: str = ""
    measure: str = ""
    source: str = ""

    @property
    def tolerance_pp(self) -> float:
        return DEFAULT_TOLERANCE_PP if self.tolerance is None else self.tolerance


#: what a file saved by a spreadsheet set to Dutch (semicolons, decimal commas) is told
DUTCH_EXCEL = ("this looks like a Dutch Excel export: use commas between fields and points in "
               "numbers (save as 'CSV UTF-8 (comma delimited)')")


def _decimal_comma(text: str) -> bool:
    return bool(re.fullmatch(r"\s*[-+]?\d*,\d+\s*", text or ""))


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def check_group(group: str, quantity: str, any_age: bool = False) -> str:
    """Normalise and check a group for a quantity; raise ValueError saying what is allowed.

    ``any_age``: any range of whole years (:func:`age_range`; a targets file), else only ranges on
    the model's age groups (a file of published effects, whose values are read from those)."""
    g = ";".join(p.strip() for p in group.split(";") if p.strip()) or "all"
    if g != "all":
        keys = [p.split("=", 1)[0].strip() for p in g.split(";")]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(f"key {dup[0]!r} given twice: expected each of sex, origin, "
                             "education, age at most once")
        g = ";".join("=".join(s.strip() for s in p.split("=", 1)) for p in g.split(";"))
    if any_age:
        rest, ages = split_age(g)
        group_mask(rest)  # raises ValueError naming what is allowed
        lo, end = ages or (0, None)
        if DENOMINATORS[quantity] == "working_age" and not (
                lo < AGE_EDGES[-1] and (end is None or end > AGE_EDGES[0])):
            raise ValueError(f"{quantity} counts ages 18-64 and this group has nobody of those ages")
        if DENOMINATORS[quantity] == "obliged" and not (end is None or end > AGE_EDGES[0]):
            raise ValueError(f"{quantity} counts people with an obligation (adults at the permit) "
                             "and this group has none")
        return g
    sex, origin, edu, age = group_mask(g)  # raises ValueError naming what is allowed
    for part in g.split(";"):
        k, _, v = part.partition("=")
        if k == "age":
            lo, hi = (float(x) for x in v.replace("+", "-200").split("-")[:2])
            if lo not in _AGE_LOWS or not (hi in _AGE_HIGHS or hi >= 200) or hi < lo:
                raise ValueError(
                    f"age={v}: the model counts ages in groups {', '.join(AGE_GROUPS)}; LOW must "
                    f"be one of {', '.join(map(str, _AGE_LOWS))} and HIGH one of "
                    f"{', '.join(map(str, _AGE_HIGHS))}, or LOW+ for no upper age (such as 18-64, "
                    "25-34 or 65+)")
    if DENOMINATORS[quantity] == "working_age":
        age = age & np.isin(np.arange(len(AGE_GROUPS)), WORKING_AGES)
        if not age.any():
            raise ValueError(f"{quantity} counts ages 18-64 and this group has nobody of those ages")
    if DENOMINATORS[quantity] == "obliged":
        age = age & np.isin(np.arange(len(AGE_GROUPS)), WORKING_AGES + (6,))
        if not age.any():
            raise ValueError(f"{quantity} counts people with an obligation (adults at the permit) "
                             "and this group has none")
    return g


def read_targets(path: str | Path) -> list[Target]:
    """Read and check a targets file.

    Raises:
        ConfigError: for the first problem: the file is missing or empty, a required column is
            missing, or a row has an empty or duplicate id, an unknown quantity or group (an age
            range that is not whole years LOW-HIGH with LOW <= HIGH, or LOW+), a cohort the model
            cannot simulate, a month that is not a whole number in the model's horizon, a share
            outside 0-100, a tolerance that is not a number >= 0, or a reception-clock row for a
            quantity other than ``own_home``. The message names the file, line, column and value,
            and what is allowed, and points to :data:`SCHEMA_DOC`.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise schema_error("targets", str(path), "an existing CSV file that follows the targets "
                                                 "schema")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as e:
        raise schema_error("targets", str(path), f"a UTF-8 CSV file ({e})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        dutch = any(";" in h for h in header)
        raise schema_error(f"{name}: column {missing[0]}", None,
                          "a header with the columns " + ", ".join(REQUIRED_COLUMNS)
                          + " (optional: " + ", ".join(OPTIONAL_COLUMNS) + ")"
                          + (f"; {DUTCH_EXCEL}" if dutch else ""))
    if not rows:
        raise schema_error(f"{name}", "no rows", "at least one target row under the header")
    lo_year, hi_year = cohort_bounds()
    horizon = max_horizon()
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(rows, start=2):
        r = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in raw.items()}
        tid = r.get("target", "")
        where = f"{name} line {i}" + (f" ({tid})" if tid else "")

        def bad(column: str, value, allowed: str) -> ConfigError:
            if isinstance(value, str) and _decimal_comma(value):
                allowed = f"{allowed}; {DUTCH_EXCEL}"
            return schema_error(f"{where} column {column}", value, allowed)

        if None in raw:  # more cells than header columns
            digits = all(re.fullmatch(r"\s*\d+\s*", str(c)) for c in raw[None])
            raise bad("(extra cells)", raw[None], f"{len(header)} cells, as in the header"
                      + (f"; {DUTCH_EXCEL}" if digits else ""))
        if not tid:
            raise bad("target", tid, "a non-empty id")
        if tid in seen:
            raise bad("target", tid, f"a unique id (also on line {seen[tid]})")
        seen[tid] = i
        q = r.get("quantity", "")
        if q not in QUANTITIES:
            raise bad("quantity", q, "one of " + ", ".join(QUANTITIES))
        cohort = _number(r.get("cohort", ""))
        if cohort is None or cohort != int(cohort) or not lo_year <= cohort <= hi_year:
            raise bad("cohort", r.get("cohort", ""),
                      f"a permit year the model can simulate, {lo_year}-{hi_year} "
                      "(population.permit_year)")
        try:
            group = check_group(r.get("group", ""), q, any_age=True)
        except ValueError as e:
            raise bad("group", r.get("group", ""),
                      f"all, or sex=, origin=, education=, age=LOW-HIGH joined by ';' ({e})") from None
        month = _number(r.get("months_since_permit", ""))
        if month is None or month != int(month) or not 0 <= month <= horizon:
            raise bad("months_since_permit", r.get("months_since_permit", ""),
                      f"a whole number of months, 0-{horizon} (the model's longest horizon)")
        value = _number(r.get("value_pct", ""))
        if value is None or not 0.0 <= value <= 100.0:
            raise bad("value_pct", r.get("value_pct", ""), "a share in percent, 0-100")
        tol_text = r.get("tolerance_pp", "")
        tol = None
        if tol_text:
            tol = _number(tol_text)
            if tol is None or not 0.0 <= tol <= 100.0:
                raise bad("tolerance_pp", tol_text,
                          "empty (the default, {:g} pp) or a number of percentage points, 0-100"
                          .format(DEFAULT_TOLERANCE_PP))
        population = r.get("population", "")
        clock = RECEPTION if RECEPTION_CLOCK.search(population) else PERMIT
        if clock == RECEPTION and q != "own_home":
            raise bad("population", population,
                      "months since the permit for this quantity: the model can count only "
                      "own_home by months since entering reception")
        out.append(Target(id=tid, quantity=q, cohort=int(cohort), group=group, month=int(month),
                          value=float(value), tolerance=tol, clock=clock, line=i,
                          population=population, measure=r.get("measure", ""),
                          source=r.get("source", "")))
    return out


def cohorts(targets: Iterable[Target]) -> list[int]:
    """The permit years present in ``targets``, sorted."""
    return sorted({t.cohort for t in targets})


def required_horizon(targets: Iterable[Target], cohort: int) -> int:
    """Shortest horizon (months since permit) that covers a cohort's targets (at least 12)."""
    months = [t.month for t in targets if t.cohort == cohort and t.clock == PERMIT]
    # reception clock: entry in months 0-11 + horizon + 36 months simulated (see IntegrationModel)
    months += [t.month - 24 for t in targets if t.cohort == cohort and t.clock == RECEPTION]
    return int(min(max([12, *months]), max_horizon()))


def cohort_overrides(targets: Iterable[Target], cohort: int) -> list[str]:
    """Config overrides that simulate ``cohort`` long enough for its targets (no longer: a shorter
    horizon changes no earlier month, it only skips months nobody asked for)."""
    return [f"population.permit_year={cohort}",
            f"population.horizon_months={required_horizon(list(targets), cohort)}"]
