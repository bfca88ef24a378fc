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
