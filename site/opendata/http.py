"""HTTP conventions every API answer follows: validators, caching and conditional requests.

- ``ETag``: a strong validator of the exact bytes of the answer (so it differs between
  languages and sites, like the answer does).
- ``Last-Modified``: when the data in the answer last changed, set by each view through
  :func:`last_modified` (for example the latest activity of the initiatives listed); answers
  without one in the data (errors) carry none.
- ``Cache-Control``: ``public, max-age=CTYLAB_OPENDATA_MAX_AGE`` on successful answers
  (everything here is public), ``no-store`` on errors and refusals.
- ``If-None-Match`` / ``If-Modified-Since``: answered with ``304 Not Modified``.
- ``Vary: Accept-Language``: the site's own words (labels, messages) follow the language asked.
"""

import functools
import hashlib
from datetime import UTC

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from . import conf


def strong_etag(content: bytes) -> str:
    """A strong ETag (RFC 9110 8.8.3): the first 128 bits of the SHA-256 of the bytes."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def last_modified(response, moment):
    """Put ``moment`` (an aware datetime, or None) on ``response`` as ``Last-Modified``."""
    if moment is not None:
        response["Last-Modified"] = http_date(moment.astimezone(UTC).timestamp())
    return response


def open_data_response(view):
    """Wrap an API view so that its answers follow the conventions above."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response = response.render()
        patch_vary_headers(response, ["Accept-Language"])
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            patch_cache_control(response, no_store=True)
            return response
        patch_cache_control(response, public=True, max_age=conf.max_age())
        if response.streaming:
            return response
        response["ETag"] = strong_etag(response.content)
        stamp = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=stamp, response=response
        )

    return wrapped
