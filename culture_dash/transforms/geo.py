"""DataFrame → DataFrame for the map: metric values, choropleth features, venue points, coverage, misplaced venues."""

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from culture_dash import formatting, geo, periods


@dataclass(frozen=True)
class Metric:
    key: str
    per_capita: bool = True  # whether "per 10,000 residents" makes sense


METRICS = {
    m.key: m
    for m in (
        Metric("visits"),
        Metric("loans"),
        Metric("activities"),
        Metric("participants"),
        Metric("reporting_rate", per_capita=False),
        Metric("funds"),
    )
}

# The venue groups the map draws and toggles (the issue: library system / culture system / village rooms /
# 24-hour / mobile), each a set of registry types.
VENUE_GROUPS = {
    "library": ("图书馆", "图书馆直属分馆", "街镇图书分馆"),
    "culture": ("文化馆", "文化馆分馆", "综合文化站", "综合文化活动中心"),
    "village_room": ("村社区文化活动室", "村社区图书室"),
    "self_service": ("24小时自助图书馆",),
    "mobile": ("流动服务点",),
}
GROUP_OF_TYPE = {venue_type: group for group, types in VENUE_GROUPS.items() for venue_type in types}

# A venue within this distance of its own township still counts as inside: simplification moves edges a little.
INSIDE_TOLERANCE_DEG = 0.0005  # ~50 m


def _nones(index: pd.Index) -> pd.Series:
    # pandas 3 turns pd.Series(None, dtype=object) into NaN; the callers promise None.
    return pd.Series([None] * len(index), index=index, dtype=object)


def metric_values(frame: pd.DataFrame, metric: str) -> pd.Series:
    """The absolute value of `metric` per row of an aggregate frame (None where there is nothing to show)."""
    if metric == "reporting_rate":
        expected = frame["expected"].astype("Float64")
        return (frame["reports"].astype("Float64") / expected.where(expected > 0)).astype(float)
    return frame[metric].astype("Float64").astype(float)


def township_values(aggregates: pd.DataFrame, metric: str, *, per_10k: bool) -> pd.DataFrame:
    """code, name, kind, population, value: the metric per township, optionally per 10,000 residents."""
    values = metric_values(aggregates, metric)
    if per_10k and METRICS[metric].per_capita:
        population = aggregates["population"].astype("Float64").astype(float)
        values = values / population.where(population > 0) * 10_000
    result = aggregates[["code", "name", "kind", "population"]].copy()
    result["value"] = values.to_numpy()
    return result.reset_index(drop=True)


def format_value(value: float | None, metric: str, unit: str) -> str:
    """One value as the UI writes it: '1.2万人次', '93.5%', '12.30万元' ('—' when missing)."""
    if value is None or pd.isna(value):
        return "—"
    if metric == "reporting_rate":
        return formatting.percent(value)
    if metric == "funds":
        return f"{value:,.2f}{unit}"
    return formatting.big_number(round(float(value), 1), unit)


def value_text(values: pd.Series, metric: str, unit: str) -> pd.Series:
    """format_value for a column."""
    return values.map(lambda v: format_value(v, metric, unit)).astype(object)


def quantile_classes(values: pd.Series, metric: str, classes: int = 5) -> tuple[pd.Series, list[str]]:
    """Each value's quantile class as a label ('2.5万–3.8万'), and the labels low → high (None stays None).

    Classes rather than a continuous ramp: one urban township with ten times the visits would otherwise leave
    every other township the same pale shade, and "which township is behind" could not be read off the map.
    """
    valid = values.dropna().astype(float)
    labels = _nones(values.index)
    if valid.empty:
        return labels, []

    def text(value: float) -> str:
        return format_value(value, metric, "")

    edges = np.unique(np.quantile(valid, np.linspace(0, 1, classes + 1)))
    if len(edges) == 1:
        labels[valid.index] = text(edges[0])
        return labels, [text(edges[0])]
    names = [f"{text(low)}–{text(high)}" for low, high in zip(edges[:-1], edges[1:], strict=True)]
    positions = np.clip(np.searchsorted(edges, valid.to_numpy(), side="right") - 1, 0, len(names) - 1)
    labels[valid.index] = [names[i] for i in positions]
    return labels, names


