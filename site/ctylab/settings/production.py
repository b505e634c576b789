"""Production: every secret and host comes from the environment; nothing insecure by default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")

# Fernet keys that seal tender quotes (comma-separated, newest first); required: see
# tenders/checks.py. Kept apart from SECRET_KEY and from the database.
TENDER_QUOTE_KEYS = os.environ.get("TENDER_QUOTE_KEYS", "")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
# Links in account e-mails (verification, password reset) use https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Number of reverse proxies in front of the site whose X-Forwarded-For is trusted for the
# per-IP rate limits; 0 (the default) uses the connection's address and ignores the header.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))

# Keep each worker's database connection between requests (base.py checks it before reuse);
# opening one per request cost a third of the throughput. 0 turns it off.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405

# Anonymous visitors' pages are kept a minute (ctylab/pagecache.py); editors' changes purge them.
CTYLAB_PAGE_CACHE_SECONDS = int(os.environ.get("CTYLAB_PAGE_CACHE_SECONDS", "60"))

# Static files are served by the application server itself through WhiteNoise: file names carry
# a content hash (cached for a year, "immutable"), and gzip/Brotli copies are made by collectstatic.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The chain decisions are anchored on (see the README's governance section). Without
# CHAIN_RPC_URL the in-process chain remains, and `check --deploy` refuses it.
if os.environ.get("CHAIN_RPC_URL"):
    GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {
            "URL": os.environ["CHAIN_RPC_URL"],
            "PRIVATE_KEY_ENV": "CHAIN_PRIVATE_KEY",
            "PRIVATE_KEY_FILE": os.environ.get("CHAIN_PRIVATE_KEY_FILE", ""),
            "CHAIN_ID": os.environ.get("CHAIN_ID", ""),
        },
    }
GOVERNANCE_CONFIRMATIONS = int(os.environ.get("CHAIN_CONFIRMATIONS", "12"))
