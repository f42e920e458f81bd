"""What the demo's operations share: the text of a story, its petition, and written notices drafted, signed,
issued and served through `documents.services` (`_prepare`, `_deliver`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING

from django.utils import timezone

from xinfang.deadlines.selectors import rulebook
from xinfang.documents import services as documents
from xinfang.documents.models import Document, ServiceMethod
from xinfang.intake.models import Category, Channel
from xinfang.intake.services import AccusedInput, PetitionInput
from xinfang.lifecycle.models import Case
from xinfang.org.models import Organ
from xinfang.org.models import Role as R
from xinfang.rules import period_words

from .content import fill

if TYPE_CHECKING:
    from .director import Director
    from .plan import Story

Op = Callable[["Director", "Story", dt.datetime], Iterator[dt.datetime]]
Drafting = Generator[dt.datetime, None, Document]
SERVICE = {  # how a written answer reaches the petitioner, by the channel the petition came in
    Channel.VISIT: ServiceMethod.IN_PERSON,
    Channel.ONLINE: ServiceMethod.ELECTRONIC,
}
# Not a statutory period: the time limit the demo supervisor sets in a 督办 instruction (Art. 40 sets none;
# the supervising organ chooses it). Documented as an exception in xinfang/rules/README.md.
SUPERVISION_WORKING_DAYS = 5
OPINION_REASONS = {
    "upheld": "信访人反映的问题属实，诉求合理，符合法律政策规定，予以支持。",
    "explained": "信访人反映的情况部分属实，相关做法符合现行法律政策规定，已向信访人解释说明政策依据和办理情况。",
    "not_upheld": "信访人的请求缺乏事实和法律政策依据，不予支持。",
}


def _period(rule_id: str, organ: Organ, t: dt.datetime) -> str:
    return period_words(rule_id, organ.region_code, timezone.localdate(t), book=rulebook())


def _soon(s: Story, t: dt.datetime) -> dt.datetime:
    return t + dt.timedelta(minutes=s.rng.randint(3, 20))


def _case(s: Story) -> Case:
    assert s.case is not None, "no case yet"
    return s.case


def _bureau_case(s: Story) -> Case:
    assert s.bureau_case is not None, "no bureau case"
    return s.bureau_case


def _text(s: Story, value: str) -> str:
    return fill(value, s.text)


def _input(s: Story, *, repeat_of: int | None = None, channel: str = "", note: str = "") -> PetitionInput:
    t, p = s.template, s.person
    request, facts = _text(s, t.request), _text(s, t.facts)
    if repeat_of is not None:
        request = "再次反映：" + request
        facts = f"本人此前已就此事向{s.dept.name}反映，{note}。" + facts
    return PetitionInput(
        channel=channel or s.channel,
        request=request,
        region_code=s.place.code,
        name=p.name,
        id_number=p.id_number,
        address=p.address,
        contact=p.contact,
        facts=facts,
        reasons=_text(s, t.reasons),
        anonymous=s.anonymous,
        collective=s.collective and repeat_of is None,
        headcount=s.headcount if repeat_of is None else None,
        representatives=s.representatives if repeat_of is None else [],
        matter_id=repeat_of,
        summary=_text(s, t.summary),
        # Art. 30(3): the desk asks whether it accuses, so the case is confidential from registration.
        accusation=t.category == Category.ACCUSATION,
        accused=[AccusedInput(organ_id=s.accused.pk)] if s.accused is not None and repeat_of is None else [],
    )


# --- written notices (documents) ---------------------------------------------------------------

POSTAL_SERIES = {"receipt_notice": 1, "referral_notice": 1, "handling_opinion": 2, "review_opinion": 3}


def _day(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%-m月%-d日}"


def _prepare(
    d: Director,
    case: Case,
    kind: str,
    content: dict[str, str],
    t: dt.datetime,
    *,
    defaults: dict[str, str] | None = None,
    role: str = R.HANDLER,
) -> Drafting:
    """Draft from the case, complete it, have the organ's approver sign where the kind requires it, and issue it;
    each step at its own moment. ``defaults`` fill only what the draft left empty."""
    organ = case.acting_organ
    clerk = d.who(organ, role)
    yield t
    document = documents.draft(case, kind, clerk, now=t)
    blank = {key: value for key, value in (defaults or {}).items() if not document.content.get(key)}
    document = documents.update(document, {**blank, **content}, clerk, now=t)
    if documents.kind(kind).version_on(timezone.localdate(t)).approval_required:
        t += dt.timedelta(minutes=40)
        yield t
        document = documents.approve(document, d.who(organ, R.APPROVER), now=t)
    t += dt.timedelta(minutes=15)
    yield t
    return documents.issue(document, clerk, now=t)


def _deliver(d: Director, s: Story, document: Document, method: str, t: dt.datetime, role: str = R.HANDLER) -> Case:
    """Record the service, served on the day of ``t``; serving moves the case on (Art. 23, 35, 36)."""
    served_on = timezone.localdate(t)
    tracking = ""
    if method == ServiceMethod.POST:  # a fictional 13-digit EMS number, the same on every run
        tracking = f"1{POSTAL_SERIES.get(document.kind, 9)}{served_on:%y%m%d}{s.index:05d}"
    clerk = d.who(document.organ, role)
    documents.serve(document, clerk, method=method, served_on=served_on, tracking_number=tracking, now=t)
    return d.reload(document.case)
