"""A small hand-built world, driven through the engine with a moving clock (time-machine).

Five petitions, all registered directly at 甲县住房和城乡建设局 (channel 来访, region 990102):

- A: registered Mon 2026-03-02, notice served 03-05, accepted 03-05, opinion issued 04-20 (on time), served
  04-22, result rated 满意 04-25, review requested 04-28, review decided 05-20 *changing* the opinion.
- B: registered 03-02, notice 03-05, accepted 03-05, never concluded: late once May 6 has passed.
- C: registered 03-02, notice 03-05, accepted 03-05, extended by 30 days on 04-20, opinion 06-02 (inside the
  extension: on time), served 06-03.
- D: registered 03-02, notice served 03-20 (after its last day 03-17: late), accepted 03-05, opinion 05-08
  (after May 6: late), served 05-10, result rated 不满意 05-12, 回访 recorded 05-14.
- E: registered 05-15 as a repeat of A's matter (重复信访).

The handling period: 60 days from acceptance on 03-05 end on May 4, inside the Labour Day holiday (May 1–5):
legal last day May 6 (Art. 34; the same dates as tests/lifecycle/test_scenarios.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import time_machine

from tests.factories import City, at, build_city, register
from tests.lifecycle.legal_world import notice
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case
from xinfang.org.models import Role
from xinfang.portal.models import FollowUp
from xinfang.portal.services import rate, record_follow_up


@contextmanager
def on(day: str, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(at(day, hour), tick=False):
        yield


def act(case: Case, name: str, who: object, day: str, **payload: object) -> Case:
    with on(day):
        return perform(case, name, who, payload)  # type: ignore[arg-type]


@dataclass
class World:
    city: City
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case


OPINION = {
    "outcome": "not_upheld",
    "facts": "补偿款已足额支付",
    "reasons": "所述欠款不存在",
    "legal_basis": "协议第五条",
}


def build() -> World:
    city = build_city()
    org = city.county_housing
    reg, tri = city.who(org, Role.REGISTRAR), city.who(org, Role.TRIAGE_OFFICER)
    han, approver = city.who(org, Role.HANDLER), city.who(org, Role.APPROVER)
    cases = []
    for name in "ABCD":
        case = register(city, org, when="2026-03-02", name=f"{name}某某")
        act(case, "triage", tri, "2026-03-03", category="grievance")
        notice_day = "2026-03-20" if name == "D" else "2026-03-05"
        act(
            case,
            "record_notice",
            reg,
            notice_day,
            served_on=notice_day,
            method="当面",
            **notice(case, "receipt_notice"),
        )
        case = act(case, "accept", tri, "2026-03-05")
        case = act(case, "investigate", han, "2026-03-06")
        cases.append(case)
    a, b, c, d = cases

    a = act(a, "issue_opinion", han, "2026-04-20", **OPINION)
    a = act(
        a, "serve_opinion", han, "2026-04-22", served_on="2026-04-22", method="当面", **notice(a, "handling_opinion")
    )
    with on("2026-04-25"):
        rate(a, "result", "satisfied", opened_at=at("2026-04-22"))
    gov = city.county_gov
    a = act(a, "request_review", city.who(gov, Role.REGISTRAR), "2026-04-28", received_on="2026-04-28")
    a = act(
        a,
        "decide_review",
        city.who(gov, Role.HANDLER),
        "2026-05-20",
        decision="撤销原处理意见，责令重新办理",
        changed="是",
        served_on="2026-05-20",
        **notice(a, "review_opinion"),
    )

    c = act(c, "extend", approver, "2026-04-20", reason="需补充测绘", days=30, **notice(c, "extension_notice"))
    d = act(d, "issue_opinion", han, "2026-05-08", **OPINION)
    d = act(
        d, "serve_opinion", han, "2026-05-10", served_on="2026-05-10", method="邮寄", **notice(d, "handling_opinion")
    )
    with on("2026-05-12"):
        rate(d, "result", "unsatisfied", reason="补偿款没有到账", opened_at=at("2026-05-10"))
    with on("2026-05-14"):
        record_follow_up(FollowUp.objects.get(rating__case=d), han, outcome="explained", note="电话回访，已解释")
    e = register(city, org, when="2026-05-15", name="A某某", matter_id=a.matter_id)
    c = act(c, "issue_opinion", han, "2026-06-02", **OPINION)
    c = act(
        c, "serve_opinion", han, "2026-06-03", served_on="2026-06-03", method="当面", **notice(c, "handling_opinion")
    )
    return World(city, a, b, c, d, e)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
