"""Xianfeng settings.

Everything is read from the environment with defaults that are safe for a local run on SQLite.
Production sets at least XIANFENG_SECRET_KEY, XIANFENG_DEBUG=0, XIANFENG_ALLOWED_HOSTS and
DATABASE_URL-style XIANFENG_DB_* variables (see README, "Deploying on PostgreSQL").
"""

import os
from pathlib import Path

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --------------------------------------------------------------------------------------------
# Core
# --------------------------------------------------------------------------------------------
DEBUG = env_bool("XIANFENG_DEBUG", True)
SECRET_KEY = env("XIANFENG_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
# 公民身份号码 and phone numbers are encrypted at rest (members/pii.py): url-safe base64 32-byte
# keys, the first encrypts and all decrypt (rotate: new key first, then manage.py rotate_pii_keys);
# a separate key for the lookup hashes. Without them only DEBUG (and tests) derive dev keys.
PII_KEYS = env_list("XIANFENG_PII_KEYS")
PII_HASH_KEY = env("XIANFENG_PII_HASH_KEY", "")
PII_DEV_KEYS = DEBUG
if not DEBUG and not (PII_KEYS and PII_HASH_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set XIANFENG_PII_KEYS and XIANFENG_PII_HASH_KEY: personal information is encrypted.")
ALLOWED_HOSTS = env_list("XIANFENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("XIANFENG_CSRF_TRUSTED_ORIGINS")

# Where uploads, the SQLite database and generated files live on a local run.
VAR_DIR = Path(env("XIANFENG_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "config.admin_site.XianfengAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "import_export",
    "django_tasks_db",
    "portal",
    "accounts",
    "audit",
    "branches",
    "members",
    "campaigns",
    "notifications",
    "pledges",
    "reviews",
    "evaluations",
    "appraisals",
    "activities",
    "reports",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --------------------------------------------------------------------------------------------
# Database: SQLite by default, PostgreSQL when XIANFENG_DB_ENGINE=postgresql
# --------------------------------------------------------------------------------------------
if env("XIANFENG_DB_ENGINE", "sqlite") == "postgresql":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env("XIANFENG_DB_NAME", "xianfeng"),
            "USER": env("XIANFENG_DB_USER", "postgres"),
            "PASSWORD": env("XIANFENG_DB_PASSWORD"),
            "HOST": env("XIANFENG_DB_HOST", "127.0.0.1"),
            "PORT": env("XIANFENG_DB_PORT", "5432"),
            "CONN_MAX_AGE": int(env("XIANFENG_DB_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("XIANFENG_SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            # WAL lets the worker write progress while a request reads; a timeout rides out
            # the short write locks the two processes take.
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

# A read replica (PostgreSQL streaming replication) for the heavy report and dashboard reads. Only
# code wrapped in config.db_router.reading_from_replica() reads from it; everything else, and every
# write, uses "default" (docs/scaling.md).
if env("XIANFENG_DB_REPLICA_HOST") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        "NAME": env("XIANFENG_DB_REPLICA_NAME", DATABASES["default"]["NAME"]),
        "USER": env("XIANFENG_DB_REPLICA_USER", DATABASES["default"]["USER"]),
        "PASSWORD": env("XIANFENG_DB_REPLICA_PASSWORD", DATABASES["default"]["PASSWORD"]),
        "HOST": env("XIANFENG_DB_REPLICA_HOST"),
        "PORT": env("XIANFENG_DB_REPLICA_PORT", DATABASES["default"]["PORT"]),
        # The test run has no second server: the replica is the default test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out: this many failed logins within the window lock the account for the window.
LOGIN_FAILURE_LIMIT = int(env("XIANFENG_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(env("XIANFENG_LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie

# --------------------------------------------------------------------------------------------
# Language and time
# --------------------------------------------------------------------------------------------
# The portal always speaks Chinese, whatever language the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --------------------------------------------------------------------------------------------
# Static and media (everything vendored: intranets have no internet)
# --------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("XIANFENG_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("XIANFENG_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are served only by the signed /files/ view (portal/media.py); set to nginx's internal
# location for MEDIA_ROOT (e.g. /internal-media/) and the view answers with X-Accel-Redirect.
MEDIA_ACCEL = env("XIANFENG_MEDIA_ACCEL", "")
STORAGES = {
    "default": {"BACKEND": "portal.media.SignedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploaded rosters and photos are checked against these before anything is read.
IMPORT_MAX_UPLOAD_BYTES = int(env("XIANFENG_IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
PHOTO_MAX_UPLOAD_BYTES = int(env("XIANFENG_PHOTO_MAX_UPLOAD_BYTES", str(8 * 1024 * 1024)))
# Imports with more rows than this run in the task worker with progress on the page.
IMPORT_BACKGROUND_THRESHOLD = int(env("XIANFENG_IMPORT_BACKGROUND_THRESHOLD", "2000"))
# The roster's table and filter form are kept this long in the cache, keyed by what they show
# (members/views.py, _fragment); 0 renders them on every request.
MEMBER_LIST_FRAGMENT_SECONDS = int(env("XIANFENG_MEMBER_LIST_FRAGMENT_SECONDS", "600"))
# A dashboard over more orgs than this whose figures a write outdated shows the last ones while the
# task worker counts (reports/dashboard.py); smaller subtrees are counted in the request. Counting
# takes about 0.15 ms an org on a 2-core machine (a 党委 of 483 orgs 75 ms, a province 0.45 s): past
# 300 orgs it would take most of a page's 100 ms.
DASHBOARD_BACKGROUND_FROM = int(env("XIANFENG_DASHBOARD_BACKGROUND_FROM", "300"))

# --------------------------------------------------------------------------------------------
# Caches. "default" (public boards, roster fragments) may be per process: what it holds expires in
# minutes and a stale copy is harmless. "figures" (the dashboard's kept figures and the versions that
# writes replace, reports/figures/cache.py) must be one for every process that writes or reads them,
# the task worker included, which counts a big subtree's figures for the web processes: files on
# this machine's disk, or Redis once there are several app servers (docs/scaling.md).
# --------------------------------------------------------------------------------------------
REDIS_URL = env("XIANFENG_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "figures": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "figures",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("XIANFENG_FIGURES_CACHE_DIR", str(VAR_DIR / "cache" / "figures")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# --------------------------------------------------------------------------------------------
# Background tasks (django.tasks + django-tasks-db; run `manage.py db_worker`)
# --------------------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("XIANFENG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --------------------------------------------------------------------------------------------
# Security (production values switch on with DEBUG off)
# --------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (Django's own middleware). Scripts only from our static files (everything
# is vendored) or carrying the request's nonce ({{ csp_nonce }}): no inline script, no inline event
# handler, no eval (htmx runs with allowEval off, see base.html). Styles keep 'unsafe-inline' because
# server-computed bar widths are style="width: N%" attributes in a dozen templates, ECharts' SVG
# renderer and Bootstrap write style attributes, and the self-contained 500 page carries its own
# <style> (it renders without a request context, so without a nonce). Style injection cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("XIANFENG_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("XIANFENG_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("XIANFENG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("XIANFENG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("XIANFENG_LOG_LEVEL", "WARNING")},
}

# Demo data may only be written to a database marked as the local demo one.
DEMO_DATABASE = env_bool("XIANFENG_DEMO_DATABASE", DATABASES["default"]["ENGINE"].endswith("sqlite3"))

# --------------------------------------------------------------------------------------------
# Mass evaluation (evaluations app)
# --------------------------------------------------------------------------------------------
# Answers through a round's open link, per client address and window; a 千人评议 held in one hall
# behind one address should raise it (or use printed codes, which are not limited).
EVALUATION_OPEN_LINK_LIMIT = int(env("XIANFENG_EVALUATION_OPEN_LINK_LIMIT", "30"))
# Wrong or unknown codes per client and window, so codes cannot be guessed.
EVALUATION_CODE_MISS_LIMIT = int(env("XIANFENG_EVALUATION_CODE_MISS_LIMIT", "20"))
EVALUATION_RATE_WINDOW_MINUTES = int(env("XIANFENG_EVALUATION_RATE_WINDOW_MINUTES", "60"))
# Behind nginx, the client is the last X-Forwarded-For address; off for a direct run.
EVALUATION_TRUST_X_FORWARDED_FOR = env_bool("XIANFENG_EVALUATION_TRUST_X_FORWARDED_FOR", False)
# Code sheets hold codes in plain text: kept outside MEDIA_ROOT (which nginx serves) and downloaded
# only through the round's page.
EVALUATION_SLIPS_ROOT = Path(env("XIANFENG_EVALUATION_SLIPS_ROOT", str(VAR_DIR / "private" / "evaluation-slips")))
