"""Accounts, units and sessions: what ``genreport users`` and the sign-in page both call.

Roles: ``county`` works on its own unit; ``city`` on its own unit and reads the counties
assigned to it; ``admin`` reads every unit and the audit log.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from generator.errors import GenreportError
from generator.web import security
from generator.web.audit import Action, record
from generator.web.models import (
    ADMIN,
    CITY,
    COUNTY,
    ROLES,
    LoginFailure,
    Unit,
    User,
    utcnow,
)
from generator.web.models import Session as SessionRow

__all__ = [
    "ROLE_NAMES",
    "AccountError",
    "LoginRefused",
    "UserRow",
    "add_user",
    "assign_counties",
    "authenticate",
    "end_session",
    "list_users",
    "session_user",
    "set_disabled",
    "set_password",
    "start_session",
]

#: How roles are shown.
ROLE_NAMES = {COUNTY: "县区", CITY: "市级", ADMIN: "管理员"}
#: How long a sign-in lasts.
SESSION_HOURS = 12
_MAX_NAME = 64
_MAX_UNIT = 200


class AccountError(GenreportError):
    """A users command that cannot be done; the message says why, in Chinese."""


class LoginRefused(GenreportError):
    """A sign-in refused: wrong name or password, a disabled account, or too many failures."""

    def __init__(self, message: str, wait: int = 0) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class UserRow:
    username: str
    role: str
    unit: str
    counties: tuple[str, ...]
    disabled: bool
    created_at: datetime.datetime
    last_login_at: datetime.datetime | None


def _clean_name(text: str, what: str, limit: int) -> str:
    name = unicodedata.normalize("NFC", text).strip()
    if not name:
        raise AccountError(f"{what}不能为空")
    if len(name) > limit:
        raise AccountError(f"{what}“{name[:20]}…”过长（最多 {limit} 个字符）")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise AccountError(f"{what}“{name}”含有不可见的控制字符")
    return name


def _username(text: str) -> str:
    name = _clean_name(text, "用户名", _MAX_NAME)
    if any(c.isspace() for c in name):
        raise AccountError(f"用户名“{name}”不能含有空格")
    return name


def _user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == _username(username)))
    if user is None:
        raise AccountError(f"没有用户“{username}”（genreport users list 列出全部用户）")
    return user


def _unit(db: Session, name: str) -> Unit:
    """The unit called ``name``, created on first mention."""
    clean = _clean_name(name, "单位", _MAX_UNIT)
    unit = db.scalar(select(Unit).where(Unit.name == clean))
    if unit is None:
        unit = Unit(name=clean)
        db.add(unit)
        db.flush()
    return unit


def add_user(
    db: Session,
    username: str,
    password: str,
    role: str,
    unit_name: str | None,
    counties: Sequence[str] = (),
) -> User:
    """Create an account (and its unit, and a city's counties, when new); commits."""
    name = _username(username)
    if role not in ROLES:
        raise AccountError(
            f"未知的角色“{role}”：应为 county（县区）、city（市级）或 admin（管理员）"
        )
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        raise AccountError(f"用户“{name}”已存在；修改密码请用 genreport users passwd {name}")
    problem = security.password_problem(name, password)
    if problem:
        raise AccountError(problem)
    if role != ADMIN and not unit_name:
        raise AccountError(f"{ROLE_NAMES[role]}用户须用 --unit 指明所属单位")
    if counties and role != CITY:
        raise AccountError("只有市级用户（--role city）可以分配县区（--counties）")
    unit = _unit(db, unit_name) if unit_name else None
    if unit is not None and role == COUNTY and _counties_of(db, unit):
        raise AccountError(f"“{unit.name}”已作为市级单位分配了县区，不能再作为县区用户的单位")
    if unit is not None and role == CITY and unit.city_id is not None:
        raise AccountError(f"“{unit.name}”已作为县区分配给其他市级单位，不能作为市级单位")
    user = User(
        username=name,
        role=role,
        unit_id=unit.id if unit else None,
        password_hash=security.hash_password(password),
    )
    db.add(user)
    db.flush()
    detail = f"用户：{name}；角色：{ROLE_NAMES[role]}" + (f"；单位：{unit.name}" if unit else "")
    record(db, Action.USER_ADDED, unit_id=user.unit_id, detail=detail)
    if unit is not None and counties:
        _assign(db, unit, counties)
    db.commit()
    return user


def _counties_of(db: Session, city: Unit) -> list[Unit]:
    return list(db.scalars(select(Unit).where(Unit.city_id == city.id).order_by(Unit.name)))


def _assign(db: Session, city: Unit, counties: Sequence[str]) -> list[str]:
    names = []
    for text in counties:
        county = _unit(db, text)
        if county.id == city.id:
            raise AccountError(f"“{city.name}”不能分配给它自己")
        if _counties_of(db, county):
            raise AccountError(f"“{county.name}”是市级单位，不能作为县区分配")
        if county.city_id is not None and county.city_id != city.id:
            owner = db.get(Unit, county.city_id)
            raise AccountError(f"“{county.name}”已分配给“{owner.name if owner else ''}”")
        county.city_id = city.id
        names.append(county.name)
    record(db, Action.COUNTIES_ASSIGNED, unit_id=city.id, detail="、".join(names))
    return names


def assign_counties(db: Session, city_name: str, counties: Sequence[str]) -> list[str]:
    """Put ``counties`` under the city unit ``city_name`` (both created when new); commits."""
    city = db.scalar(select(Unit).where(Unit.name == _clean_name(city_name, "单位", _MAX_UNIT)))
    if city is None or not db.scalar(
        select(User.id).where(User.unit_id == city.id, User.role == CITY)
    ):
        raise AccountError(f"“{city_name}”不是市级用户的单位：请先用 --role city 添加该单位的用户")
    names = _assign(db, city, counties)
    db.commit()
    return names


def set_password(db: Session, username: str, password: str) -> None:
    """A new password; every open session of the account ends and its failures are forgotten."""
    user = _user(db, username)
    problem = security.password_problem(user.username, password)
    if problem:
        raise AccountError(problem)
    user.password_hash = security.hash_password(password)
    db.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    db.execute(delete(LoginFailure).where(LoginFailure.key == _account_key(user.username)))
    record(db, Action.PASSWORD_CHANGED, unit_id=user.unit_id, detail=f"用户：{user.username}")
    db.commit()


def set_disabled(db: Session, username: str, disabled: bool) -> None:
    """Disable (ending every open session) or enable an account; its versions are kept."""
    user = _user(db, username)
    user.disabled = disabled
    if disabled:
        db.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    action = Action.USER_DISABLED if disabled else Action.USER_ENABLED
    record(db, action, unit_id=user.unit_id, detail=f"用户：{user.username}")
    db.commit()


def list_users(db: Session) -> list[UserRow]:
    units = {u.id: u for u in db.scalars(select(Unit))}
    rows = []
    for user in db.scalars(select(User).order_by(User.role, User.username)):
        unit = units.get(user.unit_id) if user.unit_id is not None else None
        counties = tuple(
            sorted(u.name for u in units.values() if unit is not None and u.city_id == unit.id)
        )
        rows.append(
            UserRow(
                user.username,
                user.role,
                unit.name if unit else "",
                counties if user.role == CITY else (),
                user.disabled,
                user.created_at,
                user.last_login_at,
            )
        )
    return rows


# ------------------------------------------------------------------ signing in


def _account_key(username: str) -> str:
    return f"account:{username.casefold()}"[:200]


def _client_key(client: str) -> str:
    return f"client:{client}"[:200]


def _failures(db: Session, key: str, now: datetime.datetime) -> LoginFailure | None:
    row = db.get(LoginFailure, key)
    if row is not None and now - row.last_failure > security.FORGET_FAILURES_AFTER:
        row.failures = 0
    return row


def _wait(row: LoginFailure | None, free_tries: int, now: datetime.datetime) -> int:
    if row is None:
        return 0
    delay = security.login_delay(row.failures, free_tries)
    remaining = row.last_failure + datetime.timedelta(seconds=delay) - now
    return max(0, int(remaining.total_seconds() + 0.999))


def authenticate(db: Session, username: str, password: str, client: str) -> User:
    """The account for ``username`` and ``password``, or LoginRefused; records the attempt.

    While the account's or the client's delay runs, the password is not even checked.
    """
    now = utcnow()
    name = unicodedata.normalize("NFC", username).strip()[:_MAX_NAME]
    account = _failures(db, _account_key(name), now)
    by_client = _failures(db, _client_key(client), now)
    wait = max(
        _wait(account, security.ACCOUNT_FREE_TRIES, now),
        _wait(by_client, security.CLIENT_FREE_TRIES, now),
    )
    if wait:
        record(db, Action.LOGIN_FAILED, username=name, detail="等待期内再次尝试", client=client)
        db.commit()
        raise LoginRefused(f"登录失败次数过多，请 {wait} 秒后再试。", wait)
    user = db.scalar(select(User).where(User.username == name)) if name else None
    ok = security.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or user.disabled:
        for key, row in ((_account_key(name), account), (_client_key(client), by_client)):
            if row is None:
                row = LoginFailure(key=key, failures=0)
                db.add(row)
            row.failures += 1
            row.last_failure = now
        reason = "账号已停用" if user is not None and ok else "用户名或密码错误"
        record(db, Action.LOGIN_FAILED, username=name, detail=reason, client=client)
        db.commit()
        if user is not None and ok:
            raise LoginRefused("该账号已停用，请联系管理员。")
        raise LoginRefused("用户名或密码错误。")
    if security.needs_rehash(user.password_hash):
        user.password_hash = security.hash_password(password)
    if account is not None:
        db.delete(account)
    user.last_login_at = now
    record(db, Action.LOGIN, user=user, unit_id=user.unit_id, client=client)
    db.commit()
    return user


def start_session(db: Session, user: User, hours: int = SESSION_HOURS) -> str:
    """A new session for ``user``; returns the token for the cookie (stored only hashed)."""
    token = security.new_token()
    now = utcnow()
    db.execute(delete(SessionRow).where(SessionRow.expires_at < now))
    db.add(
        SessionRow(
            id=security.token_id(token),
            user_id=user.id,
            csrf_token=security.new_token(),
            created_at=now,
            expires_at=now + datetime.timedelta(hours=hours),
        )
    )
    db.commit()
    return token


def session_user(db: Session, token: str) -> tuple[SessionRow, User] | None:
    """The live session and enabled account behind ``token``, if any."""
    row = db.get(SessionRow, security.token_id(token))
    if row is None or row.expires_at < utcnow():
        return None
    user = db.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return row, user


def end_session(db: Session, token: str) -> None:
    db.execute(delete(SessionRow).where(SessionRow.id == security.token_id(token)))
    db.commit()
