"""Local development on the embedded defaults: SQLite, database search, debug on."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-ctylab"  # noqa: F405
CTYLAB_DOMAIN_PORT = 8000
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
VAR_DIR.mkdir(parents=True, exist_ok=True)
