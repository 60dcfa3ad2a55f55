"""Settings for the election office system: one file, driven by the environment.

Environment variables: SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL, MEDIA_ROOT,
CSRF_TRUSTED_ORIGINS, SECURE_SSL_REDIRECT and the others of the README's table. SQLite, the local
media folder and a per-process cache are the defaults; PostgreSQL (DATABASE_URL), S3-compatible
object storage (MEDIA_STORAGE=s3) and Redis (CACHE_URL) are the scale path (several nodes).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} 必须是 true 或 false，当前为 {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.getenv("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("DEBUG 已关闭：请设置至少40个字符的随机 SECRET_KEY 环境变量后再启动。")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "villages",
    "voters",
    "candidates",
    "ballots",
    "archive",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "villages.middleware.content_security_policy",
    "villages.middleware.strip_nul",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "villages.middleware.kind_stage_gate",
]

ROOT_URLCONF = "election_site.urls"

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
                "villages.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "election_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Keep connections between requests: opening one per request cost PostgreSQL half its CPU under
        # `make loadtest` (31.5 vs 16.8 core-seconds); health checks drop one the server has closed.
        conn_max_age=int(os.getenv("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; the timeout waits for a busy writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "villages.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "villages:dashboard"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies stand in front of the app; each appends to X-Forwarded-For, so the client is
# the TRUSTED_PROXIES-th address from the right (villages/client_address.py). 0: REMOTE_ADDR is the client.
try:
    TRUSTED_PROXIES = int(os.getenv("TRUSTED_PROXIES", "0"))
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES 必须是代理服务器的层数（0、1、2……），当前为 {os.getenv('TRUSTED_PROXIES')!r}") from exc
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("TRUSTED_PROXIES 不能是负数。")

# Sign-in throttling: five failures lock the username from that address for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address behind the proxies, not the proxy's: else one person locks a user name for all.
AXES_CLIENT_IP_CALLABLE = "villages.client_address.client_address"

# Sessions end after 8 idle hours and when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every script, style, font and image comes from the app itself (villages/middleware.py); charts are
# data: images. Set CONTENT_SECURITY_POLICY to replace the policy, or to "" to send none.
CONTENT_SECURITY_POLICY = os.getenv(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

def media_storage() -> dict:
    """Where uploads, prints and the archive's files live (every code path goes through Django's
    storage API, villages/media.py): the local folder MEDIA_ROOT, or, for several app and worker
    nodes, a bucket of an S3-compatible object store (MinIO, Ceph RGW, a government cloud's object
    service) through django-storages."""
    kind = os.getenv("MEDIA_STORAGE", "local").strip().lower()
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE 必须是 local 或 s3，当前为 {kind!r}")
    missing = [name for name in ("S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY") if not os.getenv(name)]
    if missing:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 需要设置环境变量：{'、'.join(missing)}")
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "access_key": os.environ["S3_ACCESS_KEY"],
            "secret_key": os.environ["S3_SECRET_KEY"],
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("S3_REGION", "us-east-1"),
            "location": os.getenv("S3_PREFIX", "").strip("/"),
            # MinIO and Ceph RGW are addressed by path (http://host:9000/bucket/key) unless set up for
            # virtual hosts; the government clouds accept both.
            "addressing_style": os.getenv("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            # Two uploads of 选民名单.xlsx in one month must not replace each other's file.
            "file_overwrite": False,
            "default_acl": None,  # objects stay private (the bucket's policy); files are served by the app
            "querystring_auth": True,
            # A file read through the API is buffered in memory up to this size, then on disk.
            "max_memory_size": 5 * 1024 * 1024,
            "client_config": Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}),
        },
    }


def cache_settings() -> dict:
    """Django's cache: local memory per process by default; ``CACHE_URL=redis://host:6379/1`` shares one
    Redis between every node (the report charts, reports/charts.py)."""
    url = os.getenv("CACHE_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                            "OPTIONS": {"MAX_ENTRIES": 2000}}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL 必须以 redis://、rediss:// 或 unix:// 开头，当前为 {url!r}")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "xuanju"),
            # A Redis that does not answer must fail a request (or the health check) in seconds, not hang it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


CACHES = cache_settings()

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Background tasks (large voter imports): stored in the database and run by a second process,
# `python manage.py db_worker`. Tests switch to the immediate backend (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

# Scanned documents filed in the election archive (archive.records.check_upload): the largest accepted file.
ARCHIVE_UPLOAD_MAX_MB = int(os.getenv("ARCHIVE_UPLOAD_MAX_MB", "30"))
# Certifying an election queues the generation of its records into the archive (archive.filing).
ARCHIVE_FILE_ON_CERTIFY = os.getenv("ARCHIVE_FILE_ON_CERTIFY", "true").lower() in ("1", "true", "yes")
# Backups (backup_db) hold every full ID number: the database file and its media tarball get this mode.
try:
    BACKUP_FILE_MODE = int(os.getenv("BACKUP_FILE_MODE", "600"), 8)
except ValueError as exc:
    raise ImproperlyConfigured(f"BACKUP_FILE_MODE 必须是八进制权限，如 600 或 640，当前为 {os.getenv('BACKUP_FILE_MODE')!r}") from exc
if BACKUP_FILE_MODE & 0o007:
    raise ImproperlyConfigured("BACKUP_FILE_MODE 不能让其他用户读写备份文件（备份含完整的公民身份号码），请用 600 或 640。")
# A published voter list longer than this is printed by the task worker (voters.printing).
VOTER_LIST_INLINE_MAX = int(os.getenv("VOTER_LIST_INLINE_MAX", "1500"))
# Uploaded voter workbooks are inspected before any cell is read (voters.xlsx_guard) and refused past
# these limits, which real registers never reach: the last row of a sheet, its filled range (rows x
# columns) and the package unpacked (shared strings: a quarter of it).
VOTER_IMPORT_MAX_ROWS = int(os.getenv("VOTER_IMPORT_MAX_ROWS", "300000"))
VOTER_IMPORT_MAX_CELLS = int(os.getenv("VOTER_IMPORT_MAX_CELLS", "8000000"))
VOTER_IMPORT_MAX_UNPACKED_MB = int(os.getenv("VOTER_IMPORT_MAX_UNPACKED_MB", "300"))
# Issues kept per import (for the page and the annotated workbook); the rest are counted.
VOTER_IMPORT_MAX_ISSUES = int(os.getenv("VOTER_IMPORT_MAX_ISSUES", "10000"))
# A check whose process has not reported for this long has died: it is queued again once, then failed.
VOTER_IMPORT_STALLED_SECONDS = int(os.getenv("VOTER_IMPORT_STALLED_SECONDS", "120"))
# A list print, report export or archive filing whose process has not reported for this long has died
# (villages/worker_jobs.py): it is queued again once, then failed. Longer than any one step of them.
TASK_STALLED_SECONDS = int(os.getenv("TASK_STALLED_SECONDS", "600"))
