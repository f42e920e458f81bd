"""Day counting by analogy to 民法典 Art. 201/203, on a small calendar written out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from xinfang.rules import HolidayCalendar, Pause, PeriodInputError, effective_deadline, load_rulebook

D = date.fromisoformat
BOOK = load_rulebook()

# 2026 National Day and Mid-Autumn as officially announced: Oct 1–7 off, Sept 20 (Sun) and Oct 10 (Sat)
# worked; Mid-Autumn Sept 25–27. Only 2026 is "covered".
CAL_2026 = HolidayCalendar.build(
    holidays={
        **{D(f"2026-10-0{d}"): "国庆节" for d in range(1, 8)},
        **{D(f"2026-09-2{d}"): "中秋节" for d in (5, 6, 7)},
    },
    workdays={D("2026-09-20"): "国庆节", D("2026-10-10"): "国庆节"},
    years=[2026],
)


def test_trigger_day_is_not_counted() -> None:
    result = effective_deadline(BOOK, "receipt_notice", D("2026-03-02"), CAL_2026)
    assert result.due == D("2026-03-17")  # 15 days counted from March 3


def test_due_on_a_holiday_rolls_to_the_first_working_day_after_it() -> None:
    # 30 days after Sept 2 is Oct 2, inside National Day: the legal last day is Thursday Oct 8.
    result = effective_deadline(BOOK, "review_request", D("2026-09-02"), CAL_2026)
    assert (result.due, result.legal_last_day) == (D("2026-10-02"), D("2026-10-08"))
    assert result.counts_on == D("2026-10-08")  # the petitioner's window counts the legal last day


def test_due_on_a_makeup_working_saturday_does_not_roll() -> None:
    result = effective_deadline(BOOK, "review", D("2026-09-10"), CAL_2026)  # +30 = Sat Oct 10
    assert result.due == result.legal_last_day == D("2026-10-10")


def test_due_on_an_ordinary_weekend_rolls_to_monday() -> None:
    result = effective_deadline(BOOK, "review", D("2026-04-04"), CAL_2026)  # +30 = Mon May 4
    assert result.legal_last_day == D("2026-05-04")
    result = effective_deadline(BOOK, "review", D("2026-04-02"), CAL_2026)  # +30 = Sat May 2
    assert (result.due, result.legal_last_day) == (D("2026-05-02"), D("2026-05-04"))


def test_organ_deadline_keeps_the_unrolled_due_as_its_target() -> None:
    result = effective_deadline(BOOK, "review", D("2026-09-02"), CAL_2026)
    assert result.counts_on == result.due == D("2026-10-02")
    assert result.legal_last_day == D("2026-10-08")


def test_working_days_skip_holidays_and_count_makeup_days() -> None:
    # From Wed Sept 30: Oct 1–7 off; Oct 8 (Thu) 1, Oct 9 (Fri) 2, Oct 10 (Sat, 调休) 3, Oct 12, 13.
    result = effective_deadline(BOOK, "transfer_objection", D("2026-09-30"), CAL_2026)
    assert result.due == result.legal_last_day == D("2026-10-13")
    # From Fri Sept 18: Sun Sept 20 is worked and counts; Sept 21–24 make 5.
    result = effective_deadline(BOOK, "transfer_objection", D("2026-09-18"), CAL_2026)
    assert result.due == D("2026-09-24")


def test_hearing_pause_extends_by_the_paused_days_both_ends_inclusive() -> None:
    hearing = Pause(D("2026-03-10"), D("2026-03-12"))
    result = effective_deadline(BOOK, "re_review", D("2026-03-01"), CAL_2026, pauses=[hearing])
    assert result.due == D("2026-03-31") + timedelta(days=3)
    assert "第三十六条第二款" in result.basis()


def test_two_hearings_and_a_hearing_that_starts_on_the_due_day() -> None:
    pauses = [Pause(D("2026-03-31"), D("2026-04-01")), Pause(D("2026-03-05"), D("2026-03-05"))]
    result = effective_deadline(BOOK, "re_review", D("2026-03-01"), CAL_2026, pauses=pauses)
    # March 31 is inside the period only because the first hearing moved the end to April 1.
    assert result.due == D("2026-04-03")


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-03-01", "2026-03-02"), ("2026-02-20", "2026-03-03"), ("2026-04-01", "2026-04-02")],
)
def test_pause_outside_the_period_is_refused(start: str, end: str) -> None:
    with pytest.raises(PeriodInputError, match="不在期间内"):
        effective_deadline(BOOK, "re_review", D("2026-03-01"), CAL_2026, pauses=[Pause(D(start), D(end))])


def test_overlapping_or_backwards_pauses_are_refused() -> None:
    with pytest.raises(PeriodInputError, match="重叠"):
        effective_deadline(
            BOOK,
            "re_review",
            D("2026-03-01"),
            CAL_2026,
            pauses=[Pause(D("2026-03-05"), D("2026-03-08")), Pause(D("2026-03-08"), D("2026-03-09"))],
        )
    with pytest.raises(PeriodInputError, match="早于开始日"):
        Pause(D("2026-03-09"), D("2026-03-05"))


def test_only_the_re_review_may_pause() -> None:
    with pytest.raises(PeriodInputError, match="第三十六条第二款"):
        effective_deadline(
            BOOK, "handling", D("2026-03-01"), CAL_2026, pauses=[Pause(D("2026-03-05"), D("2026-03-06"))]
        )


def test_uncovered_year_counts_monday_to_friday_and_is_provisional() -> None:
    # 2027 is not in the calendar: Jan 1, 2027 is a Friday and counts as a working day.
    result = effective_deadline(BOOK, "transfer_objection", D("2026-12-29"), CAL_2026)
    assert result.due == D("2027-01-05") and result.provisional
    result = effective_deadline(BOOK, "review_request", D("2026-12-02"), CAL_2026)  # +30 = Fri Jan 1
    assert result.legal_last_day == D("2027-01-01") and result.provisional
    result = effective_deadline(BOOK, "review_request", D("2026-11-02"), CAL_2026)
    assert not result.provisional


def test_region_takes_the_stricter_period_and_cites_both() -> None:
    result = effective_deadline(BOOK, "handling", D("2026-03-01"), CAL_2026, region="330106")
    assert result.due == D("2026-03-31") and result.value.source == "330000"
    assert "浙江省信访条例" in result.basis() and "严于《信访工作条例》第三十四条" in result.basis()
    national = effective_deadline(BOOK, "handling", D("2026-03-01"), CAL_2026, region="110105")
    assert national.due == D("2026-04-30") and national.value.source == "national"


def test_region_working_days_are_compared_date_by_date() -> None:
    # 5 working days from Sept 28 in 浙江 end Oct 10 (the 调休 Saturday), before 15 calendar days.
    result = effective_deadline(BOOK, "bureau_disposition", D("2026-09-28"), CAL_2026, region="330000")
    assert result.due == D("2026-10-10") and result.value.source == "330000"


def test_assignor_sets_the_assignment_period() -> None:
    with pytest.raises(PeriodInputError, match="由交办机关指定"):
        effective_deadline(BOOK, "assignment_report", D("2026-03-01"), CAL_2026)
    result = effective_deadline(BOOK, "assignment_report", D("2026-03-01"), CAL_2026, days=20)
    assert result.due == D("2026-03-21")


def test_extension_is_at_most_thirty_days() -> None:
    assert effective_deadline(BOOK, "handling_extension", D("2026-04-30"), CAL_2026).due == D("2026-05-30")
    assert effective_deadline(BOOK, "handling_extension", D("2026-04-30"), CAL_2026, days=10).due == D("2026-05-10")
    with pytest.raises(PeriodInputError, match="最长 30日"):
        effective_deadline(BOOK, "handling_extension", D("2026-04-30"), CAL_2026, days=31)
    with pytest.raises(PeriodInputError, match="固定期限"):
        effective_deadline(BOOK, "handling", D("2026-04-30"), CAL_2026, days=20)


def test_legal_last_day_is_always_the_first_working_day_on_or_after_due() -> None:
    day = D("2026-01-01")
    while day.year == 2026:
        result = effective_deadline(BOOK, "review_request", day, CAL_2026)
        assert CAL_2026.is_working_day(result.legal_last_day)
        gap = result.due
        while gap < result.legal_last_day:
            assert not CAL_2026.is_working_day(gap)
            gap += timedelta(days=1)
        day += timedelta(days=1)
