from wagtail.admin.viewsets.model import ModelViewSet

from .models import InitiativeDomain


class InitiativeDomainViewSet(ModelViewSet):
    """Site admins attach domains to initiatives (needs the initiative-domain permissions)."""

    model = InitiativeDomain
    icon = "site"
    menu_order = 600
    add_to_settings_menu = True
    form_fields = ["hostname", "initiative"]
    list_display = ["display_name", "initiative", "created_at"]
    search_fields = ["hostname"]
    list_filter = []
    inspect_view_enabled = False
