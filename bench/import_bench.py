"""Import benchmark: the province-scale monthly file (~1M rows) through the real pipeline, side by side with
pandas.DataFrame.to_sql and a raw sqlite3 executemany into the same table. Run on demand:

    .venv/bin/python bench/import_bench.py [--data DIR] [--work DIR]

Each method runs in its own process (so peak memory is its own) against a copy of one database that already
holds the province's registry (townships, villages, venues). Results go to stdout as a table; copy them into
bench/RESULTS.md with the date and the machine.
"""

import argparse
import csv
import json
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


def run_pipeline(db: Path, monthly: Path) -> dict:
    from sqlmodel import Session

    from culture_dash.ingest.pipeline import import_file
    from models import make_engine

    engine = make_engine(f"sqlite:///{db}")
    data = monthly.read_bytes()
    start = time.perf_counter()
    with Session(engine) as session:
        report = import_file(session, data, monthly.name)
    seconds = time.perf_counter() - start
    assert report.accepted, report.summary()
    return {"rows": report.inserted + report.replaced + report.unchanged, "seconds": seconds}


def _venue_ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT code, id FROM venue"))


def run_to_sql(db: Path, monthly: Path) -> dict:
    import pandas as pd

    from models import make_engine

    engine = make_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    frame = pd.read_csv(monthly, dtype={"场馆编码": str, "月份": str, "备注": str})
    frame.columns = ["month", "venue_code", *METRICS, "note"]
    frame["month"] = frame["month"] + "-01"
    frame["venue_id"] = frame.pop("venue_code").map(_venue_ids(db))
    frame.to_sql("monthly_report", engine, if_exists="append", index=False, chunksize=5000)
    seconds = time.perf_counter() - start
    return {"rows": len(frame), "seconds": seconds}


def run_executemany(db: Path, monthly: Path) -> dict:
    venue_ids = _venue_ids(db)
    start = time.perf_counter()
    rows = []
    with monthly.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for record in reader:
            numbers = [int(v) if v else None for v in record[2:12]]
            rows.append((record[0] + "-01", venue_ids[record[1]], *numbers, record[12] or None))
    columns = ", ".join(["month", "venue_id", *METRICS, "note"])
    marks = ", ".join("?" * (len(METRICS) + 3))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executemany(f"INSERT INTO monthly_report ({columns}) VALUES ({marks})", rows)
    seconds = time.perf_counter() - start
    return {"rows": len(rows), "seconds": seconds}


METHODS = {"pipeline": run_pipeline, "to_sql": run_to_sql, "executemany": run_executemany}
# The same file through the pipeline again, into the database it just filled: every row compared, none written.
AGAIN = "pipeline (same file again)"


def prepare(data: Path, work: Path) -> Path:
    """A database with the province registry imported through the pipeline (timed, reported too)."""
    from sqlmodel import Session

    from culture_dash.ingest.pipeline import import_file
    from models import make_engine
    from models.migrate import upgrade
    from seed_data.generate import generate

    if not (data / "monthly.csv").exists():
        data.mkdir(parents=True, exist_ok=True)
        generate(data, "province")
    base = work / "registry.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{base}")
    upgrade(engine)
    for kind in ("townships", "villages", "venues"):
        start = time.perf_counter()
        with Session(engine) as session:
            report = import_file(session, (data / f"{kind}.csv").read_bytes(), f"{kind}.csv")
        assert report.accepted, report.text()[:2000]
        print(f"registry {kind:<10} {report.inserted:>9,} rows {time.perf_counter() - start:6.2f} s")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/culture-bench/province"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/culture-bench/work"))
    parser.add_argument("--method", choices=list(METHODS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:  # child process: one method, one JSON line
        result = METHODS[args.method](args.db, args.data / "monthly.csv")
        result["peak_mib"] = peak_mib()
        print(json.dumps(result))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    base = prepare(args.data, args.work)
    results = {}
    for method in METHODS:
        db = args.work / f"{method}.sqlite3"
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(base, db)
        command = [sys.executable, __file__, "--method", method, "--db", str(db), "--data", str(args.data)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results[method] = json.loads(output.strip().splitlines()[-1])
        if method == "pipeline":
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[AGAIN] = json.loads(output.strip().splitlines()[-1])
    print(f"\n{'method':<28} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MiB':>9}")
    for method, r in results.items():
        rate = r["rows"] / r["seconds"]
        print(f"{method:<28} {r['rows']:>10,} {r['seconds']:>8.2f} {rate:>10,.0f} {r['peak_mib']:>9.0f}")
    pipeline, raw = results["pipeline"]["seconds"], results["executemany"]["seconds"]
    print(
        f"\npipeline / executemany = {pipeline / raw:.2f}×; pipeline / to_sql = "
        f"{pipeline / results['to_sql']['seconds']:.2f}×"
    )


if __name__ == "__main__":
    main()
