"""Broken boundary files, generated: arbitrary JSON, GeoJSON-shaped objects with wrong members, and real rings
with damaged coordinates. The importer never raises, refuses in Chinese, and a refused file changes nothing."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from culture_dash.boundaries import import_boundaries
from culture_dash.permissions import Actor
from tests.factories import seed_registry, snapshot

ADMIN = Actor("admin", "admin")
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
)
number = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-400, max_value=400), st.integers())
ring = st.lists(st.lists(number, min_size=0, max_size=3), min_size=0, max_size=6)
geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "GeometryCollection", "polygon"]),
        "coordinates": st.one_of(st.lists(ring, max_size=2), st.lists(st.lists(ring, max_size=2), max_size=2)),
    }
)
feature = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature"]),
        "properties": st.one_of(
            st.none(),
            st.fixed_dictionaries({"name": st.sampled_from(["青溪街道", "白鹤镇", "无此镇", ""])}),
            st.fixed_dictionaries({"adcode": st.one_of(st.integers(), st.text(max_size=12))}),
        ),
        "geometry": st.one_of(st.none(), geometry),
    }
)
collections = st.fixed_dictionaries(
    {"type": st.sampled_from(["FeatureCollection", "Feature"]), "features": st.lists(feature, max_size=3)}
)


@pytest.fixture
def registry(session):
    """Seeded once per test; Hypothesis then runs every example against it (a refused file changes nothing)."""
    seed_registry(session)
    return session


def check(session, document) -> None:
    before = snapshot(session)
    report = import_boundaries(session, json.dumps(document).encode(), "边界.geojson", actor=ADMIN)
    summary = report.summary()
    assert CJK.search(summary), summary
    if report.file_error:
        assert report.batch_id is None and snapshot(session) == before


@FUZZ
@given(document=json_values)
def test_any_json_is_refused_or_read_never_raised(registry, document):
    check(registry, document)


@FUZZ
@given(document=collections)
def test_geojson_shaped_objects_with_broken_members_never_raise(registry, document):
    check(registry, document)


@FUZZ
@given(data=st.binary(max_size=512))
def test_bytes_that_are_not_json_are_refused_in_chinese(registry, data):
    before = snapshot(registry)
    report = import_boundaries(registry, data, "边界.geojson", actor=ADMIN)
    assert report.file_error and CJK.search(report.file_error)
    assert snapshot(registry) == before
