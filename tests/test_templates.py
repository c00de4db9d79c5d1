"""Editable templates: export, check, override per outline and type, and Word's split tags.

Templates are edited by people in Word, WPS or LibreOffice; these tests build the XML
those programs write (runs split by spell-check marks, revision ids and bookmarks) and
drive the real CLI.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from generator.core.vocabulary import NARRATIVE_SLOTS
from generator.render.names import CONTEXT, Name

from .conftest import (
    EXAMPLES,
    ROOT,
    TEMPLATES,
    VALID_INPUT,
    VALID_TEXT,
    docx_texts,
    make_docx,
    resave_with_libreoffice,
    write_input,
    write_zip,
    zip_parts,
)

INPUT_2024 = EXAMPLES[0]


# ------------------------------------------------------------------ the documented context


def _shape(value: Any, name: Name, path: str, problems: list[str]) -> None:
    if name.kind == "字典":
        assert isinstance(value, dict), path
        if set(value) != set(name.fields):
            problems.append(f"{path}: built {sorted(value)} documented {sorted(name.fields)}")
        for key, sub in name.fields.items():
            if key in value:
                _shape(value[key], sub, f"{path}.{key}", problems)
    elif name.kind == "列表":
        assert isinstance(value, list), path
        for item in value:
            _shape(item, Name("", "", "字典", name.fields), f"{path}[]", problems)
    elif name.kind == "文字列表":
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), path
    elif name.kind == "真假":
        assert isinstance(value, bool), path
    elif name.kind == "数字":
        assert isinstance(value, int) and not isinstance(value, bool), path
    else:
        assert isinstance(value, str), path


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_built_context_has_exactly_the_documented_names(example: Path) -> None:
    from generator.pipeline import check_file

    problems: list[str] = []
    for ctx in check_file(example).contexts:
        _shape(ctx.values, Name("", "", "字典", CONTEXT), "上下文", problems)
    assert problems == []


def _documented_names(name: Name, prefix: str = "") -> list[str]:
    names = []
    for key, sub in name.fields.items():
        names.append(prefix + key)
        names += _documented_names(sub, f"{prefix}{key}.")
    return names


def test_docs_describe_every_context_name() -> None:
    text = (ROOT / "docs" / "模板上下文.md").read_text(encoding="utf-8")
    missing = [
        n
        for n in _documented_names(Name("", "", "字典", CONTEXT))
        if f"`{n.split('.')[-1]}`" not in text
    ]
    assert missing == []
    assert all(f"`{slot}`" in text for slot in NARRATIVE_SLOTS)


# ------------------------------------------------------------------ export


def test_export_copies_templates_wording_and_rules(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "我的模板"
    code, out, _ = run_cli("templates", "export", str(target))
    assert code == 0
    for name in (
        "转移支付.docx",
        "评价报告.docx",
        "项目支出.docx",
        "措辞.yaml",
        "rules/国家.yaml",
        "rules/示例省线性.yaml",
    ):
        assert (target / name).read_bytes() == (TEMPLATES / name).read_bytes()
        assert name in out


def test_export_never_overwrites_edits_without_force(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "我的模板"
    assert run_cli("templates", "export", str(target))[0] == 0
    (target / "措辞.yaml").write_text("# 已修改\n", encoding="utf-8")
    code, _, err = run_cli("templates", "export", str(target))
    assert code == 1
    assert "目录中已有同名文件，未导出任何文件" in err and "--force" in err
    assert (target / "措辞.yaml").read_text(encoding="utf-8") == "# 已修改\n"
    assert run_cli("templates", "export", str(target), "--force")[0] == 0
    assert (target / "措辞.yaml").read_bytes() == (TEMPLATES / "措辞.yaml").read_bytes()


# ------------------------------------------------------------------ check


def test_shipped_templates_check_clean(run_cli) -> None:
    code, out, err = run_cli("templates", "check", str(TEMPLATES))
    assert code == 0, err
    assert "检查了 3 个模板：0 个错误，0 个警告。" in out


# (rule, the faulty paragraph, expected message fragment); each sits in paragraph 2.
LINT_CASES = [
    ("syntax_error", "合计{{ 预算合计 + }}元", "标签 {{ 预算合计 + }} 写法有误"),
    ("stray_endfor", "完毕{% endfor %}", "{% endfor %} 前面没有对应的 {% for … %}"),
    ("stray_else", "{% else %}无", "{% else %} 前面没有对应的 {% for %} 或 {% if %}"),
    ("unclosed_if", "{% if 主送 %}主送：{{ 主送 }}", "{% if 主送 %} 缺少对应的 {% endif %}"),
    (
        "unclosed_for",
        "{% for 段 in 节.其他 %}{{ 段 }}",
        "{% for 段 in 节.其他 %} 缺少对应的 {% endfor %}",
    ),
    ("unknown_name", "{{ 标提 }}", "中的“标提”不是模板可用的名称，是否应为“标题”？"),
    (
        "unknown_slot",
        "{% for 段 in 节.存在的问题 %}{{ 段 }}{% endfor %}",
        "中的“节”没有“存在的问题”一项，是否应为“存在问题”？",
    ),
    (
        "unknown_loop_field",
        "{% for r in 自评表.指标行 %}{{ r.得份 }}{% endfor %}",
        "中的“r”没有“得份”一项，是否应为“得分”？",
    ),
    (
        "unknown_nested_field",
        "{% for 组 in 指标分析 %}{% for 二级 in 组.二级组 %}{{ 二级.指标数 }}{% endfor %}{% endfor %}",
        "中的“二级”没有“指标数”一项",
    ),
    ("unknown_filter", "{{ 标题|大写 }}", "中的过滤器“大写”不存在"),
    ("chinese_quotes", "{% if 类型 == “医疗救助” %}救助{% endif %}", "中有中文引号"),
    ("tag_not_closed_in_paragraph", "标题是{{ 标题", "没有在同一段内结束"),
    ("closing_without_opening", "标题是 标题 }}", "有结束符号 }} 或 %} 却没有对应的开始符号"),
]


@pytest.mark.parametrize(
    ("paragraph", "expected"), [c[1:] for c in LINT_CASES], ids=[c[0] for c in LINT_CASES]
)
def test_check_names_the_paragraph_the_problem_and_the_nearby_text(
    run_cli, tmp_path: Path, paragraph: str, expected: str
) -> None:
    path = make_docx(tmp_path / "评价报告.docx", ["{{ 标题 }}", paragraph, "{{ 单位 }}"])
    code, out, err = run_cli("templates", "check", str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if expected in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{path} 第2段：")
    nearby = lines[0].split("（附近文字：“")[1].rstrip("”）")
    assert nearby.strip("…") in paragraph
    assert "检查了 1 个模板：1 个错误" in out


def test_check_reports_every_problem_at_once_with_table_places(run_cli, tmp_path: Path) -> None:
    paragraphs = ["{{ 标题 }}"] + [case[1] for case in LINT_CASES]
    cells = [
        ["项目名称", "{{ 自评表.项目名 }}"],
        ["{% for m in 自评表.资金行 %}{{ m.执行律 }}", "{% endfor %}"],
    ]
    path = make_docx(tmp_path / "模板" / "评价报告.docx", paragraphs, cells)
    code, out, err = run_cli("templates", "check", str(path.parent))
    assert code == 1
    for number, (_, _, expected) in enumerate(LINT_CASES, start=2):
        assert any(
            line.startswith(f"{path} 第{number}段：") and expected in line
            for line in err.splitlines()
        ), (number, expected, err)
    assert f"{path} 表1第1行第2格：{{{{ 自评表.项目名 }}}} 中的“自评表”没有“项目名”一项" in err
    assert f"{path} 表1第2行第1格：" in err and "“m”没有“执行律”一项" in err
    errors = len(LINT_CASES) + 2
    assert f"检查了 1 个模板：{errors} 个错误" in out


def test_check_warns_about_files_that_would_never_be_used(run_cli, tmp_path: Path) -> None:
    make_docx(tmp_path / "评估报告.docx", ["{{ 标题 }}"])
    make_docx(tmp_path / "医疗补助" / "评价报告.docx", ["{{ 标题 }}"])
    code, out, err = run_cli("templates", "check", str(tmp_path))
    assert code == 0
    assert err.count("文件不会被使用") == 2
    assert "2 个警告" in out


def test_check_reports_a_broken_wording_file(run_cli, tmp_path: Path) -> None:
    make_docx(tmp_path / "评价报告.docx", ["{{ 标题 }}"])
    (tmp_path / "措辞.yaml").write_text("类型: [", encoding="utf-8")
    code, _, err = run_cli("templates", "check", str(tmp_path))
    assert code == 1
    assert err.startswith(f"{tmp_path / '措辞.yaml'}:1: YAML 语法错误：")


# ------------------------------------------------------------------ tags split by Word

# One tag as Word writes it after spell-checking, a revision and a bookmark: five runs.
SPLIT_UNIT = (
    '<w:r w:rsidR="00A1"><w:t>{</w:t></w:r>'
    '<w:proofErr w:type="spellStart"/>'
    '<w:r w:rsidR="00B2" w:rsidRPr="00C3"><w:rPr><w:lang w:eastAsia="zh-CN"/></w:rPr>'
    "<w:t>{ 单</w:t></w:r>"
    '<w:bookmarkStart w:id="7" w:name="_GoBack"/>'
    '<w:r w:rsidR="00D4"><w:rPr><w:noProof/></w:rPr><w:t xml:space="preserve">位 </w:t></w:r>'
    '<w:bookmarkEnd w:id="7"/>'
    '<w:proofErr w:type="spellEnd"/>'
    '<w:r><w:t>}</w:t></w:r><w:r w:rsidR="00E5"><w:t>}</w:t></w:r>'
)
EDITED_HEADING = "六、有关建议和意见"


def edit_like_word(source: Path, target: Path) -> Path:
    """The shipped template with a heading reworded and the 落款 tag split the way Word does."""
    entries = zip_parts(source)
    xml = entries["word/document.xml"].decode("utf-8")
    assert "六、有关建议<" in xml
    xml = xml.replace("六、有关建议<", EDITED_HEADING + "<", 1)
    signature = re.search(r'<w:r><w:t xml:space="preserve">\{\{ 单位 \}\}</w:t></w:r>', xml)
    assert signature is not None
    xml = xml[: signature.start()] + SPLIT_UNIT + xml[signature.end() :]
    entries["word/document.xml"] = xml.encode("utf-8")
    return write_zip(target, entries)


def test_a_tag_split_by_word_is_reported_as_a_warning_and_still_renders(
    run_cli, tmp_path: Path
) -> None:
    templates = tmp_path / "模板"
    run_cli("templates", "export", str(templates))
    edit_like_word(TEMPLATES / "评价报告.docx", templates / "评价报告.docx")

    code, out, err = run_cli("templates", "check", str(templates), "-v")
    assert code == 0, err
    assert re.search(r"评价报告\.docx 第\d+段：标签 \{\{ 单位 \}\} 被拆分在 5 段文字中", err)
    assert "0 个错误" in out

    out_dir = tmp_path / "out"
    code, _, err = run_cli(str(VALID_INPUT), "--templates", str(templates), "-o", str(out_dir))
    assert code == 0, err
    report = next(out_dir.rglob("*医疗救助*.docx"))
    texts = docx_texts(report)
    assert EDITED_HEADING in texts
    signature = texts.index("测试县医疗保障局")
    assert texts[signature + 1] == "2025年2月18日"
    assert not any("{" in text or "}" in text for text in texts)


# ------------------------------------------------------------------ overrides per outline and type


def _marked(source: Path, target: Path, mark: str) -> None:
    entries = zip_parts(source)
    xml = entries["word/document.xml"].decode("utf-8")
    assert "一、基本情况" in xml
    entries["word/document.xml"] = xml.replace("一、基本情况", mark + "一、基本情况", 1).encode(
        "utf-8"
    )
    write_zip(target, entries)


def _override_dir(directory: Path) -> Path:
    """医疗救助 gets its own 评价报告; 能力提升 the directory's 评价报告; others the shipped ones."""
    _marked(TEMPLATES / "评价报告.docx", directory / "医疗救助" / "评价报告.docx", "【救助专用】")
    _marked(TEMPLATES / "评价报告.docx", directory / "评价报告.docx", "【本地评价】")
    return directory


