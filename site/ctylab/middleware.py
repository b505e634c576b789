"""Refuse requests for hosts that are neither the platform's nor a registered domain.

Django's ALLOWED_HOSTS is a fixed list read at start-up, but initiative domains are added
by site admins at run time and live in Wagtail's Sites table. This middleware is the check
that stands behind the open ALLOWED_HOSTS: an unknown Host header gets HTTP 400, exactly as
Django's own check would give.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host
from wagtail.models import Site


def is_known_host(hostname: str, request) -> bool:
    if validate_host(hostname, settings.CTYLAB_PLATFORM_HOSTS):
        return True
    # Resolved the way Wagtail's routing does, which keeps the Site on the request
    # (request._wagtail_site): one lookup per request instead of two. Wagtail falls back to
    # the default site for an unknown host, hence the hostname comparison.
    site = Site.find_for_request(request)
    return site is not None and site.hostname == hostname


class KnownHostsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_host = request._get_raw_host()
        hostname, _port = split_domain_port(raw_host)
        if not hostname or not is_known_host(hostname, request):
            # Raised as Django does, so the 400 page and the security log are the usual ones.
            raise DisallowedHost(f"Invalid HTTP_HOST header: {raw_host!r}.")
        return self.get_response(request)
