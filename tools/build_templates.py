"""Build the three Word report templates in templates/ (转移支付, 评价报告, 项目支出).

The templates are committed binaries that staff may open and edit in Word, so they are
generated from this script rather than edited by hand: the GB/T 9704 page setup, the
styles and the self-evaluation tables are defined once here. Tags are plain
docxtpl/Jinja text in ordinary runs. Run from anywhere: ``python tools/build_templates.py``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.render.document import finalize_docx  # noqa: E402

TEMPLATE_DIR = ROOT / "templates"

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

TEXT_WIDTH = 8845  # twips: 210 mm - 28 mm - 26 mm
BODY_SIZE = 32  # half-points: 3号 = 16 pt
LINE_EXACT = 579  # twips: 28.95 pt, 22 lines in the 225 mm text block
CHAR = 320  # twips: one 16 pt character

# Paragraph style ids (names are what users see in Word).
NORMAL = "Normal"
TITLE = "Title"
H1, H2, H3 = "Heading1", "Heading2", "Heading3"
ADDRESSEE = "Addressee"
SIGNATURE = "Signature"
ANNEX = "AnnexLabel"
ANNEX_NOTE = "AnnexNote"
TABLE_TITLE = "TableTitle"
CELL_TEXT = "TableText"
CELL_NUMBER = "TableNumber"
CELL_HEAD = "TableHead"
TABLE_GAP = "TableGap"
FOOTER = "Footer"

KEEP_STYLES = {"DefaultParagraphFont", "TableNormal", "NoList"}


# --------------------------------------------------------------------------- styles


def _fonts(font: str) -> str:
    return (
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
        f'w:cs="{font}" w:hint="eastAsia"/>'
    )


def _style_xml(
    style_id: str,
    name: str,
    *,
    font: str = FANGSONG,
    size: int = BODY_SIZE,
    bold: bool = False,
    jc: str = "both",
    first_line: bool = True,
    exact_line: int | None = LINE_EXACT,
    before: int = 0,
    after: int = 0,
    right_chars: int = 0,
    outline: int | None = None,
    keep_next: bool = False,
    based_on: str | None = NORMAL,
    next_id: str | None = None,
    default: bool = False,
    custom: bool = True,
) -> str:
    """One paragraph style, written out completely so no theme font or colour leaks in."""
    attrs = ' w:type="paragraph"'
    if default:
        attrs += ' w:default="1"'
    if custom:
        attrs += ' w:customStyle="1"'
    parts = [f'<w:style {nsdecls("w")}{attrs} w:styleId="{style_id}">', f'<w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    parts.append('<w:uiPriority w:val="9"/><w:qFormat/>' if outline is not None else "<w:qFormat/>")
    ppr = []
    if keep_next:
        ppr.append("<w:keepNext/><w:keepLines/>")
    if based_on is None:
        # 公文 pages keep a fixed 22-line grid: no widow/orphan control in the base style.
        ppr.append('<w:widowControl w:val="0"/>')
        # No punctuation hanging past the right margin: the text block is a hard edge.
        ppr.append('<w:overflowPunct w:val="0"/>')
    if exact_line is None:
        ppr.append('<w:snapToGrid w:val="0"/>')
        ppr.append(
            f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'
        )
    else:
        ppr.append(
            f'<w:spacing w:before="{before}" w:after="{after}" '
            f'w:line="{exact_line}" w:lineRule="exact"/>'
        )
    indent = (
        f'w:firstLineChars="200" w:firstLine="{2 * CHAR}"'
        if first_line
        else 'w:firstLineChars="0" w:firstLine="0"'
    )
    indent += f' w:leftChars="0" w:left="0" w:rightChars="{right_chars}" w:right="{right_chars * CHAR // 100}"'
    ppr.append(f"<w:ind {indent}/>")
    ppr.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append("<w:pPr>" + "".join(ppr) + "</w:pPr>")
    weight = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    parts.append(
        f'<w:rPr>{_fonts(font)}{weight}<w:color w:val="000000"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )
    parts.append("</w:style>")
    return "".join(parts)


def _heading_style(
    style_id: str, name: str, outline: int, *, font: str = FANGSONG, bold: bool = False
) -> str:
    """A built-in heading: in the navigation pane, kept with the paragraph after it."""
    return _style_xml(
        style_id,
        name,
        font=font,
        bold=bold,
        outline=outline,
        keep_next=True,
        next_id=NORMAL,
        custom=False,
    )


def _title_style(
    style_id: str, name: str, size: int, exact_line: int, *, after: int = 0, custom: bool = True
) -> str:
    """A centred 方正小标宋 title (of the report or of an annexed table)."""
    return _style_xml(
        style_id,
        name,
        font=XIAOBIAOSONG,
        size=size,
        jc="center",
        first_line=False,
        exact_line=exact_line,
        after=after,
        custom=custom,
    )


def _cell_style(
    style_id: str, name: str, *, font: str = FANGSONG, jc: str = "center", based_on: str = CELL_TEXT
) -> str:
    """Text in a table cell: 五号, single-spaced so rows stay as low as their text allows."""
    return _style_xml(
        style_id,
        name,
        font=font,
        size=21,
        jc=jc,
        first_line=False,
        exact_line=None,
        based_on=based_on,
    )


STYLES: tuple[str, ...] = (
    _style_xml(NORMAL, "Normal", based_on=None, default=True, custom=False),
    _title_style(TITLE, "Title", 44, 700, after=LINE_EXACT, custom=False),
    _heading_style(H1, "heading 1", 0, font=HEITI),
    _heading_style(H2, "heading 2", 1, font=KAITI),
    _heading_style(H3, "heading 3", 2, bold=True),
    _style_xml(ADDRESSEE, "主送", jc="left", first_line=False),
    _style_xml(SIGNATURE, "落款", jc="right", first_line=False, right_chars=200),
    _style_xml(ANNEX, "附件", font=HEITI, jc="left", first_line=False),
    # 附件说明: two characters in, later lines aligned after 「附件：」 (GB/T 9704 7.3.6).
    _style_xml(ANNEX_NOTE, "附件说明", first_line=False).replace(
        'w:firstLineChars="0" w:firstLine="0" w:leftChars="0" w:left="0"',
        f'w:hangingChars="300" w:hanging="{3 * CHAR}" w:leftChars="500" w:left="{5 * CHAR}"',
    ),
    _title_style(TABLE_TITLE, "表题", 36, 560),
    _cell_style(CELL_TEXT, "表格文字", jc="left", based_on=NORMAL),
    _cell_style(CELL_NUMBER, "表格数字"),
    _cell_style(CELL_HEAD, "表头", font=HEITI),
    _style_xml(TABLE_GAP, "表格间隔", size=2, jc="left", first_line=False, exact_line=20),
    _style_xml(
        FOOTER,
        "footer",
        font=SONGTI,
        size=28,
        jc="center",
        first_line=False,
        exact_line=None,
        custom=False,
    ),
)

DOC_DEFAULTS = (
    f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts(FANGSONG)}"
    f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
)


def install_styles(doc: Any) -> None:
    """Replace the default styles with the 公文 set (and drop the unused built-ins)."""
    styles = doc.styles.element
    for style in list(styles.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    old_defaults = styles.find(qn("w:docDefaults"))
    old_defaults.addprevious(parse_xml(DOC_DEFAULTS))
    styles.remove(old_defaults)
    for xml in STYLES:
        styles.append(parse_xml(xml))


# --------------------------------------------------------------------------- page setup


def _page_number_paragraph(align: str) -> str:
    """'— N —' in 宋体 4号, one character in from the outer edge."""
    side = "right" if align == "right" else "left"
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    return (
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{FOOTER}"/>'
        f'<w:ind w:{side}Chars="100" w:{side}="280"/><w:jc w:val="{align}"/></w:pPr>'
        + run.format("— ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + "<w:r><w:t>1</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run.format(" —")
        + "</w:p>"
    )


def setup_page(doc: Any) -> None:
    """A4, GB/T 9704 margins, odd/even footers with outer page numbers."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        element = footer._element
        for child in list(element):
            element.remove(child)
        element.append(parse_xml(_page_number_paragraph(align)))

    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def clean_package(doc: Any) -> None:
    """Drop the default template's thumbnail and descriptive metadata."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rel_id]
    props = doc.core_properties
    props.comments = ""
    props.subject = ""


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """One table cell: text (may hold Jinja tags), grid span, paragraph style, static vMerge."""

    text: str = ""
    span: int = 1
    style: str = CELL_NUMBER
    vmerge: str = ""  # "restart" | "continue" | ""


def _cell_xml(cell: Cell, width: int) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if cell.span > 1:
        props += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif cell.vmerge == "continue":
        props += "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    run = f'<w:r><w:t xml:space="preserve">{escape(cell.text)}</w:t></w:r>' if cell.text else ""
    return (
        f"<w:tc><w:tcPr>{props}</w:tcPr>"
        f'<w:p><w:pPr><w:pStyle w:val="{cell.style}"/></w:pPr>{run}</w:p></w:tc>'
    )


def add_table(
    doc: Any,
    widths: Sequence[int],
    rows: Sequence[Sequence[Cell]],
    header_rows: int,
    *,
    bottom_border: bool = True,
) -> None:
    """A fixed-layout bordered table spanning the text block; the first rows repeat on each page."""
    if sum(widths) != TEXT_WIDTH:
        raise ValueError(f"table widths sum to {sum(widths)}, expected {TEXT_WIDTH}")
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    sides = {side: line for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    if not bottom_border:
        sides["bottom"] = 'w:val="nil"'
    borders = "".join(f"<w:{side} {value}/>" for side, value in sides.items())
    xml = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>",
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>',
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>',
        '<w:tblLayout w:type="fixed"/>',
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for index, row in enumerate(rows):
        if sum(cell.span for cell in row) != len(widths):
            raise ValueError(
                f"row {index} spans {sum(c.span for c in row)} of {len(widths)} columns"
            )
        row_props = '<w:cantSplit/><w:trHeight w:val="454" w:hRule="atLeast"/>'
        if index < header_rows:
            row_props += "<w:tblHeader/>"
        xml.append(f"<w:tr><w:trPr>{row_props}</w:trPr>")
        column = 0
        for cell in row:
            xml.append(_cell_xml(cell, sum(widths[column : column + cell.span])))
            column += cell.span
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    doc.element.body.sectPr.addprevious(parse_xml("".join(xml)))


def add_gap(doc: Any) -> None:
    """A 1 pt paragraph between two tables.

    Word and LibreOffice join tables that touch, and a joined table loses the repeated
    heading row of the second one; the upper table has no bottom border so the pair still
    reads as one table.
    """
    xml = f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{TABLE_GAP}"/></w:pPr></w:p>'
    doc.element.body.sectPr.addprevious(parse_xml(xml))


def tag_row(tag: str, columns: int) -> list[Cell]:
    """A row holding only a ``{%tr ... %}`` tag; docxtpl removes the whole row."""
    return [Cell(tag, columns, CELL_TEXT)]


@dataclass(frozen=True)
class Column:
    """One column of a table block: its heading and the cell the row below it holds."""

    heading: str
    value: str
    span: int = 1
    style: str = CELL_NUMBER


def item_column(
    item: str, field: str, heading: str = "", *, span: int = 1, style: str = CELL_NUMBER
) -> Column:
    """A column showing one field of each looped item, headed by the field's name unless told."""
    return Column(heading or field, f"{{{{ {item}.{field} }}}}", span, style)


