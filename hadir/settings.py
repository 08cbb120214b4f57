"""Django settings, read from environment variables with embedded defaults.

With nothing set, hadir runs on SQLite under ``var/`` and a local task broker that needs no
server. See the README for every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hadir.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HADIR_VAR", str(BASE_DIR / "var")))

DEBUG = env_bool("HADIR_DEBUG", False)
_DEV_SECRET = "hadir-development-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("HADIR_SECRET_KEY", _DEV_SECRET)
if SECRET_KEY == _DEV_SECRET and env_bool("HADIR_PRODUCTION", False):
    raise ImproperlyConfigured("HADIR_PRODUCTION is set: HADIR_SECRET_KEY must be set too")
ALLOWED_HOSTS = env_list("HADIR_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("HADIR_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "hadir.core",
    "hadir.audit",
    "hadir.org",
    "hadir.calendars",
    "hadir.tpp",
    "hadir.attendance",
    "hadir.absences",
    "hadir.reports",
    "hadir.discipline",
    "hadir.notify",
    "hadir.devices",
    "hadir.biometrics",
    "hadir.integrity",
    "hadir.pwa",
    "hadir.verification",
    "hadir.web",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hadir.devices.app_auth.app_update_header",
]

ROOT_URLCONF = "hadir.urls"
WSGI_APPLICATION = "hadir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hadir.web.context.nav",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{VAR_DIR / 'hadir.sqlite3'}"
_db_url = env_str("DATABASE_URL", "") or _DEFAULT_DB
try:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r}: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's own queries bind on the client and are never prepared; this lets the few
    # queries of hadir.core.prepared be prepared once per connection (Django turns
    # prepared statements off unless asked). Behind a pooler in transaction mode, use one
    # that keeps prepared statements (PgBouncer 1.21+ with max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("HADIR_MEDIA", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HADIR_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Staff web login (hadir/web, docs/web.md) ---------------------------------------------------
# django-axes counts failed logins, but only the staff login (and the admin's) consult it: its
# authentication backend is left out on purpose, so the employee app's token login, tests and
# scripts calling authenticate() are not affected. TOTP (django-otp) for BKPSDM admins/operators.
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
AXES_FAILURE_LIMIT = env_int("HADIR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HADIR_LOGIN_COOLOFF_MIN", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W003"]  # no axes middleware/backend: see above
OTP_TOTP_ISSUER = env_str("HADIR_OTP_ISSUER", "HADIR")

# --- Celery -----------------------------------------------------------------------------------
# With no CELERY_BROKER_URL, tasks travel through kombu's filesystem transport under var/broker:
# a real worker process consumes them, and no broker server is needed.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is ./control in whatever folder the process started.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("HADIR_TASKS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

HADIR_DISCIPLINE_HOUR_UTC = env_int("HADIR_DISCIPLINE_HOUR_UTC", 17)

# --- Notifications (hadir/notify, docs/notify.md) ----------------------------------------------
# A channel whose provider is not configured delivers to the log channel (visible in the admin).
HADIR_WHATSAPP = {
    "base_url": env_str("HADIR_WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"),
    "phone_number_id": env_str("HADIR_WHATSAPP_PHONE_NUMBER_ID", ""),
    "token": env_str("HADIR_WHATSAPP_TOKEN", ""),
    "use_templates": env_bool("HADIR_WHATSAPP_TEMPLATES", False),
    "language": env_str("HADIR_WHATSAPP_LANGUAGE", "id"),
}
HADIR_SMS = {
    "url": env_str("HADIR_SMS_URL", ""),
    "token": env_str("HADIR_SMS_TOKEN", ""),
    "sender": env_str("HADIR_SMS_SENDER", "HADIR"),
    "format": env_str("HADIR_SMS_FORMAT", "json"),  # json or form
    "fields": env_list("HADIR_SMS_FIELDS", ["to", "from", "text"]),  # number, sender, text
}
if HADIR_SMS["format"] not in ("json", "form") or len(HADIR_SMS["fields"]) != 3:
    raise ImproperlyConfigured("HADIR_SMS_FORMAT is json or form; HADIR_SMS_FIELDS names 3 fields")
HADIR_WEBPUSH = {
    "vapid_private_key": env_str("HADIR_VAPID_PRIVATE_KEY", ""),
    "vapid_subject": env_str("HADIR_VAPID_SUBJECT", "mailto:bkpsdm@example.go.id"),
}
EMAIL_HOST = env_str("HADIR_EMAIL_HOST", "")
EMAIL_PORT = env_int("HADIR_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("HADIR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("HADIR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HADIR_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("HADIR_EMAIL_FROM", "hadir@localhost")
HADIR_NOTIFY = {
    "quiet_hours": env_str("HADIR_NOTIFY_QUIET_HOURS", "21:00-06:00"),
    "max_attempts": env_int("HADIR_NOTIFY_MAX_ATTEMPTS", 6),
    "backoff_s": env_int("HADIR_NOTIFY_BACKOFF_S", 60),
    "backoff_cap_s": env_int("HADIR_NOTIFY_BACKOFF_CAP_S", 6 * 3600),
    "timeout_s": env_int("HADIR_NOTIFY_TIMEOUT_S", 10),
    "remind_before_min": env_int("HADIR_REMIND_BEFORE_MIN", 10),
}

# --- Fingerprint machines (hadir/devices, docs/devices.md) -------------------------------------
HADIR_ADMS_MAX_BODY_BYTES = env_int("HADIR_ADMS_MAX_BODY_BYTES", 4 * 1024 * 1024)
HADIR_ADMS_CLOCK_SKEW_S = env_int("HADIR_ADMS_CLOCK_SKEW_S", 300)
HADIR_ADMS_MAX_FUTURE_S = env_int("HADIR_ADMS_MAX_FUTURE_S", 86400)
HADIR_ADMS_DELAY_S = env_int("HADIR_ADMS_DELAY_S", 10)
HADIR_ADMS_ERROR_DELAY_S = env_int("HADIR_ADMS_ERROR_DELAY_S", 30)
HADIR_MACHINE_SILENCE_S = env_int("HADIR_MACHINE_SILENCE_S", 2 * 3600)
HADIR_PULL_TIMEOUT_S = env_int("HADIR_PULL_TIMEOUT_S", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "hadir.core.logs.StderrHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HADIR_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
