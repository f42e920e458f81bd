"""Settings. Everything that differs between machines comes from environment variables.

DATABASE_URL         sqlite:///path or postgres://user:pass@host:port/name (default: ./var/xinfang.sqlite3)
XINFANG_DEBUG        1 to enable debug pages (local development only)
XINFANG_SECRET_KEY   required when XINFANG_DEBUG is off
XINFANG_ALLOWED_HOSTS comma-separated host names
XINFANG_RULE_OVERRIDES  e.g. "recommendation_reply=20": non-statutory periods only
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINFANG_VAR_DIR", BASE_DIR / "var"))


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


DEBUG = _flag("XINFANG_DEBUG")
TESTING = _flag("XINFANG_TESTING") or "pytest" in sys.modules
SECRET_KEY = os.environ.get("XINFANG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured("请设置环境变量 XINFANG_SECRET_KEY（生产环境必填）")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XINFANG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "xinfang.deadlines",
    "xinfang.org",
    "xinfang.audit",
    "xinfang.crypto",
    "xinfang.intake",
    "xinfang.lifecycle",
    "xinfang.documents",
    "xinfang.workspace",
    "xinfang.portal",
    "xinfang.analytics",
    "xinfang.demo",
    "xinfang.security",
    "xinfang.accounts",
    "xinfang.ops",
    "xinfang.imports",
    "xinfang.open311",
    "xinfang.triage",
    "xinfang.warning",
    "xinfang.leaders",
    "xinfang.supervision",
    "xinfang.mediation",
    "xinfang.grid",
    "xinfang.agents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinfang.ops.middleware.ProxiedAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinfang.security.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xinfang.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xinfang.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinfang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xinfang.portal.views.elder_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "xinfang.wsgi.application"

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'xinfang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once; WAL lets readers run alongside.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file, not memory, so that concurrent connections behave as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password policy: a minimum length, and not in Django's shipped list of 20,000 common passwords
# (django/contrib/auth/common-passwords.txt.gz, from leaked-password corpora; offline, no service is asked).
XINFANG_PASSWORD_MIN_LENGTH = int(os.environ.get("XINFANG_PASSWORD_MIN_LENGTH", "12"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "xinfang.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": XINFANG_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "xinfang" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

MEDIA_ROOT = Path(os.environ.get("XINFANG_MEDIA_ROOT", VAR_DIR / "media"))

LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:home"

# Background work: django-tasks with its database backend; run `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

XINFANG_ATTACHMENT_MAX_MB = int(os.environ.get("XINFANG_ATTACHMENT_MAX_MB", "20"))
# Large uploads go to a temporary file that never holds more than the limit (see xinfang/security/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "xinfang.security.uploads.CappedTemporaryFileUploadHandler",
]
# Reminders are queued this many days before a clock's due date, each exactly once.
XINFANG_REMINDER_DAYS = [int(d) for d in os.environ.get("XINFANG_REMINDER_DAYS", "3,1").split(",") if d.strip()]
# A petitioner's window is closed automatically only after this many days more, for mail in transit
# (民事诉讼法 Art. 85(4) by analogy: a request posted before expiry is in time).
XINFANG_WINDOW_GRACE_DAYS = int(os.environ.get("XINFANG_WINDOW_GRACE_DAYS", "7"))

# Portal (Art. 21(2)): how long after the acceptance decision, or after the opinion is served, a petitioner may
# rate it; and the abuse limits: submissions per address per hour, wrong query codes per petition number and per
# address per hour. REMOTE_ADDR is the address: behind a proxy, have it set the real one.
XINFANG_RATING_WINDOW_DAYS = int(os.environ.get("XINFANG_RATING_WINDOW_DAYS", "30"))
XINFANG_PORTAL_SUBMISSIONS_PER_HOUR = int(os.environ.get("XINFANG_PORTAL_SUBMISSIONS_PER_HOUR", "5"))
XINFANG_PORTAL_WRONG_CODES_PER_NUMBER = int(os.environ.get("XINFANG_PORTAL_WRONG_CODES_PER_NUMBER", "5"))
XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS = int(os.environ.get("XINFANG_PORTAL_WRONG_CODES_PER_ADDRESS", "20"))


def _overrides(raw: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, _, value = item.partition("=")
        try:
            result[key.strip()] = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"XINFANG_RULE_OVERRIDES 格式错误：{item!r}") from None
    return result


XINFANG_RULE_OVERRIDES = _overrides(os.environ.get("XINFANG_RULE_OVERRIDES", ""))

# Accounts: lockout, second factor, sessions.
XINFANG_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("XINFANG_LOGIN_FAILURES_PER_ACCOUNT", "5"))
XINFANG_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("XINFANG_LOGIN_FAILURES_PER_ADDRESS", "20"))
XINFANG_LOGIN_LOCK_MINUTES = int(os.environ.get("XINFANG_LOGIN_LOCK_MINUTES", "15"))
# Administrators must enrol a TOTP second factor (off by default only for local development).
XINFANG_ADMIN_TOTP_REQUIRED = _flag("XINFANG_ADMIN_TOTP_REQUIRED", default=not DEBUG)
XINFANG_SESSION_IDLE_MINUTES = int(os.environ.get("XINFANG_SESSION_IDLE_MINUTES", "30"))
# A staff login lasts a working day at most, not Django's two weeks (set at login; the portal keeps the default).
XINFANG_STAFF_SESSION_HOURS = int(os.environ.get("XINFANG_STAFF_SESSION_HOURS", "10"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# HTTP: served over HTTPS in production (behind the reverse proxy, which sets X-Forwarded-Proto).
XINFANG_HTTPS = _flag("XINFANG_HTTPS", default=not DEBUG and not TESTING)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if XINFANG_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("XINFANG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("XINFANG_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _flag("XINFANG_HSTS_PRELOAD", default=True)
    if _flag("XINFANG_BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health checks on the loopback address are answered without the HTTPS redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# The reverse proxies whose X-Forwarded-For names the client (docs/deploy.md); empty: REMOTE_ADDR is the client.
XINFANG_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("XINFANG_TRUSTED_PROXIES", "").split(",") if a.strip()
]

if TESTING:
    # Test users need no slow key stretching; production keeps Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
