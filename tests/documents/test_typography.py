"""GB/T 9704-2012 typography measured on the rendered files: faces per role, organ mark, signature, date, seal space.

Positions are read from `pdftotext -bbox-layout` (points) and from the page rendered by pdftoppm (ink); the expected
numbers are worked out by hand from the standard: A4, 版心 156 x 225 mm from 37 mm (天头) and 28 mm (订口), 28
characters of 3号 (16 pt) per line, so one character pitch is 156 / 28 = 5.571 mm.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import itertools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from tests.documents.test_render import ARTIFACTS, OPINION, ORGAN, count_pixels, require_pdf_tools, run
from xinfang.documents.layout import DocumentLayout, Section
from xinfang.documents.render import FontSettings, RoleFont, configured_fonts, pdf_faces
from xinfang.documents.render_docx import render_docx
from xinfang.documents.render_pdf import render_pdf

MM = 25.4 / 72  # millimetres per point
TOP, LEFT, WIDTH = 37.0, 28.0, 156.0  # 天头, 订口, 版心 width (mm)
PITCH = WIDTH / 28  # 5.571 mm: one character of the 28 on a line
RIGHT = LEFT + WIDTH  # 184 mm: right edge of the 版心 from the left edge of the page
DATE_RIGHT = RIGHT - 4 * PITCH  # 161.71 mm: 成文日期右空四字 (7.3.5.1)

SHORT_ORGAN = "西城区信访局"  # six characters: centred over the date, as the standard lays a signature out
LEVELS = DocumentLayout(
    title="信访事项复查意见书",
    number="西信复〔2026〕3号",
    issuing_organ=SHORT_ORGAN,
    recipient="李某某",
    issued_on=dt.date(2026, 11, 22),
    sections=(
        Section("复查请求", ""),  # a heading alone: the masthead leaves room for five lines and the signature
        Section("（一）原处理意见认定的事实", "原处理意见认定的事实清楚。"),
        Section("1. 证据", "现场勘验记录一份。"),
    ),
)


@dataclass(frozen=True)
class Line:
    page: int
    x_min: float  # mm from the left edge of the page
    x_max: float
    y_min: float  # mm from the top edge of the page
    text: str


def bbox_lines(pdf: bytes) -> list[Line]:
    """Every text line of the PDF with its box, in reading order, from pdftotext -bbox-layout."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    lines, page = [], 0
    for token in re.finditer(r"<page |<line ([^>]*)>(.*?)</line>", out.stdout.decode(), re.S):
        if token[0].startswith("<page"):
            page += 1
            continue
        box = {key: float(value) * MM for key, value in re.findall(r'(\w+)="([\d.]+)"', token[1])}
        text = html.unescape("".join(re.findall(r">([^<]*)</word>", token[2])))
        lines.append(Line(page, box["xMin"], box["xMax"], box["yMin"], text))
    return lines


def line_with(lines: list[Line], text: str) -> Line:
    found = [line for line in lines if line.text == text]
    assert len(found) == 1, (text, [line.text for line in lines])
    return found[0]


def pdf_font_names(pdf: bytes) -> set[str]:
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}


# --- PDF: the signature and the date (7.3.5.1) ------------------------------------------------------------------


def test_the_date_ends_four_characters_from_the_right_edge_of_the_text_block() -> None:
    require_pdf_tools()
    for layout in (OPINION, LEVELS):
        date = line_with(bbox_lines(render_pdf(layout)), "2026年11月22日")
        assert abs(date.x_max - DATE_RIGHT) <= PITCH / 2, (date.x_max, DATE_RIGHT)


def test_a_short_organ_name_is_centred_over_the_date_one_line_above_it() -> None:
    require_pdf_tools()
    lines = bbox_lines(render_pdf(LEVELS))
    organ = [line for line in lines if line.text == SHORT_ORGAN][-1]  # the first one is the red organ mark
    date = line_with(lines, "2026年11月22日")
    assert abs((organ.x_min + organ.x_max) / 2 - (date.x_min + date.x_max) / 2) <= PITCH / 2
    assert abs(date.y_min - organ.y_min - 10.2) < 0.5  # the next line: 225 mm / 22 lines


