"""Meedoen settings: one module, every value from the environment with a safe default.

Each variable is documented in docs/development/configuration.md; a test fails when one is not.
Production is DEBUG off; then the secrets below are required and the defaults no longer apply.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from meedoen.config.caches import cache_from_url
from meedoen.config.env import (
    env_bool,
    env_daily_time,
    env_int,
    env_list,
    env_rate,
    env_str,
)
from meedoen.config.sso import oidc_check_configuration, url_origin

SRC_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(env_str("MEEDOEN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("MEEDOEN_DEBUG", False)

# Development-only fallbacks: obviously insecure and refused when DEBUG is off.
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
_DEV_BSN_KEY = "dev-only-bsn-key-do-not-use-in-production"

SECRET_KEY = env_str("MEEDOEN_SECRET_KEY", _DEV_SECRET if DEBUG else None)
# Keys that protect the BSN: encryption at rest and the keyed lookup hash. They live outside the
# database so that a database dump alone does not reveal a BSN.
BSN_ENCRYPTION_KEY = env_str("MEEDOEN_BSN_ENCRYPTION_KEY", _DEV_BSN_KEY + "-enc" if DEBUG else None)
BSN_HASH_KEY = env_str("MEEDOEN_BSN_HASH_KEY", _DEV_BSN_KEY + "-hash" if DEBUG else None)
# Master key of the analysts' pseudonyms (core/pseudonyms.py derives one key per purpose).
PSEUDONYM_KEY = env_str("MEEDOEN_PSEUDONYM_KEY", "dev-only-pseudonym-key" if DEBUG else None)
if not DEBUG and any(
    key.startswith(("dev-only-", _DEV_BSN_KEY))
    for key in (SECRET_KEY, BSN_ENCRYPTION_KEY, BSN_HASH_KEY, PSEUDONYM_KEY)
):
    raise ImproperlyConfigured("A development key is set while MEEDOEN_DEBUG is off.")

ALLOWED_HOSTS = env_list("MEEDOEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("MEEDOEN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    # Authentication and hardening (docs/privacy/authentication.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "meedoen.core",
    "meedoen.audit",
    "meedoen.accounts",
    "meedoen.clients",
    "meedoen.privacy",
    "meedoen.caseload",
    "meedoen.partners",
    "meedoen.profiles",
    "meedoen.instruments",
    "meedoen.plans",
    "meedoen.outcomes",
    "meedoen.effects",
    "meedoen.dataexchange",
    "meedoen.analytics",
    "meedoen.api",
    "meedoen.web",
    "meedoen.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meedoen.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meedoen.accounts.middleware.IdleLogoutMiddleware",
    "meedoen.accounts.middleware.OTPRequiredMiddleware",
    # A client's portal account reaches the portal (/mijn/) and nothing of the staff side.
    "meedoen.portal.middleware.PortalBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "meedoen.accounts.middleware.SecurityHeadersMiddleware",
    "meedoen.web.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meedoen.config.urls"
WSGI_APPLICATION = "meedoen.config.wsgi.application"
ASGI_APPLICATION = "meedoen.config.asgi.application"

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
                "django.template.context_processors.i18n",
                "meedoen.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'meedoen.sqlite3'}"),
        conn_max_age=env_int("MEEDOEN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web server reads; IMMEDIATE avoids "database is locked"
    # upgrades from read to write transactions under concurrent use.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytical scans, not for page queries: at 27,000 clients
    # it cost the team lead's overview 1.7 s of its 2 s (docs/benchmarks.md). A URL's own
    # ?options=... still wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "meedoen" / "locale"]
TIME_ZONE = env_str("MEEDOEN_TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG  # development serves straight from the apps, no collectstatic

# Uploads of a benefit-administration file for Den Haag are a few MB; allow some headroom.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MEEDOEN_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security. Behind TLS in production; the demo runs on plain http://127.0.0.1.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("MEEDOEN_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("MEEDOEN_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("MEEDOEN_SESSION_IDLE_SECONDS", 15 * 60)
# The cookie age works as an idle timeout: accounts.middleware.IdleLogoutMiddleware moves the
# stored expiry on, writing it at most once per SESSION_REFRESH_SECONDS (not on every request).
SESSION_ENGINE = "meedoen.accounts.sessions"
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# --- Authentication and hardening (docs/privacy/authentication.md) ----------------------------
# Two-factor login (TOTP). Required for every staff member when DEBUG is off; in development off by
# default, so the demo and the test suite log in with a password only.
REQUIRE_2FA = env_bool("MEEDOEN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Meedoen"
# django-axes first: it refuses a locked-out username+IP before any password is checked. The
# password backend refuses everyone but the installation superuser when MEEDOEN_OIDC_ONLY is set;
# the OIDC backend answers only the single sign-on callback and does nothing while SSO is off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "meedoen.accounts.backends.PasswordBackend",
    "meedoen.accounts.oidc.OIDCBackend",
]
AXES_FAILURE_LIMIT = env_int("MEEDOEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MEEDOEN_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "meedoen.accounts.views.lockout_response"
# Successful logins are in the audit trail already; axes keeps the failures only.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
# The SSO callback goes through authenticate() too; its failures must not count towards (or be
# refused by) the password lockout, and its query string (code, state) must not be stored.
AXES_WHITELIST_CALLABLE = "meedoen.accounts.oidc.axes_skip_sso_attempt"
# Content-Security-Policy: only our own files; no inline script or style anywhere. The API
# documentation pages widen it for themselves (api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# The client portal (/mijn/, docs/portal.md): where the municipality's DigiD login through its OIDC
# broker starts. Empty (the default): no DigiD button. The broker integration that maps the BSN to
# a portal account is the documented extension point; Meedoen never fakes DigiD.
PORTAL_DIGID_LOGIN_URL = env_str("MEEDOEN_PORTAL_DIGID_LOGIN_URL", "")

# Single sign-on for staff through the municipality's identity provider (OpenID Connect,
# mozilla-django-oidc); docs/privacy/authentication.md. Off until a client id is set. Users are
# never created: the identity is matched to an existing active user of a municipality.
OIDC_RP_CLIENT_ID = env_str("MEEDOEN_OIDC_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("MEEDOEN_OIDC_CLIENT_SECRET", "")
# The issuer is checked against the ID token's "iss"; its discovery document supplies every
# endpoint not set explicitly below.
OIDC_OP_ISSUER = env_str("MEEDOEN_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("MEEDOEN_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("MEEDOEN_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("MEEDOEN_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("MEEDOEN_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("MEEDOEN_OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SCOPES = env_str("MEEDOEN_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("MEEDOEN_OIDC_SIGN_ALGORITHM", "RS256")
OIDC_USERNAME_CLAIM = env_str("MEEDOEN_OIDC_USERNAME_CLAIM", "email")
OIDC_USER_FIELD = env_str("MEEDOEN_OIDC_USER_FIELD", "email")
OIDC_TRUST_MFA = env_bool("MEEDOEN_OIDC_TRUST_MFA", False)
OIDC_MFA_AMR = env_list("MEEDOEN_OIDC_MFA_AMR", ["mfa", "otp", "hwk", "sc"])
OIDC_MFA_ACR = env_list("MEEDOEN_OIDC_MFA_ACR", [])
OIDC_DISPLAY_NAME = env_str("MEEDOEN_OIDC_DISPLAY_NAME", "")
OIDC_ONLY = env_bool("MEEDOEN_OIDC_ONLY", False)
OIDC_LOGOUT_AT_IDP = env_bool("MEEDOEN_OIDC_LOGOUT_AT_IDP", False)
OIDC_USE_PKCE = env_bool("MEEDOEN_OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("MEEDOEN_OIDC_TIMEOUT_SECONDS", 10)
# Fixed choices for mozilla-django-oidc: nonce always, client_secret_basic (the OIDC default),
# no unsigned tokens, no user creation, no tokens kept in the session.
OIDC_USE_NONCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True
OIDC_ALLOW_UNSECURED_JWT = False
OIDC_CREATE_USER = False
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_VERIFY_SSL = True
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc_callback"
if OIDC_ENABLED:
    oidc_check_configuration(
        debug=DEBUG,
        client_secret=OIDC_RP_CLIENT_SECRET,
        issuer=OIDC_OP_ISSUER,
        endpoints=[
            OIDC_OP_AUTHORIZATION_ENDPOINT,
            OIDC_OP_TOKEN_ENDPOINT,
            OIDC_OP_USER_ENDPOINT,
            OIDC_OP_JWKS_ENDPOINT,
            OIDC_OP_LOGOUT_ENDPOINT,
        ],
        sign_algorithm=OIDC_RP_SIGN_ALGO,
        user_field=OIDC_USER_FIELD,
        logout_at_idp=OIDC_LOGOUT_AT_IDP,
    )
    if OIDC_LOGOUT_AT_IDP:
        # Logging out is a form POST answered by a redirect to the identity provider; browsers
        # apply form-action to that redirect as well.
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
            url_origin(OIDC_OP_LOGOUT_ENDPOINT or OIDC_OP_ISSUER)
        )
elif OIDC_ONLY:
    raise ImproperlyConfigured("MEEDOEN_OIDC_ONLY is set but single sign-on is off.")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# The retention job runs every night at this local time (privacy/schedule.py; "off" to stop it).
RETENTION_SCHEDULE = env_daily_time("MEEDOEN_RETENTION_SCHEDULE", "02:00")

# The cache holds the API's request counters, which every web process must share: in production
# the database by default (or Redis); one process's memory in development. config/caches.py.
CACHES = {
    "default": cache_from_url(env_str("MEEDOEN_CACHE_URL", "locmem://" if DEBUG else "db://"))
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Basic auth only while 2FA is not required (development, tests); see authentication.md.
        "meedoen.accounts.authentication.BasicAuthenticationWithout2FA",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
# Searches by BSN per user (api/throttling.py): a limit on trying BSNs one after another.
API_BSN_SEARCH_RATE = env_rate("MEEDOEN_API_BSN_SEARCH_RATE", "30/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Meedoen API",
    "DESCRIPTION": "Persoonlijke begeleiding in de bijstand — REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field name ("kind") other components use too: named explicitly.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "meedoen.partners.constants.OrganisationKind",
        # A contact's kind (caseload) is named in several endpoints (kind, introduction_kind).
        "ContactKindEnum": "meedoen.caseload.constants.ContactKind",
        # Named in several plan fields (api/plans.py): a profile's obstacle category and who
        # wrote or ticked off a goal or step.
        "ObstacleCategoryEnum": "meedoen.profiles.constants.ObstacleCategory",
        "AuthorKindEnum": "meedoen.plans.constants.AuthorKind",
        # An instrument's kind (api/instruments.py) beside the other "kind" fields.
        "InstrumentKindEnum": "meedoen.instruments.constants.InstrumentKind",
        # An outcome's kind (api/outcomes.py): every kind, and the ones a coach records.
        "OutcomeKindEnum": "meedoen.outcomes.constants.OutcomeKind",
        "RecordedOutcomeKindEnum": "meedoen.api.outcomes.RECORDED_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("MEEDOEN_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; no BSN ever appears in a URL, so they are safe to keep.
        "django.server": {"level": "INFO"},
        # django-axes announces its set-up at every start; the failed logins it logs stay visible.
        "axes.apps": {"level": "WARNING"},
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# The municipality that imports and the demo use when none is named on the command line.
DEFAULT_MUNICIPALITY_CODE = env_str("MEEDOEN_DEFAULT_MUNICIPALITY", "0518")
