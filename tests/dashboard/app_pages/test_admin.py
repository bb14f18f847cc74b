"""The admin page: accounts (list, create, reset, deactivate), boundary upload (a dry-run match report first, the
database changed only by the confirm button), backup; and nobody but an admin reaches it."""

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from culture_dash import auth

DEMO = Path(__file__).resolve().parents[3] / "seed_data" / "demo" / "boundaries.geojson"


def outlines(session) -> dict[str, str]:
    session.expire_all()
    return dict(session.execute(sa.text("select code, boundary from township order by code")).all())


def moved_demo_file(extra_feature: bool = True) -> bytes:
    collection = json.loads(DEMO.read_bytes())
    first = collection["features"][0]
    first["geometry"]["coordinates"][0] = [[x + 0.001, y] for x, y in first["geometry"]["coordinates"][0]]
    if extra_feature:
        neighbour = {"type": "Feature", "properties": {"name": "邻区某镇"}, "geometry": first["geometry"]}
        collection["features"].append(neighbour)
    return json.dumps(collection, ensure_ascii=False).encode()


def test_upload_shows_the_match_report_then_imports_on_confirm(app_as, demo_session):
    before = outlines(demo_session)
    at = app_as("admin", "admin")
    assert not at.exception
    assert any(c.value.startswith("当前边界：第 ") for c in at.caption)
    at.file_uploader(key="boundary_file").upload("qingxi.geojson", moved_demo_file(), "application/geo+json").run()
    assert not at.exception
    checked = "「qingxi.geojson」（街镇边界）检查通过，匹配 16 个街镇：新增边界 0 个，更新 1 个，未变 15 个。"
    assert [i.value for i in at.info] == [checked + "（试运行，未写入）"]
    (matched,) = at.tabs[1].dataframe  # the boundaries tab
    assert sorted(matched.value["code"]) == sorted(before)
    assert [w.value for w in at.warning] == ["**对不上本区街镇的区域（将忽略）**\n\n- 邻区某镇"]
    assert outlines(demo_session) == before  # nothing written by the check

    (confirm,) = [b for b in at.button if b.label == "确认导入"]
    confirm.click().run()
    assert [s.value for s in at.success][0].startswith("「qingxi.geojson」（街镇边界）已导入为第 ")
    after = outlines(demo_session)
    changed = [code for code in before if before[code] != after[code]]
    assert changed == [json.loads(DEMO.read_bytes())["features"][0]["properties"]["code"]]


def test_a_broken_file_is_refused_with_no_confirm_button(app_as, demo_session):
    before = outlines(demo_session)
    at = app_as("admin", "admin")
    at.file_uploader(key="boundary_file").upload("bad.geojson", b'{"type": "Point"}', "application/geo+json").run()
    assert [e.value for e in at.error] == [
        "「bad.geojson」（街镇边界）未导入：文件不是 GeoJSON FeatureCollection（顶层 type 为 'Point'）。"
    ]
    assert "确认导入" not in [b.label for b in at.button]
    assert outlines(demo_session) == before


def test_datav_files_are_checked_in_gcj02_when_chosen(app_as):
    at = app_as("admin", "admin")
    at.segmented_control(key="boundary_crs").set_value("GCJ02").run()
    at.file_uploader(key="boundary_file").upload("d.geojson", moved_demo_file(False), "application/json").run()
    # Shifted from GCJ-02 to WGS-84, every outline differs from the stored WGS-84 one.
    assert at.info[0].value.endswith("新增边界 0 个，更新 16 个，未变 0 个。（试运行，未写入）")


# ── Accounts ───────────────────────────────────────────────────────────────────────────────────────────────────


def users_table(session) -> list[tuple]:
    session.expire_all()
    return [
        tuple(r)
        for r in session.execute(
            sa.text("select username, display_name, role, township_codes, active from app_user order by id")
        ).all()
    ]


ROLE_LABELS = {"leader": "局领导", "staff": "科室", "local_staff": "街镇/场馆", "admin": "管理员"}


