"""What the explorer's controls set, as data: a scenario to start from, the cohort (permit year and
law), and every lever's value; and what follows from it (the overrides, the demands it touches, a
scenario file and the comparison command that reproduce it).

A setting is compared with the baseline on the same seeds. The cohort (permit year, law) applies
to both, as a comparison's command-line keys do; the levers apply to the setting only, on top of
the scenario it starts from, as a scenario file does. Pure functions, no model runs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date

from model.policy import LEVERS

#: the keys of the cohort (they apply to the baseline and the setting alike)
DEFAULT_YEAR = 2024
YEARS = tuple(range(2014, 2026))
LAWS = ("auto", "2013", "2021")
#: demands in the order the controls show them, then what is no demand
DEMANDS = tuple(f"D{i}" for i in range(1, 12)) + ("scope",)
#: levers the controls show (the law is a cohort key)
CONTROL_LEVERS = tuple(p for p in LEVERS if p.demand in DEMANDS)
BY_NAME = {p.name: p for p in LEVERS}
#: the prefix of the scenario files the explorer writes
PREFIX = "explorer_"


def lever_groups() -> list[tuple[str, list]]:
    """(demand, [Param, ...]) in demand order, each lever as declared in ``model/policy.py``."""
    return [(d, [p for p in CONTROL_LEVERS if p.demand == d]) for d in DEMANDS
            if any(p.demand == d for p in CONTROL_LEVERS)]


def step(p) -> float:
    """A slider's step for a numeric lever: about a hundredth of its range, a round number."""
    span = float(p.high) - float(p.low)
    for s in (0.01, 0.05, 0.1, 0.25, 0.5, 1.0):
        if span / s <= 120:
            return s
    return 1.0


def clean(p, value):
    """``value`` as the lever's type (a slider gives floats; a flag is a bool; a choice a str)."""
    if p.kind == "flag":
        return bool(value)
    if p.kind == "choice":
        return str(value)
    return round(float(value), 6)


@dataclass(frozen=True)
class Setting:
    """One setting of the explorer's controls.

    Attributes:
        scenario: the scenario file it starts from (``scenarios/<name>.yaml``).
        year: the cohort's permit year (``population.permit_year``).
        law: ``auto`` (by permit year), ``2013`` or ``2021`` (``policy.law``).
        levers: every shown lever's value (``policy.<name>``), as a sorted tuple of pairs.
        start: the levers' values in the scenario it starts from (to tell what was changed).
    """

    scenario: str = "baseline"
    year: int = DEFAULT_YEAR
    law: str = "auto"
    levers: tuple = field(default_factory=tuple)
    start: tuple = field(default_factory=tuple)

    @classmethod
    def from_scenario(cls, scenario: str, policy: dict, year: int = DEFAULT_YEAR,
                      law: str = "auto") -> "Setting":
        """The setting that is exactly ``scenario`` (``policy``: its composed ``policy`` values)."""
        values = tuple(sorted((p.name, clean(p, policy[p.name])) for p in CONTROL_LEVERS))
        return cls(scenario, int(year), str(law), values, values)

    @property
    def values(self) -> dict:
        return dict(self.levers)

    def set(self, name: str, value) -> "Setting":
        """This setting with lever ``name`` at ``value``."""
        v = dict(self.levers)
        v[name] = clean(BY_NAME[name], value)
        return replace(self, levers=tuple(sorted(v.items())))

    def changes(self) -> dict:
        """The levers set to another value than in the scenario it starts from."""
        start = dict(self.start)
        return {k: v for k, v in self.levers if start.get(k) != v}

    def cohort_overrides(self, size: int) -> list[str]:
        """The keys that apply to the baseline and the setting alike (a comparison's command line)."""
        out = [f"population.size={size}"]
        if self.year != DEFAULT_YEAR:
            out.append(f"population.permit_year={self.year}")
        if self.law != "auto":
            out.append(f"policy.law={self.law}")
        return out

    def demands(self, baseline_policy: dict) -> list[str]:
        """The demands (D1-D11) whose levers differ from the baseline's, in order."""
        diff = {k for k, v in self.levers if clean(BY_NAME[k], baseline_policy[k]) != v}
        return [d for d in DEMANDS if d.startswith("D") and any(BY_NAME[k].demand == d for k in diff)]

    def name(self) -> str:
        """A scenario name for this setting: ``explorer_<start>`` and its changes, file-safe."""
        parts = [self.scenario] + [f"{k}{_short(v)}" for k, v in sorted(self.changes().items())]
        text = re.sub(r"[^a-z0-9_]+", "_", "_".join(parts).lower()).strip("_")
        if len(text) > 60:
            text = text[:50] + "_" + hashlib.sha256(text.encode()).hexdigest()[:8]
        return PREFIX + text


def _short(v) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:g}".replace(".", "p").replace("-", "m")
    return str(v)


def _yaml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}" if "e" not in f"{v:g}" else repr(v)
    return f'"{v}"'


def scenario_yaml(s: Setting, baseline_policy: dict, summary: str | None = None) -> str:
    """The setting as a scenario file: the scenario it starts from (through Hydra's defaults, as
    ``vwn_position`` composes the demands) and the levers changed on top of it.

    The cohort keys are not in the file: they go on the command line (:func:`compare_command`),
    so that the baseline is the same cohort.
    """
    ch = s.changes()
    demands = s.demands(baseline_policy)
    words = ", ".join(f"{k} = {_yaml_value(v)}" for k, v in sorted(ch.items())) or "no changes"
    summary = summary or f"{s.scenario} with {words}"
    lines = [f"# Made with the explorer (python -m experiments.dashboard) on {date.today().isoformat()}:",
             f"# the scenario {s.scenario} with {words}.",
             f"# Run: python -m experiments.run scenario={s.name()}"]
    if s.scenario != "baseline":
        lines += ["defaults:", f"  - {s.scenario}", "  - _self_"]
    demand = "+".join(demands) if demands else "baseline"
    lines += ["scenario_info:", f"  demand: {demand}", f'  summary: "{summary.replace(chr(34), chr(39))}"']
    if ch:
        lines.append("policy:")
        lines += [f"  {k}: {_yaml_value(v)}" for k, v in sorted(ch.items())]
    return "\n".join(lines) + "\n"


def compare_command(s: Setting, size: int, replications: int, seed_start: int = 0,
                    language: str = "en") -> str:
    """The comparison command that reproduces the explorer's numbers for ``s`` (once its scenario
    file is in ``scenarios/``)."""
    args = [f"scenarios=[baseline,{s.name()}]", f"replications={replications}",
            *s.cohort_overrides(size)]
    if seed_start:
        args.append(f"seed_start={seed_start}")
    if language != "en":
        args.append(f"report.language={language}")
    return "python -m experiments.compare " + " ".join(args)
