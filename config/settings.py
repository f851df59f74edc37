from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from csp.constants import NONE, SELF, UNSAFE_INLINE
from import_export.formats.base_formats import CSV, XLSX

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Development is the zero-configuration default; DEBUG=0 means production and
# then nothing insecure may be left at its default.
DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-dev-only-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "core.axes_app.AxesConfig",
    "core",
    "allocations",
    "targets",
    "feedback",
    "treasury",
    # Year-end evaluation: reads targets and feedback, under the top floor.
    "evaluation",
    # The top floor: reads and loads across the domain apps above; nothing imports it.
    "oversight",
    "national",
    "planning",
    # The machine interface (issue 17), a top-floor app too: DRF, its OpenAPI schema, Swagger UI from static files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and exports carry prefectures' figures: no shared or disk cache keeps them.
    "core.middleware.PrivateNoStoreMiddleware",
    # The signed-in user's language (issue 6); needs request.user.
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes defaults lock by IP alone and forever: one person could lock a
# whole office behind one proxy. Lock the username+IP pair, and not for ever.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

# Nothing is loaded from outside the server: scripts only from our own static
# files; inline style attributes are allowed (the admin uses them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
                "core.context_processors.current_role",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite by default; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Without IMMEDIATE transactions two concurrent writers deadlock on the
    # read-to-write lock upgrade; WAL lets readers proceed during a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    # The covering indexes (Index(include=…)) are PostgreSQL's, where the listings
    # need them; SQLite builds the same index without the extra columns, which is
    # all W040 says at every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if not DEBUG and env_bool("REQUIRE_POSTGRES", True) and "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL when DEBUG is off")

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Plain markup styled by static/css/app.css: nothing is loaded from a CDN.
DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
# Listings (core.listing): rows per page, and the most rows one CSV/XLSX export writes.
LISTING_PER_PAGE = 25
LISTING_EXPORT_LIMIT = 10_000

# History is evidence: the admin's "revert to this version" stays off.
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-import-export lets anyone with *view* permission import by default,
# an auditor included; importing must need the add permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Off: it only drops a leading "=" and turns every cell into text. Each
# resource quotes formula-like text itself instead (core.resources.SafeExportMixin).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_FORMATS = [XLSX, CSV]
# An admin flat upload waits this long for its confirm step; then its temporary file is removed.
FLAT_IMPORT_TMP_MAX_AGE = env_int("FLAT_IMPORT_TMP_MAX_AGE", 3600)

# Upload limits for workbook imports: a performance control as much as a
# safety one. The uncompressed size is checked before openpyxl opens a file.
ALLOCATION_UPLOAD_MAX_BYTES = env_int("ALLOCATION_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("ALLOCATION_UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
# An official 附件1 has about 120 rows; 200,000 took 26 s to read and report
# on, near a worker's timeout, so a sheet stops being read at 10,000.
ALLOCATION_IMPORT_MAX_ROWS = env_int("ALLOCATION_IMPORT_MAX_ROWS", 10_000)
# Treasury payment files (import_payments): read as a stream, so the limit is
# the benchmark's million rows; a test lowers it rather than write one more.
PAYMENT_IMPORT_MAX_ROWS = env_int("PAYMENT_IMPORT_MAX_ROWS", 1_000_000)

# The region this application serves: the province every prefecture belongs
# to unless it says otherwise (GB/T 2260 code as its short code).
HOME_PROVINCE = "新疆维吾尔自治区"
HOME_PROVINCE_CODE = "65"

# 附件3: due 每月月末之前 by default ("next_month:N" = the Nth of the following
# month); spending is expected to follow month/12 unless a schedule is given.
FEEDBACK_DUE_RULE = env_str("FEEDBACK_DUE_RULE", "month_end")
FEEDBACK_SCHEDULE = "linear"
FEEDBACK_REMINDER_DAYS_BEFORE = env_int("FEEDBACK_REMINDER_DAYS_BEFORE", 3)

# 转下达: a prefecture passes its 小计 on within this many days of the regional
# document's 发文日期 (allocations.timeliness: the overdue list, 资金在规定时间内下达率).
REALLOCATION_DUE_DAYS = env_int("REALLOCATION_DUE_DAYS", 30)
if REALLOCATION_DUE_DAYS < 0:
    raise ImproperlyConfigured(f"REALLOCATION_DUE_DAYS must be 0 or more, got {REALLOCATION_DUE_DAYS}")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The API (api/, issue 17): tokens, per-token throttling, cursor pages, errors in one JSON shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        # The browsable API and the docs page for people signed in to the site.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.plumbing.AppUser"],
    "DEFAULT_PARSER_CLASSES": ["api.plumbing.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.plumbing.Cursor",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "api.errors.handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# The largest JSON body (a payment batch of API_PAYMENT_BATCH_MAX_ROWS rows is about 30 MB).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024 * 1024)
API_PAYMENT_BATCH_MAX_ROWS = env_int("API_PAYMENT_BATCH_MAX_ROWS", 100_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "就业补助资金管理接口",
    "DESCRIPTION": "新财社〔2023〕74号：分配文件、绩效目标、使用反馈、国库支付与直达资金监控导出。"
    "认证：Authorization: Bearer <令牌>（自治区管理员在管理后台创建）。错误一律为 JSON：code、message、field 或 row。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The schema and the docs page, as the API: for the app's users (session or token).
    "SERVE_PERMISSIONS": ["api.plumbing.AppUser"],
    # Swagger UI from drf-spectacular-sidecar's static files: nothing from a CDN (the CSP would block it).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the page loads nothing from outside the server.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.describe_ids"],
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "allocations.models.DocumentStatus",
        "TableStatusEnum": "targets.models.TableStatus",
        "ReportStatusEnum": "feedback.models.ReportStatus",
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
