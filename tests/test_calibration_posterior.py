"""The posterior calibration (experiments/evidence/posterior.py): its sampler against a posterior
known in closed form, its emulator against a known function, its variances, and the command's
bad input. The whole method on the model, with the simulated-data check, is the slow test at
the end.

Tolerances of the sampler's moments: the draws kept (8 chains x 1,000) have an effective sample
size of at least a few hundred on these targets (adaptive Metropolis mixes within tens of steps in
three dimensions); with 400 effective draws the standard error of a mean is 0.05 standard
deviations and of a standard deviation 0.035 of it: the tests allow three standard errors.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from experiments.evidence import posterior as P
from model.config import ROOT


class Linear:
    """y = A x on positions u of the range [-50, 50] (wide: the prior hardly matters)."""

    def __init__(self, A):
        self.A = A

    def __call__(self, u):
        return (-50.0 + 100.0 * np.atleast_2d(u)) @ self.A.T


def _linear_problem(seed=1):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((6, 3))
    x_true = np.array([1.0, -2.0, 0.5])
    var = np.full(6, 0.5)
    y = A @ x_true + rng.standard_normal(6) * np.sqrt(var)
    cov = np.linalg.inv(A.T @ np.diag(1 / var) @ A)
    mean = cov @ A.T @ np.diag(1 / var) @ y
    post = P.Posterior(Linear(A), y, var, np.ones(6, bool))
    return post, mean, cov


def test_sampler_recovers_a_linear_gaussian_posterior():
    post, mean, cov = _linear_problem()
    z0 = P.logit((mean + 50.0) / 100.0)[None, :] + 0.01 * np.random.default_rng(0).standard_normal((8, 3))
    chains = P.adaptive_metropolis(post, z0, 10_000, seed=3)
    x = -50.0 + 100.0 * P.expit(chains.pooled())
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(x.mean(0) - mean) < 0.15 * sd), (x.mean(0), mean, sd)
    assert np.all(np.abs(x.std(0) / sd - 1) < 0.11), (x.std(0), sd)
    # the 90% interval of each parameter is the normal one
    lo, hi = np.quantile(x, [0.05, 0.95], axis=0)
    assert np.all(np.abs(lo - (mean - 1.645 * sd)) < 0.25 * sd)
    assert np.all(np.abs(hi - (mean + 1.645 * sd)) < 0.25 * sd)
    assert np.all(chains.rhat < 1.05) and 0.1 < chains.acceptance < 0.5


def test_sampler_is_deterministic_for_a_seed():
    post, mean, _ = _linear_problem()
    z0 = np.tile(P.logit((mean + 50.0) / 100.0), (4, 1))
    a = P.adaptive_metropolis(post, z0, 600, seed=5).draws
    b = P.adaptive_metropolis(post, z0, 600, seed=5).draws
    assert np.array_equal(a, b)


def test_flat_likelihood_gives_the_uniform_prior():
    """No information: the positions' draws are uniform on the range (prior Jacobian in z)."""
    post = P.Posterior(lambda u: np.zeros((len(np.atleast_2d(u)), 1)), np.zeros(1), np.ones(1),
                       np.ones(1, bool))
    z0 = np.random.default_rng(0).standard_normal((8, 2))
    u = P.expit(P.adaptive_metropolis(post, z0, 6_000, seed=2).pooled())
    # 8 x 600 draws, effective size >= 400: se of a uniform's mean 0.29 / 20 = 0.014
    assert np.all(np.abs(u.mean(0) - 0.5) < 0.045)
    assert np.all(np.abs(u.std(0) - P.PRIOR_SD) < 0.03)


def test_emulator_recovers_a_quadratic_and_its_noise():
    rng = np.random.default_rng(4)
    U = P.sobol(256, 4)
    truth = lambda u: 10 + 5 * u[:, 0] - 3 * u[:, 1] ** 2 + 4 * u[:, 0] * u[:, 2]  # noqa: E731
    noise = 0.5
    Y = truth(U)[:, None] + noise * rng.standard_normal((256, 1))
    emu = P.Emulator.fit(U, Y)
    test = rng.random((200, 4))
    assert np.sqrt(np.mean((emu(test)[:, 0] - truth(test)) ** 2)) < 0.2
    # held-out error: the noise, plus a little of the fit's own error (256 points, 15 terms)
    assert 0.8 * noise ** 2 < emu.cv_mse[0] < 1.3 * noise ** 2


