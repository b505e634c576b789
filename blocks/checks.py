"""System checks of the blocks app's settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def check_map_tiles(app_configs=None, **kwargs):
    """The place picker's tile server (``CTYLAB_MAP_TILES["URL"]``) must be an https or http URL
    whose origin the admin's Content-Security-Policy lets images come from, or editors get a
    blank map without knowing why."""
    from .place_picker import map_tiles

    url = map_tiles()["URL"]
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return [checks.Error("CTYLAB_MAP_TILES['URL'] must be an http(s) URL with {z}/{x}/{y}.", id="blocks.E001")]
    policy = getattr(settings, "CTYLAB_ADMIN_CONTENT_SECURITY_POLICY", None) or getattr(
        settings, "CONTENT_SECURITY_POLICY", None
    )
    img_src = ((policy or {}).get("DIRECTIVES") or {}).get("img-src")
    origin = f"{parts.scheme}://{parts.netloc}"
    if img_src is not None and not any(source in (origin, f"{parts.scheme}:", "*") for source in img_src):
        return [
            checks.Warning(
                f"The admin's Content-Security-Policy does not allow images from {origin}, the map tiles' server.",
                hint="Add it to img-src of CTYLAB_ADMIN_CONTENT_SECURITY_POLICY.",
                id="blocks.W001",
            )
        ]
    return []
