"""The demands of the position: which scenario expresses each (``scenario_info.demand``) and the
evidence ranges of their effects (``model/data/demand_evidence.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from experiments.runs import summary as S

#: the demands' evidence ranges (read when the comparison is aggregated; see experiments.runs.summary)
DEMAND_EVIDENCE = Path(__file__).resolve().parents[2] / "model" / "data" / "demand_evidence.csv"


def demand_evidence(path: Path | None = None) -> tuple[pd.DataFrame | None, dict]:
    """The per-demand evidence ranges (``model/data/demand_evidence.csv``), or None and a note
    (``{"en", "nl"}``) saying why not: the file is missing, unreadable or lacks a column."""
    path = Path(path) if path is not None else DEMAND_EVIDENCE
    if not path.is_file():
        return None, {"en": f"the evidence file {path.name} is not there (model/data/), so the model's "
                            "effects cannot be set beside the evidence in this report",
                      "nl": f"het bestand met bewijs {path.name} ontbreekt (model/data/), dus de effecten "
                            "van het model kunnen in dit rapport niet naast het bewijs worden gezet"}
    try:
        ev = pd.read_csv(path, comment=None)
        missing = [c for c in S.EVIDENCE_COLUMNS[:5] if c not in ev.columns]
        if missing:
            raise ValueError(f"no column {', '.join(missing)}")
        ev = ev.dropna(subset=["demand", "horizon_years", "low_pp", "high_pp"])
        for c in ("horizon_years", "low_pp", "central_pp", "high_pp"):
            ev[c] = pd.to_numeric(ev[c], errors="raise")
        for c in ("basis", "evidence_ids"):
            if c not in ev.columns:
                ev[c] = ""
        ev[["basis", "evidence_ids"]] = ev[["basis", "evidence_ids"]].fillna("")
        ev["demand"] = ev["demand"].astype(str).str.strip()
    except (OSError, ValueError, pd.errors.ParserError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return None, {"en": f"the evidence file {path.name} could not be read ({first}): the model's "
                            "effects are not set beside the evidence",
                      "nl": f"het bestand met bewijs {path.name} kon niet worden gelezen ({first}): de "
                            "effecten van het model staan niet naast het bewijs"}
    return ev.reset_index(drop=True), {}


def demand_scenarios(position: str | None, configs: dict | None = None,
                     folder: Path | None = None) -> dict[str, str]:
    """Which scenario expresses each demand: ``D1`` ... ``D11`` from each scenario file's
    ``scenario_info.demand`` (``scenarios/*.yaml``; a scenario that was run counts too, from its
    config), and ``full`` for the full position. Where two scenarios name the same demand, one
    that was run (in ``configs``) wins, else the first by name."""
    import re

    from model.config import SCENARIO_DIR

    found: dict[str, list[str]] = {}
    for p in sorted(Path(folder or SCENARIO_DIR).glob("*.yaml")):
        try:  # a file that cannot be read names no demand (it is reported where it is used)
            node = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            info = node.get("scenario_info") or {}
            info = info if isinstance(info, dict) else {}
        except (OSError, ValueError, AttributeError, yaml.YAMLError):
            continue
        found.setdefault(str(info.get("demand", "")).strip(), []).append(p.stem)
    for name, cfg in (configs or {}).items():
        d = str(((cfg or {}).get("scenario_info") or {}).get("demand", "")).strip()
        if name not in found.get(d, []):
            found.setdefault(d, []).append(name)
    run = set(configs or {})
    out = {}
    for d, names in found.items():
        if re.fullmatch(r"D\d+", d):
            ran = [n for n in names if n in run]
            out[d] = (ran or names)[0]
    if position:
        out["full"] = position
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == "full", int(kv[0][1:]) if kv[0] != "full" else 0)))
