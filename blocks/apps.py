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
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.fields import StreamField

        from .builtin import builtin_card_types
        from .checks import check_map_tiles
        from .registry import HOOK_NAME
        from .widgets import StreamFormField, tolerate_malformed_chooser_values

        # The built-in cards register through the same hook a third-party card uses.
        hooks.register(HOOK_NAME, builtin_card_types)
        checks.register(check_map_tiles)

        # Every StreamField in Wagtail's admin forms (pages, snippets, viewsets, modeladmin)
        # refuses incomplete stream data with a message instead of a server error.
        register_form_field_override(StreamField, override={"form_class": StreamFormField})
        tolerate_malformed_chooser_values()