def column_block(
    columns: Sequence[Column], *, loop: str = "", label: str = "", label_span: int = 1
) -> list[list[Cell]]:
    """A heading row over a value row.

    With ``loop`` the value row repeats once per item; with ``label`` a vertically
    merged heading runs down the left of both rows.
    """
    heading = [Cell(column.heading, column.span, CELL_HEAD) for column in columns]
    values = [Cell(column.value, column.span, column.style) for column in columns]
    if label:
        heading.insert(0, Cell(label, label_span, CELL_HEAD, "restart"))
        values.insert(0, Cell("", label_span, CELL_HEAD, "continue"))
    if not loop:
        return [heading, values]
    width = sum(cell.span for cell in heading)
    return [
        heading,
        tag_row(f"{{%tr for {loop} %}}", width),
        values,
        tag_row("{%tr endfor %}", width),
    ]


def field_row(*fields: tuple[str, int, int]) -> list[Cell]:
    """Pairs of a heading and the 自评表 field of that name, each with its own span."""
    row: list[Cell] = []
    for name, heading_span, value_span in fields:
        row.append(Cell(name, heading_span, CELL_HEAD))
        row.append(Cell(f"{{{{ 自评表.{name} }}}}", value_span, CELL_TEXT))
    return row


# The three indicator levels that open every indicator table; the first two merge down.
INDICATOR_LEVELS = (
    Column("一级指标", "{% vmerge r.一级合并 %}{{ r.一级 }}"),
    Column("二级指标", "{% vmerge r.二级合并 %}{{ r.二级 }}"),
    item_column("r", "名称", "三级指标", style=CELL_TEXT),
)
ACHIEVED = "{{ r.完成值 }}{% if r.上年完成值 %}（上年{{ r.上年完成值 }}）{% endif %}"


