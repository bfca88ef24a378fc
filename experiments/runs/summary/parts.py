"""Participation and its exclusive parts (employed, in education only, other participation only),
and the outcomes' declarations as the summary needs them."""

from __future__ import annotations


import numpy as np
import pandas as pd

#: the exclusive parts of participation, in the order they are stacked; they add up to ``participating``
PARTS: tuple[str, ...] = ("employed", "education_only", "other_only")
#: the parts that runs made before the recorder counted them lack (derived by :func:`add_parts`)
DERIVED: tuple[str, ...] = ("education_only", "other_only")
_DERIVED_LABELS = {"education_only": "In education, not working",
                   "other_only": "Other participation only (no work, no education)"}


def outcome_info() -> dict:
    """Every outcome the summary knows, in report order: the model's declared outcomes, with the
    parts of participation placed after ``volunteering`` where the model does not declare them."""
    from model.outcomes import BY_NAME, Outcome

    out = {}
    for name, o in BY_NAME.items():
        out[name] = o
        if name == "volunteering":
            for d in DERIVED:
                if d not in BY_NAME:
                    out[d] = Outcome(d, _DERIVED_LABELS[d], "working_age", "maximise")
    for d in DERIVED:
        out.setdefault(d, Outcome(d, _DERIVED_LABELS[d], "working_age", "maximise"))
    return out


def add_parts(tidy: pd.DataFrame) -> pd.DataFrame:
    """``tidy`` with the exclusive parts of participation (``education_only``, ``other_only``)
    for every scenario, seed, month and group that lacks them and has participating, employed and
    volunteering: education_only = participating - employed - volunteering, other_only =
    volunteering (see the module's docstring). Rows the runs recorded are kept as they are.

    The derived value is rounded to 4 decimals, as the recorded shares are, so the three parts add
    up to ``participating`` to within floating-point error.
    """
    need = ("participating", "employed", "volunteering")
    sub = tidy[tidy["outcome"].isin(need + DERIVED)]
    if not len(sub):
        return tidy
    keys = [c for c in tidy.columns if c not in ("outcome", "value", "n")]
    if sub.duplicated(keys + ["outcome"]).any():
        return tidy  # refused by paired_summary, with its own message
    cols = ["value"] + (["n"] if "n" in tidy.columns else [])
    wide = sub.set_index(keys + ["outcome"])[cols].unstack("outcome")
    if any(o not in wide["value"].columns for o in need):
        return tidy
    v = wide["value"]
    derived = {"education_only": (v["participating"] - v["employed"] - v["volunteering"]).round(4) + 0.0,
               "other_only": v["volunteering"]}
    rows = []
    for name, values in derived.items():
        if name in v.columns:  # recorded: derive only where a run lacks the row
            present = sub.loc[sub["outcome"] == name, keys].drop_duplicates()
            missing = ~v.index.isin(pd.MultiIndex.from_frame(present) if len(keys) > 1
                                    else present[keys[0]])
        else:
            missing = np.ones(len(v), bool)
        if not missing.any():
            continue
        part = values[missing].rename("value").reset_index()
        part["outcome"] = name
        if "n" in cols:
            part["n"] = wide["n"]["participating"][missing].to_numpy()
        rows.append(part)
    if not rows:
        return tidy
    return pd.concat([tidy, *(r[list(tidy.columns)] for r in rows)], ignore_index=True)


def parts_check(tidy: pd.DataFrame, tolerance: float = 5e-4) -> int:
    """How many rows break the parts of participation (0 when they hold): paid work, education
    without work and other participation only must add up to participating, and each of the two
    derived parts must lie between 0 and the share it is part of (in education; in other
    participation), in percent with ``tolerance`` for the rounding of recorded shares."""
    t = add_parts(tidy)
    keys = [c for c in t.columns if c not in ("outcome", "value", "n")]
    names = ("participating", "in_education", "volunteering") + PARTS
    sub = t[t["outcome"].isin(names)]
    if not len(sub):
        return 0
    w = sub.set_index(keys + ["outcome"])["value"].unstack("outcome")
    if any(n not in w for n in names):
        return 0
    tol = 3 * tolerance
    bad = ((w["employed"] + w["education_only"] + w["other_only"] - w["participating"]).abs() > tol)
    bad |= (w["education_only"] < -tolerance) | (w["education_only"] > w["in_education"] + tolerance)
    bad |= (w["other_only"] < -tolerance) | (w["other_only"] > w["volunteering"] + tolerance)
    return int(bad[w["participating"].notna()].sum())
