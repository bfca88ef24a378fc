"""Bad input, generated (property-based, with hypothesis): whatever a user types or saves, the
commands either take it or refuse it with one line, exit code 2, no traceback and no folder.

Three kinds of input are generated:

- ``key=value`` overrides: known and unknown keys, unicode, empty parts, huge numbers, NaN and
  infinities, Hydra syntax (sweeps, ``+``/``~``, brackets, interpolations);
- scenario files: random text and bytes, YAML-ish lines, mappings with wrong types and with keys a
  scenario may not set (``seed``, ``population.size``, ``hydra.run.dir``), defaults that include
  themselves or a missing scenario. They are written into a scenario folder of the test's own
  (``model.config.SCENARIO_DIR`` in process, ``INTEGRATION_SIM_SCENARIOS`` for a subprocess),
  never into ``scenarios/``;
- targets files as a spreadsheet set to Dutch saves them (semicolons between fields, decimal
  commas), which get a hint saying so, and random text.

Most examples run in process through the same checks the command line uses
(:func:`experiments.runs.compose.load`: the override check, Hydra's composition, ``build``); a few
of each kind run as a user runs them, in a subprocess. The examples are the same on every run (the
``ci`` profile in ``tests/conftest.py``).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

import pytest
import yaml
from conftest import PYTHON, ROOT
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import model.config
from experiments.evidence.targets import DUTCH_EXCEL, REQUIRED_COLUMNS, read_targets
from experiments.runs.compose import load
from model.config import SCENARIO_ENV, ScenarioError, all_params, scenario_problem
from model.errors import ConfigError
from model.policy import LEVERS

BRIEF = ["population.size=200", "population.horizon_months=12"]
KEYS = [f"{g}.{p.name}" for g, p in all_params()] + ["seed", "calibration", "allow_outside_range"]
FORBIDDEN = ["seed", "population.size", "population.horizon_months", "hydra.run.dir",
             "hydra.sweep.dir", "allow_outside_range", "calibration_info.date", "calibration", "foo"]


def _one_line(error: Exception) -> str:
    line = f"error: {error}"
    assert len(line.splitlines()) == 1, line
    assert "Traceback" not in line
    assert " is not allowed: expected " in line, line
    return line


def _cli(module: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def _refused_in_one_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, f"exit {proc.returncode}: {proc.stderr[-1500:]}"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr[-1500:]
    return lines[0]


# ---- overrides ---------------------------------------------------------------------------------
scalars = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "true", "null", "[1,",
                     "${x}", "'a'", "1,2", "range(3)", "0x10", "１２", "1_000", "2.", "é", " ",
                     "{a: 1}", "[]", "'", "\\", "12,5"]))
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS).map(lambda k: k + "x"),
                 st.text(max_size=16),
                 st.sampled_from(["+foo", "~policy.law", "++seed", "params", "population",
                                  "policy.", ".seed", "params.work", "", " seed", "SEED"]))
override = st.one_of(st.builds(lambda k, v: f"{k}={v}", keys, scalars), st.text(max_size=24))
# Hydra's own settings (hydra.*) are Hydra's to check and report
override = override.filter(lambda t: not t.strip().lstrip("+~").startswith("hydra"))


def _load_or_error(args: list[str]) -> ConfigError | None:
    try:
        load("baseline", [*BRIEF, *args])
    except ConfigError as e:
        return e
    return None


@settings(max_examples=40)
@given(st.lists(override, min_size=1, max_size=3))
@example(["population.horizon_months=0"])
@example(["params.work.base_rate=1e308"])
@example(["population.size=nan"])
@example(["policy.support_level=-inf"])
@example(["=1"])
@example([""])
@example(["policy.law=ß"])
def test_generated_overrides_are_taken_or_refused_in_one_line(args):
    error = _load_or_error(args)
    if error is not None:
        _one_line(error)


@settings(max_examples=20)
@given(key=st.sampled_from([f"{g}.{p.name}" for g, p in all_params() if p.kind not in ("flag", "choice")]),
       where=st.sampled_from(["above", "below"]))
def test_values_outside_the_range_name_key_value_and_range(key, where):
    p = dict((f"{g}.{q.name}", q) for g, q in all_params())[key]
    width = p.high - p.low + 1
    value = p.high + width if where == "above" else p.low - width
    lo, hi = p.hard_bounds
    assume(lo <= value <= hi)
    text = f"{int(value)}" if p.kind == "count" else repr(float(value))
    error = _load_or_error([f"{key}={text}"])
    assert error is not None and error.key == key
    line = _one_line(error)
    assert f"{p.low:g} to {p.high:g}" in line and "allow_outside_range=true" in line
    assert _load_or_error([f"{key}={text}", "allow_outside_range=true"]) is None


@settings(max_examples=3)
@given(text=override.filter(lambda t: "scenario" not in t))
@example(text="population.horizon_months=0")
def test_refused_overrides_exit_2_on_the_command_line(text):
    """As a user runs it: exit code 2, one line, nothing left behind."""
    assume(_load_or_error([text]) is not None)
    with tempfile.TemporaryDirectory() as tmp:
        proc = _cli("experiments.run", *BRIEF, text, f"out={tmp}/run")
        _refused_in_one_line(proc)
        assert os.listdir(tmp) == []


# ---- scenario files ----------------------------------------------------------------------------
SNIPPETS = ["policy:", "  support_level: 2", "\tsupport_level: 2", "  support_level: 9",
            "  support_level: abc", "  dual_track: maybe", "scenario_info:", "  demand: D3",
            "  demand: D99", "  summary: x", "  name_nl: 'Privé'", "  name_en: 7", "  other: x",
            "defaults:", "  - baseline", "  - {self}", "  - nope", "  - 3", "- a", "seed: 1",
            "population:", "  size: 5", ":", "[", "{", "policy: [1, 2]", "params:", "  work:",
            "    base_rate: 0.05", "    base_rate: 1e308", "  nope: {}", "context: 3", "costs: {}",
            "hydra:", "  run:", "    dir: x", "scenario: other", "x: ${y}", "  &a b: *a", "---",
            "%YAML 1.1", "!!python/object:os.system", "'unclosed", "policy: {law: '2013'}"]
lever_names = [p.name for p in LEVERS]
values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                      max_leaves=6)
structured = st.dictionaries(
    st.sampled_from(["policy", "params", "context", "costs", "scenario_info", "defaults", *FORBIDDEN]),
    st.one_of(values, st.dictionaries(st.sampled_from([*lever_names, "nope"]), values, max_size=3)),
    max_size=4)
scenario_content = st.one_of(
    st.text(max_size=120),
    st.binary(max_size=60),
    st.lists(st.sampled_from(SNIPPETS), max_size=8).map("\n".join),
    structured.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
)
_names = itertools.count()


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory):
    """A scenario folder of this module's own: the shipped files, copied."""
    folder = tmp_path_factory.mktemp("scenarios")
    for p in (ROOT / "scenarios").glob("*.yaml"):
        (folder / p.name).write_bytes(p.read_bytes())
    return folder


