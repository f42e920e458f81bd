"""A 月报 / 季报 as DOCX (python-docx) and PDF (WeasyPrint), in the documents app's page and typefaces.

A4 with the GB/T 9704 margins, the title in the title face (小标宋, 2号), headings 一、 in 黑体, body and tables
in the body face (仿宋); the charts are PNGs drawn with Pillow (already installed with WeasyPrint), embedded in
both files. Nothing is fetched: the PDF's only images are the data: URIs written here.
"""

from __future__ import annotations

import base64
import html
import io
import subprocess
from functools import cache

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image, ImageDraw, ImageFont

from xinfang.documents.render import (
    BODY_PT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    SMALL_PT,
    TITLE_PT,
    configured_fonts,
)

from .report import Compared, ReportContent

TABLE_PT = 10.5  # 五号: tables
COLOURS = ("#3a6ea5", "#c0504d", "#9bbb59")


def num(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}%" if unit == "%" else (f"{value:.1f}" if unit == "日" else f"{value:.0f}")


def delta(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{value:.2f}个百分点" if unit == "%" else f"{sign}{value:.1f}"


# --- text ---------------------------------------------------------------------------------------------------
def sections(c: ReportContent) -> list[tuple[str, list[str], list[list[str]] | None]]:
    """(heading, paragraphs, table rows with a header row or None), in order."""
    now, before, last_year = c.petitions
    out: list[tuple[str, list[str], list[list[str]] | None]] = []
    ring = "上期" + ("上月" if c.kind == "monthly" else "上季度")
    out.append(
        (
            "一、总体情况",
            [
                f"{c.period}（{c.start:%Y年%-m月%-d日}至{c.end:%Y年%-m月%-d日}），{c.organ_name}（含下级机关）"
                f"共登记信访事项{now}件，{ring[2:]}{before}件，去年同期{last_year}件。"
            ],
            None,
        )
    )
    rows = [["指标", "本期", "分子/分母", ring[2:], "去年同期", "环比", "同比"]]
    for h in c.headline:
        rows.append(
            [
                h.name,
                num(h.now.value, h.unit),
                f"{h.now.numerator}/{h.now.denominator}" if h.now.denominator is not None else str(h.now.numerator),
                num(h.before.value, h.unit),
                num(h.last_year.value, h.unit),
                delta(Compared.change(h.now, h.before), h.unit),
                delta(Compared.change(h.now, h.last_year), h.unit),
            ]
        )
    out.append(("二、主要指标", ["各项指标由哈希链事件和法定期限计算，口径与统计分析页面一致。"], rows))
    cat_rows = [["类别", "件数", "占比"], *([n, str(k), f"{s:.1f}%"] for n, k, s in c.categories)]
    out.append(("三、信访事项类别", [] if c.categories else ["本期没有登记的信访事项。"], cat_rows))
    organ_rows = [["机关", "登记件数", "按期办结率", "分子/分母"]]
    organ_rows += [
        [n, str(k), num(f.value, "%"), f"{f.numerator}/{f.denominator}" + ("（样本少）" if f.few else "")]
        for n, k, f in c.organs
    ]
    out.append(("四、下级机关情况", [] if c.organs else ["本期下级机关没有信访事项。"], organ_rows))
    overdue_total = sum(n for _, n in c.overdue)
    overdue_rows = [["期限（职责）", "超期件数"], *([t, str(n)] for t, n in c.overdue)]
    out.append(
        (
            "五、超期情况",
            [f"本期法定最后一日届满而未按期完成的机关期限共{overdue_total}个。"],
            overdue_rows if c.overdue else None,
        )
    )
    rated, satisfied, followed = c.ratings
    share = f"，满意和基本满意{satisfied}件，占{100 * satisfied / rated:.2f}%" if rated else ""
    out.append(
        ("六、群众评价", [f"本期信访人对办理结果作出评价{rated}件{share}；对不满意评价已回访{followed}件。"], None)
    )
    return out


# --- charts -------------------------------------------------------------------------------------------------
@cache
def _font_file() -> str:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return found


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_file()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float]]], unit: str) -> bytes:
    """A grouped bar chart as PNG (1200×600): one group per label, one bar per series, values written on top."""
    width, height, left, bottom, top = 1200, 600, 90, 110, 80
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, 30), title, fill="black", font=_font(30), anchor="mm")
    peak = max([v for _, values in series for v in values] + [1.0])
    plot_h, plot_w = height - top - bottom, width - left - 40
    draw.line((left, top, left, height - bottom, width - 40, height - bottom), fill="black", width=2)
    group = plot_w / max(len(labels), 1)
    bar = group * 0.7 / max(len(series), 1)
    small = _font(18)
    for i, label in enumerate(labels):
        x0 = left + i * group + group * 0.15
        for j, (_name, values) in enumerate(series):
            value = values[i]
            h = plot_h * value / peak
            x = x0 + j * bar
            draw.rectangle((x, height - bottom - h, x + bar - 4, height - bottom), fill=COLOURS[j % len(COLOURS)])
            shown = f"{value:.1f}" if unit == "%" else f"{value:.0f}"
            draw.text((x + bar / 2, height - bottom - h - 14), shown, fill="black", font=small, anchor="mm")
        draw.text((left + (i + 0.5) * group, height - bottom + 24), label[:8], fill="black", font=small, anchor="mm")
    for j, (name, _) in enumerate(series):
        x = left + 20 + j * 220
        draw.rectangle((x, height - 40, x + 24, height - 20), fill=COLOURS[j % len(COLOURS)])
        draw.text((x + 32, height - 30), name, fill="black", font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def charts(c: ReportContent) -> list[tuple[str, bytes]]:
    ratios = [h for h in c.headline if h.unit == "%"][:6]
    out = [
        (
            "图1 主要比率指标（%）",
            bar_chart(
                "主要比率指标（%）",
                [h.name.replace("率", "") for h in ratios],
                [
                    ("本期", [h.now.value or 0.0 for h in ratios]),
                    ("上期", [h.before.value or 0.0 for h in ratios]),
                    ("去年同期", [h.last_year.value or 0.0 for h in ratios]),
                ],
                "%",
            ),
        )
    ]
    if c.categories:
        out.append(
            (
                "图2 信访事项类别（件）",
                bar_chart(
                    "信访事项类别（件）",
                    [n for n, _, _ in c.categories],
                    [("本期", [float(k) for _, k, _ in c.categories])],
                    "件",
                ),
            )
        )
    return out


# --- DOCX ---------------------------------------------------------------------------------------------------
def _run_font(run: object, family: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), family)


