import datetime as dt

import pytest

from culture_dash import auth


def test_passwords_are_salted_scrypt_hashes():
    first, second = auth.hash_password("s3cret"), auth.hash_password("s3cret")
    assert first.startswith("scrypt$") and first != second
    assert "s3cret" not in first
    assert auth.verify_password("s3cret", first)
    assert not auth.verify_password("S3cret", first)
    assert not auth.verify_password("s3cret", "garbage")


def test_authenticate(session):
    auth.upsert_user(session, username="li", role="leader", password="pw-1")
    assert auth.authenticate(session, username="li", password="pw-1").role == "leader"
    assert auth.authenticate(session, username="li", password="pw-2") is None
    assert auth.authenticate(session, username="nobody", password="pw-1") is None


T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def wrong(session, n: int, at: dt.datetime = T0) -> None:
    for _ in range(n):
        assert auth.authenticate(session, username="li", password="wrong", now=at) is None


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(session):
    auth.upsert_user(session, username="li", role="leader", password="pw-1-long")
    wrong(session, auth.MAX_FAILURES - 1)
    with pytest.raises(auth.LoginLocked) as locked:
        auth.authenticate(session, username="li", password="wrong", now=T0)
    assert locked.value.until == T0 + dt.timedelta(minutes=auth.LOCK_MINUTES)
    assert locked.value.minutes_left(T0 + dt.timedelta(minutes=1)) == auth.LOCK_MINUTES - 1
    later = T0 + dt.timedelta(minutes=auth.LOCK_MINUTES - 1)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(session, username="li", password="pw-1-long", now=later)
    after = T0 + dt.timedelta(minutes=auth.LOCK_MINUTES, seconds=1)
    assert auth.authenticate(session, username="li", password="pw-1-long", now=after).username == "li"


def test_a_success_starts_the_count_again(session):
    auth.upsert_user(session, username="li", role="leader", password="pw-1-long")
    wrong(session, auth.MAX_FAILURES - 1)
    assert auth.authenticate(session, username="li", password="pw-1-long", now=T0) is not None
    wrong(session, auth.MAX_FAILURES - 1)  # would have locked without the success in between
    assert auth.authenticate(session, username="li", password="pw-1-long", now=T0) is not None


def test_an_administrator_password_reset_lifts_the_lock(session):
    auth.upsert_user(session, username="li", role="leader", password="pw-1-long")
    wrong(session, auth.MAX_FAILURES - 1)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(session, username="li", password="wrong", now=T0)
    auth.set_password(session, username="li", password="pw-2-long")
    assert auth.authenticate(session, username="li", password="pw-2-long", now=T0).username == "li"
    wrong(session, auth.MAX_FAILURES - 1)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(session, username="li", password="wrong", now=T0)
    auth.upsert_user(session, username="li", role="leader", password="pw-3-long", by="命令行")  # users set
    assert auth.authenticate(session, username="li", password="pw-3-long", now=T0).username == "li"


def test_an_unknown_username_costs_a_password_check_and_locks_nothing(session, monkeypatch):
    checked = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda pw, stored: checked.append(stored) or real(pw, stored))
    for _ in range(auth.MAX_FAILURES + 1):
        assert auth.authenticate(session, username="nobody", password="x", now=T0) is None
    assert len(checked) == auth.MAX_FAILURES + 1 and all(c.startswith("scrypt$") for c in checked)


def test_unknown_role_is_refused(session):
    with pytest.raises(ValueError, match="unknown role"):
        auth.upsert_user(session, username="x", role="boss", password="pw")


def test_session_token_round_trip_and_tampering(session):
    user = auth.upsert_user(session, username="王局", role="leader", password="pw-1")
    token = auth.session_token(user, secret="k", now=1000)
    assert auth.user_from_token(session, token, secret="k", now=2000).username == "王局"
    assert auth.user_from_token(session, token, secret="other", now=2000) is None
    assert auth.user_from_token(session, token, secret="k", now=1000 + auth.SESSION_SECONDS + 1) is None
    name, expires, signature = token.split(".")
    assert auth.user_from_token(session, f"{name}.{int(expires) + 9999}.{signature}", secret="k", now=2000) is None
    assert auth.user_from_token(session, "not-a-token", secret="k", now=2000) is None


