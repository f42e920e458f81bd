"""The query code between the submission and the receipt page, never stored in clear on the server.

The code is split by a one-time pad: the database session keeps only ``code XOR pad`` and the petitioner's
browser keeps only the pad (an HttpOnly cookie limited to the receipt page, for an hour). Neither half alone
says anything about the code; the receipt page joins them to show it again, e.g. after switching elder mode.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest, HttpResponse

PAD_COOKIE = "portal_receipt_pad"
PAD_PATH = "/public/receipt/"
PAD_SECONDS = 3600


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def seal(code: str) -> tuple[str, str]:
    """(sealed, pad), both hex: the first goes to the session, the second to the browser."""
    data = code.encode("ascii")
    pad = secrets.token_bytes(len(data))
    return _xor(data, pad).hex(), pad.hex()


def unseal(sealed: str, pad: str) -> str:
    """The code, or "" when either half is missing or does not fit the other."""
    try:
        data, key = bytes.fromhex(sealed), bytes.fromhex(pad)
        return _xor(data, key).decode("ascii") if data else ""
    except (ValueError, UnicodeDecodeError):
        return ""


def give_pad(request: HttpRequest, response: HttpResponse, pad: str) -> None:
    response.set_cookie(
        PAD_COOKIE,
        pad,
        max_age=PAD_SECONDS,
        path=PAD_PATH,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )


def pad_of(request: HttpRequest) -> str:
    return request.COOKIES.get(PAD_COOKIE, "")
