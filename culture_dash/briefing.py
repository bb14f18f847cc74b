"""工作简报: the summary paragraph of a period, in the register of a Chinese government work summary.

`collect` runs the queries; `compose` is a pure function of their results, so the page and the CLI print the
same text and a test can check every number in it against its own SQL.
"""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from culture_dash.formatting import big_number, count, money, percent
from culture_dash.ingest.kinds import EVENT_CATEGORIES
from culture_dash.periods import Period
from culture_dash.queries import overview as queries
from culture_dash.queries.overview import Scope, month_end
from culture_dash.transforms import overview as transforms

SYSTEM_NAMES = {"library": "公共图书馆总分馆体系", "culture": "文化馆总分馆体系"}
RANKED = 2  # townships named at each end of the ranking


@dataclass(frozen=True)
class BriefingData:
    """Query results for one period and scope: everything `compose` needs."""

    period: Period
    scope: Scope
    township_name: str | None
    current: pd.DataFrame  # monthly totals of the period
    previous: pd.DataFrame  # monthly totals of the same months a year earlier
    network: pd.DataFrame  # venues per type open by the period's end
    plan: pd.DataFrame  # planned activities of the year per category
    funds: dict
    tasks: dict
    townships: pd.DataFrame  # visits and population per township


def collect(session: Session, period: Period, scope: Scope) -> BriefingData:
    """Run the briefing's queries (the period should already be clipped to the latest month with data)."""
    year, last_day = period.start.year, month_end(period.end)
    previous = period.previous_year()
    townships = queries.get_townships(session=session)
    names = dict(zip(townships["code"], townships["name"], strict=True))
    return BriefingData(
        period=period,
        scope=scope,
        township_name=names.get(scope.township) if scope.township else None,
        current=queries.get_monthly_totals(session=session, scope=scope, start=period.start, end=period.end),
        previous=queries.get_monthly_totals(session=session, scope=scope, start=previous.start, end=previous.end),
        network=queries.count_venues_by_type(session=session, scope=scope, as_of=last_day),
        plan=queries.get_activity_plan(session=session, scope=scope, year=year),
        funds=queries.get_funds(session=session, scope=scope, year=year),
        tasks=queries.count_tasks(session=session, year=year, due_by=last_day),
        townships=queries.get_township_visits(session=session, scope=scope, start=period.start, end=period.end),
    )


def period_phrase(period: Period) -> str:
    """How the paragraph opens: 2026年10月 / 2026年第三季度 / 截至2026年10月 / 2026年."""
    if period.kind == "ytd":
        return f"截至{period.end.year}年{period.end.month}月"
    return transforms.period_title(period)


