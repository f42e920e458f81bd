"""Checks on what a registrar or petitioner types: clear messages in Chinese that name the field."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from django.conf import settings

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")


def resident_id_error(value: str) -> str | None:
    """GB 11643-1999 checksum of an 18-digit resident identity number; other documents pass."""
    value = value.strip()
    if not value or not (len(value) == 18 and value[:17].isdigit()):
        return None
    if not RESIDENT_ID.match(value):
        return "「证件号码」最后一位应为数字或X"
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17].upper():
        return "「证件号码」校验位不正确，请核对身份证号码（GB 11643）"
    return None


# Allowed attachment types, recognised by their first bytes, not by their names.
SIGNATURES: tuple[tuple[str, bytes, int, str, tuple[str, ...]], ...] = (
    ("application/pdf", b"%PDF-", 0, "PDF", (".pdf",)),
    ("image/jpeg", b"\xff\xd8\xff", 0, "JPEG 图片", (".jpg", ".jpeg")),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0, "PNG 图片", (".png",)),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
        0,
        "Word 文档",
        (".docx",),
    ),
    ("application/msword", b"\xd0\xcf\x11\xe0", 0, "Word 文档", (".doc",)),
    ("audio/mpeg", b"ID3", 0, "MP3 录音", (".mp3",)),
    ("audio/mp4", b"ftyp", 4, "M4A 录音", (".m4a", ".mp4")),
    ("audio/wav", b"WAVE", 8, "WAV 录音", (".wav",)),
)
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
ALLOWED_NAMES = "PDF、JPEG、PNG、Word、MP3、M4A、WAV、TXT"


def sniff_attachment(name: str, head: bytes, size: int) -> tuple[str | None, str | None]:
    """Return (content_type, error). The error names the file and says what is allowed."""
    limit = settings.XINFANG_ATTACHMENT_MAX_MB * 1024 * 1024
    if size > limit:
        return (
            None,
            f"「附件」{name} 大小为 {size / 1024 / 1024:.1f} MB，超过 {settings.XINFANG_ATTACHMENT_MAX_MB} MB 的上限",
        )
    if size == 0:
        return None, f"「附件」{name} 是空文件"
    lower = name.lower()
    if head.startswith(EXECUTABLE):
        return None, f"「附件」{name} 是可执行程序，不能作为附件上传"
    for content_type, magic, offset, label, suffixes in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if not lower.endswith(suffixes):
                return None, f"「附件」{name} 的内容是{label}，与文件扩展名不符"
            return content_type, None
    if lower.endswith(".txt"):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
                return None, f"「附件」{name} 不是 UTF-8 文本文件"
        if b"\x00" not in head:
            return "text/plain", None
    return None, f"「附件」{name} 的文件类型不受支持，可上传：{ALLOWED_NAMES}"


# Checks by structure: a file must be what its first bytes claim, not only start like it (issue 12, item 3).
PDF_START = re.compile(rb"^%PDF-[12]\.\d")
PDF_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
PDF_AT_XREF = re.compile(rb"\s*(xref\b|\d+\s+\d+\s+obj\b)")
PDF_ROOT = re.compile(rb"/Root\s+(\d+)\s+(\d+)\s+R\b")
PDF_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
PDF_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
MAX_IMAGE_PIXELS = 80_000_000  # a phone photo is about 12-50 million
MAX_DOCX_UNPACKED = 200 * 1024 * 1024


def _pdf_error(content: bytes) -> bool:
    """True unless the PDF has a header, a cross-reference that ``startxref`` points at, and a catalog."""
    if not PDF_START.match(content):
        return True
    tails = PDF_STARTXREF.findall(content[-4096:])
    if not tails:
        return True
    offset = int(tails[-1])
    if offset >= len(content) or not PDF_AT_XREF.match(content, offset):
        return True
    roots = PDF_ROOT.findall(content)
    if not roots:
        return True
    number, generation = roots[-1]
    root = re.search(rb"(?<![\d])" + number + rb"\s+" + generation + rb"\s+obj\b", content)
    if root is None:  # the catalog may sit compressed in an object stream (PDF 1.5 and later)
        return PDF_OBJECT_STREAM.search(content) is None
    return PDF_CATALOG.search(content, root.end(), root.end() + 4096) is None


def _image_error(content: bytes) -> str | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return "too_large"
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()  # decode every pixel: a truncated or forged image fails here
    except Exception:  # Pillow raises many kinds for a broken file
        return "broken"
    return None


def _docx_error(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return True
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED:
                return True
            return archive.testzip() is not None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True


def structure_error(name: str, content_type: str, content: bytes) -> str | None:
    """The file read whole, checked by its structure; the error names the file."""
    if content_type == "application/pdf" and _pdf_error(content):
        return f"「附件」{name} 不是完整有效的PDF文件（文件结构无法解析），请重新导出或扫描后上传"
    if content_type in ("image/jpeg", "image/png"):
        problem = _image_error(content)
        if problem == "too_large":
            return f"「附件」{name} 的图片尺寸过大，请缩小后上传"
        if problem:
            return f"「附件」{name} 不是可以正常显示的图片（文件已损坏或内容不符），请重新拍摄或导出后上传"
    if content_type.endswith("wordprocessingml.document") and _docx_error(content):
        return f"「附件」{name} 不是有效的 Word 文档（.docx），请用 Word 或 WPS 另存后上传"
    return None


def size_error(name: str, size: int) -> str | None:
    limit = settings.XINFANG_ATTACHMENT_MAX_MB * 1024 * 1024
    if size > limit:
        return f"「附件」{name} 超过 {settings.XINFANG_ATTACHMENT_MAX_MB} MB 的上限"
    return None


def check_attachment(name: str, upload: Any) -> tuple[bytes, str | None, str | None]:
    """Check one upload: its size *before* it is read (``upload.size`` for a Django file), then its first bytes,
    then its structure. Returns (content, content_type, error); content is empty when the size is refused."""
    declared = len(upload) if isinstance(upload, bytes) else int(getattr(upload, "size", 0) or 0)
    problem = size_error(name, declared)
    if problem:
        return b"", None, problem
    content = upload if isinstance(upload, bytes) else upload.read()
    content_type, problem = sniff_attachment(name, content[:4096], len(content))
    if problem or content_type is None:
        return content, None, problem
    return content, content_type, structure_error(name, content_type, content)
