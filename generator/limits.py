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
    "MAX_TOTAL_INDICATORS",
    "MAX_TOTAL_TEXT",
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
#: Indicators of all funds of one input together, and characters of all its text (each
#: alias counted where it appears): what one answer within 10 seconds can check, render
#: and bind (generator/inputs/totals.py; benchmarks/bench.py measures the largest input).
MAX_TOTAL_INDICATORS = 3_000
MAX_TOTAL_TEXT = 2_000_000
#: Money above this many 元 is a typo (10万亿元, above any bureau's budget).
MAX_AMOUNT_YUAN = Decimal(10) ** 13
#: A 指标值 or 完成值 above this (千万亿, after 万/亿) is a typo, whatever its unit.
MAX_QUANTITY = Decimal(10) ** 15

# --- rendering ---------------------------------------------------------------------
# Time and size bounds of rendering live beside the sandbox that applies them
# (generator/render/sandbox.py: RENDER_TIME_BUDGET, MAX_TEMPLATE_OUTPUT, MAX_RUN_OUTPUT,
# MAX_SNIPPETS_OUTPUT, MAX_RANGE, MAX_NUMBER), so that importing these input limits
# never loads Jinja.


def describe_size(size: int) -> str:
    """``52428800`` → ``50 MB``: sizes in messages the way file managers show them."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} 字节"


# --- workbooks as parsed ------------------------------------------------------------
#: XML elements read from one workbook, all parts together (every cell, row, shared
#: string, style, formatted-only cell). A converted input takes about 30 per indicator,
#: so the largest documented input (50 funds × 300 indicators) needs about 700,000;
#: reading 1.5 million takes about 3 seconds.
MAX_WORKBOOK_XML_ELEMENTS = 1_500_000
#: Merged ranges in one sheet (a real sheet has a few dozen; each is kept as its corners).
MAX_WORKBOOK_MERGED_RANGES = 10_000
#: Cells of a sheet's used rectangle (A1 to its farthest cell or merged range) that
#: ``genreport import`` may load: it reads the 自评表 as a grid, so a stray cell at
#: XFD1048576 would make that grid 17 billion cells. A real 自评表 has about 600.
MAX_WORKBOOK_GRID = 200_000


# --- Word templates from a user's folder (generator/render/template_guard.py) --------
#: A .docx template as stored on disk (the shipped ones are 15 KB; a logo adds some).
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
#: The sum of the declared uncompressed sizes of all parts of a template.
MAX_TEMPLATE_UNCOMPRESSED = 50 * 1024 * 1024
#: Parts in a template zip (a real one has about twenty).
MAX_TEMPLATE_ENTRIES = 1_000
#: Uncompressed/compressed ratio allowed for a part above 1 MB, and for the whole zip.
MAX_TEMPLATE_RATIO = 200
#: XML of a template, all parts together: the shipped ones have 80 KB; each MB of
#: document text takes about half a second to compile.
MAX_TEMPLATE_XML = 2 * 1024 * 1024
#: Jinja tags (``{{ … }}``, ``{% … %}``) in a template's document, headers and footers:
#: the shipped ones have about 130; each thousand takes about 0.15 s to compile.
MAX_TEMPLATE_TAGS = 2_000


# --- last year's report, read by ``genreport import`` (generator/authoring/reading/) --
#: A .docx report as stored on disk (a 40-page report is about 100 KB; photos add MBs).
MAX_REPORT_BYTES = 30 * 1024 * 1024
#: The sum of the declared uncompressed sizes of all parts of a .docx report.
MAX_REPORT_UNCOMPRESSED = 150 * 1024 * 1024
#: Parts in a .docx report zip (a real one has a few dozen, plus one per picture).
MAX_REPORT_ENTRIES = 2_000
#: Uncompressed/compressed ratio allowed for a part above 1 MB, and for the whole zip.
MAX_REPORT_RATIO = 200
#: The body XML (word/document.xml) of a .docx report: a 40-page report has about 1 MB;
#: reading 20 MB takes about a second.
MAX_REPORT_XML = 20 * 1024 * 1024
#: A .txt report (the text of a web page): a 40-page report has about 100 KB.
MAX_REPORT_TEXT_BYTES = 5 * 1024 * 1024
