"""The public rules page: the calculator shows dates, citations and the provisional warning."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_rules_page_lists_every_rule_with_its_quote(client: Client) -> None:
    page = client.get("/rules/").content.decode()
    assert "自受理之日起60日内办结" in page and "5个工作日内提出异议" in page
    assert "非法定期限，可配置" in page and "330000 浙江省" in page


def test_calculator_shows_the_legal_last_day_and_basis(client: Client) -> None:
    page = client.get("/rules/", {"rule": "review_request", "start": "2026-09-02"}).content.decode()
    assert "2026年10月2日" in page and "2026年10月8日" in page and "信访人以此日为准" in page
    assert "《信访工作条例》第三十五条" in page and "临时结果" not in page.split("计算方法")[0].split("</form>")[1]


def test_calculator_warns_when_the_result_is_provisional(client: Client) -> None:
    page = client.get("/rules/", {"rule": "review", "start": "2026-12-15"}).content.decode()
    assert "临时结果：" in page and "2027年的节假日安排尚未载入" in page


def test_calculator_explains_bad_input_in_chinese(client: Client) -> None:
    page = client.get(
        "/rules/", {"rule": "handling", "start": "2026-03-01", "pause_from": "2026-03-05", "pause_to": "2026-03-06"}
    ).content.decode()
    assert "只有复核听证时间不计入复核期限" in page
    page = client.get("/rules/", {"rule": "handling", "start": "2026-03-01", "region": "33"}).content.decode()
    assert "行政区划代码应为六位数字" in page


def test_pages_use_only_vendored_assets(client: Client) -> None:
    page = client.get("/rules/").content.decode()
    assert "/static/xinfang/site.css" in page
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    css = client.get("/static/xinfang/site.css")
    assert css.status_code == 200
    assert b"Noto Sans CJK SC" in b"".join(css.streaming_content)  # type: ignore[attr-defined]
