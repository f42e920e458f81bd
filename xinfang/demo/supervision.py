"""Supervision in the demo, played through the supervision services: 市信访局's supervisor opens orders on
overdue cases at 东城区住房和城乡建设局 (one answered and closed, one urged after going unanswered, one just
opened), puts forward recommendations in every state (草稿, 已印发, 已送达待反馈 with its feedback late,
已书面反馈; one to pursue responsibility), reviews a batch of handled cases, records a 国专件 and a 省交办, and
runs a backlog campaign."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.states import NON_TERMINAL
from xinfang.org.models import Organ, Staff
from xinfang.rules import period_days
from xinfang.supervision import selectors, services
from xinfang.supervision.models import Recommendation

from .accounts import DISTRICT_GOV, DISTRICT_HOUSING
from .city import DemoCity


def _at(now: dt.datetime, days_ago: int, hour: int = 10) -> dt.datetime:
    local = timezone.localtime(now) - dt.timedelta(days=days_ago)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _cases(supervisor: Staff, organ: Organ, since: dt.date, count: int) -> list[Case]:
    """Cases at ``organ`` overdue already on ``since`` (so the orders come after the lateness)."""
    found = [c for c in selectors.overdue_cases(supervisor, since) if c.acting_organ_id == organ.pk]
    if len(found) < count:  # a thinner demo: any running case of the organ
        running = selectors.readable_by_ids(
            supervisor,
            list(Case.objects.filter(acting_organ=organ, state__in=NON_TERMINAL).values_list("pk", flat=True)[:50]),
        )
        found += [c for c in running if c not in found]
    return found[:count]


def seed_supervision(city: DemoCity, now: dt.datetime) -> dict[str, int]:
    supervisor, handler = city.accounts["supervisor"], city.accounts["handler"]
    housing = city.by_name(DISTRICT_HOUSING)
    today = timezone.localdate(now)
    cases = _cases(supervisor, housing, today - dt.timedelta(days=21), 5)
    if len(cases) < 5:
        return {"orders": 0, "recommendations": 0}
    orders = 0
    # Answered and closed.
    [done] = services.open_orders(
        cases[:1],
        supervisor,
        reason="overdue",
        requirement="该事项已超过办理期限，请尽快办结并书面答复。",
        now=_at(now, 20),
    )
    services.reply(done, handler, "已完成调查核实，处理意见书已出具并送达信访人。", now=_at(now, 17, 15))
    services.close(done, supervisor, "答复属实，予以办结。", now=_at(now, 16))
    # Left unanswered: flagged by the scan after its answer date, then urged.
    opened = _at(now, 14)
    [late] = services.open_orders(
        cases[1:3],
        supervisor,
        reason="procedural",
        requirement="请对程序性办结的事项重新核查，解决信访人的实际问题。",
        now=opened,
    )
    services.scan(late.deadline + dt.timedelta(days=1), now=_at(now, (today - late.deadline).days - 1, 8))
    services.urge(late, supervisor, "逾期未答复，请于新的期限内书面答复。", now=_at(now, 3))
    # Just opened.
    services.open_orders(
        cases[3:4],
        supervisor,
        reason="repeated",
        requirement="信访人多次来访，请约见信访人，当面做好解释工作。",
        now=_at(now, 1),
    )
    orders = 3
    _recommendations(city, supervisor, handler, cases, now)
    _reviews(supervisor, housing, now)
    _assignments_and_campaign(city, supervisor, handler, cases, now)
    return {"orders": orders, "recommendations": 5}


def _reviews(supervisor: Staff, housing: Organ, now: dt.datetime) -> None:
    """A monthly 规范性评查 batch of handled cases at the district department, pre-filled and confirmed."""
    handled = [c for c in selectors.reviewable_cases(supervisor) if c.organ_id == housing.pk][:4]
    if not handled:
        return
    batch = f"{timezone.localtime(now):%Y年%-m月}规范性评查"
    reviews = services.open_reviews(handled, supervisor, batch=batch, now=_at(now, 2, 9))
    for index, review in enumerate(reviews[:-1]):  # the last one left for the visitor to confirm
        results = {i.key: i.computed or "pass" for i in review.items.all()}
        notes = {}
        if index == 0:  # the reviewer finds this one closed on paper only
            results["substance"], notes["substance"] = "fail", "处理意见仅作程序性答复，未回应信访人的实际诉求"
        services.confirm_review(review, supervisor, results, notes, now=_at(now, 2, 10 + index))


def _assignments_and_campaign(
    city: DemoCity, supervisor: Staff, handler: Staff, cases: list[Case], now: dt.datetime
) -> None:
    """A 国专件 still to be reported back, a 省交办 reported in time, and a backlog campaign."""
    today = timezone.localdate(now)
    services.record_assignment(
        cases[4],
        supervisor,
        level="national",
        reference=f"国信办交〔{today.year}〕2号",
        requirement="请依法及时处理，并将办理结果报国家信访局。",
        report_due=today + dt.timedelta(days=20),
        now=_at(now, 5),
    )
    reported = services.record_assignment(
        cases[0],
        supervisor,
        level="provincial",
        reference=f"省信访局交〔{today.year}〕53号",
        requirement="请核查处理并按期报结。",
        report_due=today + dt.timedelta(days=10),
        now=_at(now, 19),
    )
    services.report_assignment(
        reported, handler, "已核查处理，处理意见书已送达信访人，信访人表示认可。", now=_at(now, 16)
    )
    owners = ["东城区住建局局长 孙志强", "东城区住建局副局长 周丽", "东城区住建局副局长 周丽"]
    campaign = services.create_campaign(
        supervisor,
        name=f"{today.year}年信访积案化解攻坚",
        target="年底前积案化解率不低于百分之九十",
        ends_on=dt.date(today.year, 12, 31) if today.month < 12 else dt.date(today.year + 1, 6, 30),
        entries=list(zip(cases[1:4], owners, strict=True)),
        now=_at(now, 10),
    )
    first = campaign.entries.order_by("pk").first()
    if first is not None:
        services.record_progress(first, supervisor, resolved=True, note="已达成和解协议并履行", now=_at(now, 4))


def _recommendations(city: DemoCity, supervisor: Staff, handler: Staff, cases: list[Case], now: dt.datetime) -> None:
    housing, district_gov = city.by_name(DISTRICT_HOUSING), city.by_name(DISTRICT_GOV)
    reply_days = period_days("recommendation_reply", housing.region_code)

    def draft(kind: str, addressee: Organ, problem: str, suggestion: str, days_ago: int) -> Recommendation:
        return services.draft_recommendation(
            supervisor,
            kind=kind,
            addressee=addressee,
            cases=cases[:2],
            problem=problem,
            suggestion=suggestion,
            now=_at(now, days_ago),
        )

    # 草稿.
    draft("policy", district_gov, "房屋征收补偿款分期支付的约定引发多起信访。", "建议研究完善征收补偿款支付办法。", 2)
    # 已印发, not yet served.
    issued = draft("improve", housing, "处理意见书未写明请求复查的期限和机关。", "建议规范处理意见书的告知内容。", 6)
    services.issue_recommendation(issued, supervisor, now=_at(now, 5))
    # 已送达, feedback late (served longer ago than the feedback period).
    late = draft(
        "improve", housing, "部分事项超期办理，未按规定延期。", "建议建立办理期限提醒和延期审批制度。", reply_days + 12
    )
    services.issue_recommendation(late, supervisor, now=_at(now, reply_days + 11))
    served_on = (now - dt.timedelta(days=reply_days + 10)).date()
    services.serve_recommendation(late, supervisor, served_on=served_on, now=_at(now, reply_days + 10, 15))
    services.scan(timezone.localdate(now), now=_at(now, 0, 7))
    # 已书面反馈.
    answered = draft("improve", housing, "接访时未当场登记来访人的诉求。", "建议严格执行来访当场登记制度。", 30)
    services.issue_recommendation(answered, supervisor, now=_at(now, 29))
    services.serve_recommendation(
        answered, supervisor, served_on=(now - dt.timedelta(days=28)).date(), now=_at(now, 28)
    )
    services.record_feedback(
        answered, handler, adopted=True, text="已采纳：自本月起来访当场登记，并纳入月度评查。", now=_at(now, 20)
    )
    # 追究责任 (confidential to the bureau and the addressee).
    blame = draft(
        "accountability",
        housing,
        "个别工作人员对信访事项推诿拖延，造成信访人多次越级上访。",
        "建议依规依纪对直接责任人员作出处理，并书面反馈处理结果。",
        4,
    )
    services.issue_recommendation(blame, supervisor, now=_at(now, 3))
