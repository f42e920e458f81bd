"""Periods in templates, read from the rule files for the case's region.

    {% load periods %}
    {% period "review_request" case %}            -> 30日
    {% period "bureau_disposition" organ %}        -> 15日, or 5个工作日 under the 浙江 profile
    {% period "handling_extension" case ceiling=False %}  -> 30日 (default: 不超过30日)
    {% period_basis "handling" case %}             -> 《信访工作条例》第三十四条

The region argument may be a six-digit division code, an organ (``region_code``), anything with an
``organ`` (a case, a document), or empty for the national period.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone

from xinfang.deadlines.selectors import rulebook
from xinfang.rules import Term, term

register = template.Library()

# Not a statutory period: how far ahead the workspace home page lists clocks as "N日内到期".
# A UI window, documented as an exception in xinfang/rules/README.md.
DUE_SOON_DAYS = 7


def region_of(subject: Any) -> str | None:
    """The division code of a code, an organ, or an object that has an organ (case, document)."""
    if subject is None or subject == "":
        return None
    if isinstance(subject, str):
        return subject
    code = getattr(subject, "region_code", None)
    if isinstance(code, str) and code:
        return code
    organ = getattr(subject, "organ", None)
    if organ is not None and organ is not subject:
        return region_of(organ)
    return None


def _term(rule_id: str, subject: Any, on: date | None) -> Term:
    return term(rule_id, region_of(subject), on or timezone.localdate(), book=rulebook())


@register.simple_tag
def period(rule_id: str, subject: Any = None, on: date | None = None, ceiling: bool = True) -> str:
    """The period in words for the subject's region: "15日", "5个工作日", "不超过30日"."""
    return _term(rule_id, subject, on).words(ceiling=ceiling)


@register.simple_tag
def period_basis(rule_id: str, subject: Any = None, on: date | None = None) -> str:
    """The short citation of the value the words quote, e.g. "《信访工作条例》第三十五条"."""
    return _term(rule_id, subject, on).basis()


@register.simple_tag
def due_soon_days() -> int:
    """The workspace home page's look-ahead window (DUE_SOON_DAYS), not a statutory period."""
    return DUE_SOON_DAYS
