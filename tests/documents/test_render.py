"""Written notices rendered after GB/T 9704-2012: the same content in PDF and DOCX, A4, fixed bytes, escaped text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from xinfang.documents.layout import DocumentLayout, Section
from xinfang.documents.render import DEFAULT_FONTS, FontSettings, RoleFont, format_date
from xinfang.documents.render_docx import render_docx
from xinfang.documents.render_pdf import render_pdf

if TYPE_CHECKING:
    from PIL import Image

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
ORGAN = "北京市东城区住房和城乡建设委员会"
NUMBER = "东城住建信意〔2026〕12号"
REVIEW_ORGAN = "北京市东城区人民政府"

OPINION = DocumentLayout(
    title="信访事项处理意见书",
    number=NUMBER,
    issuing_organ=ORGAN,
    recipient="黄某某",
    issued_on=dt.date(2026, 11, 22),
    sections=(
        Section(
            "信访人的投诉请求",
            "你于2026年10月9日来信反映，东城区某某小区物业服务企业自2024年起按每平方米每月0.35元"
            "收取电梯运行维护费，请求责令其退还多收取的费用共计3600元，并对该企业予以处罚。",
        ),
        Section(
            "事实和理由",
            "经调查核实，某某小区业主大会于2023年12月18日依法召开，经专有部分面积过半数且人数过半数的业主同意，"
            "决定电梯运行维护费按每平方米每月0.35元标准收取，决议已在小区公告栏公示。\n\n"
            "物业服务企业按照业主大会决议收取费用，收费标准与物业服务合同约定一致，未发现超出约定标准收费的情形。",
        ),
        Section("处理意见", "你提出的退还电梯运行维护费并处罚物业服务企业的请求，缺乏事实依据，本机关不予支持。"),
        Section("法律法规依据", "《物业管理条例》第七条、第四十条，《信访工作条例》第三十二条第一款第三项。"),
        Section("处理结论", "不予支持。"),
        Section(
            "请求复查的权利、期限和复查机关",
            f"如你对本处理意见不服，可以自收到本意见书之日起30日内，向{REVIEW_ORGAN}请求复查。",
        ),
    ),
    footer="联系人：王某某　联系电话：010-12345678",
)

HEADINGS = [
    "一、信访人的投诉请求",
    "二、事实和理由",
    "三、处理意见",
    "四、法律法规依据",
    "五、处理结论",
    "六、请求复查的权利、期限和复查机关",
]
KEY_SENTENCES = [
    "请求责令其退还多收取的费用共计3600元，并对该企业予以处罚。",
    "决定电梯运行维护费按每平方米每月0.35元标准收取",
    "未发现超出约定标准收费的情形。",
    "缺乏事实依据，本机关不予支持。",
    "《信访工作条例》第三十二条第一款第三项",
    "不予支持。",
    f"可以自收到本意见书之日起30日内，向{REVIEW_ORGAN}请求复查。",
]
# In reading order: masthead, number, title, recipient, the sections, signature, date, 版记.
IN_ORDER = [ORGAN, NUMBER, "信访事项处理意见书", "黄某某：", *HEADINGS, ORGAN, "2026年11月22日", "联系电话"]

HOSTILE = DocumentLayout(
    title="信访事项处理意见书",
    number="测试〔2026〕1号",
    issuing_organ="西地市信访局",
    recipient='<img src="http://example.invalid/x.png">张某',
    issued_on=dt.date(2026, 1, 5),
    sections=(Section("<b>请求</b>", "<script>alert(1)</script> & 1<2 \x00\x07仍然显示。"),),
)


def flat(text: str) -> str:
    """Extracted text without page numbers, line breaks or spaces: sentences wrapped across lines compare whole."""
    text = re.sub(r"(?m)^\s*—\s*\d+\s*—\s*$", "", text)
    return re.sub(r"\s+", "", text)


def in_order(text: str, needles: list[str]) -> bool:
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in open_docx(io.BytesIO(data)).paragraphs)


# --- PDF ------------------------------------------------------------------------------------------------------


def require_pdf_tools() -> None:
    """WeasyPrint (with Debian's Pango) and poppler-utils: only a missing WeasyPrint outside CI skips."""
    try:
        importlib.import_module("weasyprint")  # needs Debian's Pango, not only the wheel
    except (ImportError, OSError) as exc:
        message = (
            f"无法生成 PDF 文书：WeasyPrint 不可用（{exc}）。"
            "需要 pip 包 weasyprint 与 Debian 包 libpango-1.0-0 libpangoft2-1.0-0"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    missing = [tool for tool in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"检查 PDF 文书需要 Debian 包 poppler-utils（缺少 {'、'.join(missing)}）")


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


@pytest.fixture(scope="module")
def opinion_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_pdf_tools()
    path = tmp_path_factory.mktemp("pdf") / "handling_opinion.pdf"
    path.write_bytes(render_pdf(OPINION))
    return path


def test_pdf_holds_the_number_the_organ_every_heading_and_the_key_sentences_in_order(opinion_pdf: Path) -> None:
    text = flat(run("pdftotext", "-layout", str(opinion_pdf), "-"))
    for needle in [NUMBER, ORGAN, REVIEW_ORGAN, *HEADINGS, *KEY_SENTENCES, "2026年11月22日"]:
        assert needle in text, needle
    assert in_order(text, IN_ORDER)
    assert "印章" not in text  # GB/T 9704-2012 7.3.5.1: 不得出现空白印章


def test_pdf_is_a4_with_its_chinese_type_embedded_from_the_noto_cjk_fonts(opinion_pdf: Path) -> None:
    info = run("pdfinfo", str(opinion_pdf))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None and "(A4)" in info
    assert abs(float(size[1]) - 595.28) < 0.5 and abs(float(size[2]) - 841.89) < 0.5
    dates = run("pdfinfo", "-rawdates", str(opinion_pdf))
    assert re.findall(r"(?m)^(?:Creation|Mod)Date:\s+(\S+)$", dates) == ["D:20261122"] * 2  # the issue date only
    fonts = run("pdffonts", str(opinion_pdf)).splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    # 小标宋 -> Noto Serif Bold (organ mark, title), 仿宋 -> Noto Serif (body), 黑体 -> Noto Sans (headings 一、).
    assert names == {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}
    assert all(" yes yes yes " in line for line in fonts)  # embedded, subset, with a Unicode map


def test_pdf_bytes_are_the_same_on_every_render(opinion_pdf: Path) -> None:
    again = render_pdf(OPINION)
    assert again == opinion_pdf.read_bytes()
    assert b"/ID" not in again  # no random file identifier
    assert render_pdf(OPINION, fonts=DEFAULT_FONTS) == again


def count_pixels(image: Image.Image, wanted: Callable[[int, int, int], bool]) -> int:
    colors = image.getcolors(image.width * image.height) or []
    return sum(count for count, rgb in colors if isinstance(rgb, tuple) and wanted(*rgb[:3]))


def test_pdf_page_one_rendered_for_a_look(opinion_pdf: Path) -> None:
    from PIL import Image  # installed with WeasyPrint

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "handling_opinion"
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(opinion_pdf), str(prefix))
    with Image.open(prefix.with_suffix(".png")) as image:
        rgb = image.convert("RGB")
        assert abs(rgb.width - 496) <= 1 and abs(rgb.height - 702) <= 1  # A4 at 60 dpi
        # The red organ mark and separator line sit in the upper half; the page is mostly white paper.
        red = count_pixels(rgb.crop((0, 0, rgb.width, rgb.height // 2)), lambda r, g, b: r > 180 and g < 80 and b < 80)
        dark = count_pixels(rgb, lambda r, g, b: r < 100 and g < 100 and b < 100)
        assert red > 500 and 2000 < dark < rgb.width * rgb.height // 10


def test_pdf_body_keeps_the_grid_of_22_lines_of_28_characters() -> None:
    require_pdf_tools()
    sentence = "这是一段用于检验版心行数的连续正文，每行应当排二十八个字，每页应当排二十二行。"
    padded = dataclasses.replace(OPINION, sections=(Section("", sentence * 40),))
    data = render_pdf(padded)
    page = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", "-", "-"], input=data, capture_output=True, check=True
    )
    lines = [line.strip() for line in page.stdout.decode().splitlines() if line.strip()]
    body = [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line)]
    assert len(body) == 22
    assert max(len(line) for line in body) == 28


def test_pdf_and_docx_render_sparse_and_awkward_layouts() -> None:
    sparse = DocumentLayout(
        title="关于某某事项的信访事项复查意见书（第二次）",
        number="",
        issuing_organ="中华人民共和国某某部某某司某某处某某科某某办公室信访接待中心",  # longer than a signature line
        recipient="",
        issued_on=dt.date(2026, 1, 5),
        sections=(
            Section("1. 已编号的标题", "https://example.invalid/" + "a" * 200),  # no break opportunity
            Section("", ""),
            Section("（一）二级标题", "　　自己缩进的段落。\n第二段\r\n\n\n第三段"),
        ),
    )
    text = flat(docx_text(render_docx(sparse)))
    assert in_order(text, ["1.已编号的标题", "（一）二级标题", "自己缩进的段落。", "第二段", "第三段", "2026年1月5日"])
    assert "一、" not in text  # already-numbered headings are not numbered again
    require_pdf_tools()
    data = render_pdf(sparse)
    pdf_text = flat(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    )
    assert in_order(pdf_text, ["1.已编号的标题", "a" * 200, "（一）二级标题", "第三段", "信访接待中心", "2026年1月5日"])


def test_pdf_shows_user_text_as_text_never_as_markup() -> None:
    require_pdf_tools()
    data = render_pdf(HOSTILE)
    text = flat(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode())
    assert '<imgsrc="http://example.invalid/x.png">张某：' in text
    assert "一、<b>请求</b>" in text
    assert "<script>alert(1)</script>&1<2仍然显示。" in text


def test_pdf_with_other_font_settings_falls_back_to_noto_when_a_family_is_missing(tmp_path: Path) -> None:
    require_pdf_tools()
    fonts = FontSettings(  # none installed here
        title=RoleFont("方正小标宋简体", "方正小标宋简体"),
        body=RoleFont("仿宋_GB2312", "仿宋_GB2312"),
        heading=RoleFont("黑体", "黑体"),
        subheading=RoleFont("楷体_GB2312", "楷体_GB2312"),
    )
    path = tmp_path / "fallback.pdf"
    path.write_bytes(render_pdf(OPINION, fonts=fonts))
    text = flat(run("pdftotext", str(path), "-"))
    assert NUMBER in text and HEADINGS[-1] in text
    names = [line.split()[0] for line in run("pdffonts", str(path)).splitlines()[2:]]
    assert names and all("-CJK-SC" in name for name in names)  # fontconfig's choice, if any, is a Chinese face


# --- DOCX -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opinion_docx() -> bytes:
    return render_docx(OPINION)


def test_docx_holds_the_same_content_in_the_same_order(opinion_docx: bytes) -> None:
    text = flat(docx_text(opinion_docx))
    for needle in [NUMBER, ORGAN, REVIEW_ORGAN, *HEADINGS, *KEY_SENTENCES, "2026年11月22日"]:
        assert needle in text, needle
    assert in_order(text, IN_ORDER)


def test_docx_is_a4_with_the_gbt_9704_margins(opinion_docx: bytes) -> None:
    section = open_docx(io.BytesIO(opinion_docx)).sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured if length is not None] == [210, 297, 37, 35, 28, 26]


def east_asian_font(element: Any) -> str | None:
    """w:rPr/w:rFonts/@w:eastAsia of a run or a style; None when it is not named."""
    fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def runs_of(document: DocxDocument) -> list[Any]:
    section = document.sections[0]
    parts = [document.element.body, section.footer._element, section.even_page_footer._element]
    return [run for part in parts for run in part.iter(qn("w:r"))]


def test_docx_names_the_east_asian_font_on_every_run_and_on_the_normal_style(opinion_docx: bytes) -> None:
    document = open_docx(io.BytesIO(opinion_docx))
    normal = document.styles["Normal"]
    assert east_asian_font(normal.element) == "仿宋_GB2312"
    assert normal.font.size is not None and normal.font.size.pt == 16

    runs = runs_of(document)
    assert len(runs) > 20
    families = {east_asian_font(run) for run in runs}
    assert families == {"方正小标宋简体", "仿宋_GB2312", "黑体"}  # no 楷体: this notice has no （一） heading

    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs if paragraph.text}
    title_run = by_text["信访事项处理意见书"].runs[0]
    assert title_run.font.size is not None and title_run.font.size.pt == 22
    assert not title_run.bold  # 小标宋 is heavy by itself: a bold flag would make Word fake a heavier face
    heading_run = by_text[HEADINGS[0]].runs[0]
    assert not heading_run.bold and east_asian_font(heading_run._r) == "黑体"
    body_run = by_text[next(text for text in by_text if KEY_SENTENCES[0] in text)].runs[0]
    assert body_run.font.size is not None and body_run.font.size.pt == 16


