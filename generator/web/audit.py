"""The audit log: every action, with who, when, which unit and which version.

Actions are recorded in Chinese as the audit page shows them (plain text: a new action
needs no migration); entries are only added.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from generator.web.models import AuditEntry, User

__all__ = ["Action", "record"]


class Action:
    LOGIN = "登录"
    LOGIN_FAILED = "登录失败"
    LOGOUT = "退出"
    UPLOAD = "上传"
    RESTORE = "恢复版本"
    DOWNLOAD_INPUT = "下载输入文件"
    DOWNLOAD_REPORT = "下载报告"
    DOWNLOAD_ZIP = "下载全部报告"
    DOWNLOAD_WORKBOOK = "下载填报模板"
    DOWNLOAD_NEXT_YEAR = "下载下一年度输入"
    USER_ADDED = "添加用户"
    PASSWORD_CHANGED = "修改密码"
    USER_DISABLED = "停用用户"
    USER_ENABLED = "启用用户"
    COUNTIES_ASSIGNED = "分配县区"
    INTERRUPTED = "处理中断"
    PREVIEW = "预览报告"
    DOWNLOAD_PDF = "下载 PDF"
    DOWNLOAD_SELFEVAL = "下载自评表"
    DOWNLOAD_COUNTIES = "下载各县区报告"
    DOWNLOAD_SUMMARY = "下载汇总表"
    DOWNLOAD_ROLLUP = "下载汇总输入"
    ROLLUP = "汇总生成"
    IMPORT = "导入上年报告"


def record(
    db: Session,
    action: str,
    *,
    user: User | None = None,
    username: str = "",
    unit_id: int | None = None,
    version_id: int | None = None,
    detail: str = "",
    client: str = "",
) -> None:
    """Add one entry to ``db``'s transaction (the caller commits it with the action itself)."""
    db.add(
        AuditEntry(
            user_id=user.id if user is not None else None,
            username=(user.username if user is not None else username)[:64],
            action=action,
            unit_id=unit_id,
            version_id=version_id,
            detail=detail,
            client=client[:64],
        )
    )
