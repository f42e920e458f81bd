"""python manage.py deadline: the contract other tools and reviewers rely on."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_json_output_has_exactly_the_documented_keys() -> None:
    payload = json.loads(run("review_request", "2025-09-05", "--json"))
    assert payload == {
        "rule": "review_request",
        "start": "2025-09-05",
        "due": "2025-10-05",  # National Day 2025 with Mid-Autumn: Oct 1–8 off
        "legal_last_day": "2025-10-09",
        "provisional": False,
        "basis": payload["basis"],
    }
    assert payload["basis"].startswith("《信访工作条例》第三十五条：“信访人对信访处理意见不服的")


def test_text_output_names_dates_provisional_flag_and_citation() -> None:
    text = run("handling", "2026-02-10")
    assert "due（期满日）：2026-04-11" in text
    assert "legal_last_day（法定最后一日）：2026-04-13" in text  # Sat Apr 11 → Mon Apr 13
    assert "provisional（临时结果）：否" in text
    assert "《信访工作条例》第三十四条" in text


def test_provisional_result_is_said_plainly() -> None:
    text = run("review", "2026-12-15")
    assert "provisional（临时结果）：是" in text
    assert "2027年的节假日安排尚未载入" in text
    assert json.loads(run("review", "2026-12-15", "--json"))["provisional"] is True


def test_region_and_pause_options() -> None:
    assert json.loads(run("handling", "2026-03-01", "--region", "330102", "--json"))["due"] == "2026-03-31"
    payload = json.loads(
        run(
            "re_review",
            "2026-03-01",
            "--pause",
            "2026-03-10",
            "2026-03-12",
            "--pause",
            "2026-03-20",
            "2026-03-20",
            "--json",
        )
    )
    assert payload["due"] == "2026-04-04" and payload["legal_last_day"] == "2026-04-07"  # Qingming
    assert "听证所需时间不计算在前款规定的期限内" in payload["basis"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nonsense", "2026-01-01"], "未知的期限规则 'nonsense'"),
        (["handling", "2026-02-30"], "START 日期格式错误"),
        (["handling", "yesterday"], "START 日期格式错误"),
        (["re_review", "2026-03-01", "--pause", "2026-05-01", "2026-05-02"], "不在期间内"),
        (["re_review", "2026-03-01", "--pause", "2026-03-05", "2026-3-x"], "--pause TO 日期格式错误"),
        (["handling", "2026-03-01", "--region", "33"], "六位行政区划代码"),
        (["assignment_report", "2026-03-01"], "由交办机关指定"),
        (["handling", "2021-03-01"], "没有生效的期限取值"),
    ],
)
def test_bad_input_exits_with_code_2_and_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
