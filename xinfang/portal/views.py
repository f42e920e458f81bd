"""Public pages: submit online, follow progress with the number and query code, read served notices, rate,
request review; and the published information (Art. 18(1), 21(2)). Thin: services write, selectors read."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from xinfang.deadlines.selectors import rulebook
from xinfang.intake.services import PetitionInput, UploadInput
from xinfang.lifecycle import roadmap as lifecycle_roadmap

from . import captcha, fingerprint, sealing, sections, selectors, services, throttle
from .forms import ACCUSED_ROWS, RatingForm, RequestForm, SubmissionForm, TrackForm, VerifyForm
from .models import Aspect

HOUR = 3600
TRACKED = "portal_tracked"


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"track_form": TrackForm()})


def roadmap(request: HttpRequest) -> HttpResponse:
    """路线图: the step table and the diagram, both generated from TABLE and the rule files."""
    context = lifecycle_roadmap.page_data(rulebook=rulebook())
    # render_svg escapes every piece of text it writes, so the SVG is safe to inline.
    context["diagram"] = mark_safe(context["diagram"])
    return render(request, "portal/roadmap.html", context)


def _submission_form(request: HttpRequest, data: Any = None) -> SubmissionForm:
    organs = list(selectors.published_organs())
    form = SubmissionForm(data, organs=organs)
    question, token = captcha.challenge()
    form.captcha_question = question  # type: ignore[attr-defined]
    form.captcha_new_token = token  # type: ignore[attr-defined]
    return form


def _grouped(organs: list[Any]) -> list[tuple[str, str, list[Any]]]:
    from .forms import region_name

    groups: dict[str, tuple[str, list[Any]]] = {}
    for organ in organs:
        groups.setdefault(organ.region_code, (region_name(organ), []))[1].append(organ)
    return [(code, name, items) for code, (name, items) in sorted(groups.items())]


def _accused_rows(form: SubmissionForm) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "organ": form[f"accused_organ_{n}"],
            "person": form[f"accused_person_{n}"],
            "person_organ": form[f"accused_person_organ_{n}"],
        }
        for n in ACCUSED_ROWS
    ]


def submit(request: HttpRequest) -> HttpResponse:
    form = _submission_form(request, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        now = timezone.now()
        limit = settings.XINFANG_PORTAL_SUBMISSIONS_PER_HOUR
        uploads = request.FILES.getlist("attachments")
        if throttle.count(f"submit:{_address(request)}", HOUR, now) >= limit:
            minutes = throttle.retry_minutes(HOUR, now)
            form.add_error(
                None, f"同一网络地址一小时内最多提交{limit}件，请{minutes}分钟后再提交，或拨打公布的信访电话"
            )
            status = 429
        elif form.is_valid():
            problem = captcha.problem(form.cleaned_data["captcha_token"], form.cleaned_data["captcha_answer"])
            if problem:
                form.add_error("captcha_answer", problem)
            else:
                data = form.cleaned_data
                try:
                    case, code = services.submit_online(
                        PetitionInput(
                            channel="online",
                            request=data["request"],
                            region_code=data["organ"].region_code,
                            name=data["name"],
                            id_number=data["id_number"],
                            contact=data["contact"],
                            address=data["address"],
                            facts=data["facts_and_reasons"],
                            attachments=[UploadInput(f.name or "附件", f) for f in uploads],
                            accusation=data["accusation"] == "yes",
                            accused=form.accused(),
                        ),
                        data["organ"],
                        now=now,
                    )
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        for text in problems:
                            form.add_error(field if field in form.fields else None, text)
                else:
                    throttle.hit(f"submit:{_address(request)}", HOUR, now)
                    request.session[TRACKED] = [*request.session.get(TRACKED, []), case.petition.number]
                    sealed, pad = sealing.seal(code)
                    request.session["portal_receipt"] = {
                        "number": case.petition.number,
                        "sealed_code": sealed,  # the code itself is never stored (see sealing.py)
                        "organ": case.organ.name,
                        "received": timezone.localtime(case.petition.received_at).strftime("%Y年%-m月%-d日 %H:%M"),
                        "request": case.petition.request[:120],
                        "accusation": case.petition.accusation,  # a flag only: no accused names kept here
                        "fingerprint": fingerprint.grouped(fingerprint.registered(case.petition)),
                    }
                    response = redirect("portal:receipt")
                    sealing.give_pad(request, response, pad)
                    return response
        if uploads and form.errors:
            form.add_error(None, "出于安全原因，浏览器不能保留已选择的附件：请更正后重新选择附件。")
    return render(
        request,
        "portal/submit.html",
        {
            "form": form,
            "groups": _grouped(form.organs),
            "accused_rows": _accused_rows(form),
            "max_mb": settings.XINFANG_ATTACHMENT_MAX_MB,
        },
        status=status,
    )


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    data = request.session.get("portal_receipt")
    if not data:
        return redirect("portal:track")
    code = sealing.unseal(data.get("sealed_code", ""), sealing.pad_of(request))
    return render(request, "portal/receipt.html", {"receipt": {**data, "code": code}})


WRONG_CODE = "信访件编号或查询码不正确，请对照回执重新填写。"


def _codes_limited(number: str, address: str, now: Any) -> bool:
    # Wrong codes are counted per number *from this address* and per address: a stranger guessing at a
    # number pauses only themselves, never the petitioner who holds the receipt (issue 12). The total per
    # number is kept for monitoring only; with 32^8 codes, guessing stays hopeless at these rates.
    # The progress lookup and the verification page share these counters.
    return bool(
        throttle.count(f"code:pair:{number}:{address}", HOUR, now) >= settings.XINFANG_PORTAL_WRONG_CODES_PER_NUMBER
        or throttle.count(f"code:address:{address}", HOUR, now) >= settings.XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS
    )


def _count_wrong_code(number: str, address: str, now: Any) -> None:
    throttle.hit(f"code:pair:{number}:{address}", HOUR, now)
    throttle.hit(f"code:address:{address}", HOUR, now)
    throttle.hit(f"code:number:{number}", HOUR, now)


def _unlocked(request: HttpRequest, form: Any) -> tuple[Any, int]:
    """The petition that a valid form's number and query code open, with status 200; otherwise None, the form's
    error and 429 (the wrong-code limits reached) or 400 (a wrong code, the same answer for an unknown number)."""
    now = timezone.now()
    number = form.cleaned_data["number"].strip().upper()
    address = throttle.address_key(_address(request))
    if _codes_limited(number, address, now):
        minutes = throttle.retry_minutes(HOUR, now)
        form.add_error(None, f"查询码错误次数过多，为保护信访人信息，请{minutes}分钟后再试。")
        return None, 429
    petition = selectors.petition_by_number(number)
    if petition is not None and services.code_matches(petition.pk, form.cleaned_data["code"]):
        return petition, 200
    _count_wrong_code(number, address, now)
    form.add_error(None, WRONG_CODE)
    return None, 400


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        petition, status = _unlocked(request, form)
        if petition is not None:
            request.session.cycle_key()
            request.session.set_expiry(0)  # forgotten when the browser closes: a shared computer is safe
            request.session[TRACKED] = [*request.session.get(TRACKED, []), petition.number]
            return redirect("portal:progress", number=petition.number)
    elif request.method == "POST":
        status = 400
    return render(request, "portal/track.html", {"form": form}, status=status)


def verify(request: HttpRequest) -> HttpResponse:
    """核验: is the record of my petition (or a served document) unchanged? Nothing without the query code."""
    form = VerifyForm(request.POST or None)
    answer, status = None, 200
    if request.method == "POST" and form.is_valid():
        petition, status = _unlocked(request, form)
        if petition is not None:
            answer = fingerprint.check(petition, form.cleaned_data["fingerprint"])
    elif request.method == "POST":
        status = 400
    return render(request, "portal/verify.html", {"form": form, "answer": answer}, status=status)


def _tracked(request: HttpRequest, number: str) -> Any:
    if number not in request.session.get(TRACKED, []):
        return None
    return selectors.petition_by_number(number)


def progress(request: HttpRequest, number: str) -> HttpResponse:
    petition = _tracked(request, number)
    if petition is None:
        messages.info(request, "请输入信访件编号和查询码。")
        return redirect("portal:track")
    return render(request, "portal/progress.html", _progress_context(petition))


def _progress_context(petition: Any, **extra: Any) -> dict[str, Any]:
    view = selectors.progress(petition)
    rating_forms = []
    for aspect in Aspect:
        opened = view.ratable.get(aspect)
        rating_forms.append(
            {
                "aspect": aspect,
                "done": view.ratings.get(aspect),
                "opened": opened,
                "last_day": selectors.rating_deadline(opened) if opened else None,
                "closed": opened is not None and timezone.localdate() > selectors.rating_deadline(opened),
                "form": extra.get(f"rating_{aspect.value}") or RatingForm(initial={"aspect": aspect.value}),
            }
        )
    extra.setdefault("request_form", RequestForm())
    prints = {
        "petition": fingerprint.grouped(fingerprint.registered(petition)),
        "documents": [(d, fingerprint.grouped(d.fingerprint)) for d in fingerprint.of_documents(petition)],
    }
    return {
        "view": view,
        "prints": prints,
        "rating_forms": rating_forms,
        "sections": sections.collect("progress", petition),
        **extra,
    }


def rate(request: HttpRequest, number: str) -> HttpResponse:
    petition = _tracked(request, number)
    if petition is None or request.method != "POST":
        return redirect("portal:track")
    form = RatingForm(request.POST)
    aspect = request.POST.get("aspect", "")
    if form.is_valid():
        view = selectors.progress(petition)
        try:
            services.rate(
                view.case,
                aspect,
                form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                opened_at=view.ratable.get(aspect),
            )
        except services.PortalRefused as refusal:
            if refusal.field in ("level", "reason"):
                form.add_error(refusal.field, refusal.message)
            else:
                messages.error(request, f"未能提交评价：{refusal.message}")
        else:
            follow = "我们将安排回访。" if form.cleaned_data["level"] == "unsatisfied" else ""
            messages.success(request, f"感谢您的评价。{follow}")
            return redirect("portal:progress", number=number)
    context = _progress_context(petition, **{f"rating_{aspect}": form})
    return render(request, "portal/progress.html", context, status=400)


def request_review(request: HttpRequest, number: str) -> HttpResponse:
    petition = _tracked(request, number)
    if petition is None or request.method != "POST":
        return redirect("portal:track")
    form = RequestForm(request.POST)
    if not form.is_valid():
        raise Http404("没有这个操作")
    data = form.cleaned_data
    case = selectors.leading_case(petition)
    try:
        services.request_online(case, data["name"], reasons=data["reasons"], confirmed=data["confirm"])
    except services.PortalRefused as refusal:
        if refusal.field in ("reasons", "confirm"):
            form.add_error(refusal.field, refusal.message)
        context = _progress_context(petition, request_error=refusal.message, request_form=form)
        return render(request, "portal/progress.html", context, status=400)
    organ = services.receiving_organ(case, data["name"])
    word = "复查" if data["name"] == "request_review" else "复核"
    messages.success(request, f"您的{word}请求已提交{organ.name if organ else ''}，收到日期为今天。请留意办理进度。")
    return redirect("portal:progress", number=number)


def document(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    petition = _tracked(request, number)
    if petition is None:
        return redirect("portal:track")
    found = selectors.served_documents(petition).filter(pk=pk).defer(None).first()
    if found is None or not found.pdf:
        raise Http404("没有这份文书")
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.number, safe='')}.pdf"
    return response


def organs(request: HttpRequest) -> HttpResponse:
    groups = _grouped(list(selectors.published_organs()))
    return render(request, "portal/organs.html", {"groups": groups, "sections": sections.collect("organs")})


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help.html", {"rating_days": settings.XINFANG_RATING_WINDOW_DAYS})


def hearings(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/hearings.html", {"results": selectors.hearing_results()})


def elder(request: HttpRequest) -> HttpResponse:
    """Switch 适老化 mode (larger text, higher contrast, simpler layout); works without JavaScript."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if request.method == "POST" and request.POST.get("on") == "1":
        response.set_cookie("elder", "1", max_age=365 * 24 * HOUR, samesite="Lax")
    elif request.method == "POST":
        response.delete_cookie("elder")
    return response


def elder_mode(request: HttpRequest) -> dict[str, bool]:
    """Context processor: every page knows whether elder mode is on."""
    return {"elder_mode": request.COOKIES.get("elder") == "1"}
