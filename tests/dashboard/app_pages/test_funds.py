"""资金 against the demo database: cards, every breakdown's chart and table, and the anomalies equal SQL."""

import datetime as dt
import io

import pyarrow as pa
import pytest
import sqlalchemy as sa

from culture_dash import formatting
from culture_dash.transforms.funds import min_execution

SUMS = "SUM(allocated), SUM(COALESCE(disbursed, 0)), SUM(COALESCE(spent, 0))"
SOURCES = ["中央", "省级", "市级", "区级"]


def rows(session, text: str, **params) -> list:
    return session.execute(sa.text(text), params).all()


def chart_frame(chart):
    return pa.ipc.open_stream(io.BytesIO(chart.proto.datasets[0].data.data)).read_all().to_pandas()


@pytest.fixture
def funds(app_as):
    at = app_as("leader", "funds")
    assert not at.exception
    return at


@pytest.fixture
def year(demo_session) -> int:
    return rows(demo_session, "SELECT MAX(year) FROM subsidy")[0][0]


def cards(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def money(value: float) -> str:
    return f"{value:,.2f}"


def test_cards_equal_sql_for_the_latest_and_an_earlier_year(funds, demo_session, year):
    for shown_year in (year, year - 2):
        if shown_year != year:
            funds.selectbox(key="funds_year").set_value(shown_year).run()
        ((allocated, disbursed, spent),) = rows(
            demo_session, f"SELECT {SUMS} FROM subsidy WHERE year = :y", y=shown_year
        )
        shown = cards(funds)
        assert shown["下达"][0] == f"{money(allocated)}万元"
        assert shown["已拨付"][0] == f"{money(disbursed)}万元"
        assert shown["已支出"][0] == f"{money(spent)}万元"
        assert shown["执行率"] == (
            formatting.percent(spent / allocated),
            f"支出 {money(spent)} / 下达 {money(allocated)} 万元",
        )
        assert shown["拨付率"][0] == formatting.percent(disbursed / allocated)


@pytest.mark.parametrize(
    ("index", "key", "group_sql"),
    [
        (0, "source", "s.source"),
        (1, "programme", "s.programme"),
        (2, "township", "t.name"),
    ],
)
def test_each_breakdown_chart_and_table_equal_sql(funds, demo_session, year, index, key, group_sql):
    expected = {
        group: (count, allocated, disbursed, spent)
        for group, count, allocated, disbursed, spent in rows(
            demo_session,
            f"SELECT {group_sql}, COUNT(*), {SUMS} FROM subsidy s JOIN venue v ON v.id = s.venue_id"
            f" JOIN township t ON t.id = v.township_id WHERE s.year = :y GROUP BY {group_sql}",
            y=year,
        )
    }
    table = funds.dataframe[index].value
    assert sorted(table[key]) == sorted(expected)
    for row in table.itertuples():
        count, allocated, disbursed, spent = expected[getattr(row, key)]
        assert row.records == count
        assert (row.allocated, row.disbursed, row.spent) == pytest.approx((allocated, disbursed, spent))
        assert row.execution == pytest.approx(spent / allocated * 100)
    if key == "source":
        assert list(table["source"]) == [s for s in SOURCES if s in expected]
    chart = chart_frame(funds.get("vega_lite_chart")[index])
    for group, (_, allocated, disbursed, spent) in expected.items():
        drawn = chart[chart[key] == group].set_index("measure")["amount"]
        assert drawn.to_dict() == pytest.approx({"下达": allocated, "已拨付": disbursed, "已支出": spent})


def test_year_over_year_covers_every_year(funds, demo_session):
    expected = rows(demo_session, f"SELECT year, {SUMS} FROM subsidy GROUP BY year ORDER BY year")
    table = funds.dataframe[3].value
    assert table[["year", "allocated", "disbursed", "spent"]].values.tolist() == [
        [str(y), round(a, 4), round(d, 4), round(s, 4)] for y, a, d, s in expected
    ]
    chart = chart_frame(funds.get("vega_lite_chart")[3])
    assert sorted(set(chart["year"])) == [str(r[0]) for r in expected]


def test_anomalies_equal_sql_with_the_calendar_threshold(funds, demo_session, year):
    threshold = min_execution(year, dt.date.today())
    expected = rows(
        demo_session,
        "SELECT v.code, s.source, s.programme,"
        " COALESCE(s.disbursed, 0) > s.allocated, COALESCE(s.spent, 0) > COALESCE(s.disbursed, 0),"
        " s.allocated > 0 AND COALESCE(s.spent, 0) < s.allocated * :m"
        " FROM subsidy s JOIN venue v ON v.id = s.venue_id JOIN township t ON t.id = v.township_id"
        " WHERE s.year = :y AND (COALESCE(s.disbursed, 0) > s.allocated OR COALESCE(s.spent, 0) >"
        " COALESCE(s.disbursed, 0) OR COALESCE(s.spent, 0) < s.allocated * :m)"
        " ORDER BY t.code, v.code, s.source, s.programme",
        y=year,
        m=threshold,
    )
    assert expected, "the demo should hold records to look at"
    table = funds.dataframe[4].value
    flags = ["venue_code", "source", "programme", "over_allocated", "over_disbursed", "behind"]
    assert [list(r) for r in table[flags].itertuples(index=False)] == [
        [code, source, programme, bool(a), bool(b), bool(c)] for code, source, programme, a, b, c in expected
    ]
    assert any(f"执行率低于 {formatting.percent(threshold)}" in c.value for c in funds.caption)


def test_an_earlier_year_flags_overpayments(funds, demo_session, year):
    over = rows(
        demo_session,
        "SELECT COUNT(*) FROM subsidy WHERE year = :y AND (disbursed > allocated OR spent > disbursed)",
        y=year - 2,
    )[0][0]
    funds.selectbox(key="funds_year").set_value(year - 2).run()
    table = funds.dataframe[4].value
    assert int((table["over_allocated"] | table["over_disbursed"]).sum()) == over


def test_tapping_an_anomaly_opens_the_venue_profile(funds, year):
    first = funds.dataframe[4].value["venue_code"].iloc[0]
    funds.session_state[f"funds_anomalies_{year}"] = {"selection": {"rows": [0], "columns": []}}
    funds.run()
    assert funds.session_state["venue_code"] == first
    assert funds.title[0].value == "场馆档案"


def test_english_catalog(app_as):
    at = app_as("leader")
    at.session_state["language"] = "en"
    at.run()
    at.switch_page("app_pages/funds.py").run()
    assert [m.label for m in at.metric] == ["Allocated", "Disbursed", "Spent", "Execution rate", "Disbursement rate"]
    texts = [m.label for m in at.metric] + [c.value for c in at.caption] + [s.value for s in at.subheader]
    assert not [text for text in texts if text.startswith("funds.")]  # an untranslated key shows as itself
