"""Aggregate run folders into a comparison: ``python -m experiments.aggregate FOLDER [key=value ...]``.

For a sweep's (or a comparison's) run folders: the same tables, charts and report a comparison
writes. Also the Hydra callback that does this when a sweep ends (``hydra/callbacks=aggregate``,
``conf/hydra/callbacks/aggregate.yaml``).

Arguments (``key=value``, like every command's):

- ``FOLDER`` (or ``folder=FOLDER``): the folder holding the run folders (searched recursively);
- ``out``: where to write (default: FOLDER itself, beside its runs); another folder that holds
  files an aggregation does not write is refused unless ``overwrite=true`` (which replaces only
  files of the same names);
- ``language``: ``en`` or ``nl``, the charts' and stories' words and ``report.<language>.html``;
- ``baseline``: the reference scenario (``baseline``); ``position``: the full position, for the
  stages and the stories (``vwn_position``); ``stories=false`` leaves the persons' stories out.

Example::

    python -m experiments.aggregate results/multirun/2025-01-31_12-00-00 language=nl stories=false

Bad input (a missing folder, an unknown key, an old ``--flag``) stops with one line, exit code 2.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Sequence

from experiments.presentation.i18n import LANGUAGES
from experiments.presentation.publish import WRITES, publish
from experiments.runs.aggregate import aggregate_dir
from experiments.runs.outputs import (OUT, OVERWRITE, RENAMED, check_output, chosen_output, flag,
                                      renamed)
from experiments.runs.overrides import refuse_old_flags, wants_help
from model.errors import ConfigError

# ---- Hydra callback ----------------------------------------------------------------------------
try:
    from hydra.experimental.callback import Callback
except ImportError:  # pragma: no cover - hydra is a dependency
    Callback = object  # type: ignore[assignment,misc]


class AggregateCallback(Callback):
    """Aggregates a sweep's job folders when the sweep ends (``on_multirun_end``).

    Args:
        language: ``en`` or ``nl``.
        baseline: reference scenario (default ``baseline``; else the sweep's first scenario).
        position: the full position for stages and stories (default ``vwn_position``).
        stories: False skips the persons' stories.
    """

    def __init__(self, language: str = "en", baseline: str = "baseline",
                 position: str = "vwn_position", stories: bool = True) -> None:
        self.language, self.baseline, self.position, self.stories = language, baseline, position, stories

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        if not sweep_dir.is_dir():
            return
        try:
            res = publish(aggregate_dir(sweep_dir, language=self.language, baseline=self.baseline,
                                position=self.position, stories=self.stories))
        except Exception as e:  # the jobs' folders stay; aggregation can be run again on its own
            first = (str(e).strip().splitlines() or [type(e).__name__])[0]
            print(f"error: aggregating {sweep_dir} failed: {first}. Run it again with "
                  f"`python -m experiments.aggregate {sweep_dir}`", file=sys.stderr)
            # Hydra turns a callback's exception into a warning and exits 0; SystemExit gets
            # through, so that the sweep's exit code says the aggregation failed
            raise SystemExit(1) from None
        _print_done(res)



def _print_done(res: dict) -> None:
    fails = res["failures"]
    for w in res["warnings"]:
        print(f"warning: {w['en']}", file=sys.stderr)
    if len(fails):
        print(f"warning: {len(fails)} run(s) failed and were left out (see comparison.json): "
              + "; ".join(f"{r.scenario} seed {r.seed}: {r.error}" for r in fails.head(3).itertuples()),
              file=sys.stderr)
    print(f"report: {res['report']}")


def _language(key: str, v: str) -> str:
    if v not in LANGUAGES:
        raise ConfigError(key, v, " or ".join(LANGUAGES))
    return v


def _text(key: str, v: str) -> str:
    return v


#: this command's keys and their checks
KEYS = {"folder": _text, OUT: check_output, OVERWRITE: flag, "language": _language,
        "baseline": _text, "position": _text, "stories": flag}
#: the options of earlier versions, refused with the key that replaced each
OLD_FLAGS = {"--out": ("out=PATH", True), "--language": ("language=en|nl", True),
             "--baseline": ("baseline=NAME", True), "--position": ("position=NAME", True),
             "--no-stories": ("stories=false", False)}


def parse(argv: Sequence[str]) -> dict:
    """The settings from ``FOLDER key=value ...`` (a path that exists is the folder, even when its
    name holds ``=``, as a comparison's folders do).

    Raises:
        ConfigError: for an old ``--flag``, an unknown key, a bad value, or a missing folder.
    """
    settings: dict = {"language": "en", "baseline": "baseline", "position": "vwn_position",
                      "stories": True}
    refuse_old_flags(list(argv), OLD_FLAGS)
    for a in argv:
        name, eq, value = a.partition("=")
        if a.startswith("-"):
            raise ConfigError(a, None, "FOLDER and key=value arguments (see --help)")
        if not eq or Path(a).exists():
            name, value = "folder", a
        if name in RENAMED:
            raise renamed(name, value)
        if name not in KEYS:
            raise ConfigError(name, value, "FOLDER, or one of " + ", ".join(f"{k}=" for k in KEYS if k != "folder"))
        if name == "folder" and "folder" in settings:
            raise ConfigError("folder", value, f"one folder (already {settings['folder']})")
        settings[name] = KEYS[name](name, value)
    folder = settings.get("folder")
    if not folder or not Path(folder).is_dir():
        raise ConfigError("folder", folder, "an existing folder holding run folders: "
                                            "python -m experiments.aggregate FOLDER")
    if settings.get(OUT) and Path(settings[OUT]).absolute() != Path(folder).absolute():
        chosen_output(settings, WRITES, "FOLDER itself")
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if wants_help(argv, __doc__):
        return 0
    try:
        s = parse(argv)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    logging.getLogger("MESA").setLevel(logging.WARNING)
    out = Path(s[OUT]) if s.get(OUT) else None
    try:
        res = publish(aggregate_dir(Path(s["folder"]), out, s["language"], s["baseline"],
                                    s["position"], s["stories"]))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    _print_done(res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
