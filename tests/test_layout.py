"""The 落款 chain on rendered XML text (fast path) does what the lxml repair does.

The fast render path marks the 落款 paragraphs of a template once and chains keepNext
per report on the XML text; generator.render.repairs.chain_signatures does it on a parsed body.
Both must give the same document for every shape a report's ending can take.
"""

from __future__ import annotations

import pytest
from lxml import etree

from generator.render.repairs import (
    SIGNATURE_MARK,
    chain_signatures,
    keep_signature_in_text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SIGN = '<w:p><w:pPr><w:pStyle w:val="Sign"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'


def para(text: str = "", props: str = "") -> str:
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:p>{props}{run}</w:p>"


def sign(text: str) -> str:
    return SIGNATURE_MARK + SIGN.format(text)


TABLE = (
    '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:tr><w:tc>'
    + para("表中文字")
    + "</w:tc></w:tr></w:tbl>"
)
TEXT_BOX = (
    "<w:p><w:r><w:t>正文末段</w:t></w:r><w:r><w:pict><w:txbxContent>"
    + para("文本框")
    + "</w:txbxContent></w:pict></w:r></w:p>"
)

CASES = {
    "unit-and-date-after-a-spacer": para("正文。")
    + para()
    + sign("示例局")
    + sign("2025年2月20日"),
    "unit-only": para("正文。")
    + sign("示例局")
    + para("附件", "<w:pPr><w:pageBreakBefore/></w:pPr>"),
    "several-spacers-self-closing-and-without-properties": (
        para("正文。") + "<w:p/>" + '<w:p w:rsidR="00AB"/>' + para() + sign("示例局")
    ),
    "existing-keep-next-off": (
        para(
            "正文。",
            '<w:pPr><w:pStyle w:val="Body"/><w:keepNext w:val="0"/><w:jc w:val="both"/></w:pPr>',
        )
        + sign("示例局")
        + sign("日期")
    ),
    "properties-without-style": para("正文。", '<w:pPr><w:jc w:val="both"/></w:pPr>') + sign("局"),
    "table-before-the-signature": para("正文。") + TABLE + sign("示例局") + sign("日期"),
    "paragraph-with-a-text-box": TEXT_BOX + para() + sign("示例局"),
    "nothing-before": sign("示例局") + sign("日期"),
    "two-blocks": para("一。") + sign("甲") + para("二。") + para() + sign("乙") + sign("日期"),
    "no-signature": para("正文。") + para(),
}


def _body(inner: str) -> bytes:
    return f'<w:body xmlns:w="{W}">{inner}<w:sectPr/></w:body>'.encode()


def _canonical(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


@pytest.mark.parametrize("inner", CASES.values(), ids=CASES.keys())
def test_the_text_chain_equals_the_tree_chain(inner: str) -> None:
    expected = etree.fromstring(_body(inner.replace(SIGNATURE_MARK, "")))
    chain_signatures(expected, {"Sign"})
    got = etree.fromstring(_body(keep_signature_in_text(inner)))
    assert _canonical(got) == _canonical(expected)


def test_marks_are_removed_and_other_text_is_untouched() -> None:
    inner = CASES["no-signature"]
    assert keep_signature_in_text(inner) == inner
    assert SIGNATURE_MARK not in keep_signature_in_text(CASES["unit-only"])
