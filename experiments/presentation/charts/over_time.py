"""Charts over time since the permit: (a1) participation and its parts, (a2) employment, (c) the
stages of the pathway, (f) time to the first job."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from experiments.presentation import i18n
from experiments.presentation.charts.layout import (ChartData, PART_STYLE, STAGE_STYLE,
                                                    figure_title, finish, grid_shape,
                                                    label_month_grid, legend_top, panel_title,
                                                    source_line, style)
from experiments.presentation.i18n import t
from experiments.runs.summary import PARTS, add_parts, band

# ---- (a1) participation and its parts over time ----------------------------------------------
def participation_data(d: ChartData) -> pd.DataFrame:
    """What chart (a1) draws, per scenario and month: the mean over replications of participation
    and of each exclusive part (the parts add up to participation), and participation's median and
    90% interval over replications."""
    need = ("participating",) + PARTS
    df = d.tidy[(d.tidy["group"] == "all") & d.tidy["outcome"].isin(("participating", "employed",
                                                                     "volunteering") + PARTS)]
    df = add_parts(df)
    df = df[df["outcome"].isin(need)]
    if not len(df) or "participating" not in set(df["outcome"]):
        return pd.DataFrame()
    b = band(df, ["scenario", "outcome"])
    mean = b.pivot_table(index=["scenario", "month"], columns="outcome", values="mean")
    whole = b[b["outcome"] == "participating"].set_index(["scenario", "month"])
    out = pd.DataFrame({"participating_mean": mean["participating"]})
    for p in PARTS:
        out[p] = mean[p] if p in mean else np.nan
    for c in ("median", "p05", "p95"):
        out[f"participating_{c}"] = whole[c]
    return out.reset_index()


def participation_over_time(d: ChartData, out: Path) -> list[Path] | None:
    data = participation_data(d)
    if not len(data):
        return None
    data.round(4).to_csv(out / "a1_participation.csv", index=False)
    scen = [s for s in d.scenarios if s in set(data["scenario"])]
    nrows, ncols = grid_shape(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.7 * nrows + 1.7),
                             sharex=True, sharey=True, squeeze=False)
    base = data[data["scenario"] == d.baseline]
    top = float(np.nanmax(data["participating_p95"])) if len(data) else 100.0
    ymax = min(100.0, max(10.0, top * 1.08))
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = data[data["scenario"] == s]
        m = g["month"].to_numpy()
        bottom = np.zeros(len(g))
        for p in PARTS:
            color, hatch = PART_STYLE[p]
            v = g[p].fillna(0.0).to_numpy()
            ax.fill_between(m, bottom, bottom + v, facecolor=color, edgecolor="#777777", hatch=hatch,
                            linewidth=0.0, alpha=0.85)
            bottom = bottom + v
        ax.fill_between(m, g["participating_p05"], g["participating_p95"], color="black", alpha=0.3,
                        linewidth=0)
        if s != d.baseline and len(base):
            ax.plot(base["month"], base["participating_mean"], color="#000000", lw=1.0, ls="--",
                    alpha=0.8)
        ax.plot(m, g["participating_mean"], color=st.color, ls="-", lw=2.0, marker=st.marker,
                markevery=(0, 24), ms=5)
        panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, int(m.max()) if len(m) else 120)
        ax.set_xticks(np.arange(0, ax.get_xlim()[1] + 1, 24))
        ax.set_ylim(0, ymax)
    label_month_grid(axes, len(scen), d, t("share_working_age", d.lang))
    nl = d.lang == "nl"
    handles = [Patch(facecolor=PART_STYLE[p][0], hatch=PART_STYLE[p][1], edgecolor="#777777",
                     label=i18n.part_label(p, d.lang)) for p in PARTS]
    handles += [Line2D([], [], color="#555555", lw=2.0,
                       label="Participatie (gemiddelde)" if nl else "Participation (mean)"),
                Patch(color="black", alpha=0.3, label=t("band90", d.lang)),
                Line2D([], [], color="black", lw=1.0, ls="--", alpha=0.8,
                       label="Participatie onder de basis" if nl else "Baseline participation")]
    legend_top(fig, handles, len(handles))
    if nl:
        title = ("Participatie: aandeel 18-64-jarigen met betaald werk, onderwijs of andere participatie, "
                 "per scenario")
        extra = ("Vlakken: gemiddelde over herhalingen van drie delen die elkaar uitsluiten en samen de "
                 "participatie vormen: betaald werk (CBS-definitie, gekalibreerd op CBS), onderwijs zonder "
                 "betaald werk (met de hand afgestemd op CBS 2024), en alleen andere participatie "
                 "(vrijwilligerswerk, participatiebaan: een aanname, geen gepubliceerd cijfer). "
                 "Getallen: charts/a1_participation.csv.")
    else:
        title = ("Participation: share of 18-64 year olds in paid work, education or other "
                 "participation, per scenario")
        extra = ("Areas: mean over replications of three parts that exclude each other and together make "
                 "up participation: paid work (CBS definition, calibrated to CBS), education without paid "
                 "work (set by hand to CBS 2024), and other participation only (volunteering, a "
                 "participation job: an assumption, no published figure). Numbers: "
                 "charts/a1_participation.csv.")
    figure_title(fig, title)
    return finish(fig, out, "a1_participation", source_line(d, extra), top_in=0.62)


# ---- (a2) employment over time ----------------------------------------------------------------
def employment_over_time(d: ChartData, out: Path, outcome: str = "employed") -> list[Path]:
    df = d.tidy[(d.tidy["outcome"] == outcome) & (d.tidy["group"] == "all")]
    b = band(df, ["scenario"])
    scen = d.scenarios
    nrows, ncols = grid_shape(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.55 * nrows + 1.5),
                             sharex=True, sharey=True, squeeze=False)
    base = b[b["scenario"] == d.baseline]
    ymax = max(10.0, float(np.nanmax(b["p95"])) * 1.08) if len(b) else 100
    cbs = d.cbs_points.get(outcome)
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = b[b["scenario"] == s]
        ax.fill_between(g["month"], g["p05"], g["p95"], color=st.color, alpha=0.22, linewidth=0)
        if s != d.baseline and len(base):
            ax.plot(base["month"], base["median"], color="#000000", lw=0.9, ls="-", alpha=0.55)
        ax.plot(g["month"], g["median"], color=st.color, ls=st.linestyle, lw=1.8,
                marker=st.marker, markevery=(0, 24), ms=5)
        if s == d.baseline and cbs is not None:
            ax.scatter(cbs[0], cbs[1], color="white", edgecolor="black", zorder=5, s=26, lw=1.2)
        panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_xlim(0, int(df["month"].max()) if len(df) else 120)
        ax.set_xticks(np.arange(0, (ax.get_xlim()[1]) + 1, 24))
        ax.set_ylim(0, ymax)
    label_month_grid(axes, len(scen), d, t("share_working_age", d.lang))
    label = i18n.outcome_short(outcome, d.lang)
    handles = [Line2D([], [], color="#555555", lw=1.8, label=t("median", d.lang).capitalize()),
               Patch(color="#555555", alpha=0.25, label=t("band90", d.lang)),
               Line2D([], [], color="black", lw=0.9, alpha=0.55, label=t("baseline_median", d.lang).capitalize())]
    if cbs is not None:
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="black",
                              label=(f"CBS, cohort {cbs[2]} (ter vergelijking: ander jaar, andere wet)"
                                     if d.lang == "nl" else
                                     f"CBS, {cbs[2]} cohort (for reference: other year, other law)")))
    legend_top(fig, handles, len(handles))
    if d.lang == "nl":
        title = f"{label}: aandeel 18-64-jarigen met betaald werk, per scenario"
        extra = ("Werkt = CBS-definitie (werknemer of zelfstandige, elk aantal uren, 18-64 jaar), "
                 "gemeten vanaf de eigen vergunningsmaand. CBS-punten: model/data/calibration_targets.csv.")
    else:
        title = f"{label}: share of 18-64 year olds in paid work, per scenario"
        extra = ("Employed = CBS definition (employee or self-employed, any hours, ages 18-64), counted "
                 "from each person's own permit month. CBS points: model/data/calibration_targets.csv.")
    figure_title(fig, title)
    return finish(fig, out, "a2_employment", source_line(d, extra), top_in=0.62)


# ---- (c) stages --------------------------------------------------------------------------------
def stages_over_time(d: ChartData, out: Path) -> list[Path] | None:
    if d.stages is None or not len(d.stages):
        return None
    from model.outcomes import STAGES

    pair = [s for s in (d.baseline, d.position) if s in set(d.stages["scenario"])]
    if not pair:
        return None
    fig, axes = plt.subplots(1, len(pair), figsize=(6.6 * len(pair), 5.4), sharey=True, squeeze=False)
    z_lines: set[float] = set()
    for ax, s in zip(axes[0], pair):
        df = d.stages[d.stages["scenario"] == s]
        wide = df.pivot_table(index=["seed", "month"], columns="stage", values="share").reindex(
            columns=list(STAGES)).fillna(0.0)
        cum = wide.cumsum(axis=1)
        mean = wide.groupby(level="month").mean()
        months = mean.index.to_numpy()
        bottom = np.zeros(len(months))
        for stg in STAGES:
            color, hatch = STAGE_STYLE[stg]
            top = bottom + mean[stg].to_numpy()
            ax.fill_between(months, bottom, top, facecolor=color, edgecolor="#555555",
                            hatch=hatch, linewidth=0.0, label=i18n.STAGE_NAMES[stg][d.lang])
            bottom = top
        # uncertainty: 90% interval of each boundary between stages, over replications
        for stg in STAGES[:-1]:
            q = cum[stg].groupby(level="month").quantile([0.05, 0.95]).unstack()
            ax.fill_between(q.index, q[0.05], q[0.95], color="black", alpha=0.4, lw=0)
        z = z_route_months(d, s)
        if z is not None and z <= months.max():
            z_lines.add(z)
            ax.axvline(z, color="black", lw=0.9, ls=":")
            ax.text(z + 1, 2, t("z_route_ends", d.lang), fontsize=7.5, va="bottom",
                    bbox=dict(facecolor="white", alpha=0.85, lw=0, pad=1.5))
        ax.set_xlim(0, months.max())
        ax.set_ylim(0, 100)
        ax.set_xticks(np.arange(0, months.max() + 1, 12))
        ax.set_xlabel(t("months_since_permit", d.lang))
        panel_title(ax, d, s, fontsize=11)
    axes[0, 0].set_ylabel(t("share_working_age", d.lang))
    handles = [Patch(facecolor=STAGE_STYLE[s][0], hatch=STAGE_STYLE[s][1], edgecolor="#555555",
                     label=i18n.STAGE_NAMES[s][d.lang]) for s in STAGES][::-1]
    handles.append(Patch(color="black", alpha=0.4, label=("90%-interval van elke grens" if d.lang == "nl"
                                                          else "90% interval of each boundary")))
    fig.legend(handles=handles, loc="center right", frameon=False, fontsize=9,
               bbox_to_anchor=(1.0, 0.55))
    if d.lang == "nl":
        title = "Waar staat het cohort? 18-64-jarigen per fase, naar maanden sinds de vergunning"
        extra = ("Vlakken: gemiddeld aandeel over herhalingen. Ieder telt in precies één fase, de "
                 "eerste die geldt: vertrokken, werkt, onderwijs, leert Nederlands, opvang, bijstand, "
                 "gehuisvest. Bijstand telt per persoon, zoals het CBS telt: beide partners van een "
                 "paar in de bijstand, geen studenten met studiefinanciering.")
    else:
        title = "Where is the cohort? 18-64 year olds by stage, by months since the permit"
        extra = ("Areas: mean share over replications. Everyone is in exactly one stage, the first "
                 "that applies: left, work, education, learning Dutch, reception, bijstand, housed. "
                 "Bijstand is counted per person, as CBS counts it: both partners of a couple on "
                 "bijstand, no students on student finance.")
    if z_lines:
        extra += t("stages_z_route", d.lang).format(
            months="/".join(i18n.number(z, d.lang, 0) for z in sorted(z_lines)))
    figure_title(fig, title)
    return finish(fig, out, "c_stages", source_line(d, extra), top_in=0.45,
                   right=0.79 if len(pair) > 1 else 0.66)




def z_route_months(d: ChartData, scenario: str) -> float | None:
    """How long the Z route's course lasts in ``scenario`` (None where no Z route exists: the law
    of 2013): no one meets the obligation that way sooner, so the stages bend there."""
    from model.pathways.language import PARAMS

    cfg = d.configs.get(scenario) or {}
    law = (cfg.get("policy") or {}).get("law", "auto")
    year = (cfg.get("population") or {}).get("permit_year", d.permit_year)
    if (law == "auto" and int(year) < 2022) or law == "2013":
        return None
    declared = next(p.default for p in PARAMS if p.name == "z_route_months")
    return float(((cfg.get("params") or {}).get("language") or {}).get("z_route_months", declared))


# ---- (f) time to first job -------------------------------------------------------------------
def first_job_survival(d: ChartData, out: Path) -> list[Path]:
    df = d.times[d.times["event"] == "first_job"].assign(
        without=lambda x: 100.0 - x["share_reached"])
    b = band(df, ["scenario"], value="without")
    scen = d.scenarios
    nrows, ncols = grid_shape(len(scen), 5 if len(scen) > 8 else min(len(scen), 4))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols + 0.6, 2.55 * nrows + 1.5),
                             sharex=True, sharey=True, squeeze=False)
    base = b[b["scenario"] == d.baseline]
    for ax, s in zip(axes.flat, scen):
        st = style(s, scen)
        g = b[b["scenario"] == s]
        ax.fill_between(g["month"], g["p05"], g["p95"], color=st.color, alpha=0.22, linewidth=0,
                        step="post")
        if s != d.baseline and len(base):
            ax.step(base["month"], base["median"], where="post", color="black", lw=0.9, alpha=0.55)
        ax.step(g["month"], g["median"], where="post", color=st.color, ls=st.linestyle, lw=1.8)
        ax.plot(g["month"].iloc[::24], g["median"].iloc[::24], marker=st.marker, color=st.color,
                ls="", ms=5)
        ax.axhline(50, color="#999999", lw=0.6, ls=":")
        panel_title(ax, d, s)
        ax.grid(alpha=0.3)
        ax.set_ylim(0, 100)
        ax.set_xlim(0, int(df["month"].max()) if len(df) else 120)
        ax.set_xticks(np.arange(0, ax.get_xlim()[1] + 1, 24))
    label_month_grid(axes, len(scen), d,
                      "Nog zonder eerste baan (%)" if d.lang == "nl" else "Still without a first job (%)")
    handles = [Line2D([], [], color="#555555", lw=1.8, label=t("median", d.lang).capitalize()),
               Patch(color="#555555", alpha=0.25, label=t("band90", d.lang)),
               Line2D([], [], color="black", lw=0.9, alpha=0.55, label=t("baseline_median", d.lang).capitalize())]
    legend_top(fig, handles, 3)
    if d.lang == "nl":
        title = "Tijd tot de eerste baan: aandeel nog zonder eerste baan, naar maanden sinds de vergunning"
        extra = ("Volwassenen van 18-64 jaar bij hun vergunning; wie vertrekt of 65 wordt zonder baan telt "
                 "als 'nog zonder'. Waar de lijn 50% kruist, had de helft een eerste baan.")
    else:
        title = "Time to the first job: share still without a first job, by months since the permit"
        extra = ("Adults aged 18-64 at their permit; those who leave or reach 65 without a job count as "
                 "'still without'. Where the line crosses 50%, half had had a first job.")
    figure_title(fig, title)
    return finish(fig, out, "f_first_job", source_line(d, extra), top_in=0.62)
