"""Patterns from the literature: a fast smoke test at tiny size, and (slow) the waiting effect
held to a two-sided band around Hainmueller et al. 2016."""

from __future__ import annotations

import json

import numpy as np
import pytest

from experiments import patterns
from experiments.evidence import patterns as pattern_runs


def test_patterns_run_at_tiny_size(tmp_path):
    out = tmp_path / "pat"
    patterns.main(["replications=2", "population.size=2000", f"out={out}"])
    for f in ("patterns.csv", "summary.md", "patterns.png", "patterns.json", "waiting_curves.csv",
              "regions.csv", "exam_job_finding.csv", "d6_pair.csv", "config.yaml"):
        assert (out / f).is_file(), f
    import pandas as pd

    m = pd.read_csv(out / "patterns.csv")
    assert set(m.pattern) == {"a waiting", "b region", "c inburgering"}
    wait = pd.read_csv(out / "waiting_by_seed.csv")
    assert len(wait) == 2 and (wait.extra_wait > 3).all()  # the cut makes people wait longer
    assert np.isfinite(wait.effect_pp_per_year).all()
    meta = json.loads((out / "patterns.json").read_text())
    assert meta["seeds"] == [0, 1] and meta["cohort"] == 2014
    assert "Hainmueller" in (out / "summary.md").read_text()
    from experiments.runs.outputs import foreign_entries

    assert foreign_entries(out, patterns.WRITES) == []  # it writes only what it declares


@pytest.mark.parametrize("arg,words", [("supply_factor=1.5", "supply_factor"),
                                       ("scenario=d3_labour_guidance", "scenario"),
                                       ("population.horizon_months=48", "at least 72"),
                                       ("replications=0", "replications")])
def test_bad_arguments(tmp_path, capsys, arg, words):
    with pytest.raises(SystemExit) as e:
        patterns.main([arg, f"out={tmp_path / 'x'}"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "known misfit: since the lasting harm of time in reception (work.limbo_effect, sized to "
    "Hainmueller et al.'s wait before the decision) also applies to the wait for a home, a year "
    "more of that wait costs about 10 pp at 60 months, above the band; the mechanical delay and the "
    "limbo harm add up. Limiting limbo to the wait before the permit needs a recalibration"))
def test_waiting_effect_within_band():
    """One extra year of waiting for a home lowers employment 60 months after the permit by
    2.25-9 pp (pattern_runs.WAIT_BAND_PP): the literature's 4-5 pp (Hainmueller et al. 2016) within a
    factor of two either way, because the model's wait (for a home after the permit, in the
    Netherlands) is not the Swiss wait for an asylum decision. Default size: 5 seeds x 20,000."""
    s = patterns.parse_args([])
    base_cfg = pattern_runs.load_config(s)
    from dataclasses import replace

    base = [pattern_runs.run_panel(replace(base_cfg, seed=k)) for k in range(5)]
    cut = [pattern_runs.run_panel(replace(pattern_runs.cut_supply(base_cfg, s["supply_factor"]), seed=k))
           for k in range(5)]
    wait, _ = pattern_runs.waiting(base, cut)
    assert 8 <= wait.extra_wait.mean() <= 16  # the design: about a year more waiting
    lo, hi = pattern_runs.WAIT_BAND_PP
    assert lo <= wait.effect_pp_per_year.mean() <= hi, wait.effect_pp_per_year.describe()
