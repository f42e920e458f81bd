"""Two years of petitions, simulated in memory along the real transition table, then written in bulk.

Each petition's story is played through `History.apply`, a mirror of `lifecycle.engine._apply` that
reads the same `table.TABLE` rows: the same sources and targets, the same clocks started and stopped,
the same effects. Deadlines come from the real rules (`rules.effective_deadline` with the rule book
and stored calendar that `deadlines.selectors.deadline` uses), memoised per rule and start day. A
story stops at the first step that would fall on "today" or later, so recent petitions stay in
realistic non-terminal states.

Earlier daily deadline scans (01:00 each day) are replayed too: duties still running the day after
their legal last day were marked overdue (`mark_overdue`), organ windows lapsed (`window_lapsed`),
reminders 3 and 1 days before `due` were queued, and petitioner windows were closed 8 days after
their legal last day. What today's scan would do is left undone: duties whose legal last day was
yesterday, reminders for today, windows whose grace ended yesterday.

Events are emitted in time order, day by day, into one SM3 chain (`hashed_fields` + `event_hash`);
a petition's rows are written once all its events have their sequence numbers.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import gc
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from xinfang.audit.chain import event_hash
from xinfang.audit.models import GENESIS, ChainHead
from xinfang.audit.services import hashed_fields
from xinfang.crypto.fields import active_keyring
from xinfang.deadlines.selectors import rulebook, work_calendar
from xinfang.intake import repeat_keys
from xinfang.intake.digest import petition_digest
from xinfang.intake.models import Category, Channel, Petition, PetitionNumber
from xinfang.lifecycle.scan import WINDOW_BASIS, overdue_basis
from xinfang.lifecycle.states import DivertTarget, Outcome, State, Via
from xinfang.lifecycle.table import BY_NAME, RESUME, SAME, Start, Transition
from xinfang.org.models import OrganKind, Role
from xinfang.portal.models import Aspect, FollowUpOutcome, Level
from xinfang.rules import Nature, effective_deadline

from .city import Actor, City, Government, Node
from .sink import Formats, Sink

# Personal data is written as the model writes it: SM4 ciphertext and the HMAC-SM3 blind indexes.
PETITION_FIELDS = {f.name: f for f in Petition._meta.concrete_fields}
SEALED = ("id_number", "address", "contact")

CST = ZoneInfo(settings.TIME_ZONE)
FOLLOW_UP_DONE = next(iter(FollowUpOutcome))
RATE_BASIS = "《信访工作条例》第二十一条第二款"
OPEN = ("running", "paused")
DAYS = 730
GRACE = settings.XINFANG_WINDOW_GRACE_DAYS
REMINDER_DAYS = sorted(set(settings.XINFANG_REMINDER_DAYS), reverse=True)
POLITICAL_LEGAL = (OrganKind.COURT, OrganKind.PROCURATORATE, OrganKind.PUBLIC_SECURITY, OrganKind.JUSTICE)

# Where petitions arrive first (share of all petitions).
RECEIVED_AT = {"city_bureau": 0.07, "county_bureau": 0.28, "city_dept": 0.12, "county_dept": 0.35, "township": 0.18}
CHANNELS = {
    Channel.ONLINE: 0.40, Channel.VISIT: 0.30, Channel.LETTER: 0.15, Channel.PHONE: 0.10,
    Channel.FAX: 0.01, Channel.OTHER: 0.04,
}  # fmt: skip
CATEGORIES = {Category.GRIEVANCE: 0.72, Category.ACCUSATION: 0.14, Category.SUGGESTION: 0.14}
OUTCOMES = {Outcome.UPHELD: 0.25, Outcome.EXPLAINED: 0.45, Outcome.NOT_UPHELD: 0.30}

# Satisfaction ratings of the result (Art. 21(2)): share of served opinions rated online, and the levels.
RATED = 0.4
LEVELS = {Level.SATISFIED: 0.6, Level.BASICALLY: 0.25, Level.UNSATISFIED: 0.15}
FOLLOWED_UP = 0.7  # unsatisfied ratings whose 回访 is recorded
CHANGED_REVIEWS = 1 / 3  # review opinions that 撤销或者变更 the original opinion
# Places named in petitions (Zipf-like), so that the early-warning task finds topics as in real texts.
PLACE_STEMS = "幸福和平光明东风红星向阳新华建设人民胜利团结解放育才金桥翠湖锦绣枫林桂园"
PLACE_KINDS = ("小区", "花园", "新城", "村", "学校", "公司")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰春梅海燕德胜金凤"
STORIES = {
    Category.GRIEVANCE: [
        ("请求补发拖欠的房屋征收补偿款", "房屋于前年被征收，补偿款至今未付清", "征收补偿协议约定一年内付清"),
        ("请求支付拖欠的工资", "在某建筑工地务工八个月，工资未结清", "劳动合同约定按月支付工资"),
        ("请求解决小区停车位产权纠纷", "开发商将人防车位出售给业主", "人防工程不得出售"),
        ("请求依法落实养老保险待遇", "缴费满十五年，退休后待遇未核定", "社会保险法规定按月领取基本养老金"),
        ("请求调整土地承包经营权", "村组重新分地时本户未分到承包地", "农村土地承包法规定承包期内不得收回"),
        ("请求查处噪音扰民", "小区旁工地夜间施工至凌晨", "环境噪声污染防治法禁止夜间施工"),
        ("请求解决子女入学问题", "户籍在学区内，但学校以学位已满拒收", "义务教育法规定就近免试入学"),
        ("请求办理不动产权证书", "购房已满五年，开发商未办理产权登记", "商品房买卖合同约定两年内办证"),
    ],
    Category.ACCUSATION: [
        ("检举村干部侵占集体资金", "村委会账目不公开，集体土地租金去向不明", "村民委员会组织法规定村务公开"),
        ("控告执法人员违规收费", "办理审批时被要求缴纳无依据的费用", "行政许可法规定不得收取费用"),
        ("检举工作人员违规收受礼金", "办事时被暗示需要打点", "违反廉洁纪律"),
    ],
    Category.SUGGESTION: [
        ("建议增设公交线路", "新建小区距最近公交站两公里", "方便群众出行"),
        ("建议完善老旧小区加装电梯政策", "老旧小区老年人多，上下楼困难", "提升居住条件"),
        ("建议加强农村饮水安全管理", "部分村庄自来水水质浑浊", "保障群众饮水安全"),
    ],
}


class Cutoff(Exception):
    """The next step would happen today or later: the story stops here."""


class _NoRows:
    def order_by(self, *fields: str) -> list:
        return []


class SimPetition:
    __slots__ = (
        "accused_organ_id", "address", "anonymous", "cases", "category", "channel", "collective", "contact",
        "created_at", "digest", "facts", "final_at", "headcount", "id", "id_number", "identity_unclear",
        "is_repeat", "matter_id", "name", "number", "oral", "pending", "ratings", "reasons", "received_at",
        "receiving_organ_id", "region_code", "registered_at", "registered_by_id", "request",
    )  # fmt: skip
    representatives = attachments = accused = _NoRows()  # so that intake.digest.petition_digest can read it
    accusation = False  # the generator's petitions answer the accusation question "no" (the sink's default)


class SimCase:
    __slots__ = (
        "accepted_at", "acting_organ", "category", "children", "clocks", "completion_report",
        "confidential_accusation", "divert_target", "execution_monitoring", "extension_used", "id",
        "leader_case", "major_urgent", "organ", "outcome", "overdue", "parent", "petition", "re_review_organ",
        "received_at", "resume_state", "review_organ", "state", "supervised", "updated_at", "version", "via",
    )  # fmt: skip

    def __init__(self, case_id: int, petition: SimPetition, organ: Node, via: str, parent: SimCase | None) -> None:
        self.id, self.petition, self.organ, self.acting_organ = case_id, petition, organ, organ
        self.parent, self.via, self.children, self.clocks = parent, via, [], []
        self.state, self.resume_state = State.RECEIVED, ""
        self.category = parent.category if parent else ""
        self.confidential_accusation = parent.confidential_accusation if parent else False
        self.accepted_at: dt.datetime | None = None
        self.review_organ: Node | None = None
        self.re_review_organ: Node | None = None
        self.outcome = self.divert_target = self.completion_report = ""
        self.overdue = self.supervised = self.execution_monitoring = False
        self.leader_case = self.major_urgent = self.extension_used = False
        self.version = 0

    def clock(self, rule: str) -> SimClock | None:
        return next((c for c in reversed(self.clocks) if c.rule == rule and c.status in OPEN), None)


class SimClock:
    __slots__ = (
        "basis", "case", "days", "due", "id", "last", "organ", "overdue", "party", "provisional", "rule", "start",
        "started", "status", "stopped", "stopped_on",
    )  # fmt: skip


class Ev:
    """An event before it joins the chain; `hashed_fields` reads it like an `audit.Event`."""

    __slots__ = (
        "action", "actor_id", "actor_label", "at", "basis", "case_id", "from_state", "hash", "order", "organ_id",
        "payload", "petition", "petition_digest", "petition_id", "prev_hash", "seq", "to_state",
    )  # fmt: skip


def _weighted(rng: random.Random, options: dict[Any, float]) -> Callable[[], Any]:
    keys, cum = list(options), list(itertools.accumulate(options.values()))
    total = cum[-1]
    return lambda: keys[bisect.bisect_right(cum, rng.random() * total)]


def _resident_id(rng: random.Random, region: str, birth: dt.date) -> str:
    body = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@functools.lru_cache(maxsize=200_000)
def _repeat_keys(summary: str, body: str) -> list[tuple[int, int]]:
    """The stories repeat word for word (a story at a place): their keys are computed once each."""
    return repeat_keys.keys_of(summary, body)


class History:
    def __init__(self, city: City, n: int, today: dt.date, seed: int, sink: Sink, batch: int) -> None:
        self.city, self.n, self.today, self.sink, self.batch = city, n, today, sink, batch
        self.rng = random.Random(seed)
        self.fmt = Formats(sink.vendor)
        self.search_text = sink.has("petition", "search_text")
        self.cutoff = dt.datetime.combine(today, dt.time(0), CST)
        # What deadlines.selectors.deadline uses, fetched once (it re-reads the calendar's version each call).
        self.rulebook, self.calendar = rulebook(), work_calendar()
        self.windows = {r.id for r in self.rulebook.rules.values() if r.nature is Nature.WINDOW}
        self.working: dict[dt.date, bool] = {}
        self.deadlines: dict[tuple, tuple] = {}
        self.ids = {
            name: itertools.count(1)
            for name in ("petition", "case", "clock", "reminder", "order", "rating", "follow_up")
        }
        self.numbers: dict[int, int] = defaultdict(int)
        self.buckets: dict[dt.date, list[Ev]] = defaultdict(list)
        self.current: list[Ev] = []  # the events of the petition being simulated
        self.seq, self.last_hash = 0, GENESIS
        self.generated = 0
        self.states: dict[str, int] = defaultdict(int)
        self.category = _weighted(self.rng, CATEGORIES)
        self.channel = _weighted(self.rng, CHANNELS)
        self.outcome = _weighted(self.rng, OUTCOMES)
        self.level = _weighted(self.rng, LEVELS)
        stems = [a + b for a in PLACE_STEMS[::2] for b in PLACE_STEMS[1::2]]
        self.places = [stem + kind for stem in stems for kind in PLACE_KINDS]
        self.rng.shuffle(self.places)
        self.place_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(self.places))))
        self.receiving = self._receiving_organs()
        self.governments = {g.bureau.id: g for g in [city.city, *city.counties]}
        self.governments.update({g.gov.id: g for g in [city.city, *city.counties]})

    # --- where petitions go -------------------------------------------------------------------------

    def _receiving_organs(self) -> Callable[[], Node]:
        c = self.city
        shares: dict[Node, float] = {}
        county_total = sum(g.gov.weight for g in c.counties)

        def spread(nodes: list[Node], share: float) -> None:
            total = sum(n.weight for n in nodes)
            for node in nodes:
                shares[node] = shares.get(node, 0.0) + share * node.weight / total

        shares[c.city.bureau] = RECEIVED_AT["city_bureau"]
        spread(c.city.departments, RECEIVED_AT["city_dept"])
        for g in c.counties:
            part = g.gov.weight / county_total
            shares[g.bureau] = RECEIVED_AT["county_bureau"] * part
            spread(g.departments, RECEIVED_AT["county_dept"] * part)
            spread(g.townships, RECEIVED_AT["township"] * part)
        return _weighted(self.rng, shares)

    def _pick(self, nodes: list[Node]) -> Node:
        return self.rng.choices(nodes, weights=[n.weight for n in nodes])[0]

    def _transfer_target(self, gov: Government) -> Node:
        rng, functional = self.rng, (OrganKind.FUNCTIONAL,)
        if gov is self.city.city:
            if rng.random() < 0.6:
                return self._pick(gov.of_kind(*functional))
            county = rng.choices(self.city.counties, weights=[g.gov.weight for g in self.city.counties])[0]
            return self._pick(county.of_kind(*functional))
        return self._pick(gov.of_kind(*functional)) if rng.random() < 0.75 else self._pick(gov.townships)

    # --- time -----------------------------------------------------------------------------------------

    def is_working(self, day: dt.date) -> bool:
        known = self.working.get(day)
        if known is None:
            known = self.working[day] = self.calendar.is_working_day(day)
        return known

    def office(self, day: dt.date) -> dt.datetime:
        minute = self.rng.randrange(8 * 60 + 30, 17 * 60 + 30)
        return dt.datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, self.rng.randrange(60),
            self.rng.randrange(1_000_000), tzinfo=CST,
        )  # fmt: skip

    def later(self, base: dt.datetime, days: float) -> dt.datetime:
        """A moment of office hours on the first working day ``days`` after ``base``."""
        day = base.date() + dt.timedelta(days=max(0, int(days)))
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        when = self.office(day)
        if when <= base:
            when = base + dt.timedelta(minutes=self.rng.randint(5, 90), microseconds=self.rng.randrange(1_000_000))
        if when >= self.cutoff:
            raise Cutoff
        return when

    def scan_time(self, day: dt.date, minute: int = 0) -> dt.datetime:
        """The daily deadline scan runs at 01:00."""
        return dt.datetime(day.year, day.month, day.day, 1, minute, self.rng.randrange(60), tzinfo=CST)

    def u(self, a: float, b: float) -> float:
        return self.rng.uniform(a, b)

    # --- the engine mirror ------------------------------------------------------------------------

    def event(
        self, action: str, when: dt.datetime, actor: Actor | None, organ_id: int, case: SimCase,
        petition_id: int | None, from_state: str, to_state: str, basis: str, payload: dict, digest: str = "",
    ) -> Ev:  # fmt: skip
        ev = Ev()
        ev.action, ev.at, ev.organ_id, ev.case_id, ev.petition_id = action, when, organ_id, case.id, petition_id
        ev.actor_id, ev.actor_label = (actor.user_id, actor.label) if actor else (None, "系统")
        ev.from_state, ev.to_state, ev.basis, ev.petition_digest = from_state, to_state, basis, digest
        ev.payload = payload  # JSON values only, as `normalise` would return them
        ev.order, ev.petition = next(self.ids["order"]), case.petition
        self.current.append(ev)
        return ev

    def deadline(self, rule: str, start: dt.date, organ: Node, days: int | None) -> tuple:
        key = (rule, start, organ.region, days)
        found = self.deadlines.get(key)
        if found is None:
            d = effective_deadline(self.rulebook, rule, start, self.calendar, region=organ.region, days=days)
            found = self.deadlines[key] = (
                d.rule.party.value,
                d.days,
                d.due,
                d.legal_last_day,
                d.provisional,
                d.basis(),
            )
        return found

    def start_clock(self, case: SimCase, rule: str, start: dt.date, organ: Node, ev: Ev, days: int | None) -> None:
        c = SimClock()
        c.id, c.case, c.organ, c.rule, c.start, c.started = next(self.ids["clock"]), case, organ, rule, start, ev
        c.party, c.days, c.due, c.last, c.provisional, c.basis = self.deadline(rule, start, organ, days)
        c.status, c.overdue, c.stopped, c.stopped_on = "running", False, None, None
        case.clocks.append(c)

    def condition(self, name: str, case: SimCase) -> bool:
        bureau = case.organ.is_bureau
        if name == "at_petition_bureau":
            return bureau
        if name == "owes_receipt_notice":
            return not bureau and not (case.petition.anonymous or case.petition.identity_unclear)
        if name == "received_by_transfer":
            return case.via != Via.DIRECT and case.parent is not None and not bureau
        if name == "is_grievance":
            return case.category == Category.GRIEVANCE
        if name == "no_handling_clock":
            return not any(c.rule == "handling" for c in case.clocks)
        raise NotImplementedError(f"bench/history.py does not know the condition {name!r}")

    def trigger(self, name: str, case: SimCase, payload: dict, when: dt.datetime) -> dt.date:
        if name == "received":
            return case.received_at.astimezone(CST).date()
        if name == "accepted":
            assert case.accepted_at is not None
            return case.accepted_at.date()
        if name == "today":
            return when.date()
        if name in ("served_on", "received_on"):
            return dt.date.fromisoformat(payload[name])
        if name == "handling_due":
            return max((c for c in case.clocks if c.rule == "handling"), key=attrgetter("id")).due
        raise NotImplementedError(f"bench/history.py does not know the trigger {name!r}")

    def bound(self, case: SimCase, start: Start, payload: dict) -> Node:
        if start.bound == "target":
            if payload.get("target_organ"):
                return payload["target_organ"]
            return next((c.organ for c in case.children if c.via == Via.ASSIGNMENT), case.organ)
        if start.bound == "review":
            assert case.review_organ is not None
            return case.review_organ
        if start.bound == "re_review":
            assert case.re_review_organ is not None
            return case.re_review_organ
        return case.organ

    def effect(self, name: str, case: SimCase, payload: dict, from_state: str, when: dt.datetime) -> None:
        if name == "set_category":
            case.category = payload["category"]
            if case.category == Category.ACCUSATION:
                case.confidential_accusation = True
            if not case.petition.category:
                case.petition.category = case.category
        elif name == "stamp_accepted":
            case.accepted_at = when
        elif name in ("flag_major_urgent", "flag_supervised", "flag_leader_case", "mark_extension"):
            attr = {"mark_extension": "extension_used"}.get(name, name.removeprefix("flag_"))
            setattr(case, attr, True)
        elif name == "flag_execution_monitoring":
            case.execution_monitoring = case.outcome == Outcome.UPHELD
        elif name == "remember_state":
            case.resume_state = from_state
        elif name == "record_diversion":
            case.divert_target = payload["target_procedure"]
        elif name == "record_outcome":
            case.outcome = payload["outcome"]
        elif name == "store_report":
            case.completion_report = str(payload["report"])
        elif name == "clear_report":
            case.completion_report = ""
        elif name == "move_to_review":
            case.review_organ = case.acting_organ = case.organ.superior
        elif name == "move_to_re_review":
            assert case.review_organ is not None
            case.re_review_organ = case.acting_organ = case.review_organ.superior
        elif name == "finalise_matter":
            case.petition.final_at = when
        elif name != "open_target_case":
            raise NotImplementedError(f"bench/history.py does not know the effect {name!r}")

    def apply(self, case: SimCase, name: str, actor: Actor | None, payload: dict, when: dt.datetime) -> Ev:
        """`engine._apply` without the database: the same row of the table, the same clocks."""
        t = BY_NAME[name]
        if case.state not in t.sources:
            raise AssertionError(f"bench story error: {name} from {case.state}")
        if t.pause or t.resume:
            raise NotImplementedError("bench stories do not pause clocks")
        from_state = case.state
        if t.target == RESUME:
            case.state, case.resume_state = case.resume_state or State.INVESTIGATING, ""
        elif t.target != SAME:
            case.state = t.target
        for effect in t.effects:
            self.effect(effect.name, case, payload, from_state, when)
        case.updated_at = when
        case.version += 1
        shown = {k: {"id": v.id, "name": v.name} if isinstance(v, Node) else v for k, v in payload.items()}
        organ_id = actor.organ_id if actor else case.organ.id
        ev = self.event(name, when, actor, organ_id, case, case.petition.id, from_state, case.state, t.basis, shown)
        today = when.date()
        for stop in t.stops:
            for c in case.clocks:
                if c.rule == stop.rule and c.status in OPEN:
                    c.status, c.stopped, c.stopped_on = stop.status, ev, today
        for start in t.starts:
            if start.when and not self.condition(start.when, case):
                continue
            days = int(payload[start.days_from]) if start.days_from else None
            begin = self.trigger(start.trigger, case, payload, when)
            self.start_clock(case, start.rule, begin, self.bound(case, start, payload), ev, days)
        if t.opens_case:
            via = Via.ASSIGNMENT if name == "assign" else Via.TRANSFER
            self.start_case(case.petition, payload["target_organ"], via, case, None, when)
        return ev

    def start_case(
        self,
        petition: SimPetition,
        organ: Node,
        via: str,
        parent: SimCase | None,
        actor: Actor | None,
        when: dt.datetime,
    ) -> SimCase:
        case = SimCase(next(self.ids["case"]), petition, organ, via, parent)
        case.received_at = petition.received_at if parent is None else when
        case.updated_at = when
        petition.cases.append(case)
        if parent is not None:
            parent.children.append(case)
        payload = {"via": via, "from_case": parent.id if parent else None}
        basis = BY_NAME["receive"].basis
        self.event(
            "receive", when, actor, organ.id, case, petition.id, "", State.RECEIVED, basis, payload, petition.digest
        )
        self.apply(case, "register", actor, {}, when)
        return case

    # --- stories ----------------------------------------------------------------------------------

    def actor_organ(self, case: SimCase, t: Transition) -> Node:
        kind = t.actor_organ
        if kind == "case":
            return case.organ
        if kind == "review":
            return case.review_organ or case.organ.superior  # type: ignore[return-value]
        if kind == "re_review":
            return case.re_review_organ or (case.review_organ or case.organ.superior).superior  # type: ignore
        if kind == "sender":
            return case.parent.organ  # type: ignore[union-attr]
        if kind == "assignee":
            return next(c.organ for c in case.children if c.via == Via.ASSIGNMENT)
        raise NotImplementedError(kind)

    def act(
        self, case: SimCase, name: str, payload: dict | None = None, *, after: float = 0,
        base: dt.datetime | None = None, dated: str = "",
    ) -> Ev:  # fmt: skip
        """Perform ``name`` as the right staff member, ``after`` days (on a working day) after ``base``."""
        return self.perform(case, name, self.later(base or case.updated_at, after), payload, dated=dated)

    def perform(self, case: SimCase, name: str, when: dt.datetime, payload: dict | None = None, dated: str = "") -> Ev:
        t = BY_NAME[name]
        actor = None if t.system_only else self.actor_organ(case, t).actor(t.roles)
        payload = dict(payload or {})
        if dated:
            payload[dated] = when.date().isoformat()
        return self.apply(case, name, actor, payload, when)

    def by_scan(self, case: SimCase, name: str, day: dt.date) -> None:
        when = self.scan_time(day, self.rng.randrange(1, 10))
        if when >= self.cutoff:
            raise Cutoff
        self.apply(case, name, None, {}, when)

    def story(self, p: SimPetition, organ: Node) -> None:
        registrar = None if p.channel == Channel.ONLINE else organ.staff[Role.REGISTRAR]
        case = self.start_case(p, organ, Via.DIRECT, None, registrar, p.registered_at)
        try:
            if organ.is_bureau:
                self.bureau(case)
            else:
                self.handle(case)
        except Cutoff:
            pass

    def bureau(self, case: SimCase) -> None:
        rng, gov = self.rng, self.governments[case.organ.id]
        category = self.category()
        self.act(case, "triage", {"category": category}, after=rng.choice((0, 0, 0, 1, 1, 2)))
        r, late = rng.random(), rng.random()
        after = self.u(0, 5) if late < 0.85 else self.u(5, 13) if late < 0.98 else self.u(13, 25)
        if r < 0.01:
            self.act(case, "escalate", {"report": "情况重大紧急，报请本级党委和政府决定"}, after=after)
            self.route(case, "transfer", self._transfer_target(gov), self.u(3, 15))
        elif category == Category.ACCUSATION and r < 0.6:
            self.route(case, "route_discipline", gov.of_kind(OrganKind.DISCIPLINE)[0], after)
        elif category == Category.GRIEVANCE and r < 0.12:
            self.route(case, "route_political_legal", self._pick(gov.of_kind(*POLITICAL_LEGAL)), after)
        elif category == Category.GRIEVANCE and r < 0.22:
            self.route(case, "assign", self._transfer_target(gov), after, days=rng.choice((45, 60, 60, 90)))
        else:
            self.route(case, "transfer", self._transfer_target(gov), after)

    def route(self, case: SimCase, name: str, target: Node, after: float, **extra: Any) -> None:
        self.act(case, name, {"target_organ": target, **extra}, after=after)
        child = case.children[-1]
        if name != "assign":
            self.handle(child)
            return

        def report() -> None:
            try:
                self.act(case, "submit_completion_report", {"report": "已办结，报告附后"}, base=child.updated_at,
                         after=self.u(1, 5))  # fmt: skip
                self.act(case, "accept_completion_report", after=self.u(1, 7))
            except Cutoff:
                pass

        self.handle(child, report)

    def handle(self, case: SimCase, on_result: Callable[[], None] | None = None) -> None:
        with contextlib.suppress(Cutoff):
            self._handle(case, on_result or (lambda: None))

    def notice(self, case: SimCase) -> None:
        if case.clock("receipt_notice") is None:
            return
        r = self.rng.random()
        if r < 0.003:
            return  # forgotten: the clock runs on and goes overdue
        after = self.u(0, 4) if r < 0.97 else self.u(10, 25)
        self.act(case, "record_notice", {"method": "邮寄"}, after=after, dated="served_on")

    def _handle(self, case: SimCase, result: Callable[[], None]) -> None:
        rng, kind = self.rng, case.organ.kind
        category = case.category or self.category()
        self.act(case, "triage", {"category": category}, after=rng.choice((0, 0, 1, 1, 2, 3)))
        if case.parent is None and rng.random() < 0.05:
            self.act(case, "refer_out", {"competent_organ": "有权处理的机关"}, after=self.u(0, 5))
            self.notice(case)
            return
        if case.parent is None:
            self.act(case, "accept", after=self.u(0, 5))
        else:  # by transfer: usually within the 5 working days in which an objection could be raised
            self.act(case, "accept", after=self.u(0, 3) if rng.random() < 0.97 else self.u(6, 12))
        self.notice(case)
        if category == Category.SUGGESTION:
            self.act(case, "start_suggestion_review", after=self.u(0, 3))
            adoption = rng.choice(("adopted", "partly_adopted", "not_adopted"))
            self.act(case, "conclude_suggestion", {"adoption": adoption, "reply": "已研究并回复"}, after=self.u(10, 50))
            return result()
        if category == Category.ACCUSATION:
            self.act(case, "start_accusation_handling", after=self.u(0, 3))
            self.act(case, "conclude_accusation", {"result": "已核实处理"}, after=self.u(20, 80))
            return result()
        r = rng.random()
        if (kind in POLITICAL_LEGAL and r < 0.6) or r < 0.12:
            target = DivertTarget.LITIGATION_OR_JUDICIAL if kind in POLITICAL_LEGAL else rng.choice(DivertTarget.values)
            self.act(case, "divert", {"target_procedure": target, "guidance": "已告知法定途径"}, after=self.u(1, 10))
            return result()
        if r < 0.22:
            self.act(case, "perform_duty", after=self.u(0, 5))
            self.act(case, "complete_duty", {"result": "已依法履行职责"}, after=self.u(5, 40))
            return result()
        self.investigate(case, result)

    def investigate(self, case: SimCase, result: Callable[[], None]) -> None:
        rng = self.rng
        self.act(case, "investigate", after=self.u(0, 2))
        accepted = case.accepted_at
        assert accepted is not None
        handling = case.clock("handling")
        assert handling is not None
        r = rng.random()
        if r < 0.03:
            self.act(case, "start_mediation", {"consent": True}, after=self.u(5, 25))
            if rng.random() < 0.6:
                self.act(case, "settle", {"agreement": "双方达成和解协议"}, after=self.u(5, 20))
                return result()
            self.act(case, "end_mediation", after=self.u(3, 15))
        elif r < 0.05:
            self.act(case, "start_hearing", after=self.u(10, 30))
            self.act(case, "end_hearing", {"conclusion": "听证结束"}, after=self.u(1, 7))
        r = rng.random()
        if r < 0.08:
            when = self.later(accepted, self.u(45, 57))
            if when > case.updated_at and when.date() <= handling.last and case.state == State.INVESTIGATING:
                self.perform(case, "extend", when, {"reason": "情况复杂，需进一步调查", "days": 30})
            days = self.u(62, 88)
        elif r < 0.11:
            days = self.u(61, 150)  # stalled: handled late, overdue meanwhile
        else:
            days = rng.triangular(12, 58, 35)
        base = max(case.updated_at, accepted + dt.timedelta(days=days))
        opinion = {
            "outcome": self.outcome(),
            "facts": "经调查核实",
            "reasons": "依据相关规定",
            "legal_basis": "有关法律法规",
        }
        self.act(case, "issue_opinion", opinion, base=base)
        self.act(case, "serve_opinion", {"method": "直接送达"}, after=self.u(1, 7), dated="served_on")
        if rng.random() < RATED:
            self.rate(case)
        result()
        self.window(case, "review_request", "request_review", "close_no_review", 0.18, case.organ.superior)

    def rate(self, case: SimCase) -> None:
        """The petitioner rates the result online within days of service (portal.services.rate's rows)."""
        when = self.later(case.updated_at, self.u(0.5, 14))
        if when >= self.cutoff:
            return
        level = self.level()
        reason = "问题没有解决" if level == Level.UNSATISFIED else ""
        payload = {"aspect": Aspect.RESULT.label, "level": Level(level).label, "reason": reason}
        ev = self.event("rate", when, None, case.organ.id, case, case.petition.id, "", "", RATE_BASIS, payload)
        ev.actor_label = "信访人（网上）"
        rating = next(self.ids["rating"])
        follow_up = None
        if level == Level.UNSATISFIED:
            recorded = self.later(when, self.u(2, 15))
            done = self.rng.random() < FOLLOWED_UP and recorded < self.cutoff
            follow_up = (
                next(self.ids["follow_up"]),
                rating,
                case.organ.id,
                when,
                "",
                "",
                None,
                recorded if done else None,
            )
        case.petition.ratings.append(
            ((rating, case.petition.id, case.id, case.organ.id, Aspect.RESULT, level, reason, when), follow_up)
        )

    def window(self, case: SimCase, rule: str, request: str, close: str, share: float, organ: Node | None) -> None:
        """A petitioner's 30-day window: a request in time, or closed by the scan after the grace days."""
        clock = case.clock(rule)
        assert clock is not None
        if organ is not None and self.rng.random() < share:
            when = self.later(case.updated_at, self.u(3, 28))
            if when.date() <= clock.last:
                self.perform(case, request, when, dated="received_on")
                if request == "request_review":
                    self.act(
                        case,
                        "decide_review",
                        {
                            "decision": "维持原处理意见",
                            "changed": "是" if self.rng.random() < CHANGED_REVIEWS else "否",
                        },
                        after=self.u(10, 28),
                        dated="served_on",
                    )
                    assert case.review_organ is not None
                    self.window(case, "re_review_request", "request_re_review", "close_no_re_review", 0.25,
                                case.review_organ.superior)  # fmt: skip
                else:
                    decision = {"decision": "复核维持", "changed": "否"}
                    self.act(case, "issue_re_review_opinion", decision, after=self.u(10, 28))
                return
        self.by_scan(case, close, clock.last + dt.timedelta(days=GRACE + 1))

    # --- what earlier daily scans did ---------------------------------------------------------------

    def replay_scans(self, p: SimPetition) -> None:
        """What the scans at 01:00 on each day before today did to this petition's organ clocks.

        A duty running on the day after its legal last day was marked overdue; a window (the objection
        period) running then lapsed, so a later stop (acceptance) found it already closed.
        """
        for case in p.cases:
            for c in case.clocks:
                if c.party != "organ":
                    continue
                scan_day = c.last + dt.timedelta(days=1)
                if scan_day >= self.today or (c.stopped_on is not None and c.stopped_on < scan_day):
                    continue
                payload = {"clock": c.id, "rule": c.rule, "legal_last_day": c.last.isoformat()}
                at = self.scan_time(scan_day)
                if c.rule in self.windows:
                    c.status, c.stopped, c.stopped_on = "lapsed", None, scan_day
                    self.event("window_lapsed", at, None, c.organ.id, case, None, "", "", WINDOW_BASIS, payload)
                else:
                    c.overdue = True
                    self.event("mark_overdue", at, None, c.organ.id, case, None, "", "", overdue_basis(c.rule), payload)
            case.overdue = any(c.overdue and c.status in OPEN for c in case.clocks)

    # --- petitions ----------------------------------------------------------------------------------

    def petition(self, received_at: dt.datetime) -> None:
        rng = self.rng
        organ = self.receiving()
        p = SimPetition()
        p.id = p.matter_id = next(self.ids["petition"])
        p.received_at, p.channel = received_at, self.channel()
        p.registered_at = min(
            received_at + dt.timedelta(minutes=rng.randint(1, 60)), self.cutoff - dt.timedelta(seconds=1)
        )
        year = received_at.year
        self.numbers[year] += 1
        p.number = f"XF{year}{self.numbers[year]:07d}"
        p.receiving_organ_id = organ.id
        p.registered_by_id = None if p.channel == Channel.ONLINE else organ.staff[Role.REGISTRAR].staff_id
        p.is_repeat, p.accused_organ_id = False, None
        region = organ.region if organ.region != "990100" else rng.choice(self.city.counties).gov.region
        p.region_code = region
        category = rng.choices(list(STORIES), weights=(0.72, 0.14, 0.14))[0]
        p.request, p.facts, p.reasons = rng.choice(STORIES[category])
        place = rng.choices(self.places, cum_weights=self.place_weights)[0]
        p.request = f"{place}：{p.request}"
        p.ratings = []
        p.anonymous = p.channel in (Channel.ONLINE, Channel.LETTER) and rng.random() < 0.06
        if p.anonymous:
            p.name = p.id_number = p.address = p.contact = ""
        else:
            p.name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 65))
            p.id_number = _resident_id(rng, region, birth) if rng.random() < 0.8 else ""
            p.address = "" if rng.random() < 0.02 else f"{organ.name[:3]}幸福路{rng.randrange(1, 300)}号"
            p.contact = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        p.identity_unclear = not p.anonymous and (not p.name or not p.address)
        p.oral = p.channel in (Channel.PHONE, Channel.VISIT)
        p.collective = p.channel == Channel.VISIT and rng.random() < 0.05
        p.headcount = rng.randint(5, 60) if p.collective else None
        p.category, p.final_at, p.cases = "", None, []
        p.digest = petition_digest(p)
        self.current = []
        self.story(p, organ)
        self.replay_scans(p)
        p.pending = len(self.current)
        for ev in self.current:
            self.buckets[ev.at.date()].append(ev)
        self.generated += 1

    def finish(self, p: SimPetition) -> None:
        """All of the petition's events are in the chain: write its rows."""
        ts, day, add = self.fmt.ts, self.fmt.day, self.sink.add
        add("matter", (p.id, p.request[:200], p.category, p.region_code, ts(p.registered_at), ts(p.final_at)))
        fields, key = PETITION_FIELDS, active_keyring().current
        sealed = {f: fields[f].get_db_prep_value(getattr(p, f), connection) for f in SEALED}
        add("petition", (
            p.id, p.number, p.channel, ts(p.received_at), p.receiving_organ_id, p.registered_by_id,
            ts(p.registered_at), p.matter_id, p.is_repeat, p.name, sealed["id_number"], sealed["address"],
            sealed["contact"], p.request, p.facts, p.reasons, p.oral, p.anonymous, p.identity_unclear, p.region_code,
            p.collective, p.headcount, p.accused_organ_id, fields["id_number_index"].index_under(key, p.id_number),
            fields["contact_index"].index_under(key, p.contact),
            *((Petition.build_search_text(p),) if self.search_text else ()),  # type: ignore
        ))  # fmt: skip
        for key, _ in _repeat_keys(p.request[:200], Petition.body_text(p)):  # type: ignore[arg-type]
            add("repeat_key", (key, p.id))
        for rating, follow_up in p.ratings:
            add("rating", (*rating[:7], ts(rating[7])))
            if follow_up is not None:
                fid, rid, organ, created, _, _, by, recorded = follow_up
                outcome = FOLLOW_UP_DONE if recorded else ""
                add(
                    "follow_up", (fid, rid, organ, ts(created), outcome, "已回访" if recorded else "", by, ts(recorded))
                )
        for case in p.cases:
            self.states[case.state] += 1
            add("case", (
                case.id, p.id, p.matter_id, case.organ.id, case.acting_organ.id,
                case.parent.id if case.parent else None, case.via, case.state, case.resume_state, case.category,
                ts(case.received_at), ts(case.accepted_at),
                case.review_organ.id if case.review_organ else None,
                case.re_review_organ.id if case.re_review_organ else None, case.outcome, case.divert_target,
                case.completion_report, case.overdue, case.supervised, case.execution_monitoring, case.leader_case,
                case.major_urgent, case.confidential_accusation, case.extension_used, case.version,
                ts(case.updated_at),
            ))  # fmt: skip
            for c in case.clocks:
                add("clock", (
                    c.id, case.id, c.organ.id, c.rule, c.party, day(c.start), c.days, day(c.due), day(c.last),
                    c.provisional, c.basis, "[]", None, c.status, c.overdue, c.started.seq,
                    c.stopped.seq if c.stopped else None, day(c.stopped_on),
                ))  # fmt: skip
                if c.party == "organ":
                    self.reminders(c)
            case.clocks = case.children = []  # break reference cycles
            case.parent = None
        p.cases = []

    def reminders(self, c: SimClock) -> None:
        """The reminders that earlier scans queued (and the worker delivered) for this clock."""
        opened = c.started.at.date() + dt.timedelta(days=1)  # the first scan after the clock started
        for days_before in REMINDER_DAYS:
            remind_on = c.due - dt.timedelta(days=days_before)
            queued = max(remind_on, opened)
            if queued <= c.due and queued < self.today and (c.stopped_on is None or c.stopped_on >= queued):
                at = self.scan_time(queued)
                self.sink.add("reminder", (
                    next(self.ids["reminder"]), c.id, days_before, self.fmt.day(remind_on), self.fmt.ts(at),
                    self.fmt.ts(at + dt.timedelta(seconds=30)),
                ))  # fmt: skip

    def emit(self, day: dt.date) -> None:
        """Give the day's events their place in the chain, in time order."""
        add, ts, json_ = self.sink.add, self.fmt.ts, Formats.json
        for ev in sorted(self.buckets.pop(day, ()), key=attrgetter("at", "order")):
            self.seq += 1
            ev.seq, ev.prev_hash = self.seq, self.last_hash
            ev.hash = self.last_hash = event_hash(hashed_fields(ev))  # type: ignore[arg-type]
            add("event", (
                ev.seq, ev.seq, ts(ev.at), ev.actor_id, ev.actor_label, ev.organ_id, ev.case_id, ev.petition_id,
                ev.action, ev.from_state, ev.to_state, ev.basis, json_(ev.payload) if ev.payload else "{}",
                ev.petition_digest, ev.prev_hash, ev.hash,
            ))  # fmt: skip
            p = ev.petition
            ev.petition = None
            p.pending -= 1
            if p.pending == 0:
                self.finish(p)

    # --- the whole run ------------------------------------------------------------------------------

    def arrivals(self) -> list[tuple[dt.date, int]]:
        """N petitions over the last DAYS days: fewer at weekends and holidays, slowly growing."""
        first = self.today - dt.timedelta(days=DAYS)
        days = [first + dt.timedelta(days=i) for i in range(DAYS)]
        weights = []
        for i, day in enumerate(days):
            w = 1.0 if self.is_working(day) else 0.4
            weights.append(w * (0.85 + 0.3 * i / DAYS))
        total = sum(weights)
        counts = [int(self.n * w / total) for w in weights]
        for i in self.rng.sample(range(DAYS), self.n - sum(counts)):
            counts[i] += 1
        return list(zip(days, counts, strict=True))

    def arrival_times(self, day: dt.date, count: int) -> list[dt.datetime]:
        midnight = dt.datetime.combine(day, dt.time(0), CST)
        seconds = [
            self.rng.randrange(86400) if self.rng.random() < 0.25 else self.rng.randrange(8 * 3600, 18 * 3600)
            for _ in range(count)
        ]
        return [midnight + dt.timedelta(seconds=s, microseconds=self.rng.randrange(1_000_000)) for s in sorted(seconds)]

    def run(self, progress: Callable[[str], None]) -> dict[str, Any]:
        gc.disable()  # millions of small objects, freed by reference counting
        started = last = time.perf_counter()
        try:
            for day, count in self.arrivals():
                for received_at in self.arrival_times(day, count):
                    self.petition(received_at)
                self.emit(day)
                if self.sink.pending >= self.batch:
                    self.sink.flush()
                now = time.perf_counter()
                if now - last >= 10:
                    last = now
                    progress(self._progress(day, now - started))
            if any(self.buckets.values()):
                raise AssertionError(f"events left after yesterday: {sorted(self.buckets)[:3]}")
            self.sink.close()
        finally:
            gc.enable()
        ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": self.seq, "last_hash": self.last_hash})
        PetitionNumber.objects.bulk_create([PetitionNumber(year=y, last=n) for y, n in sorted(self.numbers.items())])
        elapsed = time.perf_counter() - started
        progress(self._progress(self.today - dt.timedelta(days=1), elapsed))
        return {
            "seconds": elapsed,
            "rows": dict(self.sink.written),
            "write_seconds": {k: round(v, 1) for k, v in self.sink.seconds.items()},
            "states": dict(sorted(self.states.items(), key=lambda kv: -kv[1])),
        }

    def _progress(self, day: dt.date, elapsed: float) -> str:
        rows = self.sink.total
        return (
            f"  {day}  petitions {self.generated:>9,}/{self.n:,}  events {self.seq:>10,}  rows {rows:>11,}"
            f"  {rows / elapsed:>8,.0f} rows/s  {self.generated / elapsed:>6,.0f} petitions/s  {elapsed:6.0f} s"
        )
