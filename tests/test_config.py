"""The config schema and its validation (model/config.py, model/parameters.py, model/policy.py).

Every parameter is declared once with a default, unit, range and source; :func:`model.config.build`
is the one place input is checked, and a bad key or value raises :class:`model.errors.ConfigError`
naming the key, the value and what is allowed, on one line.
"""

from __future__ import annotations

import copy
import math
import re

import pytest

from model.config import RunConfig, all_params, build, groups, schema
from model.errors import ConfigError
from model.parameters import KINDS, Param
from model.pathways import PATHWAYS
from model.people import NEVER, STATES
from model.policy import LEVERS

ALL = all_params()
NUMERIC = [(g, p) for g, p in ALL if p.kind not in ("flag", "choice")]


def _set(tree: dict, dotted: str, value) -> dict:
    tree = copy.deepcopy(tree)
    node = tree
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return tree


def _raises(tree: dict, key: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        build(tree)
    err = info.value
    assert err.key == key, (err.key, key)
    msg = str(err)
    assert "\n" not in msg and msg.startswith(f"{key}=") and "is not allowed: expected" in msg, msg
    return err


# ---- declarations -----------------------------------------------------------------------------
def test_every_parameter_is_declared_once_per_group():
    for path, params in groups().items():
        names = [p.name for p in params]
        assert len(names) == len(set(names)), path
    pathway_names = [cls.name for _, cls in PATHWAYS]
    assert len(pathway_names) == len(set(pathway_names))


@pytest.mark.parametrize("group, p", ALL, ids=[f"{g}.{p.name}" for g, p in ALL])
def test_declaration_is_complete_and_default_valid(group, p):
    assert p.kind in KINDS
    assert p.source.strip() and p.doc.strip() and p.unit.strip()
    key = f"{group}.{p.name}"
    assert p.check(key, p.default) == p.default
    if p.kind == "choice":
        assert p.default in p.choices
    elif p.kind == "flag":
        assert isinstance(p.default, bool)
    else:
        lo, hi = p.hard_bounds
        assert p.low <= p.high, key
        assert lo <= p.low and p.high <= hi, f"{key}: plausible range outside the hard bounds"
        assert p.low <= p.default <= p.high, f"{key}: default {p.default} outside [{p.low}, {p.high}]"


def test_levers_express_the_demands():
    demands = {p.demand for p in LEVERS}
    assert demands <= {f"D{i}" for i in range(1, 12)} | {"law", "scope"}
    assert {f"D{i}" for i in range(1, 12)} <= demands, "a demand without a lever"
    assert all(p.demand for p in LEVERS)


def test_state_declarations():
    names = [s.name for s in STATES]
    assert len(names) == len(set(names))
    for s in STATES:
        if s.name.startswith("ti_"):
            assert s.default == NEVER, s.name
            assert s.dtype.__name__ == "int16", s.name


# ---- build ------------------------------------------------------------------------------------
def test_build_of_the_schema_gives_every_default():
    rc = build(schema())
    assert isinstance(rc, RunConfig) and rc.seed == 0
    for group, p in ALL:
        obj = rc._get(group)
        assert getattr(obj, p.name) == p.default, f"{group}.{p.name}"


def test_to_dict_round_trips():
    rc = build(_set(_set(schema(), "policy.support_level", 2.0), "seed", 7))
    d = rc.to_dict()
    assert build(d).to_dict() == d
    assert d["policy"]["support_level"] == 2.0 and d["seed"] == 7


def test_config_objects_are_frozen():
    rc = build(schema())
    with pytest.raises(Exception):
        rc.policy.support_level = 3.0  # type: ignore[misc]
    with pytest.raises(Exception):
        rc.seed = 3  # type: ignore[misc]


@pytest.mark.parametrize("tree_key, value, key", [
    ("foo", 1, "foo"),  # unknown top-level key
    ("policy.suport_level", 2.0, "policy.suport_level"),  # misspelt lever
    ("population.sizee", 10, "population.sizee"),
    ("params.work.base_ratee", 0.1, "params.work.base_ratee"),  # unknown key in a nested group
    ("params.wrk", {"base_rate": 0.1}, "params.wrk"),  # unknown pathway
    ("context.covid_strat", 2020.1, "context.covid_strat"),
])
def test_unknown_keys_are_named(tree_key, value, key):
    err = _raises(_set(schema(), tree_key, value), key)
    assert "a known key" in err.allowed


def test_unknown_key_suggests_the_near_one():
    err = _raises(_set(schema(), "params.work.base_ratee", 0.1), "params.work.base_ratee")
    assert "base_rate" in err.allowed


@pytest.mark.parametrize("tree_key, value, allowed", [
    ("population.size", "abc", "whole number"),
    ("population.size", 1500.5, "whole number"),
    ("population.size", True, "whole number"),
    ("population.size", -5, "whole number"),
    ("policy.dual_track", "maybe", "true or false"),
    ("policy.dual_track", 1, "true or false"),
    ("policy.competence_assessment", 1.5, "[0, 1]"),
    ("policy.competence_assessment", -0.01, "[0, 1]"),
    ("policy.support_level", -1, ">= 0"),
    ("policy.support_level", "high", ">= 0"),
    ("policy.support_level", None, ">= 0"),
    ("policy.law", "2019", "auto, 2013, 2021"),
    ("policy.exam_level", "C1", "A2"),
    ("policy.placement", "random", "quota"),
    ("params.work.base_rate", -0.1, ">= 0"),
    ("params.language.dropout", 2.0, "[0, 1]"),
    ("params.work.female_effect", "low", "a number"),
    ("costs.route", -10.0, ">= 0"),
    ("context.reference_unemployment", "x", ">= 0"),
    ("population.permit_year", 1990, "2014"),
])
def test_bad_values_are_named_with_what_is_allowed(tree_key, value, allowed):
    err = _raises(_set(schema(), tree_key, value), tree_key)
    assert allowed in err.allowed, err.allowed
    assert err.value == value or (value is None and err.value is None)


@pytest.mark.parametrize("tree_key, value", [
    ("policy", 5), ("params.work", [1, 2]), ("params", "x"),
])
def test_a_group_must_be_a_mapping(tree_key, value):
    _raises(_set(schema(), tree_key, value), tree_key)


@pytest.mark.parametrize("value", [-1, True, 1.5, "3"])
def test_seed_must_be_a_whole_number(value):
    _raises(_set(schema(), "seed", value), "seed")


def test_scenario_info_only_demand_and_summary():
    _raises(_set(schema(), "scenario_info.other", "x"), "scenario_info")


def test_accepted_values_are_converted():
    rc = build(_set(_set(_set(schema(), "policy.law", 2013), "population.size", 2000.0),
                    "policy.support_level", 2))
    assert rc.policy.law == "2013" and rc.population.size == 2000
    assert isinstance(rc.population.size, int) and isinstance(rc.policy.support_level, float)


@pytest.mark.parametrize("group, p", [(g, p) for g, p in NUMERIC if p.hard_bounds[0] > -math.inf],
                         ids=lambda x: x if isinstance(x, str) else x.name)
def test_values_just_outside_the_hard_bounds_are_rejected(group, p):
    key = f"{group}.{p.name}"
    lo, hi = p.hard_bounds
    step = 1 if p.kind == "count" else 1e-6
    _raises(_set(schema(), key, lo - step), key)
    if hi < math.inf:
        _raises(_set(schema(), key, hi + step), key)
    # the bounds themselves are allowed, when values outside the plausible range are asked for
    assert _value_ok(key, lo) and (hi == math.inf or _value_ok(key, hi))


def _value_ok(key, value) -> bool:
    rc = build({**_set(schema(), key, value), "allow_outside_range": True})
    return rc._get(key.rsplit(".", 1)[0]) is not None


@pytest.mark.parametrize("group, p", NUMERIC, ids=lambda x: x if isinstance(x, str) else x.name)
def test_values_outside_the_plausible_range_need_asking_for(group, p):
    """A value outside its declared range is refused, naming key, value and range, unless
    allow_outside_range is set; then the config records it."""
    key = f"{group}.{p.name}"
    step = 1 if p.kind == "count" else 1e-6 * max(1.0, abs(p.high))
    value = p.high + step
    if value > p.hard_bounds[1]:
        value = p.low - step
    if value < p.hard_bounds[0]:
        pytest.skip("the plausible range is the allowed range")
    with pytest.raises(ConfigError) as info:
        build(_set(schema(), key, value))
    assert info.value.key == key and f"{p.low:g} to {p.high:g}" in str(info.value)
    rc = build({**_set(schema(), key, value), "allow_outside_range": True})
    assert [k for k, *_ in rc.outside_range] == [key]
    assert build(rc.to_dict()).outside_range == rc.outside_range
    assert build(schema()).outside_range == ()


def test_with_values_keeps_to_the_range_unless_asked():
    rc = build(schema())
    with pytest.raises(ConfigError, match="plausible range"):
        rc.with_values({"params.work.base_rate": 0.5})
    free = build({**schema(), "allow_outside_range": True}).with_values({"params.work.base_rate": 0.5})
    assert free.outside_range == (("params.work.base_rate", 0.5, 0.01, 0.2),)
    assert free.with_values({"params.work.base_rate": 0.05}).outside_range == ()


KINDS_NUMERIC = sorted({p.kind for _, p in NUMERIC})



@pytest.mark.parametrize("kind", KINDS_NUMERIC)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_rejected(kind, value):
    """No parameter can meaningfully be infinite or NaN: each kind rejects them with a
    ConfigError (not another exception)."""
    group, p = next((g, p) for g, p in NUMERIC if p.kind == kind and not p.strict)
    key = f"{group}.{p.name}"
    _raises(_set(schema(), key, value), key)


def test_param_rejects_incomplete_declarations():
    with pytest.raises(ValueError):
        Param("x", 1.0, "u", "assumption", "doc", kind="nonsense", low=0, high=1)
    with pytest.raises(ValueError):
        Param("x", 1.0, "u", "assumption", "doc", kind="rate")  # no range
    with pytest.raises(ValueError):
        Param("x", "a", "u", "assumption", "doc", kind="choice", choices=("b",))
    with pytest.raises(ValueError):
        Param("x", 1.0, "u", "", "doc", kind="rate", low=0, high=1)  # no source


def test_error_message_format():
    e = ConfigError("policy.support_level", -1, "a number >= 0")
    assert str(e) == "policy.support_level=-1 is not allowed: expected a number >= 0"
    assert isinstance(e, ValueError)


# ---- composing through Hydra, as the command line does --------------------------------------
def test_compose_applies_overrides(compose):
    rc = compose("baseline", "population.size=2000", "policy.law=2013", "seed=3")
    assert rc.population.size == 2000 and rc.policy.law == "2013" and rc.seed == 3
    assert rc.scenario == "baseline"


@pytest.mark.parametrize("overrides, key", [
    (["population.sizee=10"], "population.sizee"),
    (["policy.competence_assessment=1.5"], "policy.competence_assessment"),
    (["policy.dual_track=maybe"], "policy.dual_track"),
    (["+foo=1"], "+foo"),
])
def test_compose_rejects_bad_overrides(overrides, key):
    from experiments.runs.compose import load

    with pytest.raises(ConfigError) as info:
        load("baseline", overrides)
    assert info.value.key == key and "\n" not in str(info.value)


def test_compose_rejects_an_unknown_scenario():
    from experiments.runs.compose import load

    with pytest.raises(ConfigError) as info:
        load("no_such_scenario")
    assert info.value.key == "scenario" and "baseline" in info.value.allowed


def test_every_lever_can_be_set_from_the_command_line(compose):
    """Each lever accepts a value other than its default through Hydra and reaches the config."""
    for p in LEVERS:
        if p.kind == "flag":
            value, text = (not p.default), str(not p.default).lower()
        elif p.kind == "choice":
            value = next(c for c in p.choices if c != p.default)
            text = str(value)
        else:
            value = p.high if p.default != p.high else p.low
            text = repr(float(value))
        rc = compose("baseline", "population.size=1000", f"policy.{p.name}={text}")
        got = getattr(rc.policy, p.name)
        assert (str(got) == str(value)) if p.kind == "choice" else got == value, (p.name, got, value)


def test_with_values_checks_like_any_input():
    rc = build(schema())
    rc2 = rc.with_values({"params.work.base_rate": 0.05, "policy.support_level": 2.0})
    assert rc2.params.work.base_rate == 0.05 and rc2.policy.support_level == 2.0
    assert rc.params.work.base_rate != 0.05  # the original is unchanged
    with pytest.raises(ConfigError) as info:
        rc.with_values({"params.work.base_ratee": 0.05})
    assert info.value.key == "params.work.base_ratee"
    with pytest.raises(ConfigError) as info:
        rc.with_values({"policy.competence_assessment": 1.5})
    assert info.value.key == "policy.competence_assessment"


def test_allowed_text_matches_the_check():
    """What an error message promises is what the check accepts."""
    for group, p in NUMERIC:
        text = p.allowed()
        lo, hi = p.hard_bounds
        if lo > -math.inf:
            nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]
            assert nums and min(nums) == pytest.approx(lo), (p.name, text)
