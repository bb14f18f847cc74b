"""Load the demo district through the same import path staff uploads use."""

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from culture_dash.auth import upsert_user
from culture_dash.boundaries import BoundaryReport, import_boundaries
from culture_dash.ingest.kinds import KIND_ORDER
from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.report import ImportReport
from culture_dash.permissions import Actor
from models import Township, User

DEMO_DIR = Path(__file__).parent / "demo"
DEMO_ACTOR = Actor("示例数据", "admin")

# Demo accounts, one per role; the login page shows them only while the database holds the demo district.
DEMO_USERS = (
    {"username": "leader", "password": "leader-demo", "role": "leader", "display_name": "局领导（示例）"},
    {"username": "staff", "password": "staff-demo", "role": "staff", "display_name": "公共服务科（示例）"},
    {"username": "admin", "password": "admin-demo", "role": "admin", "display_name": "管理员（示例）"},
)


def demo_files(folder: Path = DEMO_DIR) -> list[tuple[str, Path]]:
    """(kind, path) in import order; a kind may have several files (task snapshots), taken by name."""
    files = []
    for kind in KIND_ORDER:
        for path in sorted(folder.glob(f"{kind}.csv")) + sorted(folder.glob(f"{kind}_*.csv")):
            files.append((kind, path))
    return files


def load_demo(
    engine: Engine, folder: Path = DEMO_DIR, *, with_users: bool = True
) -> list[ImportReport | BoundaryReport]:
    """Import every demo file, then the boundaries; stops at the first file not accepted; returns the reports."""
    reports = []
    for kind, path in demo_files(folder):
        with Session(engine) as session:
            report = import_file(session, path.read_bytes(), path.name, kind=kind, actor=DEMO_ACTOR)
        reports.append(report)
        if not report.accepted:
            break
    boundaries = folder / "boundaries.geojson"
    if boundaries.exists() and all(r.accepted for r in reports):
        # RFC 7946 (counter-clockwise) like a QGIS export: the importer rewinds it for Vega.
        with Session(engine) as session:
            reports.append(import_boundaries(session, boundaries.read_bytes(), boundaries.name, actor=DEMO_ACTOR))
    if with_users:
        with Session(engine) as session:
            first_township = session.execute(sa.select(Township.code).order_by(Township.code)).scalar()
            for user in DEMO_USERS:
                if session.execute(sa.select(User.id).where(User.username == user["username"])).scalar() is None:
                    upsert_user(session, **user, by="示例数据")
            if (
                first_township
                and session.execute(sa.select(User.id).where(User.username == "township")).scalar() is None
            ):
                upsert_user(
                    session,
                    username="township",
                    password="township-demo",
                    role="local_staff",
                    display_name="街镇文化站（示例）",
                    township_codes=[first_township],
                    by="示例数据",
                )
    return reports
