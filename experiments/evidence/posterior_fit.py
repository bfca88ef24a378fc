"""The posterior calibration's steps in order (``python -m experiments.calibrate method=posterior``):
the design in two waves, the emulator, the posterior and its ensemble, the model at the
posterior's draws, the cross-validation across cohorts and the simulated-data check. The method
and its statistics are :mod:`experiments.evidence.posterior`; this module runs the model and
makes the tables of the fit report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from experiments.evidence import posterior as P


@dataclass
class Design:
    """Positions ``U`` (points x d), the wave of each point, and the model's values ``Y``
    (points x seeds x targets) at the run size."""

    U: np.ndarray
    wave: np.ndarray
    Y: np.ndarray
    seeds: np.ndarray  #: (points, seeds per point)


#: how ``calibration_info.method`` of a posterior's ensemble begins (the comparison's report reads it)
METHOD_PREFIX = "posterior:"


def _keys() -> tuple[str, ...]:
    """Every parameter declared ``calibrate=True``: the point fit's (its stages' order), then the
    ones it leaves at their declared default (``params.work.work_first_relief``, fitted alone to
    the later cohorts with the others at the point fit; the posterior fits it with the others)."""
    from experiments.evidence.calibration import STAGES
    from model.config import all_params

    staged = [n for _, ns, _ in STAGES for n in ns]
    return tuple(dict.fromkeys(staged + [f"{g}.{p.name}" for g, p in all_params() if p.calibrate]))


def _mean(Y: np.ndarray) -> np.ndarray:
    """The seeds' mean; a target with no value (NaN) at a point gets the target's mean."""
    m = np.nanmean(Y, axis=1)
    col = np.nanmean(m, axis=0)
    return np.where(np.isfinite(m), m, np.nan_to_num(col))


class Fit:
    """Everything the posterior calibration computes for one targets file and settings."""

    def __init__(self, targets, configs: dict, settings: dict, log=print) -> None:
        self.targets, self.configs, self.settings, self.log = targets, configs, settings, log
        self.space = P.Space.declared(_keys())
        self.data = np.array([t.value for t in targets])
        self.check = np.array([t.id in P.CHECK_ONLY for t in targets])
        self.run_size = int(next(iter(configs.values())).population.size)
        self.times: dict[str, float] = {}
        self.n_seeds = settings["seeds"]

    # -- design -----------------------------------------------------------------------------
    def _timed(self, name, t0):
        self.times[name] = round(time.time() - t0, 1)

    def wave1_posterior(self, U1, Y1) -> P.Posterior:
        emu = P.Emulator.fit(U1, _mean(Y1))
        var = P.data_var(self.targets) + P.chance_var(Y1, self.targets, self.run_size) + emu.cv_mse
        return P.Posterior(emu, self.data, P.TEMPER * var, ~self.check)

    def wave1_chains(self, U1, Y1) -> P.Chains:
        s = self.settings
        return P.sample(self.wave1_posterior(U1, Y1), U1, s["chains"], P.WAVE1_STEPS,
                        P.DESIGN_SEED + 1)

    def design(self, previous: Design | None = None) -> Design:
        s, d = self.settings, len(self.space.keys)
        if previous is not None:
            self.log(f"design: {len(previous.U)} points read")
            return previous
        t0 = time.time()
        U1 = P.sobol(s["design"], d)
        S1 = P.point_seeds(0, len(U1), self.n_seeds)
        self.log(f"design wave 1: {len(U1)} points x {self.n_seeds} seeds")
        Y1 = P.run_points(self.targets, self.configs, self.space.values(U1), S1,
                          s["workers"], self.log)
        self._timed("design wave 1 (s)", t0)
        t0 = time.time()
        chains = self.wave1_chains(U1, Y1)
        pooled = P.expit(chains.pooled())
        U2 = P.thin_evenly(pooled, s["refine"])
        fitted = fitted_values(self.space.keys)
        U2 = np.vstack([U2, self.space.positions([fitted])])
        self.log(f"design wave 2: {len(U2)} points from the region wave 1 leaves plausible")
        S2 = P.point_seeds(len(U1), len(U2), self.n_seeds)
        Y2 = P.run_points(self.targets, self.configs, self.space.values(U2), S2,
                          s["workers"], self.log)
        self._timed("design wave 2 (s)", t0)
        return Design(np.vstack([U1, U2]), np.r_[np.ones(len(U1), int), 2 * np.ones(len(U2), int)],
                      np.concatenate([Y1, Y2]), np.vstack([S1, S2]))

    # -- emulator and posterior -------------------------------------------------------------
    def build(self, design: Design) -> None:
        self.d = design
        w2 = design.wave == 2
        t0 = time.time()
        self.emulator = P.GPEmulator.fit(design.U, _mean(design.Y), check=w2,
                                         workers=self.settings["workers"])
        chance_run = P.seed_var(design.Y[w2])
        n = design.Y.shape[1]
        self.emu_var = np.maximum(self.emulator.cv_mse - chance_run / n, 0.1 * self.emulator.cv_mse)
        self.emu_corr, self.emu_shrink = P.shrunk_corr(self.emulator.resid[w2])
        self.chance, self.chance_corr, self.chance_shrink = self.real_chance(design.U[w2])
        self.datavar = P.data_var(self.targets)
        self.cov = (np.diag(self.datavar) + P.correlated(np.sqrt(self.chance), self.chance_corr)
                    + P.correlated(np.sqrt(self.emu_var), self.emu_corr))
        self.var = np.diag(self.cov).copy()  # datavar + chance + emu_var
        self._timed("emulator (s)", t0)

    def real_chance(self, U2: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Part (b) of the variance, measured: runs at the real cohorts' sizes at
        :data:`~experiments.evidence.posterior.CHANCE_POINTS` points of the wave-2 region, on
        :data:`~experiments.evidence.posterior.CHANCE_SEEDS` seeds each; the pooled variance
        between seeds, the shrunk correlation of the seeds' deviations between targets, and
        its shrinkage weight. (Scaling the design's variance by run size over cohort size undercounts
        what does not shrink with the cohort: the housing queue's months move together, sd
        about 4 pp at both 2,000 and 20,000 persons.)"""
        t0 = time.time()
        pts = P.thin_evenly(U2, min(P.CHANCE_POINTS, len(U2)))
        seeds = [P.CHANCE_SEED0 + i for i in range(P.CHANCE_SEEDS)]
        self.log(f"chance at the real cohort size: {len(pts)} points x {len(seeds)} seeds")
        Y = P.run_points(self.targets, _real_configs(self.configs), self.space.values(pts), seeds,
                         self.settings["workers"], self.log)
        self._timed("chance at the real size (s)", t0)
        R, w = P.shrunk_corr((Y - np.nanmean(Y, axis=1, keepdims=True)).reshape(-1, Y.shape[2]))
        return P.seed_var(Y), R, w

    def posterior(self, use: np.ndarray, data: np.ndarray | None = None, seed: int = 0,
                  steps: int | None = None) -> P.Chains:
        post = P.Posterior(self.emulator, self.data if data is None else data, self.var, use,
                           self.cov)
        s = self.settings
        return P.sample(post, self.d.U, s["chains"], steps or s["steps"], P.DESIGN_SEED + 2 + seed)

    def fit_main(self) -> None:
        t0 = time.time()
        self.chains = self.posterior(~self.check)
        self.u_draws = P.expit(self.chains.pooled())
        self.ensemble_u = P.thin_evenly(self.u_draws, self.settings["ensemble"])
        self._timed("posterior sampling (s)", t0)

    # -- tables -----------------------------------------------------------------------------
    def parameter_table(self) -> pd.DataFrame:
        u = self.u_draws
        lo, hi = P.interval(u)
        med = np.median(u, axis=0)
        sp = self.space
        x = lambda v: sp.lows + v * (sp.highs - sp.lows)  # noqa: E731
        fitted = sp.positions([fitted_values(sp.keys)])[0]
        sd_ratio = u.std(0) / P.PRIOR_SD
        return pd.DataFrame({
            "parameter": sp.keys, "low": sp.lows, "high": sp.highs,
            "median": x(med).round(6), "p5": x(lo).round(6), "p95": x(hi).round(6),
            "interval_share_of_range": (hi - lo).round(3), "sd_ratio": sd_ratio.round(3),
            "informed": sd_ratio < P.INFORMED, "point_fit": x(fitted).round(6),
            "point_fit_in_interval": (fitted >= lo) & (fitted <= hi),
            "rhat": self.chains.rhat.round(3),
            "median_within_2pct_of_bound": (med < 0.02) | (med > 0.98)})

    def emulator_table(self) -> pd.DataFrame:
        return pd.DataFrame({
            "target": [t.id for t in self.targets], "emulator": self.emulator.kind(),
            "emulator_sd_pp": np.sqrt(self.emu_var).round(3),
            "chance_sd_pp": np.sqrt(self.chance).round(3),
            "data_sd_pp": np.sqrt(self.datavar).round(3),
            "total_sd_pp": np.sqrt(self.var).round(3),
            "check_only": self.check})

    def runs_at(self, u: np.ndarray, seed0: int) -> dict:
        """Fresh model runs at positions ``u`` (one seed each: seed0, seed0+1, ...), per cohort."""
        from experiments.evidence.target_values import age_edges, run_cohort

        out = {}
        for c, base in self.configs.items():
            edges = age_edges(t for t in self.targets if t.cohort == c)
            out[c] = [run_cohort(replace(base.with_values(p), seed=seed0 + i), age_edges=edges)
                      for i, p in enumerate(self.space.values(u))]
        return out

    def values(self, runs: dict) -> np.ndarray:
        """(runs, targets) values of runs made by :meth:`runs_at`."""
        from experiments.evidence.target_values import target_value

        n = len(next(iter(runs.values())))
        return np.array([[target_value(runs[t.cohort][i], t) for t in self.targets]
                         for i in range(n)])

    def target_table(self, vals: np.ndarray, fitted: np.ndarray) -> pd.DataFrame:
        from experiments.evidence.targets import DEFAULT_TOLERANCE_PP

        mean = np.nanmean(vals, 0)
        tol = np.array([t.tolerance if t.tolerance is not None else DEFAULT_TOLERANCE_PP
                        for t in self.targets])
        err = mean - self.data
        return pd.DataFrame({
            "target": [t.id for t in self.targets], "cohort": [t.cohort for t in self.targets],
            "quantity": [t.quantity for t in self.targets], "group": [t.group for t in self.targets],
            "month": [t.month for t in self.targets], "value_pct": self.data,
            "model_mean": mean.round(3), "model_p5": np.nanpercentile(vals, 5, 0).round(3),
            "model_p95": np.nanpercentile(vals, 95, 0).round(3), "error_pp": err.round(3),
            "tolerance_pp": tol, "within_tolerance": np.abs(err) <= tol + 1e-9,
            "fitted": fitted, "check_only": self.check})

    # -- cross-validation -------------------------------------------------------------------
    def folds(self) -> dict[str, np.ndarray]:
        cohorts = np.array([t.cohort for t in self.targets])
        first = cohorts.min()
        out = {"all cohorts": np.ones(len(cohorts), bool)}
        if (cohorts != first).any():
            out[f"{first} only"] = cohorts == first
            out[f"after {first} only"] = cohorts != first
        return out

    def cross_validate(self) -> pd.DataFrame:
        t0 = time.time()
        n = self.settings["check_draws"]
        tables = []
        for i, (name, fold) in enumerate(self.folds().items()):
            use = fold & ~self.check
            if name == "all cohorts":
                u = self.ensemble_u
            else:
                u = P.expit(self.posterior(use, seed=10 + i).pooled())
            runs = self.runs_at(P.thin_evenly(u, n), 5000 + 100 * i)
            if name == "all cohorts":
                self.draw_runs = runs
            tab = self.target_table(self.values(runs), use)
            tab.insert(0, "fold", name)
            tables.append(tab)
            self.log(f"fold {name}: fitted to {int(use.sum())} targets; "
                     f"{int(tab['within_tolerance'][~use].sum())}/{int((~use).sum())} "
                     f"unfitted within tolerance")
        self._timed("cross-validation and posterior runs (s)", t0)
        return pd.concat(tables, ignore_index=True)

    # -- simulated-data check ---------------------------------------------------------------
    def coverage(self) -> pd.DataFrame:
        """Method step 8: one row per synthetic dataset and parameter."""
        t0 = time.time()
        s = self.settings
        w1 = self.d.wave == 1
        pooled = P.expit(self.wave1_chains(self.d.U[w1], self.d.Y[w1]).pooled())
        # fresh draws of the wave-2 region: the midpoints between the design's picks
        idx = np.linspace(0, len(pooled) - 1, 2 * s["refine"] + 1).round().astype(int)[1::2]
        truths = P.thin_evenly(pooled[idx], s["coverage_sets"])
        rng = np.random.default_rng(P.DESIGN_SEED + 3)
        saved, self.configs = self.configs, _real_configs(self.configs)
        rows = []
        try:
            for j, u in enumerate(truths):
                runs = self.runs_at(u[None, :], 9000 + j)
                y = self.values(runs)[0] + rng.standard_normal(len(self.data)) * np.sqrt(self.datavar)
                y = np.where(np.isfinite(y), y, self.data)
                draws = P.expit(self.posterior(~self.check, data=y, seed=100 + j).pooled())
                lo, hi = P.interval(draws)
                for k, key in enumerate(self.space.keys):
                    rows.append({"dataset": j, "parameter": key, "true_position": round(u[k], 4),
                                 "p5": round(lo[k], 4), "p95": round(hi[k], 4),
                                 "covered": bool(lo[k] <= u[k] <= hi[k])})
                if (j + 1) % 10 == 0:
                    self.log(f"  coverage: {j + 1}/{len(truths)} synthetic datasets")
        finally:
            self.configs = saved
        self._timed("simulated-data check (s)", t0)
        return pd.DataFrame(rows)


