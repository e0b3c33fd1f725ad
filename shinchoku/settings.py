"""Django settings. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from shinchoku.ops.secret import installation_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SHINCHOKU_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("SHINCHOKU_VAR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("SHINCHOKU_DEBUG", "") == "1"
# Never a constant: SHINCHOKU_SECRET_KEY, else a random key made on first start and kept in var/secret_key (600).
SECRET_KEY = os.environ.get("SHINCHOKU_SECRET_KEY") or installation_key(VAR_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("SHINCHOKU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "shinchoku.accounts.admin_apps.AuditedAdminConfig",  # django.contrib.admin; its deletions audited too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shinchoku.reference",
    "shinchoku.publication",
    "shinchoku.progress",
    "shinchoku.imports",
    "shinchoku.procedures",
    "shinchoku.costs",  # operating costs and the ガバメントクラウド
    "shinchoku.outlook",  # warnings and forecasts
    "shinchoku.accounts",
    "shinchoku.opendata",
    "shinchoku.web",
    "shinchoku.staff",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "shinchoku.ops.middleware.RequestLog",  # outermost: request id, duration and status of every response
    "shinchoku.ops.middleware.BodyLimit",  # 413 before anything reads an oversized body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "shinchoku.api.middleware.PublicApiHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # a 団体's page rendered ahead of readers, when current (inside the headers above: CSP, frames, CORS, gzip)
    "shinchoku.web.middleware.StoredPages",
    "shinchoku.web.middleware.PublicPageCache",  # a public page once per data version and worker
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes last: it turns a locked-out login into a refusal
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shinchoku.urls"
WSGI_APPLICATION = "shinchoku.wsgi.application"

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
                "shinchoku.web.context.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'shinchoku.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers go on while an import writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Staff accounts and security -------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # verifies older hashes; upgraded at next login
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username/IP before checking
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/staff/login/"
# Sessions end after 30 minutes without a request (SHINCHOKU_SESSION_MINUTES) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SHINCHOKU_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Secure cookies need HTTPS. The local two-command start serves plain http://127.0.0.1, so they are off
# unless SHINCHOKU_SECURE_COOKIES=1 (set it whenever the site is behind HTTPS; also turns on HSTS).
SECURE_COOKIES = os.environ.get("SHINCHOKU_SECURE_COOKIES", "") == "1"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = False  # the grid's htmx requests read the token from the page, not the cookie
if SECURE_COOKIES:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SHINCHOKU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_REFERRER_POLICY = "same-origin"
# django-axes: 5 failures for one user name from one client address lock that pair for an hour; the same
# name from another address (a colleague, the account's owner) can still log in.
AXES_FAILURE_LIMIT = int(os.environ.get("SHINCHOKU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A login refused during a lockout (a correct password included) is not counted as another failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind a reverse proxy every request comes from the proxy: the client address is then taken from
# X-Forwarded-For, but only when the request came from one of these addresses or networks (comma-separated).
SHINCHOKU_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("SHINCHOKU_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "shinchoku.accounts.client_ip.client_address"
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_VERBOSE = False
# django-csp: no inline script or style anywhere; pages use external JS and json_script data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Staff edits stay private until an operator publishes the month, unless this is on.
SHINCHOKU_AUTO_PUBLISH = os.environ.get("SHINCHOKU_AUTO_PUBLISH", "") == "1"
# Browser uploads wait here (keyed by sha256) between preview and confirm.
SHINCHOKU_UPLOAD_DIR = VAR_DIR / "uploads"
# Request bodies other than file uploads (forms, JSON): at most 10 MB (decimal, as every size here).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
# The grid editor without JavaScript posts three fields per cell (systems × up to ~50 steps).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 12000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Imports larger than this are refused before parsing: 50 MB = 50,000,000 bytes (decimal megabytes everywhere).
SHINCHOKU_MAX_UPLOAD_BYTES = int(os.environ.get("SHINCHOKU_MAX_UPLOAD_BYTES", "50000000"))
# An import from the browser or the API is stopped after this many seconds (the CLI has no such limit);
# `shinchoku serve` gives gunicorn a worker timeout well above it.
SHINCHOKU_WEB_IMPORT_SECONDS = int(os.environ.get("SHINCHOKU_WEB_IMPORT_SECONDS", "60"))

# JSON lines on stdout: one access line per request (logger shinchoku.access) and every warning or error,
# each with the request id. SHINCHOKU_ACCESS_LOG=0 turns the access lines off.
SHINCHOKU_ACCESS_LOG = os.environ.get("SHINCHOKU_ACCESS_LOG", "1") != "0"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shinchoku.ops.jsonlog.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {"shinchoku.access": {"level": "INFO" if SHINCHOKU_ACCESS_LOG else "WARNING"}},
}
