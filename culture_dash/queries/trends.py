"""Reads for the trends page: monthly series by split, and the venue / township rankings, aggregated in SQL."""

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from culture_dash.ingest.kinds import VENUE_TYPES
from culture_dash.queries.core import EVENT_COLUMNS
from models import MonthlyReport, Township, Venue

# The metrics a series or a ranking can show: the monthly columns, plus `activities` (the four event columns).
METRICS = (
    "visits",
    "loans",
    "new_cardholders",
    "activities",
    *EVENT_COLUMNS,
    "participants",
    "online_visits",
    "media_reports",
)
SPLITS = ("total", "type", "township", "venue")
LEVELS = ("venue", "township")

SERIES_COLUMNS = ["month", "series", "value", "reporting"]


def metric_expression(metric: str) -> sa.ColumnElement:
    """The per-row SQL value of `metric`; `activities` is NULL only when all four event columns are."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    if metric != "activities":
        return getattr(MonthlyReport, metric)
    columns = [getattr(MonthlyReport, c) for c in EVENT_COLUMNS]
    total = sum((sa.func.coalesce(c, 0) for c in columns[1:]), sa.func.coalesce(columns[0], 0))
    return sa.case((sa.and_(*[c.is_(None) for c in columns]), sa.null()), else_=total)


def _scope(
    stmt: sa.Select,
    *,
    venue_types: Sequence[str] = (),
    township_codes: Sequence[str] = (),
    venue_code: str | None = None,
) -> sa.Select:
    if venue_types:
        stmt = stmt.where(Venue.type.in_(list(venue_types)))
    if township_codes:
        stmt = stmt.where(Township.code.in_(list(township_codes)))
    if venue_code is not None:
        stmt = stmt.where(Venue.code == venue_code)
    return stmt


def get_months(*, session: Session) -> list[dt.date]:
    """Every month that has at least one report, oldest first."""
    stmt = sa.select(MonthlyReport.month).distinct().order_by(MonthlyReport.month)
    return list(session.execute(stmt).scalars())


def _township_label():
    """A township's name, with its code added when another township has the same name (a city or province
    registry repeats names like 城关镇): a chart's series must not merge two townships."""
    namesake = aliased(Township)
    others = (
        sa.select(sa.func.count())
        .select_from(namesake)
        .where(namesake.name == Township.name, namesake.code != Township.code)
        .scalar_subquery()
    )
    return sa.case((others > 0, Township.name + "（" + Township.code + "）"), else_=Township.name)


