"""Settings, the plan and the designs of the sensitivity analysis (no runs, no files).

:func:`make_plan` checks the composed settings (``conf/sensitivity.yaml`` and the command line),
composes each scenario exactly as ``python -m experiments.run scenario=S ...`` would (with any
model key given on the command line), and holds the designs:

- Morris: ``n_morris`` trajectories of ``D + 1`` points over the ``D`` uncertain parameters
  (SALib's ``morris.sample``, 4 levels), seeded by ``seed``;
- nominal: ``chance_seeds`` points at the composed values, one seed each, to measure chance;
- Sobol: SALib's Saltelli design (``sobol.sample``, ``calc_second_order=False``, scrambled with
  ``seed``) of ``n_sobol * (k + 2)`` points over the ``k`` parameters the screening kept; the
  others stay at their composed values.

Both samplers extend: the first trajectories (Morris) or base points (Sobol) of a larger design
are those of the smaller one, so more samples reuse every finished point, and the indices at
``n_sobol / 2`` are computed from the first half of the same points.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from omegaconf import DictConfig, OmegaConf

from experiments.runs.jobs import config_hash
from experiments.evidence.sensitivity import runs
from experiments.evidence.sensitivity import space
from model.config import scenario_names
from model.errors import ConfigError

#: settings of the analysis (conf/sensitivity.yaml); all other keys are the model's
KEYS = ("scenarios", "baseline", "runs", "n_morris", "n_sobol", "top", "replicates", "chance_seeds", "stage",
        "part", "parts", "n_jobs", "out", "overwrite", "language", "progress", "resamples", "parameters",
        "exclude", "screen", "prim.margin_pp", "prim.year", "prim.scenario", "prim.density",
        "prim.boxes", "prim.peel_alpha", "prim.mass_min")
STAGES = ("all", "morris", "sobol")


# ---- checking input ----------------------------------------------------------------------------
def _count(minimum: int, what: str):
    def check(key, v):
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ConfigError(key, v, what)
    return check


def _power_of_two(key, v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 4 or v & (v - 1):
        raise ConfigError(key, v, "a power of two >= 4 (Sobol's sequence is balanced at powers of two; "
                                  "the indices at half the sample need one too), such as 128, 256, 512")


def demands() -> list[str]:
    """The one-demand scenarios (``d1_...`` to ``d11_...``), in the demands' order."""
    found = [(int(m.group(1)), n) for n in scenario_names() if (m := re.match(r"d(\d+)_", n))]
    return [n for _, n in sorted(found)]


def expand(scenarios: list[str]) -> list[str]:
    """``demands`` in a scenario list stands for every one-demand scenario."""
    out = []
    for s in scenarios:
        out.extend(demands() if s == "demands" else [s])
    return list(dict.fromkeys(out))


def _scenarios(key, v):
    if isinstance(v, str):
        raise ConfigError(key, v, "a list in brackets, such as scenarios=[vwn_position,d3_labour_guidance] "
                                  "or scenarios=[vwn_position,demands]")
    if not isinstance(v, (list, tuple)):
        raise ConfigError(key, v, "a list of scenario names (the baseline is always run)")
    names = scenario_names()
    for s in v:
        if s not in names and s != "demands":
            raise ConfigError(key, list(v), f"scenario names, each one of {', '.join(names)}, or demands "
                                            f"for all of d1-d11 ({s!r} is not)")


def _scenario(key, v):
    if v not in scenario_names():
        raise ConfigError(key, v, "one of " + ", ".join(scenario_names()))


def _choice(options):
    def check(key, v):
        if v not in options:
            raise ConfigError(key, v, " or ".join(map(str, options)))
    return check


def _n_jobs(key, v):
    if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
        raise ConfigError(key, v, "a whole number >= 1, or null for one per CPU core")


def _bool(key, v):
    if not isinstance(v, bool):
        raise ConfigError(key, v, "true or false")


def _keys(key, v):
    if v is None and key == "parameters":
        return
    if isinstance(v, str) or not isinstance(v, (list, tuple)):
        raise ConfigError(key, v, "a list in brackets of keys, prefixes or patterns, such as "
                                  "[params.work,context]" + (" (or null for all)" if key == "parameters" else ""))


