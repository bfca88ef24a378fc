"""The config tree: built from the parameter declarations, composed by Hydra, checked once.

``schema()`` gathers every declared parameter into the tree Hydra composes (registered in Hydra's
ConfigStore as ``schema``, so YAML files only override it). ``build()`` turns a composed config
into typed, frozen objects and is the one place input is validated: an unknown key, a wrong type or
a value outside its bounds raises :class:`model.errors.ConfigError` naming the key, the value and
what is allowed. The model only ever sees the typed objects.

Tree::

    seed                 run seed (any integer >= 0)
    scenario             name of the scenario (set by Hydra's choice; informational)
    scenario_info        demand / law the scenario expresses, a one-line summary, and optionally
                         its display names and summaries (name_en, name_nl, summary_en, summary_nl)
    allow_outside_range  true lets values outside their plausible range through (recorded in
                         the run's run.json as outside_range); false by default
    calibration_info     what the fitted parameter set was fitted to, when and how well
    population.*         cohort: size, permit year, horizon        (model/population.py)
    context.*            labour market and COVID                    (model/context.py)
    costs.*              unit costs                                 (model/costs.py)
    params.<pathway>.*   behavioural parameters of each pathway     (model/pathways/*.py)
    policy.*             levers D1-D11 and the law                  (model/policy.py)
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, fields, make_dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Mapping

from model import context, costs, population
from model.errors import ConfigError
from model.parameters import Param
from model.pathways import PATHWAYS
from model.policy import LEVERS

ROOT = Path(__file__).resolve().parents[1]
#: where the scenario files are read from; the environment variable lets a test (or a user) point
#: every command at another folder
SCENARIO_ENV = "INTEGRATION_SIM_SCENARIOS"
SCENARIO_DIR = Path(os.environ.get(SCENARIO_ENV) or ROOT / "scenarios")

#: keys a scenario's ``scenario_info`` may hold (all text): the demand it expresses, a one-line
#: summary, and optional display names and summaries in English and Dutch
INFO_KEYS = ("demand", "summary", "name_en", "name_nl", "summary_en", "summary_nl")
#: what a scenario file may set: its includes, its description, and model settings; never the
#: seed, the cohort's size or horizon, or Hydra's settings
SCENARIO_KEYS = ("defaults", "scenario_info", "policy", "params", "context", "costs")
#: the one top-level key that lets values outside their plausible range through
OUTSIDE_KEY = "allow_outside_range"


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
                            "calibration_info": {}, OUTSIDE_KEY: False}
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
    #: True if the user asked for values outside their plausible range (``allow_outside_range``)
    allow_outside_range: bool = False
    #: the values outside their plausible range: ``(key, value, low, high)`` each
    outside_range: tuple = ()

    def with_values(self, values: Mapping[str, Any]) -> "RunConfig":
        """A copy with some parameters changed, e.g. ``{"params.work.base_rate": 0.05}``;
        each value is checked like any input (ConfigError if unknown or out of bounds)."""
        index = {f"{g}.{p.name}": p for g, p in all_params()}
        changed: dict[str, dict] = {}
        outside = {k: (k, v, lo, hi) for k, v, lo, hi in self.outside_range}
        for key, value in values.items():
            if key not in index:
                same_group = [k for k in index if k.rsplit(".", 1)[0] == key.rsplit(".", 1)[0]]
                raise _unknown(key, value, same_group or list(index))
            path, name = key.rsplit(".", 1)
            v = changed.setdefault(path, {})[name] = index[key].check(key, value)
            outside.pop(key, None)
            if not index[key].in_range(v):
                outside[key] = outside_entry(index[key], key, v, self.allow_outside_range)
        new = replace(self, outside_range=tuple(outside.values()))
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
        if self.allow_outside_range:  # only when set: other runs' configuration hashes stay as they were
            out[OUTSIDE_KEY] = True
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


def outside_entry(p: Param, key: str, value: Any, allowed: bool, origin: str = "") -> tuple:
    """``(key, value, low, high)`` of a value outside its plausible range, or ConfigError unless
    ``allowed`` (``origin``: where the value was set, for the message)."""
    if not allowed:
        raise ConfigError(key, value, f"a value in its plausible range {p.low:g} to {p.high:g}"
                                      + (f", here set by {origin}" if origin else "")
                                      + f" (or add {OUTSIDE_KEY}=true to ask for it explicitly)")
    return (key, value, p.low, p.high)


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
    broken = cfg.pop(BROKEN_KEY, None)
    if broken:  # a scenario file that cannot be used (register() stored its problem)
        raise ScenarioError(broken, str(cfg.get("scenario")))
    top = ["seed", "scenario", "scenario_info", "calibration_info", OUTSIDE_KEY, "population",
           "context", "costs", "params", "policy"]
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
    problem = _info_problem(info)
    if problem:
        raise ConfigError("scenario_info", info, problem)
    allow = cfg.get(OUTSIDE_KEY, False)
    if not isinstance(allow, bool):
        raise ConfigError(OUTSIDE_KEY, allow, "true or false")
    outside: list[tuple] = []
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
        outside += [outside_entry(p, f"{path}.{p.name}", checked[p.name], allow)
                    for p in params if not p.in_range(checked[p.name])]
        values[path] = _namespace(path)(**checked)
    pw = make_dataclass("Params", pathway_names, frozen=True)(
        **{n: values[f"params.{n}"] for n in pathway_names})
    return RunConfig(seed=seed, scenario=scenario, scenario_info=dict(info),
                     population=values["population"], context=values["context"],
                     costs=values["costs"], params=pw, policy=values["policy"],
                     calibration_info=dict(calibration), allow_outside_range=allow,
                     outside_range=tuple(outside))


def _info_problem(info: Any) -> str | None:
    """What is wrong with a ``scenario_info`` node (None if nothing)."""
    if not isinstance(info, Mapping):
        return "a mapping with keys " + ", ".join(INFO_KEYS)
    extra = [k for k in info if k not in INFO_KEYS]
    if extra:
        return f"a mapping with keys {', '.join(INFO_KEYS)} (not {extra[0]})"
    bad = [k for k, v in info.items() if not isinstance(v, str)]
    if bad:
        return f"text in {bad[0]} (in quotes if it looks like a number or a date)"
    return None


#: the key register() gives a scenario whose file cannot be used; build() reports its problem
BROKEN_KEY = "_scenario_problem"


class ScenarioError(ConfigError):
    """A scenario file that cannot be used: one line naming the file and the problem."""

    def __init__(self, problem: str, name: str) -> None:
        super().__init__("scenario", name, f"a scenario file that can be used, but {problem}")


def _where(name: str) -> str:
    path = SCENARIO_DIR / f"{name}.yaml"
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _leaf(node: Any, prefix: str) -> str:
    """The first dotted key below ``node`` (``hydra.run.dir`` rather than ``hydra``)."""
    while isinstance(node, Mapping) and node:
        k = next(iter(node))
        prefix, node = f"{prefix}.{k}", node[k]
    return prefix


def _yaml_problem(e: Exception) -> str:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = f"line {mark.line + 1}: " if mark is not None else ""
    text = f"{getattr(e, 'problem', None) or e}".splitlines()[0]
    if "'\\t'" in text or "\t" in text:
        return f"{line}a tab indents a line (YAML needs spaces)"
    return f"{line}not valid YAML ({text})"


def _section_problem(path: str, node: Any) -> str | None:
    """What is wrong with a scenario's ``policy``/``params``/``context``/``costs`` node."""
    if node is None:
        return None
    if not isinstance(node, Mapping):
        return f"{path} is {type(node).__name__}, not a mapping of settings"
    if path == "params":
        pathways = [cls.name for _, cls in PATHWAYS]
        for k, v in node.items():
            if k not in pathways:
                return f"params.{k} is not a pathway (one of {', '.join(pathways)})"
            problem = _section_problem(f"params.{k}", v)
            if problem:
                return problem
        return None
    known = {p.name: p for p in groups()[path]}
    for k, v in node.items():
        if k not in known:
            near = difflib.get_close_matches(str(k), list(known), n=1)
            return f"{path}.{k} is not a known key" + (f" (did you mean {path}.{near[0]}?)" if near else "")
        try:
            known[k].check(f"{path}.{k}", v)
        except ConfigError as e:
            return str(e)
    return None


