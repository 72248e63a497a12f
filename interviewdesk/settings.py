"""interviewdesk settings: one file, values from the environment with safe defaults.

SQLite under var/ is the zero-config default; set DATABASE_URL for PostgreSQL.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The "django-insecure-" prefix makes `check --deploy` fail loudly when SECRET_KEY is not set.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-dev-key-change-me-" + "x" * 40)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tasks",
    "django_tasks_db",
    "interviewdesk.core",
    "interviewdesk.procedures",
    "interviewdesk.scheduling",
    # Before messaging: its receiver links an appointment to its meeting before messaging's sends.
    "interviewdesk.meetings",
    "interviewdesk.messaging",
    "interviewdesk.portal",
    "interviewdesk.live",
    "interviewdesk.assessment",
    "interviewdesk.planning",
    "interviewdesk.setup",
    "interviewdesk.privacy",
    "interviewdesk.demo",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # After core and django-otp: it extends core's user admin with the second-factor reset and
    # takes the devices out of the admin.
    "interviewdesk.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check reads the form: a too-large upload is cut off while it streams in.
    "interviewdesk.core.uploads.RefusedUploadMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After the CSRF check: a list's search form is POSTed, kept in the session, redirected to ?s=key.
    "interviewdesk.core.listing.SearchInSessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and too old sessions, then sends a staff member without a verified second factor
    # to the code page (docs/operations.md, "Security").
    "interviewdesk.core.middleware.SessionLifetimeMiddleware",
    "interviewdesk.accounts.middleware.SecondFactorMiddleware",
    "interviewdesk.core.middleware.PrivacyHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interviewdesk.urls"
WSGI_APPLICATION = "interviewdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "interviewdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'interviewdesk.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE",
         # Seconds a write waits for SQLite's one write lock before "database is locked" (default 5):
         # a bulk send's group transaction and the worker's sweeps can hold it for a while.
         "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Staff accounts (docs/operations.md, "Security"). Every staff member has a second factor: an
# authenticator app (TOTP, django-otp) plus single-use recovery codes; enrolment at first login.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "interviewdesk")
RECOVERY_CODES = 10
# Login throttling (django-axes): per account *and* client address, so nobody elsewhere can lock a
# colleague out; a short cool-off. A client trying many accounts is stopped at a higher count.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_CLIENT_FAILURE_LIMIT = env_int("LOGIN_CLIENT_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_HANDLER = "interviewdesk.accounts.throttling.AccountAndClientHandler"
AXES_CLIENT_IP_CALLABLE = "interviewdesk.core.clientaddress.client_address"
AXES_LOCKOUT_CALLABLE = "interviewdesk.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock-out do not count, so nobody can stretch a lock-out beyond the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful and failed logins go to our audit log instead
AXES_VERBOSE = False  # axes would log usernames; the audit log has what is needed
AXES_ENABLE_ADMIN = True  # administrators see current lock-outs and can lift one
# Session lifetimes: staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request and
# STAFF_SESSION_MAX_HOURS after the login at the latest; candidates' after a shorter idle time.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_MINUTES", 30) * 60
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_HOURS", 10) * 3600
PORTAL_SESSION_IDLE_SECONDS = env_int("PORTAL_SESSION_IDLE_MINUTES", 15) * 60
PORTAL_SESSION_MAX_SECONDS = STAFF_SESSION_MAX_SECONDS
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS  # the cookie and the stored row never outlive that

LANGUAGE_CODE = "en"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("de", _("German")), ("en", _("English"))]
CANDIDATE_LANGUAGES = ["nl", "fr", "de"]
LOCALE_PATHS = [BASE_DIR / "interviewdesk" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "interviewdesk" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic step needed for the demo).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
# Uploaded files (e.g. medical certificates) live outside the web root and are
# only ever served through views that check permissions.
MEDIA_ROOT = VAR_DIR / "private"
# Only the service's own user reads uploaded files (medical certificates, imports).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The largest file any form accepts (candidate imports: 10 MB; certificates: 8 MB). A larger
# upload is refused while it streams in (core/uploads.py); set the reverse proxy's limit to match.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "interviewdesk.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MAIL_DIR = VAR_DIR / "mail"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "interviewdesk <no-reply@interviewdesk.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Meetings made by the product (docs/meetings.md). Secrets only here, from the environment.
MEETINGS_GRAPH_URL = env_str("MEETINGS_GRAPH_URL", "https://graph.microsoft.com/v1.0")
MEETINGS_TEAMS_AUTHORITY_HOST = env_str("MEETINGS_TEAMS_AUTHORITY_HOST", "https://login.microsoftonline.com")
MEETINGS_TEAMS_TENANT_ID = env_str("MEETINGS_TEAMS_TENANT_ID")
MEETINGS_TEAMS_CLIENT_ID = env_str("MEETINGS_TEAMS_CLIENT_ID")
MEETINGS_TEAMS_CLIENT_SECRET = env_str("MEETINGS_TEAMS_CLIENT_SECRET")
MEETINGS_TEAMS_ORGANIZER = env_str("MEETINGS_TEAMS_ORGANIZER")  # the service's default organizer (UPN)
MEETINGS_CA_BUNDLE = env_str("MEETINGS_CA_BUNDLE")  # a CA file for Graph and the token endpoint, if not the system's
MEETINGS_HTTP_TIMEOUT = env_int("MEETINGS_HTTP_TIMEOUT", 20)
MEETINGS_MAX_WAIT_SECONDS = env_int("MEETINGS_MAX_WAIT_SECONDS", 10)  # longest Retry-After waited in the call
MEETINGS_MAX_ATTEMPTS = env_int("MEETINGS_MAX_ATTEMPTS", 8)
MEETINGS_JITSI_BASE_URL = env_str("MEETINGS_JITSI_BASE_URL")
MEETINGS_JITSI_APP_ID = env_str("MEETINGS_JITSI_APP_ID", "interviewdesk")
# The secret the Jitsi server's prosody shares (token authentication). `make demo` sets a demo one.
MEETINGS_JITSI_APP_SECRET = env_str("MEETINGS_JITSI_APP_SECRET")
MEETINGS_TOKEN_MARGIN_MINUTES = env_int("MEETINGS_TOKEN_MARGIN_MINUTES", 60)

# Messaging (docs/messaging.md): retries, reminders, where calendar replies arrive.
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 6)
MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
# A candidate's personal link lasts this many days after the last moment an e-mail needed it (the end
# of their latest appointment sent, or the end of the two months to ask about their result).
PORTAL_LINK_DAYS_AFTER_USE = env_int("PORTAL_LINK_DAYS_AFTER_USE", 30)
REMINDER_DAYS_BEFORE = [int(d) for d in env_list("REMINDER_DAYS_BEFORE", "3,1")]
INVITATION_REPLY_DIR = Path(env_str("INVITATION_REPLY_DIR", str(VAR_DIR / "replies")))
INVITATION_REPLY_IMAP_HOST = env_str("INVITATION_REPLY_IMAP_HOST")
INVITATION_REPLY_IMAP_PORT = env_int("INVITATION_REPLY_IMAP_PORT", 993)
INVITATION_REPLY_IMAP_SSL = env_bool("INVITATION_REPLY_IMAP_SSL", True)
INVITATION_REPLY_IMAP_USER = env_str("INVITATION_REPLY_IMAP_USER")
INVITATION_REPLY_IMAP_PASSWORD = env_str("INVITATION_REPLY_IMAP_PASSWORD")
INVITATION_REPLY_IMAP_FOLDER = env_str("INVITATION_REPLY_IMAP_FOLDER", "INBOX")
# The ORGANIZER of every calendar file, so calendar answers reach the mailbox the reply reader
# watches: this setting, else the IMAP login when it is an address, else calendar-replies@ the
# domain of DEFAULT_FROM_EMAIL. The contact person stays visible as the organizer's name (CN).
INVITATION_REPLY_ADDRESS = (
    env_str("INVITATION_REPLY_ADDRESS")
    or (INVITATION_REPLY_IMAP_USER if "@" in INVITATION_REPLY_IMAP_USER else "")
    or "calendar-replies@" + DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
)
# Whose Authentication-Results header counts (RFC 8601 authserv-id, e.g. "mx.example.org"); empty:
# the topmost one, which the receiving server adds last (docs/messaging.md "Which answers count").
INVITATION_REPLY_AUTHSERV_ID = env_str("INVITATION_REPLY_AUTHSERV_ID")

# Privacy (docs/operations.md "Privacy"): who answers for candidates' data, whom they write to, and
# how long their data are kept after a procedure is closed (each procedure may set its own period).
PRIVACY_CONTROLLER_NAME = env_str("PRIVACY_CONTROLLER_NAME", "the recruitment service")
PRIVACY_CONTROLLER_ADDRESS = env_str("PRIVACY_CONTROLLER_ADDRESS")
PRIVACY_DPO_EMAIL = env_str("PRIVACY_DPO_EMAIL", "dpo@interviewdesk.example")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accessibility@interviewdesk.example")
ACCESSIBILITY_STATEMENT_DATE = env_str("ACCESSIBILITY_STATEMENT_DATE", "2026-12-06")
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)

# Security. Strict CSP: no inline script or style anywhere.
# Sessions live in the database. With CACHE_URL they are read through that shared cache first
# (cached_db: no session query on a page that only reads the session, and a logout, which deletes
# the entry, reaches every process); every session write still goes to the database too.
# CACHE_URL (e.g. redis://127.0.0.1:6379/0): the "default" cache, shared by every web process, for
# sessions and the portal's rate limit of failed personal-link attempts. Without it each process
# has its own memory cache: sessions are then read from the database only (served from a
# per-process cache, a logout in one gunicorn worker would not reach the others), and the rate
# limit counts per process, so with N workers a guesser gets up to N times the attempts
# (docs/operations.md).
# "local" is always per process, for values that may lag behind the database for a bounded time,
# memory being fastest: the portal's rendered overview (30 s; its key changes with what the
# candidate changes, their appointments, result and live session, but staff edits elsewhere, such
# as the contact person or a name, show only when the entry expires) and room-request deadlines
# (5 minutes; they move only when closure days are added).
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": ({"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL} if CACHE_URL
                else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if CACHE_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# A year of HSTS is the preload list's threshold; preloading only happens if someone submits the domain.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
BEHIND_PROXY = env_bool("BEHIND_PROXY")  # also: the client address is the proxy's X-Forwarded-For entry
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:", "mediastream:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_links": {"()": "interviewdesk.core.logging.RedactPersonalLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_links"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Both write request paths; the filter on the handler removes personal-link tokens.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # django-axes logs every attempt (names masked); the audit log has them, with the client address.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # httpx logs every request's URL at INFO; Graph URLs name the Teams organizer's account.
        "httpx": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
