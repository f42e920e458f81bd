"""The roadmap (路线图): a step table and an SVG diagram, both generated from the transition table.

Nothing here is written by hand about which step follows which: the steps, the edges of the diagram and
the periods all come from ``TABLE`` and the rules package, so the page cannot drift from what the engine
enforces. Pure functions; no Django apart from the table and the states it imports. The drawing itself
(layout and SVG) is ``xinfang.diagram``, which knows nothing about petitions: here the table becomes its
nodes (states, and the start marker) and edges (one per source and target of a row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from xinfang import diagram
from xinfang.diagram import Edge, Layout, Node
from xinfang.rules import RuleBook, ValueKind, default_rulebook

from .states import NON_TERMINAL, TERMINAL, State
from .table import RESUME, SAME, TABLE, WORKING, Transition

START = "start"  # the marker the first transition (no sources) is drawn from

# ---------------------------------------------------------------------------------------------------------------
# Stages (presentation only: which heading a step is listed under)
# ---------------------------------------------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("收到与登记", "甄别与分办", "受理与办理", "答复与送达", "复查", "复核", "其他")
OTHER_STAGE = len(STAGES) - 1

# The states listed under each stage, in the order of STAGES ("其他" has none).
STAGE_STATES: tuple[tuple[State, ...], ...] = (
    (State.RECEIVED, State.REGISTERED),
    (
        *(State.TRIAGED, State.TRANSFERRED, State.ASSIGNED, State.ESCALATED, State.ROUTED_POLITICAL_LEGAL),
        *(State.ROUTED_DISCIPLINE, State.REFERRED_OUT, State.NOT_ACCEPTED, State.NOT_REACCEPTED),
        *(State.OBJECTION_RAISED, State.RETURNED),
    ),
    (
        *(State.ACCEPTED, State.SUGGESTION_REVIEW, State.ACCUSATION_HANDLING, State.DIVERTED, State.DUTY_PERFORMANCE),
        *(State.INVESTIGATING, State.EXTENDED, State.HEARING, State.MEDIATION, State.SETTLED),
    ),
    (
        *(State.SUGGESTION_CONCLUDED, State.ACCUSATION_CONCLUDED, State.OPINION_ISSUED, State.OPINION_DELIVERED),
        *(State.CLOSED, State.CLOSED_NO_REVIEW),
    ),
    (State.REVIEW_REQUESTED, State.REVIEW_DELIVERED),
    (State.RE_REVIEW_REQUESTED, State.RE_REVIEW_HEARING, State.FINAL),
)
STATE_STAGE: dict[str, int] = {state: stage for stage, states in enumerate(STAGE_STATES) for state in states}

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
# Who acts, by the row's actor_organ: in public words (for "case" by the stage), and as the staff page says it.
ACTOR_ORGAN: dict[str, tuple[str, str]] = {
    "case": ("", "本机关（案件所在机关）"),
    "sender": ("转送、交办机关、单位", "转送、交办机关"),
    "superior": ("上一级机关、单位", "上一级机关"),
    "case_or_superior": ("办理机关、单位或者其上级机关、单位", "本机关或上级机关"),
    "superior_bureau": ("信访部门", "上级信访部门"),
    "review": ("复查机关（原办理机关、单位的上一级机关、单位）", "复查机关"),
    "re_review": ("复核机关（复查机关、单位的上一级机关、单位）", "复核机关"),
    "assignee": ("承办机关、单位", "承办机关"),
    "system": ("期限届满后自动办结，无需办理", "系统（期满自动）"),
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
    actor_organ: str  # the table's name for the acting organ
    actor: str  # staff page: the acting organ in words
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
            f"起算日：{start.trigger.label}",
            f"期限约束：{start.bound.label}",
        ]
        if start.when:
            details.append(f"仅当{start.when.label}")
        if start.days_from:
            details.append("天数由办理人在操作时填写")
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
    public_actor, staff_actor = ACTOR_ORGAN.get(t.actor_organ, ("有关机关、单位", "其他机关"))
    return Step(
        name=t.name,
        label=t.label,
        code=t.code,
        stage=STAGES[stage],
        who=CASE_ACTOR_BY_STAGE[stage] if t.actor_organ == "case" else public_actor,
        what=t.step_text,
        basis=t.basis,
        periods=public,
        clocks=tuple(clocks),
        roles=tuple(role_labels.get(r, r) for r in roles),
        actor_organ=t.actor_organ,
        actor=staff_actor,
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


# The diagram: the table as nodes and edges for xinfang.diagram
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DiagramEdge(Edge):
    """A drawn edge and the row it comes from."""

    transition: Transition
    resume: bool = False  # expanded from RESUME


def _end_label(value: str) -> str:
    return "信访人提出" if value == START else state_label(value)


def diagram_edges(table: Sequence[Transition] | None = None) -> list[DiagramEdge]:
    """Every drawn edge: RESUME expanded to 调查核实/延期办理, SAME left out, no sources drawn from START.
    RESUME edges go back to a state the case has been in, so they are always drawn against the flow."""
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
                resume = t.target == RESUME
                result.append(
                    DiagramEdge(
                        source=str(source),
                        target=str(target),
                        label=t.label,
                        sublabel=t.code,
                        title=f"{t.label}（{t.code}）：{_end_label(source)} → {state_label(target)}\n依据：{t.basis}",
                        back=resume,
                        data=(("transition", t.name), ("code", t.code)),
                        transition=t,
                        resume=resume,
                    )
                )
    return result


def diagram_nodes(edges: Sequence[DiagramEdge]) -> list[Node]:
    """The start marker (if any edge leaves it), every state in the order of ``State``, then any other target."""
    keys: list[str] = ([START] if any(e.source == START for e in edges) else []) + [str(s) for s in State]
    for e in edges:  # a fake or new target that is not a State still gets a box
        for key in (e.source, e.target):
            if key not in keys:
                keys.append(key)
    bases: dict[str, list[str]] = {}
    for e in edges:
        entered = bases.setdefault(e.target, [])
        if e.transition.basis not in entered:
            entered.append(e.transition.basis)
    return [_start_node() if key == START else _state_node(key, bases.get(key, [])) for key in keys]


def _start_node() -> Node:
    return Node(
        START,
        "信访人提出",
        kind="start",
        title="开始：信访人通过网上、来信、来电、传真、来访等形式提出信访事项",
        fill="#9f1c1c",
        stroke=None,
        text_colour="#ffffff",
        bold=True,
        pill=True,
        classes=("start",),
    )


def _state_node(key: str, bases: Sequence[str]) -> Node:
    terminal = key in TERMINAL
    label = state_label(key)
    title = label + ("（终结状态）" if terminal else "")
    if bases:
        title += "\n进入依据：" + "；".join(bases)
    return Node(
        key,
        label,
        kind="state",
        title=title,
        fill=STAGE_FILL[STATE_STAGE.get(key, OTHER_STAGE)],
        stroke="#1f2328" if terminal else "#8c959f",
        double=terminal,
        bold=terminal,
        classes=("node", "terminal") if terminal else ("node",),
        data=(("state", key), ("terminal", "true" if terminal else "false")),
    )


def layout(table: Sequence[Transition] | None = None) -> Layout[DiagramEdge]:
    edges = diagram_edges(table)
    return diagram.layout(diagram_nodes(edges), edges)


def render_svg(table: Sequence[Transition] | None = None) -> str:
    """The diagram as a standalone, accessible SVG string (inline it, or save it as a .svg file)."""
    return _render_svg(tuple(TABLE if table is None else table))


@lru_cache(maxsize=8)
def _render_svg(table: tuple[Transition, ...]) -> str:
    """Cached by the table's contents: a changed table (or a patched one in a test) is drawn afresh."""
    lay = layout(table)
    states = [item.key for item in lay.items.values() if item.kind == "state"]
    terminal_count = sum(1 for s in states if s in TERMINAL)
    description = (
        f"由系统流转规则表自动生成的流程图：共{len(states)}个状态（其中{terminal_count}个为终结状态，以双线框表示）"
        f"和{len(lay.edges)}条流转线，每条线注明步骤名称和编号；虚线表示返回此前状态。"
        "自上而下阅读，从“信访人提出”开始。各步骤的文字说明见图下方的分步表。"
    )
    return diagram.render_svg(lay, title="信访事项办理路线图", description=description, prefix="rm")


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