def test_the_accounts_list_equals_the_users_table_without_hashes(app_as, demo_session):
    at = app_as("admin", "admin")
    accounts = at.tabs[0].dataframe[0].value
    names = dict(sql_rows(demo_session, "select code, name from township"))
    expected = [
        (u, d, ROLE_LABELS[r], "、".join(names[c] for c in json.loads(codes or "[]")) or "全区", bool(a), "")
        for u, d, r, codes, a in users_table(demo_session)
    ]
    assert [tuple(r) for r in accounts.itertuples(index=False)] == expected
    assert list(accounts.columns) == ["username", "display_name", "role", "scope", "active", "locked"]
    hashes = [h for (h,) in sql_rows(demo_session, "select password_hash from app_user")]
    shown = accounts.to_string() + " ".join(str(e.value) for e in at.markdown) + " ".join(c.value for c in at.caption)
    assert not any(h in shown or h.split("$")[-1] in shown for h in hashes)


def test_a_locked_account_shows_until_when_and_a_password_reset_unlocks_it(app_as, demo_session):
    for _ in range(auth.MAX_FAILURES - 1):
        auth.authenticate(demo_session, username="staff", password="wrong")
    with pytest.raises(auth.LoginLocked) as locked:
        auth.authenticate(demo_session, username="staff", password="wrong")
    at = app_as("admin", "admin")
    accounts = at.tabs[0].dataframe[0].value.set_index("username")
    until = locked.value.until.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert accounts.loc["staff", "locked"] == until and accounts.loc["leader", "locked"] == ""
    auth.set_password(demo_session, username="staff", password="brand-new-pass")
    assert auth.authenticate(demo_session, username="staff", password="brand-new-pass") is not None


def test_the_account_history_names_who_created_and_reset_an_account(app_as, demo_session):
    at = app_as("admin", "admin")
    code = sql_rows(demo_session, "select code from township order by code limit 1")[0][0]
    create(at, username="wang.fang", password="long-enough-2", townships=[code])
    at.selectbox(key="accounts_reset_user").set_value("wang.fang")
    at.text_input(key="accounts_reset_password").input("long-enough-3")
    at.text_input(key="accounts_reset_confirm").input("long-enough-3")
    next(b for b in at.button if b.label == "重置密码").click().run()
    table = next(d.value for d in at.tabs[0].dataframe if "actor" in d.value.columns)
    stored = sql_rows(demo_session, "select actor, username, action from account_event order by id desc limit 2")
    assert stored == [("admin", "wang.fang", "password"), ("admin", "wang.fang", "created")]
    assert table[["actor", "username", "action"]].head(2).values.tolist() == [
        ["admin", "wang.fang", "重置密码"],
        ["admin", "wang.fang", "创建"],
    ]
    assert len(table) == sql_rows(demo_session, "select count(*) from account_event")[0][0]


def sql_rows(session, text: str) -> list[tuple]:
    return [tuple(r) for r in session.execute(sa.text(text)).all()]


def create(at, *, username, password, confirmation=None, role="local_staff", townships=(), display_name=""):
    at.text_input(key="accounts_new_username").input(username)
    at.text_input(key="accounts_new_display_name").input(display_name)
    at.selectbox(key="accounts_new_role").set_value(role)
    at.multiselect(key="accounts_new_townships").set_value(list(townships))
    at.text_input(key="accounts_new_password").input(password)
    at.text_input(key="accounts_new_confirm").input(password if confirmation is None else confirmation)
    (submit,) = [b for b in at.button if b.label == "创建账号"]
    return submit.click().run()


