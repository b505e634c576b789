from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocksConfig(AppConfig):
    name = "blocks"
    label = "blocks"
    verbose_name = _("Card blocks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from wagtail import hooks

        from .builtin import builtin_card_types
        from .checks import check_map_tiles
        from .registry import HOOK_NAME

        # The built-in cards register through the same hook a third-party card uses.
        hooks.register(HOOK_NAME, builtin_card_types)
        checks.register(check_map_tiles)