def test_a_long_organ_name_stays_inside_the_text_block_over_the_date() -> None:
    require_pdf_tools()
    lines = bbox_lines(render_pdf(OPINION))
    signature = [line for line in lines if line.text == ORGAN][-1]  # the first one is the red organ mark
    date = line_with(lines, "2026年11月22日")
    assert signature.x_max <= RIGHT + 0.5 and signature.x_min < date.x_min < date.x_max < signature.x_max


def test_the_signature_leaves_two_blank_lines_for_the_seal_and_prints_no_seal() -> None:
    require_pdf_tools()
    pdf = render_pdf(OPINION)
    lines = bbox_lines(pdf)
    last_body = line_with(lines, "内，向北京市东城区人民政府请求复查。")
    signature = [line for line in lines if line.text == ORGAN][-1]
    assert abs(signature.y_min - last_body.y_min - 3 * 10.2) < 1  # two blank lines between them
    assert not any("印" in line.text or "章" in line.text for line in lines)

    from PIL import Image

    path = ARTIFACTS / "handling_opinion_signature"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    path.with_suffix(".png").write_bytes(page)
    with Image.open(io.BytesIO(page)) as image:
        red = count_pixels(image.convert("RGB"), lambda r, g, b: r > 150 and g < 110 and b < 110)
    assert red == 0  # the signature page has no masthead: nothing red at all, no dashed circle


# --- PDF: the masthead (7.2.3) and the body ---------------------------------------------------------------------


