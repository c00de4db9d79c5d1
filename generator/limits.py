"""Every bound on inputs in one place (generator.inputs.bounds applies them to loaded data).

Inputs come from anywhere (copies of copies, files mailed between bureaus), so nothing
a file says may make genreport read, build or compute without bound (rendering is
bounded by generator/render/sandbox.py). Each number is
generous for a real bureau (the county example has 4 funds, 32 KB, 1,344 YAML nodes)
and small enough that refusing takes well under a second. docs/安全说明.md lists them.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "MAX_AMOUNT_YUAN",
    "MAX_DATA_FILE_BYTES",
    "MAX_FUNDING_ROWS",
    "MAX_FUNDS",
    "MAX_INDICATORS",
    "MAX_INPUT_BYTES",
    "MAX_LONG_TEXT",
    "MAX_QUANTITY",
    "MAX_SHORT_TEXT",
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_ENTRIES",
    "MAX_WORKBOOK_RATIO",
    "MAX_WORKBOOK_UNCOMPRESSED",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "describe_size",
]

# --- files -------------------------------------------------------------------------
#: A YAML input file; checked before it is read. The county example is 32 KB.
MAX_INPUT_BYTES = 2 * 1024 * 1024
#: A data file beside the templates (rules/<名称>.yaml, 措辞.yaml, 指标体系.yaml); the
#: shipped ones are under 10 KB.
MAX_DATA_FILE_BYTES = 256 * 1024
#: An .xlsx input file as stored on disk.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
#: The sum of the declared uncompressed sizes of all parts of a workbook.
MAX_WORKBOOK_UNCOMPRESSED = 100 * 1024 * 1024
#: Parts in a workbook zip (a real workbook has a few dozen).
MAX_WORKBOOK_ENTRIES = 2_000
#: Uncompressed/compressed ratio allowed for a part above 1 MB (XML compresses ~10×).
MAX_WORKBOOK_RATIO = 200

# --- YAML structure ----------------------------------------------------------------
#: Nodes after expanding aliases (``*名字``): refuses "billion laughs" before building.
MAX_YAML_NODES = 200_000
#: Nesting of mappings and lists; the contract needs 7 levels.
MAX_YAML_DEPTH = 32

# --- contents ----------------------------------------------------------------------
#: Funds (reports) in one input.
MAX_FUNDS = 50
#: Indicators of one fund.
MAX_INDICATORS = 300
#: Rows under 资金 of one fund.
MAX_FUNDING_ROWS = 100
#: Characters of a name-like field (单位, 名称, 来源, 指标值 …).
MAX_SHORT_TEXT = 500
#: Characters of a narrative field (叙述 slots, 说明, 偏差原因, 总体目标 …).
MAX_LONG_TEXT = 20_000
#: Money above this many 元 is a typo (10万亿元, above any bureau's budget).
MAX_AMOUNT_YUAN = Decimal(10) ** 13
#: A 指标值 or 完成值 above this (千万亿, after 万/亿) is a typo, whatever its unit.
MAX_QUANTITY = Decimal(10) ** 15

# --- rendering ---------------------------------------------------------------------
# Time and size bounds of templates and snippets live beside the sandbox that applies
# them (generator/render/sandbox.py: TEMPLATE_TIME_BUDGET, SNIPPET_TIME_BUDGET,
# MAX_TEMPLATE_OUTPUT, MAX_SNIPPET_OUTPUT, MAX_RANGE, MAX_NUMBER), so that importing
# these input limits never loads Jinja.


def describe_size(size: int) -> str:
    """``52428800`` → ``50 MB``: sizes in messages the way file managers show them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} 字节"