def choropleth_features(outlines: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    """GeoJSON features (stored geometry) with the township's fields at the top level, for mark_geoshape.

    Fields sit beside `geometry` rather than under `properties` so encodings, tooltips and the click
    selection name them plainly ("code", "value").
    """
    fields = values.set_index("code")
    features = []
    for row in outlines.itertuples(index=False):
        feature = {"type": "Feature", "geometry": json.loads(row.boundary), "properties": {}, "code": row.code}
        if row.code in fields.index:
            for name, value in fields.loc[row.code].items():
                feature[name] = _plain(value)
        feature.setdefault("name", row.name)
        features.append(feature)
    return features


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def venue_points(venues: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Venues with a location: their group, the metric's absolute value and the point size (0 when missing)."""
    points = venues[venues["lon"].notna() & venues["lat"].notna()].copy()
    points["group"] = points["type"].map(GROUP_OF_TYPE)
    points["value"] = metric_values(points, metric).to_numpy()
    # Vega-Lite drops a mark whose quantitative field is null: a venue with nothing reported is drawn smallest.
    points["size"] = points["value"].fillna(0.0)
    points["lon"] = points["lon"].astype(float)
    points["lat"] = points["lat"].astype(float)
    return points.reset_index(drop=True)


def coverage_rates(coverage: pd.DataFrame) -> pd.DataFrame:
    """Adds rate = covered ÷ villages (None for a township without villages) and has_branch."""
    result = coverage.copy()
    villages = result["villages"].astype("Float64")
    result["rate"] = (result["covered"].astype("Float64") / villages.where(villages > 0)).astype(float).to_numpy()
    result["has_branch"] = result["branches"].astype(int) > 0
    return result


def outline_geometries(outlines: pd.DataFrame) -> dict[str, shapely.Geometry]:
    """code → shapely geometry of the stored outlines."""
    return {row.code: shape(json.loads(row.boundary)) for row in outlines.itertuples(index=False)}


def map_height(outlines: pd.DataFrame, *, plot_width: int = 600, low: int = 400, high: int = 640) -> int:
    """The chart height that lets the district fill a plot `plot_width` wide in Web Mercator (clamped)."""
    if outlines.empty:
        return low
    west, south, east, north = shapely.union_all(list(outline_geometries(outlines).values())).bounds
    if east <= west:
        return low

    def mercator_y(lat: float) -> float:
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    aspect = (mercator_y(north) - mercator_y(south)) / np.radians(east - west)
    return int(min(max(plot_width * aspect, low), high))


def township_centres(outlines: pd.DataFrame) -> pd.DataFrame:
    """code, lon, lat: a point surely inside each outline (for markers on a township)."""
    rows = []
    for code, geometry in outline_geometries(outlines).items():
        point = geometry.representative_point()
        rows.append({"code": code, "lon": round(point.x, 5), "lat": round(point.y, 5)})
    return pd.DataFrame(rows, columns=["code", "lon", "lat"])


def outside_own_township(
    outlines: pd.DataFrame, township_codes: pd.Series, lon: pd.Series, lat: pd.Series
) -> pd.Series:
    """Per point: None when it lies in (or within ~50 m of) its own township's outline or cannot be checked
    (no point, no outline); otherwise the code of the township it falls in, or "" when it is in none."""
    result = _nones(lon.index)
    geometries = outline_geometries(outlines)
    checkable = lon.notna() & lat.notna() & township_codes.isin(list(geometries))
    if not checkable.any():
        return result
    xs, ys = lon[checkable].astype(float).to_numpy(), lat[checkable].astype(float).to_numpy()
    own = [geometries[c] for c in township_codes[checkable]]
    inside = shapely.dwithin(own, shapely.points(xs, ys), INSIDE_TOLERANCE_DEG)
    found = geo.locate_points(xs, ys, geometries)
    for index, ok, where in zip(township_codes[checkable].index, inside, found, strict=True):
        if not ok:
            result[index] = where or ""
    return result


def misplaced_venues(venues: pd.DataFrame, outlines: pd.DataFrame) -> pd.DataFrame:
    """Venues whose point lies outside their own township's outline, with the township it falls in."""
    found = outside_own_township(outlines, venues["township_code"], venues["lon"], venues["lat"])
    names = dict(zip(outlines["code"], outlines["name"], strict=True))
    result = venues.loc[found.notna(), ["code", "name", "type", "township_name", "lon", "lat", "source_crs"]].copy()
    result = result.reset_index(drop=True)
    result["found_in"] = pd.Series([names.get(c) if c else None for c in found.dropna()], dtype=object)
    return result


def district_kpis(aggregates: pd.DataFrame) -> dict[str, float | None]:
    """The period's totals of the rows given (one township or all): every metric, plus population."""
    totals = {}
    for metric in ("visits", "loans", "activities", "participants", "funds"):
        column = aggregates[metric].astype("Float64")
        totals[metric] = None if column.isna().all() else float(column.sum())
    expected = int(aggregates["expected"].astype("Int64").sum())
    totals["reporting_rate"] = int(aggregates["reports"].astype("Int64").sum()) / expected if expected else None
    population = aggregates["population"].astype("Float64")
    totals["population"] = None if population.isna().all() else float(population.sum())
    return totals


def per_10k(value: float | None, population: float | None) -> float | None:
    if value is None or not population:
        return None
    return value / population * 10_000


def monthly_metric(series: pd.DataFrame, metric: str) -> pd.DataFrame:
    """month, value: one metric of get_monthly_series (reporting rate = received ÷ owed per month)."""
    return pd.DataFrame({"month": pd.to_datetime(series["month"]), "value": metric_values(series, metric).to_numpy()})


PERIOD_KINDS = periods.KINDS
period_ending = periods.ending


def ranking(aggregates: pd.DataFrame, metric: str, *, per_10k: bool) -> pd.DataFrame:
    """Townships weakest first: code, name, kind, population, value (as shown), total (absolute), rank."""
    shown = township_values(aggregates, metric, per_10k=per_10k)
    shown["total"] = township_values(aggregates, metric, per_10k=False)["value"].to_numpy()
    shown = shown.sort_values(["value", "code"], na_position="last", kind="stable").reset_index(drop=True)
    shown["rank"] = shown["value"].rank(method="min", ascending=False).astype("Int64")
    return shown


def venue_table(venues: pd.DataFrame) -> pd.DataFrame:
    """One township's venues with every metric of the period, busiest first (reporting rate in %)."""
    table = venues[["code", "name", "type", "village_name", "site_stage"]].copy()
    table[["village_name", "site_stage"]] = table[["village_name", "site_stage"]].astype(object).fillna("—")
    for metric in ("visits", "loans", "activities", "participants", "funds"):
        table[metric] = metric_values(venues, metric).to_numpy()
    table["reporting_rate"] = (metric_values(venues, "reporting_rate") * 100).round(1).to_numpy()
    return table.sort_values(["visits", "code"], ascending=[False, True], na_position="last").reset_index(drop=True)
