"""The layout of a written notice after GB/T 9704-2012: fonts, geometry and text rules shared by the PDF
(`render_pdf`, WeasyPrint) and DOCX (`render_docx`, python-docx) renderers.

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
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from .layout import Section

__all__ = [
    "DEFAULT_FONTS",
    "FontSettings",
    "RoleFont",
    "configured_fonts",
    "format_date",
    "pdf_faces",
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
