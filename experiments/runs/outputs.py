"""A command's output folder: one key (``out=PATH``), checked before any work starts, made new for
every run unless asked for, and never written over without being asked.

Every command that writes a folder takes ``out=PATH`` and ``overwrite=true|false``:

- :func:`check_output` refuses, with one line (:class:`model.errors.ConfigError`), a path that is a
  file or lies under one, a folder this user cannot write in, a name too long for the file system,
  and an existing folder holding anything the command did not make itself (the command's own
  ``writes``, glob patterns of names), unless ``overwrite=true``. A folder of the command's own is
  taken: a comparison or a sensitivity analysis resumes in it, another command replaces its
  earlier output there. With ``overwrite=true`` the files of the same names are replaced and every
  other file is left as it was (nothing is ever deleted).
- :func:`output_folder` makes the folder when the work starts: a default folder is made new with
  ``os.mkdir``, which fails if the folder exists, so two commands started in the same second get
  two folders (``NAME``, ``NAME-2``, ...); if the work fails, what was made and is still empty is
  removed again.

The old names of the key (``output_dir``, ``hydra.run.dir``, ``report`` for the calibration's fit
report, ``--out``) are refused with one line naming ``out``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import Iterable

from model.errors import ConfigError

#: the output folder's key, in every command
OUT = "out"
#: the key that allows writing into a folder holding other files
OVERWRITE = "overwrite"
#: old names of the output folder's key, refused with one line naming ``out``
RENAMED = ("output_dir", "hydra.run.dir")
#: files an operating system leaves in any folder: never a reason to refuse it
SYSTEM_FILES = (".DS_Store", "Thumbs.db", "desktop.ini")
#: room a name needs for the temporary ``.NAME.partial-<pid>`` written beside it
_PARTIAL_ROOM = len("..partial-") + 10
#: room a path needs for the files and folders a command writes inside it
_INSIDE_ROOM = 200


def renamed(key: str, value) -> ConfigError:
    """The one-line refusal of an old name of the output folder's key."""
    return ConfigError(key, value, f"{OUT}=PATH (the output folder's key of every command; "
                                   f"{key} is no longer read)")


def flag(key: str, value) -> bool:
    """``true`` or ``false`` (as text from a command line, or a bool from Hydra)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ConfigError(key, value, "true or false")


def _limits(folder: Path) -> tuple[int, int]:
    try:
        return os.pathconf(folder, "PC_NAME_MAX"), os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        return 255, 4096


def foreign_entries(folder: Path, writes: Iterable[str]) -> list[str]:
    """The names in ``folder`` that a command writing ``writes`` (glob patterns) did not make:
    anything but those, its temporary ``.NAME.partial-<pid>`` entries and the system's files."""
    writes = tuple(writes)
    return sorted(p.name for p in Path(folder).iterdir()
                  if p.name not in SYSTEM_FILES and not fnmatch(p.name, ".*.partial-*")
                  and not any(fnmatch(p.name, w) for w in writes))


