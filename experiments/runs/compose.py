"""Compose a validated run configuration the way the command line does, from Python.

``load("d3_labour_guidance", ["population.size=2000", "seed=3"])`` gives the same
:class:`model.config.RunConfig` as ``python -m experiments.run scenario=d3_labour_guidance
population.size=2000 seed=3`` would run. Used by the comparison, calibration, validation and tests.
:func:`value_sources` says where a composed run's values came from (the comparison's provenance).
"""

from __future__ import annotations

from functools import cache

from model.config import ROOT, RunConfig, all_params, build, register, scenario_file
from model.errors import ConfigError

CONF_DIR = ROOT / "conf"

#: whose value wins in a comparison's run (:func:`value_sources`): a scenario's or the command
#: line's value is never replaced by a parameter set or a lever draw
PRECEDENCE = ("command line > scenario file > lever draw > ensemble parameter set > calibration "
              "(conf/calibration/) > declared default")


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


# ---- where a run's values came from ------------------------------------------------------------
def flatten(d: dict, prefix: str = "") -> dict:
    """A nested mapping in dotted keys (``{"params": {"work": {"base_rate": x}}}`` ->
    ``{"params.work.base_rate": x}``)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def given_keys(overrides) -> set[str]:
    """The keys a list of ``key=value`` overrides sets."""
    return {o.split("=", 1)[0].strip().lstrip("+~") for o in overrides}


def chosen_calibration(overrides, default: str) -> str:
    """The parameter set of ``conf/calibration/`` that ``calibration=NAME`` in ``overrides``
    chooses (the last one given), else ``default``."""
    return next((o.split("=", 1)[1].strip() for o in reversed(list(overrides))
                 if given_keys([o]) == {"calibration"}), default)


@cache
def calibrated_keys(name: str) -> tuple[frozenset, frozenset]:
    """The keys a calibration may set (those declared ``calibrate=True`` and those its file sets:
    calibration=none lists them at their declared default), and the keys its file
    ``conf/calibration/<name>.yaml`` sets."""
    from omegaconf import OmegaConf

    node = OmegaConf.to_container(OmegaConf.load(CONF_DIR / "calibration" / f"{name}.yaml"))
    node.pop("calibration_info", None)
    declared = {f"{g}.{p.name}" for g, p in all_params() if p.calibrate}
    return frozenset(declared | set(flatten(node))), frozenset(flatten(node))


def value_sources(config: dict, overrides, calibration: str, scenario_values: dict,
                  layers=()) -> dict:
    """Where each value of a run that the command line, its scenario file, a layer applied on
    top of the composed run (a comparison's lever draw and parameter set) or its calibration
    could set came from, with the value used.

    Args:
        config: the run's resolved config dict.
        overrides: the command line's model overrides.
        calibration: the ``conf/calibration/`` set the run was composed with.
        scenario_values: what the scenario file sets (:func:`model.config.scenario_settings`:
            key -> (value, file)).
        layers: ``(source, keys)`` pairs, highest precedence first: each key that the command
            line and the scenario leave is said to come from the first layer holding it.

    Returns:
        ``{key: {"value": v, "from": "command line" | "scenario" (+ "file") | a layer's source |
        "calibration" (+ "file") | "declared default"}}``, in that order of precedence
        (:data:`PRECEDENCE`).
    """
    used = flatten({k: v for k, v in config.items()
                    if k in ("population", "context", "costs", "params", "policy")})
    given = given_keys(overrides) - {"calibration"}
    calibrated, fitted = calibrated_keys(calibration)
    layers = [({"from": "command line"}, given),
              *(({"from": "scenario", "file": f}, {k}) for k, (_, f) in scenario_values.items()),
              *layers,
              ({"from": "calibration", "file": f"conf/calibration/{calibration}.yaml"}, fitted),
              ({"from": "declared default"}, calibrated)]
    out = {}
    for key in sorted(set().union(*(keys for _, keys in layers))):
        source = next(src for src, keys in layers if key in keys)
        out[key] = {"value": used.get(key), **source}
    return out
