"""Recompute the chain; name the first event or covered record that no longer matches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .chain import event_hash
from .models import GENESIS, ChainHead, Event
from .services import hashed_fields

# Apps whose records the chain covers register a digest function here (see intake.apps).
# It takes a record id and returns the current digest, or None if the record is gone.
COVERED: dict[str, Callable[[int], str | None]] = {}


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def _problems() -> Iterator[Problem]:
    expected_seq, previous = 1, GENESIS
    latest_digest: dict[int, tuple[int, str]] = {}
    for event in Event.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield Problem(expected_seq, f"事件 #{expected_seq} 缺失（下一个是 #{event.seq}），链条被删改")
            return
        if event.prev_hash != previous:
            yield Problem(event.seq, f"事件 #{event.seq} 的前一哈希与事件 #{event.seq - 1} 不符，链条被删改")
            return
        if event_hash(hashed_fields(event)) != event.hash:
            yield Problem(event.seq, f"事件 #{event.seq}（{event.action}）的内容被改动，哈希不符")
            return
        if event.petition_id is not None and event.petition_digest:
            latest_digest[event.petition_id] = (event.seq, event.petition_digest)
        expected_seq, previous = expected_seq + 1, event.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (expected_seq - 1, previous):
        yield Problem(head.last_seq, f"链头记录为 #{head.last_seq}，实际最后一个事件为 #{expected_seq - 1}，事件被删除")
        return
    digest_petition = COVERED.get("petition")
    if digest_petition is None:
        return
    for petition_id, (seq, recorded) in sorted(latest_digest.items(), key=lambda item: item[1][0]):
        current = digest_petition(petition_id)
        if current != recorded:
            state = "已被删除" if current is None else "的内容在应用之外被改动"
            yield Problem(seq, f"信访件（id {petition_id}）{state}，与事件 #{seq} 记录的摘要不符")
            return


def first_problem() -> Problem | None:
    return next(_problems(), None)
