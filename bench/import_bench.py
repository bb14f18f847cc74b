"""Import benchmark: the province-scale monthly file (~1M rows) through the real pipeline, side by side with
pandas.DataFrame.to_sql and a raw lower bound (sqlite3 executemany on SQLite, psycopg COPY on PostgreSQL) into the
same table. Run on demand:

    .venv/bin/python bench/import_bench.py [--data DIR] [--work DIR] [--database-url URL]

Each method runs in its own process (so peak memory is its own) against a copy of one database that already
holds the province's registry (townships, villages, venues). On SQLite (the default) that is a file under --work
copied once per method. With --database-url postgresql+psycopg://…/NAME the registry goes into a database
NAME_registry (dropped and created again), and each method gets NAME dropped and created again from it with
CREATE DATABASE NAME TEMPLATE NAME_registry; both databases are dropped at the end unless --keep. Never point it
at a database you want to keep. Results go to stdout as a table; copy them into bench/RESULTS.md with the date
and the machine.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from culture_dash.ingest.kinds import MONTHLY_METRICS as METRICS  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def _admin_engine(url: str):
    """An autocommit engine on the server's `postgres` database, for CREATE/DROP DATABASE."""
    import sqlalchemy as sa

    from models import make_engine

    return make_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def database_name(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).database


