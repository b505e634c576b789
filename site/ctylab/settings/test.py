"""Fast, isolated settings for the test suite (DATABASE_URL picks PostgreSQL in CI)."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="ctylab-test-media-")
CTYLAB_PLATFORM_HOSTS = ["testserver", "localhost", "127.0.0.1"]
CTYLAB_DOMAIN_PORT = 443
WAGTAILADMIN_BASE_URL = "http://testserver"

# A card type from outside Ctylab's code (the card catalogue's example plugin): the tests check
# that it reaches the page editor, the catalogue, the ordering and the public page.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.catalogue.example_cards"]
ACCOUNTS_AVATAR_ROOT = tempfile.mkdtemp(prefix="ctylab-test-avatars-")
# On everywhere else; off here so other apps' tests can force_login admin users without an
# authenticator app. tests/accounts switch it back on for themselves.
ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The in-process EVM whatever the shell's CHAIN_RPC_URL says (test_anvil starts its own node).
GOVERNANCE_CHAIN = {"BACKEND": "governance.backends.eth_tester.EthTesterBackend", "OPTIONS": {}}
TENDER_ATTACHMENT_ROOT = tempfile.mkdtemp(prefix="ctylab-test-tender-attachments-")
