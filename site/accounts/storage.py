"""Where avatars are stored: a private directory, resolved when first used."""

from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class _AvatarStorage(LazyObject):
    def _setup(self):
        from .conf import app_settings

        self._wrapped = FileSystemStorage(location=app_settings.AVATAR_ROOT, base_url=None)


_storage = _AvatarStorage()


def avatar_storage():
    """Callable storage, so migrations name this function rather than a directory."""
    return _storage
