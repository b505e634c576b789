"""System checks: refuse a search configuration that cannot work."""

from django.core.checks import Error
from django.utils.module_loading import import_string

from .conf import app_settings
from .models import INITIATIVE


def check_search_settings(app_configs=None, **kwargs):
    config = app_settings.BACKEND
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError as error:
        return [
            Error(
                f"CTYLAB_SEARCH['BACKEND'] cannot be imported: {error}",
                id="ctylab_search.E001",
            )
        ]
    try:
        backend = backend_class(**config["OPTIONS"])
    except TypeError as error:
        return [Error(f"CTYLAB_SEARCH['OPTIONS'] do not fit: {error}", id="ctylab_search.E003")]
    return backend.check()


def check_card_type_names(app_configs=None, **kwargs):
    from blocks.registry import registry

    if INITIATIVE in registry.types:
        return [
            Error(
                f"A card type may not be named {INITIATIVE!r}: search uses that name for "
                "initiatives themselves.",
                id="ctylab_search.E004",
            )
        ]
    return []
