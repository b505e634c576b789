from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "tenders"
    label = "tenders"
    verbose_name = _("Tenders")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import receivers  # noqa: F401 - keeps tender rows in step with published cards
        from .checks import check_quote_keys

        checks.register(check_quote_keys, "tenders", deploy=True)
