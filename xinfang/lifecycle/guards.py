"""Guards: each returns None when the transition may go ahead, or the refusal citing its rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from xinfang.intake.models import Category
from xinfang.intake.selectors import accused_organs
from xinfang.org.models import Level, Organ, OrganKind
from xinfang.rules import period_words, term

from .context import Context
from .hooks import Hook, hook
from .states import NON_TERMINAL, DivertTarget, Outcome, Via

Guard = Hook[str | None]
LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3, Level.VILLAGE: 4}
# 《信访工作条例》第三十六条第三款, as the 2022 text reads.
FINALITY = "信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，各级党委和政府信访部门和其他机关、单位不再受理"
ADOPTION = {"adopted": "采纳", "partly_adopted": "部分采纳", "not_adopted": "不采纳"}


def _region_prefix(code: str) -> str:
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def _clock(ctx: Context, rule: str) -> object | None:
    from .models import ClockStatus

    return ctx.case.clocks.filter(rule=rule, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]).first()


def _words(ctx: Context, rule: str, organ: Organ | None = None) -> str:
    """The period of ``rule`` in words for the case's region, read from the rule files."""
    return period_words(rule, (organ or ctx.case.organ).region_code, ctx.today)


def _covers(organ: Organ, other: Organ) -> bool:
    """True if ``organ``'s territory contains ``other``'s and ``organ`` sits at the same or a higher level."""
    in_region = other.region_code.startswith(_region_prefix(organ.region_code))
    return in_region and LEVEL_RANK[Level(other.level)] >= LEVEL_RANK[Level(organ.level)]


@hook()
def category_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("category") not in Category.values:
        return "「类别」须为建议意见类、检举控告类或申诉求决类（《信访工作条例》第二十九条至第三十一条）"
    return None


def _is(category: str, label: str, article: str) -> Callable[[Context], str | None]:
    def guard(ctx: Context) -> str | None:
        if ctx.case.category != category:
            return f"只有{label}事项可以这样办理（《信访工作条例》{article}）"
        return None

    guard.__name__ = f"is_{category}"
    return guard


is_suggestion = Hook("is_suggestion", _is(Category.SUGGESTION, "建议意见类", "第二十九条"))
is_accusation = Hook("is_accusation", _is(Category.ACCUSATION, "检举控告类", "第三十条"))
is_grievance = Hook("is_grievance", _is(Category.GRIEVANCE, "申诉求决类", "第三十一条"))


@hook()
def matter_is_final(ctx: Context) -> str | None:
    if ctx.case.matter.final_at is None:
        return f"该信访事项尚未经复核终结，不能以“不再受理”处理：“{FINALITY}”（《信访工作条例》第三十六条第三款）"
    return None


@hook()
def same_facts_confirmed(ctx: Context) -> str | None:
    if ctx.payload.get("same_facts_confirmed") is not True:
        return (
            f"须由工作人员确认仍然以同一事实和理由提出后方可不再受理：“{FINALITY}”（《信访工作条例》第三十六条第三款）"
        )
    return None


@hook()
def same_matter_pending_below(ctx: Context) -> str | None:
    from .models import Case

    pending = (
        Case.objects.filter(
            matter_id=ctx.case.matter_id, state__in=NON_TERMINAL, organ__path__startswith=ctx.case.organ.scope_path
        )
        .exclude(organ_id=ctx.case.organ_id)
        .exclude(pk=ctx.case.pk)
        .first()
    )
    if pending is None:
        return "同一信访事项没有下级机关正在受理或办理，不能不予受理（《信访工作条例》第十九条第三款）"
    ctx.notes["pending_case"] = pending.pk
    return None