def _number(lo, hi, what):
    def check(key, v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (lo <= v <= hi):
            raise ConfigError(key, v, what)
    return check


def _screen(key, v):
    from experiments.evidence.sensitivity.analysis import ANALYSED

    if isinstance(v, str) or not isinstance(v, (list, tuple)) or not v or any(m not in ANALYSED for m in v):
        raise ConfigError(key, v, f"a non-empty list of {', '.join(ANALYSED)}")


def _out(key, v):
    from experiments.runs.outputs import check_output

    check_output(key, v, default="results/sensitivity/<name from the settings>")


CHECKS = {
    "scenarios": _scenarios, "baseline": _scenario, "runs": _choice(("compact", "full")),
    "n_morris": _count(2, "a whole number >= 2 (Morris trajectories)"),
    "n_sobol": _power_of_two, "top": _count(2, "a whole number >= 2 (parameters kept for Sobol)"),
    "replicates": _count(1, "a whole number >= 1 (seeds per point)"),
    "chance_seeds": _count(2, "a whole number >= 2 (seeds at the nominal values)"),
    "stage": _choice(STAGES), "part": _count(0, "a whole number >= 0, below parts"),
    "parts": _count(1, "a whole number >= 1"), "n_jobs": _n_jobs, "out": _out, "overwrite": _bool,
    "language": _choice(("en", "nl")), "progress": _bool,
    "resamples": _count(10, "a whole number >= 10 (bootstrap resamples)"),
    "parameters": _keys, "exclude": _keys, "screen": _screen,
    "prim.margin_pp": _number(-100, 100, "a number of percentage points in [-100, 100]"),
    "prim.year": _count(1, "a whole number of years since the permit, 1 to 10"),
    "prim.scenario": _scenario,
    "prim.density": _number(0.0, 1.0, "a share in [0, 1] (the least density of a chosen box)"),
    "prim.boxes": _count(1, "a whole number >= 1"),
    "prim.peel_alpha": _number(0.01, 0.5, "a share in [0.01, 0.5]"),
    "prim.mass_min": _number(0.0, 0.5, "a share in [0, 0.5]"),
}


def check_arguments(args: list[str]) -> None:
    """Check the command line before Hydra runs (one line for the first bad key, exit 2)."""
    from experiments.runs.overrides import check_overrides

    for a in args:
        if a.split("=", 1)[0] in ("scenario", "replications", "seed_start"):
            raise ConfigError(a.split("=", 1)[0], a.split("=", 1)[-1],
                              "scenarios=[...], replicates=N and seed=N in a sensitivity analysis")
    check_overrides(args, extra=CHECKS)


def _get(c: dict, dotted: str):
    node = c
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


# ---- the plan ----------------------------------------------------------------------------------
@dataclass
class Plan:
    scenarios: list[str]  #: baseline first, then the analysed scenarios
    baseline: str
    params: list  #: (key, Param) of the Morris parameters
    seeds: list[int]  #: replicate seeds, the same at every point
    out: Path
    settings: dict
    overrides: list[str]  #: model overrides applied to every scenario
    configs: dict = field(default_factory=dict)  #: scenario -> composed config dict
    hashes: dict = field(default_factory=dict)  #: scenario -> config_hash
    notes: list = field(default_factory=list)
    #: the model code's hash when the analysis started (every point must have been made with it)
    code: str = ""

    @property
    def full(self) -> bool:
        """Every run is also a comparison run folder (``runs=full``)."""
        return self.settings.get("runs") == "full"

    @property
    def horizon_years(self) -> int:
        """Whole years since the permit that every run follows."""
        return int(self.configs[self.baseline]["population"]["horizon_months"]) // 12

    @property
    def compared(self) -> list[str]:
        return [s for s in self.scenarios if s != self.baseline]

    def stage_id(self, kind: str, keys: list[str]) -> str:
        return f"{kind}-{hashlib.sha256(','.join(keys).encode()).hexdigest()[:8]}"

    # designs
    def morris_design(self) -> tuple[str, list[str], np.ndarray]:
        from SALib.sample import morris

        prob = space.problem(self.params)
        X = morris.sample(prob, self.settings["n_morris"], num_levels=4, seed=self.settings["seed"])
        return self.stage_id("morris", prob["names"]), prob["names"], space.within(X, prob)

    def sobol_design(self, keys: list[str]) -> tuple[str, list[str], np.ndarray]:
        from SALib.sample import sobol

        prob = space.problem([(k, p) for k, p in self.params if k in keys])
        X = sobol.sample(prob, self.settings["n_sobol"], calc_second_order=False, scramble=True,
                         seed=self.settings["seed"])
        return self.stage_id("sobol", prob["names"]), prob["names"], space.within(X, prob)

    def problem(self, keys: list[str] | None = None) -> dict:
        return space.problem([(k, p) for k, p in self.params if keys is None or k in keys])

    # tasks
    def tasks(self, stage: str, names: list[str], X: np.ndarray, seeds: list[list[int]] | None = None
              ) -> list[dict]:
        """One task per row of ``X`` (values of ``names``); ``seeds[i]`` overrides the seeds."""
        out = []
        for i, row in enumerate(X):
            values = {k: float(v) for k, v in zip(names, row)}
            sd = seeds[i] if seeds is not None else self.seeds
            out.append({"stage": stage, "index": i, "values": values, "seeds": list(sd),
                        "target": str(runs.point_dir(self.out, stage, i)),
                        "point_hash": runs.point_hash(self.hashes, values, sd, self.full), "model_hash": self.code,
                        "full": self.full,
                        "scenarios": self.configs, "base_hashes": self.hashes})
        return out

    def nominal_tasks(self) -> list[dict]:
        n = self.settings["chance_seeds"]
        seeds = [[self.settings["seed"] + j] for j in range(n)]
        return self.tasks("nominal", [], np.zeros((n, 0)), seeds)

    def mine(self, tasks: list[dict]) -> list[dict]:
        """This process's share of ``tasks`` (all, unless ``parts`` > 1)."""
        p, n = self.settings["part"], self.settings["parts"]
        return [t for t in tasks if t["index"] % n == p]


def default_settings() -> dict:
    from model.config import ROOT

    return OmegaConf.to_container(OmegaConf.load(ROOT / "conf" / "sensitivity.yaml"), resolve=False)


def folder_name(s: dict, overrides: list[str]) -> str:
    """The output folder's name: ``default``, or the settings that change what is run (not the
    number of samples, so that more samples extend the same folder)."""
    d = default_settings()
    parts = [o for o in overrides if not o.startswith("population.size=")]
    if s["population_size"] != _get(d, "population.size"):
        parts.append(f"population.size={s['population_size']}")
    for key in ("scenarios", "baseline", "replicates", "seed", "parameters", "exclude", "chance_seeds", "runs"):
        default = d.get(key, 0 if key == "seed" else None)
        if s[key] != default:
            v = s[key]
            parts.append(f"{key}=" + (",".join(map(str, v)) if isinstance(v, list) else str(v)))
    if not parts:
        return "default"
    name = re.sub(r"[^A-Za-z0-9._=,+*-]+", "_", "_".join(parts)).replace("*", "x")
    if len(name) > 80:
        name = name[:60] + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return name


def make_plan(cfg: DictConfig, task_overrides: list[str]) -> Plan:
    """Check the composed settings and compose every scenario (no runs, no folders).

    Raises:
        ConfigError: for the first bad setting.
    """
    from experiments.runs.comparison import model_overrides
    from experiments.runs.compose import load

    c = OmegaConf.to_container(cfg, resolve=True)
    for key in KEYS:
        v = _get(c, key)
        if key in ("out", "n_jobs") and v is None:
            continue
        CHECKS[key](key, v)
    seed = c.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError("seed", seed, "a whole number >= 0")
    if c["part"] >= c["parts"]:
        raise ConfigError("part", c["part"], f"a whole number below parts ({c['parts']})")
    if c["parts"] > 1 and c["stage"] == "all":
        raise ConfigError("stage", "all", "morris or sobol when the work is split into parts "
                                          "(run stage=morris in every part first, then stage=sobol)")
    if not 1 <= c["prim"]["year"] <= max(runs.YEARS):
        raise ConfigError("prim.year", c["prim"]["year"], f"a whole number of years from 1 to {max(runs.YEARS)}")
    params = space.select(c.get("parameters"), c.get("exclude") or [])
    baseline = c["baseline"]
    scenarios = [baseline] + [s for s in expand(c["scenarios"]) if s != baseline]
    size = int(c["population"]["size"])
    overrides = [o for o in model_overrides(task_overrides) if not o.startswith("population.size=")]
    overrides.append(f"population.size={size}")
    settings = {k: c[k] for k in ("runs", "n_morris", "n_sobol", "replicates", "chance_seeds", "stage", "part",
                                  "parts", "language", "progress", "resamples", "screen")}
    settings.update(seed=seed, top=min(c["top"], len(params)), scenarios=list(c["scenarios"]),
                    baseline=baseline, parameters=c.get("parameters"), exclude=list(c.get("exclude") or []),
                    population_size=size, prim=dict(c["prim"]),
                    n_jobs=c.get("n_jobs") or os.cpu_count() or 1)
    out = Path(c["out"]) if c.get("out") else Path("results") / "sensitivity" / folder_name(settings, overrides[:-1])
    from experiments.runs.jobs import model_hash

    plan = Plan(scenarios=scenarios, baseline=baseline, params=params,
                seeds=[seed + r for r in range(c["replicates"])], out=out.expanduser().absolute(),
                settings=settings, overrides=overrides, code=model_hash())
    if c["top"] > len(params):
        plan.notes.append(f"top={c['top']} but only {len(params)} parameters are varied: all are kept")
    if c["prim"]["scenario"] not in scenarios:
        plan.notes.append(f"prim.scenario={c['prim']['scenario']} is not among the scenarios: no scenario "
                          "discovery (add it to scenarios=[...])")
    for s in scenarios:
        d = load(s, overrides).to_dict()
        plan.configs[s] = d
        plan.hashes[s] = config_hash(d)
    if plan.horizon_years < 1:
        raise ConfigError("population.horizon_months", plan.configs[baseline]["population"]["horizon_months"],
                          "at least 12 months (outcomes are kept at whole years since the permit)")
    if c["prim"]["year"] > plan.horizon_years:
        raise ConfigError("prim.year", c["prim"]["year"], f"a year within the horizon (1 to {plan.horizon_years})")
    return plan
