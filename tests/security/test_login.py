"""Login: lockout per account and per address, the access log, the TOTP second factor (required for
administrators), idle sessions, the password policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import at, build_city, staff
from xinfang.accounts import services, totp
from xinfang.accounts.models import AccessKind, AccessLog, TotpDevice
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple-9"


def person(**extra: object) -> tuple[str, Any]:
    city = build_city()
    member = staff(city.county_housing, Role.HANDLER)
    member.user.set_password(PASSWORD)
    for key, value in extra.items():
        setattr(member.user, key, value)
    member.user.save()
    return member.user.username, member


def login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/work/login/", {"username": username, "password": password})


def kinds(username: str) -> list[str]:
    return list(AccessLog.objects.filter(username=username).order_by("at", "pk").values_list("kind", flat=True))


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one_until_the_window_passes() -> None:
    username, _ = person()
    with time_machine.travel(at("2026-03-02"), tick=False):
        for _ in range(5):
            wrong = login(Client(REMOTE_ADDR="203.0.113.1"), username, "wrong-password")
            assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.content.decode()
        locked = login(Client(REMOTE_ADDR="203.0.113.2"), username)
        assert locked.status_code == 200 and "已暂时锁定" in locked.content.decode()
        assert "15分钟后" in locked.content.decode()
    with time_machine.travel(at("2026-03-02") + dt.timedelta(minutes=16), tick=False):
        assert login(Client(REMOTE_ADDR="203.0.113.2"), username)["Location"] == "/work/"
    assert kinds(username) == ["login_failed"] * 5 + ["login_refused", "login"]
    logged = AccessLog.objects.filter(username=username, kind=AccessKind.LOGIN_FAILED).first()
    assert logged is not None and logged.address == "203.0.113.1"


def test_a_successful_login_or_an_unlock_starts_the_count_again() -> None:
    username, _ = person()
    with time_machine.travel(at("2026-03-02"), tick=False):
        for _ in range(4):
            login(Client(), username, "wrong")
        assert login(Client(), username)["Location"] == "/work/"
        for _ in range(4):
            login(Client(), username, "wrong")
        assert login(Client(), username).status_code == 302  # 4 since the last success: not locked
        for _ in range(5):
            login(Client(), username, "wrong")
        assert "已暂时锁定" in login(Client(), username).content.decode()
        services.unlock(None, username)
        assert login(Client(), username).status_code == 302


def test_an_address_that_fails_twenty_times_is_paused_for_every_account() -> None:
    username, _ = person()
    with time_machine.travel(at("2026-03-02"), tick=False):
        for n in range(20):
            login(Client(REMOTE_ADDR="203.0.113.9"), f"guess{n}", "wrong")
        refused = login(Client(REMOTE_ADDR="203.0.113.9"), username)
        assert refused.status_code == 200 and "此网络地址登录失败次数过多" in refused.content.decode()
        assert login(Client(REMOTE_ADDR="203.0.113.10"), username).status_code == 302


def test_staff_may_enrol_a_second_factor_and_then_need_it() -> None:
    username, member = person()
    client = Client()
    with time_machine.travel(at("2026-03-02"), tick=False):
        assert login(client, username).status_code == 302
        page = client.get("/work/account/two-factor/").content.decode()
        assert "启用动态口令" in page and 'data-testid="totp-secret"' in page
        secret = client.session["accounts_new_secret"]
        assert totp.code_at(secret, timezone.now().timestamp()) != "000000"
        bad = client.post("/work/account/two-factor/", {"code": "000000"})
        assert bad.status_code == 400 and "「动态口令」与密钥不符" in bad.content.decode()
        good = client.post("/work/account/two-factor/", {"code": totp.code_at(secret, timezone.now().timestamp())})
        assert good.status_code == 200 and "已启用动态口令" in good.content.decode()
    assert TotpDevice.objects.get(user=member.user).secret == secret
    with time_machine.travel(at("2026-03-02", 11), tick=False):
        fresh = Client()
        step_one = login(fresh, username)
        assert step_one["Location"] == "/work/account/verify/"
        assert fresh.get("/work/").status_code == 302  # not logged in by the password alone
        wrong = fresh.post("/work/account/verify/", {"code": "123456"})
        assert wrong.status_code == 400 and "「动态口令」不正确" in wrong.content.decode()
        code = totp.code_at(secret, timezone.now().timestamp())
        assert fresh.post("/work/account/verify/", {"code": code})["Location"] == "/work/"
        assert fresh.get("/work/").status_code == 200
        replay = Client()
        login(replay, username)
        assert replay.post("/work/account/verify/", {"code": code}).status_code == 400  # a code works once
    assert AccessLog.objects.filter(username=username, kind=AccessKind.LOGIN_FAILED, detail="动态口令错误").count() == 2


@override_settings(XINFANG_ADMIN_TOTP_REQUIRED=True)
def test_an_administrator_must_enrol_before_the_first_login_completes_and_the_admin_has_no_other_door() -> None:
    admin = get_user_model().objects.create_superuser("chief", password=PASSWORD)
    client = Client()
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/work/login/?next=/admin/")
    with time_machine.travel(at("2026-03-02"), tick=False):
        step_one = client.post(
            "/work/login/?next=/admin/", {"username": "chief", "password": PASSWORD, "next": "/admin/"}
        )
        assert step_one["Location"] == "/work/account/two-factor/"
        assert client.get("/admin/").status_code == 302
        client.get("/work/account/two-factor/")
        secret = client.session["accounts_new_secret"]
        done = client.post("/work/account/two-factor/", {"code": totp.code_at(secret, timezone.now().timestamp())})
        assert done["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
    assert TotpDevice.objects.filter(user=admin).exists()


@override_settings(XINFANG_ADMIN_TOTP_REQUIRED=True)
def test_knowing_the_password_does_not_let_anyone_replace_an_enrolled_device() -> None:
    admin = get_user_model().objects.create_superuser("chief", password=PASSWORD)
    TotpDevice.objects.create(user=admin, secret=totp.new_secret(), confirmed_at=timezone.now())
    client = Client()
    assert login(client, "chief")["Location"] == "/work/account/verify/"
    assert client.get("/work/account/two-factor/")["Location"] == "/work/account/verify/"


def test_a_session_idle_longer_than_the_setting_ends() -> None:
    username, _ = person()
    client = Client()
    start = at("2026-03-02")
    with time_machine.travel(start, tick=False):
        login(client, username)
        assert client.get("/work/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get("/work/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
        ended = client.get("/work/")
        assert ended.status_code == 302 and ended["Location"].startswith("/work/login/")
    assert settings.XINFANG_SESSION_IDLE_MINUTES == 30


def test_a_staff_login_lasts_a_working_day_not_two_weeks_and_cookies_are_http_only() -> None:
    username, _ = person()
    client = Client()
    login(client, username)
    assert client.session.get_expiry_age() == 10 * 3600 < 14 * 24 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert client.cookies["sessionid"]["httponly"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tr0ub4dor&3", "至少12个字符"),  # 11 characters: shorter than 12
        ("password1234", "太常见"),  # in Django's common-passwords list
        ("qwerty123456", "太常见"),
        ("1qaz2wsx3edc", "太常见"),
        ("202603021234", "只包含数字"),
    ],
)
def test_password_policy_refuses_short_and_common_passwords(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_long_uncommon_password_passes() -> None:
    validate_password("幸福路8号-王秀兰-2026-长")
