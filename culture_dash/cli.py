"""culture-dash: everything a person or a cron job does without the browser."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

from culture_dash import queries
from culture_dash.ingest.kinds import KINDS
from culture_dash.ingest.pipeline import import_file
from culture_dash.ingest.templates import csv_template, xlsx_template
from culture_dash.ingest.write import UndoRefused, undo_batch
from culture_dash.permissions import OPERATOR, ROLES
from models import make_engine
from models.migrate import upgrade

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _engine():
    return make_engine()


def cmd_init(args) -> int:
    engine = _engine()
    upgrade(engine)
    out(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}")
    if args.demo:
        return _load_demo(engine)
    return EXIT_OK


def _load_demo(engine) -> int:
    from seed_data.loader import load_demo

    with Session(engine) as session:
        if queries.count_rows(session=session)["venue"] > 0:
            out("数据库中已有场馆数据，跳过示例数据导入。")
            return EXIT_OK
    for report in load_demo(engine):
        out(report.summary())
        if not report.accepted:
            err(report.text())
            return EXIT_REJECTED
    out("示例数据（青溪区，虚构）已导入。示例账号：leader / leader-demo，staff / staff-demo，admin / admin-demo")
    return EXIT_OK


def cmd_import(args) -> int:
    engine = _engine()
    upgrade(engine)
    worst = EXIT_OK
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            err(f"找不到文件：{name}")
            return EXIT_USAGE
        with Session(engine) as session:
            report = import_file(
                session, path.read_bytes(), path.name, kind=args.kind, actor=OPERATOR, dry_run=args.dry_run
            )
        out(report.text())
        if args.report:
            from culture_dash.ingest.export import report_xlsx

            Path(args.report).write_bytes(report_xlsx(report))
            out(f"校验报告已写入 {args.report}")
        if not report.accepted:
            worst = EXIT_REJECTED
    return worst


def cmd_boundaries(args) -> int:
    from culture_dash.boundaries import import_boundaries

    path = Path(args.file)
    if not path.is_file():
        err(f"找不到文件：{args.file}")
        return EXIT_USAGE
    engine = _engine()
    upgrade(engine)
    with Session(engine) as session:
        report = import_boundaries(session, path.read_bytes(), path.name, crs=args.crs, dry_run=args.dry_run)
    out(report.text())
    return EXIT_OK if report.accepted else EXIT_REJECTED


def cmd_undo(args) -> int:
    engine = _engine()
    with Session(engine) as session:
        try:
            undo = undo_batch(session, args.batch_id, username=OPERATOR.username)
        except UndoRefused as exc:
            err(str(exc))
            return EXIT_REJECTED
    out(f"已撤销第 {args.batch_id} 批次（记录为第 {undo.id} 批次）。")
    return EXIT_OK


def cmd_status(args) -> int:
    engine = _engine()
    upgrade(engine)
    with Session(engine) as session:
        status = queries.get_status(session=session)
    if args.json:
        out(json.dumps(status, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    out(f"数据库：{engine.url.render_as_string(hide_password=True)}")
    for table, count in status["rows"].items():
        out(f"  {table:<18} {count:>10,} 行")
    months = status["months"]
    if months["count"]:
        out(f"月度报表：{months['first']} 至 {months['last']}，共 {months['count']} 个月")
    last = status["last_upload"]
    if last:
        out(f"最近上传：第 {last['id']} 批次，{last['created_at']}，{last['username']}，{last['file_name']}")
    return EXIT_OK


def cmd_template(args) -> int:
    data = xlsx_template(args.kind) if args.xlsx else csv_template(args.kind)
    Path(args.output).write_bytes(data)
    out(f"已写入「{KINDS[args.kind].label}」模板：{args.output}")
    return EXIT_OK


def cmd_users(args) -> int:
    from culture_dash.auth import list_users, upsert_user

    engine = _engine()
    upgrade(engine)
    with Session(engine) as session:
        if args.action == "list":
            for user in list_users(session):
                scope = f" 街镇={user.township_codes}" if user.township_codes else ""
                out(f"{user.username}\t{user.role}\t{user.display_name or ''}{scope}")
            return EXIT_OK
        if not args.username:
            err("请指定用户名")
            return EXIT_USAGE
        password = args.password or (None if args.action == "set" else os.environ.get("CULTURE_DASH_PASSWORD"))
        if args.action == "add" and not password:
            import getpass

            password = getpass.getpass("新密码：")
        try:
            upsert_user(
                session,
                username=args.username,
                role=args.role,
                password=password,
                display_name=args.display_name,
                township_codes=args.townships.split(",") if args.townships else None,
                venue_codes=args.venues.split(",") if args.venues else None,
                by="命令行",
            )
        except ValueError as exc:
            err(str(exc))
            return EXIT_USAGE
    out(f"账号 {args.username} 已保存（角色 {args.role}）。")
    return EXIT_OK


def cmd_brief(args) -> int:
    from culture_dash.briefing import briefing_text
    from culture_dash.periods import Period
    from culture_dash.queries import overview

    engine = _engine()
    with Session(engine) as session:
        latest = queries.get_latest_month(session=session)
        if latest is None:
            err("数据库中还没有月度报表。")
            return EXIT_REJECTED
        try:
            period = Period.parse(args.period) if args.period else Period.month(latest)
        except ValueError as exc:
            err(str(exc))
            return EXIT_USAGE
        township = None
        if args.township:
            names = overview.get_townships(session=session)
            match = names[(names["code"] == args.township) | (names["name"] == args.township)]
            if match.empty:
                err(f"找不到街镇「{args.township}」")
                return EXIT_USAGE
            township = match["code"].iloc[0]
        scope = overview.Scope(township=township, system=args.system)
        out(briefing_text(session, period.clipped(latest), scope))
    return EXIT_OK


def cmd_deck(args) -> int:
    from culture_dash.deck import build_slides, export
    from culture_dash.periods import Period

    with Session(_engine()) as session:
        latest = queries.get_latest_month(session=session)
        if latest is None:
            err("数据库中还没有月度报表。")
            return EXIT_REJECTED
        try:
            period = Period.parse(args.period) if args.period else Period.month(latest)
        except ValueError as exc:
            err(str(exc))
            return EXIT_USAGE
        slides = build_slides(session, period=period.clipped(latest))
    Path(args.output).write_bytes(export(slides, args.format))
    out(f"汇报材料（{len(slides)} 页，{args.format.upper()}）已写入 {args.output}")
    return EXIT_OK


def cmd_serve(args) -> int:
    engine = _engine()
    upgrade(engine)
    if args.demo:
        code = _load_demo(engine)
        if code != EXIT_OK:
            return code
    env = dict(os.environ)
    # The app may run with another working directory: pin the database the CLI just prepared.
    env["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        f"--server.port={args.port}",
        f"--server.address={args.address}",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        # Streamlit's welcome message looks up the machine's public IP on the internet: no outside calls here.
        "--logger.hideWelcomeMessage=true",
    ]
    host = "localhost" if args.address in ("0.0.0.0", "::") else args.address
    out(f"驾驶舱启动中：http://{host}:{args.port}（本机）；局域网内用本机 IP 地址和端口 {args.port} 访问")
    return subprocess.call(command, env=env, cwd=APP.parent.parent)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="culture-dash",
        description="公共文化服务驾驶舱命令行：建库、导入、撤销、状态、模板、账号、启动。数据库由 DATABASE_URL 指定。",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="创建或升级数据库结构；--demo 同时导入示例区数据")
    p.add_argument("--demo", action="store_true", help="导入示例数据（虚构的青溪区）")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", help="导入上传文件（CSV/XLSX），打印校验报告；有错误时退出码为 1")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=list(KINDS), help="指定文件类型（默认按表头识别）")
    p.add_argument("--dry-run", action="store_true", help="只校验，不写入")
    p.add_argument("--report", metavar="XLSX", help="把校验报告另存为 Excel 文件")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("boundaries", help="导入街镇边界 GeoJSON（校验、匹配街镇、简化后存入数据库）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--crs", choices=("WGS84", "GCJ02", "BD09"), default="WGS84", help="文件坐标系（DataV 为 GCJ02）")
    p.add_argument("--dry-run", action="store_true", help="只校验和匹配，不写入")
    p.set_defaults(func=cmd_boundaries)

    p = sub.add_parser("undo", help="撤销一次上传：删除它新增的行，恢复它替换的行")
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("status", help="各类数据行数、月份范围、最近一次上传")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("template", help="生成某类上传文件的空模板")
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help="、".join(KINDS))
    p.add_argument("--xlsx", action="store_true", help="生成 Excel 模板（含下拉选项和示例页）")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("users", help="账号管理：list / add / set")
    p.add_argument("action", choices=("list", "add", "set"))
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=ROLES, default="staff")
    p.add_argument("--password", help="密码（不填时交互输入，或读取 CULTURE_DASH_PASSWORD）")
    p.add_argument("--display-name")
    p.add_argument("--townships", help="街镇/场馆账号可上传的街镇区划代码，逗号分隔")
    p.add_argument("--venues", help="街镇/场馆账号可上传的场馆编码，逗号分隔")
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("brief", help="打印工作简报段落（统计期默认为最新有数据的月份）")
    p.add_argument("--period", help="统计期：2026-10（月）、2026-Q3（季度）、2026-ytd-10（1—10月）、2026（年）")
    p.add_argument("--township", help="只统计一个街镇（名称或区划代码）")
    p.add_argument("--system", choices=("library", "culture"), help="只统计图书馆系统或文化馆系统")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("deck", help="导出汇报幻灯片（PPTX 或 PDF，与汇报模式页相同）")
    p.add_argument("--period", help="统计期：2026-10（月）、2026-Q3（季度）、2026-ytd-10（1—10月）、2026（年）")
    p.add_argument("--format", choices=("pptx", "pdf"), default="pptx")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=cmd_deck)

    p = sub.add_parser("serve", help="启动驾驶舱（Streamlit）")
    p.add_argument("--demo", action="store_true", help="数据库为空时先导入示例数据")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="0.0.0.0")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
