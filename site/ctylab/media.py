"""Uploaded media (Wagtail images and their renditions) served by Django itself.

WhiteNoise serves only the static files that exist when the server starts, so files uploaded
at run time need another route. The fast one is the reverse proxy serving ``MEDIA_ROOT``
directly (README "Production"); this view is the route that always works, switched by
``CTYLAB_SERVE_MEDIA`` (on by default), and sends the same headers the proxy rule does.

Files are streamed (``FileResponse``, so gunicorn can use ``sendfile``), ``If-Modified-Since``
gets a 304, and paths cannot leave ``MEDIA_ROOT`` (``django.views.static.serve`` joins them
safely and refuses directory listings).
"""

import re

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from django.views.static import serve

# Documents are stored under MEDIA_ROOT too, but Wagtail serves them through /documents/<id>/
# where collection privacy is checked; a direct link would bypass that check.
PRIVATE_DIRECTORIES = ("documents",)
# Renditions keep their file name when regenerated, so caches revalidate after an hour.
CACHE_CONTROL = "public, max-age=3600"
# An uploaded SVG or HTML file opened directly must not run scripts on the site's origin.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_media(request, path):
    """Send the file ``MEDIA_ROOT/<path>``: 200 (or 304), or 404 if absent or private."""
    if path.split("/", 1)[0] in PRIVATE_DIRECTORIES:
        raise Http404("Documents are served through /documents/.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def urlpatterns():
    """The media route under ``MEDIA_URL`` (a local path such as ``/media/``), or none."""
    prefix = settings.MEDIA_URL.lstrip("/")
    if not settings.CTYLAB_SERVE_MEDIA or not prefix or "://" in settings.MEDIA_URL:
        return []
    return [re_path(rf"^{re.escape(prefix)}(?P<path>.+)$", serve_media, name="media")]
