"""Passwords, session tokens, signatures and the sign-in delay: the workbench's secrets in one place.

- Passwords are hashed with argon2id (memory-hard), parameters from argon2-cffi's defaults.
- A session cookie holds a random token plus an HMAC of it, so a forged or altered cookie
  is refused before the database is asked; the database keeps only the token's SHA-256.
- Failed sign-ins earn a delay that doubles with each failure past a few free tries,
  capped, and forgotten an hour after the last failure.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "ACCOUNT_FREE_TRIES",
    "CLIENT_FREE_TRIES",
    "FORGET_FAILURES_AFTER",
    "HASH_PARAMETERS",
    "MAX_LOGIN_DELAY",
    "MIN_PASSWORD_LENGTH",
    "hash_password",
    "load_secret",
    "login_delay",
    "needs_rehash",
    "new_token",
    "password_problem",
    "sign",
    "token_id",
    "unsign",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 8
#: Failures allowed per account, and per client address, before any delay.
ACCOUNT_FREE_TRIES = 3
CLIENT_FREE_TRIES = 10
#: The longest wait a run of failures can impose, in seconds.
MAX_LOGIN_DELAY = 300
#: A run of failures is forgotten this long after its last failure.
FORGET_FAILURES_AFTER = datetime.timedelta(hours=1)


#: Overrides of argon2-cffi's default parameters (RFC 9106's low-memory profile: 64 MiB,
#: three passes). Empty in production; the tests lower them to keep hundreds of sign-ins
#: quick. A hash records its own parameters, so any hash verifies whatever this holds,
#: and one made with other parameters is re-hashed at the next sign-in.
HASH_PARAMETERS: dict[str, Any] = {}


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher(**HASH_PARAMETERS)


def hash_password(password: str) -> str:
    digest: str = _hasher().hash(password)
    return digest


def _dummy_hash() -> str:
    """A hash nobody's password matches, made with the current parameters."""
    return _dummy_for(tuple(sorted(HASH_PARAMETERS.items())))


@cache
def _dummy_for(_parameters: tuple[tuple[str, Any], ...]) -> str:
    return hash_password(secrets.token_hex(16))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no stored hash, spend the same time and say no."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored or _dummy_hash(), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return bool(_hasher().check_needs_rehash(stored))


def password_problem(username: str, password: str) -> str:
    """Why a new password is refused, in Chinese; "" when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
    if password.strip() != password:
        return "密码首尾不能有空格"
    if password.casefold() == username.casefold():
        return "密码不能与用户名相同"
    return ""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_id(token: str) -> str:
    """What the database keeps of a session token: a stolen database opens no session."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign(value: str, secret: bytes) -> str:
    mac = hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(signed: str, secret: bytes) -> str | None:
    value, dot, mac = signed.rpartition(".")
    if not dot or not value:
        return None
    expected = hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(mac, expected) else None


def load_secret(path: Path) -> bytes:
    """The data directory's signing key, created (readable by its owner only) on first use."""
    with contextlib.suppress(FileNotFoundError):
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # created meanwhile by another process: use theirs
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex())
        handle.flush()
        os.fsync(handle.fileno())
    return key


def login_delay(failures: int, free_tries: int) -> int:
    """Seconds to wait after ``failures`` failed sign-ins: 0, then 1, 2, 4 … up to the cap."""
    if failures < free_tries:
        return 0
    return int(min(MAX_LOGIN_DELAY, 2 ** (failures - free_tries)))
