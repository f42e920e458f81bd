"""The roadmap page must agree with the transition table and the rule files, and be generated from them."""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.factories import organ, staff
from xinfang.lifecycle import roadmap
from xinfang.lifecycle.states import TERMINAL, State
from xinfang.lifecycle.table import RESUME, SAME, TABLE, WORKING, Stop, Transition
from xinfang.org.models import Level, OrganKind, Role
from xinfang.rules import ValueKind, default_rulebook
from xinfang.workspace.roadmap_views import roadmap_staff

URL = "/public/roadmap/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ---------------------------------------------------------------------------------------------------------------
# A small DOM, enough to read the data attributes and texts of the page
# ---------------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = dataclasses.field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.attrs.get("class", "").split())
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(client: Client) -> tuple[str, Element]:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    return html, parse(html)


# ---------------------------------------------------------------------------------------------------------------
# What the table says, derived here independently of roadmap.py
# ---------------------------------------------------------------------------------------------------------------


def expected_edges(table: tuple[Transition, ...]) -> set[tuple[str, str, str]]:
    edges = set()
    for t in table:
        if t.target == SAME:
            continue
        targets: set[str] = set(WORKING) if t.target == RESUME else {t.target}
        sources: set[str] = {str(s) for s in t.sources} or {roadmap.START}
        for source in sources:
            for target in targets:
                edges.add((str(source), str(target), t.name))
    return edges


def drawn_edges(root: Element) -> set[tuple[str, str, str]]:
    groups = root.find("svg").find_all("g", "rm-edge")
    edges = [(g.attrs["data-from"], g.attrs["data-to"], g.attrs["data-transition"]) for g in groups]
    assert len(edges) == len(set(edges)), "an edge is drawn twice"
    return set(edges)


def expected_period_rules(t: Transition) -> set[str]:
    """Public page: the clocks a step starts, meets, lets lapse, extends, pauses or resumes (not cancelled ones)."""
    rules = {s.rule for s in t.starts} | {s.rule for s in t.stops if s.status != "cancelled"}
    return rules | {r for r in (t.pause, t.resume) if r}


def rule_period(rule_id: str) -> str:
    """The period as the rules package gives it: value and unit of the value in force, or the unit's words."""
    rule = default_rulebook().rule(rule_id)
    value = rule.values[-1]
    text = value.unit.label if value.value is None else f"{value.value}{value.unit.label}"
    return f"不超过{text}" if rule.kind == ValueKind.MAXIMUM else text


# ---------------------------------------------------------------------------------------------------------------
# The page agrees with the table
# ---------------------------------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_diagram_edges_are_the_table_edges(client: Client) -> None:
    _, root = page(client)
    assert drawn_edges(root) == expected_edges(TABLE)
    svg = root.find("svg")
    by_name = {t.name: t for t in TABLE}
    for group in svg.find_all("g", "rm-edge"):
        t = by_name[group.attrs["data-transition"]]
        title = group.find("title").text
        assert t.basis in title and t.label in title and t.code in title
    # Each drawn edge carries its label box with the transition label and T-code.
    labels = {
        (g.attrs["data-from"], g.attrs["data-to"], g.attrs["data-transition"]): g for g in svg.find_all("g", "rm-label")
    }
    assert set(labels) == expected_edges(TABLE)
    for (_, _, name), group in labels.items():
        texts = [e.text for e in group.find_all("text")]
        assert texts == [by_name[name].label, by_name[name].code]


def test_every_state_is_one_node_and_terminal_states_are_marked(client: Client) -> None:
    _, root = page(client)
    nodes = root.find("svg").find_all("g", "rm-node")
    counts = Counter(g.attrs["data-state"] for g in nodes)
    assert set(counts) == {s.value for s in State}
    assert all(n == 1 for n in counts.values()), counts
    for g in nodes:
        state = State(g.attrs["data-state"])
        assert g.find("text").text == state.label
        assert (g.attrs["data-terminal"] == "true") == (state in TERMINAL)
        assert ("rm-terminal" in g.attrs["class"]) == (state in TERMINAL)
        assert len(g.find_all("rect")) == (2 if state in TERMINAL else 1)  # the double border
    assert len(root.find("svg").find_all("g", "rm-start")) == 1


