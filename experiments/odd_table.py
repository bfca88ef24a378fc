"""The generated parts of the model description (``docs/ODD.md``): ``python -m experiments.odd_table``.

Tables that restate declarations in code are generated from those declarations, so that the
document cannot drift from the model:

- the parameter table (every parameter of :func:`model.config.all_params`, in that order):
  ``<!-- parameter-table:start -->`` ... ``<!-- parameter-table:end -->``;
- the policy-lever table (:data:`model.policy.LEVERS`, with the modules that consult each lever):
  ``<!-- lever-table:start -->`` ... ``<!-- lever-table:end -->``;
- the person-state table (:data:`model.people.STATES`):
  ``<!-- state-table:start -->`` ... ``<!-- state-table:end -->``;
- the list of parameters marked for calibration (``calibrate=True``), with the values of the
  fitted parameter set (``conf/calibration/fitted.yaml``) where it sets them:
  ``<!-- calibrated:start -->`` ... ``<!-- calibrated:end -->``.

``main()`` rewrites each block in place and leaves the hand-written text around it alone;
``check=true`` only reports whether the document is current (exit code 1 if not); ``path=FILE``
rewrites another copy of the document.
``tests/test_odd.py`` fails when a block differs from what this module renders.

Numbers are written with ``repr`` precision (shortest round-trip form), so any change of a default
or a range changes the table.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import numpy as np

from experiments.presentation.command_line import fmt, value_range
from experiments.runs.outputs import flag
from experiments.runs.overrides import own_settings, refuse_old_flags, wants_help
from model.errors import ConfigError
from model.config import ROOT, all_params
from model.people import NEVER, STATES
from model.policy import LEVERS

ODD_PATH = ROOT / "docs" / "ODD.md"
FITTED_PATH = ROOT / "conf" / "calibration" / "fitted.yaml"

#: for each policy lever, the modules that consult it (directly, or through a derived quantity),
#: as written in the lever table. ``tests/test_odd.py`` checks that every module of ``model/``
#: that reads a lever (``pol.<lever>``, ``policy.<lever>``, ...) is named here.
CONSULTED_BY: dict[str, str] = {
    "law": "`pathways/intake.py` (broad intake, PIP, routes and assessments only under 2021; "
           "self-arranged route and self-arranged recognition under 2013), `pathways/language.py` "
           "(course start rate, municipal course quality, exam level, start of the term: permit "
           "under 2013, intake under 2021), via `Policy.law_2021` and `Policy.exam_target`; "
           "`model.py` (reported law)",
    "scope": "`model.py` (a shadow run under today's levers for a national policy), read by "
             "`pathways/work.py` (displacement of other newcomers in the crowding factor)",
    "placement": "`model.py` passes it to `municipality.py` `place()` (quota or matched)",
    "support_level": "`municipality.py` (each type's support = level x quality / 0.7), used by "
                     "`pathways/intake.py` (intake rate), `pathways/work.py` (coaching factor), "
                     "`pathways/belonging.py` (volunteering take-up); `costs.py` (support cost, "
                     "at the lever's level, not each type's)",
    "start_in_reception": "`pathways/intake.py` (intake while in reception), "
                          "`pathways/language.py` (course while in reception), `costs.py` "
                          "(support paid in reception too)",
    "dual_track": "`pathways/work.py` (milder lock-in while in a course or study), "
                  "`pathways/language.py` (course time while working)",
    "social_guidance": "`model.py` (its effective strength, `guidance`), used by "
                       "`pathways/language.py` (course drop-out), `pathways/education.py` (study "
                       "drop-out), `pathways/health.py` (recovery); `costs.py` (guidance cost)",
    "job_coaching": "`pathways/work.py` (coaching factor, housed people only), `costs.py` "
                    "(coaching cost)",
    "job_matching": "`pathways/work.py` (good match at a job start: job loss, hours); through "
                    "`good_match` also `pathways/income.py` (pay premium)",
    "pip_delay_months": "`pathways/intake.py` (intake rate, law of 2021)",
    "competence_assessment": "`pathways/intake.py` (recognition of a foreign higher degree, used "
                             "by `pathways/work.py`; under 2021 the assessments it charges to "
                             "`costs.py`)",
    "employer_openness": "`pathways/work.py` (factor on the job-finding hazard)",
    "wage_subsidy": "`pathways/work.py` (factor for people below A2 or with little schooling), "
                    "`costs.py` (subsidy cost)",
    "course_quality": "`pathways/language.py` (learning speed, course drop-out), `costs.py` "
                      "(route cost scales with quality)",
    "route_information": "`pathways/intake.py` (chance of the fitting route)",
    "permanence_requires_exam": "`pathways/permits.py`",
    "naturalisation_requires_exam": "`pathways/permits.py`",
    "naturalisation_ease": "`pathways/permits.py`",
    "naturalisation_years": "`pathways/permits.py`",
    "exam_level": "`pathways/language.py` (exam level, via `Policy.exam_target`), "
                  "`pathways/permits.py` (naturalisation level, via `Policy.naturalisation_target`)",
    "extra_conditions": "`pathways/language.py` (learning time), `pathways/belonging.py` "
                        "(belonging target), `costs.py` (administration per condition)",
    "permanence_years": "`pathways/permits.py` (eligibility), `pathways/belonging.py` (insecure "
                        "permit), `pathways/work.py` (hiring of a still-temporary permit)",
    "implementation_quality": "`municipality.py` (quality of each type), used by "
                              "`pathways/housing.py` (share of the homes that come free), `pathways/language.py` (course "
                              "quality, law of 2021) and in the support of each type (see "
                              "`support_level`)",
    "implementation_spread": "`municipality.py` (spread of quality over the types)",
    "discrimination": "`pathways/work.py` (hiring), `pathways/belonging.py` (belonging target)",
    "social_contact": "`pathways/language.py` (informal learning), `pathways/belonging.py` "
                      "(belonging target)",
}

#: derived quantities of :class:`model.policy.Policy` and the levers they are computed from
DERIVED: dict[str, tuple[str, ...]] = {
    "law_2021": ("law",),
    "exam_target": ("exam_level", "law"),
    "naturalisation_target": ("exam_level",),
}

BLOCKS = ("parameter-table", "lever-table", "state-table", "calibrated")


# ---- formatting ---------------------------------------------------------------------------------
def cell(text) -> str:
    """Text for a markdown table cell: one line, with ``|`` escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---- the generated blocks -------------------------------------------------------------------------
