"""汇报模式: the meeting deck of a period — six slides built from the overview's queries and the pages' chart
builders — and its export to PPTX and PDF. No Streamlit: the page, the CLI and the tests build the same slides.

Slide text is Chinese, like the briefing: the deck is what the bureau projects and mails.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import NamedTuple

import altair as alt
import pandas as pd
import vl_convert
from sqlmodel import Session

from culture_dash import briefing
from culture_dash.formatting import big_number, count, money, percent
from culture_dash.ingest.kinds import TASK_STATUSES
from culture_dash.periods import Period
from culture_dash.queries import core
from culture_dash.queries import funds as funds_queries
from culture_dash.queries import plan as plan_queries
from culture_dash.queries import trends as trend_queries
from culture_dash.queries.overview import Scope, month_end
from culture_dash.transforms import funds as funds_transforms
from culture_dash.transforms import overview as transforms
from culture_dash.transforms import plan as plan_transforms
from culture_dash.transforms import trends as trend_transforms
from dashboard.charts import PALETTE
from dashboard.charts import funds as funds_charts
from dashboard.charts import overview as overview_charts
from dashboard.charts import trends as trend_charts

FONT = "Noto Sans CJK SC"
FONT_DIR = "/usr/share/fonts/opentype/noto"  # Debian's fonts-noto-cjk
FONT_FILES = {False: f"{FONT_DIR}/NotoSansCJK-Regular.ttc", True: f"{FONT_DIR}/NotoSansCJK-Bold.ttc"}
FONT_INDEX_SC = 2  # faces in the .ttc: JP, KR, SC, TC, HK
DEMO_NOTE = "示例数据"
# The size charts are drawn at for export (pixels before the ×2 scale): fills a 16:9 slide under the title.
EXPORT_WIDTH, EXPORT_HEIGHT = 1100, 430
RANKED = 16  # townships on the ranking slide (the demo district has 16)


class Kpi(NamedTuple):
    """One big number on a KPI slide: what it is, its value with unit, and a short note (同比 …)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Slide:
    key: str  # kpis / visits / activities / townships / funds / tasks
    title: str
    subtitle: str
    takeaway: str
    chart: alt.TopLevelMixin | None = None
    kpis: list[Kpi] = field(default_factory=list)


def yoy_note(current: float | None, previous: float | None) -> str:
    """同比 +8.1% / 同比 — (nothing to compare with)."""
    if current is None or previous is None or previous == 0:
        return "同比 —"
    return f"同比 {percent(current / previous - 1, signed=True)}"


def projector(chart: alt.TopLevelMixin, *, width: int | None = None, height: int | None = None) -> alt.TopLevelMixin:
    """The chart in large type for a projector, keeping its own config (palette); fixed size when given (export)."""
    chart = chart.copy(deep=True)
    if width is not None:
        chart = chart.properties(width=width)
    if height is not None:
        chart = chart.properties(height=height)
    if chart.config is alt.Undefined:
        chart = chart.configure()
    config = chart.config
    config.font = FONT
    config.axis = alt.AxisConfig(labelFontSize=18, titleFontSize=18, labelLimit=260)
    config.legend = alt.LegendConfig(labelFontSize=18, titleFontSize=18, symbolSize=200)
    config.title = alt.TitleConfig(fontSize=22)
    config.text = alt.MarkConfig(fontSize=18)
    return chart


def _bar_chart(frame: pd.DataFrame, *, category: str, value: str, label: str, axis: str, colour: str) -> alt.Chart:
    """Horizontal bars, largest first as given, the value written after each bar."""
    order = list(frame[category])
    top = float(max(frame[value].max(), 1)) * 1.2
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{label}:N", title=axis)],
    )
    bars = base.mark_bar(color=colour).encode(
        x=alt.X(f"{value}:Q", title=axis, scale=alt.Scale(domain=[0, top], nice=False), axis=alt.Axis(tickCount=6))
    )
    text = base.mark_text(align="left", dx=6, fontWeight="bold").encode(x=f"{value}:Q", text=f"{label}:N")
    return alt.layer(bars, text).properties(width="container", height=alt.Step(30))


def _subtitle(period: Period, demo: bool) -> str:
    parts = [transforms.period_title(period), "全区"]
    if demo:
        parts.append(DEMO_NOTE)
    return " · ".join(parts)


