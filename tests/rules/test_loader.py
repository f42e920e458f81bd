"""The loader refuses uncited, undated or looser-than-national values, naming file and entry."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from xinfang.rules import (
    HolidayCalendar,
    NoValueInForce,
    Party,
    RuleFileError,
    Unit,
    ValueKind,
    effective_deadline,
    load_rulebook,
)
from xinfang.rules.loader import DATA_DIR

NATIONAL_FILES = sorted(p.name for p in (DATA_DIR / "national").glob("*.yaml"))
REGION_FILES = sorted(p.name for p in (DATA_DIR / "regions").glob("*.yaml"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


EXPECTED = {
    "bureau_disposition": ("D1", 15, Unit.CALENDAR_DAY, "第二十二条第一款"),
    "receipt_notice": ("D2/D3", 15, Unit.CALENDAR_DAY, "第二十三条第二款、第三款"),
    "transfer_objection": ("D4", 5, Unit.WORKING_DAY, "第二十三条第三款"),
    "assignment_report": ("D5", None, Unit.SET_BY_ORGAN, "第二十二条第一款第三项"),
    "handling": ("D6", 60, Unit.CALENDAR_DAY, "第三十四条"),
    "handling_extension": ("D7", 30, Unit.CALENDAR_DAY, "第三十四条"),
    "review_request": ("D8", 30, Unit.CALENDAR_DAY, "第三十五条"),
    "review": ("D9", 30, Unit.CALENDAR_DAY, "第三十五条"),
    "re_review_request": ("D10", 30, Unit.CALENDAR_DAY, "第三十六条第一款"),
    "re_review": ("D11", 30, Unit.CALENDAR_DAY, "第三十六条第一款"),
    "recommendation_reply": ("D12", 30, Unit.CALENDAR_DAY, "第三十六条第二款"),
    "supervision_reply": ("D13", 5, Unit.WORKING_DAY, "第五十二条第二款"),
}


def test_every_statutory_period_is_loaded_with_its_value_and_article() -> None:
    book = load_rulebook()
    assert set(book.rules) == set(EXPECTED)
    for rule_id, (code, value, unit, article) in EXPECTED.items():
        current = book.rule(rule_id).value_on(date(2026, 6, 1))
        assert current is not None
        assert (book.rule(rule_id).code, current.value, current.unit) == (code, value, unit)
        assert current.citation.article == article
        assert current.citation.quote  # the words of the law, not just a number


def test_petitioner_windows_and_special_kinds_are_marked() -> None:
    book = load_rulebook()
    petitioner = {r.id for r in book.rules.values() if r.party is Party.PETITIONER}
    assert petitioner == {"review_request", "re_review_request"}
    assert book.rule("handling_extension").kind is ValueKind.MAXIMUM
    assert book.rule("assignment_report").kind is ValueKind.SET_BY_ORGAN
    assert book.rule("re_review").pause is not None
    assert [r.id for r in book.rules.values() if r.pause] == ["re_review"]
    reply = book.rule("recommendation_reply")
    assert reply.statutory is False and reply.configurable is True
    supervision = book.rule("supervision_reply")
    assert supervision.statutory is False and supervision.configurable is True
    non_statutory = {"recommendation_reply", "supervision_reply"}
    assert all(r.statutory for r in book.rules.values() if r.id not in non_statutory)


def test_zhejiang_profile_tightens_disposition_and_handling() -> None:
    profile = load_rulebook().regions["330000"]
    disposition = profile.value_on("bureau_disposition", date(2026, 1, 1))
    handling = profile.value_on("handling", date(2026, 1, 1))
    assert disposition is not None and handling is not None
    assert (disposition.value, disposition.unit) == (5, Unit.WORKING_DAY)
    assert (handling.value, handling.unit) == (30, Unit.CALENDAR_DAY)
    assert "浙江" in handling.citation.instrument
    assert profile.applies_to("330106") and not profile.applies_to("320100")


@pytest.mark.parametrize("name", NATIONAL_FILES)
@pytest.mark.parametrize("part", [None, "instrument", "article", "quote"])
def test_national_value_without_citation_is_refused(data_dir: Path, name: str, part: str | None) -> None:
    def drop(raw: dict) -> None:
        if part is None:
            del raw["values"][0]["citation"]
        else:
            raw["values"][0]["citation"][part] = ""

    edit(data_dir / "national" / name, drop)
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(data_dir)
    assert caught.value.file == name
    assert "第1项" in caught.value.entry
    assert name in str(caught.value) and "引用依据" in str(caught.value)


@pytest.mark.parametrize("name", REGION_FILES)
def test_regional_value_without_citation_is_refused(data_dir: Path, name: str) -> None:
    def drop(raw: dict) -> None:
        for values in raw["rules"].values():
            del values[0]["citation"]["quote"]

    edit(data_dir / "regions" / name, drop)
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(data_dir)
    assert caught.value.file == name
    assert "citation.quote" in str(caught.value)


def test_pause_without_citation_is_refused(data_dir: Path) -> None:
    edit(data_dir / "national" / "re_review.yaml", lambda raw: raw["pause"].pop("citation"))
    with pytest.raises(RuleFileError, match=r"re_review\.yaml，条目 pause"):
        load_rulebook(data_dir)


@pytest.mark.parametrize(
    ("rule_id", "value", "unit", "national_article"),
    [
        ("handling", 90, "calendar_day", "第三十四条"),
        ("bureau_disposition", 16, "calendar_day", "第二十二条第一款"),
        ("bureau_disposition", 12, "working_day", "第二十二条第一款"),  # 12 working days > 15 days
        ("transfer_objection", 6, "calendar_day", "第二十三条第三款"),
        ("transfer_objection", 6, "working_day", "第二十三条第三款"),
        ("handling_extension", 60, "calendar_day", "第三十四条"),  # 浙江 Art. 23's own 60 days
    ],
)
def test_looser_regional_value_is_refused_naming_both_citations(
    data_dir: Path, rule_id: str, value: int, unit: str, national_article: str
) -> None:
    def loosen(raw: dict) -> None:
        raw["rules"][rule_id] = [
            {
                "effective": date(2016, 8, 1),
                "value": value,
                "unit": unit,
                "citation": {"instrument": "浙江省信访条例（2016修订）", "article": "第二十三条", "quote": "……"},
            }
        ]

    edit(data_dir / "regions" / "330000.yaml", loosen)
    with pytest.raises(RuleFileError) as caught:
        load_rulebook(data_dir)
    message = str(caught.value)
    assert caught.value.file == "330000.yaml" and rule_id in caught.value.entry
    assert "《浙江省信访条例（2016修订）》第二十三条" in message
    assert f"《信访工作条例》{national_article}" in message


def test_equal_or_tighter_regional_values_are_accepted(data_dir: Path) -> None:
    def tighten(raw: dict) -> None:
        cite = {"instrument": "某省信访条例", "article": "第一条", "quote": "……"}
        raw["rules"]["transfer_objection"] = [
            {"effective": date(2016, 8, 1), "value": 5, "unit": "calendar_day", "citation": cite}
        ]
        raw["rules"]["review"] = [
            {"effective": date(2016, 8, 1), "value": 30, "unit": "calendar_day", "citation": cite}
        ]

    edit(data_dir / "regions" / "330000.yaml", tighten)
    assert load_rulebook(data_dir).regions["330000"].value_on("review", date(2026, 1, 1)) is not None


def test_entry_with_no_value_is_refused(data_dir: Path) -> None:
    edit(data_dir / "national" / "handling.yaml", lambda raw: raw["values"][0].pop("value"))
    with pytest.raises(RuleFileError, match=r"handling\.yaml，条目 第1项（生效日期 2022-05-01）.*value"):
        load_rulebook(data_dir)


def test_a_date_before_any_value_in_force_is_refused_naming_the_file() -> None:
    book = load_rulebook()
    with pytest.raises(NoValueInForce, match=r"handling\.yaml：2021-01-01 没有生效的期限取值"):
        effective_deadline(book, "handling", date(2021, 1, 1), HolidayCalendar())


def test_later_dated_value_takes_over_from_its_effective_date(data_dir: Path) -> None:
    def amend(raw: dict) -> None:
        later = dict(raw["values"][0], effective=date(2030, 1, 1), value=45)
        raw["values"].append(later)

    edit(data_dir / "national" / "handling.yaml", amend)
    book = load_rulebook(data_dir)
    cal = HolidayCalendar()
    assert effective_deadline(book, "handling", date(2029, 12, 31), cal).days == 60
    assert effective_deadline(book, "handling", date(2030, 1, 1), cal).days == 45


def test_only_non_statutory_periods_can_be_configured() -> None:
    book = load_rulebook()
    configured = book.with_overrides({"recommendation_reply": 20})
    result = effective_deadline(configured, "recommendation_reply", date(2026, 3, 2), HolidayCalendar())
    assert result.days == 20 and "非法定期限" in result.basis()
    with pytest.raises(RuleFileError, match="法定期限不能通过配置修改"):
        book.with_overrides({"handling": 90})
