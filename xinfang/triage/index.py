"""The repeat index of every case's text, kept in the process and brought up to date on each use.

Building a MinHash index costs milliseconds per petition, far too much per request at 100,000 petitions;
so the index is built once and then only the cases registered since (a higher primary key) are added.
It holds every case, whoever may read it: callers must filter what it proposes through
`xinfang.lifecycle.visibility.readable_cases` before anything reaches a user (Art. 30(3)), and re-score a hit
against the case's current text (a text corrected or a petition linked to another matter since indexing).
When cases below the last indexed key disappear (a database reset, a test rollback), it is rebuilt.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from xinfang.lifecycle.models import Case
from xinfang.textmining.repeats import Record, RepeatIndex

from .selectors import case_message


@dataclass
class _State:
    index: RepeatIndex = field(default_factory=RepeatIndex)
    last_pk: int = 0
    last_number: str = ""  # the petition number of the last case indexed: another one there means a reset
    count: int = 0


_state = _State()
_lock = threading.Lock()


def _record(case: Case) -> Record:
    return Record(str(case.pk), case_message(case).text, "", case.received_at.date())


def repeat_index() -> RepeatIndex:
    """The index, with every case up to now in it."""
    global _state
    with _lock:
        last = Case.objects.filter(pk=_state.last_pk).values_list("petition__number", flat=True).first() or ""
        if last != _state.last_number or Case.objects.filter(pk__lte=_state.last_pk).count() != _state.count:
            _state = _State()
        new = Case.objects.filter(pk__gt=_state.last_pk).select_related("petition", "matter").order_by("pk")
        for case in new.iterator(chunk_size=2000):
            _state.index.add(_record(case))
            _state.last_pk, _state.last_number = case.pk, case.petition.number
            _state.count += 1
        return _state.index


def reset() -> None:
    """Forget the index (tests; after a restore of the database)."""
    global _state
    with _lock:
        _state = _State()
