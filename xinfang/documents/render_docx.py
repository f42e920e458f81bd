"""The DOCX of a written notice (python-docx), laid out as `render` describes: see its docstring."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .layout import DocumentLayout
from .render import (
    _EM_TOP,
    BODY_PT,
    CHAR_PITCH,
    LINES_PER_PAGE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MASTHEAD_GAP,
    MM_PER_PT,
    PAGE_HEIGHT,
    PAGE_NUMBER_GAP,
    PAGE_WIDTH,
    RED,
    RULE_GAP,
    SEAL_SPACE_LINES,
    SMALL_PT,
    TEXT_HEIGHT,
    TITLE_PT,
    FontSettings,
    _clean,
    _fixed_datetime,
    _headings,
    _organ_mark_size,
    _paragraphs,
    _recipient_line,
    _signature_indents,
    configured_fonts,
    format_date,
    heading_level,
)

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
