"""Fitting the parameters marked for calibration to a targets file, and sampling an ensemble
(the computing behind ``python -m experiments.calibrate``; its charts are
:mod:`experiments.presentation.calibration_charts`).

Method (a reviewer should be able to check every step):

1. **What is fitted.** The parameters declared with ``calibrate=True`` that the targets can
   inform (:data:`STAGES`), each within its declared plausible range: the optimiser works on
   ``logit((x - low) / (high - low))``, so it can never leave the range.
2. **Objective.** A Gaussian approximation to the likelihood of the published shares,
   ``sum_i ((model_i - data_i) / sigma_i)^2``, with ``sigma_i`` half the target's tolerance
   (``tolerance_pp``, default 2.5 pp; a quarter for the national employment series, the anchor): the published figures are rounded, partly secondary, and the
   model is not the process that made them, so a pure binomial likelihood of a cohort of 20,000
   (standard errors of a few tenths of a point) would claim a precision nobody has. The model's
   value is the mean over fixed seeds (common random numbers make the objective smooth in the
   parameters).
3. **Search.** Nelder-Mead (scipy), in stages that follow the model's structure: housing
   parameters on the housing targets, then language on the exam targets, then work on the
   employment targets (each stage keeps the earlier stages' results), then a joint polish of all
   parameters on all targets. Deterministic for given settings: the same command gives the same
   parameter set.
4. **Ensemble.** Parameter uncertainty: candidate sets are drawn around the best fit (normal in the
   transformed space, a fixed random stream) and accepted when their objective lies within the
   90% quantile of a chi-square with as many degrees of freedom as fitted parameters of the best
   (a likelihood-ratio region). The accepted sets are written as the ensemble that comparisons can
   run over.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import minimize
from scipy.stats import chi2

from experiments.evidence.targets import cohorts
from experiments.runs.folders import provenance
from model.config import ROOT, all_params

#: stages: (name, parameters, quantities of the targets the stage is fitted to)
STAGES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("housing", ("params.housing.capacity_rate", "params.housing.single_priority",
                 "population.procedure_spread"), ("own_home",)),
    ("language", ("params.language.gain_course", "params.language.course_start_2013",
                  "params.language.attempt_rate", "params.language.deadline_push",
                  "params.language.effort_exemption"), ("exam_passed", "exam_exempted")),
    ("work", ("params.work.base_rate", "params.work.attach_intercept", "params.work.language_effect",
              "params.work.language_speed_effect", "params.work.separation_rate",
              "params.work.integration_done_effect", "params.work.prior_stay_effect",
              "params.work.course_lock_in", "params.work.ability_effect",
              "params.work.inactivity_effect", "context.tightness_elasticity"), ("employed",)),
)


#: share of a parameter's range within which a fitted value counts as "at a bound"
NEAR_BOUND = 0.02

#: why a bound is a real limit, for the fitted values that may end there (the fit report shows the
#: reason beside every value within NEAR_BOUND of it; a value at a bound without a reason here is
#: a misfit to look into, not a finding)
BOUND_REASONS: dict[tuple[str, str], str] = {
    ("params.work.language_effect", "low"):
        "a real limit: Arendt et al. (2023) find that more language training raises employment "
        "lastingly, so Dutch must raise who can work, not only how fast; the employment series "
        "alone cannot tell the level from the speed and push this term towards zero",
    ("params.work.prior_stay_effect", "high"):
        "a real limit: 0.8 a year over the 4 years it counts multiplies job finding about 25-fold; "
        "what remains of the Afghans' early lead (CBS news 2018/16) lies in the origins' shares of "
        "long-stay households, an assumption (model/data/origin_profiles.csv), not in this effect",
    ("params.language.deadline_push", "low"):
        "a real limit: 1 is no push at all (below 1 the deadline would slow people down); the "
        "2014 exam figures leave no room for bunching at the fitted learning speed",
}


def near_bounds(best: dict[str, float], declared: dict | None = None) -> pd.DataFrame:
    """Every fitted value with its range, its distance to the nearer bound as a share of the
    range, whether that is within :data:`NEAR_BOUND`, and the reason when the bound is a real
    limit (:data:`BOUND_REASONS`)."""
    declared = declared or _declared()
    rows = []
    for k, v in best.items():
        p = declared[k]
        lo, hi = float(p.low), float(p.high)
        d_lo, d_hi = (v - lo) / (hi - lo), (hi - v) / (hi - lo)
        side = "low" if d_lo <= d_hi else "high"
        dist = min(d_lo, d_hi)
        near = dist < NEAR_BOUND
        rows.append({"parameter": k, "value": v, "low": lo, "high": hi,
                     "distance_share": round(dist, 4), "near_bound": side if near else "",
                     "reason": BOUND_REASONS.get((k, side), "") if near else ""})
    return pd.DataFrame(rows)


def _declared() -> dict:
    return {f"{g}.{p.name}": p for g, p in all_params()}


def to_unit(x: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
    """Map values inside their ranges to the whole real line (logit of the position)."""
    p = np.clip((x - lows) / (highs - lows), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def from_unit(z: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
    return lows + (highs - lows) / (1.0 + np.exp(-z))


class Objective:
    """The calibration objective on a fixed set of seeds and targets.

    Args:
        targets: parsed targets (:func:`experiments.evidence.targets.read_targets`).
        configs: cohort -> validated base config (population size, scenario, overrides).
        seeds: run seeds, the same for every evaluation.
    """

    def __init__(self, targets, configs: dict, seeds: list[int]) -> None:
        self.targets = targets
        self.configs = configs
        self.seeds = seeds
        self.calls = 0
        self.history: list[tuple[dict, float]] = []

    def values(self, params: dict[str, float]) -> pd.DataFrame:
        """Per target and seed: the model's value under ``params``."""
        from experiments.evidence.target_values import evaluate

        configs = {c: cfg.with_values(params) for c, cfg in self.configs.items()}
        return evaluate(self.targets, seeds=self.seeds, configs=configs)

    def table(self, params: dict[str, float]) -> pd.DataFrame:
        from experiments.evidence.target_values import summarise

        return summarise(self.targets, self.values(params))

    def __call__(self, params: dict[str, float], quantities: tuple[str, ...] | None = None) -> float:
        tab = self.table(params)
        if quantities:
            tab = tab[tab["quantity"].isin(quantities)]
        sigma = tab["tolerance_pp"].to_numpy() / 2.0
        # the national employment series is the calibration anchor (the client's headline, and
        # the best measured): half the sigma, so each of its rows weighs four times as much
        anchor = ((tab["quantity"] == "employed") & (tab["group"] == "all")).to_numpy()
        sigma = np.where(anchor, sigma / 2.0, sigma)
        err = tab["error_pp"].to_numpy()
        value = float(np.sum((err / sigma) ** 2))
        self.calls += 1
        self.history.append((dict(params), value))
        return value


