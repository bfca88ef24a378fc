"""Which assumptions drive the answer: ``python -m experiments.sensitivity [key=value ...]``.

A global sensitivity analysis of the baseline's participation and employment and of each
scenario's paired effect on them (scenario minus baseline, on the same seed and parameter values),
at every year 1-10 since the permit, plus public costs; then scenario discovery for the full
position. Settings are in ``conf/sensitivity.yaml``; any model key given on the command line
(``policy.discrimination=0.2``, ``calibration=none``, ...) applies to every run.

Method
    1. *Screening* (Morris elementary effects, SALib): ``n_morris`` trajectories over every
       uncertain parameter (:mod:`.space`: each numeric parameter with a plausible range in
       ``params.*``, ``context.*``, ``costs.*`` and ``population.*``, lever strengths included; not
       ``population.size``/``permit_year``/``horizon_months`` nor the policy levers, which are what
       scenarios set), each varied uniformly over its declared range. Parameters are ranked by
       ``mu_star`` (normalised per outcome, averaged over years and outcomes:
       :func:`.analysis.screening`); the ``top`` (12) go on.
    2. *Sobol indices* (SALib's Saltelli sampler and analyser, ``calc_second_order=False``):
       first-order (S1: the share of an outcome's variance the parameter explains alone) and total
       order (ST: alone and with others) with 95% bootstrap intervals, over ``n_sobol * (top + 2)``
       points; the parameters not kept stay at their composed values. Computed at ``n_sobol`` and at
       ``n_sobol / 2`` from the first half of the same points: ``stability.csv`` shows how much the
       indices moved when the sample doubled.
    3. *Scenario discovery* (:mod:`.discovery`: PRIM from the EMA Workbench) over the Sobol points:
       where does ``prim.scenario`` fail to raise participation after ``prim.year`` years by
       ``prim.margin_pp`` points, or fail to pay back its public costs within ten years?

Chance
    Every point runs the baseline and each scenario on the same ``replicates`` seeds (``seed``,
    ``seed + 1``, ...), the same at every point: common random numbers, so the difference between
    two points is the parameters' doing and an effect is a paired difference. A point's value is
    the mean over its seeds. What chance is left is measured by ``chance_seeds`` single runs at
    the composed values (and, with ``replicates`` > 1, by the spread between a point's seeds too;
    ``chance.csv``:
    ``chance_share`` is the share of an outcome's variation over the points that is chance; it
    also shows in every index, so an index below it says little). A parameter the model does not
    use gets indices of exactly zero under common random numbers (``context.covid_start`` for a
    2024 cohort; the tests check this).

Cohort size (``population.size``, default 2,000) and seeds (``replicates``, default 1)
    A run's time hardly depends on the cohort below a few thousand persons (most of it is the 157
    monthly steps), while chance shrinks with it. Measured at the composed values (8 seeds, the full
    position against the baseline, paired; 2 cores shared with other work, so times are rough;
    before the compiled kernels of the monthly step, which made a run of 2,000 about 0.1 CPU s):

    ======  ==========  =================================  ===============================
    size    s per run   sd of baseline participation, 5y   sd of the position's effect, 5y
    ======  ==========  =================================  ===============================
    500     0.28        3.4 pp                             2.8 pp
    1,000   0.31        2.5 pp                             2.6 pp
    2,000   0.35-0.46   1.5 pp                             1.9 pp
    4,000   0.45        1.1 pp                             1.0 pp
    ======  ==========  =================================  ===============================

    A point of 2,000 persons and one seed has about the chance variation of 1,000 persons and two
    seeds at half the cost. In the default analysis (``chance.csv``, measured by ``chance_seeds``
    runs at the composed values) chance is 1% or less of the baseline's variation over the
    sampled assumptions, and of the full position's effect after 5 years about 14% (participation)
    and 26% (employment); later years' employment effects, which are small, up to 70%. That share
    is an upper bound (common random numbers make chance move smoothly between points, not as
    independent noise), it is drawn on every chart of indices, and an index below it says little.
    For a finer analysis raise the cohort before the seeds (4,000 persons: about half the chance sd
    for about 1.25 times the time, 0.119 against 0.096 s a baseline run measured with
    ``experiments.benchmark``; seeds would need about four times as many runs for the same).

Time (defaults: the full position against the baseline, D uncertain parameters (143 today),
4 trajectories = 4 (D + 1) = 576 Morris points, 12 kept, ``n_sobol=512`` = 7,168 Sobol points, one
seed, 2,000 persons: 15,504 runs): 14 minutes on 2 cores, progress bars included (Morris 68 s,
Sobol 746 s, analysis and charts 15 s; about 0.1 CPU s a run); ``sensitivity.json`` records each
stage's wall and CPU seconds. ``n_sobol=64`` is a first look in about 3 minutes (156 s measured), whose stability
check (N/2 against N) says how far it can be trusted; more ``scenarios=[...]`` (each adds one run
per seed and point) or a larger cohort go to a bigger machine or a cluster. Points already computed
are reused, so a larger design extends a smaller one.

Resuming and clusters
    Each point is a folder ``runs/<stage>/p<index>/point.json`` (:mod:`.runs`), reused when its
    configuration hash and the model's code hash are unchanged, like the comparison's run folders;
    a killed analysis computes only what is missing. With ``runs=full`` each run of a point is also
    a comparison run folder (``experiments.runs.jobs.run_task``, reused when ``jobs.is_complete``), at
    about twice the time and 250 KB a run. ``parts=P part=k`` computes every P-th point of
    one stage and stops, so a Hydra sweep over ``part`` sends the work through any launcher
    (``conf/hydra/launcher/slurm.yaml``); a last plain run analyses::

        python -m experiments.sensitivity -m hydra/launcher=slurm stage=morris parts=32 'part=range(32)'
        python -m experiments.sensitivity -m hydra/launcher=slurm stage=sobol parts=32 'part=range(32)'
        python -m experiments.sensitivity

Output folder (``out``, default ``results/sensitivity/<name from the settings that change what is
run>``): ``screening.csv`` (every parameter's Morris score, rank and whether kept, at all and at
half the trajectories), ``morris.csv``, ``sobol.csv`` (S1, ST with intervals, at N and N/2),
``stability.csv``, ``chance.csv``, ``prim_boxes.csv``, ``prim_trajectories.csv``,
``points_morris.csv.gz`` and ``points_sobol.csv.gz`` (every point's values and outcomes),
``charts/*.png|svg`` (:mod:`.charts`), ``sensitivity.<language>.html`` ("What drives these effects" /
"Wat deze effecten bepaalt", ``language=en|nl``: :mod:`.section`) and ``sensitivity.json``
(settings, seeds, kept parameters, timings, versions).
"""
