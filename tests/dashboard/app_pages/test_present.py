"""汇报模式 against the demo database: the slide shown, its number and figures, tapping through, the downloads."""

import io

import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting

TITLES = ["主要指标", "到馆人次：2026年与2025年逐月对比", "各类活动：已举办与序时计划"]


@pytest.fixture
def present(app_as):
    at = app_as("leader", "present")
    assert not at.exception
    return at


def number(at) -> str:
    return next(m.value for m in at.markdown if " / " in m.value)


def chart_frame(at):
    chart = at.get("vega_lite_chart")[0]
    return pa.ipc.open_stream(io.BytesIO(chart.proto.datasets[0].data.data)).read_all().to_pandas()


def test_opens_on_the_latest_month_with_the_kpi_slide(present, demo_session):
    visits, latest = demo_session.execute(
        sa.text(
            "SELECT sum(visits), max(month) FROM monthly_report WHERE month = (SELECT max(month) FROM monthly_report)"
        )
    ).one()
    assert latest == "2026-10-01"
    assert number(present) == "1 / 6"
    assert present.header[0].value == "主要指标"
    assert present.caption[0].value == "2026年10月 · 全区 · 示例数据"
    cards = {m.label: m.value for m in present.metric}
    assert cards["到馆人次"] == formatting.big_number(float(visits), "人次")
    assert len(present.metric) == 8


def test_next_and_previous_change_number_title_and_content(present, demo_session):
    present.button(key="present_next").click().run()
    assert number(present) == "2 / 6"
    assert present.header[0].value == TITLES[1]
    assert len(present.metric) == 0
    # The chart draws 2026 over 2025 by month, from the same SQL totals.
    frame = chart_frame(present)
    by_month = dict(
        demo_session.execute(
            sa.text(
                "SELECT CAST(strftime('%m', month) AS INTEGER), sum(visits) FROM monthly_report "
                "WHERE month BETWEEN '2026-01-01' AND '2026-12-01' GROUP BY month"
            )
        ).all()
    )
    drawn = frame[frame["year"] == 2026].set_index("month_no")["value"].to_dict()
    assert drawn == {m: float(v) for m, v in by_month.items()}

    present.button(key="present_next").click().run()
    assert (number(present), present.header[0].value) == ("3 / 6", TITLES[2])
    present.button(key="present_prev").click().run()
    present.button(key="present_prev").click().run()
    assert (number(present), present.header[0].value) == ("1 / 6", TITLES[0])
    present.button(key="present_prev").click().run()  # wraps round to the last slide
    assert (number(present), present.header[0].value) == ("6 / 6", "2026年重点任务进展")


def test_a_quarter_changes_the_period_on_the_slide(present):
    present.segmented_control(key="present_kind").set_value("quarter").run()
    assert present.caption[0].value.startswith("2026年第四季度")
    assert number(present) == "1 / 6"


def test_pptx_and_pdf_download_buttons_are_there(present):
    buttons = present.get("download_button")
    assert [b.proto.label for b in buttons] == ["下载 PPT", "下载 PDF"]


def test_the_timer_advances_only_when_auto_advance_is_on(present):
    present.session_state["present_shown_at"] = 0.0  # the slide has been up far longer than any interval
    present.run()
    assert number(present) == "1 / 6"
    present.session_state["present_autoplay"] = True
    present.session_state["present_shown_at"] = 0.0
    present.run()
    assert number(present) == "2 / 6"
    present.run()  # a rerun right after the tick stays on the slide
    assert number(present) == "2 / 6"