def test_docx_uses_the_configured_families(opinion_docx: bytes) -> None:
    noto = "Noto Serif CJK SC"
    fonts = FontSettings(
        title=RoleFont("方正小标宋_GBK", noto),
        body=RoleFont("方正仿宋_GBK", noto),
        heading=RoleFont("方正黑体_GBK", noto),
    )
    document = open_docx(io.BytesIO(render_docx(OPINION, fonts=fonts)))
    families = {east_asian_font(run) for run in runs_of(document)}
    assert families == {"方正小标宋_GBK", "方正仿宋_GBK", "方正黑体_GBK"}


def test_docx_bytes_are_the_same_on_every_render_and_dated_by_the_issue_date(opinion_docx: bytes) -> None:
    assert render_docx(OPINION) == opinion_docx
    properties = open_docx(io.BytesIO(opinion_docx)).core_properties
    assert properties.created == properties.modified == dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    assert properties.author == ORGAN and properties.title == "信访事项处理意见书"
    assert b"python-docx" not in opinion_docx  # neither the template's author nor its description survive


def test_docx_keeps_user_text_as_text() -> None:
    text = docx_text(render_docx(HOSTILE))
    assert '<img src="http://example.invalid/x.png">张某：' in text
    assert "一、<b>请求</b>" in text
    assert "<script>alert(1)</script> & 1<2 仍然显示。" in text  # control characters dropped, not fatal


def test_the_date_is_written_in_arabic_numerals_without_leading_zeros() -> None:
    assert format_date(dt.date(2026, 1, 5)) == "2026年1月5日"
