"""Item 4 of issue 12: /healthz says the process answers; /readyz says the database answers, every migration is
applied and the field key is present. JSON, no personal data."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import build_city, register

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_the_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"


def test_readyz_reports_each_check_and_no_personal_data() -> None:
    city = build_city()
    case = register(city, channel="letter")
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ready"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "field_key": True,
    }
    text = json.dumps(body, ensure_ascii=False)
    assert case.petition.number not in text and case.petition.name not in text


def test_readyz_is_503_when_a_migration_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("unapplied", False)])
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "not ready"
    assert response.json()["checks"]["migrations"] == {"ok": False, "detail": "有 1 个迁移尚未执行"}


def test_readyz_is_503_without_the_field_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang.crypto import fields
    from xinfang.crypto.keys import KeyConfigError

    def missing() -> None:
        raise KeyConfigError("未设置")

    monkeypatch.setattr(fields, "active_keyring", missing)
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["field_key"]["ok"] is False


def test_health_probes_refuse_writes() -> None:
    assert Client().post("/healthz").status_code == 405
    assert Client().post("/readyz").status_code == 405


def test_behind_a_trusted_proxy_the_client_address_is_the_one_the_proxy_wrote() -> None:
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory, override_settings

    from xinfang.ops.middleware import ProxiedAddressMiddleware

    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request.META["REMOTE_ADDR"])
        return HttpResponse()

    factory = RequestFactory()
    with override_settings(XINFANG_TRUSTED_PROXIES=["127.0.0.1"]):
        middleware = ProxiedAddressMiddleware(view)
        middleware(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"))
        middleware(factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7"))  # not a proxy
        middleware(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not an address"))
    with override_settings(XINFANG_TRUSTED_PROXIES=[]):
        ProxiedAddressMiddleware(view)(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7"))
    assert seen == ["198.51.100.7", "203.0.113.5", "127.0.0.1", "127.0.0.1"]
