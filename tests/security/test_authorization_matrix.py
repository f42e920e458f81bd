"""Item 7 of issue 12: every URL of the project × every role × an organ in scope and one out of scope.

The URL list comes from the URL conf; the expected answer of each URL is stated by hand in ``RULES`` below, one
row per route name. A route without a row fails ``test_every_url_has_a_rule``, so a new view cannot be added
without saying who may open it.

The case sits at 甲县住房和城乡建设局 (in scope). The out-of-scope organ is 乙县住房和城乡建设局, a department of
another county: it may not learn that the case exists (404, never 403, so existence is not revealed).
Anonymous visitors, each staff role at both organs, and a superuser without a staff record are asked.
Write views (POST) are asked with an empty form: the matrix is about who reaches the view, not what it does.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import at, build_city, register, staff
from tests.portal.helpers import accept, serve_opinion
from xinfang.intake.services import UploadInput
from xinfang.org.models import Role
from xinfang.supervision import services as supervision

pytestmark = pytest.mark.django_db

# The answers.
OK = "200"
LOGIN = "login"  # 302 to the staff login (the admin's own login also sends there)
NO_STAFF = "403 no staff record"
FORBIDDEN = "403"
HIDDEN = "404"
BAD = "400"
NOT_ALLOWED = "405"
TO_TRACK = "302 to the tracking form"
TO_CASE = "302 to the case page"
TO_DOCUMENT = "302 to the document page"
HOME = "302 to the portal's home"
TO_LAWYERS = "302 to /work/mediation/lawyers/"
ADMIN_DENIED = "302 away from the admin"  # to the login, or to the admin index (logout)
ADMIN_OK = "admin answers"  # a superuser reaches the admin page (200, or 302/403/405 from the admin itself)
REACHED = "reached the view"  # a write view asked with an empty form: anything but login/403/404/5xx

ROLES = [r.value for r in Role]
ANALYSTS = {Role.ANALYST, Role.LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR}  # 统计分析: analysts and those above
IMPORTERS = {Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.ADMINISTRATOR}  # who enters petitions
REGISTRARS = {Role.REGISTRAR, Role.TRIAGE_OFFICER}
WATCHERS = {Role.SUPERVISOR, Role.ANALYST, Role.LEADER}  # 预警: who watches for trends and overdue work
LEADER_PAGES = {Role.LEADER, Role.SUPERVISOR, Role.ANALYST}  # 领导包案、接访、联席会议: leaders and their staff


@dataclass(frozen=True)
class Row:
    """The answer per actor. ``inside``/``outside`` give one answer for every role, or per role with a default."""

    url: str  # the URL asked, with {case}, {document}, {attachment}, {number} filled in
    anonymous: str
    superuser: str
    inside: str | dict[str, str]
    outside: str | dict[str, str]
    method: str = "get"
    default: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def by_role(allowed: set[Role], yes: str, no: str) -> dict[str, str]:
    return {role: (yes if role in allowed else no) for role in ROLES}


PUBLIC: dict[str, Any] = dict(anonymous=OK, superuser=OK, inside=OK, outside=OK)
STAFF_PAGE: dict[str, Any] = dict(anonymous=LOGIN, superuser=NO_STAFF, inside=OK, outside=OK)
CASE_PAGE: dict[str, Any] = dict(anonymous=LOGIN, superuser=NO_STAFF, inside=OK, outside=HIDDEN)
TRACKED_ONLY: dict[str, Any] = dict(anonymous=TO_TRACK, superuser=TO_TRACK, inside=TO_TRACK, outside=TO_TRACK)
API_KEY_ONLY: dict[str, Any] = dict(anonymous=FORBIDDEN, superuser=FORBIDDEN, inside=FORBIDDEN, outside=FORBIDDEN)
ADMIN: dict[str, Any] = dict(anonymous=ADMIN_DENIED, superuser=ADMIN_OK, inside=ADMIN_DENIED, outside=ADMIN_DENIED)

RULES: dict[str, Row] = {
    # Public portal and rules (Art. 18(1): published to everyone).
    "index": Row("/", **PUBLIC),
    "deadlines:calculator": Row("/rules/", **PUBLIC),
    "portal:roadmap": Row("/public/roadmap/", **PUBLIC),
    "portal:submit": Row("/public/submit/", **PUBLIC),
    "portal:track": Row("/public/track/", **PUBLIC),
    # Probes: JSON without personal data, for the reverse proxy and the process supervisor.
    "ops:healthz": Row("/healthz", **PUBLIC),
    "ops:readyz": Row("/readyz", **PUBLIC),
    "portal:verify": Row("/public/verify/", **PUBLIC),  # answers nothing without the number and query code
    "portal:organs": Row("/public/organs/", **PUBLIC),
    "portal:help": Row("/public/help/", **PUBLIC),
    "portal:hearings": Row("/public/hearings/", **PUBLIC),
    "portal:elder": Row("/public/elder/", anonymous=HOME, superuser=HOME, inside=HOME, outside=HOME),
    # The petitioner's pages open only with the number and query code, never with a staff login.
    "portal:receipt": Row("/public/receipt/", **TRACKED_ONLY),
    "portal:progress": Row("/public/track/{number}/", **TRACKED_ONLY),
    "portal:rate": Row("/public/track/{number}/rate/", method="post", **TRACKED_ONLY),
    "portal:request": Row("/public/track/{number}/request/", method="post", **TRACKED_ONLY),
    "portal:document": Row("/public/track/{number}/documents/{document}/", **TRACKED_ONLY),
    # Login and the second factor.
    "workspace:login": Row("/work/login/", **PUBLIC),
    "workspace:logout": Row(
        "/work/logout/", anonymous=NOT_ALLOWED, superuser=NOT_ALLOWED, inside=NOT_ALLOWED, outside=NOT_ALLOWED
    ),
    "accounts:verify": Row("/work/account/verify/", anonymous=LOGIN, superuser=LOGIN, inside=LOGIN, outside=LOGIN),
    "accounts:enrol": Row("/work/account/two-factor/", **STAFF_PAGE),
    # Staff pages that list only what the user may read.
    "workspace:home": Row("/work/", **STAFF_PAGE),
    "workspace:cases": Row("/work/cases/", **STAFF_PAGE),
    "workspace:cases_export": Row("/work/cases/export.xlsx", **STAFF_PAGE),
    # A person's own saved filters; another's (here: none) is never found. Bulk needs a known action.
    "workspace:filter_save": Row(
        "/work/cases/filters/", method="post", **{**STAFF_PAGE, "inside": REACHED, "outside": REACHED}
    ),
    "workspace:filter_delete": Row(
        "/work/cases/filters/999999/delete/", method="post", **{**STAFF_PAGE, "inside": HIDDEN, "outside": HIDDEN}
    ),
    "workspace:bulk": Row("/work/cases/bulk/", method="post", **{**STAFF_PAGE, "inside": HIDDEN, "outside": HIDDEN}),
    "workspace:hints": Row("/work/hints/?name=王某某", **STAFF_PAGE),
    "workspace:follow_ups": Row("/work/follow-ups/", **STAFF_PAGE),
    "workspace:roadmap": Row("/work/roadmap/", **STAFF_PAGE),
    "workspace:register": Row(
        "/work/register/visit/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(REGISTRARS, OK, FORBIDDEN),
        outside=by_role(REGISTRARS, OK, FORBIDDEN),
    ),
    # One case: its organ's staff read it; another county's department cannot learn it exists.
    "workspace:case": Row("/work/cases/{case}/", **CASE_PAGE),
    "workspace:attachment": Row("/work/attachments/{attachment}/", **CASE_PAGE),
    "workspace:act": Row("/work/cases/{case}/act/triage/", method="post", **{**CASE_PAGE, "inside": REACHED}),
    "documents:detail": Row("/work/documents/{document}/", **CASE_PAGE),
    "documents:download": Row("/work/documents/{document}/pdf/", **CASE_PAGE),
    "documents:draft": Row("/work/cases/{case}/documents/new/", method="post", **{**CASE_PAGE, "inside": TO_CASE}),
    "documents:serve": Row("/work/documents/{document}/serve/", method="post", **{**CASE_PAGE, "inside": REACHED}),
    # The desk's receipt with a query code: registrars of an organ that reads the case.
    "workspace:receipt": Row(
        "/work/cases/{case}/receipt/",
        method="post",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(REGISTRARS, REACHED, FORBIDDEN),
        outside=HIDDEN,
    ),
    # Correcting a registration: the registering organ's registrars and triage officers.
    "workspace:correct": Row(
        "/work/cases/{case}/correct/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(REGISTRARS, OK, FORBIDDEN),
        outside=HIDDEN,
    ),
    # Print views: the case for those who read it; a routing slip only for a case sent on (this one was not).
    "workspace:case_print": Row("/work/cases/{case}/print/", **CASE_PAGE),
    "workspace:routing_slip": Row("/work/cases/{case}/slip/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    # Triage suggestions for a case the user may read.
    "triage:suggest": Row("/work/triage/suggest/{case}/", method="post", **{**CASE_PAGE, "inside": REACHED}),
    # The side-by-side view of a case and a possible repeat; linking it to that matter is a registrar's or a
    # triage officer's decision. Both cases must be readable (here the case with itself).
    "triage:compare": Row("/work/triage/compare/{case}/{case}/", **CASE_PAGE),
    "triage:link": Row(
        "/work/triage/link/{case}/{case}/",
        method="post",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(REGISTRARS, REACHED, FORBIDDEN),
        outside=HIDDEN,
    ),
    # Early warning (预警): supervisors, analysts and leaders; an alert of another organ (here: none) is not found.
    "warning:board": Row(
        "/work/warning/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(WATCHERS, OK, FORBIDDEN),
        outside=by_role(WATCHERS, OK, FORBIDDEN),
    ),
    "warning:detail": Row(
        "/work/warning/999999/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(WATCHERS, HIDDEN, FORBIDDEN),
        outside=by_role(WATCHERS, HIDDEN, FORBIDDEN),
    ),
    "warning:conclude": Row("/work/warning/999999/conclude/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    # Leaders at work (issue 17): leader cases, receptions, field visits, the joint conference. A record of
    # another organ (here: none) is not found; a case another county's staff cannot read is not found.
    "leaders:mine": Row(
        "/work/leaders/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES, OK, FORBIDDEN),
        outside=by_role(LEADER_PAGES, OK, FORBIDDEN),
    ),
    "leaders:organ": Row(
        "/work/leaders/organ/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES, OK, FORBIDDEN),
        outside=by_role(LEADER_PAGES, OK, FORBIDDEN),
    ),
    "leaders:take": Row(
        "/work/leaders/take/{case}/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role({Role.LEADER}, OK, FORBIDDEN),
        outside=by_role({Role.LEADER}, HIDDEN, FORBIDDEN),
    ),
    "leaders:detail": Row(
        "/work/leaders/cases/999999/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES, HIDDEN, FORBIDDEN),
        outside=by_role(LEADER_PAGES, HIDDEN, FORBIDDEN),
    ),
    "leaders:progress": Row("/work/leaders/cases/999999/progress/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:close": Row("/work/leaders/cases/999999/close/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    # 约访 from a case: whoever may read the case books it (an empty form goes back to the case page).
    "leaders:book": Row("/work/leaders/book/{case}/", method="post", **{**CASE_PAGE, "inside": TO_CASE}),
    "leaders:appointment": Row("/work/leaders/appointments/999999/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:receptions": Row(
        "/work/leaders/receptions/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES | {Role.REGISTRAR}, OK, FORBIDDEN),
        outside=by_role(LEADER_PAGES | {Role.REGISTRAR}, OK, FORBIDDEN),
    ),
    "leaders:reception": Row("/work/leaders/receptions/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:visits": Row(
        "/work/leaders/visits/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES, OK, FORBIDDEN),
        outside=by_role(LEADER_PAGES, OK, FORBIDDEN),
    ),
    # Every organ's staff see the decisions assigned to their organ.
    "leaders:conferences": Row("/work/leaders/conferences/", **STAFF_PAGE),
    "leaders:conference": Row("/work/leaders/conferences/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:agenda": Row("/work/leaders/conferences/999999/agenda/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:decide": Row(
        "/work/leaders/conferences/999999/decisions/", method="post", **{**CASE_PAGE, "inside": HIDDEN}
    ),
    "leaders:done": Row("/work/leaders/decisions/999999/done/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "leaders:reports": Row(
        "/work/leaders/reports/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(LEADER_PAGES, OK, FORBIDDEN),
        outside=by_role(LEADER_PAGES, OK, FORBIDDEN),
    ),
    "leaders:report": Row("/work/leaders/reports/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    # Supervision (督办, 三项建议): lists scoped to the viewer; the forms only for a petition bureau's supervisors
    # (both organs here are departments); an order or a recommendation for the organ it is addressed to.
    "supervision:orders": Row("/work/supervision/", **STAFF_PAGE),
    "supervision:new": Row(
        "/work/supervision/new/", anonymous=LOGIN, superuser=NO_STAFF, inside=FORBIDDEN, outside=FORBIDDEN
    ),
    "supervision:order": Row("/work/supervision/{order}/", **CASE_PAGE),
    "supervision:order_act": Row("/work/supervision/{order}/act/", method="post", **{**CASE_PAGE, "inside": REACHED}),
    "supervision:recommendations": Row("/work/supervision/recommendations/", **STAFF_PAGE),
    "supervision:new_recommendation": Row(
        "/work/supervision/recommendations/new/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=FORBIDDEN,
        outside=FORBIDDEN,
    ),
    "supervision:recommendation": Row("/work/supervision/recommendations/{recommendation}/", **CASE_PAGE),
    "supervision:recommendation_act": Row(
        "/work/supervision/recommendations/{recommendation}/act/", method="post", **{**CASE_PAGE, "inside": REACHED}
    ),
    "supervision:reviews": Row("/work/supervision/reviews/", **STAFF_PAGE),
    "supervision:new_review": Row(
        "/work/supervision/reviews/new/",
        method="post",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=FORBIDDEN,
        outside=FORBIDDEN,
    ),
    "supervision:review": Row("/work/supervision/reviews/{review}/", **CASE_PAGE),
    # Higher-level assignments: recorded by those who register or supervise, for a case they may read.
    "supervision:assignments": Row("/work/supervision/assignments/", **STAFF_PAGE),
    "supervision:new_assignment": Row(
        "/work/supervision/assignments/new/?case={case}",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role({*REGISTRARS, Role.SUPERVISOR}, OK, FORBIDDEN),
        outside=by_role({*REGISTRARS, Role.SUPERVISOR}, HIDDEN, FORBIDDEN),
    ),
    "supervision:assignment": Row("/work/supervision/assignments/{assignment}/", **CASE_PAGE),
    "supervision:campaigns": Row("/work/supervision/campaigns/", **STAFF_PAGE),
    "supervision:campaign": Row("/work/supervision/campaigns/{campaign}/", **CASE_PAGE),
    "supervision:recommendation_pdf": Row("/work/supervision/recommendations/{recommendation}/pdf/", **CASE_PAGE),
    # 访调对接: the list and counts cover only readable cases; referring needs the case (its organ's readers reach
    # the view, which refuses an empty form back to the case page); another organ's (here: no) referral is not found.
    "mediation:index": Row("/work/mediation/", **STAFF_PAGE),
    "mediation:refer": Row("/work/mediation/cases/{case}/refer/", method="post", **{**CASE_PAGE, "inside": TO_CASE}),
    "mediation:detail": Row("/work/mediation/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    "mediation:session": Row("/work/mediation/999999/sessions/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "mediation:agreement": Row("/work/mediation/999999/agreement/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "mediation:end": Row("/work/mediation/999999/end/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "mediation:confirmation": Row(
        "/work/mediation/999999/confirmation/", method="post", **{**CASE_PAGE, "inside": HIDDEN}
    ),
    # Lawyers on duty: the rota and log of the user's own scope; recording needs a lawyer on duty at the user's
    # organ (an empty form goes back to the page); an opinion is attached to a case the user may read.
    "mediation:lawyers": Row("/work/mediation/lawyers/", **STAFF_PAGE),
    "mediation:consultation": Row(
        "/work/mediation/lawyers/consultations/",
        method="post",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=TO_LAWYERS,
        outside=TO_LAWYERS,
    ),
    "mediation:opinion": Row(
        "/work/mediation/cases/{case}/opinion/", method="post", **{**CASE_PAGE, "inside": TO_CASE}
    ),
    # Petition agents (信访代办): only agents (here: none) reach their pages.
    "agents:index": Row("/work/agents/", anonymous=LOGIN, superuser=NO_STAFF, inside=FORBIDDEN, outside=FORBIDDEN),
    "agents:register": Row(
        "/work/agents/register/", anonymous=LOGIN, superuser=NO_STAFF, inside=FORBIDDEN, outside=FORBIDDEN
    ),
    # Grid management: the list shows only the user's posts and subtree; reporting is for grid workers (here:
    # none, so 403); another area's (here: no) report is not found.
    "grid:index": Row("/work/grid/", **STAFF_PAGE),
    "grid:report": Row("/work/grid/report/", anonymous=LOGIN, superuser=NO_STAFF, inside=FORBIDDEN, outside=FORBIDDEN),
    "grid:detail": Row("/work/grid/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    "grid:conclude": Row("/work/grid/999999/conclude/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "grid:petition": Row("/work/grid/999999/petition/", **{**CASE_PAGE, "inside": HIDDEN}),
    "warning:issue": Row("/work/warning/999999/issue/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "warning:export": Row(
        "/work/warning/export.xlsx",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(WATCHERS, OK, FORBIDDEN),
        outside=by_role(WATCHERS, OK, FORBIDDEN),
    ),
    # 预警提示函 received: every staff member sees those addressed to their own organ (here: none).
    "warning:notices": Row("/work/warning/notices/", **STAFF_PAGE),
    "warning:reply": Row("/work/warning/notices/999999/reply/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    # Statistics: analysts and those they report to; figures only for the viewer's own subtree.
    "analytics:index": Row(
        "/work/statistics/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, OK, FORBIDDEN),
        outside=by_role(ANALYSTS, OK, FORBIDDEN),
    ),
    "analytics:export": Row(
        "/work/statistics/export.xlsx",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, OK, FORBIDDEN),
        outside=by_role(ANALYSTS, OK, FORBIDDEN),
    ),
    "analytics:cases": Row(
        "/work/statistics/no_such_indicator/numerator/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
        outside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
    ),
    # 月报 / 季报: analysts request them; a report of another subtree does not exist for the viewer (404).
    "analytics:reports": Row(
        "/work/statistics/reports/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, OK, FORBIDDEN),
        outside=by_role(ANALYSTS, OK, FORBIDDEN),
    ),
    "analytics:report": Row(
        "/work/statistics/reports/999999/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
        outside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
    ),
    "analytics:report_progress": Row(
        "/work/statistics/reports/999999/progress/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
        outside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
    ),
    "analytics:report_file": Row(
        "/work/statistics/reports/999999/report.pdf",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
        outside=by_role(ANALYSTS, HIDDEN, FORBIDDEN),
    ),
    # Imports of petitions from other systems: those who register petitions; verification by triage officers.
    "imports:index": Row(
        "/work/imports/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role(IMPORTERS, OK, HIDDEN),
        outside=by_role(IMPORTERS, OK, HIDDEN),
    ),
    "imports:queue": Row(
        "/work/imports/queue/",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role({Role.TRIAGE_OFFICER}, OK, HIDDEN),
        outside=by_role({Role.TRIAGE_OFFICER}, OK, HIDDEN),
    ),
    # Another organ's (here: no) batch or item is never found.
    "imports:upload": Row("/work/imports/sources/999999/upload/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "imports:queue_export": Row(
        "/work/imports/queue.xlsx",
        anonymous=LOGIN,
        superuser=NO_STAFF,
        inside=by_role({Role.TRIAGE_OFFICER}, OK, HIDDEN),
        outside=by_role({Role.TRIAGE_OFFICER}, OK, HIDDEN),
    ),
    "imports:batch_report": Row("/work/imports/batches/999999/report.xlsx", **{**CASE_PAGE, "inside": HIDDEN}),
    "imports:batch": Row("/work/imports/batches/999999/", **{**CASE_PAGE, "inside": HIDDEN}),
    "imports:progress": Row("/work/imports/batches/999999/progress/", **{**CASE_PAGE, "inside": HIDDEN}),
    "imports:verify": Row("/work/imports/items/999999/verify/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    "imports:refuse": Row("/work/imports/items/999999/refuse/", method="post", **{**CASE_PAGE, "inside": HIDDEN}),
    # Open311: the service list is public; everything else needs a partner's api_key, never a session.
    "open311:services": Row("/open311/v2/services.json", **PUBLIC),
    "open311:guide": Row("/open311/v2/", **PUBLIC),
    "open311:openapi": Row("/open311/v2/openapi.json", **PUBLIC),
    "open311:discovery": Row("/open311/v2/discovery.json", **PUBLIC),
    "open311:service": Row(
        "/open311/v2/services/no-such-service.json", anonymous=HIDDEN, superuser=HIDDEN, inside=HIDDEN, outside=HIDDEN
    ),
    "open311:requests": Row("/open311/v2/requests.json", **API_KEY_ONLY),
    "open311:request": Row("/open311/v2/requests/{number}.json", **API_KEY_ONLY),
    "open311:token": Row("/open311/v2/tokens/x.json", **API_KEY_ONLY),
    "open311:updates": Row("/open311/v2/servicerequestupdates.json", **API_KEY_ONLY),
}
# The admin: superusers only (their login goes through the staff login and its second factor). Every admin
# route is one rule; the URL is made from the route with "1" in its parameters.
ADMIN_RULE = Row("", **ADMIN)
ADMIN_LOGIN = Row("", anonymous=LOGIN, superuser=LOGIN, inside=LOGIN, outside=LOGIN)  # no door of its own


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or f"<unnamed {prefix}{entry.pattern}>")


def every_route() -> list[tuple[str, str]]:
    return list(_routes(get_resolver()))


def admin_url(route: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<app_label>[^)]*\)\)?", "org", route)
    route = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", route)
    return "/" + re.sub(r"<[^>]+>", "1", route)


def test_every_url_has_a_rule() -> None:
    missing = [
        f"{route} ({name})" for route, name in every_route() if not route.startswith("admin/") and name not in RULES
    ]
    assert missing == [], "a view without a rule in RULES: say who may open it"
    stale = set(RULES) - {name for _, name in every_route()}
    assert stale == set(), "a rule for a route that no longer exists"


@pytest.fixture
def world() -> dict[str, Any]:
    from PIL import Image

    city = build_city()
    pdf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(pdf, format="PDF")
    with time_machine.travel(at("2026-03-02"), tick=False):
        case = register(
            city, city.county_housing, region_code="990102", attachments=[UploadInput("收据.pdf", pdf.getvalue())]
        )
    with time_machine.travel(at("2026-03-05"), tick=False):
        case = accept(city, case)
    with time_machine.travel(at("2026-04-10"), tick=False):
        document = serve_opinion(city, case, at("2026-04-10").date())
    with time_machine.travel(at("2026-04-13"), tick=False):
        supervisor = staff(city.county_bureau, Role.SUPERVISOR)
        [order] = supervision.open_orders([case], supervisor, reason="overdue", requirement="请书面答复办理情况")
        recommendation = supervision.draft_recommendation(
            supervisor,
            kind="improve",
            addressee=city.county_housing,
            cases=[case],
            problem="处理意见书未写明事实和理由",
            suggestion="规范处理意见书",
        )
        supervision.issue_recommendation(recommendation, supervisor)
        [review] = supervision.open_reviews([case], supervisor, batch="规范性评查")
        assignment = supervision.record_assignment(
            case,
            supervisor,
            level="provincial",
            reference="省交〔2026〕1号",
            requirement="",
            report_due=at("2026-05-13").date(),
        )
        campaign = supervision.create_campaign(
            supervisor, name="积案化解", target="全部化解", ends_on=at("2026-12-31").date(), entries=[(case, "李局长")]
        )
    actors: dict[str, Any] = {"anonymous": None}
    actors["superuser"] = get_user_model().objects.create_superuser("root", password="x")
    for role in ROLES:
        actors[f"inside:{role}"] = staff(city.county_housing, role).user
        actors[f"outside:{role}"] = staff(city.other_county_housing, role).user
    values = {
        "case": case.pk,
        "document": document.pk,
        "attachment": case.petition.attachments.get().pk,
        "number": case.petition.number,
        "order": order.pk,
        "recommendation": recommendation.pk,
        "review": review.pk,
        "assignment": assignment.pk,
        "campaign": campaign.pk,
    }
    return {"actors": actors, "values": values}


def expected(row: Row, actor: str) -> str:
    if actor in ("anonymous", "superuser"):
        return str(getattr(row, actor))
    side, role = actor.split(":")
    answer = getattr(row, side)
    return answer if isinstance(answer, str) else answer.get(role, row.default)


def answer_of(response: Any, want: str) -> str:
    """The observed answer, in the table's words (``want`` decides only between overlapping words)."""
    status, location = response.status_code, response.get("Location", "")
    if status == 302 and "/login/" in location:
        return ADMIN_DENIED if want == ADMIN_DENIED else LOGIN
    if want == ADMIN_DENIED and status == 302 and location.startswith("/admin/"):
        return ADMIN_DENIED
    if want == ADMIN_OK and status < 500:
        return ADMIN_OK
    if want == REACHED and status < 500 and status not in (403, 404):
        return REACHED
    if status == 403:
        return NO_STAFF if "no_staff" in _templates(response) else FORBIDDEN
    if status == 302:
        if location.startswith("/public/track/") and location.rstrip("/").count("/") == 2:
            return TO_TRACK
        if re.fullmatch(r"/work/cases/\d+/", location):
            return TO_CASE
        if re.fullmatch(r"/work/documents/\d+/", location):
            return TO_DOCUMENT
        if location == "/":
            return HOME
        return f"302 to {location}"
    return {200: OK, 400: BAD, 404: HIDDEN, 405: NOT_ALLOWED}.get(status, str(status))


def _templates(response: Any) -> str:
    return " ".join(t.name or "" for t in getattr(response, "templates", []) or [])


ACTORS = ["anonymous", "superuser"] + [f"{side}:{role}" for side in ("inside", "outside") for role in ROLES]


@pytest.mark.parametrize("actor", ACTORS)
def test_every_url_answers_each_actor_as_the_table_says(world: dict[str, Any], actor: str) -> None:
    client = Client(REMOTE_ADDR="192.0.2.50")
    user = world["actors"][actor]
    if user is not None:
        client.force_login(user)
    wrong = []
    asked = 0
    for route, name in every_route():
        if route.startswith("admin/"):
            row, url = (ADMIN_LOGIN if name == "admin:login" else ADMIN_RULE), admin_url(route)
        else:
            row = RULES[name]
            url = row.url.format(**world["values"])
        want = expected(row, actor)
        response = getattr(client, row.method)(url, **row.extra)
        got = answer_of(response, want)
        asked += 1
        if got != want:
            wrong.append(f"{name} {row.method.upper()} {url}: expected {want}, got {got}")
    assert asked == len(every_route())
    assert wrong == []