EXPECTED_MARKS = {
    "城乡居民基本医疗保险补助资金": None,
    "医疗救助补助资金": "【救助专用】",
    "医疗服务与保障能力提升补助资金": "【本地评价】",
    "扶贫济困医疗基金": None,
}


def _assert_marks(out_dir: Path) -> None:
    reports = [
        p for p in out_dir.rglob("*.docx") if "医保转移支付补助资金绩效自评报告" not in p.name
    ]
    assert len(reports) == 4
    for report in reports:
        fund = next(key for key in EXPECTED_MARKS if key in report.name)
        text = "\n".join(docx_texts(report))
        for mark in ("【救助专用】", "【本地评价】"):
            assert (mark in text) == (mark == EXPECTED_MARKS[fund]), (report.name, mark)


def test_templates_option_overrides_per_type_then_per_outline_then_shipped(
    run_cli, tmp_path: Path
) -> None:
    templates = _override_dir(tmp_path / "模板")
    out_dir = tmp_path / "out"
    code, _, err = run_cli(str(INPUT_2024), "--templates", str(templates), "-o", str(out_dir))
    assert code == 0, err
    _assert_marks(out_dir)


def test_input_key_template_dir_is_relative_to_the_input_file(run_cli, tmp_path: Path) -> None:
    work = tmp_path / "工作"
    _override_dir(work / "本地模板")
    write_input(
        work / "输入.yaml",
        INPUT_2024.read_text(encoding="utf-8"),
        ("  金额单位: 万元", "  模板目录: 本地模板\n  金额单位: 万元"),
    )
    out_dir = tmp_path / "out"
    code, _, err = run_cli(str(work / "输入.yaml"), "-o", str(out_dir))
    assert code == 0, err
    _assert_marks(out_dir)


