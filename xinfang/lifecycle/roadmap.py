"""The roadmap (路线图): a step table and an SVG diagram, both generated from the transition table.

Nothing here is written by hand about which step follows which: the steps, the edges of the diagram and
the periods all come from ``TABLE`` and the rules package, so the page cannot drift from what the engine
enforces. Pure functions; no Django apart from the table and the states it imports.

The diagram is a small layered ("Sugiyama") layout:

1. cycles are broken: RESUME edges (back to 调查核实/延期办理) are always back-edges; any other edge
   that closes a cycle in a depth-first walk from the start is one too (e.g. 收回重新分办);
2. every state gets the layer of its longest path from the start over the remaining edges;
3. state layers get even ranks, and every edge crosses an odd rank where its label sits as a box of its
   own, so labels take space in the layout instead of being pasted over it; longer edges get thin
   dummy nodes in the ranks they cross;
4. barycenter sweeps with adjacent swaps order each rank to reduce crossings;
5. x positions are pulled towards neighbours (weighted least squares with the minimum gaps as
   constraints, solved exactly by pool-adjacent-violators), y positions follow the ranks;
6. edges are drawn as vertical cubic curves through their chain of dummies, with arrowheads.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from xinfang.rules import RuleBook, ValueKind, default_rulebook

from .states import NON_TERMINAL, TERMINAL, State
from .table import RESUME, SAME, TABLE, WORKING, Transition

START = "start"  # the marker the first transition (no sources) is drawn from

# ---------------------------------------------------------------------------------------------------------------
# Stages (presentation only: which heading a step is listed under)
# ---------------------------------------------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("收到与登记", "甄别与分办", "受理与办理", "答复与送达", "复查", "复核", "其他")
OTHER_STAGE = len(STAGES) - 1

STATE_STAGE: dict[str, int] = {
    State.RECEIVED: 0,
    State.REGISTERED: 0,
    State.TRIAGED: 1,
    State.TRANSFERRED: 1,
    State.ASSIGNED: 1,
    State.ESCALATED: 1,
    State.ROUTED_POLITICAL_LEGAL: 1,
    State.ROUTED_DISCIPLINE: 1,
    State.REFERRED_OUT: 1,
    State.NOT_ACCEPTED: 1,
    State.NOT_REACCEPTED: 1,
    State.OBJECTION_RAISED: 1,
    State.RETURNED: 1,
    State.ACCEPTED: 2,
    State.SUGGESTION_REVIEW: 2,
    State.ACCUSATION_HANDLING: 2,
    State.DIVERTED: 2,
    State.DUTY_PERFORMANCE: 2,
    State.INVESTIGATING: 2,
    State.EXTENDED: 2,
    State.HEARING: 2,
    State.MEDIATION: 2,
    State.SETTLED: 2,
    State.SUGGESTION_CONCLUDED: 3,
    State.ACCUSATION_CONCLUDED: 3,
    State.OPINION_ISSUED: 3,
    State.OPINION_DELIVERED: 3,
    State.CLOSED: 3,
    State.CLOSED_NO_REVIEW: 3,
    State.REVIEW_REQUESTED: 4,
    State.REVIEW_DELIVERED: 4,
    State.RE_REVIEW_REQUESTED: 5,
    State.RE_REVIEW_HEARING: 5,
    State.FINAL: 5,
}

# Fill colours of the state boxes, one per stage (light tints; text stays #1f2328 for contrast).
STAGE_FILL: tuple[str, ...] = ("#eef4fb", "#f3f0fa", "#eef8f0", "#fdf5e6", "#fbeeee", "#f7ecf5", "#f2f2f2")

# Who acts, in public words, by the row's actor_organ. "case" depends on the stage.
CASE_ACTOR_BY_STAGE: tuple[str, ...] = (
    "收到信访事项的机关、单位",
    "信访部门或者收到信访事项的机关、单位",
    "办理机关、单位",
    "办理机关、单位",
    "复查机关、单位",
    "复核机关、单位",
    "有关机关、单位",
)
ACTOR_ORGAN: dict[str, str] = {
    "sender": "转送、交办机关、单位",
    "superior": "上一级机关、单位",
    "superior_bureau": "信访部门",
    "review": "复查机关（原办理机关、单位的上一级机关、单位）",
    "re_review": "复核机关（复查机关、单位的上一级机关、单位）",
    "assignee": "承办机关、单位",
    "system": "期限届满后自动办结，无需办理",
}

# Staff glosses of the engine's names (engine.TRIGGERS, engine.CONDITIONS, Start.bound); unknown names show as is.
TRIGGER_LABEL: dict[str, str] = {
    "received": "收到信访事项之日",
    "accepted": "受理之日",
    "today": "操作当日",
    "served_on": "送达之日（填写）",
    "received_on": "收到请求之日（填写）",
    "handling_due": "原办理期限届满之日",
}
BOUND_LABEL: dict[str, str] = {
    "case": "本案所在机关",
    "target": "承办机关",
    "review": "复查机关",
    "re_review": "复核机关",
}
CONDITION_LABEL: dict[str, str] = {
    "at_petition_bureau": "本机关是信访部门",
    "owes_receipt_notice": "本机关须书面告知（非信访部门，且信访人姓名、住址清楚）",
    "received_by_transfer": "经转送、交办收到",
}
# What a step does to a clock: the public "期限" column shows all but "cancelled"; the staff page shows all.
EFFECT_LABEL: dict[str, str] = {
    "start": "开始计算",
    "met": "应在期限内完成",
    "lapsed": "期限届满未提出",
    "extended": "原期限届满前延长",
    "cancelled": "期限取消",
    "pause": "暂停计算",
    "resume": "继续计算",
}


# ---------------------------------------------------------------------------------------------------------------
# Periods from the rules package
# ---------------------------------------------------------------------------------------------------------------


def extensions(table: Sequence[Transition]) -> dict[str, str]:
    """Rule id -> the rule that extends it: a row that stops X as "extended" and starts Y."""
    result: dict[str, str] = {}
    for t in table:
        for stop in t.stops:
            if stop.status == "extended":
                for start in t.starts:
                    result[stop.rule] = start.rule
    return result


def period_text(rule_id: str, rulebook: RuleBook, extended_by: Mapping[str, str] | None = None) -> str:
    """The period in words: "15日", "5个工作日", "60日（可延长不超过30日）", "由交办机关指定"."""
    rule = rulebook.rule(rule_id)
    value = rule.values[-1]
    if value.value is None:
        text = value.unit.label
    else:
        text = f"{value.value}{value.unit.label}"
        if rule.kind == ValueKind.MAXIMUM:
            text = f"不超过{text}"
    notes = []
    extension = (extended_by or {}).get(rule_id)
    if extension:
        notes.append(f"可延长{period_text(extension, rulebook)}")
    if rule.pause is not None:
        notes.append(f"{rule.pause.label}时间不计入")
    return text + (f"（{'；'.join(notes)}）" if notes else "")


@dataclass(frozen=True)
class Period:
    """A period a step starts, must meet, pauses or resumes."""

    rule: str
    effect: str  # start | met | lapsed | extended | cancelled | pause | resume
    title: str
    text: str  # period_text
    trigger: str
    party: str  # organ | petitioner
    basis: str  # the citation of the value in force
    detail: str = ""  # staff only: condition, whose deadline, payload field

    @property
    def effect_label(self) -> str:
        return EFFECT_LABEL[self.effect]

    @property
    def binds_petitioner(self) -> bool:
        return self.party == "petitioner"


def _period(rule_id: str, effect: str, rulebook: RuleBook, extended_by: Mapping[str, str], detail: str = "") -> Period:
    rule = rulebook.rule(rule_id)
    return Period(
        rule=rule_id,
        effect=effect,
        title=rule.title,
        text=period_text(rule_id, rulebook, extended_by),
        trigger=rule.trigger,
        party=str(rule.party),
        basis=rule.values[-1].citation.short(),
        detail=detail,
    )


def key_periods(table: Sequence[Transition] | None = None, rulebook: RuleBook | None = None) -> list[Period]:
    """Every rule the table starts, once, in the order the table first starts it."""
    table = TABLE if table is None else table
    rulebook = rulebook or default_rulebook()
    extended_by = extensions(table)
    seen: dict[str, Period] = {}
    for t in table:
        for start in t.starts:
            if start.rule not in seen:
                seen[start.rule] = _period(start.rule, "start", rulebook, extended_by)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------------------------
# The step table
# ---------------------------------------------------------------------------------------------------------------


def state_label(value: str) -> str:
    try:
        return str(State(value).label)
    except ValueError:
        return value


def _stage(t: Transition) -> int:
    stages = {STATE_STAGE.get(s, OTHER_STAGE) for s in t.sources}
    if len(stages) > 1:
        return OTHER_STAGE  # acts anywhere: notices, supervision, leader cases
    if t.target not in (SAME, RESUME):
        stages.add(STATE_STAGE.get(t.target, OTHER_STAGE))
    return max(stages) if stages else OTHER_STAGE


def _sources_text(sources: frozenset[State]) -> str:
    if not sources:
        return "（起点）"
    if sources == frozenset(State):
        return "任何状态"
    if sources == NON_TERMINAL:
        return "任何未终结状态"
    order = list(State)
    return "、".join(state_label(s) for s in sorted(sources, key=order.index))


def _target_text(target: str) -> str:
    if target == SAME:
        return "状态不变"
    if target == RESUME:
        return "回到原状态（" + "或".join(state_label(s) for s in sorted(WORKING, key=list(State).index)) + "）"
    return state_label(target)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    code: str
    stage: str
    who: str  # public words for the acting organ
    what: str  # the row's plain-Chinese explanation
    basis: str
    periods: tuple[Period, ...]  # shown on the public page
    clocks: tuple[Period, ...]  # every clock effect, for the staff page
    roles: tuple[str, ...]  # staff page: role labels
    actor_organ: str
    sources: str
    target: str
    system_only: bool


@dataclass(frozen=True)
class StageGroup:
    title: str
    steps: tuple[Step, ...] = field(default_factory=tuple)


def _step(t: Transition, rulebook: RuleBook, extended_by: Mapping[str, str], role_labels: Mapping[str, str]) -> Step:
    stage = _stage(t)
    clocks: list[Period] = []
    for start in t.starts:
        details = [
            f"起算日：{TRIGGER_LABEL.get(start.trigger, start.trigger)}",
            f"期限约束：{BOUND_LABEL.get(start.bound, start.bound)}",
        ]
        if start.when:
            details.append(f"仅当{CONDITION_LABEL.get(start.when, start.when)}")
        if start.days_from:
            details.append(f"天数由办理人填写（{start.days_from}）")
        clocks.append(_period(start.rule, "start", rulebook, extended_by, "；".join(details)))
    for stop in t.stops:
        clocks.append(_period(stop.rule, stop.status, rulebook, extended_by))
    if t.pause:
        clocks.append(_period(t.pause, "pause", rulebook, extended_by))
    if t.resume:
        clocks.append(_period(t.resume, "resume", rulebook, extended_by))
    public = tuple(c for c in clocks if c.effect != "cancelled")
    role_order = list(role_labels)
    roles = sorted(t.roles, key=lambda r: (role_order.index(r) if r in role_order else len(role_order), r))
    who = CASE_ACTOR_BY_STAGE[stage] if t.actor_organ == "case" else ACTOR_ORGAN.get(t.actor_organ, t.actor_organ)
    return Step(
        name=t.name,
        label=t.label,
        code=t.code,
        stage=STAGES[stage],
        who=who,
        what=t.step_text,
        basis=t.basis,
        periods=public,
        clocks=tuple(clocks),
        roles=tuple(role_labels.get(r, r) for r in roles),
        actor_organ=t.actor_organ,
        sources=_sources_text(t.sources),
        target=_target_text(t.target),
        system_only=t.system_only,
    )


def build_steps(
    table: Sequence[Transition] | None = None,
    rulebook: RuleBook | None = None,
    role_labels: Mapping[str, str] | None = None,
) -> list[StageGroup]:
    """Every row of the table as a step, grouped by stage in table order; empty stages are left out."""
    table = TABLE if table is None else table
    rulebook = rulebook or default_rulebook()
    extended_by = extensions(table)
    grouped: dict[str, list[Step]] = {title: [] for title in STAGES}
    for t in table:
        step = _step(t, rulebook, extended_by, role_labels or {})
        grouped[step.stage].append(step)
    return [StageGroup(title, tuple(steps)) for title, steps in grouped.items() if steps]


# ---------------------------------------------------------------------------------------------------------------
# The diagram: graph
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiagramEdge:
    source: str  # a State value, or START
    target: str
    transition: Transition
    resume: bool = False  # expanded from RESUME


def diagram_edges(table: Sequence[Transition] | None = None) -> list[DiagramEdge]:
    """Every drawn edge: RESUME expanded to 调查核实/延期办理, SAME left out, no sources drawn from START."""
    table = TABLE if table is None else table
    order = {s: i for i, s in enumerate(State)}

    def by_order(values: frozenset[State] | frozenset[str]) -> list[str]:
        return sorted(values, key=lambda s: (order.get(s, len(order)), s))

    result: list[DiagramEdge] = []
    for t in table:
        if t.target == SAME:
            continue
        targets = by_order(WORKING) if t.target == RESUME else [t.target]
        sources = by_order(t.sources) if t.sources else [START]
        for source in sources:
            for target in targets:
                result.append(DiagramEdge(source, target, t, resume=t.target == RESUME))
    return result


def _back_edges(nodes: Sequence[str], edges: Sequence[DiagramEdge]) -> set[int]:
    """Indexes of edges drawn against the flow: RESUME edges, and edges closing a cycle in a DFS from the start."""
    back = {i for i, e in enumerate(edges) if e.resume or e.source == e.target}
    out: dict[str, list[int]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        if i not in back:
            out[e.source].append(i)
    colour: dict[str, int] = dict.fromkeys(nodes, 0)  # 0 new, 1 on the stack, 2 done
    for root in nodes:
        if colour[root]:
            continue
        colour[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            node, k = stack[-1]
            if k < len(out[node]):
                stack[-1] = (node, k + 1)
                i = out[node][k]
                nxt = edges[i].target
                if colour[nxt] == 1:
                    back.add(i)
                elif colour[nxt] == 0:
                    colour[nxt] = 1
                    stack.append((nxt, 0))
            else:
                colour[node] = 2
                stack.pop()
    return back


def _layers(nodes: Sequence[str], edges: Sequence[DiagramEdge], back: set[int]) -> dict[str, int]:
    """Longest path from the roots over the forward edges (Kahn's order)."""
    indegree = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for i, e in enumerate(edges):
        if i not in back:
            out[e.source].append(e.target)
            indegree[e.target] += 1
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if indegree[n] == 0]
    while ready:
        node = ready.pop(0)
        for nxt in out[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return layer


# ---------------------------------------------------------------------------------------------------------------
# The diagram: geometry
# ---------------------------------------------------------------------------------------------------------------

NODE_FONT = 14
LABEL_FONT = 12
CODE_FONT = 11
NODE_HEIGHT = 38
LABEL_HEIGHT = 34  # two lines: the label and the T-code
NODE_PAD = 14
RANK_GAP = 16
MAX_RANK_GAP = 72
PORT_GAP = 9.0  # between the ends of lines on one side of a box
PORT_MARGIN = 10.0
MARGIN = 24
FONT_FAMILY = "'Noto Sans CJK SC', sans-serif"


def text_width(text: str, size: float) -> float:
    """Estimated advance width: full-width characters are one em, others about 0.58 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.58 for ch in text)


@dataclass
class _Item:
    """Anything that occupies a slot in a rank: a state, the start marker, an edge label or a dummy."""

    key: str
    kind: str  # state | start | label | dummy
    rank: int
    width: float
    height: float
    edge: int = -1  # for label and dummy items
    x: float = 0.0
    y: float = 0.0  # centre


@dataclass
class _Chain:
    edge: int
    upper: str  # item keys, from the upper end to the lower end
    lower: str
    middle: list[str]
    back: bool  # drawn against the layout direction
    flat: bool = False  # both ends in one rank: a U under the boxes through the label


@dataclass
class Layout:
    items: dict[str, _Item]
    ranks: list[list[str]]
    chains: list[_Chain]
    edges: list[DiagramEdge]
    width: float
    height: float
    crossings: int


def _neighbours(chains: Sequence[_Chain]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains:
        if chain.flat:  # the label hangs below both ends
            for end in (chain.upper, chain.lower):
                down.setdefault(end, []).append(chain.middle[0])
                up.setdefault(chain.middle[0], []).append(end)
            continue
        path = [chain.upper, *chain.middle, chain.lower]
        for a, b in itertools.pairwise(path):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down


def _crossings_between(upper: Sequence[str], lower: Sequence[str], down: Mapping[str, list[str]]) -> int:
    pos = {k: i for i, k in enumerate(lower)}
    segments = [(i, pos[b]) for i, a in enumerate(upper) for b in down.get(a, ()) if b in pos]
    count = 0
    for n, (a1, b1) in enumerate(segments):
        for a2, b2 in segments[n + 1 :]:
            if (a1 - a2) * (b1 - b2) < 0:
                count += 1
    return count


def _total_crossings(ranks: Sequence[Sequence[str]], down: Mapping[str, list[str]]) -> int:
    return sum(_crossings_between(ranks[r], ranks[r + 1], down) for r in range(len(ranks) - 1))


def _order(ranks: list[list[str]], up: Mapping[str, list[str]], down: Mapping[str, list[str]]) -> list[list[str]]:
    """Barycenter sweeps, each followed by adjacent swaps; keeps the ordering with the fewest crossings."""
    best = [list(r) for r in ranks]
    best_count = _total_crossings(best, down)
    current = [list(r) for r in ranks]
    for iteration in range(24):
        downward = iteration % 2 == 0
        sequence = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for r in sequence:
            fixed = current[r - 1] if downward else current[r + 1]
            links = up if downward else down
            pos = {k: i for i, k in enumerate(fixed)}
            keyed = []
            for i, k in enumerate(current[r]):
                anchors = [pos[n] for n in links.get(k, ()) if n in pos]
                centre = sum(anchors) / len(anchors) if anchors else float(i)
                keyed.append((centre, i, k))
            current[r] = [k for _, _, k in sorted(keyed)]
        _transpose(current, down)
        count = _total_crossings(current, down)
        if count < best_count:
            best, best_count = [list(r) for r in current], count
    return best


def _transpose(ranks: list[list[str]], down: Mapping[str, list[str]]) -> None:
    improved = True
    rounds = 0
    while improved and rounds < 8:
        improved = False
        rounds += 1
        for r, rank in enumerate(ranks):
            for i in range(len(rank) - 1):
                before = _local_crossings(ranks, r, down)
                rank[i], rank[i + 1] = rank[i + 1], rank[i]
                if _local_crossings(ranks, r, down) < before:
                    improved = True
                else:
                    rank[i], rank[i + 1] = rank[i + 1], rank[i]


def _local_crossings(ranks: Sequence[Sequence[str]], r: int, down: Mapping[str, list[str]]) -> int:
    count = 0
    if r > 0:
        count += _crossings_between(ranks[r - 1], ranks[r], down)
    if r < len(ranks) - 1:
        count += _crossings_between(ranks[r], ranks[r + 1], down)
    return count


def _isotonic(targets: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Weighted least squares fit that never decreases (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    result: list[float] = []
    for mean, _, count in blocks:
        result.extend([mean] * int(count))
    return result


def _gap(a: _Item, b: _Item) -> float:
    spacing = 22.0 if a.kind in ("state", "start") and b.kind in ("state", "start") else 10.0
    return (a.width + b.width) / 2 + spacing


WEIGHT = {"state": 1.0, "start": 1.0, "label": 2.0, "dummy": 4.0}


def _place_x(
    items: Mapping[str, _Item],
    ranks: Sequence[Sequence[str]],
    up: Mapping[str, list[str]],
    down: Mapping[str, list[str]],
) -> None:
    for rank in ranks:  # packed start
        x = 0.0
        for n, key in enumerate(rank):
            if n:
                x += _gap(items[rank[n - 1]], items[key])
            items[key].x = x
    for iteration in range(60):
        mode = iteration % 3  # 0: pulled by the rank above, 1: by the rank below, 2: by both
        order = range(len(ranks)) if mode != 1 else range(len(ranks) - 1, -1, -1)
        for r in order:
            rank = ranks[r]
            if not rank:
                continue
            offsets = [0.0]
            for n in range(1, len(rank)):
                offsets.append(offsets[-1] + _gap(items[rank[n - 1]], items[rank[n]]))
            targets, weights = [], []
            for key, offset in zip(rank, offsets, strict=True):
                linked = (up.get(key, []) if mode != 1 else []) + (down.get(key, []) if mode != 0 else [])
                desired = sum(items[k].x for k in linked) / len(linked) if linked else items[key].x
                targets.append(desired - offset)
                weights.append(WEIGHT[items[key].kind] * (1.0 if linked else 0.05))
            fitted = _isotonic(targets, weights)
            for key, value, offset in zip(rank, fitted, offsets, strict=True):
                items[key].x = value + offset
    left = min(item.x - item.width / 2 for item in items.values())
    for item in items.values():
        item.x += MARGIN - left


def layout(table: Sequence[Transition] | None = None) -> Layout:
    edges = diagram_edges(table)
    nodes: list[str] = ([START] if any(e.source == START for e in edges) else []) + [str(s) for s in State]
    for e in edges:  # a fake or new target that is not a State still gets a box
        for n in (e.source, e.target):
            if n not in nodes:
                nodes.append(n)
    back = _back_edges(nodes, edges)
    layer = _layers(nodes, edges, back)

    items: dict[str, _Item] = {}
    for n in nodes:
        if n == START:
            items[n] = _Item(n, "start", 2 * layer[n], text_width("信访人提出", NODE_FONT) + 2 * NODE_PAD, NODE_HEIGHT)
        else:
            width = text_width(state_label(n), NODE_FONT) + 2 * NODE_PAD
            items[n] = _Item(n, "state", 2 * layer[n], width, NODE_HEIGHT)

    label_load: dict[int, float] = {}
    chains: list[_Chain] = []
    self_loops: list[int] = []
    for i, e in enumerate(edges):
        if e.source == e.target:
            self_loops.append(i)
            continue
        a, b = items[e.source], items[e.target]
        upper, lower = (a, b) if a.rank <= b.rank else (b, a)
        flat = upper.rank == lower.rank
        lower_rank = upper.rank + 2 if flat else lower.rank
        odd = list(range(upper.rank + 1, lower_rank, 2))
        middle_rank = (upper.rank + lower_rank) / 2
        label_rank = min(odd, key=lambda r: (label_load.get(r, 0.0), abs(r - middle_rank), r))
        t = e.transition
        label_width = max(text_width(t.label, LABEL_FONT), text_width(t.code, CODE_FONT)) + 10
        label_load[label_rank] = label_load.get(label_rank, 0.0) + label_width
        middle: list[str] = []
        for r in range(upper.rank + 1, lower_rank):
            if flat and r != label_rank:
                continue
            key = f"e{i}r{r}"
            if r == label_rank:
                items[key] = _Item(key, "label", r, label_width, LABEL_HEIGHT, edge=i)
            else:
                items[key] = _Item(key, "dummy", r, 6, LABEL_HEIGHT if r % 2 else NODE_HEIGHT, edge=i)
            middle.append(key)
        chains.append(_Chain(i, upper.key, lower.key, middle, back=flat or a is lower, flat=flat))
    # A box with many lines on one side is widened so that their ends stay PORT_GAP apart.
    ends: dict[tuple[str, str], int] = {}
    for chain in chains:
        ends[(chain.upper, "bottom")] = ends.get((chain.upper, "bottom"), 0) + 1
        side = "bottom" if chain.flat else "top"
        ends[(chain.lower, side)] = ends.get((chain.lower, side), 0) + 1
    for (key, _), count in ends.items():
        items[key].width = max(items[key].width, PORT_GAP * (count - 1) + 2 * PORT_MARGIN)

    rank_count = max(item.rank for item in items.values()) + 1
    ranks: list[list[str]] = [[] for _ in range(rank_count)]
    for key in sorted(items, key=lambda k: _initial_key(items[k], nodes)):
        ranks[items[key].rank].append(key)
    up, down = _neighbours(chains)
    ranks = _order(ranks, up, down)
    _place_x(items, ranks, up, down)

    y = float(MARGIN)
    for r, rank in enumerate(ranks):
        height = NODE_HEIGHT if r % 2 == 0 else LABEL_HEIGHT
        for key in rank:
            items[key].y = y + height / 2
        # Lines that travel far sideways get more height, so that they do not run flat along the boxes.
        spread = max((abs(items[k].x - items[n].x) for k in rank for n in down.get(k, ())), default=0.0)
        y += height + min(MAX_RANK_GAP, max(RANK_GAP, spread * 0.16))
    width = max(item.x + item.width / 2 for item in items.values()) + MARGIN
    for i in self_loops:  # room on the right of the box for the loop and its label
        width = max(width, items[edges[i].source].x + items[edges[i].source].width / 2 + 120)
    return Layout(items, ranks, chains, edges, width, y + MARGIN, _total_crossings(ranks, down))


def _initial_key(item: _Item, nodes: Sequence[str]) -> tuple[int, float]:
    if item.kind in ("state", "start"):
        return (item.rank, float(nodes.index(item.key)))
    return (item.rank, float(len(nodes) + item.edge))


# ---------------------------------------------------------------------------------------------------------------
# The diagram: SVG
# ---------------------------------------------------------------------------------------------------------------

EDGE_COLOUR = "#57606a"
BACK_COLOUR = "#0b5cad"
TERMINAL_STROKE = "#1f2328"


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _ports(lay: Layout) -> dict[tuple[int, str], float]:
    """Spread the ends of the edges along the top and bottom of each box, ordered by where they go."""
    bottom: dict[str, list[tuple[float, int]]] = {}
    top: dict[str, list[tuple[float, int]]] = {}
    for chain in lay.chains:
        path = [chain.upper, *chain.middle, chain.lower]
        bottom.setdefault(chain.upper, []).append((lay.items[path[1]].x, chain.edge))
        if chain.flat:
            bottom.setdefault(chain.lower, []).append((lay.items[path[-2]].x, chain.edge))
        else:
            top.setdefault(chain.lower, []).append((lay.items[path[-2]].x, chain.edge))
    ports: dict[tuple[int, str], float] = {}
    for side, table in (("bottom", bottom), ("top", top)):
        for key, ends in table.items():
            item = lay.items[key]
            ends.sort()
            span = min(item.width - 2 * PORT_MARGIN, 12.0 * (len(ends) - 1))
            for n, (_, edge) in enumerate(ends):
                offset = 0.0 if len(ends) == 1 else -span / 2 + span * n / (len(ends) - 1)
                ports[(edge, f"{side}:{key}")] = item.x + offset
    return ports


def _chain_points(lay: Layout, chain: _Chain, ports: Mapping[tuple[int, str], float]) -> list[tuple[float, float]]:
    upper = lay.items[chain.upper]
    lower = lay.items[chain.lower]
    points = [(ports[(chain.edge, f"bottom:{upper.key}")], upper.y + upper.height / 2)]
    if chain.flat:  # down to the top of the label, and back up to the other box
        label = lay.items[chain.middle[0]]
        points.append((label.x, label.y - label.height / 2))
        points.append((ports[(chain.edge, f"bottom:{lower.key}")], lower.y + lower.height / 2))
        return points
    for key in chain.middle:
        item = lay.items[key]
        points.append((item.x, item.y - item.height / 2))
        points.append((item.x, item.y + item.height / 2))
    points.append((ports[(chain.edge, f"top:{lower.key}")], lower.y - lower.height / 2))
    return points


def _path(points: Sequence[tuple[float, float]]) -> str:
    parts = [f"M{_fmt(points[0][0])},{_fmt(points[0][1])}"]
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if abs(x1 - x2) < 0.5:
            parts.append(f"L{_fmt(x2)},{_fmt(y2)}")
        else:
            dy = (y2 - y1) / 2 if abs(y2 - y1) > 1 else 20.0
            parts.append(f"C{_fmt(x1)},{_fmt(y1 + dy)} {_fmt(x2)},{_fmt(y2 - dy)} {_fmt(x2)},{_fmt(y2)}")
    return "".join(parts)


def _incoming_bases(edges: Sequence[DiagramEdge]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for e in edges:
        bases = result.setdefault(e.target, [])
        if e.transition.basis not in bases:
            bases.append(e.transition.basis)
    return result


def render_svg(table: Sequence[Transition] | None = None) -> str:
    """The diagram as a standalone, accessible SVG string (inline it, or save it as a .svg file)."""
    return _render_svg(tuple(TABLE if table is None else table))


@lru_cache(maxsize=8)
def _render_svg(table: tuple[Transition, ...]) -> str:
    """Cached by the table's contents: a changed table (or a patched one in a test) is drawn afresh."""
    lay = layout(table)
    ports = _ports(lay)
    bases = _incoming_bases(lay.edges)
    states = [k for k, item in lay.items.items() if item.kind == "state"]
    terminal_count = sum(1 for s in states if s in TERMINAL)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rm-diagram" role="img" '
        f'aria-labelledby="rm-title rm-desc" width="{_fmt(lay.width)}" height="{_fmt(lay.height)}" '
        f'viewBox="0 0 {_fmt(lay.width)} {_fmt(lay.height)}" font-family="{_attr(FONT_FAMILY)}">',
        '<title id="rm-title">信访事项办理路线图</title>',
        f'<desc id="rm-desc">由系统流转规则表自动生成的流程图：共{len(states)}个状态'
        f"（其中{terminal_count}个为终结状态，以双线框表示）和{len(lay.edges)}条流转线，每条线注明步骤名称和编号；虚线表示返回此前状态。"
        "自上而下阅读，从“信访人提出”开始。各步骤的文字说明见图下方的分步表。</desc>",
        "<defs>",
        _marker("rm-arrow", EDGE_COLOUR),
        _marker("rm-arrow-back", BACK_COLOUR),
        "</defs>",
    ]
    # Edges first, so boxes and labels sit on top of the lines.
    label_parts: list[str] = []
    for chain in lay.chains:
        e = lay.edges[chain.edge]
        t = e.transition
        points = _chain_points(lay, chain, ports)
        if chain.back:
            points.reverse()
        colour, marker = (BACK_COLOUR, "rm-arrow-back") if chain.back else (EDGE_COLOUR, "rm-arrow")
        dash = ' stroke-dasharray="6 4"' if chain.back else ""
        title = f"{t.label}（{t.code}）：{_end_label(e.source)} → {state_label(e.target)}\n依据：{t.basis}"
        label_key = next((k for k in chain.middle if lay.items[k].kind == "label"), None)
        out.append(
            f'<g class="rm-edge{" rm-back" if chain.back else ""}" data-transition="{_attr(t.name)}" '
            f'data-from="{_attr(e.source)}" data-to="{_attr(e.target)}" data-code="{_attr(t.code)}">'
            f"<title>{escape(title)}</title>"
            f'<path d="{_path(points)}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} '
            f'marker-end="url(#{marker})"/>'
            f'<path class="rm-hit" d="{_path(points)}" fill="none" stroke="transparent" stroke-width="10"/>'
            "</g>"
        )
        if label_key is not None:
            label_parts.append(_edge_label(lay.items[label_key], e, colour, title))
    for e in lay.edges:  # self loops (none in the current table)
        if e.source == e.target:
            label_parts.append(_self_loop(lay.items[e.source], e))
    for key in (k for rank in lay.ranks for k in rank):
        item = lay.items[key]
        if item.kind == "state":
            out.append(_state_box(item, bases.get(key, [])))
        elif item.kind == "start":
            out.append(_start_marker(item))
    out.extend(label_parts)
    out.append("</svg>")
    return "\n".join(out)