def _real_configs(configs: dict) -> dict:
    """The cohorts' configs at the real cohorts' sizes (:func:`model.population.cohort_persons`)."""
    from model.population import cohort_persons

    return {c: cfg.with_values({"population.size": int(round(cohort_persons(c)))})
            for c, cfg in configs.items()}


def fitted_values(keys, declared=None) -> dict:
    """The shipped fitted set (``conf/calibration/fitted.yaml``) for ``keys``, declared defaults
    where it has none."""
    import yaml

    from model.config import ROOT

    if declared is None:
        from experiments.evidence.calibration import _declared

        declared = _declared()
    path = ROOT / "conf" / "calibration" / "fitted.yaml"
    tree = yaml.safe_load(path.read_text()) if path.is_file() else {}
    out = {}
    for k in keys:
        node = tree
        for part in k.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        out[k] = float(node) if isinstance(node, (int, float)) else float(declared[k].default)
    return out


def coverage_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Per parameter and overall: datasets, covered, share, and the binomial standard error of the
    share at the nominal 90%."""
    rows = []
    for name, g in [*cov.groupby("parameter", sort=False), ("overall", cov)]:
        n = len(g)
        rows.append({"parameter": name, "n": n, "covered": int(g["covered"].sum()),
                     "coverage": round(float(g["covered"].mean()), 3),
                     "binomial_se_at_90": round(float(np.sqrt(0.09 / n)), 3)})
    return pd.DataFrame(rows)


def design_frame(design: Design, space: P.Space, targets) -> pd.DataFrame:
    """The design as a table (one row per point and seed), to reuse with ``design_file=``."""
    rows = []
    x = space.values(design.U)
    for i in range(len(design.U)):
        for j, s in enumerate(design.seeds[i]):
            rows.append({"wave": int(design.wave[i]), "point": i, "seed": s, **x[i],
                         **{t.id: design.Y[i, j, k] for k, t in enumerate(targets)}})
    return pd.DataFrame(rows)


def read_design(df: pd.DataFrame, space: P.Space, targets) -> Design:
    """Inverse of :func:`design_frame`; ConfigError-free: the caller checks the columns."""
    pts = df.sort_values(["point", "seed"])
    first = pts.drop_duplicates("point")
    n = len(pts) // len(first)
    U = space.positions(first[list(space.keys)].to_dict("records"))
    Y = pts[[t.id for t in targets]].to_numpy(float).reshape(len(first), n, len(targets))
    return Design(U, first["wave"].to_numpy(int), Y,
                  pts["seed"].to_numpy(int).reshape(len(first), n))


def run(targets, configs: dict, settings: dict, previous: Design | None = None, log=print) -> Fit:
    """The whole posterior calibration (method steps 2-9 of :mod:`experiments.evidence.posterior`)."""
    fit = Fit(targets, configs, settings, log)
    design = fit.design(previous)
    fit.build(design)
    fit.fit_main()
    fit.params = fit.parameter_table()
    log("posterior: acceptance {:.2f}, largest R-hat {:.2f}; informed: {}".format(
        fit.chains.acceptance, float(np.nanmax(fit.chains.rhat)),
        ", ".join(k.rsplit(".", 1)[-1] for k in fit.params["parameter"][fit.params["informed"]])))
    fit.crossval = fit.cross_validate()
    fit.cov = fit.coverage() if settings["check"] == "coverage" else None
    return fit


def info(fit: Fit, settings: dict, targets_path: str) -> dict:
    """The ``calibration_info`` written with the posterior's ensemble."""
    import hashlib
    from pathlib import Path

    from experiments.runs.folders import provenance
    from model.config import ROOT

    p = Path(targets_path).resolve()
    out = {
        "date": time.strftime("%Y-%m-%d"),
        "targets": str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else targets_path,
        "targets_sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
        "method": (f"{METHOD_PREFIX} adaptive Metropolis on a Gaussian-process emulator of every target "
                   "(two-wave design, seeds of its own at every point), uniform priors on the "
                   "declared ranges; variance = rounding + (tolerance/2)^2 + chance at the real "
                   "cohort size + emulator error, the last two correlated between targets "
                   "(Ledoit-Wolf shrunk correlations)"),
        "correlation_shrinkage": {"chance": round(fit.chance_shrink, 3),
                                  "emulator": round(fit.emu_shrink, 3)},
        "design_points": int(len(fit.d.U)), "design_seeds_per_point": int(fit.d.seeds.shape[1]),
        "design_seeds_shared": bool((fit.d.seeds == fit.d.seeds[0]).all()),
        "population_size": fit.run_size, "chains": settings["chains"], "steps": settings["steps"],
        "check_only": list(P.CHECK_ONLY),
        "acceptance": round(fit.chains.acceptance, 3),
        "max_rhat": round(float(np.nanmax(fit.chains.rhat)), 3),
        "informed": [k for k, i in zip(fit.params["parameter"], fit.params["informed"]) if i],
        "times_s": fit.times, "code": provenance()["git_sha"],
    }
    if fit.cov is not None:
        s = coverage_summary(fit.cov)
        out["coverage_90"] = {"datasets": int(fit.cov["dataset"].nunique()),
                              "overall": float(s["coverage"].iloc[-1])}
    return out


