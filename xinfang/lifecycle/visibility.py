"""Who may see what of a case: the one selector every read path uses (Art. 30(3)).

Three levels:
- ``FULL``: the case's content and the petitioner's identity;
- ``STATUS``: that the case exists, with its number, organ, state and dates, and nothing of its content;
- ``NONE``: nothing at all, not even that it exists (404).

Rules, from 《信访工作条例》:
- Staff of an organ accused by a petition, or employing an accused person, get ``NONE`` for every case of
  that petition: "不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位" (Art. 30(3)).
- A confidential accusation (the petitioner said it accuses, or triage filed it as 检举控告类) is ``FULL`` only
  for the organ whose case it is (the desk that registered it, the organ handling it) and that organ's
  superiors inside its own system (supervision); everyone else who would see the case gets ``STATUS``.
- Any other case is ``FULL`` for the organs acting on it (its organ, the acting, review and re-review organs)
  and for the organs overseeing them inside their system (a 信访局: its government's and party committee's
  departments). An organ sees what it sent to another system, or what sits in its tree but in another
  system (a court under the county), only as ``STATUS``.
- A petition agent (信访代办, `xinfang.agents`) sees the petitions they represent with the petitioner's recorded
  consent, and nothing else, whatever their organ.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db.models import Q, QuerySet

from xinfang.agents.models import represented_petitions
from xinfang.intake.models import AccusedParty, Category
from xinfang.intake.selectors import accused_organs
from xinfang.org.models import GOVERNMENT_SYSTEMS, Organ, Staff

from .models import Case

CONFIDENTIAL_LABEL = "保密的检举控告事项"
MASK = "（保密）"


class Access(enum.IntEnum):
    NONE = 0
    STATUS = 1
    FULL = 2


def is_confidential(case: Any) -> bool:
    return bool(case.confidential_accusation or case.category == Category.ACCUSATION or case.petition.accusation)


def is_accused(organ: Organ, petition: Any) -> bool:
    """True if ``organ`` is an accused organ, or inside one in its system, or employs an accused person."""
    return any(organ.is_within_system(accused) for accused in accused_organs(petition))


def _oversees(viewer: Organ, organ: Organ | None) -> bool:
    return organ is not None and viewer.oversees(organ)


def case_access(staff: Staff, case: Any) -> Access:
    """How much of ``case`` this staff member may see."""
    represented = represented_petitions(staff)
    if represented is not None:  # a petition agent (信访代办) sees only the petitions they represent
        return Access.FULL if case.petition_id in represented else Access.NONE
    organ = staff.organ
    if is_accused(organ, case.petition):
        return Access.NONE
    if is_confidential(case):
        if organ.pk == case.organ_id or case.organ.is_within_system(organ):
            return Access.FULL
    else:
        acting = (case.organ_id, case.acting_organ_id, case.review_organ_id, case.re_review_organ_id)
        if organ.pk in acting or _oversees(organ, case.organ) or _oversees(organ, case.acting_organ):
            return Access.FULL
    parent_organ = case.parent.organ_id if case.parent_id else None
    if case.organ.in_tree_of(organ) or parent_organ == organ.pk:
        return Access.STATUS
    return Access.NONE


def can_view(staff: Staff, case: Any) -> bool:
    return case_access(staff, case) >= Access.STATUS


def can_read(staff: Staff, case: Any) -> bool:
    return case_access(staff, case) == Access.FULL


# --- the same rules as query filters, for lists and search ----------------------------------------


def _accused_q(organ: Organ) -> Q:
    inside = organ.system_ancestors()
    accused = AccusedParty.objects.filter(organ_id__in=inside).values("petition_id")
    return Q(petition__accused_organ_id__in=inside) | Q(petition_id__in=accused)


def _confidential_q() -> Q:
    return Q(confidential_accusation=True) | Q(category=Category.ACCUSATION) | Q(petition__accusation=True)


def _oversight_q(organ: Organ, prefix: str) -> Q:
    if organ.system in GOVERNMENT_SYSTEMS:
        return Q(**{f"{prefix}system__in": sorted(GOVERNMENT_SYSTEMS), f"{prefix}path__startswith": organ.scope_path})
    return Q(**{f"{prefix}system_path__startswith": organ.system_path})


def _full_q(organ: Organ) -> Q:
    acting = Q(organ=organ) | Q(acting_organ=organ) | Q(review_organ=organ) | Q(re_review_organ=organ)
    plain = acting | _oversight_q(organ, "organ__") | _oversight_q(organ, "acting_organ__")
    confidential = Q(organ=organ) | Q(organ__system_path__startswith=organ.system_path)
    return (~_confidential_q() & plain) | (_confidential_q() & confidential)


def _status_q(organ: Organ) -> Q:
    return Q(organ__path__startswith=organ.scope_path) | Q(parent__organ=organ)


def visible_cases(staff: Staff) -> QuerySet[Case]:
    """Every case the staff member may know of (``STATUS`` or ``FULL``)."""
    represented = represented_petitions(staff)
    if represented is not None:
        return Case.objects.filter(petition_id__in=represented)
    organ = staff.organ
    return Case.objects.filter(_full_q(organ) | _status_q(organ)).exclude(_accused_q(organ))


def readable_cases(staff: Staff) -> QuerySet[Case]:
    """The cases whose content the staff member may read (``FULL``): the only ones text search looks in."""
    represented = represented_petitions(staff)
    if represented is not None:
        return Case.objects.filter(petition_id__in=represented)
    organ = staff.organ
    return Case.objects.filter(_full_q(organ)).exclude(_accused_q(organ))


def readable_ids(staff: Staff, cases: list[Any]) -> set[int]:
    """Of ``cases``, the ids the staff member may read, in one query."""
    ids = [c.pk for c in cases]
    return set(readable_cases(staff).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
