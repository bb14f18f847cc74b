"""Trends: reshaping already-aggregated monthly series and rankings (no database, no Streamlit)."""

import datetime as dt
from collections.abc import Callable

import pandas as pd

from culture_dash import periods
from culture_dash.formatting import big_number, plain
from culture_dash.periods import Period, add_months

MAX_MONTHS = 36  # the longest monthly series a chart draws
ROLLING_MONTHS = 12


def series_window(months: list[dt.date], end: dt.date, *, length: int = MAX_MONTHS) -> tuple[dt.date, dt.date]:
    """The first and last month a series chart shows: at most `length` months ending at `end`, none before the data."""
    start = add_months(end, -(length - 1))
    if months:
        start = max(start, months[0])
    return start, end


def label_total(series: pd.DataFrame, label: str) -> pd.DataFrame:
    """Name the unnamed series of a `total` split (the query leaves it empty)."""
    return series.assign(series=series["series"].mask(series["series"] == "", label))


def fold_small_series(
    series: pd.DataFrame, *, keep: int, other_label: Callable[[int], str]
) -> tuple[pd.DataFrame, int]:
    """Keep the `keep` largest series (by their sum over the window) and add the rest up into one series named
    `other_label(how many)`, so a chart split by 1,000 townships still draws `keep + 1` lines and no total is lost.

    Returns the frame (same columns; the kept series first, in descending order of size) and how many series
    were folded (0 when there were no more than `keep + 1`: folding a single series would only hide its name).
    """
    sizes = series.groupby("series", sort=False)["value"].sum().sort_values(ascending=False, kind="stable")
    if len(sizes) <= keep + 1:
        return series, 0
    kept = list(sizes.index[:keep])
    small = series[~series["series"].isin(kept)]
    sums = {"value": "sum", **({"reporting": "sum"} if "reporting" in series else {})}
    folded = len(sizes) - keep
    other = small.groupby("month", as_index=False).agg(sums).assign(series=other_label(folded))
    big = series[series["series"].isin(kept)].copy()
    big["series"] = pd.Categorical(big["series"], categories=kept, ordered=True)
    big = big.sort_values(["series", "month"], kind="stable").astype({"series": object})
    return pd.concat([big, other[series.columns]], ignore_index=True), folded