def yoy_phrase(current: float | None, previous: float | None) -> str:
    """同比增长 8.1% / 同比下降 3.2% / 与去年同期持平; empty when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return ""
    rate = current / previous - 1
    if round(rate * 100, 1) == 0:
        return "与去年同期持平"
    return f"同比增长{percent(rate)}" if rate > 0 else f"同比下降{percent(-rate)}"


def _with_yoy(text: str, kpi) -> str:
    phrase = yoy_phrase(kpi.value, kpi.previous)
    return f"{text}，{phrase}" if phrase else text


def _subject(data: BriefingData) -> tuple[str, str]:
    """(where, what): 全区 / 青溪街道, and 公共文化场馆 / 公共图书馆总分馆体系 / 综合文化站."""
    where = data.township_name or "全区"
    if data.scope.venue_type:
        what = data.scope.venue_type
    elif data.scope.system:
        what = SYSTEM_NAMES[data.scope.system]
    else:
        what = "公共文化场馆"
    return where, what


def _services(data: BriefingData, kpi: pd.DataFrame, where: str, what: str) -> str:
    parts = []
    for metric, text in (("visits", "接待到馆"), ("loans", "图书借还"), ("new_cardholders", "新增持证读者")):
        row = kpi.loc[metric]
        if row.value is not None:
            parts.append(_with_yoy(f"{text}{big_number(row.value, row.unit)}", row))
    if not parts:
        return ""
    return f"{period_phrase(data.period)}，{where}{what}" + "；".join(parts) + "。"


def _network(data: BriefingData, where: str, what: str) -> str:
    if data.network.empty:
        return ""
    total = count(data.network["venues"].sum(), "个")
    sentence = f"{where}{what}现有场馆{total}" if data.scope.system else f"{where}现有{what}{total}"
    if len(data.network) > 1:
        items = "、".join(f"{row.type}{count(row.venues, '个')}" for row in data.network.itertuples())
        sentence += f"，其中{items}"
    return sentence + "。"


def _activities(data: BriefingData, kpi: pd.DataFrame, where: str) -> str:
    months = len(data.period.months())
    completion = transforms.activity_completion(data.current, data.plan, months=months).set_index("category")
    total = completion.loc["合计"]
    sentence = _with_yoy(f"{where}共举办各类活动{count(total['held'], '场')}", kpi.loc["activities"])
    if total["planned_year"] > 0:
        if months == 12:
            sentence += f"，完成年度计划{count(total['planned_year'], '场')}的{percent(total['rate'])}"
        else:
            sentence += (
                f"，年度计划{count(total['planned_year'], '场')}，按{months}/12折算"
                f"为{count(total['planned'], '场')}，完成{percent(total['rate'])}"
            )
    items = []
    for category in EVENT_CATEGORIES:
        row = completion.loc[category]
        rate = f"（完成{percent(row['rate'])}）" if row["rate"] is not None else ""
        items.append(f"{category}{count(row['held'], '场')}{rate}")
    sentence += "，其中" + "、".join(items)
    tail = []
    row = kpi.loc["participants"]
    if row.value is not None:
        tail.append(_with_yoy(f"参与群众{big_number(row.value, row.unit)}", row))
    row = kpi.loc["online_visits"]
    if row.value is not None:
        tail.append(f"线上服务{big_number(row.value, row.unit)}")
    row = kpi.loc["media_reports"]
    if row.value is not None:
        tail.append(f"获媒体报道{count(row.value, row.unit)}")
    return sentence + ("；" + "，".join(tail) if tail else "") + "。"


def _funds(data: BriefingData, where: str, what: str) -> str:
    funds = data.funds
    if not funds["allocated"]:
        return ""
    year = data.period.start.year
    who = "全区公共文化服务专项资金" if data.scope == Scope() else f"{where}{what}资金"
    return (
        f"{year}年{who}下达{money(funds['allocated'])}，已拨付{money(funds['disbursed'])}，"
        f"已支出{money(funds['spent'])}，执行率{percent(transforms.execution_rate(funds))}。"
    )


def _tasks(data: BriefingData) -> str:
    tasks = data.tasks
    if not tasks["total"]:
        return ""
    year, end = data.period.start.year, data.period.end
    sentence = f"{year}年重点任务共{tasks['total']}项，截至{end.month}月底到期{tasks['due']}项"
    if tasks["due"]:
        sentence += f"，其中已完成{tasks['due_done']}项，到期任务完成率{percent(transforms.task_completion(tasks))}"
    sentence += f"；全年已完成{tasks['done']}项"
    if tasks["behind"]:
        sentence += f"，滞后{tasks['behind']}项"
    return sentence + "。"


def _ranking(data: BriefingData) -> str:
    if data.scope.township is not None:
        return ""
    ranking = transforms.township_ranking(data.townships)
    if len(ranking) < 2 * RANKED:
        return ""

    def named(rows: pd.DataFrame) -> str:
        return "、".join(f"{row.name}（{row.per_10k:,.1f}人次）" for row in rows.itertuples())

    best, weakest = ranking.head(RANKED), ranking.tail(RANKED).iloc[::-1]
    return f"按每万常住人口到馆人次计，{named(best)}位居前列，{named(weakest)}相对靠后。"


def compose(data: BriefingData) -> str:
    """The paragraph: services and year-on-year change, network, activities against plan, funds, plan, ranking."""
    kpi = transforms.metric_kpis(data.current, data.previous, data.current.iloc[0:0]).set_index("metric")
    where, what = _subject(data)
    if data.current.empty:
        sentences = [f"{period_phrase(data.period)}，{where}{what}暂无月度报表数据。"]
    else:
        sentences = [_services(data, kpi, where, what)]
    sentences.append(_network(data, where, what))
    if not data.current.empty:
        sentences.append(_activities(data, kpi, where))
    sentences.append(_funds(data, where, what))
    if data.scope == Scope():
        # The task ledger is the bureau's and names no venue: it belongs in the district-wide briefing only.
        sentences.append(_tasks(data))
    sentences.append(_ranking(data))
    text = "".join(s for s in sentences if s)
    return text or f"{period_phrase(data.period)}，{where}{what}暂无数据。"


def briefing_text(session: Session, period: Period, scope: Scope | None = None) -> str:
    """collect + compose."""
    return compose(collect(session, period, scope or Scope()))
