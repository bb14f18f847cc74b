"""Page benchmark: every dashboard page at province scale (30,011 venues, 1,019,764 monthly rows), run with
Streamlit's AppTest as the admin user. Run on demand (never in the test suite):

    .venv/bin/python bench/pages_bench.py [--data DIR] [--work DIR] [--rebuild] [--pages overview trends ...]
                                          [--append-results] [--database-url URL]

The database is built once (registry through bench/import_bench.py's `prepare()`, then the monthly file through
the same `import_file`, then an admin account) and reused on later runs unless --rebuild. It is work/pages.sqlite3
by default; with --database-url postgresql+psycopg://…/NAME it is the PostgreSQL database NAME (dropped and
created again when built, VACUUM ANALYZE-d after the import as autovacuum would do soon after, kept afterwards:
drop it yourself). Each page runs in its own process, so "cold" is an empty st.cache_data and the peak RSS is that
page's alone; the libraries every page shares (pandas, altair, sqlmodel, streamlit, the app's modules) are imported
before the clock starts, so cold measures queries and rendering, not Python imports. "warm" is a second run of the
same page in the same process.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

APP = ROOT / "dashboard" / "app.py"
PAGES = (
    "overview",
    "trends",
    "map",
    "plan",
    "funds",
    "sites",
    "venue",
    "present",
    "upload",
    "history",
    "completeness",
    "admin",
)
ADMIN = ("bench-admin", "bench-admin-password")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(data: Path, url: str) -> str:
    """registry (prepare()) + monthly reports through the pipeline + an admin account, in the database at `url`."""
    from import_bench import is_postgres, prepare
    from sqlmodel import Session

    from culture_dash.auth import upsert_user
    from culture_dash.ingest.pipeline import import_file
    from models import make_engine

    prepare(data, url)
    engine = make_engine(url)
    start = time.perf_counter()
    with Session(engine) as session:
        report = import_file(session, (data / "monthly.csv").read_bytes(), "monthly.csv")
    assert report.accepted, report.summary()
    print(f"monthly {report.inserted:>12,} rows {time.perf_counter() - start:6.2f} s")
    with Session(engine) as session:
        upsert_user(session, username=ADMIN[0], role="admin", password=ADMIN[1], display_name="基准管理员")
        session.commit()
    if is_postgres(url):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            start = time.perf_counter()
            conn.exec_driver_sql("VACUUM ANALYZE")
            print(f"VACUUM ANALYZE {time.perf_counter() - start:6.2f} s")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return url


def built(url: str) -> bool:
    """Whether the database at `url` exists and holds the admin account (the last thing build() writes)."""
    import sqlalchemy as sa

    from models import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.text("SELECT 1 FROM app_user WHERE username = :u"), {"u": ADMIN[0]}).first()
        return found is not None
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def run_page(url: str, page: str, timeout: float) -> dict:
    """Child process: the page twice (cold, warm) in one AppTest as the admin."""
    os.environ["DATABASE_URL"] = url
    # The shared libraries and the app's own modules, imported before the clock starts.
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import streamlit as st
    from sqlalchemy import text
    from sqlmodel import Session
    from streamlit.testing.v1 import AppTest

    import dashboard.charts  # noqa: F401
    import dashboard.data  # noqa: F401
    from culture_dash.auth import actor_for, get_user
    from dashboard.auth_ui import SignedIn
    from models import make_engine

    engine = make_engine(os.environ["DATABASE_URL"])
    with Session(engine) as session:
        user = get_user(session, username=ADMIN[0])
        signed_in = SignedIn(user.username, user.display_name, user.role, actor_for(user))
        # The venue page needs a venue: the one with the most visits in the newest month.
        venue_code = session.execute(
            text(
                "SELECT v.code FROM monthly_report m JOIN venue v ON v.id = m.venue_id "
                "WHERE m.month = (SELECT max(month) FROM monthly_report) ORDER BY m.visits DESC LIMIT 1"
            )
        ).scalar()
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()
    baseline = peak_mib()

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["user"] = signed_in
    if page == "venue":
        at.session_state["venue_code"] = venue_code
    # Before the first run AppTest names a page by its file name, which is also its url_path in app.py.
    at.switch_page(f"app_pages/{page}.py")
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - start)
        if at.exception:
            return {"error": "; ".join(e.message for e in at.exception)[:300], "cold": timings[0]}
    shown = {
        "title": [e.value for e in at.title][:1],
        "warnings": [e.value for e in at.warning][:2],
        "infos": [e.value for e in at.info][:2],
    }
    return {"cold": timings[0], "warm": timings[1], "peak_mib": peak_mib(), "baseline_mib": baseline, **shown}


def machine(url: str) -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) / 1024 / 1024
    database = "SQLite"
    if url.startswith("postgresql"):
        from import_bench import server_version

        database = f"PostgreSQL {server_version(url)}"
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return f"{os.cpu_count()} cores {cpu}, {mem:.0f} GiB, Python {platform.python_version()}, {database}, load {load}"


def table(results: dict[str, dict]) -> str:
    lines = ["| page | cold s | warm s | peak MiB | note |", "|---|---:|---:|---:|---|"]
    for page, r in results.items():
        if "error" in r:
            lines.append(f"| {page} | {r['cold']:.2f} | — | — | ERROR: {r['error']} |")
            continue
        note = "; ".join(str(w) for w in r["warnings"] + r["infos"])[:120].replace("\n", " ").replace("|", "/")
        lines.append(f"| {page} | {r['cold']:.2f} | {r['warm']:.2f} | {r['peak_mib']:.0f} | {note} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/culture-bench/province"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/culture-bench/pages"))
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it exists")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--append-results", metavar="HEADING", help="append the table to bench/RESULTS.md")
    parser.add_argument("--database-url", help="postgresql+psycopg://…/NAME: build and measure on PostgreSQL")
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.page:  # child process: one page, one JSON line
        print(json.dumps(run_page(args.url, args.page, args.timeout)))
        return
    if args.build:  # child process: build the database
        build(args.data, args.url)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{args.work / 'pages.sqlite3'}"
    if args.rebuild or not built(url):
        # In a process of its own: Linux keeps a process's peak RSS across fork and exec, so pages started from a
        # process that had just imported 1M rows (~0.9 GiB) would all report that as their peak.
        subprocess.run([sys.executable, __file__, "--build", "--url", url, "--data", str(args.data)], check=True)
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    results = {}
    for page in args.pages:
        command = [sys.executable, __file__, "--page", page, "--url", url, "--timeout", str(args.timeout)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines:
            results[page] = {"error": done.stderr.strip().splitlines()[-1:], "cold": float("nan")}
        else:
            results[page] = json.loads(lines[-1])
        print(page, json.dumps(results[page], ensure_ascii=False), flush=True)
    output = table(results)
    print(output)
    if args.append_results:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n## {date.today().isoformat()} — {args.append_results}\n\nMachine: {machine(url)}.\n\n")
            handle.write(output + "\n")


if __name__ == "__main__":
    main()