def with_database(url: str, name: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def recreate(url: str, template: str | None = None) -> None:
    """Drop the PostgreSQL database `url` names (if it exists) and create it again, empty or from `template`."""
    name = database_name(url)
    if name in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {name!r}")
    engine = _admin_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    engine.dispose()


def drop(url: str) -> None:
    engine = _admin_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    engine.dispose()


def server_version(url: str) -> str:
    from models import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return version


def run_pipeline(url: str, monthly: Path) -> dict:
    from sqlmodel import Session

    from culture_dash.ingest.pipeline import import_file
    from models import make_engine

    engine = make_engine(url)
    data = monthly.read_bytes()
    start = time.perf_counter()
    with Session(engine) as session:
        report = import_file(session, data, monthly.name)
    seconds = time.perf_counter() - start
    assert report.accepted, report.summary()
    return {"rows": report.inserted + report.replaced + report.unchanged, "seconds": seconds}


def _venue_ids(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT code, id FROM venue").all())


def run_to_sql(url: str, monthly: Path) -> dict:
    import pandas as pd

    from models import make_engine

    engine = make_engine(url)
    start = time.perf_counter()
    frame = pd.read_csv(monthly, dtype={"场馆编码": str, "月份": str, "备注": str})
    frame.columns = ["month", "venue_code", *METRICS, "note"]
    frame["month"] = frame["month"] + "-01"
    if is_postgres(url):
        frame["month"] = pd.to_datetime(frame["month"]).dt.date  # psycopg sends a str as text, not a date
    frame["venue_id"] = frame.pop("venue_code").map(_venue_ids(engine))
    frame.to_sql("monthly_report", engine, if_exists="append", index=False, chunksize=5000)
    seconds = time.perf_counter() - start
    return {"rows": len(frame), "seconds": seconds}


def _raw_rows(monthly: Path, venue_ids: dict[str, int]) -> list[tuple]:
    rows = []
    with monthly.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for record in reader:
            numbers = [int(v) if v else None for v in record[2:12]]
            rows.append((record[0] + "-01", venue_ids[record[1]], *numbers, record[12] or None))
    return rows


def run_executemany(url: str, monthly: Path) -> dict:
    """SQLite only: plain tuples to sqlite3's executemany."""
    from models import make_engine

    db = make_engine(url).url.database
    with sqlite3.connect(db) as conn:
        venue_ids = dict(conn.execute("SELECT code, id FROM venue"))
    start = time.perf_counter()
    rows = _raw_rows(monthly, venue_ids)
    columns = ", ".join(["month", "venue_id", *METRICS, "note"])
    marks = ", ".join("?" * (len(METRICS) + 3))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executemany(f"INSERT INTO monthly_report ({columns}) VALUES ({marks})", rows)
    seconds = time.perf_counter() - start
    return {"rows": len(rows), "seconds": seconds}


def run_copy(url: str, monthly: Path) -> dict:
    """PostgreSQL only: the same tuples as run_executemany through psycopg's COPY FROM STDIN, one transaction."""
    import psycopg
    import sqlalchemy as sa

    conninfo = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        venue_ids = dict(conn.execute("SELECT code, id FROM venue").fetchall())
        start = time.perf_counter()
        rows = _raw_rows(monthly, venue_ids)
        columns = ", ".join(["month", "venue_id", *METRICS, "note"])
        with conn.cursor() as cursor, cursor.copy(f"COPY monthly_report ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    seconds = time.perf_counter() - start
    return {"rows": len(rows), "seconds": seconds}


METHODS = {"pipeline": run_pipeline, "to_sql": run_to_sql, "executemany": run_executemany, "COPY": run_copy}
RAW = {"sqlite": "executemany", "postgresql": "COPY"}  # the lower bound on each database
# The same file through the pipeline again, into the database it just filled: every row compared, none written.
AGAIN = "pipeline (same file again)"


def prepare(data: Path, url: str) -> str:
    """The database at `url`, emptied (SQLite file deleted, PostgreSQL database dropped and created) and given
    the schema and the province registry imported through the pipeline (timed, reported too). Returns `url`."""
    from sqlmodel import Session

    from culture_dash.ingest.pipeline import import_file
    from models import make_engine
    from models.migrate import upgrade
    from seed_data.generate import generate

    if not (data / "monthly.csv").exists():
        data.mkdir(parents=True, exist_ok=True)
        generate(data, "province")
    if is_postgres(url):
        recreate(url)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_engine(url).url.database}{suffix}").unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    for kind in ("townships", "villages", "venues"):
        start = time.perf_counter()
        with Session(engine) as session:
            report = import_file(session, (data / f"{kind}.csv").read_bytes(), f"{kind}.csv")
        assert report.accepted, report.text()[:2000]
        print(f"registry {kind:<10} {report.inserted:>9,} rows {time.perf_counter() - start:6.2f} s")
    if not is_postgres(url):
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/culture-bench/province"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/culture-bench/work"))
    parser.add_argument(
        "--database-url", help="postgresql+psycopg://…/NAME: run on PostgreSQL (NAME and NAME_registry are dropped)"
    )
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), help="only these (default: all that apply)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases afterwards")
    parser.add_argument("--method", choices=list(METHODS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:  # child process: one method, one JSON line
        result = METHODS[args.method](args.url, args.data / "monthly.csv")
        result["peak_mib"] = peak_mib()
        print(json.dumps(result))
        return
    postgres = bool(args.database_url) and is_postgres(args.database_url)
    if args.database_url and not postgres:
        raise SystemExit("--database-url: only PostgreSQL; SQLite is the default (files under --work)")
    kind = "postgresql" if postgres else "sqlite"
    methods = args.methods or [m for m in METHODS if m not in RAW.values() or m == RAW[kind]]
    if RAW["sqlite" if postgres else "postgresql"] in methods:
        raise SystemExit(f"{RAW['sqlite' if postgres else 'postgresql']} does not run on {kind}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    args.work.mkdir(parents=True, exist_ok=True)
    if postgres:
        target = args.database_url
        base = prepare(args.data, with_database(target, database_name(target) + "_registry"))
        print(f"PostgreSQL {server_version(base)}")
    else:
        base = prepare(args.data, f"sqlite:///{args.work / 'registry.sqlite3'}")
    results = {}
    for method in methods:
        if postgres:
            recreate(target, template=database_name(base))
            url = target
        else:
            db = args.work / f"{method}.sqlite3"
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(Path(base.removeprefix("sqlite:///")), db)
            url = f"sqlite:///{db}"
        command = [sys.executable, __file__, "--method", method, "--url", url, "--data", str(args.data)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results[method] = json.loads(output.strip().splitlines()[-1])
        if method == "pipeline":
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[AGAIN] = json.loads(output.strip().splitlines()[-1])
    if postgres and not args.keep:
        drop(target)
        drop(base)
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"\n{'method':<28} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MiB':>9}")
    for method, r in results.items():
        rate = r["rows"] / r["seconds"]
        print(f"{method:<28} {r['rows']:>10,} {r['seconds']:>8.2f} {rate:>10,.0f} {r['peak_mib']:>9.0f}")
    if "pipeline" in results:
        pipeline = results["pipeline"]["seconds"]
        ratios = [f"pipeline / {m} = {pipeline / results[m]['seconds']:.2f}×" for m in results if m in METHODS]
        print("\n" + "; ".join(r for r in ratios if not r.startswith("pipeline / pipeline")))


if __name__ == "__main__":
    main()
