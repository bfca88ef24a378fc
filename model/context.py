"""The context a cohort lives through: what nobody in the model controls.

Calendar-year series (national unemployment, housing supply, procedure length, municipalities'
work-oriented practice) come from ``model/data``; the COVID shock of 2020 is a hiring stop and a
wave of lay-offs among recent, temporary hires. A year between two rows of a table takes the
earlier row's value, and years after the last row keep that row's value (today's conditions
persist; an assumption).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import numpy as np

from model.parameters import Param

PARAMS: tuple[Param, ...] = (
    Param("reference_unemployment", 4.9, "percent",
          "assumption: mid-range of 2014-2024 national unemployment (CBS)",
          "national unemployment at which labour demand is 1", kind="rate", low=3.0, high=8.0),
    Param("tightness_elasticity", 2.0309, "elasticity",
          "Damen, Huijnk & Dagevos 2023 (higher regional unemployment, lower job chances); size: assumption",
          "job finding scales with (reference / local unemployment) to this power", kind="rate",
          low=0.3, high=2.5, calibrate=True),
    Param("extra_procedure_months", 0.0, "months",
          "assumption: a what-if setting for waiting-time experiments (the design of Hainmueller, "
          "Hangartner & Lawrence 2016: longer asylum procedures before the decision)",
          "months added to every asylum procedure before the permit (in reception, in limbo)",
          kind="months", low=0.0, high=24.0),
    Param("local_unemployment_factor", 1.0, "factor",
          "assumption: a what-if setting for placement experiments (the design of Aksoy, Poutvaara "
          "& Schikora 2023: refugees assigned to counties with lower or higher unemployment)",
          "every municipality's unemployment multiplied by this: local labour demand for the cohort, "
          "in who can work and how fast (national unemployment unchanged)",
          kind="multiplier", low=0.5, high=1.5),
    Param("covid_hiring_factor", 0.5, "factor",
          "assumption: hiring of newcomers in hospitality and agency work collapsed in spring 2020",
          "job finding multiplied by this during the COVID hiring stop", kind="share", low=0.2,
          high=0.9),
    Param("covid_layoff_rate", 0.06, "per month",
          "assumption: temporary and agency contracts ended first in 2020 (CBS flexible work figures)",
          "extra monthly job loss during the COVID hiring stop, for jobs under a year old",
          kind="probability", low=0.0, high=0.15),
    Param("covid_start", 2020.16, "calendar year", "COVID-19 lockdown in the Netherlands, March 2020",
          "start of the COVID hiring stop (year + month/12)", kind="rate", low=2020.0, high=2020.3),
    Param("covid_end", 2020.5, "calendar year",
          "assumption: hiring recovered in summer 2020", "end of the COVID hiring stop",
          kind="rate", low=2020.3, high=2021.0),
)


def _rows(name: str) -> dict[int, dict]:
    with resources.files("model.data").joinpath(name).open(encoding="utf-8") as fh:
        return {int(r["year"]): r for r in csv.DictReader(fh)}


def _series(name: str, column: str, years: np.ndarray) -> np.ndarray:
    """The table's value for each year: a year between two rows takes the earlier row's value,
    a year before the first row the first's, a year after the last the last's."""
    rows = _rows(name)
    known = np.array(sorted(rows))
    at = known[np.clip(np.searchsorted(known, years, side="right") - 1, 0, len(known) - 1)]
    return np.array([float(rows[int(y)][column]) for y in at])


@cache
def _tables():
    years = np.arange(2010, 2041)
    return years, {
        "unemployment": _series("unemployment_by_year.csv", "unemployment_pct", years),
        "housing_supply": _series("context_by_year.csv", "housing_supply_index", years),
        "procedure_scale": _series("context_by_year.csv", "procedure_scale", years),
        "work_first": _series("municipal_practice_by_year.csv", "work_first_share", years),
    }


class Context:
    """Monthly context series for a cohort whose model month 0 is January of ``permit_year``.

    Args:
        c: the ``context`` parameter values.
        permit_year: calendar year of model month 0.
        months: number of model months to prepare.
    """

    def __init__(self, c, permit_year: int, months: int) -> None:
        years, tab = _tables()
        t = np.arange(months)
        cal = permit_year + t / 12.0
        idx = np.clip(np.floor(cal).astype(int) - years[0], 0, len(years) - 1)
        self.calendar = cal  #: calendar year (fractional) of each model month
        self.unemployment = tab["unemployment"][idx]  #: national unemployment, percent
        self.housing_supply = tab["housing_supply"][idx]  #: index, 2014 = 1
        #: share of municipalities whose practice combines the course with work (0 under the
        #: practice of 2013-2014; ``municipal_practice_by_year.csv``), which relieves part of a
        #: course's lock-in (``params.work.work_first_relief``)
        self.work_first = tab["work_first"][idx]
        covid = (cal >= c.covid_start) & (cal < c.covid_end)
        #: labour demand multiplier on job finding (1 at the reference unemployment)
        self.labour_demand = (c.reference_unemployment / self.unemployment) ** c.tightness_elasticity
        self.labour_demand = np.where(covid, self.labour_demand * c.covid_hiring_factor,
                                      self.labour_demand)
        self.layoffs = np.where(covid, c.covid_layoff_rate, 0.0)  #: extra job loss per month
        self.procedure_scale = float(tab["procedure_scale"][permit_year - years[0]])
        self.extra_procedure_months = float(c.extra_procedure_months)
        self.unemployment_elasticity = c.tightness_elasticity
        self.local_unemployment_factor = float(c.local_unemployment_factor)