@hook()
def target_in_jurisdiction(ctx: Context) -> str | None:
    """Art. 22(1): a 信访部门 sends within its territory, to its level or below. Art. 23(1), (3): any other
    organ transfers or assigns (交办) to the lower organs of its own system only."""
    organ, target = ctx.case.organ, ctx.organ()
    if target.pk == organ.pk:
        return "「接收机关」不能是本机关"
    if organ.kind == OrganKind.PETITION_BUREAU:
        if _covers(organ, target):
            return None
        return "「接收机关」须为本级或者下级有权处理的机关（属地管理、分级负责，《信访工作条例》第二十二条第一款）"
    if target.is_within_system(organ):
        return None
    return (
        "「接收机关」须为本系统下级机关；不属于本系统职权范围的，"
        "应告知信访人向有权机关提出（《信访工作条例》第二十三条第一款）"
    )


@hook()
def target_below_actor(ctx: Context) -> str | None:
    target = ctx.organ()
    actor_organ = getattr(ctx.actor, "organ", None)
    if actor_organ is None or not actor_organ.oversees(target):
        return "指定的受理机关须为本机关的下级机关（《信访工作条例》第二十四条第一款）"
    return None


@hook()
def not_to_accused(ctx: Context) -> str | None:
    target = ctx.organ()
    if any(target.is_within(accused) for accused in accused_organs(ctx.case.petition)):
        return (
            "不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位"
            "（《信访工作条例》第三十条第三款）"
        )
    return None


@hook()
def actor_not_accused(ctx: Context) -> str | None:
    """Art. 28(3), 30(3): the accused organ and its staff do not accept, handle or decide the matter."""
    organ = getattr(ctx.actor, "organ", None)
    if organ is None:
        return None
    if any(organ.is_within(accused) for accused in accused_organs(ctx.case.petition)):
        return (
            f"{organ.name}是被检举、揭发的单位（或其所属单位），与该信访事项有直接利害关系，应当回避，"
            "不得受理、办理或者答复（《信访工作条例》第二十八条第三款、第三十条第三款）"
        )
    return None


@hook()
def target_is_political_legal(ctx: Context) -> str | None:
    if not ctx.organ().is_political_legal:
        return "「接收机关」须为政法部门：法院、检察院、公安机关或司法行政机关（《信访工作条例》第二十二条第二款）"
    return None


@hook()
def target_same_level(ctx: Context) -> str | None:
    """Art. 22(2): 涉法涉诉 letters go to the 政法 organ of the same level and place ("转送同级政法部门")."""
    organ, target = ctx.case.organ, ctx.organ()
    same_place = target.region_code.startswith(_region_prefix(organ.region_code))
    if same_place and target.level == organ.level:
        return None
    return "涉法涉诉信件应当转送同级政法部门依法处理（《信访工作条例》第二十二条第二款）"


@hook()
def discipline_has_authority(ctx: Context) -> str | None:
    """Art. 22(2): "按照管理权限转送有关纪检监察机关": the discipline organ over the accused organs.

    An organ of the same or a higher level whose territory contains every accused organ. With no accused
    organ on record, the discipline organ of the routing organ's own level and place.
    """
    target = ctx.organ()
    accused = accused_organs(ctx.case.petition)
    if accused and all(_covers(target, organ) for organ in accused):
        return None
    if not accused and _covers(target, ctx.case.organ) and target.level == ctx.case.organ.level:
        return None
    names = "、".join(organ.name for organ in accused) or ctx.case.organ.name
    return (
        f"{target.name}对{names}没有管理权限：检举控告类事项应当按照管理权限转送有关纪检监察机关"
        "（《信访工作条例》第二十二条第二款）"
    )


@hook()
def target_is_discipline(ctx: Context) -> str | None:
    if ctx.organ().kind != OrganKind.DISCIPLINE:
        return "「接收机关」须为纪检监察机关（《信访工作条例》第二十二条第二款）"
    return None


@hook()
def not_petition_bureau(ctx: Context) -> str | None:
    if ctx.case.organ.is_petition_bureau:
        return (
            f"信访部门收到信访事项，应当在{_words(ctx, 'bureau_disposition')}内转送、交办"
            "（《信访工作条例》第二十二条第一款），不自行受理办理"
        )
    return None


