"""Per-client rate limits: DRF's throttling, counted in the default cache."""

from rest_framework.throttling import SimpleRateThrottle

from . import conf


class OpenDataRateThrottle(SimpleRateThrottle):
    """One budget per client IP for every endpoint; over it, HTTP 429 with ``Retry-After``.

    The API authenticates no one (it gives only what anonymous visitors see), so clients are
    told apart by address (DRF's ``get_ident``, honouring ``NUM_PROXIES``).
    """

    scope = "opendata"

    def get_rate(self):
        # Read at use time, so settings overridden in tests or per site take effect.
        return conf.rate()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
