"""The demo district in a SQLite file, built once per test run and copied for each test that needs it."""

import shutil
from pathlib import Path

from models import make_engine
from models.migrate import upgrade
from seed_data.loader import load_demo


def build_demo_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    reports = load_demo(engine)
    engine.dispose()
    assert all(r.accepted for r in reports), [r.text() for r in reports if not r.accepted]
    return url


def copy_database(source_url: str, target: Path) -> str:
    source = Path(source_url.removeprefix("sqlite:///"))
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"
