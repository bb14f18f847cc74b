"""Bad files of every shape, generated: whatever arrives — random bytes, a real file cut short or with bytes
flipped, rows of noise under a good header — the import never raises, answers in Chinese, and writes nothing
unless the file is valid. Hypothesis shrinks any counter-example to a small file worth a regression test."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from culture_dash.ingest.pipeline import import_file
from tests.factories import csv_bytes, headers, seed_registry, snapshot, xlsx_bytes

TODAY = dt.date(2026, 11, 15)
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

GOOD_ROWS = [
    {"month": "2026-10", "venue_code": "WHG", "visits": "1200", "loans": "300"},
    {"month": "2026-10", "venue_code": "TSG", "visits": "2,500", "loans": "900"},
    {"month": "2026-09", "venue_code": "WHG", "visits": "1100", "loans": "280"},
]
GOOD_CSV = csv_bytes("monthly", GOOD_ROWS, encoding="gbk")
FIELDS = ("month", "venue_code", "visits", "loans")  # the first four columns of the monthly kind
GOOD_XLSX = xlsx_bytes(headers("monthly")[:4], [[row[f] for f in FIELDS] for row in GOOD_ROWS])


@pytest.fixture
def registry(session):
    seed_registry(session)
    return session


def check(session, data: bytes, name: str, *, dry_run: bool) -> None:
    before = snapshot(session)
    report = import_file(session, data, name, today=TODAY, dry_run=dry_run)  # must not raise
    summary = report.summary()
    assert CJK.search(summary), summary
    if not report.accepted:
        assert report.batch_id is None
        assert snapshot(session) == before
        assert CJK.search(report.file_error or "") or not report.issues.empty
    if dry_run:
        assert snapshot(session) == before


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt", ""]))
def test_random_bytes_are_refused_in_chinese_and_write_nothing(registry, data, suffix):
    check(registry, data, f"upload{suffix}", dry_run=False)


def mutated(good: bytes):
    """A good file cut short, with bytes overwritten, or with a chunk of noise inserted."""
    cut = st.integers(0, len(good)).map(lambda n: good[:n])
    flipped = st.lists(st.tuples(st.integers(0, len(good) - 1), st.integers(0, 255)), min_size=1, max_size=8).map(
        lambda edits: bytes(_apply(good, edits))
    )
    inserted = st.tuples(st.integers(0, len(good)), st.binary(min_size=1, max_size=64)).map(
        lambda pair: good[: pair[0]] + pair[1] + good[pair[0] :]
    )
    return st.one_of(cut, flipped, inserted)


def _apply(good: bytes, edits) -> bytearray:
    out = bytearray(good)
    for index, value in edits:
        out[index] = value
    return out


@FUZZ
@given(data=mutated(GOOD_CSV))
def test_a_damaged_gbk_csv_never_raises_and_a_dry_run_writes_nothing(registry, data):
    check(registry, data, "月报.csv", dry_run=True)


@FUZZ
@given(data=mutated(GOOD_XLSX))
def test_a_damaged_xlsx_never_raises_and_a_dry_run_writes_nothing(registry, data):
    check(registry, data, "月报.xlsx", dry_run=True)


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2026-10", "2026年10月", "WHG", "TSG", "-1", "1e9", "=1+1", "１２３", "1,2,3", "", " ", "NaN"]),
    st.integers(-(10**12), 10**12).map(str),
)


@FUZZ
@given(rows=st.lists(st.tuples(cell, cell, cell, cell), min_size=1, max_size=12))
def test_noise_under_a_good_header_is_reported_cell_by_cell_or_written_as_one_batch(registry, rows):
    text = ",".join(headers("monthly")[:4]) + "\n" + "\n".join(",".join(_quote(v) for v in row) for row in rows)
    before = snapshot(registry)
    report = import_file(registry, text.encode("utf-8"), "noise.csv", today=TODAY)
    if report.accepted:
        assert report.batch_id is not None or report.no_change
    else:
        assert report.batch_id is None and snapshot(registry) == before
        assert report.file_error or all(CJK.search(text) for text in report.issues["message"])


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
