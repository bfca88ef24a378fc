"""What the patterns from the literature show a reader: one chart of the three experiments
(``patterns.png``) and ``summary.md``, whose wording follows the numbers. The computing is
:mod:`experiments.evidence.patterns`.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.evidence.patterns import EMP_MONTH, LANG_BANDS, LIT_WAIT_PP, SINCE_HOUSED_MONTH, _stat


def chart(wait_curves: pd.DataFrame, wait: pd.DataFrame, region_rows: pd.DataFrame,
          exam: pd.DataFrame, pair: pd.DataFrame, path: Path, title: str, source: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 5.6))
    # (a)
    ax = axes[0]
    for arm, color in (("baseline", "#1f6fb2"), ("housing cut", "#c0392b")):
        d = wait_curves[wait_curves.arm == arm].pivot(index="month", columns="seed", values="employed_pct")
        lo, hi = np.percentile(d.to_numpy(), [5, 95], axis=1)
        waited = wait["wait_base" if arm == "baseline" else "wait_cut"].mean()
        ax.plot(d.index, d.mean(axis=1), color=color, label=f"{arm}: adults wait {waited:.1f} months")
        ax.fill_between(d.index, lo, hi, color=color, alpha=0.15, lw=0)
    m, l, h = _stat(wait.effect_pp_per_year)
    ax.axvline(EMP_MONTH, color="#777777", lw=0.8, ls=":")
    ax.text(0.03, 0.96, f"At {EMP_MONTH} months: {m:.1f} pp lower per extra year of waiting\n"
                        f"(90% over seeds {l:.1f}-{h:.1f}); literature 4-5 pp",
            transform=ax.transAxes, va="top", fontsize=8.5)
    ax.set_title("(a) Longer wait for a home after the permit, same cohort and seeds", fontsize=10)
    ax.set_xlabel("Months since permit")
    ax.set_ylabel("Employed, ages 18-64 (%)")
    ax.set_xlim(0, wait_curves.month.max())
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9, edgecolor="none")
    # (b)
    ax = axes[1]
    for arm, color, marker in (("baseline", "#1f6fb2", "o"), ("equal quality", "#7d3c98", "s")):
        d = region_rows[(region_rows.arm == arm) & (region_rows.month == EMP_MONTH)]
        if d.empty:
            continue
        g = d.groupby("unemployment_index").apply(
            lambda x: pd.Series({"v": np.average(x.employed_pct, weights=x.n), "lo": x.employed_pct.min(),
                                 "hi": x.employed_pct.max()}), include_groups=False).reset_index()
        ax.errorbar(g.unemployment_index + (0.004 if marker == "s" else -0.004), g.v,
                    yerr=[g.v - g.lo, g.hi - g.v], fmt=marker, color=color, ms=5, capsize=2,
                    label=f"{arm}: types at this index (bar: range)")
        x = np.array([d.unemployment_index.min(), d.unemployment_index.max()])
        b1, b0 = np.polyfit(d.unemployment_index, d.employed_pct, 1, w=np.sqrt(d.n))
        ax.plot(x, b0 + b1 * x, color=color, lw=1, ls="--",
                label=f"{arm}: fit, {b1 / 10:+.1f} pp per +0.1 index")
    ax.set_title(f"(b) Employment at {EMP_MONTH} months by municipality type", fontsize=10)
    ax.set_xlabel("Local unemployment index (national = 1)")
    ax.set_ylabel("Employed, ages 18-64 (%)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=7.5, frameon=True, framealpha=0.85, edgecolor="none")
    # (c)
    ax = axes[2]
    bands = ("all levels",) + tuple(b[2] for b in LANG_BANDS)
    x = np.arange(len(bands))
    for k, (status, color) in enumerate((("pending", "#b9770e"), ("passed", "#117a65"))):
        vals = [_stat(exam[(exam.status == status) & (exam.language == b)].job_finding_pct_per_month)
                for b in bands]
        mean = np.array([v[0] for v in vals])
        err = np.array([[v[0] - v[1], v[2] - v[0]] for v in vals]).T
        ax.bar(x + (k - 0.5) * 0.38, mean, 0.38, yerr=err, color=color, capsize=2,
               label=f"obligation {status} (month before)")
    ax.set_xticks(x, [textwrap.fill(b, 14) for b in bands], fontsize=8)
    dm, dl, dh_ = _stat(pair[f"delta_employed_{EMP_MONTH}_pp"])
    pm, _, _ = _stat(pair.delta_passed_48_pp)
    ax.text(0.03, 0.96, f"Paired policy (better courses, d6): passed at 48 months {pm:+.1f} pp,\n"
                        f"employed at {EMP_MONTH} months {dm:+.1f} pp (90% {dl:+.1f} to {dh_:+.1f})",
            transform=ax.transAxes, va="top", fontsize=8.5)
    ax.set_title("(c) Job finding after civic integration is met (months 24-72)", fontsize=10)
    ax.set_xlabel("Dutch level the month before")
    ax.set_ylabel("Job finding (% of those out of work, per month)")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="upper right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 0.86))
    fig.suptitle(title, fontsize=12)
    fig.text(0.01, 0.01, textwrap.fill(source, 210), fontsize=7.5, color="#444444", va="bottom")
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def summary_md(table: pd.DataFrame, meta: dict, res: dict) -> str:
    """The short markdown summary; its wording follows the numbers (nothing is taken for granted)."""
    wait, pair, slopes, exam = res["wait"], res["pair"], res["slopes"], res["exam"]
    lines = [f"# Patterns from the literature: {meta['cohort']} cohort, scenario baseline", "",
             f"{meta['replications']} seeds x {meta['population_size']:,} persons; every arm uses the "
             "same seeds. Mean over seeds, 90% interval = 5th-95th percentile over seeds. Nothing "
             "was fitted to these patterns.", "",
             "| pattern | measure | model (90% interval) | literature | verdict |",
             "|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.pattern} | {r.measure} | {r.model_mean:.3g} {r.unit} "
                     f"({r.model_p5:.3g} to {r.model_p95:.3g}) | {r.literature} | {r.verdict} |")
    w = wait.mean(numeric_only=True)
    eff, lasting = w.effect_pp_per_year, w.since_home_effect_pp_per_year
    lo, hi = LIT_WAIT_PP
    how = ("within" if lo <= eff <= hi else
           f"{'below' if eff < lo else 'above'} (by {abs(eff - (lo if eff < lo else hi)):.1f} pp)")
    share_lasting = lasting / eff if eff else np.nan
    lasting_text = (
        "nearly all of the effect is the mechanical delay" if share_lasting < 0.25 else
        "a substantial part of the effect persists beyond the delay")
    lines += ["", "## Reading", "",
              f"**(a) Waiting.** Cutting housing supply to {meta['supply_factor']:g} of the baseline "
              f"made adults wait {w.wait_cut:.1f} instead of {w.wait_base:.1f} months after the "
              f"permit (+{w.extra_wait:.1f}; RunResult.months_to_home: +{w.extra_months_to_home:.1f}, "
              "a different population because more family members then arrive into reception). "
              f"Employment at {EMP_MONTH} months fell from {w.emp60_base:.1f}% to {w.emp60_cut:.1f}%: "
              f"{eff:.1f} pp per extra year, {how} the literature's 4-5 pp; "
              f"{100 * w.effect_relative_per_year:.0f}% of baseline employment per year (literature "
              f"16-23%). Measured {SINCE_HOUSED_MONTH} months after housing instead, the gap is "
              f"{lasting:.1f} pp per year (those housed later also meet a later labour market, "
              f"which changes this a little): {lasting_text} (courses and municipal job search "
              "start only once housed; job finding in reception is reduced by "
              "params.work.reception_factor). Hainmueller et al. read their effect as "
              "discouragement rather than delay; in the model a lasting part can run only through "
              "poor mental health that starts while waiting (params.health.limbo_onset) and lower "
              "belonging (params.belonging.waiting_weight), and both fade once housed. "
              f"The model's baseline employment at {EMP_MONTH} months ({w.emp60_base:.0f}%) is "
              "below CBS's 42% for the 2014 cohort, so the same relative effect gives fewer points.",
              ""]
    sl = slopes.groupby(["arm", "month"])["slope_pp_per_0.1_index"].mean()
    neg = bool((sl < 0).all())
    lines += [f"**(b) Regional unemployment.** Employment "
              f"{'falls' if neg else 'does not fall everywhere'} with the local unemployment index "
              f"({', '.join(f'{a}, {m} months: {v:+.1f} pp per +0.1' for (a, m), v in sl.items())})"
              f"{', as Damen et al. find' if neg else ', unlike Damen et al.'}. The size follows "
              "from the model's assumption (job finding scales with local unemployment to the power "
              "-context.tightness_elasticity; the unemployment indices are assumptions too). The "
              "equal-quality arm removes the differences in municipal support and housing delivery "
              "that the types also carry, so its slope is the unemployment effect alone.", ""]
    ratios = {}
    for band in tuple(b[2] for b in LANG_BANDS):
        e = exam[exam.language == band].groupby("status").job_finding_pct_per_month.mean()
        if "passed" in e and "pending" in e and e["pending"] > 0:
            ratios[band] = e["passed"] / e["pending"]
    higher = all(r > 1 for r in ratios.values()) and ratios
    work = res["config"].params.work
    lock_in = getattr(work, "course_lock_in", float("nan"))
    done = getattr(work, "integration_done_effect", 0.0)
    direct = (f", and it raises job search directly (params.work.integration_done_effect = "
              f"{done:g} log-hazard, a factor {np.exp(done):.2f}, fitted with Damen et al. as the "
              "source): the pattern is partly put into the model, so its agreement here is a "
              "consistency check, not independent evidence." if done else
              "; the certificate itself has no effect.")
    d_emp = pair[f"delta_employed_{EMP_MONTH}_pp"].mean()
    lines += ["**(c) Civic integration.** People who have met the obligation find jobs "
              f"{'more often than' if higher else 'not always more often than'} those still pending "
              "at the same Dutch level (ratio "
              + ", ".join(f"{v:.1f} at {k}" for k, v in ratios.items()) + "). In the model, "
              "meeting the obligation ends the course and with it the course's lock-in on job "
              f"search (params.work.course_lock_in = {lock_in:g}){direct} The paired policy "
              "experiment (better courses, "
              f"d6_better_inburgering) changes passes at 48 months by "
              f"{pair.delta_passed_48_pp.mean():+.1f} pp and employment at {EMP_MONTH} months by "
              f"{d_emp:+.1f} pp. The literature is split: Damen et al. find that complying helps "
              "(observational, Syrians), CPB 2020 found more passes under the law of 2013 without a "
              "change in labour participation; the model sides with the first.", ""]
    return "\n".join(lines)



def draw(folder: Path, res: dict, meta: dict) -> None:
    """``summary.md`` and ``patterns.png``."""
    title = (f"Patterns from the literature, {meta['cohort']} permit cohort: model (baseline) "
             f"with {meta['replications']} seeds x {meta['population_size']:,} persons per arm")
    source = ("Model: integration-sim, same seeds in every arm; lines and bars are means over seeds, "
              "bands and whiskers the 5th-95th percentile. (a) housing supply cut to "
              f"{meta['supply_factor']:g} of the baseline (params.housing.capacity_rate); "
              "literature: Hainmueller, Hangartner & Lawrence 2016. (b) municipality types from "
              "model/data/municipality_types.csv (unemployment index: assumption); 'equal quality' = "
              "policy.implementation_spread=0; literature: Damen, Huijnk & Dagevos 2023 (direction "
              "only). (c) housed people aged 18-64 with an obligation, out of work; literature: "
              "Damen et al. 2023, CPB 2020.")
    (folder / "summary.md").write_text(summary_md(res["measures"], meta, res))
    chart(res["curves"], res["wait"], res["regions"], res["exam"], res["pair"],
          folder / "patterns.png", title, source)


def print_measures(measures: pd.DataFrame) -> None:
    """The measures on the terminal."""
    for r in measures.itertuples():
        print(f"{r.pattern:<14}{r.measure[:78]:<80}{r.model_mean:>8.3g} {r.unit:<7}"
              f"[{r.model_p5:.3g}, {r.model_p95:.3g}]  lit: {r.literature}  -> {r.verdict}")
