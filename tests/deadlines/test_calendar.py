"""The holiday calendar lives in the database, seeded from chinese-calendar, extendable per year."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from xinfang.deadlines.models import CalendarDay, CalendarYear
from xinfang.deadlines.selectors import work_calendar

pytestmark = pytest.mark.django_db

# A made-up 2027 arrangement for the tests (the real one is imported the same way once announced).
YEAR_2027 = """# 2027年节假日安排（测试用，非官方）
日期,类型,名称
2027-01-01,休,元旦
2027-01-04,休,元旦
2027-01-09,班,元旦
"""


def deadline_json(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("deadline", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_every_year_of_the_package_is_seeded() -> None:
    import chinese_calendar

    years = set(CalendarYear.objects.values_list("year", flat=True))
    package = {d.year for d in chinese_calendar.holidays}
    assert years == package and {2004, 2025, 2026} <= years
    spring = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (spring.kind, spring.name) == (CalendarDay.HOLIDAY, "春节")
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).kind == CalendarDay.WORKDAY
    cal = work_calendar()
    assert cal.is_working_day(date(2026, 2, 14)) and not cal.is_working_day(date(2026, 2, 17))


def test_importing_a_new_year_makes_its_results_final(tmp_path: Path) -> None:
    before = deadline_json("review", "2026-12-03")  # +30 = Sat Jan 2, 2027
    assert before["provisional"] is True and before["legal_last_day"] == "2027-01-04"

    path = tmp_path / "2027.csv"
    path.write_text(YEAR_2027, encoding="utf-8")
    out = StringIO()
    call_command("import_holidays", str(path), "--source", "测试通知", stdout=out)
    assert "已导入 2027 年：法定节假日 2 天，调休工作日 1 天" in out.getvalue()

    after = deadline_json("review", "2026-12-03")
    assert after["provisional"] is False and after["legal_last_day"] == "2027-01-05"
    worked_saturday = deadline_json("review", "2026-12-10")  # +30 = Sat Jan 9, worked
    assert worked_saturday["legal_last_day"] == "2027-01-09"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("日期,类型,名称\n2027-02-30,休,春节\n", "第2行「日期」格式错误"),
        ("日期,类型,名称\n2027-02-10,放假,春节\n", "第2行「类型」应为“休”或“班”"),
        ("日期,类型,名称\n2027-02-10,休,春节\n2027-02-10,休,春节\n", "第3行「日期」2027-02-10 重复"),
        ("日期,类型,名称\n2027-12-31,休,元旦\n2028-01-01,休,元旦\n", "一个文件只能导入一个年份"),
        ("date\n2027-01-01\n", "第1行表头"),
        ("", "文件为空"),
    ],
)
def test_bad_year_file_is_refused_and_nothing_is_written(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_holidays", str(path))
    assert caught.value.returncode == 2 and message in str(caught.value)
    assert not CalendarYear.objects.filter(year__gte=2027).exists()


def test_reimporting_a_year_replaces_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "2026.csv"
    path.write_text("日期,类型,名称\n2026-10-01,休,国庆节\n", encoding="utf-8")
    call_command("import_holidays", str(path), stdout=StringIO())
    assert CalendarDay.objects.filter(date__year=2026).count() == 1
    call_command("import_holidays", "--from-package", "--replace", stdout=StringIO())
    assert CalendarDay.objects.filter(date__year=2026, kind=CalendarDay.HOLIDAY).count() == 33


def test_administrator_adds_a_year_by_uploading_the_file(admin_client: Client) -> None:
    client = admin_client
    upload = SimpleUploadedFile("2027.csv", YEAR_2027.encode("utf-8"), content_type="text/csv")
    response = client.post(
        "/admin/deadlines/calendaryear/add/",
        {
            "year": "2027",
            "source": "国办发明电〔2026〕号（测试）",
            "upload": upload,
            "days-TOTAL_FORMS": "0",
            "days-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    assert deadline_json("review", "2026-12-03")["provisional"] is False


def test_admin_rejects_a_file_for_another_year(admin_client: Client) -> None:
    client = admin_client
    upload = SimpleUploadedFile("2027.csv", YEAR_2027.encode("utf-8"), content_type="text/csv")
    response = client.post(
        "/admin/deadlines/calendaryear/add/",
        {"year": "2028", "source": "x", "upload": upload, "days-TOTAL_FORMS": "0", "days-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "文件中的年份 2027 与所填年份 2028 不一致" in response.content.decode()
    assert not CalendarYear.objects.filter(year__in=[2027, 2028]).exists()


def test_admin_shows_the_rules_read_only(admin_client: Client) -> None:
    client = admin_client
    assert "法定期限规则（只读）" in client.get("/admin/").content.decode()
    page = client.get("/admin/rules/").content.decode()
    assert "对本条例第三十一条第六项规定的信访事项应当自受理之日起60日内办结" in page and "330000 浙江省" in page
    anonymous = Client().get("/admin/rules/")
    assert anonymous.status_code == 302