def test_a_missing_template_dir_in_the_input_is_a_located_error(run_cli, tmp_path: Path) -> None:
    write_input(
        tmp_path / "输入.yaml",
        VALID_TEXT,
        ("  金额单位: 万元", "  模板目录: 没有这个目录\n  金额单位: 万元"),
    )
    code, _, err = run_cli(str(tmp_path / "输入.yaml"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert "输入.yaml:7: 报告.模板目录：模板目录“没有这个目录”不存在" in err
    assert not (tmp_path / "out").exists()


def test_a_missing_templates_option_dir_is_an_error(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli(
        str(VALID_INPUT),
        "--templates",
        str(tmp_path / "无"),
        "-o",
        str(tmp_path / "out"),
    )
    assert code == 1
    assert "找不到模板目录" in err


# ------------------------------------------------------------------ a real LibreOffice edit


def test_templates_saved_again_by_libreoffice_check_and_render_the_same_report(
    run_cli, tmp_path: Path, libreoffice: str
) -> None:
    """LibreOffice rewrites every run and splits most tags; the report must not change."""
    exported = tmp_path / "导出"
    run_cli("templates", "export", str(exported))
    edited = edit_like_word(exported / "评价报告.docx", tmp_path / "改过" / "评价报告.docx")
    saved = tmp_path / "另存"
    resave_with_libreoffice(libreoffice, edited, saved, tmp_path / "profile")
    shutil.copy(exported / "措辞.yaml", saved / "措辞.yaml")
    code, _, err = run_cli("templates", "check", str(saved))
    assert code == 0, err
    assert "被拆分在多段文字中" in err

    out_dir = tmp_path / "out"
    code, _, err = run_cli(str(VALID_INPUT), "--templates", str(saved), "-o", str(out_dir))
    assert code == 0, err
    texts = docx_texts(next(out_dir.rglob("*.docx")))
    assert EDITED_HEADING in texts
    assert "测试县医疗保障局" in texts
    doc: Any = Document(str(next(out_dir.rglob("*.docx"))))
    assert len(doc.tables) == 2
    assert not any("{" in t for t in texts)


def test_context_page_is_generated_from_the_one_list_of_names() -> None:
    """docs/模板上下文.md is what tools/build_context_doc.py writes (run it after changes)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_context_doc", ROOT / "tools" / "build_context_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == (ROOT / "docs" / "模板上下文.md").read_text(encoding="utf-8")
