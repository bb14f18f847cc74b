"""Roles: who may see which page and upload which kind, and which rows a local user may write."""

from dataclasses import dataclass, field

import pandas as pd

ROLES = ("leader", "staff", "local_staff", "admin")

REGISTRY_KINDS = frozenset({"townships", "villages", "venues"})
ALL_KINDS = frozenset(
    {
        "townships",
        "villages",
        "venues",
        "monthly",
        "subsidies",
        "demo_sites",
        "tasks",
        "activity_plans",
        "inspections",
        "circulation",
        "art_school",
    }
)
# 街镇/场馆 staff report their own venues' numbers; district-level ledgers stay with the bureau.
LOCAL_KINDS = frozenset({"monthly", "activity_plans", "inspections", "circulation", "art_school"})

UPLOAD_KINDS: dict[str, frozenset[str]] = {
    "leader": frozenset(),
    "staff": ALL_KINDS - REGISTRY_KINDS,
    "local_staff": LOCAL_KINDS,
    "admin": ALL_KINDS,
}

# Pages by role. Every signed-in role reads the dashboards; upload pages need an upload role, admin the admin role.
VIEW_PAGES = frozenset({"overview", "map", "trends", "plan", "sites", "funds", "present", "venue", "completeness"})
WORK_PAGES = frozenset({"upload", "history"})
PAGES: dict[str, frozenset[str]] = {
    "leader": VIEW_PAGES,
    "staff": VIEW_PAGES | WORK_PAGES,
    "local_staff": VIEW_PAGES | WORK_PAGES,
    "admin": VIEW_PAGES | WORK_PAGES | {"admin"},
}


def may_upload(role: str, kind: str) -> bool:
    return kind in UPLOAD_KINDS.get(role, frozenset())


def may_view(role: str, page: str) -> bool:
    return page in PAGES.get(role, frozenset())


@dataclass(frozen=True)
class Actor:
    """Who is importing: the web user, or the local operator at the command line (admin)."""

    username: str
    role: str
    township_codes: frozenset[str] = field(default_factory=frozenset)
    venue_codes: frozenset[str] = field(default_factory=frozenset)

    def allowed_venue_ids(self, venues: pd.DataFrame, townships: pd.DataFrame) -> set[int] | None:
        """The venue ids this actor may write rows for; None means every venue."""
        if self.role != "local_staff":
            return None
        township_ids = set(townships.loc[townships["code"].isin(self.township_codes), "id"])
        mine = venues["township_id"].isin(township_ids) | venues["code"].isin(self.venue_codes)
        return set(venues.loc[mine, "id"])


OPERATOR = Actor("命令行", "admin")
