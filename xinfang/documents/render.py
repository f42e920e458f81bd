"""Render a DocumentLayout as PDF (WeasyPrint) and DOCX (python-docx), laid out after GB/T 9704-2012.

Both renderers are pure: the same layout and fonts give the same bytes on every call, so an issued document
can be hashed (SM3) and re-rendered for comparison. Nothing is fetched over the network. All text is user content
and is escaped (HTML) or stored as XML text nodes (DOCX), never interpreted as markup.

Typefaces (FontSettings, settings.DOCUMENT_FONTS): the DOCX names the families offices have (仿宋_GB2312,
方正小标宋简体, 黑体, 楷体_GB2312) in every script slot, East Asian included; the PDF embeds freely licensed faces
from the system: Noto Serif CJK SC (fonts-noto-cjk) for 仿宋 and, bold, for 小标宋, Noto Sans CJK SC for 黑体 and
AR PL UKai CN (fonts-arphic-ukai) for 楷体, each falling back to Noto when the configured face is not installed.

GB/T 9704-2012 elements used here (section numbers of the standard):
  5.2.1/5.2.2  A4; top margin (天头) 37 mm, left (订口) 28 mm; text block (版心) 156 x 225 mm
  5.2.3/6      22 lines of 28 characters in 3号 (16 pt) 仿宋, justified
  7.2.3-7.2.5  red issuing-organ mark (发文机关标志) in 小标宋, its top 35 mm below the top of the text block; the
               document number (发文字号) centred two lines below it; a red separator line 4 mm under the number
  7.3.1-7.3.3  title in 2号 (22 pt) 小标宋, centred two lines under the red line; recipient (主送) one line under
               the title, flush left, followed by a full-width colon
  7.3.3        headings indented two characters: 一、 in 黑体 (numbered here when the author did not), （一） in
               楷体, 1. and （1） in 仿宋
  7.3.5.1      the date (成文日期) four characters in from the right edge, in Arabic numerals, the organ's name
               centred over it (moved left only to stay inside the text block); two blank lines above leave the
               space the seal is stamped in. No seal is printed: a blank seal is forbidden
  7.4          版记 (here: the layout's footer) between rules in 4号 (14 pt)
  7.5          page numbers "— 1 —" in 4号, 7 mm under the text block, odd pages right, even pages left,
               one character in from the edge
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import itertools
import math
import re
import subprocess
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .layout import DocumentLayout, Section

__all__ = [
    "DEFAULT_FONTS",
    "FontSettings",
    "RoleFont",
    "configured_fonts",
    "format_date",
    "pdf_faces",
    "render_docx",
    "render_pdf",
]


@dataclass(frozen=True)
class RoleFont:
    """One role's typeface: the family an office's Word or WPS has (DOCX) and the face embedded in PDFs."""

    docx: str
    pdf: str
    pdf_bold: bool = False  # a bold face stands in for a heavy one (Noto Serif Bold for 小标宋)


@dataclass(frozen=True)
class FontSettings:
    """Typefaces by role after GB/T 9704-2012: 小标宋 title, 仿宋 body, 黑体 and 楷体 headings (7.3.3).

    The PDF faces are the freely licensed ones Debian ships: no free 仿宋 covers simplified Chinese (Debian's
    only one, cwTeX 仿宋 in fonts-cwtex-fs, lacks about a third of GB2312's common characters, e.g. 访 项 书),
    so the body is set in Noto Serif CJK SC, the closest free face; 楷体 is AR PL UKai (fonts-arphic-ukai).
    """

    title: RoleFont = RoleFont("方正小标宋简体", "Noto Serif CJK SC", pdf_bold=True)  # organ mark and title
    body: RoleFont = RoleFont("仿宋_GB2312", "Noto Serif CJK SC")  # body, signature, page numbers, 版记
    heading: RoleFont = RoleFont("黑体", "Noto Sans CJK SC")  # first-level headings 一、
    subheading: RoleFont = RoleFont("楷体_GB2312", "AR PL UKai CN")  # second-level headings （一）


DEFAULT_FONTS = FontSettings()
_ROLES = ("title", "body", "heading", "subheading")


def configured_fonts() -> FontSettings:
    """The fonts of settings.DOCUMENT_FONTS: per role a dict of docx/pdf/pdf_bold overriding the defaults.

    e.g. {"body": {"docx": "方正仿宋_GBK", "pdf": "FZFangSong-Z02"}}; a role given its own PDF face is drawn in
    that face's regular weight unless "pdf_bold" says otherwise.
    """
    from django.conf import settings

    configured = getattr(settings, "DOCUMENT_FONTS", None) or {}
    roles = {}
    for role in _ROLES:
        default: RoleFont = getattr(DEFAULT_FONTS, role)
        override = configured.get(role) or {}
        roles[role] = RoleFont(
            docx=str(override.get("docx") or default.docx),
            pdf=str(override.get("pdf") or default.pdf),
            pdf_bold=bool(override.get("pdf_bold", default.pdf_bold if "pdf" not in override else False)),
        )
    return FontSettings(**roles)


# Families tried in the PDF after the configured one, so a missing face falls back to an installed one.
_FALLBACK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


@functools.lru_cache(maxsize=1)
def _installed_families() -> frozenset[str]:
    """Every family name fontconfig knows (each name of a face counts), or nothing when it cannot be asked."""
    try:
        listing = subprocess.run(
            ["fc-list", "--format=%{family}\n"], capture_output=True, check=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in listing.splitlines() for name in line.split(","))


def pdf_faces(fonts: FontSettings | None = None) -> dict[str, tuple[str, str | None]]:
    """Per role, the PDF face configured and the one PDFs are drawn in (None: no Chinese face installed).

    The two differ when the configured face is missing and a fallback is used: for an administrator's page.
    """
    fonts = fonts or configured_fonts()
    installed = _installed_families()
    faces: dict[str, tuple[str, str | None]] = {}
    for role in _ROLES:
        font: RoleFont = getattr(fonts, role)
        candidates = (font.pdf, getattr(DEFAULT_FONTS, role).pdf, *_FALLBACK_FAMILIES)
        faces[role] = (font.pdf, next((family for family in candidates if family in installed), None))
    return faces


# --- Geometry (millimetres unless named otherwise) ----------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37.0, 35.0, 28.0, 26.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

MM_PER_PT = 25.4 / 72
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
SMALL_PT = 14.0  # 4号: page numbers, 版记
ORGAN_MARK_MAX_MM = 12.7  # 小初 (36 pt) at most; shrunk so the whole organ name fits on one line

CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE  # 5.571 mm per character
# Rounded down by a hair so rounding never pushes the 28th character or the 22nd line off the block.
LINE_PITCH = int(TEXT_HEIGHT / LINES_PER_PAGE * 100) / 100  # 10.22 mm per line
LETTER_SPACING = int((CHAR_PITCH - BODY_PT * MM_PER_PT) * 100) / 100 - 0.01  # -0.08 mm

MASTHEAD_GAP = 35.0  # 7.2.3: top of the organ mark to the top of the text block
RULE_GAP = 4.0  # 7.2.5: red separator line under the document number
RULE_WIDTH = 0.5
# 7.3.5.1: the seal (stamped by hand, never printed: a blank seal is forbidden) covers the signature and the date,
# which sit below its centre, its top within one line of the text above. A 42 mm seal whose centre is half a line
# under the top of the signature line reaches 16 mm above it: two blank lines (20.4 mm) leave that space.
SEAL_SPACE_LINES = 2
PAGE_NUMBER_GAP = 7.0  # 7.5: top of the page number under the text block
DATE_RIGHT_CHARS = 4  # 7.3.5.1: 成文日期一般右空四字; the organ's name centred over the date
# Top of the em box below the top of a line box of line-height 1 in the Noto CJK faces (hhea ascent 1.151,
# descent 0.286, ideographic em box top 0.88): (1 - 1.437) / 2 + 1.151 - 0.88.
_EM_TOP = 0.052
RED = "E60012"

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]|[（(]\d+[）)]|第\S+?[条章节部分])"
)
_LEVEL_TWO = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")  # （一）: 楷体
_LEVEL_THREE = re.compile(r"^(?:\d+[.．、]|[（(]\d+[）)])")  # 1. and （1）: 仿宋, as the body
# Justifying Chinese text: no break (and so no stretch) after an opening or before a closing mark (禁则).
_OPENING = frozenset("（(《〈“‘「『【〔［[{")
_CLOSING = frozenset("，。、；：？！）)》〉”’」』】〕］]}…—·%％,.;:?!")
_DIGITS = "零一二三四五六七八九"


# --- Content shared by both renderers -----------------------------------------------------------------------


def _clean(text: str) -> str:
    """One line of user text, without characters XML cannot hold or layout cannot use."""
    return _CONTROL_CHARS.sub("", text.replace("\t", " ")).strip(" \u3000\r\n")


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a section's text: every non-blank line is one (blank lines also separate paragraphs).

    Leading spaces and full-width spaces are dropped because the renderers indent paragraphs themselves.
    """
    return [line for line in (_clean(raw) for raw in text.splitlines()) if line]


def _chinese_ordinal(number: int) -> str:
    if number < 10:
        return _DIGITS[number]
    tens, units = divmod(number, 10)
    if tens >= 10:
        return str(number)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def heading_level(heading: str) -> int:
    """GB/T 9704-2012 7.3.3: 一、 is level 1 (黑体), （一） level 2 (楷体), 1. and （1） level 3 (仿宋)."""
    if _LEVEL_TWO.match(heading):
        return 2
    return 3 if _LEVEL_THREE.match(heading) else 1


def _headings(sections: Iterable[Section]) -> list[str]:
    """Heading text per section: numbered 一、二、... unless the author already numbered it; empty stays empty."""
    headings, number = [], 0
    for section in sections:
        heading = _clean(section.heading)
        if heading and not _NUMBERED.match(heading):
            number += 1
            heading = f"{_chinese_ordinal(number)}、{heading}"
        headings.append(heading)
    return headings


def format_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 7.3.5.1), e.g. 2026年11月22日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _recipient_line(recipient: str) -> str:
    name = _clean(recipient)
    return name if not name or name.endswith(("：", ":")) else f"{name}："


