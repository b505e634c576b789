"""The project's gate and headers: known hosts, and Content-Security-Policy with an admin policy.

Django's ALLOWED_HOSTS is a fixed list read at start-up, but initiative domains are added
by site admins at run time and live in Wagtail's Sites table. ``KnownHostsMiddleware`` is the
check that stands behind the open ALLOWED_HOSTS: an unknown Host header gets HTTP 400, exactly
as Django's own check would give.

Every response carries the security headers, errors included: the middlewares that add them
(``ContentSecurityPolicyMiddleware``, Django's X-Frame-Options and ``SecurityMiddleware``) come
first in ``MIDDLEWARE``, so they also see the 400 of the host check, the 403 of the CSRF check
and every error page produced further in. (With ``SECURE_SSL_REDIRECT`` a plain-HTTP request
for an unknown host is first sent to HTTPS by Django's SecurityMiddleware, headers included,
and refused there; Django's deploy checks only recognise its own class, so it is not
subclassed to refuse earlier.)
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host

from . import sites

# RFC 3986 §3.2.3 allows any digits; TCP ports are 1–65535 (RFC 793, port 0 is reserved).
PORT_RANGE = range(1, 65536)


def is_known_host(hostname: str, request) -> bool:
    # Resolved from the Sites table in memory (ctylab.sites) the way Wagtail's routing does,
    # and kept on the request (request._wagtail_site) for the routing and the views. Wagtail
    # falls back to the default site for an unknown host, hence the hostname comparison.
    site = sites.site_for_request(request)
    if validate_host(hostname, settings.CTYLAB_PLATFORM_HOSTS):
        return True
    return site is not None and site.hostname == hostname


def host_problem(request) -> str | None:
    """Why the request's Host header is refused, or None when it names a host we serve.

    Refused: a malformed header, a port outside 1–65535, and a hostname that is neither a
    platform host (``CTYLAB_PLATFORM_HOSTS``) nor a Site's hostname.
    """
    raw_host = request._get_raw_host()
    hostname, port = split_domain_port(raw_host)
    if not hostname:
        return f"Invalid HTTP_HOST header: {raw_host!r}."
    if port and int(port) not in PORT_RANGE:
        return f"Invalid HTTP_HOST header: {raw_host!r}. The port must be between 1 and 65535."
    if not is_known_host(hostname, request):
        return f"Invalid HTTP_HOST header: {raw_host!r}."
    return None


class KnownHostsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = host_problem(request)
        if problem:
            # Raised as Django does, so the 400 page and the security log are the usual ones.
            raise DisallowedHost(problem)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a wider policy for the admins.

    Public pages get ``CONTENT_SECURITY_POLICY`` (no inline script). Wagtail's and Django's
    admins still need inline scripts, blob: images and framed previews, so paths under
    ``ACCOUNTS_ADMIN_PATH_PREFIXES`` get ``CTYLAB_ADMIN_CONTENT_SECURITY_POLICY`` (same
    shape: ``{"DIRECTIVES": {...}}``). A view decorated with ``csp.decorators.csp`` keeps its
    own policy, and a response that already has the header keeps it.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and self._is_admin(request):
            admin_policy = getattr(settings, "CTYLAB_ADMIN_CONTENT_SECURITY_POLICY", None)
            if admin_policy:
                return PolicyParts(
                    default_config(admin_policy.get("DIRECTIVES", {})), parts.update, parts.replace, parts.nonce
                )
        return parts

    @staticmethod
    def _is_admin(request):
        from accounts.conf import app_settings

        return request.path_info.startswith(app_settings.ADMIN_PATH_PREFIXES)