@dataclass(frozen=True)
class SelfEvaluationForm:
    """What differs between the two 自评表 forms; their rows are built alike."""

    grid: tuple[int, ...]
    unit_spans: tuple[int, int, int]  # 主管部门 value, 实施单位 heading, 实施单位 value
    money_label: str
    money: tuple[Column, ...]
    goal_label_span: int
    achieved_label: str
    indicator_headings: tuple[str, str, str]  # target, achieved value, deviation
    scored: bool = False  # 分值 and 得分 per indicator, and a 总分 row
    #: The indicator table's own columns: 三级指标 wide enough for its text in three
    #: lines, the deviation column (mostly empty) narrow.
    indicator_grid: tuple[int, ...] = ()
    wide_deviation_grid: tuple[int, ...] = ()


def project_rows(form: SelfEvaluationForm) -> list[list[Cell]]:
    """The header table: project and units, the money block, the overall goal."""
    columns = len(form.grid)
    department_span, unit_heading_span, unit_span = form.unit_spans
    goals = (
        Column("预期目标", "{{ 自评表.总体目标 }}", 3, CELL_TEXT),
        Column(
            form.achieved_label,
            "{{ 自评表.总体完成情况 }}",
            columns - form.goal_label_span - 3,
            CELL_TEXT,
        ),
    )
    return [
        field_row(("项目名称", 2, columns - 2)),
        field_row(("主管部门", 2, department_span), ("实施单位", unit_heading_span, unit_span)),
        *column_block(
            (Column("", "{{ m.名称 }}", 2, CELL_TEXT), *form.money),
            loop="m in 自评表.资金行",
            label=form.money_label,
        ),
        *column_block(goals, label="年度总体目标", label_span=form.goal_label_span),
    ]


