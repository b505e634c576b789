from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "ctylab_search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import receivers  # connects signal receivers
        from .backends.database.schema import ensure_full_text
        from .checks import check_card_type_names, check_search_settings

        checks.register(check_search_settings, checks.Tags.compatibility)
        checks.register(check_card_type_names, checks.Tags.compatibility)
        post_migrate.connect(ensure_full_text, sender=self)
        receivers.connect_card_policy_models()
