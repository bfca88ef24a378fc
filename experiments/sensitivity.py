"""Which assumptions drive the answer: ``python -m experiments.sensitivity [key=value ...]``.

Settings in ``conf/sensitivity.yaml``; the method in :mod:`experiments.evidence.sensitivity`. Checks
the command line, plans (:func:`~experiments.evidence.sensitivity.plan.make_plan`) and calls
:func:`~experiments.evidence.sensitivity.pipeline.execute`. With ``parts`` > 1 the process computes
only its share of one stage's points and stops: a Hydra sweep over ``part`` (any launcher) fills the
same folders, and a last plain run analyses them.
"""

from __future__ import annotations

import logging
import sys
import time

import hydra
from omegaconf import DictConfig

from experiments.evidence.sensitivity.pipeline import WRITES as ANALYSIS_WRITES
from experiments.evidence.sensitivity.pipeline import Missing, execute
from experiments.evidence.sensitivity.plan import check_arguments, make_plan
from experiments.presentation.i18n import page_name
from experiments.presentation.sensitivity import WRITES as PAGE_WRITES
from experiments.presentation.sensitivity import present
from experiments.runs.jobs import stop_on_sigterm
from experiments.runs.outputs import OUT, OVERWRITE, check_output
from experiments.runs.overrides import fail
from model.config import ROOT, register
from model.errors import ConfigError

register()

#: what an analysis's folder holds (a folder holding only these is an analysis's own, where the same
#: command resumes)
WRITES = (*ANALYSIS_WRITES, *PAGE_WRITES)


@hydra.main(version_base="1.3", config_path=str(ROOT / "conf"), config_name="sensitivity")
def sensitivity(cfg: DictConfig) -> dict | None:
    """Hydra entry point (also one job of a sweep over ``part``)."""
    from hydra.core.hydra_config import HydraConfig

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    task = list(HydraConfig.get().overrides.task)
    try:
        plan = make_plan(cfg, task)
        check_output(OUT, str(plan.out), WRITES, bool(cfg.get(OVERWRITE)),
                     "results/sensitivity/<name from the settings>")
    except ConfigError as e:
        fail(e)
    command = " ".join(["python -m experiments.sensitivity", *sys.argv[1:]])
    start = time.perf_counter()
    stop_on_sigterm()
    try:
        done = execute(plan, command, present=present)
    except KeyboardInterrupt:
        print("\ninterrupted: the finished points are kept; run the same command again to continue",
              file=sys.stderr)
        raise SystemExit(130)
    except Missing as e:
        print(f"error: {e}", file=sys.stderr)
        raise SystemExit(1)
    failed = sum(v.get("failed", 0) for v in done["timing"].values() if isinstance(v, dict))
    if not done["analysed"]:
        print(f"part {plan.settings['part']} of {plan.settings['parts']} done "
              f"({time.perf_counter() - start:.0f} s); run without parts= to analyse")
    elif plan.settings["stage"] == "morris":
        print(f"screening done in {time.perf_counter() - start:.0f} s: {plan.out / 'screening.csv'} "
              "(run with stage=sobol or stage=all for the indices and sensitivity.<language>.html)")
    else:
        print(f"done in {time.perf_counter() - start:.0f} s: "
              f"{plan.out / page_name('sensitivity', plan.settings['language'])}")
    if failed:
        print(f"error: {failed} point(s) failed (see failed.json in their folders); run the same "
              "command again to retry them", file=sys.stderr)
        raise SystemExit(1)
    return {"out": str(plan.out)}


def main() -> None:
    try:
        check_arguments(sys.argv[1:])
    except ConfigError as e:
        fail(e)
    sensitivity()


if __name__ == "__main__":
    main()
