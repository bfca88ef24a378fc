"""Bad input on the command line: one line naming the key and what is allowed, exit code 2, and no
result folder (experiments/run.py, experiments/runs/overrides.py).

Every case is run as a user would run it (``python -m experiments.run ...`` in a subprocess) with
``out=`` (the run's folder, or a sweep's) pointing into a fresh temporary folder; afterwards that
folder must be empty: no result folder and no hidden ``.partial`` folder. The output folder's own
cases (a file, an unwritable place, a name too long, a folder holding other files, the key's old
names) are in ``tests/test_output_folders.py``, for every command.
"""

from __future__ import annotations

import re
import subprocess
import traceback
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import PYTHON, ROOT

#: (id, arguments, text the message must contain: the key, and what is allowed); the cases of the
#: brief and every case that reaches Hydra or the model run in a subprocess
CASES = [
    ("unknown scenario", ["scenario=no_such_scenario"], ["scenario", "no_such_scenario", "baseline", "vwn_position"]),
    ("misspelt key", ["population.sizee=10"], ["population.sizee", "population.size"]),
    ("count not a number", ["population.size=abc"], ["population.size", "abc", "whole number"]),
    ("flag not a bool", ["policy.dual_track=maybe"], ["policy.dual_track", "maybe", "true or false"]),
    ("probability above 1", ["policy.competence_assessment=1.5"], ["policy.competence_assessment", "1.5", "[0, 1]"]),
    ("multiplier below 0", ["policy.support_level=-1"], ["policy.support_level", "-1", ">= 0"]),
    ("added key", ["+foo=1"], ["foo", "none can be added"]),
    ("bad value in a sweep", ["-m", "seed=1,x"], ["seed", "'x'", "whole number"]),
    ("permit year beyond the data", ["population.permit_year=2050"], ["population.permit_year", "2014", "2025"]),
    # values the declared hard bounds let through but the model cannot run
    ("count infinite", ["population.size=inf"], ["population.size", "whole number"]),
    ("count nan", ["population.size=nan"], ["population.size", "whole number"]),
    ("empty cohort", ["population.size=0"], ["population.size"]),
    ("infinite multiplier", ["policy.support_level=inf"], ["policy.support_level"]),
]

#: more cases, checked in-process through the same entry point (experiments.run.main), which
#: rejects them before Hydra starts (so before any folder could be made)
MORE = [
    ("unknown group", ["params.wrk.base_rate=1"], ["params.wrk.base_rate", "params.work.base_rate"]),
    ("group as value", ["population=5"], ["population", "declared key"]),
    ("count not whole", ["population.size=1500.5"], ["population.size", "whole number"]),
    ("flag as a number", ["policy.dual_track=1"], ["policy.dual_track", "true or false"]),
    ("share below 0", ["policy.discrimination=-0.1"], ["policy.discrimination", "[0, 1]"]),
    ("nan", ["policy.support_level=nan"], ["policy.support_level", ">= 0"]),
    ("choice not allowed", ["policy.law=2019"], ["policy.law", "2019", "auto, 2013, 2021"]),
    ("exam level not allowed", ["policy.exam_level=C1"], ["policy.exam_level", "A2", "B1"]),
    ("deleted key", ["~policy.law"], ["policy.law", "none can be added or removed"]),
    ("negative seed", ["seed=-1"], ["seed", ">= 0"]),
    ("seed not a number", ["seed=abc"], ["seed", "whole number"]),
    ("unknown calibration", ["calibration=no_such_set"], ["calibration", "no_such_set", "none"]),
    ("nested param below bound", ["params.work.base_rate=-0.1"], ["params.work.base_rate", ">= 0"]),
    ("syntax error", ["policy.support_level=[1,"], ["policy.support_level"]),
    ("permit year before the data", ["population.permit_year=1990"], ["population.permit_year", "2014", "2025"]),
    ("bad value in a scenario sweep", ["-m", "scenario=baseline,nope"], ["scenario", "nope"]),
]

#: cases the CLI is known to get wrong (strict xfail, so a fix is noticed); none at present
KNOWN: dict = {}

CASE_IDS = [c[0] for c in CASES]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, cli):
    """Run every case once (two at a time): id -> (CompletedProcess, its temporary folder), or
    the traceback of what went wrong while running that case (a timeout, a failed start), so
    that it fails its own tests with the reason instead of erroring every test of the module."""
    def one(case):
        name, args, _ = case
        try:
            base = tmp_path_factory.mktemp("bad")
            small = [d for d in ("population.size=1000", "population.horizon_months=12")
                     if not any(a.startswith(d.split("=")[0] + "=") for a in args)]
            return name, (cli(*args, *small, f"out={base / 'run'}"), base)
        except Exception:
            return name, traceback.format_exc()

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, CASES))


def _outcome(outcomes, name):
    got = outcomes[name]
    if isinstance(got, str):
        pytest.fail(f"running the case failed:\n{got}")
    return got


