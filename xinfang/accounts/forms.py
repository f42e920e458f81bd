from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .services import client_address, login_refusal


class LockoutAuthenticationForm(AuthenticationForm):
    """The password form; a locked account or address is refused before the password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，请重新输入。",
        "inactive": "此账号已停用。",
    }

    def clean(self) -> dict[str, Any]:
        refusal = login_refusal(self.data.get("username", ""), client_address(self.request))
        if refusal:
            self.refusal = refusal
            raise forms.ValidationError(refusal, code="locked")
        return super().clean()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态口令",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "请填写「动态口令」"},
    )