def _calendar(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def rolling_sum(series: pd.DataFrame, *, start: dt.date, end: dt.date, window: int = ROLLING_MONTHS) -> pd.DataFrame:
    """Per series, the sum of the `window` calendar months ending at each month.

    A month is shown only when all `window` months of its window have a value: a missing report would
    otherwise pass for a fall. Returns month, series, value, only for the months that have one.
    """
    calendar = _calendar(start, end)
    parts = []
    for name, group in series.groupby("series", sort=False):
        values = group.set_index("month")["value"].reindex(calendar)
        rolled = values.rolling(window, min_periods=window).sum().dropna()
        parts.append(pd.DataFrame({"month": rolled.index, "series": name, "value": rolled.to_numpy()}))
    if not parts:
        return pd.DataFrame({"month": [], "series": [], "value": []})
    return pd.concat(parts, ignore_index=True)


def year_overlay(series: pd.DataFrame, *, year: int, year_format: str) -> pd.DataFrame:
    """One series' months of `year` and the year before, keyed by month of year, for a 同比 overlay.

    `year_format` names the year in the legend (e.g. "{year}年"). Returns year, year_label, month_no, value.
    """
    chosen = series[series["month"].map(lambda m: m.year).isin([year - 1, year])]
    out = pd.DataFrame(
        {
            "year": chosen["month"].map(lambda m: m.year).astype(int),
            "month_no": chosen["month"].map(lambda m: m.month).astype(int),
            "value": chosen["value"].astype(float),
        }
    )
    out["year_label"] = out["year"].map(lambda y: year_format.format(year=y))
    return out[["year", "year_label", "month_no", "value"]].sort_values(["year", "month_no"]).reset_index(drop=True)


def seasonality(series: pd.DataFrame, *, unit: str = "", year_format: str = "{year}") -> pd.DataFrame:
    """One series as a month × year grid: year_label, month_no, value and the value written the Chinese way."""
    out = pd.DataFrame(
        {
            "year": series["month"].map(lambda m: m.year).astype(int),
            "month_no": series["month"].map(lambda m: m.month).astype(int),
            "value": series["value"].astype(float),
        }
    )
    out["year_label"] = out["year"].map(lambda y: year_format.format(year=y))
    out["label"] = out["value"].map(lambda v: big_number(v, unit))
    return out.sort_values(["year", "month_no"]).reset_index(drop=True)


SORT_KEYS = ("value", "per_10k", "per_cardholder")


def with_ratios(ranking: pd.DataFrame) -> pd.DataFrame:
    """Add per_10k (value per 10,000 residents of the township) and per_cardholder (card-issuing venues' value ÷
    持证读者数); a ratio is NaN when its denominator is missing or zero."""
    population = ranking["population"].where(ranking["population"] > 0)
    cardholders = ranking["cardholders"].where(ranking["cardholders"] > 0)
    return ranking.assign(
        per_10k=ranking["value"] / population * 10_000,
        per_cardholder=ranking["card_value"] / cardholders,
    )


def top_bottom(ranking: pd.DataFrame, *, by: str = "value", count: int = 10, bottom: bool = False) -> pd.DataFrame:
    """The `count` best (or weakest) rows by `by`, with their rank in the whole field (1 = highest; ties share).

    Rows without a value for `by` (nothing reported, no population, no cardholders) are not ranked. The weakest
    come weakest first.
    """
    if by not in SORT_KEYS:
        raise ValueError(f"unknown sort key {by!r}")
    ranked = with_ratios(ranking).dropna(subset=[by])
    ranked = ranked.sort_values([by, "code"], ascending=[False, True], kind="stable")
    ranked.insert(0, "rank", ranked[by].rank(method="min", ascending=False).astype(int))
    chosen = ranked.tail(count).iloc[::-1] if bottom else ranked.head(count)
    return chosen.reset_index(drop=True)


def venue_labels(table: pd.DataFrame, *, label_format: str) -> pd.DataFrame:
    """Add `label`: a venue's name with its type and township (two branches may share a name), written by
    `label_format` (e.g. "{name}（{type} · {township}）")."""
    labels = [
        label_format.format(name=n, type=k, township=w)
        for n, k, w in zip(table["name"], table["type"], table["township"], strict=True)
    ]
    return table.assign(label=labels)


PERIOD_KINDS = periods.KINDS


def period_options(kind: str, months: list[dt.date]) -> list[Period]:
    """The periods of `kind` that have data, newest first (periods.options)."""
    return periods.options(months, kind)


def is_partial_quarter(period: Period) -> bool:
    """A quarter cut short at the latest month with data (its label alone would claim the whole quarter)."""
    return period.kind == "quarter" and period.end.month % 3 != 0


# ── The venue profile ──────────────────────────────────────────────────────────────────────────────────────────


def venue_series(months: pd.DataFrame, metric: str, *, length: int = MAX_MONTHS) -> pd.DataFrame:
    """One venue's reported months of `metric` (the last `length` months of its record) as month, series, value."""
    reported = months.loc[months[metric].notna(), ["month", metric]].tail(length)
    return pd.DataFrame({"month": reported["month"], "series": metric, "value": reported[metric].astype(float)})


def recent_months(
    months: pd.DataFrame, metrics: list[str], *, labels: dict[str, str], month_format, note_label: str, count: int = 6
) -> pd.DataFrame:
    """The newest `count` reports turned sideways for a narrow screen: one row per metric (named by `labels`), one
    column per month (newest first, named by `month_format`), numbers written with separators, "—" when not
    reported; a last row of notes when any month has one."""
    recent = months.tail(count).iloc[::-1]
    columns = [month_format(m) for m in recent["month"]]
    rows = {labels[m]: [MISSING if pd.isna(v) else f"{v:,.0f}" for v in recent[m]] for m in metrics}
    if recent["note"].notna().any():
        rows[note_label] = [MISSING if pd.isna(v) else plain(v) for v in recent["note"]]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def flag_subsidies(subsidies: pd.DataFrame, *, disbursed_flag: str, spent_flag: str) -> pd.DataFrame:
    """Add `flag`: disbursed above allocated and/or spent above disbursed (the contract's anomaly warnings)."""
    over_allocated = subsidies["disbursed"].fillna(0) > subsidies["allocated"].fillna(0)
    over_disbursed = subsidies["spent"].fillna(0) > subsidies["disbursed"].fillna(0)
    flags = [
        "；".join(text for text, on in ((disbursed_flag, a), (spent_flag, s)) if on)
        for a, s in zip(over_allocated, over_disbursed, strict=True)
    ]
    return subsidies.assign(flag=flags)


def plan_completion(plans: pd.DataFrame) -> pd.DataFrame:
    """Add `rate` = completed ÷ planned (missing when nothing was planned)."""
    planned = plans["planned"].astype("Float64")
    rate = (plans["completed"].astype("Float64") / planned.where(planned > 0)).astype(float)
    return plans.assign(rate=rate)


# ── Static tables (st.table wraps long text to any width; its cells are Markdown) ─────────────────────────────

MISSING = "—"


def as_table(
    frame: pd.DataFrame, *, numbers: dict[str, str] | None = None, texts: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The columns of `numbers` (column → format, e.g. "{:,.0f}") and `texts` as display strings, a missing value
    as "—"; other columns unchanged, absent ones skipped. Text is Markdown-escaped for st.table."""
    out = frame.copy()
    for column, pattern in (numbers or {}).items():
        if column in frame:
            out[column] = [MISSING if pd.isna(v) else pattern.format(v) for v in frame[column]]
    for column in texts:
        if column in frame:
            out[column] = [MISSING if pd.isna(v) else plain(v) for v in frame[column]]
    return out


RANKING_FORMATS = {
    "rank": "{:d}",
    "value": "{:,.0f}",
    "reported_months": "{:d}",
    "population": "{:,.0f}",
    "per_10k": "{:,.1f}",
    "cardholders": "{:,.0f}",
    "per_cardholder": "{:.2f}",
}
