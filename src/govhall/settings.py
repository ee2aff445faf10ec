"""govhall settings: one module, every value from the environment (12-factor).

Development defaults are safe to run on a laptop; ``GOVHALL_ENV=production`` turns every default
into the hardened one and refuses to start without the secrets. The README lists every variable.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SRC_DIR = BASE_DIR / "src"


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


GOVHALL_ENV = env("GOVHALL_ENV", "development")
if GOVHALL_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"GOVHALL_ENV must be development, test or production, not {GOVHALL_ENV!r}")
PRODUCTION = GOVHALL_ENV == "production"


def secret(name: str, dev_default: str) -> str:
    """A secret: required in production, a fixed, clearly-marked value in development."""
    value = env(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when GOVHALL_ENV=production")
    return dev_default


DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = secret("SECRET_KEY", "dev-insecure-" + "k" * 50)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "django_q",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "govhall.core",
    "govhall.core.workdays",
    "govhall.core.audit",
    "govhall.directory",
    "govhall.accounts",
    "govhall.notifications",
    "govhall.catalog",
    "govhall.appointments",
    "govhall.applications",
    "govhall.licenses",
    "govhall.feedback",
    "govhall.portal",
    "govhall.workbench",
    "govhall.api",
    "govhall.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "govhall.core.middleware.ClientIPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "govhall.urls"
WSGI_APPLICATION = "govhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "govhall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "govhall.core.context_processors.hall",
            ],
        },
    },
]

# --- Database: SQLite by default (WAL, busy timeout, IMMEDIATE transactions), PostgreSQL by URL ---
VAR_DIR = Path(env("GOVHALL_VAR_DIR", str(BASE_DIR / "var")))
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'govhall.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Test databases are created from template0 in UTF-8, so Chinese text and trigram search work.
    DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, rate limits: shared by every process (database, or Redis by URL) ---
REDIS_URL = env("REDIS_URL")
# Parallel test workers share one Redis: each gets its own key prefix.
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", "govhall") + os.environ.get("PYTEST_XDIST_WORKER", "")


def _source_fingerprint() -> str:
    """Changes with any template, code, style or translation file: a deploy never serves pages
    rendered by the previous release from the page cache."""
    digest = hashlib.sha256()
    for path in sorted((SRC_DIR / "govhall").rglob("*")):
        if path.suffix in {".py", ".html", ".css", ".js", ".mo"}:
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


RELEASE = env("GOVHALL_RELEASE", "") or _source_fingerprint()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:pages:{RELEASE}",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "govhall_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Rendered pages, PDFs and exports live apart: a flood of distinct URLs culls only them,
        # never the rate-limit counters and cache versions of the default cache.
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "govhall_page_cache",
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{RELEASE}",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background work: django-q2 runs the outbox workers and the schedules ---
Q_CLUSTER = {
    "name": "govhall",
    "workers": env_int("WORKER_PROCESSES", 2),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 1,
    "catch_up": False,
    "label": "后台任务",
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}

# --- Accounts and authentication ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
# Real-name verification provider (accounts.identity): "demo" checks format and checksum only.
IDENTITY_VERIFIER = env("IDENTITY_VERIFIER", "demo")
# Single-sign-on providers (accounts.sso), comma-separated ids; none by default.
SSO_PROVIDERS = env_list("SSO_PROVIDERS")
# Offline image CAPTCHA before an SMS code is sent (django-simple-captcha, rendered locally).
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 5
CAPTCHA_IMAGE_SIZE = (120, 44)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "长春市网上办事大厅")
OTP_TOTP_THROTTLE_FACTOR = 1
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Internationalisation: Chinese first, English available; Beijing time for every deadline ---
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "govhall" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files: every asset local, no CDN ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it; collectstatic fills it in production

# --- Security ---
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", PRODUCTION) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The client IP is read from this header only when a trusted proxy sets it (e.g. X-Forwarded-For
# from nginx); otherwise REMOTE_ADDR. Never trust a header the client could forge.
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Personal data: AES-GCM keys "id:base64key,..." (first one encrypts), HMAC key for lookups.
FIELD_ENCRYPTION_KEYS = secret("FIELD_ENCRYPTION_KEYS", "dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=")
FIELD_HASH_KEY = secret("FIELD_HASH_KEY", "dev-only-hmac-key-do-not-use-in-production")
# Audit checkpoints are signed with an Ed25519 key kept outside the database.
AUDIT_CHECKPOINT_KEY_FILE = Path(env("AUDIT_CHECKPOINT_KEY_FILE", str(VAR_DIR / "keys" / "audit-checkpoint.pem")))
AUDIT_CHECKPOINT_EVERY = env_int("AUDIT_CHECKPOINT_EVERY", 1000)
# Retired checkpoint public keys (PEM paths), so checkpoints signed before a key change still verify.
AUDIT_CHECKPOINT_PUBLIC_KEY_FILES = [Path(path) for path in env_list("AUDIT_CHECKPOINT_PUBLIC_KEY_FILES")]

# --- The hall's identity (header, footer, government-site filing numbers) ---
HALL = {
    "name": env("HALL_NAME", "长春市网上办事大厅"),
    "name_en": env("HALL_NAME_EN", "Changchun Online Government Service Hall"),
    "city_code": env("HALL_CITY_CODE", "220100"),
    "office": env("HALL_OFFICE", "长春市人民政府政务公开办公室"),
    "office_en": env("HALL_OFFICE_EN", "Changchun Municipal Government Affairs Openness Office"),
    "site_code": env("HALL_SITE_CODE", "2201000001"),
    "icp_number": env("HALL_ICP_NUMBER", "吉ICP备00000000号"),
    "police_number": env("HALL_POLICE_NUMBER", "吉公网安备 22010202000000号"),
    "hotline": env("HALL_HOTLINE", "12345"),
}

# --- Logging: to stdout (the operator ships it; keep at least 6 months, Cybersecurity Law Art. 21) ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A line per rendering step of every notice, license and guide PDF: noise at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# `make bench` compares every scenario with a bare Django response served by the same server.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)

# --- Notifications ---
# The durable SMS outbox (regulation Art. 11: an SMS receipt for every submitted application).
# SMS_GATEWAYS names the gateways in failover order; each one is configured by
# SMS_GATEWAY_<NAME>_PLUGIN (console | http), _URL, _SECRET, _TIMEOUT, _CONNECT_TIMEOUT.
# The console gateway is for development only (refused in production by a system check).


def _sms_gateway(name: str) -> dict[str, object]:
    prefix = "SMS_GATEWAY_" + name.upper().replace("-", "_") + "_"
    return {
        "name": name,
        "plugin": env(prefix + "PLUGIN", "console" if name == "console" else "http"),
        "url": env(prefix + "URL"),
        "secret": env(prefix + "SECRET"),
        "timeout": float(env(prefix + "TIMEOUT", "10")),
        "connect_timeout": float(env(prefix + "CONNECT_TIMEOUT", "3")),
    }


SMS_GATEWAYS = [_sms_gateway(name) for name in env_list("SMS_GATEWAYS", "" if PRODUCTION else "console")]
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "长春市网上办事大厅")  # the approved sender signature (签名)
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 8)  # then technical_failure, shown in the workbench
SMS_BACKOFF_BASE_SECONDS = float(env("SMS_BACKOFF_BASE_SECONDS", "30"))  # doubled per attempt, jittered
SMS_BACKOFF_MAX_SECONDS = float(env("SMS_BACKOFF_MAX_SECONDS", "3600"))
SMS_LEASE_SECONDS = float(env("SMS_LEASE_SECONDS", "120"))  # must exceed the gateways' timeouts together
SMS_BATCH_SIZE = env_int("SMS_BATCH_SIZE", 50)
SMS_WORKER_THREADS = env_int("SMS_WORKER_THREADS", 4)  # concurrent gateway calls per worker process
SMS_SWEEP_SECONDS = float(env("SMS_SWEEP_SECONDS", "45"))  # below Q_CLUSTER timeout
SMS_ENQUEUE_HINT = env_bool("SMS_ENQUEUE_HINT", True)  # on-commit async_task to start early
SMS_RECEIPT_MAX_AGE_SECONDS = env_int("SMS_RECEIPT_MAX_AGE_SECONDS", 300)  # receipt timestamp window
SMS_CODE_MIN_INTERVAL_SECONDS = env_int("SMS_CODE_MIN_INTERVAL_SECONDS", 60)  # per number
SMS_CODE_MAX_PER_HOUR = env_int("SMS_CODE_MAX_PER_HOUR", 5)  # per number
SMS_CODE_GLOBAL_MAX_PER_MINUTE = env_int("SMS_CODE_GLOBAL_MAX_PER_MINUTE", 600)  # whole hall; 0 = off
SMS_DELIVERY_MAX_PER_MINUTE = env_int("SMS_DELIVERY_MAX_PER_MINUTE", 0)  # all workers together; 0 = off
SMS_QUIET_HOURS = env("SMS_QUIET_HOURS", "22:00-08:00")  # Beijing time; non-urgent messages wait; "" = off

# --- Appointments ---
# Art. 8: online booking of a visit to a service centre. Horizon in calendar days from today (only
# working days inside it are offered); the applicant may cancel or reschedule until the cut-off.
APPOINTMENT_HORIZON_DAYS = env_int("APPOINTMENT_HORIZON_DAYS", 14)
APPOINTMENT_CUTOFF_MINUTES = env_int("APPOINTMENT_CUTOFF_MINUTES", 120)  # before the slot starts
APPOINTMENT_MAX_OPEN = env_int("APPOINTMENT_MAX_OPEN", 3)  # open bookings per applicant
APPOINTMENT_NO_SHOW_GRACE_MINUTES = env_int("APPOINTMENT_NO_SHOW_GRACE_MINUTES", 15)  # after the slot ends
APPOINTMENT_NO_SHOW_THRESHOLD = env_int("APPOINTMENT_NO_SHOW_THRESHOLD", 3)  # no-shows within the window...
APPOINTMENT_NO_SHOW_WINDOW_DAYS = env_int("APPOINTMENT_NO_SHOW_WINDOW_DAYS", 90)
APPOINTMENT_RESTRICTION_DAYS = env_int("APPOINTMENT_RESTRICTION_DAYS", 30)  # ...restrict booking this long
# Scheduling backend per centre ("centre-code=plugin-id,..."); every other centre uses the default.
APPOINTMENT_DEFAULT_BACKEND = env("APPOINTMENT_DEFAULT_BACKEND", "builtin")
APPOINTMENT_CENTRE_BACKENDS = dict(pair.split("=", 1) for pair in env_list("APPOINTMENT_CENTRE_BACKENDS"))

# --- Applications ---
# Issue 7: applying online. Materials and notices are private files outside MEDIA_ROOT, streamed
# only after a permission check.
APPLICATIONS_PRIVATE_ROOT = Path(env("APPLICATIONS_PRIVATE_ROOT", str(VAR_DIR / "private")))
APPLICATIONS_MATERIAL_MAX_BYTES = env_int("APPLICATIONS_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)  # per file
APPLICATIONS_MATERIAL_MAX_FILES = env_int("APPLICATIONS_MATERIAL_MAX_FILES", 5)  # per material (or its count)
APPLICATIONS_SCANNER = env("APPLICATIONS_SCANNER", "noop")  # virus-scanning plugin
APPLICATIONS_YELLOW_SHARE = float(env("APPLICATIONS_YELLOW_SHARE", "0.2"))  # yellow at <= 20 % time left
APPLICATIONS_STEP_UP_SECONDS = env_int("APPLICATIONS_STEP_UP_SECONDS", 300)  # TOTP re-entry before a decision
APPLICATIONS_CORRECTION_WORKING_DAYS = env_int("APPLICATIONS_CORRECTION_WORKING_DAYS", 20)  # shown on the notice
APPLICATIONS_CLAIM_MINUTES = env_int("APPLICATIONS_CLAIM_MINUTES", 120)  # a claim lapses unless its holder acts

# --- Feedback (issue 10) ---
# Art. 15/16: consultations (2 working days) and complaints (5) are fixed by the regulation; a named
# 1- or 2-star review must be called back and rectified within this many working days (places use 5
# or 15); an escalated (reopened) complaint is handled by the office within this many working days.
FEEDBACK_RECTIFICATION_WORKING_DAYS = env_int("FEEDBACK_RECTIFICATION_WORKING_DAYS", 5)
FEEDBACK_ESCALATION_WORKING_DAYS = env_int("FEEDBACK_ESCALATION_WORKING_DAYS", 5)
# An unrated 好差评 invitation gets one reminder SMS after this many working days and can no longer
# be rated this many natural days after the event (the national rules leave the period to the province).
FEEDBACK_INVITATION_REMINDER_WORKING_DAYS = env_int("FEEDBACK_INVITATION_REMINDER_WORKING_DAYS", 3)
FEEDBACK_INVITATION_VALID_DAYS = env_int("FEEDBACK_INVITATION_VALID_DAYS", 15)

# --- Licenses ---
# Issue 9: signed electronic licenses (GB/T 36901-36906). Private signing keys are stored encrypted
# (AES-GCM) with this key-encryption key (base64 of 32 bytes): required in production; development
# and tests use a fixed, clearly-marked one.
LICENSES_KEY_ENCRYPTION_KEY = secret("LICENSES_KEY_ENCRYPTION_KEY", "ZGV2LW9ubHktbGljZW5zZS1rZWstZG8tbm90LXVzZSE=")
LICENSES_SIGNING_BACKEND = env("LICENSES_SIGNING_BACKEND", "file")  # "file"; a PKCS#11 HSM is another plugin
LICENSES_PKI_DIR = Path(env("LICENSES_PKI_DIR", str(VAR_DIR / "pki")))  # published root certificate and CRLs
LICENSES_FILE_ROOT = Path(env("LICENSES_FILE_ROOT", str(VAR_DIR / "private" / "licenses")))  # signed PDFs
LICENSES_TSA_URL = env("LICENSES_TSA_URL")  # RFC 3161 time-stamping authority; "" = no timestamp
# Printed in the QR code of every license: the short verification URL /verify/<identifier>/.
LICENSES_PUBLIC_BASE_URL = env(
    "LICENSES_PUBLIC_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
LICENSES_VERIFY_PER_IP_PER_HOUR = env_int("LICENSES_VERIFY_PER_IP_PER_HOUR", 120)  # public /verify/ and API
LICENSES_VERIFY_MAX_BYTES = env_int("LICENSES_VERIFY_MAX_BYTES", 10 * 1024 * 1024)  # uploaded file
