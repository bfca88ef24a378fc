"""One run: ``python -m experiments.run scenario=NAME seed=N population.size=N [key=value ...]``.

Composes the config with Hydra (``conf/config.yaml``, the schema declared in ``model/``, and the
scenario from ``scenarios/``), validates it, runs the model and writes one self-describing folder
(``hydra.run.dir``, by default under ``results/runs/``). With ``-m`` it sweeps, for example
``python -m experiments.run -m scenario=baseline,d3_labour_guidance seed='range(5)'``; add
``hydra/launcher=joblib`` to run the jobs in parallel on this machine, or ``hydra/launcher=
submitit_slurm`` (``pip install -e .[cluster]``) on a Slurm cluster.

Bad input (an unknown scenario or key, a wrong type, a value outside its bounds) stops with one
line naming the key, the value and what is allowed, exit code 2, and no result folder.
``list=scenarios`` and ``list=levers`` print what can be chosen; ``--help`` says every key
(:func:`experiments.presentation.command_line.run_help`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from hydra.types import RunMode

from experiments.presentation.command_line import LISTS, listing, run_help
from experiments.presentation.run_chart import run_chart
from experiments.runs.jobs import record_failure, write_job
from experiments.runs.folders import remove_if_empty
from experiments.runs.overrides import check_overrides, fail, quote_scenarios, wants_help
from model.config import build, register
from model.errors import ConfigError

register()


@hydra.main(version_base="1.3", config_path="../conf", config_name="config")
def job(cfg: DictConfig) -> dict:
    """One Hydra job: validate, simulate, write. Returns headline numbers (for sweepers)."""
    run_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        rc = build(cfg)
    except ConfigError as e:
        remove_if_empty(run_dir)
        fail(e)
    try:
        result = write_job(rc, run_dir, draw=run_chart)
    except Exception as e:
        if HydraConfig.get().mode == RunMode.MULTIRUN:
            # a sweep goes on, and reaches its aggregation: the failure is recorded as data
            record_failure(run_dir, rc.scenario, rc.seed, e)
            print(f"error: {rc.scenario} seed {rc.seed} failed: {e} (see {run_dir / 'failed.json'})",
                  file=sys.stderr)
            return None
        remove_if_empty(run_dir)
        raise
    except BaseException:
        remove_if_empty(run_dir)
        raise
    print(f"wrote {run_dir}")
    from experiments.runs.folders import headline

    return headline(result)


def main() -> None:
    if wants_help(sys.argv[1:], run_help):
        return
    sys.argv[1:] = quote_scenarios(sys.argv[1:])  # any scenario file's name can be chosen
    try:
        chosen = [a.partition("=")[2] for a in sys.argv[1:] if a.startswith("list=")]
        if chosen:
            if chosen[-1] not in LISTS:
                raise ConfigError("list", chosen[-1], " or ".join(LISTS))
            print(listing(chosen[-1]))
            return
        check_overrides(sys.argv[1:])
    except ConfigError as e:
        fail(e)
    job()


if __name__ == "__main__":
    main()
