"""GB/T 9704-2012 measured with pdfminer from the characters' own boxes: 天头 37 mm, 订口 28 mm, 版心 156 mm wide,
28 characters on a full line of the body, nothing outside the 版心 but the page number (7.5)."""

from __future__ import annotations

import io

import pytest

from tests.documents.test_render import OPINION
from xinfang.documents.render_pdf import render_pdf

pdfminer = pytest.importorskip("pdfminer.high_level")
from pdfminer.layout import LTChar, LTPage, LTTextLine  # noqa: E402

MM = 25.4 / 72
PAGE_HEIGHT, TOP, LEFT, WIDTH = 297.0, 37.0, 28.0, 156.0  # A4; 天头, 订口, 版心 width (GB/T 9704-2012 5.2.1)
TEXT_HEIGHT = 225.0  # 版心 height
PITCH = WIDTH / 28


def _lines(pdf: bytes) -> list[tuple[int, list[LTChar]]]:
    """Every text line as (page number, its printed characters), in reading order."""
    found = []
    for number, page in enumerate(pdfminer.extract_pages(io.BytesIO(pdf)), start=1):
        assert isinstance(page, LTPage)
        stack = list(page)
        while stack:
            item = stack.pop(0)
            if isinstance(item, LTTextLine):
                chars = [c for c in item if isinstance(c, LTChar) and c.get_text().strip()]
                if chars:
                    found.append((number, chars))
            elif hasattr(item, "__iter__"):
                stack[0:0] = list(item)
    return found


def test_characters_stay_inside_the_text_block_and_full_lines_hold_28() -> None:
    pdf = render_pdf(OPINION)
    lines = _lines(pdf)
    assert lines, "no text found"
    full = 0
    for _page, chars in lines:
        top = PAGE_HEIGHT - max(c.y1 for c in chars) * MM
        left, right = min(c.x0 for c in chars) * MM, max(c.x1 for c in chars) * MM
        if top > TOP + TEXT_HEIGHT:  # the page number sits under the 版心 (7.5)
            continue
        assert top >= TOP - 1.0, (top, "".join(c.get_text() for c in chars))
        assert left >= LEFT - 0.5 and right <= LEFT + WIDTH + 0.5, (left, right)
        # A body line that reaches the right edge of the 版心 is full: 28 characters of 3号 at the standard pitch.
        starts_at_margin = abs(left - LEFT) < 0.5 or abs(left - (LEFT + 2 * PITCH)) < 0.5
        if starts_at_margin and right > LEFT + WIDTH - 1.0 and abs(chars[0].size - 16.0) < 0.5:
            if any(c.get_text().isascii() for c in chars):
                continue  # digits and Latin letters are proportional: such a line is full by justification
            full += 1
            indent = round((left - LEFT) / PITCH)  # a paragraph's first line is indented two characters
            assert indent + len(chars) == 28, "".join(c.get_text() for c in chars)
    assert full >= 3  # the opinion's body has several full lines of Chinese characters only
