"""Reporting periods: a month, a quarter, year-to-date or a whole year, always a run of whole months."""

import datetime as dt
import re
from dataclasses import dataclass

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    """The last day of `month`."""
    return add_months(month.replace(day=1), 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str  # month / quarter / ytd / year
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month

    @classmethod
    def month(cls, month: dt.date) -> "Period":
        first = month.replace(day=1)
        return cls("month", first, first)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = dt.date(year, 3 * quarter - 2, 1)
        return cls("quarter", start, add_months(start, 2))

    @classmethod
    def ytd(cls, month: dt.date) -> "Period":
        """January to `month` of its year (截至X月)."""
        return cls("ytd", dt.date(month.year, 1, 1), month.replace(day=1))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls("year", dt.date(year, 1, 1), dt.date(year, 12, 1))

    @classmethod
    def parse(cls, text: str) -> "Period":
        """`2026-10` (month), `2026-Q3` (quarter), `2026-ytd-10` or `2026-1-10` (Jan–Oct), `2026` (year)."""
        text = text.strip()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return cls.month(dt.date(int(m[1]), int(m[2]), 1))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(?:ytd-|1-)(\d{1,2})", text, flags=re.I):
            return cls.ytd(dt.date(int(m[1]), int(m[2]), 1))
        if m := re.fullmatch(r"(\d{4})", text):
            return cls.year(int(m[1]))
        raise ValueError(f"无法识别的统计期「{text}」：应为 2026-10、2026-Q3、2026-ytd-10 或 2026")

    def months(self) -> list[dt.date]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month)
            month = add_months(month, 1)
        return out

    def previous_year(self) -> "Period":
        """The same months one year earlier (for 同比)."""
        return Period(self.kind, self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1))

    def clipped(self, latest: dt.date) -> "Period":
        """The period cut at the latest month with data (a year in progress becomes its year-to-date)."""
        if self.end <= latest or latest < self.start:
            return self
        return Period(self.kind if self.kind != "year" else "ytd", self.start, latest.replace(day=1))

    def label(self) -> str:
        """2026年10月 / 2026年第三季度 / 2026年1—10月 / 2026年."""
        match self.kind:
            case "month":
                return f"{self.start.year}年{self.start.month}月"
            case "quarter":
                return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month + 2) // 3]}季度"
            case "ytd":
                if self.end.month == 1:
                    return f"{self.start.year}年1月"
                return f"{self.start.year}年1—{self.end.month}月"
        return f"{self.start.year}年"


KINDS = ("month", "quarter", "ytd", "year")


def ending(kind: str, month: dt.date, latest: dt.date) -> Period:
    """The month, its quarter, January to it, or its whole year — cut at the latest month with data."""
    match kind:
        case "month":
            period = Period.month(month)
        case "quarter":
            period = Period.quarter(month.year, (month.month + 2) // 3)
        case "ytd":
            period = Period.ytd(month)
        case "year":
            period = Period.year(month.year)
        case _:
            raise ValueError(f"unknown period kind {kind!r}")
    return period.clipped(latest)


def options(months: list[dt.date], kind: str) -> list[Period]:
    """The periods of `kind` that hold data, newest first, each cut at the latest month with data (the choices
    every page's period selector offers)."""
    if not months:
        return []
    latest = max(months)
    return list(dict.fromkeys(ending(kind, month, latest) for month in sorted(set(months), reverse=True)))


def title(period: Period) -> str:
    """Period.label(), saying so when a quarter is cut short by the latest month with data."""
    if period.kind == "quarter" and len(period.months()) < 3:
        return f"{period.label()}（截至{period.end.month}月）"
    return period.label()
