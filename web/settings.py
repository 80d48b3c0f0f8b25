"""Django settings, read from the environment that `assess serve` sets (web.serve.configure):

ASSESS_INSTANCE        the instance folder (database, secret key, uploads, published documents)
ASSESS_DATABASE_URL    postgresql://user:password@host:port/dbname; SQLite in the instance folder when unset
ASSESS_DEBUG           "1" only with `assess serve --debug` (never in production)
ASSESS_ALLOWED_HOSTS   comma-separated host names the server answers to (default: localhost names)
ASSESS_HTTPS           "1" with `--https`: behind a reverse proxy that terminates TLS and sets
                       X-Forwarded-Proto: secure cookies, HSTS, SECURE_PROXY_SSL_HEADER (docs in web/README.md)
ASSESS_UPLOAD_MB       largest upload in MB (default 20)
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from web.dburl import from_url, sqlite
from web.instance import prepare, secret_key


def _throwaway_instance() -> str:
    """A temporary instance for a process not given one (the tests, a settings import by a tool): removed when
    the process exits, with its database, secret key and uploads (it left one folder in /tmp per test run)."""
    folder = tempfile.mkdtemp(prefix="assess-instance-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


INSTANCE = prepare(Path(os.environ.get("ASSESS_INSTANCE") or _throwaway_instance()))
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = secret_key(INSTANCE)
DEBUG = os.environ.get("ASSESS_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ASSESS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
                 if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "web.accounts",
    "web.rounds",
    "web.submissions",
    "web.findings",
    "web.dashboard",
    "web.audit",
    "web.appeals",
    "web.evidence",
]

MIDDLEWARE = [
    "web.limits.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "web.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.audit.recorder.ActorMiddleware",
    "web.policy.PolicyMiddleware",
]

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "web.accounts.context.role",
    ]},
}]

_url = os.environ.get("ASSESS_DATABASE_URL", "").strip()
DATABASES = {"default": from_url(_url) if _url else sqlite(INSTANCE / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = INSTANCE / "static"   # `collectstatic` target for a reverse proxy; waitress serves them itself

UPLOAD_MAX_BYTES = int(os.environ.get("ASSESS_UPLOAD_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024       # form fields; files are limited by UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024       # larger uploads spool to a temporary file
FILE_UPLOAD_PERMISSIONS = 0o600

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("ASSESS_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("[")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
