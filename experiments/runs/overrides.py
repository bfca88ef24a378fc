"""Checks a command line's overrides before Hydra sees them, so bad input gets one clear line.

Hydra's own messages for a misspelt key span several lines and do not say what is allowed; here
each ``key=value`` is checked against the declared schema (and each value of a sweep, such as
``seed=1,2,3``) and the first problem is reported as ``error: <key>=<value> is not allowed:
expected <what>``, with exit code 2, before any folder is made.
"""

from __future__ import annotations

import sys
from typing import Callable, Iterable

from model.config import (OUTSIDE_KEY, ScenarioError, all_params, calibration_names,
                          outside_entry, scenario_names, scenario_problem, scenario_settings)
from experiments.runs.outputs import OUT, RENAMED, renamed
from model.errors import ConfigError

#: Hydra flags that take the next argument as their value
_VALUE_FLAGS = {"--config-dir", "-cd", "--config-path", "-cp", "--config-name", "-cn",
                "--experimental-rerun", "--package", "-p", "--info", "-i", "--cfg", "-c"}

#: keys a user may set that are not model parameters
_FREE = {"seed", "scenario", "calibration", OUTSIDE_KEY}

#: the sweep's aggregation settings (conf/hydra/callbacks/aggregate.yaml), checked before any job
_AGGREGATE = "hydra.callbacks.aggregate."
_AGGREGATE_KEYS = {"language": ("en", "nl"), "stories": (True, False), "baseline": None,
                   "position": None, "_target_": None}


def wants_help(argv: list[str], doc: str | Callable[[], str] | None) -> bool:
    """Whether ``argv`` asks for help (``--help`` or ``-h``); if so, print the command's
    description (its module docstring, or a function writing it: what it does, its keys and
    examples)."""
    if any(a in ("--help", "-h") for a in argv):
        print(((doc() if callable(doc) else doc) or "").strip())
        return True
    return False


def quoted(text: str) -> str:
    """``text`` as a quoted value Hydra reads back as it is."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def quote_scenarios(args: list[str]) -> list[str]:
    """The arguments with ``scenario=NAME`` quoted where Hydra could not read NAME as it is
    (``privé``, ``my plan``): any scenario file's name can be chosen."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    out = []
    for a in args:
        if a.startswith("scenario="):
            value = a.split("=", 1)[1]
            try:
                OverridesParser.create().parse_overrides([a])
            except HydraException:
                names = scenario_names()
                if value in names:
                    a = f"scenario={quoted(value)}"
                elif all(v in names for v in value.split(",")):
                    a = "scenario=" + ",".join(quoted(v) for v in value.split(","))
        out.append(a)
    return out


def _check_aggregate(key: str, v) -> None:
    name = key[len(_AGGREGATE):]
    if name not in _AGGREGATE_KEYS:
        raise ConfigError(key, v, "one of " + ", ".join(_AGGREGATE + k for k in _AGGREGATE_KEYS if k[0] != "_"))
    allowed = _AGGREGATE_KEYS[name]
    if allowed is not None and v not in allowed:
        raise ConfigError(key, v, "one of " + ", ".join(str(a).lower() for a in allowed))
    if allowed is None and name != "_target_" and str(v) not in scenario_names():
        raise ConfigError(key, v, "a scenario: one of " + ", ".join(scenario_names()))


def _param_index() -> dict:
    return {f"{g}.{p.name}": p for g, p in all_params()}