def _params():
    out = []
    for name, args, expect in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else []
        out.append(pytest.param(name, expect, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name, expect", _params())
def test_bad_input_gives_one_line_and_exit_code_2(outcomes, name, expect):
    proc, _ = _outcome(outcomes, name)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 2, f"exit {proc.returncode}; stderr: {proc.stderr[-1500:]}"
    assert len(lines) == 1, f"{len(lines)} lines on stderr: {proc.stderr[-1500:]}"
    _check_line(lines[0], expect)


@pytest.mark.parametrize("name", [
    pytest.param(c, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[c])]) if c in KNOWN
    else c for c in CASE_IDS])
def test_bad_input_leaves_no_folder(outcomes, name):
    """Whatever happens, nothing is left behind: not the run folder (or a sweep's), not a hidden
    .partial folder, and no traceback."""
    proc, base = _outcome(outcomes, name)
    assert "Traceback" not in proc.stderr
    assert list(base.iterdir()) == [], [p.name for p in base.iterdir()]


def test_good_input_does_make_a_folder(tmp_path, cli):
    """The folder checks above can fail: a valid command writes its folder (and no .partial)."""
    proc = cli("population.size=1000", "population.horizon_months=12", f"out={tmp_path / 'run'}")
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stderr == ""
    assert {p.name for p in (tmp_path / "run").iterdir()} >= {"config.yaml", "run.json", "outcomes.csv"}
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def _check_line(line: str, expect: list[str]) -> None:
    assert line.startswith("error: ") and "is not allowed: expected" in line, line
    for text in expect:
        assert text in line, f"{text!r} not in {line!r}"


@pytest.mark.parametrize("name, args, expect", MORE, ids=[c[0] for c in MORE])
def test_more_bad_input_in_process(monkeypatch, capsys, tmp_path, name, args, expect):
    from experiments import run

    monkeypatch.setattr("sys.argv", ["run.py", *args, f"out={tmp_path / 'run'}"])
    with pytest.raises(SystemExit) as info:
        run.main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    _check_line(err.splitlines()[0], expect)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, key", [(("size=0",), "population.size=0"),
                                       (("repeats=0",), "repeats='0'"),
                                       (("scenario=nope",), "scenario='nope'"),
                                       (("--size", "0"), "--size='0'")])