def render() -> str:
    """The parameter table: one row per declared parameter, in :func:`all_params` order."""
    rows = [(f"`{group}.{p.name}`", fmt(p.default), p.unit, value_range(p), p.source,
             "yes" if p.calibrate else "no",
             f"strength of {p.strength_of.replace(',', ', ')}" if p.strength_of else "")
            for group, p in all_params()]
    return _table(("name", "value", "unit", "range", "source", "fitted", "lever strength"), rows)


def render_levers() -> str:
    """The lever table: one row per lever of :data:`model.policy.LEVERS`, in declared order."""
    rows = [(f"`policy.{p.name}`", p.demand, p.unit, fmt(p.default), value_range(p), p.source,
             CONSULTED_BY.get(p.name, "**not documented**")) for p in LEVERS]
    return _table(("lever", "demand", "unit", "default", "range", "source", "consulted by "
                   "(module under `model/`)"), rows)


def render_states() -> str:
    """The person-state table: every array of :class:`model.people.People`."""
    rows = []
    for s in STATES:
        default = "NEVER" if (s.name.startswith("ti_") and s.default == NEVER) else fmt(s.default)
        rows.append((f"`{s.name}`", np.dtype(s.dtype).name, default, s.label))
    return _table(("state", "type", "array default", "meaning"), rows)


def fitted_values(path: Path | None = None) -> dict[str, object]:
    """Parameter values set by the fitted parameter set (``conf/calibration/fitted.yaml``, which
    ``conf/config.yaml`` composes on top of the declared defaults), by dotted key."""
    import yaml

    path = FITTED_PATH if path is None else path
    if not path.exists():
        return {}
    node = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = {f"{g}.{p.name}" for g, p in all_params()}
    out: dict[str, object] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif prefix in known:
            out[prefix] = value

    walk("", {k: v for k, v in node.items() if k != "calibration_info"})
    return out