def test_every_transition_is_a_step_with_label_code_and_basis(client: Client) -> None:
    _, root = page(client)
    rows = {tr.attrs["data-transition"]: tr for tr in root.find_all("tr") if "data-transition" in tr.attrs}
    for t in TABLE:
        row = rows[t.name]
        assert row.find("span", "step-label").text == t.label
        assert row.find("span", "step-code").text == t.code
        assert row.find("td", "step-basis").text == t.basis
        assert row.find("td", "step-what").text == t.step_text
    assert set(rows) == {t.name for t in TABLE}
    # grouped under the stage headings, in table order within each stage
    stage_titles = [h.text for h in root.find_all("h3") if h.attrs.get("id", "").startswith("rm-stage-")]
    assert stage_titles and set(stage_titles) <= set(roadmap.STAGES)


def test_periods_shown_are_the_rules_periods(client: Client) -> None:
    _, root = page(client)
    rows = {tr.attrs["data-transition"]: tr for tr in root.find_all("tr") if "data-transition" in tr.attrs}
    for t in TABLE:
        shown = {e.attrs["data-rule"]: e.text for e in rows[t.name].find_all("strong", "period")}
        assert set(shown) == expected_period_rules(t), t.name
        for rule_id, text in shown.items():
            assert text.startswith(rule_period(rule_id)), (t.name, rule_id, text)
    # The extension and the hearing pause are spelled out next to the period they change.
    investigate = {e.attrs["data-rule"]: e.text for e in rows["investigate"].find_all("strong", "period")}
    assert investigate["handling"] == f"{rule_period('handling')}（可延长{rule_period('handling_extension')}）"
    assert investigate["handling"] == "60日（可延长不超过30日）"
    notice = {e.attrs["data-rule"]: e.text for e in rows["record_notice"].find_all("strong", "period")}
    assert notice == {"receipt_notice": "15日"}
    objection = {e.attrs["data-rule"]: e.text for e in rows["object"].find_all("strong", "period")}
    assert objection == {"transfer_objection": "5个工作日"}
    assert "复核听证时间不计入" in rows["issue_re_review_opinion"].find("strong", "period").text

    # The overview tables list every rule the table starts, with the petitioner's windows apart.
    started = {s.rule for t in TABLE for s in t.starts}
    overview = {
        e.attrs["data-rule"]: (e.text, table.find("caption").text)
        for table in root.find_all("table", "rm-periods")
        for e in table.find_all("strong", "period")
    }
    assert set(overview) == started
    for rule_id, (text, caption) in overview.items():
        assert text.startswith(rule_period(rule_id))
        petitioner = default_rulebook().rule(rule_id).party == "petitioner"
        assert ("信访人" in caption) == petitioner


def test_rights_to_review_and_re_review_state_the_windows(client: Client) -> None:
    _, root = page(client)
    rights = root.find("section", aria_labelledby="rm-rights").text
    assert f"自收到书面答复之日起{rule_period('review_request')}内" in rights and "请求复查" in rights
    assert rights.count(f"自收到书面答复之日起{rule_period('re_review_request')}内") == 2
    assert "请求复核" in rights and "上一级" in rights


# ---------------------------------------------------------------------------------------------------------------
# The page is generated, not written by hand
# ---------------------------------------------------------------------------------------------------------------

FAKE = Transition(
    "fake_fast_track",
    "测试直通",
    "T99",
    frozenset({State.REGISTERED, State.ESCALATED}),
    State.FINAL,
    frozenset(),
    "测试依据第一条",
    stops=(Stop("handling"),),
    step="仅用于测试的步骤。",
)


