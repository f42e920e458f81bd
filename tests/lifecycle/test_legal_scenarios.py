"""Plays docs/golden/legal-scenarios.yaml through the engine.

The scenarios are written from the articles of 《信访工作条例》(2022), not from the transition table: each
names its article and quotes the words it relies on, and states who acts, on what, when, and the outcome
(allowed, or refused citing the article). This file only builds the world a row describes and checks it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml

from tests.factories import at
from tests.lifecycle.legal_world import FakeNotice, World
from xinfang.audit.models import Event
from xinfang.lifecycle.context import PETITIONER_ONLINE, SYSTEM, Actor, Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, ClockStatus
from xinfang.lifecycle.notices import own_notice_rules
from xinfang.lifecycle.scan import scan_deadlines
from xinfang.lifecycle.table import TABLE

pytestmark = pytest.mark.django_db
SCENARIOS_FILE = Path(__file__).resolve().parents[2] / "docs" / "golden" / "legal-scenarios.yaml"
SCENARIOS: list[dict[str, Any]] = yaml.safe_load(SCENARIOS_FILE.read_text(encoding="utf-8"))
ARTICLES = ["第十七条", "第十八条", "第十九条", "第二十条", "第二十一条", "第二十二条", "第二十三条"]
ARTICLES += ["第二十四条", "第二十五条", "第二十六条", "第二十七条", "第二十八条", "第二十九条", "第三十条"]
ARTICLES += ["第三十一条", "第三十二条", "第三十三条", "第三十四条", "第三十五条", "第三十六条"]
LAW = Path("/work/shared/reference/law/信访工作条例-2022.md")


def test_every_article_from_17_to_36_has_a_scenario() -> None:
    cited = {article for row in SCENARIOS for article in ARTICLES if article in row["article"]}
    assert cited == set(ARTICLES), set(ARTICLES) - cited


def test_rows_are_well_formed_and_quote_the_law() -> None:
    ids = [row["id"] for row in SCENARIOS]
    assert len(ids) == len(set(ids))
    text = "".join(LAW.read_text(encoding="utf-8").split()) if LAW.exists() else ""
    for row in SCENARIOS:
        assert row["article"].startswith("《信访工作条例》") and row["quote"] and row["title"], row["id"]
        assert row["expect"] in ("allowed", "refused", "no_transition"), row["id"]
        if row["expect"] == "refused":
            assert row.get("cites"), row["id"]
        if text:
            for piece in str(row["quote"]).split("……"):
                assert "".join(piece.split()) in text, (row["id"], piece)


def _actor(world: World, who: Any) -> Actor:
    if who == "system":
        return SYSTEM
    if who == "petitioner_online":
        return PETITIONER_ONLINE
    return world.who(who["organ"], who["role"])


def _payload(world: World, case: Case, raw: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        if isinstance(value, str) and value.startswith("@"):
            value = world.organ(value[1:]).pk
        elif key == "document":
            value = FakeNotice(str(value), case.pk)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        payload[key] = value
    return payload


def _check_after(world: World, case: Case, action: str, then: dict[str, Any], row_id: str) -> None:
    case.refresh_from_db()
    if "state" in then:
        assert case.state == then["state"], row_id
    for key in ("review_organ", "re_review_organ"):
        if key in then:
            assert getattr(case, key) == world.organ(then[key]), (row_id, key)
    for rule in then.get("running", ()):
        assert case.clocks.filter(rule=rule, status=ClockStatus.RUNNING).exists(), (row_id, rule)
    for rule, status in (then.get("stopped") or {}).items():
        assert case.clocks.filter(rule=rule, status=status).exists(), (row_id, rule, status)
    for rule in then.get("no_clock", ()):
        assert not case.clocks.filter(rule=rule).exists(), (row_id, rule)
    last = Event.objects.filter(case_id=case.pk, action=action).order_by("-seq").first()
    assert last is not None, row_id  # every allowed step leaves its event
    if "basis_has" in then:
        assert then["basis_has"] in last.basis, (row_id, last.basis)
    for text in then.get("basis_lacks", ()):
        assert text not in last.basis, (row_id, last.basis)
    if "scan_on" in then:
        with time_machine.travel(at(str(then["scan_on"])), tick=False):
            scan_deadlines()
        case.refresh_from_db()
        assert case.overdue == then.get("overdue", True), row_id
        for rule in then.get("overdue_rules", ()):
            assert case.clocks.filter(rule=rule, overdue=True).exists(), (row_id, rule)
    if "child" in then:
        child = case.children.get()
        spec = then["child"]
        assert child.organ == world.organ(spec["organ"]), row_id
        for rule in spec.get("no_clock", ()):
            assert not child.clocks.filter(rule=rule).exists(), (row_id, "child", rule)
        for rule in spec.get("running", ()):
            assert child.clocks.filter(rule=rule, status=ClockStatus.RUNNING).exists(), (row_id, "child", rule)
        if "own_notice_rules" in spec:
            shown = own_notice_rules(child)
            assert (shown is not None) == bool(spec["own_notice_rules"]), (row_id, shown)
            if shown:
                assert "按照有关规定执行" in shown and "第二十三条第四款" in shown


@pytest.mark.parametrize("row", SCENARIOS, ids=[row["id"] for row in SCENARIOS])
def test_scenario(row: dict[str, Any]) -> None:
    if row["expect"] == "no_transition":
        article = row["article"].removeprefix("《信访工作条例》")
        assert not [t.name for t in TABLE if article in t.basis], row["id"]
        return
    world = World()
    when = str(row["when"])
    case = world.case(row.get("case") or {}, when)
    before = case.state
    actor = _actor(world, row["who"])
    payload = _payload(world, case, row.get("payload") or {})
    with time_machine.travel(at(when), tick=False):
        if row["expect"] == "refused":
            with pytest.raises(Refused) as refusal:
                perform(case.pk, row["action"], actor, payload)
            assert row["cites"] in refusal.value.message, (row["id"], refusal.value.message)
            case.refresh_from_db()
            assert case.state == before, row["id"]
            return
        try:
            perform(case.pk, row["action"], actor, payload)
        except Refused as refusal:
            pytest.fail(f"{row['id']}: refused: {refusal.message}")
    _check_after(world, case, row["action"], row.get("then") or {}, row["id"])
