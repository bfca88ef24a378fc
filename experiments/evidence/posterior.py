"""A posterior for the calibrated parameters: MCMC on an emulator of the model's target values
(``python -m experiments.calibrate method=posterior``; the older point fit is
:mod:`experiments.evidence.calibration`, whose :data:`~experiments.evidence.calibration.STAGES`
name the parameters).

Method, step by step (every number below is a setting of the command or a constant here):

1. **Parameters and prior.** The parameters of ``STAGES`` (19), each uniform on its declared
   plausible range (``model/parameters.py``, ``Param.low``/``high``). All are sampled; those the
   targets do not inform come back with a posterior as wide as the prior, and the report says
   which (``posterior.csv``: ``sd_ratio``, the posterior's standard deviation over the prior's;
   below 0.7 counts as informed). Positions in the range are ``u = (x - low) / (high - low)``;
   the sampler moves in ``z = logit(u)``, so it can never leave a range, and the uniform prior
   becomes ``log u + log(1 - u)`` (the Jacobian) in ``z``.
2. **Design, wave 1.** ``design`` points of a scrambled Sobol sequence (seed
   :data:`DESIGN_SEED`) over the whole prior, each run for every cohort of the targets file on
   ``seeds`` seeds of its own (:func:`point_seeds`: no two points share a seed). The run size is
   ``population.size`` (10,000 unless given). Not common random numbers: with the same seeds at
   every point, the seeds' chance deviation is largely shared by all points (the 2014 cohort's
   employment at 60 months: seed 1 minus seed 2 is -1.4 pp on average over 161 points, with a
   standard error of 0.1 if the points' deviations were independent), so the emulator learns
   the model on those seeds, offset from its expectation, and its held-out error cannot show
   the offset. With a seed of its own at every point the chance is noise the emulator averages
   out, and the held-out error less the chance of a mean of ``seeds`` runs is its own error.
3. **Design, wave 2 (history matching).** A first emulator (the quadratic of step 4) on wave 1
   and a tempered
   posterior (every variance of step 5 times :data:`TEMPER`, so about three standard deviations
   of implausibility are allowed) give the region that is not implausible; ``refine`` points are
   drawn from it by the sampler of step 6 (:data:`WAVE1_STEPS` steps) and run as in step 2. The
   region's draws are thinned evenly along the chains; the shipped fitted set is added as one
   more point. (With the shipped targets the quadratic's errors are large, above all for
   housing, so the region is nearly the whole prior: wave 2 adds points more than it narrows.)
4. **Emulator.** For every target, a Gaussian process (:class:`GPEmulator`: scikit-learn,
   constant times a squared-exponential kernel with one length per parameter plus white noise,
   hyperparameters by maximum marginal likelihood) fitted to the seeds' mean at all design
   points, in the positions ``u``. Its own error is measured on held-out points: the closed-form
   leave-one-out residuals at the wave-2 points (the region the posterior lives in), less the
   part that is the seeds' chance variation of a mean of ``seeds`` runs (floored at a tenth of
   it). A quadratic polynomial in ``2u - 1`` (1 + 19 + 190 terms) by ridge regression, its
   penalty chosen by five-fold cross-validation among :data:`ALPHAS`, is fitted too; a target
   whose quadratic has the smaller held-out error keeps the quadratic (the report says which).
5. **Likelihood.** Normal errors, ``data ~ N(emulator(x), V)``, with the variance ``v_i`` of
   target i the sum of

   a. the published figure's own error: rounding (a figure given to whole percents is uniform
      within +-0.5 pp: variance 1/12; to one decimal: 0.01/12) and the discrepancy the targets
      file allows, ``(tolerance / 2)^2`` (``(tolerance / 4)^2`` for the national employment
      series, the anchor, as in the point fit): the model is not the process that made the
      figures, and the secondary figures are press reports of them;
   b. the model's chance variation at the size of the real cohort, measured: the variance
      between :data:`CHANCE_SEEDS` seeds of runs at the real cohorts' sizes
      (:func:`model.population.cohort_persons`), pooled over :data:`CHANCE_POINTS` points of
      wave 2. It is not the design's variance scaled by ``run size / real cohort size``: some of
      it does not shrink with the cohort (the housing queue's months move together: about 4 pp
      at 2,000 and at 20,000 persons). The published shares are counts of a whole cohort, not a
      sample: their binomial sampling error is this same chance variation of a finite cohort,
      so it is counted once, here;
   c. the emulator's error (step 4).

   Targets measured on the same persons at several months are correlated, and so are the
   emulator's errors of neighbouring targets: parts (b) and (c) carry correlations, each the
   correlation matrix of its own deviations shrunk towards the identity by the Ledoit-Wolf
   weight (:func:`shrunk_corr`): for (b) the seeds' deviations from their point's mean in the
   runs at the real size, for (c) the emulator's held-out residuals at the wave-2 points. Part
   (a) stays independent. The likelihood is the multivariate normal with that covariance
   (``Posterior.cov``). The simulated-data check (step 8) measures whether the intervals hold.
6. **Sampler.** Adaptive Metropolis (Haario et al. 2001) with ``chains`` chains in step: a normal
   proposal in ``z`` with covariance ``2.38^2 / d`` times the chains' pooled covariance (plus
   1e-6 on the diagonal), its scale tuned towards an acceptance of 0.234, both adapted only in
   the first half of ``steps`` (burn-in, discarded); the second half is a Metropolis chain with
   a fixed proposal. Chains start at the best design points. Deterministic for the settings:
   every random number comes from ``numpy.random.default_rng`` with fixed seeds. The report gives
   the Gelman-Rubin R-hat of every parameter.
7. **Outputs.** ``ensemble`` draws, evenly spaced over the pooled post-burn-in chains, are the
   ensemble (``conf/ensemble.yaml``, the format the comparison reads); the posterior median and
   90% interval of every parameter are in ``posterior.csv``. The posterior median is not
   written as the fitted set: the fitted set stays the point fit, which matches the national
   employment series more closely than the posterior's draws do (docs/ODD.md, section 12.1).
8. **Simulated-data check** (``check=coverage``): ``coverage_sets`` parameter sets drawn from
   the wave-2 region (fresh draws, not design points), one fresh model run each at the size of
   the real cohort, plus noise of part (a) (rounding and discrepancy); each synthetic dataset is
   fitted with steps 5-6 on the same emulator, and the share of known values inside the 90%
   posterior intervals is counted, per parameter and overall. This is simulation-based
   calibration with the known values drawn from the plausible region rather than from the
   prior: for a parameter the data inform the prior hardly matters, and for one they do not
   inform the region is about as wide as the prior, so the count approximates the exact check
   while keeping the known values where the emulator was built. The emulator is the same one
   (built from the design, which never saw the known values' runs).
9. **Cross-validation across cohorts**: the sampler is run on the targets of some cohorts only
   (``2014``; the later cohorts), and fresh model runs at the fold's posterior draws give every
   target's value; the fit report marks which targets each fold was fitted to. The targets in
   :data:`CHECK_ONLY` are never fitted.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.stats import qmc

#: targets never fitted by any fold: the check nobody tuned the model to (interpolations between
#: fitted months by origin, and a figure by origin at the last month published)
CHECK_ONLY = ("emp_2014_syria_24", "emp_2014_eritrea_24", "emp_2014_iran_30",
              "edu_2014_18_23_60", "edu_2014_24_64_60")
#: seed of the Sobol design and of the sampler's streams (fixed: the same command gives the same
#: posterior)
DESIGN_SEED = 20140
#: variance factor of the tempered likelihood that draws wave 2 (3^2: three standard deviations)
TEMPER = 9.0
#: steps of the wave-1 sampler (cheap: the quadratic emulator)
WAVE1_STEPS = 20_000
#: points of the wave-2 region, seeds at each and the first seed of the runs at the real cohort
#: sizes that measure the model's chance variation (method step 5b): 12 x (4 - 1) = 36 degrees of
#: freedom, a standard deviation known to about 12%
CHANCE_POINTS, CHANCE_SEEDS, CHANCE_SEED0 = 12, 4, 7001
#: ridge penalties tried by cross-validation
ALPHAS = (1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
#: below this posterior-to-prior standard deviation ratio a parameter counts as informed
INFORMED = 0.7
PRIOR_SD = 1.0 / np.sqrt(12.0)  #: standard deviation of a uniform position u


# ---- the parameter space ---------------------------------------------------------------------

@dataclass(frozen=True)
class Space:
    """The calibrated parameters and their declared ranges."""

    keys: tuple[str, ...]
    lows: np.ndarray
    highs: np.ndarray

    @classmethod
    def declared(cls, keys) -> "Space":
        from experiments.evidence.calibration import _declared

        d = _declared()
        return cls(tuple(keys), np.array([d[k].low for k in keys], float),
                   np.array([d[k].high for k in keys], float))

    def values(self, u: np.ndarray) -> list[dict]:
        """Positions (n x d, in [0, 1]) -> parameter sets."""
        x = self.lows + np.atleast_2d(u) * (self.highs - self.lows)
        return [dict(zip(self.keys, (float(v) for v in row))) for row in x]

    def positions(self, sets: list[dict]) -> np.ndarray:
        x = np.array([[s[k] for k in self.keys] for s in sets], float)
        return np.clip((x - self.lows) / (self.highs - self.lows), 0.0, 1.0)


def sobol(n: int, d: int, seed: int = DESIGN_SEED) -> np.ndarray:
    """``n`` points of a scrambled Sobol sequence in [0, 1]^d (the first n of the sequence)."""
    m = int(np.ceil(np.log2(max(n, 2))))
    return qmc.Sobol(d, scramble=True, seed=seed).random_base2(m)[:n]


def logit(u):
    u = np.clip(u, 1e-9, 1 - 1e-9)
    return np.log(u / (1 - u))


def expit(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---- running the design ----------------------------------------------------------------------

#: what the workers of :func:`run_points` run (set before they are forked: the composed
#: configurations cannot be pickled, and a forked worker inherits them)
_SHARED: dict = {}


def _run_point(args):
    params, seed = args
    from experiments.evidence.target_values import evaluate

    targets, configs = _SHARED["targets"], _SHARED["configs"]
    cfgs = {c: cfg.with_values(params) for c, cfg in configs.items()}
    df = evaluate(targets, seeds=[seed], configs=cfgs)
    # evaluate runs cohort by cohort: its rows follow the cohorts, not the targets' order
    return df.set_index("target").loc[[t.id for t in targets], "model_value"].to_numpy(float)


def point_seeds(first: int, points: int, n: int) -> np.ndarray:
    """Seeds of design points ``first .. first + points - 1``, ``n`` each, no two points sharing
    one: point i runs on ``1 + n i .. n i + n`` (method step 2)."""
    return 1 + n * np.arange(first, first + points)[:, None] + np.arange(n)[None, :]


def run_points(targets, configs: dict, sets: list[dict], seeds, workers: int = 1,
               log=print) -> np.ndarray:
    """The model's value of every target at every parameter set and seed: (sets, seeds, targets),
    in the order of ``targets``. ``seeds`` is one list for every set (common random numbers) or
    one row per set. With ``workers`` > 1 the runs go to forked processes."""
    import multiprocessing

    seeds = np.asarray(seeds, int)
    if seeds.ndim == 1:
        seeds = np.tile(seeds, (len(sets), 1))
    _SHARED.update(targets=targets, configs=configs)
    jobs = [(p, int(s)) for p, row in zip(sets, seeds) for s in row]
    out = []
    try:
        if workers > 1:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as ex:
                for i, v in enumerate(ex.map(_run_point, jobs, chunksize=2)):
                    out.append(v)
                    if (i + 1) % 100 == 0:
                        log(f"  {i + 1}/{len(jobs)} runs")
        else:
            for i, j in enumerate(jobs):
                out.append(_run_point(j))
                if (i + 1) % 100 == 0:
                    log(f"  {i + 1}/{len(jobs)} runs")
    finally:
        _SHARED.clear()
    return np.array(out).reshape(len(sets), seeds.shape[1], len(targets))


# ---- the emulator ----------------------------------------------------------------------------

def features(u: np.ndarray) -> np.ndarray:
    """1, x and the products x_i x_j (i <= j) of x = 2u - 1."""
    x = 2.0 * np.atleast_2d(u) - 1.0
    i, j = np.triu_indices(x.shape[1])
    return np.hstack([np.ones((len(x), 1)), x, x[:, i] * x[:, j]])


def _ridge(F, Y, alpha):
    # the intercept is not penalised: centre first
    fm, ym = F[:, 1:].mean(0), Y.mean(0)
    Fc, Yc = F[:, 1:] - fm, Y - ym
    A = Fc.T @ Fc + alpha * len(F) * np.eye(Fc.shape[1])
    B = np.linalg.solve(A, Fc.T @ Yc)
    return np.vstack([ym - fm @ B, B])


def _folds(n: int, k: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n) % k


@dataclass
class Emulator:
    """Quadratic ridge regression per target (columns of ``Y``), from positions ``U``."""

    coef: np.ndarray  #: (features, targets)
    alpha: np.ndarray  #: chosen penalty per target
    cv_mse: np.ndarray  #: held-out mean squared error per target (on ``check`` points)
    resid: np.ndarray  #: (rows, targets) held-out residuals (value - prediction), chosen penalties

    def __call__(self, u: np.ndarray) -> np.ndarray:
        return features(u) @ self.coef

    @classmethod
    def fit(cls, U: np.ndarray, Y: np.ndarray, check: np.ndarray | None = None,
            k: int = 5) -> "Emulator":
        """Fit to the rows of ``U``/``Y`` (NaN-free columns), choosing each target's penalty by
        k-fold cross-validation; ``check`` (bool per row) says on which held-out rows the error
        is measured (all by default)."""
        F = features(U)
        check = np.ones(len(U), bool) if check is None else check
        fold = _folds(len(U), k, DESIGN_SEED)
        err = np.zeros((len(ALPHAS), Y.shape[1]))
        resid = np.zeros((len(ALPHAS), *Y.shape))
        for a, alpha in enumerate(ALPHAS):
            for f in range(k):
                tr, te = fold != f, fold == f
                if not te.any():
                    continue
                resid[a, te] = Y[te] - F[te] @ _ridge(F[tr], Y[tr], alpha)
            err[a] = (resid[a, check] ** 2).sum(0)
        err /= max(int(check.sum()), 1)
        best = err.argmin(0)
        cols = np.arange(Y.shape[1])
        coef = np.column_stack([_ridge(F, Y[:, [t]], ALPHAS[best[t]])[:, 0] for t in cols])
        return cls(coef, np.array(ALPHAS)[best], err[best, cols], resid[best, :, cols].T)


def _fit_gp(args):
    U, y = args
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(U.shape[1], 0.5), (0.02, 50.0))
              + WhiteKernel(0.01, (1e-6, 1.0)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=0,
                                      random_state=DESIGN_SEED).fit(U, y)
    k = gp.kernel_
    K = k(U)
    Kinv = np.linalg.inv(K)
    loo = (Kinv @ ((y - gp._y_train_mean) / gp._y_train_std)) / np.diag(Kinv)
    return (np.asarray(k.k1.k2.length_scale, float), float(k.k1.k1.constant_value),
            gp.alpha_.ravel(), float(gp._y_train_mean), float(gp._y_train_std),
            loo * gp._y_train_std)


@dataclass
class GPEmulator:
    """A Gaussian process per target (scikit-learn: constant times a squared-exponential kernel
    with one length per parameter, plus white noise; hyperparameters by maximum marginal
    likelihood), predicting its mean; held-out error from the closed-form leave-one-out
    residuals (Rasmussen and Williams 2006, section 5.4.2). A target whose leave-one-out error is
    larger than the quadratic emulator's cross-validated error keeps the quadratic one."""

    X: np.ndarray
    scale: np.ndarray  #: (targets, d) lengths
    signal: np.ndarray  #: (targets,) signal variance (normalised units)
    weights: np.ndarray  #: (targets, points) K^-1 y (normalised)
    mean: np.ndarray
    std: np.ndarray
    cv_mse: np.ndarray
    quadratic: Emulator
    use_gp: np.ndarray  #: bool per target
    resid: np.ndarray  #: (points, targets) held-out residuals (value - prediction) of each target's emulator

    @property
    def alpha(self) -> np.ndarray:
        return self.quadratic.alpha

    def kind(self) -> list[str]:
        return ["gaussian process" if g else "quadratic" for g in self.use_gp]

    def __call__(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        out = self.quadratic(u)
        t = self.use_gp
        if not hasattr(self, "_pre"):  # the design's side of the squared distances, once
            inv = 1.0 / self.scale[t] ** 2  # (T, d)
            self._pre = (inv, np.einsum("td,nd->tn", inv, self.X ** 2),
                         self.X[None, :, :] * inv[:, None, :])  # (T, n, d)
        inv, b, xs = self._pre
        a = (u ** 2) @ inv.T  # (c, T)
        cross = np.matmul(xs, u.T)  # (T, n, c)
        k = np.exp(-0.5 * (a.T[:, None, :] + b[:, :, None] - 2 * cross))  # (T, n, c)
        f = np.einsum("tnc,tn->ct", k, self.weights[t]) * self.signal[t]
        out[:, t] = self.mean[t] + self.std[t] * f
        return out

    @classmethod
    def fit(cls, U: np.ndarray, Y: np.ndarray, check: np.ndarray | None = None,
            workers: int = 1) -> "GPEmulator":
        import multiprocessing

        quad = Emulator.fit(U, Y, check)
        jobs = [(U, Y[:, t]) for t in range(Y.shape[1])]
        if workers > 1:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as ex:
                fits = list(ex.map(_fit_gp, jobs))
        else:
            fits = [_fit_gp(j) for j in jobs]
        check = np.ones(len(U), bool) if check is None else check
        loo = np.array([(f[5][check] ** 2).mean() for f in fits])
        use = loo < quad.cv_mse
        resid = np.where(use, np.column_stack([f[5] for f in fits]), quad.resid)
        return cls(U.copy(), np.array([f[0] for f in fits]), np.array([f[1] for f in fits]),
                   np.array([f[2] for f in fits]), np.array([f[3] for f in fits]),
                   np.array([f[4] for f in fits]), np.where(use, loo, quad.cv_mse), quad, use,
                   resid)


# ---- the likelihood --------------------------------------------------------------------------

def rounding_var(value: float) -> float:
    """Variance of the rounding of a published figure: uniform within half its last digit."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return (10.0 ** -decimals) ** 2 / 12.0


def data_var(targets) -> np.ndarray:
    """Part (a) of every target's variance (pp^2): rounding and the file's tolerance."""
    from experiments.evidence.targets import DEFAULT_TOLERANCE_PP

    out = []
    for t in targets:
        tol = t.tolerance if t.tolerance is not None else DEFAULT_TOLERANCE_PP
        sd = tol / (4.0 if (t.quantity == "employed" and t.group == "all" and t.cohort == 2014)
                    else 2.0)
        out.append(sd ** 2 + rounding_var(t.value))
    return np.array(out)


def chance_var(Y: np.ndarray, targets, run_size: int) -> np.ndarray:
    """The seeds' pooled variance at the run size, scaled to the real cohort's size: the cheap
    estimate of part (b) that the tempered wave-1 posterior uses (the final posterior measures
    it at the real size, :meth:`experiments.evidence.posterior_fit.Fit.real_chance`)."""
    from model.population import cohort_persons

    v = seed_var(Y)
    scale = np.array([run_size / cohort_persons(t.cohort) for t in targets])
    return v * scale


def seed_var(Y: np.ndarray) -> np.ndarray:
    """Per target: the variance between seeds of (points, seeds, targets) values, pooled over
    the points (0 where a target has none)."""
    return np.nan_to_num(np.nanmean(np.nanvar(Y, axis=1, ddof=1), axis=0))


@dataclass
class Posterior:
    """Log posterior in ``z = logit(u)`` for the targets chosen by ``use`` (bool per target)."""

    emulator: Emulator
    data: np.ndarray
    var: np.ndarray
    use: np.ndarray
    #: the errors' full covariance (targets x targets; its diagonal is ``var``), or None for
    #: independent errors
    cov: np.ndarray | None = None

    def __post_init__(self) -> None:
        u = np.asarray(self.use, bool)
        self._prec = None if self.cov is None else np.linalg.inv(self.cov[np.ix_(u, u)])

    def __call__(self, z: np.ndarray) -> np.ndarray:
        z = np.atleast_2d(z)
        u = expit(z)
        r = self.emulator(u)[:, self.use] - self.data[self.use]
        if self._prec is None:
            q = (r ** 2 / self.var[self.use]).sum(1)
        else:
            q = np.einsum("ct,ts,cs->c", r, self._prec, r)
        prior = np.sum(-np.logaddexp(0.0, z) - np.logaddexp(0.0, -z), axis=1)  # log u(1-u)
        return -0.5 * q + prior


def shrunk_corr(E: np.ndarray) -> tuple[np.ndarray, float]:
    """The correlation matrix of the columns of ``E`` (rows: centred deviations, NaN where a
    target has none), shrunk towards the identity by the Ledoit-Wolf (2004) estimate of the
    optimal weight (scikit-learn), and that weight. A column without variation is uncorrelated."""
    from sklearn.covariance import ledoit_wolf

    E = np.nan_to_num(np.asarray(E, float))
    sd = E.std(0)
    ok = sd > 0
    R = np.eye(E.shape[1])
    if ok.sum() < 2:
        return R, 1.0
    C, w = ledoit_wolf(E[:, ok] / sd[ok], assume_centered=True)
    d = np.sqrt(np.diag(C))
    R[np.ix_(ok, ok)] = C / np.outer(d, d)
    return R, float(w)


def correlated(sd: np.ndarray, R: np.ndarray) -> np.ndarray:
    """The covariance of errors with standard deviations ``sd`` and correlations ``R``."""
    return R * np.outer(sd, sd)


# ---- the sampler -----------------------------------------------------------------------------

@dataclass
class Chains:
    draws: np.ndarray  #: (steps kept, chains, d) in z
    acceptance: float
    rhat: np.ndarray = field(default_factory=lambda: np.array([]))

    def pooled(self) -> np.ndarray:
        return self.draws.reshape(-1, self.draws.shape[-1])


def gelman_rubin(draws: np.ndarray) -> np.ndarray:
    """R-hat per dimension of (steps, chains, d) draws (split chains)."""
    n = draws.shape[0] // 2
    x = np.concatenate([draws[:n], draws[n:2 * n]], axis=1)
    w = x.var(0, ddof=1).mean(0)
    b = n * x.mean(0).var(0, ddof=1)
    return np.sqrt(((n - 1) / n * w + b / n) / np.maximum(w, 1e-300))


def adaptive_metropolis(logpost, z0: np.ndarray, steps: int, seed: int, thin: int = 5) -> Chains:
    """Adaptive Metropolis with ``len(z0)`` chains in step (method step 6). The first half of
    ``steps`` adapts and is discarded; every ``thin``-th of the second half is kept."""
    rng = np.random.default_rng(seed)
    z = np.array(z0, float)
    k, d = z.shape
    lp = logpost(z)
    cov = np.cov(z.T) + 0.01 * np.eye(d) if k > d else 0.1 * np.eye(d)
    log_scale = np.log(2.38 ** 2 / d)
    burn = steps // 2
    history, kept, accepted = [], [], 0
    chol = np.linalg.cholesky(cov)
    for s in range(steps):
        prop = z + np.exp(0.5 * log_scale) * rng.standard_normal((k, d)) @ chol.T
        lpp = logpost(prop)
        acc = np.log(rng.random(k)) < lpp - lp
        z[acc], lp[acc] = prop[acc], lpp[acc]
        if s < burn:
            history.append(z.copy())
            log_scale += (acc.mean() - 0.234) / np.sqrt(s + 1.0)
            if s >= 100 and s % 50 == 0:
                recent = np.concatenate(history[s // 2:])
                chol = np.linalg.cholesky(np.cov(recent.T) + 1e-6 * np.eye(d))
        else:
            accepted += int(acc.sum())
            if (s - burn) % thin == 0:
                kept.append(z.copy())
    draws = np.array(kept)
    return Chains(draws, accepted / max(1, k * (steps - burn)), gelman_rubin(draws))


def start_points(logpost, U: np.ndarray, chains: int) -> np.ndarray:
    """The ``chains`` design points of highest posterior, in z."""
    z = logit(U)
    lp = logpost(z)
    return z[np.argsort(-lp)[:chains]]


def sample(post: Posterior, U: np.ndarray, chains: int, steps: int, seed: int) -> Chains:
    return adaptive_metropolis(post, start_points(post, U, chains), steps, seed)


def thin_evenly(x: np.ndarray, n: int) -> np.ndarray:
    idx = np.linspace(0, len(x) - 1, n).round().astype(int)
    return x[idx]


def interval(u_draws: np.ndarray, level: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    return np.quantile(u_draws, a, axis=0), np.quantile(u_draws, 1 - a, axis=0)
