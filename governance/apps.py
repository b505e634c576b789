from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    label = "governance"
    verbose_name = _("Governance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import (
            backends,  # noqa: F401 - connects the setting_changed receiver
            receivers,  # noqa: F401 - announces what election cards show
        )
        from .checks import check_chain_for_production, check_chain_setting, check_contract_artifact

        checks.register(check_chain_setting, "governance")
        checks.register(check_contract_artifact, "governance")
        checks.register(check_chain_for_production, "governance", deploy=True)
