"""Every scenario composes, runs briefly, says which demand it expresses, and sets what its file says.

The scenario files in ``scenarios/`` hold only what differs from the baseline; ``vwn_position`` is
all demand files together (through Hydra defaults, one source of truth). The tests compare each
composed configuration with the YAML file it came from, read independently with PyYAML.

The rules about demands (D1-D11, one file each) hold for the shipped files (those git tracks); a
user's own scenario file is checked only for composing and setting what it says, and a file of
theirs that cannot be used is skipped with its problem as the reason.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml

from model.config import SCENARIO_DIR, all_params, scenario_names, scenario_problem

SCENARIOS = SCENARIO_DIR
FILES = sorted(p.stem for p in SCENARIOS.glob("*.yaml") if not p.name.startswith("."))


def _shipped() -> list[str]:
    """The scenario files the project ships (tracked by git; all files outside a git checkout)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", "*.yaml"], cwd=SCENARIOS,
                             capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return FILES
    names = {Path(n).stem for n in out.stdout.decode().split("\0") if n and "/" not in n}
    return [f for f in FILES if f in names] if out.returncode == 0 and names else FILES


SHIPPED = _shipped()
BRIEF = ("population.size=1000", "population.horizon_months=24")
DEMAND_FILES = [f for f in SHIPPED if re.fullmatch(r"d(\d+)_\w+", f)]
PARAMS = {f"{g}.{p.name}": p for g, p in all_params()}


def _read(name: str) -> dict:
    return yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")) or {}


def _usable(name: str) -> None:
    """Skip a user's own file that cannot be used (a shipped one must be usable)."""
    problem = scenario_problem(name)
    if problem and name not in SHIPPED:
        pytest.skip(f"own scenario file that cannot be used: {problem}")
    assert problem is None, problem


def _settings(node: dict, prefix: str = "") -> dict:
    """Dotted parameter settings of a scenario file (everything but defaults and labels)."""
    out = {}
    for k, v in node.items():
        if not prefix and k in ("defaults", "scenario", "scenario_info"):
            continue
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_settings(v, key + "."))
        else:
            out[key] = v
    return out


def _value(cfg, dotted: str):
    obj = cfg
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b)
    return str(a) == str(b) if {type(a), type(b)} <= {str, int} else a == b


def test_scenario_list_is_the_files():
    assert scenario_names() == FILES
    assert {"baseline", "vwn_position", "wi2013", "stacking"} <= set(SHIPPED)


def test_every_demand_has_exactly_one_scenario_file():
    numbers = sorted(int(re.match(r"d(\d+)_", f).group(1)) for f in DEMAND_FILES)
    assert numbers == list(range(1, 12)), DEMAND_FILES


@pytest.mark.parametrize("name", FILES)
def test_scenario_composes_and_runs_briefly(run, compose, name):
    _usable(name)
    cfg = compose(name, *BRIEF)
    assert cfg.scenario == name
    r = run(name, *BRIEF)
    assert r.cube.shape[1] == 25
    assert np.isfinite(r.cube).all() and (r.cube >= 0).all()
    for outcome in ("employed", "own_home", "exam_passed", "belonging"):
        s = r.share(outcome)
        assert np.isfinite(s[1:]).all() and ((s >= 0) & (s <= 100))[1:].all(), outcome
    assert r.law == (cfg.policy.law if cfg.policy.law != "auto" else
                     ("2013" if cfg.population.permit_year < 2022 else "2021"))
    assert all(np.isfinite(v).all() for v in r.costs.values())


@pytest.mark.parametrize("name", FILES)
def test_scenario_sets_exactly_what_its_file_says(compose, name):
    """Each key in the file (and, for vwn_position, in the files it includes) has the file's value
    in the composed config; every other parameter is as in the baseline."""
    _usable(name)
    cfg, base = compose(name, *BRIEF), compose("baseline", *BRIEF)
    node = _read(name)
    settings = {}
    for inc in node.get("defaults", []) or []:
        if isinstance(inc, str) and inc != "_self_":
            settings.update(_settings(_read(inc)))
    settings.update(_settings(node))
    for key, value in settings.items():
        assert key in PARAMS, f"{name}: {key} is not a declared parameter"
        assert _same(_value(cfg, key), value), (name, key, _value(cfg, key), value)
    for key in PARAMS:
        if key not in settings and not key.startswith("population.size") and not key.startswith(
                "population.horizon_months"):
            assert _same(_value(cfg, key), _value(base, key)), f"{name} changes {key} silently"
    if name != "baseline":
        assert settings, f"{name} changes nothing"


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_values_lie_in_the_declared_plausible_range(name):
    for key, value in _settings(_read(name)).items():
        p = PARAMS[key]
        if p.kind in ("flag",):
            assert isinstance(value, bool), (key, value)
        elif p.kind == "choice":
            assert str(value) in map(str, p.choices), (key, value)
        else:
            assert p.low <= value <= p.high, f"{name}: {key}={value} outside [{p.low}, {p.high}]"


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_info_names_its_demand(compose, name):
    info = compose(name, *BRIEF).scenario_info
    assert info == _read(name)["scenario_info"]
    demand, summary = info["demand"], info["summary"]
    assert summary.strip()
    m = re.fullmatch(r"d(\d+)_\w+", name)
    if m:
        assert demand == f"D{m.group(1)}"
    elif name == "baseline":
        assert demand == "baseline"
    elif name == "vwn_position":
        assert demand == "D1-D11"
    else:
        assert re.fullmatch(r"law|D([1-9]|1[01])( \(reverse\))?", demand), (name, demand)
    # each scenario's settings are levers of the demand it names
    if m:
        for key in _settings(_read(name)):
            assert PARAMS[key].demand == demand, f"{name} sets {key}, a lever of {PARAMS[key].demand}"


def test_vwn_position_includes_every_demand_file():
    includes = [d for d in _read("vwn_position")["defaults"] if d != "_self_"]
    assert sorted(includes) == sorted(DEMAND_FILES)
    assert _read("vwn_position")["defaults"][-1] == "_self_"
    assert not _settings(_read("vwn_position")), "vwn_position should set nothing of its own"


def test_demand_files_do_not_contradict_each_other():
    """vwn_position takes the union of the demand files; two files setting one key differently
    would be settled silently by include order."""
    seen: dict = {}
    for f in DEMAND_FILES:
        for k, v in _settings(_read(f)).items():
            assert k not in seen or _same(seen[k][1], v), f"{k}: {seen[k][0]} vs {f}"
            seen[k] = (f, v)


@pytest.mark.parametrize("demand_file", DEMAND_FILES)
def test_vwn_position_contains_each_demand(compose, demand_file):
    vwn = compose("vwn_position", *BRIEF)
    for key, value in _settings(_read(demand_file)).items():
        assert _same(_value(vwn, key), value), (demand_file, key, _value(vwn, key), value)


def test_wi2013_runs_under_the_law_of_2013(run):
    assert run("wi2013", *BRIEF).law == "2013"
    assert run("baseline", *BRIEF).law == "2021"
    assert run("baseline", *BRIEF, "population.permit_year=2014").law == "2013"