def _file_problem(name: str, node: Any) -> str | None:
    """What is wrong with one scenario file's content on its own (not its includes)."""
    if node is None:
        return None
    if not isinstance(node, Mapping):
        return f"it holds a {type(node).__name__}, not a mapping of settings"
    for k, v in node.items():
        if k == "scenario" and v == name:
            continue  # its own name, harmless
        if k not in SCENARIO_KEYS:
            return (f"it sets {_leaf(v, str(k))}, which a scenario cannot set (a scenario sets "
                    "policy.*, params.*, context.*, costs.*, scenario_info and defaults)")
    defaults = node.get("defaults")
    if defaults is not None and (not isinstance(defaults, list)
                                 or not all(isinstance(d, str) for d in defaults)):
        return "its defaults are not a list of scenario names"
    problem = _info_problem(node.get("scenario_info") or {})
    if problem:
        return f"its scenario_info should be {problem}"
    for section in ("policy", "params", "context", "costs"):
        problem = _section_problem(section, node.get(section))
        if problem:
            return problem
    return None


@lru_cache(maxsize=256)
def _read_scenario(path: str, stamp: tuple) -> tuple[Any, str | None]:
    """(content, problem) of one scenario file; cached by the file's modification time and size."""
    import yaml
    from omegaconf._utils import get_yaml_loader

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"it is not UTF-8 text (byte 0x{e.object[e.start]:02x} at position {e.start}): save it as UTF-8"
    except OSError as e:
        return None, f"it cannot be read ({e.strerror})"
    if "${" in text:
        return None, "it holds an interpolation (${...}), which a scenario cannot use"
    try:
        node = yaml.load(text, Loader=get_yaml_loader())
    except yaml.YAMLError as e:
        return None, _yaml_problem(e)
    except Exception as e:  # noqa: BLE001 - anything else the loader raises on odd text
        return None, f"not valid YAML ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
    name = Path(path).stem
    problem = _file_problem(name, node)
    return (None if problem else (node or {})), problem