def _visual_width(text: str) -> float:
    """Width in character pitches: CJK and full-width characters take one, others (digits, Latin) half."""
    return sum(1.0 if ord(char) >= 0x2E80 else 0.5 for char in text)


def _signature_indents(organ: str, date: str) -> tuple[float, float]:
    """Right indents (in characters) of the signature and the date (7.3.5.1).

    The date ends four characters in from the right edge; the organ's name is centred over the date, moved left
    only as far as it must to stay inside the text block, and set flush right when it takes more than a line.
    """
    organ_width, date_width = _visual_width(organ), _visual_width(date)
    return max(DATE_RIGHT_CHARS + (date_width - organ_width) / 2, 0.0), float(DATE_RIGHT_CHARS)


def _organ_mark_size(organ: str) -> float:
    """Character size (mm) of the red organ mark so the whole name fits on one line of the text block."""
    return min(ORGAN_MARK_MAX_MM, (TEXT_WIDTH - 2) / max(_visual_width(organ), 1.0))


def _fixed_datetime(day: dt.date) -> dt.datetime:
    """The one timestamp written into both files: midnight UTC of the issue date."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# --- PDF ------------------------------------------------------------------------------------------------------


def _css_family(*families: str) -> str:
    names = dict.fromkeys(family.strip() for family in families if family.strip())  # ordered, unique
    # A CSS string inside <style>: no quote may end it and no "</style" may end the element.
    quoted = ['"' + re.sub(r'[\\"<\x00-\x1f]', lambda m: f"\\{ord(m[0]):x} ", name) + '"' for name in names]
    return ", ".join([*quoted, "serif"])


def _role_css(font: RoleFont, default: RoleFont) -> str:
    """font-family and font-weight of one role: the configured face, then the default one, then Noto."""
    return f"font-family: {_css_family(font.pdf, default.pdf, *_FALLBACK_FAMILIES)}; " + (
        "font-weight: bold;" if font.pdf_bold else "font-weight: normal;"
    )


@functools.lru_cache(maxsize=16)
def _space_advance_em(family: str) -> float | None:
    """Advance width of U+0020 (in em) in the face fontconfig picks for the family; None when unknown."""
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}", family], capture_output=True, check=True, text=True, timeout=10
        ).stdout.split("\n")
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # installed with WeasyPrint

        font = TTFont(found[0], fontNumber=int(found[1] or 0), lazy=True)
        advance: int = font["hmtx"][font.getBestCmap()[0x20]][0]
        return advance / int(font["head"].unitsPerEm)
    except (OSError, subprocess.SubprocessError, LookupError, ValueError):
        return None


def _stretchable(text: str) -> str:
    """The paragraph with a space at every place a line of Chinese may break, for WeasyPrint to justify.

    WeasyPrint justifies by widening spaces only; the stylesheet gives these spaces no width of their own
    (word-spacing), so a line is laid out as before and a full line is stretched evenly to the right edge.
    """
    out: list[str] = []
    for before, char in itertools.pairwise(" " + text):
        narrow = ord(before) < 0x2E80 and ord(char) < 0x2E80  # digits and Latin words stay whole
        if out and not narrow and before not in _OPENING and char not in _CLOSING and " " not in (before, char):
            out.append(" ")
        out.append(char)
    return "".join(out)


def _stylesheet(fonts: FontSettings, organ_mark_mm: float) -> str:
    defaults = DEFAULT_FONTS
    title, body = _role_css(fonts.title, defaults.title), _role_css(fonts.body, defaults.body)
    heading, subheading = _role_css(fonts.heading, defaults.heading), _role_css(fonts.subheading, defaults.subheading)
    page_number = f"""
        content: "— " counter(page) " —"; {body} font-size: {SMALL_PT}pt; line-height: 1;
        vertical-align: top; padding-top: {PAGE_NUMBER_GAP - 1.5}mm; width: 60mm;"""
    space = _space_advance_em(fonts.body.pdf)
    # The inserted spaces take no width (the letter spacing applies to them too), so only justification widens them.
    stretch = "" if space is None else f"word-spacing: {-(space * BODY_PT * MM_PER_PT + LETTER_SPACING):.4f}mm;"
    return f"""
    @page {{
        size: A4;
        margin: {MARGIN_TOP}mm {MARGIN_RIGHT}mm {MARGIN_BOTTOM}mm {MARGIN_LEFT}mm;
    }}
    @page :right {{ @bottom-right {{ {page_number} text-align: right; padding-right: {SMALL_PT}pt; }} }}
    @page :left {{ @bottom-left {{ {page_number} text-align: left; padding-left: {SMALL_PT}pt; }} }}
    html {{
        {body} font-size: {BODY_PT}pt; line-height: {LINE_PITCH}mm; color: #000;
        letter-spacing: {LETTER_SPACING}mm; orphans: 2; widows: 2; overflow-wrap: break-word;
    }}
    body {{ margin: 0; }}
    p, h1, h2 {{ margin: 0; padding: 0; font-size: {BODY_PT}pt; }}
    .masthead {{ text-align: center; }}
    .organ-mark {{
        margin-top: {MASTHEAD_GAP - _EM_TOP * organ_mark_mm:.2f}mm; color: #{RED}; {title}
        font-size: {organ_mark_mm:.2f}mm; line-height: 1; letter-spacing: 0; white-space: nowrap;
    }}
    .number {{ margin-top: {2 * LINE_PITCH}mm; line-height: {BODY_PT * 1.2}pt; }}
    .rule {{ margin-top: {RULE_GAP}mm; border-top: {RULE_WIDTH}mm solid #{RED}; }}
    h1 {{
        margin-top: {2 * LINE_PITCH - RULE_GAP}mm; {title}
        font-size: {TITLE_PT}pt; line-height: {LINE_PITCH * 1.2:.2f}mm; text-align: center; letter-spacing: 0;
    }}
    .recipient {{ margin-top: {LINE_PITCH}mm; }}
    h2 {{ {heading} text-indent: {2 * CHAR_PITCH:.3f}mm; break-after: avoid; page-break-after: avoid; }}
    h2.level-2 {{ {subheading} }}
    h2.level-3 {{ {body} }}
    .text {{ text-indent: {2 * CHAR_PITCH:.3f}mm; text-align: justify; {stretch} }}
    .signature {{
        margin-top: {SEAL_SPACE_LINES * LINE_PITCH}mm; text-align: right;
        break-before: avoid; page-break-before: avoid; break-inside: avoid;
    }}
    @page {{ @footnote {{ margin-top: {LINE_PITCH}mm; }} }}
    .colophon::footnote-call {{ content: none; }}
    .colophon::footnote-marker {{ content: none; }}
    .colophon {{
        float: footnote; border-top: 0.35mm solid #000; border-bottom: 0.35mm solid #000;
        padding: 1mm {SMALL_PT}pt; font-size: {SMALL_PT}pt; line-height: {LINE_PITCH * 0.8:.2f}mm;
        break-inside: avoid;
    }}
    .colophon p {{ font-size: {SMALL_PT}pt; }}
    """


def _html(layout: DocumentLayout, fonts: FontSettings) -> str:
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    organ = _clean(layout.issuing_organ)
    title = _clean(layout.title)
    number = _clean(layout.number)
    day = layout.issued_on.isoformat()[:10]
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        f'<meta name="author" content="{esc(organ)}">',
        f'<meta name="description" content="{esc(number)}">',
        f'<meta name="dcterms.created" content="{day}">',
        f'<meta name="dcterms.modified" content="{day}">',
        f"<style>{_stylesheet(fonts, _organ_mark_size(organ))}</style></head><body>",
        '<div class="masthead">',
        f'<p class="organ-mark">{esc(organ)}</p>',
        f'<p class="number">{esc(number)}</p>' if number else "",
        '<div class="rule"></div></div>',
        f"<h1>{esc(title)}</h1>",
    ]
    recipient = _recipient_line(layout.recipient)
    if recipient:
        parts.append(f'<p class="recipient">{esc(recipient)}</p>')
    for section, heading in zip(layout.sections, _headings(layout.sections), strict=True):
        if heading:
            parts.append(f'<h2 class="level-{heading_level(heading)}">{esc(heading)}</h2>')
        parts.extend(f'<p class="text">{esc(_stretchable(paragraph))}</p>' for paragraph in _paragraphs(section.text))
    date = format_date(layout.issued_on)
    organ_indent, date_indent = _signature_indents(organ, date)
    parts += [
        '<div class="signature">',
        f'<p class="organ" style="padding-right: {organ_indent * CHAR_PITCH:.3f}mm">{esc(organ)}</p>',
        f'<p class="date" style="padding-right: {date_indent * CHAR_PITCH:.3f}mm">{esc(date)}</p>',
        "</div>",
    ]
    footer = _paragraphs(layout.footer)
    if footer:
        parts.append('<div class="colophon">' + "".join(f"<p>{esc(line)}</p>" for line in footer) + "</div>")
    parts.append("</body></html>")
    return "".join(parts)


def _refuse_to_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"documents fetch nothing: {url[:80]}")


def render_pdf(layout: DocumentLayout, *, fonts: FontSettings | None = None) -> bytes:
    """The document as an A4 PDF. Deterministic: no /ID, and the only dates are the issue date."""
    import weasyprint  # imported here: needs Pango, which only PDFs need

    # Nothing may be fetched: the document is self-contained and its text comes from users.
    fetcher_class = getattr(weasyprint, "URLFetcher", None)  # WeasyPrint 68+; earlier ones take a function
    no_fetching = fetcher_class(allowed_protocols=()) if fetcher_class else _refuse_to_fetch
    document = weasyprint.HTML(string=_html(layout, fonts or configured_fonts()), url_fetcher=no_fetching)
    pdf: bytes = document.write_pdf(pdf_identifier=False)
    return pdf


# --- DOCX -----------------------------------------------------------------------------------------------------

_DOCX_LINE = Pt(round(TEXT_HEIGHT / LINES_PER_PAGE / MM_PER_PT * 20 - 1) / 20)  # exact line spacing, 28.95 pt
_DOCX_LINE_TWIPS = round(_DOCX_LINE.pt * 20)
_DOCX_CHAR_SPACING = math.floor((CHAR_PITCH / MM_PER_PT - BODY_PT) * 20)  # -5: 15.75 pt per character


def _set_run_fonts(rpr: CT_RPr, family: str) -> None:
    """Name the family for every script slot, East Asian included (w:rFonts ascii/hAnsi/eastAsia/cs)."""
    rfonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), family)
    for theme_slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_slot), None)


def _add_run(
    paragraph: Paragraph,
    text: str,
    family: str,
    size: float = BODY_PT,
    *,
    red: bool = False,
) -> None:
    run = paragraph.add_run(text)
    _set_run_fonts(run._r.get_or_add_rPr(), family)
    run.font.size = Pt(size)
    if red:
        run.font.color.rgb = RGBColor.from_string(RED)


def _add_paragraph(
    doc: DocxDocument,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    lines_before: float = 0,
    line_pt: float | None = None,
    indent_chars: int = 0,
    right_indent_mm: float = 0,
    keep_with_next: bool = False,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    if lines_before:
        fmt.space_before = Pt(lines_before * _DOCX_LINE.pt)
    if line_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    if indent_chars:
        fmt.first_line_indent = Mm(indent_chars * CHAR_PITCH)
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if right_indent_mm:
        fmt.right_indent = Mm(right_indent_mm)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def _set_bottom_border(paragraph: Paragraph, *, color: str, eighths_pt: int, space_pt: int) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths_pt)), ("w:space", str(space_pt)), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    _insert_ppr_child(paragraph, borders, before=("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"))


def _insert_ppr_child(paragraph: Paragraph, child: object, *, before: tuple[str, ...]) -> None:
    """Insert into w:pPr ahead of the first of the named elements, keeping the schema's element order."""
    ppr = paragraph._p.get_or_add_pPr()
    for tag in before:
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            anchor.addprevious(child)
            return
    ppr.append(child)


def _set_box_borders(paragraphs: list[Paragraph]) -> None:
    """Rules above the first and below the last paragraph of the 版记."""
    for paragraph, side in ((paragraphs[0], "w:top"), (paragraphs[-1], "w:bottom")):
        ppr = paragraph._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            _insert_ppr_child(paragraph, borders, before=("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"))
        line = OxmlElement(side)
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", "000000")):
            line.set(qn(key), value)
        if side == "w:top":
            borders.insert(0, line)
        else:
            borders.append(line)


def _add_page_number(paragraph: Paragraph, family: str) -> None:
    _add_run(paragraph, "— ", family, SMALL_PT)
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        run = paragraph.add_run()
        _set_run_fonts(run._r.get_or_add_rPr(), family)
        run.font.size = Pt(SMALL_PT)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            run._r.append(code)
        else:
            run.text = "1"
    _add_run(paragraph, " —", family, SMALL_PT)


def _page_setup(doc: DocxDocument, fonts: FontSettings) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(MARGIN_BOTTOM - PAGE_NUMBER_GAP - 6)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid only: Word and LibreOffice disagree on the base of a character grid's w:charSpace, so the
    # 28 characters per line come from the Normal style's character spacing instead (see _normal_style).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(_DOCX_LINE_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)

    # Page numbers: odd pages right, even pages left, one character in from the edge of the text block.
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, None)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        fmt = paragraph.paragraph_format
        if align is None:
            fmt.alignment, fmt.left_indent = WD_ALIGN_PARAGRAPH.LEFT, Pt(SMALL_PT)
        else:
            fmt.alignment, fmt.right_indent = align, Pt(SMALL_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        paragraph._p.get_or_add_pPr().remove_all("w:tabs")
        _add_page_number(paragraph, fonts.body.docx)


def _normal_style(doc: DocxDocument, fonts: FontSettings) -> None:
    normal = doc.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    _set_run_fonts(rpr, fonts.body.docx)
    normal.font.size = Pt(BODY_PT)
    spacing = OxmlElement("w:spacing")  # character spacing in 1/20 pt, rounded down to fit 28 per line
    spacing.set(qn("w:val"), str(_DOCX_CHAR_SPACING))
    rpr.find(qn("w:sz")).addprevious(spacing)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = _DOCX_LINE
    fmt.widow_control = True
    ppr = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra gap between Chinese and digits, as in the PDF
        switch = OxmlElement(name)
        switch.set(qn("w:val"), "0")
        ppr.find(qn("w:spacing")).addprevious(switch)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "both")
    normal.element.get_or_add_pPr().append(jc)
    for theme_lang in doc.settings.element.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _core_properties(doc: DocxDocument, layout: DocumentLayout) -> None:
    props = doc.core_properties
    organ = _clean(layout.issuing_organ)
    props.title, props.subject = _clean(layout.title), _clean(layout.number)
    props.author, props.last_modified_by = organ, organ
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    issued = _fixed_datetime(layout.issued_on).replace(tzinfo=None)  # python-docx writes naive times as UTC
    props.created = props.modified = issued


def _drop_thumbnail(doc: DocxDocument) -> None:
    """The template's thumbnail shows an empty page; an unreferenced part is not written."""
    rels = doc.part.package.rels
    for rel_id in [rel_id for rel_id, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(rel_id)


def _stable_zip(data: bytes, day: dt.date) -> bytes:
    """Rewrite the package with fixed member timestamps and attributes (python-docx stamps the current time)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(member.filename), compresslevel=6)
    return out.getvalue()


def render_docx(layout: DocumentLayout, *, fonts: FontSettings | None = None) -> bytes:
    """The document as an editable A4 DOCX with the same content, order, margins and type sizes as the PDF."""
    fonts = fonts or configured_fonts()
    doc = new_docx()
    _page_setup(doc, fonts)
    _normal_style(doc, fonts)
    _core_properties(doc, layout)
    _drop_thumbnail(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    line = _DOCX_LINE.pt

    organ = _clean(layout.issuing_organ)
    mark_pt = _organ_mark_size(organ) / MM_PER_PT
    paragraph = _add_paragraph(doc, align=center, line_pt=round(mark_pt, 1))
    # 小标宋 is a heavy face of its own: no bold, which Word and WPS would fake by smearing the strokes.
    paragraph.paragraph_format.space_before = Mm(MASTHEAD_GAP - _EM_TOP * _organ_mark_size(organ))
    _add_run(paragraph, organ, fonts.title.docx, round(mark_pt * 2) / 2, red=True)

    paragraph = _add_paragraph(doc, align=center, lines_before=2, line_pt=BODY_PT * 1.2)
    _add_run(paragraph, _clean(layout.number), fonts.body.docx)
    _set_bottom_border(paragraph, color=RED, eighths_pt=12, space_pt=round(RULE_GAP / MM_PER_PT))

    paragraph = _add_paragraph(doc, align=center, lines_before=2, line_pt=round(line * 1.2, 1))
    _add_run(paragraph, _clean(layout.title), fonts.title.docx, TITLE_PT)

    recipient = _recipient_line(layout.recipient)
    if recipient:
        paragraph = _add_paragraph(doc, lines_before=1)
        _add_run(paragraph, recipient, fonts.body.docx)

    body: list[Paragraph] = []
    for section, heading in zip(layout.sections, _headings(layout.sections), strict=True):
        if heading:
            paragraph = _add_paragraph(doc, indent_chars=2, keep_with_next=True)
            role = {1: fonts.heading, 2: fonts.subheading}.get(heading_level(heading), fonts.body)
            _add_run(paragraph, heading, role.docx)  # 黑体 and 楷体 are used as they are, not bold
            body.append(paragraph)
        for text in _paragraphs(section.text):
            paragraph = _add_paragraph(doc, indent_chars=2)
            _add_run(paragraph, text, fonts.body.docx)
            body.append(paragraph)
    if body:
        body[-1].paragraph_format.keep_with_next = True  # the signature never stands alone on a page

    # Signature (7.3.5.1): the date four characters in from the right, the organ's name centred over it; the
    # blank lines above leave the space the seal is stamped in.
    date = format_date(layout.issued_on)
    organ_indent, date_indent = _signature_indents(organ, date)
    right_align = WD_ALIGN_PARAGRAPH.RIGHT
    for _ in range(SEAL_SPACE_LINES):  # blank lines rather than space-before, as in the PDF
        _add_paragraph(doc, keep_with_next=True)
    paragraph = _add_paragraph(doc, align=right_align, right_indent_mm=organ_indent * CHAR_PITCH, keep_with_next=True)
    _add_run(paragraph, organ, fonts.body.docx)
    paragraph = _add_paragraph(doc, align=right_align, right_indent_mm=date_indent * CHAR_PITCH)
    _add_run(paragraph, date, fonts.body.docx)

    footer = _paragraphs(layout.footer)
    if footer:
        lines = []
        for index, text in enumerate(footer):
            paragraph = _add_paragraph(doc, lines_before=1 if index == 0 else 0, keep_with_next=True)
            paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(SMALL_PT)
            _add_run(paragraph, text, fonts.body.docx, SMALL_PT)
            lines.append(paragraph)
        _set_box_borders(lines)

    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue(), layout.issued_on)
