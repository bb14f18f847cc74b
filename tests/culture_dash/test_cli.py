import json

import pytest

from culture_dash import cli
from tests.factories import TOWNSHIPS, VENUES, csv_bytes


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return tmp_path


def write(path, kind, rows):
    path.write_bytes(csv_bytes(kind, rows))
    return str(path)


def test_import_accepts_then_says_no_change_then_undo(db, capsys):
    townships = write(db / "t.csv", "townships", TOWNSHIPS)
    assert cli.main(["import", townships]) == 0
    assert "已导入为第 1 批次：新增 2 行" in capsys.readouterr().out
    assert cli.main(["import", townships]) == 0
    assert "未做任何修改" in capsys.readouterr().out
    assert cli.main(["undo", "1"]) == 0
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["rows"]["township"] == 0


def test_rejected_file_exits_1_and_lists_every_error(db, capsys):
    bad = write(db / "t.csv", "townships", [{"code": "1", "name": "甲"}, {"code": "2", "name": ""}])
    assert cli.main(["import", bad]) == 1
    out = capsys.readouterr().out
    assert '第 2 行「区划代码」值 "1"：应为 9 位或 12 位数字' in out
    assert '第 3 行「区划代码」值 "2"：应为 9 位或 12 位数字' in out
    assert "第 3 行「名称」为空：必填，不能为空" in out


def test_dry_run_writes_nothing(db, capsys):
    townships = write(db / "t.csv", "townships", TOWNSHIPS)
    assert cli.main(["import", "--dry-run", townships]) == 0
    assert "试运行" in capsys.readouterr().out
    cli.main(["status", "--json"])
    assert json.loads(capsys.readouterr().out)["rows"]["township"] == 0


def test_usage_errors_exit_2(db, capsys):
    assert cli.main(["import"]) == 2
    assert cli.main(["import", str(db / "missing.csv")]) == 2
    assert cli.main(["frobnicate"]) == 2


def test_undo_refusal_exits_1(db, capsys):
    assert cli.main(["init"]) == 0
    assert cli.main(["undo", "99"]) == 1
    assert "没有第 99 批次" in capsys.readouterr().err


@pytest.mark.parametrize("xlsx", [False, True])
def test_template_is_a_file_the_importer_recognises(db, xlsx):
    from culture_dash.ingest.kinds import detect_kind
    from culture_dash.ingest.reading import FileRejected, read_upload

    target = db / ("t.xlsx" if xlsx else "t.csv")
    assert cli.main(["template", "venues", "-o", str(target)] + (["--xlsx"] if xlsx else [])) == 0
    with pytest.raises(FileRejected, match="只有表头"):
        read_upload(target.read_bytes(), target.name)
    data = target.read_bytes()
    if not xlsx:
        assert data.startswith(b"\xef\xbb\xbf")
        headers = data.decode("utf-8-sig").splitlines()[0].split(",")
        assert detect_kind(headers)[0].name == "venues"


def test_init_demo_loads_every_kind(db, capsys):
    assert cli.main(["init", "--demo"]) == 0
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["rows"]["venue"] >= 200
    assert len(status["venue_types"]) == 11
    assert status["rows"]["township"] >= 12
    assert status["months"]["count"] == 36
    assert all(count > 0 for count in status["rows"].values()), status["rows"]


def test_users_add_and_list(db, capsys):
    assert cli.main(["users", "add", "zhang", "--role", "leader", "--password", "s3cret"]) == 0
    assert cli.main(["users", "list"]) == 0
    assert "zhang\tleader" in capsys.readouterr().out


def test_every_subcommand_has_help(capsys):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([name, "--help"])
        assert exit_info.value.code == 0
    assert set(commands) >= {"init", "import", "undo", "status", "template", "users", "serve"}


def test_venues_import_before_townships_names_the_missing_township(db, capsys):
    venues = write(db / "v.csv", "venues", VENUES[:1])
    assert cli.main(["import", venues]) == 1
    assert "街镇不存在" in capsys.readouterr().out


def test_deck_writes_a_pdf_or_pptx_of_the_demo(demo_url, tmp_path, capsys):
    pdf, pptx = tmp_path / "deck.pdf", tmp_path / "deck.pptx"
    assert cli.main(["deck", "--period", "2026-10", "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"汇报材料（6 页，PDF）已写入 {pdf}" in capsys.readouterr().out
    assert cli.main(["deck", "-o", str(pptx)]) == 0  # pptx of the latest month by default
    assert pptx.read_bytes().startswith(b"PK")
    assert cli.main(["deck", "--period", "October", "-o", str(pptx)]) == 2
    assert "无法识别的统计期" in capsys.readouterr().err


def test_deck_without_reports_exits_1(db, tmp_path, capsys):
    assert cli.main(["init"]) == 0
    assert cli.main(["deck", "-o", str(tmp_path / "deck.pptx")]) == 1
    assert "还没有月度报表" in capsys.readouterr().err
