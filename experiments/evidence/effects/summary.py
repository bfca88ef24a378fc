"""One row per published effect: the model's mean paired effect against the published interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.evidence.effects.file import DEFAULT_HALF_PP, DEFAULT_HALF_SHARE, Effect


#: ``interval_source`` of a row whose interval the file's author derived from what the study reports
DERIVED = "derived by the file's author from what the study reports (see source and mapping)"


def interval_source(e: Effect) -> str:
    """What the interval a row is judged against rests on: ``published``, :data:`DERIVED`, or
    ``default: ...`` (the band for rows without an interval)."""
    if not e.has_interval:
        return (f"default: effect_pp +- max({DEFAULT_HALF_PP:g} pp, "
                f"{DEFAULT_HALF_SHARE:.0%} of |effect_pp|)")
    return DERIVED if e.basis == "derived" else "published"


def basis_of(source: str) -> str:
    """``published``, ``derived`` or ``default``: the kind of a summary row's ``interval_source``
    (the inverse of :func:`interval_source`, for the chart, the report and validate.json)."""
    return ("published" if source == "published" else
            "derived" if source == DERIVED else "default")


def summarise(effects: list[Effect], by_seed: pd.DataFrame) -> pd.DataFrame:
    """One row per effect: published effect and interval, the model's mean paired effect and its
    90% interval over seeds (5th-95th percentile), the arms' levels, and whether the model's mean
    lies inside the interval the row is judged against."""
    rows = []
    for e in effects:
        s = by_seed[by_seed["id"] == e.id]
        d = s["effect_pp"].to_numpy(float)
        ok = np.isfinite(d)
        d = d[ok]
        mean = float(d.mean()) if len(d) else float("nan")
        p5, p95 = np.percentile(d, [5, 95]) if len(d) else (float("nan"),) * 2
        lo, hi = e.interval
        within = bool(np.isfinite(mean) and lo - 1e-9 <= mean <= hi + 1e-9)
        rows.append({
            "id": e.id, "design": e.design, "outcome": e.outcome, "group": e.group,
            "cohort": e.cohort, "horizon_months": e.horizon,
            "effect_pp": e.effect, "effect_low_pp": e.low, "effect_high_pp": e.high,
            "judged_low_pp": round(lo, 3), "judged_high_pp": round(hi, 3),
            "interval_source": interval_source(e),
            "model_effect_pp": round(mean, 3),
            "model_p5_pp": round(float(p5), 3), "model_p95_pp": round(float(p95), 3),
            "model_treatment": round(float(np.nanmean(s["treatment_value"])), 3) if ok.any() else float("nan"),
            "model_control": round(float(np.nanmean(s["control_value"])), 3) if ok.any() else float("nan"),
            "seeds": int(len(d)),
            "within": "yes" if within else "no",
            "error_pp": round(mean - e.effect, 3),
            "treatment": e.treatment.text, "control": e.control.text,
            "mapping": e.mapping, "source": e.source,
        })
    return pd.DataFrame(rows)
