"""Compose a validated run configuration the way the command line does, from Python.

``load("d3_labour_guidance", ["population.size=2000", "seed=3"])`` gives the same
:class:`model.config.RunConfig` as ``python -m experiments.run scenario=d3_labour_guidance
population.size=2000 seed=3`` would run. Used by the comparison, calibration, validation and tests.
"""

from __future__ import annotations

from model.config import ROOT, RunConfig, build, register, scenario_file
from model.errors import ConfigError

CONF_DIR = ROOT / "conf"


def load(scenario: str = "baseline", overrides: list[str] | tuple[str, ...] = ()) -> RunConfig:
    """Compose ``conf/config.yaml`` with a scenario and overrides; validate; return typed config.

    Raises:
        ConfigError: for an unknown scenario, key or a bad value (one line, names the key).
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from experiments.runs.overrides import check_overrides, quote_scenarios

    register()
    overrides = list(overrides)
    check_overrides([f"scenario={scenario}", *overrides])
    (chosen,) = quote_scenarios([f"scenario={scenario}"])
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(CONF_DIR), job_name="compose"):
        try:
            cfg = compose(config_name="config", overrides=[chosen, *overrides])
        except Exception as e:  # Hydra's errors for things check_overrides cannot see
            raise ConfigError("overrides", overrides, f"a valid override list ({str(e).splitlines()[0]})") from None
    return build(cfg)


def display_name(scenario: str, lang: str, fallback: str | None = None) -> str:
    """A scenario's display name in ``lang`` (``en`` or ``nl``): its file's
    ``scenario_info.name_<lang>``, else ``fallback`` (the presentation's own name for it), else its
    file's ``name_en``, else the file name. Never raises: a broken file falls back."""
    info = (scenario_file(scenario)[0] or {}).get("scenario_info") or {}
    own = info.get(f"name_{lang}")
    return own or fallback or info.get("name_en") or scenario


def display_summary(scenario: str, lang: str, fallback: str | None = None) -> str:
    """A scenario's one-line summary in ``lang``: ``summary_<lang>``, else ``fallback``, else
    ``summary_en`` or ``summary``, else empty."""
    info = (scenario_file(scenario)[0] or {}).get("scenario_info") or {}
    return (info.get(f"summary_{lang}") or fallback or info.get("summary_en")
            or info.get("summary") or "")
