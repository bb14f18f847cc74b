import datetime as dt

from culture_dash.ingest.write import undo_batch
from culture_dash.queries import uploads
from tests.factories import load, seed_registry

NOW = dt.datetime(2026, 11, 26, 1, 30, tzinfo=dt.UTC)


def test_batches_are_listed_newest_first_with_who_undid_them(session):
    seed_registry(session)  # batches 1–3
    first = load(session, "monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": "10"}], now=NOW)
    undo_batch(session, first.batch_id, username="staff")
    batches = uploads.get_batches(session=session)
    assert batches[["id", "kind", "status", "undo_of", "undone_by"]].to_dict("records") == [
        {"id": 5, "kind": "monthly", "status": "undo", "undo_of": 4, "undone_by": None},
        {"id": 4, "kind": "monthly", "status": "undone", "undo_of": None, "undone_by": 5},
        {"id": 3, "kind": "venues", "status": "committed", "undo_of": None, "undone_by": None},
        {"id": 2, "kind": "villages", "status": "committed", "undo_of": None, "undone_by": None},
        {"id": 1, "kind": "townships", "status": "committed", "undo_of": None, "undone_by": None},
    ]
    assert uploads.count_batches(session=session) == 5
    assert uploads.get_batch(session=session, batch_id=4)["report"]["by_month"] == [
        {"key": "2026-10", "inserted": 1, "replaced": 0, "unchanged": 0}
    ]


def test_batch_rows_are_the_rows_it_wrote_that_no_later_batch_changed(session):
    seed_registry(session)
    first = load(
        session,
        "monthly",
        [
            {"month": "2026-10", "venue_code": "WHG", "visits": "10"},
            {"month": "2026-10", "venue_code": "FG-2", "visits": "20", "note": "首报"},
        ],
    )
    second = load(session, "monthly", [{"month": "2026-10", "venue_code": "WHG", "visits": "11"}])
    rows, total = uploads.get_batch_rows(session=session, batch_id=first.batch_id, kind="monthly")
    assert total == 1
    assert rows[["month", "venue_code", "venue_name", "visits", "note"]].to_dict("records") == [
        {
            "month": dt.date(2026, 10, 1),
            "venue_code": "FG-2",
            "venue_name": "白鹤镇图书分馆",
            "visits": 20,
            "note": "首报",
        }
    ]
    assert uploads.get_later_changes(session=session, batch_id=first.batch_id).to_dict("records") == [
        {"batch_id": second.batch_id, "status": "committed", "rows": 1}
    ]


def test_registry_batch_rows_show_references_by_code_and_name(session):
    seed_registry(session)
    rows, total = uploads.get_batch_rows(session=session, batch_id=3, kind="venues", limit=2)
    assert total == 5
    assert rows[["venue_code", "name", "parent_code", "township", "village"]].to_dict("records") == [
        {"venue_code": "WHG", "name": "青溪区文化馆", "parent_code": None, "township": "青溪街道", "village": None},
        {"venue_code": "TSG", "name": "青溪区图书馆", "parent_code": None, "township": "青溪街道", "village": None},
    ]
    rows, _ = uploads.get_batch_rows(session=session, batch_id=3, kind="venues")
    assert rows.loc[rows["venue_code"] == "FG-2", ["parent_code", "village"]].values.tolist() == [["TSG", "新民村"]]


def test_scope_venues_of_a_local_user_are_their_townships_and_venues(session):
    seed_registry(session)
    venues = uploads.get_scope_venues(
        session=session, township_codes=frozenset({"510199002"}), venue_codes=frozenset({"TSG"})
    )
    assert venues.to_dict("list") == {
        "venue_code": ["TSG", "FG-2", "ZHAN-2"],
        "name": ["青溪区图书馆", "白鹤镇图书分馆", "白鹤镇综合文化站"],
        "type": ["图书馆", "街镇图书分馆", "综合文化站"],
        "township": ["青溪街道", "白鹤镇", "白鹤镇"],
    }
    assert len(uploads.get_scope_venues(session=session)) == 5


def test_scope_venues_leave_out_venues_not_yet_open(session):
    seed_registry(session)
    load(
        session,
        "venues",
        [
            {
                "venue_code": "NEW-1",
                "name": "新馆",
                "type": "流动服务点",
                "township": "白鹤镇",
                "opened_on": "2026-12-01",
            }
        ],
    )
    venues = uploads.get_scope_venues(session=session, open_by=dt.date(2026, 11, 30))
    assert "NEW-1" not in set(venues["venue_code"])
    assert len(venues) == 5
