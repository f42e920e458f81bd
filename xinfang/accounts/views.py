"""Login in two steps: the password, then (when the user has or must have one) the TOTP code.

Until the second step succeeds the user is not logged in: the session only holds who passed the first."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from xinfang.org.access import staff_required

from . import selectors, services, totp
from .forms import CodeForm, LockoutAuthenticationForm
from .middleware import LAST_SEEN
from .models import AccessKind

PENDING = "accounts_pending"  # {"user": pk, "backend": dotted path, "next": url} after the password step
NEW_SECRET = "accounts_new_secret"
VERIFIED = "accounts_second_factor"


def start_staff_session(request: HttpRequest) -> None:
    """A staff session lasts a working day at most and ends after a while without a request."""
    request.session.set_expiry(settings.XINFANG_STAFF_SESSION_HOURS * 3600)
    request.session[LAST_SEEN] = time.time()


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"
    form_class = LockoutAuthenticationForm

    def form_invalid(self, form: Any) -> HttpResponse:
        if getattr(form, "refusal", None):
            username = self.request.POST.get("username", "")
            services.record_login_event(self.request, AccessKind.LOGIN_REFUSED, username, detail=form.refusal)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not (selectors.has_totp(user) or selectors.must_have_totp(user)):
            response = super().form_valid(form)
            start_staff_session(self.request)
            return response
        self.request.session.cycle_key()
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": self.get_success_url()}
        if selectors.has_totp(user):
            return redirect("accounts:verify")
        return redirect("accounts:enrol")


def _pending_user(request: HttpRequest) -> Any:
    pending = request.session.get(PENDING)
    if not pending:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def _finish(request: HttpRequest, user: Any) -> HttpResponse:
    pending = request.session.pop(PENDING)
    request.session.pop(NEW_SECRET, None)
    auth_login(request, user, backend=pending["backend"])
    start_staff_session(request)
    request.session[VERIFIED] = True
    target = pending.get("next") or "/work/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/work/"
    return redirect(target)


@sensitive_post_parameters("code")
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Second step: the current code from the user's authenticator app."""
    user = _pending_user(request)
    if user is None:
        return redirect("workspace:login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = services.login_refusal(user.get_username(), services.client_address(request))
        if refusal:
            services.record_login_event(request, AccessKind.LOGIN_REFUSED, user.get_username(), detail=refusal)
            request.session.pop(PENDING, None)
            form.add_error(None, refusal)
            status = 429
        elif services.check_totp(user, form.cleaned_data["code"]):
            return _finish(request, user)
        else:
            services.record_login_event(request, AccessKind.LOGIN_FAILED, user.get_username(), detail="动态口令错误")
            form.add_error("code", "「动态口令」不正确或已使用过，请输入验证器中当前显示的6位数字。")
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/verify.html", {"form": form}, status=status)


def _enrol_page(request: HttpRequest, user: Any, *, mandatory: bool) -> HttpResponse:
    secret = request.session.get(NEW_SECRET) or totp.new_secret()
    request.session[NEW_SECRET] = secret
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.enrol_totp(request, user, secret, form.cleaned_data["code"]) is not None:
            if mandatory:
                return _finish(request, user)
            request.session.pop(NEW_SECRET, None)
            request.session[VERIFIED] = True
            return render(request, "accounts/enrolled.html")
        form.add_error("code", "「动态口令」与密钥不符：请确认验证器已添加上面的密钥，并输入当前显示的6位数字。")
        status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "secret": totp.grouped(secret),
        "uri": totp.provisioning_uri(secret, user.get_username()),
        "mandatory": mandatory,
        "step": totp.STEP,
    }
    return render(request, "accounts/enrol.html", context, status=status)


@sensitive_post_parameters("code")
@never_cache
def enrol(request: HttpRequest) -> HttpResponseBase:
    """Enrolment: required for administrators before their first login completes, optional for other staff."""
    user = _pending_user(request)
    if user is not None:
        if selectors.has_totp(user):  # a password alone never replaces an enrolled device
            return redirect("accounts:verify")
        return _enrol_page(request, user, mandatory=True)
    return _enrol_logged_in(request)


@staff_required
def _enrol_logged_in(request: HttpRequest) -> HttpResponse:
    return _enrol_page(request, request.user, mandatory=False)