@hook()
def received_by_transfer(ctx: Context) -> str | None:
    if ctx.case.via == Via.DIRECT or ctx.case.parent_id is None:
        return "只有经转送、交办收到的事项才能提出异议（《信访工作条例》第二十三条第三款）"
    return None


@hook()
def objection_in_time(ctx: Context) -> str | None:
    clock = _clock(ctx, "transfer_objection")
    if clock is None:
        return "提出异议的期间已结束（《信访工作条例》第二十三条第三款）"
    if ctx.today > clock.legal_last_day:  # type: ignore[attr-defined]
        last = clock.legal_last_day  # type: ignore[attr-defined]
        words = _words(ctx, "transfer_objection", clock.organ)  # type: ignore[attr-defined]
        return (
            f"提出异议的期间已于{last:%Y年%m月%d日}届满："
            f"应当自收到之日起{words}内提出（《信访工作条例》第二十三条第三款）"
        )
    return None


@hook()
def adoption_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("adoption") not in ADOPTION:
        return "「采纳情况」须为采纳、部分采纳或不采纳（《信访工作条例》第二十九条第一款）"
    return None


@hook()
def divert_target_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("target_procedure") not in DivertTarget.values:
        return "「导入的法定程序」须为第三十一条第一项至第四项所列程序之一"
    return None


def extension_days_left(case: object, today: dt.date) -> tuple[int, int]:
    """Art. 34: (days already extended, days still allowed) for ``case``; the cap read from the rule files."""
    cap = term("handling_extension", case.organ.region_code, today)  # type: ignore[attr-defined]
    used = sum(case.clocks.filter(rule="handling_extension").values_list("days", flat=True))  # type: ignore[attr-defined]
    return used, max((cap.days or 0) - used, 0)


@hook()
def extension_within_cap(ctx: Context) -> str | None:
    """Art. 34: any number of extensions, each with its reason; together at most the cited cap."""
    used, left = extension_days_left(ctx.case, ctx.today)
    try:
        asked = int(ctx.payload.get("days") or 0)
    except (TypeError, ValueError):
        asked = 0
    if 0 < asked <= left:
        return None
    cap = term("handling_extension", ctx.case.organ.region_code, ctx.today)
    unit = cap.unit.label
    return (
        f"延长期限累计不得超过{cap.words(ceiling=False)}：已延长{used}{unit}，本次最多还可延长{left}{unit}"
        f"（{cap.citation.text()}）"
    )


@hook()
def handling_not_expired(ctx: Context) -> str | None:
    clock = _clock(ctx, "handling_extension") or _clock(ctx, "handling")
    if clock is None:
        return "没有正在计算的办理期限，不能延期（《信访工作条例》第三十四条）"
    if ctx.today > clock.legal_last_day:  # type: ignore[attr-defined]
        return "办理期限已届满，不能再延期（《信访工作条例》第三十四条）"
    return None


@hook()
def both_parties_consent(ctx: Context) -> str | None:
    if ctx.payload.get("consent") is not True:
        return "调解须经各方当事人同意（《信访工作条例》第三十三条）"
    return None


@hook()
def outcome_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("outcome") not in Outcome.values:
        return "「处理意见」须为支持、解释说明或不予支持（《信访工作条例》第三十二条第一款）"
    return None


@hook()
def served_on_is_valid(ctx: Context) -> str | None:
    served = ctx.date("served_on")
    if served > ctx.today:
        return "「送达日期」不能晚于今天"
    if served < timezone.localdate(ctx.case.received_at):
        return "「送达日期」不能早于收到信访事项之日"
    return None


@hook()
def has_superior(ctx: Context) -> str | None:
    """Art. 35: "原办理机关、单位的上一级机关、单位", the superior inside the organ's own system."""
    if ctx.case.organ.review_superior() is None:
        return "原办理机关在本系统内没有上一级机关，无法请求复查（《信访工作条例》第三十五条）"
    return None


