"""Every command's output folder (experiments/runs/outputs.py): one key, ``out=PATH``, checked
before any work starts, new for every run, never written over without ``overwrite=true``.

- every command that writes a folder takes ``out=`` and refuses, with one line, exit code 2, no
  traceback and nothing left behind: a path that is a file or lies under one, a place this user
  cannot write in, a name too long for the file system, a folder holding files the command did not
  make, and the key's old names (``output_dir``, ``hydra.run.dir``, calibrate's ``report``,
  aggregate's ``--out``);
- ``overwrite=true`` writes into such a folder, replacing only files of the same names; a folder
  of the command's own is taken without it;
- two runs of the same scenario and seed started in the same second get two folders.

The refusals run in process through each command's ``main`` (they stop before any work); the
runs that write run as a user runs them.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import PYTHON, ROOT

from experiments.runs.outputs import foreign_entries, new_folder

TINY = ["population.size=300", "population.horizon_months=12"]
TARGETS = str(ROOT / "model" / "data" / "calibration_targets.csv")

#: every command that writes a folder, with the arguments it needs besides out=
COMMANDS = {
    "run": [],
    "compare": [],
    "validate": [f"targets={TARGETS}"],
    "patterns": [],
    "calibrate": [],
    "sensitivity": [],
    "aggregate": ["{runs}"],
}
#: the output folder's cases: (id, out=, words the one line must hold)
CASES = [
    ("a file", "{file}", ["a folder (this path is a file)"]),
    ("under a file", "{file}/sub", ["a folder that can be created"]),
    ("too long", "{tmp}/" + "n" * 250, ["folder names of at most"]),
    ("not writable", "/proc/out-here", ["a folder this user can write in"]),
]
#: the key's old names, each refused with a line naming out=
OLD = [("output_dir", "output_dir={tmp}/new"), ("hydra.run.dir", "hydra.run.dir={tmp}/new")]
OWN_OLD = {"calibrate": [("report", "report={tmp}/new")], "aggregate": [("--out", "--out={tmp}/new")]}
#: commands whose foreign-folder check needs their settings composed (Hydra): run as a user does
COMPOSED = ("compare", "sensitivity")


@pytest.fixture
def place(tmp_path):
    """A temporary folder holding a file (``{file}``) and an empty folder of runs (``{runs}``)."""
    (tmp_path / "a_file.txt").write_text("x")
    (tmp_path / "runs").mkdir()
    return {"tmp": tmp_path, "file": tmp_path / "a_file.txt", "runs": tmp_path / "runs"}


def _entries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _refused(monkeypatch, capsys, command: str, args: list[str]) -> str:
    """Run the command's ``main`` in process; it must stop with exit code 2 and one line."""
    module = importlib.import_module(f"experiments.{command}")
    monkeypatch.setattr("sys.argv", [f"{command}.py", *args])
    try:
        code = module.main()
    except SystemExit as e:
        code = e.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    line = err.strip()
    assert line.startswith("error: ") and " is not allowed: expected " in line, line
    return line


def _cases():
    out = []
    for command in COMMANDS:
        for name, value, words in CASES:
            out.append(pytest.param(command, [f"out={value}"], "out", words, id=f"{command}-{name}"))
        for key, arg in OLD + OWN_OLD.get(command, []):
            out.append(pytest.param(command, [arg], key, ["out=PATH"], id=f"{command}-{key}"))
        if command not in COMPOSED:
            out.append(pytest.param(command, ["out={tmp}"], "out", ["a_file.txt", "overwrite=true"],
                                    id=f"{command}-holds other files"))
    return out


@pytest.mark.parametrize("command, args, key, words", _cases())
def test_a_bad_output_folder_is_refused_in_one_line(monkeypatch, capsys, place, command, args, key,
                                                    words):
    before = _entries(place["tmp"])
    line = _refused(monkeypatch, capsys, command,
                    [a.format(**place) for a in [*COMMANDS[command], *args]])
    assert line.startswith(f"error: {key}="), line
    for w in words:
        assert w in line, (w, line)
    assert _entries(place["tmp"]) == before  # nothing made, nothing touched
    assert not Path("/proc/out-here").exists()


