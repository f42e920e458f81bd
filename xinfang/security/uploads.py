"""An upload handler that never keeps more than the attachment limit (plus one byte) of a file.

Django streams large uploads to a temporary file; this handler stops writing once a file passes
``XINFANG_ATTACHMENT_MAX_MB`` and reports the size it was sent (``file.size``), so validation refuses it
by its real size without the rest ever reaching memory or disk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


def attachment_limit() -> int:
    return int(settings.XINFANG_ATTACHMENT_MAX_MB) * 1024 * 1024


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = attachment_limit() + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        self.file.seek(0)
        self.file.size = self.received
        self.file.truncated = self.received > attachment_limit()  # type: ignore[attr-defined]
        return self.file