def test_a_new_password_ends_old_sessions(session):
    user = auth.upsert_user(session, username="li", role="leader", password="pw-1")
    token = auth.session_token(user, secret="k", now=1000)
    auth.upsert_user(session, username="li", role="leader", password="pw-2")
    assert auth.user_from_token(session, token, secret="k", now=2000) is None


@pytest.mark.parametrize(
    ("password", "confirmation", "problem"),
    [
        ("1234567", None, "too_short"),
        ("12345678", None, None),
        ("12345678", "12345679", "mismatch"),
        ("", "", "too_short"),
    ],
)
def test_password_problem(password, confirmation, problem):
    assert auth.password_problem(password, confirmation) == problem


def test_set_password_replaces_the_hash_and_refuses_short_ones(session):
    auth.upsert_user(session, username="li", role="staff", password="first-password")
    auth.set_password(session, username="li", password="second-password")
    assert auth.authenticate(session, username="li", password="first-password") is None
    assert auth.authenticate(session, username="li", password="second-password").username == "li"
    with pytest.raises(auth.AccountRefused, match="at least 8"):
        auth.set_password(session, username="li", password="short")
    with pytest.raises(auth.AccountRefused, match="no account"):
        auth.set_password(session, username="nobody", password="long-enough")


def test_a_deactivated_account_cannot_sign_in_until_reactivated(session):
    auth.upsert_user(session, username="boss", role="admin", password="admin-password")
    auth.upsert_user(session, username="li", role="staff", password="staff-password")
    token = auth.session_token(auth.get_user(session, username="li"), secret="k", now=1000)
    assert auth.set_active(session, username="li", active=False, by="boss").active is False
    assert auth.authenticate(session, username="li", password="staff-password") is None
    assert auth.user_from_token(session, token, secret="k", now=2000) is None
    auth.set_active(session, username="li", active=True, by="boss")
    assert auth.authenticate(session, username="li", password="staff-password").username == "li"


def test_an_admin_cannot_deactivate_themselves_or_the_last_admin(session):
    auth.upsert_user(session, username="boss", role="admin", password="admin-password")
    with pytest.raises(auth.AccountRefused, match="own account"):
        auth.set_active(session, username="boss", active=False, by="boss")
    with pytest.raises(auth.AccountRefused, match="last active administrator"):
        auth.set_active(session, username="boss", active=False)
    auth.upsert_user(session, username="deputy", role="admin", password="admin-password")
    auth.set_active(session, username="deputy", active=False, by="boss")
    assert auth.count_active_admins(session) == 1
    with pytest.raises(auth.AccountRefused, match="last active administrator"):
        auth.set_active(session, username="boss", active=False, by="someone-else")
    assert auth.get_user(session, username="boss").active is True


def events(session) -> list[tuple]:
    return [(e.actor, e.username, e.action, e.detail) for e in reversed(auth.list_events(session))]


def test_every_account_change_is_recorded_with_who_did_it_and_never_a_password(session):
    auth.upsert_user(session, username="li", role="staff", password="pw-1-long", by="admin")
    auth.upsert_user(session, username="li", role="staff", by="admin")  # nothing changes: nothing recorded
    auth.upsert_user(session, username="li", role="leader", display_name="李局", by="命令行")
    auth.set_password(session, username="li", password="pw-2-long", by="admin")
    auth.set_active(session, username="li", active=False, by="admin")
    auth.set_active(session, username="li", active=False, by="admin")  # already inactive: nothing recorded
    auth.set_active(session, username="li", active=True, by="admin")
    wrong(session, auth.MAX_FAILURES - 1)
    with pytest.raises(auth.LoginLocked):
        auth.authenticate(session, username="li", password="wrong", now=T0)
    assert events(session) == [
        ("admin", "li", "created", "角色 staff"),
        ("命令行", "li", "changed", "角色、显示名称"),
        ("admin", "li", "password", None),
        ("admin", "li", "deactivated", None),
        ("admin", "li", "reactivated", None),
        ("系统", "li", "locked", f"连续 {auth.MAX_FAILURES} 次密码错误"),
    ]
    assert not any("pw-" in str(event) for event in events(session))