def render_docx(c: ReportContent) -> bytes:
    fonts = configured_fonts()
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)

    def para(text: str, family: str, size: float, *, centre: bool = False, indent: bool = True) -> None:
        p = doc.add_paragraph()
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _run_font(p.add_run(text), family, size)

    para(c.title, fonts.title.docx, TITLE_PT, centre=True)
    para(f"（{c.period}）", fonts.body.docx, BODY_PT, centre=True)
    images = dict(charts(c))
    for heading, paragraphs, rows in sections(c):
        para(heading, fonts.heading.docx, BODY_PT)
        for text in paragraphs:
            para(text, fonts.body.docx, BODY_PT)
        if rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for k, value in enumerate(row):
                    cell = table.cell(r, k)
                    cell.text = ""
                    _run_font(cell.paragraphs[0].add_run(value), fonts.body.docx, TABLE_PT, bold=r == 0)
        if heading.startswith("二") or heading.startswith("三"):
            caption = next((t for t in images if t.startswith("图1" if heading.startswith("二") else "图2")), None)
            if caption:
                doc.add_picture(io.BytesIO(images[caption]), width=Mm(150))
                para(caption, fonts.body.docx, SMALL_PT, centre=True)
    out = io.BytesIO()
    doc.core_properties.title = f"{c.title}（{c.period}）"
    doc.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------------
def _html(c: ReportContent) -> str:
    fonts = configured_fonts()
    e = html.escape
    css = (
        f"@page {{ size: A4; margin: {MARGIN_TOP}mm {MARGIN_RIGHT}mm {MARGIN_BOTTOM}mm {MARGIN_LEFT}mm;"
        f" @bottom-center {{ content: '— ' counter(page) ' —'; font-size: {SMALL_PT}pt; }} }}"
        f"body {{ font-family: '{fonts.body.pdf}', 'Noto Serif CJK SC', serif; font-size: {BODY_PT}pt;"
        " line-height: 1.6; }"
        f"h1 {{ font-family: '{fonts.title.pdf}', 'Noto Serif CJK SC', serif; font-size: {TITLE_PT}pt;"
        " text-align: center; margin: 0; font-weight: bold; }"
        ".period { text-align: center; margin: 0 0 1em; }"
        f"h2 {{ font-family: '{fonts.heading.pdf}', 'Noto Sans CJK SC', sans-serif; font-size: {BODY_PT}pt;"
        " font-weight: normal; margin: 0.6em 0 0; text-indent: 2em; }"
        "p { text-indent: 2em; margin: 0; text-align: justify; }"
        f"table {{ border-collapse: collapse; width: 100%; font-size: {TABLE_PT}pt; margin: 0.4em 0; }}"
        "td, th { border: 0.5pt solid black; padding: 1mm 1.5mm; text-align: center; }"
        f"figure {{ margin: 0.5em 0; text-align: center; font-size: {SMALL_PT}pt; }} img {{ width: 150mm; }}"
    )
    images = dict(charts(c))
    parts = [f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    parts.append(f"<h1>{e(c.title)}</h1><p class='period'>（{e(c.period)}）</p>")
    for heading, paragraphs, rows in sections(c):
        parts.append(f"<h2>{e(heading)}</h2>")
        parts.extend(f"<p>{e(text)}</p>" for text in paragraphs)
        if rows:
            head = "".join(f"<th>{e(v)}</th>" for v in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in rows[1:])
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        prefix = "图1" if heading.startswith("二") else "图2" if heading.startswith("三") else ""
        for caption, png in images.items():
            if prefix and caption.startswith(prefix):
                uri = "data:image/png;base64," + base64.b64encode(png).decode()
                parts.append(
                    f"<figure><img src='{uri}' alt='{e(caption)}'><figcaption>{e(caption)}</figcaption></figure>"
                )
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(c: ReportContent) -> bytes:
    import weasyprint  # needs Pango: imported only when a PDF is made

    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    pdf: bytes = weasyprint.HTML(string=_html(c), url_fetcher=fetcher).write_pdf(pdf_identifier=False)
    return pdf
