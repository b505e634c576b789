"""Local development on the embedded defaults: SQLite, database search, debug on."""

import os

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

# `make run` starts a local anvil node (state kept in var/anvil-state.json) and points the
# governance app at it; without CHAIN_RPC_URL decisions go to the in-process EVM.
if os.environ.get("CHAIN_RPC_URL"):
    GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": os.environ["CHAIN_RPC_URL"], "PRIVATE_KEY_ENV": "CHAIN_PRIVATE_KEY"},
    }
