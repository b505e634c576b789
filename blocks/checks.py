"""System checks of the blocks app's settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def check_map_tiles(app_configs=None, **kwargs):
    """The map tiles' server (``CTYLAB_MAP_TILES["URL"]``) must be an https or http URL whose
    origin both Content-Security-Policies let images come from: the public one (the map
    cards) and the admin's (the place picker); otherwise visitors or editors get a blank map
    without knowing why."""
    from .place_picker import map_tiles

    url = map_tiles()["URL"]
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return [checks.Error("CTYLAB_MAP_TILES['URL'] must be an http(s) URL with {z}/{x}/{y}.", id="blocks.E001")]
    origin = f"{parts.scheme}://{parts.netloc}"
    warnings = []
    for setting, used_by in (
        ("CONTENT_SECURITY_POLICY", "the public map cards"),
        ("CTYLAB_ADMIN_CONTENT_SECURITY_POLICY", "the editor's place picker"),
    ):
        policy = getattr(settings, setting, None)
        img_src = ((policy or {}).get("DIRECTIVES") or {}).get("img-src")
        if img_src is not None and not any(source in (origin, f"{parts.scheme}:", "*") for source in img_src):
            warnings.append(
                checks.Warning(
                    f"{setting} does not allow images from {origin}, the map tiles' server ({used_by}).",
                    hint=f"Add it to img-src of {setting}.",
                    id="blocks.W001",
                )
            )
    return warnings