def _end_label(value: str) -> str:
    return "信访人提出" if value == START else state_label(value)


def _marker(marker_id: str, colour: str) -> str:
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,1 L10,5 L0,9 z" fill="{colour}"/></marker>'
    )


def _edge_label(item: _Item, e: DiagramEdge, colour: str, title: str) -> str:
    t = e.transition
    x, y = item.x, item.y
    text_colour = BACK_COLOUR if colour == BACK_COLOUR else "#1f2328"
    return (
        f'<g class="rm-label" data-transition="{_attr(t.name)}" data-from="{_attr(e.source)}" '
        f'data-to="{_attr(e.target)}" aria-hidden="true"><title>{escape(title)}</title>'
        f'<rect x="{_fmt(x - item.width / 2)}" y="{_fmt(y - item.height / 2 + 1)}" width="{_fmt(item.width)}" '
        f'height="{_fmt(item.height - 2)}" rx="4" fill="#ffffff" fill-opacity="0.94" stroke="{colour}" '
        f'stroke-opacity="0.35"/>'
        f'<text x="{_fmt(x)}" y="{_fmt(y - 2)}" text-anchor="middle" font-size="{LABEL_FONT}" '
        f'fill="{text_colour}">{escape(t.label)}</text>'
        f'<text x="{_fmt(x)}" y="{_fmt(y + 12)}" text-anchor="middle" font-size="{CODE_FONT}" '
        f'fill="#57606a" font-weight="bold">{escape(t.code)}</text></g>'
    )


