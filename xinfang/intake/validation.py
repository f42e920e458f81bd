"""Checks on what a registrar or petitioner types: clear messages in Chinese that name the field."""

from __future__ import annotations

import re

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
