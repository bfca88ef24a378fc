"""The report's pieces that need no comparison folder: a run's participation chart, and the
sections built from tables (model and evidence, variance shares) on small hand-made inputs."""

from __future__ import annotations

import numpy as np


def test_a_runs_participation_parts_add_up_to_the_whole(run, tmp_path):
    from experiments.charts import run_chart, run_parts
    from model.outcomes import shares

    result = run("baseline", "population.size=1000", "seed=2")
    parts = run_parts(result)
    total = parts["employed"] + parts["education_not_working"] + parts["volunteering"]
    ok = np.isfinite(parts["participating"])
    assert ok.sum() > 100
    assert np.allclose(total[ok], parts["participating"][ok])
    # education without work is a part of education: the rule the parts rest on holds in the model
    edu, _ = shares(result.cube, result.columns, "in_education", "all")
    assert (parts["education_not_working"][ok] >= -1e-9).all()
    assert (parts["education_not_working"][ok] <= edu[ok] + 1e-9).all()
    run_chart(result, tmp_path / "outcomes.png")
    assert (tmp_path / "outcomes.png").stat().st_size > 10_000
