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