def _yaml_sets(fit: Fit) -> list[dict]:
    from experiments.evidence.calibration import _yaml_values

    return [_yaml_values(p) for p in fit.space.values(fit.ensemble_u)]


def write_ensemble(path, fit: Fit, meta: dict) -> None:
    """The posterior's draws as the comparison's ensemble file (``conf/ensemble.yaml``)."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(
        "# Parameter sets drawn from the posterior of the calibrated parameters\n"
        "# (python -m experiments.calibrate method=posterior; the method is\n"
        "# experiments/evidence/posterior.py): evenly spaced over the sampler's chains.\n"
        + yaml.safe_dump({"calibration_info": meta, "sets": _yaml_sets(fit)}, sort_keys=False))
    tmp.replace(path)


def write_tables(folder, fit: Fit, meta: dict) -> None:
    """posterior.csv, emulator.csv, design.csv, fit.csv, crossval.csv, coverage*.csv and
    calibration.json in ``folder``."""
    import json

    from experiments.runs.folders import provenance

    fit.params.to_csv(folder / "posterior.csv", index=False)
    fit.emulator_table().to_csv(folder / "emulator.csv", index=False)
    design_frame(fit.d, fit.space, fit.targets).to_csv(folder / "design.csv", index=False)
    fit.crossval[fit.crossval["fold"] == "all cohorts"].drop(columns="fold").to_csv(
        folder / "fit.csv", index=False)
    fit.crossval.to_csv(folder / "crossval.csv", index=False)
    if fit.cov is not None:
        fit.cov.to_csv(folder / "coverage.csv", index=False)
        coverage_summary(fit.cov).to_csv(folder / "coverage_summary.csv", index=False)
    (folder / "calibration.json").write_text(json.dumps(
        {**meta, "posterior_median": dict(zip(fit.params["parameter"], fit.params["median"])),
         "provenance": provenance()}, indent=2, default=str))
