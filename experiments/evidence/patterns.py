"""Patterns from the literature as checks on the model's behaviour: the computing behind
``python -m experiments.patterns`` (the experiments, what is measured and why: the command's
docstring; the chart and ``summary.md``: :mod:`experiments.presentation.patterns`).

Three experiments on the same cohort and seeds: (a) waiting for a home (a housing supply cut),
(b) regional unemployment (employment by municipality type), (c) finished civic integration
(job finding by exam status, and the paired ``d6_better_inburgering`` experiment).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from experiments.evidence.target_values import run_cohort
from experiments.runs.compose import load
from experiments.runs.folders import provenance
from model.municipality import municipality_types
from model.people import NEVER, Exam, Residence

#: Hainmueller et al. 2016: 4-5 pp lower employment per extra year of waiting
LIT_WAIT_PP = (4.0, 5.0)
LIT_WAIT_RELATIVE = (0.16, 0.23)
#: the band the slow test holds the model's waiting effect to (pp per extra year): a factor of
#: two either side of the literature's midpoint, because the model's waiting is a wait for a home
#: after the permit in the Netherlands, not the Swiss wait for an asylum decision
WAIT_BAND_PP = (2.25, 9.0)
EMP_MONTH = 60  #: "about five years later"
SINCE_HOUSED_MONTH = 48


# ---- following persons through a run ---------------------------------------------------------

@dataclass
class Panel:
    """Person states at the end of every model month (months x persons)."""

    employed: np.ndarray
    present: np.ndarray
    housed: np.ndarray
    exam: np.ndarray
    language: np.ndarray
    obliged: np.ndarray  #: static
    age0: np.ndarray
    permit_month: np.ndarray
    ti_housed: np.ndarray
    municipality: np.ndarray


def run_panel(config):
    """Run a configuration and keep a monthly panel of the states the patterns need."""
    rec: dict[str, list] = {"employed": [], "present": [], "housed": [], "exam": [], "language": []}

    def on_month(m):
        ppl = m.people
        rec["employed"].append(ppl.employed.copy())
        res = ppl.residence
        rec["present"].append((res == Residence.RECEPTION) | (res == Residence.HOUSED))
        rec["housed"].append(res == Residence.HOUSED)
        rec["exam"].append(ppl.exam.copy())
        rec["language"].append(ppl.language.astype(np.float16))
        if m.t == 1:
            rec["_static"] = (ppl.obliged.copy(), ppl.age0.copy(), ppl.permit_month.copy(),
                              ppl.municipality.copy())

    run = run_cohort(config, on_month)
    obliged, age0, pm, muni = rec.pop("_static")
    panel = Panel(**{k: np.array(v) for k, v in rec.items()}, obliged=obliged, age0=age0,
                  permit_month=pm.astype(np.int64), ti_housed=run.persons.ti_housed.astype(np.int64),
                  municipality=muni.astype(np.int64))
    return run, panel


def _at(panel: Panel, name: str, months: np.ndarray) -> np.ndarray:
    """State ``name`` of every person at model month ``months[i]`` (False / 0 outside the run)."""
    arr = getattr(panel, name)
    ok = (months >= 0) & (months < arr.shape[0])
    out = np.zeros(arr.shape[1], arr.dtype)
    idx = np.flatnonzero(ok)
    out[idx] = arr[months[idx], idx]
    return out


def working_age_at(panel: Panel, months: np.ndarray) -> np.ndarray:
    age = panel.age0 + months / 12.0
    return _at(panel, "present", months) & (age >= 18) & (age < 65)


def employment_since(panel: Panel, start: np.ndarray, k: int, mask=None) -> tuple[float, int]:
    """Share (%) employed among those present and 18-64 ``k`` months after ``start``."""
    months = start + k
    wa = working_age_at(panel, months)
    if mask is not None:
        wa &= mask
    n = int(wa.sum())
    return (100.0 * float((_at(panel, "employed", months) & wa).sum()) / n if n else np.nan), n


def wait_after_permit(panel: Panel) -> np.ndarray:
    """Months from the permit to a home for persons aged 18-64 at the permit (0 for family who
    moved straight into a home; those never housed in the run count to the run's end)."""
    age_p = panel.age0 + panel.permit_month / 12.0
    adult = (age_p >= 18) & (age_p < 65)
    end = panel.employed.shape[0] - 1
    th = np.where(panel.ti_housed == NEVER, end, panel.ti_housed)
    return np.maximum(th - panel.permit_month, 0)[adult].astype(float)


# ---- the experiments ---------------------------------------------------------------------------

def cut_supply(cfg, factor: float):
    """The same configuration with housing supply times ``factor`` (capacity_rate is a share, so
    any factor in (0, 1] keeps it valid)."""
    h = replace(cfg.params.housing, capacity_rate=cfg.params.housing.capacity_rate * factor)
    return replace(cfg, params=replace(cfg.params, housing=h))


def waiting(base: list, cut: list) -> tuple[dict, pd.DataFrame]:
    """Per seed: extra waiting and the employment effect (a); and the curves."""
    per, curves = [], []
    for s, ((rb, pb), (rc, pc)) in enumerate(zip(base, cut)):
        wb, wc = wait_after_permit(pb), wait_after_permit(pc)
        dwait = wc.mean() - wb.mean()
        mth = np.nanmean(rc.result.months_to_home) - np.nanmean(rb.result.months_to_home)
        eb, ec = rb.result.share("employed"), rc.result.share("employed")
        d60 = eb[EMP_MONTH] - ec[EMP_MONTH]
        hb, _ = employment_since(pb, np.where(pb.ti_housed == NEVER, -10_000, pb.ti_housed),
                                 SINCE_HOUSED_MONTH)
        hc, _ = employment_since(pc, np.where(pc.ti_housed == NEVER, -10_000, pc.ti_housed),
                                 SINCE_HOUSED_MONTH)
        per.append({"seed": s, "wait_base": wb.mean(), "wait_cut": wc.mean(), "extra_wait": dwait,
                    "extra_months_to_home": mth, "emp60_base": eb[EMP_MONTH],
                    "emp60_cut": ec[EMP_MONTH], "effect_pp": d60,
                    "effect_pp_per_year": d60 / (dwait / 12.0),
                    "effect_relative_per_year": d60 / eb[EMP_MONTH] / (dwait / 12.0),
                    "emp_since_home_base": hb, "emp_since_home_cut": hc,
                    "since_home_effect_pp_per_year": (hb - hc) / (dwait / 12.0)})
        for arm, e in (("baseline", eb), ("housing cut", ec)):
            curves.append(pd.DataFrame({"seed": s, "arm": arm, "month": np.arange(len(e)),
                                        "employed_pct": e}))
    return pd.DataFrame(per), pd.concat(curves, ignore_index=True)


def regions(arms: dict[str, list]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(b): employment by municipality type at 36 and 60 months since the permit, per arm."""
    types = municipality_types()
    unemp = np.array([t["unemployment_index"] for t in types])
    rows, slopes = [], []
    for arm, runs in arms.items():
        for s, (run, panel) in enumerate(runs):
            for month in (36, EMP_MONTH):
                shares, ns = [], []
                for j, t in enumerate(types):
                    v, n = employment_since(panel, panel.permit_month, month,
                                            panel.municipality == j)
                    shares.append(v), ns.append(n)
                    rows.append({"arm": arm, "seed": s, "month": month, "municipality_type": t["name"],
                                 "unemployment_index": t["unemployment_index"],
                                 "employed_pct": v, "n": n})
                y, w = np.array(shares), np.array(ns, float)
                slope = np.polyfit(unemp, y, 1, w=np.sqrt(w))[0]
                rows_low = unemp <= np.median(unemp)
                gap = (np.average(y[rows_low], weights=w[rows_low])
                       - np.average(y[~rows_low], weights=w[~rows_low]))
                slopes.append({"arm": arm, "seed": s, "month": month,
                               "slope_pp_per_0.1_index": slope / 10.0,
                               "low_minus_high_unemployment_pp": gap,
                               "corr": float(np.corrcoef(unemp, y)[0, 1])})
    return pd.DataFrame(rows), pd.DataFrame(slopes)


#: bands of Dutch level (0-4 scale; the law of 2013's exam is at A2 = 2, sat from 1.5)
LANG_BANDS = ((1.5, 2.0, "1.5-2 (just below A2)"), (2.0, 2.5, "2-2.5 (A2)"),
              (2.5, 9.0, "2.5 and up (towards B1)"))


def exam_job_finding(runs: list, lo_month: int = 24, hi_month: int = 72) -> pd.DataFrame:
    """(c) within runs: monthly job finding of housed, obliged people aged 18-64 out of work, by
    whether they had met the obligation by exam (passed) or not (pending) the month before."""
    rows = []
    for s, (_, p) in enumerate(runs):
        T = p.employed.shape[0]
        t = np.arange(1, T)[:, None]
        since = t - p.permit_month[None, :]
        age = p.age0[None, :] + t / 12.0
        risk = (p.housed[:-1] & p.present[1:] & ~p.employed[:-1] & p.obliged[None, :]
                & (age >= 18) & (age < 65) & (since >= lo_month) & (since <= hi_month))
        found = p.employed[1:] & risk
        lang = p.language[:-1].astype(np.float32)
        for status, code in (("passed", Exam.PASSED), ("pending", Exam.PENDING)):
            st = risk & (p.exam[:-1] == code)
            for lo, hi, band in ((0.0, 9.0, "all levels"),) + LANG_BANDS:
                m = st & (lang >= lo) & (lang < hi)
                n = int(m.sum())
                rate = 100.0 * float((found & m).sum()) / n if n else np.nan
                rows.append({"seed": s, "status": status, "language": band,
                             "person_months": n, "job_finding_pct_per_month": rate})
    return pd.DataFrame(rows)


def policy_pair(base: list, d6: list) -> pd.DataFrame:
    """(c) paired: d6_better_inburgering minus baseline, per seed."""
    rows = []
    for s, ((rb, _), (rd, _)) in enumerate(zip(base, d6)):
        row = {"seed": s}
        for m in (36, 48):
            pb, pd6 = rb.result.share("exam_passed")[m], rd.result.share("exam_passed")[m]
            row[f"passed_{m}_base"] = pb
            row[f"delta_passed_{m}_pp"] = pd6 - pb
        for m in (36, 48, EMP_MONTH):
            row[f"delta_employed_{m}_pp"] = rd.result.share("employed")[m] - rb.result.share("employed")[m]
        row["employed_pp_per_passed_pp"] = row[f"delta_employed_{EMP_MONTH}_pp"] / row["delta_passed_48_pp"] \
            if row["delta_passed_48_pp"] else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


# ---- summary -----------------------------------------------------------------------------------

def _stat(x) -> tuple[float, float, float]:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if not len(x):
        return (np.nan,) * 3
    lo, hi = np.percentile(x, [5, 95])
    return float(x.mean()), float(lo), float(hi)


def measures(wait: pd.DataFrame, slopes: pd.DataFrame, exam: pd.DataFrame,
             pair: pd.DataFrame) -> pd.DataFrame:
    rows = []

    def add(pattern, measure, values, unit, literature, lit_range, source, note=""):
        mean, lo, hi = _stat(values)
        if lit_range is None:
            verdict = "diagnostic (no comparable figure)"
        elif not np.isfinite(mean):
            verdict = "not measurable (nobody in this cell)"
        elif lit_range[0] <= mean <= lit_range[1]:
            verdict = "agrees"
        elif lo <= lit_range[1] and hi >= lit_range[0]:
            verdict = "agrees within chance (the 90% interval overlaps)"
        else:
            ref = lit_range[0] if mean < lit_range[0] else lit_range[1]
            verdict = f"disagrees: {'below' if mean < ref else 'above'} by {abs(mean - ref):.2g} {unit}"
        rows.append({"pattern": pattern, "measure": measure, "model_mean": round(mean, 3),
                     "model_p5": round(lo, 3), "model_p95": round(hi, 3), "unit": unit,
                     "literature": literature, "verdict": verdict, "source": source, "note": note})

    hh = "Hainmueller, Hangartner & Lawrence 2016"
    add("a waiting", "extra months waiting after the permit (adults, like for like)",
        wait.extra_wait, "months", "12 (design)", None, "design")
    add("a waiting", f"employment effect per extra year of waiting, {EMP_MONTH} months after the permit",
        wait.effect_pp_per_year, "pp", "4-5 pp", LIT_WAIT_PP, hh)
    add("a waiting", "relative effect per extra year (share of baseline employment)",
        100 * wait.effect_relative_per_year, "%", "16-23%", tuple(100 * np.array(LIT_WAIT_RELATIVE)), hh)
    add("a waiting", f"effect per extra year, {SINCE_HOUSED_MONTH} months after housing (lasting harm)",
        wait.since_home_effect_pp_per_year, "pp", "(diagnostic: the part not explained by "
        "starting later)", None, hh, "later-housed people meet a later, better labour market")
    dh = "Damen, Huijnk & Dagevos 2023"
    for arm in slopes.arm.unique():
        for month in (36, EMP_MONTH):
            s = slopes[(slopes.arm == arm) & (slopes.month == month)]
            add("b region", f"employment slope per +0.1 unemployment index, {month} months ({arm})",
                s["slope_pp_per_0.1_index"], "pp", "negative (no size given)", (-np.inf, 0.0), dh)
    for band in ("all levels",) + tuple(b[2] for b in LANG_BANDS):
        e = exam[exam.language == band]
        pas = e[e.status == "passed"].set_index("seed").job_finding_pct_per_month
        pen = e[e.status == "pending"].set_index("seed").job_finding_pct_per_month
        add("c inburgering", f"job finding, passed / pending (ratio), Dutch {band}",
            (pas / pen).to_numpy(), "ratio", "> 1 (no size given)", (1.0, np.inf), dh)
    add("c inburgering", "d6 better courses: change in passed at 48 months", pair.delta_passed_48_pp,
        "pp", "more passes", (0.0, np.inf), "scenario d6_better_inburgering")
    add("c inburgering", f"d6 better courses: change in employment at {EMP_MONTH} months",
        pair[f"delta_employed_{EMP_MONTH}_pp"], "pp", "> 0 (Damen et al.); ~0 (CPB 2020, law of 2013)",
        None, f"{dh}; CPB 2020")
    return pd.DataFrame(rows)



def load_config(settings: dict, scenario: str = "baseline", extra: tuple = ()):
    """The validated configuration of an arm (seed replaced per run)."""
    return load(scenario, [*settings["overrides"], *extra])


def run(settings: dict, log=print) -> dict:
    """Run every arm; return the tables (used by the command line and the tests)."""
    base_cfg = load_config(settings)
    eq_cfg = load("baseline", [*settings["overrides"], "policy.implementation_spread=0"])
    d6_cfg = load("d6_better_inburgering", settings["overrides"])
    seeds = list(range(settings["seed"], settings["seed"] + settings["replications"]))
    arms = {"baseline": base_cfg, "housing cut": cut_supply(base_cfg, settings["supply_factor"]),
            "equal quality": eq_cfg, "d6": d6_cfg}
    out: dict[str, list] = {k: [] for k in arms}
    for name, cfg in arms.items():
        start = time.perf_counter()
        for s in seeds:
            out[name].append(run_panel(replace(cfg, seed=s)))
        log(f"  {name}: {len(seeds)} runs, {time.perf_counter() - start:.1f} s")
    wait, curves = waiting(out["baseline"], out["housing cut"])
    region_rows, slopes = regions({"baseline": out["baseline"], "equal quality": out["equal quality"]})
    exam = exam_job_finding(out["baseline"])
    pair = policy_pair(out["baseline"], out["d6"])
    return {"wait": wait, "curves": curves, "regions": region_rows, "slopes": slopes, "exam": exam,
            "pair": pair, "measures": measures(wait, slopes, exam, pair), "seeds": seeds,
            "config": base_cfg}



def meta(settings: dict, res: dict, wall: float) -> dict:
    """``patterns.json``: settings, seeds, the arms' housing supply and provenance."""
    cfg = res["config"]
    return {"cohort": int(cfg.population.permit_year), "replications": len(res["seeds"]),
            "seeds": res["seeds"], "population_size": int(cfg.population.size),
            "supply_factor": settings["supply_factor"],
            "capacity_rate": {"baseline": cfg.params.housing.capacity_rate,
                              "housing cut": cfg.params.housing.capacity_rate * settings["supply_factor"]},
            "overrides": settings["overrides"], "wait_band_pp": WAIT_BAND_PP,
            "wall_seconds": round(wall, 1), **provenance()}


def write_tables(folder: Path, res: dict, meta: dict) -> None:
    """The tables, the baseline's configuration and ``patterns.json``."""
    res["measures"].to_csv(folder / "patterns.csv", index=False)
    res["wait"].to_csv(folder / "waiting_by_seed.csv", index=False)
    res["curves"].to_csv(folder / "waiting_curves.csv", index=False)
    res["regions"].to_csv(folder / "regions.csv", index=False)
    res["slopes"].to_csv(folder / "region_slopes.csv", index=False)
    res["exam"].to_csv(folder / "exam_job_finding.csv", index=False)
    res["pair"].to_csv(folder / "d6_pair.csv", index=False)
    (folder / "config.yaml").write_text(yaml.safe_dump(res["config"].to_dict(), sort_keys=False))
    (folder / "patterns.json").write_text(json.dumps(meta, indent=2, default=float))
