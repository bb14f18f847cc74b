"""Load benchmark: many directors and staff on one dashboard server at once, in a real browser. Run on demand
(never in the test suite):

    .venv/bin/python bench/load_bench.py [--users 1 4 8 16] [--rounds 2] [--mixed 8] [--work DIR] [--json FILE]

One `streamlit run` server (tests/browser/conftest.py's `streamlit_server()`) over a copy of the demo database
(`culture-dash init --demo`). One Chromium (Debian's /usr/bin/chromium) with N browser contexts, one per user.
Each user, in `--rounds` fresh contexts one after the other: signs in as leader and waits for the overview's KPI
cards, then opens 趋势, 地图 and 报送情况 from the sidebar and waits for each page to settle. All users start
together (a meeting where everyone opens the dashboard at once: the worst case, not the everyday one).

The users are threads driving Playwright's sync API, so the project's own helpers (`login`, `settle`,
`new_tablet_page`) drive them unchanged. Playwright is not thread-safe: each thread starts its own Playwright and
attaches to the one shared Chromium over CDP (`connect_over_cdp`), so N users are N contexts in one browser, as
the brief asks, at the price of one Playwright driver process (node) per thread, counted as client-side CPU.

Per step: `settled` is click → page settled in the browser (includes the browser's rendering on this busy box);
`server` is click → the last `script_finished` message the server sent for that step (read from the websocket
frames), i.e. the server's script run plus transport, without the client's drawing. Per run: wall time, errors
(Playwright timeouts, `stException` elements, new Traceback lines in the server log), the server process's peak
RSS (VmHWM, reset between runs through /proc/<pid>/clear_refs) and its CPU seconds (utime+stime from
/proc/<pid>/stat), the client's CPU seconds (Chromium, the Playwright drivers and this script), and the CPU the
rest of the machine used meanwhile (other workers), from /proc/stat.

The mixed run: M-1 leaders walk 趋势 → 地图 → 报送情况 → 总览 `--circuits` times while one staff user uploads a
copy of seed_data/demo/monthly.csv with every 到馆人次 raised by one (same size, 8,533 rows, all replaced: a real
write, not a no-change check) through 数据上传's file input, checks it and commits it. The same M-1 readers are
then run once more without the upload as the baseline.
"""

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.browser.conftest import CHROMIUM, login, new_tablet_page, settle, streamlit_server  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
STEP_TIMEOUT = 120_000  # ms: long enough that a slow step counts as slow, not as an error
# What shows a page has drawn, beyond its heading: a chart for 趋势 and 地图, the KPI cards elsewhere.
READY = {
    "总览": '[data-testid="stMetric"]',
    "趋势": '[data-testid="stVegaLiteChart"]',
    "地图": '[data-testid="stVegaLiteChart"]',
    "报送情况": '[data-testid="stMetricValue"]',
}
LOGIN_STEP = "登录→总览"
CIRCUIT = ("趋势", "地图", "报送情况")