def get_metric_series(
    *,
    session: Session,
    metric: str,
    start: dt.date,
    end: dt.date,
    split: str = "total",
    venue_types: Sequence[str] = (),
    township_codes: Sequence[str] = (),
    venue_code: str | None = None,
) -> pd.DataFrame:
    """One row per (month, series) between `start` and `end`: the metric's sum and how many venues reported it.

    `split` groups the series: total (one series, `series` is empty), type (venue type), township (township
    name) or venue (venue name; give `venue_code`). Months in which no venue of a series reported the metric
    are left out rather than shown as zero.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    value = metric_expression(metric)
    series = {
        "total": sa.literal_column("''"),
        "type": Venue.type,
        "township": _township_label(),
        "venue": Venue.name,
    }[split]
    group = {
        "total": [],
        "type": [Venue.type],
        "township": [Township.code, Township.name],
        "venue": [Venue.code, Venue.name],
    }
    stmt = (
        sa.select(
            MonthlyReport.month,
            series.label("series"),
            sa.func.sum(value).label("value"),
            sa.func.count(value).label("reporting"),
        )
        .join(Venue, Venue.id == MonthlyReport.venue_id)
        .join(Township, Township.id == Venue.township_id)
        .where(MonthlyReport.month.between(start, end))
        .group_by(MonthlyReport.month, *group[split])
        .having(sa.func.count(value) > 0)
        .order_by(*(group[split][:1]), MonthlyReport.month)
    )
    stmt = _scope(stmt, venue_types=venue_types, township_codes=township_codes, venue_code=venue_code)
    frame = pd.DataFrame(session.execute(stmt).mappings().all(), columns=SERIES_COLUMNS)
    if split == "type":  # the registry's order of types, not the alphabet
        order = {name: i for i, name in enumerate(VENUE_TYPES)}
        frame = frame.sort_values(["series", "month"], key=lambda s: s.map(order) if s.name == "series" else s)
    frame["value"] = frame["value"].astype(float)
    frame["reporting"] = frame["reporting"].astype(int)
    return frame.reset_index(drop=True)


RANKING_COLUMNS = [
    "code",
    "name",
    "type",
    "township",
    "value",
    "reported_months",
    "cardholders",
    "card_value",
    "population",
]


def _venue_totals(
    *,
    metric: str,
    start: dt.date,
    end: dt.date,
    venue_types: Sequence[str],
    township_codes: Sequence[str],
) -> sa.Select:
    """Per venue: the metric over the period, months reported, and cardholders up to the period end.

    持证读者数 is the sum of 新增持证 over every month on record up to `end` (the data carries new cardholders
    only). A venue counts as card-issuing when it reported 新增持证 at least once by then; `card_value` is its
    metric over the period when it issues cards, so per-cardholder ratios divide like by like.
    """
    value = metric_expression(metric)
    in_period = MonthlyReport.month.between(start, end)
    period_value = sa.case((in_period, value), else_=sa.null())
    # Add up the monthly rows per venue id first and join the names to the 30,000 sums afterwards: grouping the
    # joined rows by seven columns (names included) took 1.7 s at province scale, this 0.5 s.
    totals = (
        sa.select(
            MonthlyReport.venue_id.label("venue_id"),
            sa.func.sum(period_value).label("value"),
            sa.func.count(period_value).label("reported_months"),
            sa.func.sum(MonthlyReport.new_cardholders).label("cardholders"),
        )
        .where(MonthlyReport.month <= end)
        .group_by(MonthlyReport.venue_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Venue.code.label("code"),
            Venue.name.label("name"),
            Venue.type.label("type"),
            Township.code.label("township_code"),
            _township_label().label("township"),  # rankings too tell two townships of one name apart
            Township.population.label("population"),
            totals.c.value,
            totals.c.reported_months,
            totals.c.cardholders,
            sa.case((totals.c.cardholders.is_(None), sa.null()), else_=totals.c.value).label("card_value"),
        )
        .join(Township, Township.id == Venue.township_id)
        .join(totals, totals.c.venue_id == Venue.id)
    )
    return _scope(stmt, venue_types=venue_types, township_codes=township_codes)


def _field(
    *,
    metric: str,
    start: dt.date,
    end: dt.date,
    level: str,
    venue_types: Sequence[str],
    township_codes: Sequence[str],
) -> sa.Select:
    """RANKING_COLUMNS for every venue (or township) in scope, in code order."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    venues = _venue_totals(
        metric=metric, start=start, end=end, venue_types=venue_types, township_codes=township_codes
    ).subquery()
    if level == "venue":
        stmt = sa.select(*[venues.c[c] for c in RANKING_COLUMNS]).order_by(venues.c.code)
    else:
        stmt = (
            sa.select(
                venues.c.township_code.label("code"),
                venues.c.township.label("name"),
                sa.literal(None, sa.String).label("type"),
                venues.c.township.label("township"),
                sa.func.sum(venues.c.value).label("value"),
                sa.func.sum(venues.c.reported_months).label("reported_months"),
                sa.func.sum(venues.c.cardholders).label("cardholders"),
                sa.func.sum(venues.c.card_value).label("card_value"),
                sa.func.max(venues.c.population).label("population"),
            )
            .group_by(venues.c.township_code, venues.c.township)
            .order_by(venues.c.township_code)
        )
    return stmt


