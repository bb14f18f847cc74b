"""The offline map: township choropleth (inline GeoJSON, no tiles), venue points and markers on top.

Nothing here fetches anything: outlines travel inline in the spec, points as a data frame, and the projection is
fitted to the outlines, so the chart draws the same with the network cut.
"""

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard.charts import PALETTE, styled

TOWNSHIP_PARAM = "township"
VENUE_PARAM = "venue"
NO_DATA_FILL = "#D9D9D9"
# Five sequential blues, light (behind) → dark (ahead): the weakest townships are the palest.
CHOROPLETH_RANGE = ["#DEEBF7", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C"]
GROUP_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross"]
GROUP_COLORS = PALETTE[1:6]
STAGE_COLORS = ["#BDBDBD", "#E08E0B", "#2E8B57", "#B7312C"]  # 申报 → 建设中 → 已验收 → 已授牌
STAR = "M0,-1L0.24,-0.32L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.32Z"
CROSS = "M-1,-1L1,1M-1,1L1,-1"


def _only(frame: pd.DataFrame, *columns: str, tooltip: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    """The columns a layer draws or shows, nothing more (the rest would travel to the tablet for nothing)."""
    wanted = list(dict.fromkeys([*columns, *(field for field, _ in tooltip)]))
    return frame[[c for c in wanted if c in frame.columns]]


def township_layer(
    features: Sequence[Mapping],
    *,
    classes: Sequence[str],
    color_title: Sequence[str] | str,
    tooltip: Sequence[tuple[str, str]],
) -> alt.Chart:
    """Townships filled by their class ("value_class", `classes` low → high; grey when "value" is None),
    outlined; a click selects one (param "township"). tooltip: (field, title) pairs, shown in that order."""
    selection = alt.selection_point(name=TOWNSHIP_PARAM, fields=["code"], on="click", clear="dblclick")
    scale = alt.Scale(domain=list(classes), range=CHOROPLETH_RANGE[: len(classes)] if len(classes) > 1 else ["#6BAED6"])
    legend = alt.Legend(title=color_title, orient="right", symbolType="square", symbolSize=150)
    fill = (
        alt.when("datum.value == null")
        .then(alt.value(NO_DATA_FILL))
        .otherwise(alt.Color("value_class:O", scale=scale, legend=legend))
    )
    stroke = alt.when(selection, empty=False).then(alt.value("#111111")).otherwise(alt.value("#FFFFFF"))
    stroke_width = alt.when(selection, empty=False).then(alt.value(3.5)).otherwise(alt.value(1.2))
    return (
        alt.Chart(alt.Data(values=list(features)))
        .mark_geoshape(cursor="pointer")
        .encode(
            color=fill,
            stroke=stroke,
            strokeWidth=stroke_width,
            tooltip=[alt.Tooltip(f"{field}:N", title=title) for field, title in tooltip],
        )
        .add_params(selection)
    )


def label_layers(centres: pd.DataFrame) -> list[alt.Chart]:
    """Township names (code, name, lon, lat): a white halo under dark text, readable over any fill and point."""
    base = alt.Chart(_only(centres, "code", "name", "lon", "lat")).encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N"
    )
    text = {"fontSize": 13, "fontWeight": "bold", "dy": -12, "cursor": "pointer"}
    return [
        base.mark_text(**text, color="#FFFFFF", stroke="#FFFFFF", strokeWidth=4, strokeJoin="round", opacity=0.9),
        base.mark_text(**text, color="#1B2631"),
    ]


def venue_layer(
    points: pd.DataFrame,
    *,
    group_title: str,
    groups: Sequence[str],
    sized: bool,
    tooltip: Sequence[tuple[str, str]],
) -> alt.Chart:
    """Venue points (lon, lat, group_label, size, code): colour and shape by group (`groups`: every group label in
    a fixed order), size by `size` (fixed unless `sized`). A click selects one (param "venue")."""
    selection = alt.selection_point(name=VENUE_PARAM, fields=["code"], on="click", clear="dblclick")
    group = alt.Legend(title=group_title, orient="right", symbolSize=90)
    # Each group keeps its colour and shape whichever groups are toggled on; the legend lists the drawn ones.
    drawn = set(points["group_label"])
    kept = [(i, label) for i, label in enumerate(groups) if label in drawn]
    domain = [label for _, label in kept]
    colors = [GROUP_COLORS[i % len(GROUP_COLORS)] for i, _ in kept]
    shapes = [GROUP_SHAPES[i % len(GROUP_SHAPES)] for i, _ in kept]
    size = (
        alt.Size(
            "size:Q",
            scale=alt.Scale(type="sqrt", range=[30, 420], zero=True),
            legend=None,  # the caption says what the size is; a fourth legend would not fit beside a tablet map
        )
        if sized
        else alt.value(90)
    )
    return (
        alt.Chart(_only(points, "code", "lon", "lat", "group_label", "size", tooltip=tooltip))
        .mark_point(filled=True, opacity=0.9, stroke="#FFFFFF", strokeWidth=0.8, cursor="pointer")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color("group_label:N", scale=alt.Scale(domain=domain, range=colors), legend=group),
            shape=alt.Shape("group_label:N", scale=alt.Scale(domain=domain, range=shapes), legend=group),
            size=size,
            tooltip=[alt.Tooltip(f"{field}:N", title=title) for field, title in tooltip],
        )
        .add_params(selection)
    )


