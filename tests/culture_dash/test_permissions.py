import pytest

from culture_dash.permissions import ALL_KINDS, PAGES, REGISTRY_KINDS, may_upload, may_view


@pytest.mark.parametrize("role", ["leader", "staff", "local_staff", "admin"])
def test_every_role_reads_the_dashboards(role):
    assert all(may_view(role, page) for page in ("overview", "map", "trends", "venue", "completeness"))


def test_only_upload_roles_see_upload_pages_and_only_admin_the_admin_page():
    assert [role for role in PAGES if may_view(role, "upload")] == ["staff", "local_staff", "admin"]
    assert [role for role in PAGES if may_view(role, "admin")] == ["admin"]


def test_leaders_upload_nothing_and_staff_not_the_registry():
    assert not any(may_upload("leader", kind) for kind in ALL_KINDS)
    assert not any(may_upload("staff", kind) for kind in REGISTRY_KINDS)
    assert may_upload("staff", "monthly") and may_upload("admin", "venues")
    assert not may_upload("local_staff", "subsidies")
