"""Chain backends, chosen by ``GOVERNANCE_CHAIN = {"BACKEND": ..., "OPTIONS": {...}}``."""

import threading

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import ChainBackend, ChainError, ChainUnavailable, DeploymentRejected, NonceRejected

__all__ = [
    "ChainBackend",
    "ChainError",
    "ChainUnavailable",
    "DeploymentRejected",
    "NonceRejected",
    "get_backend",
    "reset_backends",
]

_lock = threading.Lock()
_backends = {}


def get_backend():
    """The configured backend, one instance per process (the in-process chain lives in it)."""
    config = app_settings.CHAIN
    key = repr(sorted(config.items(), key=lambda item: item[0]))
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            backend = import_string(config["BACKEND"])(config.get("OPTIONS", {}))
            _backends[key] = backend
        return backend


def reset_backends(**kwargs):
    """Forget every backend: a fresh in-process chain next time (tests use this)."""
    with _lock:
        _backends.clear()


def _on_setting_changed(setting, **kwargs):
    if setting == "GOVERNANCE_CHAIN":
        reset_backends()


setting_changed.connect(_on_setting_changed)