def test_gaussian_process_emulator_follows_a_steep_curve_the_quadratic_cannot():
    """A saturating response to one parameter of three (like housing to the homes' rate): the
    Gaussian process follows it, and its leave-one-out error says how well."""
    rng = np.random.default_rng(6)
    U = P.sobol(96, 3)
    truth = lambda u: 100 / (1 + np.exp(-(u[:, 0] - 0.3) / 0.05)) + 5 * u[:, 1]  # noqa: E731
    Y = np.column_stack([truth(U) + 0.3 * rng.standard_normal(96), 2 + 3 * U[:, 2]])
    emu = P.GPEmulator.fit(U, Y)
    test = rng.random((300, 3))
    err = np.sqrt(np.mean((emu(test)[:, 0] - truth(test)) ** 2))
    assert emu.use_gp[0] and err < 3.0 < np.sqrt(emu.quadratic.cv_mse[0])
    # the held-out error is honest: the error on fresh points plus the noise of the design's
    # values (0.3^2), within a factor of two
    assert 0.5 < emu.cv_mse[0] / (err ** 2 + 0.3 ** 2) < 2.0
    assert np.allclose(emu(test)[:, 1], 2 + 3 * test[:, 2], atol=0.05)


def test_the_data_variance_is_rounding_and_tolerance():
    assert P.rounding_var(42) == pytest.approx(1 / 12)
    assert P.rounding_var(10.5) == pytest.approx(0.01 / 12)
    from experiments.evidence.targets import read_targets, shipped_targets

    ts = read_targets(shipped_targets())
    v = P.data_var(ts)
    by = {t.id: x for t, x in zip(ts, v)}
    assert by["emp_2014_30"] == pytest.approx((2.5 / 4) ** 2 + 1 / 12)  # the anchor
    assert by["emp_2014_96"] == pytest.approx((4 / 4) ** 2 + 1 / 12)
    assert by["emp_2014_syria_30"] == pytest.approx((2.5 / 2) ** 2 + 0.01 / 12)
    assert by["emp_2020_36"] == pytest.approx((4 / 2) ** 2 + 1 / 12)
    assert set(P.CHECK_ONLY) <= {t.id for t in ts}


def test_design_values_follow_the_targets_order_when_cohorts_alternate():
    """The model runs cohort by cohort; each design column must still be its own target's value
    (a targets file may list a 2014 row after later cohorts' rows, as the shipped one does)."""
    from experiments.evidence.target_values import evaluate, prepare
    from experiments.evidence.targets import read_targets, shipped_targets

    by_id = {t.id: t for t in read_targets(shipped_targets())}
    ts = [by_id[i] for i in ("emp_2016_36", "emp_2014_36", "edu_2014_18_23_60", "emp_2020_36",
                             "housed_2014_syria_12")]
    configs = prepare(ts, "baseline", ["population.size=600"])
    got = P.run_points(ts, configs, [{}], [3])[0, 0]
    ref = evaluate(ts, seeds=[3], configs=configs).set_index("target")["model_value"]
    assert np.array_equal(got, ref.loc[[t.id for t in ts]].to_numpy(float)), (got, ref)
    assert got[2] != got[1]  # the education row is not an employment value
    # seeds of their own per point: the same runs as asking for each point's seeds alone
    both = P.run_points(ts, configs, [{}, {}], [[3], [4]])
    assert np.array_equal(both[0, 0], got)
    assert np.array_equal(both[1, 0], P.run_points(ts, configs, [{}], [4])[0, 0])


