"""Written notices: the transitions that tell the petitioner need an issued document (or a recorded exemption).

The lifecycle does not import the documents app. The documents app registers a checker at startup
(`register_checker`); the engine asks it whether the payload's ``document`` is an issued document of the
kind the transition row names (``Transition.notice``) on this case.

A checker is ``fn(case, kind, document) -> str | None``: None when ``document`` is such a document, else the
reason in Chinese. The notice is on record if any registered checker accepts the document.

Also here: Art. 23(4), the matters whose notices follow other rules (`own_notice_rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from xinfang.intake.models import Category
from xinfang.org.models import OrganKind

from .states import State

NoticeChecker = Callable[[Any, str, Any], str | None]
_CHECKERS: list[NoticeChecker] = []

# Which article requires the written answer each document kind carries.
ARTICLES = {
    "receipt_notice": "《信访工作条例》第二十三条第二款、第三款",
    "handling_opinion": "《信访工作条例》第三十二条第一款、第三十五条",
    "extension_notice": "《信访工作条例》第三十四条",
    "review_opinion": "《信访工作条例》第三十五条",
    "re_review_opinion": "《信访工作条例》第三十六条第一款",
    "mediation_agreement": "《信访工作条例》第三十三条",
}
LABELS = {
    "receipt_notice": "受理告知书",
    "handling_opinion": "信访处理意见书",
    "extension_notice": "延期告知书",
    "review_opinion": "复查意见书",
    "re_review_opinion": "复核意见书",
    "mediation_agreement": "调解协议书或者和解协议书",
}
EXEMPTION_BASIS = "《信访工作条例》第二十三条第二款"
OWN_RULES = "按照有关规定执行"
OWN_RULES_BASIS = "《信访工作条例》第二十三条第四款"


def register_checker(checker: NoticeChecker) -> NoticeChecker:
    """Register ``checker`` (once; registering it again does nothing). Usable as a decorator."""
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)
    return checker


def unregister_checker(checker: NoticeChecker) -> None:
    if checker in _CHECKERS:
        _CHECKERS.remove(checker)


@contextmanager
def registered(checker: NoticeChecker) -> Iterator[NoticeChecker]:
    """Register ``checker`` for the duration of a block (tests)."""
    added = checker not in _CHECKERS
    register_checker(checker)
    try:
        yield checker
    finally:
        if added:
            unregister_checker(checker)


def refusal(case: Any, kind: str, payload: dict[str, Any]) -> str | None:
    """None if the notice of ``kind`` is on record for ``case``: an issued document, or the Art. 23(2) exemption."""
    if not kind:
        return None
    label, article = LABELS.get(kind, kind), ARTICLES.get(kind, "《信访工作条例》")
    exemption = str(payload.get("exemption") or "").strip()
    if exemption:
        if case.petition.notice_exempt:
            return None
        return (
            f"只有信访人的姓名（名称）、住址不清的，才可不书面告知；本件信访人的姓名、住址清楚，须出具{label}"
            f"（{EXEMPTION_BASIS}）"
        )
    document = payload.get("document")
    if document in (None, ""):
        return f"须出具并送达{label}，书面告知信访人（{article}）；信访人姓名（名称）、住址不清的，须记录理由"
    reasons = [checker(case, kind, document) for checker in list(_CHECKERS)]
    if any(reason is None for reason in reasons):
        return None
    found = next((reason for reason in reasons if reason), "无法核对书面文书")
    return f"{found}：须以本案已出具的{label}书面告知信访人（{article}）"


def own_notice_rules(case: Any) -> str | None:
    """Art. 23(4): "政法部门处理涉及诉讼权利救济事项、纪检监察机关处理检举控告事项的告知按照有关规定执行".

    For those cases no statutory notice (23(2)-(3)) or objection clock runs; the case shows this text.
    A 政法 organ's case counts as a litigation-rights matter when it came by 转政法部门 (Art. 22(2)).
    """
    organ = case.organ
    accusation = case.category == Category.ACCUSATION or bool(getattr(case.petition, "accusation", False))
    if organ.kind == OrganKind.DISCIPLINE and accusation:
        return f"{OWN_RULES}（{OWN_RULES_BASIS}：纪检监察机关处理检举控告事项的告知）"
    parent = case.parent if case.parent_id else None
    if organ.is_political_legal and parent is not None and parent.state == State.ROUTED_POLITICAL_LEGAL:
        return f"{OWN_RULES}（{OWN_RULES_BASIS}：政法部门处理涉及诉讼权利救济事项的告知）"
    return None