def test_benchmark_bad_input_gives_one_line(args, key):
    """The speed benchmark checks its own keys, the model settings it passes on, and refuses its
    old --options with the key that replaced each."""
    p = subprocess.run([PYTHON, "-m", "experiments.benchmark", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {key} is not allowed"), p.stderr


@pytest.mark.parametrize("command, args, key, new", [
    ("odd_table", ["--check"], "--check", "check=true"),
    ("odd_table", ["--path", "x.md"], "--path", "path=FILE"),
    ("aggregate", ["{tmp}", "--language", "nl"], "--language", "language=en|nl"),
    ("aggregate", ["{tmp}", "--no-stories"], "--no-stories", "stories=false"),
    ("benchmark", ["--json"], "--json", "json=true"),
])
def test_old_options_are_refused_with_the_key_that_replaced_them(monkeypatch, capsys, tmp_path,
                                                                 command, args, key, new):
    """Every command takes key=value: an --option of an earlier version stops with one line naming
    its key (before anything runs)."""
    import importlib

    module = importlib.import_module(f"experiments.{command}")
    monkeypatch.setattr("sys.argv", [command, *(a.format(tmp=tmp_path) for a in args)])
    try:
        code = module.main()
    except SystemExit as e:
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {key}="), err
    assert new in err and list(tmp_path.iterdir()) == []


def test_odd_table_takes_key_value(capsys):
    from experiments import odd_table

    assert odd_table.main(["check=true"]) == 0
    assert "generated tables are current" in capsys.readouterr().out


# ---- a sweep's aggregation ---------------------------------------------------------------------
def test_a_bad_aggregation_setting_is_refused_before_the_sweep(tmp_path, cli):
    proc = cli("-m", "scenario=baseline,d1_municipal_role", "seed=0", "population.size=500",
               "hydra.callbacks.aggregate.language=de", f"hydra.sweep.dir={tmp_path / 'sweep'}")
    assert proc.returncode == 2, proc.stderr[-1500:]
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr[-1500:]
    _check_line(lines[0], ["hydra.callbacks.aggregate.language", "'de'", "en, nl"])
    assert list(tmp_path.iterdir()) == []


#: a sweep whose aggregation fails (the report cannot be written)
BROKEN_PUBLISH = """
import sys
import experiments.aggregate as a
def publish(*args, **kwargs):
    raise RuntimeError("simulated failure\\nwith a second line")
a.publish = publish
import experiments.run as r
sys.argv = ["run.py", "-m", *sys.argv[1:]]
r.main()
"""


def test_a_sweep_whose_aggregation_fails_exits_non_zero(tmp_path):
    import os

    sweep = tmp_path / "sweep"
    # imported rather than run with -m, Hydra would look for conf/ as a package: point it at the file
    proc = subprocess.run([PYTHON, "-c", BROKEN_PUBLISH, "seed=0", "population.size=200",
                           "population.horizon_months=12", "hydra.callbacks.aggregate.stories=false",
                           f"hydra.sweep.dir={sweep}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "HYDRA_MAIN_MODULE": "__main__"})
    assert proc.returncode == 1, proc.stderr[-1500:]
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and "simulated failure" in errors[0] and "experiments.aggregate" in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr and "second line" not in proc.stderr
    assert list(sweep.glob("*/run.json")), "the jobs' folders stay (aggregation can be run again)"


@pytest.mark.parametrize("command", ["run", "compare", "aggregate", "calibrate", "validate", "patterns",
                                     "sensitivity", "dashboard", "benchmark", "odd_table"])
def test_every_command_says_what_it_does_on_help(command):
    """``python -m experiments.<command> --help`` exits 0 and describes the command (nothing runs)."""
    proc = subprocess.run([PYTHON, "-m", f"experiments.{command}", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) >= 8, proc.stdout
    if command == "run":
        _check_run_help(proc.stdout)


def _check_run_help(text: str) -> None:
    """run's help says what it does, its keys with meaning, unit and range, and examples; not
    Hydra's dump of the configuration."""
    from model.config import groups
    from model.policy import LEVERS

    assert text.startswith("python -m experiments.run"), text[:200]
    assert "writes one self-describing folder" in text and "exit code 2" in text
    for key in ("scenario=baseline", "seed=0", "calibration=fitted", "out=PATH", "overwrite=false",
                "allow_outside_range=false", "list=scenarios|levers", "docs/ODD.md", "-m ",
                "hydra.sweep.dir", "--hydra-help", "--cfg job", "Examples:"):
        assert key in text, key
    for p in groups()["population"]:  # the cohort's keys, with unit and range
        assert f"population.{p.name}=" in text and p.unit in text, p.name
    assert "100 to 1000000" in text  # population.size's plausible range
    words = " ".join(text.split())
    for p in LEVERS:  # every lever, with a line of what it does
        assert f"policy.{p.name}=" in text and " ".join(p.doc.split()) in words, p.name
    assert "== Config ==" not in text and "_target_" not in text and "calibration_info" not in text


def test_hydras_own_flags_still_work():
    """``--hydra-help`` and ``--cfg job`` go to Hydra as before (and make no folder)."""
    hydra_help = subprocess.run([PYTHON, "-m", "experiments.run", "--hydra-help"], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
    assert hydra_help.returncode == 0 and "Hydra" in hydra_help.stdout, hydra_help.stderr
    cfg = subprocess.run([PYTHON, "-m", "experiments.run", "--cfg", "job", "scenario=d3_labour_guidance"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert cfg.returncode == 0, cfg.stderr
    assert "scenario: d3_labour_guidance" in cfg.stdout and "job_coaching: 2.0" in cfg.stdout


# ---- what can be chosen ------------------------------------------------------------------------
def _listed(monkeypatch, capsys, what: str) -> str:
    from experiments import run

    monkeypatch.setattr("sys.argv", ["run.py", f"list={what}"])
    run.main()
    return capsys.readouterr().out


def test_the_scenarios_are_listed_with_their_descriptions(monkeypatch, capsys):
    from model.config import scenario_file, scenario_names

    text = _listed(monkeypatch, capsys, "scenarios")
    words = " ".join(text.split())
    for name in scenario_names():
        info = scenario_file(name)[0]["scenario_info"]
        assert re.search(rf"^  {re.escape(name)}(\s|$)", text, re.M), name
        assert " ".join(str(info["summary"]).split()) in words, name
    assert "sets policy.job_coaching=2.0 policy.job_matching=0.5" in words  # d3's own settings


def test_the_levers_are_listed_with_what_they_mean(monkeypatch, capsys):
    from experiments.presentation.command_line import value_range
    from model.policy import LEVERS

    text = _listed(monkeypatch, capsys, "levers")
    words = " ".join(text.split())
    for p in LEVERS:
        assert f"policy.{p.name}=" in text, p.name
        for part in (p.doc, p.unit, value_range(p), p.source):
            assert " ".join(part.split()) in words, (p.name, part)
    assert "\nD1:\n" in text and text.index("\nD1:") < text.index("\nD2:") < text.index("\nD10:")


def test_an_unknown_list_is_refused_in_one_line(monkeypatch, capsys, tmp_path):
    from experiments import run

    monkeypatch.setattr("sys.argv", ["run.py", "list=parameters", f"out={tmp_path / 'run'}"])
    with pytest.raises(SystemExit) as info:
        run.main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    _check_line(err.strip(), ["list", "'parameters'", "scenarios or levers"])
    assert list(tmp_path.iterdir()) == []
