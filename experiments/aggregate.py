"""Aggregate run folders into a comparison: ``python -m experiments.aggregate FOLDER``.

For a sweep's (or a comparison's) run folders: the same tables, charts and report a comparison
writes. Also the Hydra callback that does this when a sweep ends (``hydra/callbacks=aggregate``,
``conf/hydra/callbacks/aggregate.yaml``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any, Sequence

from experiments.presentation.publish import publish
from experiments.runs.aggregate import aggregate_dir

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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.aggregate",
                                 description="Aggregate a sweep's (or comparison's) run folders.")
    ap.add_argument("folder", type=Path, help="folder holding run folders (searched recursively)")
    ap.add_argument("--out", type=Path, default=None, help="where to write (default: FOLDER)")
    ap.add_argument("--language", choices=("en", "nl"), default="en")
    ap.add_argument("--baseline", default="baseline")
    ap.add_argument("--position", default="vwn_position")
    ap.add_argument("--no-stories", action="store_true")
    args = ap.parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    if not args.folder.is_dir():
        print(f"error: folder={str(args.folder)!r} is not allowed: expected an existing folder", file=sys.stderr)
        return 2
    try:
        res = publish(aggregate_dir(args.folder, args.out, args.language, args.baseline,
                                    args.position, not args.no_stories))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    _print_done(res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
