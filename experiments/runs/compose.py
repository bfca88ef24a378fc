"""Compose a validated run configuration the way the command line does, from Python.

``load("d3_labour_guidance", ["population.size=2000", "seed=3"])`` gives the same
:class:`model.config.RunConfig` as ``python -m experiments.run scenario=d3_labour_guidance
population.size=2000 seed=3`` would run. Used by the comparison, calibration, validation and tests.
"""

from __future__ import annotations

from functools import lru_cache

from model.config import ROOT, RunConfig, build, register
from model.errors import ConfigError

CONF_DIR = ROOT / "conf"


@lru_cache(maxsize=1)
def _registered() -> bool:
    register()
    return True


def load(scenario: str = "baseline", overrides: list[str] | tuple[str, ...] = ()) -> RunConfig:
    """Compose ``conf/config.yaml`` with a scenario and overrides; validate; return typed config.

    Raises:
        ConfigError: for an unknown scenario, key or a bad value (one line, names the key).
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from experiments.runs.overrides import check_overrides

    _registered()
    overrides = list(overrides)
    check_overrides([f"scenario={scenario}", *overrides])
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(CONF_DIR), job_name="compose"):
        try:
            cfg = compose(config_name="config", overrides=[f"scenario={scenario}", *overrides])
        except Exception as e:  # Hydra's errors for things check_overrides cannot see
            raise ConfigError("overrides", overrides, f"a valid override list ({str(e).splitlines()[0]})") from None
    return build(cfg)
