"""The open-data API's settings, each read when used (never frozen at import).

``CTYLAB_OPENDATA_RATE``: requests one client (one IP address, after
``CTYLAB_OPENDATA_TRUSTED_PROXIES`` proxies) may make, in DRF's form, e.g. ``"120/min"``;
``None`` switches the limit off. Counted in the default cache (Redis whenever ``REDIS_URL``
is set), so every process counts together.

``CTYLAB_OPENDATA_MAX_AGE``: seconds that browsers and shared caches may keep an answer.

``CTYLAB_OPENDATA_MAX_READINGS``: the most readings one answer gives; a longer range is
paged (``limit``/``offset``) or asked for as aggregates.
"""

from django.conf import settings


def rate():
    return getattr(settings, "CTYLAB_OPENDATA_RATE", "120/min")


def max_age():
    return int(getattr(settings, "CTYLAB_OPENDATA_MAX_AGE", 60))


def max_readings():
    return int(getattr(settings, "CTYLAB_OPENDATA_MAX_READINGS", 5000))


def max_limit():
    """The most items in one page of a listing (initiatives, decisions, log entries)."""
    return int(getattr(settings, "WAGTAILAPI_LIMIT_MAX", 100))
