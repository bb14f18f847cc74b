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
from models import AccountEvent, User

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


SYSTEM = "系统"  # the actor of what no person did (a lock-out)


def record(session: Session, *, by: str, username: str, action: str, detail: str | None = None) -> None:
    """Add an account event to the session (committed with the change it describes)."""
    session.add(
        AccountEvent(
            created_at=dt.datetime.now(dt.UTC),
            actor=by[:64],
            username=username[:64],
            action=action,
            detail=detail[:256] if detail else None,
        )
    )


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
    by: str = SYSTEM,
) -> User:
    """Create the account or update it; the password is kept unless a new one is given. `by` (who did it) is
    recorded with what changed."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    user = get_user(session, username=username)
    created = user is None
    if user is None:
        if not password:
            raise ValueError("a new account needs a password")
        user = User(username=username, role=role, password_hash="", created_at=dt.datetime.now(dt.UTC))
    before = {"role": user.role, "scope": (user.township_codes, user.venue_codes), "name": user.display_name}
    user.role = role
    user.display_name = display_name or user.display_name or username
    if password:
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None  # a new password lifts a lock-out, as set_password does
    if township_codes is not None:
        user.township_codes = json.dumps(sorted(township_codes), ensure_ascii=False)
    if venue_codes is not None:
        user.venue_codes = json.dumps(sorted(venue_codes), ensure_ascii=False)
    session.add(user)
    if created:
        record(session, by=by, username=username, action="created", detail=f"角色 {role}")
    else:
        changed = [
            label
            for label, old, new in (
                ("角色", before["role"], user.role),
                ("范围", before["scope"], (user.township_codes, user.venue_codes)),
                ("显示名称", before["name"], user.display_name),
            )
            if old != new
        ] + (["密码"] if password else [])
        if changed:
            record(session, by=by, username=username, action="changed", detail="、".join(changed))
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


def set_password(session: Session, *, username: str, password: str, by: str = SYSTEM) -> User:
    """A new password (at least MIN_PASSWORD_LENGTH characters); it also ends the account's open sessions."""
    user = get_user(session, username=username)
    if user is None:
        raise AccountRefused(f"no account {username!r}")
    if password_problem(password):
        raise AccountRefused(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None  # an administrator's reset also lifts a lock-out
    session.add(user)
    record(session, by=by, username=username, action="password")
    session.commit()
    session.refresh(user)
    return user


def list_events(session: Session, *, limit: int = 200) -> list[AccountEvent]:
    """The newest account events first."""
    stmt = sa.select(AccountEvent).order_by(AccountEvent.id.desc()).limit(limit)
    return list(session.execute(stmt).scalars())


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
    if user.active != active:
        record(session, by=by or SYSTEM, username=username, action="reactivated" if active else "deactivated")
    user.active = active
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


MAX_FAILURES = 5  # wrong passwords in a row before an account is locked
LOCK_MINUTES = 15
# Checked against when the account does not exist, so a wrong username costs the same scrypt time as a wrong
# password and response times do not reveal which usernames exist.
_DUMMY_HASH = hash_password("no such account")


class LoginLocked(Exception):
    """Too many wrong passwords: the account refuses every login, right or wrong, until `until` (UTC)."""

    def __init__(self, until: dt.datetime):
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        now = now or dt.datetime.now(dt.UTC)
        return max(1, -(-int((self.until - now).total_seconds()) // 60))


def authenticate(session: Session, *, username: str, password: str, now: dt.datetime | None = None) -> User | None:
    """The active user with this username and password, else None. After MAX_FAILURES wrong passwords in a row
    the account is locked for LOCK_MINUTES and raises LoginLocked, even for the right password; a success or a
    password reset by an administrator clears the count. The count is kept in the database, so several servers
    behind one address share it."""
    now = now or dt.datetime.now(dt.UTC)
    user = get_user(session, username=username)
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    if (until := lock_end(user, now)) is not None:
        raise LoginLocked(until)
    if not verify_password(password, user.password_hash):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins, user.locked_until = 0, now + dt.timedelta(minutes=LOCK_MINUTES)
            record(session, by=SYSTEM, username=username, action="locked", detail=f"连续 {MAX_FAILURES} 次密码错误")
        session.add(user)
        session.commit()
        if (until := lock_end(user, now)) is not None:
            raise LoginLocked(until)
        return None
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins, user.locked_until = 0, None
        session.add(user)
        session.commit()
        session.refresh(user)
    return user if user.active else None


def lock_end(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the account's lock-out ends (UTC), or None when it is not locked."""
    now = now or dt.datetime.now(dt.UTC)
    if user.locked_until is None or _utc(user.locked_until) <= now:
        return None
    return _utc(user.locked_until)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands a stored UTC time back without its zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


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
