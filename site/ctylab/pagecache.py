"""Wagtail pages kept in Django's cache for anonymous visitors, purged exactly when they change.

On when ``CTYLAB_PAGE_CACHE_SECONDS`` > 0 (environment variable of the same name; production
default 60). A response is kept when the request is an anonymous GET or HEAD without a query
string (no session or message cookie) and the answer is a Wagtail page (the ``wagtail_serve``
view) with status 200 that sets no cookie and is not marked private. The key is the host as
sent, the visitor's language (as Django's LocaleMiddleware picks it: the language cookie, else
Accept-Language) and the path, so each language has its own copy. The cache is the default
one: Redis when ``REDIS_URL`` is set, shared by every worker.

A page kept here, or by a cache in front of the site, varies on the language only: Django's
session middleware adds ``Vary: Cookie`` to every page that looked at the visitor, which would
give each visitor a copy of their own; for these anonymous pages ``Cookie`` is taken out of
``Vary`` (whether or not this cache is on), leaving ``Vary: Accept-Language``. Signed-in
visitors (a session cookie) never get such a copy: this middleware and Varnish's VCL pass them
by, and their responses keep ``Vary: Cookie``. Varnish folds the language cookie into
``Accept-Language`` before looking up (site/ctylab/deploy/varnish.vcl).

A page may keep for a shorter time than the lifetime: ``Cache-Control: s-maxage`` on the
response (an initiative whose vote opens in ten seconds says ten), obeyed here and by Varnish.

Invalidation reuses Wagtail's front-end cache machinery: :class:`PageCacheBackend` is a
``WAGTAILFRONTENDCACHE`` backend that deletes a URL's copies in every language, and
``initiatives/frontend_cache.py`` sends it (and Varnish, if configured) the URLs that changed on
publishing, unpublishing, moves, domain changes and ``blocks.signals.initiative_changed``.

The middleware comes first in ``MIDDLEWARE``, so a page served from here costs no host
check, session, locale, CSRF or authentication work, and no header middleware either: a copy is
kept with the headers every middleware gave it on the way out (Content-Security-Policy,
X-Frame-Options, nosniff, HSTS), and only for a host that the host check let through. The
scheme is part of the key, because HSTS is only sent over HTTPS; and with
``SECURE_SSL_REDIRECT`` a plain-HTTP request is never answered from here, so Django's
SecurityMiddleware still sends it to HTTPS. Static files (``STATIC_URL``) pass by untouched.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language_from_request
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

KEY_PREFIX = "ctylab:page"
PASSED_COOKIES = ("messages",)  # besides the session cookie: a message waiting to be shown


def lifetime():
    return int(getattr(settings, "CTYLAB_PAGE_CACHE_SECONDS", 0) or 0)


SCHEMES = ("http", "https")


def cache_key(scheme, host, language, path):
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"{KEY_PREFIX}:{scheme}:{host.lower()}:{language}:{digest}"


def may_use_cache(request):
    if request.method not in {"GET", "HEAD"} or request.META.get("QUERY_STRING"):
        return False
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return False
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False  # SecurityMiddleware redirects it to HTTPS
    return not any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PASSED_COOKIES))


def may_keep(request, response):
    """Whether ``response`` is an anonymous page anyone may be given (see module docstring)."""
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and match is not None
        and match.url_name == "wagtail_serve"
        and not response.cookies
        and not response.streaming
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def shared_age(response):
    """The ``s-maxage`` of ``response`` in seconds, or None when it gives none."""
    for directive in response.get("Cache-Control", "").split(","):
        name, _sep, value = directive.strip().partition("=")
        if name.lower() == "s-maxage":
            try:
                return max(0, int(value))
            except ValueError:
                return 0
    return None


def vary_on_language_only(response):
    """Take ``Cookie`` out of ``Vary``: an anonymous page differs by language only."""
    names = [name.strip() for name in response.get("Vary", "").split(",") if name.strip()]
    kept = [name for name in names if name.lower() != "cookie"]
    if "accept-language" not in {name.lower() for name in kept}:
        kept.append("Accept-Language")
    response["Vary"] = ", ".join(kept)


class AnonymousPageCacheMiddleware:
    """Place first in ``MIDDLEWARE``: see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        seconds = lifetime()
        key = cache_key(
            request.scheme, request._get_raw_host(), get_language_from_request(request), request.path
        )
        if seconds > 0:
            kept = cache.get(key)
            if kept is not None:
                content, headers = kept
                response = HttpResponse(content, headers=headers)
                response["X-Cache"] = "HIT"
                return response
        response = self.get_response(request)
        if not may_keep(request, response):
            return response
        vary_on_language_only(response)
        shared = shared_age(response)
        keep_for = seconds if shared is None else min(seconds, shared)
        if keep_for > 0:
            cache.set(key, (response.content, dict(response.items())), keep_for)
            response["X-Cache"] = "MISS"
        return response


class PageCacheBackend(BaseBackend):
    """A ``WAGTAILFRONTENDCACHE`` backend: forgets a URL's kept copies in every language."""

    def purge(self, url):
        parts = urlsplit(url)
        path = parts.path or "/"
        cache.delete_many(
            [
                cache_key(scheme, parts.netloc, code, path)
                for scheme in SCHEMES
                for code, _name in settings.LANGUAGES
            ]
        )