def _write(folder: Path, name: str, content) -> Path:
    path = folder / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content.replace("{self}", name), encoding="utf-8")
    return path


@settings(max_examples=40)
@given(content=scenario_content)
@example(content="policy:\n\tsupport_level: 2\n")
@example(content="defaults:\n  - {self}\n")
@example(content="defaults:\n  - nope\n")
@example(content="- a\n- b\n")
@example(content="${")
@example(content=b"scenario_info:\n  summary: caf\xe9\n")
@example(content="scenario_info:\n  demand: D99\n  summary: mine\n  name_nl: Privé\n")
def test_generated_scenario_files_are_used_or_refused_in_one_line(scenario_dir, content):
    name = f"gen{next(_names)}"
    path = _write(scenario_dir, name, content)
    try:
        with mock.patch.object(model.config, "SCENARIO_DIR", scenario_dir):
            problem = scenario_problem(name)
            try:
                load(name, BRIEF)
            except ConfigError as e:
                line = _one_line(e)
                if problem:  # the file's problem, naming the file
                    assert isinstance(e, ScenarioError) and path.name in line, line
            else:
                assert problem is None
    finally:
        path.unlink()


@settings(max_examples=15)
@given(key=st.sampled_from(FORBIDDEN), value=st.one_of(st.integers(0, 99), st.text(max_size=5), st.booleans()))
def test_a_scenario_sets_only_what_a_scenario_may_set(scenario_dir, key, value):
    node: dict = {}
    inner = node
    for part in key.split(".")[:-1]:
        inner = inner.setdefault(part, {})
    inner[key.split(".")[-1]] = value
    name = f"gen{next(_names)}"
    path = _write(scenario_dir, name, yaml.safe_dump(node, allow_unicode=True))
    try:
        with mock.patch.object(model.config, "SCENARIO_DIR", scenario_dir):
            with pytest.raises(ScenarioError) as info:
                load(name, BRIEF)
        line = _one_line(info.value)
        assert f"it sets {key}, which a scenario cannot set" in line and path.name in line
    finally:
        path.unlink()


