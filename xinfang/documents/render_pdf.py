"""The PDF of a written notice (WeasyPrint), laid out as `render` describes: see its docstring."""

from __future__ import annotations

import functools
import html
import itertools
import re
import subprocess
from typing import NoReturn

from .layout import DocumentLayout
from .render import (
    _CLOSING,
    _EM_TOP,
    _FALLBACK_FAMILIES,
    _OPENING,
    BODY_PT,
    CHAR_PITCH,
    DEFAULT_FONTS,
    LETTER_SPACING,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MASTHEAD_GAP,
    MM_PER_PT,
    PAGE_NUMBER_GAP,
    RED,
    RULE_GAP,
    RULE_WIDTH,
    SEAL_SPACE_LINES,
    SMALL_PT,
    TITLE_PT,
    FontSettings,
    RoleFont,
    _clean,
    _headings,
    _organ_mark_size,
    _paragraphs,
    _recipient_line,
    _signature_indents,
    configured_fonts,
    format_date,
    heading_level,
)


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
