"""Wagtail pages kept in Django's cache for anonymous visitors, purged exactly when they change.

On when ``CTYLAB_PAGE_CACHE_SECONDS`` > 0 (environment variable of the same name; production
default 60). A response is kept when the request is an anonymous GET or HEAD without a query
string (no session or message cookie) and the answer is a Wagtail page (the ``wagtail_serve``
view) with status 200 that sets no cookie and is not marked private. The key is the host as
sent, the language Django chose (``request.LANGUAGE_CODE``) and the path, so each language has
its own copy. The cache is the default one: Redis when ``REDIS_URL`` is set, shared by every
worker.

Invalidation reuses Wagtail's front-end cache machinery: :class:`PageCacheBackend` is a
``WAGTAILFRONTENDCACHE`` backend that deletes a URL's copies in every language, and
``initiatives/frontend_cache.py`` sends it (and Varnish, if configured) the URLs that changed on
publishing, unpublishing, moves and domain changes. What changes with the clock rather than an
editor (a deadline passing, a vote opening, new readings) shows within the lifetime.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

KEY_PREFIX = "ctylab:page"
PASSED_COOKIES = ("messages",)  # besides the session cookie: a message waiting to be shown


def lifetime():
    return int(getattr(settings, "CTYLAB_PAGE_CACHE_SECONDS", 0) or 0)


def cache_key(host, language, path):
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"{KEY_PREFIX}:{host.lower()}:{language}:{digest}"


def may_use_cache(request):
    if request.method not in {"GET", "HEAD"} or request.META.get("QUERY_STRING"):
        return False
    return not any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PASSED_COOKIES))


def may_keep(request, response):
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


class AnonymousPageCacheMiddleware:
    """Place after LocaleMiddleware (the key needs the visitor's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = lifetime()
        if seconds <= 0 or not may_use_cache(request):
            return self.get_response(request)
        key = cache_key(request._get_raw_host(), request.LANGUAGE_CODE, request.path)
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if may_keep(request, response):
            cache.set(key, (response.content, list(response.items())), seconds)
            response["X-Cache"] = "MISS"
        return response


class PageCacheBackend(BaseBackend):
    """A ``WAGTAILFRONTENDCACHE`` backend: forgets a URL's kept copies in every language."""

    def purge(self, url):
        parts = urlsplit(url)
        path = parts.path or "/"
        cache.delete_many([cache_key(parts.netloc, code, path) for code, _name in settings.LANGUAGES])
