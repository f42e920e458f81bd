"""访调对接 in the demo: the city's and each county's mediation bodies, and the story steps that refer a case to
mediation, record its session and issue the 调解协议书 (or end the mediation without one), all through
`xinfang.mediation.services` and the documents service."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

from xinfang.documents import services as documents
from xinfang.documents.models import ServiceMethod
from xinfang.lifecycle.context import Refused
from xinfang.lifecycle.models import Case
from xinfang.mediation import services
from xinfang.mediation.models import BodyKind, MediationBody, Mode, Referral
from xinfang.org.models import Role as R

from .city import COUNTIES, DemoCity
from .steps import _case, _text

if TYPE_CHECKING:
    from .director import Director
    from .plan import Story

# (organ key, name, kind, mediators)
BODIES = (
    ("city.gov", "西地市医疗纠纷人民调解委员会", BodyKind.INDUSTRY, ("周明华",)),
    ("city.gov", "西地市物业纠纷人民调解委员会", BodyKind.INDUSTRY, ("吴志刚",)),
    ("city.gov", "西地市律师调解室", BodyKind.LAWYER, ("孙律师（西地正衡律师事务所）",)),
    *((f"{c.key}.gov", f"{c.name}人民调解委员会", BodyKind.PEOPLES, ("陈玉兰", "刘建国")) for c in COUNTIES),
)


def seed_bodies(city: DemoCity) -> list[MediationBody]:
    bodies = []
    for key, name, kind, mediators in BODIES:
        organ = city[key]
        body = services.add_body(name, kind, organ, address=f"{organ.address}", telephone=organ.telephone)
        for person in mediators:
            services.add_mediator(body, person, "律师" if kind == BodyKind.LAWYER else "专职人民调解员")
        bodies.append(body)
    return bodies


def _body(organ_path: str) -> MediationBody:
    """The people's mediation committee nearest the case's organ (its county's, else the city's first body)."""
    near = MediationBody.objects.filter(organ_id__in=[int(p) for p in organ_path.strip("/").split("/") if p])
    peoples = near.filter(kind=BodyKind.PEOPLES).order_by("-organ__path").first()
    found = peoples or near.order_by("pk").first()
    assert found is not None, "演示数据中没有调解组织"
    return found


def refer(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    body = _body(case.acting_organ.path)
    try:
        services.refer(
            case,
            d.who(case.organ, R.HANDLER),
            mode=Mode.MEDIATION,
            body=body,
            mediator=body.mediators.order_by("pk").first(),
            other_party="信访人反映的相关单位",
            consent=f"信访人{case.petition.name or ''}和对方当事人均书面同意由{body.name}调解，同意书附卷。",
            consent_on=t.date(),
            now=t,
        )
    except services.MediationRefused as refused:
        raise Refused(refused.message) from refused
    s.case = d.reload(case)


def _open(s: Story) -> Referral:
    return Referral.objects.filter(case=_case(s), ended_at__isnull=True).latest("pk")


def settle(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    """A session, then the agreement the parties signed is drafted, issued and served within the hour."""
    yield t
    case = _case(s)
    handler, referral = d.who(case.organ, R.HANDLER), _open(s)
    terms = _text(s, s.template.agreement)
    try:
        services.record_session(
            referral,
            handler,
            held_on=t.date(),
            place=f"{referral.body.name if referral.body else case.organ.name}调解室",
            attendees=f"信访人{case.petition.name or ''}；{referral.other_party}代表；调解员",
            notes=terms,
            now=t,
        )
        document = services.draft_agreement(referral, handler, now=t + dt.timedelta(minutes=20))
        content = {
            "terms": terms,
            "performance": "各方按本协议约定的方式和期限履行；履行完毕后由承办人回访确认。",
            "signatures": f"申请人：{case.petition.name or '信访人'}（签名）　对方当事人：{referral.other_party}",
        }
        document = documents.update(document, content, handler, now=t + dt.timedelta(minutes=30))
        document = documents.issue(document, handler, now=t + dt.timedelta(minutes=40))
        documents.serve(
            document, handler, method=ServiceMethod.IN_PERSON, served_on=t.date(), now=t + dt.timedelta(minutes=50)
        )
    except services.MediationRefused as refused:
        raise Refused(refused.message) from refused
    s.case = d.reload(case)


def fail(d: Director, s: Story, t: dt.datetime) -> Iterator[dt.datetime]:
    yield t
    case = _case(s)
    try:
        services.end_without_agreement(
            _open(s), d.who(case.organ, R.HANDLER), reason="双方对补偿数额分歧较大，未能达成一致意见。", now=t
        )
    except services.MediationRefused as refused:
        raise Refused(refused.message) from refused
    s.case = d.reload(case)


# --- lawyers on duty ------------------------------------------------------------------------------

QUESTIONS = (
    (
        "单位不签劳动合同、拖欠工资，能不能要求双倍工资？",
        "可向劳动人事争议仲裁委员会申请仲裁，主张未签书面劳动合同的二倍工资。",
        "arbitration",
    ),
    (
        "对征收补偿决定不服怎么办？",
        "可在法定期限内申请行政复议或者提起行政诉讼，逾期可能丧失救济机会。",
        "reconsideration",
    ),
    ("邻居违建挡光，物业不管，能否起诉？", "可以相邻关系纠纷向人民法院起诉，也可先申请人民调解。", "litigation"),
    ("交通事故对方不赔，经济困难请不起律师。", "符合经济困难条件的，可向法律援助中心申请法律援助。", "legal_aid"),
    (
        "小区电梯停运多月，向谁反映？",
        "属于物业服务和特种设备监管事项，可向住建部门和市场监管部门反映，已引导登记信访。",
        "petition",
    ),
    ("承包地边界与邻户有争议。", "建议先由村人民调解委员会调解，不成再向乡镇政府申请处理。", "mediation"),
)


def seed_lawyers(city: DemoCity, now: dt.datetime, rng: random.Random) -> int:
    """A rota at the city petition bureau and a 复查复核律师工作室 at the city government, about fifty
    consultations over the last four months, and a written opinion on the cases now at review or re-review."""
    start, end = (now - dt.timedelta(days=120)).date(), (now + dt.timedelta(days=60)).date()
    bureau, gov = city["city.bureau"], city["city.gov"]
    duties = [
        services.add_duty(
            bureau, lawyer=lawyer, firm=firm, place="市信访局接待大厅律师值班室", starts_on=start, ends_on=end
        )
        for lawyer, firm in (("孙正衡", "西地正衡律师事务所"), ("李法明", "西地明德律师事务所"))
    ]
    studio = services.add_duty(
        gov, lawyer="赵公允", firm="西地公允律师事务所", place="市政府复查复核律师工作室", starts_on=start, ends_on=end
    )
    clerk = city.accounts["registrar"]
    linkable = list(Case.objects.filter(organ=bureau).order_by("pk")[:20])
    count = 0
    for n in range(48):
        at = (now - dt.timedelta(days=rng.randint(0, 118))).replace(hour=rng.randint(9, 16), minute=rng.choice((0, 30)))
        if at > now:
            continue
        question, advice, channel = QUESTIONS[n % len(QUESTIONS)]
        case = linkable[n] if n < len(linkable) and channel == "petition" else None
        services.record_consultation(
            duties[n % 2],
            clerk,
            petitioner=rng.choice(("王某某", "李某某", "张某某", "刘某某", "陈某某")),
            headcount=rng.choice((1, 1, 1, 2, 3)),
            question=question,
            advice=advice,
            channel=channel,
            case=case,
            now=at,
        )
        count += 1
    reviewing = Case.objects.filter(state__in=services.REVIEW_STATES).select_related("acting_organ", "petition")
    for case in reviewing.order_by("pk")[:6]:
        services.record_opinion(
            case,
            studio,
            city.who(case.acting_organ, R.HANDLER),
            opinion="经审查卷宗，原处理意见认定事实清楚，程序合法，适用依据正确；信访人提出的新证据不足以推翻原认定，建议维持。",
            given_on=now.date(),
            now=now,
        )
    return count
