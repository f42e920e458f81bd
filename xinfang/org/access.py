"""Staff-only access: a logged-in user with a Staff record; anything else gets a clear page.

Here, next to `Staff`, so that every app's staff pages can use it without importing another app's views.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from .models import Staff


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        staff = Staff.objects.select_related("organ__superior").filter(user_id=int(request.user.pk or 0)).first()
        if staff is None:
            return render(request, "workspace/no_staff.html", status=403)
        request.staff = staff  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
