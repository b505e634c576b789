"""Settings of the accounts app, with their defaults, read when used (never at import)."""

from pathlib import Path

from django.conf import settings


class AppSettings:
    prefix = "ACCOUNTS_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def AVATAR_ROOT(self):
        """Directory of profile pictures; not under MEDIA_ROOT, they are served by a view
        that checks who may see them."""
        return Path(self._setting("AVATAR_ROOT", Path(settings.MEDIA_ROOT).parent / "avatars"))

    @property
    def AVATAR_MAX_BYTES(self):
        """Largest avatar upload accepted."""
        return self._setting("AVATAR_MAX_BYTES", 2 * 1024 * 1024)

    @property
    def AVATAR_MIN_SIDE(self):
        """Smallest width and height, in pixels."""
        return self._setting("AVATAR_MIN_SIDE", 32)

    @property
    def AVATAR_MAX_SIDE(self):
        """Largest width and height, in pixels (also guards against decompression bombs)."""
        return self._setting("AVATAR_MAX_SIDE", 4096)

    @property
    def AVATAR_FORMATS(self):
        """Image formats (as Pillow names them) accepted for avatars."""
        return self._setting("AVATAR_FORMATS", ("JPEG", "PNG", "GIF", "WEBP"))

    @property
    def ADMIN_PATH_PREFIXES(self):
        """Paths behind which a user needs two-factor authentication (the admins)."""
        return tuple(self._setting("ADMIN_PATH_PREFIXES", ("/admin/", "/django-admin/")))

    @property
    def REQUIRE_TWO_FACTOR_FOR_ADMIN(self):
        """Send staff and editors without an authenticator app to set one up first."""
        return self._setting("REQUIRE_TWO_FACTOR_FOR_ADMIN", True)

    @property
    def EDITOR_PAGE_PERMISSIONS(self):
        """Page permissions an initiative's editor group holds on the initiative's subtree."""
        return self._setting("EDITOR_PAGE_PERMISSIONS", ("add_page", "change_page", "publish_page"))


app_settings = AppSettings()