def indicator_rows(form: SelfEvaluationForm) -> list[list[Cell]]:
    """The indicator table; the deviation column (and the 总分 row's tail) takes the rest."""
    target, achieved, deviation = form.indicator_headings
    measured = (*INDICATOR_LEVELS, item_column("r", "指标值", target), Column(achieved, ACHIEVED))
    scores = (item_column("r", "分值"), item_column("r", "得分")) if form.scored else ()
    grid = form.indicator_grid or form.grid
    rest = len(grid) - sum(column.span for column in (*measured, *scores))
    columns = (*measured, *scores, item_column("r", "偏差", deviation, span=rest, style=CELL_TEXT))
    rows = column_block(columns, loop="r in 自评表.指标行")
    if form.scored:
        rows.append(
            [
                Cell("总分", sum(column.span for column in measured), CELL_HEAD),
                Cell("{{ 自评表.分值合计 }}"),
                Cell("{{ 自评表.总分 }}"),
                Cell("", rest),
            ]
        )
    return rows


def self_evaluation_tables(doc: Any, form: SelfEvaluationForm) -> None:
    """The header table and, below a gap, the indicator table of one 自评表 form."""
    add_table(doc, form.grid, project_rows(form), header_rows=0, bottom_border=False)
    add_gap(doc)
    by_deviation(
        doc,
        lambda grid: add_table(doc, grid, indicator_rows(form), header_rows=1),
        form.indicator_grid or form.grid,
        form.wide_deviation_grid or form.indicator_grid or form.grid,
    )


def by_deviation(
    doc: Any,
    table: Callable[[tuple[int, ...]], None],
    narrow: tuple[int, ...],
    wide: tuple[int, ...],
) -> None:
    """The indicator table twice, chosen by its content: a wide deviation column when the
    reasons are long (自评表.偏差列宽), otherwise a narrow one leaving room for 三级指标."""
    writer = Writer(doc)
    writer.tag("{%p if 自评表.偏差列宽 %}")
    table(wide)
    writer.tag("{%p else %}")
    table(narrow)
    writer.tag("{%p endif %}")


# 项目支出绩效自评表: the money block and the indicators carry scores.
SCORE_FORM = SelfEvaluationForm(
    grid=(1000, 1000, 800, 1300, 1500, 700, 700, 500, 850, 495),
    unit_spans=(3, 2, 3),
    money_label="项目资金（{{ 金额单位 }}）",
    money=(
        item_column("m", "年初预算数"),
        item_column("m", "全年预算数"),
        item_column("m", "全年执行数", span=2),
        item_column("m", "分值"),
        item_column("m", "执行率"),
        item_column("m", "得分"),
    ),
    goal_label_span=2,
    achieved_label="实际完成情况",
    indicator_headings=("年度指标值", "实际完成值", "偏差原因分析及改进措施"),
    scored=True,
    indicator_grid=(700, 800, 2000, 1300, 1300, 550, 650, 1545),
    wide_deviation_grid=(700, 800, 1700, 1100, 1100, 550, 650, 2245),
)

# 转移支付项目绩效目标自评表 (domain.md §5): header, money (A, B, B/A) with fund-specific rows,
# the seven 资金管理情况 rows, goals; indicators without scores.
TRANSFER_GRID = (1000, 1700, 1500, 1500, 1500, 1645)
TRANSFER_INDICATOR_GRID = (900, 1000, 2400, 1550, 1550, 1445)
TRANSFER_WIDE_DEVIATION_GRID = (900, 1000, 2000, 1300, 1300, 2345)


