"""The model description (docs/ODD.md) against the code.

- the generated tables (parameters, levers, person states, calibrated parameters) are current;
- every declared parameter has a unit, a source (or the word "assumption"), a description, and,
  for numeric kinds, a plausible range that lies within its hard bounds and contains its default;
- every policy lever appears in the lever table, and the table names every module that reads it;
- every pathway has its own subsection in the submodels section, in step order, citing its module.

The last tests check that these checks can fail (a changed default changes the table; a default
outside its range, a missing lever and a missing subsection are caught).
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from experiments import odd_table
from model.config import all_params
from model.parameters import Param
from model.pathways import PATHWAYS
from model.policy import LEVERS

REGENERATE = "run `python -m experiments.odd_table`"
PARAMS = all_params()
NUMERIC = [(g, p) for g, p in PARAMS if p.kind not in ("flag", "choice")]


@pytest.fixture(scope="module")
def odd() -> str:
    assert odd_table.ODD_PATH.exists(), f"{odd_table.ODD_PATH} is missing"
    return odd_table.ODD_PATH.read_text(encoding="utf-8")


def _key(item) -> str:
    group, p = item
    return f"{group}.{p.name}"


# ---- checks, as functions so that the tests below can also feed them broken input -----------
def range_problem(p: Param) -> str | None:
    """Why a numeric parameter's plausible range is unusable, or None."""
    if p.low is None or p.high is None:
        return "no plausible range"
    if not p.low < p.high:
        return f"range {p.low}-{p.high} is empty or reversed"
    lo, hi = p.hard_bounds
    if p.low < lo or p.high > hi:
        return f"range {p.low}-{p.high} goes beyond the hard bounds [{lo}, {hi}] of a {p.kind}"
    if not p.low <= p.default <= p.high:
        return f"default {p.default!r} lies outside its plausible range {p.low}-{p.high}"
    return None


def table_levers(document: str) -> list[str]:
    """Lever names in the first column of the lever table (`policy.<name>`)."""
    block = odd_table.block_text(document, "lever-table") or ""
    return re.findall(r"^\|\s*`policy\.(\w+)`", block, flags=re.M)


def lever_cells(document: str) -> dict[str, str]:
    """Lever name -> its row in the lever table."""
    block = odd_table.block_text(document, "lever-table") or ""
    return {m.group(1): m.group(0) for m in re.finditer(r"^\|\s*`policy\.(\w+)`.*$", block, flags=re.M)}


def submodel_headings(document: str) -> list[str]:
    """The `###` headings inside section 7 (Submodels)."""
    m = re.search(r"^## 7\.? .*?$(.*?)(?=^## )", document, flags=re.M | re.S)
    assert m, "docs/ODD.md has no section '## 7. Submodels'"
    return re.findall(r"^### (.+)$", m.group(1), flags=re.M)


def missing_subsections(document: str, pathways=PATHWAYS) -> list[str]:
    """Pathway modules without a `### ...` heading citing `pathways/<module>.py` in section 7,
    or whose heading is out of step order."""
    headings = submodel_headings(document)
    problems, last = [], -1
    for module, cls in pathways:
        path = f"pathways/{module.__name__.rsplit('.', 1)[-1]}.py"
        where = [i for i, h in enumerate(headings) if path in h]
        if not where:
            problems.append(f"{cls.name}: no subsection citing `model/{path}`")
        elif where[0] < last:
            problems.append(f"{cls.name}: subsection out of step order")
        else:
            last = where[0]
    return problems


# ---- the generated tables are current -----------------------------------------------------------
@pytest.mark.parametrize("block", odd_table.BLOCKS)
def test_generated_table_is_current(odd, block):
    text = odd_table.block_text(odd, block)
    assert text is not None, f"docs/ODD.md lacks the markers <!-- {block}:start/end -->"
    assert text == odd_table.RENDERERS[block](), \
        f"the {block} in docs/ODD.md differs from the code: {REGENERATE}"


def test_parameter_table_has_one_row_per_parameter(odd):
    rows = re.findall(r"^\| `([\w.]+)` \|", odd_table.block_text(odd, "parameter-table") or "",
                      flags=re.M)
    assert rows == [_key(item) for item in PARAMS], REGENERATE


# ---- every parameter is documented --------------------------------------------------------------
@pytest.mark.parametrize("item", PARAMS, ids=_key)
def test_parameter_has_unit_source_and_doc(item):
    group, p = item
    assert p.unit.strip(), f"{_key(item)}: no unit"
    assert p.source.strip(), f"{_key(item)}: no source (give one, or the word 'assumption')"
    assert p.doc.strip(), f"{_key(item)}: no description"