def test_the_red_organ_mark_starts_35_mm_below_the_top_of_the_text_block(tmp_path: Path) -> None:
    require_pdf_tools()
    from PIL import Image

    pdf = tmp_path / "opinion.pdf"
    pdf.write_bytes(render_pdf(OPINION))
    run("pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp_path / "page"))
    with Image.open(tmp_path / "page.png") as image:
        rgb = image.convert("RGB")
    pixels: Any = rgb.load()
    red_rows = [y for y in range(rgb.height // 3) if any(is_red(*pixels[x, y]) for x in range(0, rgb.width, 2))]
    top_of_ink = red_rows[0] * 25.4 / 300 - TOP
    assert abs(top_of_ink - 35) <= 1, top_of_ink


def is_red(r: int, g: int, b: int) -> bool:
    return r > 180 and g < 90 and b < 90


def test_full_lines_of_the_body_are_justified_to_the_right_edge() -> None:
    require_pdf_tools()
    lines = bbox_lines(render_pdf(OPINION))
    # A body line followed on its page by a line starting at the left edge (a continued paragraph) is a full line.
    full = [
        line
        for line, after in itertools.pairwise(lines)
        if line.page == after.page
        and min(abs(line.x_min - LEFT), abs(line.x_min - LEFT - 2 * PITCH)) < 0.2
        and abs(after.x_min - LEFT) < 0.2
        and line.y_min > 100  # below the title; the recipient's line is not a paragraph's
    ]
    assert len(full) >= 6  # of this notice's 7 paragraphs, 6 run over a line
    # Before: ragged by up to 1.5 characters where digits and punctuation end a line early.
    assert all(abs(line.x_max - RIGHT) < 0.5 for line in full), [(line.text, line.x_max) for line in full]


# --- PDF: faces by role -----------------------------------------------------------------------------------------


def test_the_pdf_embeds_a_face_per_role_song_for_body_and_title_hei_and_kai_for_headings() -> None:
    require_pdf_tools()
    assert pdf_font_names(render_pdf(LEVELS)) == {
        "Noto-Serif-CJK-SC-Bold",  # 小标宋's stand-in: organ mark and title
        "Noto-Serif-CJK-SC",  # 仿宋's stand-in: body, level-3 heading 1., signature
        "Noto-Sans-CJK-SC",  # 黑体: the level-1 heading 一、
        "AR-PL-UKai-CN",  # 楷体: the level-2 heading （一） (Debian's fonts-arphic-ukai)
    }


def test_the_pdf_embeds_the_face_configured_for_a_role() -> None:
    require_pdf_tools()
    kai_headings = dataclasses.replace(FontSettings(), heading=RoleFont("黑体", "AR PL UKai CN"))
    names = pdf_font_names(render_pdf(OPINION, fonts=kai_headings))  # OPINION has level-1 headings only
    assert names == {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "AR-PL-UKai-CN"}


# --- DOCX: the families an office's Word or WPS has -------------------------------------------------------------


def east_asian(paragraph: Paragraph) -> set[str | None]:
    return {run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) for run in paragraph.runs}


def test_docx_names_the_office_fonts_per_paragraph_role() -> None:
    document = open_docx(io.BytesIO(render_docx(LEVELS)))
    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs if paragraph.text}
    expected = {
        "信访事项复查意见书": {"方正小标宋简体"},
        "一、复查请求": {"黑体"},
        "（一）原处理意见认定的事实": {"楷体_GB2312"},
        "1. 证据": {"仿宋_GB2312"},
        "原处理意见认定的事实清楚。": {"仿宋_GB2312"},
        "2026年11月22日": {"仿宋_GB2312"},
    }
    assert document.paragraphs[0].text == SHORT_ORGAN and east_asian(document.paragraphs[0]) == {"方正小标宋简体"}
    for text, fonts in expected.items():
        assert east_asian(by_text[text]) == fonts, text
    signature = [paragraph for paragraph in document.paragraphs if paragraph.text == SHORT_ORGAN][-1]
    assert east_asian(signature) == {"仿宋_GB2312"}


def test_docx_sets_the_date_four_characters_in_and_the_organ_centred_over_it() -> None:
    document = open_docx(io.BytesIO(render_docx(LEVELS)))
    paragraphs = document.paragraphs
    date = next(paragraph for paragraph in paragraphs if paragraph.text == "2026年11月22日")
    organ = paragraphs[[paragraph._p for paragraph in paragraphs].index(date._p) - 1]
    assert organ.text == SHORT_ORGAN
    # 2026年11月22日 is 7 characters wide in 仿宋_GB2312 (8 half-width digits), the organ's name 6: centred over
    # the date, it ends half a character further in than the date.
    assert date.paragraph_format.right_indent is not None and organ.paragraph_format.right_indent is not None
    assert abs(date.paragraph_format.right_indent.mm - 4 * PITCH) < 0.1
    assert abs(organ.paragraph_format.right_indent.mm - 4.5 * PITCH) < 0.1
    assert "印章" not in document.element.xml and "v:oval" not in document.element.xml


def test_document_fonts_are_read_from_settings() -> None:
    with override_settings(
        DOCUMENT_FONTS={"body": {"docx": "方正仿宋_GBK"}, "subheading": {"pdf": "Noto Sans CJK SC"}}
    ):
        fonts = configured_fonts()
        document = open_docx(io.BytesIO(render_docx(LEVELS)))
    assert fonts.body == RoleFont("方正仿宋_GBK", "Noto Serif CJK SC")
    assert fonts.subheading == RoleFont("楷体_GB2312", "Noto Sans CJK SC")
    assert fonts.title == FontSettings().title
    normal = document.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert normal.get(qn("w:eastAsia")) == "方正仿宋_GBK"


@pytest.mark.parametrize("heading", ["（一）原处理意见", "(二)原处理意见"])
def test_a_second_level_heading_is_set_in_kai_in_the_docx(heading: str) -> None:
    layout = dataclasses.replace(LEVELS, sections=(Section(heading, "正文。"),))
    document = open_docx(io.BytesIO(render_docx(layout)))
    assert east_asian(next(p for p in document.paragraphs if p.text == heading)) == {"楷体_GB2312"}


def test_administrators_can_see_which_face_stands_in_for_a_missing_one() -> None:
    require_pdf_tools()  # fontconfig comes with Pango
    missing = dataclasses.replace(FontSettings(), body=RoleFont("方正仿宋_GBK", "方正仿宋_GBK"))
    faces = pdf_faces(missing)
    assert faces["body"] == ("方正仿宋_GBK", "Noto Serif CJK SC")  # not installed here: the default face is used
    assert faces["subheading"] == ("AR PL UKai CN", "AR PL UKai CN")  # installed: used as configured
