"""Settings of the governance app, with their defaults, read when used (never at import)."""

from django.conf import settings

DEFAULT_CHAIN = {"BACKEND": "governance.backends.eth_tester.EthTesterBackend", "OPTIONS": {}}


class AppSettings:
    prefix = "GOVERNANCE_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def CHAIN(self):
        """Where decisions are anchored: ``{"BACKEND": dotted path, "OPTIONS": {...}}``.

        Defaults to an in-process EVM (eth-tester with py-evm), which lives as long as the
        process. ``governance.backends.jsonrpc.JsonRpcBackend`` talks to any JSON-RPC node
        (anvil, a testnet, mainnet); its options are ``URL`` and ``PRIVATE_KEY_ENV`` (the name
        of the environment variable holding the signing key; the key never sits in settings).
        """
        return self._setting("CHAIN", DEFAULT_CHAIN)

    @property
    def RETRY_BASE_SECONDS(self):
        """First wait before retrying a deployment; doubles with every failed attempt."""
        return self._setting("RETRY_BASE_SECONDS", 30)

    @property
    def RETRY_MAX_SECONDS(self):
        """Longest wait between two attempts to reach the chain."""
        return self._setting("RETRY_MAX_SECONDS", 3600)

    @property
    def RECEIPT_TIMEOUT_SECONDS(self):
        """How long a worker waits for a transaction to be mined before trying again later."""
        return self._setting("RECEIPT_TIMEOUT_SECONDS", 120)

    @property
    def CONFIRMATIONS(self):
        """Blocks (the one holding the deployment included) before a deployment counts as
        confirmed. 1 on a local chain; on a public chain take its finality depth."""
        return int(self._setting("CONFIRMATIONS", 1))

    @property
    def REORG_WATCH_SECONDS(self):
        """How long after confirmation deployments are re-read for chain reorganisations."""
        return self._setting("REORG_WATCH_SECONDS", 24 * 3600)

    @property
    def WORKER_LEASE_SECONDS(self):
        """How long a worker owns a deployment; a crashed worker's claim expires after it."""
        return self._setting("WORKER_LEASE_SECONDS", 300)


app_settings = AppSettings()