def build_slides(session: Session, *, period: Period) -> list[Slide]:
    """The deck of `period` (clip it to the latest month with data first) for the whole district."""
    data = briefing.collect(session, period, Scope())
    subtitle = _subtitle(period, core.is_demo_database(session=session))
    year, last_day = period.start.year, month_end(period.end)
    title = transforms.period_title(period)
    kpi = transforms.metric_kpis(data.current, data.previous, data.current.iloc[0:0]).set_index("metric")
    completion = transforms.activity_completion(data.current, data.plan, months=len(period.months()))
    total = completion.set_index("category").loc["合计"]
    slides = [
        _kpi_slide(kpi, total, data, subtitle, title),
        _visits_slide(session, period, kpi, subtitle),
        _activities_slide(completion, total, subtitle, title),
        _townships_slide(data.townships, subtitle, title),
        _funds_slide(session, year, subtitle),
        _tasks_slide(session, year, last_day, subtitle),
    ]
    return slides


def _kpi_slide(kpi: pd.DataFrame, total: pd.Series, data: briefing.BriefingData, subtitle: str, title: str) -> Slide:
    def monthly(metric: str, label: str, whole: bool = False) -> Kpi:
        row = kpi.loc[metric]
        value = count(row.value, row.unit) if whole else big_number(row.value, row.unit)
        return Kpi(label, value, yoy_note(row.value, row.previous))

    execution = transforms.execution_rate(data.funds)
    tasks = transforms.task_completion(data.tasks)
    kpis = [
        monthly("visits", "到馆人次"),
        monthly("loans", "借还册次"),
        monthly("new_cardholders", "新增持证读者"),
        monthly("activities", "举办活动", whole=True),
        monthly("participants", "活动参与人次"),
        Kpi("活动计划完成率", percent(total["rate"]), f"{count(total['held'])} / {count(total['planned'], '场')}"),
        Kpi("资金执行率", percent(execution), f"已支出 {money(data.funds['spent'])}"),
        Kpi("到期任务完成率", percent(tasks), f"{data.tasks['due_done']} / {data.tasks['due']} 项"),
    ]
    visits = kpi.loc["visits"]
    if visits.value is None:
        return Slide("kpis", "主要指标", subtitle, f"{title}全区暂无到馆数据。", kpis=kpis)
    phrase = briefing.yoy_phrase(visits.value, visits.previous)
    takeaway = f"{title}全区公共文化场馆接待到馆{big_number(visits.value, '人次')}" + (f"，{phrase}" if phrase else "")
    return Slide("kpis", "主要指标", subtitle, takeaway + "。", kpis=kpis)


def _visits_slide(session: Session, period: Period, kpi: pd.DataFrame, subtitle: str) -> Slide:
    year = period.end.year
    series = trend_queries.get_metric_series(
        session=session, metric="visits", start=dt.date(year - 1, 1, 1), end=period.end, split="total"
    )
    overlay = trend_transforms.year_overlay(series, year=year, year_format="{year}年")
    chart = trend_charts.year_overlay(overlay, title="", month_title="月份", value_title="到馆人次", year_title="年份")
    chart = chart.properties(width="container")
    this_year = overlay.loc[overlay["year"] == year, "value"].sum()
    months = overlay.loc[overlay["year"] == year, "month_no"]
    last_year = overlay.loc[(overlay["year"] == year - 1) & overlay["month_no"].isin(months), "value"].sum()
    phrase = briefing.yoy_phrase(float(this_year), float(last_year)) if len(months) else ""
    span = f"{year}年1—{period.end.month}月" if period.end.month > 1 else f"{year}年1月"
    if len(months):
        takeaway = f"{span}累计到馆{big_number(float(this_year), '人次')}" + (f"，{phrase}" if phrase else "") + "。"
    else:
        takeaway = f"{span}暂无到馆数据。"
    return Slide("visits", f"到馆人次：{year}年与{year - 1}年逐月对比", subtitle, takeaway, chart=chart)


def _activities_slide(completion: pd.DataFrame, total: pd.Series, subtitle: str, title: str) -> Slide:
    labels = {"category": "类别", "held": "已举办", "planned": "序时计划", "rate": "完成率", "axis": "活动场次（场）"}
    chart = overview_charts.activity_completion_chart(completion, labels=labels)
    takeaway = f"{title}共举办活动{count(total['held'], '场')}"
    if total["planned"] > 0:
        takeaway += f"，序时计划{count(total['planned'], '场')}，完成{percent(total['rate'])}"
    return Slide("activities", "各类活动：已举办与序时计划", subtitle, takeaway + "（竖线为序时计划）。", chart=chart)


