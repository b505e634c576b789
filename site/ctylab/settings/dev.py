"""Local development on the embedded defaults: SQLite, database search, debug on."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-ctylab"  # noqa: F405
# `make run HOST=… PORT=…` passes these on, so every link the demo prints and the site makes
# points where the site is served.
CTYLAB_DOMAIN_PORT = int(os.environ.get("CTYLAB_DOMAIN_PORT", "8000"))
CTYLAB_DEMO_HOST = os.environ.get("CTYLAB_DEMO_HOST", "127.0.0.1")
WAGTAILADMIN_BASE_URL = f"http://{CTYLAB_DEMO_HOST}:{CTYLAB_DOMAIN_PORT}"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
VAR_DIR.mkdir(parents=True, exist_ok=True)
