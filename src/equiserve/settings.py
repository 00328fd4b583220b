"""Django settings, read from the environment.

DATABASE_URL selects the database (default: the embedded SQLite file in var/);
EQUISERVE_DEMO=1 turns on demo mode (demo accounts); DEBUG=1 turns on Django's debug
pages, never by default: the demo shows the pages residents get (issue 14, deliverable 10).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("EQUISERVE_HOME", PACKAGE_DIR.parents[1]))
VAR_DIR = Path(os.environ.get("EQUISERVE_VAR", PROJECT_DIR / "var"))


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEMO_MODE = _env_flag("EQUISERVE_DEMO")
DEBUG = _env_flag("DEBUG", default=False)


def _key(env_name: str, file_name: str) -> str:
    """Return a key from the environment, else one kept in var/ (0600), never the DB."""
    if key := os.environ.get(env_name):
        return key
    key_file = VAR_DIR / file_name
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _key("SECRET_KEY", "secret_key")
# Signs the audit trail's hash chain and its checkpoints (issue 10, finding 5): kept
# outside the database, so write access to the database cannot rebuild the chain.
AUDIT_KEY = _key("EQUISERVE_AUDIT_KEY", "audit_key")
# Signed checkpoints of the chain's head, outside the database: written every
# AUDIT_CHECKPOINT_EVERY entries and by each `equiserve audit verify`.
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("EQUISERVE_AUDIT_CHECKPOINTS", VAR_DIR / "audit-checkpoints")
)
AUDIT_CHECKPOINT_EVERY = 1000
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]
if "testserver" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Serves Swagger UI from its own static files instead of a CDN.
    "ninja",
    # Counts failed logins and locks out (issue 10, finding 10).
    "axes",
    # Django's task framework and its database queue: the monitoring worker
    # recomputes stale indicator values with no server beside the database.
    "django_tasks",
    "django_tasks_db",
    "equiserve.accounts",
    "equiserve.audit",
    "equiserve.geography",
    "equiserve.registry",
    "equiserve.portal",
    "equiserve.rules",
    "equiserve.facilities",
    "equiserve.cases",
    "equiserve.housing",
    "equiserve.monitoring",
    "equiserve.employment",
    "equiserve.health",
    # Health, metrics, backups and the production server (issue 21).
    "equiserve.operations",
    "equiserve.disability",
    "equiserve.projects",
    # Budget execution (4.3) and the public site with open data (4.4), issue 18.
    "equiserve.budget",
    "equiserve.publication",
    "equiserve.library",
]

MIDDLEWARE = [
    # First, so it times every answer, the others' included (issue 21).
    "equiserve.operations.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Issue 10, finding 12: the Content Security Policy, and no-store on answers
    # that may hold personal data. Outside the others, so that answers they give
    # themselves (API errors, lock-outs) carry the headers too.
    "csp.middleware.CSPMiddleware",
    "equiserve.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "equiserve.portal.middleware.ChineseFirstLocaleMiddleware",
    # After the locale: JSON errors and the body size limit under /api/.
    "equiserve.api_errors.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked-out login with equiserve.accounts.lockout (issue 10, finding 10).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "equiserve.urls"
WSGI_APPLICATION = "equiserve.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "equiserve.portal.context_processors.site",
            ],
        },
    },
]

SQLITE_PATH = VAR_DIR / "equiserve.sqlite3"
# A connection is kept for a minute, checked before reuse: opening one (and, on
# SQLite, its PRAGMAs) was a tenth of a short API request's time.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("EQUISERVE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two concurrent writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (issue 13): tasks are rows in the database, run by
# `equiserve monitoring worker` (Django's `db_worker`), which `make run` starts.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # No user name, date or city name (issue 10, finding 12).
    {"NAME": "equiserve.accounts.passwords.PersonalPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before any password check.
    "equiserve.accounts.backends.LoginThrottleBackend",
    "equiserve.accounts.backends.DemoAwareModelBackend",
]
# Login throttling (issue 10, finding 10), web and API alike: 5 failures for one user
# name, or from one address, lock that name or address out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "equiserve.accounts.lockout.lockout_response"
# Logins and failures go to the audit trail; axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
# API bearer tokens expire this long after they are issued (issue 10, finding 6).
API_TOKEN_LIFETIME = timedelta(
    hours=int(os.environ.get("EQUISERVE_API_TOKEN_HOURS", "8"))
)
LOGIN_URL = "login"
# Users land on their work queue; the plan stays at "/" (issue 14, deliverable 1).
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only needed for `collectstatic` behind a separate web server.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or (
    # `equiserve production` collects into var/static (issue 21).
    str(VAR_DIR / "static") if _env_flag("EQUISERVE_PRODUCTION") else None
)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the finders: no collectstatic step on an embedded install.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
if STATIC_ROOT:
    # Production (`equiserve production` collects them first, issue 21): hashed
    # names cached for a year, gzip beside each file, served by WhiteNoise.
    WHITENOISE_USE_FINDERS = False
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Issue 10, finding 12. A staff session ends when the browser closes, and at the
# latest 8 hours after signing in: activity does not extend it (sessions are not
# saved on every request).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# EQUISERVE_HTTPS=1 in production behind TLS: cookies only over HTTPS, HSTS for a
# year, plain HTTP redirected. The proxy in front must set X-Forwarded-Proto
# (and drop any sent by the client).
HTTPS = _env_flag("EQUISERVE_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp; issue 10, finding 2): scripts, styles and
# everything else from the project only; no inline script, style or eval (htmx is
# configured without them, charts colour by class); no plugins, no framing, forms
# post here. `data:` images are Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The largest file an import accepts, checked before it is read (issue 10, finding 11).
EQUISERVE_IMPORT_MAX_BYTES = (
    int(os.environ.get("EQUISERVE_IMPORT_MAX_MB", "20")) * 2**20
)

# The plan the engine loads; a directory of parameters, formulas and tests.
EQUISERVE_PLAN_DIR = Path(
    os.environ.get("EQUISERVE_PLAN_DIR", PROJECT_DIR / "plans" / "zhongshan_2014")
)

# /metrics answers a bearer token when one is set, else loopback callers that
# came through no proxy (issue 21; docs/DEPLOYMENT.md).
METRICS_TOKEN = os.environ.get("EQUISERVE_METRICS_TOKEN", "")

# EQUISERVE_LOG_FORMAT=json: one JSON object a line, for journald and log
# shippers; messages carry no personal data (issue 21, deliverable 4).
LOG_FORMAT = os.environ.get("EQUISERVE_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "equiserve.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