def transfer_header_rows() -> list[list[Cell]]:
    """Header, money, 资金管理情况 and goal blocks of the transfer-payment form."""

    def value(name: str, span: int) -> Cell:
        return Cell(f"{{{{ 自评表.{name} }}}}", span, CELL_TEXT)

    money = (
        Column("", "{{ m.名称 }}", 2, CELL_TEXT),
        item_column("m", "全年预算数", "全年预算数（A）"),
        item_column("m", "全年执行数", "全年执行数（B）"),
        item_column("m", "执行率", "执行率（B/A）"),
    )
    management = (
        item_column("g", "方面", "方面", style=CELL_TEXT),
        item_column("g", "情况说明", span=2, style=CELL_TEXT),
        item_column("g", "存在问题和改进措施", span=2, style=CELL_TEXT),
    )
    goals = (
        Column("总体目标", "{{ 自评表.总体目标 }}", 3, CELL_TEXT),
        Column("全年实际完成情况", "{{ 自评表.总体完成情况 }}", 2, CELL_TEXT),
    )
    return [
        [Cell("转移支付（项目）名称", 2, CELL_HEAD), value("转移支付名称", 4)],
        [
            Cell("中央主管部门", 2, CELL_HEAD),
            value("中央主管部门", 1),
            Cell("地方主管部门", 1, CELL_HEAD),
            value("地方主管部门", 2),
        ],
        [Cell("资金使用单位", 2, CELL_HEAD), value("资金使用单位", 4)],
        *column_block(money, loop="m in 自评表.资金行", label="资金情况（{{ 金额单位 }}）"),
        *column_block(management, loop="g in 自评表.资金管理行", label="资金管理情况"),
        *column_block(goals, label="年度总体目标"),
    ]


def transfer_tables(doc: Any) -> None:
    """The transfer-payment form: header table and, below a gap, the indicator table."""
    add_table(doc, TRANSFER_GRID, transfer_header_rows(), header_rows=0, bottom_border=False)
    add_gap(doc)
    columns = (
        *INDICATOR_LEVELS,
        item_column("r", "指标值"),
        Column("全年实际完成值", ACHIEVED),
        item_column("r", "偏差", "未完成原因和改进措施", style=CELL_TEXT),
    )
    rows = column_block(columns, loop="r in 自评表.指标行")
    by_deviation(
        doc,
        lambda grid: add_table(doc, grid, rows, header_rows=1),
        TRANSFER_INDICATOR_GRID,
        TRANSFER_WIDE_DEVIATION_GRID,
    )


# The county comparison of a roll-up (city) report: 5 columns.
COUNTY_GRID = (3245, 1400, 1200, 1500, 1500)


def county_table(doc: Any) -> None:
    """县区对比: score, grade, 执行率 and 到位率 per county (only in roll-up reports)."""
    columns = (
        item_column("c", "县区", style=CELL_TEXT),
        *(item_column("c", field) for field in ("得分", "等级", "执行率", "到位率")),
    )
    add_table(doc, COUNTY_GRID, column_block(columns, loop="c in 县区对比"), header_rows=1)


# --------------------------------------------------------------------------- body text


#: The title in the lines form_context.py broke it into (never inside a word).
TITLE_LINES = '{{ 标题行|join("\n") }}'

# A narrative paragraph is text, or {文字, 级别} where 级别 1/2/3 make it a heading.
LEVEL_STYLES = ((1, H1), (2, H2), (3, H3))

#: Per 公文 level: the number as printed, the style of a heading line of its own, and
#: the font and weight of a heading run in at the start of a body paragraph.
LEVEL_NUMBERS = {
    1: ("", "中文序号", "、"),
    2: ("（", "中文序号", "）"),
    3: ("", "序号", "."),
    4: ("（", "序号", "）"),
}
LEVEL_HEADINGS = {1: H1, 2: H2, 3: H3, 4: NORMAL}
LEVEL_RUNS = {1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True), 4: (FANGSONG, False)}
DEEPEST = 4


