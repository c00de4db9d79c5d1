"""The workbench's tables as SQLAlchemy models.

The schema itself is created and changed only by the migrations in
generator/web/migrations/versions/ (applied at every start); these classes must
describe the head revision. A test compares the two.
"""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ADMIN",
    "CITY",
    "COUNTY",
    "ROLES",
    "AuditEntry",
    "Base",
    "LoginFailure",
    "Report",
    "Session",
    "Unit",
    "User",
    "Version",
    "VersionStatus",
    "utcnow",
]

COUNTY = "county"
CITY = "city"
ADMIN = "admin"
#: Role names as stored and as typed on the command line.
ROLES = (COUNTY, CITY, ADMIN)


def utcnow() -> datetime.datetime:
    """Times are stored as naive UTC (SQLite keeps no zone) and shown in local time."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class VersionStatus:
    """What happened to an upload; ``RUNNING`` rows left by a killed server become ``FAILED``."""

    RUNNING = "running"
    REJECTED = "rejected"
    ACCEPTED = "accepted"
    FAILED = "failed"


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """A bureau: a county, or a city with the counties assigned to it (``city_id``)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, default=None)


class Session(Base):
    """A signed-in browser; ``id`` is the SHA-256 of the cookie's token, never the token."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime)


class Version(Base):
    """One upload (or restore, or import) of one unit's input, with its findings and outcome.

    Accepted versions keep the input and every report in the file store; rejected
    uploads keep only who, when, the file's hash and the findings. An imported input
    is kept even with errors: it exists nowhere else, and the user must finish it.
    """

    __tablename__ = "versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    input_sha256: Mapped[str] = mapped_column(String(64))
    input_size: Mapped[int] = mapped_column(Integer)
    #: Whether the input's bytes are in the store (accepted and imported inputs).
    stored: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON list of findings (see generator.web.findings).
    findings: Mapped[str] = mapped_column(Text, default="[]")
    #: Why a version failed, in Chinese.
    message: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, default=None)
    restored_from: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), default=None)
    #: What the import that wrote this input found (JSON, see generator.web.imported); "" else.
    imported: Mapped[str] = mapped_column(Text, default="")


class Report(Base):
    """One generated document of an accepted version."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    fund: Mapped[str] = mapped_column(String(200))
    score: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str] = mapped_column(String(16))
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    #: The fund's 自评表 workbook (``genreport --xlsx``); none for the volume and older versions.
    selfeval_name: Mapped[str | None] = mapped_column(String(255), default=None)
    selfeval_sha256: Mapped[str | None] = mapped_column(String(64), default=None)


class AuditEntry(Base):
    """Who did what, when, to which unit and version; never updated or deleted."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    #: The name as typed (also for failed logins of unknown names); "" for the command line.
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), default=None)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")
    client: Mapped[str] = mapped_column(String(64), default="")


class LoginFailure(Base):
    """Failed sign-ins counted per account (``account:<name>``) and per client (``client:<ip>``)."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