# ── /proc accounting ─────────────────────────────────────────────────────────────────────────────────────────
def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a live process, with the children it has reaped (Chromium's renderers of closed
    contexts end up in their zygote's cutime/cstime, not nowhere)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / CLK_TCK


def _processes() -> dict[int, tuple[int, float]]:
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            table[int(entry)] = stat
    return table


def _subtree(table: dict[int, tuple[int, float]], root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in table.items() if ppid == parent and pid not in found]
        found.update(children)
        frontier.extend(children)
    return found


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds so far: the server, the client side (this process's tree minus the server), the whole machine."""
    table = _processes()
    server = _subtree(table, server_pid)
    mine = _subtree(table, os.getpid())
    with open("/proc/stat") as f:
        jiffies = [int(x) for x in f.readline().split()[1:]]
    busy = sum(jiffies) - jiffies[3] - jiffies[4]  # minus idle and iowait
    return {
        "server": sum(table[pid][1] for pid in server),
        "client": sum(table[pid][1] for pid in mine - server),
        "machine": busy / CLK_TCK,
    }


def memory(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS")):
            key, value = line.split(":")
            values[key] = int(value.split()[0]) / 1024
    if not values:  # a zombie has no memory lines: the server exited (it prints "Stopping..." on SIGTERM)
        raise RuntimeError(f"the server process {pid} has exited")
    return values


def reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset VmHWM to the current RSS (Linux ≥ 4.0)
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """The server's CPU use in 1-second windows: the busiest window shows whether it saturated one core."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        last = _stat(self.pid)[1]
        while not self.stop.wait(1.0):
            now = _stat(self.pid)[1]
            self.peak, last = max(self.peak, now - last), now


# ── users ────────────────────────────────────────────────────────────────────────────────────────────────────
@dataclass
class Sample:
    user: int
    role: str
    step: str
    start: float
    settled: float | None = None  # seconds from the click (or goto) to settled
    server: float | None = None  # seconds from the click to the last script_finished of the step
    error: str | None = None


@dataclass
class UserLog:
    samples: list[Sample] = field(default_factory=list)
    upload_window: tuple[float, float] | None = None
    note: str | None = None


class ScriptRuns:
    """Times at which the server's `script_finished` messages reached this page."""

    def __init__(self, page):
        self.times: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # a frame that is not a ForwardMsg is not ours to judge
            return
        if msg.WhichOneof("type") == "script_finished":
            self.times.append(time.monotonic())

    def since(self, start: float) -> float | None:
        later = [t for t in self.times if t >= start]
        return later[-1] - start if later else None


def _errors_on(page) -> str | None:
    count = page.locator('[data-testid="stException"]').count()
    return f"{count} stException on page" if count else None


def timed(log: UserLog, user: int, role: str, step: str, runs: ScriptRuns, action) -> bool:
    sample = Sample(user, role, step, time.monotonic())
    try:
        action()
        sample.settled = time.monotonic() - sample.start
        sample.error = _errors_on(action.page)
    except Exception as exc:
        sample.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    try:
        action.page.wait_for_timeout(1)  # let the driver deliver websocket frames that arrived during the step
    except Exception:
        pass
    sample.server = runs.since(sample.start)
    log.samples.append(sample)
    return sample.error is None


def open_page(page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=STEP_TIMEOUT)
    settle(page, timeout=STEP_TIMEOUT)
    page.locator(READY[name]).first.wait_for(timeout=STEP_TIMEOUT)


class Step:
    """A callable with its page, so `timed` can look for exceptions on it afterwards."""

    def __init__(self, page, fn):
        self.page, self.fn = page, fn

    def __call__(self) -> None:
        self.fn()


def sign_in(page, base: str, username: str) -> None:
    login(page, base, username)
    page.locator(READY["总览"]).first.wait_for(timeout=STEP_TIMEOUT)


def reader(pw, browser, base: str, user: int, rounds: int, circuits: int, log: UserLog, keep_walking=None) -> None:
    """A director: sign in, then the circuit of pages; in the mixed run, keep walking while the upload runs."""
    for _ in range(rounds):
        page = new_tablet_page(pw, browser)
        page.set_default_timeout(STEP_TIMEOUT)
        runs = ScriptRuns(page)
        try:
            if not timed(log, user, "leader", LOGIN_STEP, runs, Step(page, lambda p=page: sign_in(p, base, "leader"))):
                continue
            walked = 0
            while walked < circuits or (keep_walking is not None and keep_walking.is_set()):
                names = CIRCUIT if circuits == 1 else (*CIRCUIT, "总览")
                for name in names:
                    timed(log, user, "leader", name, runs, Step(page, lambda p=page, n=name: open_page(p, n)))
                walked += 1
        finally:
            page.context.close()


def uploader(pw, browser, base: str, user: int, upload: Path, log: UserLog) -> None:
    """A staff member: sign in, open 数据上传, put the file in the file input, wait for the check, commit."""
    page = new_tablet_page(pw, browser)
    page.set_default_timeout(STEP_TIMEOUT)
    runs = ScriptRuns(page)
    try:
        timed(log, user, "staff", LOGIN_STEP, runs, Step(page, lambda: sign_in(page, base, "staff")))

        def open_upload():
            page.get_by_role("link", name="数据上传", exact=True).click()
            page.get_by_role("heading", name="数据上传", exact=True).wait_for()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached")

        def check():
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                files=[{"name": upload.name, "mimeType": "text/csv", "buffer": upload.read_bytes()}]
            )
            page.get_by_text("检查通过").wait_for(timeout=300_000)
            settle(page, timeout=STEP_TIMEOUT)

        def commit():
            confirm = page.get_by_text("我已核对以上")
            if confirm.count():
                confirm.click()
                settle(page)
            page.get_by_role("button", name=re.compile("^导入这")).click()
            page.get_by_text("已导入为第").wait_for(timeout=300_000)
            settle(page, timeout=STEP_TIMEOUT)
            log.note = page.get_by_text("已导入为第").first.inner_text()

        timed(log, user, "staff", "数据上传", runs, Step(page, open_upload))
        start = time.monotonic()
        if timed(log, user, "staff", "上传·检查", runs, Step(page, check)):
            timed(log, user, "staff", "上传·导入", runs, Step(page, commit))
        log.upload_window = (start, time.monotonic())
    finally:
        page.context.close()


def run_users(cdp: str, base: str, server_pid: int, log_path: Path, plan: list) -> dict:
    """Start every user of `plan` ([(kind, kwargs)]) at once; return the samples and the run's accounting."""
    logs = [UserLog() for _ in plan]
    ready = threading.Barrier(len(plan) + 1)
    done = threading.Barrier(len(plan) + 1)  # contexts stay open until the CPU has been read
    crashed: list[str] = []

    def worker(index: int, kind, kwargs) -> None:
        pw = sync_playwright().start()
        browser = None
        try:
            browser = pw.chromium.connect_over_cdp(cdp)
        except Exception:
            crashed.append(traceback.format_exc(limit=3))
        ready.wait()  # every user starts at once, and a user that failed to connect does not block the others
        try:
            if browser is not None:
                kind(pw, browser, base, index, log=logs[index], **kwargs)
        except Exception:
            crashed.append(traceback.format_exc(limit=3))
        finally:
            done.wait()
            pw.stop()

    threads = [threading.Thread(target=worker, args=(i, kind, kw)) for i, (kind, kw) in enumerate(plan)]
    for thread in threads:
        thread.start()
    log_lines = len(log_path.read_text(errors="replace").splitlines())
    peak_reset = reset_peak(server_pid)
    sampler = Sampler(server_pid)
    ready.wait()
    load = os.getloadavg()
    before, start = cpu_split(server_pid), time.monotonic()
    sampler.start()
    while done.n_waiting < len(plan):
        time.sleep(0.2)
    wall = time.monotonic() - start
    after = cpu_split(server_pid)
    sampler.stop.set()
    sampler.join()
    mem = memory(server_pid)
    done.wait()
    for thread in threads:
        thread.join()
    new_log = log_path.read_text(errors="replace").splitlines()[log_lines:]
    return {
        "users": len(plan),
        "load_before": [round(x, 2) for x in load],
        "wall_s": round(wall, 2),
        "server_cpu_s": round(after["server"] - before["server"], 2),
        "server_peak_cpu_1s": round(sampler.peak, 2),
        "client_cpu_s": round(after["client"] - before["client"], 2),
        "others_cpu_s": round(
            (after["machine"] - before["machine"])
            - (after["server"] - before["server"])
            - (after["client"] - before["client"]),
            2,
        ),
        "server_peak_rss_mib": round(mem["VmHWM"], 1),
        "server_rss_mib": round(mem["VmRSS"], 1),
        "peak_is_per_run": peak_reset,
        "server_log": [line for line in new_log if line.strip()],
        "crashed": crashed,
        "samples": [asdict(s) for log in logs for s in log.samples],
        "upload_windows": [log.upload_window for log in logs if log.upload_window],
        "upload_result": [log.note for log in logs if log.note],
        "start": start,
    }


# ── reporting ────────────────────────────────────────────────────────────────────────────────────────────────
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]  # nearest rank


def step_table(samples: list[dict], role: str | None = None) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for s in samples:
        if role and s["role"] != role:
            continue
        row = table.setdefault(s["step"], {"n": 0, "errors": 0, "settled": [], "server": []})
        row["n"] += 1
        if s["error"]:
            row["errors"] += 1
        if s["settled"] is not None and not s["error"]:
            row["settled"].append(s["settled"])
        if s["server"] is not None and not s["error"]:
            row["server"].append(s["server"])
    summary = {}
    for step, row in table.items():
        summary[step] = {"n": row["n"], "errors": row["errors"]}
        for key in ("settled", "server"):
            if row[key]:
                summary[step][f"{key}_median"] = round(statistics.median(row[key]), 2)
                summary[step][f"{key}_p95"] = round(percentile(row[key], 0.95), 2)
        summary[step]["server_n"] = len(row["server"])
    return summary


def print_run(label: str, result: dict) -> None:
    print(f"\n== {label}: {result['users']} users, wall {result['wall_s']} s, load before {result['load_before']}")
    print(
        f"   server CPU {result['server_cpu_s']} s (busiest second {result['server_peak_cpu_1s']}), "
        f"client CPU {result['client_cpu_s']} s, others {result['others_cpu_s']} s; "
        f"server peak RSS {result['server_peak_rss_mib']} MiB (now {result['server_rss_mib']})"
    )
    for role in ("leader", "staff"):
        for step, row in step_table(result["samples"], role).items():
            print(f"   {role:<6} {step:<8} {json.dumps(row, ensure_ascii=False)}")
    for note in result["upload_result"]:
        print(f"   UPLOAD {note}")
    errors = [s for s in result["samples"] if s["error"]]
    for s in errors[:10]:
        print(f"   ERROR user {s['user']} {s['step']}: {s['error']}")
    for line in result["crashed"]:
        print(f"   CRASH {line}")
    suspicious = [line for line in result["server_log"] if re.search(r"Traceback|Error|Exception|WARN", line)]
    for line in suspicious[:20]:
        print(f"   LOG {line}")


# ── setup ────────────────────────────────────────────────────────────────────────────────────────────────────
def build_demo(work: Path) -> str:
    master = work / "demo-master.sqlite3"
    if not master.exists():
        url = f"sqlite:///{master}"
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "culture-dash"), "init", "--demo"],
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    target = work / "demo.sqlite3"
    shutil.copyfile(master, target)
    return f"sqlite:///{target}"


