"""What the report is made from (:class:`ReportInput`), and escaping."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


E = html.escape


@dataclass
class ReportInput:
    lang: str
    summary: pd.DataFrame
    costs_summary: pd.DataFrame
    times_summary: pd.DataFrame
    charts: dict
    stories: list
    scenarios: list
    baseline: str
    position: str | None
    configs: dict
    meta: dict
    chart_data: Any
    folder: Path
    warnings: list = None  #: each {"en": ..., "nl": ...}
    sensitivity: Any = None  #: the sensitivity analysis shown (report.drivers.Analysis) or None


def plain_paths(text: str, folder: Path | None = None) -> str:
    """``text`` with every absolute path made short, so that the report names no place on the
    machine that made it: the comparison's own folder is ``.`` (and what is in it relative to it),
    a file of the repository is named from the repository's root (``conf/ensemble.yaml``), any
    other by its last part."""
    import os
    import re

    from model.config import ROOT

    def short(match: re.Match) -> str:
        p = Path(match.group(0))
        if folder is not None and (p == Path(folder) or Path(folder) in p.parents):
            return os.path.relpath(p, folder)
        return p.relative_to(ROOT).as_posix() if ROOT in p.parents else p.name

    return re.sub(r"(?<![\w.~])/(?:[^\s/'\",=\]\[()]+/)*[^\s/'\",=\]\[()]+/?", short, text)