def fit(objective: Objective, start: dict[str, float], max_evals: int, polish_evals: int,
        log=print) -> dict[str, float]:
    """Staged Nelder-Mead within the declared ranges; returns the best parameter values."""
    declared = _declared()
    current = dict(start)
    stages = list(STAGES)
    if polish_evals > 0:
        names = tuple(dict.fromkeys(n for _, ns, _ in STAGES for n in ns))
        qs = tuple(dict.fromkeys(q for _, _, qq in STAGES for q in qq))
        stages.append(("joint polish", names, qs))
    for name, keys, quantities in stages:
        lows = np.array([declared[k].low for k in keys], float)
        highs = np.array([declared[k].high for k in keys], float)
        x0 = to_unit(np.array([current[k] for k in keys], float), lows, highs)

        def f(z, keys=keys, lows=lows, highs=highs, quantities=quantities):
            trial = dict(current)
            trial.update(zip(keys, from_unit(z, lows, highs).tolist()))
            return objective(trial, quantities)

        evals = polish_evals if name == "joint polish" else max_evals
        before = f(x0)
        res = minimize(f, x0, method="Nelder-Mead",
                       options={"maxfev": evals, "xatol": 1e-3, "fatol": 1e-3,
                                "initial_simplex": x0 + np.vstack([np.zeros(len(keys)),
                                                                   0.5 * np.eye(len(keys))])})
        if res.fun <= before:
            current.update(zip(keys, from_unit(res.x, lows, highs).tolist()))
        log(f"stage {name}: objective {before:.1f} -> {min(res.fun, before):.1f} "
            f"({res.nfev} evaluations)")
    return current


