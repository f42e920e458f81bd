"""Reads for bulk transfer or assignment: which listed cases can take the step now, and the organs all allow."""

from __future__ import annotations

from xinfang.lifecycle.models import Case
from xinfang.lifecycle.selectors import available_transitions, target_choices
from xinfang.lifecycle.table import BY_NAME
from xinfang.lifecycle.visibility import Access, case_access
from xinfang.org.models import Organ, Staff

from .services import BULK_ACTIONS

MAX_BULK = 100


def bulk_candidates(staff: Staff, cases: list[Case]) -> dict[int, list[str]]:
    """For each listed case, the bulk steps (transfer, assign) this user may take on it now."""
    found: dict[int, list[str]] = {}
    steps = [BY_NAME[name] for name in BULK_ACTIONS if staff.has_role(*BY_NAME[name].roles)]
    for case in cases:
        if not getattr(case, "readable", False) or case.acting_organ_id != staff.organ_id:
            continue
        if not any(case.state in t.sources for t in steps):  # cheap checks first: most rows stop here
            continue
        names = [t.name for t in available_transitions(staff, case) if t.name in BULK_ACTIONS]
        if names:
            found[case.pk] = names
    return found


def parse_selection(staff: Staff, name: str, values: list[str]) -> tuple[list[tuple[Case, int]], list[tuple[str, str]]]:
    """The ticked cases as (case, version seen) that may take the step now; the others with the reason.

    A box carries "case id:version"; a case someone changed since stays selected and the engine refuses it
    (`Conflict`) when the step is performed, naming it.
    """
    label = BY_NAME[name].label
    chosen: list[tuple[int, int]] = []
    for value in values[:MAX_BULK]:
        key, _, seen = value.partition(":")
        if key.isdigit() and seen.isdigit():
            chosen.append((int(key), int(seen)))
    cases = Case.objects.select_related("petition", "organ", "acting_organ").in_bulk([pk for pk, _ in chosen])
    selected: list[tuple[Case, int]] = []
    skipped: list[tuple[str, str]] = []
    for pk, version in chosen:
        case = cases.get(pk)
        if case is None or case_access(staff, case) < Access.FULL:
            continue  # nothing said of a case the user may not read
        if name not in {t.name for t in available_transitions(staff, case)}:
            skipped.append((case.petition.number, f"当前不能{label}（{case.get_state_display()}）"))
            continue
        selected.append((case, version))
    return selected, skipped


def common_targets(staff: Staff, name: str, cases: list[Case]) -> list[Organ]:
    """The organs the transition's guards allow for every selected case (the picker offers only these)."""
    common: list[Organ] | None = None
    for case in cases:
        allowed = target_choices(case, name, staff)
        common = allowed if common is None else [o for o in common if o in allowed]
    return common or []
