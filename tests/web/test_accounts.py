"""Accounts from the command line, and signing in: argon2, a growing delay, an audit trail."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest

from generator.cli.users import users_group
from generator.web import accounts, security
from generator.web.datadir import DATA_ENV, default_data_dir
from generator.web.models import AuditEntry, User, utcnow
from generator.web.workbench import Workbench

from ..conftest import ROOT
from ..test_startup import HEAVY, loaded_by
from .conftest import COUNTY, PASSWORD, Web, csrf_of

WEB_LIBRARIES = ("fastapi", "starlette", "sqlalchemy", "alembic", "uvicorn", "argon2")


@pytest.fixture
def users_cli(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """``genreport users …`` on a fresh data directory, the password given on stdin."""
    data = tmp_path / "data"

    def run(*args: str, password: str = PASSWORD):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        return run_cli("users", *args, "--data", str(data))

    run.data = data  # type: ignore[attr-defined]
    return run


def test_passwords_are_hashed_with_memory_hard_argon2id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "HASH_PARAMETERS", {})
    stored = security.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$") and "m=65536,t=3" in stored
    assert security.verify_password(stored, PASSWORD)
    assert not security.verify_password(stored, PASSWORD + "x")
    assert not security.verify_password(None, PASSWORD)


def test_users_commands_add_list_change_and_disable_accounts(users_cli) -> None:
    steps = [
        (
            ("add", "张三", "--role", "county", "--unit", "甲县医疗保障局", "--password-stdin"),
            "已添加用户“张三”（县区，单位：甲县医疗保障局）。",
        ),
        (
            (
                "add",
                "王五",
                "--role",
                "city",
                "--unit",
                "示例市医疗保障局",
                "--counties",
                "甲县医疗保障局，乙县医疗保障局",
                "--password-stdin",
            ),
            "已添加用户“王五”（市级，单位：示例市医疗保障局）。",
        ),
        (
            ("assign", "示例市医疗保障局", "--counties", "丙县医疗保障局"),
            "已把 丙县医疗保障局 分配给“示例市医疗保障局”。",
        ),
        (("passwd", "张三", "--password-stdin"), "已修改用户“张三”的密码。"),
        (("disable", "张三"), "已停用用户“张三”。"),
    ]
    for args, said in steps:
        code, out, err = users_cli(*args, password="another-pass-2")
        assert (code, out.strip(), err) == (0, said, "")
    code, out, _ = users_cli("list")
    assert code == 0
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines() if "│" in line]
    assert ["张三", "县区", "甲县医疗保障局", "", "已停用", "从未"] in cells
    (city,) = [row for row in cells if row[0] == "王五"]
    assert city[:3] == ["王五", "市级", "示例市医疗保障局"]
    assert {"甲县医疗保障局", "乙县医疗保障局", "丙县医疗保障局"} <= set(
        "".join(row[3] for row in cells if row[0] in ("王五", "")).split("、")
    )
    bench = Workbench.open(users_cli.data)
    try:
        with bench.db() as db:
            user = db.query(User).filter_by(username="张三").one()
            assert user.password_hash.startswith("$argon2id$")
            assert security.verify_password(user.password_hash, "another-pass-2")
            actions = [e.action for e in db.query(AuditEntry).order_by(AuditEntry.id)]
        assert actions == ["添加用户", "添加用户", "分配县区", "分配县区", "修改密码", "停用用户"]
    finally:
        bench.close()


ADD = ("add", "--password-stdin")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        ((*ADD, "张三", "--role", "county", "--unit", "甲县"), "short", "密码至少需要 8 个字符"),
        ((*ADD, "zhang", "--role", "county", "--unit", "甲县"), "ZHANG", "密码至少需要 8 个字符"),
        ((*ADD, "zhangsan", "--role", "admin"), "ZhangSan", "密码不能与用户名相同"),
        ((*ADD, "张三", "--role", "county"), PASSWORD, "县区用户须用 --unit 指明所属单位"),
        ((*ADD, "张 三", "--role", "admin"), PASSWORD, "用户名“张 三”不能含有空格"),
        (
            (*ADD, "李四", "--role", "county", "--unit", "乙县", "--counties", "甲县"),
            PASSWORD,
            "只有市级用户（--role city）可以分配县区（--counties）",
        ),
        (
            ("passwd", "--password-stdin", "无此人"),
            PASSWORD,
            "没有用户“无此人”（genreport users list 列出全部用户）",
        ),
        (("disable", "无此人"), PASSWORD, "没有用户“无此人”"),
        (("assign", "甲县", "--counties", "乙县"), PASSWORD, "“甲县”不是市级用户的单位"),
    ],
    ids=[
        "short",
        "short-name",
        "same as name",
        "no unit",
        "space",
        "county counties",
        "passwd",
        "disable",
        "assign",
    ],
)
def test_users_commands_refuse_with_a_chinese_reason(users_cli, args, password, message) -> None:
    code, out, err = users_cli(*args, password=password)
    assert (code, out) == (1, "")
    assert err.startswith(f"错误：{message}"), err
    assert "Traceback" not in err


def test_a_county_cannot_be_assigned_to_two_cities(users_cli) -> None:
    for city in ("甲市", "乙市"):
        users_cli("add", f"{city}用户", "--role", "city", "--unit", city, "--password-stdin")
    assert users_cli("assign", "甲市", "--counties", "某县")[0] == 0
    code, _, err = users_cli("assign", "乙市", "--counties", "某县")
    assert code == 1 and err.startswith("错误：“某县”已分配给“甲市”")


def test_a_duplicate_user_is_refused(users_cli) -> None:
    users_cli("add", "张三", "--role", "admin", "--password-stdin")
    code, _, err = users_cli("add", "张三", "--role", "admin", "--password-stdin")
    assert code == 1 and "用户“张三”已存在" in err


@pytest.mark.parametrize("command", sorted(users_group.commands))
def test_every_users_command_has_chinese_help_and_is_in_the_readme(run_cli, command: str) -> None:
    code, out, _ = run_cli("users", command, "--help")
    assert code == 0 and "示例" in out and f"genreport users {command}" in out
    assert f"genreport users {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args", [("serve", "--help"), ("users", "--help"), ("users", "add", "--help")]
)
def test_web_help_loads_no_web_or_pipeline_library(args: tuple[str, ...]) -> None:
    assert set(WEB_LIBRARIES) <= set(HEAVY)
    heavy = [m for m in loaded_by(*args) if m.split(".")[0] in HEAVY]
    assert heavy == []


def test_the_data_directory_defaults_to_the_users_application_data(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_data_dir() == tmp_path / "xdg" / "genreport"
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert default_data_dir() == tmp_path / "Roaming" / "genreport"
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"


# ------------------------------------------------------------------ signing in


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(accounts, "utcnow", frozen)
    return frozen


def _attempt(web: Web, username: str, password: str):
    client = web.anonymous()
    page = client.get("/login")
    return client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": username, "password": password}
    )


def test_failed_sign_ins_earn_a_growing_delay_even_for_the_right_password(web: Web, clock) -> None:
    for _ in range(security.ACCOUNT_FREE_TRIES):
        reply = _attempt(web, "county", "wrong-password")
        assert reply.status_code == 401 and "用户名或密码错误" in reply.text
    refused = _attempt(web, "county", PASSWORD)
    assert refused.status_code == 429 and "登录失败次数过多，请 1 秒后再试" in refused.text
    clock.advance(1)
    assert _attempt(web, "county", "wrong-password").status_code == 401
    assert "请 2 秒后再试" in _attempt(web, "county", PASSWORD).text
    clock.advance(2)
    assert _attempt(web, "county", PASSWORD).url.path == f"/units/{web.unit_id(COUNTY)}"
    # Success forgets the account's failures.
    assert _attempt(web, "county", "wrong-password").status_code == 401


def test_the_delay_is_bounded_and_forgotten_after_an_hour(web: Web, clock) -> None:
    waits = [security.login_delay(n, security.ACCOUNT_FREE_TRIES) for n in range(40)]
    assert waits[:3] == [0, 0, 0] and waits[3:6] == [1, 2, 4]
    assert max(waits) == security.MAX_LOGIN_DELAY and waits == sorted(waits)
    for _ in range(20):
        clock.advance(security.MAX_LOGIN_DELAY)
        _attempt(web, "county", "wrong-password")
    text = _attempt(web, "county", PASSWORD).text
    wait = int(re.search(r"请 (\d+) 秒后再试", text).group(1))
    assert 0 < wait <= security.MAX_LOGIN_DELAY
    clock.advance(security.FORGET_FAILURES_AFTER.total_seconds() + 1)
    assert _attempt(web, "county", PASSWORD).status_code == 200


def test_one_client_failing_on_many_accounts_is_delayed_too(web: Web, clock) -> None:
    for n in range(security.CLIENT_FREE_TRIES):
        assert _attempt(web, f"guess{n}", "wrong-password").status_code == 401
    assert _attempt(web, "county", PASSWORD).status_code == 429


def test_unknown_names_and_disabled_accounts_are_refused_and_audited(web: Web) -> None:
    with web.bench.db() as db:
        accounts.set_disabled(db, "other", True)
    assert "用户名或密码错误" in _attempt(web, "nobody", PASSWORD).text
    assert "该账号已停用" in _attempt(web, "other", PASSWORD).text
    with web.bench.db() as db:
        failed = [(e.username, e.detail) for e in db.query(AuditEntry).filter_by(action="登录失败")]
    assert failed == [("nobody", "用户名或密码错误"), ("other", "账号已停用")]


def test_the_database_keeps_no_session_token(web: Web) -> None:
    client = web.signed_in("county")
    cookie = client.cookies["genreport_session"]
    token = cookie.strip('"').rpartition(".")[0]
    with web.bench.db() as db:
        stored = [row.id for row in db.query(accounts.SessionRow)]
    assert stored == [security.token_id(token)] and token not in stored
