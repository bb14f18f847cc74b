"""Passwords (scrypt, salted) and user accounts."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import time

import sqlalchemy as sa
from sqlmodel import Session

from culture_dash.permissions import ROLES, Actor
from models import User

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def get_user(session: Session, *, username: str) -> User | None:
    return session.execute(sa.select(User).where(User.username == username)).scalar_one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.execute(sa.select(User).order_by(User.id)).scalars())


def upsert_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str | None = None,
    display_name: str | None = None,
    township_codes: list[str] | None = None,
    venue_codes: list[str] | None = None,
) -> User:
    """Create the account or update it; the password is kept unless a new one is given."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    user = get_user(session, username=username)
    if user is None:
        if not password:
            raise ValueError("a new account needs a password")
        user = User(username=username, role=role, password_hash="", created_at=dt.datetime.now(dt.UTC))
    user.role = role
    user.display_name = display_name or user.display_name or username
    if password:
        user.password_hash = hash_password(password)
    if township_codes is not None:
        user.township_codes = json.dumps(sorted(township_codes), ensure_ascii=False)
    if venue_codes is not None:
        user.venue_codes = json.dumps(sorted(venue_codes), ensure_ascii=False)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


MIN_PASSWORD_LENGTH = 8


class AccountRefused(ValueError):
    """An account change the rules forbid (a short password, locking out the last administrator …)."""


def password_problem(password: str, confirmation: str | None = None) -> str | None:
    """Why a new password is refused ("too_short", "mismatch"), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if confirmation is not None and password != confirmation:
        return "mismatch"
    return None


def set_password(session: Session, *, username: str, password: str) -> User:
    """A new password (at least MIN_PASSWORD_LENGTH characters); it also ends the account's open sessions."""
    user = get_user(session, username=username)
    if user is None:
        raise AccountRefused(f"no account {username!r}")
    if password_problem(password):
        raise AccountRefused(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def count_active_admins(session: Session) -> int:
    stmt = sa.select(sa.func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    return session.execute(stmt).scalar_one()


def set_active(session: Session, *, username: str, active: bool, by: str | None = None) -> User:
    """Deactivate or reactivate an account. `by` (the administrator acting) may not deactivate themselves, and
    the last active administrator is never deactivated: either would lock everyone out of account management."""
    user = get_user(session, username=username)
    if user is None:
        raise AccountRefused(f"no account {username!r}")
    if not active and user.active:
        if by is not None and by == username:
            raise AccountRefused("an administrator cannot deactivate their own account")
        if user.role == "admin" and count_active_admins(session) <= 1:
            raise AccountRefused("the last active administrator cannot be deactivated")
    user.active = active
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    user = get_user(session, username=username)
    if user is None or not user.active or not verify_password(password, user.password_hash):
        return None
    return user


def actor_for(user: User) -> Actor:
    return Actor(
        username=user.username,
        role=user.role,
        township_codes=frozenset(json.loads(user.township_codes or "[]")),
        venue_codes=frozenset(json.loads(user.venue_codes or "[]")),
    )


# --- signed session tokens (a login that survives a browser refresh) ---------------------------------------

SESSION_SECONDS = 12 * 3600


def session_token(user: User, *, secret: str, now: float | None = None) -> str:
    """`<username b64>.<expiry>.<hmac>`; the HMAC covers the password hash, so a new password ends old sessions."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    name = base64.urlsafe_b64encode(user.username.encode()).decode().rstrip("=")
    return f"{name}.{expires}.{_signature(name, expires, user.password_hash, secret)}"


def user_from_token(session: Session, token: str, *, secret: str, now: float | None = None) -> User | None:
    """The active user a token names, if its signature holds and it has not expired."""
    try:
        name, expires_text, signature = token.split(".")
        expires = int(expires_text)
        username = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if expires < (now or time.time()):
        return None
    user = get_user(session, username=username)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(signature, _signature(name, expires, user.password_hash, secret)):
        return None
    return user


def _signature(name: str, expires: int, password_hash: str, secret: str) -> str:
    message = f"{name}|{expires}|{password_hash}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
