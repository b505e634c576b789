from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import receivers  # noqa: F401  (connects signal receivers)
        from .checks import check_account_settings

        checks.register(check_account_settings, "accounts")