def sample_ensemble(objective: Objective, best: dict[str, float], n_accept: int,
                    n_candidates: int, log=print) -> tuple[list[dict], float, float]:
    """Accept parameter sets whose objective is within the chi-square 90% region of the best."""
    declared = _declared()
    keys = list(best)
    lows = np.array([declared[k].low for k in keys], float)
    highs = np.array([declared[k].high for k in keys], float)
    z0 = to_unit(np.array([best[k] for k in keys], float), lows, highs)
    f_best = objective(best)
    threshold = f_best + float(chi2.ppf(0.9, len(keys)))
    rng = np.random.default_rng(20141)  # fixed: the ensemble is reproducible
    accepted = [dict(best)]
    scale = 0.3
    tried = 0
    while len(accepted) < n_accept and tried < n_candidates:
        tried += 1
        z = z0 + scale * rng.standard_normal(len(keys))
        cand = dict(zip(keys, from_unit(z, lows, highs).tolist()))
        value = objective(cand)
        if value <= threshold:
            accepted.append(cand)
        # keep about a third of candidates accepted
        rate = (len(accepted) - 1) / tried
        scale *= 1.1 if rate > 0.35 else 0.9
    log(f"ensemble: {len(accepted)} sets accepted of {tried} candidates "
        f"(objective <= {threshold:.1f}; best {f_best:.1f})")
    return accepted, f_best, threshold


def fit_runs(objective: Objective, best: dict, ensemble: list[dict], cohort: int) -> list:
    """Runs of ``cohort`` for the fit charts: the best fit on each seed, and one run of every other
    accepted parameter set (their spread is parameter uncertainty and chance together)."""
    from dataclasses import replace

    from experiments.evidence.target_values import age_edges, run_cohort

    base = objective.configs[cohort]
    edges = age_edges(t for t in objective.targets if t.cohort == cohort)
    runs = [run_cohort(replace(base.with_values(best), seed=s), age_edges=edges)
            for s in objective.seeds]
    runs += [run_cohort(replace(base.with_values(p), seed=100 + i), age_edges=edges)
             for i, p in enumerate(ensemble[1:])]
    return runs


def rmse_by_outcome(table: pd.DataFrame) -> dict:
    out = {}
    for q, g in table.groupby("quantity"):
        out[q] = round(float(np.sqrt(np.mean(g["error_pp"] ** 2))), 3)
    return out



def _yaml_values(params: dict[str, float]) -> dict:
    tree: dict = {}
    for key, value in sorted(params.items()):
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = float(round(value, 6))
    return tree