def upload_file(work: Path) -> Path:
    """seed_data/demo/monthly.csv with every 到馆人次 one higher: same size, and every row a replacement."""
    source = (ROOT / "seed_data" / "demo" / "monthly.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source)))
    for row in rows[1:]:
        if row[2]:
            row[2] = str(int(row[2]) + 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = work / "月度报表-全年更正.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in cmdline and f"--server.port={port}".encode() in cmdline:
            return int(entry)
    raise RuntimeError("streamlit process not found")


def start_chromium(work: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={work / 'chromium-profile'}",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/json/version", timeout=2):
                return process, endpoint
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.3)


def save(path: Path | None, results: dict) -> None:
    if path:
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="*", default=[1, 4, 8, 16])
    parser.add_argument("--rounds", type=int, default=2, help="journeys per user, each in a fresh context")
    parser.add_argument("--mixed", type=int, default=8, help="users in the mixed run (0: none)")
    parser.add_argument("--circuits", type=int, default=2, help="reader circuits in the mixed run and its baseline")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="load-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    url = build_demo(work)
    upload = upload_file(work)
    log_path = work / "streamlit.log"
    print(f"{date.today()} {platform.node()} {os.cpu_count()} cores, work dir {work}")
    results: dict = {"date": str(date.today()), "cores": os.cpu_count(), "runs": {}}
    chromium, cdp = start_chromium(work)
    try:
        with streamlit_server(url, log_path) as base:
            pid = server_pid(base)
            print(f"server {base} pid {pid}, RSS after start {memory(pid)}")
            # Warm-up: one user, not counted, so every run below finds st.cache_data filled (the first visitor of
            # the day pays the cold queries; pages_bench.py measures those).
            cold = run_users(cdp, base, pid, log_path, [(reader, {"rounds": 1, "circuits": 1})])
            print_run("warm-up (cold caches)", cold)
            results["runs"]["cold"] = cold
            for n in args.users:
                result = run_users(cdp, base, pid, log_path, [(reader, {"rounds": args.rounds, "circuits": 1})] * n)
                print_run(f"N={n}", result)
                results["runs"][f"N={n}"] = result
                save(args.json, results)
            if args.mixed:
                readers = [(reader, {"rounds": 1, "circuits": args.circuits})] * (args.mixed - 1)
                base_run = run_users(cdp, base, pid, log_path, readers)
                print_run(f"baseline: {args.mixed - 1} readers", base_run)
                results["runs"]["baseline"] = base_run
                save(args.json, results)
                walking = threading.Event()
                walking.set()

                def upload_then_stop(pw, browser, base, user, log):
                    try:
                        uploader(pw, browser, base, user, upload, log)
                    finally:
                        walking.clear()

                mixed_readers = [(reader, {"rounds": 1, "circuits": args.circuits, "keep_walking": walking})] * (
                    args.mixed - 1
                )
                mixed = run_users(cdp, base, pid, log_path, [*mixed_readers, (upload_then_stop, {})])
                print_run(f"mixed: {args.mixed - 1} readers + 1 upload", mixed)
                results["runs"]["mixed"] = mixed
            print("\nserver log (last 30 lines):")
            print("\n".join(log_path.read_text(errors="replace").splitlines()[-30:]))
    finally:
        chromium.terminate()
        chromium.wait(timeout=10)
    save(args.json, results)


if __name__ == "__main__":
    main()