def _state_box(item: _Item, bases: Sequence[str]) -> str:
    terminal = item.key in TERMINAL
    label = state_label(item.key)
    fill = STAGE_FILL[STATE_STAGE.get(item.key, OTHER_STAGE)]
    left, top = item.x - item.width / 2, item.y - item.height / 2
    title = label + ("（终结状态）" if terminal else "")
    if bases:
        title += "\n进入依据：" + "；".join(bases)
    parts = [
        f'<g class="rm-node{" rm-terminal" if terminal else ""}" data-state="{_attr(item.key)}" '
        f'data-terminal="{"true" if terminal else "false"}"><title>{escape(title)}</title>',
        f'<rect x="{_fmt(left)}" y="{_fmt(top)}" width="{_fmt(item.width)}" height="{_fmt(item.height)}" rx="6" '
        f'fill="{fill}" stroke="{TERMINAL_STROKE if terminal else "#8c959f"}" '
        f'stroke-width="{1.6 if terminal else 1.2}"/>',
    ]
    if terminal:
        parts.append(
            f'<rect x="{_fmt(left + 3)}" y="{_fmt(top + 3)}" width="{_fmt(item.width - 6)}" '
            f'height="{_fmt(item.height - 6)}" rx="4" fill="none" stroke="{TERMINAL_STROKE}" stroke-width="1"/>'
        )
    weight = ' font-weight="bold"' if terminal else ""
    parts.append(
        f'<text x="{_fmt(item.x)}" y="{_fmt(item.y + NODE_FONT * 0.36)}" text-anchor="middle" '
        f'font-size="{NODE_FONT}" fill="#1f2328"{weight}>{escape(label)}</text></g>'
    )
    return "".join(parts)


