"""Petition texts written for the demo: fictional people, places and companies in the fictional 西地市.

None of this comes from real petitions. Each template is a request (诉求), facts (事实) and reasons
(理由) with placeholders filled per petition (see `fill`), plus the texts an organ would write while
handling it: findings, legal basis, the procedure it is diverted into, a mediation agreement…
"""

from __future__ import annotations

from xinfang.intake.models import Category

from .base import Template, fill
from .grievances import GRIEVANCES
from .others import ACCUSATIONS, LAW_RELATED, REFERRALS, SUGGESTIONS

__all__ = ["BY_KEY", "TEMPLATES", "Template", "fill"]

TEMPLATES: tuple[Template, ...] = GRIEVANCES + LAW_RELATED + SUGGESTIONS + ACCUSATIONS + REFERRALS
BY_KEY = {t.key: t for t in TEMPLATES}
assert len(BY_KEY) == len(TEMPLATES), "template keys must be unique"
assert all(t.category in Category.values for t in TEMPLATES)