#: broken files, each with what its one line must say
BROKEN = {
    "tab": ("policy:\n\tsupport_level: 2\n", "line 2: a tab indents a line"),
    "syntax": ("policy:\n  support_level: [2\n", "not valid YAML"),
    "latin1": (b"scenario_info:\n  summary: caf\xe9\n", "not UTF-8"),
    "a_list": ("- a\n- b\n", "holds a list"),
    "selfref": ("defaults:\n  - selfref\n", "include itself"),
    "missing": ("defaults:\n  - nope\n", "'nope', which is not a scenario file"),
    "sets_seed": ("seed: 3\n", "it sets seed"),
    "sets_size": ("population:\n  size: 5\n", "it sets population.size"),
    "sets_run_dir": ("hydra:\n  run:\n    dir: /tmp/x\n", "it sets hydra.run.dir"),
    "out_of_bounds": ("policy:\n  support_level: -1\n", "policy.support_level=-1"),
    "includes_broken": ("defaults:\n  - tab\n", "tab.yaml: line 2"),
}


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory):
    """Shipped scenarios, every broken file above, and one named privé.yaml."""
    folder = tmp_path_factory.mktemp("broken_scenarios")
    for p in (ROOT / "scenarios").glob("*.yaml"):
        (folder / p.name).write_bytes(p.read_bytes())
    for name, (content, _) in BROKEN.items():
        _write(folder, name, content)
    _write(folder, "privé", "scenario_info:\n  demand: D99\n  summary: mine\n  name_nl: Privé\n"
                            "policy:\n  support_level: 2.5\n")
    _write(folder, "far", "policy:\n  support_level: 9\n")  # outside the range 0.5-3
    _write(folder, "near", "defaults:\n  - far\npolicy:\n  support_level: 2\n")  # brings it back
    return folder


#: broken files run as a user runs them (each subprocess costs seconds; the rest run in process)
ON_THE_COMMAND_LINE = ("tab", "latin1", "selfref", "sets_run_dir")


@pytest.fixture(scope="module")
def broken_runs(broken_dir, tmp_path_factory):
    """Some broken scenarios chosen on the command line (two at a time), plus --help, a scenario
    that works and privé: name -> (CompletedProcess, its temporary folder)."""
    cases = {n: [f"scenario={n}"] for n in ON_THE_COMMAND_LINE}
    cases.update({"--help": ["--help"], "baseline": ["scenario=baseline"], "privé": ["scenario=privé"]})

    def one(item):
        name, args = item
        base = tmp_path_factory.mktemp("out")
        proc = _cli("experiments.run", *args, *BRIEF, f"out={base / 'run'}",
                    env={SCENARIO_ENV: str(broken_dir)})
        return name, (proc, base)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, cases.items()))


@pytest.mark.parametrize("name", ON_THE_COMMAND_LINE)
def test_a_broken_scenario_file_stops_only_its_own_command(broken_runs, name):
    proc, base = broken_runs[name]
    line = _refused_in_one_line(proc)
    assert f"scenario={name!r}" in line and BROKEN[name][1] in line, line
    assert os.listdir(base) == []


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_scenario_file_is_refused_in_one_line(broken_dir, name):
    """The same check the command line makes, in process, for every broken file."""
    with mock.patch.object(model.config, "SCENARIO_DIR", broken_dir):
        with pytest.raises(ScenarioError) as info:
            load(name, BRIEF)
        assert scenario_problem("baseline") is None and scenario_problem("vwn_position") is None
    line = _one_line(info.value)
    assert f"scenario={name!r}" in line and BROKEN[name][1] in line, line


