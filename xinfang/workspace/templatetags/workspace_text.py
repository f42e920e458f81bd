"""``highlight``: the text with each search term marked, escaped first; ``plain_message``: no English shown."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xinfang.workspace.selectors import search_terms

register = template.Library()


@register.filter
def highlight(text: str, query: str) -> SafeString:
    escaped = escape(text)
    terms = sorted({escape(t) for t in search_terms(query or "")}, key=len, reverse=True)
    if not terms:
        return escaped
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


LATIN = re.compile(r"[A-Za-z]{2,}")


@register.filter
def plain_message(text: object) -> str:
    """A message for the user, or nothing if it is a developer's English (Django's "No Case matches ...")."""
    message = str(text or "")
    return "" if LATIN.search(message) else message
