"""Jinja's and Python's English error texts, told in Chinese for the person editing a template.

A template author sees these in Word terms: which tag is wrong and what it needs. The
kinds Jinja raises are few; each known text is matched and rewritten, anything else
becomes a general Chinese sentence (the caller adds where it happened and the nearby
text), so no English reaches the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["runtime_message", "syntax_message", "template_line"]

#: Jinja's token names in "expected token …" messages.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of comment": "#}",
    "name": "名称",
    "integer": "数字",
    "float": "数字",
    "string": "文字",
    "in": "in",
    ",": "，（英文逗号）",
    ")": ")",
    "]": "]",
    "}": "}",
    ":": ":",
    "=": "=",
}


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


def _closing(tags: str) -> str:
    """``'elif' or 'else' or 'endif'`` → ``{% endif %}`` (the tag that closes the block)."""
    names = re.findall(r"'(\w+)'", tags)
    ends = [name for name in names if name.startswith("end")]
    return f"{{% {(ends or names or ['end'])[-1]} %}}"


_SYNTAX: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"Encountered unknown tag '(.+?)'\. Jinja was looking for the following tags: "
            r"(.+?)\. The innermost block that needs to be closed is '(\w+)'",
            re.S,
        ),
        lambda m: (
            f"出现了“{{% {m[1]} %}}”，但“{{% {m[3]} %}}”还没有用“{_closing(m[2])}”结束："
            "请检查标签的顺序和配对"
        ),
    ),
    (
        re.compile(r"Encountered unknown tag '(.+?)'", re.S),
        lambda m: f"未知的标签“{m[1]}”（可用的标签见 docs/自定义模板.md）",
    ),
    (
        re.compile(
            r"Unexpected end of template\. Jinja was looking for the following tags: (.+?)\. "
            r"The innermost block that needs to be closed is '(\w+)'",
            re.S,
        ),
        lambda m: f"“{{% {m[2]} %}}”没有对应的“{_closing(m[1])}”：可能随一个段落被删除了",
    ),
    (
        re.compile(r"unexpected end of template, expected '(.+?)'", re.S | re.I),
        lambda m: f"标签没有结束：缺少“{_token(m[1])}”",
    ),
    (re.compile(r"unexpected end of template", re.I), lambda _: "标签没有结束"),
    (
        re.compile(r"expected token '(.+?)', got '(.+?)'", re.S),
        lambda m: f"此处应为“{_token(m[1])}”，却是“{_token(m[2])}”",
    ),
    (
        re.compile(r"unexpected char (.+?) at \d+", re.S),
        lambda m: f"有无法识别的字符 {m[1]}：标签中的引号、括号和运算符须用英文半角",
    ),
    (re.compile(r"unexpected '(.+?)'", re.S), lambda m: f"有多余的“{m[1]}”"),
    (
        re.compile(r"No filter named '(.+?)'", re.S),
        lambda m: f"没有名为“{m[1]}”的过滤器（可用的见 docs/模板上下文.md）",
    ),
    (re.compile(r"No test named '(.+?)'", re.S), lambda m: f"没有名为“{m[1]}”的判断（is 之后）"),
    (re.compile(r"block '(.+?)' defined twice", re.S), lambda m: f"块“{m[1]}”定义了两次"),
    (re.compile(r"Missing end of raw directive"), lambda _: "“{% raw %}”没有对应的“{% endraw %}”"),
    (re.compile(r"Missing end of comment tag"), lambda _: "注释“{#”没有对应的“#}”"),
    (re.compile(r"tag name expected"), lambda _: "“{%”之后缺少标签名"),
    (re.compile(r"expected an expression", re.I), lambda _: "此处缺少名称或值"),
    (
        re.compile(r"can't assign to '(.+?)'|cannot assign attribute on non-namespace", re.S),
        lambda _: "只能给名称或 namespace 的属性赋值",
    ),
]

_RUNTIME: list[tuple[type[BaseException], str]] = [
    (ZeroDivisionError, "除数为零"),
    (OverflowError, "数字过大"),
    (ArithmeticError, "计算出错"),
    (TypeError, "数据类型不匹配（例如文字与数字相加、对文字做算术，或调用了不能调用的名称）"),
    (ValueError, "数值无效（例如把文字转换成数字）"),
    (AttributeError, "使用了不存在的属性"),
    (LookupError, "取了不存在的项"),
]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def syntax_message(message: str | None) -> str:
    """A Jinja syntax error's text in Chinese (already Chinese texts are kept)."""
    text = (message or "").strip()
    for pattern, explain in _SYNTAX:
        found = pattern.search(text)
        if found is not None:
            return explain(found)
    if _has_chinese(text) and text.isprintable():
        return text  # ours (e.g. the sandbox's refusal of {% include %})
    return "标签写法有误：请对照 docs/自定义模板.md 检查这一处的括号、引号和标签名"


def runtime_message(exc: BaseException) -> str:
    """A Python error raised while rendering, in Chinese by its kind."""
    if isinstance(exc, LookupError):
        found = re.search(r"has no element (.+)$", str(exc))
        if found is not None:
            return f"取了不存在的第 {found[1]} 项"
    for kind, text in _RUNTIME:
        if isinstance(exc, kind):
            return text
    return "渲染出错"


def template_line(exc: BaseException) -> int | None:
    """The template line the error was raised on, from the traceback Jinja rewrote."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    traceback = exc.__traceback__
    found = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            found = traceback.tb_lineno
        traceback = traceback.tb_next
    return found
