"""A CAPTCHA that works offline and with a screen reader: a sum written in Chinese words, signed by the server.

The answer never reaches the browser in clear: the form carries a signed token with a salted hash of the
answer and a nonce. A token is valid for 30 minutes and only once (its nonce is spent on success).
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

from . import throttle

DIGITS = "零一二三四五六七八九十"
MAX_AGE = 30 * 60
SALT = "xinfang.portal.captcha"


def _words(n: int) -> str:
    if n <= 10:
        return DIGITS[n]
    return ("" if n < 20 else DIGITS[n // 10]) + "十" + (DIGITS[n % 10] if n % 10 else "")


def _digest(nonce: str, answer: str) -> str:
    return hashlib.sha256(f"{nonce}:{answer.strip()}".encode()).hexdigest()


def challenge() -> tuple[str, str]:
    """A question such as “七加五等于几？” and its signed token."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, str(a + b))}, salt=SALT)
    return f"{_words(a)}加{_words(b)}等于几？（请填写阿拉伯数字）", token


def problem(token: str, answer: str) -> str | None:
    """None when the answer is right; otherwise what to tell the person."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "验证问题已过期，请回答新的问题"
    except signing.BadSignature:
        return "验证问题无效，请回答新的问题"
    if not answer.strip():
        return "请回答验证问题"
    if not secrets.compare_digest(_digest(data["n"], answer.translate(_FULLWIDTH)), data["h"]):
        return "验证问题的答案不正确，请重新计算"
    if not throttle.spend(f"captcha:{data['n']}"):
        return "该验证问题已使用过，请回答新的问题"
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