def test_other_commands_run_beside_broken_files(broken_runs):
    for name in ("--help", "baseline", "privé"):
        proc, base = broken_runs[name]
        assert proc.returncode == 0, (name, proc.stderr[-1500:])
        assert "Traceback" not in proc.stderr
    assert (broken_runs["baseline"][1] / "run" / "run.json").is_file()
    written = yaml.safe_load((broken_runs["privé"][1] / "run" / "config.yaml").read_text(encoding="utf-8"))
    assert written["scenario"] == "privé" and written["policy"]["support_level"] == 2.5
    assert written["scenario_info"]["name_nl"] == "Privé"


def test_a_scenario_value_outside_its_range_names_the_file(broken_dir):
    """Refused before Hydra runs (so a sweep leaves no folder), naming the file; taken when asked
    for, or when the command line or an including file sets the key again."""
    with mock.patch.object(model.config, "SCENARIO_DIR", broken_dir):
        with pytest.raises(ConfigError) as info:
            load("far", BRIEF)
        line = _one_line(info.value)
        assert "policy.support_level=9" in line and "far.yaml" in line and "0.5 to 3" in line, line
        rc = load("far", [*BRIEF, "allow_outside_range=true"])
        assert rc.outside_range == (("policy.support_level", 9.0, 0.5, 3.0),)
        assert load("far", [*BRIEF, "policy.support_level=2"]).policy.support_level == 2.0
        assert load("near", BRIEF).policy.support_level == 2.0


def test_display_names_come_from_the_file_with_fallbacks(broken_dir):
    from experiments.runs.compose import display_name, display_summary

    with mock.patch.object(model.config, "SCENARIO_DIR", broken_dir):
        assert display_name("privé", "nl") == "Privé"
        assert display_name("privé", "en") == "privé"
        assert display_name("privé", "en", fallback="Private") == "Private"
        assert display_name("tab", "nl", fallback="Tabs") == "Tabs"  # broken: the fallback
        assert display_summary("privé", "en") == "mine"
        assert display_summary("baseline", "nl", fallback="Vandaag") == "Vandaag"


# ---- targets files -----------------------------------------------------------------------------
def _targets_text(sep: str, values: list[float], quote: bool) -> str:
    rows = [sep.join(REQUIRED_COLUMNS)]
    for i, v in enumerate(values):
        cell = f"{v:.1f}".replace(".", ",")
        rows.append(sep.join([f"t{i}", "employed", "2016", "all", "36",
                              f'"{cell}"' if quote else cell]))
    return "\n".join(rows) + "\n"


@given(sep=st.sampled_from([";", ","]), quote=st.booleans(),
       values=st.lists(st.floats(min_value=0.1, max_value=99.0), min_size=1, max_size=4))
def test_a_dutch_excel_export_gets_a_hint(tmp_path_factory, sep, quote, values):
    path = tmp_path_factory.mktemp("targets") / "targets.csv"
    path.write_text(_targets_text(sep, values, quote), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_targets(path)
    line = _one_line(info.value)
    assert DUTCH_EXCEL in line, line


@given(st.one_of(st.text(max_size=200), st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
                 st.lists(st.sampled_from([",".join(REQUIRED_COLUMNS), ";".join(REQUIRED_COLUMNS),
                                           "t,employed,2016,all,36,12.5", "t,employed,2016,all,36,12,5",
                                           "t;employed;2016;all;36;12,5", "t,nope,2016,all,36,1",
                                           "t,employed,1990,all,36,1", '"', "\x00", ""]),
                          max_size=5).map("\n".join)))
def test_generated_targets_files_are_read_or_refused_in_one_line(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("targets") / "targets.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        read_targets(path)
    except ConfigError as e:
        _one_line(e)


def test_a_dutch_excel_export_is_refused_on_the_command_line(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(_targets_text(";", [12.5], False), encoding="utf-8")
    proc = _cli("experiments.validate", f"targets={path}", f"out={tmp_path / 'out'}")
    assert DUTCH_EXCEL in _refused_in_one_line(proc)
    assert [p.name for p in tmp_path.iterdir()] == ["targets.csv"]
