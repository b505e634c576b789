"""The search backend in use, chosen by the ``CTYLAB_SEARCH`` setting when first needed."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from ..conf import app_settings

_backend = None


def load_backend(config=None):
    config = config or app_settings.BACKEND
    backend_class = import_string(config["BACKEND"])
    return backend_class(**config["OPTIONS"])


def get_backend():
    global _backend
    if _backend is None:
        _backend = load_backend()
    return _backend


@receiver(setting_changed)
def forget_backend(setting, **kwargs):
    global _backend
    if setting.startswith("CTYLAB_SEARCH"):
        _backend = None
