"""One run: ``python -m experiments.run scenario=NAME seed=N population.size=N [key=value ...]``.

Composes the config with Hydra (``conf/config.yaml``, the schema declared in ``model/``, and the
scenario from ``scenarios/``), validates it, runs the model and writes one self-describing folder
(``out=PATH``; by default a new ``results/runs/<time>_<scenario>_seed<N>``). With ``-m`` it sweeps,
for example ``python -m experiments.run -m scenario=baseline,d3_labour_guidance seed='range(5)'``,
one folder per job under ``out=PATH`` (by default a new ``results/multirun/<time>``); add
``hydra/launcher=joblib`` to run the jobs in parallel on this machine, or ``hydra/launcher=
submitit_slurm`` (``pip install -e .[cluster]``) on a Slurm cluster. ``list=scenarios`` and
``list=levers`` print what can be chosen; ``--help`` says every key
(:func:`experiments.presentation.command_line.run_help`).

Bad input (an unknown scenario or key, a wrong type, a value outside its bounds, an output folder
that cannot be written or holds other files) stops with one line naming the key, the value and
what is allowed, exit code 2, and no result folder.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from experiments.presentation.command_line import LISTS, listing, run_help
from experiments.presentation.publish import WRITES as AGGREGATION_WRITES
from experiments.presentation.run_chart import run_chart
from experiments.runs.folders import remove_if_empty
from experiments.runs.jobs import RUN_WRITES, record_failure, write_job
from experiments.runs.outputs import (OUT, OVERWRITE, check_output, flag, new_folder,
                                      output_folder, remove_made)
from experiments.runs.overrides import check_overrides, fail, quoted, quote_scenarios, wants_help
from model.config import build, register
from model.errors import ConfigError

register()

#: where runs and sweeps go by default (a new folder each, named after the time)
RUNS, SWEEPS = Path("results/runs"), Path("results/multirun")
#: what a sweep's folder holds: the jobs' folders (``<n>_<scenario>_seed<k>``), Hydra's record of
#: the sweep, submitit's logs, and the aggregation
SWEEP_WRITES = ("[0-9]*_seed[0-9]*", "multirun.yaml", ".submitit", *AGGREGATION_WRITES)
#: this command's own keys, read before Hydra (Hydra never sees them)
OWN = (OUT, OVERWRITE, "list")
SWEEP_DIR = "hydra.sweep.dir"

#: the single run's output folder, chosen on the command line (None: a new default folder)
_chosen: dict = {OUT: None}


@hydra.main(version_base="1.3", config_path="../conf", config_name="config")
def job(cfg: DictConfig) -> dict:
    """One Hydra job: validate, simulate, write. Returns headline numbers (for sweepers)."""
    hc = HydraConfig.get()
    sweep_job = hc.mode == RunMode.MULTIRUN
    run_dir = Path(hc.runtime.output_dir)  # a sweep's job folder (Hydra makes it)
    try:
        rc = build(cfg)
    except ConfigError as e:
        if sweep_job:
            remove_if_empty(run_dir)
        fail(e)
    if sweep_job:
        return _sweep_job(rc, run_dir)
    out = _chosen[OUT]
    target = Path(out) if out else RUNS / f"{time.strftime('%Y-%m-%d_%H-%M-%S')}_{rc.scenario}_seed{rc.seed}"
    with output_folder(target, new=out is None) as run_dir:
        result = write_job(rc, run_dir, draw=run_chart)
    print(f"wrote {run_dir}")
    from experiments.runs.folders import headline

    return headline(result)


def _sweep_job(rc, run_dir: Path) -> dict | None:
    """A job of a sweep: its failure is recorded as data, so the sweep goes on to its aggregation."""
    try:
        result = write_job(rc, run_dir, draw=run_chart)
    except Exception as e:
        record_failure(run_dir, rc.scenario, rc.seed, e)
        print(f"error: {rc.scenario} seed {rc.seed} failed: {e} (see {run_dir / 'failed.json'})",
              file=sys.stderr)
        return None
    except BaseException:
        remove_if_empty(run_dir)
        raise
    print(f"wrote {run_dir}")
    from experiments.runs.folders import headline

    return headline(result)


def split_own(args: list[str]) -> tuple[dict, list[str]]:
    """This command's own ``key=value`` settings (``out``, ``overwrite``, ``list``), as plain text,
    and the rest of the command line."""
    own, rest = {}, []
    for a in args:
        key, eq, value = a.partition("=")
        if eq and not a.startswith("-") and key.strip() in OWN:
            own[key.strip()] = value
        else:
            rest.append(a)
    return own, rest


def sweep_dir_given(args: list[str]) -> str | None:
    """The value of ``hydra.sweep.dir=`` on the command line (the last one), or None."""
    given = [a.partition("=")[2] for a in args if a.partition("=")[0].strip() == SWEEP_DIR]
    return given[-1] if given else None


def sweep_folder(args: list[str], out: str | None, overwrite: bool) -> tuple[list[str], list[Path]]:
    """A sweep's folder: ``out=PATH`` or ``hydra.sweep.dir=PATH`` (one of them), checked, else a new
    ``results/multirun/<time>``, made now.

    Returns:
        (the arguments for Hydra, with the folder as ``hydra.sweep.dir``; the folders made here).
    """
    given = sweep_dir_given(args)
    if given is not None and out is not None:
        raise ConfigError(SWEEP_DIR, given, f"{OUT}=PATH or {SWEEP_DIR}=PATH, not both (both name "
                                            "the sweep's folder)")
    if given is not None:
        check_output(SWEEP_DIR, given, SWEEP_WRITES, overwrite)
        return args, []
    if out is not None:
        out = check_output(OUT, out, SWEEP_WRITES, overwrite)
        return [*args, f"{SWEEP_DIR}={quoted(out)}"], []
    check_output(OUT, str(SWEEPS))
    folder, made = new_folder(SWEEPS / time.strftime("%Y-%m-%d_%H-%M-%S"))
    return [*args, f"{SWEEP_DIR}={quoted(str(folder))}"], made


def main() -> None:
    argv = sys.argv[1:]
    if wants_help(argv, run_help):
        return
    made: list[Path] = []
    try:
        own, args = split_own(quote_scenarios(argv))
        if "list" in own:
            if own["list"] not in LISTS:
                raise ConfigError("list", own["list"], " or ".join(LISTS))
            print(listing(own["list"]))
            return
        check_overrides(args)
        overwrite = flag(OVERWRITE, own.get(OVERWRITE, "false"))
        if any(a in ("-m", "--multirun") for a in args):
            args, made = sweep_folder(args, own.get(OUT), overwrite)
        elif sweep_dir_given(args) is not None:
            raise ConfigError(SWEEP_DIR, sweep_dir_given(args), f"{OUT}=PATH for a single run "
                                                                f"({SWEEP_DIR} is a sweep's folder, with -m)")
        else:
            _chosen[OUT] = check_output(OUT, own.get(OUT), RUN_WRITES, overwrite,
                                        "results/runs/<time>_<scenario>_seed<N>")
    except ConfigError as e:
        fail(e)
    sys.argv[1:] = args
    try:
        job()
    finally:
        remove_made(made)  # a sweep that wrote nothing leaves no folder


if __name__ == "__main__":
    main()
