"""Settings for the police algorithmic tools register, read from the environment.

Development defaults are safe for a laptop (SQLite, DEBUG on). Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; with DEBUG off the app
refuses to start without a real secret key.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from core.csp import INLINE_SCRIPT_ATTRIBUTES, INLINE_STYLE_ATTRIBUTES, inline_hashes

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One readable line instead of a traceback: this is the first thing an
        # operator sees when a deployment is missing its secret.
        sys.exit("Refusing to start: DEBUG is off and SECRET_KEY is not set. Set SECRET_KEY to a long random string.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    sys.exit("Refusing to start: DEBUG is off and SECRET_KEY is a development or short key. Use 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` leaves static files to WhiteNoise (which finds
    # them in DEBUG, from each change), as in production. Django's own static view
    # answers a path leaving the static directories ("/static/../x") with a 500.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "simple_history",
    "import_export",
    "axes",
    "core",
    "register",
    "foi_requests",
    "corrections",
    "sitewide",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A path with a NUL or another control character is a 400 before anything reads it.
    "core.parsers.RefuseControlCharactersInPath",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: a cached anonymous read needs neither.
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.faults.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves a small team (several gunicorn workers):
    # - WAL: reads go on while someone writes, and never block a write;
    # - IMMEDIATE: a transaction takes the write lock when it begins, so two
    #   saves queue up instead of one failing at once with "database is locked"
    #   (a read-then-write transaction cannot upgrade once another has written);
    # - timeout: how long a save waits for the lock (seconds) before giving up
    #   with a 503; below gunicorn's worker timeout;
    # - synchronous=NORMAL: safe with WAL (a power cut may lose the last commits,
    #   never corrupts the file), and each commit needs no fsync.
    # Options given in DATABASE_URL's query string win over these.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL, the production database; SQLite
# builds them on their key columns alone, which is all it needs, and says so.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else []

# A cache shared by every worker (Redis) in production; a per-process memory
# cache in development and tests. Cached figures are invalidated on every edit
# (register/caching.py), which only works across workers with a shared cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "register"}
    )
}

# PAGE_CACHE=false turns off the register's own caching of what it shows (whole anonymous
# responses, facet counts and other figures, exports): every request is built from the
# database, as right after an edit. For measuring cold speed (bench/side_by_side.py);
# the cache itself stays for the throttles and the corrections' guards.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]


def storage_options(variable: str) -> dict:
    """A storage backend's options, given as a JSON object in an environment variable."""
    try:
        options = json.loads(os.environ.get(variable) or "{}")
    except json.JSONDecodeError as error:
        sys.exit(f"Refusing to start: {variable} is not valid JSON ({error}).")
    if not isinstance(options, dict):
        sys.exit(f"Refusing to start: {variable} must be a JSON object of the storage's options.")
    return options


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Archived originals of sources (FOI answers as the forces published them). Never served
    # from a public folder: the register serves one only once an editor has checked it for
    # personal data. In production, a bucket through django-storages, e.g.
    # ORIGINALS_STORAGE=storages.backends.s3.S3Storage with ORIGINALS_STORAGE_OPTIONS='{"bucket_name": ...}'
    # and the AWS_* credentials in the environment (README, "Archived originals").
    "originals": {
        "BACKEND": os.environ.get("ORIGINALS_STORAGE") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": (
            storage_options("ORIGINALS_STORAGE_OPTIONS")
            if os.environ.get("ORIGINALS_STORAGE")
            else {"location": os.environ.get("ORIGINALS_ROOT") or str(BASE_DIR / "originals")}
        ),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.RegisterAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    # JSON bodies bounded in size and depth (a deeply nested one would crash Python's decoder).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "core.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    # Documented in docs/api.md; raise it with API_ANON_RATE (e.g. "1000/minute").
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Police algorithmic tools register API",
    "VERSION": "1",
    "DESCRIPTION": (
        "Which UK police forces use which algorithmic tools, on what evidence. Read access is open; "
        "researchers write with a token. Data licence: Open Government Licence v3.0 "
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/). "
        "Version 1: fields are only ever added; a removal or change of meaning comes with a new version. "
        "Anonymous clients are limited to 120 requests a minute (429 with Retry-After beyond). "
        "See docs/api.md."
    ),
    "LICENSE": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    # Swagger UI and Redoc served by the app itself: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NationEnum": "register.models.Nation",
        "ToolCategoryEnum": "register.models.ToolCategory",
        "TechniqueEnum": "register.models.Technique",
        "OriginEnum": "register.models.Origin",
        "DeploymentStatusEnum": "register.models.DeploymentStatus",
        "AssessmentKindEnum": "register.models.AssessmentKind",
        "AssessmentResultEnum": "register.models.AssessmentResult",
        "SafeguardStateEnum": "register.models.SafeguardState",
        "FoiOutcomeEnum": "foi_requests.models.FoiOutcome",
        "FoiActEnum": "register.models.FoiAct",
        "PrecisionEnum": "core.partial_dates.Precision",
    },
}

# The register's own facts: where the source documents behind the seed data live.
SOURCE_DOCUMENTS_DIR = BASE_DIR / "data" / "sources"

# The whole register as one file (`/api/dump/`), built ahead by `build_dump`: where it is kept, and the
# public address its links start from when the command builds it (a request builds it with its own).
DUMP_ROOT = Path(os.environ.get("DUMP_ROOT") or BASE_DIR / "dumps")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Security (see docs/security.md) -----------------------------------------
# Production (DEBUG off) is strict by default; each setting can be relaxed by
# environment, e.g. SECURE_SSL_REDIRECT=false when a proxy already redirects.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# The admin and the DRF browsable API take the token from the page, not the cookie.
CSRF_COOKIE_HTTPONLY = True

# Content Security Policy (Django's built-in middleware), on every response:
# pages, API and admin. No inline script or style is allowed, except the few
# exact attribute values third-party admin templates use, allowed by hash.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE, CSP.UNSAFE_HASHES, *inline_hashes(INLINE_SCRIPT_ATTRIBUTES)],
    "style-src": [CSP.SELF, CSP.NONCE, CSP.UNSAFE_HASHES, *inline_hashes(INLINE_STYLE_ATTRIBUTES)],
    # Swagger UI and the admin draw icons from data: URIs; ReDoc runs a blob: worker.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for
# one username from one address, that pair is locked out for AXES_COOLOFF_HOURS.
AUTHENTICATION_BACKENDS = [
    "core.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=float(os.environ.get("AXES_COOLOFF_HOURS", "1")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "axes/locked_out.html"
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    # Behind one trusted proxy, the client is the last address it appended.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Bulk import: a file is read whole and imported in one transaction (all or nothing).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# A request body (other than files) larger than this is refused with a 400; uploaded
# files above it stream to a temporary file, and the import form refuses them past 5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Importing may publish records, so it is the editors' (the `publish_<model>` permission).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "publish"
# The container's health check asks over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Where collectstatic writes (a test or an image may put it elsewhere).
if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])