def _townships_slide(townships: pd.DataFrame, subtitle: str, title: str) -> Slide:
    ranking = transforms.township_ranking(townships).head(RANKED)
    if ranking.empty:
        return Slide("townships", "各街镇每万常住人口到馆人次", subtitle, f"{title}暂无可排名的街镇数据。")
    ranking = ranking.assign(per_10k=ranking["per_10k"].round(1))
    ranking["label"] = [f"{v:,.1f}" for v in ranking["per_10k"]]
    chart = _bar_chart(
        ranking, category="name", value="per_10k", label="label", axis="每万常住人口到馆人次", colour=PALETTE[0]
    )
    best, weakest = ranking.iloc[0], ranking.iloc[-1]
    takeaway = (
        f"{title}每万人到馆最高：{best['name']} {best['per_10k']:,.1f}人次；"
        f"最低：{weakest['name']} {weakest['per_10k']:,.1f}人次。"
    )
    return Slide("townships", "各街镇每万常住人口到馆人次", subtitle, takeaway, chart=chart)


def _funds_slide(session: Session, year: int, subtitle: str) -> Slide:
    by_source = funds_transforms.in_order(funds_queries.get_funds_by(session=session, year=year, by="source"), "source")
    title = f"{year}年专项资金执行情况（按来源）"
    if by_source.empty:
        return Slide("funds", title, subtitle, f"{year}年暂无资金数据。")
    measures = {"allocated": "下达", "disbursed": "拨付", "spent": "支出"}
    long = funds_transforms.long_amounts(by_source, "source", measures)
    labels = {"key": "资金来源", "measure": "金额", "amount": "万元", "axis": "金额（万元）"}
    chart = funds_charts.amounts_chart(long, key="source", order=list(by_source["source"]), labels=labels, step=26)
    totals = funds_transforms.totals(by_source)
    takeaway = (
        f"{year}年下达{money(totals['allocated'])}，已拨付{money(totals['disbursed'])}，"
        f"已支出{money(totals['spent'])}，执行率{percent(totals['execution'])}。"
    )
    return Slide("funds", title, subtitle, takeaway, chart=chart)


def _tasks_slide(session: Session, year: int, last_day: dt.date, subtitle: str) -> Slide:
    # Overdue as it stood at the period's end, so an old period's deck does not change with today's date.
    ledger = plan_transforms.ledger(plan_queries.get_tasks(session=session, year=year), today=last_day)
    counts = plan_transforms.status_counts(ledger)
    title = f"{year}年重点任务进展"
    if not counts["total"]:
        return Slide("tasks", title, subtitle, f"{year}年暂无重点任务。")
    kpis = [Kpi("重点任务", f"{counts['total']}项", f"完成率 {percent(counts['completion'])}")]
    kpis += [Kpi(status, f"{counts[status]}项") for status in reversed(TASK_STATUSES)]
    kpis.append(Kpi("逾期未完成", f"{counts['overdue']}项", f"截至{last_day.month}月{last_day.day}日"))
    takeaway = (
        f"{year}年重点任务{counts['total']}项，已完成{counts['已完成']}项，"
        f"滞后{counts['滞后']}项，逾期{counts['overdue']}项。"
    )
    return Slide("tasks", title, subtitle, takeaway, kpis=kpis)


# ── Export ─────────────────────────────────────────────────────────────────────────────────────────────────────

_fonts_registered = False


def _register_fonts() -> None:
    global _fonts_registered
    if not _fonts_registered:
        vl_convert.register_font_directory(FONT_DIR)
        _fonts_registered = True


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    """The chart drawn offline at export size, ×2 for a sharp projector image."""
    _register_fonts()
    fixed = projector(chart, width=EXPORT_WIDTH, height=EXPORT_HEIGHT)
    return vl_convert.vegalite_to_png(fixed.to_json(), scale=2)


def chart_pngs(slides: list[Slide]) -> list[bytes | None]:
    return [chart_png(s.chart) if s.chart is not None else None for s in slides]