def test_a_sensitivity_analysis_refuses_a_folder_holding_other_files(place):
    """Checked once its settings are composed (the folder is named after them), before any run."""
    proc = subprocess.run([PYTHON, "-m", "experiments.sensitivity", f"out={place['tmp']}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr[-1500:]
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: out=") and "a_file.txt" in lines[0], proc.stderr
    assert "sensitivity analysis:" not in proc.stdout  # nothing started
    assert _entries(place["tmp"]) == ["a_file.txt", "runs"]


def _run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "experiments.run", *TINY, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def test_a_folder_with_other_files_is_written_only_when_asked(tmp_path):
    """Refused without overwrite=true; with it, the run's files are written and the others kept.
    A run's own folder is taken again without asking (its files are replaced)."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    refused = _run(f"out={mine}")
    assert refused.returncode == 2 and "overwrite=true" in refused.stderr, refused.stderr
    assert _entries(mine) == ["notes.txt"]
    taken = _run(f"out={mine}", "overwrite=true")
    assert taken.returncode == 0, taken.stderr[-1500:]
    assert (mine / "notes.txt").read_text() == "keep me" and (mine / "run.json").is_file()
    own = tmp_path / "own"
    first = _run(f"out={own}", "seed=1")
    again = _run(f"out={own}", "seed=2")  # its own folder: replaced, no question asked
    assert first.returncode == 0 and again.returncode == 0, again.stderr[-1500:]
    assert '"seed": 2' in (own / "run.json").read_text()
    from experiments.runs.jobs import RUN_WRITES

    assert foreign_entries(own, RUN_WRITES) == []  # everything a run writes is declared


def test_new_folders_never_collide(tmp_path):
    """Sixteen claims of one name at once give sixteen folders (os.mkdir is atomic)."""
    got, start = [], threading.Barrier(16)

    def claim():
        start.wait()
        got.append(new_folder(tmp_path / "runs" / "2000-01-01_00-00-00_baseline_seed0")[0])

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = sorted(p.name for p in got)
    assert len(set(names)) == 16 and "2000-01-01_00-00-00_baseline_seed0" in names
    assert "2000-01-01_00-00-00_baseline_seed0-16" in names


#: a run whose clock always says the same second
SAME_SECOND = """
import sys, time
time.strftime = lambda fmt, *args: "2000-01-01_00-00-00"
import experiments.run as r
sys.argv = ["run.py", *sys.argv[1:]]
r.main()
"""


def test_two_runs_in_the_same_second_get_two_folders(tmp_path):
    """Two runs of the same scenario and seed, started together, both in the same second: each
    writes its own default folder under results/runs/ (the second gets -2), none is shared."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HYDRA_MAIN_MODULE": "__main__"}
    procs = [subprocess.Popen([PYTHON, "-c", SAME_SECOND, *TINY, "seed=3"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-1500:]
    runs = sorted(p.name for p in (tmp_path / "results" / "runs").iterdir())
    assert runs == ["2000-01-01_00-00-00_baseline_seed3", "2000-01-01_00-00-00_baseline_seed3-2"]
    for name in runs:
        assert (tmp_path / "results" / "runs" / name / "run.json").is_file()


def test_a_sweep_takes_out_as_its_folder(tmp_path):
    """``out=`` is a sweep's folder too (hydra.sweep.dir is the same key; giving both is refused)."""
    both = _run("-m", "seed=0,1", f"out={tmp_path / 'a'}", f"hydra.sweep.dir={tmp_path / 'b'}")
    assert both.returncode == 2 and len(both.stderr.splitlines()) == 1, both.stderr
    assert "not both" in both.stderr and list(tmp_path.iterdir()) == []


def test_a_sweeps_folder_key_is_refused_for_a_single_run(monkeypatch, capsys, tmp_path):
    """hydra.sweep.dir names a sweep's folder; a single run would ignore it, so it is refused."""
    line = _refused(monkeypatch, capsys, "run", [f"hydra.sweep.dir={tmp_path / 'x'}"])
    assert line.startswith("error: hydra.sweep.dir=") and "out=PATH for a single run" in line
    assert list(tmp_path.iterdir()) == []


def test_home_is_expanded():
    from experiments.runs.outputs import check_output

    assert check_output("out", "~/results/mine") == str(Path.home() / "results" / "mine")
    assert check_output("out", None) is None
