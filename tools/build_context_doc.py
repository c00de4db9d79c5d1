"""Write docs/模板上下文.md from generator/render/names.py, the one list of names.

The document a template author reads and the checker behind ``genreport templates
check`` then cannot disagree. Run ``python tools/build_context_doc.py`` after changing
the context; a test fails when the committed page is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.render.names import CONTEXT, GLOBALS, Name  # noqa: E402

TARGET = ROOT / "docs" / "模板上下文.md"

HEAD = """# 模板上下文：模板中可用的全部名称

Word 模板（`templates/*.docx`，或用 `genreport templates export` 导出后修改的模板）通过
`{{ 名称 }}` 印出数值，通过 `{% for %}`、`{% if %}` 组织段落和表格行。本页列出模板能用的
**全部**名称；`genreport templates check` 按同一份清单检查模板，写错的名称会被指出并给出
最接近的正确名称。怎样修改模板见[自定义模板](自定义模板.md)。

- 所有数值都已按规则算好并格式化为文字（金额带单位，比率带 %），模板只负责摆放，不做计算。
- “文字列表”是若干段落，通常写成一段一个循环：

  ```
  {%p for 段 in 节.存在问题 %}
  {{ 段 }}
  {%p endfor %}
  ```

  `{%p … %}` 独占一段时，生成时整段删除（docxtpl 的段落标签）；表格中用 `{%tr … %}` 按行循环。
- 名称写错、使用不存在的名称时，生成报错（不会印出空白）。

本页由 `tools/build_context_doc.py` 根据 `generator/render/names.py` 生成，请勿手工修改。
"""

TAIL = r"""
## 过滤器和辅助名称

| 名称 | 说明 |
|---|---|
| `成句` | 过滤器：句末没有句号等标点时补一个“。”，如 `{{ 总体目标\|成句 }}` |
{globals}| Jinja 内置过滤器 | 如 `length`、`join`、`default`、`replace`、`first`、`last`（不含 `random`） |

## 表格中的专用标签

- `{%tr for r in 自评表.指标行 %}` … `{%tr endfor %}`：各占一行，生成时按数据重复中间的行。
- `{% vmerge r.一级合并 %}`：写在单元格开头，按 `一级合并` 的值（restart / continue）把相邻
  相同的一级指标格纵向合并；二级指标格用 `r.二级合并`。

## 安全限制

模板和叙述中的占位符都在受限环境中渲染：不能访问 Python 内部属性（如 `__class__`）、文件或
模块；`range()` 最多 10000 项；单次渲染有时间上限和输出长度上限。超出时生成报错并说明原因，
不写任何文件。
"""


def _rows(fields: dict[str, Name]) -> list[str]:
    rows = []
    for key, name in fields.items():
        example = name.example.replace("|", "\\|") if name.example else ""
        rows.append(f"| `{key}` | {name.kind} | {name.meaning} | {example} |")
    return rows


def _section(title: str, intro: str, fields: dict[str, Name]) -> str:
    lines = [f"## {title}", "", intro, "", "| 名称 | 类型 | 说明 | 示例 |", "|---|---|---|---|"]
    lines += _rows(fields)
    return "\n".join(lines) + "\n"


def render() -> str:
    parts = [HEAD, _section("报告一级的名称", "直接写 `{{ 名称 }}`。", dict(CONTEXT))]
    queue: list[tuple[str, Name]] = [(key, name) for key, name in CONTEXT.items() if name.fields]
    while queue:
        path, name = queue.pop(0)
        if name.kind == "字典":
            intro = f"`{path}` 是字典，写作 `{{{{ {path}.名称 }}}}`。"
        elif "[]" in path:
            outer, key = path.rsplit(".", 1)
            intro = (
                f"`{key}` 是外层循环每一项（`{outer.rstrip('[]')}` 的一项）中的列表，写作 "
                f"`{{% for 项 in 外层项.{key} %}}{{{{ 项.名称 }}}}{{% endfor %}}`；"
                "每一项有以下名称。"
            )
        else:
            intro = (
                f"`{path}` 是列表，每一项有以下名称，写作 "
                f"`{{% for 项 in {path} %}}{{{{ 项.名称 }}}}{{% endfor %}}`。"
            )
        parts.append(_section(f"{path}", intro, dict(name.fields)))
        for key, sub in name.fields.items():
            if sub.fields:
                child = f"{path}.{key}" if name.kind == "字典" else f"{path}[].{key}"
                queue.append((child, sub))
    globals_rows = "".join(f"| `{key}` | {text} |\n" for key, text in GLOBALS.items())
    parts.append(TAIL.replace("{globals}", globals_rows))
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else TARGET
    target.write_text(render(), encoding="utf-8")
    print(f"已生成 {target.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
