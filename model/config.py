"""The config tree: built from the parameter declarations, composed by Hydra, checked once.

``schema()`` gathers every declared parameter into the tree Hydra composes (registered in Hydra's
ConfigStore as ``schema``, so YAML files only override it). ``build()`` turns a composed config
into typed, frozen objects and is the one place input is validated: an unknown key, a wrong type or
a value outside its bounds raises :class:`model.errors.ConfigError` naming the key, the value and
what is allowed. The model only ever sees the typed objects.

Tree::

    seed                 run seed (any integer >= 0)
    scenario             name of the scenario (set by Hydra's choice; informational)
    scenario_info        demand / law the scenario expresses, and a one-line summary
    calibration_info     what the fitted parameter set was fitted to, when and how well
    population.*         cohort: size, permit year, horizon        (model/population.py)
    context.*            labour market and COVID                    (model/context.py)
    costs.*              unit costs                                 (model/costs.py)
    params.<pathway>.*   behavioural parameters of each pathway     (model/pathways/*.py)
    policy.*             levers D1-D11 and the law                  (model/policy.py)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields, make_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from model import context, costs, population
from model.errors import ConfigError
from model.parameters import Param
from model.pathways import PATHWAYS
from model.policy import LEVERS

ROOT = Path(__file__).resolve().parents[1]
SCENARIO_DIR = ROOT / "scenarios"


def groups() -> dict[str, tuple[Param, ...]]:
    """Every parameter group by its dotted path in the config tree."""
    out = {"population": population.PARAMS, "context": context.PARAMS, "costs": costs.PARAMS}
    for module, cls in PATHWAYS:
        out[f"params.{cls.name}"] = module.PARAMS
    out["policy"] = LEVERS
    return out


def all_params() -> list[tuple[str, Param]]:
    """(group path, Param) for every declared parameter."""
    return [(g, p) for g, ps in groups().items() for p in ps]


def schema() -> dict:
    """The full config tree at its declared defaults."""
    tree: dict[str, Any] = {"seed": 0, "scenario": "baseline",
                            "scenario_info": {"demand": "", "summary": ""},
                            "calibration_info": {}}
    for path, params in groups().items():
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        for p in params:
            node[p.name] = p.default
    return tree


@cache
def _namespace(path: str):
    names = [p.name for p in groups()[path]]
    return make_dataclass(path.replace(".", "_").title().replace("_", ""), names, frozen=True)


@dataclass(frozen=True)
class RunConfig:
    """A validated run configuration (what :func:`model.model.simulate` takes)."""

    seed: int
    scenario: str
    scenario_info: dict
    population: Any
    context: Any
    costs: Any
    params: Any
    policy: Any
    calibration_info: dict = field(default_factory=dict)

    def with_values(self, values: Mapping[str, Any]) -> "RunConfig":
        """A copy with some parameters changed, e.g. ``{"params.work.base_rate": 0.05}``;
        each value is checked like any input (ConfigError if unknown or out of bounds)."""
        index = {f"{g}.{p.name}": p for g, p in all_params()}
        changed: dict[str, dict] = {}
        for key, value in values.items():
            if key not in index:
                same_group = [k for k in index if k.rsplit(".", 1)[0] == key.rsplit(".", 1)[0]]
                raise _unknown(key, value, same_group or list(index))
            path, name = key.rsplit(".", 1)
            changed.setdefault(path, {})[name] = index[key].check(key, value)
        new = self
        for path, vals in changed.items():
            obj = replace(self._get(path), **vals)
            if path.startswith("params."):
                new = replace(new, params=replace(new.params, **{path.split(".")[1]: obj}))
            else:
                new = replace(new, **{path: obj})
        return new

    def to_dict(self) -> dict:
        """Plain nested dict (for writing the resolved config)."""
        out: dict[str, Any] = {"seed": self.seed, "scenario": self.scenario,
                               "scenario_info": dict(self.scenario_info),
                               "calibration_info": dict(self.calibration_info)}
        for path in groups():
            node = out
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            obj = self._get(path)
            node[parts[-1]] = {f.name: getattr(obj, f.name) for f in fields(obj)}
        return out

    def _get(self, path: str):
        obj: Any = self
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj


def _unknown(key: str, value: Any, known: list[str]) -> ConfigError:
    near = difflib.get_close_matches(key, known, n=1) or difflib.get_close_matches(
        key.rsplit(".", 1)[-1], known, n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    listing = (f"one of {', '.join(sorted(known))}" if len(known) <= 16
               else "a key listed in docs/ODD.md's parameter table")
    return ConfigError(key, value, f"a known key{hint}: {listing}")


def build(cfg: Mapping) -> RunConfig:
    """Validate a composed config (dict or OmegaConf) and return typed objects.

    Raises:
        ConfigError: for the first bad key or value found.
    """
    try:
        from omegaconf import DictConfig, OmegaConf

        if isinstance(cfg, DictConfig):
            cfg = OmegaConf.to_container(cfg, resolve=True)
    except ImportError:  # pragma: no cover - omegaconf comes with hydra
        pass
    cfg = dict(cfg)
    cfg.pop("hydra", None)
    top = ["seed", "scenario", "scenario_info", "calibration_info", "population", "context",
           "costs", "params", "policy"]
    for k in cfg:
        if k not in top:
            raise _unknown(k, cfg[k], top)
    seed = cfg.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError("seed", seed, "a whole number >= 0")
    scenario = cfg.get("scenario", "baseline")
    if not isinstance(scenario, str):
        raise ConfigError("scenario", scenario, "a scenario name")
    info = cfg.get("scenario_info") or {}
    if not isinstance(info, Mapping) or set(info) - {"demand", "summary"}:
        raise ConfigError("scenario_info", info, "a mapping with keys demand and summary")
    calibration = cfg.get("calibration_info") or {}
    if not isinstance(calibration, Mapping):
        raise ConfigError("calibration_info", calibration, "a mapping (written by experiments.calibrate)")
    values: dict[str, Any] = {}
    pathway_names = [cls.name for _, cls in PATHWAYS]
    params_node = cfg.get("params") or {}
    if not isinstance(params_node, Mapping):
        raise ConfigError("params", params_node, "a mapping of pathway names to parameters")
    for k in params_node:
        if k not in pathway_names:
            raise _unknown(f"params.{k}", params_node[k], pathway_names)
    for path, params in groups().items():
        node: Any = cfg
        for part in path.split("."):
            node = node.get(part, {}) if isinstance(node, Mapping) else None
        if node is None:
            node = {}
        if not isinstance(node, Mapping):
            raise ConfigError(path, node, "a mapping of parameter names to values")
        known = {p.name: p for p in params}
        for k in node:
            if k not in known:
                raise _unknown(f"{path}.{k}", node[k], list(known))
        checked = {p.name: p.check(f"{path}.{p.name}", node.get(p.name, p.default)) for p in params}
        values[path] = _namespace(path)(**checked)
    pw = make_dataclass("Params", pathway_names, frozen=True)(
        **{n: values[f"params.{n}"] for n in pathway_names})
    return RunConfig(seed=seed, scenario=scenario, scenario_info=dict(info),
                     population=values["population"], context=values["context"],
                     costs=values["costs"], params=pw, policy=values["policy"],
                     calibration_info=dict(calibration))


def calibration_names() -> list[str]:
    """Names of the parameter sets in ``conf/calibration/`` (``fitted``, ``none``)."""
    return sorted(p.stem for p in (ROOT / "conf" / "calibration").glob("*.yaml"))


def scenario_names() -> list[str]:
    """Names of the scenario files in ``scenarios/``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def register() -> None:
    """Register the schema and the scenarios in Hydra's ConfigStore (idempotent).

    Scenarios live in ``scenarios/`` (the client's layout) and become the config group
    ``scenario``; each file holds only what differs from the baseline and may list other
    scenarios in its own ``defaults`` (``vwn_position`` is all demands together).
    """
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    cs = ConfigStore.instance()
    cs.store(name="schema", node=schema())
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        node = OmegaConf.to_container(OmegaConf.load(path))
        node = node or {}
        node.setdefault("scenario", path.stem)
        cs.store(group="scenario", name=path.stem, node=node, package="_global_")
