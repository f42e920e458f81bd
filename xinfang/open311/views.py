"""Open311 GeoReport v2 under /open311/v2/: services, service definitions, requests, tokens, and the FixMyStreet
`servicerequestupdates` extension. Partners authenticate with `api_key`; services are public."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from xinfang.org.models import region_code_validator

from . import selectors, services
from .catalogue import ATTRIBUTES
from .catalogue import services as catalogue
from .models import ApiCall, Partner
from .openapi import document
from .render import error, respond

# GeoReport v2: "If start_date and end_date aren't specified, the default is the last 90 days"; at most 1000 results.
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
CHANGESET = "2026-12-02T00:00:00+08:00"  # when this API last changed; partners compare it to notice a change
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
View = Callable[..., HttpResponse]


class ApiError(Exception):
    def __init__(self, code: int, description: str, partner: Partner | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.partner = partner


def _param(request: HttpRequest, name: str) -> str:
    source = request.POST if request.method == "POST" else request.GET
    value = str(source.get(name, "")).strip()
    if _has_control_characters(value):
        if name == "api_key":
            raise ApiError(403, "api_key 无效或已停用")
        raise ApiError(400, f"参数 {name} 含有不允许的控制字符")
    return value


def _partner(request: HttpRequest) -> Partner:
    key = _param(request, "api_key")
    if not key:
        raise ApiError(403, "缺少 api_key：请使用本机关发放的合作系统密钥")
    partner = services.partner_for_key(key)
    if partner is None:
        raise ApiError(403, "api_key 无效或已停用")
    since = timezone.now() - dt.timedelta(hours=1)
    if ApiCall.objects.filter(partner=partner, at__gte=since).count() >= partner.hourly_limit:
        raise ApiError(429, f"调用过于频繁：每小时不超过{partner.hourly_limit}次，请稍后再试", partner)
    return partner


def _has_control_characters(value: str) -> bool:
    """A NUL or other control character: bad input that must never reach the database (PostgreSQL refuses NUL)."""
    return any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value)


def api(*, methods: tuple[str, ...], authenticated: bool) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            partner = None
            try:
                if request.method not in methods:
                    raise ApiError(405, f"不支持 {request.method} 方法")
                if any(_has_control_characters(str(part)) for part in kwargs.values()):
                    raise ApiError(404, "没有这个资源")
                if authenticated or request.method == "POST":
                    partner = _partner(request)
                response = view(request, *args, fmt=fmt, partner=partner, **kwargs)
            except ApiError as exc:
                response = error(fmt, exc.code, exc.description)
                partner = partner or exc.partner
                if exc.code == 405:
                    response["Allow"] = ", ".join(methods)
            if partner is not None or response.status_code == 403:
                services.record_call(partner, request.method or "", request.path, response.status_code)
            return response

        return wrapper

    return decorate


@api(methods=("GET",), authenticated=False)
def discovery(request: HttpRequest, *, fmt: str, partner: Partner | None) -> HttpResponse:
    """The service discovery document that GeoReport v2 requires beside the API."""
    endpoint = {
        "specification": SPECIFICATION,
        "url": request.build_absolute_uri("/open311/v2"),
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    body = {
        "changeset": CHANGESET,
        "contact": "密钥申请和接入问题请联系本机关信访部门",
        "key_service": request.build_absolute_uri("/open311/v2/"),
        "endpoints": [endpoint],
    }
    return respond(fmt, "discovery", "", body)


def _service_row(code: str) -> dict[str, Any]:
    s = catalogue()[code]
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.key,
        "metadata": True,
        "type": "batch",  # the service request id comes after verification: POST answers with a token
        "keywords": s.keywords,
        "group": s.group,
    }


@api(methods=("GET",), authenticated=False)
def service_list(request: HttpRequest, *, fmt: str, partner: Partner | None) -> HttpResponse:
    return respond(fmt, "services", "service", [_service_row(code) for code in catalogue()])


@api(methods=("GET",), authenticated=False)
def service_definition(request: HttpRequest, code: str, *, fmt: str, partner: Partner | None) -> HttpResponse:
    if code not in catalogue():
        raise ApiError(404, f"service_code 不存在：{code}")
    return respond(fmt, "service_definition", "", {"service_code": code, "attributes": list(ATTRIBUTES)})


def _time(request: HttpRequest, name: str) -> dt.datetime | None:
    text = _param(request, name)
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"{name} 须为 ISO 8601 格式的日期时间（含时区），如 2026-03-02T10:00:00+08:00") from None
    if value.tzinfo is None:
        raise ApiError(400, f"{name} 须含时区，如 +08:00 或 Z")
    return value


def _list(request: HttpRequest, name: str) -> list[str]:
    return [v.strip() for v in _param(request, name).split(",") if v.strip()]


def _request_row(found: selectors.RequestStatus) -> dict[str, Any]:
    return {
        "service_request_id": found.service_request_id,
        "status": found.status,
        "status_notes": found.status_notes,
        "service_name": found.service_name,
        "service_code": found.service_code,
        "agency_responsible": found.agency_responsible,
        "service_notice": "",
        "requested_datetime": found.requested_datetime,
        "updated_datetime": found.updated_datetime,
        "expected_datetime": None,
        "token": found.token,
    }


def _search(request: HttpRequest, fmt: str, partner: Partner) -> HttpResponse:
    ids = _list(request, "service_request_id") or None
    statuses = _list(request, "status")
    unknown = [s for s in statuses if s not in ("open", "closed")]
    if unknown:
        raise ApiError(400, "status 只能为 open 或 closed（可用逗号分隔）")
    start, end = _time(request, "start_date"), _time(request, "end_date")
    if ids is None and start is None and end is None:
        start = timezone.now() - DEFAULT_WINDOW
    if start and end and start > end:
        raise ApiError(400, "start_date 不能晚于 end_date")
    found = selectors.find_requests(
        partner,
        ids=ids,
        service_codes=_list(request, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
        limit=MAX_RESULTS,
    )
    return respond(fmt, "service_requests", "request", [_request_row(f) for f in found])


def _location(request: HttpRequest) -> str:
    lat, long_, address = _param(request, "lat"), _param(request, "long"), _param(request, "address_string")
    address_id = _param(request, "address_id")
    if lat or long_:
        try:
            lat_f, long_f = float(lat), float(long_)
        except ValueError:
            raise ApiError(400, "lat 和 long 须同时提供，且为数字") from None
        if not (-90 <= lat_f <= 90 and -180 <= long_f <= 180):
            raise ApiError(400, "lat 须在 -90 至 90 之间，long 须在 -180 至 180 之间")
    elif not (address or address_id):
        raise ApiError(400, "须提供位置：lat 和 long，或 address_string，或 address_id")
    parts = [address, f"地址编号 {address_id}" if address_id else "", f"经纬度 {lat},{long_}" if lat else ""]
    return "位置：" + "；".join(p for p in parts if p)


def _submit(request: HttpRequest, fmt: str, partner: Partner) -> HttpResponse:
    code = _param(request, "service_code")
    if not code:
        raise ApiError(400, "缺少 service_code")
    if code not in catalogue():
        raise ApiError(400, f"service_code 不存在：{code}")
    description = _param(request, "description")
    if not description:
        raise ApiError(400, "description（诉求）不能为空：请写明请求事项（《信访工作条例》第十九条第一款）")
    region = _param(request, "attribute[region_code]") or partner.organ.region_code
    try:
        region_code_validator(region)
    except Exception:
        raise ApiError(400, "attribute[region_code]（问题发生地）应为六位行政区划代码") from None
    accusation = _param(request, "attribute[accusation]") or "no"
    if accusation not in ("yes", "no"):
        raise ApiError(400, "attribute[accusation] 只能为 yes 或 no")
    name = (_param(request, "last_name") + _param(request, "first_name"))[:100]
    contact = (_param(request, "phone") or _param(request, "email"))[:50]
    media = _param(request, "media_url")
    facts = "\n".join(p for p in (_location(request), f"图片：{media}" if media else "") if p)
    data = {
        "service_code": code,
        "received_at": timezone.now().isoformat(),
        "request": description[:5000],
        "name": name,
        "contact": contact,
        "region_code": region,
        "facts": facts,
        "accusation": accusation,
        "device_id": _param(request, "device_id")[:100],
        "account_id": _param(request, "account_id")[:100],
    }
    item = services.submit_request(partner, data)
    notice = "已收到。经信访部门核实后登记为信访件；可凭 token 查询信访件编号（service_request_id）。"
    return respond(fmt, "service_requests", "request", [{"token": item.external_id, "service_notice": notice}])


@api(methods=("GET", "POST"), authenticated=True)
def requests(request: HttpRequest, *, fmt: str, partner: Partner | None) -> HttpResponse:
    assert partner is not None
    if request.method == "POST":
        return _submit(request, fmt, partner)
    return _search(request, fmt, partner)


@api(methods=("GET",), authenticated=True)
def request_detail(request: HttpRequest, request_id: str, *, fmt: str, partner: Partner | None) -> HttpResponse:
    assert partner is not None
    found = selectors.find_requests(partner, ids=[request_id], limit=1)
    if not found:
        raise ApiError(404, f"没有可查询的服务请求：{request_id}")
    return respond(fmt, "service_requests", "request", [_request_row(found[0])])


@api(methods=("GET",), authenticated=True)
def token(request: HttpRequest, token_id: str, *, fmt: str, partner: Partner | None) -> HttpResponse:
    assert partner is not None
    item = selectors.token_item(partner, token_id)
    if item is None:
        raise ApiError(404, f"token 不存在：{token_id}")
    found = selectors.request_status(partner, item)
    row = {"service_request_id": found.service_request_id if found else None, "token": item.external_id}
    return respond(fmt, "service_requests", "request", [row])


@api(methods=("GET",), authenticated=True)
def updates(request: HttpRequest, *, fmt: str, partner: Partner | None) -> HttpResponse:
    """FixMyStreet's `servicerequestupdates`: each change of state of the partner's requests in the window."""
    assert partner is not None
    start, end = _time(request, "start_date"), _time(request, "end_date")
    start = start or timezone.now() - DEFAULT_WINDOW
    rows = [
        update
        for found in selectors.find_requests(partner, limit=MAX_RESULTS)
        for update in selectors.updates_for(found, start, end)
    ]
    rows.sort(key=lambda r: (r["updated_datetime"], r["update_id"]))
    return respond(fmt, "service_request_updates", "request_update", rows[:MAX_RESULTS])


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})


def guide(request: HttpRequest) -> HttpResponse:
    """The API explained to partners, in Chinese."""
    example = next(iter(catalogue().values()))
    context = {"example": example, "limit_default": 600, "window_days": DEFAULT_WINDOW.days}
    return render(request, "open311/guide.html", context)