def test_an_admin_creates_a_local_staff_user_who_can_then_sign_in(app_as, demo_session):
    at = app_as("admin", "admin")
    code, name = sql_rows(demo_session, "select code, name from township order by code limit 1 offset 2")[0]
    create(at, username="zhang.wei", password="long-enough-1", townships=[code], display_name="张伟（文化站）")
    assert not at.exception
    created = "已创建账号「zhang.wei」（街镇/场馆）。请将初始密码当面或通过安全渠道告知本人。"
    assert [s.value for s in at.success] == [created]
    assert users_table(demo_session)[-1] == ("zhang.wei", "张伟（文化站）", "local_staff", json.dumps([code]), 1)
    shown = at.tabs[0].dataframe[0].value.iloc[-1].tolist()
    assert shown == ["zhang.wei", "张伟（文化站）", "街镇/场馆", name, True, ""]
    user = auth.authenticate(demo_session, username="zhang.wei", password="long-enough-1")
    assert user is not None and auth.actor_for(user).township_codes == frozenset({code})
    # The password is echoed nowhere and the form is empty again.
    assert "long-enough-1" not in str([e.value for e in at.main if hasattr(e, "value")])
    assert at.text_input(key="accounts_new_password").value == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"username": "ab cd", "password": "long-enough-1"},
            "用户名须为 2—64 个字符，只能包含字母、数字、汉字和 . _ -。",
        ),
        ({"username": "new1", "password": "short"}, "密码至少需要 8 个字符。"),
        ({"username": "new1", "password": "long-enough-1", "confirmation": "long-enough-2"}, "两次输入的密码不一致。"),
        ({"username": "new1", "password": "long-enough-1"}, "「街镇/场馆」账号须至少选择一个街镇。"),
        ({"username": "staff", "password": "long-enough-1", "role": "staff"}, "用户名「staff」已存在。"),
    ],
)
def test_a_refused_account_is_not_created(app_as, demo_session, fields, message):
    before = users_table(demo_session)
    at = app_as("admin", "admin")
    create(at, **fields)
    assert [e.value for e in at.error] == [message]
    assert users_table(demo_session) == before


def test_an_admin_resets_a_password(app_as, demo_session):
    at = app_as("admin", "admin")
    at.selectbox(key="accounts_reset_user").set_value("staff")
    at.text_input(key="accounts_reset_password").input("brand-new-pass")
    at.text_input(key="accounts_reset_confirm").input("brand-new-pass")
    (reset,) = [b for b in at.button if b.label == "重置密码"]
    reset.click().run()
    assert [s.value for s in at.success] == ["已重置「staff」的密码；该账号已登录的设备需重新登录。"]
    demo_session.expire_all()
    assert auth.authenticate(demo_session, username="staff", password="staff-demo") is None
    assert auth.authenticate(demo_session, username="staff", password="brand-new-pass") is not None


def toggle(at, username):
    at.selectbox(key="accounts_active_user").set_value(username).run()
    at.button(key="accounts_toggle").click().run()
    return at


def test_deactivate_and_reactivate_an_account(app_as, demo_session):
    at = toggle(app_as("admin", "admin"), "leader")
    assert [s.value for s in at.success] == ["已停用账号「leader」，该账号无法再登录。"]
    demo_session.expire_all()
    assert auth.authenticate(demo_session, username="leader", password="leader-demo") is None
    toggle(at, "leader")
    assert [s.value for s in at.success] == ["已启用账号「leader」。"]
    demo_session.expire_all()
    assert auth.authenticate(demo_session, username="leader", password="leader-demo") is not None


def test_an_admin_cannot_deactivate_themselves(app_as, demo_session):
    # With oneself kept active, the last active admin is never at stake from this page; culture_dash.auth
    # refuses that too (tests/culture_dash/test_auth.py).
    at = toggle(app_as("admin", "admin"), "admin")
    assert [e.value for e in at.error] == ["不能停用自己正在使用的账号。"]
    demo_session.expire_all()
    assert auth.get_user(demo_session, username="admin").active is True


@pytest.mark.parametrize("username", ["leader", "staff", "township"])
def test_only_admins_reach_the_admin_page(app_as, username):
    at = app_as(username)
    with pytest.raises(ValueError):
        at.switch_page("app_pages/admin.py").run()


def test_the_backup_tab_offers_a_sqlite_download(app_as):
    at = app_as("admin", "admin")
    backup_tab = at.tabs[2]
    assert backup_tab.subheader[0].value == "数据备份"
    assert [b.proto.label for b in at.get("download_button")] == ["下载数据库备份"]