def deck_pptx(slides: list[Slide], *, pngs: list[bytes | None] | None = None) -> bytes:
    """A 16:9 PowerPoint deck, one slide per Slide: title, subtitle, chart picture or KPI text boxes, takeaway."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    pngs = pngs if pngs is not None else chart_pngs(slides)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def text(slide, left, top, width, height, content, size, *, bold=False, colour="111827", align=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = content
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = RGBColor.from_string(colour)
        # python-pptx names the Latin face only; PowerPoint picks CJK glyphs from the East Asian one.
        latin = run.font._rPr.get_or_add_latin()
        latin.addnext(latin.makeelement(qn("a:ea"), {"typeface": FONT}))
        return box

    for slide_data, png in zip(slides, pngs, strict=True):
        slide = prs.slides.add_slide(blank)
        text(slide, 0.6, 0.35, 12.1, 0.9, slide_data.title, 36, bold=True)
        text(slide, 0.6, 1.15, 12.1, 0.5, slide_data.subtitle, 18, colour="6B7280")
        if png is not None:
            _add_picture(slide, png, Inches)
        elif slide_data.kpis:
            _add_kpi_boxes(slide, slide_data.kpis, text)
        text(slide, 0.6, 6.55, 12.1, 0.8, slide_data.takeaway, 22, bold=True, colour="B7312C")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _add_picture(slide, png: bytes, inches) -> None:
    from PIL import Image

    width_px, height_px = Image.open(io.BytesIO(png)).size
    box_left, box_top, box_width, box_height = 0.6, 1.75, 12.1, 4.7
    scale = min(box_width / width_px, box_height / height_px)
    width, height = width_px * scale, height_px * scale
    left = box_left + (box_width - width) / 2
    slide.shapes.add_picture(io.BytesIO(png), inches(left), inches(box_top), inches(width), inches(height))


def _add_kpi_boxes(slide, kpis: list[Kpi], text) -> None:
    columns = 4 if len(kpis) > 4 else len(kpis)
    width = 12.1 / columns
    for i, kpi in enumerate(kpis):
        left, top = 0.6 + (i % columns) * width, 1.9 + (i // columns) * 2.3
        text(slide, left, top, width - 0.2, 0.5, kpi.label, 20, colour="374151")
        text(slide, left, top + 0.5, width - 0.2, 0.9, kpi.value, 40, bold=True, colour="1F5AA6")
        if kpi.note:
            text(slide, left, top + 1.4, width - 0.2, 0.5, kpi.note, 16, colour="6B7280")


# The PDF: each slide drawn as a 1920×1080 image with Pillow (already a dependency of streamlit) and saved as
# one PDF page per slide — no PDF library needed.
PAGE = (1920, 1080)


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(FONT_FILES[bold], size, index=FONT_INDEX_SC)


def _wrapped(draw, content: str, font, width: int) -> list[str]:
    """Chinese wraps at any character: break the line when the next one would pass `width` pixels."""
    lines, line = [], ""
    for char in content:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def slide_image(slide: Slide, png: bytes | None):
    """One slide as a 16:9 RGB image: what the PDF page shows."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(image)
    margin, inner = 90, PAGE[0] - 180
    draw.text((margin, 50), slide.title, font=_font(62, bold=True), fill="#111827")
    draw.text((margin, 145), slide.subtitle, font=_font(32), fill="#6B7280")
    box_top, box_bottom = 220, 900
    if png is not None:
        chart = Image.open(io.BytesIO(png)).convert("RGB")
        scale = min(inner / chart.width, (box_bottom - box_top) / chart.height)
        chart = chart.resize((int(chart.width * scale), int(chart.height * scale)), Image.Resampling.LANCZOS)
        image.paste(chart, (margin + (inner - chart.width) // 2, box_top))
    elif slide.kpis:
        columns = 4 if len(slide.kpis) > 4 else len(slide.kpis)
        width = inner // columns
        for i, kpi in enumerate(slide.kpis):
            left, top = margin + (i % columns) * width, box_top + 40 + (i // columns) * 320
            draw.text((left, top), kpi.label, font=_font(36), fill="#374151")
            draw.text((left, top + 60), kpi.value, font=_font(72, bold=True), fill="#1F5AA6")
            if kpi.note:
                draw.text((left, top + 170), kpi.note, font=_font(30), fill="#6B7280")
    takeaway_font = _font(40, bold=True)
    for i, line in enumerate(_wrapped(draw, slide.takeaway, takeaway_font, inner)[:2]):
        draw.text((margin, 925 + i * 58), line, font=takeaway_font, fill="#B7312C")
    return image


def deck_pdf(slides: list[Slide], *, pngs: list[bytes | None] | None = None) -> bytes:
    """A PDF of one 16:9 page per slide (the slide images, 144 dpi: 13.333 × 7.5 in)."""
    pngs = pngs if pngs is not None else chart_pngs(slides)
    images = [slide_image(s, png) for s, png in zip(slides, pngs, strict=True)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=144)
    return buffer.getvalue()


def export(slides: list[Slide], fmt: str) -> bytes:
    """pptx or pdf bytes."""
    if fmt == "pptx":
        return deck_pptx(slides)
    if fmt == "pdf":
        return deck_pdf(slides)
    raise ValueError(f"unknown format {fmt!r}")


def period_arg(period: Period) -> str:
    """The period as `culture-dash deck --period` takes it (and in file names): 2026-10, 2026-Q3, 2026-ytd-10, 2026."""
    year = period.start.year
    return {
        "month": f"{period.end:%Y-%m}",
        "quarter": f"{year}-Q{(period.start.month + 2) // 3}",
        "ytd": f"{year}-ytd-{period.end.month}",
        "year": f"{year}",
    }[period.kind]
