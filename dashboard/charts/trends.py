"""Trend charts: monthly lines, this year over last year, 12-month rolling sums, a month × year heatmap.

Builders take already-aggregated frames (one row per drawn point) and every label from the caller, so they carry
no UI text of their own. Months are drawn in UTC so a browser's time zone never shifts them into the month before.
"""

import math

import altair as alt
import pandas as pd

from dashboard.charts import PALETTE

# Up to 16 series (the district's townships) stay distinguishable: the house palette, then darker companions.
SERIES_PALETTE = [
    *PALETTE,
    "#7F1D1D",
    "#0B3D91",
    "#9A5B00",
    "#14532D",
    "#3F1D68",
    "#005F66",
    "#4B2E22",
    "#8E1B4F",
]
MAX_SERIES = len(SERIES_PALETTE)  # lines one chart tells apart; more are folded into "other" before drawing
LAST_YEAR_COLOUR = "#6B7280"
LEGEND_COLUMNS = 6
LEGEND_ROW_HEIGHT = 30
MONTH_FORMAT = "%Y年%-m月"
# Axis numbers the Chinese way: 12000 → 1.2万, 300000000 → 3亿 (Vega's SI "k"/"M" mean nothing to the reader).
WAN_LABELS = (
    "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, '~g') + '亿'"
    " : abs(datum.value) >= 1e4 ? format(datum.value / 1e4, '~g') + '万' : format(datum.value, ',~g')"
)


def _months(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(month=pd.to_datetime(frame["month"]))


def _month_axis(title: str) -> alt.X:
    return alt.X(
        "utcyearmonth(month):T",
        title=title,
        axis=alt.Axis(format=MONTH_FORMAT, labelAngle=0, labelOverlap=True, tickCount={"interval": "month", "step": 3}),
    )


def _series_colour(series: list[str], title: str) -> alt.Color | alt.ColorValue:
    if len(series) <= 1:
        return alt.value(PALETTE[0])
    return alt.Color(
        "series:N",
        title=title,
        sort=series,
        scale=alt.Scale(domain=series, range=SERIES_PALETTE[: len(series)]),
        legend=alt.Legend(
            orient="bottom", columns=min(len(series), LEGEND_COLUMNS), labelLimit=200, symbolStrokeWidth=3
        ),
    )


def monthly_lines(
    frame: pd.DataFrame,
    *,
    title: str,
    month_title: str,
    value_title: str,
    series_title: str,
    reporting_title: str | None = None,
    height: int = 340,
) -> alt.Chart:
    """One line per series over months; `frame` has month, series, value (and reporting when titled)."""
    series = list(dict.fromkeys(frame["series"]))
    highlight = alt.selection_point(fields=["series"], bind="legend")
    tooltip = [
        alt.Tooltip("series:N", title=series_title),
        alt.Tooltip("utcyearmonth(month):T", title=month_title, format=MONTH_FORMAT),
        alt.Tooltip("value:Q", title=value_title, format=",.0f"),
    ]
    if reporting_title is not None:
        tooltip.append(alt.Tooltip("reporting:Q", title=reporting_title, format=",d"))
    # Streamlit fits title, axes and legend inside `height`: give each legend row its own room.
    legend_rows = math.ceil(len(series) / LEGEND_COLUMNS) if len(series) > 1 else 0
    chart = (
        alt.Chart(_months(frame), title=title, height=height + LEGEND_ROW_HEIGHT * legend_rows)
        .mark_line(point=alt.OverlayMarkDef(size=36), strokeWidth=2.5)
        .encode(
            x=_month_axis(month_title),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(labelExpr=WAN_LABELS)),
            color=_series_colour(series, series_title),
            tooltip=tooltip,
        )
    )
    if len(series) > 1:
        chart = chart.encode(opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15))).add_params(highlight)
    return chart


def year_overlay(
    frame: pd.DataFrame,
    *,
    title: str,
    month_title: str,
    value_title: str,
    year_title: str,
    height: int = 370,
) -> alt.Chart:
    """This year over last year by month of year; `frame` has year, year_label, month_no, value."""
    labels = list(dict.fromkeys(frame.sort_values("year", ascending=False)["year_label"]))
    colours = [PALETTE[0], LAST_YEAR_COLOUR][: len(labels)]
    return (
        alt.Chart(frame, title=title, height=height)
        .mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5)
        .encode(
            x=alt.X(
                "month_no:O",
                title=month_title,
                sort=list(range(1, 13)),
                scale=alt.Scale(domain=list(range(1, 13))),
                axis=alt.Axis(labelExpr="datum.value + '月'", labelAngle=0),
            ),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(labelExpr=WAN_LABELS)),
            color=alt.Color(
                "year_label:N",
                title=year_title,
                sort=labels,
                scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "year_label:N", sort=labels, scale=alt.Scale(domain=labels, range=[[1, 0], [6, 4]]), legend=None
            ),
            tooltip=[
                alt.Tooltip("year_label:N", title=year_title),
                alt.Tooltip("month_no:O", title=month_title),
                alt.Tooltip("value:Q", title=value_title, format=",.0f"),
            ],
        )
    )


def seasonality_heatmap(
    frame: pd.DataFrame,
    *,
    title: str,
    month_title: str,
    year_title: str,
    value_title: str,
    height: int | None = None,
) -> alt.Chart:
    """Months across, years down, coloured by value and written in each cell; `frame` from
    transforms.trends.seasonality (year, year_label, month_no, value, label)."""
    years = list(dict.fromkeys(frame.sort_values("year")["year_label"]))
    threshold = float(frame["value"].min() + 0.6 * (frame["value"].max() - frame["value"].min())) if len(frame) else 0
    base = alt.Chart(frame, height=height or 90 + 44 * max(len(years), 1)).encode(
        x=alt.X(
            "month_no:O",
            title=month_title,
            scale=alt.Scale(domain=list(range(1, 13))),
            axis=alt.Axis(labelExpr="datum.value + '月'", labelAngle=0, orient="top"),
        ),
        y=alt.Y("year_label:O", title=year_title, sort=years),
        tooltip=[
            alt.Tooltip("year_label:O", title=year_title),
            alt.Tooltip("month_no:O", title=month_title),
            alt.Tooltip("value:Q", title=value_title, format=",.0f"),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="orangered"), legend=None)
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition(alt.datum.value > threshold, alt.value("white"), alt.value("#111827")),
    )
    return alt.layer(cells, text, title=title)
