"""Any Ethereum JSON-RPC node: a local anvil, a testnet, or a production network.

OPTIONS:
    URL               the node's HTTP endpoint (default: $CTYLAB_CHAIN_RPC_URL)
    PRIVATE_KEY_ENV   name of the environment variable holding the signing key
                      (default CTYLAB_CHAIN_PRIVATE_KEY); keys never live in settings
    TIMEOUT           seconds per request (default 10)
"""

import os

from django.core.exceptions import ImproperlyConfigured
from web3 import HTTPProvider, Web3

from .base import ChainBackend

DEFAULT_KEY_ENV = "CTYLAB_CHAIN_PRIVATE_KEY"
DEFAULT_URL_ENV = "CTYLAB_CHAIN_RPC_URL"


class JsonRpcBackend(ChainBackend):
    @property
    def url(self):
        return self.options.get("URL") or os.environ.get(DEFAULT_URL_ENV, "")

    @property
    def key_env(self):
        return self.options.get("PRIVATE_KEY_ENV", DEFAULT_KEY_ENV)

    def make_web3(self):
        if not self.url:
            raise ImproperlyConfigured(
                f"The JSON-RPC chain backend needs OPTIONS['URL'] or ${DEFAULT_URL_ENV}."
            )
        timeout = self.options.get("TIMEOUT", 10)
        return Web3(HTTPProvider(self.url, request_kwargs={"timeout": timeout}))

    def private_key(self):
        key = os.environ.get(self.key_env, "")
        if not key:
            raise ImproperlyConfigured(f"Set ${self.key_env} to the key that signs deployments.")
        return key
