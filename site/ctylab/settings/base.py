"""Settings shared by every environment.

Everything that differs per machine comes from environment variables, read here once at
start-up (the settings module is the one place where that is expected).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/ctylab
BASE_DIR = PROJECT_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("CTYLAB_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    """True for "1", "true", "yes" or "on" (any case); ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    # Ctylab's pluggable apps first so their templates can refine Wagtail's.
    "initiatives",
    "blocks",
    "catalogue",
    "governance",
    "tenders",
    "search",
    "opendata",
    # Before allauth so that its templates (account/, mfa/, allauth/layouts/) are ours.
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
]

MIDDLEWARE = [
    # First the headers every response carries, errors included (the host check's 400 too).
    "ctylab.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",  # also adds them to its HTTPS redirects
    # Refuse hosts that are neither the platform's nor a registered initiative domain.
    "ctylab.middleware.KnownHostsMiddleware",
    # Early, so that its answers to preflight requests carry no cookies or redirects.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out any session that allauth's flow (rate limits, verification, two-factor) did not make.
    "accounts.signin_gate.SignInGateMiddleware",
    # Staff and editors set up two-factor authentication before they reach the admin.
    "accounts.middleware.AdminTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Content-Security-Policy (django-csp). The public site runs no inline script; Wagtail's admin
# still needs inline scripts and styles, so it gets its own, wider policy. Both forbid being
# framed by other sites (clickjacking) while Wagtail's preview and the catalogue's card
# previews, which frame our own pages, work.
# Map tiles, the same for the public map cards and the editor's place picker
# (``blocks.place_picker.map_tiles``; "ATTRIBUTION" defaults to OpenStreetMap's credit). Both
# policies below let images come from their server; the check blocks.W001 warns when a
# project's own policy does not.
CTYLAB_MAP_TILES = {
    "URL": os.environ.get("CTYLAB_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
}
if os.environ.get("CTYLAB_MAP_TILES_ATTRIBUTION"):
    CTYLAB_MAP_TILES["ATTRIBUTION"] = os.environ["CTYLAB_MAP_TILES_ATTRIBUTION"]
MAP_TILES_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(CTYLAB_MAP_TILES["URL"]))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", MAP_TILES_ORIGIN],  # the map cards' tiles
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Under ACCOUNTS_ADMIN_PATH_PREFIXES (ctylab.middleware.ContentSecurityPolicyMiddleware).
CTYLAB_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", MAP_TILES_ORIGIN],
        # Wagtail's preview panel and embeds (videos) load in frames.
        "frame-src": [SELF, "https:"],
    }
}

ROOT_URLCONF = "ctylab.urls"
WSGI_APPLICATION = "ctylab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
    # The built-in cards' templates (<app>/jinja2/): several times faster to render than the
    # Django versions, for pages of hundreds of cards. Second, so a name found in both trees
    # is the Django template; see blocks.jinja2_env.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "blocks.jinja2_env.environment"},
    },
]

# DATABASE_CONN_MAX_AGE: seconds a connection is kept for the next request (0 closes it after
# each request; production keeps it 60 s by default). A kept connection is checked before
# reuse (CONN_HEALTH_CHECKS), so a restarted database costs one retry, never an error page.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Leaflet comes from npm (package.json); without it the map cards show their plain list.
_leaflet = BASE_DIR / "node_modules" / "leaflet" / "dist"
if _leaflet.is_dir():
    STATICFILES_DIRS.append(("leaflet", _leaflet))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded images are served by Django itself (ctylab.media.serve_media) unless this is off
# because the reverse proxy serves MEDIA_ROOT (README "Production").
CTYLAB_SERVE_MEDIA = env_bool("CTYLAB_SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Hosts are checked by KnownHostsMiddleware against the platform hosts below plus the
# hostnames in Wagtail's Sites table, which changes at run time; Django's own check is
# therefore opened up and the middleware is the one that refuses (HTTP 400).
ALLOWED_HOSTS = ["*"]
CTYLAB_PLATFORM_HOSTS = env_list("CTYLAB_PLATFORM_HOSTS", "localhost,127.0.0.1,[::1]")
# Each process keeps the Sites table in memory (ctylab/sites.py) and asks the shared cache at
# most this often (seconds; 0: every request) whether another process changed it.
CTYLAB_SITES_RECHECK_SECONDS = float(os.environ.get("CTYLAB_SITES_RECHECK_SECONDS", "1"))
# Port that links to custom domains use: 443 in production, the dev server's port locally.
CTYLAB_DOMAIN_PORT = int(os.environ.get("CTYLAB_DOMAIN_PORT", "443"))
# The platform's host in the demo content's default Site (`make run` sets it to HOST).
CTYLAB_DEMO_HOST = os.environ.get("CTYLAB_DEMO_HOST", "localhost")

SECRET_KEY = os.environ.get("SECRET_KEY", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # Several sites (or a test run) can share one Redis database under their own prefix.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
    }

# Pages anonymous visitors read, kept this many seconds in the default cache (0: off; see
# ctylab/pagecache.py), and a cache in front of the site (Varnish, site/ctylab/deploy/varnish.vcl).
# Publishing, moving and domain changes, and what changes without an edit (a vote opening, new
# readings: blocks.signals.initiative_changed), purge the pages that changed from both
# (initiatives/frontend_cache.py through Wagtail's WAGTAILFRONTENDCACHE; its purges are tasks).
CTYLAB_PAGE_CACHE_SECONDS = int(os.environ.get("CTYLAB_PAGE_CACHE_SECONDS", "0"))
# First of all: a kept page is served as it was kept, headers included, without host check,
# session, locale or CSRF work (see the module's docstring for why that is safe).
MIDDLEWARE.insert(0, "ctylab.pagecache.AnonymousPageCacheMiddleware")
WAGTAILFRONTENDCACHE = {"pages": {"BACKEND": "ctylab.pagecache.PageCacheBackend"}}
if os.environ.get("FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_URL"],
    }

