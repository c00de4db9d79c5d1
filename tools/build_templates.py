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
    rest = len(form.grid) - sum(column.span for column in (*measured, *scores))
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
    add_table(doc, form.grid, indicator_rows(form), header_rows=1)


# 项目支出绩效自评表: the money block and the indicators carry scores.
SCORE_FORM = SelfEvaluationForm(
    grid=(750, 850, 1250, 1300, 1300, 650, 750, 550, 850, 595),
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
)

# 转移支付区域绩效自评表: budget (A), execution (B), B/A; indicators without scores.
TRANSFER_FORM = SelfEvaluationForm(
    grid=(1000, 1100, 1800, 1500, 1300, 2145),
    unit_spans=(1, 1, 2),
    money_label="资金情况（{{ 金额单位 }}）",
    money=(
        item_column("m", "全年预算数", "全年预算数（A）"),
        item_column("m", "全年执行数", "全年执行数（B）"),
        item_column("m", "执行率", "执行率（B/A）"),
    ),
    goal_label_span=1,
    achieved_label="全年实际完成情况",
    indicator_headings=("指标值", "全年实际完成值", "未完成原因和改进措施"),
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

    def h1(self, text: str) -> None:
        self.para(text, H1)

    def h2(self, text: str) -> None:
        self.para(text, H2)

    def h3(self, text: str) -> None:
        self.para(text, H3)

    def each(self, items: str, line: str = "{{ 段 }}", var: str = "段") -> None:
        """One paragraph per item of a list of paragraphs."""
        self.tag(f"{{%p for {var} in {items} %}}")
        self.para(line)
        self.tag("{%p endfor %}")

    def opening(self, text: str) -> None:
        """Title, optional 主送 line and the opening paragraph."""
        self.para("{{ 标题 }}", TITLE)
        self.tag("{%p if 主送 %}")
        self.para("{{ 主送 }}：", ADDRESSEE)
        self.tag("{%p endif %}")
        self.para(text)

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

    def indicator(self, number: str) -> None:
        """One indicator: its number and name run into the first paragraph of its analysis."""
        self.para(
            f"（{number}）{{{{ 指标.名称 }}}}。"
            "{% if 指标.段落 %}{{ 指标.段落[0] }}{% endif %}"
        )
        self.each("指标.段落[1:]")

    def indicators_flat(self) -> None:
        """1. per 一级 group with its points, (n) per indicator numbered through the group."""
        self.tag("{%p for 一级 in 指标分析 %}")
        self.h3("{{ 一级.序号 }}.{{ 一级.名称 }}（分值{{ 一级.分值 }}分，得分{{ 一级.得分 }}分）")
        self.tag("{%p set 计数 = namespace(n=0) %}")
        self.tag("{%p for 二级 in 一级.二级组 %}")
        self.tag("{%p for 指标 in 二级.指标 %}")
        self.tag("{%p set 计数.n = 计数.n + 1 %}")
        self.indicator("{{ 计数.n }}")
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")

    def signature(self) -> None:
        self.para("")
        self.para("{{ 单位 }}", SIGNATURE)
        self.tag("{%p if 成文日期 %}")
        self.para("{{ 成文日期 }}", SIGNATURE)
        self.tag("{%p endif %}")

    def annex(self, title: str) -> None:
        self.para("附件", ANNEX, page_break=True)
        self.para(title, TABLE_TITLE)
        self.para("（{{ 年度 }}年度）", TABLE_TITLE)


def write_transfer(w: Writer) -> None:
    """转移支付 outline (domain.md §3)."""
    w.opening(
        "按照上级关于开展转移支付资金绩效自评工作的部署，{{ 单位 }}对照下达的区域绩效目标，"
        "对{{ 年度 }}年度{{ 名称 }}的分配下达、使用管理和目标实现情况逐项进行了自评。"
        "现将自评情况报告如下。"
    )
    w.h1("一、绩效目标分解下达情况")
    w.each("节.项目概况")
    w.each("资金情况")
    w.each("节.资金安排")
    w.goals()
    w.h1("二、绩效目标完成情况分析")
    w.h2("（一）资金投入情况分析")
    w.h3("1.资金到位和执行情况")
    w.para(
        "{{ 年度 }}年度，{{ 名称 }}全年预算{{ 预算合计 }}，实际到位{{ 到位合计 }}，"
        "到位率{{ 到位率 }}；全年执行{{ 执行合计 }}，执行率{{ 执行率 }}，结余{{ 结余 }}。"
    )
    w.h3("2.资金管理情况")
    w.each("节.资金管理")
    w.h2("（二）总体绩效目标完成情况分析")
    w.each("节.总体完成")
    w.score()
    w.h2("（三）绩效指标完成情况分析")
    w.indicators_flat()
    w.h1("三、偏离绩效目标的原因和下一步改进措施")
    w.h2("（一）偏离绩效目标的原因")
    w.each("节.存在问题")
    w.h2("（二）下一步改进措施")
    w.each("节.改进措施")
    w.h1("四、绩效自评结果拟应用和公开情况")
    w.each("节.结果应用")
    w.h1("五、其他需要说明的问题")
    w.each("节.其他")
    w.signature()
    w.annex("转移支付区域绩效自评表")
    self_evaluation_tables(w.doc, TRANSFER_FORM)


PURPOSE_BY_TYPE = (
    '{% if 类型 == "医疗救助" %}检验困难群众医疗救助政策的落实情况，推动救助资金精准、高效使用'
    '{% elif 类型 == "能力提升" %}检验医疗保障服务能力建设任务的推进成效，提高补助资金使用效益'
    '{% elif 类型 == "城乡居民医保" %}检验参保扩面、待遇保障和基金运行情况，促进基金平稳可持续运行'
    "{% else %}全面了解资金使用成效，发现管理薄弱环节{% endif %}"
)


def write_evaluation(w: Writer) -> None:
    """评价报告 outline (domain.md §3, reference outline of 财预〔2020〕10号)."""
    w.opening(
        "为客观反映{{ 年度 }}年度{{ 名称 }}的使用成效，{{ 单位 }}依据绩效评价指标体系，"
        "从项目决策、过程管理、产出和效益等方面对资金使用情况进行了绩效评价。"
        "现将评价情况报告如下。"
    )
    w.h1("一、基本情况")
    w.h2("（一）项目总体情况")
    w.each("节.项目概况")
    w.each("资金情况")
    w.each("节.资金安排")
    w.each("节.资金管理")
    w.h2("（二）项目绩效目标")
    w.goals()
    w.h1("二、绩效评价工作开展情况")
    w.h2("（一）评价目的、对象和范围")
    w.para(
        "本次评价的对象为{{ 自称 }}{{ 年度 }}年度使用的{{ 名称 }}，范围涵盖资金筹集、分配、"
        f"拨付、使用和管理的全过程，目的是{PURPOSE_BY_TYPE}。"
    )
    w.h2("（二）评价方法和评价等次")
    w.para(
        "评价采用目标比较法，将各项指标的实际完成值与年度指标值逐项对照评分：定量指标按完成程度计分，"
        "定性指标按达成情况分档计分，满分100分。评价等次按总得分划分为优、良、中、差四档。"
    )
    w.h2("（三）指标体系设置")
    w.para(
        "评价指标体系设{{ 指标分析|length }}个一级指标，即"
        "{% for 组 in 指标分析 %}{{ 组.名称 }}（{{ 组.分值 }}分）"
        '{{ "、" if not loop.last else "" }}{% endfor %}，'
        "合计{{ 自评表.分值合计 }}分，其下按二级、三级指标逐项设定指标值和分值。"
    )
    w.h2("（四）评价工作过程")
    w.each("节.评价工作")
    w.h1("三、绩效评价结论")
    w.h2("（一）评价得分")
    w.score()
    w.h2("（二）评价结论")
    w.each("节.评价结论")
    w.h1("四、绩效评价指标分析")
    w.each("节.总体完成")
    w.tag("{%p for 一级 in 指标分析 %}")
    w.h2("（{{ 一级.中文序号 }}）{{ 一级.名称 }}（分值{{ 一级.分值 }}分，得分{{ 一级.得分 }}分）")
    w.tag("{%p for 二级 in 一级.二级组 %}")
    w.tag("{%p if 二级.名称 %}")
    w.h3("{{ 二级.序号 }}.{{ 二级.名称 }}")
    w.tag("{%p endif %}")
    w.tag("{%p for 指标 in 二级.指标 %}")
    w.indicator("{{ 指标.序号 }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    w.h1("五、存在问题")
    w.each("节.存在问题")
    w.h1("六、有关建议")
    w.each("节.改进措施")
    w.signature()
    w.annex("项目支出绩效自评表")
    self_evaluation_tables(w.doc, SCORE_FORM)


def write_project(w: Writer) -> None:
    """项目支出 outline (domain.md §3): a department's own project."""
    w.opening(
        "根据部门预算绩效管理的有关要求，{{ 单位 }}对{{ 年度 }}年度{{ 名称 }}开展了绩效自评，"
        "对照年初设定的绩效目标逐项核实完成情况。现将自评情况报告如下。"
    )
    w.h1("一、项目基本概况")
    w.h2("（一）项目背景和内容")
    w.each("节.项目概况")
    w.h2("（二）项目资金情况")
    w.each("资金情况")
    w.each("节.资金安排")
    w.each("节.资金管理")
    w.h2("（三）绩效目标")
    w.goals()
    w.h2("（四）部门职能职责")
    w.each("节.职能职责")
    w.h1("二、绩效目标完成情况分析")
    w.h2("（一）总体绩效目标完成情况分析")
    w.each("节.总体完成")
    w.each("节.评价结论")
    w.h2("（二）绩效指标完成情况分析")
    w.indicators_flat()
    w.h2("（三）评价结果")
    w.score()
    w.h1("三、存在问题")
    w.h2("（一）项目管理方面的问题")
    w.each("节.存在问题")
    w.h2("（二）资金使用方面的问题")
    w.para("无。")
    w.h2("（三）项目绩效方面的问题")
    w.tag("{%p for r in 自评表.指标行 if r.偏差 %}")
    w.para("{{ r.名称 }}：{{ r.偏差|成句 }}")
    w.tag("{%p else %}")
    w.para("无。")
    w.tag("{%p endfor %}")
    w.h2("（四）其他问题")
    w.para("无。")
    w.h1("四、绩效自评结果拟应用和公开情况")
    w.tag('{%p for 段 in 节.改进措施 if 段 != "无。" %}')
    w.para("{{ 段 }}")
    w.tag("{%p endfor %}")
    w.each("节.结果应用")
    w.h1("五、其他需要说明的问题")
    w.each("节.其他")
    w.signature()
    w.annex("项目支出绩效自评表")
    self_evaluation_tables(w.doc, SCORE_FORM)


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