def check_output(key: str, v, writes: Iterable[str] | None = None, overwrite: bool = False,
                 default: str = "results/<command>/<name>") -> str | None:
    """Check an output folder before any work starts; return it, with ``~`` expanded (``None``:
    the default).

    Args:
        key: the key it was given as (``out``), named in the error.
        v: the path, or None for the command's default.
        writes: glob patterns of the names the command writes into the folder; None skips the
            check of an existing folder's contents (done later, once ``overwrite`` is known).
        overwrite: write into a folder holding other files anyway.
        default: where the command writes without ``out`` (for the error message).

    Raises:
        ConfigError: a file, a path under a file, a folder this user cannot write in, a name too
            long, or (``writes`` given, ``overwrite`` false) a folder holding other files.
    """
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, Path, int)) or not str(v).strip():
        raise ConfigError(key, v, f"a folder path (without {key}=: {default})")
    p = Path(v).expanduser().absolute()
    if p.exists() and not p.is_dir():
        raise ConfigError(key, str(v), "a folder (this path is a file)")
    anc = p
    while not anc.exists():
        anc = anc.parent
    if not anc.is_dir():
        raise ConfigError(key, str(v), f"a folder that can be created ({anc} is a file)")
    name_max, path_max = _limits(anc)
    for part in {*p.relative_to(anc).parts, p.name}:
        if len(os.fsencode(part)) + _PARTIAL_ROOM > name_max:
            raise ConfigError(key, str(v), f"folder names of at most {name_max - _PARTIAL_ROOM} bytes "
                                           f"(one has {len(os.fsencode(part))})")
    if len(os.fsencode(str(p))) + _INSIDE_ROOM > path_max:
        raise ConfigError(key, str(v), f"a path of at most {path_max - _INSIDE_ROOM} bytes "
                                       f"(this one has {len(os.fsencode(str(p)))})")
    try:
        probe = tempfile.mkdtemp(prefix=".write-test-", dir=anc)
        os.rmdir(probe)
    except OSError as e:
        raise ConfigError(key, str(v), f"a folder this user can write in ({anc} does not accept a "
                                       f"new folder: {e.strerror})") from None
    if writes is not None and not overwrite and p.is_dir():
        other = foreign_entries(p, writes)
        if other:
            more = f" and {len(other) - 1} more" if len(other) > 1 else ""
            raise ConfigError(key, str(v), f"a new or empty folder, or one this command wrote (it "
                                           f"holds {other[0]}{more}; {OVERWRITE}=true writes into "
                                           "it anyway, replacing only files of the same names)")
    return str(Path(v).expanduser())


def chosen_output(settings: dict, writes: Iterable[str], default: str) -> str | None:
    """The output folder a command's settings give (``out``, already checked as a path), checked
    against what it holds, with their ``overwrite``; None for the default."""
    return check_output(OUT, settings.get(OUT), writes, settings.get(OVERWRITE, False), default)


def _make(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, outermost first."""
    missing, p = [], folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    folder.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def new_folder(path: Path) -> tuple[Path, list[Path]]:
    """Make a new folder at ``path``, or at ``path-2``, ``path-3``, ... if it exists (``os.mkdir``
    fails on an existing folder, so two processes never get the same one).

    Returns:
        (the folder, the folders made: missing parents and the folder, outermost first).
    """
    path = Path(path)
    made = _make(path.parent)
    for i in itertools.count(1):
        candidate = path if i == 1 else path.with_name(f"{path.name}-{i}")
        try:
            os.mkdir(candidate)
        except FileExistsError:
            continue
        return candidate, [*made, candidate]
    raise AssertionError("unreachable")


def remove_made(made: list[Path]) -> None:
    """Remove the folders in ``made`` (outermost first) that are empty, innermost first."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return


def check_output_file(key: str, v) -> str:
    """Check a file a command will write (a path, not a folder; its folder can be written in).

    Raises:
        ConfigError: for a folder, or a file whose folder :func:`check_output` refuses.
    """
    if not isinstance(v, (str, Path)) or not str(v).strip():
        raise ConfigError(key, v, "a file path")
    p = Path(v).expanduser().absolute()
    if p.is_dir():
        raise ConfigError(key, str(v), "a file path (this path is a folder)")
    try:
        check_output(key, str(p.parent))
    except ConfigError as e:
        raise ConfigError(key, str(v), f"a file in {e.allowed}") from None
    return str(v)


@contextmanager
def output_folder(path: Path, new: bool = False):
    """Yield the output folder, made when the work starts.

    Args:
        path: the folder (``out=``), or with ``new`` the default name.
        new: make a new folder (:func:`new_folder`), never one that exists.

    If the block fails or is interrupted, every folder made here that is still empty is removed.
    """
    if new:
        folder, made = new_folder(path)
    else:
        folder = Path(path)
        made = _make(folder)
    try:
        yield folder
    except BaseException:
        remove_made(made)
        raise


@contextmanager
def written_folder(out: str | None, default: Path):
    """Write a command's results into ``out`` (checked by :func:`check_output`), or into a new
    ``default`` folder: yield (the folder, a hidden temporary folder beside it to write into),
    whose files are moved into the folder when the block ends, so that a failure or an interrupt
    leaves no half-written folder (:func:`experiments.runs.folders.staged_folder`)."""
    from experiments.runs.folders import staged_folder

    with output_folder(Path(out) if out else default, new=not out) as folder:
        with staged_folder(folder) as tmp:
            yield folder, tmp
