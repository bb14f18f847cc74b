"""Numbers the Chinese way: 万 / 亿, units, one-decimal percentages. Pure functions, shared by UI and brief."""

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable


def big_number(value: float | None, unit: str = "", *, digits: int = 1) -> str:
    """12345 → '1.2万', 123456789 → '1.23亿'; below 10,000 the whole number with separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e8:
        text = f"{value / 1e8:.{digits + 1}f}亿"
    elif value >= 1e4:
        text = f"{value / 1e4:.{digits}f}万"
    elif float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{digits}f}"
    return f"{sign}{text}{unit}"


def percent(value: float | None, *, signed: bool = False) -> str:
    """0.0814 → '8.1%' (signed: '+8.1%')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"


def money(value: float | None) -> str:
    """万元 with up to two decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.2f}万元"


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change, None when the previous value is missing or zero."""
    if current is None or previous is None or previous == 0:
        return None
    return current / previous - 1


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def count(value: float | None, unit: str = "") -> str:
    """A count written out whole, however large (activities, sites): 10053 → '10,053场'; halves round up."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    whole = math.floor(abs(value) + 0.5)
    return f"{'-' if value < 0 and whole else ''}{whole:,}{unit}"


# Brackets stop links and images, < stops autolinks and HTML, the rest stop emphasis, code, tables, maths.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~$])")


def plain(text: object) -> str:
    """User or registry text shown literally in Streamlit's Markdown: every Markdown character is escaped, so a
    name like `![x](http://…)` can neither render as a link or image nor make the browser fetch anything."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def township_labels(codes: Iterable[str], names: Iterable[str]) -> dict[str, str]:
    """code → the name to show; a name that several townships share (a city's 城关镇) gets its code, as
    "城关镇（510199002）", the form the trend and ranking queries use."""
    pairs = list(zip(codes, names, strict=True))
    counts = Counter(name for _, name in pairs)
    return {code: f"{name}（{code}）" if counts[name] > 1 else name for code, name in pairs}