def _start_marker(item: _Item) -> str:
    left, top = item.x - item.width / 2, item.y - item.height / 2
    return (
        f'<g class="rm-start" data-node="{START}">'
        "<title>开始：信访人通过网上、来信、来电、传真、来访等形式提出信访事项</title>"
        f'<rect x="{_fmt(left)}" y="{_fmt(top)}" width="{_fmt(item.width)}" height="{_fmt(item.height)}" '
        f'rx="{_fmt(item.height / 2)}" fill="#9f1c1c"/>'
        f'<text x="{_fmt(item.x)}" y="{_fmt(item.y + NODE_FONT * 0.36)}" text-anchor="middle" '
        f'font-size="{NODE_FONT}" fill="#ffffff" font-weight="bold">信访人提出</text></g>'
    )


def _self_loop(item: _Item, e: DiagramEdge) -> str:
    t = e.transition
    x0 = item.x + item.width / 2
    top, bottom = item.y - 8, item.y + 8
    title = f"{t.label}（{t.code}）\n依据：{t.basis}"
    return (
        f'<g class="rm-edge" data-transition="{_attr(t.name)}" data-from="{_attr(e.source)}" '
        f'data-to="{_attr(e.target)}" data-code="{_attr(t.code)}"><title>{escape(title)}</title>'
        f'<path d="M{_fmt(x0)},{_fmt(top)} C{_fmt(x0 + 40)},{_fmt(top - 20)} {_fmt(x0 + 40)},{_fmt(bottom + 20)} '
        f'{_fmt(x0)},{_fmt(bottom)}" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.4" '
        f'marker-end="url(#rm-arrow)"/>'
        f'<text x="{_fmt(x0 + 44)}" y="{_fmt(item.y + 4)}" font-size="{LABEL_FONT}">'
        f"{escape(t.label)} {escape(t.code)}</text>"
        "</g>"
    )


# ---------------------------------------------------------------------------------------------------------------
# Everything a page needs
# ---------------------------------------------------------------------------------------------------------------


def page_data(
    table: Sequence[Transition] | None = None,
    rulebook: RuleBook | None = None,
    role_labels: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The context of the public and staff roadmap pages (the SVG is escaped here and safe to inline)."""
    table = TABLE if table is None else table
    rulebook = rulebook or default_rulebook()
    periods = key_periods(table, rulebook)
    return {
        "stages": build_steps(table, rulebook, role_labels),
        "diagram": render_svg(table),
        "periods": {p.rule: p.text for p in periods},
        "organ_periods": [p for p in periods if not p.binds_petitioner],
        "petitioner_periods": [p for p in periods if p.binds_petitioner],
        "stage_colours": [(title, STAGE_FILL[i]) for i, title in enumerate(STAGES[:-1])],
    }
