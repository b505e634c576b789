from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """The public, documented, read-only API at ``/api/v2/`` (see ``opendata.urls``)."""

    name = "opendata"
    label = "opendata"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"