def test_adding_a_transition_changes_the_drawn_edges(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    before = drawn_edges(page(client)[1])
    changed = (*TABLE, FAKE)
    monkeypatch.setattr(roadmap, "TABLE", changed)
    _html, root = page(client)
    after = drawn_edges(root)
    assert after == expected_edges(changed)
    assert after - before == {("registered", "final", "fake_fast_track"), ("escalated", "final", "fake_fast_track")}
    row = root.find("tr", data_transition="fake_fast_track")
    assert row.find("span", "step-code").text == "T99" and row.find("td", "step-basis").text == "测试依据第一条"
    assert row.find("strong", "period", data_rule="handling").text.startswith(rule_period("handling"))
    assert "测试直通" in root.find("svg").find("g", "rm-label", data_transition="fake_fast_track").text


def test_removing_and_resuming_transitions_change_the_drawn_edges(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    resume_from_opinion = Transition(
        "fake_reopen", "测试重开", "T98", frozenset({State.OPINION_ISSUED}), RESUME, frozenset(), "测试依据第二条"
    )
    changed = (*(t for t in TABLE if t.name != "settle"), resume_from_opinion)
    monkeypatch.setattr(roadmap, "TABLE", changed)
    root = page(client)[1]
    edges = drawn_edges(root)
    assert edges == expected_edges(changed)
    assert ("mediation", "settled", "settle") not in edges
    assert {e for e in edges if e[2] == "fake_reopen"} == {
        ("opinion_issued", "investigating", "fake_reopen"),
        ("opinion_issued", "extended", "fake_reopen"),
    }
    # the back-edges are drawn as such and did not move any state to another layer
    backs = {g.attrs["data-to"] for g in root.find("svg").find_all("g", "rm-back", data_transition="fake_reopen")}
    assert backs == {"investigating", "extended"}
    before = {k: item.rank for k, item in roadmap.layout(TABLE).items.items() if item.kind == "state"}
    after = {k: item.rank for k, item in roadmap.layout(changed).items.items() if item.kind == "state"}
    assert {k for k in before if before[k] != after[k]} == {State.SETTLED}  # settle removed: 达成协议 is now alone


# ---------------------------------------------------------------------------------------------------------------
# The diagram itself
# ---------------------------------------------------------------------------------------------------------------


def test_svg_is_accessible_well_formed_and_self_contained(client: Client) -> None:
    html, _ = page(client)
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match
    svg = ET.fromstring(match.group(0))  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "rm-title rm-desc"
    assert svg.find(f"{ns}title") is not None and svg.find(f"{ns}desc") is not None
    assert "Noto Sans CJK SC" in (svg.get("font-family") or "")
    markers = svg.findall(f"{ns}defs/{ns}marker")
    assert {m.get("id") for m in markers} == {"rm-arrow", "rm-arrow-back"}
    assert "http://" not in match.group(0).replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<script" not in html


def test_layers_follow_the_longest_path_and_back_edges_do_not_disturb_them() -> None:
    lay = roadmap.layout()
    rank = {key: item.rank for key, item in lay.items.items() if item.kind in ("state", "start")}
    backs = set()
    for chain in lay.chains:
        e = lay.edges[chain.edge]
        if chain.back:
            backs.add((e.source, e.target, e.transition.name))
            assert rank[e.source] > rank[e.target]
        else:
            assert rank[e.target] > rank[e.source]
    resumed = {(str(s), str(w), t.name) for t in TABLE if t.target == RESUME for s in t.sources for w in WORKING}
    assert resumed <= backs
    assert rank[roadmap.START] < rank[State.RECEIVED] < rank[State.REGISTERED] < rank[State.TRIAGED]
    # longest path: 调查核实 → 延期办理 → 听证 → 出具处理意见书, so the opinion sits below the hearing
    assert rank[State.INVESTIGATING] < rank[State.EXTENDED] < rank[State.HEARING] < rank[State.OPINION_ISSUED]
    assert rank[State.REVIEW_DELIVERED] < rank[State.RE_REVIEW_REQUESTED] < rank[State.FINAL]


def test_boxes_and_labels_do_not_overlap() -> None:
    lay = roadmap.layout()
    for keys in lay.ranks:
        spans = sorted((lay.items[k].x - lay.items[k].width / 2, lay.items[k].x + lay.items[k].width / 2) for k in keys)
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert right <= left + 0.01
    for item in lay.items.values():
        assert item.x - item.width / 2 >= 0 and item.x + item.width / 2 <= lay.width
        assert item.y + item.height / 2 <= lay.height


# ---------------------------------------------------------------------------------------------------------------
# Public words only; the staff version adds roles and clocks
# ---------------------------------------------------------------------------------------------------------------


def test_public_page_names_no_staff_roles_or_internal_names(client: Client) -> None:
    html, root = page(client)
    main = root.find("main").text
    for role in Role:
        if role != Role.LEADER:  # 领导 is a word of the law too (领导包案、领导干部)
            assert role.label not in main, role.label
    assert not root.find_all(cls="step-roles") and not root.find_all(cls="rm-clock")
    for internal in ("at_petition_bureau", "received_by_transfer", "bureau_disposition", "actor_organ"):
        assert internal not in main
    assert "/static/xinfang/roadmap.css" in html


def test_staff_page_adds_roles_and_clocks(rf: RequestFactory) -> None:
    bureau = organ("测试市信访局", Level.CITY, OrganKind.PETITION_BUREAU, "990100")
    person = staff(bureau, Role.REGISTRAR)
    request = rf.get("/work/roadmap/")
    request.user = person.user
    response = roadmap_staff(request)
    assert isinstance(response, HttpResponse) and response.status_code == 200
    root = parse(response.content.decode())
    assert drawn_edges(root) == expected_edges(TABLE)
    rows = {tr.attrs["data-transition"]: tr for tr in root.find_all("tr") if "data-transition" in tr.attrs}
    assert set(rows) == {t.name for t in TABLE}
    assert "审批负责人" in rows["extend"].find("td", "step-roles").text
    assert rows["close_no_review"].find("td", "step-roles").text == "系统（期满自动）"
    for t in TABLE:
        clocks = {(d.attrs["data-rule"], d.attrs["data-effect"]) for d in rows[t.name].find_all("div", "rm-clock")}
        expected = {(s.rule, "start") for s in t.starts} | {(s.rule, s.status) for s in t.stops}
        expected |= {(r, effect) for r, effect in ((t.pause, "pause"), (t.resume, "resume")) if r}
        assert clocks == expected, t.name


@pytest.mark.django_db
def test_landing_page_links_the_workspace_roadmap_and_rules(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'href="/work/"' in page and 'href="/public/roadmap/"' in page and 'href="/rules/"' in page


def test_step_prose_takes_its_periods_from_the_rule_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang.lifecycle.table import BY_NAME, TABLE
    from xinfang.rules import default_rulebook

    assert all("{" not in t.step_text and "}" not in t.step_text for t in TABLE)
    assert "自受理之日起60日内办结" in BY_NAME["investigate"].step_text
    assert "5个工作日内提出异议" in BY_NAME["object"].step_text
    handling = default_rulebook().rules["handling"]
    changed = dataclasses.replace(handling.values[-1], value=45)
    monkeypatch.setitem(default_rulebook().rules, "handling", dataclasses.replace(handling, values=(changed,)))
    assert "自受理之日起45日内办结" in BY_NAME["investigate"].step_text


def test_staff_page_names_organs_and_clocks_in_words_not_internal_names(rf: RequestFactory) -> None:
    bureau = organ("测试市信访局", Level.CITY, OrganKind.PETITION_BUREAU, "990100")
    request = rf.get("/work/roadmap/")
    request.user = staff(bureau, Role.HANDLER).user
    response = roadmap_staff(request)
    assert isinstance(response, HttpResponse)
    main = parse(response.content.decode()).find("main").text
    internal = {t.name for t in TABLE} | {t.actor_organ for t in TABLE}
    internal |= {s.rule for t in TABLE for s in t.starts} | {s.rule for t in TABLE for s in t.stops}
    internal |= {str(n) for t in TABLE for s in t.starts for n in (s.trigger, s.bound, s.when, s.days_from) if n}
    words = set(re.findall(r"[A-Za-z_]+", main))
    assert not words & internal, sorted(words & internal)
    assert words <= {"T"}, sorted(words)  # only the T-codes of the steps (T1, T6/T11, …)
    rows = {tr.attrs["data-transition"]: tr for tr in root_rows(response)}
    assert "上级信访部门" in rows["supervise"].find("td", "step-who").text
    assert "承办机关" in rows["submit_completion_report"].find("td", "step-who").text
    assert "本机关" in rows["register"].find("td", "step-who").text


def root_rows(response: HttpResponse) -> list[Element]:
    return [tr for tr in parse(response.content.decode()).find_all("tr") if "data-transition" in tr.attrs]
