"""Uploads: the size is refused before the file is read, and a file is checked by its structure; a file that
only starts like a PDF or an image is refused (issue 12, item 3)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from xinfang.intake.validation import check_attachment
from xinfang.security.uploads import CappedTemporaryFileUploadHandler


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def pillow_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, format="PDF")
    return out.getvalue()


def weasyprint_pdf() -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string="<p>收据</p>").write_pdf())


def word_docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("补偿协议")
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("收据.pdf", pillow_pdf, "application/pdf"),
        ("通知.pdf", weasyprint_pdf, "application/pdf"),
        ("照片.png", lambda: image("PNG"), "image/png"),
        ("照片.jpg", lambda: image("JPEG"), "image/jpeg"),
        ("协议.docx", word_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_real_files_pass(name: str, make: Any, content_type: str) -> None:
    content = make()
    assert check_attachment(name, SimpleUploadedFile(name, content)) == (content, content_type, None)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证据.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "不是完整有效的PDF文件"),
        ("证据.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "不是完整有效的PDF文件"),
        ("证据.pdf", pillow_pdf()[: len(pillow_pdf()) // 2], "不是完整有效的PDF文件"),  # cut in half
        ("照片.png", image("PNG")[:60], "不是可以正常显示的图片"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"<html>not a photo</html>" * 20, "不是可以正常显示的图片"),
        ("协议.docx", b"PK\x03\x04" + b"\x00" * 100, "不是有效的 Word 文档"),
    ],
)
def test_files_that_only_start_right_are_refused(name: str, content: bytes, message: str) -> None:
    _, content_type, problem = check_attachment(name, SimpleUploadedFile(name, content))
    assert content_type is None or problem is not None
    assert problem is not None and message in problem and name in problem


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    _, _, problem = check_attachment("协议.docx", out.getvalue())
    assert problem is not None and "不是有效的 Word 文档" in problem


class Unreadable:
    """An upload whose size is known but which must not be read."""

    size = 30 * 1024 * 1024

    def read(self, *args: object) -> bytes:
        raise AssertionError("read before the size was checked")


@override_settings(XINFANG_ATTACHMENT_MAX_MB=20)
def test_the_size_is_refused_before_the_file_is_read() -> None:
    content, content_type, problem = check_attachment("录像.mp4", Unreadable())
    assert content == b"" and content_type is None
    assert problem == "「附件」录像.mp4 超过 20 MB 的上限"


@override_settings(XINFANG_ATTACHMENT_MAX_MB=1)
def test_the_upload_handler_keeps_at_most_the_limit_and_reports_the_size_sent() -> None:
    handler = CappedTemporaryFileUploadHandler()
    handler.new_file("file", "big.pdf", "application/pdf", 3 * 1024 * 1024)
    chunk = b"0" * (64 * 1024)
    for n in range(48):  # 3 MB in 64 KB chunks
        handler.receive_data_chunk(chunk, n * len(chunk))
    stored = handler.file_complete(3 * 1024 * 1024)
    assert stored.size == 3 * 1024 * 1024
    assert len(stored.read()) == 1024 * 1024 + 1  # the rest never reached the disk
    _, _, problem = check_attachment("big.pdf", stored)
    assert problem == "「附件」big.pdf 超过 1 MB 的上限"
