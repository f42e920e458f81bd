"""Shared steps for portal tests: answer the CAPTCHA as a person would, submit, track."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.factories import City

VALID_ID = "11010519491231002X"  # GB 11643 checksum holds
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def words_to_int(text: str) -> int:
    if "十" in text and len(text) > 1:
        tens, _, ones = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    return DIGITS[text]


def captcha_of(html: str) -> tuple[str, str]:
    """(answer, token) read off the form as a person and the browser would."""
    question = re.search(r"验证问题 \*：(\S+?)加(\S+?)等于几", html)
    token = re.search(r'name="captcha_token" value="([^"]+)"', html)
    assert question and token, "the form asks a question and carries its token"
    return str(words_to_int(question.group(1)) + words_to_int(question.group(2))), token.group(1)


def fields(city: City, **overrides: Any) -> dict[str, Any]:
    return {
        "region": city.county_housing.region_code,
        "organ": str(city.county_housing.pk),
        "name": "王秀兰",
        "id_number": VALID_ID,
        "contact": "13800001111",
        "address": "甲县城关镇幸福路8号",
        "request": "请求补发拖欠的房屋征收补偿款",
        "facts_and_reasons": "2025年老房被征收，约定补偿款至今未付清。",
        **overrides,
    }


def submit(client: Client, city: City, **overrides: Any) -> Any:
    page = client.get("/public/submit/").content.decode()
    answer, token = captcha_of(page)
    data = {**fields(city, **overrides), "captcha_answer": answer, "captcha_token": token}
    if "captcha_answer" in overrides:
        data["captcha_answer"] = overrides["captcha_answer"]
    return client.post("/public/submit/", data)


def receipt_of(client: Client) -> tuple[str, str]:
    html = client.get("/public/receipt/").content.decode()
    number = re.search(r'data-testid="receipt-number">([^<]+)<', html)
    code = re.search(r'data-testid="receipt-code">([^<]+)<', html)
    assert number and code
    return number.group(1), code.group(1)
