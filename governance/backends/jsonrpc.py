"""Any Ethereum JSON-RPC node: a local anvil, a testnet, or a production network.

OPTIONS:
    URL               the node's HTTP endpoint (default: $CTYLAB_CHAIN_RPC_URL)
    PRIVATE_KEY_ENV   name of the environment variable holding the signing key
                      (default CTYLAB_CHAIN_PRIVATE_KEY); keys never live in settings
    PRIVATE_KEY_FILE  path of a file holding the key instead (a mounted secret); read when
                      the key is first needed
    CHAIN_ID          the chain id the node must have (1 for Ethereum mainnet, …); a node
                      on another chain is treated as unreachable: nothing is signed for it
    TIMEOUT           seconds per request (default 10)
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from web3 import HTTPProvider, Web3

from .base import ChainBackend, ChainUnavailable

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

    @property
    def key_file(self):
        return self.options.get("PRIVATE_KEY_FILE") or ""

    @property
    def expected_chain_id(self):
        value = self.options.get("CHAIN_ID")
        return int(value) if value not in (None, "") else None

    def has_key(self):
        """Whether a key is configured (without reading a file's content)."""
        return bool(os.environ.get(self.key_env)) or (bool(self.key_file) and Path(self.key_file).is_file())

    def private_key(self):
        key = os.environ.get(self.key_env, "")
        if not key and self.key_file:
            try:
                key = Path(self.key_file).read_text().strip()
            except OSError as error:
                raise ImproperlyConfigured(f"The chain key file cannot be read: {error}") from error
        if not key:
            raise ImproperlyConfigured(
                f"Set ${self.key_env}, or OPTIONS['PRIVATE_KEY_FILE'], to the key that signs deployments."
            )
        return key

    def signing_chain_id(self):
        """The node's chain id, refused (as unreachable) when it is not the expected one."""
        chain_id = self.chain_id()
        expected = self.expected_chain_id
        if expected is not None and chain_id != expected:
            raise ChainUnavailable(f"the node is on chain {chain_id}, but CHAIN_ID is {expected}")
        return chain_id