@hook()
def review_organ_has_superior(ctx: Context) -> str | None:
    """Art. 36(1): "复查机关、单位的上一级机关、单位", inside the review organ's system."""
    review = ctx.case.review_organ
    if review is None or review.review_superior() is None:
        return "复查机关在本系统内没有上一级机关，无法请求复核（《信访工作条例》第三十六条第一款）"
    return None


WINDOWS = {
    "request_review": ("review_request", "请求复查", "第三十五条"),
    "request_re_review": ("re_review_request", "请求复核", "第三十六条第一款"),
}


@hook()
def request_in_window(ctx: Context) -> str | None:
    rule, label, article = WINDOWS[ctx.notes["transition"]]
    clock = _clock(ctx, rule)
    if clock is None:
        return f"书面答复尚未送达，{label}的期间尚未开始（《信访工作条例》{article}）"
    received = ctx.date("received_on")
    counted = ctx.date("posted_on") if ctx.payload.get("posted_on") else received  # 在途时间不计
    if received > ctx.today:
        return "「收到请求日期」不能晚于今天"
    if received < clock.start:  # type: ignore[attr-defined]
        return f"{label}早于书面答复送达之日，不能受理（《信访工作条例》{article}）"
    if counted > clock.legal_last_day:  # type: ignore[attr-defined]
        last = clock.legal_last_day  # type: ignore[attr-defined]
        words = f"自收到书面答复之日起{_words(ctx, rule, clock.organ)}内"  # type: ignore[attr-defined]
        return f"{label}的期间已于{last:%Y年%m月%d日}届满：应当{words}提出（《信访工作条例》{article}）"
    return None


@hook()
def window_lapsed(ctx: Context) -> str | None:
    rule = "review_request" if ctx.case.state == "opinion_delivered" else "re_review_request"
    clock = _clock(ctx, rule)
    grace = dt.timedelta(days=settings.XINFANG_WINDOW_GRACE_DAYS)
    if clock is None or ctx.today <= clock.legal_last_day + grace:  # type: ignore[attr-defined]
        return (
            "信访人请求复查（复核）的期间尚未届满（含邮寄在途时间），不能办结"
            "（《信访工作条例》第三十五条、第三十六条第一款）"
        )
    return None


@hook()
def report_submitted(ctx: Context) -> str | None:
    if not ctx.case.completion_report:
        return "承办机关尚未提交办结报告（《信访工作条例》第二十二条第一款第三项）"
    return None


@hook()
def receipt_notice_running(ctx: Context) -> str | None:
    if _clock(ctx, "receipt_notice") is None:
        return "本案没有待完成的书面告知（《信访工作条例》第二十三条第二款、第三款）"
    return None


@hook()
def notice_on_record(ctx: Context) -> str | None:
    """Arts. 23(2)-(3), 32(1), 34, 35, 36: the petitioner is told in writing, by an issued document."""
    from .notices import refusal

    return refusal(ctx.case, ctx.notes.get("notice", ""), ctx.payload)


# By name, for the code that still looks guards up by string (lifecycle.selectors, the mutation check).
GUARDS: dict[str | Guard, Guard] = {
    guard.name: guard
    for guard in (
        category_is_known,
        is_suggestion,
        is_accusation,
        is_grievance,
        matter_is_final,
        same_facts_confirmed,
        same_matter_pending_below,
        target_in_jurisdiction,
        target_below_actor,
        not_to_accused,
        actor_not_accused,
        target_is_political_legal,
        target_is_discipline,
        target_same_level,
        discipline_has_authority,
        not_petition_bureau,
        received_by_transfer,
        objection_in_time,
        adoption_is_known,
        divert_target_is_known,
        extension_within_cap,
        handling_not_expired,
        both_parties_consent,
        outcome_is_known,
        served_on_is_valid,
        has_superior,
        review_organ_has_superior,
        request_in_window,
        window_lapsed,
        report_submitted,
        receipt_notice_running,
        notice_on_record,
    )
}