def site_layer(sites: pd.DataFrame, *, stage_title: str, stages: Sequence[str], tooltip) -> alt.Chart:
    """Demonstration sites (lon, lat, stage_label): a star coloured by stage."""
    return (
        alt.Chart(_only(sites, "code", "lon", "lat", "stage_label", tooltip=tooltip))
        .mark_point(shape=STAR, size=380, filled=True, stroke="#111111", strokeWidth=1, opacity=1)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            fill=alt.Fill(
                "stage_label:N",
                scale=alt.Scale(domain=list(stages), range=STAGE_COLORS[: len(stages)]),
                legend=alt.Legend(title=stage_title, orient="right", symbolType=STAR, symbolSize=140, columns=2),
            ),
            tooltip=[alt.Tooltip(f"{field}:N", title=title) for field, title in tooltip],
        )
    )


def marker_layer(markers: pd.DataFrame, *, tooltip) -> alt.Chart:
    """A red cross on townships that lack something (lon, lat, e.g. no library branch)."""
    return (
        alt.Chart(_only(markers, "code", "lon", "lat", tooltip=tooltip))
        .mark_point(shape=CROSS, size=260, stroke="#B7312C", strokeWidth=3.5)
        .encode(longitude="lon:Q", latitude="lat:Q", tooltip=[alt.Tooltip(f"{f}:N", title=t) for f, t in tooltip])
    )


def network_map(layers: Sequence[alt.Chart], *, height: int = 560) -> alt.LayerChart:
    """The layers (townships first) in one Mercator map fitted to the outlines; legends kept apart."""
    chart = (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(height=height, width="container")
        .resolve_scale(color="independent", shape="independent", size="independent", fill="independent")
    )
    # Legends share the chart's height with the map, so they are kept compact.
    return (
        styled(chart)
        .configure_view(stroke=None)
        .configure_legend(
            labelFontSize=12, titleFontSize=13, rowPadding=3, titlePadding=4, labelLimit=200, titleLimit=240
        )
    )


def trend_chart(series: pd.DataFrame, *, title: str, y_title: str, percent: bool = False) -> alt.Chart:
    """A monthly line (month, value)."""
    chart = (
        alt.Chart(series)
        .mark_line(point=True, color=PALETTE[1])
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%Y年%-m月", labelAngle=0)),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=".0%" if percent else ",.0f")),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title=title, format="%Y年%-m月"),
                alt.Tooltip("value:Q", title=y_title, format=".1%" if percent else ",.0f"),
            ],
        )
        .properties(height=260, width="container")
    )
    return styled(chart)


def funds_chart(funds: pd.DataFrame, *, y_title: str, labels: Mapping[str, str]) -> alt.Chart:
    """Yearly 万元 allocated / disbursed / spent as grouped bars (year, allocated, disbursed, spent)."""
    long = funds.melt(id_vars="year", value_vars=list(labels), var_name="measure", value_name="value")
    long["measure"] = long["measure"].map(labels)
    long["year"] = long["year"].astype(str)
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=list(labels.values())),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color("measure:N", sort=list(labels.values()), title=None),
            tooltip=[
                alt.Tooltip("year:N", title=None),
                alt.Tooltip("measure:N", title=None),
                alt.Tooltip("value:Q", title=y_title, format=",.2f"),
            ],
        )
        .properties(height=260, width="container")
    )
    return styled(chart)


def picked(event, param: str, known: set[str]) -> str | None:
    """The code a click selected with `param`, if it names one of `known`.

    Read dict-style (as AppTest sets it). In a layered chart every layer's click fills every point selection
    with the clicked datum's code, or leaves [{}]: a code that is not a township (or not a venue) is ignored.
    """
    try:
        selection = event["selection"]
    except (KeyError, TypeError):
        return None
    for item in selection.get(param) or []:
        code = item.get("code") if isinstance(item, Mapping) else None
        if code in known:
            return code
    return None
