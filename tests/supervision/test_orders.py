"""Supervision orders (督办) with a moving clock: opened on overdue cases, unanswered, flagged, urged, listed,
answered and closed; each step an event, the case's own chain showing the `supervise` step (条例 Art. 40 ¶1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import at, build_city
from tests.supervision.helpers import accepted
from xinfang.audit.models import Event
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.supervision import selectors, services
from xinfang.supervision.models import OrderState

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.fixture
def city():
    return build_city()


def test_an_unanswered_order_is_flagged_urged_then_listed_and_closed_after_the_answer(city) -> None:
    first, second = accepted(city), accepted(city, request="请求维修小区漏水屋面")
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    handler = city.who(city.county_housing, Role.HANDLER)
    # 2026-05-10 (Sunday): the 60-day handling period that began on 3 March ended on 1 May.
    assert {c.pk for c in selectors.overdue_cases(supervisor, D("2026-05-10"))} == {first.pk, second.pk}
    [order] = services.open_orders(
        [first, second], supervisor, reason="overdue", requirement="请于期限内办结并书面答复。", now=at("2026-05-10")
    )
    # Five working days (rule supervision_reply, not statutory) after Sunday 10 May: Mon 11 … Fri 15 May.
    assert (order.state, order.deadline, order.handling_organ) == (
        OrderState.OPEN,
        D("2026-05-15"),
        city.county_housing,
    )
    assert all(Case.objects.get(pk=c.pk).supervised for c in (first, second))
    assert Event.objects.filter(case_id=first.pk, action="supervise").count() == 1
    assert (
        order.letter is not None
        and order.letter.kind == "supervision_letter"
        and order.letter.number == "甲县信访局信督〔2026〕1号"
    )
    assert order.letter.organ == city.county_bureau and "请于2026年5月15日前" in order.letter.content["reply_deadline"]

    assert services.scan(D("2026-05-15")) == (0, 0, 0)  # the last day itself is not late
    assert services.scan(D("2026-05-16")) == (1, 0, 0)
    assert services.scan(D("2026-05-17")) == (0, 0, 0)  # flagged once per answer date
    order.refresh_from_db()
    assert order.overdue_since == D("2026-05-16")
    assert selectors.is_late(order, D("2026-05-16"))

    order = services.urge(order, supervisor, "请立即办理", now=at("2026-05-18"))  # Monday
    assert (order.state, order.urged, order.deadline, order.overdue_since) == (
        OrderState.URGED,
        1,
        D("2026-05-25"),
        None,
    )
    assert services.scan(D("2026-05-26")) == (1, 0, 0)
    order = services.list_order(order, supervisor, "挂牌督办，责令限期整改", now=at("2026-05-27"))
    assert (order.state, order.deadline) == (OrderState.LISTED, D("2026-06-03"))

    services.reply(order, handler, "已于5月28日办结，处理意见书已送达。", now=at("2026-05-29"))
    order.refresh_from_db()
    assert order.state == OrderState.REPLIED and not selectors.is_late(order, D("2026-06-10"))
    order = services.close(order, supervisor, now=at("2026-06-01"))
    assert order.state == OrderState.CLOSED
    actions = list(Event.objects.filter(payload__order=order.pk).order_by("seq").values_list("action", flat=True))
    assert actions == [
        "open_supervision_order",
        "supervision_order_overdue",
        "urge_supervision_order",
        "supervision_order_overdue",
        "list_supervision_order",
        "reply_supervision_order",
        "close_supervision_order",
    ]


def test_cases_of_two_organs_give_two_orders_and_a_chosen_deadline_is_kept(city) -> None:
    from tests.factories import register

    housing = accepted(city)
    land = register(city, city.county_land)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    orders = services.open_orders(
        [housing, land],
        supervisor,
        reason="instruction",
        requirement="按领导批示办理",
        deadline=D("2026-03-20"),
        now=at("2026-03-05"),
    )
    assert sorted(o.handling_organ.name for o in orders) == ["甲县住房和城乡建设局", "甲县自然资源局"]
    assert {o.deadline for o in orders} == {D("2026-03-20")}


def test_who_may_open_answer_and_escalate(city) -> None:
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    with pytest.raises(services.SupervisionRefused, match="督查员"):
        services.open_orders(
            [case],
            city.who(city.county_bureau, Role.TRIAGE_OFFICER),
            reason="overdue",
            requirement="x",
            now=at("2026-05-10"),
        )
    # 乙县's bureau does not oversee 甲县's department, and may not even read the case.
    other = city.who(city.other_county_gov, Role.SUPERVISOR)
    with pytest.raises(services.SupervisionRefused):
        services.open_orders([case], other, reason="overdue", requirement="x", now=at("2026-05-10"))
    with pytest.raises(services.SupervisionRefused, match="督办要求"):
        services.open_orders([case], supervisor, reason="overdue", requirement=" ", now=at("2026-05-10"))
    with pytest.raises(services.SupervisionRefused, match="答复期限"):
        services.open_orders(
            [case], supervisor, reason="overdue", requirement="x", deadline=D("2026-05-10"), now=at("2026-05-10")
        )
    [order] = services.open_orders([case], supervisor, reason="overdue", requirement="x", now=at("2026-05-10"))
    with pytest.raises(services.SupervisionRefused, match="甲县住房和城乡建设局"):
        services.reply(order, city.who(city.county_land, Role.HANDLER), "答复", now=at("2026-05-11"))
    with pytest.raises(services.SupervisionRefused, match="催办之后"):
        services.list_order(order, supervisor, now=at("2026-05-11"))
    with pytest.raises(services.SupervisionRefused, match="已答复"):
        services.close(order, supervisor, now=at("2026-05-11"))
    # The city bureau oversees the county department too (Organ.oversees) and may urge.
    city_supervisor = city.who(city.bureau, Role.SUPERVISOR)
    assert services.urge(order, city_supervisor, now=at("2026-05-12")).state == OrderState.URGED


def test_the_handling_organ_and_the_supervisors_see_the_order_others_do_not(city) -> None:
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    [order] = services.open_orders([case], supervisor, reason="overdue", requirement="x", now=at("2026-05-10"))
    assert list(selectors.waiting_for_organ(city.who(city.county_housing, Role.HANDLER))) == [order]
    assert list(selectors.supervising(supervisor)) == [order]
    assert selectors.order_for(city.who(city.bureau, Role.SUPERVISOR), order.pk) == order
    assert selectors.order_for(city.who(city.other_county_housing, Role.HANDLER), order.pk) is None
    assert selectors.order_for(city.who(city.county_land, Role.SUPERVISOR), order.pk) is None


def test_the_scan_command_moves_with_the_clock(city, capsys) -> None:
    case = accepted(city)
    supervisor = city.who(city.county_bureau, Role.SUPERVISOR)
    services.open_orders([case], supervisor, reason="overdue", requirement="x", now=at("2026-05-10"))
    with time_machine.travel(at("2026-05-15", 23), tick=False):
        call_command("supervision_scan")
    assert "督办单 0 份" in capsys.readouterr().out
    with time_machine.travel(at("2026-05-16", 1), tick=False):
        call_command("supervision_scan")
    assert "督办单 1 份" in capsys.readouterr().out