def render_calibrated() -> str:
    """The parameters marked ``calibrate=True`` (default, plausible range, the value of the fitted
    set if it sets one), then any other parameter the fitted set changes."""
    fitted = fitted_values()
    rows = [(f"`{group}.{p.name}`", fmt(p.default), value_range(p),
             fmt(fitted[f"{group}.{p.name}"]) if f"{group}.{p.name}" in fitted else "not set",
             p.unit, p.source)
            for group, p in all_params() if p.calibrate]
    rows += [(f"`{group}.{p.name}` (not marked for calibration)", fmt(p.default), value_range(p),
              fmt(fitted[f"{group}.{p.name}"]), p.unit, p.source)
             for group, p in all_params() if not p.calibrate and f"{group}.{p.name}" in fitted]
    return _table(("parameter", "declared default", "range searched",
                   "fitted value (`conf/calibration/fitted.yaml`)", "unit", "source of the default"),
                  rows)


RENDERERS = {"parameter-table": render, "lever-table": render_levers,
             "state-table": render_states, "calibrated": render_calibrated}


# ---- who reads which lever (checked by tests/test_odd.py) -----------------------------------------
def lever_readers() -> dict[str, set[str]]:
    """For each lever, the files of ``model/`` (basenames) whose code reads it.

    Found by parsing the code (not docstrings): an attribute ``X.<name>`` where ``X`` is ``pol``,
    ``policy`` or anything ending in ``.policy``, and ``<name>`` is a lever or a derived quantity
    of :class:`model.policy.Policy` (:data:`DERIVED`). ``model/policy.py`` itself is left out.
    """
    names = {p.name for p in LEVERS}
    out: dict[str, set[str]] = {n: set() for n in names}
    for path in sorted((ROOT / "model").rglob("*.py")):
        if path.name == "policy.py" and path.parent.name == "model":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            v = node.value
            owner = (v.id if isinstance(v, ast.Name) else v.attr if isinstance(v, ast.Attribute)
                     else None)
            if owner not in ("pol", "policy"):
                continue
            for lever in DERIVED.get(node.attr, (node.attr,)):
                if lever in names:
                    out[lever].add(path.name)
    return out


# ---- rewriting the document -------------------------------------------------------------------------
def _pattern(block: str) -> re.Pattern:
    return re.compile(rf"(<!-- {block}:start -->\n)(.*?)(\n?<!-- {block}:end -->)", re.S)


def block_text(document: str, block: str) -> str | None:
    """The text between a block's markers (None if the markers are missing)."""
    m = _pattern(block).search(document)
    return None if m is None else m.group(2).strip("\n")


def update(document: str) -> str:
    """The document with every generated block rewritten.

    Raises:
        ValueError: if a block's markers are missing.
    """
    for block in BLOCKS:
        pat = _pattern(block)
        if pat.search(document) is None:
            raise ValueError(f"{ODD_PATH.name}: markers <!-- {block}:start --> / "
                             f"<!-- {block}:end --> not found")
        body = RENDERERS[block]()
        document = pat.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(3).lstrip("\n"),
                           document, count=1)
    return document


def _document(key: str, text: str) -> Path:
    p = Path(text)
    if not text.strip() or not p.is_file():
        raise ConfigError(key, text, "an existing markdown file holding the generated blocks")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if wants_help(argv, __doc__):
        return 0
    try:
        refuse_old_flags(argv, {"--check": ("check=true", False), "--path": ("path=FILE", True)})
        args = {"check": False, "path": ODD_PATH,
                **own_settings(argv, {"check": flag, "path": _document})}
        text = args["path"].read_text(encoding="utf-8")
        new = update(text)
    except (ConfigError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if new == text:
        print(f"{args['path']}: generated tables are current ({len(all_params())} parameters, "
              f"{len(LEVERS)} levers, {len(STATES)} states)")
        return 0
    if args["check"]:
        print(f"{args['path']}: generated tables are out of date; run `python -m experiments.odd_table`")
        return 1
    args["path"].write_text(new, encoding="utf-8")
    print(f"{args['path']}: rewrote the generated tables ({len(all_params())} parameters, "
          f"{len(LEVERS)} levers, {len(STATES)} states)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