def write_fitted(path: Path, params: dict, info: dict) -> None:
    body = {"calibration_info": info, **_yaml_values(params)}
    header = ("# @package _global_\n""# Parameter set fitted by `python -m experiments.calibrate` (do not edit by hand;\n"
              "# rerun the calibration). Used by conf/config.yaml for every run unless\n"
              "# `calibration=none` is given. What was fitted, to what and how well is in\n"
              "# calibration_info; the method is in experiments/evidence/calibration.py and docs/ODD.md.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(header + yaml.safe_dump(body, sort_keys=False))
    tmp.replace(path)



@dataclass
class Fitted:
    """A calibration's result: the best parameter set, its table, the ensemble and the summary
    (``calibration_info``) written with them."""

    objective: Objective
    best: dict[str, float]
    table: pd.DataFrame
    ensemble: list[dict]
    f_best: float
    threshold: float
    info: dict


def calibrate(targets, configs: dict, settings: dict, log=print) -> Fitted:
    """Fit the parameters of :data:`STAGES` to ``targets`` (staged Nelder-Mead from their declared
    defaults) and sample the ensemble, on seeds ``1 .. settings["seeds"]``."""
    seeds = list(range(1, settings["seeds"] + 1))
    objective = Objective(targets, configs, seeds)
    declared = _declared()
    keys = list(dict.fromkeys(n for _, ns, _ in STAGES for n in ns))
    start = {k: float(declared[k].default) for k in keys}
    log(f"calibrating {len(keys)} parameters to {len(targets)} targets "
        f"({settings['targets']}), seeds {seeds}")
    best = fit(objective, start, settings["max_evals"], settings["polish_evals"], log=log)
    table = objective.table(best)
    ensemble, f_best, threshold = sample_ensemble(objective, best, settings["ensemble"],
                                                  settings["ensemble_candidates"], log=log)
    digest = hashlib.sha256(Path(settings["targets"]).read_bytes()).hexdigest()
    code = provenance()  # git SHA and whether the tree had uncommitted changes (one git call)
    info = {
        "date": time.strftime("%Y-%m-%d"),
        "targets": str(Path(settings["targets"]).resolve().relative_to(ROOT))
        if Path(settings["targets"]).resolve().is_relative_to(ROOT) else settings["targets"],
        "targets_sha256": digest,
        "cohorts": cohorts(targets),
        "method": ("staged Nelder-Mead within declared ranges on sum((model - data) / sigma)^2, "
                   "sigma = tolerance / 2 (national employment series: tolerance / 4)"),
        "seeds": seeds, "population_size": int(next(iter(configs.values())).population.size),
        "evaluations": objective.calls, "objective": round(f_best, 3),
        "rmse_pp": rmse_by_outcome(table),
        "max_abs_error_pp": round(float(table["error_pp"].abs().max()), 3),
        "near_bounds": {r.parameter: (r.reason or "no reason: a misfit to look into")
                        for r in near_bounds(best, declared).itertuples() if r.near_bound},
        "code": code["git_sha"],
        "code_uncommitted_changes": code["uncommitted_changes"],
    }
    return Fitted(objective, best, table, ensemble, f_best, threshold, info)


def write_ensemble(path: Path, fitted: Fitted) -> None:
    """The accepted parameter sets (``conf/ensemble.yaml``), with the calibration's summary."""
    n_keys = len(fitted.best)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Parameter sets that fit the targets about as well as the best (experiments.calibrate):\n"
        f"# objective within chi-square(0.9, {n_keys}) of the best ({fitted.f_best:.2f} -> "
        f"{fitted.threshold:.2f}).\n" + yaml.safe_dump({"calibration_info": fitted.info, "sets": [
            _yaml_values(p) for p in fitted.ensemble]}, sort_keys=False))


def write_tables(folder: Path, fitted: Fitted) -> None:
    """The fit report's tables: fit.csv, rmse.csv, history.csv, bounds.csv and calibration.json."""
    info, objective = fitted.info, fitted.objective
    fitted.table.to_csv(folder / "fit.csv", index=False)
    near_bounds(fitted.best).to_csv(folder / "bounds.csv", index=False)
    pd.DataFrame([{"quantity": q, "rmse_pp": v} for q, v in info["rmse_pp"].items()]).to_csv(
        folder / "rmse.csv", index=False)
    pd.DataFrame([{**p, "objective": v} for p, v in objective.history]).to_csv(
        folder / "history.csv", index=False)
    (folder / "calibration.json").write_text(json.dumps({**info, "fitted": fitted.best,
                                                         "provenance": provenance()}, indent=2))


def runs_by_cohort(fitted: Fitted) -> dict:
    """Every cohort's runs for the fit charts (:func:`fit_runs`)."""
    objective = fitted.objective
    return {c: fit_runs(objective, fitted.best, fitted.ensemble, c)
            for c in sorted({t.cohort for t in objective.targets})}