def test_sampler_recovers_a_posterior_with_correlated_errors():
    """With a full error covariance the posterior is the generalised least-squares one, and it
    differs from what independent errors of the same variances give (so the test can fail)."""
    rng = np.random.default_rng(2)
    A = rng.standard_normal((6, 2))
    sd = np.full(6, 0.7)
    R = 0.6 * np.ones((6, 6)) + 0.4 * np.eye(6)
    S = P.correlated(sd, R)
    y = A @ np.array([1.0, -1.0]) + np.linalg.cholesky(S) @ rng.standard_normal(6)
    Si = np.linalg.inv(S)
    cov = np.linalg.inv(A.T @ Si @ A)
    mean = cov @ A.T @ Si @ y
    post = P.Posterior(Linear(A), y, sd ** 2, np.ones(6, bool), S)
    z0 = P.logit((mean + 50.0) / 100.0)[None, :] + 0.01 * rng.standard_normal((8, 2))
    x = -50.0 + 100.0 * P.expit(P.adaptive_metropolis(post, z0, 10_000, seed=3).pooled())
    se = np.sqrt(np.diag(cov))
    assert np.all(np.abs(x.mean(0) - mean) < 0.15 * se), (x.mean(0), mean, se)
    assert np.all(np.abs(x.std(0) / se - 1) < 0.11), (x.std(0), se)
    ind = np.sqrt(np.diag(np.linalg.inv(A.T @ A / sd[0] ** 2)))
    assert np.any(np.abs(ind / se - 1) > 0.3), (ind, se)


def test_shrunk_correlation_keeps_strong_correlation_and_drops_none():
    rng = np.random.default_rng(5)
    common = rng.standard_normal((200, 1))
    E = np.hstack([common + 0.5 * rng.standard_normal((200, 2)), rng.standard_normal((200, 2)),
                   np.zeros((200, 1))])
    R, w = P.shrunk_corr(E)
    # the first two share 0.8 of their variance: correlation 0.8, shrunk by w (< 0.2 here)
    assert 0 <= w < 0.2 and 0.8 * (1 - w) - 0.1 < R[0, 1] < 0.8 * (1 - w) + 0.1
    assert abs(R[2, 3]) < 0.15 and abs(R[0, 2]) < 0.15  # se of a correlation of 200: 0.07
    assert np.allclose(np.diag(R), 1) and np.allclose(R[4, :4], 0)  # a constant column
    assert np.all(np.linalg.eigvalsh(R) > 0)


def test_design_points_never_share_a_seed():
    s = np.vstack([P.point_seeds(0, 64, 2), P.point_seeds(64, 97, 2)])
    assert s.shape == (161, 2) and len(np.unique(s)) == s.size and s.min() >= 1
    assert np.array_equal(P.point_seeds(3, 2, 2), [[7, 8], [9, 10]])


def test_the_posterior_fits_every_parameter_declared_calibrated():
    """The posterior's parameters are those declared ``calibrate=True``, the point fit's stages
    first; the work-first relief, which the point fit leaves at its value fitted alone, is among
    them (held there, the posterior's draws put the 2017 cohort 5 points too high)."""
    from experiments.evidence import posterior_fit as F
    from experiments.evidence.calibration import STAGES
    from model.config import all_params

    keys = F._keys()
    declared = {f"{g}.{p.name}" for g, p in all_params() if p.calibrate}
    staged = [n for _, ns, _ in STAGES for n in ns]
    assert len(keys) == len(set(keys)) and set(keys) == declared
    assert list(keys[:len(staged)]) == staged
    assert "params.work.work_first_relief" in keys and "params.work.work_first_relief" not in staged


def test_design_table_round_trip_keeps_each_points_seeds():
    from experiments.evidence import posterior_fit as F
    from experiments.evidence.targets import read_targets, shipped_targets

    ts = read_targets(shipped_targets())[:3]
    space = P.Space.declared(F._keys())
    U = P.sobol(4, len(space.keys))
    seeds = P.point_seeds(0, 4, 2)
    Y = np.arange(4 * 2 * 3, dtype=float).reshape(4, 2, 3)
    d = F.Design(U, np.array([1, 1, 2, 2]), Y, seeds)
    back = F.read_design(F.design_frame(d, space, ts), space, ts)
    assert np.array_equal(back.seeds, seeds) and np.array_equal(back.Y, Y)
    assert np.array_equal(back.wave, d.wave) and np.allclose(back.U, U, atol=1e-6)