@pytest.mark.parametrize("item", NUMERIC, ids=_key)
def test_numeric_range_is_plausible_and_contains_default(item):
    problem = range_problem(item[1])
    assert problem is None, f"{_key(item)}: {problem}"


# ---- levers ------------------------------------------------------------------------------------------
def test_every_lever_is_in_the_lever_table(odd):
    listed = set(table_levers(odd))
    missing = [p.name for p in LEVERS if p.name not in listed]
    assert not missing, f"levers missing from the lever table of docs/ODD.md: {missing}; {REGENERATE}"


def test_every_lever_says_which_modules_consult_it():
    missing = [p.name for p in LEVERS if not odd_table.CONSULTED_BY.get(p.name, "").strip()]
    assert not missing, ("levers without a 'consulted by' entry in experiments/odd_table.py "
                         f"CONSULTED_BY: {missing}")
    unknown = set(odd_table.CONSULTED_BY) - {p.name for p in LEVERS}
    assert not unknown, f"CONSULTED_BY names levers that do not exist: {sorted(unknown)}"


def test_lever_table_names_every_module_that_reads_the_lever(odd):
    cells = lever_cells(odd)
    readers = odd_table.lever_readers()
    problems = [f"policy.{lever}: read in {name}, not named in its row"
                for lever, names in sorted(readers.items()) for name in sorted(names)
                if name not in cells.get(lever, "")]
    assert not problems, "\n".join(problems) + "\n(update CONSULTED_BY in experiments/odd_table.py)"


def test_every_lever_is_read_somewhere():
    unused = [lever for lever, names in odd_table.lever_readers().items() if not names]
    assert not unused, f"levers that no module of model/ reads: {unused}"


# ---- submodels -----------------------------------------------------------------------------------------
def test_every_pathway_has_a_subsection_in_step_order(odd):
    problems = missing_subsections(odd)
    assert not problems, "docs/ODD.md section 7: " + "; ".join(problems)


# ---- the checks can fail --------------------------------------------------------------------------------
def test_table_changes_when_any_default_changes(monkeypatch):
    """A changed default (here the last digit of a float) changes the generated table."""
    import model.pathways.work as work

    before = odd_table.render()
    i = next(i for i, p in enumerate(work.PARAMS) if p.name == "base_rate")
    old = work.PARAMS[i]
    changed = dataclasses.replace(old, default=old.default + 1e-12)
    monkeypatch.setattr(work, "PARAMS", work.PARAMS[:i] + (changed,) + work.PARAMS[i + 1:])
    after = odd_table.render()
    assert after != before
    assert repr(changed.default) in after


def test_range_check_catches_a_default_outside_its_range():
    ok = Param("x", 0.5, "per month", "assumption", "a test", kind="probability", low=0.1, high=0.9)
    assert range_problem(ok) is None
    assert "outside" in range_problem(dataclasses.replace(ok, default=0.95))
    assert "hard bounds" in range_problem(dataclasses.replace(ok, high=1.5))
    assert "reversed" in range_problem(dataclasses.replace(ok, low=0.9, high=0.1))


def test_stale_or_incomplete_document_is_caught(odd):
    # a lever row removed from the table
    first = LEVERS[-1].name
    broken = re.sub(rf"^\| `policy\.{first}`.*\n", "", odd, flags=re.M)
    assert first not in table_levers(broken)
    assert odd_table.block_text(broken, "lever-table") != odd_table.render_levers()
    # a pathway subsection removed
    module, cls = PATHWAYS[3]
    path = f"pathways/{module.__name__.rsplit('.', 1)[-1]}.py"
    broken = "\n".join(line for line in odd.splitlines()
                       if not (line.startswith("### ") and path in line))
    assert missing_subsections(broken)
    # the parameter table edited by hand
    text = odd_table.block_text(odd, "parameter-table")
    assert odd_table.update(odd.replace(text, text.replace(" | yes |", " | no |", 1))) == \
        odd_table.update(odd)


def test_cells_escape_pipes():
    assert odd_table.cell("a | b\nc") == "a \\| b c"


def test_calibrated_block_shows_the_fitted_set(monkeypatch, tmp_path):
    fitted = tmp_path / "fitted.yaml"
    fitted.write_text("# @package _global_\ncalibration_info: {targets: x}\n"
                      "params:\n  work:\n    base_rate: 0.0512\n  health:\n    recovery_rate: 0.011\n",
                      encoding="utf-8")
    monkeypatch.setattr(odd_table, "FITTED_PATH", fitted)
    block = odd_table.render_calibrated()
    assert re.search(r"^\| `params\.work\.base_rate` \|.*\| 0\.0512 \|", block, flags=re.M)
    assert "`params.health.recovery_rate` (not marked for calibration)" in block