def check_overrides(args: Iterable[str], extra: dict | None = None, hydra: bool = True) -> None:
    """Raise ConfigError for the first override that names an unknown key or a bad value.

    Args:
        args: command-line arguments (flags such as ``-m`` are skipped).
        extra: further allowed keys of the calling command, mapped to a checker
            ``f(key, value) -> None`` that raises ConfigError.
        hydra: whether the command runs through Hydra, so that Hydra's own settings (``hydra.*``,
            ``hydra/launcher=...``) are Hydra's to check; else they are refused. The old names of
            the output folder's key (``output_dir``, ``hydra.run.dir``) are refused either way.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    # drop flags, and the values of Hydra's two-word flags (--config-dir X, --config-path X, ...)
    overrides, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a.startswith("-"):
            skip = "=" not in a and a in _VALUE_FLAGS
            continue
        overrides.append(a)
    if not overrides:
        return
    parser = OverridesParser.create()
    index = _param_index()
    extra = extra or {}
    given = {t.split("=", 1)[0].strip() for t in overrides}  # set on the command line, over a scenario
    outside_ok = any(a.replace(" ", "") in (f"{OUTSIDE_KEY}=true", f"{OUTSIDE_KEY}=True")
                     for a in overrides)
    for text in overrides:
        try:
            (o,) = parser.parse_overrides([text])
        except HydraException as e:
            key = text.split("=", 1)[0]
            raise ConfigError(key, text.split("=", 1)[-1], f"key=value ({str(e).splitlines()[0]})") from None
        key = o.key_or_group
        if key in RENAMED:
            raise renamed(key, text.split("=", 1)[-1])
        if key.startswith("hydra") and not hydra:
            raise ConfigError(key, text.split("=", 1)[-1], f"this command's keys or model keys: it "
                                                           f"does not use Hydra ({OUT}=PATH is its "
                                                           "output folder)")
        if key.startswith(_AGGREGATE):
            for v in (list(o.sweep_iterator()) if o.is_sweep_override() else [o.value()]):
                _check_aggregate(key, v)
            continue
        if key.startswith("hydra") or key.startswith("hydra/"):
            continue  # Hydra's own settings (launcher, run dir) are Hydra's to check
        if o.is_add() or o.is_delete() or o.is_force_add():
            raise ConfigError(text.split("=", 1)[0], o.get_value_element_as_str() if not o.is_delete() else None,
                              "plain key=value: every key is declared, none can be added or removed")
        values = list(o.sweep_iterator()) if o.is_sweep_override() else [o.value()]
        for v in values:
            if key == "scenario":
                names = scenario_names()
                if str(v) not in names:
                    raise ConfigError("scenario", v, "one of " + ", ".join(names))
                problem = scenario_problem(str(v))
                if problem:
                    raise ScenarioError(problem, str(v))
                for k, (value, origin) in ({} if outside_ok else scenario_settings(str(v))).items():
                    if k in index and k not in given and not index[k].in_range(value):
                        outside_entry(index[k], k, value, False, origin)
            elif key == "calibration":
                names = calibration_names()
                if v not in names:
                    raise ConfigError("calibration", v, "one of " + ", ".join(names))
            elif key == "seed":
                if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    raise ConfigError("seed", v, "a whole number >= 0")
            elif key == OUTSIDE_KEY:
                if not isinstance(v, bool):
                    raise ConfigError(key, v, "true or false")
            elif key in extra:
                extra[key](key, v)
            elif key in index:
                checked = index[key].check(key, v)
                if not outside_ok and not index[key].in_range(checked):
                    outside_entry(index[key], key, checked, False)
            else:
                import difflib

                near = difflib.get_close_matches(key, list(index) + list(_FREE) + list(extra), n=1)
                hint = f"did you mean {near[0]}? " if near else ""
                raise ConfigError(key, v, f"a declared key ({hint}see docs/ODD.md, parameter table)")


def fail(error: Exception, code: int = 2) -> None:
    """Print a one-line error and exit with ``code``."""
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(code)


# ---- a command's own keys (key=value, checked before the model keys) ------------------------------
def positive_int(key: str, text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        v = None
    if v is None or v < 1:
        raise ConfigError(key, text, "a whole number >= 1")
    return v


def tolerance(key: str, text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        v = None
    if v is None or not 0 <= v <= 100:
        raise ConfigError(key, text, "a number of percentage points, 0-100")
    return v


def path(key: str, text: str) -> str:
    if not text.strip():
        raise ConfigError(key, text, "a file or folder path")
    return text


def split_args(argv: list[str], own: dict) -> tuple[dict, dict]:
    """Separate a command's own ``key=value`` settings (``own``: key -> converter raising
    ConfigError) from model overrides, which are checked like ``experiments.run``'s. The command's
    own values are read as plain text (a path may hold characters Hydra would parse). Such a
    command does not run through Hydra: ``hydra.*`` keys are refused.

    Returns:
        (own settings given, model overrides as key -> text).
    """
    mine, rest = {}, []
    for a in argv:
        if "=" not in a:
            raise ConfigError(a, None, "key=value arguments")
        k, v = a.split("=", 1)
        if k.strip() in own:
            mine[k.strip()] = own[k.strip()](k.strip(), v)
        else:
            rest.append(a)
    check_overrides(rest, hydra=False)
    return mine, dict(a.split("=", 1) for a in rest)


def refuse_old_flags(argv: list[str], old: dict[str, tuple[str, bool]]) -> None:
    """Refuse, with one line naming its ``key=value``, an option of an earlier version
    (``old``: ``--flag`` -> (what replaced it, whether the flag took a value))."""
    for i, a in enumerate(argv):
        name, eq, value = a.partition("=")
        if name in old:
            new, takes_value = old[name]
            if not eq and takes_value and i + 1 < len(argv):
                value = argv[i + 1]
            raise ConfigError(name, value, f"{new} (every command takes key=value)")


def own_settings(argv: list[str], own: dict) -> dict:
    """A command's own ``key=value`` settings, and nothing else (``own``: key -> converter raising
    ConfigError), for a command without model overrides.

    Raises:
        ConfigError: for an argument that is not ``key=value`` with one of the keys.
    """
    out = {}
    for a in argv:
        key, eq, value = a.partition("=")
        key = key.strip()
        if not eq or key not in own:
            raise ConfigError(key if eq else a, value if eq else None,
                              "one of " + ", ".join(f"{k}=" for k in own) + " (see --help)")
        out[key] = own[key](key, value)
    return out


def whole(key: str, text: str) -> int:
    """A whole number (its range is checked where it is used)."""
    try:
        return int(text)
    except ValueError:
        raise ConfigError(key, text, "a whole number") from None