def test_the_design_is_space_filling_and_reproducible():
    a, b = P.sobol(100, 19), P.sobol(100, 19)
    assert np.array_equal(a, b) and a.min() >= 0 and a.max() <= 1
    # every dimension's tenths hold about a tenth of the points
    counts = np.stack([np.histogram(a[:, j], bins=10, range=(0, 1))[0] for j in range(19)])
    assert counts.min() >= 6 and counts.max() <= 14


@pytest.mark.parametrize("args, key", [
    (["method=grid"], "method"), (["method=posterior", "check=maybe"], "check"),
    (["method=posterior", "design=3"], "design"), (["method=posterior", "steps=x"], "steps"),
    (["method=posterior", "max_evals=10"], "max_evals"), (["design=64"], "design"),
    (["method=posterior", "seeds=1"], "seeds"), (["method=posterior", "ensemble=0"], "ensemble"),
    (["method=posterior", "design_file=/nonexistent/design.csv"], "design_file"),
])
def test_bad_posterior_settings_stop_with_one_line(args, key, tmp_path, capsys):
    from experiments.calibrate import main

    with pytest.raises(SystemExit) as stop:
        main([*args, f"ensemble_out={tmp_path / 'e.yaml'}", f"out={tmp_path / 'rep'}"])
    assert stop.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and key in lines[0] and "expected" in lines[0], lines
    assert not (tmp_path / "e.yaml").exists() and not (tmp_path / "rep").exists()


def test_a_design_file_of_other_targets_is_refused(tmp_path, capsys):
    from experiments.calibrate import main

    bad = tmp_path / "design.csv"
    bad.write_text("wave,point,seed,x\n1,0,1,0.5\n")
    with pytest.raises(SystemExit) as stop:
        main(["method=posterior", f"design_file={bad}", f"ensemble_out={tmp_path / 'e.yaml'}",
              f"out={tmp_path / 'rep'}"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 2 and len(lines) == 1 and "missing columns" in lines[0], lines
    assert not (tmp_path / "e.yaml").exists() and not (tmp_path / "rep").exists()


@pytest.mark.slow
def test_posterior_intervals_cover_known_values(tmp_path):
    """The simulated-data check on the model (a small design at 2,000 persons): known parameter
    values lie inside the 90% posterior intervals about 90% of the time. With n synthetic
    datasets the overall share has a binomial standard error of at most sqrt(0.09 / n) if the
    19 parameters of a dataset counted as one observation (they are correlated): three of those
    either side.

    Measured (3 December 2026, this design, seeds of its own at every point): 0.83 of 380 (0.79
    with the same seeds at every point). Below the aim of 0.9 but inside this test's band;
    docs/ODD.md section 12.1 says what was corrected and what is left."""
    import pandas as pd
    import yaml

    n = 20
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.calibrate", "method=posterior", "population.size=2000",
         "design=64", "refine=96", "steps=20000", "check=coverage", f"coverage_sets={n}",
         "check_draws=3", "ensemble=5", "workers=2", f"ensemble_out={tmp_path / 'e.yaml'}",
         f"out={tmp_path / 'rep'}"], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = pd.read_csv(tmp_path / "rep" / "coverage_summary.csv")
    overall = float(summary["coverage"].iloc[-1])
    se = np.sqrt(0.09 / n)
    assert 0.9 - 3 * se <= overall <= 0.9 + 3 * se, summary
    ens = yaml.safe_load((tmp_path / "e.yaml").read_text())
    assert len(ens["sets"]) == 5
    for f in ("report.md", "crossval.csv", "posterior.csv", "design.csv", "fit.csv"):
        assert (tmp_path / "rep" / f).is_file(), f
    cv = pd.read_csv(tmp_path / "rep" / "crossval.csv")
    assert {"all cohorts", "2014 only", "after 2014 only"} <= set(cv["fold"])
    assert not cv.loc[cv["check_only"], "fitted"].any()  # the check targets are never fitted
