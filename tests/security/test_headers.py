"""HTTP hardening: the CSP on every page with nothing inline for it to block, no-store on every page and file
with personal data, X-Frame-Options, and `check --deploy` clean under the production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.factories import at, build_city, register
from tests.portal.helpers import accept, receipt_of, serve_opinion, submit, track
from xinfang.intake.models import Petition
from xinfang.intake.services import UploadInput
from xinfang.org.models import Role

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def a_pdf() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PDF")
    return out.getvalue()


def test_no_template_has_inline_script_handler_or_style_attribute() -> None:
    offenders = []
    for path in (ROOT / "xinfang").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ATTRIBUTE):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_inline_checks_do_catch_what_they_look_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and not INLINE_SCRIPT.search('<script src="a.js">')
    assert INLINE_HANDLER.search('<button onclick="x()">') and STYLE_ATTRIBUTE.search('<div style="a:b">')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/public/submit/", "/public/track/", "/rules/", "/work/login/", "/admin/login/"])
def test_every_public_page_carries_the_policy(url: str) -> None:
    response = Client().get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_and_files_with_personal_data_are_never_stored() -> None:
    city = build_city()
    case = register(city, city.bureau, attachments=[UploadInput("收据.pdf", a_pdf())])
    staff = Client()
    staff.force_login(city.who(city.bureau, Role.REGISTRAR).user)
    attachment = case.petition.attachments.get()
    staff_urls = ["/work/", "/work/cases/", f"/work/cases/{case.pk}/", f"/work/attachments/{attachment.pk}/"]
    for url in staff_urls:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url

    petitioner = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(at("2026-03-02"), tick=False):
        submit(petitioner, city)
        number, code = receipt_of(petitioner)
        receipt = petitioner.get("/public/receipt/")
    petition = Petition.objects.get(number=number)
    with time_machine.travel(at("2026-03-05"), tick=False):
        online = accept(city, petition.cases.get())
    with time_machine.travel(at("2026-04-10"), tick=False):
        document = serve_opinion(city, online, at("2026-04-10").date())
        track(petitioner, number, code)
        handler = Client()
        handler.force_login(city.who(city.county_housing, Role.HANDLER).user)
        answers = {
            "receipt": receipt,
            "progress": petitioner.get(f"/public/track/{number}/"),
            "portal document": petitioner.get(f"/public/track/{number}/documents/{document.pk}/"),
            "staff document": handler.get(f"/work/documents/{document.pk}/pdf/"),
        }
    for name, response in answers.items():
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], name


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "XINFANG_SECRET_KEY": "k" * 10 + "production-like-secret-key-with-enough-entropy-0123456789",
        "XINFANG_ALLOWED_HOSTS": "xinfang.example.gov.cn",
        "XINFANG_FIELD_KEY": os.environ.get("XINFANG_FIELD_KEY", ""),
        "XINFANG_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_https_only(tmp_path: Path) -> None:
    """The same settings module, read as production reads it: secure cookies, HSTS, redirect to HTTPS."""
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, s.XINFANG_STAFF_SESSION_HOURS)"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "xinfang.settings",
        "XINFANG_SECRET_KEY": "x" * 60,
        "XINFANG_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env={**env, "XINFANG_FIELD_KEY": os.environ.get("XINFANG_FIELD_KEY", "")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "DENY", "10"], result.stderr
    assert not settings.SESSION_COOKIE_SECURE  # the test run itself is plain HTTP on loopback


def test_the_legend_classes_have_the_diagram_colours() -> None:
    from xinfang.lifecycle.roadmap import STAGE_FILL

    css = (ROOT / "xinfang/security/static/security/roadmap.css").read_text()
    found = dict(re.findall(r"\.rm-stage-(\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert found == {str(i): colour for i, colour in enumerate(STAGE_FILL)}
