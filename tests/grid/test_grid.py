"""Grid management: 11 dispute kinds as cited data, a worker's report and its three outcomes, counts per area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import City, at, build_city, staff
from xinfang.audit.models import Event
from xinfang.grid import selectors, services
from xinfang.grid.models import Area, Outcome, Report
from xinfang.intake.models import Channel
from xinfang.org.models import Role, Staff
from xinfang.rules.disputes import dispute_kinds

pytestmark = pytest.mark.django_db


def test_eleven_dispute_kinds_with_the_five_the_issue_names_and_a_citation() -> None:
    kinds = dispute_kinds()
    assert len(kinds.kinds) == 11
    named = [k.label for k in kinds.kinds if k.named_by_issue]
    assert named == ["邻里纠纷", "情感纠纷", "征地补偿", "农业农村", "劳动仲裁"]
    assert kinds.citation.short() == "《信访工作条例》第五条第五项"
    assert "化解在基层、化解在萌芽状态" in kinds.citation.quote and "昌宁" in kinds.source


def _area(city: City) -> tuple[Area, Staff]:
    area = services.add_area("城关镇幸福社区第一网格", city.county_gov)
    worker = staff(city.county_gov, Role.REGISTRAR, name="赵网格")
    services.add_worker(area, worker, dt.date(2026, 1, 1))
    return area, worker


def _report(area: Area, worker: Staff, day: str = "2026-03-02", kind: str = "neighbourhood") -> Report:
    return services.report(
        worker,
        area,
        kind=kind,
        place="幸福社区3栋",
        parties="王某某、李某某",
        description="楼上住户装修噪声扰民，双方多次争吵。",
        now=at(day),
    )


def test_only_a_worker_of_the_area_reports_and_the_kind_must_be_one_of_the_data() -> None:
    city = build_city()
    area, worker = _area(city)
    other = staff(city.county_gov, Role.REGISTRAR)
    with pytest.raises(services.GridRefused, match="网格员"):
        services.report(
            other, area, kind="neighbourhood", place="x", parties="x", description="x", now=at("2026-03-02")
        )
    with pytest.raises(services.GridRefused, match="纠纷类别"):
        services.report(worker, area, kind="weather", place="x", parties="x", description="x", now=at("2026-03-02"))
    with pytest.raises(services.GridRefused, match="纠纷情况"):
        services.report(
            worker, area, kind="neighbourhood", place="x", parties="x", description=" ", now=at("2026-03-02")
        )
    report = _report(area, worker)
    assert Event.objects.get(action="report_dispute").payload["kind"] == "邻里纠纷"
    assert report.outcome == Outcome.OPEN


def test_resolved_on_the_spot_or_mediated_once() -> None:
    city = build_city()
    area, worker = _area(city)
    report = _report(area, worker)
    services.conclude(
        report, worker, outcome=Outcome.RESOLVED, note="当场说服装修方调整施工时间。", now=at("2026-03-02", 11)
    )
    with pytest.raises(services.GridRefused, match="已处置"):
        services.conclude(report, worker, outcome=Outcome.MEDIATED, note="再次", now=at("2026-03-03"))
    second = _report(area, worker)
    with pytest.raises(services.GridRefused, match="处置结果"):
        services.conclude(second, worker, outcome=Outcome.PETITION, note="x", now=at("2026-03-03"))
    outsider = staff(city.other_county_gov, Role.REGISTRAR)
    with pytest.raises(services.GridRefused, match="只有"):
        services.conclude(second, outsider, outcome=Outcome.MEDIATED, note="x", now=at("2026-03-03"))


def test_a_report_turned_into_a_petition_is_registered_with_its_text_and_the_reporter_linked() -> None:
    city = build_city()
    area, worker = _area(city)
    report = _report(area, worker)
    prefilled = services.prefill(report)
    assert prefilled["name"] == "王某某" and prefilled["request"] == "楼上住户装修噪声扰民，双方多次争吵。"
    with pytest.raises(services.GridRefused, match="诉求"):
        services.to_petition(report, worker, name="王某某", address="幸福社区3栋", request="", now=at("2026-03-03"))
    case = services.to_petition(
        report,
        worker,
        name="王某某",
        address="幸福社区3栋101室",
        contact="13900000000",
        request=prefilled["request"],
        facts=prefilled["facts"],
        now=at("2026-03-03"),
    )
    report.refresh_from_db()
    petition = case.petition
    assert report.outcome == Outcome.PETITION and report.petition == petition
    assert petition.request == "楼上住户装修噪声扰民，双方多次争吵。" and petition.registered_by == worker
    assert Report.objects.get(petition=petition) == report and petition.receiving_organ == city.county_gov
    assert petition.channel == Channel.OTHER and "网格员赵网格" in petition.facts
    assert Event.objects.get(action="dispute_to_petition").petition_id == petition.pk


def test_counts_per_area_by_outcome_and_kind_only_for_the_subtree() -> None:
    city = build_city()
    area, worker = _area(city)
    other_area = services.add_area("乙县第一网格", city.other_county_gov)
    _report(area, worker, "2026-03-02")
    resolved = _report(area, worker, "2026-03-03", kind="land_compensation")
    services.conclude(resolved, worker, outcome=Outcome.MEDIATED, note="村调解队调解", now=at("2026-03-04"))
    _report(area, worker, "2026-04-03")  # outside the period
    county = staff(city.county_gov, Role.ANALYST)
    rows = {row.area.name: row for row in selectors.counts_by_area(county, dt.date(2026, 3, 1), dt.date(2026, 3, 31))}
    assert set(rows) == {"城关镇幸福社区第一网格"}  # 乙县's area is not in 甲县's subtree
    row = rows["城关镇幸福社区第一网格"]
    assert (row.total, row.outcome("open"), row.outcome("mediated")) == (2, 1, 1)
    assert row.by_kind == {"neighbourhood": 1, "land_compensation": 1}
    city_wide = selectors.counts_by_area(staff(city.gov, Role.ANALYST), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert {r.area.name for r in city_wide} == {"城关镇幸福社区第一网格", other_area.name}


def test_the_pages_report_conclude_and_register_for_a_worker_only() -> None:
    city = build_city()
    area, worker = _area(city)
    client = Client()
    client.force_login(worker.user)
    page = client.get("/work/grid/report/").content.decode()
    assert "邻里纠纷" in page and "环境污染纠纷" in page
    bad = client.post(
        "/work/grid/report/", {"area": area.pk, "kind": "", "place": "x", "parties": "x", "description": "x"}
    )
    assert bad.status_code == 400 and "「纠纷类别」" in bad.content.decode()
    response = client.post(
        "/work/grid/report/",
        {
            "area": area.pk,
            "kind": "agriculture",
            "place": "东村",
            "parties": "张某、刘某",
            "description": "灌溉用水纠纷",
        },
    )
    report = area.reports.get()
    assert response["Location"] == f"/work/grid/{report.pk}/"
    form = client.get(f"/work/grid/{report.pk}/petition/").content.decode()
    assert "灌溉用水纠纷" in form and 'value="张某"' in form
    client.post(
        f"/work/grid/{report.pk}/petition/",
        {"name": "张某", "address": "东村5组", "request": "灌溉用水纠纷", "facts": ""},
    )
    report.refresh_from_db()
    assert report.petition is not None and report.petition.registered_by == worker
    outsider = Client()
    outsider.force_login(staff(city.other_county_gov, Role.REGISTRAR).user)
    assert outsider.get(f"/work/grid/{report.pk}/").status_code == 404
    assert outsider.get("/work/grid/report/").status_code == 403