class Writer:
    """Appends template paragraphs to a document, one run per paragraph."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def para(self, text: str, style: str = NORMAL, *, page_break: bool = False) -> None:
        run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        flag = "<w:pageBreakBefore/>" if page_break else ""
        xml = f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/>{flag}</w:pPr>{run}</w:p>'
        self.doc.element.body.sectPr.addprevious(parse_xml(xml))

    def tag(self, text: str) -> None:
        """A paragraph holding only a ``{%p ... %}`` tag (removed when rendered)."""
        self.para(text)

    def runs(self, parts: Sequence[tuple[str, str | None, bool]], style: str = NORMAL) -> None:
        """One paragraph of several runs: (text, font or None for the style's, bold)."""
        xml = [f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>']
        for text, font, bold in parts:
            props = (_fonts(font) if font else "") + ("<w:b/><w:bCs/>" if bold else "")
            xml.append(
                f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            )
        xml.append("</w:p>")
        self.doc.element.body.sectPr.addprevious(parse_xml("".join(xml)))

    def h1(self, text: str) -> None:
        self.para(text, H1)

    def h2(self, text: str) -> None:
        self.para(text, H2)

    def h3(self, text: str) -> None:
        self.para(text, H3)

    def each(self, items: str, line: str = "", var: str = "段") -> None:
        """One paragraph per item of a list of paragraphs.

        Without ``line`` an item is text or ``{文字, 级别}``: 级别 1, 2, 3 print it as a
        黑体, 楷体 or bold 仿宋 heading, anything else as body text.
        """
        self.tag(f"{{%p for {var} in {items} %}}")
        if line:
            self.para(line)
        else:
            for level, style in LEVEL_STYLES:
                keyword = "if" if level == 1 else "elif"
                self.tag(f"{{%p {keyword} {var} is mapping and {var}.级别 == {level} %}}")
                self.para(f"{{{{ {var}.文字 }}}}", style)
            self.tag("{%p else %}")
            self.para(f"{{{{ {var}.文字 if {var} is mapping else {var} }}}}")
            self.tag("{%p endif %}")
        self.tag("{%p endfor %}")

    def opening(self) -> None:
        """Title, optional 主送 line and the opening paragraph (开头, written per outline)."""
        self.para(TITLE_LINES, TITLE)
        self.tag("{%p if 主送 %}")
        self.para("{{ 主送 }}：", ADDRESSEE)
        self.tag("{%p endif %}")
        self.para("{{ 开头 }}")

    def nested(self, items: str, under: int, var: str = "段") -> None:
        """Leveled paragraphs (节段 items) placed in a section of level ``under``.

        A slot's sub-headings continue the section's level: 层 1 prints one level below
        it, numbered afresh in that level's style (「1.决策依据」 typed under 「1.项目决策」
        prints as 「（1）决策依据」). A heading alone takes the level's heading style; one
        with text run in after it leads a body paragraph in the level's font; a numbered
        sentence is a body paragraph with the number. Deeper than （1）, or body text,
        prints as typed.
        """
        self.tag(f"{{%p for {var} in {items} %}}")
        for depth in range(1, DEEPEST - under + 1):
            level = under + depth
            before, field, after = LEVEL_NUMBERS[level]
            number = f"{before}{{{{ {var}.{field} }}}}{after}"
            font, bold = LEVEL_RUNS[level]
            keyword = "if" if depth == 1 else "elif"
            self.tag(f"{{%p {keyword} {var}.层 == {depth} and {var}.题 and not {var}.正文 %}}")
            self.para(f"{number}{{{{ {var}.题 }}}}", LEVEL_HEADINGS[level])
            self.tag(f"{{%p elif {var}.层 == {depth} and {var}.题 %}}")
            lead, rest = f"{number}{{{{ {var}.题 }}}}", f"{{{{ {var}.正文 }}}}"
            self.runs([(lead, font, bold), (rest, None, False)])
            self.tag(f"{{%p elif {var}.层 == {depth} %}}")
            self.para(f"{number}{{{{ {var}.正文 }}}}")
        if under < DEEPEST:
            self.tag("{%p else %}")
        self.para(f"{{{{ {var}.文字 }}}}")
        if under < DEEPEST:
            self.tag("{%p endif %}")
        self.tag("{%p endfor %}")

    def slot(self, name: str, under: int) -> None:
        """A 叙述 slot's paragraphs in a section of level ``under`` (see :meth:`nested`).

        The ``节.<slot>`` guard also tells ``check`` that this template prints the slot.
        """
        self.tag(f"{{%p if 节.{name} %}}")
        self.nested(f"节段.{name}", under)
        self.tag("{%p endif %}")

    def analysis(self, *, flat: bool) -> None:
        """Indicator analysis as grouped prose: 一级 heading, its 段落, then each 二级's 段落.

        ``flat`` numbers 一级 groups 1. and runs each 二级 name into its first paragraph as
        （n）; otherwise 一级 is an （一） heading and each named 二级 a 1. heading. A group
        without 分值 is narrative only (项目决策 written for a fund without such indicators).

        A group the user wrote about (叙述.项目决策, 过程管理) prints their text first, its
        sub-headings one level below the group's. The per-indicator sentences follow: they
        state each indicator's result and any missed target, which the user's words need
        not. When the user's text has sub-headings of its own, those sentences make one
        paragraph without 二级 headings, which would number the part a second time.
        """
        under = 3 if flat else 2
        points = "{% if 一级.分值 %}（分值{{ 一级.分值 }}分，得分{{ 一级.得分 }}分）{% endif %}"
        self.tag("{#p 一级.段落 carries 节.项目决策 and 节.过程管理 under their own group #}")
        self.tag("{%p for 一级 in 指标分析 %}")
        if flat:
            self.h3("{{ 一级.序号 }}.{{ 一级.名称 }}" + points)
        else:
            self.h2("（{{ 一级.中文序号 }}）{{ 一级.名称 }}" + points)
        self.nested("一级.节段", under)
        self.tag('{%p if 一级.二级组 and 一级.节段|selectattr("层")|list %}')
        self.para('{% for 二级 in 一级.二级组 %}{{ 二级.段落|join("") }}{% endfor %}')
        self.tag("{%p else %}")
        self.tag("{%p for 二级 in 一级.二级组 %}")
        if flat:
            self.tag("{%p for 段 in 二级.段落 %}")
            self.para(
                "{% if loop.first and 二级.名称 %}（{{ 二级.序号 }}）{{ 二级.名称 }}。{% endif %}"
                "{{ 段 }}"
            )
            self.tag("{%p endfor %}")
        else:
            self.tag("{%p if 二级.名称 %}")
            self.h3("{{ 二级.序号 }}.{{ 二级.名称 }}")
            self.tag("{%p endif %}")
            self.each("二级.段落")
        self.tag("{%p endfor %}")
        self.tag("{%p endif %}")
        self.tag("{%p endfor %}")

    def goals(self) -> None:
        """Overall goal and the numbered list of indicator targets."""
        self.para("年度总体目标：{{ 总体目标|成句 }}")
        self.para("具体绩效指标如下：")
        self.each(
            "目标列表", '{{ loop.index }}.{{ 目标 }}{{ "。" if loop.last else "；" }}', "目标"
        )

    def score(self) -> None:
        """The score sentence (总分说明, or a plain one when it is empty) and the rescaling note."""
        self.para(
            "{% if 总分说明 %}{{ 总分说明 }}{% else %}对照绩效指标逐项评分，{{ 名称 }}"
            "{{ 年度 }}年度绩效自评得分为{{ 总分 }}分，评价等级为“{{ 等级 }}”。{% endif %}"
        )
        self.tag("{%p if 折算说明 %}")
        self.para("{{ 折算说明 }}")
        self.tag("{%p endif %}")
        self.tag("{%p if 县区对比 %}")
        self.para("各县区绩效自评情况如下表：")
        county_table(self.doc)
        self.tag("{%p endif %}")

    def signature(self) -> None:
        """附件说明 under the body (a blank line before it), then the 落款."""
        self.tag("{%p if 附件说明 %}")
        self.para("")
        self.para("{{ 附件说明 }}", ANNEX_NOTE)
        self.tag("{%p endif %}")
        self.para("")
        self.para("{{ 单位 }}", SIGNATURE)
        self.tag("{%p if 成文日期 %}")
        self.para("{{ 成文日期 }}", SIGNATURE)
        self.tag("{%p endif %}")

    def annex(self) -> None:
        """The attachment page: 「附件」 top left, the form's title, the form the fund takes."""
        self.para("附件", ANNEX, page_break=True)
        self.para('{{ 自评表.表名行|join("\n") }}', TABLE_TITLE)
        self.para("（{{ 年度 }}年度）", TABLE_TITLE)
        self.tag('{%p if 自评表.布局 == "转移支付" %}')
        transfer_tables(self.doc)
        self.tag("{%p else %}")
        self_evaluation_tables(self.doc, SCORE_FORM)
        self.tag("{%p endif %}")


def write_transfer(w: Writer) -> None:
    """转移支付 outline (domain.md §3)."""
    w.opening()
    w.h1("一、绩效目标分解下达情况")
    w.slot("项目概况", 1)
    w.each("资金下达")
    w.slot("资金安排", 1)
    w.goals()
    w.h1("二、绩效目标完成情况分析")
    w.h2("（一）资金投入情况分析")
    w.h3("1.资金到位和执行情况")
    w.each("资金到位执行")
    w.tag("{%p if 节.资金管理 %}")
    w.h3("2.资金管理情况")
    w.nested("节段.资金管理", 3)
    w.tag("{%p endif %}")
    w.h2("（二）总体绩效目标完成情况分析")
    w.slot("总体完成", 2)
    w.score()
    w.h2("（三）绩效指标完成情况分析")
    w.analysis(flat=True)
    w.h1("三、偏离绩效目标的原因和下一步改进措施")
    w.h2("（一）偏离绩效目标的原因")
    w.slot("存在问题", 2)
    w.h2("（二）下一步改进措施")
    w.slot("改进措施", 2)
    w.h1("四、绩效自评结果拟应用和公开情况")
    w.slot("结果应用", 1)
    w.tag("{%p if 节.其他 %}")
    w.h1("五、其他需要说明的问题")
    w.nested("节段.其他", 1)
    w.tag("{%p endif %}")
    w.signature()
    w.annex()


#: Chinese numerals for sections numbered as they are printed (some may be left out).
NUMERALS = "{%p set 汉字 = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] %}"


def numbered_section(w: Writer, counter: str, slot: str, heading: str) -> None:
    """An （n） heading and its slot's paragraphs, both left out when the slot is empty."""
    w.tag(f"{{%p if 节.{slot} %}}")
    w.tag(f"{{%p set {counter}.n = {counter}.n + 1 %}}")
    w.h2(f"（{{{{ 汉字[{counter}.n - 1] }}}}）{heading}")
    w.nested(f"节段.{slot}", 2)
    w.tag("{%p endif %}")


def write_evaluation(w: Writer) -> None:
    """评价报告 outline (domain.md §3, reference outline of 财预〔2020〕10号)."""
    w.opening()
    w.tag(NUMERALS)
    w.h1("一、基本情况")
    w.h2("（一）项目总体情况")
    w.slot("项目概况", 2)
    w.each("资金情况")
    w.slot("资金安排", 2)
    w.slot("资金管理", 2)
    w.h2("（二）项目绩效目标")
    w.goals()
    w.h1("二、绩效评价工作开展情况")
    w.tag("{%p set 第二 = namespace(n=0) %}")
    numbered_section(w, "第二", "评价目的对象范围", "评价目的、对象和范围")
    numbered_section(w, "第二", "评价方法和等次", "评价方法和评价等次")
    numbered_section(w, "第二", "指标体系", "指标体系设置")
    numbered_section(w, "第二", "评价工作", "评价工作过程")
    w.h1("三、绩效评价结论")
    w.h2("（一）评价得分")
    w.score()
    w.tag("{%p if 节.评价结论 %}")
    w.h2("（二）评价结论")
    w.nested("节段.评价结论", 2)
    w.tag("{%p endif %}")
    w.h1("四、绩效评价指标分析")
    w.slot("总体完成", 1)
    w.analysis(flat=False)
    w.h1("五、存在问题")
    w.slot("存在问题", 1)
    w.h1("六、有关建议")
    w.slot("改进措施", 1)
    w.signature()
    w.annex()


def write_project(w: Writer) -> None:
    """项目支出 outline (domain.md §3): a department's own project."""
    w.opening()
    w.h1("一、项目基本概况")
    w.h2("（一）项目背景和内容")
    w.slot("项目概况", 2)
    w.h2("（二）项目资金情况")
    w.each("资金情况")
    w.slot("资金安排", 2)
    w.slot("资金管理", 2)
    w.h2("（三）绩效目标")
    w.goals()
    w.tag("{%p if 节.职能职责 %}")
    w.h2("（四）部门职能职责")
    w.nested("节段.职能职责", 2)
    w.tag("{%p endif %}")
    w.h1("二、绩效目标完成情况分析")
    w.h2("（一）总体绩效目标完成情况分析")
    w.slot("总体完成", 2)
    w.h2("（二）绩效指标完成情况分析")
    w.analysis(flat=True)
    w.h2("（三）评价结果")
    w.score()
    w.slot("评价结论", 2)
    w.h1("三、存在问题")
    w.slot("存在问题", 1)
    w.tag("{%p for r in 自评表.指标行 if r.偏差 %}")
    w.para("{{ r.名称 }}：{{ r.偏差|成句 }}")
    w.tag("{%p endfor %}")
    w.slot("改进措施", 1)
    w.h1("四、绩效自评结果拟应用和公开情况")
    w.slot("结果应用", 1)
    w.tag("{%p if 节.其他 %}")
    w.h1("五、其他需要说明的问题")
    w.nested("节段.其他", 1)
    w.tag("{%p endif %}")
    w.signature()
    w.annex()


OUTLINES: dict[str, Callable[[Writer], None]] = {
    "转移支付": write_transfer,
    "评价报告": write_evaluation,
    "项目支出": write_project,
}


def build(outline: str) -> bytes:
    """The template for one outline as deterministic .docx bytes."""
    doc = Document()
    install_styles(doc)
    setup_page(doc)
    clean_package(doc)
    OUTLINES[outline](Writer(doc))
    out = io.BytesIO()
    doc.save(out)
    return finalize_docx(
        out.getvalue(),
        title=f"绩效自评报告模板（{outline}）",
        author="genreport",
        created=None,
        fingerprint=False,  # a template is not an output: nothing to protect from re-runs
    )


def main(argv: Sequence[str] = ()) -> int:
    target = Path(argv[0]) if argv else TEMPLATE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for outline in OUTLINES:
        path = target / f"{outline}.docx"
        path.write_bytes(build(outline))
        print(f"已生成 {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
