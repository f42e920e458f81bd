"""Play every story on one shared timeline, oldest moment first, with the daily deadline scan in between.

Each story is a generator that yields the moment of its next action; a heap always resumes the one
whose moment comes first, so the event chain is written in the order things happened. At 01:00 each
day the platform's own work runs as it would have that night: lapsed petitioner windows are closed and
`scan_deadlines` marks overdue clocks and queues reminders.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from xinfang.documents.services import DocumentRefused
from xinfang.lifecycle.context import SYSTEM, Refused
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.models import Case, Clock, ClockStatus
from xinfang.lifecycle.scan import CLOSING, scan_deadlines
from xinfang.org.models import Organ, Staff

from .city import DemoCity
from .ops import OPS
from .plan import CST, Story


@dataclass
class Refusal:
    story: int
    scenario: str
    op: str
    message: str


@dataclass
class Director:
    city: DemoCity
    end: dt.datetime
    progress: Callable[[str], None] = lambda line: None
    petitions: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    windows_closed: int = 0

    # --- used by the operations ----------------------------------------------------------------

    def who(self, organ: Organ | None, role: str) -> Staff:
        assert organ is not None
        return self.city.who(organ, role)

    def account(self, username: str) -> Staff:
        return self.city.accounts[username]

    def act(self, case: Case, name: str, actor: Staff, now: dt.datetime, **payload: Any) -> Case:
        return perform(case, name, actor, payload, now=now)

    def child(self, parent: Case, organ: Organ) -> Case:
        """The case a transfer, assignment or routing just opened at ``organ``."""
        return Case.objects.select_related("organ", "petition").filter(parent=parent, organ=organ).latest("pk")

    def reload(self, case: Case) -> Case:
        return Case.objects.select_related("organ", "petition", "review_organ", "re_review_organ").get(pk=case.pk)

    def registered(self, story: Story) -> None:
        self.petitions += 1
        if self.petitions % 50 == 0:
            self.progress(f"  已登记 {self.petitions} 件信访件……")

    # --- the timeline ----------------------------------------------------------------------------

    def play(self, story: Story) -> Iterator[dt.datetime]:
        for op, moment in story.steps:
            story.current = op
            for when in OPS[op](self, story, moment):
                if when > self.end:
                    return
                yield when

    def nightly(self, first: dt.date) -> Iterator[dt.datetime]:
        day = first
        while (when := dt.datetime.combine(day, dt.time(1, 0), CST)) <= self.end:
            yield when
            self.close_lapsed_windows(when)
            scan_deadlines(now=when)
            day += dt.timedelta(days=1)

    def close_lapsed_windows(self, now: dt.datetime) -> None:
        """What `scan_deadlines` does for lapsed windows, but dated ``now`` (the scan dates it today)."""
        grace = dt.timedelta(days=settings.XINFANG_WINDOW_GRACE_DAYS)
        lapsed = Clock.objects.filter(
            status=ClockStatus.RUNNING,
            party="petitioner",
            rule__in=CLOSING,
            legal_last_day__lt=timezone.localdate(now) - grace,
        ).values_list("case_id", "rule")
        for case_id, rule in list(lapsed):
            perform(case_id, CLOSING[rule], SYSTEM, now=now)
            self.windows_closed += 1

    def run(self, stories: list[Story]) -> None:
        order = itertools.count()
        queue: list[tuple[dt.datetime, int, Story | None, Iterator[dt.datetime]]] = []

        def push(story: Story | None, steps: Iterator[dt.datetime]) -> None:
            when = next(steps, None)
            if when is not None:
                heapq.heappush(queue, (when, next(order), story, steps))

        first = min(story.steps[0][1] for story in stories).astimezone(CST).date()
        push(None, self.nightly(first))
        for each in stories:
            push(each, self.play(each))
        while queue:
            _, _, story, steps = heapq.heappop(queue)
            try:
                push(story, steps)
            except (Refused, DocumentRefused) as refused:  # the story stops here; the rest of the demo goes on
                if story is None:
                    raise
                self.refusals.append(Refusal(story.index, story.scenario.name, story.current, refused.message))