def get_ranking(
    *,
    session: Session,
    metric: str,
    start: dt.date,
    end: dt.date,
    level: str = "venue",
    venue_types: Sequence[str] = (),
    township_codes: Sequence[str] = (),
) -> pd.DataFrame:
    """Every venue (or township) in scope with the metric over the period, for ranking.

    Columns: code, name, type (venue level), township, value (NULL when nothing was reported), reported_months
    (venue level: months with a value; township level: venue-months), cardholders (持证读者数, see
    `_venue_totals`), card_value (the metric of card-issuing venues only), population (the township's).
    """
    stmt = _field(
        metric=metric, start=start, end=end, level=level, venue_types=venue_types, township_codes=township_codes
    )
    frame = pd.DataFrame(session.execute(stmt).mappings().all(), columns=RANKING_COLUMNS)
    for column in ("value", "cardholders", "card_value", "population"):
        frame[column] = frame[column].astype(float)
    frame["reported_months"] = frame["reported_months"].astype(int)
    return frame


def get_townships(*, session: Session) -> pd.DataFrame:
    """code, name, population of every township, in code order."""
    stmt = sa.select(Township.code, Township.name, Township.population).order_by(Township.code)
    return pd.DataFrame(session.execute(stmt).mappings().all(), columns=["code", "name", "population"])


SORT_KEYS = ("value", "per_10k", "per_cardholder")


class TopRanking(NamedTuple):
    table: pd.DataFrame  # rank, RANKING_COLUMNS, per_10k, per_cardholder: the chosen rows, in the order shown
    ranked: int  # rows of the whole field with a value for the sort key
    with_value: int  # rows of the whole field with a value for the metric (0: nothing reported in the period)


def get_top_ranking(
    *,
    session: Session,
    metric: str,
    start: dt.date,
    end: dt.date,
    level: str = "venue",
    venue_types: Sequence[str] = (),
    by: str = "value",
    count: int = 10,
    bottom: bool = False,
) -> TopRanking:
    """The `count` best (or weakest, weakest first) venues or townships by `by`, ranked, limited in SQL.

    The same rows as `transforms.trends.top_bottom(get_ranking(...))` without loading the field (30,000 venues at
    province scale): per_10k is value ÷ the township's population × 10,000, per_cardholder is card_value ÷
    cardholders (NULL when the denominator is missing or zero); rows without a value for `by` are not ranked; rank 1
    is the highest and ties share a rank.
    """
    if by not in SORT_KEYS:
        raise ValueError(f"unknown sort key {by!r}")
    field = _field(
        metric=metric, start=start, end=end, level=level, venue_types=venue_types, township_codes=()
    ).subquery()
    population = sa.case((field.c.population > 0, field.c.population), else_=sa.null())
    cardholders = sa.case((field.c.cardholders > 0, field.c.cardholders), else_=sa.null())
    # The same operations in the same order as transforms.trends.with_ratios, so equal ratios tie the same way.
    ratios = sa.select(
        *field.c,
        (sa.cast(field.c.value, sa.Float) / population * 10_000).label("per_10k"),
        (sa.cast(field.c.card_value, sa.Float) / cardholders).label("per_cardholder"),
    ).subquery()
    key = ratios.c[by]
    windowed = sa.select(
        *ratios.c,
        sa.func.rank().over(order_by=key.desc().nulls_last()).label("rank"),
        sa.func.count(key).over().label("ranked"),
        sa.func.count(ratios.c.value).over().label("with_value"),
    ).subquery()
    order = (windowed.c[by].asc(), windowed.c.code.desc()) if bottom else (windowed.c[by].desc(), windowed.c.code)
    stmt = sa.select(windowed).where(windowed.c[by].is_not(None)).order_by(*order).limit(count)
    columns = ["rank", *RANKING_COLUMNS, "per_10k", "per_cardholder"]
    found = session.execute(stmt).mappings().all()
    frame = pd.DataFrame(found, columns=[*columns, "ranked", "with_value"])
    if found:
        ranked, with_value = int(found[0]["ranked"]), int(found[0]["with_value"])
    else:  # nothing ranked: whether anything was reported at all decides what the page says
        ranked = 0
        with_value = session.execute(sa.select(sa.func.count(field.c.value))).scalar_one()
    frame = frame[columns]
    for column in ("value", "cardholders", "card_value", "population", "per_10k", "per_cardholder"):
        frame[column] = frame[column].astype(float)
    for column in ("rank", "reported_months"):
        frame[column] = frame[column].astype(int)
    return TopRanking(frame, ranked, with_value)
