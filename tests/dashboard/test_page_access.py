"""Every page, every role: a page the role may not use is not in its navigation; every allowed page renders."""

from pathlib import Path

import pytest

from culture_dash.permissions import PAGES, may_view

PAGE_FILES = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "dashboard" / "app_pages").glob("*.py"))
PAGE_FILES = [p for p in PAGE_FILES if p != "__init__"]
ACCOUNTS = {"leader": "leader", "staff": "staff", "local_staff": "township", "admin": "admin"}


def test_every_page_file_has_a_role_rule():
    assert set(PAGE_FILES) <= set().union(*PAGES.values())


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_role_reaches_exactly_its_pages(app_as, role):
    at = app_as(ACCOUNTS[role])
    for page in PAGE_FILES:
        if may_view(role, page):
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, (role, page, at.exception)
            assert [e.value for e in at.error if "无权" in e.value] == [], (role, page)
        else:
            with pytest.raises(ValueError):
                at.switch_page(f"app_pages/{page}.py")
