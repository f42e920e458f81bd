"""Guards: each returns None when the transition may go ahead, or the refusal citing its rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from xinfang.intake.models import Category
from xinfang.org.models import Level, OrganKind

from .context import Context
from .states import NON_TERMINAL, DivertTarget, Outcome, Via

Guard = Callable[[Context], str | None]
LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3, Level.VILLAGE: 4}
ADOPTION = {"adopted": "采纳", "partly_adopted": "部分采纳", "not_adopted": "不采纳"}


def _region_prefix(code: str) -> str:
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def _clock(ctx: Context, rule: str) -> object | None:
    from .models import ClockStatus

    return ctx.case.clocks.filter(rule=rule, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED]).first()


def category_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("category") not in Category.values:
        return "「类别」须为建议意见类、检举控告类或申诉求决类（《信访工作条例》第二十九条至第三十一条）"
    return None


def _is(category: str, label: str, article: str) -> Guard:
    def guard(ctx: Context) -> str | None:
        if ctx.case.category != category:
            return f"只有{label}事项可以这样办理（《信访工作条例》{article}）"
        return None

    guard.__name__ = f"is_{category}"
    return guard


def matter_is_final(ctx: Context) -> str | None:
    if ctx.case.matter.final_at is None:
        return "该信访事项尚未经复核终结，不能以“不再受理”处理（《信访工作条例》第三十六条第三款）"
    return None


def same_facts_confirmed(ctx: Context) -> str | None:
    if ctx.payload.get("same_facts_confirmed") is not True:
        return "须由工作人员确认为同一事实和理由后方可不再受理（《信访工作条例》第三十六条第三款）"
    return None


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


def target_in_jurisdiction(ctx: Context) -> str | None:
    organ, target = ctx.case.organ, ctx.organ()
    if target.pk == organ.pk:
        return "「接收机关」不能是本机关"
    if organ.kind == OrganKind.PETITION_BUREAU:
        in_region = target.region_code.startswith(_region_prefix(organ.region_code))
        not_higher = LEVEL_RANK[Level(target.level)] >= LEVEL_RANK[Level(organ.level)]
        if in_region and not_higher:
            return None
        return "「接收机关」须为本级或者下级有权处理的机关（属地管理、分级负责，《信访工作条例》第二十二条第一款）"
    if target.path.startswith(organ.path):
        return None
    return (
        "「接收机关」须为本系统下级机关；不属于本系统职权范围的，"
        "应告知信访人向有权机关提出（《信访工作条例》第二十三条第一款）"
    )


def target_below_actor(ctx: Context) -> str | None:
    target = ctx.organ()
    actor_organ = getattr(ctx.actor, "organ", None)
    if actor_organ is None or not actor_organ.oversees(target):
        return "指定的受理机关须为本机关的下级机关（《信访工作条例》第二十四条第一款）"
    return None


def not_to_accused(ctx: Context) -> str | None:
    accused = ctx.case.petition.accused_organ
    target = ctx.organ()
    if accused is not None and target.path.startswith(accused.path):
        return "不得将检举、揭发材料转给被检举、揭发的单位（《信访工作条例》第三十条第三款）"
    return None


def target_is_political_legal(ctx: Context) -> str | None:
    if not ctx.organ().is_political_legal:
        return "「接收机关」须为政法部门：法院、检察院、公安机关或司法行政机关（《信访工作条例》第二十二条第二款）"
    return None


def target_same_level(ctx: Context) -> str | None:
    """Art. 22(2): forwarded to the 政法 or discipline organ of the same level and place."""
    organ, target = ctx.case.organ, ctx.organ()
    same_place = target.region_code.startswith(_region_prefix(organ.region_code))
    if same_place and target.level == organ.level:
        return None
    return "「接收机关」须为同级的政法部门或纪检监察机关（《信访工作条例》第二十二条第二款）"


def target_is_discipline(ctx: Context) -> str | None:
    if ctx.organ().kind != OrganKind.DISCIPLINE:
        return "「接收机关」须为纪检监察机关（《信访工作条例》第二十二条第二款）"
    return None


def at_petition_bureau(ctx: Context) -> str | None:
    if not ctx.case.organ.is_petition_bureau:
        return "交办只能由党委和政府信访部门作出（《信访工作条例》第二十二条第一款第三项）"
    return None


def not_petition_bureau(ctx: Context) -> str | None:
    if ctx.case.organ.is_petition_bureau:
        return "信访部门收到信访事项应当在15日内转送、交办（《信访工作条例》第二十二条第一款），不自行受理办理"
    return None


def received_by_transfer(ctx: Context) -> str | None:
    if ctx.case.via == Via.DIRECT or ctx.case.parent_id is None:
        return "只有经转送、交办收到的事项才能提出异议（《信访工作条例》第二十三条第三款）"
    return None


def objection_in_time(ctx: Context) -> str | None:
    clock = _clock(ctx, "transfer_objection")
    if clock is None:
        return "提出异议的期间已结束（《信访工作条例》第二十三条第三款）"
    if ctx.today > clock.legal_last_day:  # type: ignore[attr-defined]
        last = clock.legal_last_day  # type: ignore[attr-defined]
        return (
            f"提出异议的期间已于{last:%Y年%m月%d日}届满："
            "应当自收到之日起5个工作日内提出（《信访工作条例》第二十三条第三款）"
        )
    return None


def adoption_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("adoption") not in ADOPTION:
        return "「采纳情况」须为采纳、部分采纳或不采纳（《信访工作条例》第二十九条第一款）"
    return None


def divert_target_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("target_procedure") not in DivertTarget.values:
        return "「导入的法定程序」须为第三十一条第一项至第四项所列程序之一"
    return None


def extension_unused(ctx: Context) -> str | None:
    if ctx.case.extension_used:
        return "办理期限只能延长一次，延长期限不得超过30日（《信访工作条例》第三十四条）"
    return None


def handling_not_expired(ctx: Context) -> str | None:
    clock = _clock(ctx, "handling")
    if clock is None:
        return "没有正在计算的办理期限，不能延期（《信访工作条例》第三十四条）"
    if ctx.today > clock.legal_last_day:  # type: ignore[attr-defined]
        return "办理期限已届满，不能再延期（《信访工作条例》第三十四条）"
    return None


def both_parties_consent(ctx: Context) -> str | None:
    if ctx.payload.get("consent") is not True:
        return "调解须经各方当事人同意（《信访工作条例》第三十三条）"
    return None


def outcome_is_known(ctx: Context) -> str | None:
    if ctx.payload.get("outcome") not in Outcome.values:
        return "「处理意见」须为支持、解释说明或不予支持（《信访工作条例》第三十二条第一款）"
    return None


def served_on_is_valid(ctx: Context) -> str | None:
    served = ctx.date("served_on")
    if served > ctx.today:
        return "「送达日期」不能晚于今天"
    if served < timezone.localdate(ctx.case.received_at):
        return "「送达日期」不能早于收到信访事项之日"
    return None


def has_superior(ctx: Context) -> str | None:
    if ctx.case.organ.superior_id is None:
        return "原办理机关没有上一级机关，无法请求复查（《信访工作条例》第三十五条）"
    return None


def review_organ_has_superior(ctx: Context) -> str | None:
    review = ctx.case.review_organ
    if review is None or review.superior_id is None:
        return "复查机关没有上一级机关，无法请求复核（《信访工作条例》第三十六条第一款）"
    return None


WINDOWS = {
    "request_review": ("review_request", "请求复查", "自收到书面答复之日起30日内", "第三十五条"),
    "request_re_review": ("re_review_request", "请求复核", "自收到书面答复之日起30日内", "第三十六条第一款"),
}


def request_in_window(ctx: Context) -> str | None:
    rule, label, words, article = WINDOWS[ctx.notes["transition"]]
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
        return f"{label}的期间已于{last:%Y年%m月%d日}届满：应当{words}提出（《信访工作条例》{article}）"
    return None


def window_lapsed(ctx: Context) -> str | None:
    rule = "review_request" if ctx.case.state == "opinion_delivered" else "re_review_request"
    clock = _clock(ctx, rule)
    grace = dt.timedelta(days=settings.XINFANG_WINDOW_GRACE_DAYS)
    if clock is None or ctx.today <= clock.legal_last_day + grace:  # type: ignore[attr-defined]
        return "信访人请求的期间尚未届满（含邮寄在途时间），不能办结"
    return None


def report_submitted(ctx: Context) -> str | None:
    if not ctx.case.completion_report:
        return "承办机关尚未提交办结报告（《信访工作条例》第二十二条第一款第三项）"
    return None


def receipt_notice_running(ctx: Context) -> str | None:
    if _clock(ctx, "receipt_notice") is None:
        return "本案没有待完成的书面告知"
    return None


GUARDS: dict[str, Guard] = {
    "category_is_known": category_is_known,
    "is_suggestion": _is(Category.SUGGESTION, "建议意见类", "第二十九条"),
    "is_accusation": _is(Category.ACCUSATION, "检举控告类", "第三十条"),
    "is_grievance": _is(Category.GRIEVANCE, "申诉求决类", "第三十一条"),
    "matter_is_final": matter_is_final,
    "same_facts_confirmed": same_facts_confirmed,
    "same_matter_pending_below": same_matter_pending_below,
    "target_in_jurisdiction": target_in_jurisdiction,
    "target_below_actor": target_below_actor,
    "not_to_accused": not_to_accused,
    "target_is_political_legal": target_is_political_legal,
    "target_is_discipline": target_is_discipline,
    "target_same_level": target_same_level,
    "at_petition_bureau": at_petition_bureau,
    "not_petition_bureau": not_petition_bureau,
    "received_by_transfer": received_by_transfer,
    "objection_in_time": objection_in_time,
    "adoption_is_known": adoption_is_known,
    "divert_target_is_known": divert_target_is_known,
    "extension_unused": extension_unused,
    "handling_not_expired": handling_not_expired,
    "both_parties_consent": both_parties_consent,
    "outcome_is_known": outcome_is_known,
    "served_on_is_valid": served_on_is_valid,
    "has_superior": has_superior,
    "review_organ_has_superior": review_organ_has_superior,
    "request_in_window": request_in_window,
    "window_lapsed": window_lapsed,
    "report_submitted": report_submitted,
    "receipt_notice_running": receipt_notice_running,
}