def scenario_file(name: str) -> tuple[dict | None, str | None]:
    """``(content, None)`` of a usable scenario file, or ``(None, problem)`` (one line naming the
    file); a file that includes a broken or missing scenario, or itself, is broken too."""
    return _scenario(name, ())


def _scenario(name: str, chain: tuple) -> tuple[dict | None, str | None]:
    path = SCENARIO_DIR / f"{name}.yaml"
    if name in chain:
        loop = " -> ".join([*chain[chain.index(name):], name])
        return None, f"{_where(name)}: its defaults include itself ({loop})"
    try:
        st = path.stat()
    except OSError:
        return None, f"{_where(name)} does not exist (scenarios: {', '.join(scenario_names())})"
    node, problem = _read_scenario(str(path), (st.st_mtime_ns, st.st_size))
    if problem:
        return None, f"{_where(name)}: {problem}"
    for inc in node.get("defaults") or []:
        if inc == "_self_":
            continue
        if inc not in scenario_names():
            return None, f"{_where(name)}: its defaults name {inc!r}, which is not a scenario file"
        _, problem = _scenario(inc, (*chain, name))
        if problem:  # names the file at fault
            return None, problem
    return node, None


def scenario_settings(name: str) -> dict[str, tuple[Any, str]]:
    """What a usable scenario sets, in dotted keys, with the file that sets it, in Hydra's order
    (included scenarios where ``_self_`` says, by default before the file's own settings)."""
    node, problem = scenario_file(name)
    if problem:
        return {}
    own: dict[str, tuple[Any, str]] = {}
    for section in ("policy", "context", "costs"):
        own.update({f"{section}.{k}": (v, _where(name)) for k, v in (node.get(section) or {}).items()})
    for pathway, values in (node.get("params") or {}).items():
        own.update({f"params.{pathway}.{k}": (v, _where(name)) for k, v in (values or {}).items()})
    defaults = list(node.get("defaults") or [])
    if "_self_" not in defaults:
        defaults.append("_self_")
    out: dict[str, tuple[Any, str]] = {}
    for inc in defaults:
        out.update(own if inc == "_self_" else scenario_settings(inc))
    return out


def scenario_problem(name: str) -> str | None:
    """One line saying why the scenario ``name`` cannot be used, or None if it can."""
    return scenario_file(name)[1]


def calibration_names() -> list[str]:
    """Names of the parameter sets in ``conf/calibration/`` (``fitted``, ``none``)."""
    return sorted(p.stem for p in (ROOT / "conf" / "calibration").glob("*.yaml"))


def scenario_names() -> list[str]:
    """Names of the scenario files in ``scenarios/`` (every ``*.yaml`` but hidden files), usable
    or not: a broken file is reported when it is used."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml") if not p.name.startswith("."))


_REGISTERED: list = [None]  # the scenario files registered last (see _scenario_stamp)


def _scenario_stamp() -> tuple:
    """The scenario folder's files with their modification times and sizes: register() reads
    them again when they change (tests write scenario files into a folder of their own)."""
    out = []
    for p in sorted(SCENARIO_DIR.glob("*.yaml")):
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def register() -> None:
    """Register the schema and the scenarios in Hydra's ConfigStore (again only when the
    scenario files changed).

    Scenarios live in ``scenarios/`` (the client's layout) and become the config group
    ``scenario``; each file holds only what differs from the baseline and may list other
    scenarios in its own ``defaults`` (``vwn_position`` is all demands together).
    """
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    import copy

    files = _scenario_stamp()
    if _REGISTERED[0] == files:
        return
    cs = ConfigStore.instance()
    cs.store(name="schema", node=schema())
    cs.repo.pop("scenario", None)  # a scenario folder registered before (tests change it)
    for name in scenario_names():
        node, problem = scenario_file(name)
        node = copy.deepcopy(node) or {}
        node["scenario"] = name
        if not problem:
            try:
                node = OmegaConf.to_container(OmegaConf.create(node))
            except Exception as e:  # noqa: BLE001 - what OmegaConf cannot hold
                problem = f"{_where(name)}: {str(e).splitlines()[0]}"
        if problem:  # stored as a problem: reported (by build) only when the scenario is used;
            # escaped, so that OmegaConf does not read a "${" in it as an interpolation
            node = {"scenario": name, BROKEN_KEY: problem.replace("${", "\\${")}
        cs.store(group="scenario", name=name, node=node, package="_global_")
    _REGISTERED[0] = files
