"""Saima settings, read from the environment (twelve-factor style).

Defaults give a working development setup on SQLite; a deployment sets
DATABASE_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_set(name: str) -> bool:
    """Whether the environment gives NAME a value (an empty one is no choice)."""
    return bool(os.environ.get(name, "").strip())


def env_bool(name: str, default: bool) -> bool:
    if not env_set(name):
        return default
    return os.environ[name].strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ[name]) if env_set(name) else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless the environment turns it on: `make run` and the other developer targets do,
# and the test suite's settings (config/test_settings.py) do.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used for local development: a deployment runs with DEBUG off.
    SECRET_KEY = "saima-insecure-development-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# --- HTTPS -----------------------------------------------------------------------------
# Secure by default whenever DEBUG is off: redirect to HTTPS, HSTS for a year (subdomains
# too, preload allowed), cookies only over HTTPS. Each can be turned off from the
# environment; an intranet served on plain HTTP has to turn off all four (README, Deploying).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# gunicorn already marks a request as HTTPS when a proxy it trusts (FORWARDED_ALLOW_IPS, see
# gunicorn.conf.py) says X-Forwarded-Proto: https. Another server in between may name the
# header Django should trust instead, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
# -- only when every request reaches Django through that proxy, which sets the header.
if proxy_ssl_header := env_list("SECURE_PROXY_SSL_HEADER", ""):
    if len(proxy_ssl_header) != 2:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HTTP_HEADER_NAME,value'.")
    SECURE_PROXY_SSL_HEADER = tuple(proxy_ssl_header)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# `check --deploy` warns about each of the settings above that is off. A warning is silenced
# only when the environment turns its setting off by name (a deployment's written choice,
# such as an intranet on plain HTTP); an omission is never silenced.
_EXPLICITLY_OFF = {
    "SECURE_SSL_REDIRECT": "security.W008",
    "SECURE_HSTS_SECONDS": "security.W004",
    "SESSION_COOKIE_SECURE": "security.W012",
    "CSRF_COOKIE_SECURE": "security.W016",
}
SILENCED_SYSTEM_CHECKS = [
    check for name, check in _EXPLICITLY_OFF.items() if env_set(name) and not globals()[name]
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "accounts",
    "districts",
    "rankings",
    "comments",
    "demo",
    "pages",
    "backups",
    "meetings",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session, the user or a form: PostgreSQL refuses NUL in text.
    "pages.middleware.NulByteRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Extends a signed-in session at most once a minute (SESSION_IDLE_MINUTES).
    "accounts.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pages.middleware.PrivateCachingMiddleware",
    # Records who made each change that django-simple-history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "demo.context_processors.demo_banner",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection the database has dropped (a restart) is replaced at the
        # start of the next request instead of failing it.
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Signed-in sessions end after this many minutes without a request (8 hours by default).
SESSION_COOKIE_AGE = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "480"))

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Nothing inline: every script and style is a file under static/, so an injected <script>,
# on*= handler or style= attribute does not run. The Django admin of 5.2 needs nothing more
# (its scripts are files that read data- attributes); django-simple-history's history page
# has one cosmetic style= attribute (a paginator's top border) that browsers ignore.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Sign-in protection (django-axes) ------------------------------------------------------
# After LOCKOUT_FAILURES failed sign-ins for one username, or from one address, that
# username or address is refused for LOCKOUT_MINUTES after its last failure; an administrator
# lifts it earlier by deleting the access attempt in the admin (or `manage.py axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
# The address of a sign-in: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address
# the outermost one saw (accounts/lockout.py).
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Races of at most this many districts × indicators have every explanation stored when
# published (about 1.5 s at 40 × 20); larger ones by `manage.py store_explanations`
# afterwards (docs/explanations.md, "At publish").
SAIMA_EXPLANATIONS_AT_PUBLISH_MAX = env_int("SAIMA_EXPLANATIONS_AT_PUBLISH_MAX", 800)
# Up to this size publishing still stores the rank intervals alone (0.04 s at 100 × 20).
SAIMA_INTERVALS_AT_PUBLISH_MAX = env_int("SAIMA_INTERVALS_AT_PUBLISH_MAX", 2000)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}


# --- Scale-out: shared cache and read replica (docs/deploy.md) -----------------------------

# Several servers share one cache: CACHE_URL names a Redis database, e.g.
# redis://127.0.0.1:6379/1. Unset, each process keeps its own (development, one server).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL.")
    CACHES = {
        "default": {
            "BACKEND": "config.cache.SharedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "saima"),
        }
    }
    # Every server sees the same cache, so sessions and signed-in identities may be kept in
    # it: a sign-out or a revoked role reaches every process at once (accounts/identity.py).
    # A per-process cache could not: another worker would keep serving the old entry.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "saima",
        }
    }

# Whether the default cache is shared by every process (sessions and identities are kept in
# it only then).
SAIMA_SHARED_CACHE = bool(CACHE_URL)

# A read replica of PostgreSQL (streaming replication). Nothing reads from it unless the
# code names it: see config/db_routers.py for which reads may and why.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests read the "replica" through the test database instead of a second one.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_routers.ReplicaRouter"]

# Where the admin keeps an uploaded values file between its preview and the confirmation.
# With several servers it must be a directory they all share (NFS, a mounted volume);
# unset, the system's temporary directory of the one server.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "")
