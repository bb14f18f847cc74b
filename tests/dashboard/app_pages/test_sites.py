"""示范点与免费开放 against independent SQL on the demo database."""

import pyarrow as pa
import pytest
import sqlalchemy as sa

YEAR = 2026  # the newest year with subsidies and reports: the page's default


def sql(session, text: str, **params) -> list[tuple]:
    return [tuple(r) for r in session.execute(sa.text(text), params).all()]


def chart_frames(at) -> list:
    (chart,) = at.get("vega_lite_chart")
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


@pytest.fixture
def sites_page(app_as):
    at = app_as("leader", "sites")
    assert not at.exception
    return at


def test_counts_per_stage_and_batch_equal_sql(sites_page, demo_session):
    expected = sql(
        demo_session, "select batch_year, stage, count(*) from demo_site group by batch_year, stage order by 1, 2"
    )
    bars, totals = chart_frames(sites_page)
    shown = sorted((int(r.batch_year), r.stage, int(r.sites)) for r in bars.itertuples() if r.sites > 0)
    assert shown == sorted(expected)
    per_stage = dict(sql(demo_session, "select stage, count(*) from demo_site group by stage"))
    assert dict(zip(totals["stage"], totals["sites"].astype(int), strict=True)) == {
        stage: per_stage.get(stage, 0) for stage in ("申报", "建设中", "已验收", "已授牌")
    }
    metrics = {m.label: m.value for m in sites_page.metric}
    assert metrics["示范点"] == f"{sum(per_stage.values())} 个"


def test_rooms_and_flags_equal_the_registry(sites_page, demo_session):
    expected = sql(
        demo_session,
        "select v.code, v.name, t.name, d.batch_year, d.level, d.stage,"
        " d.has_library_room, d.has_e_reading_room, d.has_multi_room"
        " from demo_site d join venue v on v.id = d.venue_id join township t on t.id = v.township_id"
        " order by d.batch_year, v.code",
    )
    rooms = sites_page.dataframe[0].value
    assert [
        tuple(r) for r in rooms[["code", "name", "township", "batch_year", "level", "stage"]].itertuples(index=False)
    ] == [r[:6] for r in expected]
    incomplete = [r[0] for r in expected if not (r[6] and r[7] and r[8])]
    assert list(rooms.loc[rooms["flag"] != "✓", "code"]) == incomplete
    assert set(rooms.loc[rooms["flag"] != "✓", "flag"]) == {"⚠ 不全"}
    white_crane = rooms.set_index("code").loc["QX-WHZ-07"]  # 图书室 是, 电子阅览室 否, 多功能室 否 in the demo list
    assert white_crane[["has_library_room", "has_e_reading_room", "has_multi_room"]].tolist() == [True, False, False]
    metrics = {m.label: m.value for m in sites_page.metric}
    assert metrics["必备功能室不全"] == f"{len(incomplete)} 个"


def test_funds_service_and_per_wan_equal_sql(sites_page, demo_session):
    funds = {
        code: (allocated, disbursed, spent, site_spent)
        for code, allocated, disbursed, spent, site_spent in sql(
            demo_session,
            "select v.code, sum(s.allocated), coalesce(sum(s.disbursed), 0), coalesce(sum(s.spent), 0),"
            " coalesce(sum(case when s.programme = '示范点建设' then s.spent end), 0)"
            " from subsidy s join venue v on v.id = s.venue_id join demo_site d on d.venue_id = v.id"
            " where s.year = :y group by v.code",
            y=YEAR,
        )
    }
    visits = dict(
        sql(
            demo_session,
            "select v.code, sum(m.visits) from monthly_report m join venue v on v.id = m.venue_id"
            " join demo_site d on d.venue_id = v.id where m.month between :a and :b group by v.code",
            a=f"{YEAR}-01-01",
            b=f"{YEAR}-12-01",
        )
    )
    table = sites_page.dataframe[1].value.set_index("code")
    service = sites_page.dataframe[2].value.set_index("code")
    assert (service.index == table.index).all()
    for code, row in table.iterrows():
        allocated, disbursed, spent, site_spent = funds.get(code, (0, 0, 0, 0))
        assert (row["allocated"], row["disbursed"], row["site_spent"]) == pytest.approx(
            (allocated, disbursed, site_spent)
        )
        assert row["spent"] == pytest.approx(spent)
        assert service.loc[code, "visits"] == visits[code]
        expected = "—" if spent == 0 else f"{visits[code] / spent:,.1f}"
        assert service.loc[code, "visits_per_wan_text"] == expected
    assert (service["visits_per_wan_text"] == "—").any()  # demo sites with nothing spent in 2026

    total_spent = sum(f[2] for f in funds.values())
    paying = [code for code, f in funds.items() if f[2] > 0]
    per_wan = sum(visits[c] for c in paying) / total_spent
    metrics = {m.label: m.value for m in sites_page.metric}
    assert metrics[f"{YEAR}年已支出（各项目）"] == f"{total_spent:,.2f}万元"
    assert metrics[f"{YEAR}年每万元到馆人次"] == f"{per_wan:,.1f}人次"


def test_filters_narrow_the_list_and_the_pipeline(sites_page, demo_session):
    sites_page.multiselect(key="sites_batch_years").set_value([2026]).run()
    sites_page.multiselect(key="sites_stages").set_value(["申报"]).run()
    expected = [
        r[0]
        for r in sql(
            demo_session,
            "select v.code from demo_site d join venue v on v.id = d.venue_id"
            " where d.batch_year = 2026 and d.stage = '申报' order by v.code",
        )
    ]
    assert list(sites_page.dataframe[0].value["code"]) == expected
    bars, _ = chart_frames(sites_page)
    assert list(bars["sites"]) == [len(expected)]
    sites_page.multiselect(key="sites_levels").set_value(["国家级"]).run()
    assert [i.value for i in sites_page.info] == ["没有符合筛选条件的示范点。"]


def test_tapping_a_site_opens_its_venue_profile(sites_page):
    code = sites_page.dataframe[2].value["code"].iloc[2]
    sites_page.session_state["sites_service"] = {"selection": {"rows": [2], "columns": []}}
    sites_page.run()
    assert sites_page.session_state["venue_code"] == code
    assert sites_page.title[0].value == "场馆档案"
    sites_page.switch_page("app_pages/sites.py").run()  # and back: the old tap does not open it again
    assert sites_page.title[0].value == "示范点与免费开放"


def test_the_page_speaks_english_from_the_catalog(app_as):
    at = app_as("leader")
    at.session_state["language"] = "en"
    at.switch_page("app_pages/sites.py").run()
    assert not at.exception
    assert at.title[0].value == "Demonstration sites and free opening"
    assert [m.label for m in at.metric] == [
        "Demonstration sites",
        "Required rooms incomplete",
        f"Spent in {YEAR} (all programmes)",
        f"Visits per 10k yuan, {YEAR}",
    ]
    assert [s.value for s in at.subheader] == [
        "Stage by batch",
        "Sites and rooms (15)",
        f"Funds {YEAR} (10k yuan)",
        f"Service {YEAR}",
    ]


def test_no_sites_yet_says_so(app_as, demo_session):
    demo_session.execute(sa.text("delete from demo_site"))
    demo_session.commit()
    at = app_as("staff", "sites")
    assert [i.value for i in at.info] == ["暂无示范点。请先上传示范点名录。"]
    assert not at.get("vega_lite_chart")
