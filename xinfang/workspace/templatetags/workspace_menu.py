"""``{% staff_menu %}``: the menu of the logged-in staff member, by role."""

from __future__ import annotations

from typing import Any

from django import template

from xinfang.workspace.menu import menu_for

register = template.Library()


@register.inclusion_tag("workspace/_menu.html", takes_context=True)
def staff_menu(context: Any) -> dict[str, Any]:
    request = context["request"]
    return {"items": menu_for(request.staff), "path": request.path}