# E-mail (sign-up verification is mandatory, so production needs a working SMTP server).
# The variables carry Django's own setting names; dev prints mails, tests keep them in memory.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")  # implicit TLS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ctylab <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # error reports to ADMINS
ADMINS = [("", address) for address in env_list("ADMINS")]

# Decisions are anchored on an in-process EVM unless CHAIN_RPC_URL names a JSON-RPC node (anvil
# locally; a real network in production, where the in-process chain would be lost on restart).
# The signing key stays in the environment variable CHAIN_PRIVATE_KEY, never in settings.
if os.environ.get("CHAIN_RPC_URL"):
    GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": os.environ["CHAIN_RPC_URL"], "PRIVATE_KEY_ENV": "CHAIN_PRIVATE_KEY"},
    }

# The broker `manage.py ingest_mqtt` takes sensor readings from (topics ctylab/<device>/<metric>).
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")

# Background work (anchoring decisions on the chain, search indexing) is queued in the
# database and run by `manage.py db_worker`, so web requests never wait on it. The test
# settings run tasks immediately instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WAGTAIL_SITE_NAME = "Ctylab"
# Draftail, reading what it posts with care (blocks.widgets): bad contentstate is a message.
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "blocks.widgets.CheckedDraftailRichTextArea"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Search (the search app, and Wagtail's admin search with it): the database by default;
# Elasticsearch 8 when ELASTICSEARCH_URL is set (https://user:password@host:9200 works).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    CTYLAB_SEARCH = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {
            "URL": ELASTICSEARCH_URL,
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "ctylab"),
            "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),
        },
    }
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "ctylab") + "-wagtail",
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
else:
    CTYLAB_SEARCH = {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "initiatives.tags.parse_tags"  # NFKC before taggit's parsing

# --- Accounts (django-allauth; see site/accounts/ and README "Accounts") -------------------
# allauth's backend only (it extends ModelBackend for permissions): no username login.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The admin signs in through allauth too, so its rate limits and two-factor step apply.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Pages restricted to signed-in visitors send them to allauth's sign-in, not Wagtail's own.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth's reset is the one, rate-limited
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # never send members' e-mail hashes to a third party
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Every form that takes an e-mail address reads it in the normal form sign-up stores.
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "login": "accounts.forms.LoginForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "change_email": "accounts.forms.ChangeEmailForm",
}
ACCOUNT_USER_DISPLAY = "accounts.services.profiles.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ctylab] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
# Kept in the default cache: Redis whenever REDIS_URL is set, so every process counts together.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ctylab"
# The code field of the two-factor step, marked up for one-time codes (and sent when complete).
MFA_FORMS = {"authenticate": "accounts.mfa_forms.CodeAuthenticateForm"}
# Where profile pictures live: outside MEDIA_ROOT, served only through the privacy check.
ACCOUNTS_AVATAR_ROOT = Path(os.environ.get("ACCOUNTS_AVATAR_ROOT", VAR_DIR / "avatars"))

# --- Open data (site/opendata, /api/v2/) -----------------------------------------------------
# The API's views authenticate no one (answers are what anonymous visitors see); rate limits
# are counted in the default cache (Redis whenever REDIS_URL is set). Wagtail's admin API
# keeps its own session authentication.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "opendata.schema.OpenDataAutoSchema",
    "NUM_PROXIES": int(os.environ["CTYLAB_OPENDATA_TRUSTED_PROXIES"])
    if os.environ.get("CTYLAB_OPENDATA_TRUSTED_PROXIES")
    else None,
}
CTYLAB_OPENDATA_RATE = os.environ.get("CTYLAB_OPENDATA_RATE", "120/min")
WAGTAILAPI_LIMIT_MAX = 100
SPECTACULAR_SETTINGS = {
    "TITLE": "Ctylab open data",
    "DESCRIPTION": (
        "Public, read-only data of the initiatives on this site: their pages and cards, "
        "decisions and where they are recorded on a blockchain, the hash-chained governance "
        "log, and sensor readings. Only what an anonymous visitor can see on the site. "
        "On an initiative's own domain, only that initiative and its sub-initiatives."
    ),
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": [],
    "SCHEMA_PATH_PREFIX": "/api/v2",
    "PREPROCESSING_HOOKS": ["opendata.schema.only_open_data"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.schema.add_card_schemas",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
}
# CORS: any origin may read the API (GET and HEAD; OPTIONS answers preflights), nothing else.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "WARNING"},
        # Page-action and task chatter is useful in the admin's history, not on the console.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
